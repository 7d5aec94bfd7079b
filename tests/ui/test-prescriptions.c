/* test-prescriptions.c: the prescription window on a demo clinic, driven as a doctor would:
 * pick a patient, add two medicines that interact, see the alert, give the override reason,
 * sign, find the prescription in the patient's history, save it as a PDF and cancel it with
 * a reason; a wrong password signs nothing and the next try signs the same draft; a
 * controlled medicine without an enrolled authenticator says what to do; a receptionist
 * cannot open the window at all. Pictures of the window go to RX_TEST_SCREENSHOT_DIR. */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "rx-clinic.h"
#include "rx-prescription-item-row.h"
#include "rx-prescription-window.h"
#include "rx-test-util.h"
#include "rx-ui-test.h"
#include "rx-window-kind.h"

#define PASSWORD "demo-Staff-pass-9876"
#define IBUPROFEN "ibuprofen-400mg-film-coated-tablet"
#define ENOXAPARIN "enoxaparin-40mg-0-4ml-injection"
#define CODEINE "codeine-30mg-tablet"

static char *demo_path;

typedef struct
{
  char                 *dir;
  RxClinic             *clinic;
  RxPrescriptionWindow *window;
} Fixture;

static gboolean
stop_running (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

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
logged_in_cb_unlock (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rx_clinic_unlock_finish (RX_CLINIC (object), result, &error));
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
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = NULL;

  f->dir = rx_test_make_dir ();
  path = g_build_filename (f->dir, "clinic.db", NULL);
  copy_file (demo_path, path);

  rx_clinic_open_async (path, NULL, opened_cb, &f->clinic);
  rx_ui_wait_for ("the clinic to open", rx_ui_is_set, &f->clinic);
  log_in (f->clinic, data ? data : "kmensah");
  if (data != NULL)
    return;

  f->window = rx_prescription_window_new (NULL, f->clinic);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  rx_ui_wait_for ("the window to settle", rx_ui_window_idle, f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  /* The window withdraws an unsigned draft on its way out: let that finish. */
  for (guint i = 0; i < 200 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  g_clear_object (&f->clinic);
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  rx_test_remove_dir (f->dir);
  g_free (f->dir);
}

static gboolean
action_enabled (Fixture    *f,
                const char *action)
{
  return rx_prescription_window_get_action_enabled (f->window, action);
}

/* Saves what the window shows now as @name.png, when the run asks for pictures. */
static void
screenshot (Fixture    *f,
            const char *name)
{
  const char *dir = g_getenv ("RX_TEST_SCREENSHOT_DIR");
  GtkWidget *widget = GTK_WIDGET (f->window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width, height;

  if (dir == NULL)
    return;

  /* A few frames for the last changes to be laid out and drawn. */
  run_for (300);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  g_assert_nonnull (node);
  g_assert_nonnull (renderer);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

/* Chooses the first patient a search for @text finds. */
static char *
choose_patient (Fixture    *f,
                const char *text)
{
  GListModel *patients = rx_prescription_window_get_patients (f->window);
  g_autoptr(RxPatient) first = NULL;

  gtk_editable_set_text (GTK_EDITABLE (rx_prescription_window_get_patient_entry (f->window)),
                         text);
  g_signal_emit_by_name (rx_prescription_window_get_patient_entry (f->window), "activate");
  rx_ui_wait_for ("the patient search", rx_ui_window_idle, f->window);
  g_assert_cmpuint (g_list_model_get_n_items (patients), >, 0);
  first = g_list_model_get_item (patients, 0);
  g_assert_true (rx_prescription_window_select_patient (f->window, rx_patient_get_id (first)));
  rx_ui_wait_for ("the patient's record", rx_ui_window_idle, f->window);

  return g_strdup (rx_patient_get_id (first));
}

static void
add_drug (Fixture    *f,
          const char *text,
          const char *product_id)
{
  GtkWidget *entry = rx_prescription_window_get_drug_entry (f->window);
  guint before = rx_prescription_window_get_n_items (f->window);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
  rx_ui_wait_for ("the medicine search", rx_ui_window_idle, f->window);
  g_assert_true (rx_prescription_window_add_drug (f->window, product_id));
  g_assert_cmpuint (rx_prescription_window_get_n_items (f->window), ==, before + 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  rx_ui_wait_for ("the safety checks", rx_ui_window_idle, f->window);
}

static gboolean
has_alert (Fixture          *f,
           RxSafetyKind      kind,
           RxSafetySeverity  at_least)
{
  GListModel *alerts = rx_prescription_window_get_alerts (f->window);

  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(RxSafetyAlert) alert = g_list_model_get_item (alerts, i);

      if (rx_safety_alert_get_kind (alert) == kind &&
          rx_safety_alert_get_severity (alert) >= at_least)
        return TRUE;
    }

  return FALSE;
}

/* Answers the signing dialog with @password; returns once the window is idle again. */
static void
sign_with (Fixture    *f,
           const char *password)
{
  GtkWindow *dialog = rx_prescription_window_sign (f->window);
  GtkEditable *entry;

  g_assert_nonnull (dialog);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  entry = g_object_get_data (G_OBJECT (dialog), "password-entry");
  g_assert_nonnull (entry);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "sign"));
  gtk_editable_set_text (entry, password);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "sign"));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "sign");
  if (dialog != NULL)
    gtk_window_close (dialog);
  rx_ui_wait_for ("the signature", rx_ui_window_idle, f->window);
}

