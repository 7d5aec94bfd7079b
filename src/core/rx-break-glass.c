/* rx-break-glass.c: restricted records and emergency access to them. A doctor or pharmacist
 * who must open a restricted record in an emergency states why; the grant lasts a set time,
 * and both the grant and every read under it are in the audit trail for review. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-break-glass-private.h"
#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-validate.h"

char *
rx_break_glass_open (RxDb        *db,
                     const char  *patient_id,
                     const char  *reason,
                     guint        minutes,
                     GError     **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) until = NULL;
  g_autofree char *started = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *clean = NULL;
  RxUser *user;
  sqlite3_stmt *stmt;
  gboolean exists;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  user = rx_db_get_user (db);
  if (user == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                   "Emergency access is granted to a logged-in person; log in first");
      return NULL;
    }
  if (!_rx_db_require (db, RX_ACTION_BREAK_GLASS, error))
    return NULL;
  if (!rx_validate_text (reason, "The reason", 500, TRUE, error))
    return NULL;
  clean = g_strstrip (g_strdup (reason));
  if (g_utf8_strlen (clean, -1) < 10)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Emergency access needs a reason of at least 10 characters; say why this "
                   "record must be opened now");
      return NULL;
    }
  if (minutes == 0 || minutes > 240)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Emergency access lasts from 1 to 240 minutes");
      return NULL;
    }

  stmt = _rx_db_prepare (db, "SELECT 1 FROM patients WHERE id = ?1 AND deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, patient_id);
  exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (!exists)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no patient “%s”", patient_id ? patient_id : "");
      return NULL;
    }

  now = g_date_time_new_from_unix_utc (rx_db_now (db) / G_USEC_PER_SEC);
  until = g_date_time_add_minutes (now, minutes);
  started = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  expires = g_date_time_format (until, "%Y-%m-%dT%H:%M:%SZ");

  row = _rx_row_new_insert ("break_glass");
  _rx_row_set_text (row, "user_id", rx_user_get_id (user));
  _rx_row_set_text (row, "patient_id", patient_id);
  _rx_row_set_text (row, "reason", clean);
  _rx_row_set_text (row, "started_at", started);
  _rx_row_set_text (row, "expires_at", expires);

  detail = g_strdup_printf ("until %s: %s", expires, clean);
  if (!_rx_db_put_audited (db, row, "break-glass", detail, error))
    return NULL;

  return g_strdup (_rx_row_get_id (row));
}

gboolean
rx_break_glass_is_active (RxDb       *db,
                          const char *user_id,
                          const char *patient_id)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *at = NULL;
  sqlite3_stmt *stmt;
  gboolean active;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  now = g_date_time_new_from_unix_utc (rx_db_now (db) / G_USEC_PER_SEC);
  at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

  stmt = _rx_db_prepare (db, "SELECT 1 FROM break_glass WHERE user_id = ?1 AND patient_id = ?2 "
                             "AND deleted = 0 AND started_at <= ?3 AND expires_at > ?3", NULL);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, user_id);
  _rx_stmt_bind_text (stmt, 2, patient_id);
  _rx_stmt_bind_text (stmt, 3, at);
  active = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return active;
}

gboolean
rx_patients_set_restricted (RxDb        *db,
                            const char  *patient_id,
                            gboolean     restricted,
                            GError     **error)
{
  g_autoptr(RxRow) row = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (!_rx_db_require (db, RX_ACTION_USER_ADMIN, error))
    return FALSE;

  row = _rx_row_new_update ("patients", patient_id);
  _rx_row_set_int (row, "restricted", restricted ? 1 : 0);

  return _rx_db_put_audited (db, row, restricted ? "restrict" : "unrestrict", NULL, error);
}

/* May the logged-in person open this patient's record? Admin tools (no user) and admins may;
 * anyone else needs an active emergency grant for a restricted record. */
gboolean
_rx_patients_check_access (RxDb        *db,
                           const char  *patient_id,
                           gboolean     restricted,
                           GError     **error)
{
  RxUser *user = rx_db_get_user (db);

  if (!restricted || user == NULL || rx_user_get_role (user) == RX_ROLE_ADMIN)
    return TRUE;

  if (rx_break_glass_is_active (db, rx_user_get_id (user), patient_id))
    return TRUE;

  _rx_db_audit (db, "read-refused", "patients", patient_id, "restricted record", NULL);
  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
               "This is a restricted record; open it with emergency access and a reason, or "
               "ask an administrator");
  return FALSE;
}
