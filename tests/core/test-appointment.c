/* test-appointment.c: the appointment book: booking, clashes, moving, the status machine
 * and free times. */
#include "config.h"

#include "rx-test-fixtures.h"

typedef struct
{
  RxTestClinic  clinic;
  RxDb         *db;
  gint64        now;
  char         *patient;
  char         *doctor;
  char         *nurse;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  rx_test_clinic_setup (&f->clinic, data);
  f->db = f->clinic.db;
  f->now = rx_test_usec ("2031-05-01T07:00:00Z");
  rx_db_set_clock (f->db, rx_test_fixed_clock, &f->now);
  f->patient = rx_test_add_patient (f->db, "Osei");
  f->doctor = rx_test_add_user (f->db, "drbanda", "doctor");
  f->nurse = rx_test_add_user (f->db, "nkoroma", "pharmacist");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->patient);
  g_free (f->doctor);
  g_free (f->nurse);
  rx_test_clinic_teardown (&f->clinic, data);
}

static RxAppointment *
book (Fixture    *f,
      const char *clinician,
      const char *starts_at,
      guint       minutes)
{
  g_autoptr(GError) error = NULL;
  RxAppointment *a = rx_appointments_book (f->db, f->patient, clinician, starts_at, minutes,
                                           "Review", &error);

  g_assert_no_error (error);
  g_assert_nonnull (a);
  return a;
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxAppointment) late = book (f, f->doctor, "2031-05-05T11:00:00Z", 20);
  g_autoptr(RxAppointment) early = book (f, f->doctor, "2031-05-05T09:00:00Z", 30);
  g_autoptr(RxAppointment) next_day = book (f, f->doctor, "2031-05-06T09:00:00Z", 30);
  g_autoptr(RxAppointment) again = NULL;
  g_autoptr(RxAppointment) first = NULL;
  g_autoptr(GListModel) day = NULL;
  g_autofree char *starts = NULL;

  g_assert_cmpstr (rx_appointment_get_patient_id (early), ==, f->patient);
  g_assert_cmpstr (rx_appointment_get_clinician_id (early), ==, f->doctor);
  g_assert_cmpstr (rx_appointment_get_starts_at (early), ==, "2031-05-05T09:00:00Z");
  g_assert_cmpstr (rx_appointment_get_ends_at (early), ==, "2031-05-05T09:30:00Z");
  g_assert_cmpstr (rx_appointment_get_status (early), ==, "booked");
  g_assert_cmpstr (rx_appointment_get_reason (early), ==, "Review");
  /* who comes and whom they see, for the day's list */
  g_assert_cmpstr (rx_appointment_get_patient_name (early), ==, "OSEI");
  g_assert_true (g_str_has_prefix (rx_appointment_get_patient_record (early), "P-"));
  g_assert_cmpstr (rx_appointment_get_clinician_name (early), ==, "Test drbanda");

  again = rx_appointments_get (f->db, rx_appointment_get_id (early), &error);
  g_assert_no_error (error);
  g_object_get (again, "starts-at", &starts, NULL);
  g_assert_cmpstr (starts, ==, "2031-05-05T09:00:00Z");

  day = rx_appointments_list_day (f->db, "2031-05-05", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (day), ==, 2);
  g_assert_true (g_list_model_get_item_type (day) == RX_TYPE_APPOINTMENT);
  first = g_list_model_get_item (day, 0);
  g_assert_cmpstr (rx_appointment_get_id (first), ==, rx_appointment_get_id (early));
  g_assert_cmpstr (rx_appointment_get_patient_name (first), ==, "OSEI");
  g_assert_cmpstr (rx_appointment_get_clinician_name (first), ==, "Test drbanda");

  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events WHERE "
                                         "entity = 'appointments' AND action = 'create'"), ==, 3);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events WHERE "
                                         "entity = 'appointments' AND action IN ('read', "
                                         "'list')"), ==, 2);
}

