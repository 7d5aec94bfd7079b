/* rx-order.c: the RxOrder object, its items and events, and reading orders back. Placing
 * and advancing orders is in rx-order-place.c. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-order-private.h"
#include "rx-records-private.h"

G_DEFINE_FINAL_TYPE (RxOrder, rx_order, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (RxOrderLine, rx_order_line, rx_order_line_copy, rx_order_line_free)
G_DEFINE_BOXED_TYPE (RxOrderEvent, rx_order_event, rx_order_event_copy, rx_order_event_free)

enum {
  PROP_0,
  PROP_ID,
  PROP_PATIENT_ID,
  PROP_PRESCRIPTION_ID,
  PROP_CHANNEL,
  PROP_STATUS,
  PROP_DELIVERY_ADDRESS,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

RxOrderLine *
rx_order_line_copy (const RxOrderLine *line)
{
  RxOrderLine *copy = g_new0 (RxOrderLine, 1);

  copy->id = g_strdup (line->id);
  copy->product_id = g_strdup (line->product_id);
  copy->quantity = line->quantity;

  return copy;
}

void
rx_order_line_free (RxOrderLine *line)
{
  if (line == NULL)
    return;

  g_free (line->id);
  g_free (line->product_id);
  g_free (line);
}

RxOrderEvent *
rx_order_event_copy (const RxOrderEvent *event)
{
  RxOrderEvent *copy = g_new0 (RxOrderEvent, 1);

  copy->id = g_strdup (event->id);
  copy->status = g_strdup (event->status);
  copy->note = g_strdup (event->note);
  copy->at = g_strdup (event->at);

  return copy;
}

void
rx_order_event_free (RxOrderEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->id);
  g_free (event->status);
  g_free (event->note);
  g_free (event->at);
  g_free (event);
}

static void
rx_order_finalize (GObject *object)
{
  RxOrder *self = (RxOrder *) object;

  g_free (self->id);
  g_free (self->patient_id);
  g_free (self->prescription_id);
  g_free (self->channel);
  g_free (self->status);
  g_free (self->delivery_address);
  g_free (self->created_at);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->events, g_ptr_array_unref);

  G_OBJECT_CLASS (rx_order_parent_class)->finalize (object);
}

static void
rx_order_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  RxOrder *self = RX_ORDER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_PATIENT_ID:
      g_value_set_string (value, self->patient_id);
      break;

    case PROP_PRESCRIPTION_ID:
      g_value_set_string (value, self->prescription_id);
      break;

    case PROP_CHANNEL:
      g_value_set_string (value, self->channel);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    case PROP_DELIVERY_ADDRESS:
      g_value_set_string (value, self->delivery_address);
      break;

    case PROP_CREATED_AT:
      g_value_set_string (value, self->created_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_order_class_init (RxOrderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rx_order_finalize;
  object_class->get_property = rx_order_get_property;

#define RO_STRING(prop, name) \
  properties[prop] = g_param_spec_string (name, NULL, NULL, NULL, \
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)
  RO_STRING (PROP_ID, "id");
  RO_STRING (PROP_PATIENT_ID, "patient-id");
  RO_STRING (PROP_PRESCRIPTION_ID, "prescription-id");
  RO_STRING (PROP_CHANNEL, "channel");
  RO_STRING (PROP_STATUS, "status");
  RO_STRING (PROP_DELIVERY_ADDRESS, "delivery-address");
  RO_STRING (PROP_CREATED_AT, "created-at");
#undef RO_STRING

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_order_init (RxOrder *self)
{
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_order_line_free);
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_order_event_free);
}

#define GETTER(field) \
  const char * \
  rx_order_get_##field (RxOrder *self) \
  { \
    g_return_val_if_fail (RX_IS_ORDER (self), NULL); \
    return self->field; \
  }
GETTER (id)
GETTER (patient_id)
GETTER (prescription_id)
GETTER (channel)
GETTER (status)
GETTER (delivery_address)
GETTER (created_at)
#undef GETTER

/**
 * rx_order_get_items:
 *
 * Returns: (transfer none) (element-type RxOrderLine): what was ordered
 */
GPtrArray *
rx_order_get_items (RxOrder *self)
{
  g_return_val_if_fail (RX_IS_ORDER (self), NULL);
  return self->items;
}

/**
 * rx_order_get_events:
 *
 * Returns: (transfer none) (element-type RxOrderEvent): every status change, oldest first
 */
GPtrArray *
rx_order_get_events (RxOrder *self)
{
  g_return_val_if_fail (RX_IS_ORDER (self), NULL);
  return self->events;
}

