/* rx-cert-key.c: opening a stored private key with its passphrase from the keyring, and a
 * doctor's key held open for signing; also the X.509 helpers that issuing and verifying share.
 * Decrypted keys live only inside GnuTLS objects and are released as soon as signing is done. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>

#include "rx-cert-private.h"
#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-keyring.h"

struct _RxSigner
{
  char             *certificate_id;
  char             *serial;
  gint64            not_before;
  gnutls_privkey_t  key;
};

/* Helpers ---------------------------------------------------------------------------------- */

void
_rx_wiped_text_free (RxWipedText *text)
{
  if (text == NULL)
    return;
  gnutls_memset (text, 0, strlen (text));
  g_free (text);
}

gboolean
_rx_cert_gnutls_ok (int          rc,
                    const char  *what,
                    GError     **error)
{
  if (rc >= 0)
    return TRUE;

  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED, "%s: %s", what, gnutls_strerror (rc));
  return FALSE;
}

gboolean
_rx_cert_import_pem (const char         *pem,
                     gnutls_x509_crt_t  *crt,
                     GError            **error)
{
  gnutls_datum_t data = { (unsigned char *) pem, pem ? strlen (pem) : 0 };

  *crt = NULL;
  if (!_rx_cert_gnutls_ok (gnutls_x509_crt_init (crt), "Reading a certificate", error))
    return FALSE;
  if (pem == NULL || gnutls_x509_crt_import (*crt, &data, GNUTLS_X509_FMT_PEM) < 0)
    {
      g_clear_pointer (crt, gnutls_x509_crt_deinit);
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "A certificate stored in the clinic database cannot be read");
      return FALSE;
    }

  return TRUE;
}

char *
_rx_cert_time_iso (time_t t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.000Z");
}

gint64
_rx_cert_iso_to_unix (const char *iso)
{
  g_autoptr(GDateTime) dt = iso ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;

  return dt ? g_date_time_to_unix (dt) : -1;
}

/* Opens a key stored encrypted in the database with its passphrase from the keyring. */
gboolean
_rx_cert_open_private_key (RxDb                   *db,
                           const char             *serial,
                           const char             *encrypted_pem,
                           const char             *whose,
                           gnutls_x509_privkey_t  *key,
                           GError                **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RxSecret) passphrase = NULL;
  gnutls_datum_t data = { (unsigned char *) encrypted_pem,
                          encrypted_pem ? strlen (encrypted_pem) : 0 };
  int rc;

  passphrase = rx_keyring_lookup (rx_db_get_org_id (db), serial, &local_error);
  if (passphrase == NULL)
    {
      if (g_error_matches (local_error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND))
        g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_KEYRING,
                     "The passphrase of %s's key (certificate %s) is not in this workstation's "
                     "keyring: a key can be used only on the workstation where it was made; an "
                     "administrator can issue a new certificate there with "
                     "“rxdesk-cli cert issue”", whose, serial);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  *key = NULL;
  rc = gnutls_x509_privkey_init (key);
  if (rc >= 0 && encrypted_pem != NULL)
    rc = gnutls_x509_privkey_import_pkcs8 (*key, &data, GNUTLS_X509_FMT_PEM, passphrase, 0);
  if (rc < 0 || encrypted_pem == NULL)
    {
      g_clear_pointer (key, gnutls_x509_privkey_deinit);
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_KEYRING,
                   "%s's key (certificate %s) cannot be opened with the passphrase in this "
                   "workstation's keyring; an administrator can issue a new certificate with "
                   "“rxdesk-cli cert issue”", whose, serial);
      return FALSE;
    }

  return TRUE;
}

/* Signing --------------------------------------------------------------------------------- */

void
_rx_signer_free (RxSigner *self)
{
  if (self == NULL)
    return;

  /* gnutls_privkey_deinit() releases the imported key it owns, clearing its parameters */
  g_clear_pointer (&self->key, gnutls_privkey_deinit);
  g_free (self->certificate_id);
  g_free (self->serial);
  g_free (self);
}

static gboolean
key_matches_certificate (gnutls_x509_privkey_t key,
                         gnutls_x509_crt_t     crt)
{
  guint8 a[64], b[64];
  size_t a_size = sizeof a, b_size = sizeof b;

  return gnutls_x509_privkey_get_key_id (key, GNUTLS_KEYID_USE_SHA256, a, &a_size) >= 0 &&
         gnutls_x509_crt_get_key_id (crt, GNUTLS_KEYID_USE_SHA256, b, &b_size) >= 0 &&
         a_size == b_size && memcmp (a, b, a_size) == 0;
}

