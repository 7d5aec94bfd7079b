/* rx-store-sqlite-private.h: what the two halves of the SQLite store share: the statement
 * cache and the turning of SQLite's errors into errors a person can act on. */
#pragma once

#include <sqlite3.h>

#include "rx-store-sqlite.h"

G_BEGIN_DECLS

struct _RxStoreSqlite
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *handle;
  GHashTable *statements;      /* SQL text -> prepared sqlite3_stmt */
  gboolean    in_transaction;
};

sqlite3_stmt *_rx_store_sqlite_prepare    (RxStoreSqlite  *self,
                                           const char     *sql,
                                           GError        **error);
/* Sets an RX_SERVER_ERROR_STORE error about `what` from SQLite's code; returns FALSE. */
gboolean      _rx_store_sqlite_fail       (RxStoreSqlite  *self,
                                           int             rc,
                                           const char     *what,
                                           GError        **error);
/* Steps a statement that returns no rows, then resets it. */
gboolean      _rx_store_sqlite_step_done  (RxStoreSqlite  *self,
                                           sqlite3_stmt   *stmt,
                                           const char     *what,
                                           GError        **error);
char         *_rx_store_sqlite_dup        (sqlite3_stmt   *stmt,
                                           int             column);
void          _rx_store_sqlite_bind_text  (sqlite3_stmt   *stmt,
                                           int             index,
                                           const char     *text);
/* Turns the current row of a statement into a record of the store. */
typedef gpointer (*RxStoreReadFunc) (sqlite3_stmt *stmt);

/* Steps a bound statement for at most one row: the record, or NULL for none (error unset) or
 * a failure (error set). Resets the statement. */
gpointer      _rx_store_sqlite_read_one   (RxStoreSqlite   *self,
                                           sqlite3_stmt    *stmt,
                                           RxStoreReadFunc  read,
                                           const char      *what,
                                           GError         **error);
/* Every row of a bound statement as records freed with free_func, or NULL on a failure. */
GPtrArray    *_rx_store_sqlite_read_all   (RxStoreSqlite   *self,
                                           sqlite3_stmt    *stmt,
                                           RxStoreReadFunc  read,
                                           GDestroyNotify   free_func,
                                           const char      *what,
                                           GError         **error);
/* An integer column where NULL reads as 0. */
gint64        _rx_store_sqlite_int        (sqlite3_stmt   *stmt,
                                           int             column);

/* Workstations, tokens and login failures (rx-store-sqlite-access.c). */
gboolean           _rx_store_sqlite_workstation_add    (RxStore                  *store,
                                                        const RxStoreWorkstation *ws,
                                                        GError                  **error);
RxStoreWorkstation *_rx_store_sqlite_workstation_get   (RxStore                  *store,
                                                        const char               *id,
                                                        GError                  **error);
GPtrArray          *_rx_store_sqlite_workstation_list  (RxStore                  *store,
                                                        const char               *org_id,
                                                        GError                  **error);
gboolean           _rx_store_sqlite_workstation_revoke (RxStore                  *store,
                                                        const char               *id,
                                                        gint64                    at,
                                                        GError                  **error);
gboolean           _rx_store_sqlite_workstation_seen   (RxStore                  *store,
                                                        const char               *id,
                                                        gint64                    at,
                                                        GError                  **error);
gboolean           _rx_store_sqlite_token_add          (RxStore                  *store,
                                                        const RxStoreToken       *token,
                                                        GError                  **error);
RxStoreToken       *_rx_store_sqlite_token_get         (RxStore                  *store,
                                                        const char               *token_hash,
                                                        GError                  **error);
gboolean           _rx_store_sqlite_token_revoke       (RxStore                  *store,
                                                        const char               *token_hash,
                                                        gint64                    at,
                                                        GError                  **error);
gboolean           _rx_store_sqlite_failure_add        (RxStore                  *store,
                                                        const char               *key,
                                                        gint64                    at,
                                                        GError                  **error);
gboolean           _rx_store_sqlite_failures_count     (RxStore                  *store,
                                                        const char               *key,
                                                        gint64                    since,
                                                        guint                    *count,
                                                        gint64                   *oldest,
                                                        GError                  **error);
gboolean           _rx_store_sqlite_failures_clear     (RxStore                  *store,
                                                        const char               *key,
                                                        gint64                    before,
                                                        GError                  **error);

/* The entries log and the merged rows (rx-store-sqlite-log.c). */
gint64        _rx_store_sqlite_entry_find    (RxStore            *store,
                                              const char         *org_id,
                                              const char         *op_id,
                                              GError            **error);
gint64        _rx_store_sqlite_entry_append  (RxStore            *store,
                                              const char         *org_id,
                                              const RxStoreEntry *entry,
                                              GError            **error);
GPtrArray    *_rx_store_sqlite_entries_after (RxStore            *store,
                                              const char         *org_id,
                                              gint64              since,
                                              const char * const *entities,
                                              guint               limit,
                                              GError            **error);
RxStoreRow   *_rx_store_sqlite_row_get       (RxStore            *store,
                                              const char         *org_id,
                                              const char         *entity,
                                              const char         *row_id,
                                              GError            **error);
GPtrArray    *_rx_store_sqlite_rows_find     (RxStore            *store,
                                              const char         *org_id,
                                              const char         *entity,
                                              const char         *lookup,
                                              GError            **error);
gboolean      _rx_store_sqlite_row_put       (RxStore            *store,
                                              const char         *org_id,
                                              const RxStoreRow   *row,
                                              GError            **error);

G_END_DECLS
