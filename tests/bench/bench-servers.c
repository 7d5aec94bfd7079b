/* bench-servers.c: many workstations at once against rxdesk-server on SQLite, on PostgreSQL,
 * and as two processes on PostgreSQL behind HAProxy. Each workstation is a thread with its
 * own HTTPS connection that, for a fixed time, pushes a batch of new rows and pulls what is
 * new, as `sync now` does. Prints requests per second, the median and 99th percentile
 * latency, failed requests and the servers' peak memory (VmHWM), one line per set-up.
 * PostgreSQL runs with fsync and synchronous commit on, as SQLite runs with full sync. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rx-test-pg.h"
#include "server-harness.h"

#define ORGS              4
#define ENTRIES_A_PUSH    10

typedef struct
{
  Server     *target;
  const char *token;
  const char *author;
  guint       id;
  gint64      until;        /* monotonic usec */
  GArray     *latencies;    /* gint64 usec, of every request */
  guint       errors;
  guint       entries;
  guint       last_error;   /* HTTP status, 0: no answer */
} Workstation;

static gint64
timed (Server      *s,
       const char  *method,
       const char  *path,
       const char  *token,
       const char  *body,
       guint       *status,
       JsonNode   **json)
{
  g_autoptr(SoupMessage) msg = server_message (s, method, path, token, body);
  g_autoptr(GBytes) bytes = NULL;
  gint64 start = g_get_monotonic_time ();

  bytes = soup_session_send_and_read (s->session, msg, NULL, NULL);
  *status = soup_message_get_status (msg);
  if (json != NULL && bytes != NULL && *status == 200)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL))
        *json = json_node_copy (json_parser_get_root (parser));
    }
  return g_get_monotonic_time () - start;
}

static gpointer
run_workstation (gpointer data)
{
  Workstation *w = data;
  Server client = *w->target;
  guint64 clock = (guint64) (w->id + 1) * 100000000;
  gint64 since = 0;

  client.session = soup_session_new_with_options ("timeout", 60, NULL);
  while (g_get_monotonic_time () < w->until)
    {
      g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(JsonNode) pulled = NULL;
      g_autofree char *body = NULL;
      g_autofree char *path = NULL;
      guint status;
      gint64 took;

      for (guint k = 0; k < ENTRIES_A_PUSH; k++)
        {
          g_autofree char *id = test_new_id ();
          g_autofree char *hlc = test_hlc (clock++);
          g_autofree char *payload = g_strdup_printf ("{\"id\":\"%s\",\"family_name\":\"Moyo\","
                                                      "\"birth_date\":\"1990-03-04\"}", id);

          g_ptr_array_add (entries, test_entry ("patients", id, hlc, w->author, payload));
        }
      body = test_push_body (entries);
      took = timed (&client, "POST", "/v1/push", w->token, body, &status, NULL);
      g_array_append_val (w->latencies, took);
      if (status == 200)
        w->entries += ENTRIES_A_PUSH;
      else
        {
          w->errors++;
          w->last_error = status;
        }

      path = g_strdup_printf ("/v1/pull?since=%" G_GINT64_FORMAT "&limit=1000", since);
      took = timed (&client, "GET", path, w->token, NULL, &status, &pulled);
      g_array_append_val (w->latencies, took);
      if (status == 200 && pulled != NULL)
        since = json_object_get_int_member (json_node_get_object (pulled), "next");
      else
        {
          w->errors++;
          w->last_error = status;
        }
    }
  g_object_unref (client.session);

  return NULL;
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Peak resident memory of a process, in MiB. */
static double
peak_rss (Server *s)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status",
                                           g_subprocess_get_identifier (s->proc));
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) ||
      (line = strstr (text, "VmHWM:")) == NULL)
    return 0;
  return g_ascii_strtod (line + strlen ("VmHWM:"), NULL) / 1024.0;
}

