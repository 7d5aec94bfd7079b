/* rx-store-pg-access.c: the PostgreSQL store's workstations, tokens and login failures: who
 * may come in, shared by every server process. Tokens and secrets are kept only as SHA-256. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include "rx-server-error.h"
#include "rx-store-pg-private.h"

static gboolean
exec (RxStore           *store,
      const char        *sql,
      const RxPgParams  *p,
      const char        *what,
      GError           **error)
{
  g_autoptr(PGresult) r = _rx_store_pg_query (RX_STORE_PG (store), sql, p, what, error);

  return r != NULL;
}

/* Workstations ---------------------------------------------------------------------------- */

#define WORKSTATION_COLUMNS \
  "id, org_id, name, node_id, secret_hash, enrolled_at, last_seen_at, revoked_at"

static gpointer
read_workstation (const PGresult *r,
                  int             row)
{
  RxStoreWorkstation *ws = g_new0 (RxStoreWorkstation, 1);

  ws->id = _rx_pg_dup (r, row, 0);
  ws->org_id = _rx_pg_dup (r, row, 1);
  ws->name = _rx_pg_dup (r, row, 2);
  ws->node_id = _rx_pg_dup (r, row, 3);
  ws->secret_hash = _rx_pg_dup (r, row, 4);
  ws->enrolled_at = _rx_pg_int64 (r, row, 5);
  ws->last_seen_at = _rx_pg_int64 (r, row, 6);
  ws->revoked_at = _rx_pg_int64 (r, row, 7);

  return ws;
}

static gboolean
pg_workstation_add (RxStore                   *store,
                    const RxStoreWorkstation  *ws,
                    GError                   **error)
{
  g_auto(RxPgParams) p = { 0, };

  _rx_pg_text (&p, ws->id);
  _rx_pg_text (&p, ws->org_id);
  _rx_pg_text (&p, ws->name);
  _rx_pg_text (&p, ws->node_id);
  _rx_pg_text (&p, ws->secret_hash);
  _rx_pg_int (&p, ws->enrolled_at);
  _rx_pg_time (&p, ws->last_seen_at);
  _rx_pg_time (&p, ws->revoked_at);

  return exec (store, "INSERT INTO workstations (" WORKSTATION_COLUMNS ") "
                      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", &p, "Adding a workstation",
               error);
}

static RxStoreWorkstation *
pg_workstation_get (RxStore     *store,
                    const char  *id,
                    GError     **error)
{
  g_auto(RxPgParams) p = { 0, };

  _rx_pg_text (&p, id);
  return _rx_store_pg_read_one (RX_STORE_PG (store),
                                "SELECT " WORKSTATION_COLUMNS " FROM workstations WHERE id = $1",
                                &p, read_workstation, "Reading a workstation", error);
}

static GPtrArray *
pg_workstation_list (RxStore     *store,
                     const char  *org_id,
                     GError     **error)
{
  g_auto(RxPgParams) p = { 0, };

  _rx_pg_text (&p, org_id);
  return _rx_store_pg_read_all (RX_STORE_PG (store),
                                "SELECT " WORKSTATION_COLUMNS " FROM workstations "
                                "WHERE org_id = $1 ORDER BY enrolled_at, id",
                                &p, read_workstation, (GDestroyNotify) rx_store_workstation_free,
                                "Listing workstations", error);
}

/* The workstation and its tokens in one statement, so no process sees one without the other. */
static gboolean
pg_workstation_revoke (RxStore     *store,
                       const char  *id,
                       gint64       at,
                       GError     **error)
{
  g_auto(RxPgParams) p = { 0, };

  _rx_pg_text (&p, id);
  _rx_pg_int (&p, at);
  return exec (store, "WITH revoked AS (UPDATE workstations SET revoked_at = $2 "
                      "  WHERE id = $1 AND revoked_at IS NULL) "
                      "UPDATE tokens SET revoked_at = $2 "
                      "WHERE workstation_id = $1 AND revoked_at IS NULL",
               &p, "Revoking a workstation", error);
}

static gboolean
pg_workstation_seen (RxStore     *store,
                     const char  *id,
                     gint64       at,
                     GError     **error)
{
  g_auto(RxPgParams) p = { 0, };

  /* at most once a minute: a busy workstation should not write on every request */
  _rx_pg_text (&p, id);
  _rx_pg_int (&p, at);
  return exec (store, "UPDATE workstations SET last_seen_at = $2 "
                      "WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < $2 - 60)",
               &p, "Noting a workstation's visit", error);
}

/* Tokens ---------------------------------------------------------------------------------- */

