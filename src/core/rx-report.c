/* rx-report.c: the daily closing (Z) report. Everything in it is summed from the invoice,
 * line and payment rows of the day, so it always agrees with the ledgers it reads. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-report.h"
#include "rx-validate.h"

static const char * const methods[] = { "cash", "card", "insurance" };

/* Each query's common filter: this site, the till (or all), the day's UTC bounds. */
#define DAY_INVOICES \
  "i.deleted = 0 AND i.site_id = ?1 AND (?2 IS NULL OR i.till = ?2) "

void
rx_daily_report_clear (RxDailyReport *report)
{
  g_clear_pointer (&report->date, g_free);
  g_clear_pointer (&report->from, g_free);
  g_clear_pointer (&report->until, g_free);
  g_clear_pointer (&report->till, g_free);
  g_clear_pointer (&report->currency, g_free);
  g_clear_pointer (&report->tax_rates, g_array_unref);
  g_clear_pointer (&report->payments, g_array_unref);
  memset (report, 0, sizeof *report);
}

static char *
utc_iso (GDateTime *t)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (t);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.000Z");
}

/* The local day's bounds in UTC. */
static gboolean
day_bounds (RxDb           *db,
            const char     *date,
            GTimeZone      *tz,
            RxDailyReport  *out,
            GError        **error)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  int y, m, d;

  if (date == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (rx_db_now (db) / G_USEC_PER_SEC);
      g_autoptr(GDateTime) here = g_date_time_to_timezone (now, tz);

      g_date_time_get_ymd (here, &y, &m, &d);
    }
  else
    {
      if (!rx_validate_date (date, "The report's date", error))
        return FALSE;
      if (sscanf (date, "%4d-%2d-%2d", &y, &m, &d) != 3)
        g_assert_not_reached ();
    }

  start = g_date_time_new (tz, y, m, d, 0, 0, 0);
  if (start == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The report's date %s is not a day of the calendar", date);
      return FALSE;
    }
  end = g_date_time_add_days (start, 1);

  out->date = g_date_time_format (start, "%Y-%m-%d");
  out->from = utc_iso (start);
  out->until = utc_iso (end);
  return TRUE;
}

static sqlite3_stmt *
prepare_day (RxDb           *db,
             const char     *sql,
             RxDailyReport  *r,
             GError        **error)
{
  sqlite3_stmt *stmt = _rx_db_prepare (db, sql, error);

  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, rx_db_get_site_id (db));
  _rx_stmt_bind_text (stmt, 2, r->till);
  _rx_stmt_bind_text (stmt, 3, r->from);
  _rx_stmt_bind_text (stmt, 4, r->until);
  return stmt;
}

static gboolean
finish (RxDb          *db,
        sqlite3_stmt  *stmt,
        int            rc,
        GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _rx_db_sqlite_error (db, rc, "Making the daily report", error);
  return TRUE;
}

static gboolean
sum_documents (RxDb           *db,
               RxDailyReport  *r,
               GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare_day (db, "SELECT i.kind, count(*), sum (i.total_minor), sum (i.tax_minor) "
                          "FROM invoices i WHERE " DAY_INVOICES
                          "AND i.issued_at >= ?3 AND i.issued_at < ?4 GROUP BY i.kind",
                      r, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean credit = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0),
                                   "credit_note") == 0;

      if (credit)
        {
          r->credit_notes = sqlite3_column_int (stmt, 1);
          r->refunds_gross_minor = sqlite3_column_int64 (stmt, 2);
          r->refunds_tax_minor = sqlite3_column_int64 (stmt, 3);
        }
      else
        {
          r->invoices = sqlite3_column_int (stmt, 1);
          r->sales_gross_minor = sqlite3_column_int64 (stmt, 2);
          r->sales_tax_minor = sqlite3_column_int64 (stmt, 3);
        }
    }
  if (!finish (db, stmt, rc, error))
    return FALSE;

  r->sales_net_minor = r->sales_gross_minor - r->sales_tax_minor;
  r->total_gross_minor = r->sales_gross_minor + r->refunds_gross_minor;
  r->total_tax_minor = r->sales_tax_minor + r->refunds_tax_minor;

  /* what the day's sales gave off, and what is still owed on them */
  stmt = prepare_day (db, "SELECT coalesce (sum (l.discount_minor), 0) FROM invoice_lines l "
                          "JOIN invoices i ON i.id = l.invoice_id WHERE " DAY_INVOICES
                          "AND i.kind = 'invoice' AND l.deleted = 0 "
                          "AND i.issued_at >= ?3 AND i.issued_at < ?4", r, error);
  if (stmt == NULL)
    return FALSE;
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      r->discount_minor = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_DONE;
    }
  if (!finish (db, stmt, rc, error))
    return FALSE;

  stmt = prepare_day (db, "SELECT coalesce (sum (i.total_minor - "
                          "  (SELECT coalesce (sum (p.amount_minor), 0) FROM payments p "
                          "   WHERE p.invoice_id = i.id AND p.deleted = 0)), 0) "
                          "FROM invoices i WHERE " DAY_INVOICES "AND i.kind = 'invoice' "
                          "AND i.issued_at >= ?3 AND i.issued_at < ?4", r, error);
  if (stmt == NULL)
    return FALSE;
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      r->outstanding_minor = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_DONE;
    }
  if (!finish (db, stmt, rc, error))
    return FALSE;

  stmt = prepare_day (db, "SELECT count(*), coalesce (sum (i.total_minor), 0) FROM invoices i "
                          "WHERE " DAY_INVOICES "AND i.status = 'open' "
                          "AND i.created_at >= ?3 AND i.created_at < ?4", r, error);
  if (stmt == NULL)
    return FALSE;
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      r->open_invoices = sqlite3_column_int (stmt, 0);
      r->open_minor = sqlite3_column_int64 (stmt, 1);
      rc = SQLITE_DONE;
    }
  return finish (db, stmt, rc, error);
}

