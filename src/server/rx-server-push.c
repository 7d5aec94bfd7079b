/* rx-server-push.c: POST /v1/push. Every entry is judged on its own, in the order given, in
 * one store transaction: a retried batch finds its op ids and changes nothing twice. Who may
 * write what comes from core's sync rules and the token alone. Entries of a prescription wait
 * within the push for its signature, which is verified before anything of it is stored; once
 * signed, a prescription's items and signature are frozen and only its status may change. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include <string.h>

#include "rx-hlc.h"
#include "rx-server-push-private.h"
#include "rx-sync-rules.h"
#include "rx-uuid.h"

static void
item_clear (Item *it)
{
  g_free (it->reason);
}

static void
push_clear (Push *p)
{
  g_clear_pointer (&p->org, rx_store_org_free);
  g_clear_pointer (&p->items, g_array_unref);
  g_clear_pointer (&p->op_index, g_hash_table_unref);
  g_clear_pointer (&p->deferred, g_hash_table_unref);
  g_clear_pointer (&p->item_rx, g_hash_table_unref);
  g_clear_error (&p->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Push, push_clear)

void
_rx_push_reject (Item       *it,
                 const char *code,
                 const char *format,
                 ...)
{
  va_list args;

  va_start (args, format);
  g_free (it->reason);
  it->reason = g_strdup_vprintf (format, args);
  va_end (args);
  it->state = ITEM_REJECTED;
  it->code = code;
}

/* Reading the batch ----------------------------------------------------------------------- */

/* Every entry must at least be an object with an op id, or the batch cannot be answered
 * entry by entry: FALSE after answering 400 (or 413 for too many). */
static gboolean
read_items (Push              *p,
            SoupServerMessage *msg,
            JsonObject        *body)
{
  JsonNode *node = json_object_get_member (body, "entries");
  JsonArray *entries;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST,
                         "The body must be {\"entries\": [...]}, an array of change-log entries");
      return FALSE;
    }
  entries = json_node_get_array (node);
  n = json_array_get_length (entries);
  if (n > p->server->limits.max_batch)
    {
      rx_server_problem (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                         "This push has %u entries; the limit is %u per push: send them in "
                         "batches", n, p->server->limits.max_batch);
      return FALSE;
    }

  g_array_set_size (p->items, n);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (entries, i);
      JsonObject *o;
      JsonNode *payload;
      Item *it = ITEM (p, i);

      if (!JSON_NODE_HOLDS_OBJECT (e))
        {
          rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST,
                             "entries[%u] is not an object; each entry is {\"op_id\", "
                             "\"entity\", \"row_id\", \"hlc\", \"author\", \"payload\"}", i);
          return FALSE;
        }
      o = json_node_get_object (e);
      it->op_id = rx_json_string (o, "op_id");
      if (!rx_uuid_is_valid (it->op_id))
        {
          rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST,
                             "entries[%u].op_id must be the entry's op id, a lower-case UUID",
                             i);
          return FALSE;
        }
      it->entity = rx_json_string (o, "entity");
      it->row_id = rx_json_string (o, "row_id");
      it->hlc = rx_json_string (o, "hlc");
      it->author = rx_json_string (o, "author");
      payload = json_object_get_member (o, "payload");
      it->payload = payload != NULL && JSON_NODE_HOLDS_OBJECT (payload)
                    ? json_node_get_object (payload) : NULL;
    }

  return TRUE;
}

/* Judging one entry ----------------------------------------------------------------------- */

