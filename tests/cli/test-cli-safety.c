/* test-cli-safety.c: rxdesk-cli check and the safety gate of rx create, end to end. */
#include "config.h"

#include "cli-harness.h"
#include "rx-test-fixtures.h"

static JsonArray *
alerts_of (JsonNode *root)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_assert_cmpuint (json_object_get_size (json_node_get_object (root)), ==, 1);
  return json_object_get_array_member (json_node_get_object (root), "alerts");
}

/* Exactly the members CLI.md promises, with the values a script may rely on. */
static void
assert_alert (JsonObject *alert,
              const char *kind,
              const char *severity,
              const char *first_drug)
{
  JsonArray *drugs = json_object_get_array_member (alert, "drugs");

  g_assert_cmpuint (json_object_get_size (alert), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (alert, "kind"), ==, kind);
  g_assert_cmpstr (json_object_get_string_member (alert, "severity"), ==, severity);
  g_assert_cmpstr (json_array_get_string_element (drugs, 0), ==, first_drug);
  g_assert_cmpuint (strlen (json_object_get_string_member (alert, "message")), >, 20);
}

static void
test_check_json (Cli           *cli,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) pair = NULL;
  g_autoptr(JsonNode) brands = NULL;
  g_autoptr(JsonNode) quiet = NULL;
  g_autoptr(JsonNode) allergic = NULL;
  JsonArray *alerts;
  JsonObject *first;

  cli_init_clinic (cli);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "check", "warfarin", "ibuprofen", "--json",
                            NULL), ==, 0);
  pair = cli_json (cli);
  alerts = alerts_of (pair);
  g_assert_cmpuint (json_array_get_length (alerts), ==, 1);
  first = json_array_get_object_element (alerts, 0);
  assert_alert (first, "interaction", "major", "warfarin");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (first, "drugs"),
                                                  1), ==, "ibuprofen");

  /* brands and other names are accepted, and alerts name the generic medicine */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "--json", "check", "Coumadin", "Nurofen",
                            NULL), ==, 0);
  brands = cli_json (cli);
  assert_alert (json_array_get_object_element (alerts_of (brands), 0), "interaction", "major",
                "warfarin");

  /* nothing to say is still success, with an empty list */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "check", "acetaminophen", "amoxicillin",
                            "--json", NULL), ==, 0);
  quiet = cli_json (cli);
  g_assert_cmpuint (json_array_get_length (alerts_of (quiet)), ==, 0);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "check", "--allergy", "penicillins",
                            "amoxicillin", "cefalexin", "--json", NULL), ==, 0);
  allergic = cli_json (cli);
  alerts = alerts_of (allergic);
  g_assert_cmpuint (json_array_get_length (alerts), ==, 2);
  assert_alert (json_array_get_object_element (alerts, 0), "allergy", "contraindicated",
                "amoxicillin");
  assert_alert (json_array_get_object_element (alerts, 1), "allergy", "moderate", "cefalexin");
}

static void
test_check_text_and_errors (Cli           *cli,
                            gconstpointer  data)
{
  cli_init_clinic (cli);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "check", "simvastatin", "clarithromycin",
                            NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "CONTRAINDICATED interaction: simvastatin + "
                                      "clarithromycin"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "check", "amlodipine", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "No interactions"));

  /* an unknown medicine: exit 1, the closest names, nothing on standard output */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "check", "warfarin", "amoxxicillin",
                            "--json", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "amoxxicillin"));
  g_assert_nonnull (strstr (cli->err, "did you mean amoxicillin"));
  g_assert_cmpstr (cli->out, ==, "");

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "check", "--allergy", "penicilin",
                            "amoxicillin", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "did you mean penicillins"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "check", NULL), ==, 2);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "check", "--patient", "P-NONE-NONE",
                            "warfarin", NULL), ==, 1);
}

static char *
add_patient (Cli *cli)
{
  g_autoptr(JsonNode) added = NULL;

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "patient", "add", "--name",
                            "Okafor, Adaeze", "--dob", "1984-03-27", "--allergy", "penicillins",
                            "--json", NULL), ==, 0);
  added = cli_json (cli);
  return g_strdup (json_object_get_string_member (json_node_get_object (added),
                                                  "record_number"));
}

