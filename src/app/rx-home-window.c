/* rx-home-window.c: the main window. It shows the first-run choices, a spinner while a
 * clinic opens, or the open clinic's patients and medicines with a count line below. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-application.h"
#include "rx-home-window-private.h"


G_DEFINE_FINAL_TYPE (RxHomeWindow, rx_home_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CLINIC,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

RxHomeWindow *
rx_home_window_new (GtkApplication *application)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (RX_TYPE_HOME_WINDOW, "application", application, NULL);
}

void
_rx_home_window_notify_busy (RxHomeWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* State --------------------------------------------------------------------------------- */

static const char *
role_name (RxRole role)
{
  switch (role)
    {
    case RX_ROLE_ADMIN:
      return _("Administrator");
    case RX_ROLE_DOCTOR:
      return _("Doctor");
    case RX_ROLE_PHARMACIST:
      return _("Pharmacist");
    case RX_ROLE_RECEPTIONIST:
      return _("Receptionist");
    default:
      return rx_role_to_string (role);
    }
}

/* Shows the pages this person's role may use, and no others. */
static void
update_pages (RxHomeWindow *self,
              RxUser       *user)
{
  RxRole role = user ? rx_user_get_role (user) : RX_ROLE_RECEPTIONIST;
  gboolean patients = user != NULL && rx_role_can (role, RX_ACTION_PATIENT_READ);
  gboolean medicines = user != NULL && (rx_role_can (role, RX_ACTION_PRESCRIPTION_READ) ||
                                        rx_role_can (role, RX_ACTION_STOCK_WRITE));
  const char *visible = adw_view_stack_get_visible_child_name (self->view_stack);
  gboolean any_tile;

  adw_view_stack_page_set_visible (self->patients_stack_page, patients);
  adw_view_stack_page_set_visible (self->medicines_stack_page, medicines);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search-patients", patients);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search-drugs", medicines);
  /* A tile for each window the role may open; inside, buttons follow finer rights. */
  any_tile = FALSE;
  for (guint kind = 0; kind < RX_WINDOW_N_KINDS; kind++)
    {
      const RxWindowInfo *info = rx_window_kind_get_info (kind);
      gboolean allowed = user != NULL && info->create != NULL && rx_role_can (role, info->needs);

      if (self->tiles[kind] != NULL)
        gtk_widget_set_visible (self->tiles[kind], allowed);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), info->action, allowed);
      any_tile |= allowed;
    }
  gtk_widget_set_visible (self->tiles_box, any_tile);

  if (!medicines && g_strcmp0 (visible, "medicines") == 0)
    adw_view_stack_set_visible_child_name (self->view_stack, "patients");

  /* Pages query only for someone logged in; logging out empties them. */
  rx_patients_page_set_clinic (self->patients_page, patients ? self->clinic : NULL);
  rx_medicines_page_set_clinic (self->medicines_page, medicines ? self->clinic : NULL);
  rx_assistant_pane_set_clinic (self->assistant_pane, user ? self->clinic : NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-assistant", user != NULL);

  if (user != NULL)
    {
      g_autofree char *label = g_strdup_printf ("%s · %s", rx_user_get_full_name (user),
                                                role_name (role));

      gtk_label_set_label (self->user_label, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->user_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
    }
}


/* The switcher title decides while it is being allocated whether it shows the title; hiding
 * the start title then would resize the header bar in the middle of its allocation. Fading
 * it keeps the layout still, and AT users are told it is not there. */
static void
title_visible_cb (RxHomeWindow *self)
{
  gboolean show = !adw_view_switcher_title_get_title_visible (self->switcher_title);

  gtk_widget_set_opacity (GTK_WIDGET (self->clinic_title), show ? 1.0 : 0.0);
  gtk_widget_set_can_target (GTK_WIDGET (self->clinic_title), show);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->clinic_title),
                               GTK_ACCESSIBLE_STATE_HIDDEN, !show,
                               -1);
}

