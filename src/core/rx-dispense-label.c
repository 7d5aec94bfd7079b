/* rx-dispense-label.c: the text of a dispensing label, one fact a line, for the printer, the
 * PDF and the screen to lay out as they need. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-dispense-private.h"

enum {
  COL_SITE, COL_ADDRESS, COL_PATIENT, COL_RECORD, COL_PRODUCT, COL_QUANTITY, COL_DOSE,
  COL_FREQUENCY, COL_DAYS, COL_INSTRUCTIONS, COL_LOT, COL_EXPIRY, COL_AT, COL_PHARMACIST,
  COL_PRESCRIBER, COL_PATIENT_ID, N_COLS
};

/* A stored UTC time as the local date it fell on. */
static char *
local_date (const char *iso)
{
  g_autoptr(GDateTime) utc = iso ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, "%Y-%m-%d") : g_strndup (iso ? iso : "", 10);
}

/**
 * rx_dispense_label:
 *
 * Returns: (transfer full): the label's lines, each ending in a newline, or %NULL with
 *   @error set
 */
char *
rx_dispense_label (RxDb        *db,
                   const char  *dispensing_id,
                   GError     **error)
{
  g_autoptr(GString) label = NULL;
  g_autofree char *directions = NULL;
  g_autofree char *date = NULL;
  char *col[N_COLS] = { NULL, };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (dispensing_id != NULL, NULL);

  if (!_rx_db_require (db, RX_ACTION_PRESCRIPTION_READ, error))
    return NULL;

  stmt = _rx_db_prepare (db,
                         "SELECT coalesce (s.name, ''), s.address, "
                         "  trim (pt.given_names || ' ' || pt.family_name), pt.record_number, "
                         "  d.inn || ' ' || p.strength || ' ' || p.form, x.quantity, i.dose, "
                         "  i.frequency, coalesce (i.duration_days, 0), i.instructions, b.lot, "
                         "  b.expiry, x.dispensed_at, ph.full_name, pr.full_name, pt.id "
                         "FROM dispensings x "
                         "JOIN prescription_items i ON i.id = x.prescription_item_id "
                         "JOIN prescriptions r ON r.id = x.prescription_id "
                         "JOIN patients pt ON pt.id = r.patient_id "
                         "JOIN products p ON p.id = i.product_id "
                         "JOIN drugs d ON d.id = p.drug_id "
                         "JOIN stock_batches b ON b.id = x.batch_id "
                         "LEFT JOIN sites s ON s.id = x.site_id "
                         "LEFT JOIN users ph ON ph.id = x.pharmacist_id "
                         "LEFT JOIN users pr ON pr.id = r.prescriber_id "
                         "WHERE x.id = ?1 AND x.deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, dispensing_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    for (guint i = 0; i < N_COLS; i++)
      col[i] = _rx_stmt_dup_text (stmt, i);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                     "There is no dispensing “%s”; a dispense prints the ids of what it "
                     "dispensed", dispensing_id);
      else
        _rx_db_sqlite_error (db, rc, "Reading a dispensing", error);
      return NULL;
    }

  directions = _rx_dispense_directions (col[COL_DOSE], col[COL_FREQUENCY],
                                        (int) g_ascii_strtoll (col[COL_DAYS], NULL, 10),
                                        col[COL_INSTRUCTIONS]);
  date = local_date (col[COL_AT]);

  label = g_string_new (NULL);
  g_string_append (label, col[COL_SITE]);
  if (col[COL_ADDRESS] != NULL && *col[COL_ADDRESS] != '\0')
    g_string_append_printf (label, ", %s", col[COL_ADDRESS]);
  g_string_append_printf (label, "\n%s (%s)\n", col[COL_PATIENT], col[COL_RECORD]);
  g_string_append_printf (label, "%s\n", col[COL_PRODUCT]);
  g_string_append_printf (label, "Quantity: %s\n", col[COL_QUANTITY]);
  if (*directions != '\0')
    g_string_append_printf (label, "%s\n", directions);
  g_string_append_printf (label, "Lot %s, expires %s\n", col[COL_LOT], col[COL_EXPIRY]);
  g_string_append_printf (label, "Dispensed %s", date);
  if (col[COL_PHARMACIST] != NULL)
    g_string_append_printf (label, " by %s", col[COL_PHARMACIST]);
  g_string_append_c (label, '\n');
  if (col[COL_PRESCRIBER] != NULL)
    g_string_append_printf (label, "Prescribed by %s\n", col[COL_PRESCRIBER]);

  if (!_rx_db_audit (db, "label", "dispensings", dispensing_id, col[COL_PATIENT_ID], error))
    {
      for (guint i = 0; i < N_COLS; i++)
        g_free (col[i]);
      return NULL;
    }

  for (guint i = 0; i < N_COLS; i++)
    g_free (col[i]);
  return g_string_free (g_steal_pointer (&label), FALSE);
}
