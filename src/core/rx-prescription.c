/* rx-prescription.c: prescriptions. A prescription is written as a draft with its items in
 * one transaction; after that only its status moves, along the machine below, and every
 * move is also an event row so that two workstations' moves never overwrite each other. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-formulary.h"
#include "rx-prescription-private.h"
#include "rx-user.h"
#include "rx-validate.h"

struct _RxPrescription
{
  GObject               parent_instance;

  char                 *id;
  char                 *patient_id;
  char                 *prescriber_id;
  RxPrescriptionStatus  status;
  char                 *created_at;
  char                 *signed_at;
  char                 *notes;
  GPtrArray            *items;
};

G_DEFINE_FINAL_TYPE (RxPrescription, rx_prescription, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (RxPrescriptionItem, rx_prescription_item,
                     rx_prescription_item_copy, rx_prescription_item_free)

static const char * const status_names[] = {
  "draft", "signed", "partially_dispensed", "dispensed", "cancelled", "superseded", "expired",
  NULL
};

/* from -> allowed targets, as bits */
#define BIT(s) (1u << (s))
static const guint moves[] = {
  [RX_PRESCRIPTION_DRAFT] = BIT (RX_PRESCRIPTION_SIGNED) | BIT (RX_PRESCRIPTION_CANCELLED),
  [RX_PRESCRIPTION_SIGNED] = BIT (RX_PRESCRIPTION_PARTIALLY_DISPENSED) |
                             BIT (RX_PRESCRIPTION_DISPENSED) | BIT (RX_PRESCRIPTION_CANCELLED) |
                             BIT (RX_PRESCRIPTION_SUPERSEDED) | BIT (RX_PRESCRIPTION_EXPIRED),
  [RX_PRESCRIPTION_PARTIALLY_DISPENSED] = BIT (RX_PRESCRIPTION_PARTIALLY_DISPENSED) |
                                          BIT (RX_PRESCRIPTION_DISPENSED) |
                                          BIT (RX_PRESCRIPTION_CANCELLED) |
                                          BIT (RX_PRESCRIPTION_EXPIRED),
  [RX_PRESCRIPTION_DISPENSED] = 0,
  [RX_PRESCRIPTION_CANCELLED] = 0,
  [RX_PRESCRIPTION_SUPERSEDED] = 0,
  [RX_PRESCRIPTION_EXPIRED] = 0,
};

const char *
rx_prescription_status_to_string (RxPrescriptionStatus status)
{
  g_return_val_if_fail (status <= RX_PRESCRIPTION_EXPIRED, NULL);
  return status_names[status];
}

gboolean
rx_prescription_status_from_string (const char           *text,
                                    RxPrescriptionStatus *status)
{
  for (guint i = 0; status_names[i]; i++)
    if (g_strcmp0 (text, status_names[i]) == 0)
      {
        *status = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
rx_prescription_status_can_move (RxPrescriptionStatus from,
                                 RxPrescriptionStatus to)
{
  g_return_val_if_fail (from <= RX_PRESCRIPTION_EXPIRED, FALSE);
  g_return_val_if_fail (to <= RX_PRESCRIPTION_EXPIRED, FALSE);

  return (moves[from] & BIT (to)) != 0;
}

RxPrescriptionItem *
rx_prescription_item_copy (const RxPrescriptionItem *item)
{
  RxPrescriptionItem *copy = g_memdup2 (item, sizeof *item);

  copy->id = g_strdup (item->id);
  copy->product_id = g_strdup (item->product_id);
  copy->product_name = g_strdup (item->product_name);
  copy->dose = g_strdup (item->dose);
  copy->frequency = g_strdup (item->frequency);
  copy->route = g_strdup (item->route);
  copy->instructions = g_strdup (item->instructions);

  return copy;
}

void
rx_prescription_item_free (RxPrescriptionItem *item)
{
  if (item == NULL)
    return;

  g_free (item->id);
  g_free (item->product_id);
  g_free (item->product_name);
  g_free (item->dose);
  g_free (item->frequency);
  g_free (item->route);
  g_free (item->instructions);
  g_free (item);
}

static void
rx_prescription_finalize (GObject *object)
{
  RxPrescription *self = (RxPrescription *) object;

  g_free (self->id);
  g_free (self->patient_id);
  g_free (self->prescriber_id);
  g_free (self->created_at);
  g_free (self->signed_at);
  g_free (self->notes);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (rx_prescription_parent_class)->finalize (object);
}

static void
rx_prescription_class_init (RxPrescriptionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rx_prescription_finalize;
}

static void
rx_prescription_init (RxPrescription *self)
{
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_prescription_item_free);
}

const char *
rx_prescription_get_id (RxPrescription *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION (self), NULL);
  return self->id;
}

