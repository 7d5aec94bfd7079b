/* rx-clinic-private.h: RxClinic's fields, shared by rx-clinic.c (the worker and queries) and
 * rx-clinic-session.c (who is logged in, and the idle lock). */
#pragma once

#include "rx-clinic.h"

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
};

void _rx_clinic_notify_session (RxClinic *self);
void _rx_clinic_session_clear  (RxClinic *self,
                                gboolean  finalizing);

G_END_DECLS
