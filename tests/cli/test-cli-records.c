/* test-cli-records.c: rxdesk-cli end to end, continued: tampering caught by the verify
 * commands, invoices, feedback and the second factor. */
#include "config.h"

#include <pty.h>
#include <unistd.h>

#include "cli-harness.h"

/* Someone edits, deletes or reorders audit rows with the sqlite3 tool: verify says which. */
static void
test_audit_tamper (Cli           *cli,
                   gconstpointer  data)
{
  const char *attacks[] = {
    "DROP TRIGGER audit_events_no_update; "
    "UPDATE audit_events SET actor = 'someone else' WHERE rowid = 3;",
    "DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE rowid = 3;",
    "DROP TRIGGER audit_events_no_update; "
    "UPDATE audit_events SET rowid = 1000 WHERE rowid = 2; "
    "UPDATE audit_events SET rowid = 2 WHERE rowid = 3; "
    "UPDATE audit_events SET rowid = 3 WHERE rowid = 1000;",
  };
  g_autofree char *sqlite = g_find_program_in_path ("sqlite3");

  if (sqlite == NULL)
    {
      g_test_skip ("the sqlite3 tool is not installed");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *third = NULL;
      int status;
      const char *argv[] = { sqlite, cli->db, attacks[i], NULL };

      g_clear_pointer (&cli->db, g_free);
      cli->db = g_strdup_printf ("%s/tamper-%u.db", cli->dir, i);
      argv[1] = cli->db;
      cli_init_clinic (cli);
      g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "patient", "add", "--name", "A B",
                            "--dob", "1990-01-01", NULL), ==, 0);
      g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "audit", "verify", NULL), ==, 0);

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                    &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));

      g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "audit", "verify", NULL), ==, 3);
      g_assert_nonnull (strstr (cli->err, "altered at event"));
    }
}

static void
test_invoices (Cli           *cli,
               gconstpointer  data)
{
  g_autoptr(JsonNode) paid = NULL;
  g_autofree char *id = NULL;
  g_autofree char *credit = NULL;
  g_autofree char *sqlite = g_find_program_in_path ("sqlite3");

  cli_init_clinic (cli);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "create", "--line",
                        "Consultation; 1; 2500", "--line", "Dressing; 2; 125", "--json", NULL),
                   ==, 0);
  id = cli_json_id (cli);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "pay", id, "--method", "cash",
                        "--amount", "3000", "--json", NULL), ==, 0);
  paid = cli_json (cli);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (paid), "status"), ==, "paid");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (paid), "total_minor"), ==, 2750);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "pay", id, "--method", "card",
                        "--amount", "100", NULL), ==, 1);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "refund", id, "--json", NULL), ==, 0);
  credit = cli_json_id (cli);
  g_assert_cmpstr (credit, !=, id);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "refund", id, NULL), ==, 1);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "create", "--line", "nothing", NULL),
                   ==, 1);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "verify", NULL), ==, 0);

  if (sqlite != NULL)
    {
      g_autofree char *sql = g_strdup_printf ("DROP TRIGGER invoices_frozen; UPDATE invoices "
                                              "SET total_minor = 1 WHERE id = '%s';", id);
      const char *argv[] = { sqlite, cli->db, sql, NULL };

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                   NULL, NULL, NULL, NULL, NULL));
      g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "verify", NULL), ==, 3);
    }
}

static void
test_feedback (Cli           *cli,
               gconstpointer  data)
{
  g_autoptr(JsonNode) list = NULL;
  JsonObject *first;

  cli_init_clinic (cli);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "feedback", "add", "--rating", "4",
                        "--about", "app:general", "--text", "Search is quick", NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "feedback", "add", "--rating", "9",
                        "--text", "x", NULL), ==, 1);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "feedback", "add", "--text", "x", NULL), ==, 2);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "feedback", "list", "--json", NULL), ==, 0);
  list = cli_json (cli);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  first = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpint (json_object_get_int_member (first, "rating"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (first, "state"), ==, "new");
}

