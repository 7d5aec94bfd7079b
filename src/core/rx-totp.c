/* rx-totp.c: the algorithms behind the second factor: RFC 4648 base32, RFC 4226/6238 one-time
 * codes on GnuTLS's HMAC-SHA-1, and sealing a seed under a password (PBKDF2-HMAC-SHA256 and
 * AES-256-GCM). The database side is in rx-totp-enrol.c. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>
#include <gnutls/crypto.h>

#include "rx-core-error.h"
#include "rx-password.h"
#include "rx-totp-private.h"

#define SEAL_HEADER     "v1"
#define SEAL_HEADER_LEN 2
#define SEAL_SALT_LEN   16
#define SEAL_NONCE_LEN  12
#define SEAL_TAG_LEN    16
#define SEAL_KEY_LEN    32
#define SEAL_LEN        (SEAL_HEADER_LEN + SEAL_SALT_LEN + SEAL_NONCE_LEN + \
                         RX_TOTP_SECRET_LEN + SEAL_TAG_LEN)

static const char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

void
_rx_totp_seed_clear (RxTotpSeed *seed)
{
  gnutls_memset (seed->bytes, 0, sizeof seed->bytes);
}

void
_rx_totp_secret_text_free (RxTotpSecretText *text)
{
  if (text == NULL)
    return;
  gnutls_memset (text, 0, strlen (text));
  g_free (text);
}

/* Base32 --------------------------------------------------------------------------------- */

char *
rx_totp_base32_encode (const guint8 *data,
                       gsize         len)
{
  /* sized exactly, never grown: a reallocation would leave a copy of the seed behind */
  gsize out_len = (len * 8 + 4) / 5;
  char *out;
  guint32 buffer = 0;
  guint bits = 0;
  gsize n = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (len < G_MAXSIZE / 8, NULL);

  out = g_malloc (out_len + 1);
  for (gsize i = 0; i < len; i++)
    {
      buffer = (buffer << 8) | data[i];
      bits += 8;
      while (bits >= 5)
        {
          out[n++] = base32_alphabet[(buffer >> (bits - 5)) & 31];
          bits -= 5;
        }
    }
  if (bits > 0)
    out[n++] = base32_alphabet[(buffer << (5 - bits)) & 31];
  out[n] = '\0';
  g_assert (n == out_len);

  gnutls_memset (&buffer, 0, sizeof buffer);
  return out;
}

static int
base32_value (char c)
{
  c = g_ascii_toupper (c);
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= '2' && c <= '7')
    return c - '2' + 26;
  return -1;
}

guint8 *
rx_totp_base32_decode (const char  *text,
                       gsize       *out_len,
                       GError     **error)
{
  g_autofree guint8 *out = NULL;
  gsize len, data_len, n_pad, rest, n = 0;
  guint32 buffer = 0;
  guint bits = 0;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (out_len != NULL, NULL);

  len = strlen (text);
  data_len = len;
  while (data_len > 0 && text[data_len - 1] == '=')
    data_len--;
  n_pad = len - data_len;
  rest = data_len % 8;

  /* 1, 3 or 6 characters left over cannot come from whole bytes */
  if (rest == 1 || rest == 3 || rest == 6 ||
      (n_pad > 0 && (rest == 0 || n_pad != 8 - rest)))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The base32 text has a length no encoder makes; it was probably cut short "
                   "or mistyped");
      return NULL;
    }

  out = g_malloc (data_len * 5 / 8 + 1);
  for (gsize i = 0; i < data_len; i++)
    {
      int v = base32_value (text[i]);

      if (v < 0)
        {
          /* the position, never the character: the text may be a seed */
          gnutls_memset (out, 0, n);
          gnutls_memset (&buffer, 0, sizeof buffer);
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "Character %" G_GSIZE_FORMAT " of the base32 text is not one of A–Z "
                       "or 2–7", i + 1);
          return NULL;
        }
      buffer = (buffer << 5) | (guint32) v;
      bits += 5;
      if (bits >= 8)
        {
          out[n++] = (buffer >> (bits - 8)) & 0xff;
          bits -= 8;
        }
    }

  /* the unused low bits of the last character are zero in anything an encoder wrote */
  if ((buffer & ((1u << bits) - 1)) != 0)
    {
      gnutls_memset (out, 0, n);
      gnutls_memset (&buffer, 0, sizeof buffer);
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The base32 text ends in a character no encoder makes; it was probably "
                   "mistyped");
      return NULL;
    }

  gnutls_memset (&buffer, 0, sizeof buffer);
  *out_len = n;
  return g_steal_pointer (&out);
}

