/* rx-application.c: the RxDesk desktop application. It reads the command line, owns the app
 * actions and decides which clinic the window shows; opening runs off the main loop. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "rx-application-private.h"
#include "rx-clinic.h"
#include "rx-demo.h"
#include "rx-enrol-window.h"
#include "rx-preferences-window.h"
#include "rx-password.h"
#include "rx-paths.h"
#include "rx-home-window.h"

G_DEFINE_FINAL_TYPE (RxApplication, rx_application, ADW_TYPE_APPLICATION)


static const GOptionEntry option_entries[] = {
  { "clinic", 'c', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the clinic database FILE"), N_("FILE") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Open the demo clinic, making it first if needed"), NULL },
  { "kiosk", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the assistant alone, for a terminal patients use (with --clinic or --demo)"), NULL },
  { "login", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Log in as USER once the clinic is open (for tests and screenshots)"), N_("USER") },
  { "password-stdin", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Read the password for --login from standard input"), NULL },
  /* Tests only: a demo with a password they know. */
  { "demo-password-stdin", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL,
    N_("Read the demo staff's password from standard input"), NULL },
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Save a picture of the window as DIR/home.png once it has loaded (after logging in, "
       "with --login), and of each window the user may open (DIR/reception.png...), then quit"),
    N_("DIR") },
  { NULL }
};

RxApplication *
rx_application_new (void)
{
  return g_object_new (RX_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       /* Development builds have another id but the same resources. */
                       "resource-base-path", "/org/rxdesk/RxDesk",
                       NULL);
}

GSettings *
rx_application_get_settings (RxApplication *self)
{
  g_return_val_if_fail (RX_IS_APPLICATION (self), NULL);
  return self->settings;
}

/* The home window, made if there is none. Other windows (reception...) may be the active
 * one, so it is looked for among them all, most recently used first. */
RxHomeWindow *
_rx_application_ensure_window (RxApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  for (GList *l = windows; l != NULL; l = l->next)
    if (RX_IS_HOME_WINDOW (l->data))
      return RX_HOME_WINDOW (l->data);

  return rx_home_window_new (GTK_APPLICATION (self));
}

/* Opening a clinic ---------------------------------------------------------------------- */

static void
wipe_string (char **secret)
{
  if (*secret != NULL)
    explicit_bzero (*secret, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
show_open_error (RxHomeWindow *window,
                 const GError *error)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (window),
                                                       _("Cannot Open the Clinic"),
                                                       error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The CLI keeps its own note of the last clinic; writing it too keeps both on one clinic. */
static gpointer
remember_in_worker (RxDb          *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return rx_paths_set_last_clinic (data, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
remembered_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (rx_clinic_run_finish (RX_CLINIC (object), result, &error) == NULL)
    g_warning ("Cannot note the last clinic for rxdesk-cli: %s", error->message);
}

/* While a session is locked nobody may swap the clinic under it (which would end that
 * person's session without their password), and while a clinic opens or the demo is being
 * made, a second click must not start another on top of it. */
static void
update_open_actions (RxApplication *self)
{
  RxHomeWindow *window = _rx_application_ensure_window (self);
  RxClinic *clinic = rx_home_window_get_clinic (window);
  gboolean enabled = self->open_cancellable == NULL &&
                     (clinic == NULL || !rx_clinic_get_locked (clinic));
  static const char * const actions[] = { "open-clinic", "open-demo", "enrol" };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), actions[i]);

      if (G_IS_SIMPLE_ACTION (action))
        g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
    }
}

static void
clinic_locked_cb (RxClinic      *clinic,
                  GParamSpec    *pspec,
                  RxApplication *self)
{
  update_open_actions (self);
}

