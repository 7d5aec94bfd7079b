/* rx-audit.c: the audit trail. Each workstation's events form a hash chain; verification
 * recomputes every hash and every link, so an edited, removed or inserted event shows. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>

#include "rx-audit.h"
#include "rx-core-error.h"
#include "rx-db-private.h"

G_DEFINE_BOXED_TYPE (RxAuditEvent, rx_audit_event, rx_audit_event_copy, rx_audit_event_free)

/* The hash covers every field of the event and the previous hash, each field followed by a
 * NUL so that no two different events can produce the same bytes. rx-audit.c recomputes it. */
char *
_rx_audit_hash (const char *prev_hash,
                const char *id,
                const char *at,
                const char *actor,
                const char *workstation,
                const char *action,
                const char *entity,
                const char *entity_id,
                const char *detail)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *fields[] = { prev_hash, id, at, actor, workstation, action, entity,
                           entity_id ? entity_id : "", detail ? detail : "" };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_checksum_update (sum, (const guchar *) fields[i], strlen (fields[i]) + 1);

  return g_strdup (g_checksum_get_string (sum));
}

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

RxAuditEvent *
rx_audit_event_copy (const RxAuditEvent *e)
{
  RxAuditEvent *copy = g_new0 (RxAuditEvent, 1);

  copy->id = g_strdup (e->id);
  copy->at = g_strdup (e->at);
  copy->actor = g_strdup (e->actor);
  copy->workstation = g_strdup (e->workstation);
  copy->action = g_strdup (e->action);
  copy->entity = g_strdup (e->entity);
  copy->entity_id = g_strdup (e->entity_id);
  copy->detail = g_strdup (e->detail);
  copy->hash = g_strdup (e->hash);

  return copy;
}

void
rx_audit_event_free (RxAuditEvent *e)
{
  if (e == NULL)
    return;

  g_free (e->id);
  g_free (e->at);
  g_free (e->actor);
  g_free (e->workstation);
  g_free (e->action);
  g_free (e->entity);
  g_free (e->entity_id);
  g_free (e->detail);
  g_free (e->hash);
  g_free (e);
}

/* Newest first. Reading the audit trail is itself audited. */
GPtrArray *
rx_audit_list (RxDb     *db,
               guint     limit,
               GError  **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_audit_event_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (!_rx_db_require (db, RX_ACTION_AUDIT_READ, error))
    return NULL;

  if (!_rx_db_audit (db, "read", "audit_events", NULL, NULL, error))
    return NULL;

  stmt = _rx_db_prepare (db,
                         "SELECT id, at, actor, workstation, action, entity, entity_id, detail, "
                         "hash FROM audit_events ORDER BY at DESC, rowid DESC LIMIT ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, limit ? limit : 50);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RxAuditEvent *e = g_new0 (RxAuditEvent, 1);

      e->id = _rx_stmt_dup_text (stmt, 0);
      e->at = _rx_stmt_dup_text (stmt, 1);
      e->actor = _rx_stmt_dup_text (stmt, 2);
      e->workstation = _rx_stmt_dup_text (stmt, 3);
      e->action = _rx_stmt_dup_text (stmt, 4);
      e->entity = _rx_stmt_dup_text (stmt, 5);
      e->entity_id = _rx_stmt_dup_text (stmt, 6);
      e->detail = _rx_stmt_dup_text (stmt, 7);
      e->hash = _rx_stmt_dup_text (stmt, 8);
      g_ptr_array_add (events, e);
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&events);
}

gboolean
rx_audit_verify (RxDb     *db,
                 guint64  *n_checked,
                 GError  **error)
{
  g_autoptr(GHashTable) heads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  guint64 n = 0;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (!_rx_db_require (db, RX_ACTION_AUDIT_READ, error))
    return FALSE;

  stmt = _rx_db_prepare (db,
                         "SELECT id, at, actor, workstation, action, entity, entity_id, detail, "
                         "prev_hash, hash FROM audit_events ORDER BY workstation, rowid", error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *c[10];
      const char *expected_prev;
      g_autofree char *hash = NULL;

      for (guint i = 0; i < 10; i++)
        c[i] = (const char *) sqlite3_column_text (stmt, i);

      expected_prev = g_hash_table_lookup (heads, c[3]);
      if (expected_prev == NULL)
        expected_prev = GENESIS;

      hash = _rx_audit_hash (c[8], c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
      if (g_strcmp0 (c[8], expected_prev) != 0 || g_strcmp0 (hash, c[9]) != 0)
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED,
                       "The audit trail was altered at event %s (%s %s by %s at %s): %s. "
                       "Keep this file as evidence and restore from a backup",
                       c[0], c[4], c[5], c[2], c[1],
                       g_strcmp0 (hash, c[9]) != 0 ? "its contents do not match its hash"
                                                   : "an event before it is missing");
          sqlite3_reset (stmt);
          return FALSE;
        }

      g_hash_table_insert (heads, g_strdup (c[3]), g_strdup (c[9]));
      n++;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _rx_db_sqlite_error (db, rc, "Reading the audit trail", error);

  if (n_checked)
    *n_checked = n;

  return TRUE;
}
