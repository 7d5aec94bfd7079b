/* rx-reception-window.c: the reception window. It belongs to the person who opened it: it
 * closes when they log out, and while the clinic is locked it shows only the lock page, with
 * the patients gone from screen and from the accessibility tree. Patient searches wait for
 * a pause in typing, since each one is audited. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-patient-row.h"
#include "rx-reception-window-private.h"

G_DEFINE_FINAL_TYPE (RxReceptionWindow, rx_reception_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_rx_reception_window_notify_busy (RxReceptionWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
_rx_reception_window_toast (RxReceptionWindow *self,
                            const char        *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
toast_cb (RxReceptionWindow *self,
          const char        *message)
{
  _rx_reception_window_toast (self, message);
}

/* Search ---------------------------------------------------------------------------------- */

static void
set_search (RxReceptionWindow *self,
            GCancellable      *cancellable)
{
  gboolean was_busy = self->search != NULL;

  g_cancellable_cancel (self->search);
  g_set_object (&self->search, cancellable);
  if (was_busy != (cancellable != NULL))
    _rx_reception_window_notify_busy (self);
}

static void
show_results (RxReceptionWindow *self,
              GListModel        *found)
{
  guint n = g_list_model_get_n_items (found);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  RxPatient *shown = rx_patient_editor_get_patient (self->editor);
  g_autofree char *count = NULL;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (found, i));

  self->selecting = TRUE;
  g_list_store_splice (self->results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
                       items->pdata, items->len);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  /* The patient on the right stays marked in the list when the search finds them. */
  for (guint i = 0; shown != NULL && i < n; i++)
    if (g_strcmp0 (rx_patient_get_id (g_ptr_array_index (items, i)),
                   rx_patient_get_id (shown)) == 0)
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
searched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = rx_clinic_search_patients_finish (RX_CLINIC (object), result,
                                                                  &error);
  RxReceptionWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_RECEPTION_WINDOW (user_data);
  set_search (self, NULL);

  if (found == NULL)
    {
      g_warning ("Searching patients failed: %s", error->message);
      g_clear_pointer (&self->searched, g_free);
      adw_status_page_set_description (self->search_error_page, error->message);
      gtk_stack_set_visible_child_name (self->list_stack, "error");
      gtk_label_set_label (self->count_label, "");
      return;
    }

  show_results (self, found);
}

static void
show_hint (RxReceptionWindow *self)
{
  set_search (self, NULL);
  g_clear_pointer (&self->searched, g_free);
  self->selecting = TRUE;
  g_list_store_remove_all (self->results);
  self->selecting = FALSE;
  gtk_stack_set_visible_child_name (self->list_stack, "hint");
  gtk_label_set_label (self->count_label, "");
}

/* Looks for @text unless it is too short to be worth an audited search, or is what the list
 * already shows. */
static void
search (RxReceptionWindow *self,
        const char        *text)
{
  g_autofree char *clean = g_strstrip (g_strdup (text ? text : ""));
  g_autoptr(GCancellable) cancellable = NULL;

  if (self->clinic == NULL || rx_clinic_get_locked (self->clinic))
    return;

  if (g_utf8_strlen (clean, -1) < RX_RECEPTION_SEARCH_MIN_CHARS)
    {
      show_hint (self);
      return;
    }

  if (g_strcmp0 (clean, self->searched) == 0)
    return;

  g_free (self->searched);
  self->searched = g_steal_pointer (&clean);
  cancellable = g_cancellable_new ();
  set_search (self, cancellable);
  rx_clinic_search_patients_async (self->clinic, self->searched, cancellable, searched_cb,
                                   self);
}

