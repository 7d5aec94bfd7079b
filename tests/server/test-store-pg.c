/* test-store-pg.c: the PostgreSQL store on a private cluster, below the HTTP layer: sequence
 * numbers under pushers on separate connections (as separate server processes would be) with
 * a reader pulling all the while, the multi-row write of a large push, the bounded pool, and
 * a connection lost or a database gone. */
#include "config.h"

#include <string.h>

#include "rx-server-error.h"
#include "rx-store.h"
#include "rx-test-pg.h"
#include "rx-test-util.h"

#define PUSHERS       2
#define PUSHES        120

typedef struct
{
  char *url;
  char *org;
} Fixture;

static RxStore *
open_store (Fixture *f,
            guint    pool)
{
  g_autoptr(GError) error = NULL;
  RxStore *store = rx_store_open (f->url, NULL, pool, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (rx_store_get_kind (store), ==, "postgresql");
  return store;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(RxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  RxStoreOrg org = { 0, };

  f->url = rx_test_pg_new_database ();
  f->org = g_strdup ("org-1");
  store = open_store (f, 1);
  g_assert_true (rx_store_migrate (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rx_store_get_schema_version (store, NULL), ==,
                   rx_store_get_latest_version (store));

  org.id = f->org;
  org.name = (char *) "Concurrency Clinic";
  org.created_at = 1;
  g_assert_true (rx_store_org_add (store, &org, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->url);
  g_free (f->org);
}

static RxStoreEntry
make_entry (const char *op_id,
            const char *payload)
{
  RxStoreEntry e = { 0, };

  e.op_id = (char *) op_id;
  e.entity = (char *) "patients";
  e.row_id = (char *) op_id;
  e.hlc = (char *) "0000000000001-0000-node";
  e.author = (char *) "system";
  e.payload = (char *) payload;
  e.received_at = 1700000000;
  return e;
}

/* Sequence numbers under concurrent pushers ----------------------------------------------- */

typedef struct
{
  Fixture  *f;
  RxStore  *store;       /* its own, or shared with the other pushers */
  guint     id;
  guint     accepted;    /* entries committed */
  gint      done;
} Pusher;

static gpointer
push_loop (gpointer data)
{
  Pusher *p = data;
  GRand *rand = g_rand_new_with_seed (p->id);

  for (guint i = 0; i < PUSHES; i++)
    {
      g_autoptr(GError) error = NULL;
      guint batch = g_rand_int_range (rand, 1, 6);
      gboolean roll_back = i % 7 == 3;

      g_assert_true (rx_store_begin (p->store, &error));
      /* half the pushes read the organisation first, as the server does; the others number
       * entries straight away, which must hold the head by itself */
      if (i % 2 == 0)
        {
          g_autoptr(RxStoreOrg) org = rx_store_org_get (p->store, p->f->org, &error);

          g_assert_no_error (error);
          g_assert_nonnull (org);
        }
      for (guint k = 0; k < batch; k++)
        {
          g_autofree char *op = g_strdup_printf ("op-%u-%u-%u", p->id, i, k);
          g_autofree char *payload = g_strdup_printf ("{\"n\":%u}", k);
          RxStoreEntry e = make_entry (op, payload);

          g_assert_cmpint (rx_store_entry_append (p->store, p->f->org, &e, &error), >, 0);
          g_assert_no_error (error);
        }
      /* a numbered push that is slow to commit: the hole a reader could fall into */
      g_usleep (g_rand_int_range (rand, 0, 3000));
      if (roll_back)
        rx_store_rollback (p->store);
      else
        {
          g_assert_true (rx_store_commit (p->store, &error));
          g_assert_no_error (error);
          p->accepted += batch;
        }
    }

  g_rand_free (rand);
  g_atomic_int_set (&p->done, 1);
  return NULL;
}

/* Pulls until the pushers are done and the log is read to its end; asserts that every page
 * continues the last without a gap. Returns the entries seen. */
static gint64
pull_until_done (Fixture  *f,
                 Pusher   *pushers,
                 GPtrArray *op_ids)
{
  g_autoptr(RxStore) store = open_store (f, 1);
  const char * const entities[] = { "patients", NULL };
  gint64 last = 0;
  guint pulls = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = NULL;
      gboolean all_done = TRUE;

      for (guint i = 0; i < PUSHERS; i++)
        all_done = all_done && g_atomic_int_get (&pushers[i].done);

      page = rx_store_entries_after (store, f->org, last, entities, 50, &error);
      g_assert_no_error (error);
      pulls++;
      for (guint i = 0; i < page->len; i++)
        {
          RxStoreEntry *e = g_ptr_array_index (page, i);

          /* never N+1 without N */
          g_assert_cmpint (e->seq, ==, last + 1);
          last = e->seq;
          g_ptr_array_add (op_ids, g_strdup (e->op_id));
        }
      if (all_done && page->len == 0)
        break;
    }
  g_test_message ("%u pulls read %" G_GINT64_FORMAT " entries", pulls, last);

  return last;
}

static void
check_sequences (Fixture *f,
                 gboolean shared)
{
  g_autoptr(RxStore) shared_store = shared ? open_store (f, PUSHERS) : NULL;
  g_autoptr(GPtrArray) op_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(RxStore) check = open_store (f, 1);
  g_autoptr(RxStoreOrg) org = NULL;
  Pusher pushers[PUSHERS] = { { 0, }, };
  GThread *threads[PUSHERS];
  guint accepted = 0;
  gint64 pulled;

  for (guint i = 0; i < PUSHERS; i++)
    {
      pushers[i].f = f;
      pushers[i].id = i + 1;
      pushers[i].store = shared ? g_object_ref (shared_store) : open_store (f, 1);
      threads[i] = g_thread_new ("pusher", push_loop, &pushers[i]);
    }
  pulled = pull_until_done (f, pushers, op_ids);
  for (guint i = 0; i < PUSHERS; i++)
    {
      g_thread_join (threads[i]);
      g_object_unref (pushers[i].store);
      accepted += pushers[i].accepted;
    }

  /* 1..N, every committed entry once, nothing of a rolled-back push */
  g_assert_cmpint (pulled, ==, accepted);
  g_assert_cmpuint (op_ids->len, ==, accepted);
  for (guint i = 0; i < op_ids->len; i++)
    g_assert_true (g_hash_table_add (seen, g_ptr_array_index (op_ids, i)));
  org = rx_store_org_get (check, f->org, NULL);
  g_assert_cmpint (org->head, ==, accepted);
  g_assert_cmpint (rx_store_entry_find (check, f->org, "op-1-3-0", NULL), ==, 0);
  g_assert_cmpint (rx_store_entry_find (check, f->org, "op-1-0-0", NULL), >, 0);
}

static void
test_sequence_connections (Fixture       *f,
                           gconstpointer  data)
{
  check_sequences (f, FALSE);
}

static void
test_sequence_pool (Fixture       *f,
                    gconstpointer  data)
{
  check_sequences (f, TRUE);
}

/* A large push ---------------------------------------------------------------------------- */

/* More entries than one multi-row INSERT takes, with text that array literals must escape. */
static void
test_large_push (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(RxStore) store = open_store (f, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(RxStoreOrg) org = NULL;
  const char * const entities[] = { "patients", NULL };
  const guint n = 2500;
  gint64 since = 0;
  guint read = 0;

  g_assert_true (rx_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *op = g_strdup_printf ("op \"%u\" \\ {,}", i);
      g_autofree char *payload = g_strdup_printf ("{\"name\":\"O'Brien \\\"%u\\\" \\\\ {a,b} é\","
                                                  "\"null\":null}", i);
      RxStoreEntry e = make_entry (op, payload);

      g_assert_cmpint (rx_store_entry_append (store, f->org, &e, &error), ==, i + 1);
      /* found while still held in the transaction */
      g_assert_cmpint (rx_store_entry_find (store, f->org, op, &error), ==, i + 1);
    }
  org = rx_store_org_get (store, f->org, &error);
  g_assert_cmpint (org->head, ==, n);
  g_assert_true (rx_store_commit (store, &error));
  g_assert_no_error (error);

  while (read < n)
    {
      g_autoptr(GPtrArray) page = rx_store_entries_after (store, f->org, since, entities, 1000,
                                                          &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, >, 0);
      for (guint i = 0; i < page->len; i++)
        {
          RxStoreEntry *e = g_ptr_array_index (page, i);
          g_autofree char *op = g_strdup_printf ("op \"%u\" \\ {,}", read);
          g_autofree char *payload = g_strdup_printf ("{\"name\":\"O'Brien \\\"%u\\\" \\\\ "
                                                      "{a,b} é\",\"null\":null}", read);

          g_assert_cmpint (e->seq, ==, read + 1);
          g_assert_cmpstr (e->op_id, ==, op);
          g_assert_cmpstr (e->payload, ==, payload);
          read++;
          since = e->seq;
        }
    }
}

/* Digests of the log ---------------------------------------------------------------------- */

static void
append_all (RxStore     *store,
            const char  *org_id,
            const char **payloads)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rx_store_begin (store, &error));
  for (guint i = 0; payloads[i] != NULL; i++)
    {
      g_autofree char *op = g_strdup_printf ("digest-op-%u", i);
      RxStoreEntry e = make_entry (op, payloads[i]);

      g_assert_cmpint (rx_store_entry_append (store, org_id, &e, &error), ==, i + 1);
    }
  g_assert_true (rx_store_commit (store, &error));
  g_assert_no_error (error);
}

/* The same log gives the same digest in SQLite and PostgreSQL (what migrate --from-sqlite
 * compares), and one changed byte gives another. */
static void
test_digest (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(RxStore) pg = open_store (f, 1);
  g_autofree char *dir = rx_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "server.db", NULL);
  g_autofree char *url = g_strconcat ("sqlite:", path, NULL);
  g_autoptr(RxStore) lite = NULL;
  g_autoptr(RxStore) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  /* JSON kept as written: spaces and escapes count */
  const char *payloads[] = { "{\"a\":1}", "{\"name\":\"Ní \\\"x\\\"\"}",
                             "{ \"spaced\" : true }", NULL };
  const char *changed[] = { "{\"a\":1}", "{\"name\":\"Ní \\\"x\\\"\"}",
                            "{ \"spaced\" : false }", NULL };
  RxStoreOrg org = { 0, };
  gint64 n = 0;

  lite = rx_store_open (url, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_true (rx_store_migrate (lite, &error));
  org.id = f->org;
  org.name = (char *) "Concurrency Clinic";
  org.created_at = 1;
  g_assert_true (rx_store_org_add (lite, &org, &error));
  org.id = (char *) "org-changed";
  g_assert_true (rx_store_org_add (pg, &org, &error));

  append_all (lite, f->org, payloads);
  append_all (pg, f->org, payloads);
  append_all (pg, "org-changed", changed);

  a = rx_store_log_digest (lite, f->org, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 3);
  b = rx_store_log_digest (pg, f->org, &n, &error);
  g_assert_cmpint (n, ==, 3);
  c = rx_store_log_digest (pg, "org-changed", &n, &error);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);

  g_clear_object (&lite);
  rx_test_remove_dir (dir);
}

/* The pool -------------------------------------------------------------------------------- */

typedef struct
{
  RxStore *store;
  gint64   took;        /* usec */
} Waiter;

static gpointer
list_orgs (gpointer data)
{
  Waiter *w = data;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GPtrArray) orgs = rx_store_org_list (w->store, NULL);

  g_assert_nonnull (orgs);
  w->took = g_get_monotonic_time () - start;
  return NULL;
}

