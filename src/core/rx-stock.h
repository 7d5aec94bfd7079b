/* rx-stock.h: the stock ledger: batches (lot, expiry) and signed movements; the quantity on
 * hand is always the sum of movements, never a stored number. */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"

G_BEGIN_DECLS

#define RX_TYPE_BATCH (rx_batch_get_type ())
G_DECLARE_FINAL_TYPE (RxBatch, rx_batch, RX, BATCH, GObject)

typedef struct
{
  const char *product;          /* product id or code */
  const char *lot;
  const char *expiry;           /* YYYY-MM-DD */
  gint64      quantity;         /* in the product's pack unit (tablets, mL...), > 0 */
  gint64      unit_cost_minor;  /* -1 when not known */
  const char *supplier;
  const char *gtin;
  const char *serial;
} RxStockReceipt;

const char  *rx_batch_get_id            (RxBatch *self);
const char  *rx_batch_get_product_id    (RxBatch *self);
const char  *rx_batch_get_product_name  (RxBatch *self);
const char  *rx_batch_get_lot           (RxBatch *self);
const char  *rx_batch_get_expiry        (RxBatch *self);
gint64       rx_batch_get_quantity      (RxBatch *self);
gint64       rx_batch_get_unit_cost     (RxBatch *self);
const char  *rx_batch_get_supplier      (RxBatch *self);

char        *rx_stock_receive           (RxDb                 *db,
                                         const RxStockReceipt *receipt,
                                         GError              **error);
gboolean     rx_stock_adjust            (RxDb                 *db,
                                         const char           *product,
                                         const char           *lot,
                                         gint64                delta,
                                         const char           *reason,
                                         GError              **error);
GListModel  *rx_stock_list              (RxDb                 *db,
                                         const char           *product_or_null,
                                         int                   expiring_within_days,
                                         GError              **error);
gint64       rx_stock_on_hand           (RxDb                 *db,
                                         const char           *product_id);

/* Stock-take, reorder report, export, history (rx-stock-take.c) ------------------------ */

/* One counted lot. */
typedef struct
{
  const char *product;  /* id or code; NULL when the lot number alone names one lot here */
  const char *lot;
  gint64      counted;  /* what is on the shelf, >= 0 */
} RxStockCount;

/* One lot of a stock-take: what the ledger said, what was counted, and the difference that
 * was recorded (nothing when it is 0). */
typedef struct
{
  char   *batch_id;
  char   *product_code;
  char   *product_name;
  char   *lot;
  char   *expiry;
  gint64  expected;
  gint64  counted;
  gint64  difference;
} RxStockCounted;

#define RX_TYPE_STOCK_COUNTED (rx_stock_counted_get_type ())
GType           rx_stock_counted_get_type (void) G_GNUC_CONST;
RxStockCounted *rx_stock_counted_copy     (const RxStockCounted *counted);
void            rx_stock_counted_free     (RxStockCounted       *counted);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxStockCounted, rx_stock_counted_free)

/* A product at or below its reorder level (only products that have one, > 0). */
typedef struct
{
  char   *product_id;
  char   *product_code;
  char   *product_name;
  gint64  reorder_level;
  gint64  on_hand;       /* in date, at this site */
  gint64  expired;       /* expired stock still on the ledger here, not counted above */
} RxReorderLine;

#define RX_TYPE_REORDER_LINE (rx_reorder_line_get_type ())
GType          rx_reorder_line_get_type   (void) G_GNUC_CONST;
RxReorderLine *rx_reorder_line_copy       (const RxReorderLine *line);
void           rx_reorder_line_free       (RxReorderLine       *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxReorderLine, rx_reorder_line_free)

/* One movement of a product's ledger. */
typedef struct
{
  char   *id;
  char   *at;
  char   *lot;
  char   *expiry;
  char   *kind;            /* receive, dispense, adjust, return, expire, sale */
  gint64  quantity;        /* signed */
  char   *reason;
  char   *reference_kind;  /* "dispensing" for a dispense */
  char   *reference_id;
  gint64  balance;         /* the lot's quantity after this movement */
} RxStockMovement;

