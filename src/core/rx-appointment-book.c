/* rx-appointment-book.c: booking, moving and following appointments through the day, and
 * the free times the assistant and reception offer. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <stdlib.h>

#include "rx-appointment-private.h"
#include "rx-core-error.h"
#include "rx-records-private.h"
#include "rx-validate.h"

#define MIN_MINUTES  5
#define MAX_MINUTES  480
#define SLOT_GRAIN   (5 * 60)   /* free times start on a 5-minute boundary */

/* booked -> checked_in -> completed; booked -> cancelled | no_show; checked_in -> cancelled */
static const char * const moves[] = {
  "booked", "checked_in",
  "booked", "cancelled",
  "booked", "no_show",
  "checked_in", "completed",
  "checked_in", "cancelled",
  NULL
};

/* Appointments that hold their time; a cancelled or missed one frees it. */
#define HOLDS_TIME "status IN ('booked', 'checked_in', 'completed')"

/* Minutes into the day of HH:MM (00:00 to 24:00). */
static gboolean
parse_clock (const char  *text,
             const char  *what,
             int         *out,
             GError     **error)
{
  int minutes = -1;

  if (text != NULL && _rx_appointment_has_shape (text, "99:99") && atoi (text + 3) < 60)
    minutes = atoi (text) * 60 + atoi (text + 3);

  if (minutes < 0 || minutes > 24 * 60)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "%s “%s” is not a time of day; write it as HH:MM, e.g. 08:00",
                   what, text ? text : "");
      return FALSE;
    }

  *out = minutes;
  return TRUE;
}

static gboolean
validate_minutes (guint    minutes,
                  GError **error)
{
  if (minutes >= MIN_MINUTES && minutes <= MAX_MINUTES)
    return TRUE;

  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
               "An appointment lasts %d to %d minutes, not %u; choose a length in that range",
               MIN_MINUTES, MAX_MINUTES, minutes);
  return FALSE;
}

/* Refuses a time that overlaps another appointment of the same clinician (or of the shared
 * calendar when there is none), naming the one it clashes with. */
static gboolean
check_free (RxDb        *db,
            const char  *clinician_id,
            const char  *except_id,
            const char  *starts_at,
            const char  *ends_at,
            GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *clash_start = NULL;
  g_autofree char *clash_end = NULL;
  int rc;

  stmt = _rx_db_prepare (db,
                         "SELECT starts_at, ends_at FROM appointments "
                         "WHERE deleted = 0 AND " HOLDS_TIME " AND clinician_id IS ?1 "
                         "AND id IS NOT ?2 AND starts_at < ?4 AND ends_at > ?3 "
                         "ORDER BY starts_at LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;

  _rx_stmt_bind_text (stmt, 1, clinician_id);
  _rx_stmt_bind_text (stmt, 2, except_id);
  _rx_stmt_bind_text (stmt, 3, starts_at);
  _rx_stmt_bind_text (stmt, 4, ends_at);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      clash_start = _rx_stmt_dup_text (stmt, 0);
      clash_end = _rx_stmt_dup_text (stmt, 1);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _rx_db_sqlite_error (db, rc, "Checking the appointment book", error);

  if (clash_start != NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_EXISTS,
                   "%s already has an appointment from %s to %s, which overlaps %s to %s; "
                   "choose another time",
                   clinician_id ? "The clinician" : "The clinic's shared calendar",
                   clash_start, clash_end, starts_at, ends_at);
      return FALSE;
    }

  return TRUE;
}

/* Writes -------------------------------------------------------------------------------- */

/**
 * rx_appointments_book:
 * @clinician_id: (nullable): the clinician seen, or %NULL for the clinic's shared calendar
 * @starts_at: the UTC start, YYYY-MM-DDTHH:MM:SSZ
 * @minutes: the length, 5 to 480
 * @reason: (nullable): why the patient comes
 *
 * Returns: (transfer full): the booked appointment, or %NULL with @error set
 *   (%RX_CORE_ERROR_EXISTS when the time is taken)
 */
