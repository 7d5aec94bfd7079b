/* test-admin.c: the administration window on a demo clinic, as the admin would use it: the
 * staff and physicians listed, an account disabled after the question; a formulary file
 * previewed (nothing written), then imported, and a file with bad rows refused with its
 * lines; the audit log searched, verified and exported; a backup made; conflicts, feedback
 * and workstations shown; the lock hides it all and logging out closes it. Each tab is
 * saved as a picture in admin-screenshots/. */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "rx-admin-window.h"
#include "rx-clinic.h"
#include "rx-password-change.h"
#include "rx-test-util.h"
#include "rx-ui-test.h"

#define PASSWORD "demo-Staff-pass-9876"

static char *demo_path;   /* made once; each test works on a copy */

typedef struct
{
  char          *dir;
  RxClinic      *clinic;
  RxAdminWindow *window;
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
settle (Fixture *f)
{
  run_for (50);
  rx_ui_wait_for ("the window to settle", rx_ui_window_idle, f->window);
  run_for (100);
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
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) source = g_file_new_for_path (demo_path);
  g_autoptr(GFile) dest = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  f->dir = rx_test_make_dir ();
  path = g_build_filename (f->dir, "clinic.db", NULL);
  dest = g_file_new_for_path (path);
  g_file_copy (source, dest, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  rx_clinic_open_async (path, NULL, opened_cb, &f->clinic);
  rx_ui_wait_for ("the clinic to open", rx_ui_is_set, &f->clinic);
  rx_clinic_login_async (f->clinic, "ayusuf", PASSWORD, NULL, logged_in_cb, &done);
  rx_ui_wait_for ("the login", rx_ui_is_true, &done);

  f->window = rx_admin_window_new (NULL, f->clinic);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  settle (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->clinic);
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  rx_test_remove_dir (f->dir);
  g_free (f->dir);
}

/* What the database holds, asked on the clinic's worker like every query. */

static gpointer
add_feedback_in_worker (RxDb          *db,
                        gpointer       data,
                        GCancellable  *cancellable,
                        GError       **error)
{
  return rx_feedback_add (db, 4, "visit", NULL, "Kind staff, but a long wait", "patient", NULL,
                          error);
}

static void
ran_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = rx_clinic_run_finish (RX_CLINIC (object), result, &error);

  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Runs @func on the clinic's worker; its result is a string to free. */
static void
run_sql_free (Fixture      *f,
              RxClinicFunc  func)
{
  gboolean done = FALSE;

  rx_clinic_run_async (f->clinic, func, NULL, NULL, g_free, NULL, ran_cb, &done);
  rx_ui_wait_for ("a write", rx_ui_is_true, &done);
}

/* Saves the window as it looks now to admin-screenshots/NAME.png beside this program. */
static void
screenshot (Fixture    *f,
            const char *name)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "admin-screenshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  run_for (300);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  g_assert_nonnull (renderer);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

static guint
n_rows (Fixture    *f,
        const char *list)
{
  GtkWidget *box = rx_admin_window_get_list (f->window, list);
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (box); c; c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

/* The first button under @root whose label is @label. */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first row under @root titled @title. */
static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_row (c, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
row_titled (Fixture    *f,
            const char *list,
            const char *title)
{
  GtkWidget *box = rx_admin_window_get_list (f->window, list);

  for (GtkWidget *c = gtk_widget_get_first_child (box); c; c = gtk_widget_get_next_sibling (c))
    if (ADW_IS_PREFERENCES_ROW (c) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c)), title) == 0)
      return c;
  return NULL;
}

static AdwMessageDialog *
the_question (void)
{
  GListModel *windows = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (windows); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (windows, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

#define HEADER "id,inn,atc,form,strength,route,pack_sizes,pack_unit,pack_prices_minor," \
               "rx_only,controlled,eml\n"

/* Tests ----------------------------------------------------------------------------------- */

static void
test_people (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *row;
  GtkWidget *disable;
  AdwMessageDialog *question;

  /* the demo's eight staff and its three doctors */
  g_assert_cmpuint (n_rows (f, "people"), ==, 8);
  g_assert_cmpuint (n_rows (f, "physicians"), ==, 3);
  screenshot (f, "people");

  /* Disable asks first; Cancel changes nothing, Disable disables (never deletes) */
  row = row_titled (f, "people", "James Smith");
  g_assert_nonnull (row);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  screenshot (f, "people-expanded");
  disable = find_button (row, "_Disable…");
  g_assert_nonnull (disable);
  g_signal_emit_by_name (disable, "clicked");
  question = the_question ();
  g_assert_nonnull (question);
  adw_message_dialog_response (question, "cancel");
  settle (f);
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM users WHERE state = 'disabled'"), ==, 0);

  g_signal_emit_by_name (disable, "clicked");
  question = the_question ();
  adw_message_dialog_response (question, "ok");
  settle (f);
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM users WHERE username = 'jsmith' "
                          "AND state = 'disabled' AND deleted = 0"), ==, 1);
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM audit_events WHERE action = 'disable'"),
                   ==, 1);
  g_assert_nonnull (strstr (rx_admin_window_get_last_message (f->window), "disabled"));
  /* the admin cannot disable themself from here */
  row = row_titled (f, "people", "Amina Yusuf");
  g_assert_null (find_button (row, "_Disable…"));
}

