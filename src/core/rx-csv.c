/* rx-csv.c: reading the reference-data CSV files with libcsv: RFC 4180 quoting, embedded
 * commas and newlines, CRLF or LF. Used by the formulary and the safety-rule loaders. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <csv.h>

#include "rx-core-error.h"
#include "rx-csv-private.h"

typedef struct
{
  GPtrArray *rows;     /* of GPtrArray of char* */
  GPtrArray *current;
} CsvTable;

static void
csv_on_field (void   *data,
              size_t  len,
              void   *user_data)
{
  CsvTable *t = user_data;

  if (t->current == NULL)
    t->current = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (t->current, g_strndup (data ? data : "", len));
}

static void
csv_on_row (int   c,
            void *user_data)
{
  CsvTable *t = user_data;

  if (t->current == NULL)
    t->current = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (t->rows, t->current);
  t->current = NULL;
}

/* Reads a whole CSV file into rows of fields (the header is row 0). */
GPtrArray *
_rx_csv_read (const char  *path,
              GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  struct csv_parser parser;
  CsvTable t = { NULL, NULL };

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  if (!g_utf8_validate (contents, length, NULL))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "“%s” is not UTF-8 text; save it as UTF-8 CSV and try again", path);
      return NULL;
    }

  if (csv_init (&parser, CSV_STRICT | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
    g_error ("Cannot initialise the CSV reader");

  t.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  if (csv_parse (&parser, contents, length, csv_on_field, csv_on_row, &t) != length ||
      csv_fini (&parser, csv_on_field, csv_on_row, &t) != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "“%s” is not valid CSV (%s) after row %u; check the quotes on that line",
                   path, csv_strerror (csv_error (&parser)), t.rows->len);
      csv_free (&parser);
      g_clear_pointer (&t.current, g_ptr_array_unref);
      g_ptr_array_unref (t.rows);
      return NULL;
    }
  csv_free (&parser);

  return t.rows;
}

/* Finds each wanted header name's column; a missing one is an error naming it. */
gboolean
_rx_csv_map_columns (GPtrArray          *header,
                     const char * const *wanted,
                     int                *index,
                     const char         *file,
                     const char         *readme,
                     GError            **error)
{
  for (guint w = 0; wanted[w]; w++)
    {
      index[w] = -1;
      for (guint i = 0; i < header->len; i++)
        if (g_strcmp0 (g_strstrip ((char *) header->pdata[i]), wanted[w]) == 0)
          index[w] = i;
      if (index[w] < 0)
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "%s has no “%s” column; see %s for the columns",
                       file, wanted[w], readme);
          return FALSE;
        }
    }

  return TRUE;
}

const char *
_rx_csv_cell (GPtrArray *row,
              int        index)
{
  if (index < 0 || (guint) index >= row->len || row->pdata[index] == NULL)
    return "";
  return g_strstrip ((char *) row->pdata[index]);
}

gboolean
_rx_csv_row_is_blank (GPtrArray *row)
{
  return row->len == 1 && *_rx_csv_cell (row, 0) == '\0';
}
