/* test-app-smoke.c: the home window on a real clinic finds a patient as the user types. */
#include "config.h"

#include <adwaita.h>

#include "rx-clinic.h"
#include "rx-home-window.h"
#include "rx-patients-page.h"
#include "rx-test-util.h"

typedef struct
{
  RxTestClinic  clinic;
  RxHomeWindow *window;
} Fixture;

static void
add_patient (RxDb       *db,
             const char *family,
             const char *given,
             const char *born)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxPatient) patient = NULL;
  RxPatientFields fields = {
    .family_name = family,
    .given_names = given,
    .birth_date = born,
    .sex = "F",
  };

  patient = rx_patients_add (db, &fields, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (patient);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(RxClinic) clinic = NULL;

  rx_test_clinic_setup (&fixture->clinic, data);
  add_patient (fixture->clinic.db, "Okafor", "Amina", "1984-03-02");
  add_patient (fixture->clinic.db, "Okonkwo", "Chidi", "1971-07-15");
  add_patient (fixture->clinic.db, "Lindqvist", "Sara", "2019-01-30");

  clinic = rx_clinic_new_for_db (fixture->clinic.db);
  fixture->window = rx_home_window_new (NULL);
  rx_home_window_set_clinic (fixture->window, clinic);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  /* Let the worker's last replies arrive, so the clinic is released before its file goes. */
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  rx_test_clinic_teardown (&fixture->clinic, data);
}

static gboolean
timed_out (gpointer user_data)
{
  g_error ("Timed out waiting for the search");
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the window has no query in flight. */
static void
wait_until_idle (RxHomeWindow *window)
{
  guint timeout = g_timeout_add_seconds (20, timed_out, NULL);

  do
    g_main_context_iteration (NULL, TRUE);
  while (rx_home_window_get_busy (window));

  g_source_remove (timeout);
}

static void
test_search_finds_patient (Fixture       *fixture,
                           gconstpointer  data)
{
  RxPatientsPage *page = RX_PATIENTS_PAGE (rx_home_window_get_patients_page (fixture->window));
  GListModel *results = rx_patients_page_get_results (page);
  g_autoptr(RxPatient) found = NULL;

  wait_until_idle (fixture->window);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 3);

  rx_patients_page_search (page, "Okaf");
  wait_until_idle (fixture->window);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  found = g_list_model_get_item (results, 0);
  g_assert_cmpstr (rx_patient_get_given_names (found), ==, "Amina");

  rx_patients_page_search (page, "Nobody-by-this-name");
  wait_until_idle (fixture->window);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 0);
}

/* Each keystroke cancels the search before it: only the last one's results show. */
static void
test_typing_cancels_earlier_searches (Fixture       *fixture,
                                      gconstpointer  data)
{
  RxPatientsPage *page = RX_PATIENTS_PAGE (rx_home_window_get_patients_page (fixture->window));
  GListModel *results = rx_patients_page_get_results (page);
  g_autoptr(RxPatient) found = NULL;

  rx_patients_page_search (page, "O");
  rx_patients_page_search (page, "Ok");
  rx_patients_page_search (page, "Okon");
  wait_until_idle (fixture->window);

  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  found = g_list_model_get_item (results, 0);
  g_assert_cmpstr (rx_patient_get_family_name (found), ==, "Okonkwo");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display to open a window on\n");
      return 0;
    }

  gtk_init ();
  adw_init ();

  g_test_add ("/ui/home/search-finds-patient", Fixture, NULL,
              fixture_setup, test_search_finds_patient, fixture_teardown);
  g_test_add ("/ui/home/typing-cancels-earlier-searches", Fixture, NULL,
              fixture_setup, test_typing_cancels_earlier_searches, fixture_teardown);

  return g_test_run ();
}
