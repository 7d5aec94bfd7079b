/* rx-inventory-window-actions.c: what the inventory window does: receive stock, adjust a
 * lot with a reason, count a lot (a stock-take of one lot), the reorder report and the CSV
 * export; every write is one of core's audited transactions. And the input that keeps the
 * session awake. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rx-a11y.h"
#include "rx-inventory-window-private.h"
#include "rx-receive-dialog.h"

void
_rx_inventory_window_update_actions (RxInventoryWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean working = self->clinic != NULL && !rx_clinic_get_locked (self->clinic);
  gboolean idle = self->working == NULL;

  gtk_widget_action_set_enabled (widget, "win.receive", working);
  gtk_widget_action_set_enabled (widget, "win.reorder-report", working && idle);
  gtk_widget_action_set_enabled (widget, "win.export", working && idle);
  gtk_widget_action_set_enabled (widget, "win.refresh", working);
  gtk_widget_action_set_enabled (widget, "win.search-products", working);
  gtk_widget_action_set_enabled (widget, "win.lock", working);
}

static void
set_working (RxInventoryWindow *self,
             GCancellable      *cancellable)
{
  g_set_object (&self->working, cancellable);
  _rx_inventory_window_notify_busy (self);
  _rx_inventory_window_update_actions (self);
}

/* Receiving ------------------------------------------------------------------------------- */

static void
received_cb (RxInventoryWindow *self,
             const char        *product_id,
             const char        *lot,
             gint64             quantity)
{
  g_autofree char *message = g_strdup_printf (_("Received %lld into lot %s"), (long long) quantity,
                                              lot);

  _rx_inventory_window_toast (self, message);
  g_free (self->product_id);
  self->product_id = g_strdup (product_id);
  _rx_inventory_window_stock_changed (self);
}

static void
dialog_gone_cb (RxInventoryWindow *self)
{
  self->dialog = NULL;
  _rx_inventory_window_notify_busy (self);
}

/* Opens the receive dialog, for the product shown if there is one (tests drive it). */
GtkWindow *
rx_inventory_window_receive (RxInventoryWindow *self)
{
  RxReceiveDialog *dialog;

  g_return_val_if_fail (RX_IS_INVENTORY_WINDOW (self), NULL);

  if (rx_clinic_get_locked (self->clinic))
    return NULL;
  if (self->dialog != NULL)
    {
      gtk_window_present (self->dialog);
      return self->dialog;
    }

  /* The product shown is the likely one; a scan of a known pack names its own. */
  dialog = rx_receive_dialog_new (GTK_WINDOW (self), self->clinic, self->product_code);
  g_signal_connect_object (dialog, "received", G_CALLBACK (received_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_gone_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "notify::busy",
                           G_CALLBACK (_rx_inventory_window_notify_busy), self,
                           G_CONNECT_SWAPPED);
  self->dialog = GTK_WINDOW (dialog);
  gtk_window_present (self->dialog);
  return self->dialog;
}

/* Adjusting and counting a lot ------------------------------------------------------------ */

static const struct
{
  const char *reason;   /* as recorded */
  const char *label;
  gboolean    removes;  /* the quantity is taken away */
} reasons[] = {
  { "damage", N_("Damaged"), TRUE },
  { "count-correction", N_("Count correction"), FALSE },
  { "return-to-supplier", N_("Returned to the supplier"), TRUE },
  { "expiry-write-off", N_("Expiry write-off"), TRUE },
};

typedef struct
{
  char   *product_id;
  char   *lot;
  gint64  delta;        /* adjust */
  gint64  counted;      /* count; -1 for an adjustment */
  char   *reason;
} StockChange;

static void
stock_change_free (gpointer data)
{
  StockChange *change = data;

  g_free (change->product_id);
  g_free (change->lot);
  g_free (change->reason);
  g_free (change);
}

static gpointer
change_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  StockChange *change = data;

  if (change->counted >= 0)
    {
      RxStockCount count = { change->product_id, change->lot, change->counted };
      g_autoptr(GPtrArray) counted = rx_stock_take (db, &count, 1, error);
      RxStockCounted *c;

      if (counted == NULL)
        return NULL;
      c = counted->pdata[0];
      if (c->difference == 0)
        return g_strdup_printf (_("Lot %s counted: %lld, as the ledger says"), change->lot,
                                (long long) c->counted);
      return g_strdup_printf (_("Lot %s counted: %lld; the ledger said %lld, so %+lld is recorded"),
                              change->lot, (long long) c->counted, (long long) c->expected,
                              (long long) c->difference);
    }

  if (!rx_stock_adjust (db, change->product_id, change->lot, change->delta, change->reason,
                        error))
    return NULL;
  return g_strdup_printf (_("Lot %s adjusted by %+lld (%s)"), change->lot,
                          (long long) change->delta, change->reason);
}

