/* rx-cert-issue.c: making the clinic's CA and doctors' signing certificates with GnuTLS
 * (opening a key again is in rx-cert-key.c). Each private key is stored as encrypted PKCS#8 (PBES2,
 * AES-256) under a random passphrase that only the desktop keyring holds; the keyring item is
 * written before the database row and removed again if the row is not committed. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>

#include "rx-cert-private.h"
#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-keyring.h"
#include "rx-user.h"

#define CA_YEARS        10
#define SIGNING_YEARS   2
/* Workstations are often offline with clocks a little apart: a certificate made on one must
 * already be valid on another whose clock is behind. */
#define BACKDATE_SECONDS (60 * 60)

/* Helpers --------------------------------------------------------------------------------- */

static time_t
add_years (time_t t,
           int    years)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) later = g_date_time_add_years (dt, years);

  return g_date_time_to_unix (later);
}

static char *
datum_to_string (gnutls_datum_t *d)
{
  char *text = g_strndup ((const char *) d->data, d->size);

  gnutls_memset (d->data, 0, d->size);
  gnutls_free (d->data);
  d->data = NULL;

  return text;
}

/* 32 random bytes as base64: far stronger than anything a person would type. */
RxWipedText *
_rx_cert_new_passphrase (GError **error)
{
  guint8 bytes[32];
  char *text;

  if (!_rx_cert_gnutls_ok (gnutls_rnd (GNUTLS_RND_KEY, bytes, sizeof bytes),
                           "Making a key passphrase", error))
    return NULL;
  text = g_base64_encode (bytes, sizeof bytes);
  gnutls_memset (bytes, 0, sizeof bytes);

  return text;
}

static gboolean
new_key (gnutls_x509_privkey_t  *key,
         GError                **error)
{
  return _rx_cert_gnutls_ok (gnutls_x509_privkey_init (key), "Making a key", error) &&
         _rx_cert_gnutls_ok (gnutls_x509_privkey_generate2 (*key, GNUTLS_PK_ECDSA,
                                                            GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                                            0, NULL, 0),
                             "Making an ECDSA P-256 key", error);
}

typedef struct
{
  const char *common_name;
  const char *uid;          /* the username; NULL for the CA */
  time_t      not_before;
  time_t      not_after;
} CertSpec;

/* A version 3 certificate for the key, signed by the issuer (itself when issuer is NULL). */
static gboolean
make_certificate (const CertSpec         *spec,
                  gnutls_x509_privkey_t   key,
                  gnutls_x509_crt_t       issuer,
                  gnutls_x509_privkey_t   issuer_key,
                  gnutls_x509_crt_t      *out,
                  char                  **serial_hex,
                  GError                **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  guint8 serial[16];
  guint8 key_id[64];
  size_t key_id_size = sizeof key_id;
  gboolean is_ca = issuer == NULL;
  int rc;

  /* positive and of full length, so its DER encoding is exactly these 16 bytes */
  rc = gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial);
  serial[0] = (serial[0] & 0x7f) | 0x40;

  if (!_rx_cert_gnutls_ok (rc, "Making a serial number", error) ||
      !_rx_cert_gnutls_ok (gnutls_x509_crt_init (&crt), "Making a certificate", error))
    return FALSE;

  rc = gnutls_x509_crt_set_version (crt, 3);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_serial (crt, serial, sizeof serial);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_activation_time (crt, spec->not_before);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_expiration_time (crt, spec->not_after);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, spec->common_name,
                                        strlen (spec->common_name));
  if (rc >= 0 && spec->uid != NULL)
    rc = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_LDAP_UID, 0, spec->uid,
                                        strlen (spec->uid));
  if (rc >= 0)
    rc = gnutls_x509_crt_set_key (crt, key);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_basic_constraints (crt, is_ca, is_ca ? 0 : -1);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_key_usage (crt, is_ca ? GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN
                                                   : GNUTLS_KEY_DIGITAL_SIGNATURE |
                                                     GNUTLS_KEY_NON_REPUDIATION);
  if (rc >= 0)
    rc = gnutls_x509_privkey_get_key_id (key, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_size);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size);
  if (rc >= 0 && !is_ca)
    {
      key_id_size = sizeof key_id;
      rc = gnutls_x509_crt_get_subject_key_id (issuer, key_id, &key_id_size, NULL);
      if (rc >= 0)
        rc = gnutls_x509_crt_set_authority_key_id (crt, key_id, key_id_size);
    }
  if (rc >= 0)
    rc = gnutls_x509_crt_sign2 (crt, is_ca ? crt : issuer, is_ca ? key : issuer_key,
                                GNUTLS_DIG_SHA256, 0);
  if (!_rx_cert_gnutls_ok (rc, "Making a certificate", error))
    return FALSE;

  *serial_hex = g_malloc (sizeof serial * 2 + 1);
  for (guint i = 0; i < sizeof serial; i++)
    g_snprintf (*serial_hex + 2 * i, 3, "%02x", serial[i]);
  *out = g_steal_pointer (&crt);

  return TRUE;
}

