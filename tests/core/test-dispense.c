/* test-dispense.c: the dispensary: the queue, lots first expiry first out, partial fills and
 * repeats, and every refusal (expired lot, altered signature, too many, a lot below zero, a
 * cancelled prescription, the wrong role) leaving nothing behind, even part-way through. */
#include "config.h"

#include "rx-db-private.h"
#include "rx-test-fixtures.h"

#define PASSWORD "a long enough phrase"
#define DAY      ((gint64) 24 * 3600 * G_USEC_PER_SEC)

typedef struct
{
  RxTestClinic  clinic;
  RxDb         *db;
  gint64        now;
  char         *patient;
  char         *rx;        /* signed: item 1 amoxicillin 500 mg × 21, item 2 paracetamol × 32 */
} Fixture;

static char *
date_in (Fixture *f,
         int      days)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc ((f->now + days * DAY) /
                                                          G_USEC_PER_SEC);

  return g_date_time_format (t, "%Y-%m-%d");
}

static void
receive (Fixture    *f,
         const char *product,
         const char *lot,
         int         expires_in_days,
         gint64      quantity)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *expiry = date_in (f, expires_in_days);
  g_autofree char *batch = NULL;
  RxStockReceipt r = {
    .product = product, .lot = lot, .expiry = expiry, .quantity = quantity,
    .unit_cost_minor = -1,
  };

  batch = rx_stock_receive (f->db, &r, &error);
  g_assert_no_error (error);
  g_assert_nonnull (batch);
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

/* A signed prescription of the two items, amoxicillin with `repeats`. */
static char *
signed_rx (Fixture *f,
           gint64   amoxicillin,
           int      repeats)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxPrescription) rx = NULL;
  RxItemFields items[] = {
    { .product = "amoxicillin-500mg-capsule", .dose = "1 capsule", .frequency = "TDS",
      .duration_days = 7, .quantity = amoxicillin, .repeats = repeats,
      .instructions = "Take with water" },
    { .product = "paracetamol-500mg-tablet", .dose = "2 tablets", .frequency = "QDS as needed",
      .quantity = 32 },
  };

  /* a second apart, so the queue's order (oldest signature first) is known */
  f->now += G_USEC_PER_SEC;
  rx = rx_prescriptions_create (f->db, f->patient, "lchen", items, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rx_prescriptions_sign (f->db, rx_prescription_get_id (rx), "lchen", PASSWORD,
                                        NULL, &error));
  g_assert_no_error (error);

  return g_strdup (rx_prescription_get_id (rx));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxCertificate) ca = NULL;
  g_autoptr(RxUser) doctor = NULL;
  g_autoptr(RxUser) pharmacist = NULL;
  g_autoptr(RxUser) desk = NULL;
  g_autofree char *meds = g_test_build_filename (G_TEST_DIST, "data", "medicines-small.csv", NULL);
  g_autofree char *syns = g_test_build_filename (G_TEST_DIST, "data", "synonyms-small.csv", NULL);

  rx_test_clinic_setup (&f->clinic, data);
  f->db = f->clinic.db;
  /* a clock the tests move on; it starts now, so that the certificates made are valid */
  f->now = (g_get_real_time () / G_USEC_PER_SEC) * G_USEC_PER_SEC;
  rx_db_set_clock (f->db, rx_test_fixed_clock, &f->now);

  g_assert_true (rx_formulary_load_csv (f->db, meds, syns, NULL, &error));
  g_assert_no_error (error);
  ca = rx_certs_create_ca (f->db, &error);
  g_assert_no_error (error);
  doctor = add_user (f->db, "lchen", "Dr Li Chen", RX_ROLE_DOCTOR);
  pharmacist = add_user (f->db, "rpatel", "Ravi Patel", RX_ROLE_PHARMACIST);
  desk = add_user (f->db, "tnguyen", "Thu Nguyen", RX_ROLE_RECEPTIONIST);
  f->patient = rx_test_add_patient (f->db, "Okafor");

  /* three lots of amoxicillin: the one that expires first is neither the first received nor
   * the first by name */
  receive (f, "amoxicillin-500mg-capsule", "AMX-C", 300, 100);
  receive (f, "amoxicillin-500mg-capsule", "AMX-A", 30, 10);
  receive (f, "amoxicillin-500mg-capsule", "AMX-B", 120, 50);
  receive (f, "paracetamol-500mg-tablet", "PAR-1", 400, 100);

  f->rx = signed_rx (f, 21, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  rx_test_clinic_teardown (&f->clinic, data);
  g_free (f->patient);
  g_free (f->rx);
}

