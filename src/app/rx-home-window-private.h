/* rx-home-window-private.h: RxHomeWindow's fields, shared by rx-home-window.c (pages and
 * state) and rx-home-window-actions.c (actions, input, the count line). */
#pragma once

#include "rx-assistant-pane.h"
#include "rx-home-window.h"
#include "rx-lock-page.h"
#include "rx-sync-button.h"
#include "rx-login-page.h"
#include "rx-medicines-page.h"
#include "rx-patients-page.h"
#include "rx-window-kind.h"

G_BEGIN_DECLS

/* How often the count line refreshes; other programs (the CLI, sync) write too. */
#define COUNT_INTERVAL_SECONDS 30

struct _RxHomeWindow
{
  AdwApplicationWindow  parent_instance;

  RxClinic             *clinic;
  GSettings            *settings;
  GCancellable         *count_cancellable; /* each page owns the cancellable of its search */
  guint                 count_source;
  gboolean              opening;

  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwWindowTitle       *clinic_title;
  GtkStack             *main_stack;
  GtkWidget            *clinic_page;
  AdwStatusPage        *busy_page;
  RxLoginPage          *login_page;
  RxLockPage           *lock_page;
  GtkMenuButton        *user_button;
  RxSyncButton         *sync_button;
  GtkLabel             *user_label;
  AdwViewStack         *view_stack;
  AdwViewStackPage     *patients_stack_page;
  AdwViewStackPage     *medicines_stack_page;
  RxPatientsPage       *patients_page;
  RxMedicinesPage      *medicines_page;
  RxAssistantPane      *assistant_pane;
  GtkLabel             *status_label;
  GtkWidget            *tiles_box;
  GtkWidget            *tiles[RX_WINDOW_N_KINDS];
  GtkWindow            *windows[RX_WINDOW_N_KINDS]; /* weak: the clinic's windows, if open */
};

void     _rx_home_window_notify_busy           (RxHomeWindow   *self);
gboolean _rx_home_window_refresh_counts        (gpointer        user_data);
void     _rx_home_window_class_add_actions     (GtkWidgetClass *widget_class);
void     _rx_home_window_add_input_controllers (RxHomeWindow   *self);
void     _rx_home_window_add_tiles             (RxHomeWindow   *self);
void     _rx_home_window_close_windows         (RxHomeWindow   *self);

G_END_DECLS
