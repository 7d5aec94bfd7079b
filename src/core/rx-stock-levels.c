/* rx-stock-levels.c: the inventory list's rows, a page at a time: each product of the
 * formulary with what its lots here hold, are worth and when the first of them expires. Only
 * the rows asked for are summed. A page by offset walks the rows before it; the list reads
 * the products' keys once and then pages by key, so its last page of 100 000 costs what the
 * first does. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-stock-private.h"

#define MAX_PAGE 1000

G_DEFINE_BOXED_TYPE (RxStockLevel, rx_stock_level, rx_stock_level_copy, rx_stock_level_free)

RxStockLevel *
rx_stock_level_copy (const RxStockLevel *level)
{
  RxStockLevel *copy = g_memdup2 (level, sizeof *level);

  copy->product_id = g_strdup (level->product_id);
  copy->product_code = g_strdup (level->product_code);
  copy->product_name = g_strdup (level->product_name);
  copy->nearest_expiry = g_strdup (level->nearest_expiry);
  return copy;
}

void
rx_stock_level_free (RxStockLevel *level)
{
  if (level == NULL)
    return;
  g_free (level->product_id);
  g_free (level->product_code);
  g_free (level->product_name);
  g_free (level->nearest_expiry);
  g_free (level);
}

/* NULL for no filter; else the text to look for, with LIKE's own characters escaped. */
static char *
like_pattern (const char *filter)
{
  g_autofree char *clean = NULL;
  GString *pattern;

  if (filter == NULL)
    return NULL;
  clean = g_strstrip (g_utf8_strdown (filter, -1));
  if (*clean == '\0')
    return NULL;

  pattern = g_string_new ("%");
  for (const char *c = clean; *c != '\0'; c++)
    {
      if (*c == '%' || *c == '_' || *c == '\\')
        g_string_append_c (pattern, '\\');
      /* a space in a name is a hyphen in a code: "amoxicillin 500" finds amoxicillin-500mg */
      g_string_append_c (pattern, *c == ' ' ? '%' : *c);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

#define LEVEL_WHERE \
  "WHERE p.deleted = 0 AND (?1 IS NULL OR p.code LIKE ?1 ESCAPE '\\' " \
  "  OR (d.inn || ' ' || p.strength || ' ' || p.form) LIKE ?1 ESCAPE '\\') "

gint64
rx_stock_levels_count (RxDb        *db,
                       const char  *filter,
                       GError     **error)
{
  g_autofree char *pattern = like_pattern (filter);
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), -1);

  stmt = _rx_db_prepare (db, "SELECT count (*) FROM products p JOIN drugs d ON d.id = p.drug_id "
                             LEVEL_WHERE, error);
  if (stmt == NULL)
    return -1;
  _rx_stmt_bind_text (stmt, 1, pattern);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    _rx_db_sqlite_error (db, rc, "Counting products", error);

  return count;
}

#define LEVEL_COLUMNS \
  "WITH l_lots AS NOT MATERIALIZED (SELECT b.product_id AS product, b.expiry, " \
  "  b.unit_cost_minor AS cost, (SELECT coalesce (sum (m.quantity), 0) " \
  "    FROM stock_movements m WHERE m.batch_id = b.id AND m.deleted = 0) AS n " \
  "  FROM stock_batches b WHERE b.deleted = 0 AND b.site_id = ?5) " \
  "SELECT p.id, p.code, d.inn || ' ' || p.strength || ' ' || p.form, " \
  "  p.reorder_level, " \
  "  (SELECT coalesce (sum (q.n), 0) FROM l_lots q WHERE q.product = p.id), " \
  "  (SELECT coalesce (sum (q.n), 0) FROM l_lots q WHERE q.product = p.id " \
  "     AND q.expiry <= ?4), " \
  "  (SELECT coalesce (sum (q.n * q.cost), 0) FROM l_lots q " \
  "     WHERE q.product = p.id AND q.cost IS NOT NULL), " \
  "  (SELECT min (q.expiry) FROM l_lots q WHERE q.product = p.id AND q.n > 0), " \
  "  (SELECT count (*) FROM l_lots q WHERE q.product = p.id AND q.n <> 0) " \
  "FROM products p JOIN drugs d ON d.id = p.drug_id "

