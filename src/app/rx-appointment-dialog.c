/* rx-appointment-dialog.c: booking and moving appointments. It offers only times that are
 * free (core's free slots, asked on the clinic's worker for the chosen clinician, day and
 * length) and, opened on a day with none left, moves on to the next day that has one. The
 * booking itself is checked again by core, which names the clash if someone else was
 * quicker. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-a11y.h"
#include "rx-appointment-dialog.h"
#include "rx-format.h"

#define N_DAYS 14

static const guint lengths[] = { 10, 15, 20, 30, 45, 60 };

struct _RxAppointmentDialog
{
  AdwWindow       parent_instance;

  RxClinic       *clinic;
  RxPatient      *patient;          /* booking */
  RxAppointment  *appointment;      /* moving */
  GPtrArray      *clinician_ids;    /* char *, NULL for the shared calendar */
  GPtrArray      *days;             /* GDateTime, local midnights from today */
  GStrv           slots;            /* the free UTC start times offered, or NULL */
  GCancellable   *query;            /* clinicians or free times being read */
  GCancellable   *write;            /* the booking or move being written */
  guint           seek_days;        /* an empty day moves on to the next this many times */
  gboolean        filling;
  char           *error;
  char           *writing_at;       /* the UTC start being written */

  AdwWindowTitle *window_title;
  GtkButton      *confirm_button;
  GtkSpinner     *spinner;
  AdwComboRow    *clinician_row;
  AdwComboRow    *day_row;
  AdwComboRow    *length_row;
  AdwComboRow    *time_row;
  AdwEntryRow    *reason_row;
  GtkLabel       *hours_label;
  GtkLabel       *error_label;
};

G_DEFINE_FINAL_TYPE (RxAppointmentDialog, rx_appointment_dialog, ADW_TYPE_WINDOW)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void load_slots (RxAppointmentDialog *self);

static void
update_state (RxAppointmentDialog *self)
{
  gboolean busy = rx_appointment_dialog_get_busy (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_button),
                            rx_appointment_dialog_get_ready (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->time_row), self->write == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
show_error (RxAppointmentDialog *self,
            const char          *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* A combo row's choices are plain strings; the row shows @placeholder alone when empty. */
static void
set_choices (AdwComboRow *row,
             GPtrArray   *labels)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; i < labels->len; i++)
    gtk_string_list_append (model, g_ptr_array_index (labels, i));
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
}

static void
set_placeholder (AdwComboRow *row,
                 const char  *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  g_ptr_array_add (labels, (gpointer) text);
  set_choices (row, labels);
}

static guint
chosen_minutes (RxAppointmentDialog *self)
{
  guint i = adw_combo_row_get_selected (self->length_row);

  if (self->appointment != NULL)
    {
      g_autoptr(GDateTime) start =
        g_date_time_new_from_iso8601 (rx_appointment_get_starts_at (self->appointment), NULL);
      g_autoptr(GDateTime) end =
        g_date_time_new_from_iso8601 (rx_appointment_get_ends_at (self->appointment), NULL);

      if (start != NULL && end != NULL)
        return (guint) (g_date_time_difference (end, start) / G_TIME_SPAN_MINUTE);
    }

  return lengths[i < G_N_ELEMENTS (lengths) ? i : 1];
}

static const char *
chosen_clinician (RxAppointmentDialog *self)
{
  guint i = adw_combo_row_get_selected (self->clinician_row);

  if (self->appointment != NULL)
    return rx_appointment_get_clinician_id (self->appointment);
  if (self->clinician_ids == NULL || i >= self->clinician_ids->len)
    return NULL;
  return g_ptr_array_index (self->clinician_ids, i);
}

/* Free times -------------------------------------------------------------------------------- */

typedef struct
{
  char  *clinician_id;
  int    year, month, day;
  guint  minutes;
} SlotQuery;

static void
slot_query_free (gpointer data)
{
  SlotQuery *query = data;

  g_free (query->clinician_id);
  g_free (query);
}

