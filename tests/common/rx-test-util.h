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
/* The first column of every row a query returns, as strings. */
GPtrArray *rx_test_ids         (RxDb          *db,
                                const char    *sql);

/* Points libsecret at a keyring file of this test program's own, in a new temporary folder
 * (returned: remove it when the program ends), so programs that run in parallel never share
 * one and no test touches a real desktop keyring. Call first in main(), before anything
 * reaches the keyring: libsecret reads these variables once. Child processes inherit them. */
char *rx_test_use_private_keyring (void);

G_END_DECLS
