/* rx-cert-backup.c: keeping the clinic's CA key safe from the loss of one workstation.
 *
 * The CA key sits in the clinic database encrypted under a passphrase that only the keyring of
 * the workstation that made it holds. Lose that workstation and the clinic can no longer
 * issue certificates (existing signatures still verify). So an administrator exports the key
 * once, encrypted under a passphrase they choose and keep apart (PKCS#8, PBES2 AES-256), and
 * can import it on another workstation, which then re-encrypts it under a new keyring
 * passphrase of its own. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gnutls/crypto.h>

#include "rx-cert-private.h"
#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-keyring.h"
#include "rx-password.h"

typedef struct
{
  char *id;
  char *serial;
  char *certificate;
  char *private_key;
} CaRow;

static void
ca_row_clear (CaRow *row)
{
  g_free (row->id);
  g_free (row->serial);
  g_free (row->certificate);
  g_free (row->private_key);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CaRow, ca_row_clear)

static gboolean
load_ca (RxDb     *db,
         CaRow    *row,
         GError  **error)
{
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db, "SELECT id, serial, certificate, private_key FROM certificates "
                             "WHERE kind = 'ca' AND deleted = 0 AND revoked_at IS NULL "
                             "ORDER BY not_before DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      row->id = _rx_stmt_dup_text (stmt, 0);
      row->serial = _rx_stmt_dup_text (stmt, 1);
      row->certificate = _rx_stmt_dup_text (stmt, 2);
      row->private_key = _rx_stmt_dup_text (stmt, 3);
    }
  sqlite3_reset (stmt);

  if (row->id == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "This clinic has no certificate authority; “rxdesk-cli init” makes one");
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_passphrase (const char  *passphrase,
                  GError     **error)
{
  if (!rx_password_check_quality (passphrase, error))
    {
      g_prefix_error (error, "Backup passphrase: ");
      return FALSE;
    }
  return TRUE;
}

gboolean
rx_certs_export_ca (RxDb        *db,
                    const char  *path,
                    const char  *passphrase,
                    GError     **error)
{
  g_auto(CaRow) ca = { NULL, };
  g_auto(gnutls_x509_privkey_t) key = NULL;
  gnutls_datum_t out = { NULL, 0 };
  g_autoptr(GString) text = NULL;
  gssize written;
  int fd;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!_rx_db_require (db, RX_ACTION_USER_ADMIN, error) ||
      !check_passphrase (passphrase, error) ||
      !load_ca (db, &ca, error) ||
      !_rx_cert_open_private_key (db, ca.serial, ca.private_key, "the clinic's CA", &key, error))
    return FALSE;

  if (!_rx_cert_gnutls_ok (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM,
                                                              passphrase,
                                                              GNUTLS_PKCS_PBES2_AES_256, &out),
                           "Encrypting the CA key for the backup", error))
    return FALSE;

  text = g_string_new (ca.certificate);
  if (text->len > 0 && text->str[text->len - 1] != '\n')
    g_string_append_c (text, '\n');
  g_string_append_len (text, (const char *) out.data, out.size);
  gnutls_free (out.data);

  fd = g_open (path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, RX_CORE_ERROR, saved == EEXIST ? RX_CORE_ERROR_EXISTS : RX_CORE_ERROR_IO,
                   "Cannot write the CA backup “%s”: %s; choose a new file name", path,
                   g_strerror (saved));
      return FALSE;
    }
  written = write (fd, text->str, text->len);
  if (close (fd) != 0 || written != (gssize) text->len)
    {
      g_unlink (path);
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_IO,
                   "Writing the CA backup “%s” failed; check the disk and try again", path);
      return FALSE;
    }

  return _rx_db_audit (db, "export-ca", "certificates", ca.id, NULL, error);
}

gboolean
rx_certs_import_ca (RxDb        *db,
                    const char  *path,
                    const char  *passphrase,
                    GError     **error)
{
  g_auto(CaRow) ca = { NULL, };
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(RxWipedText) fresh = NULL;
  g_autoptr(RxSecret) previous = NULL;
  g_autoptr(RxRow) row = NULL;
  g_autofree char *label = NULL;
  guint8 key_id[64], crt_id[64];
  size_t key_id_len = sizeof key_id, crt_id_len = sizeof crt_id;
  gnutls_datum_t out = { NULL, 0 };
  gnutls_datum_t data;
  const char *begin;
  gsize length;
  gboolean ok;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!_rx_db_require (db, RX_ACTION_USER_ADMIN, error) ||
      !load_ca (db, &ca, error) ||
      !g_file_get_contents (path, &contents, &length, error))
    return FALSE;

  begin = strstr (contents, "-----BEGIN ENCRYPTED PRIVATE KEY-----");
  data.data = (unsigned char *) begin;
  data.size = begin ? strlen (begin) : 0;
  if (begin == NULL ||
      gnutls_x509_privkey_init (&key) < 0 ||
      gnutls_x509_privkey_import_pkcs8 (key, &data, GNUTLS_X509_FMT_PEM, passphrase, 0) < 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                   "“%s” cannot be opened with that passphrase, or is not an RxDesk CA backup",
                   path);
      return FALSE;
    }

  /* the key must be this clinic's CA key, not another clinic's */
  if (!_rx_cert_import_pem (ca.certificate, &crt, error))
    return FALSE;
  if (gnutls_x509_privkey_get_key_id (key, 0, key_id, &key_id_len) < 0 ||
      gnutls_x509_crt_get_key_id (crt, 0, crt_id, &crt_id_len) < 0 ||
      key_id_len != crt_id_len || memcmp (key_id, crt_id, key_id_len) != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "“%s” holds another certificate authority's key, not this clinic's", path);
      return FALSE;
    }

  fresh = _rx_cert_new_passphrase (error);
  if (fresh == NULL ||
      !_rx_cert_gnutls_ok (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, fresh,
                                                              GNUTLS_PKCS_PBES2_AES_256, &out),
                           "Encrypting the CA key", error))
    return FALSE;

  /* if the database write fails, the keyring must go back to what it held */
  previous = rx_keyring_lookup (rx_db_get_org_id (db), ca.serial, NULL);

  label = g_strdup_printf ("RxDesk clinic CA key %s", ca.serial);
  if (!rx_keyring_store (rx_db_get_org_id (db), ca.serial, label, fresh, error))
    {
      gnutls_free (out.data);
      return FALSE;
    }

  row = _rx_row_new_update ("certificates", ca.id);
  _rx_row_set_text (row, "private_key", (const char *) out.data);
  gnutls_free (out.data);

  ok = _rx_db_put_audited (db, row, "import-ca", NULL, error);
  if (!ok && previous != NULL)
    rx_keyring_store (rx_db_get_org_id (db), ca.serial, label, previous, NULL);
  else if (!ok)
    rx_keyring_clear (rx_db_get_org_id (db), ca.serial, NULL);

  return ok;
}
