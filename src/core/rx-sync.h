/* rx-sync.h: the workstation's side of sync that lives in core: which local changes are
 * ready to push, applying pages pulled from the server under the merge rules, checkpoints,
 * and a clinic file made empty to be filled from the server. The network is librxdesk-sync's
 * business; nothing here talks to it. */
#pragma once

#include <glib.h>

#include "rx-change-log.h"
#include "rx-types.h"

G_BEGIN_DECLS

typedef struct
{
  guint applied;    /* entries merged into the database */
  guint skipped;    /* already known (own entries, or applied before) */
  guint parked;     /* waiting for a row they refer to */
  guint conflicts;  /* new conflicts raised */
  GHashTable *tables;  /* (nullable): names of the tables applied entries touched are added */
} RxApplyStats;

RxDb       *rx_db_create_replica         (const char    *path,
                                          const char    *clinic_org_id,
                                          const char    *node_id,
                                          GError       **error);

GPtrArray  *rx_change_log_pushable       (RxDb          *db,
                                          gint64         after_seq,
                                          guint          limit,
                                          const char    *author,
                                          GError       **error);
gint64      rx_change_log_count_pushable (RxDb          *db);
gint64      rx_change_log_count_refused  (RxDb          *db);
gboolean    rx_change_log_mark_refused   (RxDb          *db,
                                          gint64         seq,
                                          const char    *reason,
                                          GError       **error);
char       *rx_change_strip_local_fields (const RxChange *change);
char       *rx_sync_user_payload         (RxDb          *db,
                                          const char    *username,
                                          GError       **error);

gboolean    rx_sync_apply_page           (RxDb          *db,
                                          GPtrArray     *changes,
                                          const char    *checkpoint_key,
                                          gint64         checkpoint,
                                          RxApplyStats  *stats,
                                          GError       **error);
gint64      rx_sync_get_checkpoint       (RxDb          *db,
                                          const char    *checkpoint_key);
gint64      rx_sync_count_parked         (RxDb          *db);
gint64      rx_sync_data_version         (RxDb          *db);
char       *rx_sync_digest               (RxDb          *db,
                                          GError       **error);

gboolean    rx_sync_set_setting          (RxDb          *db,
                                          const char    *key,
                                          const char    *value,
                                          GError       **error);

G_END_DECLS
