/* rx-invoice-refund.c: refunding part of a paid invoice: some of its lines, or fewer than
 * were sold of them, on a credit note that refers to it. Several such credit notes may
 * follow one another until everything sold has come back; the invoice itself never
 * changes. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-invoice-private.h"
#include "rx-records-private.h"
#include "rx-validate.h"

/* What earlier credit notes took back of one line of the original (by its position). */
typedef struct
{
  gint64 quantity;
  gint64 discount_minor;
} Returned;

static gboolean
read_returned (RxDb        *db,
               RxInvoice   *inv,
               Returned    *returned,
               GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_db_prepare (db,
                         "SELECT l.position, -sum (l.quantity), sum (l.discount_minor) "
                         "FROM invoice_lines l JOIN invoices c ON c.id = l.invoice_id "
                         "WHERE c.refers_to_id = ?1 AND c.deleted = 0 AND l.deleted = 0 "
                         "GROUP BY l.position", error);
  if (stmt == NULL)
    return FALSE;

  _rx_stmt_bind_text (stmt, 1, inv->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 position = sqlite3_column_int64 (stmt, 0);

      for (guint i = 0; i < inv->lines->len; i++)
        if (((RxInvoiceLine *) inv->lines->pdata[i])->position == position)
          {
            returned[i].quantity = sqlite3_column_int64 (stmt, 1);
            returned[i].discount_minor = sqlite3_column_int64 (stmt, 2);
          }
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Reading earlier refunds", error);
      return FALSE;
    }

  return TRUE;
}

/**
 * rx_invoices_dup_refundable:
 * @invoice: an invoice read with its lines (rx_invoices_get())
 *
 * How many of each line of @invoice may still be refunded: what was sold less what credit
 * notes already took back.
 *
 * Returns: (transfer full) (element-type gint64): one count per line, in line order
 */
GArray *
rx_invoices_dup_refundable (RxDb        *db,
                            RxInvoice   *invoice,
                            GError     **error)
{
  g_autofree Returned *returned = NULL;
  GArray *left;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (RX_IS_INVOICE (invoice), NULL);

  returned = g_new0 (Returned, invoice->lines->len + 1);
  if (!read_returned (db, invoice, returned, error))
    return NULL;

  left = g_array_sized_new (FALSE, TRUE, sizeof (gint64), invoice->lines->len);
  for (guint i = 0; i < invoice->lines->len; i++)
    {
      const RxInvoiceLine *l = invoice->lines->pdata[i];
      gint64 n = g_str_equal (invoice->kind, "invoice") ? l->quantity - returned[i].quantity
                                                         : 0;

      g_array_append_val (left, n);
    }

  return left;
}

static gboolean
put_payment_back (RxDb        *db,
                  const char  *note_id,
                  const char  *method,
                  gint64       amount,
                  const char  *reference,
                  GError     **error)
{
  g_autoptr(RxRow) row = _rx_row_new_insert ("payments");
  g_autofree char *now = rx_db_now_iso (db);

  _rx_row_set_text (row, "invoice_id", note_id);
  _rx_row_set_text (row, "method", method);
  _rx_row_set_int (row, "amount_minor", -amount);
  _rx_row_set_text (row, "reference", reference);
  _rx_row_set_text (row, "at", now);

  return _rx_db_put (db, row, error);
}

/* The money goes back the way it came, the last payment first, none beyond what it was
 * less what earlier refunds already paid back by that method. */
