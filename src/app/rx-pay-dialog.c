/* rx-pay-dialog.c: the payment dialog. Payments are only gathered here; "Complete Sale"
 * writes the lines, the issued invoice and every payment in one transaction on the clinic's
 * worker, so a sale is either paid in full or not written at all. A split takes each part
 * in turn; only the last may be cash beyond what is owed, which is the change. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "rx-a11y.h"
#include "rx-format.h"
#include "rx-pay-dialog.h"

static const char * const methods[] = { "cash", "card", "insurance" };

typedef struct
{
  char   *method;
  gint64  amount;
  char   *reference;
} Taken;

struct _RxPayDialog
{
  AdwWindow       parent_instance;

  RxClinic       *clinic;
  RxSale         *sale;
  char           *till;
  char           *currency;
  guint           digits;
  gint64          total;
  GArray         *taken;        /* of Taken */
  GCancellable   *cancellable;  /* the sale being written */
  RxInvoice      *invoice;      /* once paid */
  gint64          change;
  gboolean        disposed;     /* closed (the clinic locked) while the sale was written */

  GtkWidget      *cancel_button;
  GtkWidget      *finish_button;
  GtkStack       *stack;
  GtkLabel       *due_label;
  GtkWidget      *taken_group;
  GtkListBox     *taken_list;
  AdwComboRow    *method_row;
  AdwEntryRow    *amount_row;
  AdwEntryRow    *reference_row;
  GtkWidget      *add_button;
  GtkLabel       *status_label;
  GtkLabel       *error_label;
  AdwStatusPage  *done_page;
  GtkLabel       *change_label;
};

G_DEFINE_FINAL_TYPE (RxPayDialog, rx_pay_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PAID,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
taken_clear (gpointer data)
{
  Taken *t = data;

  g_free (t->method);
  g_free (t->reference);
}

static char *
money (RxPayDialog *self,
       gint64       minor)
{
  return rx_format_money (minor, self->digits, self->currency);
}

static const char *
current_method (RxPayDialog *self)
{
  guint i = adw_combo_row_get_selected (self->method_row);

  return methods[MIN (i, G_N_ELEMENTS (methods) - 1)];
}

static gint64
taken_sum (RxPayDialog *self)
{
  gint64 sum = 0;

  for (guint i = 0; i < self->taken->len; i++)
    sum += g_array_index (self->taken, Taken, i).amount;
  return sum;
}

/* What is typed now, as a payment: FALSE with @problem set when it cannot be one. */
static gboolean
current_payment (RxPayDialog  *self,
                 gint64       *amount,
                 char        **problem)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->amount_row));
  const char *reference = gtk_editable_get_text (GTK_EDITABLE (self->reference_row));
  const char *method = current_method (self);
  gint64 remaining = self->total - taken_sum (self);

  *amount = 0;
  *problem = NULL;
  if (!rx_sale_parse_money (text, self->digits, amount))
    {
      if (*text != '\0')
        *problem = g_strdup_printf (_("“%s” is not an amount; type it like 12.50"), text);
      return FALSE;
    }
  if (*amount == 0)
    {
      *problem = g_strdup (_("Type an amount above 0"));
      return FALSE;
    }
  if (!g_str_equal (method, "cash") && *amount > remaining)
    {
      g_autofree char *owed = money (self, remaining);
      *problem = g_strdup_printf (_("A %s payment cannot be more than the %s still owed"),
                                  method, owed);
      return FALSE;
    }
  if (g_str_equal (method, "insurance"))
    {
      g_autofree char *clean = g_strstrip (g_strdup (reference));

      if (*clean == '\0')
        {
          *problem = g_strdup (_("Enter the insurance claim reference"));
          return FALSE;
        }
    }

  return TRUE;
}

static void
update (RxPayDialog *self)
{
  gint64 remaining = self->total - taken_sum (self);
  g_autofree char *due = money (self, remaining);
  g_autofree char *problem = NULL;
  g_autofree char *status = NULL;
  gboolean busy = self->cancellable != NULL;
  gboolean valid;
  gint64 amount;

  gtk_label_set_label (self->due_label, due);
  valid = current_payment (self, &amount, &problem);

  if (!valid)
    status = problem ? g_strdup (problem) : g_strdup (_("Type the amount received"));
  else if (amount >= remaining)
    {
      g_autofree char *change = money (self, amount - remaining);
      status = amount > remaining ? g_strdup_printf (_("Change due %s"), change)
                                  : g_strdup (_("Paid in full"));
    }
  else
    {
      g_autofree char *left = money (self, remaining - amount);
      status = g_strdup_printf (_("Still to pay after this: %s"), left);
    }
  gtk_label_set_label (self->status_label, status);
  gtk_widget_set_sensitive (self->finish_button, !busy && valid && amount >= remaining);
  gtk_widget_set_sensitive (self->add_button, !busy && valid && amount < remaining);
  gtk_widget_set_visible (self->taken_group, self->taken->len > 0);
}

