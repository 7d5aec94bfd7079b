/* rx-session.h: a logged-in person at a workstation, and the idle lock that covers every
 * window when they step away. */
#pragma once

#include <glib-object.h>

#include "rx-types.h"
#include "rx-user.h"

G_BEGIN_DECLS

#define RX_TYPE_SESSION (rx_session_get_type ())
G_DECLARE_FINAL_TYPE (RxSession, rx_session, RX, SESSION, GObject)

RxSession    *rx_session_login          (RxDb          *db,
                                         const char    *username,
                                         const char    *password,
                                         guint          idle_seconds,
                                         GError       **error);
RxUser       *rx_session_get_user       (RxSession     *self);
gboolean      rx_session_get_locked     (RxSession     *self);
guint         rx_session_get_idle_seconds (RxSession   *self);
void          rx_session_set_idle_seconds (RxSession   *self,
                                         guint          idle_seconds);
void          rx_session_touch          (RxSession     *self);
gboolean      rx_session_check_idle     (RxSession     *self);
void          rx_session_lock           (RxSession     *self);
gboolean      rx_session_unlock         (RxSession     *self,
                                         const char    *password,
                                         GError       **error);
void          rx_session_logout         (RxSession     *self);
void          rx_session_hold_secret    (RxSession     *self,
                                         const guint8  *secret,
                                         gsize          length);
GBytes       *rx_session_dup_secret     (RxSession     *self);

G_END_DECLS