static void
set_no_certificate (RxDb        *db,
                    const char  *user_id,
                    const char  *username,
                    GError     **error)
{
  g_autofree char *revoked_at = NULL;
  g_autofree char *reason = NULL;
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db, "SELECT revoked_at, revoke_reason FROM certificates "
                             "WHERE kind = 'signing' AND user_id = ?1 AND deleted = 0 "
                             "ORDER BY revoked_at DESC LIMIT 1", NULL);
  if (stmt != NULL)
    {
      _rx_stmt_bind_text (stmt, 1, user_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          revoked_at = _rx_stmt_dup_text (stmt, 0);
          reason = _rx_stmt_dup_text (stmt, 1);
        }
      sqlite3_reset (stmt);
    }

  if (revoked_at != NULL)
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                 "%s's signing certificate was revoked on %s (%s); an administrator can issue "
                 "a new one with “rxdesk-cli cert issue %s”", username, revoked_at,
                 reason ? reason : "no reason given", username);
  else
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                 "%s has no signing certificate; an administrator can issue one with "
                 "“rxdesk-cli cert issue %s”", username, username);
}

RxSigner *
_rx_signer_load (RxDb        *db,
                 const char  *user_id,
                 GError     **error)
{
  g_autoptr(RxSigner) self = g_new0 (RxSigner, 1);
  g_auto(gnutls_x509_privkey_t) x509_key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_autofree char *username = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *not_after = NULL;
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db, "SELECT u.username, c.id, c.serial, c.certificate, c.private_key, "
                             "  c.not_before, c.not_after "
                             "FROM users u LEFT JOIN certificates c ON c.user_id = u.id "
                             "  AND c.kind = 'signing' AND c.deleted = 0 "
                             "  AND c.revoked_at IS NULL "
                             "WHERE u.id = ?1 ORDER BY c.not_before DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, user_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *not_before = _rx_stmt_dup_text (stmt, 5);

      username = _rx_stmt_dup_text (stmt, 0);
      self->certificate_id = _rx_stmt_dup_text (stmt, 1);
      self->serial = _rx_stmt_dup_text (stmt, 2);
      pem = _rx_stmt_dup_text (stmt, 3);
      key_pem = _rx_stmt_dup_text (stmt, 4);
      self->not_before = _rx_cert_iso_to_unix (not_before);
      not_after = _rx_stmt_dup_text (stmt, 6);
    }
  sqlite3_reset (stmt);

  if (username == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND, "There is no user “%s”",
                   user_id);
      return NULL;
    }
  if (self->certificate_id == NULL)
    {
      set_no_certificate (db, user_id, username, error);
      return NULL;
    }
  if (_rx_cert_iso_to_unix (not_after) <= rx_db_now (db) / G_USEC_PER_SEC)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                   "%s's signing certificate expired on %s; an administrator can issue a new "
                   "one with “rxdesk-cli cert issue %s”", username, not_after, username);
      return NULL;
    }

  if (!_rx_cert_import_pem (pem, &crt, error) ||
      !_rx_cert_open_private_key (db, self->serial, key_pem, username, &x509_key, error))
    return NULL;
  if (!key_matches_certificate (x509_key, crt))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED,
                   "The key stored for %s does not belong to their certificate %s; an "
                   "administrator should revoke it and issue a new one", username, self->serial);
      return NULL;
    }

  if (!_rx_cert_gnutls_ok (gnutls_privkey_init (&self->key), "Opening a key", error) ||
      !_rx_cert_gnutls_ok (gnutls_privkey_import_x509 (self->key, x509_key,
                                                       GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE),
                           "Opening a key", error))
    return NULL;
  x509_key = NULL;  /* now owned by self->key */

  return g_steal_pointer (&self);
}

const char *
_rx_signer_get_certificate_id (RxSigner *self)
{
  return self->certificate_id;
}

const char *
_rx_signer_get_serial (RxSigner *self)
{
  return self->serial;
}

gint64
_rx_signer_get_not_before (RxSigner *self)
{
  return self->not_before;
}

char *
_rx_signer_sign (RxSigner    *self,
                 const char  *data,
                 gsize        length,
                 GError     **error)
{
  gnutls_datum_t in = { (unsigned char *) data, length };
  gnutls_datum_t sig = { NULL, 0 };
  char *b64;

  if (!_rx_cert_gnutls_ok (gnutls_privkey_sign_data (self->key, GNUTLS_DIG_SHA256, 0, &in, &sig),
                           "Signing", error))
    return NULL;
  b64 = g_base64_encode (sig.data, sig.size);
  gnutls_free (sig.data);

  return b64;
}
