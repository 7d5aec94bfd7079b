/* rx-patient.c: the patient registry. Every read of a patient record is audited. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>

#include "rx-break-glass-private.h"
#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-patient.h"
#include "rx-validate.h"

struct _RxPatient
{
  GObject    parent_instance;

  char      *id;
  char      *record_number;
  char      *family_name;
  char      *given_names;
  char      *birth_date;
  char      *sex;
  char      *phone;
  char      *address;
  gboolean   restricted;
  GPtrArray *allergies;
};

G_DEFINE_FINAL_TYPE (RxPatient, rx_patient, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (RxAllergy, rx_allergy, rx_allergy_copy, rx_allergy_free)

enum {
  PROP_0,
  PROP_ID,
  PROP_RECORD_NUMBER,
  PROP_FAMILY_NAME,
  PROP_GIVEN_NAMES,
  PROP_BIRTH_DATE,
  PROP_SEX,
  PROP_DISPLAY_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const sexes[] = { "M", "F", "X", NULL };
static const char * const severities[] = { "mild", "moderate", "severe", "unknown", NULL };

RxAllergy *
rx_allergy_copy (const RxAllergy *allergy)
{
  RxAllergy *copy = g_new0 (RxAllergy, 1);

  copy->id = g_strdup (allergy->id);
  copy->allergen = g_strdup (allergy->allergen);
  copy->reaction = g_strdup (allergy->reaction);
  copy->severity = g_strdup (allergy->severity);

  return copy;
}

void
rx_allergy_free (RxAllergy *allergy)
{
  if (allergy == NULL)
    return;

  g_free (allergy->id);
  g_free (allergy->allergen);
  g_free (allergy->reaction);
  g_free (allergy->severity);
  g_free (allergy);
}

static void
rx_patient_finalize (GObject *object)
{
  RxPatient *self = (RxPatient *) object;

  g_free (self->id);
  g_free (self->record_number);
  g_free (self->family_name);
  g_free (self->given_names);
  g_free (self->birth_date);
  g_free (self->sex);
  g_free (self->phone);
  g_free (self->address);
  g_clear_pointer (&self->allergies, g_ptr_array_unref);

  G_OBJECT_CLASS (rx_patient_parent_class)->finalize (object);
}

static void
rx_patient_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RxPatient *self = RX_PATIENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_RECORD_NUMBER:
      g_value_set_string (value, self->record_number);
      break;

    case PROP_FAMILY_NAME:
      g_value_set_string (value, self->family_name);
      break;

    case PROP_GIVEN_NAMES:
      g_value_set_string (value, self->given_names);
      break;

    case PROP_BIRTH_DATE:
      g_value_set_string (value, self->birth_date);
      break;

    case PROP_SEX:
      g_value_set_string (value, self->sex);
      break;

    case PROP_DISPLAY_NAME:
      g_value_take_string (value, rx_patient_dup_display_name (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_patient_class_init (RxPatientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rx_patient_finalize;
  object_class->get_property = rx_patient_get_property;

#define RO_STRING(prop, name) \
  properties[prop] = g_param_spec_string (name, NULL, NULL, NULL, \
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)
  RO_STRING (PROP_ID, "id");
  RO_STRING (PROP_RECORD_NUMBER, "record-number");
  RO_STRING (PROP_FAMILY_NAME, "family-name");
  RO_STRING (PROP_GIVEN_NAMES, "given-names");
  RO_STRING (PROP_BIRTH_DATE, "birth-date");
  RO_STRING (PROP_SEX, "sex");
  RO_STRING (PROP_DISPLAY_NAME, "display-name");
#undef RO_STRING

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_patient_init (RxPatient *self)
{
  self->allergies = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_allergy_free);
}

const char *
rx_patient_get_id (RxPatient *self)
{
  g_return_val_if_fail (RX_IS_PATIENT (self), NULL);
  return self->id;
}

const char *
rx_patient_get_record_number (RxPatient *self)
{
  g_return_val_if_fail (RX_IS_PATIENT (self), NULL);
  return self->record_number;
}

const char *
rx_patient_get_family_name (RxPatient *self)
{
  g_return_val_if_fail (RX_IS_PATIENT (self), NULL);
  return self->family_name;
}

const char *
rx_patient_get_given_names (RxPatient *self)
{
  g_return_val_if_fail (RX_IS_PATIENT (self), NULL);
  return self->given_names;
}

const char *
rx_patient_get_birth_date (RxPatient *self)
{
  g_return_val_if_fail (RX_IS_PATIENT (self), NULL);
  return self->birth_date;
}

const char *
rx_patient_get_sex (RxPatient *self)
{
  g_return_val_if_fail (RX_IS_PATIENT (self), NULL);
  return self->sex;
}

const char *
rx_patient_get_phone (RxPatient *self)
{
  g_return_val_if_fail (RX_IS_PATIENT (self), NULL);
  return self->phone;
}

gboolean
rx_patient_get_restricted (RxPatient *self)
{
  g_return_val_if_fail (RX_IS_PATIENT (self), FALSE);
  return self->restricted;
}

const char *
rx_patient_get_address (RxPatient *self)
{
  g_return_val_if_fail (RX_IS_PATIENT (self), NULL);
  return self->address;
}

/* "FAMILY, Given" as clinics write it on labels and lists. */
char *
rx_patient_dup_display_name (RxPatient *self)
{
  g_autofree char *family = NULL;

  g_return_val_if_fail (RX_IS_PATIENT (self), NULL);

  family = g_utf8_strup (self->family_name, -1);
  if (self->given_names == NULL || *self->given_names == '\0')
    return g_steal_pointer (&family);

  return g_strdup_printf ("%s, %s", family, self->given_names);
}

