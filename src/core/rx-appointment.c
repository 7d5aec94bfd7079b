/* rx-appointment.c: the RxAppointment object, UTC times as the appointment book writes
 * them, and reading the book. Booking and free times are in rx-appointment-book.c. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rx-appointment-private.h"
#include "rx-core-error.h"
#include "rx-records-private.h"
#include "rx-validate.h"

G_DEFINE_FINAL_TYPE (RxAppointment, rx_appointment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PATIENT_ID,
  PROP_CLINICIAN_ID,
  PROP_STARTS_AT,
  PROP_ENDS_AT,
  PROP_STATUS,
  PROP_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rx_appointment_finalize (GObject *object)
{
  RxAppointment *self = (RxAppointment *) object;

  g_free (self->id);
  g_free (self->patient_id);
  g_free (self->clinician_id);
  g_free (self->starts_at);
  g_free (self->ends_at);
  g_free (self->status);
  g_free (self->reason);
  g_free (self->patient_name);
  g_free (self->patient_record);
  g_free (self->clinician_name);

  G_OBJECT_CLASS (rx_appointment_parent_class)->finalize (object);
}

static void
rx_appointment_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RxAppointment *self = RX_APPOINTMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_PATIENT_ID:
      g_value_set_string (value, self->patient_id);
      break;

    case PROP_CLINICIAN_ID:
      g_value_set_string (value, self->clinician_id);
      break;

    case PROP_STARTS_AT:
      g_value_set_string (value, self->starts_at);
      break;

    case PROP_ENDS_AT:
      g_value_set_string (value, self->ends_at);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_appointment_class_init (RxAppointmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rx_appointment_finalize;
  object_class->get_property = rx_appointment_get_property;

#define RO_STRING(prop, name) \
  properties[prop] = g_param_spec_string (name, NULL, NULL, NULL, \
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)
  RO_STRING (PROP_ID, "id");
  RO_STRING (PROP_PATIENT_ID, "patient-id");
  RO_STRING (PROP_CLINICIAN_ID, "clinician-id");
  RO_STRING (PROP_STARTS_AT, "starts-at");
  RO_STRING (PROP_ENDS_AT, "ends-at");
  RO_STRING (PROP_STATUS, "status");
  RO_STRING (PROP_REASON, "reason");
#undef RO_STRING

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_appointment_init (RxAppointment *self)
{
}

#define GETTER(field) \
  const char * \
  rx_appointment_get_##field (RxAppointment *self) \
  { \
    g_return_val_if_fail (RX_IS_APPOINTMENT (self), NULL); \
    return self->field; \
  }
GETTER (id)
GETTER (patient_id)
GETTER (clinician_id)
GETTER (starts_at)
GETTER (ends_at)
GETTER (status)
GETTER (reason)
GETTER (patient_record)
#undef GETTER

/* "FAMILY, Given", as rx_patient_dup_display_name() writes it. */
const char *
rx_appointment_get_patient_name (RxAppointment *self)
{
  g_return_val_if_fail (RX_IS_APPOINTMENT (self), NULL);
  return self->patient_name;
}

/* The clinician's full name, or %NULL for the clinic's shared calendar. */
const char *
rx_appointment_get_clinician_name (RxAppointment *self)
{
  g_return_val_if_fail (RX_IS_APPOINTMENT (self), NULL);
  return self->clinician_name;
}

/* Times --------------------------------------------------------------------------------- */

/* Whether text has the given shape: '9' in the shape is any digit, anything else must match
 * exactly. */
gboolean
_rx_appointment_has_shape (const char *text,
                           const char *shape)
{
  if (strlen (text) != strlen (shape))
    return FALSE;

  for (guint i = 0; shape[i]; i++)
    if (shape[i] == '9' ? !g_ascii_isdigit (text[i]) : text[i] != shape[i])
      return FALSE;

  return TRUE;
}

/* Seconds since the epoch of a UTC time written exactly YYYY-MM-DDTHH:MM:SSZ. */
gboolean
_rx_appointment_parse_time (const char  *text,
                            const char  *what,
                            gint64      *out,
                            GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;

  if (text != NULL && _rx_appointment_has_shape (text, "9999-99-99T99:99:99Z"))
    dt = g_date_time_new_from_iso8601 (text, NULL);

  if (dt == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "%s “%s” is not a time; write it in UTC as YYYY-MM-DDTHH:MM:SSZ, "
                   "e.g. 2025-03-27T09:30:00Z", what, text ? text : "");
      return FALSE;
    }

  *out = g_date_time_to_unix (dt);
  return TRUE;
}

