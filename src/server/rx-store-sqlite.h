/* rx-store-sqlite.h: the embedded store: one SQLite file (WAL) in the server's data folder. */
#pragma once

#include "rx-store.h"

G_BEGIN_DECLS

#define RX_TYPE_STORE_SQLITE (rx_store_sqlite_get_type ())
G_DECLARE_FINAL_TYPE (RxStoreSqlite, rx_store_sqlite, RX, STORE_SQLITE, GObject)

/* Opens the file, creating it (0600) when it does not exist yet. */
RxStore *rx_store_sqlite_new (const char  *path,
                              GError     **error);

G_END_DECLS
