/* test-invoice.c: invoices: numbering, lines and tax, issuing and the hash chain, and that a
 * refused write leaves nothing behind. Payments and refunds are in test-invoice-payment.c. */
#include "config.h"

#include "rx-db-private.h"
#include "rx-test-fixtures.h"

static void
test_round_trip (RxTestTill    *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) inv = NULL;
  g_autoptr(RxInvoice) again = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(RxInvoice) newest = NULL;
  g_autofree char *line_id = NULL;
  g_autofree char *status = NULL;
  gint64 total = 0;
  RxInvoiceLineFields consult = {
    .description = "Consultation",
    .quantity = 1,
    .unit_price_minor = 2500,
    .reference_kind = "appointment",
    .reference_id = "appt-1",
  };
  RxInvoiceLine *line;

  inv = rx_test_open_invoice (f, "front");
  g_assert_cmpint (rx_invoice_get_number (inv), ==, 1);
  g_assert_cmpstr (rx_invoice_get_status (inv), ==, "open");
  g_assert_cmpstr (rx_invoice_get_kind (inv), ==, "invoice");
  g_assert_cmpstr (rx_invoice_get_currency (inv), ==, "USD");
  g_assert_cmpstr (rx_invoice_get_patient_id (inv), ==, f->patient);
  g_assert_null (rx_invoice_get_hash (inv));
  g_assert_null (rx_invoice_get_issued_at (inv));

  rx_test_add_invoice_line (f, inv, 2, 450, 2000);
  line_id = rx_invoices_add_line (f->db, rx_invoice_get_id (inv), &consult, &error);
  g_assert_no_error (error);

  again = rx_invoices_get (f->db, rx_invoice_get_id (inv), &error);
  g_assert_no_error (error);
  g_assert_cmpint (rx_invoice_get_total_minor (again), ==, 900 + 180 + 2500);
  g_assert_cmpint (rx_invoice_get_tax_minor (again), ==, 180);
  g_assert_cmpuint (rx_invoice_get_lines (again)->len, ==, 2);
  line = g_ptr_array_index (rx_invoice_get_lines (again), 0);
  g_assert_cmpint (line->position, ==, 1);
  g_assert_cmpint (line->quantity, ==, 2);
  g_assert_cmpint (line->tax_minor, ==, 180);
  g_assert_cmpint (line->total_minor, ==, 1080);
  g_assert_cmpstr (line->product_id, ==, f->product);
  line = g_ptr_array_index (rx_invoice_get_lines (again), 1);
  g_assert_cmpstr (line->id, ==, line_id);
  g_assert_cmpint (line->position, ==, 2);
  g_assert_null (line->product_id);
  g_assert_cmpstr (line->reference_kind, ==, "appointment");
  g_assert_cmpstr (line->reference_id, ==, "appt-1");

  g_assert_true (rx_invoices_issue (f->db, rx_invoice_get_id (inv), &error));
  g_assert_no_error (error);
  g_clear_object (&again);
  again = rx_invoices_get (f->db, rx_invoice_get_id (inv), &error);
  g_assert_cmpstr (rx_invoice_get_status (again), ==, "issued");
  g_assert_cmpstr (rx_invoice_get_issued_at (again), ==, "2031-05-01T08:00:00.000Z");
  g_assert_cmpint (strlen (rx_invoice_get_hash (again)), ==, 64);
  g_assert_cmpstr (rx_invoice_get_prev_hash (again), ==,
                   "0000000000000000000000000000000000000000000000000000000000000000");
  g_assert_cmpint (rx_invoice_get_balance_minor (again), ==, 3580);

  /* properties for the UI to bind */
  g_object_get (again, "total-minor", &total, "status", &status, NULL);
  g_assert_cmpint (total, ==, 3580);
  g_assert_cmpstr (status, ==, "issued");

  /* newest first, headers with what was paid */
  f->now += G_USEC_PER_SEC;
  {
    g_autoptr(RxInvoice) second = rx_test_open_invoice (f, "front");
  }
  list = rx_invoices_list (f->db, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  newest = g_list_model_get_item (list, 0);
  g_assert_cmpint (rx_invoice_get_number (newest), ==, 2);
  g_clear_object (&list);
  list = rx_invoices_list (f->db, "2031-05-01T08:00:00.500Z", 10, &error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);

  /* every write audited, every row in the change log */
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events WHERE "
                                         "entity = 'invoices' AND action IN ('create', "
                                         "'add_line', 'issue')"), ==, 2 + 2 + 1);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM change_log "
                                         "WHERE entity = 'invoice_lines'"), ==, 2);
}

