/* rx-printout.c: receipts and Z reports on paper or in a PDF. One drawing serves both: the
 * items are laid out with Pango down a column 80 mm wide; a printer page takes as many as
 * fit, the PDF is one page as long as the document. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <inttypes.h>
#include <cairo-pdf.h>
#include <glib/gi18n.h>

#include "rx-format.h"
#include "rx-printout.h"

#define WIDTH_PT    226.77   /* 80 mm */
#define MARGIN_PT   12.0
#define FONT        "Sans 8"

typedef enum
{
  ITEM_TEXT,
  ITEM_ROW,
  ITEM_RULE,
} ItemKind;

typedef struct
{
  ItemKind  kind;
  char     *text;
  char     *amount;
  gboolean  bold;
} Item;

struct _RxPrintout
{
  char   *title;
  GArray *items;   /* of Item */
};

static void
item_clear (gpointer data)
{
  Item *item = data;

  g_free (item->text);
  g_free (item->amount);
}

RxPrintout *
rx_printout_new (const char *title)
{
  RxPrintout *self = g_new0 (RxPrintout, 1);

  self->title = g_strdup (title);
  self->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (self->items, item_clear);
  rx_printout_add_text (self, title, TRUE);

  return self;
}

void
rx_printout_free (RxPrintout *self)
{
  if (self == NULL)
    return;

  g_free (self->title);
  g_array_unref (self->items);
  g_free (self);
}

const char *
rx_printout_get_title (RxPrintout *self)
{
  return self->title;
}

void
rx_printout_add_text (RxPrintout *self,
                      const char *text,
                      gboolean    bold)
{
  Item item = { ITEM_TEXT, g_strdup (text), NULL, bold };

  g_array_append_val (self->items, item);
}

void
rx_printout_add_row (RxPrintout *self,
                     const char *label,
                     const char *amount,
                     gboolean    bold)
{
  Item item = { ITEM_ROW, g_strdup (label), g_strdup (amount), bold };

  g_array_append_val (self->items, item);
}

void
rx_printout_add_rule (RxPrintout *self)
{
  Item item = { ITEM_RULE, NULL, NULL, FALSE };

  g_array_append_val (self->items, item);
}

/* The document as plain text, a line per item, for tests and logs. */
char *
rx_printout_dup_text (RxPrintout *self)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      const Item *item = &g_array_index (self->items, Item, i);

      if (item->kind == ITEM_RULE)
        g_string_append (out, "----\n");
      else if (item->kind == ITEM_ROW)
        g_string_append_printf (out, "%s\t%s\n", item->text, item->amount);
      else
        g_string_append_printf (out, "%s\n", item->text);
    }

  return g_string_free (out, FALSE);
}

static PangoLayout *
new_layout (cairo_t    *cr,
            const char *text,
            gboolean    bold,
            double      width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT);

  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, pango_units_from_double (width));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);

  return layout;
}

/* Lays out (and with @draw, draws) from @from_y; returns the height used. With a page
 * height, an item that would cross the page's end starts the next page instead. */
static double
layout_items (RxPrintout *self,
              cairo_t    *cr,
              double      page_height,
              int         page,
              int        *n_pages)
{
  double width = WIDTH_PT - 2 * MARGIN_PT;
  double y = MARGIN_PT;
  int on_page = 0;

  for (guint i = 0; i < self->items->len; i++)
    {
      const Item *item = &g_array_index (self->items, Item, i);
      g_autoptr(PangoLayout) left = NULL;
      g_autoptr(PangoLayout) right = NULL;
      double height = 6.0;
      int w, h;

      if (item->kind != ITEM_RULE)
        {
          left = new_layout (cr, item->text, item->bold,
                             item->kind == ITEM_ROW ? width * 0.62 : width);
          pango_layout_get_size (left, &w, &h);
          height = pango_units_to_double (h) + 2.0;
          if (item->kind == ITEM_ROW)
            {
              right = new_layout (cr, item->amount, item->bold, width * 0.38);
              pango_layout_set_alignment (right, PANGO_ALIGN_RIGHT);
            }
        }

      if (page_height > 0 && y + height > page_height - MARGIN_PT && y > MARGIN_PT)
        {
          on_page++;
          y = MARGIN_PT;
        }

      if (page < 0 || page == on_page)
        {
          if (item->kind == ITEM_RULE)
            {
              cairo_set_line_width (cr, 0.5);
              cairo_move_to (cr, MARGIN_PT, y + 3.0);
              cairo_line_to (cr, MARGIN_PT + width, y + 3.0);
              cairo_stroke (cr);
            }
          else
            {
              cairo_move_to (cr, MARGIN_PT, y);
              pango_cairo_show_layout (cr, left);
              if (right != NULL)
                {
                  cairo_move_to (cr, MARGIN_PT + width * 0.62, y);
                  pango_cairo_show_layout (cr, right);
                }
            }
        }
      y += height;
    }

  if (n_pages != NULL)
    *n_pages = on_page + 1;
  return y + MARGIN_PT;
}

