/* rx-change-log.c: reading the change log for sync. Entries are appended by the write path in
 * rx-db.c, in the same transaction as the rows they describe; here they are read in order and
 * marked once the server has accepted them, never deleted before that. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-change-log.h"
#include "rx-core-error.h"
#include "rx-db-private.h"

void
rx_change_free (RxChange *change)
{
  if (change == NULL)
    return;

  g_free (change->op_id);
  g_free (change->entity);
  g_free (change->row_id);
  g_free (change->hlc);
  g_free (change->author);
  g_free (change->payload);
  g_free (change);
}

/* A change from a statement whose columns are seq, op_id, entity, row_id, hlc, author,
 * payload (the change log, or changes parked for later). */
RxChange *
_rx_change_read (sqlite3_stmt *stmt)
{
  RxChange *c = g_new0 (RxChange, 1);

  c->seq = sqlite3_column_int64 (stmt, 0);
  c->op_id = _rx_stmt_dup_text (stmt, 1);
  c->entity = _rx_stmt_dup_text (stmt, 2);
  c->row_id = _rx_stmt_dup_text (stmt, 3);
  c->hlc = _rx_stmt_dup_text (stmt, 4);
  c->author = _rx_stmt_dup_text (stmt, 5);
  c->payload = _rx_stmt_dup_text (stmt, 6);

  return c;
}

GPtrArray *
rx_change_log_pending (RxDb     *db,
                       gint64    after_seq,
                       guint     limit,
                       GError  **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_change_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  stmt = _rx_db_prepare (db,
                         "SELECT seq, op_id, entity, row_id, hlc, author, payload FROM change_log "
                         "WHERE pushed_seq IS NULL AND seq > ?1 ORDER BY seq LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int (stmt, 2, limit ? limit : 500);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (changes, _rx_change_read (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Reading the change log", error);
      return NULL;
    }

  return g_steal_pointer (&changes);
}

/* Bookkeeping of sync, not a change to clinical data: no change-log entry of its own. */
gboolean
rx_change_log_mark_pushed (RxDb     *db,
                           gint64    seq,
                           gint64    server_seq,
                           GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (server_seq > 0, FALSE);

  stmt = _rx_db_prepare (db, "UPDATE change_log SET pushed_seq = ?2 WHERE seq = ?1 "
                             "AND pushed_seq IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_int64 (stmt, 2, server_seq);

  if (!_rx_db_step_done (db, stmt, "Recording what the server accepted", error))
    return FALSE;

  if (sqlite3_changes (_rx_db_get_handle (db)) == 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "Change %" G_GINT64_FORMAT " is not waiting to be pushed", seq);
      return FALSE;
    }

  return TRUE;
}