/* Whether @text is somewhere in @data, which may hold NUL bytes. */
static gboolean
contains_bytes (const char *data,
                gsize       length,
                const char *text)
{
  gsize n = strlen (text);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, text, n) == 0)
      return TRUE;
  return FALSE;
}

static RxPrescription *
newest (Fixture *f)
{
  GListModel *history = rx_prescription_window_get_history (f->window);

  g_assert_cmpuint (g_list_model_get_n_items (history), >, 0);
  return g_list_model_get_item (history, 0);
}

static void
test_write_check_sign (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *patient_id = choose_patient (f, "abebe");
  g_autoptr(RxPrescription) rx = NULL;
  g_autofree char *pdf_path = g_build_filename (f->dir, "prescription.pdf", NULL);
  g_autoptr(GFile) pdf = g_file_new_for_path (pdf_path);
  g_autofree char *contents = NULL;
  gsize length = 0;
  GtkWindow *dialog;
  gint64 signed_before = rx_ui_count (f->clinic, "SELECT count(*) FROM prescriptions WHERE status = 'signed'");
  gint64 overrides_before = rx_ui_count (f->clinic, "SELECT count(*) FROM safety_overrides");

  g_assert_false (action_enabled (f, "win.sign"));

  add_drug (f, "ibuprofen 400", IBUPROFEN);
  add_drug (f, "enoxaparin", ENOXAPARIN);

  /* A heparin with an NSAID: a major interaction, which needs a reason to go ahead. */
  g_assert_true (has_alert (f, RX_SAFETY_INTERACTION, RX_SAFETY_MAJOR));
  g_assert_false (action_enabled (f, "win.sign"));
  g_assert_null (rx_prescription_window_sign (f->window));
  rx_prescription_window_set_override (f->window, "short");
  g_assert_false (action_enabled (f, "win.sign"));
  rx_prescription_window_set_override (f->window, "Post-operative thromboprophylaxis; "
                                                  "ibuprofen for 3 days with a PPI");
  g_assert_true (action_enabled (f, "win.sign"));
  /* Where the prescriber types the reason: the alerts are in view above it. */
  gtk_widget_grab_focus (rx_prescription_window_get_override_row (f->window));
  screenshot (f, "prescriptions-draft");

  sign_with (f, PASSWORD);

  /* Signed: the new prescription is empty again, and the history shows the signed one. */
  g_assert_cmpuint (rx_prescription_window_get_n_items (f->window), ==, 0);
  rx = newest (f);
  g_assert_cmpint (rx_prescription_get_status (rx), ==, RX_PRESCRIPTION_SIGNED);
  g_assert_cmpstr (rx_prescription_get_patient_id (rx), ==, patient_id);
  g_assert_cmpuint (rx_prescription_get_items (rx)->len, ==, 2);
  g_assert_cmpstr (rx_prescription_window_get_chosen_id (f->window), ==,
                   rx_prescription_get_id (rx));
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM prescriptions WHERE status = 'signed'"), ==,
                   signed_before + 1);
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM safety_overrides"), >, overrides_before);
  {
    RxPrescriptionItem *item = g_ptr_array_index (rx_prescription_get_items (rx), 0);

    g_assert_nonnull (strstr (item->product_name, "ibuprofen 400 mg"));
    g_assert_cmpstr (item->dose, ==, "1 tablet");
    g_assert_cmpstr (item->frequency, ==, "once daily");
    g_assert_cmpint (item->quantity, ==, 7);
  }
  g_assert_true (action_enabled (f, "win.print"));
  g_assert_true (action_enabled (f, "win.export-pdf"));
  g_assert_true (action_enabled (f, "win.cancel-prescription"));
  screenshot (f, "prescriptions");

  /* The PDF of the signed prescription, written off the main loop. */
  rx_prescription_window_export_pdf_to (f->window, pdf);
  rx_ui_wait_for ("the PDF", rx_ui_window_idle, f->window);
  g_assert_true (g_file_get_contents (pdf_path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF"));
  /* The page's text is compressed; its title, the prescription's id, is not. */
  g_assert_true (contains_bytes (contents, length, rx_prescription_get_id (rx)));
  if (g_getenv ("RX_TEST_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *keep = g_build_filename (g_getenv ("RX_TEST_SCREENSHOT_DIR"),
                                                "prescription.pdf", NULL);

      g_assert_true (g_file_set_contents (keep, contents, length, NULL));
    }

  /* Cancelled with a reason, which the history then shows. */
  dialog = rx_prescription_window_cancel_chosen (f->window);
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                           "cancel-rx"));
  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "reason-entry"),
                         "Wrong patient chosen");
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel-rx");
  if (dialog != NULL)
    gtk_window_close (dialog);
  rx_ui_wait_for ("the cancellation", rx_ui_window_idle, f->window);
  g_clear_object (&rx);
  rx = newest (f);
  g_assert_cmpint (rx_prescription_get_status (rx), ==, RX_PRESCRIPTION_CANCELLED);
  g_assert_false (action_enabled (f, "win.cancel-prescription"));
}

