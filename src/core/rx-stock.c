/* rx-stock.c: the stock ledger. Receiving adds a batch (or tops one up) and a positive
 * movement; adjustments are signed movements with a reason. Nothing is ever overwritten, so
 * two tills' movements made offline both count once they sync. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-formulary.h"
#include "rx-stock-private.h"
#include "rx-validate.h"

struct _RxBatch
{
  GObject  parent_instance;

  char    *id;
  char    *product_id;
  char    *product_name;
  char    *lot;
  char    *expiry;
  gint64   quantity;
  gint64   unit_cost;
  char    *supplier;
};

G_DEFINE_FINAL_TYPE (RxBatch, rx_batch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PRODUCT_NAME,
  PROP_LOT,
  PROP_EXPIRY,
  PROP_QUANTITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rx_batch_finalize (GObject *object)
{
  RxBatch *self = (RxBatch *) object;

  g_free (self->id);
  g_free (self->product_id);
  g_free (self->product_name);
  g_free (self->lot);
  g_free (self->expiry);
  g_free (self->supplier);

  G_OBJECT_CLASS (rx_batch_parent_class)->finalize (object);
}

static void
rx_batch_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  RxBatch *self = RX_BATCH (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_PRODUCT_NAME:
      g_value_set_string (value, self->product_name);
      break;

    case PROP_LOT:
      g_value_set_string (value, self->lot);
      break;

    case PROP_EXPIRY:
      g_value_set_string (value, self->expiry);
      break;

    case PROP_QUANTITY:
      g_value_set_int64 (value, self->quantity);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_batch_class_init (RxBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rx_batch_finalize;
  object_class->get_property = rx_batch_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_PRODUCT_NAME] = g_param_spec_string ("product-name", NULL, NULL, NULL, flags);
  properties[PROP_LOT] = g_param_spec_string ("lot", NULL, NULL, NULL, flags);
  properties[PROP_EXPIRY] = g_param_spec_string ("expiry", NULL, NULL, NULL, flags);
  properties[PROP_QUANTITY] = g_param_spec_int64 ("quantity", NULL, NULL,
                                                  G_MININT64, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_batch_init (RxBatch *self)
{
  self->unit_cost = -1;
}

const char *
rx_batch_get_id (RxBatch *self)
{
  g_return_val_if_fail (RX_IS_BATCH (self), NULL);
  return self->id;
}

const char *
rx_batch_get_product_id (RxBatch *self)
{
  g_return_val_if_fail (RX_IS_BATCH (self), NULL);
  return self->product_id;
}

const char *
rx_batch_get_product_name (RxBatch *self)
{
  g_return_val_if_fail (RX_IS_BATCH (self), NULL);
  return self->product_name;
}

const char *
rx_batch_get_lot (RxBatch *self)
{
  g_return_val_if_fail (RX_IS_BATCH (self), NULL);
  return self->lot;
}

const char *
rx_batch_get_expiry (RxBatch *self)
{
  g_return_val_if_fail (RX_IS_BATCH (self), NULL);
  return self->expiry;
}

gint64
rx_batch_get_quantity (RxBatch *self)
{
  g_return_val_if_fail (RX_IS_BATCH (self), 0);
  return self->quantity;
}

gint64
rx_batch_get_unit_cost (RxBatch *self)
{
  g_return_val_if_fail (RX_IS_BATCH (self), -1);
  return self->unit_cost;
}

const char *
rx_batch_get_supplier (RxBatch *self)
{
  g_return_val_if_fail (RX_IS_BATCH (self), NULL);
  return self->supplier;
}

/* Ledger ---------------------------------------------------------------------------------- */

