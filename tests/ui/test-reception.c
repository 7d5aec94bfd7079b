/* test-reception.c: the reception window on a demo clinic, driven as the receptionist would
 * drive it: register a patient with an allergy, book them in and check them in; a form with
 * mistakes says what they are and saves nothing; typing searches once per pause; moving and
 * cancelling (with a reason); the lock hides it and logging out closes it; unsaved changes
 * are asked about; a pharmacist may look but not write. */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "rx-appointment-dialog.h"
#include "rx-appointments-page.h"
#include "rx-clinic.h"
#include "rx-patient-editor.h"
#include "rx-reception-window.h"
#include "rx-test-util.h"
#include "rx-ui-test.h"

#define PASSWORD "demo-Staff-pass-9876"

static char *demo_path;   /* made once; each test works on a copy */

typedef struct
{
  char              *dir;
  RxClinic          *clinic;
  RxReceptionWindow *window;
} Fixture;

static gboolean
dialog_ready (gpointer data)
{
  return rx_appointment_dialog_get_ready (data);
}

static gboolean
stop_running (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds, whatever happens meanwhile. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, stop_running, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  RxClinic **clinic = user_data;

  if (g_task_get_source_tag (G_TASK (result)) == rx_clinic_create_demo_async)
    *clinic = rx_clinic_create_demo_finish (result, &error);
  else
    *clinic = rx_clinic_open_finish (result, &error);
  g_assert_no_error (error);
}

static void
logged_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rx_clinic_login_finish (RX_CLINIC (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
log_in (RxClinic   *clinic,
        const char *username)
{
  gboolean done = FALSE;

  rx_clinic_login_async (clinic, username, PASSWORD, NULL, logged_in_cb, &done);
  rx_ui_wait_for ("the login", rx_ui_is_true, &done);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) dest = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  g_file_copy (source, dest, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
open_window (Fixture    *f,
             const char *username)
{
  log_in (f->clinic, username);
  f->window = rx_reception_window_new (NULL, f->clinic);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  rx_ui_wait_for ("the window to settle", rx_ui_window_idle, f->window);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = NULL;

  f->dir = rx_test_make_dir ();
  path = g_build_filename (f->dir, "clinic.db", NULL);
  copy_file (demo_path, path);

  rx_clinic_open_async (path, NULL, opened_cb, &f->clinic);
  rx_ui_wait_for ("the clinic to open", rx_ui_is_set, &f->clinic);
  open_window (f, data ? data : "tnguyen");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->clinic);
  /* Let the worker's last replies arrive, so the clinic is released before its file goes. */
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  rx_test_remove_dir (f->dir);
  g_free (f->dir);
}

/* A number from the clinic's database, read on its worker like every query. */

static RxPatientEditor *
editor (Fixture *f)
{
  return RX_PATIENT_EDITOR (rx_reception_window_get_editor (f->window));
}

static RxAppointmentsPage *
appointments (Fixture *f)
{
  return RX_APPOINTMENTS_PAGE (rx_reception_window_get_appointments_page (f->window));
}

static void
activate (Fixture    *f,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), action, NULL));
}

static void
fill_new_patient (Fixture    *f,
                  const char *family,
                  const char *born)
{
  activate (f, "win.new-patient");
  g_assert_true (rx_patient_editor_get_is_new (editor (f)));
  rx_patient_editor_set_text (editor (f), "Family Name", family);
  rx_patient_editor_set_text (editor (f), "Given Names", "Ada");
  rx_patient_editor_set_text (editor (f), "Date of Birth", born);
  rx_patient_editor_set_sex (editor (f), "F");
  rx_patient_editor_set_text (editor (f), "Phone", "+44 20 7946 0000");
  rx_patient_editor_set_text (editor (f), "Address", "1 Riverside Walk");
}

/* Books the patient on the form at the first free time offered; returns the appointment. */
static RxAppointment *
book (Fixture *f)
{
  GtkWindow *dialog = rx_reception_window_book (f->window);
  g_autofree char *time = NULL;
  RxAppointment *selected;

  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  rx_ui_wait_for ("a free time", dialog_ready, dialog);
  time = g_strdup (rx_appointment_dialog_get_time (RX_APPOINTMENT_DIALOG (dialog)));
  rx_appointment_dialog_confirm (RX_APPOINTMENT_DIALOG (dialog));
  rx_ui_wait_for ("the booking", rx_ui_is_null, &dialog);
  rx_ui_wait_for ("the day's list", rx_ui_window_idle, f->window);

  selected = rx_appointments_page_get_selected (appointments (f));
  g_assert_nonnull (selected);
  g_assert_cmpstr (rx_appointment_get_starts_at (selected), ==, time);
  return selected;
}

