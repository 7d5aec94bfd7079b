/* rx-application-private.h: RxApplication's fields, shared by rx-application.c and
 * rx-application-screenshot.c. */
#pragma once

#include "rx-alert-monitor.h"
#include "rx-application.h"
#include "rx-home-window.h"
#include "rx-kiosk-window.h"

G_BEGIN_DECLS

struct _RxApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  GCancellable   *open_cancellable;
  char           *screenshot_dir;
  char           *demo_password;    /* from --demo-password-stdin, for the next demo made */
  char           *login_username;   /* --login: log in as soon as the clinic opens */
  char           *login_password;
  gulong          screenshot_handler;
  guint           screenshot_idle;
  guint           screenshot_retries;
  guint           screenshot_timeout;
  GtkWidget      *screenshot_window; /* weak: the window after the home window, if any */
  guint           screenshot_kind;   /* the RxWindowKind pictured or tried next */
  RxKioskWindow  *kiosk_window;      /* weak: --kiosk shows this window alone */
  RxAlertMonitor *alert_monitor;     /* emergencies on the open clinic, as notifications */
};

RxHomeWindow *_rx_application_ensure_window         (RxApplication *self);
void          _rx_application_begin_screenshot      (RxApplication *self,
                                                     const char    *dir);
void          _rx_application_screenshot_when_ready (RxApplication *self);

G_END_DECLS