RxAppointment *
rx_appointments_book (RxDb        *db,
                      const char  *patient_id,
                      const char  *clinician_id,
                      const char  *starts_at,
                      guint        minutes,
                      const char  *reason,
                      GError     **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  g_autofree char *clean_reason = NULL;
  g_autofree char *id = NULL;
  gint64 start;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (!_rx_db_require (db, RX_ACTION_APPOINTMENT_WRITE, error))
    return NULL;

  if (!_rx_appointment_parse_time (starts_at, "The appointment time", &start, error) ||
      !validate_minutes (minutes, error) ||
      !rx_validate_text (reason, "Reason", 200, FALSE, error) ||
      !_rx_records_require (db, "patients", patient_id, "patient", error) ||
      (clinician_id != NULL &&
       !_rx_records_require (db, "users", clinician_id, "clinician", error)))
    return NULL;

  start_text = _rx_appointment_format_time (start);
  end_text = _rx_appointment_format_time (start + minutes * 60);
  clean_reason = _rx_records_dup_optional (reason);

  if (!rx_db_begin (db, error))
    return NULL;

  if (!check_free (db, clinician_id, NULL, start_text, end_text, error))
    goto fail;

  row = _rx_row_new_insert ("appointments");
  _rx_row_set_text (row, "patient_id", patient_id);
  _rx_row_set_text (row, "clinician_id", clinician_id);
  _rx_row_set_text (row, "site_id", rx_db_get_site_id (db));
  _rx_row_set_text (row, "starts_at", start_text);
  _rx_row_set_text (row, "ends_at", end_text);
  _rx_row_set_text (row, "status", "booked");
  _rx_row_set_text (row, "reason", clean_reason);

  if (!_rx_db_put (db, row, error))
    goto fail;
  id = g_strdup (_rx_row_get_id (row));

  if (!_rx_db_audit (db, "create", "appointments", id, start_text, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return _rx_appointment_load (db, id, error);

fail:
  rx_db_rollback (db);
  return NULL;
}

/**
 * rx_appointments_move:
 * @starts_at: the new UTC start
 * @minutes: the new length, or 0 to keep the present one
 *
 * Moves a booked appointment (one already checked in or over stays where it is).
 */
gboolean
rx_appointments_move (RxDb        *db,
                      const char  *appointment_id,
                      const char  *starts_at,
                      guint        minutes,
                      GError     **error)
{
  g_autoptr(RxAppointment) a = NULL;
  g_autoptr(RxRow) row = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  g_autofree char *detail = NULL;
  gint64 start, old_start, old_end;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (!_rx_db_require (db, RX_ACTION_APPOINTMENT_WRITE, error))
    return FALSE;

  if (!_rx_appointment_parse_time (starts_at, "The new appointment time", &start, error) ||
      (minutes != 0 && !validate_minutes (minutes, error)))
    return FALSE;

  if (!rx_db_begin (db, error))
    return FALSE;

  a = _rx_appointment_load (db, appointment_id, error);
  if (a == NULL)
    goto fail;

  if (!g_str_equal (a->status, "booked"))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
                   "The appointment is %s; only a booked appointment can be moved, book a new "
                   "one instead", a->status);
      goto fail;
    }

  if (minutes == 0 &&
      (!_rx_appointment_parse_time (a->starts_at, "The stored start", &old_start, error) ||
       !_rx_appointment_parse_time (a->ends_at, "The stored end", &old_end, error)))
    goto fail;

  start_text = _rx_appointment_format_time (start);
  end_text = _rx_appointment_format_time (start + (minutes ? minutes * 60
                                                            : old_end - old_start));
  if (!check_free (db, a->clinician_id, a->id, start_text, end_text, error))
    goto fail;

  row = _rx_row_new_update ("appointments", a->id);
  _rx_row_set_text (row, "starts_at", start_text);
  _rx_row_set_text (row, "ends_at", end_text);

  detail = g_strdup_printf ("%s -> %s", a->starts_at, start_text);
  if (!_rx_db_put (db, row, error) ||
      !_rx_db_audit (db, "move", "appointments", a->id, detail, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return TRUE;

fail:
  rx_db_rollback (db);
  return FALSE;
}

/* Moves an appointment along the status machine; @note (nullable) says why, in the audit. */
static gboolean
change_status (RxDb        *db,
               const char  *appointment_id,
               const char  *status,
               const char  *note,
               GError     **error)
{
  g_autoptr(RxAppointment) a = NULL;
  g_autoptr(RxRow) row = NULL;
  g_autofree char *detail = NULL;

  if (!_rx_db_require (db, RX_ACTION_APPOINTMENT_WRITE, error))
    return FALSE;

  if (!rx_db_begin (db, error))
    return FALSE;

  a = _rx_appointment_load (db, appointment_id, error);
  if (a == NULL ||
      !_rx_records_check_move (moves, "appointment", a->status, status, error))
    goto fail;

  row = _rx_row_new_update ("appointments", a->id);
  _rx_row_set_text (row, "status", status);

  if (note != NULL)
    detail = g_strdup_printf ("%s -> %s: %s", a->status, status, note);
  else
    detail = g_strdup_printf ("%s -> %s", a->status, status);
  if (!_rx_db_put (db, row, error) ||
      !_rx_db_audit (db, "status", "appointments", a->id, detail, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return TRUE;

fail:
  rx_db_rollback (db);
  return FALSE;
}

/**
 * rx_appointments_set_status:
 * @status: checked_in, completed, cancelled or no_show
 *
 * Moves an appointment along: booked → checked_in → completed; booked → cancelled or
 * no_show; checked_in → cancelled. Anything else is %RX_CORE_ERROR_TRANSITION.
 */
gboolean
rx_appointments_set_status (RxDb        *db,
                            const char  *appointment_id,
                            const char  *status,
                            GError     **error)
{
  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  return change_status (db, appointment_id, status, NULL, error);
}

/**
 * rx_appointments_cancel:
 * @reason: why, as the person cancelling gives it (required)
 *
 * Cancels a booked or checked-in appointment, which frees its time. The reason travels with
 * the audit event of the change, so every workstation's trail says why.
 */
gboolean
rx_appointments_cancel (RxDb        *db,
                        const char  *appointment_id,
                        const char  *reason,
                        GError     **error)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (!_rx_db_require (db, RX_ACTION_APPOINTMENT_WRITE, error) ||
      !rx_validate_text (reason, "The reason for cancelling", 200, TRUE, error))
    return FALSE;

  clean = g_strstrip (g_strdup (reason));
  return change_status (db, appointment_id, "cancelled", clean, error);
}

/* Free times ---------------------------------------------------------------------------- */

static gint64
round_up (gint64 t)
{
  return (t + SLOT_GRAIN - 1) / SLOT_GRAIN * SLOT_GRAIN;
}

/* The [start, end) pairs, in seconds, that hold time between `from` and `until`. */
static GArray *
busy_times (RxDb        *db,
            const char  *clinician_id,
            gint64       from,
            gint64       until,
            GError     **error)
{
  g_autoptr(GArray) busy = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *from_text = _rx_appointment_format_time (from);
  g_autofree char *until_text = _rx_appointment_format_time (until);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_db_prepare (db,
                         "SELECT starts_at, ends_at FROM appointments "
                         "WHERE deleted = 0 AND " HOLDS_TIME " AND clinician_id IS ?1 "
                         "AND starts_at < ?3 AND ends_at > ?2 ORDER BY starts_at", error);
  if (stmt == NULL)
    return NULL;

  _rx_stmt_bind_text (stmt, 1, clinician_id);
  _rx_stmt_bind_text (stmt, 2, from_text);
  _rx_stmt_bind_text (stmt, 3, until_text);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *b_start = (const char *) sqlite3_column_text (stmt, 0);
      const char *b_end = (const char *) sqlite3_column_text (stmt, 1);
      gint64 pair[2];

      if (!_rx_appointment_parse_time (b_start, "A stored start", &pair[0], error) ||
          !_rx_appointment_parse_time (b_end, "A stored end", &pair[1], error))
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_array_append_vals (busy, pair, 2);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Reading the appointment book", error);
      return NULL;
    }

  return g_steal_pointer (&busy);
}

/**
 * rx_appointments_free_slots:
 * @clinician_id: (nullable): whose book, or %NULL for the shared calendar
 * @day: a UTC day, YYYY-MM-DD
 * @minutes: the length wanted, 5 to 480
 * @opening: when the clinic opens that day, HH:MM (UTC)
 * @closing: when it closes, HH:MM (UTC)
 *
 * Start times at which an appointment of @minutes fits between opening and closing without
 * overlapping a booking and not in the past. Offers do not overlap each other: after a
 * booking the next offer starts at its end, rounded up to 5 minutes.
 *
 * Returns: (transfer full): the free UTC start times (possibly none), or %NULL with @error
 */
GStrv
rx_appointments_free_slots (RxDb        *db,
                            const char  *clinician_id,
                            const char  *day,
                            guint        minutes,
                            const char  *opening,
                            const char  *closing,
                            GError     **error)
{
  g_autoptr(GStrvBuilder) slots = g_strv_builder_new ();
  g_autoptr(GArray) busy = NULL;
  gint64 midnight, open_at, close_at, now, t, length;
  int open_minutes, close_minutes;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (!_rx_appointment_parse_day (day, &midnight, error) ||
      !validate_minutes (minutes, error) ||
      !parse_clock (opening, "Opening time", &open_minutes, error) ||
      !parse_clock (closing, "Closing time", &close_minutes, error) ||
      (clinician_id != NULL &&
       !_rx_records_require (db, "users", clinician_id, "clinician", error)))
    return NULL;

  if (open_minutes >= close_minutes)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Opening time %s is not before closing time %s", opening, closing);
      return NULL;
    }

  open_at = midnight + open_minutes * 60;
  close_at = midnight + close_minutes * 60;
  length = minutes * 60;
  now = rx_db_now (db) / G_USEC_PER_SEC;

  busy = busy_times (db, clinician_id, open_at, close_at, error);
  if (busy == NULL)
    return NULL;

  t = open_at;
  while (t + length <= close_at)
    {
      g_autofree char *slot = NULL;
      gint64 blocked_until = 0;

      if (t < now)
        {
          t = round_up (now);
          continue;
        }

      for (guint i = 0; i < busy->len; i += 2)
        {
          gint64 b_start = g_array_index (busy, gint64, i);
          gint64 b_end = g_array_index (busy, gint64, i + 1);

          if (b_start < t + length && b_end > t)
            blocked_until = MAX (blocked_until, b_end);
        }

      if (blocked_until > 0)
        {
          t = round_up (blocked_until);
          continue;
        }

      slot = _rx_appointment_format_time (t);
      g_strv_builder_add (slots, slot);
      t += length;
    }

  return g_strv_builder_end (slots);
}
