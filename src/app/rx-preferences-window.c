/* rx-preferences-window.c: preferences. The settings apply at once (spin buttons) or when
 * confirmed (text rows, checked first: a wrong emergency number is worse than none changed).
 * The sync page shows the open clinic's server, read from the clinic file on its worker. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rx-preferences-window.h"
#include "rx-sync-run.h"

struct _RxPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  RxClinic             *clinic;   /* (nullable) */
  GCancellable         *cancellable;

  GtkSpinButton        *idle_spin;
  GtkSpinButton        *digits_spin;
  AdwEntryRow          *emergency_row;
  AdwEntryRow          *currency_row;
  AdwActionRow         *server_row;
  AdwActionRow         *pin_row;
  AdwActionRow         *state_row;
  GtkWidget            *enrol_button;
  GtkWidget            *sync_button;
};

G_DEFINE_FINAL_TYPE (RxPreferencesWindow, rx_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
toast (RxPreferencesWindow *self,
       const char          *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

static void
mark (AdwEntryRow *row,
      gboolean     wrong)
{
  if (wrong)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* Digits with an optional leading +, spaces between groups; 2 to 20 characters. */
static gboolean
valid_phone_number (const char *text)
{
  guint digits = 0;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (!(*p == '+' && p == text) && *p != ' ')
        return FALSE;
    }

  return digits >= 2 && strlen (text) <= 20;
}

static void
emergency_apply_cb (RxPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->emergency_row))));

  if (!valid_phone_number (text))
    {
      mark (self->emergency_row, TRUE);
      toast (self, _("An emergency number is digits, perhaps with a leading +, such as 112"));
      return;
    }

  mark (self->emergency_row, FALSE);
  g_settings_set_string (self->settings, "emergency-number", text);
  toast (self, _("Emergency number saved"));
}

static void
currency_apply_cb (RxPreferencesWindow *self)
{
  g_autofree char *text = g_ascii_strup (gtk_editable_get_text (GTK_EDITABLE (self->currency_row)), -1);

  g_strstrip (text);
  if (strlen (text) != 3 || !g_ascii_isalpha (text[0]) || !g_ascii_isalpha (text[1]) ||
      !g_ascii_isalpha (text[2]))
    {
      mark (self->currency_row, TRUE);
      toast (self, _("A currency is its three-letter ISO 4217 code, such as EUR or KES"));
      return;
    }

  mark (self->currency_row, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->currency_row), text);
  g_settings_set_string (self->settings, "currency", text);
  toast (self, _("Currency saved"));
}

/* Sync ------------------------------------------------------------------------------------ */

typedef struct
{
  char *server;
  char *pin;
} ServerInfo;

static void
server_info_free (gpointer data)
{
  ServerInfo *info = data;

  g_free (info->server);
  g_free (info->pin);
  g_free (info);
}

static gpointer
read_server_info (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  ServerInfo *info = g_new0 (ServerInfo, 1);

  info->server = rx_db_get_meta (db, "sync_server");
  info->pin = rx_db_get_meta (db, "sync_pin");
  return info;
}

static void update_sync (RxPreferencesWindow *self);

static void
server_info_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RxPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  ServerInfo *info = rx_clinic_run_finish (RX_CLINIC (object), result, &error);

  if (info == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_action_row_set_subtitle (self->server_row, error->message);
      return;
    }

  adw_action_row_set_subtitle (self->server_row,
                               info->server != NULL ? info->server
                                                    : _("None: this clinic works on its own"));
  adw_action_row_set_subtitle (self->pin_row, info->pin != NULL ? info->pin : "—");
  server_info_free (info);
}

