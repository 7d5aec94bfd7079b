/* rx-preferences-window.h: the app's preferences (idle lock, emergency number, currency) and
 * the open clinic's sync server. */
#pragma once

#include <adwaita.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_PREFERENCES_WINDOW (rx_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (RxPreferencesWindow, rx_preferences_window, RX, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

RxPreferencesWindow *rx_preferences_window_new (GtkWindow *parent,
                                                GSettings *settings,
                                                RxClinic  *clinic);

G_END_DECLS
