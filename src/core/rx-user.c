/* rx-user.c: user accounts. One account per person: generic or shared names are refused, and
 * accounts are disabled, never deleted, so the work they signed still verifies. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>

#include "rx-cert-private.h"
#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-keyring.h"
#include "rx-password.h"
#include "rx-totp-private.h"
#include "rx-user.h"
#include "rx-validate.h"

struct _RxUser
{
  GObject  parent_instance;

  char    *id;
  char    *username;
  char    *full_name;
  RxRole   role;
  char    *state;
  char    *created_at;
  char    *password_hash;
  gboolean must_change_password;
};

G_DEFINE_FINAL_TYPE (RxUser, rx_user, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_USERNAME,
  PROP_FULL_NAME,
  PROP_ROLE,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const role_names[] = { "admin", "doctor", "pharmacist", "receptionist", NULL };

/* Names that stand for a desk or a team rather than a person. */
static const char * const shared_names[] = {
  "admin", "administrator", "root", "doctor", "pharmacist", "pharmacy", "reception",
  "receptionist", "nurse", "staff", "shared", "team", "user", "guest", "test", "demo",
  "clinic", "frontdesk", "front-desk", "till", NULL
};

const char *
rx_role_to_string (RxRole role)
{
  g_return_val_if_fail (role <= RX_ROLE_RECEPTIONIST, NULL);
  return role_names[role];
}

gboolean
rx_role_from_string (const char *text,
                     RxRole     *role)
{
  for (guint i = 0; role_names[i]; i++)
    if (g_strcmp0 (text, role_names[i]) == 0)
      {
        *role = i;
        return TRUE;
      }

  return FALSE;
}

static void
rx_user_finalize (GObject *object)
{
  RxUser *self = (RxUser *) object;

  g_free (self->id);
  g_free (self->username);
  g_free (self->full_name);
  g_free (self->state);
  g_free (self->created_at);
  g_free (self->password_hash);

  G_OBJECT_CLASS (rx_user_parent_class)->finalize (object);
}

static void
rx_user_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  RxUser *self = RX_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_FULL_NAME:
      g_value_set_string (value, self->full_name);
      break;

    case PROP_ROLE:
      g_value_set_string (value, rx_role_to_string (self->role));
      break;

    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_user_class_init (RxUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rx_user_finalize;
  object_class->get_property = rx_user_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, flags);
  properties[PROP_FULL_NAME] = g_param_spec_string ("full-name", NULL, NULL, NULL, flags);
  properties[PROP_ROLE] = g_param_spec_string ("role", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_user_init (RxUser *self)
{
}

const char *
rx_user_get_id (RxUser *self)
{
  g_return_val_if_fail (RX_IS_USER (self), NULL);
  return self->id;
}

const char *
rx_user_get_username (RxUser *self)
{
  g_return_val_if_fail (RX_IS_USER (self), NULL);
  return self->username;
}

const char *
rx_user_get_full_name (RxUser *self)
{
  g_return_val_if_fail (RX_IS_USER (self), NULL);
  return self->full_name;
}

RxRole
rx_user_get_role (RxUser *self)
{
  g_return_val_if_fail (RX_IS_USER (self), RX_ROLE_RECEPTIONIST);
  return self->role;
}

const char *
rx_user_get_state (RxUser *self)
{
  g_return_val_if_fail (RX_IS_USER (self), NULL);
  return self->state;
}

const char *
rx_user_get_created_at (RxUser *self)
{
  g_return_val_if_fail (RX_IS_USER (self), NULL);
  return self->created_at;
}

/* Whether an administrator set their password (a reset) and they must choose their own. */
gboolean
rx_user_get_must_change_password (RxUser *self)
{
  g_return_val_if_fail (RX_IS_USER (self), FALSE);
  return self->must_change_password;
}

gboolean
rx_user_has_password (RxUser *self)
{
  g_return_val_if_fail (RX_IS_USER (self), FALSE);
  return self->password_hash != NULL;
}

/* Validation ------------------------------------------------------------------------------ */

static gboolean
validate_username (const char  *username,
                   GError     **error)
{
  gsize len = username ? strlen (username) : 0;

  if (len < 2 || len > 64 || !g_ascii_islower (username[0]))
    goto bad;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower (username[i]) && !g_ascii_isdigit (username[i]) &&
        strchr ("._-", username[i]) == NULL)
      goto bad;

  if (g_strv_contains (shared_names, username))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "“%s” names a role or a desk, not a person; every person needs their own "
                   "account, e.g. “%s”", username, "jsmith");
      return FALSE;
    }

  return TRUE;

