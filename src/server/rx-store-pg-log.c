/* rx-store-pg-log.c: the PostgreSQL store's entries log and merged rows.
 *
 * Sequence numbers come from the organisation's row (head_seq), read FOR UPDATE by the first
 * entry of a transaction and written back at its end. The row stays locked until the
 * transaction ends, so pushers of one organisation take turns across every process: a number
 * is handed out only after everything below it is committed, and a pull (which reads only
 * committed rows) can never see N+1 without N. A rolled-back push gives its numbers back.
 *
 * Entries of a transaction are held and written with one multi-row INSERT (arrays bound as
 * parameters and unnested) when it commits or reads the log, instead of a round trip each. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include "rx-server-error.h"
#include "rx-store-pg-private.h"

/* Entries held before they are written anyway, to bound the statement's size. */
#define FLUSH_AT 1000

void
_rx_pg_conn_forget_pending (RxPgConn *c)
{
  g_clear_pointer (&c->pending, g_ptr_array_unref);
  g_clear_pointer (&c->pending_ops, g_hash_table_unref);
  g_clear_pointer (&c->held_org, g_free);
  c->head = 0;
}

/* One element of a PostgreSQL array literal: quoted, with quotes and backslashes escaped;
 * NULL is SQL NULL. */
void
_rx_pg_array_add (GString    *array,
                  const char *value)
{
  if (array->len > 1)
    g_string_append_c (array, ',');
  if (value == NULL)
    {
      g_string_append (array, "NULL");
      return;
    }
  g_string_append_c (array, '"');
  for (const char *s = value; *s != '\0'; s++)
    {
      if (*s == '"' || *s == '\\')
        g_string_append_c (array, '\\');
      g_string_append_c (array, *s);
    }
  g_string_append_c (array, '"');
}

static void
add_number (GString *array,
            gint64   value)
{
  if (array->len > 1)
    g_string_append_c (array, ',');
  g_string_append_printf (array, "%" G_GINT64_FORMAT, value);
}

char *
_rx_pg_array_end (GString *array)
{
  g_string_append_c (array, '}');
  return g_string_free (array, FALSE);
}

gboolean
_rx_store_pg_flush (RxStorePg  *self,
                    RxPgConn   *c,
                    GError    **error)
{
  GString *seqs, *ops, *entities, *rows, *hlcs, *authors, *payloads, *received;
  g_auto(RxPgParams) p = { 0, };
  g_auto(RxPgParams) head = { 0, };
  g_autoptr(PGresult) inserted = NULL;
  g_autoptr(PGresult) moved = NULL;

  if (c->pending == NULL || c->pending->len == 0)
    return TRUE;

  seqs = g_string_new ("{");
  ops = g_string_new ("{");
  entities = g_string_new ("{");
  rows = g_string_new ("{");
  hlcs = g_string_new ("{");
  authors = g_string_new ("{");
  payloads = g_string_new ("{");
  received = g_string_new ("{");
  for (guint i = 0; i < c->pending->len; i++)
    {
      RxStoreEntry *e = g_ptr_array_index (c->pending, i);

      add_number (seqs, e->seq);
      _rx_pg_array_add (ops, e->op_id);
      _rx_pg_array_add (entities, e->entity);
      _rx_pg_array_add (rows, e->row_id);
      _rx_pg_array_add (hlcs, e->hlc);
      _rx_pg_array_add (authors, e->author);
      _rx_pg_array_add (payloads, e->payload);
      add_number (received, e->received_at);
    }
  _rx_pg_text (&p, c->held_org);
  _rx_pg_take (&p, _rx_pg_array_end (seqs));
  _rx_pg_take (&p, _rx_pg_array_end (ops));
  _rx_pg_take (&p, _rx_pg_array_end (entities));
  _rx_pg_take (&p, _rx_pg_array_end (rows));
  _rx_pg_take (&p, _rx_pg_array_end (hlcs));
  _rx_pg_take (&p, _rx_pg_array_end (authors));
  _rx_pg_take (&p, _rx_pg_array_end (payloads));
  _rx_pg_take (&p, _rx_pg_array_end (received));

  inserted = _rx_store_pg_run (self, c,
                               "INSERT INTO entries (org_id, seq, op_id, entity, row_id, hlc, "
                               "author, payload, received_at) "
                               "SELECT $1, t.* FROM unnest ($2::bigint[], $3::text[], "
                               "$4::text[], $5::text[], $6::text[], $7::text[], $8::json[], "
                               "$9::bigint[]) AS t",
                               &p, "Storing entries", error);
  if (inserted == NULL)
    return FALSE;

  _rx_pg_text (&head, c->held_org);
  _rx_pg_int (&head, c->head);
  moved = _rx_store_pg_run (self, c, "UPDATE organisations SET head_seq = $2 WHERE id = $1",
                            &head, "Numbering entries", error);
  if (moved == NULL)
    return FALSE;

  g_ptr_array_set_size (c->pending, 0);
  g_hash_table_remove_all (c->pending_ops);

  return TRUE;
}

