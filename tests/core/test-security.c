/* test-security.c: the role table, roles enforced by core for a logged-in user, login
 * back-off, and break-glass access. */
#include "config.h"

#include "rx-db-private.h"
#include "rx-test-util.h"

static gint64
fixed_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

static RxUser *
add_user (RxDb       *db,
          const char *username,
          RxRole      role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("Test %s", username);
  RxUser *user = rx_users_add (db, username, name, role, "a long enough phrase", &error);

  g_assert_no_error (error);
  return user;
}

static void
test_role_table (void)
{
  /* the table itself: each role exactly what it needs */
  g_assert_true (rx_role_can (RX_ROLE_DOCTOR, RX_ACTION_PRESCRIPTION_SIGN));
  g_assert_false (rx_role_can (RX_ROLE_RECEPTIONIST, RX_ACTION_PRESCRIPTION_SIGN));
  g_assert_false (rx_role_can (RX_ROLE_PHARMACIST, RX_ACTION_PRESCRIPTION_SIGN));
  g_assert_false (rx_role_can (RX_ROLE_ADMIN, RX_ACTION_PRESCRIPTION_SIGN));
  g_assert_true (rx_role_can (RX_ROLE_PHARMACIST, RX_ACTION_DISPENSE));
  g_assert_false (rx_role_can (RX_ROLE_DOCTOR, RX_ACTION_DISPENSE));
  g_assert_false (rx_role_can (RX_ROLE_RECEPTIONIST, RX_ACTION_PRESCRIPTION_READ));
  g_assert_true (rx_role_can (RX_ROLE_RECEPTIONIST, RX_ACTION_APPOINTMENT_WRITE));
  g_assert_true (rx_role_can (RX_ROLE_ADMIN, RX_ACTION_USER_ADMIN));
  g_assert_false (rx_role_can (RX_ROLE_DOCTOR, RX_ACTION_USER_ADMIN));
  g_assert_false (rx_role_can (RX_ROLE_RECEPTIONIST, RX_ACTION_BREAK_GLASS));

  for (RxAction a = 0; a < RX_N_ACTIONS; a++)
    g_assert_nonnull (rx_action_to_string (a));
}

