/* test-sync.c: workstations syncing through the real rxdesk-server on 127.0.0.1 over HTTPS,
 * driven the way an administrator or a script would: rxdesk-server and rxdesk-cli processes.
 * Two workstations of one clinic and one of another clinic work offline, then sync; the
 * server is killed in the middle of a push and a client in the middle of applying. */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include "cli-harness.h"
#include "rx-sync-engine.h"
#include "rx-test-pg.h"

#define PASSWORD "Sync-test-pass-2026!"

typedef struct
{
  Cli          cli;      /* its dir holds every file of the test */
  char        *data;     /* the server's data directory */
  char        *store;    /* its --store: NULL for SQLite in `data`, or a PostgreSQL database */
  char        *log;      /* its standard error */
  GSubprocess *server;
  char        *url;
  char        *fingerprint;
  guint16      port;
} Fixture;

/* The server ------------------------------------------------------------------------------ */

static char *
read_line_with (GDataInputStream *in,
                const char       *prefix)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        return NULL;
      if (g_str_has_prefix (line, prefix))
        return g_strdup (line + strlen (prefix));
    }
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
server_start (Fixture *f)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", f->port);
  g_autofree char *line = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* its log goes to a file (a failed test leaves it), and it dies with the test */
  g_subprocess_launcher_set_stderr_file_path (launcher, f->log);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  f->server = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("RXDESK_SERVER"),
                                           "--listen", listen, "--data-dir", f->data,
                                           f->store != NULL ? "--store" : NULL, f->store, NULL);
  g_assert_no_error (error);

  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->server));
  line = read_line_with (in, "listening on ");
  g_assert_nonnull (line);

  if (f->url == NULL)
    {
      const char *colon = strrchr (line, ':');

      f->url = g_strdup (line);
      f->port = (guint16) g_ascii_strtoull (colon + 1, NULL, 10);
    }
  g_assert_cmpstr (line, ==, f->url);
  /* the rest of its output is not read; the pipe must not fill up and block it */
  g_input_stream_close (G_INPUT_STREAM (in), NULL, NULL);
}

static void
server_kill (Fixture *f,
             int      sig)
{
  g_autoptr(GError) error = NULL;

  if (f->server == NULL)
    return;
  g_subprocess_send_signal (f->server, sig);
  g_subprocess_wait (f->server, NULL, &error);
  g_clear_object (&f->server);
}

static char *
server_run (Fixture     *f,
            const char  *first,
            ...) G_GNUC_NULL_TERMINATED;

/* rxdesk-server's administration commands, with --json: their output. */
static char *
server_run (Fixture    *f,
            const char *first,
            ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) g_getenv ("RXDESK_SERVER"));
  g_ptr_array_add (args, (gpointer) "--data-dir");
  g_ptr_array_add (args, f->data);
  if (f->store != NULL)
    {
      g_ptr_array_add (args, (gpointer) "--store");
      g_ptr_array_add (args, f->store);
    }
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (proc))
    g_error ("rxdesk-server %s failed: %s", first, err);

  return out;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("not JSON (%s): %s", error->message, text);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* A new organisation's enrolment code; its id in *org. */
static char *
new_org (Fixture     *f,
         const char  *name,
         char       **org)
{
  g_autofree char *out = server_run (f, "org", "create", name, "--json", NULL);
  g_autoptr(JsonObject) o = parse_object (out);

  if (org != NULL)
    *org = g_strdup (json_object_get_string_member (o, "org"));
  return g_strdup (json_object_get_string_member (o, "code"));
}

static char *
another_code (Fixture    *f,
              const char *org)
{
  g_autofree char *out = server_run (f, "org", "code", org, "--json", NULL);
  g_autoptr(JsonObject) o = parse_object (out);

  return g_strdup (json_object_get_string_member (o, "code"));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *out = NULL;

  cli_setup (&f->cli, data);
  f->data = g_build_filename (f->cli.dir, "server", NULL);
  f->log = g_build_filename (f->cli.dir, "server.log", NULL);
  if (rx_test_pg_wanted ())
    f->store = rx_test_pg_new_database ();
  server_start (f);
  out = server_run (f, "fingerprint", NULL);
  f->fingerprint = g_strdup (g_strstrip (out));
  g_assert_cmpuint (strlen (f->fingerprint), ==, 64);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  server_kill (f, SIGTERM);
  g_free (f->data);
  g_free (f->store);
  g_free (f->log);
  g_free (f->url);
  g_free (f->fingerprint);
  cli_teardown (&f->cli, data);
}