static void
test_currency_setting (RxTestTill    *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) inv = NULL;

  g_assert_true (_rx_db_set_meta (f->db, "currency", "EUR", &error));
  inv = rx_test_open_invoice (f, "front");
  g_assert_cmpstr (rx_invoice_get_currency (inv), ==, "EUR");
}

/* Numbers run 1, 2, 3 per till without gaps, however the tills interleave, and a refused
 * open does not use up a number. */
static void
test_gapless_per_till (RxTestTill    *f,
                       gconstpointer  data)
{
  const char *tills[] = { "A", "B", "A", "A", "B", "A" };
  const gint64 expected[] = { 1, 1, 2, 3, 2, 4 };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (tills); i++)
    {
      g_autoptr(RxInvoice) inv = rx_test_open_invoice (f, tills[i]);

      g_assert_cmpint (rx_invoice_get_number (inv), ==, expected[i]);
      g_assert_cmpstr (rx_invoice_get_till (inv), ==, tills[i]);

      if (i == 2)
        {
          g_assert_null (rx_invoices_open (f->db, "A", "no-such-patient", &error));
          g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
          g_clear_error (&error);
        }
    }

  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM invoices WHERE till = 'A'"), ==, 4);
  g_assert_cmpint (rx_test_count (f->db, "SELECT max(number) FROM invoices WHERE till = 'B'"),
                   ==, 2);
}

static void
test_tax_rounding (RxTestTill    *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) inv = rx_test_open_invoice (f, "front");
  g_autoptr(RxInvoice) again = NULL;
  RxInvoiceLineFields discounted = {
    .description = "Vitamin C", .quantity = 2, .unit_price_minor = 500,
    .discount_minor = 100, .tax_rate_bp = 2000,
  };
  g_autofree char *id = NULL;
  RxInvoiceLine *line;

  /* the rule, on its own: half away from zero, symmetric for credit notes */
  g_assert_cmpint (rx_invoice_compute_tax (999, 2000), ==, 200);      /* 199.8 */
  g_assert_cmpint (rx_invoice_compute_tax (5, 1000), ==, 1);          /* 0.5 */
  g_assert_cmpint (rx_invoice_compute_tax (-5, 1000), ==, -1);        /* -0.5 */
  g_assert_cmpint (rx_invoice_compute_tax (15, 1000), ==, 2);         /* 1.5 */
  g_assert_cmpint (rx_invoice_compute_tax (14, 1000), ==, 1);         /* 1.4 */
  g_assert_cmpint (rx_invoice_compute_tax (1, 4999), ==, 0);          /* 0.4999 */
  g_assert_cmpint (rx_invoice_compute_tax (1, 5000), ==, 1);          /* 0.5 */
  g_assert_cmpint (rx_invoice_compute_tax (0, 2000), ==, 0);
  g_assert_cmpint (rx_invoice_compute_tax (1000, 0), ==, 0);
  g_assert_cmpint (rx_invoice_compute_tax (G_GINT64_CONSTANT (1000000000000000), 10000), ==,
                   G_GINT64_CONSTANT (1000000000000000));
  g_assert_cmpint (rx_invoice_compute_tax (G_GINT64_CONSTANT (1000000000000005), 1000), ==,
                   G_GINT64_CONSTANT (100000000000001));

  /* 3 x 333 at 20 %: net 999, tax 199.8 -> 200, total 1199 */
  rx_test_add_invoice_line (f, inv, 3, 333, 2000);
  /* 1 x 5 at 10 %: tax 0.5 -> 1 */
  rx_test_add_invoice_line (f, inv, 1, 5, 1000);
  /* 2 x 500 less 100 at 20 %: net 900, tax 180 */
  id = rx_invoices_add_line (f->db, rx_invoice_get_id (inv), &discounted, &error);
  g_assert_no_error (error);

  again = rx_invoices_get (f->db, rx_invoice_get_id (inv), &error);
  line = g_ptr_array_index (rx_invoice_get_lines (again), 0);
  g_assert_cmpint (line->tax_minor, ==, 200);
  g_assert_cmpint (line->total_minor, ==, 1199);
  line = g_ptr_array_index (rx_invoice_get_lines (again), 1);
  g_assert_cmpint (line->tax_minor, ==, 1);
  g_assert_cmpint (line->total_minor, ==, 6);
  line = g_ptr_array_index (rx_invoice_get_lines (again), 2);
  g_assert_cmpint (line->discount_minor, ==, 100);
  g_assert_cmpint (line->total_minor, ==, 1080);

  g_assert_cmpint (rx_invoice_get_tax_minor (again), ==, 200 + 1 + 180);
  g_assert_cmpint (rx_invoice_get_total_minor (again), ==, 1199 + 6 + 1080);
}

