/* rx-signing-detached.c: checking a prescription's signature from the signature, the signer's
 * certificate and the clinic's CA certificates alone, without a clinic database. The pharmacy's
 * check (rx-signing-verify.c) starts with it, and the sync server checks every signature it is
 * given with it before storing one. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>
#include <gnutls/abstract.h>
#include <json-glib/json-glib.h>

#include "rx-signing-private.h"

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_pubkey_t, gnutls_pubkey_deinit, NULL)

void
rx_signature_facts_clear (RxSignatureFacts *facts)
{
  g_clear_pointer (&facts->prescription_id, g_free);
  g_clear_pointer (&facts->org_id, g_free);
  g_clear_pointer (&facts->signer, g_free);
  g_clear_pointer (&facts->username, g_free);
  g_clear_pointer (&facts->certificate_serial, g_free);
  g_clear_pointer (&facts->signed_at, g_free);
}

/* Certificate chains already checked in this process, as "SHA-256 of the certificate's PEM
 * : SHA-256 of the CA's PEM". A pharmacy or the server checks the same doctor's certificate
 * against the same CA for every prescription; the ECDSA check of the chain needs doing once.
 * Only successes are kept, and the set is emptied when it grows large. */
#define MAX_CHAINS 4096

static GMutex chains_lock;
static GHashTable *chains;

static char *
chain_key (const char *certificate_pem,
           const char *ca_pem)
{
  g_autofree char *a = g_compute_checksum_for_string (G_CHECKSUM_SHA256, certificate_pem, -1);
  g_autofree char *b = g_compute_checksum_for_string (G_CHECKSUM_SHA256, ca_pem, -1);

  return g_strconcat (a, ":", b, NULL);
}

static gboolean
chain_known (const char *key)
{
  gboolean known;

  g_mutex_lock (&chains_lock);
  known = chains != NULL && g_hash_table_contains (chains, key);
  g_mutex_unlock (&chains_lock);
  return known;
}

static void
chain_remember (char *key)
{
  g_mutex_lock (&chains_lock);
  if (chains == NULL)
    chains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (g_hash_table_size (chains) >= MAX_CHAINS)
    g_hash_table_remove_all (chains);
  g_hash_table_add (chains, key);
  g_mutex_unlock (&chains_lock);
}

/* The CA that issued the certificate, when the certificate's signature checks out against it
 * (time is checked apart: at the signing time, and by a pharmacy also now). */
static gnutls_x509_crt_t
find_issuer (gnutls_x509_crt_t   crt,
             const char         *certificate_pem,
             const char * const *ca_pems)
{
  for (guint i = 0; ca_pems != NULL && ca_pems[i] != NULL; i++)
    {
      g_autofree char *key = chain_key (certificate_pem, ca_pems[i]);
      gnutls_x509_crt_t ca = NULL;
      unsigned int status = 0;

      if (!_rx_cert_import_pem (ca_pems[i], &ca, NULL))
        continue;
      if (chain_known (key))
        return ca;
      if (gnutls_x509_crt_verify (crt, &ca, 1,
                                  GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                                  GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
                                  &status) >= 0 && status == 0)
        {
          chain_remember (g_steal_pointer (&key));
          return ca;
        }
      gnutls_x509_crt_deinit (ca);
    }

  return NULL;
}

static gboolean
signature_matches (gnutls_x509_crt_t  crt,
                   const char        *bytes,
                   const char        *signature_b64)
{
  g_auto(gnutls_pubkey_t) key = NULL;
  g_autofree guchar *sig = NULL;
  gsize sig_len = 0;
  gnutls_datum_t data = { (unsigned char *) bytes, strlen (bytes) };
  gnutls_datum_t sig_datum;

  sig = g_base64_decode (signature_b64, &sig_len);
  sig_datum.data = sig;
  sig_datum.size = sig_len;

  return sig_len > 0 &&
         gnutls_pubkey_init (&key) >= 0 &&
         gnutls_pubkey_import_x509 (key, crt, 0) >= 0 &&
         gnutls_pubkey_verify_data2 (key, GNUTLS_SIGN_ECDSA_SHA256, 0, &data, &sig_datum) >= 0;
}

static char *
crt_uid (gnutls_x509_crt_t crt)
{
  char buf[256];
  size_t size = sizeof buf;

  if (gnutls_x509_crt_get_dn_by_oid (crt, GNUTLS_OID_LDAP_UID, 0, 0, buf, &size) < 0)
    return NULL;
  return g_strndup (buf, size);
}

