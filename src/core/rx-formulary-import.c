/* rx-formulary-import.c: the formulary importer. Parsing checks every row and keeps the
 * reason for each rejected one; comparing with the clinic sorts the good rows into added,
 * changed and unchanged; applying writes them in one transaction, or nothing at all. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "rx-core-error.h"
#include "rx-csv-private.h"
#include "rx-db-private.h"
#include "rx-formulary-import.h"
#include "rx-uuid.h"

/* One row as the file gives it, checked. */
typedef struct
{
  RxFormularyImportRow pub;
  char   *inn;
  char   *atc;
  char   *form;
  char   *strength;
  char   *route;
  char   *unit;
  GArray *sizes;    /* gint64 */
  GArray *prices;   /* gint64 */
  gint64  rx_only;
  gint64  controlled;
  gint64  eml;
} ImportRow;

struct _RxFormularyImport
{
  GObject    parent_instance;

  char      *name;
  GPtrArray *rows;      /* of ImportRow, in file order */
  guint      counts[RX_IMPORT_REJECTED + 1];
};

G_DEFINE_FINAL_TYPE (RxFormularyImport, rx_formulary_import, G_TYPE_OBJECT)

#define N_COLUMNS 12

static const char * const columns[N_COLUMNS + 1] = {
  "id", "inn", "atc", "form", "strength", "route", "pack_sizes", "pack_unit",
  "pack_prices_minor", "rx_only", "controlled", "eml", NULL
};

static void
import_row_free (gpointer data)
{
  ImportRow *row = data;

  g_free (row->pub.code);
  g_free (row->pub.reason);
  g_free (row->inn);
  g_free (row->atc);
  g_free (row->form);
  g_free (row->strength);
  g_free (row->route);
  g_free (row->unit);
  g_clear_pointer (&row->sizes, g_array_unref);
  g_clear_pointer (&row->prices, g_array_unref);
  g_free (row);
}

static void
rx_formulary_import_finalize (GObject *object)
{
  RxFormularyImport *self = RX_FORMULARY_IMPORT (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (rx_formulary_import_parent_class)->finalize (object);
}

static void
rx_formulary_import_class_init (RxFormularyImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rx_formulary_import_finalize;
}

static void
rx_formulary_import_init (RxFormularyImport *self)
{
  self->rows = g_ptr_array_new_with_free_func (import_row_free);
}

/* Checking one row ------------------------------------------------------------------------ */

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
parse_numbers (const char *text,
               gboolean    positive,
               GArray     *out)
{
  g_auto(GStrv) parts = g_strsplit (text, "|", 64);

  for (guint i = 0; parts[i]; i++)
    {
      guint64 v;

      if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, positive ? 1 : 0,
                                       G_MAXINT32, &v, NULL))
        return FALSE;
      g_array_append_vals (out, &(gint64) { (gint64) v }, 1);
    }

  return out->len > 0;
}

static gboolean
parse_flag (const char *text,
            gint64     *out)
{
  if (g_strcmp0 (text, "0") == 0 || g_strcmp0 (text, "false") == 0)
    *out = 0;
  else if (g_strcmp0 (text, "1") == 0 || g_strcmp0 (text, "true") == 0)
    *out = 1;
  else
    return FALSE;
  return TRUE;
}

/* Fills @row from the cells (in the order of `columns`); returns the reason it is wrong, or
 * NULL. Every problem of the row is named, so one pass over the file fixes it. */
