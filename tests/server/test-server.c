/* test-server.c: rxdesk-server end to end, as a workstation and an administrator meet it:
 * the command line, health, enrolment, login and its limits, tokens, malformed and oversized
 * requests, push and pull, roles, tenants kept apart, and workstations revoked. */
#include "config.h"


#include "server-harness.h"

typedef struct
{
  Server  s;
  TestOrg o;
} F;

/* Extra server arguments for a test, NULL-terminated, as its data. */
static void
setup (F             *f,
       gconstpointer  data)
{
  const char * const *args = data;

  server_init (&f->s);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (f->s.args, g_strdup (args[i]));
  server_start (&f->s);
}

static void
teardown (F             *f,
          gconstpointer  data)
{
  test_org_clear (&f->o);
  server_clear (&f->s);
}

static JsonObject *
result_of (Reply *r,
           guint  i)
{
  return json_array_get_object_element (json_object_get_array_member (reply_object (r),
                                                                        "results"), i);
}

static Reply *
push (F          *f,
      const char *token,
      GPtrArray  *entries)
{
  g_autofree char *body = test_push_body (entries);

  return server_request (&f->s, "POST", "/v1/push", token, body);
}

static char *
patient_payload (const char *id,
                 const char *family_name)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"record_number\":\"R-%.8s\",\"family_name\":\"%s\","
                          "\"given_names\":\"Ana\",\"birth_date\":\"1980-02-03\",\"sex\":\"F\"}",
                          id, id + 28, family_name);
}

static char *
patient_entry (F          *f,
               const char *author)
{
  g_autofree char *id = test_new_id ();
  g_autofree char *hlc = test_org_hlc (&f->o);
  g_autofree char *payload = patient_payload (id, "Okafor");

  return test_entry ("patients", id, hlc, author, payload);
}

/* A client that pinned another certificate refuses this server. */
static void
test_pinning (F             *f,
              gconstpointer  data)
{
  g_autofree char *pinned = g_steal_pointer (&f->s.fingerprint);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  f->s.fingerprint = g_strnfill (64, '0');
  msg = server_message (&f->s, "GET", "/v1/health", NULL, NULL);
  bytes = soup_session_send_and_read (f->s.session, msg, NULL, &error);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_free (f->s.fingerprint);
  f->s.fingerprint = g_steal_pointer (&pinned);
}

/* Health, paths, the command line --------------------------------------------------------- */

static void
test_health (F             *f,
             gconstpointer  data)
{
  g_autoptr(Reply) health = server_request (&f->s, "GET", "/v1/health", NULL, NULL);
  g_autoptr(Reply) missing = server_request (&f->s, "GET", "/v1/nothing", NULL, NULL);
  g_autoptr(Reply) method = server_request (&f->s, "DELETE", "/v1/push", NULL, NULL);

  assert_reply (health, 200, NULL);
  g_assert_cmpstr (reply_string (health, "status"), ==, "ok");
  g_assert_cmpstr (reply_string (health, "store"), ==, server_store_kind (&f->s));
  g_assert_cmpstr (reply_string (health, "version"), ==, PACKAGE_VERSION);
  assert_reply (missing, 404, "/v1/");
  assert_reply (method, 405, "POST");
}

