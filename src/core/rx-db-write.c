/* rx-db-write.c: the one way anything is written to a clinic database. Every write happens
 * between rx_db_begin() and rx_db_commit() and goes through _rx_db_put(), which stamps the
 * row (org, HLC, author) and appends its change-log entry in the same transaction; a commit
 * that wrote rows without an audit event is refused, so the three can never disagree. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-db-struct-private.h"
#include "rx-row-private.h"
#include "rx-uuid.h"

#define MAX_AHEAD_MS      (24 * 60 * 60 * 1000)
#define AUDIT_GENESIS     "0000000000000000000000000000000000000000000000000000000000000000"

/* Transactions --------------------------------------------------------------------------- */

gboolean
_rx_db_in_transaction (RxDb *self)
{
  return self->depth > 0;
}

gboolean
rx_db_begin (RxDb    *self,
             GError **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (RX_IS_DB (self), FALSE);

  if (self->depth == 0)
    {
      if (!_rx_db_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      self->wrote = FALSE;
      self->audited = FALSE;
    }
  else
    {
      sql = g_strdup_printf ("SAVEPOINT rx_%u", self->depth);
      if (!_rx_db_exec (self, sql, error))
        return FALSE;
      g_array_append_val (self->saved_flags, self->wrote);
      g_array_append_val (self->saved_flags, self->audited);
    }

  self->depth++;
  return TRUE;
}

gboolean
rx_db_commit (RxDb    *self,
              GError **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (RX_IS_DB (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth > 1)
    {
      sql = g_strdup_printf ("RELEASE rx_%u", self->depth - 1);
      if (!_rx_db_exec (self, sql, error))
        return FALSE;
      g_array_set_size (self->saved_flags, self->saved_flags->len - 2);
      self->depth--;
      return TRUE;
    }

  if (self->wrote && !self->audited)
    {
      g_critical ("A write to the clinic database was not audited; refusing to commit it");
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED,
                   "Internal error: a change was made without an audit record, so it was not "
                   "saved; please report this");
      return FALSE;
    }

  if (self->hlc_dirty)
    {
      g_autofree char *hlc = g_strdup_printf ("%012" G_GINT64_MODIFIER "x.%04x.%s",
                                              self->hlc.wall_ms, self->hlc.counter,
                                              self->hlc.node);
      if (!_rx_db_set_meta (self, "hlc", hlc, error))
        return FALSE;
    }

  if (!_rx_db_exec (self, "COMMIT", error))
    return FALSE;

  g_array_set_size (self->saved_flags, 0);

  self->hlc_dirty = FALSE;
  self->depth = 0;
  return TRUE;
}

void
rx_db_rollback (RxDb *self)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (RX_IS_DB (self));

  if (self->depth == 0)
    return;

  if (self->depth > 1)
    {
      guint n = self->saved_flags->len;

      sql = g_strdup_printf ("ROLLBACK TO rx_%u; RELEASE rx_%u", self->depth - 1, self->depth - 1);
      sqlite3_exec (self->handle, sql, NULL, NULL, NULL);
      /* what the undone work wrote or audited no longer counts */
      self->wrote = g_array_index (self->saved_flags, gboolean, n - 2);
      self->audited = g_array_index (self->saved_flags, gboolean, n - 1);
      g_array_set_size (self->saved_flags, n - 2);
    }
  else
    {
      sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
      g_array_set_size (self->saved_flags, 0);
    }

  self->depth--;
  /* Whatever the rolled-back work appended to the audit chain is gone. */
  g_clear_pointer (&self->audit_head, g_free);
}

/* Writes --------------------------------------------------------------------------------- */

static void
bind_column (sqlite3_stmt   *stmt,
             int             index,
             const RxColumn *col)
{
  switch (col->type)
    {
    case RX_COLUMN_TEXT:
      sqlite3_bind_text (stmt, index, col->text, -1, SQLITE_STATIC);
      break;

    case RX_COLUMN_INT:
      sqlite3_bind_int64 (stmt, index, col->integer);
      break;

    case RX_COLUMN_NULL:
    default:
      sqlite3_bind_null (stmt, index);
      break;
    }
}

/* The change-log payload is built by SQLite's json_object() from the same bound values, so
 * quoting is SQLite's job and the entry matches the row byte for byte. */
static gboolean
append_change (RxDb        *self,
               RxRow       *row,
               const char  *hlc,
               GError     **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *op_id = rx_uuid7_new (rx_db_now (self) / 1000);
  sqlite3_stmt *stmt;
  guint n = row->columns->len;

  g_string_append (sql, "INSERT INTO change_log (op_id, entity, row_id, hlc, author, payload) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, json_object ('id', ?3");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (sql, ", '%s', ?%u",
                            g_array_index (row->columns, RxColumn, i).name, i + 6);
  g_string_append (sql, "))");

  stmt = _rx_db_prepare (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row->table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, row->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, hlc, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, self->actor, -1, SQLITE_STATIC);
  for (guint i = 0; i < n; i++)
    bind_column (stmt, i + 6, &g_array_index (row->columns, RxColumn, i));

  return _rx_db_step_done (self, stmt, "Recording the change for sync", error);
}