gboolean
rx_printout_save_pdf (RxPrintout  *self,
                      const char  *path,
                      GError     **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  double height;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* Measure on a scratch surface, then draw one page exactly that long. */
  surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cr = cairo_create (surface);
  height = layout_items (self, cr, -1, -2, NULL);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  surface = cairo_pdf_surface_create (path, WIDTH_PT, MAX (height, 120.0));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "RxDesk");
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 0, 0, 0);
  layout_items (self, cr, -1, -1, NULL);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write the PDF “%s” (%s); choose a folder you may write to"),
                   path, cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

/* Printing -------------------------------------------------------------------------------- */

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                RxPrintout        *self)
{
  int n_pages = 1;

  layout_items (self, gtk_print_context_get_cairo_context (context),
                gtk_print_context_get_height (context), -2, &n_pages);
  gtk_print_operation_set_n_pages (operation, n_pages);
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              RxPrintout        *self)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);

  cairo_set_source_rgb (cr, 0, 0, 0);
  layout_items (self, cr, gtk_print_context_get_height (context), page, NULL);
}

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               GtkWindow               *parent)
{
  g_autoptr(GError) error = NULL;

  if (result != GTK_PRINT_OPERATION_RESULT_ERROR)
    return;

  gtk_print_operation_get_error (operation, &error);
  g_warning ("Printing failed: %s", error ? error->message : "unknown error");
}

/* Opens the print dialog for @self, which the operation keeps until it is done. */
void
rx_printout_print (RxPrintout *self,
                   GtkWindow  *parent)
{
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GError) error = NULL;

  g_return_if_fail (self != NULL);

  gtk_print_operation_set_job_name (operation, self->title);
  gtk_print_operation_set_allow_async (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_object_set_data_full (G_OBJECT (operation), "rx-printout", self,
                          (GDestroyNotify) rx_printout_free);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), self);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), self);
  g_signal_connect (operation, "done", G_CALLBACK (print_done_cb), parent);

  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent,
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    g_warning ("Printing failed: %s", error->message);
}

/* The documents ---------------------------------------------------------------------------- */

static char *
money (gint64 minor,
       guint  digits)
{
  return rx_format_money (minor, digits, NULL);
}

/**
 * rx_printout_new_receipt:
 * @change_due: cash handed back at the sale, or 0
 *
 * The receipt of an invoice or credit note: lines, tax by rate, total, payments, and the
 * start of its hash, which links it to the till's ledger.
 */
