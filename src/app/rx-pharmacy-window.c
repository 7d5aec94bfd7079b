/* rx-pharmacy-window.c: the pharmacy window. The queue on the left holds the clinic's signed
 * prescriptions not yet dispensed in full (prescriptions name no pharmacy, so every signed
 * one of the clinic is here, oldest signature first); the one chosen shows on the right with
 * whether its signature verifies, its safety alerts and its items. Every read runs on the
 * clinic's worker; the window belongs to the person who opened it, as every window does. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rx-a11y.h"
#include "rx-format.h"
#include "rx-pharmacy-window-private.h"

G_DEFINE_FINAL_TYPE (RxPharmacyWindow, rx_pharmacy_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void open_entry (RxPharmacyWindow *self,
                        const char       *prescription_id);

void
_rx_pharmacy_window_notify_busy (RxPharmacyWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
_rx_pharmacy_window_toast (RxPharmacyWindow *self,
                           const char       *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Replaces the cancellable of a job in flight, cancelling the one before. */
static void
set_job (RxPharmacyWindow  *self,
         GCancellable     **job,
         GCancellable      *cancellable)
{
  g_cancellable_cancel (*job);
  g_set_object (job, cancellable);
  _rx_pharmacy_window_notify_busy (self);
}

/* The queue -------------------------------------------------------------------------------- */

static gpointer
load_queue (RxDb          *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  return rx_dispense_queue (db, RX_PHARMACY_QUEUE_LIMIT, error);
}

/* "24 Nov 2026 09:15", in local time. */
static char *
format_signed_at (RxDispenseEntry *entry)
{
  const char *at = rx_dispense_entry_get_signed_at (entry);
  g_autoptr(GDateTime) utc = at ? g_date_time_new_from_iso8601 (at, NULL) : NULL;
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
  g_autofree char *date = NULL;
  g_autofree char *day = NULL;
  g_autofree char *time = NULL;

  if (local == NULL)
    return g_strdup (at ? at : "");
  day = g_date_time_format (local, "%Y-%m-%d");
  date = rx_format_date (day);
  time = g_date_time_format (local, "%H:%M");
  return g_strdup_printf ("%s %s", date, time);
}

static GtkWidget *
queue_row (RxDispenseEntry *entry)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label;
  g_autofree char *signed_at = format_signed_at (entry);
  g_autofree char *line = NULL;
  g_autofree char *status = NULL;

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  label = gtk_label_new (rx_dispense_entry_get_patient_name (entry));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);

  /* Translators: e.g. "MRN-000123 · Dr Kwame Mensah" */
  line = g_strdup_printf (_("%s · %s"), rx_dispense_entry_get_record_number (entry),
                          rx_dispense_entry_get_prescriber_name (entry));
  label = gtk_label_new (line);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), label);

  if (!rx_dispense_entry_get_verified (entry))
    status = g_strdup (_("Signature does not verify: cannot be dispensed"));
  else if (rx_dispense_entry_get_status (entry) == RX_PRESCRIPTION_PARTIALLY_DISPENSED)
    /* Translators: e.g. "Partly dispensed, 42 left · signed 24 Nov 09:15" */
    status = g_strdup_printf (_("Partly dispensed, %lld left · signed %s"),
                              (long long) rx_dispense_entry_get_remaining (entry), signed_at);
  else
    status = g_strdup_printf (_("Signed %s"), signed_at);
  label = gtk_label_new (status);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "caption");
  if (!rx_dispense_entry_get_verified (entry))
    gtk_widget_add_css_class (label, "error");
  gtk_box_append (GTK_BOX (box), label);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "search",
                          g_utf8_casefold (rx_dispense_entry_get_patient_name (entry), -1), g_free);
  g_object_set_data_full (G_OBJECT (row), "record",
                          g_utf8_casefold (rx_dispense_entry_get_record_number (entry), -1), g_free);
  g_object_set_data_full (G_OBJECT (row), "prescription",
                          g_strdup (rx_dispense_entry_get_prescription_id (entry)), g_free);
  return row;
}

