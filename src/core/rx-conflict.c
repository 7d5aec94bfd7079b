/* rx-conflict.c: listing and resolving sync conflicts. Conflicts are raised while pulled
 * entries are applied (rx-sync-apply.c), under the same id on every workstation; resolving
 * one is an ordinary audited write that travels like any other, carrying the whole row so
 * that a workstation which has not detected it yet still learns of it. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-conflict.h"
#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-role.h"

static const char * const actions[] = {
  "acknowledged", "corrected", "recovered", "written_off", NULL
};

void
rx_conflict_free (RxConflict *c)
{
  if (c == NULL)
    return;

  g_free (c->id);
  g_free (c->kind);
  g_free (c->entity);
  g_free (c->entity_id);
  g_free (c->detail);
  g_free (c->state);
  g_free (c->detected_at);
  g_free (c->resolution);
  g_free (c->note);
  g_free (c->resolved_by);
  g_free (c->resolved_at);
  g_free (c);
}

#define COLUMNS "id, kind, entity, entity_id, detail, state, detected_at, resolution, note, " \
                "resolved_by, resolved_at"

static RxConflict *
from_row (sqlite3_stmt *stmt)
{
  RxConflict *c = g_new0 (RxConflict, 1);

  c->id = _rx_stmt_dup_text (stmt, 0);
  c->kind = _rx_stmt_dup_text (stmt, 1);
  c->entity = _rx_stmt_dup_text (stmt, 2);
  c->entity_id = _rx_stmt_dup_text (stmt, 3);
  c->detail = _rx_stmt_dup_text (stmt, 4);
  c->state = _rx_stmt_dup_text (stmt, 5);
  c->detected_at = _rx_stmt_dup_text (stmt, 6);
  c->resolution = _rx_stmt_dup_text (stmt, 7);
  c->note = _rx_stmt_dup_text (stmt, 8);
  c->resolved_by = _rx_stmt_dup_text (stmt, 9);
  c->resolved_at = _rx_stmt_dup_text (stmt, 10);

  return c;
}

GPtrArray *
rx_conflicts_list (RxDb      *db,
                   gboolean   open_only,
                   GError   **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_conflict_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  stmt = _rx_db_prepare (db, "SELECT " COLUMNS " FROM conflicts WHERE deleted = 0 "
                             "AND (?1 = 0 OR state = 'open') ORDER BY detected_at, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, open_only);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, from_row (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Reading the sync conflicts", error);
      return NULL;
    }

  return g_steal_pointer (&list);
}

gint64
rx_conflicts_count_open (RxDb *db)
{
  return _rx_db_query_int (db, "SELECT count(*) FROM conflicts WHERE state = 'open' "
                               "AND deleted = 0");
}

static RxConflict *
lookup (RxDb        *db,
        const char  *id,
        GError     **error)
{
  sqlite3_stmt *stmt;
  RxConflict *c = NULL;

  stmt = _rx_db_prepare (db, "SELECT " COLUMNS " FROM conflicts WHERE id = ?1 OR id LIKE ?2 "
                             "LIMIT 2", error);
  if (stmt == NULL)
    return NULL;
  {
    g_autofree char *prefix = g_strdup_printf ("%s%%", id);
    _rx_stmt_bind_text (stmt, 1, id);
    _rx_stmt_bind_text (stmt, 2, strlen (id) >= 8 ? prefix : id);
  }

  if (sqlite3_step (stmt) == SQLITE_ROW)
    c = from_row (stmt);
  if (c != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_clear_pointer (&c, rx_conflict_free);
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "More than one conflict starts with \"%s\"; give more of its id", id);
    }
  else if (c == NULL)
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                 "There is no conflict %s; `conflict list` shows them", id);
  sqlite3_reset (stmt);

  return c;
}

gboolean
rx_conflicts_resolve (RxDb        *db,
                      const char  *id,
                      const char  *action,
                      const char  *note,
                      GError     **error)
{
  g_autoptr(RxConflict) c = NULL;
  g_autoptr(RxRow) row = NULL;
  g_autofree char *now = NULL;
  RxUser *user;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (id != NULL && action != NULL, FALSE);

  user = rx_db_get_user (db);
  if (user != NULL && !rx_role_can (rx_user_get_role (user), RX_ACTION_DISPENSE) &&
      !rx_role_can (rx_user_get_role (user), RX_ACTION_USER_ADMIN))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                   "Only a pharmacist or an administrator may resolve a sync conflict");
      return FALSE;
    }

  if (!g_strv_contains (actions, action))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) actions);
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "\"%s\" is not a way to resolve a conflict; use one of %s", action, list);
      return FALSE;
    }

  c = lookup (db, id, error);
  if (c == NULL)
    return FALSE;

  if (g_strcmp0 (c->state, "open") != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Conflict %s was already resolved (%s) on %s", c->id, c->resolution,
                   c->resolved_at);
      return FALSE;
    }

  now = rx_db_now_iso (db);
  row = _rx_row_new_update ("conflicts", c->id);
  _rx_row_set_text (row, "kind", c->kind);
  _rx_row_set_text (row, "entity", c->entity);
  _rx_row_set_text (row, "entity_id", c->entity_id);
  _rx_row_set_text (row, "detail", c->detail);
  _rx_row_set_text (row, "detected_at", c->detected_at);
  _rx_row_set_text (row, "state", "resolved");
  _rx_row_set_text (row, "resolution", action);
  _rx_row_set_text (row, "note", note);
  _rx_row_set_text (row, "resolved_by", rx_db_get_actor (db));
  _rx_row_set_text (row, "resolved_at", now);

  return _rx_db_put_audited (db, row, "resolve", note != NULL ? note : action, error);
}