/* Workstations ---------------------------------------------------------------------------- */

static char *
path_of (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->cli.dir, name, NULL);
}

static void
ok (Fixture *f,
    int      status)
{
  if (status != 0)
    g_error ("rxdesk-cli failed (%d): %s", status, f->cli.err);
}

/* A demo clinic whose staff share PASSWORD. */
static char *
demo_clinic (Fixture    *f,
             const char *name,
             const char *clinic)
{
  char *db = path_of (f, name);

  ok (f, cli_run (&f->cli, PASSWORD "\n", "--db", db, "init", "--clinic", clinic, "--demo",
                  "--demo-password-stdin", NULL));
  return db;
}

static void
enrol (Fixture    *f,
       const char *db,
       const char *code,
       const char *user)
{
  ok (f, cli_run (&f->cli, PASSWORD "\n", "--db", db, "sync", "enrol", "--server", f->url,
                  "--code", code, "--pin", f->fingerprint, "--as", user, "--password-stdin",
                  NULL));
}

static JsonObject *
sync_now (Fixture    *f,
          const char *db)
{
  ok (f, cli_run (&f->cli, NULL, "--db", db, "--json", "sync", "now", NULL));
  return parse_object (f->cli.out);
}

static char *
digest (Fixture    *f,
        const char *db)
{
  g_autoptr(JsonObject) o = NULL;

  ok (f, cli_run (&f->cli, NULL, "--db", db, "--json", "sync", "status", "--digest", NULL));
  o = parse_object (f->cli.out);
  return g_strdup (json_object_get_string_member (o, "digest"));
}

static gint64
patients_named (Fixture    *f,
                const char *db,
                const char *name)
{
  g_autoptr(JsonNode) root = NULL;

  ok (f, cli_run (&f->cli, NULL, "--db", db, "--json", "patient", "search", name, NULL));
  root = cli_json (&f->cli);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (root), "results"));
}

static char *
add_patient (Fixture    *f,
             const char *db,
             const char *name)
{
  g_autoptr(JsonNode) root = NULL;

  ok (f, cli_run (&f->cli, NULL, "--db", db, "--json", "patient", "add", "--name", name,
                  "--dob", "1984-05-06", NULL));
  root = cli_json (&f->cli);
  return g_strdup (json_object_get_string_member (json_node_get_object (root), "id"));
}

/* Tests ------------------------------------------------------------------------------------ */

static void
test_two_clinics_converge (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *org = NULL;
  g_autofree char *code = new_org (f, "Riverside", &org);
  g_autofree char *a = demo_clinic (f, "a.db", "Riverside");
  g_autofree char *b = path_of (f, "b.db");
  g_autofree char *other_code = new_org (f, "Hillside", NULL);
  g_autofree char *c = demo_clinic (f, "c.db", "Hillside");
  g_autofree char *code_b = NULL;
  g_autofree char *da = NULL, *db = NULL, *dc = NULL;
  g_autofree char *pa = NULL, *pb = NULL;
  g_autoptr(JsonObject) first = NULL;

  /* A brings its data; B is a new, empty workstation of the same organisation */
  enrol (f, a, code, "ayusuf");
  first = sync_now (f, a);
  g_assert_cmpint (json_object_get_int_member (first, "pushed"), >, 1000);
  g_assert_cmpint (json_object_get_int_member (first, "pending"), ==, 0);

  code_b = another_code (f, org);
  g_assert_false (g_file_test (b, G_FILE_TEST_EXISTS));
  enrol (f, b, code_b, "ayusuf");
  sync_now (f, b);
  da = digest (f, a);
  db = digest (f, b);
  g_assert_cmpstr (da, ==, db);

  /* the other clinic: its own organisation */
  enrol (f, c, other_code, "ayusuf");
  sync_now (f, c);

  /* offline on all three, then sync */
  pa = add_patient (f, a, "Quillfeather, Ottoline");
  pb = add_patient (f, b, "Brackenridge, Wilhelmina");
  g_free (add_patient (f, c, "Thistlewood, Cornelius"));

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(JsonObject) ra = sync_now (f, a);
      g_autoptr(JsonObject) rb = sync_now (f, b);
      g_autoptr(JsonObject) rc = sync_now (f, c);
    }

  g_clear_pointer (&da, g_free);
  g_clear_pointer (&db, g_free);
  da = digest (f, a);
  db = digest (f, b);
  dc = digest (f, c);
  g_assert_cmpstr (da, ==, db);
  g_assert_cmpstr (da, !=, dc);

  g_assert_cmpint (patients_named (f, b, "Quillfeather"), ==, 1);
  g_assert_cmpint (patients_named (f, a, "Brackenridge"), ==, 1);
  g_assert_cmpint (patients_named (f, c, "Quillfeather"), ==, 0);
  g_assert_cmpint (patients_named (f, c, "Brackenridge"), ==, 0);
  g_assert_cmpint (patients_named (f, a, "Thistlewood"), ==, 0);
}

