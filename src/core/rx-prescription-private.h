/* rx-prescription-private.h: status moves that only other parts of core may make (signing,
 * dispensing), because each needs its own proof first. */
#pragma once

#include "rx-prescription.h"

G_BEGIN_DECLS

gboolean _rx_prescriptions_move (RxDb                 *db,
                                 const char           *id,
                                 RxPrescriptionStatus  to,
                                 const char           *reason,
                                 GError              **error);

RxPrescription *_rx_prescriptions_load (RxDb        *db,
                                        const char  *id,
                                        GError     **error);
char     *_rx_prescriptions_insert (RxDb                 *db,
                                   const char           *patient_id,
                                   const char           *prescriber,
                                   const RxItemFields   *items,
                                   guint                 n_items,
                                   const char           *notes,
                                   GError              **error);

char     *_rx_prescriptions_insert_history (RxDb                 *db,
                                           const char           *patient_id,
                                           const char           *prescriber_id,
                                           const RxItemFields   *items,
                                           guint                 n_items,
                                           RxPrescriptionStatus  final_status,
                                           const char           *created_at,
                                           const char           *signed_at,
                                           const char           *ended_at,
                                           GError              **error);

G_END_DECLS