static gboolean
valid (Push *p,
       Item *it)
{
  const char *id, *org_id, *text;
  RxRole role;

  if (rx_sync_entity_lookup (it->entity) == NULL)
    _rx_push_reject (it, "invalid", "“%s” is not something RxDesk synchronises",
                     it->entity ? it->entity : "(no entity)");
  else if (!rx_uuid_is_valid (it->row_id))
    _rx_push_reject (it, "invalid", "row_id must be the row's id, a lower-case UUID");
  else if (!rx_hlc_parse (it->hlc, NULL, NULL, NULL))
    _rx_push_reject (it, "invalid", "hlc must be a hybrid logical clock stamp such as "
                     "018c2d3e4f50.0000.a1b2c3d4e5f60718");
  else if (it->author == NULL || *it->author == '\0' || strlen (it->author) > 128)
    _rx_push_reject (it, "invalid", "author must be the writer's user id or a label such as "
                     "“system”");
  else if (it->payload == NULL)
    _rx_push_reject (it, "invalid", "payload must be an object of the columns written");
  else if ((id = rx_json_string (it->payload, "id")) != NULL && strcmp (id, it->row_id) != 0)
    _rx_push_reject (it, "invalid", "payload.id (%s) is not the entry's row_id", id);
  else if (json_object_has_member (it->payload, "org_id") &&
           g_strcmp0 (org_id = rx_json_string (it->payload, "org_id"),
                      p->org->clinic_org_id) != 0)
    _rx_push_reject (it, "invalid", "payload.org_id %s is not this organisation's clinic (%s)",
                     org_id ? org_id : "(not a string)", p->org->clinic_org_id);
  else if (g_str_equal (it->entity, "users") &&
           json_object_has_member (it->payload, "role") &&
           !rx_role_from_string (rx_json_string (it->payload, "role"), &role))
    _rx_push_reject (it, "invalid", "a user's role must be admin, doctor, pharmacist or "
                     "receptionist");
  else if (g_str_equal (it->entity, "users") &&
           json_object_has_member (it->payload, "state") &&
           (text = rx_json_string (it->payload, "state")) != NULL &&
           !g_str_equal (text, "active") && !g_str_equal (text, "locked") &&
           !g_str_equal (text, "disabled"))
    _rx_push_reject (it, "invalid", "a user's state must be active, locked or disabled");
  else
    return TRUE;

  return FALSE;
}

/* FALSE when the entry was rejected, or the store failed (p->error). */
static gboolean
authorised (Push *p,
            Item *it)
{
  g_autoptr(RxMerged) author = NULL;
  g_autofree char *why = NULL;
  RxRole role;

  if (g_strcmp0 (it->author, p->caller->user_id) == 0)
    {
      if (rx_sync_role_may_write (p->caller->role, it->entity, it->payload, &why))
        return TRUE;
      _rx_push_reject (it, "forbidden", "%s", why);
      return FALSE;
    }

  if (p->caller->role != RX_ROLE_ADMIN)
    {
      _rx_push_reject (it, "forbidden", "only an administrator's token may carry entries written "
                       "by someone else (this one is by %s)", it->author);
      return FALSE;
    }

  author = rx_rows_get (p->store, p->org->id, "users", it->author, &p->error);
  if (author == NULL && p->error != NULL)
    return FALSE;
  if (author == NULL)
    {
      /* a label (system, cli:NAME) is a write made without a signed-in person */
      if (!rx_uuid_is_valid (it->author))
        return TRUE;
      _rx_push_reject (it, "forbidden", "its author %s is not a user the server knows; push the "
                       "users rows first", it->author);
      return FALSE;
    }

  if (!rx_role_from_string (rx_json_string (author->data, "role"), &role))
    {
      _rx_push_reject (it, "forbidden", "its author %s has no role the server knows", it->author);
      return FALSE;
    }
  if (rx_sync_role_may_write (role, it->entity, it->payload, &why))
    return TRUE;

  _rx_push_reject (it, "forbidden", "its author may not write it: %s", why);
  return FALSE;
}

static void
strip_local_fields (Item *it)
{
  g_autoptr(GList) members = json_object_get_members (it->payload);

  for (GList *l = members; l != NULL; l = l->next)
    if (rx_sync_is_local_field (it->entity, l->data))
      json_object_remove_member (it->payload, l->data);
}

