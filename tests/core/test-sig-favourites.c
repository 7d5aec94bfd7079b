/* test-sig-favourites.c: a prescriber's favourite directions: saved, listed for the medicine,
 * a name used twice refused, each prescriber seeing only their own, a pharmacist refused,
 * removal, and every write audited and queued for sync. */
#include "config.h"

#include "rx-db-private.h"
#include "rx-test-fixtures.h"

typedef struct
{
  RxTestClinic  clinic;
  RxDb         *db;
  char         *doctor;
  char         *other;
  char         *pharmacist;
} Fixture;

/* Acts as @user_id, role and all, as a logged-in session would. */
static void
act_as (Fixture    *f,
        const char *user_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) user = rx_users_find (f->db, user_id, &error);

  g_assert_no_error (error);
  rx_db_set_user (f->db, user);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *meds = g_test_build_filename (G_TEST_DIST, "data", "medicines-small.csv", NULL);
  g_autofree char *syns = g_test_build_filename (G_TEST_DIST, "data", "synonyms-small.csv", NULL);

  rx_test_clinic_setup (&f->clinic, data);
  f->db = f->clinic.db;
  g_assert_true (rx_formulary_load_csv (f->db, meds, syns, NULL, &error));
  g_assert_no_error (error);
  f->doctor = rx_test_add_user (f->db, "lchen", "doctor");
  f->other = rx_test_add_user (f->db, "kmensah", "doctor");
  f->pharmacist = rx_test_add_user (f->db, "rpatel", "pharmacist");
  act_as (f, f->doctor);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  rx_test_clinic_teardown (&f->clinic, data);
  g_free (f->doctor);
  g_free (f->other);
  g_free (f->pharmacist);
}

static const RxItemFields bd_course = {
  .product = "amoxicillin-500mg-capsule", .dose = "1 capsule", .frequency = "TDS",
  .route = "oral", .duration_days = 5, .quantity = 15, .repeats = 0,
  .instructions = "Finish the course",
};

static void
test_add_list_remove (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) theirs = NULL;
  g_autoptr(GPtrArray) other_drug = NULL;
  g_autofree char *id = NULL;
  g_autofree char *again = NULL;
  RxSigFavourite *favourite;
  gint64 changes = rx_test_count (f->db, "SELECT count(*) FROM change_log");

  id = rx_sig_favourites_add (f->db, "  Adult chest infection ", &bd_course, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM change_log"), >, changes);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events WHERE "
                                         "entity = 'sig_favourites'"), ==, 1);

  mine = rx_sig_favourites_list (f->db, "amoxicillin-500mg-capsule", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mine->len, ==, 1);
  favourite = mine->pdata[0];
  g_assert_cmpstr (favourite->id, ==, id);
  g_assert_cmpstr (favourite->label, ==, "Adult chest infection");
  g_assert_cmpstr (favourite->dose, ==, "1 capsule");
  g_assert_cmpstr (favourite->frequency, ==, "TDS");
  g_assert_cmpint (favourite->duration_days, ==, 5);
  g_assert_cmpint (favourite->quantity, ==, 15);
  g_assert_cmpstr (favourite->instructions, ==, "Finish the course");

  other_drug = rx_sig_favourites_list (f->db, "paracetamol-500mg-tablet", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (other_drug->len, ==, 0);

  /* the same name for the same medicine is refused, not silently replaced */
  again = rx_sig_favourites_add (f->db, "Adult chest infection", &bd_course, &error);
  rx_test_assert_error_says (error, RX_CORE_ERROR_EXISTS, "another name");
  g_assert_null (again);
  g_clear_error (&error);

  /* another prescriber has their own, and cannot remove this one */
  act_as (f, f->other);
  theirs = rx_sig_favourites_list (f->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (theirs->len, ==, 0);
  g_assert_false (rx_sig_favourites_remove (f->db, id, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  act_as (f, f->doctor);
  g_assert_true (rx_sig_favourites_remove (f->db, id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&mine, g_ptr_array_unref);
  mine = rx_sig_favourites_list (f->db, NULL, &error);
  g_assert_cmpuint (mine->len, ==, 0);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  RxItemFields no_quantity = bd_course;
  RxItemFields unknown = bd_course;

  no_quantity.quantity = 0;
  id = rx_sig_favourites_add (f->db, "none", &no_quantity, &error);
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);

  id = rx_sig_favourites_add (f->db, "   ", &bd_course, &error);
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);

  unknown.product = "no-such-medicine";
  id = rx_sig_favourites_add (f->db, "unknown", &unknown, &error);
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a pharmacist does not write prescriptions, so keeps no favourite directions */
  act_as (f, f->pharmacist);
  id = rx_sig_favourites_add (f->db, "mine", &bd_course, &error);
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_assert_null (id);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM sig_favourites"), ==, 0);
}

static void
test_sync_rule (void)
{
  g_assert_nonnull (rx_sync_entity_lookup ("sig_favourites"));
  g_assert_true (rx_sync_role_may_read (RX_ROLE_DOCTOR, "sig_favourites"));
  g_assert_false (rx_sync_role_may_read (RX_ROLE_RECEPTIONIST, "sig_favourites"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/sig-favourites/add-list-remove", Fixture, NULL, fixture_setup,
              test_add_list_remove, fixture_teardown);
  g_test_add ("/core/sig-favourites/refused", Fixture, NULL, fixture_setup, test_refused,
              fixture_teardown);
  g_test_add_func ("/core/sig-favourites/sync-rule", test_sync_rule);

  return g_test_run ();
}
