/* rx-appointment-row.c: one appointment in the day's list: when, who, with whom and why,
 * and where it stands. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-appointment-row.h"
#include "rx-format.h"

struct _RxAppointmentRow
{
  GtkWidget  parent_instance;

  char      *status_class;

  GtkLabel  *time_label;
  GtkLabel  *name_label;
  GtkLabel  *detail_label;
  GtkLabel  *status_label;
};

G_DEFINE_FINAL_TYPE (RxAppointmentRow, rx_appointment_row, GTK_TYPE_WIDGET)

/* What the day's list calls each status. */
const char *
rx_appointment_status_label (const char *status)
{
  if (g_strcmp0 (status, "booked") == 0)
    return _("Booked");
  if (g_strcmp0 (status, "checked_in") == 0)
    return _("Checked in");
  if (g_strcmp0 (status, "completed") == 0)
    return _("Seen");
  if (g_strcmp0 (status, "cancelled") == 0)
    return _("Cancelled");
  if (g_strcmp0 (status, "no_show") == 0)
    return _("Did not come");
  return status;
}

static int
minutes_between (const char *from,
                 const char *until)
{
  g_autoptr(GDateTime) start = from ? g_date_time_new_from_iso8601 (from, NULL) : NULL;
  g_autoptr(GDateTime) end = until ? g_date_time_new_from_iso8601 (until, NULL) : NULL;

  if (start == NULL || end == NULL)
    return 0;
  return (int) (g_date_time_difference (end, start) / G_TIME_SPAN_MINUTE);
}

void
rx_appointment_row_set_appointment (RxAppointmentRow *self,
                                    RxAppointment    *appointment)
{
  g_autofree char *time = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *length = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GString) text = NULL;
  const char *clinician;
  const char *reason;
  const char *status;

  g_return_if_fail (RX_IS_APPOINTMENT_ROW (self));
  g_return_if_fail (!appointment || RX_IS_APPOINTMENT (appointment));

  if (self->status_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), self->status_class);
  g_clear_pointer (&self->status_class, g_free);

  if (appointment == NULL)
    return;

  time = rx_format_local_time (rx_appointment_get_starts_at (appointment));
  clinician = rx_appointment_get_clinician_name (appointment);
  reason = rx_appointment_get_reason (appointment);
  status = rx_appointment_get_status (appointment);

  length = g_strdup_printf (_("%d min"),
                            minutes_between (rx_appointment_get_starts_at (appointment),
                                             rx_appointment_get_ends_at (appointment)));
  text = g_string_new (length);
  g_string_append_printf (text, " · %s", clinician ? clinician : _("Any clinician"));
  if (reason != NULL && *reason != '\0')
    g_string_append_printf (text, " · %s", reason);

  gtk_label_set_label (self->time_label, time);
  gtk_label_set_label (self->name_label, rx_appointment_get_patient_name (appointment));
  gtk_label_set_label (self->detail_label, text->str);
  gtk_label_set_label (self->status_label, rx_appointment_status_label (status));
  self->status_class = g_strconcat ("status-", status, NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), self->status_class);
  gtk_widget_set_opacity (GTK_WIDGET (self),
                          g_strcmp0 (status, "cancelled") == 0 ||
                          g_strcmp0 (status, "no_show") == 0 ? 0.55 : 1.0);

  /* Translators: how a screen reader reads an appointment, e.g. "09:15, OKAFOR, Amina,
   * 15 min · Dr Kwame Mensah · consultation, Booked" */
  label = g_strdup_printf (_("%s, %s, %s, %s"), time,
                           rx_appointment_get_patient_name (appointment), text->str,
                           rx_appointment_status_label (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
rx_appointment_row_dispose (GObject *object)
{
  RxAppointmentRow *self = (RxAppointmentRow *) object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_APPOINTMENT_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->status_class, g_free);

  G_OBJECT_CLASS (rx_appointment_row_parent_class)->dispose (object);
}

static void
rx_appointment_row_class_init (RxAppointmentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_appointment_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-appointment-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, RxAppointmentRow, status_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "rxappointmentrow");
}

static void
rx_appointment_row_init (RxAppointmentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rx_appointment_row_new (void)
{
  return g_object_new (RX_TYPE_APPOINTMENT_ROW, NULL);
}
