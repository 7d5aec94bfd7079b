/* rx-types.h: forward declarations shared across librxdesk-core. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RxDb           RxDb;
typedef struct _RxPatient      RxPatient;
typedef struct _RxAllergy      RxAllergy;
typedef struct _RxUser         RxUser;
typedef struct _RxProduct      RxProduct;

/* Microseconds since the Unix epoch, UTC. Injectable so tests can move time. */
typedef gint64 (*RxClockFunc) (gpointer user_data);

/* How far a long job has come: @done of @total steps. */
typedef void (*RxProgressFunc) (gint64   done,
                                gint64   total,
                                gpointer user_data);

G_END_DECLS
