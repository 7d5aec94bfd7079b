/* rx-store-pg.c: the PostgreSQL store (see rx-store.h): its bounded pool of connections, each
 * with its statements prepared once, transactions bound to the thread that began them, the
 * numbered migrations, organisations and enrolment codes. rx-store-pg-access.c keeps
 * workstations, tokens and login failures; rx-store-pg-log.c the entries and merged rows.
 * Every value is a bound parameter. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include <string.h>

#include "rx-server-error.h"
#include "rx-store-pg-private.h"
#include "rx-store-private.h"

#define MIGRATIONS_PATH "/org/rxdesk/RxDesk/server/migrations-pg"

/* How long a request waits for a free connection before it is told to come back later. */
#define POOL_WAIT_SECONDS 10

/* After a connection could not be made, how long requests fail at once instead of trying
 * again: the server answers on one thread, and a database host that does not answer would
 * otherwise hold every request for the connect timeout. */
#define RETRY_CONNECT_MS 1000

/* Any number, the same in every process: only one of them upgrades the schema at a time. */
#define MIGRATION_LOCK "7262646573"

static void rx_store_pg_iface_init (RxStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RxStorePg, rx_store_pg, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RX_TYPE_STORE, rx_store_pg_iface_init))

static void
conn_free (RxPgConn *c)
{
  if (c->conn != NULL)
    PQfinish (c->conn);
  g_hash_table_unref (c->prepared);
  _rx_pg_conn_forget_pending (c);
  g_free (c);
}

static void
rx_store_pg_finalize (GObject *object)
{
  RxStorePg *self = (RxStorePg *) object;

  g_queue_clear_full (&self->idle, (GDestroyNotify) conn_free);
  g_hash_table_unref (self->bound);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->released);
  g_free (self->url);
  g_free (self->where);

  G_OBJECT_CLASS (rx_store_pg_parent_class)->finalize (object);
}

static void
rx_store_pg_class_init (RxStorePgClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rx_store_pg_finalize;
}

static void
rx_store_pg_init (RxStorePg *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->released);
  g_queue_init (&self->idle);
  self->bound = g_hash_table_new (NULL, NULL);
}

/* Parameters ------------------------------------------------------------------------------ */

void
_rx_pg_params_clear (RxPgParams *p)
{
  for (int i = 0; i < p->n; i++)
    g_free (p->owned[i]);
  p->n = 0;
}

void
_rx_pg_take (RxPgParams *p,
             char       *text)
{
  g_assert (p->n < RX_PG_MAX_PARAMS);
  p->owned[p->n] = text;
  p->values[p->n] = text;
  p->n++;
}

void
_rx_pg_text (RxPgParams *p,
             const char *text)
{
  _rx_pg_take (p, g_strdup (text));
}

