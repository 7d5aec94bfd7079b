/* rx-break-glass-private.h: the access check rx-patient.c makes before opening a record. */
#pragma once

#include "rx-break-glass.h"

G_BEGIN_DECLS

gboolean  _rx_patients_check_access  (RxDb        *db,
                                      const char  *patient_id,
                                      gboolean     restricted,
                                      GError     **error);

G_END_DECLS
