/* rx-store-pg.h: the store (see rx-store.h) on PostgreSQL, which several rxdesk-server
 * processes can share behind a load balancer. */
#pragma once

#include "rx-store.h"

G_BEGIN_DECLS

#define RX_TYPE_STORE_PG (rx_store_pg_get_type ())
G_DECLARE_FINAL_TYPE (RxStorePg, rx_store_pg, RX, STORE_PG, GObject)

/* Connections are opened as they are needed, at most `pool_size` of them (0: the default,
 * RX_STORE_PG_DEFAULT_POOL). `url` is a libpq connection URI or string. */
#define RX_STORE_PG_DEFAULT_POOL 4
/* Longest a statement may run before the database cancels it. */
#define RX_STORE_PG_STATEMENT_TIMEOUT_MS 20000
/* Longest a push waits for another process's push of the same organisation: the server
 * answers on one thread, so the wait holds every request of the process; past it the push
 * gets 503 and the workstation tries again. */
#define RX_STORE_PG_LOCK_TIMEOUT_MS 5000

RxStore *rx_store_pg_new (const char  *url,
                          guint        pool_size,
                          GError     **error);

/* Copies every table of the SQLite store at `sqlite_path` into `store` (a PostgreSQL store
 * with no organisations yet), in one transaction. Returns how many rows of each table, as
 * "TABLE N" strings. */
GPtrArray *rx_store_pg_import_sqlite (RxStore     *store,
                                      const char  *sqlite_path,
                                      GError     **error);

G_END_DECLS
