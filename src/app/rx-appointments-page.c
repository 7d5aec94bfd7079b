/* rx-appointments-page.c: the appointment book for one local day (today when the window
 * opens). Reading it and every change run on the clinic's worker; after a change the day is
 * read again and the same appointment stays selected. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rx-a11y.h"
#include "rx-appointment-dialog.h"
#include "rx-appointment-row.h"
#include "rx-appointments-page.h"
#include "rx-format.h"

/* Others book too (another desk, the assistant); coming back to the window after this long
 * reads the day again. */
#define STALE_USEC (60 * G_USEC_PER_SEC)

struct _RxAppointmentsPage
{
  GtkWidget           parent_instance;

  RxClinic           *clinic;
  GDate               day;           /* the local day shown */
  GListStore         *appointments;
  GtkSingleSelection *selection;
  char               *select_id;     /* to select once the day is read */
  GCancellable       *load;          /* the day being read */
  GCancellable       *write;         /* a check-in or cancel being written */
  gint64              loaded_at;     /* monotonic time of the last read */
  gboolean            can_write;

  GtkStack           *stack;
  GtkListView        *list_view;
  AdwStatusPage      *error_page;
  GtkLabel           *day_label;
  GtkLabel           *count_label;
  GtkSpinner         *spinner;
  GtkWidget          *action_bar;
  GtkWidget          *book_button;
};

G_DEFINE_FINAL_TYPE (RxAppointmentsPage, rx_appointments_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  TOAST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
notify_busy (RxAppointmentsPage *self)
{
  gboolean busy = rx_appointments_page_get_busy (self);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
update_actions (RxAppointmentsPage *self)
{
  RxAppointment *selected = rx_appointments_page_get_selected (self);
  const char *status = selected ? rx_appointment_get_status (selected) : NULL;
  gboolean idle = self->write == NULL && self->clinic != NULL;
  gboolean writable = self->can_write && idle;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "appointments.check-in",
                                 writable && g_strcmp0 (status, "booked") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "appointments.move",
                                 writable && g_strcmp0 (status, "booked") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "appointments.cancel",
                                 writable && (g_strcmp0 (status, "booked") == 0 ||
                                              g_strcmp0 (status, "checked_in") == 0));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "appointments.refresh", idle);
  gtk_widget_set_visible (self->action_bar, self->can_write);
}

/* Reading the day ------------------------------------------------------------------------ */

typedef struct
{
  char *from;   /* UTC bounds of the local day, YYYY-MM-DDTHH:MM:SSZ */
  char *until;
} DayQuery;

static void
day_query_free (gpointer data)
{
  DayQuery *query = data;

  g_free (query->from);
  g_free (query->until);
  g_free (query);
}

/* Core lists UTC days; a local day is one or two of them, trimmed to its own hours. */
static gpointer
day_in_worker (RxDb          *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  DayQuery *query = data;
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_APPOINTMENT);
  char first[11], last[11];

  g_strlcpy (first, query->from, sizeof first);
  g_strlcpy (last, query->until, sizeof last);

  for (int pass = 0; pass < 2; pass++)
    {
      const char *day = pass == 0 ? first : last;
      g_autoptr(GListModel) listed = NULL;

      /* the second UTC day only when the local day reaches into it */
      if (pass == 1 && (g_str_equal (first, last) ||
                        g_str_has_suffix (query->until, "T00:00:00Z")))
        break;

      listed = rx_appointments_list_day (db, day, error);
      if (listed == NULL)
        return NULL;

      for (guint i = 0; i < g_list_model_get_n_items (listed); i++)
        {
          g_autoptr(RxAppointment) a = g_list_model_get_item (listed, i);
          const char *starts = rx_appointment_get_starts_at (a);

          if (strcmp (starts, query->from) >= 0 && strcmp (starts, query->until) < 0)
            g_list_store_append (store, a);
        }
    }

  return g_steal_pointer (&store);
}

