/* rx-server-org.h: what the server's administrator does from the command line: create an
 * organisation, hand out enrolment codes. */
#pragma once

#include "rx-store.h"

G_BEGIN_DECLS

#define RX_ENROL_CODE_DAYS 7

/* Creates the organisation and its first enrolment code; returns the organisation's id. */
char     *rx_server_org_create    (RxStore     *store,
                                   const char  *name,
                                   char       **code,
                                   GError     **error);
/* A further enrolment code for an existing organisation. */
char     *rx_server_org_new_code  (RxStore     *store,
                                   const char  *org_id,
                                   GError     **error);

G_END_DECLS