/* A patient allergic to NSAIDs: ibuprofen raises an allergy alert that needs a reason. The
 * demo's patients are the same in every demo clinic, and this date of birth is hers. */
static void
test_allergy_alert (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *patient_id = choose_patient (f, "1941-04-05");

  add_drug (f, "ibuprofen 400", IBUPROFEN);
  g_assert_true (has_alert (f, RX_SAFETY_ALLERGY, RX_SAFETY_MAJOR));
  g_assert_false (action_enabled (f, "win.sign"));
  screenshot (f, "prescriptions-allergy");
}

/* A wrong password signs nothing; the draft written for it is signed by the next try, and
 * no second copy is left behind. */
static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *patient_id = choose_patient (f, "abebe");
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM prescriptions "
                                          "WHERE patient_id = '%s'", patient_id);
  gint64 before = rx_ui_count (f->clinic, sql);
  g_autoptr(RxPrescription) rx = NULL;

  add_drug (f, "amoxicillin 500", "amoxicillin-500mg-capsule");
  sign_with (f, "not-the-password");
  g_assert_cmpuint (rx_prescription_window_get_n_items (f->window), ==, 1);
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM prescriptions WHERE status = 'signed' AND "
                             "signed_at > strftime('%Y-%m-%dT%H:%M', 'now', '-1 minute')"), ==, 0);

  sign_with (f, PASSWORD);
  g_assert_cmpuint (rx_prescription_window_get_n_items (f->window), ==, 0);
  rx = newest (f);
  g_assert_cmpint (rx_prescription_get_status (rx), ==, RX_PRESCRIPTION_SIGNED);
  g_assert_cmpint (rx_ui_count (f->clinic, sql), ==, before + 1);
}

