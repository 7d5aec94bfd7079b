/* rx-safety.c: the context the safety checks run in (a patient's allergies and current
 * medicines, and the rules they need, read once) and the check itself: the prescription
 * window builds one context when it opens and checks on every keystroke. The four checks are
 * in rx-safety-rules.c, dose reading in rx-safety-dose.c, loading in rx-safety-load.c. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-formulary.h"
#include "rx-safety-private.h"

struct _RxSafetyContext
{
  GObject        parent_instance;

  RxSafetyRules  rules;
  char          *patient_id;
  GPtrArray     *current;     /* RxSafetyMed */
};

G_DEFINE_FINAL_TYPE (RxSafetyContext, rx_safety_context, G_TYPE_OBJECT)

/* Medicines -------------------------------------------------------------------------------- */

void
_rx_safety_med_free (RxSafetyMed *med)
{
  if (med == NULL)
    return;

  g_free (med->label);
  g_strfreev (med->inns);
  g_clear_pointer (&med->atcs, g_ptr_array_unref);
  g_free (med->route);
  g_free (med->form);
  g_free (med->strength);
  g_free (med->dose);
  g_free (med->frequency);
  g_free (med->instructions);
  g_free (med);
}

static RxSafetyMed *
med_new (const char *inn)
{
  RxSafetyMed *med = g_new0 (RxSafetyMed, 1);

  med->label = g_strdup (inn);
  med->inns = g_strsplit (inn, " + ", -1);
  med->atcs = g_ptr_array_new_with_free_func (g_free);

  return med;
}

static gboolean
key_matches (const RxSafetyMed *med,
             const char        *key,
             gboolean           any_route)
{
  if (_rx_safety_key_is_atc (key))
    {
      for (guint i = 0; i < med->atcs->len; i++)
        if (g_str_has_prefix (med->atcs->pdata[i], key))
          return TRUE;
      return FALSE;
    }

  /* a generic name in a rule means the medicine in the body: eye drops and creams of it do
   * not interact, but an allergy is an allergy whatever the route */
  return (any_route || med->systemic) && g_strv_contains ((const char * const *) med->inns, key);
}

/* Does the medicine fall under a rule's key ("M01A", "warfarin"), less its exceptions
 * ("medroxyprogesterone!G03AC06")? */
gboolean
_rx_safety_med_matches (const RxSafetyMed *med,
                        const char        *key,
                        const char        *except,
                        gboolean           any_route)
{
  if (!key_matches (med, key, any_route))
    return FALSE;

  if (except != NULL && *except != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (except, "!", -1);

      for (guint i = 0; parts[i]; i++)
        if (key_matches (med, parts[i], TRUE))
          return FALSE;
    }

  return TRUE;
}

gboolean
_rx_safety_in_class (const RxSafetyMed    *med,
                     const RxAllergyClass *class)
{
  for (guint i = 0; i < class->keys->len; i++)
    {
      const char *entry = class->keys->pdata[i];
      const char *bang = strchr (entry, '!');
      g_autofree char *key = bang ? g_strndup (entry, bang - entry) : g_strdup (entry);

      if (_rx_safety_med_matches (med, key, bang ? bang + 1 : NULL, TRUE))
        return TRUE;
    }

  return FALSE;
}

#define MED_SELECT "SELECT d.inn, p.atc, p.route, p.form, p.strength FROM products p " \
                   "JOIN drugs d ON d.id = p.drug_id "

static RxSafetyMed *
med_from_stmt (sqlite3_stmt *stmt)
{
  RxSafetyMed *med = med_new ((const char *) sqlite3_column_text (stmt, 0));

  g_ptr_array_add (med->atcs, _rx_stmt_dup_text (stmt, 1));
  med->route = _rx_stmt_dup_text (stmt, 2);
  med->form = _rx_stmt_dup_text (stmt, 3);
  med->strength = _rx_stmt_dup_text (stmt, 4);
  med->systemic = !_rx_safety_route_is_local (med->route);

  return med;
}

