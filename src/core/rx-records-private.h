/* rx-records-private.h: small helpers the record APIs (invoices, appointments, orders,
 * alerts, feedback) share: existence checks, one-value queries and state machines. */
#pragma once

#include "rx-db-private.h"

G_BEGIN_DECLS

gboolean  _rx_records_require       (RxDb                *db,
                                     const char          *table,
                                     const char          *id,
                                     const char          *what,
                                     GError             **error);
gboolean  _rx_records_query_int64   (RxDb                *db,
                                     const char          *sql,
                                     const char          *arg1,
                                     const char          *arg2,
                                     gint64              *out,
                                     GError             **error);
char     *_rx_records_query_text    (RxDb                *db,
                                     const char          *sql,
                                     const char          *arg,
                                     GError             **error);
gboolean  _rx_records_check_move    (const char * const  *allowed,
                                     const char          *what,
                                     const char          *from,
                                     const char          *to,
                                     GError             **error);
char     *_rx_records_dup_optional  (const char          *text);

G_END_DECLS
