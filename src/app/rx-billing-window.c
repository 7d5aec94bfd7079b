/* rx-billing-window.c: the billing window and its till. A keyboard-wedge scanner types a
 * GS1 string and Enter into the scan entry: the GTIN finds the product and one is added to
 * the sale. Typing a name searches the formulary after a pause, since searches are audited.
 * Like every RxDesk window it belongs to the person who opened it and hides everything
 * while the clinic is locked. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "rx-a11y.h"
#include "rx-application.h"
#include "rx-billing-window-private.h"
#include "rx-format.h"

G_DEFINE_FINAL_TYPE (RxBillingWindow, rx_billing_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A product as the till sells it: one unit at the price of the smallest pack, rounded up
 * to the minor unit, at the product's tax rate. */
typedef struct
{
  RxProduct *product;
  char      *name;
  gboolean   priced;
  gint64     unit_price;
  int        tax_rate_bp;
} TillProduct;

static void
till_product_free (gpointer data)
{
  TillProduct *p = data;

  g_clear_object (&p->product);
  g_free (p->name);
  g_free (p);
}

static void
pending_free (gpointer data)
{
  RxBillingPending *p = data;

  g_clear_object (&p->invoice);
  g_free (p->patient_name);
  g_free (p);
}

void
_rx_billing_window_notify_busy (RxBillingWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
_rx_billing_window_toast (RxBillingWindow *self,
                          const char      *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_rx_billing_window_report (GtkWindow  *window,
                           const char *message)
{
  _rx_billing_window_toast (RX_BILLING_WINDOW (window), message);
}

char *
_rx_billing_window_money (RxBillingWindow *self,
                          gint64           minor)
{
  return rx_format_money (minor, self->digits, self->currency);
}

/* Puts @cancellable in @slot, cancelling what was there, and says when busy changes. */
void
_rx_billing_window_set_work (RxBillingWindow  *self,
                             GCancellable    **slot,
                             GCancellable     *cancellable)
{
  g_cancellable_cancel (*slot);
  g_set_object (slot, cancellable);
  _rx_billing_window_notify_busy (self);
  _rx_billing_window_update_actions (self);
}

void
_rx_billing_window_clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* A row with a title, perhaps a subtitle, and an amount on the right. */
GtkWidget *
_rx_billing_window_amount_row (const char *title,
                               const char *subtitle,
                               const char *amount,
                               gboolean    strong)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (amount);
  g_autofree char *name = g_strdup_printf ("%s: %s", title, amount);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (label, "numeric");
  if (strong)
    gtk_widget_add_css_class (label, "heading");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

  return row;
}

/* The sale's lines and totals ----------------------------------------------------------- */

static void
discount_changed_cb (GtkEditable     *entry,
                     RxBillingWindow *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (entry), GTK_TYPE_LIST_BOX_ROW);
  int position = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));
  const char *text = gtk_editable_get_text (entry);
  gint64 discount = 0;

  if ((*text == '\0' || rx_sale_parse_money (text, self->digits, &discount)) &&
      rx_sale_set_discount (self->sale, position, discount))
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  _rx_billing_window_update_actions (self);
}

static void
quantity_changed_cb (GtkSpinButton   *spin,
                     RxBillingWindow *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (spin), GTK_TYPE_LIST_BOX_ROW);
  int position = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));

  rx_sale_set_quantity (self->sale, position, gtk_spin_button_get_value_as_int (spin));
}

static void
remove_line_cb (GtkButton       *button,
                RxBillingWindow *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);

  rx_sale_remove (self->sale, gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)));
}

