/* test-cli-dispense.c: rxdesk-cli end to end at the pharmacy: the queue, dispensing in two
 * fills (first expiry first out, then a chosen lot), the bill and its payment, the daily
 * report against the ledgers it sums, and the stock-take, export and history. */
#include "config.h"

#include "rx-db-private.h"
#include "cli-harness.h"

#define PASSWORD "a long enough phrase\n"

static JsonObject *
object (JsonNode *root)
{
  return json_node_get_object (root);
}

static JsonObject *
element (JsonObject *o,
         const char *array,
         guint       index)
{
  return json_array_get_object_element (json_object_get_array_member (o, array), index);
}

/* A clinic with a prescriber, a pharmacist, a patient, two lots of amoxicillin (the later
 * received expires first) and a signed prescription for 21 capsules; returns its id. */
static char *
set_up_pharmacy (Cli *cli)
{
  g_autoptr(JsonNode) patient = NULL;
  g_autoptr(JsonNode) rx = NULL;
  g_autofree char *record = NULL;
  char *id;

  cli_init_clinic (cli);
  g_assert_cmpint (cli_run (cli, PASSWORD, "--db", cli->db, "user", "add", "kmensah", "--name",
                            "Dr Kwame Mensah", "--role", "doctor", "--password-stdin", NULL),
                   ==, 0);
  g_assert_cmpint (cli_run (cli, PASSWORD, "--db", cli->db, "user", "add", "rpatel", "--name",
                            "Ravi Patel", "--role", "pharmacist", "--password-stdin", NULL),
                   ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "patient", "add", "--name",
                            "Okafor, Adaeze", "--dob", "1984-03-27", "--json", NULL), ==, 0);
  patient = cli_json (cli);
  record = g_strdup (json_object_get_string_member (object (patient), "record_number"));

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "receive", "--product",
                            "amoxicillin-500mg-capsule", "--lot", "LATE", "--expiry",
                            "2099-06-30", "--qty", "100", NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "receive", "--product",
                            "amoxicillin-500mg-capsule", "--lot", "SOON", "--expiry",
                            "2098-01-31", "--qty", "15", "--supplier", "Depot \"North\", Unit 4",
                            NULL), ==, 0);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "create", "--patient", record,
                            "--as", "kmensah", "--item",
                            "amoxicillin 500 mg capsule; 1 capsule three times a day; 21",
                            "--json", NULL), ==, 0);
  rx = cli_json (cli);
  id = g_strdup (json_object_get_string_member (object (rx), "id"));
  g_assert_cmpint (cli_run (cli, PASSWORD, "--db", cli->db, "rx", "sign", id, "--as", "kmensah",
                            "--password-stdin", NULL), ==, 0);

  return id;
}

