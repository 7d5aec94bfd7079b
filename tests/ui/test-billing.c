/* test-billing.c: the billing window on a demo clinic, driven as the pharmacist at the till
 * would drive it: an over-the-counter sale found by name, with a discount and a product's
 * tax rate, paid in cash with the change shown; a pack scanned by its GS1 code; a split
 * payment by card and insurance; a patient's dispensed invoice collected; a refund that
 * issues a credit note referring to the original; the day's Z report and the cash count; a
 * receipt saved as PDF. A picture of the window with a sale on it is saved for review. */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "rx-billing-window.h"
#include "rx-clinic.h"
#include "rx-format.h"
#include "rx-pay-dialog.h"
#include "rx-printout.h"
#include "rx-test-util.h"
#include "rx-ui-test.h"

#define PASSWORD "demo-Staff-pass-9876"
#define PRODUCT  "paracetamol-500mg-tablet"
#define GTIN     "05012345678900"

static char *demo_path;   /* made once; each test works on a copy */

typedef struct
{
  char            *dir;
  RxClinic        *clinic;
  RxBillingWindow *window;
} Fixture;

static gboolean
dialog_done (gpointer data)
{
  return g_strcmp0 (rx_pay_dialog_get_page (data), "done") == 0 ||
         (!rx_pay_dialog_get_busy (data) && rx_pay_dialog_get_error (data) != NULL);
}

static gboolean
stop_running (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, stop_running, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  RxClinic **clinic = user_data;

  if (g_task_get_source_tag (G_TASK (result)) == rx_clinic_create_demo_async)
    *clinic = rx_clinic_create_demo_finish (result, &error);
  else
    *clinic = rx_clinic_open_finish (result, &error);
  g_assert_no_error (error);
}

