/* rx-kiosk-window.c: the patients' terminal. It opens the assistant on the clinic file with
 * nobody logged in: the conversation's writes (an emergency alert, a rating) are the
 * "kiosk"'s in the audit trail, and nothing here reads a patient's record. The next person
 * must never see the last one's questions, so "Start Over" and a few idle minutes clear it. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-a11y.h"
#include "rx-application.h"
#include "rx-kiosk-window.h"

#define N_STARS 5

/* How often the idle time is looked at. */
#define IDLE_CHECK_SECONDS 5

struct _RxKioskWindow
{
  AdwApplicationWindow  parent_instance;

  RxClinic             *clinic;
  RxAssistantSession   *session;
  GCancellable         *cancellable;
  GSettings            *settings;
  gboolean              opening;
  gboolean              rating_busy;
  int                   rating;
  gboolean              setting_stars;
  guint                 idle_seconds;
  guint                 idle_source;
  gint64                last_input;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  AdwStatusPage        *error_page;
  RxAssistantPane      *pane;
  GtkBox               *stars_box;
  GtkToggleButton      *stars[N_STARS];
  AdwEntryRow          *comment_row;
};

G_DEFINE_FINAL_TYPE (RxKioskWindow, rx_kiosk_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

RxKioskWindow *
rx_kiosk_window_new (GtkApplication *application)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (RX_TYPE_KIOSK_WINDOW, "application", application, NULL);
}

static void
notify_busy (RxKioskWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* An emergency's alert leaves for the clinicians' workstations at once. */
static void
emergency_cb (RxKioskWindow *self)
{
  if (self->clinic != NULL && rx_assistant_pane_get_emergency (self->pane))
    rx_sync_engine_kick (rx_clinic_get_sync (self->clinic));
}

/* Whether the clinic is still opening or an answer or a rating is on its way. */
gboolean
rx_kiosk_window_get_busy (RxKioskWindow *self)
{
  g_return_val_if_fail (RX_IS_KIOSK_WINDOW (self), FALSE);

  return self->opening || self->rating_busy || rx_assistant_pane_get_busy (self->pane);
}

/* "busy", "error", "chat" or "rate". */
const char *
rx_kiosk_window_get_page (RxKioskWindow *self)
{
  g_return_val_if_fail (RX_IS_KIOSK_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

RxAssistantPane *
rx_kiosk_window_get_pane (RxKioskWindow *self)
{
  g_return_val_if_fail (RX_IS_KIOSK_WINDOW (self), NULL);
  return self->pane;
}

static void
update_actions (RxKioskWindow *self)
{
  gboolean ready = self->session != NULL && !self->opening;
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "kiosk.start-over", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "kiosk.rate",
                                 ready && g_strcmp0 (page, "chat") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "kiosk.back", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "kiosk.send-rating",
                                 ready && self->rating > 0 && !self->rating_busy);
}

static void
set_stars (RxKioskWindow *self,
           int            rating)
{
  self->rating = rating;
  self->setting_stars = TRUE;
  for (int i = 0; i < N_STARS; i++)
    gtk_toggle_button_set_active (self->stars[i], i < rating);
  self->setting_stars = FALSE;
  update_actions (self);
}

/* Back to an empty conversation for the next person. */
static void
start_over (RxKioskWindow *self)
{
  rx_assistant_pane_start_over (self->pane);
  set_stars (self, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->comment_row), "");
  if (self->session != NULL)
    gtk_stack_set_visible_child_name (self->stack, "chat");
  update_actions (self);
  rx_assistant_pane_focus_entry (self->pane);
}

void
rx_kiosk_window_set_clinic (RxKioskWindow *self,
                            RxClinic      *clinic)
{
  g_autoptr(RxAssistantSession) session = NULL;

  g_return_if_fail (RX_IS_KIOSK_WINDOW (self));
  g_return_if_fail (RX_IS_CLINIC (clinic));

  g_set_object (&self->clinic, clinic);
  /* The kiosk syncs like any workstation (when enrolled), so its alerts travel. */
  rx_clinic_get_sync (clinic);
  session = rx_assistant_session_new_kiosk (rx_clinic_get_path (clinic));
  g_set_object (&self->session, session);
  rx_assistant_pane_set_session (self->pane, session);
  adw_window_title_set_subtitle (self->window_title, rx_clinic_get_name (clinic));
  self->opening = FALSE;
  gtk_stack_set_visible_child_name (self->stack, "chat");
  start_over (self);
  notify_busy (self);
}

void
rx_kiosk_window_show_error (RxKioskWindow *self,
                            const GError  *error)
{
  g_autofree char *description = NULL;

  g_return_if_fail (RX_IS_KIOSK_WINDOW (self));

  description = g_strdup_printf (_("%s\nPlease ask the clinic staff for help."), error->message);
  adw_status_page_set_description (self->error_page, description);
  self->opening = FALSE;
  gtk_stack_set_visible_child_name (self->stack, "error");
  update_actions (self);
  notify_busy (self);
}

/* Idle reset ----------------------------------------------------------------------------- */

void
rx_kiosk_window_set_idle_seconds (RxKioskWindow *self,
                                  guint          seconds)
{
  g_return_if_fail (RX_IS_KIOSK_WINDOW (self));
  self->idle_seconds = seconds;
}

static gboolean
input_cb (RxKioskWindow *self)
{
  self->last_input = g_get_monotonic_time ();
  return GDK_EVENT_PROPAGATE;
}

static gboolean
idle_check_cb (gpointer user_data)
{
  RxKioskWindow *self = user_data;
  guint seconds = self->idle_seconds;
  gboolean something = !rx_assistant_pane_get_empty (self->pane) ||
                       g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "rate") == 0;

  if (seconds == 0 && self->settings != NULL)
    seconds = 60 * g_settings_get_uint (self->settings, "kiosk-idle-minutes");
  if (seconds == 0)
    seconds = 180;

  if (something && !rx_kiosk_window_get_busy (self) &&
      g_get_monotonic_time () - self->last_input >= (gint64) seconds * G_USEC_PER_SEC)
    {
      g_message ("Nobody at the kiosk for %u seconds: starting over", seconds);
      start_over (self);
    }
  return G_SOURCE_CONTINUE;
}

