/* rx-prescription-window.c: the prescriber's workstation. On the left a patient search; on
 * the right the patient with their allergies, the new prescription with its sig builder,
 * the safety checks of what is written so far, and what the patient already takes and was
 * prescribed. Every query runs on the clinic's worker; the checks run again a moment after
 * each edit, and only the newest answer is shown. Like every window it belongs to the person
 * who opened it and hides its patient while the clinic is locked. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-a11y.h"
#include "rx-format.h"
#include "rx-patient-row.h"
#include "rx-prescription-item-row.h"
#include "rx-prescription-window-private.h"

G_DEFINE_FINAL_TYPE (RxPrescriptionWindow, rx_prescription_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule_check (RxPrescriptionWindow *self);

void
_rx_prescription_window_notify_busy (RxPrescriptionWindow *self)
{
  gboolean busy = rx_prescription_window_get_busy (self);

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  _rx_prescription_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
_rx_prescription_window_toast (RxPrescriptionWindow *self,
                               const char           *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
dialog_gone_cb (RxPrescriptionWindow *self,
                GtkWindow            *dialog)
{
  if (self->dialog == dialog)
    self->dialog = NULL;
}

/* Says what went wrong in a dialog that must be read and closed, not a toast that fades. */
void
_rx_prescription_window_error (RxPrescriptionWindow *self,
                               const char           *heading,
                               const char           *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);
  self->dialog = GTK_WINDOW (dialog);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_gone_cb), self,
                           G_CONNECT_SWAPPED);
  rx_a11y_fix_button_labels (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_cancellable (RxPrescriptionWindow  *self,
                 GCancellable         **slot,
                 GCancellable          *cancellable)
{
  gboolean was = *slot != NULL;

  g_cancellable_cancel (*slot);
  g_set_object (slot, cancellable);
  if (was != (cancellable != NULL))
    _rx_prescription_window_notify_busy (self);
}

void
_rx_prescription_window_set_writing (RxPrescriptionWindow *self,
                                     GCancellable         *cancellable)
{
  /* A write is never cut short by the next one: it is only forgotten once it is done. */
  gboolean was = self->writing != NULL;

  g_set_object (&self->writing, cancellable);
  if (was != (cancellable != NULL))
    _rx_prescription_window_notify_busy (self);
}

static void
clear_list_box (GtkListBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    {
      if (GTK_IS_LIST_BOX_ROW (child))
        gtk_list_box_remove (box, child);
      else
        break;
    }
}

/* Patient search ------------------------------------------------------------------------- */

static void
show_patients (RxPrescriptionWindow *self,
               GListModel           *found)
{
  guint n = g_list_model_get_n_items (found);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *count = NULL;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (found, i));

  self->selecting = TRUE;
  g_list_store_splice (self->patients, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->patients)),
                       items->pdata, items->len);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  for (guint i = 0; self->patient != NULL && i < n; i++)
    if (g_strcmp0 (rx_patient_get_id (g_ptr_array_index (items, i)),
                   rx_patient_get_id (self->patient)) == 0)
      gtk_single_selection_set_selected (self->selection, i);
  self->selecting = FALSE;

  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
  if (n >= RX_CLINIC_PATIENT_SEARCH_LIMIT)
    count = g_strdup_printf (_("The first %u patients; type more to narrow the search"), n);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u patient found",
                                          "%u patients found", n), n);
  gtk_label_set_label (self->count_label, count);
}

static void
patients_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = rx_clinic_search_patients_finish (RX_CLINIC (object), result,
                                                                  &error);
  RxPrescriptionWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_PRESCRIPTION_WINDOW (user_data);
  set_cancellable (self, &self->patient_search, NULL);

  if (found == NULL)
    {
      g_clear_pointer (&self->searched, g_free);
      adw_status_page_set_description (self->search_error_page, error->message);
      gtk_stack_set_visible_child_name (self->list_stack, "error");
      gtk_label_set_label (self->count_label, "");
      return;
    }

  show_patients (self, found);
}

static void
search_patients (RxPrescriptionWindow *self,
                 const char           *text)
{
  g_autofree char *clean = g_strstrip (g_strdup (text ? text : ""));
  g_autoptr(GCancellable) cancellable = NULL;

  if (self->clinic == NULL || rx_clinic_get_locked (self->clinic))
    return;

  if (g_utf8_strlen (clean, -1) < RX_PRESCRIPTION_SEARCH_MIN_CHARS)
    {
      set_cancellable (self, &self->patient_search, NULL);
      g_clear_pointer (&self->searched, g_free);
      self->selecting = TRUE;
      g_list_store_remove_all (self->patients);
      self->selecting = FALSE;
      gtk_stack_set_visible_child_name (self->list_stack, "hint");
      gtk_label_set_label (self->count_label, "");
      return;
    }

  if (g_strcmp0 (clean, self->searched) == 0)
    return;

  g_free (self->searched);
  self->searched = g_steal_pointer (&clean);
  cancellable = g_cancellable_new ();
  set_cancellable (self, &self->patient_search, cancellable);
  rx_clinic_search_patients_async (self->clinic, self->searched, cancellable, patients_found_cb,
                                   self);
}

static void
patient_search_changed_cb (RxPrescriptionWindow *self)
{
  search_patients (self, gtk_editable_get_text (GTK_EDITABLE (self->patient_entry)));
}

static void
patient_search_activated_cb (RxPrescriptionWindow *self)
{
  search_patients (self, gtk_editable_get_text (GTK_EDITABLE (self->patient_entry)));
  if (g_list_model_get_n_items (G_LIST_MODEL (self->patients)) == 1 &&
      self->patient_search == NULL)
    gtk_single_selection_set_selected (self->selection, 0);
}

