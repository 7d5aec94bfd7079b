/* rx-test-fixtures.c: rows for tests, written with raw SQL where core has no API yet. */
#include "config.h"

#include "rx-db-private.h"
#include "rx-test-fixtures.h"

#define STAMP "'0000000000000.0000.test', 'test'"

char *
rx_test_add_patient (RxDb       *db,
                     const char *family_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxPatient) p = NULL;
  RxPatientFields f = { .family_name = family_name, .birth_date = "1980-01-01" };

  p = rx_patients_add (db, &f, NULL, &error);
  g_assert_no_error (error);

  return g_strdup (rx_patient_get_id (p));
}

static void
exec (RxDb       *db,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_rx_db_exec (db, sql, &error));
  g_assert_no_error (error);
}

char *
rx_test_add_user (RxDb       *db,
                  const char *username,
                  const char *role)
{
  char *id = g_strconcat ("user-", username, NULL);
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("INSERT INTO users (id, org_id, updated_hlc, updated_by, username, "
                         "full_name, role, created_at) VALUES ('%s', '%s', " STAMP ", '%s', "
                         "'Test %s', '%s', '2030-01-01T00:00:00.000Z')",
                         id, rx_db_get_org_id (db), username, username, role);
  exec (db, sql);

  return id;
}

char *
rx_test_add_product (RxDb       *db,
                     const char *code,
                     gboolean    rx_only)
{
  char *id = g_strconcat ("prod-", code, NULL);
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("INSERT INTO drugs (id, org_id, updated_hlc, updated_by, inn) "
                         "VALUES ('drug-%s', '%s', " STAMP ", 'inn %s');"
                         "INSERT INTO products (id, org_id, updated_hlc, updated_by, code, "
                         "drug_id, atc, form, strength, route, rx_only, controlled) "
                         "VALUES ('%s', '%s', " STAMP ", '%s', 'drug-%s', 'N02BE01', 'tablet', "
                         "'500 mg', 'oral', %d, 0)",
                         code, rx_db_get_org_id (db), code,
                         id, rx_db_get_org_id (db), code, code, rx_only ? 1 : 0);
  exec (db, sql);

  return id;
}

char *
rx_test_add_prescription (RxDb       *db,
                          const char *patient_id,
                          const char *prescriber_id,
                          const char *status)
{
  static guint counter;
  char *id = g_strdup_printf ("rx-%u", ++counter);
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("INSERT INTO prescriptions (id, org_id, updated_hlc, updated_by, "
                         "patient_id, prescriber_id, status, created_at) "
                         "VALUES ('%s', '%s', " STAMP ", '%s', '%s', '%s', "
                         "'2030-01-01T00:00:00.000Z')",
                         id, rx_db_get_org_id (db), patient_id, prescriber_id, status);
  exec (db, sql);

  return id;
}

char *
rx_test_snapshot (RxDb *db)
{
  static const char * const tables[] = {
    "invoices", "invoice_lines", "payments", "appointments", "medicine_orders",
    "medicine_order_items", "order_events", "alerts", "feedback", "patients", NULL
  };
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  for (guint i = 0; tables[i]; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) || '@' || "
                                              "coalesce (max (updated_hlc), '-') FROM %s",
                                              tables[i]);

      g_assert_cmpint (sqlite3_prepare_v2 (_rx_db_get_handle (db), sql, -1, &stmt, NULL), ==,
                       SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_string_append_printf (out, "%s=%s ", tables[i], sqlite3_column_text (stmt, 0));
      sqlite3_finalize (stmt);
    }

  g_string_append_printf (out, "change_log=%" G_GINT64_FORMAT " audit_events=%" G_GINT64_FORMAT,
                          rx_test_count (db, "SELECT count(*) FROM change_log"),
                          rx_test_count (db, "SELECT count(*) FROM audit_events"));

  return g_string_free (out, FALSE);
}

gint64
rx_test_usec (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

gint64
rx_test_fixed_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

/* Selling ------------------------------------------------------------------------------- */

void
rx_test_till_setup (RxTestTill    *f,
                    gconstpointer  data)
{
  rx_test_clinic_setup (&f->clinic, data);
  f->db = f->clinic.db;
  f->now = rx_test_usec ("2031-05-01T08:00:00Z");
  rx_db_set_clock (f->db, rx_test_fixed_clock, &f->now);
  f->patient = rx_test_add_patient (f->db, "Mensah");
  f->product = rx_test_add_product (f->db, "PARA500", FALSE);
}

void
rx_test_till_teardown (RxTestTill    *f,
                       gconstpointer  data)
{
  g_free (f->patient);
  g_free (f->product);
  rx_test_clinic_teardown (&f->clinic, data);
}

RxInvoice *
rx_test_open_invoice (RxTestTill *f,
                      const char *till)
{
  g_autoptr(GError) error = NULL;
  RxInvoice *inv = rx_invoices_open (f->db, till, f->patient, &error);

  g_assert_no_error (error);
  g_assert_nonnull (inv);
  return inv;
}

void
rx_test_add_invoice_line (RxTestTill *f,
                          RxInvoice  *inv,
                          gint64      quantity,
                          gint64      price,
                          int         rate)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line_id = NULL;
  RxInvoiceLineFields lf = {
    .product_id = f->product,
    .description = "Paracetamol 500 mg tablets",
    .quantity = quantity,
    .unit_price_minor = price,
    .tax_rate_bp = rate,
  };

  line_id = rx_invoices_add_line (f->db, rx_invoice_get_id (inv), &lf, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line_id);
}

/* Opens, fills and issues an invoice of `quantity` x `price` at 20 % on `till`. */
RxInvoice *
rx_test_issued_invoice (RxTestTill *f,
                        const char *till,
                        gint64      quantity,
                        gint64      price)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) inv = rx_test_open_invoice (f, till);

  rx_test_add_invoice_line (f, inv, quantity, price, 2000);
  g_assert_true (rx_invoices_issue (f->db, rx_invoice_get_id (inv), &error));
  g_assert_no_error (error);

  return rx_invoices_get (f->db, rx_invoice_get_id (inv), &error);
}