static void
logged_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rx_clinic_login_finish (RX_CLINIC (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Runs @sql-free work on the clinic's worker, as every query runs. */
typedef struct
{
  gboolean  done;
  gpointer  value;
} Ran;

static void
ran_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Ran *ran = user_data;

  ran->value = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  g_assert_no_error (error);
  ran->done = TRUE;
}

static gpointer
run (Fixture      *f,
     RxClinicFunc  func,
     gpointer      data)
{
  Ran ran = { FALSE, NULL };

  rx_clinic_run_async (f->clinic, func, data, NULL, NULL, NULL, ran_cb, &ran);
  rx_ui_wait_for ("the worker", rx_ui_is_true, &ran.done);
  return ran.value;
}

static gpointer
count_in_worker (RxDb          *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return g_memdup2 ((gint64[]) { rx_test_count (db, data) }, sizeof (gint64));
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  g_autofree gint64 *value = run (f, count_in_worker, (gpointer) sql);

  return *value;
}

/* The product sells at 20 % and its packs carry a GTIN, as the pharmacist would set them. */
static gpointer
prepare_product_in_worker (RxDb          *db,
                           gpointer       data,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(RxProduct) product = rx_formulary_get (db, PRODUCT, error);

  if (product == NULL ||
      !rx_formulary_set_tax_rate (db, rx_product_get_id (product), 2000, error) ||
      !rx_formulary_set_gtin (db, rx_product_get_id (product), GTIN, error))
    return NULL;

  return g_object_ref (product);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GFile) source = g_file_new_for_path (demo_path);
  g_autoptr(GFile) dest = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(RxProduct) product = NULL;
  gboolean done = FALSE;

  f->dir = rx_test_make_dir ();
  path = g_build_filename (f->dir, "clinic.db", NULL);
  dest = g_file_new_for_path (path);
  g_file_copy (source, dest, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  rx_clinic_open_async (path, NULL, opened_cb, &f->clinic);
  rx_ui_wait_for ("the clinic to open", rx_ui_is_set, &f->clinic);
  rx_clinic_login_async (f->clinic, "rpatel", PASSWORD, NULL, logged_in_cb, &done);
  rx_ui_wait_for ("the login", rx_ui_is_true, &done);
  product = run (f, prepare_product_in_worker, NULL);
  g_assert_nonnull (product);
}

static void
open_window (Fixture *f)
{
  f->window = rx_billing_window_new (NULL, f->clinic);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  rx_ui_wait_for ("the window to settle", rx_ui_window_idle, f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->clinic);
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  rx_test_remove_dir (f->dir);
  g_free (f->dir);
}

static void
type_and_enter (Fixture    *f,
                const char *text)
{
  GtkWidget *entry = rx_billing_window_get_scan_entry (f->window);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
  rx_ui_wait_for ("the product lookup", rx_ui_window_idle, f->window);
}

/* Scans a pack of the product and makes the line @quantity. */
static void
sell (Fixture *f,
      gint64   quantity)
{
  RxSale *sale = rx_billing_window_get_sale (f->window);
  guint before = rx_sale_get_n_lines (sale);

  type_and_enter (f, "]d201" GTIN "10LOT7");
  g_assert_cmpuint (rx_billing_window_get_n_found (f->window), ==, 1);
  g_assert_cmpuint (rx_sale_get_n_lines (sale), ==, before + 1);
  g_assert_true (rx_sale_set_quantity (sale, before, quantity));
}

static RxPayDialog *
open_payment (Fixture *f)
{
  GtkWindow *dialog = rx_billing_window_pay (f->window);

  g_assert_true (RX_IS_PAY_DIALOG (dialog));
  return RX_PAY_DIALOG (dialog);
}

static RxInvoice *
complete (RxPayDialog *dialog)
{
  g_assert_true (rx_pay_dialog_finish (dialog));
  rx_ui_wait_for ("the sale to be written", dialog_done, dialog);
  g_assert_cmpstr (rx_pay_dialog_get_error (dialog), ==, NULL);
  g_assert_cmpstr (rx_pay_dialog_get_page (dialog), ==, "done");
  return rx_pay_dialog_get_invoice (dialog);
}

static void
save_picture (GtkWidget  *window,
              const char *name)
{
  const char *dir = g_getenv ("RX_TEST_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;

  if (dir == NULL)
    return;

  /* a window still fading in has nothing to draw yet */
  paintable = gtk_widget_paintable_new (window);
  run_for (400);
  for (guint tries = 0; node == NULL && tries < 20; tries++)
    {
      g_autoptr(GtkSnapshot) attempt = gtk_snapshot_new ();

      run_for (200);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (attempt),
                              gtk_widget_get_width (window), gtk_widget_get_height (window));
      node = gtk_snapshot_to_node (attempt);
    }
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  if (node == NULL)
    {
      g_test_message ("Nothing drawn yet for %s", name);
      return;
    }
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0,
                                                              gtk_widget_get_width (window),
                                                              gtk_widget_get_height (window)));
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

/* Tests ------------------------------------------------------------------------------------ */

