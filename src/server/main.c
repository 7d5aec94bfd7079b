/* main.c: rxdesk-server, the HTTPS sync server (contract: CLI.md "Sync", PROTOCOL.md).
 * rxdesk-server [OPTIONS] serves; rxdesk-server [OPTIONS] migrate | org ... | fingerprint |
 * workstation ... administer its store. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "rx-server-error.h"
#include "rx-server-org.h"
#include "rx-server-tls.h"
#include "rx-server.h"
#include "rx-store-pg.h"

enum
{
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
};

/* Seconds a stop waits for requests under way before it gives up on them. */
#define STOP_GRACE_SECONDS 30

typedef struct
{
  char           *listen;
  char           *data_dir;
  char           *store_url;
  char           *tls_cert;
  char           *tls_key;
  char           *from_sqlite;
  char           *to;
  gboolean        json;
  gboolean        version;
  int             max_body_bytes;
  int             max_batch;
  int             max_pull;
  int             requests_per_minute;
  int             login_failures_per_user;
  int             login_failures_per_address;
  int             token_seconds;
  int             debug_push_delay_ms;
  int             pg_pool;
  RxServerLimits  limits;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->listen);
  g_free (o->data_dir);
  g_free (o->store_url);
  g_free (o->tls_cert);
  g_free (o->tls_key);
  g_free (o->from_sqlite);
  g_free (o->to);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static int
fail (int         code,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static int
fail (int         code,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("rxdesk-server: %s\n", message);

  return code;
}

/* Set-up ---------------------------------------------------------------------------------- */

static gboolean
ensure_data_dir (const char  *dir,
                 GError     **error)
{
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  if (g_mkdir_with_parents (dir, 0700) == 0)
    return TRUE;

  g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_INVALID,
               "The data folder %s cannot be made: %s; give one the server may write with "
               "--data-dir", dir, g_strerror (errno));
  return FALSE;
}

static RxStore *
open_store (Options  *o,
            GError  **error)
{
  g_autofree char *default_path = g_build_filename (o->data_dir, "server.db", NULL);
  g_autoptr(RxStore) store = NULL;

  /* the default store lives in the data folder; a --store elsewhere needs no folder here */
  if ((o->store_url == NULL || g_str_has_prefix (o->store_url, "sqlite:")) &&
      !ensure_data_dir (o->data_dir, error))
    return NULL;
  store = rx_store_open (o->store_url, default_path, o->pg_pool, error);
  if (store == NULL || !rx_store_migrate (store, error))
    return NULL;

  return g_steal_pointer (&store);
}

/* "127.0.0.1:8443", "[::1]:8443", "0.0.0.0:0", "localhost:8443" */
static GInetSocketAddress *
parse_listen (const char  *text,
              GError     **error)
{
  const char *colon = strrchr (text, ':');
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) address = NULL;
  guint64 port = 0;

  if (colon != NULL)
    {
      host = g_strndup (text, colon - text);
      if (host[0] == '[' && host[strlen (host) - 1] == ']')
        {
          char *inner = g_strndup (host + 1, strlen (host) - 2);

          g_free (host);
          host = inner;
        }
    }
  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_INVALID,
                   "--listen must be ADDRESS:PORT, such as 127.0.0.1:8443 or [::]:8443, not "
                   "“%s”", text);
      return NULL;
    }

  if (g_str_equal (host, "localhost"))
    address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_INVALID,
                   "--listen needs a numeric address (such as 0.0.0.0 for every interface), "
                   "not “%s”", host);
      return NULL;
    }

  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, port));
}

/* Serving --------------------------------------------------------------------------------- */

typedef struct
{
  GMainLoop *loop;
  RxServer  *server;
  guint      grace_id;
} Running;