static void
setup_patient_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  gtk_list_item_set_child (item, rx_patient_row_new ());
}

static void
bind_patient_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  RxPatientRow *row = RX_PATIENT_ROW (gtk_list_item_get_child (item));
  RxPatient *patient = gtk_list_item_get_item (item);
  g_autofree char *name = rx_patient_dup_display_name (patient);

  rx_patient_row_set_patient (row, patient);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
unbind_patient_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  rx_patient_row_set_patient (RX_PATIENT_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
back_cb (RxPrescriptionWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
}

/* The patient ------------------------------------------------------------------------------ */

typedef struct
{
  char *patient_id;
  char *user_id;
} LoadRequest;

typedef struct
{
  RxPatient  *patient;
  GListModel *history;
  gboolean    enrolled;
} Loaded;

static void
load_request_free (gpointer data)
{
  LoadRequest *request = data;

  g_free (request->patient_id);
  g_free (request->user_id);
  g_free (request);
}

static void
loaded_free (gpointer data)
{
  Loaded *loaded = data;

  g_clear_object (&loaded->patient);
  g_clear_object (&loaded->history);
  g_free (loaded);
}

static gpointer
load_patient_in_worker (RxDb          *db,
                        gpointer       data,
                        GCancellable  *cancellable,
                        GError       **error)
{
  LoadRequest *request = data;
  g_autoptr(RxPatient) patient = rx_patients_get (db, request->patient_id, error);
  g_autoptr(GListModel) history = NULL;
  Loaded *loaded;

  if (patient == NULL)
    return NULL;
  history = rx_prescriptions_list (db, request->patient_id, -1, 100, error);
  if (history == NULL)
    return NULL;

  loaded = g_new0 (Loaded, 1);
  loaded->patient = g_steal_pointer (&patient);
  loaded->history = g_steal_pointer (&history);
  loaded->enrolled = rx_totp_is_enrolled (db, request->user_id);

  return loaded;
}

static const char *
status_label (RxPrescriptionStatus status)
{
  switch (status)
    {
    case RX_PRESCRIPTION_DRAFT:
      return _("Draft, not signed");
    case RX_PRESCRIPTION_SIGNED:
      return _("Signed");
    case RX_PRESCRIPTION_PARTIALLY_DISPENSED:
      return _("Partly dispensed");
    case RX_PRESCRIPTION_DISPENSED:
      return _("Dispensed");
    case RX_PRESCRIPTION_CANCELLED:
      return _("Cancelled");
    case RX_PRESCRIPTION_SUPERSEDED:
      return _("Superseded");
    case RX_PRESCRIPTION_EXPIRED:
      return _("Expired");
    default:
      return "";
    }
}

static gboolean
is_current (RxPrescription *rx)
{
  RxPrescriptionStatus status = rx_prescription_get_status (rx);

  return status == RX_PRESCRIPTION_SIGNED || status == RX_PRESCRIPTION_PARTIALLY_DISPENSED;
}

static char *
item_line (RxPrescriptionItem *item)
{
  return g_strdup_printf ("%s — %s %s", item->product_name, item->dose ? item->dose : "",
                          item->frequency ? item->frequency
                                          : (item->instructions ? item->instructions : ""));
}

static void
show_history (RxPrescriptionWindow *self,
              const char           *choose_id)
{
  GListModel *history = G_LIST_MODEL (self->history);
  GtkListBoxRow *chosen = NULL;

  clear_list_box (self->current_list);
  clear_list_box (self->history_list);

  for (guint i = 0; i < g_list_model_get_n_items (history); i++)
    {
      g_autoptr(RxPrescription) rx = g_list_model_get_item (history, i);
      GPtrArray *items = rx_prescription_get_items (rx);
      g_autoptr(GString) summary = g_string_new (NULL);
      const char *when = rx_prescription_get_signed_at (rx);
      g_autofree char *date = NULL;
      g_autofree char *title = NULL;
      GtkWidget *row;

      for (guint j = 0; j < items->len; j++)
        {
          RxPrescriptionItem *item = items->pdata[j];
          g_autofree char *line = item_line (item);

          g_string_append_printf (summary, "%s%s", j > 0 ? "\n" : "", item->product_name);
          if (is_current (rx))
            {
              GtkWidget *current = adw_action_row_new ();
              g_autofree char *since = rx_format_date (when ? when : "");
              g_autofree char *subtitle = NULL;

              adw_preferences_row_set_title (ADW_PREFERENCES_ROW (current), item->product_name);
              /* Translators: a current medicine's directions and when it was prescribed */
              subtitle = g_strdup_printf (_("%s %s · since %s"), item->dose ? item->dose : "",
                                          item->frequency ? item->frequency : "", since);
              adw_action_row_set_subtitle (ADW_ACTION_ROW (current), subtitle);
              gtk_list_box_append (self->current_list, current);
            }
        }

      date = rx_format_date (when ? when : rx_prescription_get_created_at (rx));
      /* Translators: a past prescription, e.g. "Signed · 14 Mar 2026" */
      title = g_strdup_printf (_("%s · %s"), status_label (rx_prescription_get_status (rx)),
                               date);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), summary->str);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 6);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "rx-id", g_strdup (rx_prescription_get_id (rx)),
                              g_free);
      gtk_list_box_append (self->history_list, row);
      if (g_strcmp0 (choose_id, rx_prescription_get_id (rx)) == 0)
        chosen = GTK_LIST_BOX_ROW (row);
    }

  gtk_list_box_select_row (self->history_list, chosen);
  /* What was just signed or cancelled comes into view, ready for Ctrl+P. */
  if (chosen != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (chosen));
}