const char *
rx_prescription_get_patient_id (RxPrescription *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION (self), NULL);
  return self->patient_id;
}

const char *
rx_prescription_get_prescriber_id (RxPrescription *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION (self), NULL);
  return self->prescriber_id;
}

RxPrescriptionStatus
rx_prescription_get_status (RxPrescription *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION (self), RX_PRESCRIPTION_DRAFT);
  return self->status;
}

const char *
rx_prescription_get_created_at (RxPrescription *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION (self), NULL);
  return self->created_at;
}

const char *
rx_prescription_get_signed_at (RxPrescription *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION (self), NULL);
  return self->signed_at;
}

const char *
rx_prescription_get_notes (RxPrescription *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION (self), NULL);
  return self->notes;
}

GPtrArray *
rx_prescription_get_items (RxPrescription *self)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION (self), NULL);
  return self->items;
}

/* Writing --------------------------------------------------------------------------------- */

static gboolean
check_item (RxDb                *db,
            const RxItemFields  *f,
            guint                position,
            RxProduct          **product,
            GError             **error)
{
  g_autofree char *what = g_strdup_printf ("Item %u", position + 1);

  if (f->product == NULL || *f->product == '\0')
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "%s has no medicine; choose one from the formulary", what);
      return FALSE;
    }
  *product = rx_formulary_get (db, f->product, error);
  if (*product == NULL)
    {
      g_prefix_error (error, "%s: ", what);
      return FALSE;
    }
  if (f->quantity <= 0 || f->quantity > 100000)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "%s: the quantity must be a whole number from 1 to 100 000", what);
      return FALSE;
    }
  if (f->repeats < 0 || f->repeats > 12)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "%s: repeats must be between 0 and 12", what);
      return FALSE;
    }
  if (f->duration_days < 0 || f->duration_days > 366)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "%s: the duration must be between 1 and 366 days", what);
      return FALSE;
    }

  return rx_validate_text (f->dose, "The dose", 60, FALSE, error) &&
         rx_validate_text (f->frequency, "The frequency", 60, FALSE, error) &&
         rx_validate_text (f->route, "The route", 40, FALSE, error) &&
         rx_validate_text (f->instructions, "The instructions", 500, FALSE, error);
}

static gboolean
add_event_at (RxDb        *db,
              const char  *rx_id,
              const char  *from,
              const char  *to,
              const char  *reason,
              const char  *at,
              GError     **error)
{
  g_autoptr(RxRow) row = _rx_row_new_insert ("prescription_events");

  _rx_row_set_text (row, "prescription_id", rx_id);
  _rx_row_set_text (row, "from_status", from);
  _rx_row_set_text (row, "to_status", to);
  _rx_row_set_text (row, "reason", reason);
  _rx_row_set_text (row, "at", at);

  return _rx_db_put (db, row, error);
}

static gboolean
add_event (RxDb        *db,
           const char  *rx_id,
           const char  *from,
           const char  *to,
           const char  *reason,
           GError     **error)
{
  g_autofree char *now = rx_db_now_iso (db);

  return add_event_at (db, rx_id, from, to, reason, now, error);
}

RxPrescription *
rx_prescriptions_create (RxDb                *db,
                         const char          *patient_id,
                         const char          *prescriber,
                         const RxItemFields  *items,
                         guint                n_items,
                         const char          *notes,
                         GError             **error)
{
  g_autofree char *id = _rx_prescriptions_insert (db, patient_id, prescriber, items, n_items,
                                                  notes, error);

  if (id == NULL)
    return NULL;

  return _rx_prescriptions_load (db, id, error);
}

