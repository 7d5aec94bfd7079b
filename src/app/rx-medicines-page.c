/* rx-medicines-page.c: search the formulary as you type, and see beside each product what
 * the clinic's pharmacy has on hand, its nearest expiry and its price. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include <glib/gi18n.h>

#include "rx-application.h"
#include "rx-format.h"
#include "rx-medicines-page.h"
#include "rx-product.h"

/* Stock that expires within this many days is flagged. */
#define EXPIRY_WARNING_DAYS 90

struct _RxMedicinesPage
{
  GtkWidget            parent_instance;

  RxClinic            *clinic;
  GCancellable        *cancellable;
  GListStore          *results;
  GSettings           *settings;

  GtkSearchEntry      *search_entry;
  GtkStack            *stack;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *price_column;
  AdwStatusPage       *empty_page;
  AdwStatusPage       *error_page;
  GtkLabel            *count_label;
};

G_DEFINE_FINAL_TYPE (RxMedicinesPage, rx_medicines_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CLINIC,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_busy (RxMedicinesPage *self,
          GCancellable    *cancellable)
{
  gboolean was_busy = self->cancellable != NULL;

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, cancellable);

  if (was_busy != (cancellable != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_prompt (RxMedicinesPage *self)
{
  g_list_store_remove_all (self->results);
  gtk_label_set_label (self->count_label, "");
  gtk_stack_set_visible_child_name (self->stack, "prompt");
}

static void
show_results (RxMedicinesPage *self,
              GListModel      *found)
{
  guint n = g_list_model_get_n_items (found);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *count = NULL;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (found, i));
  g_list_store_splice (self->results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
                       items->pdata, items->len);

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u product found",
                                        "%u products found", n),
                           n);
  gtk_label_set_label (self->count_label, count);
}

static void
search_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GListModel) found = NULL;
  g_autoptr(GError) error = NULL;
  RxMedicinesPage *self;

  found = rx_clinic_search_products_finish (RX_CLINIC (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_MEDICINES_PAGE (user_data);
  set_busy (self, NULL);

  if (found == NULL)
    {
      g_warning ("Searching the formulary failed: %s", error->message);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  show_results (self, found);
}

void
rx_medicines_page_search (RxMedicinesPage *self,
                          const char      *text)
{
  g_autoptr(GCancellable) cancellable = NULL;
  g_autofree char *query = NULL;

  g_return_if_fail (RX_IS_MEDICINES_PAGE (self));

  if (self->clinic == NULL)
    return;

  query = g_strstrip (g_strdup (text ? text : ""));
  if (*query == '\0')
    {
      /* Listing the whole formulary helps nobody; ask for a name instead. */
      set_busy (self, NULL);
      show_prompt (self);
      return;
    }

  cancellable = g_cancellable_new ();
  set_busy (self, cancellable);
  rx_clinic_search_products_async (self->clinic, query, cancellable, search_done_cb, self);
}

static void
search_changed_cb (RxMedicinesPage *self)
{
  rx_medicines_page_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* Cells --------------------------------------------------------------------------------- */

static void
setup_text_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
setup_number_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_name_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  RxProduct *product = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *name = rx_product_dup_display_name (product);

  gtk_label_set_label (label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), name);
}

static void
bind_atc_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  RxProduct *product = gtk_list_item_get_item (item);
  const char *atc = rx_product_get_atc (product);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       atc && *atc ? atc : "—");
}

static void
bind_on_hand_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  RxProduct *product = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  gint64 on_hand = rx_product_get_on_hand (product);
  gint64 reorder = rx_product_get_reorder_level (product);
  g_autofree char *text = NULL;

  /* -1: the clinic keeps no stock of it; 0: none left. Both read as a dash. */
  text = on_hand > 0 ? rx_format_quantity (on_hand) : g_strdup ("—");
  gtk_label_set_label (GTK_LABEL (label), text);

  if (on_hand > 0 && reorder > 0 && on_hand <= reorder)
    {
      gtk_widget_add_css_class (label, "warning");
      gtk_widget_set_tooltip_text (label, _("At or below the reorder level"));
    }
  else
    {
      gtk_widget_remove_css_class (label, "warning");
      gtk_widget_set_tooltip_text (label, NULL);
    }
}

static void
bind_expiry_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  RxProduct *product = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  const char *expiry = rx_product_get_nearest_expiry (product);
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) soon = g_date_time_add_days (now, EXPIRY_WARNING_DAYS);
  g_autofree char *today_iso = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *soon_iso = g_date_time_format (soon, "%Y-%m-%d");

  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_set_tooltip_text (label, NULL);

  if (expiry == NULL || *expiry == '\0' || rx_product_get_on_hand (product) <= 0)
    {
      gtk_label_set_label (GTK_LABEL (label), "—");
      return;
    }

  text = rx_format_date (expiry);
  gtk_label_set_label (GTK_LABEL (label), text);

  /* ISO dates compare as strings. */
  if (strcmp (expiry, today_iso) < 0)
    {
      gtk_widget_add_css_class (label, "error");
      gtk_widget_set_tooltip_text (label, _("Expired: do not dispense"));
    }
  else if (strcmp (expiry, soon_iso) <= 0)
    {
      gtk_widget_add_css_class (label, "warning");
      gtk_widget_set_tooltip_text (label, _("Expires within three months"));
    }
}

