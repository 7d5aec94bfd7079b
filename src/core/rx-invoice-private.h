/* rx-invoice-private.h: the inside of RxInvoice, shared by rx-invoice.c (the object and
 * reads), rx-invoice-billing.c (writes) and rx-invoice-chain.c (the hash chain). */
#pragma once

#include "rx-db-private.h"
#include "rx-invoice.h"

G_BEGIN_DECLS

#define RX_INVOICE_GENESIS_HASH \
  "0000000000000000000000000000000000000000000000000000000000000000"

struct _RxInvoice
{
  GObject    parent_instance;

  char      *id;
  char      *site_id;
  char      *till;
  gint64     number;
  char      *kind;
  char      *status;
  char      *currency;
  gint64     total_minor;
  gint64     tax_minor;
  gint64     paid_minor;
  char      *patient_id;
  char      *refers_to_id;
  char      *hash;
  char      *prev_hash;
  char      *created_at;
  char      *issued_at;
  GPtrArray *lines;      /* of RxInvoiceLine, by position */
  GPtrArray *payments;   /* of RxPayment, oldest first */
};

RxInvoice *_rx_invoice_load          (RxDb        *db,
                                      const char  *id,
                                      gboolean     with_details,
                                      GError     **error);
gint64     _rx_invoice_line_net      (gint64       quantity,
                                      gint64       unit_price_minor,
                                      gint64       discount_minor);
char      *_rx_invoice_compute_hash  (RxInvoice   *self,
                                      const char  *prev_hash);
gboolean   _rx_invoice_next_number   (RxDb        *db,
                                      const char  *site_id,
                                      const char  *till,
                                      gint64      *number,
                                      GError     **error);
gboolean   _rx_invoice_seal          (RxDb        *db,
                                      RxInvoice   *self,
                                      gboolean     settled,
                                      GError     **error);
char      *_rx_invoice_chain_head    (RxDb        *db,
                                      const char  *site_id,
                                      const char  *till,
                                      GError     **error);

G_END_DECLS
