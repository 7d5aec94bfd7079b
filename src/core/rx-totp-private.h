/* rx-totp-private.h: sealing a TOTP seed under a password, and what other parts of core (and
 * the tests) need from the second factor. */
#pragma once

#include "rx-totp.h"

G_BEGIN_DECLS

/* A seed in memory; cleared with gnutls_memset when it goes out of scope. */
typedef struct
{
  guint8 bytes[RX_TOTP_SECRET_LEN];
} RxTotpSeed;

void      _rx_totp_seed_clear   (RxTotpSeed    *seed);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RxTotpSeed, _rx_totp_seed_clear)

/* Text that held a secret (a URI, a base32 seed, a code): wiped, then freed. */
typedef char RxTotpSecretText;
void      _rx_totp_secret_text_free (RxTotpSecretText *text);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxTotpSecretText, _rx_totp_secret_text_free)

/* Room for a code of up to 8 digits and its NUL. */
#define RX_TOTP_CODE_SIZE 9

/* The code for one time step (RFC 4226 with the step as counter); FALSE if HMAC failed. */
gboolean  _rx_totp_code_for_step (const guint8 *secret,
                                  gsize         len,
                                  guint64       step,
                                  guint         digits,
                                  char          out[RX_TOTP_CODE_SIZE]);

/* base64 of "v1" | salt (16) | nonce (12) | AES-256-GCM ciphertext (20) and tag (16); the key
 * is PBKDF2-HMAC-SHA256 of the password, and the user id is bound in as associated data so a
 * sealed seed cannot be moved to another account. */
char     *_rx_totp_seal         (const RxTotpSeed *seed,
                                 const char       *password,
                                 const char       *user_id,
                                 GError          **error);
/* A wrong password (or an altered record) is RX_CORE_ERROR_PERMISSION, nothing more. */
gboolean  _rx_totp_open         (const char       *sealed,
                                 const char       *password,
                                 const char       *user_id,
                                 RxTotpSeed       *seed,
                                 GError          **error);

/* The seed sealed under old_password is sealed again under new_password, for a password
 * change by the user themself (who knows the old one). Not enrolled: nothing to do. */
gboolean  _rx_totp_rekey        (RxDb          *db,
                                 const char    *user_id,
                                 const char    *old_password,
                                 const char    *new_password,
                                 GError       **error);
/* Ends an enrolment whose seed can no longer be opened (an administrator's password reset):
 * the row is tombstoned and its sealed seed erased, audited with `reason`. Runs inside the
 * caller's transaction if there is one. Not enrolled: nothing to do. */
gboolean  _rx_totp_forget       (RxDb          *db,
                                 const char    *user_id,
                                 const char    *reason,
                                 GError       **error);

/* For tests: the seed itself, opened with the password. */
gboolean  _rx_totp_peek_seed    (RxDb          *db,
                                 const char    *user_id,
                                 const char    *password,
                                 RxTotpSeed    *seed,
                                 GError       **error);

G_END_DECLS