/* One-time codes ------------------------------------------------------------------------- */

static const guint32 powers_of_ten[] = {
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000
};

/* RFC 4226 §5.3: HMAC-SHA-1 of the big-endian counter, dynamic truncation, modulo 10^digits. */
gboolean
_rx_totp_code_for_step (const guint8 *secret,
                        gsize         len,
                        guint64       step,
                        guint         digits,
                        char          out[RX_TOTP_CODE_SIZE])
{
  guint8 counter[8];
  guint8 mac[20];
  guint32 value;
  guint offset;
  int rc;

  g_assert (digits >= 6 && digits <= 8);

  for (guint i = 0; i < 8; i++)
    counter[7 - i] = (step >> (8 * i)) & 0xff;

  rc = gnutls_hmac_fast (GNUTLS_MAC_SHA1, secret, len, counter, sizeof counter, mac);
  if (rc != 0)
    {
      gnutls_memset (mac, 0, sizeof mac);
      return FALSE;
    }

  offset = mac[19] & 0x0f;
  value = ((guint32) (mac[offset] & 0x7f) << 24) |
          ((guint32) mac[offset + 1] << 16) |
          ((guint32) mac[offset + 2] << 8) |
          (guint32) mac[offset + 3];
  value %= powers_of_ten[digits];

  for (guint i = digits; i > 0; i--)
    {
      out[i - 1] = '0' + value % 10;
      value /= 10;
    }
  out[digits] = '\0';

  gnutls_memset (mac, 0, sizeof mac);
  return TRUE;
}

char *
rx_totp_code (const guint8 *secret,
              gsize         len,
              gint64        unix_time,
              guint         digits,
              guint         period)
{
  char code[RX_TOTP_CODE_SIZE];
  char *result;

  g_return_val_if_fail (secret != NULL && len > 0, NULL);
  g_return_val_if_fail (unix_time >= 0, NULL);
  g_return_val_if_fail (digits == 0 || (digits >= 6 && digits <= 8), NULL);

  if (digits == 0)
    digits = RX_TOTP_DIGITS;
  if (period == 0)
    period = RX_TOTP_PERIOD;

  if (!_rx_totp_code_for_step (secret, len, (guint64) unix_time / period, digits, code))
    {
      g_critical ("HMAC-SHA-1 is not available from the crypto library");
      return NULL;
    }

  result = g_strdup (code);
  gnutls_memset (code, 0, sizeof code);
  return result;
}

/* Sealing -------------------------------------------------------------------------------- */

gboolean
rx_totp_pbkdf2_sha256 (const char    *password,
                       const guint8  *salt,
                       gsize          salt_len,
                       guint          iterations,
                       guint8        *out,
                       gsize          out_len,
                       GError       **error)
{
  gnutls_datum_t key = { (unsigned char *) password, 0 };
  gnutls_datum_t s = { (unsigned char *) salt, salt_len };

  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (salt != NULL || salt_len == 0, FALSE);
  g_return_val_if_fail (iterations > 0, FALSE);
  g_return_val_if_fail (out != NULL && out_len > 0, FALSE);

  key.size = strlen (password);
  if (gnutls_pbkdf2 (GNUTLS_MAC_SHA256, &key, &s, iterations, out, out_len) != 0)
    {
      gnutls_memset (out, 0, out_len);
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED,
                   "A key could not be derived from the password (the crypto library failed)");
      return FALSE;
    }

  return TRUE;
}

static char *
associated_data (const char *user_id)
{
  return g_strconcat (SEAL_HEADER, user_id, NULL);
}

