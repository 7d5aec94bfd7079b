/* rx-stock.h: the stock ledger: batches (lot, expiry) and signed movements; the quantity on
 * hand is always the sum of movements, never a stored number. */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"

G_BEGIN_DECLS

#define RX_TYPE_BATCH (rx_batch_get_type ())
G_DECLARE_FINAL_TYPE (RxBatch, rx_batch, RX, BATCH, GObject)

typedef struct
{
  const char *product;          /* product id or code */
  const char *lot;
  const char *expiry;           /* YYYY-MM-DD */
  gint64      quantity;         /* in the product's pack unit (tablets, mL...), > 0 */
  gint64      unit_cost_minor;  /* -1 when not known */
  const char *supplier;
  const char *gtin;
  const char *serial;
} RxStockReceipt;

const char  *rx_batch_get_id            (RxBatch *self);
const char  *rx_batch_get_product_id    (RxBatch *self);
const char  *rx_batch_get_product_name  (RxBatch *self);
const char  *rx_batch_get_lot           (RxBatch *self);
const char  *rx_batch_get_expiry        (RxBatch *self);
gint64       rx_batch_get_quantity      (RxBatch *self);
gint64       rx_batch_get_unit_cost     (RxBatch *self);
const char  *rx_batch_get_supplier      (RxBatch *self);

char        *rx_stock_receive           (RxDb                 *db,
                                         const RxStockReceipt *receipt,
                                         GError              **error);
gboolean     rx_stock_adjust            (RxDb                 *db,
                                         const char           *product,
                                         const char           *lot,
                                         gint64                delta,
                                         const char           *reason,
                                         GError              **error);
GListModel  *rx_stock_list              (RxDb                 *db,
                                         const char           *product_or_null,
                                         int                   expiring_within_days,
                                         GError              **error);
gint64       rx_stock_on_hand           (RxDb                 *db,
                                         const char           *product_id);

G_END_DECLS