static GtkWidget *
new_line_row (RxBillingWindow  *self,
              const RxSaleLine *line)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *price = _rx_billing_window_money (self, line->unit_price_minor);
  g_autofree char *rate = rx_format_tax_rate (line->tax_rate_bp);
  g_autofree char *subtitle = g_strdup_printf (_("%s each · tax %s"), price, rate);
  GtkWidget *total = gtk_label_new (NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), line->description);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  line->description, -1);

  if (line->fixed)
    {
      g_autofree char *quantity = g_strdup_printf ("× %" G_GINT64_FORMAT, line->quantity);
      GtkWidget *label = gtk_label_new (quantity);

      gtk_widget_set_tooltip_text (label, _("Dispensed: the quantity cannot change here"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  else
    {
      GtkWidget *spin = gtk_spin_button_new_with_range (1, 100000, 1);
      GtkWidget *discount = gtk_entry_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *spin_name = g_strdup_printf (_("Quantity of %s"), line->description);
      g_autofree char *discount_name = g_strdup_printf (_("Discount on %s"), line->description);
      g_autofree char *remove_name = g_strdup_printf (_("Remove %s"), line->description);

      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), line->quantity);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (row), "rx-spin", spin);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      spin_name, -1);
      g_signal_connect (spin, "value-changed", G_CALLBACK (quantity_changed_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);

      gtk_entry_set_placeholder_text (GTK_ENTRY (discount), _("Discount"));
      gtk_editable_set_width_chars (GTK_EDITABLE (discount), 8);
      gtk_entry_set_input_purpose (GTK_ENTRY (discount), GTK_INPUT_PURPOSE_NUMBER);
      gtk_widget_set_valign (discount, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (discount, _("Discount off this line, before tax"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (discount),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, discount_name, -1);
      if (line->discount_minor > 0)
        {
          g_autofree char *text = rx_format_money (line->discount_minor, self->digits, NULL);
          gtk_editable_set_text (GTK_EDITABLE (discount), text);
        }
      g_signal_connect (discount, "changed", G_CALLBACK (discount_changed_cb), self);
      g_object_set_data (G_OBJECT (row), "rx-discount", discount);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), discount);

      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, remove_name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove_name, -1);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_line_cb), self);
      /* after the total, at the row's end */
      g_object_set_data (G_OBJECT (row), "rx-remove", remove);
    }

  gtk_widget_set_size_request (total, 110, -1);
  gtk_label_set_xalign (GTK_LABEL (total), 1.0);
  gtk_widget_add_css_class (total, "numeric");
  gtk_widget_add_css_class (total, "heading");
  g_object_set_data (G_OBJECT (row), "rx-total", total);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), total);
  if (g_object_get_data (G_OBJECT (row), "rx-remove") != NULL)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               g_object_get_data (G_OBJECT (row), "rx-remove"));

  return row;
}

static void
attach_total (RxBillingWindow *self,
              int              row,
              const char      *title,
              gint64           minor,
              gboolean         grand)
{
  GtkWidget *label = gtk_label_new (title);
  g_autofree char *text = _rx_billing_window_money (self, minor);
  GtkWidget *amount = gtk_label_new (text);
  g_autofree char *name = g_strdup_printf ("%s: %s", title, text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_xalign (GTK_LABEL (amount), 1);
  gtk_widget_set_hexpand (amount, TRUE);
  gtk_widget_add_css_class (amount, "numeric");
  gtk_accessible_update_property (GTK_ACCESSIBLE (amount), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name, -1);
  if (grand)
    {
      gtk_widget_add_css_class (label, "title-2");
      gtk_widget_add_css_class (amount, "title-1");
    }
  else
    gtk_widget_add_css_class (label, "dim-label");
  gtk_grid_attach (self->totals_grid, label, 0, row, 1, 1);
  gtk_grid_attach (self->totals_grid, amount, 1, row, 1, 1);
}

static void
update_totals (RxBillingWindow *self)
{
  g_autoptr(GArray) rates = rx_sale_dup_tax_totals (self->sale);
  GtkWidget *child;
  int row = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->totals_grid))) != NULL)
    gtk_grid_remove (self->totals_grid, child);

  attach_total (self, row++, _("Subtotal before tax"), rx_sale_get_net_minor (self->sale),
                FALSE);
  for (guint i = 0; i < rates->len; i++)
    {
      const RxTaxTotal *t = &g_array_index (rates, RxTaxTotal, i);
      g_autofree char *rate = rx_format_tax_rate (t->rate_bp);
      g_autofree char *title = g_strdup_printf (_("Tax at %s"), rate);

      attach_total (self, row++, title, t->tax_minor, FALSE);
    }
  if (rates->len == 0)
    attach_total (self, row++, _("Tax"), 0, FALSE);
  attach_total (self, row, _("Total"), rx_sale_get_total_minor (self->sale), TRUE);

  /* each line's total, in place, so that a spin button keeps its focus */
  for (guint i = 0; i < rx_sale_get_n_lines (self->sale); i++)
    {
      GtkListBoxRow *list_row = gtk_list_box_get_row_at_index (self->lines_list, i);
      GtkLabel *total = list_row ? g_object_get_data (G_OBJECT (list_row), "rx-total") : NULL;
      const RxSaleLine *line = rx_sale_get_line (self->sale, i);
      g_autofree char *text = _rx_billing_window_money (self, rx_sale_line_total (line));

      GtkSpinButton *spin = list_row ? g_object_get_data (G_OBJECT (list_row), "rx-spin")
                                     : NULL;
      GtkEditable *discount = list_row ? g_object_get_data (G_OBJECT (list_row), "rx-discount")
                                       : NULL;
      gint64 typed = 0;

      if (total != NULL)
        gtk_label_set_label (total, text);
      /* a scan of the same pack again counts on this line: the spin button follows */
      if (spin != NULL && gtk_spin_button_get_value_as_int (spin) != line->quantity)
        gtk_spin_button_set_value (spin, line->quantity);
      /* a discount cut down to a smaller quantity's value shows as it now is */
      if (discount != NULL && !gtk_widget_has_css_class (GTK_WIDGET (discount), "error") &&
          (rx_sale_parse_money (gtk_editable_get_text (discount), self->digits, &typed) ||
           *gtk_editable_get_text (discount) == '\0') && typed != line->discount_minor)
        {
          g_autofree char *shown = line->discount_minor
                                   ? rx_format_money (line->discount_minor, self->digits, NULL)
                                   : g_strdup ("");
          gtk_editable_set_text (discount, shown);
        }
    }

  _rx_billing_window_update_actions (self);
}