bad:
  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
               "Username “%s” must be 2 to 64 characters: lower-case letters, digits, "
               "dot, dash or underscore, starting with a letter", username ? username : "");
  return FALSE;
}

/* Writes ---------------------------------------------------------------------------------- */

RxUser *
rx_users_add (RxDb        *db,
              const char  *username,
              const char  *full_name,
              RxRole       role,
              const char  *password,
              GError     **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *now = NULL;
  g_autofree char *name = NULL;
  g_autofree char *id = NULL;
  g_autofree char *serial = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (role <= RX_ROLE_RECEPTIONIST, NULL);

  if (!_rx_db_require (db, RX_ACTION_USER_ADMIN, error))
    return NULL;

  if (!validate_username (username, error) ||
      !rx_validate_text (full_name, "Full name", 120, TRUE, error))
    return NULL;
  name = g_strstrip (g_strdup (full_name));
  if (*name == '\0')
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID, "Full name is required");
      return NULL;
    }

  if (password != NULL)
    {
      if (!rx_password_check_quality (password, error))
        return NULL;
      if (g_ascii_strcasecmp (password, username) == 0)
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "The password must not be the username");
          return NULL;
        }
      hash = rx_password_hash (password, 0, error);
      if (hash == NULL)
        return NULL;
    }

  now = rx_db_now_iso (db);
  row = _rx_row_new_insert ("users");
  _rx_row_set_text (row, "username", username);
  _rx_row_set_text (row, "full_name", name);
  _rx_row_set_text (row, "role", rx_role_to_string (role));
  _rx_row_set_text (row, "state", "active");
  _rx_row_set_text (row, "password_hash", hash);
  _rx_row_set_text (row, "site_id", rx_db_get_site_id (db));
  _rx_row_set_text (row, "created_at", now);

  if (!rx_db_begin (db, error))
    return NULL;
  if (!_rx_db_put (db, row, &local_error))
    {
      rx_db_rollback (db);
      if (g_error_matches (local_error, RX_CORE_ERROR, RX_CORE_ERROR_EXISTS))
        g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_EXISTS,
                     "There is already a user “%s”; choose another username", username);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  id = g_strdup (_rx_row_get_id (row));
  /* a doctor gets a signing key at once when the clinic has its CA; the key's passphrase is
   * in the keyring before the commit, and taken out again if the commit fails */
  if (role == RX_ROLE_DOCTOR && _rx_certs_has_ca (db) &&
      (serial = _rx_certs_issue_in_transaction (db, id, error)) == NULL)
    {
      rx_db_rollback (db);
      return NULL;
    }
  if (!_rx_db_audit (db, "create", "users", id, rx_role_to_string (role), error) ||
      !rx_db_commit (db, error))
    {
      rx_db_rollback (db);
      if (serial != NULL)
        rx_keyring_clear (rx_db_get_org_id (db), serial, NULL);
      return NULL;
    }

  return rx_users_find (db, id, error);
}

/* Sets a password without knowing the old one (an administrator's reset). The second factor's
 * seed is sealed under the old password, so rather than leave a seed nobody can open, the
 * user's TOTP enrolment ends in the same transaction and they enrol again. */