static void
measure (const char *label,
         Server     *target,
         Server    **servers,
         guint       n_servers,
         guint       n_workstations,
         guint       seconds)
{
  TestOrg orgs[ORGS];
  g_autofree Workstation *ws = g_new0 (Workstation, n_workstations);
  g_autofree GThread **threads = g_new0 (GThread *, n_workstations);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint errors = 0, entries = 0;
  double rss = 0;
  gint64 until;

  for (guint i = 0; i < ORGS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Bench Clinic %u", i + 1);

      test_org_bootstrap (target, name, &orgs[i]);
    }

  until = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  for (guint i = 0; i < n_workstations; i++)
    {
      ws[i].target = target;
      ws[i].token = orgs[i % ORGS].admin_token;
      ws[i].author = orgs[i % ORGS].admin_id;
      ws[i].id = i;
      ws[i].until = until;
      ws[i].latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
      threads[i] = g_thread_new ("workstation", run_workstation, &ws[i]);
    }
  for (guint i = 0; i < n_workstations; i++)
    {
      g_thread_join (threads[i]);
      g_array_append_vals (all, ws[i].latencies->data, ws[i].latencies->len);
      errors += ws[i].errors;
      entries += ws[i].entries;
      if (ws[i].errors > 0)
        g_printerr ("%s: workstation %u: %u failed requests, the last with status %u\n", label,
                    i, ws[i].errors, ws[i].last_error);
      g_array_unref (ws[i].latencies);
    }
  for (guint i = 0; i < n_servers; i++)
    rss += peak_rss (servers[i]);

  g_array_sort (all, compare_times);
  g_print ("| %s | %u | %u | %.0f | %.0f | %.1f | %.1f | %u | %.0f |\n", label, n_workstations,
           all->len, all->len / (double) seconds, entries / (double) seconds,
           all->len ? g_array_index (all, gint64, all->len / 2) / 1000.0 : 0,
           all->len ? g_array_index (all, gint64, (all->len * 99) / 100) / 1000.0 : 0, errors,
           rss);

  for (guint i = 0; i < ORGS; i++)
    test_org_clear (&orgs[i]);
}

static void
start_with_limits (Server     *s,
                   const char *store_url)
{
  g_free (s->store_url);
  s->store_url = g_strdup (store_url);
  g_ptr_array_add (s->args, g_strdup ("--requests-per-minute=1000000"));
  server_start (s);
}

int
main (int    argc,
      char **argv)
{
  guint n_workstations = argc > 1 ? atoi (argv[1]) : 16;
  guint seconds = argc > 2 ? atoi (argv[2]) : 15;
  g_autofree char *why = NULL;
  g_autofree char *url = NULL;
  Server lite, pg, a, b, lb;
  GSubprocess *haproxy;

  if (g_getenv ("RXDESK_SERVER") == NULL || !rx_test_pg_available (&why) ||
      g_getenv ("RXDESK_HAPROXY") == NULL)
    {
      g_printerr ("Skipped: needs RXDESK_SERVER, PostgreSQL and RXDESK_HAPROXY (%s)\n",
                  why ? why : "");
      return 77;
    }
  g_setenv ("RXDESK_TEST_PG_DURABLE", "1", TRUE);
  g_unsetenv ("RXDESK_TEST_STORE");

  g_print ("| set-up | workstations | requests | requests/s | entries pushed/s | p50 ms | "
           "p99 ms | errors | servers' peak RSS MiB |\n"
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");

  server_init (&lite);
  start_with_limits (&lite, NULL);
  measure ("1 server, SQLite", &lite, (Server *[]) { &lite }, 1, n_workstations, seconds);
  server_clear (&lite);

  url = rx_test_pg_new_database ();
  server_init (&pg);
  start_with_limits (&pg, url);
  measure ("1 server, PostgreSQL", &pg, (Server *[]) { &pg }, 1, n_workstations, seconds);
  server_clear (&pg);

  g_free (url);
  url = rx_test_pg_new_database ();
  server_init (&a);
  start_with_limits (&a, url);
  server_init (&b);
  g_free (b.data_dir);
  b.data_dir = g_strdup (a.data_dir);
  b.fingerprint = g_strdup (a.fingerprint);
  start_with_limits (&b, url);
  haproxy = server_balancer_start (&lb, (Server *[]) { &a, &b }, 2);
  measure ("2 servers, PostgreSQL, HAProxy", &lb, (Server *[]) { &a, &b }, 2, n_workstations,
           seconds);
  g_subprocess_force_exit (haproxy);
  g_subprocess_wait (haproxy, NULL, NULL);
  g_object_unref (haproxy);
  server_clear (&lb);
  server_clear (&b);
  server_clear (&a);

  return 0;
}
