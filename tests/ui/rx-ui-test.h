/* rx-ui-test.h: what the UI tests share: running the main loop until something is so (with
 * a deadline), the usual conditions, and a count read on the clinic's worker. */
#pragma once

#include <gtk/gtk.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

typedef gboolean (*RxUiCondition) (gpointer data);

void     rx_ui_wait_for     (const char    *what,
                             RxUiCondition  done,
                             gpointer       data);
gboolean rx_ui_is_true      (gpointer       data);
gboolean rx_ui_is_set       (gpointer       data);
gboolean rx_ui_is_null      (gpointer       data);
gboolean rx_ui_window_idle  (gpointer       data);
gint64   rx_ui_count        (RxClinic      *clinic,
                             const char    *sql);

G_END_DECLS