/* A signed prescription is changed by a new version: its items are copied in, and signing
 * the new one supersedes the old, with the reason. */
static void
test_supersede (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *patient_id = choose_patient (f, "abebe");
  g_autofree char *old_id = NULL;
  g_autoptr(RxPrescription) rx = NULL;
  GListModel *history = rx_prescription_window_get_history (f->window);
  GtkWindow *dialog;

  add_drug (f, "amoxicillin 500", "amoxicillin-500mg-capsule");
  sign_with (f, PASSWORD);
  old_id = g_strdup (rx_prescription_window_get_chosen_id (f->window));
  g_assert_nonnull (old_id);
  g_assert_true (action_enabled (f, "win.supersede"));

  dialog = rx_prescription_window_supersede_chosen (f->window);
  g_assert_nonnull (dialog);
  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "reason-entry"),
                         "Course shortened after review");
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "supersede");
  if (dialog != NULL)
    gtk_window_close (dialog);
  rx_ui_wait_for ("the copy", rx_ui_window_idle, f->window);
  g_assert_cmpuint (rx_prescription_window_get_n_items (f->window), ==, 1);

  sign_with (f, PASSWORD);
  g_assert_cmpuint (rx_prescription_window_get_n_items (f->window), ==, 0);
  rx = newest (f);
  g_assert_cmpint (rx_prescription_get_status (rx), ==, RX_PRESCRIPTION_SIGNED);
  g_assert_cmpstr (rx_prescription_get_id (rx), !=, old_id);
  for (guint i = 0; i < g_list_model_get_n_items (history); i++)
    {
      g_autoptr(RxPrescription) listed = g_list_model_get_item (history, i);

      if (g_strcmp0 (rx_prescription_get_id (listed), old_id) == 0)
        g_assert_cmpint (rx_prescription_get_status (listed), ==, RX_PRESCRIPTION_SUPERSEDED);
    }
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM prescription_events WHERE to_status = "
                             "'superseded' AND reason = 'Course shortened after review'"), ==, 1);
}

/* A draft written for a refused signature is withdrawn when the prescriber leaves it. */
static void
test_unsigned_draft_is_withdrawn (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *patient_id = choose_patient (f, "abebe");
  g_autofree char *drafts = g_strdup_printf ("SELECT count(*) FROM prescriptions WHERE "
                                             "patient_id = '%s' AND status = 'draft'",
                                             patient_id);
  g_autofree char *withdrawn = g_strdup_printf ("SELECT count(*) FROM prescriptions WHERE "
                                                "patient_id = '%s' AND status = 'cancelled'",
                                                patient_id);
  gint64 cancelled = rx_ui_count (f->clinic, withdrawn);

  add_drug (f, "amoxicillin 500", "amoxicillin-500mg-capsule");
  sign_with (f, "not-the-password");
  g_assert_cmpint (rx_ui_count (f->clinic, drafts), ==, 1);

  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_null (f->window);
  g_assert_cmpint (rx_ui_count (f->clinic, drafts), ==, 0);
  g_assert_cmpint (rx_ui_count (f->clinic, withdrawn), ==, cancelled + 1);
}

static gboolean
has_favourites (gpointer data)
{
  return rx_prescription_item_row_get_n_favourites (data) > 0;
}

/* The window's question in front of it now, if any. */
static GtkWindow *
question (Fixture *f)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) &&
          gtk_window_get_transient_for (window) == GTK_WINDOW (f->window))
        return window;
    }

  return NULL;
}

