/* rx-sale.c: the sale being rung up on the till. Tax is worked out per line exactly as core
 * does when the sale is written (rx_invoice_compute_tax(): the line's net at its rate,
 * rounded half away from zero to the minor unit), so what the screen shows is what the
 * invoice will say. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include "rx-sale.h"

#define MAX_QUANTITY G_GINT64_CONSTANT (100000)

struct _RxSale
{
  GObject    parent_instance;

  GPtrArray *lines;          /* of RxSaleLine */
  RxInvoice *invoice;        /* the open invoice being finished, or NULL */
  char      *patient_name;
};

G_DEFINE_FINAL_TYPE (RxSale, rx_sale, G_TYPE_OBJECT)

enum {
  LINES_CHANGED,   /* lines came or went: (position, removed, added) */
  TOTALS_CHANGED,  /* a quantity or discount changed, and with it the totals */
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
line_free (gpointer data)
{
  RxSaleLine *line = data;

  g_free (line->product_id);
  g_free (line->description);
  g_free (line);
}

static void
emit_lines (RxSale *self,
            guint   position,
            guint   removed,
            guint   added)
{
  g_signal_emit (self, signals[LINES_CHANGED], 0, position, removed, added);
  g_signal_emit (self, signals[TOTALS_CHANGED], 0);
}

RxSale *
rx_sale_new (void)
{
  return g_object_new (RX_TYPE_SALE, NULL);
}

/* Back to an empty over-the-counter sale. */
void
rx_sale_clear (RxSale *self)
{
  guint n;

  g_return_if_fail (RX_IS_SALE (self));

  n = self->lines->len;
  g_ptr_array_set_size (self->lines, 0);
  g_clear_object (&self->invoice);
  g_clear_pointer (&self->patient_name, g_free);
  emit_lines (self, 0, n, 0);
}

/**
 * rx_sale_set_invoice:
 * @invoice: an open invoice (what was dispensed for a patient), with its lines
 * @patient_name: (nullable): whom it bills
 *
 * Starts over from @invoice: its lines are shown as they are and cannot change here; more
 * may be added, and paying finishes that invoice rather than opening another.
 */
void
rx_sale_set_invoice (RxSale      *self,
                     RxInvoice   *invoice,
                     const char  *patient_name)
{
  GPtrArray *lines;
  guint n;

  g_return_if_fail (RX_IS_SALE (self));
  g_return_if_fail (RX_IS_INVOICE (invoice));

  n = self->lines->len;
  g_ptr_array_set_size (self->lines, 0);
  g_set_object (&self->invoice, invoice);
  g_free (self->patient_name);
  self->patient_name = g_strdup (patient_name);

  lines = rx_invoice_get_lines (invoice);
  for (guint i = 0; i < lines->len; i++)
    {
      const RxInvoiceLine *l = g_ptr_array_index (lines, i);
      RxSaleLine *line = g_new0 (RxSaleLine, 1);

      line->product_id = g_strdup (l->product_id);
      line->description = g_strdup (l->description);
      line->quantity = l->quantity;
      line->unit_price_minor = l->unit_price_minor;
      line->discount_minor = l->discount_minor;
      line->tax_rate_bp = l->tax_rate_bp;
      line->fixed = TRUE;
      g_ptr_array_add (self->lines, line);
    }

  emit_lines (self, 0, n, self->lines->len);
}

RxInvoice *
rx_sale_get_invoice (RxSale *self)
{
  g_return_val_if_fail (RX_IS_SALE (self), NULL);
  return self->invoice;
}

const char *
rx_sale_get_patient_name (RxSale *self)
{
  g_return_val_if_fail (RX_IS_SALE (self), NULL);
  return self->patient_name;
}

guint
rx_sale_get_n_lines (RxSale *self)
{
  g_return_val_if_fail (RX_IS_SALE (self), 0);
  return self->lines->len;
}

const RxSaleLine *
rx_sale_get_line (RxSale *self,
                  guint   position)
{
  g_return_val_if_fail (RX_IS_SALE (self), NULL);
  g_return_val_if_fail (position < self->lines->len, NULL);

  return g_ptr_array_index (self->lines, position);
}

gboolean
rx_sale_is_empty (RxSale *self)
{
  g_return_val_if_fail (RX_IS_SALE (self), TRUE);
  return self->lines->len == 0;
}

/**
 * rx_sale_add:
 *
 * Adds one of a product (or service) to the sale. Scanning the same product again counts
 * one more on its line rather than making another line.
 *
 * Returns: the line's position
 */
guint
rx_sale_add (RxSale     *self,
             const char *product_id,
             const char *description,
             gint64      unit_price_minor,
             int         tax_rate_bp)
{
  RxSaleLine *line;

  g_return_val_if_fail (RX_IS_SALE (self), 0);
  g_return_val_if_fail (description != NULL, 0);
  g_return_val_if_fail (unit_price_minor >= 0, 0);
  g_return_val_if_fail (tax_rate_bp >= 0 && tax_rate_bp <= 10000, 0);

  for (guint i = 0; product_id != NULL && i < self->lines->len; i++)
    {
      line = g_ptr_array_index (self->lines, i);
      if (!line->fixed && g_strcmp0 (line->product_id, product_id) == 0 &&
          line->unit_price_minor == unit_price_minor && line->tax_rate_bp == tax_rate_bp)
        {
          rx_sale_set_quantity (self, i, MIN (line->quantity + 1, MAX_QUANTITY));
          return i;
        }
    }

  line = g_new0 (RxSaleLine, 1);
  line->product_id = g_strdup (product_id);
  line->description = g_strdup (description);
  line->quantity = 1;
  line->unit_price_minor = unit_price_minor;
  line->tax_rate_bp = tax_rate_bp;
  g_ptr_array_add (self->lines, line);
  emit_lines (self, self->lines->len - 1, 0, 1);

  return self->lines->len - 1;
}

/* A quantity from 1 to 100000; a discount larger than the new value is cut down to it. */
gboolean
rx_sale_set_quantity (RxSale *self,
                      guint   position,
                      gint64  quantity)
{
  RxSaleLine *line;

  g_return_val_if_fail (RX_IS_SALE (self), FALSE);
  g_return_val_if_fail (position < self->lines->len, FALSE);

  line = g_ptr_array_index (self->lines, position);
  if (line->fixed || quantity < 1 || quantity > MAX_QUANTITY)
    return FALSE;
  if (line->quantity == quantity)
    return TRUE;

  line->quantity = quantity;
  line->discount_minor = MIN (line->discount_minor, quantity * line->unit_price_minor);
  g_signal_emit (self, signals[TOTALS_CHANGED], 0);
  return TRUE;
}

/* A discount from 0 to the line's value (quantity × unit price). */
gboolean
rx_sale_set_discount (RxSale *self,
                      guint   position,
                      gint64  discount_minor)
{
  RxSaleLine *line;

  g_return_val_if_fail (RX_IS_SALE (self), FALSE);
  g_return_val_if_fail (position < self->lines->len, FALSE);

  line = g_ptr_array_index (self->lines, position);
  if (line->fixed || discount_minor < 0 ||
      discount_minor > line->quantity * line->unit_price_minor)
    return FALSE;
  if (line->discount_minor == discount_minor)
    return TRUE;

  line->discount_minor = discount_minor;
  g_signal_emit (self, signals[TOTALS_CHANGED], 0);
  return TRUE;
}

void
rx_sale_remove (RxSale *self,
                guint   position)
{
  g_return_if_fail (RX_IS_SALE (self));
  g_return_if_fail (position < self->lines->len);
  g_return_if_fail (!((RxSaleLine *) g_ptr_array_index (self->lines, position))->fixed);

  g_ptr_array_remove_index (self->lines, position);
  emit_lines (self, position, 1, 0);
}

gint64
rx_sale_line_net (const RxSaleLine *line)
{
  return line->quantity * line->unit_price_minor - line->discount_minor;
}

gint64
rx_sale_line_tax (const RxSaleLine *line)
{
  return rx_invoice_compute_tax (rx_sale_line_net (line), line->tax_rate_bp);
}

gint64
rx_sale_line_total (const RxSaleLine *line)
{
  return rx_sale_line_net (line) + rx_sale_line_tax (line);
}

gint64
rx_sale_get_net_minor (RxSale *self)
{
  gint64 sum = 0;

  g_return_val_if_fail (RX_IS_SALE (self), 0);

  for (guint i = 0; i < self->lines->len; i++)
    sum += rx_sale_line_net (g_ptr_array_index (self->lines, i));
  return sum;
}

gint64
rx_sale_get_tax_minor (RxSale *self)
{
  gint64 sum = 0;

  g_return_val_if_fail (RX_IS_SALE (self), 0);

  for (guint i = 0; i < self->lines->len; i++)
    sum += rx_sale_line_tax (g_ptr_array_index (self->lines, i));
  return sum;
}

gint64
rx_sale_get_total_minor (RxSale *self)
{
  return rx_sale_get_net_minor (self) + rx_sale_get_tax_minor (self);
}

static int
compare_rates (gconstpointer a,
               gconstpointer b)
{
  return ((const RxTaxTotal *) a)->rate_bp - ((const RxTaxTotal *) b)->rate_bp;
}

/**
 * rx_sale_dup_tax_totals:
 *
 * The sale's lines by tax rate, lowest rate first, each the sum of its lines' rounded tax
 * (as the invoice and the Z report add them).
 *
 * Returns: (transfer full) (element-type RxTaxTotal): one entry per rate in use
 */
GArray *
rx_sale_dup_tax_totals (RxSale *self)
{
  GArray *totals = g_array_new (FALSE, TRUE, sizeof (RxTaxTotal));

  g_return_val_if_fail (RX_IS_SALE (self), totals);

  for (guint i = 0; i < self->lines->len; i++)
    {
      const RxSaleLine *line = g_ptr_array_index (self->lines, i);
      RxTaxTotal *total = NULL;

      for (guint j = 0; j < totals->len && total == NULL; j++)
        if (g_array_index (totals, RxTaxTotal, j).rate_bp == line->tax_rate_bp)
          total = &g_array_index (totals, RxTaxTotal, j);
      if (total == NULL)
        {
          RxTaxTotal fresh = { line->tax_rate_bp, 0, 0, 0 };

          g_array_append_val (totals, fresh);
          total = &g_array_index (totals, RxTaxTotal, totals->len - 1);
        }
      total->net_minor += rx_sale_line_net (line);
      total->tax_minor += rx_sale_line_tax (line);
      total->gross_minor += rx_sale_line_total (line);
    }
  g_array_sort (totals, compare_rates);

  return totals;
}

/**
 * rx_sale_dup_new_lines:
 *
 * The lines still to be written (those not already on the open invoice), for
 * rx_invoices_checkout(). Their strings belong to the sale: use them before it changes.
 *
 * Returns: (transfer full) (array length=n_lines): free with g_free()
 */
RxInvoiceLineFields *
rx_sale_dup_new_lines (RxSale *self,
                       guint  *n_lines)
{
  RxInvoiceLineFields *fields;
  guint n = 0;

  g_return_val_if_fail (RX_IS_SALE (self), NULL);
  g_return_val_if_fail (n_lines != NULL, NULL);

  fields = g_new0 (RxInvoiceLineFields, self->lines->len + 1);
  for (guint i = 0; i < self->lines->len; i++)
    {
      const RxSaleLine *line = g_ptr_array_index (self->lines, i);

      if (line->fixed)
        continue;
      fields[n].product_id = line->product_id;
      fields[n].description = line->description;
      fields[n].quantity = line->quantity;
      fields[n].unit_price_minor = line->unit_price_minor;
      fields[n].discount_minor = line->discount_minor;
      fields[n].tax_rate_bp = line->tax_rate_bp;
      n++;
    }

  *n_lines = n;
  return fields;
}

/**
 * rx_sale_parse_money:
 * @text: what was typed: "12", "12.5", "12.50" (a comma works as the decimal mark too)
 * @minor_digits: the currency's digits after the decimal mark (2 for cents)
 * @minor_units: (out): the amount in minor units
 *
 * Reads an amount without floating point. Refuses signs, more decimals than the currency
 * has, and anything that is not a number.
 */
gboolean
rx_sale_parse_money (const char *text,
                     guint       minor_digits,
                     gint64     *minor_units)
{
  g_autofree char *clean = NULL;
  const char *p;
  guint64 whole = 0, fraction = 0;
  guint digits = 0, decimals = 0;
  gboolean point = FALSE;

  g_return_val_if_fail (minor_units != NULL, FALSE);
  g_return_val_if_fail (minor_digits <= 6, FALSE);

  if (text == NULL)
    return FALSE;
  clean = g_strstrip (g_strdup (text));
  if (*clean == '\0')
    return FALSE;

  for (p = clean; *p != '\0'; p++)
    {
      if ((*p == '.' || *p == ',') && !point)
        {
          point = TRUE;
          continue;
        }
      if (!g_ascii_isdigit (*p))
        return FALSE;
      if (point)
        {
          if (++decimals > minor_digits)
            return FALSE;
          fraction = fraction * 10 + (guint64) (*p - '0');
        }
      else
        {
          if (++digits > 12)
            return FALSE;
          whole = whole * 10 + (guint64) (*p - '0');
        }
    }
  if (digits == 0 && decimals == 0)
    return FALSE;

  for (guint i = decimals; i < minor_digits; i++)
    fraction *= 10;
  for (guint i = 0; i < minor_digits; i++)
    whole *= 10;

  *minor_units = (gint64) (whole + fraction);
  return TRUE;
}

static void
rx_sale_finalize (GObject *object)
{
  RxSale *self = (RxSale *) object;

  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_object (&self->invoice);
  g_free (self->patient_name);

  G_OBJECT_CLASS (rx_sale_parent_class)->finalize (object);
}

static void
rx_sale_class_init (RxSaleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rx_sale_finalize;

  signals[LINES_CHANGED] =
    g_signal_new ("lines-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
  signals[TOTALS_CHANGED] =
    g_signal_new ("totals-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
rx_sale_init (RxSale *self)
{
  self->lines = g_ptr_array_new_with_free_func (line_free);
}
