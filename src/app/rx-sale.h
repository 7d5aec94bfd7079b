/* rx-sale.h: the sale on the till while it is being rung up: its lines, quantities,
 * discounts and tax, and its totals, without widgets, so it is tested on its own. Nothing of
 * it is written until it is paid (rx_invoices_checkout()). */
#pragma once

#include <glib-object.h>

#include "rx-core.h"
#include "rx-invoice.h"
#include "rx-report.h"

G_BEGIN_DECLS

#define RX_TYPE_SALE (rx_sale_get_type ())

G_DECLARE_FINAL_TYPE (RxSale, rx_sale, RX, SALE, GObject)

typedef struct
{
  char     *product_id;        /* NULL for a service */
  char     *description;
  gint64    quantity;
  gint64    unit_price_minor;
  gint64    discount_minor;    /* off the line, before tax */
  int       tax_rate_bp;
  gboolean  fixed;             /* already on the open invoice (dispensed): cannot change */
} RxSaleLine;

RxSale           *rx_sale_new                (void);
void              rx_sale_clear              (RxSale      *self);
void              rx_sale_set_invoice        (RxSale      *self,
                                              RxInvoice   *invoice,
                                              const char  *patient_name);
RxInvoice        *rx_sale_get_invoice        (RxSale      *self);
const char       *rx_sale_get_patient_name   (RxSale      *self);
guint             rx_sale_get_n_lines        (RxSale      *self);
const RxSaleLine *rx_sale_get_line           (RxSale      *self,
                                              guint        position);
guint             rx_sale_add                (RxSale      *self,
                                              const char  *product_id,
                                              const char  *description,
                                              gint64       unit_price_minor,
                                              int          tax_rate_bp);
gboolean          rx_sale_set_quantity       (RxSale      *self,
                                              guint        position,
                                              gint64       quantity);
gboolean          rx_sale_set_discount       (RxSale      *self,
                                              guint        position,
                                              gint64       discount_minor);
void              rx_sale_remove             (RxSale      *self,
                                              guint        position);
gboolean          rx_sale_is_empty           (RxSale      *self);

gint64            rx_sale_line_net           (const RxSaleLine *line);
gint64            rx_sale_line_tax           (const RxSaleLine *line);
gint64            rx_sale_line_total         (const RxSaleLine *line);

gint64            rx_sale_get_net_minor      (RxSale      *self);
gint64            rx_sale_get_tax_minor      (RxSale      *self);
gint64            rx_sale_get_total_minor    (RxSale      *self);
GArray           *rx_sale_dup_tax_totals     (RxSale      *self);
RxInvoiceLineFields *rx_sale_dup_new_lines   (RxSale      *self,
                                              guint       *n_lines);

gboolean          rx_sale_parse_money        (const char  *text,
                                              guint        minor_digits,
                                              gint64      *minor_units);

G_END_DECLS