char *
_rx_prescriptions_insert (RxDb                *db,
                          const char          *patient_id,
                          const char          *prescriber,
                          const RxItemFields  *items,
                          guint                n_items,
                          const char          *notes,
                          GError             **error)
{
  g_autoptr(RxUser) doctor = NULL;
  g_autoptr(RxRow) row = NULL;
  g_autofree char *now = NULL;
  g_autofree char *id = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  gboolean patient_ok;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (!_rx_db_require (db, RX_ACTION_PRESCRIPTION_WRITE, error))
    return NULL;

  if (n_items == 0 || n_items > 20)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "A prescription needs from 1 to 20 items");
      return NULL;
    }
  if (!rx_validate_text (notes, "Notes", 1000, FALSE, error))
    return NULL;

  doctor = rx_users_find (db, prescriber ? prescriber : "", error);
  if (doctor == NULL)
    return NULL;
  if (rx_db_get_user (db) != NULL &&
      g_strcmp0 (rx_user_get_id (rx_db_get_user (db)), rx_user_get_id (doctor)) != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                   "Prescriptions are written in the prescriber's own name; log in as %s to "
                   "write one for them", rx_user_get_username (doctor));
      return NULL;
    }
  if (rx_user_get_role (doctor) != RX_ROLE_DOCTOR ||
      g_strcmp0 (rx_user_get_state (doctor), "active") != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                   "%s is not an active doctor; only doctors can write prescriptions",
                   rx_user_get_username (doctor));
      return NULL;
    }

  stmt = _rx_db_prepare (db, "SELECT 1 FROM patients WHERE id = ?1 AND deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, patient_id);
  patient_ok = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (!patient_ok)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no patient “%s”; find them with a patient search first",
                   patient_id ? patient_id : "");
      return NULL;
    }

  if (!rx_db_begin (db, error))
    return NULL;

  now = rx_db_now_iso (db);
  row = _rx_row_new_insert ("prescriptions");
  _rx_row_set_text (row, "patient_id", patient_id);
  _rx_row_set_text (row, "prescriber_id", rx_user_get_id (doctor));
  _rx_row_set_text (row, "site_id", rx_db_get_site_id (db));
  _rx_row_set_text (row, "status", "draft");
  _rx_row_set_text (row, "notes", notes);
  _rx_row_set_text (row, "created_at", now);
  if (!_rx_db_put (db, row, error))
    goto fail;
  id = g_strdup (_rx_row_get_id (row));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(RxProduct) product = NULL;
      g_autoptr(RxRow) item = NULL;

      if (!check_item (db, &items[i], i, &product, error))
        goto fail;

      item = _rx_row_new_insert ("prescription_items");
      _rx_row_set_text (item, "prescription_id", id);
      _rx_row_set_int (item, "position", i);
      _rx_row_set_text (item, "product_id", rx_product_get_id (product));
      _rx_row_set_text (item, "dose", items[i].dose);
      _rx_row_set_text (item, "frequency", items[i].frequency);
      _rx_row_set_text (item, "route", items[i].route ? items[i].route
                                                      : rx_product_get_route (product));
      if (items[i].duration_days > 0)
        _rx_row_set_int (item, "duration_days", items[i].duration_days);
      _rx_row_set_int (item, "quantity", items[i].quantity);
      _rx_row_set_int (item, "repeats", items[i].repeats);
      _rx_row_set_text (item, "instructions", items[i].instructions);
      if (!_rx_db_put (db, item, error))
        goto fail;
    }

  detail = g_strdup_printf ("%u items for patient %s", n_items, patient_id);
  if (!add_event (db, id, NULL, "draft", NULL, error) ||
      !_rx_db_audit (db, "create", "prescriptions", id, detail, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return g_steal_pointer (&id);

fail:
  rx_db_rollback (db);
  return NULL;
}

/* Past prescriptions for demo and benchmark data, written in their final state with the
 * events that led there, inside the caller's transaction (which audits the batch). Only
 * rx-demo-history.c uses it (and signs them); real ones are created as drafts and signed. */
char *
_rx_prescriptions_insert_history (RxDb                 *db,
                                  const char           *patient_id,
                                  const char           *prescriber_id,
                                  const RxItemFields   *items,
                                  guint                 n_items,
                                  RxPrescriptionStatus  final_status,
                                  const char           *created_at,
                                  const char           *signed_at,
                                  const char           *ended_at,
                                  GError              **error)
{
  g_autoptr(RxRow) row = _rx_row_new_insert ("prescriptions");
  g_autoptr(RxRow) final = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (_rx_db_in_transaction (db), NULL);
  g_return_val_if_fail (final_status != RX_PRESCRIPTION_DRAFT, NULL);

  _rx_row_set_text (row, "patient_id", patient_id);
  _rx_row_set_text (row, "prescriber_id", prescriber_id);
  _rx_row_set_text (row, "site_id", rx_db_get_site_id (db));
  _rx_row_set_text (row, "status", "draft");
  _rx_row_set_text (row, "created_at", created_at);
  if (!_rx_db_put (db, row, error))
    return NULL;
  id = g_strdup (_rx_row_get_id (row));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(RxRow) item = _rx_row_new_insert ("prescription_items");

      _rx_row_set_text (item, "prescription_id", id);
      _rx_row_set_int (item, "position", i);
      _rx_row_set_text (item, "product_id", items[i].product);
      _rx_row_set_text (item, "dose", items[i].dose);
      _rx_row_set_text (item, "frequency", items[i].frequency);
      _rx_row_set_text (item, "route", items[i].route);
      if (items[i].duration_days > 0)
        _rx_row_set_int (item, "duration_days", items[i].duration_days);
      _rx_row_set_int (item, "quantity", items[i].quantity);
      _rx_row_set_int (item, "repeats", items[i].repeats);
      _rx_row_set_text (item, "instructions", items[i].instructions);
      if (!_rx_db_put (db, item, error))
        return NULL;
    }

  /* items first, then the status: the schema freezes the items of anything not a draft */
  final = _rx_row_new_update ("prescriptions", id);
  _rx_row_set_text (final, "status", rx_prescription_status_to_string (final_status));
  _rx_row_set_text (final, "signed_at", signed_at);
  if (!_rx_db_put (db, final, error) ||
      !add_event_at (db, id, "draft", "signed", NULL, signed_at, error))
    return NULL;
  if (final_status != RX_PRESCRIPTION_SIGNED &&
      !add_event_at (db, id, "signed", rx_prescription_status_to_string (final_status),
                     final_status == RX_PRESCRIPTION_CANCELLED ? "changed to another medicine"
                                                               : NULL,
                     ended_at, error))
    return NULL;

  return g_steal_pointer (&id);
}

