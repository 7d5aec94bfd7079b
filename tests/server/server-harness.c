/* server-harness.c: the real rxdesk-server in a private folder, started on a port the system
 * picks, and a libsoup client that trusts it only by the fingerprint it printed. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <sqlite3.h>

#include "rx-password.h"
#include "rx-test-pg.h"
#include "rx-uuid.h"
#include "server-harness.h"

/* Starting and stopping ------------------------------------------------------------------- */

void
server_init (Server *s)
{
  memset (s, 0, sizeof *s);
  s->dir = rx_test_make_dir ();
  s->data_dir = g_build_filename (s->dir, "data", NULL);
  s->args = g_ptr_array_new_with_free_func (g_free);
  if (rx_test_pg_wanted ())
    s->store_url = rx_test_pg_new_database ();
}

const char *
server_store_kind (Server *s)
{
  return s->store_url != NULL ? "postgresql" : "sqlite";
}

char *
server_store_sql (Server     *s,
                  const char *sql)
{
  g_autofree char *path = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (s->store_url != NULL)
    return rx_test_pg_sql (s->store_url, sql);

  path = g_build_filename (s->data_dir, "server.db", NULL);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (out->len > 0)
        g_string_append_c (out, '\n');
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", text ? text : "");
        }
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
accept_pinned (SoupMessage          *msg,
               GTlsCertificate      *certificate,
               GTlsCertificateFlags  errors,
               Server               *s)
{
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *fingerprint = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  fingerprint = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);

  return g_strcmp0 (fingerprint, s->fingerprint) == 0;
}

/* A test program that fails aborts: its server must not outlive it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

void
server_start (Server *s)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *xdg = g_build_filename (s->dir, "xdg", NULL);
  char *line;

  g_assert_null (s->proc);
  g_ptr_array_add (argv, (gpointer) g_getenv ("RXDESK_SERVER"));
  g_ptr_array_add (argv, (gpointer) "--listen");
  g_ptr_array_add (argv, (gpointer) "127.0.0.1:0");
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, s->data_dir);
  if (s->store_url != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--store");
      g_ptr_array_add (argv, s->store_url);
    }
  for (guint i = 0; i < s->args->len; i++)
    g_ptr_array_add (argv, g_ptr_array_index (s->args, i));
  g_ptr_array_add (argv, NULL);

  s->starts++;
  g_free (s->log_path);
  s->log_path = g_strdup_printf ("%s/server-%u.log", s->dir, s->starts);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, s->log_path);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", xdg, TRUE);
  s->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* "certificate fingerprint (SHA-256): HEX" on first start, then "listening on URL" */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->proc));
  while ((line = g_data_input_stream_read_line (out, NULL, NULL, &error)) != NULL)
    {
      g_autofree char *owned = line;

      if (g_str_has_prefix (line, "certificate fingerprint (SHA-256): "))
        {
          g_free (s->fingerprint);
          s->fingerprint = g_strdup (line + strlen ("certificate fingerprint (SHA-256): "));
          g_assert_cmpuint (strlen (s->fingerprint), ==, 64);
        }
      else if (g_str_has_prefix (line, "listening on https://127.0.0.1:"))
        {
          g_free (s->url);
          s->url = g_strdup (line + strlen ("listening on "));
          break;
        }
    }
  if (s->url == NULL || line == NULL)
    {
      g_autofree char *log = server_log (s);

      g_error ("rxdesk-server did not start: %s", log);
    }
  g_assert_nonnull (s->fingerprint);

  if (s->session == NULL)
    s->session = soup_session_new_with_options ("timeout", 60, NULL);
}

