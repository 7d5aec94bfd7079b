/* test-totp.c: the second factor: enrolment and verification against a clinic database with
 * a clock the tests move, and a check that no seed or password ever reaches a log, an error
 * message or the audit trail. The primitives' RFC vectors are in test-totp-vectors.c. */
#include "config.h"

#include <string.h>

#include "rx-db-private.h"
#include "rx-test-fixtures.h"
#include "rx-totp-private.h"

#define PASSWORD     "correct horse battery staple"
#define NEW_PASSWORD "a brand new passphrase"

/* Everything logged while the tests ran, every error message they saw, and every seed (in
 * base32) they enrolled: the last test looks for the seeds and passwords in the first two. */
static GString   *said;
static GPtrArray *seeds;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      {
        if (fields[i].length < 0)
          g_string_append (said, fields[i].value);
        else
          g_string_append_len (said, fields[i].value, fields[i].length);
        g_string_append_c (said, '\n');
      }

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

#define expect_error(err, code, words) \
  G_STMT_START { \
    rx_test_assert_error_says (*(err), (code), (words)); \
    g_string_append_printf (said, "%s\n", (*(err))->message); \
    g_clear_error (err); \
  } G_STMT_END

static char *
hex (const guint8 *data,
     gsize         len)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, "%02x", data[i]);
  return g_string_free (out, FALSE);
}

static gboolean
bytes_contain (const char *haystack,
               gsize       len,
               const void *needle,
               gsize       needle_len)
{
  for (gsize i = 0; i + needle_len <= len; i++)
    if (memcmp (haystack + i, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

/* A clinic with a doctor, and a clock the test moves ------------------------------------ */

typedef struct
{
  RxTestClinic  clinic;
  RxDb         *db;
  gint64        now;     /* microseconds, read by the database's clock */
  char         *doctor;  /* user id */
  RxTotpSeed    seed;    /* of the last enrolment */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) doc = NULL;

  rx_test_clinic_setup (&f->clinic, data);
  f->db = f->clinic.db;
  f->now = rx_test_usec ("2031-05-01T08:00:10Z");  /* 10 s into a step */
  rx_db_set_clock (f->db, rx_test_fixed_clock, &f->now);
  doc = rx_users_add (f->db, "kmensah", "Dr Kwame Mensah", RX_ROLE_DOCTOR, PASSWORD, &error);
  g_assert_no_error (error);
  f->doctor = g_strdup (rx_user_get_id (doc));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* the audit trail holds reasons, never a seed, a password or a six-digit code */
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events WHERE "
                                         "detail GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9]*' OR "
                                         "detail LIKE '%horse%' OR detail LIKE '%passphrase%'"),
                   ==, 0);
  _rx_totp_seed_clear (&f->seed);
  g_free (f->doctor);
  rx_test_clinic_teardown (&f->clinic, data);
}

static gint64
now_step (Fixture *f)
{
  return f->now / G_USEC_PER_SEC / RX_TOTP_PERIOD;
}

/* The code the phone shows `offset` steps from now, for the seed enrolled last. */
static char *
code_at (Fixture *f,
         int      offset)
{
  return rx_totp_code (f->seed.bytes, sizeof f->seed.bytes,
                       f->now / G_USEC_PER_SEC + offset * RX_TOTP_PERIOD, 6, 30);
}

static char *
enrol (Fixture    *f,
       const char *user_id,
       const char *password)
{
  g_autoptr(GError) error = NULL;
  char *uri = NULL;

  g_assert_true (rx_totp_enrol (f->db, user_id, password, &uri, &error));
  g_assert_no_error (error);
  /* read back through the test hook, as the phone would from the URI */
  g_assert_true (_rx_totp_peek_seed (f->db, user_id, password, &f->seed, &error));
  g_ptr_array_add (seeds, rx_totp_base32_encode (f->seed.bytes, sizeof f->seed.bytes));

  return uri;
}

