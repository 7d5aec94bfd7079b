/* rx-appointment-private.h: the inside of RxAppointment, shared by rx-appointment.c (the
 * object, times and reads) and rx-appointment-book.c (writes and free times). */
#pragma once

#include "rx-appointment.h"
#include "rx-db-private.h"

G_BEGIN_DECLS

struct _RxAppointment
{
  GObject  parent_instance;

  char    *id;
  char    *patient_id;
  char    *clinician_id;
  char    *starts_at;
  char    *ends_at;
  char    *status;
  char    *reason;
  /* read with the appointment, for lists that name who comes and whom they see */
  char    *patient_name;
  char    *patient_record;
  char    *clinician_name;
};

RxAppointment *_rx_appointment_load        (RxDb        *db,
                                            const char  *id,
                                            GError     **error);
gboolean       _rx_appointment_has_shape   (const char  *text,
                                            const char  *shape);
gboolean       _rx_appointment_parse_time  (const char  *text,
                                            const char  *what,
                                            gint64      *out,
                                            GError     **error);
char          *_rx_appointment_format_time (gint64       unix_seconds);
gboolean       _rx_appointment_parse_day   (const char  *day,
                                            gint64      *out,
                                            GError     **error);

G_END_DECLS
