/* rx-admin-window.h: the administrator's window: people, the formulary, sync conflicts,
 * feedback, the audit log, backups and the clinic's workstations. */
#pragma once

#include <adwaita.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_ADMIN_WINDOW (rx_admin_window_get_type ())

G_DECLARE_FINAL_TYPE (RxAdminWindow, rx_admin_window, RX, ADMIN_WINDOW, AdwApplicationWindow)

RxAdminWindow *rx_admin_window_new              (GtkApplication *application,
                                                 RxClinic       *clinic);
gboolean       rx_admin_window_get_busy         (RxAdminWindow  *self);
const char    *rx_admin_window_get_page         (RxAdminWindow  *self);
void           rx_admin_window_show_page        (RxAdminWindow  *self,
                                                 const char     *name);
void           rx_admin_window_preview_import   (RxAdminWindow  *self,
                                                 GFile          *file);
gboolean       rx_admin_window_confirm_import   (RxAdminWindow  *self);
void           rx_admin_window_back_up_to       (RxAdminWindow  *self,
                                                 GFile          *file);
void           rx_admin_window_export_audit_to  (RxAdminWindow  *self,
                                                 GFile          *file);
void           rx_admin_window_verify_audit     (RxAdminWindow  *self);
void           rx_admin_window_search_products  (RxAdminWindow  *self,
                                                 const char     *text);
GListModel    *rx_admin_window_get_audit_model  (RxAdminWindow  *self);
GtkWidget     *rx_admin_window_get_audit_search (RxAdminWindow  *self);
GtkWidget     *rx_admin_window_get_list         (RxAdminWindow  *self,
                                                 const char     *page);
const char    *rx_admin_window_get_last_message (RxAdminWindow  *self);

G_END_DECLS