static void
sale_lines_changed_cb (RxBillingWindow *self,
                       guint            position,
                       guint            removed,
                       guint            added)
{
  RxInvoice *invoice = rx_sale_get_invoice (self->sale);
  const char *patient = rx_sale_get_patient_name (self->sale);

  for (guint i = 0; i < removed; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->lines_list, position);
      if (row != NULL)
        gtk_list_box_remove (self->lines_list, GTK_WIDGET (row));
    }
  for (guint i = 0; i < added; i++)
    gtk_list_box_insert (self->lines_list,
                         new_line_row (self, rx_sale_get_line (self->sale, position + i)),
                         position + i);

  gtk_stack_set_visible_child_name (self->lines_stack,
                                    rx_sale_is_empty (self->sale) ? "empty" : "lines");
  if (invoice != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Invoice %" PRId64 " for %s"),
                                                rx_invoice_get_number (invoice),
                                                patient ? patient : _("a patient"));
      gtk_label_set_label (self->sale_title, title);
    }
  else
    gtk_label_set_label (self->sale_title, _("Over-the-Counter Sale"));
}

/* Finding products --------------------------------------------------------------------- */

typedef struct
{
  char     *text;
  gboolean  scan;
} Lookup;

static void
lookup_free (gpointer data)
{
  Lookup *l = data;

  g_free (l->text);
  g_free (l);
}

/* A scanner's text: a symbology prefix, brackets, or 13–14 digits (an EAN or a GTIN). */
static gboolean
looks_scanned (const char *text)
{
  gsize digits = 0;

  if (text[0] == ']' || text[0] == '(' || strchr (text, '\x1d') != NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      digits++;
    }
  return digits >= 13;
}

static TillProduct *
till_product_new (RxDb       *db,
                  RxProduct  *product,
                  GError    **error)
{
  TillProduct *p = g_new0 (TillProduct, 1);
  GPtrArray *packs = rx_product_get_packs (product);

  p->product = g_object_ref (product);
  p->name = rx_product_dup_display_name (product);
  if (packs->len > 0)
    {
      const RxPack *smallest = g_ptr_array_index (packs, 0);

      p->priced = TRUE;
      p->unit_price = (smallest->price_minor + smallest->size - 1) / smallest->size;
    }
  if (!rx_invoices_product_tax_rate (db, rx_product_get_id (product), &p->tax_rate_bp, error))
    {
      till_product_free (p);
      return NULL;
    }

  return p;
}

