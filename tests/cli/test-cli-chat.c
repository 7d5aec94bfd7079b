/* test-cli-chat.c: rxdesk-cli chat end to end: one message a line in, one reply a line out,
 * the conversation kept across lines, red flags raising an alert. */
#include "config.h"

#include <string.h>

#include "cli-harness.h"

static JsonObject *
line_object (GPtrArray  *keep,
             char      **lines,
             guint       i)
{
  g_autoptr(GError) error = NULL;
  JsonParser *parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
  g_assert_no_error (error);
  g_ptr_array_add (keep, parser);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_chat_json (Cli           *cli,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *patient = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *o;

  cli_init_clinic (cli);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "patient", "add", "--name", "Mensah, Ama",
                            "--dob", "1980-05-02", "--allergy", "penicillins", "--json", NULL),
                   ==, 0);
  patient = cli_json_id (cli);

  g_assert_cmpint (cli_run (cli,
                            "hello\n"
                            "what is amoxicilin used for?\n"
                            "how much is it?\n"
                            "\n"
                            "order 2 packs of paracetamol\n"
                            "where is my order\n"
                            "my father is choking\n",
                            "--db", cli->db, "chat", "--patient", patient, "--json", NULL), ==, 0);
  lines = g_strsplit (g_strchomp (cli->out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);

  o = line_object (keep, lines, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "intent"), ==, "greeting");
  g_assert_false (json_object_get_boolean_member (o, "emergency"));
  g_assert_true (json_object_has_member (o, "entities"));
  g_assert_true (json_object_has_member (o, "actions"));

  o = line_object (keep, lines, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "intent"), ==, "drug_info");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "entities"),
                                                  "medicine"), ==, "amoxicillin");

  /* the conversation is kept across lines: "it" is amoxicillin */
  o = line_object (keep, lines, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "intent"), ==, "price");
  g_assert_nonnull (strstr (json_object_get_string_member (o, "reply"), "amoxicillin"));

  o = line_object (keep, lines, 3);
  g_assert_cmpstr (json_object_get_string_member (o, "intent"), ==, "order");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "actions")), ==, 1);

  o = line_object (keep, lines, 4);
  g_assert_cmpstr (json_object_get_string_member (o, "intent"), ==, "order_status");

  o = line_object (keep, lines, 5);
  g_assert_cmpstr (json_object_get_string_member (o, "intent"), ==, "emergency");
  g_assert_true (json_object_get_boolean_member (o, "emergency"));
  g_assert_nonnull (strstr (json_object_get_string_member (o, "reply"), "112"));
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (o, "actions"), 0),
                     "type"), ==, "alert");
}

static void
test_chat_text (Cli           *cli,
                gconstpointer  data)
{
  cli_init_clinic (cli);
  g_assert_cmpint (cli_run (cli, "hi\nI want to order ibuprofen\n", "--db", cli->db, "chat", NULL),
                   ==, 0);
  g_assert_true (g_str_has_prefix (cli->out, "assistant: Hello"));
  /* no patient given: orders need to know who is chatting */
  g_assert_nonnull (strstr (cli->out, "\nassistant: I need to know who you are"));

  g_assert_cmpint (cli_run (cli, "hi\n", "--db", cli->db, "chat", "--patient", "nobody", NULL),
                   ==, 1);
  g_assert_true (g_str_has_prefix (cli->err, "rxdesk-cli: "));
}

static void
add_tests (void)
{
  CLI_TEST ("/cli/chat/json", test_chat_json);
  CLI_TEST ("/cli/chat/text", test_chat_text);
}

int
main (int   argc,
      char *argv[])
{
  return cli_main (argc, argv, add_tests);
}
