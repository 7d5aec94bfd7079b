/* rx-enrol-window.h: enrol this workstation with a sync server: a new, empty workstation of
 * an organisation (first run), or the open clinic bringing its data to the server. */
#pragma once

#include <adwaita.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_ENROL_WINDOW (rx_enrol_window_get_type ())

G_DECLARE_FINAL_TYPE (RxEnrolWindow, rx_enrol_window, RX, ENROL_WINDOW, AdwWindow)

RxEnrolWindow *rx_enrol_window_new (GtkWindow *parent,
                                    RxClinic  *clinic);

G_END_DECLS
