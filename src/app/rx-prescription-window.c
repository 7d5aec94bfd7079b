/* rx-prescription-window.c: the prescriber's workstation. On the left a patient search; on
 * the right the patient with their allergies, the new prescription with its sig builder,
 * the safety checks of what is written so far, and what the patient already takes and was
 * prescribed. Every query runs on the clinic's worker; the checks run again a moment after
 * each edit, and only the newest answer is shown. Like every window it belongs to the person
 * who opened it and hides its patient while the clinic is locked.
 *
 * This file: the session, the patient search and record, the public API. The new
 * prescription is in -items.c; signing, cancelling and superseding in -actions.c; printing
 * in -print.c; favourite directions in -favourites.c. */
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

void
_rx_prescription_window_set_cancellable (RxPrescriptionWindow  *self,
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

void
_rx_prescription_window_clear_list (GtkListBox *box)
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
  _rx_prescription_window_set_cancellable (self, &self->patient_search, NULL);

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
      _rx_prescription_window_set_cancellable (self, &self->patient_search, NULL);
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
  _rx_prescription_window_set_cancellable (self, &self->patient_search, cancellable);
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

/* Once laid out, scrolls so the history starts near the top: the chosen prescription and the
 * ones before it in view, not just the chosen row's first line. */
static gboolean
scroll_to_history (gpointer user_data)
{
  RxPrescriptionWindow *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->rx_scroller);
  GtkWidget *content = gtk_scrolled_window_get_child (self->rx_scroller);
  graphene_point_t point;

  self->scroll_source = 0;
  if (content != NULL &&
      gtk_widget_compute_point (GTK_WIDGET (self->history_list), content,
                                &GRAPHENE_POINT_INIT (0, 0), &point))
    gtk_adjustment_set_value (adjustment, point.y - 72);

  return G_SOURCE_REMOVE;
}

static void
show_history (RxPrescriptionWindow *self,
              const char           *choose_id)
{
  GListModel *history = G_LIST_MODEL (self->history);
  GtkListBoxRow *chosen = NULL;

  _rx_prescription_window_clear_list (self->current_list);
  _rx_prescription_window_clear_list (self->history_list);

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
    {
      gtk_widget_grab_focus (GTK_WIDGET (chosen));
      g_clear_handle_id (&self->scroll_source, g_source_remove);
      self->scroll_source = g_idle_add_full (G_PRIORITY_LOW, scroll_to_history, self, NULL);
    }
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
  _rx_prescription_window_set_cancellable (self, &self->patient_load, NULL);

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
    _rx_prescription_window_schedule_check (self);
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
  _rx_prescription_window_set_cancellable (self, &self->patient_load, cancellable);
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
  _rx_prescription_window_set_cancellable (self, &self->patient_load, cancellable);
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
      _rx_prescription_window_set_cancellable (self, &self->patient_search, NULL);
      _rx_prescription_window_hide_drugs (self);
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
      _rx_prescription_window_schedule_check (self);
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
  _rx_prescription_window_show_alerts (self);
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
          _rx_prescription_window_take_drug (self, product);
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
  g_clear_handle_id (&self->scroll_source, g_source_remove);
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
  BIND (rx_scroller);
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
  gtk_widget_class_bind_template_callback (widget_class, history_selected_cb);

  _rx_prescription_window_class_bind_items (widget_class);
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
  _rx_prescription_window_add_drug_keys (self);
  _rx_prescription_window_add_input (self);
}
