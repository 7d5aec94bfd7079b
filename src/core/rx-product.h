/* rx-product.h: a product of the formulary (a medicine in one form and strength) with its
 * packs and, where the clinic keeps stock, its quantity on hand and nearest expiry. */
#pragma once

#include <glib-object.h>

#include "rx-types.h"

G_BEGIN_DECLS

#define RX_TYPE_PRODUCT (rx_product_get_type ())
G_DECLARE_FINAL_TYPE (RxProduct, rx_product, RX, PRODUCT, GObject)

#define RX_TYPE_PACK (rx_pack_get_type ())

typedef struct
{
  char   *id;
  gint64  size;
  char   *unit;
  gint64  price_minor;
} RxPack;

GType        rx_pack_get_type              (void) G_GNUC_CONST;
RxPack      *rx_pack_copy                  (const RxPack *pack);
void         rx_pack_free                  (RxPack       *pack);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxPack, rx_pack_free)

const char  *rx_product_get_id             (RxProduct *self);
const char  *rx_product_get_code           (RxProduct *self);
const char  *rx_product_get_drug_id        (RxProduct *self);
const char  *rx_product_get_inn            (RxProduct *self);
const char  *rx_product_get_atc            (RxProduct *self);
const char  *rx_product_get_form           (RxProduct *self);
const char  *rx_product_get_strength       (RxProduct *self);
const char  *rx_product_get_route          (RxProduct *self);
const char  *rx_product_get_synonyms       (RxProduct *self);
gboolean     rx_product_get_rx_only        (RxProduct *self);
gboolean     rx_product_get_controlled     (RxProduct *self);
gboolean     rx_product_get_eml            (RxProduct *self);
gint64       rx_product_get_reorder_level  (RxProduct *self);
gint64       rx_product_get_on_hand        (RxProduct *self);
const char  *rx_product_get_nearest_expiry (RxProduct *self);
char        *rx_product_dup_display_name   (RxProduct *self);
GPtrArray   *rx_product_get_packs          (RxProduct *self);

/* For core's readers only. */
RxProduct   *_rx_product_new               (const char * const *columns);
void         _rx_product_set_stock         (RxProduct  *self,
                                            gint64      on_hand,
                                            const char *nearest_expiry);
void         _rx_product_add_pack          (RxProduct  *self,
                                            RxPack     *pack);

G_END_DECLS
