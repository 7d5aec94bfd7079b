/* rx-signing-private.h: the canonical bytes and signing inside a caller's transaction, for
 * rx-signing*.c and for the demo's history (which is signed through the same code). */
#pragma once

#include "rx-cert-private.h"
#include "rx-signing.h"

G_BEGIN_DECLS

#define RX_SIGNING_ALGORITHM "ecdsa-p256-sha256"
#define RX_SIGNING_VERSION   1

/* The canonical bytes (see rx-signing.h) of the prescription as its rows are now, naming the
 * certificate it is (or was) signed with. */
char  *_rx_signing_canonical            (RxDb        *db,
                                         const char  *prescription_id,
                                         const char  *certificate_serial,
                                         GError     **error);

/* The first difference between two canonical documents, in words ("item 1 quantity: signed
 * 21, now 22"). */
char  *_rx_signing_describe_change      (const char  *signed_bytes,
                                         const char  *current);

/* Signs a prescription whose rows are already in their signed state (status and signed_at
 * set) and writes its signature row, in the caller's transaction, without an audit event of
 * its own. Returns the signature's id. */
char  *_rx_signing_sign_in_transaction  (RxDb        *db,
                                         RxSigner    *signer,
                                         const char  *prescription_id,
                                         gboolean     second_factor,
                                         GError     **error);

G_END_DECLS