static gboolean
add_free_slots (RxDb          *db,
                SlotQuery     *query,
                GDateTime     *from,
                const char    *opening,
                const char    *closing,
                GStrvBuilder  *all,
                GError       **error)
{
  g_autofree char *day = g_date_time_format (from, "%Y-%m-%d");
  g_auto(GStrv) slots = rx_appointments_free_slots (db, query->clinician_id, day,
                                                    query->minutes, opening, closing, error);

  if (slots == NULL)
    return FALSE;
  g_strv_builder_addv (all, (const char **) slots);
  return TRUE;
}

/* The clinic's hours are local; core's free times are asked per UTC day, so a local day
 * that straddles UTC midnight is asked in two parts. */
static gpointer
slots_in_worker (RxDb          *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  SlotQuery *query = data;
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(GDateTime) opens = g_date_time_new (zone, query->year, query->month, query->day,
                                                RX_APPOINTMENT_OPENS_HOUR, 0, 0);
  g_autoptr(GDateTime) closes = g_date_time_new (zone, query->year, query->month, query->day,
                                                 RX_APPOINTMENT_CLOSES_HOUR, 0, 0);
  g_autoptr(GDateTime) opens_utc = g_date_time_to_utc (opens);
  g_autoptr(GDateTime) closes_utc = g_date_time_to_utc (closes);
  g_autofree char *open_day = g_date_time_format (opens_utc, "%Y-%m-%d");
  g_autofree char *close_day = g_date_time_format (closes_utc, "%Y-%m-%d");
  g_autofree char *open_clock = g_date_time_format (opens_utc, "%H:%M");
  g_autofree char *close_clock = g_date_time_format (closes_utc, "%H:%M");
  g_autoptr(GStrvBuilder) all = g_strv_builder_new ();

  if (g_str_equal (open_day, close_day))
    {
      if (!add_free_slots (db, query, opens_utc, open_clock, close_clock, all, error))
        return NULL;
    }
  else if (g_str_equal (close_clock, "00:00"))
    {
      if (!add_free_slots (db, query, opens_utc, open_clock, "24:00", all, error))
        return NULL;
    }
  else if (!add_free_slots (db, query, opens_utc, open_clock, "24:00", all, error) ||
           !add_free_slots (db, query, closes_utc, "00:00", close_clock, all, error))
    return NULL;

  return g_strv_builder_end (all);
}

static void
slots_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) slots = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  RxAppointmentDialog *self;
  guint day;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_APPOINTMENT_DIALOG (user_data);
  g_clear_object (&self->query);

  if (slots == NULL)
    {
      set_placeholder (self->time_row, _("No times to offer"));
      show_error (self, error->message);
      update_state (self);
      return;
    }

  /* Opened on a day that is full (or over): the next one with room is what is wanted. */
  day = adw_combo_row_get_selected (self->day_row);
  if (slots[0] == NULL && self->seek_days > 0 && day + 1 < self->days->len)
    {
      self->seek_days--;
      self->filling = TRUE;
      adw_combo_row_set_selected (self->day_row, day + 1);
      self->filling = FALSE;
      load_slots (self);
      return;
    }
  self->seek_days = 0;

  for (guint i = 0; slots[i] != NULL; i++)
    g_ptr_array_add (labels, rx_format_local_time (slots[i]));

  g_strfreev (self->slots);
  self->slots = g_steal_pointer (&slots);

  self->filling = TRUE;
  if (labels->len == 0)
    set_placeholder (self->time_row, _("No free time this day"));
  else
    set_choices (self->time_row, labels);
  adw_combo_row_set_selected (self->time_row, 0);
  self->filling = FALSE;

  update_state (self);
}

static void
load_slots (RxAppointmentDialog *self)
{
  GDateTime *day = g_ptr_array_index (self->days, adw_combo_row_get_selected (self->day_row));
  SlotQuery *query = g_new0 (SlotQuery, 1);

  g_cancellable_cancel (self->query);
  g_clear_object (&self->query);
  g_clear_pointer (&self->slots, g_strfreev);

  self->filling = TRUE;
  set_placeholder (self->time_row, _("Looking for free times…"));
  self->filling = FALSE;

  query->clinician_id = g_strdup (chosen_clinician (self));
  g_date_time_get_ymd (day, &query->year, &query->month, &query->day);
  query->minutes = chosen_minutes (self);

  self->query = g_cancellable_new ();
  rx_clinic_run_async (self->clinic, slots_in_worker, query, slot_query_free,
                       (GDestroyNotify) g_strfreev, self->query, slots_cb, self);
  update_state (self);
}

