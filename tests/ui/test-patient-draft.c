/* test-patient-draft.c: the reception's patient form without its widgets: what it says is
 * wrong, when it counts as changed, and that saving is all or nothing. */
#include "config.h"

#include <string.h>

#include "rx-patient-draft.h"
#include "rx-test-fixtures.h"

static GDate *
today (void)
{
  GDate *date = g_date_new_dmy (15, G_DATE_MARCH, 2026);

  return date;
}

static char *
problems_text (RxPatientDraft *draft)
{
  g_autoptr(GDate) now = today ();
  g_autoptr(GPtrArray) problems = rx_patient_draft_check (draft, now);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      RxPatientDraftProblem *problem = g_ptr_array_index (problems, i);

      g_string_append_printf (text, "%d:%s\n", problem->field, problem->message);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_check (void)
{
  g_autoptr(RxPatientDraft) draft = rx_patient_draft_new (NULL);
  g_autofree char *empty = NULL;
  g_autofree char *bad_date = NULL;
  g_autofree char *future = NULL;
  g_autofree char *long_phone = NULL;
  g_autofree char *fine = NULL;
  g_autofree char *phone = g_strnfill (41, '7');

  g_assert_cmpstr (rx_patient_draft_get (draft, RX_PATIENT_DRAFT_SEX), ==, "X");
  g_assert_false (rx_patient_draft_is_modified (draft));

  empty = problems_text (draft);
  g_assert_nonnull (strstr (empty, "0:The family name is required"));
  g_assert_nonnull (strstr (empty, "2:The date of birth is required"));

  rx_patient_draft_set (draft, RX_PATIENT_DRAFT_FAMILY_NAME, " Okafor ");
  rx_patient_draft_set (draft, RX_PATIENT_DRAFT_BIRTH_DATE, "1984-02-30");
  g_assert_true (rx_patient_draft_is_modified (draft));
  bad_date = problems_text (draft);
  g_assert_cmpstr (bad_date, ==, "2:“1984-02-30” is not a date; write the date of birth as "
                                 "YYYY-MM-DD, e.g. 1984-03-27\n");

  rx_patient_draft_set (draft, RX_PATIENT_DRAFT_BIRTH_DATE, "2026-03-16");
  future = problems_text (draft);
  g_assert_nonnull (strstr (future, "in the future"));

  rx_patient_draft_set (draft, RX_PATIENT_DRAFT_BIRTH_DATE, "2026-03-15");
  rx_patient_draft_set (draft, RX_PATIENT_DRAFT_PHONE, phone);
  long_phone = problems_text (draft);
  g_assert_cmpstr (long_phone, ==, "4:The phone number is longer than 40 characters; "
                                   "shorten it\n");

  rx_patient_draft_set (draft, RX_PATIENT_DRAFT_PHONE, "");
  fine = problems_text (draft);
  g_assert_cmpstr (fine, ==, "");
}

static void
test_allergies (void)
{
  g_autoptr(RxPatientDraft) draft = rx_patient_draft_new (NULL);
  g_autoptr(GError) error = NULL;
  RxAllergy *allergy;

  g_assert_false (rx_patient_draft_add_allergy (draft, "   ", NULL, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (rx_patient_draft_add_allergy (draft, "  Penicillins ", " hives  and  rash ",
                                               "severe", &error));
  g_assert_no_error (error);
  allergy = g_ptr_array_index (draft->allergies, 0);
  g_assert_cmpstr (allergy->allergen, ==, "penicillins");
  g_assert_cmpstr (allergy->reaction, ==, "hives and rash");
  g_assert_cmpstr (allergy->severity, ==, "severe");
  g_assert_true (rx_patient_draft_is_modified (draft));

  g_assert_false (rx_patient_draft_add_allergy (draft, "PENICILLINS", NULL, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (rx_patient_draft_add_allergy (draft, "latex", NULL, NULL, &error));
  g_assert_cmpstr (((RxAllergy *) g_ptr_array_index (draft->allergies, 1))->severity, ==,
                   "unknown");
  rx_patient_draft_remove_allergy (draft, 0);
  g_assert_cmpuint (draft->allergies->len, ==, 1);
  /* added here and taken off again: nothing to remove in the database */
  g_assert_cmpuint (draft->removed->len, ==, 0);
}

typedef struct
{
  RxTestClinic  clinic;
  RxDb         *db;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  rx_test_clinic_setup (&f->clinic, data);
  f->db = f->clinic.db;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  rx_test_clinic_teardown (&f->clinic, data);
}

static RxPatient *
register_patient (Fixture *f)
{
  g_autoptr(RxPatientDraft) draft = rx_patient_draft_new (NULL);
  g_autoptr(GError) error = NULL;
  RxPatient *patient;

  rx_patient_draft_set (draft, RX_PATIENT_DRAFT_FAMILY_NAME, "Okafor");
  rx_patient_draft_set (draft, RX_PATIENT_DRAFT_GIVEN_NAMES, "Amina  Ngozi");
  rx_patient_draft_set (draft, RX_PATIENT_DRAFT_BIRTH_DATE, "1984-03-02");
  rx_patient_draft_set (draft, RX_PATIENT_DRAFT_SEX, "F");
  g_assert_true (rx_patient_draft_add_allergy (draft, "penicillins", "hives", "severe", NULL));
  g_assert_true (rx_patient_draft_add_allergy (draft, "latex", NULL, "mild", NULL));

  patient = rx_patient_draft_save (draft, f->db, &error);
  g_assert_no_error (error);
  g_assert_nonnull (patient);
  return patient;
}

/* A new patient and their allergies are one change, with the severities given. */
static void
test_register (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(RxPatient) patient = register_patient (f);
  RxAllergy *first;

  g_assert_cmpstr (rx_patient_get_given_names (patient), ==, "Amina Ngozi");
  g_assert_cmpstr (rx_patient_get_sex (patient), ==, "F");
  g_assert_cmpuint (rx_patient_get_allergies (patient)->len, ==, 2);
  first = g_ptr_array_index (rx_patient_get_allergies (patient), 0);
  g_assert_cmpstr (first->allergen, ==, "latex");
  g_assert_cmpstr (first->severity, ==, "mild");
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM patient_allergies WHERE "
                                         "severity = 'severe' AND reaction = 'hives'"), ==, 1);
}

/* An edit writes only what changed, and the allergies taken off and put on. */
static void
test_update (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(RxPatient) patient = register_patient (f);
  g_autoptr(RxPatientDraft) draft = rx_patient_draft_new (patient);
  g_autoptr(RxPatient) saved = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (rx_patient_draft_is_modified (draft));
  rx_patient_draft_set (draft, RX_PATIENT_DRAFT_GIVEN_NAMES, " Amina  Ngozi ");
  g_assert_false (rx_patient_draft_is_modified (draft));

  rx_patient_draft_set (draft, RX_PATIENT_DRAFT_PHONE, "+234 801 234 5678");
  rx_patient_draft_remove_allergy (draft, 0);   /* latex */
  g_assert_true (rx_patient_draft_add_allergy (draft, "sulfonamides", NULL, "moderate", NULL));
  g_assert_true (rx_patient_draft_is_modified (draft));

  saved = rx_patient_draft_save (draft, f->db, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rx_patient_get_phone (saved), ==, "+234 801 234 5678");
  g_assert_cmpuint (rx_patient_get_allergies (saved)->len, ==, 2);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM patient_allergies WHERE "
                                         "allergen = 'latex' AND deleted = 1"), ==, 1);
  /* the audit says which fields the edit touched, and only those */
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events WHERE "
                                         "action = 'update' AND detail = 'phone'"), ==, 1);
}

