/* rx-pharmacy-window-actions.c: what the pharmacist does in the pharmacy window: dispense
 * (stock movements, the prescription's status and the invoice line in core's one
 * transaction), print the labels of what was dispensed, refresh, lock; and the input that
 * keeps the session awake. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-pharmacy-window-private.h"

static gint64
quantity_chosen (RxPharmacyWindow *self)
{
  gint64 total = 0;

  for (guint i = 0; i < self->groups->len; i++)
    total += rx_dispense_item_group_get_quantity (self->groups->pdata[i]);

  return total;
}

void
_rx_pharmacy_window_update_actions (RxPharmacyWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean working = self->clinic != NULL && !rx_clinic_get_locked (self->clinic);
  gboolean idle = self->dispensing == NULL;
  gboolean can_dispense = working && idle && self->entry != NULL && self->opening == NULL &&
                          rx_dispense_entry_get_verified (self->entry) &&
                          quantity_chosen (self) > 0;

  gtk_widget_action_set_enabled (widget, "win.refresh", working);
  gtk_widget_action_set_enabled (widget, "win.find", working);
  gtk_widget_action_set_enabled (widget, "win.dispense", can_dispense);
  gtk_widget_action_set_enabled (widget, "win.print-labels",
                                 working && idle && self->dispensed != NULL &&
                                 self->dispensed->len > 0);
  gtk_widget_action_set_enabled (widget, "win.lock", working);
}

/* What was just dispensed of the prescription shown, with its labels to print. */
void
_rx_pharmacy_window_show_dispensed (RxPharmacyWindow *self)
{
  gboolean shown = self->dispensed != NULL && self->entry != NULL &&
                   g_strcmp0 (self->dispensed_rx,
                              rx_dispense_entry_get_prescription_id (self->entry)) == 0;

  for (guint i = 0; i < self->dispensed_rows->len; i++)
    adw_preferences_group_remove (self->dispensed_group, self->dispensed_rows->pdata[i]);
  g_ptr_array_set_size (self->dispensed_rows, 0);

  gtk_widget_set_visible (GTK_WIDGET (self->dispensed_group), shown);
  if (!shown)
    return;

  for (guint i = 0; i < self->dispensed->len; i++)
    {
      RxDispensed *d = self->dispensed->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      /* Translators: e.g. "10 × amoxicillin 500 mg capsule" */
      title = g_strdup_printf (_("%lld × %s"), (long long) d->quantity, d->product_name);
      /* Translators: e.g. "Lot AB12345, expires 2027-03-01" */
      subtitle = g_strdup_printf (_("Lot %s, expires %s"), d->lot, d->expiry);
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_group_add (self->dispensed_group, row);
      g_ptr_array_add (self->dispensed_rows, row);
    }
}

/* Dispensing ------------------------------------------------------------------------------ */

typedef struct
{
  char           *prescription_id;
  RxDispenseLine *lines;
  char          **lots;
  guint           n_lines;
} Order;

static void
order_free (gpointer data)
{
  Order *order = data;

  g_free (order->prescription_id);
  g_free (order->lines);
  g_strfreev (order->lots);
  g_free (order);
}

static void
result_free (gpointer data)
{
  RxDispenseResult *result = data;

  rx_dispense_result_clear (result);
  g_free (result);
}

static gpointer
dispense_in_worker (RxDb          *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  Order *order = data;
  RxDispenseResult *result = g_new0 (RxDispenseResult, 1);

  /* The pharmacist is the person logged in; core checks they may dispense. */
  if (!rx_dispense (db, order->prescription_id, NULL, NULL, order->lines, order->n_lines,
                    result, error))
    {
      g_free (result);
      return NULL;
    }

  return result;
}