static char *
totp_row (Fixture *f)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_rx_db_get_handle (f->db),
                                       "SELECT updated_hlc || '|' || last_step || '|' || "
                                       "deleted || '|' || secret FROM user_totp", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return text;
}

static gint64
count_action (Fixture    *f,
              const char *action)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit_events WHERE action = '%s'",
                                          action);
  return rx_test_count (f->db, sql);
}

/* A refused code changes nothing but adds its failure to the audit trail (and the change log
 * entry that carries that audit record). */
static void
refuse_code (Fixture     *f,
             const char  *password,
             const char  *code,
             RxCoreError  expected,
             const char  *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *row = totp_row (f);
  g_autofree char *after = NULL;
  gint64 changes = rx_test_count (f->db, "SELECT count(*) FROM change_log");
  gint64 failures = count_action (f, "totp-failed");
  gint64 events = rx_test_count (f->db, "SELECT count(*) FROM audit_events");

  g_assert_false (rx_totp_verify (f->db, f->doctor, password, code, &error));
  expect_error (&error, expected, words);

  after = totp_row (f);
  g_assert_cmpstr (after, ==, row);
  g_assert_cmpint (count_action (f, "totp-failed"), ==, failures + 1);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events"), ==, events + 1);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM change_log"), ==, changes + 1);
}

static void
accept_code (Fixture    *f,
             const char *password,
             const char *code)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rx_totp_verify (f->db, f->doctor, password, code, &error));
  g_assert_no_error (error);
}

static void
test_enrol_and_verify (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *code = NULL;
  g_autofree char *next = NULL;
  g_autofree char *ahead = NULL;
  g_autofree char *old = NULL;
  g_autofree char *prefix = NULL;
  char *none = NULL;

  g_assert_false (rx_totp_is_enrolled (f->db, f->doctor));

  /* the password is checked before anything is made */
  g_assert_false (rx_totp_enrol (f->db, f->doctor, "not the password", &none, &error));
  expect_error (&error, RX_CORE_ERROR_PERMISSION, "Wrong password");
  g_assert_null (none);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM user_totp"), ==, 0);

  uri = enrol (f, f->doctor, PASSWORD);
  prefix = g_strdup_printf ("otpauth://totp/RxDesk:kmensah?secret=%s&",
                            (const char *) seeds->pdata[seeds->len - 1]);
  g_assert_true (g_str_has_prefix (uri, prefix));
  g_assert_true (g_str_has_suffix (uri, "&issuer=RxDesk&algorithm=SHA1&digits=6&period=30"));
  g_assert_cmpuint (strlen (seeds->pdata[seeds->len - 1]), ==, 32);  /* 20 bytes, no "=" */
  g_assert_true (rx_totp_is_enrolled (f->db, f->doctor));
  g_assert_true (rx_totp_is_enrolled (f->db, "kmensah"));
  g_assert_cmpint (count_action (f, "totp-enrol"), ==, 1);

  /* this step's code once, then never again */
  code = code_at (f, 0);
  accept_code (f, PASSWORD, code);
  g_assert_cmpint (rx_test_count (f->db, "SELECT last_step FROM user_totp"), ==, now_step (f));
  g_assert_cmpint (count_action (f, "totp-verify"), ==, 1);
  refuse_code (f, PASSWORD, code, RX_CORE_ERROR_PERMISSION, "already used; wait for the next");

  /* the next step brings a new code; the old one stays spent */
  f->now += RX_TOTP_PERIOD * G_USEC_PER_SEC;
  next = code_at (f, 0);
  refuse_code (f, PASSWORD, code, RX_CORE_ERROR_PERMISSION, "already used");
  accept_code (f, PASSWORD, next);

  /* a phone one step ahead is accepted; then the code of the step it skipped is spent */
  ahead = code_at (f, 1);
  accept_code (f, PASSWORD, ahead);
  g_assert_cmpint (rx_test_count (f->db, "SELECT last_step FROM user_totp"), ==,
                   now_step (f) + 1);
  f->now += RX_TOTP_PERIOD * G_USEC_PER_SEC;
  refuse_code (f, PASSWORD, ahead, RX_CORE_ERROR_PERMISSION, "already used");

  /* a code three steps old is outside the window */
  f->now += 10 * RX_TOTP_PERIOD * G_USEC_PER_SEC;
  old = code_at (f, -3);
  refuse_code (f, PASSWORD, old, RX_CORE_ERROR_PERMISSION, "not right");

  /* a wrong password says only that */
  g_clear_pointer (&code, g_free);
  code = code_at (f, 0);
  refuse_code (f, "not the password", code, RX_CORE_ERROR_PERMISSION, NULL);
  g_assert_false (rx_totp_verify (f->db, f->doctor, "not the password", code, &error));
  g_assert_cmpstr (error->message, ==, "Wrong password");
  g_clear_error (&error);

  /* malformed codes are input errors, and are audited like any other refusal */
  for (const char *const *bad = (const char *const[]) { "12345", "1234567", "12a456", " 12345",
                                                        "123 456", "", "\xd9\xa1\xd9\xa2\xd9\xa3"
                                                        "\xd9\xa4\xd9\xa5\xd9\xa6", NULL };
       *bad; bad++)
    refuse_code (f, PASSWORD, *bad, RX_CORE_ERROR_INVALID, "exactly 6 digits");

  /* none of the refusals used up the current code */
  accept_code (f, PASSWORD, code);
  g_assert_cmpint (count_action (f, "totp-verify"), ==, 4);
  g_assert_cmpint (count_action (f, "totp-failed"), ==, 14);

  g_assert_true (rx_audit_verify (f->db, NULL, &error));
  g_assert_no_error (error);
}

