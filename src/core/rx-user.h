/* rx-user.h: the people who use RxDesk, one account each, with one role. */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"

G_BEGIN_DECLS

typedef enum
{
  RX_ROLE_ADMIN,
  RX_ROLE_DOCTOR,
  RX_ROLE_PHARMACIST,
  RX_ROLE_RECEPTIONIST,
} RxRole;

const char  *rx_role_to_string        (RxRole       role);
gboolean     rx_role_from_string      (const char  *text,
                                       RxRole      *role);

#define RX_TYPE_USER (rx_user_get_type ())
G_DECLARE_FINAL_TYPE (RxUser, rx_user, RX, USER, GObject)

const char  *rx_user_get_id           (RxUser      *self);
const char  *rx_user_get_username     (RxUser      *self);
const char  *rx_user_get_full_name    (RxUser      *self);
RxRole       rx_user_get_role         (RxUser      *self);
const char  *rx_user_get_state        (RxUser      *self);
const char  *rx_user_get_created_at   (RxUser      *self);
gboolean     rx_user_has_password     (RxUser      *self);
gboolean     rx_user_get_must_change_password (RxUser *self);

RxUser      *rx_users_add             (RxDb        *db,
                                       const char  *username,
                                       const char  *full_name,
                                       RxRole       role,
                                       const char  *password,
                                       GError     **error);
RxUser      *rx_users_find            (RxDb        *db,
                                       const char  *username_or_id,
                                       GError     **error);
GListModel  *rx_users_list            (RxDb        *db,
                                       GError     **error);
gboolean     rx_users_set_password    (RxDb        *db,
                                       const char  *user_id,
                                       const char  *password,
                                       GError     **error);
gboolean     rx_users_disable         (RxDb        *db,
                                       const char  *user_id,
                                       GError     **error);
gint64       rx_users_login_wait      (RxDb        *db,
                                       const char  *username);
RxUser      *rx_users_authenticate    (RxDb        *db,
                                       const char  *username,
                                       const char  *password,
                                       GError     **error);

G_END_DECLS
