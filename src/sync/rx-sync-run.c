/* rx-sync-run.c: enrolment, server sign-ins and one round of sync (PROTOCOL.md).
 *
 * The workstation's secret and each person's server token live in the keyring, under this
 * workstation's node id (two workstations of one organisation may share a desktop session in
 * tests and on a shared till). The clinic file only keeps where the server is, the pinned
 * fingerprint and who holds a token. */
#define G_LOG_DOMAIN "rx-sync"

#include "config.h"

#include <errno.h>

#include "rx-sync-run.h"

#define PAGE 1000  /* the most the server takes in one push and gives in one pull */

void
rx_sync_sign_in_free (RxSyncSignIn *s)
{
  if (s == NULL)
    return;
  g_free (s->username);
  g_free (s->user_id);
  g_free (s->role);
  g_free (s->expires_at);
  g_free (s);
}

/* Settings and secrets ------------------------------------------------------------------- */

static char *
setting (RxDb       *db,
         const char *key)
{
  g_autofree char *full = g_strdup_printf ("sync_%s", key);
  return rx_db_get_meta (db, full);
}

static char *
secret_key (RxDb       *db,
            const char *what,
            const char *username)
{
  if (username != NULL)
    return g_strdup_printf ("sync-%s:%s:%s", what, rx_db_get_node_id (db), username);
  return g_strdup_printf ("sync-%s:%s", what, rx_db_get_node_id (db));
}

gboolean
rx_sync_is_enrolled (RxDb *db)
{
  g_autofree char *ws = setting (db, "workstation_id");
  return ws != NULL;
}

static gboolean
require_enrolled (RxDb    *db,
                  GError **error)
{
  if (rx_sync_is_enrolled (db))
    return TRUE;

  g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_NOT_ENROLLED,
               "This clinic file is not enrolled with a server; `sync enrol --server URL "
               "--code CODE` does that");
  return FALSE;
}

static RxSyncClient *
client_for (RxDb    *db,
            GError **error)
{
  g_autofree char *server = setting (db, "server");
  g_autofree char *pin = setting (db, "pin");

  if (!require_enrolled (db, error))
    return NULL;

  return rx_sync_client_new (server, pin, error);
}

static char **
holders (RxDb *db)
{
  g_autofree char *list = setting (db, "users");

  if (list == NULL || *list == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (list, "\n", -1);
}

static gboolean
set_holders (RxDb    *db,
             char   **names,
             GError **error)
{
  g_autofree char *list = g_strjoinv ("\n", names);
  return rx_sync_set_setting (db, "users", list, error);
}

static gboolean
forget_token (RxDb        *db,
              const char  *username,
              GError     **error)
{
  g_auto(GStrv) names = holders (db);
  g_autoptr(GStrvBuilder) keep = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;
  g_autofree char *key = secret_key (db, "token", username);

  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (names[i], username) != 0)
      g_strv_builder_add (keep, names[i]);
  kept = g_strv_builder_end (keep);

  rx_keyring_clear (rx_db_get_org_id (db), key, NULL);
  return set_holders (db, kept, error);
}

static gboolean
keep_token (RxDb        *db,
            const char  *username,
            JsonObject  *answer,
            GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key = secret_key (db, "token", username);
  g_autofree char *label = NULL;
  g_auto(GStrv) names = holders (db);
  const char *token = json_object_get_string_member_with_default (answer, "token", NULL);

  if (token == NULL)
    {
      g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_PROTOCOL,
                   "The server signed %s in but sent no token; is it a compatible version?",
                   username);
      return FALSE;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, token);
  json_builder_set_member_name (b, "user_id");
  json_builder_add_string_value (b, json_object_get_string_member_with_default (answer, "user_id", ""));
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, json_object_get_string_member_with_default (answer, "role", ""));
  json_builder_set_member_name (b, "expires_at");
  json_builder_add_string_value (b, json_object_get_string_member_with_default (answer, "expires_at", ""));
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  text = json_to_string (node, FALSE);

  label = g_strdup_printf ("RxDesk server sign-in of %s", username);
  if (!rx_keyring_store (rx_db_get_org_id (db), key, label, text, error))
    return FALSE;

  if (!g_strv_contains ((const char * const *) names, username))
    {
      g_autoptr(GStrvBuilder) all = g_strv_builder_new ();
      g_auto(GStrv) list = NULL;

      g_strv_builder_addv (all, (const char **) names);
      g_strv_builder_add (all, username);
      list = g_strv_builder_end (all);
      return set_holders (db, list, error);
    }

  return TRUE;
}