static gboolean
grace_over (gpointer data)
{
  Running *run = data;

  g_printerr ("rxdesk-server: requests still under way after %d seconds; stopping anyway\n",
              STOP_GRACE_SECONDS);
  run->grace_id = 0;
  g_main_loop_quit (run->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal (gpointer data)
{
  Running *run = data;

  if (run->grace_id == 0)
    run->grace_id = g_timeout_add_seconds (STOP_GRACE_SECONDS, grace_over, run);
  rx_server_shutdown (run->server);
  return G_SOURCE_CONTINUE;
}

static void
on_stopped (RxServer *server,
            Running  *run)
{
  g_main_loop_quit (run->loop);
}

static int
serve (Options *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxStore) store = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(RxServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *fingerprint = NULL;
  Running run = { NULL, };
  gboolean made = FALSE;
  guint term_id, int_id;

  address = parse_listen (o->listen, &error);
  if (address == NULL)
    return fail (EXIT_USAGE, "%s", error->message);

  /* the server's own certificate lives in the data folder, whichever the store */
  if (!rx_server_tls_check_backend (&error) ||
      (o->tls_cert == NULL && !ensure_data_dir (o->data_dir, &error)) ||
      (store = open_store (o, &error)) == NULL ||
      (certificate = rx_server_tls_load (o->tls_cert, o->tls_key, o->data_dir, TRUE, &made,
                                         &error)) == NULL)
    return fail (EXIT_FAILED, "%s", error->message);

  server = rx_server_new (store, certificate, &o->limits);
  if (!rx_server_listen (server, address, &error))
    return fail (EXIT_FAILED, "cannot listen on %s: %s; is another server running there?",
                 o->listen, error->message);

  uri = rx_server_dup_uri (server);
  if (made)
    {
      fingerprint = rx_server_tls_fingerprint (certificate);
      g_print ("certificate fingerprint (SHA-256): %s\n", fingerprint);
    }
  g_print ("listening on %s\n", uri);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.server = server;
  g_signal_connect (server, "stopped", G_CALLBACK (on_stopped), &run);
  term_id = g_unix_signal_add (SIGTERM, on_signal, &run);
  int_id = g_unix_signal_add (SIGINT, on_signal, &run);

  g_main_loop_run (loop);

  g_source_remove (term_id);
  g_source_remove (int_id);
  if (run.grace_id != 0)
    g_source_remove (run.grace_id);
  g_printerr ("rxdesk-server: stopped\n");

  return EXIT_OK;
}

/* Administration -------------------------------------------------------------------------- */

static void
print_json (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = json_to_string (root, FALSE);

  g_print ("%s\n", text);
}

static int
print_code (Options    *o,
            const char *org_id,
            const char *code)
{
  if (o->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "org");
      json_builder_add_string_value (b, org_id);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, code);
      json_builder_end_object (b);
      print_json (b);
    }
  else
    g_print ("Organisation %s\n"
             "Enrolment code %s (works once, for %d days)\n"
             "Enrol a workstation with: rxdesk-cli --db FILE sync enrol --server URL --code %s "
             "--pin FINGERPRINT\n", org_id, code, RX_ENROL_CODE_DAYS, code);

  return EXIT_OK;
}

static int
cmd_org (Options  *o,
         RxStore  *store,
         char    **args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *org_id = NULL;

  if (g_strv_length (args) == 2 && g_str_equal (args[0], "create"))
    {
      org_id = rx_server_org_create (store, args[1], &code, &error);
      if (org_id == NULL)
        return fail (EXIT_FAILED, "%s", error->message);
      return print_code (o, org_id, code);
    }

  if (g_strv_length (args) == 2 && g_str_equal (args[0], "code"))
    {
      code = rx_server_org_new_code (store, args[1], &error);
      if (code == NULL)
        return fail (EXIT_FAILED, "%s", error->message);
      return print_code (o, args[1], code);
    }

  if (g_strv_length (args) == 1 && g_str_equal (args[0], "list"))
    {
      g_autoptr(GPtrArray) orgs = rx_store_org_list (store, &error);
      g_autoptr(JsonBuilder) b = json_builder_new ();

      if (orgs == NULL)
        return fail (EXIT_FAILED, "%s", error->message);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "organisations");
      json_builder_begin_array (b);
      for (guint i = 0; i < orgs->len; i++)
        {
          RxStoreOrg *org = g_ptr_array_index (orgs, i);

          if (!o->json)
            g_print ("%s  %-30s entries: %" G_GINT64_FORMAT "\n", org->id, org->name, org->head);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, org->id);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, org->name);
          json_builder_set_member_name (b, "head");
          json_builder_add_int_value (b, org->head);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      if (o->json)
        print_json (b);
      return EXIT_OK;
    }

  return fail (EXIT_USAGE, "usage: rxdesk-server org create NAME | org code ORG | org list");
}