static void
method_changed_cb (RxPayDialog *self)
{
  const char *method = current_method (self);

  gtk_widget_set_visible (GTK_WIDGET (self->reference_row), !g_str_equal (method, "cash"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->reference_row),
                                 g_str_equal (method, "insurance")
                                 ? _("Claim Reference") : _("Card Slip Number (optional)"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->amount_row),
                                 g_str_equal (method, "cash")
                                 ? _("Amount Tendered") : _("Amount"));
  update (self);
}

static void
amount_changed_cb (RxPayDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  update (self);
}

static void
prefill_remaining (RxPayDialog *self)
{
  g_autofree char *text = rx_format_money (self->total - taken_sum (self), self->digits, NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->amount_row), text);
  gtk_editable_set_text (GTK_EDITABLE (self->reference_row), "");
}

static void remove_taken_cb (GtkButton   *button,
                             RxPayDialog *self);

/* The rows are rebuilt from the list, so that each button knows its payment. */
static void
show_taken (RxPayDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->taken_list))) != NULL)
    gtk_list_box_remove (self->taken_list, child);
  for (guint i = 0; i < self->taken->len; i++)
    {
      Taken *t = &g_array_index (self->taken, Taken, i);
      g_autofree char *amount = money (self, t->amount);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *name = g_strdup_printf (_("Remove the %s payment of %s"), t->method,
                                               amount);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), t->method);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), t->reference ? t->reference : "");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_label_new (amount));
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      g_object_set_data (G_OBJECT (remove), "rx-index", GUINT_TO_POINTER (i));
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_taken_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->taken_list, row);
    }
  prefill_remaining (self);
  update (self);
}

static void
remove_taken_cb (GtkButton   *button,
                 RxPayDialog *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "rx-index"));

  if (self->cancellable != NULL || index >= self->taken->len)
    return;

  g_array_remove_index (self->taken, index);
  show_taken (self);
}

/* Keeps what is typed as one part of a split payment, and asks for the next. */
gboolean
rx_pay_dialog_add_payment (RxPayDialog *self)
{
  g_autofree char *problem = NULL;
  const char *reference;
  gint64 amount;
  Taken t;

  g_return_val_if_fail (RX_IS_PAY_DIALOG (self), FALSE);

  if (self->cancellable != NULL || !current_payment (self, &amount, &problem) ||
      amount >= self->total - taken_sum (self))
    return FALSE;

  reference = gtk_editable_get_text (GTK_EDITABLE (self->reference_row));
  t.method = g_strdup (current_method (self));
  t.amount = amount;
  t.reference = g_str_equal (t.method, "cash") || *reference == '\0'
                ? NULL : g_strstrip (g_strdup (reference));
  g_array_append_val (self->taken, t);

  show_taken (self);
  /* The rest is often on another method: card first, then cash. */
  adw_combo_row_set_selected (self->method_row, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->amount_row));
  return TRUE;
}

static void
add_payment_cb (RxPayDialog *self)
{
  rx_pay_dialog_add_payment (self);
}

/* Writing the sale --------------------------------------------------------------------------- */

typedef struct
{
  char                *invoice_id;
  char                *till;
  RxInvoiceLineFields *lines;
  guint                n_lines;
  RxPaymentFields     *payments;
  guint                n_payments;
} Checkout;

typedef struct
{
  RxInvoice *invoice;
  gint64     change;
} Outcome;

static void
checkout_free (gpointer data)
{
  Checkout *c = data;

  for (guint i = 0; i < c->n_lines; i++)
    {
      g_free ((char *) c->lines[i].product_id);
      g_free ((char *) c->lines[i].description);
      g_free ((char *) c->lines[i].reference_kind);
      g_free ((char *) c->lines[i].reference_id);
    }
  for (guint i = 0; i < c->n_payments; i++)
    {
      g_free ((char *) c->payments[i].method);
      g_free ((char *) c->payments[i].reference);
    }
  g_free (c->lines);
  g_free (c->payments);
  g_free (c->invoice_id);
  g_free (c->till);
  g_free (c);
}