/* The stored sign-in of one person: token and what the server said of them. */
static JsonObject *
load_token (RxDb       *db,
            const char *username)
{
  g_autofree char *key = secret_key (db, "token", username);
  g_autoptr(RxSecret) text = rx_keyring_lookup (rx_db_get_org_id (db), key, NULL);
  g_autoptr(JsonNode) node = NULL;

  if (text == NULL)
    return NULL;
  node = json_from_string (text, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

GPtrArray *
rx_sync_list_sign_ins (RxDb *db)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_sync_sign_in_free);
  g_auto(GStrv) names = holders (db);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(JsonObject) t = load_token (db, names[i]);
      RxSyncSignIn *s;

      if (t == NULL)
        continue;
      s = g_new0 (RxSyncSignIn, 1);
      s->username = g_strdup (names[i]);
      s->user_id = g_strdup (json_object_get_string_member_with_default (t, "user_id", ""));
      s->role = g_strdup (json_object_get_string_member_with_default (t, "role", ""));
      s->expires_at = g_strdup (json_object_get_string_member_with_default (t, "expires_at", ""));
      g_ptr_array_add (list, s);
    }

  return list;
}

/* Enrolment ------------------------------------------------------------------------------ */

static char *
new_node_id (void)
{
  return g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
}

/**
 * rx_sync_enrol:
 * @path: the clinic file; a file that does not exist yet becomes a new, empty workstation of
 *   the organisation, filled by the first sync
 * @pin: (nullable): SHA-256 fingerprint of the server's certificate
 * @username, @password: a person to sign in; for a clinic that brings its data into an
 *   empty organisation, one of its administrators
 *
 * Returns: (transfer full): the enrolled clinic database
 */
