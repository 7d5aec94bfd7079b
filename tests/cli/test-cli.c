/* test-cli.c: rxdesk-cli end to end: the real binary, run as a script would run it, with its
 * exit codes, its JSON on standard output and its errors on standard error. */
#include "config.h"

#include <json-glib/json-glib.h>

#include "rx-test-util.h"

typedef struct
{
  char *dir;
  char *db;
  char *out;
  char *err;
  int   status;
} Cli;

static void
cli_setup (Cli           *cli,
           gconstpointer  data)
{
  cli->dir = rx_test_make_dir ();
  cli->db = g_build_filename (cli->dir, "clinic.db", NULL);
}

static void
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
static gboolean without_keyring;

/* Runs rxdesk-cli with the arguments (NULL-terminated), feeding `input` on standard input. */
static int
run (Cli        *cli,
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
  /* this program's own keyring file (see main), not the one tests share by default */
  g_subprocess_launcher_setenv (launcher, "SECRET_BACKEND", "file", TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PATH",
                                g_getenv ("SECRET_FILE_TEST_PATH"), TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PASSWORD",
                                g_getenv ("SECRET_FILE_TEST_PASSWORD"), TRUE);
  if (without_keyring)
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
static JsonNode *
json_out (Cli *cli)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, cli->out, -1, &error))
    g_error ("not JSON (%s): %s\nstderr: %s", error->message, cli->out, cli->err);

  return json_node_copy (json_parser_get_root (parser));
}

static void
init_clinic (Cli *cli)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "init", "--clinic", "Riverside Clinic",
                        "--json", NULL), ==, 0);
  root = json_out (cli);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "clinic"), ==, "Riverside Clinic");
  g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, cli->db);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "formulary"),
                                               "products"), >=, 400);
  g_assert_cmpuint (strlen (json_object_get_string_member (o, "certificate_authority")), ==, 32);
}

static void
test_usage (Cli           *cli,
            gconstpointer  data)
{
  g_assert_cmpint (run (cli, NULL, "--help", NULL), ==, 0);
  for (const char *const *w = (const char *const[]) { "init", "drug", "patient", "user", "stock",
                                                      "backup", "demo", "audit", "rx", "rx sign",
                                                      "rx verify", "cert list", "cert revoke",
                                                      NULL };
       *w; w++)
    g_assert_nonnull (strstr (cli->out, *w));

  g_assert_cmpint (run (cli, NULL, NULL), ==, 2);
  g_assert_cmpint (run (cli, NULL, "frobnicate", NULL), ==, 2);
  g_assert_nonnull (strstr (cli->err, "unknown command"));
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "patient", NULL), ==, 2);
  g_assert_nonnull (strstr (cli->err, "add"));
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "patient", "add", "--bogus", NULL), ==, 2);
  g_assert_cmpint (run (cli, NULL, "--version", NULL), ==, 0);

  /* no clinic anywhere: says how to make one */
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "drug", "search", "x", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "init --clinic"));
  g_assert_true (g_str_has_prefix (cli->err, "rxdesk-cli: "));
}

static void
test_init_and_drugs (Cli           *cli,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *results;

  init_clinic (cli);

  /* again: refused, file untouched */
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "init", "--clinic", "Other", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "already exists"));

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "drug", "search", "aspirin", "--json", NULL),
                   ==, 0);
  root = json_out (cli);
  results = json_object_get_array_member (json_node_get_object (root), "results");
  g_assert_cmpuint (json_array_get_length (results), >, 0);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "inn"),
                   ==, "acetylsalicylic acid");
  g_clear_pointer (&root, json_node_unref);

  /* --json may come first too, and one typo is forgiven */
  g_assert_cmpint (run (cli, NULL, "--json", "--db", cli->db, "drug", "search", "amoxicilin",
                        NULL), ==, 0);
  root = json_out (cli);
  results = json_object_get_array_member (json_node_get_object (root), "results");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "inn"),
                   ==, "amoxicillin");
  g_clear_pointer (&root, json_node_unref);

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "drug", "search", "qqqqzzzz", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "no medicine matches"));

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "drug", "show", "paracetamol", "--json",
                        NULL), ==, 0);
  root = json_out (cli);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "inn"), ==,
                   "paracetamol");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root),
                                                                         "products")), >=, 1);

  /* the last clinic opened is the default */
  g_assert_cmpint (run (cli, NULL, "drug", "search", "paracetamol", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "paracetamol"));
}

