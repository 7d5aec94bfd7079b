/* rx-server-private.h: what the server's handlers share: the server's state, the request
 * being answered, the signed-in caller, and helpers for JSON, problems and the log. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rx-json.h"
#include "rx-rate-limit.h"
#include "rx-role.h"
#include "rx-server.h"

G_BEGIN_DECLS

/* libsoup 3.2 has no name for it */
#define RX_STATUS_TOO_MANY_REQUESTS 429

struct _RxServer
{
  GObject          parent_instance;

  RxStore         *store;
  RxServerLimits   limits;
  SoupServer      *soup;
  RxRateLimit     *token_limit;
  guint            in_flight;
  gboolean         draining;
  gboolean         stopped;
};

/* One request, from its headers to its log line. */
typedef struct
{
  RxServer *server;
  gint64    started;       /* monotonic usec */
  gboolean  counted;       /* in in_flight */
  guint64   received;      /* body bytes so far */
  char     *org;           /* for the log line, once known */
  char     *workstation;
  char     *user;
  int       entries;       /* -1: not a push or pull */
} RxRequest;

/* Who is calling, from the bearer token alone. */
typedef struct
{
  char   *token_hash;
  char   *org_id;
  char   *workstation_id;
  char   *user_id;
  RxRole  role;
} RxCaller;

void        rx_caller_clear               (RxCaller           *caller);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RxCaller, rx_caller_clear)

/* Log lines on standard error: "TIME level=LEVEL key=value ...". */
void        rx_server_log                 (const char         *level,
                                           const char         *format,
                                           ...) G_GNUC_PRINTF (2, 3);
gint64      rx_server_now                 (void);   /* Unix seconds */
char       *rx_server_iso                 (gint64              unix_seconds);

/* Answers ------------------------------------------------------------------------------- */
void        rx_server_problem             (SoupServerMessage  *msg,
                                           guint               status,
                                           const char         *format,
                                           ...) G_GNUC_PRINTF (3, 4);
void        rx_server_problem_retry       (SoupServerMessage  *msg,
                                           guint               status,
                                           guint               retry_after,
                                           const char         *format,
                                           ...) G_GNUC_PRINTF (4, 5);
/* 503 for a store that failed, with the failure in the log only. */
void        rx_server_store_failed        (SoupServerMessage  *msg,
                                           const GError       *error);
void        rx_server_reply_json          (SoupServerMessage  *msg,
                                           guint               status,
                                           JsonBuilder        *builder);

void        rx_json_add_string            (JsonBuilder        *b,
                                           const char         *name,
                                           const char         *value);
/* A time as UTC ISO-8601; 0 as null. */
void        rx_json_add_time              (JsonBuilder        *b,
                                           const char         *name,
                                           gint64              t);

/* Requests ------------------------------------------------------------------------------ */
RxRequest  *rx_server_request_of          (SoupServerMessage  *msg);
/* The body as a JSON object; NULL after answering 400 with where and what is wrong. */
JsonObject *rx_server_parse_body          (SoupServerMessage  *msg);
/* A member that must be a string (or absent when not `required`); FALSE after answering 400. */
gboolean    rx_server_get_string          (SoupServerMessage  *msg,
                                           JsonObject         *object,
                                           const char         *name,
                                           gboolean            required,
                                           const char        **value);
/* A member's string value, or NULL when absent, null or not a string. */
/* The caller of a request with "Authorization: Bearer TOKEN"; FALSE after answering 401 or
 * 429 (or 503). Also checks that the user is still active and the workstation not revoked. */
gboolean    rx_server_authenticate        (RxServer           *self,
                                           SoupServerMessage  *msg,
                                           RxCaller           *caller);

/* Merged rows (rx-server-rows.c) ------------------------------------------------------- */
typedef struct
{
  char       *row_id;
  char       *hlc;
  JsonObject *data;
} RxMerged;

void        rx_merged_free                (RxMerged           *merged);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxMerged, rx_merged_free)

/* Whether the server keeps merged rows of the table. */
gboolean    rx_rows_kept                  (const char         *entity);
RxMerged   *rx_rows_get                   (RxStore            *store,
                                           const char         *org_id,
                                           const char         *entity,
                                           const char         *row_id,
                                           GError            **error);
/* Rows by what they are looked up by (username, kind, prescription id), newest first. */
GPtrArray  *rx_rows_find                  (RxStore            *store,
                                           const char         *org_id,
                                           const char         *entity,
                                           const char         *lookup,
                                           GError            **error);
/* Merges an entry's columns into the row: each column is taken when the entry's HLC is not
 * older than the one that last wrote it. */
gboolean    rx_rows_merge                 (RxStore            *store,
                                           const char         *org_id,
                                           const char         *entity,
                                           const char         *row_id,
                                           const char         *hlc,
                                           JsonObject         *payload,
                                           GError            **error);
/* A row that is there and not deleted. */
gboolean    rx_rows_live                  (JsonObject         *data);

/* NULL when the signature (a prescription_signatures payload) holds, else why not; NULL with
 * `error` set when the store could not be read. */
char       *rx_server_check_signature     (RxStore            *store,
                                           const char         *org_id,
                                           const char         *clinic_org_id,
                                           const char         *prescription_id,
                                           JsonObject         *signature,
                                           GError            **error);

/* Handlers ------------------------------------------------------------------------------ */
void        rx_server_handle_enrol        (RxServer           *self,
                                           SoupServerMessage  *msg);
void        rx_server_handle_login        (RxServer           *self,
                                           SoupServerMessage  *msg);
void        rx_server_handle_logout       (RxServer           *self,
                                           SoupServerMessage  *msg);
void        rx_server_handle_workstations (RxServer           *self,
                                           SoupServerMessage  *msg,
                                           const char         *revoke_id);
void        rx_server_handle_push         (RxServer           *self,
                                           SoupServerMessage  *msg);
void        rx_server_handle_pull         (RxServer           *self,
                                           SoupServerMessage  *msg);

/* A token for a user on a workstation, stored hashed; returns the token itself. */
char       *rx_server_issue_token         (RxServer           *self,
                                           const char         *org_id,
                                           const char         *workstation_id,
                                           const char         *user_id,
                                           const char         *role,
                                           gint64             *expires_at,
                                           GError            **error);

/* Checks a password against a hash on a worker thread (PBKDF2 takes a fraction of a second),
 * with the message paused meanwhile; `done` runs on the main thread. NULL `hash` (an unknown
 * user): takes as long as a check and answers no, so timing does not tell who exists. */
typedef void (*RxPasswordDone) (RxServer          *self,
                                SoupServerMessage *msg,
                                gboolean           matches,
                                gpointer           data);
void        rx_server_verify_password     (RxServer           *self,
                                           SoupServerMessage  *msg,
                                           const char         *hash,
                                           const char         *password,
                                           RxPasswordDone      done,
                                           gpointer            data,
                                           GDestroyNotify      data_free);

G_END_DECLS
