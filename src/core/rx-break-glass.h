/* rx-break-glass.h: emergency access to a restricted patient record: a reason, an expiry,
 * and the audit trail around it. */
#pragma once

#include <glib.h>

#include "rx-types.h"

G_BEGIN_DECLS

char     *rx_break_glass_open        (RxDb        *db,
                                      const char  *patient_id,
                                      const char  *reason,
                                      guint        minutes,
                                      GError     **error);
gboolean  rx_break_glass_is_active   (RxDb        *db,
                                      const char  *user_id,
                                      const char  *patient_id);
gboolean  rx_patients_set_restricted (RxDb        *db,
                                      const char  *patient_id,
                                      gboolean     restricted,
                                      GError     **error);

G_END_DECLS
