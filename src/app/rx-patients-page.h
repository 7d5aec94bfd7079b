/* rx-patients-page.h: find a patient as you type. */
#pragma once

#include <gtk/gtk.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_PATIENTS_PAGE (rx_patients_page_get_type ())

G_DECLARE_FINAL_TYPE (RxPatientsPage, rx_patients_page, RX, PATIENTS_PAGE, GtkWidget)

RxClinic   *rx_patients_page_get_clinic   (RxPatientsPage *self);
void        rx_patients_page_set_clinic   (RxPatientsPage *self,
                                           RxClinic       *clinic);
gboolean    rx_patients_page_get_busy     (RxPatientsPage *self);
GListModel *rx_patients_page_get_results  (RxPatientsPage *self);
void        rx_patients_page_focus_search (RxPatientsPage *self);
void        rx_patients_page_search       (RxPatientsPage *self,
                                           const char     *text);

G_END_DECLS
