/* rx-alert-monitor.c: emergency alerts as desktop notifications.
 *
 * The assistant raises an alert wherever a red flag is typed: at the kiosk on this clinic
 * file, or on another workstation, from where it arrives by sync. Doctors and administrators
 * logged in here see each open one as a notification until one of them acknowledges it; the
 * acknowledgement goes through core, so it is audited and syncs to everyone, whose
 * notifications then go too. The list is read on the clinic's worker when sync says the
 * alerts changed, and every few seconds for writers that sync does not hear of. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-alert-monitor.h"
#include "rx-alert.h"
#include "rx-core-error.h"

struct _RxAlertMonitor
{
  GObject       parent_instance;

  GApplication *application;  /* weak */
  RxClinic     *clinic;
  GListStore   *alerts;       /* open emergency RxAlert */
  GHashTable   *notified;     /* alert id -> Notified */
  GCancellable *cancellable;
  guint         timer;
  gboolean      active;
  gboolean      again;        /* a refresh was asked for while one ran */
  guint         pending;      /* refreshes and acknowledgements under way */
};

G_DEFINE_FINAL_TYPE (RxAlertMonitor, rx_alert_monitor, G_TYPE_OBJECT)

/* An emergency nobody has taken on comes back this often, in case its notification was
 * dismissed or missed. */
#define RENOTIFY_SECONDS 120

typedef struct
{
  gboolean unlocked;  /* shown with its message, not behind a lock */
  gint64   at;        /* monotonic time it was last shown */
} Notified;

enum {
  PROP_0,
  PROP_ACTIVE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
notification_id (const char *alert_id)
{
  return g_strconcat ("rx-alert-", alert_id, NULL);
}

static void
withdraw (RxAlertMonitor *self,
          const char     *alert_id)
{
  g_autofree char *id = notification_id (alert_id);

  if (self->application != NULL)
    g_application_withdraw_notification (self->application, id);
}

static void
withdraw_all (RxAlertMonitor *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->notified);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    withdraw (self, key);
  g_hash_table_remove_all (self->notified);
}

/* A locked screen may be in a waiting room's view: it says that there is an emergency, not
 * what the patient wrote. */
static void
notify_alert (RxAlertMonitor *self,
              RxAlert        *alert)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = g_themed_icon_new ("dialog-warning-symbolic");
  g_autofree char *id = notification_id (rx_alert_get_id (alert));
  gboolean locked = rx_clinic_get_locked (self->clinic);

  if (self->application == NULL)
    return;

  notification = g_notification_new (_("Emergency Reported to the Assistant"));
  g_notification_set_body (notification,
                           locked ? _("Unlock RxDesk to see it and acknowledge it.")
                                  : rx_alert_get_message (alert));
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
  g_notification_set_icon (notification, icon);
  g_notification_add_button_with_target (notification, _("Acknowledge"),
                                         "app.acknowledge-alert", "s",
                                         rx_alert_get_id (alert));
  g_application_send_notification (self->application, id, notification);
}

