/* rx-safety-alert.h: one finding of the prescribing safety checks, as the safety panel and
 * the command line show it: what kind, how severe, which medicines and why. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  RX_SAFETY_INTERACTION,
  RX_SAFETY_ALLERGY,
  RX_SAFETY_DUPLICATE,
  RX_SAFETY_DOSE,
} RxSafetyKind;

/* In rising order, so that severities compare with < and >. */
typedef enum
{
  RX_SAFETY_MINOR,
  RX_SAFETY_MODERATE,
  RX_SAFETY_MAJOR,
  RX_SAFETY_CONTRAINDICATED,
} RxSafetySeverity;

const char *rx_safety_kind_to_string         (RxSafetyKind       kind);
const char *rx_safety_severity_to_string     (RxSafetySeverity   severity);
gboolean    rx_safety_severity_from_string   (const char        *text,
                                              RxSafetySeverity  *severity);

#define RX_TYPE_SAFETY_ALERT (rx_safety_alert_get_type ())
G_DECLARE_FINAL_TYPE (RxSafetyAlert, rx_safety_alert, RX, SAFETY_ALERT, GObject)

RxSafetyAlert      *rx_safety_alert_new            (RxSafetyKind        kind,
                                                    RxSafetySeverity    severity,
                                                    const char * const *drugs,
                                                    const char         *message);
RxSafetyKind        rx_safety_alert_get_kind       (RxSafetyAlert      *self);
RxSafetySeverity    rx_safety_alert_get_severity   (RxSafetyAlert      *self);
const char * const *rx_safety_alert_get_drugs      (RxSafetyAlert      *self);
const char         *rx_safety_alert_get_message    (RxSafetyAlert      *self);
gboolean            rx_safety_alert_needs_override (RxSafetyAlert      *self);
char               *rx_safety_alert_dup_summary    (RxSafetyAlert      *self);

G_END_DECLS