static GtkWidget *
find_entry_row (GtkWidget *root)
{
  if (ADW_IS_ENTRY_ROW (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_entry_row (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Typing the patient's instructions: the text stays as typed (spaces and all) while the
 * directions, and the checks, follow it. */
static void
test_typing_instructions (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *patient_id = choose_patient (f, "abebe");
  GtkWidget *row, *entry;
  const char *typed[] = { "Take", "Take ", "Take with", "Take with food ", NULL };

  /* A typo still finds it; stock and expiry show beside each product. */
  gtk_editable_set_text (GTK_EDITABLE (rx_prescription_window_get_drug_entry (f->window)),
                         "amoxicilin");
  g_signal_emit_by_name (rx_prescription_window_get_drug_entry (f->window), "activate");
  rx_ui_wait_for ("the medicine search", rx_ui_window_idle, f->window);
  g_assert_cmpuint (rx_prescription_window_get_n_items (f->window), ==, 0);
  screenshot (f, "prescriptions-search");
  gtk_editable_set_text (GTK_EDITABLE (rx_prescription_window_get_drug_entry (f->window)), "");

  add_drug (f, "amoxicillin 500", "amoxicillin-500mg-capsule");
  row = rx_prescription_window_get_item_row (f->window, 0);
  entry = find_entry_row (row);
  g_assert_nonnull (entry);
  for (guint i = 0; typed[i] != NULL; i++)
    {
      gtk_editable_set_text (GTK_EDITABLE (entry), typed[i]);
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, typed[i]);
    }
  rx_ui_wait_for ("the safety checks", rx_ui_window_idle, f->window);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Take with food ");
  g_assert_cmpstr (rx_prescription_item_row_get_sig (RX_PRESCRIPTION_ITEM_ROW (row))->instructions,
                   ==, "Take with food");
}

/* Directions saved as a favourite come back in one step the next time. */
static void
test_favourite_directions (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *patient_id = choose_patient (f, "abebe");
  RxPrescriptionItemRow *row;
  RxSig *sig;
  const RxSig *used;
  GtkWindow *dialog;

  add_drug (f, "amoxicillin 500", "amoxicillin-500mg-capsule");
  row = RX_PRESCRIPTION_ITEM_ROW (rx_prescription_window_get_item_row (f->window, 0));
  g_assert_cmpuint (rx_prescription_item_row_get_n_favourites (row), ==, 0);
  sig = rx_sig_copy (rx_prescription_item_row_get_sig (row));
  sig->frequency = RX_SIG_THREE_TIMES_DAILY;
  sig->duration_days = 5;
  sig->instructions = g_strdup ("Finish the course");
  rx_prescription_item_row_set_sig (row, sig);
  g_clear_pointer (&sig, rx_sig_free);
  g_assert_cmpint (rx_prescription_item_row_get_sig (row)->quantity, ==, 15);

  g_signal_emit_by_name (row, "save-favourite");
  dialog = question (f);
  g_assert_nonnull (dialog);
  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "name-entry"),
                         "Adult chest infection");
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
  if (dialog != NULL)
    gtk_window_close (dialog);
  rx_ui_wait_for ("the favourite", rx_ui_window_idle, f->window);
  rx_ui_wait_for ("the favourites listed", has_favourites, row);
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM sig_favourites WHERE label = "
                             "'Adult chest infection' AND frequency = 'TDS'"), ==, 1);

  /* Next time: the medicine again, and the favourite fills in its directions. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.clear-draft", NULL);
  rx_ui_wait_for ("the empty prescription", rx_ui_window_idle, f->window);
  add_drug (f, "amoxicillin 500", "amoxicillin-500mg-capsule");
  row = RX_PRESCRIPTION_ITEM_ROW (rx_prescription_window_get_item_row (f->window, 0));
  rx_ui_wait_for ("the favourites listed", has_favourites, row);
  g_assert_true (rx_prescription_item_row_use_favourite (row, 0));
  used = rx_prescription_item_row_get_sig (row);
  g_assert_cmpint (used->frequency, ==, RX_SIG_THREE_TIMES_DAILY);
  g_assert_cmpuint (used->duration_days, ==, 5);
  g_assert_cmpint (used->quantity, ==, 15);
  g_assert_cmpstr (used->instructions, ==, "Finish the course");
  screenshot (f, "prescriptions-favourite");
}

static gpointer
enrol_in_worker (RxDb          *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  char *uri = NULL;

  if (!rx_totp_enrol (db, data, PASSWORD, &uri, error))
    return NULL;
  return uri;
}

static void
enrolled_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(char **) user_data = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  g_assert_no_error (error);
}

/* The code an authenticator app would show now for the otpauth @uri. */
static char *
code_for (const char *uri)
{
  g_autoptr(GError) error = NULL;
  const char *start = strstr (uri, "secret=") + strlen ("secret=");
  g_autofree char *base32 = g_strndup (start, strcspn (start, "&"));
  g_autofree guint8 *secret = NULL;
  gsize len = 0;

  secret = rx_totp_base32_decode (base32, &len, &error);
  g_assert_no_error (error);
  return rx_totp_code (secret, len, g_get_real_time () / G_USEC_PER_SEC, 0, 0);
}