static void
test_sealed_at_rest (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) other = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *code = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *seed_hex = NULL;
  g_auto(RxTotpSeed) seed = { { 0 } };
  g_autofree char *seed_b32 = NULL;
  g_autofree char *seed_b32_lower = NULL;
  g_autofree char *seed_b64 = NULL;
  const char *suffixes[] = { "", "-wal", "-journal", NULL };
  gsize len = 0;

  uri = enrol (f, f->doctor, PASSWORD);
  g_assert_true (_rx_totp_peek_seed (f->db, f->doctor, PASSWORD, &seed, &error));
  seed_b32 = rx_totp_base32_encode (seed.bytes, sizeof seed.bytes);
  seed_b32_lower = g_ascii_strdown (seed_b32, -1);
  seed_hex = hex (seed.bytes, sizeof seed.bytes);
  seed_b64 = g_base64_encode (seed.bytes, sizeof seed.bytes);

  /* "v1", salt, nonce, 20 bytes of ciphertext and a 16-byte tag, in base64 */
  {
    g_autofree char *row = totp_row (f);
    g_autofree guint8 *sealed = g_base64_decode (strrchr (row, '|') + 1, &len);

    g_assert_cmpuint (len, ==, 2 + 16 + 12 + 20 + 16);
    g_assert_cmpmem (sealed, 2, "v1", 2);
  }

  /* neither the seed, in any spelling, nor the password is anywhere in the files */
  for (guint i = 0; suffixes[i]; i++)
    {
      g_autofree char *path = g_strconcat (f->clinic.path, suffixes[i], NULL);
      g_autofree char *bytes = NULL;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      g_assert_true (g_file_get_contents (path, &bytes, &len, &error));
      g_assert_cmpuint (len, >, 0);
      g_assert_false (bytes_contain (bytes, len, seed.bytes, sizeof seed.bytes));
      g_assert_false (bytes_contain (bytes, len, seed_b32, strlen (seed_b32)));
      g_assert_false (bytes_contain (bytes, len, seed_b32_lower, strlen (seed_b32_lower)));
      g_assert_false (bytes_contain (bytes, len, seed_hex, strlen (seed_hex)));
      g_assert_false (bytes_contain (bytes, len, seed_b64, strlen (seed_b64)));
      g_assert_false (bytes_contain (bytes, len, PASSWORD, strlen (PASSWORD)));
    }

  /* a sealed seed is bound to its account: copied to another, it does not open, even with
   * the same password */
  other = rx_users_add (f->db, "lchen", "Dr Li Chen", RX_ROLE_DOCTOR, PASSWORD, &error);
  g_assert_no_error (error);
  g_free (enrol (f, rx_user_get_id (other), PASSWORD));
  sql = g_strdup_printf ("UPDATE user_totp SET secret = (SELECT secret FROM user_totp "
                         "WHERE user_id = '%s') WHERE user_id = '%s'",
                         f->doctor, rx_user_get_id (other));
  g_assert_true (_rx_db_exec (f->db, sql, &error));
  code = rx_totp_code (seed.bytes, sizeof seed.bytes, f->now / G_USEC_PER_SEC, 6, 30);
  g_assert_false (rx_totp_verify (f->db, "lchen", PASSWORD, code, &error));
  expect_error (&error, RX_CORE_ERROR_PERMISSION, "Wrong password");
}

