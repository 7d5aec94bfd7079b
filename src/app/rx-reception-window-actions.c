/* rx-reception-window-actions.c: the reception window's actions and their shortcuts (the
 * application sets the keys), the question before unsaved changes are let go, and the input
 * that keeps the session awake. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-a11y.h"
#include "rx-appointment-dialog.h"
#include "rx-format.h"
#include "rx-reception-window-private.h"

void
_rx_reception_window_update_actions (RxReceptionWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean working = self->clinic != NULL && !rx_clinic_get_locked (self->clinic);
  gboolean shown = rx_patient_editor_get_patient (self->editor) != NULL;

  gtk_widget_action_set_enabled (widget, "win.search-patients", working);
  gtk_widget_action_set_enabled (widget, "win.new-patient", working && self->can_write);
  gtk_widget_action_set_enabled (widget, "win.save-patient", working && self->can_write);
  gtk_widget_action_set_enabled (widget, "win.book-appointment",
                                 working && self->can_book && shown);
  gtk_widget_action_set_enabled (widget, "win.show-appointments", working);
  gtk_widget_action_set_enabled (widget, "win.lock", working);
}

/* Unsaved changes ----------------------------------------------------------------------- */

typedef struct
{
  RxReceptionWindow *self;
  RxReceptionThen    then;
  gpointer           data;
  GDestroyNotify     data_destroy;
} Pending;

static void
pending_free (gpointer user_data)
{
  Pending *pending = user_data;

  if (pending->data_destroy != NULL)
    pending->data_destroy (pending->data);
  g_free (pending);
}

static void
question_answered_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      Pending          *pending)
{
  if (g_str_equal (response, "discard"))
    pending->then (pending->self, pending->data);
}

static void
question_gone_cb (RxReceptionWindow *self)
{
  self->question = NULL;
}

/**
 * _rx_reception_window_unless_unsaved:
 *
 * Runs @then at once when the patient form holds nothing unsaved; otherwise asks first, and
 * runs it only if the person lets the changes go.
 */
void
_rx_reception_window_unless_unsaved (RxReceptionWindow *self,
                                     RxReceptionThen    then,
                                     gpointer           data,
                                     GDestroyNotify     data_destroy)
{
  AdwMessageDialog *dialog;
  RxPatient *shown = rx_patient_editor_get_patient (self->editor);
  g_autofree char *name = shown ? rx_patient_dup_display_name (shown) : NULL;
  g_autofree char *body = NULL;
  Pending *pending;

  if (!rx_patient_editor_get_modified (self->editor))
    {
      then (self, data);
      if (data_destroy != NULL)
        data_destroy (data);
      return;
    }

  if (self->question != NULL)
    gtk_window_destroy (self->question);

  if (name != NULL)
    body = g_strdup_printf (_("The changes to the record of %s are not saved yet."), name);
  else
    body = g_strdup (_("The new patient is not registered yet."));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Discard the Changes?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");

  pending = g_new0 (Pending, 1);
  pending->self = self;
  pending->then = then;
  pending->data = data;
  pending->data_destroy = data_destroy;
  g_signal_connect_data (dialog, "response", G_CALLBACK (question_answered_cb), pending,
                         (GClosureNotify) (void (*) (void)) pending_free, 0);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (question_gone_cb), self,
                           G_CONNECT_SWAPPED);

  self->question = GTK_WINDOW (dialog);
  rx_a11y_fix_button_labels (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Actions -------------------------------------------------------------------------------- */

static void
search_patients_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  RxReceptionWindow *self = RX_RECEPTION_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "patients");
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
new_patient (RxReceptionWindow *self,
             gpointer           data)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "patients");
  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->selecting = FALSE;
  rx_patient_editor_new_patient (self->editor);
  adw_leaflet_set_visible_child (self->leaflet, self->editor_pane);
  rx_patient_editor_focus (self->editor);
}

static void
new_patient_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  _rx_reception_window_unless_unsaved (RX_RECEPTION_WINDOW (widget), new_patient, NULL, NULL);
}

static void
save_patient_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  rx_patient_editor_save (RX_RECEPTION_WINDOW (widget)->editor);
}

static void
booked_cb (RxReceptionWindow *self,
           const char        *id,
           const char        *starts_at)
{
  RxPatient *patient = rx_patient_editor_get_patient (self->editor);
  g_autofree char *name = patient ? rx_patient_dup_display_name (patient) : NULL;
  g_autofree char *time = rx_format_local_time (starts_at);
  g_autofree char *message = NULL;

  /* Translators: a toast after booking, e.g. "OKAFOR, Amina is booked at 09:15" */
  message = g_strdup_printf (_("%s is booked at %s"), name ? name : _("The patient"), time);
  _rx_reception_window_toast (self, message);

  adw_view_stack_set_visible_child_name (self->view_stack, "appointments");
  rx_appointments_page_show_time (self->appointments_page, starts_at, id);
}

/* Opens the booking dialog for the patient on the form; returns it (tests drive it). */
GtkWindow *
rx_reception_window_book (RxReceptionWindow *self)
{
  RxPatient *patient;
  RxAppointmentDialog *dialog;

  g_return_val_if_fail (RX_IS_RECEPTION_WINDOW (self), NULL);

  patient = rx_patient_editor_get_patient (self->editor);
  if (patient == NULL || !self->can_book || rx_clinic_get_locked (self->clinic))
    return NULL;

  dialog = rx_appointment_dialog_new_book (GTK_WINDOW (self), self->clinic, patient);
  g_signal_connect_object (dialog, "done", G_CALLBACK (booked_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WINDOW (dialog);
}

static void
book_appointment_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  rx_reception_window_book (RX_RECEPTION_WINDOW (widget));
}

static void
show_appointments_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  RxReceptionWindow *self = RX_RECEPTION_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "appointments");
  rx_appointments_page_reload_if_stale (self->appointments_page);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RxReceptionWindow *self = RX_RECEPTION_WINDOW (widget);

  if (self->clinic != NULL)
    rx_clinic_lock (self->clinic);
}

void
_rx_reception_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.search-patients", NULL,
                                   search_patients_action);
  gtk_widget_class_install_action (widget_class, "win.new-patient", NULL, new_patient_action);
  gtk_widget_class_install_action (widget_class, "win.save-patient", NULL, save_patient_action);
  gtk_widget_class_install_action (widget_class, "win.book-appointment", NULL,
                                   book_appointment_action);
  gtk_widget_class_install_action (widget_class, "win.show-appointments", NULL,
                                   show_appointments_action);
  gtk_widget_class_install_action (widget_class, "win.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);
}

/* Input ---------------------------------------------------------------------------------- */

/* Any input here counts as someone at the desk, as in every RxDesk window. */
static gboolean
input_cb (RxReceptionWindow *self)
{
  if (self->clinic != NULL)
    rx_clinic_touch (self->clinic);

  return GDK_EVENT_PROPAGATE;
}

void
_rx_reception_window_add_input (RxReceptionWindow *self)
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
