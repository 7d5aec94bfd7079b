/* test-sync-apply.c: merging pulled entries, without the network. A list of entries stands in
 * for the server's log (the real server is exercised by tests/sync); each workstation pushes
 * its pending entries into it and pulls what it has not seen, the way rx_sync_now does. */
#include "config.h"

#include <string.h>

#include "rx-db-private.h"
#include "rx-test-util.h"

typedef struct
{
  char      *dir;
  GPtrArray *log;  /* RxChange, seq = position + 1 */
  RxDb      *a;
  RxDb      *b;
} Fixture;

static RxChange *
copy_change (const RxChange *c,
             gint64          seq)
{
  RxChange *n = g_new0 (RxChange, 1);

  n->seq = seq;
  n->op_id = g_strdup (c->op_id);
  n->entity = g_strdup (c->entity);
  n->row_id = g_strdup (c->row_id);
  n->hlc = g_strdup (c->hlc);
  n->author = g_strdup (c->author);
  n->payload = rx_change_strip_local_fields (c);
  return n;
}

static void
push (Fixture *f,
      RxDb    *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = rx_change_log_pushable (db, 0, 100000, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (rx_db_begin (db, &error));
  for (guint i = 0; i < pending->len; i++)
    {
      RxChange *c = pending->pdata[i];
      gint64 seq = f->log->len + 1;

      g_ptr_array_add (f->log, copy_change (c, seq));
      g_assert_true (rx_change_log_mark_pushed (db, c->seq, seq, &error));
    }
  g_assert_true (rx_db_commit (db, &error));
}

static RxApplyStats
pull_range (Fixture *f,
            RxDb    *db,
            guint    page)
{
  RxApplyStats total = { 0, };

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) changes = g_ptr_array_new ();
      gint64 since = rx_sync_get_checkpoint (db, "admin");
      RxApplyStats stats = { 0, };

      for (gint64 s = since; s < (gint64) f->log->len && changes->len < page; s++)
        g_ptr_array_add (changes, f->log->pdata[s]);
      if (changes->len == 0)
        return total;

      g_assert_true (rx_sync_apply_page (db, changes, "admin", since + changes->len, &stats,
                                         &error));
      g_assert_no_error (error);
      total.applied += stats.applied;
      total.skipped += stats.skipped;
      total.parked += stats.parked;
      total.conflicts += stats.conflicts;
    }
}

static RxApplyStats
pull (Fixture *f,
      RxDb    *db)
{
  return pull_range (f, db, 500);
}

static void
sync_all (Fixture *f)
{
  push (f, f->a);
  push (f, f->b);
  pull (f, f->a);
  pull (f, f->b);
}

static void
assert_same (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *da = rx_sync_digest (f->a, &error);
  g_autofree char *db = rx_sync_digest (f->b, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (da, ==, db);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pa = NULL;
  g_autofree char *pb = NULL;

  f->dir = rx_test_make_dir ();
  f->log = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_change_free);
  pa = g_build_filename (f->dir, "a.db", NULL);
  pb = g_build_filename (f->dir, "b.db", NULL);

  f->a = rx_db_create_clinic (pa, "Riverside", &error);
  g_assert_no_error (error);
  g_assert_true (rx_formulary_load_default (f->a, NULL, &error));
  f->b = rx_db_create_replica (pb, rx_db_get_org_id (f->a), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rx_db_get_node_id (f->a), !=, rx_db_get_node_id (f->b));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->a);
  g_clear_object (&f->b);
  g_ptr_array_unref (f->log);
  rx_test_remove_dir (f->dir);
  g_free (f->dir);
}

static char *
add_patient (RxDb       *db,
             const char *family)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxPatient) p = NULL;
  RxPatientFields fields = { .family_name = family, .given_names = "Ada",
                             .birth_date = "1970-03-04" };

  p = rx_patients_add (db, &fields, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (rx_patient_get_id (p));
}

