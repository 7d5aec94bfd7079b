/* rx-patient-draft.c: the reception's patient form without its widgets. The checks here say
 * in the form's own words what to fix before anything reaches the database; core checks again
 * and has the last word. Saving is one transaction, so a patient is never left registered
 * without the allergies that were typed with them. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "rx-patient-draft.h"

/* Core's limits, so that the form says so before core refuses. */
static const guint max_chars[RX_PATIENT_DRAFT_N_FIELDS] = {
  [RX_PATIENT_DRAFT_FAMILY_NAME] = 100,
  [RX_PATIENT_DRAFT_GIVEN_NAMES] = 100,
  [RX_PATIENT_DRAFT_BIRTH_DATE] = 10,
  [RX_PATIENT_DRAFT_SEX] = 1,
  [RX_PATIENT_DRAFT_PHONE] = 40,
  [RX_PATIENT_DRAFT_ADDRESS] = 300,
};

static const char * const severities[] = { "unknown", "mild", "moderate", "severe", NULL };
static const char * const sexes[] = { "F", "M", "X", NULL };

static const char *
original_value (RxPatient           *patient,
                RxPatientDraftField  field)
{
  const char *value = NULL;

  switch (field)
    {
    case RX_PATIENT_DRAFT_FAMILY_NAME:
      value = rx_patient_get_family_name (patient);
      break;
    case RX_PATIENT_DRAFT_GIVEN_NAMES:
      value = rx_patient_get_given_names (patient);
      break;
    case RX_PATIENT_DRAFT_BIRTH_DATE:
      value = rx_patient_get_birth_date (patient);
      break;
    case RX_PATIENT_DRAFT_SEX:
      value = rx_patient_get_sex (patient);
      break;
    case RX_PATIENT_DRAFT_PHONE:
      value = rx_patient_get_phone (patient);
      break;
    case RX_PATIENT_DRAFT_ADDRESS:
      value = rx_patient_get_address (patient);
      break;
    case RX_PATIENT_DRAFT_N_FIELDS:
    default:
      g_assert_not_reached ();
    }

  return value ? value : "";
}

/**
 * rx_patient_draft_new:
 * @original: (nullable): the patient as last read, or %NULL to register a new one
 *
 * Returns: a draft holding @original's fields and allergies, or empty ones (sex "X", not
 *   stated) for a new patient
 */
RxPatientDraft *
rx_patient_draft_new (RxPatient *original)
{
  RxPatientDraft *self;

  g_return_val_if_fail (!original || RX_IS_PATIENT (original), NULL);

  self = g_new0 (RxPatientDraft, 1);
  self->allergies = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_allergy_free);
  self->removed = g_ptr_array_new_with_free_func (g_free);

  if (original == NULL)
    {
      for (guint i = 0; i < RX_PATIENT_DRAFT_N_FIELDS; i++)
        self->fields[i] = g_strdup (i == RX_PATIENT_DRAFT_SEX ? "X" : "");
      return self;
    }

  self->original = g_object_ref (original);
  for (guint i = 0; i < RX_PATIENT_DRAFT_N_FIELDS; i++)
    self->fields[i] = g_strdup (original_value (original, i));
  /* a patient recorded without one reads as "not stated" */
  if (*self->fields[RX_PATIENT_DRAFT_SEX] == '\0')
    rx_patient_draft_set (self, RX_PATIENT_DRAFT_SEX, "X");

  for (guint i = 0; i < rx_patient_get_allergies (original)->len; i++)
    g_ptr_array_add (self->allergies,
                     rx_allergy_copy (g_ptr_array_index (rx_patient_get_allergies (original), i)));

  return self;
}

RxPatientDraft *
rx_patient_draft_copy (const RxPatientDraft *self)
{
  RxPatientDraft *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (RxPatientDraft, 1);
  copy->original = self->original ? g_object_ref (self->original) : NULL;
  for (guint i = 0; i < RX_PATIENT_DRAFT_N_FIELDS; i++)
    copy->fields[i] = g_strdup (self->fields[i]);
  copy->allergies = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_allergy_free);
  for (guint i = 0; i < self->allergies->len; i++)
    g_ptr_array_add (copy->allergies, rx_allergy_copy (g_ptr_array_index (self->allergies, i)));
  copy->removed = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->removed->len; i++)
    g_ptr_array_add (copy->removed, g_strdup (g_ptr_array_index (self->removed, i)));

  return copy;
}

