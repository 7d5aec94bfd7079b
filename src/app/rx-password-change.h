/* rx-password-change.h: asking someone whose password an administrator set (a reset) to
 * choose their own before they go on. */
#pragma once

#include <adwaita.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

GtkWindow *rx_password_change_ask (GtkWindow *parent,
                                   RxClinic  *clinic);

G_END_DECLS
