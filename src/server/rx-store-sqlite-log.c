/* rx-store-sqlite-log.c: the SQLite store's entries log and merged rows. An entry takes the
 * organisation's next sequence number in the same transaction that stores it, so numbers run
 * without gaps and a rolled-back push leaves none behind. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include <json-glib/json-glib.h>

#include "rx-server-error.h"
#include "rx-store-sqlite-private.h"

gint64
_rx_store_sqlite_entry_find (RxStore     *store,
                             const char  *org_id,
                             const char  *op_id,
                             GError     **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;
  gint64 seq = 0;
  int rc;

  stmt = _rx_store_sqlite_prepare (self, "SELECT seq FROM entries "
                                         "WHERE org_id = ?1 AND op_id = ?2", error);
  if (stmt == NULL)
    return -1;
  _rx_store_sqlite_bind_text (stmt, 1, org_id);
  _rx_store_sqlite_bind_text (stmt, 2, op_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _rx_store_sqlite_fail (self, rc, "Looking up an entry", error);
      return -1;
    }

  return seq;
}

gint64
_rx_store_sqlite_entry_append (RxStore             *store,
                               const char          *org_id,
                               const RxStoreEntry  *entry,
                               GError             **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;
  gint64 seq = -1;
  int rc;

  g_return_val_if_fail (self->in_transaction, -1);

  stmt = _rx_store_sqlite_prepare (self, "UPDATE organisations SET head_seq = head_seq + 1 "
                                         "WHERE id = ?1 RETURNING head_seq", error);
  if (stmt == NULL)
    return -1;
  _rx_store_sqlite_bind_text (stmt, 1, org_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  while (rc == SQLITE_ROW)
    rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rx_store_sqlite_fail (self, rc, "Numbering an entry", error);
      return -1;
    }
  if (seq < 0)
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_NOT_FOUND,
                   "There is no organisation %s", org_id);
      return -1;
    }

  stmt = _rx_store_sqlite_prepare (self, "INSERT INTO entries (org_id, seq, op_id, entity, "
                                         "row_id, hlc, author, payload, received_at) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  if (stmt == NULL)
    return -1;
  _rx_store_sqlite_bind_text (stmt, 1, org_id);
  sqlite3_bind_int64 (stmt, 2, seq);
  _rx_store_sqlite_bind_text (stmt, 3, entry->op_id);
  _rx_store_sqlite_bind_text (stmt, 4, entry->entity);
  _rx_store_sqlite_bind_text (stmt, 5, entry->row_id);
  _rx_store_sqlite_bind_text (stmt, 6, entry->hlc);
  _rx_store_sqlite_bind_text (stmt, 7, entry->author);
  _rx_store_sqlite_bind_text (stmt, 8, entry->payload);
  sqlite3_bind_int64 (stmt, 9, entry->received_at);
  if (!_rx_store_sqlite_step_done (self, stmt, "Storing an entry", error))
    return -1;

  return seq;
}

/* The table names go in as one bound JSON array (NULL: every table), so the query never
 * changes shape. */
GPtrArray *
_rx_store_sqlite_entries_after (RxStore             *store,
                                const char          *org_id,
                                gint64               since,
                                const char * const  *entities,
                                guint                limit,
                                GError             **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *names = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (entities != NULL)
    {
      json_builder_begin_array (builder);
      for (guint i = 0; entities[i] != NULL; i++)
        json_builder_add_string_value (builder, entities[i]);
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (gen, root);
      names = json_generator_to_data (gen, NULL);
    }

  stmt = _rx_store_sqlite_prepare (self, "SELECT seq, op_id, entity, row_id, hlc, author, "
                                         "payload, received_at FROM entries "
                                         "WHERE org_id = ?1 AND seq > ?2 "
                                         "AND (?3 IS NULL OR "
                                         "     entity IN (SELECT value FROM json_each (?3))) "
                                         "ORDER BY seq LIMIT ?4", error);
  if (stmt == NULL)
    return NULL;
  _rx_store_sqlite_bind_text (stmt, 1, org_id);
  sqlite3_bind_int64 (stmt, 2, since);
  _rx_store_sqlite_bind_text (stmt, 3, names);
  sqlite3_bind_int64 (stmt, 4, limit);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_store_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RxStoreEntry *e = g_new0 (RxStoreEntry, 1);

      e->seq = sqlite3_column_int64 (stmt, 0);
      e->op_id = _rx_store_sqlite_dup (stmt, 1);
      e->entity = _rx_store_sqlite_dup (stmt, 2);
      e->row_id = _rx_store_sqlite_dup (stmt, 3);
      e->hlc = _rx_store_sqlite_dup (stmt, 4);
      e->author = _rx_store_sqlite_dup (stmt, 5);
      e->payload = _rx_store_sqlite_dup (stmt, 6);
      e->received_at = sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (entries, e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rx_store_sqlite_fail (self, rc, "Reading entries", error);
      return NULL;
    }

  return g_steal_pointer (&entries);
}

