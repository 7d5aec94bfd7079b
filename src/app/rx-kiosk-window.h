/* rx-kiosk-window.h: the assistant alone, large, for a terminal patients use: no login, no
 * records, "Start Over" and a reset after a while without input, and a rating at the end. */
#pragma once

#include <adwaita.h>

#include "rx-assistant-pane.h"
#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_KIOSK_WINDOW (rx_kiosk_window_get_type ())
G_DECLARE_FINAL_TYPE (RxKioskWindow, rx_kiosk_window, RX, KIOSK_WINDOW, AdwApplicationWindow)

RxKioskWindow   *rx_kiosk_window_new              (GtkApplication *application);
void             rx_kiosk_window_set_clinic       (RxKioskWindow  *self,
                                                   RxClinic       *clinic);
void             rx_kiosk_window_show_error       (RxKioskWindow  *self,
                                                   const GError   *error);
RxAssistantPane *rx_kiosk_window_get_pane         (RxKioskWindow  *self);
gboolean         rx_kiosk_window_get_busy         (RxKioskWindow  *self);
const char      *rx_kiosk_window_get_page         (RxKioskWindow  *self);
void             rx_kiosk_window_set_idle_seconds (RxKioskWindow  *self,
                                                   guint           seconds);

G_END_DECLS
