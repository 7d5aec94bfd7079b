/* rx-db-maintenance.c: looking after a clinic file: integrity checks, online backups, and
 * the counts the app's status line shows. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>

#include "rx-core-error.h"
#include "rx-db-private.h"

/* Maintenance ---------------------------------------------------------------------------- */

gboolean
rx_db_check_integrity (RxDb    *self,
                       GError **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  int rc;

  g_return_val_if_fail (RX_IS_DB (self), FALSE);

  rc = sqlite3_prepare_v2 (_rx_db_get_handle (self), "PRAGMA integrity_check", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return _rx_db_sqlite_error (self, rc, "Checking the clinic database", error);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_string_append_printf (problems, "%s%s", problems->len ? "; " : "", line);
    }
  sqlite3_finalize (stmt);

  if (problems->len == 0)
    {
      rc = sqlite3_prepare_v2 (_rx_db_get_handle (self), "PRAGMA foreign_key_check", -1, &stmt, NULL);
      if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (problems, "a row of %s points at a missing record",
                                sqlite3_column_text (stmt, 0));
      sqlite3_finalize (stmt);
    }

  if (problems->len > 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED,
                   "The clinic database “%s” is damaged (%s); restore it from a backup",
                   rx_db_get_path (self), problems->str);
      return FALSE;
    }

  return TRUE;
}

gboolean
rx_db_backup_to (RxDb        *self,
                 const char  *dest_path,
                 GError     **error)
{
  return rx_db_backup_to_with_progress (self, dest_path, NULL, NULL, error);
}

/* Copies the clinic with SQLite's online backup, a few pages at a time so that other
 * workstation processes keep writing; @progress (if any) hears of each step, in the calling
 * thread. The copy is opened and checked before it counts as a backup. */
gboolean
rx_db_backup_to_with_progress (RxDb            *self,
                               const char      *dest_path,
                               RxProgressFunc   progress,
                               gpointer         user_data,
                               GError         **error)
{
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  g_autoptr(RxDb) copy = NULL;
  int fd;
  int rc;

  g_return_val_if_fail (RX_IS_DB (self), FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);

  if (!_rx_db_require (self, RX_ACTION_BACKUP, error))
    return FALSE;

  fd = g_open (dest_path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, RX_CORE_ERROR,
                   saved == EEXIST ? RX_CORE_ERROR_EXISTS : RX_CORE_ERROR_IO,
                   saved == EEXIST
                     ? "“%s” already exists; backups never overwrite a file, choose a new name"
                     : "Cannot create the backup “%s”: %s",
                   dest_path, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  rc = sqlite3_open_v2 (dest_path, &dest, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    {
      backup = sqlite3_backup_init (dest, "main", _rx_db_get_handle (self), "main");
      if (backup != NULL)
        {
          /* Copy in steps so that writers on other workstation processes are not starved. */
          do
            {
              rc = sqlite3_backup_step (backup, 256);
              if (progress != NULL)
                progress (sqlite3_backup_pagecount (backup) - sqlite3_backup_remaining (backup),
                          sqlite3_backup_pagecount (backup), user_data);
            }
          while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
          sqlite3_backup_finish (backup);
          if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
        }
      else
        rc = sqlite3_errcode (dest);
    }

  if (rc != SQLITE_OK)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_IO,
                   "Backing up to “%s” failed: %s; nothing was changed in the clinic database",
                   dest_path, dest ? sqlite3_errmsg (dest) : sqlite3_errstr (rc));
      sqlite3_close (dest);
      g_unlink (dest_path);
      return FALSE;
    }
  sqlite3_close (dest);

  /* A backup nobody has opened is a hope, not a backup. */
  copy = rx_db_open (dest_path, RX_DB_OPEN_NONE, error);
  if (copy == NULL || !rx_db_check_integrity (copy, error))
    return FALSE;

  return _rx_db_audit (self, "backup", "clinic", NULL, dest_path, error);
}

/* Opens @path read-only without touching it (no -wal or -shm beside it) and checks that it
 * is an RxDesk clinic this version understands. */
