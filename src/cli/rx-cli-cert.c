/* rx-cli-cert.c: cert list, revoke and issue: the clinic's certificate authority and its
 * doctors' signing certificates. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include <string.h>

#include "rx-cli.h"

static void
json_certificate (JsonBuilder   *b,
                  RxCertificate *c)
{
  json_builder_begin_object (b);
#define STR(key, value) \
  json_builder_set_member_name (b, key); \
  json_builder_add_string_value (b, value);
  STR ("id", rx_certificate_get_id (c));
  STR ("kind", rx_certificate_get_kind (c));
  STR ("user_id", rx_certificate_get_user_id (c));
  STR ("username", rx_certificate_get_username (c));
  STR ("serial", rx_certificate_get_serial (c));
  STR ("subject", rx_certificate_get_subject (c));
  STR ("not_before", rx_certificate_get_not_before (c));
  STR ("not_after", rx_certificate_get_not_after (c));
  STR ("revoked_at", rx_certificate_get_revoked_at (c));
  STR ("revoke_reason", rx_certificate_get_revoke_reason (c));
#undef STR
  json_builder_end_object (b);
}

static void
print_certificate (RxCertificate *c)
{
  const char *who = rx_certificate_get_username (c);

  g_print ("%-16s %-8s %s  until %.10s%s%s\n",
           who ? who : "(clinic)", rx_certificate_get_kind (c), rx_certificate_get_serial (c),
           rx_certificate_get_not_after (c),
           rx_certificate_get_revoked_at (c) ? "  revoked " : "",
           rx_certificate_get_revoked_at (c) ? rx_certificate_get_revoked_at (c) : "");
  if (rx_certificate_get_revoke_reason (c))
    g_print ("    reason: %s\n", rx_certificate_get_revoke_reason (c));
}

static int
print_one (RxCli         *cli,
           RxCertificate *c,
           const char    *what)
{
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_certificate (b, c);
      rx_cli_print_json (b);
    }
  else
    {
      g_print ("%s\n", what);
      print_certificate (c);
    }

  return RX_CLI_OK;
}

static int
cmd_list (RxCli  *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(GListModel) certs = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  if (!rx_cli_parse (cli, "cert list", NULL, &argc, &argv, 0, 0, ""))
    return cli->exit_code;

  certs = rx_certs_list (cli->db, &error);
  if (certs == NULL)
    return rx_cli_fail_error (cli, error);
  n = g_list_model_get_n_items (certs);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RxCertificate) c = g_list_model_get_item (certs, i);

          json_certificate (b, c);
        }
      json_builder_end_array (b);
      rx_cli_print_json (b);
    }
  else
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(RxCertificate) c = g_list_model_get_item (certs, i);

        print_certificate (c);
      }

  return RX_CLI_OK;
}

/* Without --as, the command acts as whoever may open the clinic file, like the other account
 * commands; with --as, only after that administrator's password, and in their name. */
static gboolean
act_as_admin (RxCli       *cli,
              const char  *as,
              gboolean     password_stdin,
              GError     **error)
{
  g_autofree char *password = NULL;
  g_autoptr(RxUser) admin = NULL;

  if (as == NULL)
    return TRUE;

  password = rx_cli_read_secret ("Administrator's password", password_stdin, error);
  if (password == NULL)
    return FALSE;
  admin = rx_users_authenticate (cli->db, as, password, error);
  explicit_bzero (password, strlen (password));
  if (admin == NULL || !rx_user_can (admin, RX_ACTION_USER_ADMIN, error))
    return FALSE;

  rx_db_set_actor (cli->db, rx_user_get_id (admin));
  return TRUE;
}

static int
cmd_revoke (RxCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *reason = NULL;
  g_autofree char *as = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RxCertificate) cert = NULL;
  gboolean password_stdin = FALSE;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      "Why (shown to pharmacists who check this doctor's prescriptions)", "TEXT" },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, "Act as this administrator", "USERNAME" },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      "Read the administrator's password from standard input", NULL },
    { NULL }
  };

  if (!rx_cli_parse (cli, "cert revoke", entries, &argc, &argv, 1, 1,
                     "USERNAME --reason TEXT [--as ADMIN [--password-stdin]]"))
    return cli->exit_code;
  if (reason == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "cert revoke needs --reason TEXT; pharmacists see it "
                        "when they check this doctor's prescriptions");

  if (!act_as_admin (cli, as, password_stdin, &error))
    return rx_cli_fail_error (cli, error);

  cert = rx_certs_revoke_user (cli->db, argv[1], reason, &error);
  if (cert == NULL)
    return rx_cli_fail_error (cli, error);

  return print_one (cli, cert, "Revoked; every prescription signed with it now fails “rx verify”:");
}

