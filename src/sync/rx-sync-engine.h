/* rx-sync-engine.h: sync in the background for the app. A worker thread with its own clinic
 * connection pushes and pulls when asked (a local change, a person signing in), every few
 * minutes, and when the network comes back; it backs off with jitter while the server cannot
 * be reached. Its state is read from GObject properties, notified on the thread that made
 * the engine, and "tables-changed" says which tables pulled changes touched. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RX_TYPE_SYNC_ENGINE (rx_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (RxSyncEngine, rx_sync_engine, RX, SYNC_ENGINE, GObject)

RxSyncEngine *rx_sync_engine_new            (const char   *clinic_path);
void          rx_sync_engine_set_interval   (RxSyncEngine *self,
                                             guint         seconds);
void          rx_sync_engine_kick           (RxSyncEngine *self);
void          rx_sync_engine_sign_in        (RxSyncEngine *self,
                                             const char   *username,
                                             const char   *password);
void          rx_sync_engine_stop           (RxSyncEngine *self);

gboolean      rx_sync_engine_get_enrolled   (RxSyncEngine *self);
gboolean      rx_sync_engine_get_online     (RxSyncEngine *self);
gboolean      rx_sync_engine_get_syncing    (RxSyncEngine *self);
gint64        rx_sync_engine_get_pending    (RxSyncEngine *self);
gint64        rx_sync_engine_get_conflicts  (RxSyncEngine *self);
GDateTime    *rx_sync_engine_get_last_sync  (RxSyncEngine *self);
const char   *rx_sync_engine_get_last_error (RxSyncEngine *self);
guint         rx_sync_engine_get_rounds     (RxSyncEngine *self);

G_END_DECLS
