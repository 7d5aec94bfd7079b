/* rx-formulary-load.c: loading the formulary reference data (CSV, read with libcsv) into a
 * clinic database, all of it or nothing, with ids derived from the file's own ids. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>

#include "rx-core-error.h"
#include "rx-csv-private.h"
#include "rx-db-private.h"
#include "rx-formulary.h"
#include "rx-uuid.h"
#include "rx-validate.h"

/* Loading --------------------------------------------------------------------------------- */

static gboolean
row_exists (RxDb       *db,
            const char *table,
            const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?1", table);
  sqlite3_stmt *stmt = _rx_db_prepare (db, sql, NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, id);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return found;
}

static RxRow *
row_for (RxDb       *db,
         const char *table,
         const char *id)
{
  if (row_exists (db, table, id))
    return _rx_row_new_update (table, id);
  return _rx_row_new_insert_with_id (table, id);
}

static gboolean
parse_flag (const char *text,
            gint64     *out)
{
  if (g_strcmp0 (text, "0") == 0 || g_strcmp0 (text, "1") == 0)
    {
      *out = text[0] == '1';
      return TRUE;
    }
  return FALSE;
}

static gboolean
valid_atc (const char *atc)
{
  return strlen (atc) == 7 &&
         strchr ("ABCDGHJLMNPRSV", atc[0]) != NULL &&
         g_ascii_isdigit (atc[1]) && g_ascii_isdigit (atc[2]) &&
         g_ascii_isupper (atc[3]) && g_ascii_isupper (atc[4]) &&
         g_ascii_isdigit (atc[5]) && g_ascii_isdigit (atc[6]);
}

static gboolean
parse_int_list (const char  *text,
                GArray      *out)
{
  g_auto(GStrv) parts = g_strsplit (text, "|", -1);

  for (guint i = 0; parts[i]; i++)
    {
      guint64 v;

      if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 0, G_MAXINT32, &v, NULL))
        return FALSE;
      g_array_append_val (out, v);
    }

  return out->len > 0;
}

#define FAIL_AT(line, ...) \
  G_STMT_START { \
    g_autofree char *why_ = g_strdup_printf (__VA_ARGS__); \
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID, \
                 "medicines.csv line %u: %s; fix that line and load again " \
                 "(nothing was changed)", line, why_); \
    return FALSE; \
  } G_STMT_END

