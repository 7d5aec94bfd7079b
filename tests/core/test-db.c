/* test-db.c: the clinic database: migrations, identity, transactions, change log, backup. */
#include "config.h"

#include <glib/gstdio.h>

#include "rx-db-private.h"
#include "rx-test-util.h"

static void
test_uuid7 (void)
{
  g_autofree char *a = rx_uuid7_new (1700000000000);
  g_autofree char *b = rx_uuid7_new (1700000000001);
  g_autofree char *n1 = rx_uuid_for_name ("formulary", "amoxicillin-500mg-capsule");
  g_autofree char *n2 = rx_uuid_for_name ("formulary", "amoxicillin-500mg-capsule");
  g_autofree char *n3 = rx_uuid_for_name ("formulary", "amoxicillin-250mg-capsule");

  g_assert_true (rx_uuid_is_valid (a));
  g_assert_cmpint (a[14], ==, '7');
  g_assert_true (strchr ("89ab", a[19]) != NULL);
  g_assert_cmpint (rx_uuid7_get_unix_ms (a), ==, 1700000000000);
  g_assert_cmpstr (a, <, b);
  g_assert_cmpstr (n1, ==, n2);
  g_assert_cmpstr (n1, !=, n3);
  g_assert_cmpint (n1[14], ==, '8');
  g_assert_false (rx_uuid_is_valid ("not-a-uuid"));
  g_assert_false (rx_uuid_is_valid ("0189ABCD-0000-7000-8000-000000000000"));
}

static void
test_hlc (void)
{
  RxHlc a, b;
  g_autofree char *t1 = NULL;
  g_autofree char *t2 = NULL;
  g_autofree char *t3 = NULL;
  g_autofree char *t4 = NULL;
  g_autofree char *node = NULL;
  gint64 wall;
  guint counter;

  rx_hlc_init (&a, "00000000000000aa");
  rx_hlc_init (&b, "00000000000000bb");

  t1 = rx_hlc_tick (&a, 1000);
  t2 = rx_hlc_tick (&a, 1000);   /* same millisecond: the counter moves */
  g_assert_cmpint (rx_hlc_compare (t1, t2), <, 0);

  /* b's clock is behind; after seeing t2 its next stamp still orders after it */
  g_assert_true (rx_hlc_observe (&b, t2, 500));
  t3 = rx_hlc_tick (&b, 500);
  g_assert_cmpint (rx_hlc_compare (t2, t3), <, 0);

  /* the physical clock going backwards never makes time go backwards */
  t4 = rx_hlc_tick (&a, 10);
  g_assert_cmpint (rx_hlc_compare (t2, t4), <, 0);

  g_assert_true (rx_hlc_parse (t3, &wall, &counter, &node));
  g_assert_cmpint (wall, ==, 1000);
  g_assert_cmpuint (counter, ==, 2);
  g_assert_cmpstr (node, ==, "00000000000000bb");
  g_assert_false (rx_hlc_parse ("garbage", NULL, NULL, NULL));
  g_assert_false (rx_hlc_observe (&a, "0000000003e8.0001.ZZZZ", 0));
}