static void
history_selected_cb (RxPrescriptionWindow *self,
                     GtkListBoxRow        *row)
{
  g_free (self->chosen_id);
  self->chosen_id = row ? g_strdup (g_object_get_data (G_OBJECT (row), "rx-id")) : NULL;
  _rx_prescription_window_update_actions (self);
}

RxPrescription *
_rx_prescription_window_get_chosen (RxPrescriptionWindow *self)
{
  GListModel *history = G_LIST_MODEL (self->history);

  for (guint i = 0; self->chosen_id != NULL && i < g_list_model_get_n_items (history); i++)
    {
      g_autoptr(RxPrescription) rx = g_list_model_get_item (history, i);

      if (g_strcmp0 (rx_prescription_get_id (rx), self->chosen_id) == 0)
        return rx;  /* the store keeps it */
    }

  return NULL;
}

static void
show_patient (RxPrescriptionWindow *self)
{
  GPtrArray *allergies = rx_patient_get_allergies (self->patient);
  g_autofree char *name = rx_patient_dup_display_name (self->patient);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDate) today = g_date_new_dmy (g_date_time_get_day_of_month (now),
                                           g_date_time_get_month (now),
                                           g_date_time_get_year (now));
  g_autofree char *born = rx_format_birth_date (rx_patient_get_birth_date (self->patient), today);
  g_autofree char *details = NULL;
  const char *sex = rx_patient_get_sex (self->patient);
  GtkWidget *child;

  gtk_label_set_label (self->patient_name_label, name);
  /* Translators: "3 Mar 1984 · 42 years · F · record no. 000123" */
  details = g_strdup_printf (_("%s · %s · record no. %s"), born,
                             sex != NULL && *sex != '\0' ? sex : _("sex not recorded"),
                             rx_patient_get_record_number (self->patient));
  gtk_label_set_label (self->patient_details_label, details);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->allergy_box))) != NULL)
    gtk_flow_box_remove (self->allergy_box, child);
  for (guint i = 0; allergies != NULL && i <= allergies->len; i++)
    {
      g_autofree char *text = NULL;
      GtkWidget *pill;

      if (i == allergies->len && allergies->len > 0)
        break;
      if (allergies->len == 0)
        text = g_strdup (_("No known allergies recorded"));
      else
        {
          RxAllergy *allergy = allergies->pdata[i];

          /* Translators: an allergy pill, e.g. "Allergy: penicillins (rash)" */
          text = allergy->reaction != NULL && *allergy->reaction != '\0'
                   ? g_strdup_printf (_("Allergy: %s (%s)"), allergy->allergen,
                                      allergy->reaction)
                   : g_strdup_printf (_("Allergy: %s"), allergy->allergen);
        }
      pill = gtk_label_new (text);
      gtk_widget_add_css_class (pill, "badge");
      gtk_widget_add_css_class (pill, allergies->len > 0 ? "allergy" : "dim-label");
      gtk_flow_box_append (self->allergy_box, pill);
    }

  gtk_stack_set_visible_child_name (self->patient_stack, "patient");
}

static void
patient_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Loaded *loaded = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxPrescriptionWindow *self;
  g_autofree char *choose = NULL;
  gboolean same;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_PRESCRIPTION_WINDOW (user_data);
  choose = g_steal_pointer (&self->chosen_id);
  set_cancellable (self, &self->patient_load, NULL);

  if (loaded == NULL)
    {
      adw_status_page_set_description (self->patient_error_page, error->message);
      gtk_stack_set_visible_child_name (self->patient_stack, "error");
      _rx_prescription_window_update_actions (self);
      return;
    }

  same = self->patient != NULL &&
         g_strcmp0 (rx_patient_get_id (self->patient), rx_patient_get_id (loaded->patient)) == 0;
  g_set_object (&self->patient, loaded->patient);
  self->totp_enrolled = loaded->enrolled;
  g_list_store_remove_all (self->history);
  for (guint i = 0; i < g_list_model_get_n_items (loaded->history); i++)
    {
      g_autoptr(GObject) rx = g_list_model_get_item (loaded->history, i);

      g_list_store_append (self->history, rx);
    }
  loaded_free (loaded);

  show_patient (self);
  show_history (self, choose);
  /* Another patient's prescription is not carried over; the checks of this one run again
   * against the patient's current medicines. */
  if (!same)
    {
      _rx_prescription_window_withdraw_draft (self);
      _rx_prescription_window_clear_draft (self);
    }
  else
    schedule_check (self);
  _rx_prescription_window_update_actions (self);
}

/* Loads the patient on the right again (after a signature or a cancellation), choosing the
 * prescription @choose_id in the history. */
void
_rx_prescription_window_reload_patient (RxPrescriptionWindow *self,
                                        const char           *choose_id)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  LoadRequest *request;

  if (self->patient == NULL)
    return;

  request = g_new0 (LoadRequest, 1);
  request->patient_id = g_strdup (rx_patient_get_id (self->patient));
  request->user_id = g_strdup (rx_user_get_id (self->user));
  set_cancellable (self, &self->patient_load, cancellable);
  g_free (self->chosen_id);
  self->chosen_id = g_strdup (choose_id);
  rx_clinic_run_async (self->clinic, load_patient_in_worker, request, load_request_free,
                       loaded_free, cancellable, patient_loaded_cb, self);
}

static void
open_patient (RxPrescriptionWindow *self,
              RxPatient            *patient)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  LoadRequest *request = g_new0 (LoadRequest, 1);

  request->patient_id = g_strdup (rx_patient_get_id (patient));
  request->user_id = g_strdup (rx_user_get_id (self->user));
  set_cancellable (self, &self->patient_load, cancellable);
  g_clear_pointer (&self->chosen_id, g_free);
  if (self->patient == NULL ||
      g_strcmp0 (rx_patient_get_id (self->patient), rx_patient_get_id (patient)) != 0)
    gtk_stack_set_visible_child_name (self->patient_stack, "loading");
  rx_clinic_run_async (self->clinic, load_patient_in_worker, request, load_request_free,
                       loaded_free, cancellable, patient_loaded_cb, self);
}

