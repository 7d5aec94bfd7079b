/* rx-safety-load.c: loading the safety rules of data/safety/ into a clinic database, all or
 * nothing, and loading them again whenever the shipped files change (their SHA-256 is the
 * data version). The rules are reference data every workstation reads from its own copy of
 * the files, so they are written locally and never enter the change log. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>

#include "rx-core-error.h"
#include "rx-csv-private.h"
#include "rx-db-private.h"
#include "rx-formulary.h"
#include "rx-safety-private.h"

#define README "data/safety/README.md"

static const char * const files[] = {
  "interactions.csv", "allergy-classes.csv", "cross-sensitivity.csv", "max-doses.csv",
  "duplicate-exceptions.csv", NULL
};

static const char * const tables[] = {
  "DELETE FROM safety_cross_sensitivity", "DELETE FROM safety_allergy_members",
  "DELETE FROM safety_allergy_names", "DELETE FROM safety_allergy_classes",
  "DELETE FROM safety_interactions", "DELETE FROM safety_max_doses",
  "DELETE FROM safety_duplicate_exceptions", NULL
};

gboolean
_rx_safety_key_is_atc (const char *key)
{
  return key != NULL && g_ascii_isupper (key[0]);
}

gboolean
_rx_safety_route_is_local (const char *route)
{
  static const char * const local[] = { "topical", "ophthalmic", "otic", "vaginal", NULL };

  return route != NULL && g_strv_contains (local, route);
}

/* SHA-256 over each file's name and contents, in a fixed order. */
char *
_rx_safety_files_version (const char *dir)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; files[i]; i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, NULL))
        return NULL;
      g_checksum_update (sum, (const guchar *) files[i], strlen (files[i]) + 1);
      g_checksum_update (sum, (const guchar *) contents, length);
    }

  return g_strdup (g_checksum_get_string (sum));
}

#define FAIL_AT(file, line, ...) \
  G_STMT_START { \
    g_autofree char *why_ = g_strdup_printf (__VA_ARGS__); \
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID, \
                 "%s line %u: %s; fix that line and load again (nothing was changed)", \
                 file, line, why_); \
    return FALSE; \
  } G_STMT_END

/* "M01A", "warfarin", "G03A!medroxyprogesterone": an ATC prefix in capitals or an INN in
 * lowercase, then what it leaves out. Splits off the exclusions. */
static gboolean
parse_key (const char  *text,
           char       **key,
           char       **except)
{
  const char *bang = strchr (text, '!');
  g_autofree char *base = bang ? g_strndup (text, bang - text) : g_strdup (text);
  g_auto(GStrv) parts = g_strsplit (text, "!", -1);

  for (guint i = 0; parts[i]; i++)
    {
      const char *p = parts[i];

      if (*p == '\0' || g_ascii_isspace (p[0]) || g_ascii_isspace (p[strlen (p) - 1]) ||
          strlen (p) > 100)
        return FALSE;
      if (_rx_safety_key_is_atc (p))
        {
          if (strlen (p) > 7 || !g_ascii_isalpha (p[0]))
            return FALSE;
          for (const char *c = p; *c; c++)
            if (!g_ascii_isupper (*c) && !g_ascii_isdigit (*c))
              return FALSE;
        }
      else
        {
          g_autofree char *lower = g_utf8_strdown (p, -1);

          if (strcmp (lower, p) != 0)
            return FALSE;
        }
    }

  *key = g_steal_pointer (&base);
  *except = bang ? g_strdup (bang + 1) : NULL;
  return TRUE;
}

static GPtrArray *
read_table (const char          *dir,
            const char          *file,
            const char * const  *wanted,
            int                 *col,
            GError             **error)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GPtrArray) rows = _rx_csv_read (path, error);

  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID, "%s is empty", file);
      return NULL;
    }
  if (!_rx_csv_map_columns (rows->pdata[0], wanted, col, file, README, error))
    return NULL;

  return g_steal_pointer (&rows);
}