static void
mark_in_queue (RxPharmacyWindow *self,
               const char       *prescription_id)
{
  GtkListBoxRow *row;

  self->selecting = TRUE;
  gtk_list_box_unselect_all (self->queue_list);
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->queue_list, i)) != NULL; i++)
    if (prescription_id != NULL &&
        g_strcmp0 (g_object_get_data (G_OBJECT (row), "prescription"), prescription_id) == 0)
      {
        gtk_list_box_select_row (self->queue_list, row);
        break;
      }
  self->selecting = FALSE;
}

static void
queue_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) queue = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxPharmacyWindow *self;
  g_autofree char *heading = NULL;
  g_autofree char *wanted = NULL;
  GtkWidget *child;
  guint n;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = RX_PHARMACY_WINDOW (user_data);
  set_job (self, &self->loading, NULL);

  if (queue == NULL)
    {
      g_warning ("Reading the dispensing queue failed: %s", error->message);
      adw_status_page_set_description (self->queue_error_page, error->message);
      gtk_stack_set_visible_child_name (self->queue_stack, "error");
      return;
    }

  n = g_list_model_get_n_items (queue);
  self->selecting = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->queue_list))) != NULL)
    gtk_list_box_remove (self->queue_list, child);
  g_list_store_remove_all (self->queue);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RxDispenseEntry) entry = g_list_model_get_item (queue, i);

      g_list_store_append (self->queue, entry);
      gtk_list_box_append (self->queue_list, queue_row (entry));
    }
  self->selecting = FALSE;

  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Waiting to Dispense",
                                          "%u Waiting to Dispense", n), n);
  gtk_label_set_label (self->queue_label, heading);
  gtk_stack_set_visible_child_name (self->queue_stack, n > 0 ? "list" : "empty");

  wanted = g_steal_pointer (&self->wanted);
  /* The oldest one is the next to do, unless the pharmacist was on another. */
  if (wanted == NULL && self->entry == NULL && n > 0 && self->opening == NULL)
    {
      g_autoptr(RxDispenseEntry) first = g_list_model_get_item (queue, 0);

      wanted = g_strdup (rx_dispense_entry_get_prescription_id (first));
    }
  if (wanted != NULL)
    open_entry (self, wanted);
  mark_in_queue (self, self->entry ? rx_dispense_entry_get_prescription_id (self->entry)
                                   : wanted);
}

/* Reads the queue again; the prescription shown stays shown. */
void
_rx_pharmacy_window_reload (RxPharmacyWindow *self)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  if (self->clinic == NULL || rx_clinic_get_locked (self->clinic))
    return;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->queue)) == 0)
    gtk_stack_set_visible_child_name (self->queue_stack, "loading");
  set_job (self, &self->loading, cancellable);
  rx_clinic_run_async (self->clinic, load_queue, NULL, NULL, g_object_unref, cancellable,
                       queue_loaded_cb, self);
}

/* The prescription shown ------------------------------------------------------------------- */

typedef struct
{
  RxDispenseEntry *entry;
  GListModel      *alerts;
  char            *alerts_error;
  GPtrArray       *lots;    /* per item: GListModel of RxBatch, or NULL */
  GPtrArray       *picks;   /* per item: GPtrArray of RxBatchPick, or NULL */
  char            *today;
} Detail;

static void
detail_free (gpointer data)
{
  Detail *detail = data;

  g_clear_object (&detail->entry);
  g_clear_object (&detail->alerts);
  g_free (detail->alerts_error);
  g_clear_pointer (&detail->lots, g_ptr_array_unref);
  g_clear_pointer (&detail->picks, g_ptr_array_unref);
  g_free (detail->today);
  g_free (detail);
}