gboolean
_rx_push_accept (Push *p,
                 Item *it)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), it->payload);
  g_autofree char *payload = json_to_string (node, FALSE);
  RxStoreEntry entry = { 0, };

  entry.op_id = (char *) it->op_id;
  entry.entity = (char *) it->entity;
  entry.row_id = (char *) it->row_id;
  entry.hlc = (char *) it->hlc;
  entry.author = (char *) it->author;
  entry.payload = payload;
  entry.received_at = rx_server_now ();

  it->seq = rx_store_entry_append (p->store, p->org->id, &entry, &p->error);
  if (it->seq < 0)
    return FALSE;
  if (rx_rows_kept (it->entity) &&
      !rx_rows_merge (p->store, p->org->id, it->entity, it->row_id, it->hlc, it->payload,
                      &p->error))
    return FALSE;

  it->state = ITEM_ACCEPTED;
  p->org->head = it->seq;
  return TRUE;
}

/* FALSE only when the store failed. */
static gboolean
judge (Push  *p,
       guint  index)
{
  Item *it = ITEM (p, index);
  guint first = GPOINTER_TO_UINT (g_hash_table_lookup (p->op_index, it->op_id));
  gint64 seq;

  if (first != 0)
    {
      it->state = ITEM_REPEAT;
      it->first = first - 1;
      return TRUE;
    }
  g_hash_table_insert (p->op_index, (gpointer) it->op_id, GUINT_TO_POINTER (index + 1));

  seq = rx_store_entry_find (p->store, p->org->id, it->op_id, &p->error);
  if (seq < 0)
    return FALSE;
  if (seq > 0)
    {
      it->state = ITEM_DUPLICATE;
      it->seq = seq;
      return TRUE;
    }

  if (!valid (p, it))
    return TRUE;
  if (!authorised (p, it))
    return p->error == NULL;
  strip_local_fields (it);

  if (rx_sync_is_prescription_entity (it->entity))
    return _rx_push_judge_prescription (p, index);

  return _rx_push_accept (p, it);
}

static void
settle (Push *p)
{
  for (guint i = 0; i < p->items->len; i++)
    {
      Item *it = ITEM (p, i);

      if (it->state == ITEM_DEFERRED)
        _rx_push_reject (it, "unsigned", "it belongs to a prescription with no signature the "
                         "server has verified; push it with the prescription's signature (drafts "
                         "stay on the workstation until they are signed)");
    }

  for (guint i = 0; i < p->items->len; i++)
    {
      Item *it = ITEM (p, i);
      Item *first;

      if (it->state != ITEM_REPEAT)
        continue;
      first = ITEM (p, it->first);
      it->state = first->state == ITEM_ACCEPTED ? ITEM_DUPLICATE : first->state;
      it->seq = first->seq;
      it->code = first->code;
      it->reason = g_strdup (first->reason);
    }
}

/* Answering ------------------------------------------------------------------------------- */

static void
reply (Push              *p,
       SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  static const char * const names[] = {
    [ITEM_PENDING] = "rejected",
    [ITEM_ACCEPTED] = "accepted",
    [ITEM_DUPLICATE] = "duplicate",
    [ITEM_REJECTED] = "rejected",
    [ITEM_DEFERRED] = "rejected",
    [ITEM_REPEAT] = "duplicate",
  };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < p->items->len; i++)
    {
      Item *it = ITEM (p, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "op_id");
      json_builder_add_string_value (b, it->op_id);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, names[it->state]);
      json_builder_set_member_name (b, "seq");
      if (it->seq > 0)
        json_builder_add_int_value (b, it->seq);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "code");
      if (it->code != NULL)
        json_builder_add_string_value (b, it->code);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "reason");
      if (it->reason != NULL)
        json_builder_add_string_value (b, it->reason);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "head");
  json_builder_add_int_value (b, p->org->head);
  json_builder_end_object (b);

  rx_server_reply_json (msg, SOUP_STATUS_OK, b);
}