static void
wait_exit (Server *s,
           int     expected_status,
           gboolean signalled)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait (s->proc, NULL, &error);
  g_assert_no_error (error);
  if (signalled)
    g_assert_true (g_subprocess_get_if_signaled (s->proc));
  else
    {
      if (!g_subprocess_get_if_exited (s->proc) ||
          g_subprocess_get_exit_status (s->proc) != expected_status)
        {
          g_autofree char *log = server_log (s);

          g_error ("rxdesk-server did not exit with %d (%s %d): %s", expected_status,
                   g_subprocess_get_if_exited (s->proc) ? "exit status" : "signal",
                   g_subprocess_get_if_exited (s->proc) ? g_subprocess_get_exit_status (s->proc)
                                                       : g_subprocess_get_term_sig (s->proc),
                   log);
        }
    }
  g_clear_object (&s->proc);
  g_clear_pointer (&s->url, g_free);
}

void
server_stop (Server *s)
{
  if (s->proc == NULL)
    return;
  g_subprocess_send_signal (s->proc, SIGTERM);
  server_wait_stopped (s);
}

void
server_wait_stopped (Server *s)
{
  g_autofree char *log = NULL;

  wait_exit (s, 0, FALSE);

  /* whatever the server logged, it never logs a secret */
  log = server_log (s);
  g_assert_null (strstr (log, "Bearer"));
  g_assert_null (strstr (log, TEST_PASSWORD));
  g_assert_null (strstr (log, "shared demo password"));
  g_test_message ("server log:\n%s", log);
}

void
server_kill (Server *s)
{
  g_subprocess_force_exit (s->proc);
  wait_exit (s, 0, TRUE);
}

void
server_clear (Server *s)
{
  server_stop (s);
  g_clear_object (&s->session);
  rx_test_remove_dir (s->dir);
  g_free (s->dir);
  g_free (s->data_dir);
  g_free (s->store_url);
  g_free (s->url);
  g_free (s->fingerprint);
  g_free (s->log_path);
  g_clear_pointer (&s->args, g_ptr_array_unref);
}

char *
server_log (Server *s)
{
  char *text = NULL;

  if (s->log_path == NULL || !g_file_get_contents (s->log_path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

gboolean
server_wait_log (Server     *s,
                 const char *text,
                 guint       timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_autofree char *log = server_log (s);

      if (strstr (log, text) != NULL)
        return TRUE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }

  return FALSE;
}

/* A load balancer ------------------------------------------------------------------------ */

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static guint16
port_of (const char *url)
{
  return (guint16) g_ascii_strtoull (strrchr (url, ':') + 1, NULL, 10);
}

/* HAProxy as data/haproxy/rxdesk-server.cfg has it, with quicker health checks. */
GSubprocess *
server_balancer_start (Server  *lb,
                       Server **servers,
                       guint    n)
{
  g_autoptr(GString) config = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *log = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port = free_port ();
  GSubprocess *proc;

  g_assert_nonnull (g_getenv ("RXDESK_HAPROXY"));
  g_assert_cmpuint (n, >, 0);

  /* data/haproxy/rxdesk-server.cfg, with quicker health checks */
  g_string_append_printf (config,
                          "global\n"
                          "    maxconn 1024\n"
                          "defaults\n"
                          "    mode tcp\n"
                          "    timeout connect 2s\n"
                          "    timeout client 60s\n"
                          "    timeout server 60s\n"
                          "    retries 2\n"
                          "    option redispatch\n"
                          "frontend rxdesk\n"
                          "    bind 127.0.0.1:%u\n"
                          "    default_backend rxdesk_servers\n"
                          "backend rxdesk_servers\n"
                          "    balance roundrobin\n"
                          "    option httpchk\n"
                          "    http-check send meth GET uri /v1/health ver HTTP/1.1 "
                          "hdr Host localhost\n"
                          "    http-check expect status 200\n"
                          "    default-server check check-ssl verify none inter 300ms "
                          "fall 2 rise 1\n", port);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (config, "    server rxdesk%u 127.0.0.1:%u\n", i + 1,
                            port_of (servers[i]->url));

  /* the balancer as a Server: the first server's folder, store and certificate */
  server_init (lb);
  g_free (lb->data_dir);
  lb->data_dir = g_strdup (servers[0]->data_dir);
  g_free (lb->store_url);
  lb->store_url = g_strdup (servers[0]->store_url);
  lb->fingerprint = g_strdup (servers[0]->fingerprint);
  lb->url = g_strdup_printf ("https://127.0.0.1:%u", port);
  lb->session = soup_session_new_with_options ("timeout", 60, NULL);

  path = g_build_filename (lb->dir, "haproxy.cfg", NULL);
  log = g_build_filename (lb->dir, "haproxy.log", NULL);
  g_assert_true (g_file_set_contents (path, config->str, -1, NULL));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  /* -db: in the foreground, so it dies with the test */
  proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("RXDESK_HAPROXY"), "-db",
                                      "-f", path, NULL);
  g_assert_no_error (error);

  /* up once a server behind it answers */
  for (guint i = 0;; i++)
    {
      g_autoptr(SoupMessage) msg = server_message (lb, "GET", "/v1/health", NULL, NULL);
      g_autoptr(GBytes) bytes = soup_session_send_and_read (lb->session, msg, NULL, NULL);

      if (soup_message_get_status (msg) == 200)
        break;
      g_assert_cmpuint (i, <, 100);
      g_usleep (100 * 1000);
    }

  return proc;
}

/* The command line ------------------------------------------------------------------------ */

int
server_cli (Server      *s,
            char       **out,
            char       **err,
            const char  *first_arg,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *o = NULL;
  g_autofree char *e = NULL;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("RXDESK_SERVER"));
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, s->data_dir);
  if (s->store_url != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--store");
      g_ptr_array_add (argv, s->store_url);
    }
  va_start (ap, first_arg);
  for (const char *a = first_arg; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &o, &e, &error);
  g_assert_no_error (error);

  if (out != NULL)
    *out = g_steal_pointer (&o);
  if (err != NULL)
    *err = g_steal_pointer (&e);

  return g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