static void
unref_or_null (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

static void
array_unref_or_null (gpointer data)
{
  if (data != NULL)
    g_ptr_array_unref (data);
}

static gpointer
load_detail (RxDb          *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Detail *detail = g_new0 (Detail, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = rx_db_now_iso (db);
  GPtrArray *items;

  detail->entry = rx_dispense_get_entry (db, data, error);
  if (detail->entry == NULL)
    {
      detail_free (detail);
      return NULL;
    }

  detail->today = g_strndup (now, 10);
  detail->alerts = rx_dispense_check_safety (db, detail->entry, &local_error);
  if (detail->alerts == NULL)
    detail->alerts_error = g_strdup (local_error->message);

  items = rx_dispense_entry_get_items (detail->entry);
  detail->lots = g_ptr_array_new_with_free_func (unref_or_null);
  detail->picks = g_ptr_array_new_with_free_func (array_unref_or_null);
  for (guint i = 0; i < items->len; i++)
    {
      RxDispenseItem *item = items->pdata[i];
      gint64 fill = MIN (item->quantity, item->remaining);

      g_ptr_array_add (detail->lots, rx_stock_list (db, item->product_id, -1, NULL));
      g_ptr_array_add (detail->picks, fill > 0 ? rx_dispense_suggest_batches (db, item->product_id,
                                                                              fill, NULL, NULL)
                                               : NULL);
    }

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

static GtkWidget *
add_row (AdwPreferencesGroup *group,
         GPtrArray           *rows,
         const char          *icon_name,
         const char          *title,
         const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
  return row;
}

static void
show_alerts (RxPharmacyWindow *self,
             Detail           *detail)
{
  guint n = detail->alerts ? g_list_model_get_n_items (detail->alerts) : 0;

  clear_rows (self->alerts_group, self->alert_rows);
  g_set_object (&self->alerts, detail->alerts);

  if (detail->alerts == NULL)
    {
      GtkWidget *row = add_row (self->alerts_group, self->alert_rows, "dialog-error-symbolic",
                                _("The safety checks could not run"), detail->alerts_error);

      gtk_widget_add_css_class (row, "error");
      return;
    }
  if (n == 0)
    {
      add_row (self->alerts_group, self->alert_rows, "emblem-ok-symbolic", _("No Safety Alerts"),
               _("Checked against the patient’s allergies and their other current medicines"));
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RxSafetyAlert) alert = g_list_model_get_item (detail->alerts, i);
      RxSafetySeverity severity = rx_safety_alert_get_severity (alert);
      g_autofree char *drugs = g_strjoinv (" + ", (char **) rx_safety_alert_get_drugs (alert));
      g_autofree char *title = NULL;
      GtkWidget *row;

      /* Translators: e.g. "Major interaction: warfarin + aspirin" */
      title = g_strdup_printf (_("%s %s: %s"), rx_safety_severity_to_string (severity),
                               rx_safety_kind_to_string (rx_safety_alert_get_kind (alert)), drugs);
      title[0] = g_ascii_toupper (title[0]);
      row = add_row (self->alerts_group, self->alert_rows,
                     severity >= RX_SAFETY_MAJOR ? "dialog-error-symbolic"
                                                 : "dialog-warning-symbolic",
                     title, rx_safety_alert_get_message (alert));
      gtk_widget_add_css_class (row, severity >= RX_SAFETY_MAJOR ? "error" : "warning");
    }
}

static void
show_signature (RxPharmacyWindow *self,
                RxDispenseEntry  *entry)
{
  gboolean ok = rx_dispense_entry_get_verified (entry);
  g_autofree char *signed_at = format_signed_at (entry);
  g_autofree char *subtitle = NULL;

  if (ok)
    {
      /* Translators: e.g. "Signed by Dr Kwame Mensah, 24 Nov 2026 09:15; chain and revocation checked" */
      subtitle = g_strdup_printf (_("Signed by %s, %s; certificate chain and revocation checked"),
                                  rx_dispense_entry_get_prescriber_name (entry), signed_at);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->signature_row),
                                     _("Signature Verified"));
      adw_action_row_set_subtitle (self->signature_row, subtitle);
      gtk_image_set_from_icon_name (self->signature_icon, "emblem-ok-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->signature_row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->signature_icon), "success");
    }
  else
    {
      subtitle = g_strdup_printf (_("%s. Send the patient back to the prescriber for a newly signed prescription."),
                                  rx_dispense_entry_get_verify_reason (entry));
      /* The verifier's reason starts in lower case, as it follows a colon elsewhere. */
      subtitle[0] = g_ascii_toupper (subtitle[0]);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->signature_row),
                                     _("Cannot Be Dispensed: the Signature Does Not Verify"));
      adw_action_row_set_subtitle (self->signature_row, subtitle);
      gtk_image_set_from_icon_name (self->signature_icon, "dialog-error-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->signature_icon), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->signature_row), "error");
    }
}

