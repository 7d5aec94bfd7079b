/* rx-invoice.c: the RxInvoice object, its lines and payments, and reading invoices back.
 * Writes are in rx-invoice-billing.c, the hash chain in rx-invoice-chain.c. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-invoice-private.h"

G_DEFINE_FINAL_TYPE (RxInvoice, rx_invoice, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (RxInvoiceLine, rx_invoice_line, rx_invoice_line_copy, rx_invoice_line_free)
G_DEFINE_BOXED_TYPE (RxPayment, rx_payment, rx_payment_copy, rx_payment_free)

enum {
  PROP_0,
  PROP_ID,
  PROP_NUMBER,
  PROP_TILL,
  PROP_KIND,
  PROP_STATUS,
  PROP_CURRENCY,
  PROP_TOTAL_MINOR,
  PROP_TAX_MINOR,
  PROP_PAID_MINOR,
  PROP_PATIENT_ID,
  PROP_REFERS_TO_ID,
  PROP_HASH,
  PROP_PREV_HASH,
  PROP_CREATED_AT,
  PROP_ISSUED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

RxInvoiceLine *
rx_invoice_line_copy (const RxInvoiceLine *line)
{
  RxInvoiceLine *copy = g_memdup2 (line, sizeof *line);

  copy->id = g_strdup (line->id);
  copy->product_id = g_strdup (line->product_id);
  copy->description = g_strdup (line->description);
  copy->reference_kind = g_strdup (line->reference_kind);
  copy->reference_id = g_strdup (line->reference_id);

  return copy;
}

void
rx_invoice_line_free (RxInvoiceLine *line)
{
  if (line == NULL)
    return;

  g_free (line->id);
  g_free (line->product_id);
  g_free (line->description);
  g_free (line->reference_kind);
  g_free (line->reference_id);
  g_free (line);
}

RxPayment *
rx_payment_copy (const RxPayment *payment)
{
  RxPayment *copy = g_memdup2 (payment, sizeof *payment);

  copy->id = g_strdup (payment->id);
  copy->method = g_strdup (payment->method);
  copy->reference = g_strdup (payment->reference);
  copy->at = g_strdup (payment->at);

  return copy;
}

void
rx_payment_free (RxPayment *payment)
{
  if (payment == NULL)
    return;

  g_free (payment->id);
  g_free (payment->method);
  g_free (payment->reference);
  g_free (payment->at);
  g_free (payment);
}

static void
rx_invoice_finalize (GObject *object)
{
  RxInvoice *self = (RxInvoice *) object;

  g_free (self->id);
  g_free (self->site_id);
  g_free (self->till);
  g_free (self->kind);
  g_free (self->status);
  g_free (self->currency);
  g_free (self->patient_id);
  g_free (self->refers_to_id);
  g_free (self->hash);
  g_free (self->prev_hash);
  g_free (self->created_at);
  g_free (self->issued_at);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->payments, g_ptr_array_unref);

  G_OBJECT_CLASS (rx_invoice_parent_class)->finalize (object);
}

static void
rx_invoice_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RxInvoice *self = RX_INVOICE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NUMBER:
      g_value_set_int64 (value, self->number);
      break;

    case PROP_TILL:
      g_value_set_string (value, self->till);
      break;

    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;

    case PROP_TOTAL_MINOR:
      g_value_set_int64 (value, self->total_minor);
      break;

    case PROP_TAX_MINOR:
      g_value_set_int64 (value, self->tax_minor);
      break;

    case PROP_PAID_MINOR:
      g_value_set_int64 (value, self->paid_minor);
      break;

    case PROP_PATIENT_ID:
      g_value_set_string (value, self->patient_id);
      break;

    case PROP_REFERS_TO_ID:
      g_value_set_string (value, self->refers_to_id);
      break;

    case PROP_HASH:
      g_value_set_string (value, self->hash);
      break;

    case PROP_PREV_HASH:
      g_value_set_string (value, self->prev_hash);
      break;

    case PROP_CREATED_AT:
      g_value_set_string (value, self->created_at);
      break;

    case PROP_ISSUED_AT:
      g_value_set_string (value, self->issued_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_invoice_class_init (RxInvoiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rx_invoice_finalize;
  object_class->get_property = rx_invoice_get_property;

#define RO_STRING(prop, name) \
  properties[prop] = g_param_spec_string (name, NULL, NULL, NULL, \
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)
#define RO_INT64(prop, name) \
  properties[prop] = g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0, \
                                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)
  RO_STRING (PROP_ID, "id");
  RO_INT64 (PROP_NUMBER, "number");
  RO_STRING (PROP_TILL, "till");
  RO_STRING (PROP_KIND, "kind");
  RO_STRING (PROP_STATUS, "status");
  RO_STRING (PROP_CURRENCY, "currency");
  RO_INT64 (PROP_TOTAL_MINOR, "total-minor");
  RO_INT64 (PROP_TAX_MINOR, "tax-minor");
  RO_INT64 (PROP_PAID_MINOR, "paid-minor");
  RO_STRING (PROP_PATIENT_ID, "patient-id");
  RO_STRING (PROP_REFERS_TO_ID, "refers-to-id");
  RO_STRING (PROP_HASH, "hash");
  RO_STRING (PROP_PREV_HASH, "prev-hash");
  RO_STRING (PROP_CREATED_AT, "created-at");
  RO_STRING (PROP_ISSUED_AT, "issued-at");
#undef RO_INT64
#undef RO_STRING

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_invoice_init (RxInvoice *self)
{
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_invoice_line_free);
  self->payments = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_payment_free);
}

#define GETTER(type, field) \
  type \
  rx_invoice_get_##field (RxInvoice *self) \
  { \
    g_return_val_if_fail (RX_IS_INVOICE (self), 0); \
    return self->field; \
  }
GETTER (const char *, id)
GETTER (gint64, number)
GETTER (const char *, till)
GETTER (const char *, kind)
GETTER (const char *, status)
GETTER (const char *, currency)
GETTER (gint64, total_minor)
GETTER (gint64, tax_minor)
GETTER (gint64, paid_minor)
GETTER (const char *, patient_id)
GETTER (const char *, refers_to_id)
GETTER (const char *, hash)
GETTER (const char *, prev_hash)
GETTER (const char *, created_at)
GETTER (const char *, issued_at)
#undef GETTER

/* What is still owed: positive on an invoice not yet paid in full. */
gint64
rx_invoice_get_balance_minor (RxInvoice *self)
{
  g_return_val_if_fail (RX_IS_INVOICE (self), 0);
  return self->total_minor - self->paid_minor;
}

