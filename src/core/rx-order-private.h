/* rx-order-private.h: the inside of RxOrder, shared by rx-order.c (the object and reads)
 * and rx-order-place.c (writes). */
#pragma once

#include "rx-db-private.h"
#include "rx-order.h"

G_BEGIN_DECLS

struct _RxOrder
{
  GObject    parent_instance;

  char      *id;
  char      *patient_id;
  char      *prescription_id;
  char      *channel;
  char      *status;
  char      *delivery_address;
  char      *created_at;
  GPtrArray *items;    /* of RxOrderLine */
  GPtrArray *events;   /* of RxOrderEvent, oldest first */
};

RxOrder *_rx_order_load (RxDb        *db,
                         const char  *id,
                         GError     **error);

G_END_DECLS