static void
logged_in_as_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rx_clinic_login_finish (RX_CLINIC (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* A reset password is the user's to replace: they are asked for their own at their next
 * login, and Save takes only the same password twice. */
static void
test_reset_password (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *row = row_titled (f, "people", "Thu Nguyen");
  AdwMessageDialog *question;
  GtkWindow *parent;
  GtkWindow *ask;
  gboolean done = FALSE;

  g_signal_emit_by_name (find_button (row, "_Reset Password…"), "clicked");
  question = the_question ();
  g_assert_nonnull (question);
  gtk_editable_set_text (GTK_EDITABLE (find_row (GTK_WIDGET (question), "New Password")),
                         "a temporary phrase 7");
  adw_message_dialog_response (question, "ok");
  settle (f);
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM users WHERE username = 'tnguyen' "
                          "AND must_change_password = 1"), ==, 1);

  /* their next login: the question, and a new password of their own */
  rx_clinic_logout (f->clinic);
  run_for (100);
  g_assert_null (f->window);
  rx_clinic_login_async (f->clinic, "tnguyen", "a temporary phrase 7", NULL, logged_in_as_cb,
                         &done);
  rx_ui_wait_for ("the login", rx_ui_is_true, &done);
  g_assert_true (rx_user_get_must_change_password (rx_clinic_get_user (f->clinic)));

  parent = GTK_WINDOW (gtk_window_new ());
  gtk_window_present (parent);
  ask = rx_password_change_ask (parent, f->clinic);
  gtk_editable_set_text (GTK_EDITABLE (find_row (GTK_WIDGET (ask), "New Password")),
                         "thu's own long phrase");
  gtk_editable_set_text (GTK_EDITABLE (find_row (GTK_WIDGET (ask), "New Password Again")),
                         "thu's own long phrase");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (ask), "save"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (ask), "save");
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM users WHERE username = 'tnguyen' "
                          "AND must_change_password = 0"), ==, 1);
  gtk_window_destroy (parent);
}

static void
test_formulary_import (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *good = write_file (f, "good.csv", HEADER
    "ui-1,uimedicine,N02BE01,tablet,500 mg,oral,16|32,tablet,120|200,0,0,1\n"
    "ui-2,uimedicine,N02BE01,tablet,250 mg,oral,16,tablet,90,0,0,1\n");
  g_autofree char *bad = write_file (f, "bad.csv", HEADER
    "ui-3,uimedicine,N02BE01,tablet,100 mg,oral,16,tablet,50,0,0,1\n"
    "ui-4,uimedicine,N2BE01,tablet,,oral,16,tablet,ten,0,0,1\n");
  g_autoptr(GFile) good_file = g_file_new_for_path (good);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad);

  GtkWidget *product;
  GtkWidget *level;

  rx_admin_window_show_page (f->window, "formulary");
  settle (f);
  screenshot (f, "formulary");

  /* a product found by name: its reorder level changed from its row */
  rx_admin_window_search_products (f->window, "paracetamol");
  settle (f);
  g_assert_cmpuint (n_rows (f, "products"), >=, 1);
  product = gtk_widget_get_first_child (rx_admin_window_get_list (f->window, "products"));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (product), TRUE);
  screenshot (f, "formulary-prices");
  level = find_row (product, "Reorder level (units)");
  g_assert_nonnull (level);
  gtk_editable_set_text (GTK_EDITABLE (level), "25");
  g_signal_emit_by_name (level, "apply");
  settle (f);
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM products WHERE reorder_level = 25"), ==, 1);
  g_assert_nonnull (strstr (rx_admin_window_get_last_message (f->window), "reordered at 25"));

  /* a file with a bad row: listed with its line, Import refused, nothing written */
  rx_admin_window_preview_import (f->window, bad_file);
  settle (f);
  g_assert_nonnull (row_titled (f, "preview", "Line 3 · ui-4"));
  g_assert_false (rx_admin_window_confirm_import (f->window));
  screenshot (f, "formulary-rejected");
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM products WHERE code LIKE 'ui-%'"), ==, 0);

  /* a good file: the preview writes nothing, Import writes it all */
  rx_admin_window_preview_import (f->window, good_file);
  settle (f);
  screenshot (f, "formulary-preview");
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM products WHERE code LIKE 'ui-%'"), ==, 0);
  g_assert_true (rx_admin_window_confirm_import (f->window));
  settle (f);
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM products WHERE code LIKE 'ui-%'"), ==, 2);
  g_assert_nonnull (strstr (rx_admin_window_get_last_message (f->window), "2 added"));
}

