/* test-safety.c: the prescribing safety checks against the shipped formulary and rules:
 * known pairs found at the right severity, harmless pairs quiet, rules by ATC group,
 * allergies and cross-sensitivity, duplicate therapy, maximum doses, overrides, speed. */
#include "config.h"

#include "rx-db-private.h"
#include "rx-safety-private.h"
#include "rx-test-fixtures.h"

static RxTestClinic clinic;

/* The alerts for medicines named like a prescriber would (generic names, other names,
 * product codes), with optional allergies; fails the test on an error. */
static GListModel *
check_with (const char * const *names,
            const char * const *allergies)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxSafetyContext) context = rx_safety_context_new (clinic.db, NULL, &error);
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (RxSafetyItem));
  GListModel *alerts;

  g_assert_no_error (error);
  for (guint i = 0; allergies && allergies[i]; i++)
    {
      g_assert_true (rx_safety_context_add_allergy (context, allergies[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; names[i]; i++)
    {
      RxSafetyItem item = { NULL, names[i], NULL, NULL, NULL };

      g_array_append_val (items, item);
    }

  alerts = rx_safety_check (context, (RxSafetyItem *) items->data, items->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (alerts);

  return alerts;
}

static GListModel *
check_pair (const char *a,
            const char *b)
{
  const char *names[] = { a, b, NULL };

  return check_with (names, NULL);
}

/* The first alert of a kind, or NULL. */
static RxSafetyAlert *
find_alert (GListModel   *alerts,
            RxSafetyKind  kind)
{
  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(RxSafetyAlert) alert = g_list_model_get_item (alerts, i);

      if (rx_safety_alert_get_kind (alert) == kind)
        return g_steal_pointer (&alert);
    }

  return NULL;
}

static guint
count_kind (GListModel   *alerts,
            RxSafetyKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(RxSafetyAlert) alert = g_list_model_get_item (alerts, i);

      n += rx_safety_alert_get_kind (alert) == kind;
    }

  return n;
}

static void
dump (GListModel *alerts)
{
  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(RxSafetyAlert) alert = g_list_model_get_item (alerts, i);
      g_autofree char *summary = rx_safety_alert_dup_summary (alert);

      g_test_message ("  %s", summary);
    }
}

/* Interactions ----------------------------------------------------------------------------- */

static void
test_known_pairs (void)
{
  static const struct
  {
    const char       *a;
    const char       *b;
    RxSafetySeverity  severity;
  } pairs[] = {
    { "warfarin", "ibuprofen", RX_SAFETY_MAJOR },
    { "warfarin", "aspirin", RX_SAFETY_MAJOR },
    { "warfarin", "fluconazole", RX_SAFETY_MAJOR },
    { "Coumadin", "Flagyl", RX_SAFETY_MAJOR },
    { "warfarin", "apixaban", RX_SAFETY_CONTRAINDICATED },
    { "simvastatin", "clarithromycin", RX_SAFETY_CONTRAINDICATED },
    { "sildenafil", "isosorbide mononitrate", RX_SAFETY_CONTRAINDICATED },
    { "sildenafil", "glyceryl trinitrate", RX_SAFETY_CONTRAINDICATED },
    { "sertraline", "tramadol", RX_SAFETY_MAJOR },
    { "citalopram", "amiodarone", RX_SAFETY_CONTRAINDICATED },
    { "ciprofloxacin", "tizanidine", RX_SAFETY_CONTRAINDICATED },
    { "methotrexate", "trimethoprim", RX_SAFETY_MAJOR },
    { "methotrexate", "co-trimoxazole", RX_SAFETY_MAJOR },
    { "azathioprine", "allopurinol", RX_SAFETY_MAJOR },
    { "lisinopril", "spironolactone", RX_SAFETY_MODERATE },
    { "ramipril", "potassium chloride", RX_SAFETY_MAJOR },
    { "lisinopril", "losartan", RX_SAFETY_MAJOR },
    { "sacubitril + valsartan", "enalapril", RX_SAFETY_CONTRAINDICATED },
    { "lithium carbonate", "bendroflumethiazide", RX_SAFETY_MAJOR },
    { "clopidogrel", "omeprazole", RX_SAFETY_MODERATE },
    { "morphine", "diazepam", RX_SAFETY_MAJOR },
    { "rifampicin", "desogestrel", RX_SAFETY_MAJOR },
    { "rifampicin", "dolutegravir", RX_SAFETY_MAJOR },
    { "domperidone", "erythromycin", RX_SAFETY_CONTRAINDICATED },
    { "verapamil", "bisoprolol", RX_SAFETY_MAJOR },
    { "digoxin", "amiodarone", RX_SAFETY_MAJOR },
    { "doxycycline", "isotretinoin", RX_SAFETY_CONTRAINDICATED },
    { "levothyroxine", "ferrous sulfate", RX_SAFETY_MODERATE },
    { "paracetamol", "warfarin", RX_SAFETY_MINOR },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autoptr(GListModel) alerts = check_pair (pairs[i].a, pairs[i].b);
      g_autoptr(RxSafetyAlert) alert = find_alert (alerts, RX_SAFETY_INTERACTION);

      g_test_message ("%s + %s", pairs[i].a, pairs[i].b);
      g_assert_nonnull (alert);
      g_assert_cmpstr (rx_safety_severity_to_string (rx_safety_alert_get_severity (alert)), ==,
                       rx_safety_severity_to_string (pairs[i].severity));
      g_assert_cmpuint (g_strv_length ((char **) rx_safety_alert_get_drugs (alert)), ==, 2);
      g_assert_cmpuint (strlen (rx_safety_alert_get_message (alert)), >, 20);
      g_assert_cmpuint (count_kind (alerts, RX_SAFETY_INTERACTION), ==, 1);
    }
}