/* One connection, held by a transaction: another thread's call waits for it, and the
 * database never sees more connections than the pool allows. */
static void
test_pool_bounded (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(RxStore) store = open_store (f, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *sessions = NULL;
  Waiter w = { store, 0 };
  GThread *thread;

  g_assert_true (rx_store_begin (store, &error));
  thread = g_thread_new ("waiter", list_orgs, &w);
  g_usleep (300 * 1000);
  sessions = rx_test_pg_sql (f->url, "SELECT count(*) FROM pg_stat_activity "
                                     "WHERE application_name = 'rxdesk-server' "
                                     "AND datname = current_database ()");
  g_assert_cmpstr (sessions, ==, "1");
  g_assert_true (rx_store_commit (store, &error));
  g_thread_join (thread);
  g_assert_cmpint (w.took, >=, 250 * 1000);
}

/* A push held up by another process's push of the same organisation waits a bounded time,
 * then fails (the server answers 503 and the workstation retries); another organisation does
 * not wait at all. */
static void
test_lock_wait_bounded (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(RxStore) first = open_store (f, 1);
  g_autoptr(RxStore) second = open_store (f, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(RxStoreOrg) held = NULL;
  g_autoptr(RxStoreOrg) other = NULL;
  g_autoptr(RxStoreOrg) waited = NULL;
  RxStoreOrg org = { 0, };
  gint64 started;

  org.id = (char *) "org-2";
  org.name = (char *) "Another Clinic";
  org.created_at = 2;
  g_assert_true (rx_store_org_add (first, &org, &error));

  g_assert_true (rx_store_begin (first, &error));
  held = rx_store_org_get (first, f->org, &error);
  g_assert_nonnull (held);

  g_assert_true (rx_store_begin (second, &error));
  started = g_get_monotonic_time ();
  other = rx_store_org_get (second, "org-2", &error);
  g_assert_no_error (error);
  g_assert_nonnull (other);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 1000 * 1000);
  waited = rx_store_org_get (second, f->org, &error);
  g_assert_null (waited);
  g_assert_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "another server process held the organisation"));
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 4 * 1000 * 1000);
  rx_store_rollback (second);
  g_clear_error (&error);

  g_assert_true (rx_store_commit (first, &error));
  g_assert_no_error (error);
}