void
_rx_pg_int (RxPgParams *p,
            gint64      value)
{
  _rx_pg_take (p, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

void
_rx_pg_time (RxPgParams *p,
             gint64      t)
{
  if (t == 0)
    _rx_pg_take (p, NULL);
  else
    _rx_pg_int (p, t);
}

char *
_rx_pg_dup (const PGresult *r,
            int             row,
            int             column)
{
  if (PQgetisnull (r, row, column))
    return NULL;
  return g_strdup (PQgetvalue (r, row, column));
}

gint64
_rx_pg_int64 (const PGresult *r,
              int             row,
              int             column)
{
  if (PQgetisnull (r, row, column))
    return 0;
  return g_ascii_strtoll (PQgetvalue (r, row, column), NULL, 10);
}

/* Errors ---------------------------------------------------------------------------------- */

static const char *
hint_for (const char *state)
{
  if (state == NULL)
    return "check that PostgreSQL is running and reachable with the --store URL";
  if (g_str_equal (state, "57014"))
    return "a statement ran longer than the server allows (" G_STRINGIFY (
      RX_STORE_PG_STATEMENT_TIMEOUT_MS) " ms); the database may be overloaded";
  if (g_str_equal (state, "55P03"))
    return "another server process held the organisation longer than " G_STRINGIFY (
      RX_STORE_PG_LOCK_TIMEOUT_MS) " ms (a large push of the same organisation); try again";
  if (g_str_equal (state, "40001") || g_str_equal (state, "40P01"))
    return "another writer was in the way; try again";
  if (g_str_equal (state, "42P01") || g_str_equal (state, "42703"))
    return "the database has no RxDesk tables or old ones; "
           "run “rxdesk-server --store URL migrate”";
  if (g_str_has_prefix (state, "53"))
    return "the database server is short of disk, memory or connections";
  if (g_str_has_prefix (state, "08") || g_str_has_prefix (state, "57"))
    return "the connection to PostgreSQL was lost; try again in a moment";
  if (g_str_equal (state, "42501"))
    return "the database user may not do this; grant it the RxDesk tables";
  return "the server's log has the details";
}

static void
set_failure (RxStorePg       *self,
             RxPgConn        *c,
             const PGresult  *r,
             const char      *what,
             GError         **error)
{
  const char *state = r != NULL ? PQresultErrorField (r, PG_DIAG_SQLSTATE) : NULL;
  const char *message = r != NULL ? PQresultErrorMessage (r) : "";
  g_autofree char *text = NULL;

  if (message == NULL || *message == '\0')
    message = c != NULL ? PQerrorMessage (c->conn) : "no answer";
  text = g_strstrip (g_strdup (message));
  if (c != NULL && PQstatus (c->conn) != CONNECTION_OK)
    state = NULL;

  g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE, "%s failed on %s: %s; %s", what,
               self->where, text, hint_for (state));
}

/* Connections ----------------------------------------------------------------------------- */

/* Settings of every connection; constants, no values of anyone's. */
static gboolean
conn_setup (RxStorePg  *self,
            RxPgConn   *c,
            GError    **error)
{
  static const char setup[] =
    "SET statement_timeout = " G_STRINGIFY (RX_STORE_PG_STATEMENT_TIMEOUT_MS) "; "
    "SET lock_timeout = " G_STRINGIFY (RX_STORE_PG_LOCK_TIMEOUT_MS) "; "
    "SET idle_in_transaction_session_timeout = 60000; "
    "SET client_encoding = 'UTF8'";
  g_autoptr(PGresult) r = PQexec (c->conn, setup);

  g_hash_table_remove_all (c->prepared);
  if (PQresultStatus (r) != PGRES_COMMAND_OK)
    {
      set_failure (self, c, r, "Setting up a connection", error);
      return FALSE;
    }
  return TRUE;
}

/* FALSE (with an error) while a failed connection is recent. */
static gboolean
may_connect (RxStorePg  *self,
             GError    **error)
{
  gint64 until;

  g_mutex_lock (&self->lock);
  until = self->down_until;
  g_mutex_unlock (&self->lock);
  if (g_get_monotonic_time () >= until)
    return TRUE;

  g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE,
               "PostgreSQL (%s) could not be reached a moment ago; trying again shortly",
               self->where);
  return FALSE;
}

static void
note_connect (RxStorePg *self,
              gboolean   worked)
{
  g_mutex_lock (&self->lock);
  self->down_until = worked ? 0 : g_get_monotonic_time () + RETRY_CONNECT_MS * 1000;
  g_mutex_unlock (&self->lock);
}

static RxPgConn *
conn_open (RxStorePg  *self,
           GError    **error)
{
  /* the URL's own settings win over these, which come first */
  const char * const keys[] = { "connect_timeout", "fallback_application_name", "dbname", NULL };
  const char * const values[] = { "5", "rxdesk-server", self->url, NULL };
  RxPgConn *c;

  if (!may_connect (self, error))
    return NULL;

  c = g_new0 (RxPgConn, 1);
  c->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  c->conn = PQconnectdbParams (keys, values, TRUE);
  note_connect (self, PQstatus (c->conn) == CONNECTION_OK);
  if (PQstatus (c->conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strstrip (g_strdup (PQerrorMessage (c->conn)));

      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE,
                   "Cannot connect to PostgreSQL (%s): %s; check that it is running and that "
                   "--store names the right database and user", self->where, message);
      conn_free (c);
      return NULL;
    }
  if (!conn_setup (self, c, error))
    {
      conn_free (c);
      return NULL;
    }

  return c;
}

