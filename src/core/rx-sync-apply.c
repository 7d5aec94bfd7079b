/* rx-sync-apply.c: merging a page of entries pulled from the server into this workstation's
 * clinic database, under the rules of DESIGN.md ("Merge rules") and src/sync/PROTOCOL.md:
 * last writer wins per field for mutable records, insert-once for append-only ones, a
 * prescription's status replayed through its state machine, and over-dispensing or a batch
 * below zero raised as conflicts rather than decided here.
 *
 * Pulled entries are written with plain SQL, not through _rx_db_put: they are somebody
 * else's writes (with their own audit events travelling beside them), so they must neither
 * enter the push queue nor make audit events of their own. They are kept in the change log
 * (remote = 1), which makes applying idempotent and gives each field its clock. */
#define G_LOG_DOMAIN "rx-sync"

#include "config.h"

#include <gnutls/crypto.h>
#include <json-glib/json-glib.h>

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-json.h"
#include "rx-prescription.h"
#include "rx-sync-rules.h"
#include "rx-sync.h"

#define ZERO_HLC "000000000000.0000.0000000000000000"

typedef enum
{
  APPLY_DONE,
  APPLY_PARK,
} ApplyResult;

typedef struct
{
  RxDb         *db;
  RxApplyStats *stats;
  GHashTable   *columns;        /* table -> GHashTable of column names */
  GHashTable   *batches;        /* stock batch ids touched */
  GHashTable   *prescriptions;  /* prescription ids touched */
  gboolean      sites_touched;
} Apply;

/* Column names come from the network: only the table's real columns are ever put in SQL. */
static GHashTable *
table_columns (Apply       *apply,
               const char  *table,
               GError     **error)
{
  GHashTable *set = g_hash_table_lookup (apply->columns, table);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  if (set != NULL)
    return set;

  /* table comes from the rules table in core, never from the entry itself */
  sql = g_strdup_printf ("SELECT name FROM pragma_table_info ('%s')", table);
  stmt = _rx_db_prepare (apply->db, sql, error);
  if (stmt == NULL)
    return NULL;

  set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (set, _rx_stmt_dup_text (stmt, 0));
  sqlite3_reset (stmt);

  g_hash_table_insert (apply->columns, g_strdup (table), set);
  return set;
}

static gboolean
is_stamp_column (const char *name)
{
  return strcmp (name, "id") == 0 || strcmp (name, "org_id") == 0 ||
         strcmp (name, "updated_hlc") == 0 || strcmp (name, "updated_by") == 0;
}

static void
bind_node (sqlite3_stmt *stmt,
           int           index,
           JsonNode     *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      sqlite3_bind_null (stmt, index);
      return;
    }

  if (!JSON_NODE_HOLDS_VALUE (node))
    {
      g_autofree char *text = json_to_string (node, FALSE);
      sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
      return;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      sqlite3_bind_int64 (stmt, index, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      sqlite3_bind_double (stmt, index, json_node_get_double (node));
      break;
    case G_TYPE_BOOLEAN:
      sqlite3_bind_int (stmt, index, json_node_get_boolean (node));
      break;
    case G_TYPE_STRING:
    default:
      sqlite3_bind_text (stmt, index, json_node_get_string (node), -1, SQLITE_TRANSIENT);
      break;
    }
}

/* The columns of the payload this table has, in a stable order. */
static GPtrArray *
payload_columns (Apply      *apply,
                 const char *table,
                 JsonObject *payload,
                 GError    **error)
{
  GHashTable *known = table_columns (apply, table, error);
  g_autoptr(GList) members = NULL;
  GPtrArray *cols;

  if (known == NULL)
    return NULL;

  cols = g_ptr_array_new ();
  members = json_object_get_members (payload);
  members = g_list_sort (members, (GCompareFunc) strcmp);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (is_stamp_column (name) || !g_hash_table_contains (known, name) ||
          rx_sync_is_local_field (table, name))
        continue;
      g_ptr_array_add (cols, (gpointer) name);
    }

  return cols;
}

