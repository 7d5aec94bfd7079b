/* rx-rate-limit.c: a fixed one-minute window per key. Cheap and good enough against a
 * runaway client; windows of keys not seen for a minute are dropped as time moves on. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include "rx-rate-limit.h"

#define WINDOW_USEC (60 * G_USEC_PER_SEC)

typedef struct
{
  gint64 start;
  guint  count;
} Window;

struct _RxRateLimit
{
  guint       per_minute;
  GHashTable *windows;     /* key -> Window */
  gint64      last_prune;
};

RxRateLimit *
rx_rate_limit_new (guint per_minute)
{
  RxRateLimit *self = g_new0 (RxRateLimit, 1);

  self->per_minute = per_minute;
  self->windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return self;
}

void
rx_rate_limit_free (RxRateLimit *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->windows);
  g_free (self);
}

static gboolean
window_over (gpointer key,
             gpointer value,
             gpointer user_data)
{
  const Window *w = value;
  gint64 now = *(gint64 *) user_data;

  return now - w->start >= WINDOW_USEC;
}

gboolean
rx_rate_limit_take (RxRateLimit *self,
                    const char  *key,
                    gint64       now_usec,
                    guint       *retry_after)
{
  Window *w;

  g_return_val_if_fail (self != NULL && key != NULL, TRUE);

  if (now_usec - self->last_prune >= WINDOW_USEC)
    {
      g_hash_table_foreach_remove (self->windows, window_over, &now_usec);
      self->last_prune = now_usec;
    }

  w = g_hash_table_lookup (self->windows, key);
  if (w == NULL)
    {
      w = g_new0 (Window, 1);
      g_hash_table_insert (self->windows, g_strdup (key), w);
    }
  if (w->count == 0 || now_usec - w->start >= WINDOW_USEC)
    {
      w->start = now_usec;
      w->count = 0;
    }

  if (w->count >= self->per_minute)
    {
      if (retry_after != NULL)
        *retry_after = MAX (1, (w->start + WINDOW_USEC - now_usec + G_USEC_PER_SEC - 1) /
                               G_USEC_PER_SEC);
      return FALSE;
    }

  w->count++;
  return TRUE;
}