static void
show_count (RxAppointmentsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->appointments));
  guint waiting = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RxAppointment) a = g_list_model_get_item (G_LIST_MODEL (self->appointments), i);

      if (g_strcmp0 (rx_appointment_get_status (a), "checked_in") == 0)
        waiting++;
    }

  if (n == 0)
    text = g_strdup ("");
  else if (waiting == 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u appointment",
                                         "%u appointments", n), n);
  else
    /* Translators: e.g. "12 appointments · 2 checked in" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u appointment · %u checked in",
                                         "%u appointments · %u checked in", n), n, waiting);
  gtk_label_set_label (self->count_label, text);
}

static void
day_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *select_id = NULL;
  RxAppointmentsPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_APPOINTMENTS_PAGE (user_data);
  g_clear_object (&self->load);
  self->loaded_at = g_get_monotonic_time ();
  select_id = g_steal_pointer (&self->select_id);

  if (found == NULL)
    {
      g_warning ("Reading the appointment book failed: %s", error->message);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      notify_busy (self);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (found); i++)
    g_ptr_array_add (items, g_list_model_get_item (found, i));
  g_list_store_splice (self->appointments, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->appointments)),
                       items->pdata, items->len);

  gtk_stack_set_visible_child_name (self->stack, items->len > 0 ? "list" : "empty");
  show_count (self);
  if (select_id == NULL || !rx_appointments_page_select (self, select_id))
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  update_actions (self);
  notify_busy (self);
}

static void
show_day_label (RxAppointmentsPage *self)
{
  g_autoptr(GDate) today = g_date_new ();
  g_autoptr(GDateTime) when = g_date_time_new_local (g_date_get_year (&self->day),
                                                     g_date_get_month (&self->day),
                                                     g_date_get_day (&self->day), 12, 0, 0);
  /* Translators: the day shown, e.g. "Wednesday 18 March 2026"; see g_date_time_format() */
  g_autofree char *date = g_date_time_format (when, _("%A %-d %B %Y"));
  g_autofree char *label = NULL;
  int days;

  g_date_set_time_t (today, time (NULL));
  days = g_date_days_between (today, &self->day);
  if (days == 0)
    /* Translators: e.g. "Today · Wednesday 18 March 2026" */
    label = g_strdup_printf (_("Today · %s"), date);
  else if (days == 1)
    label = g_strdup_printf (_("Tomorrow · %s"), date);
  else if (days == -1)
    label = g_strdup_printf (_("Yesterday · %s"), date);
  else
    label = g_strdup (date);

  gtk_label_set_label (self->day_label, g_strstrip (label));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "appointments.today", days != 0);
}

void
rx_appointments_page_reload (RxAppointmentsPage *self)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) start_utc = NULL;
  g_autoptr(GDateTime) end_utc = NULL;
  RxAppointment *selected;
  DayQuery *query;

  g_return_if_fail (RX_IS_APPOINTMENTS_PAGE (self));

  show_day_label (self);
  if (self->clinic == NULL)
    return;

  /* Keep the selection across the read unless someone asked for another one. */
  selected = rx_appointments_page_get_selected (self);
  if (self->select_id == NULL && selected != NULL)
    self->select_id = g_strdup (rx_appointment_get_id (selected));

  start = g_date_time_new_local (g_date_get_year (&self->day), g_date_get_month (&self->day),
                                 g_date_get_day (&self->day), 0, 0, 0);
  end = g_date_time_add_days (start, 1);
  start_utc = g_date_time_to_utc (start);
  end_utc = g_date_time_to_utc (end);

  query = g_new0 (DayQuery, 1);
  query->from = g_date_time_format (start_utc, "%Y-%m-%dT%H:%M:%SZ");
  query->until = g_date_time_format (end_utc, "%Y-%m-%dT%H:%M:%SZ");

  g_cancellable_cancel (self->load);
  g_clear_object (&self->load);
  self->load = g_cancellable_new ();
  rx_clinic_run_async (self->clinic, day_in_worker, query, day_query_free, g_object_unref,
                       self->load, day_cb, self);
  notify_busy (self);
}

void
rx_appointments_page_reload_if_stale (RxAppointmentsPage *self)
{
  g_return_if_fail (RX_IS_APPOINTMENTS_PAGE (self));

  if (self->clinic != NULL && self->load == NULL &&
      g_get_monotonic_time () - self->loaded_at > STALE_USEC)
    rx_appointments_page_reload (self);
}

void
rx_appointments_page_show_day (RxAppointmentsPage *self,
                               GDate              *day,
                               const char         *select_id)
{
  g_return_if_fail (RX_IS_APPOINTMENTS_PAGE (self));
  g_return_if_fail (day == NULL || g_date_valid (day));

  if (day != NULL)
    self->day = *day;
  else
    g_date_set_time_t (&self->day, time (NULL));

  g_free (self->select_id);
  self->select_id = g_strdup (select_id);
  if (select_id == NULL)
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  rx_appointments_page_reload (self);
}