static void
search_changed_cb (RxReceptionWindow *self)
{
  search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* Enter does not wait for the pause; the search after the pause then finds it done. */
static void
search_activated_cb (RxReceptionWindow *self)
{
  search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  if (g_list_model_get_n_items (G_LIST_MODEL (self->results)) == 1 && self->search == NULL)
    gtk_single_selection_set_selected (self->selection, 0);
}

/* The patient list ------------------------------------------------------------------------ */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, rx_patient_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
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
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  rx_patient_row_set_patient (RX_PATIENT_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
open_patient (RxReceptionWindow *self,
              gpointer           data)
{
  rx_patient_editor_open (self->editor, data);
  adw_leaflet_set_visible_child (self->leaflet, self->editor_pane);
}

/* Marks @patient_id in the list, or nothing when it is not there. */
static void
mark_in_list (RxReceptionWindow *self,
              const char        *patient_id)
{
  GListModel *model = G_LIST_MODEL (self->results);

  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  for (guint i = 0; patient_id != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RxPatient) patient = g_list_model_get_item (model, i);

      if (g_strcmp0 (rx_patient_get_id (patient), patient_id) == 0)
        gtk_single_selection_set_selected (self->selection, i);
    }
  self->selecting = FALSE;
}

static void
selection_changed_cb (RxReceptionWindow *self)
{
  RxPatient *chosen = gtk_single_selection_get_selected_item (self->selection);
  RxPatient *shown = rx_patient_editor_get_patient (self->editor);

  if (self->selecting || chosen == NULL)
    return;
  if (shown != NULL && g_strcmp0 (rx_patient_get_id (shown), rx_patient_get_id (chosen)) == 0 &&
      !rx_patient_editor_get_is_new (self->editor))
    return;

  /* Until the question is answered, the list marks who is still on the right. */
  if (rx_patient_editor_get_modified (self->editor))
    mark_in_list (self, shown ? rx_patient_get_id (shown) : NULL);
  _rx_reception_window_unless_unsaved (self, open_patient, g_object_ref (chosen),
                                       g_object_unref);
}

static void
patient_activated_cb (RxReceptionWindow *self,
                      guint              position)
{
  gtk_single_selection_set_selected (self->selection, position);
  adw_leaflet_set_visible_child (self->leaflet, self->editor_pane);
  rx_patient_editor_focus (self->editor);
}

static void
back_cb (RxReceptionWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
}

/* Selects the patient in the list and opens their record; for tests. */
gboolean
rx_reception_window_select_patient (RxReceptionWindow *self,
                                    const char        *patient_id)
{
  GListModel *model;

  g_return_val_if_fail (RX_IS_RECEPTION_WINDOW (self), FALSE);

  model = G_LIST_MODEL (self->results);
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

static void
editor_patient_cb (RxReceptionWindow *self)
{
  RxPatient *shown = rx_patient_editor_get_patient (self->editor);

  if (shown == NULL && !rx_patient_editor_get_is_new (self->editor) &&
      !rx_patient_editor_get_busy (self->editor))
    mark_in_list (self, NULL);
  _rx_reception_window_update_actions (self);
}

/* A registration or a change: the list shows the patient as now recorded. */
static void
patient_saved_cb (RxReceptionWindow *self,
                  RxPatient         *patient)
{
  GListModel *model = G_LIST_MODEL (self->results);
  g_autofree char *name = rx_patient_dup_display_name (patient);
  g_autofree char *message = NULL;
  gboolean found = FALSE;

  self->selecting = TRUE;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RxPatient) listed = g_list_model_get_item (model, i);

      if (g_strcmp0 (rx_patient_get_id (listed), rx_patient_get_id (patient)) == 0)
        {
          g_list_store_splice (self->results, i, 1, (gpointer *) &patient, 1);
          found = TRUE;
          break;
        }
    }
  if (!found)
    {
      message = g_strdup_printf (_("%s is registered with record number %s"), name,
                                 rx_patient_get_record_number (patient));
      g_list_store_insert (self->results, 0, patient);
    }
  else
    message = g_strdup_printf (_("The record of %s is saved"), name);
  self->selecting = FALSE;

  /* The next search asks again rather than trusting a list that gained a patient. */
  g_clear_pointer (&self->searched, g_free);
  gtk_stack_set_visible_child_name (self->list_stack, "list");
  mark_in_list (self, rx_patient_get_id (patient));
  _rx_reception_window_toast (self, message);
}

/* Session --------------------------------------------------------------------------------- */

static void
apply_role (RxReceptionWindow *self)
{
  RxRole role = rx_user_get_role (self->user);

  self->can_write = rx_role_can (role, RX_ACTION_PATIENT_WRITE);
  self->can_book = rx_role_can (role, RX_ACTION_APPOINTMENT_WRITE);

  gtk_widget_set_visible (self->add_button, self->can_write);
  rx_patient_editor_set_can_write (self->editor, self->can_write);
  rx_patient_editor_set_can_book (self->editor, self->can_book);
  rx_appointments_page_set_can_write (self->appointments_page, self->can_book);
  _rx_reception_window_update_actions (self);
}

