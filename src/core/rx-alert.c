/* rx-alert.c: raising alerts, acknowledging them once, and the list of open ones. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-alert.h"
#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-records-private.h"
#include "rx-validate.h"

struct _RxAlert
{
  GObject  parent_instance;

  char    *id;
  char    *kind;
  char    *severity;
  char    *patient_id;
  char    *message;
  char    *created_at;
  char    *acknowledged_by;
  char    *acknowledged_at;
};

G_DEFINE_FINAL_TYPE (RxAlert, rx_alert, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_SEVERITY,
  PROP_PATIENT_ID,
  PROP_MESSAGE,
  PROP_CREATED_AT,
  PROP_ACKNOWLEDGED_BY,
  PROP_ACKNOWLEDGED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const kinds[] = { "emergency", "safety", "stock", "sync", "system", NULL };
static const char * const severities[] = { "info", "warning", "critical", NULL };

static void
rx_alert_finalize (GObject *object)
{
  RxAlert *self = (RxAlert *) object;

  g_free (self->id);
  g_free (self->kind);
  g_free (self->severity);
  g_free (self->patient_id);
  g_free (self->message);
  g_free (self->created_at);
  g_free (self->acknowledged_by);
  g_free (self->acknowledged_at);

  G_OBJECT_CLASS (rx_alert_parent_class)->finalize (object);
}

static void
rx_alert_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  RxAlert *self = RX_ALERT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;

    case PROP_SEVERITY:
      g_value_set_string (value, self->severity);
      break;

    case PROP_PATIENT_ID:
      g_value_set_string (value, self->patient_id);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    case PROP_CREATED_AT:
      g_value_set_string (value, self->created_at);
      break;

    case PROP_ACKNOWLEDGED_BY:
      g_value_set_string (value, self->acknowledged_by);
      break;

    case PROP_ACKNOWLEDGED_AT:
      g_value_set_string (value, self->acknowledged_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_alert_class_init (RxAlertClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rx_alert_finalize;
  object_class->get_property = rx_alert_get_property;

#define RO_STRING(prop, name) \
  properties[prop] = g_param_spec_string (name, NULL, NULL, NULL, \
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)
  RO_STRING (PROP_ID, "id");
  RO_STRING (PROP_KIND, "kind");
  RO_STRING (PROP_SEVERITY, "severity");
  RO_STRING (PROP_PATIENT_ID, "patient-id");
  RO_STRING (PROP_MESSAGE, "message");
  RO_STRING (PROP_CREATED_AT, "created-at");
  RO_STRING (PROP_ACKNOWLEDGED_BY, "acknowledged-by");
  RO_STRING (PROP_ACKNOWLEDGED_AT, "acknowledged-at");
#undef RO_STRING

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_alert_init (RxAlert *self)
{
}

#define GETTER(field) \
  const char * \
  rx_alert_get_##field (RxAlert *self) \
  { \
    g_return_val_if_fail (RX_IS_ALERT (self), NULL); \
    return self->field; \
  }
GETTER (id)
GETTER (kind)
GETTER (severity)
GETTER (patient_id)
GETTER (message)
GETTER (created_at)
GETTER (acknowledged_by)
GETTER (acknowledged_at)
#undef GETTER

/**
 * rx_alerts_raise:
 * @kind: emergency, safety, stock, sync or system
 * @severity: info, warning or critical
 * @patient_id: (nullable): the patient it concerns, if any
 * @message: what happened and what to do, up to 1000 characters
 *
 * Returns: (transfer full): the new alert's id, or %NULL with @error set
 */