static void
outcome_free (gpointer data)
{
  Outcome *o = data;

  g_clear_object (&o->invoice);
  g_free (o);
}

static gpointer
checkout_in_worker (RxDb          *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  Checkout *c = data;
  Outcome *o = g_new0 (Outcome, 1);

  o->invoice = rx_invoices_checkout (db, c->invoice_id, c->till, c->lines, c->n_lines,
                                     c->payments, c->n_payments, &o->change, error);
  if (o->invoice == NULL)
    {
      outcome_free (o);
      return NULL;
    }

  return o;
}

static void
set_busy (RxPayDialog  *self,
          GCancellable *cancellable)
{
  g_set_object (&self->cancellable, cancellable);
  /* GTK 4.8 leaves the cursor of a text row blinking when the row turns insensitive under
   * it; the focus leaves first. */
  if (cancellable != NULL)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->method_row), cancellable == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->amount_row), cancellable == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reference_row), cancellable == NULL);
  update (self);
  if (cancellable == NULL && self->invoice == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->amount_row));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
checked_out_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RxPayDialog) held = user_data;
  g_autoptr(GError) error = NULL;
  Outcome *o = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxPayDialog *self = held;
  g_autofree char *title = NULL;
  g_autofree char *change = NULL;

  /* Gone from screen meanwhile (the clinic locked): the sale is written all the same, and
   * the till still has to hear of it. */
  if (self->disposed)
    {
      if (o != NULL)
        g_signal_emit (self, signals[PAID], 0, o->invoice, o->change);
      g_clear_pointer (&o, outcome_free);
      return;
    }
  set_busy (self, NULL);

  if (o == NULL)
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  self->invoice = g_steal_pointer (&o->invoice);
  self->change = o->change;
  outcome_free (o);

  title = g_strdup_printf (_("Invoice %" PRId64 " Is Paid"),
                           rx_invoice_get_number (self->invoice));
  adw_status_page_set_title (self->done_page, title);
  change = money (self, self->change);
  if (self->change > 0)
    {
      g_autofree char *text = g_strdup_printf (_("Change due %s"), change);
      gtk_label_set_label (self->change_label, text);
    }
  else
    gtk_label_set_label (self->change_label, _("No change due"));
  gtk_widget_set_visible (self->finish_button, FALSE);
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "done");
  gtk_window_set_title (GTK_WINDOW (self), _("Sale Complete"));
  gtk_window_set_default_widget (GTK_WINDOW (self), NULL);

  g_signal_emit (self, signals[PAID], 0, self->invoice, self->change);
}

/* Writes the sale with the payments taken and the one typed now, which must cover it. */
gboolean
rx_pay_dialog_finish (RxPayDialog *self)
{
  g_autofree char *problem = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autofree RxInvoiceLineFields *lines = NULL;
  RxInvoice *open;
  Checkout *c;
  const char *reference;
  gint64 amount;
  guint n_lines = 0;

  g_return_val_if_fail (RX_IS_PAY_DIALOG (self), FALSE);

  if (self->cancellable != NULL || self->invoice != NULL ||
      !current_payment (self, &amount, &problem) ||
      amount < self->total - taken_sum (self))
    return FALSE;

  c = g_new0 (Checkout, 1);
  open = rx_sale_get_invoice (self->sale);
  c->invoice_id = open ? g_strdup (rx_invoice_get_id (open)) : NULL;
  c->till = g_strdup (self->till);

  lines = rx_sale_dup_new_lines (self->sale, &n_lines);
  c->lines = g_new0 (RxInvoiceLineFields, n_lines + 1);
  c->n_lines = n_lines;
  for (guint i = 0; i < n_lines; i++)
    {
      c->lines[i] = lines[i];
      c->lines[i].product_id = g_strdup (lines[i].product_id);
      c->lines[i].description = g_strdup (lines[i].description);
      c->lines[i].reference_kind = g_strdup (lines[i].reference_kind);
      c->lines[i].reference_id = g_strdup (lines[i].reference_id);
    }

  c->n_payments = self->taken->len + 1;
  c->payments = g_new0 (RxPaymentFields, c->n_payments);
  for (guint i = 0; i < self->taken->len; i++)
    {
      Taken *t = &g_array_index (self->taken, Taken, i);

      c->payments[i].method = g_strdup (t->method);
      c->payments[i].amount_minor = t->amount;
      c->payments[i].reference = g_strdup (t->reference);
    }
  reference = gtk_editable_get_text (GTK_EDITABLE (self->reference_row));
  c->payments[self->taken->len].method = g_strdup (current_method (self));
  c->payments[self->taken->len].amount_minor = amount;
  c->payments[self->taken->len].reference =
    g_str_equal (current_method (self), "cash") || *reference == '\0'
    ? NULL : g_strstrip (g_strdup (reference));

  cancellable = g_cancellable_new ();
  set_busy (self, cancellable);
  /* Not cancelled by anything: once asked, the sale is written or refused as a whole, and
   * the answer must reach the till even if this dialog is gone by then. */
  rx_clinic_run_async (self->clinic, checkout_in_worker, c, checkout_free, outcome_free,
                       NULL, checked_out_cb, g_object_ref (self));
  return TRUE;
}

