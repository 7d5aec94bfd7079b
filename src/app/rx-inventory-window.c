/* rx-inventory-window.c: the inventory window. On the left every product of the formulary
 * with its stock here, in a column view over a model that reads only the rows on screen (a
 * clinic may carry 100 000 products); on the right the product chosen, with its lots
 * (expired ones marked as blocked from dispensing, those expiring within 90 days as soon) and
 * its latest movements. Reads run on the clinic's worker; the window belongs to the person
 * who opened it. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-a11y.h"
#include "rx-format.h"
#include "rx-inventory-window-private.h"

G_DEFINE_FINAL_TYPE (RxInventoryWindow, rx_inventory_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_rx_inventory_window_notify_busy (RxInventoryWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
_rx_inventory_window_toast (RxInventoryWindow *self,
                            const char        *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* The list -------------------------------------------------------------------------------- */

typedef struct
{
  const char *title;
  const char *property;
  gboolean    numeric;
  gboolean    expand;
} Column;

static const Column columns[] = {
  { N_("Product"), "name", FALSE, TRUE },
  { N_("On Hand"), "on-hand", TRUE, FALSE },
  { N_("Value"), "value", TRUE, FALSE },
  { N_("Reorder At"), "reorder", TRUE, FALSE },
  { N_("Nearest Expiry"), "expiry", FALSE, FALSE },
};

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               const Column             *column)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column->numeric ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column->numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
expiry_style (RxStockLevelItem *row,
              GParamSpec       *pspec,
              GtkWidget        *label)
{
  RxExpiryState state = rx_stock_level_item_get_expiry_state (row);

  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "warning");
  if (state == RX_EXPIRY_EXPIRED)
    gtk_widget_add_css_class (label, "error");
  else if (state == RX_EXPIRY_SOON)
    gtk_widget_add_css_class (label, "warning");
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              const Column             *column)
{
  RxStockLevelItem *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  GBinding *binding;

  binding = g_object_bind_property (row, column->property, label, "label", G_BINDING_SYNC_CREATE);
  g_object_set_data (G_OBJECT (item), "binding", binding);
  if (g_str_equal (column->property, "expiry"))
    {
      expiry_style (row, NULL, label);
      g_signal_connect_object (row, "notify::loaded", G_CALLBACK (expiry_style), label, 0);
    }
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                const Column             *column)
{
  RxStockLevelItem *row = gtk_list_item_get_item (item);
  GBinding *binding = g_object_get_data (G_OBJECT (item), "binding");

  if (binding != NULL)
    g_binding_unbind (binding);
  g_object_set_data (G_OBJECT (item), "binding", NULL);
  if (row != NULL)
    g_signal_handlers_disconnect_by_func (row, expiry_style, gtk_list_item_get_child (item));
}

static void
add_columns (RxInventoryWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), (gpointer) &columns[i]);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), (gpointer) &columns[i]);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), (gpointer) &columns[i]);
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_append_column (self->product_view, column);
      g_object_unref (column);
    }
}

static void
update_count (RxInventoryWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  const char *error = rx_stock_level_model_get_error (self->model);
  g_autofree char *text = NULL;

  if (rx_stock_level_model_get_busy (self->model) && n == 0)
    return;

  if (error != NULL && n == 0)
    {
      adw_status_page_set_description (self->list_error_page, error);
      gtk_stack_set_visible_child_name (self->list_stack, "error");
      gtk_label_set_label (self->count_label, "");
      return;
    }

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u product", "%u products", n), n);
  gtk_label_set_label (self->count_label, text);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
}