/* Runs rxdesk-cli with standard output on a pseudo-terminal, as at a desk; returns what it
 * printed there, without the terminal's carriage returns. */
static char *
run_on_terminal (Cli                *cli,
                 const char         *input,
                 const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = g_build_filename (cli->dir, "data", NULL);
  g_autofree char *state_home = g_build_filename (cli->dir, "state", NULL);
  GOutputStream *in;
  char buf[4096];
  int master = -1, slave = -1;
  gssize n;

  g_assert_cmpint (openpty (&master, &slave, NULL, NULL, NULL), ==, 0);
  g_ptr_array_add (argv, (gpointer) g_getenv ("RXDESK_CLI"));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state_home, TRUE);
  g_subprocess_launcher_take_stdout_fd (launcher, slave);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_clear_object (&launcher);  /* closes our end of the terminal, so reading ends with it */

  in = g_subprocess_get_stdin_pipe (proc);
  g_assert_true (g_output_stream_write_all (in, input, strlen (input), NULL, NULL, &error));
  g_assert_true (g_output_stream_close (in, NULL, &error));

  while ((n = read (master, buf, sizeof buf)) > 0)
    for (gssize i = 0; i < n; i++)
      if (buf[i] != '\r')
        g_string_append_c (out, buf[i]);
  close (master);

  g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
  g_assert_no_error (error);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Reads the QR code back from its half-block drawing and checks the shape every QR code has:
 * a square of 17 + 4v modules in a light quiet zone, three finder patterns, timing lines. */
static void
assert_qr_code (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  int size = -1, width;

  for (guint i = 0; lines[i]; i++)
    {
      const char *p = lines[i];
      GString *top, *bottom;

      if (!g_str_has_prefix (p, "\033[30;107m"))
        continue;
      g_assert_true (g_str_has_suffix (p, "\033[0m"));
      p += strlen ("\033[30;107m");
      top = g_string_new (NULL);
      bottom = g_string_new (NULL);
      for (; *p != '\033'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          g_assert_true (c == ' ' || c == 0x2580 || c == 0x2584 || c == 0x2588);
          g_string_append_c (top, c == 0x2580 || c == 0x2588 ? '#' : '.');
          g_string_append_c (bottom, c == 0x2584 || c == 0x2588 ? '#' : '.');
        }
      if (size < 0)
        size = top->len;
      g_assert_cmpint (top->len, ==, size);
      g_ptr_array_add (rows, g_string_free (top, FALSE));
      g_ptr_array_add (rows, g_string_free (bottom, FALSE));
    }

  g_assert_cmpint (size, >, 0);
  g_assert_cmpint (rows->len, >=, size);
  width = size - 8;
  g_assert_cmpint (width, >=, 21);
  g_assert_cmpint ((width - 17) % 4, ==, 0);

#define AT(x, y) (((const char *) rows->pdata[(y)])[(x)] == '#')
  for (int i = 0; i < size; i++)
    for (int q = 0; q < 4; q++)
      {
        g_assert_false (AT (i, q));
        g_assert_false (AT (q, i));
        g_assert_false (AT (i, size - 1 - q));
        g_assert_false (AT (size - 1 - q, i));
      }
  for (int f = 0; f < 3; f++)
    {
      int ox = 4 + (f == 1 ? width - 7 : 0);
      int oy = 4 + (f == 2 ? width - 7 : 0);

      for (int y = 0; y < 7; y++)
        for (int x = 0; x < 7; x++)
          g_assert_cmpint (AT (ox + x, oy + y), ==, MAX (ABS (x - 3), ABS (y - 3)) != 2);
    }
  for (int i = 8; i < width - 8; i++)
    {
      g_assert_cmpint (AT (4 + i, 4 + 6), ==, i % 2 == 0);
      g_assert_cmpint (AT (4 + 6, 4 + i), ==, i % 2 == 0);
    }
#undef AT
}

