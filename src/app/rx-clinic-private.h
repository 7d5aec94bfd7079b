/* rx-clinic-private.h: RxClinic's fields, shared by rx-clinic.c (the worker and queries) and
 * rx-clinic-session.c (who is logged in, and the idle lock). */
#pragma once

#include "rx-clinic.h"
#include "rx-sync-engine.h"

G_BEGIN_DECLS

struct _RxClinic
{
  GObject       parent_instance;

  GThreadPool  *pool;
  RxDb         *db;             /* touched only by the worker once the clinic is open */
  char         *path;
  char         *name;
  char         *demo_password;  /* the demo staff's password, until someone takes it */

  /* Main thread only. The session itself is used only by the worker. */
  GMainContext *context;
  GThread      *main_thread;
  RxSession    *session;
  RxUser       *user;
  gboolean      locked;
  guint         idle_seconds;
  guint         idle_source;
  gint64        last_touch;     /* monotonic time of the last touch sent to the worker */
  RxSyncEngine *sync;           /* made on first use; its own thread and connection */
};

/* What opening a clinic hands back from the worker. */
typedef struct
{
  RxDb *db;
  char *name;
  char *demo_password;
} Opened;

void     _rx_clinic_opened_free    (gpointer             data);
gpointer _rx_clinic_open_in_worker (RxDb                *unused,
                                    gpointer             data,
                                    GCancellable        *cancellable,
                                    GError             **error);
void     _rx_clinic_open_with      (RxClinicFunc         func,
                                    gpointer             source_tag,
                                    const char          *path,
                                    gpointer             data,
                                    GDestroyNotify       data_destroy,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);

void _rx_clinic_notify_session (RxClinic *self);
void _rx_clinic_session_clear  (RxClinic *self,
                                gboolean  finalizing);

G_END_DECLS
