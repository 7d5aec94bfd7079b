/* rx-cli-user.c: user add, list, passwd and disable. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include <unistd.h>

#include "rx-cli.h"

static int
cmd_add (RxCli  *cli,
         int     argc,
         char  **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *role_text = NULL;
  g_autofree char *password = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) user = NULL;
  gboolean password_stdin = FALSE;
  RxRole role;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The person's full name", "NAME" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_text, "admin, doctor, pharmacist or receptionist",
      "ROLE" },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      "Read the password from standard input", NULL },
    { NULL }
  };

  if (!rx_cli_parse (cli, "user add", entries, &argc, &argv, 1, 1,
                     "USERNAME --name NAME --role admin|doctor|pharmacist|receptionist"))
    return cli->exit_code;
  if (name == NULL || role_text == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "user add needs --name NAME and --role ROLE");
  if (!rx_role_from_string (role_text, &role))
    return rx_cli_fail (cli, RX_CLI_USAGE, "role “%s” is not one of admin, doctor, pharmacist, "
                        "receptionist", role_text);

  /* At a terminal, ask; from a script without --password-stdin, the account is made without
   * a password and cannot log in until “user passwd” sets one. */
  if (password_stdin || isatty (STDIN_FILENO))
    {
      password = rx_cli_read_secret ("Password for the new user", password_stdin, &error);
      if (password == NULL)
        return rx_cli_fail_error (cli, error);
    }

  user = rx_users_add (cli->db, argv[1], name, role, password, &error);
  if (password)
    explicit_bzero (password, strlen (password));
  if (user == NULL)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      rx_cli_json_user (b, user);
      rx_cli_print_json (b);
    }
  else
    g_print ("Added %s (%s, %s)%s\n", rx_user_get_username (user), rx_user_get_full_name (user),
             rx_role_to_string (role),
             rx_user_has_password (user) ? "" : "; set a password with “user passwd” before "
                                                "they can log in");

  return RX_CLI_OK;
}

static int
cmd_list (RxCli  *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) users = NULL;
  guint n;

  if (!rx_cli_parse (cli, "user list", NULL, &argc, &argv, 0, 0, ""))
    return cli->exit_code;

  users = rx_users_list (cli->db, &error);
  if (users == NULL)
    return rx_cli_fail_error (cli, error);
  n = g_list_model_get_n_items (users);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RxUser) u = g_list_model_get_item (users, i);

          rx_cli_json_user (b, u);
        }
      json_builder_end_array (b);
      rx_cli_print_json (b);
    }
  else
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(RxUser) u = g_list_model_get_item (users, i);
        g_autofree char *name = rx_cli_pad (rx_user_get_full_name (u), 28);

        g_print ("%-16s %s %-13s %s\n", rx_user_get_username (u), name,
                 rx_role_to_string (rx_user_get_role (u)), rx_user_get_state (u));
      }

  return RX_CLI_OK;
}

static int
cmd_passwd (RxCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *password = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) user = NULL;
  gboolean password_stdin = FALSE;
  gboolean ok;
  GOptionEntry entries[] = {
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      "Read the new password from standard input", NULL },
    { NULL }
  };

  if (!rx_cli_parse (cli, "user passwd", entries, &argc, &argv, 1, 1, "USERNAME"))
    return cli->exit_code;

  user = rx_users_find (cli->db, argv[1], &error);
  if (user == NULL)
    return rx_cli_fail_error (cli, error);

  password = rx_cli_read_secret ("New password", password_stdin, &error);
  if (password == NULL)
    return rx_cli_fail_error (cli, error);

  ok = rx_users_set_password (cli->db, rx_user_get_id (user), password, &error);
  explicit_bzero (password, strlen (password));
  if (!ok)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    g_print ("{\"username\":\"%s\",\"password_set\":true}\n", rx_user_get_username (user));
  else
    g_print ("Password set for %s\n", rx_user_get_username (user));

  return RX_CLI_OK;
}

static int
cmd_disable (RxCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) user = NULL;

  if (!rx_cli_parse (cli, "user disable", NULL, &argc, &argv, 1, 1, "USERNAME"))
    return cli->exit_code;

  user = rx_users_find (cli->db, argv[1], &error);
  if (user == NULL || !rx_users_disable (cli->db, rx_user_get_id (user), &error))
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    g_print ("{\"username\":\"%s\",\"state\":\"disabled\"}\n", rx_user_get_username (user));
  else
    g_print ("Disabled %s; their signed work stays valid\n", rx_user_get_username (user));

  return RX_CLI_OK;
}

const RxCliCommand rx_cli_user_commands[] = {
  { "user", "add", "USERNAME --name NAME --role admin|doctor|pharmacist|receptionist "
    "[--password-stdin]", "Add a user account (one per person)", TRUE, cmd_add },
  { "user", "list", "", "List users with their roles and states", TRUE, cmd_list },
  { "user", "passwd", "USERNAME [--password-stdin]", "Set a user's password", TRUE, cmd_passwd },
  { "user", "disable", "USERNAME", "Disable an account (accounts are never deleted)",
    TRUE, cmd_disable },
  { NULL }
};
