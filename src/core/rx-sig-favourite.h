/* rx-sig-favourite.h: a prescriber's favourite directions for a medicine ("1 tablet BD for
 * 5 days, with food"), saved once and written again in one step. Each prescriber sees only
 * their own; they sync to the prescriber's other workstations. */
#pragma once

#include <gio/gio.h>

#include "rx-prescription.h"
#include "rx-types.h"

G_BEGIN_DECLS

#define RX_TYPE_SIG_FAVOURITE (rx_sig_favourite_get_type ())

typedef struct
{
  char   *id;
  char   *product_id;
  char   *label;           /* the prescriber's name for it, e.g. "adult, chest infection" */
  char   *dose;
  char   *frequency;
  char   *route;
  int     duration_days;   /* 0 when not given */
  gint64  quantity;
  int     repeats;
  char   *instructions;
} RxSigFavourite;

GType           rx_sig_favourite_get_type (void) G_GNUC_CONST;
RxSigFavourite *rx_sig_favourite_copy     (const RxSigFavourite *favourite);
void            rx_sig_favourite_free     (RxSigFavourite       *favourite);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxSigFavourite, rx_sig_favourite_free)

GPtrArray      *rx_sig_favourites_list    (RxDb                 *db,
                                           const char           *product_or_null,
                                           GError              **error);
char           *rx_sig_favourites_add     (RxDb                 *db,
                                           const char           *label,
                                           const RxItemFields   *fields,
                                           GError              **error);
gboolean        rx_sig_favourites_remove  (RxDb                 *db,
                                           const char           *id,
                                           GError              **error);

G_END_DECLS