static void
query_changed_cb (RxAppointmentDialog *self)
{
  if (self->filling || self->clinic == NULL || self->days == NULL)
    return;

  /* What the person chooses stays chosen. */
  self->seek_days = 0;
  show_error (self, NULL);
  load_slots (self);
}

static void
time_changed_cb (RxAppointmentDialog *self)
{
  update_state (self);
}

/* Clinicians --------------------------------------------------------------------------------- */

static gpointer
clinicians_in_worker (RxDb          *db,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GListModel) users = rx_users_list (db, error);
  GPtrArray *doctors;

  if (users == NULL)
    return NULL;

  doctors = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (users); i++)
    {
      g_autoptr(RxUser) user = g_list_model_get_item (users, i);

      if (rx_user_get_role (user) == RX_ROLE_DOCTOR &&
          g_strcmp0 (rx_user_get_state (user), "active") == 0)
        g_ptr_array_add (doctors, g_steal_pointer (&user));
    }

  return doctors;
}

static void
clinicians_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) doctors = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  RxAppointmentDialog *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_APPOINTMENT_DIALOG (user_data);
  g_clear_object (&self->query);

  if (doctors == NULL)
    {
      show_error (self, error->message);
      update_state (self);
      return;
    }

  g_clear_pointer (&self->clinician_ids, g_ptr_array_unref);
  self->clinician_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < doctors->len; i++)
    {
      RxUser *doctor = g_ptr_array_index (doctors, i);

      g_ptr_array_add (self->clinician_ids, g_strdup (rx_user_get_id (doctor)));
      g_ptr_array_add (labels, (gpointer) rx_user_get_full_name (doctor));
    }
  g_ptr_array_add (self->clinician_ids, NULL);
  g_ptr_array_add (labels, (gpointer) _("Any clinician (shared calendar)"));

  self->filling = TRUE;
  set_choices (self->clinician_row, labels);
  adw_combo_row_set_selected (self->clinician_row, 0);
  self->filling = FALSE;

  load_slots (self);
}

/* Writing ------------------------------------------------------------------------------------ */

typedef struct
{
  char  *id;            /* the patient to book, or the appointment to move */
  char  *clinician_id;
  char  *starts_at;
  char  *reason;
  guint  minutes;
  gboolean move;
} Write;

static void
write_free (gpointer data)
{
  Write *write = data;

  g_free (write->id);
  g_free (write->clinician_id);
  g_free (write->starts_at);
  g_free (write->reason);
  g_free (write);
}

static gpointer
write_in_worker (RxDb          *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Write *write = data;
  g_autoptr(RxAppointment) booked = NULL;

  if (write->move)
    return rx_appointments_move (db, write->id, write->starts_at, 0, error)
           ? g_strdup (write->id) : NULL;

  booked = rx_appointments_book (db, write->id, write->clinician_id, write->starts_at,
                                 write->minutes, write->reason, error);
  return booked ? g_strdup (rx_appointment_get_id (booked)) : NULL;
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  g_autofree char *starts_at = NULL;
  RxAppointmentDialog *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_APPOINTMENT_DIALOG (user_data);
  starts_at = g_steal_pointer (&self->writing_at);
  g_clear_object (&self->write);

  if (id == NULL)
    {
      /* Most likely someone else took the time meanwhile: say so, and offer what is left. */
      show_error (self, error->message);
      load_slots (self);
      return;
    }

  g_signal_emit (self, signals[DONE], 0, id, starts_at);
  gtk_window_destroy (GTK_WINDOW (self));
}

