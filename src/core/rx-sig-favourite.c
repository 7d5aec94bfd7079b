/* rx-sig-favourite.c: a prescriber's favourite directions. They belong to whoever is acting
 * on the database (rx_db_set_actor): a prescriber lists, saves and removes their own only.
 * Each save or removal is one audited write that syncs like any other. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-formulary.h"
#include "rx-sig-favourite.h"
#include "rx-validate.h"

G_DEFINE_BOXED_TYPE (RxSigFavourite, rx_sig_favourite, rx_sig_favourite_copy,
                     rx_sig_favourite_free)

RxSigFavourite *
rx_sig_favourite_copy (const RxSigFavourite *favourite)
{
  RxSigFavourite *copy = g_memdup2 (favourite, sizeof *favourite);

  copy->id = g_strdup (favourite->id);
  copy->product_id = g_strdup (favourite->product_id);
  copy->label = g_strdup (favourite->label);
  copy->dose = g_strdup (favourite->dose);
  copy->frequency = g_strdup (favourite->frequency);
  copy->route = g_strdup (favourite->route);
  copy->instructions = g_strdup (favourite->instructions);

  return copy;
}

void
rx_sig_favourite_free (RxSigFavourite *favourite)
{
  if (favourite == NULL)
    return;

  g_free (favourite->id);
  g_free (favourite->product_id);
  g_free (favourite->label);
  g_free (favourite->dose);
  g_free (favourite->frequency);
  g_free (favourite->route);
  g_free (favourite->instructions);
  g_free (favourite);
}

static const char *
acting_user (RxDb    *db,
             GError **error)
{
  const char *actor = rx_db_get_actor (db);

  if (!_rx_db_require (db, RX_ACTION_PRESCRIPTION_WRITE, error))
    return NULL;
  if (actor == NULL || *actor == '\0')
    {
      g_set_error_literal (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                           "Favourite directions belong to a prescriber; log in first");
      return NULL;
    }

  return actor;
}

/**
 * rx_sig_favourites_list:
 * @product_or_null: (nullable): only those for this product (id or code)
 *
 * Returns: (transfer full) (element-type RxSigFavourite): the acting prescriber's favourite
 *   directions, by label
 */
GPtrArray *
rx_sig_favourites_list (RxDb        *db,
                        const char  *product_or_null,
                        GError     **error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(RxProduct) product = NULL;
  const char *user;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if ((user = acting_user (db, error)) == NULL)
    return NULL;
  if (product_or_null != NULL &&
      (product = rx_formulary_get (db, product_or_null, error)) == NULL)
    return NULL;

  stmt = _rx_db_prepare (db,
                         "SELECT id, product_id, label, dose, frequency, route, "
                         "  coalesce (duration_days, 0), quantity, repeats, instructions "
                         "FROM sig_favourites WHERE user_id = ?1 AND deleted = 0 "
                         "AND (?2 IS NULL OR product_id = ?2) ORDER BY label, created_at",
                         error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, user);
  _rx_stmt_bind_text (stmt, 2, product ? rx_product_get_id (product) : NULL);

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_sig_favourite_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RxSigFavourite *favourite = g_new0 (RxSigFavourite, 1);

      favourite->id = _rx_stmt_dup_text (stmt, 0);
      favourite->product_id = _rx_stmt_dup_text (stmt, 1);
      favourite->label = _rx_stmt_dup_text (stmt, 2);
      favourite->dose = _rx_stmt_dup_text (stmt, 3);
      favourite->frequency = _rx_stmt_dup_text (stmt, 4);
      favourite->route = _rx_stmt_dup_text (stmt, 5);
      favourite->duration_days = sqlite3_column_int (stmt, 6);
      favourite->quantity = sqlite3_column_int64 (stmt, 7);
      favourite->repeats = sqlite3_column_int (stmt, 8);
      favourite->instructions = _rx_stmt_dup_text (stmt, 9);
      g_ptr_array_add (found, favourite);
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&found);
}

static void
set_text_or_null (RxRow      *row,
                  const char *column,
                  const char *text)
{
  if (text != NULL && *text != '\0')
    _rx_row_set_text (row, column, text);
  else
    _rx_row_set_null (row, column);
}

