/* rx-billing-window.h: the pharmacy's till: over-the-counter sales and what was dispensed,
 * payments and receipts, invoices and refunds, and the daily closing (Z) report. */
#pragma once

#include <adwaita.h>

#include "rx-clinic.h"
#include "rx-sale.h"

G_BEGIN_DECLS

#define RX_TYPE_BILLING_WINDOW (rx_billing_window_get_type ())

G_DECLARE_FINAL_TYPE (RxBillingWindow, rx_billing_window, RX, BILLING_WINDOW,
                      AdwApplicationWindow)

RxBillingWindow *rx_billing_window_new               (GtkApplication  *application,
                                                      RxClinic        *clinic);
gboolean         rx_billing_window_get_busy          (RxBillingWindow *self);
const char      *rx_billing_window_get_page          (RxBillingWindow *self);
RxSale          *rx_billing_window_get_sale          (RxBillingWindow *self);
GtkWidget       *rx_billing_window_get_scan_entry    (RxBillingWindow *self);
guint            rx_billing_window_get_n_found       (RxBillingWindow *self);
gboolean         rx_billing_window_add_found         (RxBillingWindow *self,
                                                      guint            position);
guint            rx_billing_window_get_n_pending     (RxBillingWindow *self);
gboolean         rx_billing_window_collect_pending   (RxBillingWindow *self,
                                                      guint            position);
GtkWindow       *rx_billing_window_pay               (RxBillingWindow *self);
gboolean         rx_billing_window_show_invoice      (RxBillingWindow *self,
                                                      gint64           number);
RxInvoice       *rx_billing_window_get_shown_invoice (RxBillingWindow *self);
GtkWindow       *rx_billing_window_refund            (RxBillingWindow *self);
gboolean         rx_billing_window_get_report        (RxBillingWindow *self,
                                                      const RxDailyReport **report);
void             rx_billing_window_set_counted_cash  (RxBillingWindow *self,
                                                      const char      *text);
const char      *rx_billing_window_get_difference    (RxBillingWindow *self);
char            *rx_billing_window_dup_report_text   (RxBillingWindow *self);

G_END_DECLS