/* Once, for a connection found broken; its prepared statements went with it. */
static gboolean
conn_reopen (RxStorePg  *self,
             RxPgConn   *c,
             GError    **error)
{
  if (!may_connect (self, error))
    return FALSE;
  PQreset (c->conn);
  note_connect (self, PQstatus (c->conn) == CONNECTION_OK);
  if (PQstatus (c->conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strstrip (g_strdup (PQerrorMessage (c->conn)));

      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE,
                   "The connection to PostgreSQL (%s) was lost and cannot be made again: %s; "
                   "check that the database is running", self->where, message);
      return FALSE;
    }
  return conn_setup (self, c, error);
}

RxPgConn *
_rx_store_pg_acquire (RxStorePg  *self,
                      GError    **error)
{
  gint64 deadline = g_get_monotonic_time () + POOL_WAIT_SECONDS * G_TIME_SPAN_SECOND;
  RxPgConn *c;

  g_mutex_lock (&self->lock);
  c = g_hash_table_lookup (self->bound, g_thread_self ());
  if (c != NULL)
    {
      g_mutex_unlock (&self->lock);
      return c;
    }
  while (self->idle.length == 0 && self->opened >= self->pool_size)
    if (!g_cond_wait_until (&self->released, &self->lock, deadline))
      {
        g_mutex_unlock (&self->lock);
        g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE,
                     "All %u connections to PostgreSQL (%s) stayed busy for %d seconds; give "
                     "the server more with --pg-pool, or look for slow statements",
                     self->pool_size, self->where, POOL_WAIT_SECONDS);
        return NULL;
      }
  c = g_queue_pop_head (&self->idle);
  if (c == NULL)
    self->opened++;
  g_mutex_unlock (&self->lock);

  if (c == NULL)
    {
      c = conn_open (self, error);
      if (c == NULL)
        {
          g_mutex_lock (&self->lock);
          self->opened--;
          g_cond_signal (&self->released);
          g_mutex_unlock (&self->lock);
        }
    }

  return c;
}

void
_rx_store_pg_release (RxStorePg *self,
                      RxPgConn  *c)
{
  if (c == NULL || c->in_transaction)
    return;

  g_mutex_lock (&self->lock);
  g_queue_push_head (&self->idle, c);
  g_cond_signal (&self->released);
  g_mutex_unlock (&self->lock);
}

static const char *
prepare (RxStorePg   *self,
         RxPgConn    *c,
         const char  *sql,
         int          n_params,
         GError     **error)
{
  const char *name = g_hash_table_lookup (c->prepared, sql);
  g_autoptr(PGresult) r = NULL;
  char *new_name;

  if (name != NULL)
    return name;

  new_name = g_strdup_printf ("rx%u", ++c->next_name);
  r = PQprepare (c->conn, new_name, sql, n_params, NULL);
  if (PQresultStatus (r) != PGRES_COMMAND_OK)
    {
      set_failure (self, c, r, "Preparing a statement", error);
      g_free (new_name);
      return NULL;
    }
  g_hash_table_insert (c->prepared, g_strdup (sql), new_name);

  return new_name;
}

