/* rx-db-private.h: what the rest of librxdesk-core uses to read and write the database.
 * Only core issues SQL; every write goes through _rx_db_put inside rx_db_begin/commit. */
#pragma once

#include <sqlite3.h>

#include "rx-change-log.h"
#include "rx-db.h"
#include "rx-role.h"

G_BEGIN_DECLS

typedef struct _RxRow RxRow;

RxRow        *_rx_row_new_insert      (const char   *table);
RxRow        *_rx_row_new_insert_with_id (const char *table,
                                          const char *id);
RxRow        *_rx_row_new_update      (const char   *table,
                                       const char   *id);
void          _rx_row_free            (RxRow        *row);
void          _rx_row_set_text        (RxRow        *row,
                                       const char   *column,
                                       const char   *value);
void          _rx_row_set_int         (RxRow        *row,
                                       const char   *column,
                                       gint64        value);
void          _rx_row_set_null        (RxRow        *row,
                                       const char   *column);
const char   *_rx_row_get_id          (RxRow        *row);
const char   *_rx_row_get_table       (RxRow        *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxRow, _rx_row_free)

RxDb         *_rx_db_create_at_version (const char *path,
                                         int         version,
                                         GError    **error);
int           _rx_db_query_int        (RxDb         *self,
                                       const char   *sql);
sqlite3      *_rx_db_get_handle       (RxDb         *self);
sqlite3_stmt *_rx_db_prepare          (RxDb         *self,
                                       const char   *sql,
                                       GError      **error);
gboolean      _rx_db_exec             (RxDb         *self,
                                       const char   *sql,
                                       GError      **error);
gboolean      _rx_db_put              (RxDb         *self,
                                       RxRow        *row,
                                       GError      **error);
gboolean      _rx_db_put_audited      (RxDb         *self,
                                       RxRow        *row,
                                       const char   *action,
                                       const char   *detail,
                                       GError      **error);
gboolean      _rx_db_audit            (RxDb         *self,
                                       const char   *action,
                                       const char   *entity,
                                       const char   *entity_id,
                                       const char   *detail,
                                       GError      **error);
gboolean      _rx_db_set_meta         (RxDb         *self,
                                       const char   *key,
                                       const char   *value,
                                       GError      **error);
gboolean      _rx_db_require          (RxDb         *self,
                                       RxAction      action,
                                       GError      **error);
gboolean      _rx_db_in_transaction   (RxDb         *self);
RxChange     *_rx_change_read         (sqlite3_stmt *stmt);
void          _rx_db_observe_hlc      (RxDb         *self,
                                       const char   *hlc);
gboolean      _rx_db_reload_identity  (RxDb         *self,
                                       GError      **error);
gboolean      _rx_db_sqlite_error     (RxDb         *self,
                                       int           rc,
                                       const char   *what,
                                       GError      **error);
char         *_rx_stmt_dup_text       (sqlite3_stmt *stmt,
                                       int           column);
void          _rx_stmt_bind_text      (sqlite3_stmt *stmt,
                                       int           index,
                                       const char   *value);

char         *_rx_audit_hash          (const char   *prev_hash,
                                       const char   *id,
                                       const char   *at,
                                       const char   *actor,
                                       const char   *workstation,
                                       const char   *action,
                                       const char   *entity,
                                       const char   *entity_id,
                                       const char   *detail);

/* Steps a prepared, cached statement to completion and resets it. */
gboolean      _rx_db_step_done        (RxDb         *self,
                                       sqlite3_stmt *stmt,
                                       const char   *what,
                                       GError      **error);

G_END_DECLS