gint64
_rx_stock_batch_quantity (RxDb       *db,
                          const char *batch_id)
{
  sqlite3_stmt *stmt;
  gint64 q = 0;

  stmt = _rx_db_prepare (db, "SELECT coalesce (sum (quantity), 0) FROM stock_movements "
                             "WHERE batch_id = ?1 AND deleted = 0", NULL);
  if (stmt == NULL)
    return 0;
  _rx_stmt_bind_text (stmt, 1, batch_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    q = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return q;
}

gint64
rx_stock_on_hand (RxDb       *db,
                  const char *product_id)
{
  sqlite3_stmt *stmt;
  gint64 q = 0;

  g_return_val_if_fail (RX_IS_DB (db), 0);

  stmt = _rx_db_prepare (db,
                         "SELECT coalesce (sum (m.quantity), 0) FROM stock_batches b "
                         "JOIN stock_movements m ON m.batch_id = b.id "
                         "WHERE b.product_id = ?1 AND b.deleted = 0 AND m.deleted = 0", NULL);
  if (stmt == NULL)
    return 0;
  _rx_stmt_bind_text (stmt, 1, product_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    q = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return q;
}

gboolean
_rx_stock_add_movement (RxDb         *db,
                        const char   *batch_id,
                        const char   *kind,
                        gint64        quantity,
                        const char   *reason,
                        const char   *reference_kind,
                        const char   *reference_id,
                        char        **movement_id,
                        GError      **error)
{
  g_autoptr(RxRow) row = _rx_row_new_insert ("stock_movements");
  g_autofree char *now = rx_db_now_iso (db);

  _rx_row_set_text (row, "batch_id", batch_id);
  _rx_row_set_text (row, "kind", kind);
  _rx_row_set_int (row, "quantity", quantity);
  _rx_row_set_text (row, "reason", reason);
  _rx_row_set_text (row, "reference_kind", reference_kind);
  _rx_row_set_text (row, "reference_id", reference_id);
  _rx_row_set_text (row, "at", now);

  if (!_rx_db_put (db, row, error))
    return FALSE;

  if (movement_id != NULL)
    *movement_id = g_strdup (_rx_row_get_id (row));
  return TRUE;
}

static gboolean
add_movement (RxDb        *db,
              const char  *batch_id,
              const char  *kind,
              gint64       quantity,
              const char  *reason,
              GError     **error)
{
  return _rx_stock_add_movement (db, batch_id, kind, quantity, reason, NULL, NULL, NULL, error);
}

char *
_rx_stock_today (RxDb *db)
{
  g_autofree char *now = rx_db_now_iso (db);

  return g_strndup (now, 10);
}

static char *
find_batch (RxDb        *db,
            const char  *product_id,
            const char  *lot,
            char       **expiry)
{
  sqlite3_stmt *stmt;
  char *id = NULL;

  stmt = _rx_db_prepare (db, "SELECT id, expiry FROM stock_batches WHERE site_id = ?1 "
                             "AND product_id = ?2 AND lot = ?3 AND deleted = 0", NULL);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, rx_db_get_site_id (db));
  _rx_stmt_bind_text (stmt, 2, product_id);
  _rx_stmt_bind_text (stmt, 3, lot);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      id = _rx_stmt_dup_text (stmt, 0);
      if (expiry)
        *expiry = _rx_stmt_dup_text (stmt, 1);
    }
  sqlite3_reset (stmt);

  return id;
}

