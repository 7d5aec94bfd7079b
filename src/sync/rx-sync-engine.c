/* rx-sync-engine.c: the app's background sync (see rx-sync-engine.h). The worker thread owns
 * its clinic connection and its HTTPS session; everything it learns reaches the object's
 * thread as a snapshot, so properties only ever change there. */
#define G_LOG_DOMAIN "rx-sync"

#include "config.h"

#include "rx-sync-engine.h"
#include "rx-sync-run.h"

#define FIRST_BACKOFF_S   5
#define MAX_BACKOFF_S     300
#define LOOK_S            5

struct _RxSyncEngine
{
  GObject        parent_instance;

  char          *path;
  GMainContext  *owner;
  GThread       *thread;
  GCancellable  *cancellable;
  GNetworkMonitor *monitor;
  gulong         network_handler;

  /* shared with the worker, under lock */
  GMutex         lock;
  GCond          cond;
  gboolean       kicked;
  gboolean       stopping;
  guint          interval_s;
  GQueue         sign_ins;     /* char *username, char *password pairs */

  /* what the worker last reported; read and written on the owner's thread only */
  gboolean       enrolled;
  gboolean       online;
  gboolean       syncing;
  gint64         pending;
  gint64         conflicts;
  GDateTime     *last_sync;
  char          *last_error;
  guint          rounds;
};

enum
{
  PROP_0,
  PROP_ENROLLED,
  PROP_ONLINE,
  PROP_SYNCING,
  PROP_PENDING,
  PROP_CONFLICTS,
  PROP_LAST_SYNC,
  PROP_LAST_ERROR,
  PROP_ROUNDS,
  N_PROPS
};

enum
{
  TABLES_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RxSyncEngine, rx_sync_engine, G_TYPE_OBJECT)

typedef struct
{
  RxSyncEngine *engine;   /* a reference */
  gboolean      enrolled;
  gboolean      online;
  gboolean      syncing;
  gboolean      finished;  /* a round ended (not just started) */
  gint64        pending;
  gint64        conflicts;
  GDateTime    *last_sync;
  char         *last_error;
  GStrv         tables;
} Snapshot;

static void
snapshot_free (Snapshot *s)
{
  g_object_unref (s->engine);
  g_clear_pointer (&s->last_sync, g_date_time_unref);
  g_free (s->last_error);
  g_strfreev (s->tables);
  g_free (s);
}

static gboolean
apply_snapshot (gpointer data)
{
  Snapshot *s = data;
  RxSyncEngine *self = s->engine;
  GObject *object = G_OBJECT (self);

  g_object_freeze_notify (object);

#define SET(field, prop) \
  if (self->field != s->field) \
    { \
      self->field = s->field; \
      g_object_notify_by_pspec (object, properties[prop]); \
    }
  SET (enrolled, PROP_ENROLLED);
  SET (online, PROP_ONLINE);
  SET (syncing, PROP_SYNCING);
  SET (pending, PROP_PENDING);
  SET (conflicts, PROP_CONFLICTS);
#undef SET

  if (s->finished)
    {
      if (s->last_sync != NULL)
        {
          g_clear_pointer (&self->last_sync, g_date_time_unref);
          self->last_sync = g_date_time_ref (s->last_sync);
          g_object_notify_by_pspec (object, properties[PROP_LAST_SYNC]);
        }
      if (g_strcmp0 (self->last_error, s->last_error) != 0)
        {
          g_free (self->last_error);
          self->last_error = g_strdup (s->last_error);
          g_object_notify_by_pspec (object, properties[PROP_LAST_ERROR]);
        }
      self->rounds++;
      g_object_notify_by_pspec (object, properties[PROP_ROUNDS]);
    }

  g_object_thaw_notify (object);

  if (s->tables != NULL && s->tables[0] != NULL)
    g_signal_emit (self, signals[TABLES_CHANGED], 0, s->tables);

  return G_SOURCE_REMOVE;
}