static void
changed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxInventoryWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = RX_INVENTORY_WINDOW (user_data);
  set_working (self, NULL);

  if (message == NULL)
    {
      AdwMessageDialog *dialog;

      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                           _("Nothing Was Changed"),
                                                           error->message));
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  _rx_inventory_window_toast (self, message);
  _rx_inventory_window_stock_changed (self);
}

static void
run_change (RxInventoryWindow *self,
            StockChange       *change)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  set_working (self, cancellable);
  rx_clinic_run_async (self->clinic, change_in_worker, change, stock_change_free, g_free,
                       cancellable, changed_cb, self);
}

static void
adjust_response_cb (AdwMessageDialog  *dialog,
                    const char        *response,
                    RxInventoryWindow *self)
{
  GtkDropDown *reason = g_object_get_data (G_OBJECT (dialog), "reason");
  GtkSpinButton *quantity = g_object_get_data (G_OBJECT (dialog), "quantity");
  guint chosen = gtk_drop_down_get_selected (reason);
  gint64 amount = gtk_spin_button_get_value_as_int (quantity);
  StockChange *change;

  if (!g_str_equal (response, "apply") || chosen >= G_N_ELEMENTS (reasons) || amount == 0)
    return;

  change = g_new0 (StockChange, 1);
  change->product_id = g_strdup (g_object_get_data (G_OBJECT (dialog), "product"));
  change->lot = g_strdup (g_object_get_data (G_OBJECT (dialog), "lot"));
  change->counted = -1;
  change->delta = reasons[chosen].removes ? -ABS (amount) : amount;
  change->reason = g_strdup (reasons[chosen].reason);
  run_change (self, change);
}

static GtkWidget *
labelled (const char *text,
          GtkWidget  *widget)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  return box;
}

static AdwMessageDialog *
lot_dialog (RxInventoryWindow *self,
            RxBatch           *batch,
            const char        *heading,
            const char        *body,
            const char        *apply)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "apply", apply, NULL);
  adw_message_dialog_set_response_appearance (dialog, "apply", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "apply");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "product",
                          g_strdup (rx_batch_get_product_id (batch)), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "lot", g_strdup (rx_batch_get_lot (batch)), g_free);
  return dialog;
}

