/* rx-sync-rules.h: what each synced table is to sync: how two versions of it merge, which
 * roles may read it and which may write it. One table, used by the workstation when it
 * pushes and applies, and by rxdesk-server on every request, so the two can never disagree. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "rx-role.h"

G_BEGIN_DECLS

typedef enum
{
  RX_MERGE_FIELDS,  /* mutable record: last writer wins per field (HLC, ties by node id) */
  RX_MERGE_APPEND,  /* append-only record: inserted once, never changed */
} RxMergeKind;

#define RX_ACTION_BIT(a) (1u << (a))

typedef struct
{
  const char         *name;
  RxMergeKind         merge;
  guint               read_actions;    /* any of these lets a role pull it; 0: every role */
  guint               write_actions;   /* any of these lets a role push any change to it */
  guint               status_actions;  /* any of these lets a role push a change of only
                                          the status_fields */
  const char * const *status_fields;
  const char * const *local_fields;    /* never leave the workstation (private keys) */
} RxSyncEntity;

const RxSyncEntity  *rx_sync_entity_lookup       (const char          *name);
const RxSyncEntity  *rx_sync_entities            (guint               *n_entities);
gboolean             rx_sync_role_may_read       (RxRole               role,
                                                  const char          *entity);
gboolean             rx_sync_role_may_write      (RxRole               role,
                                                  const char          *entity,
                                                  JsonObject          *payload,
                                                  char               **reason);
gboolean             rx_sync_is_local_field      (const char          *entity,
                                                  const char          *field);
gboolean             rx_sync_is_prescription_entity (const char       *entity);

G_END_DECLS
