/* cli-harness.c: running the real rxdesk-cli from tests: arguments, standard input, its exit
 * status, standard output parsed as the one JSON document it must be, and a fresh clinic. */
#include "config.h"

#include "cli-harness.h"

void
cli_setup (Cli           *cli,
           gconstpointer  data)
{
  cli->dir = rx_test_make_dir ();
  cli->db = g_build_filename (cli->dir, "clinic.db", NULL);
}

void
cli_teardown (Cli           *cli,
              gconstpointer  data)
{
  rx_test_remove_dir (cli->dir);
  g_free (cli->dir);
  g_free (cli->db);
  g_free (cli->out);
  g_free (cli->err);
}

/* Runs rxdesk-cli with the arguments (NULL-terminated), feeding `input` on standard input. */
int
cli_run (Cli        *cli,
     const char *input,
     ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = g_build_filename (cli->dir, "data", NULL);
  g_autofree char *state_home = g_build_filename (cli->dir, "state", NULL);
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, g_strdup (g_getenv ("RXDESK_CLI")));
  va_start (ap, input);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state_home, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "RXDESK_DB");
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);

  g_clear_pointer (&cli->out, g_free);
  g_clear_pointer (&cli->err, g_free);
  g_subprocess_communicate_utf8 (proc, input, NULL, &cli->out, &cli->err, &error);
  g_assert_no_error (error);
  cli->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;

  return cli->status;
}

/* Standard output must be exactly one JSON document. */
JsonNode *
cli_json (Cli *cli)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, cli->out, -1, &error))
    g_error ("not JSON (%s): %s\nstderr: %s", error->message, cli->out, cli->err);

  return json_node_copy (json_parser_get_root (parser));
}

void
cli_init_clinic (Cli *cli)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "init", "--clinic", "Riverside Clinic",
                        "--json", NULL), ==, 0);
  root = cli_json (cli);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "clinic"), ==, "Riverside Clinic");
  g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, cli->db);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "formulary"),
                                               "products"), >=, 400);
}

char *
cli_json_id (Cli *cli)
{
  g_autoptr(JsonNode) root = cli_json (cli);

  return g_strdup (json_object_get_string_member (json_node_get_object (root), "id"));
}
