/* rx-formulary.h: loading the formulary reference data and searching it as the user types. */
#pragma once

#include <gio/gio.h>

#include "rx-product.h"
#include "rx-types.h"

G_BEGIN_DECLS

typedef struct
{
  guint drugs;
  guint products;
  guint packs;
  guint synonyms;
} RxFormularyCounts;

char        *rx_formulary_find_data_dir  (void);
gboolean     rx_formulary_load_csv       (RxDb               *db,
                                          const char         *medicines_csv,
                                          const char         *synonyms_csv,
                                          RxFormularyCounts  *counts,
                                          GError            **error);
gboolean     rx_formulary_load_default   (RxDb               *db,
                                          RxFormularyCounts  *counts,
                                          GError            **error);
GListModel  *rx_formulary_search         (RxDb               *db,
                                          const char         *text,
                                          guint               limit,
                                          GError            **error);
GListModel  *rx_formulary_lookup         (RxDb               *db,
                                          const char         *id_code_or_name,
                                          GError            **error);
RxProduct   *rx_formulary_get            (RxDb               *db,
                                          const char         *id_or_code,
                                          GError            **error);
GStrv        rx_formulary_suggest        (RxDb               *db,
                                          const char         *text,
                                          guint               max);
gboolean     rx_formulary_set_price      (RxDb               *db,
                                          const char         *product_id,
                                          gint64              pack_size,
                                          gint64              price_minor,
                                          GError            **error);
gboolean     rx_formulary_set_reorder_level (RxDb            *db,
                                          const char         *product_id,
                                          gint64              level,
                                          GError            **error);

gboolean     rx_formulary_set_tax_rate   (RxDb               *db,
                                          const char         *product_id,
                                          int                 rate_bp,
                                          GError            **error);
RxProduct   *rx_formulary_find_gtin      (RxDb               *db,
                                          const char         *gtin,
                                          GError            **error);
gboolean     rx_formulary_set_gtin       (RxDb               *db,
                                          const char         *product_id,
                                          const char         *gtin,
                                          GError            **error);

guint        rx_edit_distance            (const char         *a,
                                          const char         *b,
                                          guint               max);

G_END_DECLS
