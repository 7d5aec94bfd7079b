/* rx-totp-enrol.c: enrolling an authenticator app and checking its codes. The seed lives in
 * user_totp sealed under the user's password; last_step, which syncs with the row, refuses a
 * code that was used before. Every outcome is audited; no seed, code or password ever is. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <gnutls/crypto.h>

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-password.h"
#include "rx-totp-private.h"
#include "rx-user.h"

typedef struct
{
  char     *id;
  char     *sealed;
  gint64    last_step;
  gboolean  deleted;
} TotpRecord;

static void
totp_record_clear (TotpRecord *rec)
{
  g_clear_pointer (&rec->id, g_free);
  g_clear_pointer (&rec->sealed, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TotpRecord, totp_record_clear)

/* The user's user_totp row, live or tombstoned: user_id is unique, so a new enrolment brings
 * a tombstone back rather than adding a row. FALSE when there is none. */
static gboolean
load_record (RxDb       *db,
             const char *user_id,
             TotpRecord *rec)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  totp_record_clear (rec);
  stmt = _rx_db_prepare (db, "SELECT id, secret, last_step, deleted FROM user_totp "
                             "WHERE user_id = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, user_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      rec->id = _rx_stmt_dup_text (stmt, 0);
      rec->sealed = _rx_stmt_dup_text (stmt, 1);
      rec->last_step = sqlite3_column_int64 (stmt, 2);
      rec->deleted = sqlite3_column_int (stmt, 3) != 0;
      found = TRUE;
    }
  sqlite3_reset (stmt);

  return found;
}

/* A refusal: audited as "totp-failed" with the reason (never the code or the password), then
 * reported. Called outside a transaction, the audit record stays whatever the caller does. */
static gboolean refuse (RxDb        *db,
                        const char  *user_id,
                        const char  *reason,
                        GError     **error,
                        RxCoreError  code,
                        const char  *format,
                        ...) G_GNUC_PRINTF (6, 7);

static gboolean
refuse (RxDb        *db,
        const char  *user_id,
        const char  *reason,
        GError     **error,
        RxCoreError  code,
        const char  *format,
        ...)
{
  va_list args;

  _rx_db_audit (db, "totp-failed", "users", user_id, reason, NULL);
  g_debug ("Second factor refused for user %s: %s", user_id, reason);

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (RX_CORE_ERROR, code, format, args));
  va_end (args);

  return FALSE;
}

static gboolean
check_active (RxDb        *db,
              RxUser      *user,
              const char  *what,
              GError     **error)
{
  g_autofree char *reason = NULL;

  if (g_strcmp0 (rx_user_get_state (user), "active") == 0)
    return TRUE;

  reason = g_strdup_printf ("%s: account %s", what, rx_user_get_state (user));
  return refuse (db, rx_user_get_id (user), reason, error, RX_CORE_ERROR_PERMISSION,
                 "The account %s is %s; ask an administrator", rx_user_get_username (user),
                 rx_user_get_state (user));
}