static void
publish (RxSyncEngine *self,
         Snapshot     *s)
{
  s->engine = g_object_ref (self);
  g_main_context_invoke_full (self->owner, G_PRIORITY_DEFAULT, apply_snapshot, s,
                              (GDestroyNotify) snapshot_free);
}

/* The worker ------------------------------------------------------------------------------ */

static gboolean
offline_error (const GError *error)
{
  return g_error_matches (error, RX_SYNC_ERROR, RX_SYNC_ERROR_NETWORK) ||
         g_error_matches (error, RX_SYNC_ERROR, RX_SYNC_ERROR_UNAVAILABLE) ||
         g_error_matches (error, RX_SYNC_ERROR, RX_SYNC_ERROR_RATE_LIMITED);
}

static gint64
backoff_us (guint *backoff_s)
{
  double jitter = g_random_double_range (0.8, 1.2);

  *backoff_s = *backoff_s == 0 ? FIRST_BACKOFF_S : MIN (*backoff_s * 2, MAX_BACKOFF_S);
  return (gint64) (*backoff_s * jitter * G_USEC_PER_SEC);
}

static void
sign_in (RxSyncEngine *self,
         RxDb         *db,
         char         *username,
         char         *password)
{
  g_autoptr(GError) error = NULL;

  if (rx_sync_is_enrolled (db) &&
      !rx_sync_login (db, username, password, self->cancellable, &error))
    g_message ("Could not sign %s in to the server: %s", username, error->message);

  explicit_bzero (password, strlen (password));
  g_free (password);
  g_free (username);
}

static gpointer
worker (gpointer data)
{
  RxSyncEngine *self = data;
  g_autoptr(RxDb) db = NULL;
  gint64 next_at = 0;  /* monotonic µs; 0: at once */
  gint64 last_version = -1;
  guint backoff_s = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) tables = NULL;
      g_autoptr(GQueue) pending_sign_ins = g_queue_new ();
      RxSyncReport report = { 0, };
      gboolean local_work = FALSE;
      gint64 version;
      Snapshot *s;
      gboolean ok;

      g_mutex_lock (&self->lock);
      while (!self->kicked && !self->stopping && self->sign_ins.length == 0 &&
             (next_at > 0 && g_get_monotonic_time () < next_at))
        {
          /* look for new local work every few seconds: another connection committed */
          gint64 look = MIN (next_at, g_get_monotonic_time () + LOOK_S * G_USEC_PER_SEC);

          if (g_cond_wait_until (&self->cond, &self->lock, look) || db == NULL || backoff_s > 0)
            continue;
          g_mutex_unlock (&self->lock);
          version = rx_sync_data_version (db);
          local_work = version != last_version && rx_change_log_count_pushable (db) > 0;
          last_version = version;
          g_mutex_lock (&self->lock);
          if (local_work)
            break;
        }
      if (self->stopping)
        {
          g_mutex_unlock (&self->lock);
          break;
        }
      self->kicked = FALSE;
      while (self->sign_ins.length > 0)
        g_queue_push_tail (pending_sign_ins, g_queue_pop_head (&self->sign_ins));
      g_mutex_unlock (&self->lock);

      if (db == NULL)
        {
          db = rx_db_open (self->path, RX_DB_OPEN_NONE, &error);
          if (db == NULL)
            {
              s = g_new0 (Snapshot, 1);
              s->finished = TRUE;
              s->last_error = g_strdup (error->message);
              publish (self, s);
              next_at = g_get_monotonic_time () + backoff_us (&backoff_s);
              continue;
            }
        }

      while (pending_sign_ins->length >= 2)
        {
          char *username = g_queue_pop_head (pending_sign_ins);
          char *password = g_queue_pop_head (pending_sign_ins);
          sign_in (self, db, username, password);
        }

      if (!rx_sync_is_enrolled (db))
        {
          s = g_new0 (Snapshot, 1);
          s->finished = TRUE;
          s->pending = rx_change_log_count_pushable (db);
          s->conflicts = rx_conflicts_count_open (db);
          publish (self, s);
          next_at = g_get_monotonic_time () + (gint64) self->interval_s * G_USEC_PER_SEC;
          continue;
        }

      s = g_new0 (Snapshot, 1);
      s->enrolled = TRUE;
      s->syncing = TRUE;
      s->online = self->online;
      s->pending = rx_change_log_count_pushable (db);
      s->conflicts = rx_conflicts_count_open (db);
      publish (self, s);

      tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      report.tables = tables;
      ok = rx_sync_now (db, &report, self->cancellable, &error);

      s = g_new0 (Snapshot, 1);
      s->enrolled = TRUE;
      s->finished = TRUE;
      s->online = ok || !offline_error (error);
      s->pending = rx_change_log_count_pushable (db);
      s->conflicts = rx_conflicts_count_open (db);
      s->last_sync = ok ? g_date_time_new_now_utc () : NULL;
      s->last_error = ok ? NULL : g_strdup (error->message);
      s->tables = (GStrv) g_hash_table_get_keys_as_array (tables, NULL);
      for (guint i = 0; s->tables[i] != NULL; i++)
        s->tables[i] = g_strdup (s->tables[i]);
      publish (self, s);

      last_version = rx_sync_data_version (db);

      if (!ok && offline_error (error))
        {
          guint hint = 0;
          gint64 wait = backoff_us (&backoff_s);

          if (g_error_matches (error, RX_SYNC_ERROR, RX_SYNC_ERROR_RATE_LIMITED))
            hint = 60;
          next_at = g_get_monotonic_time () + MAX (wait, (gint64) hint * G_USEC_PER_SEC);
        }
      else
        {
          backoff_s = 0;
          next_at = g_get_monotonic_time () + (gint64) self->interval_s * G_USEC_PER_SEC;
        }
    }

  return NULL;
}

