/* rx-store-sqlite.c: the embedded store (see rx-store.h) on one SQLite file in WAL mode with
 * full synchronisation, so that an answered push survives a crash. This half opens and
 * migrates the file and keeps organisations, codes, workstations, tokens and login failures;
 * rx-store-sqlite-log.c keeps the entries and merged rows. Every value is a bound parameter. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "rx-server-error.h"
#include "rx-store-private.h"
#include "rx-store-sqlite-private.h"

#define MIGRATIONS_PATH "/org/rxdesk/RxDesk/server/migrations"

static void rx_store_sqlite_iface_init (RxStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RxStoreSqlite, rx_store_sqlite, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RX_TYPE_STORE, rx_store_sqlite_iface_init))

static void
rx_store_sqlite_finalize (GObject *object)
{
  RxStoreSqlite *self = (RxStoreSqlite *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->handle != NULL)
    sqlite3_close (self->handle);
  g_free (self->path);

  G_OBJECT_CLASS (rx_store_sqlite_parent_class)->finalize (object);
}

static void
rx_store_sqlite_class_init (RxStoreSqliteClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rx_store_sqlite_finalize;
}

static void
rx_store_sqlite_init (RxStoreSqlite *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
}

/* Helpers --------------------------------------------------------------------------------- */

gboolean
_rx_store_sqlite_fail (RxStoreSqlite  *self,
                       int             rc,
                       const char     *what,
                       GError        **error)
{
  const char *hint = "";

  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    hint = "; another process holds the store, try again in a moment";
  else if (rc == SQLITE_FULL)
    hint = "; the disk is full";
  else if (rc == SQLITE_READONLY || rc == SQLITE_PERM || rc == SQLITE_CANTOPEN)
    hint = "; check that the server may write its data folder";

  g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE, "%s failed in %s: %s%s", what,
               self->path, self->handle ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc),
               hint);
  return FALSE;
}

sqlite3_stmt *
_rx_store_sqlite_prepare (RxStoreSqlite  *self,
                          const char     *sql,
                          GError        **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v2 (self->handle, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _rx_store_sqlite_fail (self, rc, "Preparing a query", error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

gpointer
_rx_store_sqlite_read_one (RxStoreSqlite    *self,
                           sqlite3_stmt     *stmt,
                           RxStoreReadFunc   read,
                           const char       *what,
                           GError          **error)
{
  gpointer record = NULL;
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    record = read (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _rx_store_sqlite_fail (self, rc, what, error);

  return record;
}

GPtrArray *
_rx_store_sqlite_read_all (RxStoreSqlite    *self,
                           sqlite3_stmt     *stmt,
                           RxStoreReadFunc   read,
                           GDestroyNotify    free_func,
                           const char       *what,
                           GError          **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (free_func);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, read (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rx_store_sqlite_fail (self, rc, what, error);
      return NULL;
    }

  return g_steal_pointer (&records);
}

gboolean
_rx_store_sqlite_step_done (RxStoreSqlite  *self,
                            sqlite3_stmt   *stmt,
                            const char     *what,
                            GError        **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _rx_store_sqlite_fail (self, rc, what, error);

  return TRUE;
}

char *
_rx_store_sqlite_dup (sqlite3_stmt *stmt,
                      int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

void
_rx_store_sqlite_bind_text (sqlite3_stmt *stmt,
                            int           index,
                            const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

gint64
_rx_store_sqlite_int (sqlite3_stmt *stmt,
                      int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL ? 0
                                                           : sqlite3_column_int64 (stmt, column);
}

static gboolean
exec (RxStoreSqlite  *self,
      const char     *sql,
      const char     *what,
      GError        **error)
{
  int rc = sqlite3_exec (self->handle, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return _rx_store_sqlite_fail (self, rc, what, error);
  return TRUE;
}

/* Opening and migrating ------------------------------------------------------------------- */

RxStore *
rx_store_sqlite_new (const char  *path,
                     GError     **error)
{
  g_autoptr(RxStoreSqlite) self = NULL;
  int fd, rc;

  g_return_val_if_fail (path != NULL, NULL);

  /* made private before SQLite first writes to it, whatever the umask */
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE,
                   "The store %s cannot be opened: %s; check that its folder exists and the "
                   "server may write there", path, g_strerror (saved));
      return NULL;
    }
  g_close (fd, NULL);

  self = g_object_new (RX_TYPE_STORE_SQLITE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      _rx_store_sqlite_fail (self, rc, "Opening the store", error);
      return NULL;
    }
  sqlite3_extended_result_codes (self->handle, 0);
  sqlite3_busy_timeout (self->handle, 5000);

  /* 64 MiB of page cache: a push touches the log, the merged rows and their indexes at
   * random places, which SQLite's 2 MiB default turns into a read per lookup. */
  if (!exec (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                   "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; "
                   "PRAGMA temp_store = MEMORY;", "Setting up the store", error))
    return NULL;

  return RX_STORE (g_steal_pointer (&self));
}

static int
sqlite_get_latest_version (RxStore *store)
{
  g_autoptr(GPtrArray) files = _rx_store_list_migrations (MIGRATIONS_PATH);

  return files->len;
}

static int
sqlite_get_schema_version (RxStore  *store,
                           GError  **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt = _rx_store_sqlite_prepare (self, "PRAGMA user_version", error);
  int version, rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  version = rc == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : -1;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    _rx_store_sqlite_fail (self, rc, "Reading the store's version", error);

  return version;
}

static gboolean
sqlite_migrate (RxStore  *store,
                GError  **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  g_autoptr(GPtrArray) files = _rx_store_list_migrations (MIGRATIONS_PATH);
  int current = sqlite_get_schema_version (store, error);

  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (current < 0)
    return FALSE;
  if (current > (int) files->len)
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_SCHEMA_TOO_NEW,
                   "The store %s has schema version %d, newer than this rxdesk-server "
                   "understands (%u); run the newer rxdesk-server that upgraded it",
                   self->path, current, files->len);
      return FALSE;
    }

  for (int v = current + 1; v <= (int) files->len; v++)
    {
      const char *name = g_ptr_array_index (files, v - 1);
      g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %d", v);
      g_autofree char *text = _rx_store_read_migration (MIGRATIONS_PATH, name);
      g_autoptr(GError) local_error = NULL;
      int done;

      if (!exec (self, "BEGIN IMMEDIATE", "Starting the upgrade", error))
        return FALSE;
      /* another process starting at the same moment may have upgraded it meanwhile */
      done = sqlite_get_schema_version (store, &local_error);
      if (done >= v)
        {
          if (!exec (self, "COMMIT", name, error))
            return FALSE;
          continue;
        }
      if (done < 0 ||
          !exec (self, text, name, &local_error) ||
          !exec (self, pragma, name, &local_error) ||
          !exec (self, "COMMIT", name, &local_error))
        {
          sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
          g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE,
                       "Upgrading the store to version %d failed: %s; it was left at version %d",
                       v, local_error->message, v - 1);
          return FALSE;
        }
    }

  return TRUE;
}

static const char *
sqlite_get_kind (RxStore *store)
{
  return "sqlite";
}

static gboolean
sqlite_ping (RxStore  *store,
             GError  **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt = _rx_store_sqlite_prepare (self, "SELECT count(*) FROM organisations",
                                                 error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _rx_store_sqlite_fail (self, rc, "Reading the store", error);

  return TRUE;
}

/* Transactions ---------------------------------------------------------------------------- */

static gboolean
sqlite_begin (RxStore  *store,
              GError  **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);

  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (!exec (self, "BEGIN IMMEDIATE", "Starting a write", error))
    return FALSE;
  self->in_transaction = TRUE;
  return TRUE;
}

static gboolean
sqlite_commit (RxStore  *store,
               GError  **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);

  g_return_val_if_fail (self->in_transaction, FALSE);

  if (!exec (self, "COMMIT", "Saving a write", error))
    return FALSE;
  self->in_transaction = FALSE;
  return TRUE;
}

static void
sqlite_rollback (RxStore *store)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);

  if (!self->in_transaction)
    return;
  sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
  self->in_transaction = FALSE;
}