static void
test_create_and_reopen (RxTestClinic  *clinic,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxDb) again = NULL;
  g_autofree char *name = NULL;
  g_autofree char *org = g_strdup (rx_db_get_org_id (clinic->db));
  g_autofree char *node = g_strdup (rx_db_get_node_id (clinic->db));
  GStatBuf st;

  g_assert_cmpint (rx_db_get_schema_version (clinic->db), ==,
                   rx_db_get_latest_schema_version ());
  g_assert_cmpint (rx_db_get_latest_schema_version (), >=, 4);
  g_assert_true (rx_uuid_is_valid (org));
  g_assert_cmpint (strlen (node), ==, 16);

  /* private to the user who made it */
  g_assert_cmpint (g_stat (clinic->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpint (rx_test_count (clinic->db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM organisations"), ==, 1);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM change_log"), >=, 2);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM audit_events"), ==, 1);

  g_clear_object (&clinic->db);
  again = rx_db_open (clinic->path, RX_DB_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rx_db_get_org_id (again), ==, org);
  g_assert_cmpstr (rx_db_get_node_id (again), ==, node);
  name = rx_db_dup_clinic_name (again);
  g_assert_cmpstr (name, ==, "Test Clinic");

  /* creating over an existing file is refused, and leaves it alone */
  g_assert_null (rx_db_create_clinic (clinic->path, "Other", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_EXISTS);
  clinic->db = g_steal_pointer (&again);
}

static void
test_journal_mode (RxTestClinic  *clinic,
                   gconstpointer  data)
{
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (_rx_db_get_handle (clinic->db), "PRAGMA journal_mode", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
}

/* An empty file, a text file and another program's SQLite file are all refused clearly. */
static void
test_not_a_clinic (void)
{
  g_autofree char *dir = rx_test_make_dir ();
  g_autofree char *text = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *other = g_build_filename (dir, "other.db", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.db", NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *handle = NULL;

  g_file_set_contents (text, "This is not a database, it is a shopping list.\n", -1, NULL);
  g_assert_null (rx_db_open (text, RX_DB_OPEN_NONE, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_A_CLINIC);
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_open (other, &handle), ==, SQLITE_OK);
  sqlite3_exec (handle, "CREATE TABLE t (x); PRAGMA user_version = 3", NULL, NULL, NULL);
  sqlite3_close (handle);
  g_assert_null (rx_db_open (other, RX_DB_OPEN_NONE, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_A_CLINIC);
  g_clear_error (&error);

  g_assert_null (rx_db_open (missing, RX_DB_OPEN_NONE, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "init --clinic"));

  rx_test_remove_dir (dir);
}

static void
test_schema_too_new (RxTestClinic  *clinic,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxDb) again = NULL;

  g_assert_true (_rx_db_exec (clinic->db, "PRAGMA user_version = 999", NULL));
  g_clear_object (&clinic->db);

  again = rx_db_open (clinic->path, RX_DB_OPEN_NONE, &error);
  g_assert_null (again);
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_SCHEMA_TOO_NEW);
}

/* A database left at each older version by an earlier RxDesk, with data in it, upgrades to
 * the latest without losing that data. */
static void
test_migrate_from_each_version (void)
{
  int latest = rx_db_get_latest_schema_version ();

  for (int from = 0; from < latest; from++)
    {
      g_autofree char *dir = rx_test_make_dir ();
      g_autofree char *path = g_build_filename (dir, "old.db", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(RxDb) db = NULL;

      /* The file an older RxDesk would have left: schema up to `from`, with data in it. */
      db = _rx_db_create_at_version (path, from, &error);
      g_assert_no_error (error);
      if (rx_db_get_schema_version (db) != from)
        {
          /* no migration has this number (yet): no older RxDesk left a file at it */
          g_assert_cmpint (rx_db_get_schema_version (db), <, from);
          g_clear_object (&db);
          rx_test_remove_dir (dir);
          continue;
        }
      if (from >= 1)
        {
          g_assert_true (_rx_db_exec (db,
                                      "INSERT INTO meta (key, value) VALUES ('marker', 'kept');"
                                      "INSERT INTO patients (id, org_id, updated_hlc, updated_by, "
                                      "record_number, family_name, given_names, birth_date, "
                                      "created_at) VALUES ('p1', 'o1', 'h', 'u', 'P-0000-0001', "
                                      "'Older', 'Ann', '1940-01-01', '2020-01-01T00:00:00Z')",
                                      &error));
          g_assert_no_error (error);
        }
      g_clear_object (&db);

      db = rx_db_open (path, RX_DB_OPEN_NONE, &error);
      if (from == 0)
        {
          /* version 0 is an empty file: not a clinic yet, and it says so */
          g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_A_CLINIC);
          rx_test_remove_dir (dir);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpint (rx_db_get_schema_version (db), ==, latest);
      {
        g_autofree char *marker = rx_db_get_meta (db, "marker");
        g_assert_cmpstr (marker, ==, "kept");
      }
      g_assert_cmpint (rx_test_count (db, "SELECT count(*) FROM patients_fts "
                                          "WHERE patients_fts MATCH 'older'"), ==, 1);
      g_assert_cmpint (rx_test_count (db, "SELECT count(*) FROM products"), ==, 0);
      g_clear_object (&db);
      rx_test_remove_dir (dir);
    }
}

static void
test_patient_round_trip (RxTestClinic  *clinic,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxPatient) p = NULL;
  g_autoptr(RxPatient) again = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autofree char *display = NULL;
  const char *allergies[] = { "Penicillins", "sulfonamides", NULL };
  RxPatientFields f = {
    .family_name = "  Okafor ",
    .given_names = "Adaeze Grace",
    .birth_date = "1984-03-27",
    .sex = "F",
    .phone = "+44 20 7946 0018",
  };
  RxPatientFields change = { .phone = "+44 20 7946 0999" };
  GPtrArray *list;
  GDate on;

  p = rx_patients_add (clinic->db, &f, allergies, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rx_patient_get_family_name (p), ==, "Okafor");
  g_assert_cmpint (strlen (rx_patient_get_record_number (p)), ==, 11);
  display = rx_patient_dup_display_name (p);
  g_assert_cmpstr (display, ==, "OKAFOR, Adaeze Grace");
  list = rx_patient_get_allergies (p);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((RxAllergy *) list->pdata[0])->allergen, ==, "penicillins");

  g_date_clear (&on, 1);
  g_date_set_dmy (&on, 26, 3, 2024);
  g_assert_cmpint (rx_patient_get_age (p, &on), ==, 39);
  g_date_set_dmy (&on, 27, 3, 2024);
  g_assert_cmpint (rx_patient_get_age (p, &on), ==, 40);

  g_assert_true (rx_patients_update (clinic->db, rx_patient_get_id (p), &change, &error));
  g_assert_no_error (error);
  again = rx_patients_get (clinic->db, rx_patient_get_record_number (p), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rx_patient_get_phone (again), ==, "+44 20 7946 0999");
  g_assert_cmpstr (rx_patient_get_birth_date (again), ==, "1984-03-27");

  g_assert_true (rx_patients_remove_allergy (clinic->db,
                                             ((RxAllergy *) list->pdata[0])->id, &error));
  g_clear_object (&again);
  again = rx_patients_get (clinic->db, rx_patient_get_id (p), &error);
  g_assert_cmpuint (rx_patient_get_allergies (again)->len, ==, 1);

  found = rx_patients_search (clinic->db, "okaf ada", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);
  {
    g_autoptr(RxPatient) hit = g_list_model_get_item (found, 0);

    g_assert_cmpuint (rx_patient_get_allergies (hit)->len, ==, 1);
  }
  g_clear_object (&found);
  found = rx_patients_search (clinic->db, "1984-03", 10, &error);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);
  g_clear_object (&found);
  found = rx_patients_search (clinic->db, "\"unbalanced AND (", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 0);

  /* writes and reads are audited (the two gets; a create is its own audit event), and every
   * write has its change-log entry */
  g_assert_cmpint (rx_test_count (clinic->db,
                                  "SELECT count(*) FROM audit_events WHERE entity = 'patients' "
                                  "AND action = 'read'"), >=, 2);
  g_assert_cmpint (rx_test_count (clinic->db,
                                  "SELECT count(*) FROM audit_events WHERE action = 'search'"),
                   ==, 3);
  g_assert_cmpint (rx_test_count (clinic->db,
                                  "SELECT count(*) FROM change_log WHERE entity = 'patients'"),
                   ==, 2);
  g_assert_cmpint (rx_test_count (clinic->db,
                                  "SELECT count(*) FROM change_log WHERE entity = 'patients' "
                                  "AND json_extract (payload, '$.phone') = '+44 20 7946 0999'"),
                   ==, 1);
}

static void
test_patient_bad_input (RxTestClinic  *clinic,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RxPatientFields no_name = { .family_name = " ", .birth_date = "1990-01-01" };
  RxPatientFields bad_date = { .family_name = "Doe", .birth_date = "1990-02-30" };
  RxPatientFields future = { .family_name = "Doe", .birth_date = "2999-01-01" };
  RxPatientFields bad_sex = { .family_name = "Doe", .birth_date = "1990-01-01", .sex = "Q" };

  g_assert_null (rx_patients_add (clinic->db, &no_name, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (rx_patients_add (clinic->db, &bad_date, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "YYYY-MM-DD"));
  g_clear_error (&error);
  g_assert_null (rx_patients_add (clinic->db, &future, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (rx_patients_add (clinic->db, &bad_sex, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM patients"), ==, 0);
}

/* A write that fails half-way leaves nothing: no row, no change-log entry, no audit event. */
static void
test_rollback_leaves_nothing (RxTestClinic  *clinic,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 changes = rx_test_count (clinic->db, "SELECT count(*) FROM change_log");
  gint64 audits = rx_test_count (clinic->db, "SELECT count(*) FROM audit_events");
  const char *allergies[] = { "latex", "", NULL };   /* the second one is invalid */
  RxPatientFields f = { .family_name = "Halfway", .birth_date = "1970-01-01" };

  g_assert_null (rx_patients_add (clinic->db, &f, allergies, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);

  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM patients"), ==, 0);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM patient_allergies"), ==, 0);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM patients_fts"), ==, 0);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM change_log"), ==, changes);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM audit_events"), ==, audits);

  /* and the database is usable afterwards, with an intact audit chain */
  g_clear_error (&error);
  allergies[1] = NULL;
  g_clear_object (&clinic->db);
  clinic->db = rx_db_open (clinic->path, RX_DB_OPEN_NONE, &error);
  g_assert_no_error (error);
  {
    g_autoptr(RxPatient) p = rx_patients_add (clinic->db, &f, allergies, &error);
    g_assert_no_error (error);
    g_assert_nonnull (p);
  }
}

/* A write without an audit event is refused at commit: core cannot forget to audit. */
static void
test_unaudited_write_refused (RxTestClinic  *clinic,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxRow) row = _rx_row_new_insert ("sites");
  gint64 sites = rx_test_count (clinic->db, "SELECT count(*) FROM sites");

  _rx_row_set_text (row, "name", "Annex");
  _rx_row_set_text (row, "kind", "pharmacy");

  g_assert_true (rx_db_begin (clinic->db, &error));
  g_assert_true (_rx_db_put (clinic->db, row, &error));
  g_test_expect_message ("rx-core", G_LOG_LEVEL_CRITICAL, "*not audited*");
  g_assert_false (rx_db_commit (clinic->db, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED);
  rx_db_rollback (clinic->db);

  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM sites"), ==, sites);
  g_clear_error (&error);

  /* an audit event made inside an undone savepoint does not cover the outer write */
  g_assert_true (rx_db_begin (clinic->db, &error));
  g_assert_true (_rx_db_put (clinic->db, row, &error));
  g_assert_true (rx_db_begin (clinic->db, &error));
  g_assert_true (_rx_db_audit (clinic->db, "create", "sites", NULL, NULL, &error));
  rx_db_rollback (clinic->db);
  g_test_expect_message ("rx-core", G_LOG_LEVEL_CRITICAL, "*not audited*");
  g_assert_false (rx_db_commit (clinic->db, &error));
  g_test_assert_expected_messages ();
  rx_db_rollback (clinic->db);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM sites"), ==, sites);
}

static void
test_nested_transaction (RxTestClinic  *clinic,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RxPatientFields f = { .family_name = "Inner", .birth_date = "1999-09-09" };
  RxPatientFields g = { .family_name = "Kept", .birth_date = "1999-09-09" };
  g_autoptr(RxPatient) kept = NULL;

  g_assert_true (rx_db_begin (clinic->db, &error));
  kept = rx_patients_add (clinic->db, &g, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rx_db_begin (clinic->db, &error));
  {
    g_autoptr(RxPatient) inner = rx_patients_add (clinic->db, &f, NULL, &error);
    g_assert_no_error (error);
  }
  rx_db_rollback (clinic->db);   /* undo only the inner one */
  g_assert_true (rx_db_commit (clinic->db, &error));
  g_assert_no_error (error);

  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM patients"), ==, 1);
  g_assert_cmpint (rx_test_count (clinic->db,
                                  "SELECT count(*) FROM change_log WHERE entity = 'patients'"),
                   ==, 1);
}

static gint64
fixed_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

/* Every stamp a workstation writes is later than the one before, even if the wall clock
 * jumps back, and survives a restart. */
static void
test_hlc_persists (RxTestClinic  *clinic,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 now = G_GINT64_CONSTANT (1900000000000000);
  RxPatientFields f = { .family_name = "Clock", .birth_date = "1960-06-06" };
  g_autoptr(RxPatient) a = NULL;
  g_autoptr(RxPatient) b = NULL;

  rx_db_set_clock (clinic->db, fixed_clock, &now);
  a = rx_patients_add (clinic->db, &f, NULL, &error);
  g_clear_object (&clinic->db);

  clinic->db = rx_db_open (clinic->path, RX_DB_OPEN_NONE, &error);
  now = G_GINT64_CONSTANT (1000000000000000);   /* the clock went back 28 years */
  rx_db_set_clock (clinic->db, fixed_clock, &now);
  b = rx_patients_add (clinic->db, &f, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (rx_test_count (clinic->db,
                                  "SELECT count(*) FROM (SELECT hlc, lag (hlc) OVER (ORDER BY seq) "
                                  "AS prev FROM change_log) WHERE prev IS NOT NULL AND hlc <= prev"),
                   ==, 0);
}

static void
test_backup (RxTestClinic  *clinic,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = g_build_filename (clinic->dir, "backup.db", NULL);
  g_autoptr(RxDb) copy = NULL;
  RxPatientFields f = { .family_name = "Backed", .birth_date = "1950-05-05" };
  g_autoptr(RxPatient) p = rx_patients_add (clinic->db, &f, NULL, &error);
  GStatBuf st;

  g_assert_true (rx_db_backup_to (clinic->db, dest, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (dest, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  copy = rx_db_open (dest, RX_DB_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rx_test_count (copy, "SELECT count(*) FROM patients"), ==, 1);
  g_assert_cmpstr (rx_db_get_org_id (copy), ==, rx_db_get_org_id (clinic->db));

  /* never overwrites */
  g_assert_false (rx_db_backup_to (clinic->db, dest, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_EXISTS);
}

static void
test_sites (RxTestClinic  *clinic,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxSite) annex = NULL;
  g_autoptr(GListModel) sites = NULL;
  g_autofree char *org = rx_org_dup_name (clinic->db);

  g_assert_cmpstr (org, ==, "Test Clinic");

  annex = rx_sites_add (clinic->db, " Hillside Pharmacy ", "pharmacy", "2 Hill Road", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rx_site_get_name (annex), ==, "Hillside Pharmacy");
  g_assert_null (rx_sites_add (clinic->db, "Depot", "warehouse", NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (rx_sites_add (clinic->db, "  ", "clinic", NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);

  sites = rx_sites_list (clinic->db, &error);
  g_assert_cmpuint (g_list_model_get_n_items (sites), ==, 2);
}

/* What sync will read: every write, in order, each once, until the server accepts it. */
static void
test_change_log (RxTestClinic  *clinic,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) rest = NULL;
  RxPatientFields f = { .family_name = "Synced", .birth_date = "1990-01-01" };
  g_autoptr(RxPatient) p = rx_patients_add (clinic->db, &f, NULL, &error);
  gint64 before = rx_db_count_pending_changes (clinic->db);
  RxChange *first, *patient = NULL;

  pending = rx_change_log_pending (clinic->db, 0, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pending->len, ==, before);
  first = pending->pdata[0];
  g_assert_cmpstr (first->entity, ==, "organisations");
  for (guint i = 1; i < pending->len; i++)
    {
      RxChange *c = pending->pdata[i];

      g_assert_cmpint (c->seq, >, ((RxChange *) pending->pdata[i - 1])->seq);
      g_assert_cmpint (rx_hlc_compare (c->hlc, ((RxChange *) pending->pdata[i - 1])->hlc), >, 0);
      if (g_strcmp0 (c->entity, "patients") == 0)
        patient = c;
    }
  g_assert_nonnull (patient);
  g_assert_cmpstr (patient->row_id, ==, rx_patient_get_id (p));
  g_assert_true (rx_uuid_is_valid (patient->op_id));
  g_assert_nonnull (strstr (patient->payload, "\"family_name\":\"Synced\""));

  g_assert_true (rx_change_log_mark_pushed (clinic->db, first->seq, 1, &error));
  g_assert_false (rx_change_log_mark_pushed (clinic->db, first->seq, 2, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (rx_db_count_pending_changes (clinic->db), ==, before - 1);

  rest = rx_change_log_pending (clinic->db, 0, 2, &error);
  g_assert_cmpuint (rest->len, ==, 2);
  g_assert_cmpint (((RxChange *) rest->pdata[0])->seq, ==, ((RxChange *) pending->pdata[1])->seq);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define CLINIC_TEST(path, func) \
  g_test_add (path, RxTestClinic, NULL, rx_test_clinic_setup, func, rx_test_clinic_teardown)

  g_test_add_func ("/core/uuid/v7", test_uuid7);
  g_test_add_func ("/core/hlc/order", test_hlc);
  g_test_add_func ("/core/db/not-a-clinic", test_not_a_clinic);
  g_test_add_func ("/core/db/migrate-from-each-version", test_migrate_from_each_version);
  CLINIC_TEST ("/core/db/create-and-reopen", test_create_and_reopen);
  CLINIC_TEST ("/core/db/journal-mode", test_journal_mode);
  CLINIC_TEST ("/core/db/schema-too-new", test_schema_too_new);
  CLINIC_TEST ("/core/db/rollback-leaves-nothing", test_rollback_leaves_nothing);
  CLINIC_TEST ("/core/db/unaudited-write-refused", test_unaudited_write_refused);
  CLINIC_TEST ("/core/db/nested-transaction", test_nested_transaction);
  CLINIC_TEST ("/core/db/hlc-persists", test_hlc_persists);
  CLINIC_TEST ("/core/db/backup", test_backup);
  CLINIC_TEST ("/core/db/sites", test_sites);
  CLINIC_TEST ("/core/db/change-log", test_change_log);
  CLINIC_TEST ("/core/patient/round-trip", test_patient_round_trip);
  CLINIC_TEST ("/core/patient/bad-input", test_patient_bad_input);

  return g_test_run ();
}
