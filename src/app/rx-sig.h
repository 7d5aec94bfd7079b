/* rx-sig.h: the directions for one prescribed medicine (a "sig") as the prescription window
 * edits them: dose, route, how often, for how long, and the quantity that follows. A plain
 * struct without widgets, so the arithmetic is tested on its own. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RX_SIG_ONCE_DAILY,
  RX_SIG_TWICE_DAILY,
  RX_SIG_THREE_TIMES_DAILY,
  RX_SIG_FOUR_TIMES_DAILY,
  RX_SIG_EVERY_N_HOURS,
  RX_SIG_AS_NEEDED,
  RX_SIG_N_FREQUENCIES
} RxSigFrequency;

typedef struct
{
  double          dose;           /* in unit, e.g. 1 (tablet), 500 (mg), 5 (mL) */
  char           *unit;           /* "tablet", "capsule", "mL", "mg", "puff" */
  char           *pack_unit;      /* what the quantity counts ("tablet", "inhaler"), or NULL */
  char           *route;          /* "oral" */
  RxSigFrequency  frequency;
  guint           every_hours;    /* for RX_SIG_EVERY_N_HOURS, 1 to 24 */
  guint           max_per_day;    /* for RX_SIG_AS_NEEDED: doses at most a day, 0 unknown */
  guint           duration_days;  /* 0 when not given */
  gint64          quantity;       /* what the pharmacy supplies, in the pack's unit */
  gboolean        quantity_set;   /* typed by the prescriber: no longer computed */
  guint           repeats;        /* 0 to 12 */
  char           *instructions;   /* extra words for the patient, or NULL */
} RxSig;

RxSig      *rx_sig_new                  (const char      *form,
                                         const char      *route,
                                         const char      *pack_unit);
RxSig      *rx_sig_copy                 (const RxSig     *sig);
void        rx_sig_free                 (RxSig           *sig);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxSig, rx_sig_free)

const char *rx_sig_frequency_label      (RxSigFrequency   frequency);
const char *rx_sig_frequency_code       (RxSigFrequency   frequency);
double      rx_sig_doses_per_day        (const RxSig     *sig);
gboolean    rx_sig_unit_is_countable    (const char      *unit);
gint64      rx_sig_compute_quantity     (const RxSig     *sig);
void        rx_sig_update_quantity      (RxSig           *sig);
char       *rx_sig_dup_dose             (const RxSig     *sig);
char       *rx_sig_dup_frequency        (const RxSig     *sig);
char       *rx_sig_dup_directions       (const RxSig     *sig);
char       *rx_sig_dup_problem          (const RxSig     *sig);
void        rx_sig_parse_frequency      (RxSig           *sig,
                                         const char      *text);
void        rx_sig_parse_dose           (RxSig           *sig,
                                         const char      *text);

G_END_DECLS
