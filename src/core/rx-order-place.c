/* rx-order-place.c: placing medicine orders and following them from placed to delivered. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-order-private.h"
#include "rx-records-private.h"
#include "rx-validate.h"

#define MAX_ITEMS     50
#define MAX_QUANTITY  10000

static const char * const channels[] = { "assistant", "counter", "phone", NULL };

/* placed -> verified -> packed -> out_for_delivery -> delivered, and cancelled from any of
 * the first three: once it has left the pharmacy an order is delivered or comes back. */
static const char * const moves[] = {
  "placed", "verified",
  "verified", "packed",
  "packed", "out_for_delivery",
  "out_for_delivery", "delivered",
  "placed", "cancelled",
  "verified", "cancelled",
  "packed", "cancelled",
  NULL
};

/* Writes -------------------------------------------------------------------------------- */

static gboolean
validate_prescription (RxDb        *db,
                       const char  *prescription_id,
                       const char  *patient_id,
                       GError     **error)
{
  g_autofree char *owner = NULL;
  g_autofree char *status = NULL;

  if (!_rx_records_require (db, "prescriptions", prescription_id, "prescription", error))
    return FALSE;

  owner = _rx_records_query_text (db, "SELECT patient_id FROM prescriptions WHERE id = ?1",
                                  prescription_id, error);
  status = _rx_records_query_text (db, "SELECT status FROM prescriptions WHERE id = ?1",
                                   prescription_id, error);
  if (owner == NULL || status == NULL)
    return FALSE;

  if (!g_str_equal (owner, patient_id))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Prescription “%s” was written for another patient; choose one of this "
                   "patient's prescriptions", prescription_id);
      return FALSE;
    }

  if (!g_str_equal (status, "signed") && !g_str_equal (status, "partially_dispensed"))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Prescription “%s” is %s; medicines can be ordered only on a signed "
                   "prescription that is not yet fully dispensed", prescription_id, status);
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_items (RxDb               *db,
                const RxOrderItem  *items,
                guint               n_items,
                gboolean            has_prescription,
                GError            **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (items == NULL || n_items == 0 || n_items > MAX_ITEMS)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "An order has 1 to %d items, not %u; add what the patient needs",
                   MAX_ITEMS, items ? n_items : 0);
      return FALSE;
    }

  for (guint i = 0; i < n_items; i++)
    {
      const RxOrderItem *item = &items[i];
      g_autofree char *rx_only = NULL;

      if (!_rx_records_require (db, "products", item->product_id, "product", error))
        return FALSE;

      if (item->quantity <= 0 || item->quantity > MAX_QUANTITY)
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "Item %u is ordered %d times; order between 1 and %d",
                       i + 1, item->quantity, MAX_QUANTITY);
          return FALSE;
        }

      if (!g_hash_table_add (seen, (gpointer) item->product_id))
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "Item %u repeats a product already in the order; give each product "
                       "once with the whole quantity", i + 1);
          return FALSE;
        }

      rx_only = _rx_records_query_text (db, "SELECT rx_only FROM products WHERE id = ?1",
                                        item->product_id, error);
      if (rx_only == NULL)
        return FALSE;
      if (!has_prescription && g_str_equal (rx_only, "1"))
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "Item %u is a prescription-only medicine; attach the patient's "
                       "prescription to the order", i + 1);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
put_event (RxDb        *db,
           const char  *order_id,
           const char  *status,
           const char  *note,
           GError     **error)
{
  g_autoptr(RxRow) row = _rx_row_new_insert ("order_events");
  g_autofree char *now = rx_db_now_iso (db);
  g_autofree char *clean_note = _rx_records_dup_optional (note);

  _rx_row_set_text (row, "order_id", order_id);
  _rx_row_set_text (row, "status", status);
  _rx_row_set_text (row, "note", clean_note);
  _rx_row_set_text (row, "at", now);

  return _rx_db_put (db, row, error);
}