/* The object -------------------------------------------------------------------------------- */

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    RxSyncEngine    *self)
{
  if (available)
    rx_sync_engine_kick (self);
}

void
rx_sync_engine_stop (RxSyncEngine *self)
{
  g_return_if_fail (RX_IS_SYNC_ENGINE (self));

  if (self->thread == NULL)
    return;

  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  g_cancellable_cancel (self->cancellable);

  g_thread_join (g_steal_pointer (&self->thread));
}

static void
rx_sync_engine_dispose (GObject *object)
{
  RxSyncEngine *self = RX_SYNC_ENGINE (object);

  rx_sync_engine_stop (self);
  g_clear_signal_handler (&self->network_handler, self->monitor);

  G_OBJECT_CLASS (rx_sync_engine_parent_class)->dispose (object);
}

static void
rx_sync_engine_finalize (GObject *object)
{
  RxSyncEngine *self = RX_SYNC_ENGINE (object);
  char *text;

  while ((text = g_queue_pop_head (&self->sign_ins)) != NULL)
    {
      explicit_bzero (text, strlen (text));
      g_free (text);
    }
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->owner, g_main_context_unref);
  g_clear_pointer (&self->last_sync, g_date_time_unref);
  g_free (self->last_error);
  g_free (self->path);

  G_OBJECT_CLASS (rx_sync_engine_parent_class)->finalize (object);
}

