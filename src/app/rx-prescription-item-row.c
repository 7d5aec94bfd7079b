/* rx-prescription-item-row.c: a medicine on the prescription being written. Collapsed it
 * reads as the prescription will ("amoxicillin 500 mg capsule — 1 capsule TDS, oral, for 7
 * days; 21"); expanded it is the sig builder. The quantity follows the directions until the
 * prescriber types their own. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-format.h"
#include "rx-prescription-item-row.h"

struct _RxPrescriptionItemRow
{
  AdwExpanderRow  parent_instance;

  RxProduct      *product;
  RxSig          *sig;
  GtkStringList  *units;
  GtkStringList  *routes;
  gboolean        loading;   /* widgets are being set from the sig */
  GPtrArray      *favourites;  /* RxSigFavourite: the prescriber's for this medicine */
  GtkStringList  *favourite_labels;

  GtkWidget      *remove_button;
  AdwActionRow   *favourite_row;
  GtkDropDown    *favourite_drop;
  GtkSpinButton  *dose_spin;
  GtkDropDown    *unit_drop;
  AdwComboRow    *route_row;
  AdwComboRow    *frequency_row;
  GtkWidget      *hours_row;
  GtkSpinButton  *hours_spin;
  GtkWidget      *max_row;
  GtkSpinButton  *max_spin;
  GtkSpinButton  *duration_spin;
  GtkWidget      *quantity_row;
  GtkWidget      *recompute_button;
  GtkSpinButton  *quantity_spin;
  GtkSpinButton  *repeats_spin;
  AdwEntryRow    *instructions_row;
};

G_DEFINE_FINAL_TYPE (RxPrescriptionItemRow, rx_prescription_item_row, ADW_TYPE_EXPANDER_ROW)

enum {
  CHANGED,
  REMOVE,
  SAVE_FAVOURITE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const default_units[] = {
  "tablet", "capsule", "mL", "puff", "drop", "spray", "sachet", "suppository", "pessary",
  "patch", "lozenge", "syringe", "ampoule", "vial", "application", "dose", NULL
};

static const char * const default_routes[] = {
  "oral", "sublingual", "topical", "inhalation", "nasal", "ophthalmic", "otic", "rectal",
  "vaginal", "subcutaneous", "intramuscular", "intravenous", "parenteral", "transdermal", NULL
};

/* The position of @text in @list, adding it when a product brings a word of its own. */
static guint
find_or_add (GtkStringList *list,
             const char    *text)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (list, i), text) == 0)
      return i;
  gtk_string_list_append (list, text);
  return n;
}

