/* rx-reception-window-private.h: RxReceptionWindow's fields, shared by
 * rx-reception-window.c (session, search, the patient list) and
 * rx-reception-window-actions.c (actions, shortcuts, input). */
#pragma once

#include "rx-appointments-page.h"
#include "rx-lock-page.h"
#include "rx-patient-editor.h"
#include "rx-reception-window.h"

G_BEGIN_DECLS

/* Searches are audited, so typing waits this long after the last key, and asks only once
 * there is this much to look for. */
#define RX_RECEPTION_SEARCH_MIN_CHARS 2

struct _RxReceptionWindow
{
  AdwApplicationWindow  parent_instance;

  RxClinic             *clinic;
  RxUser               *user;          /* who opened it: anyone else, or nobody, closes it */
  GCancellable         *search;        /* the search in flight */
  char                 *searched;      /* what the list shows results for, or NULL */
  GListStore           *results;
  GtkSingleSelection   *selection;
  gboolean              selecting;     /* the list's selection is being set by code */
  gboolean              can_write;
  gboolean              can_book;
  GtkWindow            *question;      /* "discard changes?", while it is asked */

  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  GtkWidget            *add_button;
  GtkStack             *main_stack;
  GtkWidget            *reception_page;
  RxLockPage           *lock_page;
  AdwViewStack         *view_stack;
  AdwLeaflet           *leaflet;
  GtkWidget            *list_pane;
  GtkWidget            *editor_pane;
  GtkSearchEntry       *search_entry;
  GtkLabel             *count_label;
  GtkStack             *list_stack;
  AdwStatusPage        *search_error_page;
  GtkListView          *patient_list;
  RxPatientEditor      *editor;
  RxAppointmentsPage   *appointments_page;
};

/* What to do once unsaved changes may be let go. */
typedef void (*RxReceptionThen) (RxReceptionWindow *self,
                                 gpointer           data);

void _rx_reception_window_notify_busy       (RxReceptionWindow *self);
void _rx_reception_window_update_actions    (RxReceptionWindow *self);
void _rx_reception_window_toast             (RxReceptionWindow *self,
                                             const char        *message);
void _rx_reception_window_unless_unsaved    (RxReceptionWindow *self,
                                             RxReceptionThen    then,
                                             gpointer           data,
                                             GDestroyNotify     data_destroy);
void _rx_reception_window_class_add_actions (GtkWidgetClass    *widget_class);
void _rx_reception_window_add_input         (RxReceptionWindow *self);

G_END_DECLS
