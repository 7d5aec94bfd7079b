/* rx-signing-verify.c: the check a pharmacy makes before dispensing. It trusts nothing but the
 * clinic's CA certificate: the signature must be the signer's over the stored bytes, the
 * signer's certificate must come from that CA, and the bytes must be what the prescription's
 * rows give today. Every check is audited with its outcome. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>

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

/* The clinic's CA certificates a signing certificate may come from (revoked ones never). */
static GStrv
load_ca_pems (RxDb *db)
{
  g_autoptr(GStrvBuilder) pems = g_strv_builder_new ();
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db, "SELECT certificate FROM certificates "
                             "WHERE kind = 'ca' AND deleted = 0 AND revoked_at IS NULL", NULL);
  if (stmt != NULL)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_strv_builder_add (pems, (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }

  return g_strv_builder_end (pems);
}

/* The whole check; returns the reason it fails, or NULL when the signature holds. */
static char *
check (RxDb            *db,
       const char      *prescription_id,
       Stored          *s,
       RxVerification  *out)
{
  g_auto(RxSignatureFacts) facts = { NULL, };
  g_auto(GStrv) ca_pems = NULL;
  g_autofree char *current = NULL;
  g_autofree char *problem = NULL;
  g_autoptr(GError) error = NULL;
  gint64 signed_t, now;

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

  ca_pems = load_ca_pems (db);
  problem = rx_signature_check_detached (s->algorithm, s->signed_bytes, s->signature,
                                         s->certificate, (const char * const *) ca_pems, &facts);
  out->signer = g_strdup (facts.signer);
  out->signed_at = g_strdup (facts.signed_at);
  if (facts.signer != NULL)
    out->certificate_serial = g_strdup (s->serial);
  if (problem != NULL)
    return g_steal_pointer (&problem);

  /* the certificate is the prescriber's by the records too, not only by the CA's word */
  if (g_strcmp0 (facts.certificate_serial, s->serial) != 0 ||
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

  signed_t = _rx_cert_iso_to_unix (facts.signed_at);
  if (s->revoked_at != NULL)
    {
      /* both are stored as "YYYY-MM-DDTHH:MM:SS.mmmZ", which sorts as time does */
      gboolean revoked_first = g_strcmp0 (s->revoked_at, facts.signed_at) <= 0;

      return g_strdup_printf ("%s's signing certificate was revoked on %s (reason: %s), %s this "
                              "prescription was signed; a signature made with a revoked "
                              "certificate is not accepted, so it must not be dispensed: ask "
                              "the clinic for a newly signed prescription", facts.username,
                              s->revoked_at, s->revoke_reason ? s->revoke_reason : "none given",
                              revoked_first ? "before" : "after");
    }

  now = rx_db_now (db) / G_USEC_PER_SEC;
  if (signed_t < 0)
    return g_strdup ("its signing time cannot be read");
  if ((problem = rx_signature_facts_validity_problem (&facts, signed_t,
                                                     "when the prescription was signed")) != NULL ||
      (problem = rx_signature_facts_validity_problem (&facts, now, "today")) != NULL)
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
