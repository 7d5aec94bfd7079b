/* rx-pay-dialog.h: taking payment for the sale on the till: cash (with the change due),
 * card, insurance (with its claim reference), or several split; then the receipt. */
#pragma once

#include <adwaita.h>

#include "rx-clinic.h"
#include "rx-printout.h"
#include "rx-sale.h"

G_BEGIN_DECLS

#define RX_TYPE_PAY_DIALOG (rx_pay_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RxPayDialog, rx_pay_dialog, RX, PAY_DIALOG, AdwWindow)

RxPayDialog *rx_pay_dialog_new            (GtkWindow    *parent,
                                           RxClinic     *clinic,
                                           RxSale       *sale,
                                           const char   *till,
                                           const char   *currency,
                                           guint         minor_digits);
gboolean     rx_pay_dialog_get_busy       (RxPayDialog  *self);
const char  *rx_pay_dialog_get_page       (RxPayDialog  *self);
void         rx_pay_dialog_set_method     (RxPayDialog  *self,
                                           const char   *method);
void         rx_pay_dialog_set_amount     (RxPayDialog  *self,
                                           const char   *text);
void         rx_pay_dialog_set_reference  (RxPayDialog  *self,
                                           const char   *text);
gboolean     rx_pay_dialog_add_payment    (RxPayDialog  *self);
gboolean     rx_pay_dialog_finish         (RxPayDialog  *self);
const char  *rx_pay_dialog_get_error      (RxPayDialog  *self);
const char  *rx_pay_dialog_get_status     (RxPayDialog  *self);
RxInvoice   *rx_pay_dialog_get_invoice    (RxPayDialog  *self);
gint64       rx_pay_dialog_get_change_due (RxPayDialog  *self);
RxPrintout  *rx_pay_dialog_dup_receipt    (RxPayDialog  *self);

G_END_DECLS
