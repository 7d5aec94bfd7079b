/* rx-store-sqlite-access.c: the SQLite store's workstations, tokens and login failures: who
 * may come in. Tokens and workstation secrets are kept only as their SHA-256. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include "rx-server-error.h"
#include "rx-store-sqlite-private.h"

static void
bind_time (sqlite3_stmt *stmt,
           int           index,
           gint64        t)
{
  if (t == 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, t);
}

/* Workstations ---------------------------------------------------------------------------- */

#define WORKSTATION_COLUMNS \
  "id, org_id, name, node_id, secret_hash, enrolled_at, last_seen_at, revoked_at"

static RxStoreWorkstation *
read_workstation (sqlite3_stmt *stmt)
{
  RxStoreWorkstation *ws = g_new0 (RxStoreWorkstation, 1);

  ws->id = _rx_store_sqlite_dup (stmt, 0);
  ws->org_id = _rx_store_sqlite_dup (stmt, 1);
  ws->name = _rx_store_sqlite_dup (stmt, 2);
  ws->node_id = _rx_store_sqlite_dup (stmt, 3);
  ws->secret_hash = _rx_store_sqlite_dup (stmt, 4);
  ws->enrolled_at = sqlite3_column_int64 (stmt, 5);
  ws->last_seen_at = _rx_store_sqlite_int (stmt, 6);
  ws->revoked_at = _rx_store_sqlite_int (stmt, 7);

  return ws;
}

gboolean
_rx_store_sqlite_workstation_add (RxStore                   *store,
                                  const RxStoreWorkstation  *ws,
                                  GError                   **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "INSERT INTO workstations (" WORKSTATION_COLUMNS ") "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (stmt == NULL)
    return FALSE;
  _rx_store_sqlite_bind_text (stmt, 1, ws->id);
  _rx_store_sqlite_bind_text (stmt, 2, ws->org_id);
  _rx_store_sqlite_bind_text (stmt, 3, ws->name);
  _rx_store_sqlite_bind_text (stmt, 4, ws->node_id);
  _rx_store_sqlite_bind_text (stmt, 5, ws->secret_hash);
  sqlite3_bind_int64 (stmt, 6, ws->enrolled_at);
  bind_time (stmt, 7, ws->last_seen_at);
  bind_time (stmt, 8, ws->revoked_at);

  return _rx_store_sqlite_step_done (self, stmt, "Adding a workstation", error);
}

RxStoreWorkstation *
_rx_store_sqlite_workstation_get (RxStore     *store,
                                  const char  *id,
                                  GError     **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "SELECT " WORKSTATION_COLUMNS " FROM workstations "
                                         "WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  _rx_store_sqlite_bind_text (stmt, 1, id);
  return _rx_store_sqlite_read_one (self, stmt, (RxStoreReadFunc) read_workstation, "Reading a workstation",
                                    error);
}

GPtrArray *
_rx_store_sqlite_workstation_list (RxStore     *store,
                                   const char  *org_id,
                                   GError     **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "SELECT " WORKSTATION_COLUMNS " FROM workstations "
                                         "WHERE org_id = ?1 ORDER BY enrolled_at, id", error);
  if (stmt == NULL)
    return NULL;
  _rx_store_sqlite_bind_text (stmt, 1, org_id);
  return _rx_store_sqlite_read_all (self, stmt, (RxStoreReadFunc) read_workstation,
                                    (GDestroyNotify) rx_store_workstation_free, "Listing workstations", error);
}

gboolean
_rx_store_sqlite_workstation_revoke (RxStore     *store,
                                     const char  *id,
                                     gint64       at,
                                     GError     **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "UPDATE workstations SET revoked_at = ?2 "
                                         "WHERE id = ?1 AND revoked_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  _rx_store_sqlite_bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, at);
  if (!_rx_store_sqlite_step_done (self, stmt, "Revoking a workstation", error))
    return FALSE;

  stmt = _rx_store_sqlite_prepare (self, "UPDATE tokens SET revoked_at = ?2 "
                                         "WHERE workstation_id = ?1 AND revoked_at IS NULL",
                                   error);
  if (stmt == NULL)
    return FALSE;
  _rx_store_sqlite_bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, at);

  return _rx_store_sqlite_step_done (self, stmt, "Ending a workstation's tokens", error);
}

gboolean
_rx_store_sqlite_workstation_seen (RxStore     *store,
                                   const char  *id,
                                   gint64       at,
                                   GError     **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  /* at most once a minute: a busy workstation should not write on every request */
  stmt = _rx_store_sqlite_prepare (self, "UPDATE workstations SET last_seen_at = ?2 "
                                         "WHERE id = ?1 AND (last_seen_at IS NULL "
                                         "  OR last_seen_at < ?2 - 60)", error);
  if (stmt == NULL)
    return FALSE;
  _rx_store_sqlite_bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, at);

  return _rx_store_sqlite_step_done (self, stmt, "Noting a workstation's visit", error);
}

