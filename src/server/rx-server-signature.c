/* rx-server-signature.c: the check a prescription's signature passes before the server stores
 * it: core's detached check against the organisation's own certificates, then that it names
 * this prescription and this clinic, and that the certificate was valid and not revoked when
 * the prescription was signed. (Revoked later does not matter here: the server keeps history;
 * a pharmacy's check refuses to dispense on it.) */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include "rx-server-private.h"
#include "rx-signing.h"

/* The organisation's CA certificates (PEM) that may have issued a signing certificate. */
static GStrv
ca_certificates (RxStore     *store,
                 const char  *org_id,
                 GError     **error)
{
  g_autoptr(GPtrArray) rows = rx_rows_find (store, org_id, "certificates", "ca", error);
  g_autoptr(GStrvBuilder) pems = NULL;

  if (rows == NULL)
    return NULL;

  pems = g_strv_builder_new ();
  for (guint i = 0; i < rows->len; i++)
    {
      RxMerged *m = g_ptr_array_index (rows, i);
      const char *pem = rx_json_string (m->data, "certificate");

      if (pem != NULL && rx_rows_live (m->data) && rx_json_string (m->data, "revoked_at") == NULL)
        g_strv_builder_add (pems, pem);
    }

  return g_strv_builder_end (pems);
}

char *
rx_server_check_signature (RxStore     *store,
                           const char  *org_id,
                           const char  *clinic_org_id,
                           const char  *prescription_id,
                           JsonObject  *signature,
                           GError     **error)
{
  g_auto(RxSignatureFacts) facts = { NULL, };
  g_autoptr(RxMerged) cert = NULL;
  g_autoptr(GDateTime) signed_at = NULL;
  g_auto(GStrv) cas = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *certificate_id = rx_json_string (signature, "certificate_id");
  const char *revoked_at;

  if (certificate_id == NULL)
    return g_strdup ("it names no certificate");

  cert = rx_rows_get (store, org_id, "certificates", certificate_id, &local_error);
  if (cert == NULL && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (cert == NULL || !rx_rows_live (cert->data) ||
      g_strcmp0 (rx_json_string (cert->data, "kind"), "signing") != 0)
    return g_strdup ("the certificate it was signed with is not one of this clinic's signing "
                     "certificates (push the certificates before the prescriptions)");

  cas = ca_certificates (store, org_id, error);
  if (cas == NULL)
    return NULL;

  reason = rx_signature_check_detached (rx_json_string (signature, "algorithm"),
                                        rx_json_string (signature, "signed_bytes"),
                                        rx_json_string (signature, "signature"),
                                        rx_json_string (cert->data, "certificate"),
                                        (const char * const *) cas, &facts);
  if (reason != NULL)
    return g_steal_pointer (&reason);

  if (g_strcmp0 (facts.prescription_id, prescription_id) != 0)
    return g_strdup_printf ("the signed content is prescription %s, not %s",
                            facts.prescription_id ? facts.prescription_id : "(none)",
                            prescription_id);
  if (g_strcmp0 (facts.org_id, clinic_org_id) != 0)
    return g_strdup ("the signed content belongs to another clinic");
  if (g_strcmp0 (facts.certificate_serial, rx_json_string (cert->data, "serial")) != 0)
    return g_strdup ("it was signed with a certificate that is not its prescriber's");

  signed_at = facts.signed_at ? g_date_time_new_from_iso8601 (facts.signed_at, NULL) : NULL;
  if (signed_at == NULL)
    return g_strdup ("its signing time cannot be read");

  /* both "YYYY-MM-DDTHH:MM:SS.mmmZ", which sorts as time does */
  revoked_at = rx_json_string (cert->data, "revoked_at");
  if (revoked_at != NULL && g_strcmp0 (revoked_at, facts.signed_at) <= 0)
    return g_strdup_printf ("%s's signing certificate was revoked on %s, before the "
                            "prescription was signed on %s", facts.username, revoked_at,
                            facts.signed_at);

  return rx_signature_facts_validity_problem (&facts, g_date_time_to_unix (signed_at),
                                              "when the prescription was signed");
}
