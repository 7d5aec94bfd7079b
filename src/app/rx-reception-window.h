/* rx-reception-window.h: the reception desk: find and register patients, and the day's
 * appointments. */
#pragma once

#include <adwaita.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_RECEPTION_WINDOW (rx_reception_window_get_type ())

G_DECLARE_FINAL_TYPE (RxReceptionWindow, rx_reception_window, RX, RECEPTION_WINDOW,
                      AdwApplicationWindow)

RxReceptionWindow *rx_reception_window_new                   (GtkApplication    *application,
                                                              RxClinic          *clinic);
RxClinic          *rx_reception_window_get_clinic            (RxReceptionWindow *self);
gboolean           rx_reception_window_get_busy              (RxReceptionWindow *self);
const char        *rx_reception_window_get_page              (RxReceptionWindow *self);
GtkWidget         *rx_reception_window_get_search_entry      (RxReceptionWindow *self);
GListModel        *rx_reception_window_get_results           (RxReceptionWindow *self);
GtkWidget         *rx_reception_window_get_editor            (RxReceptionWindow *self);
GtkWidget         *rx_reception_window_get_appointments_page (RxReceptionWindow *self);
gboolean           rx_reception_window_select_patient        (RxReceptionWindow *self,
                                                              const char        *patient_id);
GtkWindow         *rx_reception_window_book                  (RxReceptionWindow *self);

G_END_DECLS
