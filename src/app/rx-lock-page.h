/* rx-lock-page.h: what every window shows while the session is locked. */
#pragma once

#include <gtk/gtk.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_LOCK_PAGE (rx_lock_page_get_type ())

G_DECLARE_FINAL_TYPE (RxLockPage, rx_lock_page, RX, LOCK_PAGE, GtkWidget)

void       rx_lock_page_set_clinic         (RxLockPage *self,
                                            RxClinic   *clinic);
void       rx_lock_page_unlock             (RxLockPage *self,
                                            const char *password);
gboolean   rx_lock_page_get_busy           (RxLockPage *self);
GtkWidget *rx_lock_page_get_default_widget (RxLockPage *self);
void       rx_lock_page_focus              (RxLockPage *self);

G_END_DECLS