static void
rx_sync_engine_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RxSyncEngine *self = RX_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_ENROLLED:
      g_value_set_boolean (value, self->enrolled);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_SYNCING:
      g_value_set_boolean (value, self->syncing);
      break;
    case PROP_PENDING:
      g_value_set_int64 (value, self->pending);
      break;
    case PROP_CONFLICTS:
      g_value_set_int64 (value, self->conflicts);
      break;
    case PROP_LAST_SYNC:
      g_value_set_boxed (value, self->last_sync);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_ROUNDS:
      g_value_set_uint (value, self->rounds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_sync_engine_class_init (RxSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = rx_sync_engine_dispose;
  object_class->finalize = rx_sync_engine_finalize;
  object_class->get_property = rx_sync_engine_get_property;

  properties[PROP_ENROLLED] = g_param_spec_boolean ("enrolled", NULL, NULL, FALSE, flags);
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, FALSE, flags);
  properties[PROP_SYNCING] = g_param_spec_boolean ("syncing", NULL, NULL, FALSE, flags);
  properties[PROP_PENDING] = g_param_spec_int64 ("pending", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CONFLICTS] = g_param_spec_int64 ("conflicts", NULL, NULL, 0, G_MAXINT64, 0,
                                                   flags);
  properties[PROP_LAST_SYNC] = g_param_spec_boxed ("last-sync", NULL, NULL, G_TYPE_DATE_TIME,
                                                   flags);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, flags);
  properties[PROP_ROUNDS] = g_param_spec_uint ("rounds", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RxSyncEngine::tables-changed:
   * @tables: names of the tables that pulled changes touched
   */
  signals[TABLES_CHANGED] = g_signal_new ("tables-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRV);
}

static void
rx_sync_engine_init (RxSyncEngine *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->sign_ins);
  self->interval_s = 120;
  self->cancellable = g_cancellable_new ();
}

RxSyncEngine *
rx_sync_engine_new (const char *clinic_path)
{
  RxSyncEngine *self;

  g_return_val_if_fail (clinic_path != NULL, NULL);

  self = g_object_new (RX_TYPE_SYNC_ENGINE, NULL);
  self->path = g_strdup (clinic_path);
  self->owner = g_main_context_ref_thread_default ();
  self->monitor = g_network_monitor_get_default ();
  self->network_handler = g_signal_connect (self->monitor, "network-changed",
                                            G_CALLBACK (on_network_changed), self);
  self->thread = g_thread_new ("rx-sync", worker, self);

  return self;
}

void
rx_sync_engine_set_interval (RxSyncEngine *self,
                             guint         seconds)
{
  g_return_if_fail (RX_IS_SYNC_ENGINE (self));

  g_mutex_lock (&self->lock);
  self->interval_s = MAX (seconds, 1);
  g_mutex_unlock (&self->lock);
}

void
rx_sync_engine_kick (RxSyncEngine *self)
{
  g_return_if_fail (RX_IS_SYNC_ENGINE (self));

  g_mutex_lock (&self->lock);
  self->kicked = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* The password a person just typed to unlock the app signs them in to the server too, so
 * that what they write can be sent under their own name. */
void
rx_sync_engine_sign_in (RxSyncEngine *self,
                        const char   *username,
                        const char   *password)
{
  g_return_if_fail (RX_IS_SYNC_ENGINE (self));
  g_return_if_fail (username != NULL && password != NULL);

  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->sign_ins, g_strdup (username));
  g_queue_push_tail (&self->sign_ins, g_strdup (password));
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

gboolean
rx_sync_engine_get_enrolled (RxSyncEngine *self)
{
  return self->enrolled;
}

gboolean
rx_sync_engine_get_online (RxSyncEngine *self)
{
  return self->online;
}

gboolean
rx_sync_engine_get_syncing (RxSyncEngine *self)
{
  return self->syncing;
}

gint64
rx_sync_engine_get_pending (RxSyncEngine *self)
{
  return self->pending;
}

gint64
rx_sync_engine_get_conflicts (RxSyncEngine *self)
{
  return self->conflicts;
}

GDateTime *
rx_sync_engine_get_last_sync (RxSyncEngine *self)
{
  return self->last_sync;
}

const char *
rx_sync_engine_get_last_error (RxSyncEngine *self)
{
  return self->last_error;
}

guint
rx_sync_engine_get_rounds (RxSyncEngine *self)
{
  return self->rounds;
}
