/* rx-server.c: the HTTPS server itself: a SoupServer whose one handler routes /v1/ paths,
 * the life of each request (body limit while it is read, one log line when it is answered),
 * the bearer-token check, and a stop that waits for requests under way. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include <string.h>

#include "rx-password.h"
#include "rx-server-private.h"
#include "rx-server-secrets.h"

enum
{
  SIGNAL_STOPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RxServer, rx_server, G_TYPE_OBJECT)

void
rx_server_limits_init (RxServerLimits *limits)
{
  limits->max_body_bytes = 8 * 1024 * 1024;
  limits->max_batch = 1000;
  limits->max_pull = 1000;
  limits->default_pull = 500;
  limits->requests_per_minute = 600;
  limits->login_failures_per_user = 10;
  limits->login_failures_per_address = 30;
  limits->login_window_seconds = 15 * 60;
  limits->token_lifetime_seconds = 12 * 60 * 60;
  limits->debug_push_delay_ms = 0;
}

static void
rx_server_dispose (GObject *object)
{
  RxServer *self = (RxServer *) object;

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rx_server_parent_class)->dispose (object);
}

static void
rx_server_finalize (GObject *object)
{
  RxServer *self = (RxServer *) object;

  g_clear_pointer (&self->token_limit, rx_rate_limit_free);

  G_OBJECT_CLASS (rx_server_parent_class)->finalize (object);
}

static void
rx_server_class_init (RxServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rx_server_dispose;
  object_class->finalize = rx_server_finalize;

  signals[SIGNAL_STOPPED] = g_signal_new ("stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rx_server_init (RxServer *self)
{
}

/* The life of a request ------------------------------------------------------------------- */

static void
request_free (RxRequest *req)
{
  g_free (req->org);
  g_free (req->workstation);
  g_free (req->user);
  g_free (req);
}

static void
maybe_stopped (RxServer *self)
{
  if (self->draining && self->in_flight == 0 && !self->stopped)
    {
      self->stopped = TRUE;
      g_signal_emit (self, signals[SIGNAL_STOPPED], 0);
    }
}

/* Headers are in: count the request as under way, and refuse a body that is too big before
 * reading it. The body is then read and thrown away (not kept) so the answer can be sent. */
static void
got_headers (SoupServerMessage *msg,
             RxRequest         *req)
{
  RxServer *self = req->server;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);

  req->counted = TRUE;
  req->started = g_get_monotonic_time ();
  self->in_flight++;

  if (soup_server_message_get_status (msg) != 0)
    return;

  if (self->draining)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      rx_server_problem_retry (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, 5,
                               "The server is shutting down; try again in a moment");
    }
  else if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
           (guint64) length > self->limits.max_body_bytes)
    {
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      rx_server_problem (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                         "The request body is %" G_GOFFSET_FORMAT " bytes; the limit is %"
                         G_GUINT64_FORMAT " bytes: send fewer entries per push", length,
                         self->limits.max_body_bytes);
    }
}

/* A body without a length (chunked) is counted as it arrives, and never kept past the limit;
 * one that goes on far beyond it is cut off. */
static void
got_chunk (SoupServerMessage *msg,
           GBytes            *chunk,
           RxRequest         *req)
{
  RxServer *self = req->server;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  req->received += g_bytes_get_size (chunk);
  if (req->received <= self->limits.max_body_bytes)
    return;

  if (soup_server_message_get_status (msg) == 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      rx_server_problem (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                         "The request body is over the limit of %" G_GUINT64_FORMAT " bytes: "
                         "send fewer entries per push", self->limits.max_body_bytes);
    }
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);

  if (req->received > 4 * self->limits.max_body_bytes)
    {
      GSocket *socket = soup_server_message_get_socket (msg);

      if (socket != NULL)
        g_socket_shutdown (socket, TRUE, FALSE, NULL);
    }
}

static void
request_started (SoupServer        *soup,
                 SoupServerMessage *msg,
                 RxServer          *self)
{
  RxRequest *req = g_new0 (RxRequest, 1);

  req->server = self;
  req->entries = -1;
  g_object_set_data_full (G_OBJECT (msg), "rx-request", req, (GDestroyNotify) request_free);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers), req);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk), req);
}

