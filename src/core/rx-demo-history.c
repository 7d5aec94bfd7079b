/* rx-demo-history.c: the demo's year of prescriptions, written in their final state and
 * signed with the doctors' own keys, as real ones would be. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-cert-private.h"
#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-demo-private.h"
#include "rx-prescription-private.h"
#include "rx-signing-private.h"

/* Common primary-care prescriptions: product code, dose, frequency, days, quantity. */
typedef struct
{
  const char *code_prefix;
  const char *dose;
  const char *frequency;
  int         days;
  int         quantity;
} DemoSig;

static const DemoSig sigs[] = {
  { "amoxicillin-500mg", "1 capsule", "TDS", 7, 21 },
  { "paracetamol-500mg", "2 tablets", "QDS as needed", 5, 40 },
  { "ibuprofen-400mg", "1 tablet", "TDS with food", 5, 15 },
  { "amlodipine-5mg", "1 tablet", "once daily", 28, 28 },
  { "metformin-500mg", "1 tablet", "BD with meals", 28, 56 },
  { "atorvastatin-20mg", "1 tablet", "once daily at night", 28, 28 },
  { "salbutamol-100", "2 puffs", "as needed", 30, 1 },
  { "omeprazole-20mg", "1 capsule", "once daily", 28, 28 },
  { "lisinopril-10mg", "1 tablet", "once daily", 28, 28 },
  { "cetirizine-10mg", "1 tablet", "once daily", 14, 14 },
  { "sertraline-50mg", "1 tablet", "once daily", 28, 28 },
  { "doxycycline-100mg", "1 capsule", "BD", 7, 14 },
  { "levothyroxine-50", "1 tablet", "once daily before breakfast", 28, 28 },
  { "nitrofurantoin", "1 capsule", "QDS", 3, 12 },
};

static char *
iso_at (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.000Z");
}

/* The product whose code starts with the prefix, or any product if the formulary has none
 * (a clinic may load its own formulary). */
