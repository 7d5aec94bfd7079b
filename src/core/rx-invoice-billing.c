/* rx-invoice-billing.c: opening invoices, adding lines and issuing them. Each is one
 * transaction with its audit event; an issued invoice never changes. Payments and refunds
 * are in rx-invoice-payment.c. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-invoice-private.h"
#include "rx-records-private.h"
#include "rx-validate.h"

#define MAX_QUANTITY    G_GINT64_CONSTANT (100000)
#define MAX_UNIT_PRICE  G_GINT64_CONSTANT (10000000000)
#define MAX_LINES       500

/* The next number of (site, till): numbers run 1, 2, 3... without gaps per till. */
gboolean
_rx_invoice_next_number (RxDb        *db,
                         const char  *site_id,
                         const char  *till,
                         gint64      *number,
                         GError     **error)
{
  /* inside the caller's write transaction, so no other writer can take the same number */
  return _rx_records_query_int64 (db,
                                  "SELECT coalesce (max (number), 0) + 1 FROM invoices "
                                  "WHERE site_id = ?1 AND till = ?2", site_id, till, number,
                                  error);
}

static gboolean
require_open (RxInvoice  *inv,
              GError    **error)
{
  if (g_strcmp0 (inv->status, "open") == 0)
    return TRUE;

  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
               "Invoice %" G_GINT64_FORMAT " of till “%s” is %s and can no longer change; "
               "refund it with a credit note and make a new invoice",
               inv->number, inv->till, inv->status);
  return FALSE;
}

/**
 * rx_invoices_open:
 * @till: the till (cash desk) the invoice is numbered on, e.g. "front"
 * @patient_id: (nullable): who is billed, or %NULL for an over-the-counter sale
 *
 * Opens an empty invoice with the next number of this site's @till: numbers run 1, 2, 3...
 * without gaps per till. The currency is the clinic's `currency` setting, else USD.
 *
 * Returns: (transfer full): the open invoice, or %NULL with @error set
 */
RxInvoice *
rx_invoices_open (RxDb        *db,
                  const char  *till,
                  const char  *patient_id,
                  GError     **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autofree char *clean_till = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *now = NULL;
  g_autofree char *id = NULL;
  g_autofree char *detail = NULL;
  const char *site_id;
  gint64 number = 0;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (!_rx_db_require (db, RX_ACTION_BILLING, error))
    return NULL;

  clean_till = g_strstrip (g_strdup (till ? till : ""));
  if (!rx_validate_text (clean_till, "Till", 32, TRUE, error))
    return NULL;

  site_id = rx_db_get_site_id (db);
  if (site_id == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED,
                   "This workstation belongs to no site, so it cannot number invoices; "
                   "enrol it with the clinic first");
      return NULL;
    }

  if (patient_id != NULL && !_rx_records_require (db, "patients", patient_id, "patient", error))
    return NULL;

  currency = rx_db_get_meta (db, "currency");
  if (currency == NULL || *currency == '\0')
    {
      g_free (currency);
      currency = g_strdup ("USD");
    }
  now = rx_db_now_iso (db);

  if (!rx_db_begin (db, error))
    return NULL;

  if (!_rx_invoice_next_number (db, site_id, clean_till, &number, error))
    goto fail;

  row = _rx_row_new_insert ("invoices");
  _rx_row_set_text (row, "site_id", site_id);
  _rx_row_set_text (row, "till", clean_till);
  _rx_row_set_int (row, "number", number);
  _rx_row_set_text (row, "kind", "invoice");
  _rx_row_set_text (row, "patient_id", patient_id);
  _rx_row_set_text (row, "status", "open");
  _rx_row_set_text (row, "currency", currency);
  _rx_row_set_int (row, "total_minor", 0);
  _rx_row_set_int (row, "tax_minor", 0);
  _rx_row_set_text (row, "created_at", now);

  detail = g_strdup_printf ("till %s number %" G_GINT64_FORMAT, clean_till, number);
  if (!_rx_db_put (db, row, error))
    goto fail;
  id = g_strdup (_rx_row_get_id (row));

  if (!_rx_db_audit (db, "create", "invoices", id, detail, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return _rx_invoice_load (db, id, TRUE, error);

fail:
  rx_db_rollback (db);
  return NULL;
}

static gboolean
validate_line (RxDb                      *db,
               const RxInvoiceLineFields *f,
               GError                   **error)
{
  g_autofree char *description = _rx_records_dup_optional (f->description);

  if (!rx_validate_text (description, "Line description", 200, TRUE, error) ||
      !rx_validate_text (f->reference_kind, "Line reference kind", 40, FALSE, error) ||
      !rx_validate_text (f->reference_id, "Line reference", 64, FALSE, error))
    return FALSE;

  if (f->quantity == 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The quantity of “%s” is 0; enter how many are sold", f->description);
      return FALSE;
    }
  if (f->quantity < 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The quantity of “%s” is negative; to take something back, refund the "
                   "invoice it was sold on", f->description);
      return FALSE;
    }
  if (f->quantity > MAX_QUANTITY)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The quantity of “%s” is more than %" G_GINT64_FORMAT "; check it",
                   f->description, MAX_QUANTITY);
      return FALSE;
    }
  if (f->unit_price_minor < 0 || f->unit_price_minor > MAX_UNIT_PRICE)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The unit price of “%s” must be between 0 and %" G_GINT64_FORMAT
                   " minor units; a reduction is entered as a discount", f->description,
                   MAX_UNIT_PRICE);
      return FALSE;
    }
  if (f->discount_minor < 0 || f->discount_minor > f->quantity * f->unit_price_minor)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The discount on “%s” must be between 0 and the line's value (%"
                   G_GINT64_FORMAT " minor units)", f->description,
                   f->quantity * f->unit_price_minor);
      return FALSE;
    }
  if (f->tax_rate_bp < 0 || f->tax_rate_bp > 10000)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The tax rate of “%s” is %d basis points; it must be between 0 and 10000 "
                   "(2000 is 20 %%)", f->description, f->tax_rate_bp);
      return FALSE;
    }
  if (f->reference_id != NULL && *f->reference_id != '\0' &&
      (f->reference_kind == NULL || *f->reference_kind == '\0'))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The line “%s” has a reference but no reference kind; say what it refers "
                   "to, e.g. “prescription_item”", f->description);
      return FALSE;
    }
  if (f->product_id != NULL &&
      !_rx_records_require (db, "products", f->product_id, "product", error))
    return FALSE;

  return TRUE;
}