static void
clinic_opened_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RxApplication) self = user_data;
  g_autoptr(RxClinic) clinic = NULL;
  g_autoptr(GError) error = NULL;
  RxHomeWindow *window;

  if (g_task_get_source_tag (G_TASK (result)) == rx_clinic_create_demo_async)
    clinic = rx_clinic_create_demo_finish (result, &error);
  else
    clinic = rx_clinic_open_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->open_cancellable);
  window = _rx_application_ensure_window (self);
  update_open_actions (self);

  if (clinic == NULL)
    {
      g_message ("Cannot open a clinic: %s", error->message);
      rx_home_window_end_busy (window);
      show_open_error (window, error);
      return;
    }

  rx_clinic_set_idle_seconds (clinic,
                              60 * g_settings_get_uint (self->settings, "idle-lock-minutes"));
  g_clear_object (&self->alert_monitor);
  self->alert_monitor = rx_alert_monitor_new (G_APPLICATION (self), clinic);
  g_signal_connect_object (clinic, "notify::locked", G_CALLBACK (clinic_locked_cb), self, 0);
  rx_home_window_set_clinic (window, clinic);
  if (self->login_username != NULL)
    rx_home_window_login (window, self->login_username,
                          self->login_password ? self->login_password : "");
  g_clear_pointer (&self->login_username, g_free);
  wipe_string (&self->login_password);
  g_settings_set_string (self->settings, "last-clinic", rx_clinic_get_path (clinic));
  rx_clinic_run_async (clinic, remember_in_worker, g_strdup (rx_clinic_get_path (clinic)),
                       g_free, NULL, NULL, remembered_cb, NULL);
}

static gboolean
begin_open (RxApplication *self,
            const char    *busy_title)
{
  RxHomeWindow *window = _rx_application_ensure_window (self);
  RxClinic *current = rx_home_window_get_clinic (window);

  /* The person who locked comes back to their own session, not to another clinic. */
  if (current != NULL && rx_clinic_get_locked (current))
    {
      g_message ("Not opening another clinic while this one is locked");
      gtk_window_present (GTK_WINDOW (window));
      return FALSE;
    }

  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  self->open_cancellable = g_cancellable_new ();
  update_open_actions (self);

  rx_home_window_begin_busy (window, busy_title);
  return TRUE;
}

void
rx_application_open_clinic (RxApplication *self,
                            const char    *path)
{
  g_return_if_fail (RX_IS_APPLICATION (self));
  g_return_if_fail (path != NULL);

  if (!begin_open (self, _("Opening the clinic…")))
    return;
  rx_clinic_open_async (path, self->open_cancellable, clinic_opened_cb, g_object_ref (self));
}

/* Opens a clinic and logs this person in as soon as it is open (after enrolling). */
void
rx_application_open_clinic_login (RxApplication *self,
                                  const char    *path,
                                  const char    *username,
                                  const char    *password)
{
  g_return_if_fail (RX_IS_APPLICATION (self));
  g_return_if_fail (path != NULL && username != NULL && password != NULL);

  g_free (self->login_username);
  self->login_username = g_strdup (username);
  wipe_string (&self->login_password);
  self->login_password = g_strdup (password);
  rx_application_open_clinic (self, path);
}

/* Enrols with a sync server: the open clinic when there is one and it is not enrolled yet,
 * else a new workstation. */
void
rx_application_enrol (RxApplication *self)
{
  RxHomeWindow *window;
  RxClinic *clinic;

  g_return_if_fail (RX_IS_APPLICATION (self));

  window = _rx_application_ensure_window (self);
  clinic = rx_home_window_get_clinic (window);
  if (clinic != NULL && rx_sync_engine_get_enrolled (rx_clinic_get_sync (clinic)))
    {
      rx_home_window_toast (window, _("This clinic is enrolled with a server already"));
      return;
    }
  /* Bringing a clinic's records to a server is an administrator's decision. */
  if (clinic != NULL && (rx_clinic_get_user (clinic) == NULL ||
                         !rx_role_can (rx_user_get_role (rx_clinic_get_user (clinic)),
                                       RX_ACTION_USER_ADMIN)))
    {
      rx_home_window_toast (window, _("Log in as an administrator to enrol this clinic"));
      return;
    }

  gtk_window_present (GTK_WINDOW (rx_enrol_window_new (GTK_WINDOW (window), clinic)));
}

void
rx_application_open_demo (RxApplication *self)
{
  g_autofree char *path = rx_demo_default_path ();

  g_return_if_fail (RX_IS_APPLICATION (self));

  if (!begin_open (self, g_file_test (path, G_FILE_TEST_EXISTS)
                          ? _("Opening the demo clinic…")
                          : _("Preparing the demo clinic…")))
    {
      wipe_string (&self->demo_password);
      return;
    }

  /* The staff of a new demo share a fresh password; the login page shows it once. */
  if (self->demo_password == NULL)
    self->demo_password = rx_password_generate ();
  rx_clinic_create_demo_async (path, self->demo_password, self->open_cancellable,
                               clinic_opened_cb, g_object_ref (self));
  wipe_string (&self->demo_password);
}

