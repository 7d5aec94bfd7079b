/* test-stock-take.c: the inventory's periodic work: a stock-take records only differences
 * (and a refused one nothing), the reorder report, the CSV export's quoting and states, and a
 * product's movement history with its running balance. */
#include "config.h"

#include "rx-db-private.h"
#include "rx-test-fixtures.h"

#define DAY ((gint64) 24 * 3600 * G_USEC_PER_SEC)

typedef struct
{
  RxTestClinic  clinic;
  RxDb         *db;
  gint64        now;
} Fixture;

static char *
date_in (Fixture *f,
         int      days)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc ((f->now + days * DAY) /
                                                          G_USEC_PER_SEC);

  return g_date_time_format (t, "%Y-%m-%d");
}

static void
receive (Fixture    *f,
         const char *product,
         const char *lot,
         int         expires_in_days,
         gint64      quantity,
         const char *supplier)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *expiry = date_in (f, expires_in_days);
  g_autofree char *batch = NULL;
  RxStockReceipt r = {
    .product = product, .lot = lot, .expiry = expiry, .quantity = quantity,
    .unit_cost_minor = 12, .supplier = supplier,
  };

  batch = rx_stock_receive (f->db, &r, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *meds = g_test_build_filename (G_TEST_DIST, "data", "medicines-small.csv", NULL);
  g_autofree char *syns = g_test_build_filename (G_TEST_DIST, "data", "synonyms-small.csv", NULL);

  rx_test_clinic_setup (&f->clinic, data);
  f->db = f->clinic.db;
  f->now = rx_test_usec ("2031-05-01T08:00:00Z");
  rx_db_set_clock (f->db, rx_test_fixed_clock, &f->now);
  g_assert_true (rx_formulary_load_csv (f->db, meds, syns, NULL, &error));
  g_assert_no_error (error);

  receive (f, "amoxicillin-500mg-capsule", "AMX-A", 30, 10, "MedSupply");
  receive (f, "amoxicillin-500mg-capsule", "AMX-B", 200, 50, "MedSupply");
  receive (f, "paracetamol-500mg-tablet", "PAR-1", 400, 100, "Depot \"North\", Unit 4");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  rx_test_clinic_teardown (&f->clinic, data);
}

static gint64
lot_on_hand (RxDb       *db,
             const char *lot)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce (sum (m.quantity), 0) FROM "
                                          "stock_movements m JOIN stock_batches b ON "
                                          "b.id = m.batch_id WHERE b.lot = '%s'", lot);

  return rx_test_count (db, sql);
}

static char *
ledger (RxDb *db)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                          rx_test_count (db, "SELECT count(*) FROM stock_movements"),
                          rx_test_count (db, "SELECT count(*) FROM audit_events"),
                          rx_test_count (db, "SELECT count(*) FROM change_log"));
}

static void
take_refused (Fixture            *f,
              const RxStockCount *counts,
              guint               n,
              int                 code,
              const char         *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = ledger (f->db);
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) result = rx_stock_take (f->db, counts, n, &error);

  g_assert_null (result);
  rx_test_assert_error_says (error, code, words);
  after = ledger (f->db);
  g_assert_cmpstr (after, ==, before);
}