RxPrintout *
rx_printout_new_receipt (RxInvoice  *invoice,
                         const char *clinic_name,
                         const char *patient_name,
                         guint       minor_digits,
                         gint64      change_due)
{
  gboolean credit = g_strcmp0 (rx_invoice_get_kind (invoice), "credit_note") == 0;
  GPtrArray *lines = rx_invoice_get_lines (invoice);
  GPtrArray *payments = rx_invoice_get_payments (invoice);
  g_autofree char *title = NULL;
  g_autofree char *when = rx_format_local_time (rx_invoice_get_issued_at (invoice)
                                                ? rx_invoice_get_issued_at (invoice)
                                                : rx_invoice_get_created_at (invoice));
  g_autofree char *total = money (rx_invoice_get_total_minor (invoice), minor_digits);
  g_autofree char *total_label = NULL;
  g_autoptr(GArray) rates = g_array_new (FALSE, TRUE, sizeof (int));
  const char *hash = rx_invoice_get_hash (invoice);
  RxPrintout *self;

  title = credit ? g_strdup_printf (_("Credit note %" PRId64),
                                    rx_invoice_get_number (invoice))
                 : g_strdup_printf (_("Receipt for invoice %" PRId64),
                                    rx_invoice_get_number (invoice));
  self = rx_printout_new (title);
  if (clinic_name != NULL)
    rx_printout_add_text (self, clinic_name, FALSE);
  {
    g_autofree char *till = g_strdup_printf (_("Till %s, %s"), rx_invoice_get_till (invoice),
                                             when);
    rx_printout_add_text (self, till, FALSE);
  }
  if (patient_name != NULL)
    {
      g_autofree char *for_whom = g_strdup_printf (_("For %s"), patient_name);
      rx_printout_add_text (self, for_whom, FALSE);
    }
  rx_printout_add_rule (self);

  for (guint i = 0; i < lines->len; i++)
    {
      const RxInvoiceLine *l = g_ptr_array_index (lines, i);
      g_autofree char *price = money (l->unit_price_minor, minor_digits);
      g_autofree char *rate = rx_format_tax_rate (l->tax_rate_bp);
      g_autofree char *label = g_strdup_printf ("%s\n%" G_GINT64_FORMAT " × %s, tax %s",
                                                l->description, l->quantity, price, rate);
      g_autofree char *line_total = money (l->total_minor, minor_digits);
      gboolean seen = FALSE;

      rx_printout_add_row (self, label, line_total, FALSE);
      if (l->discount_minor != 0)
        {
          g_autofree char *discount = money (-l->discount_minor, minor_digits);
          rx_printout_add_row (self, _("  Discount (before tax)"), discount, FALSE);
        }
      for (guint j = 0; j < rates->len; j++)
        seen |= g_array_index (rates, int, j) == l->tax_rate_bp;
      if (!seen)
        g_array_append_val (rates, l->tax_rate_bp);
    }
  rx_printout_add_rule (self);

  for (guint j = 0; j < rates->len; j++)
    {
      int rate_bp = g_array_index (rates, int, j);
      gint64 tax = 0;
      g_autofree char *rate = rx_format_tax_rate (rate_bp);
      g_autofree char *label = g_strdup_printf (_("Tax at %s"), rate);
      g_autofree char *amount = NULL;

      for (guint i = 0; i < lines->len; i++)
        {
          const RxInvoiceLine *l = g_ptr_array_index (lines, i);
          if (l->tax_rate_bp == rate_bp)
            tax += l->tax_minor;
        }
      amount = money (tax, minor_digits);
      rx_printout_add_row (self, label, amount, FALSE);
    }
  total_label = g_strdup_printf (_("Total (%s)"), rx_invoice_get_currency (invoice));
  rx_printout_add_row (self, total_label, total, TRUE);
  rx_printout_add_rule (self);

  for (guint i = 0; i < payments->len; i++)
    {
      const RxPayment *p = g_ptr_array_index (payments, i);
      g_autofree char *amount = money (p->amount_minor, minor_digits);
      g_autofree char *label = p->reference
        ? g_strdup_printf ("%s (%s)", p->method, p->reference)
        : g_strdup (p->method);

      rx_printout_add_row (self, label, amount, FALSE);
    }
  if (change_due > 0)
    {
      g_autofree char *change = money (change_due, minor_digits);
      rx_printout_add_row (self, _("Change"), change, FALSE);
    }
  if (hash != NULL)
    {
      g_autofree char *link = g_strdup_printf (_("Ledger %.16s"), hash);
      rx_printout_add_rule (self);
      rx_printout_add_text (self, link, FALSE);
    }

  return self;
}

/**
 * rx_printout_new_z_report:
 * @counted: whether @counted_cash was entered
 *
 * The daily closing report: sales and refunds, tax by rate, payments by method, and the
 * cash drawer (expected against counted).
 */
