/* rx-receive-dialog.c: receiving stock. A keyboard-wedge scanner types the pack's GS1 string
 * and Enter into the focused Scan entry; core's parser reads it (symbology prefix and group
 * separators included) and the GTIN names the product when the clinic knows it. A GTIN seen
 * for the first time is taught to the product being received, as the command line does. The
 * receipt is one write in core; if it is refused, the dialog stays open and says why. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rx-a11y.h"
#include "rx-receive-dialog.h"

struct _RxReceiveDialog
{
  AdwWindow     parent_instance;

  RxClinic     *clinic;
  GCancellable *working;
  char         *gtin;
  char         *serial;
  gboolean      gtin_known;  /* the scanned GTIN already names a product */

  GtkEntry     *scan_entry;
  GtkLabel     *message_label;
  AdwEntryRow  *product_row;
  AdwEntryRow  *lot_row;
  AdwEntryRow  *expiry_row;
  AdwEntryRow  *quantity_row;
  AdwEntryRow  *cost_row;
  AdwEntryRow  *supplier_row;
  AdwActionRow *gtin_row;
  AdwActionRow *serial_row;
  GtkWidget    *receive_button;
};

G_DEFINE_FINAL_TYPE (RxReceiveDialog, rx_receive_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_working (RxReceiveDialog *self,
             GCancellable    *cancellable)
{
  g_cancellable_cancel (self->working);
  g_set_object (&self->working, cancellable);
  gtk_widget_set_sensitive (self->receive_button, cancellable == NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
say (RxReceiveDialog *self,
     const char      *message,
     gboolean         problem)
{
  gtk_label_set_label (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (problem)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
}

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_text (AdwEntryRow *row,
          const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

/* Scanning -------------------------------------------------------------------------------- */

static gpointer
find_gtin (RxDb          *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  RxProduct *product = rx_formulary_find_gtin (db, data, NULL);

  /* Not known is an answer, not a failure: an empty string says so. */
  return product ? g_strdup (rx_product_get_code (product)) : g_strdup ("");
}

static void
gtin_found_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxReceiveDialog *self;
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = RX_RECEIVE_DIALOG (user_data);
  set_working (self, NULL);

  if (code != NULL && *code != '\0')
    {
      self->gtin_known = TRUE;
      set_text (self->product_row, code);
      message = g_strdup_printf (_("Scanned %s, lot %s. Enter the quantity received."), code,
                                 text_of (self->lot_row));
      say (self, message, FALSE);
    }
  else if (*text_of (self->product_row) != '\0')
    {
      message = g_strdup_printf (_("GTIN %s is new here: it will be recorded for %s when you receive. Check that is the product on the pack."),
                                 self->gtin, text_of (self->product_row));
      say (self, message, FALSE);
    }
  else
    {
      message = g_strdup_printf (_("GTIN %s is not on any product yet. Type the product code; the GTIN will be recorded for it."),
                                 self->gtin);
      say (self, message, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->product_row));
      return;
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->quantity_row));
}

/* Reads what the scanner (or a person) typed into the Scan entry. */
void
rx_receive_dialog_scan (RxReceiveDialog *self,
                        const char      *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(RxGs1) gs1 = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autofree char *message = NULL;

  g_return_if_fail (RX_IS_RECEIVE_DIALOG (self));

  gs1 = rx_gs1_parse (text, g_date_time_get_year (now), &error);
  if (gs1 == NULL)
    {
      message = g_strdup_printf (_("The code could not be read: %s. Scan it again, or type the lot and expiry by hand."),
                                 error->message);
      say (self, message, TRUE);
      gtk_editable_select_region (GTK_EDITABLE (self->scan_entry), 0, -1);
      return;
    }

  if (gs1->lot != NULL)
    set_text (self->lot_row, gs1->lot);
  if (gs1->expiry != NULL)
    set_text (self->expiry_row, gs1->expiry);
  g_free (self->gtin);
  self->gtin = g_strdup (gs1->gtin);
  g_free (self->serial);
  self->serial = g_strdup (gs1->serial);
  self->gtin_known = FALSE;
  adw_action_row_set_subtitle (self->gtin_row, gs1->gtin ? gs1->gtin : _("Not in the code"));
  adw_action_row_set_subtitle (self->serial_row, gs1->serial ? gs1->serial : _("Not in the code"));
  /* Ready for the next pack. */
  gtk_editable_set_text (GTK_EDITABLE (self->scan_entry), "");

  if (gs1->gtin == NULL)
    {
      say (self, _("The code has no GTIN; type the product code."), FALSE);
      gtk_widget_grab_focus (GTK_WIDGET (self->product_row));
      return;
    }

  cancellable = g_cancellable_new ();
  set_working (self, cancellable);
  rx_clinic_run_async (self->clinic, find_gtin, g_strdup (gs1->gtin), g_free, g_free,
                       cancellable, gtin_found_cb, self);
}

static void
scan_activated_cb (RxReceiveDialog *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->scan_entry)));

  if (*g_strstrip (text) != '\0')
    rx_receive_dialog_scan (self, text);
}

