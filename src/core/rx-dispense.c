/* rx-dispense.c: the dispense. One transaction checks the signature, the status and what
 * remains, takes each item from its lots (first expiry first out unless a lot is named),
 * and writes the dispensings, the stock movements that name them, the lines on the
 * patient's open invoice and the prescription's status event, with their audit events.
 * Anything refused part-way leaves nothing behind but the audit of a refused signature. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>

#include "rx-core-error.h"
#include "rx-dispense-private.h"
#include "rx-invoice.h"
#include "rx-prescription-private.h"
#include "rx-role.h"
#include "rx-signing.h"
#include "rx-stock-private.h"
#include "rx-user.h"

#define MAX_LINES 50

G_DEFINE_BOXED_TYPE (RxDispensed, rx_dispensed, rx_dispensed_copy, rx_dispensed_free)

RxDispensed *
rx_dispensed_copy (const RxDispensed *d)
{
  RxDispensed *copy = g_memdup2 (d, sizeof *d);

  copy->id = g_strdup (d->id);
  copy->product_id = g_strdup (d->product_id);
  copy->product_name = g_strdup (d->product_name);
  copy->batch_id = g_strdup (d->batch_id);
  copy->lot = g_strdup (d->lot);
  copy->expiry = g_strdup (d->expiry);
  copy->movement_id = g_strdup (d->movement_id);
  copy->invoice_line_id = g_strdup (d->invoice_line_id);

  return copy;
}

void
rx_dispensed_free (RxDispensed *d)
{
  if (d == NULL)
    return;

  g_free (d->id);
  g_free (d->product_id);
  g_free (d->product_name);
  g_free (d->batch_id);
  g_free (d->lot);
  g_free (d->expiry);
  g_free (d->movement_id);
  g_free (d->invoice_line_id);
  g_free (d);
}

void
rx_dispense_result_clear (RxDispenseResult *result)
{
  g_clear_pointer (&result->dispensed, g_ptr_array_unref);
  g_clear_pointer (&result->invoice_id, g_free);
  g_clear_pointer (&result->till, g_free);
  result->invoice_number = 0;
  result->status = RX_PRESCRIPTION_DRAFT;
  result->remaining = 0;
}

/* What one dispense is doing, passed between its steps. */
typedef struct
{
  RxDb             *db;
  RxDispenseEntry  *entry;
  RxUser           *pharmacist;
  const char       *till;
  char             *today;
  GHashTable       *taking;   /* item id -> gint64 * taken so far in this dispense */
  RxDispenseResult *out;
} Dispense;

static void
dispense_clear (Dispense *d)
{
  g_clear_pointer (&d->today, g_free);
  g_clear_pointer (&d->taking, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Dispense, dispense_clear)

/* Who dispenses: the logged-in user, or the named pharmacist when nobody is logged in (the
 * command line); either way someone whose role may dispense. */
static RxUser *
resolve_pharmacist (RxDb        *db,
                    const char  *pharmacist,
                    GError     **error)
{
  g_autoptr(RxUser) user = NULL;
  RxUser *current = rx_db_get_user (db);

  if (pharmacist == NULL && current == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Say which pharmacist dispenses (their username)");
      return NULL;
    }

  user = pharmacist ? rx_users_find (db, pharmacist, error) : g_object_ref (current);
  if (user == NULL)
    return NULL;

  if (current != NULL &&
      g_strcmp0 (rx_user_get_id (current), rx_user_get_id (user)) != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                   "A dispense is recorded in the pharmacist's own name; log in as %s to "
                   "dispense as them", rx_user_get_username (user));
      return NULL;
    }

  if (!rx_user_can (user, RX_ACTION_DISPENSE, error) ||
      !_rx_db_require (db, RX_ACTION_DISPENSE, error))
    return NULL;

  return g_steal_pointer (&user);
}

