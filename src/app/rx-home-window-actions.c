/* rx-home-window-actions.c: the home window's actions (search, open reception, lock, log
 * out), the input that keeps the session awake, and the count line under the pages. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-home-window-private.h"
#include "rx-reception-window.h"

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

/* Opens the clinic's reception window, or brings it forward if it is open. Returns it, or
 * NULL when this person may not use it. */
GtkWindow *
rx_home_window_open_reception (RxHomeWindow *self)
{
  g_return_val_if_fail (RX_IS_HOME_WINDOW (self), NULL);

  if (self->clinic == NULL || rx_clinic_get_user (self->clinic) == NULL ||
      rx_clinic_get_locked (self->clinic) ||
      !rx_role_can (rx_user_get_role (rx_clinic_get_user (self->clinic)),
                    RX_ACTION_PATIENT_READ))
    return NULL;

  if (self->reception_window == NULL)
    {
      self->reception_window =
        GTK_WINDOW (rx_reception_window_new (gtk_window_get_application (GTK_WINDOW (self)),
                                             self->clinic));
      g_object_add_weak_pointer (G_OBJECT (self->reception_window),
                                 (gpointer *) &self->reception_window);
    }

  gtk_window_present (self->reception_window);
  return self->reception_window;
}

static void
open_reception_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  rx_home_window_open_reception (RX_HOME_WINDOW (widget));
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

void
_rx_home_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.search-patients", NULL,
                                   search_patients_action);
  gtk_widget_class_install_action (widget_class, "win.search-drugs", NULL,
                                   search_drugs_action);
  gtk_widget_class_install_action (widget_class, "win.open-reception", NULL,
                                   open_reception_action);
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
