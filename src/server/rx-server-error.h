/* rx-server-error.h: the error domain of rxdesk-server: its store, its certificate, its
 * configuration. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RX_SERVER_ERROR (rx_server_error_quark ())

typedef enum
{
  RX_SERVER_ERROR_FAILED,           /* anything not below; the message says what */
  RX_SERVER_ERROR_INVALID,          /* a setting or argument is wrong: fix it and try again */
  RX_SERVER_ERROR_NOT_FOUND,        /* no such organisation or workstation */
  RX_SERVER_ERROR_STORE,            /* the store cannot be read or written now; try again */
  RX_SERVER_ERROR_SCHEMA_TOO_NEW,   /* the store was made by a newer rxdesk-server */
  RX_SERVER_ERROR_UNSUPPORTED,      /* a store kind this server was built without */
  RX_SERVER_ERROR_TLS,              /* the certificate cannot be made, read or used */
} RxServerError;

GQuark rx_server_error_quark (void);

G_END_DECLS
