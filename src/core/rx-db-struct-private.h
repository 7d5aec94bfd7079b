/* rx-db-struct-private.h: the inside of RxDb, shared by rx-db.c (opening, migrations,
 * identity) and rx-db-write.c (transactions, the write path, the audit chain) only. */
#pragma once

#include <sqlite3.h>

#include "rx-db.h"
#include "rx-hlc.h"
#include "rx-user.h"

G_BEGIN_DECLS

struct _RxDb
{
  GObject      parent_instance;

  sqlite3     *handle;
  char        *path;
  char        *org_id;
  char        *site_id;
  char        *node_id;
  char        *actor;
  RxUser      *user;        /* who is logged in, or NULL for admin tools and the system */
  GHashTable  *statements;  /* SQL text -> sqlite3_stmt */

  RxClockFunc  clock;
  gpointer     clock_data;
  RxHlc        hlc;
  gboolean     hlc_dirty;

  guint        depth;
  gboolean     wrote;
  gboolean     audited;
  GArray      *saved_flags;  /* (wrote, audited) at each savepoint, to restore on rollback */
  char        *audit_head;  /* hash of this workstation's latest audit event; NULL = reload */
};

G_END_DECLS
