/* test-chat-policy.c: flows as data: the slot to ask for, or the action to take. */
#include "config.h"

#include "rx-chat-nlu.h"
#include "rx-chat-policy.h"
#include "rx-test-util.h"

static void
test_shipped_flows (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = rx_chat_data_path ("flows.json");
  g_autoptr(RxChatPolicy) policy = rx_chat_policy_new (path, &error);
  g_autoptr(JsonObject) slots = json_object_new ();
  RxChatStep step;

  g_assert_no_error (error);
  g_assert_true (rx_chat_policy_next (policy, "price", slots, FALSE, &step));
  g_assert_null (step.action);
  g_assert_cmpstr (step.missing, ==, "medicine");
  g_assert_nonnull (step.question);

  json_object_set_string_member (slots, "medicine", "amoxicillin");
  g_assert_true (rx_chat_policy_next (policy, "price", slots, FALSE, &step));
  g_assert_cmpstr (step.action, ==, "price");

  /* orders need to know who is chatting first */
  g_assert_true (rx_chat_policy_next (policy, "order", slots, FALSE, &step));
  g_assert_cmpstr (step.action, ==, "identify");
  g_assert_true (rx_chat_policy_next (policy, "order", slots, TRUE, &step));
  g_assert_cmpstr (step.action, ==, "order");

  /* an appointment without a time offers the free ones */
  g_assert_true (rx_chat_policy_next (policy, "appointment", slots, TRUE, &step));
  g_assert_cmpstr (step.action, ==, "offer_slots");
  json_object_set_string_member (slots, "time", "10:00");
  g_assert_true (rx_chat_policy_next (policy, "appointment", slots, TRUE, &step));
  g_assert_cmpstr (step.action, ==, "book");

  g_assert_false (rx_chat_policy_next (policy, "no-such-intent", slots, TRUE, &step));

  /* the appointment's length and hours are the clinic's to set */
  g_assert_cmpstr (rx_chat_policy_get_setting (policy, "appointment", "opening", NULL), ==, "08:00");
  g_assert_cmpstr (rx_chat_policy_get_setting (policy, "price", "opening", "x"), ==, "x");
  g_assert_cmpstr (rx_chat_policy_get_setting (policy, "nothing", "opening", "y"), ==, "y");
}

static void
test_clinic_flow (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rx_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "flows.json", NULL);
  g_autoptr(RxChatPolicy) policy = NULL;
  g_autoptr(JsonObject) slots = json_object_new ();
  RxChatStep step;

  /* a clinic that wants a date before it offers times */
  g_assert_true (g_file_set_contents (path, "{\"flows\": {\"appointment\": {\"needs\": [\"date\"],"
                                      " \"ask\": {\"date\": \"Which day?\"}, \"action\": \"book\"}}}",
                                      -1, NULL));
  policy = rx_chat_policy_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (rx_chat_policy_next (policy, "appointment", slots, TRUE, &step));
  g_assert_cmpstr (step.question, ==, "Which day?");
  rx_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chat/policy/shipped", test_shipped_flows);
  g_test_add_func ("/chat/policy/clinic", test_clinic_flow);
  return g_test_run ();
}