int
rx_patient_get_age (RxPatient *self,
                    GDate     *on)
{
  GDate born;
  int years;

  g_return_val_if_fail (RX_IS_PATIENT (self), -1);
  g_return_val_if_fail (on != NULL, -1);

  g_date_clear (&born, 1);
  g_date_set_parse (&born, self->birth_date);
  if (!g_date_valid (&born))
    return -1;

  years = g_date_get_year (on) - g_date_get_year (&born);
  if (g_date_get_month (on) < g_date_get_month (&born) ||
      (g_date_get_month (on) == g_date_get_month (&born) &&
       g_date_get_day (on) < g_date_get_day (&born)))
    years--;

  return years;
}

/**
 * rx_patient_get_allergies:
 *
 * Returns: (transfer none) (element-type RxAllergy): the recorded allergies
 */
GPtrArray *
rx_patient_get_allergies (RxPatient *self)
{
  g_return_val_if_fail (RX_IS_PATIENT (self), NULL);
  return self->allergies;
}

/* Writes ---------------------------------------------------------------------------------- */

static gboolean
validate_birth_date (RxDb        *db,
                     const char  *birth_date,
                     GError     **error)
{
  g_autofree char *today = NULL;

  if (!rx_validate_date (birth_date, "Date of birth", error))
    return FALSE;

  today = rx_db_now_iso (db);
  if (strncmp (birth_date, today, 10) > 0 || strcmp (birth_date, "1880-01-01") < 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Date of birth %s is in the future or too long ago; check the year",
                   birth_date);
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_fields (RxDb                  *db,
                 const RxPatientFields *f,
                 gboolean               is_new,
                 GError               **error)
{
  if ((is_new || f->family_name) &&
      !rx_validate_text (f->family_name, "Family name", 100, TRUE, error))
    return FALSE;
  if (!rx_validate_text (f->given_names, "Given names", 100, FALSE, error) ||
      !rx_validate_text (f->phone, "Phone", 40, FALSE, error) ||
      !rx_validate_text (f->address, "Address", 300, FALSE, error))
    return FALSE;
  if ((is_new || f->birth_date) && !validate_birth_date (db, f->birth_date, error))
    return FALSE;
  if (f->sex && !rx_validate_one_of (f->sex, "Sex", sexes, error))
    return FALSE;

  return TRUE;
}

static gboolean
put_allergy (RxDb        *db,
             const char  *patient_id,
             const char  *allergen,
             const char  *reaction,
             const char  *severity,
             char       **out_id,
             GError     **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autofree char *clean = NULL;

  if (!rx_validate_text (allergen, "Allergy", 100, TRUE, error) ||
      !rx_validate_text (reaction, "Reaction", 200, FALSE, error))
    return FALSE;
  if (severity == NULL)
    severity = "unknown";
  if (!rx_validate_one_of (severity, "Allergy severity", severities, error))
    return FALSE;

  clean = g_strstrip (g_utf8_strdown (allergen, -1));
  row = _rx_row_new_insert ("patient_allergies");
  _rx_row_set_text (row, "patient_id", patient_id);
  _rx_row_set_text (row, "allergen", clean);
  _rx_row_set_text (row, "reaction", reaction);
  _rx_row_set_text (row, "severity", severity);

  if (!_rx_db_put (db, row, error))
    return FALSE;

  if (out_id)
    *out_id = g_strdup (_rx_row_get_id (row));

  return TRUE;
}

static RxPatient *load_patient (RxDb        *db,
                                const char  *id_or_record,
                                GError     **error);

RxPatient *
rx_patients_add (RxDb                  *db,
                 const RxPatientFields *fields,
                 const char * const    *allergens,
                 GError               **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autofree char *family = NULL;
  g_autofree char *given = NULL;
  g_autofree char *record = NULL;
  g_autofree char *now = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  if (!_rx_db_require (db, RX_ACTION_PATIENT_WRITE, error))
    return NULL;

  if (!validate_fields (db, fields, TRUE, error))
    return NULL;

  family = g_strstrip (g_strdup (fields->family_name));
  given = g_strstrip (g_strdup (fields->given_names ? fields->given_names : ""));
  record = rx_new_reference ('P');
  now = rx_db_now_iso (db);

  if (!rx_db_begin (db, error))
    return NULL;

  row = _rx_row_new_insert ("patients");
  _rx_row_set_text (row, "record_number", record);
  _rx_row_set_text (row, "family_name", family);
  _rx_row_set_text (row, "given_names", given);
  _rx_row_set_text (row, "birth_date", fields->birth_date);
  _rx_row_set_text (row, "sex", fields->sex ? fields->sex : "X");
  _rx_row_set_text (row, "phone", fields->phone);
  _rx_row_set_text (row, "address", fields->address);
  _rx_row_set_text (row, "created_at", now);

  if (!_rx_db_put (db, row, error))
    goto fail;
  id = g_strdup (_rx_row_get_id (row));

  for (guint i = 0; allergens && allergens[i]; i++)
    if (!put_allergy (db, id, allergens[i], NULL, NULL, NULL, error))
      goto fail;

  if (!_rx_db_audit (db, "create", "patients", id, NULL, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return load_patient (db, id, error);

fail:
  rx_db_rollback (db);
  return NULL;
}

gboolean
rx_patients_update (RxDb                  *db,
                    const char            *id,
                    const RxPatientFields *f,
                    GError               **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autoptr(GString) changed = g_string_new (NULL);

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (id != NULL && f != NULL, FALSE);

  if (!_rx_db_require (db, RX_ACTION_PATIENT_WRITE, error))
    return FALSE;

  if (!validate_fields (db, f, FALSE, error))
    return FALSE;

  row = _rx_row_new_update ("patients", id);

#define SET(field, column) \
  if (f->field) { \
    g_autofree char *v = g_strstrip (g_strdup (f->field)); \
    _rx_row_set_text (row, column, v); \
    g_string_append_printf (changed, "%s%s", changed->len ? "," : "", column); \
  }
  SET (family_name, "family_name");
  SET (given_names, "given_names");
  SET (birth_date, "birth_date");
  SET (sex, "sex");
  SET (phone, "phone");
  SET (address, "address");
#undef SET

  if (changed->len == 0)
    return TRUE;

  return _rx_db_put_audited (db, row, "update", changed->str, error);
}

char *
rx_patients_add_allergy (RxDb        *db,
                         const char  *patient_id,
                         const char  *allergen,
                         const char  *reaction,
                         const char  *severity,
                         GError     **error)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (patient_id != NULL, NULL);

  if (!_rx_db_require (db, RX_ACTION_PATIENT_WRITE, error))
    return NULL;

  if (!rx_db_begin (db, error))
    return NULL;

  if (!put_allergy (db, patient_id, allergen, reaction, severity, &id, error) ||
      !_rx_db_audit (db, "create", "patient_allergies", id, patient_id, error) ||
      !rx_db_commit (db, error))
    {
      rx_db_rollback (db);
      return NULL;
    }

  return g_steal_pointer (&id);
}

gboolean
rx_patients_remove_allergy (RxDb        *db,
                            const char  *allergy_id,
                            GError     **error)
{
  g_autoptr(RxRow) row = NULL;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);
  g_return_val_if_fail (allergy_id != NULL, FALSE);

  if (!_rx_db_require (db, RX_ACTION_PATIENT_WRITE, error))
    return FALSE;

  row = _rx_row_new_update ("patient_allergies", allergy_id);
  _rx_row_set_int (row, "deleted", 1);

  return _rx_db_put_audited (db, row, "delete", NULL, error);
}

/* Reads ----------------------------------------------------------------------------------- */

#define PATIENT_COLUMNS \
  "p.id, p.record_number, p.family_name, p.given_names, p.birth_date, p.sex, p.phone, " \
  "p.address, p.restricted"

static RxPatient *
patient_from_stmt (sqlite3_stmt *stmt)
{
  RxPatient *self = g_object_new (RX_TYPE_PATIENT, NULL);

  self->id = _rx_stmt_dup_text (stmt, 0);
  self->record_number = _rx_stmt_dup_text (stmt, 1);
  self->family_name = _rx_stmt_dup_text (stmt, 2);
  self->given_names = _rx_stmt_dup_text (stmt, 3);
  self->birth_date = _rx_stmt_dup_text (stmt, 4);
  self->sex = _rx_stmt_dup_text (stmt, 5);
  self->phone = _rx_stmt_dup_text (stmt, 6);
  self->address = _rx_stmt_dup_text (stmt, 7);
  self->restricted = sqlite3_column_int (stmt, 8) != 0;

  return self;
}

static gboolean
load_allergies (RxDb       *db,
                RxPatient  *self,
                GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_db_prepare (db,
                         "SELECT id, allergen, reaction, severity FROM patient_allergies "
                         "WHERE patient_id = ?1 AND deleted = 0 ORDER BY allergen", error);
  if (stmt == NULL)
    return FALSE;

  _rx_stmt_bind_text (stmt, 1, self->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RxAllergy *a = g_new0 (RxAllergy, 1);

      a->id = _rx_stmt_dup_text (stmt, 0);
      a->allergen = _rx_stmt_dup_text (stmt, 1);
      a->reaction = _rx_stmt_dup_text (stmt, 2);
      a->severity = _rx_stmt_dup_text (stmt, 3);
      g_ptr_array_add (self->allergies, a);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _rx_db_sqlite_error (db, rc, "Reading allergies", error);

  return TRUE;
}

/* The patient with allergies, without the access check and the audited read: for a record
 * its writer has just saved (the write is audited), where a failing audit write (a full
 * disk) must not make a saved patient look unsaved and invite registering them twice. */
static RxPatient *
load_patient (RxDb        *db,
              const char  *id_or_record,
              GError     **error)
{
  g_autoptr(RxPatient) self = NULL;
  g_autofree char *upper = g_ascii_strup (id_or_record, -1);
  sqlite3_stmt *stmt;

  stmt = _rx_db_prepare (db,
                         "SELECT " PATIENT_COLUMNS " FROM patients p "
                         "WHERE (p.id = ?1 OR p.record_number = ?2) AND p.deleted = 0", error);
  if (stmt == NULL)
    return NULL;

  _rx_stmt_bind_text (stmt, 1, id_or_record);
  _rx_stmt_bind_text (stmt, 2, upper);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    self = patient_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (self == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "No patient has the id or record number “%s”; search by name to find them",
                   id_or_record);
      return NULL;
    }

  if (!load_allergies (db, self, error))
    return NULL;

  return g_steal_pointer (&self);
}

RxPatient *
rx_patients_get (RxDb        *db,
                 const char  *id_or_record,
                 GError     **error)
{
  g_autoptr(RxPatient) self = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (id_or_record != NULL, NULL);

  if (!_rx_db_require (db, RX_ACTION_PATIENT_READ, error))
    return NULL;

  self = load_patient (db, id_or_record, error);
  if (self == NULL ||
      !_rx_patients_check_access (db, self->id, self->restricted, error) ||
      !_rx_db_audit (db, "read", "patients", self->id,
                     self->restricted ? "restricted record" : NULL, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* Search: every word must match the start of a name, the record number or the birth date
 * (so "smi jo" finds John Smith and "1984-03" everyone born in March 1984). */
GListModel *
rx_patients_search (RxDb        *db,
                    const char  *text,
                    guint        limit,
                    GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_PATIENT);
  g_auto(GStrv) tokens = rx_search_tokens (text);
  g_autoptr(GString) match = g_string_new (NULL);
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (!_rx_db_require (db, RX_ACTION_PATIENT_READ, error))
    return NULL;

  if (limit == 0)
    limit = 50;

  for (guint i = 0; tokens[i]; i++)
    {
      g_autofree char *quoted = rx_fts_quote (tokens[i]);

      g_string_append_printf (match, "%s%s*", match->len ? " AND " : "", quoted);
    }

  if (match->len == 0)
    stmt = _rx_db_prepare (db,
                           "SELECT " PATIENT_COLUMNS " FROM patients p WHERE p.deleted = 0 "
                           "ORDER BY p.family_name, p.given_names LIMIT ?2", error);
  else
    stmt = _rx_db_prepare (db,
                           "SELECT " PATIENT_COLUMNS " FROM patients_fts f "
                           "JOIN patients p ON p.rowid = f.rowid "
                           "WHERE patients_fts MATCH ?1 AND p.deleted = 0 "
                           "ORDER BY bm25 (patients_fts, 2.0, 5.0, 1.0), p.family_name, "
                           "p.given_names LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;

  if (match->len > 0)
    _rx_stmt_bind_text (stmt, 1, match->str);
  sqlite3_bind_int (stmt, 2, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RxPatient) p = patient_from_stmt (stmt);

      g_list_store_append (store, p);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Searching patients", error);
      return NULL;
    }

  /* allergies belong on every line a clinician picks a patient from */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(RxPatient) p = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (!load_allergies (db, p, error))
        return NULL;
    }

  detail = g_strdup_printf ("%u results", g_list_model_get_n_items (G_LIST_MODEL (store)));
  if (!_rx_db_audit (db, "search", "patients", NULL, detail, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&store));
}