PGresult *
_rx_store_pg_run (RxStorePg         *self,
                  RxPgConn          *c,
                  const char        *sql,
                  const RxPgParams  *p,
                  const char        *what,
                  GError           **error)
{
  static const RxPgParams none = { 0, };

  if (p == NULL)
    p = &none;

  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(PGresult) r = NULL;
      gboolean retry = attempt == 0 && !c->in_transaction;
      const char *name;
      ExecStatusType status;

      if (PQstatus (c->conn) != CONNECTION_OK)
        {
          if (c->in_transaction)
            {
              g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE,
                           "%s failed on %s: the connection was lost in the middle of a write, "
                           "which was not kept; try again", what, self->where);
              return NULL;
            }
          if (!conn_reopen (self, c, error))
            return NULL;
        }

      name = prepare (self, c, sql, p->n, &local_error);
      if (name == NULL)
        {
          if (retry && PQstatus (c->conn) != CONNECTION_OK)
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      r = PQexecPrepared (c->conn, name, p->n, p->values, NULL, NULL, 0);
      status = PQresultStatus (r);
      if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return g_steal_pointer (&r);
      if (retry && PQstatus (c->conn) != CONNECTION_OK)
        continue;

      set_failure (self, c, r, what, error);
      return NULL;
    }
}

PGresult *
_rx_store_pg_query (RxStorePg         *self,
                    const char        *sql,
                    const RxPgParams  *p,
                    const char        *what,
                    GError           **error)
{
  RxPgConn *c = _rx_store_pg_acquire (self, error);
  PGresult *r;

  if (c == NULL)
    return NULL;
  r = _rx_store_pg_run (self, c, sql, p, what, error);
  _rx_store_pg_release (self, c);

  return r;
}

gpointer
_rx_store_pg_read_one (RxStorePg         *self,
                       const char        *sql,
                       const RxPgParams  *p,
                       RxPgReadFunc       read,
                       const char        *what,
                       GError           **error)
{
  g_autoptr(PGresult) r = _rx_store_pg_query (self, sql, p, what, error);

  if (r == NULL || PQntuples (r) == 0)
    return NULL;
  return read (r, 0);
}

GPtrArray *
_rx_store_pg_read_all (RxStorePg         *self,
                       const char        *sql,
                       const RxPgParams  *p,
                       RxPgReadFunc       read,
                       GDestroyNotify     free_func,
                       const char        *what,
                       GError           **error)
{
  g_autoptr(PGresult) r = _rx_store_pg_query (self, sql, p, what, error);
  GPtrArray *records;

  if (r == NULL)
    return NULL;
  records = g_ptr_array_new_full (PQntuples (r), free_func);
  for (int i = 0; i < PQntuples (r); i++)
    g_ptr_array_add (records, read (r, i));

  return records;
}

/* Opening --------------------------------------------------------------------------------- */

/* "database rxdesk on db.example.org:5432 as rxdesk", from what libpq makes of the URL */
static char *
describe (const char  *url,
          GError     **error)
{
  g_autofree char *message = NULL;
  const char *dbname = NULL, *host = NULL, *port = NULL, *user = NULL;
  PQconninfoOption *options;
  char *errmsg = NULL;
  char *where;

  options = PQconninfoParse (url, &errmsg);
  if (options == NULL)
    {
      message = g_strstrip (g_strdup (errmsg != NULL ? errmsg : "out of memory"));
      PQfreemem (errmsg);
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_INVALID,
                   "--store is not a PostgreSQL URL libpq understands: %s; write it as "
                   "postgresql://USER@HOST:PORT/DATABASE", message);
      return NULL;
    }
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (o->val == NULL)
        continue;
      if (g_str_equal (o->keyword, "dbname"))
        dbname = o->val;
      else if (g_str_equal (o->keyword, "host"))
        host = o->val;
      else if (g_str_equal (o->keyword, "port"))
        port = o->val;
      else if (g_str_equal (o->keyword, "user"))
        user = o->val;
    }
  where = g_strdup_printf ("database %s on %s%s%s%s%s", dbname ? dbname : "(default)",
                           host ? host : "the default socket", port ? ":" : "", port ? port : "",
                           user ? " as " : "", user ? user : "");
  PQconninfoFree (options);

  return where;
}

