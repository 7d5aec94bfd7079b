/* rx-dispense-private.h: what the dispensary's entry (rx-dispense-entry.c), its queue
 * (rx-dispense-queue.c), the dispense itself (rx-dispense.c) and the label
 * (rx-dispense-label.c) share. */
#pragma once

#include "rx-db-private.h"
#include "rx-dispense.h"

G_BEGIN_DECLS

/* The columns _rx_dispense_entry_from_stmt() reads; the caller adds WHERE and ORDER BY. */
#define RX_DISPENSE_ENTRY_SELECT \
  "SELECT r.id, r.patient_id, trim (pt.given_names || ' ' || pt.family_name), " \
  "  pt.record_number, u.full_name, r.status, r.signed_at " \
  "FROM prescriptions r JOIN patients pt ON pt.id = r.patient_id " \
  "LEFT JOIN users u ON u.id = r.prescriber_id "

RxDispenseEntry *_rx_dispense_entry_from_stmt  (sqlite3_stmt     *stmt);
/* Adds the items, with what remains of each and the in-date stock at this site. */
gboolean         _rx_dispense_entry_load_items (RxDb             *db,
                                                RxDispenseEntry  *self,
                                                GError          **error);

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