static gboolean
check_status (RxDispenseEntry  *entry,
              GError          **error)
{
  const char *id = rx_dispense_entry_get_prescription_id (entry);
  const char *why;

  switch (rx_dispense_entry_get_status (entry))
    {
    case RX_PRESCRIPTION_SIGNED:
    case RX_PRESCRIPTION_PARTIALLY_DISPENSED:
      return TRUE;

    case RX_PRESCRIPTION_DRAFT:
      why = "is a draft; the prescriber must sign it first";
      break;

    case RX_PRESCRIPTION_DISPENSED:
      why = "was dispensed in full already, repeats included; nothing of it remains";
      break;

    case RX_PRESCRIPTION_CANCELLED:
      why = "was cancelled; ask the prescriber for a new one if it is still needed";
      break;

    case RX_PRESCRIPTION_SUPERSEDED:
      why = "was replaced by a newer version; dispense that one instead";
      break;

    case RX_PRESCRIPTION_EXPIRED:
    default:
      why = "has expired; the patient needs a new prescription";
      break;
    }

  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
               "Prescription %s cannot be dispensed: it %s", id, why);
  return FALSE;
}

static RxDispenseItem *
find_item (RxDispenseEntry  *entry,
           guint             number,
           GError          **error)
{
  GPtrArray *items = rx_dispense_entry_get_items (entry);

  if (number >= 1 && number <= items->len)
    return items->pdata[number - 1];

  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
               "Prescription %s has no item %u; its items are numbered 1 to %u",
               rx_dispense_entry_get_prescription_id (entry), number, items->len);
  return NULL;
}

static gint64 *
taken_of (Dispense       *d,
          RxDispenseItem *item)
{
  gint64 *taken = g_hash_table_lookup (d->taking, item->item_id);

  if (taken == NULL)
    {
      taken = g_new0 (gint64, 1);
      g_hash_table_insert (d->taking, item->item_id, taken);
    }
  return taken;
}

/* How many of the item this line takes, within what remains of it. */
static gboolean
line_quantity (Dispense              *d,
               RxDispenseItem        *item,
               const RxDispenseLine  *line,
               gint64                *quantity,
               GError               **error)
{
  gint64 left = item->remaining - *taken_of (d, item);

  if (line->quantity < 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The quantity of item %u must be at least 1", item->number);
      return FALSE;
    }

  if (left <= 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Item %u (%s) has been dispensed in full, repeats included; nothing of it "
                   "remains", item->number, item->product_name);
      return FALSE;
    }

  *quantity = line->quantity > 0 ? line->quantity : MIN (item->quantity, left);
  if (*quantity > left)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Only %" G_GINT64_FORMAT " of item %u (%s) remain%s to be dispensed (%"
                   G_GINT64_FORMAT " prescribed with repeats, %" G_GINT64_FORMAT " dispensed); "
                   "dispense at most %" G_GINT64_FORMAT, left, item->number, item->product_name,
                   left == 1 ? "s" : "", item->prescribed,
                   item->dispensed + *taken_of (d, item), left);
      return FALSE;
    }

  return TRUE;
}

/* The lot a pharmacist chose: at this site, in date, and with enough on hand. */
static RxBatchPick *
chosen_lot (Dispense        *d,
            RxDispenseItem  *item,
            const char      *lot,
            gint64           quantity,
            GError         **error)
{
  g_autoptr(RxBatchPick) pick = g_new0 (RxBatchPick, 1);
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (d->db, "SELECT id, expiry FROM stock_batches WHERE site_id = ?1 "
                                "AND product_id = ?2 AND lot = ?3 AND deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, rx_db_get_site_id (d->db));
  _rx_stmt_bind_text (stmt, 2, item->product_id);
  _rx_stmt_bind_text (stmt, 3, lot);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      pick->batch_id = _rx_stmt_dup_text (stmt, 0);
      pick->expiry = _rx_stmt_dup_text (stmt, 1);
    }
  sqlite3_reset (stmt);

  if (pick->batch_id == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no lot “%s” of %s at this pharmacy; “stock list --product %s” "
                   "shows the lots", lot, item->product_name, item->product_code);
      return NULL;
    }

  pick->lot = g_strdup (lot);
  if (g_strcmp0 (pick->expiry, d->today) <= 0)
    {
      g_autoptr(GPtrArray) other = rx_dispense_suggest_batches (d->db, item->product_id, 1,
                                                                NULL, NULL);

      if (other != NULL && other->len > 0)
        g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                     "Lot %s of %s expired on %s; expired stock cannot be dispensed. Take it "
                     "from lot %s (expires %s), the first to expire that is in date", lot,
                     item->product_name, pick->expiry,
                     ((RxBatchPick *) other->pdata[0])->lot,
                     ((RxBatchPick *) other->pdata[0])->expiry);
      else
        g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                     "Lot %s of %s expired on %s; expired stock cannot be dispensed, and no "
                     "other lot of it is in date here", lot, item->product_name, pick->expiry);
      return NULL;
    }

  pick->on_hand = _rx_stock_batch_quantity (d->db, pick->batch_id);
  pick->quantity = quantity;
  if (pick->on_hand < quantity)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Lot %s of %s has %" G_GINT64_FORMAT " on hand here; taking %"
                   G_GINT64_FORMAT " would take it below zero. Take the rest from another lot "
                   "or leave the lot out to take the first to expire", lot, item->product_name,
                   MAX (pick->on_hand, 0), quantity);
      return NULL;
    }

  return g_steal_pointer (&pick);
}