static gpointer
lookup_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Lookup *l = data;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (till_product_free);
  g_autoptr(GListModel) products = NULL;

  if (l->scan)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(RxGs1) gs1 = NULL;
      g_autoptr(RxProduct) product = NULL;
      g_autofree char *gtin = NULL;
      TillProduct *p;

      if (strlen (l->text) <= 14 && l->text[0] != ']' && l->text[0] != '(')
        gtin = g_strdup_printf ("%014" G_GINT64_MODIFIER "u",
                                g_ascii_strtoull (l->text, NULL, 10));
      else
        {
          gs1 = rx_gs1_parse (l->text, g_date_time_get_year (now), error);
          if (gs1 == NULL)
            return NULL;
          gtin = g_strdup (gs1->gtin);
        }
      if (gtin == NULL || !rx_gs1_gtin_is_valid (gtin))
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       _("“%s” is not a barcode with a correct check digit; scan the pack "
                         "again or type the medicine's name"), l->text);
          return NULL;
        }
      product = rx_formulary_find_gtin (db, gtin, error);
      if (product == NULL)
        return NULL;
      p = till_product_new (db, product, error);
      if (p == NULL)
        return NULL;
      g_ptr_array_add (found, p);
      return g_steal_pointer (&found);
    }

  products = rx_formulary_search (db, l->text, RX_CLINIC_PRODUCT_SEARCH_LIMIT, error);
  if (products == NULL)
    return NULL;
  for (guint i = 0; i < g_list_model_get_n_items (products); i++)
    {
      g_autoptr(RxProduct) product = g_list_model_get_item (products, i);
      TillProduct *p = till_product_new (db, product, error);

      if (p == NULL)
        return NULL;
      g_ptr_array_add (found, p);
    }

  return g_steal_pointer (&found);
}

static void
show_product_message (RxBillingWindow *self,
                      const char      *icon,
                      const char      *title,
                      const char      *description)
{
  adw_status_page_set_icon_name (self->product_message_page, icon);
  adw_status_page_set_title (self->product_message_page, title);
  adw_status_page_set_description (self->product_message_page, description);
  gtk_stack_set_visible_child_name (self->product_stack, "message");
}

static gboolean
add_product (RxBillingWindow *self,
             TillProduct     *p)
{
  if (!p->priced)
    {
      g_autofree char *message = g_strdup_printf (_("%s has no price yet; an administrator "
                                                    "sets it in the formulary"), p->name);
      _rx_billing_window_toast (self, message);
      return FALSE;
    }

  rx_sale_add (self->sale, rx_product_get_id (p->product), p->name, p->unit_price,
               p->tax_rate_bp);
  return TRUE;
}

static void
show_found (RxBillingWindow *self,
            GPtrArray       *found)
{
  _rx_billing_window_clear_list (self->product_list);
  g_clear_pointer (&self->found, g_ptr_array_unref);
  self->found = g_ptr_array_ref (found);

  for (guint i = 0; i < found->len; i++)
    {
      TillProduct *p = g_ptr_array_index (found, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *price = p->priced ? _rx_billing_window_money (self, p->unit_price)
                                         : g_strdup (_("no price"));
      g_autofree char *rate = rx_format_tax_rate (p->tax_rate_bp);
      g_autofree char *on_hand = rx_format_quantity (rx_product_get_on_hand (p->product));
      g_autofree char *subtitle = g_strdup_printf (_("%s a unit · tax %s · %s in stock"),
                                                   price, rate, on_hand);
      GtkWidget *add = gtk_image_new_from_icon_name ("list-add-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), p->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), add);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      p->name, -1);
      gtk_list_box_append (self->product_list, row);
    }

  if (found->len > 0)
    gtk_stack_set_visible_child_name (self->product_stack, "list");
  else
    show_product_message (self, "system-search-symbolic", _("No Products Match"),
                          _("Check the spelling, or try the medicine's other name."));
}

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxBillingWindow *self;
  gboolean scanned;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_BILLING_WINDOW (user_data);
  scanned = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (self->search), "rx-scan"));
  _rx_billing_window_set_work (self, &self->search, NULL);

  if (found == NULL)
    {
      g_clear_pointer (&self->searched, g_free);
      show_product_message (self, "dialog-warning-symbolic",
                            scanned ? _("Pack Not Known") : _("Cannot Search Products"),
                            error->message);
      return;
    }

  if (scanned)
    {
      /* The scan is done (the line on the sale says so): the entry waits for the next. */
      if (found->len == 1)
        add_product (self, g_ptr_array_index (found, 0));
      g_clear_pointer (&self->searched, g_free);
      gtk_editable_set_text (GTK_EDITABLE (self->scan_entry), "");
      show_found (self, found);
      return;
    }

  show_found (self, found);
  if (self->add_when_found && found->len == 1)
    add_product (self, g_ptr_array_index (found, 0));
  self->add_when_found = FALSE;
}

