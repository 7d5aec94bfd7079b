/* rx-server-pull.c: GET /v1/pull?since=SEQ&limit=N: the organisation's entries after `since`
 * that the token's role may read, in sequence order. `next` is the highest number looked at,
 * read-restricted entries skipped included, so a receptionist never pulls the same
 * prescriptions' numbers again and again. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include "rx-server-private.h"
#include "rx-sync-rules.h"

/* A query parameter as a whole number in [min, max]; FALSE after answering 400. */
static gboolean
get_number (SoupServerMessage *msg,
            GHashTable        *query,
            const char        *name,
            guint64            min,
            guint64            fallback,
            guint64           *value)
{
  const char *text = query ? g_hash_table_lookup (query, name) : NULL;

  *value = fallback;
  if (text == NULL || *text == '\0')
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, min, G_MAXINT64, value, NULL))
    {
      rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST,
                         "“%s” must be a whole number of at least %" G_GUINT64_FORMAT ", not "
                         "“%s”", name, min, text);
      return FALSE;
    }

  return TRUE;
}

static GStrv
readable_entities (RxRole role)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  const RxSyncEntity *entities;
  guint n;

  entities = rx_sync_entities (&n);
  for (guint i = 0; i < n; i++)
    if (rx_sync_role_may_read (role, entities[i].name))
      g_strv_builder_add (names, entities[i].name);

  return g_strv_builder_end (names);
}

static void
add_entry (JsonBuilder  *b,
           RxStoreEntry *e)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, e->seq);
  json_builder_set_member_name (b, "op_id");
  json_builder_add_string_value (b, e->op_id);
  json_builder_set_member_name (b, "entity");
  json_builder_add_string_value (b, e->entity);
  json_builder_set_member_name (b, "row_id");
  json_builder_add_string_value (b, e->row_id);
  json_builder_set_member_name (b, "hlc");
  json_builder_add_string_value (b, e->hlc);
  json_builder_set_member_name (b, "author");
  json_builder_add_string_value (b, e->author);
  json_builder_set_member_name (b, "payload");
  if (json_parser_load_from_data (parser, e->payload, -1, NULL))
    json_builder_add_value (b, json_parser_steal_root (parser));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

void
rx_server_handle_pull (RxServer          *self,
                       SoupServerMessage *msg)
{
  g_auto(RxCaller) caller = { NULL, };
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(RxStoreOrg) org = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) readable = NULL;
  RxRequest *req = rx_server_request_of (msg);
  const char *text = g_uri_get_query (soup_server_message_get_uri (msg));
  guint64 since, limit;
  gint64 next;
  guint returned = 0;

  if (!rx_server_authenticate (self, msg, &caller))
    return;

  query = text != NULL ? soup_form_decode (text) : NULL;
  if (!get_number (msg, query, "since", 0, 0, &since) ||
      !get_number (msg, query, "limit", 1, self->limits.default_pull, &limit))
    return;
  limit = MIN (limit, self->limits.max_pull);

  /* the head first: what is pushed while this page is read waits for the next page */
  org = rx_store_org_get (self->store, caller.org_id, &error);
  if (org == NULL)
    {
      if (error == NULL)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "organisation %s is gone",
                     caller.org_id);
      rx_server_store_failed (msg, error);
      return;
    }

  readable = readable_entities (caller.role);
  entries = rx_store_entries_after (self->store, caller.org_id, since,
                                    (const char * const *) readable, limit, &error);
  if (entries == NULL)
    {
      rx_server_store_failed (msg, error);
      return;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  next = since;
  for (guint i = 0; i < entries->len; i++)
    {
      RxStoreEntry *e = g_ptr_array_index (entries, i);

      if (e->seq > org->head)
        break;
      add_entry (b, e);
      next = e->seq;
      returned++;
    }
  json_builder_end_array (b);

  /* a short page looked at everything up to the head */
  if (returned < limit)
    next = MAX ((gint64) since, org->head);

  json_builder_set_member_name (b, "next");
  json_builder_add_int_value (b, next);
  json_builder_set_member_name (b, "more");
  json_builder_add_boolean_value (b, next < org->head);
  json_builder_set_member_name (b, "head");
  json_builder_add_int_value (b, org->head);
  json_builder_end_object (b);

  if (req != NULL)
    req->entries = returned;
  rx_server_reply_json (msg, SOUP_STATUS_OK, b);
}