/* Lost connections ------------------------------------------------------------------------ */

static void
test_reconnect (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(RxStore) store = open_store (f, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *killed = NULL;
  g_autoptr(GPtrArray) orgs = NULL;
  g_autoptr(RxStoreOrg) org = NULL;
  RxStoreEntry e = make_entry ("after-restart", "{}");
  gint64 started;

  g_assert_true (rx_store_ping (store, &error));

  /* the server ends the session (as a restart or a failover would): opened again, once */
  killed = rx_test_pg_sql (f->url, "SELECT count(pg_terminate_backend (pid)) "
                                   "FROM pg_stat_activity "
                                   "WHERE application_name = 'rxdesk-server'");
  g_assert_cmpstr (killed, ==, "1");
  orgs = rx_store_org_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orgs->len, ==, 1);

  /* the database is gone: an error that says so, quickly, and no crash */
  rx_test_pg_stop ();
  g_assert_false (rx_store_ping (store, &error));
  g_assert_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "PostgreSQL"));
  g_clear_error (&error);
  /* and for a moment after, calls fail at once rather than each waiting to connect */
  started = g_get_monotonic_time ();
  g_assert_false (rx_store_begin (store, &error));
  g_assert_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "a moment ago"));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 200 * 1000);
  g_clear_error (&error);

  /* back: the same store object works again (within a second or so), and numbering goes on
   * where it was */
  rx_test_pg_restart ();
  for (guint i = 0; !rx_store_begin (store, &error); i++)
    {
      g_assert_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_STORE);
      g_assert_cmpuint (i, <, 50);
      g_clear_error (&error);
      g_usleep (100 * 1000);
    }
  g_assert_cmpint (rx_store_entry_append (store, f->org, &e, &error), ==, 1);
  g_assert_true (rx_store_commit (store, &error));
  org = rx_store_org_get (store, f->org, &error);
  g_assert_cmpint (org->head, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *why = NULL;

  g_test_init (&argc, &argv, NULL);
  if (!rx_test_pg_available (&why))
    {
      g_printerr ("Skipped: %s\n", why);
      return 77;
    }

  g_test_add ("/store-pg/sequence/separate-connections", Fixture, NULL, fixture_setup,
              test_sequence_connections, fixture_teardown);
  g_test_add ("/store-pg/sequence/one-pool", Fixture, NULL, fixture_setup, test_sequence_pool,
              fixture_teardown);
  g_test_add ("/store-pg/digest", Fixture, NULL, fixture_setup, test_digest, fixture_teardown);
  g_test_add ("/store-pg/large-push", Fixture, NULL, fixture_setup, test_large_push,
              fixture_teardown);
  g_test_add ("/store-pg/pool-bounded", Fixture, NULL, fixture_setup, test_pool_bounded,
              fixture_teardown);
  g_test_add ("/store-pg/lock-wait-bounded", Fixture, NULL, fixture_setup,
              test_lock_wait_bounded, fixture_teardown);
  g_test_add ("/store-pg/reconnect", Fixture, NULL, fixture_setup, test_reconnect,
              fixture_teardown);

  return g_test_run ();
}
