/* test-cli-admin.c: the admin's commands end to end: formulary import (good, bad rows, not a
 * formulary, empty, 10 000 rows) and a backup restored with the same data. */
#include "config.h"

#include <sqlite3.h>

#include "cli-harness.h"

#define HEADER "id,inn,atc,form,strength,route,pack_sizes,pack_unit,pack_prices_minor," \
               "rx_only,controlled,eml\n"

static char *
write_file (Cli        *cli,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (cli->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static gint64
json_int (Cli        *cli,
          const char *member)
{
  g_autoptr(JsonNode) root = cli_json (cli);

  return json_object_get_int_member (json_node_get_object (root), member);
}

static gint64
count_products (Cli *cli)
{
  g_autoptr(JsonNode) root = NULL;

  /* no match at all is a failed search (exit 1) */
  if (cli_run (cli, NULL, "--db", cli->db, "drug", "search", "cliimport", "--limit", "50",
               "--json", NULL) == 1)
    return 0;
  g_assert_cmpint (cli->status, ==, 0);
  root = cli_json (cli);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (root),
                                                              "results"));
}

static void
test_import (Cli           *cli,
             gconstpointer  data)
{
  g_autofree char *good = write_file (cli, "good.csv", HEADER
    "cli-1,cliimport,N02BE01,tablet,500 mg,oral,16|32,tablet,120|200,0,0,1\n"
    "cli-2,cliimport,N02BE01,tablet,250 mg,oral,16,tablet,90,0,0,1\n");
  g_autofree char *bad = write_file (cli, "bad.csv", HEADER
    "cli-3,cliimport,N02BE01,tablet,100 mg,oral,16,tablet,50,0,0,1\n"
    "cli-4,cliimport,N2BE01,tablet,,oral,16,tablet,ten,0,0,1\n"
    "\n"
    "cli-5,cliimport,N02BE01,tablet,1 g,oral,16,tablet,1.20,0,0,1\n");
  g_autofree char *prose = write_file (cli, "notes.csv", "Please order more gloves.\n");
  g_autofree char *empty = write_file (cli, "empty.csv", "");
  g_autoptr(JsonNode) root = NULL;
  JsonArray *rejected;

  cli_init_clinic (cli);

  /* a dry run reports and writes nothing */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "formulary", "import", good,
                            "--dry-run", "--json", NULL), ==, 0);
  g_assert_cmpint (json_int (cli, "added"), ==, 2);
  g_assert_cmpint (count_products (cli), ==, 0);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "formulary", "import", good,
                            "--json", NULL), ==, 0);
  g_assert_cmpint (json_int (cli, "added"), ==, 2);
  g_assert_cmpint (count_products (cli), ==, 2);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "formulary", "import", good,
                            "--json", NULL), ==, 0);
  g_assert_cmpint (json_int (cli, "unchanged"), ==, 2);

  /* bad rows: each named with its line, exit 1, nothing written (not even the good row) */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "formulary", "import", bad,
                            "--json", NULL), ==, 1);
  root = cli_json (cli);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "rejected"), ==, 2);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (root), "written"));
  rejected = json_object_get_array_member (json_node_get_object (root), "rejected_rows");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rejected, 0),
                                               "line"), ==, 3);
  g_assert_nonnull (strstr (json_object_get_string_member (
                      json_array_get_object_element (rejected, 0), "reason"), "ATC"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rejected, 1),
                                               "line"), ==, 5);
  g_assert_nonnull (strstr (cli->err, "nothing was changed"));
  g_assert_cmpint (count_products (cli), ==, 2);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "formulary", "import", prose, NULL),
                   ==, 1);
  g_assert_nonnull (strstr (cli->err, "not a formulary"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "formulary", "import", empty, NULL),
                   ==, 1);
  g_assert_nonnull (strstr (cli->err, "empty"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "formulary", "import", NULL), ==, 2);
}

