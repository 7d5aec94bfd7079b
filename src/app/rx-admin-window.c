/* rx-admin-window.c: the administration window. Like every RxDesk window it belongs to the
 * person who opened it (it closes when they log out) and shows only the lock page while the
 * clinic is locked. Each tab loads when first shown and on Reload; every query, write, key
 * derivation and file copy runs on the clinic's worker, never on the main loop. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-a11y.h"
#include "rx-admin-window-private.h"
#include "rx-application.h"
#include "rx-format.h"

G_DEFINE_FINAL_TYPE (RxAdminWindow, rx_admin_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_rx_admin_window_notify_busy (RxAdminWindow *self)
{
  gboolean busy = rx_admin_window_get_busy (self);

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Helpers the tabs share ------------------------------------------------------------------ */

void
_rx_admin_window_toast (RxAdminWindow *self,
                        const char    *message)
{
  AdwToast *toast = adw_toast_new (message);

  g_free (self->last_message);
  self->last_message = g_strdup (message);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* A failure is told in a dialog: the message says what is wrong and what to do. */
void
_rx_admin_window_report_error (RxAdminWindow *self,
                               const char    *what,
                               const GError  *error)
{
  GtkWidget *dialog;

  g_free (self->last_message);
  self->last_message = g_strdup (error->message);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), what, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  _rx_admin_window_set_dialog (self, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
dialog_gone_cb (RxAdminWindow *self,
                GtkWindow     *dialog)
{
  if (self->dialog == dialog)
    self->dialog = NULL;
}

/* Remembers the question asked now, so that a lock or a logout takes it away. */
void
_rx_admin_window_set_dialog (RxAdminWindow *self,
                             GtkWindow     *dialog)
{
  if (self->dialog != NULL && self->dialog != dialog)
    gtk_window_destroy (self->dialog);
  self->dialog = dialog;
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_gone_cb), self,
                           G_CONNECT_SWAPPED);
}

void
_rx_admin_window_set_chooser (RxAdminWindow   *self,
                              GtkNativeDialog *chooser)
{
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (self->chooser);
      g_object_unref (self->chooser);
    }
  self->chooser = chooser;
}

void
_rx_admin_window_clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* A button for a row: a mnemonic label read without its underscore. */
GtkWidget *
_rx_admin_window_button (const char *label,
                         const char *style)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (style != NULL)
    gtk_widget_add_css_class (button, style);
  rx_a11y_set_button_label (GTK_BUTTON (button), label);

  return button;
}

char *
_rx_admin_format_time (const char *iso)
{
  if (iso == NULL || *iso == '\0')
    return g_strdup (_("never"));
  return rx_format_local_time (iso);
}

/* Jobs ------------------------------------------------------------------------------------ */

typedef struct
{
  RxAdminWindow  *self;
  RxAdminDone     done;
  gpointer        user_data;
} JobReply;

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  JobReply *reply = user_data;
  g_autoptr(GError) error = NULL;
  gpointer value = rx_clinic_run_finish (RX_CLINIC (source), result, &error);
  RxAdminWindow *self = reply->self;

  /* cancelled: the window is closing, and the result goes with the task */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (reply);
      return;
    }

  self->jobs--;
  reply->done (self, value, error, reply->user_data);
  g_free (reply);
  _rx_admin_window_notify_busy (self);
}

/* Runs @func on the clinic's worker; @done hears of the result on the main loop and owns it
 * (free it with the same function as @result_destroy). */
void
_rx_admin_window_run (RxAdminWindow  *self,
                      RxClinicFunc    func,
                      gpointer        data,
                      GDestroyNotify  data_destroy,
                      GDestroyNotify  result_destroy,
                      RxAdminDone     done,
                      gpointer        user_data)
{
  JobReply *reply = g_new0 (JobReply, 1);

  reply->self = self;
  reply->done = done;
  reply->user_data = user_data;
  self->jobs++;
  rx_clinic_run_async (self->clinic, func, data, data_destroy, result_destroy,
                       self->cancellable, job_done_cb, reply);
  _rx_admin_window_notify_busy (self);
}

/* Loading tabs ---------------------------------------------------------------------------- */