static void
expect_line_refused (RxTestTill                *f,
                     const char                *invoice_id,
                     const RxInvoiceLineFields *lf,
                     int                        code,
                     const char                *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = rx_test_snapshot (f->db);
  g_autofree char *id = rx_invoices_add_line (f->db, invoice_id, lf, &error);

  g_assert_null (id);
  rx_test_assert_error_says (error, code, words);
  rx_test_assert_unchanged (f->db, before);
}

static void
test_line_validation (RxTestTill    *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) inv = rx_test_open_invoice (f, "front");
  g_autoptr(RxInvoice) issued = rx_test_issued_invoice (f, "front", 1, 100);
  const char *id = rx_invoice_get_id (inv);
  RxInvoiceLineFields lf = { .description = "Plasters", .quantity = 1, .unit_price_minor = 300 };
  g_autofree char *before = NULL;

#define REFUSE(field, value, code, words) \
  G_STMT_START { \
    RxInvoiceLineFields bad = lf; \
    bad.field = value; \
    expect_line_refused (f, id, &bad, code, words); \
  } G_STMT_END

  REFUSE (quantity, 0, RX_CORE_ERROR_INVALID, "quantity");
  REFUSE (quantity, -2, RX_CORE_ERROR_INVALID, "refund");
  REFUSE (quantity, 1000000, RX_CORE_ERROR_INVALID, "quantity");
  REFUSE (unit_price_minor, -1, RX_CORE_ERROR_INVALID, "unit price");
  REFUSE (discount_minor, 301, RX_CORE_ERROR_INVALID, "discount");
  REFUSE (discount_minor, -1, RX_CORE_ERROR_INVALID, "discount");
  REFUSE (tax_rate_bp, 10001, RX_CORE_ERROR_INVALID, "basis points");
  REFUSE (tax_rate_bp, -1, RX_CORE_ERROR_INVALID, "basis points");
  REFUSE (description, "", RX_CORE_ERROR_INVALID, "required");
  REFUSE (description, " \t ", RX_CORE_ERROR_INVALID, "required");
  REFUSE (description, NULL, RX_CORE_ERROR_INVALID, "required");
  REFUSE (product_id, "no-such-product", RX_CORE_ERROR_NOT_FOUND, "product");
  REFUSE (reference_id, "x-1", RX_CORE_ERROR_INVALID, "reference kind");
