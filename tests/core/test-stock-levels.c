/* test-stock-levels.c: the inventory list's pages (on hand, expired, value, nearest expiry,
 * filters, paging to the end) and the safety alerts the dispensary sees for a prescription
 * (an allergy found; the prescription never a duplicate of itself). */
#include "config.h"

#include "rx-db-private.h"
#include "rx-test-fixtures.h"

#define PASSWORD "a long enough phrase"
#define DAY      ((gint64) 24 * 3600 * G_USEC_PER_SEC)

typedef struct
{
  RxTestClinic  clinic;
  RxDb         *db;
  gint64        now;
  char         *patient;
} Fixture;

static void
receive (Fixture    *f,
         const char *product,
         const char *lot,
         int         expires_in_days,
         gint64      quantity,
         gint64      unit_cost)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc ((f->now + expires_in_days * DAY) /
                                                          G_USEC_PER_SEC);
  g_autofree char *expiry = g_date_time_format (t, "%Y-%m-%d");
  g_autofree char *batch = NULL;
  RxStockReceipt r = {
    .product = product, .lot = lot, .expiry = expiry, .quantity = quantity,
    .unit_cost_minor = unit_cost,
  };

  batch = rx_stock_receive (f->db, &r, &error);
  g_assert_no_error (error);
  g_assert_nonnull (batch);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxCertificate) ca = NULL;
  g_autoptr(RxUser) doctor = NULL;
  g_autofree char *meds = g_test_build_filename (G_TEST_DIST, "data", "medicines-small.csv", NULL);
  g_autofree char *syns = g_test_build_filename (G_TEST_DIST, "data", "synonyms-small.csv", NULL);

  rx_test_clinic_setup (&f->clinic, data);
  f->db = f->clinic.db;
  f->now = (g_get_real_time () / G_USEC_PER_SEC) * G_USEC_PER_SEC;
  rx_db_set_clock (f->db, rx_test_fixed_clock, &f->now);

  g_assert_true (rx_formulary_load_csv (f->db, meds, syns, NULL, &error));
  g_assert_no_error (error);
  ca = rx_certs_create_ca (f->db, &error);
  g_assert_no_error (error);
  doctor = rx_users_add (f->db, "lchen", "Dr Li Chen", RX_ROLE_DOCTOR, PASSWORD, &error);
  g_assert_no_error (error);
  f->patient = rx_test_add_patient (f->db, "Okafor");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  rx_test_clinic_teardown (&f->clinic, data);
  g_free (f->patient);
}

static RxStockLevel *
level_of (GPtrArray  *levels,
          const char *code)
{
  for (guint i = 0; i < levels->len; i++)
    if (g_str_equal (((RxStockLevel *) levels->pdata[i])->product_code, code))
      return levels->pdata[i];
  return NULL;
}

static void
test_levels (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  gint64 count;
  RxStockLevel *amx, *par;

  receive (f, "amoxicillin-500mg-capsule", "AMX-A", 30, 10, 12);
  receive (f, "amoxicillin-500mg-capsule", "AMX-B", 120, 50, 10);
  receive (f, "paracetamol-500mg-tablet", "PAR-1", 400, 100, -1);
  g_assert_true (rx_stock_adjust (f->db, "amoxicillin-500mg-capsule", "AMX-B", -5, "damage",
                                  &error));
  g_assert_no_error (error);

  count = rx_stock_levels_count (f->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 10);
  all = rx_stock_levels (f->db, "", 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 10);

  /* by code, each with its own lots' sums */
  for (guint i = 1; i < all->len; i++)
    g_assert_cmpstr (((RxStockLevel *) all->pdata[i - 1])->product_code, <,
                     ((RxStockLevel *) all->pdata[i])->product_code);
  amx = level_of (all, "amoxicillin-500mg-capsule");
  g_assert_nonnull (amx);
  g_assert_cmpstr (amx->product_name, ==, "amoxicillin 500 mg capsule");
  g_assert_cmpint (amx->on_hand, ==, 55);
  g_assert_cmpint (amx->expired, ==, 0);
  g_assert_cmpint (amx->value_minor, ==, 10 * 12 + 45 * 10);
  g_assert_cmpuint (amx->lots, ==, 2);
  par = level_of (all, "paracetamol-500mg-tablet");
  g_assert_cmpint (par->on_hand, ==, 100);
  g_assert_cmpint (par->value_minor, ==, 0);  /* cost not known */
  g_assert_null (level_of (all, "morphine-10mg-tablet")->nearest_expiry);
  g_assert_cmpint (level_of (all, "morphine-10mg-tablet")->on_hand, ==, 0);

  /* 31 days on, lot AMX-A has expired: still on hand, counted as expired */
  f->now += 31 * DAY;
  g_clear_pointer (&all, g_ptr_array_unref);
  all = rx_stock_levels (f->db, NULL, 0, 100, &error);
  g_assert_no_error (error);
  amx = level_of (all, "amoxicillin-500mg-capsule");
  g_assert_cmpint (amx->on_hand, ==, 55);
  g_assert_cmpint (amx->expired, ==, 10);
}

