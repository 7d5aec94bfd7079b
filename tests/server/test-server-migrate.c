/* test-server-migrate.c: moving a running deployment from its SQLite store to PostgreSQL with
 * "rxdesk-server migrate --from-sqlite DIR --to URL": every table comes across (the same
 * tokens still work, the same log is pulled, numbering goes on), the digests printed agree,
 * and a second run into the now full database is refused. */
#include "config.h"

#include <string.h>

#include "rx-test-pg.h"
#include "server-harness.h"

static char *
patients_body (TestOrg *o,
               guint    n)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = test_new_id ();
      g_autofree char *hlc = test_org_hlc (o);
      /* text the copy must carry byte for byte */
      g_autofree char *payload = g_strdup_printf ("{\"id\":\"%s\",\"family_name\":\"O'Brien "
                                                  "\\\"Ní Bhriain\\\" {a,b} \\\\\","
                                                  "\"birth_date\":\"1975-05-06\"}", id);

      g_ptr_array_add (entries, test_entry ("patients", id, hlc, o->admin_id, payload));
    }

  return test_push_body (entries);
}

static char *
pull_all (Server     *s,
          const char *token)
{
  g_autoptr(Reply) r = server_request (s, "GET", "/v1/pull?since=0&limit=1000", token, NULL);
  JsonArray *entries;
  g_autoptr(JsonNode) node = NULL;

  assert_reply (r, 200, NULL);
  entries = json_object_get_array_member (reply_object (r), "entries");
  node = json_node_init_array (json_node_alloc (), entries);
  return json_to_string (node, FALSE);
}

static JsonObject *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_from_sqlite (void)
{
  Server s;
  TestOrg a, b;
  g_autofree char *url = rx_test_pg_new_database ();
  g_autofree char *first = NULL;
  g_autofree char *before_a = NULL;
  g_autofree char *before_b = NULL;
  g_autofree char *after_a = NULL;
  g_autofree char *after_b = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(Reply) r = NULL;
  JsonArray *orgs;
  gint64 head_b;

  /* a deployment on SQLite with two organisations */
  server_init (&s);
  g_assert_null (s.store_url);
  server_start (&s);
  test_org_bootstrap (&s, "Hill Clinic", &a);
  test_org_bootstrap (&s, "Bay Clinic", &b);
  first = patients_body (&a, 40);
  r = server_request (&s, "POST", "/v1/push", a.admin_token, first);
  assert_reply (r, 200, NULL);
  g_clear_pointer (&r, reply_free);
  g_free (first);
  first = patients_body (&b, 7);
  r = server_request (&s, "POST", "/v1/push", b.admin_token, first);
  assert_reply (r, 200, NULL);
  head_b = json_object_get_int_member (reply_object (r), "head");
  g_clear_pointer (&r, reply_free);
  before_a = pull_all (&s, a.admin_token);
  before_b = pull_all (&s, b.admin_token);
  server_stop (&s);

  g_assert_cmpint (server_cli (&s, &out, &err, "migrate", "--from-sqlite", s.data_dir, "--to",
                               url, "--json", NULL), ==, 0);
  report = parse (out);
  g_assert_true (json_object_get_boolean_member (report, "match"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (report, "copied"),
                                               "organisations"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (report, "copied"),
                                               "tokens"), >=, 2);
  orgs = json_object_get_array_member (report, "organisations");
  g_assert_cmpuint (json_array_get_length (orgs), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *org = json_array_get_object_element (orgs, i);

      g_assert_cmpstr (json_object_get_string_member (org, "sqlite"), ==,
                       json_object_get_string_member (org, "postgresql"));
      g_assert_cmpuint (strlen (json_object_get_string_member (org, "sqlite")), ==, 64);
      g_assert_true (json_object_get_boolean_member (org, "match"));
    }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* the human report names each organisation with its digest */
  g_assert_cmpint (server_cli (&s, &out, &err, "migrate", "--from-sqlite", s.data_dir, "--to",
                               url, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "has organisations already"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (server_cli (&s, &out, &err, "migrate", "--from-sqlite", s.data_dir, NULL),
                   ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* the same server on PostgreSQL: the tokens it gave still work, the logs read the same and
   * numbering goes on */
  s.store_url = g_strdup (url);
  server_start (&s);
  after_a = pull_all (&s, a.admin_token);
  after_b = pull_all (&s, b.admin_token);
  g_assert_cmpstr (after_a, ==, before_a);
  g_assert_cmpstr (after_b, ==, before_b);
  g_free (first);
  first = patients_body (&b, 2);
  r = server_request (&s, "POST", "/v1/push", b.admin_token, first);
  assert_reply (r, 200, NULL);
  g_assert_cmpint (json_object_get_int_member (reply_object (r), "head"), ==, head_b + 2);

  test_org_clear (&a);
  test_org_clear (&b);
  server_clear (&s);
}

static void
add_tests (void)
{
  g_test_add_func ("/server/migrate/from-sqlite", test_from_sqlite);
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
  return server_test_main (argc, argv, add_tests);
}
