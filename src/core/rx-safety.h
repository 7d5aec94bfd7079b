/* rx-safety.h: the prescribing safety checks: drug interactions, allergies and
 * cross-sensitivity, duplicate therapy and maximum daily doses, over the medicines being
 * prescribed plus the patient's current ones. Fast enough to run on every keystroke. */
#pragma once

#include <gio/gio.h>

#include "rx-prescription.h"
#include "rx-safety-alert.h"
#include "rx-types.h"

G_BEGIN_DECLS

/* One medicine being prescribed. Give a product (id or code) when one is chosen, else a drug
 * name (generic, other name or brand). Dose and frequency are read from their fields, or from
 * the instructions when those are NULL ("1 capsule TDS for 7 days"). */
typedef struct
{
  const char *product;
  const char *drug;
  const char *dose;          /* "1 tablet", "500 mg", "10 mL" */
  const char *frequency;     /* "TDS", "every 6 hours", "once weekly", "as needed" */
  const char *instructions;
} RxSafetyItem;

typedef struct
{
  guint interactions;
  guint allergy_classes;
  guint cross_sensitivities;
  guint max_doses;
  guint duplicate_exceptions;
} RxSafetyCounts;

gboolean          rx_safety_load_dir            (RxDb                *db,
                                                 const char          *dir,
                                                 RxSafetyCounts      *counts,
                                                 GError             **error);
gboolean          rx_safety_load_default        (RxDb                *db,
                                                 RxSafetyCounts      *counts,
                                                 GError             **error);
gboolean          rx_safety_refresh             (RxDb                *db,
                                                 GError             **error);
char             *rx_safety_dup_data_version    (RxDb                *db);

#define RX_TYPE_SAFETY_CONTEXT (rx_safety_context_get_type ())
G_DECLARE_FINAL_TYPE (RxSafetyContext, rx_safety_context, RX, SAFETY_CONTEXT, GObject)

RxSafetyContext  *rx_safety_context_new         (RxDb                *db,
                                                 const char          *patient_or_null,
                                                 GError             **error);
gboolean          rx_safety_context_add_allergy (RxSafetyContext     *self,
                                                 const char          *class_or_medicine,
                                                 GError             **error);
const char       *rx_safety_context_get_patient_id (RxSafetyContext  *self);
guint             rx_safety_context_get_n_current  (RxSafetyContext  *self);

GListModel       *rx_safety_check               (RxSafetyContext     *self,
                                                 const RxSafetyItem  *items,
                                                 guint                n_items,
                                                 GError             **error);
gboolean          rx_safety_alerts_need_override (GListModel         *alerts);

RxPrescription   *rx_prescriptions_create_checked (RxDb                *db,
                                                   const char          *patient_id,
                                                   const char          *prescriber,
                                                   const RxItemFields  *items,
                                                   guint                n_items,
                                                   const char          *notes,
                                                   const char          *override_reason,
                                                   GListModel         **alerts,
                                                   GError             **error);

G_END_DECLS