/**
 * rx_invoice_get_lines:
 *
 * Returns: (transfer none) (element-type RxInvoiceLine): the lines by position; empty on an
 *   invoice that came from rx_invoices_list(), which reads headers only
 */
GPtrArray *
rx_invoice_get_lines (RxInvoice *self)
{
  g_return_val_if_fail (RX_IS_INVOICE (self), NULL);
  return self->lines;
}

/**
 * rx_invoice_get_payments:
 *
 * Returns: (transfer none) (element-type RxPayment): the payments, oldest first; empty on an
 *   invoice that came from rx_invoices_list()
 */
GPtrArray *
rx_invoice_get_payments (RxInvoice *self)
{
  g_return_val_if_fail (RX_IS_INVOICE (self), NULL);
  return self->payments;
}

/* Money ----------------------------------------------------------------------------------- */

/* The tax on a net amount at a rate in basis points, rounded half away from zero to the minor
 * unit: 199.5 becomes 200 and -199.5 becomes -200, so a credit note's tax is exactly the
 * negation of the invoice's. The net is split so that no intermediate product overflows. */
gint64
rx_invoice_compute_tax (gint64 net_minor,
                        int    tax_rate_bp)
{
  gint64 magnitude;
  gint64 tax;

  g_return_val_if_fail (tax_rate_bp >= 0 && tax_rate_bp <= 10000, 0);
  g_return_val_if_fail (net_minor > G_MININT64, 0);

  magnitude = net_minor < 0 ? -net_minor : net_minor;
  tax = (magnitude / 10000) * tax_rate_bp + ((magnitude % 10000) * tax_rate_bp + 5000) / 10000;

  return net_minor < 0 ? -tax : tax;
}

