/* rx-sync-button.h: the header bar's sync indicator: online or offline, changes waiting, last
 * sync and conflicts at a glance, details and "Sync Now" in its popover. */
#pragma once

#include <adwaita.h>

#include "rx-sync-engine.h"

G_BEGIN_DECLS

#define RX_TYPE_SYNC_BUTTON (rx_sync_button_get_type ())
G_DECLARE_FINAL_TYPE (RxSyncButton, rx_sync_button, RX, SYNC_BUTTON, AdwBin)

GtkWidget  *rx_sync_button_new         (void);
void        rx_sync_button_set_engine  (RxSyncButton *self,
                                        RxSyncEngine *engine);
const char *rx_sync_button_get_summary (RxSyncButton *self);

G_END_DECLS