/* Everyday combinations say nothing at all: no interaction, duplicate or dose alert. */
static void
test_harmless_pairs (void)
{
  static const char * const pairs[][2] = {
    { "amlodipine", "atorvastatin" },
    { "metformin", "gliclazide" },
    { "paracetamol", "ibuprofen" },
    { "amoxicillin", "paracetamol" },
    { "omeprazole", "amlodipine" },
    { "salbutamol", "beclometasone" },
    { "levothyroxine", "atorvastatin" },
    { "lisinopril", "amlodipine" },
    { "cetirizine", "paracetamol" },
    { "metformin", "atorvastatin" },
    { "sertraline", "omeprazole" },
    { "bisoprolol", "ramipril" },
    { "acetylsalicylic acid", "clopidogrel" },
    { "salbutamol", "salmeterol" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autoptr(GListModel) alerts = check_pair (pairs[i][0], pairs[i][1]);

      g_test_message ("%s + %s", pairs[i][0], pairs[i][1]);
      dump (alerts);
      g_assert_cmpuint (g_list_model_get_n_items (alerts), ==, 0);
    }
}

/* A rule by ATC group covers every member; a rule's route and exclusions are honoured. */
static void
test_class_rules (void)
{
  static const struct
  {
    const char *a;
    const char *b;
    gboolean    found;
  } cases[] = {
    { "warfarin", "naproxen", TRUE },                         /* B01AA x M01A */
    { "acenocoumarol", "etoricoxib", TRUE },
    { "warfarin", "diclofenac-50mg-gastro-resistant-tablet", TRUE },
    { "warfarin", "diclofenac-1pct-gel", FALSE },             /* M02AA: on the skin */
    { "warfarin", "miconazole-20mg-g-oral-gel", TRUE },       /* by name, swallowed */
    { "warfarin", "miconazole-2pct-cream", FALSE },           /* by name, on the skin */
    { "rifampicin", "medroxyprogesterone-150mg-ml-injection", FALSE },  /* excluded */
    { "rifampicin", "levonorgestrel", TRUE },
    { "carbamazepine", "ethinylestradiol + levonorgestrel", TRUE },
    { "ibuprofen", "naproxen", TRUE },                        /* M01A x M01A */
    { "rivaroxaban", "clopidogrel", TRUE },                   /* B01AF x B01AC */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GListModel) alerts = check_pair (cases[i].a, cases[i].b);

      g_test_message ("%s + %s", cases[i].a, cases[i].b);
      dump (alerts);
      g_assert_cmpuint (count_kind (alerts, RX_SAFETY_INTERACTION), ==, cases[i].found ? 1 : 0);
    }
}

/* Every shipped rule names medicines of the shipped formulary on both sides, and two such
 * products checked together raise it. */
static void
test_every_rule_fires (void)
{
  g_autoptr(GPtrArray) codes = rx_test_ids (clinic.db, "SELECT code FROM products "
                                                       "WHERE deleted = 0 ORDER BY code");
  g_autoptr(GPtrArray) meds = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                              _rx_safety_med_free);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  guint rules = 0;

  for (guint i = 0; i < codes->len; i++)
    {
      RxSafetyItem item = { codes->pdata[i], NULL, NULL, NULL, NULL };

      g_ptr_array_add (meds, _rx_safety_med_new (clinic.db, &item, &error));
      g_assert_no_error (error);
    }

  stmt = _rx_db_prepare (clinic.db, "SELECT id, a_key, a_except, b_key, b_except, severity "
                                    "FROM safety_interactions ORDER BY id", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *side[2][2] = {
        { (const char *) sqlite3_column_text (stmt, 1),
          (const char *) sqlite3_column_text (stmt, 2) },
        { (const char *) sqlite3_column_text (stmt, 3),
          (const char *) sqlite3_column_text (stmt, 4) },
      };
      const char *pick[2] = { NULL, NULL };

      for (guint s = 0; s < 2; s++)
        for (guint m = 0; m < meds->len && pick[s] == NULL; m++)
          if (_rx_safety_med_matches (meds->pdata[m], side[s][0], side[s][1], FALSE))
            pick[s] = codes->pdata[m];

      if (pick[0] == NULL || pick[1] == NULL)
        g_error ("rule %" G_GINT64_FORMAT " (%s x %s) matches no product on one side",
                 (gint64) sqlite3_column_int64 (stmt, 0), side[0][0], side[1][0]);
      rules++;
    }
  sqlite3_reset (stmt);

  g_test_message ("%u interaction rules", rules);
  g_assert_cmpuint (rules, >=, 150);

  /* and end to end, through the check, for each rule's first matching pair */
  stmt = _rx_db_prepare (clinic.db, "SELECT a_key, a_except, b_key, b_except, severity "
                                    "FROM safety_interactions ORDER BY id", &error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *a = (const char *) sqlite3_column_text (stmt, 0);
      const char *b = (const char *) sqlite3_column_text (stmt, 2);
      RxSafetySeverity severity = RX_SAFETY_MINOR;
      RxSafetyMed *ma = NULL, *mb = NULL;
      guint ia = 0, ib = 0;

      rx_safety_severity_from_string ((const char *) sqlite3_column_text (stmt, 4), &severity);
      for (guint m = 0; m < meds->len && ma == NULL; m++)
        if (_rx_safety_med_matches (meds->pdata[m], a,
                                    (const char *) sqlite3_column_text (stmt, 1), FALSE))
          ma = meds->pdata[(ia = m)];
      for (guint m = 0; m < meds->len && mb == NULL; m++)
        {
          RxSafetyMed *candidate = meds->pdata[m];
          gboolean shares = FALSE;

          for (guint k = 0; candidate->inns[k]; k++)
            shares |= g_strv_contains ((const char * const *) ma->inns, candidate->inns[k]);
          if (!shares && _rx_safety_med_matches (candidate, b,
                                                 (const char *) sqlite3_column_text (stmt, 3),
                                                 FALSE))
            mb = meds->pdata[(ib = m)];
        }
      g_assert_nonnull (mb);

      {
        const char *names[] = { codes->pdata[ia], codes->pdata[ib], NULL };
        g_autoptr(GListModel) alerts = check_with (names, NULL);
        g_autoptr(RxSafetyAlert) alert = find_alert (alerts, RX_SAFETY_INTERACTION);

        if (alert == NULL)
          g_error ("%s + %s raised no interaction", names[0], names[1]);
        g_assert_cmpint (rx_safety_alert_get_severity (alert), >=, severity);
      }
    }
  sqlite3_reset (stmt);
}