static void
test_dispense (Cli           *cli,
               gconstpointer  data)
{
  g_autofree char *rx = set_up_pharmacy (cli);
  g_autofree char *first_dispensing = NULL;
  g_autofree char *invoice = NULL;
  g_autoptr(JsonNode) queue = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) paid = NULL;
  JsonObject *entry, *item, *pick, *d, *m, *line;
  gint64 price;

  /* the queue: the signature holds, and one fill comes from SOON first, then LATE */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "dispense", "queue", "--json", NULL),
                   ==, 0);
  queue = cli_json (cli);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (queue)), ==, 1);
  entry = json_array_get_object_element (json_node_get_array (queue), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "prescription"), ==, rx);
  g_assert_true (json_object_get_boolean_member (entry, "verified"));
  g_assert_cmpstr (json_object_get_string_member (entry, "patient"), ==, "Adaeze Okafor");
  item = element (entry, "items", 0);
  g_assert_cmpstr (json_object_get_string_member (item, "product_code"), ==,
                   "amoxicillin-500mg-capsule");
  g_assert_cmpint (json_object_get_int_member (item, "remaining"), ==, 21);
  g_assert_cmpint (json_object_get_int_member (item, "available"), ==, 115);
  pick = element (item, "suggested", 0);
  g_assert_cmpstr (json_object_get_string_member (pick, "lot"), ==, "SOON");
  g_assert_cmpint (json_object_get_int_member (pick, "quantity"), ==, 15);
  pick = element (item, "suggested", 1);
  g_assert_cmpstr (json_object_get_string_member (pick, "lot"), ==, "LATE");
  g_assert_cmpint (json_object_get_int_member (pick, "quantity"), ==, 6);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "dispense", "queue", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "take lot SOON"));

  /* who dispenses must be said; no more than was prescribed */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "dispense", rx, NULL), ==, 2);
  g_assert_nonnull (strstr (cli->err, "--as USERNAME"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "dispense", rx, "--as", "kmensah", NULL),
                   ==, 1);
  g_assert_nonnull (strstr (cli->err, "may not dispense"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "dispense", rx, "--as", "rpatel", "--qty",
                            "22", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "Only 21 of item 1"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "dispense", rx, "--as", "rpatel",
                            "--batch", "NOPE", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "no lot “NOPE”"));

  /* a part now: first expiry first out; the movement, the dispensing and the bill agree */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "dispense", rx, "--as", "rpatel", "--qty",
                            "10", "--json", NULL), ==, 0);
  first = cli_json (cli);
  g_assert_cmpstr (json_object_get_string_member (object (first), "status"), ==,
                   "partially_dispensed");
  g_assert_cmpint (json_object_get_int_member (object (first), "remaining"), ==, 11);
  d = element (object (first), "dispensings", 0);
  first_dispensing = g_strdup (json_object_get_string_member (d, "id"));
  g_assert_cmpstr (json_object_get_string_member (d, "lot"), ==, "SOON");
  g_assert_cmpint (json_object_get_int_member (d, "quantity"), ==, 10);
  m = element (object (first), "movements", 0);
  g_assert_cmpstr (json_object_get_string_member (m, "kind"), ==, "dispense");
  g_assert_cmpint (json_object_get_int_member (m, "quantity"), ==, -10);
  g_assert_cmpstr (json_object_get_string_member (m, "reference_id"), ==, first_dispensing);
  invoice = g_strdup (json_object_get_string_member (
                        json_object_get_object_member (object (first), "invoice"), "id"));
  line = element (json_object_get_object_member (object (first), "invoice"), "lines", 0);
  g_assert_cmpstr (json_object_get_string_member (line, "reference_id"), ==, first_dispensing);
  g_assert_cmpint (json_object_get_int_member (line, "quantity"), ==, 10);
  price = json_object_get_int_member (line, "unit_price_minor");
  g_assert_cmpint (price, >, 0);
  g_assert_cmpint (json_object_get_int_member (line, "total_minor"), ==, 10 * price);
  g_assert_nonnull (strstr (json_array_get_string_element (
                              json_object_get_array_member (object (first), "labels"), 0),
                            "Adaeze Okafor"));

  /* the rest from a chosen lot completes it; a third dispense is refused */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "dispense", rx, "--as", "rpatel",
                            "--batch", "LATE", "--json", NULL), ==, 0);
  second = cli_json (cli);
  g_assert_cmpstr (json_object_get_string_member (object (second), "status"), ==, "dispensed");
  d = element (object (second), "dispensings", 0);
  g_assert_cmpstr (json_object_get_string_member (d, "lot"), ==, "LATE");
  g_assert_cmpint (json_object_get_int_member (d, "quantity"), ==, 11);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (object (second), "invoice"), "id"), ==,
                   invoice);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "dispense", rx, "--as", "rpatel", NULL),
                   ==, 1);
  g_assert_nonnull (strstr (cli->err, "dispensed in full"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "dispense", "queue", "--json", NULL),
                   ==, 0);
  g_assert_cmpstr (g_strstrip (cli->out), ==, "[]");

  /* the label again, in words */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "dispense", "label", first_dispensing,
                            NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "Adaeze Okafor ("));
  g_assert_nonnull (strstr (cli->out, "Quantity: 10\n"));
  g_assert_nonnull (strstr (cli->out, "Lot SOON, expires 2098-01-31\n"));

  /* the open invoice is issued, then paid */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "pay", invoice, "--method",
                            "cash", "--amount", "400", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "issue it"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "issue", invoice, NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "pay", invoice, "--method",
                            "cash", "--amount", "400", "--json", NULL), ==, 0);
  paid = cli_json (cli);
  g_assert_cmpstr (json_object_get_string_member (object (paid), "status"), ==, "paid");
  g_assert_cmpint (json_object_get_int_member (object (paid), "total_minor"), ==, 21 * price);
}

