/* rx-cli-sync.c: sync enrol|login|logout|now|status, conflict list|resolve and
 * workstation list|revoke (the last through the server, as an administrator). */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include "rx-cli.h"
#include "rx-sync-run.h"

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static int
cmd_enrol (RxCli  *cli,
           int     argc,
           char  **argv)
{
  g_autofree char *server = NULL;
  g_autofree char *code = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *name = NULL;
  g_autofree char *as = NULL;
  g_autofree char *password = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RxDb) db = NULL;
  gboolean password_stdin = FALSE;
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, "The server's address", "https://HOST:PORT" },
    { "code", 0, 0, G_OPTION_ARG_STRING, &code, "The enrolment code the server printed", "CODE" },
    { "pin", 0, 0, G_OPTION_ARG_STRING, &pin,
      "The server certificate's SHA-256 fingerprint (`rxdesk-server fingerprint`)", "SHA256" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "This workstation's name (default: host name)",
      "NAME" },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as,
      "Sign this person in to the server (an administrator, to upload an existing clinic)",
      "USERNAME" },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      "Read the password from standard input", NULL },
    { NULL }
  };

  if (!rx_cli_parse (cli, "sync enrol", entries, &argc, &argv, 0, 0,
                     "--server URL --code CODE [--pin SHA256] [--as USERNAME]"))
    return cli->exit_code;
  if (server == NULL || code == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "sync enrol needs --server URL and --code CODE");
  if (cli->db_path == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "sync enrol needs --db FILE: an existing clinic to "
                        "bring to the server, or a new file to fill from it");

  if (as != NULL)
    {
      password = rx_cli_read_secret ("Password", password_stdin, &error);
      if (password == NULL)
        return rx_cli_fail_error (cli, error);
    }

  db = rx_sync_enrol (cli->db_path, server, code, pin, name, as, password, NULL, &error);
  if (password != NULL)
    explicit_bzero (password, strlen (password));
  if (db == NULL)
    return rx_cli_fail_error (cli, error);
  rx_paths_set_last_clinic (cli->db_path, NULL);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autofree char *ws = rx_db_get_meta (db, "sync_workstation_id");

      json_builder_begin_object (b);
      add_string (b, "workstation", ws);
      add_string (b, "org", rx_db_get_org_id (db));
      add_string (b, "node", rx_db_get_node_id (db));
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else
    g_print ("Enrolled %s with %s; `rxdesk-cli --db %s sync now` syncs it\n", cli->db_path,
             server, cli->db_path);

  return RX_CLI_OK;
}

static int
cmd_login (RxCli  *cli,
           int     argc,
           char  **argv)
{
  g_autofree char *password = NULL;
  g_autoptr(GError) error = NULL;
  gboolean password_stdin = FALSE, ok;
  GOptionEntry entries[] = {
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      "Read the password from standard input", NULL },
    { NULL }
  };

  if (!rx_cli_parse (cli, "sync login", entries, &argc, &argv, 1, 1,
                     "USERNAME [--password-stdin]"))
    return cli->exit_code;

  password = rx_cli_read_secret ("Password", password_stdin, &error);
  if (password == NULL)
    return rx_cli_fail_error (cli, error);
  ok = rx_sync_login (cli->db, argv[1], password, NULL, &error);
  explicit_bzero (password, strlen (password));
  if (!ok)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    g_print ("{\"signed_in\":true}\n");
  else
    g_print ("%s is signed in to the server on this workstation\n", argv[1]);
  return RX_CLI_OK;
}

static int
cmd_logout (RxCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GError) error = NULL;

  if (!rx_cli_parse (cli, "sync logout", NULL, &argc, &argv, 1, 1, "USERNAME"))
    return cli->exit_code;
  if (!rx_sync_logout (cli->db, argv[1], NULL, &error))
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    g_print ("{\"signed_in\":false}\n");
  else
    g_print ("%s is signed out of the server\n", argv[1]);
  return RX_CLI_OK;
}

static int
cmd_now (RxCli  *cli,
         int     argc,
         char  **argv)
{
  g_autoptr(GError) error = NULL;
  RxSyncReport report = { 0, };

  if (!rx_cli_parse (cli, "sync now", NULL, &argc, &argv, 0, 0, ""))
    return cli->exit_code;

  if (!rx_sync_now (cli->db, &report, NULL, &error))
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    g_print ("{\"pushed\":%u,\"pulled\":%u,\"conflicts\":%u,\"refused\":%u,\"held\":%u,"
             "\"pending\":%" G_GINT64_FORMAT ",\"seconds\":%.3f}\n",
             report.pushed, report.pulled, report.conflicts, report.refused, report.held,
             report.pending, report.seconds);
  else
    {
      g_print ("Sent %u changes, received %u, in %.1f s\n", report.pushed, report.pulled,
               report.seconds);
      if (report.conflicts > 0)
        g_print ("%u new conflicts: `rxdesk-cli conflict list` shows them\n", report.conflicts);
      if (report.refused > 0)
        g_print ("The server refused %u changes: `rxdesk-cli sync status` says why\n",
                 report.refused);
      if (report.held > 0)
        g_print ("%u changes wait for someone whose role may send them to sign in\n",
                 report.held);
    }

  return RX_CLI_OK;
}

