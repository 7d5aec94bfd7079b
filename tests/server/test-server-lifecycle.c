/* test-server-lifecycle.c: stopping and crashing. SIGTERM lets a push under way finish and the
 * server exit with 0; kill -9 in the middle of a push loses that push whole, and after a
 * restart (same certificate, same store) a retry gives duplicates, never doubles. The
 * server's hidden --debug-push-delay-ms holds each push before its commit, so the test
 * knows a push is under way when the log says so. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "rx-test-pg.h"
#include "rx-test-util.h"
#include "server-harness.h"

typedef struct
{
  gboolean  done;
  guint     status;
  GError   *error;
} Pending;

static void
sent (GObject      *source,
      GAsyncResult *result,
      gpointer      user_data)
{
  Pending *p = user_data;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                               &p->error);

  p->status = soup_message_get_status (soup_session_get_async_result_message (
                                         SOUP_SESSION (source), result));
  p->done = TRUE;
}

static void
wait_for (Pending *p)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!p->done && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (p->done);
}

static guint
count_in (const char *text,
          const char *needle)
{
  guint n = 0;

  for (const char *at = strstr (text, needle); at != NULL; at = strstr (at + 1, needle))
    n++;
  return n;
}

/* Waits until the log says `needle` `times` times. */
static void
wait_log_count (Server     *s,
                const char *needle,
                guint       times)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      g_autofree char *log = server_log (s);

      if (count_in (log, needle) >= times)
        return;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  g_error ("the server never logged “%s” %u times", needle, times);
}

static char *
patients_body (TestOrg *o,
               guint    n)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = test_new_id ();
      g_autofree char *hlc = test_org_hlc (o);
      g_autofree char *payload = g_strdup_printf ("{\"id\":\"%s\",\"family_name\":\"Banda\","
                                                  "\"birth_date\":\"1975-05-06\"}", id);

      g_ptr_array_add (entries, test_entry ("patients", id, hlc, o->admin_id, payload));
    }

  return test_push_body (entries);
}

static void
assert_results (Reply      *r,
                const char *status,
                gint64      first_seq,
                guint       n)
{
  JsonArray *results = json_object_get_array_member (reply_object (r), "results");

  g_assert_cmpuint (json_array_get_length (results), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = json_array_get_object_element (results, i);

      g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, status);
      g_assert_cmpint (json_object_get_int_member (o, "seq"), ==, first_seq + i);
    }
}