#define RX_TYPE_STOCK_MOVEMENT (rx_stock_movement_get_type ())
GType            rx_stock_movement_get_type (void) G_GNUC_CONST;
RxStockMovement *rx_stock_movement_copy   (const RxStockMovement *movement);
void             rx_stock_movement_free   (RxStockMovement       *movement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxStockMovement, rx_stock_movement_free)

/* Records a count of some of this site's lots in one transaction: each lot whose count
 * differs from its ledger gets an 'adjust' movement of the difference, reason "stock take",
 * audited; lots not counted are left alone. Returns every counted lot (element-type
 * RxStockCounted) in the order given, or NULL with nothing recorded. */
GPtrArray   *rx_stock_take              (RxDb                 *db,
                                         const RxStockCount   *counts,
                                         guint                 n_counts,
                                         GError              **error);
/* Products at or below their reorder level at this site, the furthest below first. */
GPtrArray   *rx_stock_reorder_report    (RxDb                 *db,
                                         GError              **error);
/* This site's lots with stock, nearest expiry first, as CSV with a header row: product_code,
 * product, lot, expiry, quantity, state (in_date, expiring_soon, expired), unit_cost_minor,
 * supplier. Text is quoted; numbers are not. Filters as rx_stock_list(). */
char        *rx_stock_export_csv        (RxDb                 *db,
                                         const char           *product_or_null,
                                         int                   expiring_within_days,
                                         GError              **error);
/* A product's movements at this site, newest first, each with its lot's balance after it. */
GPtrArray   *rx_stock_history           (RxDb                 *db,
                                         const char           *product,
                                         guint                 limit,
                                         GError              **error);

/* Stock levels, a page at a time (rx-stock-levels.c) ----------------------------------- */

/* One product of the formulary with its stock at this site. */
typedef struct
{
  char   *product_id;
  char   *product_code;
  char   *product_name;    /* "amoxicillin 500 mg capsule" */
  gint64  reorder_level;   /* 0: none set */
  gint64  on_hand;         /* the sum of its lots' movements here, expired lots included */
  gint64  expired;         /* of which in lots past their expiry */
  gint64  value_minor;     /* on hand × each lot's unit cost, where known */
  char   *nearest_expiry;  /* of a lot with stock; NULL when there is none */
  guint   lots;            /* lots with stock */
} RxStockLevel;

#define RX_TYPE_STOCK_LEVEL (rx_stock_level_get_type ())
GType         rx_stock_level_get_type   (void) G_GNUC_CONST;
RxStockLevel *rx_stock_level_copy       (const RxStockLevel *level);
void          rx_stock_level_free       (RxStockLevel       *level);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxStockLevel, rx_stock_level_free)

/* How many products match `filter` (part of a product code or name; NULL or "" for all). */
gint64       rx_stock_levels_count      (RxDb                 *db,
                                         const char           *filter,
                                         GError              **error);
/* Products `offset` to `offset + limit` of those matching, by product code, with their
 * stock here: cheap for any page, so a list can fetch just the rows on screen. */
GPtrArray   *rx_stock_levels            (RxDb                 *db,
                                         const char           *filter,
                                         guint                 offset,
                                         guint                 limit,
                                         GError              **error);
/* The same rows by key: the keys of every product matching, in order, once; then any page of
 * them (at most 1000) whatever its place, at the cost of its own rows. */
GArray      *rx_stock_level_keys        (RxDb                 *db,
                                         const char           *filter,
                                         GError              **error);
GPtrArray   *rx_stock_levels_by_key     (RxDb                 *db,
                                         const gint64         *keys,
                                         guint                 n_keys,
                                         GError              **error);

G_END_DECLS