/* Shows the local day of a UTC time, selecting @select_id there: after a booking or a move. */
void
rx_appointments_page_show_time (RxAppointmentsPage *self,
                                const char         *starts_at,
                                const char         *select_id)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  GDate day;

  g_return_if_fail (RX_IS_APPOINTMENTS_PAGE (self));

  utc = starts_at ? g_date_time_new_from_iso8601 (starts_at, NULL) : NULL;
  if (utc == NULL)
    {
      rx_appointments_page_show_day (self, NULL, select_id);
      return;
    }

  local = g_date_time_to_local (utc);
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  rx_appointments_page_show_day (self, &day, select_id);
}

/* Writing --------------------------------------------------------------------------------- */

typedef struct
{
  char *id;
  char *status;
  char *reason;
} StatusChange;

static void
status_change_free (gpointer data)
{
  StatusChange *change = data;

  g_free (change->id);
  g_free (change->status);
  g_free (change->reason);
  g_free (change);
}

static gpointer
status_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  StatusChange *change = data;
  gboolean done;

  if (change->reason != NULL)
    done = rx_appointments_cancel (db, change->id, change->reason, error);
  else
    done = rx_appointments_set_status (db, change->id, change->status, error);

  return done ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
status_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean done = rx_clinic_run_finish (RX_CLINIC (object), result, &error) != NULL;
  RxAppointmentsPage *self;
  char *message;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_APPOINTMENTS_PAGE (user_data);
  message = g_object_steal_data (G_OBJECT (self->write), "rx-message");
  g_clear_object (&self->write);

  g_signal_emit (self, signals[TOAST], 0, done ? message : error->message);
  g_free (message);
  /* Either way the book may have changed under us: read it again. */
  rx_appointments_page_reload (self);
  update_actions (self);
}

static void
change_status (RxAppointmentsPage *self,
               const char         *status,
               const char         *reason,
               char               *message)
{
  RxAppointment *selected = rx_appointments_page_get_selected (self);
  StatusChange *change;

  if (selected == NULL || self->clinic == NULL || self->write != NULL)
    {
      g_free (message);
      return;
    }

  change = g_new0 (StatusChange, 1);
  change->id = g_strdup (rx_appointment_get_id (selected));
  change->status = g_strdup (status);
  change->reason = g_strdup (reason);

  self->write = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (self->write), "rx-message", message, g_free);
  rx_clinic_run_async (self->clinic, status_in_worker, change, status_change_free, NULL,
                       self->write, status_cb, self);
  update_actions (self);
  notify_busy (self);
}

void
rx_appointments_page_check_in (RxAppointmentsPage *self)
{
  RxAppointment *selected;

  g_return_if_fail (RX_IS_APPOINTMENTS_PAGE (self));

  selected = rx_appointments_page_get_selected (self);
  if (selected == NULL || !self->can_write)
    return;

  /* Translators: a toast after a check-in, e.g. "OKAFOR, Amina is checked in" */
  change_status (self, "checked_in", NULL,
                 g_strdup_printf (_("%s is checked in"),
                                  rx_appointment_get_patient_name (selected)));
}

static void
moved_cb (RxAppointmentsPage *self,
          const char         *id,
          const char         *starts_at)
{
  g_autofree char *time = rx_format_local_time (starts_at);
  g_autofree char *message = g_strdup_printf (_("Moved to %s"), time);

  g_signal_emit (self, signals[TOAST], 0, message);
  rx_appointments_page_show_time (self, starts_at, id);
}

