/* rx-billing-window-records.c: the billing window's ledger pages: the latest invoices and
 * credit notes, one shown with its lines and payments, refunds (a credit note with a
 * reason, confirmed first), and the day's closing (Z) report with the cash counted. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "rx-billing-window-private.h"
#include "rx-format.h"
#include "rx-printout.h"

static gboolean
is_credit_note (RxInvoice *invoice)
{
  return g_strcmp0 (rx_invoice_get_kind (invoice), "credit_note") == 0;
}

/* The credit note that refunds @invoice, among those listed, or NULL. */
static RxInvoice *
find_credit_note (RxBillingWindow *self,
                  RxInvoice       *invoice)
{
  for (guint i = 0; self->invoices && i < g_list_model_get_n_items (self->invoices); i++)
    {
      g_autoptr(RxInvoice) other = g_list_model_get_item (self->invoices, i);

      if (g_strcmp0 (rx_invoice_get_refers_to_id (other), rx_invoice_get_id (invoice)) == 0)
        return other;
    }

  return NULL;
}

static RxInvoice *
find_listed (RxBillingWindow *self,
             const char      *id)
{
  for (guint i = 0; self->invoices && i < g_list_model_get_n_items (self->invoices); i++)
    {
      g_autoptr(RxInvoice) other = g_list_model_get_item (self->invoices, i);

      if (g_strcmp0 (rx_invoice_get_id (other), id) == 0)
        return other;
    }

  return NULL;
}

static char *
status_text (RxBillingWindow *self,
             RxInvoice       *invoice)
{
  const char *status = rx_invoice_get_status (invoice);

  if (is_credit_note (invoice))
    {
      RxInvoice *original = find_listed (self, rx_invoice_get_refers_to_id (invoice));

      if (original != NULL)
        return g_strdup_printf (_("Credit note, refunds invoice %" PRId64),
                                rx_invoice_get_number (original));
      return g_strdup (_("Credit note"));
    }
  if (find_credit_note (self, invoice) != NULL)
    {
      /* of the one shown, how much came back is known */
      if (self->shown == invoice && self->refundable != NULL)
        return g_strdup (_rx_billing_window_refundable_count (self) > 0
                         ? _("Paid, partly refunded") : _("Refunded in full"));
      return g_strdup_printf (_("Refund on credit note %" PRId64),
                              rx_invoice_get_number (find_credit_note (self, invoice)));
    }
  if (g_str_equal (status, "paid"))
    return g_strdup (_("Paid"));
  if (g_str_equal (status, "issued"))
    return g_strdup (_("Issued, not paid in full"));
  return g_strdup (_("Open: not issued yet"));
}

/* The list of invoices ------------------------------------------------------------------ */

static void
show_invoices (RxBillingWindow *self)
{
  const char *filter = gtk_editable_get_text (GTK_EDITABLE (self->invoice_search));
  guint shown = 0;

  _rx_billing_window_clear_list (self->invoice_list);
  for (guint i = 0; self->invoices && i < g_list_model_get_n_items (self->invoices); i++)
    {
      g_autoptr(RxInvoice) invoice = g_list_model_get_item (self->invoices, i);
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 rx_invoice_get_number (invoice));
      g_autofree char *title = NULL;
      g_autofree char *when = NULL;
      g_autofree char *status = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *total = NULL;
      GtkWidget *row;

      if (*filter != '\0' && !g_str_has_prefix (number, filter))
        continue;

      title = is_credit_note (invoice)
              ? g_strdup_printf (_("Credit note %s"), number)
              : g_strdup_printf (_("Invoice %s"), number);
      when = rx_format_local_time (rx_invoice_get_issued_at (invoice)
                                   ? rx_invoice_get_issued_at (invoice)
                                   : rx_invoice_get_created_at (invoice));
      status = status_text (self, invoice);
      subtitle = g_strdup_printf ("%s · %s", when, status);
      total = _rx_billing_window_money (self, rx_invoice_get_total_minor (invoice));
      row = _rx_billing_window_amount_row (title, subtitle, total, FALSE);
      g_object_set_data_full (G_OBJECT (row), "rx-invoice-id",
                              g_strdup (rx_invoice_get_id (invoice)), g_free);
      gtk_list_box_append (self->invoice_list, row);
      shown++;
    }

  if (shown > 0)
    {
      gtk_stack_set_visible_child_name (self->invoices_stack, "list");
      return;
    }
  adw_status_page_set_icon_name (self->invoices_message_page, "view-list-symbolic");
  adw_status_page_set_title (self->invoices_message_page,
                             *filter ? _("No Invoice Has That Number") : _("No Invoices Yet"));
  adw_status_page_set_description (self->invoices_message_page,
                                   *filter ? _("Check the number on the receipt.")
                                           : _("Sales made on the till show here."));
  gtk_stack_set_visible_child_name (self->invoices_stack, "message");
}

