/* rx-site.h: the organisation's sites (a clinic, its pharmacy, a branch). */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"

G_BEGIN_DECLS

#define RX_TYPE_SITE (rx_site_get_type ())
G_DECLARE_FINAL_TYPE (RxSite, rx_site, RX, SITE, GObject)

const char  *rx_site_get_id       (RxSite      *self);
const char  *rx_site_get_name     (RxSite      *self);
const char  *rx_site_get_kind     (RxSite      *self);
const char  *rx_site_get_address  (RxSite      *self);

char        *rx_org_dup_name      (RxDb        *db);
RxSite      *rx_sites_add         (RxDb        *db,
                                   const char  *name,
                                   const char  *kind,
                                   const char  *address,
                                   GError     **error);
GListModel  *rx_sites_list        (RxDb        *db,
                                   GError     **error);

G_END_DECLS