RxDb *
rx_sync_enrol (const char    *path,
               const char    *server,
               const char    *code,
               const char    *pin,
               const char    *name,
               const char    *username,
               const char    *password,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(RxDb) db = NULL;
  g_autoptr(RxSyncClient) client = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *node_id = NULL;
  g_autofree char *secret_name = NULL;
  g_autofree char *label = NULL;
  g_autofree char *bootstrap_user_id = NULL;
  gboolean has_data = g_file_test (path, G_FILE_TEST_EXISTS);
  const char *clinic_org;
  const char *ws_id;
  const char *ws_secret;

  g_return_val_if_fail (path != NULL && server != NULL && code != NULL, NULL);

  client = rx_sync_client_new (server, pin, error);
  if (client == NULL)
    return NULL;

  if (has_data)
    {
      db = rx_db_open (path, RX_DB_OPEN_NONE, error);
      if (db == NULL)
        return NULL;
      if (rx_sync_is_enrolled (db))
        {
          g_autofree char *current = setting (db, "server");
          g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_REFUSED,
                       "This clinic file is already enrolled with %s; a clinic file syncs "
                       "with one organisation", current);
          return NULL;
        }
      node_id = g_strdup (rx_db_get_node_id (db));
      if (username == NULL || password == NULL)
        {
          g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_REFUSED,
                       "Bringing this clinic's data to the server needs one of its "
                       "administrators: add --as USERNAME and give the password");
          return NULL;
        }
    }
  else
    {
      /* The folder must be there before the server spends the one-time code on us. */
      g_autofree char *dir = g_path_get_dirname (path);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Cannot create the folder %s for the new clinic file: %s", dir,
                       g_strerror (saved));
          return NULL;
        }
      node_id = new_node_id ();
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "node_id");
  json_builder_add_string_value (b, node_id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name != NULL ? name : g_get_host_name ());
  json_builder_set_member_name (b, "clinic_org_id");
  if (db != NULL)
    json_builder_add_string_value (b, rx_db_get_org_id (db));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "has_data");
  json_builder_add_boolean_value (b, has_data);
  if (has_data)
    {
      g_autofree char *user = rx_sync_user_payload (db, username, error);
      JsonNode *user_node;

      if (user == NULL)
        return NULL;
      user_node = json_from_string (user, error);
      if (user_node == NULL)
        return NULL;
      bootstrap_user_id = g_strdup (json_object_get_string_member_with_default (
                                      json_node_get_object (user_node), "id", NULL));
      json_builder_set_member_name (b, "bootstrap");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "user");
      json_builder_add_value (b, user_node);
      json_builder_set_member_name (b, "password");
      json_builder_add_string_value (b, password);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  body = json_builder_get_root (b);

  answer = rx_sync_client_request (client, "POST", "/v1/enrol", NULL, body, cancellable, error);
  if (answer == NULL)
    return NULL;

  clinic_org = json_object_get_string_member_with_default (answer, "clinic_org_id", NULL);
  ws_id = json_object_get_string_member_with_default (answer, "workstation_id", NULL);
  ws_secret = json_object_get_string_member_with_default (answer, "workstation_secret", NULL);
  if (clinic_org == NULL || ws_id == NULL || ws_secret == NULL)
    {
      g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_PROTOCOL,
                   "The server's enrolment answer lacks the workstation's credentials; is it "
                   "a compatible RxDesk server?");
      return NULL;
    }

  if (db == NULL)
    {
      db = rx_db_create_replica (path, clinic_org, node_id, error);
      if (db == NULL)
        return NULL;
    }

  secret_name = secret_key (db, "workstation", NULL);
  label = g_strdup_printf ("RxDesk workstation credentials (%s)", server);
  if (!rx_keyring_store (rx_db_get_org_id (db), secret_name, label, ws_secret, error) ||
      !rx_sync_set_setting (db, "server", server, error) ||
      !rx_sync_set_setting (db, "pin", pin != NULL ? pin
                                                   : rx_sync_client_get_seen_fingerprint (client),
                            error) ||
      !rx_sync_set_setting (db, "workstation_id", ws_id, error) ||
      !rx_sync_set_setting (db, "org",
                            json_object_get_string_member_with_default (answer, "org", ""),
                            error))
    return NULL;

  /* the pin as the client normalised it */
  if (pin != NULL && !rx_sync_set_setting (db, "pin",
                                           rx_sync_client_get_seen_fingerprint (client), error))
    return NULL;

  if (json_object_get_string_member_with_default (answer, "token", NULL) != NULL)
    {
      /* the token is the bootstrap administrator's: the server checked that role */
      if (!json_object_has_member (answer, "role"))
        json_object_set_string_member (answer, "role", "admin");
      if (!json_object_has_member (answer, "user_id") && bootstrap_user_id != NULL)
        json_object_set_string_member (answer, "user_id", bootstrap_user_id);
      if (!keep_token (db, username, answer, error))
        return NULL;
    }
  else if (username != NULL && password != NULL &&
           !rx_sync_login (db, username, password, cancellable, error))
    return NULL;

  return g_steal_pointer (&db);
}

/* Sign-ins ------------------------------------------------------------------------------- */

gboolean
rx_sync_login (RxDb          *db,
               const char    *username,
               const char    *password,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(RxSyncClient) client = client_for (db, error);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *ws_key = NULL;
  g_autofree char *ws_id = NULL;
  g_autoptr(RxSecret) ws_secret = NULL;

  if (client == NULL)
    return FALSE;

  ws_key = secret_key (db, "workstation", NULL);
  ws_secret = rx_keyring_lookup (rx_db_get_org_id (db), ws_key, error);
  if (ws_secret == NULL)
    return FALSE;
  ws_id = setting (db, "workstation_id");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "workstation_id");
  json_builder_add_string_value (b, ws_id);
  json_builder_set_member_name (b, "workstation_secret");
  json_builder_add_string_value (b, ws_secret);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, username);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_end_object (b);
  body = json_builder_get_root (b);

  answer = rx_sync_client_request (client, "POST", "/v1/login", NULL, body, cancellable, error);
  if (answer == NULL)
    return FALSE;

  return keep_token (db, username, answer, error);
}

