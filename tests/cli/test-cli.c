/* test-cli.c: rxdesk-cli end to end: the real binary, run as a script would run it, with its
 * exit codes, its JSON on standard output and its errors on standard error. Clinic set-up,
 * patients, users, stock, backups and the demo. */
#include "config.h"

#include "cli-harness.h"

static void
test_usage (Cli           *cli,
            gconstpointer  data)
{
  g_assert_cmpint (cli_run (cli, NULL, "--help", NULL), ==, 0);
  for (const char *const *w = (const char *const[]) { "init", "drug", "patient", "user", "stock",
                                                      "backup", "demo", "audit", "rx", "rx sign",
                                                      "rx verify", "cert list", "cert revoke",
                                                      NULL };
       *w; w++)
    g_assert_nonnull (strstr (cli->out, *w));

  g_assert_cmpint (cli_run (cli, NULL, NULL), ==, 2);
  g_assert_cmpint (cli_run (cli, NULL, "frobnicate", NULL), ==, 2);
  g_assert_nonnull (strstr (cli->err, "unknown command"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "patient", NULL), ==, 2);
  g_assert_nonnull (strstr (cli->err, "add"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "patient", "add", "--bogus", NULL), ==, 2);
  g_assert_cmpint (cli_run (cli, NULL, "--version", NULL), ==, 0);

  /* no clinic anywhere: says how to make one */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "drug", "search", "x", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "init --clinic"));
  g_assert_true (g_str_has_prefix (cli->err, "rxdesk-cli: "));
}

static void
test_init_and_drugs (Cli           *cli,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *results;

  cli_init_clinic (cli);

  /* again: refused, file untouched */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "init", "--clinic", "Other", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "already exists"));

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "drug", "search", "aspirin", "--json", NULL),
                   ==, 0);
  root = cli_json (cli);
  results = json_object_get_array_member (json_node_get_object (root), "results");
  g_assert_cmpuint (json_array_get_length (results), >, 0);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "inn"),
                   ==, "acetylsalicylic acid");
  g_clear_pointer (&root, json_node_unref);

  /* --json may come first too, and one typo is forgiven */
  g_assert_cmpint (cli_run (cli, NULL, "--json", "--db", cli->db, "drug", "search", "amoxicilin",
                        NULL), ==, 0);
  root = cli_json (cli);
  results = json_object_get_array_member (json_node_get_object (root), "results");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "inn"),
                   ==, "amoxicillin");
  g_clear_pointer (&root, json_node_unref);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "drug", "search", "qqqqzzzz", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "no medicine matches"));

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "drug", "show", "paracetamol", "--json",
                        NULL), ==, 0);
  root = cli_json (cli);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "inn"), ==,
                   "paracetamol");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root),
                                                                         "products")), >=, 1);

  /* the last clinic opened is the default */
  g_assert_cmpint (cli_run (cli, NULL, "drug", "search", "paracetamol", NULL), ==, 0);
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

  cli_init_clinic (cli);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "patient", "add", "--name", "Okafor, Adaeze",
                        "--dob", "1984-03-27", "--sex", "f", "--allergy", "Penicillins",
                        "--allergy", "latex", "--json", NULL), ==, 0);
  added = cli_json (cli);
  record = g_strdup (json_object_get_string_member (json_node_get_object (added),
                                                    "record_number"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (added), "family_name"),
                   ==, "Okafor");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (added), "sex"), ==, "F");

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "patient", "search", "okaf", "--json", NULL),
                   ==, 0);
  found = cli_json (cli);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (found),
                                                                         "results")), ==, 1);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "patient", "show", record, "--json", NULL),
                   ==, 0);
  shown = cli_json (cli);
  allergies = json_object_get_array_member (json_node_get_object (shown), "allergies");
  g_assert_cmpuint (json_array_get_length (allergies), ==, 2);

  /* bad input: a clear error, exit 1, and nothing saved */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "patient", "add", "--name", "Doe, Jane",
                        "--dob", "31/12/1990", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "YYYY-MM-DD"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "patient", "search", "doe", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "No patient"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "patient", "add", "--name", "Doe", NULL), ==, 2);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "patient", "show", "P-NONE-NONE", NULL), ==, 1);
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

  cli_init_clinic (cli);

  g_assert_cmpint (cli_run (cli, "a long enough phrase\n", "--db", cli->db, "user", "add", "kmensah",
                        "--name", "Dr Kwame Mensah", "--role", "doctor", "--password-stdin",
                        NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "user", "add", "rpatel", "--name", "Ravi Patel",
                        "--role", "chemist", NULL), ==, 2);
  g_assert_cmpint (cli_run (cli, "short\n", "--db", cli->db, "user", "add", "rpatel", "--name",
                        "Ravi Patel", "--role", "pharmacist", "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "at least 10"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "user", "list", "--json", NULL), ==, 0);
  users = cli_json (cli);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (users)), ==, 1);
  first = json_array_get_object_element (json_node_get_array (users), 0);
  g_assert_true (json_object_get_boolean_member (first, "has_password"));
  g_assert_null (strstr (cli->out, "long enough"));

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "drug", "search", "amoxicillin 500",
                        "--json", NULL), ==, 0);
  search = cli_json (cli);
  code = g_strdup (json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (search),
                                                                 "results"), 0), "code"));

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "receive", "--product", code,
                        "--lot", "AMX-001", "--expiry", "2099-01-31", "--qty", "100", "--cost", "9",
                        "--json", NULL), ==, 0);
  received = cli_json (cli);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (received), "on_hand"), ==, 100);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "adjust", code, "--lot", "AMX-001",
                        "--qty", "-4", "--reason", "damage", NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "receive", "--product", code,
                        "--lot", "OLD", "--expiry", "2000-01-01", "--qty", "5", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "expired"));

  /* a scanned pack: the first scan names the product, later scans need only the code */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "receive", "--gs1",
                        "]d2010950110153000317290630" "10LOT-B\x1d" "21SN1", "--qty", "10", NULL),
                   ==, 1);
  g_assert_nonnull (strstr (cli->err, "--product"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "receive", "--gs1",
                        "]d2010950110153000317290630" "10LOT-B\x1d" "21SN1", "--product", code,
                        "--qty", "10", NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "receive", "--gs1",
                        "(01)09501101530003(17)290630(10)LOT-B(21)SN2", "--qty", "5", "--json",
                        NULL), ==, 0);
  g_clear_pointer (&received, json_node_unref);
  received = cli_json (cli);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (received), "on_hand"), ==, 111);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "receive", "--gs1",
                        "(01)09501101530004(17)290630(10)LOT-C", "--qty", "5", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "check digit"));
  g_assert_cmpint (cli_run (cli, NULL, "gs1", "parse", "(01)09501101530003(17)290600(10)X",
                        "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "\"expiry\":\"2029-06-30\""));

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "list", "--json", NULL), ==, 0);
  listed = cli_json (cli);
  g_assert_cmpint (json_object_get_int_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (listed),
                                                                 "batches"), 1), "quantity"), ==, 96);
  g_assert_cmpint (json_object_get_int_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (listed),
                                                                 "batches"), 0), "quantity"), ==, 15);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    json_node_get_object (listed), "batches")), ==, 2);
}

