/* rx-stock-private.h: the stock ledger's write path and per-batch balance, for the parts of
 * core that move stock for their own reasons (dispensing, stock-take). */
#pragma once

#include "rx-db-private.h"
#include "rx-stock.h"

G_BEGIN_DECLS

/* A batch's quantity on this workstation's ledger: the sum of its movements. */
gint64    _rx_stock_batch_quantity (RxDb         *db,
                                    const char   *batch_id);

/* Appends one movement in the caller's transaction, without an audit event of its own. */
gboolean  _rx_stock_add_movement   (RxDb         *db,
                                    const char   *batch_id,
                                    const char   *kind,
                                    gint64        quantity,
                                    const char   *reason,
                                    const char   *reference_kind,
                                    const char   *reference_id,
                                    char        **movement_id,
                                    GError      **error);

/* Today's date on the database clock (UTC), "YYYY-MM-DD": a lot whose expiry is on or before
 * it is expired. */
char     *_rx_stock_today          (RxDb         *db);

G_END_DECLS