static char *
field (RxDb       *db,
       const char *sql)
{
  g_autoptr(GPtrArray) ids = rx_test_ids (db, sql);
  return ids->len > 0 ? g_strdup (ids->pdata[0]) : NULL;
}

static void
test_fresh_workstation_converges (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *id = add_patient (f->a, "Okafor");
  g_autofree char *site = NULL;
  g_autofree char *name = NULL;
  RxApplyStats stats;

  push (f, f->a);
  stats = pull_range (f, f->b, 97);  /* pages that cut through related rows */
  g_assert_cmpuint (stats.applied, ==, f->log->len);
  g_assert_cmpuint (rx_sync_count_parked (f->b), ==, 0);
  assert_same (f);

  /* the empty workstation took the organisation's site and name */
  site = rx_db_get_meta (f->b, "site_id");
  name = rx_db_get_meta (f->b, "clinic_name");
  g_assert_cmpstr (site, ==, rx_db_get_site_id (f->a));
  g_assert_cmpstr (name, ==, "Riverside");
  g_assert_cmpint (rx_test_count (f->b, "SELECT count(*) FROM drug_fts WHERE drug_fts MATCH "
                                        "'amoxicillin'"), >, 0);

  /* applying again changes nothing; a pulled entry is never pushed back */
  g_assert_cmpint (rx_change_log_count_pushable (f->b), ==, 0);
  {
    g_autoptr(GError) error = NULL;
    RxApplyStats again = { 0, };
    g_assert_true (rx_sync_apply_page (f->b, f->log, "doctor", f->log->len, &again, &error));
    g_assert_cmpuint (again.applied, ==, 0);
    g_assert_cmpuint (again.skipped, ==, f->log->len);
  }
  assert_same (f);
}

static void
test_fields_merge (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_patient (f->a, "Mensah");
  g_autofree char *sql = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *address = NULL;
  RxPatientFields phone_a = { .phone = "+233 20 111 1111" };
  RxPatientFields address_b = { .address = "4 Harbour Road" };
  RxPatientFields phone_b = { .phone = "+233 20 222 2222" };

  sync_all (f);

  /* offline, A changes the phone number and B the address: both survive */
  g_assert_true (rx_patients_update (f->a, id, &phone_a, &error));
  g_assert_true (rx_patients_update (f->b, id, &address_b, &error));
  g_assert_no_error (error);
  sync_all (f);
  sync_all (f);
  assert_same (f);

  sql = g_strdup_printf ("SELECT phone FROM patients WHERE id = '%s'", id);
  phone = field (f->b, sql);
  g_assert_cmpstr (phone, ==, "+233 20 111 1111");
  g_free (sql);
  sql = g_strdup_printf ("SELECT address FROM patients WHERE id = '%s'", id);
  address = field (f->a, sql);
  g_assert_cmpstr (address, ==, "4 Harbour Road");

  /* both change the same field: the later write wins on both */
  g_assert_true (rx_patients_update (f->a, id, &phone_a, &error));
  g_usleep (2000);
  g_assert_true (rx_patients_update (f->b, id, &phone_b, &error));
  sync_all (f);
  sync_all (f);
  assert_same (f);
  g_clear_pointer (&phone, g_free);
  g_free (sql);
  sql = g_strdup_printf ("SELECT phone FROM patients WHERE id = '%s'", id);
  phone = field (f->a, sql);
  g_assert_cmpstr (phone, ==, "+233 20 222 2222");
}