gboolean
_rx_db_put (RxDb    *self,
            RxRow   *row,
            GError **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *hlc = NULL;
  g_autofree char *what = NULL;
  sqlite3_stmt *stmt;
  guint n;
  int rc;

  g_return_val_if_fail (RX_IS_DB (self), FALSE);
  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);
  g_return_val_if_fail (self->org_id != NULL, FALSE);

  n = row->columns->len;
  if (row->id == NULL)
    row->id = rx_uuid7_new (rx_db_now (self) / 1000);

  hlc = rx_hlc_tick (&self->hlc, rx_db_now (self) / 1000);
  self->hlc_dirty = TRUE;

  if (row->is_insert)
    {
      g_string_append_printf (sql, "INSERT INTO %s (id, org_id, updated_hlc, updated_by",
                              row->table);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (sql, ", %s", g_array_index (row->columns, RxColumn, i).name);
      g_string_append (sql, ") VALUES (?1, ?2, ?3, ?4");
      for (guint i = 0; i < n; i++)
        g_string_append_printf (sql, ", ?%u", i + 5);
      g_string_append (sql, ")");
    }
  else
    {
      g_string_append_printf (sql, "UPDATE %s SET updated_hlc = ?3, updated_by = ?4", row->table);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (sql, ", %s = ?%u",
                                g_array_index (row->columns, RxColumn, i).name, i + 5);
      g_string_append (sql, " WHERE id = ?1 AND org_id = ?2");
    }

  stmt = _rx_db_prepare (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, row->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, self->org_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, hlc, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, self->actor, -1, SQLITE_STATIC);
  for (guint i = 0; i < n; i++)
    bind_column (stmt, i + 5, &g_array_index (row->columns, RxColumn, i));

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      what = g_strdup_printf ("Saving to %s", row->table);
      return _rx_db_sqlite_error (self, sqlite3_extended_errcode (self->handle), what, error);
    }

  if (!row->is_insert && sqlite3_changes (self->handle) == 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no record %s in %s to change", row->id, row->table);
      return FALSE;
    }

  if (!append_change (self, row, hlc, error))
    return FALSE;

  if (g_strcmp0 (row->table, "audit_events") != 0)
    self->wrote = TRUE;

  return TRUE;
}

/* One row and its audit event in a transaction of their own (or the caller's): the shape of
 * most single edits. */
gboolean
_rx_db_put_audited (RxDb        *self,
                    RxRow       *row,
                    const char  *action,
                    const char  *detail,
                    GError     **error)
{
  if (!rx_db_begin (self, error))
    return FALSE;

  if (!_rx_db_put (self, row, error) ||
      !_rx_db_audit (self, action, row->table, row->id, detail, error) ||
      !rx_db_commit (self, error))
    {
      rx_db_rollback (self);
      return FALSE;
    }

  return TRUE;
}

/* Audit ---------------------------------------------------------------------------------- */

static const char *
audit_head (RxDb *self)
{
  sqlite3_stmt *stmt;

  if (self->audit_head != NULL)
    return self->audit_head;

  stmt = _rx_db_prepare (self,
                         "SELECT hash FROM audit_events WHERE workstation = ?1 "
                         "ORDER BY rowid DESC LIMIT 1", NULL);
  g_assert (stmt != NULL);
  _rx_stmt_bind_text (stmt, 1, self->node_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    self->audit_head = _rx_stmt_dup_text (stmt, 0);
  else
    self->audit_head = g_strdup (AUDIT_GENESIS);
  sqlite3_reset (stmt);

  return self->audit_head;
}

gboolean
_rx_db_audit (RxDb        *self,
              const char  *action,
              const char  *entity,
              const char  *entity_id,
              const char  *detail,
              GError     **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autofree char *id = NULL;
  g_autofree char *at = NULL;
  g_autofree char *prev = NULL;
  g_autofree char *hash = NULL;
  gboolean own_txn;

  g_return_val_if_fail (RX_IS_DB (self), FALSE);
  g_return_val_if_fail (action != NULL && entity != NULL, FALSE);

  /* A read (patient opened, search made) is audited in a transaction of its own. */
  own_txn = self->depth == 0;
  if (own_txn && !rx_db_begin (self, error))
    return FALSE;

  id = rx_uuid7_new (rx_db_now (self) / 1000);
  at = rx_db_now_iso (self);
  prev = g_strdup (audit_head (self));
  hash = _rx_audit_hash (prev, id, at, self->actor, self->node_id, action, entity,
                         entity_id, detail);

  row = _rx_row_new_insert_with_id ("audit_events", id);
  _rx_row_set_text (row, "at", at);
  _rx_row_set_text (row, "actor", self->actor);
  _rx_row_set_text (row, "workstation", self->node_id);
  _rx_row_set_text (row, "action", action);
  _rx_row_set_text (row, "entity", entity);
  _rx_row_set_text (row, "entity_id", entity_id);
  _rx_row_set_text (row, "detail", detail);
  _rx_row_set_text (row, "prev_hash", prev);
  _rx_row_set_text (row, "hash", hash);

  if (!_rx_db_put (self, row, error))
    {
      if (own_txn)
        rx_db_rollback (self);
      return FALSE;
    }

  g_free (self->audit_head);
  self->audit_head = g_steal_pointer (&hash);
  self->audited = TRUE;

  if (own_txn && !rx_db_commit (self, error))
    {
      rx_db_rollback (self);
      return FALSE;
    }

  return TRUE;
}

/* Sync ----------------------------------------------------------------------------------- */

/* A timestamp that arrived from another workstation: our next write must order after it. */
void
_rx_db_observe_hlc (RxDb       *self,
                    const char *hlc)
{
  gint64 now_ms = rx_db_now (self) / 1000;
  gint64 wall_ms;

  /* A timestamp more than a day ahead is a workstation whose clock is wrong (or a hostile
   * server): following it would drag this clock, and every write after, into the future. */
  if (!rx_hlc_parse (hlc, &wall_ms, NULL, NULL) || wall_ms > now_ms + MAX_AHEAD_MS)
    {
      g_warning ("Ignoring the clock of a change stamped %s: it is more than a day ahead of "
                 "this workstation; check the clocks of the clinic's computers", hlc);
      return;
    }

  if (rx_hlc_observe (&self->hlc, hlc, now_ms))
    self->hlc_dirty = TRUE;
}