char *
_rx_appointment_format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* Seconds since the epoch of the start of a UTC day written YYYY-MM-DD. */
gboolean
_rx_appointment_parse_day (const char  *day,
                           gint64      *out,
                           GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;

  if (!rx_validate_date (day, "Day", error))
    return FALSE;

  dt = g_date_time_new_utc (atoi (day), atoi (day + 5), atoi (day + 8), 0, 0, 0);
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

/* Reads --------------------------------------------------------------------------------- */

/* The names come along so that a day's list is one audited read, not one per patient. */
#define APPOINTMENT_COLUMNS \
  "id, patient_id, clinician_id, starts_at, ends_at, status, reason, " \
  "(SELECT p.family_name FROM patients p WHERE p.id = appointments.patient_id), " \
  "(SELECT p.given_names FROM patients p WHERE p.id = appointments.patient_id), " \
  "(SELECT p.record_number FROM patients p WHERE p.id = appointments.patient_id), " \
  "(SELECT u.full_name FROM users u WHERE u.id = appointments.clinician_id)"

static RxAppointment *
appointment_from_stmt (sqlite3_stmt *stmt)
{
  RxAppointment *self = g_object_new (RX_TYPE_APPOINTMENT, NULL);
  g_autofree char *family = NULL;
  g_autofree char *upper = NULL;
  const char *given;

  self->id = _rx_stmt_dup_text (stmt, 0);
  self->patient_id = _rx_stmt_dup_text (stmt, 1);
  self->clinician_id = _rx_stmt_dup_text (stmt, 2);
  self->starts_at = _rx_stmt_dup_text (stmt, 3);
  self->ends_at = _rx_stmt_dup_text (stmt, 4);
  self->status = _rx_stmt_dup_text (stmt, 5);
  self->reason = _rx_stmt_dup_text (stmt, 6);
  self->patient_record = _rx_stmt_dup_text (stmt, 9);
  self->clinician_name = _rx_stmt_dup_text (stmt, 10);

  family = _rx_stmt_dup_text (stmt, 7);
  upper = g_utf8_strup (family ? family : "", -1);
  given = (const char *) sqlite3_column_text (stmt, 8);
  if (given == NULL || *given == '\0')
    self->patient_name = g_steal_pointer (&upper);
  else
    self->patient_name = g_strdup_printf ("%s, %s", upper, given);

  return self;
}

RxAppointment *
_rx_appointment_load (RxDb        *db,
                      const char  *id,
                      GError     **error)
{
  RxAppointment *self = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_db_prepare (db,
                         "SELECT " APPOINTMENT_COLUMNS " FROM appointments "
                         "WHERE id = ?1 AND deleted = 0", error);
  if (stmt == NULL)
    return NULL;

  _rx_stmt_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    self = appointment_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _rx_db_sqlite_error (db, rc, "Reading an appointment", error);
  else if (self == NULL)
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                 "There is no appointment with the id “%s”; look it up in the day's list",
                 id ? id : "");

  return self;
}

/**
 * rx_appointments_get:
 *
 * Returns: (transfer full): the appointment (the read is audited), or %NULL with @error set
 */
RxAppointment *
rx_appointments_get (RxDb        *db,
                     const char  *appointment_id,
                     GError     **error)
{
  g_autoptr(RxAppointment) self = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  self = _rx_appointment_load (db, appointment_id, error);
  if (self == NULL ||
      !_rx_db_audit (db, "read", "appointments", self->id, NULL, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * rx_appointments_list_day:
 * @day: a UTC day, YYYY-MM-DD
 *
 * Returns: (transfer full): a #GListModel of every #RxAppointment starting that day,
 *   cancelled ones included, by start time; the read is audited
 */
GListModel *
rx_appointments_list_day (RxDb        *db,
                          const char  *day,
                          GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_APPOINTMENT);
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  gint64 start;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (!_rx_appointment_parse_day (day, &start, error))
    return NULL;

  /* every stored time of that day sorts between "DAYT" and "DAYU" */
  from = g_strconcat (day, "T", NULL);
  until = g_strconcat (day, "U", NULL);
  stmt = _rx_db_prepare (db,
                         "SELECT " APPOINTMENT_COLUMNS " FROM appointments "
                         "WHERE deleted = 0 AND starts_at >= ?1 AND starts_at < ?2 "
                         "ORDER BY starts_at, rowid", error);
  if (stmt == NULL)
    return NULL;

  _rx_stmt_bind_text (stmt, 1, from);
  _rx_stmt_bind_text (stmt, 2, until);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RxAppointment) a = appointment_from_stmt (stmt);

      g_list_store_append (store, a);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Listing the day's appointments", error);
      return NULL;
    }

  detail = g_strdup_printf ("%s: %u results", day,
                            g_list_model_get_n_items (G_LIST_MODEL (store)));
  if (!_rx_db_audit (db, "list", "appointments", NULL, detail, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&store));
}

