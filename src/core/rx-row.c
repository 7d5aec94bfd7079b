/* rx-row.c: a row about to be written: its table, its id and the columns that change.
 * Table and column names come from core's own code, never from input; values are bound. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-db-private.h"
#include "rx-row-private.h"

static void
column_clear (gpointer data)
{
  RxColumn *col = data;

  g_free (col->text);
}

static RxRow *
row_new (const char *table,
         const char *id,
         gboolean    is_insert)
{
  RxRow *row = g_new0 (RxRow, 1);

  row->table = table;
  row->id = g_strdup (id);
  row->is_insert = is_insert;
  row->columns = g_array_new (FALSE, TRUE, sizeof (RxColumn));
  g_array_set_clear_func (row->columns, column_clear);

  return row;
}

RxRow *
_rx_row_new_insert (const char *table)
{
  return row_new (table, NULL, TRUE);
}

RxRow *
_rx_row_new_insert_with_id (const char *table,
                            const char *id)
{
  return row_new (table, id, TRUE);
}

RxRow *
_rx_row_new_update (const char *table,
                    const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return row_new (table, id, FALSE);
}

void
_rx_row_free (RxRow *row)
{
  if (row == NULL)
    return;

  g_array_unref (row->columns);
  g_free (row->id);
  g_free (row);
}

static void
add (RxRow        *row,
     const char   *column,
     RxColumnType  type,
     const char   *text,
     gint64        integer)
{
  RxColumn col = { column, type, g_strdup (text), integer };

  g_return_if_fail (row != NULL);
  g_return_if_fail (column != NULL);

  g_array_append_val (row->columns, col);
}

void
_rx_row_set_text (RxRow      *row,
                  const char *column,
                  const char *value)
{
  if (value == NULL)
    add (row, column, RX_COLUMN_NULL, NULL, 0);
  else
    add (row, column, RX_COLUMN_TEXT, value, 0);
}

void
_rx_row_set_int (RxRow      *row,
                 const char *column,
                 gint64      value)
{
  add (row, column, RX_COLUMN_INT, NULL, value);
}

void
_rx_row_set_null (RxRow      *row,
                  const char *column)
{
  add (row, column, RX_COLUMN_NULL, NULL, 0);
}

const char *
_rx_row_get_id (RxRow *row)
{
  return row->id;
}

const char *
_rx_row_get_table (RxRow *row)
{
  return row->table;
}