static void
test_command_line (F             *f,
                   gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *code1 = NULL;
  g_autofree char *code2 = NULL;
  g_autofree char *org = server_org_create (&f->s, "Riverside Clinic", &code1);

  g_assert_true (g_regex_match_simple ("^([A-Z2-9]{4}-){4}[A-Z2-9]{4}$", code1, 0, 0));
  code2 = server_org_code (&f->s, org);
  g_assert_cmpstr (code1, !=, code2);

  /* the fingerprint is the one the server printed at its first start */
  g_assert_cmpint (server_cli (&f->s, &out, &err, "fingerprint", NULL), ==, 0);
  g_assert_cmpstr (g_strstrip (out), ==, f->s.fingerprint);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (server_cli (&f->s, &out, &err, "org", "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Riverside Clinic"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (server_cli (&f->s, &out, &err, "migrate", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (server_cli (&f->s, &out, &err, "org", "code", "no-such-org", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "org list"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (server_cli (&f->s, &out, &err, "frobnicate", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* nothing listens on port 1: a clear error, not a hang or a crash */
  g_assert_cmpint (server_cli (&f->s, &out, &err, "--store", "postgresql://rx@127.0.0.1:1/rx",
                               "org", "list", NULL), ==, 1);
#if HAVE_POSTGRESQL
  g_assert_nonnull (strstr (err, "Cannot connect to PostgreSQL "
                                 "(database rx on 127.0.0.1:1 as rx)"));
  g_assert_nonnull (strstr (err, "check that it is running"));
#else
  g_assert_nonnull (strstr (err, "built without PostgreSQL"));
#endif
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (server_cli (&f->s, &out, &err, "--tls-cert", "x.pem", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--tls-key"));
}

/* Enrolment ------------------------------------------------------------------------------- */

static void
expire_codes (F *f)
{
  g_free (server_store_sql (&f->s, "UPDATE enrolment_codes SET expires_at = 1000 "
                                   "WHERE used_at IS NULL"));
}

static void
test_enrol_empty (F             *f,
                  gconstpointer  data)
{
  g_autofree char *code = NULL;
  g_autofree char *org = server_org_create (&f->s, "Hill Clinic", &code);
  g_autofree char *body = test_enrol_body (code, NULL, FALSE, NULL, NULL);
  g_autofree char *code2 = server_org_code (&f->s, org);
  g_autofree char *body2 = test_enrol_body (code2, NULL, FALSE, NULL, NULL);
  g_autofree char *clinic = NULL;
  g_autofree char *code3 = NULL;
  g_autofree char *body3 = NULL;
  g_autoptr(Reply) first = server_request (&f->s, "POST", "/v1/enrol", NULL, body);
  g_autoptr(Reply) again = server_request (&f->s, "POST", "/v1/enrol", NULL, body);
  g_autoptr(Reply) second = server_request (&f->s, "POST", "/v1/enrol", NULL, body2);
  g_autoptr(Reply) unknown = NULL;
  g_autoptr(Reply) garbled = NULL;
  g_autoptr(Reply) expired = NULL;
  g_autoptr(Reply) no_code = NULL;
  JsonObject *o;

  /* an empty organisation gets a clinic organisation id from the server */
  assert_reply (first, 201, NULL);
  o = reply_object (first);
  g_assert_cmpstr (json_object_get_string_member (o, "org"), ==, org);
  g_assert_cmpstr (json_object_get_string_member (o, "org_name"), ==, "Hill Clinic");
  g_assert_true (json_object_get_boolean_member (o, "empty"));
  g_assert_true (json_object_get_null_member (o, "token"));
  clinic = g_strdup (json_object_get_string_member (o, "clinic_org_id"));
  g_assert_true (g_regex_match_simple ("^[0-9a-f-]{36}$", clinic, 0, 0));

  /* a code works once */
  assert_reply (again, 401, "used");

  /* the next workstation takes the same clinic id */
  assert_reply (second, 201, NULL);
  g_assert_cmpstr (reply_string (second, "clinic_org_id"), ==, clinic);
  g_assert_cmpstr (reply_string (second, "workstation_id"), !=, reply_string (first,
                                                                              "workstation_id"));

  unknown = server_request (&f->s, "POST", "/v1/enrol", NULL,
                            "{\"code\":\"AAAA-BBBB-CCCC-DDDD-EEEE\","
                            "\"node_id\":\"0123456789abcdef\",\"name\":\"Desk\","
                            "\"has_data\":false}");
  assert_reply (unknown, 401, "not known");
  garbled = server_request (&f->s, "POST", "/v1/enrol", NULL,
                            "{\"code\":\"hello\",\"node_id\":\"0123456789abcdef\","
                            "\"name\":\"Desk\"}");
  assert_reply (garbled, 401, "XXXX-XXXX");
  no_code = server_request (&f->s, "POST", "/v1/enrol", NULL,
                            "{\"node_id\":\"0123456789abcdef\",\"name\":\"Desk\"}");
  assert_reply (no_code, 400, "code");

  code3 = server_org_code (&f->s, org);
  expire_codes (f);
  body3 = test_enrol_body (code3, NULL, FALSE, NULL, NULL);
  expired = server_request (&f->s, "POST", "/v1/enrol", NULL, body3);
  assert_reply (expired, 401, "expired");
}

static void
test_enrol_bootstrap (F             *f,
                      gconstpointer  data)
{
  g_autofree char *code = NULL;
  g_autofree char *code2 = NULL;
  g_autofree char *other_clinic = test_new_id ();
  g_autofree char *nurse_id = test_new_id ();
  g_autofree char *nurse = test_user_row (nurse_id, "nurse", "receptionist", "active",
                                          TEST_PASSWORD);
  g_autofree char *admin_id = test_new_id ();
  g_autofree char *admin = test_user_row (admin_id, "boss", "admin", "active", TEST_PASSWORD);
  g_autofree char *org2 = NULL;
  g_autofree char *body = NULL;
  g_autoptr(Reply) r = NULL;

  test_org_bootstrap (&f->s, "Bay Clinic", &f->o);

  /* the bootstrap token is the administrator's: it may read */
  r = server_request (&f->s, "GET", "/v1/pull", f->o.admin_token, NULL);
  assert_reply (r, 200, NULL);
  g_clear_pointer (&r, reply_free);

  /* once an organisation has a clinic's data, another clinic file with data cannot join */
  {
    g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);

    g_ptr_array_add (entries, patient_entry (f, f->o.admin_id));
    r = push (f, f->o.admin_token, entries);
    assert_reply (r, 200, NULL);
    g_clear_pointer (&r, reply_free);
  }
  code = server_org_code (&f->s, f->o.org);
  body = test_enrol_body (code, other_clinic, TRUE, admin, TEST_PASSWORD);
  r = server_request (&f->s, "POST", "/v1/enrol", NULL, body);
  assert_reply (r, 409, "new, empty clinic file");
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&body, g_free);

  /* ... but an empty one joins, and takes the organisation's clinic id */
  body = test_enrol_body (code, NULL, FALSE, NULL, NULL);
  r = server_request (&f->s, "POST", "/v1/enrol", NULL, body);
  assert_reply (r, 201, NULL);
  g_assert_cmpstr (reply_string (r, "clinic_org_id"), ==, f->o.clinic);
  g_assert_false (json_object_get_boolean_member (reply_object (r), "empty"));
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&body, g_free);

  /* the first workstation with data must be enrolled by an administrator who knows their
   * password */
  org2 = server_org_create (&f->s, "Dale Clinic", &code2);
  body = test_enrol_body (code2, other_clinic, TRUE, nurse, TEST_PASSWORD);
  r = server_request (&f->s, "POST", "/v1/enrol", NULL, body);
  assert_reply (r, 403, "administrator");
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&body, g_free);

  body = test_enrol_body (code2, other_clinic, TRUE, admin, "not the password at all");
  r = server_request (&f->s, "POST", "/v1/enrol", NULL, body);
  assert_reply (r, 401, "does not match");
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&body, g_free);

  body = test_enrol_body (code2, other_clinic, TRUE, NULL, NULL);
  r = server_request (&f->s, "POST", "/v1/enrol", NULL, body);
  assert_reply (r, 400, "bootstrap");
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&body, g_free);

  /* none of those used the code up */
  body = test_enrol_body (code2, other_clinic, TRUE, admin, TEST_PASSWORD);
  r = server_request (&f->s, "POST", "/v1/enrol", NULL, body);
  assert_reply (r, 201, NULL);
  g_assert_cmpstr (reply_string (r, "clinic_org_id"), ==, other_clinic);
  g_assert_nonnull (reply_string (r, "token"));
  g_assert_nonnull (reply_string (r, "expires_at"));
}

/* Login ----------------------------------------------------------------------------------- */

static void
test_login_flow (F             *f,
            gconstpointer  data)
{
  g_autofree char *doctor_id = NULL;
  g_autofree char *token = NULL;
  g_autoptr(Reply) r = NULL;
  JsonObject *o;

  test_org_bootstrap (&f->s, "Bay Clinic", &f->o);
  doctor_id = test_org_add_user (&f->s, &f->o, "lchen", "doctor", "active");
  g_free (test_org_add_user (&f->s, &f->o, "gone", "pharmacist", "disabled"));

  r = test_login_reply (&f->s, &f->o, "lchen", TEST_PASSWORD);
  assert_reply (r, 200, NULL);
  o = reply_object (r);
  g_assert_cmpstr (json_object_get_string_member (o, "user_id"), ==, doctor_id);
  g_assert_cmpstr (json_object_get_string_member (o, "username"), ==, "lchen");
  g_assert_cmpstr (json_object_get_string_member (o, "role"), ==, "doctor");
  g_assert_cmpstr (json_object_get_string_member (o, "org"), ==, f->o.org);
  g_assert_cmpstr (json_object_get_string_member (o, "clinic_org_id"), ==, f->o.clinic);
  g_assert_nonnull (json_object_get_string_member (o, "expires_at"));
  token = g_strdup (json_object_get_string_member (o, "token"));
  g_clear_pointer (&r, reply_free);

  r = server_request (&f->s, "GET", "/v1/pull", token, NULL);
  assert_reply (r, 200, NULL);
  g_clear_pointer (&r, reply_free);

  /* a wrong password and an unknown user get the same answer */
  r = test_login_reply (&f->s, &f->o, "lchen", "a wrong password");
  assert_reply (r, 401, "Wrong username or password");
  g_clear_pointer (&r, reply_free);
  r = test_login_reply (&f->s, &f->o, "nobody", TEST_PASSWORD);
  assert_reply (r, 401, "Wrong username or password");
  g_clear_pointer (&r, reply_free);

  r = test_login_reply (&f->s, &f->o, "gone", TEST_PASSWORD);
  assert_reply (r, 403, "disabled");
  g_clear_pointer (&r, reply_free);

  /* the workstation's secret counts as much as the password */
  g_free (f->o.ws_secret);
  f->o.ws_secret = g_strnfill (64, 'a');
  r = test_login_reply (&f->s, &f->o, "lchen", TEST_PASSWORD);
  assert_reply (r, 401, "enrol it again");
  g_clear_pointer (&r, reply_free);

  /* logout ends the token */
  r = server_request (&f->s, "POST", "/v1/logout", token, NULL);
  assert_reply (r, 204, NULL);
  g_clear_pointer (&r, reply_free);
  r = server_request (&f->s, "GET", "/v1/pull", token, NULL);
  assert_reply (r, 401, "sign in again");
}

static const char * const few_failures[] = {
  "--login-failures-per-user", "3", "--login-failures-per-address", "5", NULL
};

static void
test_login_limits (F             *f,
                   gconstpointer  data)
{
  g_autoptr(Reply) r = NULL;

  test_org_bootstrap (&f->s, "Bay Clinic", &f->o);
  g_free (test_org_add_user (&f->s, &f->o, "lchen", "doctor", "active"));

  for (guint i = 0; i < 3; i++)
    {
      r = test_login_reply (&f->s, &f->o, "lchen", "guess number one");
      assert_reply (r, 401, NULL);
      g_clear_pointer (&r, reply_free);
    }

  /* the username is locked out for a while, even with the right password */
  r = test_login_reply (&f->s, &f->o, "lchen", TEST_PASSWORD);
  assert_reply (r, 429, "wait");
  g_assert_nonnull (r->retry_after);
  g_assert_cmpint (atoi (r->retry_after), >, 0);
  g_assert_cmpint (atoi (r->retry_after), <=, 15 * 60);
  g_clear_pointer (&r, reply_free);

  /* another username still works, until the address has failed too often */
  r = test_login_reply (&f->s, &f->o, "admin", TEST_PASSWORD);
  assert_reply (r, 200, NULL);
  g_clear_pointer (&r, reply_free);
  for (guint i = 0; i < 2; i++)
    {
      r = test_login_reply (&f->s, &f->o, "someone", "guess number two");
      assert_reply (r, 401, NULL);
      g_clear_pointer (&r, reply_free);
    }
  r = test_login_reply (&f->s, &f->o, "admin", TEST_PASSWORD);
  assert_reply (r, 429, "from this address");
  g_assert_nonnull (r->retry_after);
}

/* Tokens and malformed requests ----------------------------------------------------------- */

static const char * const few_requests[] = { "--requests-per-minute", "5", NULL };

static void
test_tokens (F             *f,
             gconstpointer  data)
{
  g_autoptr(Reply) r = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  test_org_bootstrap (&f->s, "Bay Clinic", &f->o);

  r = server_request (&f->s, "GET", "/v1/pull", NULL, NULL);
  assert_reply (r, 401, "Authorization: Bearer");
  g_clear_pointer (&r, reply_free);
  r = server_request (&f->s, "GET", "/v1/pull", "not-a-token", NULL);
  assert_reply (r, 401, "not known");
  g_clear_pointer (&r, reply_free);
  r = server_request (&f->s, "POST", "/v1/push", "0123", "{\"entries\":[]}");
  assert_reply (r, 401, NULL);
  g_clear_pointer (&r, reply_free);

  /* five requests a minute for this server; the sixth waits */
  for (guint i = 0; i < 5; i++)
    {
      r = server_request (&f->s, "GET", "/v1/pull?since=0&limit=1", f->o.admin_token, NULL);
      assert_reply (r, 200, NULL);
      g_clear_pointer (&r, reply_free);
    }
  r = server_request (&f->s, "GET", "/v1/pull", f->o.admin_token, NULL);
  assert_reply (r, 429, "requests a minute");
  g_assert_nonnull (r->retry_after);
  g_assert_cmpint (atoi (r->retry_after), >=, 1);
  g_assert_cmpint (atoi (r->retry_after), <=, 60);
}

static void
test_malformed (F             *f,
                gconstpointer  data)
{
  g_autoptr(Reply) r = NULL;

  test_org_bootstrap (&f->s, "Bay Clinic", &f->o);

  r = server_request (&f->s, "POST", "/v1/push", f->o.admin_token, "{\"entries\": [{\"op_id\": ");
  assert_reply (r, 400, "line 1, column");
  g_clear_pointer (&r, reply_free);
  r = server_request (&f->s, "POST", "/v1/push", f->o.admin_token, "[1, 2]");
  assert_reply (r, 400, "JSON object");
  g_clear_pointer (&r, reply_free);
  r = server_request (&f->s, "POST", "/v1/push", f->o.admin_token, "{\"entries\": 7}");
  assert_reply (r, 400, "\"entries\"");
  g_clear_pointer (&r, reply_free);
  r = server_request (&f->s, "POST", "/v1/push", f->o.admin_token,
                      "{\"entries\": [{\"entity\": \"patients\"}]}");
  assert_reply (r, 400, "entries[0].op_id");
  g_clear_pointer (&r, reply_free);
  r = server_request (&f->s, "POST", "/v1/push", f->o.admin_token, "");
  assert_reply (r, 400, "no body");
  g_clear_pointer (&r, reply_free);
  r = server_request (&f->s, "GET", "/v1/pull?since=minus-one", f->o.admin_token, NULL);
  assert_reply (r, 400, "since");
  g_clear_pointer (&r, reply_free);
  r = server_request (&f->s, "POST", "/v1/login", NULL, "{\"username\": 12}");
  assert_reply (r, 400, "workstation_id");
}

static const char * const small_limits[] = {
  "--max-body-bytes", "65536", "--max-batch", "10", NULL
};

static void
test_too_large (F             *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) big = g_string_new ("{\"entries\":[], \"padding\":\"");
  g_autoptr(Reply) r = NULL;

  test_org_bootstrap (&f->s, "Bay Clinic", &f->o);

  for (guint i = 0; i < 100 * 1024; i++)
    g_string_append_c (big, 'x');
  g_string_append (big, "\"}");
  r = server_request (&f->s, "POST", "/v1/push", f->o.admin_token, big->str);
  assert_reply (r, 413, "65536");
  g_clear_pointer (&r, reply_free);

  for (guint i = 0; i < 11; i++)
    g_ptr_array_add (entries, patient_entry (f, f->o.admin_id));
  r = push (f, f->o.admin_token, entries);
  assert_reply (r, 413, "limit is 10");
  g_clear_pointer (&r, reply_free);

  /* the server is fine afterwards */
  g_ptr_array_set_size (entries, 10);
  r = push (f, f->o.admin_token, entries);
  assert_reply (r, 200, NULL);
  g_assert_cmpint (json_object_get_int_member (reply_object (r), "head"), ==, 10);
}

/* Push and pull --------------------------------------------------------------------------- */

static void
assert_result (Reply      *r,
               guint       i,
               const char *status,
               gint64      seq,
               const char *code)
{
  JsonObject *o = result_of (r, i);

  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, status);
  if (seq > 0)
    g_assert_cmpint (json_object_get_int_member (o, "seq"), ==, seq);
  else
    g_assert_true (json_object_get_null_member (o, "seq"));
  if (code != NULL)
    {
      g_assert_cmpstr (json_object_get_string_member (o, "code"), ==, code);
      g_assert_nonnull (json_object_get_string_member (o, "reason"));
    }
  else
    g_assert_true (json_object_get_null_member (o, "code"));
}

static void
test_push_pull (F             *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(Reply) r = NULL;
  g_autoptr(Reply) again = NULL;
  g_autofree char *id = test_new_id ();
  g_autofree char *hlc = NULL;
  g_autofree char *payload = NULL;
  JsonObject *page;
  JsonArray *list;

  test_org_bootstrap (&f->s, "Bay Clinic", &f->o);

  for (guint i = 0; i < 5; i++)
    g_ptr_array_add (entries, patient_entry (f, f->o.admin_id));
  hlc = test_org_hlc (&f->o);
  g_ptr_array_add (entries, test_entry ("spaceships", id, hlc, f->o.admin_id, "{}"));
  g_clear_pointer (&hlc, g_free);
  hlc = test_org_hlc (&f->o);
  payload = g_strdup_printf ("{\"id\":\"%s\",\"org_id\":\"%s\",\"family_name\":\"X\"}", id,
                             "00000000-0000-7000-8000-000000000000");
  g_ptr_array_add (entries, test_entry ("patients", id, hlc, f->o.admin_id, payload));
  g_ptr_array_add (entries, patient_entry (f, f->o.admin_id));

  /* accepted entries are numbered 1, 2, 3 ... without the rejected ones' gaps */
  r = push (f, f->o.admin_token, entries);
  assert_reply (r, 200, NULL);
  for (guint i = 0; i < 5; i++)
    assert_result (r, i, "accepted", i + 1, NULL);
  assert_result (r, 5, "rejected", 0, "invalid");
  assert_result (r, 6, "rejected", 0, "invalid");
  assert_result (r, 7, "accepted", 6, NULL);
  g_assert_cmpint (json_object_get_int_member (reply_object (r), "head"), ==, 6);

  /* a retried batch changes nothing twice */
  again = push (f, f->o.admin_token, entries);
  assert_reply (again, 200, NULL);
  for (guint i = 0; i < 5; i++)
    assert_result (again, i, "duplicate", i + 1, NULL);
  assert_result (again, 5, "rejected", 0, "invalid");
  assert_result (again, 7, "duplicate", 6, NULL);
  g_assert_cmpint (json_object_get_int_member (reply_object (again), "head"), ==, 6);

  /* pages */
  g_clear_pointer (&r, reply_free);
  r = server_request (&f->s, "GET", "/v1/pull?since=0&limit=4", f->o.admin_token, NULL);
  assert_reply (r, 200, NULL);
  page = reply_object (r);
  list = json_object_get_array_member (page, "entries");
  g_assert_cmpuint (json_array_get_length (list), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (list, 0), "seq"),
                   ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0),
                                                  "entity"), ==, "patients");
  g_assert_nonnull (json_object_get_object_member (json_array_get_object_element (list, 0),
                                                   "payload"));
  g_assert_cmpint (json_object_get_int_member (page, "next"), ==, 4);
  g_assert_true (json_object_get_boolean_member (page, "more"));
  g_assert_cmpint (json_object_get_int_member (page, "head"), ==, 6);

  g_clear_pointer (&r, reply_free);
  r = server_request (&f->s, "GET", "/v1/pull?since=4&limit=4", f->o.admin_token, NULL);
  page = reply_object (r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "entries")), ==,
                    2);
  g_assert_cmpint (json_object_get_int_member (page, "next"), ==, 6);
  g_assert_false (json_object_get_boolean_member (page, "more"));

  g_clear_pointer (&r, reply_free);
  r = server_request (&f->s, "GET", "/v1/pull?since=6", f->o.admin_token, NULL);
  page = reply_object (r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "entries")), ==,
                    0);
  g_assert_cmpint (json_object_get_int_member (page, "next"), ==, 6);
}

