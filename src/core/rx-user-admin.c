/* rx-user-admin.c: the administrator's view of the clinic's people: one summary per account
 * (state, last login, second factor, certificate), unlocking an account, and each doctor's
 * signed prescriptions and most prescribed medicines over a period. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-cert.h"
#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-totp.h"
#include "rx-user-admin.h"

void
rx_user_summary_free (RxUserSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_object (&summary->user);
  g_free (summary->last_login);
  g_free (summary->cert_not_after);
  g_free (summary->cert_revoked_at);
  g_free (summary);
}

void
rx_prescriber_stats_free (RxPrescriberStats *stats)
{
  if (stats == NULL)
    return;
  g_free (stats->user_id);
  g_free (stats->full_name);
  g_free (stats->top_medicines);
  g_free (stats);
}

static char *
last_login (RxDb       *db,
            const char *user_id)
{
  sqlite3_stmt *stmt = _rx_db_prepare (db, "SELECT max (at) FROM audit_events "
                                           "WHERE action = 'login' AND entity = 'users' "
                                           "AND entity_id = ?1", NULL);
  char *at = NULL;

  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, user_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    at = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  return at;
}

/* Every account, as rx_users_list() orders them, with what an admin checks about each. */
GPtrArray *
rx_users_summarize (RxDb    *db,
                    GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                             rx_user_summary_free);
  g_autoptr(GListModel) users = NULL;
  g_autoptr(GListModel) certs = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (!_rx_db_require (db, RX_ACTION_USER_ADMIN, error))
    return NULL;

  users = rx_users_list (db, error);
  if (users == NULL)
    return NULL;
  certs = rx_certs_list (db, error);
  if (certs == NULL)
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (users); i++)
    {
      RxUserSummary *s = g_new0 (RxUserSummary, 1);

      s->user = g_list_model_get_item (users, i);
      s->last_login = last_login (db, rx_user_get_id (s->user));
      s->totp_enrolled = rx_totp_is_enrolled (db, rx_user_get_id (s->user));
      s->login_throttled = rx_users_login_wait (db, rx_user_get_username (s->user)) > 0;

      /* certificates come newest first per user: the first one is the current one */
      for (guint k = 0; k < g_list_model_get_n_items (certs); k++)
        {
          g_autoptr(RxCertificate) cert = g_list_model_get_item (certs, k);

          if (g_strcmp0 (rx_certificate_get_kind (cert), "signing") != 0 ||
              g_strcmp0 (rx_certificate_get_user_id (cert), rx_user_get_id (s->user)) != 0)
            continue;
          s->cert_not_after = g_strdup (rx_certificate_get_not_after (cert));
          s->cert_revoked_at = g_strdup (rx_certificate_get_revoked_at (cert));
          break;
        }
      g_ptr_array_add (out, s);
    }

  return g_steal_pointer (&out);
}

/* Lets someone in again: a locked account becomes active and failed logins are forgotten on
 * this workstation. A disabled account stays disabled: that is a decision, not a lock-out. */
