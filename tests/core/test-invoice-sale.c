/* test-invoice-sale.c: a whole sale at the till in one transaction (lines, issue, split
 * payments, change), refused sales that leave nothing behind, the tax rate a product sells
 * at (its own, or the clinic's default) with per-line rounding, and refunds with a reason. */
#include "config.h"

#include "rx-db-private.h"
#include "rx-formulary.h"
#include "rx-report.h"
#include "rx-test-fixtures.h"

static void
test_product_tax_rate (RxTestTill    *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other = rx_test_add_product (f->db, "IBU200", FALSE);
  int rate = -1;

  /* no rate of its own and no clinic default: 0 */
  g_assert_true (rx_invoices_product_tax_rate (f->db, f->product, &rate, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rate, ==, 0);

  /* the clinic's default applies to every product without its own */
  g_assert_true (_rx_db_set_meta (f->db, "tax_rate_bp", "500", &error));
  g_assert_true (rx_invoices_product_tax_rate (f->db, f->product, &rate, &error));
  g_assert_cmpint (rate, ==, 500);

  /* a product's own rate wins, 0 included; -1 goes back to the default */
  g_assert_true (rx_formulary_set_tax_rate (f->db, f->product, 2000, &error));
  g_assert_true (rx_formulary_set_tax_rate (f->db, other, 0, &error));
  g_assert_no_error (error);
  g_assert_true (rx_invoices_product_tax_rate (f->db, f->product, &rate, &error));
  g_assert_cmpint (rate, ==, 2000);
  g_assert_true (rx_invoices_product_tax_rate (f->db, other, &rate, &error));
  g_assert_cmpint (rate, ==, 0);
  g_assert_true (rx_formulary_set_tax_rate (f->db, other, -1, &error));
  g_assert_true (rx_invoices_product_tax_rate (f->db, other, &rate, &error));
  g_assert_cmpint (rate, ==, 500);

  g_assert_false (rx_formulary_set_tax_rate (f->db, other, 10001, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_INVALID, "10000");
  g_clear_error (&error);
  g_assert_false (rx_invoices_product_tax_rate (f->db, "no-such-product", &rate, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
}

static void
test_checkout_split_and_change (RxTestTill    *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) inv = NULL;
  g_auto(RxDailyReport) report = { NULL, };
  RxInvoiceLineFields lines[] = {
    /* 3 x 333 at 20 %: net 999, tax 199.8 -> 200 (half up on each line), total 1199 */
    { .product_id = f->product, .description = "Paracetamol 500 mg", .quantity = 3,
      .unit_price_minor = 333, .tax_rate_bp = 2000 },
    /* 1 x 105 less 100 at 10 %: net 5, tax 0.5 -> 1, total 6 */
    { .description = "Delivery", .quantity = 1, .unit_price_minor = 105,
      .discount_minor = 100, .tax_rate_bp = 1000 },
  };
  RxPaymentFields payments[] = {
    { "card", 500, "slip 7" },
    { "insurance", 200, "CLM-1" },
    { "cash", 1000, NULL },          /* 505 owed: 495 change */
  };
  gint64 change = -1;
  GPtrArray *paid;

  inv = rx_invoices_checkout (f->db, NULL, "front", lines, G_N_ELEMENTS (lines), payments,
                              G_N_ELEMENTS (payments), &change, &error);
  g_assert_no_error (error);
  g_assert_nonnull (inv);
  g_assert_cmpstr (rx_invoice_get_status (inv), ==, "paid");
  g_assert_cmpint (rx_invoice_get_number (inv), ==, 1);
  g_assert_cmpint (rx_invoice_get_total_minor (inv), ==, 1199 + 6);
  g_assert_cmpint (rx_invoice_get_tax_minor (inv), ==, 200 + 1);
  g_assert_cmpint (rx_invoice_get_balance_minor (inv), ==, 0);
  g_assert_cmpint (change, ==, 495);
  paid = rx_invoice_get_payments (inv);
  g_assert_cmpuint (paid->len, ==, 3);
  g_assert_cmpint (((RxPayment *) paid->pdata[2])->amount_minor, ==, 505);

  /* the Z report's rates and methods add up to the same */
  g_assert_true (rx_report_daily (f->db, "2031-05-01", NULL, "front", &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.total_gross_minor, ==, 1205);
  g_assert_cmpuint (report.tax_rates->len, ==, 2);
  g_assert_cmpint (g_array_index (report.tax_rates, RxTaxTotal, 0).rate_bp, ==, 1000);
  g_assert_cmpint (g_array_index (report.tax_rates, RxTaxTotal, 0).tax_minor, ==, 1);
  g_assert_cmpint (g_array_index (report.tax_rates, RxTaxTotal, 1).net_minor, ==, 999);
  g_assert_cmpint (g_array_index (report.tax_rates, RxTaxTotal, 1).tax_minor, ==, 200);
  g_assert_cmpint (report.expected_cash_minor, ==, 505);
}

static void
expect_checkout_refused (RxTestTill                *f,
                         const char                *invoice_id,
                         const RxInvoiceLineFields *lines,
                         guint                      n_lines,
                         const RxPaymentFields     *payments,
                         guint                      n_payments,
                         const char                *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) inv = NULL;
  g_autofree char *before = rx_test_snapshot (f->db);
  gint64 change = -1;

  inv = rx_invoices_checkout (f->db, invoice_id, "front", lines, n_lines, payments, n_payments,
                              &change, &error);
  g_assert_null (inv);
  rx_test_assert_error_says (error, RX_CORE_ERROR_INVALID, words);
  g_assert_cmpint (change, ==, 0);
  rx_test_assert_unchanged (f->db, before);
}

static void
test_checkout_all_or_nothing (RxTestTill    *f,
                              gconstpointer  data)
{
  RxInvoiceLineFields line = { .description = "Plasters", .quantity = 2,
                               .unit_price_minor = 250 };
  RxInvoiceLineFields bad = { .description = "Plasters", .quantity = 0,
                              .unit_price_minor = 250 };
  RxPaymentFields short_pay[] = { { "card", 400, NULL } };
  RxPaymentFields cash_first[] = { { "cash", 600, NULL }, { "card", 100, NULL } };
  RxPaymentFields no_claim[] = { { "insurance", 500, NULL } };
  RxPaymentFields exact[] = { { "card", 500, NULL } };

  expect_checkout_refused (f, NULL, &line, 1, short_pay, 1, "unpaid");
  expect_checkout_refused (f, NULL, &line, 1, cash_first, 2, "cash last");
  expect_checkout_refused (f, NULL, &line, 1, no_claim, 1, "claim reference");
  expect_checkout_refused (f, NULL, &bad, 1, exact, 1, "is 0");
  expect_checkout_refused (f, NULL, &line, 1, NULL, 0, "at least one payment");
  /* nothing was numbered: the next sale is still number 1 */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RxInvoice) inv = rx_invoices_checkout (f->db, NULL, "front", &line, 1, exact, 1,
                                                     NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (rx_invoice_get_number (inv), ==, 1);
  }
}

/* What was dispensed sits on the patient's open invoice; the till finishes it. */
static void
test_checkout_open_invoice (RxTestTill    *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) open = rx_test_open_invoice (f, "front");
  g_autoptr(RxInvoice) inv = NULL;
  RxInvoiceLineFields extra = { .description = "Bag", .quantity = 1, .unit_price_minor = 10 };
  RxPaymentFields pay[] = { { "cash", 2000, NULL } };
  gint64 change = 0;

  rx_test_add_invoice_line (f, open, 2, 400, 0);
  {
    g_autoptr(RxInvoice) empty = rx_test_open_invoice (f, "back");
    g_autoptr(GListModel) waiting = rx_invoices_list_open (f->db, NULL, &error);
    g_autoptr(RxInvoice) first = NULL;

    /* the empty one has nothing to collect */
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (waiting), ==, 1);
    first = g_list_model_get_item (waiting, 0);
    g_assert_cmpstr (rx_invoice_get_id (first), ==, rx_invoice_get_id (open));
    g_assert_cmpuint (rx_invoice_get_lines (first)->len, ==, 1);
  }
  inv = rx_invoices_checkout (f->db, rx_invoice_get_id (open), NULL, &extra, 1, pay, 1,
                              &change, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rx_invoice_get_id (inv), ==, rx_invoice_get_id (open));
  g_assert_cmpstr (rx_invoice_get_patient_id (inv), ==, f->patient);
  g_assert_cmpuint (rx_invoice_get_lines (inv)->len, ==, 2);
  g_assert_cmpint (rx_invoice_get_total_minor (inv), ==, 810);
  g_assert_cmpint (change, ==, 1190);
  {
    g_autoptr(GListModel) waiting = rx_invoices_list_open (f->db, "front", &error);

    g_assert_cmpuint (g_list_model_get_n_items (waiting), ==, 0);
  }
}