char *
rx_alerts_raise (RxDb        *db,
                 const char  *kind,
                 const char  *severity,
                 const char  *patient_id,
                 const char  *message,
                 GError     **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *now = NULL;
  g_autofree char *id = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (!rx_validate_one_of (kind, "Alert kind", kinds, error) ||
      !rx_validate_one_of (severity, "Alert severity", severities, error) ||
      !rx_validate_text (message, "Alert message", 1000, TRUE, error) ||
      (patient_id != NULL &&
       !_rx_records_require (db, "patients", patient_id, "patient", error)))
    return NULL;

  clean = g_strstrip (g_strdup (message));
  if (!rx_validate_text (clean, "Alert message", 1000, TRUE, error))
    return NULL;
  now = rx_db_now_iso (db);

  if (!rx_db_begin (db, error))
    return NULL;

  row = _rx_row_new_insert ("alerts");
  _rx_row_set_text (row, "kind", kind);
  _rx_row_set_text (row, "severity", severity);
  _rx_row_set_text (row, "patient_id", patient_id);
  _rx_row_set_text (row, "message", clean);
  _rx_row_set_text (row, "created_at", now);

  detail = g_strdup_printf ("%s %s", severity, kind);
  if (!_rx_db_put (db, row, error) ||
      !_rx_db_audit (db, "create", "alerts", _rx_row_get_id (row), detail, error) ||
      !rx_db_commit (db, error))
    {
      rx_db_rollback (db);
      return NULL;
    }

  id = g_strdup (_rx_row_get_id (row));
  return g_steal_pointer (&id);
}

/**
 * rx_alerts_acknowledge:
 * @user_id: who saw it and takes it on
 *
 * Closes an open alert. An alert is acknowledged once; a second time is
 * %RX_CORE_ERROR_TRANSITION and names who did it first.
 */
gboolean
rx_alerts_acknowledge (RxDb        *db,
                       const char  *alert_id,
                       const char  *user_id,
                       GError     **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  g_autofree char *by = NULL;
  g_autofree char *at = NULL;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (!_rx_records_require (db, "users", user_id, "user", error))
    return FALSE;

  if (!rx_db_begin (db, error))
    return FALSE;

  stmt = _rx_db_prepare (db,
                         "SELECT acknowledged_by, acknowledged_at FROM alerts "
                         "WHERE id = ?1 AND deleted = 0", error);
  if (stmt == NULL)
    goto fail;
  _rx_stmt_bind_text (stmt, 1, alert_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      found = TRUE;
      by = _rx_stmt_dup_text (stmt, 0);
      at = _rx_stmt_dup_text (stmt, 1);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Reading an alert", error);
      goto fail;
    }
  if (!found)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   "There is no alert with the id “%s”; it may have come from another "
                   "workstation that has not synced yet", alert_id ? alert_id : "");
      goto fail;
    }
  if (at != NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION,
                   "The alert was already acknowledged at %s by %s; nothing more to do",
                   at, by ? by : "someone");
      goto fail;
    }

  now = rx_db_now_iso (db);
  row = _rx_row_new_update ("alerts", alert_id);
  _rx_row_set_text (row, "acknowledged_by", user_id);
  _rx_row_set_text (row, "acknowledged_at", now);

  if (!_rx_db_put (db, row, error) ||
      !_rx_db_audit (db, "acknowledge", "alerts", alert_id, user_id, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return TRUE;

fail:
  rx_db_rollback (db);
  return FALSE;
}

/**
 * rx_alerts_list_open:
 *
 * Returns: (transfer full): a #GListModel of the unacknowledged #RxAlert, critical ones
 *   first, then warnings, then information; oldest first within each
 */
GListModel *
rx_alerts_list_open (RxDb    *db,
                     GError **error)
{
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_ALERT);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  stmt = _rx_db_prepare (db,
                         "SELECT id, kind, severity, patient_id, message, created_at "
                         "FROM alerts WHERE acknowledged_at IS NULL AND deleted = 0 "
                         "ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 "
                         "ELSE 2 END, created_at, rowid", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RxAlert) alert = g_object_new (RX_TYPE_ALERT, NULL);

      alert->id = _rx_stmt_dup_text (stmt, 0);
      alert->kind = _rx_stmt_dup_text (stmt, 1);
      alert->severity = _rx_stmt_dup_text (stmt, 2);
      alert->patient_id = _rx_stmt_dup_text (stmt, 3);
      alert->message = _rx_stmt_dup_text (stmt, 4);
      alert->created_at = _rx_stmt_dup_text (stmt, 5);
      g_list_store_append (store, alert);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Listing open alerts", error);
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}