/* The kiosk ----------------------------------------------------------------------------- */

static void
kiosk_opened_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RxApplication) self = user_data;
  g_autoptr(RxClinic) clinic = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_get_source_tag (G_TASK (result)) == rx_clinic_create_demo_async)
    clinic = rx_clinic_create_demo_finish (result, &error);
  else
    clinic = rx_clinic_open_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->kiosk_window == NULL)
    return;
  g_clear_object (&self->open_cancellable);

  if (clinic == NULL)
    {
      g_message ("Cannot open a clinic for the kiosk: %s", error->message);
      rx_kiosk_window_show_error (self->kiosk_window, error);
      return;
    }
  rx_kiosk_window_set_clinic (self->kiosk_window, clinic);
}

/* --kiosk: the assistant alone, on @path or (NULL) the demo clinic. Nobody logs in, and the
 * app's actions that would open another clinic are gone. */
static void
open_kiosk (RxApplication *self,
            const char    *path)
{
  static const char * const actions[] = { "open-clinic", "open-demo" };

  if (self->kiosk_window == NULL)
    {
      self->kiosk_window = rx_kiosk_window_new (GTK_APPLICATION (self));
      g_object_add_weak_pointer (G_OBJECT (self->kiosk_window),
                                 (gpointer *) &self->kiosk_window);
      for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
        g_action_map_remove_action (G_ACTION_MAP (self), actions[i]);
    }
  gtk_window_present (GTK_WINDOW (self->kiosk_window));
  if (self->open_cancellable != NULL)
    return;

  self->open_cancellable = g_cancellable_new ();
  if (path != NULL)
    rx_clinic_open_async (path, self->open_cancellable, kiosk_opened_cb, g_object_ref (self));
  else
    {
      g_autofree char *demo = rx_demo_default_path ();

      if (self->demo_password == NULL)
        self->demo_password = rx_password_generate ();
      rx_clinic_create_demo_async (demo, self->demo_password, self->open_cancellable,
                                   kiosk_opened_cb, g_object_ref (self));
      wipe_string (&self->demo_password);
    }
}

/* GApplication -------------------------------------------------------------------------- */

/* One line from the command line's standard input. Only tests and scripts pass secrets this
 * way, before the window shows anything, so a blocking read is acceptable here. */
static char *
read_stdin_line (GApplicationCommandLine *cmdline)
{
  g_autoptr(GInputStream) input = g_application_command_line_get_stdin (cmdline);
  g_autoptr(GDataInputStream) data = NULL;
  g_autoptr(GError) error = NULL;
  char *line;

  if (input == NULL)
    return NULL;

  data = g_data_input_stream_new (input);
  line = g_data_input_stream_read_line_utf8 (data, NULL, NULL, &error);
  if (line == NULL && error != NULL)
    g_application_command_line_printerr (cmdline, "%s\n", error->message);

  return line;
}

static void
idle_minutes_changed_cb (RxApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));
  guint seconds = 60 * g_settings_get_uint (self->settings, "idle-lock-minutes");

  for (GList *l = windows; l != NULL; l = l->next)
    if (RX_IS_HOME_WINDOW (l->data) && rx_home_window_get_clinic (l->data) != NULL)
      rx_clinic_set_idle_seconds (rx_home_window_get_clinic (l->data), seconds);
}

