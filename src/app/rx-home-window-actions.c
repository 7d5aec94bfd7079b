/* rx-home-window-actions.c: the home window's actions (search, open a window, lock, log
 * out), the input that keeps the session awake, and the count line under the pages. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-home-window-private.h"

/* Counts -------------------------------------------------------------------------------- */

static void
counted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  RxClinicCounts counts;
  g_autoptr(GError) error = NULL;
  g_autofree char *patients = NULL;
  g_autofree char *products = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *line = NULL;
  RxHomeWindow *self;

  if (!rx_clinic_count_finish (RX_CLINIC (object), result, &counts, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_HOME_WINDOW (user_data);
  g_clear_object (&self->count_cancellable);

  if (error != NULL)
    {
      gtk_label_set_label (self->status_label, error->message);
      _rx_home_window_notify_busy (self);
      return;
    }

  patients = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld patient",
                                           "%lld patients", counts.patients),
                              (long long) counts.patients);
  products = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld product",
                                           "%lld products", counts.products),
                              (long long) counts.products);
  if (counts.pending_changes == 0)
    pending = g_strdup (_("nothing waiting to sync"));
  else
    pending = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%lld change waiting to sync",
                                            "%lld changes waiting to sync",
                                            counts.pending_changes),
                               (long long) counts.pending_changes);

  /* Translators: the window's status line, e.g. "120 patients · 80 products · 3 changes
   * waiting to sync" */
  line = g_strdup_printf (_("%s · %s · %s"), patients, products, pending);
  gtk_label_set_label (self->status_label, line);
  _rx_home_window_notify_busy (self);
}

gboolean
_rx_home_window_refresh_counts (gpointer user_data)
{
  RxHomeWindow *self = user_data;

  /* The counts are the clinic's, but only for someone logged in and at the desk. */
  if (self->clinic == NULL || self->count_cancellable != NULL ||
      rx_clinic_get_user (self->clinic) == NULL || rx_clinic_get_locked (self->clinic))
    return G_SOURCE_CONTINUE;

  self->count_cancellable = g_cancellable_new ();
  rx_clinic_count_async (self->clinic, self->count_cancellable, counted_cb, self);
  _rx_home_window_notify_busy (self);

  return G_SOURCE_CONTINUE;
}

/* Actions ------------------------------------------------------------------------------- */

static void
search_patients_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  RxHomeWindow *self = RX_HOME_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "patients");
  rx_patients_page_focus_search (self->patients_page);
}

static void
search_drugs_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RxHomeWindow *self = RX_HOME_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "medicines");
  rx_medicines_page_focus_search (self->medicines_page);
}

/* Opens one of the clinic's windows, or brings it forward if it is open. Returns it, or
 * NULL when this person may not use it. */
GtkWindow *
rx_home_window_open (RxHomeWindow *self,
                     RxWindowKind  kind)
{
  g_return_val_if_fail (RX_IS_HOME_WINDOW (self), NULL);
  g_return_val_if_fail (kind < RX_WINDOW_N_KINDS, NULL);

  if (!rx_window_kind_allowed (kind, self->clinic))
    return NULL;

  if (self->windows[kind] == NULL)
    {
      GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

      self->windows[kind] = rx_window_kind_get_info (kind)->create (application, self->clinic);
      g_object_add_weak_pointer (G_OBJECT (self->windows[kind]),
                                 (gpointer *) &self->windows[kind]);
    }

  gtk_window_present (self->windows[kind]);
  return self->windows[kind];
}

/* The windows opened on a clinic go with it. */
void
_rx_home_window_close_windows (RxHomeWindow *self)
{
  for (guint kind = 0; kind < RX_WINDOW_N_KINDS; kind++)
    if (self->windows[kind] != NULL)
      gtk_window_destroy (self->windows[kind]);
}

static void
open_window_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  for (guint kind = 0; kind < RX_WINDOW_N_KINDS; kind++)
    if (g_str_equal (rx_window_kind_get_info (kind)->action, action_name))
      rx_home_window_open (RX_HOME_WINDOW (widget), kind);
}

/* One tile per window that exists; update_pages() shows those the role may open. */
void
_rx_home_window_add_tiles (RxHomeWindow *self)
{
  for (guint kind = 0; kind < RX_WINDOW_N_KINDS; kind++)
    {
      const RxWindowInfo *info = rx_window_kind_get_info (kind);
      GtkWidget *content;
      GtkWidget *tile;

      if (info->create == NULL)
        continue;

      content = adw_button_content_new ();
      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), info->icon_name);
      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _(info->label));
      adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
      tile = gtk_button_new ();
      gtk_button_set_child (GTK_BUTTON (tile), content);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (tile), info->action);
      gtk_widget_set_tooltip_text (tile, _(info->tooltip));
      gtk_widget_add_css_class (tile, "rx-tile");
      gtk_widget_set_visible (tile, FALSE);
      gtk_box_append (GTK_BOX (self->tiles_box), tile);
      self->tiles[kind] = tile;
    }
}

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RxHomeWindow *self = RX_HOME_WINDOW (widget);

  if (self->clinic != NULL)
    rx_clinic_lock (self->clinic);
}

static void
logout_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RxHomeWindow *self = RX_HOME_WINDOW (widget);

  if (self->clinic != NULL)
    rx_clinic_logout (self->clinic);
}

/* Any input in the window counts as someone at the keyboard; the clinic throttles it. */
static gboolean
input_cb (RxHomeWindow *self)
{
  if (self->clinic != NULL)
    rx_clinic_touch (self->clinic);

  return GDK_EVENT_PROPAGATE;
}

/* F9 shows or hides the assistant at the side of the clinic's pages. */
static void
toggle_assistant_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  RxHomeWindow *self = RX_HOME_WINDOW (widget);
  AdwFlap *flap = ADW_FLAP (self->clinic_page);

  adw_flap_set_reveal_flap (flap, !adw_flap_get_reveal_flap (flap));
  if (adw_flap_get_reveal_flap (flap))
    rx_assistant_pane_focus_entry (self->assistant_pane);
}

void
_rx_home_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.toggle-assistant", NULL,
                                   toggle_assistant_action);
  gtk_widget_class_install_action (widget_class, "win.search-patients", NULL,
                                   search_patients_action);
  gtk_widget_class_install_action (widget_class, "win.search-drugs", NULL,
                                   search_drugs_action);
  for (guint kind = 0; kind < RX_WINDOW_N_KINDS; kind++)
    gtk_widget_class_install_action (widget_class, rx_window_kind_get_info (kind)->action,
                                     NULL, open_window_action);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);
  gtk_widget_class_install_action (widget_class, "win.logout", NULL, logout_action);
}

/* Capture phase: the window hears of input before any widget can stop it. */
void
_rx_home_window_add_input_controllers (RxHomeWindow *self)
{
  GtkEventController *controller;

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (input_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "event", G_CALLBACK (input_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