static gboolean
load_interactions (RxDb            *db,
                   const char      *dir,
                   RxSafetyCounts  *counts,
                   GError         **error)
{
  static const char * const wanted[] = { "a", "b", "severity", "message", NULL };
  const char *file = "interactions.csv";
  g_autoptr(GPtrArray) rows = NULL;
  int col[4];

  if ((rows = read_table (dir, file, wanted, col, error)) == NULL)
    return FALSE;

  for (guint i = 1; i < rows->len; i++)
    {
      GPtrArray *r = rows->pdata[i];
      const char *severity = _rx_csv_cell (r, col[2]);
      const char *message = _rx_csv_cell (r, col[3]);
      g_autofree char *a = NULL, *a_except = NULL, *b = NULL, *b_except = NULL;
      RxSafetySeverity s;
      sqlite3_stmt *stmt;

      if (_rx_csv_row_is_blank (r))
        continue;
      if (!parse_key (_rx_csv_cell (r, col[0]), &a, &a_except) ||
          !parse_key (_rx_csv_cell (r, col[1]), &b, &b_except))
        FAIL_AT (file, i + 1, "a and b must each be an ATC prefix in capitals or a generic "
                 "name in lowercase, optionally followed by !exclusions");
      if (!rx_safety_severity_from_string (severity, &s))
        FAIL_AT (file, i + 1, "severity “%s” is not contraindicated, major, moderate or minor",
                 severity);
      if (*message == '\0' || strchr (message, '\n') != NULL)
        FAIL_AT (file, i + 1, "the message must be one line of text");

      stmt = _rx_db_prepare (db, "INSERT INTO safety_interactions (a_key, a_except, b_key, "
                                 "b_except, severity, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                             error);
      if (stmt == NULL)
        return FALSE;
      _rx_stmt_bind_text (stmt, 1, a);
      _rx_stmt_bind_text (stmt, 2, a_except);
      _rx_stmt_bind_text (stmt, 3, b);
      _rx_stmt_bind_text (stmt, 4, b_except);
      _rx_stmt_bind_text (stmt, 5, severity);
      _rx_stmt_bind_text (stmt, 6, message);
      if (!_rx_db_step_done (db, stmt, "Saving an interaction rule", error))
        return FALSE;
      counts->interactions++;
    }

  return TRUE;
}

static gboolean
insert_name (RxDb        *db,
             const char  *name,
             const char  *class,
             guint        line,
             GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db, "INSERT INTO safety_allergy_names (name, class) VALUES (?1, ?2)",
                         error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, name);
  _rx_stmt_bind_text (stmt, 2, class);
  if (!_rx_db_step_done (db, stmt, "Saving an allergy class name", error))
    {
      g_prefix_error (error, "allergy-classes.csv line %u: “%s” names two classes: ", line, name);
      return FALSE;
    }

  return TRUE;
}

