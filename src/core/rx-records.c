/* rx-records.c: helpers the record APIs share, so that each of them checks references and
 * state changes the same way and says so in the same words. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-records-private.h"

/* Checks that a live (not deleted) row exists, so a wrong id is reported as “no such
 * patient” rather than as a broken foreign key. `table` is one of core's own table names. */
gboolean
_rx_records_require (RxDb        *db,
                     const char  *table,
                     const char  *id,
                     const char  *what,
                     GError     **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_assert (table != NULL && what != NULL);

  if (id == NULL || *id == '\0')
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "A %s is required; choose one first", what);
      return FALSE;
    }

  sql = g_strdup_printf ("SELECT 1 FROM \"%s\" WHERE id = ?1 AND deleted = 0", table);
  stmt = _rx_db_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;

  _rx_stmt_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return _rx_db_sqlite_error (db, rc, "Looking up a record", error);

  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
               "There is no %s with the id “%s”; choose one from the list, it may have been "
               "removed", what, id);
  return FALSE;
}

/* Runs a query with up to two text parameters that yields one integer (NULL counts as 0). */
gboolean
_rx_records_query_int64 (RxDb        *db,
                         const char  *sql,
                         const char  *arg1,
                         const char  *arg2,
                         gint64      *out,
                         GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_db_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;

  _rx_stmt_bind_text (stmt, 1, arg1);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    _rx_stmt_bind_text (stmt, 2, arg2);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    return _rx_db_sqlite_error (db, rc, "Reading the clinic database", error);

  return TRUE;
}

/* Runs a query with one text parameter that yields one text value or no row (NULL then,
 * without an error unless the query itself failed). */
char *
_rx_records_query_text (RxDb        *db,
                        const char  *sql,
                        const char  *arg,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  char *value = NULL;
  int rc;

  stmt = _rx_db_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;

  _rx_stmt_bind_text (stmt, 1, arg);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _rx_db_sqlite_error (db, rc, "Reading the clinic database", error);

  return value;
}

/* `allowed` is a NULL-terminated list of pairs: from, to, from, to, ... A refusal names the
 * moves that are possible from the current state, so the person knows what to do instead. */
gboolean
_rx_records_check_move (const char * const  *allowed,
                        const char          *what,
                        const char          *from,
                        const char          *to,
                        GError             **error)
{
  g_autoptr(GString) options = g_string_new (NULL);

  for (guint i = 0; allowed[i] != NULL; i += 2)
    {
      g_assert (allowed[i + 1] != NULL);

      if (g_strcmp0 (allowed[i], from) != 0)
        continue;
      if (g_strcmp0 (allowed[i + 1], to) == 0)
        return TRUE;
      g_string_append_printf (options, "%s%s", options->len ? ", " : "", allowed[i + 1]);
    }

  if (options->len == 0)
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
                 "The %s is %s, which is final; it cannot become %s", what, from, to);
  else
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
                 "The %s is %s and cannot become %s; from %s it can only become: %s",
                 what, from, to, from, options->str);
  return FALSE;
}

/* Optional text: NULL and "" both mean “not given” and are stored as NULL. */
char *
_rx_records_dup_optional (const char *text)
{
  g_autofree char *copy = NULL;

  if (text == NULL)
    return NULL;

  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    return NULL;

  return g_steal_pointer (&copy);
}