/* A product by id or code, or by its full name ("amoxicillin 500 mg capsule"). */
static RxSafetyMed *
med_from_product (RxDb       *db,
                  const char *text,
                  GError    **error)
{
  static const char * const queries[] = {
    MED_SELECT "WHERE (p.id = ?1 OR p.code = ?1) AND p.deleted = 0",
    MED_SELECT "WHERE lower (d.inn || ' ' || p.strength || ' ' || p.form) = lower (trim (?1)) "
               "AND p.deleted = 0 AND d.deleted = 0 ORDER BY p.code LIMIT 1",
  };

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = _rx_db_prepare (db, queries[q], error);
      RxSafetyMed *med = NULL;

      if (stmt == NULL)
        return NULL;
      _rx_stmt_bind_text (stmt, 1, text);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        med = med_from_stmt (stmt);
      sqlite3_reset (stmt);
      if (med != NULL)
        return med;
    }

  return NULL;
}

/* A medicine by generic name, other name or brand, before a product is chosen: it stands for
 * all its products that act in the body (or all of them, if none does). */
static RxSafetyMed *
med_from_drug (RxDb       *db,
               const char *name,
               GError    **error)
{
  g_autoptr(RxSafetyMed) med = NULL;
  g_autofree char *drug_id = NULL;
  g_autofree char *inn = NULL;
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db,
                         "SELECT id, inn FROM drugs WHERE inn = lower (trim (?1)) AND deleted = 0 "
                         "UNION ALL "
                         "SELECT d.id, d.inn FROM drug_synonyms s JOIN drugs d ON d.id = s.drug_id "
                         "WHERE lower (s.name) = lower (trim (?1)) AND s.deleted = 0 "
                         "AND d.deleted = 0 LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, name);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      drug_id = _rx_stmt_dup_text (stmt, 0);
      inn = _rx_stmt_dup_text (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (drug_id == NULL)
    return NULL;

  med = med_new (inn);
  stmt = _rx_db_prepare (db, "SELECT atc, route, form FROM products WHERE drug_id = ?1 "
                             "AND deleted = 0 ORDER BY code", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, drug_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *atc = (const char *) sqlite3_column_text (stmt, 0);
      const char *route = (const char *) sqlite3_column_text (stmt, 1);
      gboolean local = _rx_safety_route_is_local (route);

      if (!local && !med->systemic)
        {
          /* the first product that acts in the body speaks for the medicine */
          g_ptr_array_set_size (med->atcs, 0);
          g_clear_pointer (&med->route, g_free);
          g_clear_pointer (&med->form, g_free);
          med->systemic = TRUE;
        }
      if (local && med->systemic)
        continue;
      if (med->route == NULL)
        {
          med->route = g_strdup (route);
          med->form = _rx_stmt_dup_text (stmt, 2);
        }
      if (!g_ptr_array_find_with_equal_func (med->atcs, atc, g_str_equal, NULL))
        g_ptr_array_add (med->atcs, g_strdup (atc));
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&med);
}

static RxSafetyMed *
med_resolve (RxDb                *db,
             const RxSafetyItem  *item,
             GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  RxSafetyMed *med = NULL;
  const char *name = item->product ? item->product : item->drug;

  if (name == NULL || *name == '\0')
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "A medicine to check has neither a product nor a name");
      return NULL;
    }

  if (item->product == NULL)
    med = med_from_drug (db, name, &local_error);
  if (med == NULL && local_error == NULL)
    med = med_from_product (db, name, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (med == NULL)
    {
      g_auto(GStrv) near = rx_formulary_suggest (db, name, 3);
      g_autofree char *list = g_strjoinv (", ", near);

      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   near[0] ? "No medicine matches “%s”; did you mean %s?"
                           : "No medicine matches “%s”%s; check the spelling",
                   name, list);
      return NULL;
    }

  med->dose = g_strdup (item->dose);
  med->frequency = g_strdup (item->frequency);
  med->instructions = g_strdup (item->instructions);

  return med;
}

/* For the tests that hold every shipped rule against the shipped formulary. */
RxSafetyMed *
_rx_safety_med_new (RxDb                *db,
                    const RxSafetyItem  *item,
                    GError             **error)
{
  return med_resolve (db, item, error);
}

/* Rules ------------------------------------------------------------------------------------ */

