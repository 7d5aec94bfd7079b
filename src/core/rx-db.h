/* rx-db.h: one clinic's SQLite database: opening, migrations, transactions, backup. */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"

G_BEGIN_DECLS

#define RX_TYPE_DB (rx_db_get_type ())

G_DECLARE_FINAL_TYPE (RxDb, rx_db, RX, DB, GObject)

typedef enum
{
  RX_DB_OPEN_NONE   = 0,
  RX_DB_OPEN_CREATE = 1 << 0,  /* make a new clinic file; fails if the file exists */
} RxDbOpenFlags;

RxDb       *rx_db_open                   (const char     *path,
                                          RxDbOpenFlags   flags,
                                          GError        **error);
RxDb       *rx_db_create_clinic          (const char     *path,
                                          const char     *clinic_name,
                                          GError        **error);
gboolean    rx_db_migrate_to             (RxDb           *self,
                                          int             version,
                                          GError        **error);
int         rx_db_get_schema_version     (RxDb           *self);
int         rx_db_get_latest_schema_version (void);
const char *rx_db_get_path               (RxDb           *self);
const char *rx_db_get_org_id             (RxDb           *self);
const char *rx_db_get_site_id            (RxDb           *self);
const char *rx_db_get_node_id            (RxDb           *self);
char       *rx_db_dup_clinic_name        (RxDb           *self);
const char *rx_db_get_actor              (RxDb           *self);
void        rx_db_set_actor              (RxDb           *self,
                                          const char     *actor);
void        rx_db_set_user               (RxDb           *self,
                                          RxUser         *user);
RxUser     *rx_db_get_user               (RxDb           *self);
void        rx_db_set_clock              (RxDb           *self,
                                          RxClockFunc     clock,
                                          gpointer        user_data);
gint64      rx_db_now                    (RxDb           *self);
char       *rx_db_now_iso                (RxDb           *self);
gboolean    rx_db_begin                  (RxDb           *self,
                                          GError        **error);
gboolean    rx_db_commit                 (RxDb           *self,
                                          GError        **error);
void        rx_db_rollback               (RxDb           *self);
void        rx_db_remove_files           (const char     *path);
gboolean    rx_db_backup_to              (RxDb           *self,
                                          const char     *dest_path,
                                          GError        **error);
gboolean    rx_db_backup_to_with_progress (RxDb          *self,
                                          const char     *dest_path,
                                          RxProgressFunc  progress,
                                          gpointer        user_data,
                                          GError        **error);
gboolean    rx_db_restore                (const char     *backup_path,
                                          const char     *dest_path,
                                          const char     *actor,
                                          GError        **error);
gboolean    rx_db_check_integrity        (RxDb           *self,
                                          GError        **error);
gint64      rx_db_count_pending_changes  (RxDb           *self);
gint64      rx_db_count_rows             (RxDb           *self,
                                          const char     *table);
char       *rx_db_get_meta               (RxDb           *self,
                                          const char     *key);

G_END_DECLS
