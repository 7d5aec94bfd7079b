/* rx-clinic.c: the app's handle on one clinic database.
 *
 * An RxDb is one SQLite connection with cached statements: it must never be used by two
 * threads at once. Rather than a mutex that parks one thread per keystroke, every query goes
 * to a GThreadPool limited to one thread, so jobs run one after another in the order they
 * were asked for, and a job whose cancellable fired while it waited is dropped without
 * touching the database. Results come back to the caller's main context with
 * g_main_context_invoke_full(), and the GTask is released there too, so the last reference
 * to an RxClinic (and so to the RxDb) is always dropped on the main thread. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rx-clinic-private.h"
#include "rx-formulary.h"

G_DEFINE_FINAL_TYPE (RxClinic, rx_clinic, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_NAME,
  PROP_USER,
  PROP_LOCKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GTask          *task;
  GMainContext   *context;
  RxClinicFunc    func;
  gpointer        data;
  GDestroyNotify  data_destroy;
  GDestroyNotify  result_destroy;
  gpointer        result;
  GError         *error;
} Job;

void
_rx_clinic_opened_free (gpointer data)
{
  Opened *opened = data;

  g_clear_object (&opened->db);
  g_free (opened->name);
  if (opened->demo_password != NULL)
    explicit_bzero (opened->demo_password, strlen (opened->demo_password));
  g_free (opened->demo_password);
  g_free (opened);
}

static gboolean
job_complete (gpointer data)
{
  Job *job = data;

  if (job->error != NULL)
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  else
    g_task_return_pointer (job->task, g_steal_pointer (&job->result), job->result_destroy);

  if (job->data_destroy != NULL)
    g_clear_pointer (&job->data, job->data_destroy);
  g_clear_object (&job->task);
  g_main_context_unref (job->context);
  g_free (job);

  return G_SOURCE_REMOVE;
}

static void
worker_run (gpointer job_data,
            gpointer pool_data)
{
  Job *job = job_data;
  RxClinic *self = pool_data;
  GCancellable *cancellable = g_task_get_cancellable (job->task);

  if (!g_cancellable_set_error_if_cancelled (cancellable, &job->error))
    {
      job->result = job->func (self->db, job->data, cancellable, &job->error);
      if (job->result == NULL && job->error == NULL)
        g_set_error_literal (&job->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The clinic database gave no answer; try again"));
    }

  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, job_complete, job, NULL);
}

static void
rx_clinic_finalize (GObject *object)
{
  RxClinic *self = (RxClinic *) object;

  _rx_clinic_session_clear (self, TRUE);
  g_clear_object (&self->sync);
  /* Every queued job holds a reference, so the pool is idle here. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_clear_object (&self->db);
  g_free (self->path);
  g_free (self->name);
  if (self->demo_password != NULL)
    explicit_bzero (self->demo_password, strlen (self->demo_password));
  g_free (self->demo_password);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (rx_clinic_parent_class)->finalize (object);
}

static void
rx_clinic_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RxClinic *self = RX_CLINIC (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_USER:
      g_value_set_object (value, self->user);
      break;

    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_clinic_class_init (RxClinicClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rx_clinic_finalize;
  object_class->get_property = rx_clinic_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_USER] =
    g_param_spec_object ("user", NULL, NULL, RX_TYPE_USER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_clinic_init (RxClinic *self)
{
  /* One thread, not exclusive: it exits when idle and a new one starts for the next job,
   * which SQLite allows as long as two never overlap. */
  self->pool = g_thread_pool_new (worker_run, self, 1, FALSE, NULL);
  self->context = g_main_context_ref_thread_default ();
  self->main_thread = g_thread_self ();
  self->idle_seconds = 600;
}

void
_rx_clinic_notify_session (RxClinic *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}

/**
 * rx_clinic_new_for_db:
 * @db: a clinic database that nothing else will use from now on
 *
 * Wraps an already open database, as the tests do. The app itself opens clinics with
 * rx_clinic_open_async(), so that migrations never block the main loop.
 */
RxClinic *
rx_clinic_new_for_db (RxDb *db)
{
  RxClinic *self;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  self = g_object_new (RX_TYPE_CLINIC, NULL);
  self->db = g_object_ref (db);
  self->path = g_strdup (rx_db_get_path (db));
  self->name = rx_db_dup_clinic_name (db);
  if (self->name == NULL)
    self->name = rx_clinic_dup_file_name (self);

  return self;
}