static void
patient_chosen_cb (RxPrescriptionWindow *self)
{
  RxPatient *chosen = gtk_single_selection_get_selected_item (self->selection);

  if (self->selecting || chosen == NULL)
    return;
  if (self->patient != NULL &&
      g_strcmp0 (rx_patient_get_id (self->patient), rx_patient_get_id (chosen)) == 0)
    return;

  open_patient (self, chosen);
  adw_leaflet_set_visible_child (self->leaflet, self->rx_pane);
}

static void
patient_activated_cb (RxPrescriptionWindow *self,
                      guint                 position)
{
  gtk_single_selection_set_selected (self->selection, position);
  adw_leaflet_set_visible_child (self->leaflet, self->rx_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->drug_entry));
}

/* Drug search ----------------------------------------------------------------------------- */

static GtkWidget *
drug_row_new (RxProduct *product)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *name = rx_product_dup_display_name (product);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  const char *expiry = rx_product_get_nearest_expiry (product);
  gint64 on_hand = rx_product_get_on_hand (product);
  const char *synonyms = rx_product_get_synonyms (product);

  g_string_append_printf (subtitle, "%s · %s", rx_product_get_atc (product),
                          rx_product_get_route (product));
  if (synonyms != NULL && *synonyms != '\0')
    g_string_append_printf (subtitle, " · %s", synonyms);
  if (on_hand > 0)
    {
      g_autofree char *quantity = rx_format_quantity (on_hand);
      g_autofree char *date = rx_format_date (expiry ? expiry : "");

      /* Translators: stock at the clinic's pharmacy beside a medicine found */
      g_string_append_printf (subtitle, expiry ? _(" · %s in stock, nearest expiry %s")
                                               : _(" · %s in stock"), quantity, date);
    }
  else
    g_string_append (subtitle, _(" · not in stock here"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  if (rx_product_get_controlled (product))
    {
      GtkWidget *badge = gtk_label_new (_("Controlled"));

      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (badge, "badge");
      gtk_widget_add_css_class (badge, "controlled");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("list-add-symbolic"));
  g_object_set_data_full (G_OBJECT (row), "rx-product", g_object_ref (product), g_object_unref);

  return row;
}

static void
hide_drugs (RxPrescriptionWindow *self)
{
  set_cancellable (self, &self->drug_search, NULL);
  g_clear_pointer (&self->drugs_searched, g_free);
  g_clear_object (&self->drugs);
  clear_list_box (self->drug_list);
  gtk_revealer_set_reveal_child (self->drug_revealer, FALSE);
}

static void
drugs_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = rx_clinic_search_products_finish (RX_CLINIC (object), result,
                                                                  &error);
  RxPrescriptionWindow *self;
  guint n;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_PRESCRIPTION_WINDOW (user_data);
  set_cancellable (self, &self->drug_search, NULL);
  clear_list_box (self->drug_list);
  gtk_revealer_set_reveal_child (self->drug_revealer, TRUE);

  if (found == NULL)
    {
      g_clear_pointer (&self->drugs_searched, g_free);
      gtk_label_set_label (self->drug_status_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->drug_list), FALSE);
      return;
    }

  g_set_object (&self->drugs, found);
  n = g_list_model_get_n_items (found);
  for (guint i = 0; i < MIN (n, RX_PRESCRIPTION_DRUGS_SHOWN); i++)
    {
      g_autoptr(RxProduct) product = g_list_model_get_item (found, i);

      gtk_list_box_append (self->drug_list, drug_row_new (product));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->drug_list), n > 0);
  if (n == 0)
    {
      g_autofree char *text = g_strdup_printf (_("No medicine in the formulary matches “%s”. "
                                                 "Check the spelling, or try the generic "
                                                 "name."), self->drugs_searched);

      gtk_label_set_label (self->drug_status_label, text);
    }
  else if (n > RX_PRESCRIPTION_DRUGS_SHOWN)
    gtk_label_set_label (self->drug_status_label,
                         _("The closest matches; Enter adds the first, or type more"));
  else
    gtk_label_set_label (self->drug_status_label, _("Enter adds the first; click to add another"));
}

static void
search_drugs (RxPrescriptionWindow *self,
              const char           *text)
{
  g_autofree char *clean = g_strstrip (g_strdup (text ? text : ""));
  g_autoptr(GCancellable) cancellable = NULL;

  if (self->clinic == NULL || rx_clinic_get_locked (self->clinic))
    return;
  if (g_utf8_strlen (clean, -1) < RX_PRESCRIPTION_SEARCH_MIN_CHARS)
    {
      hide_drugs (self);
      return;
    }
  if (g_strcmp0 (clean, self->drugs_searched) == 0)
    return;

  g_free (self->drugs_searched);
  self->drugs_searched = g_steal_pointer (&clean);
  cancellable = g_cancellable_new ();
  set_cancellable (self, &self->drug_search, cancellable);
  rx_clinic_search_products_async (self->clinic, self->drugs_searched, cancellable,
                                   drugs_found_cb, self);
}

static void
drug_search_changed_cb (RxPrescriptionWindow *self)
{
  search_drugs (self, gtk_editable_get_text (GTK_EDITABLE (self->drug_entry)));
}

static void
take_drug (RxPrescriptionWindow *self,
           RxProduct            *product)
{
  _rx_prescription_window_add_item (self, product, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->drug_entry), "");
  hide_drugs (self);
}

