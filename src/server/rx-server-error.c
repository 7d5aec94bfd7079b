/* rx-server-error.c: the error domain of rxdesk-server. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include "rx-server-error.h"

G_DEFINE_QUARK (rx-server-error-quark, rx_server_error)
