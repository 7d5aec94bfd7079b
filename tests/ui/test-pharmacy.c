/* test-pharmacy.c: the pharmacy and inventory windows on a demo clinic, driven as the
 * pharmacist would drive them: dispense part of a signed prescription (the rest stays open
 * and it stays in the queue), find that an expired lot cannot be chosen, receive stock by
 * scanning a GS1 string into the Scan entry, adjust and count a lot; the inventory list
 * reads only the pages it shows. */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "rx-clinic.h"
#include "rx-db-private.h"
#include "rx-dispense-item-group.h"
#include "rx-inventory-window.h"
#include "rx-pharmacy-window.h"
#include "rx-receive-dialog.h"
#include "rx-stock-level-model.h"
#include "rx-test-util.h"
#include "rx-ui-test.h"
#include "rx-window-kind.h"

#define PASSWORD    "demo-Staff-pass-9876"
#define EXPIRED_LOT "EXP-OLD-1"
#define DAY         ((gint64) 24 * 3600 * G_USEC_PER_SEC)

static char *demo_path;   /* made once; each test works on a copy */

typedef struct
{
  char      *dir;
  RxClinic  *clinic;
  GtkWindow *window;
  char      *rx;          /* a signed prescription of the queue, its signature good */
  char      *product_id;  /* its first item's product, which has an expired lot */
  char      *altered;     /* another one, changed after it was signed */
} Fixture;

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  RxClinic **clinic = user_data;

  if (g_task_get_source_tag (G_TASK (result)) == rx_clinic_create_demo_async)
    *clinic = rx_clinic_create_demo_finish (result, &error);
  else
    *clinic = rx_clinic_open_finish (result, &error);
  g_assert_no_error (error);
}