static gboolean
load_medicine (RxDb               *db,
               GPtrArray          *r,
               const int          *col,
               guint               line,
               GHashTable         *drugs,
               RxFormularyCounts  *counts,
               GError            **error)
{
  const char *code = _rx_csv_cell (r, col[0]);
  const char *atc = _rx_csv_cell (r, col[2]);
  const char *form = _rx_csv_cell (r, col[3]);
  const char *strength = _rx_csv_cell (r, col[4]);
  const char *route = _rx_csv_cell (r, col[5]);
  const char *unit = _rx_csv_cell (r, col[7]);
  g_autofree char *inn = g_utf8_strdown (_rx_csv_cell (r, col[1]), -1);
  g_autofree char *product_id = NULL;
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) prices = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(RxRow) product = NULL;
  gint64 rx_only, controlled, eml;
  const char *drug_id;

  if (*code == '\0' || *inn == '\0')
    FAIL_AT (line, "the id and inn columns must not be empty");
  if (!valid_atc (atc))
    FAIL_AT (line, "ATC code “%s” is not in the 7-character form like J01CA04", atc);
  if (*form == '\0' || *strength == '\0' || *route == '\0' || *unit == '\0')
    FAIL_AT (line, "form, strength, route and pack_unit are all required");
  if (!parse_int_list (_rx_csv_cell (r, col[6]), sizes) ||
      !parse_int_list (_rx_csv_cell (r, col[8]), prices))
    FAIL_AT (line, "pack_sizes and pack_prices_minor must be whole numbers separated by |");
  if (sizes->len != prices->len)
    FAIL_AT (line, "%u pack sizes but %u prices; give one price per pack size",
             sizes->len, prices->len);
  if (!parse_flag (_rx_csv_cell (r, col[9]), &rx_only) ||
      !parse_flag (_rx_csv_cell (r, col[10]), &controlled) ||
      !parse_flag (_rx_csv_cell (r, col[11]), &eml))
    FAIL_AT (line, "rx_only, controlled and eml must each be 0 or 1");
  if (controlled && !rx_only)
    FAIL_AT (line, "a controlled medicine must also be prescription-only");

  drug_id = g_hash_table_lookup (drugs, inn);
  if (drug_id == NULL)
    {
      g_autofree char *id = rx_uuid_for_name ("org.rxdesk.drug", inn);
      g_autoptr(RxRow) drug = row_for (db, "drugs", id);

      _rx_row_set_text (drug, "inn", inn);
      if (!_rx_db_put (db, drug, error))
        return FALSE;
      g_hash_table_insert (drugs, g_strdup (inn), g_strdup (id));
      drug_id = g_hash_table_lookup (drugs, inn);
      counts->drugs++;
    }

  product_id = rx_uuid_for_name ("org.rxdesk.product", code);
  product = row_for (db, "products", product_id);
  _rx_row_set_text (product, "code", code);
  _rx_row_set_text (product, "drug_id", drug_id);
  _rx_row_set_text (product, "atc", atc);
  _rx_row_set_text (product, "form", form);
  _rx_row_set_text (product, "strength", strength);
  _rx_row_set_text (product, "route", route);
  _rx_row_set_int (product, "rx_only", rx_only);
  _rx_row_set_int (product, "controlled", controlled);
  _rx_row_set_int (product, "eml", eml);
  if (!_rx_db_put (db, product, error))
    {
      g_prefix_error (error, "medicines.csv line %u: ", line);
      return FALSE;
    }
  counts->products++;

  for (guint i = 0; i < sizes->len; i++)
    {
      g_autofree char *key = g_strdup_printf ("%s/%" G_GUINT64_FORMAT, code,
                                              g_array_index (sizes, guint64, i));
      g_autofree char *pack_id = rx_uuid_for_name ("org.rxdesk.pack", key);
      g_autoptr(RxRow) pack = row_for (db, "packs", pack_id);

      _rx_row_set_text (pack, "product_id", product_id);
      _rx_row_set_int (pack, "size", g_array_index (sizes, guint64, i));
      _rx_row_set_text (pack, "unit", unit);
      _rx_row_set_int (pack, "price_minor", g_array_index (prices, guint64, i));
      if (!_rx_db_put (db, pack, error))
        {
          g_prefix_error (error, "medicines.csv line %u: ", line);
          return FALSE;
        }
      counts->packs++;
    }

  return TRUE;
}

static gboolean
load_synonyms (RxDb               *db,
               GPtrArray          *rows,
               GHashTable         *drugs,
               RxFormularyCounts  *counts,
               GError            **error)
{
  static const char * const wanted[] = { "inn", "name", "kind", NULL };
  static const char * const kinds[] = { "synonym", "brand", NULL };
  int col[3];

  if (rows->len == 0 || !_rx_csv_map_columns (rows->pdata[0], wanted, col, "synonyms.csv",
                                              "data/formulary/README.md", error))
    return rows->len == 0;

  for (guint i = 1; i < rows->len; i++)
    {
      GPtrArray *r = rows->pdata[i];
      g_autofree char *inn = g_utf8_strdown (_rx_csv_cell (r, col[0]), -1);
      const char *name = _rx_csv_cell (r, col[1]);
      const char *kind = _rx_csv_cell (r, col[2]);
      const char *drug_id;
      g_autofree char *key = NULL;
      g_autofree char *id = NULL;
      g_autoptr(RxRow) row = NULL;

      if (_rx_csv_row_is_blank (r))
        continue;  /* blank line */

      drug_id = g_hash_table_lookup (drugs, inn);
      if (drug_id == NULL)
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "synonyms.csv line %u: “%s” is not a medicine in medicines.csv; "
                       "fix the inn column (nothing was changed)", i + 1, inn);
          return FALSE;
        }
      if (*name == '\0' || !g_strv_contains (kinds, kind))
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "synonyms.csv line %u: needs a name and a kind of synonym or brand "
                       "(nothing was changed)", i + 1);
          return FALSE;
        }

      key = g_strdup_printf ("%s/%s", inn, name);
      id = rx_uuid_for_name ("org.rxdesk.synonym", key);
      row = row_for (db, "drug_synonyms", id);
      _rx_row_set_text (row, "drug_id", drug_id);
      _rx_row_set_text (row, "name", name);
      _rx_row_set_text (row, "kind", kind);
      if (!_rx_db_put (db, row, error))
        {
          g_prefix_error (error, "synonyms.csv line %u: ", i + 1);
          return FALSE;
        }
      counts->synonyms++;
    }

  return TRUE;
}

