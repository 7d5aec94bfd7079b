/* rx-dispense-entry.c: a prescription as the dispensary sees it (RxDispenseEntry): its
 * items with what was prescribed, dispensed and remains, the in-date stock for each, and
 * whether its signature holds; loaded from the rows, read-only. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-dispense-private.h"
#include "rx-stock-private.h"

struct _RxDispenseEntry
{
  GObject               parent_instance;

  char                 *prescription_id;
  char                 *patient_id;
  char                 *patient_name;
  char                 *record_number;
  char                 *prescriber_name;
  RxPrescriptionStatus  status;
  char                 *signed_at;
  gboolean              verified;
  char                 *verify_reason;
  GPtrArray            *items;  /* of RxDispenseItem, by number */
};

G_DEFINE_FINAL_TYPE (RxDispenseEntry, rx_dispense_entry, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (RxBatchPick, rx_batch_pick, rx_batch_pick_copy, rx_batch_pick_free)
G_DEFINE_BOXED_TYPE (RxDispenseItem, rx_dispense_item, rx_dispense_item_copy,
                     rx_dispense_item_free)

enum {
  PROP_0,
  PROP_PRESCRIPTION_ID,
  PROP_PATIENT_NAME,
  PROP_RECORD_NUMBER,
  PROP_STATUS,
  PROP_VERIFIED,
  PROP_VERIFY_REASON,
  PROP_REMAINING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Boxed types ----------------------------------------------------------------------------- */

RxBatchPick *
rx_batch_pick_copy (const RxBatchPick *pick)
{
  RxBatchPick *copy = g_memdup2 (pick, sizeof *pick);

  copy->batch_id = g_strdup (pick->batch_id);
  copy->lot = g_strdup (pick->lot);
  copy->expiry = g_strdup (pick->expiry);

  return copy;
}

void
rx_batch_pick_free (RxBatchPick *pick)
{
  if (pick == NULL)
    return;

  g_free (pick->batch_id);
  g_free (pick->lot);
  g_free (pick->expiry);
  g_free (pick);
}

RxDispenseItem *
rx_dispense_item_copy (const RxDispenseItem *item)
{
  RxDispenseItem *copy = g_memdup2 (item, sizeof *item);

  copy->item_id = g_strdup (item->item_id);
  copy->product_id = g_strdup (item->product_id);
  copy->product_code = g_strdup (item->product_code);
  copy->product_name = g_strdup (item->product_name);
  copy->directions = g_strdup (item->directions);

  return copy;
}

void
rx_dispense_item_free (RxDispenseItem *item)
{
  if (item == NULL)
    return;

  g_free (item->item_id);
  g_free (item->product_id);
  g_free (item->product_code);
  g_free (item->product_name);
  g_free (item->directions);
  g_free (item);
}

/* The entry object ----------------------------------------------------------------------- */

static void
rx_dispense_entry_finalize (GObject *object)
{
  RxDispenseEntry *self = (RxDispenseEntry *) object;

  g_free (self->prescription_id);
  g_free (self->patient_id);
  g_free (self->patient_name);
  g_free (self->record_number);
  g_free (self->prescriber_name);
  g_free (self->signed_at);
  g_free (self->verify_reason);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (rx_dispense_entry_parent_class)->finalize (object);
}

static void
rx_dispense_entry_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RxDispenseEntry *self = RX_DISPENSE_ENTRY (object);

  switch (prop_id)
    {
    case PROP_PRESCRIPTION_ID:
      g_value_set_string (value, self->prescription_id);
      break;

    case PROP_PATIENT_NAME:
      g_value_set_string (value, self->patient_name);
      break;

    case PROP_RECORD_NUMBER:
      g_value_set_string (value, self->record_number);
      break;

    case PROP_STATUS:
      g_value_set_string (value, rx_prescription_status_to_string (self->status));
      break;

    case PROP_VERIFIED:
      g_value_set_boolean (value, self->verified);
      break;

    case PROP_VERIFY_REASON:
      g_value_set_string (value, self->verify_reason);
      break;

    case PROP_REMAINING:
      g_value_set_int64 (value, rx_dispense_entry_get_remaining (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_dispense_entry_class_init (RxDispenseEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rx_dispense_entry_finalize;
  object_class->get_property = rx_dispense_entry_get_property;

  properties[PROP_PRESCRIPTION_ID] = g_param_spec_string ("prescription-id", NULL, NULL, NULL,
                                                          flags);
  properties[PROP_PATIENT_NAME] = g_param_spec_string ("patient-name", NULL, NULL, NULL, flags);
  properties[PROP_RECORD_NUMBER] = g_param_spec_string ("record-number", NULL, NULL, NULL,
                                                        flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  properties[PROP_VERIFIED] = g_param_spec_boolean ("verified", NULL, NULL, FALSE, flags);
  properties[PROP_VERIFY_REASON] = g_param_spec_string ("verify-reason", NULL, NULL, NULL,
                                                        flags);
  properties[PROP_REMAINING] = g_param_spec_int64 ("remaining", NULL, NULL, 0, G_MAXINT64, 0,
                                                   flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_dispense_entry_init (RxDispenseEntry *self)
{
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_dispense_item_free);
}

#define GETTER(type, field) \
  type \
  rx_dispense_entry_get_##field (RxDispenseEntry *self) \
  { \
    g_return_val_if_fail (RX_IS_DISPENSE_ENTRY (self), 0); \
    return self->field; \
  }
GETTER (const char *, prescription_id)
GETTER (const char *, patient_id)
GETTER (const char *, patient_name)
GETTER (const char *, record_number)
GETTER (const char *, prescriber_name)
GETTER (RxPrescriptionStatus, status)
GETTER (const char *, signed_at)
GETTER (gboolean, verified)
GETTER (const char *, verify_reason)
#undef GETTER

/**
 * rx_dispense_entry_get_items:
 *
 * Returns: (transfer none) (element-type RxDispenseItem): the items, by number
 */
GPtrArray *
rx_dispense_entry_get_items (RxDispenseEntry *self)
{
  g_return_val_if_fail (RX_IS_DISPENSE_ENTRY (self), NULL);
  return self->items;
}

/* What is left to dispense over every item, repeats included. */
gint64
rx_dispense_entry_get_remaining (RxDispenseEntry *self)
{
  gint64 total = 0;

  g_return_val_if_fail (RX_IS_DISPENSE_ENTRY (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    total += ((RxDispenseItem *) self->items->pdata[i])->remaining;
  return total;
}

void
_rx_dispense_entry_set_verification (RxDispenseEntry *self,
                                     gboolean         ok,
                                     const char      *reason)
{
  self->verified = ok;
  g_free (self->verify_reason);
  self->verify_reason = g_strdup (reason);
}

/* Loading -------------------------------------------------------------------------------- */

char *
_rx_dispense_directions (const char *dose,
                         const char *frequency,
                         int         duration_days,
                         const char *instructions)
{
  GString *out = g_string_new (NULL);

  if (dose != NULL && *dose != '\0')
    g_string_append (out, dose);
  if (frequency != NULL && *frequency != '\0')
    g_string_append_printf (out, "%s%s", out->len ? " " : "", frequency);
  if (duration_days > 0 && out->len > 0)
    g_string_append_printf (out, " for %d day%s", duration_days, duration_days == 1 ? "" : "s");
  if (instructions != NULL && *instructions != '\0')
    g_string_append_printf (out, "%s%s", out->len ? ". " : "", instructions);

  return g_string_free (out, FALSE);
}

gboolean
_rx_dispense_entry_load_items (RxDb             *db,
                               RxDispenseEntry  *self,
                               GError          **error)
{
  g_autofree char *today = _rx_stock_today (db);
  sqlite3_stmt *stmt;
  int rc;

  /* in-date stock counts each lot at most down to zero: a lot that went below zero after a
   * sync does not hide what another lot holds */
  stmt = _rx_db_prepare (db,
                         "SELECT i.id, i.position, i.product_id, p.code, "
                         "  d.inn || ' ' || p.strength || ' ' || p.form, i.dose, i.frequency, "
                         "  coalesce (i.duration_days, 0), i.instructions, i.quantity, i.repeats, "
                         "  (SELECT coalesce (sum (x.quantity), 0) FROM dispensings x "
                         "   WHERE x.prescription_item_id = i.id AND x.deleted = 0), "
                         "  (SELECT coalesce (sum (max (q, 0)), 0) FROM "
                         "    (SELECT (SELECT coalesce (sum (m.quantity), 0) "
                         "             FROM stock_movements m "
                         "             WHERE m.batch_id = b.id AND m.deleted = 0) AS q "
                         "     FROM stock_batches b WHERE b.product_id = i.product_id "
                         "     AND b.site_id = ?2 AND b.deleted = 0 AND b.expiry > ?3)) "
                         "FROM prescription_items i JOIN products p ON p.id = i.product_id "
                         "JOIN drugs d ON d.id = p.drug_id "
                         "WHERE i.prescription_id = ?1 AND i.deleted = 0 ORDER BY i.position",
                         error);
  if (stmt == NULL)
    return FALSE;

  _rx_stmt_bind_text (stmt, 1, self->prescription_id);
  _rx_stmt_bind_text (stmt, 2, rx_db_get_site_id (db));
  _rx_stmt_bind_text (stmt, 3, today);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RxDispenseItem *item = g_new0 (RxDispenseItem, 1);
      g_autofree char *dose = _rx_stmt_dup_text (stmt, 5);
      g_autofree char *frequency = _rx_stmt_dup_text (stmt, 6);
      g_autofree char *instructions = _rx_stmt_dup_text (stmt, 8);

      item->item_id = _rx_stmt_dup_text (stmt, 0);
      item->number = self->items->len + 1;
      item->product_id = _rx_stmt_dup_text (stmt, 2);
      item->product_code = _rx_stmt_dup_text (stmt, 3);
      item->product_name = _rx_stmt_dup_text (stmt, 4);
      item->directions = _rx_dispense_directions (dose, frequency, sqlite3_column_int (stmt, 7),
                                                  instructions);
      item->quantity = sqlite3_column_int64 (stmt, 9);
      item->repeats = sqlite3_column_int (stmt, 10);
      item->prescribed = item->quantity * (1 + item->repeats);
      item->dispensed = sqlite3_column_int64 (stmt, 11);
      item->remaining = MAX (item->prescribed - item->dispensed, 0);
      item->available = sqlite3_column_int64 (stmt, 12);
      g_ptr_array_add (self->items, item);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _rx_db_sqlite_error (db, rc, "Reading the prescription's items", error);

  return TRUE;
}

RxDispenseEntry *
_rx_dispense_entry_from_stmt (sqlite3_stmt *stmt)
{
  RxDispenseEntry *self = g_object_new (RX_TYPE_DISPENSE_ENTRY, NULL);

  self->prescription_id = _rx_stmt_dup_text (stmt, 0);
  self->patient_id = _rx_stmt_dup_text (stmt, 1);
  self->patient_name = _rx_stmt_dup_text (stmt, 2);
  self->record_number = _rx_stmt_dup_text (stmt, 3);
  self->prescriber_name = _rx_stmt_dup_text (stmt, 4);
  rx_prescription_status_from_string ((const char *) sqlite3_column_text (stmt, 5),
                                      &self->status);
  self->signed_at = _rx_stmt_dup_text (stmt, 6);

  return self;
}

RxDispenseEntry *
_rx_dispense_load_entry (RxDb        *db,
                         const char  *prescription_id,
                         GError     **error)
{
  g_autoptr(RxDispenseEntry) self = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_db_prepare (db, RX_DISPENSE_ENTRY_SELECT "WHERE r.id = ?1 AND r.deleted = 0",
                         error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, prescription_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    self = _rx_dispense_entry_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Reading a prescription", error);
      return NULL;
    }
  if (self == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no prescription “%s”; “dispense queue” lists those waiting",
                   prescription_id ? prescription_id : "");
      return NULL;
    }

  if (!_rx_dispense_entry_load_items (db, self, error))
    return NULL;

  return g_steal_pointer (&self);
}