static gpointer
invoices_in_worker (RxDb          *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return rx_invoices_list (db, NULL, RX_BILLING_INVOICE_LIMIT, error);
}

static void
invoices_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) invoices = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxBillingWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_BILLING_WINDOW (user_data);
  _rx_billing_window_set_work (self, &self->invoices_load, NULL);

  if (invoices == NULL)
    {
      adw_status_page_set_icon_name (self->invoices_message_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->invoices_message_page, _("Cannot List Invoices"));
      adw_status_page_set_description (self->invoices_message_page, error->message);
      gtk_stack_set_visible_child_name (self->invoices_stack, "message");
      return;
    }

  g_set_object (&self->invoices, invoices);
  show_invoices (self);
}

void
_rx_billing_window_load_invoices (RxBillingWindow *self)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  if (self->clinic == NULL || rx_clinic_get_locked (self->clinic))
    return;

  _rx_billing_window_set_work (self, &self->invoices_load, cancellable);
  rx_clinic_run_async (self->clinic, invoices_in_worker, NULL, NULL, g_object_unref,
                       cancellable, invoices_loaded_cb, self);
}

static void
invoice_search_cb (RxBillingWindow *self)
{
  show_invoices (self);
}

/* Enter opens the first invoice listed: the number on a receipt, typed, then Enter. */
static void
invoice_search_activated_cb (RxBillingWindow *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->invoice_list, 0);

  if (first != NULL)
    gtk_list_box_select_row (self->invoice_list, first);
}

/* One invoice -------------------------------------------------------------------------- */

typedef struct
{
  RxInvoice *invoice;
  char      *patient_name;
  GArray    *refundable;
} Detail;

static void
detail_free (gpointer data)
{
  Detail *d = data;

  g_clear_object (&d->invoice);
  g_free (d->patient_name);
  g_clear_pointer (&d->refundable, g_array_unref);
  g_free (d);
}

/* How many items of the invoice shown may still be refunded, over all its lines. */
gint64
_rx_billing_window_refundable_count (RxBillingWindow *self)
{
  gint64 sum = 0;

  for (guint i = 0; self->refundable && i < self->refundable->len; i++)
    sum += g_array_index (self->refundable, gint64, i);
  return sum;
}

static gpointer
detail_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Detail *d = g_new0 (Detail, 1);

  d->invoice = rx_invoices_get (db, data, error);
  if (d->invoice == NULL)
    {
      detail_free (d);
      return NULL;
    }
  d->refundable = rx_invoices_dup_refundable (db, d->invoice, error);
  if (d->refundable == NULL)
    {
      detail_free (d);
      return NULL;
    }
  if (rx_invoice_get_patient_id (d->invoice) != NULL)
    {
      g_autoptr(RxPatient) patient = rx_patients_get (db, rx_invoice_get_patient_id (d->invoice),
                                                      NULL);
      if (patient != NULL)
        d->patient_name = rx_patient_dup_display_name (patient);
    }

  return d;
}