/* Enter takes the best match, once the search for what is typed has come back. */
static void
drug_search_activated_cb (RxPrescriptionWindow *self)
{
  g_autoptr(RxProduct) first = NULL;

  search_drugs (self, gtk_editable_get_text (GTK_EDITABLE (self->drug_entry)));
  if (self->drug_search != NULL || self->drugs == NULL ||
      g_list_model_get_n_items (self->drugs) == 0)
    return;

  first = g_list_model_get_item (self->drugs, 0);
  take_drug (self, first);
}

static void
drug_search_stopped_cb (RxPrescriptionWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->drug_entry), "");
  hide_drugs (self);
}

static void
drug_activated_cb (RxPrescriptionWindow *self,
                   GtkListBoxRow        *row)
{
  RxProduct *product = g_object_get_data (G_OBJECT (row), "rx-product");
  g_autoptr(RxProduct) keep = product ? g_object_ref (product) : NULL;

  /* Taking it empties the list, row and all. */
  if (keep != NULL)
    take_drug (self, keep);
}

/* The items ------------------------------------------------------------------------------- */

GPtrArray *
_rx_prescription_window_get_item_rows (RxPrescriptionWindow *self)
{
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->item_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (RX_IS_PRESCRIPTION_ITEM_ROW (child))
      g_ptr_array_add (rows, child);

  return rows;
}

static void
items_edited (RxPrescriptionWindow *self)
{
  self->generation++;
  schedule_check (self);
  _rx_prescription_window_update_actions (self);
}

static void
item_remove_cb (RxPrescriptionWindow  *self,
                RxPrescriptionItemRow *row)
{
  g_autofree char *name = rx_prescription_item_row_dup_name (row);
  g_autofree char *message = g_strdup_printf (_("%s is off the prescription"), name);

  gtk_list_box_remove (self->item_list, GTK_WIDGET (row));
  items_edited (self);
  _rx_prescription_window_toast (self, message);
  gtk_widget_grab_focus (GTK_WIDGET (self->drug_entry));
}

void
_rx_prescription_window_add_item (RxPrescriptionWindow *self,
                                  RxProduct            *product,
                                  const RxSig          *sig)
{
  GtkWidget *row = rx_prescription_item_row_new (product, sig);
  g_autoptr(GPtrArray) rows = _rx_prescription_window_get_item_rows (self);

  /* The newest item opens for its directions; the others fold away. */
  for (guint i = 0; i < rows->len; i++)
    adw_expander_row_set_expanded (rows->pdata[i], FALSE);
  g_signal_connect_object (row, "changed", G_CALLBACK (items_edited), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "remove", G_CALLBACK (item_remove_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "save-favourite",
                           G_CALLBACK (_rx_prescription_window_save_favourite), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_append (self->item_list, row);
  _rx_prescription_window_load_favourites (self, row);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), sig == NULL);
  items_edited (self);
}

/* Empties the new prescription; a draft written for it but never signed is withdrawn by the
 * next signature, or when the window closes. */
void
_rx_prescription_window_clear_draft (RxPrescriptionWindow *self)
{
  g_autoptr(GPtrArray) rows = _rx_prescription_window_get_item_rows (self);

  for (guint i = 0; i < rows->len; i++)
    gtk_list_box_remove (self->item_list, rows->pdata[i]);
  gtk_editable_set_text (GTK_EDITABLE (self->override_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->notes_row), "");
  g_clear_pointer (&self->supersedes_id, g_free);
  g_clear_pointer (&self->supersede_reason, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->supersede_label), FALSE);
  items_edited (self);
}

static void
notes_changed_cb (RxPrescriptionWindow *self)
{
  /* The notes are part of what is signed: a draft written with other notes is stale. */
  gboolean was_checked = self->checked == self->generation;

  self->generation++;
  if (was_checked)
    self->checked = self->generation;
  _rx_prescription_window_update_actions (self);
}

static void
override_changed_cb (RxPrescriptionWindow *self)
{
  /* The reason is stored with the draft: one written with another reason is stale. */
  gboolean was_checked = self->checked == self->generation;

  self->generation++;
  if (was_checked)
    self->checked = self->generation;
  _rx_prescription_window_update_actions (self);
}

/* Safety checks --------------------------------------------------------------------------- */

typedef struct
{
  char      *patient_id;
  GPtrArray *strings;   /* keeps the items' text alive */
  GArray    *items;     /* RxSafetyItem */
} CheckRequest;

static void
check_request_free (gpointer data)
{
  CheckRequest *request = data;

  g_free (request->patient_id);
  g_ptr_array_unref (request->strings);
  g_array_unref (request->items);
  g_free (request);
}

static gpointer
check_in_worker (RxDb          *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  CheckRequest *request = data;
  g_autoptr(RxSafetyContext) context = rx_safety_context_new (db, request->patient_id, error);

  if (context == NULL)
    return NULL;
  return rx_safety_check (context, (RxSafetyItem *) request->items->data, request->items->len,
                          error);
}

static const char *
severity_label (RxSafetySeverity severity)
{
  switch (severity)
    {
    case RX_SAFETY_CONTRAINDICATED:
      return _("Contraindicated");
    case RX_SAFETY_MAJOR:
      return _("Major");
    case RX_SAFETY_MODERATE:
      return _("Moderate");
    case RX_SAFETY_MINOR:
    default:
      return _("Minor");
    }
}

static const char *
kind_label (RxSafetyKind kind)
{
  switch (kind)
    {
    case RX_SAFETY_INTERACTION:
      return _("Interaction");
    case RX_SAFETY_ALLERGY:
      return _("Allergy");
    case RX_SAFETY_DUPLICATE:
      return _("Duplicate therapy");
    case RX_SAFETY_DOSE:
    default:
      return _("Dose");
    }
}