static void
log_request (SoupServerMessage *msg,
             RxRequest         *req,
             gboolean           aborted)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GString) line = g_string_new (NULL);
  guint status = soup_server_message_get_status (msg);
  gint64 ms = (g_get_monotonic_time () - req->started) / 1000;

  g_string_append_printf (line, "method=%s path=%s status=%u",
                          soup_server_message_get_method (msg),
                          uri ? g_uri_get_path (uri) : "-", status);
  if (req->org != NULL)
    g_string_append_printf (line, " org=%s", req->org);
  if (req->workstation != NULL)
    g_string_append_printf (line, " workstation=%s", req->workstation);
  if (req->user != NULL)
    g_string_append_printf (line, " user=%s", req->user);
  if (req->entries >= 0)
    g_string_append_printf (line, " entries=%d", req->entries);
  g_string_append_printf (line, " ms=%" G_GINT64_FORMAT, ms);
  if (aborted)
    g_string_append (line, " aborted=true");

  rx_server_log (status >= 500 || aborted ? "warning" : "info", "%s", line->str);
}

static void
request_done (SoupServer        *soup,
              SoupServerMessage *msg,
              RxServer          *self,
              gboolean           aborted)
{
  RxRequest *req = rx_server_request_of (msg);

  if (req == NULL || !req->counted)
    return;

  log_request (msg, req, aborted);
  req->counted = FALSE;
  g_assert (self->in_flight > 0);
  self->in_flight--;
  maybe_stopped (self);
}

static void
request_finished (SoupServer        *soup,
                  SoupServerMessage *msg,
                  RxServer          *self)
{
  request_done (soup, msg, self, FALSE);
}

static void
request_aborted (SoupServer        *soup,
                 SoupServerMessage *msg,
                 RxServer          *self)
{
  request_done (soup, msg, self, TRUE);
}

/* Routing --------------------------------------------------------------------------------- */

static void
health (RxServer          *self,
        SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;

  if (!rx_store_ping (self->store, &error))
    {
      rx_server_store_failed (msg, error);
      return;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "ok");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_set_member_name (b, "store");
  json_builder_add_string_value (b, rx_store_get_kind (self->store));
  json_builder_end_object (b);
  rx_server_reply_json (msg, SOUP_STATUS_OK, b);
}

static gboolean
method_is (SoupServerMessage *msg,
           const char        *allowed)
{
  if (g_strcmp0 (soup_server_message_get_method (msg), allowed) == 0)
    return TRUE;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                allowed);
  rx_server_problem (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "%s takes %s only",
                     g_uri_get_path (soup_server_message_get_uri (msg)), allowed);
  return FALSE;
}

static void
route (SoupServer        *soup,
       SoupServerMessage *msg,
       const char        *path,
       GHashTable        *query,
       gpointer           user_data)
{
  RxServer *self = user_data;
  g_auto(GStrv) parts = NULL;

  if (g_str_equal (path, "/v1/health"))
    {
      if (method_is (msg, SOUP_METHOD_GET))
        health (self, msg);
    }
  else if (g_str_equal (path, "/v1/enrol"))
    {
      if (method_is (msg, SOUP_METHOD_POST))
        rx_server_handle_enrol (self, msg);
    }
  else if (g_str_equal (path, "/v1/login"))
    {
      if (method_is (msg, SOUP_METHOD_POST))
        rx_server_handle_login (self, msg);
    }
  else if (g_str_equal (path, "/v1/logout"))
    {
      if (method_is (msg, SOUP_METHOD_POST))
        rx_server_handle_logout (self, msg);
    }
  else if (g_str_equal (path, "/v1/push"))
    {
      if (method_is (msg, SOUP_METHOD_POST))
        rx_server_handle_push (self, msg);
    }
  else if (g_str_equal (path, "/v1/pull"))
    {
      if (method_is (msg, SOUP_METHOD_GET))
        rx_server_handle_pull (self, msg);
    }
  else if (g_str_equal (path, "/v1/workstations"))
    {
      if (method_is (msg, SOUP_METHOD_GET))
        rx_server_handle_workstations (self, msg, NULL);
    }
  else if (g_str_has_prefix (path, "/v1/workstations/") &&
           (parts = g_strsplit (path, "/", -1)) != NULL && g_strv_length (parts) == 5 &&
           *parts[3] != '\0' && g_str_equal (parts[4], "revoke"))
    {
      if (method_is (msg, SOUP_METHOD_POST))
        rx_server_handle_workstations (self, msg, parts[3]);
    }
  else
    rx_server_problem (msg, SOUP_STATUS_NOT_FOUND,
                       "There is nothing at %s; the endpoints are listed in PROTOCOL.md and all "
                       "start with /v1/", path);
}