static void
bind_price_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  RxMedicinesPage *self = user_data;
  RxProduct *product = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  GPtrArray *packs = rx_product_get_packs (product);
  RxPack *pack = packs && packs->len > 0 ? packs->pdata[0] : NULL;
  g_autofree char *price = NULL;
  g_autofree char *tooltip = NULL;
  guint digits = 2;

  if (pack == NULL || pack->price_minor < 0)
    {
      gtk_label_set_label (GTK_LABEL (label), "—");
      gtk_widget_set_tooltip_text (label, NULL);
      return;
    }

  if (self->settings != NULL)
    digits = g_settings_get_uint (self->settings, "currency-minor-digits");

  price = rx_format_money (pack->price_minor, digits, NULL);
  /* Translators: the size of the pack a price is for, e.g. "Pack of 28 tablet" */
  tooltip = g_strdup_printf (_("Pack of %lld %s"), (long long) pack->size,
                             pack->unit ? pack->unit : "");
  gtk_label_set_label (GTK_LABEL (label), price);
  gtk_widget_set_tooltip_text (label, tooltip);
}

static void
setup_flags_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *rx_only = gtk_label_new (_("Rx"));
  GtkWidget *controlled = gtk_label_new (_("Controlled"));

  gtk_widget_add_css_class (rx_only, "badge");
  gtk_widget_add_css_class (rx_only, "rx-only");
  gtk_widget_set_tooltip_text (rx_only, _("Prescription only"));
  gtk_widget_add_css_class (controlled, "badge");
  gtk_widget_add_css_class (controlled, "controlled");
  gtk_widget_set_tooltip_text (controlled,
                               _("Controlled medicine: record every movement"));
  gtk_widget_set_valign (rx_only, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (controlled, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), rx_only);
  gtk_box_append (GTK_BOX (box), controlled);
  gtk_list_item_set_child (item, box);
}

static void
bind_flags_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  RxProduct *product = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *rx_only = gtk_widget_get_first_child (box);
  GtkWidget *controlled = gtk_widget_get_next_sibling (rx_only);

  gtk_widget_set_visible (rx_only, rx_product_get_rx_only (product));
  gtk_widget_set_visible (controlled, rx_product_get_controlled (product));
}

/* GObject ------------------------------------------------------------------------------- */

static void
update_price_title (RxMedicinesPage *self)
{
  g_autofree char *currency = NULL;
  g_autofree char *title = NULL;

  if (self->settings == NULL)
    return;

  currency = g_settings_get_string (self->settings, "currency");
  /* Translators: a column title, e.g. "Price (USD)" */
  title = g_strdup_printf (_("Price (%s)"), currency);
  gtk_column_view_column_set_title (self->price_column, title);
}

static void
rx_medicines_page_dispose (GObject *object)
{
  RxMedicinesPage *self = (RxMedicinesPage *) object;
  GtkWidget *child;

  set_busy (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_MEDICINES_PAGE);
  /* Template children that are not bound to a field are ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->clinic);
  g_clear_object (&self->results);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rx_medicines_page_parent_class)->dispose (object);
}

static void
rx_medicines_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RxMedicinesPage *self = RX_MEDICINES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLINIC:
      g_value_set_object (value, self->clinic);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, rx_medicines_page_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_medicines_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RxMedicinesPage *self = RX_MEDICINES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLINIC:
      rx_medicines_page_set_clinic (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
rx_medicines_page_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (RX_MEDICINES_PAGE (widget)->search_entry));
}

static void
rx_medicines_page_class_init (RxMedicinesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_medicines_page_dispose;
  object_class->get_property = rx_medicines_page_get_property;
  object_class->set_property = rx_medicines_page_set_property;
  widget_class->grab_focus = rx_medicines_page_grab_focus;

  properties[PROP_CLINIC] =
    g_param_spec_object ("clinic", NULL, NULL, RX_TYPE_CLINIC,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-medicines-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RxMedicinesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RxMedicinesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RxMedicinesPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, RxMedicinesPage, price_column);
  gtk_widget_class_bind_template_child (widget_class, RxMedicinesPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RxMedicinesPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, RxMedicinesPage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_number_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_flags_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_name_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_atc_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_on_hand_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_expiry_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_price_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_flags_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
rx_medicines_page_init (RxMedicinesPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->results = g_list_store_new (RX_TYPE_PRODUCT);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->results)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, RX_SETTINGS_SCHEMA_ID, TRUE);
  if (schema != NULL)
    {
      self->settings = g_settings_new (RX_SETTINGS_SCHEMA_ID);
      g_signal_connect_object (self->settings, "changed::currency",
                               G_CALLBACK (update_price_title), self, G_CONNECT_SWAPPED);
      update_price_title (self);
    }

  show_prompt (self);
}

RxClinic *
rx_medicines_page_get_clinic (RxMedicinesPage *self)
{
  g_return_val_if_fail (RX_IS_MEDICINES_PAGE (self), NULL);
  return self->clinic;
}

void
rx_medicines_page_set_clinic (RxMedicinesPage *self,
                              RxClinic        *clinic)
{
  g_return_if_fail (RX_IS_MEDICINES_PAGE (self));
  g_return_if_fail (!clinic || RX_IS_CLINIC (clinic));

  if (!g_set_object (&self->clinic, clinic))
    return;

  set_busy (self, NULL);
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  show_prompt (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLINIC]);
}

gboolean
rx_medicines_page_get_busy (RxMedicinesPage *self)
{
  g_return_val_if_fail (RX_IS_MEDICINES_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

/* The products the list shows now, for tests. */
GListModel *
rx_medicines_page_get_results (RxMedicinesPage *self)
{
  g_return_val_if_fail (RX_IS_MEDICINES_PAGE (self), NULL);
  return G_LIST_MODEL (self->results);
}

void
rx_medicines_page_focus_search (RxMedicinesPage *self)
{
  g_return_if_fail (RX_IS_MEDICINES_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}
