/* rx-safety-rules.c: the four safety checks over the medicines being prescribed (and the
 * patient's current ones): interactions, allergies and cross-sensitivity, duplicate therapy
 * and the maximum daily dose. Only findings that involve a medicine being prescribed are
 * reported; the current ones were checked when they were prescribed. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "rx-db-private.h"
#include "rx-safety-private.h"

static void
add_alert (GPtrArray          *alerts,
           RxSafetyKind        kind,
           RxSafetySeverity    severity,
           const RxSafetyMed  *a,
           const RxSafetyMed  *b,
           const char         *message)
{
  const char *drugs[3] = { a ? a->label : NULL, b ? b->label : NULL, NULL };

  if (drugs[0] == NULL)
    {
      drugs[0] = drugs[1];
      drugs[1] = NULL;
    }
  g_ptr_array_add (alerts, rx_safety_alert_new (kind, severity, drugs, message));
}

static const char *
shared_ingredient (const RxSafetyMed *a,
                   const RxSafetyMed *b)
{
  for (guint i = 0; a->inns[i]; i++)
    if (g_strv_contains ((const char * const *) b->inns, a->inns[i]))
      return a->inns[i];
  return NULL;
}

/* Interactions ----------------------------------------------------------------------------- */

/* The keys a rule could name this medicine by: its ingredients and its ATC codes at each
 * level (J, J01, J01C, J01CA, J01CA04), as a JSON array for json_each(). */
static char *
keys_json (const RxSafetyMed *med)
{
  static const guint levels[] = { 1, 3, 4, 5, 7 };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; med->inns[i]; i++)
    json_builder_add_string_value (b, med->inns[i]);
  for (guint i = 0; i < med->atcs->len; i++)
    for (guint l = 0; l < G_N_ELEMENTS (levels); l++)
      {
        g_autofree char *prefix = g_strndup (med->atcs->pdata[i], levels[l]);

        json_builder_add_string_value (b, prefix);
      }
  json_builder_end_array (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

typedef struct
{
  gint64            rule;       /* 0: none */
  RxSafetySeverity  severity;
  char             *message;
} PairHit;

gboolean
_rx_safety_check_interactions (const RxSafetyRules  *rules,
                               GPtrArray            *meds,
                               GPtrArray            *alerts,
                               GError              **error)
{
  guint n = meds->len;
  g_autofree PairHit *best = g_new0 (PairHit, n * n);

  for (guint i = 0; i < n; i++)
    {
      const RxSafetyMed *mi = meds->pdata[i];
      g_autofree char *keys = NULL;
      sqlite3_stmt *stmt;

      if (mi->current)
        break;  /* current medicines come last; two of them are not this check's business */

      keys = keys_json (mi);
      stmt = _rx_db_prepare (rules->db,
                             "SELECT id, a_key, a_except, b_key, b_except, severity, message "
                             "FROM safety_interactions "
                             "WHERE a_key IN (SELECT value FROM json_each (?1)) "
                             "UNION ALL "
                             "SELECT id, b_key, b_except, a_key, a_except, severity, message "
                             "FROM safety_interactions "
                             "WHERE b_key IN (SELECT value FROM json_each (?1))", error);
      if (stmt == NULL)
        {
          for (guint k = 0; k < n * n; k++)
            g_free (best[k].message);
          return FALSE;
        }
      _rx_stmt_bind_text (stmt, 1, keys);

      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 rule = sqlite3_column_int64 (stmt, 0);
          const char *this_key = (const char *) sqlite3_column_text (stmt, 1);
          const char *this_except = (const char *) sqlite3_column_text (stmt, 2);
          const char *other_key = (const char *) sqlite3_column_text (stmt, 3);
          const char *other_except = (const char *) sqlite3_column_text (stmt, 4);
          RxSafetySeverity severity = RX_SAFETY_MAJOR;

          if (!_rx_safety_med_matches (mi, this_key, this_except, FALSE))
            continue;
          rx_safety_severity_from_string ((const char *) sqlite3_column_text (stmt, 5),
                                          &severity);

          for (guint j = i + 1; j < n; j++)
            {
              const RxSafetyMed *mj = meds->pdata[j];
              PairHit *hit = &best[i * n + j];

              if (!_rx_safety_med_matches (mj, other_key, other_except, FALSE))
                continue;
              if (hit->rule != 0 &&
                  (hit->severity > severity || (hit->severity == severity && hit->rule <= rule)))
                continue;
              hit->rule = rule;
              hit->severity = severity;
              g_free (hit->message);
              hit->message = _rx_stmt_dup_text (stmt, 6);
            }
        }
      sqlite3_reset (stmt);
    }

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        PairHit *hit = &best[i * n + j];

        /* the same ingredient twice is duplicate therapy, reported as such */
        if (hit->rule != 0 && shared_ingredient (meds->pdata[i], meds->pdata[j]) == NULL)
          add_alert (alerts, RX_SAFETY_INTERACTION, hit->severity, meds->pdata[i],
                     meds->pdata[j], hit->message);
        g_free (hit->message);
      }

  return TRUE;
}

