/* rx-stock-take.c: the inventory's periodic work: recording a stock-take as the differences
 * it found, the reorder report, a CSV export of the lots on hand and a product's movement
 * history. The ledger stays append-only: a count corrects it with 'adjust' movements. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>
#include <csv.h>

#include "rx-core-error.h"
#include "rx-dispense.h"
#include "rx-formulary.h"
#include "rx-stock-private.h"
#include "rx-validate.h"

#define MAX_COUNTS  10000
#define MAX_COUNTED G_GINT64_CONSTANT (10000000)

G_DEFINE_BOXED_TYPE (RxStockCounted, rx_stock_counted, rx_stock_counted_copy,
                     rx_stock_counted_free)
G_DEFINE_BOXED_TYPE (RxReorderLine, rx_reorder_line, rx_reorder_line_copy, rx_reorder_line_free)
G_DEFINE_BOXED_TYPE (RxStockMovement, rx_stock_movement, rx_stock_movement_copy,
                     rx_stock_movement_free)

RxStockCounted *
rx_stock_counted_copy (const RxStockCounted *c)
{
  RxStockCounted *copy = g_memdup2 (c, sizeof *c);

  copy->batch_id = g_strdup (c->batch_id);
  copy->product_code = g_strdup (c->product_code);
  copy->product_name = g_strdup (c->product_name);
  copy->lot = g_strdup (c->lot);
  copy->expiry = g_strdup (c->expiry);
  return copy;
}

void
rx_stock_counted_free (RxStockCounted *c)
{
  if (c == NULL)
    return;
  g_free (c->batch_id);
  g_free (c->product_code);
  g_free (c->product_name);
  g_free (c->lot);
  g_free (c->expiry);
  g_free (c);
}

RxReorderLine *
rx_reorder_line_copy (const RxReorderLine *line)
{
  RxReorderLine *copy = g_memdup2 (line, sizeof *line);

  copy->product_id = g_strdup (line->product_id);
  copy->product_code = g_strdup (line->product_code);
  copy->product_name = g_strdup (line->product_name);
  return copy;
}

void
rx_reorder_line_free (RxReorderLine *line)
{
  if (line == NULL)
    return;
  g_free (line->product_id);
  g_free (line->product_code);
  g_free (line->product_name);
  g_free (line);
}

RxStockMovement *
rx_stock_movement_copy (const RxStockMovement *m)
{
  RxStockMovement *copy = g_memdup2 (m, sizeof *m);

  copy->id = g_strdup (m->id);
  copy->at = g_strdup (m->at);
  copy->lot = g_strdup (m->lot);
  copy->expiry = g_strdup (m->expiry);
  copy->kind = g_strdup (m->kind);
  copy->reason = g_strdup (m->reason);
  copy->reference_kind = g_strdup (m->reference_kind);
  copy->reference_id = g_strdup (m->reference_id);
  return copy;
}

void
rx_stock_movement_free (RxStockMovement *m)
{
  if (m == NULL)
    return;
  g_free (m->id);
  g_free (m->at);
  g_free (m->lot);
  g_free (m->expiry);
  g_free (m->kind);
  g_free (m->reason);
  g_free (m->reference_kind);
  g_free (m->reference_id);
  g_free (m);
}

/* Stock-take ------------------------------------------------------------------------------ */

#define BATCH_SELECT \
  "SELECT b.id, p.code, d.inn || ' ' || p.strength || ' ' || p.form, b.lot, b.expiry " \
  "FROM stock_batches b JOIN products p ON p.id = b.product_id " \
  "JOIN drugs d ON d.id = p.drug_id "