static void
group_changed_cb (RxPharmacyWindow *self)
{
  _rx_pharmacy_window_update_actions (self);
}

static void
show_detail (RxPharmacyWindow *self,
             Detail           *detail)
{
  RxDispenseEntry *entry = detail->entry;
  GPtrArray *items = rx_dispense_entry_get_items (entry);
  gboolean can = rx_dispense_entry_get_verified (entry) &&
                 rx_dispense_entry_get_remaining (entry) > 0;
  g_autofree char *patient = NULL;
  g_autofree char *prescriber = NULL;
  GtkWidget *child;

  g_set_object (&self->entry, entry);

  /* Translators: the patient's name and record number, e.g. "OKAFOR, Amina (MRN-000123)" */
  patient = g_strdup_printf (_("%s (%s)"), rx_dispense_entry_get_patient_name (entry),
                             rx_dispense_entry_get_record_number (entry));
  gtk_label_set_label (self->patient_label, patient);
  if (rx_dispense_entry_get_status (entry) == RX_PRESCRIPTION_DISPENSED)
    prescriber = g_strdup_printf (_("Prescribed by %s · dispensed in full"),
                                  rx_dispense_entry_get_prescriber_name (entry));
  else
    prescriber = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Prescribed by %s · %lld unit left to dispense",
                                               "Prescribed by %s · %lld units left to dispense",
                                               rx_dispense_entry_get_remaining (entry)),
                                  rx_dispense_entry_get_prescriber_name (entry),
                                  (long long) rx_dispense_entry_get_remaining (entry));
  gtk_label_set_label (self->prescriber_label, prescriber);

  show_signature (self, entry);
  show_alerts (self, detail);

  while ((child = gtk_widget_get_first_child (self->items_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->items_box), child);
  g_ptr_array_set_size (self->groups, 0);
  for (guint i = 0; i < items->len; i++)
    {
      RxDispenseItemGroup *group = rx_dispense_item_group_new (items->pdata[i],
                                                               detail->lots->pdata[i],
                                                               detail->picks->pdata[i],
                                                               detail->today, can);

      g_signal_connect_object (group, "changed", G_CALLBACK (group_changed_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_box_append (GTK_BOX (self->items_box), GTK_WIDGET (group));
      g_ptr_array_add (self->groups, group);
    }

  if (!rx_dispense_entry_get_verified (entry))
    gtk_label_set_label (self->dispense_hint, _("An unverifiable prescription cannot be dispensed."));
  else if (rx_dispense_entry_get_remaining (entry) <= 0)
    gtk_label_set_label (self->dispense_hint, _("Nothing is left to dispense."));
  else
    gtk_label_set_label (self->dispense_hint,
                         _("A lower quantity dispenses part; the rest stays open."));

  _rx_pharmacy_window_show_dispensed (self);
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
  _rx_pharmacy_window_update_actions (self);

  /* Chosen by the pharmacist: the quantity is the next thing to type. */
  if (self->focus_items && can && self->groups->len > 0)
    rx_dispense_item_group_focus (self->groups->pdata[0]);
  self->focus_items = FALSE;
}

static void
detail_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Detail *detail = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxPharmacyWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = RX_PHARMACY_WINDOW (user_data);
  set_job (self, &self->opening, NULL);

  if (detail == NULL)
    {
      g_warning ("Opening a prescription failed: %s", error->message);
      g_clear_object (&self->entry);
      adw_status_page_set_description (self->detail_error_page, error->message);
      gtk_stack_set_visible_child_name (self->detail_stack, "error");
      _rx_pharmacy_window_update_actions (self);
      return;
    }

  show_detail (self, detail);
  detail_free (detail);
}

static void
open_entry (RxPharmacyWindow *self,
            const char       *prescription_id)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  /* The spinner only when another prescription is coming; a refresh keeps the page. */
  if (self->entry == NULL ||
      g_strcmp0 (rx_dispense_entry_get_prescription_id (self->entry), prescription_id) != 0)
    {
      g_clear_object (&self->entry);
      gtk_stack_set_visible_child_name (self->detail_stack, "loading");
    }
  set_job (self, &self->opening, cancellable);
  _rx_pharmacy_window_update_actions (self);
  rx_clinic_run_async (self->clinic, load_detail, g_strdup (prescription_id), g_free,
                       detail_free, cancellable, detail_loaded_cb, self);
}