static void
test_refund_with_reason (RxTestTill    *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) inv = NULL;
  g_autoptr(RxInvoice) note = NULL;
  RxInvoiceLineFields line = { .description = "Plasters", .quantity = 2,
                               .unit_price_minor = 250, .tax_rate_bp = 2000 };
  RxPaymentFields pay[] = { { "card", 600, NULL } };
  g_autofree char *before = NULL;

  inv = rx_invoices_checkout (f->db, NULL, "front", &line, 1, pay, 1, NULL, &error);
  g_assert_no_error (error);

  before = rx_test_snapshot (f->db);
  g_assert_null (rx_invoices_refund_with_reason (f->db, rx_invoice_get_id (inv), "  ", &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_INVALID, "reason");
  g_clear_error (&error);
  rx_test_assert_unchanged (f->db, before);

  note = rx_invoices_refund_with_reason (f->db, rx_invoice_get_id (inv), "wrong size sold",
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rx_invoice_get_kind (note), ==, "credit_note");
  g_assert_cmpstr (rx_invoice_get_refers_to_id (note), ==, rx_invoice_get_id (inv));
  g_assert_cmpint (rx_invoice_get_total_minor (note), ==, -600);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count (*) FROM audit_events WHERE "
                                         "action = 'refund' AND detail LIKE '%wrong size sold'"),
                   ==, 1);
}

