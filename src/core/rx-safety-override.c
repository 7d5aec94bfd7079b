/* rx-safety-override.c: writing a prescription through the safety checks. Contraindicated and
 * major alerts stop it unless the prescriber gives a reason; the reason is stored with the
 * prescription, one record per alert, and audited, in the same transaction. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-prescription-private.h"
#include "rx-safety-private.h"
#include "rx-validate.h"

#define MIN_REASON 10

static gboolean
store_override (RxDb           *db,
                const char     *prescription_id,
                RxSafetyAlert  *alert,
                const char     *reason,
                const char     *at,
                GError        **error)
{
  g_autoptr(RxRow) row = _rx_row_new_insert ("safety_overrides");
  g_autofree char *summary = rx_safety_alert_dup_summary (alert);
  g_autofree char *drugs = g_strjoinv (" + ", (char **) rx_safety_alert_get_drugs (alert));
  g_autofree char *message = g_strdup_printf ("%s%s%s", drugs, *drugs ? ": " : "",
                                              rx_safety_alert_get_message (alert));
  g_autofree char *detail = NULL;

  _rx_row_set_text (row, "prescription_id", prescription_id);
  _rx_row_set_text (row, "kind", rx_safety_kind_to_string (rx_safety_alert_get_kind (alert)));
  _rx_row_set_text (row, "severity",
                    rx_safety_severity_to_string (rx_safety_alert_get_severity (alert)));
  _rx_row_set_text (row, "message", message);
  _rx_row_set_text (row, "reason", reason);
  _rx_row_set_text (row, "at", at);
  if (!_rx_db_put (db, row, error))
    return FALSE;

  detail = g_strdup_printf ("%s; reason: %s", summary, reason);
  return _rx_db_audit (db, "override", "safety_overrides", _rx_row_get_id (row), detail, error);
}

/**
 * rx_prescriptions_create_checked:
 * @override_reason: (nullable): why the prescriber goes ahead despite contraindicated or major
 *   alerts; at least 10 characters
 * @alerts: (out) (optional) (transfer full): what the checks found, whether or not the
 *   prescription was written
 *
 * Like rx_prescriptions_create(), after checking the items against each other and against the
 * patient's allergies and current medicines. Fails with %RX_CORE_ERROR_SAFETY when an alert
 * needs an override and no good reason was given.
 */
RxPrescription *
rx_prescriptions_create_checked (RxDb                *db,
                                 const char          *patient_id,
                                 const char          *prescriber,
                                 const RxItemFields  *items,
                                 guint                n_items,
                                 const char          *notes,
                                 const char          *override_reason,
                                 GListModel         **alerts,
                                 GError             **error)
{
  g_autoptr(RxSafetyContext) context = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autoptr(GArray) checked = g_array_new (FALSE, TRUE, sizeof (RxSafetyItem));
  g_autofree char *reason = NULL;
  g_autofree char *id = NULL;
  g_autofree char *now = NULL;
  guint blocking = 0;

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (items != NULL || n_items == 0, NULL);

  if (alerts != NULL)
    *alerts = NULL;

  if (!_rx_db_require (db, RX_ACTION_PRESCRIPTION_WRITE, error))
    return NULL;

  for (guint i = 0; i < n_items; i++)
    {
      RxSafetyItem item = { items[i].product, NULL, items[i].dose, items[i].frequency,
                            items[i].instructions };

      if (items[i].product == NULL || *items[i].product == '\0')
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "Item %u has no medicine; choose one from the formulary", i + 1);
          return NULL;
        }
      g_array_append_val (checked, item);
    }

  context = rx_safety_context_new (db, patient_id, error);
  if (context == NULL)
    return NULL;
  found = rx_safety_check (context, (RxSafetyItem *) checked->data, checked->len, error);
  if (found == NULL)
    return NULL;
  if (alerts != NULL)
    *alerts = g_object_ref (found);

  for (guint i = 0; i < g_list_model_get_n_items (found); i++)
    {
      g_autoptr(RxSafetyAlert) alert = g_list_model_get_item (found, i);

      blocking += rx_safety_alert_needs_override (alert);
    }

  if (override_reason != NULL)
    reason = g_strstrip (g_strdup (override_reason));
  if (blocking > 0 && (reason == NULL || g_utf8_strlen (reason, -1) < MIN_REASON))
    {
      g_autoptr(RxSafetyAlert) first = g_list_model_get_item (found, 0);
      g_autofree char *summary = rx_safety_alert_dup_summary (first);

      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_SAFETY,
                   reason == NULL
                     ? "%u safety alert%s need%s an override (%s); give the reason for going "
                       "ahead (at least 10 characters) or change the prescription"
                     : "%u safety alert%s need%s an override (%s), and a reason of at least 10 "
                       "characters",
                   blocking, blocking == 1 ? "" : "s", blocking == 1 ? "s" : "", summary);
      return NULL;
    }
  if (blocking > 0 && !rx_validate_text (reason, "The override reason", 500, TRUE, error))
    return NULL;

  if (!rx_db_begin (db, error))
    return NULL;

  id = _rx_prescriptions_insert (db, patient_id, prescriber, items, n_items, notes, error);
  if (id == NULL)
    goto fail;

  now = rx_db_now_iso (db);
  for (guint i = 0; i < g_list_model_get_n_items (found); i++)
    {
      g_autoptr(RxSafetyAlert) alert = g_list_model_get_item (found, i);

      if (rx_safety_alert_needs_override (alert) &&
          !store_override (db, id, alert, reason, now, error))
        goto fail;
    }

  if (!rx_db_commit (db, error))
    goto fail;

  return _rx_prescriptions_load (db, id, error);

fail:
  rx_db_rollback (db);
  return NULL;
}
