/* rx-pharmacy-window-private.h: RxPharmacyWindow's fields, shared by rx-pharmacy-window.c
 * (session, queue, the prescription shown) and rx-pharmacy-window-actions.c (dispensing,
 * labels, actions, input). */
#pragma once

#include "rx-dispense-item-group.h"
#include "rx-lock-page.h"
#include "rx-pharmacy-window.h"

G_BEGIN_DECLS

/* The queue shows at most this many prescriptions, oldest signature first. */
#define RX_PHARMACY_QUEUE_LIMIT 200

struct _RxPharmacyWindow
{
  AdwApplicationWindow  parent_instance;

  RxClinic             *clinic;
  RxUser               *user;          /* who opened it: anyone else, or nobody, closes it */
  GCancellable         *loading;       /* the queue's load in flight */
  GCancellable         *opening;       /* the prescription's load in flight */
  GCancellable         *dispensing;    /* the dispense or the labels' read in flight */
  GListStore           *queue;         /* of RxDispenseEntry */
  RxDispenseEntry      *entry;         /* the prescription shown */
  GListModel           *alerts;        /* its safety alerts */
  GPtrArray            *groups;        /* RxDispenseItemGroup, one per item */
  GPtrArray            *dispensed;     /* RxDispensed of the last dispense, for labels */
  char                 *dispensed_rx;  /* the prescription they belong to */
  char                 *wanted;        /* the prescription to show once the queue is read */
  gboolean              selecting;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkStack             *main_stack;
  RxLockPage           *lock_page;
  AdwLeaflet           *leaflet;
  GtkWidget            *queue_pane;
  GtkWidget            *detail_pane;
  GtkLabel             *queue_label;
  GtkStack             *queue_stack;
  GtkListBox           *queue_list;
  GtkSearchEntry       *queue_search;
  gboolean              focus_items;   /* put the cursor in the first quantity once shown */
  AdwStatusPage        *queue_error_page;
  GtkStack             *detail_stack;
  AdwStatusPage        *detail_error_page;
  GtkLabel             *patient_label;
  GtkLabel             *prescriber_label;
  AdwActionRow         *signature_row;
  GtkImage             *signature_icon;
  AdwPreferencesGroup  *alerts_group;
  GtkWidget            *items_box;
  AdwPreferencesGroup  *dispensed_group;
  GtkWidget            *print_button;
  GtkLabel             *dispense_hint;
  GtkWidget            *dispense_button;
  GPtrArray            *alert_rows;    /* rows added to alerts_group */
  GPtrArray            *dispensed_rows; /* rows added to dispensed_group */
};

void _rx_pharmacy_window_notify_busy       (RxPharmacyWindow *self);
void _rx_pharmacy_window_update_actions    (RxPharmacyWindow *self);
void _rx_pharmacy_window_toast             (RxPharmacyWindow *self,
                                            const char       *message);
void _rx_pharmacy_window_reload            (RxPharmacyWindow *self);
void _rx_pharmacy_window_show_dispensed    (RxPharmacyWindow *self);
void _rx_pharmacy_window_class_add_actions (GtkWidgetClass   *widget_class);
void _rx_pharmacy_window_add_input         (RxPharmacyWindow *self);

G_END_DECLS
