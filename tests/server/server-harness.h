/* server-harness.h: running the real rxdesk-server from tests, and talking to it over HTTPS
 * the way a workstation does: with libsoup, pinning the certificate's fingerprint. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rx-test-util.h"

G_BEGIN_DECLS

typedef struct
{
  char        *dir;          /* private temporary folder of this server */
  char        *data_dir;
  char        *store_url;    /* --store of every start; NULL: SQLite in data_dir */
  GSubprocess *proc;
  char        *url;          /* https://127.0.0.1:PORT */
  char        *fingerprint;  /* what the client pins */
  char        *log_path;     /* the server's standard error */
  guint        starts;
  GPtrArray   *args;         /* extra arguments of every start */
  SoupSession *session;
} Server;

typedef struct
{
  guint       status;
  char       *body;
  JsonNode   *json;          /* NULL when the body is not JSON */
  char       *content_type;
  char       *retry_after;
} Reply;

/* A server in a new private folder; add arguments of every start to s->args. Its store is
 * SQLite, or a new PostgreSQL database when RXDESK_TEST_STORE=postgresql. */
void        server_init          (Server      *s);
void        server_start         (Server      *s);
/* SIGTERM, then server_wait_stopped(). */
void        server_stop          (Server      *s);
/* Waits for the process; asserts it exited with 0 and logged no secret. */
void        server_wait_stopped  (Server      *s);
void        server_kill          (Server      *s);
void        server_clear         (Server      *s);
/* The server's log so far (its standard error). */
char       *server_log           (Server      *s);
/* Waits until the log contains `text` (at most `timeout_ms`). */
gboolean    server_wait_log      (Server      *s,
                                  const char  *text,
                                  guint        timeout_ms);

/* HAProxy (the program RXDESK_HAPROXY names) on a free port of 127.0.0.1 in front of the
 * started servers, as data/haproxy/rxdesk-server.cfg sets it up (TCP, health checks on
 * /v1/health). `lb` becomes a Server to send requests to through it, trusting the first
 * server's certificate, with that server's folder and store for server_cli(); clear it with
 * server_clear(). Returns the balancer's process, running once it answers. */
GSubprocess *server_balancer_start (Server   *lb,
                                    Server  **servers,
                                    guint     n);

/* Runs rxdesk-server with --data-dir and the arguments; returns the exit status. */
int         server_cli           (Server      *s,
                                  char       **out,
                                  char       **err,
                                  const char  *first_arg,
                                  ...) G_GNUC_NULL_TERMINATED;
/* The store's kind as /v1/health names it: "sqlite" or "postgresql". */
const char *server_store_kind    (Server      *s);
/* Runs SQL (the same in SQLite and PostgreSQL) on the server's store: rows one a line, columns
 * separated by '|'. */
char       *server_store_sql     (Server      *s,
                                  const char  *sql);
/* org create NAME --json; returns the organisation's id and its first code. */
char       *server_org_create    (Server      *s,
                                  const char  *name,
                                  char       **code);
char       *server_org_code      (Server      *s,
                                  const char  *org);

SoupMessage *server_message      (Server      *s,
                                  const char  *method,
                                  const char  *path,
                                  const char  *token,
                                  const char  *body);
Reply      *server_request       (Server      *s,
                                  const char  *method,
                                  const char  *path,
                                  const char  *token,
                                  const char  *body);
void        reply_free           (Reply       *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

JsonObject *reply_object         (Reply       *reply);
const char *reply_string         (Reply       *reply,
                                  const char  *member);
/* Asserts the status and, for a problem, that it is problem+json whose detail mentions
 * `words` (when not NULL). */
#define assert_reply(reply, code, words) \
  reply_check ((reply), (code), (words), G_STRLOC)
void        reply_check          (Reply       *reply,
                                  guint        status,
                                  const char  *words,
                                  const char  *where);

/* An HLC stamp that sorts by n. */
char       *test_hlc             (guint64      n);
/* One change-log entry as JSON text. */
char       *test_entry           (const char  *entity,
                                  const char  *row_id,
                                  const char  *hlc,
                                  const char  *author,
                                  const char  *payload);
char       *test_new_id          (void);
/* {"entries":[...]} from entry texts. */
char       *test_push_body       (GPtrArray   *entries);

/* An organisation whose first workstation brought data, with its administrator "admin"
 * (TEST_PASSWORD, hashed quickly) signed in. */
#define TEST_PASSWORD "correct horse battery"

typedef struct
{
  char *org;
  char *clinic;           /* clinic_org_id */
  char *ws_id;
  char *ws_secret;
  char *admin_id;
  char *admin_token;
  guint64 clock;          /* for test_org_hlc */
} TestOrg;

void        test_org_bootstrap   (Server      *s,
                                  const char  *name,
                                  TestOrg     *o);
void        test_org_clear       (TestOrg     *o);
char       *test_org_hlc         (TestOrg     *o);
/* A users row as a change-log payload. */
char       *test_user_row        (const char  *id,
                                  const char  *username,
                                  const char  *role,
                                  const char  *state,
                                  const char  *password);
/* Pushes a users row (as the admin); returns the user's id. */
char       *test_org_add_user    (Server      *s,
                                  TestOrg     *o,
                                  const char  *username,
                                  const char  *role,
                                  const char  *state);
Reply      *test_login_reply     (Server      *s,
                                  TestOrg     *o,
                                  const char  *username,
                                  const char  *password);
/* Logs in (asserting 200); returns the token. */
char       *test_login           (Server      *s,
                                  TestOrg     *o,
                                  const char  *username);
char       *test_enrol_body      (const char  *code,
                                  const char  *clinic_org_id,
                                  gboolean     has_data,
                                  const char  *user_row,
                                  const char  *password);

int         server_test_main     (int          argc,
                                  char        *argv[],
                                  void       (*add_tests) (void));

G_END_DECLS