static void
test_password_reset (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *again = NULL;
  g_autofree char *code = NULL;

  uri = enrol (f, f->doctor, PASSWORD);

  /* an administrator's reset cannot re-seal the seed, so the enrolment ends with it */
  g_assert_true (rx_users_set_password (f->db, f->doctor, NEW_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_false (rx_totp_is_enrolled (f->db, f->doctor));
  g_assert_cmpint (count_action (f, "totp-remove"), ==, 1);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM user_totp "
                                         "WHERE deleted = 1 AND secret = ''"), ==, 1);
  g_assert_false (rx_totp_verify (f->db, f->doctor, NEW_PASSWORD, "123456", &error));
  expect_error (&error, RX_CORE_ERROR_NOT_FOUND, "user totp-enrol kmensah");

  /* a second reset finds nothing more to remove */
  g_assert_true (rx_users_set_password (f->db, f->doctor, NEW_PASSWORD " 2", &error));
  g_assert_cmpint (count_action (f, "totp-remove"), ==, 1);
  g_assert_true (rx_users_set_password (f->db, f->doctor, NEW_PASSWORD, &error));

  /* enrolling again brings the same row back with a new seed */
  g_assert_false (rx_totp_enrol (f->db, f->doctor, PASSWORD, &again, &error));
  expect_error (&error, RX_CORE_ERROR_PERMISSION, "Wrong password");
  again = enrol (f, f->doctor, NEW_PASSWORD);
  g_assert_cmpstr (again, !=, uri);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM user_totp "
                                         "WHERE deleted = 0 AND last_step = 0"), ==, 1);
  code = code_at (f, 0);
  accept_code (f, NEW_PASSWORD, code);
}

static void
test_rekey (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) nurse = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *code = NULL;
  g_autofree char *row = NULL;
  g_autofree char *after = NULL;
  g_auto(RxTotpSeed) before = { { 0 } };
  g_auto(RxTotpSeed) seed = { { 0 } };
  gint64 changes;

  uri = enrol (f, f->doctor, PASSWORD);
  code = code_at (f, 0);
  accept_code (f, PASSWORD, code);
  g_assert_true (_rx_totp_peek_seed (f->db, f->doctor, PASSWORD, &before, &error));

  /* the wrong old password changes nothing */
  row = totp_row (f);
  g_assert_false (_rx_totp_rekey (f->db, f->doctor, "not the password", NEW_PASSWORD, &error));
  expect_error (&error, RX_CORE_ERROR_PERMISSION, "Wrong password");
  after = totp_row (f);
  g_assert_cmpstr (after, ==, row);

  /* the user changes their own password: same seed, now under the new one, replay still
   * refused */
  g_assert_true (_rx_totp_rekey (f->db, "kmensah", PASSWORD, NEW_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_action (f, "totp-rekey"), ==, 1);
  g_assert_false (_rx_totp_peek_seed (f->db, f->doctor, PASSWORD, &seed, &error));
  expect_error (&error, RX_CORE_ERROR_PERMISSION, "Wrong password");
  g_assert_true (_rx_totp_peek_seed (f->db, f->doctor, NEW_PASSWORD, &seed, &error));
  g_assert_cmpmem (seed.bytes, sizeof seed.bytes, before.bytes, sizeof before.bytes);
  refuse_code (f, NEW_PASSWORD, code, RX_CORE_ERROR_PERMISSION, "already used");

  /* someone without a second factor has nothing to re-seal */
  nurse = rx_users_add (f->db, "tnguyen", "Thu Nguyen", RX_ROLE_RECEPTIONIST, NULL, &error);
  changes = rx_test_count (f->db, "SELECT count(*) FROM change_log");
  g_assert_true (_rx_totp_rekey (f->db, "tnguyen", PASSWORD, NEW_PASSWORD, &error));
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM change_log"), ==, changes);
}