static void
model_busy_cb (RxInventoryWindow *self)
{
  update_count (self);

  /* The first product shows until another is chosen, so the right is never idle. */
  if (self->product_id == NULL && !rx_stock_level_model_get_busy (self->model) &&
      g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    {
      g_autoptr(RxStockLevelItem) first = g_list_model_get_item (G_LIST_MODEL (self->model), 0);

      if (rx_stock_level_item_get_loaded (first))
        gtk_single_selection_set_selected (self->selection, 0);
    }

  _rx_inventory_window_notify_busy (self);
}

static void
search_changed_cb (RxInventoryWindow *self)
{
  rx_stock_level_model_set_filter (self->model,
                                   gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* The product shown ------------------------------------------------------------------------ */

typedef struct
{
  GListModel *lots;
  GPtrArray  *history;
  char       *name;
  char       *code;
  gint64      reorder_level;
  char       *today;
  char       *soon;
} Detail;

static void
detail_free (gpointer data)
{
  Detail *detail = data;

  g_clear_object (&detail->lots);
  g_clear_pointer (&detail->history, g_ptr_array_unref);
  g_free (detail->name);
  g_free (detail->code);
  g_free (detail->today);
  g_free (detail->soon);
  g_free (detail);
}

static gpointer
load_detail (RxDb          *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(RxProduct) product = rx_formulary_get (db, data, error);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) soon = NULL;
  Detail *detail;

  if (product == NULL)
    return NULL;

  detail = g_new0 (Detail, 1);
  detail->name = rx_product_dup_display_name (product);
  detail->code = g_strdup (rx_product_get_code (product));
  detail->reorder_level = rx_product_get_reorder_level (product);
  detail->lots = rx_stock_list (db, data, -1, error);
  if (detail->lots != NULL)
    detail->history = rx_stock_history (db, data, RX_INVENTORY_HISTORY_LIMIT, error);
  if (detail->history == NULL)
    {
      detail_free (detail);
      return NULL;
    }

  now = g_date_time_new_from_unix_utc (rx_db_now (db) / G_USEC_PER_SEC);
  soon = g_date_time_add_days (now, RX_DISPENSE_SOON_DAYS);
  detail->today = g_date_time_format (now, "%Y-%m-%d");
  detail->soon = g_date_time_format (soon, "%Y-%m-%d");
  return detail;
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, rows->pdata[i]);
  g_ptr_array_set_size (rows, 0);
}

static void
adjust_clicked_cb (GtkButton         *button,
                   RxInventoryWindow *self)
{
  _rx_inventory_window_adjust_lot (self, g_object_get_data (G_OBJECT (button), "batch"));
}

static void
count_clicked_cb (GtkButton         *button,
                  RxInventoryWindow *self)
{
  _rx_inventory_window_count_lot (self, g_object_get_data (G_OBJECT (button), "batch"));
}

static GtkWidget *
lot_button (RxInventoryWindow *self,
            RxBatch           *batch,
            const char        *label,
            const char        *accessible,
            GCallback          clicked)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, accessible);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  g_object_set_data_full (G_OBJECT (button), "batch", g_object_ref (batch), g_object_unref);
  g_signal_connect_object (button, "clicked", clicked, self, 0);
  return button;
}

static void
show_lots (RxInventoryWindow *self,
           Detail            *detail)
{
  guint n = g_list_model_get_n_items (detail->lots);

  clear_rows (self->lots_group, self->lot_rows);
  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No Stock"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Nothing of this product is on hand; receive stock to add a lot."));
      adw_preferences_group_add (self->lots_group, row);
      g_ptr_array_add (self->lot_rows, row);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RxBatch) batch = g_list_model_get_item (detail->lots, i);
      const char *expiry = rx_batch_get_expiry (batch);
      g_autofree char *date = rx_format_date (expiry);
      g_autofree char *title = g_strdup_printf (_("Lot %s"), rx_batch_get_lot (batch));
      g_autofree char *adjust = g_strdup_printf (_("Adjust lot %s"), rx_batch_get_lot (batch));
      g_autofree char *count = g_strdup_printf (_("Count lot %s"), rx_batch_get_lot (batch));
      g_autofree char *cost = NULL;
      GString *subtitle = g_string_new (NULL);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *badge = NULL;

      if (g_strcmp0 (expiry, detail->today) <= 0)
        {
          g_string_append_printf (subtitle, _("Expired on %s: blocked from dispensing"), date);
          badge = gtk_label_new (_("Expired"));
          gtk_widget_add_css_class (badge, "expired");
        }
      else if (g_strcmp0 (expiry, detail->soon) <= 0)
        {
          g_string_append_printf (subtitle, _("Expires soon, on %s"), date);
          badge = gtk_label_new (_("Soon"));
          gtk_widget_add_css_class (badge, "expiring");
        }
      else
        g_string_append_printf (subtitle, _("Expires %s"), date);

      g_string_append_printf (subtitle, _(" · %lld on hand"), (long long) rx_batch_get_quantity (batch));
      if (rx_batch_get_unit_cost (batch) >= 0)
        {
          cost = rx_format_money (rx_batch_get_unit_cost (batch), 2, NULL);
          g_string_append_printf (subtitle, _(" · %s each"), cost);
        }
      if (rx_batch_get_supplier (batch) != NULL)
        g_string_append_printf (subtitle, " · %s", rx_batch_get_supplier (batch));

      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      if (badge != NULL)
        {
          gtk_widget_add_css_class (badge, "badge");
          gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 lot_button (self, batch, _("Count"), count,
                                             G_CALLBACK (count_clicked_cb)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 lot_button (self, batch, _("Adjust"), adjust,
                                             G_CALLBACK (adjust_clicked_cb)));
      adw_preferences_group_add (self->lots_group, row);
      g_ptr_array_add (self->lot_rows, row);
      g_string_free (subtitle, TRUE);
    }
}

