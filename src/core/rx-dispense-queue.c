/* rx-dispense-queue.c: what the dispensary sees before it dispenses: signed prescriptions
 * with what remains of each item and whether the signature holds, and the lots to take
 * each item from, first expiry first out. Reads only; the dispense is in rx-dispense.c. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-dispense-private.h"
#include "rx-signing.h"
#include "rx-stock-private.h"

static gboolean
verify_entry (RxDb             *db,
              RxDispenseEntry  *entry,
              GError          **error)
{
  g_auto(RxVerification) v = { 0, };

  if (!rx_prescriptions_verify (db, rx_dispense_entry_get_prescription_id (entry), &v, error))
    return FALSE;

  _rx_dispense_entry_set_verification (entry, v.ok, v.reason);
  return TRUE;
}

/**
 * rx_dispense_get_entry:
 *
 * Returns: (transfer full): the prescription with its remainders and its signature checked,
 *   or %NULL with @error set
 */
RxDispenseEntry *
rx_dispense_get_entry (RxDb        *db,
                       const char  *prescription_id,
                       GError     **error)
{
  g_autoptr(RxDispenseEntry) entry = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (prescription_id != NULL, NULL);

  if (!_rx_db_require (db, RX_ACTION_PRESCRIPTION_READ, error))
    return NULL;

  entry = _rx_dispense_load_entry (db, prescription_id, error);
  if (entry == NULL || !verify_entry (db, entry, error) ||
      !_rx_db_audit (db, "read", "prescriptions", prescription_id,
                     rx_dispense_entry_get_patient_id (entry), error))
    return NULL;

  return g_steal_pointer (&entry);
}

/**
 * rx_dispense_queue:
 * @limit: at most this many; 0 means 100
 *
 * Returns: (transfer full): a #GListModel of #RxDispenseEntry, oldest signature first
 */
GListModel *
rx_dispense_queue (RxDb     *db,
                   guint     limit,
                   GError  **error)
{
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_DISPENSE_ENTRY);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (!_rx_db_require (db, RX_ACTION_PRESCRIPTION_READ, error))
    return NULL;

  stmt = _rx_db_prepare (db, RX_DISPENSE_ENTRY_SELECT
                         "WHERE r.deleted = 0 AND r.status IN ('signed', 'partially_dispensed') "
                         "ORDER BY r.signed_at, r.created_at, r.id LIMIT ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, limit ? limit : 100);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, _rx_dispense_entry_from_stmt (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Listing the dispensing queue", error);
      return NULL;
    }

  /* one transaction for all the checks' audit events, not one each */
  if (!rx_db_begin (db, error))
    return NULL;

  for (guint i = 0; i < entries->len; i++)
    {
      RxDispenseEntry *entry = entries->pdata[i];

      if (!_rx_dispense_entry_load_items (db, entry, error) || !verify_entry (db, entry, error))
        goto fail;
      g_list_store_append (store, entry);
    }

  detail = g_strdup_printf ("dispensing queue: %u prescriptions", entries->len);
  if (!_rx_db_audit (db, "list", "prescriptions", NULL, detail, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return G_LIST_MODEL (g_steal_pointer (&store));

fail:
  rx_db_rollback (db);
  return NULL;
}

/* First expiry, first out ----------------------------------------------------------------- */

/**
 * rx_dispense_suggest_batches:
 *
 * Returns: (transfer container) (element-type RxBatchPick): the picks, first to expire
 *   first; empty when nothing in date is on hand; %NULL with @error set on failure
 */
GPtrArray *
rx_dispense_suggest_batches (RxDb        *db,
                             const char  *product_id,
                             gint64       quantity,
                             gint64      *short_by,
                             GError     **error)
{
  g_autoptr(GPtrArray) picks = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               rx_batch_pick_free);
  g_autofree char *today = NULL;
  g_autofree char *soon = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) then = NULL;
  sqlite3_stmt *stmt;
  gint64 left = quantity;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (product_id != NULL, NULL);

  if (short_by != NULL)
    *short_by = 0;
  if (quantity <= 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The quantity to dispense must be at least 1");
      return NULL;
    }

  today = _rx_stock_today (db);
  now = g_date_time_new_from_unix_utc (rx_db_now (db) / G_USEC_PER_SEC);
  then = g_date_time_add_days (now, RX_DISPENSE_SOON_DAYS);
  soon = g_date_time_format (then, "%Y-%m-%d");

  /* lots received earlier go first among those that expire the same day */
  stmt = _rx_db_prepare (db,
                         "SELECT id, lot, expiry, q FROM "
                         "  (SELECT b.id, b.lot, b.expiry, b.received_at, "
                         "     (SELECT coalesce (sum (m.quantity), 0) FROM stock_movements m "
                         "      WHERE m.batch_id = b.id AND m.deleted = 0) AS q "
                         "   FROM stock_batches b WHERE b.product_id = ?1 AND b.site_id = ?2 "
                         "   AND b.deleted = 0 AND b.expiry > ?3) "
                         "WHERE q > 0 ORDER BY expiry, received_at, lot", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, product_id);
  _rx_stmt_bind_text (stmt, 2, rx_db_get_site_id (db));
  _rx_stmt_bind_text (stmt, 3, today);
  while (left > 0 && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RxBatchPick *pick = g_new0 (RxBatchPick, 1);

      pick->batch_id = _rx_stmt_dup_text (stmt, 0);
      pick->lot = _rx_stmt_dup_text (stmt, 1);
      pick->expiry = _rx_stmt_dup_text (stmt, 2);
      pick->on_hand = sqlite3_column_int64 (stmt, 3);
      pick->quantity = MIN (left, pick->on_hand);
      pick->expires_soon = g_strcmp0 (pick->expiry, soon) <= 0;
      left -= pick->quantity;
      g_ptr_array_add (picks, pick);
    }
  if (left == 0)
    rc = SQLITE_DONE;
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Finding lots to dispense from", error);
      return NULL;
    }

  if (short_by != NULL)
    *short_by = left;
  return g_steal_pointer (&picks);
}
