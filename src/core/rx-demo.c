/* rx-demo.c: a demo clinic that looks like a real small one (staff of every role, a few
 * hundred patients, stock with some lots near expiry, a history of prescriptions), and bulk
 * generation for benchmarks. Everything goes through the same typed APIs and the same
 * transactional write path as real work; a fixed seed keeps it the same on every machine. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-appointment.h"
#include "rx-cert-private.h"
#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-demo-private.h"
#include "rx-formulary.h"
#include "rx-invoice.h"
#include "rx-keyring.h"
#include "rx-paths.h"
#include "rx-patient.h"
#include "rx-stock.h"
#include "rx-user.h"

static const char * const given_names[] = {
  "Amina", "Kwame", "Li", "Sofia", "Mateo", "Priya", "Oluwaseun", "Hannah", "Yusuf", "Elena",
  "Tomás", "Aiko", "Fatima", "James", "Mei", "Ravi", "Chloe", "Dmitri", "Nadia", "Samuel",
  "Grace", "Ibrahim", "Lucía", "Noah", "Zanele", "Arjun", "Emma", "Hiroshi", "Leila", "Oscar",
  "Ana", "Kofi", "Isabel", "Tariq", "Ingrid", "Malik", "Rosa", "Jun", "Esther", "Viktor",
};

static const char * const family_names[] = {
  "Okafor", "Mensah", "Chen", "García", "Rossi", "Patel", "Adeyemi", "Müller", "Yusuf", "Ivanova",
  "Silva", "Tanaka", "Haddad", "Smith", "Wong", "Sharma", "Dubois", "Petrov", "Rahman", "Cohen",
  "Nkosi", "Kowalski", "Fernández", "Johansson", "Osei", "Nguyen", "Kim", "O'Brien", "Mwangi",
  "Santos", "Ali", "Larsen", "Moreau", "Banda", "Novak", "Reyes", "Kaur", "Hughes", "Sato",
  "Abebe",
};

static const char * const allergens[] = {
  "penicillins", "sulfonamides", "nsaids", "acetylsalicylic acid", "codeine", "latex",
  "cephalosporins", "macrolides",
};

typedef struct
{
  const char *username;
  const char *full_name;
  RxRole      role;
} DemoStaff;

static const DemoStaff staff[] = {
  { "ayusuf", "Amina Yusuf", RX_ROLE_ADMIN },
  { "kmensah", "Dr Kwame Mensah", RX_ROLE_DOCTOR },
  { "lchen", "Dr Li Chen", RX_ROLE_DOCTOR },
  { "egarcia", "Dr Elena García", RX_ROLE_DOCTOR },
  { "rpatel", "Ravi Patel", RX_ROLE_PHARMACIST },
  { "soliveira", "Sofia Oliveira", RX_ROLE_PHARMACIST },
  { "tnguyen", "Thu Nguyen", RX_ROLE_RECEPTIONIST },
  { "jsmith", "James Smith", RX_ROLE_RECEPTIONIST },
};

char *
rx_demo_default_path (void)
{
  return rx_paths_clinic_file ("Demo Clinic");
}

static gint64
demo_clock (gpointer user_data)
{
  return ((RxDemoClock *) user_data)->now;
}

static gboolean
add_patients (RxDb       *db,
              GRand      *rand,
              guint       n,
              GPtrArray  *ids,
              GError    **error)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *dob = g_strdup_printf ("%04d-%02d-%02d",
                                              g_rand_int_range (rand, 1936, 2024),
                                              g_rand_int_range (rand, 1, 13),
                                              g_rand_int_range (rand, 1, 29));
      g_autofree char *phone = g_strdup_printf ("+1 555 %03d %04d",
                                                g_rand_int_range (rand, 100, 1000),
                                                g_rand_int_range (rand, 0, 10000));
      const char *allergy_list[3] = { NULL, NULL, NULL };
      RxPatientFields f = {
        .family_name = family_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (family_names))],
        .given_names = given_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (given_names))],
        .birth_date = dob,
        .sex = g_rand_boolean (rand) ? "F" : "M",
        .phone = phone,
      };
      g_autoptr(RxPatient) p = NULL;

      if (g_rand_int_range (rand, 0, 100) < 15)
        allergy_list[0] = allergens[g_rand_int_range (rand, 0, G_N_ELEMENTS (allergens))];

      p = rx_patients_add (db, &f, allergy_list, error);
      if (p == NULL)
        return FALSE;
      if (ids)
        g_ptr_array_add (ids, g_strdup (rx_patient_get_id (p)));
    }

  return TRUE;
}

static gboolean
add_stock (RxDb          *db,
           GRand         *rand,
           RxDemoClock     *clock,
           RxDemoCounts  *counts,
           GError       **error)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) today = g_date_time_new_from_unix_utc (clock->now / G_USEC_PER_SEC);
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db, "SELECT code FROM products WHERE deleted = 0 ORDER BY code", error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (codes, _rx_stmt_dup_text (stmt, 0));
  sqlite3_reset (stmt);

  /* Most of the formulary is stocked; a few lots expire within 90 days. */
  for (guint i = 0; i < codes->len; i++)
    {
      gboolean near = g_rand_int_range (rand, 0, 100) < 8;
      g_autoptr(GDateTime) exp = g_date_time_add_days (today, near ? g_rand_int_range (rand, 20, 90)
                                                                   : g_rand_int_range (rand, 120, 900));
      g_autofree char *expiry = g_date_time_format (exp, "%Y-%m-%d");
      g_autofree char *lot = g_strdup_printf ("%c%c%05d",
                                              'A' + g_rand_int_range (rand, 0, 26),
                                              'A' + g_rand_int_range (rand, 0, 26),
                                              g_rand_int_range (rand, 0, 100000));
      g_autofree char *batch = NULL;
      RxStockReceipt r = {
        .product = codes->pdata[i],
        .lot = lot,
        .expiry = expiry,
        .quantity = g_rand_int_range (rand, 2, 40) * 10,
        .unit_cost_minor = g_rand_int_range (rand, 2, 200),
        .supplier = g_rand_boolean (rand) ? "MedSupply Wholesale" : "Regional Pharma Depot",
      };

      if (g_rand_int_range (rand, 0, 100) < 12)
        continue;  /* out of stock */

      batch = rx_stock_receive (db, &r, error);
      if (batch == NULL)
        return FALSE;
      counts->batches++;
    }

  return TRUE;
}