/* Loads (or reloads) the formulary in one transaction: all of it, or nothing. Ids are
 * derived from the file's own ids, so every workstation that loads the same files agrees. */
gboolean
rx_formulary_load_csv (RxDb               *db,
                       const char         *medicines_csv,
                       const char         *synonyms_csv,
                       RxFormularyCounts  *counts,
                       GError            **error)
{
  static const char * const wanted[] = {
    "id", "inn", "atc", "form", "strength", "route", "pack_sizes", "pack_unit",
    "pack_prices_minor", "rx_only", "controlled", "eml", NULL
  };
  g_autoptr(GPtrArray) medicines = NULL;
  g_autoptr(GPtrArray) synonyms = NULL;
  g_autoptr(GHashTable) drugs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *detail = NULL;
  RxFormularyCounts local = { 0, };
  int col[12];

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (medicines_csv != NULL, FALSE);

  if (!_rx_db_require (db, RX_ACTION_FORMULARY_WRITE, error))
    return FALSE;

  medicines = _rx_csv_read (medicines_csv, error);
  if (medicines == NULL)
    return FALSE;
  if (synonyms_csv != NULL && (synonyms = _rx_csv_read (synonyms_csv, error)) == NULL)
    return FALSE;

  if (medicines->len < 2)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "“%s” has no medicines in it", medicines_csv);
      return FALSE;
    }
  if (!_rx_csv_map_columns (medicines->pdata[0], wanted, col, "medicines.csv",
                            "data/formulary/README.md", error))
    return FALSE;

  if (!rx_db_begin (db, error))
    return FALSE;

  for (guint i = 1; i < medicines->len; i++)
    {
      GPtrArray *r = medicines->pdata[i];

      if (_rx_csv_row_is_blank (r))
        continue;
      if (!load_medicine (db, r, col, i + 1, drugs, &local, error))
        goto fail;
    }

  if (synonyms != NULL && !load_synonyms (db, synonyms, drugs, &local, error))
    goto fail;

  detail = g_strdup_printf ("%u medicines, %u products, %u packs, %u other names",
                            local.drugs, local.products, local.packs, local.synonyms);
  if (!_rx_db_audit (db, "import", "formulary", NULL, detail, error) ||
      !rx_db_commit (db, error))
    goto fail;

  if (counts)
    *counts = local;
  return TRUE;

fail:
  rx_db_rollback (db);
  return FALSE;
}

/* The installed data folder, or the one named by RXDESK_DATA_DIR (tests, uninstalled runs). */
char *
rx_formulary_find_data_dir (void)
{
  const char *env = g_getenv ("RXDESK_DATA_DIR");
  g_autofree char *installed = g_build_filename (PKGDATADIR, NULL);

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_steal_pointer (&installed);
}

gboolean
rx_formulary_load_default (RxDb               *db,
                           RxFormularyCounts  *counts,
                           GError            **error)
{
  g_autofree char *dir = rx_formulary_find_data_dir ();
  g_autofree char *medicines = g_build_filename (dir, "formulary", "medicines.csv", NULL);
  g_autofree char *synonyms = g_build_filename (dir, "formulary", "synonyms.csv", NULL);

  if (!g_file_test (medicines, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "The formulary data is missing (%s); reinstall RxDesk or set "
                   "RXDESK_DATA_DIR to the folder that holds formulary/", medicines);
      return FALSE;
    }

  return rx_formulary_load_csv (db, medicines, synonyms, counts, error);
}