void
rx_patient_draft_free (RxPatientDraft *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->original);
  for (guint i = 0; i < RX_PATIENT_DRAFT_N_FIELDS; i++)
    g_free (self->fields[i]);
  g_ptr_array_unref (self->allergies);
  g_ptr_array_unref (self->removed);
  g_free (self);
}

void
rx_patient_draft_problem_free (RxPatientDraftProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->message);
  g_free (problem);
}

void
rx_patient_draft_set (RxPatientDraft      *self,
                      RxPatientDraftField  field,
                      const char          *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (field < RX_PATIENT_DRAFT_N_FIELDS);

  g_free (self->fields[field]);
  self->fields[field] = g_strdup (value ? value : "");
}

const char *
rx_patient_draft_get (const RxPatientDraft *self,
                      RxPatientDraftField   field)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (field < RX_PATIENT_DRAFT_N_FIELDS, NULL);

  return self->fields[field];
}

/* Trimmed, with runs of inner white space made one space. */
static char *
tidy (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text ? text : "", " \t\n", -1);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) joined = NULL;

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_strv_builder_add (kept, words[i]);
  joined = g_strv_builder_end (kept);

  return g_strjoinv (" ", joined);
}

/**
 * rx_patient_draft_add_allergy:
 * @severity: (nullable): unknown, mild, moderate or severe; %NULL for unknown
 *
 * Adds an allergy to be recorded on save. Refuses an empty allergen and one the patient
 * already has, saying so.
 */
gboolean
rx_patient_draft_add_allergy (RxPatientDraft  *self,
                              const char      *allergen,
                              const char      *reaction,
                              const char      *severity,
                              GError         **error)
{
  g_autofree char *clean = tidy (allergen);
  g_autofree char *folded = g_utf8_casefold (clean, -1);
  g_autofree char *clean_reaction = tidy (reaction);
  RxAllergy *allergy;

  g_return_val_if_fail (self != NULL, FALSE);

  if (severity == NULL)
    severity = "unknown";
  g_return_val_if_fail (g_strv_contains (severities, severity), FALSE);

  if (*clean == '\0')
    {
      g_set_error_literal (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                           _("Type what the patient is allergic to, e.g. penicillins"));
      return FALSE;
    }
  if (g_utf8_strlen (clean, -1) > 100 || g_utf8_strlen (clean_reaction, -1) > 200)
    {
      g_set_error_literal (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                           _("An allergy takes up to 100 characters and its reaction up to "
                             "200; shorten it"));
      return FALSE;
    }

  for (guint i = 0; i < self->allergies->len; i++)
    {
      RxAllergy *known = g_ptr_array_index (self->allergies, i);
      g_autofree char *known_folded = g_utf8_casefold (known->allergen, -1);

      if (g_str_equal (known_folded, folded))
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_EXISTS,
                       _("The allergy to %s is already on the list; remove it first to "
                         "change it"), known->allergen);
          return FALSE;
        }
    }

  allergy = g_new0 (RxAllergy, 1);
  /* core records allergens in lower case; the list shows them as they will be kept */
  allergy->allergen = g_utf8_strdown (clean, -1);
  allergy->reaction = *clean_reaction != '\0' ? g_steal_pointer (&clean_reaction) : NULL;
  allergy->severity = g_strdup (severity);
  g_ptr_array_add (self->allergies, allergy);

  return TRUE;
}

void
rx_patient_draft_remove_allergy (RxPatientDraft *self,
                                 guint           index)
{
  RxAllergy *allergy;

  g_return_if_fail (self != NULL);
  g_return_if_fail (index < self->allergies->len);

  allergy = g_ptr_array_index (self->allergies, index);
  if (allergy->id != NULL)
    g_ptr_array_add (self->removed, g_strdup (allergy->id));
  g_ptr_array_remove_index (self->allergies, index);
}