/* Rating --------------------------------------------------------------------------------- */

static void
star_toggled_cb (GtkToggleButton *star,
                 RxKioskWindow   *self)
{
  if (self->setting_stars)
    return;
  for (int i = 0; i < N_STARS; i++)
    if (self->stars[i] == star)
      set_stars (self, gtk_toggle_button_get_active (star) ? i + 1 : i);
}

static void
rated_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(RxKioskWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  if (!rx_assistant_session_rate_finish (RX_ASSISTANT_SESSION (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->rating_busy = FALSE;
  if (error != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Your rating could not be saved: %s"),
                                                error->message);

      toast = adw_toast_new (title);
      adw_toast_set_timeout (toast, 0);
      update_actions (self);
    }
  else
    {
      toast = adw_toast_new (_("Thank you for your rating"));
      start_over (self);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  notify_busy (self);
}

/* Actions -------------------------------------------------------------------------------- */

static void
start_over_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  start_over (RX_KIOSK_WINDOW (widget));
}

static void
rate_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RxKioskWindow *self = RX_KIOSK_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->stack, "rate");
  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->stars[N_STARS - 1]));
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RxKioskWindow *self = RX_KIOSK_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->stack, "chat");
  update_actions (self);
  rx_assistant_pane_focus_entry (self->pane);
}

static void
send_rating_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RxKioskWindow *self = RX_KIOSK_WINDOW (widget);

  if (self->session == NULL || self->rating == 0 || self->rating_busy)
    return;
  self->rating_busy = TRUE;
  update_actions (self);
  notify_busy (self);
  rx_assistant_session_rate_async (self->session, self->rating,
                                   gtk_editable_get_text (GTK_EDITABLE (self->comment_row)),
                                   self->cancellable, rated_cb, g_object_ref (self));
}

static void
fullscreen_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

/* GObject -------------------------------------------------------------------------------- */

static void
rx_kiosk_window_dispose (GObject *object)
{
  RxKioskWindow *self = (RxKioskWindow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_KIOSK_WINDOW);
  g_clear_object (&self->session);
  g_clear_object (&self->clinic);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rx_kiosk_window_parent_class)->dispose (object);
}

static void
rx_kiosk_window_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RxKioskWindow *self = RX_KIOSK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, rx_kiosk_window_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_kiosk_window_class_init (RxKioskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_kiosk_window_dispose;
  object_class->get_property = rx_kiosk_window_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RX_TYPE_ASSISTANT_PANE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-kiosk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RxKioskWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RxKioskWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, RxKioskWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RxKioskWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, RxKioskWindow, pane);
  gtk_widget_class_bind_template_child (widget_class, RxKioskWindow, stars_box);
  gtk_widget_class_bind_template_child (widget_class, RxKioskWindow, comment_row);

  gtk_widget_class_install_action (widget_class, "kiosk.start-over", NULL, start_over_activated);
  gtk_widget_class_install_action (widget_class, "kiosk.rate", NULL, rate_activated);
  gtk_widget_class_install_action (widget_class, "kiosk.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "kiosk.send-rating", NULL,
                                   send_rating_activated);
  gtk_widget_class_install_action (widget_class, "kiosk.fullscreen", NULL, fullscreen_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "kiosk.fullscreen", NULL);
}

static void
rx_kiosk_window_init (RxKioskWindow *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));
  rx_a11y_fix_button_labels (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "rx-kiosk");

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, RX_SETTINGS_SCHEMA_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new (RX_SETTINGS_SCHEMA_ID);

  for (int i = 0; i < N_STARS; i++)
    {
      GtkWidget *star = gtk_toggle_button_new ();
      g_autofree char *name = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d star",
                                                            "%d stars", i + 1), i + 1);

      gtk_button_set_icon_name (GTK_BUTTON (star), "starred-symbolic");
      gtk_widget_add_css_class (star, "circular");
      gtk_widget_add_css_class (star, "rx-star");
      gtk_widget_set_tooltip_text (star, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (star),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
      g_signal_connect (star, "toggled", G_CALLBACK (star_toggled_cb), self);
      gtk_box_append (self->stars_box, star);
      self->stars[i] = GTK_TOGGLE_BUTTON (star);
    }

  self->cancellable = g_cancellable_new ();
  self->opening = TRUE;
  self->last_input = g_get_monotonic_time ();
  g_signal_connect_object (self->pane, "notify::busy", G_CALLBACK (notify_busy), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pane, "notify::emergency", G_CALLBACK (emergency_cb), self,
                           G_CONNECT_SWAPPED);

  /* Capture phase: any touch, click or key counts as someone at the terminal. */
  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "event", G_CALLBACK (input_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  self->idle_source = g_timeout_add_seconds (IDLE_CHECK_SECONDS, idle_check_cb, self);

  update_actions (self);
}
