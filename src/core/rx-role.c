/* rx-role.c: the role table. A cell is TRUE where the role may do the action; everything
 * else is refused. Changing what a role may do is a change to this table and its test. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-role.h"

#define A TRUE
#define _ FALSE

static const struct
{
  const char *name;
  gboolean    allowed[4];  /* admin, doctor, pharmacist, receptionist */
} table[RX_N_ACTIONS] = {
  [RX_ACTION_PATIENT_READ]        = { "read patient records",          { A, A, A, A } },
  [RX_ACTION_PATIENT_WRITE]       = { "register and edit patients",    { A, A, _, A } },
  [RX_ACTION_APPOINTMENT_WRITE]   = { "book appointments",             { A, A, _, A } },
  [RX_ACTION_PRESCRIPTION_READ]   = { "read prescriptions",            { A, A, A, _ } },
  [RX_ACTION_PRESCRIPTION_WRITE]  = { "write prescriptions",           { _, A, _, _ } },
  [RX_ACTION_PRESCRIPTION_SIGN]   = { "sign prescriptions",            { _, A, _, _ } },
  [RX_ACTION_PRESCRIPTION_CANCEL] = { "cancel prescriptions",          { _, A, A, _ } },
  [RX_ACTION_DISPENSE]            = { "dispense",                      { _, _, A, _ } },
  [RX_ACTION_STOCK_WRITE]         = { "change stock",                  { A, _, A, _ } },
  [RX_ACTION_BILLING]             = { "bill and take payments",        { A, _, A, A } },
  [RX_ACTION_FORMULARY_WRITE]     = { "change the formulary",          { A, _, A, _ } },
  [RX_ACTION_USER_ADMIN]          = { "manage users and certificates", { A, _, _, _ } },
  [RX_ACTION_AUDIT_READ]          = { "read the audit trail",          { A, _, _, _ } },
  [RX_ACTION_BACKUP]              = { "back up the clinic",            { A, _, _, _ } },
  [RX_ACTION_BREAK_GLASS]         = { "use emergency access",          { _, A, A, _ } },
};

#undef A
#undef _

gboolean
rx_role_can (RxRole   role,
             RxAction action)
{
  g_return_val_if_fail (role <= RX_ROLE_RECEPTIONIST, FALSE);
  g_return_val_if_fail (action < RX_N_ACTIONS, FALSE);

  return table[action].allowed[role];
}

const char *
rx_action_to_string (RxAction action)
{
  g_return_val_if_fail (action < RX_N_ACTIONS, NULL);

  return table[action].name;
}

/* The check every API makes before acting for a user: active, and the role allows it. */
gboolean
rx_user_can (RxUser    *user,
             RxAction   action,
             GError   **error)
{
  g_return_val_if_fail (RX_IS_USER (user), FALSE);
  g_return_val_if_fail (action < RX_N_ACTIONS, FALSE);

  if (g_strcmp0 (rx_user_get_state (user), "active") != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                   "%s's account is %s; an administrator can re-enable it",
                   rx_user_get_username (user), rx_user_get_state (user));
      return FALSE;
    }

  if (!rx_role_can (rx_user_get_role (user), action))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION,
                   "%s is a %s, and a %s may not %s", rx_user_get_username (user),
                   rx_role_to_string (rx_user_get_role (user)),
                   rx_role_to_string (rx_user_get_role (user)), table[action].name);
      return FALSE;
    }

  return TRUE;
}