static void
set_busy (RxAlertMonitor *self,
          int             delta)
{
  gboolean before = self->pending > 0;

  self->pending += delta;
  if (before != (self->pending > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Refreshing --------------------------------------------------------------------------- */

static gpointer
list_in_worker (RxDb          *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GListModel) open = rx_alerts_list_open (db, error);
  GListStore *emergencies;

  if (open == NULL)
    return NULL;
  emergencies = g_list_store_new (RX_TYPE_ALERT);
  for (guint i = 0; i < g_list_model_get_n_items (open); i++)
    {
      g_autoptr(RxAlert) alert = g_list_model_get_item (open, i);

      if (g_strcmp0 (rx_alert_get_kind (alert), "emergency") == 0)
        g_list_store_append (emergencies, alert);
    }
  return emergencies;
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RxAlertMonitor) self = user_data;
  g_autoptr(GListModel) open = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  gboolean locked;
  GHashTableIter iter;
  gpointer key;
  guint n;

  open = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  set_busy (self, -1);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (open == NULL)
    {
      g_warning ("Cannot read the open alerts: %s", error->message);
      return;
    }
  if (!self->active)
    return;

  locked = rx_clinic_get_locked (self->clinic);
  n = g_list_model_get_n_items (open);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RxAlert) alert = g_list_model_get_item (open, i);
      const char *id = rx_alert_get_id (alert);
      Notified *shown = g_hash_table_lookup (self->notified, id);

      g_hash_table_add (seen, (gpointer) id);
      /* New; shown before a lock (its message must go) or behind one (now there is someone
       * to read it); or still open a while after it was shown. */
      if (shown == NULL || shown->unlocked == locked ||
          g_get_monotonic_time () - shown->at >= RENOTIFY_SECONDS * G_USEC_PER_SEC)
        {
          notify_alert (self, alert);
          if (shown == NULL)
            {
              shown = g_new0 (Notified, 1);
              g_hash_table_insert (self->notified, g_strdup (id), shown);
            }
          shown->unlocked = !locked;
          shown->at = g_get_monotonic_time ();
        }
    }
  g_hash_table_iter_init (&iter, self->notified);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (seen, key))
      {
        withdraw (self, key);
        g_hash_table_iter_remove (&iter);
      }

  /* Keep the strings of "seen" alive until here: they belong to the alerts. */
  g_list_store_splice (self->alerts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->alerts)),
                       NULL, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RxAlert) alert = g_list_model_get_item (open, i);

      g_list_store_append (self->alerts, alert);
    }

  if (self->again)
    {
      self->again = FALSE;
      rx_alert_monitor_refresh (self);
    }
}

/* Reads the open alerts again, now, unless a read is already under way. */
void
rx_alert_monitor_refresh (RxAlertMonitor *self)
{
  g_return_if_fail (RX_IS_ALERT_MONITOR (self));

  if (!self->active)
    return;
  if (self->pending > 0)
    {
      self->again = TRUE;
      return;
    }
  set_busy (self, +1);
  rx_clinic_run_async (self->clinic, list_in_worker, NULL, NULL, g_object_unref,
                       self->cancellable, listed_cb, g_object_ref (self));
}

static gboolean
timer_cb (gpointer user_data)
{
  rx_alert_monitor_refresh (user_data);
  return G_SOURCE_CONTINUE;
}

static void
tables_changed_cb (RxAlertMonitor  *self,
                   const char     **tables)
{
  if (tables != NULL && g_strv_contains (tables, "alerts"))
    rx_alert_monitor_refresh (self);
}

/* Doctors and administrators hear of emergencies; a lock keeps them hearing, with less said. */
static void
session_changed_cb (RxAlertMonitor *self)
{
  RxUser *user = rx_clinic_get_user (self->clinic);
  gboolean active = user != NULL && (rx_user_get_role (user) == RX_ROLE_DOCTOR ||
                                     rx_user_get_role (user) == RX_ROLE_ADMIN);

  if (active != self->active)
    {
      self->active = active;
      g_clear_handle_id (&self->timer, g_source_remove);
      if (!active)
        {
          g_cancellable_cancel (self->cancellable);
          g_clear_object (&self->cancellable);
          self->again = FALSE;
          withdraw_all (self);
          g_list_store_remove_all (self->alerts);
        }
      else
        {
          self->cancellable = g_cancellable_new ();
          self->timer = g_timeout_add_seconds (RX_ALERT_MONITOR_INTERVAL_SECONDS, timer_cb, self);
        }
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
    }
  rx_alert_monitor_refresh (self);
}

/* Acknowledging ------------------------------------------------------------------------- */

static gpointer
acknowledge_in_worker (RxDb          *db,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  RxUser *user = rx_db_get_user (db);
  g_autoptr(GError) local = NULL;

  if (user == NULL)
    {
      g_set_error_literal (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                           _("Nobody is logged in: log in to acknowledge the alert"));
      return NULL;
    }
  if (!rx_alerts_acknowledge (db, data, rx_user_get_id (user), &local) &&
      !g_error_matches (local, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION))
    {
      /* Someone else acknowledging it first is what was wanted anyway. */
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return GINT_TO_POINTER (TRUE);
}

static void
acknowledged_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RxAlertMonitor) self = user_data;
  g_autoptr(GError) error = NULL;

  set_busy (self, -1);
  if (rx_clinic_run_finish (RX_CLINIC (object), result, &error) == NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot acknowledge the alert: %s", error->message);
  else if (self->clinic != NULL)
    rx_sync_engine_kick (rx_clinic_get_sync (self->clinic));
  rx_alert_monitor_refresh (self);
}

