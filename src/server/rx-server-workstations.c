/* rx-server-workstations.c: GET /v1/workstations and POST /v1/workstations/ID/revoke, for
 * administrators: revoking ends the workstation's tokens and refuses its logins. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include "rx-server-private.h"

/* Workstations ---------------------------------------------------------------------------- */

void
rx_server_handle_workstations (RxServer          *self,
                               SoupServerMessage *msg,
                               const char        *revoke_id)
{
  g_auto(RxCaller) caller = { NULL, };
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(RxStoreWorkstation) ws = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;

  if (!rx_server_authenticate (self, msg, &caller))
    return;
  if (caller.role != RX_ROLE_ADMIN)
    {
      rx_server_problem (msg, SOUP_STATUS_FORBIDDEN,
                         "Only an administrator may list or revoke workstations");
      return;
    }

  if (revoke_id != NULL)
    {
      ws = rx_store_workstation_get (self->store, revoke_id, &error);
      if (ws == NULL && error != NULL)
        {
          rx_server_store_failed (msg, error);
          return;
        }
      if (ws == NULL || g_strcmp0 (ws->org_id, caller.org_id) != 0)
        {
          rx_server_problem (msg, SOUP_STATUS_NOT_FOUND,
                             "There is no workstation %s in this organisation; GET "
                             "/v1/workstations lists them", revoke_id);
          return;
        }
      if (!rx_store_workstation_revoke (self->store, revoke_id, rx_server_now (), &error))
        {
          rx_server_store_failed (msg, error);
          return;
        }
      rx_server_log ("info", "msg=\"workstation revoked\" org=%s workstation=%s by=%s",
                     caller.org_id, revoke_id, caller.user_id);
    }

  list = rx_store_workstation_list (self->store, caller.org_id, &error);
  if (list == NULL)
    {
      rx_server_store_failed (msg, error);
      return;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "workstations");
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      RxStoreWorkstation *w = g_ptr_array_index (list, i);

      json_builder_begin_object (b);
      rx_json_add_string (b, "id", w->id);
      rx_json_add_string (b, "name", w->name);
      rx_json_add_string (b, "node_id", w->node_id);
      rx_json_add_time (b, "enrolled_at", w->enrolled_at);
      rx_json_add_time (b, "last_seen_at", w->last_seen_at);
      rx_json_add_time (b, "revoked_at", w->revoked_at);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  rx_server_reply_json (msg, SOUP_STATUS_OK, b);
}