static void
test_patients (Cli           *cli,
               gconstpointer  data)
{
  g_autoptr(JsonNode) added = NULL;
  g_autoptr(JsonNode) found = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autofree char *record = NULL;
  JsonArray *allergies;

  init_clinic (cli);

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "patient", "add", "--name", "Okafor, Adaeze",
                        "--dob", "1984-03-27", "--sex", "f", "--allergy", "Penicillins",
                        "--allergy", "latex", "--json", NULL), ==, 0);
  added = json_out (cli);
  record = g_strdup (json_object_get_string_member (json_node_get_object (added),
                                                    "record_number"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (added), "family_name"),
                   ==, "Okafor");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (added), "sex"), ==, "F");

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "patient", "search", "okaf", "--json", NULL),
                   ==, 0);
  found = json_out (cli);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (found),
                                                                         "results")), ==, 1);

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "patient", "show", record, "--json", NULL),
                   ==, 0);
  shown = json_out (cli);
  allergies = json_object_get_array_member (json_node_get_object (shown), "allergies");
  g_assert_cmpuint (json_array_get_length (allergies), ==, 2);

  /* bad input: a clear error, exit 1, and nothing saved */
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "patient", "add", "--name", "Doe, Jane",
                        "--dob", "31/12/1990", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "YYYY-MM-DD"));
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "patient", "search", "doe", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "No patient"));
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "patient", "add", "--name", "Doe", NULL), ==, 2);
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "patient", "show", "P-NONE-NONE", NULL), ==, 1);
}

static void
test_users_and_stock (Cli           *cli,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) users = NULL;
  g_autoptr(JsonNode) search = NULL;
  g_autoptr(JsonNode) received = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_autofree char *code = NULL;
  JsonObject *first;

  init_clinic (cli);

  g_assert_cmpint (run (cli, "a long enough phrase\n", "--db", cli->db, "user", "add", "kmensah",
                        "--name", "Dr Kwame Mensah", "--role", "doctor", "--password-stdin",
                        NULL), ==, 0);
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "user", "add", "rpatel", "--name", "Ravi Patel",
                        "--role", "chemist", NULL), ==, 2);
  g_assert_cmpint (run (cli, "short\n", "--db", cli->db, "user", "add", "rpatel", "--name",
                        "Ravi Patel", "--role", "pharmacist", "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "at least 10"));
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "user", "list", "--json", NULL), ==, 0);
  users = json_out (cli);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (users)), ==, 1);
  first = json_array_get_object_element (json_node_get_array (users), 0);
  g_assert_true (json_object_get_boolean_member (first, "has_password"));
  g_assert_null (strstr (cli->out, "long enough"));

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "drug", "search", "amoxicillin 500",
                        "--json", NULL), ==, 0);
  search = json_out (cli);
  code = g_strdup (json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (search),
                                                                 "results"), 0), "code"));

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "stock", "receive", "--product", code,
                        "--lot", "AMX-001", "--expiry", "2099-01-31", "--qty", "100", "--cost", "9",
                        "--json", NULL), ==, 0);
  received = json_out (cli);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (received), "on_hand"), ==, 100);

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "stock", "adjust", code, "--lot", "AMX-001",
                        "--qty", "-4", "--reason", "damage", NULL), ==, 0);
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "stock", "receive", "--product", code,
                        "--lot", "OLD", "--expiry", "2000-01-01", "--qty", "5", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "expired"));

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "stock", "list", "--json", NULL), ==, 0);
  listed = json_out (cli);
  g_assert_cmpint (json_object_get_int_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (listed),
                                                                 "batches"), 0), "quantity"), ==, 96);
}

static void
test_backup_and_audit (Cli           *cli,
                       gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (cli->dir, "backup.db", NULL);
  g_autofree char *restored = g_build_filename (cli->dir, "restored.db", NULL);

  init_clinic (cli);

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "backup", "--to", backup, NULL), ==, 0);
  g_assert_true (g_file_test (backup, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "backup", "--to", backup, NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "never overwrite"));

  g_assert_cmpint (run (cli, NULL, "--db", restored, "restore", "--from", backup, NULL), ==, 0);
  g_assert_cmpint (run (cli, NULL, "--db", restored, "drug", "search", "ibuprofen", NULL), ==, 0);

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "audit", "verify", "--json", NULL), ==, 0);
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "audit", "show", "--limit", "5", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "backup"));
}