static gboolean
is_parkable (int rc)
{
  /* a parent row not here yet, or an update whose row has not arrived (missing NOT NULL
   * columns), or a local rule (unique name, frozen row) refusing it for now */
  return (rc & 0xff) == SQLITE_CONSTRAINT;
}

static gboolean
insert_row (Apply       *apply,
            RxChange    *change,
            JsonObject  *payload,
            ApplyResult *result,
            char       **reason,
            GError     **error)
{
  g_autoptr(GPtrArray) cols = payload_columns (apply, change->entity, payload, error);
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc;

  if (cols == NULL)
    return FALSE;

  g_string_append_printf (sql, "INSERT INTO %s (id, org_id, updated_hlc, updated_by",
                          change->entity);
  for (guint i = 0; i < cols->len; i++)
    g_string_append_printf (sql, ", %s", (const char *) cols->pdata[i]);
  g_string_append (sql, ") VALUES (?1, ?2, ?3, ?4");
  for (guint i = 0; i < cols->len; i++)
    g_string_append_printf (sql, ", ?%u", i + 5);
  g_string_append (sql, ")");

  stmt = _rx_db_prepare (apply->db, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, change->row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, rx_db_get_org_id (apply->db), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, change->hlc, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, change->author, -1, SQLITE_STATIC);
  for (guint i = 0; i < cols->len; i++)
    bind_node (stmt, i + 5, json_object_get_member (payload, cols->pdata[i]));

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc == SQLITE_DONE)
    {
      *result = APPLY_DONE;
      return TRUE;
    }

  if (is_parkable (sqlite3_extended_errcode (_rx_db_get_handle (apply->db))))
    {
      *reason = g_strdup (sqlite3_errmsg (_rx_db_get_handle (apply->db)));
      *result = APPLY_PARK;
      return TRUE;
    }

  return _rx_db_sqlite_error (apply->db, rc, "Applying a change from the server", error);
}

/* The newest entry that wrote this field of this row, local or pulled. */
static char *
field_clock (Apply      *apply,
             const char *entity,
             const char *row_id,
             const char *field,
             GError    **error)
{
  g_autofree char *path = g_strdup_printf ("$.%s", field);
  sqlite3_stmt *stmt;
  char *hlc = NULL;

  stmt = _rx_db_prepare (apply->db,
                         "SELECT max (hlc) FROM change_log WHERE entity = ?1 AND row_id = ?2 "
                         "AND json_type (payload, ?3) IS NOT NULL", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, path, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    hlc = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  return hlc != NULL ? hlc : g_strdup (ZERO_HLC);
}

static gboolean
update_row (Apply       *apply,
            RxChange    *change,
            JsonObject  *payload,
            const char  *row_hlc,
            ApplyResult *result,
            char       **reason,
            GError     **error)
{
  g_autoptr(GPtrArray) cols = payload_columns (apply, change->entity, payload, error);
  g_autoptr(GPtrArray) winners = g_ptr_array_new ();
  g_autoptr(GString) sql = g_string_new (NULL);
  gboolean newest = g_strcmp0 (change->hlc, row_hlc) > 0;
  sqlite3_stmt *stmt;
  int rc;

  if (cols == NULL)
    return FALSE;

  *result = APPLY_DONE;

  /* Newer than the row's last write: newer than every field's. Otherwise field by field. */
  for (guint i = 0; i < cols->len; i++)
    {
      const char *name = cols->pdata[i];
      g_autofree char *clock = NULL;

      if (!newest)
        {
          clock = field_clock (apply, change->entity, change->row_id, name, error);
          if (clock == NULL)
            return FALSE;
          if (g_strcmp0 (change->hlc, clock) <= 0)
            continue;
        }
      g_ptr_array_add (winners, (gpointer) name);
    }

  if (winners->len == 0 && !newest)
    return TRUE;

  g_string_append_printf (sql, "UPDATE %s SET updated_hlc = max (updated_hlc, ?2), "
                               "updated_by = CASE WHEN ?2 > updated_hlc THEN ?3 ELSE updated_by END",
                          change->entity);
  for (guint i = 0; i < winners->len; i++)
    g_string_append_printf (sql, ", %s = ?%u", (const char *) winners->pdata[i], i + 4);
  g_string_append (sql, " WHERE id = ?1");

  stmt = _rx_db_prepare (apply->db, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, change->row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, change->hlc, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, change->author, -1, SQLITE_STATIC);
  for (guint i = 0; i < winners->len; i++)
    bind_node (stmt, i + 4, json_object_get_member (payload, winners->pdata[i]));

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc == SQLITE_DONE)
    return TRUE;

  if (is_parkable (sqlite3_extended_errcode (_rx_db_get_handle (apply->db))))
    {
      *reason = g_strdup (sqlite3_errmsg (_rx_db_get_handle (apply->db)));
      *result = APPLY_PARK;
      return TRUE;
    }

  return _rx_db_sqlite_error (apply->db, rc, "Applying a change from the server", error);
}

