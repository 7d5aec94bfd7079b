/* test-formulary.c: loading the formulary (all or nothing), and searching it: prefixes, other
 * names and brands, ranking, one typo forgiven. Runs on a small fixture and on the shipped
 * reference data. */
#include "config.h"

#include "rx-test-util.h"

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static void
load_small (RxTestClinic *clinic)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *meds = fixture ("medicines-small.csv");
  g_autofree char *syns = fixture ("synonyms-small.csv");
  RxFormularyCounts counts;

  g_assert_true (rx_formulary_load_csv (clinic->db, meds, syns, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.products, ==, 10);
  g_assert_cmpuint (counts.drugs, ==, 8);
  g_assert_cmpuint (counts.synonyms, ==, 10);
  g_assert_cmpuint (counts.packs, ==, 14);
}

/* The first result's generic name */
static char *
top_inn (RxDb       *db,
         const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = rx_formulary_search (db, text, 10, &error);
  g_autoptr(RxProduct) first = NULL;

  g_assert_no_error (error);
  if (g_list_model_get_n_items (found) == 0)
    return NULL;
  first = g_list_model_get_item (found, 0);
  return g_strdup (rx_product_get_inn (first));
}

static void
assert_top (RxDb       *db,
            const char *text,
            const char *inn)
{
  g_autofree char *got = top_inn (db, text);

  if (g_strcmp0 (got, inn) != 0)
    g_error ("searching “%s” gave “%s” first, expected “%s”", text, got ? got : "(nothing)", inn);
}

static void
test_load_and_search_small (RxTestClinic  *clinic,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) amox = NULL;
  g_autoptr(RxProduct) first = NULL;
  g_autoptr(RxProduct) same = NULL;

  load_small (clinic);

  /* prefixes, as the prescriber types */
  assert_top (clinic->db, "amox", "amoxicillin");
  assert_top (clinic->db, "para", "paracetamol");
  /* other names and brands */
  assert_top (clinic->db, "aspirin", "acetylsalicylic acid");
  assert_top (clinic->db, "acetaminophen", "paracetamol");
  assert_top (clinic->db, "albuterol", "salbutamol");
  assert_top (clinic->db, "nitroglycerin", "glyceryl trinitrate");
  assert_top (clinic->db, "Ventolin", "salbutamol");
  assert_top (clinic->db, "co-amoxiclav", "amoxicillin + clavulanic acid");
  assert_top (clinic->db, "AUGMENTIN", "amoxicillin + clavulanic acid");
  /* one typo: substitution, deletion, insertion, transposition; and while still typing */
  assert_top (clinic->db, "amoxicilin", "amoxicillin");
  assert_top (clinic->db, "paracetomol", "paracetamol");
  assert_top (clinic->db, "ibuprofem", "ibuprofen");
  assert_top (clinic->db, "salbuatmol", "salbutamol");
  assert_top (clinic->db, "ibuprf", "ibuprofen");
  /* strength narrows the choice */
  {
    g_autoptr(GListModel) found = rx_formulary_search (clinic->db, "amoxicillin 500", 10, &error);
    g_autoptr(RxProduct) p = g_list_model_get_item (found, 0);

    g_assert_cmpstr (rx_product_get_code (p), ==, "amoxicillin-500mg-capsule");
  }
  /* the plain medicine ranks above the combination that contains its name */
  amox = rx_formulary_search (clinic->db, "amoxicillin", 10, &error);
  g_assert_cmpuint (g_list_model_get_n_items (amox), ==, 3);
  first = g_list_model_get_item (amox, 0);
  g_assert_cmpstr (rx_product_get_inn (first), ==, "amoxicillin");

  /* nothing near: no results, and the query language is never exposed */
  g_assert_null (top_inn (clinic->db, "zzzzqqq"));
  g_assert_null (top_inn (clinic->db, "\"qqx\" OR (qqx*"));
  g_assert_null (top_inn (clinic->db, "NEAR(a b)"));
  g_assert_null (top_inn (clinic->db, ""));

  /* packs and flags come through */
  same = rx_formulary_get (clinic->db, "morphine-10mg-tablet", &error);
  g_assert_no_error (error);
  g_assert_true (rx_product_get_controlled (same));
  g_assert_true (rx_product_get_rx_only (same));
  g_assert_cmpuint (rx_product_get_packs (same)->len, ==, 1);
  g_assert_cmpint (((RxPack *) rx_product_get_packs (same)->pdata[0])->price_minor, ==, 900);
}

static void
test_lookup_and_suggest (RxTestClinic  *clinic,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) aspirin = NULL;
  g_autoptr(GListModel) none = NULL;
  g_auto(GStrv) near = NULL;

  load_small (clinic);

  aspirin = rx_formulary_lookup (clinic->db, "Aspirin", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (aspirin), ==, 2);

  near = rx_formulary_suggest (clinic->db, "amoxxi", 3);
  g_assert_cmpstr (near[0], ==, "amoxicillin");

  none = rx_formulary_lookup (clinic->db, "qwertyuiop", &error);
  g_assert_null (none);
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
}