static char *
product_for (RxDb       *db,
             const char *prefix,
             GRand      *rand)
{
  sqlite3_stmt *stmt;
  g_autofree char *pattern = g_strconcat (prefix, "*", NULL);
  char *id = NULL;

  stmt = _rx_db_prepare (db, "SELECT id FROM products WHERE code GLOB ?1 AND deleted = 0 "
                             "ORDER BY code LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, pattern);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  if (id == NULL)
    {
      stmt = _rx_db_prepare (db, "SELECT id FROM products WHERE deleted = 0 AND controlled = 0 "
                                 "ORDER BY code LIMIT 1 OFFSET ?1 % max (1, (SELECT count(*) "
                                 "FROM products WHERE deleted = 0 AND controlled = 0))", NULL);
      sqlite3_bind_int (stmt, 1, g_rand_int_range (rand, 0, 50));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        id = _rx_stmt_dup_text (stmt, 0);
      sqlite3_reset (stmt);
    }

  return id;
}

/* A year of history: prescriptions signed by the clinic's doctors, most dispensed, a few
 * cancelled, some still waiting at the pharmacy. Written in their final state, with the
 * events that led there, in the caller's transaction, and really signed: each carries the
 * doctor's signature over its canonical bytes, so "rx verify" holds for it. */
gboolean
_rx_demo_add_history (RxDb          *db,
             GRand         *rand,
             RxDemoClock     *clock,
             GPtrArray     *patients,
             GPtrArray     *doctors,
             GPtrArray     *signers,
             guint          n,
             RxDemoCounts  *counts,
             GError       **error)
{
  g_autoptr(GHashTable) products = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  for (guint i = 0; i < n; i++)
    {
      const DemoSig *sig = &sigs[g_rand_int_range (rand, 0, G_N_ELEMENTS (sigs))];
      const char *product = g_hash_table_lookup (products, sig->code_prefix);
      g_autofree char *id = NULL;
      g_autofree char *created = NULL;
      g_autofree char *signed_at = NULL;
      g_autofree char *ended = NULL;
      RxItemFields item = {
        .dose = sig->dose,
        .frequency = sig->frequency,
        .duration_days = sig->days,
        .quantity = sig->quantity,
        .repeats = sig->days >= 28 ? g_rand_int_range (rand, 0, 4) : 0,
      };
      int fate = g_rand_int_range (rand, 0, 100);
      gint64 hours = g_rand_int_range (rand, 1, 365 * 24);
      gint64 when = clock->now - hours * 3600 * G_USEC_PER_SEC;
      guint who = g_rand_int_range (rand, 0, doctors->len);
      RxSigner *signer = signers->pdata[who];
      gint64 valid_from = (_rx_signer_get_not_before (signer) + 60) * G_USEC_PER_SEC;
      g_autofree char *signature = NULL;
      RxPrescriptionStatus status = fate < 85 ? RX_PRESCRIPTION_DISPENSED
                                  : fate < 90 ? RX_PRESCRIPTION_CANCELLED
                                  : RX_PRESCRIPTION_SIGNED;

      if (product == NULL)
        {
          char *found = product_for (db, sig->code_prefix, rand);

          if (found == NULL)
            break;
          g_hash_table_insert (products, (gpointer) sig->code_prefix, found);
          product = found;
        }
      item.product = product;

      /* a doctor whose certificate is younger than a year: their history is squeezed into
       * the time they have had it */
      if (when < valid_from)
        when = valid_from + (clock->now - valid_from) / 2 * (365 * 24 - hours) / (365 * 24);

      created = iso_at (when);
      signed_at = iso_at (when + (gint64) 5 * 60 * G_USEC_PER_SEC);
      ended = iso_at (when + (gint64) 3 * 3600 * G_USEC_PER_SEC);

      id = _rx_prescriptions_insert_history (db,
                                             patients->pdata[g_rand_int_range (rand, 0, patients->len)],
                                             doctors->pdata[who],
                                             &item, 1, status, created, signed_at, ended, error);
      if (id == NULL)
        return FALSE;
      signature = _rx_signing_sign_in_transaction (db, signer, id, FALSE, error);
      if (signature == NULL)
        return FALSE;

      counts->prescriptions++;
    }

  return _rx_db_audit (db, "create", "prescriptions", NULL, "demo history", error);
}

/* Each doctor's key opened for signing the history. A doctor without a certificate (added
 * before the clinic had a CA) is issued one, dated like the demo's own; a doctor whose
 * certificate was revoked or has expired writes no history. */
gboolean
_rx_demo_open_signers (RxDb       *db,
              RxDemoClock  *clock,
              GPtrArray  *doctors,
              GPtrArray  *signers,
              GError    **error)
{
  for (guint i = 0; i < doctors->len;)
    {
      g_autoptr(GError) local_error = NULL;
      RxSigner *signer = _rx_signer_load (db, doctors->pdata[i], &local_error);

      if (signer == NULL && g_error_matches (local_error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND))
        {
          g_autoptr(RxCertificate) ca = NULL;
          g_autoptr(RxCertificate) cert = NULL;
          gint64 real_now = clock->now;

          g_clear_error (&local_error);
          clock->now = real_now - RX_DEMO_KEYS_AGE;
          if (!_rx_certs_has_ca (db))
            ca = rx_certs_create_ca (db, &local_error);
          if (local_error == NULL)
            cert = rx_certs_issue_for_user (db, doctors->pdata[i], &local_error);
          clock->now = real_now;
          if (cert != NULL)
            signer = _rx_signer_load (db, doctors->pdata[i], &local_error);
        }

      if (signer == NULL && g_error_matches (local_error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION))
        {
          g_ptr_array_remove_index (doctors, i);
          continue;
        }
      if (signer == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_ptr_array_add (signers, signer);
      i++;
    }

  return TRUE;
}

