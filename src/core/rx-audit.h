/* rx-audit.h: reading and verifying the tamper-evident audit trail. */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"

G_BEGIN_DECLS

#define RX_TYPE_AUDIT_EVENT (rx_audit_event_get_type ())

typedef struct
{
  char *id;
  char *at;
  char *actor;
  char *workstation;
  char *action;
  char *entity;
  char *entity_id;
  char *detail;
  char *hash;
} RxAuditEvent;

GType          rx_audit_event_get_type (void) G_GNUC_CONST;
RxAuditEvent  *rx_audit_event_copy     (const RxAuditEvent *event);
void           rx_audit_event_free     (RxAuditEvent       *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxAuditEvent, rx_audit_event_free)

GPtrArray     *rx_audit_list           (RxDb        *db,
                                        guint        limit,
                                        GError     **error);
gboolean       rx_audit_verify         (RxDb        *db,
                                        guint64     *n_checked,
                                        GError     **error);

G_END_DECLS