/**
 * rx_invoices_add_line:
 *
 * Adds a line to an open invoice. The line's net value is quantity × unit price − discount;
 * its tax is that net at the line's rate, rounded half away from zero to the minor unit
 * (rx_invoice_compute_tax()); its total is net + tax. The invoice's total and tax grow by the
 * line's in the same transaction.
 *
 * Returns: (transfer full): the new line's id, or %NULL with @error set
 */
char *
rx_invoices_add_line (RxDb                      *db,
                      const char                *invoice_id,
                      const RxInvoiceLineFields *f,
                      GError                   **error)
{
  g_autoptr(RxInvoice) inv = NULL;
  g_autoptr(RxRow) line = NULL;
  g_autoptr(RxRow) header = NULL;
  g_autofree char *description = NULL;
  g_autofree char *reference_kind = NULL;
  g_autofree char *reference_id = NULL;
  g_autofree char *line_id = NULL;
  g_autofree char *detail = NULL;
  gint64 position = 0;
  gint64 net, tax;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (f != NULL, NULL);

  if (!_rx_db_require (db, RX_ACTION_BILLING, error))
    return NULL;

  if (!validate_line (db, f, error))
    return NULL;

  description = g_strstrip (g_strdup (f->description));
  reference_kind = _rx_records_dup_optional (f->reference_kind);
  reference_id = _rx_records_dup_optional (f->reference_id);
  net = _rx_invoice_line_net (f->quantity, f->unit_price_minor, f->discount_minor);
  tax = rx_invoice_compute_tax (net, f->tax_rate_bp);

  if (!rx_db_begin (db, error))
    return NULL;

  inv = _rx_invoice_load (db, invoice_id, FALSE, error);
  if (inv == NULL || !require_open (inv, error))
    goto fail;

  if (!_rx_records_query_int64 (db,
                                "SELECT coalesce (max (position), 0) + 1 FROM invoice_lines "
                                "WHERE invoice_id = ?1", inv->id, NULL, &position, error))
    goto fail;
  if (position > MAX_LINES)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Invoice %" G_GINT64_FORMAT " already has %d lines, the most one invoice "
                   "holds; issue it and open another", inv->number, MAX_LINES);
      goto fail;
    }

  line = _rx_row_new_insert ("invoice_lines");
  _rx_row_set_text (line, "invoice_id", inv->id);
  _rx_row_set_int (line, "position", position);
  _rx_row_set_text (line, "product_id", f->product_id);
  _rx_row_set_text (line, "description", description);
  _rx_row_set_int (line, "quantity", f->quantity);
  _rx_row_set_int (line, "unit_price_minor", f->unit_price_minor);
  _rx_row_set_int (line, "discount_minor", f->discount_minor);
  _rx_row_set_int (line, "tax_rate_bp", f->tax_rate_bp);
  _rx_row_set_int (line, "total_minor", net + tax);
  _rx_row_set_text (line, "reference_kind", reference_kind);
  _rx_row_set_text (line, "reference_id", reference_id);

  header = _rx_row_new_update ("invoices", inv->id);
  _rx_row_set_int (header, "total_minor", inv->total_minor + net + tax);
  _rx_row_set_int (header, "tax_minor", inv->tax_minor + tax);

  if (!_rx_db_put (db, line, error) || !_rx_db_put (db, header, error))
    goto fail;
  line_id = g_strdup (_rx_row_get_id (line));

  detail = g_strdup_printf ("line %" G_GINT64_FORMAT " %s", position, line_id);
  if (!_rx_db_audit (db, "add_line", "invoices", inv->id, detail, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return g_steal_pointer (&line_id);

fail:
  rx_db_rollback (db);
  return NULL;
}

/**
 * rx_invoices_issue:
 *
 * Issues an open invoice: from now on it never changes. It is linked into its till's hash
 * chain (see rx_invoices_verify_chain()).
 */
gboolean
rx_invoices_issue (RxDb        *db,
                   const char  *invoice_id,
                   GError     **error)
{
  g_autoptr(RxInvoice) inv = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (!_rx_db_require (db, RX_ACTION_BILLING, error))
    return FALSE;

  if (!rx_db_begin (db, error))
    return FALSE;

  inv = _rx_invoice_load (db, invoice_id, TRUE, error);
  if (inv == NULL || !require_open (inv, error))
    goto fail;

  if (inv->lines->len == 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Invoice %" G_GINT64_FORMAT " of till “%s” has no lines; add what is sold "
                   "before issuing it", inv->number, inv->till);
      goto fail;
    }

  if (!_rx_invoice_seal (db, inv, FALSE, error) ||
      !_rx_db_audit (db, "issue", "invoices", inv->id, NULL, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return TRUE;

fail:
  rx_db_rollback (db);
  return FALSE;
}
