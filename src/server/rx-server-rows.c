/* rx-server-rows.c: the rows the server reasons about (users to sign in, certificates and
 * signatures to check, prescriptions to keep frozen), merged from the entries as a
 * workstation merges them: per column, the newest HLC wins. The store only keeps them. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include "rx-server-private.h"

static const struct
{
  const char *entity;
  const char *lookup;   /* the column rows are found by; NULL: only by id */
} kept[] = {
  { "users", "username" },
  { "certificates", "kind" },
  { "prescriptions", NULL },
  { "prescription_items", "prescription_id" },
  { "prescription_signatures", "prescription_id" },
};

void
rx_merged_free (RxMerged *merged)
{
  if (merged == NULL)
    return;
  g_free (merged->row_id);
  g_free (merged->hlc);
  g_clear_pointer (&merged->data, json_object_unref);
  g_free (merged);
}

gboolean
rx_rows_kept (const char *entity)
{
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    if (g_strcmp0 (kept[i].entity, entity) == 0)
      return TRUE;
  return FALSE;
}

static const char *
lookup_column (const char *entity)
{
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    if (g_strcmp0 (kept[i].entity, entity) == 0)
      return kept[i].lookup;
  return NULL;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return json_object_new ();
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return json_object_new ();

  return json_object_ref (json_node_get_object (root));
}

static char *
object_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static RxMerged *
merged_from_row (RxStoreRow *row)
{
  RxMerged *merged = g_new0 (RxMerged, 1);

  merged->row_id = g_strdup (row->row_id);
  merged->hlc = g_strdup (row->hlc);
  merged->data = parse_object (row->data);

  return merged;
}

RxMerged *
rx_rows_get (RxStore     *store,
             const char  *org_id,
             const char  *entity,
             const char  *row_id,
             GError     **error)
{
  g_autoptr(RxStoreRow) row = rx_store_row_get (store, org_id, entity, row_id, error);

  return row != NULL ? merged_from_row (row) : NULL;
}

GPtrArray *
rx_rows_find (RxStore     *store,
              const char  *org_id,
              const char  *entity,
              const char  *lookup,
              GError     **error)
{
  g_autoptr(GPtrArray) rows = rx_store_rows_find (store, org_id, entity, lookup, error);
  GPtrArray *found;

  if (rows == NULL)
    return NULL;

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_merged_free);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (found, merged_from_row (g_ptr_array_index (rows, i)));

  return found;
}

gboolean
rx_rows_live (JsonObject *data)
{
  JsonNode *deleted;

  if (data == NULL)
    return FALSE;
  deleted = json_object_get_member (data, "deleted");

  return deleted == NULL || !JSON_NODE_HOLDS_VALUE (deleted) ||
         json_node_get_value_type (deleted) != G_TYPE_INT64 || json_node_get_int (deleted) == 0;
}

gboolean
rx_rows_merge (RxStore     *store,
               const char  *org_id,
               const char  *entity,
               const char  *row_id,
               const char  *hlc,
               JsonObject  *payload,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RxStoreRow) old = rx_store_row_get (store, org_id, entity, row_id, &local_error);
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(JsonObject) clocks = NULL;
  g_autoptr(GList) members = NULL;
  g_autofree char *data_text = NULL;
  g_autofree char *clocks_text = NULL;
  const char *column = lookup_column (entity);
  RxStoreRow row = { NULL, };

  if (old == NULL && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  data = old != NULL ? parse_object (old->data) : json_object_new ();
  clocks = old != NULL ? parse_object (old->clocks) : json_object_new ();

  members = json_object_get_members (payload);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      const char *last = rx_json_string (clocks, name);

      if (last != NULL && g_strcmp0 (hlc, last) < 0)
        continue;
      json_object_set_member (data, name, json_node_copy (json_object_get_member (payload, name)));
      json_object_set_string_member (clocks, name, hlc);
    }

  data_text = object_text (data);
  clocks_text = object_text (clocks);
  row.entity = (char *) entity;
  row.row_id = (char *) row_id;
  row.lookup = column != NULL ? (char *) rx_json_string (data, column) : NULL;
  row.hlc = (char *) (old != NULL && g_strcmp0 (old->hlc, hlc) > 0 ? old->hlc : hlc);
  row.data = data_text;
  row.clocks = clocks_text;

  return rx_store_row_put (store, org_id, &row, error);
}