/* Merged rows ----------------------------------------------------------------------------- */

static RxStoreRow *
read_row (sqlite3_stmt *stmt)
{
  RxStoreRow *row = g_new0 (RxStoreRow, 1);

  row->entity = _rx_store_sqlite_dup (stmt, 0);
  row->row_id = _rx_store_sqlite_dup (stmt, 1);
  row->lookup = _rx_store_sqlite_dup (stmt, 2);
  row->hlc = _rx_store_sqlite_dup (stmt, 3);
  row->data = _rx_store_sqlite_dup (stmt, 4);
  row->clocks = _rx_store_sqlite_dup (stmt, 5);

  return row;
}

RxStoreRow *
_rx_store_sqlite_row_get (RxStore     *store,
                          const char  *org_id,
                          const char  *entity,
                          const char  *row_id,
                          GError     **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "SELECT entity, row_id, lookup, hlc, data, clocks "
                                         "FROM merged_rows "
                                         "WHERE org_id = ?1 AND entity = ?2 AND row_id = ?3",
                                   error);
  if (stmt == NULL)
    return NULL;
  _rx_store_sqlite_bind_text (stmt, 1, org_id);
  _rx_store_sqlite_bind_text (stmt, 2, entity);
  _rx_store_sqlite_bind_text (stmt, 3, row_id);
  return _rx_store_sqlite_read_one (self, stmt, (RxStoreReadFunc) read_row, "Reading a row",
                                    error);
}

GPtrArray *
_rx_store_sqlite_rows_find (RxStore     *store,
                            const char  *org_id,
                            const char  *entity,
                            const char  *lookup,
                            GError     **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "SELECT entity, row_id, lookup, hlc, data, clocks "
                                         "FROM merged_rows "
                                         "WHERE org_id = ?1 AND entity = ?2 AND lookup = ?3 "
                                         "ORDER BY hlc DESC", error);
  if (stmt == NULL)
    return NULL;
  _rx_store_sqlite_bind_text (stmt, 1, org_id);
  _rx_store_sqlite_bind_text (stmt, 2, entity);
  _rx_store_sqlite_bind_text (stmt, 3, lookup);

  return _rx_store_sqlite_read_all (self, stmt, (RxStoreReadFunc) read_row,
                                    (GDestroyNotify) rx_store_row_free, "Finding rows", error);
}

gboolean
_rx_store_sqlite_row_put (RxStore           *store,
                          const char        *org_id,
                          const RxStoreRow  *row,
                          GError           **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "INSERT INTO merged_rows (org_id, entity, row_id, "
                                         "lookup, hlc, data, clocks) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                                         "ON CONFLICT (org_id, entity, row_id) DO UPDATE SET "
                                         "lookup = excluded.lookup, hlc = excluded.hlc, "
                                         "data = excluded.data, clocks = excluded.clocks",
                                   error);
  if (stmt == NULL)
    return FALSE;
  _rx_store_sqlite_bind_text (stmt, 1, org_id);
  _rx_store_sqlite_bind_text (stmt, 2, row->entity);
  _rx_store_sqlite_bind_text (stmt, 3, row->row_id);
  _rx_store_sqlite_bind_text (stmt, 4, row->lookup);
  _rx_store_sqlite_bind_text (stmt, 5, row->hlc);
  _rx_store_sqlite_bind_text (stmt, 6, row->data);
  _rx_store_sqlite_bind_text (stmt, 7, row->clocks);

  return _rx_store_sqlite_step_done (self, stmt, "Saving a row", error);
}
