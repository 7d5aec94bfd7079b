/* rx-json.h: reading JSON that came from elsewhere without trusting its shape. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

const char *rx_json_string (JsonObject *object,
                            const char *name);

G_END_DECLS