static void
dispensed_cb (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  RxDispenseResult *result = rx_clinic_run_finish (RX_CLINIC (object), res, &error);
  RxPharmacyWindow *self;
  g_autofree char *message = NULL;
  gint64 total = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = RX_PHARMACY_WINDOW (user_data);
  g_clear_object (&self->dispensing);
  _rx_pharmacy_window_notify_busy (self);

  if (result == NULL)
    {
      AdwMessageDialog *dialog;

      /* Nothing was written: core's transaction is all or nothing. */
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                           _("Nothing Was Dispensed"),
                                                           error->message));
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      _rx_pharmacy_window_update_actions (self);
      return;
    }

  for (guint i = 0; i < result->dispensed->len; i++)
    total += ((RxDispensed *) result->dispensed->pdata[i])->quantity;

  g_clear_pointer (&self->dispensed, g_ptr_array_unref);
  self->dispensed = g_ptr_array_ref (result->dispensed);
  g_free (self->dispensed_rx);
  self->dispensed_rx = self->entry ? g_strdup (rx_dispense_entry_get_prescription_id (self->entry))
                                   : NULL;

  if (result->status == RX_PRESCRIPTION_DISPENSED)
    message = g_strdup_printf (_("Dispensed %lld; the prescription is complete and billed on invoice %lld"),
                               (long long) total, (long long) result->invoice_number);
  else
    message = g_strdup_printf (_("Dispensed %lld; %lld stay open on the prescription. Billed on invoice %lld"),
                               (long long) total, (long long) result->remaining,
                               (long long) result->invoice_number);
  _rx_pharmacy_window_toast (self, message);
  result_free (result);

  /* The queue and the prescription as they are now. */
  if (self->dispensed_rx != NULL)
    {
      g_free (self->wanted);
      self->wanted = g_strdup (self->dispensed_rx);
    }
  _rx_pharmacy_window_reload (self);
}

static void dispense_now (RxPharmacyWindow *self);

static void
alert_answered_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   RxPharmacyWindow *self)
{
  if (g_str_equal (response, "dispense"))
    dispense_now (self);
}

/**
 * rx_pharmacy_window_dispense:
 *
 * Dispenses what the items say, from the lots chosen, as the Dispense button does. When an
 * alert is contraindicated or major, the pharmacist is asked first.
 *
 * Returns: (transfer none) (nullable): that question, while it is asked (tests answer it)
 */
GtkWindow *
rx_pharmacy_window_dispense (RxPharmacyWindow *self)
{
  AdwMessageDialog *dialog;
  g_autoptr(GString) body = NULL;

  g_return_val_if_fail (RX_IS_PHARMACY_WINDOW (self), NULL);

  for (guint i = 0; i < self->groups->len; i++)
    rx_dispense_item_group_commit (self->groups->pdata[i]);
  _rx_pharmacy_window_update_actions (self);
  if (!gtk_widget_is_sensitive (self->dispense_button) || self->entry == NULL ||
      self->dispensing != NULL)
    return NULL;

  if (self->alerts == NULL || !rx_safety_alerts_need_override (self->alerts))
    {
      dispense_now (self);
      return NULL;
    }

  body = g_string_new (NULL);
  for (guint i = 0; i < g_list_model_get_n_items (self->alerts); i++)
    {
      g_autoptr(RxSafetyAlert) alert = g_list_model_get_item (self->alerts, i);

      if (rx_safety_alert_needs_override (alert))
        g_string_append_printf (body, "%s\n", rx_safety_alert_get_message (alert));
    }
  g_string_append (body, _("Check with the prescriber before dispensing. Dispensing anyway is recorded with your name."));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Dispense Despite a Serious Alert?"),
                                                       body->str));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "dispense", _("_Dispense Anyway"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "dispense", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (alert_answered_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static void
dispense_now (RxPharmacyWindow *self)
{
  g_autoptr(GCancellable) cancellable = NULL;
  Order *order;
  GPtrArray *lots;

  if (self->entry == NULL || self->dispensing != NULL)
    return;

  order = g_new0 (Order, 1);
  order->prescription_id = g_strdup (rx_dispense_entry_get_prescription_id (self->entry));
  order->lines = g_new0 (RxDispenseLine, self->groups->len + 1);
  lots = g_ptr_array_new ();
  for (guint i = 0; i < self->groups->len; i++)
    {
      RxDispenseItemGroup *group = self->groups->pdata[i];
      gint64 quantity = rx_dispense_item_group_get_quantity (group);

      if (quantity <= 0)
        continue;
      order->lines[order->n_lines].item = rx_dispense_item_group_get_number (group);
      order->lines[order->n_lines].quantity = quantity;
      g_ptr_array_add (lots, g_strdup (rx_dispense_item_group_get_lot (group)));
      order->n_lines++;
    }
  /* The lines point into the strings the order keeps. */
  g_ptr_array_add (lots, NULL);
  order->lots = (char **) g_ptr_array_free (lots, FALSE);
  for (guint i = 0; i < order->n_lines; i++)
    order->lines[i].lot = order->lots[i];

  cancellable = g_cancellable_new ();
  g_set_object (&self->dispensing, cancellable);
  _rx_pharmacy_window_notify_busy (self);
  _rx_pharmacy_window_update_actions (self);
  rx_clinic_run_async (self->clinic, dispense_in_worker, order, order_free, result_free,
                       cancellable, dispensed_cb, self);
}

/* Labels ---------------------------------------------------------------------------------- */

static gpointer
read_labels (RxDb          *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  GPtrArray *ids = data;
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();

  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *label = rx_dispense_label (db, ids->pdata[i], error);

      if (label == NULL)
        return NULL;
      g_strv_builder_add (labels, label);
    }

  return g_strv_builder_end (labels);
}

static void
draw_label_cb (GtkPrintOperation *operation,
               GtkPrintContext   *context,
               int                page,
               char             **labels)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 10");

  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (gtk_print_context_get_width (context) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, labels[page], -1);
  cairo_move_to (gtk_print_context_get_cairo_context (context), 0, 0);
  pango_cairo_show_layout (gtk_print_context_get_cairo_context (context), layout);

  pango_font_description_free (font);
  g_object_unref (layout);
}

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               RxPharmacyWindow        *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      message = g_strdup_printf (_("The labels did not print: %s. Check the printer and print them again."),
                                                  error ? error->message : _("unknown error"));
      _rx_pharmacy_window_toast (self, message);
    }
}

