/* test-app-smoke.c: the home window on a real clinic: a person logs in (a wrong password is
 * refused with core's message), finds a patient as they type, opens Reception, and the lock
 * hides it all. The reception window itself is driven in test-reception.c. */
#include "config.h"

#include <adwaita.h>

#include "rx-clinic.h"
#include "rx-home-window.h"
#include "rx-lock-page.h"
#include "rx-login-page.h"
#include "rx-patients-page.h"
#include "rx-reception-window.h"
#include "rx-test-util.h"

#define USERNAME "kmensah"
#define PASSWORD "correct-Horse-battery-42"

typedef struct
{
  RxTestClinic  clinic;
  RxClinic     *app_clinic;
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
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) user = NULL;

  rx_test_clinic_setup (&fixture->clinic, data);
  add_patient (fixture->clinic.db, "Okafor", "Amina", "1984-03-02");
  add_patient (fixture->clinic.db, "Okonkwo", "Chidi", "1971-07-15");
  add_patient (fixture->clinic.db, "Lindqvist", "Sara", "2019-01-30");
  user = rx_users_add (fixture->clinic.db, USERNAME, "Dr Kwame Mensah", RX_ROLE_DOCTOR,
                       PASSWORD, &error);
  g_assert_no_error (error);
  g_clear_object (&user);
  user = rx_users_add (fixture->clinic.db, "tnguyen", "Thu Nguyen", RX_ROLE_RECEPTIONIST,
                       PASSWORD, &error);
  g_assert_no_error (error);

  fixture->app_clinic = rx_clinic_new_for_db (fixture->clinic.db);
  fixture->window = rx_home_window_new (NULL);
  rx_home_window_set_clinic (fixture->window, fixture->app_clinic);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->app_clinic);
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
log_in (Fixture    *fixture,
        const char *password)
{
  rx_home_window_login (fixture->window, USERNAME, password);
  g_assert_true (rx_home_window_get_busy (fixture->window));
  wait_until_idle (fixture->window);
}

