/* test-report.c: the daily closing (Z) report: the local day's bounds in another time zone,
 * totals by document, tax rate and payment method, refunds, what is owed and what is open,
 * one till or all, and that its sums are the ledgers' sums. */
#include "config.h"

#include "rx-db-private.h"
#include "rx-test-fixtures.h"

static void
at (RxTestTill *f,
    const char *iso)
{
  f->now = rx_test_usec (iso);
}

static void
pay (RxTestTill *f,
     RxInvoice  *inv,
     const char *method,
     gint64      amount)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rx_invoices_pay (f->db, rx_invoice_get_id (inv), method, amount,
                                  g_str_equal (method, "insurance") ? "CLAIM-1" : NULL, NULL,
                                  &error));
  g_assert_no_error (error);
}

/* The day in +02:00 runs from 2031-04-30T22:00Z to 2031-05-01T22:00Z. */
static void
make_day (RxTestTill *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) a = NULL;
  g_autoptr(RxInvoice) b = NULL;
  g_autoptr(RxInvoice) c = NULL;
  g_autoptr(RxInvoice) d = NULL;
  g_autoptr(RxInvoice) e = NULL;
  g_autoptr(RxInvoice) late = NULL;
  g_autoptr(RxInvoice) credit = NULL;
  g_autofree char *line = NULL;
  RxInvoiceLineFields discounted = {
    .description = "Blood pressure check", .quantity = 1, .unit_price_minor = 500,
    .discount_minor = 50,
  };

  /* the evening before, local time: not in the day */
  at (f, "2031-04-30T21:30:00Z");
  a = rx_test_issued_invoice (f, "front", 1, 1000);
  pay (f, a, "cash", 1200);

  /* 01:00 local: in the day; cash with change */
  at (f, "2031-04-30T23:00:00Z");
  b = rx_test_issued_invoice (f, "front", 2, 450);
  pay (f, b, "cash", 2000);

  /* a 0 % line with a discount and a 20 % line, part paid by card */
  at (f, "2031-05-01T08:00:00Z");
  c = rx_test_open_invoice (f, "front");
  line = rx_invoices_add_line (f->db, rx_invoice_get_id (c), &discounted, &error);
  g_assert_no_error (error);
  rx_test_add_invoice_line (f, c, 1, 1000, 2000);
  g_assert_true (rx_invoices_issue (f->db, rx_invoice_get_id (c), &error));
  g_assert_no_error (error);
  pay (f, c, "card", 1000);

  /* yesterday's invoice refunded today: a credit note and cash paid back today */
  at (f, "2031-05-01T09:00:00Z");
  credit = rx_invoices_refund (f->db, rx_invoice_get_id (a), &error);
  g_assert_no_error (error);

  /* another till, paid by insurance */
  at (f, "2031-05-01T10:00:00Z");
  d = rx_test_issued_invoice (f, "back", 1, 1000);
  pay (f, d, "insurance", 1200);

  /* still open at closing: in no total */
  at (f, "2031-05-01T11:00:00Z");
  e = rx_test_open_invoice (f, "front");
  rx_test_add_invoice_line (f, e, 1, 300, 2000);

  /* after midnight local: the next day */
  at (f, "2031-05-01T22:30:00Z");
  late = rx_test_issued_invoice (f, "front", 1, 999);
  pay (f, late, "cash", 2000);
}

static const RxMethodTotal *
method (RxDailyReport *r,
        const char    *name)
{
  for (guint i = 0; i < r->payments->len; i++)
    if (g_str_equal (g_array_index (r->payments, RxMethodTotal, i).method, name))
      return &g_array_index (r->payments, RxMethodTotal, i);
  g_assert_not_reached ();
  return NULL;
}

static void
test_totals (RxTestTill    *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+02:00");
  g_auto(RxDailyReport) r = { NULL, };
  const RxTaxTotal *t;

  make_day (f);
  g_assert_true (rx_report_daily (f->db, "2031-05-01", tz, NULL, &r, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (r.date, ==, "2031-05-01");
  g_assert_cmpstr (r.from, ==, "2031-04-30T22:00:00.000Z");
  g_assert_cmpstr (r.until, ==, "2031-05-01T22:00:00.000Z");
  g_assert_null (r.till);
  g_assert_cmpstr (r.currency, ==, "USD");

  g_assert_cmpuint (r.invoices, ==, 3);
  g_assert_cmpint (r.sales_gross_minor, ==, 1080 + 1650 + 1200);
  g_assert_cmpint (r.sales_tax_minor, ==, 180 + 200 + 200);
  g_assert_cmpint (r.sales_net_minor, ==, 900 + 1450 + 1000);
  g_assert_cmpint (r.discount_minor, ==, 50);
  g_assert_cmpuint (r.credit_notes, ==, 1);
  g_assert_cmpint (r.refunds_gross_minor, ==, -1200);
  g_assert_cmpint (r.refunds_tax_minor, ==, -200);
  g_assert_cmpint (r.total_gross_minor, ==, 3930 - 1200);
  g_assert_cmpint (r.total_tax_minor, ==, 580 - 200);

  g_assert_cmpuint (r.tax_rates->len, ==, 2);
  t = &g_array_index (r.tax_rates, RxTaxTotal, 0);
  g_assert_cmpint (t->rate_bp, ==, 0);
  g_assert_cmpint (t->net_minor, ==, 450);
  g_assert_cmpint (t->tax_minor, ==, 0);
  t = &g_array_index (r.tax_rates, RxTaxTotal, 1);
  g_assert_cmpint (t->rate_bp, ==, 2000);
  g_assert_cmpint (t->net_minor, ==, 900 + 1000 + 1000 - 1000);
  g_assert_cmpint (t->tax_minor, ==, 180 + 200 + 200 - 200);
  g_assert_cmpint (t->gross_minor, ==, 2280);

  g_assert_cmpint (method (&r, "cash")->count, ==, 2);
  g_assert_cmpint (method (&r, "cash")->received_minor, ==, 1080);
  g_assert_cmpint (method (&r, "cash")->paid_back_minor, ==, -1200);
  g_assert_cmpint (method (&r, "cash")->net_minor, ==, -120);
  g_assert_cmpint (method (&r, "card")->received_minor, ==, 1000);
  g_assert_cmpint (method (&r, "insurance")->received_minor, ==, 1200);
  g_assert_cmpint (r.payments_minor, ==, -120 + 1000 + 1200);
  g_assert_cmpint (r.expected_cash_minor, ==, -120);
  g_assert_cmpint (r.outstanding_minor, ==, 650);
  g_assert_cmpuint (r.open_invoices, ==, 1);
  g_assert_cmpint (r.open_minor, ==, 360);

  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events WHERE action = "
                                         "'report' AND detail = 'daily report 2031-05-01'"), ==, 1);
}