static gboolean
field_changed (const RxPatientDraft *self,
               RxPatientDraftField   field)
{
  g_autofree char *now = tidy (self->fields[field]);
  g_autofree char *before = NULL;

  if (self->original == NULL)
    return *now != '\0' && !(field == RX_PATIENT_DRAFT_SEX && g_str_equal (now, "X"));

  before = tidy (original_value (self->original, field));
  if (field == RX_PATIENT_DRAFT_SEX && *before == '\0')
    return !g_str_equal (now, "X");

  return !g_str_equal (now, before);
}

/* Whether saving would change anything. */
gboolean
rx_patient_draft_is_modified (const RxPatientDraft *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->removed->len > 0)
    return TRUE;
  for (guint i = 0; i < self->allergies->len; i++)
    if (((RxAllergy *) g_ptr_array_index (self->allergies, i))->id == NULL)
      return TRUE;
  for (guint i = 0; i < RX_PATIENT_DRAFT_N_FIELDS; i++)
    if (field_changed (self, i))
      return TRUE;

  return FALSE;
}

static void
add_problem (GPtrArray           *problems,
             RxPatientDraftField  field,
             char                *message)
{
  RxPatientDraftProblem *problem = g_new0 (RxPatientDraftProblem, 1);

  problem->field = field;
  problem->message = message;
  g_ptr_array_add (problems, problem);
}