static int
cmd_status (RxCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GPtrArray) sign_ins = NULL;
  g_autofree char *server = NULL;
  g_autofree char *ws = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *last = NULL;
  g_autofree char *last_error = NULL;
  g_autofree char *digest = NULL;
  g_autoptr(GError) error = NULL;
  gboolean with_digest = FALSE;
  gint64 pending, refused, parked, conflicts;
  GOptionEntry entries[] = {
    { "digest", 0, 0, G_OPTION_ARG_NONE, &with_digest,
      "Also a digest of the synced data: workstations that see the same tables and are in "
      "sync print the same one", NULL },
    { NULL }
  };

  if (!rx_cli_parse (cli, "sync status", entries, &argc, &argv, 0, 0, "[--digest]"))
    return cli->exit_code;

  if (with_digest)
    {
      digest = rx_sync_digest (cli->db, &error);
      if (digest == NULL)
        return rx_cli_fail_error (cli, error);
    }

  server = rx_db_get_meta (cli->db, "sync_server");
  ws = rx_db_get_meta (cli->db, "sync_workstation_id");
  pin = rx_db_get_meta (cli->db, "sync_pin");
  last = rx_db_get_meta (cli->db, "sync_last_at");
  last_error = rx_db_get_meta (cli->db, "sync_last_error");
  pending = rx_change_log_count_pushable (cli->db);
  refused = rx_change_log_count_refused (cli->db);
  parked = rx_sync_count_parked (cli->db);
  conflicts = rx_conflicts_count_open (cli->db);
  sign_ins = rx_sync_list_sign_ins (cli->db);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "enrolled");
      json_builder_add_boolean_value (b, ws != NULL);
      add_string (b, "server", server);
      add_string (b, "workstation", ws);
      add_string (b, "fingerprint", pin);
      add_string (b, "last_sync", last);
      add_string (b, "last_error", last_error);
      if (digest != NULL)
        add_string (b, "digest", digest);
      json_builder_set_member_name (b, "pending");
      json_builder_add_int_value (b, pending);
      json_builder_set_member_name (b, "refused");
      json_builder_add_int_value (b, refused);
      json_builder_set_member_name (b, "waiting_for_parent");
      json_builder_add_int_value (b, parked);
      json_builder_set_member_name (b, "conflicts");
      json_builder_add_int_value (b, conflicts);
      json_builder_set_member_name (b, "signed_in");
      json_builder_begin_array (b);
      for (guint i = 0; i < sign_ins->len; i++)
        {
          RxSyncSignIn *s = sign_ins->pdata[i];

          json_builder_begin_object (b);
          add_string (b, "username", s->username);
          add_string (b, "role", s->role);
          add_string (b, "expires_at", s->expires_at);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      rx_cli_print_json (b);
      return RX_CLI_OK;
    }

  if (ws == NULL)
    {
      g_print ("Not enrolled with a server: this clinic works alone.\n"
               "`rxdesk-cli sync enrol --server URL --code CODE --pin SHA256` enrols it.\n");
      return RX_CLI_OK;
    }

  g_print ("Server:        %s\nWorkstation:   %s\nFingerprint:   %s\n", server, ws, pin);
  g_print ("Last sync:     %s\n", last != NULL ? last : "never");
  if (last_error != NULL)
    g_print ("Last error:    %s\n", last_error);
  g_print ("Waiting:       %" G_GINT64_FORMAT " changes to send\n", pending);
  if (refused > 0)
    g_print ("Refused:       %" G_GINT64_FORMAT " changes the server would not take\n", refused);
  if (parked > 0)
    g_print ("Incomplete:    %" G_GINT64_FORMAT " received changes wait for the rows they "
             "refer to\n", parked);
  g_print ("Conflicts:     %" G_GINT64_FORMAT " open\n", conflicts);
  if (digest != NULL)
    g_print ("Digest:        %s\n", digest);
  for (guint i = 0; i < sign_ins->len; i++)
    {
      RxSyncSignIn *s = sign_ins->pdata[i];
      g_print ("Signed in:     %s (%s) until %s\n", s->username, s->role, s->expires_at);
    }

  return RX_CLI_OK;
}

static int
cmd_conflict_list (RxCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, "Resolved ones too", NULL },
    { NULL }
  };

  if (!rx_cli_parse (cli, "conflict list", entries, &argc, &argv, 0, 0, "[--all]"))
    return cli->exit_code;

  list = rx_conflicts_list (cli->db, !all, &error);
  if (list == NULL)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "conflicts");
      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        {
          RxConflict *c = list->pdata[i];

          json_builder_begin_object (b);
          add_string (b, "id", c->id);
          add_string (b, "kind", c->kind);
          add_string (b, "entity", c->entity);
          add_string (b, "entity_id", c->entity_id);
          add_string (b, "detail", c->detail);
          add_string (b, "state", c->state);
          add_string (b, "detected_at", c->detected_at);
          add_string (b, "resolution", c->resolution);
          add_string (b, "note", c->note);
          add_string (b, "resolved_at", c->resolved_at);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      rx_cli_print_json (b);
      return RX_CLI_OK;
    }

  if (list->len == 0)
    g_print ("No %sconflicts\n", all ? "" : "open ");
  for (guint i = 0; i < list->len; i++)
    {
      RxConflict *c = list->pdata[i];
      g_print ("%.8s  %-14s %-8s %s\n", c->id, c->kind, c->state, c->detail);
    }

  return RX_CLI_OK;
}

