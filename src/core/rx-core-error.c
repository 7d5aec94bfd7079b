/* rx-core-error.c: the error domain of librxdesk-core. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"

G_DEFINE_QUARK (rx-core-error-quark, rx_core_error)
