/* rx-uuid.c: UUIDs (RFC 9562). Version 7 carries the creation time in its first 48 bits, so
 * ids sort by time and B-tree inserts stay local; reference data (the formulary) uses
 * name-based ids so every workstation that loads the same file agrees on them. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>
#include <gnutls/crypto.h>

#include "rx-uuid.h"

static char *
format_uuid (const guint8 b[16])
{
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

char *
rx_uuid7_new (gint64 unix_ms)
{
  guint8 b[16];

  g_return_val_if_fail (unix_ms >= 0, NULL);

  if (gnutls_rnd (GNUTLS_RND_NONCE, b, sizeof b) != 0)
    g_error ("The system random number generator failed");

  b[0] = (unix_ms >> 40) & 0xff;
  b[1] = (unix_ms >> 32) & 0xff;
  b[2] = (unix_ms >> 24) & 0xff;
  b[3] = (unix_ms >> 16) & 0xff;
  b[4] = (unix_ms >> 8) & 0xff;
  b[5] = unix_ms & 0xff;
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);

  return format_uuid (b);
}

/* A version 8 (custom) UUID from SHA-256 of "name_space\0name": stable and collision-safe. */
char *
rx_uuid_for_name (const char *name_space,
                  const char *name)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  g_return_val_if_fail (name_space != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  g_checksum_update (sum, (const guchar *) name_space, strlen (name_space) + 1);
  g_checksum_update (sum, (const guchar *) name, strlen (name));
  g_checksum_get_digest (sum, digest, &len);

  digest[6] = 0x80 | (digest[6] & 0x0f);
  digest[8] = 0x80 | (digest[8] & 0x3f);

  return format_uuid (digest);
}

gboolean
rx_uuid_is_valid (const char *text)
{
  if (text == NULL || strlen (text) != 36)
    return FALSE;

  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
        return FALSE;
    }

  return TRUE;
}

gint64
rx_uuid7_get_unix_ms (const char *uuid)
{
  gint64 ms = 0;

  g_return_val_if_fail (rx_uuid_is_valid (uuid), -1);

  for (guint i = 0; i < 13; i++)
    {
      if (uuid[i] == '-')
        continue;
      ms = (ms << 4) | g_ascii_xdigit_value (uuid[i]);
    }

  return ms;
}