/* Organisations and enrolment codes ------------------------------------------------------- */

static gboolean
sqlite_org_add (RxStore           *store,
                const RxStoreOrg  *org,
                GError           **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "INSERT INTO organisations (id, name, clinic_org_id, "
                                         "head_seq, created_at) VALUES (?1, ?2, ?3, 0, ?4)",
                                   error);
  if (stmt == NULL)
    return FALSE;
  _rx_store_sqlite_bind_text (stmt, 1, org->id);
  _rx_store_sqlite_bind_text (stmt, 2, org->name);
  _rx_store_sqlite_bind_text (stmt, 3, org->clinic_org_id);
  sqlite3_bind_int64 (stmt, 4, org->created_at);

  return _rx_store_sqlite_step_done (self, stmt, "Adding an organisation", error);
}

#define ORG_COLUMNS "id, name, clinic_org_id, head_seq, created_at"

static RxStoreOrg *
read_org (sqlite3_stmt *stmt)
{
  RxStoreOrg *org = g_new0 (RxStoreOrg, 1);

  org->id = _rx_store_sqlite_dup (stmt, 0);
  org->name = _rx_store_sqlite_dup (stmt, 1);
  org->clinic_org_id = _rx_store_sqlite_dup (stmt, 2);
  org->head = sqlite3_column_int64 (stmt, 3);
  org->created_at = sqlite3_column_int64 (stmt, 4);

  return org;
}

static RxStoreOrg *
sqlite_org_get (RxStore     *store,
                const char  *id,
                GError     **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "SELECT " ORG_COLUMNS " FROM organisations "
                                         "WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  _rx_store_sqlite_bind_text (stmt, 1, id);
  return _rx_store_sqlite_read_one (self, stmt, (RxStoreReadFunc) read_org, "Reading an organisation",
                                    error);
}