static gboolean
load_allergy_classes (RxDb            *db,
                      const char      *dir,
                      RxSafetyCounts  *counts,
                      GError         **error)
{
  static const char * const wanted[] = {
    "class", "aliases", "covers", "same_class", "description", NULL
  };
  const char *file = "allergy-classes.csv";
  g_autoptr(GPtrArray) rows = NULL;
  int col[5];

  if ((rows = read_table (dir, file, wanted, col, error)) == NULL)
    return FALSE;

  for (guint i = 1; i < rows->len; i++)
    {
      GPtrArray *r = rows->pdata[i];
      const char *name = _rx_csv_cell (r, col[0]);
      const char *same = _rx_csv_cell (r, col[3]);
      g_autofree char *lower = g_utf8_strdown (name, -1);
      g_auto(GStrv) aliases = g_strsplit (_rx_csv_cell (r, col[1]), "|", -1);
      g_auto(GStrv) covers = g_strsplit (_rx_csv_cell (r, col[2]), "|", -1);
      RxSafetySeverity s;
      sqlite3_stmt *stmt;

      if (_rx_csv_row_is_blank (r))
        continue;
      if (*name == '\0' || strcmp (lower, name) != 0)
        FAIL_AT (file, i + 1, "the class name must be lowercase text");
      if (!rx_safety_severity_from_string (same, &s))
        FAIL_AT (file, i + 1, "same_class “%s” is not contraindicated, major, moderate or minor",
                 same);
      if (covers[0] == NULL || *covers[0] == '\0')
        FAIL_AT (file, i + 1, "a class must cover at least one ATC prefix or generic name");

      stmt = _rx_db_prepare (db, "INSERT INTO safety_allergy_classes (name, same_class, "
                                 "description) VALUES (?1, ?2, ?3)", error);
      if (stmt == NULL)
        return FALSE;
      _rx_stmt_bind_text (stmt, 1, name);
      _rx_stmt_bind_text (stmt, 2, same);
      _rx_stmt_bind_text (stmt, 3, _rx_csv_cell (r, col[4]));
      if (!_rx_db_step_done (db, stmt, "Saving an allergy class", error) ||
          !insert_name (db, name, name, i + 1, error))
        return FALSE;

      for (guint a = 0; aliases[a]; a++)
        {
          g_autofree char *alias = g_utf8_strdown (g_strstrip (aliases[a]), -1);

          if (*alias != '\0' && !insert_name (db, alias, name, i + 1, error))
            return FALSE;
        }

      for (guint c = 0; covers[c]; c++)
        {
          g_autofree char *key = NULL;
          g_autofree char *except = NULL;

          if (!parse_key (g_strstrip (covers[c]), &key, &except))
            FAIL_AT (file, i + 1, "“%s” is neither an ATC prefix in capitals nor a generic name "
                     "in lowercase", covers[c]);
          stmt = _rx_db_prepare (db, "INSERT INTO safety_allergy_members (class, key, "
                                     "except_keys) VALUES (?1, ?2, ?3)", error);
          if (stmt == NULL)
            return FALSE;
          _rx_stmt_bind_text (stmt, 1, name);
          _rx_stmt_bind_text (stmt, 2, key);
          _rx_stmt_bind_text (stmt, 3, except);
          if (!_rx_db_step_done (db, stmt, "Saving an allergy class member", error))
            return FALSE;
        }
      counts->allergy_classes++;
    }

  return TRUE;
}

static gboolean
load_cross_sensitivity (RxDb            *db,
                        const char      *dir,
                        RxSafetyCounts  *counts,
                        GError         **error)
{
  static const char * const wanted[] = { "class", "related", "severity", "note", NULL };
  const char *file = "cross-sensitivity.csv";
  g_autoptr(GPtrArray) rows = NULL;
  int col[4];

  if ((rows = read_table (dir, file, wanted, col, error)) == NULL)
    return FALSE;

  for (guint i = 1; i < rows->len; i++)
    {
      GPtrArray *r = rows->pdata[i];
      const char *severity = _rx_csv_cell (r, col[2]);
      RxSafetySeverity s;
      sqlite3_stmt *stmt;

      if (_rx_csv_row_is_blank (r))
        continue;
      if (!rx_safety_severity_from_string (severity, &s))
        FAIL_AT (file, i + 1, "severity “%s” is not contraindicated, major, moderate or minor",
                 severity);

      stmt = _rx_db_prepare (db, "INSERT INTO safety_cross_sensitivity (class, related, "
                                 "severity, note) SELECT ?1, ?2, ?3, ?4 "
                                 "WHERE EXISTS (SELECT 1 FROM safety_allergy_classes "
                                 "              WHERE name = ?1) "
                                 "AND EXISTS (SELECT 1 FROM safety_allergy_classes "
                                 "            WHERE name = ?2)", error);
      if (stmt == NULL)
        return FALSE;
      _rx_stmt_bind_text (stmt, 1, _rx_csv_cell (r, col[0]));
      _rx_stmt_bind_text (stmt, 2, _rx_csv_cell (r, col[1]));
      _rx_stmt_bind_text (stmt, 3, severity);
      _rx_stmt_bind_text (stmt, 4, _rx_csv_cell (r, col[3]));
      if (!_rx_db_step_done (db, stmt, "Saving a cross-sensitivity", error))
        return FALSE;
      if (sqlite3_changes (_rx_db_get_handle (db)) != 1)
        FAIL_AT (file, i + 1, "both classes must be in allergy-classes.csv");
      counts->cross_sensitivities++;
    }

  return TRUE;
}