static void
test_accounts (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) nurse = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *code = NULL;
  char *none = NULL;

  /* any active user with a password may enrol, not only doctors */
  nurse = rx_users_add (f->db, "tnguyen", "Thu Nguyen", RX_ROLE_RECEPTIONIST, NULL, &error);
  g_assert_false (rx_totp_enrol (f->db, "tnguyen", PASSWORD, &none, &error));
  expect_error (&error, RX_CORE_ERROR_PERMISSION, "user passwd tnguyen");
  g_assert_true (rx_users_set_password (f->db, rx_user_get_id (nurse), NEW_PASSWORD, &error));
  g_free (enrol (f, "tnguyen", NEW_PASSWORD));

  g_assert_false (rx_totp_enrol (f->db, "nobody", PASSWORD, &none, &error));
  expect_error (&error, RX_CORE_ERROR_NOT_FOUND, "user list");
  g_assert_false (rx_totp_is_enrolled (f->db, "nobody"));

  /* a disabled account neither enrols nor passes */
  uri = enrol (f, f->doctor, PASSWORD);
  code = code_at (f, 0);
  g_assert_true (rx_users_disable (f->db, f->doctor, &error));
  refuse_code (f, PASSWORD, code, RX_CORE_ERROR_PERMISSION, "disabled");
  g_assert_false (rx_totp_enrol (f->db, f->doctor, PASSWORD, &none, &error));
  expect_error (&error, RX_CORE_ERROR_PERMISSION, "disabled");
}

/* Runs last: everything the tests above logged (with G_MESSAGES_DEBUG=all) and every error
 * message they met is searched for the seeds they made and the passwords they used. */
static void
test_nothing_leaks (void)
{
  const char *passwords[] = { PASSWORD, NEW_PASSWORD, "not the password", NULL };

  if (seeds->len == 0)
    {
      g_test_skip ("run with the other tests");
      return;
    }

  g_assert_nonnull (strstr (said->str, "Second factor accepted"));  /* debug output arrived */
  for (guint i = 0; i < seeds->len; i++)
    {
      g_autofree char *lower = g_ascii_strdown (seeds->pdata[i], -1);

      g_assert_null (strstr (said->str, seeds->pdata[i]));
      g_assert_null (strstr (said->str, lower));
    }
  for (guint i = 0; passwords[i]; i++)
    g_assert_null (strstr (said->str, passwords[i]));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  said = g_string_new (NULL);
  seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) _rx_totp_secret_text_free);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);

#define TOTP_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  TOTP_TEST ("/core/totp/enrol-and-verify", test_enrol_and_verify);
  TOTP_TEST ("/core/totp/sealed-at-rest", test_sealed_at_rest);
  TOTP_TEST ("/core/totp/password-reset", test_password_reset);
  TOTP_TEST ("/core/totp/rekey", test_rekey);
  TOTP_TEST ("/core/totp/accounts", test_accounts);
  g_test_add_func ("/core/totp/nothing-leaks", test_nothing_leaks);

  {
    int status = g_test_run ();

    g_ptr_array_unref (seeds);
    g_string_free (said, TRUE);
    return status;
  }
}
