/* rx-store.h: everything rxdesk-server keeps, behind one interface: organisations, enrolment
 * codes, workstations, tokens, login failures, each organisation's log of entries and the
 * merged rows the server reasons about. The SQLite store implements it; a PostgreSQL one
 * implements the same calls for many server processes behind a load balancer.
 *
 * Getters return NULL (or 0) without an error when there is no such record, and NULL with an
 * error (RX_SERVER_ERROR_STORE) when the store could not answer. Writes that belong together
 * run between rx_store_begin() and rx_store_commit(), on the thread that began them. Inside a
 * transaction rx_store_org_get() also holds the organisation until the end of it: another
 * writer of the same organisation, in this process or another, waits (SQLite holds the whole
 * store). Times are Unix seconds. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  char   *id;
  char   *name;
  char   *clinic_org_id;  /* NULL until the first workstation fixes it */
  gint64  head;           /* the highest sequence number of its entries; 0: none yet */
  gint64  created_at;
} RxStoreOrg;

typedef struct
{
  char   *org_id;
  gint64  created_at;
  gint64  expires_at;
  gint64  used_at;        /* 0: not used */
} RxStoreCode;

typedef struct
{
  char   *id;
  char   *org_id;
  char   *name;
  char   *node_id;
  char   *secret_hash;    /* SHA-256 of the secret, hex */
  gint64  enrolled_at;
  gint64  last_seen_at;   /* 0: never */
  gint64  revoked_at;     /* 0: not revoked */
} RxStoreWorkstation;

typedef struct
{
  char   *token_hash;     /* SHA-256 of the token, hex */
  char   *org_id;
  char   *workstation_id;
  char   *user_id;
  char   *role;
  gint64  created_at;
  gint64  expires_at;
  gint64  revoked_at;     /* 0: not revoked */
} RxStoreToken;

typedef struct
{
  gint64  seq;
  char   *op_id;
  char   *entity;
  char   *row_id;
  char   *hlc;
  char   *author;
  char   *payload;        /* JSON object, as stored */
  gint64  received_at;
} RxStoreEntry;

/* A row merged from every entry that wrote it. */
typedef struct
{
  char   *entity;
  char   *row_id;
  char   *lookup;         /* what the server finds it by (username, kind, prescription id) */
  char   *hlc;            /* the newest HLC merged in */
  char   *data;           /* JSON object of its columns */
  char   *clocks;         /* JSON object: the HLC that last wrote each column */
} RxStoreRow;

void  rx_store_org_free          (RxStoreOrg         *org);
void  rx_store_code_free         (RxStoreCode        *code);
void  rx_store_workstation_free  (RxStoreWorkstation *workstation);
void  rx_store_token_free        (RxStoreToken       *token);
void  rx_store_entry_free        (RxStoreEntry       *entry);
void  rx_store_row_free          (RxStoreRow         *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxStoreOrg, rx_store_org_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxStoreCode, rx_store_code_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxStoreWorkstation, rx_store_workstation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxStoreToken, rx_store_token_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxStoreEntry, rx_store_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxStoreRow, rx_store_row_free)

#define RX_TYPE_STORE (rx_store_get_type ())
G_DECLARE_INTERFACE (RxStore, rx_store, RX, STORE, GObject)

struct _RxStoreInterface
{
  GTypeInterface parent_iface;

  const char         *(*get_kind)           (RxStore            *self);
  int                 (*get_schema_version) (RxStore            *self,
                                             GError            **error);
  int                 (*get_latest_version) (RxStore            *self);
  gboolean            (*migrate)            (RxStore            *self,
                                             GError            **error);
  gboolean            (*ping)               (RxStore            *self,
                                             GError            **error);

  gboolean            (*begin)              (RxStore            *self,
                                             GError            **error);
  gboolean            (*commit)             (RxStore            *self,
                                             GError            **error);
  void                (*rollback)           (RxStore            *self);

  gboolean            (*org_add)            (RxStore            *self,
                                             const RxStoreOrg   *org,
                                             GError            **error);
  RxStoreOrg         *(*org_get)            (RxStore            *self,
                                             const char         *id,
                                             GError            **error);
  GPtrArray          *(*org_list)           (RxStore            *self,
                                             GError            **error);
  gboolean            (*org_set_clinic)     (RxStore            *self,
                                             const char         *id,
                                             const char         *clinic_org_id,
                                             GError            **error);

