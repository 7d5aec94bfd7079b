/* rx-sync-push.c: which local changes are ready for the server. Everything not yet accepted
 * waits in the change log; an unsigned prescription (a draft, or one cancelled before it was
 * signed) stays on this workstation, because the server only takes signed ones. A change
 * the server refused keeps its reason and is never dropped. */
#define G_LOG_DOMAIN "rx-sync"

#include "config.h"

#include <json-glib/json-glib.h>

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-sync-rules.h"
#include "rx-sync.h"

#define UNSIGNED_RX \
  "(SELECT p.id FROM prescriptions p WHERE NOT EXISTS " \
  "(SELECT 1 FROM prescription_signatures s WHERE s.prescription_id = p.id))"

#define PUSHABLE \
  "c.pushed_seq IS NULL AND c.remote = 0 AND c.push_error IS NULL " \
  "AND NOT (c.entity = 'prescriptions' AND c.row_id IN " UNSIGNED_RX ") " \
  "AND NOT (c.entity IN ('prescription_items', 'prescription_events', 'safety_overrides') AND " \
  "json_extract (c.payload, '$.prescription_id') IN " UNSIGNED_RX ") " \
  "AND NOT (c.entity = 'prescription_items' AND NOT json_type (c.payload, '$.prescription_id') " \
  "IS NOT NULL AND (SELECT i.prescription_id FROM prescription_items i WHERE i.id = c.row_id) " \
  "IN " UNSIGNED_RX ") "

GPtrArray *
rx_change_log_pushable (RxDb        *db,
                        gint64       after_seq,
                        guint        limit,
                        const char  *author,
                        GError     **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_change_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  stmt = _rx_db_prepare (db,
                         "SELECT c.seq, c.op_id, c.entity, c.row_id, c.hlc, c.author, c.payload "
                         "FROM change_log c WHERE c.seq > ?1 AND (?3 IS NULL OR c.author = ?3) AND "
                         PUSHABLE "ORDER BY c.seq LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int (stmt, 2, limit ? limit : 500);
  _rx_stmt_bind_text (stmt, 3, author);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (changes, _rx_change_read (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Reading the changes waiting for the server", error);
      return NULL;
    }

  return g_steal_pointer (&changes);
}

gint64
rx_change_log_count_pushable (RxDb *db)
{
  g_return_val_if_fail (RX_IS_DB (db), -1);

  return _rx_db_query_int (db, "SELECT count(*) FROM change_log c WHERE " PUSHABLE);
}

gboolean
rx_change_log_mark_refused (RxDb        *db,
                            gint64       seq,
                            const char  *reason,
                            GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  stmt = _rx_db_prepare (db, "UPDATE change_log SET push_error = ?2 WHERE seq = ?1 "
                             "AND pushed_seq IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  _rx_stmt_bind_text (stmt, 2, reason);

  return _rx_db_step_done (db, stmt, "Recording why the server refused a change", error);
}

/* The payload as it may leave this workstation. */
char *
rx_change_strip_local_fields (const RxChange *change)
{
  const RxSyncEntity *rules = rx_sync_entity_lookup (change->entity);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  if (rules == NULL || rules->local_fields == NULL)
    return g_strdup (change->payload);

  root = json_from_string (change->payload, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return g_strdup (change->payload);

  object = json_node_get_object (root);
  for (guint i = 0; rules->local_fields[i] != NULL; i++)
    json_object_remove_member (object, rules->local_fields[i]);

  return json_to_string (root, FALSE);
}

/* A user's row as a change-log payload: what enrolling a clinic into an empty organisation
 * hands the server so that it knows its first administrator. */
char *
rx_sync_user_payload (RxDb        *db,
                      const char  *username,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  char *payload = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  stmt = _rx_db_prepare (db,
                         "SELECT json_object ('id', id, 'org_id', org_id, 'username', username, "
                         "'full_name', full_name, 'role', role, 'state', state, "
                         "'password_hash', password_hash, 'site_id', site_id, "
                         "'created_at', created_at) FROM users WHERE username = ?1 AND deleted = 0",
                         error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, username);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    payload = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  if (payload == NULL)
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                 "There is no user \"%s\" in this clinic; `user list` shows who there is",
                 username);
  return payload;
}

gint64
rx_change_log_count_refused (RxDb *db)
{
  g_return_val_if_fail (RX_IS_DB (db), -1);

  return _rx_db_query_int (db, "SELECT count(*) FROM change_log WHERE pushed_seq IS NULL "
                               "AND push_error IS NOT NULL");
}

/* A digest of everything this workstation holds that sync converges (every synced table but
 * the conflicts each workstation raises for itself, without fields that stay local): two
 * workstations of one organisation that see the same tables agree on it once in sync. */
char *
rx_sync_digest (RxDb     *db,
                GError  **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  const RxSyncEntity *entities;
  guint n;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  entities = rx_sync_entities (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GString) sql = g_string_new ("SELECT json_array (");
      g_autofree char *cols_sql = g_strdup_printf ("SELECT name FROM pragma_table_info ('%s') "
                                                   "ORDER BY name", entities[i].name);
      sqlite3_stmt *stmt;
      gboolean first = TRUE;
      int rc;

      if (g_str_equal (entities[i].name, "conflicts"))
        continue;

      stmt = _rx_db_prepare (db, cols_sql, error);
      if (stmt == NULL)
        return NULL;
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *col = (const char *) sqlite3_column_text (stmt, 0);

          if (rx_sync_is_local_field (entities[i].name, col))
            continue;
          g_string_append_printf (sql, "%s%s", first ? "" : ", ", col);
          first = FALSE;
        }
      sqlite3_reset (stmt);
      g_string_append_printf (sql, ") FROM %s ORDER BY id", entities[i].name);

      stmt = _rx_db_prepare (db, sql->str, error);
      if (stmt == NULL)
        return NULL;
      g_checksum_update (sum, (const guchar *) entities[i].name, -1);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_checksum_update (sum, sqlite3_column_text (stmt, 0), -1);
          g_checksum_update (sum, (const guchar *) "\n", 1);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _rx_db_sqlite_error (db, rc, "Computing the clinic's digest", error);
          return NULL;
        }
    }

  return g_strdup (g_checksum_get_string (sum));
}

/* Changes whenever another connection commits to this clinic file: how a background syncer
 * notices new local work without being told. */
gint64
rx_sync_data_version (RxDb *db)
{
  g_return_val_if_fail (RX_IS_DB (db), -1);

  return _rx_db_query_int (db, "PRAGMA data_version");
}
