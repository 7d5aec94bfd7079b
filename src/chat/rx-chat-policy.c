/* rx-chat-policy.c: flows as data. data/chat/flows.json holds, for each intent, the slots it
 * needs, the question for each missing one ("@action" to act instead of asking) and the action
 * to take once all are there:
 *   { "flows": { "price": { "needs": ["medicine"],
 *                           "ask": { "medicine": "Which medicine do you mean?" },
 *                           "action": "price" } } }
 * A flow may carry "settings" for its action, e.g. the appointment's length and opening hours. */
#define G_LOG_DOMAIN "rx-chat"

#include "config.h"

#include "rx-chat-policy.h"

struct _RxChatPolicy
{
  JsonParser *parser;
  JsonObject *flows;
};

RxChatPolicy *
rx_chat_policy_new (const char  *flows_json,
                    GError     **error)
{
  g_autoptr(RxChatPolicy) self = g_new0 (RxChatPolicy, 1);
  JsonObject *root;

  self->parser = json_parser_new ();
  if (!json_parser_load_from_file (self->parser, flows_json, error))
    return NULL;
  root = json_node_get_object (json_parser_get_root (self->parser));
  if (root == NULL || !json_object_has_member (root, "flows"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s has no “flows” object; each intent needs a flow", flows_json);
      return NULL;
    }
  self->flows = json_object_get_object_member (root, "flows");
  return g_steal_pointer (&self);
}

void
rx_chat_policy_free (RxChatPolicy *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->parser);
  g_free (self);
}

/* Fills STEP for INTENT given the SLOTS filled; "patient" counts as filled when the patient is
 * known. Returns FALSE when no flow describes INTENT. */
gboolean
rx_chat_policy_next (RxChatPolicy *self,
                     const char   *intent,
                     JsonObject   *slots,
                     gboolean      patient_known,
                     RxChatStep   *step)
{
  JsonObject *flow, *ask;
  JsonArray *needs;

  g_return_val_if_fail (self != NULL && intent != NULL && step != NULL, FALSE);

  step->action = step->missing = step->question = NULL;
  if (!json_object_has_member (self->flows, intent))
    return FALSE;

  flow = json_object_get_object_member (self->flows, intent);
  needs = json_object_has_member (flow, "needs") ?
          json_object_get_array_member (flow, "needs") : NULL;
  ask = json_object_has_member (flow, "ask") ? json_object_get_object_member (flow, "ask") : NULL;

  for (guint i = 0; needs && i < json_array_get_length (needs); i++)
    {
      const char *slot = json_array_get_string_element (needs, i);
      gboolean filled = g_str_equal (slot, "patient") ? patient_known
                                                      : json_object_has_member (slots, slot);
      const char *what;

      if (filled)
        continue;
      what = ask && json_object_has_member (ask, slot) ?
             json_object_get_string_member (ask, slot) : NULL;
      step->missing = slot;
      if (what != NULL && what[0] == '@')
        step->action = what + 1;
      else
        step->question = what;
      return TRUE;
    }

  step->action = json_object_get_string_member_with_default (flow, "action", intent);
  return TRUE;
}

/* A flow's setting as text ("15", "08:00"), or FALLBACK when the flow does not give it. */
const char *
rx_chat_policy_get_setting (RxChatPolicy *self,
                            const char   *intent,
                            const char   *key,
                            const char   *fallback)
{
  JsonObject *flow, *settings;
  JsonNode *value;

  g_return_val_if_fail (self != NULL && intent != NULL && key != NULL, fallback);

  if (!json_object_has_member (self->flows, intent))
    return fallback;
  flow = json_object_get_object_member (self->flows, intent);
  if (!json_object_has_member (flow, "settings"))
    return fallback;
  settings = json_object_get_object_member (flow, "settings");
  value = json_object_get_member (settings, key);
  if (value == NULL || json_node_get_value_type (value) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (value);
}