/* The till's last two weeks: a sale for each of the latest dispensed prescriptions, paid by
 * card or in cash, in time order so that invoice numbers and dates agree. */
static gboolean
add_invoices (RxDb          *db,
              RxDemoClock     *clock,
              guint          n,
              RxDemoCounts  *counts,
              GError       **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  gint64 real_now = clock->now;
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db,
                         "SELECT r.id, r.patient_id, i.product_id, i.quantity, "
                         "  d.inn || ' ' || p.strength || ' ' || p.form, "
                         "  (SELECT (k.price_minor + k.size - 1) / k.size FROM packs k "
                         "   WHERE k.product_id = p.id ORDER BY k.size LIMIT 1) "
                         "FROM prescriptions r JOIN prescription_items i ON i.prescription_id = r.id "
                         "JOIN products p ON p.id = i.product_id JOIN drugs d ON d.id = p.drug_id "
                         "WHERE r.status = 'dispensed' ORDER BY r.created_at DESC LIMIT ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, n);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char **row = g_new0 (char *, 7);

      for (guint c = 0; c < 6; c++)
        row[c] = _rx_stmt_dup_text (stmt, c);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < rows->len; i++)
    {
      char **r = rows->pdata[rows->len - 1 - i];
      g_autoptr(RxInvoice) invoice = NULL;
      g_autoptr(RxInvoice) issued = NULL;
      g_autofree char *line = NULL;
      RxInvoiceLineFields f = {
        .product_id = r[2],
        .description = r[4],
        .quantity = g_ascii_strtoll (r[3], NULL, 10),
        .unit_price_minor = r[5] ? g_ascii_strtoll (r[5], NULL, 10) : 100,
        .reference_kind = "prescription",
        .reference_id = r[0],
      };
      gint64 change = 0;

      clock->now = real_now - (gint64) (rows->len - i) * 5 * 3600 * G_USEC_PER_SEC;
      invoice = rx_invoices_open (db, "till-1", r[1], error);
      if (invoice == NULL ||
          (line = rx_invoices_add_line (db, rx_invoice_get_id (invoice), &f, error)) == NULL ||
          !rx_invoices_issue (db, rx_invoice_get_id (invoice), error))
        return FALSE;
      issued = rx_invoices_get (db, rx_invoice_get_id (invoice), error);
      if (issued == NULL ||
          !rx_invoices_pay (db, rx_invoice_get_id (issued), i % 3 == 0 ? "cash" : "card",
                            rx_invoice_get_total_minor (issued), NULL, &change, error))
        return FALSE;
      counts->invoices++;
    }

  clock->now = real_now;
  return TRUE;
}