/* The whole errand: a new patient with an allergy, booked in, then checked in. */
static void
test_register_book_check_in (Fixture       *f,
                             gconstpointer  data)
{
  RxPatient *patient;
  RxAllergy *allergy;
  RxAppointment *booked;
  g_autofree char *id = NULL;
  g_autofree char *booked_id = NULL;
  gint64 patients = rx_ui_count (f->clinic, "SELECT count(*) FROM patients");

  /* It opens on the day's appointments: the demo has some today. */
  g_assert_cmpstr (rx_reception_window_get_page (f->window), ==, "reception");
  g_assert_cmpuint (g_list_model_get_n_items (rx_appointments_page_get_appointments (
                      appointments (f))), >, 0);

  fill_new_patient (f, "Testperson", "1990-05-17");
  g_assert_true (rx_patient_editor_add_allergy (editor (f), "Latex", "severe"));
  activate (f, "win.save-patient");
  rx_ui_wait_for ("the registration", rx_ui_window_idle, f->window);

  g_assert_null (rx_patient_editor_get_problems (editor (f)));
  patient = rx_patient_editor_get_patient (editor (f));
  g_assert_nonnull (patient);
  id = g_strdup (rx_patient_get_id (patient));
  g_assert_cmpstr (rx_patient_get_family_name (patient), ==, "Testperson");
  g_assert_cmpstr (rx_patient_get_birth_date (patient), ==, "1990-05-17");
  g_assert_cmpstr (rx_patient_get_sex (patient), ==, "F");
  g_assert_true (g_str_has_prefix (rx_patient_get_record_number (patient), "P-"));
  g_assert_cmpuint (rx_patient_get_allergies (patient)->len, ==, 1);
  allergy = g_ptr_array_index (rx_patient_get_allergies (patient), 0);
  g_assert_cmpstr (allergy->allergen, ==, "latex");
  g_assert_cmpstr (allergy->severity, ==, "severe");
  g_assert_false (rx_patient_editor_get_modified (editor (f)));
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM patients"), ==, patients + 1);

  /* The list shows the new patient, marked. */
  {
    g_autoptr(RxPatient) first = g_list_model_get_item (rx_reception_window_get_results (
                                                          f->window), 0);

    g_assert_cmpstr (rx_patient_get_id (first), ==, id);
  }

  booked = book (f);
  booked_id = g_strdup (rx_appointment_get_id (booked));
  g_assert_cmpstr (rx_appointment_get_patient_id (booked), ==, id);
  g_assert_cmpstr (rx_appointment_get_patient_name (booked), ==, "TESTPERSON, Ada");
  g_assert_cmpstr (rx_appointment_get_status (booked), ==, "booked");
  g_assert_nonnull (rx_appointment_get_clinician_name (booked));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (appointments (f)),
                                             "appointments.check-in", NULL));
  rx_ui_wait_for ("the check-in", rx_ui_window_idle, f->window);
  booked = rx_appointments_page_get_selected (appointments (f));
  g_assert_cmpstr (rx_appointment_get_id (booked), ==, booked_id);
  g_assert_cmpstr (rx_appointment_get_status (booked), ==, "checked_in");
}

/* Mistakes are said above the form, and nothing is written until they are put right. */
static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  gint64 patients = rx_ui_count (f->clinic, "SELECT count(*) FROM patients");
  const char *problems;

  fill_new_patient (f, "  ", "27/03/1984");
  activate (f, "win.save-patient");
  problems = rx_patient_editor_get_problems (editor (f));
  g_assert_nonnull (problems);
  g_assert_nonnull (strstr (problems, "family name is required"));
  g_assert_nonnull (strstr (problems, "“27/03/1984” is not a date"));
  g_assert_false (rx_patient_editor_get_busy (editor (f)));

  /* Putting one right takes its complaint away as the person types. */
  rx_patient_editor_set_text (editor (f), "Family Name", "Okoro");
  problems = rx_patient_editor_get_problems (editor (f));
  g_assert_null (strstr (problems, "family name"));

  rx_patient_editor_set_text (editor (f), "Date of Birth", "2999-01-01");
  problems = rx_patient_editor_get_problems (editor (f));
  g_assert_nonnull (strstr (problems, "in the future"));

  /* The same allergy twice is refused at once. */
  rx_patient_editor_set_text (editor (f), "Date of Birth", "1984-03-27");
  g_assert_true (rx_patient_editor_add_allergy (editor (f), "penicillins", NULL));
  g_assert_false (rx_patient_editor_add_allergy (editor (f), "Penicillins", NULL));
  g_assert_nonnull (strstr (rx_patient_editor_get_problems (editor (f)), "already"));

  /* Core refuses what the form let through (a control character): the patient is not left
   * registered without the allergy, and the form keeps what was typed. */
  g_assert_true (rx_patient_editor_add_allergy (editor (f), "sulfa\x01", NULL));
  activate (f, "win.save-patient");
  rx_ui_wait_for ("the refused save", rx_ui_window_idle, f->window);
  g_assert_nonnull (strstr (rx_patient_editor_get_problems (editor (f)), "control characters"));
  g_assert_true (rx_patient_editor_get_is_new (editor (f)));
  g_assert_null (rx_patient_editor_get_patient (editor (f)));
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM patients"), ==, patients);
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM patients WHERE family_name = 'Okoro'"), ==, 0);
}