/* Allergies -------------------------------------------------------------------------------- */

typedef struct
{
  RxSafetySeverity  severity;
  char             *message;
} Finding;

static void
consider (Finding          *best,
          RxSafetySeverity  severity,
          char             *message)
{
  if (best->message == NULL || severity > best->severity)
    {
      g_free (best->message);
      best->message = message;
      best->severity = severity;
    }
  else
    g_free (message);
}

static void
cross_findings (const RxSafetyRules  *rules,
                const RxAllergen     *allergen,
                const RxAllergyClass *class,
                const RxSafetyMed    *med,
                Finding              *best)
{
  for (guint c = 0; c < rules->crosses->len; c++)
    {
      const RxCrossSensitivity *cross = rules->crosses->pdata[c];
      RxSafetySeverity severity = cross->severity;

      if (cross->class != class || !_rx_safety_in_class (med, cross->related))
        continue;
      /* after a severe reaction, even a small chance of another is not one to take lightly */
      if (allergen->severe && severity < RX_SAFETY_MAJOR)
        severity = RX_SAFETY_MAJOR;
      consider (best, severity,
                g_strdup_printf ("Allergic to %s; %s is one of the %s, which can cross-react. %s",
                                 allergen->class ? allergen->class->name : allergen->text,
                                 med->label, cross->related->name, cross->note));
    }
}

void
_rx_safety_check_allergies (const RxSafetyRules *rules,
                            GPtrArray           *meds,
                            GPtrArray           *alerts)
{
  for (guint m = 0; m < meds->len; m++)
    {
      const RxSafetyMed *med = meds->pdata[m];
      Finding best = { RX_SAFETY_MINOR, NULL };

      if (med->current)
        continue;

      for (guint a = 0; a < rules->allergens->len; a++)
        {
          const RxAllergen *allergen = rules->allergens->pdata[a];

          if (allergen->class != NULL)
            {
              if (_rx_safety_in_class (med, allergen->class))
                consider (&best, RX_SAFETY_CONTRAINDICATED,
                          g_strdup_printf ("Allergic to %s, and %s is one of them; choose a "
                                           "medicine of another class.",
                                           allergen->class->name, med->label));
              else
                cross_findings (rules, allergen, allergen->class, med, &best);
              continue;
            }

          if (shared_ingredient (med, allergen->drug) != NULL)
            {
              consider (&best, RX_SAFETY_CONTRAINDICATED,
                        g_strcmp0 (med->label, allergen->drug->label) == 0
                          ? g_strdup_printf ("Allergic to %s; choose another medicine.",
                                             allergen->text)
                          : g_strdup_printf ("Allergic to %s, which %s contains; choose another "
                                             "medicine.", allergen->text, med->label));
              continue;
            }

          for (guint c = 0; c < allergen->drug_classes->len; c++)
            {
              const RxAllergyClass *class = allergen->drug_classes->pdata[c];

              if (_rx_safety_in_class (med, class))
                consider (&best, class->same_class,
                          g_strdup_printf ("Allergic to %s; %s is of the same class (%s), so "
                                           "the reaction may recur.", allergen->text,
                                           med->label, class->name));
              else
                cross_findings (rules, allergen, class, med, &best);
            }
        }

      if (best.message != NULL)
        {
          add_alert (alerts, RX_SAFETY_ALLERGY, best.severity, med, NULL, best.message);
          g_free (best.message);
        }
    }
}

/* Duplicates ------------------------------------------------------------------------------- */