static GPtrArray *
sqlite_org_list (RxStore  *store,
                 GError  **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "SELECT " ORG_COLUMNS " FROM organisations "
                                         "ORDER BY created_at, name", error);
  if (stmt == NULL)
    return NULL;
  return _rx_store_sqlite_read_all (self, stmt, (RxStoreReadFunc) read_org,
                                    (GDestroyNotify) rx_store_org_free, "Listing organisations", error);
}

static gboolean
sqlite_org_set_clinic (RxStore     *store,
                       const char  *id,
                       const char  *clinic_org_id,
                       GError     **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "UPDATE organisations SET clinic_org_id = ?2 "
                                         "WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _rx_store_sqlite_bind_text (stmt, 1, id);
  _rx_store_sqlite_bind_text (stmt, 2, clinic_org_id);

  return _rx_store_sqlite_step_done (self, stmt, "Setting the clinic of an organisation", error);
}

static gboolean
sqlite_code_add (RxStore            *store,
                 const char         *code_hash,
                 const RxStoreCode  *code,
                 GError            **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "INSERT INTO enrolment_codes (code_hash, org_id, "
                                         "created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
                                   error);
  if (stmt == NULL)
    return FALSE;
  _rx_store_sqlite_bind_text (stmt, 1, code_hash);
  _rx_store_sqlite_bind_text (stmt, 2, code->org_id);
  sqlite3_bind_int64 (stmt, 3, code->created_at);
  sqlite3_bind_int64 (stmt, 4, code->expires_at);

  return _rx_store_sqlite_step_done (self, stmt, "Adding an enrolment code", error);
}

static RxStoreCode *
sqlite_code_get (RxStore     *store,
                 const char  *code_hash,
                 GError     **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  RxStoreCode *code = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_store_sqlite_prepare (self, "SELECT org_id, created_at, expires_at, used_at "
                                         "FROM enrolment_codes WHERE code_hash = ?1", error);
  if (stmt == NULL)
    return NULL;
  _rx_store_sqlite_bind_text (stmt, 1, code_hash);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      code = g_new0 (RxStoreCode, 1);
      code->org_id = _rx_store_sqlite_dup (stmt, 0);
      code->created_at = sqlite3_column_int64 (stmt, 1);
      code->expires_at = sqlite3_column_int64 (stmt, 2);
      code->used_at = _rx_store_sqlite_int (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _rx_store_sqlite_fail (self, rc, "Reading an enrolment code", error);

  return code;
}

static gboolean
sqlite_code_use (RxStore     *store,
                 const char  *code_hash,
                 const char  *workstation_id,
                 gint64       at,
                 GError     **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "UPDATE enrolment_codes SET used_at = ?3, "
                                         "workstation_id = ?2 "
                                         "WHERE code_hash = ?1 AND used_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  _rx_store_sqlite_bind_text (stmt, 1, code_hash);
  _rx_store_sqlite_bind_text (stmt, 2, workstation_id);
  sqlite3_bind_int64 (stmt, 3, at);
  if (!_rx_store_sqlite_step_done (self, stmt, "Using an enrolment code", error))
    return FALSE;

  if (sqlite3_changes (self->handle) != 1)
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_NOT_FOUND,
                   "This enrolment code has been used already");
      return FALSE;
    }

  return TRUE;
}

static void
rx_store_sqlite_iface_init (RxStoreInterface *iface)
{
  iface->get_kind = sqlite_get_kind;
  iface->get_schema_version = sqlite_get_schema_version;
  iface->get_latest_version = sqlite_get_latest_version;
  iface->migrate = sqlite_migrate;
  iface->ping = sqlite_ping;
  iface->begin = sqlite_begin;
  iface->commit = sqlite_commit;
  iface->rollback = sqlite_rollback;
  iface->org_add = sqlite_org_add;
  iface->org_get = sqlite_org_get;
  iface->org_list = sqlite_org_list;
  iface->org_set_clinic = sqlite_org_set_clinic;
  iface->code_add = sqlite_code_add;
  iface->code_get = sqlite_code_get;
  iface->code_use = sqlite_code_use;
  iface->workstation_add = _rx_store_sqlite_workstation_add;
  iface->workstation_get = _rx_store_sqlite_workstation_get;
  iface->workstation_list = _rx_store_sqlite_workstation_list;
  iface->workstation_revoke = _rx_store_sqlite_workstation_revoke;
  iface->workstation_seen = _rx_store_sqlite_workstation_seen;
  iface->token_add = _rx_store_sqlite_token_add;
  iface->token_get = _rx_store_sqlite_token_get;
  iface->token_revoke = _rx_store_sqlite_token_revoke;
  iface->failure_add = _rx_store_sqlite_failure_add;
  iface->failures_count = _rx_store_sqlite_failures_count;
  iface->failures_clear = _rx_store_sqlite_failures_clear;
  iface->entry_find = _rx_store_sqlite_entry_find;
  iface->entry_append = _rx_store_sqlite_entry_append;
  iface->entries_after = _rx_store_sqlite_entries_after;
  iface->row_get = _rx_store_sqlite_row_get;
  iface->rows_find = _rx_store_sqlite_rows_find;
  iface->row_put = _rx_store_sqlite_row_put;
}
