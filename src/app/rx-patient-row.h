/* rx-patient-row.h: one patient in a search result: name, record number, birth date and
 * age, allergies. */
#pragma once

#include <gtk/gtk.h>

#include "rx-patient.h"

G_BEGIN_DECLS

#define RX_TYPE_PATIENT_ROW (rx_patient_row_get_type ())

G_DECLARE_FINAL_TYPE (RxPatientRow, rx_patient_row, RX, PATIENT_ROW, GtkWidget)

GtkWidget *rx_patient_row_new         (void);
RxPatient *rx_patient_row_get_patient (RxPatientRow *self);
void       rx_patient_row_set_patient (RxPatientRow *self,
                                       RxPatient    *patient);

G_END_DECLS