static void
queue_selected_cb (RxPharmacyWindow *self,
                   GtkListBoxRow    *row)
{
  if (self->selecting || row == NULL)
    return;

  self->focus_items = TRUE;
  open_entry (self, g_object_get_data (G_OBJECT (row), "prescription"));
  adw_leaflet_set_visible_child (self->leaflet, self->detail_pane);
}

/* The patient at the counter: their name or record number narrows the queue. */
static gboolean
queue_filter (GtkListBoxRow *row,
              gpointer       user_data)
{
  RxPharmacyWindow *self = user_data;
  g_autofree char *text = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->queue_search)), -1);
  g_auto(GStrv) words = g_strsplit (g_strstrip (text), " ", -1);
  const char *name = g_object_get_data (G_OBJECT (row), "search");
  const char *record = g_object_get_data (G_OBJECT (row), "record");

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && strstr (name, words[i]) == NULL && strstr (record, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
queue_search_changed_cb (RxPharmacyWindow *self)
{
  gtk_list_box_invalidate_filter (self->queue_list);
}

/* Enter opens the first prescription that matches, with the cursor in its first quantity. */
static void
queue_search_activated_cb (RxPharmacyWindow *self)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->queue_list, i)) != NULL; i++)
    if (gtk_widget_get_child_visible (GTK_WIDGET (row)) && queue_filter (row, self))
      {
        if (gtk_list_box_get_selected_row (self->queue_list) == row)
          queue_selected_cb (self, row);
        else
          gtk_list_box_select_row (self->queue_list, row);
        return;
      }
}

static void
back_cb (RxPharmacyWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->queue_pane);
}

/* Session --------------------------------------------------------------------------------- */

static void
update_view (RxPharmacyWindow *self)
{
  gboolean locked = rx_clinic_get_locked (self->clinic);
  GtkWidget *page = gtk_stack_get_child_by_name (self->main_stack, "pharmacy");

  /* Patient data goes at once, with no cross-fade, and leaves the accessibility tree too. */
  if (!locked)
    gtk_widget_set_visible (page, TRUE);
  gtk_stack_set_visible_child_full (self->main_stack, locked ? "locked" : "pharmacy",
                                    locked ? GTK_STACK_TRANSITION_TYPE_NONE
                                           : GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  if (locked)
    gtk_widget_set_visible (page, FALSE);
  gtk_window_set_default_widget (GTK_WINDOW (self),
                                 locked ? rx_lock_page_get_default_widget (self->lock_page)
                                        : NULL);
  _rx_pharmacy_window_update_actions (self);
}

static void
session_changed_cb (RxPharmacyWindow *self)
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
      set_job (self, &self->loading, NULL);
      set_job (self, &self->opening, NULL);
    }
  update_view (self);

  if (g_strcmp0 (before, gtk_stack_get_visible_child_name (self->main_stack)) == 0)
    return;
  if (locked)
    rx_lock_page_focus (self->lock_page);
  else
    {
      /* Prescriptions may have arrived while it was locked. */
      if (self->entry != NULL)
        self->wanted = g_strdup (rx_dispense_entry_get_prescription_id (self->entry));
      _rx_pharmacy_window_reload (self);
    }
}

