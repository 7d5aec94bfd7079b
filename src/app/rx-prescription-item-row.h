/* rx-prescription-item-row.h: one medicine on the prescription being written: its name and
 * directions in one line, and, expanded, the sig builder that edits them. */
#pragma once

#include <adwaita.h>

#include "rx-core.h"
#include "rx-sig.h"

G_BEGIN_DECLS

#define RX_TYPE_PRESCRIPTION_ITEM_ROW (rx_prescription_item_row_get_type ())

G_DECLARE_FINAL_TYPE (RxPrescriptionItemRow, rx_prescription_item_row, RX,
                      PRESCRIPTION_ITEM_ROW, AdwExpanderRow)

GtkWidget   *rx_prescription_item_row_new         (RxProduct             *product,
                                                   const RxSig           *sig);
RxProduct   *rx_prescription_item_row_get_product (RxPrescriptionItemRow *self);
const RxSig *rx_prescription_item_row_get_sig     (RxPrescriptionItemRow *self);
void         rx_prescription_item_row_set_sig     (RxPrescriptionItemRow *self,
                                                   const RxSig           *sig);
char        *rx_prescription_item_row_dup_name    (RxPrescriptionItemRow *self);
void         rx_prescription_item_row_set_favourites (RxPrescriptionItemRow *self,
                                                      GPtrArray             *favourites);
guint        rx_prescription_item_row_get_n_favourites (RxPrescriptionItemRow *self);
gboolean     rx_prescription_item_row_use_favourite (RxPrescriptionItemRow *self,
                                                     guint                  position);

G_END_DECLS