void
rx_clinic_run_async (RxClinic            *self,
                     RxClinicFunc         func,
                     gpointer             data,
                     GDestroyNotify       data_destroy,
                     GDestroyNotify       result_destroy,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  Job *job;

  g_return_if_fail (RX_IS_CLINIC (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (Job, 1);
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, rx_clinic_run_async);
  job->context = g_main_context_ref_thread_default ();
  job->func = func;
  job->data = data;
  job->data_destroy = data_destroy;
  job->result_destroy = result_destroy;

  g_thread_pool_push (self->pool, job, NULL);
}

gpointer
rx_clinic_run_finish (RxClinic      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (RX_IS_CLINIC (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Opening ------------------------------------------------------------------------------- */

gpointer
_rx_clinic_open_in_worker (RxDb          *unused,
                           gpointer       data,
                           GCancellable  *cancellable,
                           GError       **error)
{
  const char *path = data;
  Opened *opened = g_new0 (Opened, 1);

  opened->db = rx_db_open (path, RX_DB_OPEN_NONE, error);
  if (opened->db == NULL)
    {
      _rx_clinic_opened_free (opened);
      return NULL;
    }
  opened->name = rx_db_dup_clinic_name (opened->db);

  return opened;
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  RxClinic *self = RX_CLINIC (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Opened *opened;

  opened = rx_clinic_run_finish (self, result, &error);
  if (opened == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The worker is idle until this returns, and the next push orders these writes before
   * anything it reads. */
  self->db = g_steal_pointer (&opened->db);
  self->name = g_steal_pointer (&opened->name);
  self->demo_password = g_steal_pointer (&opened->demo_password);
  if (self->name == NULL)
    self->name = rx_clinic_dup_file_name (self);
  _rx_clinic_opened_free (opened);

  g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

void
_rx_clinic_open_with (RxClinicFunc         func,
                      gpointer             source_tag,
                      const char          *path,
                      gpointer             data,
                      GDestroyNotify       data_destroy,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(RxClinic) self = g_object_new (RX_TYPE_CLINIC, NULL);
  GTask *task;

  self->path = g_strdup (path);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  rx_clinic_run_async (self, func, data, data_destroy, _rx_clinic_opened_free, cancellable,
                       opened_cb, task);
}

void
rx_clinic_open_async (const char          *path,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (path != NULL);

  _rx_clinic_open_with (_rx_clinic_open_in_worker, rx_clinic_open_async, path,
                        g_strdup (path), g_free, cancellable, callback, user_data);
}

RxClinic *
rx_clinic_open_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Accessors ----------------------------------------------------------------------------- */

const char *
rx_clinic_get_path (RxClinic *self)
{
  g_return_val_if_fail (RX_IS_CLINIC (self), NULL);
  return self->path;
}

/* The clinic's own name, or the file's when the clinic has none. */
const char *
rx_clinic_get_name (RxClinic *self)
{
  g_return_val_if_fail (RX_IS_CLINIC (self), NULL);
  return self->name;
}

/* The password of the demo staff when this clinic is a demo made just now; the caller shows it
 * once and wipes it. NULL afterwards, and for any other clinic. */
char *
rx_clinic_take_demo_password (RxClinic *self)
{
  g_return_val_if_fail (RX_IS_CLINIC (self), NULL);
  return g_steal_pointer (&self->demo_password);
}

char *
rx_clinic_dup_file_name (RxClinic *self)
{
  g_return_val_if_fail (RX_IS_CLINIC (self), NULL);
  return g_filename_display_basename (self->path);
}

/* Queries ------------------------------------------------------------------------------- */

static gpointer
search_patients_in_worker (RxDb          *db,
                           gpointer       data,
                           GCancellable  *cancellable,
                           GError       **error)
{
  return rx_patients_search (db, data, RX_CLINIC_PATIENT_SEARCH_LIMIT, error);
}

void
rx_clinic_search_patients_async (RxClinic            *self,
                                 const char          *text,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  rx_clinic_run_async (self, search_patients_in_worker, g_strdup (text ? text : ""), g_free,
                       g_object_unref, cancellable, callback, user_data);
}

GListModel *
rx_clinic_search_patients_finish (RxClinic      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return rx_clinic_run_finish (self, result, error);
}

static gpointer
search_products_in_worker (RxDb          *db,
                           gpointer       data,
                           GCancellable  *cancellable,
                           GError       **error)
{
  return rx_formulary_search (db, data, RX_CLINIC_PRODUCT_SEARCH_LIMIT, error);
}

void
rx_clinic_search_products_async (RxClinic            *self,
                                 const char          *text,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  rx_clinic_run_async (self, search_products_in_worker, g_strdup (text ? text : ""), g_free,
                       g_object_unref, cancellable, callback, user_data);
}

GListModel *
rx_clinic_search_products_finish (RxClinic      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return rx_clinic_run_finish (self, result, error);
}

static gpointer
count_in_worker (RxDb          *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  RxClinicCounts *counts = g_new0 (RxClinicCounts, 1);

  counts->patients = rx_db_count_rows (db, "patients");
  counts->products = rx_db_count_rows (db, "products");
  counts->pending_changes = rx_db_count_pending_changes (db);

  return counts;
}

void
rx_clinic_count_async (RxClinic            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  rx_clinic_run_async (self, count_in_worker, NULL, NULL, g_free, cancellable, callback,
                       user_data);
}

gboolean
rx_clinic_count_finish (RxClinic        *self,
                        GAsyncResult    *result,
                        RxClinicCounts  *counts,
                        GError         **error)
{
  g_autofree RxClinicCounts *got = rx_clinic_run_finish (self, result, error);

  if (got == NULL)
    return FALSE;
  if (counts != NULL)
    *counts = *got;

  return TRUE;
}

/* Background sync of this clinic with its server (it stays idle for a clinic that is not
 * enrolled). Main thread only. */
RxSyncEngine *
rx_clinic_get_sync (RxClinic *self)
{
  g_return_val_if_fail (RX_IS_CLINIC (self), NULL);

  if (self->sync == NULL && self->path != NULL)
    self->sync = rx_sync_engine_new (self->path);
  return self->sync;
}