static void
show_detail (RxBillingWindow *self)
{
  RxInvoice *inv = self->shown;
  GPtrArray *lines = rx_invoice_get_lines (inv);
  GPtrArray *payments = rx_invoice_get_payments (inv);
  g_autofree char *title = NULL;
  g_autofree char *status = status_text (self, inv);
  g_autofree char *when = rx_format_local_time (rx_invoice_get_issued_at (inv)
                                                ? rx_invoice_get_issued_at (inv)
                                                : rx_invoice_get_created_at (inv));
  g_autofree char *subtitle = NULL;
  g_autofree char *ledger = NULL;

  title = is_credit_note (inv)
          ? g_strdup_printf (_("Credit Note %" PRId64), rx_invoice_get_number (inv))
          : g_strdup_printf (_("Invoice %" PRId64), rx_invoice_get_number (inv));
  gtk_label_set_label (self->detail_title, title);
  subtitle = g_strdup_printf (_("Till %s · %s · %s · %s"), rx_invoice_get_till (inv), when,
                              status,
                              self->shown_patient ? self->shown_patient : _("over the counter"));
  gtk_label_set_label (self->detail_subtitle, subtitle);

  _rx_billing_window_clear_list (self->detail_lines);
  for (guint i = 0; i < lines->len; i++)
    {
      const RxInvoiceLine *l = g_ptr_array_index (lines, i);
      g_autofree char *price = _rx_billing_window_money (self, l->unit_price_minor);
      g_autofree char *rate = rx_format_tax_rate (l->tax_rate_bp);
      g_autofree char *discount = l->discount_minor
                                  ? _rx_billing_window_money (self, l->discount_minor) : NULL;
      g_autofree char *line_sub = discount
        ? g_strdup_printf (_("%" PRId64 " × %s, less %s, tax %s"), l->quantity, price,
                           discount, rate)
        : g_strdup_printf (_("%" PRId64 " × %s, tax %s"), l->quantity, price, rate);
      g_autofree char *total = _rx_billing_window_money (self, l->total_minor);

      gtk_list_box_append (self->detail_lines,
                           _rx_billing_window_amount_row (l->description, line_sub, total,
                                                          FALSE));
    }
  {
    g_autofree char *tax = _rx_billing_window_money (self, rx_invoice_get_tax_minor (inv));
    g_autofree char *total = _rx_billing_window_money (self, rx_invoice_get_total_minor (inv));

    gtk_list_box_append (self->detail_lines,
                         _rx_billing_window_amount_row (_("Of which tax"), NULL, tax, FALSE));
    gtk_list_box_append (self->detail_lines,
                         _rx_billing_window_amount_row (_("Total"), NULL, total, TRUE));
  }

  _rx_billing_window_clear_list (self->detail_payments);
  for (guint i = 0; i < payments->len; i++)
    {
      const RxPayment *p = g_ptr_array_index (payments, i);
      g_autofree char *amount = _rx_billing_window_money (self, p->amount_minor);
      g_autofree char *at = rx_format_local_time (p->at);
      g_autofree char *sub = p->reference ? g_strdup_printf ("%s · %s", at, p->reference)
                                          : g_strdup (at);
      g_autofree char *method = g_strdup_printf (p->amount_minor < 0 ? _("Paid back, %s")
                                                                     : _("Paid by %s"),
                                                 p->method);

      gtk_list_box_append (self->detail_payments,
                           _rx_billing_window_amount_row (method, sub, amount, FALSE));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->detail_payments), payments->len > 0);

  ledger = rx_invoice_get_hash (inv)
           ? g_strdup_printf (_("Ledger link %s, after %s"), rx_invoice_get_hash (inv),
                              rx_invoice_get_prev_hash (inv))
           : g_strdup (_("Not in the ledger yet: it is still open."));
  gtk_label_set_label (self->detail_ledger, ledger);
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
  _rx_billing_window_update_actions (self);
}

static void
detail_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Detail *d = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxBillingWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_BILLING_WINDOW (user_data);
  _rx_billing_window_set_work (self, &self->detail_load, NULL);
  if (d == NULL)
    {
      _rx_billing_window_toast (self, error->message);
      return;
    }

  g_set_object (&self->shown, d->invoice);
  g_free (self->shown_patient);
  self->shown_patient = g_steal_pointer (&d->patient_name);
  g_clear_pointer (&self->refundable, g_array_unref);
  self->refundable = g_steal_pointer (&d->refundable);
  detail_free (d);
  show_detail (self);
}