#undef REFUSE

  /* the whole line value may be discounted, no more */
  lf.discount_minor = 300;
  g_free (rx_invoices_add_line (f->db, id, &lf, &error));
  g_assert_no_error (error);

  /* an issued invoice never changes */
  lf.discount_minor = 0;
  expect_line_refused (f, rx_invoice_get_id (issued), &lf, RX_CORE_ERROR_TRANSITION,
                       "credit note");
  expect_line_refused (f, "no-such-invoice", &lf, RX_CORE_ERROR_NOT_FOUND, "invoice");

  /* and issuing twice, or issuing an empty invoice, is refused */
  before = rx_test_snapshot (f->db);
  g_assert_false (rx_invoices_issue (f->db, rx_invoice_get_id (issued), &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION);
  g_clear_error (&error);
  {
    g_autoptr(RxInvoice) empty = rx_test_open_invoice (f, "front");

    g_free (before);
    before = rx_test_snapshot (f->db);
    g_assert_false (rx_invoices_issue (f->db, rx_invoice_get_id (empty), &error));
    rx_test_assert_error_says (error, RX_CORE_ERROR_INVALID, "no lines");
    g_clear_error (&error);
  }
  rx_test_assert_unchanged (f->db, before);

  /* opening needs a till */
  g_assert_null (rx_invoices_open (f->db, "  ", NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  rx_test_assert_unchanged (f->db, before);
}

static void
test_chain (RxTestTill    *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) one = rx_test_issued_invoice (f, "A", 1, 100);
  g_autoptr(RxInvoice) two = rx_test_issued_invoice (f, "A", 2, 200);
  g_autoptr(RxInvoice) three = rx_test_issued_invoice (f, "A", 3, 300);
  g_autoptr(RxInvoice) other = rx_test_issued_invoice (f, "B", 1, 999);
  g_autoptr(RxInvoice) parked = rx_test_open_invoice (f, "A");
  g_autoptr(RxInvoice) next = rx_test_open_invoice (f, "A");
  g_autofree char *bad = NULL;
  g_autofree char *sql = NULL;

  g_assert_cmpstr (rx_invoice_get_prev_hash (two), ==, rx_invoice_get_hash (one));
  g_assert_cmpstr (rx_invoice_get_prev_hash (three), ==, rx_invoice_get_hash (two));
  g_assert_cmpstr (rx_invoice_get_prev_hash (other), ==, rx_invoice_get_prev_hash (one));

  /* a parked sale issued after the next one: the chain follows issue order */
  rx_test_add_invoice_line (f, next, 1, 50, 0);
  rx_test_add_invoice_line (f, parked, 1, 70, 0);
  g_assert_true (rx_invoices_issue (f->db, rx_invoice_get_id (next), &error));
  g_assert_true (rx_invoices_issue (f->db, rx_invoice_get_id (parked), &error));
  g_assert_no_error (error);

  g_assert_true (rx_invoices_verify_chain (f->db, NULL, &bad, &error));
  g_assert_no_error (error);
  g_assert_null (bad);
  g_assert_true (rx_invoices_verify_chain (f->db, "A", &bad, &error));
  g_assert_no_error (error);

  /* the database refuses to change an issued invoice... */
  sql = g_strdup_printf ("UPDATE invoices SET total_minor = total_minor - 100 WHERE id = '%s'",
                         rx_invoice_get_id (two));
  g_assert_false (_rx_db_exec (f->db, sql, NULL));
  /* ...so someone drops the guard and lowers a total behind RxDesk's back */
  g_assert_true (_rx_db_exec (f->db, "DROP TRIGGER invoices_frozen", NULL));
  g_assert_true (_rx_db_exec (f->db, sql, NULL));
  g_assert_false (rx_invoices_verify_chain (f->db, NULL, &bad, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_FAILED, "Invoice 2 of till “A”");
  g_assert_cmpstr (bad, ==, rx_invoice_get_id (two));
  g_clear_error (&error);
  g_clear_pointer (&bad, g_free);

  /* the other till is not affected */
  g_assert_true (rx_invoices_verify_chain (f->db, "B", &bad, &error));
  g_assert_no_error (error);

  /* the check itself is on record */
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events "
                                         "WHERE action = 'verify'"), ==, 4);
}

/* Hiding an invoice breaks the link from the one issued after it. */
static void
test_chain_missing_link (RxTestTill    *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) one = rx_test_issued_invoice (f, "A", 1, 100);
  g_autoptr(RxInvoice) two = rx_test_issued_invoice (f, "A", 1, 200);
  g_autoptr(RxInvoice) three = rx_test_issued_invoice (f, "A", 1, 300);
  g_autofree char *bad = NULL;
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("UPDATE invoices SET deleted = 1 WHERE id = '%s'",
                         rx_invoice_get_id (two));
  g_assert_false (_rx_db_exec (f->db, sql, NULL));  /* refused while the guard stands */
  g_assert_true (_rx_db_exec (f->db, "DROP TRIGGER invoices_frozen", NULL));
  g_assert_true (_rx_db_exec (f->db, sql, NULL));
  g_assert_false (rx_invoices_verify_chain (f->db, "A", &bad, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_FAILED, "missing");
  g_assert_cmpstr (bad, ==, rx_invoice_get_id (three));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define INVOICE_TEST(path, func) \
  g_test_add (path, RxTestTill, NULL, rx_test_till_setup, func, rx_test_till_teardown)

  INVOICE_TEST ("/core/invoice/round-trip", test_round_trip);
  INVOICE_TEST ("/core/invoice/currency-setting", test_currency_setting);
  INVOICE_TEST ("/core/invoice/gapless-per-till", test_gapless_per_till);
  INVOICE_TEST ("/core/invoice/tax-rounding", test_tax_rounding);
  INVOICE_TEST ("/core/invoice/line-validation", test_line_validation);
  INVOICE_TEST ("/core/invoice/chain", test_chain);
  INVOICE_TEST ("/core/invoice/chain-missing-link", test_chain_missing_link);

  return g_test_run ();
}