/* Records that the person logged in has seen the alert and takes it on. */
void
rx_alert_monitor_acknowledge (RxAlertMonitor *self,
                              const char     *alert_id)
{
  g_return_if_fail (RX_IS_ALERT_MONITOR (self));
  g_return_if_fail (alert_id != NULL);

  if (!self->active || rx_clinic_get_locked (self->clinic))
    return;
  withdraw (self, alert_id);
  set_busy (self, +1);
  rx_clinic_run_async (self->clinic, acknowledge_in_worker, g_strdup (alert_id), g_free, NULL,
                       self->cancellable, acknowledged_cb, g_object_ref (self));
}

/* GObject ------------------------------------------------------------------------------- */

RxAlertMonitor *
rx_alert_monitor_new (GApplication *application,
                      RxClinic     *clinic)
{
  RxAlertMonitor *self;

  g_return_val_if_fail (!application || G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (RX_IS_CLINIC (clinic), NULL);

  self = g_object_new (RX_TYPE_ALERT_MONITOR, NULL);
  self->application = application;
  if (application != NULL)
    g_object_add_weak_pointer (G_OBJECT (application), (gpointer *) &self->application);
  self->clinic = g_object_ref (clinic);
  g_signal_connect_object (clinic, "notify::user", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (clinic, "notify::locked", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (rx_clinic_get_sync (clinic), "tables-changed",
                           G_CALLBACK (tables_changed_cb), self, G_CONNECT_SWAPPED);
  session_changed_cb (self);
  return self;
}

RxClinic *
rx_alert_monitor_get_clinic (RxAlertMonitor *self)
{
  g_return_val_if_fail (RX_IS_ALERT_MONITOR (self), NULL);
  return self->clinic;
}

/* The open emergency alerts as last read, while someone who hears of them is logged in. */
GListModel *
rx_alert_monitor_get_alerts (RxAlertMonitor *self)
{
  g_return_val_if_fail (RX_IS_ALERT_MONITOR (self), NULL);
  return G_LIST_MODEL (self->alerts);
}

gboolean
rx_alert_monitor_get_active (RxAlertMonitor *self)
{
  g_return_val_if_fail (RX_IS_ALERT_MONITOR (self), FALSE);
  return self->active;
}

gboolean
rx_alert_monitor_get_busy (RxAlertMonitor *self)
{
  g_return_val_if_fail (RX_IS_ALERT_MONITOR (self), FALSE);
  return self->pending > 0;
}

static void
rx_alert_monitor_dispose (GObject *object)
{
  RxAlertMonitor *self = (RxAlertMonitor *) object;

  g_clear_handle_id (&self->timer, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->notified != NULL)
    withdraw_all (self);
  if (self->application != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->application),
                                  (gpointer *) &self->application);
  self->application = NULL;
  g_clear_object (&self->clinic);

  G_OBJECT_CLASS (rx_alert_monitor_parent_class)->dispose (object);
}

static void
rx_alert_monitor_finalize (GObject *object)
{
  RxAlertMonitor *self = (RxAlertMonitor *) object;

  g_clear_object (&self->alerts);
  g_clear_pointer (&self->notified, g_hash_table_unref);

  G_OBJECT_CLASS (rx_alert_monitor_parent_class)->finalize (object);
}

static void
rx_alert_monitor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RxAlertMonitor *self = RX_ALERT_MONITOR (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->pending > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_alert_monitor_class_init (RxAlertMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rx_alert_monitor_dispose;
  object_class->finalize = rx_alert_monitor_finalize;
  object_class->get_property = rx_alert_monitor_get_property;

  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_alert_monitor_init (RxAlertMonitor *self)
{
  self->alerts = g_list_store_new (RX_TYPE_ALERT);
  self->notified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}