static sqlite3 *
open_backup (const char  *path,
             GError     **error)
{
  g_autofree char *uri = NULL;
  g_autofree char *file_uri = NULL;
  g_autofree char *full = NULL;
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  int app_id = -1, version = -1, latest = rx_db_get_latest_schema_version ();

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no backup at “%s”; choose the file a backup wrote", path);
      return NULL;
    }

  full = g_canonicalize_filename (path, NULL);
  file_uri = g_filename_to_uri (full, NULL, NULL);
  if (file_uri == NULL)
    goto not_a_clinic;
  /* immutable: nothing is written beside the backup, not even a -shm file */
  uri = g_strconcat (file_uri, "?immutable=1", NULL);
  if (sqlite3_open_v2 (uri, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
    goto not_a_clinic;

  if (sqlite3_prepare_v2 (handle, "PRAGMA application_id", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    app_id = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (sqlite3_prepare_v2 (handle, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (app_id != 0x52784465 || version <= 0)
    goto not_a_clinic;

  if (version > latest)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_SCHEMA_TOO_NEW,
                   "“%s” was made by a newer RxDesk (schema %d, this one knows %d); restore it "
                   "with that version or newer", path, version, latest);
      sqlite3_close (handle);
      return NULL;
    }

  return handle;

not_a_clinic:
  sqlite3_close (handle);
  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_A_CLINIC,
               "“%s” is not an RxDesk backup; choose a file made by Back Up or "
               "“rxdesk-cli backup”", path);
  return NULL;
}

/**
 * rx_db_restore:
 * @backup_path: a backup made by rx_db_backup_to()
 * @dest_path: the clinic file to make; it must not exist (a restore never overwrites)
 *
 * Refuses a file that is not an RxDesk clinic or that a newer RxDesk made, never writes to
 * the backup, copies it to @dest_path, brings that up to this version's schema, checks it,
 * and records the restore in its audit log.
 */
gboolean
rx_db_restore (const char  *backup_path,
               const char  *dest_path,
               const char  *actor,
               GError     **error)
{
  sqlite3 *source;
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  g_autoptr(RxDb) restored = NULL;
  int fd;
  int rc;

  g_return_val_if_fail (backup_path != NULL, FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);

  source = open_backup (backup_path, error);
  if (source == NULL)
    return FALSE;

  fd = g_open (dest_path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, RX_CORE_ERROR,
                   saved == EEXIST ? RX_CORE_ERROR_EXISTS : RX_CORE_ERROR_IO,
                   saved == EEXIST
                     ? "“%s” already exists; a restore never overwrites a clinic, choose a new "
                       "file name"
                     : "Cannot create “%s”: %s",
                   dest_path, g_strerror (saved));
      sqlite3_close (source);
      return FALSE;
    }
  close (fd);

  rc = sqlite3_open_v2 (dest_path, &dest, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    {
      backup = sqlite3_backup_init (dest, "main", source, "main");
      rc = backup != NULL ? sqlite3_backup_step (backup, -1) : sqlite3_errcode (dest);
      if (backup != NULL)
        sqlite3_backup_finish (backup);
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_close (source);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_IO,
                   "Restoring “%s” failed: %s; nothing was restored", backup_path,
                   dest ? sqlite3_errmsg (dest) : sqlite3_errstr (rc));
      sqlite3_close (dest);
      rx_db_remove_files (dest_path);
      return FALSE;
    }
  sqlite3_close (dest);

  restored = rx_db_open (dest_path, RX_DB_OPEN_NONE, error);
  if (restored != NULL)
    rx_db_set_actor (restored, actor);
  if (restored == NULL || !rx_db_check_integrity (restored, error) ||
      !_rx_db_audit (restored, "restore", "clinic", NULL, backup_path, error))
    {
      g_clear_object (&restored);
      rx_db_remove_files (dest_path);
      return FALSE;
    }

  return TRUE;
}

gint64
rx_db_count_pending_changes (RxDb *self)
{
  g_return_val_if_fail (RX_IS_DB (self), -1);

  return _rx_db_query_int (self, "SELECT count(*) FROM change_log WHERE pushed_seq IS NULL");
}

/* Counts live rows of one of core's own tables (names are checked against the schema). */
gint64
rx_db_count_rows (RxDb       *self,
                  const char *table)
{
  sqlite3_stmt *stmt;
  g_autofree char *sql = NULL;
  gboolean known = FALSE;
  gint64 count = -1;

  g_return_val_if_fail (RX_IS_DB (self), -1);
  g_return_val_if_fail (table != NULL, -1);

  stmt = _rx_db_prepare (self,
                         "SELECT 1 FROM sqlite_schema s, pragma_table_info (s.name) c "
                         "WHERE s.type = 'table' AND s.name = ?1 AND c.name = 'deleted'", NULL);
  if (stmt == NULL)
    return -1;
  _rx_stmt_bind_text (stmt, 1, table);
  known = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (!known)
    return -1;

  sql = g_strdup_printf ("SELECT count(*) FROM \"%s\" WHERE deleted = 0", table);
  stmt = _rx_db_prepare (self, sql, NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);

  return count;
}

/* Removes a clinic file that was never finished, with the files SQLite keeps beside it, so
 * that making it can simply be tried again. Only for files nobody has open. */
void
rx_db_remove_files (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_return_if_fail (path != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}