gboolean
rx_sync_logout (RxDb          *db,
                const char    *username,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(RxSyncClient) client = client_for (db, error);
  g_autoptr(JsonObject) token = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) local_error = NULL;

  if (client == NULL)
    return FALSE;

  token = load_token (db, username);
  if (token == NULL)
    {
      g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_REFUSED,
                   "%s is not signed in to the server on this workstation", username);
      return FALSE;
    }

  /* an expired token is as good as ended; anything else must really end on the server */
  answer = rx_sync_client_request (client, "POST", "/v1/logout",
                                   json_object_get_string_member (token, "token"), NULL,
                                   cancellable, &local_error);
  if (answer == NULL && !g_error_matches (local_error, RX_SYNC_ERROR,
                                          RX_SYNC_ERROR_UNAUTHORIZED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return forget_token (db, username, error);
}

/* Push ----------------------------------------------------------------------------------- */

static JsonNode *
push_body (GPtrArray *batch)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  for (guint i = 0; i < batch->len; i++)
    {
      RxChange *c = batch->pdata[i];
      g_autofree char *payload = rx_change_strip_local_fields (c);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "op_id");
      json_builder_add_string_value (b, c->op_id);
      json_builder_set_member_name (b, "entity");
      json_builder_add_string_value (b, c->entity);
      json_builder_set_member_name (b, "row_id");
      json_builder_add_string_value (b, c->row_id);
      json_builder_set_member_name (b, "hlc");
      json_builder_add_string_value (b, c->hlc);
      json_builder_set_member_name (b, "author");
      json_builder_add_string_value (b, c->author);
      json_builder_set_member_name (b, "payload");
      json_builder_add_value (b, json_from_string (payload, NULL));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static gboolean
record_results (RxDb          *db,
                GPtrArray     *batch,
                JsonObject    *answer,
                RxSyncReport  *report,
                GError       **error)
{
  JsonArray *results = json_object_get_array_member (answer, "results");
  g_autoptr(GHashTable) by_op = g_hash_table_new (g_str_hash, g_str_equal);

  if (results == NULL)
    {
      g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_PROTOCOL,
                   "The server's answer to a push has no results; is it a compatible version?");
      return FALSE;
    }

  for (guint i = 0; i < batch->len; i++)
    g_hash_table_insert (by_op, ((RxChange *) batch->pdata[i])->op_id, batch->pdata[i]);

  if (!rx_db_begin (db, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);
      const char *op = json_object_get_string_member_with_default (r, "op_id", "");
      const char *status = json_object_get_string_member_with_default (r, "status", "");
      const char *code = json_object_get_string_member_with_default (r, "code", "");
      RxChange *c = g_hash_table_lookup (by_op, op);
      gboolean ok = TRUE;

      if (c == NULL)
        continue;

      if (g_str_equal (status, "accepted") || g_str_equal (status, "duplicate"))
        {
          ok = rx_change_log_mark_pushed (db, c->seq, json_object_get_int_member (r, "seq"),
                                          error);
          report->pushed++;
        }
      else if (g_str_equal (code, "forbidden"))
        report->held++;
      else if (g_str_equal (code, "unsigned"))
        /* its signature is in a later page: sent again once that page is in */
        report->retry++;
      else
        {
          g_autofree char *why = g_strdup_printf ("%s: %s", code,
                                                  json_object_get_string_member_with_default (r, "reason", ""));
          g_message ("The server refused change %s to %s: %s", c->op_id, c->entity, why);
          ok = rx_change_log_mark_refused (db, c->seq, why, error);
          report->refused++;
        }

      if (!ok)
        {
          rx_db_rollback (db);
          return FALSE;
        }
    }

  return rx_db_commit (db, error);
}

static gboolean
push_with (RxDb          *db,
           RxSyncClient  *client,
           const char    *token,
           const char    *author,
           RxSyncReport  *report,
           GCancellable  *cancellable,
           GError       **error)
{
  gint64 after = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) batch = rx_change_log_pushable (db, after, PAGE, author, error);
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(JsonObject) answer = NULL;
      g_autoptr(GError) local_error = NULL;

      if (batch == NULL)
        return FALSE;
      if (batch->len == 0)
        return TRUE;

      body = push_body (batch);
      answer = rx_sync_client_request (client, "POST", "/v1/push", token, body, cancellable,
                                       &local_error);
      if (answer == NULL)
        {
          if (!g_error_matches (local_error, RX_SYNC_ERROR, RX_SYNC_ERROR_FORBIDDEN))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          report->held += batch->len;
        }
      else if (!record_results (db, batch, answer, report, error))
        return FALSE;

      after = ((RxChange *) batch->pdata[batch->len - 1])->seq;
    }
}

/* Pull ----------------------------------------------------------------------------------- */

/* The entries of a pull answer, checked for what applying needs: what arrives from the
 * network is never trusted to have the shape PROTOCOL.md gives it. */
