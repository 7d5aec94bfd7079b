/* rx-chat-engine.c: (state, utterance, knowledge) -> (new state, reply, actions). Red flags
 * first, always; then understanding, the dialogue state, the flow's next step and a reply. */
#define G_LOG_DOMAIN "rx-chat"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rx-chat-engine-private.h"

RxChatEngine *
rx_chat_engine_new (RxDb    *db,
                    GError **error)
{
  g_autoptr(RxChatEngine) self = g_new0 (RxChatEngine, 1);
  g_autofree char *intents = rx_chat_data_path ("intents.json");
  g_autofree char *flags = rx_chat_data_path ("red-flags.json");
  g_autofree char *flows = rx_chat_data_path ("flows.json");
  g_autofree char *atc = rx_chat_data_path ("atc-groups.json");

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  self->db = g_object_ref (db);
  if ((self->emergency = rx_chat_emergency_new (flags, error)) == NULL ||
      (self->nlu = rx_chat_nlu_new (db, intents, error)) == NULL ||
      (self->policy = rx_chat_policy_new (flows, error)) == NULL ||
      (self->answer = rx_chat_answer_new (atc, error)) == NULL ||
      !_rx_chat_load_knowledge (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

void
rx_chat_engine_free (RxChatEngine *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->db);
  g_clear_pointer (&self->nlu, rx_chat_nlu_free);
  g_clear_pointer (&self->emergency, rx_chat_emergency_free);
  g_clear_pointer (&self->policy, rx_chat_policy_free);
  g_clear_pointer (&self->answer, rx_chat_answer_free);
  g_clear_pointer (&self->groups, g_hash_table_unref);
  g_clear_pointer (&self->allergy_classes, g_hash_table_unref);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_free (self->default_number);
  g_free (self);
}

/* Fixes the clock the engine reads "tomorrow" against (NULL: the real clock). */
void
rx_chat_engine_set_now (RxChatEngine *self,
                        GDateTime    *now)
{
  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = now ? g_date_time_ref (now) : NULL;
}

/* The number to call when the clinic has not set its own (its "emergency_number"): the
 * workstation's, say. NULL or "" leaves 112. */
void
rx_chat_engine_set_default_emergency_number (RxChatEngine *self,
                                             const char   *number)
{
  g_return_if_fail (self != NULL);

  g_free (self->default_number);
  self->default_number = number != NULL && *number != '\0' ? g_strdup (number) : NULL;
}

GDateTime *
_rx_chat_engine_now (RxChatEngine *self)
{
  return self->now ? g_date_time_ref (self->now) : g_date_time_new_now_utc ();
}

void
rx_chat_turn_free (RxChatTurn *turn)
{
  if (turn == NULL)
    return;
  g_free (turn->intent);
  g_clear_pointer (&turn->entities, json_object_unref);
  g_free (turn->reply);
  g_clear_pointer (&turn->actions, json_array_unref);
  g_free (turn);
}

void
_rx_chat_add_action (RxChatTurn *turn,
                     const char *type,
                     const char *id)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "type", type);
  if (id != NULL)
    json_object_set_string_member (o, "id", id);
  json_array_add_object_element (turn->actions, o);
}

/* {"intent":…,"emergency":…,"entities":{…},"reply":…,"actions":[…]} */
JsonNode *
rx_chat_turn_to_json (RxChatTurn *turn)
{
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (o, "intent", turn->intent);
  json_object_set_boolean_member (o, "emergency", turn->emergency);
  json_object_set_object_member (o, "entities", json_object_ref (turn->entities));
  json_object_set_string_member (o, "reply", turn->reply);
  json_object_set_array_member (o, "actions", json_array_ref (turn->actions));
  json_node_take_object (node, o);
  return node;
}

static char *
emergency_number (RxChatEngine *self)
{
  char *number = rx_db_get_meta (self->db, "emergency_number");

  if (number == NULL || *number == '\0')
    {
      g_free (number);
      return g_strdup (self->default_number ? self->default_number : "112");
    }
  return number;
}

static gboolean
handle_emergency (RxChatEngine *self,
                  RxChatState  *state,
                  const char   *utterance,
                  RxChatTurn   *turn,
                  GError      **error)
{
  const char *category = rx_chat_emergency_detect (self->emergency, utterance);
  g_autofree char *number = NULL;
  g_autofree char *message = NULL;
  g_autofree char *alert = NULL;

  if (category == NULL)
    return FALSE;

  number = emergency_number (self);
  turn->intent = g_strdup ("emergency");
  turn->emergency = TRUE;
  json_object_set_string_member (turn->entities, "category", category);
  turn->reply = rx_chat_answer_emergency (rx_chat_emergency_get_title (self->emergency, category),
                                          rx_chat_emergency_get_steps (self->emergency, category),
                                          number);
  /* alert messages hold at most 1000 characters: the start of a long message says enough */
  message = g_strdup_printf ("Assistant red flag (%s): %.600s", category, utterance);
  if (!g_utf8_validate (message, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (message, -1);

      g_free (message);
      message = g_steal_pointer (&valid);
    }
  alert = rx_alerts_raise (self->db, "emergency", "critical", state->patient_id, message, error);
  if (alert == NULL)
    {
      /* the reply stands even when the alert could not be stored */
      g_warning ("Could not raise the emergency alert: %s",
                 error && *error ? (*error)->message : "unknown error");
      g_clear_error (error);
    }
  else
    _rx_chat_add_action (turn, "alert", alert);
  _rx_chat_add_action (turn, "call", number);

  g_clear_pointer (&state->pending, g_free);
  g_free (state->last_intent);
  state->last_intent = g_strdup ("emergency");
  state->turns++;
  return TRUE;
}

/* The products the slots point at: every product of the medicine, narrowed to the strength
 * asked for when one matches. */
GListModel *
_rx_chat_slot_products (RxChatEngine *self,
               JsonObject   *slots)
{
  const char *medicine = json_object_get_string_member_with_default (slots, "medicine", NULL);
  const char *strength = json_object_get_string_member_with_default (slots, "strength", NULL);
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListStore) narrowed = g_list_store_new (RX_TYPE_PRODUCT);

  if (medicine == NULL)
    return NULL;
  all = rx_formulary_lookup (self->db, medicine, NULL);
  if (all == NULL || g_list_model_get_n_items (all) == 0)
    return NULL;
  for (guint i = 0; strength && i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(RxProduct) p = g_list_model_get_item (all, i);

      if (g_ascii_strcasecmp (rx_product_get_strength (p), strength) == 0)
        g_list_store_append (narrowed, p);
    }
  if (g_list_model_get_n_items (G_LIST_MODEL (narrowed)) > 0)
    return G_LIST_MODEL (g_steal_pointer (&narrowed));
  return g_steal_pointer (&all);
}

