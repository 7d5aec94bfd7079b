/* rx-cli.c: helpers every rxdesk-cli command uses: option parsing with usage errors, opening
 * the clinic, JSON output, reading secrets without echo. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include "rx-cli.h"

int
rx_cli_fail (RxCli      *cli,
             int         code,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("rxdesk-cli: %s\n", message);
  return code;
}

int
rx_cli_fail_error (RxCli        *cli,
                   const GError *error)
{
  int code = RX_CLI_FAILED;

  if (error == NULL)
    return rx_cli_fail (cli, RX_CLI_FAILED, "the operation failed for an unknown reason");

  return rx_cli_fail (cli, code, "%s", error->message);
}

/* Parses a command's options; the positional arguments left must number min..max (max -1:
 * any). Wrong options or counts print the usage and give exit code 2. */
gboolean
rx_cli_parse (RxCli         *cli,
              const char    *command,
              GOptionEntry  *entries,
              int           *argc,
              char        ***argv,
              int            min_args,
              int            max_args,
              const char    *args_usage)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  int n;

  cli->exit_code = RX_CLI_USAGE;
  context = g_option_context_new (args_usage);
  g_option_context_set_help_enabled (context, TRUE);
  g_option_context_set_summary (context, command);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      rx_cli_fail (cli, RX_CLI_USAGE, "%s: %s; see “rxdesk-cli %s --help”",
                   command, error->message, command);
      return FALSE;
    }

  n = *argc - 1;  /* argv[0] is the command name */
  if (n < min_args || (max_args >= 0 && n > max_args))
    {
      rx_cli_fail (cli, RX_CLI_USAGE, "usage: rxdesk-cli %s %s", command,
                   args_usage ? args_usage : "");
      return FALSE;
    }

  if (cli->needs_db && !rx_cli_open_db (cli, &error))
    {
      cli->exit_code = rx_cli_fail_error (cli, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
rx_cli_open_db (RxCli   *cli,
                GError **error)
{
  if (cli->db != NULL)
    return TRUE;

  if (cli->db_path == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "no clinic database given; use --db FILE, set RXDESK_DB, or create one with "
                   "“rxdesk-cli init --clinic NAME”");
      return FALSE;
    }

  cli->db = rx_db_open (cli->db_path, RX_DB_OPEN_NONE, error);
  if (cli->db == NULL)
    return FALSE;

  rx_db_set_actor (cli->db, cli->actor);
  rx_paths_set_last_clinic (cli->db_path, NULL);

  return TRUE;
}

void
rx_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

/* A password or code: one line from standard input, or typed at the terminal unseen. */
char *
rx_cli_read_secret (const char  *prompt,
                    gboolean     from_stdin,
                    GError     **error)
{
  char line[1100];
  struct termios old, quiet;
  gboolean tty = !from_stdin && isatty (STDIN_FILENO);
  char *nl;

  if (!from_stdin && !tty)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "%s must be typed at a terminal or given with --password-stdin", prompt);
      return NULL;
    }

  if (tty)
    {
      g_printerr ("%s: ", prompt);
      tcgetattr (STDIN_FILENO, &old);
      quiet = old;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }

  nl = fgets (line, sizeof line, stdin);

  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &old);
      g_printerr ("\n");
    }

  if (nl == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "%s was expected on standard input, but it was empty", prompt);
      return NULL;
    }

  line[strcspn (line, "\r\n")] = '\0';
  nl = g_strdup (line);
  explicit_bzero (line, sizeof line);

  return nl;
}

/* Pads to a width in characters, not bytes, so columns line up with accented names. */
char *
rx_cli_pad (const char *text,
            guint       width)
{
  glong len = text ? g_utf8_strlen (text, -1) : 0;
  GString *out = g_string_new (text ? text : "");

  for (glong i = len; i < (glong) width; i++)
    g_string_append_c (out, ' ');

  return g_string_free (out, FALSE);
}