/* What a dispense writes, all of it: a refused one must leave this as it was. Only the
 * audit event of a refused signature may be added. */
static char *
snapshot (RxDb *db)
{
  static const char * const queries[] = {
    "SELECT count(*) FROM dispensings",
    "SELECT count(*) FROM stock_movements",
    "SELECT count(*) FROM invoices",
    "SELECT count(*) FROM invoice_lines",
    "SELECT coalesce (sum (total_minor), 0) FROM invoices",
    "SELECT count(*) FROM prescription_events",
    "SELECT count(*) FROM prescriptions WHERE status = 'signed'",
    "SELECT count(*) FROM change_log WHERE entity <> 'audit_events'",
    "SELECT count(*) FROM audit_events WHERE action <> 'dispense_refused'",
    NULL
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; queries[i]; i++)
    g_string_append_printf (out, "%" G_GINT64_FORMAT " ", rx_test_count (db, queries[i]));
  return g_string_free (out, FALSE);
}

static gint64
lot_on_hand (RxDb       *db,
             const char *lot)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce (sum (m.quantity), 0) FROM "
                                          "stock_movements m JOIN stock_batches b ON "
                                          "b.id = m.batch_id WHERE b.lot = '%s'", lot);

  return rx_test_count (db, sql);
}

static void
dispense_ok (Fixture              *f,
             const RxDispenseLine *lines,
             guint                 n_lines,
             RxDispenseResult     *out)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rx_dispense (f->db, f->rx, "rpatel", NULL, lines, n_lines, out, &error));
  g_assert_no_error (error);
}

/* Expects a refusal of `code` naming `words`, with nothing written. */
static void
dispense_refused (Fixture              *f,
                  const char           *pharmacist,
                  const RxDispenseLine *lines,
                  guint                 n_lines,
                  int                   code,
                  const char           *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f->db);
  g_auto(RxDispenseResult) out = { NULL, };

  g_assert_false (rx_dispense (f->db, f->rx, pharmacist, NULL, lines, n_lines, &out, &error));
  rx_test_assert_error_says (error, code, words);
  g_assert_null (out.dispensed);
  g_assert_null (out.invoice_id);
  {
    g_autofree char *after = snapshot (f->db);

    g_assert_cmpstr (after, ==, before);
  }
}