static void
expect_book_refused (Fixture    *f,
                     const char *patient,
                     const char *clinician,
                     const char *starts_at,
                     guint       minutes,
                     const char *reason,
                     int         code,
                     const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = rx_test_snapshot (f->db);
  g_autoptr(RxAppointment) a = rx_appointments_book (f->db, patient, clinician, starts_at,
                                                     minutes, reason, &error);

  g_assert_null (a);
  rx_test_assert_error_says (error, code, words);
  rx_test_assert_unchanged (f->db, before);
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *long_reason = g_strnfill (201, 'x');
  const char *bad_times[] = {
    "2031-05-05 09:00:00Z", "2031-05-05T09:00:00+01:00", "2031-05-05T09:00Z",
    "2031-13-05T09:00:00Z", "2031-02-30T09:00:00Z", "2031-05-05T25:00:00Z", "tomorrow", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_times); i++)
    expect_book_refused (f, f->patient, f->doctor, bad_times[i], 30, NULL,
                         RX_CORE_ERROR_INVALID, "YYYY-MM-DDTHH:MM:SSZ");
  expect_book_refused (f, f->patient, f->doctor, NULL, 30, NULL, RX_CORE_ERROR_INVALID, "UTC");
  expect_book_refused (f, f->patient, f->doctor, "2031-05-05T09:00:00Z", 4, NULL,
                       RX_CORE_ERROR_INVALID, "5 to 480");
  expect_book_refused (f, f->patient, f->doctor, "2031-05-05T09:00:00Z", 481, NULL,
                       RX_CORE_ERROR_INVALID, "5 to 480");
  expect_book_refused (f, "no-such-patient", f->doctor, "2031-05-05T09:00:00Z", 30, NULL,
                       RX_CORE_ERROR_NOT_FOUND, "patient");
  expect_book_refused (f, NULL, f->doctor, "2031-05-05T09:00:00Z", 30, NULL,
                       RX_CORE_ERROR_INVALID, "patient");
  expect_book_refused (f, f->patient, "no-such-user", "2031-05-05T09:00:00Z", 30, NULL,
                       RX_CORE_ERROR_NOT_FOUND, "clinician");
  expect_book_refused (f, f->patient, f->doctor, "2031-05-05T09:00:00Z", 30, long_reason,
                       RX_CORE_ERROR_INVALID, "Reason");

  /* the edges are fine */
  {
    g_autoptr(RxAppointment) a = book (f, f->doctor, "2031-05-05T09:00:00Z", 5);
    g_autoptr(RxAppointment) b = book (f, f->doctor, "2031-05-05T10:00:00Z", 480);
  }
}

static void
test_overlap (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxAppointment) a = book (f, f->doctor, "2031-05-05T09:00:00Z", 30);
  g_autoptr(RxAppointment) touching = NULL;
  g_autoptr(RxAppointment) other = NULL;
  g_autoptr(RxAppointment) shared = NULL;
  g_autoptr(RxAppointment) after_cancel = NULL;

  /* starts inside, ends inside, covers: all refused, naming the clash */
  expect_book_refused (f, f->patient, f->doctor, "2031-05-05T09:15:00Z", 30, NULL,
                       RX_CORE_ERROR_EXISTS, "2031-05-05T09:00:00Z to 2031-05-05T09:30:00Z");
  expect_book_refused (f, f->patient, f->doctor, "2031-05-05T08:45:00Z", 30, NULL,
                       RX_CORE_ERROR_EXISTS, "09:00:00Z");
  expect_book_refused (f, f->patient, f->doctor, "2031-05-05T08:00:00Z", 120, NULL,
                       RX_CORE_ERROR_EXISTS, "09:00:00Z");
  expect_book_refused (f, f->patient, f->doctor, "2031-05-05T09:10:00Z", 5, NULL,
                       RX_CORE_ERROR_EXISTS, "09:00:00Z");

  /* back to back is fine; another clinician and the shared calendar are separate books */
  touching = book (f, f->doctor, "2031-05-05T09:30:00Z", 30);
  other = book (f, f->nurse, "2031-05-05T09:15:00Z", 30);
  shared = book (f, NULL, "2031-05-05T09:15:00Z", 30);
  expect_book_refused (f, f->patient, NULL, "2031-05-05T09:20:00Z", 10, NULL,
                       RX_CORE_ERROR_EXISTS, "shared calendar");

  /* a cancelled appointment frees its time */
  g_assert_true (rx_appointments_set_status (f->db, rx_appointment_get_id (a), "cancelled",
                                             &error));
  g_assert_no_error (error);
  after_cancel = book (f, f->doctor, "2031-05-05T09:00:00Z", 30);
}