static void
load_detail (RxBillingWindow *self,
             const char      *invoice_id)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  _rx_billing_window_set_work (self, &self->detail_load, cancellable);
  rx_clinic_run_async (self->clinic, detail_in_worker, g_strdup (invoice_id), g_free,
                       detail_free, cancellable, detail_loaded_cb, self);
}

static void
invoice_selected_cb (RxBillingWindow *self,
                     GtkListBoxRow   *row)
{
  const char *id = row ? g_object_get_data (G_OBJECT (row), "rx-invoice-id") : NULL;

  if (id == NULL || (self->shown && g_str_equal (id, rx_invoice_get_id (self->shown))))
    return;
  load_detail (self, id);
}

/* Shows the invoice with @number on the invoices page; for tests and for the till. */
gboolean
rx_billing_window_show_invoice (RxBillingWindow *self,
                                gint64           number)
{
  g_return_val_if_fail (RX_IS_BILLING_WINDOW (self), FALSE);

  for (guint i = 0; self->invoices && i < g_list_model_get_n_items (self->invoices); i++)
    {
      g_autoptr(RxInvoice) invoice = g_list_model_get_item (self->invoices, i);

      if (rx_invoice_get_number (invoice) == number && !is_credit_note (invoice))
        {
          adw_view_stack_set_visible_child_name (self->view_stack, "invoices");
          load_detail (self, rx_invoice_get_id (invoice));
          return TRUE;
        }
    }

  return FALSE;
}

RxInvoice *
rx_billing_window_get_shown_invoice (RxBillingWindow *self)
{
  g_return_val_if_fail (RX_IS_BILLING_WINDOW (self), NULL);
  return self->shown;
}

/* Refunds ------------------------------------------------------------------------------- */

typedef struct
{
  char   *invoice_id;
  char   *reason;
  GArray *quantities;   /* of gint64, per line */
} Refund;

static void
refund_free (gpointer data)
{
  Refund *r = data;

  g_free (r->invoice_id);
  g_free (r->reason);
  g_clear_pointer (&r->quantities, g_array_unref);
  g_free (r);
}

static gpointer
refund_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Refund *r = data;

  return rx_invoices_refund_partial (db, r->invoice_id, r->reason,
                                     (const gint64 *) (gpointer) r->quantities->data,
                                     r->quantities->len, error);
}

static void
refunded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) note = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxBillingWindow *self;
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_BILLING_WINDOW (user_data);
  _rx_billing_window_set_work (self, &self->writing, NULL);
  if (note == NULL)
    {
      _rx_billing_window_toast (self, error->message);
      return;
    }

  message = g_strdup_printf (_("Credit note %" PRId64 " refunds %s"),
                             rx_invoice_get_number (note),
                             gtk_label_get_label (self->detail_title));
  _rx_billing_window_toast (self, message);
  /* the list learns of the credit note, and the page shows it */
  g_clear_object (&self->shown);
  _rx_billing_window_load_invoices (self);
  _rx_billing_window_load_report (self);
  load_detail (self, rx_invoice_get_id (note));
}

/* How many of each line the question says to take back. */
static GArray *
chosen_quantities (AdwMessageDialog *dialog)
{
  GPtrArray *spins = g_object_get_data (G_OBJECT (dialog), "rx-spins");
  GArray *quantities = g_array_new (FALSE, TRUE, sizeof (gint64));

  for (guint i = 0; spins != NULL && i < spins->len; i++)
    {
      GtkSpinButton *spin = g_ptr_array_index (spins, i);
      gint64 q = spin ? gtk_spin_button_get_value_as_int (spin) : 0;

      g_array_append_val (quantities, q);
    }

  return quantities;
}

static void
refund_changed_cb (AdwMessageDialog *dialog)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "rx-reason");
  g_autofree char *clean = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GArray) quantities = chosen_quantities (dialog);
  gint64 any = 0;

  for (guint i = 0; i < quantities->len; i++)
    any += g_array_index (quantities, gint64, i);
  adw_message_dialog_set_response_enabled (dialog, "refund", *clean != '\0' && any > 0);
}

