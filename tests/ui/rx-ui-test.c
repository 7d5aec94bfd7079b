/* rx-ui-test.c: see rx-ui-test.h. */
#include "config.h"

#include "rx-test-util.h"
#include "rx-ui-test.h"
#include "rx-window-kind.h"

/* Long enough for a loaded 2-core machine; a test that waits longer is stuck. */
#define WAIT_SECONDS 60

static gboolean
timed_out (gpointer user_data)
{
  g_error ("Timed out waiting for %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done says so; fails the test after a minute. */
void
rx_ui_wait_for (const char    *what,
                RxUiCondition  done,
                gpointer       data)
{
  guint timeout = g_timeout_add_seconds (WAIT_SECONDS, timed_out, (gpointer) what);

  while (!done (data))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

/* @data points at a gboolean that becomes TRUE. */
gboolean
rx_ui_is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* @data points at a pointer that becomes set. */
gboolean
rx_ui_is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

/* @data points at a pointer that becomes NULL (a weak pointer to a window that closes). */
gboolean
rx_ui_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* @data is a window whose "busy" work has ended. */
gboolean
rx_ui_window_idle (gpointer data)
{
  return !rx_window_get_busy (data);
}

typedef struct
{
  gboolean done;
  gint64   value;
} Count;

static gpointer
count_in_worker (RxDb          *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return g_memdup2 ((gint64[]) { rx_test_count (db, data) }, sizeof (gint64));
}

static void
counted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Count *count = user_data;
  g_autofree gint64 *value = rx_clinic_run_finish (RX_CLINIC (object), result, NULL);

  g_assert_nonnull (value);
  count->value = *value;
  count->done = TRUE;
}

/* One integer from @sql, read on the clinic's worker as the windows read. */
gint64
rx_ui_count (RxClinic   *clinic,
             const char *sql)
{
  Count result = { FALSE, 0 };

  rx_clinic_run_async (clinic, count_in_worker, g_strdup (sql), g_free, g_free, NULL,
                       counted_cb, &result);
  rx_ui_wait_for ("a count", rx_ui_is_true, &result.done);
  return result.value;
}
