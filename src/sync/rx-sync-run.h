/* rx-sync-run.h: what a workstation does with the server: enrol, sign people in, and sync
 * (push what is waiting, then pull until caught up). Blocking calls for a worker thread or
 * the command line; the app drives them through RxSyncEngine. */
#pragma once

#include "rx-core.h"
#include "rx-sync-client.h"

G_BEGIN_DECLS

typedef struct
{
  guint   pushed;     /* accepted by the server (or found there already) */
  guint   refused;    /* refused for a reason that will not change by retrying */
  guint   held;       /* waiting for a person whose role may send them to sign in */
  guint   retry;      /* sent before their prescription's signature: sent again */
  guint   pulled;     /* entries applied from the server */
  guint   conflicts;  /* raised while applying */
  gint64  pending;    /* still waiting afterwards */
  double  seconds;
  GHashTable *tables;  /* (nullable): set by the caller to learn which tables pulls touched */
} RxSyncReport;

typedef struct
{
  char   *username;
  char   *user_id;
  char   *role;
  char   *expires_at;
} RxSyncSignIn;

void      rx_sync_sign_in_free   (RxSyncSignIn  *sign_in);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxSyncSignIn, rx_sync_sign_in_free)

RxDb     *rx_sync_enrol          (const char    *path,
                                  const char    *server,
                                  const char    *code,
                                  const char    *pin,
                                  const char    *name,
                                  const char    *username,
                                  const char    *password,
                                  GCancellable  *cancellable,
                                  GError       **error);
gboolean  rx_sync_login          (RxDb          *db,
                                  const char    *username,
                                  const char    *password,
                                  GCancellable  *cancellable,
                                  GError       **error);
gboolean  rx_sync_logout         (RxDb          *db,
                                  const char    *username,
                                  GCancellable  *cancellable,
                                  GError       **error);
GPtrArray *rx_sync_list_sign_ins (RxDb          *db);
gboolean  rx_sync_is_enrolled    (RxDb          *db);
gboolean  rx_sync_now            (RxDb          *db,
                                  RxSyncReport  *report,
                                  GCancellable  *cancellable,
                                  GError       **error);
GPtrArray *rx_sync_decode_entries (JsonObject   *answer,
                                  GError      **error);
JsonObject *rx_sync_admin_request (RxDb         *db,
                                  const char    *method,
                                  const char    *path,
                                  GCancellable  *cancellable,
                                  GError       **error);

G_END_DECLS
