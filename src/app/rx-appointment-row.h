/* rx-appointment-row.h: one appointment in the day's list at reception. */
#pragma once

#include <gtk/gtk.h>

#include "rx-core.h"

G_BEGIN_DECLS

#define RX_TYPE_APPOINTMENT_ROW (rx_appointment_row_get_type ())

G_DECLARE_FINAL_TYPE (RxAppointmentRow, rx_appointment_row, RX, APPOINTMENT_ROW, GtkWidget)

GtkWidget     *rx_appointment_row_new             (void);
void           rx_appointment_row_set_appointment (RxAppointmentRow *self,
                                                   RxAppointment    *appointment);
const char    *rx_appointment_status_label        (const char       *status);

G_END_DECLS