static void
update_sync (RxPreferencesWindow *self)
{
  RxSyncEngine *engine = self->clinic != NULL ? rx_clinic_get_sync (self->clinic) : NULL;
  gboolean enrolled = engine != NULL && rx_sync_engine_get_enrolled (engine);
  g_autofree char *state = NULL;

  gtk_widget_set_visible (self->enrol_button, !enrolled);
  gtk_widget_set_visible (self->sync_button, enrolled);

  if (self->clinic == NULL)
    state = g_strdup (_("No clinic is open"));
  else if (!enrolled)
    state = g_strdup (_("Not enrolled"));
  else
    {
      const char *error = rx_sync_engine_get_last_error (engine);
      gint64 pending = rx_sync_engine_get_pending (engine);

      state = g_strdup_printf (g_dngettext (NULL, "%s; %" G_GINT64_FORMAT " change waiting",
                                            "%s; %" G_GINT64_FORMAT " changes waiting", pending),
                               rx_sync_engine_get_online (engine) ? _("Online") : _("Offline"),
                               pending);
      if (error != NULL)
        {
          char *with_error = g_strdup_printf ("%s\n%s", state, error);

          g_free (state);
          state = with_error;
        }
    }
  adw_action_row_set_subtitle (self->state_row, state);

  if (self->clinic != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      rx_clinic_run_async (self->clinic, read_server_info, NULL, NULL, server_info_free,
                           self->cancellable, server_info_cb, self);
    }
  else
    {
      adw_action_row_set_subtitle (self->server_row, "—");
      adw_action_row_set_subtitle (self->pin_row, "—");
    }
}

static void
sync_now_cb (RxPreferencesWindow *self)
{
  if (self->clinic != NULL)
    {
      rx_sync_engine_kick (rx_clinic_get_sync (self->clinic));
      toast (self, _("Syncing now"));
    }
}

/* GObject --------------------------------------------------------------------------------- */

static void
rx_preferences_window_dispose (GObject *object)
{
  RxPreferencesWindow *self = (RxPreferencesWindow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->clinic);

  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (rx_preferences_window_parent_class)->dispose (object);
}

static void
rx_preferences_window_class_init (RxPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RxPreferencesWindow, idle_spin);
  gtk_widget_class_bind_template_child (widget_class, RxPreferencesWindow, digits_spin);
  gtk_widget_class_bind_template_child (widget_class, RxPreferencesWindow, emergency_row);
  gtk_widget_class_bind_template_child (widget_class, RxPreferencesWindow, currency_row);
  gtk_widget_class_bind_template_child (widget_class, RxPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, RxPreferencesWindow, pin_row);
  gtk_widget_class_bind_template_child (widget_class, RxPreferencesWindow, state_row);
  gtk_widget_class_bind_template_child (widget_class, RxPreferencesWindow, enrol_button);
  gtk_widget_class_bind_template_child (widget_class, RxPreferencesWindow, sync_button);
  gtk_widget_class_bind_template_callback (widget_class, emergency_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, currency_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, sync_now_cb);
}

static void
rx_preferences_window_init (RxPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

RxPreferencesWindow *
rx_preferences_window_new (GtkWindow *parent,
                           GSettings *settings,
                           RxClinic  *clinic)
{
  RxPreferencesWindow *self;
  g_autofree char *emergency = NULL;
  g_autofree char *currency = NULL;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (!clinic || RX_IS_CLINIC (clinic), NULL);

  self = g_object_new (RX_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->settings = g_object_ref (settings);
  self->clinic = clinic != NULL ? g_object_ref (clinic) : NULL;

  g_settings_bind (settings, "idle-lock-minutes",
                   gtk_spin_button_get_adjustment (self->idle_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "currency-minor-digits",
                   gtk_spin_button_get_adjustment (self->digits_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  emergency = g_settings_get_string (settings, "emergency-number");
  currency = g_settings_get_string (settings, "currency");
  gtk_editable_set_text (GTK_EDITABLE (self->emergency_row), emergency);
  gtk_editable_set_text (GTK_EDITABLE (self->currency_row), currency);

  if (clinic != NULL)
    {
      RxSyncEngine *engine = rx_clinic_get_sync (clinic);
      const char *props[] = { "notify::enrolled", "notify::online", "notify::pending",
                              "notify::last-error" };

      for (guint i = 0; i < G_N_ELEMENTS (props); i++)
        g_signal_connect_object (engine, props[i], G_CALLBACK (update_sync), self,
                                 G_CONNECT_SWAPPED);
    }
  update_sync (self);

  return self;
}
