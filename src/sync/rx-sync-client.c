/* rx-sync-client.c: requests to rxdesk-server over HTTPS with a pinned certificate, and the
 * server's problem reports turned into errors a person can act on. */
#define G_LOG_DOMAIN "rx-sync"

#include "config.h"

#include <libsoup/soup.h>

#include "rx-sync-client.h"

G_DEFINE_QUARK (rx-sync-error-quark, rx_sync_error)

struct _RxSyncClient
{
  GObject      parent_instance;

  SoupSession *session;
  GUri        *base;
  char        *pin;
  char        *seen;         /* fingerprint of the certificate the server last showed */
  guint        retry_after;  /* seconds, from the last 429 or 503 */
};

G_DEFINE_FINAL_TYPE (RxSyncClient, rx_sync_client, G_TYPE_OBJECT)

static void
rx_sync_client_finalize (GObject *object)
{
  RxSyncClient *self = RX_SYNC_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base, g_uri_unref);
  g_free (self->pin);
  g_free (self->seen);

  G_OBJECT_CLASS (rx_sync_client_parent_class)->finalize (object);
}

static void
rx_sync_client_class_init (RxSyncClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rx_sync_client_finalize;
}

static void
rx_sync_client_init (RxSyncClient *self)
{
}

char *
rx_sync_fingerprint_of_der (const guint8 *der,
                            gsize         len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der, len);
}

static gboolean
valid_pin (const char *pin)
{
  if (pin == NULL || strlen (pin) != 64)
    return FALSE;
  for (const char *p = pin; *p; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

RxSyncClient *
rx_sync_client_new (const char  *base_url,
                    const char  *pin,
                    GError     **error)
{
  g_autoptr(RxSyncClient) self = g_object_new (RX_TYPE_SYNC_CLIENT, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) clean = NULL;

  g_return_val_if_fail (base_url != NULL, NULL);

  self->base = g_uri_parse (base_url, G_URI_FLAGS_NONE, &local_error);
  if (self->base == NULL || g_strcmp0 (g_uri_get_scheme (self->base), "https") != 0 ||
      g_uri_get_host (self->base) == NULL)
    {
      g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_REFUSED,
                   "\"%s\" is not a server address RxDesk can use; give it as "
                   "https://HOST:PORT (RxDesk only syncs over HTTPS)", base_url);
      return NULL;
    }

  if (pin != NULL)
    {
      /* accept the forms people copy: upper case, with colons */
      clean = g_string_new (NULL);
      for (const char *p = pin; *p; p++)
        if (*p != ':' && *p != ' ')
          g_string_append_c (clean, g_ascii_tolower (*p));
      if (!valid_pin (clean->str))
        {
          g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_REFUSED,
                       "\"%s\" is not a SHA-256 fingerprint (64 hexadecimal digits); "
                       "`rxdesk-server fingerprint` on the server prints it", pin);
          return NULL;
        }
      self->pin = g_string_free (g_steal_pointer (&clean), FALSE);
    }

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_NETWORK,
                   "This system has no TLS support for GLib, so RxDesk cannot reach a "
                   "server safely; install glib-networking");
      return NULL;
    }

  self->session = soup_session_new_with_options ("timeout", 60,
                                                 "idle-timeout", 60,
                                                 "user-agent", "RxDesk/" PACKAGE_VERSION,
                                                 NULL);
  return g_steal_pointer (&self);
}

const char *
rx_sync_client_get_seen_fingerprint (RxSyncClient *self)
{
  g_return_val_if_fail (RX_IS_SYNC_CLIENT (self), NULL);
  return self->seen;
}

guint
rx_sync_client_get_retry_after (RxSyncClient *self)
{
  g_return_val_if_fail (RX_IS_SYNC_CLIENT (self), 0);
  return self->retry_after;
}

/* The pinned certificate is the only one accepted, whatever else vouches for another; with
 * no pin yet (enrolment without --pin), only what the system's authorities validate. */
static gboolean
on_accept_certificate (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  RxSyncClient *self = user_data;
  g_autoptr(GByteArray) der = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  g_free (self->seen);
  self->seen = der != NULL ? rx_sync_fingerprint_of_der (der->data, der->len) : NULL;

  return self->pin != NULL && self->seen != NULL && g_strcmp0 (self->pin, self->seen) == 0;
}

static void
remember_seen (SoupMessage  *msg,
               RxSyncClient *self)
{
  GTlsCertificate *certificate = soup_message_get_tls_peer_certificate (msg);
  g_autoptr(GByteArray) der = NULL;

  if (certificate == NULL)
    return;
  g_object_get (certificate, "certificate", &der, NULL);
  if (der != NULL)
    {
      g_free (self->seen);
      self->seen = rx_sync_fingerprint_of_der (der->data, der->len);
    }
}