/* Reads --------------------------------------------------------------------------------- */

#define ORDER_COLUMNS \
  "id, patient_id, prescription_id, channel, status, delivery_address, created_at"

static RxOrder *
order_from_stmt (sqlite3_stmt *stmt)
{
  RxOrder *self = g_object_new (RX_TYPE_ORDER, NULL);

  self->id = _rx_stmt_dup_text (stmt, 0);
  self->patient_id = _rx_stmt_dup_text (stmt, 1);
  self->prescription_id = _rx_stmt_dup_text (stmt, 2);
  self->channel = _rx_stmt_dup_text (stmt, 3);
  self->status = _rx_stmt_dup_text (stmt, 4);
  self->delivery_address = _rx_stmt_dup_text (stmt, 5);
  self->created_at = _rx_stmt_dup_text (stmt, 6);

  return self;
}

static gboolean
load_details (RxDb       *db,
              RxOrder    *self,
              GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_db_prepare (db,
                         "SELECT id, product_id, quantity FROM medicine_order_items "
                         "WHERE order_id = ?1 AND deleted = 0 ORDER BY rowid", error);
  if (stmt == NULL)
    return FALSE;

  _rx_stmt_bind_text (stmt, 1, self->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RxOrderLine *line = g_new0 (RxOrderLine, 1);

      line->id = _rx_stmt_dup_text (stmt, 0);
      line->product_id = _rx_stmt_dup_text (stmt, 1);
      line->quantity = sqlite3_column_int (stmt, 2);
      g_ptr_array_add (self->items, line);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _rx_db_sqlite_error (db, rc, "Reading order items", error);

  stmt = _rx_db_prepare (db,
                         "SELECT id, status, note, at FROM order_events "
                         "WHERE order_id = ?1 AND deleted = 0 ORDER BY at, rowid", error);
  if (stmt == NULL)
    return FALSE;

  _rx_stmt_bind_text (stmt, 1, self->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RxOrderEvent *event = g_new0 (RxOrderEvent, 1);

      event->id = _rx_stmt_dup_text (stmt, 0);
      event->status = _rx_stmt_dup_text (stmt, 1);
      event->note = _rx_stmt_dup_text (stmt, 2);
      event->at = _rx_stmt_dup_text (stmt, 3);
      g_ptr_array_add (self->events, event);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _rx_db_sqlite_error (db, rc, "Reading order events", error);

  return TRUE;
}

RxOrder *
_rx_order_load (RxDb        *db,
                const char  *id,
                GError     **error)
{
  g_autoptr(RxOrder) self = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_db_prepare (db,
                         "SELECT " ORDER_COLUMNS " FROM medicine_orders "
                         "WHERE id = ?1 AND deleted = 0", error);
  if (stmt == NULL)
    return NULL;

  _rx_stmt_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    self = order_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Reading a medicine order", error);
      return NULL;
    }
  if (self == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no medicine order with the id “%s”; look it up in the "
                   "patient's orders", id ? id : "");
      return NULL;
    }

  if (!load_details (db, self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * rx_orders_get:
 *
 * Returns: (transfer full): the order with its items and events (the read is audited)
 */
RxOrder *
rx_orders_get (RxDb        *db,
               const char  *order_id,
               GError     **error)
{
  g_autoptr(RxOrder) self = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  self = _rx_order_load (db, order_id, error);
  if (self == NULL ||
      !_rx_db_audit (db, "read", "medicine_orders", self->id, NULL, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * rx_orders_list_for_patient:
 *
 * Returns: (transfer full): a #GListModel of the patient's #RxOrder, newest first, each with
 *   its items and events; the read is audited
 */
GListModel *
rx_orders_list_for_patient (RxDb        *db,
                            const char  *patient_id,
                            GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_ORDER);
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  guint n;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (!_rx_records_require (db, "patients", patient_id, "patient", error))
    return NULL;

  stmt = _rx_db_prepare (db,
                         "SELECT " ORDER_COLUMNS " FROM medicine_orders "
                         "WHERE patient_id = ?1 AND deleted = 0 "
                         "ORDER BY created_at DESC, rowid DESC", error);
  if (stmt == NULL)
    return NULL;

  _rx_stmt_bind_text (stmt, 1, patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RxOrder) order = order_from_stmt (stmt);

      g_list_store_append (store, order);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Listing the patient's orders", error);
      return NULL;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RxOrder) order = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (!load_details (db, order, error))
        return NULL;
    }

  detail = g_strdup_printf ("%u results", n);
  if (!_rx_db_audit (db, "list", "medicine_orders", patient_id, detail, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&store));
}
