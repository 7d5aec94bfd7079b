/* rx-login-page.h: the page a clinic opens on: who is at the keyboard? */
#pragma once

#include <gtk/gtk.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_LOGIN_PAGE (rx_login_page_get_type ())

G_DECLARE_FINAL_TYPE (RxLoginPage, rx_login_page, RX, LOGIN_PAGE, GtkWidget)

void       rx_login_page_set_clinic         (RxLoginPage *self,
                                             RxClinic    *clinic);
void       rx_login_page_login              (RxLoginPage *self,
                                             const char  *username,
                                             const char  *password);
gboolean   rx_login_page_get_busy           (RxLoginPage *self);
const char *rx_login_page_get_error         (RxLoginPage *self);
const char *rx_login_page_get_username      (RxLoginPage *self);
GtkWidget *rx_login_page_get_default_widget (RxLoginPage *self);
void       rx_login_page_focus              (RxLoginPage *self);

G_END_DECLS