static void
look_up (RxBillingWindow *self,
         const char      *text,
         gboolean         activated)
{
  g_autofree char *clean = g_strstrip (g_strdup (text ? text : ""));
  g_autoptr(GCancellable) cancellable = NULL;
  gboolean scan = looks_scanned (clean);
  Lookup *l;

  if (self->clinic == NULL || rx_clinic_get_locked (self->clinic))
    return;

  /* a scanner ends with Enter; until then its digits are not a search */
  if (scan && !activated)
    return;
  if (!scan && g_utf8_strlen (clean, -1) < RX_BILLING_SEARCH_MIN_CHARS)
    {
      _rx_billing_window_set_work (self, &self->search, NULL);
      g_clear_pointer (&self->searched, g_free);
      _rx_billing_window_clear_list (self->product_list);
      gtk_stack_set_visible_child_name (self->product_stack, "hint");
      return;
    }
  if (!scan && g_strcmp0 (clean, self->searched) == 0)
    return;

  /* other words than those Enter was pressed on: their answer is only listed */
  self->add_when_found = FALSE;
  g_free (self->searched);
  self->searched = scan ? NULL : g_strdup (clean);
  l = g_new0 (Lookup, 1);
  l->text = g_steal_pointer (&clean);
  l->scan = scan;
  cancellable = g_cancellable_new ();
  g_object_set_data (G_OBJECT (cancellable), "rx-scan", GINT_TO_POINTER (scan));
  _rx_billing_window_set_work (self, &self->search, cancellable);
  rx_clinic_run_async (self->clinic, lookup_in_worker, l, lookup_free,
                       (GDestroyNotify) g_ptr_array_unref, cancellable, looked_up_cb, self);
}

static void
scan_changed_cb (RxBillingWindow *self)
{
  look_up (self, gtk_editable_get_text (GTK_EDITABLE (self->scan_entry)), FALSE);
}

/* Enter: a scan is looked up now; after a search, one match is added at once. */
static void
scan_activated_cb (RxBillingWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->scan_entry));
  g_autofree char *clean = g_strstrip (g_strdup (text));

  if (looks_scanned (clean))
    {
      look_up (self, clean, TRUE);
      return;
    }

  look_up (self, clean, TRUE);
  if (self->search != NULL)
    self->add_when_found = TRUE;
  else if (self->found != NULL && self->found->len == 1)
    add_product (self, g_ptr_array_index (self->found, 0));
}

static void
product_activated_cb (RxBillingWindow *self,
                      GtkListBoxRow   *row)
{
  rx_billing_window_add_found (self, gtk_list_box_row_get_index (row));
}

/* What was dispensed, waiting to be paid ---------------------------------------------- */

static gpointer
pending_in_worker (RxDb          *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GListModel) open = rx_invoices_list_open (db, NULL, error);
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (pending_free);

  if (open == NULL)
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (open); i++)
    {
      RxBillingPending *p = g_new0 (RxBillingPending, 1);
      g_autoptr(RxPatient) patient = NULL;

      p->invoice = g_list_model_get_item (open, i);
      patient = rx_patients_get (db, rx_invoice_get_patient_id (p->invoice), NULL);
      p->patient_name = patient ? rx_patient_dup_display_name (patient)
                                : g_strdup (_("Unknown patient"));
      g_ptr_array_add (pending, p);
    }

  return g_steal_pointer (&pending);
}

static void
pending_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxBillingWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_BILLING_WINDOW (user_data);
  _rx_billing_window_set_work (self, &self->pending_load, NULL);
  _rx_billing_window_clear_list (self->pending_list);
  g_clear_pointer (&self->pending, g_ptr_array_unref);

  if (pending == NULL)
    {
      gtk_label_set_label (self->pending_label, error->message);
      gtk_stack_set_visible_child_name (self->pending_stack, "none");
      return;
    }

  self->pending = g_ptr_array_ref (pending);
  for (guint i = 0; i < pending->len; i++)
    {
      RxBillingPending *p = g_ptr_array_index (pending, i);
      g_autofree char *total = _rx_billing_window_money (self,
                                                         rx_invoice_get_total_minor (p->invoice));
      guint n = rx_invoice_get_lines (p->invoice)->len;
      g_autofree char *subtitle =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Invoice %" G_GINT64_FORMAT ", %u item",
                                      "Invoice %" G_GINT64_FORMAT ", %u items", n),
                         rx_invoice_get_number (p->invoice), n);
      GtkWidget *row = _rx_billing_window_amount_row (p->patient_name, subtitle, total, TRUE);

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (self->pending_list, row);
    }
  gtk_label_set_label (self->pending_label, _("Nothing dispensed is waiting to be paid."));
  gtk_stack_set_visible_child_name (self->pending_stack, pending->len > 0 ? "list" : "none");
}