static void
class_free (RxAllergyClass *class)
{
  g_free (class->name);
  g_free (class->description);
  g_ptr_array_unref (class->keys);
  g_free (class);
}

static void
cross_free (RxCrossSensitivity *cross)
{
  g_free (cross->note);
  g_free (cross);
}

static void
allergen_free (RxAllergen *allergen)
{
  g_free (allergen->text);
  _rx_safety_med_free (allergen->drug);
  g_clear_pointer (&allergen->drug_classes, g_ptr_array_unref);
  g_free (allergen);
}

static RxSafetySeverity
severity_of (sqlite3_stmt *stmt,
             int           column)
{
  RxSafetySeverity s = RX_SAFETY_MAJOR;

  rx_safety_severity_from_string ((const char *) sqlite3_column_text (stmt, column), &s);
  return s;
}

static gboolean
load_rules (RxSafetyContext  *self,
            GError          **error)
{
  RxDb *db = self->rules.db;
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db, "SELECT name, same_class, description FROM safety_allergy_classes "
                             "ORDER BY name", error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RxAllergyClass *class = g_new0 (RxAllergyClass, 1);

      class->name = _rx_stmt_dup_text (stmt, 0);
      class->same_class = severity_of (stmt, 1);
      class->description = _rx_stmt_dup_text (stmt, 2);
      class->keys = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (self->rules.classes, class->name, class);
      g_ptr_array_add (self->rules.class_order, class);
    }
  sqlite3_reset (stmt);

  stmt = _rx_db_prepare (db, "SELECT class, key, except_keys FROM safety_allergy_members", error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RxAllergyClass *class = g_hash_table_lookup (self->rules.classes,
                                                   sqlite3_column_text (stmt, 0));
      const char *except = (const char *) sqlite3_column_text (stmt, 2);

      if (class != NULL)
        g_ptr_array_add (class->keys, g_strconcat ((const char *) sqlite3_column_text (stmt, 1),
                                                   except ? "!" : "", except, NULL));
    }
  sqlite3_reset (stmt);

  stmt = _rx_db_prepare (db, "SELECT class, related, severity, note "
                             "FROM safety_cross_sensitivity", error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RxCrossSensitivity *cross = g_new0 (RxCrossSensitivity, 1);

      cross->class = g_hash_table_lookup (self->rules.classes, sqlite3_column_text (stmt, 0));
      cross->related = g_hash_table_lookup (self->rules.classes, sqlite3_column_text (stmt, 1));
      cross->severity = severity_of (stmt, 2);
      cross->note = _rx_stmt_dup_text (stmt, 3);
      if (cross->class == NULL || cross->related == NULL)
        cross_free (cross);
      else
        g_ptr_array_add (self->rules.crosses, cross);
    }
  sqlite3_reset (stmt);

  stmt = _rx_db_prepare (db, "SELECT atc_group, note FROM safety_duplicate_exceptions", error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (self->rules.dup_exceptions, _rx_stmt_dup_text (stmt, 0),
                         _rx_stmt_dup_text (stmt, 1));
  sqlite3_reset (stmt);

  return TRUE;
}

/* Context ---------------------------------------------------------------------------------- */

static void
rx_safety_context_finalize (GObject *object)
{
  RxSafetyContext *self = (RxSafetyContext *) object;

  g_clear_pointer (&self->rules.allergens, g_ptr_array_unref);
  g_clear_pointer (&self->rules.crosses, g_ptr_array_unref);
  g_clear_pointer (&self->rules.class_order, g_ptr_array_unref);
  g_clear_pointer (&self->rules.classes, g_hash_table_unref);
  g_clear_pointer (&self->rules.dup_exceptions, g_hash_table_unref);
  g_clear_pointer (&self->current, g_ptr_array_unref);
  g_clear_object (&self->rules.db);
  g_free (self->patient_id);

  G_OBJECT_CLASS (rx_safety_context_parent_class)->finalize (object);
}

static void
rx_safety_context_class_init (RxSafetyContextClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rx_safety_context_finalize;
}

