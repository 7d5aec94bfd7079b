/* test-invoice-payment.c: taking payment (split, change, insurance) and refunding with
 * credit notes; a refused payment or refund leaves nothing behind. */
#include "config.h"

#include "rx-test-fixtures.h"

static void
expect_pay_refused (RxTestTill *f,
                    const char *invoice_id,
                    const char *method,
                    gint64      amount,
                    const char *reference,
                    int         code,
                    const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = rx_test_snapshot (f->db);
  gint64 change = -1;

  g_assert_false (rx_invoices_pay (f->db, invoice_id, method, amount, reference, &change,
                                   &error));
  rx_test_assert_error_says (error, code, words);
  g_assert_cmpint (change, ==, 0);
  rx_test_assert_unchanged (f->db, before);
}

static void
test_payments (RxTestTill    *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) inv = rx_test_issued_invoice (f, "front", 3, 333);   /* 1199 */
  g_autoptr(RxInvoice) open = rx_test_open_invoice (f, "front");
  g_autoptr(RxInvoice) after = NULL;
  const char *id = rx_invoice_get_id (inv);
  RxPayment *p;
  gint64 change = -1;

  expect_pay_refused (f, rx_invoice_get_id (open), "cash", 100, NULL,
                      RX_CORE_ERROR_TRANSITION, "issue it");
  expect_pay_refused (f, id, "cheque", 100, NULL, RX_CORE_ERROR_INVALID, "cash, card");
  expect_pay_refused (f, id, "cash", 0, NULL, RX_CORE_ERROR_INVALID, "more than 0");
  expect_pay_refused (f, id, "card", -5, NULL, RX_CORE_ERROR_INVALID, "more than 0");
  expect_pay_refused (f, id, "card", 1200, NULL, RX_CORE_ERROR_INVALID, "11.99 USD");
  expect_pay_refused (f, id, "insurance", 500, NULL, RX_CORE_ERROR_INVALID, "claim reference");
  expect_pay_refused (f, id, "insurance", 500, " ", RX_CORE_ERROR_INVALID, "claim reference");
  expect_pay_refused (f, "no-such-invoice", "cash", 5, NULL, RX_CORE_ERROR_NOT_FOUND, NULL);

  /* split: card, then cash with change */
  g_assert_true (rx_invoices_pay (f->db, id, "card", 700, "slip 0042", &change, &error));
  g_assert_no_error (error);
  g_assert_cmpint (change, ==, 0);
  after = rx_invoices_get (f->db, id, &error);
  g_assert_cmpstr (rx_invoice_get_status (after), ==, "issued");
  g_assert_cmpint (rx_invoice_get_paid_minor (after), ==, 700);
  g_assert_cmpint (rx_invoice_get_balance_minor (after), ==, 499);
  g_clear_object (&after);

  expect_pay_refused (f, id, "card", 500, NULL, RX_CORE_ERROR_INVALID, "4.99 USD");

  g_assert_true (rx_invoices_pay (f->db, id, "cash", 1000, NULL, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpint (change, ==, 501);

  after = rx_invoices_get (f->db, id, &error);
  g_assert_cmpstr (rx_invoice_get_status (after), ==, "paid");
  g_assert_cmpint (rx_invoice_get_paid_minor (after), ==, 1199);
  g_assert_cmpuint (rx_invoice_get_payments (after)->len, ==, 2);
  p = g_ptr_array_index (rx_invoice_get_payments (after), 0);
  g_assert_cmpstr (p->method, ==, "card");
  g_assert_cmpint (p->amount_minor, ==, 700);
  g_assert_cmpstr (p->reference, ==, "slip 0042");
  p = g_ptr_array_index (rx_invoice_get_payments (after), 1);
  g_assert_cmpstr (p->method, ==, "cash");
  g_assert_cmpint (p->amount_minor, ==, 499);   /* the balance, not what was handed over */

  /* nothing more to pay, by any method */
  expect_pay_refused (f, id, "cash", 100, NULL, RX_CORE_ERROR_TRANSITION, "settled");
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events "
                                         "WHERE action = 'pay'"), ==, 2);
}

static void
test_insurance_and_zero (RxTestTill    *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) inv = rx_test_issued_invoice (f, "front", 1, 1000);   /* 1200 */
  g_autoptr(RxInvoice) again = NULL;
  g_autoptr(RxInvoice) free_sample = rx_test_open_invoice (f, "front");

  g_assert_true (rx_invoices_pay (f->db, rx_invoice_get_id (inv), "insurance", 1200,
                                  "CLAIM-77", NULL, &error));
  g_assert_no_error (error);
  again = rx_invoices_get (f->db, rx_invoice_get_id (inv), &error);
  g_assert_cmpstr (rx_invoice_get_status (again), ==, "paid");
  g_clear_object (&again);

  /* nothing to pay: settled as it is issued */
  rx_test_add_invoice_line (f, free_sample, 1, 0, 2000);
  g_assert_true (rx_invoices_issue (f->db, rx_invoice_get_id (free_sample), &error));
  again = rx_invoices_get (f->db, rx_invoice_get_id (free_sample), &error);
  g_assert_cmpstr (rx_invoice_get_status (again), ==, "paid");
}

