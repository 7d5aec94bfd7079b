/* rx-window-kind.c: the table of the home window's windows. Adding a window is one row
 * here: the home window makes its tile and action, the application its shortcuts, and
 * --screenshot a picture of it. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-admin-window.h"
#include "rx-billing-window.h"
#include "rx-inventory-window.h"
#include "rx-pharmacy-window.h"
#include "rx-prescription-window.h"
#include "rx-reception-window.h"
#include "rx-window-kind.h"

static GtkWindow *
new_reception (GtkApplication *application,
               RxClinic       *clinic)
{
  return GTK_WINDOW (rx_reception_window_new (application, clinic));
}

static GtkWindow *
new_admin (GtkApplication *application,
           RxClinic       *clinic)
{
  return GTK_WINDOW (rx_admin_window_new (application, clinic));
}

static GtkWindow *
new_prescriptions (GtkApplication *application,
                   RxClinic       *clinic)
{
  return GTK_WINDOW (rx_prescription_window_new (application, clinic));
}

static GtkWindow *
new_pharmacy (GtkApplication *application,
              RxClinic       *clinic)
{
  return GTK_WINDOW (rx_pharmacy_window_new (application, clinic));
}

static GtkWindow *
new_inventory (GtkApplication *application,
               RxClinic       *clinic)
{
  return GTK_WINDOW (rx_inventory_window_new (application, clinic));
}

static GtkWindow *
new_billing (GtkApplication *application,
             RxClinic       *clinic)
{
  return GTK_WINDOW (rx_billing_window_new (application, clinic));
}

static const RxWindowInfo window_kinds[RX_WINDOW_N_KINDS] = {
  [RX_WINDOW_RECEPTION] = {
    "reception", "win.open-reception", { "<Control>r", "<Control>1", NULL },
    RX_ACTION_PATIENT_READ, "x-office-address-book-symbolic",
    N_("_Reception"), N_("Register patients and book appointments (Ctrl+R)"),
    new_reception,
  },
  [RX_WINDOW_PRESCRIPTIONS] = {
    "prescriptions", "win.open-prescriptions", { "<Control>2", NULL, NULL },
    RX_ACTION_PRESCRIPTION_WRITE, "document-edit-symbolic",
    N_("_Prescriptions"), N_("Write, check and sign prescriptions (Ctrl+2)"),
    new_prescriptions,
  },
  [RX_WINDOW_PHARMACY] = {
    "pharmacy", "win.open-pharmacy", { "<Control>3", NULL, NULL },
    RX_ACTION_DISPENSE, "rx-medicine-symbolic",
    N_("P_harmacy"), N_("Dispense signed prescriptions (Ctrl+3)"),
    new_pharmacy,
  },
  [RX_WINDOW_INVENTORY] = {
    "inventory", "win.open-inventory", { "<Control>4", NULL, NULL },
    RX_ACTION_STOCK_WRITE, "package-x-generic-symbolic",
    N_("_Inventory"), N_("Receive, count and adjust stock (Ctrl+4)"),
    new_inventory,
  },
  [RX_WINDOW_BILLING] = {
    "billing", "win.open-billing", { "<Control>5", NULL, NULL },
    RX_ACTION_BILLING, "accessories-calculator-symbolic",
    N_("_Billing"), N_("Sales, payments, refunds and the daily closing (Ctrl+5)"),
    new_billing,
  },
  [RX_WINDOW_ADMIN] = {
    "admin", "win.open-admin", { "<Control>6", NULL, NULL },
    RX_ACTION_USER_ADMIN, "emblem-system-symbolic",
    N_("_Administration"), N_("People, workstations, formulary, conflicts, audit and backups (Ctrl+6)"),
    new_admin,
  },
};

const RxWindowInfo *
rx_window_kind_get_info (RxWindowKind kind)
{
  g_return_val_if_fail (kind < RX_WINDOW_N_KINDS, NULL);

  return &window_kinds[kind];
}

/* Whether the person logged in to this clinic may open the window now. */
gboolean
rx_window_kind_allowed (RxWindowKind  kind,
                        RxClinic     *clinic)
{
  RxUser *user;

  g_return_val_if_fail (kind < RX_WINDOW_N_KINDS, FALSE);

  if (window_kinds[kind].create == NULL || clinic == NULL || rx_clinic_get_locked (clinic))
    return FALSE;

  user = rx_clinic_get_user (clinic);
  return user != NULL && rx_role_can (rx_user_get_role (user), window_kinds[kind].needs);
}

/* A window with work under way (a search, a load) says so with a "busy" property. */
gboolean
rx_window_get_busy (GtkWindow *window)
{
  gboolean busy = FALSE;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (window), "busy") != NULL)
    g_object_get (window, "busy", &busy, NULL);

  return busy;
}
