/* rx-assistant-service.c: one question to an OpenAI-compatible chat completions service.
 *
 * The request carries the clinic's facts as the system message and the person's words as the
 * user message, nothing else (no patient record, no conversation history). Called from the
 * assistant's own thread, so the request is synchronous. HTTPS only, except to this
 * computer (a service run locally, or a test's stand-in). */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rx-assistant-service.h"

#define REQUEST_TIMEOUT_SECONDS 20
#define MAX_ANSWER_CHARS 2000

/* Whether @url may be sent a person's words: https anywhere, http only to this computer. */
gboolean
rx_assistant_service_check_url (const char  *url,
                                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The assistant service address “%s” is not a web address; set "
                     "assistant-service-url to one such as https://host/v1"), url);
      return FALSE;
    }
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 &&
      (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1") ||
       g_ascii_strcasecmp (host, "localhost") == 0))
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               _("The assistant service at “%s” is not on HTTPS; people’s questions are only "
                 "sent over HTTPS (or to this computer)"), url);
  return FALSE;
}

static char *
endpoint (const char *url)
{
  if (g_str_has_suffix (url, "/chat/completions"))
    return g_strdup (url);
  if (g_str_has_suffix (url, "/"))
    return g_strconcat (url, "chat/completions", NULL);
  return g_strconcat (url, "/chat/completions", NULL);
}

static void
add_message (JsonBuilder *builder,
             const char  *role,
             const char  *content)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, role);
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, content);
  json_builder_end_object (builder);
}

static char *
request_body (const char *model,
              const char *facts,
              const char *question)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *system = NULL;

  system = g_strdup_printf ("You answer questions from people at a clinic's pharmacy "
                            "counter. Use only the facts below; if they do not answer the "
                            "question, say you do not know and suggest asking the clinic "
                            "staff. Never diagnose, never advise on doses, and send anyone "
                            "who may be unwell to a doctor or pharmacist. Answer in at most "
                            "three short sentences.\n\nFacts:\n%s", facts);

  json_builder_begin_object (builder);
  if (model != NULL && *model != '\0')
    {
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, model);
    }
  json_builder_set_member_name (builder, "temperature");
  json_builder_add_double_value (builder, 0.0);
  json_builder_set_member_name (builder, "max_tokens");
  json_builder_add_int_value (builder, 300);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  add_message (builder, "system", system);
  add_message (builder, "user", question);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* choices[0].message.content */
static char *
answer_from (GBytes  *bytes,
             GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  JsonArray *choices;
  JsonObject *message;
  const char *content;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), NULL))
    goto bad;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto bad;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "choices") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "choices")))
    goto bad;
  choices = json_object_get_array_member (object, "choices");
  if (json_array_get_length (choices) == 0 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (choices, 0)))
    goto bad;
  object = json_array_get_object_element (choices, 0);
  if (!json_object_has_member (object, "message") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "message")))
    goto bad;
  message = json_object_get_object_member (object, "message");
  content = json_object_get_string_member_with_default (message, "content", NULL);
  if (content == NULL || !g_utf8_validate (content, -1, NULL) || *content == '\0')
    goto bad;

  return g_utf8_substring (content, 0, MIN (g_utf8_strlen (content, -1), MAX_ANSWER_CHARS));

bad:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The assistant service sent back something that is not a chat "
                         "completion; check assistant-service-url"));
  return NULL;
}

/**
 * rx_assistant_service_ask:
 * @url: the service's base address (".../v1") or its chat completions endpoint
 * @model: (nullable): the model to ask for
 * @api_key: (nullable): sent as a bearer token
 * @facts: what the answer may be drawn from
 *
 * Blocks: call it from a worker thread.
 *
 * Returns: (transfer full): the answer, or %NULL with @error set
 */
char *
rx_assistant_service_ask (const char    *url,
                          const char    *model,
                          const char    *api_key,
                          const char    *facts,
                          const char    *question,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *address = NULL;
  g_autofree char *json = NULL;
  guint status;

  g_return_val_if_fail (url != NULL && facts != NULL && question != NULL, NULL);

  if (!rx_assistant_service_check_url (url, error))
    return NULL;

  address = endpoint (url);
  message = soup_message_new (SOUP_METHOD_POST, address);
  if (message == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The assistant service address “%s” is not a web address"), url);
      return NULL;
    }
  json = request_body (model, facts, question);
  body = g_bytes_new (json, strlen (json));
  soup_message_set_request_body_from_bytes (message, "application/json", body);
  if (api_key != NULL && *api_key != '\0')
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", api_key, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", bearer);
    }

  session = soup_session_new_with_options ("timeout", REQUEST_TIMEOUT_SECONDS,
                                           "user-agent", "rxdesk/" PACKAGE_VERSION,
                                           NULL);
  answer = soup_session_send_and_read (session, message, cancellable, error);
  if (answer == NULL)
    return NULL;

  status = soup_message_get_status (message);
  if (status != SOUP_STATUS_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The assistant service answered HTTP %u %s"), status,
                   soup_message_get_reason_phrase (message) ?
                   soup_message_get_reason_phrase (message) : "");
      return NULL;
    }

  return answer_from (answer, error);
}
