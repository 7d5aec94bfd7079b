/* rx-stock-level-model.h: the inventory list as a GListModel that reads only what is on
 * screen: it knows how many products match, and reads rows from the clinic a page at a time
 * when the list first asks for one. */
#pragma once

#include <gio/gio.h>

#include "rx-clinic.h"
#include "rx-stock-level-item.h"

G_BEGIN_DECLS

/* Rows read at a time, and pages kept in memory. */
#define RX_STOCK_LEVEL_PAGE       100
#define RX_STOCK_LEVEL_KEEP_PAGES 32

#define RX_TYPE_STOCK_LEVEL_MODEL (rx_stock_level_model_get_type ())
G_DECLARE_FINAL_TYPE (RxStockLevelModel, rx_stock_level_model, RX, STOCK_LEVEL_MODEL, GObject)

RxStockLevelModel *rx_stock_level_model_new        (RxClinic          *clinic);
void               rx_stock_level_model_set_filter (RxStockLevelModel *self,
                                                    const char        *filter);
void               rx_stock_level_model_reload     (RxStockLevelModel *self);
gboolean           rx_stock_level_model_get_busy   (RxStockLevelModel *self);
const char        *rx_stock_level_model_get_error  (RxStockLevelModel *self);
guint              rx_stock_level_model_get_pages_read (RxStockLevelModel *self);

G_END_DECLS