static void
test_take (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) result = NULL;
  RxStockCount counts[] = {
    { "amoxicillin-500mg-capsule", "AMX-A", 8 },
    { NULL, "AMX-B", 50 },
    { "paracetamol-500mg-tablet", "PAR-1", 105 },
  };
  RxStockCounted *c;

  result = rx_stock_take (f->db, counts, G_N_ELEMENTS (counts), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->len, ==, 3);
  c = result->pdata[0];
  g_assert_cmpstr (c->lot, ==, "AMX-A");
  g_assert_cmpstr (c->product_code, ==, "amoxicillin-500mg-capsule");
  g_assert_cmpint (c->expected, ==, 10);
  g_assert_cmpint (c->counted, ==, 8);
  g_assert_cmpint (c->difference, ==, -2);
  c = result->pdata[1];
  g_assert_cmpint (c->difference, ==, 0);
  c = result->pdata[2];
  g_assert_cmpint (c->difference, ==, 5);

  /* only the differences became movements: adjustments with the reason, audited */
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM stock_movements WHERE "
                                         "kind = 'adjust' AND reason = 'stock take'"), ==, 2);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM stock_movements WHERE "
                                         "kind = 'adjust' AND reason = 'stock take' AND "
                                         "quantity IN (-2, 5)"), ==, 2);
  g_assert_cmpint (lot_on_hand (f->db, "AMX-A"), ==, 8);
  g_assert_cmpint (lot_on_hand (f->db, "AMX-B"), ==, 50);
  g_assert_cmpint (lot_on_hand (f->db, "PAR-1"), ==, 105);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events WHERE action = "
                                         "'stock_take' AND entity_id IS NOT NULL"), ==, 2);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events WHERE action = "
                                         "'stock_take' AND detail = '3 lots counted, 2 adjusted'"),
                   ==, 1);

  /* counting again finds nothing to correct */
  g_clear_pointer (&result, g_ptr_array_unref);
  result = rx_stock_take (f->db, counts, G_N_ELEMENTS (counts), &error);
  g_assert_no_error (error);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM stock_movements WHERE "
                                         "reason = 'stock take'"), ==, 2);
}

static void
test_take_refused (Fixture       *f,
                   gconstpointer  data)
{
  RxStockCount unknown[] = { { NULL, "AMX-A", 9 }, { NULL, "NOPE", 1 } };
  RxStockCount twice[] = { { NULL, "AMX-A", 9 }, { "amoxicillin-500mg-capsule", "AMX-A", 1 } };
  RxStockCount negative[] = { { NULL, "AMX-A", -1 } };
  RxStockCount ambiguous[] = { { NULL, "SHARED", 1 } };
  RxStockCount wrong_product[] = { { "paracetamol-500mg-tablet", "AMX-A", 1 } };
  RxStockCount no_product[] = { { "no-such-product", "AMX-A", 1 } };

  /* the first count was fine; the second refuses the whole take */
  take_refused (f, unknown, 2, RX_CORE_ERROR_NOT_FOUND, "no lot “NOPE”");
  take_refused (f, twice, 2, RX_CORE_ERROR_INVALID, "counted twice");
  take_refused (f, negative, 1, RX_CORE_ERROR_INVALID, "from 0 to");
  take_refused (f, NULL, 0, RX_CORE_ERROR_INVALID, "from 1 to");
  take_refused (f, wrong_product, 1, RX_CORE_ERROR_NOT_FOUND,
                "no lot “AMX-A” of paracetamol-500mg-tablet");
  take_refused (f, no_product, 1, RX_CORE_ERROR_NOT_FOUND, "no-such-product");

  /* one lot number for two products: say which */
  receive (f, "amoxicillin-500mg-capsule", "SHARED", 100, 5, NULL);
  receive (f, "paracetamol-500mg-tablet", "SHARED", 100, 5, NULL);
  take_refused (f, ambiguous, 1, RX_CORE_ERROR_INVALID, "held for 2 products");
}

static void
set_level (Fixture    *f,
           const char *code,
           gint64      level)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxProduct) p = rx_formulary_get (f->db, code, &error);

  g_assert_no_error (error);
  g_assert_true (rx_formulary_set_reorder_level (f->db, rx_product_get_id (p), level, &error));
  g_assert_no_error (error);
}