static void
expect_partial_refused (RxTestTill   *f,
                        const char   *id,
                        const char   *reason,
                        const gint64 *quantities,
                        guint         n,
                        const char   *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = rx_test_snapshot (f->db);

  g_assert_null (rx_invoices_refund_partial (f->db, id, reason, quantities, n, &error));
  g_assert_nonnull (error);
  rx_test_assert_error_says (error, error->code, words);
  rx_test_assert_unchanged (f->db, before);
}

/* Part of a sale comes back, then the rest: discounts come back in proportion, tax is
 * worked out on what comes back, money goes back the way it came, last payment first. */
static void
test_partial_refunds (RxTestTill    *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) inv = NULL;
  g_autoptr(RxInvoice) first = NULL;
  g_autoptr(RxInvoice) second = NULL;
  g_autoptr(GArray) left = NULL;
  RxInvoiceLineFields lines[] = {
    /* 4 × 250 less 100 at 20 %: net 900, tax 180, total 1080 */
    { .product_id = f->product, .description = "Paracetamol", .quantity = 4,
      .unit_price_minor = 250, .discount_minor = 100, .tax_rate_bp = 2000 },
    { .description = "Thermometer", .quantity = 1, .unit_price_minor = 500 },
  };
  RxPaymentFields pay[] = { { "card", 1000, "slip 9" }, { "cash", 580, NULL } };
  const gint64 one[] = { 1, 0 };
  const gint64 rest[] = { 3, 1 };
  const gint64 none[] = { 0, 0 };
  GPtrArray *back;
  const char *id;

  inv = rx_invoices_checkout (f->db, NULL, "front", lines, 2, pay, 2, NULL, &error);
  g_assert_no_error (error);
  id = rx_invoice_get_id (inv);
  left = rx_invoices_dup_refundable (f->db, inv, &error);
  g_assert_cmpint (g_array_index (left, gint64, 0), ==, 4);
  g_assert_cmpint (g_array_index (left, gint64, 1), ==, 1);
  g_clear_pointer (&left, g_array_unref);

  expect_partial_refused (f, id, "broken", none, 2, "Nothing is chosen");
  expect_partial_refused (f, id, " ", one, 2, "reason");
  expect_partial_refused (f, id, "broken", one, 1, "read it again");
  expect_partial_refused (f, id, "broken", (const gint64[]) { 5, 0 }, 2, "Only 4");

  /* one of four: a quarter of the discount (25), tax 20 % of 225 = 45, cash back first */
  first = rx_invoices_refund_partial (f->db, id, "one pack damaged", one, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rx_invoice_get_kind (first), ==, "credit_note");
  g_assert_cmpstr (rx_invoice_get_refers_to_id (first), ==, id);
  g_assert_cmpint (rx_invoice_get_total_minor (first), ==, -270);
  g_assert_cmpint (rx_invoice_get_tax_minor (first), ==, -45);
  g_assert_cmpuint (rx_invoice_get_lines (first)->len, ==, 1);
  back = rx_invoice_get_payments (first);
  g_assert_cmpuint (back->len, ==, 1);
  g_assert_cmpstr (((RxPayment *) back->pdata[0])->method, ==, "cash");
  g_assert_cmpint (((RxPayment *) back->pdata[0])->amount_minor, ==, -270);

  left = rx_invoices_dup_refundable (f->db, inv, &error);
  g_assert_cmpint (g_array_index (left, gint64, 0), ==, 3);
  g_clear_pointer (&left, g_array_unref);

  /* the rest: the discount that is left (75), and the refunds add up to the sale */
  second = rx_invoices_refund_partial (f->db, id, "returned unopened", rest, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rx_invoice_get_total_minor (second), ==, -1310);
  g_assert_cmpint (rx_invoice_get_tax_minor (first) + rx_invoice_get_tax_minor (second), ==,
                   -rx_invoice_get_tax_minor (inv));
  back = rx_invoice_get_payments (second);
  g_assert_cmpuint (back->len, ==, 2);
  g_assert_cmpstr (((RxPayment *) back->pdata[0])->method, ==, "cash");
  g_assert_cmpint (((RxPayment *) back->pdata[0])->amount_minor, ==, -310);
  g_assert_cmpstr (((RxPayment *) back->pdata[1])->method, ==, "card");
  g_assert_cmpint (((RxPayment *) back->pdata[1])->amount_minor, ==, -1000);
  g_assert_cmpstr (((RxPayment *) back->pdata[1])->reference, ==, "slip 9");

  left = rx_invoices_dup_refundable (f->db, inv, &error);
  g_assert_cmpint (g_array_index (left, gint64, 0) + g_array_index (left, gint64, 1), ==, 0);
  expect_partial_refused (f, id, "again", one, 2, "Only 0");

  /* the chain still verifies with the credit notes in it */
  {
    g_autofree char *bad = NULL;

    g_assert_true (rx_invoices_verify_chain (f->db, "front", &bad, &error));
    g_assert_no_error (error);
    g_assert_null (bad);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define SALE_TEST(path, func) \
  g_test_add (path, RxTestTill, NULL, rx_test_till_setup, func, rx_test_till_teardown)
  SALE_TEST ("/core/invoice-sale/product-tax-rate", test_product_tax_rate);
  SALE_TEST ("/core/invoice-sale/checkout-split-and-change", test_checkout_split_and_change);
  SALE_TEST ("/core/invoice-sale/checkout-all-or-nothing", test_checkout_all_or_nothing);
  SALE_TEST ("/core/invoice-sale/checkout-open-invoice", test_checkout_open_invoice);
  SALE_TEST ("/core/invoice-sale/refund-with-reason", test_refund_with_reason);
  SALE_TEST ("/core/invoice-sale/partial-refunds", test_partial_refunds);
#undef SALE_TEST

  return g_test_run ();
}