RxStore *
rx_store_pg_new (const char  *url,
                 guint        pool_size,
                 GError     **error)
{
  g_autoptr(RxStorePg) self = NULL;
  RxPgConn *c;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (RX_TYPE_STORE_PG, NULL);
  self->url = g_strdup (url);
  self->pool_size = pool_size > 0 ? pool_size : RX_STORE_PG_DEFAULT_POOL;
  self->where = describe (url, error);
  if (self->where == NULL)
    return NULL;

  /* one connection now, so that a wrong URL or a database that is down shows at start */
  c = _rx_store_pg_acquire (self, error);
  if (c == NULL)
    return NULL;
  _rx_store_pg_release (self, c);

  return RX_STORE (g_steal_pointer (&self));
}

/* Migrating ------------------------------------------------------------------------------- */

static const char *
pg_get_kind (RxStore *store)
{
  return "postgresql";
}

static int
pg_get_latest_version (RxStore *store)
{
  g_autoptr(GPtrArray) files = _rx_store_list_migrations (MIGRATIONS_PATH);

  return files->len;
}

static int
read_version (RxStorePg  *self,
              RxPgConn   *c,
              GError    **error)
{
  g_autoptr(PGresult) exists = NULL;
  g_autoptr(PGresult) r = NULL;

  exists = _rx_store_pg_run (self, c, "SELECT to_regclass ('schema_version') IS NOT NULL", NULL,
                             "Reading the store's version", error);
  if (exists == NULL)
    return -1;
  if (!g_str_equal (PQgetvalue (exists, 0, 0), "t"))
    return 0;

  r = _rx_store_pg_run (self, c, "SELECT coalesce (max (version), 0) FROM schema_version", NULL,
                        "Reading the store's version", error);
  if (r == NULL)
    return -1;
  return (int) _rx_pg_int64 (r, 0, 0);
}

static int
pg_get_schema_version (RxStore  *store,
                       GError  **error)
{
  RxStorePg *self = RX_STORE_PG (store);
  RxPgConn *c = _rx_store_pg_acquire (self, error);
  int version;

  if (c == NULL)
    return -1;
  version = read_version (self, c, error);
  _rx_store_pg_release (self, c);

  return version;
}

/* A migration file in one transaction (its text is ours, with no values in it). */
static gboolean
apply_migration (RxStorePg   *self,
                 RxPgConn    *c,
                 int          version,
                 const char  *name,
                 GError     **error)
{
  g_autofree char *text = _rx_store_read_migration (MIGRATIONS_PATH, name);
  g_autofree char *script = g_strconcat ("BEGIN; CREATE TABLE IF NOT EXISTS schema_version "
                                         "(version integer NOT NULL); ", text, NULL);
  g_autoptr(PGresult) r = PQexec (c->conn, script);
  g_autoptr(PGresult) done = NULL;
  g_auto(RxPgParams) p = { 0, };
  g_autoptr(GError) local_error = NULL;

  if (PQresultStatus (r) != PGRES_COMMAND_OK)
    set_failure (self, c, r, name, &local_error);
  else
    {
      g_autoptr(PGresult) v = NULL;

      _rx_pg_int (&p, version);
      v = _rx_store_pg_run (self, c, "INSERT INTO schema_version (version) VALUES ($1::integer)",
                            &p, name, &local_error);
      if (v != NULL)
        {
          done = PQexec (c->conn, "COMMIT");
          if (PQresultStatus (done) != PGRES_COMMAND_OK ||
              !g_str_equal (PQcmdStatus (done), "COMMIT"))
            set_failure (self, c, done, name, &local_error);
        }
    }

  if (local_error != NULL)
    {
      PQclear (PQexec (c->conn, "ROLLBACK"));
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE,
                   "Upgrading the store to version %d failed: %s; it was left at version %d",
                   version, local_error->message, version - 1);
      return FALSE;
    }

  return TRUE;
}