static void
test_audit (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (f->dir, "audit.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autofree char *contents = NULL;
  GListModel *model = rx_admin_window_get_audit_model (f->window);
  guint all;

  rx_admin_window_show_page (f->window, "audit");
  settle (f);
  all = g_list_model_get_n_items (model);
  g_assert_cmpuint (all, >, 10);
  screenshot (f, "audit");

  rx_admin_window_verify_audit (f->window);
  settle (f);
  g_assert_nonnull (strstr (rx_admin_window_get_last_message (f->window), "check out"));
  screenshot (f, "audit-verified");
  adw_message_dialog_response (the_question (), "close");

  /* searching narrows the list, and Export writes what is shown */
  gtk_editable_set_text (GTK_EDITABLE (rx_admin_window_get_audit_search (f->window)), "login");
  run_for (400);
  g_assert_cmpuint (g_list_model_get_n_items (model), <, all);
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 1);

  rx_admin_window_export_audit_to (f->window, file);
  settle (f);
  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "at,actor,workstation,action"));
  g_assert_nonnull (strstr (contents, "\"login\""));
}

static void
test_backup_and_others (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "backup.db", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  rx_admin_window_show_page (f->window, "backup");
  settle (f);
  screenshot (f, "backup");
  rx_admin_window_back_up_to (f->window, file);
  settle (f);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (strstr (rx_admin_window_get_last_message (f->window), "Backed up"));

  rx_admin_window_show_page (f->window, "conflicts");
  settle (f);
  screenshot (f, "conflicts");
  /* feedback left by a patient: acknowledged from its row */
  run_sql_free (f, add_feedback_in_worker);
  rx_admin_window_show_page (f->window, "feedback");
  settle (f);
  g_assert_cmpuint (n_rows (f, "feedback"), ==, 1);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gtk_widget_get_first_child (
    rx_admin_window_get_list (f->window, "feedback"))), TRUE);
  screenshot (f, "feedback");
  g_signal_emit_by_name (find_button (rx_admin_window_get_list (f->window, "feedback"),
                                      "_Acknowledge"), "clicked");
  settle (f);
  g_assert_cmpint (rx_ui_count (f->clinic, "SELECT count(*) FROM feedback WHERE state = 'acknowledged'"),
                   ==, 1);
  rx_admin_window_show_page (f->window, "workstations");
  settle (f);
  screenshot (f, "workstations");
  /* the demo clinic is not enrolled: the tab says so */
  g_assert_false (gtk_widget_get_mapped (rx_admin_window_get_list (f->window, "workstations")));
}

static void
test_lock_then_logout (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *people = rx_admin_window_get_list (f->window, "people");

  /* locked: the staff leave the screen (and the accessibility tree) at once */
  g_assert_true (gtk_widget_get_mapped (people));
  rx_clinic_lock (f->clinic);
  run_for (100);
  g_assert_cmpstr (rx_admin_window_get_page (f->window), ==, "locked");
  g_assert_false (gtk_widget_get_mapped (people));
  screenshot (f, "locked");

  rx_clinic_logout (f->clinic);
  run_for (100);
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

  g_test_add ("/ui/admin/people", Fixture, NULL, fixture_setup, test_people,
              fixture_teardown);
  g_test_add ("/ui/admin/reset-password", Fixture, NULL, fixture_setup, test_reset_password,
              fixture_teardown);
  g_test_add ("/ui/admin/formulary-import", Fixture, NULL, fixture_setup,
              test_formulary_import, fixture_teardown);
  g_test_add ("/ui/admin/audit", Fixture, NULL, fixture_setup, test_audit, fixture_teardown);
  g_test_add ("/ui/admin/backup-and-others", Fixture, NULL, fixture_setup,
              test_backup_and_others, fixture_teardown);
  g_test_add ("/ui/admin/lock-then-logout", Fixture, NULL, fixture_setup,
              test_lock_then_logout, fixture_teardown);

  status = g_test_run ();
  rx_test_remove_dir (demo_dir);
  rx_test_remove_dir (keyring);

  return status;
}
