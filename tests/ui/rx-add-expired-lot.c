/* rx-add-expired-lot.c: readies a demo clinic for the pharmacy's accessibility test. It picks
 * the first signed prescription of the queue whose first medicine has a full fill in stock,
 * gives that medicine a lot (EXP-OLD-1) that came in a year ago and has expired since, and
 * prints the patient's name and the medicine's, a tab apart, for the test to look for. */
#include "config.h"

#include <stdlib.h>

#include "rx-core.h"

static gint64 back_then;

static gint64
past_clock (gpointer data)
{
  return back_then;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxDb) db = NULL;
  g_autoptr(GListModel) queue = NULL;
  g_autoptr(RxDispenseEntry) chosen = NULL;
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *expiry = NULL;
  g_autofree char *batch = NULL;
  RxDispenseItem *item = NULL;
  RxStockReceipt receipt = { 0, };

  if (argc != 2)
    {
      g_printerr ("Usage: %s CLINIC.db\n", argv[0]);
      return EXIT_FAILURE;
    }

  db = rx_db_open (argv[1], RX_DB_OPEN_NONE, &error);
  if (db != NULL)
    queue = rx_dispense_queue (db, 100, &error);
  if (queue == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  for (guint i = 0; i < g_list_model_get_n_items (queue) && chosen == NULL; i++)
    {
      g_autoptr(RxDispenseEntry) entry = g_list_model_get_item (queue, i);

      item = rx_dispense_entry_get_items (entry)->pdata[0];
      if (rx_dispense_entry_get_verified (entry) && item->quantity >= 2 &&
          item->available >= item->quantity && item->remaining >= item->quantity)
        chosen = g_steal_pointer (&entry);
    }
  if (chosen == NULL)
    {
      g_printerr ("No prescription of the queue has its first medicine in stock\n");
      return EXIT_FAILURE;
    }
  item = rx_dispense_entry_get_items (chosen)->pdata[0];

  back_then = g_get_real_time () - (gint64) 400 * 24 * 3600 * G_USEC_PER_SEC;
  then = g_date_time_new_from_unix_utc (back_then / G_USEC_PER_SEC);
  expires = g_date_time_add_days (then, 30);
  expiry = g_date_time_format (expires, "%Y-%m-%d");
  rx_db_set_clock (db, past_clock, NULL);
  receipt.product = item->product_id;
  receipt.lot = "EXP-OLD-1";
  receipt.expiry = expiry;
  receipt.quantity = 40;
  receipt.unit_cost_minor = 5;
  receipt.supplier = "MedSupply Wholesale";
  batch = rx_stock_receive (db, &receipt, &error);
  if (batch == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  g_print ("%s\t%s\n", rx_dispense_entry_get_patient_name (chosen), item->product_name);
  return EXIT_SUCCESS;
}
