/* rx-server-secrets.c: secrets from GnuTLS's random generator, kept only as SHA-256 hashes.
 * The secrets are 256 random bits, so a plain hash is enough: there is nothing to guess. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include <string.h>
#include <gnutls/crypto.h>

#include "rx-server-secrets.h"

#define CODE_ALPHABET "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  /* 32: no 0/O, 1/I/L */
#define CODE_LENGTH   20

static void
random_bytes (guint8 *buf,
              gsize   len)
{
  if (gnutls_rnd (GNUTLS_RND_KEY, buf, len) != 0)
    g_error ("The system random number generator failed");
}

char *
rx_secret_new_hex (void)
{
  guint8 bytes[32];
  GString *hex = g_string_sized_new (64);

  random_bytes (bytes, sizeof bytes);
  for (guint i = 0; i < sizeof bytes; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  gnutls_memset (bytes, 0, sizeof bytes);

  return g_string_free (hex, FALSE);
}

char *
rx_secret_hash (const char *secret)
{
  g_return_val_if_fail (secret != NULL, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
}

gboolean
rx_secret_equal (const char *a,
                 const char *b)
{
  gsize len;
  volatile guint8 diff = 0;

  if (a == NULL || b == NULL || strlen (a) != strlen (b))
    return FALSE;

  len = strlen (a);
  for (gsize i = 0; i < len; i++)
    diff |= (guint8) a[i] ^ (guint8) b[i];

  return diff == 0;
}

char *
rx_enrol_code_new (void)
{
  guint8 bytes[CODE_LENGTH];
  GString *code = g_string_new (NULL);

  random_bytes (bytes, sizeof bytes);
  for (guint i = 0; i < CODE_LENGTH; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (code, '-');
      g_string_append_c (code, CODE_ALPHABET[bytes[i] & 31]);
    }
  gnutls_memset (bytes, 0, sizeof bytes);

  return g_string_free (code, FALSE);
}

char *
rx_enrol_code_hash (const char *typed)
{
  g_autoptr(GString) code = g_string_new (NULL);

  if (typed == NULL || strlen (typed) > 64)
    return NULL;

  for (const char *p = typed; *p; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == '-' || c == ' ')
        continue;
      if (strchr (CODE_ALPHABET, c) == NULL)
        return NULL;
      g_string_append_c (code, c);
    }
  if (code->len != CODE_LENGTH)
    return NULL;

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, code->str, code->len);
}
