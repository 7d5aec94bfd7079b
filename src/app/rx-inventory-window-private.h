/* rx-inventory-window-private.h: RxInventoryWindow's fields, shared by
 * rx-inventory-window.c (session, the product list, the product shown) and
 * rx-inventory-window-actions.c (receiving, adjusting, counting, reports, actions, input). */
#pragma once

#include "rx-inventory-window.h"
#include "rx-lock-page.h"
#include "rx-stock-level-model.h"

G_BEGIN_DECLS

/* Movements shown for a product. */
#define RX_INVENTORY_HISTORY_LIMIT 30

struct _RxInventoryWindow
{
  AdwApplicationWindow  parent_instance;

  RxClinic             *clinic;
  RxUser               *user;
  RxStockLevelModel    *model;
  GtkSingleSelection   *selection;
  GCancellable         *opening;       /* the product's lots and history */
  GCancellable         *working;       /* a write, a report or an export */
  char                 *product_id;    /* the product shown */
  char                 *product_name;
  char                 *product_code;  /* once its lots are read */
  GListModel           *lots;          /* its lots (RxBatch) */
  char                 *today;
  char                 *soon;
  GPtrArray            *lot_rows;
  GPtrArray            *history_rows;
  GtkWindow            *dialog;        /* the receive dialog, while it is open */

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkStack             *main_stack;
  RxLockPage           *lock_page;
  AdwLeaflet           *leaflet;
  GtkWidget            *list_pane;
  GtkWidget            *detail_pane;
  GtkSearchEntry       *search_entry;
  GtkLabel             *count_label;
  GtkStack             *list_stack;
  AdwStatusPage        *list_error_page;
  GtkColumnView        *product_view;
  GtkStack             *detail_stack;
  AdwStatusPage        *detail_error_page;
  GtkLabel             *product_label;
  GtkLabel             *summary_label;
  AdwPreferencesGroup  *lots_group;
  AdwPreferencesGroup  *history_group;
};

void _rx_inventory_window_notify_busy       (RxInventoryWindow *self);
void _rx_inventory_window_update_actions    (RxInventoryWindow *self);
void _rx_inventory_window_toast             (RxInventoryWindow *self,
                                             const char        *message);
void _rx_inventory_window_stock_changed     (RxInventoryWindow *self);
GtkWindow *_rx_inventory_window_adjust_lot (RxInventoryWindow *self,
                                            RxBatch           *batch);
GtkWindow *_rx_inventory_window_count_lot  (RxInventoryWindow *self,
                                            RxBatch           *batch);
void _rx_inventory_window_class_add_actions (GtkWidgetClass    *widget_class);
void _rx_inventory_window_add_input         (RxInventoryWindow *self);

G_END_DECLS
