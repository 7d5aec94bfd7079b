/* rx-server-enrol.c: POST /v1/enrol: a workstation joins an organisation with a single-use
 * code. The first one that brings a clinic's data makes that clinic the organisation's and
 * names one of its administrators, who gets the token to upload everything; later ones join
 * with an empty clinic file that fills from the server. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include <string.h>

#include "rx-server-private.h"
#include "rx-server-secrets.h"
#include "rx-uuid.h"

static char *
new_id (void)
{
  return rx_uuid7_new (g_get_real_time () / 1000);
}

static gboolean
is_node_id (const char *text)
{
  if (text == NULL || strlen (text) != 16)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

/* Enrolment ------------------------------------------------------------------------------- */

typedef struct
{
  char       *code_hash;
  char       *node_id;
  char       *name;
  char       *clinic_org_id;
  gboolean    has_data;
  JsonObject *user;        /* the bootstrap user's row, when has_data */
} Enrolment;

static void
enrolment_free (Enrolment *e)
{
  g_free (e->code_hash);
  g_free (e->node_id);
  g_free (e->name);
  g_free (e->clinic_org_id);
  g_clear_pointer (&e->user, json_object_unref);
  g_free (e);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Enrolment, enrolment_free)

/* The code's organisation, or NULL after answering why the code does not work. */
static RxStoreOrg *
check_code (RxServer          *self,
            SoupServerMessage *msg,
            const char        *code_hash)
{
  g_autoptr(RxStoreCode) code = NULL;
  g_autoptr(RxStoreOrg) org = NULL;
  g_autoptr(GError) error = NULL;

  code = rx_store_code_get (self->store, code_hash, &error);
  if (code == NULL && error != NULL)
    {
      rx_server_store_failed (msg, error);
      return NULL;
    }
  if (code == NULL)
    {
      rx_server_problem (msg, SOUP_STATUS_UNAUTHORIZED,
                         "This enrolment code is not known to the server; check it was typed "
                         "as given, or ask the server's administrator for a new one "
                         "(rxdesk-server org code ORG)");
      return NULL;
    }
  if (code->used_at != 0)
    {
      g_autofree char *when = rx_server_iso (code->used_at);

      rx_server_problem (msg, SOUP_STATUS_UNAUTHORIZED,
                         "This enrolment code was used on %s and works only once; ask the "
                         "server's administrator for a new one (rxdesk-server org code ORG)",
                         when);
      return NULL;
    }
  if (code->expires_at <= rx_server_now ())
    {
      g_autofree char *when = rx_server_iso (code->expires_at);

      rx_server_problem (msg, SOUP_STATUS_UNAUTHORIZED,
                         "This enrolment code expired on %s; ask the server's administrator "
                         "for a new one (rxdesk-server org code ORG)", when);
      return NULL;
    }

  org = rx_store_org_get (self->store, code->org_id, &error);
  if (org == NULL)
    {
      if (error != NULL)
        rx_server_store_failed (msg, error);
      else
        rx_server_problem (msg, SOUP_STATUS_UNAUTHORIZED,
                           "This enrolment code's organisation no longer exists");
      return NULL;
    }

  return g_steal_pointer (&org);
}

/* A clinic file with data joins only an organisation that holds no other clinic's data. */
static gboolean
check_room (SoupServerMessage *msg,
            RxStoreOrg        *org,
            Enrolment         *e)
{
  if (!e->has_data)
    return TRUE;
  if (org->head == 0 && (org->clinic_org_id == NULL ||
                         g_strcmp0 (org->clinic_org_id, e->clinic_org_id) == 0))
    return TRUE;

  rx_server_problem (msg, SOUP_STATUS_CONFLICT,
                     "The organisation “%s” already holds a clinic's data, and a clinic file "
                     "that has data of its own cannot be merged into it. Enrol this "
                     "workstation into a new, empty clinic file, which then fills from the "
                     "server; or create a separate organisation for this clinic "
                     "(rxdesk-server org create NAME)", org->name);
  return FALSE;
}