/* Reads the rows of a statement made from LEVEL_COLUMNS, its ?4 and ?5 bound here. */
static GPtrArray *
read_levels (RxDb          *db,
             sqlite3_stmt  *stmt,
             GError       **error)
{
  g_autoptr(GPtrArray) levels = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_stock_level_free);
  g_autofree char *today = _rx_stock_today (db);
  int rc;

  _rx_stmt_bind_text (stmt, 4, today);
  _rx_stmt_bind_text (stmt, 5, rx_db_get_site_id (db));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RxStockLevel *level = g_new0 (RxStockLevel, 1);

      level->product_id = _rx_stmt_dup_text (stmt, 0);
      level->product_code = _rx_stmt_dup_text (stmt, 1);
      level->product_name = _rx_stmt_dup_text (stmt, 2);
      level->reorder_level = sqlite3_column_int64 (stmt, 3);
      level->on_hand = sqlite3_column_int64 (stmt, 4);
      level->expired = sqlite3_column_int64 (stmt, 5);
      level->value_minor = sqlite3_column_int64 (stmt, 6);
      level->nearest_expiry = _rx_stmt_dup_text (stmt, 7);
      level->lots = sqlite3_column_int (stmt, 8);
      g_ptr_array_add (levels, level);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Listing stock levels", error);
      return NULL;
    }

  return g_steal_pointer (&levels);
}

/**
 * rx_stock_levels:
 *
 * Returns: (transfer full) (element-type RxStockLevel): the page, shorter (or empty) at the
 *   end, or %NULL with @error set
 */
GPtrArray *
rx_stock_levels (RxDb        *db,
                 const char  *filter,
                 guint        offset,
                 guint        limit,
                 GError     **error)
{
  g_autofree char *pattern = like_pattern (filter);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (limit > 0 && limit <= MAX_PAGE, NULL);

  stmt = _rx_db_prepare (db, LEVEL_COLUMNS LEVEL_WHERE "ORDER BY p.code LIMIT ?2 OFFSET ?3",
                         error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, pattern);
  sqlite3_bind_int64 (stmt, 2, limit);
  sqlite3_bind_int64 (stmt, 3, offset);
  return read_levels (db, stmt, error);
}

/**
 * rx_stock_level_keys:
 *
 * The products matching @filter as keys, by product code: one number each (800 kB for
 * 100 000 products), so that a list can then read any page of them by key, as cheaply at the
 * end as at the start.
 *
 * Returns: (transfer full) (element-type gint64): the keys, or %NULL with @error set
 */
GArray *
rx_stock_level_keys (RxDb        *db,
                     const char  *filter,
                     GError     **error)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *pattern = like_pattern (filter);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  stmt = _rx_db_prepare (db, "SELECT p.rowid FROM products p JOIN drugs d ON d.id = p.drug_id "
                             LEVEL_WHERE "ORDER BY p.code", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, pattern);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 key = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (keys, key);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Listing products", error);
      return NULL;
    }

  return g_steal_pointer (&keys);
}

/**
 * rx_stock_levels_by_key:
 * @keys: (array length=n_keys): keys from rx_stock_level_keys()
 *
 * Returns: (transfer full) (element-type RxStockLevel): the products of those keys that
 *   still exist, by product code, or %NULL with @error set
 */
GPtrArray *
rx_stock_levels_by_key (RxDb          *db,
                        const gint64  *keys,
                        guint          n_keys,
                        GError       **error)
{
  g_autoptr(GString) list = g_string_new ("[");
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (keys != NULL || n_keys == 0, NULL);
  g_return_val_if_fail (n_keys <= MAX_PAGE, NULL);

  for (guint i = 0; i < n_keys; i++)
    g_string_append_printf (list, "%s%" G_GINT64_FORMAT, i ? "," : "", keys[i]);
  g_string_append_c (list, ']');

  stmt = _rx_db_prepare (db, LEVEL_COLUMNS
                             "WHERE p.rowid IN (SELECT value FROM json_each (?1)) "
                             "ORDER BY p.code", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, list->str);
  return read_levels (db, stmt, error);
}