/**
 * rx_orders_place:
 * @channel: assistant, counter or phone
 * @prescription_id: (nullable): the signed prescription the order fills; required when an
 *   item is prescription-only
 * @items: (array length=n_items): what is ordered, each product once
 * @delivery_address: (nullable): where to deliver, or %NULL to collect at the pharmacy
 *
 * Returns: (transfer full): the placed order with its items and its first event
 */
RxOrder *
rx_orders_place (RxDb               *db,
                 const char         *patient_id,
                 const char         *channel,
                 const char         *prescription_id,
                 const RxOrderItem  *items,
                 guint               n_items,
                 const char         *delivery_address,
                 GError            **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autofree char *address = NULL;
  g_autofree char *now = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (!_rx_records_require (db, "patients", patient_id, "patient", error) ||
      !rx_validate_one_of (channel, "Order channel", channels, error) ||
      !rx_validate_text (delivery_address, "Delivery address", 300, FALSE, error) ||
      (prescription_id != NULL &&
       !validate_prescription (db, prescription_id, patient_id, error)) ||
      !validate_items (db, items, n_items, prescription_id != NULL, error))
    return NULL;

  address = _rx_records_dup_optional (delivery_address);
  now = rx_db_now_iso (db);

  if (!rx_db_begin (db, error))
    return NULL;

  row = _rx_row_new_insert ("medicine_orders");
  _rx_row_set_text (row, "patient_id", patient_id);
  _rx_row_set_text (row, "site_id", rx_db_get_site_id (db));
  _rx_row_set_text (row, "prescription_id", prescription_id);
  _rx_row_set_text (row, "channel", channel);
  _rx_row_set_text (row, "status", "placed");
  _rx_row_set_text (row, "delivery_address", address);
  _rx_row_set_text (row, "created_at", now);
  if (!_rx_db_put (db, row, error))
    goto fail;
  id = g_strdup (_rx_row_get_id (row));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(RxRow) item = _rx_row_new_insert ("medicine_order_items");

      _rx_row_set_text (item, "order_id", id);
      _rx_row_set_text (item, "product_id", items[i].product_id);
      _rx_row_set_int (item, "quantity", items[i].quantity);
      if (!_rx_db_put (db, item, error))
        goto fail;
    }

  if (!put_event (db, id, "placed", NULL, error) ||
      !_rx_db_audit (db, "create", "medicine_orders", id, channel, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return _rx_order_load (db, id, error);

fail:
  rx_db_rollback (db);
  return NULL;
}

/**
 * rx_orders_advance:
 * @status: the next status: verified, packed, out_for_delivery, delivered or cancelled
 * @note: (nullable): a word for the record, e.g. who verified or why it was cancelled
 *
 * Moves an order along placed → verified → packed → out_for_delivery → delivered, or to
 * cancelled from placed, verified or packed. Anything else is %RX_CORE_ERROR_TRANSITION.
 */
gboolean
rx_orders_advance (RxDb        *db,
                   const char  *order_id,
                   const char  *status,
                   const char  *note,
                   GError     **error)
{
  g_autofree char *current = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(RxRow) row = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (!_rx_db_require (db, RX_ACTION_DISPENSE, error))
    return FALSE;

  if (!rx_validate_text (note, "Note", 500, FALSE, error))
    return FALSE;

  if (!rx_db_begin (db, error))
    return FALSE;

  current = _rx_records_query_text (db,
                                    "SELECT status FROM medicine_orders "
                                    "WHERE id = ?1 AND deleted = 0", order_id, &local_error);
  if (current == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                     "There is no medicine order with the id “%s”; look it up in the "
                     "patient's orders", order_id ? order_id : "");
      goto fail;
    }

  if (!_rx_records_check_move (moves, "order", current, status, error))
    goto fail;

  row = _rx_row_new_update ("medicine_orders", order_id);
  _rx_row_set_text (row, "status", status);
  detail = g_strdup_printf ("%s -> %s", current, status);

  if (!_rx_db_put (db, row, error) ||
      !put_event (db, order_id, status, note, error) ||
      !_rx_db_audit (db, "status", "medicine_orders", order_id, detail, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return TRUE;

fail:
  rx_db_rollback (db);
  return FALSE;
}

