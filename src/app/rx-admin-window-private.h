/* rx-admin-window-private.h: RxAdminWindow's fields, shared by the files that make its tabs:
 * rx-admin-window.c (session, jobs, actions), rx-admin-people.c, rx-admin-formulary.c,
 * rx-admin-audit.c, rx-admin-records.c (conflicts and feedback) and rx-admin-backup.c
 * (backups and workstations). */
#pragma once

#include "rx-admin-window.h"
#include "rx-lock-page.h"

G_BEGIN_DECLS

struct _RxAdminWindow
{
  AdwApplicationWindow  parent_instance;

  RxClinic             *clinic;
  RxUser               *user;          /* who opened it: anyone else, or nobody, closes it */
  GCancellable         *cancellable;   /* every job of this window; cancelled on close */
  guint                 jobs;          /* jobs in flight */
  GSettings            *settings;
  char                 *last_message;  /* the last toast or result, for tests */
  GtkWindow            *dialog;        /* the question asked now, if any */
  GtkNativeDialog      *chooser;       /* the file chooser open now, if any */

  /* formulary */
  GObject              *import;        /* RxFormularyImport being previewed */
  gboolean              importing;     /* its write is under way */
  GCancellable         *product_search;

  /* backup */
  gpointer              backup;        /* the backup running now, shared with the worker */
  guint                 backup_tick;   /* updates its progress bar */

  /* audit */
  GListStore           *audit_events;
  GtkFilterListModel   *audit_filtered;
  GtkCustomFilter      *audit_filter;
  char                 *audit_text;

  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  GtkSpinner           *spinner;
  GtkStack             *main_stack;
  GtkWidget            *admin_page;
  RxLockPage           *lock_page;
  AdwViewStack         *view_stack;
  GtkListBox           *people_list;
  AdwComboRow          *period_row;
  GtkListBox           *physicians_list;
  GtkStack             *formulary_stack;
  GtkSearchEntry       *product_search_entry;
  GtkListBox           *products_list;
  AdwPreferencesGroup  *preview_group;
  AdwActionRow         *preview_added_row;
  AdwActionRow         *preview_changed_row;
  AdwActionRow         *preview_unchanged_row;
  AdwActionRow         *preview_rejected_row;
  AdwPreferencesGroup  *preview_rows_group;
  GtkListBox           *preview_list;
  GtkWidget            *confirm_import_button;
  AdwViewStackPage     *conflicts_page;
  GtkStack             *conflicts_stack;
  GtkListBox           *conflicts_list;
  AdwComboRow          *feedback_filter_row;
  GtkStack             *feedback_stack;
  GtkListBox           *feedback_list;
  GtkSearchEntry       *audit_search;
  GtkLabel             *audit_count_label;
  GtkColumnView        *audit_view;
  GtkProgressBar       *backup_progress;
  GtkSwitch            *daily_switch;
  AdwActionRow         *daily_folder_row;
  GtkStack             *workstations_stack;
  AdwStatusPage        *workstations_error_page;
  GtkListBox           *workstations_list;
};

/* A job's result comes back here; @error is set when it failed (never when cancelled: a
 * cancelled job's window is gone, and nothing is called). */
typedef void (*RxAdminDone) (RxAdminWindow *self,
                             gpointer       result,
                             const GError  *error,
                             gpointer       user_data);

void       _rx_admin_window_run            (RxAdminWindow  *self,
                                            RxClinicFunc    func,
                                            gpointer        data,
                                            GDestroyNotify  data_destroy,
                                            GDestroyNotify  result_destroy,
                                            RxAdminDone     done,
                                            gpointer        user_data);
void       _rx_admin_window_update_actions (RxAdminWindow *self);
void       _rx_admin_window_notify_busy    (RxAdminWindow *self);
void       _rx_admin_window_toast          (RxAdminWindow  *self,
                                            const char     *message);
void       _rx_admin_window_report_error   (RxAdminWindow  *self,
                                            const char     *what,
                                            const GError   *error);
void       _rx_admin_window_set_dialog     (RxAdminWindow  *self,
                                            GtkWindow      *dialog);
void       _rx_admin_window_set_chooser    (RxAdminWindow  *self,
                                            GtkNativeDialog *chooser);
void       _rx_admin_window_clear_list     (GtkListBox     *list);
GtkWidget *_rx_admin_window_button         (const char     *label,
                                            const char     *style);
char      *_rx_admin_format_time           (const char     *iso);

void       _rx_admin_people_reload         (RxAdminWindow  *self);
void       _rx_admin_people_add            (RxAdminWindow  *self);
void       _rx_admin_formulary_choose      (RxAdminWindow  *self);
void       _rx_admin_formulary_cancel      (RxAdminWindow  *self);
void       _rx_admin_formulary_search      (RxAdminWindow  *self);
gboolean   _rx_admin_formulary_can_import  (RxAdminWindow  *self);
void       _rx_admin_audit_init            (RxAdminWindow  *self);
void       _rx_admin_audit_reload          (RxAdminWindow  *self);
void       _rx_admin_audit_filter          (RxAdminWindow  *self);
void       _rx_admin_audit_choose_export   (RxAdminWindow  *self);
void       _rx_admin_conflicts_reload      (RxAdminWindow  *self);
void       _rx_admin_feedback_reload       (RxAdminWindow  *self);
void       _rx_admin_backup_init           (RxAdminWindow  *self);
void       _rx_admin_backup_choose         (RxAdminWindow  *self);
void       _rx_admin_backup_choose_folder  (RxAdminWindow  *self);
void       _rx_admin_restore_ask           (RxAdminWindow  *self);
void       _rx_admin_workstations_reload   (RxAdminWindow  *self);

G_END_DECLS