void
_rx_billing_window_load_pending (RxBillingWindow *self)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  if (self->clinic == NULL || rx_clinic_get_locked (self->clinic))
    return;

  _rx_billing_window_set_work (self, &self->pending_load, cancellable);
  rx_clinic_run_async (self->clinic, pending_in_worker, NULL, NULL,
                       (GDestroyNotify) g_ptr_array_unref, cancellable, pending_loaded_cb,
                       self);
}

static void
pending_activated_cb (RxBillingWindow *self,
                      GtkListBoxRow   *row)
{
  rx_billing_window_collect_pending (self, gtk_list_box_row_get_index (row));
}

/* Session ------------------------------------------------------------------------------ */

static void
update_view (RxBillingWindow *self)
{
  gboolean locked = rx_clinic_get_locked (self->clinic);

  if (!locked)
    gtk_widget_set_visible (self->billing_page, TRUE);
  gtk_stack_set_visible_child_full (self->main_stack, locked ? "locked" : "billing",
                                    locked ? GTK_STACK_TRANSITION_TYPE_NONE
                                           : GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  if (locked)
    gtk_widget_set_visible (self->billing_page, FALSE);

  adw_view_switcher_title_set_stack (self->switcher_title, locked ? NULL : self->view_stack);
  gtk_window_set_default_widget (GTK_WINDOW (self),
                                 locked ? rx_lock_page_get_default_widget (self->lock_page)
                                        : NULL);
  _rx_billing_window_update_actions (self);
}

static void
stop_all (RxBillingWindow *self)
{
  _rx_billing_window_set_work (self, &self->search, NULL);
  _rx_billing_window_set_work (self, &self->pending_load, NULL);
  _rx_billing_window_records_stop (self);
  g_clear_pointer (&self->searched, g_free);
}

static void
session_changed_cb (RxBillingWindow *self)
{
  RxUser *user = rx_clinic_get_user (self->clinic);
  gboolean locked = rx_clinic_get_locked (self->clinic);
  const char *before = gtk_stack_get_visible_child_name (self->main_stack);

  if (user == NULL || g_strcmp0 (rx_user_get_id (user), rx_user_get_id (self->user)) != 0)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (locked)
    {
      stop_all (self);
      /* a payment half-typed is let go; nothing was written */
      if (self->dialog != NULL)
        gtk_window_destroy (self->dialog);
    }

  update_view (self);

  if (g_strcmp0 (before, gtk_stack_get_visible_child_name (self->main_stack)) == 0)
    return;
  if (locked)
    rx_lock_page_focus (self->lock_page);
  else
    {
      _rx_billing_window_load_pending (self);
      _rx_billing_window_load_invoices (self);
      _rx_billing_window_load_report (self);
    }
  _rx_billing_window_notify_busy (self);
}

static void
page_changed_cb (RxBillingWindow *self)
{
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);

  if (self->clinic == NULL || rx_clinic_get_locked (self->clinic))
    return;

  /* each page starts where its typing goes */
  if (g_strcmp0 (page, "till") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->scan_entry));
  else if (g_strcmp0 (page, "invoices") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->invoice_search));
  else if (g_strcmp0 (page, "closing") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->counted_row));

  if (!self->stale)
    return;

  /* after a sale or refund, the other pages read the ledger again */
  if (g_strcmp0 (page, "till") != 0)
    {
      self->stale = FALSE;
      _rx_billing_window_load_invoices (self);
      _rx_billing_window_load_report (self);
    }
}

/* Back at the till from another window (the pharmacy, where a dispense was just billed):
 * what waits to be paid is read again. */
static void
active_cb (RxBillingWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)) && self->clinic != NULL &&
      !rx_clinic_get_locked (self->clinic) && self->pending_load == NULL &&
      self->dialog == NULL)
    _rx_billing_window_load_pending (self);
}

