/* rx-signing-verify.c: the check a pharmacy makes before dispensing. It trusts nothing but the
 * clinic's CA certificate: the signature must be the signer's over the stored bytes, the
 * signer's certificate must come from that CA, and the bytes must be what the prescription's
 * rows give today. Every check is audited with its outcome. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>
#include <gnutls/abstract.h>
#include <json-glib/json-glib.h>

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-signing-private.h"

typedef struct
{
  char *status;
  char *prescriber_id;
  char *signature_id;
  char *algorithm;
  char *signed_bytes;
  char *signature;
  char *certificate_id;
  char *kind;
  char *cert_user_id;
  char *serial;
  char *certificate;
  char *revoked_at;
  char *revoke_reason;
} Stored;

static void
stored_clear (Stored *s)
{
  char **fields = (char **) s;

  for (guint i = 0; i < sizeof *s / sizeof (char *); i++)
    g_free (fields[i]);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Stored, stored_clear)

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_pubkey_t, gnutls_pubkey_deinit, NULL)

static gboolean
load_stored (RxDb        *db,
             const char  *prescription_id,
             Stored      *s,
             GError     **error)
{
  sqlite3_stmt *stmt;
  char **fields = (char **) s;
  int rc;

  stmt = _rx_db_prepare (db,
                         "SELECT r.status, r.prescriber_id, s.id, s.algorithm, s.signed_bytes, "
                         "  s.signature, c.id, c.kind, c.user_id, c.serial, c.certificate, "
                         "  c.revoked_at, c.revoke_reason "
                         "FROM prescriptions r "
                         "LEFT JOIN prescription_signatures s ON s.prescription_id = r.id "
                         "  AND s.deleted = 0 "
                         "LEFT JOIN certificates c ON c.id = s.certificate_id AND c.deleted = 0 "
                         "WHERE r.id = ?1 AND r.deleted = 0", error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, prescription_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    for (guint i = 0; i < sizeof *s / sizeof (char *); i++)
      fields[i] = _rx_stmt_dup_text (stmt, i);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                 "There is no prescription “%s”; “rx list” shows them", prescription_id);
  else if (rc != SQLITE_ROW)
    _rx_db_sqlite_error (db, rc, "Reading the prescription's signature", error);

  return rc == SQLITE_ROW;
}

/* The clinic's CA that issued the certificate, when the certificate's signature checks out
 * against it (time is checked apart, at the signing time and now). */
static gnutls_x509_crt_t
find_issuer (RxDb              *db,
             gnutls_x509_crt_t  crt)
{
  gnutls_x509_crt_t issuer = NULL;
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db, "SELECT certificate FROM certificates "
                             "WHERE kind = 'ca' AND deleted = 0 AND revoked_at IS NULL", NULL);
  if (stmt == NULL)
    return NULL;
  while (issuer == NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      gnutls_x509_crt_t ca = NULL;
      unsigned int status = 0;

      if (!_rx_cert_import_pem ((const char *) sqlite3_column_text (stmt, 0), &ca, NULL))
        continue;
      if (gnutls_x509_crt_verify (crt, &ca, 1,
                                  GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                                  GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
                                  &status) >= 0 && status == 0)
        issuer = ca;
      else
        gnutls_x509_crt_deinit (ca);
    }
  sqlite3_reset (stmt);

  return issuer;
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

/* NULL when the certificate was valid at `t`; else why not. */
static char *
validity_problem (gnutls_x509_crt_t  crt,
                  const char        *whose,
                  time_t             t,
                  const char        *when)
{
  time_t from = gnutls_x509_crt_get_activation_time (crt);
  time_t until = gnutls_x509_crt_get_expiration_time (crt);
  g_autofree char *from_iso = _rx_cert_time_iso (from);
  g_autofree char *until_iso = _rx_cert_time_iso (until);

  if (t >= from && t <= until)
    return NULL;
  return g_strdup_printf ("%s was not valid %s (it is valid from %s to %s)", whose, when,
                          from_iso, until_iso);
}