gboolean
rx_users_unlock (RxDb        *db,
                 const char  *user_id,
                 GError     **error)
{
  g_autoptr(RxUser) user = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);

  if (!_rx_db_require (db, RX_ACTION_USER_ADMIN, error))
    return FALSE;

  user = rx_users_find (db, user_id, error);
  if (user == NULL)
    return FALSE;
  if (g_strcmp0 (rx_user_get_state (user), "disabled") == 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
                   "%s's account is disabled, not locked; it stays disabled so that their "
                   "signed work still verifies — add a new account if they come back",
                   rx_user_get_full_name (user));
      return FALSE;
    }

  if (!rx_db_begin (db, error))
    return FALSE;

  if (g_strcmp0 (rx_user_get_state (user), "locked") == 0)
    {
      g_autoptr(RxRow) row = _rx_row_new_update ("users", rx_user_get_id (user));

      _rx_row_set_text (row, "state", "active");
      if (!_rx_db_put (db, row, error))
        goto fail;
    }

  stmt = _rx_db_prepare (db, "DELETE FROM login_failures WHERE username = lower (?1)", error);
  if (stmt == NULL)
    goto fail;
  _rx_stmt_bind_text (stmt, 1, rx_user_get_username (user));
  if (!_rx_db_step_done (db, stmt, "Forgetting failed logins", error) ||
      !_rx_db_audit (db, "unlock", "users", rx_user_get_id (user), NULL, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return TRUE;

fail:
  rx_db_rollback (db);
  return FALSE;
}

/* For each doctor: prescriptions signed (anything past draft) from @since up to (not including) @until (UTC
 * ISO-8601; NULL for no bound) and their @top most prescribed medicines. Busiest first. */
GPtrArray *
rx_users_prescriber_stats (RxDb        *db,
                           const char  *since,
                           const char  *until,
                           guint        top,
                           GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                             rx_prescriber_stats_free);
  sqlite3_stmt *stmt;
  sqlite3_stmt *meds;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (!_rx_db_require (db, RX_ACTION_USER_ADMIN, error))
    return NULL;

  stmt = _rx_db_prepare (db,
                         "SELECT u.id, u.full_name, count (p.id) AS n FROM users u "
                         "LEFT JOIN prescriptions p ON p.prescriber_id = u.id "
                         " AND p.deleted = 0 AND p.status <> 'draft' "
                         " AND (?1 IS NULL OR coalesce (p.signed_at, p.created_at) >= ?1) "
                         " AND (?2 IS NULL OR coalesce (p.signed_at, p.created_at) < ?2) "
                         "WHERE u.role = 'doctor' AND u.deleted = 0 "
                         "GROUP BY u.id ORDER BY n DESC, u.full_name", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, since);
  _rx_stmt_bind_text (stmt, 2, until);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RxPrescriberStats *s = g_new0 (RxPrescriberStats, 1);

      s->user_id = _rx_stmt_dup_text (stmt, 0);
      s->full_name = _rx_stmt_dup_text (stmt, 1);
      s->signed_count = sqlite3_column_int (stmt, 2);
      g_ptr_array_add (out, s);
    }
  sqlite3_reset (stmt);

  meds = _rx_db_prepare (db,
                         "SELECT d.inn, count (*) AS n FROM prescriptions p "
                         "JOIN prescription_items i ON i.prescription_id = p.id "
                         "JOIN products pr ON pr.id = i.product_id "
                         "JOIN drugs d ON d.id = pr.drug_id "
                         "WHERE p.prescriber_id = ?1 AND p.deleted = 0 AND i.deleted = 0 "
                         " AND p.status <> 'draft' "
                         " AND (?2 IS NULL OR coalesce (p.signed_at, p.created_at) >= ?2) "
                         " AND (?3 IS NULL OR coalesce (p.signed_at, p.created_at) < ?3) "
                         "GROUP BY d.inn ORDER BY n DESC, d.inn LIMIT ?4", error);
  if (meds == NULL)
    return NULL;
  for (guint i = 0; i < out->len; i++)
    {
      RxPrescriberStats *s = out->pdata[i];
      g_autoptr(GString) text = g_string_new (NULL);

      _rx_stmt_bind_text (meds, 1, s->user_id);
      _rx_stmt_bind_text (meds, 2, since);
      _rx_stmt_bind_text (meds, 3, until);
      sqlite3_bind_int (meds, 4, top);
      while (sqlite3_step (meds) == SQLITE_ROW)
        g_string_append_printf (text, "%s%s (%d)", text->len ? ", " : "",
                                sqlite3_column_text (meds, 0), sqlite3_column_int (meds, 1));
      sqlite3_reset (meds);
      s->top_medicines = g_string_free (g_steal_pointer (&text), FALSE);
    }

  return g_steal_pointer (&out);
}
