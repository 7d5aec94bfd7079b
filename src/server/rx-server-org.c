/* rx-server-org.c: organisations and their enrolment codes, made from the command line. A
 * code is shown once and kept only as its hash. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include "rx-server-error.h"
#include "rx-server-org.h"
#include "rx-server-secrets.h"
#include "rx-uuid.h"

static gboolean
add_code (RxStore     *store,
          const char  *org_id,
          char       **code,
          GError     **error)
{
  g_autofree char *text = rx_enrol_code_new ();
  g_autofree char *hash = rx_enrol_code_hash (text);
  RxStoreCode record = { NULL, };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  record.org_id = (char *) org_id;
  record.created_at = now;
  record.expires_at = now + RX_ENROL_CODE_DAYS * 24 * 60 * 60;
  if (!rx_store_code_add (store, hash, &record, error))
    return FALSE;

  *code = g_steal_pointer (&text);
  return TRUE;
}

char *
rx_server_org_create (RxStore     *store,
                      const char  *name,
                      char       **code,
                      GError     **error)
{
  g_autofree char *id = rx_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *stripped = g_strstrip (g_strdup (name));
  RxStoreOrg org = { NULL, };

  if (*stripped == '\0' || g_utf8_strlen (stripped, -1) > 200 ||
      !g_utf8_validate (stripped, -1, NULL))
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_INVALID,
                   "An organisation needs a name of 1 to 200 characters, such as the clinic's");
      return NULL;
    }

  org.id = id;
  org.name = stripped;
  org.created_at = g_get_real_time () / G_USEC_PER_SEC;

  if (!rx_store_begin (store, error))
    return NULL;
  if (!rx_store_org_add (store, &org, error) ||
      !add_code (store, id, code, error) ||
      !rx_store_commit (store, error))
    {
      rx_store_rollback (store);
      g_clear_pointer (code, g_free);
      return NULL;
    }

  return g_steal_pointer (&id);
}

char *
rx_server_org_new_code (RxStore     *store,
                        const char  *org_id,
                        GError     **error)
{
  g_autoptr(RxStoreOrg) org = NULL;
  g_autoptr(GError) local_error = NULL;
  char *code = NULL;

  org = rx_store_org_get (store, org_id, &local_error);
  if (org == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_NOT_FOUND,
                     "There is no organisation “%s”; “rxdesk-server org list” shows them",
                     org_id);
      return NULL;
    }

  if (!add_code (store, org->id, &code, error))
    return NULL;

  return code;
}
