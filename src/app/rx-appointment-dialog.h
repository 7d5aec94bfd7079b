/* rx-appointment-dialog.h: book a patient in, or move a booking, at a time that is free. */
#pragma once

#include <adwaita.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

/* Opening hours, local time, until the clinic can set its own. */
#define RX_APPOINTMENT_OPENS_HOUR  8
#define RX_APPOINTMENT_CLOSES_HOUR 18

#define RX_TYPE_APPOINTMENT_DIALOG (rx_appointment_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RxAppointmentDialog, rx_appointment_dialog, RX, APPOINTMENT_DIALOG,
                      AdwWindow)

RxAppointmentDialog *rx_appointment_dialog_new_book  (GtkWindow           *parent,
                                                      RxClinic            *clinic,
                                                      RxPatient           *patient);
RxAppointmentDialog *rx_appointment_dialog_new_move  (GtkWindow           *parent,
                                                      RxClinic            *clinic,
                                                      RxAppointment       *appointment);
gboolean             rx_appointment_dialog_get_busy  (RxAppointmentDialog *self);
gboolean             rx_appointment_dialog_get_ready (RxAppointmentDialog *self);
const char          *rx_appointment_dialog_get_error (RxAppointmentDialog *self);
const char          *rx_appointment_dialog_get_time  (RxAppointmentDialog *self);
void                 rx_appointment_dialog_confirm   (RxAppointmentDialog *self);

G_END_DECLS