static void
refund_answered_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    RxBillingWindow  *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "rx-reason");
  g_autoptr(GCancellable) cancellable = NULL;
  Refund *r;

  if (!g_str_equal (response, "refund") || self->shown == NULL)
    return;

  r = g_new0 (Refund, 1);
  r->invoice_id = g_strdup (rx_invoice_get_id (self->shown));
  r->reason = g_strdup (gtk_editable_get_text (entry));
  r->quantities = chosen_quantities (dialog);
  cancellable = g_cancellable_new ();
  _rx_billing_window_set_work (self, &self->writing, cancellable);
  /* the question closes; the cursor goes back where the next invoice is looked for */
  gtk_widget_grab_focus (GTK_WIDGET (self->invoice_search));
  rx_clinic_run_async (self->clinic, refund_in_worker, r, refund_free, g_object_unref,
                       cancellable, refunded_cb, self);
}

static void
dialog_gone_cb (RxBillingWindow *self)
{
  self->dialog = NULL;
}

/* Asks, with the reason, before refunding the invoice shown; returns the question. */
GtkWindow *
rx_billing_window_refund (RxBillingWindow *self)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry, *box, *list;
  GPtrArray *spins, *lines;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (RX_IS_BILLING_WINDOW (self), NULL);

  if (self->shown == NULL || self->dialog != NULL || self->refundable == NULL ||
      _rx_billing_window_refundable_count (self) == 0)
    return NULL;
  lines = rx_invoice_get_lines (self->shown);

  heading = g_strdup_printf (_("Refund Invoice %" PRId64 "?"),
                             rx_invoice_get_number (self->shown));
  body = g_strdup (_("A credit note is issued for what comes back, and the money goes back "
                     "the way it was paid. The invoice itself stays as it is. This cannot "
                     "be undone."));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "refund", _("_Refund"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "refund",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (dialog, "refund", FALSE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason, e.g. wrong strength sold"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason for the refund"), -1);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (refund_changed_cb), dialog);
  gtk_box_append (GTK_BOX (box), entry);
  g_object_set_data (G_OBJECT (dialog), "rx-reason", entry);

  /* how many of each line come back: all that is left, unless fewer are chosen */
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("What comes back"), -1);
  spins = g_ptr_array_new ();
  for (guint i = 0; i < lines->len; i++)
    {
      const RxInvoiceLine *l = g_ptr_array_index (lines, i);
      gint64 left = i < self->refundable->len ? g_array_index (self->refundable, gint64, i) : 0;
      g_autofree char *subtitle = NULL;
      g_autofree char *name = NULL;
      GtkWidget *row, *spin;

      if (left <= 0)
        {
          g_ptr_array_add (spins, NULL);
          continue;
        }
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), l->description);
      subtitle = g_strdup_printf (_("%" PRId64 " sold, %" PRId64
                                    " can come back"), l->quantity, left);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      spin = gtk_spin_button_new_with_range (0, left, 1);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), left);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      name = g_strdup_printf (_("How many of %s come back"), l->description);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      g_signal_connect_swapped (spin, "value-changed", G_CALLBACK (refund_changed_cb), dialog);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_ptr_array_add (spins, spin);
    }
  g_object_set_data_full (G_OBJECT (dialog), "rx-spins", spins,
                          (GDestroyNotify) g_ptr_array_unref);
  gtk_box_append (GTK_BOX (box), list);
  adw_message_dialog_set_extra_child (dialog, box);

  g_signal_connect_object (dialog, "response", G_CALLBACK (refund_answered_cb), self, 0);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_gone_cb), self,
                           G_CONNECT_SWAPPED);
  self->dialog = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);

  return GTK_WINDOW (dialog);
}

/* The day's closing -------------------------------------------------------------------- */

/* The day's report, and whether the ledger still holds together. */
typedef struct
{
  RxDailyReport *report;
  char          *ledger_problem;  /* NULL: every invoice links to the one before it */
} Closing;

static void
report_free (gpointer data)
{
  rx_daily_report_clear (data);
  g_free (data);
}

