/* rx-password.c: password hashing. PBKDF2-HMAC-SHA256 (GnuTLS) with a 16-byte random salt;
 * the stored form "pbkdf2-sha256$ITERATIONS$SALT$HASH" (base64) keeps its own parameters so
 * the iteration count can be raised later without breaking old hashes. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>
#include <gnutls/crypto.h>

#include "rx-core-error.h"
#include "rx-password.h"

#define SALT_LEN 16
#define HASH_LEN 32
#define SCHEME   "pbkdf2-sha256"

static gboolean
derive (const char   *password,
        const guint8 *salt,
        gsize         salt_len,
        guint         iterations,
        guint8        out[HASH_LEN])
{
  gnutls_datum_t key = { (unsigned char *) password, strlen (password) };
  gnutls_datum_t s = { (unsigned char *) salt, salt_len };

  return gnutls_pbkdf2 (GNUTLS_MAC_SHA256, &key, &s, iterations, out, HASH_LEN) == 0;
}

char *
rx_password_hash (const char  *password,
                  guint        iterations,
                  GError     **error)
{
  guint8 salt[SALT_LEN];
  guint8 hash[HASH_LEN];
  g_autofree char *salt64 = NULL;
  g_autofree char *hash64 = NULL;

  g_return_val_if_fail (password != NULL, NULL);

  if (iterations == 0)
    iterations = RX_PASSWORD_ITERATIONS;

  if (gnutls_rnd (GNUTLS_RND_RANDOM, salt, sizeof salt) != 0 ||
      !derive (password, salt, sizeof salt, iterations, hash))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED,
                   "The password could not be protected (the crypto library failed)");
      return NULL;
    }

  salt64 = g_base64_encode (salt, sizeof salt);
  hash64 = g_base64_encode (hash, sizeof hash);
  gnutls_memset (hash, 0, sizeof hash);

  return g_strdup_printf (SCHEME "$%u$%s$%s", iterations, salt64, hash64);
}

guint
rx_password_get_iterations (const char *stored)
{
  g_auto(GStrv) parts = NULL;
  guint64 iterations = 0;

  if (stored == NULL)
    return 0;
  parts = g_strsplit (stored, "$", -1);
  if (g_strv_length (parts) != 4 || g_strcmp0 (parts[0], SCHEME) != 0 ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXUINT32, &iterations, NULL))
    return 0;

  return iterations;
}

gboolean
rx_password_verify (const char *stored,
                    const char *password)
{
  g_auto(GStrv) parts = NULL;
  g_autofree guint8 *salt = NULL;
  g_autofree guint8 *want = NULL;
  guint8 got[HASH_LEN];
  gsize salt_len = 0, want_len = 0;
  guint iterations;
  volatile guint8 diff = 0;

  if (stored == NULL || password == NULL)
    return FALSE;

  iterations = rx_password_get_iterations (stored);
  if (iterations == 0)
    return FALSE;

  parts = g_strsplit (stored, "$", -1);
  salt = g_base64_decode (parts[2], &salt_len);
  want = g_base64_decode (parts[3], &want_len);
  if (salt_len == 0 || want_len != HASH_LEN)
    return FALSE;

  if (!derive (password, salt, salt_len, iterations, got))
    return FALSE;

  /* constant time: look at every byte whatever the first difference */
  for (guint i = 0; i < HASH_LEN; i++)
    diff |= got[i] ^ want[i];
  gnutls_memset (got, 0, sizeof got);

  return diff == 0;
}

gboolean
rx_password_check_quality (const char  *password,
                           GError     **error)
{
  gboolean all_same = TRUE;

  if (password == NULL || g_utf8_strlen (password, -1) < 10)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The password must be at least 10 characters; a short sentence works well");
      return FALSE;
    }
  if (strlen (password) > 1024 || !g_utf8_validate (password, -1, NULL))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The password must be valid text of at most 1024 bytes");
      return FALSE;
    }
  for (const char *p = password + 1; *p; p++)
    if (*p != password[0])
      all_same = FALSE;
  if (all_same)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The password repeats one character; choose something harder to guess");
      return FALSE;
    }

  return TRUE;
}

/* A password to hand out once (the demo staff's): four groups of four from letters and digits
 * that are hard to confuse, from the system's cryptographic random source; 92 bits. */
char *
rx_password_generate (void)
{
  static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  guint8 bytes[16];
  char out[20];
  guint o = 0;

  if (gnutls_rnd (GNUTLS_RND_KEY, bytes, sizeof bytes) != 0)
    g_error ("The system random number generator failed");

  for (guint i = 0; i < sizeof bytes; i++)
    {
      if (i > 0 && i % 4 == 0)
        out[o++] = '-';
      out[o++] = alphabet[bytes[i] % (sizeof alphabet - 1)];
    }
  out[o] = '\0';
  gnutls_memset (bytes, 0, sizeof bytes);

  return g_strdup (out);
}
