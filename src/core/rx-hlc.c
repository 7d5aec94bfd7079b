/* rx-hlc.c: hybrid logical clock (Kulkarni et al., 2014).
 *
 * A timestamp is "WWWWWWWWWWWW.CCCC.NNNNNNNNNNNNNNNN": 12 hex digits of wall-clock ms, 4 of
 * logical counter, 16 of node id. Fixed width, so comparing the strings compares the clocks,
 * and ties between workstations are broken by node id as DESIGN.md's merge rules say. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>

#include "rx-hlc.h"

#define HLC_LEN (12 + 1 + 4 + 1 + 16)

void
rx_hlc_init (RxHlc      *hlc,
             const char *node)
{
  g_return_if_fail (hlc != NULL);
  g_return_if_fail (node != NULL && strlen (node) == 16);

  hlc->wall_ms = 0;
  hlc->counter = 0;
  memcpy (hlc->node, node, 17);
}

static char *
format (const RxHlc *hlc)
{
  return g_strdup_printf ("%012" G_GINT64_MODIFIER "x.%04x.%s",
                          hlc->wall_ms, hlc->counter, hlc->node);
}

static void
advance (RxHlc *hlc)
{
  if (hlc->counter == 0xffff)
    {
      /* 65 536 events in one millisecond: borrow the next millisecond. */
      hlc->wall_ms++;
      hlc->counter = 0;
    }
  else
    hlc->counter++;
}

char *
rx_hlc_tick (RxHlc  *hlc,
             gint64  now_ms)
{
  g_return_val_if_fail (hlc != NULL, NULL);

  if (now_ms > hlc->wall_ms)
    {
      hlc->wall_ms = now_ms;
      hlc->counter = 0;
    }
  else
    advance (hlc);

  return format (hlc);
}

gboolean
rx_hlc_parse (const char  *text,
              gint64      *wall_ms,
              guint       *counter,
              char       **node)
{
  guint64 w = 0;
  guint c = 0;

  if (text == NULL || strlen (text) != HLC_LEN || text[12] != '.' || text[17] != '.')
    return FALSE;

  for (guint i = 0; i < HLC_LEN; i++)
    {
      if (i == 12 || i == 17)
        continue;
      if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
        return FALSE;
      if (i < 12)
        w = (w << 4) | g_ascii_xdigit_value (text[i]);
      else if (i < 17)
        c = (c << 4) | g_ascii_xdigit_value (text[i]);
    }

  if (wall_ms)
    *wall_ms = (gint64) w;
  if (counter)
    *counter = c;
  if (node)
    *node = g_strndup (text + 18, 16);

  return TRUE;
}

/* Merge a timestamp received from elsewhere so that our next tick is after it. */
gboolean
rx_hlc_observe (RxHlc      *hlc,
                const char *remote,
                gint64      now_ms)
{
  gint64 r_wall;
  guint r_counter;
  gint64 max_wall;

  g_return_val_if_fail (hlc != NULL, FALSE);

  if (!rx_hlc_parse (remote, &r_wall, &r_counter, NULL))
    return FALSE;

  max_wall = MAX (MAX (hlc->wall_ms, r_wall), now_ms);

  if (max_wall == hlc->wall_ms && max_wall == r_wall)
    hlc->counter = MAX (hlc->counter, r_counter);
  else if (max_wall == r_wall)
    hlc->counter = r_counter;
  else if (max_wall != hlc->wall_ms)
    hlc->counter = 0;

  hlc->wall_ms = max_wall;

  return TRUE;
}

int
rx_hlc_compare (const char *a,
                const char *b)
{
  return g_strcmp0 (a, b);
}