/* Public API ------------------------------------------------------------------------------- */

/**
 * rx_pharmacy_window_new:
 * @application: (nullable): the application, or %NULL in tests
 * @clinic: a clinic with someone logged in
 *
 * Returns: (transfer none): the window, for the person logged in to @clinic now
 */
RxPharmacyWindow *
rx_pharmacy_window_new (GtkApplication *application,
                        RxClinic       *clinic)
{
  RxPharmacyWindow *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (RX_IS_CLINIC (clinic), NULL);
  g_return_val_if_fail (rx_clinic_get_user (clinic) != NULL, NULL);

  self = g_object_new (RX_TYPE_PHARMACY_WINDOW, "application", application, NULL);
  self->clinic = g_object_ref (clinic);
  self->user = g_object_ref (rx_clinic_get_user (clinic));

  /* Translators: the window's title, e.g. "Pharmacy — Riverside Clinic" */
  title = g_strdup_printf (_("Pharmacy — %s"), rx_clinic_get_name (clinic));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_subtitle (self->window_title, rx_clinic_get_name (clinic));

  g_signal_connect_object (clinic, "notify::user", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (clinic, "notify::locked", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  rx_lock_page_set_clinic (self->lock_page, clinic);

  update_view (self);
  _rx_pharmacy_window_reload (self);

  return self;
}

/* Whether a read or a dispense is in flight. */
gboolean
rx_pharmacy_window_get_busy (RxPharmacyWindow *self)
{
  g_return_val_if_fail (RX_IS_PHARMACY_WINDOW (self), FALSE);

  return self->loading != NULL || self->opening != NULL || self->dispensing != NULL ||
         rx_lock_page_get_busy (self->lock_page);
}

/* "pharmacy", or "locked". */
const char *
rx_pharmacy_window_get_page (RxPharmacyWindow *self)
{
  g_return_val_if_fail (RX_IS_PHARMACY_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

/**
 * rx_pharmacy_window_get_queue:
 *
 * Returns: (transfer none) (element-type RxDispenseEntry): the queue as shown
 */
GListModel *
rx_pharmacy_window_get_queue (RxPharmacyWindow *self)
{
  g_return_val_if_fail (RX_IS_PHARMACY_WINDOW (self), NULL);
  return G_LIST_MODEL (self->queue);
}

/* Shows a prescription of the queue as a click on it would; FALSE when it is not there. */
gboolean
rx_pharmacy_window_select (RxPharmacyWindow *self,
                           const char       *prescription_id)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (RX_IS_PHARMACY_WINDOW (self), FALSE);

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->queue_list, i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "prescription"), prescription_id) == 0)
      {
        gtk_list_box_select_row (self->queue_list, row);
        return TRUE;
      }

  return FALSE;
}

/* The prescription shown, or NULL. */
RxDispenseEntry *
rx_pharmacy_window_get_entry (RxPharmacyWindow *self)
{
  g_return_val_if_fail (RX_IS_PHARMACY_WINDOW (self), NULL);
  return self->entry;
}

/**
 * rx_pharmacy_window_get_alerts:
 *
 * Returns: (transfer none) (nullable) (element-type RxSafetyAlert): the alerts shown
 */
GListModel *
rx_pharmacy_window_get_alerts (RxPharmacyWindow *self)
{
  g_return_val_if_fail (RX_IS_PHARMACY_WINDOW (self), NULL);
  return self->entry ? self->alerts : NULL;
}

