/* rx-prescription.h: prescriptions, their items and their status machine. */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"

G_BEGIN_DECLS

typedef enum
{
  RX_PRESCRIPTION_DRAFT,
  RX_PRESCRIPTION_SIGNED,
  RX_PRESCRIPTION_PARTIALLY_DISPENSED,
  RX_PRESCRIPTION_DISPENSED,
  RX_PRESCRIPTION_CANCELLED,
  RX_PRESCRIPTION_SUPERSEDED,
  RX_PRESCRIPTION_EXPIRED,
} RxPrescriptionStatus;

const char *rx_prescription_status_to_string   (RxPrescriptionStatus  status);
gboolean    rx_prescription_status_from_string (const char           *text,
                                                RxPrescriptionStatus *status);
gboolean    rx_prescription_status_can_move    (RxPrescriptionStatus  from,
                                                RxPrescriptionStatus  to);

#define RX_TYPE_PRESCRIPTION_ITEM (rx_prescription_item_get_type ())

typedef struct
{
  char   *id;
  guint   position;
  char   *product_id;
  char   *product_name;   /* "amoxicillin 500 mg capsule" */
  char   *dose;           /* "1 capsule" */
  char   *frequency;      /* "TDS", "every 6 hours", "as needed" */
  char   *route;
  int     duration_days;  /* 0 when not given */
  gint64  quantity;
  int     repeats;
  char   *instructions;
} RxPrescriptionItem;

GType               rx_prescription_item_get_type (void) G_GNUC_CONST;
RxPrescriptionItem *rx_prescription_item_copy     (const RxPrescriptionItem *item);
void                rx_prescription_item_free     (RxPrescriptionItem       *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxPrescriptionItem, rx_prescription_item_free)

/* What a prescriber fills in for one item; product is an id or code. */
typedef struct
{
  const char *product;
  const char *dose;
  const char *frequency;
  const char *route;
  int         duration_days;
  gint64      quantity;
  int         repeats;
  const char *instructions;
} RxItemFields;

#define RX_TYPE_PRESCRIPTION (rx_prescription_get_type ())
G_DECLARE_FINAL_TYPE (RxPrescription, rx_prescription, RX, PRESCRIPTION, GObject)

const char           *rx_prescription_get_id            (RxPrescription *self);
const char           *rx_prescription_get_patient_id    (RxPrescription *self);
const char           *rx_prescription_get_prescriber_id (RxPrescription *self);
RxPrescriptionStatus  rx_prescription_get_status        (RxPrescription *self);
const char           *rx_prescription_get_created_at    (RxPrescription *self);
const char           *rx_prescription_get_signed_at     (RxPrescription *self);
const char           *rx_prescription_get_notes         (RxPrescription *self);
GPtrArray            *rx_prescription_get_items         (RxPrescription *self);

RxPrescription *rx_prescriptions_create     (RxDb                 *db,
                                             const char           *patient_id,
                                             const char           *prescriber,
                                             const RxItemFields   *items,
                                             guint                 n_items,
                                             const char           *notes,
                                             GError              **error);
RxPrescription *rx_prescriptions_get        (RxDb                 *db,
                                             const char           *id,
                                             GError              **error);
GListModel     *rx_prescriptions_list       (RxDb                 *db,
                                             const char           *patient_id_or_null,
                                             int                   status_or_minus_one,
                                             guint                 limit,
                                             GError              **error);
gboolean        rx_prescriptions_set_status (RxDb                 *db,
                                             const char           *id,
                                             RxPrescriptionStatus  to,
                                             const char           *reason,
                                             GError              **error);
gboolean        rx_prescriptions_supersede  (RxDb                 *db,
                                             const char           *old_id,
                                             const char           *new_id,
                                             const char           *reason,
                                             GError              **error);

G_END_DECLS
