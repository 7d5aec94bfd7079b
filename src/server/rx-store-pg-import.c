/* rx-store-pg-import.c: moving a server from its SQLite store to PostgreSQL: every table of
 * the SQLite file, read as it is, written in one transaction into an empty PostgreSQL store
 * with multi-row INSERTs (arrays bound as parameters). */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include <sqlite3.h>

#include "rx-server-error.h"
#include "rx-store-pg-private.h"

/* Rows a statement carries. */
#define BATCH 1000

typedef struct
{
  const char *table;
  const char *label;
  const char *columns;                 /* the same names in both stores */
  const char *types[10];               /* PostgreSQL types of the columns, in order */
  const char *order;
} Table;

/* In an order that satisfies the foreign keys. */
static const Table tables[] = {
  { "organisations", "organisations", "id, name, clinic_org_id, head_seq, created_at",
    { "text", "text", "text", "bigint", "bigint" }, "created_at, id" },
  { "enrolment_codes", "enrolment codes",
    "code_hash, org_id, created_at, expires_at, used_at, workstation_id",
    { "text", "text", "bigint", "bigint", "bigint", "text" }, "code_hash" },
  { "workstations", "workstations",
    "id, org_id, name, node_id, secret_hash, enrolled_at, last_seen_at, revoked_at",
    { "text", "text", "text", "text", "text", "bigint", "bigint", "bigint" }, "id" },
  { "tokens", "tokens",
    "token_hash, org_id, workstation_id, user_id, role, created_at, expires_at, revoked_at",
    { "text", "text", "text", "text", "text", "bigint", "bigint", "bigint" }, "token_hash" },
  { "login_failures", "login failures", "key, at", { "text", "bigint" }, "key, at" },
  { "entries", "entries",
    "org_id, seq, op_id, entity, row_id, hlc, author, payload, received_at",
    { "text", "bigint", "text", "text", "text", "text", "text", "json", "bigint" },
    "org_id, seq" },
  { "merged_rows", "merged rows", "org_id, entity, row_id, lookup, hlc, data, clocks",
    { "text", "text", "text", "text", "text", "json", "json" }, "org_id, entity, row_id" },
};

static guint
count_types (const Table *t)
{
  guint n = 0;

  while (n < G_N_ELEMENTS (t->types) && t->types[n] != NULL)
    n++;
  return n;
}

/* "INSERT INTO t (a, b) SELECT * FROM unnest ($1::text[], $2::bigint[])": our own names and
 * types only; every value is in the bound arrays. */
static char *
insert_sql (const Table *t)
{
  GString *sql = g_string_new (NULL);
  guint n = count_types (t);

  g_string_append_printf (sql, "INSERT INTO %s (%s) SELECT * FROM unnest (", t->table,
                          t->columns);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (sql, "%s$%u::%s[]", i > 0 ? ", " : "", i + 1, t->types[i]);
  g_string_append (sql, ")");

  return g_string_free (sql, FALSE);
}

static gboolean
write_batch (RxStorePg    *self,
             RxPgConn     *c,
             const Table  *t,
             GString     **arrays,
             guint         n_columns,
             GError      **error)
{
  g_autofree char *sql = insert_sql (t);
  g_auto(RxPgParams) p = { 0, };
  g_autoptr(PGresult) r = NULL;
  g_autofree char *what = g_strdup_printf ("Copying %s", t->label);

  for (guint i = 0; i < n_columns; i++)
    {
      _rx_pg_take (&p, _rx_pg_array_end (arrays[i]));
      arrays[i] = g_string_new ("{");
    }
  r = _rx_store_pg_run (self, c, sql, &p, what, error);

  return r != NULL;
}

static gboolean
copy_table (RxStorePg    *self,
            RxPgConn     *c,
            sqlite3      *db,
            const char   *path,
            const Table  *t,
            gint64       *copied,
            GError      **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT %s FROM %s ORDER BY %s", t->columns,
                                             t->table, t->order);
  guint n = count_types (t);
  GString *arrays[G_N_ELEMENTS (t->types)];
  sqlite3_stmt *stmt = NULL;
  guint pending = 0;
  gboolean ok = TRUE;
  int rc;

  if (sqlite3_prepare_v2 (db, select, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE,
                   "Reading %s from %s failed: %s; is it an rxdesk-server store, upgraded with "
                   "“rxdesk-server migrate”?", t->label, path, sqlite3_errmsg (db));
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    arrays[i] = g_string_new ("{");
  *copied = 0;
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (guint i = 0; i < n; i++)
        _rx_pg_array_add (arrays[i], (const char *) sqlite3_column_text (stmt, i));
      (*copied)++;
      if (++pending == BATCH)
        {
          ok = write_batch (self, c, t, arrays, n, error);
          pending = 0;
        }
    }
  if (ok && rc != SQLITE_DONE)
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE, "Reading %s from %s failed: %s",
                   t->label, path, sqlite3_errmsg (db));
      ok = FALSE;
    }
  if (ok && pending > 0)
    ok = write_batch (self, c, t, arrays, n, error);

  for (guint i = 0; i < n; i++)
    g_string_free (arrays[i], TRUE);
  sqlite3_finalize (stmt);

  return ok;
}

GPtrArray *
rx_store_pg_import_sqlite (RxStore     *store,
                           const char  *sqlite_path,
                           GError     **error)
{
  RxStorePg *self = RX_STORE_PG (store);
  g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PGresult) orgs = NULL;
  sqlite3 *db = NULL;
  RxPgConn *c;
  gboolean ok = TRUE;

  g_return_val_if_fail (RX_IS_STORE_PG (store), NULL);

  if (sqlite3_open_v2 (sqlite_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE,
                   "The SQLite store %s cannot be opened: %s; give the data folder of the "
                   "server to move (it holds server.db)", sqlite_path,
                   db ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);

  if (!rx_store_begin (store, error))
    {
      sqlite3_close (db);
      return NULL;
    }
  c = _rx_store_pg_acquire (self, error);
  g_assert (c == NULL || c->in_transaction);

  orgs = c ? _rx_store_pg_run (self, c, "SELECT count(*) FROM organisations", NULL,
                               "Checking that the database is empty", error) : NULL;
  if (orgs == NULL)
    ok = FALSE;
  else if (_rx_pg_int64 (orgs, 0, 0) > 0)
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_INVALID,
                   "The PostgreSQL store (%s) has organisations already; move a server into "
                   "an empty database only (create one, then run this again)", self->where);
      ok = FALSE;
    }

  for (guint i = 0; ok && i < G_N_ELEMENTS (tables); i++)
    {
      gint64 copied = 0;

      ok = copy_table (self, c, db, sqlite_path, &tables[i], &copied, error);
      g_ptr_array_add (counts, g_strdup_printf ("%s %" G_GINT64_FORMAT, tables[i].label,
                                                copied));
    }
  sqlite3_close (db);

  if (!ok)
    {
      rx_store_rollback (store);
      return NULL;
    }
  if (!rx_store_commit (store, error))
    {
      rx_store_rollback (store);
      return NULL;
    }

  return g_steal_pointer (&counts);
}