static void
finish_cb (RxPayDialog *self)
{
  rx_pay_dialog_finish (self);
}

static void
amount_activated_cb (RxPayDialog *self)
{
  if (gtk_widget_get_sensitive (self->finish_button))
    rx_pay_dialog_finish (self);
}

static void
cancel_cb (RxPayDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

/* The receipt -------------------------------------------------------------------------------- */

RxPrintout *
rx_pay_dialog_dup_receipt (RxPayDialog *self)
{
  g_return_val_if_fail (RX_IS_PAY_DIALOG (self), NULL);
  g_return_val_if_fail (self->invoice != NULL, NULL);

  return rx_printout_new_receipt (self->invoice, rx_clinic_get_name (self->clinic),
                                  rx_sale_get_patient_name (self->sale), self->digits,
                                  self->change);
}

static void
print_cb (RxPayDialog *self)
{
  rx_printout_print (rx_pay_dialog_dup_receipt (self), GTK_WINDOW (self));
}

static void
report_cb (GtkWindow  *window,
           const char *message)
{
  AdwStatusPage *page = RX_PAY_DIALOG (window)->done_page;

  adw_status_page_set_description (page, message);
}

static void
pdf_cb (RxPayDialog *self)
{
  g_autofree char *name = g_strdup_printf ("receipt-%s-%" G_GINT64_FORMAT ".pdf",
                                           rx_invoice_get_till (self->invoice),
                                           rx_invoice_get_number (self->invoice));

  rx_printout_ask_save_pdf (rx_pay_dialog_dup_receipt (self), GTK_WINDOW (self), name,
                            report_cb);
}

/* Public API ---------------------------------------------------------------------------------- */

/**
 * rx_pay_dialog_new:
 * @sale: the sale to take payment for; it must not change while the dialog is open
 * @till: the till a new invoice is numbered on
 *
 * Returns: (transfer none): the dialog, modal on @parent
 */
RxPayDialog *
rx_pay_dialog_new (GtkWindow  *parent,
                   RxClinic   *clinic,
                   RxSale     *sale,
                   const char *till,
                   const char *currency,
                   guint       minor_digits)
{
  RxPayDialog *self;

  g_return_val_if_fail (RX_IS_CLINIC (clinic), NULL);
  g_return_val_if_fail (RX_IS_SALE (sale), NULL);

  self = g_object_new (RX_TYPE_PAY_DIALOG, "transient-for", parent, NULL);
  self->clinic = g_object_ref (clinic);
  self->sale = g_object_ref (sale);
  self->till = g_strdup (till);
  self->currency = g_strdup (currency);
  self->digits = minor_digits;
  self->total = rx_sale_get_total_minor (sale);

  prefill_remaining (self);
  method_changed_cb (self);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->finish_button);
  gtk_widget_grab_focus (GTK_WIDGET (self->amount_row));

  return self;
}