static void
closing_free (gpointer data)
{
  Closing *c = data;

  g_clear_pointer (&c->report, report_free);
  g_free (c->ledger_problem);
  g_free (c);
}

static gpointer
report_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Closing *c = g_new0 (Closing, 1);
  g_autoptr(GError) broken = NULL;

  c->report = g_new0 (RxDailyReport, 1);
  if (!rx_report_daily (db, NULL, NULL, NULL, c->report, error))
    {
      g_clear_pointer (&c->report, g_free);
      closing_free (c);
      return NULL;
    }

  /* The closing is when the ledger is checked: every issued invoice must still link to
   * the one before it on its till, or someone changed it. */
  if (!rx_invoices_verify_chain (db, NULL, NULL, &broken))
    c->ledger_problem = g_strdup (broken->message);

  return c;
}

static void
update_difference (RxBillingWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->counted_row));
  gint64 counted = 0;

  if (self->report == NULL)
    return;

  if (*text == '\0')
    {
      gtk_label_set_label (self->difference_label, _("Enter the cash counted"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->counted_row), "error");
    }
  else if (!rx_sale_parse_money (text, self->digits, &counted))
    {
      g_autofree char *problem = g_strdup_printf (_("“%s” is not an amount"), text);

      gtk_label_set_label (self->difference_label, problem);
      gtk_widget_add_css_class (GTK_WIDGET (self->counted_row), "error");
    }
  else
    {
      gint64 difference = counted - self->report->expected_cash_minor;
      g_autofree char *amount = _rx_billing_window_money (self, ABS (difference));
      g_autofree char *label = difference == 0 ? g_strdup (_("None: the drawer is right"))
                               : difference > 0 ? g_strdup_printf (_("%s over"), amount)
                                                : g_strdup_printf (_("%s short"), amount);

      gtk_label_set_label (self->difference_label, label);
      gtk_widget_remove_css_class (GTK_WIDGET (self->counted_row), "error");
    }
}

static void
counted_changed_cb (RxBillingWindow *self)
{
  update_difference (self);
}

static void
add_amount (RxBillingWindow *self,
            GtkListBox      *list,
            const char      *title,
            const char      *subtitle,
            gint64           minor,
            gboolean         strong)
{
  g_autofree char *amount = _rx_billing_window_money (self, minor);

  gtk_list_box_append (list, _rx_billing_window_amount_row (title, subtitle, amount, strong));
}