static GPtrArray *
plan_picks (Dispense              *d,
            RxDispenseItem        *item,
            const RxDispenseLine  *line,
            gint64                 quantity,
            GError               **error)
{
  g_autoptr(GPtrArray) picks = NULL;
  RxBatchPick *pick;
  gint64 short_by = 0;

  if (line->lot != NULL && *line->lot != '\0')
    {
      pick = chosen_lot (d, item, line->lot, quantity, error);
      if (pick == NULL)
        return NULL;
      picks = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_batch_pick_free);
      g_ptr_array_add (picks, pick);
      return g_steal_pointer (&picks);
    }

  picks = rx_dispense_suggest_batches (d->db, item->product_id, quantity, &short_by, error);
  if (picks == NULL)
    return NULL;
  if (short_by > 0)
    {
      gint64 have = quantity - short_by;

      if (have == 0)
        g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                     "No %s in date is on hand at this pharmacy (expired lots cannot be "
                     "dispensed); receive stock first", item->product_name);
      else
        g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                     "Only %" G_GINT64_FORMAT " of %s in date are on hand at this pharmacy and %"
                     G_GINT64_FORMAT " are needed; dispense %" G_GINT64_FORMAT " now (the rest "
                     "stays open on the prescription) or receive stock first", have,
                     item->product_name, quantity, have);
      return NULL;
    }

  return g_steal_pointer (&picks);
}

/* Per unit from the smallest pack, rounded up so a pack never sells below its price: the
 * rule the till uses for every product line. */
static gboolean
unit_price (Dispense        *d,
            RxDispenseItem  *item,
            gint64          *price,
            GError         **error)
{
  sqlite3_stmt *stmt;
  gboolean found;

  stmt = _rx_db_prepare (d->db, "SELECT (price_minor + size - 1) / size FROM packs "
                                "WHERE product_id = ?1 AND deleted = 0 ORDER BY size LIMIT 1",
                         error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, item->product_id);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  if (found)
    *price = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (!found)
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                 "%s (%s) has no pack price in the formulary, so it cannot be billed; set "
                 "its price first", item->product_name, item->product_code);
  return found;
}

