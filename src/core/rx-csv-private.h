/* rx-csv-private.h: reading the reference-data CSV files (RFC 4180, through libcsv). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GPtrArray  *_rx_csv_read         (const char          *path,
                                  GError             **error);
GPtrArray  *_rx_csv_parse        (const char          *contents,
                                  gsize                length,
                                  const char          *name,
                                  GArray              *lines,
                                  GError             **error);
gboolean    _rx_csv_map_columns  (GPtrArray           *header,
                                  const char * const  *wanted,
                                  int                 *index,
                                  const char          *file,
                                  const char          *readme,
                                  GError             **error);
const char *_rx_csv_cell         (GPtrArray           *row,
                                  int                  index);
gboolean    _rx_csv_row_is_blank (GPtrArray           *row);

G_END_DECLS