static const char *
movement_kind (const char *kind)
{
  if (g_strcmp0 (kind, "receive") == 0)
    return _("Received");
  if (g_strcmp0 (kind, "dispense") == 0)
    return _("Dispensed");
  if (g_strcmp0 (kind, "adjust") == 0)
    return _("Adjusted");
  if (g_strcmp0 (kind, "return") == 0)
    return _("Returned");
  if (g_strcmp0 (kind, "expire") == 0)
    return _("Written off");
  if (g_strcmp0 (kind, "sale") == 0)
    return _("Sold");
  return kind;
}

static void
show_history (RxInventoryWindow *self,
              Detail            *detail)
{
  clear_rows (self->history_group, self->history_rows);
  if (detail->history->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No Movements Yet"));
      adw_preferences_group_add (self->history_group, row);
      g_ptr_array_add (self->history_rows, row);
      return;
    }

  for (guint i = 0; i < detail->history->len; i++)
    {
      RxStockMovement *m = detail->history->pdata[i];
      g_autofree char *at = rx_format_local_time (m->at);
      g_autofree char *day = rx_format_date (m->at);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();

      /* Translators: a stock movement, e.g. "Received +100 · lot AB12345" */
      title = g_strdup_printf (_("%s %+lld · lot %s"), movement_kind (m->kind),
                               (long long) m->quantity, m->lot);
      /* Translators: e.g. "24 Nov 2026 09:15 · leaves 100 · damage" */
      subtitle = g_strdup_printf (_("%s %s · leaves %lld%s%s"), day, at, (long long) m->balance,
                                  m->reason ? " · " : "", m->reason ? m->reason : "");
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_group_add (self->history_group, row);
      g_ptr_array_add (self->history_rows, row);
    }
}

static void
detail_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Detail *detail = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxInventoryWindow *self;
  g_autofree char *summary = NULL;
  gint64 on_hand = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = RX_INVENTORY_WINDOW (user_data);
  g_clear_object (&self->opening);
  _rx_inventory_window_notify_busy (self);

  if (detail == NULL)
    {
      adw_status_page_set_description (self->detail_error_page, error->message);
      gtk_stack_set_visible_child_name (self->detail_stack, "error");
      _rx_inventory_window_update_actions (self);
      return;
    }

  g_set_object (&self->lots, detail->lots);
  g_free (self->product_name);
  self->product_name = g_strdup (detail->name);
  g_free (self->product_code);
  self->product_code = g_strdup (detail->code);
  g_free (self->today);
  self->today = g_strdup (detail->today);
  g_free (self->soon);
  self->soon = g_strdup (detail->soon);

  for (guint i = 0; i < g_list_model_get_n_items (detail->lots); i++)
    {
      g_autoptr(RxBatch) batch = g_list_model_get_item (detail->lots, i);

      on_hand += rx_batch_get_quantity (batch);
    }
  gtk_label_set_label (self->product_label, detail->name);
  if (detail->reorder_level > 0)
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld on hand in %u lot · reorder at %lld",
                                            "%lld on hand in %u lots · reorder at %lld",
                                            g_list_model_get_n_items (detail->lots)),
                               (long long) on_hand, g_list_model_get_n_items (detail->lots),
                               (long long) detail->reorder_level);
  else
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld on hand in %u lot · no reorder level set",
                                            "%lld on hand in %u lots · no reorder level set",
                                            g_list_model_get_n_items (detail->lots)),
                               (long long) on_hand, g_list_model_get_n_items (detail->lots));
  gtk_label_set_label (self->summary_label, summary);

  show_lots (self, detail);
  show_history (self, detail);
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
  _rx_inventory_window_update_actions (self);
  detail_free (detail);
}