static int
cmd_issue (RxCli  *cli,
           int     argc,
           char  **argv)
{
  g_autofree char *as = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) user = NULL;
  g_autoptr(RxCertificate) cert = NULL;
  gboolean password_stdin = FALSE;
  GOptionEntry entries[] = {
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, "Act as this administrator", "USERNAME" },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      "Read the administrator's password from standard input", NULL },
    { NULL }
  };

  if (!rx_cli_parse (cli, "cert issue", entries, &argc, &argv, 1, 1,
                     "USERNAME [--as ADMIN [--password-stdin]]"))
    return cli->exit_code;

  if (!act_as_admin (cli, as, password_stdin, &error))
    return rx_cli_fail_error (cli, error);

  user = rx_users_find (cli->db, argv[1], &error);
  if (user == NULL)
    return rx_cli_fail_error (cli, error);
  cert = rx_certs_issue_for_user (cli->db, rx_user_get_id (user), &error);
  if (cert == NULL)
    return rx_cli_fail_error (cli, error);

  return print_one (cli, cert, "Issued; its key's passphrase is in this computer's keyring:");
}

static int
cmd_backup_ca (RxCli  *cli,
               int     argc,
               char  **argv)
{
  g_autofree char *to = NULL;
  g_autofree char *passphrase = NULL;
  g_autoptr(GError) error = NULL;
  gboolean from_stdin = FALSE, ok;
  GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &to, "The backup file (must not exist)", "FILE" },
    { "passphrase-stdin", 0, 0, G_OPTION_ARG_NONE, &from_stdin,
      "Read the backup's passphrase from standard input", NULL },
    { NULL }
  };

  if (!rx_cli_parse (cli, "cert backup-ca", entries, &argc, &argv, 0, 0,
                     "--to FILE [--passphrase-stdin]"))
    return cli->exit_code;
  if (to == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "cert backup-ca needs --to FILE");

  passphrase = rx_cli_read_secret ("Passphrase for the CA backup", from_stdin, &error);
  if (passphrase == NULL)
    return rx_cli_fail_error (cli, error);
  ok = rx_certs_export_ca (cli->db, to, passphrase, &error);
  explicit_bzero (passphrase, strlen (passphrase));
  if (!ok)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    g_print ("{\"backup\":true}\n");
  else
    g_print ("The clinic's CA key is in %s, encrypted with your passphrase.\n"
             "Keep the file and the passphrase apart, away from this workstation.\n", to);

  return RX_CLI_OK;
}

static int
cmd_restore_ca (RxCli  *cli,
                int     argc,
                char  **argv)
{
  g_autofree char *from = NULL;
  g_autofree char *passphrase = NULL;
  g_autoptr(GError) error = NULL;
  gboolean from_stdin = FALSE, ok;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from, "The CA backup", "FILE" },
    { "passphrase-stdin", 0, 0, G_OPTION_ARG_NONE, &from_stdin,
      "Read the backup's passphrase from standard input", NULL },
    { NULL }
  };

  if (!rx_cli_parse (cli, "cert restore-ca", entries, &argc, &argv, 0, 0,
                     "--from FILE [--passphrase-stdin]"))
    return cli->exit_code;
  if (from == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "cert restore-ca needs --from FILE");

  passphrase = rx_cli_read_secret ("Passphrase of the CA backup", from_stdin, &error);
  if (passphrase == NULL)
    return rx_cli_fail_error (cli, error);
  ok = rx_certs_import_ca (cli->db, from, passphrase, &error);
  explicit_bzero (passphrase, strlen (passphrase));
  if (!ok)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    g_print ("{\"restored\":true}\n");
  else
    g_print ("This workstation can issue certificates for the clinic again\n");

  return RX_CLI_OK;
}

const RxCliCommand rx_cli_cert_commands[] = {
  { "cert", "backup-ca", "--to FILE [--passphrase-stdin]",
    "Export the clinic CA's key, encrypted with a passphrase you choose", TRUE, cmd_backup_ca },
  { "cert", "restore-ca", "--from FILE [--passphrase-stdin]",
    "Let this workstation issue certificates again from a CA backup", TRUE, cmd_restore_ca },
  { "cert", "list", "", "List the clinic's CA and the doctors' signing certificates",
    TRUE, cmd_list },
  { "cert", "revoke", "USERNAME --reason TEXT [--as ADMIN]",
    "Revoke a doctor's signing certificate; their signatures stop being accepted",
    TRUE, cmd_revoke },
  { "cert", "issue", "USERNAME [--as ADMIN]",
    "Issue a doctor a new signing certificate (after a revocation or expiry)", TRUE, cmd_issue },
  { NULL }
};