static gboolean
current_status (RxDb                  *db,
                const char            *id,
                RxPrescriptionStatus  *status,
                GError               **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *text = NULL;

  stmt = _rx_db_prepare (db, "SELECT status FROM prescriptions WHERE id = ?1 AND deleted = 0",
                         error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  if (text == NULL || !rx_prescription_status_from_string (text, status))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no prescription “%s”", id ? id : "");
      return FALSE;
    }

  return TRUE;
}

gboolean
_rx_prescriptions_move (RxDb                  *db,
                        const char            *id,
                        RxPrescriptionStatus   to,
                        const char            *reason,
                        GError               **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autofree char *now = NULL;
  RxPrescriptionStatus from;

  if (!rx_db_begin (db, error))
    return FALSE;

  if (!current_status (db, id, &from, error))
    goto fail;

  if (!rx_prescription_status_can_move (from, to))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
                   "A %s prescription cannot become %s", rx_prescription_status_to_string (from),
                   rx_prescription_status_to_string (to));
      goto fail;
    }

  now = rx_db_now_iso (db);
  row = _rx_row_new_update ("prescriptions", id);
  _rx_row_set_text (row, "status", rx_prescription_status_to_string (to));
  if (to == RX_PRESCRIPTION_SIGNED)
    _rx_row_set_text (row, "signed_at", now);

  if (!_rx_db_put (db, row, error) ||
      !add_event (db, id, rx_prescription_status_to_string (from),
                  rx_prescription_status_to_string (to), reason, error) ||
      !_rx_db_audit (db, rx_prescription_status_to_string (to), "prescriptions", id, reason,
                     error) ||
      !rx_db_commit (db, error))
    goto fail;

  return TRUE;

fail:
  rx_db_rollback (db);
  return FALSE;
}

/* The moves anyone with the right role may make directly. Signing needs the prescriber's
 * key and dispensing needs stock movements, so those go through their own APIs. */