static void
finish_enrolment (RxServer          *self,
                  SoupServerMessage *msg,
                  Enrolment         *e)
{
  g_autoptr(RxStoreOrg) org = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *ws_id = new_id ();
  g_autofree char *secret = rx_secret_new_hex ();
  g_autofree char *secret_hash = rx_secret_hash (secret);
  g_autofree char *token = NULL;
  g_autofree char *clinic_org_id = NULL;
  RxStoreWorkstation ws = { NULL, };
  RxRequest *req = rx_server_request_of (msg);
  gint64 now = rx_server_now (), expires_at = 0;
  gboolean empty;

  if (!rx_store_begin (self->store, &error))
    {
      rx_server_store_failed (msg, error);
      return;
    }

  /* again inside the transaction: another workstation may have enrolled meanwhile */
  org = check_code (self, msg, e->code_hash);
  if (org == NULL || !check_room (msg, org, e))
    {
      rx_store_rollback (self->store);
      return;
    }
  empty = org->head == 0;

  clinic_org_id = g_strdup (org->clinic_org_id);
  if (clinic_org_id == NULL)
    {
      clinic_org_id = e->has_data ? g_strdup (e->clinic_org_id) : new_id ();
      if (!rx_store_org_set_clinic (self->store, org->id, clinic_org_id, &error))
        goto failed;
    }

  ws.id = ws_id;
  ws.org_id = org->id;
  ws.name = e->name;
  ws.node_id = e->node_id;
  ws.secret_hash = secret_hash;
  ws.enrolled_at = now;
  ws.last_seen_at = now;
  if (!rx_store_workstation_add (self->store, &ws, &error) ||
      !rx_store_code_use (self->store, e->code_hash, ws_id, now, &error))
    goto failed;

  if (e->has_data)
    {
      const char *user_id = rx_json_string (e->user, "id");

      /* the first user the server knows; any entry for them later is newer than "" */
      if (!rx_rows_merge (self->store, org->id, "users", user_id, "", e->user, &error) ||
          (token = rx_server_issue_token (self, org->id, ws_id, user_id, "admin", &expires_at,
                                &error)) == NULL)
        goto failed;
      if (req != NULL)
        req->user = g_strdup (user_id);
    }

  if (!rx_store_commit (self->store, &error))
    goto failed;

  if (req != NULL)
    {
      req->org = g_strdup (org->id);
      req->workstation = g_strdup (ws_id);
    }

  json_builder_begin_object (b);
  rx_json_add_string (b, "workstation_id", ws_id);
  rx_json_add_string (b, "workstation_secret", secret);
  rx_json_add_string (b, "org", org->id);
  rx_json_add_string (b, "org_name", org->name);
  rx_json_add_string (b, "clinic_org_id", clinic_org_id);
  json_builder_set_member_name (b, "empty");
  json_builder_add_boolean_value (b, empty);
  rx_json_add_string (b, "token", token);
  rx_json_add_time (b, "expires_at", expires_at);
  json_builder_end_object (b);
  rx_server_reply_json (msg, SOUP_STATUS_CREATED, b);
  explicit_bzero (secret, strlen (secret));
  if (token != NULL)
    explicit_bzero (token, strlen (token));
  return;

failed:
  rx_store_rollback (self->store);
  rx_server_store_failed (msg, error);
}

static void
bootstrap_checked (RxServer          *self,
                   SoupServerMessage *msg,
                   gboolean           matches,
                   gpointer           data)
{
  Enrolment *e = data;

  if (!matches)
    {
      rx_server_problem (msg, SOUP_STATUS_UNAUTHORIZED,
                         "The password given for “%s” does not match that user's password in "
                         "the clinic file; type that administrator's password",
                         rx_json_string (e->user, "username"));
      return;
    }

  finish_enrolment (self, msg, e);
}

