/* test-server-balanced.c: two rxdesk-server processes on one PostgreSQL store and one data
 * folder (so one certificate), behind Debian's HAProxy in TCP mode with health checks, as
 * data/haproxy/rxdesk-server.cfg sets it up. Workstations of two organisations push and pull
 * at once through the balancer; one server is killed with SIGKILL in the middle and the
 * clients retry through the balancer. Each organisation's log must come out 1..N without a
 * gap or a double, hold every entry pushed to it once, and nothing of the other's; and a
 * workstation pulling all the while never sees an entry before the ones below it. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "rx-test-pg.h"
#include "server-harness.h"

#define WORKERS          3      /* two workstations of the first organisation, one of the other */
#define PUSHES           12
#define ENTRIES_A_PUSH   20

typedef struct
{
  Server      *lb;
  const char  *token;
  GPtrArray   *bodies;      /* push bodies, made beforehand (an organisation's clock is not
                               shared between threads) */
  guint        retries;
  guint        pulls;
  gint        *pushed;      /* pushes answered 200 so far, of every worker */
} Worker;

/* A request that may fail in transit (a server killed): 0 then. */
static guint
try_request (Server      *s,
             const char  *method,
             const char  *path,
             const char  *token,
             const char  *body,
             JsonNode   **json)
{
  g_autoptr(SoupMessage) msg = server_message (s, method, path, token, body);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = soup_session_send_and_read (s->session, msg, NULL, &error);
  if (error != NULL)
    return 0;
  if (json != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL))
        *json = json_node_copy (json_parser_get_root (parser));
    }
  return soup_message_get_status (msg);
}

static gpointer
work (gpointer data)
{
  Worker *w = data;
  /* a session of this thread's own, trusting the one pinned fingerprint */
  Server client = *w->lb;

  client.session = soup_session_new_with_options ("timeout", 30, NULL);
  for (guint i = 0; i < w->bodies->len; i++)
    {
      /* the same body again until it is answered: pushes are idempotent by op id */
      for (guint attempt = 0;; attempt++)
        {
          guint status = try_request (&client, "POST", "/v1/push", w->token,
                                      g_ptr_array_index (w->bodies, i), NULL);

          if (status == 200)
            break;
          g_assert_true (status == 0 || status == 502 || status == 503);
          g_assert_cmpuint (attempt, <, 100);
          w->retries++;
          g_usleep (100 * 1000);
        }
      g_atomic_int_inc (w->pushed);

      /* and a pull in between, as a workstation does */
      if (try_request (&client, "GET", "/v1/pull?since=0&limit=50", w->token, NULL, NULL) == 200)
        w->pulls++;
    }
  g_object_unref (client.session);

  return NULL;
}

/* A workstation that only pulls, all the while the others push through both servers: it must
 * never get entry N+1 before N, whichever server answers. */
typedef struct
{
  Server      *lb;
  const char  *token;
  gint        *stop;
  guint        pulls;
  gint64       last;
} Puller;

static gpointer
pull_loop (gpointer data)
{
  Puller *p = data;
  Server client = *p->lb;

  client.session = soup_session_new_with_options ("timeout", 30, NULL);
  while (!g_atomic_int_get (p->stop))
    {
      g_autofree char *path = g_strdup_printf ("/v1/pull?since=%" G_GINT64_FORMAT
                                               "&limit=1000", p->last);
      g_autoptr(JsonNode) json = NULL;
      JsonArray *entries;

      if (try_request (&client, "GET", path, p->token, NULL, &json) != 200)
        {
          g_usleep (50 * 1000);
          continue;
        }
      p->pulls++;
      entries = json_object_get_array_member (json_node_get_object (json), "entries");
      for (guint i = 0; i < json_array_get_length (entries); i++)
        {
          JsonObject *e = json_array_get_object_element (entries, i);

          g_assert_cmpint (json_object_get_int_member (e, "seq"), ==, p->last + 1);
          p->last++;
        }
    }
  g_object_unref (client.session);

  return NULL;
}

static GPtrArray *
make_bodies (TestOrg    *o,
             GHashTable *op_ids)
{
  GPtrArray *bodies = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < PUSHES; i++)
    {
      g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);

      for (guint k = 0; k < ENTRIES_A_PUSH; k++)
        {
          g_autofree char *id = test_new_id ();
          g_autofree char *hlc = test_org_hlc (o);
          g_autofree char *payload = g_strdup_printf ("{\"id\":\"%s\",\"family_name\":\"Phiri\","
                                                      "\"birth_date\":\"1980-01-02\"}", id);
          char *entry = test_entry ("patients", id, hlc, o->admin_id, payload);
          g_autoptr(JsonParser) parser = json_parser_new ();

          g_assert_true (json_parser_load_from_data (parser, entry, -1, NULL));
          g_hash_table_add (op_ids, g_strdup (json_object_get_string_member (
                                      json_node_get_object (json_parser_get_root (parser)),
                                      "op_id")));
          g_ptr_array_add (entries, entry);
        }
      g_ptr_array_add (bodies, test_push_body (entries));
    }

  return bodies;
}

/* Reads the whole log through the balancer and checks it: 1..N, each op id once, every one
 * pushed to this organisation there, none of the other's. */