/* Keyring first, then the row (in the caller's transaction when there is one), so that a
 * committed key always has its passphrase; the keyring item goes again if the row fails. */
static gboolean
store_certificate (RxDb                   *db,
                   const char             *kind,
                   const char             *user_id,
                   const char             *serial,
                   gnutls_x509_crt_t       crt,
                   gnutls_x509_privkey_t   key,
                   const char             *label,
                   const char             *audit_detail,
                   GError                **error)
{
  g_autoptr(RxWipedText) passphrase = NULL;
  g_autoptr(RxRow) row = NULL;
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *not_before = NULL;
  g_autofree char *not_after = NULL;
  gnutls_datum_t d = { NULL, 0 };
  const char *org = rx_db_get_org_id (db);

  passphrase = _rx_cert_new_passphrase (error);
  if (passphrase == NULL)
    return FALSE;

  if (!_rx_cert_gnutls_ok (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &d),
                           "Saving a certificate", error))
    return FALSE;
  cert_pem = datum_to_string (&d);
  if (!_rx_cert_gnutls_ok (gnutls_x509_crt_get_dn3 (crt, &d, 0), "Reading a certificate", error))
    return FALSE;
  subject = datum_to_string (&d);
  if (!_rx_cert_gnutls_ok (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM,
                                                              passphrase,
                                                              GNUTLS_PKCS_PBES2_AES_256, &d),
                           "Encrypting a private key", error))
    return FALSE;
  key_pem = datum_to_string (&d);
  not_before = _rx_cert_time_iso (gnutls_x509_crt_get_activation_time (crt));
  not_after = _rx_cert_time_iso (gnutls_x509_crt_get_expiration_time (crt));

  if (!rx_keyring_store (org, serial, label, passphrase, error))
    return FALSE;

  row = _rx_row_new_insert ("certificates");
  _rx_row_set_text (row, "kind", kind);
  _rx_row_set_text (row, "user_id", user_id);
  _rx_row_set_text (row, "serial", serial);
  _rx_row_set_text (row, "subject", subject);
  _rx_row_set_text (row, "certificate", cert_pem);
  _rx_row_set_text (row, "private_key", key_pem);
  _rx_row_set_text (row, "not_before", not_before);
  _rx_row_set_text (row, "not_after", not_after);

  if (!rx_db_begin (db, error))
    goto fail;
  if (!_rx_db_put (db, row, error) ||
      !_rx_db_audit (db, g_str_equal (kind, "ca") ? "create" : "issue", "certificates",
                     _rx_row_get_id (row), audit_detail, error) ||
      !rx_db_commit (db, error))
    {
      rx_db_rollback (db);
      goto fail;
    }

  return TRUE;

fail:
  rx_keyring_clear (org, serial, NULL);
  return FALSE;
}

/* The clinic's CA ------------------------------------------------------------------------- */

RxCertificate *
rx_certs_create_ca (RxDb    *db,
                    GError **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_autofree char *clinic = NULL;
  g_autofree char *name = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *label = NULL;
  g_autofree char *detail = NULL;
  CertSpec spec;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (_rx_certs_has_ca (db))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_EXISTS,
                   "This clinic already has its certificate authority; it is made only once "
                   "(“rxdesk-cli cert list” shows it)");
      return NULL;
    }

  clinic = rx_db_dup_clinic_name (db);
  name = g_strdup_printf ("%s RxDesk CA", clinic ? clinic : "Clinic");
  spec.common_name = name;
  spec.uid = NULL;
  spec.not_before = rx_db_now (db) / G_USEC_PER_SEC - BACKDATE_SECONDS;
  spec.not_after = add_years (spec.not_before, CA_YEARS);

  if (!new_key (&key, error) ||
      !make_certificate (&spec, key, NULL, NULL, &crt, &serial, error))
    return NULL;

  label = g_strdup_printf ("RxDesk certificate authority of %s", clinic ? clinic : "a clinic");
  detail = g_strdup_printf ("certificate authority %s", serial);
  if (!store_certificate (db, "ca", NULL, serial, crt, key, label, detail, error))
    return NULL;

  return _rx_certs_find (db, serial, error);
}

