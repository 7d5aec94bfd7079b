/* test-alert-feedback.c: alerts (raise, list open, acknowledge once) and feedback (add,
 * list, new -> acknowledged -> replied). */
#include "config.h"

#include "rx-test-fixtures.h"

typedef struct
{
  RxTestClinic  clinic;
  RxDb         *db;
  gint64        now;
  char         *patient;
  char         *user;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  rx_test_clinic_setup (&f->clinic, data);
  f->db = f->clinic.db;
  f->now = rx_test_usec ("2031-05-01T08:00:00Z");
  rx_db_set_clock (f->db, rx_test_fixed_clock, &f->now);
  f->patient = rx_test_add_patient (f->db, "Kamara");
  f->user = rx_test_add_user (f->db, "pmutua", "pharmacist");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->patient);
  g_free (f->user);
  rx_test_clinic_teardown (&f->clinic, data);
}

static char *
raise_alert (Fixture    *f,
             const char *kind,
             const char *severity,
             const char *message)
{
  g_autoptr(GError) error = NULL;
  char *id;

  f->now += G_USEC_PER_SEC;
  id = rx_alerts_raise (f->db, kind, severity, NULL, message, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static void
test_alerts (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *info = raise_alert (f, "sync", "info", "Synced 12 changes");
  g_autofree char *critical = NULL;
  g_autofree char *warning = raise_alert (f, "stock", "warning", "Amoxicillin below reorder");
  g_autofree char *before = NULL;
  g_autofree char *severity = NULL;
  g_autoptr(GListModel) open = NULL;
  g_autoptr(RxAlert) first = NULL;
  g_autoptr(RxAlert) last = NULL;

  f->now += G_USEC_PER_SEC;
  critical = rx_alerts_raise (f->db, "emergency", "critical", f->patient,
                              "  Patient reports chest pain: call an ambulance  ", &error);
  g_assert_no_error (error);

  /* critical first, then warning, then information */
  open = rx_alerts_list_open (f->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (open), ==, 3);
  g_assert_true (g_list_model_get_item_type (open) == RX_TYPE_ALERT);
  first = g_list_model_get_item (open, 0);
  g_assert_cmpstr (rx_alert_get_id (first), ==, critical);
  g_assert_cmpstr (rx_alert_get_kind (first), ==, "emergency");
  g_assert_cmpstr (rx_alert_get_patient_id (first), ==, f->patient);
  g_assert_cmpstr (rx_alert_get_message (first), ==,
                   "Patient reports chest pain: call an ambulance");
  g_assert_null (rx_alert_get_acknowledged_at (first));
  last = g_list_model_get_item (open, 2);
  g_assert_cmpstr (rx_alert_get_id (last), ==, info);
  g_clear_object (&open);

  g_assert_true (rx_alerts_acknowledge (f->db, critical, f->user, &error));
  g_assert_no_error (error);
  open = rx_alerts_list_open (f->db, &error);
  g_assert_cmpuint (g_list_model_get_n_items (open), ==, 2);
  g_clear_object (&first);
  first = g_list_model_get_item (open, 0);
  g_assert_cmpstr (rx_alert_get_id (first), ==, warning);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM alerts WHERE acknowledged_by "
                                         "= 'user-pmutua' AND acknowledged_at IS NOT NULL"),
                   ==, 1);

  /* once only; the refusal names who did it */
  before = rx_test_snapshot (f->db);
  g_assert_false (rx_alerts_acknowledge (f->db, critical, f->user, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_TRANSITION, "user-pmutua");
  g_clear_error (&error);
  g_assert_false (rx_alerts_acknowledge (f->db, warning, "no-such-user", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (rx_alerts_acknowledge (f->db, "no-such-alert", f->user, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

#define REFUSED(kind, severity, patient, message, code) \
  G_STMT_START { \
    g_autofree char *id_ = rx_alerts_raise (f->db, kind, severity, patient, message, &error); \
    g_assert_null (id_); \
    g_assert_error (error, RX_CORE_ERROR, code); \
    g_clear_error (&error); \
  } G_STMT_END
  REFUSED ("fire", "critical", NULL, "Smoke", RX_CORE_ERROR_INVALID);
  REFUSED ("system", "urgent", NULL, "Disk full", RX_CORE_ERROR_INVALID);
  REFUSED ("system", "info", NULL, "", RX_CORE_ERROR_INVALID);
  REFUSED ("system", "info", NULL, "   ", RX_CORE_ERROR_INVALID);
  REFUSED ("system", "info", NULL, NULL, RX_CORE_ERROR_INVALID);
  REFUSED ("safety", "warning", "no-such-patient", "Allergy", RX_CORE_ERROR_NOT_FOUND);
#undef REFUSED
  rx_test_assert_unchanged (f->db, before);

  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events "
                                         "WHERE entity = 'alerts'"), ==, 3 + 1);
  g_object_get (first, "severity", &severity, NULL);
  g_assert_cmpstr (severity, ==, "warning");
}

static char *
add_feedback (Fixture    *f,
              int         rating,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  char *id;

  f->now += G_USEC_PER_SEC;
  id = rx_feedback_add (f->db, rating, "app", NULL, text, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static void
expect_state (Fixture    *f,
              const char *id,
              const char *state,
              const char *reply,
              int         code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = rx_test_snapshot (f->db);

  if (code < 0)
    {
      g_assert_true (rx_feedback_set_state (f->db, id, state, reply, &error));
      g_assert_no_error (error);
      return;
    }

  g_assert_false (rx_feedback_set_state (f->db, id, state, reply, &error));
  g_assert_error (error, RX_CORE_ERROR, code);
  rx_test_assert_unchanged (f->db, before);
}

static void
test_feedback (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = add_feedback (f, 5, "Quick and kind");
  g_autofree char *b = add_feedback (f, 2, "Waited an hour");
  g_autofree char *c = add_feedback (f, 4, NULL);
  g_autofree char *from_patient = NULL;
  g_autoptr(RxAppointment) visit = NULL;
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) replied = NULL;
  g_autoptr(RxFeedback) newest = NULL;
  g_autoptr(RxFeedback) answered = NULL;
  int rating = 0;

  visit = rx_appointments_book (f->db, f->patient, NULL, "2031-05-02T09:00:00Z", 15, NULL,
                                &error);
  g_assert_no_error (error);
  f->now += G_USEC_PER_SEC;
  from_patient = rx_feedback_add (f->db, 3, "visit", rx_appointment_get_id (visit), "OK",
                                  "patient", f->patient, &error);
  g_assert_no_error (error);

  all = rx_feedback_list (f->db, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 4);
  newest = g_list_model_get_item (all, 0);
  g_assert_cmpstr (rx_feedback_get_id (newest), ==, from_patient);
  g_assert_cmpstr (rx_feedback_get_author_kind (newest), ==, "patient");
  g_assert_cmpstr (rx_feedback_get_about_kind (newest), ==, "visit");
  g_assert_cmpstr (rx_feedback_get_state (newest), ==, "new");
  g_object_get (newest, "rating", &rating, NULL);
  g_assert_cmpint (rating, ==, 3);
  g_clear_object (&all);
  all = rx_feedback_list (f->db, NULL, 2, &error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 2);

  /* new -> acknowledged -> replied, and new -> replied */
  expect_state (f, a, "acknowledged", NULL, -1);
  expect_state (f, a, "acknowledged", NULL, RX_CORE_ERROR_TRANSITION);
  expect_state (f, a, "replied", NULL, RX_CORE_ERROR_INVALID);       /* a reply is needed */
  expect_state (f, a, "replied", "  ", RX_CORE_ERROR_INVALID);
  expect_state (f, a, "replied", "Thank you!", -1);
  expect_state (f, a, "acknowledged", NULL, RX_CORE_ERROR_TRANSITION);
  expect_state (f, a, "new", NULL, RX_CORE_ERROR_TRANSITION);
  expect_state (f, b, "replied", "Sorry; we now text when the doctor is running late", -1);
  expect_state (f, c, "acknowledged", "Thanks", RX_CORE_ERROR_INVALID);
  expect_state (f, c, "closed", NULL, RX_CORE_ERROR_INVALID);
  expect_state (f, "no-such-feedback", "acknowledged", NULL, RX_CORE_ERROR_NOT_FOUND);

  replied = rx_feedback_list (f->db, "replied", 10, &error);
  g_assert_cmpuint (g_list_model_get_n_items (replied), ==, 2);
  answered = g_list_model_get_item (replied, 1);
  g_assert_cmpstr (rx_feedback_get_id (answered), ==, a);
  g_assert_cmpstr (rx_feedback_get_reply (answered), ==, "Thank you!");
  g_assert_null (rx_feedback_list (f->db, "closed", 10, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events WHERE "
                                         "entity = 'feedback'"), ==, 4 + 3);
}

static void
test_feedback_validation (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = rx_test_snapshot (f->db);
  g_autofree char *essay = g_strnfill (2001, 'a');

#define REFUSED(rating, about_kind, about_id, text, author_kind, author_id, code) \
  G_STMT_START { \
    g_autofree char *id_ = rx_feedback_add (f->db, rating, about_kind, about_id, text, \
                                            author_kind, author_id, &error); \
    g_assert_null (id_); \
    g_assert_error (error, RX_CORE_ERROR, code); \
    g_clear_error (&error); \
  } G_STMT_END
  REFUSED (0, NULL, NULL, "meh", NULL, NULL, RX_CORE_ERROR_INVALID);
  REFUSED (6, NULL, NULL, "wow", NULL, NULL, RX_CORE_ERROR_INVALID);
  REFUSED (3, "weather", NULL, NULL, NULL, NULL, RX_CORE_ERROR_INVALID);
  REFUSED (3, NULL, "some-id", NULL, NULL, NULL, RX_CORE_ERROR_INVALID);
  REFUSED (3, "order", "no-such-order", NULL, NULL, NULL, RX_CORE_ERROR_NOT_FOUND);
  REFUSED (3, "app", "some-id", NULL, NULL, NULL, RX_CORE_ERROR_INVALID);
  REFUSED (3, NULL, NULL, essay, NULL, NULL, RX_CORE_ERROR_INVALID);
  REFUSED (3, NULL, NULL, NULL, "visitor", NULL, RX_CORE_ERROR_INVALID);
  REFUSED (3, NULL, NULL, NULL, "staff", "no-such-user", RX_CORE_ERROR_NOT_FOUND);
  REFUSED (3, NULL, NULL, NULL, "patient", f->user, RX_CORE_ERROR_NOT_FOUND);
#undef REFUSED
  rx_test_assert_unchanged (f->db, before);

  {
    g_autofree char *id = rx_feedback_add (f->db, 1, NULL, NULL, NULL, "doctor", f->user,
                                           &error);

    g_assert_no_error (error);
    g_assert_nonnull (id);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  TEST ("/core/alert/raise-list-acknowledge", test_alerts);
  TEST ("/core/feedback/round-trip", test_feedback);
  TEST ("/core/feedback/validation", test_feedback_validation);

  return g_test_run ();
}
