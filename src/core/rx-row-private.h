/* rx-row-private.h: the inside of RxRow, for rx-db.c. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RX_COLUMN_NULL,
  RX_COLUMN_TEXT,
  RX_COLUMN_INT,
} RxColumnType;

typedef struct
{
  const char   *name;
  RxColumnType  type;
  char         *text;
  gint64        integer;
} RxColumn;

struct _RxRow
{
  const char *table;
  char       *id;
  gboolean    is_insert;
  GArray     *columns;  /* of RxColumn */
};

G_END_DECLS
