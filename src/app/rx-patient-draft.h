/* rx-patient-draft.h: what the reception's patient form holds before it is saved: the
 * fields, the allergies added and removed, what is wrong with them, and the one transaction
 * that saves them. No widgets, so it is tested on its own. */
#pragma once

#include "rx-core.h"

G_BEGIN_DECLS

typedef enum
{
  RX_PATIENT_DRAFT_FAMILY_NAME,
  RX_PATIENT_DRAFT_GIVEN_NAMES,
  RX_PATIENT_DRAFT_BIRTH_DATE,
  RX_PATIENT_DRAFT_SEX,
  RX_PATIENT_DRAFT_PHONE,
  RX_PATIENT_DRAFT_ADDRESS,
  RX_PATIENT_DRAFT_N_FIELDS,
  RX_PATIENT_DRAFT_ALLERGY = RX_PATIENT_DRAFT_N_FIELDS,
} RxPatientDraftField;

/* One thing to fix before saving, and the field it is about. */
typedef struct
{
  RxPatientDraftField  field;
  char                *message;
} RxPatientDraftProblem;

typedef struct
{
  RxPatient *original;                          /* NULL for a patient not yet registered */
  char      *fields[RX_PATIENT_DRAFT_N_FIELDS]; /* never NULL; "" when empty */
  GPtrArray *allergies;                         /* RxAllergy; id NULL for those added here */
  GPtrArray *removed;                           /* ids of recorded allergies to remove */
} RxPatientDraft;

RxPatientDraft *rx_patient_draft_new            (RxPatient            *original);
RxPatientDraft *rx_patient_draft_copy           (const RxPatientDraft *self);
void            rx_patient_draft_free           (RxPatientDraft       *self);
void            rx_patient_draft_set            (RxPatientDraft       *self,
                                                 RxPatientDraftField   field,
                                                 const char           *value);
const char     *rx_patient_draft_get            (const RxPatientDraft *self,
                                                 RxPatientDraftField   field);
gboolean        rx_patient_draft_add_allergy    (RxPatientDraft       *self,
                                                 const char           *allergen,
                                                 const char           *reaction,
                                                 const char           *severity,
                                                 GError              **error);
void            rx_patient_draft_remove_allergy (RxPatientDraft       *self,
                                                 guint                 index);
gboolean        rx_patient_draft_is_modified    (const RxPatientDraft *self);
GPtrArray      *rx_patient_draft_check          (const RxPatientDraft *self,
                                                 GDate                *today);
RxPatient      *rx_patient_draft_save           (const RxPatientDraft *self,
                                                 RxDb                 *db,
                                                 GError              **error);

void            rx_patient_draft_problem_free   (RxPatientDraftProblem *problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxPatientDraft, rx_patient_draft_free)

G_END_DECLS