static int
cmd_workstation (Options  *o,
                 RxStore  *store,
                 char    **args)
{
  g_autoptr(GError) error = NULL;

  if (g_strv_length (args) == 2 && g_str_equal (args[0], "list"))
    {
      g_autoptr(GPtrArray) list = rx_store_workstation_list (store, args[1], &error);
      g_autoptr(JsonBuilder) b = json_builder_new ();

      if (list == NULL)
        return fail (EXIT_FAILED, "%s", error->message);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "workstations");
      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        {
          RxStoreWorkstation *ws = g_ptr_array_index (list, i);

          if (!o->json)
            g_print ("%s  %-24s %s%s\n", ws->id, ws->name, ws->node_id,
                     ws->revoked_at ? "  (revoked)" : "");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, ws->id);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, ws->name);
          json_builder_set_member_name (b, "node_id");
          json_builder_add_string_value (b, ws->node_id);
          json_builder_set_member_name (b, "revoked");
          json_builder_add_boolean_value (b, ws->revoked_at != 0);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      if (o->json)
        print_json (b);
      return EXIT_OK;
    }

  if (g_strv_length (args) == 2 && g_str_equal (args[0], "revoke"))
    {
      g_autoptr(RxStoreWorkstation) ws = rx_store_workstation_get (store, args[1], &error);

      if (ws == NULL)
        return fail (EXIT_FAILED, "%s", error ? error->message
                     : "there is no such workstation; “workstation list ORG” shows them");
      if (!rx_store_workstation_revoke (store, args[1], g_get_real_time () / G_USEC_PER_SEC,
                                        &error))
        return fail (EXIT_FAILED, "%s", error->message);
      if (!o->json)
        g_print ("Workstation %s (%s) is revoked; its tokens no longer work\n", ws->id,
                 ws->name);
      return EXIT_OK;
    }

  return fail (EXIT_USAGE, "usage: rxdesk-server workstation list ORG | workstation revoke ID");
}

static int
cmd_fingerprint (Options *o)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  gboolean made = FALSE;

  certificate = rx_server_tls_load (o->tls_cert, o->tls_key, o->data_dir, FALSE, &made, &error);
  if (certificate == NULL)
    return fail (EXIT_FAILED, "%s", error->message);

  fingerprint = rx_server_tls_fingerprint (certificate);
  if (o->json)
    g_print ("{\"fingerprint\":\"%s\"}\n", fingerprint);
  else
    g_print ("%s\n", fingerprint);

  return EXIT_OK;
}

/* Moving to PostgreSQL -------------------------------------------------------------------- */

#if HAVE_POSTGRESQL
static void
add_counts (JsonBuilder *b,
            GPtrArray   *counts)
{
  json_builder_set_member_name (b, "copied");
  json_builder_begin_object (b);
  for (guint i = 0; i < counts->len; i++)
    {
      const char *text = g_ptr_array_index (counts, i);
      const char *space = strrchr (text, ' ');
      g_autofree char *label = g_strndup (text, space - text);

      json_builder_set_member_name (b, label);
      json_builder_add_int_value (b, g_ascii_strtoll (space + 1, NULL, 10));
    }
  json_builder_end_object (b);
}

/* Copies a server's SQLite store into an empty PostgreSQL one, then compares the digest of
 * every organisation's log on both sides. Exit 3 when one differs. */