static char *
crt_serial (gnutls_x509_crt_t crt)
{
  guint8 buf[64];
  size_t size = sizeof buf;
  GString *hex;

  if (gnutls_x509_crt_get_serial (crt, buf, &size) < 0)
    return NULL;
  hex = g_string_new (NULL);
  for (gsize i = 0; i < size; i++)
    g_string_append_printf (hex, "%02x", buf[i]);
  return g_string_free (hex, FALSE);
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

char *
rx_signature_check_detached (const char          *algorithm,
                             const char          *signed_bytes,
                             const char          *signature,
                             const char          *certificate_pem,
                             const char * const  *ca_pems,
                             RxSignatureFacts    *facts)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_x509_crt_t) ca = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *uid = NULL;
  g_autofree char *signed_serial = NULL;
  g_autofree char *full_name = NULL;
  JsonObject *doc, *prescriber = NULL;
  JsonNode *node;
  unsigned int usage = 0, critical = 0;

  g_return_val_if_fail (facts != NULL, NULL);

  memset (facts, 0, sizeof *facts);

  if (g_strcmp0 (algorithm, RX_SIGNING_ALGORITHM) != 0)
    return g_strdup_printf ("it is signed with an algorithm RxDesk does not accept (%s)",
                            algorithm ? algorithm : "none named");
  if (certificate_pem == NULL || !_rx_cert_import_pem (certificate_pem, &crt, NULL))
    return g_strdup ("the signer's certificate cannot be read");

  if (signed_bytes == NULL || signature == NULL ||
      !signature_matches (crt, signed_bytes, signature))
    return g_strdup ("the signature does not match the signed content: the signature or the "
                     "content stored with it was altered");

  ca = find_issuer (crt, certificate_pem, ca_pems);
  if (ca == NULL)
    return g_strdup ("the signer's certificate was not issued by this clinic's certificate "
                     "authority");
  if (gnutls_x509_crt_get_key_usage (crt, &usage, &critical) < 0 ||
      !(usage & GNUTLS_KEY_DIGITAL_SIGNATURE) ||
      gnutls_x509_crt_get_ca_status (crt, &critical) > 0)
    return g_strdup ("the signer's certificate is not one for signing prescriptions");

  facts->cert_not_before = gnutls_x509_crt_get_activation_time (crt);
  facts->cert_not_after = gnutls_x509_crt_get_expiration_time (crt);
  facts->ca_not_before = gnutls_x509_crt_get_activation_time (ca);
  facts->ca_not_after = gnutls_x509_crt_get_expiration_time (ca);
  facts->certificate_serial = crt_serial (crt);

  if (!json_parser_load_from_data (parser, signed_bytes, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_strdup ("the signed content cannot be read");
  doc = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (doc, "prescriber");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup ("the signed content cannot be read");
  prescriber = json_node_get_object (node);

  facts->prescription_id = dup_member (doc, "prescription");
  facts->org_id = dup_member (doc, "org");
  facts->signed_at = dup_member (doc, "signed_at");
  facts->username = dup_member (prescriber, "username");
  full_name = dup_member (prescriber, "full_name");
  signed_serial = dup_member (prescriber, "certificate_serial");
  facts->signer = g_strdup_printf ("%s (%s)", full_name ? full_name : "?",
                                   facts->username ? facts->username : "?");

  /* the certificate is the one the signed content names, and the CA issued it to that user */
  uid = crt_uid (crt);
  if (facts->username == NULL || g_strcmp0 (uid, facts->username) != 0 ||
      g_strcmp0 (signed_serial, facts->certificate_serial) != 0)
    return g_strdup ("it was signed with a certificate that is not its prescriber's");

  return NULL;
}

char *
rx_signature_facts_validity_problem (const RxSignatureFacts *facts,
                                     gint64                  unix_time,
                                     const char             *when)
{
  const struct
  {
    const char *whose;
    gint64      from;
    gint64      until;
  } checks[] = {
    { "the signer's certificate", facts->cert_not_before, facts->cert_not_after },
    { "the clinic's certificate authority", facts->ca_not_before, facts->ca_not_after },
  };

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autofree char *from_iso = NULL;
      g_autofree char *until_iso = NULL;

      if (unix_time >= checks[i].from && unix_time <= checks[i].until)
        continue;
      from_iso = _rx_cert_time_iso (checks[i].from);
      until_iso = _rx_cert_time_iso (checks[i].until);
      return g_strdup_printf ("%s was not valid %s (it is valid from %s to %s)", checks[i].whose,
                              when, from_iso, until_iso);
    }

  return NULL;
}
