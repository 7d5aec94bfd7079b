/* rx-sync-rules.c: the per-table sync rules (see rx-sync-rules.h). */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-sync-rules.h"

#define B(a) RX_ACTION_BIT (RX_ACTION_##a)

static const char * const rx_status_fields[] = { "status", NULL };
static const char * const product_stock_fields[] = { "gtin", "reorder_level", NULL };
static const char * const totp_use_fields[] = { "last_step", NULL };
static const char * const certificate_local_fields[] = { "private_key", NULL };

#define PRESCRIBING  (B (PRESCRIPTION_WRITE) | B (PRESCRIPTION_SIGN))
#define RX_READERS   (B (PRESCRIPTION_READ) | B (DISPENSE))

/* Kept in the order a fresh workstation needs them: a row's parents come before it. */
static const RxSyncEntity entities[] = {
  { "organisations",         RX_MERGE_FIELDS, 0, B (USER_ADMIN), 0, NULL, NULL },
  { "sites",                 RX_MERGE_FIELDS, 0, B (USER_ADMIN), 0, NULL, NULL },
  { "users",                 RX_MERGE_FIELDS, 0, B (USER_ADMIN), 0, NULL, NULL },
  { "certificates",          RX_MERGE_FIELDS, 0, B (USER_ADMIN), 0, NULL,
    certificate_local_fields },
  { "user_totp",             RX_MERGE_FIELDS, 0, B (USER_ADMIN), B (PRESCRIPTION_SIGN),
    totp_use_fields, NULL },
  { "drugs",                 RX_MERGE_FIELDS, 0, B (FORMULARY_WRITE), 0, NULL, NULL },
  { "drug_synonyms",         RX_MERGE_FIELDS, 0, B (FORMULARY_WRITE), 0, NULL, NULL },
  { "products",              RX_MERGE_FIELDS, 0, B (FORMULARY_WRITE), B (STOCK_WRITE),
    product_stock_fields, NULL },
  { "packs",                 RX_MERGE_FIELDS, 0, B (FORMULARY_WRITE), 0, NULL, NULL },
  { "patients",              RX_MERGE_FIELDS, B (PATIENT_READ), B (PATIENT_WRITE), 0, NULL, NULL },
  { "patient_allergies",     RX_MERGE_FIELDS, B (PATIENT_READ), B (PATIENT_WRITE), 0, NULL, NULL },
  { "break_glass",           RX_MERGE_FIELDS, B (PATIENT_READ), B (BREAK_GLASS), 0, NULL, NULL },
  { "appointments",          RX_MERGE_FIELDS, B (PATIENT_READ), B (APPOINTMENT_WRITE), 0, NULL,
    NULL },
  { "stock_batches",         RX_MERGE_FIELDS, 0, B (STOCK_WRITE) | B (DISPENSE), 0, NULL, NULL },
  { "stock_movements",       RX_MERGE_APPEND, 0, B (STOCK_WRITE) | B (DISPENSE), 0, NULL, NULL },
  { "prescriptions",         RX_MERGE_FIELDS, RX_READERS, PRESCRIBING,
    B (PRESCRIPTION_CANCEL) | B (DISPENSE), rx_status_fields, NULL },
  { "prescription_items",    RX_MERGE_FIELDS, RX_READERS, PRESCRIBING, 0, NULL, NULL },
  { "prescription_signatures", RX_MERGE_APPEND, RX_READERS, PRESCRIBING, 0, NULL, NULL },
  { "prescription_events",   RX_MERGE_APPEND, RX_READERS,
    PRESCRIBING | B (PRESCRIPTION_CANCEL) | B (DISPENSE), 0, NULL, NULL },
  { "dispensings",           RX_MERGE_APPEND, RX_READERS, B (DISPENSE), 0, NULL, NULL },
  { "safety_overrides",      RX_MERGE_APPEND, RX_READERS, PRESCRIBING, 0, NULL, NULL },
  { "sig_favourites",        RX_MERGE_FIELDS, B (PRESCRIPTION_WRITE), B (PRESCRIPTION_WRITE), 0,
    NULL, NULL },
  { "invoices",              RX_MERGE_FIELDS, B (BILLING), B (BILLING), 0, NULL, NULL },
  { "invoice_lines",         RX_MERGE_FIELDS, B (BILLING), B (BILLING), 0, NULL, NULL },
  { "payments",              RX_MERGE_APPEND, B (BILLING), B (BILLING), 0, NULL, NULL },
  { "medicine_orders",       RX_MERGE_FIELDS, 0, 0, 0, NULL, NULL },
  { "medicine_order_items",  RX_MERGE_FIELDS, 0, 0, 0, NULL, NULL },
  { "order_events",          RX_MERGE_APPEND, 0, 0, 0, NULL, NULL },
  { "alerts",                RX_MERGE_FIELDS, 0, 0, 0, NULL, NULL },
  { "feedback",              RX_MERGE_FIELDS, 0, 0, 0, NULL, NULL },
  { "conflicts",             RX_MERGE_FIELDS, 0,
    B (DISPENSE) | B (STOCK_WRITE) | B (USER_ADMIN), 0, NULL, NULL },
  { "audit_events",          RX_MERGE_APPEND, B (AUDIT_READ), 0, 0, NULL, NULL },
};