static void
rx_safety_context_init (RxSafetyContext *self)
{
  self->rules.classes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                               (GDestroyNotify) class_free);
  self->rules.class_order = g_ptr_array_new ();
  self->rules.crosses = g_ptr_array_new_with_free_func ((GDestroyNotify) cross_free);
  self->rules.dup_exceptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->rules.allergens = g_ptr_array_new_with_free_func ((GDestroyNotify) allergen_free);
  self->current = g_ptr_array_new_with_free_func ((GDestroyNotify) _rx_safety_med_free);
}

/* An allergy class by name or alias, else a medicine; NULL if it is neither (latex, food). */
static RxAllergen *
resolve_allergen (RxSafetyContext  *self,
                  const char       *text,
                  gboolean          severe,
                  GError          **error)
{
  g_autofree char *clean = g_utf8_strdown (text, -1);
  g_autofree char *class_name = NULL;
  RxAllergen *allergen;
  RxSafetyMed *drug = NULL;
  sqlite3_stmt *stmt;

  g_strstrip (clean);
  stmt = _rx_db_prepare (self->rules.db, "SELECT class FROM safety_allergy_names WHERE name = ?1",
                         error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, clean);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    class_name = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  if (class_name == NULL && (drug = med_from_drug (self->rules.db, clean, error)) == NULL)
    return NULL;

  allergen = g_new0 (RxAllergen, 1);
  allergen->text = g_steal_pointer (&clean);
  allergen->severe = severe;
  if (class_name != NULL)
    allergen->class = g_hash_table_lookup (self->rules.classes, class_name);
  else
    {
      /* the medicine's own products, whatever their route, say which classes it is in */
      allergen->drug = drug;
      allergen->drug_classes = g_ptr_array_new ();
      for (guint i = 0; i < self->rules.class_order->len; i++)
        if (_rx_safety_in_class (drug, self->rules.class_order->pdata[i]))
          g_ptr_array_add (allergen->drug_classes, self->rules.class_order->pdata[i]);
    }

  return allergen;
}

static gboolean
load_patient (RxSafetyContext  *self,
              const char       *patient,
              const char       *leave_out,
              GError          **error)
{
  RxDb *db = self->rules.db;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db, "SELECT id FROM patients WHERE (id = ?1 OR record_number = ?1) "
                             "AND deleted = 0", error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, patient);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    self->patient_id = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  if (self->patient_id == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no patient “%s”; find them with a patient search first", patient);
      return FALSE;
    }

  stmt = _rx_db_prepare (db, "SELECT allergen, severity FROM patient_allergies "
                             "WHERE patient_id = ?1 AND deleted = 0 ORDER BY allergen", error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, self->patient_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_ptr_array_add (items, _rx_stmt_dup_text (stmt, 0));
      g_ptr_array_add (items, _rx_stmt_dup_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < items->len; i += 2)
    {
      g_autoptr(GError) local_error = NULL;
      RxAllergen *a = resolve_allergen (self, items->pdata[i],
                                        g_strcmp0 (items->pdata[i + 1], "severe") == 0,
                                        &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (a != NULL)
        g_ptr_array_add (self->rules.allergens, a);
      else
        g_debug ("Allergy “%s” is not a medicine; the checks leave it to the prescriber",
                 (const char *) items->pdata[i]);
    }

  /* current medicines: what the patient's signed, not fully dispensed prescriptions hold */
  g_ptr_array_set_size (items, 0);
  stmt = _rx_db_prepare (db, "SELECT i.product_id, i.dose, i.frequency, i.instructions "
                             "FROM prescription_items i "
                             "JOIN prescriptions r ON r.id = i.prescription_id "
                             "WHERE r.patient_id = ?1 AND r.deleted = 0 AND i.deleted = 0 "
                             "AND r.status IN ('signed', 'partially_dispensed') "
                             "AND r.id IS NOT ?2 "
                             "ORDER BY r.created_at, i.position", error);
  if (stmt == NULL)
    return FALSE;
  _rx_stmt_bind_text (stmt, 1, self->patient_id);
  _rx_stmt_bind_text (stmt, 2, leave_out);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int c = 0; c < 4; c++)
      g_ptr_array_add (items, _rx_stmt_dup_text (stmt, c));
  sqlite3_reset (stmt);

  for (guint i = 0; i < items->len; i += 4)
    {
      RxSafetyItem item = { items->pdata[i], NULL, items->pdata[i + 1], items->pdata[i + 2],
                            items->pdata[i + 3] };
      RxSafetyMed *med = med_resolve (db, &item, error);

      if (med == NULL)
        return FALSE;
      med->current = TRUE;
      g_ptr_array_add (self->current, med);
    }

  return _rx_db_audit (db, "read", "patients", self->patient_id, "safety check", error);
}

