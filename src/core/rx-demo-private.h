/* rx-demo-private.h: what rx-demo.c (the clinic) and rx-demo-history.c (its signed
 * prescriptions) share. */
#pragma once

#include "rx-demo.h"

G_BEGIN_DECLS

/* The demo writes with its own clock, moved to place records in the past. */
typedef struct
{
  gint64 now;
} RxDemoClock;

/* The clinic's CA and its doctors' certificates are made as if a little over a year ago, so
 * that a year of signed history lies inside their validity. */
#define RX_DEMO_KEYS_AGE ((gint64) 400 * 24 * 3600 * G_USEC_PER_SEC)

/* Opens each doctor's key (issuing a certificate to one who has none); doctors whose
 * certificate is revoked or expired are taken out of `doctors`. `signers` gets RxSigner. */
gboolean _rx_demo_open_signers (RxDb          *db,
                                RxDemoClock   *clock,
                                GPtrArray     *doctors,
                                GPtrArray     *signers,
                                GError       **error);
gboolean _rx_demo_add_history  (RxDb          *db,
                                GRand         *rand,
                                RxDemoClock   *clock,
                                GPtrArray     *patients,
                                GPtrArray     *doctors,
                                GPtrArray     *signers,
                                guint          n,
                                RxDemoCounts  *counts,
                                GError       **error);

G_END_DECLS