static void
logged_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rx_clinic_login_finish (RX_CLINIC (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gint64 back_then;

static gint64
past_clock (gpointer data)
{
  return back_then;
}

/* Before the window opens: a lot of the queued prescription's first medicine that was in
 * date when it came in and has expired since. */
static void
add_expired_lot (Fixture    *f,
                 const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxDb) db = rx_db_open (path, RX_DB_OPEN_NONE, &error);
  g_autoptr(GListModel) queue = NULL;
  g_autofree char *batch = NULL;
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *expiry = NULL;
  RxStockReceipt receipt = { 0, };

  g_assert_no_error (error);
  queue = rx_dispense_queue (db, 100, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (queue) && f->rx == NULL; i++)
    {
      g_autoptr(RxDispenseEntry) entry = g_list_model_get_item (queue, i);
      RxDispenseItem *item = rx_dispense_entry_get_items (entry)->pdata[0];

      /* one with enough in date to dispense a part of a fill */
      if (rx_dispense_entry_get_verified (entry) && item->quantity >= 2 &&
          item->available >= item->quantity && item->remaining >= item->quantity)
        {
          f->rx = g_strdup (rx_dispense_entry_get_prescription_id (entry));
          f->product_id = g_strdup (item->product_id);
        }
    }
  g_assert_nonnull (f->rx);

  /* An allergy recorded since the prescription was signed: the pharmacy sees it. */
  {
    g_autoptr(RxDispenseEntry) entry = rx_dispense_get_entry (db, f->rx, &error);
    g_autoptr(RxProduct) product = rx_formulary_get (db, f->product_id, &error);
    g_autofree char *allergy = NULL;

    g_assert_no_error (error);
    allergy = rx_patients_add_allergy (db, rx_dispense_entry_get_patient_id (entry),
                                       rx_product_get_inn (product), "rash", NULL, &error);
    g_assert_no_error (error);
  }

  /* Someone changes what a signature says was signed: it no longer verifies. */
  for (guint i = 0; i < g_list_model_get_n_items (queue) && f->altered == NULL; i++)
    {
      g_autoptr(RxDispenseEntry) entry = g_list_model_get_item (queue, i);

      if (rx_dispense_entry_get_verified (entry) &&
          g_strcmp0 (rx_dispense_entry_get_prescription_id (entry), f->rx) != 0)
        f->altered = g_strdup (rx_dispense_entry_get_prescription_id (entry));
    }
  g_assert_nonnull (f->altered);
  {
    g_autofree char *sql = g_strdup_printf ("DROP TRIGGER prescription_signatures_no_update;"
                                            "UPDATE prescription_signatures SET signed_bytes = "
                                            "replace (signed_bytes, '\"quantity\":', "
                                            "'\"quantity\":9') WHERE prescription_id = '%s'",
                                            f->altered);

    _rx_db_exec (db, sql, &error);
    g_assert_no_error (error);
  }

  back_then = g_get_real_time () - 400 * DAY;
  then = g_date_time_new_from_unix_utc (back_then / G_USEC_PER_SEC);
  expires = g_date_time_add_days (then, 30);
  expiry = g_date_time_format (expires, "%Y-%m-%d");
  rx_db_set_clock (db, past_clock, NULL);
  receipt.product = f->product_id;
  receipt.lot = EXPIRED_LOT;
  receipt.expiry = expiry;
  receipt.quantity = 40;
  receipt.unit_cost_minor = 5;
  receipt.supplier = "MedSupply Wholesale";
  batch = rx_stock_receive (db, &receipt, &error);
  g_assert_no_error (error);
  rx_db_set_clock (db, NULL, NULL);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) dest = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  g_file_copy (source, dest, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  gboolean done = FALSE;

  f->dir = rx_test_make_dir ();
  path = g_build_filename (f->dir, "clinic.db", NULL);
  copy_file (demo_path, path);
  add_expired_lot (f, path);

  rx_clinic_open_async (path, NULL, opened_cb, &f->clinic);
  rx_ui_wait_for ("the clinic to open", rx_ui_is_set, &f->clinic);
  rx_clinic_login_async (f->clinic, "rpatel", PASSWORD, NULL, logged_in_cb, &done);
  rx_ui_wait_for ("the login", rx_ui_is_true, &done);
}

static void
open_window (Fixture   *f,
             GtkWindow *window)
{
  f->window = window;
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (f->window);
  rx_ui_wait_for ("the window to settle", rx_ui_window_idle, f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  g_clear_object (&f->clinic);
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  rx_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->rx);
  g_free (f->product_id);
  g_free (f->altered);
}

static gboolean
stop_running (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Saves a picture of the window as it is now into the build's tests/ui/screenshots/, for a
 * person to look at after the run. */
static void
save_shot (GtkWindow  *window,
           const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                           "ui", "screenshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  for (guint attempt = 0; attempt < 20; attempt++)
    {
      int width = gtk_widget_get_width (GTK_WIDGET (window));
      int height = gtk_widget_get_height (GTK_WIDGET (window));
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      gboolean done = FALSE;

      /* a few frames, for the last change to be drawn */
      g_timeout_add (100, stop_running, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);

      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_to_node (snapshot);
      if (node == NULL || renderer == NULL)
        continue;
      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      texture = gsk_renderer_render_texture (renderer, node,
                                             &GRAPHENE_RECT_INIT (0, 0, width, height));
      g_assert_true (gdk_texture_save_to_png (texture, path));
      g_test_message ("Saved %s", path);
      return;
    }
  g_test_message ("The window drew nothing to save as %s", path);
}

/* The pharmacy ----------------------------------------------------------------------------- */

static gboolean
showing_rx (gpointer data)
{
  Fixture *f = data;
  RxPharmacyWindow *window = RX_PHARMACY_WINDOW (f->window);
  RxDispenseEntry *entry = rx_pharmacy_window_get_entry (window);

  return !rx_pharmacy_window_get_busy (window) && entry != NULL &&
         g_strcmp0 (rx_dispense_entry_get_prescription_id (entry), f->rx) == 0;
}

static gboolean
dispensed (gpointer data)
{
  RxPharmacyWindow *window = data;

  return !rx_pharmacy_window_get_busy (window) && rx_pharmacy_window_get_dispensed (window) != NULL;
}

static void
test_dispense_part (Fixture       *f,
                    gconstpointer  data)
{
  RxPharmacyWindow *window;
  RxDispenseEntry *entry;
  RxDispenseItemGroup *group;
  RxDispenseItem *item;
  GPtrArray *groups;
  GPtrArray *done;
  gint64 remaining_before, fill;
  gboolean in_queue = FALSE;
  GtkWindow *question;

  open_window (f, GTK_WINDOW (rx_pharmacy_window_new (NULL, f->clinic)));
  window = RX_PHARMACY_WINDOW (f->window);
  g_assert_cmpstr (rx_pharmacy_window_get_page (window), ==, "pharmacy");
  g_assert_cmpuint (g_list_model_get_n_items (rx_pharmacy_window_get_queue (window)), >, 0);

  /* choosing it shows its signature check, its safety alerts and its items */
  g_assert_true (rx_pharmacy_window_select (window, f->rx));
  rx_ui_wait_for ("the prescription", showing_rx, f);
  entry = rx_pharmacy_window_get_entry (window);
  g_assert_true (rx_dispense_entry_get_verified (entry));
  g_assert_nonnull (rx_pharmacy_window_get_alerts (window));
  {
    GListModel *alerts = rx_pharmacy_window_get_alerts (window);
    gboolean allergy = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
      {
        g_autoptr(RxSafetyAlert) alert = g_list_model_get_item (alerts, i);

        allergy |= rx_safety_alert_get_kind (alert) == RX_SAFETY_ALLERGY;
      }
    g_assert_true (allergy);
  }
  groups = rx_pharmacy_window_get_item_groups (window);
  g_assert_cmpuint (groups->len, ==, rx_dispense_entry_get_items (entry)->len);
  item = rx_dispense_entry_get_items (entry)->pdata[0];
  remaining_before = rx_dispense_entry_get_remaining (entry);

  /* one fill is proposed, first expiry first out; the expired lot is listed but cannot be
   * chosen */
  group = groups->pdata[0];
  fill = MIN (item->quantity, item->remaining);
  g_assert_cmpint (rx_dispense_item_group_get_quantity (group), ==, fill);
  g_assert_null (rx_dispense_item_group_get_lot (group));
  g_assert_false (rx_dispense_item_group_choose_lot (group, EXPIRED_LOT));
  g_assert_null (rx_dispense_item_group_get_lot (group));

  /* half of the first item now, none of the others */
  for (guint i = 1; i < groups->len; i++)
    rx_dispense_item_group_set_quantity (groups->pdata[i], 0);
  rx_dispense_item_group_set_quantity (group, fill / 2);

  /* the allergy is contraindicated: the pharmacist is asked, and may decline */
  question = rx_pharmacy_window_dispense (window);
  g_assert_nonnull (question);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (question), "cancel");
  g_assert_false (rx_pharmacy_window_get_busy (window));
  g_assert_null (rx_pharmacy_window_get_dispensed (window));

  question = rx_pharmacy_window_dispense (window);
  g_assert_nonnull (question);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (question), "dispense");
  rx_ui_wait_for ("the dispense", dispensed, window);
  rx_ui_wait_for ("the prescription again", showing_rx, f);

  done = rx_pharmacy_window_get_dispensed (window);
  g_assert_cmpuint (done->len, >=, 1);
  g_assert_cmpint (((RxDispensed *) done->pdata[0])->quantity, <=, fill / 2);
  g_assert_cmpstr (((RxDispensed *) done->pdata[0])->lot, !=, EXPIRED_LOT);

  /* the rest stays open: partly dispensed, still in the queue */
  entry = rx_pharmacy_window_get_entry (window);
  g_assert_cmpint (rx_dispense_entry_get_status (entry), ==, RX_PRESCRIPTION_PARTIALLY_DISPENSED);
  g_assert_cmpint (rx_dispense_entry_get_remaining (entry), ==, remaining_before - fill / 2);
  for (guint i = 0; i < g_list_model_get_n_items (rx_pharmacy_window_get_queue (window)); i++)
    {
      g_autoptr(RxDispenseEntry) queued = g_list_model_get_item (rx_pharmacy_window_get_queue (window), i);

      in_queue |= g_strcmp0 (rx_dispense_entry_get_prescription_id (queued), f->rx) == 0;
    }
  g_assert_true (in_queue);
  save_shot (f->window, "pharmacy-dispensed");
}

