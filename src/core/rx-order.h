/* rx-order.h: medicine orders (from the counter, the phone or the assistant), their items
 * and their status events. Each change of status is also an event row, so two workstations
 * moving the same order never overwrite each other's history. */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"

G_BEGIN_DECLS

#define RX_TYPE_ORDER (rx_order_get_type ())
G_DECLARE_FINAL_TYPE (RxOrder, rx_order, RX, ORDER, GObject)

#define RX_TYPE_ORDER_LINE  (rx_order_line_get_type ())
#define RX_TYPE_ORDER_EVENT (rx_order_event_get_type ())

typedef struct _RxOrderLine  RxOrderLine;
typedef struct _RxOrderEvent RxOrderEvent;

/* What a caller orders: a product and how many (packs or units, as the product is sold). */
typedef struct
{
  const char *product_id;
  int         quantity;     /* 1 .. 10000 */
} RxOrderItem;

/* An item as stored. */
struct _RxOrderLine
{
  char *id;
  char *product_id;
  int   quantity;
};

struct _RxOrderEvent
{
  char *id;
  char *status;    /* placed, verified, packed, out_for_delivery, delivered, cancelled */
  char *note;      /* may be NULL */
  char *at;
};

GType         rx_order_line_get_type   (void) G_GNUC_CONST;
RxOrderLine  *rx_order_line_copy       (const RxOrderLine  *line);
void          rx_order_line_free       (RxOrderLine        *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxOrderLine, rx_order_line_free)

GType         rx_order_event_get_type  (void) G_GNUC_CONST;
RxOrderEvent *rx_order_event_copy      (const RxOrderEvent *event);
void          rx_order_event_free      (RxOrderEvent       *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxOrderEvent, rx_order_event_free)

const char   *rx_order_get_id               (RxOrder *self);
const char   *rx_order_get_patient_id       (RxOrder *self);
const char   *rx_order_get_prescription_id  (RxOrder *self);
const char   *rx_order_get_channel          (RxOrder *self);
const char   *rx_order_get_status           (RxOrder *self);
const char   *rx_order_get_delivery_address (RxOrder *self);
const char   *rx_order_get_created_at       (RxOrder *self);
GPtrArray    *rx_order_get_items            (RxOrder *self);
GPtrArray    *rx_order_get_events           (RxOrder *self);

RxOrder      *rx_orders_place               (RxDb              *db,
                                             const char        *patient_id,
                                             const char        *channel,
                                             const char        *prescription_id,
                                             const RxOrderItem *items,
                                             guint              n_items,
                                             const char        *delivery_address,
                                             GError           **error);
gboolean      rx_orders_advance             (RxDb              *db,
                                             const char        *order_id,
                                             const char        *status,
                                             const char        *note,
                                             GError           **error);
RxOrder      *rx_orders_get                 (RxDb              *db,
                                             const char        *order_id,
                                             GError           **error);
GListModel   *rx_orders_list_for_patient    (RxDb              *db,
                                             const char        *patient_id,
                                             GError           **error);

G_END_DECLS
