/* rx-invoice-chain.c: the tamper-evident chain of issued invoices.
 *
 * Each issued invoice (and credit note) carries the SHA-256 of its predecessor on the same
 * (site, till) and of its own content, so changing, removing or re-ordering an issued
 * invoice breaks the chain at that point. The predecessor is the one issued before it, not
 * the one numbered before it: a sale can be parked while the next customer is served. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>

#include "rx-core-error.h"
#include "rx-invoice-private.h"
#include "rx-records-private.h"

#define HASH_FORMAT_TAG "rxdesk-invoice-1"

static void
feed_text (GChecksum  *sum,
           const char *text)
{
  if (text == NULL)
    text = "";
  g_checksum_update (sum, (const guchar *) text, strlen (text) + 1);
}

static void
feed_int (GChecksum *sum,
          gint64     value)
{
  char buf[24];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  feed_text (sum, buf);
}

/* The canonical form: a format tag, the previous hash, then the invoice's fields and every
 * line's fields in position order, each as UTF-8 or decimal text followed by a NUL byte, so
 * that no two different invoices give the same bytes. A missing value is written as an empty
 * field; ids are never empty and optional texts are stored as NULL rather than "". Status and
 * payments are not covered: they change after issue by design. */
char *
_rx_invoice_compute_hash (RxInvoice  *self,
                          const char *prev_hash)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  feed_text (sum, HASH_FORMAT_TAG);
  feed_text (sum, prev_hash);
  feed_text (sum, self->id);
  feed_text (sum, self->site_id);
  feed_int (sum, self->number);
  feed_text (sum, self->till);
  feed_text (sum, self->kind);
  feed_text (sum, self->refers_to_id);
  feed_text (sum, self->patient_id);
  feed_text (sum, self->currency);
  feed_int (sum, self->total_minor);
  feed_int (sum, self->tax_minor);
  feed_text (sum, self->issued_at);
  feed_int (sum, self->lines->len);

  for (guint i = 0; i < self->lines->len; i++)
    {
      const RxInvoiceLine *line = g_ptr_array_index (self->lines, i);

      feed_text (sum, line->id);
      feed_int (sum, line->position);
      feed_text (sum, line->product_id);
      feed_text (sum, line->description);
      feed_int (sum, line->quantity);
      feed_int (sum, line->unit_price_minor);
      feed_int (sum, line->discount_minor);
      feed_int (sum, line->tax_rate_bp);
      feed_int (sum, line->total_minor);
      feed_text (sum, line->reference_kind);
      feed_text (sum, line->reference_id);
    }

  return g_strdup (g_checksum_get_string (sum));
}

/* The hash the next issued invoice of (site, till) links to: that of the issued invoice no
 * other one links to yet, or the genesis value on a till's first invoice. Found from the
 * links themselves rather than from issue times, which a wall clock set back would upset. */
char *
_rx_invoice_chain_head (RxDb        *db,
                        const char  *site_id,
                        const char  *till,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  char *head = NULL;
  int rc;

  stmt = _rx_db_prepare (db,
                         "SELECT i.hash FROM invoices i "
                         "WHERE i.site_id = ?1 AND i.till = ?2 AND i.hash IS NOT NULL "
                         "AND i.deleted = 0 AND NOT EXISTS (SELECT 1 FROM invoices j "
                         "WHERE j.site_id = ?1 AND j.till = ?2 AND j.prev_hash = i.hash) "
                         "ORDER BY i.issued_at DESC, i.number DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;

  _rx_stmt_bind_text (stmt, 1, site_id);
  _rx_stmt_bind_text (stmt, 2, till);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    head = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Finding the last issued invoice", error);
      return NULL;
    }

  return head ? head : g_strdup (RX_INVOICE_GENESIS_HASH);
}

/* Issues an open invoice whose lines and totals are written: links it to its till's chain.
 * It is settled (paid) at once when `settled` (a credit note, whose refund is paid out in the
 * same transaction) or when its total is 0, as there is nothing to pay. */
gboolean
_rx_invoice_seal (RxDb       *db,
                  RxInvoice  *inv,
                  gboolean    settled,
                  GError    **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autofree char *prev = NULL;
  g_autofree char *hash = NULL;

  prev = _rx_invoice_chain_head (db, inv->site_id, inv->till, error);
  if (prev == NULL)
    return FALSE;

  g_free (inv->issued_at);
  inv->issued_at = rx_db_now_iso (db);
  hash = _rx_invoice_compute_hash (inv, prev);

  row = _rx_row_new_update ("invoices", inv->id);
  _rx_row_set_text (row, "status", settled || inv->total_minor == 0 ? "paid" : "issued");
  _rx_row_set_text (row, "issued_at", inv->issued_at);
  _rx_row_set_text (row, "prev_hash", prev);
  _rx_row_set_text (row, "hash", hash);

  return _rx_db_put (db, row, error);
}

/* Verification -------------------------------------------------------------------------- */

