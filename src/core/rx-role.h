/* rx-role.h: what each role may do. One table, consulted by the app (which windows and
 * buttons to offer), the CLI and core itself (which refuses), and later the sync server. */
#pragma once

#include <glib.h>

#include "rx-user.h"

G_BEGIN_DECLS

typedef enum
{
  RX_ACTION_PATIENT_READ,        /* open a patient's record */
  RX_ACTION_PATIENT_WRITE,       /* register or edit patients and allergies */
  RX_ACTION_APPOINTMENT_WRITE,   /* book, move, cancel, check in */
  RX_ACTION_PRESCRIPTION_READ,
  RX_ACTION_PRESCRIPTION_WRITE,  /* write drafts */
  RX_ACTION_PRESCRIPTION_SIGN,
  RX_ACTION_PRESCRIPTION_CANCEL,
  RX_ACTION_DISPENSE,
  RX_ACTION_STOCK_WRITE,         /* receive, adjust, stock-take */
  RX_ACTION_BILLING,             /* invoices and payments */
  RX_ACTION_FORMULARY_WRITE,     /* import, prices, reorder levels */
  RX_ACTION_USER_ADMIN,          /* accounts, roles, passwords, certificates */
  RX_ACTION_AUDIT_READ,
  RX_ACTION_BACKUP,
  RX_ACTION_BREAK_GLASS,         /* emergency access to a record outside the role */
  RX_N_ACTIONS
} RxAction;

gboolean     rx_role_can              (RxRole       role,
                                       RxAction     action);
const char  *rx_action_to_string      (RxAction     action);
gboolean     rx_user_can              (RxUser      *user,
                                       RxAction     action,
                                       GError     **error);

G_END_DECLS