GPtrArray *
rx_sync_decode_entries (JsonObject  *answer,
                        GError     **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_change_free);
  JsonNode *list = json_object_get_member (answer, "entries");
  JsonArray *entries;

  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_PROTOCOL,
                   "The server's answer to a pull has no list of entries; is it a compatible "
                   "version?");
      return NULL;
    }
  entries = json_node_get_array (list);

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      JsonObject *e = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *payload = e != NULL ? json_object_get_member (e, "payload") : NULL;
      JsonNode *seq = e != NULL ? json_object_get_member (e, "seq") : NULL;
      const char *op_id = e != NULL ? rx_json_string (e, "op_id") : NULL;
      const char *entity = e != NULL ? rx_json_string (e, "entity") : NULL;
      const char *row_id = e != NULL ? rx_json_string (e, "row_id") : NULL;
      const char *hlc = e != NULL ? rx_json_string (e, "hlc") : NULL;
      const char *author = e != NULL ? rx_json_string (e, "author") : NULL;
      RxChange *c;

      if (e == NULL || payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload) ||
          seq == NULL || !JSON_NODE_HOLDS_VALUE (seq) ||
          json_node_get_value_type (seq) != G_TYPE_INT64 || json_node_get_int (seq) <= 0 ||
          op_id == NULL || entity == NULL || row_id == NULL || hlc == NULL ||
          !rx_hlc_parse (hlc, NULL, NULL, NULL))
        {
          g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_PROTOCOL,
                       "Entry %u of the server's answer is incomplete or malformed; sync "
                       "stopped before applying it", i);
          return NULL;
        }

      c = g_new0 (RxChange, 1);
      c->seq = json_node_get_int (seq);
      c->op_id = g_strdup (op_id);
      c->entity = g_strdup (entity);
      c->row_id = g_strdup (row_id);
      c->hlc = g_strdup (hlc);
      c->author = g_strdup (author != NULL ? author : "unknown");
      c->payload = json_to_string (payload, FALSE);
      g_ptr_array_add (changes, c);
    }

  return g_steal_pointer (&changes);
}

static gboolean
pull_with (RxDb          *db,
           RxSyncClient  *client,
           const char    *token,
           const char    *role,
           RxSyncReport  *report,
           GCancellable  *cancellable,
           GError       **error)
{
  for (;;)
    {
      gint64 since = rx_sync_get_checkpoint (db, role);
      g_autofree char *path = g_strdup_printf ("/v1/pull?since=%" G_GINT64_FORMAT "&limit=%u",
                                               since, PAGE);
      g_autoptr(JsonObject) answer = NULL;
      g_autoptr(GPtrArray) changes = NULL;
      RxApplyStats stats = { 0, };
      gint64 next;

      stats.tables = report->tables;

      answer = rx_sync_client_request (client, "GET", path, token, NULL, cancellable, error);
      if (answer == NULL)
        return FALSE;

      changes = rx_sync_decode_entries (answer, error);
      if (changes == NULL)
        return FALSE;

      next = json_object_get_int_member_with_default (answer, "next", since);
      if (next < since)
        {
          g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_PROTOCOL,
                       "The server went back in its log (from %" G_GINT64_FORMAT " to %"
                       G_GINT64_FORMAT "); was it restored from an older backup? Tell your "
                       "administrator before syncing again", since, next);
          return FALSE;
        }

      if (!rx_sync_apply_page (db, changes, role, next, &stats, error))
        return FALSE;

      report->pulled += stats.applied;
      report->conflicts += stats.conflicts;

      if (!json_object_get_boolean_member_with_default (answer, "more", FALSE) || next == since)
        return TRUE;
    }
}

/* A round ---------------------------------------------------------------------------------- */

static gboolean
expired (const char *expires_at)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (expires_at == NULL || *expires_at == '\0')
    return FALSE;
  when = g_date_time_new_from_iso8601 (expires_at, NULL);
  return when != NULL && g_date_time_compare (when, now) <= 0;
}

/**
 * rx_sync_now:
 *
 * Pushes everything waiting, with each stored sign-in (people's own changes with their own
 * token; an administrator's token carries the rest), then pulls with each role until caught
 * up. Nothing local is ever dropped: what the server refused stays, with its reason.
 */