static gboolean
migrate_locked (RxStorePg  *self,
                RxPgConn   *c,
                GError    **error)
{
  g_autoptr(GPtrArray) files = _rx_store_list_migrations (MIGRATIONS_PATH);
  int current = read_version (self, c, error);

  if (current < 0)
    return FALSE;
  if (current > (int) files->len)
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_SCHEMA_TOO_NEW,
                   "The store (%s) has schema version %d, newer than this rxdesk-server "
                   "understands (%u); run the newer rxdesk-server that upgraded it",
                   self->where, current, files->len);
      return FALSE;
    }

  for (int v = current + 1; v <= (int) files->len; v++)
    if (!apply_migration (self, c, v, g_ptr_array_index (files, v - 1), error))
      return FALSE;

  return TRUE;
}

/* Several processes may start at once: a session lock lets one upgrade while the others wait,
 * then find nothing left to do. */
static gboolean
pg_migrate (RxStore  *store,
            GError  **error)
{
  RxStorePg *self = RX_STORE_PG (store);
  g_autoptr(PGresult) locked = NULL;
  g_autoptr(PGresult) unlocked = NULL;
  RxPgConn *c = _rx_store_pg_acquire (self, error);
  gboolean ok;

  if (c == NULL)
    return FALSE;
  g_return_val_if_fail (!c->in_transaction, FALSE);

  locked = _rx_store_pg_run (self, c, "SELECT pg_advisory_lock (" MIGRATION_LOCK ")", NULL,
                             "Waiting for another server's upgrade", error);
  if (locked == NULL)
    {
      _rx_store_pg_release (self, c);
      return FALSE;
    }
  ok = migrate_locked (self, c, error);
  unlocked = _rx_store_pg_run (self, c, "SELECT pg_advisory_unlock (" MIGRATION_LOCK ")", NULL,
                               "Ending the upgrade", ok ? error : NULL);
  _rx_store_pg_release (self, c);

  return ok && unlocked != NULL;
}

static gboolean
pg_ping (RxStore  *store,
         GError  **error)
{
  RxStorePg *self = RX_STORE_PG (store);
  g_autoptr(PGresult) r = _rx_store_pg_query (self, "SELECT count(*) FROM organisations", NULL,
                                              "Reading the store", error);

  return r != NULL;
}

/* Transactions ---------------------------------------------------------------------------- */

static void
bind_to_thread (RxStorePg *self,
                RxPgConn  *c,
                gboolean   bound)
{
  g_mutex_lock (&self->lock);
  if (bound)
    g_hash_table_insert (self->bound, g_thread_self (), c);
  else
    g_hash_table_remove (self->bound, g_thread_self ());
  g_mutex_unlock (&self->lock);
}

static RxPgConn *
bound_conn (RxStorePg *self)
{
  RxPgConn *c;

  g_mutex_lock (&self->lock);
  c = g_hash_table_lookup (self->bound, g_thread_self ());
  g_mutex_unlock (&self->lock);

  return c;
}

static gboolean
pg_begin (RxStore  *store,
          GError  **error)
{
  RxStorePg *self = RX_STORE_PG (store);
  g_autoptr(PGresult) r = NULL;
  RxPgConn *c;

  g_return_val_if_fail (bound_conn (self) == NULL, FALSE);

  c = _rx_store_pg_acquire (self, error);
  if (c == NULL)
    return FALSE;
  r = _rx_store_pg_run (self, c, "BEGIN", NULL, "Starting a write", error);
  if (r == NULL)
    {
      _rx_store_pg_release (self, c);
      return FALSE;
    }
  c->in_transaction = TRUE;
  bind_to_thread (self, c, TRUE);

  return TRUE;
}

static void
end_transaction (RxStorePg *self,
                 RxPgConn  *c)
{
  _rx_pg_conn_forget_pending (c);
  c->in_transaction = FALSE;
  bind_to_thread (self, c, FALSE);
  _rx_store_pg_release (self, c);
}