/* Signing in ------------------------------------------------------------------------------ */

gboolean
rx_server_authenticate (RxServer          *self,
                        SoupServerMessage *msg,
                        RxCaller          *caller)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  RxRequest *req = rx_server_request_of (msg);
  g_autoptr(RxStoreToken) token = NULL;
  g_autoptr(RxStoreWorkstation) ws = NULL;
  g_autoptr(RxMerged) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  const char *state, *role;
  guint retry_after = 0;
  gint64 now = rx_server_now ();

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0 || auth[7] == '\0')
    {
      rx_server_problem (msg, SOUP_STATUS_UNAUTHORIZED,
                         "This request needs “Authorization: Bearer TOKEN”; get a token with "
                         "POST /v1/login");
      return FALSE;
    }

  hash = rx_secret_hash (auth + 7);
  token = rx_store_token_get (self->store, hash, &error);
  if (token == NULL && error != NULL)
    {
      rx_server_store_failed (msg, error);
      return FALSE;
    }
  if (token == NULL)
    {
      rx_server_problem (msg, SOUP_STATUS_UNAUTHORIZED,
                         "This token is not known to the server; sign in again");
      return FALSE;
    }

  /* a revoked workstation's tokens are ended too: say why */
  ws = rx_store_workstation_get (self->store, token->workstation_id, &error);
  if (ws == NULL && error != NULL)
    {
      rx_server_store_failed (msg, error);
      return FALSE;
    }
  if (ws == NULL || ws->revoked_at != 0)
    {
      rx_server_problem (msg, SOUP_STATUS_UNAUTHORIZED,
                         "This workstation's enrolment was revoked; an administrator must "
                         "enrol it again with a new code");
      return FALSE;
    }
  if (token->revoked_at != 0 || token->expires_at <= now)
    {
      rx_server_problem (msg, SOUP_STATUS_UNAUTHORIZED, "%s; sign in again",
                         token->revoked_at != 0 ? "This token was ended (logged out)"
                                                : "This token has expired");
      return FALSE;
    }

  if (!rx_rate_limit_take (self->token_limit, hash, g_get_monotonic_time (), &retry_after))
    {
      rx_server_problem_retry (msg, RX_STATUS_TOO_MANY_REQUESTS, retry_after,
                               "More than %u requests a minute with this token; wait %u "
                               "seconds", self->limits.requests_per_minute, retry_after);
      return FALSE;
    }


  user = rx_rows_get (self->store, token->org_id, "users", token->user_id, &error);
  if (user == NULL && error != NULL)
    {
      rx_server_store_failed (msg, error);
      return FALSE;
    }
  state = user ? rx_json_string (user->data, "state") : NULL;
  role = user ? rx_json_string (user->data, "role") : NULL;
  if (user == NULL || g_strcmp0 (state, "active") != 0 || !rx_rows_live (user->data))
    {
      rx_server_problem (msg, SOUP_STATUS_UNAUTHORIZED,
                         "This user account is no longer active; ask an administrator");
      return FALSE;
    }
  if (g_strcmp0 (role, token->role) != 0)
    {
      rx_server_problem (msg, SOUP_STATUS_UNAUTHORIZED,
                         "This user's role changed since they signed in; sign in again");
      return FALSE;
    }

  caller->token_hash = g_steal_pointer (&hash);
  caller->org_id = g_strdup (token->org_id);
  caller->workstation_id = g_strdup (token->workstation_id);
  caller->user_id = g_strdup (token->user_id);
  rx_role_from_string (token->role, &caller->role);

  if (req != NULL)
    {
      g_free (req->org);
      g_free (req->workstation);
      g_free (req->user);
      req->org = g_strdup (caller->org_id);
      req->workstation = g_strdup (caller->workstation_id);
      req->user = g_strdup (caller->user_id);
    }

  if (!rx_store_workstation_seen (self->store, ws->id, now, &error))
    rx_server_log ("warning", "msg=\"the workstation's last visit was not recorded\"");

  return TRUE;
}

/* Passwords off the main thread ----------------------------------------------------------- */

typedef struct
{
  RxServer          *server;
  SoupServerMessage *msg;
  char              *hash;
  char              *password;
  RxPasswordDone     done;
  gpointer           data;
  GDestroyNotify     data_free;
} PasswordCheck;

