/* rx-dispense.h: the pharmacy's side of a prescription: the queue of signed prescriptions
 * still to dispense, the batches to take each item from (first expiry, first out), the
 * dispense itself (stock, status and bill in one transaction) and the label text. */
#pragma once

#include <gio/gio.h>

#include "rx-prescription.h"
#include "rx-types.h"

G_BEGIN_DECLS

/* A lot expiring within this many days is shown as expiring soon. */
#define RX_DISPENSE_SOON_DAYS    90
/* The till a dispense is billed on when the caller names none. */
#define RX_DISPENSE_DEFAULT_TILL "till-1"

/* Batches ------------------------------------------------------------------------------- */

/* One lot to take stock from, and how much. */
typedef struct
{
  char     *batch_id;
  char     *lot;
  char     *expiry;         /* YYYY-MM-DD */
  gint64    on_hand;        /* on this workstation's ledger, before this pick */
  gint64    quantity;       /* to take */
  gboolean  expires_soon;   /* within RX_DISPENSE_SOON_DAYS */
} RxBatchPick;

#define RX_TYPE_BATCH_PICK (rx_batch_pick_get_type ())
GType        rx_batch_pick_get_type       (void) G_GNUC_CONST;
RxBatchPick *rx_batch_pick_copy           (const RxBatchPick *pick);
void         rx_batch_pick_free           (RxBatchPick       *pick);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxBatchPick, rx_batch_pick_free)

/* The lots to take `quantity` of a product from at this site, first to expire first. Expired
 * lots and lots with nothing on hand are never suggested. Covers as much as there is: when
 * the lots in date hold less, `short_by` (optional) says how many are missing. */
GPtrArray   *rx_dispense_suggest_batches  (RxDb          *db,
                                           const char    *product_id,
                                           gint64         quantity,
                                           gint64        *short_by,
                                           GError       **error);

/* The queue ------------------------------------------------------------------------------ */

/* One item of a prescription, as the pharmacist sees it. */
typedef struct
{
  char   *item_id;
  guint   number;        /* 1, 2, ... as printed on the prescription */
  char   *product_id;
  char   *product_code;
  char   *product_name;  /* "amoxicillin 500 mg capsule" */
  char   *directions;    /* "1 capsule TDS for 7 days. Take with water" */
  gint64  quantity;      /* one fill */
  int     repeats;
  gint64  prescribed;    /* quantity × (1 + repeats) */
  gint64  dispensed;     /* by every pharmacy of the organisation, as far as this one knows */
  gint64  remaining;     /* prescribed − dispensed, never below 0 */
  gint64  available;     /* in-date stock on hand at this site */
} RxDispenseItem;

#define RX_TYPE_DISPENSE_ITEM (rx_dispense_item_get_type ())
GType           rx_dispense_item_get_type (void) G_GNUC_CONST;
RxDispenseItem *rx_dispense_item_copy     (const RxDispenseItem *item);
void            rx_dispense_item_free     (RxDispenseItem       *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxDispenseItem, rx_dispense_item_free)

#define RX_TYPE_DISPENSE_ENTRY (rx_dispense_entry_get_type ())
G_DECLARE_FINAL_TYPE (RxDispenseEntry, rx_dispense_entry, RX, DISPENSE_ENTRY, GObject)

const char           *rx_dispense_entry_get_prescription_id (RxDispenseEntry *self);
const char           *rx_dispense_entry_get_patient_id      (RxDispenseEntry *self);
const char           *rx_dispense_entry_get_patient_name    (RxDispenseEntry *self);
const char           *rx_dispense_entry_get_record_number   (RxDispenseEntry *self);
const char           *rx_dispense_entry_get_prescriber_name (RxDispenseEntry *self);
RxPrescriptionStatus  rx_dispense_entry_get_status          (RxDispenseEntry *self);
const char           *rx_dispense_entry_get_signed_at       (RxDispenseEntry *self);
gboolean              rx_dispense_entry_get_verified        (RxDispenseEntry *self);
const char           *rx_dispense_entry_get_verify_reason   (RxDispenseEntry *self);
gint64                rx_dispense_entry_get_remaining       (RxDispenseEntry *self);
GPtrArray            *rx_dispense_entry_get_items           (RxDispenseEntry *self);

