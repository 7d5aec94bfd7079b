/* rx-dispense-safety.c: the safety checks as the dispensary sees a prescription: its items
 * against the patient's allergies and the other medicines they are on, so the pharmacist
 * sees what the prescriber saw (and anything that arrived since). */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-dispense.h"
#include "rx-db.h"
#include "rx-safety-private.h"

/**
 * rx_dispense_check_safety:
 * @entry: a prescription as rx_dispense_get_entry() or the queue gave it
 *
 * Checks the prescription's items against each other, the patient's allergies and their
 * other current medicines (signed prescriptions not yet fully dispensed, this one left out
 * so that it is not a duplicate of itself). The read of the patient is audited.
 *
 * Returns: (transfer full): the alerts (element-type RxSafetyAlert), most severe first, or
 *   %NULL with @error set
 */
GListModel *
rx_dispense_check_safety (RxDb             *db,
                          RxDispenseEntry  *entry,
                          GError          **error)
{
  g_autoptr(RxSafetyContext) context = NULL;
  g_autofree RxSafetyItem *items = NULL;
  GPtrArray *lines;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (RX_IS_DISPENSE_ENTRY (entry), NULL);

  context = _rx_safety_context_new_leaving_out (db, rx_dispense_entry_get_patient_id (entry),
                                                rx_dispense_entry_get_prescription_id (entry),
                                                error);
  if (context == NULL)
    return NULL;

  lines = rx_dispense_entry_get_items (entry);
  items = g_new0 (RxSafetyItem, MAX (lines->len, 1));
  for (guint i = 0; i < lines->len; i++)
    {
      RxDispenseItem *item = lines->pdata[i];

      items[i].product = item->product_id;
      items[i].instructions = item->directions;
    }

  return rx_safety_check (context, items, lines->len, error);
}