static gboolean
showing_altered (gpointer data)
{
  Fixture *f = data;
  RxPharmacyWindow *window = RX_PHARMACY_WINDOW (f->window);
  RxDispenseEntry *entry = rx_pharmacy_window_get_entry (window);

  return !rx_pharmacy_window_get_busy (window) && entry != NULL &&
         g_strcmp0 (rx_dispense_entry_get_prescription_id (entry), f->altered) == 0;
}

/* A prescription changed since it was signed stays in the queue, marked, and cannot be
 * dispensed. */
static void
test_unverifiable (Fixture       *f,
                   gconstpointer  data)
{
  RxPharmacyWindow *window;
  RxDispenseEntry *entry;
  GPtrArray *groups;

  open_window (f, GTK_WINDOW (rx_pharmacy_window_new (NULL, f->clinic)));
  window = RX_PHARMACY_WINDOW (f->window);
  g_assert_true (rx_pharmacy_window_select (window, f->altered));
  rx_ui_wait_for ("the altered prescription", showing_altered, f);

  entry = rx_pharmacy_window_get_entry (window);
  g_assert_false (rx_dispense_entry_get_verified (entry));
  g_assert_nonnull (rx_dispense_entry_get_verify_reason (entry));
  groups = rx_pharmacy_window_get_item_groups (window);
  g_assert_cmpuint (groups->len, >, 0);
  rx_pharmacy_window_dispense (window);
  g_assert_false (rx_pharmacy_window_get_busy (window));
  g_assert_null (rx_pharmacy_window_get_dispensed (window));
  save_shot (f->window, "pharmacy-unverifiable");
}