const RxSyncEntity *
rx_sync_entities (guint *n_entities)
{
  *n_entities = G_N_ELEMENTS (entities);
  return entities;
}

const RxSyncEntity *
rx_sync_entity_lookup (const char *name)
{
  if (name == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (strcmp (entities[i].name, name) == 0)
      return &entities[i];

  return NULL;
}

static gboolean
role_has_any (RxRole role,
              guint  actions)
{
  if (actions == 0)
    return TRUE;

  for (guint a = 0; a < RX_N_ACTIONS; a++)
    if ((actions & RX_ACTION_BIT (a)) != 0 && rx_role_can (role, a))
      return TRUE;

  return FALSE;
}

gboolean
rx_sync_role_may_read (RxRole      role,
                       const char *entity)
{
  const RxSyncEntity *e = rx_sync_entity_lookup (entity);

  return e != NULL && role_has_any (role, e->read_actions);
}

static gboolean
in_list (const char * const *list,
         const char         *name)
{
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    if (strcmp (list[i], name) == 0)
      return TRUE;
  return FALSE;
}

/* Only the status fields (and the row's id and stamps) are in the payload? */
static gboolean
status_only (const RxSyncEntity *e,
             JsonObject         *payload)
{
  g_autoptr(GList) members = NULL;

  if (e->status_fields == NULL || payload == NULL)
    return FALSE;

  members = json_object_get_members (payload);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;

      if (strcmp (key, "id") == 0 || in_list (e->status_fields, key))
        continue;
      return FALSE;
    }

  return TRUE;
}

gboolean
rx_sync_role_may_write (RxRole       role,
                        const char  *entity,
                        JsonObject  *payload,
                        char       **reason)
{
  const RxSyncEntity *e = rx_sync_entity_lookup (entity);

  if (e == NULL)
    {
      if (reason != NULL)
        *reason = g_strdup_printf ("\"%s\" is not something RxDesk synchronises", entity);
      return FALSE;
    }

  if (role_has_any (role, e->write_actions))
    return TRUE;

  if (e->status_actions != 0 && role_has_any (role, e->status_actions) &&
      status_only (e, payload))
    return TRUE;

  if (reason != NULL)
    *reason = g_strdup_printf ("a %s may not change %s", rx_role_to_string (role), entity);
  return FALSE;
}

gboolean
rx_sync_is_local_field (const char *entity,
                        const char *field)
{
  const RxSyncEntity *e = rx_sync_entity_lookup (entity);

  return e != NULL && in_list (e->local_fields, field);
}

gboolean
rx_sync_is_prescription_entity (const char *entity)
{
  return g_strcmp0 (entity, "prescriptions") == 0 ||
         g_strcmp0 (entity, "prescription_items") == 0 ||
         g_strcmp0 (entity, "prescription_signatures") == 0;
}