static GtkWidget *
alert_row_new (RxSafetyAlert *alert)
{
  RxSafetySeverity severity = rx_safety_alert_get_severity (alert);
  g_autofree char *drugs = g_strjoinv (" + ", (char **) rx_safety_alert_get_drugs (alert));
  g_autofree char *title = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *badge = gtk_label_new (severity_label (severity));
  const char *icon;

  /* Translators: a safety alert's title, e.g. "Interaction: warfarin + ibuprofen" */
  title = g_strdup_printf (_("%s: %s"), kind_label (rx_safety_alert_get_kind (alert)), drugs);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), rx_safety_alert_get_message (alert));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 6);
  icon = severity >= RX_SAFETY_MAJOR ? "dialog-error-symbolic"
         : severity == RX_SAFETY_MODERATE ? "dialog-warning-symbolic"
                                          : "dialog-information-symbolic";
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon));
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "badge");
  gtk_widget_add_css_class (badge, severity >= RX_SAFETY_MAJOR ? "severity-high"
                                   : severity == RX_SAFETY_MODERATE ? "severity-moderate"
                                                                    : "severity-low");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
  gtk_widget_add_css_class (row, severity >= RX_SAFETY_MAJOR ? "alert-high"
                                 : severity == RX_SAFETY_MODERATE ? "alert-moderate"
                                                                  : "alert-low");

  return row;
}

gboolean
_rx_prescription_window_needs_override (RxPrescriptionWindow *self)
{
  return self->checked == self->generation &&
         rx_safety_alerts_need_override (G_LIST_MODEL (self->alerts));
}

static void
show_alerts (RxPrescriptionWindow *self)
{
  GListModel *alerts = G_LIST_MODEL (self->alerts);
  guint n = g_list_model_get_n_items (alerts);
  g_autoptr(GPtrArray) rows = _rx_prescription_window_get_item_rows (self);
  gboolean needs = rx_safety_alerts_need_override (alerts);

  clear_list_box (self->alert_list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RxSafetyAlert) alert = g_list_model_get_item (alerts, i);

      gtk_list_box_append (self->alert_list, alert_row_new (alert));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->alert_list), n > 0);
  gtk_widget_set_visible (self->override_list, needs);

  if (rows->len == 0)
    gtk_label_set_label (self->safety_status_label,
                         _("Interactions, allergies, duplicate therapy and maximum daily doses "
                           "are checked as you write, against this patient’s current "
                           "medicines too."));
  else if (n == 0)
    gtk_label_set_label (self->safety_status_label,
                         _("No interactions, allergies, duplicate therapy or dose problems "
                           "found."));
  else if (needs)
    gtk_label_set_label (self->safety_status_label,
                         _("A severe alert needs a reason to go ahead (at least 10 characters), "
                           "or change the prescription. The reason is stored with it and "
                           "audited."));
  else
    gtk_label_set_label (self->safety_status_label,
                         _("Review these alerts; they do not stop the prescription."));
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) alerts = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  guint generation = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cancellable), "generation"));
  RxPrescriptionWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_PRESCRIPTION_WINDOW (user_data);
  set_cancellable (self, &self->safety_check, NULL);
  if (alerts == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The safety checks could not run: %s"),
                                               error->message);

      gtk_label_set_label (self->safety_status_label, text);
      return;
    }

  g_list_store_remove_all (self->alerts);
  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(GObject) alert = g_list_model_get_item (alerts, i);

      g_list_store_append (self->alerts, alert);
    }
  self->checked = generation;
  show_alerts (self);
  _rx_prescription_window_update_actions (self);
}

static gboolean
run_check (gpointer user_data)
{
  RxPrescriptionWindow *self = user_data;
  g_autoptr(GPtrArray) rows = _rx_prescription_window_get_item_rows (self);
  g_autoptr(GCancellable) cancellable = NULL;
  CheckRequest *request;

  self->check_source = 0;
  if (self->patient == NULL || self->clinic == NULL || rx_clinic_get_locked (self->clinic))
    {
      _rx_prescription_window_notify_busy (self);
      return G_SOURCE_REMOVE;
    }

  if (rows->len == 0)
    {
      set_cancellable (self, &self->safety_check, NULL);
      g_list_store_remove_all (self->alerts);
      self->checked = self->generation;
      show_alerts (self);
      _rx_prescription_window_notify_busy (self);
      return G_SOURCE_REMOVE;
    }

  request = g_new0 (CheckRequest, 1);
  request->patient_id = g_strdup (rx_patient_get_id (self->patient));
  request->strings = g_ptr_array_new_with_free_func (g_free);
  request->items = g_array_new (FALSE, TRUE, sizeof (RxSafetyItem));
  for (guint i = 0; i < rows->len; i++)
    {
      RxPrescriptionItemRow *row = rows->pdata[i];
      const RxSig *sig = rx_prescription_item_row_get_sig (row);
      RxSafetyItem item = { NULL, };
      char *product = g_strdup (rx_product_get_id (rx_prescription_item_row_get_product (row)));
      char *dose = rx_sig_dup_dose (sig);
      char *frequency = rx_sig_dup_frequency (sig);

      g_ptr_array_add (request->strings, product);
      g_ptr_array_add (request->strings, dose);
      g_ptr_array_add (request->strings, frequency);
      item.product = product;
      item.dose = dose;
      item.frequency = frequency;
      item.instructions = sig->instructions;
      if (sig->instructions != NULL)
        {
          char *instructions = g_strdup (sig->instructions);

          g_ptr_array_add (request->strings, instructions);
          item.instructions = instructions;
        }
      g_array_append_val (request->items, item);
    }

  /* The edit a check was asked for travels on its cancellable, for its answer. */
  cancellable = g_cancellable_new ();
  g_object_set_data (G_OBJECT (cancellable), "generation", GUINT_TO_POINTER (self->generation));
  set_cancellable (self, &self->safety_check, cancellable);
  rx_clinic_run_async (self->clinic, check_in_worker, request, check_request_free,
                       g_object_unref, cancellable, checked_cb, self);

  return G_SOURCE_REMOVE;
}