  gboolean            (*code_add)           (RxStore            *self,
                                             const char         *code_hash,
                                             const RxStoreCode  *code,
                                             GError            **error);
  RxStoreCode        *(*code_get)           (RxStore            *self,
                                             const char         *code_hash,
                                             GError            **error);
  gboolean            (*code_use)           (RxStore            *self,
                                             const char         *code_hash,
                                             const char         *workstation_id,
                                             gint64              at,
                                             GError            **error);

  gboolean            (*workstation_add)    (RxStore            *self,
                                             const RxStoreWorkstation *workstation,
                                             GError            **error);
  RxStoreWorkstation *(*workstation_get)    (RxStore            *self,
                                             const char         *id,
                                             GError            **error);
  GPtrArray          *(*workstation_list)   (RxStore            *self,
                                             const char         *org_id,
                                             GError            **error);
  gboolean            (*workstation_revoke) (RxStore            *self,
                                             const char         *id,
                                             gint64              at,
                                             GError            **error);
  gboolean            (*workstation_seen)   (RxStore            *self,
                                             const char         *id,
                                             gint64              at,
                                             GError            **error);

  gboolean            (*token_add)          (RxStore            *self,
                                             const RxStoreToken *token,
                                             GError            **error);
  RxStoreToken       *(*token_get)          (RxStore            *self,
                                             const char         *token_hash,
                                             GError            **error);
  gboolean            (*token_revoke)       (RxStore            *self,
                                             const char         *token_hash,
                                             gint64              at,
                                             GError            **error);

  gboolean            (*failure_add)        (RxStore            *self,
                                             const char         *key,
                                             gint64              at,
                                             GError            **error);
  gboolean            (*failures_count)     (RxStore            *self,
                                             const char         *key,
                                             gint64              since,
                                             guint              *count,
                                             gint64             *oldest,
                                             GError            **error);
  gboolean            (*failures_clear)     (RxStore            *self,
                                             const char         *key,
                                             gint64              before,
                                             GError            **error);

  gint64              (*entry_find)         (RxStore            *self,
                                             const char         *org_id,
                                             const char         *op_id,
                                             GError            **error);
  gint64              (*entry_append)       (RxStore            *self,
                                             const char         *org_id,
                                             const RxStoreEntry *entry,
                                             GError            **error);
  GPtrArray          *(*entries_after)      (RxStore            *self,
                                             const char         *org_id,
                                             gint64              since,
                                             const char * const *entities,
                                             guint               limit,
                                             GError            **error);

  RxStoreRow         *(*row_get)            (RxStore            *self,
                                             const char         *org_id,
                                             const char         *entity,
                                             const char         *row_id,
                                             GError            **error);
  GPtrArray          *(*rows_find)          (RxStore            *self,
                                             const char         *org_id,
                                             const char         *entity,
                                             const char         *lookup,
                                             GError            **error);
  gboolean            (*row_put)            (RxStore            *self,
                                             const char         *org_id,
                                             const RxStoreRow   *row,
                                             GError            **error);
};

/* Opens the store a --store URL names: "sqlite:PATH", "postgresql://…" (a libpq connection
 * URI, with at most `pool_size` connections; 0 for the default), or NULL for
 * `default_sqlite_path`. */
RxStore            *rx_store_open               (const char         *url,
                                                 const char         *default_sqlite_path,
                                                 guint               pool_size,
                                                 GError            **error);

const char         *rx_store_get_kind           (RxStore            *self);
int                 rx_store_get_schema_version (RxStore            *self,
                                                 GError            **error);
int                 rx_store_get_latest_version (RxStore            *self);
gboolean            rx_store_migrate            (RxStore            *self,
                                                 GError            **error);
gboolean            rx_store_ping               (RxStore            *self,
                                                 GError            **error);
gboolean            rx_store_begin              (RxStore            *self,
                                                 GError            **error);
gboolean            rx_store_commit             (RxStore            *self,
                                                 GError            **error);
void                rx_store_rollback           (RxStore            *self);

gboolean            rx_store_org_add            (RxStore            *self,
                                                 const RxStoreOrg   *org,
                                                 GError            **error);
RxStoreOrg         *rx_store_org_get            (RxStore            *self,
                                                 const char         *id,
                                                 GError            **error);