gboolean
rx_prescriptions_set_status (RxDb                  *db,
                             const char            *id,
                             RxPrescriptionStatus   to,
                             const char            *reason,
                             GError               **error)
{
  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!_rx_db_require (db, RX_ACTION_PRESCRIPTION_CANCEL, error))
    return FALSE;

  if (to != RX_PRESCRIPTION_CANCELLED && to != RX_PRESCRIPTION_EXPIRED)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
                   "A prescription becomes %s only by being %s",
                   rx_prescription_status_to_string (to),
                   to == RX_PRESCRIPTION_SIGNED ? "signed by its prescriber"
                   : to == RX_PRESCRIPTION_SUPERSEDED ? "replaced by a new version"
                   : "dispensed");
      return FALSE;
    }

  if (to == RX_PRESCRIPTION_CANCELLED &&
      (reason == NULL || !rx_validate_text (reason, "The reason", 300, TRUE, error)))
    {
      if (reason == NULL)
        g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                     "Cancelling a prescription needs a reason");
      return FALSE;
    }

  return _rx_prescriptions_move (db, id, to, reason, error);
}

/**
 * rx_prescriptions_supersede:
 * @old_id: a signed prescription, not yet dispensed
 * @new_id: the signed prescription that replaces it, for the same patient
 * @reason: why, for the pharmacy and the audit (required)
 *
 * A signed prescription is never edited: a change is a new prescription, signed, that
 * supersedes the old one. In one transaction the new one records which it replaces and the
 * old one moves to "superseded" with the reason, as a status event and an audit record.
 */
gboolean
rx_prescriptions_supersede (RxDb        *db,
                            const char  *old_id,
                            const char  *new_id,
                            const char  *reason,
                            GError     **error)
{
  g_autoptr(RxPrescription) old_rx = NULL;
  g_autoptr(RxPrescription) new_rx = NULL;
  g_autoptr(RxRow) row = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (old_id != NULL && new_id != NULL, FALSE);

  if (!_rx_db_require (db, RX_ACTION_PRESCRIPTION_WRITE, error))
    return FALSE;

  if (reason == NULL || !rx_validate_text (reason, "The reason", 300, TRUE, error))
    {
      if (reason == NULL)
        g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                     "Superseding a prescription needs a reason");
      return FALSE;
    }

  if (g_strcmp0 (old_id, new_id) == 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "A prescription cannot supersede itself");
      return FALSE;
    }

  if ((old_rx = rx_prescriptions_get (db, old_id, error)) == NULL ||
      (new_rx = rx_prescriptions_get (db, new_id, error)) == NULL)
    return FALSE;

  if (g_strcmp0 (rx_prescription_get_patient_id (old_rx),
                 rx_prescription_get_patient_id (new_rx)) != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Prescription %s is for another patient, so it cannot supersede %s",
                   new_id, old_id);
      return FALSE;
    }

  if (rx_prescription_get_status (new_rx) != RX_PRESCRIPTION_SIGNED)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
                   "The new prescription is %s; sign it before it supersedes %s",
                   rx_prescription_status_to_string (rx_prescription_get_status (new_rx)),
                   old_id);
      return FALSE;
    }

  if (!rx_db_begin (db, error))
    return FALSE;

  row = _rx_row_new_update ("prescriptions", new_id);
  _rx_row_set_text (row, "supersedes_id", old_id);
  if (!_rx_db_put (db, row, error) ||
      !_rx_prescriptions_move (db, old_id, RX_PRESCRIPTION_SUPERSEDED, reason, error) ||
      !rx_db_commit (db, error))
    {
      rx_db_rollback (db);
      return FALSE;
    }

  return TRUE;
}

/* Reading --------------------------------------------------------------------------------- */

#define RX_SELECT \
  "SELECT id, patient_id, prescriber_id, status, created_at, signed_at, notes FROM prescriptions "

static RxPrescription *
prescription_from_stmt (sqlite3_stmt *stmt)
{
  RxPrescription *self = g_object_new (RX_TYPE_PRESCRIPTION, NULL);

  self->id = _rx_stmt_dup_text (stmt, 0);
  self->patient_id = _rx_stmt_dup_text (stmt, 1);
  self->prescriber_id = _rx_stmt_dup_text (stmt, 2);
  rx_prescription_status_from_string ((const char *) sqlite3_column_text (stmt, 3),
                                      &self->status);
  self->created_at = _rx_stmt_dup_text (stmt, 4);
  self->signed_at = _rx_stmt_dup_text (stmt, 5);
  self->notes = _rx_stmt_dup_text (stmt, 6);

  return self;
}