static void
test_reorder (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  RxReorderLine *line;

  set_level (f, "amoxicillin-500mg-capsule", 60);
  set_level (f, "paracetamol-500mg-tablet", 50);
  set_level (f, "ibuprofen-400mg-tablet", 20);

  /* ibuprofen has none (the furthest below), amoxicillin is at its level, paracetamol above */
  lines = rx_stock_reorder_report (f->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 2);
  line = lines->pdata[0];
  g_assert_cmpstr (line->product_code, ==, "ibuprofen-400mg-tablet");
  g_assert_cmpint (line->on_hand, ==, 0);
  line = lines->pdata[1];
  g_assert_cmpstr (line->product_code, ==, "amoxicillin-500mg-capsule");
  g_assert_cmpint (line->reorder_level, ==, 60);
  g_assert_cmpint (line->on_hand, ==, 60);
  g_assert_cmpint (line->expired, ==, 0);
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* a month on, AMX-A has expired: it no longer counts as on hand */
  f->now += 31 * DAY;
  lines = rx_stock_reorder_report (f->db, &error);
  g_assert_no_error (error);
  line = lines->pdata[1];
  g_assert_cmpint (line->on_hand, ==, 50);
  g_assert_cmpint (line->expired, ==, 10);
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *amx_a = date_in (f, 30);
  g_autofree char *amx_b = date_in (f, 200);
  g_autofree char *par = date_in (f, 400);
  g_auto(GStrv) lines = NULL;

  csv = rx_stock_export_csv (f->db, NULL, -1, &error);
  g_assert_no_error (error);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_cmpstr (lines[0], ==, "product_code,product,lot,expiry,quantity,state,"
                                 "unit_cost_minor,supplier");
  expected = g_strdup_printf ("\"amoxicillin-500mg-capsule\",\"amoxicillin 500 mg capsule\","
                              "\"AMX-A\",\"%s\",10,expiring_soon,12,\"MedSupply\"", amx_a);
  g_assert_cmpstr (lines[1], ==, expected);
  g_free (expected);
  expected = g_strdup_printf ("\"amoxicillin-500mg-capsule\",\"amoxicillin 500 mg capsule\","
                              "\"AMX-B\",\"%s\",50,in_date,12,\"MedSupply\"", amx_b);
  g_assert_cmpstr (lines[2], ==, expected);
  g_free (expected);
  /* quotes doubled, the comma inside the quotes */
  expected = g_strdup_printf ("\"paracetamol-500mg-tablet\",\"paracetamol 500 mg tablet\","
                              "\"PAR-1\",\"%s\",100,in_date,12,\"Depot \"\"North\"\", Unit 4\"",
                              par);
  g_assert_cmpstr (lines[3], ==, expected);
  g_assert_cmpstr (lines[4], ==, "");
  g_clear_pointer (&csv, g_free);

  /* expired lots are exported, marked; the filters are stock list's */
  f->now += 31 * DAY;
  csv = rx_stock_export_csv (f->db, "amoxicillin-500mg-capsule", 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (csv, ",10,expired,"));
  g_assert_null (strstr (csv, "AMX-B"));
  g_assert_null (strstr (csv, "PAR-1"));
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events "
                                         "WHERE action = 'export'"), ==, 2);
}

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) moves = NULL;
  RxStockMovement *m;

  f->now += G_USEC_PER_SEC;
  g_assert_true (rx_stock_adjust (f->db, "amoxicillin-500mg-capsule", "AMX-B", -3, "damage",
                                  &error));
  g_assert_no_error (error);

  moves = rx_stock_history (f->db, "amoxicillin-500mg-capsule", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (moves->len, ==, 3);
  m = moves->pdata[0];
  g_assert_cmpstr (m->kind, ==, "adjust");
  g_assert_cmpstr (m->lot, ==, "AMX-B");
  g_assert_cmpint (m->quantity, ==, -3);
  g_assert_cmpstr (m->reason, ==, "damage");
  g_assert_cmpint (m->balance, ==, 47);
  m = moves->pdata[1];
  g_assert_cmpstr (m->kind, ==, "receive");
  g_assert_cmpstr (m->lot, ==, "AMX-B");
  g_assert_cmpint (m->balance, ==, 50);
  m = moves->pdata[2];
  g_assert_cmpstr (m->lot, ==, "AMX-A");
  g_assert_cmpint (m->balance, ==, 10);

  g_assert_null (rx_stock_history (f->db, "no-such-product", 0, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define STOCK_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  STOCK_TEST ("/core/stock/take", test_take);
  STOCK_TEST ("/core/stock/take-refused", test_take_refused);
  STOCK_TEST ("/core/stock/reorder", test_reorder);
  STOCK_TEST ("/core/stock/export", test_export);
  STOCK_TEST ("/core/stock/history", test_history);

  return g_test_run ();
}