/* Holds the organisation's head for the rest of the transaction. */
static gboolean
hold_head (RxStorePg   *self,
           RxPgConn    *c,
           const char  *org_id,
           GError     **error)
{
  g_auto(RxPgParams) p = { 0, };
  g_autoptr(PGresult) r = NULL;

  if (g_strcmp0 (c->held_org, org_id) == 0)
    return TRUE;
  if (!_rx_store_pg_flush (self, c, error))
    return FALSE;

  _rx_pg_text (&p, org_id);
  r = _rx_store_pg_run (self, c, "SELECT head_seq FROM organisations WHERE id = $1 FOR UPDATE",
                        &p, "Numbering an entry", error);
  if (r == NULL)
    return FALSE;
  if (PQntuples (r) == 0)
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_NOT_FOUND,
                   "There is no organisation %s", org_id);
      return FALSE;
    }

  _rx_pg_conn_forget_pending (c);
  c->held_org = g_strdup (org_id);
  c->head = _rx_pg_int64 (r, 0, 0);
  c->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_store_entry_free);
  c->pending_ops = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  return TRUE;
}

static gint64
pg_entry_append (RxStore             *store,
                 const char          *org_id,
                 const RxStoreEntry  *entry,
                 GError             **error)
{
  RxStorePg *self = RX_STORE_PG (store);
  RxPgConn *c = _rx_store_pg_acquire (self, error);
  RxStoreEntry *held;
  gint64 seq;

  if (c == NULL)
    return -1;
  if (!c->in_transaction)
    {
      _rx_store_pg_release (self, c);
      g_return_val_if_reached (-1);
    }
  if (!hold_head (self, c, org_id, error))
    return -1;

  held = g_new0 (RxStoreEntry, 1);
  held->seq = ++c->head;
  held->op_id = g_strdup (entry->op_id);
  held->entity = g_strdup (entry->entity);
  held->row_id = g_strdup (entry->row_id);
  held->hlc = g_strdup (entry->hlc);
  held->author = g_strdup (entry->author);
  held->payload = g_strdup (entry->payload);
  held->received_at = entry->received_at;
  g_ptr_array_add (c->pending, held);
  g_hash_table_insert (c->pending_ops, g_strdup (held->op_id), held);

  seq = held->seq;
  if (c->pending->len >= FLUSH_AT && !_rx_store_pg_flush (self, c, error))
    return -1;

  return seq;
}

static gint64
pg_entry_find (RxStore     *store,
               const char  *org_id,
               const char  *op_id,
               GError     **error)
{
  RxStorePg *self = RX_STORE_PG (store);
  RxPgConn *c = _rx_store_pg_acquire (self, error);
  g_auto(RxPgParams) p = { 0, };
  g_autoptr(PGresult) r = NULL;

  if (c == NULL)
    return -1;

  /* held in this transaction, not written yet */
  if (c->pending_ops != NULL && g_strcmp0 (c->held_org, org_id) == 0)
    {
      RxStoreEntry *held = g_hash_table_lookup (c->pending_ops, op_id);

      if (held != NULL)
        {
          _rx_store_pg_release (self, c);
          return held->seq;
        }
    }

  _rx_pg_text (&p, org_id);
  _rx_pg_text (&p, op_id);
  r = _rx_store_pg_run (self, c, "SELECT seq FROM entries WHERE org_id = $1 AND op_id = $2", &p,
                        "Looking up an entry", error);
  _rx_store_pg_release (self, c);
  if (r == NULL)
    return -1;

  return PQntuples (r) > 0 ? _rx_pg_int64 (r, 0, 0) : 0;
}

static gpointer
read_entry (const PGresult *r,
            int             row)
{
  RxStoreEntry *e = g_new0 (RxStoreEntry, 1);

  e->seq = _rx_pg_int64 (r, row, 0);
  e->op_id = _rx_pg_dup (r, row, 1);
  e->entity = _rx_pg_dup (r, row, 2);
  e->row_id = _rx_pg_dup (r, row, 3);
  e->hlc = _rx_pg_dup (r, row, 4);
  e->author = _rx_pg_dup (r, row, 5);
  e->payload = _rx_pg_dup (r, row, 6);
  e->received_at = _rx_pg_int64 (r, row, 7);

  return e;
}

/* The table names go in as one bound array (NULL: every table), so the statement never
 * changes shape. */