/* The inventory ---------------------------------------------------------------------------- */

static gboolean
showing_product (gpointer data)
{
  Fixture *f = data;
  RxInventoryWindow *window = RX_INVENTORY_WINDOW (f->window);

  return !rx_inventory_window_get_busy (window) &&
         g_strcmp0 (rx_inventory_window_get_product_id (window), f->product_id) == 0 &&
         rx_inventory_window_get_lots (window) != NULL;
}

static gint64
lot_quantity (RxInventoryWindow *window,
              const char        *lot)
{
  GListModel *lots = rx_inventory_window_get_lots (window);

  for (guint i = 0; i < g_list_model_get_n_items (lots); i++)
    {
      g_autoptr(RxBatch) batch = g_list_model_get_item (lots, i);

      if (g_strcmp0 (rx_batch_get_lot (batch), lot) == 0)
        return rx_batch_get_quantity (batch);
    }
  return -1;
}

static void
test_inventory_reads_pages (Fixture       *f,
                            gconstpointer  data)
{
  RxInventoryWindow *window;
  GListModel *products;
  RxStockLevelModel *model;
  guint n;

  open_window (f, GTK_WINDOW (rx_inventory_window_new (NULL, f->clinic)));
  window = RX_INVENTORY_WINDOW (f->window);
  products = rx_inventory_window_get_products (window);
  model = RX_STOCK_LEVEL_MODEL (products);
  n = g_list_model_get_n_items (products);

  /* the whole formulary is listed, but only the pages on screen were read */
  g_assert_cmpuint (n, >, 5 * RX_STOCK_LEVEL_PAGE);
  g_assert_cmpuint (rx_stock_level_model_get_pages_read (model), <=, 3);

  /* the last row is read when it is asked for */
  {
    g_autoptr(RxStockLevelItem) last = g_list_model_get_item (products, n - 1);

    g_assert_false (rx_stock_level_item_get_loaded (last));
    rx_ui_wait_for ("the last page", rx_ui_window_idle, window);
    g_assert_true (rx_stock_level_item_get_loaded (last));
  }

  /* a filter narrows it */
  rx_inventory_window_set_filter (window, "amoxicillin");
  rx_ui_wait_for ("the filter", rx_ui_window_idle, window);
  g_assert_cmpuint (g_list_model_get_n_items (products), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (products), <, 20);
  {
    g_autoptr(RxStockLevelItem) first = g_list_model_get_item (products, 0);

    rx_ui_wait_for ("the page", rx_ui_window_idle, window);
    g_assert_nonnull (strstr (rx_stock_level_item_get_level (first)->product_code, "amoxicillin"));
  }
}