/* Whatever the day, the report's sums are the ledgers' own. */
static void
test_matches_ledger (RxTestTill    *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+02:00");
  g_auto(RxDailyReport) r = { NULL, };
  g_autofree char *sql = NULL;
  gint64 gross = 0, tax = 0, paid = 0;

  make_day (f);
  g_assert_true (rx_report_daily (f->db, "2031-05-01", tz, NULL, &r, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < r.tax_rates->len; i++)
    {
      gross += g_array_index (r.tax_rates, RxTaxTotal, i).gross_minor;
      tax += g_array_index (r.tax_rates, RxTaxTotal, i).tax_minor;
    }
  for (guint i = 0; i < r.payments->len; i++)
    paid += g_array_index (r.payments, RxMethodTotal, i).net_minor;
  g_assert_cmpint (gross, ==, r.total_gross_minor);
  g_assert_cmpint (tax, ==, r.total_tax_minor);
  g_assert_cmpint (paid, ==, r.payments_minor);

  sql = g_strdup_printf ("SELECT sum (total_minor) FROM invoices WHERE issued_at >= '%s' "
                         "AND issued_at < '%s'", r.from, r.until);
  g_assert_cmpint (rx_test_count (f->db, sql), ==, r.total_gross_minor);
  g_free (sql);
  sql = g_strdup_printf ("SELECT sum (tax_minor) FROM invoices WHERE issued_at >= '%s' "
                         "AND issued_at < '%s'", r.from, r.until);
  g_assert_cmpint (rx_test_count (f->db, sql), ==, r.total_tax_minor);
  g_free (sql);
  sql = g_strdup_printf ("SELECT sum (amount_minor) FROM payments WHERE at >= '%s' "
                         "AND at < '%s'", r.from, r.until);
  g_assert_cmpint (rx_test_count (f->db, sql), ==, r.payments_minor);
  g_free (sql);
  sql = g_strdup_printf ("SELECT sum (amount_minor) FROM payments WHERE method = 'cash' "
                         "AND at >= '%s' AND at < '%s'", r.from, r.until);
  g_assert_cmpint (rx_test_count (f->db, sql), ==, r.expected_cash_minor);
}

static void
test_one_till (RxTestTill    *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+02:00");
  g_auto(RxDailyReport) r = { NULL, };
  g_auto(RxDailyReport) next = { NULL, };

  make_day (f);
  g_assert_true (rx_report_daily (f->db, "2031-05-01", tz, "back", &r, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (r.till, ==, "back");
  g_assert_cmpuint (r.invoices, ==, 1);
  g_assert_cmpint (r.sales_gross_minor, ==, 1200);
  g_assert_cmpuint (r.credit_notes, ==, 0);
  g_assert_cmpint (r.payments_minor, ==, 1200);
  g_assert_cmpint (r.expected_cash_minor, ==, 0);
  g_assert_cmpuint (r.open_invoices, ==, 0);

  /* no date: today on the database clock, in that zone (00:30 on the 2nd) */
  g_assert_true (rx_report_daily (f->db, NULL, tz, "front", &next, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (next.date, ==, "2031-05-02");
  g_assert_cmpuint (next.invoices, ==, 1);
  g_assert_cmpint (next.expected_cash_minor, ==, 1199);
}

static void
test_refused (RxTestTill    *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) doctor = NULL;
  g_autofree char *doctor_id = rx_test_add_user (f->db, "kmensah", "doctor");
  g_auto(RxDailyReport) r = { NULL, };

  g_assert_false (rx_report_daily (f->db, "2031-02-30", NULL, NULL, &r, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_assert_null (r.date);
  g_clear_error (&error);

  doctor = rx_users_find (f->db, doctor_id, &error);
  rx_db_set_user (f->db, doctor);
  g_assert_false (rx_report_daily (f->db, "2031-05-01", NULL, NULL, &r, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_PERMISSION, "bill and take payments");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define REPORT_TEST(path, func) \
  g_test_add (path, RxTestTill, NULL, rx_test_till_setup, func, rx_test_till_teardown)

  REPORT_TEST ("/core/report/daily-totals", test_totals);
  REPORT_TEST ("/core/report/matches-ledger", test_matches_ledger);
  REPORT_TEST ("/core/report/one-till", test_one_till);
  REPORT_TEST ("/core/report/refused", test_refused);

  return g_test_run ();
}
