/* rx-cert.c: the certificates table as objects: listing and revoking. Making keys and
 * certificates is in rx-cert-issue.c. A certificate is never deleted: revoking sets
 * revoked_at and a reason, so the list of revoked keys travels with sync like any row. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-cert-private.h"
#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-user.h"
#include "rx-validate.h"

struct _RxCertificate
{
  GObject  parent_instance;

  char    *id;
  char    *kind;
  char    *user_id;
  char    *username;
  char    *serial;
  char    *subject;
  char    *not_before;
  char    *not_after;
  char    *revoked_at;
  char    *revoke_reason;
};

G_DEFINE_FINAL_TYPE (RxCertificate, rx_certificate, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_USER_ID,
  PROP_USERNAME,
  PROP_SERIAL,
  PROP_SUBJECT,
  PROP_NOT_BEFORE,
  PROP_NOT_AFTER,
  PROP_REVOKED_AT,
  PROP_REVOKE_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rx_certificate_finalize (GObject *object)
{
  RxCertificate *self = (RxCertificate *) object;

  g_free (self->id);
  g_free (self->kind);
  g_free (self->user_id);
  g_free (self->username);
  g_free (self->serial);
  g_free (self->subject);
  g_free (self->not_before);
  g_free (self->not_after);
  g_free (self->revoked_at);
  g_free (self->revoke_reason);

  G_OBJECT_CLASS (rx_certificate_parent_class)->finalize (object);
}

static void
rx_certificate_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RxCertificate *self = RX_CERTIFICATE (object);
  const char *text[N_PROPS] = {
    [PROP_ID] = self->id,
    [PROP_KIND] = self->kind,
    [PROP_USER_ID] = self->user_id,
    [PROP_USERNAME] = self->username,
    [PROP_SERIAL] = self->serial,
    [PROP_SUBJECT] = self->subject,
    [PROP_NOT_BEFORE] = self->not_before,
    [PROP_NOT_AFTER] = self->not_after,
    [PROP_REVOKED_AT] = self->revoked_at,
    [PROP_REVOKE_REASON] = self->revoke_reason,
  };

  if (prop_id > PROP_0 && prop_id < N_PROPS)
    g_value_set_string (value, text[prop_id]);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
rx_certificate_class_init (RxCertificateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rx_certificate_finalize;
  object_class->get_property = rx_certificate_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_USER_ID] = g_param_spec_string ("user-id", NULL, NULL, NULL, flags);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, flags);
  properties[PROP_SERIAL] = g_param_spec_string ("serial", NULL, NULL, NULL, flags);
  properties[PROP_SUBJECT] = g_param_spec_string ("subject", NULL, NULL, NULL, flags);
  properties[PROP_NOT_BEFORE] = g_param_spec_string ("not-before", NULL, NULL, NULL, flags);
  properties[PROP_NOT_AFTER] = g_param_spec_string ("not-after", NULL, NULL, NULL, flags);
  properties[PROP_REVOKED_AT] = g_param_spec_string ("revoked-at", NULL, NULL, NULL, flags);
  properties[PROP_REVOKE_REASON] = g_param_spec_string ("revoke-reason", NULL, NULL, NULL,
                                                        flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_certificate_init (RxCertificate *self)
{
}

#define GETTER(field) \
  const char * \
  rx_certificate_get_##field (RxCertificate *self) \
  { \
    g_return_val_if_fail (RX_IS_CERTIFICATE (self), NULL); \
    return self->field; \
  }

GETTER (id)
GETTER (kind)
GETTER (user_id)
GETTER (username)
GETTER (serial)
GETTER (subject)
GETTER (not_before)
GETTER (not_after)
GETTER (revoked_at)
GETTER (revoke_reason)

#undef GETTER

/* Reads ----------------------------------------------------------------------------------- */

static RxCertificate *
certificate_from_stmt (sqlite3_stmt *stmt)
{
  RxCertificate *self = g_object_new (RX_TYPE_CERTIFICATE, NULL);

  self->id = _rx_stmt_dup_text (stmt, 0);
  self->kind = _rx_stmt_dup_text (stmt, 1);
  self->user_id = _rx_stmt_dup_text (stmt, 2);
  self->username = _rx_stmt_dup_text (stmt, 3);
  self->serial = _rx_stmt_dup_text (stmt, 4);
  self->subject = _rx_stmt_dup_text (stmt, 5);
  self->not_before = _rx_stmt_dup_text (stmt, 6);
  self->not_after = _rx_stmt_dup_text (stmt, 7);
  self->revoked_at = _rx_stmt_dup_text (stmt, 8);
  self->revoke_reason = _rx_stmt_dup_text (stmt, 9);

  return self;
}

gboolean
_rx_certs_has_ca (RxDb *db)
{
  return _rx_db_query_int (db, "SELECT count(*) FROM certificates "
                               "WHERE kind = 'ca' AND deleted = 0") > 0;
}

RxCertificate *
_rx_certs_find (RxDb        *db,
                const char  *id,
                GError     **error)
{
  RxCertificate *cert = NULL;
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db, RX_CERT_SELECT "WHERE (c.id = ?1 OR c.serial = ?1) AND c.deleted = 0",
                         error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    cert = certificate_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (cert == NULL)
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                 "There is no certificate “%s”", id);

  return cert;
}

GListModel *
rx_certs_list (RxDb    *db,
               GError **error)
{
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_CERTIFICATE);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  stmt = _rx_db_prepare (db, RX_CERT_SELECT "WHERE c.deleted = 0 "
                             "ORDER BY c.kind = 'ca' DESC, u.username, c.not_before DESC",
                         error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(RxCertificate) cert = certificate_from_stmt (stmt);

      g_list_store_append (store, cert);
    }
  sqlite3_reset (stmt);

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/* Writes ---------------------------------------------------------------------------------- */

RxCertificate *
rx_certs_revoke_user (RxDb        *db,
                      const char  *username,
                      const char  *reason,
                      GError     **error)
{
  g_autoptr(RxUser) user = NULL;
  g_autoptr(RxRow) row = NULL;
  g_autofree char *cert_id = NULL;
  g_autofree char *now = NULL;
  g_autofree char *clean = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (username != NULL, NULL);

  if (!rx_validate_text (reason, "The reason for revoking", 300, TRUE, error))
    return NULL;
  clean = g_strstrip (g_strdup (reason));
  if (*clean == '\0')
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Revoking a certificate needs a reason; pharmacists see it when they check "
                   "a prescription");
      return NULL;
    }

  user = rx_users_find (db, username, error);
  if (user == NULL)
    return NULL;

  stmt = _rx_db_prepare (db, "SELECT id FROM certificates WHERE kind = 'signing' "
                             "AND user_id = ?1 AND deleted = 0 AND revoked_at IS NULL "
                             "ORDER BY not_before DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, rx_user_get_id (user));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    cert_id = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  if (cert_id == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "%s has no signing certificate that is not already revoked; "
                   "“rxdesk-cli cert list” shows the certificates", username);
      return NULL;
    }

  now = rx_db_now_iso (db);
  row = _rx_row_new_update ("certificates", cert_id);
  _rx_row_set_text (row, "revoked_at", now);
  _rx_row_set_text (row, "revoke_reason", clean);
  if (!_rx_db_put_audited (db, row, "revoke", clean, error))
    return NULL;

  return _rx_certs_find (db, cert_id, error);
}