static gboolean
load_max_doses (RxDb            *db,
                const char      *dir,
                RxSafetyCounts  *counts,
                GError         **error)
{
  static const char * const wanted[] = {
    "inn", "route", "release", "max", "unit", "per", "note", NULL
  };
  static const char * const routes[] = {
    "systemic", "parenteral", "oral", "sublingual", "buccal", "inhalation", "nasal",
    "transdermal", "rectal", "intravenous", "intramuscular", "subcutaneous", NULL
  };
  static const char * const releases[] = { "", "immediate", "modified", NULL };
  const char *file = "max-doses.csv";
  g_autoptr(GPtrArray) rows = NULL;
  int col[7];

  if ((rows = read_table (dir, file, wanted, col, error)) == NULL)
    return FALSE;

  for (guint i = 1; i < rows->len; i++)
    {
      GPtrArray *r = rows->pdata[i];
      const char *inn = _rx_csv_cell (r, col[0]);
      const char *route = _rx_csv_cell (r, col[1]);
      const char *release = _rx_csv_cell (r, col[2]);
      const char *unit = _rx_csv_cell (r, col[4]);
      const char *per = _rx_csv_cell (r, col[5]);
      g_autofree char *lower = g_utf8_strdown (inn, -1);
      double amount;
      char *end = NULL;
      sqlite3_stmt *stmt;

      if (_rx_csv_row_is_blank (r))
        continue;
      amount = g_ascii_strtod (_rx_csv_cell (r, col[3]), &end);
      if (*inn == '\0' || strcmp (lower, inn) != 0)
        FAIL_AT (file, i + 1, "inn must be a generic name in lowercase");
      if (!g_strv_contains (routes, route) || !g_strv_contains (releases, release))
        FAIL_AT (file, i + 1, "route “%s” or release “%s” is not one README lists", route,
                 release);
      if (end == NULL || *end != '\0' || !(amount > 0))
        FAIL_AT (file, i + 1, "max must be a positive number");
      if (strcmp (unit, "g") == 0)
        amount *= 1000;
      else if (strcmp (unit, "micrograms") == 0)
        amount /= 1000;
      else if (strcmp (unit, "mg") != 0 && strcmp (unit, "units") != 0)
        FAIL_AT (file, i + 1, "unit “%s” is not g, mg, micrograms or units", unit);
      if (strcmp (per, "day") != 0 && strcmp (per, "week") != 0)
        FAIL_AT (file, i + 1, "per must be day or week");

      stmt = _rx_db_prepare (db, "INSERT INTO safety_max_doses (inn, route, release, amount, "
                                 "unit, per_days, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                             error);
      if (stmt == NULL)
        return FALSE;
      _rx_stmt_bind_text (stmt, 1, inn);
      _rx_stmt_bind_text (stmt, 2, route);
      _rx_stmt_bind_text (stmt, 3, release);
      sqlite3_bind_double (stmt, 4, amount);
      _rx_stmt_bind_text (stmt, 5, strcmp (unit, "units") == 0 ? "units" : "mg");
      sqlite3_bind_int (stmt, 6, strcmp (per, "week") == 0 ? 7 : 1);
      _rx_stmt_bind_text (stmt, 7, _rx_csv_cell (r, col[6]));
      if (!_rx_db_step_done (db, stmt, "Saving a maximum dose", error))
        return FALSE;
      counts->max_doses++;
    }

  return TRUE;
}

static gboolean
load_duplicate_exceptions (RxDb            *db,
                           const char      *dir,
                           RxSafetyCounts  *counts,
                           GError         **error)
{
  static const char * const wanted[] = { "group", "note", NULL };
  const char *file = "duplicate-exceptions.csv";
  g_autoptr(GPtrArray) rows = NULL;
  int col[2];

  if ((rows = read_table (dir, file, wanted, col, error)) == NULL)
    return FALSE;

  for (guint i = 1; i < rows->len; i++)
    {
      GPtrArray *r = rows->pdata[i];
      const char *group = _rx_csv_cell (r, col[0]);
      sqlite3_stmt *stmt;

      if (_rx_csv_row_is_blank (r))
        continue;
      if (strlen (group) != 5 || !_rx_safety_key_is_atc (group))
        FAIL_AT (file, i + 1, "group must be an ATC level-4 code of 5 characters, like B01AC");

      stmt = _rx_db_prepare (db, "INSERT INTO safety_duplicate_exceptions (atc_group, note) "
                                 "VALUES (?1, ?2)", error);
      if (stmt == NULL)
        return FALSE;
      _rx_stmt_bind_text (stmt, 1, group);
      _rx_stmt_bind_text (stmt, 2, _rx_csv_cell (r, col[1]));
      if (!_rx_db_step_done (db, stmt, "Saving a duplicate-therapy exception", error))
        return FALSE;
      counts->duplicate_exceptions++;
    }

  return TRUE;
}

static gboolean
load_files (RxDb            *db,
            const char      *dir,
            RxSafetyCounts  *counts,
            GError         **error)
{
  g_autofree char *version = _rx_safety_files_version (dir);
  g_autofree char *detail = NULL;
  RxSafetyCounts local = { 0, };

  if (version == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "The safety rules are missing or incomplete in %s; reinstall RxDesk or set "
                   "RXDESK_DATA_DIR to the folder that holds safety/", dir);
      return FALSE;
    }

  if (!rx_db_begin (db, error))
    return FALSE;

  for (guint i = 0; tables[i]; i++)
    if (!_rx_db_exec (db, tables[i], error))
      goto fail;

  if (!load_interactions (db, dir, &local, error) ||
      !load_allergy_classes (db, dir, &local, error) ||
      !load_cross_sensitivity (db, dir, &local, error) ||
      !load_max_doses (db, dir, &local, error) ||
      !load_duplicate_exceptions (db, dir, &local, error))
    goto fail;

  detail = g_strdup_printf ("%u interaction rules, %u allergy classes, %u cross-sensitivities, "
                            "%u maximum doses, %u duplicate-therapy exceptions; version %.12s",
                            local.interactions, local.allergy_classes,
                            local.cross_sensitivities, local.max_doses,
                            local.duplicate_exceptions, version);
  if (!_rx_db_set_meta (db, "safety_data_version", version, error) ||
      !_rx_db_audit (db, "import", "safety_rules", NULL, detail, error) ||
      !rx_db_commit (db, error))
    goto fail;

  if (counts)
    *counts = local;
  return TRUE;

fail:
  rx_db_rollback (db);
  return FALSE;
}