/* The report's sums, read back from the clinic file for the same bounds. */
static void
assert_report_matches_ledger (Cli        *cli,
                              JsonObject *report)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxDb) db = rx_db_open (cli->db, RX_DB_OPEN_NONE, &error);
  const char *from = json_object_get_string_member (report, "from");
  const char *until = json_object_get_string_member (report, "until");
  JsonArray *rates = json_object_get_array_member (report, "tax_rates");
  JsonArray *methods = json_object_get_array_member (report, "payments");
  g_autofree char *sql = NULL;
  gint64 sum = 0;

  g_assert_no_error (error);

  sql = g_strdup_printf ("SELECT coalesce (sum (total_minor), 0) FROM invoices WHERE "
                         "issued_at >= '%s' AND issued_at < '%s'", from, until);
  g_assert_cmpint (rx_test_count (db, sql), ==,
                   json_object_get_int_member (json_object_get_object_member (report, "total"),
                                               "gross_minor"));
  for (guint i = 0; i < json_array_get_length (rates); i++)
    sum += json_object_get_int_member (json_array_get_object_element (rates, i), "gross_minor");
  g_assert_cmpint (rx_test_count (db, sql), ==, sum);
  g_free (sql);

  sql = g_strdup_printf ("SELECT coalesce (sum (amount_minor), 0) FROM payments WHERE "
                         "at >= '%s' AND at < '%s'", from, until);
  g_assert_cmpint (rx_test_count (db, sql), ==,
                   json_object_get_int_member (report, "payments_minor"));
  sum = 0;
  for (guint i = 0; i < json_array_get_length (methods); i++)
    sum += json_object_get_int_member (json_array_get_object_element (methods, i), "net_minor");
  g_assert_cmpint (rx_test_count (db, sql), ==, sum);
  g_free (sql);

  sql = g_strdup_printf ("SELECT coalesce (sum (amount_minor), 0) FROM payments WHERE "
                         "method = 'cash' AND at >= '%s' AND at < '%s'", from, until);
  g_assert_cmpint (rx_test_count (db, sql), ==,
                   json_object_get_int_member (json_object_get_object_member (report, "cash"),
                                               "takings_minor"));
}

static void
test_daily_report (Cli           *cli,
                   gconstpointer  data)
{
  g_autofree char *rx = set_up_pharmacy (cli);
  g_autoptr(JsonNode) dispensed = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(JsonNode) other = NULL;
  g_autofree char *invoice = NULL;
  JsonObject *cash, *sales;
  gint64 billed;

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "dispense", rx, "--as", "rpatel",
                            "--json", NULL), ==, 0);
  dispensed = cli_json (cli);
  invoice = g_strdup (json_object_get_string_member (
                        json_object_get_object_member (object (dispensed), "invoice"), "id"));
  billed = json_object_get_int_member (json_object_get_object_member (object (dispensed),
                                                                      "invoice"), "total_minor");
  g_assert_cmpint (billed, >, 10);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "issue", invoice, NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "pay", invoice, "--method",
                            "card", "--amount", "10", NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "pay", invoice, "--method",
                            "cash", "--amount", "100000", NULL), ==, 0);
  /* a sale at the counter, refunded */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "create", "--line",
                            "Consultation; 1; 2500", "--json", NULL), ==, 0);
  other = cli_json (cli);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "pay",
                            json_object_get_string_member (object (other), "id"), "--method",
                            "cash", "--amount", "2500", NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "invoice", "refund",
                            json_object_get_string_member (object (other), "id"), NULL), ==, 0);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "report", "daily", "--float", "5000",
                            "--counted", "5200", "--json", NULL), ==, 0);
  report = cli_json (cli);
  sales = json_object_get_object_member (object (report), "invoices");
  g_assert_cmpint (json_object_get_int_member (sales, "count"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (sales, "gross_minor"), ==, billed + 2500);
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (object (report), "credit_notes"),
                     "gross_minor"), ==, -2500);
  cash = json_object_get_object_member (object (report), "cash");
  g_assert_cmpint (json_object_get_int_member (cash, "takings_minor"), ==,
                   (billed - 10) + 2500 - 2500);
  g_assert_cmpint (json_object_get_int_member (cash, "expected_minor"), ==, 5000 + billed - 10);
  g_assert_cmpint (json_object_get_int_member (cash, "difference_minor"), ==,
                   5200 - (5000 + billed - 10));
  g_assert_cmpint (json_object_get_int_member (object (report), "outstanding_minor"), ==, 0);
  assert_report_matches_ledger (cli, object (report));

  /* the same in words; a wrong date is the user's to fix */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "report", "daily", "--counted", "0",
                            "--float", "5000", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "Daily closing report for "));
  g_assert_nonnull (strstr (cli->out, "Short "));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "report", "daily", "--date", "2031-02-30",
                            NULL), ==, 1);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "report", "daily", "--date", "2031-01-01",
                            "--json", NULL), ==, 0);
  g_clear_pointer (&report, json_node_unref);
  report = cli_json (cli);
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (object (report), "invoices"), "count"), ==, 0);
}

