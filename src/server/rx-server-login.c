/* rx-server-login.c: POST /v1/login against the password hash the organisation's users rows
 * carry, rate-limited per username and per client address, and POST /v1/logout. Tokens are
 * 256 random bits, kept only as their SHA-256. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include <string.h>

#include "rx-server-private.h"
#include "rx-server-secrets.h"

/* A token for a user on a workstation, stored hashed; returns the token itself. */
char *
rx_server_issue_token (RxServer     *self,
                       const char   *org_id,
                       const char   *workstation_id,
                       const char   *user_id,
                       const char   *role,
                       gint64       *expires_at,
                       GError      **error)
{
  g_autofree char *token = rx_secret_new_hex ();
  g_autofree char *hash = rx_secret_hash (token);
  RxStoreToken t = { NULL, };
  gint64 now = rx_server_now ();

  t.token_hash = hash;
  t.org_id = (char *) org_id;
  t.workstation_id = (char *) workstation_id;
  t.user_id = (char *) user_id;
  t.role = (char *) role;
  t.created_at = now;
  t.expires_at = now + self->limits.token_lifetime_seconds;
  if (!rx_store_token_add (self->store, &t, error))
    return NULL;

  *expires_at = t.expires_at;
  return g_steal_pointer (&token);
}

/* Login ----------------------------------------------------------------------------------- */

typedef struct
{
  char       *org_id;
  char       *workstation_id;
  char       *user_key;
  char       *address_key;
  JsonObject *user;          /* NULL for an unknown username */
} Login;

static void
login_free (Login *l)
{
  g_free (l->org_id);
  g_free (l->workstation_id);
  g_free (l->user_key);
  g_free (l->address_key);
  g_clear_pointer (&l->user, json_object_unref);
  g_free (l);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Login, login_free)

/* FALSE after answering 429 (or 503) when `key` failed too often lately. */
static gboolean
under_limit (RxServer          *self,
             SoupServerMessage *msg,
             const char        *key,
             guint              limit,
             const char        *what)
{
  g_autoptr(GError) error = NULL;
  gint64 now = rx_server_now (), oldest = 0;
  guint count = 0;

  if (!rx_store_failures_count (self->store, key, now - self->limits.login_window_seconds,
                                &count, &oldest, &error))
    {
      rx_server_store_failed (msg, error);
      return FALSE;
    }
  if (count < limit)
    return TRUE;

  rx_server_problem_retry (msg, RX_STATUS_TOO_MANY_REQUESTS,
                           MAX (1, oldest + self->limits.login_window_seconds - now),
                           "Too many failed logins %s in the last %u minutes; wait before "
                           "trying again", what, self->limits.login_window_seconds / 60);
  return FALSE;
}

static void
count_failure (RxServer   *self,
               const char *key)
{
  g_autoptr(GError) error = NULL;
  gint64 now = rx_server_now ();

  if (!rx_store_failure_add (self->store, key, now, &error) ||
      !rx_store_failures_clear (self->store, NULL, now - 24 * 60 * 60, &error))
    rx_server_log ("warning", "msg=\"a failed login was not counted\"");
}

static void
login_checked (RxServer          *self,
               SoupServerMessage *msg,
               gboolean           matches,
               gpointer           data)
{
  Login *l = data;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(RxStoreOrg) org = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  RxRequest *req = rx_server_request_of (msg);
  const char *user_id, *state, *role_text;
  gint64 expires_at = 0;
  RxRole role;

  if (!matches || l->user == NULL)
    {
      count_failure (self, l->user_key);
      count_failure (self, l->address_key);
      rx_server_problem (msg, SOUP_STATUS_UNAUTHORIZED,
                         "Wrong username or password; check both and try again");
      return;
    }

  user_id = rx_json_string (l->user, "id");
  state = rx_json_string (l->user, "state");
  role_text = rx_json_string (l->user, "role");
  if (req != NULL)
    req->user = g_strdup (user_id);
  if (g_strcmp0 (state, "active") != 0)
    {
      rx_server_problem (msg, SOUP_STATUS_FORBIDDEN,
                         "This user account is %s; an administrator can enable it again",
                         state ? state : "not active");
      return;
    }
  if (!rx_role_from_string (role_text, &role))
    {
      rx_server_problem (msg, SOUP_STATUS_FORBIDDEN,
                         "This user has no role the server knows; an administrator must give "
                         "them one");
      return;
    }

  org = rx_store_org_get (self->store, l->org_id, &error);
  if (org == NULL ||
      (token = rx_server_issue_token (self, l->org_id, l->workstation_id, user_id, role_text, &expires_at,
                            &error)) == NULL ||
      !rx_store_failures_clear (self->store, l->user_key, G_MAXINT64, &error))
    {
      rx_server_store_failed (msg, error);
      return;
    }

  json_builder_begin_object (b);
  rx_json_add_string (b, "token", token);
  rx_json_add_time (b, "expires_at", expires_at);
  rx_json_add_string (b, "user_id", user_id);
  rx_json_add_string (b, "username", rx_json_string (l->user, "username"));
  rx_json_add_string (b, "role", role_text);
  rx_json_add_string (b, "org", l->org_id);
  rx_json_add_string (b, "clinic_org_id", org->clinic_org_id);
  json_builder_end_object (b);
  rx_server_reply_json (msg, SOUP_STATUS_OK, b);
  explicit_bzero (token, strlen (token));
}