/* Allergies -------------------------------------------------------------------------------- */

static RxSafetyAlert *
allergy_alert (const char *allergy,
               const char *drug)
{
  const char *names[] = { drug, NULL };
  const char *allergies[] = { allergy, NULL };
  g_autoptr(GListModel) alerts = check_with (names, allergies);

  dump (alerts);
  return find_alert (alerts, RX_SAFETY_ALLERGY);
}

static void
assert_allergy (const char       *allergy,
                const char       *drug,
                int               severity)   /* -1: no alert */
{
  g_autoptr(RxSafetyAlert) alert = allergy_alert (allergy, drug);

  g_test_message ("allergic to %s, given %s", allergy, drug);
  if (severity < 0)
    {
      g_assert_null (alert);
      return;
    }
  g_assert_nonnull (alert);
  g_assert_cmpstr (rx_safety_severity_to_string (rx_safety_alert_get_severity (alert)), ==,
                   rx_safety_severity_to_string (severity));
  g_assert_cmpstr (rx_safety_alert_get_drugs (alert)[0], !=, NULL);
}

static void
test_allergy_penicillin (void)
{
  g_autoptr(RxSafetyAlert) cross = NULL;

  assert_allergy ("penicillins", "amoxicillin", RX_SAFETY_CONTRAINDICATED);
  assert_allergy ("Penicillin", "co-amoxiclav", RX_SAFETY_CONTRAINDICATED);
  assert_allergy ("penicillins", "flucloxacillin", RX_SAFETY_CONTRAINDICATED);
  assert_allergy ("penicillins", "cefalexin", RX_SAFETY_MODERATE);
  assert_allergy ("penicillins", "ceftriaxone", RX_SAFETY_MODERATE);
  assert_allergy ("penicillins", "meropenem", RX_SAFETY_MINOR);
  assert_allergy ("penicillins", "azithromycin", -1);
  assert_allergy ("penicillins", "paracetamol", -1);

  cross = allergy_alert ("penicillins", "cefalexin");
  g_assert_nonnull (strstr (rx_safety_alert_get_message (cross), "cephalosporins"));
  g_assert_nonnull (strstr (rx_safety_alert_get_message (cross), "cross-react"));
}

static void
test_allergy_classes (void)
{
  /* an allergy to one medicine reaches its class, and the class's cross-sensitivities */
  assert_allergy ("amoxicillin", "amoxicillin", RX_SAFETY_CONTRAINDICATED);
  assert_allergy ("amoxicillin", "phenoxymethylpenicillin", RX_SAFETY_CONTRAINDICATED);
  assert_allergy ("amoxicillin", "cefuroxime", RX_SAFETY_MODERATE);
  assert_allergy ("Augmentin", "amoxicillin", RX_SAFETY_CONTRAINDICATED);
  assert_allergy ("sulfa", "co-trimoxazole", RX_SAFETY_CONTRAINDICATED);
  assert_allergy ("sulfonamides", "trimethoprim", -1);
  assert_allergy ("sulfonamides", "furosemide", RX_SAFETY_MINOR);
  assert_allergy ("nsaids", "naproxen", RX_SAFETY_CONTRAINDICATED);
  assert_allergy ("nsaids", "aspirin", RX_SAFETY_MAJOR);
  assert_allergy ("nsaids", "celecoxib", RX_SAFETY_MODERATE);
  assert_allergy ("aspirin", "ibuprofen", RX_SAFETY_MAJOR);
  assert_allergy ("codeine", "co-codamol", RX_SAFETY_CONTRAINDICATED);
  assert_allergy ("codeine", "morphine", RX_SAFETY_MODERATE);
  assert_allergy ("ace inhibitors", "sacubitril + valsartan", RX_SAFETY_CONTRAINDICATED);
  assert_allergy ("carbamazepine", "phenytoin", RX_SAFETY_MAJOR);
  assert_allergy ("chlorhexidine", "chlorhexidine", RX_SAFETY_CONTRAINDICATED);
}