gboolean
rx_users_set_password (RxDb        *db,
                       const char  *user_id,
                       const char  *password,
                       GError     **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  /* anyone may change their own password; only an admin someone else's */
  if ((rx_db_get_user (db) == NULL ||
       g_strcmp0 (rx_user_get_id (rx_db_get_user (db)), user_id) != 0) &&
      !_rx_db_require (db, RX_ACTION_USER_ADMIN, error))
    return FALSE;

  if (!rx_password_check_quality (password, error))
    return FALSE;
  hash = rx_password_hash (password, 0, error);
  if (hash == NULL)
    return FALSE;

  row = _rx_row_new_update ("users", user_id);
  _rx_row_set_text (row, "password_hash", hash);
  /* someone else's password set by an admin logged in here is theirs to replace at their
   * next login; their own change (or the command line's) clears that */
  _rx_row_set_int (row, "must_change_password",
                   rx_db_get_user (db) != NULL &&
                   g_strcmp0 (rx_user_get_id (rx_db_get_user (db)), user_id) != 0);

  if (!rx_db_begin (db, error))
    return FALSE;
  if (!_rx_db_put_audited (db, row, "set-password", NULL, error) ||
      !_rx_totp_forget (db, user_id, "password reset; enrol the authenticator app again",
                        error) ||
      !rx_db_commit (db, error))
    {
      rx_db_rollback (db);
      return FALSE;
    }

  return TRUE;
}

gboolean
rx_users_disable (RxDb        *db,
                  const char  *user_id,
                  GError     **error)
{
  g_autoptr(RxRow) row = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (!_rx_db_require (db, RX_ACTION_USER_ADMIN, error))
    return FALSE;

  row = _rx_row_new_update ("users", user_id);
  _rx_row_set_text (row, "state", "disabled");

  return _rx_db_put_audited (db, row, "disable", NULL, error);
}

/* Reads ----------------------------------------------------------------------------------- */

#define USER_SELECT \
  "SELECT id, username, full_name, role, state, created_at, password_hash, " \
  "must_change_password FROM users "

static RxUser *
user_from_stmt (sqlite3_stmt *stmt)
{
  RxUser *self = g_object_new (RX_TYPE_USER, NULL);

  self->id = _rx_stmt_dup_text (stmt, 0);
  self->username = _rx_stmt_dup_text (stmt, 1);
  self->full_name = _rx_stmt_dup_text (stmt, 2);
  if (!rx_role_from_string ((const char *) sqlite3_column_text (stmt, 3), &self->role))
    g_warning ("User %s has an unknown role", self->id);
  self->state = _rx_stmt_dup_text (stmt, 4);
  self->created_at = _rx_stmt_dup_text (stmt, 5);
  self->password_hash = _rx_stmt_dup_text (stmt, 6);
  self->must_change_password = sqlite3_column_int (stmt, 7) != 0;

  return self;
}

RxUser *
rx_users_find (RxDb        *db,
               const char  *username_or_id,
               GError     **error)
{
  RxUser *user = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (username_or_id != NULL, NULL);

  stmt = _rx_db_prepare (db, USER_SELECT "WHERE (id = ?1 OR username = ?1) AND deleted = 0",
                         error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, username_or_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    user = user_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (user == NULL)
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                 "There is no user “%s”; “rxdesk-cli user list” shows who there is",
                 username_or_id);

  return user;
}

GListModel *
rx_users_list (RxDb    *db,
               GError **error)
{
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_USER);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  stmt = _rx_db_prepare (db, USER_SELECT "WHERE deleted = 0 ORDER BY role, username", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(RxUser) user = user_from_stmt (stmt);

      g_list_store_append (store, user);
    }
  sqlite3_reset (stmt);

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/* Back-off: five attempts are free; after that each failure doubles the wait, from 30 s up
 * to an hour. Counted per username on this workstation (a local table, not synced). */
#define FREE_ATTEMPTS   5
#define BASE_DELAY_S    30
#define MAX_DELAY_S     3600

