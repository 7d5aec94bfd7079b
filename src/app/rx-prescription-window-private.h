/* rx-prescription-window-private.h: RxPrescriptionWindow's fields, shared by
 * rx-prescription-window.c (session, patient, medicines, safety checks) and
 * rx-prescription-window-actions.c (signing, cancelling, superseding, printing, keys). */
#pragma once

#include "rx-lock-page.h"
#include "rx-sig.h"
#include "rx-prescription-window.h"

G_BEGIN_DECLS

#define RX_PRESCRIPTION_SEARCH_MIN_CHARS 2
#define RX_PRESCRIPTION_DRUGS_SHOWN 8
/* Safety checks wait this long after the last edit, so a spin button held down asks once. */
#define RX_PRESCRIPTION_CHECK_DELAY_MS 150

struct _RxPrescriptionWindow
{
  AdwApplicationWindow  parent_instance;

  RxClinic             *clinic;
  RxUser               *user;            /* who opened it: anyone else, or nobody, closes it */
  gboolean              totp_enrolled;   /* the prescriber has a second factor */

  /* In flight; each is cancelled when what it was for goes. */
  GCancellable         *patient_search;
  GCancellable         *patient_load;
  GCancellable         *drug_search;
  GCancellable         *safety_check;
  GCancellable         *writing;         /* signing, cancelling, superseding, a PDF */
  char                 *searched;
  char                 *drugs_searched;
  guint                 check_source;

  GListStore           *patients;
  GtkSingleSelection   *selection;
  gboolean              selecting;
  RxPatient            *patient;         /* on the right, or NULL */
  GListStore           *history;         /* RxPrescription, newest first */
  GListStore           *alerts;          /* of the items as they are now, once checked */
  GListModel           *drugs;           /* the last drug search's results */
  guint                 generation;      /* counts edits of the new prescription */
  guint                 checked;         /* the generation the alerts are for */
  char                 *draft_id;        /* written but not yet signed, or NULL */
  guint                 draft_generation;
  char                 *supersedes_id;   /* the signed prescription the new one replaces */
  char                 *supersede_reason;
  char                 *chosen_id;       /* the history row chosen for print and cancel */
  GtkWindow            *dialog;          /* the question being asked, if any */
  GHashTable           *disabled;        /* the window's actions that are off now */

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkWidget            *sign_button;
  GtkSpinner           *spinner;
  GtkStack             *main_stack;
  RxLockPage           *lock_page;
  AdwLeaflet           *leaflet;
  GtkWidget            *list_pane;
  GtkWidget            *rx_pane;
  GtkSearchEntry       *patient_entry;
  GtkLabel             *count_label;
  GtkStack             *list_stack;
  AdwStatusPage        *search_error_page;
  GtkListView          *patient_list;
  GtkStack             *patient_stack;
  GtkScrolledWindow    *rx_scroller;
  guint                 scroll_source;
  AdwStatusPage        *patient_error_page;
  GtkLabel             *patient_name_label;
  GtkLabel             *patient_details_label;
  GtkFlowBox           *allergy_box;
  GtkSearchEntry       *drug_entry;
  GtkRevealer          *drug_revealer;
  GtkLabel             *drug_status_label;
  GtkListBox           *drug_list;
  GtkLabel             *supersede_label;
  GtkListBox           *item_list;
  AdwEntryRow          *notes_row;
  GtkLabel             *safety_status_label;
  GtkListBox           *alert_list;
  GtkWidget            *override_list;
  AdwEntryRow          *override_row;
  GtkListBox           *current_list;
  GtkListBox           *history_list;
};

void      _rx_prescription_window_notify_busy       (RxPrescriptionWindow *self);
void      _rx_prescription_window_update_actions    (RxPrescriptionWindow *self);
void      _rx_prescription_window_toast             (RxPrescriptionWindow *self,
                                                     const char           *message);
void      _rx_prescription_window_error             (RxPrescriptionWindow *self,
                                                     const char           *heading,
                                                     const char           *message);
void      _rx_prescription_window_set_writing       (RxPrescriptionWindow *self,
                                                     GCancellable         *cancellable);
void      _rx_prescription_window_reload_patient    (RxPrescriptionWindow *self,
                                                     const char           *choose_id);
void      _rx_prescription_window_clear_draft       (RxPrescriptionWindow *self);
void      _rx_prescription_window_withdraw_draft    (RxPrescriptionWindow *self);
void      _rx_prescription_window_load_favourites   (RxPrescriptionWindow *self,
                                                     GtkWidget            *row);
void      _rx_prescription_window_save_favourite    (RxPrescriptionWindow *self,
                                                     GtkWidget            *row);
void      _rx_prescription_window_add_item          (RxPrescriptionWindow *self,
                                                     RxProduct            *product,
                                                     const RxSig          *sig);
GPtrArray *_rx_prescription_window_get_item_rows    (RxPrescriptionWindow *self);
gboolean  _rx_prescription_window_can_sign          (RxPrescriptionWindow *self);
gboolean  _rx_prescription_window_needs_override    (RxPrescriptionWindow *self);
RxPrescription *_rx_prescription_window_get_chosen  (RxPrescriptionWindow *self);
void      _rx_prescription_window_class_add_actions (GtkWidgetClass       *widget_class);
void      _rx_prescription_window_class_bind_items  (GtkWidgetClass       *widget_class);
void      _rx_prescription_window_add_drug_keys     (RxPrescriptionWindow *self);
void      _rx_prescription_window_clear_list        (GtkListBox           *box);
void      _rx_prescription_window_set_cancellable   (RxPrescriptionWindow  *self,
                                                     GCancellable         **slot,
                                                     GCancellable          *cancellable);
void      _rx_prescription_window_schedule_check    (RxPrescriptionWindow *self);
void      _rx_prescription_window_show_alerts       (RxPrescriptionWindow *self);
void      _rx_prescription_window_hide_drugs        (RxPrescriptionWindow *self);
void      _rx_prescription_window_take_drug         (RxPrescriptionWindow *self,
                                                     RxProduct            *product);
void      _rx_prescription_window_class_add_print_actions (GtkWidgetClass *widget_class);
gboolean  _rx_prescription_window_working           (RxPrescriptionWindow *self);
void      _rx_prescription_window_present           (RxPrescriptionWindow *self,
                                                     GtkWidget            *dialog);
void      _rx_prescription_window_add_input         (RxPrescriptionWindow *self);

G_END_DECLS