static void
test_stock_take (Cli           *cli,
                 gconstpointer  data)
{
  g_autofree char *rx = set_up_pharmacy (cli);
  g_autofree char *csv_path = g_build_filename (cli->dir, "stock.csv", NULL);
  g_autofree char *csv = NULL;
  g_autoptr(JsonNode) taken = NULL;
  g_autoptr(JsonNode) history = NULL;
  JsonObject *lot, *move;

  /* scriptable: tab-separated lines, comments and blank lines skipped; only differences */
  g_assert_cmpint (cli_run (cli, "# shelf 3\nSOON\t14\n\namoxicillin-500mg-capsule\tLATE\t100\n",
                            "--db", cli->db, "stock", "take", "--json", NULL), ==, 0);
  taken = cli_json (cli);
  g_assert_cmpint (json_object_get_int_member (object (taken), "counted"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object (taken), "adjusted"), ==, 1);
  lot = element (object (taken), "lots", 0);
  g_assert_cmpstr (json_object_get_string_member (lot, "lot"), ==, "SOON");
  g_assert_cmpint (json_object_get_int_member (lot, "expected"), ==, 15);
  g_assert_cmpint (json_object_get_int_member (lot, "difference"), ==, -1);

  /* a bad line or an unknown lot: nothing recorded */
  g_assert_cmpint (cli_run (cli, "SOON 3\n", "--db", cli->db, "stock", "take", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "line 1 must read"));
  g_assert_cmpint (cli_run (cli, "SOON\t3\nNOPE\t1\n", "--db", cli->db, "stock", "take", NULL),
                   ==, 1);
  g_assert_nonnull (strstr (cli->err, "no lot “NOPE”"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "take", "--lot", "SOON",
                            "--count", "13", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "recorded -1"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "take", "--count", "3", NULL),
                   ==, 2);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "history",
                            "amoxicillin-500mg-capsule", "--json", NULL), ==, 0);
  history = cli_json (cli);
  move = element (object (history), "movements", 0);
  g_assert_cmpstr (json_object_get_string_member (move, "kind"), ==, "adjust");
  g_assert_cmpstr (json_object_get_string_member (move, "reason"), ==, "stock take");
  g_assert_cmpint (json_object_get_int_member (move, "balance"), ==, 13);

  /* the export: quoted text, bare numbers */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "export", "--to", csv_path,
                            NULL), ==, 0);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "product_code,product,lot,expiry,quantity,state,"
                                        "unit_cost_minor,supplier\r\n"));
  g_assert_nonnull (strstr (csv, "\"SOON\",\"2098-01-31\",13,in_date,,"
                                 "\"Depot \"\"North\"\", Unit 4\"\r\n"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "export", "--to", "-", NULL),
                   ==, 0);
  g_assert_cmpstr (cli->out, ==, csv);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "reorder", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "\"products\":[]"));

  /* a lot that expires within 90 days is marked in the list */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) then = g_date_time_add_days (now, 30);
    g_autofree char *expiry = g_date_time_format (then, "%Y-%m-%d");

    g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "receive", "--product",
                              "paracetamol-500mg-tablet", "--lot", "NEAR", "--expiry", expiry,
                              "--qty", "5", NULL), ==, 0);
  }
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "\"lot\":\"NEAR\""));
  g_assert_nonnull (strstr (cli->out, "\"state\":\"expiring_soon\""));
  g_assert_nonnull (strstr (cli->out, "\"state\":\"in_date\""));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "stock", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "lot NEAR"));
  g_assert_nonnull (strstr (cli->out, "expires soon"));
}

static void
add_tests (void)
{
  CLI_TEST ("/cli/dispense", test_dispense);
  CLI_TEST ("/cli/report-daily", test_daily_report);
  CLI_TEST ("/cli/stock-take", test_stock_take);
}

int
main (int   argc,
      char *argv[])
{
  return cli_main (argc, argv, add_tests);
}