static void
test_backup_and_audit (Cli           *cli,
                       gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (cli->dir, "backup.db", NULL);
  g_autofree char *restored = g_build_filename (cli->dir, "restored.db", NULL);

  cli_init_clinic (cli);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "backup", "--to", backup, NULL), ==, 0);
  g_assert_true (g_file_test (backup, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "backup", "--to", backup, NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "never overwrite"));

  g_assert_cmpint (cli_run (cli, NULL, "--db", restored, "restore", "--from", backup, NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", restored, "drug", "search", "ibuprofen", NULL), ==, 0);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "audit", "verify", "--json", NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "audit", "show", "--limit", "5", NULL), ==, 0);
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

  g_assert_cmpint (cli_run (cli, "shared demo password\n", "--db", cli->db, "init", "--clinic",
                        "Demo Clinic", "--demo", "--demo-password-stdin", "--json", NULL), ==, 0);
  root = cli_json (cli);
  demo = json_object_get_object_member (json_node_get_object (root), "demo");
  g_assert_cmpint (json_object_get_int_member (demo, "patients"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (demo, "prescriptions"), ==, 300);
  g_assert_false (json_object_has_member (json_node_get_object (root), "demo_password"));

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "patient", "search", "a", "--json", NULL), ==, 0);
  patients = cli_json (cli);
  record = g_strdup (json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (patients),
                                                                 "results"), 0),
    "record_number"));

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "create", "--patient", record, "--as",
                        "kmensah", "--item", "amoxicillin 500 mg capsule; 1 capsule TDS for 7 days; 21",
                        "--json", NULL), ==, 0);
  rx = cli_json (cli);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (rx), "status"), ==, "draft");

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "create", "--patient", record, "--as",
                        "tnguyen", "--item", "amoxicillin 500 mg capsule; 1 TDS; 21", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "only doctors"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "create", "--patient", record, "--as",
                        "kmensah", "--item", "amoxicillin; no quantity", NULL), ==, 1);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "demo", "generate", "--patients", "20",
                        "--prescriptions", "50", "--json", NULL), ==, 0);
  g_clear_pointer (&root, json_node_unref);
  root = cli_json (cli);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "prescriptions"), ==, 50);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "audit", "verify", NULL), ==, 0);
}


static void
add_tests (void)
{
  CLI_TEST ("/cli/usage", test_usage);
  CLI_TEST ("/cli/init-and-drugs", test_init_and_drugs);
  CLI_TEST ("/cli/patients", test_patients);
  CLI_TEST ("/cli/users-and-stock", test_users_and_stock);
  CLI_TEST ("/cli/backup-and-audit", test_backup_and_audit);
  CLI_TEST ("/cli/demo-and-prescriptions", test_demo_and_prescriptions);
}

int
main (int   argc,
      char *argv[])
{
  return cli_main (argc, argv, add_tests);
}