static char *
check_row (ImportRow          *row,
           const char * const *cell)
{
  g_autoptr(GPtrArray) why = g_ptr_array_new_with_free_func (g_free);
  static const char * const required[] = { "form", "strength", "route", "pack_unit" };
  const int required_col[] = { 3, 4, 5, 7 };

  row->pub.code = g_strdup (cell[0]);
  row->inn = g_utf8_strdown (cell[1], -1);
  row->atc = g_strdup (cell[2]);
  row->form = g_strdup (cell[3]);
  row->strength = g_strdup (cell[4]);
  row->route = g_strdup (cell[5]);
  row->unit = g_strdup (cell[7]);
  row->sizes = g_array_new (FALSE, FALSE, sizeof (gint64));
  row->prices = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (*cell[0] == '\0')
    g_ptr_array_add (why, g_strdup ("missing id"));
  if (*cell[1] == '\0')
    g_ptr_array_add (why, g_strdup ("missing inn (the medicine's generic name)"));
  if (*cell[2] == '\0')
    g_ptr_array_add (why, g_strdup ("missing ATC code"));
  else if (!valid_atc (cell[2]))
    g_ptr_array_add (why, g_strdup_printf ("bad ATC code “%s” (7 characters like J01CA04)",
                                           cell[2]));
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (*cell[required_col[i]] == '\0')
      g_ptr_array_add (why, g_strdup_printf ("missing %s", required[i]));
  if (!parse_numbers (cell[6], TRUE, row->sizes))
    g_ptr_array_add (why, g_strdup_printf ("pack size “%s” is not a whole number above 0 "
                                           "(several are separated by |)", cell[6]));
  if (!parse_numbers (cell[8], FALSE, row->prices))
    g_ptr_array_add (why, g_strdup_printf ("price “%s” is not a number in minor units "
                                           "(several are separated by |)", cell[8]));
  else if (row->sizes->len > 0 && row->sizes->len != row->prices->len)
    g_ptr_array_add (why, g_strdup_printf ("%u pack sizes but %u prices",
                                           row->sizes->len, row->prices->len));
  for (guint i = 0; i < row->sizes->len; i++)
    for (guint k = 0; k < i; k++)
      if (g_array_index (row->sizes, gint64, i) == g_array_index (row->sizes, gint64, k))
        {
          g_ptr_array_add (why, g_strdup_printf ("pack size %" G_GINT64_FORMAT " given twice",
                                                 g_array_index (row->sizes, gint64, i)));
          i = row->sizes->len - 1;
          break;
        }
  if (!parse_flag (cell[9], &row->rx_only))
    g_ptr_array_add (why, g_strdup ("rx_only must be 0 or 1"));
  if (!parse_flag (cell[10], &row->controlled))
    g_ptr_array_add (why, g_strdup ("controlled must be 0 or 1"));
  if (!parse_flag (cell[11], &row->eml))
    g_ptr_array_add (why, g_strdup ("eml must be 0 or 1"));
  if (row->controlled && !row->rx_only)
    g_ptr_array_add (why, g_strdup ("a controlled medicine must also be rx_only"));

  if (why->len == 0)
    return NULL;

  g_ptr_array_add (why, NULL);
  return g_strjoinv ("; ", (char **) why->pdata);
}

static void
add_row (RxFormularyImport  *self,
         guint               line,
         const char * const *cell,
         GHashTable         *seen)
{
  ImportRow *row = g_new0 (ImportRow, 1);
  guint first;

  row->pub.line = line;
  row->pub.reason = check_row (row, cell);
  row->pub.outcome = row->pub.reason ? RX_IMPORT_REJECTED : RX_IMPORT_ADDED;

  if (*cell[0] != '\0' && (first = GPOINTER_TO_UINT (g_hash_table_lookup (seen, cell[0]))) != 0)
    {
      g_autofree char *old = g_steal_pointer (&row->pub.reason);

      row->pub.reason = g_strdup_printf ("%s%sthe id “%s” is already on line %u",
                                         old ? old : "", old ? "; " : "", cell[0], first);
      row->pub.outcome = RX_IMPORT_REJECTED;
    }
  else if (*cell[0] != '\0')
    g_hash_table_insert (seen, g_strdup (cell[0]), GUINT_TO_POINTER (line));

  g_ptr_array_add (self->rows, row);
}

/* Reading CSV and JSON -------------------------------------------------------------------- */

