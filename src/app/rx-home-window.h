/* rx-home-window.h: the main window: find patients and medicines in the open clinic, or
 * choose a clinic on first run. */
#pragma once

#include <adwaita.h>

#include "rx-clinic.h"
#include "rx-window-kind.h"

G_BEGIN_DECLS

#define RX_TYPE_HOME_WINDOW (rx_home_window_get_type ())

G_DECLARE_FINAL_TYPE (RxHomeWindow, rx_home_window, RX, HOME_WINDOW, AdwApplicationWindow)

RxHomeWindow *rx_home_window_new           (GtkApplication *application);
RxClinic     *rx_home_window_get_clinic    (RxHomeWindow *self);
void          rx_home_window_set_clinic    (RxHomeWindow *self,
                                            RxClinic     *clinic);
void          rx_home_window_begin_busy    (RxHomeWindow *self,
                                            const char   *title);
void          rx_home_window_end_busy      (RxHomeWindow *self);
gboolean      rx_home_window_get_busy      (RxHomeWindow *self);
void          rx_home_window_login         (RxHomeWindow *self,
                                            const char   *username,
                                            const char   *password);
const char   *rx_home_window_get_page      (RxHomeWindow *self);
GtkWidget    *rx_home_window_get_login_page (RxHomeWindow *self);
GtkWidget    *rx_home_window_get_lock_page (RxHomeWindow *self);
GtkWidget    *rx_home_window_get_patients_page  (RxHomeWindow *self);
GtkWidget    *rx_home_window_get_medicines_page (RxHomeWindow *self);
void          rx_home_window_toast              (RxHomeWindow *self,
                                                 const char   *text);
GtkWidget    *rx_home_window_get_assistant_pane (RxHomeWindow *self);
GtkWindow    *rx_home_window_open               (RxHomeWindow *self,
                                                 RxWindowKind  kind);

G_END_DECLS