static void
show_report (RxBillingWindow *self)
{
  const RxDailyReport *r = self->report;
  g_autofree char *date = rx_format_date (r->date);
  g_autofree char *title = g_strdup_printf (_("Closing for %s, every till"), date);
  g_autofree char *expected = _rx_billing_window_money (self, r->expected_cash_minor);
  g_autofree char *sales = NULL;
  g_autofree char *refunds = NULL;

  gtk_label_set_label (self->closing_title, title);
  gtk_label_set_label (self->expected_label, expected);

  _rx_billing_window_clear_list (self->sales_list);
  {
    GtkWidget *row = adw_action_row_new ();
    GtkWidget *icon = gtk_image_new_from_icon_name (self->ledger_problem
                                                    ? "dialog-warning-symbolic"
                                                    : "emblem-ok-symbolic");
    const char *subtitle = self->ledger_problem
                           ? self->ledger_problem
                           : _("Every invoice still links to the one before it");
    g_autofree char *name = g_strdup_printf ("%s: %s", self->ledger_problem
                                             ? _("Ledger broken") : _("Ledger intact"),
                                             subtitle);

    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                   self->ledger_problem ? _("Ledger broken") : _("Ledger intact"));
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    if (self->ledger_problem != NULL)
      gtk_widget_add_css_class (icon, "error");
    else
      gtk_widget_add_css_class (icon, "success");
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
    gtk_list_box_append (self->sales_list, row);
  }
  sales = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u invoice", "%u invoices",
                                        r->invoices), r->invoices);
  refunds = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u credit note", "%u credit notes",
                                          r->credit_notes), r->credit_notes);
  add_amount (self, self->sales_list, _("Sales"), sales, r->sales_gross_minor, FALSE);
  add_amount (self, self->sales_list, _("Refunds"), refunds, r->refunds_gross_minor, FALSE);
  add_amount (self, self->sales_list, _("Discounts given"), NULL, r->discount_minor, FALSE);
  add_amount (self, self->sales_list, _("Tax"), NULL, r->total_tax_minor, FALSE);
  add_amount (self, self->sales_list, _("Total taken"), NULL, r->total_gross_minor, TRUE);
  if (r->outstanding_minor != 0)
    add_amount (self, self->sales_list, _("Still owed on today's invoices"), NULL,
                r->outstanding_minor, FALSE);

  _rx_billing_window_clear_list (self->methods_list);
  for (guint i = 0; i < r->payments->len; i++)
    {
      const RxMethodTotal *m = &g_array_index (r->payments, RxMethodTotal, i);
      g_autofree char *name = g_strdup (m->method);
      g_autofree char *back = _rx_billing_window_money (self, -m->paid_back_minor);
      g_autofree char *sub = NULL;

      name[0] = g_ascii_toupper (name[0]);
      sub = m->paid_back_minor != 0
            ? g_strdup_printf (_("%u payments, %s paid back"), m->count, back)
            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u payment", "%u payments",
                                            m->count), m->count);
      add_amount (self, self->methods_list, name, sub, m->net_minor, FALSE);
    }
  add_amount (self, self->methods_list, _("All methods"), NULL, r->payments_minor, TRUE);

  _rx_billing_window_clear_list (self->rates_list);
  for (guint i = 0; i < r->tax_rates->len; i++)
    {
      const RxTaxTotal *t = &g_array_index (r->tax_rates, RxTaxTotal, i);
      g_autofree char *rate = rx_format_tax_rate (t->rate_bp);
      g_autofree char *name = g_strdup_printf (_("Tax at %s"), rate);
      g_autofree char *net = _rx_billing_window_money (self, t->net_minor);
      g_autofree char *gross = _rx_billing_window_money (self, t->gross_minor);
      g_autofree char *sub = g_strdup_printf (_("on %s net, %s with tax"), net, gross);

      add_amount (self, self->rates_list, name, sub, t->tax_minor, FALSE);
    }
  if (r->tax_rates->len == 0)
    add_amount (self, self->rates_list, _("Nothing sold yet today"), NULL, 0, FALSE);

  update_difference (self);
  gtk_stack_set_visible_child_name (self->closing_stack, "report");
  _rx_billing_window_update_actions (self);
}

static void
report_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Closing *c = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxBillingWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_BILLING_WINDOW (user_data);
  _rx_billing_window_set_work (self, &self->report_load, NULL);
  if (c == NULL)
    {
      adw_status_page_set_description (self->closing_error_page, error->message);
      gtk_stack_set_visible_child_name (self->closing_stack, "error");
      return;
    }

  g_clear_pointer (&self->report, report_free);
  self->report = g_steal_pointer (&c->report);
  g_free (self->ledger_problem);
  self->ledger_problem = g_steal_pointer (&c->ledger_problem);
  closing_free (c);
  show_report (self);
}

void
_rx_billing_window_load_report (RxBillingWindow *self)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  if (self->clinic == NULL || rx_clinic_get_locked (self->clinic))
    return;

  _rx_billing_window_set_work (self, &self->report_load, cancellable);
  rx_clinic_run_async (self->clinic, report_in_worker, NULL, NULL, closing_free, cancellable,
                       report_loaded_cb, self);
}

/* The Z report as printed, or NULL before it is counted. */
static RxPrintout *
new_z_report (RxBillingWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->counted_row));
  gint64 counted = 0;
  gboolean have = rx_sale_parse_money (text, self->digits, &counted);

  RxPrintout *printout;

  if (self->report == NULL)
    return NULL;
  printout = rx_printout_new_z_report (self->report, rx_clinic_get_name (self->clinic),
                                       self->digits, counted, have);
  rx_printout_add_rule (printout);
  rx_printout_add_text (printout, self->ledger_problem
                                  ? self->ledger_problem
                                  : _("Ledger intact: every invoice links to the one before it"),
                        self->ledger_problem != NULL);
  return printout;
}

