/* rx-application.h: the RxDesk desktop application: command line, app actions, which clinic
 * is open. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The settings schema keeps this id in development builds too, so both share one set. */
#define RX_SETTINGS_SCHEMA_ID "org.rxdesk.RxDesk"

#define RX_TYPE_APPLICATION (rx_application_get_type ())

G_DECLARE_FINAL_TYPE (RxApplication, rx_application, RX, APPLICATION, AdwApplication)

RxApplication *rx_application_new          (void);
GSettings     *rx_application_get_settings (RxApplication *self);
void           rx_application_open_clinic  (RxApplication *self,
                                            const char    *path);
void           rx_application_open_clinic_login (RxApplication *self,
                                                 const char    *path,
                                                 const char    *username,
                                                 const char    *password);
void           rx_application_open_demo    (RxApplication *self);
void           rx_application_enrol        (RxApplication *self);

G_END_DECLS