/* Loads (or reloads) the rules of a folder laid out like data/safety/: all, or nothing. */
gboolean
rx_safety_load_dir (RxDb            *db,
                    const char      *dir,
                    RxSafetyCounts  *counts,
                    GError         **error)
{
  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  if (!_rx_db_require (db, RX_ACTION_FORMULARY_WRITE, error))
    return FALSE;

  return load_files (db, dir, counts, error);
}

static char *
default_dir (void)
{
  g_autofree char *data = rx_formulary_find_data_dir ();

  return g_build_filename (data, "safety", NULL);
}

gboolean
rx_safety_load_default (RxDb            *db,
                        RxSafetyCounts  *counts,
                        GError         **error)
{
  g_autofree char *dir = default_dir ();

  return rx_safety_load_dir (db, dir, counts, error);
}

/* The version of the rules in this clinic database, or NULL before any were loaded. */
char *
rx_safety_dup_data_version (RxDb *db)
{
  g_return_val_if_fail (RX_IS_DB (db), NULL);
  return rx_db_get_meta (db, "safety_data_version");
}

/* Brings the rules up to date with the files this RxDesk ships, for clinics made before the
 * rules existed or by an older release. Cheap when nothing changed (one hash of the files).
 * This is RxDesk's own reference data, not a user's edit, so no role is needed; without the
 * files, the rules already loaded stay in use. */
gboolean
rx_safety_refresh (RxDb    *db,
                   GError **error)
{
  g_autofree char *dir = default_dir ();
  g_autofree char *shipped = _rx_safety_files_version (dir);
  g_autofree char *loaded = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  loaded = rx_safety_dup_data_version (db);
  if (shipped == NULL)
    {
      if (loaded != NULL)
        {
          g_debug ("The safety rules are not in %s; keeping the ones loaded before", dir);
          return TRUE;
        }
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "The safety rules are missing (%s); reinstall RxDesk or set "
                   "RXDESK_DATA_DIR to the folder that holds safety/", dir);
      return FALSE;
    }

  if (g_strcmp0 (shipped, loaded) == 0)
    return TRUE;

  return load_files (db, dir, NULL, error);
}
