/* rx-invoice-payment.c: taking payment on issued invoices and refunding paid ones with a
 * credit note. Money only ever moves by new rows: nothing is edited or deleted. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-invoice-private.h"
#include "rx-records-private.h"
#include "rx-validate.h"

static const char * const methods[] = { "cash", "card", "insurance", NULL };

/* Amounts in messages as people read them: 1250 USD minor units is “12.50 USD”. */
static char *
format_money (gint64      minor,
              const char *currency)
{
  static const char * const no_decimals[] = { "CLP", "ISK", "JPY", "KRW", "RWF", "UGX",
                                              "VND", "XAF", "XOF", NULL };
  static const char * const three_decimals[] = { "BHD", "IQD", "JOD", "KWD", "LYD", "OMR",
                                                 "TND", NULL };
  const char *sign = minor < 0 ? "-" : "";
  guint64 magnitude = minor < 0 ? -(guint64) minor : (guint64) minor;

  if (g_strv_contains (no_decimals, currency))
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT " %s", sign, magnitude, currency);
  if (g_strv_contains (three_decimals, currency))
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%03u %s", sign, magnitude / 1000,
                            (guint) (magnitude % 1000), currency);

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u %s", sign, magnitude / 100,
                          (guint) (magnitude % 100), currency);
}

static gboolean
put_payment (RxDb        *db,
             const char  *invoice_id,
             const char  *method,
             gint64       amount,
             const char  *reference,
             GError     **error)
{
  g_autoptr(RxRow) row = _rx_row_new_insert ("payments");
  g_autofree char *now = rx_db_now_iso (db);

  _rx_row_set_text (row, "invoice_id", invoice_id);
  _rx_row_set_text (row, "method", method);
  _rx_row_set_int (row, "amount_minor", amount);
  _rx_row_set_text (row, "reference", reference);
  _rx_row_set_text (row, "at", now);

  return _rx_db_put (db, row, error);
}

static gboolean
validate_payment (const char  *method,
                  gint64       amount_minor,
                  const char  *reference,
                  GError     **error)
{
  if (!rx_validate_one_of (method, "Payment method", methods, error))
    return FALSE;

  if (amount_minor <= 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "A payment must be more than 0; money paid back is a refund");
      return FALSE;
    }

  if (g_str_equal (method, "insurance") &&
      !rx_validate_text (reference, "The insurance claim reference", 64, TRUE, error))
    return FALSE;

  return rx_validate_text (reference, "Payment reference", 64, FALSE, error);
}

/**
 * rx_invoices_pay:
 * @method: cash, card or insurance
 * @amount_minor: what the customer hands over (cash) or what is charged (card, insurance)
 * @reference: (nullable): card slip number; the claim reference, required for insurance
 * @change_due: (out) (optional): cash to hand back; 0 for card and insurance
 *
 * Takes a payment on an issued invoice. Cash above the balance is accepted and only the
 * balance is recorded; card and insurance may not exceed the balance. Once the payments add
 * up to the total the invoice is paid.
 */