char *
rx_cli_format_money (gint64 minor)
{
  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02" G_GINT64_FORMAT,
                          minor < 0 ? "-" : "", ABS (minor) / 100, ABS (minor) % 100);
}

void
rx_cli_json_patient (JsonBuilder *b,
                     RxPatient   *p,
                     gboolean     with_allergies)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, rx_patient_get_id (p));
  json_builder_set_member_name (b, "record_number");
  json_builder_add_string_value (b, rx_patient_get_record_number (p));
  json_builder_set_member_name (b, "family_name");
  json_builder_add_string_value (b, rx_patient_get_family_name (p));
  json_builder_set_member_name (b, "given_names");
  json_builder_add_string_value (b, rx_patient_get_given_names (p));
  json_builder_set_member_name (b, "birth_date");
  json_builder_add_string_value (b, rx_patient_get_birth_date (p));
  json_builder_set_member_name (b, "sex");
  json_builder_add_string_value (b, rx_patient_get_sex (p));
  json_builder_set_member_name (b, "phone");
  json_builder_add_string_value (b, rx_patient_get_phone (p));
  if (with_allergies)
    {
      GPtrArray *allergies = rx_patient_get_allergies (p);

      json_builder_set_member_name (b, "allergies");
      json_builder_begin_array (b);
      for (guint i = 0; i < allergies->len; i++)
        {
          RxAllergy *a = allergies->pdata[i];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "allergen");
          json_builder_add_string_value (b, a->allergen);
          json_builder_set_member_name (b, "reaction");
          json_builder_add_string_value (b, a->reaction);
          json_builder_set_member_name (b, "severity");
          json_builder_add_string_value (b, a->severity);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

void
rx_cli_json_product (JsonBuilder *b,
                     RxProduct   *p)
{
  GPtrArray *packs = rx_product_get_packs (p);
  g_autofree char *name = rx_product_dup_display_name (p);

  json_builder_begin_object (b);
#define STR(key, value) \
  json_builder_set_member_name (b, key); \
  json_builder_add_string_value (b, value);
  STR ("id", rx_product_get_id (p));
  STR ("code", rx_product_get_code (p));
  STR ("name", name);
  STR ("inn", rx_product_get_inn (p));
  STR ("atc", rx_product_get_atc (p));
  STR ("form", rx_product_get_form (p));
  STR ("strength", rx_product_get_strength (p));
  STR ("route", rx_product_get_route (p));
  STR ("other_names", rx_product_get_synonyms (p));
  STR ("nearest_expiry", rx_product_get_nearest_expiry (p));
#undef STR
  json_builder_set_member_name (b, "rx_only");
  json_builder_add_boolean_value (b, rx_product_get_rx_only (p));
  json_builder_set_member_name (b, "controlled");
  json_builder_add_boolean_value (b, rx_product_get_controlled (p));
  json_builder_set_member_name (b, "on_hand");
  json_builder_add_int_value (b, MAX (rx_product_get_on_hand (p), 0));
  json_builder_set_member_name (b, "reorder_level");
  json_builder_add_int_value (b, rx_product_get_reorder_level (p));
  json_builder_set_member_name (b, "packs");
  json_builder_begin_array (b);
  for (guint i = 0; i < packs->len; i++)
    {
      RxPack *pack = packs->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, pack->size);
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, pack->unit);
      json_builder_set_member_name (b, "price_minor");
      json_builder_add_int_value (b, pack->price_minor);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

void
rx_cli_json_user (JsonBuilder *b,
                  RxUser      *u)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, rx_user_get_id (u));
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, rx_user_get_username (u));
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, rx_user_get_full_name (u));
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, rx_role_to_string (rx_user_get_role (u)));
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, rx_user_get_state (u));
  json_builder_set_member_name (b, "has_password");
  json_builder_add_boolean_value (b, rx_user_has_password (u));
  json_builder_end_object (b);
}
