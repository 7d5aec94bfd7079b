/* rx-admin-formulary.c: the Formulary tab: importing a file in two steps (a preview that
 * writes nothing, with every rejected row and its line, then Import: all of it or nothing),
 * and editing a product's pack prices and reorder level. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-admin-window-private.h"
#include "rx-format.h"

/* At most this many rows are listed under the preview; the counts say how many in all. */
#define PREVIEW_ROWS 500

/* Choosing and previewing ------------------------------------------------------------------- */

static gpointer
preview_in_worker (RxDb          *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autofree char *path = g_file_get_path (data);

  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Only a file on this computer can be imported; copy it here first");
      return NULL;
    }
  return rx_formulary_import_preview (db, path, error);
}

static void
set_count (AdwActionRow *row,
           guint         count,
           const char   *what)
{
  g_autofree char *text = g_strdup_printf ("%u", count);
  GtkWidget *old = g_object_get_data (G_OBJECT (row), "rx-count");
  GtkWidget *label = gtk_label_new (text);

  if (old != NULL)
    adw_action_row_remove (row, old);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "title-4");
  adw_action_row_add_suffix (row, label);
  g_object_set_data (G_OBJECT (row), "rx-count", label);
  adw_action_row_set_subtitle (row, what);
}

static GtkWidget *
preview_row (const RxFormularyImportRow *r)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  g_autofree char *title = NULL;

  if (r->code != NULL && *r->code != '\0')
    title = g_strdup_printf (_("Line %u · %s"), r->line, r->code);
  else
    title = g_strdup_printf (_("Line %u"), r->line);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (r->outcome == RX_IMPORT_REJECTED)
    {
      g_autofree char *why = g_strdup_printf (_("Rejected: %s"), r->reason);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), why);
      icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
      gtk_widget_add_css_class (icon, "error");
    }
  else
    {
      g_autofree char *what = g_strdup_printf (_("Changes: %s"), r->reason);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), what);
      icon = gtk_image_new_from_icon_name ("document-edit-symbolic");
    }
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);

  return row;
}

static void
show_preview (RxAdminWindow     *self,
              RxFormularyImport *import)
{
  guint rejected = rx_formulary_import_count (import, RX_IMPORT_REJECTED);
  guint changed = rx_formulary_import_count (import, RX_IMPORT_CHANGED);
  guint added = rx_formulary_import_count (import, RX_IMPORT_ADDED);
  guint shown = 0, listable = rejected + changed;
  g_autofree char *title = g_strdup_printf (_("Preview of “%s”"),
                                            rx_formulary_import_get_name (import));

  adw_preferences_group_set_title (self->preview_group, title);
  if (rejected > 0)
    adw_preferences_group_set_description (self->preview_group,
      _("Some rows are wrong, so nothing can be imported. Fix the rows listed below in the "
        "file (each with its line number) and import it again."));
  else if (added + changed == 0)
    adw_preferences_group_set_description (self->preview_group,
      _("The clinic's formulary already matches this file: there is nothing to import."));
  else
    adw_preferences_group_set_description (self->preview_group,
      _("Nothing is written until you press Import; then every row is written at once, or "
        "none of them."));

  set_count (self->preview_added_row, added, _("New medicines and products"));
  set_count (self->preview_changed_row, changed, _("Details or pack prices differ"));
  set_count (self->preview_unchanged_row,
             rx_formulary_import_count (import, RX_IMPORT_UNCHANGED), _("Already so"));
  set_count (self->preview_rejected_row, rejected,
             rejected ? _("Must be fixed in the file") : _("Every row is valid"));

  _rx_admin_window_clear_list (self->preview_list);
  /* rejected rows first: they are what must be fixed */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < rx_formulary_import_get_n_rows (import) && shown < PREVIEW_ROWS; i++)
      {
        const RxFormularyImportRow *r = rx_formulary_import_get_row (import, i);

        if (r->outcome == (pass == 0 ? RX_IMPORT_REJECTED : RX_IMPORT_CHANGED))
          {
            gtk_list_box_append (self->preview_list, preview_row (r));
            shown++;
          }
      }
  if (listable > shown)
    {
      g_autofree char *more = g_strdup_printf (_("And %u more rows"), listable - shown);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), more);
      gtk_list_box_append (self->preview_list, row);
    }
  adw_preferences_group_set_title (self->preview_rows_group,
                                   rejected && changed ? _("Rejected Rows, Then Changes")
                                   : rejected ? _("Rejected Rows") : _("Changes"));
  gtk_widget_set_visible (GTK_WIDGET (self->preview_rows_group), listable > 0);

  g_set_object (&self->import, G_OBJECT (import));
  gtk_stack_set_visible_child_name (self->formulary_stack, "preview");
  _rx_admin_window_update_actions (self);
}