static void
test_parent_arrives_later (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reversed = g_ptr_array_new ();
  g_autofree char *id = NULL;
  g_autofree char *allergy = NULL;
  RxApplyStats stats = { 0, };
  guint start;

  sync_all (f);
  start = f->log->len;
  id = add_patient (f->a, "Haddad");
  allergy = rx_patients_add_allergy (f->a, id, "penicillins", "rash", "moderate", &error);
  g_assert_no_error (error);
  push (f, f->a);

  /* the allergy first, its patient later: the allergy waits, then goes in */
  for (guint i = f->log->len; i > start; i--)
    g_ptr_array_add (reversed, f->log->pdata[i - 1]);
  g_assert_true (rx_sync_apply_page (f->b, reversed, "admin", f->log->len, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.parked, >, 0);
  g_assert_cmpint (rx_sync_count_parked (f->b), ==, 0);
  assert_same (f);
}

static void
test_negative_stock_conflict (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts_a = NULL;
  g_autoptr(GPtrArray) conflicts_b = NULL;
  g_autofree char *batch = NULL;
  g_autofree char *product = field (f->a, "SELECT code FROM products ORDER BY code LIMIT 1");
  RxStockReceipt receipt = { .product = product, .lot = "L1", .expiry = "2031-01-31",
                             .quantity = 10, .unit_cost_minor = -1 };

  batch = rx_stock_receive (f->a, &receipt, &error);
  g_assert_no_error (error);
  sync_all (f);

  /* two tills, offline, each takes 7 of the 10 */
  g_assert_true (rx_stock_adjust (f->a, product, "L1", -7, "damage", &error));
  g_assert_true (rx_stock_adjust (f->b, product, "L1", -7, "damage", &error));
  g_assert_no_error (error);
  sync_all (f);
  assert_same (f);

  conflicts_a = rx_conflicts_list (f->a, TRUE, &error);
  conflicts_b = rx_conflicts_list (f->b, TRUE, &error);
  g_assert_cmpuint (conflicts_a->len, ==, 1);
  g_assert_cmpuint (conflicts_b->len, ==, 1);
  g_assert_cmpstr (((RxConflict *) conflicts_a->pdata[0])->kind, ==, "negative_stock");
  g_assert_cmpstr (((RxConflict *) conflicts_a->pdata[0])->id, ==,
                   ((RxConflict *) conflicts_b->pdata[0])->id);

  /* resolved on one, resolved on both */
  g_assert_true (rx_conflicts_resolve (f->a, ((RxConflict *) conflicts_a->pdata[0])->id,
                                       "corrected", "counted 0 on the shelf", &error));
  g_assert_no_error (error);
  g_assert_false (rx_conflicts_resolve (f->a, ((RxConflict *) conflicts_a->pdata[0])->id,
                                        "corrected", NULL, &error));
  g_clear_error (&error);
  sync_all (f);
  g_assert_cmpint (rx_conflicts_count_open (f->a), ==, 0);
  g_assert_cmpint (rx_conflicts_count_open (f->b), ==, 0);
}

static void
test_foreign_org_refused (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_change_free);
  RxChange *c = g_new0 (RxChange, 1);

  c->seq = 1;
  c->op_id = g_strdup ("0190a0b0-0000-7000-8000-000000000001");
  c->entity = g_strdup ("patients");
  c->row_id = g_strdup ("0190a0b0-0000-7000-8000-000000000002");
  c->hlc = g_strdup ("0190a0b00000.0000.0123456789abcdef");
  c->author = g_strdup ("system");
  c->payload = g_strdup ("{\"id\":\"x\",\"org_id\":\"another-org\",\"family_name\":\"X\"}");
  g_ptr_array_add (page, c);

  g_assert_false (rx_sync_apply_page (f->b, page, "admin", 1, NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  g_assert_cmpint (rx_sync_get_checkpoint (f->b, "admin"), ==, 0);
  g_assert_cmpint (rx_test_count (f->b, "SELECT count(*) FROM patients"), ==, 0);
}

static void
test_column_names_are_checked (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_change_free);
  g_autofree char *payload = NULL;
  RxChange *c = g_new0 (RxChange, 1);

  /* a column name that is SQL is ignored, never pasted into a statement */
  payload = g_strdup_printf ("{\"id\":\"p1\",\"org_id\":\"%s\",\"family_name\":\"Ng\","
                             "\"record_number\":\"R-1\",\"birth_date\":\"1990-01-01\","
                             "\"created_at\":\"2026-01-01T00:00:00Z\","
                             "\"family_name) VALUES ('x'); DROP TABLE patients; --\":1}",
                             rx_db_get_org_id (f->b));
  c->seq = 1;
  c->op_id = g_strdup ("0190a0b0-0000-7000-8000-000000000003");
  c->entity = g_strdup ("patients");
  c->row_id = g_strdup ("p1");
  c->hlc = g_strdup ("0190a0b00000.0000.0123456789abcdef");
  c->author = g_strdup ("system");
  c->payload = g_steal_pointer (&payload);
  g_ptr_array_add (page, c);

  g_assert_true (rx_sync_apply_page (f->b, page, "admin", 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rx_test_count (f->b, "SELECT count(*) FROM patients"), ==, 1);
}

/* B's clock runs ten minutes slow. Its edit, made after A's and after it saw A's, must still
 * win: the hybrid logical clock moves past every timestamp a workstation has seen. */
static gint64
slow_clock (gpointer data)
{
  return g_get_real_time () - 10 * 60 * G_USEC_PER_SEC;
}

static void
test_clock_skew (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_patient (f->a, "Lindqvist");
  g_autofree char *sql = g_strdup_printf ("SELECT phone FROM patients WHERE id = '%s'", id);
  g_autofree char *phone_a = NULL;
  g_autofree char *phone_b = NULL;
  RxPatientFields first = { .phone = "+46 8 111 11 11" };
  RxPatientFields second = { .phone = "+46 8 222 22 22" };

  rx_db_set_clock (f->b, slow_clock, NULL);
  g_assert_true (rx_patients_update (f->a, id, &first, &error));
  g_assert_no_error (error);
  sync_all (f);

  /* B, slow, saw A's write: its later edit wins everywhere */
  g_assert_true (rx_patients_update (f->b, id, &second, &error));
  g_assert_no_error (error);
  sync_all (f);
  sync_all (f);
  assert_same (f);
  phone_a = field (f->a, sql);
  phone_b = field (f->b, sql);
  g_assert_cmpstr (phone_a, ==, "+46 8 222 22 22");
  g_assert_cmpstr (phone_b, ==, "+46 8 222 22 22");
}

/* A change stamped years ahead is applied, but this workstation's clock does not follow it. */
static void
test_future_clock_not_followed (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_change_free);
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) stamps = NULL;
  RxChange *c = g_new0 (RxChange, 1);

  c->seq = 1;
  c->op_id = g_strdup ("0190a0b0-0000-7000-8000-0000000000f1");
  c->entity = g_strdup ("patients");
  c->row_id = g_strdup ("future-1");
  c->hlc = g_strdup ("ffffffffffff.0000.0123456789abcdef");
  c->author = g_strdup ("system");
  c->payload = g_strdup ("{\"id\":\"future-1\",\"record_number\":\"P-F\",\"family_name\":\"Ahead\","
                         "\"birth_date\":\"1990-01-01\",\"created_at\":\"2026-01-01T00:00:00Z\"}");
  g_ptr_array_add (page, c);
  g_test_expect_message ("rx-core", G_LOG_LEVEL_WARNING, "*more than a day ahead*");
  g_assert_true (rx_sync_apply_page (f->b, page, "admin", 1, NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  id = add_patient (f->b, "Present");
  sql = g_strdup_printf ("SELECT updated_hlc FROM patients WHERE id = '%s'", id);
  stamps = rx_test_ids (f->b, sql);
  g_assert_cmpstr (stamps->pdata[0], <, "ffffffffffff");
}

/* A prescription's entries may reach a workstation after its signature: A sends them over
 * two pushes when they straddle a batch, and the server files the earlier ones after the
 * signature. Items written before the signature (by HLC) are part of what was signed and are
 * applied; an item written after it is still refused. */
static void
test_signed_history_arrives_late (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxCertificate) ca = rx_certs_create_ca (f->a, &error);
  g_autoptr(RxUser) doctor = NULL;
  g_autoptr(RxPrescription) rx = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  g_autofree char *patient = add_patient (f->a, "Okafor");
  g_autofree char *late_sql = NULL;
  RxItemFields fields[] = {
    { .product = "amoxicillin-500mg-capsule", .dose = "1 capsule", .frequency = "TDS",
      .duration_days = 7, .quantity = 21 },
    { .product = "paracetamol-500mg-tablet", .dose = "2 tablets", .frequency = "QDS",
      .quantity = 32 },
  };
  const char *id;
  RxApplyStats stats;

  g_assert_no_error (error);
  doctor = rx_users_add (f->a, "lchen", "Dr Li Chen", RX_ROLE_DOCTOR, "Late-history-pass-1",
                         &error);
  g_assert_no_error (error);
  rx = rx_prescriptions_create (f->a, patient, "lchen", fields, 2, NULL, &error);
  g_assert_no_error (error);
  id = rx_prescription_get_id (rx);
  g_assert_true (rx_prescriptions_sign (f->a, id, "lchen", "Late-history-pass-1", NULL,
                                        &error));
  g_assert_no_error (error);
  push (f, f->a);

  /* the server's order: the items after everything else */
  for (guint i = 0; i < f->log->len; i++)
    g_ptr_array_add (g_str_equal (((RxChange *) f->log->pdata[i])->entity,
                                  "prescription_items") ? items : rest, f->log->pdata[i]);
  g_assert_cmpuint (items->len, ==, 2);
  g_ptr_array_set_free_func (f->log, NULL);
  g_ptr_array_set_size (f->log, 0);
  g_ptr_array_extend_and_steal (f->log, g_steal_pointer (&rest));
  g_ptr_array_extend_and_steal (f->log, g_steal_pointer (&items));
  for (guint i = 0; i < f->log->len; i++)
    ((RxChange *) f->log->pdata[i])->seq = i + 1;
  g_ptr_array_set_free_func (f->log, (GDestroyNotify) rx_change_free);

  stats = pull (f, f->b);
  g_assert_cmpuint (stats.parked, ==, 0);
  g_assert_cmpint (rx_sync_count_parked (f->b), ==, 0);
  g_assert_cmpint (rx_test_count (f->b, "SELECT count(*) FROM prescription_items"), ==, 2);
  assert_same (f);

  /* written after the signature: refused, as on the workstation that signed it */
  late_sql = g_strdup_printf ("UPDATE prescription_items SET quantity = 99, "
                              "updated_hlc = 'ffffffffffff.0000.0000000000000000' "
                              "WHERE prescription_id = '%s'", id);
  g_assert_false (_rx_db_exec (f->b, late_sql, &error));
  g_assert_nonnull (strstr (error->message, "cannot be edited"));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *keyring = rx_test_use_private_keyring ();
  int rc;

  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) \
  g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/sync-apply/fresh-workstation", test_fresh_workstation_converges);
  ADD ("/sync-apply/fields-merge", test_fields_merge);
  ADD ("/sync-apply/parent-arrives-later", test_parent_arrives_later);
  ADD ("/sync-apply/negative-stock", test_negative_stock_conflict);
  ADD ("/sync-apply/foreign-org", test_foreign_org_refused);
  ADD ("/sync-apply/column-names", test_column_names_are_checked);
  ADD ("/sync-apply/clock-skew", test_clock_skew);
  ADD ("/sync-apply/future-clock", test_future_clock_not_followed);
  ADD ("/sync-apply/signed-history-arrives-late", test_signed_history_arrives_late);
#undef ADD

  rc = g_test_run ();
  rx_test_remove_dir (keyring);
  return rc;
}