/* The counted lot at this site, by product and lot, or by lot alone when that is unique. */
static RxStockCounted *
find_counted_lot (RxDb                *db,
                  const RxStockCount  *count,
                  GError             **error)
{
  g_autoptr(RxProduct) product = NULL;
  g_autoptr(RxStockCounted) found = NULL;
  g_autoptr(GString) codes = g_string_new (NULL);
  sqlite3_stmt *stmt;
  guint n = 0;

  if (count->product != NULL && *count->product != '\0' &&
      (product = rx_formulary_get (db, count->product, error)) == NULL)
    return NULL;

  stmt = _rx_db_prepare (db, BATCH_SELECT
                         "WHERE b.site_id = ?1 AND b.lot = ?2 AND b.deleted = 0 "
                         "AND (?3 IS NULL OR b.product_id = ?3) ORDER BY p.code", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, rx_db_get_site_id (db));
  _rx_stmt_bind_text (stmt, 2, count->lot);
  _rx_stmt_bind_text (stmt, 3, product ? rx_product_get_id (product) : NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      n++;
      g_string_append_printf (codes, "%s%s", codes->len ? ", " : "",
                              (const char *) sqlite3_column_text (stmt, 1));
      if (found != NULL)
        continue;
      found = g_new0 (RxStockCounted, 1);
      found->batch_id = _rx_stmt_dup_text (stmt, 0);
      found->product_code = _rx_stmt_dup_text (stmt, 1);
      found->product_name = _rx_stmt_dup_text (stmt, 2);
      found->lot = _rx_stmt_dup_text (stmt, 3);
      found->expiry = _rx_stmt_dup_text (stmt, 4);
    }
  sqlite3_reset (stmt);

  if (n == 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no lot “%s”%s%s at this pharmacy; “stock list” shows the lots",
                   count->lot, product ? " of " : "",
                   product ? rx_product_get_code (product) : "");
      return NULL;
    }
  if (n > 1)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Lot “%s” is held for %u products (%s); say which product was counted",
                   count->lot, n, codes->str);
      return NULL;
    }

  return g_steal_pointer (&found);
}

static gboolean
record_count (RxDb            *db,
              RxStockCounted  *c,
              GError         **error)
{
  g_autofree char *detail = NULL;

  c->expected = _rx_stock_batch_quantity (db, c->batch_id);
  c->difference = c->counted - c->expected;
  if (c->difference == 0)
    return TRUE;

  detail = g_strdup_printf ("counted %" G_GINT64_FORMAT ", ledger %" G_GINT64_FORMAT " (%+"
                            G_GINT64_FORMAT ")", c->counted, c->expected, c->difference);
  return _rx_stock_add_movement (db, c->batch_id, "adjust", c->difference, "stock take", NULL,
                                 NULL, NULL, error) &&
         _rx_db_audit (db, "stock_take", "stock_batches", c->batch_id, detail, error);
}

/**
 * rx_stock_take:
 *
 * Returns: (transfer container) (element-type RxStockCounted): every counted lot, or %NULL
 *   with @error set and nothing recorded
 */