static void
previewed_cb (RxAdminWindow *self,
              gpointer       result,
              const GError  *error,
              gpointer       user_data)
{
  g_autoptr(RxFormularyImport) import = result;

  if (import == NULL)
    {
      _rx_admin_window_report_error (self, _("This File Cannot Be Imported"), error);
      return;
    }
  show_preview (self, import);
}

/* Reads @file and shows what importing it would do; nothing is written. */
void
rx_admin_window_preview_import (RxAdminWindow *self,
                                GFile         *file)
{
  g_return_if_fail (RX_IS_ADMIN_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  _rx_admin_window_run (self, preview_in_worker, g_object_ref (file), g_object_unref,
                        g_object_unref, previewed_cb, NULL);
}

static void
chosen_cb (GtkNativeDialog *chooser,
           int              response,
           RxAdminWindow   *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  _rx_admin_window_set_chooser (self, NULL);
  if (file != NULL)
    rx_admin_window_preview_import (self, file);
}

void
_rx_admin_formulary_choose (RxAdminWindow *self)
{
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import a Formulary File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Preview"),
                                         _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Formulary files (CSV, JSON)"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chosen_cb), self);
  _rx_admin_window_set_chooser (self, GTK_NATIVE_DIALOG (chooser));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_rx_admin_formulary_cancel (RxAdminWindow *self)
{
  g_clear_object (&self->import);
  gtk_stack_set_visible_child_name (self->formulary_stack, "start");
  _rx_admin_window_update_actions (self);
}

/* Importing ------------------------------------------------------------------------------- */

static gpointer
apply_in_worker (RxDb          *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return rx_formulary_import_apply (data, db, error) ? g_object_ref (data) : NULL;
}

static void
applied_cb (RxAdminWindow *self,
            gpointer       result,
            const GError  *error,
            gpointer       user_data)
{
  g_autoptr(RxFormularyImport) import = result;
  g_autofree char *message = NULL;

  self->importing = FALSE;
  _rx_admin_window_update_actions (self);
  if (import == NULL)
    {
      _rx_admin_window_report_error (self, _("Nothing Was Imported"), error);
      return;
    }

  message = g_strdup_printf (_("Imported “%s”: %u added, %u changed"),
                             rx_formulary_import_get_name (import),
                             rx_formulary_import_count (import, RX_IMPORT_ADDED),
                             rx_formulary_import_count (import, RX_IMPORT_CHANGED));
  _rx_admin_window_toast (self, message);
  _rx_admin_formulary_cancel (self);
}

/* Whether the file previewed may be imported: no rejected row, something to write, and no
 * import of it under way. */
gboolean
_rx_admin_formulary_can_import (RxAdminWindow *self)
{
  RxFormularyImport *import = (RxFormularyImport *) self->import;

  return import != NULL && !self->importing &&
         rx_formulary_import_count (import, RX_IMPORT_REJECTED) == 0 &&
         rx_formulary_import_count (import, RX_IMPORT_ADDED) +
         rx_formulary_import_count (import, RX_IMPORT_CHANGED) > 0;
}

/* Writes the previewed file: all of it in one transaction, or nothing. FALSE when there is
 * nothing that may be imported. */
gboolean
rx_admin_window_confirm_import (RxAdminWindow *self)
{
  RxFormularyImport *import;

  g_return_val_if_fail (RX_IS_ADMIN_WINDOW (self), FALSE);

  import = (RxFormularyImport *) self->import;
  if (import == NULL || !_rx_admin_formulary_can_import (self))
    return FALSE;

  self->importing = TRUE;
  _rx_admin_window_update_actions (self);
  _rx_admin_window_run (self, apply_in_worker, g_object_ref (import), g_object_unref,
                        g_object_unref, applied_cb, NULL);
  return TRUE;
}

/* Prices and reorder levels ---------------------------------------------------------------- */

typedef struct
{
  char   *product_id;
  char   *name;
  gint64  pack_size;   /* 0: the reorder level */
  gint64  value;
} Edit;

static void
edit_free (gpointer data)
{
  Edit *edit = data;

  g_free (edit->product_id);
  g_free (edit->name);
  g_free (edit);
}

static gpointer
edit_in_worker (RxDb          *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Edit *e = data;
  gboolean ok = e->pack_size > 0
    ? rx_formulary_set_price (db, e->product_id, e->pack_size, e->value, error)
    : rx_formulary_set_reorder_level (db, e->product_id, e->value, error);

  return ok ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
edited_cb (RxAdminWindow *self,
           gpointer       result,
           const GError  *error,
           gpointer       user_data)
{
  Edit *e = user_data;
  g_autofree char *message = NULL;

  if (result == NULL)
    _rx_admin_window_report_error (self, _("Nothing Was Changed"), error);
  else
    {
      if (e->pack_size > 0)
        message = g_strdup_printf (_("New price for %s, pack of %" G_GINT64_FORMAT " saved"),
                                   e->name, e->pack_size);
      else
        message = g_strdup_printf (_("%s is reordered at %" G_GINT64_FORMAT " now"), e->name,
                                   e->value);
      _rx_admin_window_toast (self, message);
    }
  edit_free (e);
}

static guint
minor_digits (RxAdminWindow *self)
{
  return g_settings_get_uint (self->settings, "currency-minor-digits");
}

/* "12.5" with 2 minor digits is 1250; FALSE for anything that is not such an amount. */
static gboolean
parse_amount (const char *text,
              guint       digits,
              gint64     *out)
{
  g_autofree char *clean = g_strstrip (g_strdup (text));
  g_auto(GStrv) parts = g_strsplit (clean, ".", 3);
  guint64 whole = 0, frac = 0;
  gsize frac_len = parts[0] && parts[1] ? strlen (parts[1]) : 0;

  if (parts[0] == NULL || *parts[0] == '\0' || (parts[1] && parts[2]) || frac_len > digits ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, G_MAXINT32, &whole, NULL) ||
      (frac_len > 0 && !g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXINT32, &frac, NULL)))
    return FALSE;

  for (gsize i = frac_len; i < digits; i++)
    frac *= 10;
  *out = (gint64) whole;
  for (guint i = 0; i < digits; i++)
    *out *= 10;
  *out += (gint64) frac;

  return TRUE;
}

static void
apply_edit_cb (AdwEntryRow   *row,
               RxAdminWindow *self)
{
  RxProduct *product = g_object_get_data (G_OBJECT (row), "rx-product");
  gint64 size = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "rx-pack-size"));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  Edit *e = g_new0 (Edit, 1);
  gboolean ok;

  e->product_id = g_strdup (rx_product_get_id (product));
  e->name = rx_product_dup_display_name (product);
  e->pack_size = size;
  if (size > 0)
    ok = parse_amount (text, minor_digits (self), &e->value);
  else
    ok = parse_amount (text, 0, &e->value);

  if (!ok)
    {
      g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                             size > 0
                                               ? _("“%s” is not a price; type an amount like 12.50")
                                               : _("“%s” is not a whole number of units; type one "
                                                   "like 20"), text);
      _rx_admin_window_report_error (self, _("Nothing Was Changed"), error);
      edit_free (e);
      return;
    }

  _rx_admin_window_run (self, edit_in_worker, e, NULL, NULL, edited_cb, e);
}

