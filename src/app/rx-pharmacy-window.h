/* rx-pharmacy-window.h: the dispensary: signed prescriptions waiting, each with its
 * signature check and safety alerts, dispensed in full or in part from chosen lots. */
#pragma once

#include <adwaita.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_PHARMACY_WINDOW (rx_pharmacy_window_get_type ())
G_DECLARE_FINAL_TYPE (RxPharmacyWindow, rx_pharmacy_window, RX, PHARMACY_WINDOW,
                      AdwApplicationWindow)

RxPharmacyWindow *rx_pharmacy_window_new              (GtkApplication   *application,
                                                       RxClinic         *clinic);
gboolean          rx_pharmacy_window_get_busy         (RxPharmacyWindow *self);
const char       *rx_pharmacy_window_get_page         (RxPharmacyWindow *self);
GListModel       *rx_pharmacy_window_get_queue        (RxPharmacyWindow *self);
gboolean          rx_pharmacy_window_select           (RxPharmacyWindow *self,
                                                       const char       *prescription_id);
RxDispenseEntry  *rx_pharmacy_window_get_entry        (RxPharmacyWindow *self);
GListModel       *rx_pharmacy_window_get_alerts       (RxPharmacyWindow *self);
GPtrArray        *rx_pharmacy_window_get_item_groups  (RxPharmacyWindow *self);
GtkWindow        *rx_pharmacy_window_dispense         (RxPharmacyWindow *self);
GPtrArray        *rx_pharmacy_window_get_dispensed    (RxPharmacyWindow *self);

G_END_DECLS