GPtrArray *
rx_stock_take (RxDb                *db,
               const RxStockCount  *counts,
               guint                n_counts,
               GError             **error)
{
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autofree char *detail = NULL;
  guint adjusted = 0;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (counts != NULL || n_counts == 0, NULL);

  if (!_rx_db_require (db, RX_ACTION_STOCK_WRITE, error))
    return NULL;

  if (n_counts == 0 || n_counts > MAX_COUNTS)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "A stock-take records from 1 to %d counted lots", MAX_COUNTS);
      return NULL;
    }
  if (rx_db_get_site_id (db) == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED,
                   "This workstation belongs to no site, so it holds no stock to count; "
                   "enrol it with the clinic first");
      return NULL;
    }

  for (guint i = 0; i < n_counts; i++)
    {
      if (!rx_validate_text (counts[i].lot, "Lot number", 40, TRUE, error))
        return NULL;
      if (counts[i].counted < 0 || counts[i].counted > MAX_COUNTED)
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "The count of lot %s is %" G_GINT64_FORMAT "; it must be from 0 to %"
                       G_GINT64_FORMAT, counts[i].lot, counts[i].counted, MAX_COUNTED);
          return NULL;
        }
    }

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_stock_counted_free);
  seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (!rx_db_begin (db, error))
    return NULL;

  for (guint i = 0; i < n_counts; i++)
    {
      RxStockCounted *c = find_counted_lot (db, &counts[i], error);

      if (c == NULL)
        goto fail;
      g_ptr_array_add (result, c);
      c->counted = counts[i].counted;

      if (!g_hash_table_add (seen, c->batch_id))
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "Lot %s of %s is counted twice; give one count per lot (add the "
                       "shelves up first)", c->lot, c->product_code);
          goto fail;
        }

      if (!record_count (db, c, error))
        goto fail;
      if (c->difference != 0)
        adjusted++;
    }

  detail = g_strdup_printf ("%u lots counted, %u adjusted", n_counts, adjusted);
  if (!_rx_db_audit (db, "stock_take", "stock_batches", NULL, detail, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return g_steal_pointer (&result);

fail:
  rx_db_rollback (db);
  return NULL;
}

/* Reorder report ------------------------------------------------------------------------- */

/**
 * rx_stock_reorder_report:
 *
 * Returns: (transfer container) (element-type RxReorderLine): the products to reorder
 */
GPtrArray *
rx_stock_reorder_report (RxDb    *db,
                         GError **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               rx_reorder_line_free);
  g_autofree char *today = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  today = _rx_stock_today (db);
  /* each lot counts down to zero at most, so one gone below zero hides no other */
  stmt = _rx_db_prepare (db,
                         "SELECT id, code, name, reorder_level, on_hand, expired FROM "
                         "  (SELECT p.id, p.code, d.inn || ' ' || p.strength || ' ' || p.form "
                         "     AS name, p.reorder_level, "
                         "     coalesce ((SELECT sum (max (q.quantity, 0)) FROM "
                         "       (SELECT b.expiry, (SELECT coalesce (sum (m.quantity), 0) "
                         "          FROM stock_movements m WHERE m.batch_id = b.id "
                         "          AND m.deleted = 0) AS quantity FROM stock_batches b "
                         "        WHERE b.product_id = p.id AND b.site_id = ?1 "
                         "        AND b.deleted = 0) q WHERE q.expiry > ?2), 0) AS on_hand, "
                         "     coalesce ((SELECT sum (max (q.quantity, 0)) FROM "
                         "       (SELECT b.expiry, (SELECT coalesce (sum (m.quantity), 0) "
                         "          FROM stock_movements m WHERE m.batch_id = b.id "
                         "          AND m.deleted = 0) AS quantity FROM stock_batches b "
                         "        WHERE b.product_id = p.id AND b.site_id = ?1 "
                         "        AND b.deleted = 0) q WHERE q.expiry <= ?2), 0) AS expired "
                         "   FROM products p JOIN drugs d ON d.id = p.drug_id "
                         "   WHERE p.deleted = 0 AND p.reorder_level > 0) "
                         "WHERE on_hand <= reorder_level "
                         "ORDER BY on_hand - reorder_level, name", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, rx_db_get_site_id (db));
  _rx_stmt_bind_text (stmt, 2, today);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RxReorderLine *line = g_new0 (RxReorderLine, 1);

      line->product_id = _rx_stmt_dup_text (stmt, 0);
      line->product_code = _rx_stmt_dup_text (stmt, 1);
      line->product_name = _rx_stmt_dup_text (stmt, 2);
      line->reorder_level = sqlite3_column_int64 (stmt, 3);
      line->on_hand = sqlite3_column_int64 (stmt, 4);
      line->expired = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (lines, line);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Making the reorder report", error);
      return NULL;
    }

  return g_steal_pointer (&lines);
}

/* Export ---------------------------------------------------------------------------------- */

static void
append_text_field (GString    *out,
                   const char *text)
{
  gsize len = text ? strlen (text) : 0;
  gsize need = csv_write (NULL, 0, text ? text : "", len);
  gsize at = out->len;

  g_string_set_size (out, at + need);
  csv_write (out->str + at, need, text ? text : "", len);
}

static char *
days_from_today (RxDb *db,
                 int   days)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (rx_db_now (db) / G_USEC_PER_SEC);
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

/**
 * rx_stock_export_csv:
 *
 * Returns: (transfer full): the CSV text, lines ending in CRLF as RFC 4180 has them, or
 *   %NULL with @error set
 */