static const char *
field_title (RxPatientDraftField field)
{
  switch (field)
    {
    case RX_PATIENT_DRAFT_FAMILY_NAME:
      return _("The family name");
    case RX_PATIENT_DRAFT_GIVEN_NAMES:
      return _("The given names");
    case RX_PATIENT_DRAFT_BIRTH_DATE:
      return _("The date of birth");
    case RX_PATIENT_DRAFT_SEX:
      return _("Sex");
    case RX_PATIENT_DRAFT_PHONE:
      return _("The phone number");
    case RX_PATIENT_DRAFT_ADDRESS:
      return _("The address");
    case RX_PATIENT_DRAFT_N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

static void
check_birth_date (const char *text,
                  GDate      *today,
                  GPtrArray  *problems)
{
  g_autoptr(GError) error = NULL;
  GDate born;

  if (*text == '\0')
    {
      add_problem (problems, RX_PATIENT_DRAFT_BIRTH_DATE,
                   g_strdup (_("The date of birth is required; write it as YYYY-MM-DD, "
                               "e.g. 1984-03-27")));
      return;
    }

  if (!rx_validate_date (text, "Date of birth", &error))
    {
      add_problem (problems, RX_PATIENT_DRAFT_BIRTH_DATE,
                   g_strdup_printf (_("“%s” is not a date; write the date of birth as "
                                      "YYYY-MM-DD, e.g. 1984-03-27"), text));
      return;
    }

  g_date_clear (&born, 1);
  g_date_set_dmy (&born, atoi (text + 8), atoi (text + 5), atoi (text));
  if (g_date_compare (&born, today) > 0)
    add_problem (problems, RX_PATIENT_DRAFT_BIRTH_DATE,
                 g_strdup (_("The date of birth is in the future; check the year")));
  else if (g_date_get_year (&born) < 1880)
    add_problem (problems, RX_PATIENT_DRAFT_BIRTH_DATE,
                 g_strdup (_("The date of birth is before 1880; check the year")));
}

/**
 * rx_patient_draft_check:
 * @today: the local date, against which a date of birth in the future is refused
 *
 * Returns: (transfer full) (element-type RxPatientDraftProblem): what to fix before saving,
 *   in the form's order; empty when the draft can be saved
 */
GPtrArray *
rx_patient_draft_check (const RxPatientDraft *self,
                        GDate                *today)
{
  GPtrArray *problems;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_patient_draft_problem_free);

  for (guint i = 0; i < RX_PATIENT_DRAFT_N_FIELDS; i++)
    {
      g_autofree char *value = tidy (self->fields[i]);

      if (i == RX_PATIENT_DRAFT_FAMILY_NAME && *value == '\0')
        add_problem (problems, i, g_strdup (_("The family name is required")));
      else if (i == RX_PATIENT_DRAFT_BIRTH_DATE)
        check_birth_date (value, today, problems);
      else if (i == RX_PATIENT_DRAFT_SEX && !g_strv_contains (sexes, value))
        add_problem (problems, i, g_strdup (_("Choose the patient’s sex, or “not stated”")));
      else if (g_utf8_strlen (value, -1) > (glong) max_chars[i])
        /* Translators: e.g. "The address is longer than 300 characters; shorten it" */
        add_problem (problems, i, g_strdup_printf (_("%s is longer than %u characters; "
                                                     "shorten it"),
                                                   field_title (i), max_chars[i]));
    }

  return problems;
}

/* The fields to write: all of them for a new patient, only those changed for one already
 * recorded, so that a merge with another workstation's edit keeps theirs. */
static void
fields_to_write (const RxPatientDraft *self,
                 RxPatientFields      *out,
                 char                **values)
{
  for (guint i = 0; i < RX_PATIENT_DRAFT_N_FIELDS; i++)
    values[i] = (self->original == NULL || field_changed (self, i)) ? tidy (self->fields[i])
                                                                      : NULL;

  out->family_name = values[RX_PATIENT_DRAFT_FAMILY_NAME];
  out->given_names = values[RX_PATIENT_DRAFT_GIVEN_NAMES];
  out->birth_date = values[RX_PATIENT_DRAFT_BIRTH_DATE];
  out->sex = values[RX_PATIENT_DRAFT_SEX];
  out->phone = values[RX_PATIENT_DRAFT_PHONE];
  out->address = values[RX_PATIENT_DRAFT_ADDRESS];
}

/**
 * rx_patient_draft_save:
 * @db: the clinic, on the thread that owns it
 *
 * Registers the patient or writes what changed, with the allergies added and removed, in one
 * transaction: on any error nothing is kept.
 *
 * Returns: (transfer full): the patient as now recorded (an audited read), or %NULL
 */
RxPatient *
rx_patient_draft_save (const RxPatientDraft  *self,
                       RxDb                  *db,
                       GError               **error)
{
  RxPatientFields fields = { 0 };
  char *values[RX_PATIENT_DRAFT_N_FIELDS] = { NULL };
  g_autoptr(RxPatient) added = NULL;
  g_autofree char *id = NULL;
  gboolean new_allergies = FALSE;
  gboolean ok = FALSE;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (RX_IS_DB (db), NULL);

  fields_to_write (self, &fields, values);

  if (!rx_db_begin (db, error))
    goto out;

  if (self->original == NULL)
    {
      added = rx_patients_add (db, &fields, NULL, error);
      if (added == NULL)
        goto rollback;
      id = g_strdup (rx_patient_get_id (added));
    }
  else
    {
      id = g_strdup (rx_patient_get_id (self->original));
      if (!rx_patients_update (db, id, &fields, error))
        goto rollback;
    }

  for (guint i = 0; i < self->removed->len; i++)
    if (!rx_patients_remove_allergy (db, g_ptr_array_index (self->removed, i), error))
      goto rollback;

  for (guint i = 0; i < self->allergies->len; i++)
    {
      RxAllergy *allergy = g_ptr_array_index (self->allergies, i);
      g_autofree char *allergy_id = NULL;

      if (allergy->id != NULL)
        continue;
      allergy_id = rx_patients_add_allergy (db, id, allergy->allergen, allergy->reaction,
                                            allergy->severity, error);
      if (allergy_id == NULL)
        goto rollback;
      new_allergies = TRUE;
    }

  if (!rx_db_commit (db, error))
    goto rollback;
  ok = TRUE;
  goto out;

rollback:
  rx_db_rollback (db);
out:
  for (guint i = 0; i < RX_PATIENT_DRAFT_N_FIELDS; i++)
    g_free (values[i]);

  if (!ok)
    return NULL;
  /* A new patient without allergies was read back by core already. */
  if (added != NULL && !new_allergies)
    return g_steal_pointer (&added);

  return rx_patients_get (db, id, error);
}
