/* rx-formulary.c: searching the formulary as the prescriber types, with prefixes, other
 * names and brand names, and one typo forgiven per word; looking products up; editing prices
 * and reorder levels. Loading is in rx-formulary-load.c. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-formulary.h"
#include "rx-gs1.h"
#include "rx-validate.h"

/* Search ---------------------------------------------------------------------------------- */

/* Optimal string alignment distance over Unicode characters, giving up past max. */
guint
rx_edit_distance (const char *a,
                  const char *b,
                  guint       max)
{
  g_autofree gunichar *ua = NULL;
  g_autofree gunichar *ub = NULL;
  g_autofree guint *d = NULL;
  glong la, lb;
  guint result;

  ua = g_utf8_to_ucs4_fast (a, -1, &la);
  ub = g_utf8_to_ucs4_fast (b, -1, &lb);
  if ((guint) ABS (la - lb) > max)
    return max + 1;

#define D(i, j) d[(i) * (lb + 1) + (j)]
  d = g_new (guint, (la + 1) * (lb + 1));
  for (glong i = 0; i <= la; i++)
    D (i, 0) = i;
  for (glong j = 0; j <= lb; j++)
    D (0, j) = j;

  for (glong i = 1; i <= la; i++)
    for (glong j = 1; j <= lb; j++)
      {
        guint cost = ua[i - 1] == ub[j - 1] ? 0 : 1;
        guint v = MIN (MIN (D (i - 1, j) + 1, D (i, j - 1) + 1), D (i - 1, j - 1) + cost);

        if (i > 1 && j > 1 && ua[i - 1] == ub[j - 2] && ua[i - 2] == ub[j - 1])
          v = MIN (v, D (i - 2, j - 2) + 1);
        D (i, j) = v;
      }

  result = D (la, lb);
#undef D

  return MIN (result, max + 1);
}

typedef struct
{
  char   *term;
  guint   distance;
  gint64  docs;
} Candidate;

static void
candidate_free (gpointer data)
{
  Candidate *c = data;

  g_free (c->term);
  g_free (c);
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *x = *(Candidate * const *) a;
  const Candidate *y = *(Candidate * const *) b;

  if (x->distance != y->distance)
    return x->distance < y->distance ? -1 : 1;
  if (x->docs != y->docs)
    return x->docs > y->docs ? -1 : 1;
  return g_strcmp0 (x->term, y->term);
}

/* Words of the index within one edit of a typed word: as whole words, and (for the word
 * still being typed) as the start of a longer word. Best first: fewest edits, then the word
 * found in most products. */
static GPtrArray *
typo_candidates (RxDb       *db,
                 const char *token,
                 gboolean    is_last)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (candidate_free);
  glong len = g_utf8_strlen (token, -1);
  sqlite3_stmt *stmt;

  if (len < 4)
    return out;  /* short words: too many near neighbours to guess */

  stmt = _rx_db_prepare (db, "SELECT term, sum (doc) FROM drug_fts_vocab "
                             "WHERE col = 'name' OR col = 'synonyms' GROUP BY term", NULL);
  if (stmt == NULL)
    return out;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *term = (const char *) sqlite3_column_text (stmt, 0);
      guint best = rx_edit_distance (token, term, 1);

      if (best > 0 && is_last)
        {
          /* compare with the term's start, one character shorter, equal or longer */
          for (glong extra = -1; extra <= 1 && best > 0; extra++)
            {
              glong n = len + extra;
              g_autofree char *prefix = NULL;

              if (n <= 0 || n >= g_utf8_strlen (term, -1))
                continue;
              prefix = g_utf8_substring (term, 0, n);
              best = MIN (best, rx_edit_distance (token, prefix, 1));
            }
        }

      if (best <= 1 && g_strcmp0 (term, token) != 0)
        {
          Candidate *c = g_new0 (Candidate, 1);

          c->term = g_strdup (term);
          c->distance = best;
          c->docs = sqlite3_column_int64 (stmt, 1);
          g_ptr_array_add (out, c);
        }
    }
  sqlite3_reset (stmt);

  g_ptr_array_sort (out, compare_candidates);

  return out;
}

typedef enum
{
  MATCH_EXACT,  /* the words as typed, each as a prefix */
  MATCH_BEST,   /* each word replaced by its best correction, if it has one */
  MATCH_ANY,    /* each word or any of its corrections */
} MatchKind;