static void
test_demo_and_prescriptions (Cli           *cli,
                             gconstpointer  data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) patients = NULL;
  g_autoptr(JsonNode) rx = NULL;
  g_autofree char *record = NULL;
  JsonObject *demo;

  g_assert_cmpint (run (cli, "shared demo password\n", "--db", cli->db, "init", "--clinic",
                        "Demo Clinic", "--demo", "--demo-password-stdin", "--json", NULL), ==, 0);
  root = json_out (cli);
  demo = json_object_get_object_member (json_node_get_object (root), "demo");
  g_assert_cmpint (json_object_get_int_member (demo, "patients"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (demo, "prescriptions"), ==, 300);
  g_assert_false (json_object_has_member (json_node_get_object (root), "demo_password"));

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "patient", "search", "a", "--json", NULL), ==, 0);
  patients = json_out (cli);
  record = g_strdup (json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (patients),
                                                                 "results"), 0),
    "record_number"));

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "rx", "create", "--patient", record, "--as",
                        "kmensah", "--item", "amoxicillin 500 mg capsule; 1 capsule TDS for 7 days; 21",
                        "--json", NULL), ==, 0);
  rx = json_out (cli);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (rx), "status"), ==, "draft");

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "rx", "create", "--patient", record, "--as",
                        "tnguyen", "--item", "amoxicillin 500 mg capsule; 1 TDS; 21", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "only doctors"));
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "rx", "create", "--patient", record, "--as",
                        "kmensah", "--item", "amoxicillin; no quantity", NULL), ==, 1);

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "demo", "generate", "--patients", "20",
                        "--prescriptions", "50", "--json", NULL), ==, 0);
  g_clear_pointer (&root, json_node_unref);
  root = json_out (cli);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "prescriptions"), ==, 50);

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "audit", "verify", NULL), ==, 0);
}

static char *
create_rx (Cli        *cli,
           const char *record,
           const char *item)
{
  g_autoptr(JsonNode) rx = NULL;

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "rx", "create", "--patient", record, "--as",
                        "kmensah", "--item", item, "--json", NULL), ==, 0);
  rx = json_out (cli);
  return g_strdup (json_object_get_string_member (json_node_get_object (rx), "id"));
}