/* Doctors' certificates ------------------------------------------------------------------- */

char *
_rx_certs_issue_in_transaction (RxDb        *db,
                                const char  *user_id,
                                GError     **error)
{
  g_autoptr(RxUser) user = NULL;
  g_auto(gnutls_x509_privkey_t) ca_key = NULL;
  g_auto(gnutls_x509_crt_t) ca = NULL;
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_autofree char *ca_serial = NULL;
  g_autofree char *ca_pem = NULL;
  g_autofree char *ca_key_pem = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *label = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *clinic = NULL;
  sqlite3_stmt *stmt;
  CertSpec spec;

  user = rx_users_find (db, user_id, error);
  if (user == NULL)
    return NULL;

  stmt = _rx_db_prepare (db, "SELECT serial, certificate, private_key FROM certificates "
                             "WHERE kind = 'ca' AND deleted = 0 AND revoked_at IS NULL "
                             "ORDER BY not_before DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      ca_serial = _rx_stmt_dup_text (stmt, 0);
      ca_pem = _rx_stmt_dup_text (stmt, 1);
      ca_key_pem = _rx_stmt_dup_text (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (ca_serial == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "This clinic has no certificate authority to issue certificates; it is made "
                   "by “rxdesk-cli init”");
      return NULL;
    }

  if (!_rx_cert_import_pem (ca_pem, &ca, error) ||
      !_rx_cert_open_private_key (db, ca_serial, ca_key_pem,
                                  "the clinic's certificate authority", &ca_key, error))
    return NULL;

  spec.common_name = rx_user_get_full_name (user);
  spec.uid = rx_user_get_username (user);
  spec.not_before = rx_db_now (db) / G_USEC_PER_SEC - BACKDATE_SECONDS;
  spec.not_after = MIN (add_years (spec.not_before, SIGNING_YEARS),
                        gnutls_x509_crt_get_expiration_time (ca));

  if (!new_key (&key, error) ||
      !make_certificate (&spec, key, ca, ca_key, &crt, &serial, error))
    return NULL;

  clinic = rx_db_dup_clinic_name (db);
  label = g_strdup_printf ("RxDesk signing key of %s at %s", rx_user_get_username (user),
                           clinic ? clinic : "a clinic");
  detail = g_strdup_printf ("signing certificate %s for %s", serial, rx_user_get_username (user));
  if (!store_certificate (db, "signing", rx_user_get_id (user), serial, crt, key, label, detail,
                          error))
    return NULL;

  return g_steal_pointer (&serial);
}

RxCertificate *
rx_certs_issue_for_user (RxDb        *db,
                         const char  *user_id,
                         GError     **error)
{
  g_autoptr(RxUser) user = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  gint64 current;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  user = rx_users_find (db, user_id, error);
  if (user == NULL)
    return NULL;
  if (rx_user_get_role (user) != RX_ROLE_DOCTOR ||
      g_strcmp0 (rx_user_get_state (user), "active") != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                   "%s is not an active doctor; only doctors sign prescriptions",
                   rx_user_get_username (user));
      return NULL;
    }

  now = rx_db_now_iso (db);
  stmt = _rx_db_prepare (db, "SELECT count(*) FROM certificates WHERE kind = 'signing' "
                             "AND user_id = ?1 AND deleted = 0 AND revoked_at IS NULL "
                             "AND not_after > ?2", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, rx_user_get_id (user));
  _rx_stmt_bind_text (stmt, 2, now);
  current = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (current > 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_EXISTS,
                   "%s already has a signing certificate that is valid; revoke it first with "
                   "“rxdesk-cli cert revoke %s --reason TEXT”", rx_user_get_username (user),
                   rx_user_get_username (user));
      return NULL;
    }

  if (!rx_db_begin (db, error))
    return NULL;
  serial = _rx_certs_issue_in_transaction (db, rx_user_get_id (user), error);
  if (serial == NULL || !rx_db_commit (db, error))
    {
      rx_db_rollback (db);
      if (serial != NULL)
        rx_keyring_clear (rx_db_get_org_id (db), serial, NULL);
      return NULL;
    }

  return _rx_certs_find (db, serial, error);
}

