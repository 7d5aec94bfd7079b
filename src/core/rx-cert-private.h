/* rx-cert-private.h: what signing and the rest of core need from rx-cert*.c: issuing inside
 * a caller's transaction, and a doctor's key opened for signing. */
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "rx-cert.h"

G_BEGIN_DECLS

#define RX_CERT_SELECT \
  "SELECT c.id, c.kind, c.user_id, u.username, c.serial, c.subject, c.not_before, " \
  "  c.not_after, c.revoked_at, c.revoke_reason " \
  "FROM certificates c LEFT JOIN users u ON u.id = c.user_id "

gboolean       _rx_certs_has_ca               (RxDb           *db);
/* by id or by serial */
RxCertificate *_rx_certs_find                 (RxDb           *db,
                                               const char     *id,
                                               GError        **error);
/* Issues within the caller's transaction; the passphrase is in the keyring before the row is
 * written. Returns the serial, so that a caller whose commit fails can clear the keyring. */
char          *_rx_certs_issue_in_transaction (RxDb           *db,
                                               const char     *user_id,
                                               GError        **error);

/* X.509 helpers shared by issuing and verifying. */
gboolean       _rx_cert_gnutls_ok             (int             rc,
                                               const char     *what,
                                               GError        **error);
gboolean       _rx_cert_import_pem            (const char     *pem,
                                               gnutls_x509_crt_t *crt,
                                               GError        **error);
char          *_rx_cert_time_iso              (time_t          t);
gint64         _rx_cert_iso_to_unix           (const char     *iso);
/* Decrypts a key stored in the database with its passphrase from the keyring; `whose` names
 * the key's owner in the errors. */
gboolean       _rx_cert_open_private_key      (RxDb                   *db,
                                               const char             *serial,
                                               const char             *encrypted_pem,
                                               const char             *whose,
                                               gnutls_x509_privkey_t  *key,
                                               GError                **error);

/* A doctor's current certificate with its private key decrypted, ready to sign. The key is
 * wiped when the signer is freed. */
typedef struct _RxSigner RxSigner;

RxSigner      *_rx_signer_load                (RxDb           *db,
                                               const char     *user_id,
                                               GError        **error);
void           _rx_signer_free                (RxSigner       *self);
const char    *_rx_signer_get_certificate_id  (RxSigner       *self);
const char    *_rx_signer_get_serial          (RxSigner       *self);
gint64         _rx_signer_get_not_before      (RxSigner       *self);  /* Unix seconds */
/* An ECDSA-SHA256 signature of the data, base64 (DER-encoded r and s). */
char          *_rx_signer_sign                (RxSigner       *self,
                                               const char     *data,
                                               gsize           length,
                                               GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxSigner, _rx_signer_free)

/* Text that held a secret, wiped before it is freed: g_autoptr(RxWipedText). */
typedef char RxWipedText;
void           _rx_wiped_text_free            (RxWipedText    *text);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxWipedText, _rx_wiped_text_free)

RxWipedText   *_rx_cert_new_passphrase        (GError        **error);

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)

G_END_DECLS