/* Opens the Move dialog for the selected appointment; returns it (tests drive it). */
GtkWindow *
rx_appointments_page_move (RxAppointmentsPage *self)
{
  RxAppointment *selected;
  RxAppointmentDialog *dialog;

  g_return_val_if_fail (RX_IS_APPOINTMENTS_PAGE (self), NULL);

  selected = rx_appointments_page_get_selected (self);
  if (selected == NULL || self->clinic == NULL || !self->can_write)
    return NULL;

  dialog = rx_appointment_dialog_new_move (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                           self->clinic, selected);
  g_signal_connect_object (dialog, "done", G_CALLBACK (moved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WINDOW (dialog);
}

static void
reason_changed_cb (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "cancel", *reason != '\0');
}

static void
reason_activated_cb (GtkEntry         *entry,
                     AdwMessageDialog *dialog)
{
  if (adw_message_dialog_get_response_enabled (dialog, "cancel"))
    adw_message_dialog_response (dialog, "cancel");
}

static void
cancel_response_cb (AdwMessageDialog   *dialog,
                    const char         *response,
                    RxAppointmentsPage *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  const char *id = g_object_get_data (G_OBJECT (dialog), "rx-appointment");
  RxAppointment *selected = rx_appointments_page_get_selected (self);

  if (!g_str_equal (response, "cancel"))
    return;

  /* The list may have been read again meanwhile; cancel what the dialog was about. */
  if (selected == NULL || g_strcmp0 (rx_appointment_get_id (selected), id) != 0)
    rx_appointments_page_select (self, id);

  change_status (self, "cancelled", gtk_editable_get_text (entry),
                 g_strdup_printf (_("The appointment of %s is cancelled"),
                                  (const char *) g_object_get_data (G_OBJECT (dialog),
                                                                    "rx-name")));
}

static void
dialog_session_changed_cb (GtkWindow *dialog)
{
  gtk_window_destroy (dialog);
}

/* Asks why, then cancels the selected appointment. Returns the question (tests answer it). */
GtkWindow *
rx_appointments_page_cancel (RxAppointmentsPage *self)
{
  RxAppointment *selected;
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  g_autofree char *time = NULL;
  g_autofree char *body = NULL;
  const char *clinician;

  g_return_val_if_fail (RX_IS_APPOINTMENTS_PAGE (self), NULL);

  selected = rx_appointments_page_get_selected (self);
  if (selected == NULL || self->clinic == NULL || !self->can_write)
    return NULL;

  time = rx_format_local_time (rx_appointment_get_starts_at (selected));
  clinician = rx_appointment_get_clinician_name (selected);
  if (clinician != NULL)
    /* Translators: e.g. "OKAFOR, Amina at 09:15 with Dr Kwame Mensah. Say why…" */
    body = g_strdup_printf (_("%s at %s with %s. Say why; the reason is kept with the "
                              "appointment’s history."),
                            rx_appointment_get_patient_name (selected), time, clinician);
  else
    body = g_strdup_printf (_("%s at %s. Say why; the reason is kept with the appointment’s "
                              "history."),
                            rx_appointment_get_patient_name (selected), time);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), _("Cancel the Appointment?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep It"),
                                    "cancel", _("_Cancel Appointment"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "cancel", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (dialog, "cancel", FALSE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason, e.g. the patient is unwell"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason for cancelling"),
                                  -1);
  g_signal_connect (entry, "changed", G_CALLBACK (reason_changed_cb), dialog);
  g_signal_connect (entry, "activate", G_CALLBACK (reason_activated_cb), dialog);
  adw_message_dialog_set_extra_child (dialog, entry);

  g_object_set_data_full (G_OBJECT (dialog), "rx-appointment",
                          g_strdup (rx_appointment_get_id (selected)), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "rx-name",
                          g_strdup (rx_appointment_get_patient_name (selected)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (cancel_response_cb), self, 0);
  /* It names the patient: it goes when the session locks or ends. */
  g_signal_connect_object (self->clinic, "notify::locked",
                           G_CALLBACK (dialog_session_changed_cb), dialog, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->clinic, "notify::user",
                           G_CALLBACK (dialog_session_changed_cb), dialog, G_CONNECT_SWAPPED);

  rx_a11y_fix_button_labels (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);

  return GTK_WINDOW (dialog);
}

/* Actions -------------------------------------------------------------------------------- */

static void
check_in_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  rx_appointments_page_check_in (RX_APPOINTMENTS_PAGE (widget));
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  rx_appointments_page_move (RX_APPOINTMENTS_PAGE (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  rx_appointments_page_cancel (RX_APPOINTMENTS_PAGE (widget));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  rx_appointments_page_reload (RX_APPOINTMENTS_PAGE (widget));
}

static void
go_day (RxAppointmentsPage *self,
        int                 days)
{
  GDate day = self->day;

  if (days > 0)
    g_date_add_days (&day, days);
  else if (days < 0)
    g_date_subtract_days (&day, -days);
  else
    g_date_set_time_t (&day, time (NULL));

  rx_appointments_page_show_day (self, &day, NULL);
}

static void
day_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  if (g_str_equal (action_name, "appointments.previous-day"))
    go_day (RX_APPOINTMENTS_PAGE (widget), -1);
  else if (g_str_equal (action_name, "appointments.next-day"))
    go_day (RX_APPOINTMENTS_PAGE (widget), 1);
  else
    go_day (RX_APPOINTMENTS_PAGE (widget), 0);
}

/* The list ------------------------------------------------------------------------------- */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, rx_appointment_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  rx_appointment_row_set_appointment (RX_APPOINTMENT_ROW (gtk_list_item_get_child (item)),
                                      gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  rx_appointment_row_set_appointment (RX_APPOINTMENT_ROW (gtk_list_item_get_child (item)),
                                      NULL);
}

/* Accessors ------------------------------------------------------------------------------ */

void
rx_appointments_page_set_clinic (RxAppointmentsPage *self,
                                 RxClinic           *clinic)
{
  g_return_if_fail (RX_IS_APPOINTMENTS_PAGE (self));
  g_return_if_fail (!clinic || RX_IS_CLINIC (clinic));

  if (!g_set_object (&self->clinic, clinic))
    return;

  g_cancellable_cancel (self->load);
  g_cancellable_cancel (self->write);
  g_clear_object (&self->load);
  g_clear_object (&self->write);
  g_list_store_remove_all (self->appointments);
  gtk_label_set_label (self->count_label, "");
  if (clinic != NULL)
    rx_appointments_page_show_day (self, NULL, NULL);
  update_actions (self);
  notify_busy (self);
}

void
rx_appointments_page_set_can_write (RxAppointmentsPage *self,
                                    gboolean            can_write)
{
  g_return_if_fail (RX_IS_APPOINTMENTS_PAGE (self));

  self->can_write = !!can_write;
  update_actions (self);
}

gboolean
rx_appointments_page_get_busy (RxAppointmentsPage *self)
{
  g_return_val_if_fail (RX_IS_APPOINTMENTS_PAGE (self), FALSE);
  return self->load != NULL || self->write != NULL;
}

GListModel *
rx_appointments_page_get_appointments (RxAppointmentsPage *self)
{
  g_return_val_if_fail (RX_IS_APPOINTMENTS_PAGE (self), NULL);
  return G_LIST_MODEL (self->appointments);
}

RxAppointment *
rx_appointments_page_get_selected (RxAppointmentsPage *self)
{
  g_return_val_if_fail (RX_IS_APPOINTMENTS_PAGE (self), NULL);
  return gtk_single_selection_get_selected_item (self->selection);
}

gboolean
rx_appointments_page_select (RxAppointmentsPage *self,
                             const char         *appointment_id)
{
  GListModel *model;

  g_return_val_if_fail (RX_IS_APPOINTMENTS_PAGE (self), FALSE);

  model = G_LIST_MODEL (self->appointments);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RxAppointment) a = g_list_model_get_item (model, i);

      if (g_strcmp0 (rx_appointment_get_id (a), appointment_id) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item",
                                      "u", i);
          return TRUE;
        }
    }

  return FALSE;
}