/* With someone logged in, core itself refuses what their role may not do. */
static void
test_roles_enforced (RxTestClinic  *clinic,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) admin = add_user (clinic->db, "ayusuf", RX_ROLE_ADMIN);
  g_autoptr(RxUser) doc = add_user (clinic->db, "kmensah", RX_ROLE_DOCTOR);
  g_autoptr(RxUser) other = add_user (clinic->db, "lchen", RX_ROLE_DOCTOR);
  g_autoptr(RxUser) desk = add_user (clinic->db, "tnguyen", RX_ROLE_RECEPTIONIST);
  g_autoptr(RxPatient) p = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autofree char *meds = g_test_build_filename (G_TEST_DIST, "data", "medicines-small.csv", NULL);
  RxPatientFields f = { .family_name = "Mwangi", .birth_date = "1990-02-02" };
  RxItemFields item = { .product = "amoxicillin-500mg-capsule", .quantity = 21 };
  RxStockReceipt r = { .product = "amoxicillin-500mg-capsule", .lot = "L1",
                       .expiry = "2099-01-01", .quantity = 10, .unit_cost_minor = -1 };
  gint64 audits;

  g_assert_true (rx_formulary_load_csv (clinic->db, meds, NULL, NULL, &error));

  rx_db_set_user (clinic->db, desk);
  g_assert_cmpstr (rx_db_get_actor (clinic->db), ==, rx_user_get_id (desk));
  p = rx_patients_add (clinic->db, &f, NULL, &error);           /* reception registers */
  g_assert_no_error (error);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM patients WHERE updated_by = "
                                              "(SELECT id FROM users WHERE username = 'tnguyen')"),
                   ==, 1);
  g_assert_null (rx_prescriptions_create (clinic->db, rx_patient_get_id (p), "kmensah", &item, 1,
                                          NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "receptionist"));
  g_clear_error (&error);
  list = rx_prescriptions_list (clinic->db, NULL, -1, 10, &error);
  g_assert_null (list);
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (rx_stock_receive (clinic->db, &r, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (rx_users_add (clinic->db, "newbie", "New Person", RX_ROLE_ADMIN, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_clear_error (&error);
  audits = rx_test_count (clinic->db, "SELECT count(*) FROM audit_events");
  g_assert_null (rx_audit_list (clinic->db, 10, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM audit_events"), ==, audits);
  /* but they may change their own password */
  g_assert_true (rx_users_set_password (clinic->db, rx_user_get_id (desk), "another long phrase",
                                        &error));
  g_assert_false (rx_users_set_password (clinic->db, rx_user_get_id (doc), "another long phrase",
                                         &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_clear_error (&error);

  /* a doctor writes in their own name only */
  rx_db_set_user (clinic->db, doc);
  {
    g_autoptr(RxPrescription) rx = rx_prescriptions_create (clinic->db, rx_patient_get_id (p),
                                                            "kmensah", &item, 1, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (rx);
  }
  g_assert_null (rx_prescriptions_create (clinic->db, rx_patient_get_id (p), "lchen", &item, 1,
                                          NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_clear_error (&error);

  /* an admin manages users but does not prescribe */
  rx_db_set_user (clinic->db, admin);
  g_assert_true (rx_users_disable (clinic->db, rx_user_get_id (other), &error));
  g_assert_no_error (error);

  /* a disabled account can do nothing even if its session lingers */
  g_clear_object (&other);
  other = rx_users_find (clinic->db, "lchen", &error);
  rx_db_set_user (clinic->db, other);
  g_assert_null (rx_patients_search (clinic->db, "mwangi", 10, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "disabled"));
  g_clear_error (&error);

  rx_db_set_user (clinic->db, NULL);
  g_assert_cmpstr (rx_db_get_actor (clinic->db), ==, "system");
}

static void
test_login_backoff (RxTestClinic  *clinic,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) doc = add_user (clinic->db, "kmensah", RX_ROLE_DOCTOR);
  g_autoptr(RxUser) in = NULL;
  gint64 now = G_GINT64_CONSTANT (1800000000) * G_USEC_PER_SEC;

  rx_db_set_clock (clinic->db, fixed_clock, &now);

  for (int i = 0; i < 5; i++)
    {
      g_assert_null (rx_users_authenticate (clinic->db, "kmensah", "wrong guess!", &error));
      g_assert_nonnull (strstr (error->message, "Wrong username or password"));
      g_clear_error (&error);
    }
  g_assert_cmpint (rx_users_login_wait (clinic->db, "kmensah"), ==, 30);

  /* even the right password waits now, and the wait is audited */
  g_assert_null (rx_users_authenticate (clinic->db, "kmensah", "a long enough phrase", &error));
  g_assert_nonnull (strstr (error->message, "try again in 30 s"));
  g_clear_error (&error);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM audit_events "
                                              "WHERE action = 'login-throttled'"), ==, 1);

  /* each further failure doubles the wait */
  now += 31 * G_USEC_PER_SEC;
  g_assert_null (rx_users_authenticate (clinic->db, "KMensah", "wrong again", &error));
  g_clear_error (&error);
  g_assert_cmpint (rx_users_login_wait (clinic->db, "kmensah"), ==, 60);
  now += 61 * G_USEC_PER_SEC;

  in = rx_users_authenticate (clinic->db, "kmensah", "a long enough phrase", &error);
  g_assert_no_error (error);
  g_assert_nonnull (in);
  g_assert_cmpint (rx_users_login_wait (clinic->db, "kmensah"), ==, 0);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM audit_events "
                                              "WHERE action = 'login-failed'"), ==, 6);
  /* failures are this workstation's business: nothing of them goes to sync */
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM change_log "
                                              "WHERE entity = 'login_failures'"), ==, 0);

  /* the password never appears in the audit trail */
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM audit_events WHERE "
                                              "detail LIKE '%guess%' OR detail LIKE '%phrase%'"),
                   ==, 0);
}

static void
test_break_glass (RxTestClinic  *clinic,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) admin = add_user (clinic->db, "ayusuf", RX_ROLE_ADMIN);
  g_autoptr(RxUser) doc = add_user (clinic->db, "kmensah", RX_ROLE_DOCTOR);
  g_autoptr(RxUser) desk = add_user (clinic->db, "tnguyen", RX_ROLE_RECEPTIONIST);
  g_autoptr(RxPatient) vip = NULL;
  g_autoptr(RxPatient) opened = NULL;
  g_autofree char *grant = NULL;
  RxPatientFields f = { .family_name = "Famous", .given_names = "Person", .birth_date = "1970-07-07" };
  gint64 now = G_GINT64_CONSTANT (1800000000) * G_USEC_PER_SEC;

  rx_db_set_clock (clinic->db, fixed_clock, &now);
  vip = rx_patients_add (clinic->db, &f, NULL, &error);
  g_assert_true (rx_patients_set_restricted (clinic->db, rx_patient_get_id (vip), TRUE, &error));
  g_assert_no_error (error);

  /* a doctor is refused, and the refusal is on record */
  rx_db_set_user (clinic->db, doc);
  g_assert_false (rx_patients_set_restricted (clinic->db, rx_patient_get_id (vip), FALSE, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (rx_patients_get (clinic->db, rx_patient_get_id (vip), &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "emergency access"));
  g_clear_error (&error);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM audit_events "
                                              "WHERE action = 'read-refused'"), ==, 1);

  /* break glass: a reason is required, then the record opens until the grant expires */
  g_assert_null (rx_break_glass_open (clinic->db, rx_patient_get_id (vip), "urgent", 30, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  grant = rx_break_glass_open (clinic->db, rx_patient_get_id (vip),
                               "Unconscious in the waiting room; need allergies", 30, &error);
  g_assert_no_error (error);
  opened = rx_patients_get (clinic->db, rx_patient_get_id (vip), &error);
  g_assert_no_error (error);
  g_assert_true (rx_patient_get_restricted (opened));
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM audit_events WHERE action = "
                                              "'break-glass' AND detail LIKE '%Unconscious%'"),
                   ==, 1);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM audit_events WHERE action = "
                                              "'read' AND detail = 'restricted record'"), ==, 1);

  now += 31 * 60 * G_USEC_PER_SEC;
  g_clear_object (&opened);
  g_assert_null (rx_patients_get (clinic->db, rx_patient_get_id (vip), &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_clear_error (&error);

  /* reception cannot break the glass; an administrator needs no grant */
  rx_db_set_user (clinic->db, desk);
  g_assert_null (rx_break_glass_open (clinic->db, rx_patient_get_id (vip),
                                      "I would like to have a look please", 30, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_clear_error (&error);
  rx_db_set_user (clinic->db, admin);
  opened = rx_patients_get (clinic->db, rx_patient_get_id (vip), &error);
  g_assert_no_error (error);
}

static void
test_idle_lock (RxTestClinic  *clinic,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) doc = add_user (clinic->db, "kmensah", RX_ROLE_DOCTOR);
  g_autoptr(RxSession) session = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autoptr(GBytes) secret = NULL;
  gint64 now = G_GINT64_CONSTANT (1800000000) * G_USEC_PER_SEC;
  const guint8 key[] = { 1, 2, 3, 4, 5, 6, 7, 8 };

  rx_db_set_clock (clinic->db, fixed_clock, &now);
  g_assert_null (rx_session_login (clinic->db, "kmensah", "not the password", 600, &error));
  g_clear_error (&error);
  session = rx_session_login (clinic->db, "kmensah", "a long enough phrase", 600, &error);
  g_assert_no_error (error);
  g_assert_true (rx_db_get_user (clinic->db) == rx_session_get_user (session));
  rx_session_hold_secret (session, key, sizeof key);

  now += 9 * 60 * G_USEC_PER_SEC;
  g_assert_false (rx_session_check_idle (session));
  rx_session_touch (session);
  now += 9 * 60 * G_USEC_PER_SEC;
  g_assert_false (rx_session_check_idle (session));   /* the touch restarted the count */
  now += 60 * G_USEC_PER_SEC;
  g_assert_true (rx_session_check_idle (session));
  g_assert_true (rx_session_get_locked (session));

  /* locked: the secret is gone and the database acts for nobody */
  g_assert_null (rx_session_dup_secret (session));
  g_assert_null (rx_db_get_user (clinic->db));
  g_assert_cmpstr (rx_db_get_actor (clinic->db), ==, "system");

  g_assert_false (rx_session_unlock (session, "wrong one here", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (rx_session_unlock (session, "a long enough phrase", &error));
  g_assert_false (rx_session_get_locked (session));
  found = rx_patients_search (clinic->db, "", 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM audit_events "
                                              "WHERE action = 'lock'"), ==, 1);

  rx_session_logout (session);
  g_assert_null (rx_db_get_user (clinic->db));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define CLINIC_TEST(path, func) \
  g_test_add (path, RxTestClinic, NULL, rx_test_clinic_setup, func, rx_test_clinic_teardown)

  g_test_add_func ("/core/security/role-table", test_role_table);
  CLINIC_TEST ("/core/security/roles-enforced", test_roles_enforced);
  CLINIC_TEST ("/core/security/login-backoff", test_login_backoff);
  CLINIC_TEST ("/core/security/break-glass", test_break_glass);
  CLINIC_TEST ("/core/security/idle-lock", test_idle_lock);

  return g_test_run ();
}