static void
test_receive_by_scan (Fixture       *f,
                      gconstpointer  data)
{
  RxInventoryWindow *window;
  RxReceiveDialog *dialog;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_years (now, 2);
  g_autofree char *yymmdd = g_date_time_format (later, "%y%m%d");
  g_autofree char *expiry = g_date_time_format (later, "%Y-%m-%d");
  /* as a scanner types a DataMatrix: symbology prefix, GTIN, expiry, lot ended by GS, serial */
  g_autofree char *scan = g_strdup_printf ("]d2010950600013435217%s10LOT-SCAN-7\x1d" "21SN12345",
                                           yymmdd);
  g_autofree char *code = NULL;
  GtkWindow *receive;

  open_window (f, GTK_WINDOW (rx_inventory_window_new (NULL, f->clinic)));
  window = RX_INVENTORY_WINDOW (f->window);
  rx_inventory_window_show_product (window, f->product_id);
  rx_ui_wait_for ("the product", showing_product, f);

  /* its expired lot is listed, as on the shelf */
  g_assert_cmpint (lot_quantity (window, EXPIRED_LOT), ==, 40);

  receive = rx_inventory_window_receive (window);
  g_assert_nonnull (receive);
  dialog = RX_RECEIVE_DIALOG (receive);
  g_object_add_weak_pointer (G_OBJECT (receive), (gpointer *) &receive);

  /* the Scan entry has the focus from the start, for the scanner to type into */
  g_assert_nonnull (gtk_window_get_focus (receive));
  g_assert_nonnull (gtk_widget_get_ancestor (gtk_window_get_focus (receive), GTK_TYPE_ENTRY));

  /* a product of the clinic by hand, then the scan fills the rest; the GTIN is new */
  code = g_strdup (f->product_id);
  rx_receive_dialog_set_field (dialog, "product", code);
  rx_receive_dialog_scan (dialog, scan);
  g_assert_cmpstr (rx_receive_dialog_get_field (dialog, "lot"), ==, "LOT-SCAN-7");
  g_assert_cmpstr (rx_receive_dialog_get_field (dialog, "expiry"), ==, expiry);
  g_assert_cmpstr (rx_receive_dialog_get_field (dialog, "gtin"), ==, "09506000134352");
  g_assert_cmpstr (rx_receive_dialog_get_field (dialog, "serial"), ==, "SN12345");
  rx_ui_wait_for ("the GTIN look-up", rx_ui_window_idle, receive);
  g_assert_nonnull (strstr (rx_receive_dialog_get_message (dialog), "09506000134352"));

  /* a quantity that is not a number is refused before anything is written */
  rx_receive_dialog_set_field (dialog, "quantity", "ten");
  rx_receive_dialog_receive (dialog);
  g_assert_nonnull (strstr (rx_receive_dialog_get_message (dialog), "whole number"));
  g_assert_nonnull (receive);

  rx_receive_dialog_set_field (dialog, "quantity", "50");
  rx_receive_dialog_set_field (dialog, "cost", "0.35");
  rx_receive_dialog_set_field (dialog, "supplier", "Regional Pharma Depot");
  rx_receive_dialog_receive (dialog);
  rx_ui_wait_for ("the receipt", rx_ui_is_null, &receive);
  rx_ui_wait_for ("the product again", showing_product, f);
  g_assert_cmpint (lot_quantity (window, "LOT-SCAN-7"), ==, 50);
  save_shot (f->window, "inventory-received");

  /* the same pack scanned again names its product by the GTIN learnt */
  receive = rx_inventory_window_receive (window);
  g_object_add_weak_pointer (G_OBJECT (receive), (gpointer *) &receive);
  rx_receive_dialog_set_field (RX_RECEIVE_DIALOG (receive), "product", "");
  rx_receive_dialog_scan (RX_RECEIVE_DIALOG (receive), scan);
  rx_ui_wait_for ("the GTIN look-up", rx_ui_window_idle, receive);
  g_assert_cmpstr (rx_receive_dialog_get_field (RX_RECEIVE_DIALOG (receive), "product"), !=, "");
  gtk_window_destroy (receive);
}

/* The expired lot is written off with its reason; a count of another lot records the
 * difference. Both show in the lots and the movements at once. */