char *
rx_stock_receive (RxDb                 *db,
                  const RxStockReceipt *r,
                  GError              **error)
{
  g_autoptr(RxProduct) product = NULL;
  g_autofree char *today = NULL;
  g_autofree char *batch_id = NULL;
  g_autofree char *old_expiry = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (r != NULL, NULL);

  if (!_rx_db_require (db, RX_ACTION_STOCK_WRITE, error))
    return NULL;

  if (r->product == NULL || *r->product == '\0')
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Say which product is received (its id or code)");
      return NULL;
    }
  product = rx_formulary_get (db, r->product, error);
  if (product == NULL)
    return NULL;

  if (!rx_validate_text (r->lot, "Lot number", 40, TRUE, error) ||
      !rx_validate_date (r->expiry, "Expiry date", error) ||
      !rx_validate_text (r->supplier, "Supplier", 120, FALSE, error) ||
      !rx_validate_text (r->gtin, "GTIN", 14, FALSE, error) ||
      !rx_validate_text (r->serial, "Serial number", 40, FALSE, error))
    return NULL;

  if (r->quantity <= 0 || r->quantity > 10000000)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Received quantity %" G_GINT64_FORMAT " must be between 1 and 10 000 000",
                   r->quantity);
      return NULL;
    }

  today = rx_db_now_iso (db);
  if (strncmp (r->expiry, today, 10) <= 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Lot %s expired on %s; expired stock cannot be received into the "
                   "dispensary", r->lot, r->expiry);
      return NULL;
    }

  if (!rx_db_begin (db, error))
    return NULL;

  batch_id = find_batch (db, rx_product_get_id (product), r->lot, &old_expiry);
  if (batch_id != NULL && g_strcmp0 (old_expiry, r->expiry) != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Lot %s of this product is already recorded with expiry %s, not %s; check "
                   "the pack", r->lot, old_expiry, r->expiry);
      goto fail;
    }

  if (batch_id == NULL)
    {
      g_autoptr(RxRow) row = _rx_row_new_insert ("stock_batches");

      _rx_row_set_text (row, "site_id", rx_db_get_site_id (db));
      _rx_row_set_text (row, "product_id", rx_product_get_id (product));
      _rx_row_set_text (row, "lot", r->lot);
      _rx_row_set_text (row, "expiry", r->expiry);
      _rx_row_set_text (row, "gtin", r->gtin);
      _rx_row_set_text (row, "serial", r->serial);
      _rx_row_set_text (row, "supplier", r->supplier);
      if (r->unit_cost_minor >= 0)
        _rx_row_set_int (row, "unit_cost_minor", r->unit_cost_minor);
      _rx_row_set_text (row, "received_at", today);
      if (!_rx_db_put (db, row, error))
        goto fail;
      batch_id = g_strdup (_rx_row_get_id (row));
    }

  name = rx_product_dup_display_name (product);
  detail = g_strdup_printf ("%" G_GINT64_FORMAT " × %s, lot %s", r->quantity, name, r->lot);
  if (!add_movement (db, batch_id, "receive", r->quantity, r->supplier, error) ||
      !_rx_db_audit (db, "receive", "stock_batches", batch_id, detail, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return g_steal_pointer (&batch_id);

fail:
  rx_db_rollback (db);
  return NULL;
}

static const char *
kind_for_reason (const char *reason)
{
  if (g_strcmp0 (reason, "return-to-supplier") == 0)
    return "return";
  if (g_strcmp0 (reason, "expiry-write-off") == 0)
    return "expire";
  return "adjust";
}

gboolean
rx_stock_adjust (RxDb        *db,
                 const char  *product,
                 const char  *lot,
                 gint64       delta,
                 const char  *reason,
                 GError     **error)
{
  static const char * const reasons[] = {
    "damage", "count-correction", "return-to-supplier", "expiry-write-off", NULL
  };
  g_autoptr(RxProduct) p = NULL;
  g_autofree char *batch_id = NULL;
  g_autofree char *detail = NULL;
  const char *kind;
  gint64 have;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (!_rx_db_require (db, RX_ACTION_STOCK_WRITE, error))
    return FALSE;

  if (!rx_validate_one_of (reason, "Reason", reasons, error))
    return FALSE;
  kind = kind_for_reason (reason);
  if (delta == 0 || (delta > 0 && g_strcmp0 (kind, "adjust") != 0) ||
      (delta > 0 && g_strcmp0 (reason, "damage") == 0))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "A %s adjustment must take stock away (a negative quantity)", reason);
      return FALSE;
    }

  p = product ? rx_formulary_get (db, product, error) : NULL;
  if (p == NULL)
    return FALSE;

  if (!rx_db_begin (db, error))
    return FALSE;

  batch_id = find_batch (db, rx_product_get_id (p), lot, NULL);
  if (batch_id == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no lot “%s” of %s in stock; “stock list” shows the lots",
                   lot ? lot : "", rx_product_get_code (p));
      goto fail;
    }

  have = _rx_stock_batch_quantity (db, batch_id);
  if (have + delta < 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Lot %s has %" G_GINT64_FORMAT " on hand; taking %" G_GINT64_FORMAT
                   " would go below zero. Count it and record a count-correction first",
                   lot, have, -delta);
      goto fail;
    }

  detail = g_strdup_printf ("%+" G_GINT64_FORMAT " (%s)", delta, reason);
  if (!add_movement (db, batch_id, kind, delta, reason, error) ||
      !_rx_db_audit (db, "adjust", "stock_batches", batch_id, detail, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return TRUE;

fail:
  rx_db_rollback (db);
  return FALSE;
}

/* Batches with stock, nearest expiry first (the order to dispense them in); with
 * expiring_within_days >= 0, only those expiring by then (expired ones included). */
GListModel *
rx_stock_list (RxDb        *db,
               const char  *product_or_null,
               int          expiring_within_days,
               GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_BATCH);
  g_autoptr(RxProduct) product = NULL;
  g_autofree char *limit_date = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (product_or_null != NULL && (product = rx_formulary_get (db, product_or_null, error)) == NULL)
    return NULL;

  if (expiring_within_days >= 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (rx_db_now (db) / G_USEC_PER_SEC);
      g_autoptr(GDateTime) then = g_date_time_add_days (now, expiring_within_days);

      limit_date = g_date_time_format (then, "%Y-%m-%d");
    }

  stmt = _rx_db_prepare (db,
                         "SELECT b.id, b.product_id, d.inn || ' ' || p.strength || ' ' || p.form, "
                         "  b.lot, b.expiry, q.quantity, b.unit_cost_minor, b.supplier "
                         "FROM stock_batches b "
                         "JOIN products p ON p.id = b.product_id "
                         "JOIN drugs d ON d.id = p.drug_id "
                         "JOIN (SELECT batch_id, sum (quantity) AS quantity FROM stock_movements "
                         "      WHERE deleted = 0 GROUP BY batch_id) q ON q.batch_id = b.id "
                         "WHERE b.deleted = 0 AND q.quantity <> 0 "
                         "  AND (?1 IS NULL OR b.product_id = ?1) "
                         "  AND (?2 IS NULL OR b.expiry <= ?2) "
                         "ORDER BY b.expiry, d.inn, b.lot", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, product ? rx_product_get_id (product) : NULL);
  _rx_stmt_bind_text (stmt, 2, limit_date);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RxBatch) b = g_object_new (RX_TYPE_BATCH, NULL);

      b->id = _rx_stmt_dup_text (stmt, 0);
      b->product_id = _rx_stmt_dup_text (stmt, 1);
      b->product_name = _rx_stmt_dup_text (stmt, 2);
      b->lot = _rx_stmt_dup_text (stmt, 3);
      b->expiry = _rx_stmt_dup_text (stmt, 4);
      b->quantity = sqlite3_column_int64 (stmt, 5);
      if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        b->unit_cost = sqlite3_column_int64 (stmt, 6);
      b->supplier = _rx_stmt_dup_text (stmt, 7);
      g_list_store_append (store, b);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Listing stock", error);
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}