static gint64
wait_after (gint64 failures)
{
  gint64 delay;

  if (failures < FREE_ATTEMPTS)
    return 0;
  delay = BASE_DELAY_S;
  for (gint64 i = FREE_ATTEMPTS; i < failures && delay < MAX_DELAY_S; i++)
    delay *= 2;

  return MIN (delay, MAX_DELAY_S);
}

/* Seconds until this username may try again; 0 if now. */
gint64
rx_users_login_wait (RxDb       *db,
                     const char *username)
{
  sqlite3_stmt *stmt;
  gint64 failures = 0, last = 0, remaining;

  g_return_val_if_fail (RX_IS_DB (db), 0);

  stmt = _rx_db_prepare (db, "SELECT failures, CAST (unixepoch (last_failure) AS INTEGER) "
                             "FROM login_failures WHERE username = lower (?1)", NULL);
  if (stmt == NULL)
    return 0;
  _rx_stmt_bind_text (stmt, 1, username);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      failures = sqlite3_column_int64 (stmt, 0);
      last = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  remaining = last + wait_after (failures) - rx_db_now (db) / G_USEC_PER_SEC;
  return MAX (remaining, 0);
}

static void
note_failure (RxDb       *db,
              const char *username)
{
  g_autofree char *now = rx_db_now_iso (db);
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db,
                         "INSERT INTO login_failures (username, failures, last_failure) "
                         "VALUES (lower (?1), 1, ?2) ON CONFLICT (username) DO UPDATE "
                         "SET failures = failures + 1, last_failure = excluded.last_failure",
                         NULL);
  if (stmt == NULL)
    return;
  _rx_stmt_bind_text (stmt, 1, username);
  _rx_stmt_bind_text (stmt, 2, now);
  _rx_db_step_done (db, stmt, "Counting a failed login", NULL);
}

static void
forget_failures (RxDb       *db,
                 const char *username)
{
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db, "DELETE FROM login_failures WHERE username = lower (?1)", NULL);
  if (stmt == NULL)
    return;
  _rx_stmt_bind_text (stmt, 1, username);
  _rx_db_step_done (db, stmt, "Clearing failed logins", NULL);
}

/* A hash of nothing anyone can type, verified when the user is unknown or has no password,
 * so that the time taken does not tell who has an account. */
#define DECOY_HASH "pbkdf2-sha256$600000$AAAAAAAAAAAAAAAAAAAAAA==$" \
                   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

/* Offline login against the clinic database; every attempt is audited, failures count towards
 * the back-off. The caller runs it off the UI thread: the key derivation takes a noticeable
 * fraction of a second. */
RxUser *
rx_users_authenticate (RxDb        *db,
                       const char  *username,
                       const char  *password,
                       GError     **error)
{
  g_autoptr(RxUser) user = NULL;
  gint64 wait;
  gboolean ok;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (username == NULL)
    username = "";

  wait = rx_users_login_wait (db, username);
  if (wait > 0)
    {
      _rx_db_audit (db, "login-throttled", "users", NULL, username, NULL);
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                   "Too many failed logins for “%s”; try again in %" G_GINT64_FORMAT " s",
                   username, wait);
      return NULL;
    }

  user = rx_users_find (db, username, NULL);
  ok = rx_password_verify (user && user->password_hash ? user->password_hash : DECOY_HASH,
                           password ? password : "");
  ok = ok && user != NULL && user->password_hash != NULL;

  if (!ok || g_strcmp0 (user->state, "active") != 0)
    {
      if (!ok)
        note_failure (db, username);
      _rx_db_audit (db, "login-failed", "users", user ? user->id : NULL, username, NULL);
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                   ok ? "This account is %s; ask an administrator"
                      : "Wrong username or password%s",
                   ok ? user->state : "");
      return NULL;
    }

  forget_failures (db, username);
  if (!_rx_db_audit (db, "login", "users", user->id, NULL, error))
    return NULL;

  return g_steal_pointer (&user);
}
