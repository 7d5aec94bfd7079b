/* rx-signing.c: a prescriber signs their draft. Everything that can refuse (password, role,
 * whose draft it is, the second factor, the key) is checked before the transaction; inside it
 * the move to "signed" sets signed_at, the canonical bytes are made from the rows as they are
 * then, signed, and stored beside the signature, so what was signed is exactly what a
 * pharmacy will re-derive. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-prescription-private.h"
#include "rx-role.h"
#include "rx-signing-private.h"
#include "rx-totp.h"
#include "rx-user.h"

void
rx_verification_clear (RxVerification *v)
{
  g_clear_pointer (&v->reason, g_free);
  g_clear_pointer (&v->signer, g_free);
  g_clear_pointer (&v->signed_at, g_free);
  g_clear_pointer (&v->certificate_serial, g_free);
  v->ok = FALSE;
}

gboolean
rx_prescriptions_needs_second_factor (RxDb        *db,
                                      const char  *prescription_id,
                                      gboolean    *needs,
                                      GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (prescription_id != NULL && needs != NULL, FALSE);

  stmt = _rx_db_prepare (db,
                         "SELECT (SELECT count(*) FROM prescription_items i "
                         "        JOIN products p ON p.id = i.product_id "
                         "        WHERE i.prescription_id = r.id AND i.deleted = 0 "
                         "        AND p.controlled = 1) "
                         "FROM prescriptions r WHERE r.id = ?1 AND r.deleted = 0", error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, prescription_id);
  rc = sqlite3_step (stmt);
  *needs = rc == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) > 0;
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no prescription “%s”; “rx list” shows them", prescription_id);
      return FALSE;
    }

  return TRUE;
}

/* A controlled medicine needs something the prescriber has as well as what they know: a
 * one-time code from their authenticator (21 CFR 1311). rx_totp_verify refuses a code used
 * before and audits every refusal; it runs before the signing transaction so that a refusal's
 * audit event is not rolled back with it. */
static gboolean
check_second_factor (RxDb        *db,
                     RxUser      *user,
                     const char  *password,
                     const char  *code,
                     GError     **error)
{
  if (!rx_totp_is_enrolled (db, rx_user_get_id (user)))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                   "This prescription has a controlled item, and a controlled medicine needs a "
                   "second factor; enrol an authenticator first with “rxdesk-cli user "
                   "totp-enrol %s”", rx_user_get_username (user));
      return FALSE;
    }

  if (code == NULL || *code == '\0')
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                   "This prescription has a controlled item, and a controlled medicine needs a "
                   "second factor: give the code from your authenticator app as well");
      return FALSE;
    }

  return rx_totp_verify (db, rx_user_get_id (user), password, code, error);
}

char *
_rx_signing_sign_in_transaction (RxDb        *db,
                                 RxSigner    *signer,
                                 const char  *prescription_id,
                                 gboolean     second_factor,
                                 GError     **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *signed_at = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (_rx_db_in_transaction (db), NULL);

  stmt = _rx_db_prepare (db, "SELECT signed_at FROM prescriptions WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, prescription_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    signed_at = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  if (signed_at == NULL || _rx_cert_iso_to_unix (signed_at) < _rx_signer_get_not_before (signer))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The signing time of prescription %s is missing or before the signer's "
                   "certificate became valid; check the workstation's clock", prescription_id);
      return NULL;
    }

  bytes = _rx_signing_canonical (db, prescription_id, _rx_signer_get_serial (signer), error);
  if (bytes == NULL)
    return NULL;
  signature = _rx_signer_sign (signer, bytes, strlen (bytes), error);
  if (signature == NULL)
    return NULL;

  row = _rx_row_new_insert ("prescription_signatures");
  _rx_row_set_text (row, "prescription_id", prescription_id);
  _rx_row_set_text (row, "certificate_id", _rx_signer_get_certificate_id (signer));
  _rx_row_set_text (row, "algorithm", RX_SIGNING_ALGORITHM);
  _rx_row_set_text (row, "signed_bytes", bytes);
  _rx_row_set_text (row, "signature", signature);
  _rx_row_set_int (row, "second_factor", second_factor ? 1 : 0);
  _rx_row_set_text (row, "signed_at", signed_at);
  if (!_rx_db_put (db, row, error))
    return NULL;

  return g_strdup (_rx_row_get_id (row));
}

gboolean
rx_prescriptions_sign (RxDb        *db,
                       const char  *prescription_id,
                       const char  *username,
                       const char  *password,
                       const char  *totp_code,
                       GError     **error)
{
  g_autoptr(RxUser) user = NULL;
  g_autoptr(RxUser) prescriber = NULL;
  g_autoptr(RxSigner) signer = NULL;
  g_autofree char *prescriber_id = NULL;
  g_autofree char *status = NULL;
  g_autofree char *signature_id = NULL;
  g_autofree char *detail = NULL;
  gboolean needs_second = FALSE;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (prescription_id != NULL, FALSE);

  user = rx_users_authenticate (db, username, password, error);
  if (user == NULL || !rx_user_can (user, RX_ACTION_PRESCRIPTION_SIGN, error))
    return FALSE;

  stmt = _rx_db_prepare (db, "SELECT prescriber_id, status FROM prescriptions "
                             "WHERE id = ?1 AND deleted = 0", error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, prescription_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      prescriber_id = _rx_stmt_dup_text (stmt, 0);
      status = _rx_stmt_dup_text (stmt, 1);
    }
  sqlite3_reset (stmt);

  if (prescriber_id == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no prescription “%s”; “rx list” shows them", prescription_id);
      return FALSE;
    }
  if (g_strcmp0 (prescriber_id, rx_user_get_id (user)) != 0)
    {
      prescriber = rx_users_find (db, prescriber_id, NULL);
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                   "Only the prescriber can sign a prescription, and this one was written by "
                   "%s, not %s", prescriber ? rx_user_get_username (prescriber) : "someone else",
                   rx_user_get_username (user));
      return FALSE;
    }
  if (g_strcmp0 (status, "draft") != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
                   "This prescription is already %s; only a draft can be signed", status);
      return FALSE;
    }

  if (!rx_prescriptions_needs_second_factor (db, prescription_id, &needs_second, error) ||
      (needs_second && !check_second_factor (db, user, password, totp_code, error)))
    return FALSE;

  /* decrypting the key is the slow part: done before the write lock is taken */
  signer = _rx_signer_load (db, rx_user_get_id (user), error);
  if (signer == NULL)
    return FALSE;

  detail = g_strdup_printf (RX_SIGNING_ALGORITHM " with certificate %s%s",
                            _rx_signer_get_serial (signer),
                            needs_second ? " and a second factor" : "");
  if (!rx_db_begin (db, error))
    return FALSE;
  if (!_rx_prescriptions_move (db, prescription_id, RX_PRESCRIPTION_SIGNED, NULL, error) ||
      (signature_id = _rx_signing_sign_in_transaction (db, signer, prescription_id,
                                                       needs_second, error)) == NULL ||
      !_rx_db_audit (db, "sign", "prescription_signatures", signature_id, detail, error) ||
      !rx_db_commit (db, error))
    {
      rx_db_rollback (db);
      return FALSE;
    }

  return TRUE;
}