/* The clinic opens on the login page; patients show only after a login. */
static void
test_login (Fixture       *fixture,
            gconstpointer  data)
{
  RxPatientsPage *page = RX_PATIENTS_PAGE (rx_home_window_get_patients_page (fixture->window));
  RxUser *user;

  g_assert_cmpstr (rx_home_window_get_page (fixture->window), ==, "login");
  g_assert_null (rx_clinic_get_user (fixture->app_clinic));
  g_assert_cmpuint (g_list_model_get_n_items (rx_patients_page_get_results (page)), ==, 0);

  log_in (fixture, PASSWORD);
  g_assert_cmpstr (rx_home_window_get_page (fixture->window), ==, "clinic");
  user = rx_clinic_get_user (fixture->app_clinic);
  g_assert_nonnull (user);
  g_assert_cmpstr (rx_user_get_username (user), ==, USERNAME);
  g_assert_cmpuint (g_list_model_get_n_items (rx_patients_page_get_results (page)), ==, 3);

  /* Logging out empties the pages and asks again. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.logout", NULL);
  g_assert_cmpstr (rx_home_window_get_page (fixture->window), ==, "login");
  g_assert_null (rx_clinic_get_user (fixture->app_clinic));
  g_assert_cmpuint (g_list_model_get_n_items (rx_patients_page_get_results (page)), ==, 0);
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  RxLoginPage *page = RX_LOGIN_PAGE (rx_home_window_get_login_page (fixture->window));

  g_assert_null (rx_login_page_get_error (page));
  log_in (fixture, "not-the-password");
  g_assert_cmpstr (rx_home_window_get_page (fixture->window), ==, "login");
  g_assert_null (rx_clinic_get_user (fixture->app_clinic));
  g_assert_nonnull (rx_login_page_get_error (page));
  g_assert_cmpstr (rx_login_page_get_username (page), ==, USERNAME);
}

static gboolean
page_shown (Fixture   *fixture,
            GtkWidget *child)
{
  GtkWidget *stack = gtk_widget_get_ancestor (child, ADW_TYPE_VIEW_STACK);

  return adw_view_stack_page_get_visible (adw_view_stack_get_page (ADW_VIEW_STACK (stack),
                                                                   child));
}

/* A receptionist sees the patients but not the medicines; a doctor sees both. */
static void
test_pages_follow_role (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *patients = rx_home_window_get_patients_page (fixture->window);
  GtkWidget *medicines = rx_home_window_get_medicines_page (fixture->window);

  rx_home_window_login (fixture->window, "tnguyen", PASSWORD);
  wait_until_idle (fixture->window);
  g_assert_cmpstr (rx_home_window_get_page (fixture->window), ==, "clinic");
  g_assert_true (page_shown (fixture, patients));
  g_assert_false (page_shown (fixture, medicines));
  /* Ctrl+D does not lead there either. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search-drugs", NULL);
  g_assert_true (adw_view_stack_get_visible_child (ADW_VIEW_STACK (gtk_widget_get_ancestor (
                   medicines, ADW_TYPE_VIEW_STACK))) == patients);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.logout", NULL);
  log_in (fixture, PASSWORD);
  g_assert_true (page_shown (fixture, patients));
  g_assert_true (page_shown (fixture, medicines));
}

static gboolean
is_locked (Fixture *fixture)
{
  return rx_clinic_get_locked (fixture->app_clinic);
}

/* A lock (here the core's own, as the idle check does it) hides the clinic at once; only the
 * same person's password brings it back. */
static void
test_lock_and_unlock (Fixture       *fixture,
                      gconstpointer  data)
{
  RxLockPage *lock_page = RX_LOCK_PAGE (rx_home_window_get_lock_page (fixture->window));
  guint timeout;

  log_in (fixture, PASSWORD);
  g_assert_cmpstr (rx_home_window_get_page (fixture->window), ==, "clinic");

  rx_session_lock (rx_clinic_get_session (fixture->app_clinic));
  g_assert_true (is_locked (fixture));
  g_assert_cmpstr (rx_home_window_get_page (fixture->window), ==, "locked");
  g_assert_false (gtk_widget_is_visible (rx_home_window_get_patients_page (fixture->window)));

  timeout = g_timeout_add_seconds (20, timed_out, NULL);
  rx_lock_page_unlock (lock_page, "wrong-password-here");
  while (rx_lock_page_get_busy (lock_page))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (is_locked (fixture));
  g_assert_cmpstr (rx_home_window_get_page (fixture->window), ==, "locked");

  rx_lock_page_unlock (lock_page, PASSWORD);
  while (rx_lock_page_get_busy (lock_page) || is_locked (fixture))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  g_assert_cmpstr (rx_home_window_get_page (fixture->window), ==, "clinic");

  /* The window's own Lock action hides it before the worker has even started. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL);
  g_assert_cmpstr (rx_home_window_get_page (fixture->window), ==, "locked");
  timeout = g_timeout_add_seconds (20, timed_out, NULL);
  while (!rx_session_get_locked (rx_clinic_get_session (fixture->app_clinic)))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static gint64 fake_now;

static gpointer
nothing_in_worker (RxDb          *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return GINT_TO_POINTER (TRUE);
}

static void
nothing_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_assert_nonnull (rx_clinic_run_finish (RX_CLINIC (object), result, NULL));
  *(gboolean *) user_data = TRUE;
}

/* The worker runs jobs in order: once a no-op is back, everything asked before it is done. */
static void
wait_for_worker (Fixture *fixture)
{
  gboolean done = FALSE;
  guint timeout = g_timeout_add_seconds (20, timed_out, NULL);

  rx_clinic_run_async (fixture->app_clinic, nothing_in_worker, NULL, NULL, NULL, NULL,
                       nothing_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static gint64
fake_clock (gpointer user_data)
{
  return fake_now;
}

/* Idle past the limit, the next check locks every window; input before that keeps it open. */
static void
test_idle_lock (Fixture       *fixture,
                gconstpointer  data)
{
  guint timeout;

  fake_now = g_get_real_time ();
  rx_db_set_clock (fixture->clinic.db, fake_clock, NULL);
  rx_clinic_set_idle_seconds (fixture->app_clinic, 60);
  log_in (fixture, PASSWORD);

  fake_now += 30 * G_USEC_PER_SEC;
  rx_clinic_check_idle (fixture->app_clinic);
  wait_for_worker (fixture);
  g_assert_false (is_locked (fixture));

  fake_now += 61 * G_USEC_PER_SEC;
  rx_clinic_check_idle (fixture->app_clinic);
  timeout = g_timeout_add_seconds (20, timed_out, NULL);
  while (!is_locked (fixture))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  g_assert_cmpstr (rx_home_window_get_page (fixture->window), ==, "locked");

  rx_db_set_clock (fixture->clinic.db, NULL, NULL);
}

static void
test_search_finds_patient (Fixture       *fixture,
                           gconstpointer  data)
{
  RxPatientsPage *page = RX_PATIENTS_PAGE (rx_home_window_get_patients_page (fixture->window));
  GListModel *results = rx_patients_page_get_results (page);
  g_autoptr(RxPatient) found = NULL;

  log_in (fixture, PASSWORD);
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

  log_in (fixture, PASSWORD);
  rx_patients_page_search (page, "O");
  rx_patients_page_search (page, "Ok");
  rx_patients_page_search (page, "Okon");
  wait_until_idle (fixture->window);

  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  found = g_list_model_get_item (results, 0);
  g_assert_cmpstr (rx_patient_get_family_name (found), ==, "Okonkwo");
}

/* The Reception tile opens one reception window for the clinic; logging out closes it. */
static void
test_reception_tile (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWindow *reception;

  g_assert_null (rx_home_window_open (fixture->window, RX_WINDOW_RECEPTION));

  rx_home_window_login (fixture->window, "tnguyen", PASSWORD);
  wait_until_idle (fixture->window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-reception",
                                             NULL));
  reception = rx_home_window_open (fixture->window, RX_WINDOW_RECEPTION);
  g_assert_true (RX_IS_RECEPTION_WINDOW (reception));
  g_assert_true (rx_reception_window_get_clinic (RX_RECEPTION_WINDOW (reception)) ==
                 fixture->app_clinic);
  g_object_add_weak_pointer (G_OBJECT (reception), (gpointer *) &reception);
  g_assert_true (rx_home_window_open (fixture->window, RX_WINDOW_RECEPTION) == reception);

  /* A lock covers it too; it opens nothing new meanwhile. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL);
  g_assert_cmpstr (rx_reception_window_get_page (RX_RECEPTION_WINDOW (reception)), ==, "locked");
  g_assert_null (rx_home_window_open (fixture->window, RX_WINDOW_RECEPTION));

  rx_clinic_logout (fixture->app_clinic);
  g_assert_null (reception);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display to open a window on\n");
      return 0;
    }

  keyring = rx_test_use_private_keyring ();
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/home/login", Fixture, NULL, fixture_setup, test_login, fixture_teardown);
  g_test_add ("/ui/home/wrong-password", Fixture, NULL,
              fixture_setup, test_wrong_password, fixture_teardown);
  g_test_add ("/ui/home/lock-and-unlock", Fixture, NULL,
              fixture_setup, test_lock_and_unlock, fixture_teardown);
  g_test_add ("/ui/home/pages-follow-role", Fixture, NULL,
              fixture_setup, test_pages_follow_role, fixture_teardown);
  g_test_add ("/ui/home/idle-lock", Fixture, NULL,
              fixture_setup, test_idle_lock, fixture_teardown);
  g_test_add ("/ui/home/search-finds-patient", Fixture, NULL,
              fixture_setup, test_search_finds_patient, fixture_teardown);
  g_test_add ("/ui/home/typing-cancels-earlier-searches", Fixture, NULL,
              fixture_setup, test_typing_cancels_earlier_searches, fixture_teardown);

  g_test_add ("/ui/home/reception-tile", Fixture, NULL,
              fixture_setup, test_reception_tile, fixture_teardown);

  status = g_test_run ();
  rx_test_remove_dir (keyring);

  return status;
}
