/* rx-keyring.h: the passphrases of the clinic's private keys, kept in the desktop keyring
 * (the Secret Service, through libsecret) and never in a file or a log. The calls block on
 * D-Bus: the app makes them off the UI thread. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Items carry the schema "org.rxdesk.RxDesk.Key" with the attributes "org" (the clinic's
 * organisation id) and "key" (the serial of the certificate whose key the secret opens). */
#define RX_KEYRING_SCHEMA_NAME "org.rxdesk.RxDesk.Key"

gboolean  rx_keyring_store   (const char  *org_id,
                              const char  *key,
                              const char  *label,
                              const char  *secret,
                              GError     **error);
/* NULL with RX_CORE_ERROR_NOT_FOUND when there is no such item, RX_CORE_ERROR_KEYRING when
 * no keyring can be reached. Free the result with rx_keyring_free(). */
char     *rx_keyring_lookup  (const char  *org_id,
                              const char  *key,
                              GError     **error);
/* key NULL clears every item of the organisation (a clinic file that was given up). */
gboolean  rx_keyring_clear   (const char  *org_id,
                              const char  *key,
                              GError     **error);
/* Wipes and frees a secret from rx_keyring_lookup(). */
void      rx_keyring_free    (char        *secret);

/* g_autoptr(RxSecret) for what rx_keyring_lookup() returns. */
typedef char RxSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxSecret, rx_keyring_free)

G_END_DECLS
