/* rx-clinic-session.c: who is logged in to the open clinic, and the idle lock.
 *
 * The RxSession reads and writes the clinic database (password checks, the audit log), so,
 * like every query, it is used only on the clinic's worker. The main thread keeps its own
 * copy of what the windows show (the user, whether the session is locked) and changes it
 * first when the person locks, so patient data is hidden before the worker even starts.
 * A lock the worker decides (idle time ran out) comes back to the main thread as an idle
 * source, never as a signal emitted on the worker. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rx-clinic-private.h"

/* How often the worker compares the idle time with the limit. */
#define IDLE_CHECK_SECONDS 15
/* Input arrives many times a second; the session hears of it at most this often. */
#define TOUCH_INTERVAL_USEC (5 * G_USEC_PER_SEC)

typedef struct
{
  char *username;
  char *password;
  guint idle_seconds;
  RxSession *session;
} Credentials;

static void
credentials_free (gpointer data)
{
  Credentials *credentials = data;

  g_free (credentials->username);
  if (credentials->password != NULL)
    explicit_bzero (credentials->password, strlen (credentials->password));
  g_free (credentials->password);
  g_clear_object (&credentials->session);
  g_free (credentials);
}

/* Main-thread state ---------------------------------------------------------------------- */

static void
set_locked (RxClinic *self,
            gboolean  locked)
{
  if (self->locked == locked)
    return;

  self->locked = locked;
  _rx_clinic_notify_session (self);
}

typedef struct
{
  RxClinic  *clinic;
  RxSession *session;
  gboolean   locked;
} LockChange;

static gboolean
apply_lock_change (gpointer data)
{
  LockChange *change = data;

  /* A session logged out since is no longer what the windows show. */
  if (change->clinic->session == change->session)
    set_locked (change->clinic, change->locked);

  return G_SOURCE_REMOVE;
}

static void
lock_change_free (gpointer data)
{
  LockChange *change = data;

  g_object_unref (change->clinic);
  g_object_unref (change->session);
  g_free (change);
}

/* Emitted on whichever thread changed the session: the worker, or the main thread in tests. */
static void
session_locked_cb (RxSession  *session,
                   GParamSpec *pspec,
                   RxClinic   *self)
{
  LockChange *change = g_new0 (LockChange, 1);
  GSource *source;

  change->clinic = g_object_ref (self);
  change->session = g_object_ref (session);
  change->locked = rx_session_get_locked (session);

  if (g_thread_self () == self->main_thread)
    {
      apply_lock_change (change);
      lock_change_free (change);
      return;
    }

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, apply_lock_change, change, lock_change_free);
  g_source_set_static_name (source, "[rxdesk] session lock change");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

/* Worker jobs ------------------------------------------------------------------------------ */

static gpointer
login_in_worker (RxDb          *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Credentials *credentials = data;

  return rx_session_login (db, credentials->username, credentials->password,
                           credentials->idle_seconds, error);
}

static gpointer
unlock_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Credentials *credentials = data;

  if (!rx_session_unlock (credentials->session, credentials->password, error))
    return NULL;

  return g_object_ref (credentials->session);
}

static gpointer
touch_in_worker (RxDb          *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  rx_session_touch (data);
  return g_object_ref (data);
}

static gpointer
check_idle_in_worker (RxDb          *db,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  rx_session_check_idle (data);
  return g_object_ref (data);
}

static gpointer
lock_in_worker (RxDb          *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  rx_session_lock (data);
  return g_object_ref (data);
}

static gpointer
logout_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  rx_session_logout (data);
  return g_object_ref (data);
}

static gpointer
set_idle_in_worker (RxDb          *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  Credentials *credentials = data;

  rx_session_set_idle_seconds (credentials->session, credentials->idle_seconds);
  return g_object_ref (credentials->session);
}

static void
session_job_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxSession) session = rx_clinic_run_finish (RX_CLINIC (object), result, &error);

  if (session == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("The session job failed: %s", error->message);
}

static void
run_on_session (RxClinic     *self,
                RxClinicFunc  func)
{
  rx_clinic_run_async (self, func, g_object_ref (self->session), g_object_unref,
                       g_object_unref, NULL, session_job_done_cb, NULL);
}

/* Asks the worker whether the session has been idle too long; if so it locks, and every
 * window follows once the answer is back. A timer calls this; tests call it directly. */
void
rx_clinic_check_idle (RxClinic *self)
{
  g_return_if_fail (RX_IS_CLINIC (self));

  if (self->session != NULL && !self->locked)
    run_on_session (self, check_idle_in_worker);
}

static gboolean
check_idle (gpointer user_data)
{
  rx_clinic_check_idle (user_data);
  return G_SOURCE_CONTINUE;
}

/* Public API ------------------------------------------------------------------------------- */

void
rx_clinic_set_idle_seconds (RxClinic *self,
                            guint     idle_seconds)
{
  Credentials *credentials;

  g_return_if_fail (RX_IS_CLINIC (self));

  self->idle_seconds = idle_seconds;
  if (self->session == NULL)
    return;

  credentials = g_new0 (Credentials, 1);
  credentials->session = g_object_ref (self->session);
  credentials->idle_seconds = idle_seconds;
  rx_clinic_run_async (self, set_idle_in_worker, credentials, credentials_free,
                       g_object_unref, NULL, session_job_done_cb, NULL);
}

