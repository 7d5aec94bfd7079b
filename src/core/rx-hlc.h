/* rx-hlc.h: hybrid logical clock timestamps that order every write across workstations. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint64 wall_ms;   /* highest physical time seen, ms since the epoch */
  guint  counter;   /* logical counter within that millisecond */
  char   node[17];  /* this workstation's node id, 16 hex digits */
} RxHlc;

void      rx_hlc_init     (RxHlc      *hlc,
                           const char *node);
char     *rx_hlc_tick     (RxHlc      *hlc,
                           gint64      now_ms);
gboolean  rx_hlc_observe  (RxHlc      *hlc,
                           const char *remote,
                           gint64      now_ms);
gboolean  rx_hlc_parse    (const char *text,
                           gint64     *wall_ms,
                           guint      *counter,
                           char      **node);
int       rx_hlc_compare  (const char *a,
                           const char *b);

G_END_DECLS