static void
update_title (RxPrescriptionItemRow *self)
{
  g_autofree char *name = rx_prescription_item_row_dup_name (self);
  g_autofree char *directions = rx_sig_dup_directions (self->sig);
  g_autofree char *quantity = rx_format_quantity (self->sig->quantity);
  g_autofree char *problem = rx_sig_dup_problem (self->sig);
  g_autofree char *subtitle = NULL;
  g_autofree char *remove = NULL;

  /* Translators: an item's directions and the quantity to supply, e.g. "1 tablet TDS, oral,
   * for 7 days — supply 21" */
  subtitle = problem != NULL ? g_strdup_printf ("%s — %s", directions, problem)
                             : g_strdup_printf (_("%s — supply %s"), directions, quantity);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), name);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);

  remove = g_strdup_printf (_("Remove %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove, -1);
}

/* What follows from an edit: the quantity worked out again, the rows that apply, the title.
 * The field being typed in is left alone, so its cursor and spaces stay where they are. */
static void
refresh (RxPrescriptionItemRow *self)
{
  self->loading = TRUE;
  gtk_spin_button_set_value (self->quantity_spin, self->sig->quantity);
  self->loading = FALSE;

  gtk_widget_set_visible (self->hours_row, self->sig->frequency == RX_SIG_EVERY_N_HOURS);
  gtk_widget_set_visible (self->max_row, self->sig->frequency == RX_SIG_AS_NEEDED);
  gtk_widget_set_visible (self->recompute_button, self->sig->quantity_set);
  update_title (self);
}

/* Shows the sig in the widgets. */
static void
load (RxPrescriptionItemRow *self)
{
  self->loading = TRUE;
  gtk_spin_button_set_value (self->dose_spin, self->sig->dose);
  gtk_drop_down_set_selected (self->unit_drop, find_or_add (self->units, self->sig->unit));
  adw_combo_row_set_selected (self->route_row, find_or_add (self->routes, self->sig->route));
  adw_combo_row_set_selected (self->frequency_row, self->sig->frequency);
  gtk_spin_button_set_value (self->hours_spin, self->sig->every_hours);
  gtk_spin_button_set_value (self->max_spin, self->sig->max_per_day);
  gtk_spin_button_set_value (self->duration_spin, self->sig->duration_days);
  gtk_spin_button_set_value (self->quantity_spin, self->sig->quantity);
  gtk_spin_button_set_value (self->repeats_spin, self->sig->repeats);
  gtk_editable_set_text (GTK_EDITABLE (self->instructions_row),
                         self->sig->instructions ? self->sig->instructions : "");
  self->loading = FALSE;

  refresh (self);
}

/* Reads the widgets into the sig, recomputes the quantity, and says so. */
static void
edited_cb (RxPrescriptionItemRow *self)
{
  RxSig *sig = self->sig;
  const char *unit, *route;
  guint frequency;

  if (self->loading || sig == NULL)
    return;

  sig->dose = gtk_spin_button_get_value (self->dose_spin);
  unit = gtk_string_list_get_string (self->units, gtk_drop_down_get_selected (self->unit_drop));
  if (unit != NULL)
    {
      g_free (sig->unit);
      sig->unit = g_strdup (unit);
    }
  route = gtk_string_list_get_string (self->routes, adw_combo_row_get_selected (self->route_row));
  if (route != NULL)
    {
      g_free (sig->route);
      sig->route = g_strdup (route);
    }
  frequency = adw_combo_row_get_selected (self->frequency_row);
  if (frequency < RX_SIG_N_FREQUENCIES)
    sig->frequency = frequency;
  sig->every_hours = gtk_spin_button_get_value_as_int (self->hours_spin);
  sig->max_per_day = gtk_spin_button_get_value_as_int (self->max_spin);
  sig->duration_days = gtk_spin_button_get_value_as_int (self->duration_spin);
  sig->repeats = gtk_spin_button_get_value_as_int (self->repeats_spin);
  g_clear_pointer (&sig->instructions, g_free);
  sig->instructions = g_strstrip (g_strdup (gtk_editable_get_text (
                                              GTK_EDITABLE (self->instructions_row))));
  if (*sig->instructions == '\0')
    g_clear_pointer (&sig->instructions, g_free);
  rx_sig_update_quantity (sig);

  refresh (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* A quantity typed by the prescriber stays, whatever the directions say. */
static void
quantity_changed_cb (RxPrescriptionItemRow *self)
{
  gint64 typed;

  if (self->loading || self->sig == NULL)
    return;

  typed = gtk_spin_button_get_value_as_int (self->quantity_spin);
  if (typed == self->sig->quantity)
    return;
  self->sig->quantity = typed;
  self->sig->quantity_set = TRUE;
  edited_cb (self);
}

static void
recompute_clicked_cb (RxPrescriptionItemRow *self)
{
  self->sig->quantity_set = FALSE;
  edited_cb (self);
}

static void
remove_clicked_cb (RxPrescriptionItemRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static void
save_favourite_clicked_cb (RxPrescriptionItemRow *self)
{
  g_signal_emit (self, signals[SAVE_FAVOURITE], 0);
}

/* Applies favourite @position (in the prescriber's list) to the directions. */
gboolean
rx_prescription_item_row_use_favourite (RxPrescriptionItemRow *self,
                                        guint                  position)
{
  RxSigFavourite *favourite;
  g_autoptr(RxSig) sig = NULL;

  g_return_val_if_fail (RX_IS_PRESCRIPTION_ITEM_ROW (self), FALSE);

  if (self->favourites == NULL || position >= self->favourites->len)
    return FALSE;

  favourite = self->favourites->pdata[position];
  sig = rx_sig_copy (self->sig);
  rx_sig_parse_dose (sig, favourite->dose);
  rx_sig_parse_frequency (sig, favourite->frequency);
  if (favourite->route != NULL)
    {
      g_free (sig->route);
      sig->route = g_strdup (favourite->route);
    }
  sig->duration_days = MAX (favourite->duration_days, 0);
  sig->quantity = favourite->quantity;
  sig->quantity_set = TRUE;
  sig->repeats = MAX (favourite->repeats, 0);
  g_free (sig->instructions);
  sig->instructions = g_strdup (favourite->instructions);
  rx_prescription_item_row_set_sig (self, sig);

  return TRUE;
}

static void
favourite_chosen_cb (RxPrescriptionItemRow *self)
{
  guint chosen = gtk_drop_down_get_selected (self->favourite_drop);

  /* The first entry only says what the list is for. */
  if (self->loading || chosen == GTK_INVALID_LIST_POSITION || chosen == 0)
    return;

  rx_prescription_item_row_use_favourite (self, chosen - 1);
  self->loading = TRUE;
  gtk_drop_down_set_selected (self->favourite_drop, 0);
  self->loading = FALSE;
}

/**
 * rx_prescription_item_row_set_favourites:
 * @favourites: (element-type RxSigFavourite): the prescriber's for this medicine
 */
void
rx_prescription_item_row_set_favourites (RxPrescriptionItemRow *self,
                                         GPtrArray             *favourites)
{
  guint n;

  g_return_if_fail (RX_IS_PRESCRIPTION_ITEM_ROW (self));

  g_clear_pointer (&self->favourites, g_ptr_array_unref);
  self->favourites = favourites ? g_ptr_array_ref (favourites) : NULL;
  n = favourites ? favourites->len : 0;

  self->loading = TRUE;
  gtk_string_list_splice (self->favourite_labels, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->favourite_labels)),
                          NULL);
  gtk_string_list_append (self->favourite_labels, n > 0 ? _("Choose…") : _("None saved yet"));
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (self->favourite_labels,
                            ((RxSigFavourite *) favourites->pdata[i])->label);
  gtk_drop_down_set_selected (self->favourite_drop, 0);
  self->loading = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->favourite_drop), n > 0);
}

