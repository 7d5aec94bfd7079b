/* rx-cli-user.c: user add, list, passwd and disable, and the second factor: totp-enrol (with
 * a QR code on a terminal) and totp-check. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <qrencode.h>

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

/* Second factor ------------------------------------------------------------------------- */

#define QR_MARGIN 4  /* the quiet zone, in modules, that scanners expect around the code */

static gboolean
qr_dark (const QRcode *qr,
         int           x,
         int           y)
{
  if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
    return FALSE;
  return qr->data[y * qr->width + x] & 1;
}

/* The QR code drawn with Unicode half blocks, two rows of modules to a line so the modules come
 * out square, black on white whatever the terminal's own colours, so a phone can scan it. */
static void
print_qr (const char *text)
{
  QRcode *qr = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  GString *out;
  int size;

  if (qr == NULL)
    {
      g_printerr ("rxdesk-cli: the QR code could not be drawn; type the secret from the URI "
                  "below into the authenticator app instead\n");
      return;
    }

  size = qr->width + 2 * QR_MARGIN;
  /* sized once, never grown: a resized buffer would leave a copy of the picture behind */
  out = g_string_sized_new ((gsize) (size / 2 + 1) * ((gsize) size * 3 + 16));
  for (int y = 0; y < size; y += 2)
    {
      g_string_append (out, "\033[30;107m");
      for (int x = 0; x < size; x++)
        {
          gboolean top = qr_dark (qr, x - QR_MARGIN, y - QR_MARGIN);
          gboolean bottom = qr_dark (qr, x - QR_MARGIN, y + 1 - QR_MARGIN);

          g_string_append (out, top && bottom ? "█" : top ? "▀" : bottom ? "▄" : " ");
        }
      g_string_append (out, "\033[0m\n");
    }
  fputs (out->str, stdout);
  fflush (stdout);

  explicit_bzero (out->str, out->len);
  g_string_free (out, TRUE);
  explicit_bzero (qr->data, (gsize) qr->width * qr->width);
  QRcode_free (qr);
}

static int
cmd_totp_enrol (RxCli  *cli,
                int     argc,
                char  **argv)
{
  g_autofree char *password = NULL;
  g_autofree char *prompt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) user = NULL;
  char *uri = NULL;
  gboolean password_stdin = FALSE;
  gboolean ok;
  GOptionEntry entries[] = {
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      "Read the user's password from standard input", NULL },
    { NULL }
  };

  if (!rx_cli_parse (cli, "user totp-enrol", entries, &argc, &argv, 1, 1, "USERNAME"))
    return cli->exit_code;

  user = rx_users_find (cli->db, argv[1], &error);
  if (user == NULL)
    return rx_cli_fail_error (cli, error);

  prompt = g_strdup_printf ("Password of %s", rx_user_get_username (user));
  password = rx_cli_read_secret (prompt, password_stdin, &error);
  if (password == NULL)
    return rx_cli_fail_error (cli, error);

  ok = rx_totp_enrol (cli->db, rx_user_get_id (user), password, &uri, &error);
  explicit_bzero (password, strlen (password));
  if (!ok)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "username");
      json_builder_add_string_value (b, rx_user_get_username (user));
      json_builder_set_member_name (b, "uri");
      json_builder_add_string_value (b, uri);
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else if (isatty (STDOUT_FILENO))
    {
      g_print ("Scan this with the authenticator app on %s’s phone:\n\n",
               rx_user_get_username (user));
      print_qr (uri);
      g_print ("\nor add this to the app by hand:\n%s\n\n"
               "Then check a code with “rxdesk-cli user totp-check %s”. Anyone who sees this "
               "code can make codes too: clear the screen when done.\n",
               uri, rx_user_get_username (user));
    }
  else
    g_print ("%s\n", uri);  /* just the URI, for a QR tool or a provisioning script */

  explicit_bzero (uri, strlen (uri));
  g_free (uri);

  return RX_CLI_OK;
}

static int
cmd_totp_check (RxCli  *cli,
                int     argc,
                char  **argv)
{
  g_autofree char *password = NULL;
  g_autofree char *code = NULL;
  g_autofree char *prompt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) user = NULL;
  gboolean password_stdin = FALSE;
  gboolean ok;
  GOptionEntry entries[] = {
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      "Read the password, then the code, one a line from standard input", NULL },
    { NULL }
  };

  if (!rx_cli_parse (cli, "user totp-check", entries, &argc, &argv, 1, 1, "USERNAME"))
    return cli->exit_code;

  user = rx_users_find (cli->db, argv[1], &error);
  if (user == NULL)
    return rx_cli_fail_error (cli, error);

  prompt = g_strdup_printf ("Password of %s", rx_user_get_username (user));
  password = rx_cli_read_secret (prompt, password_stdin, &error);
  if (password != NULL)
    code = rx_cli_read_secret ("Code from the authenticator app", password_stdin, &error);
  if (code == NULL)
    {
      if (password != NULL)
        explicit_bzero (password, strlen (password));
      return rx_cli_fail_error (cli, error);
    }

  ok = rx_totp_verify (cli->db, rx_user_get_id (user), password, code, &error);
  explicit_bzero (password, strlen (password));
  explicit_bzero (code, strlen (code));
  if (!ok)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    g_print ("{\"username\":\"%s\",\"accepted\":true}\n", rx_user_get_username (user));
  else
    g_print ("Code accepted for %s\n", rx_user_get_username (user));

  return RX_CLI_OK;
}

const RxCliCommand rx_cli_user_commands[] = {
  { "user", "add", "USERNAME --name NAME --role admin|doctor|pharmacist|receptionist "
    "[--password-stdin]", "Add a user account (one per person)", TRUE, cmd_add },
  { "user", "list", "", "List users with their roles and states", TRUE, cmd_list },
  { "user", "passwd", "USERNAME [--password-stdin]", "Set a user's password", TRUE, cmd_passwd },
  { "user", "disable", "USERNAME", "Disable an account (accounts are never deleted)",
    TRUE, cmd_disable },
  { "user", "totp-enrol", "USERNAME [--password-stdin]",
    "Enrol an authenticator app (second factor); prints its otpauth URI, and a QR code on a "
    "terminal", TRUE, cmd_totp_enrol },
  { "user", "totp-check", "USERNAME [--password-stdin]",
    "Check a code from the authenticator app (password, then code, one a line)",
    TRUE, cmd_totp_check },
  { NULL }
};