static int
rx_application_command_line (GApplication            *app,
                             GApplicationCommandLine *cmdline)
{
  RxApplication *self = RX_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autofree char *clinic = NULL;
  g_autofree char *screenshot = NULL;
  g_autofree char *login = NULL;
  gboolean demo = FALSE;
  gboolean kiosk = FALSE;
  gboolean demo_password_stdin = FALSE;
  gboolean password_stdin = FALSE;
  RxHomeWindow *window;

  g_variant_dict_lookup (options, "login", "s", &login);
  g_variant_dict_lookup (options, "password-stdin", "b", &password_stdin);
  g_variant_dict_lookup (options, "demo-password-stdin", "b", &demo_password_stdin);
  if (demo_password_stdin)
    {
      wipe_string (&self->demo_password);
      self->demo_password = read_stdin_line (cmdline);
    }
  if (login != NULL)
    {
      g_free (self->login_username);
      self->login_username = g_steal_pointer (&login);
      wipe_string (&self->login_password);
      if (password_stdin)
        self->login_password = read_stdin_line (cmdline);
    }

  g_variant_dict_lookup (options, "clinic", "^ay", &clinic);
  g_variant_dict_lookup (options, "screenshot", "^ay", &screenshot);
  g_variant_dict_lookup (options, "demo", "b", &demo);
  g_variant_dict_lookup (options, "kiosk", "b", &kiosk);

  if (kiosk || self->kiosk_window != NULL)
    {
      g_autofree char *path = NULL;

      if (clinic != NULL)
        {
          g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, clinic);

          path = g_file_get_path (file);
        }
      else if (!demo)
        {
          path = g_settings_get_string (self->settings, "last-clinic");
          if (*path == '\0')
            {
              g_application_command_line_printerr (cmdline, "%s\n",
                                                   _("Which clinic? Start the kiosk with "
                                                     "--clinic FILE or --demo."));
              return EXIT_FAILURE;
            }
        }
      open_kiosk (self, path);
      if (screenshot != NULL)
        {
          g_autoptr(GFile) dir = g_application_command_line_create_file_for_arg (cmdline,
                                                                                screenshot);
          g_autofree char *dir_path = g_file_get_path (dir);

          _rx_application_begin_screenshot (self, dir_path);
          _rx_application_screenshot_when_ready (self);
        }
      return EXIT_SUCCESS;
    }

  window = _rx_application_ensure_window (self);

  if (screenshot != NULL)
    {
      g_autoptr(GFile) dir = g_application_command_line_create_file_for_arg (cmdline, screenshot);
      g_autofree char *path = g_file_get_path (dir);

      _rx_application_begin_screenshot (self, path);
    }

  if (clinic != NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, clinic);
      g_autofree char *path = g_file_get_path (file);

      rx_application_open_clinic (self, path);
    }
  else if (demo)
    rx_application_open_demo (self);
  else if (rx_home_window_get_clinic (window) == NULL && self->open_cancellable == NULL)
    {
      g_autofree char *last = g_settings_get_string (self->settings, "last-clinic");

      /* Nothing opened here yet: perhaps a clinic made with rxdesk-cli. */
      if (*last == '\0')
        {
          g_free (last);
          last = rx_paths_get_last_clinic ();
        }

      if (last != NULL && *last != '\0' && g_file_test (last, G_FILE_TEST_IS_REGULAR))
        rx_application_open_clinic (self, last);
    }

  gtk_window_present (GTK_WINDOW (window));
  _rx_application_screenshot_when_ready (self);

  return EXIT_SUCCESS;
}

static void
rx_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (_rx_application_ensure_window (RX_APPLICATION (app))));
}

/* Actions ------------------------------------------------------------------------------- */

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  RxApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing rather than quitting lets each window save its size and cancel its work. The
   * clinic's windows go first: one holding unsaved work asks, stays, and nothing quits. */
  for (GList *l = windows; l != NULL; l = l->next)
    if (!RX_IS_HOME_WINDOW (l->data))
      gtk_window_close (l->data);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (!RX_IS_HOME_WINDOW (l->data))
      {
        gtk_window_present (l->data);
        return;
      }

  g_clear_pointer (&windows, g_list_free);
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);

  g_application_quit (G_APPLICATION (self));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  RxApplication *self = user_data;
  static const char *developers[] = { "The RxDesk developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "application-name", _("RxDesk"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Prescribing, dispensing and billing for small clinics, "
                                       "online or not"),
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
open_demo_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  rx_application_open_demo (RX_APPLICATION (user_data));
}

static void
enrol_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  rx_application_enrol (RX_APPLICATION (user_data));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  RxApplication *self = user_data;
  RxHomeWindow *window = _rx_application_ensure_window (self);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (rx_preferences_window_new (parent ? parent
                                                                    : GTK_WINDOW (window),
                                                             self->settings,
                                                             rx_home_window_get_clinic (window))));
}