/* A scanner that cannot type the group separator (ASCII 29) sends Ctrl+] for it, as a
 * terminal would. */
static gboolean
scan_key_cb (GtkEventControllerKey *controller,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             RxReceiveDialog       *self)
{
  int position;

  if (keyval != GDK_KEY_bracketright || (state & GDK_CONTROL_MASK) == 0)
    return GDK_EVENT_PROPAGATE;

  position = gtk_editable_get_position (GTK_EDITABLE (self->scan_entry));
  gtk_editable_insert_text (GTK_EDITABLE (self->scan_entry), "\x1d", 1, &position);
  gtk_editable_set_position (GTK_EDITABLE (self->scan_entry), position);
  return GDK_EVENT_STOP;
}

static void
product_changed_cb (RxReceiveDialog *self)
{
  /* A GTIN that named a product no longer does once the product is changed by hand. */
  self->gtin_known = FALSE;
}

/* Receiving ------------------------------------------------------------------------------- */

typedef struct
{
  char     *product;
  char     *lot;
  char     *expiry;
  gint64    quantity;
  gint64    unit_cost;
  char     *supplier;
  char     *gtin;
  char     *serial;
  gboolean  teach_gtin;
} Receipt;

static void
receipt_free (gpointer data)
{
  Receipt *r = data;

  g_free (r->product);
  g_free (r->lot);
  g_free (r->expiry);
  g_free (r->supplier);
  g_free (r->gtin);
  g_free (r->serial);
  g_free (r);
}

static gpointer
receive_in_worker (RxDb          *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  Receipt *r = data;
  g_autoptr(RxProduct) product = rx_formulary_get (db, r->product, error);
  g_autofree char *batch = NULL;
  RxStockReceipt receipt = {
    .lot = r->lot, .expiry = r->expiry, .quantity = r->quantity,
    .unit_cost_minor = r->unit_cost, .supplier = r->supplier, .gtin = r->gtin,
    .serial = r->serial,
  };

  if (product == NULL)
    return NULL;
  receipt.product = rx_product_get_id (product);

  /* The first scan of a pack teaches RxDesk its GTIN. */
  if (r->teach_gtin && r->gtin != NULL)
    {
      g_autoptr(RxProduct) known = rx_formulary_find_gtin (db, r->gtin, NULL);

      if (known == NULL &&
          !rx_formulary_set_gtin (db, rx_product_get_id (product), r->gtin, error))
        return NULL;
    }

  batch = rx_stock_receive (db, &receipt, error);
  if (batch == NULL)
    return NULL;

  return g_strdup (rx_product_get_id (product));
}

static void
received_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *product_id = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxReceiveDialog *self;
  g_autofree char *message = NULL;
  gint64 quantity;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = RX_RECEIVE_DIALOG (user_data);
  set_working (self, NULL);

  if (product_id == NULL)
    {
      message = g_strdup_printf (_("Nothing was received: %s."), error->message);
      say (self, message, TRUE);
      return;
    }

  quantity = g_ascii_strtoll (text_of (self->quantity_row), NULL, 10);
  g_signal_emit (self, signals[RECEIVED], 0, product_id, text_of (self->lot_row), quantity);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* The unit cost as minor units: "0.25" → 25; -1 when left empty; FALSE when unreadable. */