gboolean
rx_billing_window_get_report (RxBillingWindow      *self,
                              const RxDailyReport **report)
{
  g_return_val_if_fail (RX_IS_BILLING_WINDOW (self), FALSE);

  *report = self->report;
  return self->report != NULL;
}

void
rx_billing_window_set_counted_cash (RxBillingWindow *self,
                                    const char      *text)
{
  g_return_if_fail (RX_IS_BILLING_WINDOW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->counted_row), text);
}

const char *
rx_billing_window_get_difference (RxBillingWindow *self)
{
  g_return_val_if_fail (RX_IS_BILLING_WINDOW (self), NULL);
  return gtk_label_get_label (self->difference_label);
}

char *
rx_billing_window_dup_report_text (RxBillingWindow *self)
{
  g_autoptr(RxPrintout) printout = NULL;

  g_return_val_if_fail (RX_IS_BILLING_WINDOW (self), NULL);

  printout = new_z_report (self);
  return printout ? rx_printout_dup_text (printout) : NULL;
}

/* Actions of these pages --------------------------------------------------------------- */

static RxPrintout *
shown_receipt (RxBillingWindow *self)
{
  return rx_printout_new_receipt (self->shown, rx_clinic_get_name (self->clinic),
                                  self->shown_patient, self->digits, 0);
}

static void
refund_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  rx_billing_window_refund (RX_BILLING_WINDOW (widget));
}

static void
print_invoice_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RxBillingWindow *self = RX_BILLING_WINDOW (widget);

  if (self->shown != NULL)
    rx_printout_print (shown_receipt (self), GTK_WINDOW (self));
}

static void
save_invoice_pdf_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  RxBillingWindow *self = RX_BILLING_WINDOW (widget);
  g_autofree char *name = NULL;

  if (self->shown == NULL)
    return;
  name = g_strdup_printf ("%s-%s-%" G_GINT64_FORMAT ".pdf",
                          is_credit_note (self->shown) ? "credit-note" : "receipt",
                          rx_invoice_get_till (self->shown), rx_invoice_get_number (self->shown));
  rx_printout_ask_save_pdf (shown_receipt (self), GTK_WINDOW (self), name,
                            _rx_billing_window_report);
}

static void
refresh_report_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  _rx_billing_window_load_report (RX_BILLING_WINDOW (widget));
}

static void
print_report_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RxBillingWindow *self = RX_BILLING_WINDOW (widget);
  RxPrintout *printout = new_z_report (self);

  if (printout != NULL)
    rx_printout_print (printout, GTK_WINDOW (self));
}

static void
save_report_pdf_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  RxBillingWindow *self = RX_BILLING_WINDOW (widget);
  RxPrintout *printout = new_z_report (self);
  g_autofree char *name = NULL;

  if (printout == NULL)
    return;
  name = g_strdup_printf ("z-report-%s.pdf", self->report->date);
  rx_printout_ask_save_pdf (printout, GTK_WINDOW (self), name, _rx_billing_window_report);
}

void
_rx_billing_window_records_stop (RxBillingWindow *self)
{
  _rx_billing_window_set_work (self, &self->invoices_load, NULL);
  _rx_billing_window_set_work (self, &self->detail_load, NULL);
  _rx_billing_window_set_work (self, &self->report_load, NULL);
  /* a refund under way is not cancelled: it completes or fails as one transaction */
}

void
_rx_billing_window_class_add_records (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, invoice_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, invoice_search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, invoice_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, counted_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.refund", NULL, refund_action);
  gtk_widget_class_install_action (widget_class, "win.print-invoice", NULL,
                                   print_invoice_action);
  gtk_widget_class_install_action (widget_class, "win.save-invoice-pdf", NULL,
                                   save_invoice_pdf_action);
  gtk_widget_class_install_action (widget_class, "win.refresh-report", NULL,
                                   refresh_report_action);
  gtk_widget_class_install_action (widget_class, "win.print-report", NULL,
                                   print_report_action);
  gtk_widget_class_install_action (widget_class, "win.save-report-pdf", NULL,
                                   save_report_pdf_action);
}