static void
test_refund (RxTestTill    *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) inv = rx_test_open_invoice (f, "front");
  g_autoptr(RxInvoice) paid = NULL;
  g_autoptr(RxInvoice) note = NULL;
  g_autoptr(RxInvoice) original = NULL;
  g_autofree char *before = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *orig_sql = NULL;
  gint64 orig_changes;
  RxInvoiceLineFields discounted = {
    .description = "Vitamin C", .quantity = 2, .unit_price_minor = 505,
    .discount_minor = 5, .tax_rate_bp = 1000,
  };
  const char *id = rx_invoice_get_id (inv);
  RxInvoiceLine *line;
  RxPayment *p;

  rx_test_add_invoice_line (f, inv, 3, 333, 2000);                                 /* 1199 */
  g_free (rx_invoices_add_line (f->db, id, &discounted, &error));  /* 1005 + 101 */
  g_assert_true (rx_invoices_issue (f->db, id, &error));
  g_assert_no_error (error);

  /* not paid yet: no refund */
  before = rx_test_snapshot (f->db);
  g_assert_null (rx_invoices_refund (f->db, id, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_TRANSITION, "only a paid invoice");
  g_clear_error (&error);
  rx_test_assert_unchanged (f->db, before);

  g_assert_true (rx_invoices_pay (f->db, id, "card", 1000, "slip 1", NULL, &error));
  g_assert_true (rx_invoices_pay (f->db, id, "cash", 2000, NULL, NULL, &error));
  g_assert_no_error (error);
  paid = rx_invoices_get (f->db, id, &error);
  g_assert_cmpint (rx_invoice_get_total_minor (paid), ==, 1199 + 1106);
  orig_sql = g_strdup_printf ("SELECT count(*) FROM change_log WHERE row_id = '%s'", id);
  orig_changes = rx_test_count (f->db, orig_sql);

  f->now += 60 * G_USEC_PER_SEC;
  note = rx_invoices_refund (f->db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rx_invoice_get_kind (note), ==, "credit_note");
  g_assert_cmpstr (rx_invoice_get_refers_to_id (note), ==, id);
  g_assert_cmpstr (rx_invoice_get_status (note), ==, "paid");
  g_assert_cmpstr (rx_invoice_get_patient_id (note), ==, f->patient);
  g_assert_cmpstr (rx_invoice_get_till (note), ==, "front");
  g_assert_cmpint (rx_invoice_get_number (note), ==, 2);
  g_assert_cmpint (rx_invoice_get_total_minor (note), ==, -(1199 + 1106));
  g_assert_cmpint (rx_invoice_get_tax_minor (note), ==, -(200 + 101));
  g_assert_cmpstr (rx_invoice_get_prev_hash (note), ==, rx_invoice_get_hash (paid));
  g_assert_cmpuint (rx_invoice_get_lines (note)->len, ==, 2);
  line = g_ptr_array_index (rx_invoice_get_lines (note), 0);
  g_assert_cmpint (line->quantity, ==, -3);
  g_assert_cmpint (line->unit_price_minor, ==, 333);
  g_assert_cmpint (line->tax_minor, ==, -200);
  g_assert_cmpint (line->total_minor, ==, -1199);
  line = g_ptr_array_index (rx_invoice_get_lines (note), 1);
  g_assert_cmpint (line->quantity, ==, -2);
  g_assert_cmpint (line->discount_minor, ==, 5);
  g_assert_cmpint (line->tax_minor, ==, -101);
  g_assert_cmpint (line->total_minor, ==, -1106);
  /* the money goes back the way it came */
  g_assert_cmpint (rx_invoice_get_paid_minor (note), ==, -(1199 + 1106));
  p = g_ptr_array_index (rx_invoice_get_payments (note), 0);
  g_assert_cmpstr (p->method, ==, "card");
  g_assert_cmpint (p->amount_minor, ==, -1000);
  g_assert_cmpstr (p->reference, ==, "slip 1");

  /* the original is untouched */
  original = rx_invoices_get (f->db, id, &error);
  g_assert_cmpstr (rx_invoice_get_status (original), ==, "paid");
  g_assert_cmpstr (rx_invoice_get_hash (original), ==, rx_invoice_get_hash (paid));
  g_assert_cmpint (rx_invoice_get_total_minor (original), ==, rx_invoice_get_total_minor (paid));
  g_assert_cmpint (rx_test_count (f->db, orig_sql), ==, orig_changes);

  /* once only, and never a credit note */
  g_free (before);
  before = rx_test_snapshot (f->db);
  g_assert_null (rx_invoices_refund (f->db, id, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_TRANSITION, "already refunded by credit note 2");
  g_clear_error (&error);
  g_assert_null (rx_invoices_refund (f->db, rx_invoice_get_id (note), &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION);
  g_clear_error (&error);
  expect_pay_refused (f, rx_invoice_get_id (note), "cash", 100, NULL,
                      RX_CORE_ERROR_TRANSITION, "settled");
  rx_test_assert_unchanged (f->db, before);

  /* the credit note is in the chain, which still verifies */
  g_assert_true (rx_invoices_verify_chain (f->db, "front", &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events "
                                         "WHERE action = 'refund'"), ==, 1);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM invoices"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define INVOICE_TEST(path, func) \
  g_test_add (path, RxTestTill, NULL, rx_test_till_setup, func, rx_test_till_teardown)

  INVOICE_TEST ("/core/invoice/payments", test_payments);
  INVOICE_TEST ("/core/invoice/insurance-and-zero", test_insurance_and_zero);
  INVOICE_TEST ("/core/invoice/refund", test_refund);

  return g_test_run ();
}
