/* rx-cert.h: the clinic's own certificate authority and the signing certificates it issues
 * to doctors (X.509, ECDSA P-256). Private keys are kept encrypted in the clinic database;
 * the passphrase that opens each is in the desktop keyring of the workstation that made it. */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"

G_BEGIN_DECLS

#define RX_TYPE_CERTIFICATE (rx_certificate_get_type ())
G_DECLARE_FINAL_TYPE (RxCertificate, rx_certificate, RX, CERTIFICATE, GObject)

const char *rx_certificate_get_id            (RxCertificate *self);
const char *rx_certificate_get_kind          (RxCertificate *self);  /* "ca" or "signing" */
const char *rx_certificate_get_user_id       (RxCertificate *self);  /* NULL for the CA */
const char *rx_certificate_get_username      (RxCertificate *self);
const char *rx_certificate_get_serial        (RxCertificate *self);  /* hex */
const char *rx_certificate_get_subject       (RxCertificate *self);
const char *rx_certificate_get_not_before    (RxCertificate *self);  /* UTC ISO-8601 */
const char *rx_certificate_get_not_after     (RxCertificate *self);
const char *rx_certificate_get_revoked_at    (RxCertificate *self);  /* NULL unless revoked */
const char *rx_certificate_get_revoke_reason (RxCertificate *self);

/* Once per clinic: refused with RX_CORE_ERROR_EXISTS when the clinic has a CA. Valid for ten
 * years; its key signs nothing but doctors' certificates. */
RxCertificate *rx_certs_create_ca       (RxDb        *db,
                                         GError     **error);
/* A key pair and a two-year certificate for an active doctor who has no current one.
 * rx_users_add() calls it for every new doctor once the clinic has a CA. */
RxCertificate *rx_certs_issue_for_user  (RxDb        *db,
                                         const char  *user_id,
                                         GError     **error);
/* Every certificate, the CA first, then by user and newest first. */
GListModel    *rx_certs_list            (RxDb        *db,
                                         GError     **error);
/* Revokes the user's current signing certificate; the reason is required and is shown to
 * every pharmacist who later checks a prescription signed with it. */
RxCertificate *rx_certs_revoke_user     (RxDb        *db,
                                         const char  *username,
                                         const char  *reason,
                                         GError     **error);

gboolean        rx_certs_export_ca        (RxDb        *db,
                                           const char  *path,
                                           const char  *passphrase,
                                           GError     **error);
gboolean        rx_certs_import_ca        (RxDb        *db,
                                           const char  *path,
                                           const char  *passphrase,
                                           GError     **error);

G_END_DECLS