static void
test_import_large (Cli           *cli,
                   gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autofree char *path = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (text, "big-%05u,big %u,A02BC01,capsule,%u mg,oral,28,capsule,%u,"
                            "1,0,0\n", i, i % 100, 10 + i % 5, 100 + i);
  path = write_file (cli, "big.csv", text->str);

  cli_init_clinic (cli);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "formulary", "import", path,
                            "--json", NULL), ==, 0);
  g_assert_cmpint (json_int (cli, "added"), ==, 10000);
  g_assert_cmpint (json_int (cli, "rejected"), ==, 0);
}

/* What a clinic holds, as the commands show it: equal digests, equal data. */
static char *
data_digest (Cli        *cli,
             const char *db)
{
  g_autoptr(GString) all = g_string_new (NULL);
  const char *lists[][3] = {
    { "patient", "search", "a" }, { "rx", "list", NULL }, { "user", "list", NULL },
    { "stock", "list", NULL }, { "feedback", "list", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      if (lists[i][2] != NULL)
        g_assert_cmpint (cli_run (cli, NULL, "--db", db, lists[i][0], lists[i][1], lists[i][2],
                                  "--json", NULL), ==, 0);
      else
        g_assert_cmpint (cli_run (cli, NULL, "--db", db, lists[i][0], lists[i][1], "--json",
                                  NULL), ==, 0);
      g_string_append (all, cli->out);
    }
  g_assert_cmpuint (all->len, >, 100);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, all->str, all->len);
}

static void
set_user_version (const char *path,
                  int         version)
{
  sqlite3 *handle = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", version);

  g_assert_cmpint (sqlite3_open (path, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);
}

static void
test_backup_restore (Cli           *cli,
                     gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (cli->dir, "backup.db", NULL);
  g_autofree char *restored = g_build_filename (cli->dir, "restored.db", NULL);
  g_autofree char *newer = g_build_filename (cli->dir, "newer.db", NULL);
  g_autofree char *again = g_build_filename (cli->dir, "again.db", NULL);
  g_autofree char *text = write_file (cli, "notes.db", "not a database at all");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *backup_sum = NULL;
  g_autofree char *after_sum = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_cmpint (cli_run (cli, "shared demo password\n", "--db", cli->db, "init", "--clinic", "Round",
                            "--demo", "--demo-password-stdin", NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "feedback", "add", "--rating", "4",
                            "--text", "Quick service", NULL), ==, 0);
  before = data_digest (cli, cli->db);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "backup", "--to", backup, NULL), ==, 0);
  g_assert_true (g_file_get_contents (backup, &contents, &length, NULL));
  backup_sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, length);
  g_clear_pointer (&contents, g_free);

  /* the live clinic moves on; the restore brings back the state at the backup */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "feedback", "add", "--rating", "1",
                            "--text", "After the backup", NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", restored, "restore", "--from", backup, "--json",
                            NULL), ==, 0);
  after = data_digest (cli, restored);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (cli_run (cli, NULL, "--db", restored, "audit", "verify", NULL), ==, 0);

  /* restoring never changes the backup itself */
  g_assert_true (g_file_get_contents (backup, &contents, &length, NULL));
  after_sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, length);
  g_assert_cmpstr (after_sum, ==, backup_sum);

  /* never over an existing file; never a file that is not a backup, or one from the future */
  g_assert_cmpint (cli_run (cli, NULL, "--db", restored, "restore", "--from", backup, NULL),
                   ==, 1);
  g_assert_nonnull (strstr (cli->err, "already exists"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", again, "restore", "--from", text, NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "not an RxDesk backup"));
  g_assert_false (g_file_test (again, G_FILE_TEST_EXISTS));

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "backup", "--to", newer, NULL), ==, 0);
  set_user_version (newer, 9999);
  g_assert_cmpint (cli_run (cli, NULL, "--db", again, "restore", "--from", newer, NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "newer RxDesk"));
  g_assert_false (g_file_test (again, G_FILE_TEST_EXISTS));
}

static void
add_tests (void)
{
  CLI_TEST ("/cli/formulary-import", test_import);
  CLI_TEST ("/cli/formulary-import-large", test_import_large);
  CLI_TEST ("/cli/backup-restore", test_backup_restore);
}

int
main (int   argc,
      char *argv[])
{
  return cli_main (argc, argv, add_tests);
}
