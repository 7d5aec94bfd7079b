/* rx-patient.h: patients and their allergies. */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"

G_BEGIN_DECLS

#define RX_TYPE_PATIENT (rx_patient_get_type ())
G_DECLARE_FINAL_TYPE (RxPatient, rx_patient, RX, PATIENT, GObject)

#define RX_TYPE_ALLERGY (rx_allergy_get_type ())

struct _RxAllergy
{
  char *id;
  char *allergen;   /* a medicine or a class, e.g. "penicillins", "sulfonamides" */
  char *reaction;
  char *severity;   /* mild, moderate, severe, unknown */
};

GType        rx_allergy_get_type      (void) G_GNUC_CONST;
RxAllergy   *rx_allergy_copy          (const RxAllergy *allergy);
void         rx_allergy_free          (RxAllergy       *allergy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxAllergy, rx_allergy_free)

/* Fields a caller supplies; NULL means "not given" (on update: leave unchanged). */
typedef struct
{
  const char *family_name;
  const char *given_names;
  const char *birth_date;   /* YYYY-MM-DD */
  const char *sex;          /* M, F or X */
  const char *phone;
  const char *address;
} RxPatientFields;

const char  *rx_patient_get_id            (RxPatient *self);
const char  *rx_patient_get_record_number (RxPatient *self);
const char  *rx_patient_get_family_name   (RxPatient *self);
const char  *rx_patient_get_given_names   (RxPatient *self);
const char  *rx_patient_get_birth_date    (RxPatient *self);
const char  *rx_patient_get_sex           (RxPatient *self);
const char  *rx_patient_get_phone         (RxPatient *self);
const char  *rx_patient_get_address       (RxPatient *self);
gboolean     rx_patient_get_restricted    (RxPatient *self);
char        *rx_patient_dup_display_name  (RxPatient *self);
int          rx_patient_get_age           (RxPatient *self,
                                           GDate     *on);
GPtrArray   *rx_patient_get_allergies     (RxPatient *self);

RxPatient   *rx_patients_add              (RxDb                  *db,
                                           const RxPatientFields *fields,
                                           const char * const    *allergens,
                                           GError               **error);
gboolean     rx_patients_update           (RxDb                  *db,
                                           const char            *id,
                                           const RxPatientFields *fields,
                                           GError               **error);
RxPatient   *rx_patients_get              (RxDb                  *db,
                                           const char            *id_or_record,
                                           GError               **error);
GListModel  *rx_patients_search           (RxDb                  *db,
                                           const char            *text,
                                           guint                  limit,
                                           GError               **error);
char        *rx_patients_add_allergy      (RxDb                  *db,
                                           const char            *patient_id,
                                           const char            *allergen,
                                           const char            *reaction,
                                           const char            *severity,
                                           GError               **error);
gboolean     rx_patients_remove_allergy   (RxDb                  *db,
                                           const char            *allergy_id,
                                           GError               **error);

G_END_DECLS
