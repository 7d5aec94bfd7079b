/* test-preferences.c: the preferences window keeps the settings (a wrong emergency number or
 * currency is refused and the old one kept), and the enrol window asks for everything it
 * needs before it lets anyone enrol. Enrolling itself, through the real server, is driven in
 * test_enrol.py. */
#include "config.h"

#include <adwaita.h>

#include "rx-application.h"
#include "rx-enrol-window.h"
#include "rx-preferences-window.h"
#include "rx-test-util.h"

/* The first widget under @root of @type whose title (for rows) or nothing else matches. */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *title)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (title == NULL ||
       (ADW_IS_PREFERENCES_ROW (root) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_preferences_keep_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (RX_SETTINGS_SCHEMA_ID);
  GtkWidget *parent = gtk_window_new ();
  GtkWidget *window;
  GtkWidget *spin;
  GtkWidget *emergency;
  GtkWidget *currency;
  g_autofree char *number = NULL;
  g_autofree char *code = NULL;

  g_settings_set_uint (settings, "idle-lock-minutes", 10);
  g_settings_set_string (settings, "emergency-number", "112");
  g_settings_set_string (settings, "currency", "USD");

  window = GTK_WIDGET (rx_preferences_window_new (GTK_WINDOW (parent), settings, NULL));
  spin = find_widget (window, GTK_TYPE_SPIN_BUTTON, NULL);
  g_assert_nonnull (spin);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 10);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 25);
  g_assert_cmpuint (g_settings_get_uint (settings, "idle-lock-minutes"), ==, 25);

  emergency = find_widget (window, ADW_TYPE_ENTRY_ROW, "Emergency telephone number");
  g_assert_nonnull (emergency);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (emergency)), ==, "112");
  gtk_editable_set_text (GTK_EDITABLE (emergency), "call nine");
  g_signal_emit_by_name (emergency, "apply");
  number = g_settings_get_string (settings, "emergency-number");
  g_assert_cmpstr (number, ==, "112");
  g_assert_true (gtk_widget_has_css_class (emergency, "error"));
  gtk_editable_set_text (GTK_EDITABLE (emergency), "+254 999");
  g_signal_emit_by_name (emergency, "apply");
  g_clear_pointer (&number, g_free);
  number = g_settings_get_string (settings, "emergency-number");
  g_assert_cmpstr (number, ==, "+254 999");
  g_assert_false (gtk_widget_has_css_class (emergency, "error"));

  currency = find_widget (window, ADW_TYPE_ENTRY_ROW, "Currency (ISO 4217 code, such as EUR)");
  g_assert_nonnull (currency);
  gtk_editable_set_text (GTK_EDITABLE (currency), "euro");
  g_signal_emit_by_name (currency, "apply");
  code = g_settings_get_string (settings, "currency");
  g_assert_cmpstr (code, ==, "USD");
  gtk_editable_set_text (GTK_EDITABLE (currency), "kes");
  g_signal_emit_by_name (currency, "apply");
  g_clear_pointer (&code, g_free);
  code = g_settings_get_string (settings, "currency");
  g_assert_cmpstr (code, ==, "KES");

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (parent));
}

static void
set_row (GtkWidget  *window,
         const char *title,
         const char *text)
{
  GtkWidget *row = find_widget (window, ADW_TYPE_ENTRY_ROW, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
test_enrol_asks_for_everything (void)
{
  GtkWidget *parent = gtk_window_new ();
  GtkWidget *window = GTK_WIDGET (rx_enrol_window_new (GTK_WINDOW (parent), NULL));
  GtkWidget *enrol = find_button (window, "_Enrol");

  g_assert_nonnull (enrol);
  g_assert_false (gtk_widget_get_sensitive (enrol));

  set_row (window, "Server address", "http://sync.example.org:8443");
  set_row (window, "Certificate fingerprint", "AB:CD");
  set_row (window, "Enrolment code", "ABCD-EFGH");
  set_row (window, "Username", "kmensah");
  set_row (window, "Password", "secret");
  /* Plain HTTP and a short fingerprint are both refused. */
  g_assert_false (gtk_widget_get_sensitive (enrol));
  set_row (window, "Server address", "https://sync.example.org:8443");
  g_assert_false (gtk_widget_get_sensitive (enrol));
  set_row (window, "Certificate fingerprint",
           "3F:A9:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:"
           "AA:BB:CC:DD");
  g_assert_true (gtk_widget_get_sensitive (enrol));
  set_row (window, "Enrolment code", "  ");
  g_assert_false (gtk_widget_get_sensitive (enrol));

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (parent));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *keyring = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display to open a window on\n");
      return 0;
    }

  keyring = rx_test_use_private_keyring ();
  adw_init ();

  g_test_add_func ("/ui/preferences/keep-settings", test_preferences_keep_settings);
  g_test_add_func ("/ui/enrol/asks-for-everything", test_enrol_asks_for_everything);

  status = g_test_run ();
  rx_test_remove_dir (keyring);

  return status;
}