void
rx_server_handle_login (RxServer          *self,
                        SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = rx_server_parse_body (msg);
  g_autoptr(Login) l = g_new0 (Login, 1);
  g_autoptr(RxStoreWorkstation) ws = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret_hash = NULL;
  g_autofree char *folded = NULL;
  RxRequest *req = rx_server_request_of (msg);
  const char *ws_id, *secret, *username, *password, *hash;

  if (body == NULL ||
      !rx_server_get_string (msg, body, "workstation_id", TRUE, &ws_id) ||
      !rx_server_get_string (msg, body, "workstation_secret", TRUE, &secret) ||
      !rx_server_get_string (msg, body, "username", TRUE, &username) ||
      !rx_server_get_string (msg, body, "password", TRUE, &password))
    return;

  l->address_key = g_strdup_printf ("address:%s", soup_server_message_get_remote_host (msg));
  if (!under_limit (self, msg, l->address_key, self->limits.login_failures_per_address,
                    "from this address"))
    return;

  ws = rx_store_workstation_get (self->store, ws_id, &error);
  if (ws == NULL && error != NULL)
    {
      rx_server_store_failed (msg, error);
      return;
    }
  secret_hash = rx_secret_hash (secret);
  if (ws == NULL || !rx_secret_equal (secret_hash, ws->secret_hash))
    {
      count_failure (self, l->address_key);
      rx_server_problem (msg, SOUP_STATUS_UNAUTHORIZED,
                         "This workstation is not enrolled on this server (its id or secret is "
                         "wrong); enrol it again with a code from the server's administrator");
      return;
    }
  if (ws->revoked_at != 0)
    {
      rx_server_problem (msg, SOUP_STATUS_UNAUTHORIZED,
                         "This workstation's enrolment was revoked; an administrator must enrol "
                         "it again with a new code");
      return;
    }
  if (req != NULL)
    {
      req->org = g_strdup (ws->org_id);
      req->workstation = g_strdup (ws->id);
    }

  folded = g_utf8_casefold (username, -1);
  l->user_key = g_strdup_printf ("user:%s:%s", ws->org_id, folded);
  if (!under_limit (self, msg, l->user_key, self->limits.login_failures_per_user,
                    "for this username"))
    return;

  users = rx_rows_find (self->store, ws->org_id, "users", username, &error);
  if (users == NULL)
    {
      rx_server_store_failed (msg, error);
      return;
    }
  for (guint i = 0; i < users->len && l->user == NULL; i++)
    {
      RxMerged *m = g_ptr_array_index (users, i);

      if (rx_rows_live (m->data))
        l->user = json_object_ref (m->data);
    }

  l->org_id = g_strdup (ws->org_id);
  l->workstation_id = g_strdup (ws->id);
  hash = l->user ? rx_json_string (l->user, "password_hash") : NULL;
  rx_server_verify_password (self, msg, hash, password, login_checked, g_steal_pointer (&l),
                             (GDestroyNotify) login_free);
}

void
rx_server_handle_logout (RxServer          *self,
                         SoupServerMessage *msg)
{
  g_auto(RxCaller) caller = { NULL, };
  g_autoptr(GError) error = NULL;

  if (!rx_server_authenticate (self, msg, &caller))
    return;

  if (!rx_store_token_revoke (self->store, caller.token_hash, rx_server_now (), &error))
    {
      rx_server_store_failed (msg, error);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}
