/* rx-db.c: one clinic's SQLite database: opening it, applying the numbered migrations
 * embedded as resources, its identity (organisation, site, workstation node, clock) and
 * cached statements. Writing is in rx-db-write.c, upkeep in rx-db-maintenance.c. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gnutls/crypto.h>

#include "rx-core-error.h"
#include "rx-core-resources.h"
#include "rx-db-private.h"
#include "rx-db-struct-private.h"
#include "rx-sync.h"
#include "rx-hlc.h"
#include "rx-role.h"
#include "rx-uuid.h"

#define RX_APPLICATION_ID 0x52784465  /* "RxDe" */
#define MIGRATIONS_PATH   "/org/rxdesk/RxDesk/core/migrations"

G_DEFINE_FINAL_TYPE (RxDb, rx_db, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_ACTOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rx_db_finalize (GObject *object)
{
  RxDb *self = (RxDb *) object;

  if (self->depth > 0)
    {
      g_warning ("Clinic database closed inside a transaction; rolling back");
      sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
    }

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->saved_flags, g_array_unref);
  if (self->handle != NULL)
    sqlite3_close_v2 (self->handle);
  g_free (self->path);
  g_free (self->org_id);
  g_free (self->site_id);
  g_free (self->node_id);
  g_free (self->actor);
  g_clear_object (&self->user);
  g_free (self->audit_head);

  G_OBJECT_CLASS (rx_db_parent_class)->finalize (object);
}

static void
rx_db_get_property (GObject    *object,
                    guint       prop_id,
                    GValue     *value,
                    GParamSpec *pspec)
{
  RxDb *self = RX_DB (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_db_set_property (GObject      *object,
                    guint         prop_id,
                    const GValue *value,
                    GParamSpec   *pspec)
{
  RxDb *self = RX_DB (object);

  switch (prop_id)
    {
    case PROP_ACTOR:
      rx_db_set_actor (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_db_class_init (RxDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rx_db_finalize;
  object_class->get_property = rx_db_get_property;
  object_class->set_property = rx_db_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTOR] =
    g_param_spec_string ("actor", NULL, NULL, "system",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time ();
}

static void
rx_db_init (RxDb *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  self->saved_flags = g_array_new (FALSE, FALSE, sizeof (gboolean));
  self->actor = g_strdup ("system");
  self->clock = real_clock;
}

/* Errors --------------------------------------------------------------------------------- */

gboolean
_rx_db_sqlite_error (RxDb        *self,
                     int          rc,
                     const char  *what,
                     GError     **error)
{
  const char *msg = self && self->handle ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_BUSY,
                   "%s: another RxDesk program is writing to this clinic database; "
                   "try again in a moment", what);
      break;

    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_EXISTS,
                     "%s: a record with the same key already exists (%s)", what, msg);
      else
        g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                     "%s: the values break a rule of the clinic database (%s)", what, msg);
      break;

    case SQLITE_NOTADB:
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_A_CLINIC,
                   "%s: the file is not an RxDesk clinic database", what);
      break;

    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_PERM:
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_IO,
                   "%s: %s; check that the file and its folder exist, are writable and the "
                   "disk is not full", what, msg);
      break;

    default:
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED, "%s: %s", what, msg);
    }

  return FALSE;
}

/* Statements ----------------------------------------------------------------------------- */

sqlite3 *
_rx_db_get_handle (RxDb *self)
{
  return self->handle;
}