static void
labels_read_cb (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  char **labels = rx_clinic_run_finish (RX_CLINIC (object), res, &error);
  g_autoptr(GtkPrintOperation) operation = NULL;
  RxPharmacyWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = RX_PHARMACY_WINDOW (user_data);
  g_clear_object (&self->dispensing);
  _rx_pharmacy_window_notify_busy (self);
  _rx_pharmacy_window_update_actions (self);

  if (labels == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot read the labels: %s"), error->message);

      _rx_pharmacy_window_toast (self, message);
      return;
    }

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_job_name (operation, _("Dispensing labels"));
  gtk_print_operation_set_n_pages (operation, g_strv_length (labels));
  gtk_print_operation_set_allow_async (operation, TRUE);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (draw_label_cb), labels,
                         (GClosureNotify) (void (*) (void)) g_strfreev, 0);
  g_signal_connect_object (operation, "done", G_CALLBACK (print_done_cb), self, 0);
  gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, GTK_WINDOW (self),
                           &error);
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot print the labels: %s"), error->message);

      _rx_pharmacy_window_toast (self, message);
    }
}

static void
print_labels_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RxPharmacyWindow *self = RX_PHARMACY_WINDOW (widget);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GPtrArray *ids;

  if (self->dispensed == NULL || self->dispensing != NULL)
    return;

  ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->dispensed->len; i++)
    g_ptr_array_add (ids, g_strdup (((RxDispensed *) self->dispensed->pdata[i])->id));

  g_set_object (&self->dispensing, cancellable);
  _rx_pharmacy_window_notify_busy (self);
  _rx_pharmacy_window_update_actions (self);
  rx_clinic_run_async (self->clinic, read_labels, ids, (GDestroyNotify) g_ptr_array_unref,
                       (GDestroyNotify) g_strfreev, cancellable, labels_read_cb, self);
}

/* Actions -------------------------------------------------------------------------------- */

static void
dispense_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  rx_pharmacy_window_dispense (RX_PHARMACY_WINDOW (widget));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RxPharmacyWindow *self = RX_PHARMACY_WINDOW (widget);

  if (self->entry != NULL)
    {
      g_free (self->wanted);
      self->wanted = g_strdup (rx_dispense_entry_get_prescription_id (self->entry));
    }
  _rx_pharmacy_window_reload (self);
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RxPharmacyWindow *self = RX_PHARMACY_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->queue_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->queue_search));
  gtk_editable_select_region (GTK_EDITABLE (self->queue_search), 0, -1);
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
  RxPharmacyWindow *self = RX_PHARMACY_WINDOW (widget);

  if (self->clinic != NULL)
    rx_clinic_lock (self->clinic);
}

void
_rx_pharmacy_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.dispense", NULL, dispense_action);
  gtk_widget_class_install_action (widget_class, "win.print-labels", NULL, print_labels_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);

  /* This window's own keys; Ctrl+L and Ctrl+W are the application's, as everywhere. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "win.dispense", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "win.dispense", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "win.print-labels", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.find",
                                       NULL);
}

/* Input ---------------------------------------------------------------------------------- */

/* Any input here counts as someone at the desk, as in every RxDesk window. */
static gboolean
input_cb (RxPharmacyWindow *self)
{
  if (self->clinic != NULL)
    rx_clinic_touch (self->clinic);

  return GDK_EVENT_PROPAGATE;
}

void
_rx_pharmacy_window_add_input (RxPharmacyWindow *self)
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
