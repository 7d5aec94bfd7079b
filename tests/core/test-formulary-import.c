/* test-formulary-import.c: the formulary importer: the preview writes nothing and names every
 * rejected row with its line; the write is all or nothing; CSV and JSON; a large file. */
#include "config.h"

#include "rx-test-fixtures.h"

#define HEADER "id,inn,atc,form,strength,route,pack_sizes,pack_unit,pack_prices_minor," \
               "rx_only,controlled,eml\n"

static const char good_csv[] =
  HEADER
  "test-amox-500,amoxicillin,J01CA04,capsule,500 mg,oral,21|100,capsule,250|900,1,0,1\n"
  "test-para-500,paracetamol,N02BE01,tablet,500 mg,oral,16,tablet,120,0,0,1\n"
  "\n"
  "\"test-morph-10\",morphine,N02AA01,\"oral\nsolution\",10 mg/5 ml,oral,100,ml,800,1,1,1\n";

static RxFormularyImport *
preview (RxDb       *db,
         const char *text,
         const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxFormularyImport) import = rx_formulary_import_parse (text, strlen (text), name,
                                                                   &error);

  g_assert_no_error (error);
  g_assert_nonnull (import);
  g_assert_true (rx_formulary_import_compare (import, db, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&import);
}

static void
assert_counts (RxFormularyImport *import,
               guint              added,
               guint              changed,
               guint              unchanged,
               guint              rejected)
{
  g_assert_cmpuint (rx_formulary_import_count (import, RX_IMPORT_ADDED), ==, added);
  g_assert_cmpuint (rx_formulary_import_count (import, RX_IMPORT_CHANGED), ==, changed);
  g_assert_cmpuint (rx_formulary_import_count (import, RX_IMPORT_UNCHANGED), ==, unchanged);
  g_assert_cmpuint (rx_formulary_import_count (import, RX_IMPORT_REJECTED), ==, rejected);
}

static void
test_good_file (RxTestClinic  *clinic,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxFormularyImport) import = preview (clinic->db, good_csv, "good.csv");
  g_autoptr(RxFormularyImport) again = NULL;
  g_autoptr(RxFormularyImport) priced = NULL;
  g_autofree char *before = rx_test_snapshot (clinic->db);
  g_autofree char *changed = NULL;
  const RxFormularyImportRow *row;

  /* the preview wrote nothing */
  assert_counts (import, 3, 0, 0, 0);
  rx_test_assert_unchanged (clinic->db, before);
  /* a quoted field over two lines: the next row's line is still right */
  row = rx_formulary_import_get_row (import, 2);
  g_assert_cmpuint (row->line, ==, 5);
  g_assert_cmpstr (row->code, ==, "test-morph-10");

  g_assert_true (rx_formulary_import_apply (import, clinic->db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM products WHERE code LIKE "
                                  "'test-%'"), ==, 3);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM packs"), ==, 4);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM audit_events WHERE "
                                  "action = 'import' AND entity = 'formulary'"), ==, 1);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM change_log "
                                  "WHERE entity = 'products'"), ==, 3);

  /* the same file again changes nothing */
  again = preview (clinic->db, good_csv, "good.csv");
  assert_counts (again, 0, 0, 3, 0);

  /* a new price is a change, and says so */
  changed = g_strdup (good_csv);
  memcpy (strstr (changed, "120,"), "130,", 4);
  priced = preview (clinic->db, changed, "good.csv");
  assert_counts (priced, 0, 1, 2, 0);
  row = rx_formulary_import_get_row (priced, 1);
  g_assert_cmpint (row->outcome, ==, RX_IMPORT_CHANGED);
  g_assert_cmpstr (row->reason, ==, "price");
  g_assert_true (rx_formulary_import_apply (priced, clinic->db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT price_minor FROM packs WHERE size = 16"),
                   ==, 130);
}

