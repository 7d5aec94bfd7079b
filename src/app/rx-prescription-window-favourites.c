/* rx-prescription-window-favourites.c: the prescriber's favourite directions in the
 * prescription window: each item lists those saved for its medicine, and the star saves the
 * item's directions under a name. Reading and saving run on the clinic's worker. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-prescription-item-row.h"
#include "rx-prescription-window-private.h"

/* Favourite directions --------------------------------------------------------------------- */

static gpointer
list_favourites_in_worker (RxDb          *db,
                           gpointer       data,
                           GCancellable  *cancellable,
                           GError       **error)
{
  return rx_sig_favourites_list (db, data, error);
}

static void
favourites_listed_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) favourites = rx_clinic_run_finish (RX_CLINIC (object), result, &error);

  /* Without them the row still works; it just offers none. */
  if (favourites == NULL)
    {
      g_message ("Could not read the favourite directions: %s", error->message);
      return;
    }
  if (gtk_widget_get_parent (row) != NULL)
    rx_prescription_item_row_set_favourites (RX_PRESCRIPTION_ITEM_ROW (row), favourites);
}

/* Fills the item's list of the prescriber's favourite directions for its medicine. */
void
_rx_prescription_window_load_favourites (RxPrescriptionWindow *self,
                                         GtkWidget            *row)
{
  RxProduct *product = rx_prescription_item_row_get_product (RX_PRESCRIPTION_ITEM_ROW (row));

  rx_clinic_run_async (self->clinic, list_favourites_in_worker,
                       g_strdup (rx_product_get_id (product)), g_free,
                       (GDestroyNotify) g_ptr_array_unref, NULL, favourites_listed_cb,
                       g_object_ref (row));
}

typedef struct
{
  char         *label;
  RxItemFields  fields;
  GPtrArray    *strings;
} FavouriteRequest;

static void
favourite_request_free (gpointer data)
{
  FavouriteRequest *request = data;

  g_free (request->label);
  g_ptr_array_unref (request->strings);
  g_free (request);
}

static gpointer
save_favourite_in_worker (RxDb          *db,
                          gpointer       data,
                          GCancellable  *cancellable,
                          GError       **error)
{
  FavouriteRequest *request = data;

  return rx_sig_favourites_add (db, request->label, &request->fields, error);
}

static void
favourite_saved_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RxPrescriptionWindow *self = RX_PRESCRIPTION_WINDOW (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  g_autoptr(GPtrArray) rows = NULL;

  _rx_prescription_window_set_writing (self, NULL);
  if (id == NULL)
    {
      _rx_prescription_window_error (self, _("Favourite Not Saved"), error->message);
      return;
    }

  _rx_prescription_window_toast (self, _("Saved among your favourite directions"));
  rows = _rx_prescription_window_get_item_rows (self);
  for (guint i = 0; i < rows->len; i++)
    _rx_prescription_window_load_favourites (self, rows->pdata[i]);
}

static void
favourite_response_cb (AdwMessageDialog     *dialog,
                       const char           *response,
                       RxPrescriptionWindow *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "name-entry");
  GtkWidget *row = g_object_get_data (G_OBJECT (dialog), "item-row");
  g_autoptr(GCancellable) cancellable = NULL;
  const RxSig *sig;
  FavouriteRequest *request;

  if (!g_str_equal (response, "save") || self->writing != NULL ||
      gtk_widget_get_parent (row) == NULL)
    return;

  sig = rx_prescription_item_row_get_sig (RX_PRESCRIPTION_ITEM_ROW (row));
  request = g_new0 (FavouriteRequest, 1);
  request->strings = g_ptr_array_new_with_free_func (g_free);
  request->label = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  request->fields.product = g_strdup (rx_product_get_id (
    rx_prescription_item_row_get_product (RX_PRESCRIPTION_ITEM_ROW (row))));
  request->fields.dose = rx_sig_dup_dose (sig);
  request->fields.frequency = rx_sig_dup_frequency (sig);
  request->fields.route = g_strdup (sig->route);
  request->fields.instructions = g_strdup (sig->instructions);
  g_ptr_array_add (request->strings, (gpointer) request->fields.product);
  g_ptr_array_add (request->strings, (gpointer) request->fields.dose);
  g_ptr_array_add (request->strings, (gpointer) request->fields.frequency);
  g_ptr_array_add (request->strings, (gpointer) request->fields.route);
  g_ptr_array_add (request->strings, (gpointer) request->fields.instructions);
  request->fields.duration_days = sig->duration_days;
  request->fields.quantity = sig->quantity;
  request->fields.repeats = sig->repeats;

  cancellable = g_cancellable_new ();
  _rx_prescription_window_set_writing (self, cancellable);
  rx_clinic_run_async (self->clinic, save_favourite_in_worker, request, favourite_request_free,
                       g_free, NULL, favourite_saved_cb, self);
}

static void
favourite_name_changed_cb (AdwMessageDialog *dialog,
                           GtkEditable      *entry)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "save", *name != '\0');
}

/* Asks for a name, then saves the item's directions among the prescriber's favourites. */
void
_rx_prescription_window_save_favourite (RxPrescriptionWindow *self,
                                        GtkWidget            *row)
{
  g_autofree char *name = rx_prescription_item_row_dup_name (RX_PRESCRIPTION_ITEM_ROW (row));
  g_autofree char *directions = rx_sig_dup_directions (
    rx_prescription_item_row_get_sig (RX_PRESCRIPTION_ITEM_ROW (row)));
  g_autofree char *body = NULL;
  GtkWidget *dialog, *entry;

  if (!_rx_prescription_window_working (self) || self->writing != NULL)
    return;

  /* Translators: "amoxicillin 500 mg capsule: 1 capsule TDS, oral, for 5 days. ..." */
  body = g_strdup_printf (_("%s: %s. Give these directions a name to find them by next "
                            "time you prescribe it."), name, directions);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save as a Favourite?"), body);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Name, e.g. adult chest infection"));
  gtk_entry_set_max_length (GTK_ENTRY (entry), 80);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name of the favourite"), -1);
  g_object_set_data (G_OBJECT (dialog), "name-entry", entry);
  g_object_set_data_full (G_OBJECT (dialog), "item-row", g_object_ref (row), g_object_unref);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (favourite_name_changed_cb), dialog);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (favourite_response_cb), self, 0);
  _rx_prescription_window_present (self, dialog);
  gtk_widget_grab_focus (entry);
}