static void
update_view (RxReceptionWindow *self)
{
  gboolean locked = rx_clinic_get_locked (self->clinic);

  /* Patient data goes at once, with no cross-fade, and leaves the accessibility tree too. */
  if (!locked)
    gtk_widget_set_visible (self->reception_page, TRUE);
  gtk_stack_set_visible_child_full (self->main_stack, locked ? "locked" : "reception",
                                    locked ? GTK_STACK_TRANSITION_TYPE_NONE
                                           : GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  if (locked)
    gtk_widget_set_visible (self->reception_page, FALSE);

  /* The switcher goes with the pages it switches. */
  adw_view_switcher_title_set_stack (self->switcher_title, locked ? NULL : self->view_stack);
  gtk_widget_set_visible (self->add_button, !locked && self->can_write);
  gtk_window_set_default_widget (GTK_WINDOW (self),
                                 locked ? rx_lock_page_get_default_widget (self->lock_page)
                                        : NULL);
  _rx_reception_window_update_actions (self);
}

static void
session_changed_cb (RxReceptionWindow *self)
{
  RxUser *user = rx_clinic_get_user (self->clinic);
  gboolean locked = rx_clinic_get_locked (self->clinic);
  const char *before = gtk_stack_get_visible_child_name (self->main_stack);

  /* Logged out, or someone else at the desk: this window was the last person's. */
  if (user == NULL || g_strcmp0 (rx_user_get_id (user), rx_user_get_id (self->user)) != 0)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (locked)
    {
      /* A search cut short is asked again after the unlock. */
      if (self->search != NULL)
        g_clear_pointer (&self->searched, g_free);
      set_search (self, NULL);
      if (self->question != NULL)
        gtk_window_destroy (self->question);
    }

  update_view (self);

  if (g_strcmp0 (before, gtk_stack_get_visible_child_name (self->main_stack)) == 0)
    return;
  if (locked)
    rx_lock_page_focus (self->lock_page);
  else
    {
      /* What was typed while the search could not run is looked for now. */
      search_changed_cb (self);
      rx_appointments_page_reload_if_stale (self->appointments_page);
    }
  _rx_reception_window_notify_busy (self);
}

static void
active_cb (RxReceptionWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)) && self->clinic != NULL &&
      !rx_clinic_get_locked (self->clinic))
    rx_appointments_page_reload_if_stale (self->appointments_page);
}

/* Public API ------------------------------------------------------------------------------- */

/**
 * rx_reception_window_new:
 * @application: (nullable): the application, or %NULL in tests
 * @clinic: a clinic with someone logged in
 *
 * Returns: (transfer none): the window, for the person logged in to @clinic now
 */