/* Today's list at reception: a morning of 15-minute appointments with each doctor, a few
 * slots left free. */
static gboolean
add_appointments (RxDb       *db,
                  GRand      *rand,
                  RxDemoClock  *clock,
                  GPtrArray  *patients,
                  GPtrArray  *doctors,
                  GError    **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (clock->now / G_USEC_PER_SEC);

  for (guint d = 0; d < doctors->len; d++)
    for (guint slot = 0; slot < 8; slot++)
      {
        g_autofree char *start = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:00Z",
                                                  g_date_time_get_year (now),
                                                  g_date_time_get_month (now),
                                                  g_date_time_get_day_of_month (now),
                                                  9 + slot / 4, (slot % 4) * 15);
        g_autoptr(RxAppointment) a = NULL;

        if (g_rand_int_range (rand, 0, 100) < 25)
          continue;  /* a free slot */

        a = rx_appointments_book (db, patients->pdata[g_rand_int_range (rand, 0, patients->len)],
                                  doctors->pdata[d], start, 15,
                                  slot % 3 == 0 ? "review of medicines" : "consultation", error);
        if (a == NULL)
          return FALSE;
      }

  return TRUE;
}

static gboolean
populate (RxDb          *db,
          const char    *password,
          RxDemoCounts  *counts,
          RxDemoClock     *clock,
          GError       **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20231201);
  g_autoptr(GPtrArray) patients = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) doctors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) signers = g_ptr_array_new_with_free_func ((GDestroyNotify) _rx_signer_free);
  g_autoptr(RxCertificate) ca = NULL;
  gint64 real_now = clock->now;

  /* the CA and the staff (whose doctors get their keys from it) date from before the history */
  clock->now = real_now - RX_DEMO_KEYS_AGE;
  if (!_rx_certs_has_ca (db) && (ca = rx_certs_create_ca (db, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (staff); i++)
    {
      g_autoptr(RxUser) user = rx_users_add (db, staff[i].username, staff[i].full_name,
                                             staff[i].role, password, error);
      if (user == NULL)
        return FALSE;
      if (staff[i].role == RX_ROLE_DOCTOR)
        g_ptr_array_add (doctors, g_strdup (rx_user_get_id (user)));
      counts->staff++;
    }
  clock->now = real_now;

  if (!_rx_demo_open_signers (db, clock, doctors, signers, error) ||
      !add_patients (db, rand, 200, patients, error))
    return FALSE;
  counts->patients = patients->len;

  return add_stock (db, rand, clock, counts, error) &&
         _rx_demo_add_history (db, rand, clock, patients, doctors, signers, 300, counts, error) &&
         add_invoices (db, clock, 40, counts, error) &&
         add_appointments (db, rand, clock, patients, doctors, error);
}

/* Fills a new clinic (with its formulary loaded) with the demo clinic. Staff share one
 * password, given by the caller; it is never stored except as each user's hash. */
gboolean
rx_demo_populate (RxDb          *db,
                  const char    *staff_password,
                  RxDemoCounts  *counts,
                  GError       **error)
{
  RxDemoCounts local = { 0, };
  RxDemoClock clock;
  gboolean had_ca;
  gboolean ok;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (rx_db_count_rows (db, "products") <= 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Load the formulary before making the demo clinic");
      return FALSE;
    }

  clock.now = rx_db_now (db);
  rx_db_set_clock (db, demo_clock, &clock);
  had_ca = _rx_certs_has_ca (db);

  ok = rx_db_begin (db, error);
  if (ok)
    {
      ok = populate (db, staff_password, &local, &clock, error) &&
           _rx_db_audit (db, "create", "demo", NULL, "demo clinic", error) &&
           rx_db_commit (db, error);
      if (!ok)
        rx_db_rollback (db);
    }
  /* every key the rolled-back demo made had its passphrase stored; none of them is kept */
  if (!ok && !had_ca)
    rx_keyring_clear (rx_db_get_org_id (db), NULL, NULL);

  rx_db_set_clock (db, NULL, NULL);

  if (ok && counts)
    *counts = local;
  return ok;
}

/* Bulk data for benchmarks: patients, then signed prescriptions of one or two items, in
 * transactions of a thousand. */
gboolean
rx_demo_generate (RxDb          *db,
                  guint          n_patients,
                  guint          n_prescriptions,
                  RxDemoCounts  *counts,
                  GError       **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240101 + n_patients);
  g_autoptr(GPtrArray) patients = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) doctors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) signers = g_ptr_array_new_with_free_func ((GDestroyNotify) _rx_signer_free);
  g_autoptr(GListModel) users = NULL;
  RxDemoCounts local = { 0, };
  RxDemoClock clock;
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  users = rx_users_list (db, error);
  if (users == NULL)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (users); i++)
    {
      g_autoptr(RxUser) u = g_list_model_get_item (users, i);

      if (rx_user_get_role (u) == RX_ROLE_DOCTOR && g_strcmp0 (rx_user_get_state (u), "active") == 0)
        g_ptr_array_add (doctors, g_strdup (rx_user_get_id (u)));
    }
  if (n_prescriptions > 0 && doctors->len == 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The clinic has no active doctor to write the prescriptions; add one with "
                   "“user add NAME --role doctor” or start from “init --demo”");
      return FALSE;
    }

  clock.now = rx_db_now (db);
  rx_db_set_clock (db, demo_clock, &clock);

  /* bulk writing: checkpoint the write-ahead log every 64 MiB rather than every 4 MiB */
  _rx_db_exec (db, "PRAGMA wal_autocheckpoint = 16384", NULL);

  if (n_prescriptions > 0)
    {
      ok = _rx_demo_open_signers (db, &clock, doctors, signers, error);
      if (ok && doctors->len == 0)
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "No doctor of this clinic has a valid signing certificate to sign the "
                       "prescriptions; issue one with “rxdesk-cli cert issue USERNAME”");
          ok = FALSE;
        }
    }

  for (guint done = 0; ok && done < n_patients; done += 1000)
    {
      ok = rx_db_begin (db, error) &&
           add_patients (db, rand, MIN (1000, n_patients - done), patients, error) &&
           rx_db_commit (db, error);
      if (!ok)
        rx_db_rollback (db);
    }
  local.patients = patients->len;

  if (ok && patients->len == 0 && n_prescriptions > 0)
    {
      stmt = _rx_db_prepare (db, "SELECT id FROM patients WHERE deleted = 0", error);
      while (stmt && sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (patients, _rx_stmt_dup_text (stmt, 0));
      if (stmt)
        sqlite3_reset (stmt);
      if (patients->len == 0)
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "There are no patients to write prescriptions for; add --patients N");
          ok = FALSE;
        }
    }

  for (guint done = 0; ok && done < n_prescriptions; done += 1000)
    {
      ok = rx_db_begin (db, error) &&
           _rx_demo_add_history (db, rand, &clock, patients, doctors, signers,
                        MIN (1000, n_prescriptions - done), &local, error) &&
           rx_db_commit (db, error);
      if (!ok)
        rx_db_rollback (db);
    }

  rx_db_set_clock (db, NULL, NULL);
  _rx_db_exec (db, "PRAGMA wal_autocheckpoint = 1000", NULL);

  if (counts)
    *counts = local;
  return ok;
}