void
rx_appointment_dialog_confirm (RxAppointmentDialog *self)
{
  Write *write;

  g_return_if_fail (RX_IS_APPOINTMENT_DIALOG (self));

  if (!rx_appointment_dialog_get_ready (self))
    return;

  write = g_new0 (Write, 1);
  write->move = self->appointment != NULL;
  write->id = g_strdup (write->move ? rx_appointment_get_id (self->appointment)
                                    : rx_patient_get_id (self->patient));
  write->clinician_id = g_strdup (chosen_clinician (self));
  write->starts_at = g_strdup (rx_appointment_dialog_get_time (self));
  write->reason = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_row)));
  write->minutes = chosen_minutes (self);

  show_error (self, NULL);
  g_free (self->writing_at);
  self->writing_at = g_strdup (write->starts_at);
  self->write = g_cancellable_new ();
  rx_clinic_run_async (self->clinic, write_in_worker, write, write_free, g_free, self->write,
                       written_cb, self);
  update_state (self);
}

static void
confirm_cb (RxAppointmentDialog *self)
{
  rx_appointment_dialog_confirm (self);
}

/* Accessors -------------------------------------------------------------------------------- */

gboolean
rx_appointment_dialog_get_busy (RxAppointmentDialog *self)
{
  g_return_val_if_fail (RX_IS_APPOINTMENT_DIALOG (self), FALSE);
  return self->query != NULL || self->write != NULL;
}

/* Whether a free time is chosen and nothing is in flight. */
gboolean
rx_appointment_dialog_get_ready (RxAppointmentDialog *self)
{
  g_return_val_if_fail (RX_IS_APPOINTMENT_DIALOG (self), FALSE);
  return !rx_appointment_dialog_get_busy (self) && rx_appointment_dialog_get_time (self) != NULL;
}

/* The UTC start chosen, or %NULL. */
const char *
rx_appointment_dialog_get_time (RxAppointmentDialog *self)
{
  guint i;

  g_return_val_if_fail (RX_IS_APPOINTMENT_DIALOG (self), NULL);

  i = adw_combo_row_get_selected (self->time_row);
  if (self->slots == NULL || i >= g_strv_length (self->slots))
    return NULL;
  return self->slots[i];
}

const char *
rx_appointment_dialog_get_error (RxAppointmentDialog *self)
{
  g_return_val_if_fail (RX_IS_APPOINTMENT_DIALOG (self), NULL);
  return self->error;
}

/* Set-up --------------------------------------------------------------------------------- */

/* Patient details are not left on screen in a locked or logged-out session. */
static void
session_changed_cb (RxAppointmentDialog *self)
{
  if (self->clinic != NULL &&
      (rx_clinic_get_locked (self->clinic) || rx_clinic_get_user (self->clinic) == NULL))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
fill_days (RxAppointmentDialog *self,
           const char          *select_utc)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now),
                                                      0, 0, 0);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *select_day = NULL;
  guint selected = 0;

  if (select_utc != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (select_utc, NULL);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

      if (local != NULL)
        select_day = g_date_time_format (local, "%Y-%m-%d");
    }

  self->days = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  for (guint i = 0; i < N_DAYS; i++)
    {
      GDateTime *day = g_date_time_add_days (today, i);
      g_autofree char *key = g_date_time_format (day, "%Y-%m-%d");

      g_ptr_array_add (self->days, day);
      if (i == 0)
        g_ptr_array_add (labels, g_strdup (_("Today")));
      else if (i == 1)
        g_ptr_array_add (labels, g_strdup (_("Tomorrow")));
      else
        /* Translators: a day in the next two weeks, e.g. "Wednesday 18 March"; see
         * g_date_time_format() */
        g_ptr_array_add (labels, g_date_time_format (day, _("%A %-d %B")));
      if (g_strcmp0 (key, select_day) == 0)
        selected = i;
    }

  set_choices (self->day_row, labels);
  adw_combo_row_set_selected (self->day_row, selected);
}