/* Shows a product's lots and movements (tests call it as a click on its row does). */
void
rx_inventory_window_show_product (RxInventoryWindow *self,
                                  const char        *product_id)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_return_if_fail (RX_IS_INVENTORY_WINDOW (self));
  g_return_if_fail (product_id != NULL);

  if (g_strcmp0 (self->product_id, product_id) != 0)
    {
      g_free (self->product_id);
      self->product_id = g_strdup (product_id);
      g_clear_object (&self->lots);
      g_clear_pointer (&self->product_code, g_free);
    }

  g_cancellable_cancel (self->opening);
  g_set_object (&self->opening, cancellable);
  _rx_inventory_window_notify_busy (self);
  rx_clinic_run_async (self->clinic, load_detail, g_strdup (product_id), g_free, detail_free,
                       cancellable, detail_loaded_cb, self);
}

static void
selection_changed_cb (RxInventoryWindow *self)
{
  RxStockLevelItem *item = gtk_single_selection_get_selected_item (self->selection);
  const RxStockLevel *level = item ? rx_stock_level_item_get_level (item) : NULL;

  if (level != NULL)
    rx_inventory_window_show_product (self, level->product_id);
}

static void
product_activated_cb (RxInventoryWindow *self,
                      guint              position)
{
  gtk_single_selection_set_selected (self->selection, position);
  selection_changed_cb (self);
  adw_leaflet_set_visible_child (self->leaflet, self->detail_pane);
}

static void
back_cb (RxInventoryWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
}

/* After a receipt, an adjustment or a count: the list and the product as they are now. */
void
_rx_inventory_window_stock_changed (RxInventoryWindow *self)
{
  rx_stock_level_model_reload (self->model);
  if (self->product_id != NULL)
    rx_inventory_window_show_product (self, self->product_id);
}

/* Session --------------------------------------------------------------------------------- */