/* Signed and partially dispensed prescriptions, oldest signature first, each with its
 * items' remainders and whether its signature verifies (an unverifiable one stays in the
 * queue, marked, so the patient can be sent back; it cannot be dispensed). Every check is
 * audited, as rx_prescriptions_verify() audits it. */
GListModel      *rx_dispense_queue        (RxDb          *db,
                                           guint          limit,
                                           GError       **error);
/* One prescription as the queue would show it, whatever its status. */
RxDispenseEntry *rx_dispense_get_entry    (RxDb          *db,
                                           const char    *prescription_id,
                                           GError       **error);

/* Dispensing ----------------------------------------------------------------------------- */

/* What to dispense of one item. */
typedef struct
{
  guint       item;      /* its number, 1-based */
  gint64      quantity;  /* 0: one fill (the item's quantity, or what remains if less) */
  const char *lot;       /* NULL: first expiry first out, over as many lots as it takes */
} RxDispenseLine;

/* One dispensing row: one item from one lot. */
typedef struct
{
  char   *id;
  guint   item;
  char   *product_id;
  char   *product_name;
  char   *batch_id;
  char   *lot;
  char   *expiry;
  gint64  quantity;
  char   *movement_id;
  char   *invoice_line_id;
  gint64  unit_price_minor;
  gint64  total_minor;
} RxDispensed;

#define RX_TYPE_DISPENSED (rx_dispensed_get_type ())
GType        rx_dispensed_get_type        (void) G_GNUC_CONST;
RxDispensed *rx_dispensed_copy            (const RxDispensed *dispensed);
void         rx_dispensed_free            (RxDispensed       *dispensed);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxDispensed, rx_dispensed_free)

typedef struct
{
  GPtrArray            *dispensed;       /* of RxDispensed, in the order written */
  char                 *invoice_id;      /* the patient's open invoice at the till */
  gint64                invoice_number;
  char                 *till;
  RxPrescriptionStatus  status;          /* partially_dispensed or dispensed */
  gint64                remaining;       /* over every item, repeats included */
} RxDispenseResult;

void      rx_dispense_result_clear        (RxDispenseResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RxDispenseResult, rx_dispense_result_clear)

/* Dispenses, in one transaction that writes everything or nothing: the pharmacist (username
 * or id; the logged-in user when there is one) must be allowed to dispense; the signature
 * must verify (else the verifier's reason is the error, and the refusal is audited); the
 * prescription must be signed or partially dispensed; no item may get more than remains of
 * it (quantity × (1 + repeats) − dispensed); no lot may be expired or go below zero on this
 * workstation's ledger. Each lot taken becomes a dispensings row, a 'dispense' stock
 * movement that names it, and a line on the patient's open invoice at `till` (opened if
 * there is none; NULL means RX_DISPENSE_DEFAULT_TILL), priced per unit from the product's
 * smallest pack. The prescription then moves to partially_dispensed or, when nothing at all
 * remains, dispensed. With no lines, every item with something left gets one fill.
 * `out` is filled on success; clear it with rx_dispense_result_clear(). */
gboolean  rx_dispense                     (RxDb                  *db,
                                           const char            *prescription_id,
                                           const char            *pharmacist,
                                           const char            *till,
                                           const RxDispenseLine  *lines,
                                           guint                  n_lines,
                                           RxDispenseResult      *out,
                                           GError               **error);

/* The label for one dispensing, as plain text lines: pharmacy, patient, medicine (strength
 * and form), quantity, directions, lot and expiry, date and pharmacist. The read is
 * audited. */
char     *rx_dispense_label               (RxDb                  *db,
                                           const char            *dispensing_id,
                                           GError               **error);

/* Safety --------------------------------------------------------------------------------- */

/* The safety alerts of a prescription's items (element-type RxSafetyAlert): against each
 * other, the patient's allergies and their other current medicines (rx-dispense-safety.c). */
GListModel *rx_dispense_check_safety      (RxDb                  *db,
                                           RxDispenseEntry       *entry,
                                           GError               **error);

G_END_DECLS
