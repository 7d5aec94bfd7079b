/* rx-store-pg-private.h: what the parts of the PostgreSQL store share: the connection pool,
 * prepared statements with bound parameters, and the entries a transaction has numbered but
 * not yet written. */
#pragma once

#include <libpq-fe.h>

#include "rx-store-pg.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* One connection of the pool. */
typedef struct
{
  PGconn     *conn;
  GHashTable *prepared;        /* SQL text -> name of the statement prepared on this connection */
  guint       next_name;
  gboolean    in_transaction;
  /* Entries numbered in this transaction, written in one multi-row INSERT when the
   * transaction commits or reads the log (rx-store-pg-log.c). */
  char       *held_org;        /* the organisation whose head this transaction holds */
  gint64      head;            /* its head, counting the pending entries */
  GPtrArray  *pending;         /* RxStoreEntry */
  GHashTable *pending_ops;     /* op id -> seq, of the pending entries */
} RxPgConn;

struct _RxStorePg
{
  GObject     parent_instance;

  char       *url;
  char       *where;           /* "database D on H" for messages: never the password */
  guint       pool_size;
  GMutex      lock;
  GCond       released;
  GQueue      idle;            /* connections nobody uses */
  guint       opened;          /* connections in use or idle */
  GHashTable *bound;           /* GThread -> the RxPgConn of its transaction */
  gint64      down_until;      /* monotonic usec: no new connection tried before (under lock) */
};

/* Parameters of one statement, as text (PostgreSQL converts them to the column types). */
#define RX_PG_MAX_PARAMS 12

typedef struct
{
  int         n;
  const char *values[RX_PG_MAX_PARAMS];
  char       *owned[RX_PG_MAX_PARAMS];
} RxPgParams;

void        _rx_pg_params_clear   (RxPgParams   *p);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RxPgParams, _rx_pg_params_clear)
/* NULL is SQL NULL. */
void        _rx_pg_text           (RxPgParams   *p,
                                   const char   *text);
void        _rx_pg_take           (RxPgParams   *p,
                                   char         *text);
void        _rx_pg_int            (RxPgParams   *p,
                                   gint64        value);
/* 0 is SQL NULL ("never"). */
void        _rx_pg_time           (RxPgParams   *p,
                                   gint64        t);

/* A connection for this thread: the one of its transaction, or one from the pool. */
RxPgConn   *_rx_store_pg_acquire  (RxStorePg    *self,
                                   GError      **error);
/* Back to the pool, unless it carries the thread's transaction. */
void        _rx_store_pg_release  (RxStorePg    *self,
                                   RxPgConn     *c);
/* Runs a statement (prepared once per connection) with its parameters; a result that
 * succeeded, or NULL with an error about `what`. A connection found broken outside a
 * transaction is opened again once. */
PGresult   *_rx_store_pg_run      (RxStorePg          *self,
                                   RxPgConn           *c,
                                   const char         *sql,
                                   const RxPgParams   *p,
                                   const char         *what,
                                   GError            **error);
/* _rx_store_pg_run() on a connection of this thread, given back afterwards. */
PGresult   *_rx_store_pg_query    (RxStorePg          *self,
                                   const char         *sql,
                                   const RxPgParams   *p,
                                   const char         *what,
                                   GError            **error);
/* A column as a new string (NULL for SQL NULL) or an integer (0 for SQL NULL). */
char       *_rx_pg_dup            (const PGresult     *r,
                                   int                 row,
                                   int                 column);
gint64      _rx_pg_int64          (const PGresult     *r,
                                   int                 row,
                                   int                 column);

typedef gpointer (*RxPgReadFunc) (const PGresult *r,
                                  int             row);
/* The first row as a record, NULL without an error for none. */
gpointer    _rx_store_pg_read_one (RxStorePg          *self,
                                   const char         *sql,
                                   const RxPgParams   *p,
                                   RxPgReadFunc        read,
                                   const char         *what,
                                   GError            **error);
GPtrArray  *_rx_store_pg_read_all (RxStorePg          *self,
                                   const char         *sql,
                                   const RxPgParams   *p,
                                   RxPgReadFunc        read,
                                   GDestroyNotify      free_func,
                                   const char         *what,
                                   GError            **error);

/* Arrays bound as one parameter: g_string_new ("{"), elements (NULL is SQL NULL), end. */
void        _rx_pg_array_add      (GString            *array,
                                   const char         *value);
char       *_rx_pg_array_end      (GString            *array);

/* The log (rx-store-pg-log.c). */
void        _rx_pg_conn_forget_pending (RxPgConn  *c);
/* Writes the entries numbered in the transaction of `c`. */
gboolean    _rx_store_pg_flush    (RxStorePg          *self,
                                   RxPgConn           *c,
                                   GError            **error);
void        _rx_store_pg_log_iface_init    (RxStoreInterface *iface);
void        _rx_store_pg_access_iface_init (RxStoreInterface *iface);

G_END_DECLS