/**
 * rx_safety_context_new:
 * @patient_or_null: a patient's id or record number, whose recorded allergies and current
 *   medicines then take part in every check; or %NULL
 *
 * Reads what the checks need once (and brings the clinic's safety rules up to date with the
 * installed ones), so that rx_safety_check() stays fast enough for every keystroke.
 */
RxSafetyContext *
rx_safety_context_new (RxDb        *db,
                       const char  *patient_or_null,
                       GError     **error)
{
  g_return_val_if_fail (RX_IS_DB (db), NULL);

  return _rx_safety_context_new_leaving_out (db, patient_or_null, NULL, error);
}

/* As rx_safety_context_new(), but the signed prescription @leave_out (or none, when NULL)
 * is not among the patient's current medicines: the pharmacy checks a prescription's own
 * items against everything else the patient takes, not against themselves. */
RxSafetyContext *
_rx_safety_context_new_leaving_out (RxDb        *db,
                                    const char  *patient_or_null,
                                    const char  *leave_out,
                                    GError     **error)
{
  g_autoptr(RxSafetyContext) self = NULL;

  if (patient_or_null != NULL && !_rx_db_require (db, RX_ACTION_PATIENT_READ, error))
    return NULL;
  if (!rx_safety_refresh (db, error))
    return NULL;

  self = g_object_new (RX_TYPE_SAFETY_CONTEXT, NULL);
  self->rules.db = g_object_ref (db);

  if (!load_rules (self, error) ||
      (patient_or_null != NULL && !load_patient (self, patient_or_null, leave_out, error)))
    return NULL;

  return g_steal_pointer (&self);
}

/* The closest allergy class names, for "did you mean". */
static GStrv
suggest_classes (RxDb       *db,
                 const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt = _rx_db_prepare (db, "SELECT name, class FROM safety_allergy_names "
                                           "ORDER BY name", NULL);
  guint found = 0;

  for (guint distance = 1; stmt != NULL && distance <= 2 && found == 0; distance++)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        if (rx_edit_distance (text, (const char *) sqlite3_column_text (stmt, 0), distance) ==
            distance && found < 3)
          {
            g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 1));
            found++;
          }
      sqlite3_reset (stmt);
    }

  return g_strv_builder_end (builder);
}

/* An allergy the prescriber states for this check: a class ("penicillins", "sulfa") or a
 * medicine by any of its names. Anything else is refused, naming the closest matches, since a
 * misspelt allergy would otherwise silently check nothing. */
gboolean
rx_safety_context_add_allergy (RxSafetyContext  *self,
                               const char       *class_or_medicine,
                               GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  RxAllergen *allergen;

  g_return_val_if_fail (RX_IS_SAFETY_CONTEXT (self), FALSE);
  g_return_val_if_fail (class_or_medicine != NULL, FALSE);

  allergen = resolve_allergen (self, class_or_medicine, FALSE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (allergen == NULL)
    {
      g_autofree char *clean = g_strstrip (g_utf8_strdown (class_or_medicine, -1));
      g_auto(GStrv) classes = suggest_classes (self->rules.db, clean);
      g_auto(GStrv) drugs = rx_formulary_suggest (self->rules.db, clean, 3);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) near = NULL;
      g_autofree char *list = NULL;

      g_strv_builder_addv (builder, (const char **) classes);
      g_strv_builder_addv (builder, (const char **) drugs);
      near = g_strv_builder_end (builder);
      list = g_strjoinv (", ", near);
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   near[0] ? "“%s” is neither an allergy class nor a medicine; did you mean %s?"
                           : "“%s” is neither an allergy class nor a medicine%s; see "
                             "data/safety/allergy-classes.csv for the classes",
                   class_or_medicine, list);
      return FALSE;
    }

  g_ptr_array_add (self->rules.allergens, allergen);
  return TRUE;
}