static void
update_view (RxHomeWindow *self)
{
  gboolean has_clinic = self->clinic != NULL;
  RxUser *user = has_clinic ? rx_clinic_get_user (self->clinic) : NULL;
  gboolean locked = has_clinic && rx_clinic_get_locked (self->clinic);
  gboolean working = has_clinic && !self->opening && user != NULL && !locked;
  const char *page;
  GtkWidget *default_widget = NULL;

  if (self->opening)
    page = "busy";
  else if (!has_clinic)
    page = "first-run";
  else if (user == NULL)
    page = "login";
  else if (locked)
    page = "locked";
  else
    page = "clinic";

  /* Patient data goes at once, without a cross-fade that would show it a moment longer, and
   * the hidden page leaves the accessibility tree too, where GTK 4.8 would still list it. */
  if (working)
    gtk_widget_set_visible (self->clinic_page, TRUE);
  gtk_stack_set_visible_child_full (self->main_stack, page,
                                    working ? GTK_STACK_TRANSITION_TYPE_CROSSFADE
                                            : GTK_STACK_TRANSITION_TYPE_NONE);
  if (!working)
    gtk_widget_set_visible (self->clinic_page, FALSE);

  gtk_widget_set_visible (GTK_WIDGET (self->user_button), working);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", working);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.logout", has_clinic && user != NULL);
  if (!locked)
    update_pages (self, working ? user : NULL);
  else
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search-patients", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search-drugs", FALSE);
      for (guint kind = 0; kind < RX_WINDOW_N_KINDS; kind++)
        gtk_widget_action_set_enabled (GTK_WIDGET (self),
                                       rx_window_kind_get_info (kind)->action, FALSE);
    }

  /* Detaching the stack rather than disabling the switcher: libadwaita 1.2 warns about
   * snapshotting a hidden switcher. It is attached once the pages this role may use are
   * visible: libadwaita 1.2 counts the visible pages when a stack is attached, not when a
   * page's visibility changes, and with one page it shows the title and no switcher. The
   * bar at the bottom is attached again for the same reason. */
  adw_view_switcher_title_set_stack (self->switcher_title, NULL);
  adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);
  if (working)
    {
      adw_view_switcher_title_set_stack (self->switcher_title, self->view_stack);
      adw_view_switcher_bar_set_stack (self->switcher_bar, self->view_stack);
    }

  if (g_str_equal (page, "login"))
    default_widget = rx_login_page_get_default_widget (self->login_page);
  else if (g_str_equal (page, "locked"))
    default_widget = rx_lock_page_get_default_widget (self->lock_page);
  gtk_window_set_default_widget (GTK_WINDOW (self), default_widget);

  if (has_clinic)
    {
      g_autofree char *file_name = rx_clinic_dup_file_name (self->clinic);

      adw_view_switcher_title_set_title (self->switcher_title, rx_clinic_get_name (self->clinic));
      adw_view_switcher_title_set_subtitle (self->switcher_title, file_name);
      adw_window_title_set_title (self->clinic_title, rx_clinic_get_name (self->clinic));
      adw_window_title_set_subtitle (self->clinic_title, file_name);
      gtk_window_set_title (GTK_WINDOW (self), rx_clinic_get_name (self->clinic));
    }
  else
    {
      adw_view_switcher_title_set_title (self->switcher_title, _("RxDesk"));
      adw_view_switcher_title_set_subtitle (self->switcher_title, NULL);
      gtk_window_set_title (GTK_WINDOW (self), _("RxDesk"));
    }
}

/* The clinic's session changed: someone logged in or out, or it locked or unlocked. */
static void
session_changed_cb (RxHomeWindow *self)
{
  const char *before = gtk_stack_get_visible_child_name (self->main_stack);

  update_view (self);

  if (g_strcmp0 (before, gtk_stack_get_visible_child_name (self->main_stack)) == 0)
    return;
  if (rx_clinic_get_user (self->clinic) == NULL)
    rx_login_page_focus (self->login_page);
  else if (rx_clinic_get_locked (self->clinic))
    rx_lock_page_focus (self->lock_page);
  else
    {
      _rx_home_window_refresh_counts (self);
      if (rx_role_can (rx_user_get_role (rx_clinic_get_user (self->clinic)),
                       RX_ACTION_PATIENT_READ))
        rx_patients_page_focus_search (self->patients_page);
    }
  _rx_home_window_notify_busy (self);
}

/* Logs in as if typed on the login page (--login, tests). */
void
rx_home_window_login (RxHomeWindow *self,
                      const char   *username,
                      const char   *password)
{
  g_return_if_fail (RX_IS_HOME_WINDOW (self));

  rx_login_page_login (self->login_page, username, password);
}

RxClinic *
rx_home_window_get_clinic (RxHomeWindow *self)
{
  g_return_val_if_fail (RX_IS_HOME_WINDOW (self), NULL);
  return self->clinic;
}

