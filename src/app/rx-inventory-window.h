/* rx-inventory-window.h: the dispensary's stock: every product with what is on hand, its
 * lots and their expiry, receiving (by scanner or by hand), adjustments, counts, the reorder
 * report and a CSV export. */
#pragma once

#include <adwaita.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_INVENTORY_WINDOW (rx_inventory_window_get_type ())
G_DECLARE_FINAL_TYPE (RxInventoryWindow, rx_inventory_window, RX, INVENTORY_WINDOW,
                      AdwApplicationWindow)

RxInventoryWindow *rx_inventory_window_new          (GtkApplication    *application,
                                                     RxClinic          *clinic);
gboolean           rx_inventory_window_get_busy     (RxInventoryWindow *self);
const char        *rx_inventory_window_get_page     (RxInventoryWindow *self);
GListModel        *rx_inventory_window_get_products (RxInventoryWindow *self);
GtkWidget         *rx_inventory_window_get_product_view (RxInventoryWindow *self);
void               rx_inventory_window_set_filter   (RxInventoryWindow *self,
                                                     const char        *filter);
void               rx_inventory_window_show_product (RxInventoryWindow *self,
                                                     const char        *product_id);
const char        *rx_inventory_window_get_product_id (RxInventoryWindow *self);
GListModel        *rx_inventory_window_get_lots     (RxInventoryWindow *self);
GtkWindow         *rx_inventory_window_receive      (RxInventoryWindow *self);
GtkWindow         *rx_inventory_window_adjust       (RxInventoryWindow *self,
                                                     const char        *lot);
GtkWindow         *rx_inventory_window_count        (RxInventoryWindow *self,
                                                     const char        *lot);

G_END_DECLS