/* Asks how much of a lot to take off (or add back) and why. */
GtkWindow *
_rx_inventory_window_adjust_lot (RxInventoryWindow *self,
                                 RxBatch           *batch)
{
  g_autofree char *heading = g_strdup_printf (_("Adjust Lot %s"), rx_batch_get_lot (batch));
  g_autofree char *body = g_strdup_printf (_("%s: %lld on hand. Damaged, returned and written-off stock is taken away; a count correction may add or take away."),
                                           rx_batch_get_product_name (batch),
                                           (long long) rx_batch_get_quantity (batch));
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  AdwMessageDialog *dialog = lot_dialog (self, batch, heading, body, _("_Adjust"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *reason;
  GtkWidget *quantity;

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    gtk_string_list_append (names, _(reasons[i].label));
  reason = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
  quantity = gtk_spin_button_new_with_range (-(double) MAX (rx_batch_get_quantity (batch), 0),
                                             10000000, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (quantity), 1);
  gtk_box_append (GTK_BOX (box), labelled (_("_Reason"), reason));
  gtk_box_append (GTK_BOX (box), labelled (_("_Quantity"), quantity));
  adw_message_dialog_set_extra_child (dialog, box);
  g_object_set_data (G_OBJECT (dialog), "reason", reason);
  g_object_set_data (G_OBJECT (dialog), "quantity", quantity);

  g_signal_connect_object (dialog, "response", G_CALLBACK (adjust_response_cb), self, 0);
  rx_a11y_fix_button_labels (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static void
count_response_cb (AdwMessageDialog  *dialog,
                   const char        *response,
                   RxInventoryWindow *self)
{
  GtkSpinButton *counted = g_object_get_data (G_OBJECT (dialog), "counted");
  StockChange *change;

  if (!g_str_equal (response, "apply"))
    return;

  change = g_new0 (StockChange, 1);
  change->product_id = g_strdup (g_object_get_data (G_OBJECT (dialog), "product"));
  change->lot = g_strdup (g_object_get_data (G_OBJECT (dialog), "lot"));
  change->counted = gtk_spin_button_get_value_as_int (counted);
  run_change (self, change);
}

/* Asks what is on the shelf of a lot; the difference is recorded as a stock-take. */
GtkWindow *
_rx_inventory_window_count_lot (RxInventoryWindow *self,
                                RxBatch           *batch)
{
  g_autofree char *heading = g_strdup_printf (_("Count Lot %s"), rx_batch_get_lot (batch));
  g_autofree char *body = g_strdup_printf (_("%s: the ledger says %lld. Count what is on the shelf; a difference is recorded as a stock-take adjustment."),
                                           rx_batch_get_product_name (batch),
                                           (long long) rx_batch_get_quantity (batch));
  AdwMessageDialog *dialog = lot_dialog (self, batch, heading, body, _("_Record Count"));
  GtkWidget *counted = gtk_spin_button_new_with_range (0, 10000000, 1);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (counted), MAX (rx_batch_get_quantity (batch), 0));
  adw_message_dialog_set_extra_child (dialog, labelled (_("_Counted on the shelf"), counted));
  g_object_set_data (G_OBJECT (dialog), "counted", counted);
  g_signal_connect_object (dialog, "response", G_CALLBACK (count_response_cb), self, 0);
  rx_a11y_fix_button_labels (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static RxBatch *
find_lot (RxInventoryWindow *self,
          const char        *lot)
{
  for (guint i = 0; self->lots != NULL && i < g_list_model_get_n_items (self->lots); i++)
    {
      g_autoptr(RxBatch) batch = g_list_model_get_item (self->lots, i);

      if (g_strcmp0 (rx_batch_get_lot (batch), lot) == 0)
        return g_steal_pointer (&batch);
    }
  return NULL;
}

/**
 * rx_inventory_window_adjust:
 * @lot: a lot of the product shown
 *
 * Opens the adjustment dialog of @lot as its Adjust button does (tests drive it).
 *
 * Returns: (transfer none) (nullable): the dialog; its "reason" (GtkDropDown) and "quantity"
 *   (GtkSpinButton) are in its object data
 */
GtkWindow *
rx_inventory_window_adjust (RxInventoryWindow *self,
                            const char        *lot)
{
  g_autoptr(RxBatch) batch = NULL;

  g_return_val_if_fail (RX_IS_INVENTORY_WINDOW (self), NULL);

  batch = find_lot (self, lot);
  return batch ? _rx_inventory_window_adjust_lot (self, batch) : NULL;
}

/**
 * rx_inventory_window_count:
 * @lot: a lot of the product shown
 *
 * Returns: (transfer none) (nullable): the count dialog of @lot; its "counted"
 *   (GtkSpinButton) is in its object data
 */
GtkWindow *
rx_inventory_window_count (RxInventoryWindow *self,
                           const char        *lot)
{
  g_autoptr(RxBatch) batch = NULL;

  g_return_val_if_fail (RX_IS_INVENTORY_WINDOW (self), NULL);

  batch = find_lot (self, lot);
  return batch ? _rx_inventory_window_count_lot (self, batch) : NULL;
}

/* The reorder report ---------------------------------------------------------------------- */

static gpointer
reorder_in_worker (RxDb          *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return rx_stock_reorder_report (db, error);
}

static void
reorder_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxInventoryWindow *self;
  GtkWidget *window, *box, *header, *scroller, *list, *clamp;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = RX_INVENTORY_WINDOW (user_data);
  set_working (self, NULL);

  if (lines == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot make the reorder report: %s"),
                                                  error->message);

      _rx_inventory_window_toast (self, message);
      return;
    }

  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), _("Reorder Report"));
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 560);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);

  if (lines->len == 0)
    {
      GtkWidget *page = adw_status_page_new ();

      adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "emblem-ok-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (page), _("Nothing to Reorder"));
      adw_status_page_set_description (ADW_STATUS_PAGE (page),
                                       _("Every product with a reorder level has more in date on hand."));
      gtk_widget_set_vexpand (page, TRUE);
      gtk_box_append (GTK_BOX (box), page);
    }
  else
    {
      scroller = gtk_scrolled_window_new ();
      gtk_widget_set_vexpand (scroller, TRUE);
      clamp = adw_clamp_new ();
      list = gtk_list_box_new ();
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_set_margin_top (list, 18);
      gtk_widget_set_margin_bottom (list, 18);
      gtk_widget_set_margin_start (list, 12);
      gtk_widget_set_margin_end (list, 12);
      gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Products to reorder"), -1);
      for (guint i = 0; i < lines->len; i++)
        {
          RxReorderLine *line = lines->pdata[i];
          GtkWidget *row = adw_action_row_new ();
          g_autofree char *subtitle = NULL;

          if (line->expired > 0)
            subtitle = g_strdup_printf (_("%lld in date on hand, reorder at %lld; %lld expired still on the shelf"),
                                        (long long) line->on_hand, (long long) line->reorder_level,
                                        (long long) line->expired);
          else
            subtitle = g_strdup_printf (_("%lld in date on hand, reorder at %lld"),
                                        (long long) line->on_hand, (long long) line->reorder_level);
          adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), line->product_name);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          gtk_list_box_append (GTK_LIST_BOX (list), row);
        }
      adw_clamp_set_child (ADW_CLAMP (clamp), list);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
      gtk_box_append (GTK_BOX (box), scroller);
    }

  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
}

