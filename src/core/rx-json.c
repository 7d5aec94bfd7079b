/* rx-json.c: see rx-json.h. */
#include "config.h"

#include "rx-json.h"

/* A member that is a string, or NULL when it is missing or anything else (json-glib's own
 * getters complain about a member of another type, which a peer can send on purpose). */
const char *
rx_json_string (JsonObject *object,
                const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}