char *
_rx_totp_seal (const RxTotpSeed  *seed,
               const char        *password,
               const char        *user_id,
               GError           **error)
{
  guint8 sealed[SEAL_LEN];
  guint8 key_bytes[SEAL_KEY_LEN];
  guint8 *salt = sealed + SEAL_HEADER_LEN;
  guint8 *nonce = salt + SEAL_SALT_LEN;
  guint8 *ciphertext = nonce + SEAL_NONCE_LEN;
  gsize ciphertext_len = RX_TOTP_SECRET_LEN + SEAL_TAG_LEN;
  g_autofree char *aad = associated_data (user_id);
  gnutls_datum_t key = { key_bytes, sizeof key_bytes };
  gnutls_aead_cipher_hd_t cipher = NULL;
  int rc;

  g_return_val_if_fail (seed != NULL && password != NULL && user_id != NULL, NULL);

  memcpy (sealed, SEAL_HEADER, SEAL_HEADER_LEN);
  if (gnutls_rnd (GNUTLS_RND_RANDOM, salt, SEAL_SALT_LEN) != 0 ||
      gnutls_rnd (GNUTLS_RND_NONCE, nonce, SEAL_NONCE_LEN) != 0)
    goto crypto_failed;

  if (!rx_totp_pbkdf2_sha256 (password, salt, SEAL_SALT_LEN, RX_PASSWORD_ITERATIONS,
                              key_bytes, sizeof key_bytes, error))
    return NULL;

  rc = gnutls_aead_cipher_init (&cipher, GNUTLS_CIPHER_AES_256_GCM, &key);
  gnutls_memset (key_bytes, 0, sizeof key_bytes);
  if (rc != 0)
    goto crypto_failed;
  rc = gnutls_aead_cipher_encrypt (cipher, nonce, SEAL_NONCE_LEN, aad, strlen (aad),
                                   SEAL_TAG_LEN, seed->bytes, RX_TOTP_SECRET_LEN,
                                   ciphertext, &ciphertext_len);
  gnutls_aead_cipher_deinit (cipher);
  if (rc != 0 || ciphertext_len != RX_TOTP_SECRET_LEN + SEAL_TAG_LEN)
    goto crypto_failed;

  return g_base64_encode (sealed, sizeof sealed);

crypto_failed:
  gnutls_memset (key_bytes, 0, sizeof key_bytes);
  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED,
               "The second factor could not be protected (the crypto library failed)");
  return NULL;
}

gboolean
_rx_totp_open (const char  *sealed_text,
               const char  *password,
               const char  *user_id,
               RxTotpSeed  *seed,
               GError     **error)
{
  g_autofree guint8 *sealed = NULL;
  g_autofree char *aad = NULL;
  guint8 key_bytes[SEAL_KEY_LEN];
  gnutls_datum_t key = { key_bytes, sizeof key_bytes };
  gnutls_aead_cipher_hd_t cipher = NULL;
  gsize len = 0;
  gsize plain_len = RX_TOTP_SECRET_LEN;
  const guint8 *salt, *nonce, *ciphertext;
  int rc;

  g_return_val_if_fail (sealed_text != NULL && password != NULL && user_id != NULL, FALSE);
  g_return_val_if_fail (seed != NULL, FALSE);

  sealed = g_base64_decode (sealed_text, &len);
  if (len != SEAL_LEN || memcmp (sealed, SEAL_HEADER, SEAL_HEADER_LEN) != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED,
                   "The stored second factor is damaged or from a newer RxDesk; "
                   "enrol the authenticator app again");
      return FALSE;
    }
  salt = sealed + SEAL_HEADER_LEN;
  nonce = salt + SEAL_SALT_LEN;
  ciphertext = nonce + SEAL_NONCE_LEN;

  if (!rx_totp_pbkdf2_sha256 (password, salt, SEAL_SALT_LEN, RX_PASSWORD_ITERATIONS,
                              key_bytes, sizeof key_bytes, error))
    return FALSE;

  aad = associated_data (user_id);
  rc = gnutls_aead_cipher_init (&cipher, GNUTLS_CIPHER_AES_256_GCM, &key);
  gnutls_memset (key_bytes, 0, sizeof key_bytes);
  if (rc == 0)
    {
      rc = gnutls_aead_cipher_decrypt (cipher, nonce, SEAL_NONCE_LEN, aad, strlen (aad),
                                       SEAL_TAG_LEN, ciphertext,
                                       RX_TOTP_SECRET_LEN + SEAL_TAG_LEN,
                                       seed->bytes, &plain_len);
      gnutls_aead_cipher_deinit (cipher);
    }

  if (rc == 0 && plain_len == RX_TOTP_SECRET_LEN)
    return TRUE;

  _rx_totp_seed_clear (seed);
  if (rc == GNUTLS_E_DECRYPTION_FAILED)
    /* the tag does not match: the password is wrong (or the row was altered); say no more */
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION, "Wrong password");
  else
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_FAILED,
                 "The second factor could not be opened (the crypto library failed)");
  return FALSE;
}