static RxAppointmentDialog *
dialog_new (GtkWindow *parent,
            RxClinic  *clinic)
{
  RxAppointmentDialog *self = g_object_new (RX_TYPE_APPOINTMENT_DIALOG,
                                            "transient-for", parent,
                                            NULL);

  self->clinic = g_object_ref (clinic);
  g_signal_connect_object (clinic, "notify::locked", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (clinic, "notify::user", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

RxAppointmentDialog *
rx_appointment_dialog_new_book (GtkWindow *parent,
                                RxClinic  *clinic,
                                RxPatient *patient)
{
  RxAppointmentDialog *self;
  g_autofree char *name = NULL;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RX_IS_CLINIC (clinic), NULL);
  g_return_val_if_fail (RX_IS_PATIENT (patient), NULL);

  self = dialog_new (parent, clinic);
  self->patient = g_object_ref (patient);
  name = rx_patient_dup_display_name (patient);

  gtk_window_set_title (GTK_WINDOW (self), _("Book an Appointment"));
  adw_window_title_set_title (self->window_title, _("Book an Appointment"));
  adw_window_title_set_subtitle (self->window_title, name);
  rx_a11y_set_button_label (self->confirm_button, _("_Book"));

  self->filling = TRUE;
  fill_days (self, NULL);
  set_placeholder (self->clinician_row, _("Loading…"));
  self->filling = FALSE;
  self->seek_days = N_DAYS - 1;

  self->query = g_cancellable_new ();
  rx_clinic_run_async (clinic, clinicians_in_worker, NULL, NULL,
                       (GDestroyNotify) g_ptr_array_unref, self->query, clinicians_cb, self);
  update_state (self);

  return self;
}

RxAppointmentDialog *
rx_appointment_dialog_new_move (GtkWindow     *parent,
                                RxClinic      *clinic,
                                RxAppointment *appointment)
{
  RxAppointmentDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RX_IS_CLINIC (clinic), NULL);
  g_return_val_if_fail (RX_IS_APPOINTMENT (appointment), NULL);

  self = dialog_new (parent, clinic);
  self->appointment = g_object_ref (appointment);

  gtk_window_set_title (GTK_WINDOW (self), _("Move the Appointment"));
  adw_window_title_set_title (self->window_title, _("Move the Appointment"));
  adw_window_title_set_subtitle (self->window_title,
                                 rx_appointment_get_patient_name (appointment));
  rx_a11y_set_button_label (self->confirm_button, _("_Move"));
  /* The same clinician, for as long as before, and the reason stays. */
  gtk_widget_set_visible (GTK_WIDGET (self->clinician_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->length_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_row), FALSE);

  self->filling = TRUE;
  fill_days (self, rx_appointment_get_starts_at (appointment));
  self->filling = FALSE;
  self->seek_days = N_DAYS - 1;
  load_slots (self);

  return self;
}

static void
rx_appointment_dialog_dispose (GObject *object)
{
  RxAppointmentDialog *self = (RxAppointmentDialog *) object;

  g_cancellable_cancel (self->query);
  g_cancellable_cancel (self->write);
  g_clear_object (&self->query);
  g_clear_object (&self->write);

  G_OBJECT_CLASS (rx_appointment_dialog_parent_class)->dispose (object);
}

static void
rx_appointment_dialog_finalize (GObject *object)
{
  RxAppointmentDialog *self = (RxAppointmentDialog *) object;

  g_clear_object (&self->clinic);
  g_clear_object (&self->patient);
  g_clear_object (&self->appointment);
  g_clear_pointer (&self->clinician_ids, g_ptr_array_unref);
  g_clear_pointer (&self->days, g_ptr_array_unref);
  g_clear_pointer (&self->slots, g_strfreev);
  g_free (self->error);
  g_free (self->writing_at);

  G_OBJECT_CLASS (rx_appointment_dialog_parent_class)->finalize (object);
}

static void
rx_appointment_dialog_class_init (RxAppointmentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_appointment_dialog_dispose;
  object_class->finalize = rx_appointment_dialog_finalize;

  /* The appointment's id and its UTC start, once written. */
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-appointment-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentDialog, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentDialog, clinician_row);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentDialog, day_row);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentDialog, length_row);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentDialog, time_row);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentDialog, hours_label);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, query_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rx_appointment_dialog_init (RxAppointmentDialog *self)
{
  g_autofree char *hours = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  rx_a11y_fix_button_labels (GTK_WIDGET (self));
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->confirm_button));
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->reason_row),
                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY);

  /* Translators: the opening hours the offered times lie in, e.g. "08:00 to 18:00" */
  hours = g_strdup_printf (_("The times offered are free between %02d:00 and %02d:00."),
                           RX_APPOINTMENT_OPENS_HOUR, RX_APPOINTMENT_CLOSES_HOUR);
  gtk_label_set_label (self->hours_label, hours);
}
