/* rx-signing.h: the prescriber's digital signature on a prescription, and the check a
 * pharmacy makes before dispensing. Both calls take a noticeable fraction of a second (a
 * password derivation, a key decryption): the app makes them off the UI thread.
 *
 * What is signed: the prescription's canonical bytes, version 1. A JSON object, UTF-8, with
 * no whitespace between tokens and its keys always in this order:
 *
 *   {"version":1,"prescription":ID,"org":ORG_ID,
 *    "patient":{"id":..,"record_number":..,"family_name":..,"given_names":..,"birth_date":..},
 *    "prescriber":{"user_id":..,"username":..,"full_name":..,"certificate_serial":..},
 *    "created_at":..,"signed_at":..,"notes":..,
 *    "items":[{"product_id":..,"product_code":..,"inn":..,"strength":..,"form":..,"dose":..,
 *              "frequency":..,"route":..,"duration_days":..,"quantity":..,"repeats":..,
 *              "instructions":..},...]}
 *
 * Items come in position order. Strings are the stored text with only '"', '\\' and the
 * control characters (U+0000-U+001F, U+007F) escaped: \b \f \n \r \t, or \u00XX in lower-case
 * hex; everything else, non-ASCII included, is written as is. duration_days, quantity and
 * repeats are integers in decimal; a value that is absent is null, never left out. Times are
 * as stored (UTC, "YYYY-MM-DDTHH:MM:SS.mmmZ"). The signature is ECDSA P-256 over SHA-256 of
 * exactly these bytes ("ecdsa-p256-sha256"), DER-encoded and stored in base64 beside them. */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"

G_BEGIN_DECLS

/* Whether a prescription's signature holds, and if not, why, in words for a pharmacist. */
typedef struct
{
  gboolean  ok;
  char     *reason;              /* NULL when ok */
  char     *signer;              /* "Dr Li Chen (lchen)"; NULL when not known */
  char     *signed_at;           /* UTC ISO-8601; NULL when not signed */
  char     *certificate_serial;  /* hex; NULL when not known */
} RxVerification;

void      rx_verification_clear                  (RxVerification  *verification);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RxVerification, rx_verification_clear)

/* What a signature says about itself once its certificate checked out: read from the signed
 * bytes and the signer's certificate, never from a clinic database. */
typedef struct
{
  char    *prescription_id;     /* the prescription the signed bytes name */
  char    *org_id;              /* the clinic organisation they name */
  char    *signer;              /* "Dr Li Chen (lchen)" */
  char    *username;
  char    *certificate_serial;  /* of the certificate that made the signature, hex */
  char    *signed_at;           /* UTC ISO-8601 as signed; NULL when missing */
  gint64   cert_not_before;     /* Unix seconds */
  gint64   cert_not_after;
  gint64   ca_not_before;
  gint64   ca_not_after;
} RxSignatureFacts;

void      rx_signature_facts_clear               (RxSignatureFacts *facts);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RxSignatureFacts, rx_signature_facts_clear)

/* Checks a signature apart from any database: the algorithm is ours, it is an ECDSA
 * P-256/SHA-256 signature of `signed_bytes` by the certificate (PEM), one of `ca_pems` issued
 * that certificate for signing, and the signed bytes name that certificate and its holder.
 * Returns NULL when all of that holds, else the reason in words for a person; fills `facts`
 * (clear it with rx_signature_facts_clear()) with as much as could be read either way. It does
 * not look at revocation or validity times: the caller knows which moments matter. */
char     *rx_signature_check_detached            (const char          *algorithm,
                                                  const char          *signed_bytes,
                                                  const char          *signature,
                                                  const char          *certificate_pem,
                                                  const char * const  *ca_pems,
                                                  RxSignatureFacts    *facts);
/* NULL when the signer's certificate and its CA were both valid at `unix_time`, else why not
 * ("... was not valid `when` (it is valid from ... to ...)"). */
char     *rx_signature_facts_validity_problem    (const RxSignatureFacts *facts,
                                                  gint64                  unix_time,
                                                  const char             *when);

/* Whether signing needs a second factor: TRUE when any item is a controlled medicine. */
gboolean  rx_prescriptions_needs_second_factor   (RxDb            *db,
                                                  const char      *prescription_id,
                                                  gboolean        *needs,
                                                  GError         **error);

/* The prescriber signs their own draft with their password (and, for a controlled medicine,
 * the code from their authenticator). The signature, the move to "signed" and its event and
 * audit records are one transaction; a refusal writes nothing but the failed login. */
gboolean  rx_prescriptions_sign                  (RxDb            *db,
                                                  const char      *prescription_id,
                                                  const char      *username,
                                                  const char      *password,
                                                  const char      *totp_code,
                                                  GError         **error);

/* Fills `out` (overwriting it; clear it with rx_verification_clear()). FALSE with an error
 * only when the check could not be made at all (no such prescription, database trouble);
 * an invalid signature is TRUE with out->ok FALSE. Checks, in this order: a signature is
 * there; it is an ECDSA P-256/SHA-256 signature of the stored bytes by the certificate it
 * names; the certificate was issued by this clinic's CA for signing; it is the prescriber's;
 * the prescription's current rows still give exactly the signed bytes; the certificate is
 * not revoked; it (and the CA) were valid when it was signed and are valid now.
 *
 * A revoked certificate makes every prescription signed with it invalid, including those
 * signed before the revocation: a pharmacy cannot tell a key that was stolen last week from
 * one that was stolen today, so it does not dispense, and the reason says when and why the
 * certificate was revoked so the patient can be sent back for a newly signed prescription. */
gboolean  rx_prescriptions_verify                (RxDb            *db,
                                                  const char      *prescription_id,
                                                  RxVerification  *out,
                                                  GError         **error);

G_END_DECLS