/**
 * rx_pharmacy_window_get_item_groups:
 *
 * Returns: (transfer none) (element-type RxDispenseItemGroup): the items shown
 */
GPtrArray *
rx_pharmacy_window_get_item_groups (RxPharmacyWindow *self)
{
  g_return_val_if_fail (RX_IS_PHARMACY_WINDOW (self), NULL);
  return self->groups;
}

/**
 * rx_pharmacy_window_get_dispensed:
 *
 * Returns: (transfer none) (nullable) (element-type RxDispensed): what the last dispense
 *   from this window wrote
 */
GPtrArray *
rx_pharmacy_window_get_dispensed (RxPharmacyWindow *self)
{
  g_return_val_if_fail (RX_IS_PHARMACY_WINDOW (self), NULL);
  return self->dispensed;
}

/* GtkWindow -------------------------------------------------------------------------------- */

static void
rx_pharmacy_window_dispose (GObject *object)
{
  RxPharmacyWindow *self = (RxPharmacyWindow *) object;

  g_cancellable_cancel (self->loading);
  g_cancellable_cancel (self->opening);
  g_cancellable_cancel (self->dispensing);
  g_clear_object (&self->loading);
  g_clear_object (&self->opening);
  g_clear_object (&self->dispensing);
  if (self->clinic != NULL)
    g_signal_handlers_disconnect_by_data (self->clinic, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_PHARMACY_WINDOW);

  g_clear_object (&self->queue);
  g_clear_object (&self->entry);
  g_clear_object (&self->alerts);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->alert_rows, g_ptr_array_unref);
  g_clear_pointer (&self->dispensed_rows, g_ptr_array_unref);
  g_clear_pointer (&self->dispensed, g_ptr_array_unref);
  g_clear_pointer (&self->dispensed_rx, g_free);
  g_clear_pointer (&self->wanted, g_free);
  g_clear_object (&self->clinic);
  g_clear_object (&self->user);

  G_OBJECT_CLASS (rx_pharmacy_window_parent_class)->dispose (object);
}

static void
rx_pharmacy_window_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RxPharmacyWindow *self = RX_PHARMACY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, rx_pharmacy_window_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_pharmacy_window_class_init (RxPharmacyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_pharmacy_window_dispose;
  object_class->get_property = rx_pharmacy_window_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RX_TYPE_LOCK_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-pharmacy-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, lock_page);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, queue_pane);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, detail_pane);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, queue_label);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, queue_stack);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, queue_list);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, queue_error_page);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, detail_error_page);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, patient_label);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, prescriber_label);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, signature_row);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, signature_icon);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, alerts_group);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, items_box);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, dispensed_group);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, print_button);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, dispense_hint);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, dispense_button);
  gtk_widget_class_bind_template_callback_full (widget_class, "notify_busy",
                                                G_CALLBACK (_rx_pharmacy_window_notify_busy));
  gtk_widget_class_bind_template_callback (widget_class, queue_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, queue_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, queue_search_activated_cb);
  gtk_widget_class_bind_template_child (widget_class, RxPharmacyWindow, queue_search);
  gtk_widget_class_bind_template_callback (widget_class, back_cb);

  _rx_pharmacy_window_class_add_actions (widget_class);
}

static void
rx_pharmacy_window_init (RxPharmacyWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->queue = g_list_store_new (RX_TYPE_DISPENSE_ENTRY);
  self->groups = g_ptr_array_new ();
  self->alert_rows = g_ptr_array_new ();
  self->dispensed_rows = g_ptr_array_new ();
  gtk_list_box_set_filter_func (self->queue_list, queue_filter, self, NULL);
  gtk_stack_set_visible_child_name (self->queue_stack, "loading");
  gtk_stack_set_visible_child_name (self->detail_stack, "none");
  rx_a11y_fix_button_labels (GTK_WIDGET (self));
  _rx_pharmacy_window_add_input (self);
}
