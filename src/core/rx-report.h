/* rx-report.h: the daily closing (Z) report of a site's tills, from the invoice and payment
 * ledgers of one local day. */
#pragma once

#include <glib.h>

#include "rx-types.h"

G_BEGIN_DECLS

/* The day's lines at one tax rate, invoices and credit notes together. */
typedef struct
{
  int     rate_bp;       /* basis points: 2000 = 20 % */
  gint64  net_minor;
  gint64  tax_minor;
  gint64  gross_minor;
} RxTaxTotal;

/* The day's payments by one method. */
typedef struct
{
  const char *method;           /* cash, card or insurance */
  guint       count;
  gint64      received_minor;   /* payments taken */
  gint64      paid_back_minor;  /* refunds paid back, ≤ 0 */
  gint64      net_minor;
} RxMethodTotal;

typedef struct
{
  char   *date;                 /* the local day, YYYY-MM-DD */
  char   *from;                 /* its start in UTC, inclusive */
  char   *until;                /* its end in UTC, exclusive */
  char   *till;                 /* NULL: every till of this site */
  char   *currency;

  guint   invoices;             /* issued that day */
  gint64  sales_gross_minor;    /* their totals */
  gint64  sales_tax_minor;
  gint64  sales_net_minor;
  gint64  discount_minor;       /* given on their lines */
  guint   credit_notes;         /* issued that day */
  gint64  refunds_gross_minor;  /* their totals, ≤ 0 */
  gint64  refunds_tax_minor;
  gint64  total_gross_minor;    /* sales and refunds together */
  gint64  total_tax_minor;
  GArray *tax_rates;            /* of RxTaxTotal, lowest rate first */

  GArray *payments;             /* of RxMethodTotal: cash, card, insurance */
  gint64  payments_minor;       /* every method, net of refunds */
  gint64  expected_cash_minor;  /* cash taken less cash paid back: add the float */
  gint64  outstanding_minor;    /* still owed on the day's invoices */
  guint   open_invoices;        /* opened that day and not issued: in no total above */
  gint64  open_minor;
} RxDailyReport;

void      rx_daily_report_clear  (RxDailyReport  *report);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RxDailyReport, rx_daily_report_clear)

/* Fills `out` for the local day `date` (YYYY-MM-DD; NULL: today on the database clock) in
 * `tz` (NULL: the workstation's time zone), for one till or (NULL) every till of this site.
 * Invoices and credit notes count on the day they were issued, payments on the day they
 * were taken. The read is audited. */
gboolean  rx_report_daily        (RxDb           *db,
                                  const char     *date,
                                  GTimeZone      *tz,
                                  const char     *till,
                                  RxDailyReport  *out,
                                  GError        **error);

G_END_DECLS