gboolean
rx_pay_dialog_get_busy (RxPayDialog *self)
{
  g_return_val_if_fail (RX_IS_PAY_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

/* "pay", or "done" once the sale is written. */
const char *
rx_pay_dialog_get_page (RxPayDialog *self)
{
  g_return_val_if_fail (RX_IS_PAY_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

void
rx_pay_dialog_set_method (RxPayDialog *self,
                          const char  *method)
{
  g_return_if_fail (RX_IS_PAY_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (g_strcmp0 (methods[i], method) == 0)
      adw_combo_row_set_selected (self->method_row, i);
}

void
rx_pay_dialog_set_amount (RxPayDialog *self,
                          const char  *text)
{
  g_return_if_fail (RX_IS_PAY_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->amount_row), text);
}

void
rx_pay_dialog_set_reference (RxPayDialog *self,
                             const char  *text)
{
  g_return_if_fail (RX_IS_PAY_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->reference_row), text);
}

/* The last refusal from the clinic, or NULL. */
const char *
rx_pay_dialog_get_error (RxPayDialog *self)
{
  g_return_val_if_fail (RX_IS_PAY_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_label (self->error_label) : NULL;
}

/* What the dialog says about the amount typed: still to pay, paid in full, change due. */
const char *
rx_pay_dialog_get_status (RxPayDialog *self)
{
  g_return_val_if_fail (RX_IS_PAY_DIALOG (self), NULL);
  return gtk_label_get_label (self->status_label);
}

RxInvoice *
rx_pay_dialog_get_invoice (RxPayDialog *self)
{
  g_return_val_if_fail (RX_IS_PAY_DIALOG (self), NULL);
  return self->invoice;
}

gint64
rx_pay_dialog_get_change_due (RxPayDialog *self)
{
  g_return_val_if_fail (RX_IS_PAY_DIALOG (self), 0);
  return self->change;
}

/* GObject -------------------------------------------------------------------------------------- */

static void
rx_pay_dialog_dispose (GObject *object)
{
  RxPayDialog *self = (RxPayDialog *) object;

  self->disposed = TRUE;
  g_clear_object (&self->cancellable);
  /* A text row losing its window while its cursor blinks never hears focus leave it. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_PAY_DIALOG);
  g_clear_object (&self->clinic);
  g_clear_object (&self->sale);
  g_clear_object (&self->invoice);
  g_clear_pointer (&self->taken, g_array_unref);
  g_clear_pointer (&self->till, g_free);
  g_clear_pointer (&self->currency, g_free);

  G_OBJECT_CLASS (rx_pay_dialog_parent_class)->dispose (object);
}

static void
rx_pay_dialog_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RxPayDialog *self = RX_PAY_DIALOG (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, rx_pay_dialog_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* While the sale is written the dialog stays: it is a moment, and its answer matters. */
static gboolean
rx_pay_dialog_close_request (GtkWindow *window)
{
  if (rx_pay_dialog_get_busy (RX_PAY_DIALOG (window)))
    return GDK_EVENT_STOP;

  return GTK_WINDOW_CLASS (rx_pay_dialog_parent_class)->close_request (window);
}

static void
rx_pay_dialog_class_init (RxPayDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  window_class->close_request = rx_pay_dialog_close_request;

  object_class->dispose = rx_pay_dialog_dispose;
  object_class->get_property = rx_pay_dialog_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RxPayDialog::paid:
   * @invoice: the invoice, issued and paid
   * @change: the cash to hand back
   */
  signals[PAID] = g_signal_new ("paid", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 2, RX_TYPE_INVOICE, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-pay-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RxPayDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RxPayDialog, finish_button);
  gtk_widget_class_bind_template_child (widget_class, RxPayDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, RxPayDialog, due_label);
  gtk_widget_class_bind_template_child (widget_class, RxPayDialog, taken_group);
  gtk_widget_class_bind_template_child (widget_class, RxPayDialog, taken_list);
  gtk_widget_class_bind_template_child (widget_class, RxPayDialog, method_row);
  gtk_widget_class_bind_template_child (widget_class, RxPayDialog, amount_row);
  gtk_widget_class_bind_template_child (widget_class, RxPayDialog, reference_row);
  gtk_widget_class_bind_template_child (widget_class, RxPayDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, RxPayDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, RxPayDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, RxPayDialog, done_page);
  gtk_widget_class_bind_template_child (widget_class, RxPayDialog, change_label);
  gtk_widget_class_bind_template_callback (widget_class, method_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, amount_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, amount_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_payment_cb);
  gtk_widget_class_bind_template_callback (widget_class, finish_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_cb);
  gtk_widget_class_bind_template_callback (widget_class, print_cb);
  gtk_widget_class_bind_template_callback (widget_class, pdf_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rx_pay_dialog_init (RxPayDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->taken = g_array_new (FALSE, TRUE, sizeof (Taken));
  g_array_set_clear_func (self->taken, taken_clear);
  rx_a11y_fix_button_labels (GTK_WIDGET (self));
}