static char *
row_hlc (Apply       *apply,
         const char  *entity,
         const char  *row_id,
         GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT updated_hlc FROM %s WHERE id = ?1", entity);
  sqlite3_stmt *stmt = _rx_db_prepare (apply->db, sql, error);
  char *hlc = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, row_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    hlc = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  return hlc;
}

static char *
query_text (Apply      *apply,
            const char *sql,
            const char *arg)
{
  sqlite3_stmt *stmt = _rx_db_prepare (apply->db, sql, NULL);
  char *text = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  return text;
}

/* What this entry may disturb, checked once the page is in. */
static void
note_touched (Apply      *apply,
              RxChange   *change,
              JsonObject *payload)
{
  const char *e = change->entity;
  const char *batch = rx_json_string (payload, "batch_id");
  const char *rx = rx_json_string (payload, "prescription_id");

  if (strcmp (e, "stock_movements") == 0 && batch != NULL)
    g_hash_table_add (apply->batches, g_strdup (batch));
  else if ((strcmp (e, "prescription_events") == 0 || strcmp (e, "dispensings") == 0) &&
           rx != NULL)
    g_hash_table_add (apply->prescriptions, g_strdup (rx));
  else if (strcmp (e, "prescriptions") == 0)
    g_hash_table_add (apply->prescriptions, g_strdup (change->row_id));
  else if (strcmp (e, "sites") == 0 || strcmp (e, "organisations") == 0)
    apply->sites_touched = TRUE;
}

static gboolean
apply_one (Apply       *apply,
           RxChange    *change,
           ApplyResult *result,
           char       **reason,
           GError     **error)
{
  const RxSyncEntity *rules = rx_sync_entity_lookup (change->entity);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *current = NULL;
  JsonObject *payload;
  const char *org;

  *result = APPLY_DONE;

  if (rules == NULL)
    {
      /* a table of a newer RxDesk: keep the entry, apply nothing */
      g_message ("Ignoring a change to \"%s\", which this version does not know", change->entity);
      return TRUE;
    }

  root = json_from_string (change->payload, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The server sent a change to %s whose content is not a JSON object; "
                   "sync stopped before applying it, please report this",
                   change->entity);
      return FALSE;
    }
  payload = json_node_get_object (root);

  org = rx_json_string (payload, "org_id");
  if ((org != NULL || json_object_has_member (payload, "org_id")) &&
      g_strcmp0 (org, rx_db_get_org_id (apply->db)) != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The server sent a change that belongs to another organisation; "
                   "sync stopped: check the server this workstation is enrolled with");
      return FALSE;
    }

  current = row_hlc (apply, change->entity, change->row_id, error);
  if (current == NULL)
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      if (!insert_row (apply, change, payload, result, reason, error))
        return FALSE;
    }
  else if (rules->merge == RX_MERGE_FIELDS)
    {
      if (!update_row (apply, change, payload, current, result, reason, error))
        return FALSE;
    }
  /* else: append-only and already here, nothing to change */

  if (*result == APPLY_DONE)
    note_touched (apply, change, payload);

  return TRUE;
}

