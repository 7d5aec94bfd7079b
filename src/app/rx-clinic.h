/* rx-clinic.h: the open clinic as the app sees it: an RxDb and the one worker thread that
 * runs every query against it, in order, off the main loop. */
#pragma once

#include <gio/gio.h>

#include "rx-core.h"
#include "rx-sync-engine.h"

G_BEGIN_DECLS

#define RX_TYPE_CLINIC (rx_clinic_get_type ())

G_DECLARE_FINAL_TYPE (RxClinic, rx_clinic, RX, CLINIC, GObject)

/* At most this many results come back from one search. */
#define RX_CLINIC_PATIENT_SEARCH_LIMIT 100
#define RX_CLINIC_PRODUCT_SEARCH_LIMIT 50

typedef struct
{
  gint64 patients;
  gint64 products;
  gint64 pending_changes;
} RxClinicCounts;

/* Runs on the worker thread with the database to itself. Returns the result (freed with the
 * destroy notify given to rx_clinic_run_async() if nobody takes it) or NULL with @error set. */
typedef gpointer (*RxClinicFunc) (RxDb          *db,
                                  gpointer       data,
                                  GCancellable  *cancellable,
                                  GError       **error);

RxClinic       *rx_clinic_new_for_db             (RxDb                *db);
void            rx_clinic_open_async             (const char          *path,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
RxClinic       *rx_clinic_open_finish            (GAsyncResult        *result,
                                                  GError             **error);
void            rx_clinic_create_demo_async      (const char          *path,
                                                  const char          *staff_password,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
RxClinic       *rx_clinic_create_demo_finish     (GAsyncResult        *result,
                                                  GError             **error);

const char     *rx_clinic_get_path               (RxClinic            *self);
RxSyncEngine   *rx_clinic_get_sync               (RxClinic            *self);
const char     *rx_clinic_get_name               (RxClinic            *self);
char           *rx_clinic_dup_file_name          (RxClinic            *self);
char           *rx_clinic_take_demo_password     (RxClinic            *self);

/* Who is logged in (rx-clinic-session.c). All windows on the clinic follow "user" and
 * "locked"; the session's own work runs on the worker like every query. */
void            rx_clinic_set_idle_seconds       (RxClinic            *self,
                                                  guint                idle_seconds);
RxUser         *rx_clinic_get_user               (RxClinic            *self);
gboolean        rx_clinic_get_locked             (RxClinic            *self);
RxSession      *rx_clinic_get_session            (RxClinic            *self);
void            rx_clinic_login_async            (RxClinic            *self,
                                                  const char          *username,
                                                  const char          *password,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        rx_clinic_login_finish           (RxClinic            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void            rx_clinic_unlock_async           (RxClinic            *self,
                                                  const char          *password,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        rx_clinic_unlock_finish          (RxClinic            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void            rx_clinic_touch                  (RxClinic            *self);
void            rx_clinic_check_idle             (RxClinic            *self);
void            rx_clinic_lock                   (RxClinic            *self);
void            rx_clinic_logout                 (RxClinic            *self);

void            rx_clinic_run_async              (RxClinic            *self,
                                                  RxClinicFunc         func,
                                                  gpointer             data,
                                                  GDestroyNotify       data_destroy,
                                                  GDestroyNotify       result_destroy,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gpointer        rx_clinic_run_finish             (RxClinic            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* How long a patient search waits for a pause in typing: every search is an audited read of
 * the records it finds, so half-typed names should not each leave one. */
#define RX_PATIENT_SEARCH_DELAY_MS 300

void            rx_clinic_search_patients_async  (RxClinic            *self,
                                                  const char          *text,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GListModel     *rx_clinic_search_patients_finish (RxClinic            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void            rx_clinic_search_products_async  (RxClinic            *self,
                                                  const char          *text,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GListModel     *rx_clinic_search_products_finish (RxClinic            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void            rx_clinic_count_async            (RxClinic            *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        rx_clinic_count_finish           (RxClinic            *self,
                                                  GAsyncResult        *result,
                                                  RxClinicCounts      *counts,
                                                  GError             **error);

G_END_DECLS