static const char *
shared_group (const RxSafetyRules *rules,
              const RxSafetyMed   *a,
              const RxSafetyMed   *b,
              char                 group[6])
{
  for (guint i = 0; i < a->atcs->len; i++)
    for (guint j = 0; j < b->atcs->len; j++)
      if (strncmp (a->atcs->pdata[i], b->atcs->pdata[j], 5) == 0)
        {
          g_strlcpy (group, a->atcs->pdata[i], 6);
          if (!g_hash_table_contains (rules->dup_exceptions, group))
            return group;
        }
  return NULL;
}

void
_rx_safety_check_duplicates (const RxSafetyRules *rules,
                             GPtrArray           *meds,
                             GPtrArray           *alerts)
{
  for (guint i = 0; i < meds->len; i++)
    for (guint j = i + 1; j < meds->len; j++)
      {
        const RxSafetyMed *a = meds->pdata[i];
        const RxSafetyMed *b = meds->pdata[j];
        const char *ingredient = shared_ingredient (a, b);
        g_autofree char *message = NULL;
        char buf[6];
        const char *group;

        if (a->current)
          break;

        /* the same ingredient as tablets and as eye drops is not double dosing */
        if (ingredient != NULL && a->systemic == b->systemic &&
            (a->systemic || g_strcmp0 (a->route, b->route) == 0))
          message = b->current
            ? g_strdup_printf ("Already prescribed %s, which also contains %s; make sure both "
                               "are meant and count the total dose.", b->label, ingredient)
            : g_strdup_printf ("Both contain %s; make sure both are meant and count the total "
                               "dose.", ingredient);
        else if (ingredient == NULL && (group = shared_group (rules, a, b, buf)) != NULL)
          message = b->current
            ? g_strdup_printf ("Already prescribed %s, of the same group (ATC %s); two "
                               "medicines of one group are usually duplicate therapy.",
                               b->label, group)
            : g_strdup_printf ("Both are of the same group (ATC %s); two medicines of one "
                               "group are usually duplicate therapy, so make sure both are "
                               "meant.", group);

        if (message != NULL)
          add_alert (alerts, RX_SAFETY_DUPLICATE, RX_SAFETY_MODERATE, a, b, message);
      }
}

/* Doses ------------------------------------------------------------------------------------ */

typedef struct
{
  double        limit;      /* per period */
  int           per_days;
  RxAmountKind  kind;
  char         *inn;
  char         *note;
  double        total;      /* a day */
  GPtrArray    *meds;
  gboolean      proposed;
} Bucket;

static void
bucket_free (Bucket *b)
{
  g_free (b->inn);
  g_free (b->note);
  g_ptr_array_unref (b->meds);
  g_free (b);
}

static int
route_fits (const char *rule,
            const char *route)
{
  static const char * const injected[] = {
    "intravenous", "intramuscular", "subcutaneous", "parenteral", NULL
  };
  static const char * const systemic[] = {
    "oral", "sublingual", "buccal", "rectal", "transdermal", "intravenous", "intramuscular",
    "subcutaneous", "parenteral", NULL
  };

  if (g_strcmp0 (rule, route) == 0)
    return 3;
  if (g_strcmp0 (rule, "parenteral") == 0)
    return g_strv_contains (injected, route ? route : "") ? 2 : 0;
  if (g_strcmp0 (rule, "systemic") == 0)
    return g_strv_contains (systemic, route ? route : "") ? 1 : 0;
  return 0;
}

/* The maximum that applies to one ingredient of this medicine: the most specific route, and a
 * release-specific limit before a general one. Returns the rule's id, or 0. */
static gint64
find_limit (const RxSafetyRules  *rules,
            const RxSafetyMed    *med,
            const char           *inn,
            GError              **error)
{
  gboolean modified = med->form != NULL && strstr (med->form, "modified-release") != NULL;
  sqlite3_stmt *stmt;
  gint64 best = 0;
  int best_score = 0;

  stmt = _rx_db_prepare (rules->db, "SELECT id, route, release FROM safety_max_doses "
                                    "WHERE inn = ?1", error);
  if (stmt == NULL)
    return -1;
  _rx_stmt_bind_text (stmt, 1, inn);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *release = (const char *) sqlite3_column_text (stmt, 2);
      int score = route_fits ((const char *) sqlite3_column_text (stmt, 1), med->route) * 2;

      if (score == 0)
        continue;
      if (*release != '\0')
        {
          if ((strcmp (release, "modified") == 0) != modified)
            continue;
          score++;
        }
      if (score > best_score)
        {
          best_score = score;
          best = sqlite3_column_int64 (stmt, 0);
        }
    }
  sqlite3_reset (stmt);

  return best;
}