static void
test_certificate_pinned (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *code = new_org (f, "Riverside", NULL);
  g_autofree char *b = path_of (f, "b.db");
  g_autofree char *wrong = g_strdup (f->fingerprint);

  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
  g_assert_cmpint (cli_run (&f->cli, NULL, "--db", b, "sync", "enrol", "--server", f->url,
                            "--code", code, "--pin", wrong, NULL), ==, 1);
  g_assert_nonnull (strstr (f->cli.err, f->fingerprint));
  g_assert_false (g_file_test (b, G_FILE_TEST_EXISTS));

  /* no pin: a self-made certificate is not trusted on its own */
  g_assert_cmpint (cli_run (&f->cli, NULL, "--db", b, "sync", "enrol", "--server", f->url,
                            "--code", code, NULL), ==, 1);
  g_assert_nonnull (strstr (f->cli.err, "--pin"));

  /* plain HTTP is refused before anything is sent */
  g_assert_cmpint (cli_run (&f->cli, NULL, "--db", b, "sync", "enrol", "--server",
                            "http://127.0.0.1:1", "--code", code, NULL), ==, 1);
  g_assert_nonnull (strstr (f->cli.err, "HTTPS"));
}

static gboolean
wait_for (GSubprocess *proc,
          guint        ms)
{
  for (guint waited = 0; waited < ms; waited += 10)
    {
      if (g_subprocess_get_identifier (proc) == NULL)
        return TRUE;
      g_usleep (10 * 1000);
    }
  return FALSE;
}

static GSubprocess *
cli_spawn (Fixture    *f,
           const char *db,
           const char *first,
           ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = g_build_filename (f->cli.dir, "data", NULL);
  GSubprocess *proc;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) g_getenv ("RXDESK_CLI"));
  g_ptr_array_add (args, (gpointer) "--db");
  g_ptr_array_add (args, (gpointer) db);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  return proc;
}

/* Kill -9 the server while a large push is on its way, restart it: after the retry nothing
 * is lost and nothing doubled (a fresh workstation pulls exactly the same data). Then kill a
 * client while it applies, and let it resume. */
static void
test_kill_server_and_client (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *org = NULL;
  g_autofree char *code = new_org (f, "Riverside", &org);
  g_autofree char *a = demo_clinic (f, "a.db", "Riverside");
  g_autofree char *b = path_of (f, "b.db");
  g_autofree char *code_b = NULL;
  g_autofree char *da = NULL, *db = NULL;
  g_autoptr(GSubprocess) push = NULL;
  g_autoptr(GSubprocess) pull = NULL;
  g_autoptr(JsonObject) last = NULL;
  gboolean finished;

  enrol (f, a, code, "ayusuf");
  push = cli_spawn (f, a, "sync", "now", NULL);
  g_usleep (400 * 1000);
  server_kill (f, SIGKILL);
  finished = wait_for (push, 60000);
  g_assert_true (finished);

  server_start (f);
  last = sync_now (f, a);
  g_assert_cmpint (json_object_get_int_member (last, "pending"), ==, 0);

  code_b = another_code (f, org);
  enrol (f, b, code_b, "ayusuf");
  pull = cli_spawn (f, b, "sync", "now", NULL);
  g_usleep (500 * 1000);
  g_subprocess_force_exit (pull);
  g_subprocess_wait (pull, NULL, NULL);

  g_clear_pointer (&last, json_object_unref);
  last = sync_now (f, b);
  da = digest (f, a);
  db = digest (f, b);
  g_assert_cmpstr (da, ==, db);
}


