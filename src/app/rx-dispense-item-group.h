/* rx-dispense-item-group.h: one item of a prescription in the pharmacy window: what remains
 * of it, how much to dispense now and from which lot. */
#pragma once

#include <adwaita.h>

#include "rx-core.h"

G_BEGIN_DECLS

#define RX_TYPE_DISPENSE_ITEM_GROUP (rx_dispense_item_group_get_type ())
G_DECLARE_FINAL_TYPE (RxDispenseItemGroup, rx_dispense_item_group, RX, DISPENSE_ITEM_GROUP,
                      AdwPreferencesGroup)

RxDispenseItemGroup *rx_dispense_item_group_new          (const RxDispenseItem *item,
                                                          GListModel           *lots,
                                                          GPtrArray            *suggested,
                                                          const char           *today,
                                                          gboolean              can_dispense);
guint                rx_dispense_item_group_get_number   (RxDispenseItemGroup  *self);
gint64               rx_dispense_item_group_get_quantity (RxDispenseItemGroup  *self);
void                 rx_dispense_item_group_set_quantity (RxDispenseItemGroup  *self,
                                                          gint64                quantity);
const char          *rx_dispense_item_group_get_lot      (RxDispenseItemGroup  *self);
gboolean             rx_dispense_item_group_choose_lot   (RxDispenseItemGroup  *self,
                                                          const char           *lot);

void                 rx_dispense_item_group_focus        (RxDispenseItemGroup  *self);
void                 rx_dispense_item_group_commit       (RxDispenseItemGroup  *self);

G_END_DECLS
