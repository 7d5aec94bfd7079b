/* rx-test-util.c: helpers the test programs share. */
#include "config.h"

#include <glib/gstdio.h>

#include "rx-db-private.h"
#include "rx-test-util.h"

char *
rx_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("rxdesk-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
rx_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        rx_test_remove_dir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

void
rx_test_clinic_setup (RxTestClinic  *clinic,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  clinic->dir = rx_test_make_dir ();
  clinic->path = g_build_filename (clinic->dir, "clinic.db", NULL);
  clinic->db = rx_db_create_clinic (clinic->path, "Test Clinic", &error);
  g_assert_no_error (error);
  g_assert_nonnull (clinic->db);
}

void
rx_test_clinic_teardown (RxTestClinic  *clinic,
                         gconstpointer  data)
{
  g_clear_object (&clinic->db);
  rx_test_remove_dir (clinic->dir);
  g_free (clinic->dir);
  g_free (clinic->path);
}

/* Runs a query that returns one integer; for assertions about what is in the tables. */
gint64
rx_test_count (RxDb       *db,
               const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (_rx_db_get_handle (db), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

char *
rx_test_use_private_keyring (void)
{
  char *dir = rx_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "keyring.db", NULL);

  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", path, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", FALSE);

  return dir;
}

GPtrArray *
rx_test_ids (RxDb       *db,
             const char *sql)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_rx_db_get_handle (db), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  return ids;
}