/**
 * rx_sig_favourites_add:
 * @label: the prescriber's name for these directions
 * @fields: the directions, with the product (id or code)
 *
 * Saves directions as one of the acting prescriber's favourites for the product. A label
 * already used for the same product is refused, so a favourite is never silently replaced.
 *
 * Returns: (transfer full): the new favourite's id, or %NULL with @error set
 */
char *
rx_sig_favourites_add (RxDb                *db,
                       const char          *label,
                       const RxItemFields  *fields,
                       GError             **error)
{
  g_autoptr(RxProduct) product = NULL;
  g_autoptr(RxRow) row = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *now = NULL;
  g_autofree char *detail = NULL;
  const char *user;
  sqlite3_stmt *stmt;
  gboolean taken;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  if ((user = acting_user (db, error)) == NULL)
    return NULL;

  clean = g_strstrip (g_strdup (label ? label : ""));
  if (!rx_validate_text (clean, "The favourite's name", 80, TRUE, error) ||
      !rx_validate_text (fields->dose, "The dose", 100, FALSE, error) ||
      !rx_validate_text (fields->frequency, "The frequency", 100, FALSE, error) ||
      !rx_validate_text (fields->route, "The route", 50, FALSE, error) ||
      !rx_validate_text (fields->instructions, "The instructions", 500, FALSE, error))
    return NULL;
  if (fields->quantity <= 0 || fields->repeats < 0 || fields->repeats > 12 ||
      fields->duration_days < 0)
    {
      g_set_error_literal (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                           "A favourite needs a quantity above zero, 0 to 12 repeats and no "
                           "negative duration");
      return NULL;
    }
  if (fields->product == NULL || (product = rx_formulary_get (db, fields->product, error)) == NULL)
    {
      if (fields->product == NULL)
        g_set_error_literal (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                             "A favourite is for one medicine; choose it from the formulary");
      return NULL;
    }

  stmt = _rx_db_prepare (db, "SELECT count(*) FROM sig_favourites WHERE user_id = ?1 AND "
                             "product_id = ?2 AND label = ?3 AND deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, user);
  _rx_stmt_bind_text (stmt, 2, rx_product_get_id (product));
  _rx_stmt_bind_text (stmt, 3, clean);
  taken = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) > 0;
  sqlite3_reset (stmt);
  if (taken)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_EXISTS,
                   "You already have favourite directions called “%s” for this medicine; "
                   "choose another name", clean);
      return NULL;
    }

  now = rx_db_now_iso (db);
  row = _rx_row_new_insert ("sig_favourites");
  _rx_row_set_text (row, "user_id", user);
  _rx_row_set_text (row, "product_id", rx_product_get_id (product));
  _rx_row_set_text (row, "label", clean);
  set_text_or_null (row, "dose", fields->dose);
  set_text_or_null (row, "frequency", fields->frequency);
  set_text_or_null (row, "route", fields->route);
  if (fields->duration_days > 0)
    _rx_row_set_int (row, "duration_days", fields->duration_days);
  else
    _rx_row_set_null (row, "duration_days");
  _rx_row_set_int (row, "quantity", fields->quantity);
  _rx_row_set_int (row, "repeats", fields->repeats);
  set_text_or_null (row, "instructions", fields->instructions);
  _rx_row_set_text (row, "created_at", now);

  detail = g_strdup_printf ("%s for %s", clean, rx_product_get_code (product));
  if (!_rx_db_put_audited (db, row, "create", detail, error))
    return NULL;

  return g_strdup (_rx_row_get_id (row));
}

/* Removes one of the acting prescriber's favourites (a tombstone, so it goes everywhere). */
gboolean
rx_sig_favourites_remove (RxDb        *db,
                          const char  *id,
                          GError     **error)
{
  g_autoptr(RxRow) row = NULL;
  const char *user;
  sqlite3_stmt *stmt;
  gboolean mine;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if ((user = acting_user (db, error)) == NULL)
    return FALSE;

  stmt = _rx_db_prepare (db, "SELECT count(*) FROM sig_favourites WHERE id = ?1 AND "
                             "user_id = ?2 AND deleted = 0", error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, id);
  _rx_stmt_bind_text (stmt, 2, user);
  mine = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) > 0;
  sqlite3_reset (stmt);
  if (!mine)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There are no favourite directions “%s” of yours to remove", id);
      return FALSE;
    }

  row = _rx_row_new_update ("sig_favourites", id);
  _rx_row_set_int (row, "deleted", 1);
  return _rx_db_put_audited (db, row, "delete", NULL, error);
}