/* The whole check; returns the reason it fails, or NULL when the signature holds. */
static char *
check (RxDb            *db,
       const char      *prescription_id,
       Stored          *s,
       RxVerification  *out)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_x509_crt_t) ca = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *uid = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *current = NULL;
  g_autofree char *problem = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *doc, *prescriber;
  JsonNode *node;
  const char *username, *signed_serial, *signed_at;
  unsigned int usage = 0, critical = 0;
  time_t signed_t, now;

  if (s->signature_id == NULL)
    return g_str_equal (s->status, "draft")
           ? g_strdup ("it has not been signed yet; the prescriber must sign it first")
           : g_strdup_printf ("it is marked %s but carries no signature", s->status);

  if (g_strcmp0 (s->algorithm, RX_SIGNING_ALGORITHM) != 0)
    return g_strdup_printf ("it is signed with an algorithm RxDesk does not accept (%s)",
                            s->algorithm);
  if (s->certificate_id == NULL || g_strcmp0 (s->kind, "signing") != 0)
    return g_strdup ("the certificate it was signed with is not one of this clinic's signing "
                     "certificates");
  if (!_rx_cert_import_pem (s->certificate, &crt, NULL))
    return g_strdup ("the signer's certificate cannot be read");

  if (!signature_matches (crt, s->signed_bytes, s->signature))
    return g_strdup ("the signature does not match the signed content: the signature or the "
                     "content stored with it was altered");

  ca = find_issuer (db, crt);
  if (ca == NULL)
    return g_strdup ("the signer's certificate was not issued by this clinic's certificate "
                     "authority");
  if (gnutls_x509_crt_get_key_usage (crt, &usage, &critical) < 0 ||
      !(usage & GNUTLS_KEY_DIGITAL_SIGNATURE) ||
      gnutls_x509_crt_get_ca_status (crt, &critical) > 0)
    return g_strdup ("the signer's certificate is not one for signing prescriptions");

  if (!json_parser_load_from_data (parser, s->signed_bytes, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_strdup ("the signed content cannot be read");
  doc = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (doc, "prescriber");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup ("the signed content cannot be read");
  prescriber = json_node_get_object (node);
  username = json_object_get_string_member_with_default (prescriber, "username", NULL);
  signed_serial = json_object_get_string_member_with_default (prescriber, "certificate_serial",
                                                              NULL);
  signed_at = json_object_get_string_member_with_default (doc, "signed_at", NULL);
  out->signer = g_strdup_printf ("%s (%s)",
                                 json_object_get_string_member_with_default (prescriber,
                                                                             "full_name", "?"),
                                 username ? username : "?");
  out->signed_at = g_strdup (signed_at);
  out->certificate_serial = g_strdup (s->serial);

  /* the certificate is the prescriber's: by the CA's word (UID, serial) and by the records */
  uid = crt_uid (crt);
  serial = crt_serial (crt);
  if (username == NULL || g_strcmp0 (uid, username) != 0 ||
      g_strcmp0 (serial, s->serial) != 0 || g_strcmp0 (signed_serial, s->serial) != 0 ||
      g_strcmp0 (s->cert_user_id, s->prescriber_id) != 0)
    return g_strdup ("it was signed with a certificate that is not its prescriber's");

  current = _rx_signing_canonical (db, prescription_id, s->serial, &error);
  if (current == NULL)
    return g_strdup_printf ("its content cannot be read back (%s)", error->message);
  if (strcmp (current, s->signed_bytes) != 0)
    {
      g_autofree char *change = _rx_signing_describe_change (s->signed_bytes, current);

      return g_strdup_printf ("the prescription changed after it was signed (%s)", change);
    }

  signed_t = _rx_cert_iso_to_unix (signed_at);
  if (s->revoked_at != NULL)
    {
      /* both are stored as "YYYY-MM-DDTHH:MM:SS.mmmZ", which sorts as time does */
      gboolean revoked_first = g_strcmp0 (s->revoked_at, signed_at) <= 0;

      return g_strdup_printf ("%s's signing certificate was revoked on %s (reason: %s), %s this "
                              "prescription was signed; a signature made with a revoked "
                              "certificate is not accepted, so it must not be dispensed: ask "
                              "the clinic for a newly signed prescription", username,
                              s->revoked_at, s->revoke_reason ? s->revoke_reason : "none given",
                              revoked_first ? "before" : "after");
    }

  now = rx_db_now (db) / G_USEC_PER_SEC;
  if (signed_t < 0)
    return g_strdup ("its signing time cannot be read");
  if ((problem = validity_problem (crt, "the signer's certificate", signed_t,
                                   "when the prescription was signed")) != NULL ||
      (problem = validity_problem (ca, "the clinic's certificate authority", signed_t,
                                   "when the prescription was signed")) != NULL ||
      (problem = validity_problem (crt, "the signer's certificate", now, "today")) != NULL ||
      (problem = validity_problem (ca, "the clinic's certificate authority", now,
                                   "today")) != NULL)
    return g_steal_pointer (&problem);

  return NULL;
}

gboolean
rx_prescriptions_verify (RxDb            *db,
                         const char      *prescription_id,
                         RxVerification  *out,
                         GError         **error)
{
  g_auto(Stored) stored = { NULL, };
  g_autofree char *detail = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (prescription_id != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (!load_stored (db, prescription_id, &stored, error))
    return FALSE;

  out->reason = check (db, prescription_id, &stored, out);
  out->ok = out->reason == NULL;

  detail = out->ok ? g_strdup_printf ("valid, signed by %s", out->signer)
                   : g_strdup_printf ("not valid: %s", out->reason);
  if (!_rx_db_audit (db, "verify", "prescriptions", prescription_id, detail, error))
    {
      rx_verification_clear (out);
      return FALSE;
    }

  return TRUE;
}