static char *
dup_password_hash (RxDb       *db,
                   const char *user_id)
{
  sqlite3_stmt *stmt;
  char *hash = NULL;

  stmt = _rx_db_prepare (db, "SELECT password_hash FROM users WHERE id = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, user_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    hash = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  return hash;
}

#define URI_FORMAT \
  "otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=%d&period=%d"

/* Key URI format of the authenticator apps: otpauth://totp/ISSUER:NAME?secret=...&issuer=...
 * Allocated at its exact size so no resized buffer leaves a copy of the seed behind. */
static char *
make_uri (const char *username,
          const char *secret)
{
  g_autofree char *issuer = g_uri_escape_string (RX_TOTP_ISSUER, NULL, FALSE);
  g_autofree char *name = g_uri_escape_string (username, NULL, FALSE);
  int len;
  char *uri;

  len = snprintf (NULL, 0, URI_FORMAT, issuer, name, secret, issuer, RX_TOTP_DIGITS,
                  RX_TOTP_PERIOD);
  g_assert (len > 0);
  uri = g_malloc ((gsize) len + 1);
  snprintf (uri, (gsize) len + 1, URI_FORMAT, issuer, name, secret, issuer, RX_TOTP_DIGITS,
            RX_TOTP_PERIOD);

  return uri;
}

gboolean
rx_totp_enrol (RxDb         *db,
               const char   *user_id,
               const char   *password,
               char        **out_uri,
               GError      **error)
{
  g_autoptr(RxUser) user = NULL;
  g_auto(RxTotpSeed) seed = { { 0 } };
  g_auto(TotpRecord) rec = { 0 };
  g_autoptr(RxRow) row = NULL;
  g_autoptr(RxTotpSecretText) encoded = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *sealed = NULL;
  g_autofree char *now = NULL;
  const char *id;
  gboolean again;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (out_uri != NULL && *out_uri == NULL, FALSE);

  user = rx_users_find (db, user_id, error);
  if (user == NULL)
    return FALSE;
  id = rx_user_get_id (user);
  if (!check_active (db, user, "enrolment refused", error))
    return FALSE;

  hash = dup_password_hash (db, id);
  if (hash == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                   "%s has no password yet, and the second factor is locked with it; set one "
                   "with “rxdesk-cli user passwd %s” first", rx_user_get_username (user),
                   rx_user_get_username (user));
      return FALSE;
    }
  if (!rx_password_verify (hash, password))
    return refuse (db, id, "enrolment refused: wrong password", error,
                   RX_CORE_ERROR_PERMISSION, "Wrong password");

  if (gnutls_rnd (GNUTLS_RND_KEY, seed.bytes, sizeof seed.bytes) != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED,
                   "No random seed could be made (the crypto library failed)");
      return FALSE;
    }
  sealed = _rx_totp_seal (&seed, password, id, error);
  if (sealed == NULL)
    return FALSE;

  now = rx_db_now_iso (db);
  if (!rx_db_begin (db, error))
    return FALSE;
  again = load_record (db, id, &rec);
  row = again ? _rx_row_new_update ("user_totp", rec.id) : _rx_row_new_insert ("user_totp");
  if (!again)
    _rx_row_set_text (row, "user_id", id);
  _rx_row_set_text (row, "secret", sealed);
  _rx_row_set_text (row, "enrolled_at", now);
  _rx_row_set_int (row, "last_step", 0);
  if (again)
    _rx_row_set_int (row, "deleted", 0);

  if (!_rx_db_put (db, row, error) ||
      !_rx_db_audit (db, "totp-enrol", "users", id,
                     again ? "enrolled again; the earlier seed no longer works" : "enrolled",
                     error) ||
      !rx_db_commit (db, error))
    {
      rx_db_rollback (db);
      return FALSE;
    }

  encoded = rx_totp_base32_encode (seed.bytes, sizeof seed.bytes);
  *out_uri = make_uri (rx_user_get_username (user), encoded);
  g_debug ("User %s enrolled a second factor%s", id, again ? " again" : "");

  return TRUE;
}

static gboolean
well_formed (const char *code)
{
  if (code == NULL || strlen (code) != RX_TOTP_DIGITS)
    return FALSE;
  for (const char *p = code; *p; p++)
    if (*p < '0' || *p > '9')
      return FALSE;
  return TRUE;
}

/* The latest step in now_step ± 1 whose code is `code` and that comes after last_step, or -1;
 * *used says the code matched a step already taken. Each candidate is compared in full. */