/* The patient's open invoice at this till, or a new one. */
static gboolean
open_invoice (Dispense  *d,
              GError   **error)
{
  const char *patient_id = rx_dispense_entry_get_patient_id (d->entry);
  g_autoptr(RxInvoice) invoice = NULL;
  sqlite3_stmt *stmt;

  if (d->out->invoice_id != NULL)
    return TRUE;

  stmt = _rx_db_prepare (d->db,
                         "SELECT id, number FROM invoices WHERE site_id = ?1 AND till = ?2 "
                         "AND patient_id = ?3 AND kind = 'invoice' AND status = 'open' "
                         "AND deleted = 0 ORDER BY number DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, rx_db_get_site_id (d->db));
  _rx_stmt_bind_text (stmt, 2, d->till);
  _rx_stmt_bind_text (stmt, 3, patient_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      d->out->invoice_id = _rx_stmt_dup_text (stmt, 0);
      d->out->invoice_number = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (d->out->invoice_id != NULL)
    return TRUE;

  invoice = rx_invoices_open (d->db, d->till, patient_id, error);
  if (invoice == NULL)
    return FALSE;
  d->out->invoice_id = g_strdup (rx_invoice_get_id (invoice));
  d->out->invoice_number = rx_invoice_get_number (invoice);
  return TRUE;
}

/* One lot of one item: the dispensing row, its stock movement, its invoice line, audited. */
static gboolean
take (Dispense           *d,
      RxDispenseItem     *item,
      const RxBatchPick  *pick,
      gint64              price,
      GError            **error)
{
  g_autoptr(RxRow) row = _rx_row_new_insert ("dispensings");
  g_autoptr(RxDispensed) done = g_new0 (RxDispensed, 1);
  g_autofree char *now = rx_db_now_iso (d->db);
  g_autofree char *description = NULL;
  g_autofree char *detail = NULL;
  RxInvoiceLineFields line = { NULL, };
  gint64 have;

  /* checked again here, after the lines before this one took their share */
  have = _rx_stock_batch_quantity (d->db, pick->batch_id);
  if (have < pick->quantity)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Lot %s of %s has %" G_GINT64_FORMAT " on hand here; taking %"
                   G_GINT64_FORMAT " would take it below zero", pick->lot, item->product_name,
                   MAX (have, 0), pick->quantity);
      return FALSE;
    }

  _rx_row_set_text (row, "prescription_id", rx_dispense_entry_get_prescription_id (d->entry));
  _rx_row_set_text (row, "prescription_item_id", item->item_id);
  _rx_row_set_text (row, "batch_id", pick->batch_id);
  _rx_row_set_text (row, "site_id", rx_db_get_site_id (d->db));
  _rx_row_set_int (row, "quantity", pick->quantity);
  _rx_row_set_text (row, "pharmacist_id", rx_user_get_id (d->pharmacist));
  _rx_row_set_text (row, "invoice_id", d->out->invoice_id);
  _rx_row_set_text (row, "dispensed_at", now);
  if (!_rx_db_put (d->db, row, error))
    return FALSE;

  done->id = g_strdup (_rx_row_get_id (row));
  done->item = item->number;
  done->product_id = g_strdup (item->product_id);
  done->product_name = g_strdup (item->product_name);
  done->batch_id = g_strdup (pick->batch_id);
  done->lot = g_strdup (pick->lot);
  done->expiry = g_strdup (pick->expiry);
  done->quantity = pick->quantity;
  done->unit_price_minor = price;
  done->total_minor = price * pick->quantity;

  if (!_rx_stock_add_movement (d->db, pick->batch_id, "dispense", -pick->quantity, NULL,
                               "dispensing", done->id, &done->movement_id, error))
    return FALSE;

  description = g_strdup_printf ("%s, lot %s", item->product_name, pick->lot);
  line.product_id = item->product_id;
  line.description = description;
  line.quantity = pick->quantity;
  line.unit_price_minor = price;
  if (!rx_invoices_product_tax_rate (d->db, item->product_id, &line.tax_rate_bp, error))
    return FALSE;
  line.reference_kind = "dispensing";
  line.reference_id = done->id;
  done->invoice_line_id = rx_invoices_add_line (d->db, d->out->invoice_id, &line, error);
  if (done->invoice_line_id == NULL)
    return FALSE;

  detail = g_strdup_printf ("%" G_GINT64_FORMAT " × %s, lot %s, item %u of %s", pick->quantity,
                            item->product_name, pick->lot, item->number,
                            rx_dispense_entry_get_prescription_id (d->entry));
  if (!_rx_db_audit (d->db, "dispense", "dispensings", done->id, detail, error))
    return FALSE;

  *taken_of (d, item) += pick->quantity;
  g_ptr_array_add (d->out->dispensed, g_steal_pointer (&done));
  return TRUE;
}

static gboolean
dispense_line (Dispense              *d,
               const RxDispenseLine  *line,
               GError               **error)
{
  g_autoptr(GPtrArray) picks = NULL;
  RxDispenseItem *item;
  gint64 quantity = 0, price = 0;

  item = find_item (d->entry, line->item, error);
  if (item == NULL ||
      !line_quantity (d, item, line, &quantity, error) ||
      !unit_price (d, item, &price, error))
    return FALSE;

  picks = plan_picks (d, item, line, quantity, error);
  if (picks == NULL || !open_invoice (d, error))
    return FALSE;

  for (guint i = 0; i < picks->len; i++)
    if (!take (d, item, picks->pdata[i], price, error))
      return FALSE;

  return TRUE;
}