/* Two pharmacies fill the same prescription while offline: after sync both see the same
 * over-dispensing conflict, and resolving it on one resolves it everywhere. */
static void
test_over_dispense (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *org = NULL;
  g_autofree char *code = new_org (f, "Riverside", &org);
  g_autofree char *a = demo_clinic (f, "a.db", "Riverside");
  g_autofree char *b = path_of (f, "b.db");
  g_autofree char *code_b = NULL;
  g_autofree char *rx = NULL;
  g_autofree char *id_a = NULL;
  g_autoptr(JsonNode) queue = NULL;
  g_autoptr(JsonObject) ca = NULL;
  g_autoptr(JsonObject) cb = NULL;
  JsonArray *list;

  enrol (f, a, code, "ayusuf");
  json_object_unref (sync_now (f, a));
  code_b = another_code (f, org);
  enrol (f, b, code_b, "ayusuf");
  json_object_unref (sync_now (f, b));

  ok (f, cli_run (&f->cli, NULL, "--db", a, "--json", "dispense", "queue", "--limit", "1", NULL));
  queue = cli_json (&f->cli);
  rx = g_strdup (json_object_get_string_member (json_array_get_object_element (
                   json_node_get_array (queue), 0), "prescription"));

  /* the signature verifies on B too: certificates travelled, private keys did not */
  ok (f, cli_run (&f->cli, NULL, "--db", a, "dispense", rx, "--as", "rpatel", NULL));
  ok (f, cli_run (&f->cli, NULL, "--db", b, "dispense", rx, "--as", "soliveira", NULL));

  json_object_unref (sync_now (f, a));
  json_object_unref (sync_now (f, b));
  json_object_unref (sync_now (f, a));

  ok (f, cli_run (&f->cli, NULL, "--db", a, "--json", "conflict", "list", NULL));
  ca = parse_object (f->cli.out);
  ok (f, cli_run (&f->cli, NULL, "--db", b, "--json", "conflict", "list", NULL));
  cb = parse_object (f->cli.out);
  list = json_object_get_array_member (ca, "conflicts");
  g_assert_cmpuint (json_array_get_length (list), >=, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cb, "conflicts")), ==,
                    json_array_get_length (list));
  for (guint i = 0; i < json_array_get_length (list); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (list, i),
                                                    "kind"), "over_dispense"))
      id_a = g_strdup (json_object_get_string_member (json_array_get_object_element (list, i),
                                                      "id"));
  g_assert_nonnull (id_a);

  ok (f, cli_run (&f->cli, NULL, "--db", a, "conflict", "resolve", id_a, "--action",
                  "recovered", "--note", "Second pack collected from the patient", "--as",
                  "rpatel", NULL));
  json_object_unref (sync_now (f, a));
  json_object_unref (sync_now (f, b));
  ok (f, cli_run (&f->cli, NULL, "--db", b, "--json", "conflict", "list", "--all", NULL));
  g_assert_nonnull (strstr (f->cli.out, "Second pack collected"));
}