static void
test_fefo (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) picks = NULL;
  g_autoptr(RxInvoice) invoice = NULL;
  g_auto(RxDispenseResult) out = { NULL, };
  RxDispenseLine line = { 1, 0, NULL };
  RxBatchPick *pick;
  RxDispensed *d;
  gint64 short_by = -1;
  g_autofree char *product = NULL;

  {
    g_autoptr(RxDispenseEntry) entry = rx_dispense_get_entry (f->db, f->rx, &error);

    g_assert_no_error (error);
    product = g_strdup (((RxDispenseItem *) rx_dispense_entry_get_items (entry)->pdata[0])
                        ->product_id);
  }

  /* the first to expire first, then the next, as far as it takes */
  picks = rx_dispense_suggest_batches (f->db, "prod-none", 5, &short_by, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (picks->len, ==, 0);
  g_assert_cmpint (short_by, ==, 5);
  g_clear_pointer (&picks, g_ptr_array_unref);

  picks = rx_dispense_suggest_batches (f->db, product, 25, &short_by, &error);
  g_assert_no_error (error);
  g_assert_cmpint (short_by, ==, 0);
  g_assert_cmpuint (picks->len, ==, 2);
  pick = picks->pdata[0];
  g_assert_cmpstr (pick->lot, ==, "AMX-A");
  g_assert_cmpint (pick->quantity, ==, 10);
  g_assert_cmpint (pick->on_hand, ==, 10);
  g_assert_true (pick->expires_soon);
  pick = picks->pdata[1];
  g_assert_cmpstr (pick->lot, ==, "AMX-B");
  g_assert_cmpint (pick->quantity, ==, 15);
  g_assert_false (pick->expires_soon);
  g_clear_pointer (&picks, g_ptr_array_unref);

  picks = rx_dispense_suggest_batches (f->db, product, 1000, &short_by, &error);
  g_assert_cmpuint (picks->len, ==, 3);
  g_assert_cmpint (short_by, ==, 1000 - 160);
  g_clear_pointer (&picks, g_ptr_array_unref);

  /* one fill of item 1 takes the suggestion: 10 from AMX-A, 11 from AMX-B */
  dispense_ok (f, &line, 1, &out);
  g_assert_cmpuint (out.dispensed->len, ==, 2);
  d = out.dispensed->pdata[0];
  g_assert_cmpstr (d->lot, ==, "AMX-A");
  g_assert_cmpint (d->quantity, ==, 10);
  g_assert_cmpint (d->item, ==, 1);
  g_assert_cmpint (d->unit_price_minor, ==, 17);  /* 350 for 21, rounded up per capsule */
  g_assert_cmpint (d->total_minor, ==, 170);
  d = out.dispensed->pdata[1];
  g_assert_cmpstr (d->lot, ==, "AMX-B");
  g_assert_cmpint (d->quantity, ==, 11);
  g_assert_cmpint (lot_on_hand (f->db, "AMX-A"), ==, 0);
  g_assert_cmpint (lot_on_hand (f->db, "AMX-B"), ==, 39);
  g_assert_cmpint (lot_on_hand (f->db, "AMX-C"), ==, 100);

  /* the ledger: each lot's movement names its dispensing, and each dispensing its invoice */
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM stock_movements m JOIN "
                                         "dispensings x ON x.id = m.reference_id WHERE "
                                         "m.kind = 'dispense' AND m.reference_kind = "
                                         "'dispensing' AND m.quantity = -x.quantity AND "
                                         "m.batch_id = x.batch_id"), ==, 2);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM dispensings x JOIN invoice_lines "
                                         "l ON l.reference_id = x.id AND l.reference_kind = "
                                         "'dispensing' AND l.invoice_id = x.invoice_id AND "
                                         "l.quantity = x.quantity"), ==, 2);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM dispensings WHERE pharmacist_id "
                                         "= (SELECT id FROM users WHERE username = 'rpatel')"),
                   ==, 2);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events "
                                         "WHERE action = 'dispense'"), ==, 2);

  /* the bill: one open invoice for the patient on the default till */
  g_assert_cmpstr (out.till, ==, RX_DISPENSE_DEFAULT_TILL);
  invoice = rx_invoices_get (f->db, out.invoice_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rx_invoice_get_status (invoice), ==, "open");
  g_assert_cmpstr (rx_invoice_get_patient_id (invoice), ==, f->patient);
  g_assert_cmpint (rx_invoice_get_total_minor (invoice), ==, 21 * 17);
  g_assert_cmpuint (rx_invoice_get_lines (invoice)->len, ==, 2);
  g_assert_cmpstr (((RxInvoiceLine *) rx_invoice_get_lines (invoice)->pdata[0])->description,
                   ==, "amoxicillin 500 mg capsule, lot AMX-A");

  /* item 2 is still to come */
  g_assert_cmpint (out.status, ==, RX_PRESCRIPTION_PARTIALLY_DISPENSED);
  g_assert_cmpint (out.remaining, ==, 32);
}