static void
file_chosen_cb (GtkNativeDialog *dialog,
                int              response,
                gpointer         user_data)
{
  RxApplication *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        rx_application_open_clinic (self, path);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
open_clinic_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  RxApplication *self = user_data;
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) clinics = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Open a Clinic File"),
                                         GTK_WINDOW (_rx_application_ensure_window (self)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  gtk_file_filter_set_name (clinics, _("Clinic databases"));
  gtk_file_filter_add_pattern (clinics, "*.db");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), clinics);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);

  g_signal_connect (chooser, "response", G_CALLBACK (file_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* The "Acknowledge" button of an emergency's notification. */
static void
acknowledge_alert_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  RxApplication *self = user_data;
  const char *alert_id = g_variant_get_string (parameter, NULL);

  if (self->alert_monitor == NULL || !rx_alert_monitor_get_active (self->alert_monitor))
    return;
  /* Behind a lock, the person must show who they are first. */
  if (rx_clinic_get_locked (rx_alert_monitor_get_clinic (self->alert_monitor)))
    {
      gtk_window_present (GTK_WINDOW (_rx_application_ensure_window (self)));
      return;
    }
  rx_alert_monitor_acknowledge (self->alert_monitor, alert_id);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "open-demo", open_demo_activated },
  { "open-clinic", open_clinic_activated },
  { "enrol", enrol_activated },
  { "preferences", preferences_activated },
  { "acknowledge-alert", acknowledge_alert_activated, "s" },
};

static void
rx_application_startup (GApplication *app)
{
  RxApplication *self = RX_APPLICATION (app);
  static const struct
  {
    const char *action;
    const char *accels[2];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.open-clinic", { "<Control>o", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.search-patients", { "<Control>f", NULL } },
    { "win.search-drugs", { "<Control>d", NULL } },
    { "win.lock", { "<Control>l", NULL } },
    { "win.new-patient", { "<Control>n", NULL } },
    { "win.save-patient", { "<Control>s", NULL } },
    { "win.book-appointment", { "<Control>b", NULL } },
    { "win.show-appointments", { "<Alt>a", NULL } },
    { "win.close", { "<Control>w", NULL } },
    { "win.toggle-assistant", { "F9", NULL } },
  };

  G_APPLICATION_CLASS (rx_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
  for (guint kind = 0; kind < RX_WINDOW_N_KINDS; kind++)
    {
      const RxWindowInfo *info = rx_window_kind_get_info (kind);

      if (info->create != NULL)
        gtk_application_set_accels_for_action (GTK_APPLICATION (self), info->action,
                                               info->accels);
    }
}

static void
rx_application_shutdown (GApplication *app)
{
  RxApplication *self = RX_APPLICATION (app);

  g_cancellable_cancel (self->open_cancellable);
  /* Its notifications go with the app that can act on them. */
  g_clear_object (&self->alert_monitor);
  /* Writes to settings are asynchronous; let them land before the process ends. */
  g_settings_sync ();

  G_APPLICATION_CLASS (rx_application_parent_class)->shutdown (app);
}

static void
rx_application_finalize (GObject *object)
{
  RxApplication *self = (RxApplication *) object;

  g_clear_handle_id (&self->screenshot_timeout, g_source_remove);
  if (self->screenshot_window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->screenshot_window),
                                  (gpointer *) &self->screenshot_window);
  g_clear_object (&self->alert_monitor);
  if (self->kiosk_window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->kiosk_window),
                                  (gpointer *) &self->kiosk_window);
  g_clear_object (&self->settings);
  g_clear_object (&self->open_cancellable);
  g_free (self->screenshot_dir);
  g_free (self->login_username);
  wipe_string (&self->login_password);
  wipe_string (&self->demo_password);

  G_OBJECT_CLASS (rx_application_parent_class)->finalize (object);
}

static void
rx_application_class_init (RxApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = rx_application_finalize;
  app_class->command_line = rx_application_command_line;
  app_class->activate = rx_application_activate;
  app_class->startup = rx_application_startup;
  app_class->shutdown = rx_application_shutdown;
}

static void
rx_application_init (RxApplication *self)
{
  self->settings = g_settings_new (RX_SETTINGS_SCHEMA_ID);
  g_signal_connect_object (self->settings, "changed::idle-lock-minutes",
                           G_CALLBACK (idle_minutes_changed_cb), self, G_CONNECT_SWAPPED);

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Prescribing, dispensing and billing for small "
                                              "clinics."));
}