void
rx_home_window_set_clinic (RxHomeWindow *self,
                           RxClinic     *clinic)
{
  g_return_if_fail (RX_IS_HOME_WINDOW (self));
  g_return_if_fail (!clinic || RX_IS_CLINIC (clinic));

  self->opening = FALSE;

  if (self->clinic != clinic)
    {
      if (self->clinic != NULL)
        g_signal_handlers_disconnect_by_func (self->clinic, session_changed_cb, self);
      /* The windows opened on the clinic before go with it. */
      _rx_home_window_close_windows (self);
      g_set_object (&self->clinic, clinic);
      g_cancellable_cancel (self->count_cancellable);
      g_clear_object (&self->count_cancellable);
      gtk_label_set_label (self->status_label, "");

      if (clinic != NULL)
        {
          g_signal_connect_object (clinic, "notify::user", G_CALLBACK (session_changed_cb),
                                   self, G_CONNECT_SWAPPED);
          g_signal_connect_object (clinic, "notify::locked", G_CALLBACK (session_changed_cb),
                                   self, G_CONNECT_SWAPPED);
        }
      rx_login_page_set_clinic (self->login_page, clinic);
      rx_lock_page_set_clinic (self->lock_page, clinic);
      rx_sync_button_set_engine (self->sync_button, clinic ? rx_clinic_get_sync (clinic) : NULL);

      adw_view_stack_set_visible_child_name (self->view_stack, "patients");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLINIC]);
    }

  update_view (self);
  if (clinic != NULL && rx_clinic_get_user (clinic) == NULL)
    rx_login_page_focus (self->login_page);
  else if (clinic != NULL && !rx_clinic_get_locked (clinic))
    {
      _rx_home_window_refresh_counts (self);
      rx_patients_page_focus_search (self->patients_page);
    }
  _rx_home_window_notify_busy (self);
}

/* Shows a spinner titled @title until a clinic is set or rx_home_window_end_busy(). */
void
rx_home_window_begin_busy (RxHomeWindow *self,
                           const char   *title)
{
  g_return_if_fail (RX_IS_HOME_WINDOW (self));

  adw_status_page_set_title (self->busy_page, title);
  self->opening = TRUE;
  update_view (self);
  _rx_home_window_notify_busy (self);
}

void
rx_home_window_end_busy (RxHomeWindow *self)
{
  g_return_if_fail (RX_IS_HOME_WINDOW (self));

  self->opening = FALSE;
  update_view (self);
  _rx_home_window_notify_busy (self);
}

/* Whether the window is still opening a clinic or waiting for a query. */
gboolean
rx_home_window_get_busy (RxHomeWindow *self)
{
  g_return_val_if_fail (RX_IS_HOME_WINDOW (self), FALSE);

  return self->opening ||
         self->count_cancellable != NULL ||
         rx_login_page_get_busy (self->login_page) ||
         rx_patients_page_get_busy (self->patients_page) ||
         rx_medicines_page_get_busy (self->medicines_page);
}