gboolean
rx_sync_now (RxDb          *db,
             RxSyncReport  *report,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(RxSyncClient) client = client_for (db, error);
  g_autoptr(GPtrArray) sign_ins = NULL;
  g_autoptr(GHashTable) pulled_roles = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = NULL;
  gint64 start = g_get_monotonic_time ();
  RxSyncReport local = { 0, };
  GHashTable *tables;
  guint used = 0;

  if (report == NULL)
    report = &local;
  tables = report->tables;
  memset (report, 0, sizeof *report);
  report->tables = tables;

  if (client == NULL)
    return FALSE;

  sign_ins = rx_sync_list_sign_ins (db);
  /* People first, administrators last: they carry what nobody else could. Entries sent in
   * a page before their prescription's signature come back "unsigned" and go again once the
   * signature is in; a round that sends nothing new ends that. */
  for (guint round = 0; round < 4 && local_error == NULL; round++)
    {
      guint pushed_before = report->pushed;

      report->retry = 0;
      for (guint pass = 0; pass < 2 && local_error == NULL; pass++)
        for (guint i = 0; i < sign_ins->len && local_error == NULL; i++)
          {
            RxSyncSignIn *s = sign_ins->pdata[i];
            gboolean admin = g_str_equal (s->role, "admin");
            g_autoptr(JsonObject) token = NULL;

            if (admin != (pass == 1) || expired (s->expires_at))
              continue;
            token = load_token (db, s->username);
            if (token == NULL)
              continue;

            if (!push_with (db, client, json_object_get_string_member (token, "token"),
                            admin ? NULL : s->user_id, report, cancellable, &local_error))
              {
                if (g_error_matches (local_error, RX_SYNC_ERROR, RX_SYNC_ERROR_UNAUTHORIZED))
                  {
                    g_message ("%s's sign-in to the server ended: %s", s->username,
                               local_error->message);
                    forget_token (db, s->username, NULL);
                    g_clear_error (&local_error);
                  }
                continue;
              }
            used++;
          }

      if (report->retry == 0 || report->pushed == pushed_before)
        break;
    }

  for (guint i = 0; i < sign_ins->len && local_error == NULL; i++)
    {
      RxSyncSignIn *s = sign_ins->pdata[i];
      g_autoptr(JsonObject) token = NULL;

      if (g_hash_table_contains (pulled_roles, s->role) || expired (s->expires_at))
        continue;
      token = load_token (db, s->username);
      if (token == NULL)
        continue;

      if (!pull_with (db, client, json_object_get_string_member (token, "token"), s->role,
                      report, cancellable, &local_error))
        {
          if (g_error_matches (local_error, RX_SYNC_ERROR, RX_SYNC_ERROR_UNAUTHORIZED))
            {
              forget_token (db, s->username, NULL);
              g_clear_error (&local_error);
            }
          continue;
        }
      g_hash_table_add (pulled_roles, s->role);
      used++;
    }

  report->pending = rx_change_log_count_pushable (db);
  report->seconds = (g_get_monotonic_time () - start) / 1e6;
  now = rx_db_now_iso (db);

  if (local_error != NULL)
    {
      rx_sync_set_setting (db, "last_error", local_error->message, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (used == 0)
    {
      g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_UNAUTHORIZED,
                   "Nobody on this workstation is signed in to the server; "
                   "`sync login USERNAME` signs someone in");
      rx_sync_set_setting (db, "last_error", (*error)->message, NULL);
      return FALSE;
    }

  return rx_sync_set_setting (db, "last_at", now, error) &&
         rx_sync_set_setting (db, "last_error", NULL, error);
}

/* Administration through the server: the first administrator signed in here. */
JsonObject *
rx_sync_admin_request (RxDb          *db,
                       const char    *method,
                       const char    *path,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(RxSyncClient) client = client_for (db, error);
  g_autoptr(GPtrArray) sign_ins = NULL;

  if (client == NULL)
    return NULL;

  sign_ins = rx_sync_list_sign_ins (db);
  for (guint i = 0; i < sign_ins->len; i++)
    {
      RxSyncSignIn *s = sign_ins->pdata[i];
      g_autoptr(JsonObject) token = NULL;

      if (!g_str_equal (s->role, "admin") || expired (s->expires_at))
        continue;
      token = load_token (db, s->username);
      if (token != NULL)
        return rx_sync_client_request (client, method, path,
                                       json_object_get_string_member (token, "token"), NULL,
                                       cancellable, error);
    }

  g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_FORBIDDEN,
               "That needs an administrator signed in to the server on this workstation; "
               "`sync login ADMIN` signs one in");
  return NULL;
}