static int
cmd_migrate_from_sqlite (Options *o)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (o->from_sqlite, "server.db", NULL);
  g_autofree char *source_url = g_strconcat ("sqlite:", path, NULL);
  g_autoptr(RxStore) source = NULL;
  g_autoptr(RxStore) target = NULL;
  g_autoptr(GPtrArray) counts = NULL;
  g_autoptr(GPtrArray) orgs = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean all_match = TRUE;

  if (!g_str_has_prefix (o->to, "postgresql:") && !g_str_has_prefix (o->to, "postgres:"))
    return fail (EXIT_USAGE, "--to must be a postgresql:// URL, not “%s”", o->to);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return fail (EXIT_FAILED, "there is no store %s; --from-sqlite takes the data folder of the "
                 "server to move", path);

  /* the source brought to the schema the copy expects, as the server itself would at start */
  source = rx_store_open (source_url, NULL, 0, &error);
  if (source == NULL || !rx_store_migrate (source, &error))
    return fail (EXIT_FAILED, "%s", error->message);
  target = rx_store_open (o->to, NULL, o->pg_pool, &error);
  if (target == NULL || !rx_store_migrate (target, &error))
    return fail (EXIT_FAILED, "%s", error->message);

  counts = rx_store_pg_import_sqlite (target, path, &error);
  if (counts == NULL)
    return fail (EXIT_FAILED, "%s; nothing was copied", error->message);
  orgs = rx_store_org_list (source, &error);
  if (orgs == NULL)
    return fail (EXIT_FAILED, "%s", error->message);

  json_builder_begin_object (b);
  add_counts (b, counts);
  if (!o->json)
    {
      g_autofree char *joined = NULL;

      g_ptr_array_add (counts, NULL);
      joined = g_strjoinv (", ", (char **) counts->pdata);
      g_print ("Copied from %s: %s\n", path, joined);
    }

  json_builder_set_member_name (b, "organisations");
  json_builder_begin_array (b);
  for (guint i = 0; i < orgs->len; i++)
    {
      RxStoreOrg *org = g_ptr_array_index (orgs, i);
      gint64 n_source = 0, n_target = 0;
      g_autofree char *before = rx_store_log_digest (source, org->id, &n_source, &error);
      g_autofree char *after = NULL;
      gboolean match;

      if (before != NULL)
        after = rx_store_log_digest (target, org->id, &n_target, &error);
      if (after == NULL)
        return fail (EXIT_FAILED, "%s", error->message);
      match = g_str_equal (before, after) && n_source == n_target;
      all_match = all_match && match;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, org->id);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, org->name);
      json_builder_set_member_name (b, "entries");
      json_builder_add_int_value (b, n_target);
      json_builder_set_member_name (b, "sqlite");
      json_builder_add_string_value (b, before);
      json_builder_set_member_name (b, "postgresql");
      json_builder_add_string_value (b, after);
      json_builder_set_member_name (b, "match");
      json_builder_add_boolean_value (b, match);
      json_builder_end_object (b);
      if (!o->json)
        g_print ("%s  %-30s entries: %" G_GINT64_FORMAT "  log SHA-256: %s  %s\n", org->id,
                 org->name, n_target, after,
                 match ? "same in both" : "DIFFERENT from the SQLite store's");
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "match");
  json_builder_add_boolean_value (b, all_match);
  json_builder_end_object (b);
  if (o->json)
    print_json (b);

  if (!all_match)
    return fail (3, "the PostgreSQL store's log differs from the SQLite store's (see above); "
                 "do not switch the servers over: drop the PostgreSQL database and report this");
  if (!o->json)
    g_print ("Every organisation's log is the same in both stores; start the servers with "
             "--store and the URL given to --to\n");
  return EXIT_OK;
}
#endif

/* Options --------------------------------------------------------------------------------- */

