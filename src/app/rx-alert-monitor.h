/* rx-alert-monitor.h: open emergency alerts, for the clinicians logged in at this workstation:
 * each one a desktop notification with "Acknowledge", until someone acknowledges it. */
#pragma once

#include <gio/gio.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_ALERT_MONITOR (rx_alert_monitor_get_type ())
G_DECLARE_FINAL_TYPE (RxAlertMonitor, rx_alert_monitor, RX, ALERT_MONITOR, GObject)

/* How often the clinic file is read for alerts that did not come by sync (the kiosk, the
 * command line, another program on the same file). */
#define RX_ALERT_MONITOR_INTERVAL_SECONDS 10

RxAlertMonitor *rx_alert_monitor_new         (GApplication    *application,
                                              RxClinic        *clinic);
RxClinic       *rx_alert_monitor_get_clinic  (RxAlertMonitor  *self);
GListModel     *rx_alert_monitor_get_alerts  (RxAlertMonitor  *self);
gboolean        rx_alert_monitor_get_active  (RxAlertMonitor  *self);
gboolean        rx_alert_monitor_get_busy    (RxAlertMonitor  *self);
void            rx_alert_monitor_refresh     (RxAlertMonitor  *self);
void            rx_alert_monitor_acknowledge (RxAlertMonitor  *self,
                                              const char      *alert_id);

G_END_DECLS
