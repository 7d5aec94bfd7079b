/* test-signing.c: the clinic's CA and doctors' certificates, signing a prescription and the
 * pharmacy's check: tampering with the rows, the signed bytes or the signature, revocation,
 * who may sign, the second factor, a certificate from another clinic, a missing keyring item,
 * and no secret in any log or audit record. */
#include "config.h"

#include "rx-db-private.h"
#include "rx-test-fixtures.h"

#define PASSWORD "a long enough phrase"

typedef struct
{
  RxTestClinic  clinic;
  RxDb         *db;
  char         *patient;
  char         *doctor;     /* lchen, the prescriber */
  char         *draft;
} Fixture;

/* Everything logged while a test runs (the writer can be set only once per program). */
static GString *logged;

static GLogWriterOutput
collect_log (GLogLevelFlags   level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      g_string_append_printf (logged, "%s\n", (const char *) fields[i].value);

  if (level & G_LOG_LEVEL_DEBUG)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
load_small (RxDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *meds = g_test_build_filename (G_TEST_DIST, "data", "medicines-small.csv", NULL);
  g_autofree char *syns = g_test_build_filename (G_TEST_DIST, "data", "synonyms-small.csv", NULL);

  g_assert_true (rx_formulary_load_csv (db, meds, syns, NULL, &error));
  g_assert_no_error (error);
}

static RxUser *
add_user (RxDb       *db,
          const char *username,
          const char *name,
          RxRole      role)
{
  g_autoptr(GError) error = NULL;
  RxUser *user = rx_users_add (db, username, name, role, PASSWORD, &error);

  g_assert_no_error (error);
  return user;
}

static char *
draft (Fixture    *f,
       const char *product,
       gint64      quantity)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxPrescription) rx = NULL;
  RxItemFields items[] = {
    { .product = product, .dose = "1 capsule", .frequency = "TDS", .duration_days = 7,
      .quantity = quantity, .instructions = "Take with water; finish the \"course\"" },
    { .product = "paracetamol-500mg-tablet", .dose = "2 tablets", .frequency = "QDS as needed",
      .quantity = 32 },
  };

  rx = rx_prescriptions_create (f->db, f->patient, "lchen", items, 2, "Review in a week",
                                &error);
  g_assert_no_error (error);
  return g_strdup (rx_prescription_get_id (rx));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxCertificate) ca = NULL;
  g_autoptr(RxUser) doc = NULL;
  g_autoptr(RxUser) other = NULL;
  g_autoptr(RxUser) desk = NULL;

  g_string_truncate (logged, 0);

  rx_test_clinic_setup (&f->clinic, data);
  f->db = f->clinic.db;
  load_small (f->db);
  ca = rx_certs_create_ca (f->db, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rx_certificate_get_subject (ca), ==, "CN=Test Clinic RxDesk CA");

  doc = add_user (f->db, "lchen", "Dr Li Chen", RX_ROLE_DOCTOR);
  other = add_user (f->db, "kmensah", "Dr Kwame Mensah", RX_ROLE_DOCTOR);
  desk = add_user (f->db, "tnguyen", "Thu Nguyen", RX_ROLE_RECEPTIONIST);
  f->doctor = g_strdup (rx_user_get_id (doc));
  f->patient = rx_test_add_patient (f->db, "Okafor");
  f->draft = draft (f, "amoxicillin-500mg-capsule", 21);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* what a test did never logged a secret: no key, no passphrase */
  g_assert_null (strstr (logged->str, "PRIVATE KEY"));

  rx_test_clinic_teardown (&f->clinic, data);
  g_free (f->patient);
  g_free (f->doctor);
  g_free (f->draft);
}

static void
sign_ok (Fixture    *f,
         const char *id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rx_prescriptions_sign (f->db, id, "lchen", PASSWORD, NULL, &error));
  g_assert_no_error (error);
}

