/* rx-server-secrets.h: the random secrets the server hands out (tokens, workstation secrets,
 * enrolment codes) and the hashes it keeps of them instead. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 256 random bits as 64 lower-case hex digits. */
char     *rx_secret_new_hex      (void);
/* SHA-256 of the text, hex: what the store keeps in place of a secret. */
char     *rx_secret_hash         (const char *secret);
/* Compares two strings in time that depends only on their length. */
gboolean  rx_secret_equal        (const char *a,
                                  const char *b);

/* An enrolment code a person can read out and type: five groups of four letters and digits
 * that are hard to confuse (100 bits), e.g. "K7QM-2XPD-...". */
char     *rx_enrol_code_new      (void);
/* The hash of a code as typed: case, spaces and dashes do not matter. NULL when it cannot be
 * a code at all. */
char     *rx_enrol_code_hash     (const char *typed);

G_END_DECLS
