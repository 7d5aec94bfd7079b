/* rx-alert.h: alerts that need a person: an emergency the assistant recognised, a safety
 * warning, low stock, a sync problem. An alert stays open until someone acknowledges it. */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"

G_BEGIN_DECLS

#define RX_TYPE_ALERT (rx_alert_get_type ())
G_DECLARE_FINAL_TYPE (RxAlert, rx_alert, RX, ALERT, GObject)

const char  *rx_alert_get_id              (RxAlert *self);
const char  *rx_alert_get_kind            (RxAlert *self);
const char  *rx_alert_get_severity        (RxAlert *self);
const char  *rx_alert_get_patient_id      (RxAlert *self);
const char  *rx_alert_get_message         (RxAlert *self);
const char  *rx_alert_get_created_at      (RxAlert *self);
const char  *rx_alert_get_acknowledged_by (RxAlert *self);
const char  *rx_alert_get_acknowledged_at (RxAlert *self);

char        *rx_alerts_raise              (RxDb        *db,
                                           const char  *kind,
                                           const char  *severity,
                                           const char  *patient_id,
                                           const char  *message,
                                           GError     **error);
gboolean     rx_alerts_acknowledge        (RxDb        *db,
                                           const char  *alert_id,
                                           const char  *user_id,
                                           GError     **error);
GListModel  *rx_alerts_list_open          (RxDb        *db,
                                           GError     **error);

G_END_DECLS