static void
test_check_patient (Cli           *cli,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *record = NULL;
  JsonArray *alerts;

  cli_init_clinic (cli);
  record = add_patient (cli);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "check", "--patient", record,
                            "co-amoxiclav", "--json", NULL), ==, 0);
  root = cli_json (cli);
  alerts = alerts_of (root);
  g_assert_cmpuint (json_array_get_length (alerts), ==, 1);
  assert_alert (json_array_get_object_element (alerts, 0), "allergy", "contraindicated",
                "amoxicillin + clavulanic acid");
}

/* rx create stops at a severe alert until the prescriber gives a reason, which is then kept
 * with the prescription and in the audit trail. */
static void
test_rx_create_override (Cli           *cli,
                         gconstpointer  data)
{
  const char *item = "amoxicillin 500 mg capsule; 1 capsule TDS for 7 days; 21";
  const char *reason = "Took amoxicillin in 2023 without a reaction";
  g_autoptr(JsonNode) rx = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RxDb) db = NULL;
  g_autofree char *record = NULL;
  g_autofree char *sql = NULL;
  JsonArray *alerts;
  const char *id;

  cli_init_clinic (cli);
  record = add_patient (cli);
  g_assert_cmpint (cli_run (cli, "a long enough phrase\n", "--db", cli->db, "user", "add",
                            "kmensah", "--name", "Dr Kwame Mensah", "--role", "doctor",
                            "--password-stdin", NULL), ==, 0);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "create", "--patient", record,
                            "--as", "kmensah", "--item", item, "--json", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "override"));
  g_assert_nonnull (strstr (cli->err, "CONTRAINDICATED allergy: amoxicillin"));
  g_assert_cmpstr (cli->out, ==, "");
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "create", "--patient", record,
                            "--as", "kmensah", "--item", item, "--override", "because", NULL),
                   ==, 1);
  g_assert_nonnull (strstr (cli->err, "10 characters"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "list", "--json", NULL), ==, 0);
  g_assert_cmpstr (g_strstrip (cli->out), ==, "[]");

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "create", "--patient", record,
                            "--as", "kmensah", "--item", item, "--override", reason, "--json",
                            NULL), ==, 0);
  rx = cli_json (cli);
  id = json_object_get_string_member (json_node_get_object (rx), "id");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (rx), "status"), ==,
                   "draft");
  alerts = json_object_get_array_member (json_node_get_object (rx), "alerts");
  g_assert_cmpuint (json_array_get_length (alerts), ==, 1);
  assert_alert (json_array_get_object_element (alerts, 0), "allergy", "contraindicated",
                "amoxicillin");

  /* stored, audited, and the audit chain still verifies */
  db = rx_db_open (cli->db, RX_DB_OPEN_NONE, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT count(*) FROM safety_overrides WHERE prescription_id = '%s' "
                         "AND kind = 'allergy' AND severity = 'contraindicated' "
                         "AND reason = '%s' AND updated_by = (SELECT id FROM users "
                         "WHERE username = 'kmensah')", id, reason);
  g_assert_cmpint (rx_test_count (db, sql), ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM audit_events WHERE action = 'override' "
                         "AND entity = 'safety_overrides' AND detail LIKE '%%%s%%'", reason);
  g_assert_cmpint (rx_test_count (db, sql), ==, 1);
  g_clear_object (&db);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "audit", "verify", NULL), ==, 0);

  /* a patient without the allergy needs no override for the same item */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "patient", "add", "--name", "Doe, Jane",
                            "--dob", "1990-01-01", "--json", NULL), ==, 0);
  {
    g_autoptr(JsonNode) other = cli_json (cli);
    const char *doe = json_object_get_string_member (json_node_get_object (other),
                                                     "record_number");

    g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "create", "--patient", doe,
                              "--as", "kmensah", "--item", item, NULL), ==, 0);
    g_assert_null (strstr (cli->out, "Safety alerts"));
  }
}

static void
add_tests (void)
{
  CLI_TEST ("/cli/safety/check-json", test_check_json);
  CLI_TEST ("/cli/safety/check-text-and-errors", test_check_text_and_errors);
  CLI_TEST ("/cli/safety/check-patient", test_check_patient);
  CLI_TEST ("/cli/safety/rx-create-override", test_rx_create_override);
}

int
main (int   argc,
      char *argv[])
{
  return cli_main (argc, argv, add_tests);
}