static gboolean
record_entry (Apply     *apply,
              RxChange  *change,
              GError   **error)
{
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (apply->db,
                         "INSERT INTO change_log (op_id, entity, row_id, hlc, author, payload, "
                         "pushed_seq, remote) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change->op_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, change->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, change->row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, change->hlc, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, change->author, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, change->payload, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, change->seq);

  return _rx_db_step_done (apply->db, stmt, "Recording a change from the server", error);
}

static gboolean
park (Apply      *apply,
      RxChange   *change,
      const char *reason,
      GError    **error)
{
  g_autofree char *now = rx_db_now_iso (apply->db);
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (apply->db,
                         "INSERT OR REPLACE INTO sync_parked (op_id, server_seq, entity, row_id, "
                         "hlc, author, payload, reason, parked_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change->op_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, change->seq);
  sqlite3_bind_text (stmt, 3, change->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, change->row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, change->hlc, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, change->author, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, change->payload, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, now, -1, SQLITE_STATIC);

  return _rx_db_step_done (apply->db, stmt, "Keeping a change for later", error);
}

static gboolean
known_op (Apply       *apply,
          const char  *op_id)
{
  g_autofree char *hit = query_text (apply,
                                     "SELECT 1 FROM change_log WHERE op_id = ?1 UNION ALL "
                                     "SELECT 2 FROM sync_parked WHERE op_id = ?1", op_id);
  return hit != NULL;
}

/* Each entry in a savepoint of its own, so one that must wait leaves nothing half-done. */
static gboolean
apply_in_savepoint (Apply     *apply,
                    RxChange  *change,
                    gboolean   from_parking,
                    GError   **error)
{
  g_autofree char *reason = NULL;
  ApplyResult result;

  if (!rx_db_begin (apply->db, error))
    return FALSE;

  if (!apply_one (apply, change, &result, &reason, error))
    {
      rx_db_rollback (apply->db);
      return FALSE;
    }

  if (result == APPLY_PARK)
    {
      rx_db_rollback (apply->db);
      if (!from_parking)
        {
          g_debug ("Parking %s %s: %s", change->entity, change->row_id, reason);
          if (!park (apply, change, reason, error))
            return FALSE;
          apply->stats->parked++;
        }
      return TRUE;
    }

  if (!record_entry (apply, change, error))
    {
      rx_db_rollback (apply->db);
      return FALSE;
    }

  if (from_parking)
    {
      sqlite3_stmt *stmt = _rx_db_prepare (apply->db,
                                           "DELETE FROM sync_parked WHERE op_id = ?1", error);
      if (stmt == NULL)
        {
          rx_db_rollback (apply->db);
          return FALSE;
        }
      sqlite3_bind_text (stmt, 1, change->op_id, -1, SQLITE_STATIC);
      if (!_rx_db_step_done (apply->db, stmt, "Releasing a kept change", error))
        {
          rx_db_rollback (apply->db);
          return FALSE;
        }
    }

  _rx_db_observe_hlc (apply->db, change->hlc);
  apply->stats->applied++;
  if (apply->stats->tables != NULL)
    g_hash_table_add (apply->stats->tables, g_strdup (change->entity));

  return rx_db_commit (apply->db, error);
}

static GPtrArray *
load_parked (Apply   *apply,
             GError **error)
{
  g_autoptr(GPtrArray) parked = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_change_free);
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (apply->db,
                         "SELECT server_seq, op_id, entity, row_id, hlc, author, payload "
                         "FROM sync_parked ORDER BY server_seq", error);
  if (stmt == NULL)
    return NULL;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (parked, _rx_change_read (stmt));
  sqlite3_reset (stmt);

  return g_steal_pointer (&parked);
}

/* Retry what waited, until a round frees nothing more. */
static gboolean
retry_parked (Apply   *apply,
              GError **error)
{
  for (;;)
    {
      g_autoptr(GPtrArray) parked = load_parked (apply, error);
      guint before = apply->stats->applied;

      if (parked == NULL)
        return FALSE;
      if (parked->len == 0)
        return TRUE;

      for (guint i = 0; i < parked->len; i++)
        if (!apply_in_savepoint (apply, parked->pdata[i], TRUE, error))
          return FALSE;

      if (apply->stats->applied == before)
        return TRUE;
    }
}

/* Conflicts -------------------------------------------------------------------------------- */

/* The same kind and subject give the same id on every workstation. */
static char *
conflict_id (const char *kind,
             const char *subject)
{
  g_autofree char *key = g_strdup_printf ("rxdesk-conflict:%s:%s", kind, subject);
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  return g_strdup_printf ("%.8s-%.4s-8%.3s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16,
                          hex + 20);
}

static gboolean
raise_conflict (Apply      *apply,
                const char *kind,
                const char *entity,
                const char *entity_id,
                const char *detail,
                GError    **error)
{
  g_autofree char *id = conflict_id (kind, entity_id);
  g_autofree char *now = rx_db_now_iso (apply->db);
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (apply->db,
                         "INSERT INTO conflicts (id, org_id, updated_hlc, updated_by, kind, entity, "
                         "entity_id, detail, detected_at) "
                         "VALUES (?1, ?2, ?3, 'sync', ?4, ?5, ?6, ?7, ?8) "
                         "ON CONFLICT (id) DO UPDATE SET detail = excluded.detail "
                         "WHERE state = 'open'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, rx_db_get_org_id (apply->db), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, ZERO_HLC, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, detail, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_STATIC);

  return _rx_db_step_done (apply->db, stmt, "Recording a sync conflict", error);
}

static gboolean
count_new_conflicts (Apply   *apply,
                     gint64   before)
{
  gint64 after = _rx_db_query_int (apply->db, "SELECT count(*) FROM conflicts");

  apply->stats->conflicts += (guint) MAX (0, after - before);
  return TRUE;
}

static gboolean
check_batches (Apply   *apply,
               GError **error)
{
  GHashTableIter iter;
  gpointer key;
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (apply->db,
                         "SELECT sum (m.quantity), p.code, b.lot FROM stock_movements m "
                         "JOIN stock_batches b ON b.id = m.batch_id "
                         "JOIN products p ON p.id = b.product_id "
                         "WHERE m.batch_id = ?1 AND m.deleted = 0", error);
  if (stmt == NULL)
    return FALSE;

  g_hash_table_iter_init (&iter, apply->batches);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autofree char *detail = NULL;
      gint64 on_hand;

      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
        {
          sqlite3_reset (stmt);
          continue;
        }
      on_hand = sqlite3_column_int64 (stmt, 0);
      if (on_hand < 0)
        detail = g_strdup_printf ("Batch %s of %s is at %" G_GINT64_FORMAT
                                  " after merging movements made on several workstations; "
                                  "count the shelf and record an adjustment",
                                  (const char *) sqlite3_column_text (stmt, 2),
                                  (const char *) sqlite3_column_text (stmt, 1), on_hand);
      sqlite3_reset (stmt);

      if (detail != NULL &&
          !raise_conflict (apply, "negative_stock", "stock_batches", key, detail, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
check_dispensed (Apply       *apply,
                 const char  *prescription_id,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_db_prepare (apply->db,
                         "SELECT i.id, i.quantity * (1 + i.repeats), sum (d.quantity) "
                         "FROM prescription_items i JOIN dispensings d "
                         "ON d.prescription_item_id = i.id "
                         "WHERE i.prescription_id = ?1 GROUP BY i.id "
                         "HAVING sum (d.quantity) > i.quantity * (1 + i.repeats)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, prescription_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *item = _rx_stmt_dup_text (stmt, 0);
      g_autofree char *detail =
        g_strdup_printf ("%" G_GINT64_FORMAT " units of prescription item %s were dispensed "
                         "where %" G_GINT64_FORMAT " were allowed, by dispensings made while "
                         "offline; contact the patient and record what was recovered",
                         (gint64) sqlite3_column_int64 (stmt, 2), item,
                         (gint64) sqlite3_column_int64 (stmt, 1));

      if (!raise_conflict (apply, "over_dispense", "prescription_items", item, detail, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE ||
         _rx_db_sqlite_error (apply->db, rc, "Checking what was dispensed", error);
}

/* A prescription's status is its events replayed through the state machine in HLC order, so
 * every workstation with the same events ends in the same state. An event the machine
 * refuses changes nothing and becomes a conflict. */
static gboolean
replay_status (Apply       *apply,
               const char  *prescription_id,
               GError     **error)
{
  RxPrescriptionStatus state = RX_PRESCRIPTION_DRAFT;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *stored = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_db_prepare (apply->db,
                         "SELECT id, to_status FROM prescription_events WHERE prescription_id = ?1 "
                         "AND deleted = 0 ORDER BY updated_hlc, id", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, prescription_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (ids, _rx_stmt_dup_text (stmt, 0));
      g_ptr_array_add (targets, _rx_stmt_dup_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _rx_db_sqlite_error (apply->db, rc, "Replaying a prescription's status", error);

  if (ids->len == 0)
    return TRUE;

  for (guint i = 0; i < ids->len; i++)
    {
      const char *to_text = targets->pdata[i];
      RxPrescriptionStatus to;
      g_autofree char *detail = NULL;

      if (!rx_prescription_status_from_string (to_text, &to) || to == state)
        continue;

      if (rx_prescription_status_can_move (state, to))
        {
          state = to;
          continue;
        }

      detail = g_strdup_printf ("Prescription %s was %s on one workstation and %s on another "
                                "while they were offline; it stays %s: check with the "
                                "prescriber and the pharmacy",
                                prescription_id, rx_prescription_status_to_string (state),
                                to_text, rx_prescription_status_to_string (state));
      if (!raise_conflict (apply, "status", "prescription_events", ids->pdata[i], detail, error))
        return FALSE;
    }

  stored = query_text (apply, "SELECT status FROM prescriptions WHERE id = ?1", prescription_id);
  if (stored == NULL || strcmp (stored, rx_prescription_status_to_string (state)) == 0)
    return TRUE;

  stmt = _rx_db_prepare (apply->db, "UPDATE prescriptions SET status = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, prescription_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, rx_prescription_status_to_string (state), -1, SQLITE_STATIC);

  return _rx_db_step_done (apply->db, stmt, "Setting a prescription's merged status", error);
}

/* After the page ------------------------------------------------------------------------- */

static gboolean
after_page (Apply   *apply,
            GError **error)
{
  gint64 before = _rx_db_query_int (apply->db, "SELECT count(*) FROM conflicts");
  GHashTableIter iter;
  gpointer key;

  if (!check_batches (apply, error))
    return FALSE;

  g_hash_table_iter_init (&iter, apply->prescriptions);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!replay_status (apply, key, error) || !check_dispensed (apply, key, error))
      return FALSE;

  count_new_conflicts (apply, before);

  /* A workstation filled from the server takes the organisation's name and first site. */
  if (apply->sites_touched)
    {
      g_autofree char *site = rx_db_get_meta (apply->db, "site_id");
      g_autofree char *name = rx_db_get_meta (apply->db, "clinic_name");

      if (site == NULL)
        {
          g_autofree char *first = query_text (apply, "SELECT id FROM sites WHERE deleted = 0 "
                                                      "AND org_id = ?1 ORDER BY id LIMIT 1",
                                               rx_db_get_org_id (apply->db));
          if (first != NULL && !_rx_db_set_meta (apply->db, "site_id", first, error))
            return FALSE;
        }
      if (name == NULL)
        {
          g_autofree char *org = query_text (apply, "SELECT name FROM organisations WHERE id = ?1",
                                             rx_db_get_org_id (apply->db));
          if (org != NULL && !_rx_db_set_meta (apply->db, "clinic_name", org, error))
            return FALSE;
        }
      if (!_rx_db_reload_identity (apply->db, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * rx_sync_apply_page:
 * @changes: (element-type RxChange): entries in server order; `seq` is the server's number
 * @checkpoint_key: which checkpoint this page advances (one per role)
 * @checkpoint: the server's `next`, stored in the same transaction as the entries
 *
 * Applies one pulled page. Either all of it and the checkpoint are saved, or nothing is: a
 * workstation killed half-way pulls the same page again and applies it the same way.
 */
gboolean
rx_sync_apply_page (RxDb          *db,
                    GPtrArray     *changes,
                    const char    *checkpoint_key,
                    gint64         checkpoint,
                    RxApplyStats  *stats,
                    GError       **error)
{
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;
  RxApplyStats local = { 0, };
  Apply apply = { 0, };
  gboolean ok = FALSE;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);
  g_return_val_if_fail (checkpoint_key != NULL, FALSE);
  g_return_val_if_fail (!_rx_db_in_transaction (db), FALSE);

  if (rx_db_get_org_id (db) == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "This clinic file has no organisation yet; enrol it before syncing");
      return FALSE;
    }

  apply.db = db;
  apply.stats = stats != NULL ? stats : &local;
  apply.columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_hash_table_unref);
  apply.batches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  apply.prescriptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  key = g_strdup_printf ("sync_checkpoint:%s", checkpoint_key);
  value = g_strdup_printf ("%" G_GINT64_FORMAT, checkpoint);

  if (!rx_db_begin (db, error))
    goto out;

  for (guint i = 0; i < changes->len; i++)
    {
      RxChange *change = changes->pdata[i];

      if (known_op (&apply, change->op_id))
        {
          apply.stats->skipped++;
          continue;
        }

      if (!apply_in_savepoint (&apply, change, FALSE, error))
        goto fail;
    }

  if (!retry_parked (&apply, error) ||
      !after_page (&apply, error) ||
      !_rx_db_set_meta (db, key, value, error) ||
      !rx_db_commit (db, error))
    goto fail;

  ok = TRUE;
  goto out;

fail:
  rx_db_rollback (db);
  /* the identity may have been reloaded from rows that are gone again */
  _rx_db_reload_identity (db, NULL);
out:
  g_hash_table_unref (apply.columns);
  g_hash_table_unref (apply.batches);
  g_hash_table_unref (apply.prescriptions);
  return ok;
}

gint64
rx_sync_get_checkpoint (RxDb       *db,
                        const char *checkpoint_key)
{
  g_autofree char *key = g_strdup_printf ("sync_checkpoint:%s", checkpoint_key);
  g_autofree char *value = rx_db_get_meta (db, key);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

gint64
rx_sync_count_parked (RxDb *db)
{
  return _rx_db_query_int (db, "SELECT count(*) FROM sync_parked");
}

/* Where and as what this workstation syncs (server address, pinned fingerprint, workstation
 * id): settings of this file, not clinical data, so they do not travel. Secrets never come
 * here; they live in the keyring. */
gboolean
rx_sync_set_setting (RxDb        *db,
                     const char  *key,
                     const char  *value,
                     GError     **error)
{
  g_autofree char *full = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  full = g_strdup_printf ("sync_%s", key);
  return _rx_db_set_meta (db, full, value, error);
}