RxPrintout *
rx_printout_new_z_report (const RxDailyReport *r,
                          const char          *clinic_name,
                          guint                minor_digits,
                          gint64               counted_cash,
                          gboolean             counted)
{
  g_autofree char *title = g_strdup_printf (_("Daily closing (Z) report %s"), r->date);
  RxPrintout *self = rx_printout_new (title);
  g_autofree char *scope = NULL;

#define ROW(label, minor) G_STMT_START { \
    g_autofree char *amount_ = money ((minor), minor_digits); \
    rx_printout_add_row (self, (label), amount_, FALSE); \
  } G_STMT_END

  if (clinic_name != NULL)
    rx_printout_add_text (self, clinic_name, FALSE);
  scope = r->till ? g_strdup_printf (_("Till %s, currency %s"), r->till, r->currency)
                  : g_strdup_printf (_("Every till, currency %s"), r->currency);
  rx_printout_add_text (self, scope, FALSE);
  rx_printout_add_rule (self);
  {
    g_autofree char *count = g_strdup_printf (_("Sales (%u invoices)"), r->invoices);
    g_autofree char *notes = g_strdup_printf (_("Refunds (%u credit notes)"), r->credit_notes);
    ROW (count, r->sales_gross_minor);
    ROW (notes, r->refunds_gross_minor);
  }
  ROW (_("Discounts given"), r->discount_minor);
  {
    g_autofree char *total = money (r->total_gross_minor, minor_digits);
    rx_printout_add_row (self, _("Total"), total, TRUE);
  }
  rx_printout_add_rule (self);
  rx_printout_add_text (self, _("By tax rate (net, tax)"), TRUE);
  for (guint i = 0; i < r->tax_rates->len; i++)
    {
      const RxTaxTotal *t = &g_array_index (r->tax_rates, RxTaxTotal, i);
      g_autofree char *rate = rx_format_tax_rate (t->rate_bp);
      g_autofree char *net = money (t->net_minor, minor_digits);
      g_autofree char *tax = money (t->tax_minor, minor_digits);
      g_autofree char *label = g_strdup_printf (_("%s on %s"), rate, net);

      rx_printout_add_row (self, label, tax, FALSE);
    }
  ROW (_("Tax total"), r->total_tax_minor);
  rx_printout_add_rule (self);
  rx_printout_add_text (self, _("By payment method"), TRUE);
  for (guint i = 0; i < r->payments->len; i++)
    {
      const RxMethodTotal *m = &g_array_index (r->payments, RxMethodTotal, i);
      g_autofree char *label = g_strdup_printf ("%s (%u)", m->method, m->count);
      ROW (label, m->net_minor);
    }
  ROW (_("Payments total"), r->payments_minor);
  ROW (_("Still owed"), r->outstanding_minor);
  rx_printout_add_rule (self);
  ROW (_("Expected cash"), r->expected_cash_minor);
  if (counted)
    {
      ROW (_("Counted cash"), counted_cash);
      ROW (_("Difference"), counted_cash - r->expected_cash_minor);
    }
#undef ROW

  return self;
}

/* Saving as PDF, off the main loop --------------------------------------------------------- */

static void
save_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  const char *path = g_object_get_data (G_OBJECT (task), "rx-path");

  if (rx_printout_save_pdf (task_data, path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Writes @self (which the call takes) to @path in a thread: the folder may be slow. */
void
rx_printout_save_pdf_async (RxPrintout          *self,
                            const char          *path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, rx_printout_save_pdf_async);
  g_task_set_task_data (task, self, (GDestroyNotify) rx_printout_free);
  g_object_set_data_full (G_OBJECT (task), "rx-path", g_strdup (path), g_free);
  g_task_run_in_thread (task, save_in_thread);
}

gboolean
rx_printout_save_pdf_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  RxPrintout       *printout;
  GtkWindow        *parent;
  RxPrintoutReport  report;
  char             *path;
} Saving;

static void
saving_free (Saving *saving)
{
  g_clear_pointer (&saving->printout, rx_printout_free);
  g_clear_object (&saving->parent);
  g_free (saving->path);
  g_free (saving);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Saving *saving = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (rx_printout_save_pdf_finish (result, &error))
    {
      g_autofree char *name = g_path_get_basename (saving->path);
      message = g_strdup_printf (_("Saved %s"), name);
    }
  else
    message = g_strdup (error->message);

  saving->report (saving->parent, message);
  saving_free (saving);
}

static void
chosen_cb (GtkNativeDialog *chooser,
           int              response,
           Saving          *saving)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);

  if (file == NULL || g_file_peek_path (file) == NULL)
    {
      if (file != NULL)
        saving->report (saving->parent, _("Choose a folder on this computer to save the PDF"));
      saving_free (saving);
      return;
    }

  saving->path = g_file_get_path (file);
  rx_printout_save_pdf_async (g_steal_pointer (&saving->printout), saving->path, NULL,
                              saved_cb, saving);
}

/**
 * rx_printout_ask_save_pdf:
 * @self: (transfer full): what to save
 * @report: tells the person how it went (a toast)
 *
 * Asks where to save @self as a PDF, then saves it there.
 */
void
rx_printout_ask_save_pdf (RxPrintout       *self,
                          GtkWindow        *parent,
                          const char       *file_name,
                          RxPrintoutReport  report)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  Saving *saving = g_new0 (Saving, 1);

  saving->printout = self;
  saving->parent = g_object_ref (parent);
  saving->report = report;

  chooser = gtk_file_chooser_native_new (_("Save as PDF"), parent,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (chosen_cb), saving);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