static void
test_allergy_unknown (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxSafetyContext) context = rx_safety_context_new (clinic.db, NULL, &error);

  g_assert_no_error (error);
  g_assert_false (rx_safety_context_add_allergy (context, "penicilin", &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_NOT_FOUND, "penicillins");
  g_clear_error (&error);
  g_assert_false (rx_safety_context_add_allergy (context, "zzzzzz", &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_NOT_FOUND, "neither an allergy class");
}

/* A patient's recorded allergies count, a severe reaction raises a cross-sensitivity to major,
 * and an allergy that is no medicine (latex) is left alone. */
static void
test_patient_allergies (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *patient = rx_test_add_patient (clinic.db, "Allergic");
  g_autofree char *a1 = NULL;
  g_autofree char *a2 = NULL;
  g_autoptr(RxSafetyContext) context = NULL;
  g_autoptr(GListModel) alerts = NULL;
  RxSafetyItem items[] = {
    { NULL, "cefalexin", NULL, NULL, NULL },
    { NULL, "paracetamol", NULL, NULL, NULL },
  };
  g_autoptr(RxSafetyAlert) alert = NULL;

  a1 = rx_patients_add_allergy (clinic.db, patient, "penicillins", "anaphylaxis", "severe",
                                &error);
  g_assert_no_error (error);
  a2 = rx_patients_add_allergy (clinic.db, patient, "latex", NULL, NULL, &error);
  g_assert_no_error (error);

  context = rx_safety_context_new (clinic.db, patient, &error);
  g_assert_no_error (error);
  alerts = rx_safety_check (context, items, G_N_ELEMENTS (items), &error);
  g_assert_no_error (error);
  dump (alerts);
  g_assert_cmpuint (g_list_model_get_n_items (alerts), ==, 1);
  alert = find_alert (alerts, RX_SAFETY_ALLERGY);
  g_assert_cmpint (rx_safety_alert_get_severity (alert), ==, RX_SAFETY_MAJOR);
  g_assert_cmpstr (rx_safety_alert_get_drugs (alert)[0], ==, "cefalexin");
}

/* Duplicates ------------------------------------------------------------------------------- */

static void
test_duplicates (void)
{
  static const struct
  {
    const char *a;
    const char *b;
    gboolean    found;
  } cases[] = {
    { "omeprazole", "lansoprazole", TRUE },         /* A02BC */
    { "paracetamol", "co-codamol", TRUE },          /* the same ingredient */
    { "sertraline", "fluoxetine", TRUE },           /* N06AB */
    { "amlodipine", "felodipine", TRUE },
    { "aspirin", "clopidogrel", FALSE },            /* B01AC: dual antiplatelets are usual */
    { "lamotrigine", "levetiracetam", FALSE },      /* N03AX: an exception */
    { "diclofenac-1pct-gel", "diclofenac-50mg-gastro-resistant-tablet", FALSE },
    { "amlodipine", "bisoprolol", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GListModel) alerts = check_pair (cases[i].a, cases[i].b);
      g_autoptr(RxSafetyAlert) alert = find_alert (alerts, RX_SAFETY_DUPLICATE);

      g_test_message ("%s + %s", cases[i].a, cases[i].b);
      dump (alerts);
      g_assert_cmpint (alert != NULL, ==, cases[i].found);
      if (alert != NULL)
        g_assert_cmpint (rx_safety_alert_get_severity (alert), ==, RX_SAFETY_MODERATE);
    }
}

/* The patient's signed prescriptions are current medicines: a new one of the same group is
 * duplicate therapy, a new one that interacts is an interaction; drafts do not count. */
static void
test_current_medicines (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *patient = rx_test_add_patient (clinic.db, "Current");
  g_autofree char *doctor = rx_test_add_user (clinic.db, "currentdoc", "doctor");
  g_autofree char *sql = NULL;
  g_autoptr(RxPrescription) rx = NULL;
  g_autoptr(RxPrescription) draft = NULL;
  g_autoptr(RxSafetyContext) context = NULL;
  g_autoptr(GListModel) alerts = NULL;
  g_autoptr(RxSafetyAlert) duplicate = NULL;
  g_autoptr(RxSafetyAlert) interaction = NULL;
  RxItemFields current[] = {
    { "warfarin-1mg-tablet", "1 tablet", "once daily", NULL, 0, 28, 0, NULL },
  };
  RxItemFields drafted[] = {
    { "simvastatin-40mg-film-coated-tablet", "1 tablet", "at night", NULL, 0, 28, 0, NULL },
  };
  RxSafetyItem items[] = {
    { NULL, "acenocoumarol", "1 mg", "once daily", NULL },
    { NULL, "clarithromycin", NULL, NULL, NULL },
  };

  rx = rx_prescriptions_create (clinic.db, patient, "currentdoc", current, 1, NULL, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("UPDATE prescriptions SET status = 'signed' WHERE id = '%s'",
                         rx_prescription_get_id (rx));
  g_assert_true (_rx_db_exec (clinic.db, sql, &error));
  draft = rx_prescriptions_create (clinic.db, patient, "currentdoc", drafted, 1, NULL, &error);
  g_assert_no_error (error);

  context = rx_safety_context_new (clinic.db, patient, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rx_safety_context_get_n_current (context), ==, 1);
  alerts = rx_safety_check (context, items, G_N_ELEMENTS (items), &error);
  g_assert_no_error (error);
  dump (alerts);

  duplicate = find_alert (alerts, RX_SAFETY_DUPLICATE);
  g_assert_nonnull (duplicate);
  g_assert_nonnull (strstr (rx_safety_alert_get_message (duplicate), "Already prescribed"));
  g_assert_cmpstr (rx_safety_alert_get_drugs (duplicate)[1], ==, "warfarin");

  /* clarithromycin with the current warfarin, not with the draft's simvastatin */
  g_assert_cmpuint (count_kind (alerts, RX_SAFETY_INTERACTION), ==, 2);
  interaction = find_alert (alerts, RX_SAFETY_INTERACTION);
  g_assert_cmpint (rx_safety_alert_get_severity (interaction), ==, RX_SAFETY_MODERATE);
}

/* Doses ------------------------------------------------------------------------------------ */

static void
test_parse_frequency (void)
{
  static const struct
  {
    const char *text;
    double      per_day;
  } cases[] = {
    { "once daily", 1 }, { "OD", 1 }, { "at night", 1 }, { "BD", 2 }, { "twice a day", 2 },
    { "TDS", 3 }, { "three times a day", 3 }, { "QDS", 4 }, { "four times daily", 4 },
    { "every 6 hours", 4 }, { "every 4-6 hours when required", 6 }, { "q8h", 3 },
    { "once weekly", 1.0 / 7 }, { "twice weekly", 2.0 / 7 }, { "every other day", 0.5 },
    { "as needed", 0 }, { "PRN", 0 }, { "QDS as needed", 4 }, { "1 capsule TDS for 7 days", 3 },
    { "5 times a day", 5 }, { "stat", 1 }, { "with food", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].text);
      g_assert_cmpfloat_with_epsilon (_rx_safety_parse_frequency (cases[i].text),
                                      cases[i].per_day, 1e-9);
    }
}

static void
test_parse_strength_and_dose (void)
{
  RxStrengthPart parts[RX_SAFETY_MAX_PARTS];
  RxDose dose;

  g_assert_cmpuint (_rx_safety_parse_strength ("500 mg", parts, 6), ==, 1);
  g_assert_cmpfloat (parts[0].amount, ==, 500);
  g_assert_cmpint (parts[0].per, ==, RX_PER_EACH);
  g_assert_cmpuint (_rx_safety_parse_strength ("250 mg/5 mL", parts, 6), ==, 1);
  g_assert_cmpint (parts[0].per, ==, RX_PER_ML);
  g_assert_cmpfloat (parts[0].per_quantity, ==, 5);
  g_assert_cmpuint (_rx_safety_parse_strength ("100 micrograms + 6 micrograms/dose", parts, 6),
                    ==, 2);
  g_assert_cmpfloat_with_epsilon (parts[1].amount, 0.006, 1e-12);
  g_assert_cmpint (parts[0].per, ==, RX_PER_DOSE);
  g_assert_cmpuint (_rx_safety_parse_strength ("1 g", parts, 6), ==, 1);
  g_assert_cmpfloat (parts[0].amount, ==, 1000);
  g_assert_cmpuint (_rx_safety_parse_strength ("1.2 million units", parts, 6), ==, 1);
  g_assert_cmpint (parts[0].kind, ==, RX_AMOUNT_UNITS);
  g_assert_cmpuint (_rx_safety_parse_strength ("5 mg/24 hours", parts, 6), ==, 1);
  g_assert_cmpint (parts[0].per, ==, RX_PER_OTHER);
  g_assert_cmpuint (_rx_safety_parse_strength ("not a strength", parts, 6), ==, 0);

  g_assert_true (_rx_safety_parse_dose ("1-2 tablets", &dose));
  g_assert_cmpint (dose.kind, ==, RX_DOSE_COUNT);
  g_assert_cmpfloat (dose.quantity, ==, 2);
  g_assert_true (_rx_safety_parse_dose ("half a tablet at night", &dose));
  g_assert_cmpfloat (dose.quantity, ==, 0.5);
  g_assert_true (_rx_safety_parse_dose ("10 mL", &dose));
  g_assert_cmpint (dose.kind, ==, RX_DOSE_VOLUME);
  g_assert_true (_rx_safety_parse_dose ("1 g QDS", &dose));
  g_assert_cmpint (dose.kind, ==, RX_DOSE_MASS);
  g_assert_cmpfloat (dose.quantity, ==, 1000);
  g_assert_true (_rx_safety_parse_dose ("250 micrograms", &dose));
  g_assert_cmpfloat (dose.quantity, ==, 0.25);
  g_assert_true (_rx_safety_parse_dose ("1 TDS", &dose));
  g_assert_cmpint (dose.kind, ==, RX_DOSE_COUNT);
  g_assert_false (_rx_safety_parse_dose ("for 7 days", &dose));
  g_assert_true (_rx_safety_parse_daily_max ("1-2 every 4-6 hours, max 8 in 24 hours", &dose));
  g_assert_cmpfloat (dose.quantity, ==, 8);
}

/* One item, with its sig; the dose alert or NULL. */
static RxSafetyAlert *
dose_alert (const RxSafetyItem *items,
            guint               n_items)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxSafetyContext) context = rx_safety_context_new (clinic.db, NULL, &error);
  g_autoptr(GListModel) alerts = rx_safety_check (context, items, n_items, &error);

  g_assert_no_error (error);
  dump (alerts);
  return find_alert (alerts, RX_SAFETY_DOSE);
}