static void
test_roles (F             *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(Reply) r = NULL;
  g_autofree char *reception_id = NULL;
  g_autofree char *pharmacist_id = NULL;
  g_autofree char *reception = NULL;
  g_autofree char *pharmacist = NULL;
  g_autofree char *event_id = test_new_id ();
  g_autofree char *rx_id = test_new_id ();
  g_autofree char *hlc = NULL;
  g_autofree char *payload = NULL;
  JsonArray *list;

  test_org_bootstrap (&f->s, "Bay Clinic", &f->o);
  reception_id = test_org_add_user (&f->s, &f->o, "tnguyen", "receptionist", "active");
  pharmacist_id = test_org_add_user (&f->s, &f->o, "rpatel", "pharmacist", "active");
  reception = test_login (&f->s, &f->o, "tnguyen");
  pharmacist = test_login (&f->s, &f->o, "rpatel");

  /* the administrator writes a prescription event and an audit event */
  hlc = test_org_hlc (&f->o);
  payload = g_strdup_printf ("{\"id\":\"%s\",\"prescription_id\":\"%s\",\"from_status\":\"signed\","
                             "\"to_status\":\"cancelled\",\"reason\":null,"
                             "\"at\":\"2026-01-01T00:00:00.000Z\"}", event_id, rx_id);
  g_ptr_array_add (entries, test_entry ("prescription_events", event_id, hlc, "system",
                                        payload));
  g_clear_pointer (&hlc, g_free);
  g_clear_pointer (&payload, g_free);
  hlc = test_org_hlc (&f->o);
  g_ptr_array_add (entries, test_entry ("audit_events", event_id, hlc, "system",
                                        "{\"action\":\"verify\"}"));
  r = push (f, f->o.admin_token, entries);
  assert_reply (r, 200, NULL);
  assert_result (r, 0, "accepted", 3, NULL);
  assert_result (r, 1, "accepted", 4, NULL);
  g_clear_pointer (&r, reply_free);
  g_ptr_array_set_size (entries, 0);

  /* a receptionist reads neither prescriptions nor the audit trail */
  r = server_request (&f->s, "GET", "/v1/pull", reception, NULL);
  assert_reply (r, 200, NULL);
  list = json_object_get_array_member (reply_object (r), "entries");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);  /* the two users rows */
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, i),
                                                    "entity"), ==, "users");
  g_assert_cmpint (json_object_get_int_member (reply_object (r), "next"), ==, 4);
  g_assert_false (json_object_get_boolean_member (reply_object (r), "more"));
  g_clear_pointer (&r, reply_free);

  /* a pharmacist reads the prescription event, not the audit trail */
  r = server_request (&f->s, "GET", "/v1/pull?since=2", pharmacist, NULL);
  list = json_object_get_array_member (reply_object (r), "entries");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0),
                                                  "entity"), ==, "prescription_events");
  g_clear_pointer (&r, reply_free);

  /* a receptionist registers patients; others' entries are carried by administrators only */
  g_ptr_array_add (entries, patient_entry (f, reception_id));
  g_ptr_array_add (entries, patient_entry (f, f->o.admin_id));
  g_ptr_array_add (entries, patient_entry (f, "system"));
  r = push (f, reception, entries);
  assert_reply (r, 200, NULL);
  assert_result (r, 0, "accepted", 5, NULL);
  assert_result (r, 1, "rejected", 0, "forbidden");
  assert_result (r, 2, "rejected", 0, "forbidden");
  g_clear_pointer (&r, reply_free);
  g_ptr_array_set_size (entries, 0);

  /* a pharmacist may not write a prescription: when nothing may be written, 403 */
  g_clear_pointer (&hlc, g_free);
  g_clear_pointer (&payload, g_free);
  hlc = test_org_hlc (&f->o);
  payload = g_strdup_printf ("{\"id\":\"%s\",\"patient_id\":\"%s\",\"prescriber_id\":\"%s\","
                             "\"status\":\"draft\",\"created_at\":\"2026-01-01T00:00:00.000Z\"}",
                             rx_id, event_id, pharmacist_id);
  g_ptr_array_add (entries, test_entry ("prescriptions", rx_id, hlc, pharmacist_id, payload));
  r = push (f, pharmacist, entries);
  assert_reply (r, 403, "pharmacist may not change prescriptions");
  g_clear_pointer (&r, reply_free);

  /* the administrator may carry the pharmacist's entry, judged by the pharmacist's role */
  r = push (f, f->o.admin_token, entries);
  assert_reply (r, 403, "pharmacist");
  g_clear_pointer (&r, reply_free);

  /* and workstations are the administrators' business */
  r = server_request (&f->s, "GET", "/v1/workstations", pharmacist, NULL);
  assert_reply (r, 403, "administrator");
}

