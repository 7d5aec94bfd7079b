/* rx-appointments-page.h: a day's appointments at reception, and checking in, moving and
 * cancelling them. */
#pragma once

#include <gtk/gtk.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_APPOINTMENTS_PAGE (rx_appointments_page_get_type ())

G_DECLARE_FINAL_TYPE (RxAppointmentsPage, rx_appointments_page, RX, APPOINTMENTS_PAGE, GtkWidget)

void           rx_appointments_page_set_clinic       (RxAppointmentsPage *self,
                                                      RxClinic           *clinic);
void           rx_appointments_page_set_can_write    (RxAppointmentsPage *self,
                                                      gboolean            can_write);
void           rx_appointments_page_show_day         (RxAppointmentsPage *self,
                                                      GDate              *day,
                                                      const char         *select_id);
void           rx_appointments_page_show_time        (RxAppointmentsPage *self,
                                                      const char         *starts_at,
                                                      const char         *select_id);
void           rx_appointments_page_reload           (RxAppointmentsPage *self);
void           rx_appointments_page_reload_if_stale  (RxAppointmentsPage *self);
gboolean       rx_appointments_page_get_busy         (RxAppointmentsPage *self);
GListModel    *rx_appointments_page_get_appointments (RxAppointmentsPage *self);
RxAppointment *rx_appointments_page_get_selected     (RxAppointmentsPage *self);
gboolean       rx_appointments_page_select           (RxAppointmentsPage *self,
                                                      const char         *appointment_id);
void           rx_appointments_page_check_in         (RxAppointmentsPage *self);
GtkWindow     *rx_appointments_page_move             (RxAppointmentsPage *self);
GtkWindow     *rx_appointments_page_cancel           (RxAppointmentsPage *self);

G_END_DECLS