gboolean
rx_invoices_pay (RxDb        *db,
                 const char  *invoice_id,
                 const char  *method,
                 gint64       amount_minor,
                 const char  *reference,
                 gint64      *change_due,
                 GError     **error)
{
  g_autoptr(RxInvoice) inv = NULL;
  g_autoptr(RxRow) header = NULL;
  g_autofree char *clean_reference = NULL;
  g_autofree char *detail = NULL;
  gint64 balance, recorded, change = 0;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (!_rx_db_require (db, RX_ACTION_BILLING, error))
    return FALSE;

  if (change_due != NULL)
    *change_due = 0;

  clean_reference = _rx_records_dup_optional (reference);
  if (!validate_payment (method, amount_minor, clean_reference, error))
    return FALSE;

  if (!rx_db_begin (db, error))
    return FALSE;

  inv = _rx_invoice_load (db, invoice_id, FALSE, error);
  if (inv == NULL)
    goto fail;

  if (g_str_equal (inv->status, "open"))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
                   "Invoice %" G_GINT64_FORMAT " of till “%s” is still open; issue it before "
                   "taking payment", inv->number, inv->till);
      goto fail;
    }
  if (!g_str_equal (inv->kind, "invoice") || !g_str_equal (inv->status, "issued"))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
                   "Number %" G_GINT64_FORMAT " of till “%s” is already settled; there is "
                   "nothing left to pay", inv->number, inv->till);
      goto fail;
    }

  balance = inv->total_minor - inv->paid_minor;
  recorded = amount_minor;
  if (amount_minor > balance)
    {
      g_autofree char *offered = format_money (amount_minor, inv->currency);
      g_autofree char *owed = format_money (balance, inv->currency);

      if (!g_str_equal (method, "cash"))
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "A %s payment of %s is more than the %s still owed on invoice %"
                       G_GINT64_FORMAT "; charge %s", method, offered, owed, inv->number, owed);
          goto fail;
        }
      recorded = balance;
      change = amount_minor - balance;
    }

  if (!put_payment (db, inv->id, method, recorded, clean_reference, error))
    goto fail;

  if (inv->paid_minor + recorded == inv->total_minor)
    {
      header = _rx_row_new_update ("invoices", inv->id);
      _rx_row_set_text (header, "status", "paid");
      if (!_rx_db_put (db, header, error))
        goto fail;
    }

  detail = g_strdup_printf ("%s %" G_GINT64_FORMAT " change %" G_GINT64_FORMAT,
                            method, recorded, change);
  if (!_rx_db_audit (db, "pay", "invoices", inv->id, detail, error) ||
      !rx_db_commit (db, error))
    goto fail;

  if (change_due != NULL)
    *change_due = change;
  return TRUE;

fail:
  rx_db_rollback (db);
  return FALSE;
}

/* Only a paid invoice, not a credit note, and only once. */
static gboolean
check_refundable (RxDb        *db,
                  RxInvoice   *inv,
                  GError     **error)
{
  g_autofree char *existing = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_str_equal (inv->kind, "invoice"))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
                   "Number %" G_GINT64_FORMAT " of till “%s” is a credit note, which cannot be "
                   "refunded; sell the items on a new invoice instead", inv->number, inv->till);
      return FALSE;
    }

  if (!g_str_equal (inv->status, "paid"))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
                   "Invoice %" G_GINT64_FORMAT " of till “%s” is %s, not paid; only a paid "
                   "invoice can be refunded", inv->number, inv->till, inv->status);
      return FALSE;
    }

  existing = _rx_records_query_text (db,
                                     "SELECT number FROM invoices WHERE refers_to_id = ?1 "
                                     "AND deleted = 0 LIMIT 1", inv->id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (existing != NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
                   "Invoice %" G_GINT64_FORMAT " of till “%s” was already refunded by credit "
                   "note %s; it cannot be refunded twice", inv->number, inv->till, existing);
      return FALSE;
    }

  return TRUE;
}