static GPtrArray *
pg_entries_after (RxStore             *store,
                  const char          *org_id,
                  gint64               since,
                  const char * const  *entities,
                  guint                limit,
                  GError             **error)
{
  RxStorePg *self = RX_STORE_PG (store);
  GString *names = entities != NULL ? g_string_new ("{") : NULL;
  g_auto(RxPgParams) p = { 0, };
  g_autoptr(PGresult) r = NULL;
  GPtrArray *entries;
  RxPgConn *c;

  for (guint i = 0; entities != NULL && entities[i] != NULL; i++)
    _rx_pg_array_add (names, entities[i]);
  _rx_pg_text (&p, org_id);
  _rx_pg_int (&p, since);
  _rx_pg_take (&p, names != NULL ? _rx_pg_array_end (names) : NULL);
  _rx_pg_int (&p, limit);

  c = _rx_store_pg_acquire (self, error);
  if (c == NULL)
    return NULL;
  if (_rx_store_pg_flush (self, c, error))
    r = _rx_store_pg_run (self, c, "SELECT seq, op_id, entity, row_id, hlc, author, payload, "
                                   "received_at FROM entries "
                                   "WHERE org_id = $1 AND seq > $2 "
                                   "AND ($3::text[] IS NULL OR entity = ANY ($3::text[])) "
                                   "ORDER BY seq LIMIT $4",
                          &p, "Reading entries", error);
  _rx_store_pg_release (self, c);
  if (r == NULL)
    return NULL;

  entries = g_ptr_array_new_full (PQntuples (r), (GDestroyNotify) rx_store_entry_free);
  for (int i = 0; i < PQntuples (r); i++)
    g_ptr_array_add (entries, read_entry (r, i));

  return entries;
}

/* Merged rows ----------------------------------------------------------------------------- */

static gpointer
read_row (const PGresult *r,
          int             row)
{
  RxStoreRow *merged = g_new0 (RxStoreRow, 1);

  merged->entity = _rx_pg_dup (r, row, 0);
  merged->row_id = _rx_pg_dup (r, row, 1);
  merged->lookup = _rx_pg_dup (r, row, 2);
  merged->hlc = _rx_pg_dup (r, row, 3);
  merged->data = _rx_pg_dup (r, row, 4);
  merged->clocks = _rx_pg_dup (r, row, 5);

  return merged;
}

static RxStoreRow *
pg_row_get (RxStore     *store,
            const char  *org_id,
            const char  *entity,
            const char  *row_id,
            GError     **error)
{
  g_auto(RxPgParams) p = { 0, };

  _rx_pg_text (&p, org_id);
  _rx_pg_text (&p, entity);
  _rx_pg_text (&p, row_id);
  return _rx_store_pg_read_one (RX_STORE_PG (store),
                                "SELECT entity, row_id, lookup, hlc, data, clocks "
                                "FROM merged_rows "
                                "WHERE org_id = $1 AND entity = $2 AND row_id = $3",
                                &p, read_row, "Reading a row", error);
}

static GPtrArray *
pg_rows_find (RxStore     *store,
              const char  *org_id,
              const char  *entity,
              const char  *lookup,
              GError     **error)
{
  g_auto(RxPgParams) p = { 0, };

  _rx_pg_text (&p, org_id);
  _rx_pg_text (&p, entity);
  _rx_pg_text (&p, lookup);
  return _rx_store_pg_read_all (RX_STORE_PG (store),
                                "SELECT entity, row_id, lookup, hlc, data, clocks "
                                "FROM merged_rows "
                                "WHERE org_id = $1 AND entity = $2 AND lookup = $3 "
                                "ORDER BY hlc DESC",
                                &p, read_row, (GDestroyNotify) rx_store_row_free, "Finding rows",
                                error);
}

static gboolean
pg_row_put (RxStore           *store,
            const char        *org_id,
            const RxStoreRow  *row,
            GError           **error)
{
  g_auto(RxPgParams) p = { 0, };
  g_autoptr(PGresult) r = NULL;

  _rx_pg_text (&p, org_id);
  _rx_pg_text (&p, row->entity);
  _rx_pg_text (&p, row->row_id);
  _rx_pg_text (&p, row->lookup);
  _rx_pg_text (&p, row->hlc);
  _rx_pg_text (&p, row->data);
  _rx_pg_text (&p, row->clocks);
  r = _rx_store_pg_query (RX_STORE_PG (store),
                          "INSERT INTO merged_rows (org_id, entity, row_id, lookup, hlc, data, "
                          "clocks) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                          "ON CONFLICT (org_id, entity, row_id) DO UPDATE SET "
                          "lookup = excluded.lookup, hlc = excluded.hlc, "
                          "data = excluded.data, clocks = excluded.clocks",
                          &p, "Saving a row", error);
  return r != NULL;
}

void
_rx_store_pg_log_iface_init (RxStoreInterface *iface)
{
  iface->entry_find = pg_entry_find;
  iface->entry_append = pg_entry_append;
  iface->entries_after = pg_entries_after;
  iface->row_get = pg_row_get;
  iface->rows_find = pg_rows_find;
  iface->row_put = pg_row_put;
}
