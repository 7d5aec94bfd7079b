/* rx-invoice-sale.c: a sale at the till in one go (its lines, the invoice issued and every
 * payment, all or nothing), and the tax rate a product sells at. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <stdlib.h>

#include "rx-core-error.h"
#include "rx-invoice-private.h"
#include "rx-records-private.h"

static int
default_tax_rate (RxDb *db)
{
  g_autofree char *text = rx_db_get_meta (db, "tax_rate_bp");
  gint64 rate = 0;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, 0, 10000, &rate, NULL))
    return 0;

  return (int) rate;
}

/**
 * rx_invoices_product_tax_rate:
 * @rate_bp: (out): the rate in basis points (2000 = 20 %)
 *
 * The rate a product sells at now: its own, or where it has none, the clinic's default
 * (meta "tax_rate_bp"), else 0. A line keeps the rate it was sold at.
 */
gboolean
rx_invoices_product_tax_rate (RxDb        *db,
                              const char  *product_id,
                              int         *rate_bp,
                              GError     **error)
{
  gint64 rate = -1;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (product_id != NULL, FALSE);
  g_return_val_if_fail (rate_bp != NULL, FALSE);

  if (!_rx_records_require (db, "products", product_id, "product", error) ||
      !_rx_records_query_int64 (db,
                                "SELECT coalesce (tax_rate_bp, -1) FROM products WHERE id = ?1",
                                product_id, NULL, &rate, error))
    return FALSE;

  *rate_bp = rate >= 0 ? (int) rate : default_tax_rate (db);
  return TRUE;
}

static gboolean
check_covered (RxInvoice  *inv,
               GError    **error)
{
  gint64 balance = rx_invoice_get_balance_minor (inv);
  g_autofree char *owed = NULL;

  if (balance == 0)
    return TRUE;

  owed = g_strdup_printf ("%" G_GINT64_FORMAT, balance);
  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
               "The payments leave %s minor units of invoice %" G_GINT64_FORMAT " unpaid; "
               "take the rest (or add a payment) before finishing the sale", owed,
               rx_invoice_get_number (inv));
  return FALSE;
}

/**
 * rx_invoices_checkout:
 * @invoice_id: (nullable): an open invoice to finish (e.g. what was dispensed for a
 *   patient), or %NULL for a new over-the-counter sale on @till
 * @till: the till a new invoice is numbered on; ignored when @invoice_id is given
 * @lines: (array length=n_lines): lines to add before issuing
 * @payments: (array length=n_payments): the payments, in the order taken; only cash may
 *   exceed what is still owed, and that only on the last payment
 * @change_due: (out) (optional): cash to hand back
 *
 * Adds the lines, issues the invoice and takes every payment in one transaction: either
 * the invoice ends up paid in full, or nothing at all is written.
 *
 * Returns: (transfer full): the paid invoice, or %NULL with @error set
 */
RxInvoice *
rx_invoices_checkout (RxDb                      *db,
                      const char                *invoice_id,
                      const char                *till,
                      const RxInvoiceLineFields *lines,
                      guint                      n_lines,
                      const RxPaymentFields     *payments,
                      guint                      n_payments,
                      gint64                    *change_due,
                      GError                   **error)
{
  g_autoptr(RxInvoice) opened = NULL;
  g_autoptr(RxInvoice) done = NULL;
  g_autofree char *id = NULL;
  gint64 change = 0;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (n_lines == 0 || lines != NULL, NULL);
  g_return_val_if_fail (n_payments == 0 || payments != NULL, NULL);

  if (change_due != NULL)
    *change_due = 0;

  if (!_rx_db_require (db, RX_ACTION_BILLING, error))
    return NULL;

  if (n_payments == 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "A sale needs at least one payment; say how the customer pays");
      return NULL;
    }

  if (!rx_db_begin (db, error))
    return NULL;

  if (invoice_id == NULL)
    {
      opened = rx_invoices_open (db, till, NULL, error);
      if (opened == NULL)
        goto fail;
      id = g_strdup (rx_invoice_get_id (opened));
    }
  else
    id = g_strdup (invoice_id);

  for (guint i = 0; i < n_lines; i++)
    {
      g_autofree char *line_id = rx_invoices_add_line (db, id, &lines[i], error);

      if (line_id == NULL)
        goto fail;
    }

  if (!rx_invoices_issue (db, id, error))
    goto fail;

  for (guint i = 0; i < n_payments; i++)
    {
      gint64 this_change = 0;

      if (change > 0)
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "The cash before the last payment already covers the invoice; "
                       "take cash last, so that the change is right");
          goto fail;
        }
      if (!rx_invoices_pay (db, id, payments[i].method, payments[i].amount_minor,
                            payments[i].reference, &this_change, error))
        goto fail;
      change += this_change;
    }

  done = _rx_invoice_load (db, id, TRUE, error);
  if (done == NULL || !check_covered (done, error) || !rx_db_commit (db, error))
    goto fail;

  if (change_due != NULL)
    *change_due = change;
  return g_steal_pointer (&done);

fail:
  rx_db_rollback (db);
  return NULL;
}

/**
 * rx_invoices_list_open:
 * @till: (nullable): one till of this site, or %NULL for every till
 *
 * The open invoices of this site that bill a patient and have something on them (what was
 * dispensed and waits to be paid for), oldest first, each with its lines. The read is
 * audited.
 *
 * Returns: (transfer full): a #GListModel of #RxInvoice
 */
GListModel *
rx_invoices_list_open (RxDb        *db,
                       const char  *till,
                       GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_INVOICE);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (!_rx_db_require (db, RX_ACTION_BILLING, error))
    return NULL;

  stmt = _rx_db_prepare (db,
                         "SELECT i.id FROM invoices i WHERE i.deleted = 0 AND "
                         "i.status = 'open' AND i.kind = 'invoice' AND "
                         "i.patient_id IS NOT NULL AND i.site_id = ?1 AND "
                         "(?2 IS NULL OR i.till = ?2) AND EXISTS (SELECT 1 FROM "
                         "invoice_lines l WHERE l.invoice_id = i.id AND l.deleted = 0) "
                         "ORDER BY i.created_at, i.rowid", error);
  if (stmt == NULL)
    return NULL;

  _rx_stmt_bind_text (stmt, 1, rx_db_get_site_id (db));
  _rx_stmt_bind_text (stmt, 2, till);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, _rx_stmt_dup_text (stmt, 0));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Listing open invoices", error);
      return NULL;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RxInvoice) inv = _rx_invoice_load (db, ids->pdata[i], TRUE, error);

      if (inv == NULL)
        return NULL;
      g_list_store_append (store, inv);
    }

  detail = g_strdup_printf ("%u open", ids->len);
  if (!_rx_db_audit (db, "list", "invoices", NULL, detail, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&store));
}