static void
schedule_check (RxPrescriptionWindow *self)
{
  /* Until the answer comes, nothing can be signed against stale alerts. */
  g_cancellable_cancel (self->safety_check);
  g_clear_handle_id (&self->check_source, g_source_remove);
  self->check_source = g_timeout_add (RX_PRESCRIPTION_CHECK_DELAY_MS, run_check, self);
  _rx_prescription_window_notify_busy (self);
}

/* Session ---------------------------------------------------------------------------------- */

static void
update_view (RxPrescriptionWindow *self)
{
  gboolean locked = rx_clinic_get_locked (self->clinic);
  GtkWidget *work = gtk_stack_get_child_by_name (self->main_stack, "work");

  if (!locked)
    gtk_widget_set_visible (work, TRUE);
  gtk_stack_set_visible_child_full (self->main_stack, locked ? "locked" : "work",
                                    locked ? GTK_STACK_TRANSITION_TYPE_NONE
                                           : GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  if (locked)
    gtk_widget_set_visible (work, FALSE);
  gtk_widget_set_visible (self->sign_button, !locked);
  gtk_window_set_default_widget (GTK_WINDOW (self),
                                 locked ? rx_lock_page_get_default_widget (self->lock_page)
                                        : NULL);
  _rx_prescription_window_update_actions (self);
}

static void
session_changed_cb (RxPrescriptionWindow *self)
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
      if (self->patient_search != NULL)
        g_clear_pointer (&self->searched, g_free);
      set_cancellable (self, &self->patient_search, NULL);
      hide_drugs (self);
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
      patient_search_changed_cb (self);
      schedule_check (self);
    }
  _rx_prescription_window_notify_busy (self);
}

/* Public API -------------------------------------------------------------------------------- */

/**
 * rx_prescription_window_new:
 * @application: (nullable): the application, or %NULL in tests
 * @clinic: a clinic with someone logged in who may write prescriptions
 *
 * Returns: (transfer none): the window, for the person logged in to @clinic now
 */
RxPrescriptionWindow *
rx_prescription_window_new (GtkApplication *application,
                            RxClinic       *clinic)
{
  RxPrescriptionWindow *self;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (RX_IS_CLINIC (clinic), NULL);
  g_return_val_if_fail (rx_clinic_get_user (clinic) != NULL, NULL);

  self = g_object_new (RX_TYPE_PRESCRIPTION_WINDOW, "application", application, NULL);
  self->clinic = g_object_ref (clinic);
  self->user = g_object_ref (rx_clinic_get_user (clinic));

  /* Translators: the window's title, e.g. "Prescriptions — Riverside Clinic" */
  title = g_strdup_printf (_("Prescriptions — %s"), rx_clinic_get_name (clinic));
  gtk_window_set_title (GTK_WINDOW (self), title);
  /* Translators: the header's subtitle, e.g. "Dr Kwame Mensah · Riverside Clinic" */
  subtitle = g_strdup_printf (_("%s · %s"), rx_user_get_full_name (self->user),
                              rx_clinic_get_name (clinic));
  adw_window_title_set_subtitle (self->window_title, subtitle);

  g_signal_connect_object (clinic, "notify::user", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (clinic, "notify::locked", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);

  rx_lock_page_set_clinic (self->lock_page, clinic);
  update_view (self);
  show_alerts (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->patient_entry));

  return self;
}

/* Whether a query or a write is in flight. */
gboolean
rx_prescription_window_get_busy (RxPrescriptionWindow *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), FALSE);

  return self->patient_search != NULL || self->patient_load != NULL ||
         self->drug_search != NULL || self->safety_check != NULL || self->check_source != 0 ||
         self->writing != NULL || rx_lock_page_get_busy (self->lock_page);
}

/* "work", or "locked". */
const char *
rx_prescription_window_get_page (RxPrescriptionWindow *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

GtkWidget *
rx_prescription_window_get_patient_entry (RxPrescriptionWindow *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), NULL);
  return GTK_WIDGET (self->patient_entry);
}

GtkWidget *
rx_prescription_window_get_drug_entry (RxPrescriptionWindow *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), NULL);
  return GTK_WIDGET (self->drug_entry);
}

GListModel *
rx_prescription_window_get_patients (RxPrescriptionWindow *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), NULL);
  return G_LIST_MODEL (self->patients);
}

gboolean
rx_prescription_window_select_patient (RxPrescriptionWindow *self,
                                       const char           *patient_id)
{
  GListModel *model;

  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), FALSE);

  model = G_LIST_MODEL (self->patients);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RxPatient) patient = g_list_model_get_item (model, i);

      if (g_strcmp0 (rx_patient_get_id (patient), patient_id) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }

  return FALSE;
}

/* Adds the medicine @product_id (its id or formulary code) from the last drug search; for
 * tests. */
gboolean
rx_prescription_window_add_drug (RxPrescriptionWindow *self,
                                 const char           *product_id)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), FALSE);

  for (guint i = 0; self->drugs != NULL && i < g_list_model_get_n_items (self->drugs); i++)
    {
      g_autoptr(RxProduct) product = g_list_model_get_item (self->drugs, i);

      if (g_strcmp0 (rx_product_get_id (product), product_id) == 0 ||
          g_strcmp0 (rx_product_get_code (product), product_id) == 0)
        {
          take_drug (self, product);
          return TRUE;
        }
    }

  return FALSE;
}

