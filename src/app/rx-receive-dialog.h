/* rx-receive-dialog.h: receiving a delivery into stock: a scanner's GS1 string (or the code
 * typed by hand) fills the pack's GTIN, lot, expiry and serial; the person adds the quantity,
 * the cost and the supplier. */
#pragma once

#include <adwaita.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_RECEIVE_DIALOG (rx_receive_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RxReceiveDialog, rx_receive_dialog, RX, RECEIVE_DIALOG, AdwWindow)

RxReceiveDialog *rx_receive_dialog_new       (GtkWindow       *parent,
                                              RxClinic        *clinic,
                                              const char      *product_code);
gboolean         rx_receive_dialog_get_busy  (RxReceiveDialog *self);
void             rx_receive_dialog_scan      (RxReceiveDialog *self,
                                              const char      *text);
void             rx_receive_dialog_set_field (RxReceiveDialog *self,
                                              const char      *field,
                                              const char      *text);
const char      *rx_receive_dialog_get_field (RxReceiveDialog *self,
                                              const char      *field);
const char      *rx_receive_dialog_get_message (RxReceiveDialog *self);
void             rx_receive_dialog_receive   (RxReceiveDialog *self);

G_END_DECLS