/* Tokens and login failures --------------------------------------------------------------- */

gboolean
_rx_store_sqlite_token_add (RxStore             *store,
                            const RxStoreToken  *token,
                            GError             **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "INSERT INTO tokens (token_hash, org_id, "
                                         "workstation_id, user_id, role, created_at, "
                                         "expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                   error);
  if (stmt == NULL)
    return FALSE;
  _rx_store_sqlite_bind_text (stmt, 1, token->token_hash);
  _rx_store_sqlite_bind_text (stmt, 2, token->org_id);
  _rx_store_sqlite_bind_text (stmt, 3, token->workstation_id);
  _rx_store_sqlite_bind_text (stmt, 4, token->user_id);
  _rx_store_sqlite_bind_text (stmt, 5, token->role);
  sqlite3_bind_int64 (stmt, 6, token->created_at);
  sqlite3_bind_int64 (stmt, 7, token->expires_at);

  return _rx_store_sqlite_step_done (self, stmt, "Adding a token", error);
}

RxStoreToken *
_rx_store_sqlite_token_get (RxStore     *store,
                            const char  *token_hash,
                            GError     **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  RxStoreToken *token = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_store_sqlite_prepare (self, "SELECT org_id, workstation_id, user_id, role, "
                                         "created_at, expires_at, revoked_at FROM tokens "
                                         "WHERE token_hash = ?1", error);
  if (stmt == NULL)
    return NULL;
  _rx_store_sqlite_bind_text (stmt, 1, token_hash);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      token = g_new0 (RxStoreToken, 1);
      token->token_hash = g_strdup (token_hash);
      token->org_id = _rx_store_sqlite_dup (stmt, 0);
      token->workstation_id = _rx_store_sqlite_dup (stmt, 1);
      token->user_id = _rx_store_sqlite_dup (stmt, 2);
      token->role = _rx_store_sqlite_dup (stmt, 3);
      token->created_at = sqlite3_column_int64 (stmt, 4);
      token->expires_at = sqlite3_column_int64 (stmt, 5);
      token->revoked_at = _rx_store_sqlite_int (stmt, 6);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _rx_store_sqlite_fail (self, rc, "Reading a token", error);

  return token;
}

gboolean
_rx_store_sqlite_token_revoke (RxStore     *store,
                               const char  *token_hash,
                               gint64       at,
                               GError     **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "UPDATE tokens SET revoked_at = ?2 "
                                         "WHERE token_hash = ?1 AND revoked_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  _rx_store_sqlite_bind_text (stmt, 1, token_hash);
  sqlite3_bind_int64 (stmt, 2, at);

  return _rx_store_sqlite_step_done (self, stmt, "Ending a token", error);
}

gboolean
_rx_store_sqlite_failure_add (RxStore     *store,
                              const char  *key,
                              gint64       at,
                              GError     **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "INSERT INTO login_failures (key, at) VALUES (?1, ?2)",
                                   error);
  if (stmt == NULL)
    return FALSE;
  _rx_store_sqlite_bind_text (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, at);

  return _rx_store_sqlite_step_done (self, stmt, "Counting a failed login", error);
}

gboolean
_rx_store_sqlite_failures_count (RxStore     *store,
                                 const char  *key,
                                 gint64       since,
                                 guint       *count,
                                 gint64      *oldest,
                                 GError     **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_store_sqlite_prepare (self, "SELECT count(*), min(at) FROM login_failures "
                                         "WHERE key = ?1 AND at >= ?2", error);
  if (stmt == NULL)
    return FALSE;
  _rx_store_sqlite_bind_text (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, since);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *count = sqlite3_column_int (stmt, 0);
      *oldest = _rx_store_sqlite_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _rx_store_sqlite_fail (self, rc, "Counting failed logins", error);

  return TRUE;
}

gboolean
_rx_store_sqlite_failures_clear (RxStore     *store,
                                 const char  *key,
                                 gint64       before,
                                 GError     **error)
{
  RxStoreSqlite *self = RX_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = _rx_store_sqlite_prepare (self, "DELETE FROM login_failures "
                                         "WHERE (?1 IS NULL OR key = ?1) AND at < ?2", error);
  if (stmt == NULL)
    return FALSE;
  _rx_store_sqlite_bind_text (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, before);

  return _rx_store_sqlite_step_done (self, stmt, "Forgetting failed logins", error);
}