static void
set_problem (RxSyncClient *self,
             guint         status,
             JsonObject   *problem,
             const char   *path,
             GError      **error)
{
  const char *detail = NULL;
  const char *title = NULL;
  g_autofree char *fallback = NULL;
  RxSyncError code;

  if (problem != NULL)
    {
      detail = json_object_get_string_member_with_default (problem, "detail", NULL);
      title = json_object_get_string_member_with_default (problem, "title", NULL);
    }
  if (detail == NULL)
    detail = title;
  if (detail == NULL)
    detail = fallback = g_strdup_printf ("The server answered %u %s to %s", status,
                                         soup_status_get_phrase (status), path);

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      code = RX_SYNC_ERROR_UNAUTHORIZED;
      break;
    case SOUP_STATUS_FORBIDDEN:
      code = RX_SYNC_ERROR_FORBIDDEN;
      break;
    case 429:  /* Too Many Requests; libsoup 3.2 has no name for it */
      code = RX_SYNC_ERROR_RATE_LIMITED;
      break;
    default:
      code = status >= 500 ? RX_SYNC_ERROR_UNAVAILABLE : RX_SYNC_ERROR_REFUSED;
      break;
    }

  g_set_error (error, RX_SYNC_ERROR, code, "%s", detail);
}

/**
 * rx_sync_client_request:
 * @body: (nullable): sent as JSON
 *
 * Returns: (transfer full): the answer's JSON object (an empty one for 204), or %NULL with
 * an #RX_SYNC_ERROR whose message is the server's explanation.
 */
JsonObject *
rx_sync_client_request (RxSyncClient  *self,
                        const char    *method,
                        const char    *path,
                        const char    *token,
                        JsonNode      *body,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root = NULL;
  const char *retry;
  guint status;

  g_return_val_if_fail (RX_IS_SYNC_CLIENT (self), NULL);

  uri = g_uri_parse_relative (self->base, path, G_URI_FLAGS_ENCODED, error);
  if (uri == NULL)
    return NULL;

  msg = soup_message_new_from_uri (method, uri);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), self);

  if (token != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
    }

  if (body != NULL)
    {
      gsize len = 0;
      char *text = json_to_string (body, FALSE);
      g_autoptr(GBytes) bytes = NULL;

      len = strlen (text);
      bytes = g_bytes_new_take (text, len);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  self->retry_after = 0;
  answer = soup_session_send_and_read (self->session, msg, cancellable, &local_error);
  if (answer == NULL)
    {
      if (g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) ||
          g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_HANDSHAKE))
        {
          if (self->pin == NULL)
            g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_CERTIFICATE,
                         "The server's certificate (SHA-256 %s) is not vouched for by any "
                         "authority this system trusts; if that is the fingerprint "
                         "`rxdesk-server fingerprint` prints on the server, enrol again with "
                         "--pin %s",
                         self->seen ? self->seen : "unknown", self->seen ? self->seen : "HEX");
          else
            g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_CERTIFICATE,
                         "The server's certificate (SHA-256 %s) is not the one this "
                         "workstation trusts (%s), so nothing was sent; if the server was "
                         "really reinstalled, enrol this workstation again, otherwise tell "
                         "your administrator", self->seen ? self->seen : "unknown", self->pin);
          return NULL;
        }
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_NETWORK,
                   "The server at %s cannot be reached (%s); work goes on offline and is "
                   "sent when it can be", g_uri_get_host (self->base), local_error->message);
      return NULL;
    }

  remember_seen (msg, self);
  status = soup_message_get_status (msg);
  retry = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
  if (retry != NULL)
    self->retry_after = (guint) CLAMP (g_ascii_strtoull (retry, NULL, 10), 1, 3600);

  if (g_bytes_get_size (answer) > 0)
    {
      parser = json_parser_new ();
      if (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                      g_bytes_get_size (answer), NULL))
        root = json_parser_get_root (parser);
    }

  if (status < 200 || status >= 300)
    {
      set_problem (self, status,
                   root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root)
                                                                : NULL,
                   path, error);
      return NULL;
    }

  if (status == SOUP_STATUS_NO_CONTENT)
    return json_object_new ();

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, RX_SYNC_ERROR, RX_SYNC_ERROR_PROTOCOL,
                   "The server's answer to %s is not the JSON RxDesk expects; is that "
                   "address really an RxDesk server of a compatible version?", path);
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}