GPtrArray          *rx_store_org_list           (RxStore            *self,
                                                 GError            **error);
gboolean            rx_store_org_set_clinic     (RxStore            *self,
                                                 const char         *id,
                                                 const char         *clinic_org_id,
                                                 GError            **error);

gboolean            rx_store_code_add           (RxStore            *self,
                                                 const char         *code_hash,
                                                 const RxStoreCode  *code,
                                                 GError            **error);
RxStoreCode        *rx_store_code_get           (RxStore            *self,
                                                 const char         *code_hash,
                                                 GError            **error);
gboolean            rx_store_code_use           (RxStore            *self,
                                                 const char         *code_hash,
                                                 const char         *workstation_id,
                                                 gint64              at,
                                                 GError            **error);

gboolean            rx_store_workstation_add    (RxStore            *self,
                                                 const RxStoreWorkstation *workstation,
                                                 GError            **error);
RxStoreWorkstation *rx_store_workstation_get    (RxStore            *self,
                                                 const char         *id,
                                                 GError            **error);
GPtrArray          *rx_store_workstation_list   (RxStore            *self,
                                                 const char         *org_id,
                                                 GError            **error);
/* Also ends every token the workstation was given. */
gboolean            rx_store_workstation_revoke (RxStore            *self,
                                                 const char         *id,
                                                 gint64              at,
                                                 GError            **error);
gboolean            rx_store_workstation_seen   (RxStore            *self,
                                                 const char         *id,
                                                 gint64              at,
                                                 GError            **error);

gboolean            rx_store_token_add          (RxStore            *self,
                                                 const RxStoreToken *token,
                                                 GError            **error);
RxStoreToken       *rx_store_token_get          (RxStore            *self,
                                                 const char         *token_hash,
                                                 GError            **error);
gboolean            rx_store_token_revoke       (RxStore            *self,
                                                 const char         *token_hash,
                                                 gint64              at,
                                                 GError            **error);

gboolean            rx_store_failure_add        (RxStore            *self,
                                                 const char         *key,
                                                 gint64              at,
                                                 GError            **error);
/* How many failures `key` had since `since`, and when the oldest of those was. */
gboolean            rx_store_failures_count     (RxStore            *self,
                                                 const char         *key,
                                                 gint64              since,
                                                 guint              *count,
                                                 gint64             *oldest,
                                                 GError            **error);
/* Forgets the failures of `key` (every key when NULL) from before `before`. */
gboolean            rx_store_failures_clear     (RxStore            *self,
                                                 const char         *key,
                                                 gint64              before,
                                                 GError            **error);

/* The sequence number an op id was stored under; 0 when it was not; -1 on error. */
gint64              rx_store_entry_find         (RxStore            *self,
                                                 const char         *org_id,
                                                 const char         *op_id,
                                                 GError            **error);
/* Stores the entry under the organisation's next sequence number, which it returns (-1 on
 * error); only inside a transaction, so that numbers are never lost to a failed write. */
gint64              rx_store_entry_append       (RxStore            *self,
                                                 const char         *org_id,
                                                 const RxStoreEntry *entry,
                                                 GError            **error);
/* Up to `limit` entries with seq > since, of the tables named (NULL: every table), in
 * sequence order. */
GPtrArray          *rx_store_entries_after      (RxStore            *self,
                                                 const char         *org_id,
                                                 gint64              since,
                                                 const char * const *entities,
                                                 guint               limit,
                                                 GError            **error);

RxStoreRow         *rx_store_row_get            (RxStore            *self,
                                                 const char         *org_id,
                                                 const char         *entity,
                                                 const char         *row_id,
                                                 GError            **error);
GPtrArray          *rx_store_rows_find          (RxStore            *self,
                                                 const char         *org_id,
                                                 const char         *entity,
                                                 const char         *lookup,
                                                 GError            **error);
gboolean            rx_store_row_put            (RxStore            *self,
                                                 const char         *org_id,
                                                 const RxStoreRow   *row,
                                                 GError            **error);

/* SHA-256 (hex) of an organisation's whole log in sequence order: every field of every entry,
 * so two stores with the same log give the same digest. `count` is set to its entries. */
char               *rx_store_log_digest         (RxStore            *self,
                                                 const char         *org_id,
                                                 gint64             *count,
                                                 GError            **error);

G_END_DECLS
