/* test-clinic.c: users and passwords, the stock ledger, prescriptions and their status
 * machine, the audit chain, and the demo clinic. */
#include "config.h"

#include "rx-db-private.h"
#include "rx-test-util.h"

static void
load_small (RxDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *meds = g_test_build_filename (G_TEST_DIST, "data", "medicines-small.csv", NULL);
  g_autofree char *syns = g_test_build_filename (G_TEST_DIST, "data", "synonyms-small.csv", NULL);

  g_assert_true (rx_formulary_load_csv (db, meds, syns, NULL, &error));
  g_assert_no_error (error);
}

static void
test_password_hash (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *h1 = rx_password_hash ("correct horse battery", 1000, &error);
  g_autofree char *h2 = rx_password_hash ("correct horse battery", 1000, &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (h1, "pbkdf2-sha256$1000$"));
  g_assert_cmpstr (h1, !=, h2);  /* each hash has its own salt */
  g_assert_cmpuint (rx_password_get_iterations (h1), ==, 1000);
  g_assert_true (rx_password_verify (h1, "correct horse battery"));
  g_assert_false (rx_password_verify (h1, "correct horse batterx"));
  g_assert_false (rx_password_verify (h1, ""));
  g_assert_false (rx_password_verify ("garbage", "correct horse battery"));
  g_assert_false (rx_password_verify ("pbkdf2-sha256$0$AA==$AA==", "x"));

  g_assert_false (rx_password_check_quality ("short", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rx_password_check_quality ("aaaaaaaaaaaa", &error));
  g_clear_error (&error);
  g_assert_true (rx_password_check_quality ("a long enough phrase", &error));

  /* the default cost is what the stored hash says, so it can be raised later */
  g_assert_cmpuint (RX_PASSWORD_ITERATIONS, ==, 600000);
}

static void
test_users (RxTestClinic  *clinic,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) doc = NULL;
  g_autoptr(RxUser) found = NULL;
  g_autoptr(RxUser) login = NULL;
  g_autoptr(GListModel) all = NULL;

  doc = rx_users_add (clinic->db, "kmensah", "Dr Kwame Mensah", RX_ROLE_DOCTOR,
                      "a long enough phrase", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rx_user_get_role (doc), ==, RX_ROLE_DOCTOR);
  g_assert_true (rx_user_has_password (doc));
  /* the hash, never the password, is stored */
  g_assert_cmpint (rx_test_count (clinic->db,
                                  "SELECT count(*) FROM users WHERE password_hash LIKE "
                                  "'%long enough%'"), ==, 0);
  g_assert_cmpint (rx_test_count (clinic->db,
                                  "SELECT count(*) FROM change_log WHERE payload LIKE "
                                  "'%long enough%'"), ==, 0);

  /* one account per person */
  g_assert_null (rx_users_add (clinic->db, "kmensah", "Someone Else", RX_ROLE_ADMIN, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (rx_users_add (clinic->db, "pharmacy", "The Pharmacy", RX_ROLE_PHARMACIST, NULL,
                               &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (rx_users_add (clinic->db, "Bad Name", "X", RX_ROLE_ADMIN, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (rx_users_add (clinic->db, "tnguyen", "Thu Nguyen", RX_ROLE_RECEPTIONIST,
                               "tnguyen", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);

  found = rx_users_find (clinic->db, "kmensah", &error);
  g_assert_cmpstr (rx_user_get_id (found), ==, rx_user_get_id (doc));

  login = rx_users_authenticate (clinic->db, "kmensah", "a long enough phrase", &error);
  g_assert_no_error (error);
  g_assert_nonnull (login);
  g_assert_null (rx_users_authenticate (clinic->db, "kmensah", "wrong password!", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (rx_users_authenticate (clinic->db, "nobody", "wrong password!", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM audit_events "
                                              "WHERE action = 'login-failed'"), ==, 2);

  g_assert_true (rx_users_disable (clinic->db, rx_user_get_id (doc), &error));
  g_assert_null (rx_users_authenticate (clinic->db, "kmensah", "a long enough phrase", &error));
  g_assert_nonnull (strstr (error->message, "disabled"));
  g_clear_error (&error);

  all = rx_users_list (clinic->db, &error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 1);  /* disabled, never deleted */
}

static void
test_stock_ledger (RxTestClinic  *clinic,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxProduct) p = NULL;
  g_autoptr(GListModel) batches = NULL;
  g_autoptr(GListModel) soon = NULL;
  g_autofree char *b1 = NULL;
  g_autofree char *b2 = NULL;
  g_autofree char *b3 = NULL;
  RxStockReceipt r = {
    .product = "amoxicillin-500mg-capsule", .lot = "AMX001", .expiry = "2099-06-30",
    .quantity = 100, .unit_cost_minor = 12, .supplier = "MedSupply",
  };
  RxStockReceipt expired = { .product = "amoxicillin-500mg-capsule", .lot = "OLD1",
                             .expiry = "2001-01-01", .quantity = 5, .unit_cost_minor = -1 };
  RxStockReceipt mismatch = { .product = "amoxicillin-500mg-capsule", .lot = "AMX001",
                              .expiry = "2098-01-01", .quantity = 5, .unit_cost_minor = -1 };
  gint64 changes;

  load_small (clinic->db);
  p = rx_formulary_get (clinic->db, "amoxicillin-500mg-capsule", &error);

  b1 = rx_stock_receive (clinic->db, &r, &error);
  g_assert_no_error (error);
  b2 = rx_stock_receive (clinic->db, &r, &error);   /* the same lot again tops it up */
  g_assert_cmpstr (b1, ==, b2);
  r.lot = "AMX002";
  r.expiry = "2030-01-31";
  r.quantity = 30;
  b3 = rx_stock_receive (clinic->db, &r, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rx_stock_on_hand (clinic->db, rx_product_get_id (p)), ==, 230);

  g_assert_true (rx_stock_adjust (clinic->db, "amoxicillin-500mg-capsule", "AMX001", -3,
                                  "damage", &error));
  g_assert_true (rx_stock_adjust (clinic->db, "amoxicillin-500mg-capsule", "AMX002", -30,
                                  "return-to-supplier", &error));
  g_assert_no_error (error);
  g_assert_cmpint (rx_stock_on_hand (clinic->db, rx_product_get_id (p)), ==, 197);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM stock_movements "
                                              "WHERE kind = 'return'"), ==, 1);

  /* refusals change nothing */
  changes = rx_test_count (clinic->db, "SELECT count(*) FROM change_log");
  g_assert_null (rx_stock_receive (clinic->db, &expired, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (rx_stock_receive (clinic->db, &mismatch, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rx_stock_adjust (clinic->db, "amoxicillin-500mg-capsule", "AMX001", -1000,
                                   "count-correction", &error));
  g_assert_nonnull (strstr (error->message, "below zero"));
  g_clear_error (&error);
  g_assert_false (rx_stock_adjust (clinic->db, "amoxicillin-500mg-capsule", "AMX001", 5,
                                   "damage", &error));
  g_clear_error (&error);
  g_assert_false (rx_stock_adjust (clinic->db, "amoxicillin-500mg-capsule", "NOPE", -1,
                                   "damage", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM change_log"), ==, changes);

  /* movements are a ledger: the database refuses to rewrite one */
  g_assert_false (_rx_db_exec (clinic->db, "UPDATE stock_movements SET quantity = 1", NULL));

  batches = rx_stock_list (clinic->db, NULL, -1, &error);
  g_assert_cmpuint (g_list_model_get_n_items (batches), ==, 1);  /* AMX002 is empty now */
  soon = rx_stock_list (clinic->db, NULL, 30, &error);
  g_assert_cmpuint (g_list_model_get_n_items (soon), ==, 0);

  /* search shows stock beside the product */
  {
    g_autoptr(GListModel) found = rx_formulary_search (clinic->db, "amoxicillin 500", 5, &error);
    g_autoptr(RxProduct) first = g_list_model_get_item (found, 0);

    g_assert_cmpint (rx_product_get_on_hand (first), ==, 197);
    g_assert_cmpstr (rx_product_get_nearest_expiry (first), ==, "2099-06-30");
  }
}

static RxPatient *
add_patient (RxDb *db)
{
  g_autoptr(GError) error = NULL;
  RxPatientFields f = { .family_name = "Adeyemi", .given_names = "Tunde",
                        .birth_date = "1979-11-02", .sex = "M" };
  RxPatient *p = rx_patients_add (db, &f, NULL, &error);

  g_assert_no_error (error);
  return p;
}

static void
test_prescriptions (RxTestClinic  *clinic,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxPatient) patient = NULL;
  g_autoptr(RxUser) doc = NULL;
  g_autoptr(RxUser) nurse = NULL;
  g_autoptr(RxPrescription) rx = NULL;
  g_autoptr(RxPrescription) again = NULL;
  g_autoptr(GListModel) list = NULL;
  RxItemFields items[] = {
    { .product = "amoxicillin-500mg-capsule", .dose = "1 capsule", .frequency = "TDS",
      .duration_days = 7, .quantity = 21 },
    { .product = "paracetamol-500mg-tablet", .dose = "2 tablets", .frequency = "QDS as needed",
      .quantity = 32, .instructions = "No more than 8 tablets in 24 hours" },
  };
  RxItemFields bad[] = {
    { .product = "amoxicillin-500mg-capsule", .quantity = 21 },
    { .product = "no-such-product", .quantity = 1 },
  };
  gint64 changes;

  load_small (clinic->db);
  patient = add_patient (clinic->db);
  doc = rx_users_add (clinic->db, "lchen", "Dr Li Chen", RX_ROLE_DOCTOR, NULL, &error);
  nurse = rx_users_add (clinic->db, "tnguyen", "Thu Nguyen", RX_ROLE_RECEPTIONIST, NULL, &error);

  rx = rx_prescriptions_create (clinic->db, rx_patient_get_id (patient), "lchen", items, 2,
                                NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rx_prescription_get_status (rx), ==, RX_PRESCRIPTION_DRAFT);
  g_assert_cmpuint (rx_prescription_get_items (rx)->len, ==, 2);
  g_assert_cmpstr (((RxPrescriptionItem *) rx_prescription_get_items (rx)->pdata[0])->product_name,
                   ==, "amoxicillin 500 mg capsule");
  g_assert_cmpstr (((RxPrescriptionItem *) rx_prescription_get_items (rx)->pdata[1])->route,
                   ==, "oral");

  /* a receptionist cannot prescribe; a bad item leaves no half-written prescription */
  changes = rx_test_count (clinic->db, "SELECT count(*) FROM change_log");
  g_assert_null (rx_prescriptions_create (clinic->db, rx_patient_get_id (patient), "tnguyen",
                                          items, 1, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (rx_prescriptions_create (clinic->db, rx_patient_get_id (patient), "lchen",
                                          bad, 2, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Item 2"));
  g_clear_error (&error);
  g_assert_null (rx_prescriptions_create (clinic->db, "no-patient", "lchen", items, 1, NULL,
                                          &error));
  g_clear_error (&error);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM prescriptions"), ==, 1);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM prescription_items"), ==, 2);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM change_log"), ==, changes);

  /* the status machine */
  g_assert_true (rx_prescription_status_can_move (RX_PRESCRIPTION_DRAFT, RX_PRESCRIPTION_SIGNED));
  g_assert_true (rx_prescription_status_can_move (RX_PRESCRIPTION_SIGNED,
                                                  RX_PRESCRIPTION_PARTIALLY_DISPENSED));
  g_assert_true (rx_prescription_status_can_move (RX_PRESCRIPTION_PARTIALLY_DISPENSED,
                                                  RX_PRESCRIPTION_DISPENSED));
  g_assert_false (rx_prescription_status_can_move (RX_PRESCRIPTION_DRAFT,
                                                   RX_PRESCRIPTION_DISPENSED));
  g_assert_false (rx_prescription_status_can_move (RX_PRESCRIPTION_DISPENSED,
                                                   RX_PRESCRIPTION_CANCELLED));
  g_assert_false (rx_prescription_status_can_move (RX_PRESCRIPTION_CANCELLED,
                                                   RX_PRESCRIPTION_SIGNED));

  /* signing has its own path; cancelling needs a reason */
  g_assert_false (rx_prescriptions_set_status (clinic->db, rx_prescription_get_id (rx),
                                               RX_PRESCRIPTION_SIGNED, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION);
  g_clear_error (&error);
  g_assert_false (rx_prescriptions_set_status (clinic->db, rx_prescription_get_id (rx),
                                               RX_PRESCRIPTION_CANCELLED, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (rx_prescriptions_set_status (clinic->db, rx_prescription_get_id (rx),
                                              RX_PRESCRIPTION_CANCELLED, "wrong patient",
                                              &error));
  g_assert_no_error (error);
  g_assert_false (rx_prescriptions_set_status (clinic->db, rx_prescription_get_id (rx),
                                               RX_PRESCRIPTION_EXPIRED, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION);
  g_clear_error (&error);

  again = rx_prescriptions_get (clinic->db, rx_prescription_get_id (rx), &error);
  g_assert_cmpint (rx_prescription_get_status (again), ==, RX_PRESCRIPTION_CANCELLED);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM prescription_events"), ==, 2);

  list = rx_prescriptions_list (clinic->db, rx_patient_get_id (patient), -1, 10, &error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
}

static void
test_audit_chain (RxTestClinic  *clinic,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxPatient) p = NULL;
  g_autoptr(GPtrArray) events = NULL;
  guint64 n = 0;

  p = add_patient (clinic->db);
  g_clear_object (&p);
  p = add_patient (clinic->db);

  /* the two creates (a new record comes back without a separate read event) and more */
  g_assert_true (rx_audit_verify (clinic->db, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, >=, 3);

  events = rx_audit_list (clinic->db, 3, &error);
  g_assert_cmpuint (events->len, ==, 3);
  g_assert_cmpstr (((RxAuditEvent *) events->pdata[0])->action, ==, "read");
  g_assert_cmpstr (((RxAuditEvent *) events->pdata[0])->entity, ==, "audit_events");

  /* the table refuses edits; an edit made behind its back (triggers dropped) is detected */
  g_assert_false (_rx_db_exec (clinic->db, "UPDATE audit_events SET actor = 'mallory'", NULL));
  g_assert_false (_rx_db_exec (clinic->db, "DELETE FROM audit_events", NULL));
  g_assert_true (_rx_db_exec (clinic->db,
                              "DROP TRIGGER audit_events_no_update;"
                              "UPDATE audit_events SET detail = 'nothing to see' "
                              "WHERE rowid = (SELECT min (rowid) + 1 FROM audit_events)", NULL));
  g_assert_false (rx_audit_verify (clinic->db, &n, &error));
  g_assert_nonnull (strstr (error->message, "altered"));
}

static void
test_audit_detects_removal (RxTestClinic  *clinic,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxPatient) p = add_patient (clinic->db);
  /* a second write, so the event removed below has one after it (the chain cannot tell the
   * newest event's removal from its absence; the backup and the sync server keep copies) */
  g_autoptr(RxPatient) q = add_patient (clinic->db);

  g_assert_true (_rx_db_exec (clinic->db,
                              "DROP TRIGGER audit_events_no_delete;"
                              "DELETE FROM audit_events "
                              "WHERE rowid = (SELECT min (rowid) + 1 FROM audit_events)", NULL));
  g_assert_false (rx_audit_verify (clinic->db, NULL, &error));
  g_assert_nonnull (strstr (error->message, "missing"));
}

static void
test_demo_clinic (RxTestClinic  *clinic,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RxDemoCounts counts = { 0, };
  RxDemoCounts more = { 0, };
  g_autoptr(GPtrArray) ids = NULL;
  guint64 n;

  /* no formulary yet: refused with a reason */
  g_assert_false (rx_demo_populate (clinic->db, NULL, &counts, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);

  load_small (clinic->db);
  g_assert_true (rx_demo_populate (clinic->db, NULL, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.staff, ==, 8);
  g_assert_cmpuint (counts.patients, ==, 200);
  g_assert_cmpuint (counts.prescriptions, ==, 300);
  g_assert_cmpuint (counts.batches, >, 0);
  g_assert_cmpuint (counts.invoices, ==, 40);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM invoices WHERE status = 'paid'"), ==, 40);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM appointments"), >, 10);

  /* every role is there, prescriptions are in the past and mostly completed */
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(DISTINCT role) FROM users"), ==, 4);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM prescriptions "
                                              "WHERE status = 'dispensed'"), >, 150);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM prescriptions WHERE "
                                              "created_at > strftime ('%Y-%m-%dT%H:%M:%fZ', "
                                              "'now')"), ==, 0);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM patient_allergies"), >, 10);
  g_assert_true (rx_audit_verify (clinic->db, &n, &error));

  g_assert_true (rx_demo_generate (clinic->db, 50, 120, &more, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (more.patients, ==, 50);
  g_assert_cmpuint (more.prescriptions, ==, 120);
  g_assert_cmpint (rx_db_count_rows (clinic->db, "prescriptions"), ==, 420);

  /* the history is really signed, by the doctors' certificates from the demo's own CA */
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM certificates "
                                              "WHERE kind = 'ca'"), ==, 1);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM certificates "
                                              "WHERE kind = 'signing'"), ==, 3);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM prescription_signatures"),
                   ==, 420);
  ids = rx_test_ids (clinic->db, "SELECT id FROM prescriptions ORDER BY rowid");
  for (guint i = 0; i < ids->len; i++)
    {
      g_auto(RxVerification) v = { 0, };

      g_assert_true (rx_prescriptions_verify (clinic->db, ids->pdata[i], &v, &error));
      g_assert_no_error (error);
      if (!v.ok)
        g_error ("demo prescription %s: %s", (char *) ids->pdata[i], v.reason);
    }
  g_assert_true (rx_audit_verify (clinic->db, &n, &error));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring = rx_test_use_private_keyring ();
  int status;

  g_test_init (&argc, &argv, NULL);

#define CLINIC_TEST(path, func) \
  g_test_add (path, RxTestClinic, NULL, rx_test_clinic_setup, func, rx_test_clinic_teardown)

  g_test_add_func ("/core/password/hash", test_password_hash);
  CLINIC_TEST ("/core/user/accounts", test_users);
  CLINIC_TEST ("/core/stock/ledger", test_stock_ledger);
  CLINIC_TEST ("/core/prescription/create-and-status", test_prescriptions);
  CLINIC_TEST ("/core/audit/chain", test_audit_chain);
  CLINIC_TEST ("/core/audit/detects-removal", test_audit_detects_removal);
  CLINIC_TEST ("/core/demo/clinic", test_demo_clinic);

  status = g_test_run ();
  rx_test_remove_dir (keyring);
  return status;
}
