/* rx-sync-client.h: one HTTPS conversation with rxdesk-server (PROTOCOL.md), blocking, for a
 * worker thread or the command line. The server's certificate must match the pinned
 * SHA-256 fingerprint; nothing else is trusted. A client belongs to the thread that made it
 * (libsoup sessions are not shared between threads). */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define RX_SYNC_ERROR (rx_sync_error_quark ())

typedef enum
{
  RX_SYNC_ERROR_NETWORK,      /* the server cannot be reached: retry later */
  RX_SYNC_ERROR_CERTIFICATE,  /* the server's certificate is not the pinned one */
  RX_SYNC_ERROR_UNAUTHORIZED, /* 401: sign in again */
  RX_SYNC_ERROR_FORBIDDEN,    /* 403: the role may not */
  RX_SYNC_ERROR_RATE_LIMITED, /* 429: wait retry_after seconds */
  RX_SYNC_ERROR_UNAVAILABLE,  /* 5xx: the server is in trouble; retry later */
  RX_SYNC_ERROR_REFUSED,      /* 400, 404, 409, 413: the request itself is wrong */
  RX_SYNC_ERROR_PROTOCOL,     /* the answer is not what PROTOCOL.md says */
  RX_SYNC_ERROR_NOT_ENROLLED, /* this clinic file has no server yet */
} RxSyncError;

GQuark rx_sync_error_quark (void);

#define RX_TYPE_SYNC_CLIENT (rx_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (RxSyncClient, rx_sync_client, RX, SYNC_CLIENT, GObject)

RxSyncClient *rx_sync_client_new          (const char    *base_url,
                                           const char    *pin,
                                           GError       **error);
const char   *rx_sync_client_get_seen_fingerprint (RxSyncClient *self);
guint         rx_sync_client_get_retry_after      (RxSyncClient *self);

JsonObject   *rx_sync_client_request      (RxSyncClient  *self,
                                           const char    *method,
                                           const char    *path,
                                           const char    *token,
                                           JsonNode      *body,
                                           GCancellable  *cancellable,
                                           GError       **error);

char         *rx_sync_fingerprint_of_der  (const guint8  *der,
                                           gsize          len);

G_END_DECLS