static void
test_bad_rows (RxTestClinic  *clinic,
               gconstpointer  data)
{
  static const char bad[] =
    HEADER
    "ok-1,amoxicillin,J01CA04,capsule,500 mg,oral,21,capsule,250,1,0,1\n"
    "bad-atc,amoxicillin,J01CA4,capsule,250 mg,oral,21,capsule,200,1,0,1\n"
    "no-strength,amoxicillin,J01CA04,capsule,,oral,21,capsule,200,1,0,1\n"
    "bad-price,amoxicillin,J01CA04,capsule,125 mg,oral,21,capsule,12.50,1,0,1\n"
    "ok-1,amoxicillin,J01CA04,capsule,500 mg,oral,21,capsule,250,1,0,1\n"
    "bad-flags,morphine,N02AA01,tablet,10 mg,oral,10,tablet,100,0,1,yes\n";
  static const guint lines[] = { 3, 4, 5, 6, 7 };
  static const char *words[] = { "ATC", "missing strength", "price “12.50”", "already on line 2",
                                 "eml must be 0 or 1" };
  g_autoptr(GError) error = NULL;
  g_autofree char *before = rx_test_snapshot (clinic->db);
  g_autoptr(RxFormularyImport) import = preview (clinic->db, bad, "bad.csv");
  guint k = 0;

  assert_counts (import, 1, 0, 0, 5);
  for (guint i = 0; i < rx_formulary_import_get_n_rows (import); i++)
    {
      const RxFormularyImportRow *row = rx_formulary_import_get_row (import, i);

      if (row->outcome != RX_IMPORT_REJECTED)
        continue;
      g_assert_cmpuint (row->line, ==, lines[k]);
      if (strstr (row->reason, words[k]) == NULL)
        g_error ("line %u: “%s” does not say “%s”", row->line, row->reason, words[k]);
      k++;
    }
  g_assert_cmpuint (k, ==, 5);

  g_assert_false (rx_formulary_import_apply (import, clinic->db, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_INVALID, "nothing was changed");
  rx_test_assert_unchanged (clinic->db, before);
}

static void
test_not_a_formulary (void)
{
  static const char *files[] = {
    "",                                     /* empty */
    "  \n\n",                               /* only blank lines */
    "Dear pharmacist,\nplease order more.\n", /* prose */
    "id,name\n1,x\n",                       /* CSV, but other columns */
    "\"id,inn\nunterminated",               /* broken quotes */
    "{\"hello\": 1}",                       /* JSON, not a list */
    "[1, 2",                                /* broken JSON */
  };
  static const guint8 binary[] = { 0x89, 'P', 'N', 'G', 0, 1, 2, 0xff };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(RxFormularyImport) import = rx_formulary_import_parse (files[i],
                                                                       strlen (files[i]),
                                                                       "x.csv", &error);

      if (import != NULL)
        g_error ("“%s” was taken for a formulary", files[i]);
      g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
      g_clear_error (&error);
    }

  g_assert_null (rx_formulary_import_parse ((const char *) binary, sizeof binary, "x.png",
                                            &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_INVALID, "not a text file");
}

static void
test_json (RxTestClinic  *clinic,
           gconstpointer  data)
{
  static const char json[] =
    "{\"medicines\": ["
    " {\"id\": \"j-ibu-200\", \"inn\": \"Ibuprofen\", \"atc\": \"M01AE01\", \"form\": \"tablet\","
    "  \"strength\": \"200 mg\", \"route\": \"oral\", \"pack_sizes\": [24, 48],"
    "  \"pack_unit\": \"tablet\", \"pack_prices_minor\": [150, 280], \"rx_only\": false,"
    "  \"controlled\": false, \"eml\": true},"
    " {\"id\": \"j-bad\", \"inn\": \"x\", \"atc\": \"M01AE01\", \"form\": \"tablet\","
    "  \"strength\": \"1 mg\", \"route\": \"oral\", \"pack_sizes\": 10, \"pack_unit\": \"tablet\","
    "  \"pack_prices_minor\": 1.5, \"rx_only\": 0, \"controlled\": 0, \"eml\": 0},"
    " \"not an object\""
    "]}";
  g_autoptr(RxFormularyImport) import = preview (clinic->db, json, "f.json");

  assert_counts (import, 1, 0, 0, 2);
  g_assert_cmpuint (rx_formulary_import_get_row (import, 1)->line, ==, 2);
  g_assert_nonnull (strstr (rx_formulary_import_get_row (import, 1)->reason, "price"));
  g_assert_cmpuint (rx_formulary_import_get_row (import, 2)->line, ==, 3);
}

static void
test_large_file (RxTestClinic  *clinic,
                 gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autoptr(GError) error = NULL;
  g_autoptr(RxFormularyImport) import = NULL;
  g_autoptr(RxFormularyImport) again = NULL;
  gint64 start;

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (text, "bulk-%05u,bulk medicine %u,N02BE01,tablet,%u mg,oral,"
                            "10|20,tablet,%u|%u,0,0,0\n", i, i % 500, 100 + i % 7, i, 2 * i);

  start = g_get_monotonic_time ();
  import = preview (clinic->db, text->str, "bulk.csv");
  assert_counts (import, 10000, 0, 0, 0);
  g_assert_true (rx_formulary_import_apply (import, clinic->db, &error));
  g_assert_no_error (error);
  g_test_message ("10 000 rows previewed and written in %.1f s",
                  (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM products WHERE code LIKE "
                                  "'bulk-%'"), ==, 10000);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM drugs WHERE inn LIKE "
                                  "'bulk medicine %'"), ==, 500);

  again = preview (clinic->db, text->str, "bulk.csv");
  assert_counts (again, 0, 0, 10000, 0);
}

static void
test_needs_right (RxTestClinic  *clinic,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxFormularyImport) import = preview (clinic->db, good_csv, "good.csv");
  g_autofree char *id = rx_test_add_user (clinic->db, "tnguyen", "receptionist");
  g_autoptr(RxUser) user = rx_users_find (clinic->db, id, &error);
  g_autofree char *before = NULL;

  g_assert_no_error (error);
  before = rx_test_snapshot (clinic->db);
  rx_db_set_user (clinic->db, user);
  g_assert_false (rx_formulary_import_apply (import, clinic->db, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  rx_db_set_user (clinic->db, NULL);
  rx_test_assert_unchanged (clinic->db, before);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define CLINIC_TEST(path, func) \
  g_test_add (path, RxTestClinic, NULL, rx_test_clinic_setup, func, rx_test_clinic_teardown)

  CLINIC_TEST ("/core/formulary-import/good-file", test_good_file);
  CLINIC_TEST ("/core/formulary-import/bad-rows", test_bad_rows);
  g_test_add_func ("/core/formulary-import/not-a-formulary", test_not_a_formulary);
  CLINIC_TEST ("/core/formulary-import/json", test_json);
  CLINIC_TEST ("/core/formulary-import/large-file", test_large_file);
  CLINIC_TEST ("/core/formulary-import/needs-right", test_needs_right);

  return g_test_run ();
}
