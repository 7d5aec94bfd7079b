/* rx-billing-window-actions.c: the billing window's actions and their keys, the payment
 * dialog it opens, and the input that keeps the session awake. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "rx-billing-window-private.h"
#include "rx-pay-dialog.h"

void
_rx_billing_window_update_actions (RxBillingWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean working = self->clinic != NULL && !rx_clinic_get_locked (self->clinic);
  gboolean refundable = FALSE;
  gboolean valid = TRUE;

  if (self->sale == NULL)
    return;

  /* a discount typed wrong keeps the sale from being paid until it is put right */
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->lines_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *discount = g_object_get_data (G_OBJECT (row), "rx-discount");

      if (discount != NULL && gtk_widget_has_css_class (discount, "error"))
        valid = FALSE;
    }

  if (self->shown != NULL)
    refundable = g_strcmp0 (rx_invoice_get_kind (self->shown), "invoice") == 0 &&
                 g_strcmp0 (rx_invoice_get_status (self->shown), "paid") == 0 &&
                 _rx_billing_window_refundable_count (self) > 0;

  gtk_widget_action_set_enabled (widget, "win.find-product", working);
  gtk_widget_action_set_enabled (widget, "win.pay",
                                 working && valid && !rx_sale_is_empty (self->sale) &&
                                 rx_sale_get_total_minor (self->sale) > 0 &&
                                 self->dialog == NULL);
  gtk_widget_action_set_enabled (widget, "win.clear-sale",
                                 working && !rx_sale_is_empty (self->sale));
  gtk_widget_action_set_enabled (widget, "win.refund",
                                 working && refundable && self->writing == NULL);
  gtk_widget_action_set_enabled (widget, "win.print-invoice", working && self->shown);
  gtk_widget_action_set_enabled (widget, "win.save-invoice-pdf", working && self->shown);
  gtk_widget_action_set_enabled (widget, "win.refresh-report", working);
  gtk_widget_action_set_enabled (widget, "win.print-report", working && self->report);
  gtk_widget_action_set_enabled (widget, "win.save-report-pdf", working && self->report);
  gtk_widget_action_set_enabled (widget, "win.lock", working);
  gtk_widget_set_visible (self->refund_button, refundable);
}

/* Paying ---------------------------------------------------------------------------------- */

static void
paid_cb (RxBillingWindow *self,
         RxInvoice       *invoice,
         gint64           change)
{
  g_autofree char *message = NULL;

  /* the window closed (logged out) while the sale was written: nothing left to update */
  if (self->sale == NULL)
    return;

  if (change > 0)
    {
      g_autofree char *amount = _rx_billing_window_money (self, change);
      message = g_strdup_printf (_("Invoice %" PRId64 " paid; change due %s"),
                                 rx_invoice_get_number (invoice), amount);
    }
  else
    message = g_strdup_printf (_("Invoice %" PRId64 " paid"),
                               rx_invoice_get_number (invoice));
  _rx_billing_window_toast (self, message);

  rx_sale_clear (self->sale);
  self->stale = TRUE;
  _rx_billing_window_load_pending (self);
  _rx_billing_window_load_invoices (self);
  _rx_billing_window_load_report (self);
}

static void
dialog_gone_cb (RxBillingWindow *self)
{
  self->dialog = NULL;
  _rx_billing_window_update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->scan_entry));
}

/* Opens the payment dialog for the sale on the till; returns it. */
GtkWindow *
rx_billing_window_pay (RxBillingWindow *self)
{
  RxPayDialog *dialog;

  g_return_val_if_fail (RX_IS_BILLING_WINDOW (self), NULL);

  if (!gtk_widget_is_sensitive (self->pay_button) || self->dialog != NULL)
    return NULL;

  dialog = rx_pay_dialog_new (GTK_WINDOW (self), self->clinic, self->sale, self->till,
                              self->currency, self->digits);
  g_signal_connect_object (dialog, "paid", G_CALLBACK (paid_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_gone_cb), self,
                           G_CONNECT_SWAPPED);
  self->dialog = GTK_WINDOW (dialog);
  _rx_billing_window_update_actions (self);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WINDOW (dialog);
}

static void
pay_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  rx_billing_window_pay (RX_BILLING_WINDOW (widget));
}

static void
clear_sale_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  RxBillingWindow *self = RX_BILLING_WINDOW (widget);

  /* nothing was written, so nothing is lost but the typing */
  rx_sale_clear (self->sale);
  _rx_billing_window_toast (self, _("The sale is cleared; nothing was charged"));
  gtk_widget_grab_focus (GTK_WIDGET (self->scan_entry));
}

static void
find_product_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RxBillingWindow *self = RX_BILLING_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "till");
  gtk_widget_grab_focus (GTK_WIDGET (self->scan_entry));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RxBillingWindow *self = RX_BILLING_WINDOW (widget);

  if (self->clinic != NULL && !rx_clinic_get_locked (self->clinic))
    adw_view_stack_set_visible_child_name (self->view_stack,
                                           g_variant_get_string (parameter, NULL));
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
  RxBillingWindow *self = RX_BILLING_WINDOW (widget);

  if (self->clinic != NULL)
    rx_clinic_lock (self->clinic);
}

void
_rx_billing_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.find-product", NULL,
                                   find_product_action);
  gtk_widget_class_install_action (widget_class, "win.pay", NULL, pay_action);
  gtk_widget_class_install_action (widget_class, "win.clear-sale", NULL, clear_sale_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);

  /* A till is driven from the keyboard: these are the window's own keys. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.find-product", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F12, 0, "win.pay", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "win.pay", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_CONTROL_MASK,
                                       "win.clear-sale", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "win.show-page", "s", "till");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "win.show-page", "s", "invoices");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "win.show-page", "s", "closing");
}

/* Input ---------------------------------------------------------------------------------- */

/* Any input here counts as someone at the till, as in every RxDesk window. */
static gboolean
input_cb (RxBillingWindow *self)
{
  if (self->clinic != NULL)
    rx_clinic_touch (self->clinic);

  return GDK_EVENT_PROPAGATE;
}

void
_rx_billing_window_add_input (RxBillingWindow *self)
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
