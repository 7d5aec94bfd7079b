/* rx-csv.c: reading the reference-data CSV files with libcsv: RFC 4180 quoting, embedded
 * commas and newlines, CRLF or LF. Used by the formulary and the safety-rule loaders. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <csv.h>
#include <string.h>

#include "rx-core-error.h"
#include "rx-csv-private.h"

typedef struct
{
  GPtrArray *rows;     /* of GPtrArray of char* */
  GPtrArray *current;
  GArray    *lines;    /* where each row starts, or NULL when nobody asked */
  guint      line;     /* the physical line being fed */
  guint      start;    /* the current row's first line */
} CsvTable;

static void
csv_on_field (void   *data,
              size_t  len,
              void   *user_data)
{
  CsvTable *t = user_data;

  if (t->current == NULL)
    {
      t->current = g_ptr_array_new_with_free_func (g_free);
      /* a quoted field may span lines: the row began that many lines back */
      t->start = t->line;
      for (size_t i = 0; data != NULL && i < len; i++)
        t->start -= ((const char *) data)[i] == '\n' && t->start > 1;
    }
  g_ptr_array_add (t->current, g_strndup (data ? data : "", len));
}

static void
csv_on_row (int   c,
            void *user_data)
{
  CsvTable *t = user_data;

  if (t->current == NULL)
    {
      t->current = g_ptr_array_new_with_free_func (g_free);
      t->start = t->line;
    }
  g_ptr_array_add (t->rows, t->current);
  if (t->lines != NULL)
    g_array_append_val (t->lines, t->start);
  t->current = NULL;
}

/* Parses CSV text into rows of fields (the header is row 0). With @lines, also where each
 * row starts in the text (1-based physical lines; quoted fields may hold newlines). It is
 * fed a line at a time so that the line numbers are exact. */
GPtrArray *
_rx_csv_parse (const char  *contents,
               gsize        length,
               const char  *name,
               GArray      *lines,
               GError     **error)
{
  struct csv_parser parser;
  CsvTable t = { NULL, NULL, lines, 0, 1 };
  gsize pos = 0;
  gboolean ok = TRUE;

  if (!g_utf8_validate (contents, length, NULL))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "“%s” is not UTF-8 text; save it as UTF-8 CSV and try again", name);
      return NULL;
    }

  if (csv_init (&parser, CSV_STRICT | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
    g_error ("Cannot initialise the CSV reader");

  t.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  while (ok && pos < length)
    {
      const char *nl = memchr (contents + pos, '\n', length - pos);
      gsize chunk = nl ? (gsize) (nl - (contents + pos)) + 1 : length - pos;

      t.line++;
      ok = csv_parse (&parser, contents + pos, chunk, csv_on_field, csv_on_row, &t) == chunk;
      pos += chunk;
    }
  if (!ok || csv_fini (&parser, csv_on_field, csv_on_row, &t) != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "“%s” is not valid CSV (%s) at line %u; check the quotes on that line",
                   name, csv_strerror (csv_error (&parser)), MAX (t.line, 1));
      csv_free (&parser);
      g_clear_pointer (&t.current, g_ptr_array_unref);
      g_ptr_array_unref (t.rows);
      return NULL;
    }
  csv_free (&parser);

  return t.rows;
}

/* Reads a whole CSV file into rows of fields (the header is row 0). */
GPtrArray *
_rx_csv_read (const char  *path,
              GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  return _rx_csv_parse (contents, length, path, NULL, error);
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