static void
assert_dose (const char *product,
             const char *sig,
             const char *expect)    /* NULL: fine; else words of the message */
{
  RxSafetyItem item = { product, NULL, NULL, NULL, sig };
  g_autoptr(RxSafetyAlert) alert = dose_alert (&item, 1);

  g_test_message ("%s; %s", product, sig);
  if (expect == NULL)
    {
      g_assert_null (alert);
      return;
    }
  g_assert_nonnull (alert);
  g_assert_cmpint (rx_safety_alert_get_severity (alert), ==, RX_SAFETY_MAJOR);
  if (strstr (rx_safety_alert_get_message (alert), expect) == NULL)
    g_error ("“%s” does not say “%s”", rx_safety_alert_get_message (alert), expect);
}

static void
test_doses (void)
{
  /* fine */
  assert_dose ("paracetamol-500mg-tablet", "2 tablets QDS", NULL);
  assert_dose ("paracetamol-500mg-tablet", "1-2 tablets every 4-6 hours, max 8 in 24 hours",
               NULL);
  assert_dose ("amoxicillin-500mg-capsule", "1 capsule TDS for 7 days", NULL);
  assert_dose ("amoxicillin-250mg-5ml-powder-for-oral-suspension", "10 mL three times a day",
               NULL);
  assert_dose ("methotrexate-2-5mg-tablet", "4 tablets once weekly", NULL);
  assert_dose ("gliclazide-30mg-modified-release-tablet", "4 tablets once daily", NULL);
  assert_dose ("gliclazide-80mg-tablet", "2 tablets twice daily", NULL);
  assert_dose ("paracetamol-500mg-tablet", "2 tablets as needed", NULL);  /* no rhythm: unknown */

  /* over */
  assert_dose ("paracetamol-500mg-tablet", "3 tablets QDS", "6 g of paracetamol a day");
  assert_dose ("paracetamol-500mg-tablet", "2 tablets every 4 hours", "maximum of 4 g a day");
  assert_dose ("amoxicillin-250mg-5ml-powder-for-oral-suspension", "40 mL four times a day",
               "8 g of amoxicillin");
  assert_dose ("methotrexate-2-5mg-tablet", "4 tablets once daily",
               "70 mg of methotrexate a week");
  assert_dose ("levothyroxine-100mcg-tablet", "4 tablets daily", "400 micrograms");
  assert_dose ("gliclazide-30mg-modified-release-tablet", "5 tablets once daily", "150 mg");
  assert_dose ("amoxicillin-clavulanic-acid-250mg-125mg-film-coated-tablet", "2 tablets TDS",
               "750 mg of clavulanic acid");
  assert_dose ("metoclopramide-10mg-tablet", "10 mg QDS", "40 mg");
}