static gint64
searches (Fixture *f)
{
  return rx_ui_count (f->clinic, "SELECT count(*) FROM audit_events WHERE action = 'search' AND "
                   "entity = 'patients'");
}

/* Typing a name searches once, after the pause; one letter alone does not search. */
static void
test_search_waits_for_a_pause (Fixture       *f,
                               gconstpointer  data)
{
  GtkEditable *entry = GTK_EDITABLE (rx_reception_window_get_search_entry (f->window));
  GListModel *results = rx_reception_window_get_results (f->window);
  gint64 before = searches (f);

  activate (f, "win.search-patients");
  gtk_editable_set_text (entry, "T");
  run_for (500);
  g_assert_cmpint (searches (f), ==, before);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 0);

  gtk_editable_set_text (entry, "Ta");
  run_for (50);
  gtk_editable_set_text (entry, "Tan");
  run_for (50);
  gtk_editable_set_text (entry, "Tana");
  run_for (700);
  rx_ui_wait_for ("the search", rx_ui_window_idle, f->window);
  g_assert_cmpint (searches (f), ==, before + 1);
  g_assert_cmpuint (g_list_model_get_n_items (results), >, 0);

  /* Enter asks at once; the pause after it finds the search done and asks nothing more. */
  gtk_editable_set_text (entry, "Tanaka");
  g_signal_emit_by_name (entry, "activate");
  run_for (700);
  rx_ui_wait_for ("the search", rx_ui_window_idle, f->window);
  g_assert_cmpint (searches (f), ==, before + 2);
}

static gboolean
page_is_locked (gpointer data)
{
  return g_strcmp0 (rx_reception_window_get_page (data), "locked") == 0;
}

static void
unlocked_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_assert_true (rx_clinic_unlock_finish (RX_CLINIC (object), result, NULL));
  *(gboolean *) user_data = TRUE;
}

/* The lock hides the patients (and the dialog naming one) at once; logging out closes it. */
static void
test_lock_and_logout (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *page = rx_reception_window_get_appointments_page (f->window);
  g_autoptr(RxAppointment) first = g_list_model_get_item (
    rx_appointments_page_get_appointments (appointments (f)), 0);
  GtkWindow *dialog;
  gboolean unlocked = FALSE;

  g_assert_true (rx_appointments_page_select (appointments (f), rx_appointment_get_id (first)));
  dialog = rx_appointments_page_cancel (appointments (f));
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (gtk_widget_is_visible (page));

  activate (f, "win.lock");
  g_assert_true (page_is_locked (f->window));
  g_assert_false (gtk_widget_is_visible (page));
  g_assert_null (dialog);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-patient", NULL);
  g_assert_false (rx_patient_editor_get_is_new (editor (f)));

  rx_clinic_unlock_async (f->clinic, PASSWORD, NULL, unlocked_cb, &unlocked);
  rx_ui_wait_for ("the unlock", rx_ui_is_true, &unlocked);
  g_assert_cmpstr (rx_reception_window_get_page (f->window), ==, "reception");
  g_assert_true (gtk_widget_is_visible (page));

  rx_clinic_logout (f->clinic);
  g_assert_null (f->window);
}