static void
test_cash_sale_with_change (Fixture       *f,
                            gconstpointer  data)
{
  RxSale *sale;
  RxPayDialog *dialog;
  RxInvoice *invoice;
  const RxSaleLine *line;
  gint64 total, net, tax;

  open_window (f);
  sale = rx_billing_window_get_sale (f->window);
  sell (f, 40);
  line = rx_sale_get_line (sale, 0);
  g_assert_cmpint (line->tax_rate_bp, ==, 2000);
  g_assert_true (rx_sale_set_discount (sale, 0, 3));
  /* net = 40 × unit − 3; tax 20 % of it, half up on the line */
  net = 40 * line->unit_price_minor - 3;
  tax = (net * 2000 + 5000) / 10000;
  total = net + tax;
  g_assert_cmpint (rx_sale_get_total_minor (sale), ==, total);
  save_picture (GTK_WIDGET (f->window), "billing-sale.png");

  dialog = open_payment (f);
  rx_pay_dialog_set_method (dialog, "cash");
  rx_pay_dialog_set_amount (dialog, "50");
  g_assert_nonnull (strstr (rx_pay_dialog_get_status (dialog), "Change due"));
  save_picture (GTK_WIDGET (dialog), "billing-pay.png");
  invoice = complete (dialog);

  g_assert_cmpstr (rx_invoice_get_status (invoice), ==, "paid");
  g_assert_cmpint (rx_invoice_get_total_minor (invoice), ==, total);
  g_assert_cmpint (rx_invoice_get_tax_minor (invoice), ==, tax);
  g_assert_cmpint (rx_pay_dialog_get_change_due (dialog), ==, 5000 - total);
  g_assert_cmpint (((RxInvoiceLine *) rx_invoice_get_lines (invoice)->pdata[0])->tax_rate_bp,
                   ==, 2000);
  save_picture (GTK_WIDGET (dialog), "billing-paid.png");

  /* The till is ready for the next customer; the sale is in the ledger. */
  g_assert_true (rx_sale_is_empty (sale));
  g_assert_cmpint (count (f, "SELECT count (*) FROM payments p JOIN invoices i ON "
                             "i.id = p.invoice_id WHERE i.patient_id IS NULL AND "
                             "p.method = 'cash' AND i.status = 'paid' AND "
                             "i.issued_at >= date ('now')"), ==, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_receipt_pdf (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(RxPrintout) receipt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "receipt.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  RxPayDialog *dialog;

  open_window (f);
  sell (f, 10);
  dialog = open_payment (f);
  rx_pay_dialog_set_method (dialog, "card");
  rx_pay_dialog_set_reference (dialog, "slip 0042");
  complete (dialog);

  receipt = rx_pay_dialog_dup_receipt (dialog);
  text = rx_printout_dup_text (receipt);
  g_assert_nonnull (strstr (text, "Receipt for invoice"));
  g_assert_nonnull (strstr (text, "Tax at 20 %"));
  g_assert_nonnull (strstr (text, "card (slip 0042)"));
  g_assert_true (rx_printout_save_pdf (receipt, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_cmpuint (length, >, 500);
  g_assert_true (g_str_has_prefix (contents, "%PDF"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_scan_adds_product (Fixture       *f,
                        gconstpointer  data)
{
  RxSale *sale;

  open_window (f);
  sale = rx_billing_window_get_sale (f->window);

  /* a keyboard-wedge scanner: symbology prefix, GS1 element string, Enter */
  type_and_enter (f, "]d201" GTIN "17301231" "10LOT42");
  g_assert_cmpuint (rx_sale_get_n_lines (sale), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rx_billing_window_get_scan_entry (f->window))),
                   ==, "");
  /* the bracketed form of the same pack counts one more on the same line */
  type_and_enter (f, "(01)" GTIN "(17)301231(10)LOT42");
  g_assert_cmpuint (rx_sale_get_n_lines (sale), ==, 1);
  g_assert_cmpint (rx_sale_get_line (sale, 0)->quantity, ==, 2);

  /* a name and Enter at once: the one match goes on the sale when the search answers */
  {
    GtkWidget *entry = rx_billing_window_get_scan_entry (f->window);

    gtk_editable_set_text (GTK_EDITABLE (entry), "ibuprofen 400");
    g_signal_emit_by_name (entry, "activate");
    rx_ui_wait_for ("the product lookup", rx_ui_window_idle, f->window);
    run_for (400);
    rx_ui_wait_for ("the product lookup", rx_ui_window_idle, f->window);
    g_assert_cmpuint (rx_sale_get_n_lines (sale), ==, 2);
    rx_sale_remove (sale, 1);
  }

  /* a name searches; a result picked from the list goes on the sale */
  type_and_enter (f, "ibuprofen");
  g_assert_cmpuint (rx_billing_window_get_n_found (f->window), >, 0);
  g_assert_true (rx_billing_window_add_found (f->window, 0));
  g_assert_cmpuint (rx_sale_get_n_lines (sale), ==, 2);
  rx_sale_remove (sale, 1);

  /* a code no pack carries says so and adds nothing */
  type_and_enter (f, "(01)04006381333931");
  g_assert_cmpuint (rx_sale_get_n_lines (sale), ==, 1);
  g_assert_cmpint (rx_sale_get_line (sale, 0)->quantity, ==, 2);
}

static void
test_split_payment (Fixture       *f,
                    gconstpointer  data)
{
  RxPayDialog *dialog;
  RxInvoice *invoice;
  GPtrArray *payments;
  gint64 total;

  open_window (f);
  sell (f, 500);
  total = rx_sale_get_total_minor (rx_billing_window_get_sale (f->window));
  g_assert_cmpint (total, >, 500);

  dialog = open_payment (f);
  rx_pay_dialog_set_method (dialog, "card");
  rx_pay_dialog_set_amount (dialog, "5.00");
  rx_pay_dialog_set_reference (dialog, "slip 77");
  g_assert_true (rx_pay_dialog_add_payment (dialog));
  g_assert_nonnull (strstr (rx_pay_dialog_get_status (dialog), "Paid in full"));

  /* insurance needs its claim reference before the sale can complete */
  rx_pay_dialog_set_method (dialog, "insurance");
  g_assert_false (rx_pay_dialog_finish (dialog));
  g_assert_nonnull (strstr (rx_pay_dialog_get_status (dialog), "claim reference"));
  rx_pay_dialog_set_reference (dialog, "CLM-2031-9");
  invoice = complete (dialog);

  payments = rx_invoice_get_payments (invoice);
  g_assert_cmpuint (payments->len, ==, 2);
  g_assert_cmpstr (((RxPayment *) payments->pdata[0])->method, ==, "card");
  g_assert_cmpint (((RxPayment *) payments->pdata[0])->amount_minor, ==, 500);
  g_assert_cmpstr (((RxPayment *) payments->pdata[1])->method, ==, "insurance");
  g_assert_cmpstr (((RxPayment *) payments->pdata[1])->reference, ==, "CLM-2031-9");
  g_assert_cmpint (((RxPayment *) payments->pdata[1])->amount_minor, ==, total - 500);
  g_assert_cmpint (rx_pay_dialog_get_change_due (dialog), ==, 0);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* What a dispense leaves: the patient's open invoice at the till, with a line on it. */
static gpointer
dispensed_in_worker (RxDb          *db,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GListModel) patients = rx_patients_search (db, "abebe", 1, error);
  g_autoptr(RxPatient) patient = NULL;
  g_autoptr(RxInvoice) invoice = NULL;
  g_autoptr(RxProduct) product = rx_formulary_get (db, PRODUCT, error);
  g_autofree char *line = NULL;
  RxInvoiceLineFields f = { NULL, };
  int rate = 0;

  if (patients == NULL || product == NULL || g_list_model_get_n_items (patients) == 0)
    return NULL;
  patient = g_list_model_get_item (patients, 0);
  invoice = rx_invoices_open (db, RX_DISPENSE_DEFAULT_TILL, rx_patient_get_id (patient), error);
  if (invoice == NULL ||
      !rx_invoices_product_tax_rate (db, rx_product_get_id (product), &rate, error))
    return NULL;
  f.product_id = rx_product_get_id (product);
  f.description = "Paracetamol 500 mg tablet, lot T1";
  f.quantity = 32;
  f.unit_price_minor = 2;
  f.tax_rate_bp = rate;
  f.reference_kind = "dispensing";
  f.reference_id = "test-dispensing";
  line = rx_invoices_add_line (db, rx_invoice_get_id (invoice), &f, error);

  return line ? g_object_ref (invoice) : NULL;
}

static void
test_collect_dispensed (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(RxInvoice) open = run (f, dispensed_in_worker, NULL);
  RxSale *sale;
  RxPayDialog *dialog;
  RxInvoice *paid;

  g_assert_nonnull (open);
  open_window (f);
  sale = rx_billing_window_get_sale (f->window);
  g_assert_cmpuint (rx_billing_window_get_n_pending (f->window), ==, 1);
  g_assert_true (rx_billing_window_collect_pending (f->window, 0));
  g_assert_cmpuint (rx_sale_get_n_lines (sale), ==, 1);
  g_assert_true (rx_sale_get_line (sale, 0)->fixed);
  /* a dispensed line keeps its quantity; something more may go on the same invoice */
  g_assert_false (rx_sale_set_quantity (sale, 0, 1));
  sell (f, 1);
  save_picture (GTK_WIDGET (f->window), "billing.png");

  dialog = open_payment (f);
  rx_pay_dialog_set_method (dialog, "cash");
  paid = complete (dialog);
  g_assert_cmpstr (rx_invoice_get_id (paid), ==, rx_invoice_get_id (open));
  g_assert_cmpuint (rx_invoice_get_lines (paid)->len, ==, 2);
  gtk_window_destroy (GTK_WINDOW (dialog));
  rx_ui_wait_for ("the lists to reload", rx_ui_window_idle, f->window);
  g_assert_cmpuint (rx_billing_window_get_n_pending (f->window), ==, 0);
}

static void
test_refund_refers_to_original (Fixture       *f,
                                gconstpointer  data)
{
  RxPayDialog *dialog;
  GtkWindow *question;
  RxInvoice *shown;
  GtkWidget *reason;
  GPtrArray *spins;
  gint64 number;
  g_autofree char *original_id = NULL;
  g_autofree char *sql = NULL;

  open_window (f);
  sell (f, 12);
  dialog = open_payment (f);
  rx_pay_dialog_set_method (dialog, "cash");
  number = rx_invoice_get_number (complete (dialog));
  original_id = g_strdup (rx_invoice_get_id (rx_pay_dialog_get_invoice (dialog)));
  gtk_window_destroy (GTK_WINDOW (dialog));
  rx_ui_wait_for ("the lists to reload", rx_ui_window_idle, f->window);

  g_assert_true (rx_billing_window_show_invoice (f->window, number));
  rx_ui_wait_for ("the invoice", rx_ui_window_idle, f->window);
  save_picture (GTK_WIDGET (f->window), "billing-invoice.png");
  shown = rx_billing_window_get_shown_invoice (f->window);
  g_assert_cmpint (rx_invoice_get_number (shown), ==, number);

  /* the refund is asked about, and needs a reason; 5 of the 12 come back */
  question = rx_billing_window_refund (f->window);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (question));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (question),
                                                           "refund"));
  reason = g_object_get_data (G_OBJECT (question), "rx-reason");
  gtk_editable_set_text (GTK_EDITABLE (reason), "wrong strength sold");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (question),
                                                          "refund"));
  spins = g_object_get_data (G_OBJECT (question), "rx-spins");
  g_assert_cmpuint (spins->len, ==, 1);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spins->pdata[0]), ==, 12);
  gtk_spin_button_set_value (spins->pdata[0], 0);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (question),
                                                           "refund"));
  gtk_spin_button_set_value (spins->pdata[0], 5);
  save_picture (GTK_WIDGET (question), "billing-refund.png");
  g_object_add_weak_pointer (G_OBJECT (question), (gpointer *) &question);
  /* as its button does: the response, then the question closes */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (question), "refund");
  gtk_window_close (question);
  rx_ui_wait_for ("the question to close", rx_ui_is_null, &question);
  rx_ui_wait_for ("the refund", rx_ui_window_idle, f->window);

  shown = rx_billing_window_get_shown_invoice (f->window);
  g_assert_nonnull (shown);
  g_assert_cmpstr (rx_invoice_get_kind (shown), ==, "credit_note");
  g_assert_cmpstr (rx_invoice_get_refers_to_id (shown), ==, original_id);
  g_assert_cmpint (((RxInvoiceLine *) rx_invoice_get_lines (shown)->pdata[0])->quantity, ==, -5);
  save_picture (GTK_WIDGET (f->window), "billing-invoices.png");

  /* the rest, later: everything left is offered */
  g_assert_true (rx_billing_window_show_invoice (f->window, number));
  rx_ui_wait_for ("the invoice", rx_ui_window_idle, f->window);
  question = rx_billing_window_refund (f->window);
  spins = g_object_get_data (G_OBJECT (question), "rx-spins");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spins->pdata[0]), ==, 7);
  reason = g_object_get_data (G_OBJECT (question), "rx-reason");
  gtk_editable_set_text (GTK_EDITABLE (reason), "returned unopened");
  g_object_add_weak_pointer (G_OBJECT (question), (gpointer *) &question);
  /* as its button does: the response, then the question closes */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (question), "refund");
  gtk_window_close (question);
  rx_ui_wait_for ("the question to close", rx_ui_is_null, &question);
  rx_ui_wait_for ("the second refund", rx_ui_window_idle, f->window);

  sql = g_strdup_printf ("SELECT -sum (total_minor) = (SELECT total_minor FROM invoices WHERE "
                         "id = '%s') FROM invoices WHERE kind = 'credit_note' AND "
                         "refers_to_id = '%s'", original_id, original_id);
  g_assert_cmpint (count (f, sql), ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count (*) FROM invoices WHERE kind = 'credit_note' AND "
                         "refers_to_id = '%s'", original_id);
  g_assert_cmpint (count (f, sql), ==, 2);
  /* nothing is left to refund */
  g_assert_true (rx_billing_window_show_invoice (f->window, number));
  rx_ui_wait_for ("the invoice", rx_ui_window_idle, f->window);
  g_assert_null (rx_billing_window_refund (f->window));
  /* nothing is ever deleted: the original stays, paid */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count (*) FROM invoices WHERE id = '%s' AND status = 'paid'",
                         original_id);
  g_assert_cmpint (count (f, sql), ==, 1);
}

