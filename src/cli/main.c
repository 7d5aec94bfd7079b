/* main.c: rxdesk-cli, the command line for clinic admins and scripts.
 * rxdesk-cli [--db FILE] [--json] COMMAND [SUBCOMMAND] [ARGS]; see CLI.md for the contract. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "rx-cli.h"

static const RxCliCommand *tables[] = {
  rx_cli_clinic_commands,
  rx_cli_drug_commands,
  rx_cli_patient_commands,
  rx_cli_user_commands,
  rx_cli_stock_commands,
  rx_cli_rx_commands,
  rx_cli_check_commands,
  rx_cli_cert_commands,
  rx_cli_feedback_commands,
  rx_cli_formulary_commands,
  rx_cli_gs1_commands,
  rx_cli_dispense_commands,
  rx_cli_invoice_commands,
  rx_cli_report_commands,
  rx_cli_chat_commands,
  rx_cli_sync_commands,
};

static void
print_help (void)
{
  g_print ("Usage: rxdesk-cli [--db FILE] [--json] COMMAND [ARGS]\n\n"
           "RxDesk clinic administration from the command line.\n\n"
           "Global options:\n"
           "  --db FILE    the clinic database (default: $RXDESK_DB, then the last one opened)\n"
           "  --json       print one JSON document instead of text\n"
           "  --version    print the version\n\n"
           "Commands:\n");

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (const RxCliCommand *c = tables[t]; c->name; c++)
      {
        g_autofree char *head = g_strdup_printf ("%s%s%s %s", c->name, c->sub ? " " : "",
                                                 c->sub ? c->sub : "", c->usage);

        g_print ("  %s\n      %s\n", head, c->summary);
      }

  g_print ("\nErrors go to standard error; exit status 1 means the operation failed, 2 a usage\n"
           "error, 3 a failed verification. Passwords are read from standard input\n"
           "(--password-stdin) or the terminal, never from arguments.\n");
}

static const RxCliCommand *
find_command (const char *name,
              const char *sub,
              gboolean   *uses_sub,
              gboolean   *known_name)
{
  *known_name = FALSE;

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (const RxCliCommand *c = tables[t]; c->name; c++)
      {
        if (g_strcmp0 (c->name, name) != 0)
          continue;
        *known_name = TRUE;
        if (c->sub == NULL)
          {
            *uses_sub = FALSE;
            return c;
          }
        if (g_strcmp0 (c->sub, sub) == 0)
          {
            *uses_sub = TRUE;
            return c;
          }
      }

  return NULL;
}

static void
list_subcommands (const char *name)
{
  g_autoptr(GString) subs = g_string_new (NULL);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (const RxCliCommand *c = tables[t]; c->name; c++)
      if (g_strcmp0 (c->name, name) == 0 && c->sub)
        g_string_append_printf (subs, "%s%s", subs->len ? ", " : "", c->sub);

  g_printerr ("rxdesk-cli: “%s” needs one of: %s\n", name, subs->str);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  const RxCliCommand *command;
  RxCli cli = { NULL, FALSE, NULL, NULL, FALSE, RX_CLI_USAGE };
  gboolean uses_sub = FALSE, known = FALSE;
  const char *name, *sub;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("rxdesk-cli");

  /* Global options may appear anywhere; take them out before the command sees its own. */
  g_ptr_array_add (rest, argv[0]);
  for (int i = 1; i < argc; i++)
    {
      if (g_strcmp0 (argv[i], "--json") == 0)
        cli.json = TRUE;
      else if (g_strcmp0 (argv[i], "--db") == 0)
        {
          if (i + 1 >= argc)
            {
              status = rx_cli_fail (&cli, RX_CLI_USAGE, "--db needs a file name");
              goto out;
            }
          g_free (cli.db_path);
          cli.db_path = g_strdup (argv[++i]);
        }
      else if (g_str_has_prefix (argv[i], "--db="))
        {
          g_free (cli.db_path);
          cli.db_path = g_strdup (argv[i] + 5);
        }
      else if (g_strcmp0 (argv[i], "--version") == 0 && rest->len == 1)
        {
          g_print ("rxdesk-cli %s\n", PACKAGE_VERSION);
          status = RX_CLI_OK;
          goto out;
        }
      else
        g_ptr_array_add (rest, argv[i]);
    }

  if (rest->len < 2 || g_strcmp0 (rest->pdata[1], "--help") == 0 ||
      g_strcmp0 (rest->pdata[1], "-h") == 0 || g_strcmp0 (rest->pdata[1], "help") == 0)
    {
      print_help ();
      status = rest->len < 2 ? RX_CLI_USAGE : RX_CLI_OK;
      goto out;
    }

  if (cli.db_path == NULL && g_getenv ("RXDESK_DB") && *g_getenv ("RXDESK_DB"))
    cli.db_path = g_strdup (g_getenv ("RXDESK_DB"));

  name = rest->pdata[1];
  sub = rest->len > 2 ? rest->pdata[2] : NULL;
  command = find_command (name, sub, &uses_sub, &known);
  if (command == NULL)
    {
      if (known)
        {
          list_subcommands (name);
          status = RX_CLI_USAGE;
        }
      else
        status = rx_cli_fail (&cli, RX_CLI_USAGE, "unknown command “%s”; “rxdesk-cli --help” "
                              "lists the commands", name);
      goto out;
    }

  if (cli.db_path == NULL && command->needs_db)
    cli.db_path = rx_paths_get_last_clinic ();

  cli.actor = g_strdup_printf ("cli:%s", g_get_user_name ());

  cli.needs_db = command->needs_db;
    {
      /* the command sees "name [sub]" as argv[0], then its own arguments */
      int skip = uses_sub ? 3 : 2;
      g_autoptr(GPtrArray) cmd_argv = g_ptr_array_new ();

      label = uses_sub ? g_strdup_printf ("%s %s", name, sub) : g_strdup (name);
      g_ptr_array_add (cmd_argv, label);
      for (guint i = skip; i < rest->len; i++)
        g_ptr_array_add (cmd_argv, rest->pdata[i]);
      g_ptr_array_add (cmd_argv, NULL);

      status = command->run (&cli, cmd_argv->len - 1, (char **) cmd_argv->pdata);
    }

out:
  g_clear_object (&cli.db);
  g_free (cli.db_path);
  g_free (cli.actor);

  return status;
}