static gboolean
load_items (RxDb            *db,
            RxPrescription  *self,
            GError         **error)
{
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db,
                         "SELECT i.id, i.position, i.product_id, "
                         "  d.inn || ' ' || p.strength || ' ' || p.form, i.dose, i.frequency, "
                         "  i.route, coalesce (i.duration_days, 0), i.quantity, i.repeats, "
                         "  i.instructions "
                         "FROM prescription_items i JOIN products p ON p.id = i.product_id "
                         "JOIN drugs d ON d.id = p.drug_id "
                         "WHERE i.prescription_id = ?1 AND i.deleted = 0 ORDER BY i.position",
                         error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, self->id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RxPrescriptionItem *item = g_new0 (RxPrescriptionItem, 1);

      item->id = _rx_stmt_dup_text (stmt, 0);
      item->position = sqlite3_column_int (stmt, 1);
      item->product_id = _rx_stmt_dup_text (stmt, 2);
      item->product_name = _rx_stmt_dup_text (stmt, 3);
      item->dose = _rx_stmt_dup_text (stmt, 4);
      item->frequency = _rx_stmt_dup_text (stmt, 5);
      item->route = _rx_stmt_dup_text (stmt, 6);
      item->duration_days = sqlite3_column_int (stmt, 7);
      item->quantity = sqlite3_column_int64 (stmt, 8);
      item->repeats = sqlite3_column_int (stmt, 9);
      item->instructions = _rx_stmt_dup_text (stmt, 10);
      g_ptr_array_add (self->items, item);
    }
  sqlite3_reset (stmt);

  return TRUE;
}

/* The prescription with its items, without the audited read: for a prescription its writer
 * has just saved (the write is audited), where a failing audit write (a full disk) must not
 * make a saved prescription look unsaved. */
RxPrescription *
_rx_prescriptions_load (RxDb        *db,
                        const char  *id,
                        GError     **error)
{
  g_autoptr(RxPrescription) self = NULL;
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db, RX_SELECT "WHERE id = ?1 AND deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    self = prescription_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (self == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no prescription “%s”; “rx list” shows them", id);
      return NULL;
    }

  if (!load_items (db, self, error))
    return NULL;

  return g_steal_pointer (&self);
}

RxPrescription *
rx_prescriptions_get (RxDb        *db,
                      const char  *id,
                      GError     **error)
{
  g_autoptr(RxPrescription) self = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!_rx_db_require (db, RX_ACTION_PRESCRIPTION_READ, error))
    return NULL;

  self = _rx_prescriptions_load (db, id, error);
  if (self == NULL ||
      !_rx_db_audit (db, "read", "prescriptions", id, self->patient_id, error))
    return NULL;

  return g_steal_pointer (&self);
}

GListModel *
rx_prescriptions_list (RxDb        *db,
                       const char  *patient_id,
                       int          status,
                       guint        limit,
                       GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_PRESCRIPTION);
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (!_rx_db_require (db, RX_ACTION_PRESCRIPTION_READ, error))
    return NULL;

  stmt = _rx_db_prepare (db, RX_SELECT
                         "WHERE deleted = 0 AND (?1 IS NULL OR patient_id = ?1) "
                         "AND (?2 IS NULL OR status = ?2) ORDER BY created_at DESC LIMIT ?3",
                         error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, patient_id);
  _rx_stmt_bind_text (stmt, 2, status >= 0 ? rx_prescription_status_to_string (status) : NULL);
  sqlite3_bind_int (stmt, 3, limit ? limit : 100);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(RxPrescription) p = prescription_from_stmt (stmt);

      g_list_store_append (store, p);
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(RxPrescription) p = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (!load_items (db, p, error))
        return NULL;
    }

  detail = g_strdup_printf ("%u prescriptions", g_list_model_get_n_items (G_LIST_MODEL (store)));
  if (!_rx_db_audit (db, "list", "prescriptions", patient_id, detail, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&store));
}