static char *
org_reply (const char  *out,
           char       **code)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  *code = g_strdup (json_object_get_string_member (o, "code"));

  return g_strdup (json_object_get_string_member (o, "org"));
}

char *
server_org_create (Server      *s,
                   const char  *name,
                   char       **code)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (server_cli (s, &out, &err, "org", "create", name, "--json", NULL), ==, 0);
  return org_reply (out, code);
}

char *
server_org_code (Server     *s,
                 const char *org)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *id = NULL;
  char *code = NULL;

  g_assert_cmpint (server_cli (s, &out, &err, "org", "code", org, "--json", NULL), ==, 0);
  id = org_reply (out, &code);
  g_assert_cmpstr (id, ==, org);

  return code;
}

/* Requests -------------------------------------------------------------------------------- */

SoupMessage *
server_message (Server     *s,
                const char *method,
                const char *path,
                const char *token,
                const char *body)
{
  g_autofree char *uri = g_strconcat (s->url, path, NULL);
  SoupMessage *msg = soup_message_new (method, uri);

  g_assert_nonnull (msg);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_pinned), s);
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  return msg;
}

Reply *
server_request (Server     *s,
                const char *method,
                const char *path,
                const char *token,
                const char *body)
{
  g_autoptr(SoupMessage) msg = server_message (s, method, path, token, body);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  SoupMessageHeaders *headers;
  Reply *reply = g_new0 (Reply, 1);

  bytes = soup_session_send_and_read (s->session, msg, NULL, &error);
  if (error != NULL)
    {
      g_autofree char *log = server_log (s);

      g_error ("%s %s failed: %s\nserver log:\n%s", method, path, error->message, log);
    }

  reply->status = soup_message_get_status (msg);
  reply->body = g_bytes_get_size (bytes) > 0
                ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes))
                : g_strdup ("");
  headers = soup_message_get_response_headers (msg);
  reply->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  reply->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  if (*reply->body != '\0' && json_parser_load_from_data (parser, reply->body, -1, NULL))
    reply->json = json_node_copy (json_parser_get_root (parser));

  return reply;
}

