/* rx-conflict.h: what merging found and would not decide alone (an item dispensed beyond
 * its prescription, a batch below zero, a refused status change), and their resolution. */
#pragma once

#include <glib.h>

#include "rx-types.h"

G_BEGIN_DECLS

typedef struct
{
  char *id;
  char *kind;         /* over_dispense, negative_stock, status */
  char *entity;
  char *entity_id;
  char *detail;
  char *state;        /* open, resolved */
  char *detected_at;
  char *resolution;   /* acknowledged, corrected, recovered, written_off */
  char *note;
  char *resolved_by;
  char *resolved_at;
} RxConflict;

void        rx_conflict_free         (RxConflict  *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxConflict, rx_conflict_free)

GPtrArray  *rx_conflicts_list        (RxDb        *db,
                                      gboolean     open_only,
                                      GError     **error);
gint64      rx_conflicts_count_open  (RxDb        *db);
gboolean    rx_conflicts_resolve     (RxDb        *db,
                                      const char  *id,
                                      const char  *action,
                                      const char  *note,
                                      GError     **error);

G_END_DECLS