static GtkWidget *
edit_row (RxAdminWindow *self,
          RxProduct     *product,
          const char    *title,
          gint64         pack_size,
          const char    *value)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), value);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  g_object_set_data_full (G_OBJECT (row), "rx-product", g_object_ref (product), g_object_unref);
  g_object_set_data (G_OBJECT (row), "rx-pack-size", GSIZE_TO_POINTER (pack_size));
  g_signal_connect (row, "apply", G_CALLBACK (apply_edit_cb), self);

  return row;
}

static GtkWidget *
product_row (RxAdminWindow *self,
             RxProduct     *product)
{
  g_autofree char *name = rx_product_dup_display_name (product);
  g_autofree char *level = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            rx_product_get_reorder_level (product));
  g_autofree char *subtitle = g_strdup_printf (_("%s · %" G_GINT64_FORMAT " on hand"),
                                               rx_product_get_atc (product),
                                               rx_product_get_on_hand (product));
  GtkWidget *row = adw_expander_row_new ();
  GPtrArray *packs = rx_product_get_packs (product);
  guint digits = minor_digits (self);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);

  for (guint i = 0; packs != NULL && i < packs->len; i++)
    {
      RxPack *pack = packs->pdata[i];
      g_autofree char *title = g_strdup_printf (_("Price, pack of %" G_GINT64_FORMAT " %s"),
                                                pack->size, pack->unit);
      g_autofree char *value = NULL;
      gint64 scale = 1;

      for (guint k = 0; k < digits; k++)
        scale *= 10;
      value = digits > 0
        ? g_strdup_printf ("%" G_GINT64_FORMAT ".%0*" G_GINT64_FORMAT, pack->price_minor / scale,
                           (int) digits, pack->price_minor % scale)
        : g_strdup_printf ("%" G_GINT64_FORMAT, pack->price_minor);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                edit_row (self, product, title, pack->size, value));
    }
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            edit_row (self, product, _("Reorder level (units)"), 0, level));

  return row;
}