static char *
build_match (RxDb      *db,
             GStrv      tokens,
             MatchKind  kind)
{
  GString *match = g_string_new (NULL);
  guint n = g_strv_length (tokens);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *quoted = rx_fts_quote (tokens[i]);
      g_autoptr(GPtrArray) alts = NULL;

      if (match->len)
        g_string_append (match, " AND ");

      if (kind == MATCH_EXACT)
        {
          g_string_append_printf (match, "%s*", quoted);
          continue;
        }

      alts = typo_candidates (db, tokens[i], i == n - 1);
      if (kind == MATCH_BEST)
        {
          if (alts->len > 0)
            {
              g_autofree char *q = rx_fts_quote (((Candidate *) alts->pdata[0])->term);

              g_string_append_printf (match, "%s%s", q, i == n - 1 ? "*" : "");
            }
          else
            g_string_append_printf (match, "%s*", quoted);
          continue;
        }

      g_string_append_printf (match, "(%s*", quoted);
      for (guint a = 0; a < alts->len; a++)
        {
          g_autofree char *q = rx_fts_quote (((Candidate *) alts->pdata[a])->term);

          g_string_append_printf (match, " OR %s%s", q, i == n - 1 ? "*" : "");
        }
      g_string_append (match, ")");
    }

  return g_string_free (match, FALSE);
}

#define PRODUCT_SELECT \
  "SELECT p.id, p.code, p.drug_id, d.inn, p.atc, p.form, p.strength, p.route, " \
  "  (SELECT group_concat (s.name, ', ') FROM drug_synonyms s " \
  "   WHERE s.drug_id = d.id AND s.deleted = 0), " \
  "  p.rx_only, p.controlled, p.eml, p.reorder_level, " \
  "  (SELECT sum (m.quantity) FROM stock_batches b JOIN stock_movements m ON m.batch_id = b.id " \
  "   WHERE b.product_id = p.id AND b.deleted = 0 AND m.deleted = 0), " \
  "  (SELECT min (b.expiry) FROM stock_batches b WHERE b.product_id = p.id AND b.deleted = 0 " \
  "   AND (SELECT sum (m.quantity) FROM stock_movements m " \
  "        WHERE m.batch_id = b.id AND m.deleted = 0) > 0) "

static RxProduct *
product_from_stmt (sqlite3_stmt *stmt)
{
  const char *c[13];
  RxProduct *product;

  for (guint i = 0; i < G_N_ELEMENTS (c); i++)
    c[i] = (const char *) sqlite3_column_text (stmt, i);

  product = _rx_product_new (c);
  _rx_product_set_stock (product,
                         sqlite3_column_type (stmt, 13) == SQLITE_NULL
                           ? 0 : sqlite3_column_int64 (stmt, 13),
                         (const char *) sqlite3_column_text (stmt, 14));

  return product;
}

static gboolean
load_packs (RxDb       *db,
            RxProduct  *product,
            GError    **error)
{
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db,
                         "SELECT id, size, unit, price_minor FROM packs "
                         "WHERE product_id = ?1 AND deleted = 0 ORDER BY size", error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, rx_product_get_id (product));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RxPack *pack = g_new0 (RxPack, 1);

      pack->id = _rx_stmt_dup_text (stmt, 0);
      pack->size = sqlite3_column_int64 (stmt, 1);
      pack->unit = _rx_stmt_dup_text (stmt, 2);
      pack->price_minor = sqlite3_column_int64 (stmt, 3);
      _rx_product_add_pack (product, pack);
    }
  sqlite3_reset (stmt);

  return TRUE;
}