static gboolean
parse_cost (const char *text,
            gint64     *minor)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *clean = g_strstrip (g_strdup (text));
  guint64 whole = 0;
  guint64 cents = 0;

  if (*clean == '\0')
    {
      *minor = -1;
      return TRUE;
    }
  parts = g_strsplit (clean, ".", 2);
  if (!g_ascii_string_to_unsigned (parts[0], 10, 0, 10000000, &whole, NULL))
    return FALSE;
  if (parts[1] != NULL)
    {
      if (strlen (parts[1]) == 0 || strlen (parts[1]) > 2 ||
          !g_ascii_string_to_unsigned (parts[1], 10, 0, 99, &cents, NULL))
        return FALSE;
      if (strlen (parts[1]) == 1)
        cents *= 10;
    }
  *minor = (gint64) (whole * 100 + cents);
  return TRUE;
}

/* Receives what the form says (the Receive button does this). */
void
rx_receive_dialog_receive (RxReceiveDialog *self)
{
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  guint64 quantity = 0;
  gint64 cost = -1;
  Receipt *r;

  g_return_if_fail (RX_IS_RECEIVE_DIALOG (self));

  if (self->working != NULL)
    return;

  if (*text_of (self->product_row) == '\0')
    g_string_append (problems, _("Type the product code, or scan the pack.\n"));
  if (*text_of (self->lot_row) == '\0')
    g_string_append (problems, _("Type the lot number printed on the pack.\n"));
  if (*text_of (self->expiry_row) == '\0')
    g_string_append (problems, _("Type the expiry date as YYYY-MM-DD.\n"));
  if (!g_ascii_string_to_unsigned (text_of (self->quantity_row), 10, 1, 10000000, &quantity, NULL))
    g_string_append (problems, _("The quantity must be a whole number of units from 1 to 10 000 000.\n"));
  if (!parse_cost (text_of (self->cost_row), &cost))
    g_string_append (problems, _("Type the unit cost as a number such as 0.25, or leave it empty.\n"));
  if (problems->len > 0)
    {
      g_strchomp (problems->str);
      say (self, problems->str, TRUE);
      return;
    }

  r = g_new0 (Receipt, 1);
  r->product = g_strstrip (g_strdup (text_of (self->product_row)));
  r->lot = g_strstrip (g_strdup (text_of (self->lot_row)));
  r->expiry = g_strstrip (g_strdup (text_of (self->expiry_row)));
  r->quantity = (gint64) quantity;
  r->unit_cost = cost;
  r->supplier = *text_of (self->supplier_row) ? g_strstrip (g_strdup (text_of (self->supplier_row)))
                                              : NULL;
  r->gtin = g_strdup (self->gtin);
  r->serial = g_strdup (self->serial);
  r->teach_gtin = !self->gtin_known;

  cancellable = g_cancellable_new ();
  set_working (self, cancellable);
  say (self, NULL, FALSE);
  rx_clinic_run_async (self->clinic, receive_in_worker, r, receipt_free, g_free, cancellable,
                       received_cb, self);
}

static void
receive_cb (RxReceiveDialog *self)
{
  rx_receive_dialog_receive (self);
}

