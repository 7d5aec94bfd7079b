/* rx-rate-limit.h: requests per minute per key (a token's hash), counted in this process's
 * memory: an approximation when several server processes share the work. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RxRateLimit RxRateLimit;

RxRateLimit *rx_rate_limit_new   (guint         per_minute);
void         rx_rate_limit_free  (RxRateLimit  *self);
/* Counts one request; FALSE when the key is over its limit, with the seconds until the next
 * request would be allowed in *retry_after. */
gboolean     rx_rate_limit_take  (RxRateLimit  *self,
                                  const char   *key,
                                  gint64        now_usec,
                                  guint        *retry_after);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxRateLimit, rx_rate_limit_free)

G_END_DECLS