static Bucket *
bucket_for (const RxSafetyRules  *rules,
            GHashTable           *buckets,
            gint64                id,
            GError              **error)
{
  Bucket *b = g_hash_table_lookup (buckets, &id);
  sqlite3_stmt *stmt;

  if (b != NULL)
    return b;

  stmt = _rx_db_prepare (rules->db, "SELECT inn, amount, unit, per_days, note "
                                    "FROM safety_max_doses WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 *key = g_new (gint64, 1);

      b = g_new0 (Bucket, 1);
      b->inn = _rx_stmt_dup_text (stmt, 0);
      b->limit = sqlite3_column_double (stmt, 1);
      b->kind = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "units") == 0
                ? RX_AMOUNT_UNITS : RX_AMOUNT_MASS;
      b->per_days = sqlite3_column_int (stmt, 3);
      b->note = _rx_stmt_dup_text (stmt, 4);
      b->meds = g_ptr_array_new ();
      *key = id;
      g_hash_table_insert (buckets, key, b);
    }
  sqlite3_reset (stmt);

  return b;
}

static int
compare_buckets (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (((const Bucket *) a)->inn, ((const Bucket *) b)->inn);
}

gboolean
_rx_safety_check_doses (const RxSafetyRules  *rules,
                        GPtrArray            *meds,
                        GPtrArray            *alerts,
                        GError              **error)
{
  g_autoptr(GHashTable) buckets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         (GDestroyNotify) bucket_free);
  g_autoptr(GList) values = NULL;

  /* each ingredient's daily amount, added up across medicines under the same limit */
  for (guint m = 0; m < meds->len; m++)
    {
      const RxSafetyMed *med = meds->pdata[m];
      double amounts[RX_SAFETY_MAX_PARTS];
      RxAmountKind kinds[RX_SAFETY_MAX_PARTS];
      guint n_inns = g_strv_length (med->inns);
      guint n;

      if (n_inns > RX_SAFETY_MAX_PARTS)
        continue;
      n = _rx_safety_daily_amounts (med->strength, med->dose, med->frequency, med->instructions,
                                    amounts, kinds, n_inns);
      if (n != n_inns)
        continue;

      for (guint k = 0; k < n; k++)
        {
          gint64 id = find_limit (rules, med, med->inns[k], error);
          Bucket *b;

          if (id < 0)
            return FALSE;
          if (id == 0)
            continue;
          if ((b = bucket_for (rules, buckets, id, error)) == NULL)
            return FALSE;
          if (b->kind != kinds[k])
            continue;
          b->total += amounts[k];
          b->proposed |= !med->current;
          if (!g_ptr_array_find (b->meds, med, NULL))
            g_ptr_array_add (b->meds, (gpointer) med);
        }
    }

  values = g_list_sort (g_hash_table_get_values (buckets), compare_buckets);
  for (GList *l = values; l != NULL; l = l->next)
    {
      Bucket *b = l->data;
      double total = b->total * b->per_days;
      const char *period = b->per_days == 7 ? "week" : "day";
      g_autofree char *amount = NULL;
      g_autofree char *limit = NULL;
      g_autofree char *message = NULL;
      g_autoptr(GStrvBuilder) drugs = NULL;
      g_auto(GStrv) names = NULL;

      /* a hair of tolerance so that 4 x 1 g is never "more than 4 g" by rounding */
      if (!b->proposed || total <= b->limit * 1.0001)
        continue;

      amount = _rx_safety_format_amount (total, b->kind);
      limit = _rx_safety_format_amount (b->limit, b->kind);
      message = g_strdup_printf ("This adds up to %s of %s a %s, above the usual adult maximum "
                                 "of %s a %s. %s", amount, b->inn, period, limit, period,
                                 b->note);
      drugs = g_strv_builder_new ();
      for (guint i = 0; i < b->meds->len; i++)
        {
          const RxSafetyMed *med = b->meds->pdata[i];

          g_strv_builder_add (drugs, med->label);
        }
      names = g_strv_builder_end (drugs);
      g_ptr_array_add (alerts, rx_safety_alert_new (RX_SAFETY_DOSE, RX_SAFETY_MAJOR,
                                                    (const char * const *) names, message));
    }

  return TRUE;
}