static gboolean
parse_csv (RxFormularyImport  *self,
           const char         *data,
           gsize               length,
           GError            **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) rows = _rx_csv_parse (data, length, self->name, lines, error);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int col[N_COLUMNS];

  if (rows == NULL)
    return FALSE;

  if (rows->len == 0 || _rx_csv_row_is_blank (rows->pdata[0]))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "“%s” is empty; choose a formulary file with a header line and one "
                   "medicine per line", self->name);
      return FALSE;
    }
  if (!_rx_csv_map_columns (rows->pdata[0], columns, col, self->name,
                            "the formulary README (data/formulary)", error))
    {
      g_prefix_error (error, "This is not a formulary file: ");
      return FALSE;
    }

  for (guint i = 1; i < rows->len; i++)
    {
      const char *cell[N_COLUMNS];

      if (_rx_csv_row_is_blank (rows->pdata[i]))
        continue;
      for (guint c = 0; c < N_COLUMNS; c++)
        cell[c] = _rx_csv_cell (rows->pdata[i], col[c]);
      add_row (self, g_array_index (lines, guint, i), cell, seen);
    }

  return TRUE;
}

/* A JSON value as the text a CSV cell would hold: "28|100" for an array of numbers. */
static char *
json_cell (JsonObject *object,
           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          g_autofree char *one = NULL;

          if (JSON_NODE_HOLDS_VALUE (item) &&
              json_node_get_value_type (item) == G_TYPE_INT64)
            one = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (item));
          else if (JSON_NODE_HOLDS_VALUE (item) &&
                   json_node_get_value_type (item) == G_TYPE_STRING)
            one = g_strdup (json_node_get_string (item));
          else
            one = g_strdup ("?");
          g_string_append_printf (text, "%s%s", i ? "|" : "", one);
        }
      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  if (!JSON_NODE_HOLDS_VALUE (node))
    return g_strdup ("?");

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strstrip (g_strdup (json_node_get_string (node)));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "1" : "0");
    default:
      return g_strdup ("?");  /* a fraction: never valid in any column */
    }
}

static gboolean
parse_json (RxFormularyImport  *self,
            const char         *data,
            gsize               length,
            GError            **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonNode *root;
  JsonArray *items = NULL;

  if (length > G_MAXSSIZE || !json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "“%s” is not valid JSON (%s); fix the file or save it as CSV",
                   self->name, local_error ? local_error->message : "too large");
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    items = json_node_get_array (root);
  else if (root != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
           json_object_has_member (json_node_get_object (root), "medicines") &&
           JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root),
                                                          "medicines")))
    items = json_object_get_array_member (json_node_get_object (root), "medicines");

  if (items == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "“%s” is JSON but not a formulary: it must be a list of medicines, or an "
                   "object with a “medicines” list", self->name);
      return FALSE;
    }
  if (json_array_get_length (items) == 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "“%s” has no medicines in it", self->name);
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      char *cells[N_COLUMNS];
      const char *cell[N_COLUMNS];

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          ImportRow *row = g_new0 (ImportRow, 1);

          row->pub.line = i + 1;
          row->pub.code = g_strdup ("");
          row->pub.outcome = RX_IMPORT_REJECTED;
          row->pub.reason = g_strdup ("not an object with the formulary's columns");
          g_ptr_array_add (self->rows, row);
          continue;
        }
      for (guint c = 0; c < N_COLUMNS; c++)
        cell[c] = cells[c] = json_cell (json_node_get_object (node), columns[c]);
      add_row (self, i + 1, cell, seen);
      for (guint c = 0; c < N_COLUMNS; c++)
        g_free (cells[c]);
    }

  return TRUE;
}

static gboolean
looks_like_json (const char *data,
                 gsize       length,
                 const char *name)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (data[i]))
      return data[i] == '[' || data[i] == '{';

  return name != NULL && g_str_has_suffix (name, ".json");
}

/**
 * rx_formulary_import_parse:
 * @data: the file's contents
 * @name: what to call the file in messages
 *
 * Reads and checks a formulary file without looking at any clinic: every good row counts as
 * added until rx_formulary_import_compare() is called. A file that cannot be a formulary at
 * all (not UTF-8, not CSV or JSON, no header, empty) is an error; a bad row is not.
 */