static void
test_z_report (Fixture       *f,
               gconstpointer  data)
{
  const RxDailyReport *before = NULL;
  const RxDailyReport *after = NULL;
  RxPayDialog *dialog;
  gint64 expected_before, cash_total, card_total, gross_before;
  g_autofree char *text = NULL;

  open_window (f);
  g_assert_true (rx_billing_window_get_report (f->window, &before));
  expected_before = before->expected_cash_minor;
  gross_before = before->total_gross_minor;

  sell (f, 30);
  cash_total = rx_sale_get_total_minor (rx_billing_window_get_sale (f->window));
  dialog = open_payment (f);
  rx_pay_dialog_set_method (dialog, "cash");
  rx_pay_dialog_set_amount (dialog, "20");
  complete (dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  rx_ui_wait_for ("the lists to reload", rx_ui_window_idle, f->window);

  sell (f, 7);
  card_total = rx_sale_get_total_minor (rx_billing_window_get_sale (f->window));
  dialog = open_payment (f);
  rx_pay_dialog_set_method (dialog, "card");
  complete (dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  rx_ui_wait_for ("the lists to reload", rx_ui_window_idle, f->window);

  g_assert_true (rx_billing_window_get_report (f->window, &after));
  /* the cash taken is what the sale cost, not what was handed over */
  g_assert_cmpint (after->expected_cash_minor, ==, expected_before + cash_total);
  g_assert_cmpint (after->total_gross_minor, ==, gross_before + cash_total + card_total);
  {
    gint64 at_20 = 0;

    for (guint i = 0; i < after->tax_rates->len; i++)
      if (g_array_index (after->tax_rates, RxTaxTotal, i).rate_bp == 2000)
        at_20 = g_array_index (after->tax_rates, RxTaxTotal, i).gross_minor;
    g_assert_cmpint (at_20, ==, cash_total + card_total);
  }

  adw_view_stack_set_visible_child_name (
    ADW_VIEW_STACK (gtk_widget_get_ancestor (gtk_widget_get_parent (rx_billing_window_get_scan_entry (f->window)),
                                             ADW_TYPE_VIEW_STACK)), "closing");
  rx_billing_window_set_counted_cash (f->window, "not money");
  g_assert_nonnull (strstr (rx_billing_window_get_difference (f->window), "not an amount"));
  {
    /* 2.50 more in the drawer than the ledger says */
    g_autofree char *counted = rx_format_money (after->expected_cash_minor + 250, 2, NULL);

    rx_billing_window_set_counted_cash (f->window, counted);
  }
  g_assert_nonnull (strstr (rx_billing_window_get_difference (f->window), "2.50 over"));
  save_picture (GTK_WIDGET (f->window), "billing-close-day.png");

  text = rx_billing_window_dup_report_text (f->window);
  g_assert_nonnull (strstr (text, "Daily closing (Z) report"));
  g_assert_nonnull (strstr (text, "Expected cash"));
  g_assert_nonnull (strstr (text, "Counted cash"));
  g_assert_nonnull (strstr (text, "20 % on"));
  g_assert_nonnull (strstr (text, "Ledger intact"));
}

static void
unlocked_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_assert_true (rx_clinic_unlock_finish (RX_CLINIC (object), result, NULL));
  *(gboolean *) user_data = TRUE;
}

/* The lock hides the till and lets a half-typed payment go (nothing was written); the sale
 * is still there after the unlock; logging out closes the window. */
static void
test_lock_and_logout (Fixture       *f,
                      gconstpointer  data)
{
  GtkWindow *dialog;
  gboolean unlocked = FALSE;

  open_window (f);
  sell (f, 3);
  dialog = GTK_WINDOW (open_payment (f));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  rx_pay_dialog_set_amount (RX_PAY_DIALOG (dialog), "1");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.lock", NULL));
  g_assert_cmpstr (rx_billing_window_get_page (f->window), ==, "locked");
  g_assert_null (dialog);
  g_assert_null (rx_billing_window_pay (f->window));
  g_assert_cmpint (count (f, "SELECT count (*) FROM invoices WHERE status = 'open' AND "
                             "patient_id IS NULL"), ==, 0);

  rx_clinic_unlock_async (f->clinic, PASSWORD, NULL, unlocked_cb, &unlocked);
  rx_ui_wait_for ("the unlock", rx_ui_is_true, &unlocked);
  rx_ui_wait_for ("the window to settle", rx_ui_window_idle, f->window);
  g_assert_cmpstr (rx_billing_window_get_page (f->window), ==, "billing");
  g_assert_cmpuint (rx_sale_get_n_lines (rx_billing_window_get_sale (f->window)), ==, 1);

  rx_clinic_logout (f->clinic);
  g_assert_null (f->window);
}

/* Demo ------------------------------------------------------------------------------------- */

static void
make_demo (void)
{
  g_autofree char *dir = rx_test_make_dir ();
  RxClinic *clinic = NULL;

  demo_path = g_build_filename (dir, "demo.db", NULL);
  rx_clinic_create_demo_async (demo_path, PASSWORD, NULL, opened_cb, &clinic);
  rx_ui_wait_for ("the demo clinic", rx_ui_is_set, &clinic);
  g_object_unref (clinic);
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring = NULL;
  g_autofree char *demo_dir = NULL;
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display to open a window on\n");
      return 0;
    }

  keyring = rx_test_use_private_keyring ();
  gtk_init ();
  adw_init ();
  make_demo ();
  demo_dir = g_path_get_dirname (demo_path);

#define BILLING_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  BILLING_TEST ("/ui/billing/cash-sale-with-change", test_cash_sale_with_change);
  BILLING_TEST ("/ui/billing/receipt-pdf", test_receipt_pdf);
  BILLING_TEST ("/ui/billing/scan-adds-product", test_scan_adds_product);
  BILLING_TEST ("/ui/billing/split-payment", test_split_payment);
  BILLING_TEST ("/ui/billing/collect-dispensed", test_collect_dispensed);
  BILLING_TEST ("/ui/billing/refund-refers-to-original", test_refund_refers_to_original);
  BILLING_TEST ("/ui/billing/z-report", test_z_report);
  BILLING_TEST ("/ui/billing/lock-and-logout", test_lock_and_logout);
#undef BILLING_TEST

  status = g_test_run ();
  rx_test_remove_dir (demo_dir);
  rx_test_remove_dir (keyring);
  g_free (demo_path);

  return status;
}