/* GObject -------------------------------------------------------------------------------- */

static void
rx_appointments_page_dispose (GObject *object)
{
  RxAppointmentsPage *self = (RxAppointmentsPage *) object;
  GtkWidget *child;

  g_cancellable_cancel (self->load);
  g_cancellable_cancel (self->write);
  g_clear_object (&self->load);
  g_clear_object (&self->write);
  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_APPOINTMENTS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->clinic);
  g_clear_object (&self->selection);
  g_clear_object (&self->appointments);
  g_clear_pointer (&self->select_id, g_free);

  G_OBJECT_CLASS (rx_appointments_page_parent_class)->dispose (object);
}

static void
rx_appointments_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  RxAppointmentsPage *self = RX_APPOINTMENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, rx_appointments_page_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_appointments_page_class_init (RxAppointmentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_appointments_page_dispose;
  object_class->get_property = rx_appointments_page_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* What to tell the person once a change is done, or why it was refused. */
  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (RX_TYPE_APPOINTMENT_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-appointments-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentsPage, day_label);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentsPage, action_bar);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentsPage, book_button);
  gtk_widget_class_bind_template_callback (widget_class, setup_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, unbind_row_cb);

  gtk_widget_class_install_action (widget_class, "appointments.check-in", NULL, check_in_action);
  gtk_widget_class_install_action (widget_class, "appointments.move", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "appointments.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "appointments.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "appointments.previous-day", NULL, day_action);
  gtk_widget_class_install_action (widget_class, "appointments.next-day", NULL, day_action);
  gtk_widget_class_install_action (widget_class, "appointments.today", NULL, day_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
rx_appointments_page_init (RxAppointmentsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rx_a11y_fix_button_labels (GTK_WIDGET (self));

  g_date_clear (&self->day, 1);
  g_date_set_time_t (&self->day, time (NULL));
  self->appointments = g_list_store_new (RX_TYPE_APPOINTMENT);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->appointments)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (update_actions),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_set_tooltip_text (self->book_button,
                               _("Books the patient chosen on the Patients page"));

  show_day_label (self);
  update_actions (self);
}
