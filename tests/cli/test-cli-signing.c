/* test-cli-signing.c: rxdesk-cli end to end for signatures: the clinic's CA and certificates,
 * signing (prescriber only, password, second factor for controlled medicines), verifying,
 * revocation, and a workstation without a keyring. */
#include "config.h"

#include <glib/gstdio.h>

#include "cli-harness.h"

static char *
create_rx (Cli        *cli,
           const char *record,
           const char *item)
{
  g_autoptr(JsonNode) rx = NULL;

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "create", "--patient", record, "--as",
                        "kmensah", "--item", item, "--json", NULL), ==, 0);
  rx = cli_json (cli);
  return g_strdup (json_object_get_string_member (json_node_get_object (rx), "id"));
}

/* What the doctor's phone would show now, from the otpauth:// URI of the enrolment. */
static char *
code_from_uri (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, &error);
  g_autoptr(GHashTable) params = NULL;
  g_autofree guint8 *secret = NULL;
  gsize len = 0;

  g_assert_no_error (error);
  params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);
  secret = rx_totp_base32_decode (g_hash_table_lookup (params, "secret"), &len, &error);
  g_assert_no_error (error);

  return rx_totp_code (secret, len, g_get_real_time () / G_USEC_PER_SEC, 6, 30);
}

static void
test_sign_and_verify (Cli           *cli,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *record = NULL;
  g_autofree char *id = NULL;
  g_autofree char *morphine = NULL;
  g_autofree char *second = NULL;
  g_autofree char *code = NULL;
  g_autofree char *input = NULL;
  g_autofree char *history = NULL;
  JsonObject *o;

  g_assert_cmpint (cli_run (cli, "shared demo password\n", "--db", cli->db, "init", "--clinic",
                        "Demo Clinic", "--demo", "--demo-password-stdin", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "Certificate authority: CN=Demo Clinic RxDesk CA"));

  /* the demo's CA and its three doctors' certificates */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "cert", "list", "--json", NULL), ==, 0);
  root = cli_json (cli);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_node_get_array (root), 0), "kind"), ==, "ca");
  g_clear_pointer (&root, json_node_unref);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "cert", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "kmensah"));

  /* the demo's history verifies */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "list", "--status", "dispensed",
                        "--limit", "1", "--json", NULL), ==, 0);
  root = cli_json (cli);
  history = g_strdup (json_object_get_string_member (json_array_get_object_element (
                        json_node_get_array (root), 0), "id"));
  g_clear_pointer (&root, json_node_unref);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "verify", history, NULL), ==, 0);
  g_assert_nonnull (strstr (cli->out, "Valid: signed by Dr "));

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "patient", "search", "a", "--json", NULL), ==, 0);
  root = cli_json (cli);
  record = g_strdup (json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (root),
                                                                 "results"), 0),
    "record_number"));
  g_clear_pointer (&root, json_node_unref);
  id = create_rx (cli, record, "amoxicillin 500 mg capsule; 1 capsule TDS for 7 days; 21");

  /* a draft does not verify; only its prescriber, with the right password, signs it */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "verify", id, NULL), ==, 3);
  g_assert_nonnull (strstr (cli->err, "not been signed"));
  g_assert_cmpint (cli_run (cli, "wrong password here\n", "--db", cli->db, "rx", "sign", id, "--as",
                        "kmensah", "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "Wrong username or password"));
  g_assert_cmpint (cli_run (cli, "shared demo password\n", "--db", cli->db, "rx", "sign", id,
                        "--as", "lchen", "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "Only the prescriber"));
  g_assert_cmpint (cli_run (cli, "shared demo password\n", "--db", cli->db, "rx", "sign", id,
                        "--password-stdin", NULL), ==, 2);
  g_assert_cmpint (cli_run (cli, "shared demo password\n", "--db", cli->db, "rx", "sign", id,
                        "--as", "kmensah", "--password-stdin", "--json", NULL), ==, 0);
  root = cli_json (cli);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "status"), ==,
                   "signed");
  g_clear_pointer (&root, json_node_unref);
  g_assert_null (strstr (cli->err, "PRIVATE KEY"));

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "verify", id, "--json", NULL), ==, 0);
  root = cli_json (cli);
  o = json_node_get_object (root);
  g_assert_true (json_object_get_boolean_member (o, "valid"));
  g_assert_true (json_object_get_null_member (o, "reason"));
  g_assert_cmpstr (json_object_get_string_member (o, "signer"), ==, "Dr Kwame Mensah (kmensah)");
  g_assert_nonnull (json_object_get_string_member (o, "signed_at"));
  g_clear_pointer (&root, json_node_unref);

  /* a controlled medicine needs the second factor on the second line */
  morphine = create_rx (cli, record, "morphine 10 mg; 1 tablet BD; 10");
  g_assert_cmpint (cli_run (cli, "shared demo password\n123456\n", "--db", cli->db, "rx", "sign",
                        morphine, "--as", "kmensah", "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "a controlled medicine needs a second factor"));
  g_assert_nonnull (strstr (cli->err, "totp-enrol kmensah"));

  /* enrolled: password on the first line, the authenticator's code on the second */
  g_assert_cmpint (cli_run (cli, "shared demo password\n", "--db", cli->db, "user", "totp-enrol",
                            "kmensah", "--password-stdin", "--json", NULL), ==, 0);
  root = cli_json (cli);
  code = code_from_uri (json_object_get_string_member (json_node_get_object (root), "uri"));
  g_clear_pointer (&root, json_node_unref);
  input = g_strdup_printf ("shared demo password\n%s\n", code);
  g_assert_cmpint (cli_run (cli, "shared demo password\n", "--db", cli->db, "rx", "sign", morphine,
                            "--as", "kmensah", "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "give the code"));
  g_assert_cmpint (cli_run (cli, input, "--db", cli->db, "rx", "sign", morphine, "--as", "kmensah",
                            "--password-stdin", NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "verify", morphine, NULL), ==, 0);
  /* the same code twice is refused: a replayed code signs nothing */
  second = create_rx (cli, record, "morphine 10 mg; 1 tablet BD; 10");
  g_assert_cmpint (cli_run (cli, input, "--db", cli->db, "rx", "sign", second, "--as", "kmensah",
                            "--password-stdin", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "already used"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "verify", second, NULL), ==, 3);

  /* revoked: the reason reaches the pharmacist, and verification fails with exit 3 */
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "cert", "revoke", "kmensah", NULL), ==, 2);
  g_assert_cmpint (cli_run (cli, "wrong password here\n", "--db", cli->db, "cert", "revoke",
                        "kmensah", "--reason", "x", "--as", "ayusuf", "--password-stdin", NULL),
                   ==, 1);
  g_assert_cmpint (cli_run (cli, "shared demo password\n", "--db", cli->db, "cert", "revoke",
                        "kmensah", "--reason", "x", "--as", "lchen", "--password-stdin", NULL),
                   ==, 1);
  g_assert_nonnull (strstr (cli->err, "manage users and certificates"));
  g_assert_cmpint (cli_run (cli, "shared demo password\n", "--db", cli->db, "cert", "revoke",
                        "kmensah", "--reason", "smartcard lost", "--as", "ayusuf",
                        "--password-stdin", NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "verify", id, NULL), ==, 3);
  g_assert_nonnull (strstr (cli->err, "revoked"));
  g_assert_nonnull (strstr (cli->err, "smartcard lost"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "verify", id, "--json", NULL), ==, 3);
  root = cli_json (cli);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (root), "valid"));
  g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (root), "reason"),
                            "smartcard lost"));
  g_clear_pointer (&root, json_node_unref);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "cert", "issue", "kmensah", "--json", NULL),
                   ==, 0);

  /* no keyring at all: a clear message, nothing signed */
  cli_without_keyring = TRUE;
  g_assert_cmpint (cli_run (cli, "shared demo password\n", "--db", cli->db, "rx", "sign", morphine,
                        "--as", "lchen", "--password-stdin", NULL), ==, 1);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "cert", "issue", "jsmith", NULL), ==, 1);
  g_free (id);
  id = create_rx (cli, record, "amoxicillin 500 mg capsule; 1 capsule TDS for 7 days; 21");
  g_assert_cmpint (cli_run (cli, "shared demo password\n", "--db", cli->db, "rx", "sign", id,
                        "--as", "kmensah", "--password-stdin", NULL), ==, 1);
  cli_without_keyring = FALSE;
  g_assert_nonnull (strstr (cli->err, "No keyring (Secret Service) is available"));
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "rx", "verify", id, NULL), ==, 3);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "audit", "verify", NULL), ==, 0);
}