/* What the window shows: "first-run", "busy", "login", "locked" or "clinic". */
const char *
rx_home_window_get_page (RxHomeWindow *self)
{
  g_return_val_if_fail (RX_IS_HOME_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

GtkWidget *
rx_home_window_get_login_page (RxHomeWindow *self)
{
  g_return_val_if_fail (RX_IS_HOME_WINDOW (self), NULL);
  return GTK_WIDGET (self->login_page);
}

GtkWidget *
rx_home_window_get_lock_page (RxHomeWindow *self)
{
  g_return_val_if_fail (RX_IS_HOME_WINDOW (self), NULL);
  return GTK_WIDGET (self->lock_page);
}

GtkWidget *
rx_home_window_get_patients_page (RxHomeWindow *self)
{
  g_return_val_if_fail (RX_IS_HOME_WINDOW (self), NULL);
  return GTK_WIDGET (self->patients_page);
}

GtkWidget *
rx_home_window_get_medicines_page (RxHomeWindow *self)
{
  g_return_val_if_fail (RX_IS_HOME_WINDOW (self), NULL);
  return GTK_WIDGET (self->medicines_page);
}

/* A short message at the bottom of the window that goes by itself. */
void
rx_home_window_toast (RxHomeWindow *self,
                      const char   *text)
{
  g_return_if_fail (RX_IS_HOME_WINDOW (self));
  g_return_if_fail (text != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

GtkWidget *
rx_home_window_get_assistant_pane (RxHomeWindow *self)
{
  g_return_val_if_fail (RX_IS_HOME_WINDOW (self), NULL);
  return GTK_WIDGET (self->assistant_pane);
}

/* GtkWindow ----------------------------------------------------------------------------- */

static gboolean
rx_home_window_close_request (GtkWindow *window)
{
  RxHomeWindow *self = RX_HOME_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
      g_settings_apply (self->settings);
    }

  /* Nothing that is still queued for this window needs to run now. */
  rx_patients_page_set_clinic (self->patients_page, NULL);
  rx_medicines_page_set_clinic (self->medicines_page, NULL);
  rx_login_page_set_clinic (self->login_page, NULL);
  rx_lock_page_set_clinic (self->lock_page, NULL);
  g_cancellable_cancel (self->count_cancellable);

  return GTK_WINDOW_CLASS (rx_home_window_parent_class)->close_request (window);
}

static void
restore_size (RxHomeWindow *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();

  /* Tests build windows without installing the schema; they get the template's size. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, RX_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    return;

  self->settings = g_settings_new (RX_SETTINGS_SCHEMA_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               MAX (360, g_settings_get_int (self->settings, "window-width")),
                               MAX (294, g_settings_get_int (self->settings, "window-height")));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
rx_home_window_dispose (GObject *object)
{
  RxHomeWindow *self = (RxHomeWindow *) object;

  g_cancellable_cancel (self->count_cancellable);
  g_clear_handle_id (&self->count_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_HOME_WINDOW);

  g_clear_object (&self->count_cancellable);
  g_clear_object (&self->clinic);
  for (guint kind = 0; kind < RX_WINDOW_N_KINDS; kind++)
    if (self->windows[kind] != NULL)
      {
        g_object_remove_weak_pointer (G_OBJECT (self->windows[kind]),
                                      (gpointer *) &self->windows[kind]);
        self->windows[kind] = NULL;
      }

  G_OBJECT_CLASS (rx_home_window_parent_class)->dispose (object);
}

static void
rx_home_window_finalize (GObject *object)
{
  RxHomeWindow *self = (RxHomeWindow *) object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rx_home_window_parent_class)->finalize (object);
}

static void
rx_home_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RxHomeWindow *self = RX_HOME_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLINIC:
      g_value_set_object (value, self->clinic);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, rx_home_window_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_home_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RxHomeWindow *self = RX_HOME_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLINIC:
      rx_home_window_set_clinic (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_home_window_class_init (RxHomeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rx_home_window_dispose;
  object_class->finalize = rx_home_window_finalize;
  object_class->get_property = rx_home_window_get_property;
  object_class->set_property = rx_home_window_set_property;
  window_class->close_request = rx_home_window_close_request;

  properties[PROP_CLINIC] =
    g_param_spec_object ("clinic", NULL, NULL, RX_TYPE_CLINIC,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RX_TYPE_LOGIN_PAGE);
  g_type_ensure (RX_TYPE_LOCK_PAGE);
  g_type_ensure (RX_TYPE_PATIENTS_PAGE);
  g_type_ensure (RX_TYPE_MEDICINES_PAGE);
  g_type_ensure (RX_TYPE_SYNC_BUTTON);
  g_type_ensure (RX_TYPE_ASSISTANT_PANE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-home-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, clinic_title);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, clinic_page);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, busy_page);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, lock_page);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, user_button);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, user_label);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, patients_stack_page);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, medicines_stack_page);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, patients_page);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, medicines_page);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, assistant_pane);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, RxHomeWindow, tiles_box);
  gtk_widget_class_bind_template_callback_full (widget_class, "notify_busy",
                                                G_CALLBACK (_rx_home_window_notify_busy));

  _rx_home_window_class_add_actions (widget_class);
}

static void
rx_home_window_init (RxHomeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Wide: switcher in the middle, clinic at the start. Narrow: the clinic in the middle. */
  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (title_visible_cb), self, G_CONNECT_SWAPPED);
  title_visible_cb (self);

  _rx_home_window_add_input_controllers (self);
  _rx_home_window_add_tiles (self);

  restore_size (self);
  update_view (self);

  self->count_source = g_timeout_add_seconds (COUNT_INTERVAL_SECONDS,
                                              _rx_home_window_refresh_counts,
                                              self);
}