static void
test_sign_and_verify (Cli           *cli,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *record = NULL;
  g_autofree char *id = NULL;
  g_autofree char *morphine = NULL;
  g_autofree char *history = NULL;
  JsonObject *o;

  g_assert_cmpint (run (cli, "shared demo password\n", "--db", cli->db, "init", "--clinic",
                        "Demo Clinic", "--demo", "--demo-password-stdin", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "Certificate authority: CN=Demo Clinic RxDesk CA"));

  /* the demo's CA and its three doctors' certificates */
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "cert", "list", "--json", NULL), ==, 0);
  root = json_out (cli);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_node_get_array (root), 0), "kind"), ==, "ca");
  g_clear_pointer (&root, json_node_unref);
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "cert", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "kmensah"));

  /* the demo's history verifies */
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "rx", "list", "--status", "dispensed",
                        "--limit", "1", "--json", NULL), ==, 0);
  root = json_out (cli);
  history = g_strdup (json_object_get_string_member (json_array_get_object_element (
                        json_node_get_array (root), 0), "id"));
  g_clear_pointer (&root, json_node_unref);
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "rx", "verify", history, NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "Valid: signed by Dr "));

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "patient", "search", "a", "--json", NULL), ==, 0);
  root = json_out (cli);
  record = g_strdup (json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (root),
                                                                 "results"), 0),
    "record_number"));
  g_clear_pointer (&root, json_node_unref);
  id = create_rx (cli, record, "amoxicillin 500 mg capsule; 1 capsule TDS for 7 days; 21");

  /* a draft does not verify; only its prescriber, with the right password, signs it */
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "rx", "verify", id, NULL), ==, 3);
  g_assert_nonnull (strstr (cli->err, "not been signed"));
  g_assert_cmpint (run (cli, "wrong password here\n", "--db", cli->db, "rx", "sign", id, "--as",
                        "kmensah", "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "Wrong username or password"));
  g_assert_cmpint (run (cli, "shared demo password\n", "--db", cli->db, "rx", "sign", id,
                        "--as", "lchen", "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "Only the prescriber"));
  g_assert_cmpint (run (cli, "shared demo password\n", "--db", cli->db, "rx", "sign", id,
                        "--password-stdin", NULL), ==, 2);
  g_assert_cmpint (run (cli, "shared demo password\n", "--db", cli->db, "rx", "sign", id,
                        "--as", "kmensah", "--password-stdin", "--json", NULL), ==, 0);
  root = json_out (cli);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "status"), ==,
                   "signed");
  g_clear_pointer (&root, json_node_unref);
  g_assert_null (strstr (cli->err, "PRIVATE KEY"));

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "rx", "verify", id, "--json", NULL), ==, 0);
  root = json_out (cli);
  o = json_node_get_object (root);
  g_assert_true (json_object_get_boolean_member (o, "valid"));
  g_assert_true (json_object_get_null_member (o, "reason"));
  g_assert_cmpstr (json_object_get_string_member (o, "signer"), ==, "Dr Kwame Mensah (kmensah)");
  g_assert_nonnull (json_object_get_string_member (o, "signed_at"));
  g_clear_pointer (&root, json_node_unref);

  /* a controlled medicine needs the second factor on the second line */
  morphine = create_rx (cli, record, "morphine 10 mg; 1 tablet BD; 10");
  g_assert_cmpint (run (cli, "shared demo password\n123456\n", "--db", cli->db, "rx", "sign",
                        morphine, "--as", "kmensah", "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "a controlled medicine needs a second factor"));

  /* revoked: the reason reaches the pharmacist, and verification fails with exit 3 */
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "cert", "revoke", "kmensah", NULL), ==, 2);
  g_assert_cmpint (run (cli, "wrong password here\n", "--db", cli->db, "cert", "revoke",
                        "kmensah", "--reason", "x", "--as", "ayusuf", "--password-stdin", NULL),
                   ==, 1);
  g_assert_cmpint (run (cli, "shared demo password\n", "--db", cli->db, "cert", "revoke",
                        "kmensah", "--reason", "x", "--as", "lchen", "--password-stdin", NULL),
                   ==, 1);
  g_assert_nonnull (strstr (cli->err, "manage users and certificates"));
  g_assert_cmpint (run (cli, "shared demo password\n", "--db", cli->db, "cert", "revoke",
                        "kmensah", "--reason", "smartcard lost", "--as", "ayusuf",
                        "--password-stdin", NULL), ==, 0);
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "rx", "verify", id, NULL), ==, 3);
  g_assert_nonnull (strstr (cli->err, "revoked"));
  g_assert_nonnull (strstr (cli->err, "smartcard lost"));
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "rx", "verify", id, "--json", NULL), ==, 3);
  root = json_out (cli);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (root), "valid"));
  g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (root), "reason"),
                            "smartcard lost"));
  g_clear_pointer (&root, json_node_unref);
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "cert", "issue", "kmensah", "--json", NULL),
                   ==, 0);

  /* no keyring at all: a clear message, nothing signed */
  without_keyring = TRUE;
  g_assert_cmpint (run (cli, "shared demo password\n", "--db", cli->db, "rx", "sign", morphine,
                        "--as", "lchen", "--password-stdin", NULL), ==, 1);
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "cert", "issue", "jsmith", NULL), ==, 1);
  g_free (id);
  id = create_rx (cli, record, "amoxicillin 500 mg capsule; 1 capsule TDS for 7 days; 21");
  g_assert_cmpint (run (cli, "shared demo password\n", "--db", cli->db, "rx", "sign", id,
                        "--as", "kmensah", "--password-stdin", NULL), ==, 1);
  without_keyring = FALSE;
  g_assert_nonnull (strstr (cli->err, "No keyring (Secret Service) is available"));
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "rx", "verify", id, NULL), ==, 3);
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "audit", "verify", NULL), ==, 0);
}

static void
test_feedback (Cli           *cli,
               gconstpointer  data)
{
  g_autoptr(JsonNode) list = NULL;
  JsonObject *first;

  init_clinic (cli);

  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "feedback", "add", "--rating", "4",
                        "--about", "app:general", "--text", "Search is quick", NULL), ==, 0);
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "feedback", "add", "--rating", "9",
                        "--text", "x", NULL), ==, 1);
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "feedback", "add", "--text", "x", NULL), ==, 2);
  g_assert_cmpint (run (cli, NULL, "--db", cli->db, "feedback", "list", "--json", NULL), ==, 0);
  list = json_out (cli);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  first = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpint (json_object_get_int_member (first, "rating"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (first, "state"), ==, "new");
}

int
main (int   argc,
      char *argv[])
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

#define CLI_TEST(path, func) g_test_add (path, Cli, NULL, cli_setup, func, cli_teardown)
  CLI_TEST ("/cli/usage", test_usage);
  CLI_TEST ("/cli/init-and-drugs", test_init_and_drugs);
  CLI_TEST ("/cli/patients", test_patients);
  CLI_TEST ("/cli/users-and-stock", test_users_and_stock);
  CLI_TEST ("/cli/backup-and-audit", test_backup_and_audit);
  CLI_TEST ("/cli/demo-and-prescriptions", test_demo_and_prescriptions);
  CLI_TEST ("/cli/feedback", test_feedback);
  CLI_TEST ("/cli/sign-and-verify", test_sign_and_verify);

  status = g_test_run ();
  rx_test_remove_dir (keyring);
  return status;
}