static char *
run_action (RxChatEngine *self,
            RxChatState  *state,
            RxChatTurn   *turn,
            const char   *action)
{
  g_autoptr(GListModel) products = NULL;

  if (g_str_equal (action, "drug_info") || g_str_equal (action, "price") ||
      g_str_equal (action, "availability"))
    {
      products = _rx_chat_slot_products (self, state->slots);
      if (products == NULL)
        return g_strdup (_("I could not find that medicine in our formulary. Could you check "
                           "the spelling?"));
      if (g_str_equal (action, "drug_info"))
        return rx_chat_answer_drug_info (self->answer, products);
      if (g_str_equal (action, "price"))
        return rx_chat_answer_price (self->answer, products);
      return rx_chat_answer_availability (self->answer, products);
    }
  if (g_str_equal (action, "alternatives"))
    return _rx_chat_alternatives (self, state, turn);
  if (g_str_equal (action, "order"))
    return _rx_chat_order (self, state, turn);
  if (g_str_equal (action, "order_status"))
    return _rx_chat_order_status (self, state, turn);
  if (g_str_equal (action, "offer_slots"))
    return _rx_chat_offer_slots (self, state, turn);
  if (g_str_equal (action, "book"))
    return _rx_chat_book (self, state, turn);
  if (g_str_equal (action, "identify"))
    return g_strdup (_("I need to know who you are for that. Please ask the clinic staff to "
                       "open the assistant under your patient record."));
  return rx_chat_answer_simple (turn->intent);
}

/**
 * rx_chat_engine_reply:
 * @state: the conversation so far; updated
 * @utterance: what the person wrote
 *
 * Returns: (transfer full): the turn, or %NULL with @error set when the clinic could not be
 *   read
 */
RxChatTurn *
rx_chat_engine_reply (RxChatEngine  *self,
                      RxChatState   *state,
                      const char    *utterance,
                      GError       **error)
{
  g_autoptr(RxChatTurn) turn = g_new0 (RxChatTurn, 1);
  g_autoptr(RxChatParse) parse = NULL;
  g_autoptr(GDateTime) now = NULL;
  RxChatStep step;

  g_return_val_if_fail (self != NULL && state != NULL && utterance != NULL, NULL);

  turn->entities = json_object_new ();
  turn->actions = json_array_new ();

  /* red flags before anything else, whatever the conversation was about */
  if (handle_emergency (self, state, utterance, turn, error))
    return g_steal_pointer (&turn);

  now = _rx_chat_engine_now (self);
  parse = rx_chat_nlu_parse (self->nlu, utterance, now);
  rx_chat_tracker_update (state, parse);
  turn->intent = g_strdup (parse->intent);
  json_object_unref (turn->entities);
  turn->entities = json_object_ref (parse->entities);

  if (!rx_chat_policy_next (self->policy, turn->intent, state->slots, state->patient_id != NULL,
                            &step))
    {
      turn->reply = rx_chat_answer_simple (turn->intent);
      g_clear_pointer (&state->pending, g_free);
    }
  else if (g_strcmp0 (step.missing, "medicine") == 0 &&
           json_object_has_member (turn->entities, "unmatched"))
    {
      const char *name = json_object_get_string_member (turn->entities, "unmatched");
      g_auto(GStrv) near = rx_formulary_suggest (self->db, name, 3);
      g_autofree char *joined = near && near[0] ? g_strjoinv (", ", near) : NULL;

      turn->reply = joined ? g_strdup_printf (_("I could not find “%s” in our formulary. Did you "
                                                "mean: %s?"), name, joined)
                           : g_strdup_printf (_("I could not find “%s” in our formulary. Could "
                                                "you check the spelling?"), name);
      g_free (state->pending);
      state->pending = g_strdup (turn->intent);
      _rx_chat_add_action (turn, "ask", step.missing);
    }
  else if (step.action == NULL)
    {
      turn->reply = g_strdup (step.question ? g_dgettext (GETTEXT_PACKAGE, step.question)
                                            : _("Could you tell me a little more?"));
      g_free (state->pending);
      state->pending = g_strdup (turn->intent);
      _rx_chat_add_action (turn, "ask", step.missing);
    }
  else
    {
      g_clear_pointer (&state->pending, g_free);
      turn->reply = run_action (self, state, turn, step.action);
    }

  return g_steal_pointer (&turn);
}
