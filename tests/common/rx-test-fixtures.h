/* rx-test-fixtures.h: rows the tests need from parts of core that have no typed API yet
 * (users, products, prescriptions), and a before/after snapshot of what a write touches. */
#pragma once

#include <string.h>

#include "rx-test-util.h"

G_BEGIN_DECLS

char   *rx_test_add_patient       (RxDb        *db,
                                   const char  *family_name);
char   *rx_test_add_user          (RxDb        *db,
                                   const char  *username,
                                   const char  *role);
char   *rx_test_add_product       (RxDb        *db,
                                   const char  *code,
                                   gboolean     rx_only);
char   *rx_test_add_prescription  (RxDb        *db,
                                   const char  *patient_id,
                                   const char  *prescriber_id,
                                   const char  *status);

/* Rows, last change stamp and change-log and audit counts of every table core writes. */
char   *rx_test_snapshot          (RxDb        *db);

/* A refused write leaves no row, no change-log entry and no audit event behind. */
#define rx_test_assert_unchanged(db, before) \
  G_STMT_START { \
    g_autofree char *rx_test_after_ = rx_test_snapshot (db); \
    g_assert_cmpstr (rx_test_after_, ==, (before)); \
  } G_STMT_END

/* The error is `code` of RX_CORE_ERROR and its message contains `words` (if not NULL). */
#define rx_test_assert_error_says(err, code, words) \
  G_STMT_START { \
    const char *rx_test_words_ = (words); \
    g_assert_error ((err), RX_CORE_ERROR, (code)); \
    if (rx_test_words_ != NULL && strstr ((err)->message, rx_test_words_) == NULL) \
      g_error ("“%s” does not mention “%s”", (err)->message, rx_test_words_); \
  } G_STMT_END

/* Microseconds since the epoch of a UTC time "YYYY-MM-DDTHH:MM:SSZ", for rx_db_set_clock(). */
gint64  rx_test_usec              (const char  *iso);
gint64  rx_test_fixed_clock       (gpointer     user_data);

/* A clinic with a patient and a product, a fixed clock, ready to sell. */
typedef struct
{
  RxTestClinic  clinic;
  RxDb         *db;
  gint64        now;
  char         *patient;
  char         *product;
} RxTestTill;

void        rx_test_till_setup        (RxTestTill    *f,
                                       gconstpointer  data);
void        rx_test_till_teardown     (RxTestTill    *f,
                                       gconstpointer  data);
RxInvoice  *rx_test_open_invoice      (RxTestTill    *f,
                                       const char    *till);
void        rx_test_add_invoice_line  (RxTestTill    *f,
                                       RxInvoice     *inv,
                                       gint64         quantity,
                                       gint64         price,
                                       int            rate);
RxInvoice  *rx_test_issued_invoice    (RxTestTill    *f,
                                       const char    *till,
                                       gint64         quantity,
                                       gint64         price);

G_END_DECLS