static void
reload_page (RxAdminWindow *self,
             const char    *name)
{
  if (self->clinic == NULL || rx_clinic_get_locked (self->clinic) || name == NULL)
    return;

  if (g_str_equal (name, "people"))
    _rx_admin_people_reload (self);
  else if (g_str_equal (name, "formulary"))
    {
      /* asked again even when the text is what the list shows */
      g_object_set_data (G_OBJECT (self->products_list), "rx-searched", NULL);
      _rx_admin_formulary_search (self);
    }
  else if (g_str_equal (name, "conflicts"))
    _rx_admin_conflicts_reload (self);
  else if (g_str_equal (name, "feedback"))
    _rx_admin_feedback_reload (self);
  else if (g_str_equal (name, "audit"))
    _rx_admin_audit_reload (self);
  else if (g_str_equal (name, "workstations"))
    _rx_admin_workstations_reload (self);
}

static void
page_changed_cb (RxAdminWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);
  GtkWidget *child = adw_view_stack_get_visible_child (self->view_stack);

  /* each tab loads once on its first showing; Reload (F5) asks again */
  if (child == NULL || g_object_get_data (G_OBJECT (child), "rx-loaded") != NULL)
    return;
  g_object_set_data (G_OBJECT (child), "rx-loaded", GINT_TO_POINTER (TRUE));
  reload_page (self, name);
}

static void
period_changed_cb (RxAdminWindow *self)
{
  if (self->clinic != NULL)
    _rx_admin_people_reload (self);
}

static void
feedback_filter_cb (RxAdminWindow *self)
{
  if (self->clinic != NULL)
    _rx_admin_feedback_reload (self);
}

static void
product_search_cb (RxAdminWindow *self)
{
  _rx_admin_formulary_search (self);
}

static void
audit_search_cb (RxAdminWindow *self)
{
  _rx_admin_audit_filter (self);
}

/* Actions --------------------------------------------------------------------------------- */

void
_rx_admin_window_update_actions (RxAdminWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean working = self->clinic != NULL && !rx_clinic_get_locked (self->clinic);
  static const char * const actions[] = {
    "win.refresh", "win.add-person", "win.import-formulary", "win.verify-audit",
    "win.export-audit", "win.back-up", "win.restore", "win.choose-backup-folder",
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (widget, actions[i], working);
  gtk_widget_action_set_enabled (widget, "win.confirm-import", working && self->import != NULL &&
                                 _rx_admin_formulary_can_import (self));
  gtk_widget_action_set_enabled (widget, "win.cancel-import", self->import != NULL);
  gtk_widget_action_set_enabled (widget, "win.lock", working);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RxAdminWindow *self = RX_ADMIN_WINDOW (widget);

  reload_page (self, adw_view_stack_get_visible_child_name (self->view_stack));
}

static void
add_person_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  RxAdminWindow *self = RX_ADMIN_WINDOW (widget);

  rx_admin_window_show_page (self, "people");
  _rx_admin_people_add (self);
}

static void
import_formulary_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  RxAdminWindow *self = RX_ADMIN_WINDOW (widget);

  rx_admin_window_show_page (self, "formulary");
  _rx_admin_formulary_choose (self);
}

static void
confirm_import_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  rx_admin_window_confirm_import (RX_ADMIN_WINDOW (widget));
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  _rx_admin_formulary_cancel (RX_ADMIN_WINDOW (widget));
}

static void
verify_audit_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RxAdminWindow *self = RX_ADMIN_WINDOW (widget);

  rx_admin_window_show_page (self, "audit");
  rx_admin_window_verify_audit (self);
}

static void
export_audit_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  _rx_admin_audit_choose_export (RX_ADMIN_WINDOW (widget));
}

static void
back_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RxAdminWindow *self = RX_ADMIN_WINDOW (widget);

  rx_admin_window_show_page (self, "backup");
  _rx_admin_backup_choose (self);
}

static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  _rx_admin_restore_ask (RX_ADMIN_WINDOW (widget));
}

static void
choose_backup_folder_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  _rx_admin_backup_choose_folder (RX_ADMIN_WINDOW (widget));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RxAdminWindow *self = RX_ADMIN_WINDOW (widget);

  if (self->clinic != NULL)
    rx_clinic_lock (self->clinic);
}

/* Any input here counts as someone at the desk, as in every RxDesk window. */
static gboolean
input_cb (RxAdminWindow *self)
{
  if (self->clinic != NULL)
    rx_clinic_touch (self->clinic);

  return GDK_EVENT_PROPAGATE;
}

/* Session --------------------------------------------------------------------------------- */