static void
load_settings (RxBillingWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  self->currency = g_strdup ("USD");
  self->digits = 2;
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, RX_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    return;

  self->settings = g_settings_new (RX_SETTINGS_SCHEMA_ID);
  g_free (self->currency);
  self->currency = g_settings_get_string (self->settings, "currency");
  self->digits = g_settings_get_uint (self->settings, "currency-minor-digits");
}

/* Public API ---------------------------------------------------------------------------- */

/**
 * rx_billing_window_new:
 * @application: (nullable): the application, or %NULL in tests
 * @clinic: a clinic with someone logged in who may bill
 *
 * Returns: (transfer none): the window, for the person logged in to @clinic now
 */
RxBillingWindow *
rx_billing_window_new (GtkApplication *application,
                       RxClinic       *clinic)
{
  RxBillingWindow *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (RX_IS_CLINIC (clinic), NULL);
  g_return_val_if_fail (rx_clinic_get_user (clinic) != NULL, NULL);

  self = g_object_new (RX_TYPE_BILLING_WINDOW, "application", application, NULL);
  self->clinic = g_object_ref (clinic);
  self->user = g_object_ref (rx_clinic_get_user (clinic));

  /* Translators: the window's title, e.g. "Billing — Riverside Clinic" */
  title = g_strdup_printf (_("Billing — %s"), rx_clinic_get_name (clinic));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_view_switcher_title_set_subtitle (self->switcher_title, rx_clinic_get_name (clinic));

  g_signal_connect_object (clinic, "notify::user", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (clinic, "notify::locked", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);

  rx_lock_page_set_clinic (self->lock_page, clinic);
  update_view (self);
  update_totals (self);
  _rx_billing_window_load_pending (self);
  _rx_billing_window_load_invoices (self);
  _rx_billing_window_load_report (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->scan_entry));

  return self;
}

/* Whether a query is in flight. */
gboolean
rx_billing_window_get_busy (RxBillingWindow *self)
{
  g_return_val_if_fail (RX_IS_BILLING_WINDOW (self), FALSE);

  return self->search != NULL || self->pending_load != NULL || self->invoices_load != NULL ||
         self->detail_load != NULL || self->report_load != NULL || self->writing != NULL ||
         rx_lock_page_get_busy (self->lock_page);
}