/* A line's value before tax. The discount reduces the size of the line whichever its sign,
 * so a negated (credit note) line is exactly the negation of the original. */
gint64
_rx_invoice_line_net (gint64 quantity,
                      gint64 unit_price_minor,
                      gint64 discount_minor)
{
  gint64 gross = quantity * unit_price_minor;

  return quantity < 0 ? gross + discount_minor : gross - discount_minor;
}

/* Reads ----------------------------------------------------------------------------------- */

#define INVOICE_COLUMNS \
  "i.id, i.site_id, i.till, i.number, i.kind, i.status, i.currency, i.total_minor, " \
  "i.tax_minor, i.patient_id, i.refers_to_id, i.hash, i.prev_hash, i.created_at, " \
  "i.issued_at, (SELECT coalesce (sum (p.amount_minor), 0) FROM payments p " \
  "WHERE p.invoice_id = i.id AND p.deleted = 0)"

static RxInvoice *
invoice_from_stmt (sqlite3_stmt *stmt)
{
  RxInvoice *self = g_object_new (RX_TYPE_INVOICE, NULL);

  self->id = _rx_stmt_dup_text (stmt, 0);
  self->site_id = _rx_stmt_dup_text (stmt, 1);
  self->till = _rx_stmt_dup_text (stmt, 2);
  self->number = sqlite3_column_int64 (stmt, 3);
  self->kind = _rx_stmt_dup_text (stmt, 4);
  self->status = _rx_stmt_dup_text (stmt, 5);
  self->currency = _rx_stmt_dup_text (stmt, 6);
  self->total_minor = sqlite3_column_int64 (stmt, 7);
  self->tax_minor = sqlite3_column_int64 (stmt, 8);
  self->patient_id = _rx_stmt_dup_text (stmt, 9);
  self->refers_to_id = _rx_stmt_dup_text (stmt, 10);
  self->hash = _rx_stmt_dup_text (stmt, 11);
  self->prev_hash = _rx_stmt_dup_text (stmt, 12);
  self->created_at = _rx_stmt_dup_text (stmt, 13);
  self->issued_at = _rx_stmt_dup_text (stmt, 14);
  self->paid_minor = sqlite3_column_int64 (stmt, 15);

  return self;
}