static void
test_partial_fills (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxDispenseEntry) entry = NULL;
  g_autoptr(GListModel) queue = NULL;
  g_autoptr(RxPrescription) rx = NULL;
  g_autofree char *first_invoice = NULL;
  RxDispenseItem *item;
  RxDispenseLine ten = { 1, 10, NULL };
  RxDispenseLine rest = { 1, 0, NULL };
  RxDispenseLine paracetamol = { 2, 0, NULL };

  /* a second prescription with a repeat: 21 now and 21 later, 42 in all */
  g_free (f->rx);
  f->rx = signed_rx (f, 21, 1);

  entry = rx_dispense_get_entry (f->db, f->rx, &error);
  g_assert_no_error (error);
  g_assert_true (rx_dispense_entry_get_verified (entry));
  item = rx_dispense_entry_get_items (entry)->pdata[0];
  g_assert_cmpint (item->prescribed, ==, 42);
  g_assert_cmpint (item->remaining, ==, 42);
  g_assert_cmpint (item->available, ==, 160);
  g_assert_cmpstr (item->directions, ==, "1 capsule TDS for 7 days. Take with water");
  g_assert_cmpint (rx_dispense_entry_get_remaining (entry), ==, 42 + 32);
  g_clear_object (&entry);

  {
    g_auto(RxDispenseResult) out = { NULL, };

    dispense_ok (f, &ten, 1, &out);
    g_assert_cmpint (out.status, ==, RX_PRESCRIPTION_PARTIALLY_DISPENSED);
    g_assert_cmpint (out.remaining, ==, 32 + 32);
    first_invoice = g_strdup (out.invoice_id);
  }

  /* what remains is in the queue */
  queue = rx_dispense_queue (f->db, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, 2);
  entry = g_list_model_get_item (queue, 1);  /* the newer of the two */
  g_assert_cmpstr (rx_dispense_entry_get_prescription_id (entry), ==, f->rx);
  g_assert_cmpint (rx_dispense_entry_get_status (entry), ==,
                   RX_PRESCRIPTION_PARTIALLY_DISPENSED);
  item = rx_dispense_entry_get_items (entry)->pdata[0];
  g_assert_cmpint (item->dispensed, ==, 10);
  g_assert_cmpint (item->remaining, ==, 32);
  g_clear_object (&entry);

  /* one fill at a time: the next takes 21, the one after the 11 left; the same open
   * invoice gathers every line */
  {
    g_auto(RxDispenseResult) out = { NULL, };

    dispense_ok (f, &rest, 1, &out);
    g_assert_cmpint (((RxDispensed *) out.dispensed->pdata[0])->quantity +
                     (out.dispensed->len > 1
                      ? ((RxDispensed *) out.dispensed->pdata[1])->quantity : 0), ==, 21);
    g_assert_cmpint (out.remaining, ==, 11 + 32);
    g_assert_cmpstr (out.invoice_id, ==, first_invoice);
  }
  {
    g_auto(RxDispenseResult) out = { NULL, };

    dispense_ok (f, &rest, 1, &out);
    g_assert_cmpint (((RxDispensed *) out.dispensed->pdata[0])->quantity, ==, 11);
    g_assert_cmpint (out.status, ==, RX_PRESCRIPTION_PARTIALLY_DISPENSED);
    g_assert_cmpint (out.remaining, ==, 32);
  }

  /* the first item is done; asking for more of it is refused and says so */
  dispense_refused (f, "rpatel", &rest, 1, RX_CORE_ERROR_INVALID, "dispensed in full");

  /* the last item completes the prescription; its line carries the rate it is sold at
   * now (the clinic's default, 5 %), the earlier lines keep theirs (0 %) */
  g_assert_true (_rx_db_set_meta (f->db, "tax_rate_bp", "500", &error));
  g_assert_no_error (error);
  {
    g_auto(RxDispenseResult) out = { NULL, };

    dispense_ok (f, &paracetamol, 1, &out);
    g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM invoice_lines WHERE "
                                           "tax_rate_bp = 500"), ==, out.dispensed->len);
    g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM invoice_lines WHERE "
                                           "tax_rate_bp = 0"), >, 0);
    g_assert_cmpint (out.status, ==, RX_PRESCRIPTION_DISPENSED);
    g_assert_cmpint (out.remaining, ==, 0);
  }
  rx = rx_prescriptions_get (f->db, f->rx, &error);
  g_assert_cmpint (rx_prescription_get_status (rx), ==, RX_PRESCRIPTION_DISPENSED);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM prescription_events WHERE "
                                         "to_status = 'partially_dispensed'"), ==, 3);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM prescription_events WHERE "
                                         "from_status = 'partially_dispensed' AND "
                                         "to_status = 'dispensed'"), ==, 1);
  g_assert_cmpint (rx_test_count (f->db, "SELECT sum (quantity) FROM invoice_lines"), ==,
                   42 + 32);

  /* and it leaves the queue; a fully dispensed prescription is refused outright */
  g_clear_object (&queue);
  queue = rx_dispense_queue (f->db, 0, &error);
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, 1);
  dispense_refused (f, "rpatel", NULL, 0, RX_CORE_ERROR_TRANSITION, "dispensed in full");
}