static void
password_check_free (PasswordCheck *check)
{
  if (check->password != NULL)
    {
      explicit_bzero (check->password, strlen (check->password));
      g_free (check->password);
    }
  g_free (check->hash);
  if (check->data_free != NULL)
    check->data_free (check->data);
  g_object_unref (check->msg);
  g_object_unref (check->server);
  g_free (check);
}

static void
password_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  PasswordCheck *check = task_data;

  if (check->hash == NULL)
    {
      /* an unknown user: spend the time a real check takes, and say no */
      g_autofree char *unused = rx_password_hash (check->password, RX_PASSWORD_ITERATIONS, NULL);

      g_task_return_boolean (task, FALSE);
      return;
    }

  g_task_return_boolean (task, rx_password_verify (check->hash, check->password));
}

static void
password_checked (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PasswordCheck *check = g_task_get_task_data (G_TASK (result));
  gboolean matches = g_task_propagate_boolean (G_TASK (result), NULL);

  check->done (check->server, check->msg, matches, check->data);
  soup_server_message_unpause (check->msg);
}

void
rx_server_verify_password (RxServer          *self,
                           SoupServerMessage *msg,
                           const char        *hash,
                           const char        *password,
                           RxPasswordDone     done,
                           gpointer           data,
                           GDestroyNotify     data_free)
{
  g_autoptr(GTask) task = NULL;
  PasswordCheck *check = g_new0 (PasswordCheck, 1);

  check->server = g_object_ref (self);
  check->msg = g_object_ref (msg);
  check->hash = g_strdup (hash);
  check->password = g_strdup (password);
  check->done = done;
  check->data = data;
  check->data_free = data_free;

  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, password_checked, NULL);
  g_task_set_task_data (task, check, (GDestroyNotify) password_check_free);
  g_task_run_in_thread (task, password_thread);
}

/* Public ---------------------------------------------------------------------------------- */

RxServer *
rx_server_new (RxStore              *store,
               GTlsCertificate      *certificate,
               const RxServerLimits *limits)
{
  RxServer *self;

  g_return_val_if_fail (RX_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);
  g_return_val_if_fail (limits != NULL, NULL);

  self = g_object_new (RX_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);
  self->limits = *limits;
  self->token_limit = rx_rate_limit_new (limits->requests_per_minute);
  self->soup = soup_server_new ("tls-certificate", certificate, "server-header", NULL, NULL);

  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (request_started), self, 0);
  g_signal_connect_object (self->soup, "request-finished", G_CALLBACK (request_finished), self,
                           0);
  g_signal_connect_object (self->soup, "request-aborted", G_CALLBACK (request_aborted), self, 0);
  soup_server_add_handler (self->soup, NULL, route, self, NULL);

  return self;
}

gboolean
rx_server_listen (RxServer            *self,
                  GInetSocketAddress  *address,
                  GError             **error)
{
  g_return_val_if_fail (RX_IS_SERVER (self), FALSE);

  return soup_server_listen (self->soup, G_SOCKET_ADDRESS (address), SOUP_SERVER_LISTEN_HTTPS,
                             error);
}

char *
rx_server_dup_uri (RxServer *self)
{
  GSList *uris;
  char *text = NULL;

  g_return_val_if_fail (RX_IS_SERVER (self), NULL);

  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    {
      GUri *uri = uris->data;
      const char *host = g_uri_get_host (uri);

      text = strchr (host, ':') != NULL
             ? g_strdup_printf ("https://[%s]:%d", host, g_uri_get_port (uri))
             : g_strdup_printf ("https://%s:%d", host, g_uri_get_port (uri));
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return text;
}

void
rx_server_shutdown (RxServer *self)
{
  GSList *listeners;

  g_return_if_fail (RX_IS_SERVER (self));

  if (self->draining)
    return;
  self->draining = TRUE;

  /* Closing the listening sockets stops new connections, while those already open go on
   * (soup_server_disconnect() would cut them, requests under way included). */
  listeners = soup_server_get_listeners (self->soup);
  for (GSList *l = listeners; l != NULL; l = l->next)
    g_socket_close (l->data, NULL);
  g_slist_free (listeners);

  rx_server_log ("info", "msg=\"stopping: no new connections; %u request(s) under way\"",
                 self->in_flight);
  maybe_stopped (self);
}