/* Tests only (--debug-push-delay-ms): a push that is slow to start, with the server free to do
 * other things meanwhile (a stop signal, say), and slow to commit, blocking, so that a test
 * can kill the server between writing and committing. */
typedef struct
{
  RxServer          *server;
  SoupServerMessage *msg;
} Held;

static void
held_free (Held *held)
{
  g_object_unref (held->server);
  g_object_unref (held->msg);
  g_free (held);
}

static gboolean
resume_held (gpointer data)
{
  Held *held = data;

  rx_server_handle_push (held->server, held->msg);
  soup_server_message_unpause (held->msg);
  return G_SOURCE_REMOVE;
}

static gboolean
hold (RxServer          *self,
      SoupServerMessage *msg)
{
  Held *held;

  if (self->limits.debug_push_delay_ms == 0 || g_object_get_data (G_OBJECT (msg), "rx-held"))
    return FALSE;

  held = g_new0 (Held, 1);
  held->server = g_object_ref (self);
  held->msg = g_object_ref (msg);
  g_object_set_data (G_OBJECT (msg), "rx-held", GINT_TO_POINTER (TRUE));
  rx_server_log ("debug", "msg=\"holding the push for %u ms before it is read\"",
                 self->limits.debug_push_delay_ms);
  soup_server_message_pause (msg);
  g_timeout_add_full (G_PRIORITY_DEFAULT, self->limits.debug_push_delay_ms, resume_held, held,
                      (GDestroyNotify) held_free);
  return TRUE;
}

void
rx_server_handle_push (RxServer          *self,
                       SoupServerMessage *msg)
{
  g_auto(RxCaller) caller = { NULL, };
  g_auto(Push) p = { NULL, };
  g_autoptr(JsonObject) body = NULL;
  RxRequest *req = rx_server_request_of (msg);
  guint forbidden = 0;

  if (hold (self, msg))
    return;
  if (!rx_server_authenticate (self, msg, &caller))
    return;
  body = rx_server_parse_body (msg);
  if (body == NULL)
    return;

  p.server = self;
  p.store = self->store;
  p.caller = &caller;
  p.items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (p.items, (GDestroyNotify) item_clear);
  p.op_index = g_hash_table_new (g_str_hash, g_str_equal);
  p.deferred = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) g_array_unref);
  p.item_rx = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!read_items (&p, msg, body))
    return;
  if (req != NULL)
    req->entries = p.items->len;

  if (!rx_store_begin (self->store, &p.error))
    {
      rx_server_store_failed (msg, p.error);
      return;
    }
  p.org = rx_store_org_get (self->store, caller.org_id, &p.error);
  if (p.org == NULL)
    goto failed;

  for (guint i = 0; i < p.items->len; i++)
    if (!judge (&p, i))
      goto failed;
  settle (&p);

  for (guint i = 0; i < p.items->len; i++)
    if (ITEM (&p, i)->state == ITEM_REJECTED && g_strcmp0 (ITEM (&p, i)->code, "forbidden") == 0)
      forbidden++;
  if (forbidden > 0 && forbidden == p.items->len)
    {
      rx_store_rollback (self->store);
      rx_server_problem (msg, SOUP_STATUS_FORBIDDEN, "Nothing in this push may be written with "
                         "this token: %s", ITEM (&p, 0)->reason);
      return;
    }

  if (self->limits.debug_push_delay_ms > 0)
    {
      rx_server_log ("debug", "msg=\"holding the push for %u ms before it is committed\"",
                     self->limits.debug_push_delay_ms);
      g_usleep (self->limits.debug_push_delay_ms * (gulong) 1000);
    }

  if (!rx_store_commit (self->store, &p.error))
    goto failed;

  reply (&p, msg);
  return;

failed:
  rx_store_rollback (self->store);
  if (p.error == NULL)
    g_set_error (&p.error, G_IO_ERROR, G_IO_ERROR_FAILED, "the organisation %s is gone",
                 caller.org_id);
  rx_server_store_failed (msg, p.error);
}