static gint64
match_code (const RxTotpSeed *seed,
            const char       *code,
            gint64            now_step,
            gint64            last_step,
            gboolean         *used)
{
  gint64 accepted = -1;

  for (gint64 step = MAX (now_step - 1, 0); step <= now_step + 1; step++)
    {
      char expected[RX_TOTP_CODE_SIZE];
      guint diff = 0;

      if (!_rx_totp_code_for_step (seed->bytes, sizeof seed->bytes, step, RX_TOTP_DIGITS,
                                   expected))
        continue;
      for (guint i = 0; i < RX_TOTP_DIGITS; i++)
        diff |= (guint) (expected[i] ^ code[i]);
      gnutls_memset (expected, 0, sizeof expected);

      if (diff != 0)
        continue;
      if (step > last_step)
        accepted = step;
      else
        *used = TRUE;
    }

  return accepted;
}

gboolean
rx_totp_verify (RxDb        *db,
                const char  *user_id,
                const char  *password,
                const char  *code,
                GError     **error)
{
  g_autoptr(RxUser) user = NULL;
  g_auto(RxTotpSeed) seed = { { 0 } };
  g_auto(TotpRecord) rec = { 0 };
  g_auto(TotpRecord) current = { 0 };
  g_autoptr(RxRow) row = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *detail = NULL;
  const char *id;
  const char *name;
  gint64 now_step, accepted;
  gboolean used = FALSE;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  user = rx_users_find (db, user_id, error);
  if (user == NULL)
    return FALSE;
  id = rx_user_get_id (user);
  name = rx_user_get_username (user);
  if (!check_active (db, user, "code refused", error))
    return FALSE;

  if (!well_formed (code))
    return refuse (db, id, "malformed code", error, RX_CORE_ERROR_INVALID,
                   "A code is exactly %d digits, as the authenticator app shows it",
                   RX_TOTP_DIGITS);

  if (!load_record (db, id, &rec) || rec.deleted)
    return refuse (db, id, "not enrolled", error, RX_CORE_ERROR_NOT_FOUND,
                   "%s has no second factor; enrol an authenticator app with "
                   "“rxdesk-cli user totp-enrol %s”", name, name);

  if (!_rx_totp_open (rec.sealed, password, id, &seed, &local_error))
    return refuse (db, id,
                   local_error->code == RX_CORE_ERROR_PERMISSION ? "wrong password"
                                                                 : "seed cannot be opened",
                   error, local_error->code, "%s", local_error->message);

  now_step = MAX (rx_db_now (db), 0) / G_USEC_PER_SEC / RX_TOTP_PERIOD;
  accepted = match_code (&seed, code, now_step, rec.last_step, &used);
  _rx_totp_seed_clear (&seed);

  if (accepted < 0 && used)
    return refuse (db, id, "code already used", error, RX_CORE_ERROR_PERMISSION,
                   "This code was already used; wait for the next one (a new code comes "
                   "every %d seconds)", RX_TOTP_PERIOD);
  if (accepted < 0)
    return refuse (db, id, "wrong code", error, RX_CORE_ERROR_PERMISSION,
                   "The code is not right; check that the phone’s clock is correct and type "
                   "the code it shows now");

  /* Another process may have taken this step since the read: look again under the lock. */
  if (!rx_db_begin (db, error))
    return FALSE;
  if (!load_record (db, id, &current) || current.deleted ||
      g_strcmp0 (current.sealed, rec.sealed) != 0 || current.last_step >= accepted)
    {
      rx_db_rollback (db);
      return refuse (db, id, "code already used", error, RX_CORE_ERROR_PERMISSION,
                     "This code was already used; wait for the next one (a new code comes "
                     "every %d seconds)", RX_TOTP_PERIOD);
    }

  detail = g_strdup_printf ("accepted; clock drift %+d step", (int) (accepted - now_step));
  row = _rx_row_new_update ("user_totp", current.id);
  _rx_row_set_int (row, "last_step", accepted);
  if (!_rx_db_put (db, row, error) ||
      !_rx_db_audit (db, "totp-verify", "users", id, detail, error) ||
      !rx_db_commit (db, error))
    {
      rx_db_rollback (db);
      return FALSE;
    }

  g_debug ("Second factor accepted for user %s (%s)", id, detail);
  return TRUE;
}

