/* test-sale.c: the sale on the till without a window: lines, quantities and discounts, tax
 * per line rounded half away from zero on minor units (as core writes it), totals by rate,
 * the dispensed lines that cannot change, and amounts read without floating point. */
#include "config.h"

#include "rx-sale.h"

static void
count_signal (RxSale *sale,
              guint  *count)
{
  (*count)++;
}

static void
test_lines_and_totals (void)
{
  g_autoptr(RxSale) sale = rx_sale_new ();
  g_autoptr(GArray) rates = NULL;
  g_autofree RxInvoiceLineFields *fields = NULL;
  guint changed = 0, n = 0;

  g_signal_connect (sale, "totals-changed", G_CALLBACK (count_signal), &changed);
  g_assert_true (rx_sale_is_empty (sale));
  g_assert_cmpint (rx_sale_get_total_minor (sale), ==, 0);

  /* 3 × 333 at 20 %: net 999, tax 199.8 → 200 */
  g_assert_cmpuint (rx_sale_add (sale, "p1", "Paracetamol", 333, 2000), ==, 0);
  g_assert_true (rx_sale_set_quantity (sale, 0, 3));
  /* the same product again is one more on its line */
  g_assert_cmpuint (rx_sale_add (sale, "p1", "Paracetamol", 333, 2000), ==, 0);
  g_assert_cmpint (rx_sale_get_line (sale, 0)->quantity, ==, 4);
  g_assert_true (rx_sale_set_quantity (sale, 0, 3));
  /* 1 × 105 less 100 at 10 %: net 5, tax 0.5 → 1 */
  g_assert_cmpuint (rx_sale_add (sale, NULL, "Delivery", 105, 1000), ==, 1);
  g_assert_true (rx_sale_set_discount (sale, 1, 100));
  /* 1 × 7 at 0 % */
  rx_sale_add (sale, "p2", "Plasters", 7, 0);
  g_assert_cmpuint (changed, >, 0);

  g_assert_cmpint (rx_sale_line_tax (rx_sale_get_line (sale, 0)), ==, 200);
  g_assert_cmpint (rx_sale_line_total (rx_sale_get_line (sale, 1)), ==, 6);
  g_assert_cmpint (rx_sale_get_net_minor (sale), ==, 999 + 5 + 7);
  g_assert_cmpint (rx_sale_get_tax_minor (sale), ==, 201);
  g_assert_cmpint (rx_sale_get_total_minor (sale), ==, 1199 + 6 + 7);

  rates = rx_sale_dup_tax_totals (sale);
  g_assert_cmpuint (rates->len, ==, 3);
  g_assert_cmpint (g_array_index (rates, RxTaxTotal, 0).rate_bp, ==, 0);
  g_assert_cmpint (g_array_index (rates, RxTaxTotal, 1).rate_bp, ==, 1000);
  g_assert_cmpint (g_array_index (rates, RxTaxTotal, 1).tax_minor, ==, 1);
  g_assert_cmpint (g_array_index (rates, RxTaxTotal, 2).gross_minor, ==, 1199);

  /* refused: nothing changes */
  g_assert_false (rx_sale_set_quantity (sale, 0, 0));
  g_assert_false (rx_sale_set_quantity (sale, 0, 100001));
  g_assert_false (rx_sale_set_discount (sale, 0, -1));
  g_assert_false (rx_sale_set_discount (sale, 0, 1000));   /* more than 3 × 333 */
  g_assert_cmpint (rx_sale_get_total_minor (sale), ==, 1212);

  /* a smaller quantity cuts a discount down to the line's new value */
  g_assert_true (rx_sale_set_discount (sale, 0, 999));
  g_assert_true (rx_sale_set_quantity (sale, 0, 1));
  g_assert_cmpint (rx_sale_get_line (sale, 0)->discount_minor, ==, 333);
  g_assert_cmpint (rx_sale_line_total (rx_sale_get_line (sale, 0)), ==, 0);

  fields = rx_sale_dup_new_lines (sale, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (fields[1].description, ==, "Delivery");
  g_assert_cmpint (fields[1].discount_minor, ==, 100);
  g_assert_cmpint (fields[1].tax_rate_bp, ==, 1000);

  rx_sale_remove (sale, 2);
  g_assert_cmpuint (rx_sale_get_n_lines (sale), ==, 2);
  rx_sale_clear (sale);
  g_assert_true (rx_sale_is_empty (sale));
}

static void
test_parse_money (void)
{
  struct { const char *text; guint digits; gboolean ok; gint64 minor; } cases[] = {
    { "12", 2, TRUE, 1200 },
    { "12.5", 2, TRUE, 1250 },
    { "12,50", 2, TRUE, 1250 },
    { " 0.05 ", 2, TRUE, 5 },
    { ".5", 2, TRUE, 50 },
    { "7.", 2, TRUE, 700 },
    { "1500", 0, TRUE, 1500 },
    { "1.250", 3, TRUE, 1250 },
    { "12.345", 2, FALSE, 0 },
    { "1.5", 0, FALSE, 0 },
    { "-3", 2, FALSE, 0 },
    { "+3", 2, FALSE, 0 },
    { "1.2.3", 2, FALSE, 0 },
    { "12a", 2, FALSE, 0 },
    { "", 2, FALSE, 0 },
    { ".", 2, FALSE, 0 },
    { "9999999999999", 2, FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 minor = -1;
      gboolean ok = rx_sale_parse_money (cases[i].text, cases[i].digits, &minor);

      g_test_message ("“%s” with %u digits", cases[i].text, cases[i].digits);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpint (minor, ==, cases[i].minor);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/sale/lines-and-totals", test_lines_and_totals);
  g_test_add_func ("/ui/sale/parse-money", test_parse_money);

  return g_test_run ();
}