/* Paracetamol from two medicines adds up. */
static void
test_dose_adds_up (void)
{
  RxSafetyItem items[] = {
    { "paracetamol-500mg-tablet", NULL, "2 tablets", "QDS", NULL },
    { "codeine-paracetamol-30mg-500mg-tablet", NULL, "2 tablets", "four times a day", NULL },
  };
  g_autoptr(RxSafetyAlert) alert = dose_alert (items, G_N_ELEMENTS (items));

  g_assert_nonnull (alert);
  g_assert_nonnull (strstr (rx_safety_alert_get_message (alert), "8 g of paracetamol"));
  g_assert_cmpuint (g_strv_length ((char **) rx_safety_alert_get_drugs (alert)), ==, 2);
}

/* Unknown medicines and speed ------------------------------------------------------------ */

static void
test_unknown_medicine (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxSafetyContext) context = rx_safety_context_new (clinic.db, NULL, &error);
  RxSafetyItem items[] = { { NULL, "warfarin", NULL, NULL, NULL },
                           { NULL, "amoxxicillin", NULL, NULL, NULL } };

  g_assert_null (rx_safety_check (context, items, 2, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_NOT_FOUND, "did you mean amoxicillin");
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Ten items, as the prescription window would check on a keystroke: under 5 ms. */
static void
test_speed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxSafetyContext) context = rx_safety_context_new (clinic.db, NULL, &error);
  RxSafetyItem items[] = {
    { "warfarin-1mg-tablet", NULL, "1 tablet", "once daily", NULL },
    { "amiodarone-200mg-tablet", NULL, "1 tablet", "once daily", NULL },
    { "simvastatin-40mg-film-coated-tablet", NULL, "1 tablet", "at night", NULL },
    { "paracetamol-500mg-tablet", NULL, "2 tablets", "QDS", NULL },
    { "amlodipine-5mg-tablet", NULL, "1 tablet", "once daily", NULL },
    { "metformin-500mg-film-coated-tablet", NULL, "1 tablet", "BD", NULL },
    { NULL, "omeprazole", "20 mg", "once daily", NULL },
    { NULL, "clarithromycin", NULL, NULL, "500 mg BD for 7 days" },
    { NULL, "sertraline", NULL, NULL, "50 mg once daily" },
    { NULL, "tramadol", NULL, NULL, "50 mg every 6 hours" },
  };
  double times[40];
  guint alerts = 0;

  g_assert_no_error (error);
  for (guint r = 0; r < G_N_ELEMENTS (times); r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GListModel) found = rx_safety_check (context, items, G_N_ELEMENTS (items),
                                                     &error);

      times[r] = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      alerts = g_list_model_get_n_items (found);
    }
  qsort (times, G_N_ELEMENTS (times), sizeof (double), compare_doubles);
  g_test_message ("10 items, %u alerts: median %.2f ms, slowest %.2f ms", alerts,
                  times[G_N_ELEMENTS (times) / 2], times[G_N_ELEMENTS (times) - 1]);
  g_assert_cmpuint (alerts, >=, 5);
  g_assert_cmpfloat (times[G_N_ELEMENTS (times) / 2], <, 5.0);
}

/* Overrides -------------------------------------------------------------------------------- */

