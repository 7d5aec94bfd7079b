/* rx-safety-private.h: the parts of the safety checks that core and the tests share: reading
 * strengths, doses and frequencies, and how a medicine is matched against a rule's key. */
#pragma once

#include "rx-safety.h"

G_BEGIN_DECLS

typedef enum
{
  RX_AMOUNT_OTHER,    /* %, or a unit the checks do not add up */
  RX_AMOUNT_MASS,     /* in mg */
  RX_AMOUNT_UNITS,    /* international units */
} RxAmountKind;

typedef enum
{
  RX_PER_EACH,        /* a tablet, capsule, sachet, vial... */
  RX_PER_ML,
  RX_PER_DOSE,        /* one actuation of an inhaler or spray */
  RX_PER_OTHER,       /* per gram of cream, per hour of a patch */
} RxPerKind;

/* One ingredient's share of a strength: amount (mg or units) in per_quantity of per. */
typedef struct
{
  double        amount;
  RxAmountKind  kind;
  RxPerKind     per;
  double        per_quantity;
} RxStrengthPart;

typedef enum
{
  RX_DOSE_NONE,
  RX_DOSE_COUNT,      /* tablets, capsules, puffs, sprays, sachets... */
  RX_DOSE_VOLUME,     /* mL */
  RX_DOSE_MASS,       /* mg */
  RX_DOSE_UNITS,
} RxDoseKind;

typedef struct
{
  RxDoseKind kind;
  double     quantity;
} RxDose;

#define RX_SAFETY_MAX_PARTS 6

guint     _rx_safety_parse_strength  (const char      *strength,
                                      RxStrengthPart  *parts,
                                      guint            max_parts);
gboolean  _rx_safety_parse_dose      (const char      *text,
                                      RxDose          *dose);
gboolean  _rx_safety_parse_daily_max (const char      *text,
                                      RxDose          *per_day);
double    _rx_safety_parse_frequency (const char      *text);
guint     _rx_safety_daily_amounts   (const char      *strength,
                                      const char      *dose,
                                      const char      *frequency,
                                      const char      *instructions,
                                      double          *amounts,
                                      RxAmountKind    *kinds,
                                      guint            max_parts);
char     *_rx_safety_format_amount   (double           amount,
                                      RxAmountKind     kind);

gboolean  _rx_safety_route_is_local  (const char      *route);
gboolean  _rx_safety_key_is_atc      (const char      *key);

/* Loading: the data version of the files in a folder (NULL if a file is missing). */
char     *_rx_safety_files_version   (const char      *dir);

G_END_DECLS

G_BEGIN_DECLS

/* A medicine as the checks see it: a chosen product, or a drug named before a product is. */
typedef struct
{
  char      *label;         /* generic name, shown in alerts */
  GStrv      inns;          /* its ingredients */
  GPtrArray *atcs;          /* ATC codes: one for a product; a named drug's systemic ones */
  char      *route;
  char      *form;
  char      *strength;      /* NULL for a drug named without a product */
  gboolean   systemic;      /* reaches the blood (not only skin, eye, ear or vagina) */
  gboolean   current;       /* from the patient's signed prescriptions, not being written */
  char      *dose;
  char      *frequency;
  char      *instructions;
} RxSafetyMed;

typedef struct
{
  char             *name;
  RxSafetySeverity  same_class;
  char             *description;
  GPtrArray        *keys;          /* "key" or "key!except" strings */
} RxAllergyClass;

typedef struct
{
  const RxAllergyClass *class;
  const RxAllergyClass *related;
  RxSafetySeverity      severity;
  char                 *note;
} RxCrossSensitivity;

typedef struct
{
  char                 *text;       /* as recorded or given */
  gboolean              severe;     /* the recorded reaction was severe */
  const RxAllergyClass *class;      /* the allergen is a class... */
  RxSafetyMed          *drug;       /* ...or a medicine */
  GPtrArray            *drug_classes;
} RxAllergen;

/* What the checks read from a context. */
typedef struct
{
  RxDb       *db;
  GHashTable *classes;          /* name -> RxAllergyClass */
  GPtrArray  *class_order;      /* the same, by name, so that findings come out the same */
  GPtrArray  *crosses;          /* RxCrossSensitivity */
  GHashTable *dup_exceptions;   /* ATC level-4 group -> note */
  GPtrArray  *allergens;        /* RxAllergen */
} RxSafetyRules;

RxSafetyMed *_rx_safety_med_new       (RxDb               *db,
                                       const RxSafetyItem *item,
                                       GError            **error);
void      _rx_safety_med_free         (RxSafetyMed        *med);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxSafetyMed, _rx_safety_med_free)

gboolean  _rx_safety_med_matches      (const RxSafetyMed  *med,
                                       const char         *key,
                                       const char         *except,
                                       gboolean            any_route);
gboolean  _rx_safety_in_class         (const RxSafetyMed    *med,
                                       const RxAllergyClass *class);

gboolean  _rx_safety_check_interactions (const RxSafetyRules *rules,
                                         GPtrArray           *meds,
                                         GPtrArray           *alerts,
                                         GError             **error);
void      _rx_safety_check_duplicates   (const RxSafetyRules *rules,
                                         GPtrArray           *meds,
                                         GPtrArray           *alerts);
void      _rx_safety_check_allergies    (const RxSafetyRules *rules,
                                         GPtrArray           *meds,
                                         GPtrArray           *alerts);
gboolean  _rx_safety_check_doses        (const RxSafetyRules *rules,
                                         GPtrArray           *meds,
                                         GPtrArray           *alerts,
                                         GError             **error);

RxSafetyContext *_rx_safety_context_new_leaving_out (RxDb        *db,
                                                     const char  *patient_or_null,
                                                     const char  *leave_out,
                                                     GError     **error);

G_END_DECLS