static void
test_totp (Cli           *cli,
           gconstpointer  data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree guint8 *seed = NULL;
  g_autofree char *code = NULL;
  g_autofree char *input = NULL;
  g_autofree char *screen = NULL;
  const char *uri, *end;
  gsize len = 0;

  cli_init_clinic (cli);
  g_assert_cmpint (cli_run (cli, "a long enough phrase\n", "--db", cli->db, "user", "add", "kmensah",
                        "--name", "Dr Kwame Mensah", "--role", "doctor", "--password-stdin",
                        NULL), ==, 0);

  /* the password is checked; the URI comes back once, in JSON */
  g_assert_cmpint (cli_run (cli, "not the password\n", "--db", cli->db, "user", "totp-enrol",
                        "kmensah", "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "Wrong password"));
  g_assert_cmpint (cli_run (cli, "a long enough phrase\n", "--db", cli->db, "user", "totp-enrol",
                        "kmensah", "--password-stdin", "--json", NULL), ==, 0);
  root = cli_json (cli);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "username"), ==,
                   "kmensah");
  uri = json_object_get_string_member (json_node_get_object (root), "uri");
  g_assert_true (g_str_has_prefix (uri, "otpauth://totp/RxDesk:kmensah?secret="));
  g_assert_true (g_str_has_suffix (uri, "&issuer=RxDesk&algorithm=SHA1&digits=6&period=30"));
  g_assert_null (strstr (cli->out, "long enough"));
  end = strchr (uri, '&');
  secret = g_strndup (strchr (uri, '=') + 1, end - strchr (uri, '=') - 1);
  seed = rx_totp_base32_decode (secret, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, 20);

  /* a code from the app: accepted once; the same code again, a short one, a wrong password:
   * refused with exit 1 */
  code = rx_totp_code (seed, len, g_get_real_time () / G_USEC_PER_SEC, 6, 30);
  input = g_strdup_printf ("a long enough phrase\n%s\n", code);
  g_assert_cmpint (cli_run (cli, input, "--db", cli->db, "user", "totp-check", "kmensah",
                        "--password-stdin", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "\"accepted\":true"));
  g_assert_cmpint (cli_run (cli, input, "--db", cli->db, "user", "totp-check", "kmensah",
                        "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "already used"));
  g_assert_cmpint (cli_run (cli, "a long enough phrase\n12345\n", "--db", cli->db, "user",
                        "totp-check", "kmensah", "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "6 digits"));
  g_clear_pointer (&input, g_free);
  input = g_strdup_printf ("not the password\n%s\n", code);
  g_assert_cmpint (cli_run (cli, input, "--db", cli->db, "user", "totp-check", "kmensah",
                        "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "Wrong password"));
  g_assert_null (strstr (cli->err, code));
  g_assert_cmpint (cli_run (cli, "a long enough phrase\n", "--db", cli->db, "user", "totp-check",
                        "kmensah", "--password-stdin", NULL), ==, 1);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "user", "totp-check", NULL), ==, 2);

  /* at a terminal, a QR code a phone can scan, and the URI under it */
  screen = run_on_terminal (cli, "a long enough phrase\n",
                            (const char *[]) { "--db", cli->db, "user", "totp-enrol", "kmensah",
                                               "--password-stdin", NULL });
  assert_qr_code (screen);
  g_assert_nonnull (strstr (screen, "otpauth://totp/RxDesk:kmensah?secret="));
  g_assert_null (strstr (screen, "long enough"));

  /* an administrator's password reset ends the enrolment */
  g_assert_cmpint (cli_run (cli, "another long phrase\n", "--db", cli->db, "user", "passwd",
                        "kmensah", "--password-stdin", NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, "another long phrase\n123456\n", "--db", cli->db, "user",
                        "totp-check", "kmensah", "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "user totp-enrol kmensah"));

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "audit", "verify", NULL), ==, 0);
}

static void
add_tests (void)
{
  CLI_TEST ("/cli/feedback", test_feedback);
  CLI_TEST ("/cli/audit-tamper", test_audit_tamper);
  CLI_TEST ("/cli/invoices", test_invoices);
  CLI_TEST ("/cli/totp", test_totp);
}

int
main (int   argc,
      char *argv[])
{
  return cli_main (argc, argv, add_tests);
}
