/* rx-cli-feedback.c: feedback add and list. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include "rx-cli.h"

static int
cmd_add (RxCli  *cli,
         int     argc,
         char  **argv)
{
  int rating = 0;
  g_autofree char *about = NULL;
  g_autofree char *text = NULL;
  g_autofree char *author = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = NULL;
  GOptionEntry entries[] = {
    { "rating", 0, 0, G_OPTION_ARG_INT, &rating, "From 1 (poor) to 5 (excellent)", "1-5" },
    { "about", 0, 0, G_OPTION_ARG_STRING, &about,
      "What it is about: visit:ID, prescription:ID, order:ID or app", "KIND:ID" },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, "The comment", "TEXT" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &author, "doctor, patient or staff (default staff)",
      "WHO" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "feedback add", entries, &argc, &argv, 0, 0,
                     "--rating 1-5 [--about KIND:ID] --text TEXT"))
    return cli->exit_code;
  if (rating == 0 || text == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "feedback add needs --rating 1-5 and --text TEXT");

  if (about != NULL)
    {
      parts = g_strsplit (about, ":", 2);
      if (parts[1] == NULL && g_strcmp0 (parts[0], "app") != 0)
        return rx_cli_fail (cli, RX_CLI_USAGE, "--about takes KIND:ID, e.g. prescription:ID, or "
                            "app for the program itself");
      if (g_strcmp0 (parts[0], "app") == 0)
        g_clear_pointer (&parts[1], g_free);
    }

  id = rx_feedback_add (cli->db, rating, parts ? parts[0] : NULL, parts ? parts[1] : NULL, text,
                        author ? author : "staff", NULL, &error);
  if (id == NULL)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    g_print ("{\"id\":\"%s\"}\n", id);
  else
    g_print ("Thank you: feedback %s recorded\n", id);

  return RX_CLI_OK;
}

static int
cmd_list (RxCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *state = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) error = NULL;
  int limit = 50;
  guint n;
  GOptionEntry entries[] = {
    { "state", 0, 0, G_OPTION_ARG_STRING, &state, "new, acknowledged or replied", "STATE" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "At most this many, newest first", "N" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "feedback list", entries, &argc, &argv, 0, 0, "[--state S]"))
    return cli->exit_code;
  if (limit <= 0 || limit > 10000)
    return rx_cli_fail (cli, RX_CLI_USAGE, "--limit must be from 1 to 10 000");

  list = rx_feedback_list (cli->db, state, limit, &error);
  if (list == NULL)
    return rx_cli_fail_error (cli, error);
  n = g_list_model_get_n_items (list);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RxFeedback) f = g_list_model_get_item (list, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, rx_feedback_get_id (f));
          json_builder_set_member_name (b, "rating");
          json_builder_add_int_value (b, rx_feedback_get_rating (f));
          json_builder_set_member_name (b, "about_kind");
          json_builder_add_string_value (b, rx_feedback_get_about_kind (f));
          json_builder_set_member_name (b, "about_id");
          json_builder_add_string_value (b, rx_feedback_get_about_id (f));
          json_builder_set_member_name (b, "text");
          json_builder_add_string_value (b, rx_feedback_get_text (f));
          json_builder_set_member_name (b, "from");
          json_builder_add_string_value (b, rx_feedback_get_author_kind (f));
          json_builder_set_member_name (b, "state");
          json_builder_add_string_value (b, rx_feedback_get_state (f));
          json_builder_set_member_name (b, "created_at");
          json_builder_add_string_value (b, rx_feedback_get_created_at (f));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      rx_cli_print_json (b);
    }
  else
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(RxFeedback) f = g_list_model_get_item (list, i);

        g_print ("%s  %d/5  %-12s %s\n", rx_feedback_get_created_at (f),
                 rx_feedback_get_rating (f), rx_feedback_get_state (f), rx_feedback_get_text (f));
      }

  return RX_CLI_OK;
}

const RxCliCommand rx_cli_feedback_commands[] = {
  { "feedback", "add", "--rating 1-5 [--about KIND:ID] --text TEXT",
    "Record feedback about a visit, a prescription, an order or the app", TRUE, cmd_add },
  { "feedback", "list", "[--state S]", "List feedback, newest first", TRUE, cmd_list },
  { NULL }
};
