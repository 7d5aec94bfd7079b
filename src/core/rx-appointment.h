/* rx-appointment.h: the clinic's appointment book.
 *
 * Times are UTC, written YYYY-MM-DDTHH:MM:SSZ; days are UTC days (YYYY-MM-DD). A clinician
 * cannot be booked twice at once. An appointment without a clinician is on the clinic's
 * shared calendar, which is also never double-booked. */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"

G_BEGIN_DECLS

#define RX_TYPE_APPOINTMENT (rx_appointment_get_type ())
G_DECLARE_FINAL_TYPE (RxAppointment, rx_appointment, RX, APPOINTMENT, GObject)

const char    *rx_appointment_get_id            (RxAppointment *self);
const char    *rx_appointment_get_patient_id    (RxAppointment *self);
const char    *rx_appointment_get_clinician_id  (RxAppointment *self);
const char    *rx_appointment_get_starts_at     (RxAppointment *self);
const char    *rx_appointment_get_ends_at       (RxAppointment *self);
const char    *rx_appointment_get_status        (RxAppointment *self);
const char    *rx_appointment_get_reason        (RxAppointment *self);
const char    *rx_appointment_get_patient_name  (RxAppointment *self);
const char    *rx_appointment_get_patient_record (RxAppointment *self);
const char    *rx_appointment_get_clinician_name (RxAppointment *self);

RxAppointment *rx_appointments_book        (RxDb        *db,
                                            const char  *patient_id,
                                            const char  *clinician_id,
                                            const char  *starts_at,
                                            guint        minutes,
                                            const char  *reason,
                                            GError     **error);
gboolean       rx_appointments_move        (RxDb        *db,
                                            const char  *appointment_id,
                                            const char  *starts_at,
                                            guint        minutes,
                                            GError     **error);
gboolean       rx_appointments_set_status  (RxDb        *db,
                                            const char  *appointment_id,
                                            const char  *status,
                                            GError     **error);
gboolean       rx_appointments_cancel      (RxDb        *db,
                                            const char  *appointment_id,
                                            const char  *reason,
                                            GError     **error);
RxAppointment *rx_appointments_get         (RxDb        *db,
                                            const char  *appointment_id,
                                            GError     **error);
GListModel    *rx_appointments_list_day    (RxDb        *db,
                                            const char  *day,
                                            GError     **error);
GStrv          rx_appointments_free_slots  (RxDb        *db,
                                            const char  *clinician_id,
                                            const char  *day,
                                            guint        minutes,
                                            const char  *opening,
                                            const char  *closing,
                                            GError     **error);

G_END_DECLS
