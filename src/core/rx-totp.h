/* rx-totp.h: the second factor for controlled medicines: time-based one-time passwords
 * (RFC 6238, HMAC-SHA-1, 6 digits every 30 s) whose seed is stored encrypted under a key
 * derived from the user's own password. */
#pragma once

#include <glib.h>

#include "rx-types.h"

G_BEGIN_DECLS

#define RX_TOTP_DIGITS      6
#define RX_TOTP_PERIOD      30   /* seconds */
#define RX_TOTP_SECRET_LEN  20   /* bytes; the size of an HMAC-SHA-1 key (RFC 4226 §4) */
#define RX_TOTP_ISSUER      "RxDesk"

/* RFC 4648 base32 (A–Z, 2–7). Encoding gives no padding, as otpauth URIs want; decoding
 * ignores case, accepts correct "=" padding and refuses anything else. */
char     *rx_totp_base32_encode  (const guint8  *data,
                                  gsize          len);
guint8   *rx_totp_base32_decode  (const char    *text,
                                  gsize         *out_len,
                                  GError       **error);

/* The RFC 6238 code for unix_time, zero-padded to `digits` (6–8; 0 means 6) for a time step
 * of `period` seconds (0 means 30). Free it with g_free() after wiping it. */
char     *rx_totp_code           (const guint8  *secret,
                                  gsize          len,
                                  gint64         unix_time,
                                  guint          digits,
                                  guint          period);

/* PBKDF2-HMAC-SHA256, the key derivation that protects stored seeds (and passwords). */
gboolean  rx_totp_pbkdf2_sha256  (const char    *password,
                                  const guint8  *salt,
                                  gsize          salt_len,
                                  guint          iterations,
                                  guint8        *out,
                                  gsize          out_len,
                                  GError       **error);

/* Database side. user_id is the user's id or username. The key derivation takes a noticeable
 * fraction of a second: call these off the UI thread. */
gboolean  rx_totp_enrol          (RxDb          *db,
                                  const char    *user_id,
                                  const char    *password,
                                  char         **out_uri,
                                  GError       **error);
gboolean  rx_totp_verify         (RxDb          *db,
                                  const char    *user_id,
                                  const char    *password,
                                  const char    *code,
                                  GError       **error);
gboolean  rx_totp_is_enrolled    (RxDb          *db,
                                  const char    *user_id);

G_END_DECLS
