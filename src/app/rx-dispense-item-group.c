/* rx-dispense-item-group.c: one item of a prescription in the pharmacy window. The lots come
 * nearest expiry first; "first expiry, first out" is chosen unless the pharmacist picks a
 * lot, and an expired lot is listed (so the shelf and the screen agree) but cannot be
 * chosen. The quantity starts at one fill, or what remains when that is less. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-dispense-item-group.h"
#include "rx-format.h"

struct _RxDispenseItemGroup
{
  AdwPreferencesGroup  parent_instance;

  guint                number;
  GtkSpinButton       *quantity;
  GtkCheckButton      *fefo;
  GPtrArray           *lot_buttons;  /* GtkCheckButton, each with its lot as "lot" data */
};

G_DEFINE_FINAL_TYPE (RxDispenseItemGroup, rx_dispense_item_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
changed_cb (RxDispenseItemGroup *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static char *
suggestion_text (GPtrArray *suggested)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; suggested != NULL && i < suggested->len; i++)
    {
      RxBatchPick *pick = suggested->pdata[i];
      g_autofree char *expiry = rx_format_date (pick->expiry);

      if (i > 0)
        g_string_append (text, ", ");
      /* Translators: a lot suggested for a fill, e.g. "21 from lot AB12345 (expires 3 Jan 2027)" */
      g_string_append_printf (text, _("%lld from lot %s (expires %s)"), (long long) pick->quantity,
                              pick->lot, expiry);
    }
  if (text->len > 0)
    g_string_prepend (text, _("Suggested: "));
  else
    g_string_append (text, _("No lot in date has stock; receive stock first"));

  return g_string_free (text, FALSE);
}

static GtkWidget *
lot_row (RxDispenseItemGroup *self,
         const char          *title,
         const char          *subtitle,
         const char          *accessible,
         GtkCheckButton     **button)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->fefo);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_signal_connect_swapped (check, "toggled", G_CALLBACK (changed_cb), self);

  *button = GTK_CHECK_BUTTON (check);
  return row;
}

/**
 * rx_dispense_item_group_new:
 * @lots: (element-type RxBatch): the product's lots with stock here, nearest expiry first
 * @suggested: (element-type RxBatchPick) (nullable): first expiry first out for one fill
 * @today: YYYY-MM-DD; a lot expiring on or before it is expired
 */
RxDispenseItemGroup *
rx_dispense_item_group_new (const RxDispenseItem *item,
                            GListModel           *lots,
                            GPtrArray            *suggested,
                            const char           *today,
                            gboolean              can_dispense)
{
  RxDispenseItemGroup *self = g_object_new (RX_TYPE_DISPENSE_ITEM_GROUP, NULL);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *fefo_text = NULL;
  g_autofree char *fefo_accessible = NULL;
  GtkWidget *row;
  gint64 fill = MIN (item->quantity, item->remaining);

  self->number = item->number;

  /* Translators: an item of a prescription, e.g. "1. amoxicillin 500 mg capsule" */
  title = g_strdup_printf (_("%u. %s"), item->number, item->product_name);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), item->directions);

  /* How much */
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Quantity to Dispense"));
  subtitle = g_strdup_printf (_("%lld of %lld left (%lld a fill, %d repeats) · %lld in date in stock"),
                              (long long) item->remaining, (long long) item->prescribed,
                              (long long) item->quantity, item->repeats,
                              (long long) item->available);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  self->quantity = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, MAX (item->remaining, 0), 1));
  gtk_spin_button_set_value (self->quantity, MAX (fill, 0));
  gtk_widget_set_valign (GTK_WIDGET (self->quantity), GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (GTK_WIDGET (self->quantity), can_dispense && item->remaining > 0);
  /* Translators: the accessible name of a quantity, e.g. "Quantity of amoxicillin 500 mg capsule" */
  accessible = g_strdup_printf (_("Quantity of %s"), item->product_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->quantity), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  g_signal_connect_swapped (self->quantity, "value-changed", G_CALLBACK (changed_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->quantity));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);

  if (item->remaining <= 0)
    return self;

  /* From which lot: first expiry first out unless chosen */
  fefo_text = suggestion_text (suggested);
  self->fefo = GTK_CHECK_BUTTON (gtk_check_button_new ());
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("First Expiry, First Out"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), fefo_text);
  gtk_widget_set_valign (GTK_WIDGET (self->fefo), GTK_ALIGN_CENTER);
  gtk_check_button_set_active (self->fefo, TRUE);
  fefo_accessible = g_strdup_printf (_("First expiry, first out for %s"), item->product_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->fefo), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  fefo_accessible, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), GTK_WIDGET (self->fefo));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (self->fefo));
  gtk_widget_set_sensitive (row, can_dispense);
  g_signal_connect_swapped (self->fefo, "toggled", G_CALLBACK (changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);

  for (guint i = 0; lots != NULL && i < g_list_model_get_n_items (lots); i++)
    {
      g_autoptr(RxBatch) batch = g_list_model_get_item (lots, i);
      const char *expiry = rx_batch_get_expiry (batch);
      g_autofree char *date = rx_format_date (expiry);
      g_autofree char *lot_title = NULL;
      g_autofree char *lot_subtitle = NULL;
      g_autofree char *lot_accessible = NULL;
      gboolean expired = g_strcmp0 (expiry, today) <= 0;
      GtkCheckButton *button;

      if (rx_batch_get_quantity (batch) <= 0)
        continue;

      /* Translators: a lot of stock, e.g. "Lot AB12345" */
      lot_title = g_strdup_printf (_("Lot %s"), rx_batch_get_lot (batch));
      if (expired)
        lot_subtitle = g_strdup_printf (_("Expired on %s: cannot be dispensed (%lld on the shelf)"),
                                        date, (long long) rx_batch_get_quantity (batch));
      else
        lot_subtitle = g_strdup_printf (_("Expires %s · %lld on hand"), date,
                                        (long long) rx_batch_get_quantity (batch));
      lot_accessible = g_strdup_printf ("%s, %s", lot_title, lot_subtitle);
      row = lot_row (self, lot_title, lot_subtitle, lot_accessible, &button);
      g_object_set_data_full (G_OBJECT (button), "lot", g_strdup (rx_batch_get_lot (batch)),
                              g_free);
      if (expired)
        {
          gtk_widget_add_css_class (row, "error");
          gtk_widget_set_sensitive (row, FALSE);
          gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
        }
      else
        gtk_widget_set_sensitive (row, can_dispense);
      g_ptr_array_add (self->lot_buttons, button);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
    }

  return self;
}