static int
cmd_conflict_resolve (RxCli  *cli,
                      int     argc,
                      char  **argv)
{
  g_autofree char *action = NULL;
  g_autofree char *note = NULL;
  g_autofree char *as = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "action", 0, 0, G_OPTION_ARG_STRING, &action,
      "acknowledged, corrected, recovered or written_off", "A" },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, "What was done", "TEXT" },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, "The pharmacist or administrator resolving it",
      "USERNAME" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "conflict resolve", entries, &argc, &argv, 1, 1,
                     "ID --action A [--note TEXT] [--as USERNAME]"))
    return cli->exit_code;
  if (action == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "conflict resolve needs --action (acknowledged, "
                        "corrected, recovered or written_off)");

  if (as != NULL)
    {
      g_autoptr(RxUser) user = rx_users_find (cli->db, as, &error);

      if (user == NULL)
        return rx_cli_fail_error (cli, error);
      rx_db_set_user (cli->db, user);
    }

  if (!rx_conflicts_resolve (cli->db, argv[1], action, note, &error))
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    g_print ("{\"resolved\":true}\n");
  else
    g_print ("Conflict resolved (%s); the resolution reaches the other workstations at their "
             "next sync\n", action);
  return RX_CLI_OK;
}

static int
cmd_workstation_list (RxCli  *cli,
                      int     argc,
                      char  **argv)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *list;

  if (!rx_cli_parse (cli, "workstation list", NULL, &argc, &argv, 0, 0, ""))
    return cli->exit_code;

  answer = rx_sync_admin_request (cli->db, "GET", "/v1/workstations", NULL, &error);
  if (answer == NULL)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), answer);
      g_autofree char *text = json_to_string (node, FALSE);
      g_print ("%s\n", text);
      return RX_CLI_OK;
    }

  list = json_object_get_array_member (answer, "workstations");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *w = json_array_get_object_element (list, i);
      const char *revoked = json_object_get_string_member_with_default (w, "revoked_at", NULL);

      g_print ("%s  %-20s last seen %s%s%s\n",
               json_object_get_string_member_with_default (w, "id", ""),
               json_object_get_string_member_with_default (w, "name", ""),
               json_object_get_string_member_with_default (w, "last_seen_at", "never"),
               revoked ? ", revoked " : "", revoked ? revoked : "");
    }
  return RX_CLI_OK;
}

static int
cmd_workstation_revoke (RxCli  *cli,
                        int     argc,
                        char  **argv)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *escaped = NULL;

  if (!rx_cli_parse (cli, "workstation revoke", NULL, &argc, &argv, 1, 1, "ID"))
    return cli->exit_code;

  escaped = g_uri_escape_string (argv[1], NULL, FALSE);
  path = g_strdup_printf ("/v1/workstations/%s/revoke", escaped);
  answer = rx_sync_admin_request (cli->db, "POST", path, NULL, &error);
  if (answer == NULL)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    g_print ("{\"revoked\":true}\n");
  else
    g_print ("Workstation %s is revoked: its sign-ins ended and it cannot sync again\n",
             argv[1]);
  return RX_CLI_OK;
}

const RxCliCommand rx_cli_sync_commands[] = {
  { "sync", "enrol", "--server URL --code CODE [--pin SHA256] [--as USERNAME]",
    "Enrol this clinic file (or a new one) with a sync server", FALSE, cmd_enrol },
  { "sync", "login", "USERNAME [--password-stdin]",
    "Sign someone in to the server on this workstation", TRUE, cmd_login },
  { "sync", "logout", "USERNAME", "End someone's sign-in to the server", TRUE, cmd_logout },
  { "sync", "now", "", "Send what waits, then receive until caught up", TRUE, cmd_now },
  { "sync", "status", "[--digest]", "Server, waiting changes, conflicts, who is signed in", TRUE,
    cmd_status },
  { "conflict", "list", "[--all]", "Conflicts sync found and will not decide alone", TRUE,
    cmd_conflict_list },
  { "conflict", "resolve", "ID --action A [--note TEXT]", "Record how a conflict was resolved",
    TRUE, cmd_conflict_resolve },
  { "workstation", "list", "", "The organisation's workstations (administrators)", TRUE,
    cmd_workstation_list },
  { "workstation", "revoke", "ID", "Stop a workstation from syncing (administrators)", TRUE,
    cmd_workstation_revoke },
  { NULL }
};