gboolean
rx_totp_is_enrolled (RxDb       *db,
                     const char *user_id)
{
  sqlite3_stmt *stmt;
  gboolean enrolled = FALSE;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);

  stmt = _rx_db_prepare (db, "SELECT 1 FROM user_totp t JOIN users u ON u.id = t.user_id "
                             "WHERE (u.id = ?1 OR u.username = ?1) AND u.deleted = 0 "
                             "AND t.deleted = 0", NULL);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, user_id);
  enrolled = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return enrolled;
}

/* Private ------------------------------------------------------------------------------- */

gboolean
_rx_totp_rekey (RxDb        *db,
                const char  *user_id,
                const char  *old_password,
                const char  *new_password,
                GError     **error)
{
  g_autoptr(RxUser) user = NULL;
  g_auto(RxTotpSeed) seed = { { 0 } };
  g_auto(TotpRecord) rec = { 0 };
  g_autoptr(RxRow) row = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *sealed = NULL;
  const char *id;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (user_id != NULL && old_password != NULL && new_password != NULL, FALSE);

  user = rx_users_find (db, user_id, error);
  if (user == NULL)
    return FALSE;
  id = rx_user_get_id (user);

  if (!rx_db_begin (db, error))
    return FALSE;
  if (!load_record (db, id, &rec) || rec.deleted)
    return rx_db_commit (db, error);  /* nothing to carry over */

  if (!_rx_totp_open (rec.sealed, old_password, id, &seed, &local_error))
    {
      rx_db_rollback (db);
      return refuse (db, id, "re-encryption refused", error, local_error->code, "%s",
                     local_error->message);
    }
  sealed = _rx_totp_seal (&seed, new_password, id, error);
  if (sealed == NULL)
    {
      rx_db_rollback (db);
      return FALSE;
    }

  row = _rx_row_new_update ("user_totp", rec.id);
  _rx_row_set_text (row, "secret", sealed);
  if (!_rx_db_put (db, row, error) ||
      !_rx_db_audit (db, "totp-rekey", "users", id, "sealed under the new password", error) ||
      !rx_db_commit (db, error))
    {
      rx_db_rollback (db);
      return FALSE;
    }

  return TRUE;
}

gboolean
_rx_totp_forget (RxDb        *db,
                 const char  *user_id,
                 const char  *reason,
                 GError     **error)
{
  g_auto(TotpRecord) rec = { 0 };
  g_autoptr(RxRow) row = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (user_id != NULL && reason != NULL, FALSE);

  if (!rx_db_begin (db, error))
    return FALSE;
  if (!load_record (db, user_id, &rec) || rec.deleted)
    return rx_db_commit (db, error);

  /* the tombstone keeps no sealed seed: nobody could open it, and nobody should try */
  row = _rx_row_new_update ("user_totp", rec.id);
  _rx_row_set_int (row, "deleted", 1);
  _rx_row_set_text (row, "secret", "");
  if (!_rx_db_put (db, row, error) ||
      !_rx_db_audit (db, "totp-remove", "users", user_id, reason, error) ||
      !rx_db_commit (db, error))
    {
      rx_db_rollback (db);
      return FALSE;
    }

  g_debug ("Second factor of user %s removed: %s", user_id, reason);
  return TRUE;
}

gboolean
_rx_totp_peek_seed (RxDb        *db,
                    const char  *user_id,
                    const char  *password,
                    RxTotpSeed  *seed,
                    GError     **error)
{
  g_autoptr(RxUser) user = NULL;
  g_auto(TotpRecord) rec = { 0 };

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  user = rx_users_find (db, user_id, error);
  if (user == NULL)
    return FALSE;
  if (!load_record (db, rx_user_get_id (user), &rec) || rec.deleted)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND, "Not enrolled");
      return FALSE;
    }

  return _rx_totp_open (rec.sealed, password, rx_user_get_id (user), seed, error);
}
