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

/* Set while a test runs the CLI as on a machine without any keyring. */
gboolean cli_without_keyring;

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
  /* this program's own keyring file (rx_test_use_private_keyring), not a shared one */
  g_subprocess_launcher_setenv (launcher, "SECRET_BACKEND", "file", TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PATH",
                                g_getenv ("SECRET_FILE_TEST_PATH"), TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PASSWORD",
                                g_getenv ("SECRET_FILE_TEST_PASSWORD"), TRUE);
  if (cli_without_keyring)
    {
      g_subprocess_launcher_unsetenv (launcher, "SECRET_BACKEND");
      g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
      g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                    "unix:path=/nonexistent/rxdesk-test-bus", TRUE);
    }
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
  g_assert_cmpuint (strlen (json_object_get_string_member (o, "certificate_authority")), ==, 32);
}

char *
cli_json_id (Cli *cli)
{
  g_autoptr(JsonNode) root = cli_json (cli);

  return g_strdup (json_object_get_string_member (json_node_get_object (root), "id"));
}

/* Each CLI test program: its own keyring file for the binaries it runs, then its tests. */
int
cli_main (int     argc,
          char   *argv[],
          void  (*add_tests) (void))
{
  g_autofree char *keyring = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("RXDESK_CLI") == NULL)
    {
      g_printerr ("Set RXDESK_CLI to the rxdesk-cli binary\n");
      return 77;
    }

  keyring = rx_test_use_private_keyring ();
  add_tests ();
  status = g_test_run ();
  rx_test_remove_dir (keyring);

  return status;
}