/* When core refuses part of it, none of it is kept. */
static void
test_all_or_nothing (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(RxPatientDraft) draft = rx_patient_draft_new (NULL);
  g_autoptr(RxPatient) patient = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = rx_test_snapshot (f->db);

  rx_patient_draft_set (draft, RX_PATIENT_DRAFT_FAMILY_NAME, "Lindqvist");
  rx_patient_draft_set (draft, RX_PATIENT_DRAFT_BIRTH_DATE, "2019-01-30");
  g_assert_true (rx_patient_draft_add_allergy (draft, "peanuts", NULL, NULL, NULL));
  g_assert_true (rx_patient_draft_add_allergy (draft, "eggs\x01", NULL, NULL, NULL));

  patient = rx_patient_draft_save (draft, f->db, &error);
  g_assert_null (patient);
  rx_test_assert_error_says (error, RX_CORE_ERROR_INVALID, "control characters");
  rx_test_assert_unchanged (f->db, before);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/patient-draft/check", test_check);
  g_test_add_func ("/ui/patient-draft/allergies", test_allergies);
  g_test_add ("/ui/patient-draft/register", Fixture, NULL, fixture_setup, test_register,
              fixture_teardown);
  g_test_add ("/ui/patient-draft/update", Fixture, NULL, fixture_setup, test_update,
              fixture_teardown);
  g_test_add ("/ui/patient-draft/all-or-nothing", Fixture, NULL, fixture_setup,
              test_all_or_nothing, fixture_teardown);

  return g_test_run ();
}