char *
rx_stock_export_csv (RxDb        *db,
                     const char  *product_or_null,
                     int          expiring_within_days,
                     GError     **error)
{
  g_autoptr(GString) out = g_string_new ("product_code,product,lot,expiry,quantity,state,"
                                         "unit_cost_minor,supplier\r\n");
  g_autoptr(RxProduct) product = NULL;
  g_autofree char *today = NULL;
  g_autofree char *soon = NULL;
  g_autofree char *limit_date = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  guint rows = 0;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (product_or_null != NULL && (product = rx_formulary_get (db, product_or_null, error)) == NULL)
    return NULL;

  today = _rx_stock_today (db);
  soon = days_from_today (db, RX_DISPENSE_SOON_DAYS);
  if (expiring_within_days >= 0)
    limit_date = days_from_today (db, expiring_within_days);

  stmt = _rx_db_prepare (db,
                         "SELECT code, name, lot, expiry, quantity, unit_cost_minor, supplier "
                         "FROM (SELECT p.code, d.inn || ' ' || p.strength || ' ' || p.form "
                         "  AS name, b.lot, b.expiry, b.unit_cost_minor, b.supplier, "
                         "  (SELECT coalesce (sum (m.quantity), 0) FROM stock_movements m "
                         "   WHERE m.batch_id = b.id AND m.deleted = 0) AS quantity "
                         "  FROM stock_batches b JOIN products p ON p.id = b.product_id "
                         "  JOIN drugs d ON d.id = p.drug_id "
                         "  WHERE b.deleted = 0 AND b.site_id = ?1 "
                         "  AND (?2 IS NULL OR b.product_id = ?2) "
                         "  AND (?3 IS NULL OR b.expiry <= ?3)) "
                         "WHERE quantity <> 0 ORDER BY expiry, name, lot", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, rx_db_get_site_id (db));
  _rx_stmt_bind_text (stmt, 2, product ? rx_product_get_id (product) : NULL);
  _rx_stmt_bind_text (stmt, 3, limit_date);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *expiry = (const char *) sqlite3_column_text (stmt, 3);

      for (int c = 0; c < 4; c++)
        {
          append_text_field (out, (const char *) sqlite3_column_text (stmt, c));
          g_string_append_c (out, ',');
        }
      g_string_append_printf (out, "%" G_GINT64_FORMAT ",%s,",
                              (gint64) sqlite3_column_int64 (stmt, 4),
                              g_strcmp0 (expiry, today) <= 0 ? "expired"
                              : g_strcmp0 (expiry, soon) <= 0 ? "expiring_soon" : "in_date");
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 5));
      g_string_append_c (out, ',');
      if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        append_text_field (out, (const char *) sqlite3_column_text (stmt, 6));
      g_string_append (out, "\r\n");
      rows++;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Exporting stock", error);
      return NULL;
    }

  detail = g_strdup_printf ("%u lots exported", rows);
  if (!_rx_db_audit (db, "export", "stock_batches", NULL, detail, error))
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* History --------------------------------------------------------------------------------- */

/**
 * rx_stock_history:
 * @limit: at most this many; 0 means 100
 *
 * Returns: (transfer container) (element-type RxStockMovement): the movements, newest first
 */
GPtrArray *
rx_stock_history (RxDb        *db,
                  const char  *product_id_or_code,
                  guint        limit,
                  GError     **error)
{
  g_autoptr(GPtrArray) moves = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               rx_stock_movement_free);
  g_autoptr(RxProduct) product = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (product_id_or_code != NULL, NULL);

  product = rx_formulary_get (db, product_id_or_code, error);
  if (product == NULL)
    return NULL;

  stmt = _rx_db_prepare (db,
                         "SELECT id, at, lot, expiry, kind, quantity, reason, reference_kind, "
                         "  reference_id, balance FROM "
                         "  (SELECT m.id, m.at, b.lot, b.expiry, m.kind, m.quantity, m.reason, "
                         "     m.reference_kind, m.reference_id, m.rowid AS seq, "
                         "     sum (m.quantity) OVER (PARTITION BY m.batch_id "
                         "       ORDER BY m.at, m.rowid) AS balance "
                         "   FROM stock_movements m JOIN stock_batches b ON b.id = m.batch_id "
                         "   WHERE b.product_id = ?1 AND b.site_id = ?2 AND b.deleted = 0 "
                         "   AND m.deleted = 0) "
                         "ORDER BY at DESC, seq DESC LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, rx_product_get_id (product));
  _rx_stmt_bind_text (stmt, 2, rx_db_get_site_id (db));
  sqlite3_bind_int (stmt, 3, limit ? limit : 100);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RxStockMovement *m = g_new0 (RxStockMovement, 1);

      m->id = _rx_stmt_dup_text (stmt, 0);
      m->at = _rx_stmt_dup_text (stmt, 1);
      m->lot = _rx_stmt_dup_text (stmt, 2);
      m->expiry = _rx_stmt_dup_text (stmt, 3);
      m->kind = _rx_stmt_dup_text (stmt, 4);
      m->quantity = sqlite3_column_int64 (stmt, 5);
      m->reason = _rx_stmt_dup_text (stmt, 6);
      m->reference_kind = _rx_stmt_dup_text (stmt, 7);
      m->reference_id = _rx_stmt_dup_text (stmt, 8);
      m->balance = sqlite3_column_int64 (stmt, 9);
      g_ptr_array_add (moves, m);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Reading the stock history", error);
      return NULL;
    }

  return g_steal_pointer (&moves);
}