void
reply_free (Reply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->body);
  g_free (reply->content_type);
  g_free (reply->retry_after);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply);
}

JsonObject *
reply_object (Reply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));

  return json_node_get_object (reply->json);
}

const char *
reply_string (Reply      *reply,
              const char *member)
{
  return json_object_get_string_member_with_default (reply_object (reply), member, NULL);
}

void
reply_check (Reply      *reply,
             guint       status,
             const char *words,
             const char *where)
{
  const char *detail;

  if (reply->status != status)
    g_error ("%s: expected status %u, got %u: %s", where, status, reply->status, reply->body);
  if (status < 400)
    return;

  g_assert_cmpstr (reply->content_type, ==, "application/problem+json");
  g_assert_cmpint (json_object_get_int_member (reply_object (reply), "status"), ==, status);
  g_assert_nonnull (reply_string (reply, "title"));
  detail = reply_string (reply, "detail");
  g_assert_nonnull (detail);
  if (words != NULL && strstr (detail, words) == NULL)
    g_error ("%s: “%s” does not mention “%s”", where, detail, words);
}

/* Entries --------------------------------------------------------------------------------- */

char *
test_hlc (guint64 n)
{
  return g_strdup_printf ("%012" G_GINT64_MODIFIER "x.%04x.%s",
                          (gint64) 0x018c00000000 + (gint64) n, 0, "00000000000000aa");
}

char *
test_new_id (void)
{
  return rx_uuid7_new (g_get_real_time () / 1000);
}

char *
test_entry (const char *entity,
            const char *row_id,
            const char *hlc,
            const char *author,
            const char *payload)
{
  g_autofree char *op_id = test_new_id ();

  return g_strdup_printf ("{\"op_id\":\"%s\",\"entity\":\"%s\",\"row_id\":\"%s\",\"hlc\":\"%s\","
                          "\"author\":\"%s\",\"payload\":%s}", op_id, entity, row_id, hlc,
                          author, payload);
}

char *
test_push_body (GPtrArray *entries)
{
  GString *body = g_string_new ("{\"entries\":[");

  for (guint i = 0; i < entries->len; i++)
    {
      if (i > 0)
        g_string_append_c (body, ',');
      g_string_append (body, g_ptr_array_index (entries, i));
    }
  g_string_append (body, "]}");

  return g_string_free (body, FALSE);
}

/* Organisations ready to use ------------------------------------------------------------- */

char *
test_user_row (const char *id,
               const char *username,
               const char *role,
               const char *state,
               const char *password)
{
  /* a quick hash: the tests sign in often, and the iteration count travels with the hash */
  g_autofree char *hash = rx_password_hash (password, 1000, NULL);

  return g_strdup_printf ("{\"id\":\"%s\",\"username\":\"%s\",\"full_name\":\"%s\","
                          "\"role\":\"%s\",\"state\":\"%s\",\"password_hash\":\"%s\","
                          "\"site_id\":null,\"created_at\":\"2026-01-01T00:00:00.000Z\"}",
                          id, username, username, role, state, hash);
}

char *
test_enrol_body (const char *code,
                 const char *clinic_org_id,
                 gboolean    has_data,
                 const char *user_row,
                 const char *password)
{
  g_autofree char *clinic = clinic_org_id ? g_strdup_printf ("\"%s\"", clinic_org_id)
                                          : g_strdup ("null");
  g_autofree char *bootstrap = user_row ? g_strdup_printf (",\"bootstrap\":{\"user\":%s,"
                                                           "\"password\":\"%s\"}", user_row,
                                                           password)
                                        : g_strdup ("");

  return g_strdup_printf ("{\"code\":\"%s\",\"node_id\":\"0123456789abcdef\","
                          "\"name\":\"Front desk\",\"clinic_org_id\":%s,\"has_data\":%s%s}",
                          code, clinic, has_data ? "true" : "false", bootstrap);
}