guint
rx_prescription_item_row_get_n_favourites (RxPrescriptionItemRow *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION_ITEM_ROW (self), 0);
  return self->favourites ? self->favourites->len : 0;
}

static void
rx_prescription_item_row_dispose (GObject *object)
{
  RxPrescriptionItemRow *self = (RxPrescriptionItemRow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_PRESCRIPTION_ITEM_ROW);
  g_clear_object (&self->product);
  g_clear_object (&self->units);
  g_clear_object (&self->routes);
  g_clear_object (&self->favourite_labels);
  g_clear_pointer (&self->favourites, g_ptr_array_unref);
  g_clear_pointer (&self->sig, rx_sig_free);

  G_OBJECT_CLASS (rx_prescription_item_row_parent_class)->dispose (object);
}

static void
rx_prescription_item_row_class_init (RxPrescriptionItemRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_prescription_item_row_dispose;

  /* The directions changed: the safety checks run again. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The prescriber wants the item off the prescription. */
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The prescriber wants these directions among their favourites. */
  signals[SAVE_FAVOURITE] = g_signal_new ("save-favourite", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-prescription-item-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, favourite_row);
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, favourite_drop);
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, dose_spin);
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, unit_drop);
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, route_row);
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, frequency_row);
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, hours_row);
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, hours_spin);
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, max_row);
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, max_spin);
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, quantity_row);
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, recompute_button);
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, quantity_spin);
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, repeats_spin);
  gtk_widget_class_bind_template_child (widget_class, RxPrescriptionItemRow, instructions_row);
  gtk_widget_class_bind_template_callback (widget_class, edited_cb);
  gtk_widget_class_bind_template_callback (widget_class, quantity_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, recompute_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, favourite_chosen_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_favourite_clicked_cb);
}

static void
rx_prescription_item_row_init (RxPrescriptionItemRow *self)
{
  g_autoptr(GtkStringList) frequencies = gtk_string_list_new (NULL);

  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  self->units = gtk_string_list_new ((const char * const *) default_units);
  self->routes = gtk_string_list_new ((const char * const *) default_routes);
  for (guint i = 0; i < RX_SIG_N_FREQUENCIES; i++)
    gtk_string_list_append (frequencies, rx_sig_frequency_label (i));
  gtk_drop_down_set_model (self->unit_drop, G_LIST_MODEL (self->units));
  adw_combo_row_set_model (self->route_row, G_LIST_MODEL (self->routes));
  adw_combo_row_set_model (self->frequency_row, G_LIST_MODEL (frequencies));
  self->favourite_labels = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->favourite_drop, G_LIST_MODEL (self->favourite_labels));
  self->loading = FALSE;
  rx_prescription_item_row_set_favourites (self, NULL);
}

/**
 * rx_prescription_item_row_new:
 * @product: the medicine chosen from the formulary
 * @sig: (nullable): its directions, or %NULL for the usual start for its form
 */
GtkWidget *
rx_prescription_item_row_new (RxProduct   *product,
                              const RxSig *sig)
{
  RxPrescriptionItemRow *self;
  GPtrArray *packs;

  g_return_val_if_fail (RX_IS_PRODUCT (product), NULL);

  self = g_object_new (RX_TYPE_PRESCRIPTION_ITEM_ROW, NULL);
  self->product = g_object_ref (product);
  packs = rx_product_get_packs (product);
  self->sig = sig != NULL ? rx_sig_copy (sig)
                          : rx_sig_new (rx_product_get_form (product),
                                        rx_product_get_route (product),
                                        packs != NULL && packs->len > 0
                                          ? ((RxPack *) packs->pdata[0])->unit : NULL);
  load (self);

  return GTK_WIDGET (self);
}

RxProduct *
rx_prescription_item_row_get_product (RxPrescriptionItemRow *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION_ITEM_ROW (self), NULL);
  return self->product;
}

const RxSig *
rx_prescription_item_row_get_sig (RxPrescriptionItemRow *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION_ITEM_ROW (self), NULL);
  return self->sig;
}

void
rx_prescription_item_row_set_sig (RxPrescriptionItemRow *self,
                                  const RxSig           *sig)
{
  g_return_if_fail (RX_IS_PRESCRIPTION_ITEM_ROW (self));
  g_return_if_fail (sig != NULL);

  g_clear_pointer (&self->sig, rx_sig_free);
  self->sig = rx_sig_copy (sig);
  rx_sig_update_quantity (self->sig);
  load (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* "amoxicillin 500 mg capsule", as the prescription names it. */
char *
rx_prescription_item_row_dup_name (RxPrescriptionItemRow *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION_ITEM_ROW (self), NULL);
  return rx_product_dup_display_name (self->product);
}