static void
reorder_report_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RxInventoryWindow *self = RX_INVENTORY_WINDOW (widget);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  if (self->working != NULL)
    return;
  set_working (self, cancellable);
  rx_clinic_run_async (self->clinic, reorder_in_worker, NULL, NULL,
                       (GDestroyNotify) g_ptr_array_unref, cancellable, reorder_read_cb, self);
}

/* The CSV export -------------------------------------------------------------------------- */

static gpointer
export_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  GFile *file = data;
  g_autofree char *csv = rx_stock_export_csv (db, NULL, -1, error);

  if (csv == NULL)
    return NULL;
  /* A whole file or none: the contents go to a temporary file renamed over the old one. */
  if (!g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                cancellable, error))
    return NULL;
  return g_file_get_basename (file);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxInventoryWindow *self;
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = RX_INVENTORY_WINDOW (user_data);
  set_working (self, NULL);

  if (name == NULL)
    message = g_strdup_printf (_("Nothing was exported: %s. Choose another folder and try again."),
                               error->message);
  else
    message = g_strdup_printf (_("The lots on hand are in %s"), name);
  _rx_inventory_window_toast (self, message);
}

static void
export_chosen_cb (GtkNativeDialog   *chooser,
                  int                response,
                  RxInventoryWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GCancellable) cancellable = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);
  if (file == NULL || self->working != NULL)
    return;

  cancellable = g_cancellable_new ();
  set_working (self, cancellable);
  rx_clinic_run_async (self->clinic, export_in_worker, g_steal_pointer (&file), g_object_unref,
                       g_free, cancellable, exported_cb, self);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RxInventoryWindow *self = RX_INVENTORY_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "stock-%Y-%m-%d.csv");

  chooser = gtk_file_chooser_native_new (_("Export the Lots on Hand"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Actions -------------------------------------------------------------------------------- */

static void
receive_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  rx_inventory_window_receive (RX_INVENTORY_WINDOW (widget));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  _rx_inventory_window_stock_changed (RX_INVENTORY_WINDOW (widget));
}

static void
search_products_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  RxInventoryWindow *self = RX_INVENTORY_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RxInventoryWindow *self = RX_INVENTORY_WINDOW (widget);

  if (self->clinic != NULL)
    rx_clinic_lock (self->clinic);
}

void
_rx_inventory_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.receive", NULL, receive_action);
  gtk_widget_class_install_action (widget_class, "win.reorder-report", NULL,
                                   reorder_report_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.search-products", NULL,
                                   search_products_action);
  gtk_widget_class_install_action (widget_class, "win.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);

  /* This window's own keys; Ctrl+L and Ctrl+W are the application's, as everywhere. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.receive",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search-products", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
}

/* Input ---------------------------------------------------------------------------------- */

static gboolean
input_cb (RxInventoryWindow *self)
{
  if (self->clinic != NULL)
    rx_clinic_touch (self->clinic);

  return GDK_EVENT_PROPAGATE;
}

void
_rx_inventory_window_add_input (RxInventoryWindow *self)
{
  GtkEventController *controller;

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (input_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "event", G_CALLBACK (input_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