static void
test_tenants (F             *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(Reply) r = NULL;
  TestOrg other;
  JsonObject *page;

  test_org_bootstrap (&f->s, "Bay Clinic", &f->o);
  test_org_bootstrap (&f->s, "Dale Clinic", &other);

  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (entries, patient_entry (f, f->o.admin_id));
  r = push (f, f->o.admin_token, entries);
  assert_reply (r, 200, NULL);
  g_clear_pointer (&r, reply_free);

  /* the other organisation sees none of it, whatever it asks */
  r = server_request (&f->s, "GET", "/v1/pull?since=0&limit=1000", other.admin_token, NULL);
  assert_reply (r, 200, NULL);
  page = reply_object (r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "entries")), ==,
                    0);
  g_assert_cmpint (json_object_get_int_member (page, "head"), ==, 0);
  g_clear_pointer (&r, reply_free);

  /* the same op ids are new there (and rejected: another clinic's rows, by their author) */
  r = push (f, other.admin_token, entries);
  assert_reply (r, 403, "not a user the server knows");
  g_clear_pointer (&r, reply_free);

  r = server_request (&f->s, "GET", "/v1/workstations", other.admin_token, NULL);
  assert_reply (r, 200, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (r),
                                                                          "workstations")),
                    ==, 1);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (
                                                      reply_object (r), "workstations"), 0),
                     "id"), ==, other.ws_id);
  test_org_clear (&other);
}