/* The credit note: same till, patient and currency, every line and total negated. */
static char *
put_credit_note (RxDb       *db,
                 RxInvoice  *inv,
                 GError    **error)
{
  g_autoptr(RxRow) header = _rx_row_new_insert ("invoices");
  g_autofree char *now = rx_db_now_iso (db);
  gint64 number = 0;

  if (!_rx_invoice_next_number (db, inv->site_id, inv->till, &number, error))
    return NULL;

  _rx_row_set_text (header, "site_id", inv->site_id);
  _rx_row_set_text (header, "till", inv->till);
  _rx_row_set_int (header, "number", number);
  _rx_row_set_text (header, "kind", "credit_note");
  _rx_row_set_text (header, "refers_to_id", inv->id);
  _rx_row_set_text (header, "patient_id", inv->patient_id);
  _rx_row_set_text (header, "status", "open");
  _rx_row_set_text (header, "currency", inv->currency);
  _rx_row_set_int (header, "total_minor", -inv->total_minor);
  _rx_row_set_int (header, "tax_minor", -inv->tax_minor);
  _rx_row_set_text (header, "created_at", now);
  if (!_rx_db_put (db, header, error))
    return NULL;

  for (guint i = 0; i < inv->lines->len; i++)
    {
      const RxInvoiceLine *l = g_ptr_array_index (inv->lines, i);
      g_autoptr(RxRow) row = _rx_row_new_insert ("invoice_lines");

      _rx_row_set_text (row, "invoice_id", _rx_row_get_id (header));
      _rx_row_set_int (row, "position", l->position);
      _rx_row_set_text (row, "product_id", l->product_id);
      _rx_row_set_text (row, "description", l->description);
      _rx_row_set_int (row, "quantity", -l->quantity);
      _rx_row_set_int (row, "unit_price_minor", l->unit_price_minor);
      _rx_row_set_int (row, "discount_minor", l->discount_minor);
      _rx_row_set_int (row, "tax_rate_bp", l->tax_rate_bp);
      _rx_row_set_int (row, "total_minor", -l->total_minor);
      _rx_row_set_text (row, "reference_kind", l->reference_kind);
      _rx_row_set_text (row, "reference_id", l->reference_id);
      if (!_rx_db_put (db, row, error))
        return NULL;
    }

  /* the money goes back the way it came: each payment mirrored, negated */
  for (guint i = 0; i < inv->payments->len; i++)
    {
      const RxPayment *p = g_ptr_array_index (inv->payments, i);

      if (!put_payment (db, _rx_row_get_id (header), p->method, -p->amount_minor,
                        p->reference, error))
        return NULL;
    }

  return g_strdup (_rx_row_get_id (header));
}

/* The refund itself; @reason (may be NULL) goes into the audit trail with it. */
static RxInvoice *
refund (RxDb        *db,
        const char  *invoice_id,
        const char  *reason,
        GError     **error)
{
  g_autoptr(RxInvoice) inv = NULL;
  g_autoptr(RxInvoice) note = NULL;
  g_autofree char *note_id = NULL;
  g_autofree char *detail = NULL;

  if (!_rx_db_require (db, RX_ACTION_BILLING, error))
    return NULL;

  if (!rx_db_begin (db, error))
    return NULL;

  inv = _rx_invoice_load (db, invoice_id, TRUE, error);
  if (inv == NULL || !check_refundable (db, inv, error))
    goto fail;

  note_id = put_credit_note (db, inv, error);
  if (note_id == NULL)
    goto fail;

  note = _rx_invoice_load (db, note_id, TRUE, error);
  if (note == NULL || !_rx_invoice_seal (db, note, TRUE, error))
    goto fail;

  if (reason != NULL)
    detail = g_strdup_printf ("credit note %s number %" G_GINT64_FORMAT ": %s", note->id,
                              note->number, reason);
  else
    detail = g_strdup_printf ("credit note %s number %" G_GINT64_FORMAT, note->id,
                              note->number);
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

/**
 * rx_invoices_refund:
 *
 * Refunds a paid invoice in full: issues a credit note on the same till that refers to it,
 * with every line negated, and records the money paid back by the same methods as it was
 * taken. The original invoice is left exactly as it was; an invoice is refunded once.
 *
 * Returns: (transfer full): the credit note, or %NULL with @error set
 */
RxInvoice *
rx_invoices_refund (RxDb        *db,
                    const char  *invoice_id,
                    GError     **error)
{
  g_return_val_if_fail (RX_IS_DB (db), NULL);

  return refund (db, invoice_id, NULL, error);
}

/**
 * rx_invoices_refund_with_reason:
 * @reason: why the money goes back ("wrong strength sold"), kept in the audit trail
 *
 * As rx_invoices_refund(), for a till where the cashier must say why.
 *
 * Returns: (transfer full): the credit note, or %NULL with @error set
 */
RxInvoice *
rx_invoices_refund_with_reason (RxDb        *db,
                                const char  *invoice_id,
                                const char  *reason,
                                GError     **error)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  clean = g_strstrip (g_strdup (reason ? reason : ""));
  if (!rx_validate_text (clean, "The reason for the refund", 200, TRUE, error))
    return NULL;

  return refund (db, invoice_id, clean, error);
}