RxFormularyImport *
rx_formulary_import_parse (const char  *data,
                           gsize        length,
                           const char  *name,
                           GError     **error)
{
  g_autoptr(RxFormularyImport) self = NULL;
  gsize blank = 0;
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  self = g_object_new (RX_TYPE_FORMULARY_IMPORT, NULL);
  self->name = g_strdup (name ? name : "the formulary file");


  while (blank < length && g_ascii_isspace (data[blank]))
    blank++;
  if (blank == length)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "“%s” is empty; choose a formulary file with a header line and one "
                   "medicine per line", self->name);
      return NULL;
    }
  if (memchr (data, '\0', length) != NULL || !g_utf8_validate (data, length, NULL))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "“%s” is not a text file; choose a formulary saved as UTF-8 CSV or JSON",
                   self->name);
      return NULL;
    }

  if (looks_like_json (data, length, name))
    ok = parse_json (self, data, length, error);
  else
    ok = parse_csv (self, data, length, error);
  if (!ok)
    return NULL;

  for (guint i = 0; i < self->rows->len; i++)
    self->counts[((ImportRow *) self->rows->pdata[i])->pub.outcome]++;

  return g_steal_pointer (&self);
}

/* Comparing with the clinic --------------------------------------------------------------- */

static char *
describe_changes (RxDb      *db,
                  ImportRow *row,
                  GError   **error)
{
  g_autoptr(GPtrArray) what = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  g_autofree char *product_id = NULL;
  gboolean found = FALSE;

  stmt = _rx_db_prepare (db,
                         "SELECT p.id, d.inn, p.atc, p.form, p.strength, p.route, p.rx_only, "
                         "p.controlled, p.eml, p.deleted FROM products p "
                         "JOIN drugs d ON d.id = p.drug_id WHERE p.code = ?1", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, row->pub.code);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *texts[] = { row->inn, row->atc, row->form, row->strength, row->route };
      const char *names[] = { "name", "ATC code", "form", "strength", "route" };
      gint64 flags[] = { row->rx_only, row->controlled, row->eml };
      const char *flag_names[] = { "prescription-only", "controlled", "essential list" };

      found = TRUE;
      product_id = _rx_stmt_dup_text (stmt, 0);
      for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
        if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1 + i), texts[i]) != 0)
          g_ptr_array_add (what, (gpointer) names[i]);
      for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
        if (sqlite3_column_int64 (stmt, 6 + i) != flags[i])
          g_ptr_array_add (what, (gpointer) flag_names[i]);
      if (sqlite3_column_int64 (stmt, 9) != 0)
        g_ptr_array_add (what, (gpointer) "back in the formulary");
    }
  sqlite3_reset (stmt);

  if (!found)
    return g_strdup ("");  /* added */

  stmt = _rx_db_prepare (db, "SELECT unit, price_minor FROM packs "
                             "WHERE product_id = ?1 AND size = ?2 AND deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < row->sizes->len; i++)
    {
      gboolean pack_found;

      _rx_stmt_bind_text (stmt, 1, product_id);
      sqlite3_bind_int64 (stmt, 2, g_array_index (row->sizes, gint64, i));
      pack_found = sqlite3_step (stmt) == SQLITE_ROW;
      if (!pack_found)
        {
          if (!g_ptr_array_find_with_equal_func (what, "new pack size", g_str_equal, NULL))
            g_ptr_array_add (what, (gpointer) "new pack size");
        }
      else
        {
          if (sqlite3_column_int64 (stmt, 1) != g_array_index (row->prices, gint64, i) &&
              !g_ptr_array_find_with_equal_func (what, "price", g_str_equal, NULL))
            g_ptr_array_add (what, (gpointer) "price");
          if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), row->unit) != 0 &&
              !g_ptr_array_find_with_equal_func (what, "pack unit", g_str_equal, NULL))
            g_ptr_array_add (what, (gpointer) "pack unit");
        }
      sqlite3_reset (stmt);
    }

  g_ptr_array_add (what, NULL);
  return what->len == 1 ? NULL : g_strjoinv (", ", (char **) what->pdata);
}

/* Sorts each good row into added, changed (with what changed) or unchanged. */
gboolean
rx_formulary_import_compare (RxFormularyImport  *self,
                             RxDb               *db,
                             GError            **error)
{
  g_return_val_if_fail (RX_IS_FORMULARY_IMPORT (self), FALSE);
  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  memset (self->counts, 0, sizeof self->counts);
  for (guint i = 0; i < self->rows->len; i++)
    {
      ImportRow *row = self->rows->pdata[i];
      g_autoptr(GError) local_error = NULL;
      char *changes;

      if (row->pub.outcome != RX_IMPORT_REJECTED)
        {
          changes = describe_changes (db, row, &local_error);
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_clear_pointer (&row->pub.reason, g_free);
          if (changes == NULL)
            row->pub.outcome = RX_IMPORT_UNCHANGED;
          else if (*changes == '\0')
            {
              row->pub.outcome = RX_IMPORT_ADDED;
              g_free (changes);
            }
          else
            {
              row->pub.outcome = RX_IMPORT_CHANGED;
              row->pub.reason = changes;
            }
        }
      self->counts[row->pub.outcome]++;
    }

  return TRUE;
}

