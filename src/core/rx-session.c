/* rx-session.c: a person's session at a workstation. While it is unlocked the database acts
 * for them (rx_db_set_user), so core checks their role on every call. After idle_seconds
 * without rx_session_touch() it locks: the database stops acting for anyone and any secret the
 * session held (a key unlocked for convenience) is overwritten, so walking away from an open
 * workstation leaves nothing usable. The clock is the database's, injectable for tests; the
 * app calls rx_session_check_idle() from a timer and touches the session on input. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-session.h"

struct _RxSession
{
  GObject  parent_instance;

  RxDb    *db;
  RxUser  *user;
  guint    idle_seconds;
  gint64   last_activity;   /* rx_db_now () of the last touch, microseconds */
  gboolean locked;
  guint8  *secret;
  gsize    secret_length;
};

G_DEFINE_FINAL_TYPE (RxSession, rx_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOCKED,
  PROP_IDLE_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wipe_secret (RxSession *self)
{
  if (self->secret == NULL)
    return;

  gnutls_memset (self->secret, 0, self->secret_length);
  g_free (self->secret);
  self->secret = NULL;
  self->secret_length = 0;
}

static void
rx_session_finalize (GObject *object)
{
  RxSession *self = (RxSession *) object;

  wipe_secret (self);
  if (self->db != NULL && rx_db_get_user (self->db) == self->user)
    rx_db_set_user (self->db, NULL);
  g_clear_object (&self->user);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (rx_session_parent_class)->finalize (object);
}

static void
rx_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RxSession *self = RX_SESSION (object);

  switch (prop_id)
    {
    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;

    case PROP_IDLE_SECONDS:
      g_value_set_uint (value, self->idle_seconds);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  RxSession *self = RX_SESSION (object);

  switch (prop_id)
    {
    case PROP_IDLE_SECONDS:
      rx_session_set_idle_seconds (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_session_class_init (RxSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rx_session_finalize;
  object_class->get_property = rx_session_get_property;
  object_class->set_property = rx_session_set_property;

  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE_SECONDS] =
    g_param_spec_uint ("idle-seconds", NULL, NULL, 30, 4 * 3600, 600,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_session_init (RxSession *self)
{
  self->idle_seconds = 600;
}

/* Logs a person in (offline, against the clinic database) and makes the database act for
 * them. Runs the password derivation: call it off the UI thread. */
RxSession *
rx_session_login (RxDb        *db,
                  const char  *username,
                  const char  *password,
                  guint        idle_seconds,
                  GError     **error)
{
  g_autoptr(RxUser) user = NULL;
  RxSession *self;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  user = rx_users_authenticate (db, username, password, error);
  if (user == NULL)
    return NULL;

  self = g_object_new (RX_TYPE_SESSION, NULL);
  self->db = g_object_ref (db);
  self->user = g_steal_pointer (&user);
  rx_session_set_idle_seconds (self, idle_seconds ? idle_seconds : 600);
  rx_db_set_user (db, self->user);
  rx_session_touch (self);

  return self;
}

RxUser *
rx_session_get_user (RxSession *self)
{
  g_return_val_if_fail (RX_IS_SESSION (self), NULL);
  return self->user;
}

gboolean
rx_session_get_locked (RxSession *self)
{
  g_return_val_if_fail (RX_IS_SESSION (self), TRUE);
  return self->locked;
}

guint
rx_session_get_idle_seconds (RxSession *self)
{
  g_return_val_if_fail (RX_IS_SESSION (self), 0);
  return self->idle_seconds;
}

void
rx_session_set_idle_seconds (RxSession *self,
                             guint      idle_seconds)
{
  g_return_if_fail (RX_IS_SESSION (self));

  idle_seconds = CLAMP (idle_seconds, 30, 4 * 3600);
  if (self->idle_seconds == idle_seconds)
    return;

  self->idle_seconds = idle_seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_SECONDS]);
}

void
rx_session_touch (RxSession *self)
{
  g_return_if_fail (RX_IS_SESSION (self));

  if (!self->locked)
    self->last_activity = rx_db_now (self->db);
}

/* Locks if the session has been idle too long; returns whether it is locked now. */
gboolean
rx_session_check_idle (RxSession *self)
{
  g_return_val_if_fail (RX_IS_SESSION (self), TRUE);

  if (!self->locked &&
      rx_db_now (self->db) - self->last_activity >= (gint64) self->idle_seconds * G_USEC_PER_SEC)
    rx_session_lock (self);

  return self->locked;
}

void
rx_session_lock (RxSession *self)
{
  g_return_if_fail (RX_IS_SESSION (self));

  if (self->locked)
    return;

  wipe_secret (self);
  self->locked = TRUE;
  _rx_db_audit (self->db, "lock", "users", rx_user_get_id (self->user), NULL, NULL);
  if (rx_db_get_user (self->db) == self->user)
    rx_db_set_user (self->db, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}

/* Only the same person can unlock; anyone else logs the session out and starts their own. */
gboolean
rx_session_unlock (RxSession   *self,
                   const char  *password,
                   GError     **error)
{
  g_autoptr(RxUser) again = NULL;

  g_return_val_if_fail (RX_IS_SESSION (self), FALSE);

  if (!self->locked)
    return TRUE;

  again = rx_users_authenticate (self->db, rx_user_get_username (self->user), password, error);
  if (again == NULL)
    return FALSE;

  g_set_object (&self->user, again);
  self->locked = FALSE;
  rx_db_set_user (self->db, self->user);
  rx_session_touch (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);

  return TRUE;
}

void
rx_session_logout (RxSession *self)
{
  g_return_if_fail (RX_IS_SESSION (self));

  wipe_secret (self);
  _rx_db_audit (self->db, "logout", "users", rx_user_get_id (self->user), NULL, NULL);
  if (rx_db_get_user (self->db) == self->user)
    rx_db_set_user (self->db, NULL);
  if (!self->locked)
    {
      self->locked = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
    }
}

/* Keeps a secret for the session's life (until lock or logout), e.g. a key the person
 * unlocked once. The copy is overwritten, not just freed, when the session locks. */
void
rx_session_hold_secret (RxSession    *self,
                        const guint8 *secret,
                        gsize         length)
{
  g_return_if_fail (RX_IS_SESSION (self));
  g_return_if_fail (!self->locked);

  wipe_secret (self);
  self->secret = g_memdup2 (secret, length);
  self->secret_length = length;
}

GBytes *
rx_session_dup_secret (RxSession *self)
{
  g_return_val_if_fail (RX_IS_SESSION (self), NULL);

  if (self->locked || self->secret == NULL)
    return NULL;

  return g_bytes_new (self->secret, self->secret_length);
}