/* The CA key survives the loss of the workstation that made it: exported under a passphrase,
 * imported on another workstation (another keyring), which can then issue certificates. */
static void
test_ca_backup (Cli           *cli,
                gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (cli->dir, "ca-backup.pem", NULL);
  g_autofree char *other_keyring = g_build_filename (cli->dir, "other-workstation.keyring", NULL);
  g_autofree char *own_keyring = g_strdup (g_getenv ("SECRET_FILE_TEST_PATH"));
  g_autofree char *contents = NULL;
  GStatBuf st;

  g_assert_cmpint (cli_run (cli, "shared demo password\n", "--db", cli->db, "init", "--clinic",
                            "Demo Clinic", "--demo", "--demo-password-stdin", NULL), ==, 0);

  g_assert_cmpint (cli_run (cli, "short\n", "--db", cli->db, "cert", "backup-ca", "--to", backup,
                            "--passphrase-stdin", NULL), ==, 1);
  g_assert_cmpint (cli_run (cli, "keep this apart from the PC\n", "--db", cli->db, "cert",
                            "backup-ca", "--to", backup, "--passphrase-stdin", NULL), ==, 0);
  g_assert_cmpint (g_stat (backup, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (backup, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "ENCRYPTED PRIVATE KEY"));
  g_assert_null (strstr (contents, "-----BEGIN PRIVATE KEY"));
  g_assert_cmpint (cli_run (cli, "keep this apart from the PC\n", "--db", cli->db, "cert",
                            "backup-ca", "--to", backup, "--passphrase-stdin", NULL), ==, 1);

  /* another workstation: its keyring holds none of this clinic's passphrases */
  g_setenv ("SECRET_FILE_TEST_PATH", other_keyring, TRUE);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "cert", "revoke", "egarcia", "--reason",
                            "moved to the new workstation", NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "cert", "issue", "egarcia", NULL), ==, 1);
  g_assert_nonnull (strstr (cli->err, "keyring"));
  g_assert_cmpint (cli_run (cli, "not the passphrase\n", "--db", cli->db, "cert", "restore-ca",
                            "--from", backup, "--passphrase-stdin", NULL), ==, 1);
  g_assert_cmpint (cli_run (cli, "keep this apart from the PC\n", "--db", cli->db, "cert",
                            "restore-ca", "--from", backup, "--passphrase-stdin", NULL), ==, 0);
  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "cert", "issue", "egarcia", NULL), ==, 0);
  g_setenv ("SECRET_FILE_TEST_PATH", own_keyring, TRUE);

  g_assert_cmpint (cli_run (cli, NULL, "--db", cli->db, "audit", "verify", NULL), ==, 0);
}

static void
add_tests (void)
{
  CLI_TEST ("/cli/sign-and-verify", test_sign_and_verify);
  CLI_TEST ("/cli/ca-backup", test_ca_backup);
}

int
main (int   argc,
      char *argv[])
{
  return cli_main (argc, argv, add_tests);
}