static void
products_found_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = rx_clinic_search_products_finish (RX_CLINIC (source), result,
                                                                  &error);
  RxAdminWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  g_clear_object (&self->product_search);
  _rx_admin_window_notify_busy (self);
  _rx_admin_window_clear_list (self->products_list);
  if (found == NULL)
    {
      _rx_admin_window_report_error (self, _("Cannot Search the Formulary"), error);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (found) && i < 20; i++)
    {
      g_autoptr(RxProduct) product = g_list_model_get_item (found, i);

      gtk_list_box_append (self->products_list, product_row (self, product));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->products_list),
                          g_list_model_get_n_items (found) > 0);
}

void
_rx_admin_formulary_search (RxAdminWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (
    gtk_editable_get_text (GTK_EDITABLE (self->product_search_entry))));

  /* what the list shows already is not asked again (Enter, then the typing pause) */
  if (g_strcmp0 (text, g_object_get_data (G_OBJECT (self->products_list), "rx-searched")) == 0)
    return;
  g_object_set_data_full (G_OBJECT (self->products_list), "rx-searched", g_strdup (text), g_free);

  g_cancellable_cancel (self->product_search);
  g_clear_object (&self->product_search);
  if (g_utf8_strlen (text, -1) < 2)
    {
      _rx_admin_window_clear_list (self->products_list);
      gtk_widget_set_visible (GTK_WIDGET (self->products_list), FALSE);
      return;
    }

  self->product_search = g_cancellable_new ();
  _rx_admin_window_notify_busy (self);
  rx_clinic_search_products_async (self->clinic, text, self->product_search,
                                   products_found_cb, self);
}

/* Types @text into the product search, which looks once typing pauses. */
void
rx_admin_window_search_products (RxAdminWindow *self,
                                 const char    *text)
{
  g_return_if_fail (RX_IS_ADMIN_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->product_search_entry), text);
  _rx_admin_formulary_search (self);
}