/* With an authenticator enrolled, a controlled medicine is signed with the password and the
 * code it shows. */
static void
test_controlled_with_second_factor (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *uri = NULL;
  g_autofree char *code = NULL;
  g_autofree char *patient_id = NULL;
  g_autoptr(RxPrescription) rx = NULL;
  GtkWindow *dialog;
  GtkEditable *entry;

  rx_clinic_run_async (f->clinic, enrol_in_worker, g_strdup ("kmensah"), g_free, g_free, NULL,
                       enrolled_cb, &uri);
  rx_ui_wait_for ("the enrolment", rx_ui_is_set, &uri);

  /* The window learns of the authenticator when it opens the patient. */
  patient_id = choose_patient (f, "abebe");
  add_drug (f, "codeine 30", CODEINE);
  dialog = rx_prescription_window_sign (f->window);
  g_assert_nonnull (dialog);
  entry = g_object_get_data (G_OBJECT (dialog), "code-entry");
  g_assert_nonnull (entry);
  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "password-entry"), PASSWORD);
  /* the password alone is not enough to ask */
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "sign"));
  code = code_for (uri);
  gtk_editable_set_text (entry, code);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "sign"));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "sign");
  if (dialog != NULL)
    gtk_window_close (dialog);
  rx_ui_wait_for ("the signature", rx_ui_window_idle, f->window);

  rx = newest (f);
  g_assert_cmpint (rx_prescription_get_status (rx), ==, RX_PRESCRIPTION_SIGNED);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM prescription_signatures "
                                            "WHERE prescription_id = '%s' AND "
                                            "second_factor = 1", rx_prescription_get_id (rx));

    g_assert_cmpint (rx_ui_count (f->clinic, sql), ==, 1);
  }
}

/* Codeine is controlled; a doctor with no authenticator is told to enrol one first. */
static void
test_controlled_needs_second_factor (Fixture       *f,
                                     gconstpointer  data)
{
  g_autofree char *patient_id = choose_patient (f, "abebe");
  GtkWindow *dialog;

  add_drug (f, "codeine 30", CODEINE);
  g_assert_true (action_enabled (f, "win.sign"));
  dialog = rx_prescription_window_sign (f->window);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Enrol a Second Factor First");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "totp-enrol kmensah"));
  gtk_window_destroy (dialog);
  g_assert_cmpuint (rx_prescription_window_get_n_items (f->window), ==, 1);
}

/* The lock hides the patient and what is being written; the unlock brings both back as they
 * were; logging out closes the window. */