static gboolean
parse_options (Options   *o,
               int       *argc,
               char    ***argv,
               GError   **error)
{
  const GOptionEntry main_entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &o->listen,
      "Address and port to serve on (default 127.0.0.1:8443; port 0: any free port)",
      "ADDR:PORT" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->data_dir,
      "Where the store, certificate and key are kept (default $XDG_DATA_HOME/rxdesk-server)",
      "DIR" },
    { "store", 0, 0, G_OPTION_ARG_STRING, &o->store_url,
      "The store: sqlite:PATH (default: server.db in the data folder) or postgresql://…",
      "URL" },
    { "pg-pool", 0, 0, G_OPTION_ARG_INT, &o->pg_pool,
      "Most connections to a PostgreSQL store this process opens (default 4)", "N" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &o->tls_cert,
      "Serve with this certificate (PEM) instead of the server's own", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &o->tls_key,
      "The private key (PEM) of --tls-cert", "FILE" },
    { "from-sqlite", 0, 0, G_OPTION_ARG_FILENAME, &o->from_sqlite,
      "migrate: copy the SQLite store of this data folder into --to", "DIR" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &o->to,
      "migrate --from-sqlite: the empty PostgreSQL store to fill", "URL" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json,
      "Administration commands print one JSON document", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &o->version, "Print the version", NULL },
    { "debug-push-delay-ms", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT,
      &o->debug_push_delay_ms, "Tests only: hold every push this long before it is committed",
      "MS" },
    { NULL }
  };
  const GOptionEntry limit_entries[] = {
    { "max-body-bytes", 0, 0, G_OPTION_ARG_INT, &o->max_body_bytes,
      "Largest request body (default 8388608)", "N" },
    { "max-batch", 0, 0, G_OPTION_ARG_INT, &o->max_batch,
      "Most entries in one push (default 1000)", "N" },
    { "max-pull", 0, 0, G_OPTION_ARG_INT, &o->max_pull,
      "Most entries in one pull (default 1000)", "N" },
    { "requests-per-minute", 0, 0, G_OPTION_ARG_INT, &o->requests_per_minute,
      "Requests a minute one token may make (default 600)", "N" },
    { "login-failures-per-user", 0, 0, G_OPTION_ARG_INT, &o->login_failures_per_user,
      "Failed logins per username in 15 minutes (default 10)", "N" },
    { "login-failures-per-address", 0, 0, G_OPTION_ARG_INT, &o->login_failures_per_address,
      "Failed logins per client address in 15 minutes (default 30)", "N" },
    { "token-seconds", 0, 0, G_OPTION_ARG_INT, &o->token_seconds,
      "How long a login token lasts (default 43200, 12 hours)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  GOptionGroup *limits;

  context = g_option_context_new ("[migrate [--from-sqlite DIR --to URL] | org create NAME | "
                                  "org code ORG | org list | "
                                  "fingerprint | workstation list ORG | workstation revoke ID]");
  g_option_context_set_summary (context,
                                "The RxDesk sync server. Without a command it serves HTTPS until "
                                "stopped (SIGTERM or Ctrl+C), letting requests under way finish.");
  g_option_context_set_description (context,
                                    "Exit status: 0 success, 1 failure, 2 usage error.\n"
                                    "The protocol is described in PROTOCOL.md.");
  g_option_context_add_main_entries (context, main_entries, NULL);
  limits = g_option_group_new ("limits", "Limits (see PROTOCOL.md):", "Show the limits options",
                               NULL, NULL);
  g_option_group_add_entries (limits, limit_entries);
  g_option_context_add_group (context, limits);

  return g_option_context_parse (context, argc, argv, error);
}

/* A limit given on the command line, or the default. FALSE when it is out of range. */
static gboolean
apply_limit (int          given,
             const char  *name,
             guint       *limit,
             GError     **error)
{
  if (given == 0)
    return TRUE;
  if (given < 0)
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_INVALID,
                   "--%s must be a positive number", name);
      return FALSE;
    }
  *limit = given;
  return TRUE;
}

