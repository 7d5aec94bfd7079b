/* rx-keyring.c: private-key passphrases in the desktop keyring. Synchronous on purpose, like
 * the rest of core's API; libsecret runs each call on a main context of its own, so a worker
 * thread may make them. Tests and CI use libsecret's file backend (SECRET_BACKEND=file). */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <libsecret/secret.h>

#include "rx-core-error.h"
#include "rx-keyring.h"

/* Sanitizer builds: libsecret's file backend reads and rewrites its file with GIO, and GIO
 * 2.74 keeps the etag string it duplicates there (some 28 bytes a call). Nothing of RxDesk's
 * runs inside a libsecret call (it gets no callbacks), so LeakSanitizer is told not to count
 * what is allocated during one; RxDesk's own allocations are all still checked. */
#if defined(__SANITIZE_ADDRESS__)
# include <sanitizer/lsan_interface.h>
# define LIBSECRET_BEGIN() __lsan_disable ()
# define LIBSECRET_END()   __lsan_enable ()
#else
# define LIBSECRET_BEGIN()
# define LIBSECRET_END()
#endif

static const SecretSchema key_schema = {
  RX_KEYRING_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { "org", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "key", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

/* Whatever libsecret reports (no session bus, no Secret Service, a locked or missing
 * collection) comes down to one thing a person can act on. */
static void
set_unreachable (GError       **error,
                 const GError  *cause)
{
  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_KEYRING,
               "No keyring (Secret Service) is available: start the desktop keyring "
               "(gnome-keyring) or log in to a desktop session that has one, then try again "
               "(%s)", cause->message);
}

gboolean
rx_keyring_store (const char  *org_id,
                  const char  *key,
                  const char  *label,
                  const char  *secret,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (org_id != NULL && key != NULL, FALSE);
  g_return_val_if_fail (label != NULL && secret != NULL, FALSE);

  LIBSECRET_BEGIN ();
  ok = secret_password_store_sync (&key_schema, SECRET_COLLECTION_DEFAULT, label, secret, NULL,
                                   &local_error, "org", org_id, "key", key, NULL);
  LIBSECRET_END ();
  if (!ok)
    {
      set_unreachable (error, local_error);
      return FALSE;
    }

  return TRUE;
}

char *
rx_keyring_lookup (const char  *org_id,
                   const char  *key,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *secret;

  g_return_val_if_fail (org_id != NULL && key != NULL, NULL);

  LIBSECRET_BEGIN ();
  secret = secret_password_lookup_nonpageable_sync (&key_schema, NULL, &local_error,
                                                    "org", org_id, "key", key, NULL);
  LIBSECRET_END ();
  if (local_error != NULL)
    {
      set_unreachable (error, local_error);
      return NULL;
    }
  if (secret == NULL)
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                 "The keyring has no passphrase for key %s", key);

  return secret;
}

gboolean
rx_keyring_clear (const char  *org_id,
                  const char  *key,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (org_id != NULL, FALSE);

  /* FALSE without an error only means there was nothing to clear */
  LIBSECRET_BEGIN ();
  if (key != NULL)
    secret_password_clear_sync (&key_schema, NULL, &local_error, "org", org_id, "key", key,
                                NULL);
  else
    secret_password_clear_sync (&key_schema, NULL, &local_error, "org", org_id, NULL);
  LIBSECRET_END ();

  if (local_error != NULL)
    {
      set_unreachable (error, local_error);
      return FALSE;
    }

  return TRUE;
}

void
rx_keyring_free (char *secret)
{
  /* wipes it in the non-pageable memory it came in (libsecret's own pool, not the heap) */
  secret_password_free (secret);
}