static void
test_filter_and_pages (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 total;

  /* a part of the code, or of the name as a person types it */
  g_assert_cmpint (rx_stock_levels_count (f->db, "amox", &error), ==, 3);
  g_assert_cmpint (rx_stock_levels_count (f->db, "Amoxicillin 500 mg caps", &error), ==, 1);
  g_assert_cmpint (rx_stock_levels_count (f->db, "100_%", &error), ==, 0);
  g_assert_no_error (error);
  found = rx_stock_levels (f->db, "amoxicillin 500 mg capsule", 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((RxStockLevel *) found->pdata[0])->product_code, ==,
                   "amoxicillin-500mg-capsule");

  /* pages of three cover every product once, and the one past the end is empty */
  total = rx_stock_levels_count (f->db, NULL, &error);
  for (guint offset = 0; offset < total + 3; offset += 3)
    {
      g_autoptr(GPtrArray) page = rx_stock_levels (f->db, NULL, offset, 3, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, ==, MIN (3, MAX (total - (gint64) offset, 0)));
      for (guint i = 0; i < page->len; i++)
        g_assert_true (g_hash_table_add (seen, g_strdup (((RxStockLevel *) page->pdata[i])->product_id)));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, total);

  /* by key: the same rows in the same order, any page at its own cost */
  {
    g_autoptr(GArray) keys = rx_stock_level_keys (f->db, NULL, &error);
    g_autoptr(GArray) some = rx_stock_level_keys (f->db, "amox", &error);
    g_autoptr(GPtrArray) by_offset = rx_stock_levels (f->db, NULL, 4, 5, &error);
    g_autoptr(GPtrArray) by_key = NULL;
    g_autoptr(GPtrArray) none = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (keys->len, ==, total);
    g_assert_cmpuint (some->len, ==, 3);
    by_key = rx_stock_levels_by_key (f->db, &g_array_index (keys, gint64, 4), 5, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (by_key->len, ==, 5);
    for (guint i = 0; i < 5; i++)
      g_assert_cmpstr (((RxStockLevel *) by_key->pdata[i])->product_id, ==,
                       ((RxStockLevel *) by_offset->pdata[i])->product_id);
    none = rx_stock_levels_by_key (f->db, NULL, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (none->len, ==, 0);
  }
}

static char *
sign_prescription (Fixture    *f,
                   const char *product)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxPrescription) rx = NULL;
  RxItemFields items[] = {
    { .product = product, .dose = "1 capsule", .frequency = "TDS", .duration_days = 7,
      .quantity = 21 },
  };

  f->now += G_USEC_PER_SEC;
  rx = rx_prescriptions_create (f->db, f->patient, "lchen", items, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rx_prescriptions_sign (f->db, rx_prescription_get_id (rx), "lchen", PASSWORD,
                                        NULL, &error));
  g_assert_no_error (error);
  return g_strdup (rx_prescription_get_id (rx));
}

static GListModel *
check (Fixture     *f,
       const char  *prescription_id,
       GError     **error)
{
  g_autoptr(RxDispenseEntry) entry = rx_dispense_get_entry (f->db, prescription_id, error);

  return entry ? rx_dispense_check_safety (f->db, entry, error) : NULL;
}

static gboolean
has_alert (GListModel   *alerts,
           RxSafetyKind  kind)
{
  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(RxSafetyAlert) alert = g_list_model_get_item (alerts, i);

      if (rx_safety_alert_get_kind (alert) == kind)
        return TRUE;
    }
  return FALSE;
}

static void
test_dispense_safety (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) alerts = NULL;
  g_autofree char *first = sign_prescription (f, "amoxicillin-500mg-capsule");
  g_autofree char *allergy = NULL;
  g_autofree char *second = NULL;

  /* on its own, a prescription is no duplicate of itself */
  alerts = check (f, first, &error);
  g_assert_no_error (error);
  g_assert_false (has_alert (alerts, RX_SAFETY_DUPLICATE));
  g_assert_false (has_alert (alerts, RX_SAFETY_ALLERGY));
  g_clear_object (&alerts);

  /* an allergy recorded since it was signed shows at the pharmacy */
  allergy = rx_patients_add_allergy (f->db, f->patient, "penicillins", "rash", NULL, &error);
  g_assert_no_error (error);
  alerts = check (f, first, &error);
  g_assert_no_error (error);
  g_assert_true (has_alert (alerts, RX_SAFETY_ALLERGY));
  g_clear_object (&alerts);

  /* a second one for the same medicine is a duplicate of the first */
  second = sign_prescription (f, "amoxicillin-250mg-capsule");
  alerts = check (f, second, &error);
  g_assert_no_error (error);
  g_assert_true (has_alert (alerts, RX_SAFETY_DUPLICATE));
  g_clear_object (&alerts);

  alerts = check (f, "no-such-prescription", &error);
  g_assert_null (alerts);
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
}

#define LEVEL_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  LEVEL_TEST ("/core/stock-levels/sums", test_levels);
  LEVEL_TEST ("/core/stock-levels/filter-and-pages", test_filter_and_pages);
  LEVEL_TEST ("/core/dispense/safety", test_dispense_safety);

  return g_test_run ();
}
