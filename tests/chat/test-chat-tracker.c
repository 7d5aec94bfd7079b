/* test-chat-tracker.c: slots carried across turns, and follow-ups resolved to the question
 * asked last. */
#include "config.h"

#include "rx-chat-tracker.h"

static RxChatParse *
parse_of (const char *intent,
          int         score)
{
  RxChatParse *parse = g_new0 (RxChatParse, 1);

  parse->intent = g_strdup (intent);
  parse->score = score;
  parse->entities = json_object_new ();
  return parse;
}

static void
test_carry_medicine (void)
{
  g_autoptr(RxChatState) state = rx_chat_state_new ("patient-1");
  g_autoptr(RxChatParse) first = parse_of ("drug_info", 4);
  g_autoptr(RxChatParse) second = parse_of ("price", 4);
  g_autoptr(RxChatParse) third = parse_of ("drug_info", 2);

  json_object_set_string_member (first->entities, "medicine", "amoxicillin");
  json_object_set_string_member (first->entities, "strength", "500 mg");
  rx_chat_tracker_update (state, first);
  rx_chat_tracker_update (state, second);
  /* "how much is it?" is about amoxicillin */
  g_assert_cmpstr (json_object_get_string_member (second->entities, "medicine"), ==,
                   "amoxicillin");
  g_assert_cmpstr (state->last_intent, ==, "price");

  /* a new medicine replaces the old one and its strength */
  json_object_set_string_member (third->entities, "medicine", "metformin");
  rx_chat_tracker_update (state, third);
  g_assert_cmpstr (json_object_get_string_member (state->slots, "medicine"), ==, "metformin");
  g_assert_false (json_object_has_member (state->slots, "strength"));
  g_assert_cmpuint (state->turns, ==, 3);
  g_assert_cmpstr (state->patient_id, ==, "patient-1");
}

static void
test_follow_up (void)
{
  g_autoptr(RxChatState) state = rx_chat_state_new (NULL);
  g_autoptr(RxChatParse) answer = parse_of ("unknown", 0);
  g_autoptr(RxChatParse) medicine = parse_of ("drug_info", 0);
  g_autoptr(RxChatParse) later = parse_of ("greeting", 2);

  /* "the first one" after an offer of times is the appointment */
  state->pending = g_strdup ("appointment");
  json_object_set_int_member (answer->entities, "choice", 1);
  rx_chat_tracker_update (state, answer);
  g_assert_cmpstr (answer->intent, ==, "appointment");

  /* "ibuprofen" after "which medicine do you want the price of?" is the price */
  g_free (state->pending);
  state->pending = g_strdup ("price");
  json_object_set_string_member (medicine->entities, "medicine", "ibuprofen");
  rx_chat_tracker_update (state, medicine);
  g_assert_cmpstr (medicine->intent, ==, "price");

  /* turn values do not outlive their turn */
  rx_chat_tracker_update (state, later);
  g_assert_false (json_object_has_member (state->slots, "choice"));
  g_assert_true (json_object_has_member (state->slots, "medicine"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chat/tracker/carry-medicine", test_carry_medicine);
  g_test_add_func ("/chat/tracker/follow-up", test_follow_up);
  return g_test_run ();
}