/* The bootstrap user must be an active administrator of this clinic. FALSE after answering. */
static gboolean
check_bootstrap (SoupServerMessage  *msg,
                 JsonObject         *body,
                 Enrolment          *e,
                 const char        **password)
{
  JsonNode *node = json_object_get_member (body, "bootstrap");
  JsonObject *bootstrap = NULL, *user = NULL;
  const char *id, *username, *hash, *org_id;
  RxRole role;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    bootstrap = json_node_get_object (node);
  node = bootstrap ? json_object_get_member (bootstrap, "user") : NULL;
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    user = json_node_get_object (node);
  *password = rx_json_string (bootstrap, "password");

  if (user == NULL || *password == NULL)
    {
      rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST,
                         "A workstation that brings data into an empty organisation must name "
                         "one of its administrators: \"bootstrap\": {\"user\": {users row}, "
                         "\"password\": \"…\"}");
      return FALSE;
    }

  id = rx_json_string (user, "id");
  username = rx_json_string (user, "username");
  hash = rx_json_string (user, "password_hash");
  org_id = rx_json_string (user, "org_id");
  if (!rx_uuid_is_valid (id) || username == NULL || hash == NULL)
    {
      rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST,
                         "bootstrap.user must be the user's row with its id, username and "
                         "password_hash");
      return FALSE;
    }
  if (org_id != NULL && g_strcmp0 (org_id, e->clinic_org_id) != 0)
    {
      rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST,
                         "bootstrap.user belongs to another clinic than clinic_org_id names");
      return FALSE;
    }
  if (!rx_role_from_string (rx_json_string (user, "role"), &role) || role != RX_ROLE_ADMIN ||
      g_strcmp0 (rx_json_string (user, "state"), "active") != 0)
    {
      rx_server_problem (msg, SOUP_STATUS_FORBIDDEN,
                         "“%s” is not an active administrator of this clinic; the first "
                         "workstation of an organisation must be enrolled by one", username);
      return FALSE;
    }

  e->user = json_object_ref (user);
  return TRUE;
}

void
rx_server_handle_enrol (RxServer          *self,
                        SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = rx_server_parse_body (msg);
  g_autoptr(Enrolment) e = g_new0 (Enrolment, 1);
  g_autoptr(RxStoreOrg) org = NULL;
  const char *code, *node_id, *name, *clinic_org_id, *password = NULL, *hash;
  JsonNode *has_data;

  if (body == NULL ||
      !rx_server_get_string (msg, body, "code", TRUE, &code) ||
      !rx_server_get_string (msg, body, "node_id", TRUE, &node_id) ||
      !rx_server_get_string (msg, body, "name", TRUE, &name) ||
      !rx_server_get_string (msg, body, "clinic_org_id", FALSE, &clinic_org_id))
    return;

  has_data = json_object_get_member (body, "has_data");
  if (has_data != NULL && (!JSON_NODE_HOLDS_VALUE (has_data) ||
                           json_node_get_value_type (has_data) != G_TYPE_BOOLEAN))
    {
      rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST, "“has_data” must be true or false");
      return;
    }
  e->has_data = has_data != NULL && json_node_get_boolean (has_data);

  if (!is_node_id (node_id))
    {
      rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST,
                         "“node_id” must be the workstation's node id: 16 lower-case hex digits");
      return;
    }
  if (g_utf8_strlen (name, -1) > 100)
    {
      rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST,
                         "“name” must be at most 100 characters, such as “Front desk”");
      return;
    }
  if (e->has_data && !rx_uuid_is_valid (clinic_org_id))
    {
      rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST,
                         "With has_data, “clinic_org_id” must be the clinic file's organisation "
                         "id (a UUID)");
      return;
    }

  e->code_hash = rx_enrol_code_hash (code);
  if (e->code_hash == NULL)
    {
      rx_server_problem (msg, SOUP_STATUS_UNAUTHORIZED,
                         "“%s” is not an enrolment code: codes look like XXXX-XXXX-XXXX-XXXX-XXXX; "
                         "check it was typed as given", code);
      return;
    }
  e->node_id = g_strdup (node_id);
  e->name = g_strdup (name);
  e->clinic_org_id = g_strdup (clinic_org_id);

  org = check_code (self, msg, e->code_hash);
  if (org == NULL || !check_room (msg, org, e))
    return;

  if (!e->has_data)
    {
      finish_enrolment (self, msg, e);
      return;
    }

  if (!check_bootstrap (msg, body, e, &password))
    return;
  hash = rx_json_string (e->user, "password_hash");
  rx_server_verify_password (self, msg, hash, password, bootstrap_checked, g_steal_pointer (&e),
                             (GDestroyNotify) enrolment_free);
}