guint
rx_prescription_window_get_n_items (RxPrescriptionWindow *self)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), 0);

  rows = _rx_prescription_window_get_item_rows (self);
  return rows->len;
}

/* The item at @position on the new prescription, or %NULL. */
GtkWidget *
rx_prescription_window_get_item_row (RxPrescriptionWindow *self,
                                     guint                 position)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), NULL);

  rows = _rx_prescription_window_get_item_rows (self);
  return position < rows->len ? rows->pdata[position] : NULL;
}

GListModel *
rx_prescription_window_get_alerts (RxPrescriptionWindow *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), NULL);
  return G_LIST_MODEL (self->alerts);
}

GListModel *
rx_prescription_window_get_history (RxPrescriptionWindow *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), NULL);
  return G_LIST_MODEL (self->history);
}

void
rx_prescription_window_set_override (RxPrescriptionWindow *self,
                                     const char           *reason)
{
  g_return_if_fail (RX_IS_PRESCRIPTION_WINDOW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->override_row), reason);
}

GtkWidget *
rx_prescription_window_get_override_row (RxPrescriptionWindow *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), NULL);
  return GTK_WIDGET (self->override_row);
}

const char *
rx_prescription_window_get_chosen_id (RxPrescriptionWindow *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), NULL);
  return self->chosen_id;
}

/* GtkWindow ---------------------------------------------------------------------------------- */

static void
rx_prescription_window_dispose (GObject *object)
{
  RxPrescriptionWindow *self = (RxPrescriptionWindow *) object;

  g_clear_handle_id (&self->check_source, g_source_remove);
  /* A draft written for a refused signature and then left goes with the window. */
  _rx_prescription_window_withdraw_draft (self);
  g_cancellable_cancel (self->patient_search);
  g_cancellable_cancel (self->patient_load);
  g_cancellable_cancel (self->drug_search);
  g_cancellable_cancel (self->safety_check);
  g_clear_object (&self->patient_search);
  g_clear_object (&self->patient_load);
  g_clear_object (&self->drug_search);
  g_clear_object (&self->safety_check);
  g_clear_object (&self->writing);
  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);
  if (self->clinic != NULL)
    g_signal_handlers_disconnect_by_data (self->clinic, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_PRESCRIPTION_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->patients);
  g_clear_object (&self->history);
  g_clear_object (&self->alerts);
  g_clear_object (&self->drugs);
  g_clear_object (&self->patient);
  g_clear_object (&self->clinic);
  g_clear_object (&self->user);
  g_clear_pointer (&self->searched, g_free);
  g_clear_pointer (&self->drugs_searched, g_free);
  g_clear_pointer (&self->draft_id, g_free);
  g_clear_pointer (&self->supersedes_id, g_free);
  g_clear_pointer (&self->supersede_reason, g_free);
  g_clear_pointer (&self->chosen_id, g_free);
  g_clear_pointer (&self->disabled, g_hash_table_unref);

  G_OBJECT_CLASS (rx_prescription_window_parent_class)->dispose (object);
}

static void
rx_prescription_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  RxPrescriptionWindow *self = RX_PRESCRIPTION_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, rx_prescription_window_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_prescription_window_class_init (RxPrescriptionWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_prescription_window_dispose;
  object_class->get_property = rx_prescription_window_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RX_TYPE_LOCK_PAGE);
  g_type_ensure (RX_TYPE_PATIENT_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-prescription-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, RxPrescriptionWindow, name)
  BIND (toast_overlay);
  BIND (window_title);
  BIND (sign_button);
  BIND (spinner);
  BIND (main_stack);
  BIND (lock_page);
  BIND (leaflet);
  BIND (list_pane);
  BIND (rx_pane);
  BIND (patient_entry);
  BIND (count_label);
  BIND (list_stack);
  BIND (search_error_page);
  BIND (patient_list);
  BIND (patient_stack);
  BIND (patient_error_page);
  BIND (patient_name_label);
  BIND (patient_details_label);
  BIND (allergy_box);
  BIND (drug_entry);
  BIND (drug_revealer);
  BIND (drug_status_label);
  BIND (drug_list);
  BIND (supersede_label);
  BIND (item_list);
  BIND (notes_row);
  BIND (safety_status_label);
  BIND (alert_list);
  BIND (override_list);
  BIND (override_row);
  BIND (current_list);
  BIND (history_list);
#undef BIND
  gtk_widget_class_bind_template_callback_full (widget_class, "notify_busy",
                                                G_CALLBACK (_rx_prescription_window_notify_busy));
  gtk_widget_class_bind_template_callback (widget_class, patient_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, patient_search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_patient_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_patient_cb);
  gtk_widget_class_bind_template_callback (widget_class, unbind_patient_cb);
  gtk_widget_class_bind_template_callback (widget_class, patient_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_cb);
  gtk_widget_class_bind_template_callback (widget_class, drug_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, drug_search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, drug_search_stopped_cb);
  gtk_widget_class_bind_template_callback (widget_class, drug_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, notes_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, override_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_selected_cb);

  _rx_prescription_window_class_add_actions (widget_class);
}

static void
rx_prescription_window_init (RxPrescriptionWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->disabled = g_hash_table_new (g_str_hash, g_str_equal);
  self->patients = g_list_store_new (RX_TYPE_PATIENT);
  self->history = g_list_store_new (RX_TYPE_PRESCRIPTION);
  self->alerts = g_list_store_new (RX_TYPE_SAFETY_ALERT);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->patients)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->patient_list, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (patient_chosen_cb), self, G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->list_stack, "hint");
  gtk_stack_set_visible_child_name (self->patient_stack, "none");
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);

  rx_a11y_fix_button_labels (GTK_WIDGET (self));
  _rx_prescription_window_add_input (self);
}