void
test_org_bootstrap (Server     *s,
                    const char *name,
                    TestOrg    *o)
{
  g_autofree char *code = NULL;
  g_autofree char *row = NULL;
  g_autofree char *body = NULL;
  g_autoptr(Reply) r = NULL;
  JsonObject *obj;

  memset (o, 0, sizeof *o);
  o->org = server_org_create (s, name, &code);
  o->clinic = test_new_id ();
  o->admin_id = test_new_id ();
  row = test_user_row (o->admin_id, "admin", "admin", "active", TEST_PASSWORD);
  body = test_enrol_body (code, o->clinic, TRUE, row, TEST_PASSWORD);

  r = server_request (s, "POST", "/v1/enrol", NULL, body);
  assert_reply (r, 201, NULL);
  obj = reply_object (r);
  g_assert_cmpstr (json_object_get_string_member (obj, "org"), ==, o->org);
  g_assert_cmpstr (json_object_get_string_member (obj, "clinic_org_id"), ==, o->clinic);
  g_assert_true (json_object_get_boolean_member (obj, "empty"));
  o->ws_id = g_strdup (json_object_get_string_member (obj, "workstation_id"));
  o->ws_secret = g_strdup (json_object_get_string_member (obj, "workstation_secret"));
  o->admin_token = g_strdup (json_object_get_string_member (obj, "token"));
  g_assert_cmpuint (strlen (o->ws_secret), ==, 64);
  g_assert_cmpuint (strlen (o->admin_token), ==, 64);
  o->clock = 1000;
}

void
test_org_clear (TestOrg *o)
{
  g_free (o->org);
  g_free (o->clinic);
  g_free (o->ws_id);
  g_free (o->ws_secret);
  g_free (o->admin_id);
  g_free (o->admin_token);
}

char *
test_org_hlc (TestOrg *o)
{
  return test_hlc (o->clock++);
}

char *
test_org_add_user (Server     *s,
                   TestOrg    *o,
                   const char *username,
                   const char *role,
                   const char *state)
{
  char *id = test_new_id ();
  g_autofree char *row = test_user_row (id, username, role, state, TEST_PASSWORD);
  g_autofree char *hlc = test_org_hlc (o);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *body = NULL;
  g_autoptr(Reply) r = NULL;
  JsonObject *result;

  g_ptr_array_add (entries, test_entry ("users", id, hlc, o->admin_id, row));
  body = test_push_body (entries);
  r = server_request (s, "POST", "/v1/push", o->admin_token, body);
  assert_reply (r, 200, NULL);
  result = json_array_get_object_element (json_object_get_array_member (reply_object (r),
                                                                         "results"), 0);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "accepted");

  return id;
}

Reply *
test_login_reply (Server     *s,
                  TestOrg    *o,
                  const char *username,
                  const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"workstation_id\":\"%s\","
                                           "\"workstation_secret\":\"%s\",\"username\":\"%s\","
                                           "\"password\":\"%s\"}", o->ws_id, o->ws_secret,
                                           username, password);

  return server_request (s, "POST", "/v1/login", NULL, body);
}

char *
test_login (Server     *s,
            TestOrg    *o,
            const char *username)
{
  g_autoptr(Reply) r = test_login_reply (s, o, username, TEST_PASSWORD);

  assert_reply (r, 200, NULL);
  return g_strdup (reply_string (r, "token"));
}

int
server_test_main (int     argc,
                  char   *argv[],
                  void  (*add_tests) (void))
{
  g_autofree char *keyring = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

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

  keyring = rx_test_use_private_keyring ();
  add_tests ();
  status = g_test_run ();
  rx_test_remove_dir (keyring);

  return status;
}