/* A booked appointment moves to another free time; a cancel says why, in the audit trail. */
static void
test_move_and_cancel (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RxPatient) first = NULL;
  RxAppointment *booked;
  g_autofree char *id = NULL;
  g_autofree char *was = NULL;
  GtkWindow *dialog;
  g_autofree char *to = NULL;

  gtk_editable_set_text (GTK_EDITABLE (rx_reception_window_get_search_entry (f->window)), "ab");
  g_signal_emit_by_name (rx_reception_window_get_search_entry (f->window), "activate");
  rx_ui_wait_for ("the search", rx_ui_window_idle, f->window);
  first = g_list_model_get_item (rx_reception_window_get_results (f->window), 0);
  g_assert_true (rx_reception_window_select_patient (f->window, rx_patient_get_id (first)));
  rx_ui_wait_for ("the record", rx_ui_window_idle, f->window);
  g_assert_cmpstr (rx_patient_get_id (rx_patient_editor_get_patient (editor (f))), ==,
                   rx_patient_get_id (first));

  booked = book (f);
  id = g_strdup (rx_appointment_get_id (booked));
  was = g_strdup (rx_appointment_get_starts_at (booked));

  dialog = rx_appointments_page_move (appointments (f));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  rx_ui_wait_for ("a free time", dialog_ready, dialog);
  to = g_strdup (rx_appointment_dialog_get_time (RX_APPOINTMENT_DIALOG (dialog)));
  g_assert_cmpstr (to, !=, was);
  rx_appointment_dialog_confirm (RX_APPOINTMENT_DIALOG (dialog));
  rx_ui_wait_for ("the move", rx_ui_is_null, &dialog);
  rx_ui_wait_for ("the day's list", rx_ui_window_idle, f->window);
  booked = rx_appointments_page_get_selected (appointments (f));
  g_assert_cmpstr (rx_appointment_get_id (booked), ==, id);
  g_assert_cmpstr (rx_appointment_get_starts_at (booked), ==, to);

  dialog = rx_appointments_page_cancel (appointments (f));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                           "cancel"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (
                           ADW_MESSAGE_DIALOG (dialog))), "Patient is travelling");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                          "cancel"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  rx_ui_wait_for ("the cancel", rx_ui_window_idle, f->window);
  booked = rx_appointments_page_get_selected (appointments (f));
  g_assert_cmpstr (rx_appointment_get_status (booked), ==, "cancelled");
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM audit_events WHERE action = 'status' AND "
                             "detail = 'booked -> cancelled: Patient is travelling'"), ==, 1);
}

/* A pharmacist reads records and the day's list, and may change neither. */
static void
test_pharmacist_reads_only (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(RxAppointment) first = g_list_model_get_item (
    rx_appointments_page_get_appointments (appointments (f)), 0);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-patient", NULL);
  g_assert_false (rx_patient_editor_get_is_new (editor (f)));
  g_assert_null (rx_reception_window_book (f->window));
  g_assert_true (rx_appointments_page_select (appointments (f), rx_appointment_get_id (first)));
  g_assert_null (rx_appointments_page_cancel (appointments (f)));
  g_assert_null (rx_appointments_page_move (appointments (f)));
  rx_appointments_page_check_in (appointments (f));
  g_assert_false (rx_appointments_page_get_busy (appointments (f)));
}

/* What was typed and not saved is not let go without asking. */
static void
test_unsaved_changes_are_asked_about (Fixture       *f,
                                      gconstpointer  data)
{
  fill_new_patient (f, "Quillfeather", "1975-06-01");
  g_assert_true (rx_patient_editor_get_modified (editor (f)));

  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_nonnull (f->window);
  activate (f, "win.new-patient");
  g_assert_true (rx_patient_editor_get_modified (editor (f)));
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM patients WHERE family_name = 'Quillfeather'"),
                   ==, 0);

  rx_patient_editor_discard (editor (f));
  g_assert_false (rx_patient_editor_get_is_new (editor (f)));
  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_null (f->window);
}

static void
make_demo (void)
{
  g_autofree char *dir = rx_test_make_dir ();
  RxClinic *clinic = NULL;

  demo_path = g_build_filename (dir, "demo.db", NULL);
  rx_clinic_create_demo_async (demo_path, PASSWORD, NULL, opened_cb, &clinic);
  rx_ui_wait_for ("the demo clinic", rx_ui_is_set, &clinic);
  g_object_unref (clinic);
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring = NULL;
  g_autofree char *demo_dir = NULL;
  int status;

  /* The demo's appointments are today in UTC; the window shows the local day. */
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display to open a window on\n");
      return 0;
    }

  keyring = rx_test_use_private_keyring ();
  gtk_init ();
  adw_init ();
  make_demo ();
  demo_dir = g_path_get_dirname (demo_path);

  g_test_add ("/ui/reception/register-book-check-in", Fixture, NULL,
              fixture_setup, test_register_book_check_in, fixture_teardown);
  g_test_add ("/ui/reception/validation", Fixture, NULL,
              fixture_setup, test_validation, fixture_teardown);
  g_test_add ("/ui/reception/search-waits-for-a-pause", Fixture, NULL,
              fixture_setup, test_search_waits_for_a_pause, fixture_teardown);
  g_test_add ("/ui/reception/lock-and-logout", Fixture, NULL,
              fixture_setup, test_lock_and_logout, fixture_teardown);
  g_test_add ("/ui/reception/move-and-cancel", Fixture, NULL,
              fixture_setup, test_move_and_cancel, fixture_teardown);
  g_test_add ("/ui/reception/unsaved-changes-are-asked-about", Fixture, NULL,
              fixture_setup, test_unsaved_changes_are_asked_about, fixture_teardown);
  g_test_add ("/ui/reception/pharmacist-reads-only", Fixture, "rpatel",
              fixture_setup, test_pharmacist_reads_only, fixture_teardown);

  status = g_test_run ();
  rx_test_remove_dir (demo_dir);
  rx_test_remove_dir (keyring);
  g_free (demo_path);

  return status;
}