static gboolean
pg_commit (RxStore  *store,
           GError  **error)
{
  RxStorePg *self = RX_STORE_PG (store);
  RxPgConn *c = bound_conn (self);
  g_autoptr(PGresult) r = NULL;

  g_return_val_if_fail (c != NULL, FALSE);

  if (!_rx_store_pg_flush (self, c, error))
    return FALSE;
  r = _rx_store_pg_run (self, c, "COMMIT", NULL, "Saving a write", error);
  if (r == NULL)
    return FALSE;
  /* COMMIT of a transaction that failed earlier answers ROLLBACK */
  if (!g_str_equal (PQcmdStatus (r), "COMMIT"))
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE,
                   "Saving a write failed on %s: the transaction had failed and was undone; "
                   "try again", self->where);
      return FALSE;
    }
  end_transaction (self, c);

  return TRUE;
}

static void
pg_rollback (RxStore *store)
{
  RxStorePg *self = RX_STORE_PG (store);
  RxPgConn *c = bound_conn (self);

  if (c == NULL)
    return;
  if (PQstatus (c->conn) == CONNECTION_OK)
    PQclear (PQexec (c->conn, "ROLLBACK"));
  end_transaction (self, c);
}

/* Organisations and enrolment codes ------------------------------------------------------- */

static gboolean
pg_org_add (RxStore           *store,
            const RxStoreOrg  *org,
            GError           **error)
{
  g_auto(RxPgParams) p = { 0, };
  g_autoptr(PGresult) r = NULL;

  _rx_pg_text (&p, org->id);
  _rx_pg_text (&p, org->name);
  _rx_pg_text (&p, org->clinic_org_id);
  _rx_pg_int (&p, org->created_at);
  r = _rx_store_pg_query (RX_STORE_PG (store),
                          "INSERT INTO organisations (id, name, clinic_org_id, head_seq, "
                          "created_at) VALUES ($1, $2, $3, 0, $4)",
                          &p, "Adding an organisation", error);
  return r != NULL;
}

#define ORG_COLUMNS "id, name, clinic_org_id, head_seq, created_at"

static gpointer
read_org (const PGresult *r,
          int             row)
{
  RxStoreOrg *org = g_new0 (RxStoreOrg, 1);

  org->id = _rx_pg_dup (r, row, 0);
  org->name = _rx_pg_dup (r, row, 1);
  org->clinic_org_id = _rx_pg_dup (r, row, 2);
  org->head = _rx_pg_int64 (r, row, 3);
  org->created_at = _rx_pg_int64 (r, row, 4);

  return org;
}

/* In a transaction the row stays locked until it ends: pushes of one organisation, from any
 * process, take turns (see rx-store-pg-log.c). */
static RxStoreOrg *
pg_org_get (RxStore     *store,
            const char  *id,
            GError     **error)
{
  RxStorePg *self = RX_STORE_PG (store);
  RxPgConn *c = bound_conn (self);
  g_auto(RxPgParams) p = { 0, };
  RxStoreOrg *org;

  _rx_pg_text (&p, id);
  org = _rx_store_pg_read_one (self,
                               c != NULL ? "SELECT " ORG_COLUMNS " FROM organisations "
                                           "WHERE id = $1 FOR UPDATE"
                                         : "SELECT " ORG_COLUMNS " FROM organisations "
                                           "WHERE id = $1",
                               &p, read_org, "Reading an organisation", error);
  /* entries numbered in this transaction and not written yet count */
  if (org != NULL && c != NULL && g_strcmp0 (c->held_org, id) == 0)
    org->head = MAX (org->head, c->head);

  return org;
}

static GPtrArray *
pg_org_list (RxStore  *store,
             GError  **error)
{
  return _rx_store_pg_read_all (RX_STORE_PG (store),
                                "SELECT " ORG_COLUMNS " FROM organisations "
                                "ORDER BY created_at, name",
                                NULL, read_org, (GDestroyNotify) rx_store_org_free,
                                "Listing organisations", error);
}

