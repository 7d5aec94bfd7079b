/* rx-window-kind.h: the windows the home window opens, one tile each: what they are called,
 * which right a role needs to open one, and how one is made. A window that is not built yet
 * has no constructor and no tile. */
#pragma once

#include <gtk/gtk.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

typedef enum
{
  RX_WINDOW_RECEPTION,
  RX_WINDOW_PRESCRIPTIONS,
  RX_WINDOW_PHARMACY,
  RX_WINDOW_INVENTORY,
  RX_WINDOW_BILLING,
  RX_WINDOW_ADMIN,
  RX_WINDOW_N_KINDS
} RxWindowKind;

typedef GtkWindow *(*RxWindowNewFunc) (GtkApplication *application,
                                       RxClinic       *clinic);

typedef struct
{
  const char      *name;    /* "reception": its tile, its screenshot (reception.png) */
  const char      *action;  /* "win.open-reception", on the home window */
  const char      *accels[3];
  RxAction         needs;   /* the right a role must have to open it */
  const char      *icon_name;
  const char      *label;   /* translatable, with a mnemonic */
  const char      *tooltip; /* translatable */
  RxWindowNewFunc  create;  /* NULL while the window does not exist */
} RxWindowInfo;

const RxWindowInfo *rx_window_kind_get_info (RxWindowKind  kind);
gboolean            rx_window_kind_allowed  (RxWindowKind  kind,
                                             RxClinic     *clinic);
gboolean            rx_window_get_busy      (GtkWindow    *window);

G_END_DECLS