static void
test_override (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *patient = rx_test_add_patient (clinic.db, "Override");
  g_autofree char *doctor = rx_test_add_user (clinic.db, "overridedoc", "doctor");
  g_autofree char *allergy = NULL;
  g_autofree char *before = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(RxPrescription) rx = NULL;
  g_autoptr(GListModel) alerts = NULL;
  RxItemFields items[] = {
    { "amoxicillin-500mg-capsule", "1 capsule", "TDS", NULL, 7, 21, 0, NULL },
  };
  RxItemFields mild[] = {
    { "omeprazole-20mg-gastro-resistant-capsule", "1 capsule", "once daily", NULL, 0, 28, 0,
      NULL },
    { "lansoprazole-15mg-gastro-resistant-capsule", "1 capsule", "once daily", NULL, 0, 28, 0,
      NULL },
  };
  gint64 overrides_before = rx_test_count (clinic.db, "SELECT count(*) FROM safety_overrides");

  allergy = rx_patients_add_allergy (clinic.db, patient, "penicillins", "rash", "moderate",
                                     &error);
  g_assert_no_error (error);
  before = g_strdup_printf ("%" G_GINT64_FORMAT,
                            rx_test_count (clinic.db, "SELECT count(*) FROM prescriptions"));

  /* refused without a reason, and with one too short; nothing written */
  g_assert_null (rx_prescriptions_create_checked (clinic.db, patient, "overridedoc", items, 1,
                                                  NULL, NULL, &alerts, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_SAFETY, "override");
  g_assert_true (rx_safety_alerts_need_override (alerts));
  g_clear_error (&error);
  g_clear_object (&alerts);
  g_assert_null (rx_prescriptions_create_checked (clinic.db, patient, "overridedoc", items, 1,
                                                  NULL, "   ok   ", NULL, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_SAFETY, "10 characters");
  g_clear_error (&error);
  g_assert_cmpint (rx_test_count (clinic.db, "SELECT count(*) FROM prescriptions"), ==,
                   g_ascii_strtoll (before, NULL, 10));

  /* accepted with a reason: stored with the prescription, synced and audited */
  rx = rx_prescriptions_create_checked (clinic.db, patient, "overridedoc", items, 1, NULL,
                                        "Tolerated amoxicillin in 2023; the rash was viral",
                                        &alerts, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rx);
  g_assert_cmpint (rx_test_count (clinic.db, "SELECT count(*) FROM safety_overrides"), ==,
                   overrides_before + 1);
  sql = g_strdup_printf ("SELECT count(*) FROM safety_overrides WHERE prescription_id = '%s' "
                         "AND kind = 'allergy' AND severity = 'contraindicated' "
                         "AND reason LIKE 'Tolerated amoxicillin%%' "
                         "AND message LIKE 'amoxicillin: Allergic to penicillins%%'",
                         rx_prescription_get_id (rx));
  g_assert_cmpint (rx_test_count (clinic.db, sql), ==, 1);
  g_assert_cmpint (rx_test_count (clinic.db, "SELECT count(*) FROM audit_events "
                                             "WHERE action = 'override' "
                                             "AND entity = 'safety_overrides' "
                                             "AND detail LIKE '%reason: Tolerated%'"), ==, 1);
  g_assert_cmpint (rx_test_count (clinic.db, "SELECT count(*) FROM change_log "
                                             "WHERE entity = 'safety_overrides'"), >=, 1);

  /* overrides are append-only */
  g_assert_false (_rx_db_exec (clinic.db, "UPDATE safety_overrides SET reason = 'changed it "
                                          "afterwards'", NULL));

  /* moderate alerts alone need no reason and store none */
  g_clear_object (&rx);
  g_clear_object (&alerts);
  rx = rx_prescriptions_create_checked (clinic.db, patient, "overridedoc", mild, 2, NULL, NULL,
                                        &alerts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_kind (alerts, RX_SAFETY_DUPLICATE), ==, 1);
  g_assert_cmpint (rx_test_count (clinic.db, "SELECT count(*) FROM safety_overrides"), ==,
                   overrides_before + 1);
}

static void
test_sync_rule (void)
{
  const RxSyncEntity *e = rx_sync_entity_lookup ("safety_overrides");
  g_autoptr(JsonObject) payload = json_object_new ();

  g_assert_nonnull (e);
  g_assert_cmpint (e->merge, ==, RX_MERGE_APPEND);
  g_assert_true (rx_sync_role_may_read (RX_ROLE_DOCTOR, "safety_overrides"));
  g_assert_true (rx_sync_role_may_read (RX_ROLE_PHARMACIST, "safety_overrides"));
  g_assert_false (rx_sync_role_may_read (RX_ROLE_RECEPTIONIST, "safety_overrides"));
  g_assert_true (rx_sync_role_may_write (RX_ROLE_DOCTOR, "safety_overrides", payload, NULL));
  g_assert_false (rx_sync_role_may_write (RX_ROLE_PHARMACIST, "safety_overrides", payload,
                                          NULL));
  g_assert_null (rx_sync_entity_lookup ("safety_interactions"));  /* reference data: local */
}

/* Loading ---------------------------------------------------------------------------------- */

/* A clinic whose rules are older than the installed files gets the new ones on its next
 * check; an unchanged one is left alone. */
static void
test_refresh (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *version = rx_safety_dup_data_version (clinic.db);
  gint64 imports = rx_test_count (clinic.db, "SELECT count(*) FROM audit_events "
                                             "WHERE entity = 'safety_rules'");
  g_autofree char *again = NULL;

  g_assert_nonnull (version);
  g_assert_cmpuint (strlen (version), ==, 64);
  g_assert_true (rx_safety_refresh (clinic.db, &error));
  g_assert_cmpint (rx_test_count (clinic.db, "SELECT count(*) FROM audit_events "
                                             "WHERE entity = 'safety_rules'"), ==, imports);

  g_assert_true (rx_db_begin (clinic.db, &error));
  g_assert_true (_rx_db_set_meta (clinic.db, "safety_data_version", "older", &error));
  g_assert_true (_rx_db_exec (clinic.db, "DELETE FROM safety_interactions", &error));
  g_assert_true (rx_db_commit (clinic.db, &error));

  {
    g_autoptr(RxSafetyContext) context = rx_safety_context_new (clinic.db, NULL, &error);

    g_assert_no_error (error);
  }
  again = rx_safety_dup_data_version (clinic.db);
  g_assert_cmpstr (again, ==, version);
  g_assert_cmpint (rx_test_count (clinic.db, "SELECT count(*) FROM safety_interactions"), >=,
                   150);
  g_assert_cmpint (rx_test_count (clinic.db, "SELECT count(*) FROM audit_events "
                                             "WHERE entity = 'safety_rules'"), ==, imports + 1);
}

static void
test_load_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rx_test_make_dir ();
  g_autofree char *data = rx_formulary_find_data_dir ();
  g_autofree char *source = g_build_filename (data, "safety", NULL);
  g_autoptr(GDir) listing = g_dir_open (source, 0, NULL);
  g_autofree char *bad = g_build_filename (dir, "interactions.csv", NULL);
  gint64 rules = rx_test_count (clinic.db, "SELECT count(*) FROM safety_interactions");
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *from = g_build_filename (source, name, NULL);
      g_autofree char *to = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (to, contents, length, NULL));
    }

  g_assert_true (g_file_set_contents (bad, "a,b,severity,message\n"
                                           "warfarin,M01A,major,\"fine\"\n"
                                           "warfarin,Ibuprofen,major,\"bad key\"\n", -1, NULL));
  g_assert_false (rx_safety_load_dir (clinic.db, dir, NULL, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_INVALID, "interactions.csv line 3");
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (bad, "a,b,severity,message\n"
                                           "warfarin,M01A,severe,\"bad severity\"\n", -1, NULL));
  g_assert_false (rx_safety_load_dir (clinic.db, dir, NULL, &error));
  rx_test_assert_error_says (error, RX_CORE_ERROR_INVALID, "severity");

  /* nothing was changed */
  g_assert_cmpint (rx_test_count (clinic.db, "SELECT count(*) FROM safety_interactions"), ==,
                   rules);
  rx_test_remove_dir (dir);
}

