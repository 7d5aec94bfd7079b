/* rx-chat-tracker.c: slots carried across turns. "How much is it?" after a question about
 * amoxicillin is about amoxicillin; "tomorrow at 10" after an offer of times is a booking. */
#define G_LOG_DOMAIN "rx-chat"

#include "config.h"

#include "rx-chat-tracker.h"

RxChatState *
rx_chat_state_new (const char *patient_id)
{
  RxChatState *state = g_new0 (RxChatState, 1);

  state->patient_id = g_strdup (patient_id);
  state->slots = json_object_new ();
  return state;
}

void
rx_chat_state_free (RxChatState *state)
{
  if (state == NULL)
    return;
  g_free (state->patient_id);
  g_clear_pointer (&state->slots, json_object_unref);
  g_free (state->last_intent);
  g_free (state->pending);
  g_strfreev (state->offered);
  g_free (state->last_order_id);
  g_free (state);
}

static const char * const medicine_slots[] = { "medicine", "product_id", "strength", NULL };
static const char * const medicine_intents[] = { "drug_info", "price", "availability",
                                                 "alternatives", "order", NULL };
static const char * const turn_slots[] = { "quantity", "unit", "date", "time", "choice", "yes",
                                           "no", "symptoms", "unmatched", NULL };

static gboolean
has (JsonObject *o,
     const char *name)
{
  return json_object_has_member (o, name);
}

/* Intents whose words are weak ("yes", a time, a bare medicine name) give way to the
 * question the assistant asked last. */
static void
resolve_follow_up (RxChatState *state,
                   RxChatParse *parse)
{
  JsonObject *e = parse->entities;
  gboolean weak = g_str_equal (parse->intent, "unknown") || parse->score <= 1 ||
                  (g_str_equal (parse->intent, "drug_info") && parse->score <= 0);

  if (state->pending == NULL || !weak)
    return;

  if (g_str_equal (state->pending, "appointment") &&
      (has (e, "time") || has (e, "date") || has (e, "choice") || has (e, "yes")))
    {
      g_free (parse->intent);
      parse->intent = g_strdup ("appointment");
    }
  else if (has (e, "medicine") || has (e, "quantity") ||
           (has (e, "yes") && g_str_equal (state->pending, "order")))
    {
      g_free (parse->intent);
      parse->intent = g_strdup (state->pending);
    }
}

void
rx_chat_tracker_update (RxChatState *state,
                        RxChatParse *parse)
{
  JsonObject *e;

  g_return_if_fail (state != NULL && parse != NULL);

  e = parse->entities;
  resolve_follow_up (state, parse);

  /* a new medicine replaces the old one and its strength; so does a name we do not know */
  if (has (e, "medicine") || has (e, "unmatched"))
    for (guint i = 0; medicine_slots[i]; i++)
      if (has (state->slots, medicine_slots[i]))
        json_object_remove_member (state->slots, medicine_slots[i]);

  /* values said this turn only count this turn */
  for (guint i = 0; turn_slots[i]; i++)
    if (has (state->slots, turn_slots[i]))
      json_object_remove_member (state->slots, turn_slots[i]);

  {
    g_autoptr(GList) names = json_object_get_members (e);

    for (GList *l = names; l; l = l->next)
      json_object_set_member (state->slots, l->data,
                              json_node_copy (json_object_get_member (e, l->data)));
  }

  /* the entities reported for a question about a medicine include the one carried over */
  for (guint i = 0; g_strv_contains (medicine_intents, parse->intent) && medicine_slots[i]; i++)
    if (!has (e, medicine_slots[i]) && has (state->slots, medicine_slots[i]))
      json_object_set_member (e, medicine_slots[i],
                              json_node_copy (json_object_get_member (state->slots,
                                                                      medicine_slots[i])));

  g_free (state->last_intent);
  state->last_intent = g_strdup (parse->intent);
  state->turns++;
}
