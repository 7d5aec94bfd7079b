/* rx-server-http.c: the small things every handler needs: problem answers
 * (application/problem+json) with a detail a person can act on, JSON answers, reading a JSON
 * body and its members, the clock and the log. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rx-server-private.h"

void
rx_caller_clear (RxCaller *caller)
{
  g_clear_pointer (&caller->token_hash, g_free);
  g_clear_pointer (&caller->org_id, g_free);
  g_clear_pointer (&caller->workstation_id, g_free);
  g_clear_pointer (&caller->user_id, g_free);
}

gint64
rx_server_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

char *
rx_server_iso (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  return dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

void
rx_server_log (const char *level,
               const char *format,
               ...)
{
  g_autofree char *now = rx_server_iso (rx_server_now ());
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  /* one write per line, so lines of concurrent writers never interleave */
  fprintf (stderr, "%s level=%s %s\n", now, level, text);
  fflush (stderr);
}

/* Answers --------------------------------------------------------------------------------- */

static const char *
title_for (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_BAD_REQUEST:
      return "Malformed request";
    case SOUP_STATUS_UNAUTHORIZED:
      return "Not signed in";
    case SOUP_STATUS_FORBIDDEN:
      return "Not allowed";
    case SOUP_STATUS_NOT_FOUND:
      return "No such endpoint";
    case SOUP_STATUS_METHOD_NOT_ALLOWED:
      return "Method not allowed";
    case SOUP_STATUS_CONFLICT:
      return "Conflict";
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      return "Request too large";
    case RX_STATUS_TOO_MANY_REQUESTS:
      return "Too many requests";
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      return "Service unavailable";
    default:
      return soup_status_get_phrase (status);
    }
}

static void
set_json (SoupServerMessage *msg,
          guint              status,
          const char        *content_type,
          JsonNode          *root)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  char *text;
  gsize length;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &length);
  soup_server_message_set_status (msg, status, status == RX_STATUS_TOO_MANY_REQUESTS
                                               ? "Too Many Requests" : NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, text, length);
}

static void problem_valist (SoupServerMessage *msg,
                            guint              status,
                            guint              retry_after,
                            const char        *format,
                            va_list            args) G_GNUC_PRINTF (4, 0);

static void
problem_valist (SoupServerMessage *msg,
                guint              status,
                guint              retry_after,
                const char        *format,
                va_list            args)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *detail = g_strdup_vprintf (format, args);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, status);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, title_for (status));
  json_builder_set_member_name (b, "detail");
  json_builder_add_string_value (b, detail);
  json_builder_end_object (b);
  root = json_builder_get_root (b);

  if (retry_after > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", retry_after);

      soup_message_headers_replace (headers, "Retry-After", seconds);
    }
  set_json (msg, status, "application/problem+json", root);
}

void
rx_server_problem (SoupServerMessage *msg,
                   guint              status,
                   const char        *format,
                   ...)
{
  va_list args;

  va_start (args, format);
  problem_valist (msg, status, 0, format, args);
  va_end (args);
}

void
rx_server_problem_retry (SoupServerMessage *msg,
                         guint              status,
                         guint              retry_after,
                         const char        *format,
                         ...)
{
  va_list args;

  va_start (args, format);
  problem_valist (msg, status, retry_after, format, args);
  va_end (args);
}

void
rx_server_store_failed (SoupServerMessage *msg,
                        const GError      *error)
{
  g_autofree char *quoted = g_strescape (error ? error->message : "unknown failure", NULL);

  rx_server_log ("error", "msg=\"%s\"", quoted);
  rx_server_problem_retry (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, 5,
                           "The server cannot reach its store right now; nothing was changed. "
                           "Try again in a moment; if this lasts, the server's log says why");
}

void
rx_server_reply_json (SoupServerMessage *msg,
                      guint              status,
                      JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  set_json (msg, status, "application/json", root);
}

/* Reading requests ------------------------------------------------------------------------ */

RxRequest *
rx_server_request_of (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "rx-request");
}

/* json-glib says "<data>:1:15: Parse error: ..."; a client wants "line 1, column 15: ...". */
static char *
describe_parse_error (const GError *error)
{
  int line = 0, column = 0, consumed = 0;
  const char *message = error->message;

  if (sscanf (message, "<data>:%d:%d: %n", &line, &column, &consumed) == 2 && consumed > 0)
    return g_strdup_printf ("line %d, column %d: %s", line, column, message + consumed);

  return g_strdup (message);
}

JsonObject *
rx_server_parse_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);
  JsonNode *root;

  if (length == 0)
    {
      rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST,
                         "The request has no body; send a JSON object as PROTOCOL.md describes");
      return NULL;
    }
  if (!g_utf8_validate (data, length, NULL))
    {
      rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST,
                         "The request body is not valid UTF-8; send JSON in UTF-8");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &error))
    {
      g_autofree char *where = describe_parse_error (error);

      rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST,
                         "The request body is not valid JSON (%s); send one JSON object", where);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST,
                         "The request body must be a JSON object ({...}), not %s",
                         root == NULL ? "empty" : json_node_type_name (root));
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

void
rx_json_add_string (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
rx_json_add_time (JsonBuilder *b,
                  const char  *name,
                  gint64       t)
{
  g_autofree char *iso = t != 0 ? rx_server_iso (t) : NULL;

  rx_json_add_string (b, name, iso);
}

gboolean
rx_server_get_string (SoupServerMessage  *msg,
                      JsonObject         *object,
                      const char         *name,
                      gboolean            required,
                      const char        **value)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST,
                         "The request lacks “%s”; PROTOCOL.md lists what this request needs",
                         name);
      return FALSE;
    }

  *value = rx_json_string (object, name);
  if (*value == NULL || (required && **value == '\0'))
    {
      rx_server_problem (msg, SOUP_STATUS_BAD_REQUEST, "“%s” must be a non-empty string", name);
      return FALSE;
    }

  return TRUE;
}
