/* rx-server.h: the HTTPS sync server (PROTOCOL.md): a SoupServer with a handler per endpoint,
 * the limits it enforces, and a graceful stop that lets requests under way finish. */
#pragma once

#include <gio/gio.h>

#include "rx-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint64 max_body_bytes;              /* 8 MiB */
  guint   max_batch;                   /* entries per push: 1000 */
  guint   max_pull;                    /* entries per pull: 1000 */
  guint   default_pull;                /* 500 */
  guint   requests_per_minute;         /* per token: 600 */
  guint   login_failures_per_user;     /* in the window: 10 */
  guint   login_failures_per_address;  /* 30 */
  guint   login_window_seconds;        /* 15 minutes */
  guint   token_lifetime_seconds;      /* 12 hours */
  guint   debug_push_delay_ms;         /* tests only: hold each push this long before commit */
} RxServerLimits;

void rx_server_limits_init (RxServerLimits *limits);

#define RX_TYPE_SERVER (rx_server_get_type ())
G_DECLARE_FINAL_TYPE (RxServer, rx_server, RX, SERVER, GObject)

RxServer *rx_server_new      (RxStore               *store,
                              GTlsCertificate       *certificate,
                              const RxServerLimits  *limits);
gboolean  rx_server_listen   (RxServer              *self,
                              GInetSocketAddress    *address,
                              GError               **error);
/* "https://127.0.0.1:8443", with the port the system chose when asked for port 0. */
char     *rx_server_dup_uri  (RxServer              *self);
/* Stops accepting connections and answers new requests on open ones with 503; emits
 * "stopped" once every request under way has been answered. */
void      rx_server_shutdown (RxServer              *self);

G_END_DECLS