static void
test_expired_lot (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) picks = NULL;
  RxDispenseLine expired = { 1, 5, "AMX-A" };
  RxDispenseLine fresh = { 1, 5, "AMX-B" };

  /* 31 days on, lot AMX-A has expired */
  f->now += 31 * DAY;

  {
    g_autoptr(RxDispenseEntry) entry = rx_dispense_get_entry (f->db, f->rx, &error);
    RxDispenseItem *item = rx_dispense_entry_get_items (entry)->pdata[0];

    g_assert_cmpint (item->available, ==, 150);
    picks = rx_dispense_suggest_batches (f->db, item->product_id, 21, NULL, &error);
  }
  g_assert_cmpuint (picks->len, ==, 1);
  g_assert_cmpstr (((RxBatchPick *) picks->pdata[0])->lot, ==, "AMX-B");

  dispense_refused (f, "rpatel", &expired, 1, RX_CORE_ERROR_INVALID, "expired on");
  dispense_refused (f, "rpatel", &expired, 1, RX_CORE_ERROR_INVALID, "lot AMX-B");
  {
    g_auto(RxDispenseResult) out = { NULL, };

    dispense_ok (f, &fresh, 1, &out);
    g_assert_cmpint (lot_on_hand (f->db, "AMX-A"), ==, 10);
  }
}

static void
test_unverifiable (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxDb) copy = NULL;
  g_autoptr(GListModel) queue = NULL;
  g_autoptr(RxDispenseEntry) entry = NULL;
  g_autofree char *path = g_build_filename (f->clinic.dir, "copy.db", NULL);
  g_autofree char *before = NULL;
  g_auto(RxDispenseResult) out = { NULL, };

  /* a copy of the clinic whose signed bytes someone edited with raw SQL */
  g_assert_true (rx_db_backup_to (f->db, path, &error));
  g_assert_no_error (error);
  copy = rx_db_open (path, RX_DB_OPEN_NONE, &error);
  g_assert_no_error (error);
  rx_db_set_clock (copy, rx_test_fixed_clock, &f->now);
  g_assert_true (_rx_db_exec (copy, "DROP TRIGGER prescription_signatures_no_update;"
                                    "UPDATE prescription_signatures SET signed_bytes = "
                                    "replace (signed_bytes, '\"quantity\":21', "
                                    "'\"quantity\":210')", &error));
  g_assert_no_error (error);

  /* the queue shows it, marked, with the verifier's reason */
  queue = rx_dispense_queue (copy, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, 1);
  entry = g_list_model_get_item (queue, 0);
  g_assert_false (rx_dispense_entry_get_verified (entry));
  g_assert_nonnull (strstr (rx_dispense_entry_get_verify_reason (entry),
                            "signature does not match"));

  /* it is refused with that reason, and only the refusal is recorded */
  before = snapshot (copy);
  g_assert_false (rx_dispense (copy, f->rx, "rpatel", NULL, NULL, 0, &out, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_INVALID, "signature does not match");
  g_assert_nonnull (strstr (error->message, "cannot be dispensed"));
  {
    g_autofree char *after = snapshot (copy);

    g_assert_cmpstr (after, ==, before);
  }
  g_assert_cmpint (rx_test_count (copy, "SELECT count(*) FROM dispensings"), ==, 0);
  g_assert_cmpint (rx_test_count (copy, "SELECT count(*) FROM invoices"), ==, 0);
  g_assert_cmpint (rx_test_count (copy, "SELECT count(*) FROM stock_movements WHERE "
                                        "kind = 'dispense'"), ==, 0);
  g_assert_cmpint (rx_test_count (copy, "SELECT count(*) FROM audit_events WHERE action = "
                                        "'dispense_refused' AND detail LIKE "
                                        "'%signature does not match%'"), ==, 1);
  g_assert_cmpint (rx_test_count (copy, "SELECT count(*) FROM prescriptions WHERE "
                                        "status = 'signed'"), ==, 1);
  g_clear_error (&error);

  /* a revoked certificate is refused the same way, with when and why */
  g_clear_object (&copy);
  {
    g_autoptr(RxCertificate) revoked = NULL;

    f->now += DAY;
    revoked = rx_certs_revoke_user (f->db, "lchen", "laptop stolen", &error);
    g_assert_no_error (error);
    dispense_refused (f, "rpatel", NULL, 0, RX_CORE_ERROR_INVALID, "laptop stolen");
  }
}