static void
test_sigterm (void)
{
  Server s;
  TestOrg o;
  g_autofree char *body = NULL;
  g_autofree char *log = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(Reply) r = NULL;
  Pending p = { FALSE, 0, NULL };

  server_init (&s);
  g_ptr_array_add (s.args, g_strdup ("--debug-push-delay-ms=800"));
  server_start (&s);
  test_org_bootstrap (&s, "Bay Clinic", &o);

  body = patients_body (&o, 5);
  msg = server_message (&s, "POST", "/v1/push", o.admin_token, body);
  soup_session_send_and_read_async (s.session, msg, G_PRIORITY_DEFAULT, NULL, sent, &p);
  wait_log_count (&s, "before it is read", 1);

  /* stop while the push is under way: no new connections, but the push is answered, then
   * the server exits with 0 */
  g_subprocess_send_signal (s.proc, SIGTERM);
  wait_log_count (&s, "stopping: no new connections; 1 request(s) under way", 1);
  {
    g_autoptr(SoupSession) other = soup_session_new ();
    g_autoptr(SoupMessage) late = server_message (&s, "GET", "/v1/health", NULL, NULL);
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;

    bytes = soup_session_send_and_read (other, late, NULL, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  }
  wait_for (&p);
  g_assert_no_error (p.error);
  g_assert_cmpuint (p.status, ==, 200);
  server_wait_stopped (&s);

  log = server_log (&s);
  g_assert_nonnull (strstr (log, "stopping"));
  g_assert_nonnull (strstr (log, "path=/v1/push status=200"));

  /* what was answered is there after a restart */
  server_start (&s);
  r = server_request (&s, "GET", "/v1/pull", o.admin_token, NULL);
  assert_reply (r, 200, NULL);
  g_assert_cmpint (json_object_get_int_member (reply_object (r), "head"), ==, 5);

  test_org_clear (&o);
  server_clear (&s);
}

static void
check_store (Server *s,
             gint64  entries)
{
  g_autofree char *counts = NULL;
  g_autofree char *expected = NULL;

  if (g_str_equal (server_store_kind (s), "sqlite"))
    {
      g_autofree char *integrity = server_store_sql (s, "PRAGMA integrity_check");

      g_assert_cmpstr (integrity, ==, "ok");
    }

  /* numbered 1..N, no gap, no double */
  counts = server_store_sql (s, "SELECT count(*), min(seq), max(seq), count(DISTINCT op_id) "
                                "FROM entries");
  expected = g_strdup_printf ("%" G_GINT64_FORMAT "|1|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT,
                              entries, entries, entries);
  g_assert_cmpstr (counts, ==, expected);
}

static void
test_kill (void)
{
  Server s;
  TestOrg o;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(Reply) r = NULL;
  Pending p = { FALSE, 0, NULL };

  server_init (&s);
  g_ptr_array_add (s.args, g_strdup ("--debug-push-delay-ms=500"));
  server_start (&s);
  test_org_bootstrap (&s, "Bay Clinic", &o);

  first = patients_body (&o, 5);
  r = server_request (&s, "POST", "/v1/push", o.admin_token, first);
  assert_reply (r, 200, NULL);
  assert_results (r, "accepted", 1, 5);
  g_clear_pointer (&r, reply_free);

  /* killed while the second push is written but not committed */
  second = patients_body (&o, 7);
  msg = server_message (&s, "POST", "/v1/push", o.admin_token, second);
  soup_session_send_and_read_async (s.session, msg, G_PRIORITY_DEFAULT, NULL, sent, &p);
  wait_log_count (&s, "before it is committed", 2);
  server_kill (&s);
  wait_for (&p);
  g_assert_nonnull (p.error);
  g_clear_error (&p.error);
  check_store (&s, 5);

  /* started again: the same certificate (the pinned fingerprint still works), the same store */
  g_ptr_array_set_size (s.args, 0);
  server_start (&s);

  r = server_request (&s, "POST", "/v1/push", o.admin_token, first);
  assert_reply (r, 200, NULL);
  assert_results (r, "duplicate", 1, 5);
  g_clear_pointer (&r, reply_free);

  r = server_request (&s, "POST", "/v1/push", o.admin_token, second);
  assert_reply (r, 200, NULL);
  assert_results (r, "accepted", 6, 7);
  g_clear_pointer (&r, reply_free);

  r = server_request (&s, "POST", "/v1/push", o.admin_token, second);
  assert_results (r, "duplicate", 6, 7);
  g_assert_cmpint (json_object_get_int_member (reply_object (r), "head"), ==, 12);

  server_stop (&s);
  check_store (&s, 12);

  test_org_clear (&o);
  server_clear (&s);
}

/* PostgreSQL goes away under a running server and comes back: meanwhile every request that
 * needs the store gets 503 with Retry-After, the server stays up, and the push retried
 * afterwards is numbered on from where the log was, once. */
static void
test_store_down (void)
{
  Server s;
  TestOrg o;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(Reply) r = NULL;
  g_autofree char *log = NULL;

  server_init (&s);
  server_start (&s);
  test_org_bootstrap (&s, "Bay Clinic", &o);
  first = patients_body (&o, 3);
  second = patients_body (&o, 4);
  r = server_request (&s, "POST", "/v1/push", o.admin_token, first);
  assert_results (r, "accepted", 1, 3);
  g_clear_pointer (&r, reply_free);

  rx_test_pg_stop ();
  r = server_request (&s, "POST", "/v1/push", o.admin_token, second);
  assert_reply (r, 503, "Try again");
  g_assert_cmpstr (r->retry_after, ==, "5");
  g_clear_pointer (&r, reply_free);
  r = server_request (&s, "GET", "/v1/pull?since=0", o.admin_token, NULL);
  assert_reply (r, 503, NULL);
  g_clear_pointer (&r, reply_free);
  r = server_request (&s, "GET", "/v1/health", NULL, NULL);
  assert_reply (r, 503, NULL);
  g_clear_pointer (&r, reply_free);
  log = server_log (&s);
  g_assert_nonnull (strstr (log, "PostgreSQL"));

  /* a client retries after Retry-After; here sooner, until the server has its store back */
  rx_test_pg_restart ();
  for (guint i = 0;; i++)
    {
      r = server_request (&s, "POST", "/v1/push", o.admin_token, second);
      if (r->status != 503)
        break;
      g_assert_cmpuint (i, <, 50);
      g_clear_pointer (&r, reply_free);
      g_usleep (100 * 1000);
    }
  assert_reply (r, 200, NULL);
  assert_results (r, "accepted", 4, 4);
  g_clear_pointer (&r, reply_free);
  r = server_request (&s, "POST", "/v1/push", o.admin_token, second);
  assert_results (r, "duplicate", 4, 4);

  server_stop (&s);
  check_store (&s, 7);
  test_org_clear (&o);
  server_clear (&s);
}

/* Servers started at the same moment on one new data folder (several instances of the
 * systemd template on their first boot) make one certificate between them and all serve it:
 * a workstation pins one fingerprint whichever of them the balancer sends it to. */
static void
test_first_start_together (void)
{
  g_autofree char *dir = rx_test_make_dir ();
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *fingerprint = NULL;
  GSubprocess *procs[3];
  char *urls[3] = { NULL, };
  guint made = 0;

  for (guint i = 0; i < G_N_ELEMENTS (procs); i++)
    {
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autofree char *log = g_strdup_printf ("%s/server-%u.log", dir, i);
      g_autoptr(GError) error = NULL;

      g_subprocess_launcher_set_stderr_file_path (launcher, log);
      procs[i] = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("RXDESK_SERVER"),
                                              "--listen", "127.0.0.1:0", "--data-dir", data,
                                              NULL);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (procs); i++)
    {
      g_autoptr(GDataInputStream) out =
        g_data_input_stream_new (g_subprocess_get_stdout_pipe (procs[i]));
      char *line;

      while ((line = g_data_input_stream_read_line (out, NULL, NULL, NULL)) != NULL)
        {
          g_autofree char *owned = line;

          if (g_str_has_prefix (line, "certificate fingerprint (SHA-256): "))
            {
              made++;
              fingerprint = g_strdup (line + strlen ("certificate fingerprint (SHA-256): "));
            }
          else if (g_str_has_prefix (line, "listening on "))
            {
              urls[i] = g_strdup (line + strlen ("listening on "));
              break;
            }
        }
      if (urls[i] == NULL)
        {
          g_autofree char *log = g_strdup_printf ("%s/server-%u.log", dir, i);
          g_autofree char *text = NULL;

          g_file_get_contents (log, &text, NULL, NULL);
          g_error ("server %u of those started together did not start: %s", i, text);
        }
    }
  g_assert_cmpuint (made, ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (procs); i++)
    {
      Server pinned = { 0, };
      g_autoptr(Reply) r = NULL;

      /* the request fails unless this server's certificate has the one fingerprint */
      pinned.url = urls[i];
      pinned.fingerprint = fingerprint;
      pinned.session = soup_session_new ();
      r = server_request (&pinned, "GET", "/v1/health", NULL, NULL);
      assert_reply (r, 200, NULL);
      g_object_unref (pinned.session);

      g_subprocess_send_signal (procs[i], SIGTERM);
      g_subprocess_wait (procs[i], NULL, NULL);
      g_object_unref (procs[i]);
      g_free (urls[i]);
    }
  rx_test_remove_dir (dir);
}

static void
add_tests (void)
{
  g_test_add_func ("/server/lifecycle/first-start-together", test_first_start_together);
  g_test_add_func ("/server/lifecycle/sigterm", test_sigterm);
  g_test_add_func ("/server/lifecycle/kill", test_kill);
  if (rx_test_pg_wanted ())
    g_test_add_func ("/server/lifecycle/store-down", test_store_down);
}

int
main (int   argc,
      char *argv[])
{
  return server_test_main (argc, argv, add_tests);
}