RxReceptionWindow *
rx_reception_window_new (GtkApplication *application,
                         RxClinic       *clinic)
{
  RxReceptionWindow *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (RX_IS_CLINIC (clinic), NULL);
  g_return_val_if_fail (rx_clinic_get_user (clinic) != NULL, NULL);

  self = g_object_new (RX_TYPE_RECEPTION_WINDOW, "application", application, NULL);
  self->clinic = g_object_ref (clinic);
  self->user = g_object_ref (rx_clinic_get_user (clinic));

  /* Translators: the window's title, e.g. "Reception — Riverside Clinic" */
  title = g_strdup_printf (_("Reception — %s"), rx_clinic_get_name (clinic));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_view_switcher_title_set_subtitle (self->switcher_title, rx_clinic_get_name (clinic));

  g_signal_connect_object (clinic, "notify::user", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (clinic, "notify::locked", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);

  rx_lock_page_set_clinic (self->lock_page, clinic);
  rx_patient_editor_set_clinic (self->editor, clinic);
  rx_appointments_page_set_clinic (self->appointments_page, clinic);
  apply_role (self);
  update_view (self);
  /* The desk's day starts with who is coming; Ctrl+F is one key away from the registry. */
  adw_view_stack_set_visible_child_name (self->view_stack, "appointments");

  return self;
}

RxClinic *
rx_reception_window_get_clinic (RxReceptionWindow *self)
{
  g_return_val_if_fail (RX_IS_RECEPTION_WINDOW (self), NULL);
  return self->clinic;
}

/* Whether a query is in flight (a search, a record, the appointment book, a save). */
gboolean
rx_reception_window_get_busy (RxReceptionWindow *self)
{
  g_return_val_if_fail (RX_IS_RECEPTION_WINDOW (self), FALSE);

  return self->search != NULL ||
         rx_patient_editor_get_busy (self->editor) ||
         rx_appointments_page_get_busy (self->appointments_page) ||
         rx_lock_page_get_busy (self->lock_page);
}

/* "reception", or "locked". */
const char *
rx_reception_window_get_page (RxReceptionWindow *self)
{
  g_return_val_if_fail (RX_IS_RECEPTION_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

GtkWidget *
rx_reception_window_get_search_entry (RxReceptionWindow *self)
{
  g_return_val_if_fail (RX_IS_RECEPTION_WINDOW (self), NULL);
  return GTK_WIDGET (self->search_entry);
}

GListModel *
rx_reception_window_get_results (RxReceptionWindow *self)
{
  g_return_val_if_fail (RX_IS_RECEPTION_WINDOW (self), NULL);
  return G_LIST_MODEL (self->results);
}

GtkWidget *
rx_reception_window_get_editor (RxReceptionWindow *self)
{
  g_return_val_if_fail (RX_IS_RECEPTION_WINDOW (self), NULL);
  return GTK_WIDGET (self->editor);
}

GtkWidget *
rx_reception_window_get_appointments_page (RxReceptionWindow *self)
{
  g_return_val_if_fail (RX_IS_RECEPTION_WINDOW (self), NULL);
  return GTK_WIDGET (self->appointments_page);
}

/* GtkWindow -------------------------------------------------------------------------------- */

static void
close_now (RxReceptionWindow *self,
           gpointer           data)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
rx_reception_window_close_request (GtkWindow *window)
{
  RxReceptionWindow *self = RX_RECEPTION_WINDOW (window);

  if (rx_patient_editor_get_modified (self->editor) && !rx_clinic_get_locked (self->clinic))
    {
      _rx_reception_window_unless_unsaved (self, close_now, NULL, NULL);
      return GDK_EVENT_STOP;
    }

  return GTK_WINDOW_CLASS (rx_reception_window_parent_class)->close_request (window);
}

static void
rx_reception_window_dispose (GObject *object)
{
  RxReceptionWindow *self = (RxReceptionWindow *) object;

  set_search (self, NULL);
  if (self->question != NULL)
    gtk_window_destroy (self->question);
  if (self->clinic != NULL)
    g_signal_handlers_disconnect_by_data (self->clinic, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_RECEPTION_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->results);
  g_clear_object (&self->clinic);
  g_clear_object (&self->user);
  g_clear_pointer (&self->searched, g_free);

  G_OBJECT_CLASS (rx_reception_window_parent_class)->dispose (object);
}

static void
rx_reception_window_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RxReceptionWindow *self = RX_RECEPTION_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, rx_reception_window_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_reception_window_class_init (RxReceptionWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rx_reception_window_dispose;
  object_class->get_property = rx_reception_window_get_property;
  window_class->close_request = rx_reception_window_close_request;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RX_TYPE_LOCK_PAGE);
  g_type_ensure (RX_TYPE_PATIENT_EDITOR);
  g_type_ensure (RX_TYPE_APPOINTMENTS_PAGE);
  g_type_ensure (RX_TYPE_PATIENT_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-reception-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, reception_page);
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, lock_page);
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, list_pane);
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, editor_pane);
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, search_error_page);
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, patient_list);
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, editor);
  gtk_widget_class_bind_template_child (widget_class, RxReceptionWindow, appointments_page);
  gtk_widget_class_bind_template_callback_full (widget_class, "notify_busy",
                                                G_CALLBACK (_rx_reception_window_notify_busy));
  gtk_widget_class_bind_template_callback (widget_class, toast_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, unbind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, patient_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_cb);
  gtk_widget_class_bind_template_callback (widget_class, editor_patient_cb);
  gtk_widget_class_bind_template_callback (widget_class, patient_saved_cb);

  _rx_reception_window_class_add_actions (widget_class);
}

static void
rx_reception_window_init (RxReceptionWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->results = g_list_store_new (RX_TYPE_PATIENT);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->results)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->patient_list, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self, "notify::is-active", G_CALLBACK (active_cb), self);

  /* The template says it too; the entry must not wait longer than the audit needs. */
  gtk_search_entry_set_search_delay (self->search_entry, RX_PATIENT_SEARCH_DELAY_MS);
  gtk_stack_set_visible_child_name (self->list_stack, "hint");

  _rx_reception_window_add_input (self);
}