static void
test_adjust_and_count (Fixture       *f,
                       gconstpointer  data)
{
  RxInventoryWindow *window;
  GtkWindow *dialog;
  GListModel *lots;
  g_autofree char *other = NULL;
  gint64 before;

  open_window (f, GTK_WINDOW (rx_inventory_window_new (NULL, f->clinic)));
  window = RX_INVENTORY_WINDOW (f->window);
  rx_inventory_window_show_product (window, f->product_id);
  rx_ui_wait_for ("the product", showing_product, f);

  /* expiry write-off: the whole expired lot goes */
  dialog = rx_inventory_window_adjust (window, EXPIRED_LOT);
  g_assert_nonnull (dialog);
  gtk_drop_down_set_selected (g_object_get_data (G_OBJECT (dialog), "reason"), 3);
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (dialog), "quantity"), 40);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  rx_ui_wait_for ("the write-off", rx_ui_window_idle, window);
  rx_ui_wait_for ("the product again", showing_product, f);
  g_assert_cmpint (lot_quantity (window, EXPIRED_LOT), ==, -1);

  /* a count two short of the ledger */
  lots = rx_inventory_window_get_lots (window);
  g_assert_cmpuint (g_list_model_get_n_items (lots), >, 0);
  {
    g_autoptr(RxBatch) batch = g_list_model_get_item (lots, 0);

    other = g_strdup (rx_batch_get_lot (batch));
    before = rx_batch_get_quantity (batch);
  }
  dialog = rx_inventory_window_count (window, other);
  g_assert_nonnull (dialog);
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (dialog), "counted"), before - 2);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  rx_ui_wait_for ("the count", rx_ui_window_idle, window);
  rx_ui_wait_for ("the product again", showing_product, f);
  g_assert_cmpint (lot_quantity (window, other), ==, before - 2);
}

/* Locking hides both windows' contents; logging out closes them. */
static void
test_lock_and_logout (Fixture       *f,
                      gconstpointer  data)
{
  GtkWindow *inventory;

  open_window (f, GTK_WINDOW (rx_pharmacy_window_new (NULL, f->clinic)));
  inventory = GTK_WINDOW (rx_inventory_window_new (NULL, f->clinic));
  g_object_add_weak_pointer (G_OBJECT (inventory), (gpointer *) &inventory);
  gtk_window_present (inventory);
  rx_ui_wait_for ("the inventory to settle", rx_ui_window_idle, inventory);

  rx_clinic_lock (f->clinic);
  g_assert_cmpstr (rx_pharmacy_window_get_page (RX_PHARMACY_WINDOW (f->window)), ==, "locked");
  g_assert_cmpstr (rx_inventory_window_get_page (RX_INVENTORY_WINDOW (inventory)), ==, "locked");
  g_assert_false (gtk_widget_is_visible (rx_inventory_window_get_product_view (RX_INVENTORY_WINDOW (inventory))));

  rx_clinic_logout (f->clinic);
  rx_ui_wait_for ("the pharmacy window to close", rx_ui_is_null, &f->window);
  rx_ui_wait_for ("the inventory window to close", rx_ui_is_null, &inventory);
}

static void
make_demo (void)
{
  g_autofree char *dir = rx_test_make_dir ();
  RxClinic *clinic = NULL;

  demo_path = g_build_filename (dir, "demo.db", NULL);
  rx_clinic_create_demo_async (demo_path, PASSWORD, NULL, opened_cb, &clinic);
  rx_ui_wait_for ("the demo clinic", rx_ui_is_set, &clinic);
  g_object_unref (clinic);
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring = NULL;
  g_autofree char *demo_dir = NULL;
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display to open a window on\n");
      return 0;
    }

  keyring = rx_test_use_private_keyring ();
  gtk_init ();
  adw_init ();
  make_demo ();
  demo_dir = g_path_get_dirname (demo_path);

  g_test_add ("/ui/pharmacy/dispense-part", Fixture, NULL,
              fixture_setup, test_dispense_part, fixture_teardown);
  g_test_add ("/ui/pharmacy/unverifiable-cannot-be-dispensed", Fixture, NULL,
              fixture_setup, test_unverifiable, fixture_teardown);
  g_test_add ("/ui/pharmacy/lock-and-logout", Fixture, NULL,
              fixture_setup, test_lock_and_logout, fixture_teardown);
  g_test_add ("/ui/inventory/reads-pages", Fixture, NULL,
              fixture_setup, test_inventory_reads_pages, fixture_teardown);
  g_test_add ("/ui/inventory/adjust-and-count", Fixture, NULL,
              fixture_setup, test_adjust_and_count, fixture_teardown);
  g_test_add ("/ui/inventory/receive-by-scan", Fixture, NULL,
              fixture_setup, test_receive_by_scan, fixture_teardown);

  status = g_test_run ();
  rx_test_remove_dir (demo_dir);
  rx_test_remove_dir (keyring);
  g_free (demo_path);

  return status;
}