static gboolean
pay_back (RxDb        *db,
          RxInvoice   *inv,
          const char  *note_id,
          gint64       owed,
          GError     **error)
{
  g_autoptr(GHashTable) back = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_db_prepare (db,
                         "SELECT p.method, -sum (p.amount_minor) FROM payments p JOIN "
                         "invoices c ON c.id = p.invoice_id WHERE c.refers_to_id = ?1 AND "
                         "c.deleted = 0 AND p.deleted = 0 GROUP BY p.method", error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, inv->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (back, _rx_stmt_dup_text (stmt, 0),
                         GSIZE_TO_POINTER ((gsize) sqlite3_column_int64 (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Reading earlier refunds", error);
      return FALSE;
    }

  /* each method once, from the one paid last: what it gave, less what went back by it */
  for (guint i = inv->payments->len; i > 0 && owed > 0; i--)
    {
      const RxPayment *p = inv->payments->pdata[i - 1];
      gint64 given = 0, available, amount;
      gboolean later = FALSE;

      for (guint j = i; j < inv->payments->len; j++)
        later |= g_str_equal (((RxPayment *) inv->payments->pdata[j])->method, p->method);
      if (later)
        continue;
      for (guint j = 0; j < inv->payments->len; j++)
        if (g_str_equal (((RxPayment *) inv->payments->pdata[j])->method, p->method))
          given += ((RxPayment *) inv->payments->pdata[j])->amount_minor;

      available = given - (gint64) GPOINTER_TO_SIZE (g_hash_table_lookup (back, p->method));
      amount = MIN (available, owed);
      if (amount <= 0)
        continue;
      if (!put_payment_back (db, note_id, p->method, amount, p->reference, error))
        return FALSE;
      owed -= amount;
    }

  if (owed > 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Invoice %" G_GINT64_FORMAT " has too little left paid to give back; "
                   "check its earlier credit notes", inv->number);
      return FALSE;
    }

  return TRUE;
}

/**
 * rx_invoices_refund_partial:
 * @reason: why, kept in the audit trail
 * @quantities: (array length=n_quantities): how many of each line to take back, in line
 *   order; 0 leaves a line alone
 *
 * Refunds part of a paid invoice on a credit note that refers to it. A line's discount
 * comes back in proportion (rounded down, the rest with its last unit), its tax is worked
 * out on what comes back, and the money is paid back the way it was paid, the last payment
 * first. More than was sold, less what earlier credit notes took back, is refused.
 *
 * Returns: (transfer full): the credit note, or %NULL with @error set
 */
RxInvoice *
rx_invoices_refund_partial (RxDb          *db,
                            const char    *invoice_id,
                            const char    *reason,
                            const gint64  *quantities,
                            guint          n_quantities,
                            GError       **error)
{
  g_autoptr(RxInvoice) inv = NULL;
  g_autoptr(RxInvoice) note = NULL;
  g_autoptr(RxRow) header = NULL;
  g_autofree Returned *returned = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *note_id = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *now = NULL;
  gint64 number = 0, total = 0, tax_total = 0, any = 0;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (n_quantities == 0 || quantities != NULL, NULL);

  if (!_rx_db_require (db, RX_ACTION_BILLING, error))
    return NULL;

  clean = g_strstrip (g_strdup (reason ? reason : ""));
  if (!rx_validate_text (clean, "The reason for the refund", 200, TRUE, error))
    return NULL;
  for (guint i = 0; i < n_quantities; i++)
    {
      if (quantities[i] < 0)
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "A quantity to refund cannot be negative");
          return NULL;
        }
      any += quantities[i];
    }
  if (any == 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Nothing is chosen to refund; give how many of an item come back");
      return NULL;
    }

  if (!rx_db_begin (db, error))
    return NULL;

  inv = _rx_invoice_load (db, invoice_id, TRUE, error);
  if (inv == NULL)
    goto fail;
  if (!g_str_equal (inv->kind, "invoice") || !g_str_equal (inv->status, "paid"))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
                   "Number %" G_GINT64_FORMAT " of till “%s” is not a paid invoice; only a "
                   "paid invoice can be refunded", inv->number, inv->till);
      goto fail;
    }
  if (n_quantities != inv->lines->len)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Invoice %" G_GINT64_FORMAT " has %u lines, not %u; read it again",
                   inv->number, inv->lines->len, n_quantities);
      goto fail;
    }

  returned = g_new0 (Returned, inv->lines->len + 1);
  if (!read_returned (db, inv, returned, error) ||
      !_rx_invoice_next_number (db, inv->site_id, inv->till, &number, error))
    goto fail;

  now = rx_db_now_iso (db);
  header = _rx_row_new_insert ("invoices");
  _rx_row_set_text (header, "site_id", inv->site_id);
  _rx_row_set_text (header, "till", inv->till);
  _rx_row_set_int (header, "number", number);
  _rx_row_set_text (header, "kind", "credit_note");
  _rx_row_set_text (header, "refers_to_id", inv->id);
  _rx_row_set_text (header, "patient_id", inv->patient_id);
  _rx_row_set_text (header, "status", "open");
  _rx_row_set_text (header, "currency", inv->currency);
  _rx_row_set_int (header, "total_minor", 0);
  _rx_row_set_int (header, "tax_minor", 0);
  _rx_row_set_text (header, "created_at", now);
  if (!_rx_db_put (db, header, error))
    goto fail;
  note_id = g_strdup (_rx_row_get_id (header));

  for (guint i = 0; i < inv->lines->len; i++)
    {
      const RxInvoiceLine *l = inv->lines->pdata[i];
      g_autoptr(RxRow) row = NULL;
      gint64 q = quantities[i], left = l->quantity - returned[i].quantity;
      gint64 discount, net, tax;

      if (q == 0)
        continue;
      if (q > left)
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "Only %" G_GINT64_FORMAT " of “%s” can still be refunded on invoice %"
                       G_GINT64_FORMAT, MAX (left, 0), l->description, inv->number);
          goto fail;
        }

      discount = q == left ? l->discount_minor - returned[i].discount_minor
                           : l->discount_minor * q / l->quantity;
      net = q * l->unit_price_minor - discount;
      tax = rx_invoice_compute_tax (net, l->tax_rate_bp);

      row = _rx_row_new_insert ("invoice_lines");
      _rx_row_set_text (row, "invoice_id", note_id);
      _rx_row_set_int (row, "position", l->position);
      _rx_row_set_text (row, "product_id", l->product_id);
      _rx_row_set_text (row, "description", l->description);
      _rx_row_set_int (row, "quantity", -q);
      _rx_row_set_int (row, "unit_price_minor", l->unit_price_minor);
      _rx_row_set_int (row, "discount_minor", discount);
      _rx_row_set_int (row, "tax_rate_bp", l->tax_rate_bp);
      _rx_row_set_int (row, "total_minor", -(net + tax));
      _rx_row_set_text (row, "reference_kind", l->reference_kind);
      _rx_row_set_text (row, "reference_id", l->reference_id);
      if (!_rx_db_put (db, row, error))
        goto fail;
      total += net + tax;
      tax_total += tax;
    }

  {
    g_autoptr(RxRow) totals = _rx_row_new_update ("invoices", note_id);

    _rx_row_set_int (totals, "total_minor", -total);
    _rx_row_set_int (totals, "tax_minor", -tax_total);
    if (!_rx_db_put (db, totals, error) || !pay_back (db, inv, note_id, total, error))
      goto fail;
  }

  note = _rx_invoice_load (db, note_id, TRUE, error);
  if (note == NULL || !_rx_invoice_seal (db, note, TRUE, error))
    goto fail;

  detail = g_strdup_printf ("credit note %s number %" G_GINT64_FORMAT ", part: %s", note->id,
                            note->number, clean);
  if (!_rx_db_audit (db, "refund", "invoices", inv->id, detail, error) ||
      !_rx_db_audit (db, "issue", "invoices", note->id, inv->id, error) ||
      !rx_db_commit (db, error))
    goto fail;

  g_clear_object (&note);
  return _rx_invoice_load (db, note_id, TRUE, error);

fail:
  rx_db_rollback (db);
  return NULL;
}