static GPtrArray *
list_issued (RxDb        *db,
             const char  *site_id,
             const char  *till,
             GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_db_prepare (db,
                         "SELECT id FROM invoices WHERE deleted = 0 AND status <> 'open' "
                         "AND (?1 IS NULL OR (site_id = ?1 AND till = ?2)) "
                         "ORDER BY site_id, till, number", error);
  if (stmt == NULL)
    return NULL;

  _rx_stmt_bind_text (stmt, 1, till ? site_id : NULL);
  _rx_stmt_bind_text (stmt, 2, till);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, _rx_stmt_dup_text (stmt, 0));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Listing issued invoices", error);
      return NULL;
    }

  return g_steal_pointer (&ids);
}

/* Why one invoice breaks the chain, or NULL if it is sound. `hashes` maps every stored hash
 * of its (site, till) to its invoice; `used` the previous hashes already linked to. */
static char *
check_invoice (RxInvoice  *inv,
               GHashTable *hashes,
               GHashTable *used)
{
  g_autofree char *expected = NULL;
  gint64 total = 0;
  gint64 tax = 0;

  if (inv->hash == NULL || inv->prev_hash == NULL || inv->issued_at == NULL)
    return g_strdup ("it is marked issued but was never sealed into the chain");

  expected = _rx_invoice_compute_hash (inv, inv->prev_hash);
  if (strcmp (expected, inv->hash) != 0)
    return g_strdup ("its content no longer matches its hash: it was changed after it was "
                     "issued");

  for (guint i = 0; i < inv->lines->len; i++)
    {
      const RxInvoiceLine *line = g_ptr_array_index (inv->lines, i);

      total += line->total_minor;
      tax += line->tax_minor;
    }
  if (total != inv->total_minor || tax != inv->tax_minor)
    return g_strdup ("its totals do not add up to its lines");

  if (strcmp (inv->prev_hash, RX_INVOICE_GENESIS_HASH) != 0 &&
      !g_hash_table_contains (hashes, inv->prev_hash))
    return g_strdup ("the invoice issued before it is missing or was changed");

  if (g_hash_table_contains (used, inv->prev_hash))
    return g_strdup ("another invoice already follows the same predecessor: an invoice was "
                     "inserted into the chain");

  return NULL;
}

static gboolean
same_group (RxInvoice *a,
            RxInvoice *b)
{
  return g_strcmp0 (a->site_id, b->site_id) == 0 && g_strcmp0 (a->till, b->till) == 0;
}

/**
 * rx_invoices_verify_chain:
 * @till: (nullable): one till of this workstation's site, or %NULL for every till of every
 *   site in this database
 * @bad_invoice_id: (out) (optional): the id of the first invoice that breaks the chain
 *
 * Recomputes the hash of every issued invoice, per till in number order, and checks that each
 * links to exactly one predecessor. The check is audited.
 *
 * Returns: %TRUE if every chain is intact. %FALSE with @error set otherwise; when the chain
 *   is broken (rather than unreadable) @bad_invoice_id is set too.
 */
gboolean
rx_invoices_verify_chain (RxDb        *db,
                          const char  *till,
                          char       **bad_invoice_id,
                          GError     **error)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) invoices = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) hashes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *reason = NULL;
  g_autofree char *detail = NULL;
  RxInvoice *bad = NULL;
  guint start = 0;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (bad_invoice_id != NULL)
    *bad_invoice_id = NULL;

  ids = list_issued (db, rx_db_get_site_id (db), till, error);
  if (ids == NULL)
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      RxInvoice *inv = _rx_invoice_load (db, g_ptr_array_index (ids, i), TRUE, error);

      if (inv == NULL)
        return FALSE;
      g_ptr_array_add (invoices, inv);
    }

  /* one (site, till) at a time: collect its hashes, then walk it in number order */
  while (bad == NULL && start < invoices->len)
    {
      guint end = start;

      g_hash_table_remove_all (hashes);
      g_hash_table_remove_all (used);
      while (end < invoices->len &&
             same_group (g_ptr_array_index (invoices, start), g_ptr_array_index (invoices, end)))
        {
          RxInvoice *inv = g_ptr_array_index (invoices, end++);

          if (inv->hash != NULL)
            g_hash_table_insert (hashes, inv->hash, inv);
        }

      for (guint i = start; bad == NULL && i < end; i++)
        {
          RxInvoice *inv = g_ptr_array_index (invoices, i);

          reason = check_invoice (inv, hashes, used);
          if (reason != NULL)
            bad = inv;
          else
            g_hash_table_add (used, inv->prev_hash);
        }
      start = end;
    }

  if (bad == NULL)
    {
      detail = g_strdup_printf ("%u issued invoices intact", invoices->len);
      return _rx_db_audit (db, "verify", "invoices", NULL, detail, error);
    }

  detail = g_strdup_printf ("broken at number %" G_GINT64_FORMAT " of till %s: %s",
                            bad->number, bad->till, reason);
  if (!_rx_db_audit (db, "verify", "invoices", bad->id, detail, error))
    return FALSE;

  if (bad_invoice_id != NULL)
    *bad_invoice_id = g_strdup (bad->id);
  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED,
               "Invoice %" G_GINT64_FORMAT " of till “%s” breaks the invoice chain: %s; keep "
               "this database as evidence, restore a backup to a new file and compare",
               bad->number, bad->till, reason);
  return FALSE;
}