static void
test_reload_is_idempotent (RxTestClinic  *clinic,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  load_small (clinic);
  load_small (clinic);  /* same ids: rows updated, not duplicated */

  g_assert_cmpint (rx_db_count_rows (clinic->db, "products"), ==, 10);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM drug_fts"), ==, 10);
  g_assert_cmpint (rx_test_count (clinic->db,
                                  "SELECT count(*) FROM drug_fts WHERE drug_fts MATCH 'aspirin'"),
                   ==, 2);
}

/* A bad row anywhere means nothing at all is written, and the error names the line. */
static void
test_bad_files_change_nothing (RxTestClinic  *clinic,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_atc = fixture ("medicines-bad-atc.csv");
  g_autofree char *bad_quote = fixture ("medicines-bad-quote.csv");
  g_autofree char *missing = fixture ("no-such-file.csv");
  gint64 changes = rx_test_count (clinic->db, "SELECT count(*) FROM change_log");

  g_assert_false (rx_formulary_load_csv (clinic->db, bad_atc, NULL, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_nonnull (strstr (error->message, "J01CA4"));
  g_clear_error (&error);

  g_assert_false (rx_formulary_load_csv (clinic->db, bad_quote, NULL, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (rx_formulary_load_csv (clinic->db, missing, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM products"), ==, 0);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM drugs"), ==, 0);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM change_log"), ==, changes);
}

static void
test_edit_distance (void)
{
  g_assert_cmpuint (rx_edit_distance ("amoxicillin", "amoxicillin", 1), ==, 0);
  g_assert_cmpuint (rx_edit_distance ("amoxicilin", "amoxicillin", 1), ==, 1);
  g_assert_cmpuint (rx_edit_distance ("salbuatmol", "salbutamol", 1), ==, 1);
  g_assert_cmpuint (rx_edit_distance ("abc", "xyz", 1), ==, 2);
  g_assert_cmpuint (rx_edit_distance ("café", "cafe", 2), ==, 1);
}

static void
test_price_and_reorder (RxTestClinic  *clinic,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxProduct) p = NULL;

  load_small (clinic);
  p = rx_formulary_get (clinic->db, "paracetamol-500mg-tablet", &error);
  g_assert_true (rx_formulary_set_price (clinic->db, rx_product_get_id (p), 100, 475, &error));
  g_assert_no_error (error);
  g_assert_true (rx_formulary_set_reorder_level (clinic->db, rx_product_get_id (p), 200, &error));
  g_assert_false (rx_formulary_set_price (clinic->db, rx_product_get_id (p), 7, 100, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (rx_formulary_set_price (clinic->db, rx_product_get_id (p), 100, -1, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);

  g_clear_object (&p);
  p = rx_formulary_get (clinic->db, "paracetamol-500mg-tablet", &error);
  g_assert_cmpint (rx_product_get_reorder_level (p), ==, 200);
  g_assert_cmpint (((RxPack *) rx_product_get_packs (p)->pdata[1])->price_minor, ==, 475);
}

/* The reference data shipped in data/formulary/ */
static void
test_shipped_formulary (RxTestClinic  *clinic,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RxFormularyCounts counts;
  const char *pairs[][2] = {
    { "aspirin", "acetylsalicylic acid" },
    { "acetaminophen", "paracetamol" },
    { "albuterol", "salbutamol" },
    { "nitroglycerin", "glyceryl trinitrate" },
    { "amoxicilin", "amoxicillin" },
    { "metfromin", "metformin" },
    { "atorvastatin", "atorvastatin" },
    { "omeprazol", "omeprazole" },
  };

  g_assert_true (rx_formulary_load_default (clinic->db, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.products, >=, 400);
  g_assert_cmpuint (counts.drugs, >=, 250);
  g_assert_cmpuint (counts.synonyms, >=, 200);

  /* the schema's CHECK refuses a malformed ATC code; this states it for the shipped data */
  g_assert_cmpint (rx_test_count (clinic->db,
                                  "SELECT count(*) FROM products WHERE atc NOT GLOB "
                                  "'[ABCDGHJLMNPRSV][0-9][0-9][A-Z][A-Z][0-9][0-9]'"), ==, 0);
  g_assert_cmpint (rx_test_count (clinic->db,
                                  "SELECT count(*) FROM products p WHERE NOT EXISTS "
                                  "(SELECT 1 FROM packs k WHERE k.product_id = p.id)"), ==, 0);
  g_assert_cmpint (rx_test_count (clinic->db,
                                  "SELECT count(*) FROM products WHERE controlled = 1"), >, 5);

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    assert_top (clinic->db, pairs[i][0], pairs[i][1]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define CLINIC_TEST(path, func) \
  g_test_add (path, RxTestClinic, NULL, rx_test_clinic_setup, func, rx_test_clinic_teardown)

  g_test_add_func ("/core/formulary/edit-distance", test_edit_distance);
  CLINIC_TEST ("/core/formulary/load-and-search", test_load_and_search_small);
  CLINIC_TEST ("/core/formulary/lookup-and-suggest", test_lookup_and_suggest);
  CLINIC_TEST ("/core/formulary/reload-idempotent", test_reload_is_idempotent);
  CLINIC_TEST ("/core/formulary/bad-files-change-nothing", test_bad_files_change_nothing);
  CLINIC_TEST ("/core/formulary/price-and-reorder", test_price_and_reorder);
  CLINIC_TEST ("/core/formulary/shipped-data", test_shipped_formulary);

  return g_test_run ();
}