/* Reads @path and compares it with the clinic: what rx_formulary_import_apply() would do. */
RxFormularyImport *
rx_formulary_import_preview (RxDb        *db,
                             const char  *path,
                             GError     **error)
{
  g_autoptr(RxFormularyImport) self = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *base = NULL;
  gsize length;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  base = g_path_get_basename (path);
  self = rx_formulary_import_parse (contents, length, base, error);
  if (self == NULL || !rx_formulary_import_compare (self, db, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* Writing --------------------------------------------------------------------------------- */

static RxRow *
row_for (RxDb       *db,
         const char *table,
         const char *id,
         GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?1", table);
  sqlite3_stmt *stmt = _rx_db_prepare (db, sql, error);
  gboolean found;

  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, id);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return found ? _rx_row_new_update (table, id) : _rx_row_new_insert_with_id (table, id);
}

static char *
drug_for (RxDb       *db,
          const char *inn,
          GError    **error)
{
  sqlite3_stmt *stmt = _rx_db_prepare (db, "SELECT id FROM drugs WHERE inn = ?1", error);
  g_autofree char *id = NULL;
  g_autoptr(RxRow) drug = NULL;

  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, inn);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  if (id != NULL)
    return g_steal_pointer (&id);

  /* the same derived id as the shipped formulary, so workstations agree */
  id = rx_uuid_for_name ("org.rxdesk.drug", inn);
  drug = _rx_row_new_insert_with_id ("drugs", id);
  _rx_row_set_text (drug, "inn", inn);
  if (!_rx_db_put (db, drug, error))
    return NULL;

  return g_steal_pointer (&id);
}

static gboolean
write_row (RxDb      *db,
           ImportRow *row,
           GError   **error)
{
  g_autofree char *drug_id = drug_for (db, row->inn, error);
  g_autofree char *product_id = NULL;
  g_autoptr(RxRow) product = NULL;
  sqlite3_stmt *stmt;

  if (drug_id == NULL)
    return FALSE;

  /* an existing product keeps its id, whoever made it */
  stmt = _rx_db_prepare (db, "SELECT id FROM products WHERE code = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, row->pub.code);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    product_id = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  if (product_id == NULL)
    product_id = rx_uuid_for_name ("org.rxdesk.product", row->pub.code);

  product = row_for (db, "products", product_id, error);
  if (product == NULL)
    return FALSE;
  _rx_row_set_text (product, "code", row->pub.code);
  _rx_row_set_text (product, "drug_id", drug_id);
  _rx_row_set_text (product, "atc", row->atc);
  _rx_row_set_text (product, "form", row->form);
  _rx_row_set_text (product, "strength", row->strength);
  _rx_row_set_text (product, "route", row->route);
  _rx_row_set_int (product, "rx_only", row->rx_only);
  _rx_row_set_int (product, "controlled", row->controlled);
  _rx_row_set_int (product, "eml", row->eml);
  _rx_row_set_int (product, "deleted", 0);
  if (!_rx_db_put (db, product, error))
    return FALSE;

  for (guint i = 0; i < row->sizes->len; i++)
    {
      gint64 size = g_array_index (row->sizes, gint64, i);
      g_autofree char *pack_id = NULL;
      g_autoptr(RxRow) pack = NULL;

      stmt = _rx_db_prepare (db, "SELECT id FROM packs WHERE product_id = ?1 AND size = ?2",
                             error);
      if (stmt == NULL)
        return FALSE;
      _rx_stmt_bind_text (stmt, 1, product_id);
      sqlite3_bind_int64 (stmt, 2, size);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        pack_id = _rx_stmt_dup_text (stmt, 0);
      sqlite3_reset (stmt);

      if (pack_id != NULL)
        pack = _rx_row_new_update ("packs", pack_id);
      else
        {
          g_autofree char *key = g_strdup_printf ("%s/%" G_GINT64_FORMAT, row->pub.code, size);

          pack_id = rx_uuid_for_name ("org.rxdesk.pack", key);
          pack = row_for (db, "packs", pack_id, error);
          if (pack == NULL)
            return FALSE;
        }
      _rx_row_set_text (pack, "product_id", product_id);
      _rx_row_set_int (pack, "size", size);
      _rx_row_set_text (pack, "unit", row->unit);
      _rx_row_set_int (pack, "price_minor", g_array_index (row->prices, gint64, i));
      _rx_row_set_int (pack, "deleted", 0);
      if (!_rx_db_put (db, pack, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * rx_formulary_import_apply:
 *
 * Writes the added and changed rows in one transaction (compared again inside it, so a
 * change made since the preview is not overwritten blindly), with one audit event. A file
 * with any rejected row writes nothing: the admin fixes the file and imports it again.
 */
gboolean
rx_formulary_import_apply (RxFormularyImport  *self,
                           RxDb               *db,
                           GError            **error)
{
  g_autofree char *detail = NULL;

  g_return_val_if_fail (RX_IS_FORMULARY_IMPORT (self), FALSE);
  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (!_rx_db_require (db, RX_ACTION_FORMULARY_WRITE, error))
    return FALSE;

  if (self->counts[RX_IMPORT_REJECTED] > 0)
    {
      guint n = self->counts[RX_IMPORT_REJECTED];

      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "%u %s of “%s” %s wrong; fix the file and import it again "
                   "(nothing was changed)", n, n == 1 ? "row" : "rows", self->name,
                   n == 1 ? "is" : "are");
      return FALSE;
    }

  if (!rx_db_begin (db, error))
    return FALSE;

  if (!rx_formulary_import_compare (self, db, error))
    goto fail;

  for (guint i = 0; i < self->rows->len; i++)
    {
      ImportRow *row = self->rows->pdata[i];

      if (row->pub.outcome != RX_IMPORT_ADDED && row->pub.outcome != RX_IMPORT_CHANGED)
        continue;
      if (!write_row (db, row, error))
        {
          g_prefix_error (error, "%s line %u: ", self->name, row->pub.line);
          goto fail;
        }
    }

  detail = g_strdup_printf ("%s: %u added, %u changed, %u unchanged", self->name,
                            self->counts[RX_IMPORT_ADDED], self->counts[RX_IMPORT_CHANGED],
                            self->counts[RX_IMPORT_UNCHANGED]);
  if (!_rx_db_audit (db, "import", "formulary", NULL, detail, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return TRUE;

fail:
  rx_db_rollback (db);
  return FALSE;
}

/* Accessors ------------------------------------------------------------------------------- */

const char *
rx_formulary_import_get_name (RxFormularyImport *self)
{
  g_return_val_if_fail (RX_IS_FORMULARY_IMPORT (self), NULL);
  return self->name;
}

guint
rx_formulary_import_count (RxFormularyImport *self,
                           RxImportOutcome    outcome)
{
  g_return_val_if_fail (RX_IS_FORMULARY_IMPORT (self), 0);
  g_return_val_if_fail (outcome <= RX_IMPORT_REJECTED, 0);
  return self->counts[outcome];
}

guint
rx_formulary_import_get_n_rows (RxFormularyImport *self)
{
  g_return_val_if_fail (RX_IS_FORMULARY_IMPORT (self), 0);
  return self->rows->len;
}

const RxFormularyImportRow *
rx_formulary_import_get_row (RxFormularyImport *self,
                             guint              index)
{
  g_return_val_if_fail (RX_IS_FORMULARY_IMPORT (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);
  return &((ImportRow *) self->rows->pdata[index])->pub;
}

const char *
rx_import_outcome_to_string (RxImportOutcome outcome)
{
  static const char * const names[] = { "added", "changed", "unchanged", "rejected" };

  g_return_val_if_fail (outcome <= RX_IMPORT_REJECTED, NULL);
  return names[outcome];
}