/* A migration that arrives after a later one (its number was missing when the database was
 * made) is applied on the next open. Migration 8's own tables stand in for it here. */
static void
test_migration_filled_in_later (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rx_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "late.db", NULL);
  g_auto(GStrv) names = g_resources_enumerate_children ("/org/rxdesk/RxDesk/core/migrations",
                                                        0, NULL);
  g_autoptr(RxDb) db = rx_db_create_clinic (path, "Late", &error);
  g_autofree char *skipped = NULL;
  gboolean has_7 = FALSE;

  g_assert_no_error (error);
  for (guint i = 0; names && names[i]; i++)
    has_7 |= g_str_has_prefix (names[i], "0007");
  skipped = rx_db_get_meta (db, "schema_skipped");
  if (!has_7)
    g_assert_cmpstr (skipped, ==, "7");
  g_clear_pointer (&skipped, g_free);

  g_assert_true (_rx_db_exec (db, "DROP TABLE safety_overrides; "
                                  "DROP TABLE safety_cross_sensitivity; "
                                  "DROP TABLE safety_allergy_members; "
                                  "DROP TABLE safety_allergy_names; "
                                  "DROP TABLE safety_allergy_classes; "
                                  "DROP TABLE safety_interactions; "
                                  "DROP TABLE safety_max_doses; "
                                  "DROP TABLE safety_duplicate_exceptions; "
                                  "INSERT INTO meta (key, value) VALUES ('schema_skipped', '8') "
                                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                              &error));
  g_clear_object (&db);

  db = rx_db_open (path, RX_DB_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rx_db_get_schema_version (db), ==, rx_db_get_latest_schema_version ());
  g_assert_cmpint (rx_test_count (db, "SELECT count(*) FROM safety_overrides"), ==, 0);
  skipped = rx_db_get_meta (db, "schema_skipped");
  g_assert_cmpstr (skipped, ==, "");

  g_clear_object (&db);
  rx_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  RxSafetyCounts counts = { 0, };
  int status;

  g_test_init (&argc, &argv, NULL);

  rx_test_clinic_setup (&clinic, NULL);
  g_assert_true (rx_formulary_load_default (clinic.db, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rx_safety_load_default (clinic.db, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.interactions, >=, 150);
  g_assert_cmpuint (counts.allergy_classes, >=, 10);
  g_assert_cmpuint (counts.max_doses, >=, 100);

  g_test_add_func ("/safety/interactions/known-pairs", test_known_pairs);
  g_test_add_func ("/safety/interactions/harmless-pairs", test_harmless_pairs);
  g_test_add_func ("/safety/interactions/class-rules", test_class_rules);
  g_test_add_func ("/safety/interactions/every-rule-fires", test_every_rule_fires);
  g_test_add_func ("/safety/allergy/penicillin", test_allergy_penicillin);
  g_test_add_func ("/safety/allergy/classes", test_allergy_classes);
  g_test_add_func ("/safety/allergy/unknown", test_allergy_unknown);
  g_test_add_func ("/safety/allergy/patient", test_patient_allergies);
  g_test_add_func ("/safety/duplicates", test_duplicates);
  g_test_add_func ("/safety/current-medicines", test_current_medicines);
  g_test_add_func ("/safety/dose/parse-frequency", test_parse_frequency);
  g_test_add_func ("/safety/dose/parse-strength-and-dose", test_parse_strength_and_dose);
  g_test_add_func ("/safety/dose/limits", test_doses);
  g_test_add_func ("/safety/dose/adds-up", test_dose_adds_up);
  g_test_add_func ("/safety/unknown-medicine", test_unknown_medicine);
  g_test_add_func ("/safety/speed", test_speed);
  g_test_add_func ("/safety/override", test_override);
  g_test_add_func ("/safety/sync-rule", test_sync_rule);
  g_test_add_func ("/safety/load/refresh", test_refresh);
  g_test_add_func ("/safety/load/errors", test_load_errors);
  g_test_add_func ("/safety/migration/filled-in-later", test_migration_filled_in_later);

  status = g_test_run ();
  rx_test_clinic_teardown (&clinic, NULL);

  return status;
}