/* Net per line as the invoice computes it: the discount shrinks the line whatever its sign. */
static gboolean
sum_tax_rates (RxDb           *db,
               RxDailyReport  *r,
               GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare_day (db, "SELECT l.tax_rate_bp, sum (CASE WHEN l.quantity < 0 "
                          "  THEN l.quantity * l.unit_price_minor + l.discount_minor "
                          "  ELSE l.quantity * l.unit_price_minor - l.discount_minor END), "
                          "  sum (l.total_minor) "
                          "FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id "
                          "WHERE " DAY_INVOICES "AND l.deleted = 0 "
                          "AND i.issued_at >= ?3 AND i.issued_at < ?4 "
                          "GROUP BY l.tax_rate_bp ORDER BY l.tax_rate_bp", r, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RxTaxTotal t = {
        .rate_bp = sqlite3_column_int (stmt, 0),
        .net_minor = sqlite3_column_int64 (stmt, 1),
        .gross_minor = sqlite3_column_int64 (stmt, 2),
      };

      t.tax_minor = t.gross_minor - t.net_minor;
      g_array_append_val (r->tax_rates, t);
    }
  return finish (db, stmt, rc, error);
}

static gboolean
sum_payments (RxDb           *db,
              RxDailyReport  *r,
              GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      RxMethodTotal t = { .method = methods[i] };

      g_array_append_val (r->payments, t);
    }

  stmt = prepare_day (db, "SELECT p.method, count(*), "
                          "  sum (CASE WHEN p.amount_minor > 0 THEN p.amount_minor ELSE 0 END), "
                          "  sum (CASE WHEN p.amount_minor < 0 THEN p.amount_minor ELSE 0 END) "
                          "FROM payments p JOIN invoices i ON i.id = p.invoice_id "
                          "WHERE " DAY_INVOICES "AND p.deleted = 0 "
                          "AND p.at >= ?3 AND p.at < ?4 GROUP BY p.method", r, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *method = (const char *) sqlite3_column_text (stmt, 0);

      for (guint i = 0; i < r->payments->len; i++)
        {
          RxMethodTotal *t = &g_array_index (r->payments, RxMethodTotal, i);

          if (g_strcmp0 (t->method, method) != 0)
            continue;
          t->count = sqlite3_column_int (stmt, 1);
          t->received_minor = sqlite3_column_int64 (stmt, 2);
          t->paid_back_minor = sqlite3_column_int64 (stmt, 3);
          t->net_minor = t->received_minor + t->paid_back_minor;
          r->payments_minor += t->net_minor;
          if (g_str_equal (method, "cash"))
            r->expected_cash_minor = t->net_minor;
        }
    }
  return finish (db, stmt, rc, error);
}

gboolean
rx_report_daily (RxDb           *db,
                 const char     *date,
                 GTimeZone      *tz,
                 const char     *till,
                 RxDailyReport  *out,
                 GError        **error)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);

  if (!_rx_db_require (db, RX_ACTION_BILLING, error))
    return FALSE;
  if (!rx_validate_text (till, "Till", 32, FALSE, error))
    return FALSE;

  zone = tz ? g_time_zone_ref (tz) : g_time_zone_new_local ();
  if (!day_bounds (db, date, zone, out, error))
    goto fail;

  out->till = till && *till ? g_strdup (till) : NULL;
  out->currency = rx_db_get_meta (db, "currency");
  if (out->currency == NULL || *out->currency == '\0')
    {
      g_free (out->currency);
      out->currency = g_strdup ("USD");
    }
  out->tax_rates = g_array_new (FALSE, TRUE, sizeof (RxTaxTotal));
  out->payments = g_array_new (FALSE, TRUE, sizeof (RxMethodTotal));

  if (!sum_documents (db, out, error) || !sum_tax_rates (db, out, error) ||
      !sum_payments (db, out, error))
    goto fail;

  detail = g_strdup_printf ("daily report %s%s%s", out->date, out->till ? " till " : "",
                            out->till ? out->till : "");
  if (!_rx_db_audit (db, "report", "invoices", NULL, detail, error))
    goto fail;

  return TRUE;

fail:
  rx_daily_report_clear (out);
  return FALSE;
}