static void
test_over_quantity (Fixture       *f,
                    gconstpointer  data)
{
  RxDispenseLine too_many = { 1, 22, NULL };
  RxDispenseLine twice[] = { { 1, 15, NULL }, { 1, 7, NULL } };
  RxDispenseLine no_item = { 3, 1, NULL };
  RxDispenseLine negative = { 1, -1, NULL };

  dispense_refused (f, "rpatel", &too_many, 1, RX_CORE_ERROR_INVALID,
                    "Only 21 of item 1 (amoxicillin 500 mg capsule) remain");
  /* the second line asks for one more than the first left */
  dispense_refused (f, "rpatel", twice, 2, RX_CORE_ERROR_INVALID, "Only 6 of item 1");
  dispense_refused (f, "rpatel", &no_item, 1, RX_CORE_ERROR_INVALID, "no item 3");
  dispense_refused (f, "rpatel", &negative, 1, RX_CORE_ERROR_INVALID, "at least 1");
}

static void
test_negative_batch (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RxDispenseLine too_much = { 1, 15, "AMX-A" };
  RxDispenseLine same_lot_twice[] = { { 1, 8, "AMX-A" }, { 1, 8, "AMX-A" } };
  RxDispenseLine unknown = { 1, 1, "NOPE" };
  RxDispenseLine all_paracetamol = { 2, 32, NULL };

  dispense_refused (f, "rpatel", &too_much, 1, RX_CORE_ERROR_INVALID,
                    "Lot AMX-A of amoxicillin 500 mg capsule has 10 on hand here");
  /* the first line took 8 of the 10 before the second asked for 8 more: nothing is kept */
  dispense_refused (f, "rpatel", same_lot_twice, 2, RX_CORE_ERROR_INVALID, "below zero");
  dispense_refused (f, "rpatel", &unknown, 1, RX_CORE_ERROR_NOT_FOUND, "no lot “NOPE”");

  /* not enough in date anywhere */
  g_assert_true (rx_stock_adjust (f->db, "paracetamol-500mg-tablet", "PAR-1", -90, "damage",
                                  &error));
  g_assert_no_error (error);
  dispense_refused (f, "rpatel", &all_paracetamol, 1, RX_CORE_ERROR_INVALID,
                    "Only 10 of paracetamol 500 mg tablet in date are on hand");
}

static void
test_atomic (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RxDispenseLine both[] = { { 1, 0, NULL }, { 2, 0, NULL } };

  /* item 1 can be dispensed, item 2 cannot: nothing of item 1 is kept either */
  g_assert_true (rx_stock_adjust (f->db, "paracetamol-500mg-tablet", "PAR-1", -100, "damage",
                                  &error));
  g_assert_no_error (error);
  dispense_refused (f, "rpatel", both, 2, RX_CORE_ERROR_INVALID, "No paracetamol");
  dispense_refused (f, "rpatel", NULL, 0, RX_CORE_ERROR_INVALID, "No paracetamol");

  /* a product without a price cannot be billed, so it is not dispensed */
  g_assert_true (_rx_db_exec (f->db, "UPDATE packs SET deleted = 1 WHERE product_id = "
                                     "(SELECT id FROM products WHERE code = "
                                     "'amoxicillin-500mg-capsule')", &error));
  dispense_refused (f, "rpatel", both, 1, RX_CORE_ERROR_INVALID, "no pack price");
}

