/* rx-user-admin.h: what the administrator sees and does about the people of the clinic:
 * each account's state, last login, second factor and certificate; unlocking; who prescribes
 * what. */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"
#include "rx-user.h"

G_BEGIN_DECLS

typedef struct
{
  RxUser   *user;
  char     *last_login;       /* UTC ISO-8601, or NULL if never on this clinic */
  gboolean  totp_enrolled;
  gboolean  login_throttled;  /* failed logins are making them wait */
  char     *cert_not_after;   /* the current signing certificate's end, or NULL if none */
  char     *cert_revoked_at;  /* set when their latest certificate is revoked */
} RxUserSummary;

void        rx_user_summary_free     (RxUserSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxUserSummary, rx_user_summary_free)

typedef struct
{
  char  *user_id;
  char  *full_name;
  guint  signed_count;        /* prescriptions signed in the period */
  char  *top_medicines;       /* "amoxicillin (12), paracetamol (9), …" */
} RxPrescriberStats;

void        rx_prescriber_stats_free (RxPrescriberStats *stats);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxPrescriberStats, rx_prescriber_stats_free)

GPtrArray  *rx_users_summarize       (RxDb        *db,
                                      GError     **error);
gboolean    rx_users_unlock          (RxDb        *db,
                                      const char  *user_id,
                                      GError     **error);
GPtrArray  *rx_users_prescriber_stats (RxDb       *db,
                                      const char  *since,
                                      const char  *until,
                                      guint        top,
                                      GError     **error);

G_END_DECLS
