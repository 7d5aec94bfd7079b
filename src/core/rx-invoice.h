/* rx-invoice.h: invoices, their lines and payments, and credit notes.
 *
 * Money is integer minor units (cents, pence) in a gint64, never floating point. Invoices are
 * numbered without gaps per (site, till). Issuing an invoice fixes it for good and links it
 * into a hash chain per till, so that a later change to an issued invoice is detectable; a
 * mistake on a paid invoice is corrected by refunding it, which issues a credit note. */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"

G_BEGIN_DECLS

#define RX_TYPE_INVOICE (rx_invoice_get_type ())
G_DECLARE_FINAL_TYPE (RxInvoice, rx_invoice, RX, INVOICE, GObject)

#define RX_TYPE_INVOICE_LINE (rx_invoice_line_get_type ())
#define RX_TYPE_PAYMENT      (rx_payment_get_type ())

typedef struct _RxInvoiceLine RxInvoiceLine;
typedef struct _RxPayment     RxPayment;

struct _RxInvoiceLine
{
  char   *id;
  int     position;          /* 1, 2, ... in the order the lines were added */
  char   *product_id;        /* NULL for a service (a consultation, a delivery fee) */
  char   *description;
  gint64  quantity;          /* negative only on a credit note */
  gint64  unit_price_minor;
  gint64  discount_minor;    /* off the line's value, before tax */
  int     tax_rate_bp;       /* basis points: 2000 = 20 % */
  gint64  tax_minor;         /* computed from the fields above; not stored */
  gint64  total_minor;       /* net + tax */
  char   *reference_kind;    /* e.g. "prescription_item", "order"; may be NULL */
  char   *reference_id;
};

struct _RxPayment
{
  char   *id;
  char   *method;            /* cash, card or insurance */
  gint64  amount_minor;      /* negative for money paid back by a refund */
  char   *reference;         /* card slip or insurance claim reference; may be NULL */
  char   *at;
};

GType          rx_invoice_line_get_type  (void) G_GNUC_CONST;
RxInvoiceLine *rx_invoice_line_copy      (const RxInvoiceLine *line);
void           rx_invoice_line_free      (RxInvoiceLine       *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxInvoiceLine, rx_invoice_line_free)

GType          rx_payment_get_type       (void) G_GNUC_CONST;
RxPayment     *rx_payment_copy           (const RxPayment     *payment);
void           rx_payment_free           (RxPayment           *payment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxPayment, rx_payment_free)

/* What a caller gives for a new line. */
typedef struct
{
  const char *product_id;        /* optional: a products.id */
  const char *description;       /* required, up to 200 characters */
  gint64      quantity;          /* 1 .. 100000 */
  gint64      unit_price_minor;  /* 0 .. 10^10 */
  gint64      discount_minor;    /* 0 .. quantity * unit price */
  int         tax_rate_bp;       /* 0 .. 10000 */
  const char *reference_kind;    /* optional, what the line bills for */
  const char *reference_id;
} RxInvoiceLineFields;

/* One payment of a sale taken at the till (rx_invoices_checkout()). */
typedef struct
{
  const char *method;            /* cash, card or insurance */
  gint64      amount_minor;      /* for cash, what is handed over: the rest is change */
  const char *reference;         /* card slip; the claim reference, required for insurance */
} RxPaymentFields;

const char  *rx_invoice_get_id            (RxInvoice *self);
gint64       rx_invoice_get_number        (RxInvoice *self);
const char  *rx_invoice_get_till          (RxInvoice *self);
const char  *rx_invoice_get_kind          (RxInvoice *self);
const char  *rx_invoice_get_status        (RxInvoice *self);
const char  *rx_invoice_get_currency      (RxInvoice *self);
gint64       rx_invoice_get_total_minor   (RxInvoice *self);
gint64       rx_invoice_get_tax_minor     (RxInvoice *self);
gint64       rx_invoice_get_paid_minor    (RxInvoice *self);
gint64       rx_invoice_get_balance_minor (RxInvoice *self);
const char  *rx_invoice_get_patient_id    (RxInvoice *self);
const char  *rx_invoice_get_refers_to_id  (RxInvoice *self);
const char  *rx_invoice_get_hash         (RxInvoice *self);
const char  *rx_invoice_get_prev_hash     (RxInvoice *self);
const char  *rx_invoice_get_created_at    (RxInvoice *self);
const char  *rx_invoice_get_issued_at     (RxInvoice *self);
GPtrArray   *rx_invoice_get_lines         (RxInvoice *self);
GPtrArray   *rx_invoice_get_payments      (RxInvoice *self);

gint64       rx_invoice_compute_tax       (gint64     net_minor,
                                           int        tax_rate_bp);

RxInvoice   *rx_invoices_open             (RxDb                      *db,
                                           const char                *till,
                                           const char                *patient_id,
                                           GError                   **error);
char        *rx_invoices_add_line         (RxDb                      *db,
                                           const char                *invoice_id,
                                           const RxInvoiceLineFields *fields,
                                           GError                   **error);
gboolean     rx_invoices_issue            (RxDb                      *db,
                                           const char                *invoice_id,
                                           GError                   **error);
gboolean     rx_invoices_pay              (RxDb                      *db,
                                           const char                *invoice_id,
                                           const char                *method,
                                           gint64                     amount_minor,
                                           const char                *reference,
                                           gint64                    *change_due,
                                           GError                   **error);
RxInvoice   *rx_invoices_refund           (RxDb                      *db,
                                           const char                *invoice_id,
                                           GError                   **error);
RxInvoice   *rx_invoices_refund_with_reason (RxDb                    *db,
                                           const char                *invoice_id,
                                           const char                *reason,
                                           GError                   **error);
RxInvoice   *rx_invoices_refund_partial   (RxDb                      *db,
                                           const char                *invoice_id,
                                           const char                *reason,
                                           const gint64              *quantities,
                                           guint                      n_quantities,
                                           GError                   **error);
GArray      *rx_invoices_dup_refundable   (RxDb                      *db,
                                           RxInvoice                 *invoice,
                                           GError                   **error);
gboolean     rx_invoices_product_tax_rate (RxDb                      *db,
                                           const char                *product_id,
                                           int                       *rate_bp,
                                           GError                   **error);
RxInvoice   *rx_invoices_checkout         (RxDb                      *db,
                                           const char                *invoice_id,
                                           const char                *till,
                                           const RxInvoiceLineFields *lines,
                                           guint                      n_lines,
                                           const RxPaymentFields     *payments,
                                           guint                      n_payments,
                                           gint64                    *change_due,
                                           GError                   **error);
GListModel  *rx_invoices_list_open        (RxDb                      *db,
                                           const char                *till,
                                           GError                   **error);
RxInvoice   *rx_invoices_get              (RxDb                      *db,
                                           const char                *invoice_id,
                                           GError                   **error);
GListModel  *rx_invoices_list             (RxDb                      *db,
                                           const char                *since_iso,
                                           guint                      limit,
                                           GError                   **error);
gboolean     rx_invoices_verify_chain     (RxDb                      *db,
                                           const char                *till,
                                           char                     **bad_invoice_id,
                                           GError                   **error);

G_END_DECLS