/* The status the prescription moves to, and the event's reason. */
static gboolean
move_status (Dispense  *d,
             GError   **error)
{
  g_autofree char *reason = NULL;
  gint64 taken = 0;

  for (guint i = 0; i < d->out->dispensed->len; i++)
    taken += ((RxDispensed *) d->out->dispensed->pdata[i])->quantity;

  d->out->remaining = rx_dispense_entry_get_remaining (d->entry) - taken;
  d->out->status = d->out->remaining > 0 ? RX_PRESCRIPTION_PARTIALLY_DISPENSED
                                         : RX_PRESCRIPTION_DISPENSED;
  reason = d->out->remaining > 0
           ? g_strdup_printf ("dispensed %" G_GINT64_FORMAT "; %" G_GINT64_FORMAT " remain",
                              taken, d->out->remaining)
           : g_strdup_printf ("dispensed %" G_GINT64_FORMAT "; nothing remains", taken);

  return _rx_prescriptions_move (d->db, rx_dispense_entry_get_prescription_id (d->entry),
                                 d->out->status, reason, error);
}

/* The signature must hold. FALSE with `refused` set when it does not. */
static gboolean
check_signature (Dispense    *d,
                 const char  *prescription_id,
                 char       **refused,
                 GError     **error)
{
  g_auto(RxVerification) v = { 0, };

  if (!rx_prescriptions_verify (d->db, prescription_id, &v, error))
    return FALSE;
  if (v.ok)
    return TRUE;

  *refused = g_strdup (v.reason);
  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
               "Prescription %s cannot be dispensed: its signature does not verify: %s",
               prescription_id, v.reason);
  return FALSE;
}

gboolean
rx_dispense (RxDb                  *db,
             const char            *prescription_id,
             const char            *pharmacist,
             const char            *till,
             const RxDispenseLine  *lines,
             guint                  n_lines,
             RxDispenseResult      *out,
             GError               **error)
{
  g_auto(Dispense) d = { NULL, };
  g_autoptr(RxUser) user = NULL;
  g_autoptr(RxDispenseEntry) entry = NULL;
  g_autoptr(GArray) all = NULL;
  g_autofree char *refused = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (prescription_id != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (lines != NULL || n_lines == 0, FALSE);

  memset (out, 0, sizeof *out);

  if (n_lines > MAX_LINES)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "One dispense takes at most %d lines", MAX_LINES);
      return FALSE;
    }
  if (rx_db_get_site_id (db) == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED,
                   "This workstation belongs to no site, so it holds no stock to dispense "
                   "from; enrol it with the clinic first");
      return FALSE;
    }

  user = resolve_pharmacist (db, pharmacist, error);
  if (user == NULL)
    return FALSE;

  d.db = db;
  d.pharmacist = user;
  d.till = till != NULL && *till != '\0' ? till : RX_DISPENSE_DEFAULT_TILL;
  d.today = _rx_stock_today (db);
  d.taking = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  d.out = out;
  out->dispensed = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_dispensed_free);
  out->till = g_strdup (d.till);

  if (!rx_db_begin (db, error))
    goto fail_early;

  if (!check_signature (&d, prescription_id, &refused, error))
    goto fail;

  entry = _rx_dispense_load_entry (db, prescription_id, error);
  if (entry == NULL || !check_status (entry, error))
    goto fail;
  _rx_dispense_entry_set_verification (entry, TRUE, NULL);
  d.entry = entry;

  /* no lines: one fill of every item that has something left */
  if (n_lines == 0)
    {
      GPtrArray *items = rx_dispense_entry_get_items (entry);

      all = g_array_new (FALSE, TRUE, sizeof (RxDispenseLine));
      for (guint i = 0; i < items->len; i++)
        {
          RxDispenseItem *item = items->pdata[i];
          RxDispenseLine line = { item->number, 0, NULL };

          if (item->remaining > 0)
            g_array_append_val (all, line);
        }
      if (all->len == 0)
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "Nothing of prescription %s remains to be dispensed", prescription_id);
          goto fail;
        }
      lines = (const RxDispenseLine *) (gpointer) all->data;
      n_lines = all->len;
    }

  for (guint i = 0; i < n_lines; i++)
    if (!dispense_line (&d, &lines[i], error))
      goto fail;

  if (!move_status (&d, error) || !rx_db_commit (db, error))
    goto fail;

  return TRUE;

fail:
  rx_db_rollback (db);
  /* a prescription refused for its signature is a security event: that is kept */
  if (refused != NULL)
    _rx_db_audit (db, "dispense_refused", "prescriptions", prescription_id, refused, NULL);
fail_early:
  rx_dispense_result_clear (out);
  return FALSE;
}