static gboolean
load_lines (RxDb       *db,
            RxInvoice  *self,
            GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_db_prepare (db,
                         "SELECT id, position, product_id, description, quantity, "
                         "unit_price_minor, discount_minor, tax_rate_bp, total_minor, "
                         "reference_kind, reference_id FROM invoice_lines "
                         "WHERE invoice_id = ?1 AND deleted = 0 ORDER BY position", error);
  if (stmt == NULL)
    return FALSE;

  _rx_stmt_bind_text (stmt, 1, self->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RxInvoiceLine *line = g_new0 (RxInvoiceLine, 1);

      line->id = _rx_stmt_dup_text (stmt, 0);
      line->position = sqlite3_column_int (stmt, 1);
      line->product_id = _rx_stmt_dup_text (stmt, 2);
      line->description = _rx_stmt_dup_text (stmt, 3);
      line->quantity = sqlite3_column_int64 (stmt, 4);
      line->unit_price_minor = sqlite3_column_int64 (stmt, 5);
      line->discount_minor = sqlite3_column_int64 (stmt, 6);
      line->tax_rate_bp = sqlite3_column_int (stmt, 7);
      line->total_minor = sqlite3_column_int64 (stmt, 8);
      line->reference_kind = _rx_stmt_dup_text (stmt, 9);
      line->reference_id = _rx_stmt_dup_text (stmt, 10);
      /* what the receipt prints: net + tax always adds up to the stored total */
      line->tax_minor = line->total_minor - _rx_invoice_line_net (line->quantity,
                                                                  line->unit_price_minor,
                                                                  line->discount_minor);
      g_ptr_array_add (self->lines, line);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _rx_db_sqlite_error (db, rc, "Reading invoice lines", error);

  return TRUE;
}

static gboolean
load_payments (RxDb       *db,
               RxInvoice  *self,
               GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_db_prepare (db,
                         "SELECT id, method, amount_minor, reference, at FROM payments "
                         "WHERE invoice_id = ?1 AND deleted = 0 ORDER BY at, rowid", error);
  if (stmt == NULL)
    return FALSE;

  _rx_stmt_bind_text (stmt, 1, self->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RxPayment *payment = g_new0 (RxPayment, 1);

      payment->id = _rx_stmt_dup_text (stmt, 0);
      payment->method = _rx_stmt_dup_text (stmt, 1);
      payment->amount_minor = sqlite3_column_int64 (stmt, 2);
      payment->reference = _rx_stmt_dup_text (stmt, 3);
      payment->at = _rx_stmt_dup_text (stmt, 4);
      g_ptr_array_add (self->payments, payment);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _rx_db_sqlite_error (db, rc, "Reading payments", error);

  return TRUE;
}

/* Loads one invoice without auditing the read: for core's own checks inside a write. */
RxInvoice *
_rx_invoice_load (RxDb        *db,
                  const char  *id,
                  gboolean     with_details,
                  GError     **error)
{
  g_autoptr(RxInvoice) self = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (id == NULL || *id == '\0')
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "An invoice is required; choose one first");
      return NULL;
    }

  stmt = _rx_db_prepare (db,
                         "SELECT " INVOICE_COLUMNS " FROM invoices i "
                         "WHERE i.id = ?1 AND i.deleted = 0", error);
  if (stmt == NULL)
    return NULL;

  _rx_stmt_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    self = invoice_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Reading an invoice", error);
      return NULL;
    }

  if (self == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no invoice with the id “%s”; look it up in the invoice list", id);
      return NULL;
    }

  if (with_details && (!load_lines (db, self, error) || !load_payments (db, self, error)))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * rx_invoices_get:
 *
 * Reads one invoice with its lines and payments. Invoices name patients, so the read is
 * audited.
 *
 * Returns: (transfer full): the invoice, or %NULL with @error set
 */
RxInvoice *
rx_invoices_get (RxDb        *db,
                 const char  *invoice_id,
                 GError     **error)
{
  g_autoptr(RxInvoice) self = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (invoice_id != NULL, NULL);

  self = _rx_invoice_load (db, invoice_id, TRUE, error);
  if (self == NULL ||
      !_rx_db_audit (db, "read", "invoices", self->id, NULL, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * rx_invoices_list:
 * @since_iso: (nullable): only invoices created at or after this UTC time
 * @limit: at most this many; 0 means 100
 *
 * Lists invoice headers (totals and amount paid, without lines or payments), newest first.
 *
 * Returns: (transfer full): a #GListModel of #RxInvoice
 */
GListModel *
rx_invoices_list (RxDb        *db,
                  const char  *since_iso,
                  guint        limit,
                  GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_INVOICE);
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (limit == 0)
    limit = 100;

  stmt = _rx_db_prepare (db,
                         "SELECT " INVOICE_COLUMNS " FROM invoices i "
                         "WHERE i.deleted = 0 AND (?1 IS NULL OR i.created_at >= ?1) "
                         "ORDER BY i.created_at DESC, i.rowid DESC LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;

  _rx_stmt_bind_text (stmt, 1, since_iso);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RxInvoice) invoice = invoice_from_stmt (stmt);

      g_list_store_append (store, invoice);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Listing invoices", error);
      return NULL;
    }

  detail = g_strdup_printf ("%u results", g_list_model_get_n_items (G_LIST_MODEL (store)));
  if (!_rx_db_audit (db, "list", "invoices", NULL, detail, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&store));
}