static void
update_view (RxAdminWindow *self)
{
  gboolean locked = rx_clinic_get_locked (self->clinic);

  /* Records go at once, with no cross-fade, and leave the accessibility tree too. */
  if (!locked)
    gtk_widget_set_visible (self->admin_page, TRUE);
  gtk_stack_set_visible_child_full (self->main_stack, locked ? "locked" : "admin",
                                    locked ? GTK_STACK_TRANSITION_TYPE_NONE
                                           : GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  if (locked)
    gtk_widget_set_visible (self->admin_page, FALSE);

  adw_view_switcher_title_set_stack (self->switcher_title, locked ? NULL : self->view_stack);
  gtk_window_set_default_widget (GTK_WINDOW (self),
                                 locked ? rx_lock_page_get_default_widget (self->lock_page)
                                        : NULL);
  _rx_admin_window_update_actions (self);
}

static void
session_changed_cb (RxAdminWindow *self)
{
  RxUser *user = rx_clinic_get_user (self->clinic);
  gboolean locked = rx_clinic_get_locked (self->clinic);

  if (user == NULL || g_strcmp0 (rx_user_get_id (user), rx_user_get_id (self->user)) != 0)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (locked)
    {
      if (self->dialog != NULL)
        gtk_window_destroy (self->dialog);
      _rx_admin_window_set_chooser (self, NULL);
    }

  update_view (self);
  if (locked)
    rx_lock_page_focus (self->lock_page);
  _rx_admin_window_notify_busy (self);
}

/* Public API ------------------------------------------------------------------------------ */

/**
 * rx_admin_window_new:
 * @application: (nullable): the application, or %NULL in tests
 * @clinic: a clinic with an administrator logged in
 *
 * Returns: (transfer none): the window, for the person logged in to @clinic now
 */
RxAdminWindow *
rx_admin_window_new (GtkApplication *application,
                     RxClinic       *clinic)
{
  RxAdminWindow *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (RX_IS_CLINIC (clinic), NULL);
  g_return_val_if_fail (rx_clinic_get_user (clinic) != NULL, NULL);

  self = g_object_new (RX_TYPE_ADMIN_WINDOW, "application", application, NULL);
  self->clinic = g_object_ref (clinic);
  self->user = g_object_ref (rx_clinic_get_user (clinic));
  if (application != NULL && RX_IS_APPLICATION (application))
    self->settings = g_object_ref (rx_application_get_settings (RX_APPLICATION (application)));
  else
    self->settings = g_settings_new ("org.rxdesk.RxDesk");

  /* Translators: the window's title, e.g. "Administration — Riverside Clinic" */
  title = g_strdup_printf (_("Administration — %s"), rx_clinic_get_name (clinic));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_view_switcher_title_set_subtitle (self->switcher_title, rx_clinic_get_name (clinic));

  g_signal_connect_object (clinic, "notify::user", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (clinic, "notify::locked", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);

  rx_lock_page_set_clinic (self->lock_page, clinic);
  _rx_admin_backup_init (self);
  update_view (self);

  /* the first tab loads now; the others when first shown */
  page_changed_cb (self);
  /* a conflict waiting is worth a badge on its tab from the start */
  _rx_admin_conflicts_reload (self);

  return self;
}

/* Whether a job is in flight: a load, a search, a write, a backup. */
gboolean
rx_admin_window_get_busy (RxAdminWindow *self)
{
  g_return_val_if_fail (RX_IS_ADMIN_WINDOW (self), FALSE);

  return self->jobs > 0 || self->product_search != NULL ||
         rx_lock_page_get_busy (self->lock_page);
}

/* "admin", or "locked" while the clinic is locked. */
const char *
rx_admin_window_get_page (RxAdminWindow *self)
{
  g_return_val_if_fail (RX_IS_ADMIN_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

void
rx_admin_window_show_page (RxAdminWindow *self,
                           const char    *name)
{
  g_return_if_fail (RX_IS_ADMIN_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

/* The list a tab fills: "people", "physicians", "preview", "products", "conflicts",
 * "feedback", "workstations"; for tests. */
GtkWidget *
rx_admin_window_get_list (RxAdminWindow *self,
                          const char    *page)
{
  struct { const char *name; gsize offset; } lists[] = {
    { "people", G_STRUCT_OFFSET (RxAdminWindow, people_list) },
    { "physicians", G_STRUCT_OFFSET (RxAdminWindow, physicians_list) },
    { "preview", G_STRUCT_OFFSET (RxAdminWindow, preview_list) },
    { "products", G_STRUCT_OFFSET (RxAdminWindow, products_list) },
    { "conflicts", G_STRUCT_OFFSET (RxAdminWindow, conflicts_list) },
    { "feedback", G_STRUCT_OFFSET (RxAdminWindow, feedback_list) },
    { "workstations", G_STRUCT_OFFSET (RxAdminWindow, workstations_list) },
  };

  g_return_val_if_fail (RX_IS_ADMIN_WINDOW (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    if (g_strcmp0 (lists[i].name, page) == 0)
      return G_STRUCT_MEMBER (GtkWidget *, self, lists[i].offset);

  return NULL;
}

/* The last result told to the user (a toast or an error), for tests. */
const char *
rx_admin_window_get_last_message (RxAdminWindow *self)
{
  g_return_val_if_fail (RX_IS_ADMIN_WINDOW (self), NULL);
  return self->last_message;
}

/* GObject --------------------------------------------------------------------------------- */

static void
rx_admin_window_dispose (GObject *object)
{
  RxAdminWindow *self = (RxAdminWindow *) object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->product_search);
  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);
  _rx_admin_window_set_chooser (self, NULL);
  if (self->clinic != NULL)
    g_signal_handlers_disconnect_by_data (self->clinic, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_ADMIN_WINDOW);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->product_search);
  g_clear_object (&self->import);
  g_clear_object (&self->audit_filtered);
  g_clear_object (&self->audit_events);
  g_clear_object (&self->settings);
  g_clear_object (&self->clinic);
  g_clear_object (&self->user);
  g_clear_pointer (&self->audit_text, g_free);
  g_clear_pointer (&self->last_message, g_free);

  G_OBJECT_CLASS (rx_admin_window_parent_class)->dispose (object);
}

static void
rx_admin_window_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RxAdminWindow *self = RX_ADMIN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, rx_admin_window_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, RxAdminWindow, name)

static void
rx_admin_window_class_init (RxAdminWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_admin_window_dispose;
  object_class->get_property = rx_admin_window_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RX_TYPE_LOCK_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-admin-window.ui");
  BIND (toast_overlay);
  BIND (switcher_title);
  BIND (spinner);
  BIND (main_stack);
  BIND (admin_page);
  BIND (lock_page);
  BIND (view_stack);
  BIND (people_list);
  BIND (period_row);
  BIND (physicians_list);
  BIND (formulary_stack);
  BIND (product_search_entry);
  BIND (products_list);
  BIND (preview_group);
  BIND (preview_added_row);
  BIND (preview_changed_row);
  BIND (preview_unchanged_row);
  BIND (preview_rejected_row);
  BIND (preview_rows_group);
  BIND (preview_list);
  BIND (confirm_import_button);
  BIND (conflicts_page);
  BIND (conflicts_stack);
  BIND (conflicts_list);
  BIND (feedback_filter_row);
  BIND (feedback_stack);
  BIND (feedback_list);
  BIND (audit_search);
  BIND (audit_count_label);
  BIND (audit_view);
  BIND (backup_progress);
  BIND (daily_switch);
  BIND (daily_folder_row);
  BIND (workstations_stack);
  BIND (workstations_error_page);
  BIND (workstations_list);
  gtk_widget_class_bind_template_callback_full (widget_class, "notify_busy",
                                                G_CALLBACK (_rx_admin_window_notify_busy));
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, period_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, feedback_filter_cb);
  gtk_widget_class_bind_template_callback (widget_class, product_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, audit_search_cb);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.add-person", NULL, add_person_action);
  gtk_widget_class_install_action (widget_class, "win.import-formulary", NULL,
                                   import_formulary_action);
  gtk_widget_class_install_action (widget_class, "win.confirm-import", NULL,
                                   confirm_import_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-import", NULL,
                                   cancel_import_action);
  gtk_widget_class_install_action (widget_class, "win.verify-audit", NULL, verify_audit_action);
  gtk_widget_class_install_action (widget_class, "win.export-audit", NULL, export_audit_action);
  gtk_widget_class_install_action (widget_class, "win.back-up", NULL, back_up_action);
  gtk_widget_class_install_action (widget_class, "win.restore", NULL, restore_action);
  gtk_widget_class_install_action (widget_class, "win.choose-backup-folder", NULL,
                                   choose_backup_folder_action);
  gtk_widget_class_install_action (widget_class, "win.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-person", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "win.import-formulary", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK,
                                       "win.back-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "win.close", NULL);
}

static void
rx_admin_window_init (RxAdminWindow *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));
  rx_a11y_fix_button_labels (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  _rx_admin_audit_init (self);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (input_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "event", G_CALLBACK (input_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