static void
check_log (Server     *lb,
           TestOrg    *o,
           GHashTable *mine,
           GHashTable *theirs)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 since = 0;
  guint found = 0;

  for (;;)
    {
      g_autofree char *path = g_strdup_printf ("/v1/pull?since=%" G_GINT64_FORMAT
                                               "&limit=1000", since);
      g_autoptr(Reply) r = server_request (lb, "GET", path, o->admin_token, NULL);
      JsonArray *entries;

      assert_reply (r, 200, NULL);
      entries = json_object_get_array_member (reply_object (r), "entries");
      if (json_array_get_length (entries) == 0)
        break;
      for (guint i = 0; i < json_array_get_length (entries); i++)
        {
          JsonObject *e = json_array_get_object_element (entries, i);
          const char *op = json_object_get_string_member (e, "op_id");

          g_assert_cmpint (json_object_get_int_member (e, "seq"), ==, since + 1);
          since++;
          g_assert_true (g_hash_table_add (seen, g_strdup (op)));
          g_assert_false (g_hash_table_contains (theirs, op));
          if (g_hash_table_contains (mine, op))
            found++;
        }
    }
  g_assert_cmpuint (found, ==, g_hash_table_size (mine));
}

static void
test_balanced (void)
{
  Server a, b, lb;
  TestOrg one, two;
  g_autoptr(GSubprocess) haproxy = NULL;
  g_autoptr(GHashTable) ops_one = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) ops_two = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *log_a = NULL;
  g_autofree char *log_b = NULL;
  Worker workers[WORKERS] = { { 0, }, };
  GThread *threads[WORKERS];
  gint pushed = 0;
  Puller puller = { 0, };
  GThread *puller_thread;
  gint stop = 0;

  /* two servers, one store, one data folder: the second reads the certificate the first made */
  server_init (&a);
  if (a.store_url == NULL)
    a.store_url = rx_test_pg_new_database ();
  server_start (&a);
  server_init (&b);
  g_free (b.data_dir);
  b.data_dir = g_strdup (a.data_dir);
  g_free (b.store_url);
  b.store_url = g_strdup (a.store_url);
  b.fingerprint = g_strdup (a.fingerprint);
  server_start (&b);
  g_assert_cmpstr (b.fingerprint, ==, a.fingerprint);

  /* the balancer, trusted by the same fingerprint */
  haproxy = server_balancer_start (&lb, (Server *[]) { &a, &b }, 2);

  test_org_bootstrap (&lb, "Hill Clinic", &one);
  test_org_bootstrap (&lb, "Bay Clinic", &two);

  for (guint i = 0; i < WORKERS; i++)
    {
      TestOrg *o = i < 2 ? &one : &two;

      workers[i].lb = &lb;
      workers[i].token = o->admin_token;
      workers[i].bodies = make_bodies (o, i < 2 ? ops_one : ops_two);
      workers[i].pushed = &pushed;
    }
  puller.lb = &lb;
  puller.token = one.admin_token;
  puller.stop = &stop;
  puller_thread = g_thread_new ("puller", pull_loop, &puller);
  for (guint i = 0; i < WORKERS; i++)
    threads[i] = g_thread_new ("workstation", work, &workers[i]);

  /* a third of the way in, one server dies without a word */
  while (g_atomic_int_get (&pushed) < WORKERS * PUSHES / 3)
    g_usleep (5 * 1000);
  server_kill (&a);

  for (guint i = 0; i < WORKERS; i++)
    {
      g_thread_join (threads[i]);
      g_test_message ("workstation %u: %u retries, %u pulls", i, workers[i].retries,
                      workers[i].pulls);
      g_ptr_array_unref (workers[i].bodies);
    }

  g_atomic_int_set (&stop, 1);
  g_thread_join (puller_thread);
  g_test_message ("the puller read %" G_GINT64_FORMAT " entries in order in %u pulls",
                  puller.last, puller.pulls);
  g_assert_cmpuint (puller.pulls, >, 10);

  check_log (&lb, &one, ops_one, ops_two);
  check_log (&lb, &two, ops_two, ops_one);

  /* both servers took pushes */
  log_a = server_log (&a);
  log_b = server_log (&b);
  g_assert_nonnull (strstr (log_a, "path=/v1/push status=200"));
  g_assert_nonnull (strstr (log_b, "path=/v1/push status=200"));

  g_subprocess_send_signal (haproxy, SIGTERM);
  g_subprocess_wait (haproxy, NULL, NULL);
  test_org_clear (&one);
  test_org_clear (&two);
  server_clear (&lb);
  server_clear (&b);
  server_clear (&a);
}

static void
add_tests (void)
{
  g_test_add_func ("/server/balanced/two-servers-haproxy", test_balanced);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *why = NULL;

  if (!rx_test_pg_available (&why))
    {
      g_printerr ("Skipped: %s\n", why);
      return 77;
    }
  if (g_getenv ("RXDESK_HAPROXY") == NULL)
    {
      g_printerr ("Skipped: HAProxy is not installed (apt-get install haproxy)\n");
      return 77;
    }
  return server_test_main (argc, argv, add_tests);
}