static gboolean
run_search (RxDb        *db,
            const char  *match,
            guint        limit,
            GListStore  *store,
            GHashTable  *seen,
            GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_db_prepare (db,
                         PRODUCT_SELECT
                         "FROM drug_fts f JOIN products p ON p.rowid = f.rowid "
                         "JOIN drugs d ON d.id = p.drug_id "
                         "WHERE drug_fts MATCH ?1 AND p.deleted = 0 "
                         "ORDER BY bm25 (drug_fts, 10.0, 6.0, 1.0), d.inn, "
                         "CAST (p.strength AS REAL), p.form "
                         "LIMIT ?2", error);
  if (stmt == NULL)
    return FALSE;

  _rx_stmt_bind_text (stmt, 1, match);
  sqlite3_bind_int (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW &&
         g_list_model_get_n_items (G_LIST_MODEL (store)) < limit)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(RxProduct) product = NULL;

      if (g_hash_table_contains (seen, id))
        continue;
      product = product_from_stmt (stmt);
      if (!load_packs (db, product, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      g_hash_table_add (seen, g_strdup (id));
      g_list_store_append (store, product);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _rx_db_sqlite_error (db, rc, "Searching the formulary", error);

  return TRUE;
}

/* Exact and prefix matches first; if they do not fill the page, words within one typo. The
 * typo passes only run when the exact one leaves room, so typing a known name stays cheap. */
GListModel *
rx_formulary_search (RxDb        *db,
                     const char  *text,
                     guint        limit,
                     GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_PRODUCT);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) tokens = rx_search_tokens (text);
  g_autofree char *previous = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (limit == 0)
    limit = 20;
  if (tokens[0] == NULL)
    return G_LIST_MODEL (g_steal_pointer (&store));

  /* Exact prefixes first; then the likeliest correction; then any near word. */
  for (MatchKind kind = MATCH_EXACT; kind <= MATCH_ANY; kind++)
    {
      g_autofree char *match = NULL;

      if (g_list_model_get_n_items (G_LIST_MODEL (store)) >= limit)
        break;

      match = build_match (db, tokens, kind);
      if (g_strcmp0 (match, previous) == 0)
        continue;
      if (!run_search (db, match, limit, store, seen, error))
        return NULL;
      g_free (previous);
      previous = g_steal_pointer (&match);
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}

RxProduct *
rx_formulary_get (RxDb        *db,
                  const char  *id_or_code,
                  GError     **error)
{
  g_autoptr(RxProduct) product = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (id_or_code != NULL, NULL);

  stmt = _rx_db_prepare (db,
                         PRODUCT_SELECT
                         "FROM products p JOIN drugs d ON d.id = p.drug_id "
                         "WHERE (p.id = ?1 OR p.code = ?1) AND p.deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, id_or_code);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    product = product_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (product == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "No product has the id or code “%s”; search the formulary by name",
                   id_or_code);
      return NULL;
    }

  if (!load_packs (db, product, error))
    return NULL;

  return g_steal_pointer (&product);
}

/* Closest medicine names for "did you mean…?", best first, without repeats. */
GStrv
rx_formulary_suggest (RxDb       *db,
                      const char *text,
                      guint       max)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GListModel) found = rx_formulary_search (db, text, 20, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; found && i < g_list_model_get_n_items (found) && names->len < max; i++)
    {
      g_autoptr(RxProduct) p = g_list_model_get_item (found, i);
      const char *inn = rx_product_get_inn (p);

      if (!g_ptr_array_find_with_equal_func (names, inn, g_str_equal, NULL))
        {
          g_ptr_array_add (names, (gpointer) inn);
          g_strv_builder_add (builder, inn);
        }
    }

  return g_strv_builder_end (builder);
}

/* What "drug show NAME" means: a product by id or code; else every product of the medicine
 * whose generic name, other name or brand is exactly NAME; else the best search match. */
GListModel *
rx_formulary_lookup (RxDb        *db,
                     const char  *query,
                     GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_PRODUCT);
  g_autoptr(RxProduct) one = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *drug_id = NULL;
  g_autofree char *clean = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  one = rx_formulary_get (db, query, NULL);
  if (one != NULL)
    {
      g_list_store_append (store, one);
      return G_LIST_MODEL (g_steal_pointer (&store));
    }

  stmt = _rx_db_prepare (db,
                         "SELECT id FROM drugs WHERE inn = lower (?1) AND deleted = 0 "
                         "UNION ALL "
                         "SELECT drug_id FROM drug_synonyms WHERE lower (name) = lower (?1) "
                         "AND deleted = 0 LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  clean = g_strstrip (g_strdup (query));
  _rx_stmt_bind_text (stmt, 1, clean);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    drug_id = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  if (drug_id == NULL)
    {
      g_autoptr(GListModel) found = rx_formulary_search (db, query, 1, error);
      g_autoptr(RxProduct) best = NULL;

      if (found == NULL)
        return NULL;
      if (g_list_model_get_n_items (found) == 0)
        {
          g_auto(GStrv) near = rx_formulary_suggest (db, query, 3);
          g_autofree char *list = g_strjoinv (", ", near);

          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                       near[0] ? "No medicine matches “%s”; did you mean %s?"
                               : "No medicine matches “%s”%s; check the spelling",
                       query, list);
          return NULL;
        }
      best = g_list_model_get_item (found, 0);
      drug_id = g_strdup (rx_product_get_drug_id (best));
    }

  stmt = _rx_db_prepare (db, "SELECT id FROM products WHERE drug_id = ?1 AND deleted = 0 "
                             "ORDER BY form, CAST (strength AS REAL), strength", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, drug_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, _rx_stmt_dup_text (stmt, 0));
  sqlite3_reset (stmt);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RxProduct) p = rx_formulary_get (db, ids->pdata[i], error);

      if (p == NULL)
        return NULL;
      g_list_store_append (store, p);
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/* Editing --------------------------------------------------------------------------------- */

