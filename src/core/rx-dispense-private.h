/* rx-dispense-private.h: what the dispensing queue (rx-dispense-queue.c), the dispense
 * itself (rx-dispense.c) and the label (rx-dispense-label.c) share. */
#pragma once

#include "rx-db-private.h"
#include "rx-dispense.h"

G_BEGIN_DECLS

/* Loads one prescription with its items' remainders and in-date stock, without checking its
 * signature (entry->verified stays FALSE) and without auditing the read. */
RxDispenseEntry *_rx_dispense_load_entry   (RxDb             *db,
                                            const char       *prescription_id,
                                            GError          **error);
void             _rx_dispense_entry_set_verification (RxDispenseEntry *self,
                                                      gboolean         ok,
                                                      const char      *reason);

/* "1 capsule TDS for 7 days. Take with water": the parts of a sig that are there. */
char            *_rx_dispense_directions   (const char       *dose,
                                            const char       *frequency,
                                            int               duration_days,
                                            const char       *instructions);

G_END_DECLS
