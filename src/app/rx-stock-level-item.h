/* rx-stock-level-item.h: one row of the inventory list: a product and its stock here. It
 * exists before its figures do (the list asks for rows it has not read yet) and says
 * "loaded" once they arrive. */
#pragma once

#include <glib-object.h>

#include "rx-core.h"

G_BEGIN_DECLS

#define RX_TYPE_STOCK_LEVEL_ITEM (rx_stock_level_item_get_type ())
G_DECLARE_FINAL_TYPE (RxStockLevelItem, rx_stock_level_item, RX, STOCK_LEVEL_ITEM, GObject)

typedef enum
{
  RX_EXPIRY_NONE,       /* no stock, or all of it well in date */
  RX_EXPIRY_SOON,       /* a lot expires within RX_DISPENSE_SOON_DAYS */
  RX_EXPIRY_EXPIRED,    /* expired stock is still on the shelf */
} RxExpiryState;

RxStockLevelItem   *rx_stock_level_item_new         (guint               position);
guint               rx_stock_level_item_get_position (RxStockLevelItem  *self);
gboolean            rx_stock_level_item_get_loaded   (RxStockLevelItem  *self);
const RxStockLevel *rx_stock_level_item_get_level    (RxStockLevelItem  *self);
RxExpiryState       rx_stock_level_item_get_expiry_state (RxStockLevelItem *self);
void                rx_stock_level_item_set_level    (RxStockLevelItem  *self,
                                                      const RxStockLevel *level,
                                                      const char         *today,
                                                      const char         *soon);

G_END_DECLS