gboolean
rx_formulary_set_price (RxDb        *db,
                        const char  *product_id,
                        gint64       pack_size,
                        gint64       price_minor,
                        GError     **error)
{
  g_autofree char *pack_id = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(RxRow) row = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (!_rx_db_require (db, RX_ACTION_FORMULARY_WRITE, error))
    return FALSE;

  if (price_minor < 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "A price cannot be negative");
      return FALSE;
    }

  stmt = _rx_db_prepare (db, "SELECT id FROM packs WHERE product_id = ?1 AND size = ?2 "
                             "AND deleted = 0", error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, product_id);
  sqlite3_bind_int64 (stmt, 2, pack_size);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    pack_id = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  if (pack_id == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "That product has no pack of %" G_GINT64_FORMAT, pack_size);
      return FALSE;
    }

  row = _rx_row_new_update ("packs", pack_id);
  _rx_row_set_int (row, "price_minor", price_minor);
  detail = g_strdup_printf ("price %" G_GINT64_FORMAT, price_minor);

  return _rx_db_put_audited (db, row, "update", detail, error);
}

gboolean
rx_formulary_set_reorder_level (RxDb        *db,
                                const char  *product_id,
                                gint64       level,
                                GError     **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (!_rx_db_require (db, RX_ACTION_FORMULARY_WRITE, error))
    return FALSE;

  if (level < 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "A reorder level cannot be negative");
      return FALSE;
    }

  row = _rx_row_new_update ("products", product_id);
  _rx_row_set_int (row, "reorder_level", level);
  detail = g_strdup_printf ("reorder level %" G_GINT64_FORMAT, level);

  return _rx_db_put_audited (db, row, "update", detail, error);
}

/* @rate_bp: basis points (2000 = 20 %), or -1 for the clinic's default rate. Invoices
 * already issued keep the rate their lines were sold at. */
gboolean
rx_formulary_set_tax_rate (RxDb        *db,
                           const char  *product_id,
                           int          rate_bp,
                           GError     **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (!_rx_db_require (db, RX_ACTION_FORMULARY_WRITE, error))
    return FALSE;

  if (rate_bp < -1 || rate_bp > 10000)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "A tax rate of %d basis points is impossible; give 0 to 10000 "
                   "(2000 is 20 %%), or -1 for the clinic's default", rate_bp);
      return FALSE;
    }

  row = _rx_row_new_update ("products", product_id);
  if (rate_bp < 0)
    _rx_row_set_null (row, "tax_rate_bp");
  else
    _rx_row_set_int (row, "tax_rate_bp", rate_bp);
  detail = g_strdup_printf ("tax rate %d bp", rate_bp);

  return _rx_db_put_audited (db, row, "update", detail, error);
}

/* Packs are scanned by GTIN; the first time a GTIN is met the pharmacist says which product
 * it is, and RxDesk remembers it for every later scan. */
RxProduct *
rx_formulary_find_gtin (RxDb        *db,
                        const char  *gtin,
                        GError     **error)
{
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (gtin != NULL, NULL);

  stmt = _rx_db_prepare (db, "SELECT id FROM products WHERE gtin = ?1 AND deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, gtin);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  if (id == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "No product has GTIN %s yet; say which product this pack is, and RxDesk "
                   "will remember it", gtin);
      return NULL;
    }

  return rx_formulary_get (db, id, error);
}

gboolean
rx_formulary_set_gtin (RxDb        *db,
                       const char  *product_id,
                       const char  *gtin,
                       GError     **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autoptr(RxProduct) other = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (!_rx_db_require (db, RX_ACTION_FORMULARY_WRITE, error))
    return FALSE;

  if (gtin == NULL || strlen (gtin) != 14 || !rx_gs1_gtin_is_valid (gtin))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "“%s” is not a 14-digit GTIN with a correct check digit", gtin ? gtin : "");
      return FALSE;
    }

  other = rx_formulary_find_gtin (db, gtin, NULL);
  if (other != NULL && g_strcmp0 (rx_product_get_id (other), product_id) != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_EXISTS,
                   "GTIN %s already belongs to %s; check the pack", gtin,
                   rx_product_get_code (other));
      return FALSE;
    }

  row = _rx_row_new_update ("products", product_id);
  _rx_row_set_text (row, "gtin", gtin);

  return _rx_db_put_audited (db, row, "update", "gtin", error);
}