static gboolean
pg_org_set_clinic (RxStore     *store,
                   const char  *id,
                   const char  *clinic_org_id,
                   GError     **error)
{
  g_auto(RxPgParams) p = { 0, };
  g_autoptr(PGresult) r = NULL;

  _rx_pg_text (&p, id);
  _rx_pg_text (&p, clinic_org_id);
  r = _rx_store_pg_query (RX_STORE_PG (store),
                          "UPDATE organisations SET clinic_org_id = $2 WHERE id = $1", &p,
                          "Setting the clinic of an organisation", error);
  return r != NULL;
}

static gboolean
pg_code_add (RxStore            *store,
             const char         *code_hash,
             const RxStoreCode  *code,
             GError            **error)
{
  g_auto(RxPgParams) p = { 0, };
  g_autoptr(PGresult) r = NULL;

  _rx_pg_text (&p, code_hash);
  _rx_pg_text (&p, code->org_id);
  _rx_pg_int (&p, code->created_at);
  _rx_pg_int (&p, code->expires_at);
  r = _rx_store_pg_query (RX_STORE_PG (store),
                          "INSERT INTO enrolment_codes (code_hash, org_id, created_at, "
                          "expires_at) VALUES ($1, $2, $3, $4)",
                          &p, "Adding an enrolment code", error);
  return r != NULL;
}

static gpointer
read_code (const PGresult *r,
           int             row)
{
  RxStoreCode *code = g_new0 (RxStoreCode, 1);

  code->org_id = _rx_pg_dup (r, row, 0);
  code->created_at = _rx_pg_int64 (r, row, 1);
  code->expires_at = _rx_pg_int64 (r, row, 2);
  code->used_at = _rx_pg_int64 (r, row, 3);

  return code;
}

static RxStoreCode *
pg_code_get (RxStore     *store,
             const char  *code_hash,
             GError     **error)
{
  g_auto(RxPgParams) p = { 0, };

  _rx_pg_text (&p, code_hash);
  return _rx_store_pg_read_one (RX_STORE_PG (store),
                                "SELECT org_id, created_at, expires_at, used_at "
                                "FROM enrolment_codes WHERE code_hash = $1",
                                &p, read_code, "Reading an enrolment code", error);
}

static gboolean
pg_code_use (RxStore     *store,
             const char  *code_hash,
             const char  *workstation_id,
             gint64       at,
             GError     **error)
{
  g_auto(RxPgParams) p = { 0, };
  g_autoptr(PGresult) r = NULL;

  _rx_pg_text (&p, code_hash);
  _rx_pg_text (&p, workstation_id);
  _rx_pg_int (&p, at);
  r = _rx_store_pg_query (RX_STORE_PG (store),
                          "UPDATE enrolment_codes SET used_at = $3, workstation_id = $2 "
                          "WHERE code_hash = $1 AND used_at IS NULL",
                          &p, "Using an enrolment code", error);
  if (r == NULL)
    return FALSE;
  if (!g_str_equal (PQcmdTuples (r), "1"))
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_NOT_FOUND,
                   "This enrolment code has been used already");
      return FALSE;
    }

  return TRUE;
}

static void
rx_store_pg_iface_init (RxStoreInterface *iface)
{
  iface->get_kind = pg_get_kind;
  iface->get_schema_version = pg_get_schema_version;
  iface->get_latest_version = pg_get_latest_version;
  iface->migrate = pg_migrate;
  iface->ping = pg_ping;
  iface->begin = pg_begin;
  iface->commit = pg_commit;
  iface->rollback = pg_rollback;
  iface->org_add = pg_org_add;
  iface->org_get = pg_org_get;
  iface->org_list = pg_org_list;
  iface->org_set_clinic = pg_org_set_clinic;
  iface->code_add = pg_code_add;
  iface->code_get = pg_code_get;
  iface->code_use = pg_code_use;
  _rx_store_pg_access_iface_init (iface);
  _rx_store_pg_log_iface_init (iface);
}