static gboolean
check_options (Options  *o,
               GError  **error)
{
  guint body = 0;

  if ((o->tls_cert == NULL) != (o->tls_key == NULL))
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_INVALID,
                   "--tls-cert and --tls-key go together: give both, or neither to use the "
                   "server's own certificate");
      return FALSE;
    }
  if (o->pg_pool < 0 || o->pg_pool > 1000)
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_INVALID,
                   "--pg-pool must be between 1 and 1000 connections");
      return FALSE;
    }
  if (o->debug_push_delay_ms < 0)
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_INVALID,
                   "--debug-push-delay-ms must not be negative");
      return FALSE;
    }

  rx_server_limits_init (&o->limits);
  if (!apply_limit (o->max_body_bytes, "max-body-bytes", &body, error) ||
      !apply_limit (o->max_batch, "max-batch", &o->limits.max_batch, error) ||
      !apply_limit (o->max_pull, "max-pull", &o->limits.max_pull, error) ||
      !apply_limit (o->requests_per_minute, "requests-per-minute",
                    &o->limits.requests_per_minute, error) ||
      !apply_limit (o->login_failures_per_user, "login-failures-per-user",
                    &o->limits.login_failures_per_user, error) ||
      !apply_limit (o->login_failures_per_address, "login-failures-per-address",
                    &o->limits.login_failures_per_address, error) ||
      !apply_limit (o->token_seconds, "token-seconds", &o->limits.token_lifetime_seconds,
                    error))
    return FALSE;
  if (body != 0)
    o->limits.max_body_bytes = body;
  o->limits.default_pull = MIN (o->limits.default_pull, o->limits.max_pull);
  o->limits.debug_push_delay_ms = o->debug_push_delay_ms;

  if (o->listen == NULL)
    o->listen = g_strdup ("127.0.0.1:8443");
  if (o->data_dir == NULL)
    o->data_dir = g_build_filename (g_get_user_data_dir (), "rxdesk-server", NULL);

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_auto(Options) o = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autoptr(RxStore) store = NULL;
  char **args;
  int n;

  setlocale (LC_ALL, "");
  /* everything the server writes (store, key) is its own business */
  umask (0077);
  signal (SIGPIPE, SIG_IGN);

  if (!parse_options (&o, &argc, &argv, &error))
    return fail (EXIT_USAGE, "%s; see “rxdesk-server --help”", error->message);
  if (o.version)
    {
      g_print ("rxdesk-server %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }
  if (!check_options (&o, &error))
    return fail (EXIT_USAGE, "%s", error->message);

  args = argv + 1;
  n = argc - 1;
  if (n == 0)
    return serve (&o);

  if (g_str_equal (args[0], "fingerprint") && n == 1)
    return cmd_fingerprint (&o);

  if ((o.from_sqlite != NULL || o.to != NULL) && !(g_str_equal (args[0], "migrate") && n == 1))
    return fail (EXIT_USAGE, "--from-sqlite and --to go with the migrate command only");
  if (g_str_equal (args[0], "migrate") && (o.from_sqlite != NULL || o.to != NULL))
    {
      if (o.from_sqlite == NULL || o.to == NULL)
        return fail (EXIT_USAGE, "usage: rxdesk-server migrate --from-sqlite DIR --to "
                     "postgresql://…");
#if HAVE_POSTGRESQL
      return cmd_migrate_from_sqlite (&o);
#else
      return fail (EXIT_FAILED, "this rxdesk-server was built without PostgreSQL "
                   "(meson -Dpostgresql=disabled); build it with -Dpostgresql=enabled");
#endif
    }

  if (!g_str_equal (args[0], "migrate") && !g_str_equal (args[0], "org") &&
      !g_str_equal (args[0], "workstation"))
    return fail (EXIT_USAGE, "there is no command “%s”; see “rxdesk-server --help”", args[0]);

  store = open_store (&o, &error);
  if (store == NULL)
    return fail (EXIT_FAILED, "%s", error->message);

  if (g_str_equal (args[0], "migrate"))
    {
      if (n != 1)
        return fail (EXIT_USAGE, "usage: rxdesk-server [--data-dir DIR] [--store URL] migrate");
      g_print ("The store is at schema version %d\n", rx_store_get_schema_version (store, NULL));
      return EXIT_OK;
    }
  if (g_str_equal (args[0], "org"))
    return cmd_org (&o, store, args + 1);

  return cmd_workstation (&o, store, args + 1);
}