static void
test_lock_and_logout (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *patient_id = choose_patient (f, "abebe");
  GtkWidget *work;

  add_drug (f, "amoxicillin 500", "amoxicillin-500mg-capsule");
  g_assert_cmpstr (rx_prescription_window_get_page (f->window), ==, "work");

  rx_clinic_lock (f->clinic);
  rx_ui_wait_for ("the lock", rx_ui_window_idle, f->window);
  g_assert_cmpstr (rx_prescription_window_get_page (f->window), ==, "locked");
  work = gtk_widget_get_parent (rx_prescription_window_get_drug_entry (f->window));
  /* The page with the patient and the prescription on it. */
  while (work != NULL && !ADW_IS_LEAFLET (work))
    work = gtk_widget_get_parent (work);
  g_assert_nonnull (work);
  g_assert_false (gtk_widget_get_visible (work));
  g_assert_false (action_enabled (f, "win.sign"));

  {
    gboolean done = FALSE;

    rx_clinic_unlock_async (f->clinic, PASSWORD, NULL, logged_in_cb_unlock, &done);
    rx_ui_wait_for ("the unlock", rx_ui_is_true, &done);
  }
  rx_ui_wait_for ("the window after the unlock", rx_ui_window_idle, f->window);
  g_assert_cmpstr (rx_prescription_window_get_page (f->window), ==, "work");
  g_assert_cmpuint (rx_prescription_window_get_n_items (f->window), ==, 1);
  g_assert_true (action_enabled (f, "win.sign"));

  rx_clinic_logout (f->clinic);
  rx_ui_wait_for ("the window to close", rx_ui_is_null, &f->window);
}

/* The window needs the right to write prescriptions. */
static void
test_receptionist_cannot_open (Fixture       *f,
                               gconstpointer  data)
{
  g_assert_false (rx_window_kind_allowed (RX_WINDOW_PRESCRIPTIONS, f->clinic));
  g_assert_nonnull (rx_window_kind_get_info (RX_WINDOW_PRESCRIPTIONS)->create);
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
  /* The application loads RxDesk's own styles; without one, the pictures need them too. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/rxdesk/RxDesk/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  make_demo ();
  demo_dir = g_path_get_dirname (demo_path);

  g_test_add ("/ui/prescriptions/write-check-sign-print-cancel", Fixture, NULL,
              fixture_setup, test_write_check_sign, fixture_teardown);
  g_test_add ("/ui/prescriptions/allergy-alert", Fixture, NULL,
              fixture_setup, test_allergy_alert, fixture_teardown);
  g_test_add ("/ui/prescriptions/wrong-password-signs-nothing", Fixture, NULL,
              fixture_setup, test_wrong_password, fixture_teardown);
  g_test_add ("/ui/prescriptions/unsigned-draft-is-withdrawn", Fixture, NULL,
              fixture_setup, test_unsigned_draft_is_withdrawn, fixture_teardown);
  g_test_add ("/ui/prescriptions/typing-instructions", Fixture, NULL,
              fixture_setup, test_typing_instructions, fixture_teardown);
  g_test_add ("/ui/prescriptions/favourite-directions", Fixture, NULL,
              fixture_setup, test_favourite_directions, fixture_teardown);
  g_test_add ("/ui/prescriptions/supersede", Fixture, NULL,
              fixture_setup, test_supersede, fixture_teardown);
  g_test_add ("/ui/prescriptions/controlled-with-second-factor", Fixture, NULL,
              fixture_setup, test_controlled_with_second_factor, fixture_teardown);
  g_test_add ("/ui/prescriptions/controlled-needs-second-factor", Fixture, NULL,
              fixture_setup, test_controlled_needs_second_factor, fixture_teardown);
  g_test_add ("/ui/prescriptions/lock-and-logout", Fixture, NULL,
              fixture_setup, test_lock_and_logout, fixture_teardown);
  g_test_add ("/ui/prescriptions/receptionist-cannot-open", Fixture, "tnguyen",
              fixture_setup, test_receptionist_cannot_open, fixture_teardown);

  status = g_test_run ();
  rx_test_remove_dir (demo_dir);
  rx_test_remove_dir (keyring);
  g_free (demo_path);

  return status;
}