static void
update_view (RxInventoryWindow *self)
{
  gboolean locked = rx_clinic_get_locked (self->clinic);
  GtkWidget *page = gtk_stack_get_child_by_name (self->main_stack, "inventory");

  if (!locked)
    gtk_widget_set_visible (page, TRUE);
  gtk_stack_set_visible_child_full (self->main_stack, locked ? "locked" : "inventory",
                                    locked ? GTK_STACK_TRANSITION_TYPE_NONE
                                           : GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  if (locked)
    gtk_widget_set_visible (page, FALSE);
  gtk_window_set_default_widget (GTK_WINDOW (self),
                                 locked ? rx_lock_page_get_default_widget (self->lock_page)
                                        : NULL);
  _rx_inventory_window_update_actions (self);
}

static void
session_changed_cb (RxInventoryWindow *self)
{
  RxUser *user = rx_clinic_get_user (self->clinic);
  gboolean locked = rx_clinic_get_locked (self->clinic);
  const char *before = gtk_stack_get_visible_child_name (self->main_stack);

  if (user == NULL || g_strcmp0 (rx_user_get_id (user), rx_user_get_id (self->user)) != 0)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (locked && self->dialog != NULL)
    gtk_window_destroy (self->dialog);
  update_view (self);

  if (g_strcmp0 (before, gtk_stack_get_visible_child_name (self->main_stack)) == 0)
    return;
  if (locked)
    rx_lock_page_focus (self->lock_page);
  else
    _rx_inventory_window_stock_changed (self);
}

/* Public API ------------------------------------------------------------------------------- */

/**
 * rx_inventory_window_new:
 * @application: (nullable): the application, or %NULL in tests
 * @clinic: a clinic with someone logged in
 *
 * Returns: (transfer none): the window, for the person logged in to @clinic now
 */
RxInventoryWindow *
rx_inventory_window_new (GtkApplication *application,
                         RxClinic       *clinic)
{
  RxInventoryWindow *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (RX_IS_CLINIC (clinic), NULL);
  g_return_val_if_fail (rx_clinic_get_user (clinic) != NULL, NULL);

  self = g_object_new (RX_TYPE_INVENTORY_WINDOW, "application", application, NULL);
  self->clinic = g_object_ref (clinic);
  self->user = g_object_ref (rx_clinic_get_user (clinic));

  /* Translators: the window's title, e.g. "Inventory — Riverside Clinic" */
  title = g_strdup_printf (_("Inventory — %s"), rx_clinic_get_name (clinic));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_subtitle (self->window_title, rx_clinic_get_name (clinic));

  self->model = rx_stock_level_model_new (clinic);
  g_signal_connect_object (self->model, "notify::busy", G_CALLBACK (model_busy_cb), self,
                           G_CONNECT_SWAPPED);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->product_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (clinic, "notify::user", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (clinic, "notify::locked", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  rx_lock_page_set_clinic (self->lock_page, clinic);

  update_view (self);
  if (!rx_clinic_get_locked (clinic))
    rx_stock_level_model_reload (self->model);

  return self;
}

gboolean
rx_inventory_window_get_busy (RxInventoryWindow *self)
{
  g_return_val_if_fail (RX_IS_INVENTORY_WINDOW (self), FALSE);

  return (self->model != NULL && rx_stock_level_model_get_busy (self->model)) ||
         self->opening != NULL || self->working != NULL ||
         rx_lock_page_get_busy (self->lock_page);
}

/* "inventory", or "locked". */
const char *
rx_inventory_window_get_page (RxInventoryWindow *self)
{
  g_return_val_if_fail (RX_IS_INVENTORY_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

/**
 * rx_inventory_window_get_products:
 *
 * Returns: (transfer none) (element-type RxStockLevelItem): the list's model
 */
GListModel *
rx_inventory_window_get_products (RxInventoryWindow *self)
{
  g_return_val_if_fail (RX_IS_INVENTORY_WINDOW (self), NULL);
  return G_LIST_MODEL (self->model);
}

GtkWidget *
rx_inventory_window_get_product_view (RxInventoryWindow *self)
{
  g_return_val_if_fail (RX_IS_INVENTORY_WINDOW (self), NULL);
  return GTK_WIDGET (self->product_view);
}

void
rx_inventory_window_set_filter (RxInventoryWindow *self,
                                const char        *filter)
{
  g_return_if_fail (RX_IS_INVENTORY_WINDOW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), filter ? filter : "");
  rx_stock_level_model_set_filter (self->model, filter);
}

const char *
rx_inventory_window_get_product_id (RxInventoryWindow *self)
{
  g_return_val_if_fail (RX_IS_INVENTORY_WINDOW (self), NULL);
  return self->product_id;
}

/**
 * rx_inventory_window_get_lots:
 *
 * Returns: (transfer none) (nullable) (element-type RxBatch): the lots of the product shown
 */
GListModel *
rx_inventory_window_get_lots (RxInventoryWindow *self)
{
  g_return_val_if_fail (RX_IS_INVENTORY_WINDOW (self), NULL);
  return self->lots;
}

/* GtkWindow -------------------------------------------------------------------------------- */

static void
rx_inventory_window_dispose (GObject *object)
{
  RxInventoryWindow *self = (RxInventoryWindow *) object;

  g_cancellable_cancel (self->opening);
  g_cancellable_cancel (self->working);
  g_clear_object (&self->opening);
  g_clear_object (&self->working);
  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);
  if (self->clinic != NULL)
    g_signal_handlers_disconnect_by_data (self->clinic, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_INVENTORY_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->lots);
  g_clear_pointer (&self->lot_rows, g_ptr_array_unref);
  g_clear_pointer (&self->history_rows, g_ptr_array_unref);
  g_clear_pointer (&self->product_id, g_free);
  g_clear_pointer (&self->product_name, g_free);
  g_clear_pointer (&self->product_code, g_free);
  g_clear_pointer (&self->today, g_free);
  g_clear_pointer (&self->soon, g_free);
  g_clear_object (&self->clinic);
  g_clear_object (&self->user);

  G_OBJECT_CLASS (rx_inventory_window_parent_class)->dispose (object);
}

static void
rx_inventory_window_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RxInventoryWindow *self = RX_INVENTORY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, rx_inventory_window_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_inventory_window_class_init (RxInventoryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_inventory_window_dispose;
  object_class->get_property = rx_inventory_window_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RX_TYPE_LOCK_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-inventory-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, lock_page);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, list_pane);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, detail_pane);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, list_error_page);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, product_view);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, detail_error_page);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, product_label);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, lots_group);
  gtk_widget_class_bind_template_child (widget_class, RxInventoryWindow, history_group);
  gtk_widget_class_bind_template_callback_full (widget_class, "notify_busy",
                                                G_CALLBACK (_rx_inventory_window_notify_busy));
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, product_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_cb);

  _rx_inventory_window_class_add_actions (widget_class);
}

static void
rx_inventory_window_init (RxInventoryWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->lot_rows = g_ptr_array_new ();
  self->history_rows = g_ptr_array_new ();
  add_columns (self);
  gtk_stack_set_visible_child_name (self->detail_stack, "none");
  rx_a11y_fix_button_labels (GTK_WIDGET (self));
  _rx_inventory_window_add_input (self);
}
