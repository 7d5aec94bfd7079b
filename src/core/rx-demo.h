/* rx-demo.h: a realistic demo clinic, and bulk data for benchmarks. */
#pragma once

#include <glib.h>

#include "rx-types.h"

G_BEGIN_DECLS

typedef struct
{
  guint staff;
  guint patients;
  guint batches;
  guint prescriptions;
  guint invoices;
} RxDemoCounts;

gboolean rx_demo_populate   (RxDb          *db,
                             const char    *staff_password,
                             RxDemoCounts  *counts,
                             GError       **error);
gboolean rx_demo_generate   (RxDb          *db,
                             guint          patients,
                             guint          prescriptions,
                             RxDemoCounts  *counts,
                             GError       **error);
char    *rx_demo_default_path (void);

G_END_DECLS
