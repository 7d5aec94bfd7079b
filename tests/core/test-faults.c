/* test-faults.c: what happens to a clinic file when the disk fills up in the middle of the
 * day. SQLite's page limit stands in for a full disk (the same SQLITE_FULL a real one gives):
 * each write either lands whole (the record, its change-log entry and its audit event) or not
 * at all, the error says what to do, the file stays sound, and once there is room again the
 * next write and a reopen work. Killing the server or a workstation mid-sync and clock skew
 * are in tests/sync and test-sync-apply. */
#include "config.h"

#include <string.h>

#include "rx-db-private.h"
#include "rx-test-util.h"

static gint64
pragma_int (RxDb       *db,
            const char *sql)
{
  return rx_test_count (db, sql);
}

static void
limit_pages (RxDb   *db,
             gint64  pages)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages);
  char *message = NULL;

  g_assert_cmpint (sqlite3_exec (_rx_db_get_handle (db), sql, NULL, NULL, &message), ==,
                   SQLITE_OK);
  sqlite3_free (message);
}

static char *
integrity (RxDb *db)
{
  sqlite3_stmt *stmt = NULL;
  char *result;

  g_assert_cmpint (sqlite3_prepare_v2 (_rx_db_get_handle (db), "PRAGMA integrity_check", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return result;
}

/* Every patient has its change-log entry and every entry its patient: nothing half-written. */
static void
assert_whole (RxDb *db)
{
  g_autofree char *check = integrity (db);
  g_autoptr(GError) error = NULL;
  guint64 checked = 0;

  g_assert_cmpstr (check, ==, "ok");
  g_assert_cmpint (rx_test_count (db, "SELECT count(*) FROM patients p WHERE NOT EXISTS "
                                      "(SELECT 1 FROM change_log c WHERE c.entity = 'patients' "
                                      "AND c.row_id = p.id)"), ==, 0);
  g_assert_cmpint (rx_test_count (db, "SELECT count(*) FROM change_log c WHERE c.entity = "
                                      "'patients' AND NOT EXISTS (SELECT 1 FROM patients p "
                                      "WHERE p.id = c.row_id)"), ==, 0);
  g_assert_true (rx_audit_verify (db, &checked, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (checked, >, 0);
}

static char *
add_patient (RxDb     *db,
             guint     n,
             GError  **error)
{
  g_autofree char *family = g_strdup_printf ("Fullerton-%04u", n);
  /* a long address fills pages quickly */
  g_autofree char *address = g_strnfill (290, 'a' + n % 26);
  RxPatientFields fields = {
    .family_name = family,
    .given_names = "Disk",
    .birth_date = "1980-01-01",
    .sex = "X",
    .address = address,
  };
  g_autoptr(RxPatient) patient = rx_patients_add (db, &fields, NULL, error);

  return patient ? g_strdup (rx_patient_get_id (patient)) : NULL;
}

static void
test_disk_full (RxTestClinic  *clinic,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxDb) reopened = NULL;
  g_autofree char *after = NULL;
  gint64 before = rx_test_count (clinic->db, "SELECT count(*) FROM patients");
  gint64 added = 0;
  guint n;

  /* a little room, then none */
  limit_pages (clinic->db, pragma_int (clinic->db, "PRAGMA page_count") + 8);
  for (n = 0; n < 500; n++)
    {
      g_autofree char *id = add_patient (clinic->db, n, &error);

      if (id == NULL)
        break;
      added++;
    }
  g_assert_cmpuint (n, <, 500);
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "disk is not full"));
  g_clear_error (&error);

  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM patients"), ==,
                   before + added);
  assert_whole (clinic->db);

  /* still full: refused again, still whole */
  g_assert_null (add_patient (clinic->db, 9000, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_IO);
  g_clear_error (&error);
  assert_whole (clinic->db);

  /* room again: the next write works, and the file opens again with everything in it */
  limit_pages (clinic->db, 1073741823);
  after = add_patient (clinic->db, 9001, &error);
  g_assert_no_error (error);
  g_assert_nonnull (after);
  g_clear_object (&clinic->db);

  reopened = rx_db_open (clinic->path, RX_DB_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rx_test_count (reopened, "SELECT count(*) FROM patients"), ==,
                   before + added + 1);
  assert_whole (reopened);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/faults/disk-full", RxTestClinic, NULL, rx_test_clinic_setup, test_disk_full,
              rx_test_clinic_teardown);

  return g_test_run ();
}