static void
test_workstations (F             *f,
                   gconstpointer  data)
{
  g_autoptr(Reply) r = NULL;
  g_autofree char *code = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = NULL;
  TestOrg second;

  test_org_bootstrap (&f->s, "Bay Clinic", &f->o);
  g_free (test_org_add_user (&f->s, &f->o, "lchen", "doctor", "active"));

  code = server_org_code (&f->s, f->o.org);
  body = test_enrol_body (code, NULL, FALSE, NULL, NULL);
  r = server_request (&f->s, "POST", "/v1/enrol", NULL, body);
  assert_reply (r, 201, NULL);
  memset (&second, 0, sizeof second);
  second.ws_id = g_strdup (reply_string (r, "workstation_id"));
  second.ws_secret = g_strdup (reply_string (r, "workstation_secret"));
  g_clear_pointer (&r, reply_free);
  token = test_login (&f->s, &second, "lchen");

  r = server_request (&f->s, "GET", "/v1/workstations", f->o.admin_token, NULL);
  assert_reply (r, 200, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (r),
                                                                          "workstations")),
                    ==, 2);
  g_clear_pointer (&r, reply_free);

  path = g_strdup_printf ("/v1/workstations/%s/revoke", second.ws_id);
  r = server_request (&f->s, "GET", path, f->o.admin_token, NULL);
  assert_reply (r, 405, NULL);
  g_clear_pointer (&r, reply_free);
  r = server_request (&f->s, "POST", path, f->o.admin_token, NULL);
  assert_reply (r, 200, NULL);
  g_clear_pointer (&r, reply_free);

  /* its tokens end, and it cannot sign in again */
  r = server_request (&f->s, "GET", "/v1/pull", token, NULL);
  assert_reply (r, 401, NULL);
  g_clear_pointer (&r, reply_free);
  r = test_login_reply (&f->s, &second, "lchen", TEST_PASSWORD);
  assert_reply (r, 401, "revoked");
  g_clear_pointer (&r, reply_free);

  r = server_request (&f->s, "POST", "/v1/workstations/nope/revoke", f->o.admin_token, NULL);
  assert_reply (r, 404, "GET /v1/workstations");
  test_org_clear (&second);

  /* the server's administrator sees and revokes them from the command line too */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(JsonNode) list = NULL;

    g_assert_cmpint (server_cli (&f->s, &out, &err, "workstation", "list", f->o.org, "--json",
                                 NULL), ==, 0);
    list = json_from_string (out, NULL);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_node_get_object (list), "workstations")), ==, 2);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);

    g_assert_cmpint (server_cli (&f->s, &out, &err, "workstation", "revoke", f->o.ws_id, NULL),
                     ==, 0);
    g_clear_pointer (&r, reply_free);
    r = server_request (&f->s, "GET", "/v1/workstations", f->o.admin_token, NULL);
    assert_reply (r, 401, "revoked");
  }
}

static void
add_tests (void)
{
#define T(path, func, args) g_test_add (path, F, args, setup, func, teardown)
  T ("/server/health", test_health, NULL);
  T ("/server/pinning", test_pinning, NULL);
  T ("/server/command-line", test_command_line, NULL);
  T ("/server/enrol/empty", test_enrol_empty, NULL);
  T ("/server/enrol/bootstrap", test_enrol_bootstrap, NULL);
  T ("/server/login", test_login_flow, NULL);
  T ("/server/login/limits", test_login_limits, few_failures);
  T ("/server/tokens", test_tokens, few_requests);
  T ("/server/malformed", test_malformed, NULL);
  T ("/server/too-large", test_too_large, small_limits);
  T ("/server/push-pull", test_push_pull, NULL);
  T ("/server/roles", test_roles, NULL);
  T ("/server/tenants", test_tenants, NULL);
  T ("/server/workstations", test_workstations, NULL);
#undef T
}

int
main (int   argc,
      char *argv[])
{
  return server_test_main (argc, argv, add_tests);
}