static void
test_who_may_dispense (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) desk = rx_users_find (f->db, "tnguyen", &error);
  g_autofree char *cancelled = NULL;

  dispense_refused (f, "lchen", NULL, 0, RX_CORE_ERROR_PERMISSION, "may not dispense");
  dispense_refused (f, "tnguyen", NULL, 0, RX_CORE_ERROR_PERMISSION, "may not dispense");
  dispense_refused (f, "nobody", NULL, 0, RX_CORE_ERROR_NOT_FOUND, "no user");
  dispense_refused (f, NULL, NULL, 0, RX_CORE_ERROR_INVALID, "which pharmacist");

  /* logged in, a user dispenses in their own name only */
  rx_db_set_user (f->db, desk);
  dispense_refused (f, "rpatel", NULL, 0, RX_CORE_ERROR_PERMISSION, "own name");
  dispense_refused (f, NULL, NULL, 0, RX_CORE_ERROR_PERMISSION, "may not dispense");
  rx_db_set_user (f->db, NULL);

  /* a cancelled prescription is not dispensed */
  g_assert_true (rx_prescriptions_set_status (f->db, f->rx, RX_PRESCRIPTION_CANCELLED,
                                              "wrong patient", &error));
  g_assert_no_error (error);
  dispense_refused (f, "rpatel", NULL, 0, RX_CORE_ERROR_TRANSITION, "was cancelled");
}

static void
test_label (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *expiry = date_in (f, 30);
  g_autofree char *expected = NULL;
  g_auto(RxDispenseResult) out = { NULL, };
  RxDispenseLine line = { 1, 10, NULL };

  dispense_ok (f, &line, 1, &out);
  label = rx_dispense_label (f->db, ((RxDispensed *) out.dispensed->pdata[0])->id, &error);
  g_assert_no_error (error);

  g_assert_true (g_str_has_prefix (label, "Test Clinic\n"));
  g_assert_nonnull (strstr (label, "\namoxicillin 500 mg capsule\nQuantity: 10\n"
                                   "1 capsule TDS for 7 days. Take with water\n"));
  expected = g_strdup_printf ("\nLot AMX-A, expires %s\nDispensed ", expiry);
  g_assert_nonnull (strstr (label, expected));
  g_assert_nonnull (strstr (label, " by Ravi Patel\nPrescribed by Dr Li Chen\n"));
  g_assert_nonnull (strstr (label, "Okafor ("));
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events "
                                         "WHERE action = 'label'"), ==, 1);

  g_assert_null (rx_dispense_label (f->db, "no-such-id", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring = rx_test_use_private_keyring ();
  int status;

  g_test_init (&argc, &argv, NULL);

#define DISPENSE_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  DISPENSE_TEST ("/core/dispense/fefo", test_fefo);
  DISPENSE_TEST ("/core/dispense/partial-fills", test_partial_fills);
  DISPENSE_TEST ("/core/dispense/expired-lot", test_expired_lot);
  DISPENSE_TEST ("/core/dispense/unverifiable", test_unverifiable);
  DISPENSE_TEST ("/core/dispense/over-quantity", test_over_quantity);
  DISPENSE_TEST ("/core/dispense/negative-batch", test_negative_batch);
  DISPENSE_TEST ("/core/dispense/atomic", test_atomic);
  DISPENSE_TEST ("/core/dispense/who-may-dispense", test_who_may_dispense);
  DISPENSE_TEST ("/core/dispense/label", test_label);

  status = g_test_run ();
  rx_test_remove_dir (keyring);
  return status;
}
