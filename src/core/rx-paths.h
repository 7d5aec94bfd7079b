/* rx-paths.h: where clinic files live, and which one was opened last. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *rx_paths_clinic_dir        (void);
char     *rx_paths_clinic_file       (const char  *clinic_name);
char     *rx_paths_get_last_clinic   (void);
gboolean  rx_paths_set_last_clinic   (const char  *path,
                                      GError     **error);

G_END_DECLS
