/* rx-password.h: password hashes (PBKDF2-HMAC-SHA256 via GnuTLS) with their parameters. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RX_PASSWORD_ITERATIONS 600000

char     *rx_password_hash          (const char  *password,
                                     guint        iterations,
                                     GError     **error);
gboolean  rx_password_verify        (const char  *stored,
                                     const char  *password);
gboolean  rx_password_check_quality (const char  *password,
                                     GError     **error);
guint     rx_password_get_iterations (const char *stored);
char     *rx_password_generate       (void);

G_END_DECLS