static gboolean
pg_token_add (RxStore             *store,
              const RxStoreToken  *token,
              GError             **error)
{
  g_auto(RxPgParams) p = { 0, };

  _rx_pg_text (&p, token->token_hash);
  _rx_pg_text (&p, token->org_id);
  _rx_pg_text (&p, token->workstation_id);
  _rx_pg_text (&p, token->user_id);
  _rx_pg_text (&p, token->role);
  _rx_pg_int (&p, token->created_at);
  _rx_pg_int (&p, token->expires_at);
  return exec (store, "INSERT INTO tokens (token_hash, org_id, workstation_id, user_id, role, "
                      "created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
               &p, "Adding a token", error);
}

static gpointer
read_token (const PGresult *r,
            int             row)
{
  RxStoreToken *token = g_new0 (RxStoreToken, 1);

  token->token_hash = _rx_pg_dup (r, row, 0);
  token->org_id = _rx_pg_dup (r, row, 1);
  token->workstation_id = _rx_pg_dup (r, row, 2);
  token->user_id = _rx_pg_dup (r, row, 3);
  token->role = _rx_pg_dup (r, row, 4);
  token->created_at = _rx_pg_int64 (r, row, 5);
  token->expires_at = _rx_pg_int64 (r, row, 6);
  token->revoked_at = _rx_pg_int64 (r, row, 7);

  return token;
}

static RxStoreToken *
pg_token_get (RxStore     *store,
              const char  *token_hash,
              GError     **error)
{
  g_auto(RxPgParams) p = { 0, };

  _rx_pg_text (&p, token_hash);
  return _rx_store_pg_read_one (RX_STORE_PG (store),
                                "SELECT token_hash, org_id, workstation_id, user_id, role, "
                                "created_at, expires_at, revoked_at FROM tokens "
                                "WHERE token_hash = $1",
                                &p, read_token, "Reading a token", error);
}

static gboolean
pg_token_revoke (RxStore     *store,
                 const char  *token_hash,
                 gint64       at,
                 GError     **error)
{
  g_auto(RxPgParams) p = { 0, };

  _rx_pg_text (&p, token_hash);
  _rx_pg_int (&p, at);
  return exec (store, "UPDATE tokens SET revoked_at = $2 "
                      "WHERE token_hash = $1 AND revoked_at IS NULL",
               &p, "Ending a token", error);
}

/* Login failures -------------------------------------------------------------------------- */

static gboolean
pg_failure_add (RxStore     *store,
                const char  *key,
                gint64       at,
                GError     **error)
{
  g_auto(RxPgParams) p = { 0, };

  _rx_pg_text (&p, key);
  _rx_pg_int (&p, at);
  return exec (store, "INSERT INTO login_failures (key, at) VALUES ($1, $2)", &p,
               "Counting a failed login", error);
}

static gboolean
pg_failures_count (RxStore     *store,
                   const char  *key,
                   gint64       since,
                   guint       *count,
                   gint64      *oldest,
                   GError     **error)
{
  g_auto(RxPgParams) p = { 0, };
  g_autoptr(PGresult) r = NULL;

  _rx_pg_text (&p, key);
  _rx_pg_int (&p, since);
  r = _rx_store_pg_query (RX_STORE_PG (store),
                          "SELECT count(*), min(at) FROM login_failures "
                          "WHERE key = $1 AND at >= $2",
                          &p, "Counting failed logins", error);
  if (r == NULL)
    return FALSE;
  *count = (guint) _rx_pg_int64 (r, 0, 0);
  *oldest = _rx_pg_int64 (r, 0, 1);

  return TRUE;
}

static gboolean
pg_failures_clear (RxStore     *store,
                   const char  *key,
                   gint64       before,
                   GError     **error)
{
  g_auto(RxPgParams) p = { 0, };

  _rx_pg_text (&p, key);
  _rx_pg_int (&p, before);
  return exec (store, "DELETE FROM login_failures "
                      "WHERE ($1::text IS NULL OR key = $1) AND at < $2",
               &p, "Forgetting failed logins", error);
}

void
_rx_store_pg_access_iface_init (RxStoreInterface *iface)
{
  iface->workstation_add = pg_workstation_add;
  iface->workstation_get = pg_workstation_get;
  iface->workstation_list = pg_workstation_list;
  iface->workstation_revoke = pg_workstation_revoke;
  iface->workstation_seen = pg_workstation_seen;
  iface->token_add = pg_token_add;
  iface->token_get = pg_token_get;
  iface->token_revoke = pg_token_revoke;
  iface->failure_add = pg_failure_add;
  iface->failures_count = pg_failures_count;
  iface->failures_clear = pg_failures_clear;
}