/* The app's background engine: rounds, online and offline, back again, tables touched. */
static guint
wait_round (RxSyncEngine *engine,
            guint         after)
{
  gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (rx_sync_engine_get_rounds (engine) <= after && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (rx_sync_engine_get_rounds (engine), >, after);
  return rx_sync_engine_get_rounds (engine);
}

static void
on_tables_changed (RxSyncEngine  *engine,
                   GStrv          tables,
                   GHashTable    *seen)
{
  for (guint i = 0; tables[i] != NULL; i++)
    g_hash_table_add (seen, g_strdup (tables[i]));
}

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
test_engine (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *org = NULL;
  g_autofree char *code = new_org (f, "Riverside", &org);
  g_autofree char *a = demo_clinic (f, "a.db", "Riverside");
  g_autofree char *b = path_of (f, "b.db");
  g_autofree char *code_b = NULL;
  g_autofree char *id = NULL;
  g_autoptr(RxSyncEngine) engine = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint rounds, ticker;

  enrol (f, a, code, "ayusuf");
  json_object_unref (sync_now (f, a));
  code_b = another_code (f, org);
  enrol (f, b, code_b, "ayusuf");

  ticker = g_timeout_add (50, wake, NULL);
  engine = rx_sync_engine_new (b);
  g_signal_connect (engine, "tables-changed", G_CALLBACK (on_tables_changed), seen);
  rounds = wait_round (engine, 0);
  g_assert_true (rx_sync_engine_get_enrolled (engine));
  g_assert_true (rx_sync_engine_get_online (engine));
  g_assert_nonnull (rx_sync_engine_get_last_sync (engine));
  g_assert_null (rx_sync_engine_get_last_error (engine));
  g_assert_cmpint (rx_sync_engine_get_pending (engine), ==, 0);
  g_assert_true (g_hash_table_contains (seen, "patients"));

  /* the server goes away: offline, the change waits */
  server_kill (f, SIGKILL);
  id = add_patient (f, b, "Fairweather, Perpetua");
  rx_sync_engine_kick (engine);
  rounds = wait_round (engine, rounds);
  g_assert_false (rx_sync_engine_get_online (engine));
  g_assert_nonnull (rx_sync_engine_get_last_error (engine));
  g_assert_cmpint (rx_sync_engine_get_pending (engine), >, 0);

  /* it comes back: the waiting change is sent, A receives it */
  server_start (f);
  do
    {
      rx_sync_engine_kick (engine);
      rounds = wait_round (engine, rounds);
    }
  while (!rx_sync_engine_get_online (engine));
  g_assert_cmpint (rx_sync_engine_get_pending (engine), ==, 0);
  json_object_unref (sync_now (f, a));
  g_assert_cmpint (patients_named (f, a, "Fairweather"), ==, 1);

  /* new work from another program on this clinic file is noticed without being told */
  g_free (add_patient (f, b, "Underhill, Marigold"));
  rounds = wait_round (engine, rounds);
  g_assert_true (rx_sync_engine_get_online (engine));
  g_assert_cmpint (rx_sync_engine_get_pending (engine), ==, 0);
  json_object_unref (sync_now (f, a));
  g_assert_cmpint (patients_named (f, a, "Underhill"), ==, 1);

  rx_sync_engine_stop (engine);
  g_source_remove (ticker);
}

static void
add_tests (void)
{
  g_test_add ("/sync/two-clinics-converge", Fixture, NULL, fixture_setup,
              test_two_clinics_converge, fixture_teardown);
  g_test_add ("/sync/certificate-pinned", Fixture, NULL, fixture_setup,
              test_certificate_pinned, fixture_teardown);
  g_test_add ("/sync/kill-server-and-client", Fixture, NULL, fixture_setup,
              test_kill_server_and_client, fixture_teardown);
  g_test_add ("/sync/over-dispense", Fixture, NULL, fixture_setup, test_over_dispense,
              fixture_teardown);
  g_test_add ("/sync/engine", Fixture, NULL, fixture_setup, test_engine, fixture_teardown);
}

int
main (int    argc,
      char **argv)
{
  if (g_getenv ("RXDESK_SERVER") == NULL)
    {
      g_printerr ("Set RXDESK_SERVER to the rxdesk-server binary\n");
      return 77;
    }
  if (rx_test_pg_wanted ())
    {
      g_autofree char *why = NULL;

      if (!rx_test_pg_available (&why))
        {
          g_printerr ("Skipped: the PostgreSQL store cannot be tested here: %s\n", why);
          return 77;
        }
    }
  return cli_main (argc, argv, add_tests);
}
