/* rx-uuid.h: UUIDv7 for new rows (time-ordered) and name-based ids for reference data. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *rx_uuid7_new          (gint64      unix_ms);
char     *rx_uuid_for_name      (const char *name_space,
                                 const char *name);
gboolean  rx_uuid_is_valid      (const char *text);
gint64    rx_uuid7_get_unix_ms  (const char *uuid);

G_END_DECLS