static void
cancel_cb (RxReceiveDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Public API ------------------------------------------------------------------------------- */

/**
 * rx_receive_dialog_new:
 * @product_code: (nullable): the product expected, e.g. the one chosen in the inventory
 */
RxReceiveDialog *
rx_receive_dialog_new (GtkWindow  *parent,
                       RxClinic   *clinic,
                       const char *product_code)
{
  RxReceiveDialog *self;

  g_return_val_if_fail (RX_IS_CLINIC (clinic), NULL);

  self = g_object_new (RX_TYPE_RECEIVE_DIALOG, "transient-for", parent, NULL);
  self->clinic = g_object_ref (clinic);
  set_text (self->product_row, product_code);
  /* A scanner types into whatever has focus: the Scan entry has it from the start. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->scan_entry));
  return self;
}

gboolean
rx_receive_dialog_get_busy (RxReceiveDialog *self)
{
  g_return_val_if_fail (RX_IS_RECEIVE_DIALOG (self), FALSE);
  return self->working != NULL;
}

static AdwEntryRow *
field_row (RxReceiveDialog *self,
           const char      *field)
{
  if (g_str_equal (field, "product"))
    return self->product_row;
  if (g_str_equal (field, "lot"))
    return self->lot_row;
  if (g_str_equal (field, "expiry"))
    return self->expiry_row;
  if (g_str_equal (field, "quantity"))
    return self->quantity_row;
  if (g_str_equal (field, "cost"))
    return self->cost_row;
  if (g_str_equal (field, "supplier"))
    return self->supplier_row;
  g_return_val_if_reached (NULL);
}

/* A field as a person would type it: product, lot, expiry, quantity, cost, supplier. */
void
rx_receive_dialog_set_field (RxReceiveDialog *self,
                             const char      *field,
                             const char      *text)
{
  g_return_if_fail (RX_IS_RECEIVE_DIALOG (self));
  set_text (field_row (self, field), text);
}

const char *
rx_receive_dialog_get_field (RxReceiveDialog *self,
                             const char      *field)
{
  g_return_val_if_fail (RX_IS_RECEIVE_DIALOG (self), NULL);
  if (g_str_equal (field, "gtin"))
    return self->gtin;
  if (g_str_equal (field, "serial"))
    return self->serial;
  return text_of (field_row (self, field));
}

/* What the dialog says above the form, or NULL. */
const char *
rx_receive_dialog_get_message (RxReceiveDialog *self)
{
  g_return_val_if_fail (RX_IS_RECEIVE_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->message_label))
           ? gtk_label_get_label (self->message_label) : NULL;
}

static void
rx_receive_dialog_dispose (GObject *object)
{
  RxReceiveDialog *self = (RxReceiveDialog *) object;

  g_cancellable_cancel (self->working);
  g_clear_object (&self->working);
  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_RECEIVE_DIALOG);
  g_clear_object (&self->clinic);
  g_clear_pointer (&self->gtin, g_free);
  g_clear_pointer (&self->serial, g_free);
  G_OBJECT_CLASS (rx_receive_dialog_parent_class)->dispose (object);
}

static void
rx_receive_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, rx_receive_dialog_get_busy (RX_RECEIVE_DIALOG (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_receive_dialog_class_init (RxReceiveDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_receive_dialog_dispose;
  object_class->get_property = rx_receive_dialog_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Stock was received: the product's id, the lot and the quantity. */
  signals[RECEIVED] = g_signal_new ("received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING,
                                    G_TYPE_STRING, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-receive-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RxReceiveDialog, scan_entry);
  gtk_widget_class_bind_template_child (widget_class, RxReceiveDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, RxReceiveDialog, product_row);
  gtk_widget_class_bind_template_child (widget_class, RxReceiveDialog, lot_row);
  gtk_widget_class_bind_template_child (widget_class, RxReceiveDialog, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, RxReceiveDialog, quantity_row);
  gtk_widget_class_bind_template_child (widget_class, RxReceiveDialog, cost_row);
  gtk_widget_class_bind_template_child (widget_class, RxReceiveDialog, supplier_row);
  gtk_widget_class_bind_template_child (widget_class, RxReceiveDialog, gtin_row);
  gtk_widget_class_bind_template_child (widget_class, RxReceiveDialog, serial_row);
  gtk_widget_class_bind_template_child (widget_class, RxReceiveDialog, receive_button);
  gtk_widget_class_bind_template_callback (widget_class, scan_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, product_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, receive_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rx_receive_dialog_init (RxReceiveDialog *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (scan_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scan_entry), controller);
  rx_a11y_fix_button_labels (GTK_WIDGET (self));
}