/* The person logged in, or NULL. It stays set while the session is locked. */
RxUser *
rx_clinic_get_user (RxClinic *self)
{
  g_return_val_if_fail (RX_IS_CLINIC (self), NULL);
  return self->user;
}

gboolean
rx_clinic_get_locked (RxClinic *self)
{
  g_return_val_if_fail (RX_IS_CLINIC (self), FALSE);
  return self->locked;
}

/* The session, for tests; use it only where the worker cannot be using it at the same time. */
RxSession *
rx_clinic_get_session (RxClinic *self)
{
  g_return_val_if_fail (RX_IS_CLINIC (self), NULL);
  return self->session;
}

static void
logged_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RxClinic *self = RX_CLINIC (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RxSession) session = rx_clinic_run_finish (self, result, &error);

  if (session == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Someone else logging in on this workstation ends the session before. */
  _rx_clinic_session_clear (self, FALSE);

  /* the same password signs them in to the server, for what they write to travel */
  {
    Credentials *typed = g_task_get_task_data (task);
    RxSyncEngine *sync = rx_clinic_get_sync (self);

    if (typed != NULL && sync != NULL)
      rx_sync_engine_sign_in (sync, typed->username, typed->password);
  }

  self->session = g_steal_pointer (&session);
  self->user = g_object_ref (rx_session_get_user (self->session));
  self->locked = FALSE;
  self->last_touch = g_get_monotonic_time ();
  g_signal_connect_object (self->session, "notify::locked", G_CALLBACK (session_locked_cb),
                           self, 0);
  self->idle_source = g_timeout_add_seconds (IDLE_CHECK_SECONDS, check_idle, self);
  _rx_clinic_notify_session (self);

  g_task_return_boolean (task, TRUE);
}

/* Checks the password on the worker (it takes a good part of a second on purpose) and, when
 * it is right, makes that person the clinic's user in every window. */
void
rx_clinic_login_async (RxClinic            *self,
                       const char          *username,
                       const char          *password,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  Credentials *credentials;
  GTask *task;

  g_return_if_fail (RX_IS_CLINIC (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rx_clinic_login_async);
  credentials = g_new0 (Credentials, 1);
  credentials->username = g_strdup (username);
  credentials->password = g_strdup (password);
  g_task_set_task_data (task, credentials, credentials_free);

  credentials = g_new0 (Credentials, 1);
  credentials->username = g_strdup (username);
  credentials->password = g_strdup (password);
  credentials->idle_seconds = self->idle_seconds;
  rx_clinic_run_async (self, login_in_worker, credentials, credentials_free, g_object_unref,
                       cancellable, logged_in_cb, task);
}

gboolean
rx_clinic_login_finish (RxClinic      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
unlocked_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RxClinic *self = RX_CLINIC (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RxSession) session = rx_clinic_run_finish (self, result, &error);

  if (session == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (session == self->session)
    {
      self->last_touch = g_get_monotonic_time ();
      set_locked (self, FALSE);
    }

  g_task_return_boolean (task, TRUE);
}

void
rx_clinic_unlock_async (RxClinic            *self,
                        const char          *password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  Credentials *credentials;
  GTask *task;

  g_return_if_fail (RX_IS_CLINIC (self));
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rx_clinic_unlock_async);

  if (self->session == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("Nobody is logged in; log in again"));
      g_object_unref (task);
      return;
    }

  credentials = g_new0 (Credentials, 1);
  credentials->session = g_object_ref (self->session);
  credentials->password = g_strdup (password);
  rx_clinic_run_async (self, unlock_in_worker, credentials, credentials_free, g_object_unref,
                       cancellable, unlocked_cb, task);
}

gboolean
rx_clinic_unlock_finish (RxClinic      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Tells the session someone is at the keyboard. Cheap enough for every input event. */
void
rx_clinic_touch (RxClinic *self)
{
  gint64 now;

  g_return_if_fail (RX_IS_CLINIC (self));

  if (self->session == NULL || self->locked)
    return;

  now = g_get_monotonic_time ();
  if (now - self->last_touch < TOUCH_INTERVAL_USEC)
    return;

  self->last_touch = now;
  run_on_session (self, touch_in_worker);
}

/* Hides everything at once; the worker then locks the session itself. */
void
rx_clinic_lock (RxClinic *self)
{
  g_return_if_fail (RX_IS_CLINIC (self));

  if (self->session == NULL || self->locked)
    return;

  set_locked (self, TRUE);
  run_on_session (self, lock_in_worker);
}

void
rx_clinic_logout (RxClinic *self)
{
  g_return_if_fail (RX_IS_CLINIC (self));

  if (self->session == NULL)
    return;

  _rx_clinic_session_clear (self, FALSE);
  _rx_clinic_notify_session (self);
}

/* Ends the session, if any, without telling anyone: for logout, a new login and finalize.
 * When @finalizing, no job is queued (each holds the clinic), so the session logs out here. */
void
_rx_clinic_session_clear (RxClinic *self,
                          gboolean  finalizing)
{
  g_autoptr(RxSession) session = g_steal_pointer (&self->session);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_object (&self->user);
  self->locked = FALSE;

  if (session == NULL)
    return;

  g_signal_handlers_disconnect_by_func (session, session_locked_cb, self);
  if (finalizing)
    rx_session_logout (session);
  else
    rx_clinic_run_async (self, logout_in_worker, g_object_ref (session), g_object_unref,
                         g_object_unref, NULL, session_job_done_cb, NULL);
}
