/* rx-clinic-demo.c: making the demo clinic off the main loop, and the password its staff
 * share. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rx-clinic-private.h"
#include "rx-demo.h"
#include "rx-formulary.h"

/* What making the demo needs: where, and the staff's password (wiped when done). */
typedef struct
{
  char *path;
  char *password;
} DemoRequest;

static void
demo_request_free (gpointer data)
{
  DemoRequest *request = data;

  g_free (request->path);
  if (request->password != NULL)
    explicit_bzero (request->password, strlen (request->password));
  g_free (request->password);
  g_free (request);
}

/* The demo is built under a temporary name and renamed into place only once complete, so an
 * interrupted first start never leaves a half-filled demo that later starts would trust. */
static gpointer
create_demo_in_worker (RxDb          *unused,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  DemoRequest *request = data;
  const char *path = request->path;
  g_autofree char *partial = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(RxDb) db = NULL;
  Opened *opened;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return _rx_clinic_open_in_worker (NULL, request->path, cancellable, error);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder “%s” for the demo clinic: %s"),
                   dir, g_strerror (saved));
      return NULL;
    }

  partial = g_strconcat (path, ".partial", NULL);
  rx_db_remove_files (partial);

  db = rx_db_create_clinic (partial, _("Demo Clinic"), error);
  if (db == NULL)
    return NULL;

  if (!rx_formulary_load_default (db, NULL, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !rx_demo_populate (db, request->password, NULL, error))
    {
      g_clear_object (&db);
      rx_db_remove_files (partial);
      return NULL;
    }

  /* Closing checkpoints the write-ahead log into the main file. */
  g_clear_object (&db);

  if (g_rename (partial, path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot move the demo clinic into place at “%s”: %s"),
                   path, g_strerror (saved));
      rx_db_remove_files (partial);
      return NULL;
    }
  rx_db_remove_files (partial);

  opened = _rx_clinic_open_in_worker (NULL, request->path, cancellable, error);
  /* Only a demo made just now tells its password: it is never stored anywhere else. */
  if (opened != NULL)
    opened->demo_password = g_strdup (request->password);

  return opened;
}

/**
 * rx_clinic_create_demo_async:
 *
 * Opens the demo clinic at @path, first making it (formulary, staff, patients, stock) when
 * there is no file there yet. Making it takes a few seconds. The demo staff share
 * @staff_password; rx_clinic_take_demo_password() hands it back once, if the demo was made.
 */
void
rx_clinic_create_demo_async (const char          *path,
                             const char          *staff_password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  DemoRequest *request;

  g_return_if_fail (path != NULL);
  g_return_if_fail (staff_password != NULL);

  request = g_new0 (DemoRequest, 1);
  request->path = g_strdup (path);
  request->password = g_strdup (staff_password);
  _rx_clinic_open_with (create_demo_in_worker, rx_clinic_create_demo_async, path, request,
                        demo_request_free, cancellable, callback, user_data);
}

RxClinic *
rx_clinic_create_demo_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
