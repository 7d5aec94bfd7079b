/* rx-change-log.h: what sync reads: the writes this workstation made that the server has not
 * accepted yet, oldest first. */
#pragma once

#include <glib.h>

#include "rx-types.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  seq;      /* local order */
  char   *op_id;    /* the id the server deduplicates retries by */
  char   *entity;   /* table */
  char   *row_id;
  char   *hlc;
  char   *author;
  char   *payload;  /* JSON object of the columns written */
} RxChange;

void        rx_change_free              (RxChange    *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxChange, rx_change_free)

GPtrArray  *rx_change_log_pending       (RxDb        *db,
                                         gint64       after_seq,
                                         guint        limit,
                                         GError     **error);
gboolean    rx_change_log_mark_pushed   (RxDb        *db,
                                         gint64       seq,
                                         gint64       server_seq,
                                         GError     **error);

G_END_DECLS
