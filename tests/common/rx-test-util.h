/* rx-test-util.h: helpers the test programs share: a fresh clinic in a temporary folder. */
#pragma once

#include "rx-core.h"

G_BEGIN_DECLS

typedef struct
{
  char *dir;
  char *path;
  RxDb *db;
} RxTestClinic;

void  rx_test_clinic_setup     (RxTestClinic  *clinic,
                                gconstpointer  data);
void  rx_test_clinic_teardown  (RxTestClinic  *clinic,
                                gconstpointer  data);
char *rx_test_make_dir         (void);
void  rx_test_remove_dir       (const char    *dir);
gint64 rx_test_count           (RxDb          *db,
                                const char    *sql);

G_END_DECLS