sqlite3_stmt *
_rx_db_prepare (RxDb        *self,
                const char  *sql,
                GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      g_critical ("Cannot prepare \"%s\": %s", sql, sqlite3_errmsg (self->handle));
      _rx_db_sqlite_error (self, rc, "Preparing a query", error);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

gboolean
_rx_db_step_done (RxDb          *self,
                  sqlite3_stmt  *stmt,
                  const char    *what,
                  GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    {
      rc = sqlite3_extended_errcode (self->handle);
      _rx_db_sqlite_error (self, rc, what, error);
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
_rx_db_exec (RxDb        *self,
             const char  *sql,
             GError     **error)
{
  int rc;

  rc = sqlite3_exec (self->handle, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return _rx_db_sqlite_error (self, sqlite3_extended_errcode (self->handle),
                                "Updating the clinic database", error);

  return TRUE;
}

char *
_rx_stmt_dup_text (sqlite3_stmt *stmt,
                   int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

void
_rx_stmt_bind_text (sqlite3_stmt *stmt,
                    int           index,
                    const char   *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

/* Meta ----------------------------------------------------------------------------------- */

char *
rx_db_get_meta (RxDb       *self,
                const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (RX_IS_DB (self), NULL);

  stmt = _rx_db_prepare (self, "SELECT value FROM meta WHERE key = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  return value;
}

gboolean
_rx_db_set_meta (RxDb        *self,
                 const char  *key,
                 const char  *value,
                 GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (self,
                         "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, key);
  _rx_stmt_bind_text (stmt, 2, value);

  return _rx_db_step_done (self, stmt, "Saving a clinic setting", error);
}

/* Migrations ----------------------------------------------------------------------------- */

int
_rx_db_query_int (RxDb       *self,
                  const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int value = -1;

  if (sqlite3_prepare_v2 (self->handle, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

int
rx_db_get_schema_version (RxDb *self)
{
  g_return_val_if_fail (RX_IS_DB (self), -1);

  return _rx_db_query_int (self, "PRAGMA user_version");
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* Migration files are named NNNN-what.sql, numbered upwards from 1. A number may be missing
 * while the change that owns it is still being written on another branch: the file that
 * arrives later with a lower number than the database's version is applied then, because
 * the numbers a database skipped are remembered (meta "schema_skipped"). So migrations must
 * not depend on one another except through numbers already present. */
static GPtrArray *
list_migrations (void)
{
  g_auto(GStrv) names = NULL;
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  g_resources_register (rx_core_get_resource ());
  names = g_resources_enumerate_children (MIGRATIONS_PATH, 0, NULL);
  g_assert (names != NULL);

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], ".sql"))
      g_ptr_array_add (files, g_strdup (names[i]));

  g_ptr_array_sort (files, compare_names);

  g_assert (files->len > 0 && atoi (g_ptr_array_index (files, 0)) == 1);
  for (guint i = 1; i < files->len; i++)
    g_assert (atoi (g_ptr_array_index (files, i)) > atoi (g_ptr_array_index (files, i - 1)));

  return files;
}

int
rx_db_get_latest_schema_version (void)
{
  g_autoptr(GPtrArray) files = list_migrations ();

  return atoi (g_ptr_array_index (files, files->len - 1));
}

static gboolean
is_listed (GPtrArray *files,
           int        number)
{
  for (guint i = 0; i < files->len; i++)
    if (atoi (g_ptr_array_index (files, i)) == number)
      return TRUE;
  return FALSE;
}

/* The numbers this database skipped, from meta "schema_skipped" ("7,9"). */
static GArray *
skipped_numbers (RxDb *self,
                 int   current)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree char *text = current >= 1 ? rx_db_get_meta (self, "schema_skipped") : NULL;
  g_auto(GStrv) parts = g_strsplit (text ? text : "", ",", -1);

  for (guint i = 0; parts[i]; i++)
    if (*parts[i] != '\0')
      {
        int n = atoi (parts[i]);

        g_array_append_val (out, n);
      }

  return out;
}

static char *
join_numbers (GArray *numbers)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < numbers->len; i++)
    g_string_append_printf (out, "%s%d", i ? "," : "", g_array_index (numbers, int, i));

  return g_string_free (out, FALSE);
}

static gboolean
apply_migration (RxDb        *self,
                 const char  *name,
                 int          number,
                 GArray      *skipped,
                 GPtrArray   *files,
                 int          current,
                 GError     **error)
{
  g_autofree char *path = g_strconcat (MIGRATIONS_PATH "/", name, NULL);
  g_autoptr(GBytes) sql = g_resources_lookup_data (path, 0, NULL);
  g_autofree char *text = NULL;
  g_autofree char *pragma = NULL;
  g_autofree char *skipped_text = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean skipped_changed = FALSE;

  g_assert (sql != NULL);
  text = g_strndup (g_bytes_get_data (sql, NULL), g_bytes_get_size (sql));

  if (number > current)
    {
      pragma = g_strdup_printf ("PRAGMA user_version = %d", number);
      for (int m = current + 1; m < number; m++)
        if (!is_listed (files, m))
          {
            g_array_append_val (skipped, m);
            skipped_changed = TRUE;
          }
    }
  else
    {
      for (guint i = 0; i < skipped->len; i++)
        if (g_array_index (skipped, int, i) == number)
          {
            g_array_remove_index (skipped, i);
            skipped_changed = TRUE;
            break;
          }
    }
  skipped_text = join_numbers (skipped);

  if (!_rx_db_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!_rx_db_exec (self, text, &local_error) ||
      (pragma != NULL && !_rx_db_exec (self, pragma, &local_error)) ||
      (skipped_changed &&
       !_rx_db_set_meta (self, "schema_skipped", skipped_text, &local_error)) ||
      !_rx_db_exec (self, "COMMIT", &local_error))
    {
      sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED,
                   "Upgrading the clinic database with migration %d (%s) failed: %s; "
                   "the file was left at version %d",
                   number, name, local_error->message, current);
      return FALSE;
    }

  g_debug ("Migrated %s with %s", self->path, name);
  return TRUE;
}

gboolean
rx_db_migrate_to (RxDb    *self,
                  int      version,
                  GError **error)
{
  g_autoptr(GPtrArray) files = list_migrations ();
  g_autoptr(GArray) skipped = NULL;
  int current, latest;

  g_return_val_if_fail (RX_IS_DB (self), FALSE);
  g_return_val_if_fail (self->depth == 0, FALSE);

  current = rx_db_get_schema_version (self);
  latest = atoi (g_ptr_array_index (files, files->len - 1));
  if (version < 0 || version > latest)
    version = latest;

  if (current > latest)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_SCHEMA_TOO_NEW,
                   "This clinic database has schema version %d, newer than this RxDesk "
                   "understands (%d); install a newer RxDesk to open it",
                   current, latest);
      return FALSE;
    }

  skipped = skipped_numbers (self, current);

  for (guint i = 0; i < files->len; i++)
    {
      const char *name = g_ptr_array_index (files, i);
      int number = atoi (name);
      gboolean was_skipped = FALSE;

      for (guint k = 0; k < skipped->len; k++)
        was_skipped |= g_array_index (skipped, int, k) == number;

      if (number > version || (number <= current && !was_skipped))
        continue;

      if (!apply_migration (self, name, number, skipped, files, current, error))
        return FALSE;
      current = MAX (current, number);
    }

  return TRUE;
}

/* Opening -------------------------------------------------------------------------------- */

static char *
new_node_id (void)
{
  guint8 b[8];

  if (gnutls_rnd (GNUTLS_RND_NONCE, b, sizeof b) != 0)
    g_error ("The system random number generator failed");

  return g_strdup_printf ("%02x%02x%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
}

static gboolean
load_identity (RxDb    *self,
               GError **error)
{
  g_autofree char *hlc = NULL;

  g_clear_pointer (&self->org_id, g_free);
  g_clear_pointer (&self->site_id, g_free);
  g_clear_pointer (&self->node_id, g_free);

  self->org_id = rx_db_get_meta (self, "org_id");
  self->site_id = rx_db_get_meta (self, "site_id");
  self->node_id = rx_db_get_meta (self, "node_id");

  if (self->node_id == NULL)
    {
      self->node_id = new_node_id ();
      if (!_rx_db_set_meta (self, "node_id", self->node_id, error))
        return FALSE;
    }

  rx_hlc_init (&self->hlc, self->node_id);
  hlc = rx_db_get_meta (self, "hlc");
  if (hlc != NULL)
    rx_hlc_observe (&self->hlc, hlc, 0);

  return TRUE;
}

static gboolean
configure (RxDb    *self,
           GError **error)
{
  sqlite3_busy_timeout (self->handle, 5000);
  sqlite3_extended_result_codes (self->handle, TRUE);

  return _rx_db_exec (self,
                      "PRAGMA foreign_keys = ON;"
                      "PRAGMA journal_mode = WAL;"
                      "PRAGMA synchronous = NORMAL;"
                      /* 32 MiB of page cache: bulk work (imports, demo data, sync pages)
                       * touches many indexes at once and thrashes SQLite's 2 MiB default */
                      "PRAGMA cache_size = -32768;"
                      "PRAGMA temp_store = MEMORY;",
                      error);
}

static RxDb *
open_at (const char     *path,
         RxDbOpenFlags   flags,
         int             version_wanted,
         GError        **error);

RxDb *
rx_db_open (const char     *path,
            RxDbOpenFlags   flags,
            GError        **error)
{
  return open_at (path, flags, -1, error);
}

/* For tests of upgrades: a new file at an older schema version, as an older RxDesk left it. */
RxDb *
_rx_db_create_at_version (const char  *path,
                          int          version,
                          GError     **error)
{
  return open_at (path, RX_DB_OPEN_CREATE, version, error);
}

static RxDb *
open_at (const char     *path,
         RxDbOpenFlags   flags,
         int             version_wanted,
         GError        **error)
{
  g_autoptr(RxDb) self = NULL;
  gboolean create = (flags & RX_DB_OPEN_CREATE) != 0;
  int rc;
  int app_id;
  int version;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (RX_TYPE_DB, NULL);
  self->path = g_strdup (path);

  if (create)
    {
      /* Made here rather than by SQLite so that it is private to this user from the start;
       * SQLite gives its -wal and -shm files the same mode. */
      int fd = g_open (path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);

      if (fd < 0)
        {
          int saved = errno;

          g_set_error (error, RX_CORE_ERROR,
                       saved == EEXIST ? RX_CORE_ERROR_EXISTS : RX_CORE_ERROR_IO,
                       saved == EEXIST
                         ? "“%s” already exists; choose another file or open that one"
                         : "Cannot create “%s”: %s",
                       path, g_strerror (saved));
          return NULL;
        }
      close (fd);
    }
  else if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no clinic database at “%s”; create one with "
                   "“rxdesk-cli --db %s init --clinic NAME”", path, path);
      return NULL;
    }

  rc = sqlite3_open_v2 (path, &self->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf ("Opening “%s”", path);

      _rx_db_sqlite_error (self, rc, what, error);
      return NULL;
    }

  app_id = _rx_db_query_int (self, "PRAGMA application_id");
  version = rx_db_get_schema_version (self);
  if (app_id < 0 || version < 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_A_CLINIC,
                   "“%s” is not an RxDesk clinic database (it is not an SQLite file)", path);
      return NULL;
    }

  if (create)
    {
      if (!_rx_db_exec (self, "PRAGMA application_id = 1383613541", error))
        return NULL;
    }
  else if (app_id != RX_APPLICATION_ID || version == 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_A_CLINIC,
                   "“%s” is not an RxDesk clinic database; open a file made by "
                   "“rxdesk-cli init” or by RxDesk's set-up", path);
      return NULL;
    }

  if (!configure (self, error) ||
      !rx_db_migrate_to (self, version_wanted, error))
    return NULL;

  if ((version_wanted < 0 || version_wanted >= 1) && !load_identity (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

G_STATIC_ASSERT (RX_APPLICATION_ID == 1383613541);

RxDb *
rx_db_create_clinic (const char  *path,
                     const char  *clinic_name,
                     GError     **error)
{
  g_autoptr(RxDb) self = NULL;
  g_autoptr(RxRow) org = NULL;
  g_autoptr(RxRow) site = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (clinic_name != NULL, NULL);

  name = g_strstrip (g_strdup (clinic_name));
  if (*name == '\0' || !g_utf8_validate (name, -1, NULL) || strlen (name) > 200)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The clinic needs a name of 1 to 200 characters");
      return NULL;
    }

  self = rx_db_open (path, RX_DB_OPEN_CREATE, error);
  if (self == NULL)
    return NULL;

  self->org_id = rx_uuid7_new (rx_db_now (self) / 1000);
  self->site_id = rx_uuid7_new (rx_db_now (self) / 1000);

  if (!rx_db_begin (self, error))
    return NULL;

  org = _rx_row_new_insert_with_id ("organisations", self->org_id);
  _rx_row_set_text (org, "name", name);

  site = _rx_row_new_insert_with_id ("sites", self->site_id);
  _rx_row_set_text (site, "name", name);
  _rx_row_set_text (site, "kind", "clinic+pharmacy");

  if (!_rx_db_set_meta (self, "clinic_name", name, error) ||
      !_rx_db_set_meta (self, "org_id", self->org_id, error) ||
      !_rx_db_set_meta (self, "site_id", self->site_id, error) ||
      !_rx_db_put (self, org, error) ||
      !_rx_db_put (self, site, error) ||
      !_rx_db_audit (self, "create", "organisations", self->org_id, name, error) ||
      !rx_db_commit (self, error))
    {
      rx_db_rollback (self);
      g_clear_object (&self);
      rx_db_remove_files (path);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/* A workstation joining an organisation that already has data: a clinic file with the
 * organisation's id and nothing else, which the first pull fills. */
RxDb *
rx_db_create_replica (const char  *path,
                      const char  *clinic_org_id,
                      const char  *node_id,
                      GError     **error)
{
  g_autoptr(RxDb) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (clinic_org_id != NULL, NULL);

  self = rx_db_open (path, RX_DB_OPEN_CREATE, error);
  if (self == NULL)
    return NULL;

  if (!_rx_db_set_meta (self, "org_id", clinic_org_id, error) ||
      (node_id != NULL && !_rx_db_set_meta (self, "node_id", node_id, error)) ||
      !load_identity (self, error))
    {
      g_clear_object (&self);
      rx_db_remove_files (path);
      return NULL;
    }

  return g_steal_pointer (&self);
}

gboolean
_rx_db_reload_identity (RxDb    *self,
                        GError **error)
{
  return load_identity (self, error);
}

/* Accessors ------------------------------------------------------------------------------ */

const char *
rx_db_get_path (RxDb *self)
{
  g_return_val_if_fail (RX_IS_DB (self), NULL);
  return self->path;
}

const char *
rx_db_get_org_id (RxDb *self)
{
  g_return_val_if_fail (RX_IS_DB (self), NULL);
  return self->org_id;
}

const char *
rx_db_get_site_id (RxDb *self)
{
  g_return_val_if_fail (RX_IS_DB (self), NULL);
  return self->site_id;
}

const char *
rx_db_get_node_id (RxDb *self)
{
  g_return_val_if_fail (RX_IS_DB (self), NULL);
  return self->node_id;
}

char *
rx_db_dup_clinic_name (RxDb *self)
{
  g_return_val_if_fail (RX_IS_DB (self), NULL);
  return rx_db_get_meta (self, "clinic_name");
}

const char *
rx_db_get_actor (RxDb *self)
{
  g_return_val_if_fail (RX_IS_DB (self), NULL);
  return self->actor;
}

/* The actor is who is writing: a user id once someone logged in, else a label such as
 * "system" or "cli". It stamps updated_by, the change log and the audit trail. */
void
rx_db_set_actor (RxDb       *self,
                 const char *actor)
{
  g_return_if_fail (RX_IS_DB (self));

  if (actor == NULL || *actor == '\0')
    actor = "system";

  if (g_strcmp0 (self->actor, actor) == 0)
    return;

  g_free (self->actor);
  self->actor = g_strdup (actor);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTOR]);
}

/* The person logged in at this workstation. From then on every core API checks the role
 * table for them before acting, and stamps their id as the author. NULL logs out. Tools
 * that run as the file's owner (rxdesk-cli, the demo) leave it unset and act as admins. */
void
rx_db_set_user (RxDb   *self,
                RxUser *user)
{
  g_return_if_fail (RX_IS_DB (self));
  g_return_if_fail (user == NULL || RX_IS_USER (user));

  g_set_object (&self->user, user);
  rx_db_set_actor (self, user ? rx_user_get_id (user) : NULL);
}

RxUser *
rx_db_get_user (RxDb *self)
{
  g_return_val_if_fail (RX_IS_DB (self), NULL);
  return self->user;
}

gboolean
_rx_db_require (RxDb      *self,
                RxAction   action,
                GError   **error)
{
  if (self->user == NULL)
    return TRUE;

  return rx_user_can (self->user, action, error);
}

void
rx_db_set_clock (RxDb        *self,
                 RxClockFunc  clock,
                 gpointer     user_data)
{
  g_return_if_fail (RX_IS_DB (self));

  self->clock = clock ? clock : real_clock;
  self->clock_data = user_data;
}

gint64
rx_db_now (RxDb *self)
{
  g_return_val_if_fail (RX_IS_DB (self), 0);
  return self->clock (self->clock_data);
}

char *
rx_db_now_iso (RxDb *self)
{
  gint64 now = rx_db_now (self);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                          g_date_time_get_year (dt), g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt),
                          g_date_time_get_hour (dt), g_date_time_get_minute (dt),
                          g_date_time_get_second (dt),
                          (int) ((now % G_USEC_PER_SEC) / 1000));
}