static void
test_move (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxAppointment) a = book (f, f->doctor, "2031-05-05T09:00:00Z", 30);
  g_autoptr(RxAppointment) b = book (f, f->doctor, "2031-05-05T10:00:00Z", 30);
  g_autoptr(RxAppointment) moved = NULL;
  g_autofree char *before = NULL;
  const char *id = rx_appointment_get_id (a);

  /* a move that keeps its length, then one that changes it; overlapping itself is fine */
  g_assert_true (rx_appointments_move (f->db, id, "2031-05-05T09:10:00Z", 0, &error));
  g_assert_no_error (error);
  g_assert_true (rx_appointments_move (f->db, id, "2031-05-05T08:30:00Z", 45, &error));
  g_assert_no_error (error);
  moved = rx_appointments_get (f->db, id, &error);
  g_assert_cmpstr (rx_appointment_get_starts_at (moved), ==, "2031-05-05T08:30:00Z");
  g_assert_cmpstr (rx_appointment_get_ends_at (moved), ==, "2031-05-05T09:15:00Z");

  before = rx_test_snapshot (f->db);
  g_assert_false (rx_appointments_move (f->db, id, "2031-05-05T09:45:00Z", 0, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_EXISTS, "2031-05-05T10:00:00Z");
  g_clear_error (&error);
  g_assert_false (rx_appointments_move (f->db, id, "09:45", 0, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rx_appointments_move (f->db, id, "2031-05-05T11:00:00Z", 2, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rx_appointments_move (f->db, "nope", "2031-05-05T11:00:00Z", 0, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  rx_test_assert_unchanged (f->db, before);

  /* once the patient is here, the appointment stays where it is */
  g_assert_true (rx_appointments_set_status (f->db, rx_appointment_get_id (b), "checked_in",
                                             &error));
  g_free (before);
  before = rx_test_snapshot (f->db);
  g_assert_false (rx_appointments_move (f->db, rx_appointment_get_id (b),
                                        "2031-05-05T12:00:00Z", 0, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION);
  rx_test_assert_unchanged (f->db, before);
}

static void
expect_status (Fixture    *f,
               const char *id,
               const char *to,
               gboolean    allowed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxAppointment) a = NULL;
  g_autofree char *before = rx_test_snapshot (f->db);

  if (allowed)
    {
      g_assert_true (rx_appointments_set_status (f->db, id, to, &error));
      g_assert_no_error (error);
      a = rx_appointments_get (f->db, id, &error);
      g_assert_cmpstr (rx_appointment_get_status (a), ==, to);
      return;
    }

  g_assert_false (rx_appointments_set_status (f->db, id, to, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION);
  rx_test_assert_unchanged (f->db, before);
}

static void
test_status_machine (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(RxAppointment) a = book (f, f->doctor, "2031-05-05T09:00:00Z", 15);
  g_autoptr(RxAppointment) b = book (f, f->doctor, "2031-05-05T10:00:00Z", 15);
  g_autoptr(RxAppointment) c = book (f, f->doctor, "2031-05-05T11:00:00Z", 15);
  g_autoptr(RxAppointment) d = book (f, f->doctor, "2031-05-05T12:00:00Z", 15);
  g_autoptr(GError) error = NULL;

  expect_status (f, rx_appointment_get_id (a), "completed", FALSE);   /* not seen yet */
  expect_status (f, rx_appointment_get_id (a), "booked", FALSE);
  expect_status (f, rx_appointment_get_id (a), "checked_in", TRUE);
  expect_status (f, rx_appointment_get_id (a), "no_show", FALSE);     /* they came */
  expect_status (f, rx_appointment_get_id (a), "completed", TRUE);
  expect_status (f, rx_appointment_get_id (a), "cancelled", FALSE);   /* final */
  expect_status (f, rx_appointment_get_id (a), "checked_in", FALSE);

  expect_status (f, rx_appointment_get_id (b), "cancelled", TRUE);
  expect_status (f, rx_appointment_get_id (b), "checked_in", FALSE);
  expect_status (f, rx_appointment_get_id (c), "no_show", TRUE);
  expect_status (f, rx_appointment_get_id (c), "checked_in", FALSE);
  expect_status (f, rx_appointment_get_id (d), "checked_in", TRUE);
  expect_status (f, rx_appointment_get_id (d), "cancelled", TRUE);

  /* the refusal says what is possible instead */
  g_assert_false (rx_appointments_set_status (f->db, rx_appointment_get_id (c), "booked",
                                              &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_TRANSITION, "no_show, which is final");
  g_clear_error (&error);
  {
    g_autoptr(RxAppointment) e = book (f, f->doctor, "2031-05-05T13:00:00Z", 15);

    g_assert_false (rx_appointments_set_status (f->db, rx_appointment_get_id (e), "bogus",
                                                &error));
    rx_test_assert_error_says (error, RX_CORE_ERROR_TRANSITION, "checked_in, cancelled, no_show");
  }
}

/* A cancel needs a reason, says it in the audit trail, and frees the time. */
static void
test_cancel_with_reason (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(RxAppointment) a = book (f, NULL, "2031-05-05T09:00:00Z", 15);
  g_autoptr(RxAppointment) again = NULL;
  g_autoptr(RxAppointment) shared = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = rx_test_snapshot (f->db);

  g_assert_null (rx_appointment_get_clinician_name (a));

  g_assert_false (rx_appointments_cancel (f->db, rx_appointment_get_id (a), "  ", &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_INVALID, "reason for cancelling is required");
  rx_test_assert_unchanged (f->db, before);
  g_clear_error (&error);

  g_assert_true (rx_appointments_cancel (f->db, rx_appointment_get_id (a), " Patient is ill ",
                                         &error));
  g_assert_no_error (error);
  again = rx_appointments_get (f->db, rx_appointment_get_id (a), &error);
  g_assert_cmpstr (rx_appointment_get_status (again), ==, "cancelled");
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events WHERE "
                                         "entity = 'appointments' AND action = 'status' AND "
                                         "detail = 'booked -> cancelled: Patient is ill'"), ==, 1);

  /* cancelled is final, and its time is free again */
  g_assert_false (rx_appointments_cancel (f->db, rx_appointment_get_id (a), "twice", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION);
  shared = book (f, NULL, "2031-05-05T09:00:00Z", 15);
}

static void
assert_slots (GStrv        slots,
              const char  *expected)
{
  g_autofree char *joined = g_strjoinv (" ", slots);

  g_assert_cmpstr (joined, ==, expected);
}

static void
test_free_slots (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxAppointment) a = book (f, f->doctor, "2031-05-05T09:00:00Z", 30);
  g_autoptr(RxAppointment) b = book (f, f->doctor, "2031-05-05T10:10:00Z", 15);
  g_autoptr(RxAppointment) gone = book (f, f->doctor, "2031-05-05T08:00:00Z", 30);
  g_autoptr(RxAppointment) nurse = book (f, f->nurse, "2031-05-05T08:00:00Z", 240);
  g_auto(GStrv) slots = NULL;

  g_assert_true (rx_appointments_set_status (f->db, rx_appointment_get_id (gone), "cancelled",
                                             &error));

  slots = rx_appointments_free_slots (f->db, f->doctor, "2031-05-05", 30, "08:00", "12:00",
                                      &error);
  g_assert_no_error (error);
  assert_slots (slots, "2031-05-05T08:00:00Z 2031-05-05T08:30:00Z 2031-05-05T09:30:00Z "
                       "2031-05-05T10:25:00Z 2031-05-05T10:55:00Z 2031-05-05T11:25:00Z");
  g_clear_pointer (&slots, g_strfreev);

  /* each offered time can really be booked */
  {
    g_autoptr(RxAppointment) c = book (f, f->doctor, "2031-05-05T10:25:00Z", 30);
  }

  /* the shared calendar is empty; the nurse is busy all morning */
  slots = rx_appointments_free_slots (f->db, NULL, "2031-05-05", 60, "08:00", "10:00", &error);
  assert_slots (slots, "2031-05-05T08:00:00Z 2031-05-05T09:00:00Z");
  g_clear_pointer (&slots, g_strfreev);
  slots = rx_appointments_free_slots (f->db, f->nurse, "2031-05-05", 15, "08:00", "12:00",
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (slots), ==, 0);
  g_clear_pointer (&slots, g_strfreev);

  /* never in the past: at 10:02 the next start is 10:05, which clashes, then the rest */
  f->now = rx_test_usec ("2031-05-05T10:02:00Z");
  slots = rx_appointments_free_slots (f->db, f->doctor, "2031-05-05", 20, "08:00", "12:00",
                                      &error);
  assert_slots (slots, "2031-05-05T10:55:00Z 2031-05-05T11:15:00Z 2031-05-05T11:35:00Z");
  g_clear_pointer (&slots, g_strfreev);

  /* bad input */
  g_assert_null (rx_appointments_free_slots (f->db, f->doctor, "2031-05-05", 30, "8:00",
                                             "12:00", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (rx_appointments_free_slots (f->db, f->doctor, "2031-05-05", 30, "12:00",
                                             "08:00", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (rx_appointments_free_slots (f->db, f->doctor, "05/05/2031", 30, "08:00",
                                             "12:00", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (rx_appointments_free_slots (f->db, f->doctor, "2031-05-05", 0, "08:00",
                                             "12:00", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (rx_appointments_free_slots (f->db, "nobody", "2031-05-05", 30, "08:00",
                                             "12:00", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define APPOINTMENT_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  APPOINTMENT_TEST ("/core/appointment/round-trip", test_round_trip);
  APPOINTMENT_TEST ("/core/appointment/validation", test_validation);
  APPOINTMENT_TEST ("/core/appointment/overlap", test_overlap);
  APPOINTMENT_TEST ("/core/appointment/move", test_move);
  APPOINTMENT_TEST ("/core/appointment/status-machine", test_status_machine);
  APPOINTMENT_TEST ("/core/appointment/cancel-with-reason", test_cancel_with_reason);
  APPOINTMENT_TEST ("/core/appointment/free-slots", test_free_slots);

  return g_test_run ();
}