const char *
rx_safety_context_get_patient_id (RxSafetyContext *self)
{
  g_return_val_if_fail (RX_IS_SAFETY_CONTEXT (self), NULL);
  return self->patient_id;
}

guint
rx_safety_context_get_n_current (RxSafetyContext *self)
{
  g_return_val_if_fail (RX_IS_SAFETY_CONTEXT (self), 0);
  return self->current->len;
}

/* Check ------------------------------------------------------------------------------------ */

static int
kind_rank (RxSafetyKind kind)
{
  switch (kind)
    {
    case RX_SAFETY_ALLERGY:
      return 0;
    case RX_SAFETY_INTERACTION:
      return 1;
    case RX_SAFETY_DOSE:
      return 2;
    case RX_SAFETY_DUPLICATE:
    default:
      return 3;
    }
}

static int
compare_alerts (gconstpointer a,
                gconstpointer b)
{
  RxSafetyAlert *x = *(RxSafetyAlert * const *) a;
  RxSafetyAlert *y = *(RxSafetyAlert * const *) b;

  if (rx_safety_alert_get_severity (x) != rx_safety_alert_get_severity (y))
    return rx_safety_alert_get_severity (x) > rx_safety_alert_get_severity (y) ? -1 : 1;
  if (kind_rank (rx_safety_alert_get_kind (x)) != kind_rank (rx_safety_alert_get_kind (y)))
    return kind_rank (rx_safety_alert_get_kind (x)) - kind_rank (rx_safety_alert_get_kind (y));
  return 0;
}

/**
 * rx_safety_check:
 * @items: (array length=n_items): the medicines being prescribed
 *
 * Checks them against each other, the patient's current medicines and allergies (and any
 * added with rx_safety_context_add_allergy()), and their doses against the usual maximum.
 *
 * Returns: (transfer full): a list of #RxSafetyAlert, most severe first; empty when nothing
 *   was found, %NULL with @error set when a medicine is unknown
 */
GListModel *
rx_safety_check (RxSafetyContext     *self,
                 const RxSafetyItem  *items,
                 guint                n_items,
                 GError             **error)
{
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_SAFETY_ALERT);
  g_autoptr(GPtrArray) meds = g_ptr_array_new ();
  g_autoptr(GPtrArray) owned = NULL;
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (RX_IS_SAFETY_CONTEXT (self), NULL);
  g_return_val_if_fail (items != NULL || n_items == 0, NULL);

  owned = g_ptr_array_new_with_free_func ((GDestroyNotify) _rx_safety_med_free);
  for (guint i = 0; i < n_items; i++)
    {
      RxSafetyMed *med = med_resolve (self->rules.db, &items[i], error);

      if (med == NULL)
        return NULL;
      g_ptr_array_add (owned, med);
      g_ptr_array_add (meds, med);
    }
  if (n_items == 0)
    return G_LIST_MODEL (g_steal_pointer (&store));

  for (guint i = 0; i < self->current->len; i++)
    g_ptr_array_add (meds, self->current->pdata[i]);

  if (!_rx_safety_check_interactions (&self->rules, meds, alerts, error))
    return NULL;
  _rx_safety_check_allergies (&self->rules, meds, alerts);
  _rx_safety_check_duplicates (&self->rules, meds, alerts);
  if (!_rx_safety_check_doses (&self->rules, meds, alerts, error))
    return NULL;

  g_ptr_array_sort (alerts, compare_alerts);
  g_list_store_splice (store, 0, 0, alerts->pdata, alerts->len);

  return G_LIST_MODEL (g_steal_pointer (&store));
}

gboolean
rx_safety_alerts_need_override (GListModel *alerts)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (alerts), FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(RxSafetyAlert) alert = g_list_model_get_item (alerts, i);

      if (rx_safety_alert_needs_override (alert))
        return TRUE;
    }

  return FALSE;
}