guint
rx_dispense_item_group_get_number (RxDispenseItemGroup *self)
{
  g_return_val_if_fail (RX_IS_DISPENSE_ITEM_GROUP (self), 0);
  return self->number;
}

gint64
rx_dispense_item_group_get_quantity (RxDispenseItemGroup *self)
{
  g_return_val_if_fail (RX_IS_DISPENSE_ITEM_GROUP (self), 0);
  return gtk_spin_button_get_value_as_int (self->quantity);
}

void
rx_dispense_item_group_set_quantity (RxDispenseItemGroup *self,
                                     gint64               quantity)
{
  g_return_if_fail (RX_IS_DISPENSE_ITEM_GROUP (self));
  gtk_spin_button_set_value (self->quantity, quantity);
}

/* The lot chosen, or NULL for first expiry first out. */
const char *
rx_dispense_item_group_get_lot (RxDispenseItemGroup *self)
{
  g_return_val_if_fail (RX_IS_DISPENSE_ITEM_GROUP (self), NULL);

  for (guint i = 0; i < self->lot_buttons->len; i++)
    if (gtk_check_button_get_active (self->lot_buttons->pdata[i]))
      return g_object_get_data (self->lot_buttons->pdata[i], "lot");

  return NULL;
}

/* Chooses @lot as a click would; FALSE when it cannot be chosen (expired, or not listed). */
gboolean
rx_dispense_item_group_choose_lot (RxDispenseItemGroup *self,
                                   const char          *lot)
{
  g_return_val_if_fail (RX_IS_DISPENSE_ITEM_GROUP (self), FALSE);

  for (guint i = 0; i < self->lot_buttons->len; i++)
    {
      GtkWidget *button = self->lot_buttons->pdata[i];

      if (g_strcmp0 (g_object_get_data (G_OBJECT (button), "lot"), lot) != 0)
        continue;
      if (!gtk_widget_is_sensitive (button))
        return FALSE;
      gtk_check_button_set_active (GTK_CHECK_BUTTON (button), TRUE);
      return TRUE;
    }

  return FALSE;
}

/* Puts the cursor in the quantity, its text selected so that typing replaces it. */
void
rx_dispense_item_group_focus (RxDispenseItemGroup *self)
{
  g_return_if_fail (RX_IS_DISPENSE_ITEM_GROUP (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->quantity));
}

/* Takes in a quantity typed but not yet entered (a shortcut pressed straight after typing). */
void
rx_dispense_item_group_commit (RxDispenseItemGroup *self)
{
  g_return_if_fail (RX_IS_DISPENSE_ITEM_GROUP (self));
  gtk_spin_button_update (self->quantity);
}

static void
rx_dispense_item_group_finalize (GObject *object)
{
  RxDispenseItemGroup *self = (RxDispenseItemGroup *) object;

  g_clear_pointer (&self->lot_buttons, g_ptr_array_unref);
  G_OBJECT_CLASS (rx_dispense_item_group_parent_class)->finalize (object);
}

static void
rx_dispense_item_group_class_init (RxDispenseItemGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rx_dispense_item_group_finalize;

  /* The quantity or the lot changed. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rx_dispense_item_group_init (RxDispenseItemGroup *self)
{
  self->lot_buttons = g_ptr_array_new ();
}