/* "billing", or "locked". */
const char *
rx_billing_window_get_page (RxBillingWindow *self)
{
  g_return_val_if_fail (RX_IS_BILLING_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

RxSale *
rx_billing_window_get_sale (RxBillingWindow *self)
{
  g_return_val_if_fail (RX_IS_BILLING_WINDOW (self), NULL);
  return self->sale;
}

GtkWidget *
rx_billing_window_get_scan_entry (RxBillingWindow *self)
{
  g_return_val_if_fail (RX_IS_BILLING_WINDOW (self), NULL);
  return GTK_WIDGET (self->scan_entry);
}

guint
rx_billing_window_get_n_found (RxBillingWindow *self)
{
  g_return_val_if_fail (RX_IS_BILLING_WINDOW (self), 0);
  return self->found ? self->found->len : 0;
}

/* Adds one of the listed product at @position to the sale. */
gboolean
rx_billing_window_add_found (RxBillingWindow *self,
                             guint            position)
{
  g_return_val_if_fail (RX_IS_BILLING_WINDOW (self), FALSE);

  if (self->found == NULL || position >= self->found->len)
    return FALSE;
  return add_product (self, g_ptr_array_index (self->found, position));
}

guint
rx_billing_window_get_n_pending (RxBillingWindow *self)
{
  g_return_val_if_fail (RX_IS_BILLING_WINDOW (self), 0);
  return self->pending ? self->pending->len : 0;
}

/* Makes the patient's open invoice at @position the sale, in place of an empty one. */
gboolean
rx_billing_window_collect_pending (RxBillingWindow *self,
                                   guint            position)
{
  RxBillingPending *p;

  g_return_val_if_fail (RX_IS_BILLING_WINDOW (self), FALSE);

  if (self->pending == NULL || position >= self->pending->len)
    return FALSE;
  if (!rx_sale_is_empty (self->sale) && rx_sale_get_invoice (self->sale) == NULL)
    {
      _rx_billing_window_toast (self, _("Finish or clear the sale on the till first"));
      return FALSE;
    }

  p = g_ptr_array_index (self->pending, position);
  rx_sale_set_invoice (self->sale, p->invoice, p->patient_name);
  return TRUE;
}

/* GtkWindow ---------------------------------------------------------------------------- */

static void
rx_billing_window_dispose (GObject *object)
{
  RxBillingWindow *self = (RxBillingWindow *) object;

  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);
  if (self->clinic != NULL)
    {
      stop_all (self);
      /* the refund is written whatever happens; only its answer has nowhere to go */
      _rx_billing_window_set_work (self, &self->writing, NULL);
      g_signal_handlers_disconnect_by_data (self->clinic, self);
    }
  if (self->sale != NULL)
    g_signal_handlers_disconnect_by_data (self->sale, self);
  /* An entry losing its window while its cursor blinks never hears focus leave it. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_BILLING_WINDOW);

  g_clear_object (&self->clinic);
  g_clear_object (&self->user);
  g_clear_object (&self->settings);
  g_clear_object (&self->sale);
  g_clear_object (&self->invoices);
  g_clear_object (&self->shown);
  g_clear_pointer (&self->found, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->searched, g_free);
  g_clear_pointer (&self->shown_patient, g_free);
  g_clear_pointer (&self->refundable, g_array_unref);
  g_clear_pointer (&self->ledger_problem, g_free);
  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->till, g_free);
  if (self->report != NULL)
    {
      rx_daily_report_clear (self->report);
      g_clear_pointer (&self->report, g_free);
    }

  G_OBJECT_CLASS (rx_billing_window_parent_class)->dispose (object);
}

static void
rx_billing_window_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RxBillingWindow *self = RX_BILLING_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, rx_billing_window_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_billing_window_class_init (RxBillingWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_billing_window_dispose;
  object_class->get_property = rx_billing_window_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RX_TYPE_LOCK_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-billing-window.ui");
#define CHILD(name) \
  gtk_widget_class_bind_template_child (widget_class, RxBillingWindow, name)
  CHILD (toast_overlay);
  CHILD (switcher_title);
  CHILD (main_stack);
  CHILD (billing_page);
  CHILD (lock_page);
  CHILD (view_stack);
  CHILD (scan_entry);
  CHILD (product_stack);
  CHILD (product_list);
  CHILD (product_message_page);
  CHILD (pending_stack);
  CHILD (pending_label);
  CHILD (pending_list);
  CHILD (sale_title);
  CHILD (lines_stack);
  CHILD (lines_list);
  CHILD (totals_grid);
  CHILD (pay_button);
  CHILD (invoice_search);
  CHILD (invoices_stack);
  CHILD (invoice_list);
  CHILD (invoices_message_page);
  CHILD (detail_stack);
  CHILD (detail_title);
  CHILD (detail_subtitle);
  CHILD (detail_lines);
  CHILD (detail_payments);
  CHILD (detail_ledger);
  CHILD (refund_button);
  CHILD (closing_title);
  CHILD (closing_stack);
  CHILD (closing_error_page);
  CHILD (expected_label);
  CHILD (counted_row);
  CHILD (difference_label);
  CHILD (sales_list);
  CHILD (methods_list);
  CHILD (rates_list);
#undef CHILD
  gtk_widget_class_bind_template_callback_full (widget_class, "notify_busy",
                                                G_CALLBACK (_rx_billing_window_notify_busy));
  gtk_widget_class_bind_template_callback (widget_class, scan_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, scan_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, product_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, pending_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);

  _rx_billing_window_class_add_records (widget_class);
  _rx_billing_window_class_add_actions (widget_class);
}

static void
rx_billing_window_init (RxBillingWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rx_a11y_fix_button_labels (GTK_WIDGET (self));

  load_settings (self);
  self->till = g_strdup (RX_DISPENSE_DEFAULT_TILL);
  self->sale = rx_sale_new ();
  g_signal_connect_object (self->sale, "lines-changed", G_CALLBACK (sale_lines_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sale, "totals-changed", G_CALLBACK (update_totals), self,
                           G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->product_stack, "hint");
  gtk_stack_set_visible_child_name (self->lines_stack, "empty");
  g_signal_connect_swapped (self, "notify::is-active", G_CALLBACK (active_cb), self);

  _rx_billing_window_add_input (self);
}