/* Verifies, expecting failure with `words` in the reason (or success when NULL). */
static void
assert_verify (Fixture    *f,
               const char *id,
               const char *words)
{
  g_autoptr(GError) error = NULL;
  g_auto(RxVerification) v = { 0, };

  g_assert_true (rx_prescriptions_verify (f->db, id, &v, &error));
  g_assert_no_error (error);
  if (words == NULL && !v.ok)
    g_error ("expected a valid signature, got: %s", v.reason);
  if (words != NULL && (v.ok || strstr (v.reason, words) == NULL))
    g_error ("expected a failure naming “%s”, got: %s", words, v.ok ? "valid" : v.reason);
}

static void
test_certificates (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) certs = rx_certs_list (f->db, &error);
  g_autoptr(RxCertificate) first = NULL;
  g_autoptr(RxCertificate) again = NULL;

  /* the CA, then one signing certificate per doctor, none for the receptionist */
  g_assert_cmpuint (g_list_model_get_n_items (certs), ==, 3);
  first = g_list_model_get_item (certs, 0);
  g_assert_cmpstr (rx_certificate_get_kind (first), ==, "ca");
  g_assert_null (rx_certificate_get_user_id (first));
  g_assert_cmpuint (strlen (rx_certificate_get_serial (first)), ==, 32);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM certificates c JOIN users u "
                                         "ON u.id = c.user_id WHERE u.username = 'lchen' AND "
                                         "c.subject = 'UID=lchen,CN=Dr Li Chen' AND "
                                         "c.not_after > c.not_before"), ==, 1);
  /* keys are stored encrypted, never in the clear */
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM certificates WHERE private_key "
                                         "LIKE '-----BEGIN ENCRYPTED PRIVATE KEY-----%'"), ==, 3);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM change_log WHERE payload LIKE "
                                         "'%BEGIN PRIVATE KEY%' OR payload LIKE "
                                         "'%BEGIN EC PRIVATE KEY%'"), ==, 0);

  /* one CA per clinic; one current certificate per doctor; doctors only */
  g_assert_null (rx_certs_create_ca (f->db, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (rx_certs_issue_for_user (f->db, f->doctor, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (rx_certs_issue_for_user (f->db, "tnguyen", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_clear_error (&error);

  /* revoking needs a reason, and then a new certificate can be issued */
  g_assert_null (rx_certs_revoke_user (f->db, "lchen", "  ", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_nonnull (rx_certs_revoke_user (f->db, "lchen", "left the clinic", &error));
  again = rx_certs_issue_for_user (f->db, f->doctor, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rx_certificate_get_username (again), ==, "lchen");
  g_assert_null (rx_certificate_get_revoked_at (again));
}

static void
test_sign_and_verify (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxPrescription) rx = NULL;
  g_auto(RxVerification) v = { 0, };
  g_autofree char *bytes = NULL;
  g_autofree char *expected = NULL;
  sqlite3_stmt *stmt = NULL;

  assert_verify (f, f->draft, "not been signed");
  sign_ok (f, f->draft);

  rx = rx_prescriptions_get (f->db, f->draft, &error);
  g_assert_cmpint (rx_prescription_get_status (rx), ==, RX_PRESCRIPTION_SIGNED);
  g_assert_nonnull (rx_prescription_get_signed_at (rx));

  g_assert_true (rx_prescriptions_verify (f->db, f->draft, &v, &error));
  g_assert_true (v.ok);
  g_assert_null (v.reason);
  g_assert_cmpstr (v.signer, ==, "Dr Li Chen (lchen)");
  g_assert_cmpstr (v.signed_at, ==, rx_prescription_get_signed_at (rx));
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events WHERE action = "
                                         "'verify' AND detail LIKE 'valid%'"), ==, 1);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events "
                                         "WHERE action = 'sign'"), ==, 1);

  /* the canonical bytes: fixed key order, no whitespace, escapes, integers, explicit nulls */
  g_assert_cmpint (sqlite3_prepare_v2 (_rx_db_get_handle (f->db),
                                       "SELECT signed_bytes, algorithm, second_factor FROM "
                                       "prescription_signatures", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  bytes = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "ecdsa-p256-sha256");
  g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 0);
  sqlite3_finalize (stmt);
  expected = g_strdup_printf ("{\"version\":1,\"prescription\":\"%s\",\"org\":\"%s\","
                              "\"patient\":{\"id\":\"%s\",", f->draft,
                              rx_db_get_org_id (f->db), f->patient);
  g_assert_true (g_str_has_prefix (bytes, expected));
  g_assert_nonnull (strstr (bytes, "\"items\":[{\"product_id\":\""));
  g_assert_nonnull (strstr (bytes, "\"product_code\":\"amoxicillin-500mg-capsule\","
                                   "\"inn\":\"amoxicillin\",\"strength\":\"500 mg\","
                                   "\"form\":\"capsule\",\"dose\":\"1 capsule\","
                                   "\"frequency\":\"TDS\",\"route\":\"oral\","
                                   "\"duration_days\":7,\"quantity\":21,\"repeats\":0,"
                                   "\"instructions\":\"Take with water; finish the "
                                   "\\\"course\\\"\"},"));
  g_assert_nonnull (strstr (bytes, "\"duration_days\":null,\"quantity\":32"));
  g_assert_nonnull (strstr (bytes, "\"notes\":\"Review in a week\","));
  g_assert_null (strstr (bytes, "\": "));
  g_assert_true (g_str_has_suffix (bytes, "\"instructions\":null}]}"));

  /* a signed prescription is signed once, and its items are frozen */
  g_assert_false (rx_prescriptions_sign (f->db, f->draft, "lchen", PASSWORD, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION);
  g_clear_error (&error);
  g_assert_false (_rx_db_exec (f->db, "UPDATE prescription_items SET quantity = 99", &error));
  g_assert_nonnull (strstr (error->message, "cannot be edited"));
  g_clear_error (&error);
}

/* A change to a signed prescription is a new one, signed, that supersedes it with a reason;
 * the old one's signature still holds, and a draft or another patient's cannot replace it. */
static void
test_supersede (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxPrescription) old_rx = NULL;
  g_autofree char *other_patient = rx_test_add_patient (f->db, "Mensah");
  g_autofree char *replacement = NULL;
  g_autofree char *sql = NULL;
  RxItemFields item = { .product = "amoxicillin-500mg-capsule", .dose = "1 capsule",
                        .frequency = "TDS", .quantity = 15 };
  g_autoptr(RxPrescription) foreign = NULL;

  sign_ok (f, f->draft);
  replacement = draft (f, "amoxicillin-500mg-capsule", 15);

  /* a draft cannot supersede anything, nor can a reason be left out */
  g_assert_false (rx_prescriptions_supersede (f->db, f->draft, replacement, "dose changed",
                                              &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION);
  g_clear_error (&error);
  sign_ok (f, replacement);
  g_assert_false (rx_prescriptions_supersede (f->db, f->draft, replacement, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);

  /* another patient's prescription is refused */
  foreign = rx_prescriptions_create (f->db, other_patient, "lchen", &item, 1, NULL, &error);
  g_assert_no_error (error);
  sign_ok (f, rx_prescription_get_id (foreign));
  g_assert_false (rx_prescriptions_supersede (f->db, f->draft, rx_prescription_get_id (foreign),
                                              "dose changed", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (rx_prescriptions_supersede (f->db, f->draft, replacement,
                                             "Shorter course after review", &error));
  g_assert_no_error (error);
  old_rx = rx_prescriptions_get (f->db, f->draft, &error);
  g_assert_cmpint (rx_prescription_get_status (old_rx), ==, RX_PRESCRIPTION_SUPERSEDED);
  sql = g_strdup_printf ("SELECT count(*) FROM prescriptions WHERE id = '%s' AND "
                         "supersedes_id = '%s'", replacement, f->draft);
  g_assert_cmpint (rx_test_count (f->db, sql), ==, 1);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM prescription_events WHERE "
                                         "to_status = 'superseded' AND reason = "
                                         "'Shorter course after review'"), ==, 1);
  assert_verify (f, replacement, NULL);

  /* superseded is final */
  g_assert_false (rx_prescriptions_supersede (f->db, f->draft, replacement, "again", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION);
}

static void
test_tampering (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *sql = NULL;

  sign_ok (f, f->draft);
  assert_verify (f, f->draft, NULL);

  /* someone edits the sqlite file behind RxDesk's back */
  sql = g_strdup_printf ("DROP TRIGGER prescription_items_frozen;"
                         "UPDATE prescription_items SET quantity = 22 "
                         "WHERE prescription_id = '%s' AND position = 0", f->draft);
  g_assert_true (_rx_db_exec (f->db, sql, NULL));
  assert_verify (f, f->draft, "changed after it was signed (item 1 quantity: signed 21, now 22)");
  g_free (sql);
  sql = g_strdup_printf ("UPDATE prescription_items SET quantity = '21x' "
                         "WHERE prescription_id = '%s' AND position = 0", f->draft);
  g_assert_true (_rx_db_exec (f->db, sql, NULL));
  assert_verify (f, f->draft, "item 1 quantity");
  g_free (sql);
  sql = g_strdup_printf ("UPDATE prescription_items SET quantity = 21 "
                         "WHERE prescription_id = '%s' AND position = 0;"
                         "UPDATE patients SET family_name = 'Okafur'", f->draft);
  g_assert_true (_rx_db_exec (f->db, sql, NULL));
  assert_verify (f, f->draft, "patient family name: signed \"Okafor\", now \"Okafur\"");
  g_assert_true (_rx_db_exec (f->db, "UPDATE patients SET family_name = 'Okafor'", NULL));
  assert_verify (f, f->draft, NULL);

  /* the signed bytes made to agree with a changed row, or the signature itself changed */
  g_assert_true (_rx_db_exec (f->db, "DROP TRIGGER prescription_signatures_no_update;"
                                     "UPDATE prescription_signatures SET signed_bytes = "
                                     "replace (signed_bytes, '\"quantity\":21', "
                                     "'\"quantity\":210')", NULL));
  assert_verify (f, f->draft, "signature does not match");
  g_assert_true (_rx_db_exec (f->db, "UPDATE prescription_signatures SET signed_bytes = "
                                     "replace (signed_bytes, '\"quantity\":210', "
                                     "'\"quantity\":21')", NULL));
  assert_verify (f, f->draft, NULL);
  g_assert_true (_rx_db_exec (f->db, "UPDATE prescription_signatures SET signature = "
                                     "'MEUCIQDx' || substr (signature, 9)", NULL));
  assert_verify (f, f->draft, "signature does not match");
  g_assert_true (_rx_db_exec (f->db, "UPDATE prescription_signatures SET signature = 'not-base64'",
                              NULL));
  assert_verify (f, f->draft, "signature does not match");
}

static void
test_revoked (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxCertificate) revoked = NULL;
  g_autofree char *next = draft (f, "amoxicillin-500mg-capsule", 21);
  gint64 now = rx_db_now (f->db);

  rx_db_set_clock (f->db, rx_test_fixed_clock, &now);
  sign_ok (f, f->draft);
  now += (gint64) 24 * 3600 * G_USEC_PER_SEC;
  revoked = rx_certs_revoke_user (f->db, "lchen", "laptop stolen", &error);
  g_assert_no_error (error);
  g_assert_nonnull (rx_certificate_get_revoked_at (revoked));
  g_assert_cmpstr (rx_certificate_get_revoke_reason (revoked), ==, "laptop stolen");

  /* signed before the revocation, and still refused: the reason says when and why */
  assert_verify (f, f->draft, "revoked on");
  assert_verify (f, f->draft, "laptop stolen");
  assert_verify (f, f->draft, "after this prescription was signed");

  /* and no more signing with it */
  g_assert_false (rx_prescriptions_sign (f->db, next, "lchen", PASSWORD, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "revoked"));
  g_clear_error (&error);
  g_assert_null (rx_certs_revoke_user (f->db, "lchen", "again", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
  rx_db_set_clock (f->db, NULL, NULL);
}

static void
assert_nothing_signed (Fixture    *f,
                       const char *id,
                       gint64      prescription_changes)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM prescriptions WHERE id = '%s' "
                                          "AND status = 'draft' AND signed_at IS NULL", id);

  g_assert_cmpint (rx_test_count (f->db, sql), ==, 1);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM prescription_signatures"), ==, 0);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM change_log WHERE entity IN "
                                         "('prescriptions', 'prescription_events', "
                                         "'prescription_signatures')"), ==, prescription_changes);
}

static void
test_who_may_sign (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 changes = rx_test_count (f->db, "SELECT count(*) FROM change_log WHERE entity IN "
                                         "('prescriptions', 'prescription_events', "
                                         "'prescription_signatures')");

  g_assert_false (rx_prescriptions_sign (f->db, f->draft, "tnguyen", PASSWORD, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "receptionist"));
  g_clear_error (&error);

  g_assert_false (rx_prescriptions_sign (f->db, f->draft, "kmensah", PASSWORD, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "Only the prescriber"));
  g_clear_error (&error);

  g_assert_false (rx_prescriptions_sign (f->db, f->draft, "lchen", "not the password", NULL,
                                         &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "Wrong username or password"));
  g_clear_error (&error);

  g_assert_false (rx_prescriptions_sign (f->db, "no-such-id", "lchen", PASSWORD, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  assert_nothing_signed (f, f->draft, changes);
}

static void
test_controlled_needs_second_factor (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = draft (f, "morphine-10mg-tablet", 10);
  gint64 changes = rx_test_count (f->db, "SELECT count(*) FROM change_log WHERE entity IN "
                                         "('prescriptions', 'prescription_events', "
                                         "'prescription_signatures')");
  gboolean needs = FALSE;

  g_assert_true (rx_prescriptions_needs_second_factor (f->db, id, &needs, &error));
  g_assert_true (needs);
  g_assert_true (rx_prescriptions_needs_second_factor (f->db, f->draft, &needs, &error));
  g_assert_false (needs);

  g_assert_false (rx_prescriptions_sign (f->db, id, "lchen", PASSWORD, NULL, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_PERMISSION,
                             "a controlled medicine needs a second factor");
  g_clear_error (&error);
  g_assert_false (rx_prescriptions_sign (f->db, id, "lchen", PASSWORD, "123456", &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_PERMISSION,
                             "a controlled medicine needs a second factor");
  assert_nothing_signed (f, id, changes);
}

/* A doctor's key from another clinic's CA, put in this clinic's records under their name
 * (with its passphrase in the keyring): the signature holds, the chain does not. */
static void
test_foreign_ca (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxDb) other = NULL;
  g_autoptr(RxCertificate) ca = NULL;
  g_autoptr(RxUser) doc = NULL;
  g_autoptr(RxSecret) passphrase = NULL;
  g_autofree char *path = g_build_filename (f->clinic.dir, "other.db", NULL);
  g_autofree char *sql = NULL;
  g_autofree char *serial = NULL;
  g_autoptr(RxCertificate) revoked = NULL;
  sqlite3_stmt *stmt = NULL;

  other = rx_db_create_clinic (path, "Hillside Clinic", &error);
  g_assert_no_error (error);
  ca = rx_certs_create_ca (other, &error);
  g_assert_no_error (error);
  doc = add_user (other, "lchen", "Dr Li Chen", RX_ROLE_DOCTOR);
  g_assert_cmpint (sqlite3_prepare_v2 (_rx_db_get_handle (other),
                                       "SELECT serial FROM certificates WHERE kind = 'signing'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  serial = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  passphrase = rx_keyring_lookup (rx_db_get_org_id (other), serial, &error);
  g_assert_no_error (error);
  g_assert_true (rx_keyring_store (rx_db_get_org_id (f->db), serial, "test", passphrase, &error));
  g_clear_object (&other);

  revoked = rx_certs_revoke_user (f->db, "lchen", "replaced", &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("ATTACH '%s' AS other;"
                         "INSERT INTO certificates (id, org_id, updated_hlc, updated_by, kind, "
                         "  user_id, serial, subject, certificate, private_key, not_before, "
                         "  not_after) "
                         "SELECT 'foreign', '%s', updated_hlc, updated_by, kind, '%s', serial, "
                         "  subject, certificate, private_key, not_before, not_after "
                         "FROM other.certificates WHERE kind = 'signing';"
                         "DETACH other", path, rx_db_get_org_id (f->db), f->doctor);
  g_assert_true (_rx_db_exec (f->db, sql, &error));
  g_assert_no_error (error);

  sign_ok (f, f->draft);
  assert_verify (f, f->draft, "not issued by this clinic's certificate authority");
}

static void
test_keyring_item_missing (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) certs = rx_certs_list (f->db, &error);
  gint64 changes = rx_test_count (f->db, "SELECT count(*) FROM change_log WHERE entity IN "
                                         "('prescriptions', 'prescription_events', "
                                         "'prescription_signatures')");

  for (guint i = 0; i < g_list_model_get_n_items (certs); i++)
    {
      g_autoptr(RxCertificate) c = g_list_model_get_item (certs, i);

      if (g_strcmp0 (rx_certificate_get_username (c), "lchen") == 0)
        g_assert_true (rx_keyring_clear (rx_db_get_org_id (f->db), rx_certificate_get_serial (c),
                                         &error));
    }

  g_assert_false (rx_prescriptions_sign (f->db, f->draft, "lchen", PASSWORD, NULL, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_KEYRING, "not in this workstation's keyring");
  g_clear_error (&error);
  assert_nothing_signed (f, f->draft, changes);

  /* with the CA's passphrase gone too, a new doctor cannot get a key, and is not added */
  g_assert_true (rx_keyring_clear (rx_db_get_org_id (f->db), NULL, &error));
  g_assert_null (rx_users_add (f->db, "egarcia", "Dr Elena García", RX_ROLE_DOCTOR, PASSWORD,
                               &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_KEYRING, "certificate authority");
  g_clear_error (&error);
  g_assert_null (rx_users_find (f->db, "egarcia", NULL));
}

/* No passphrase and no key in the clear in the audit trail or the change log. */
static void
test_no_secrets_recorded (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) certs = rx_certs_list (f->db, &error);

  sign_ok (f, f->draft);
  assert_verify (f, f->draft, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (certs); i++)
    {
      g_autoptr(RxCertificate) c = g_list_model_get_item (certs, i);
      g_autoptr(RxSecret) secret = rx_keyring_lookup (rx_db_get_org_id (f->db),
                                                      rx_certificate_get_serial (c), &error);
      g_autofree char *sql = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (strlen (secret), ==, 44);  /* 32 random bytes, base64 */
      sql = g_strdup_printf ("SELECT (SELECT count(*) FROM audit_events WHERE instr (detail, "
                             "'%s') > 0) + (SELECT count(*) FROM change_log WHERE "
                             "instr (payload, '%s') > 0) + (SELECT count(*) FROM certificates "
                             "WHERE instr (private_key, '%s') > 0)", secret, secret, secret);
      g_assert_cmpint (rx_test_count (f->db, sql), ==, 0);
      g_assert_null (strstr (logged->str, secret));
    }
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events WHERE "
                                         "detail LIKE '%PRIVATE KEY%'"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring = rx_test_use_private_keyring ();
  int status;

  g_test_init (&argc, &argv, NULL);
  logged = g_string_new (NULL);
  g_log_set_writer_func (collect_log, NULL, NULL);

#define SIGNING_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  SIGNING_TEST ("/core/signing/certificates", test_certificates);
  SIGNING_TEST ("/core/signing/sign-and-verify", test_sign_and_verify);
  SIGNING_TEST ("/core/signing/supersede", test_supersede);
  SIGNING_TEST ("/core/signing/tampering", test_tampering);
  SIGNING_TEST ("/core/signing/revoked", test_revoked);
  SIGNING_TEST ("/core/signing/who-may-sign", test_who_may_sign);
  SIGNING_TEST ("/core/signing/controlled", test_controlled_needs_second_factor);
  SIGNING_TEST ("/core/signing/foreign-ca", test_foreign_ca);
  SIGNING_TEST ("/core/signing/keyring-item-missing", test_keyring_item_missing);
  SIGNING_TEST ("/core/signing/no-secrets-recorded", test_no_secrets_recorded);

  status = g_test_run ();
  rx_test_remove_dir (keyring);
  g_string_free (logged, TRUE);
  return status;
}
