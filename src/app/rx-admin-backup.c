/* rx-admin-backup.c: the Backup tab (back up now with progress, the daily backup setting,
 * restoring a backup as a new clinic file after a clear warning) and the Workstations tab
 * (the server's list of this organisation's workstations; revoking one). */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "rx-admin-window-private.h"
#include "rx-format.h"
#include "rx-sync-run.h"

/* Backing up ------------------------------------------------------------------------------ */

/* Shared by the worker (which writes the counts) and the window (which reads them). */
typedef struct
{
  gatomicrefcount  ref;
  char            *path;
  gint             done;    /* pages, atomically */
  gint             total;
} Backup;

static Backup *
backup_ref (Backup *b)
{
  g_atomic_ref_count_inc (&b->ref);
  return b;
}

static void
backup_unref (gpointer data)
{
  Backup *b = data;

  if (g_atomic_ref_count_dec (&b->ref))
    {
      g_free (b->path);
      g_free (b);
    }
}

static void
progress_in_worker (gint64   done,
                    gint64   total,
                    gpointer user_data)
{
  Backup *b = user_data;

  g_atomic_int_set (&b->total, (gint) MIN (total, G_MAXINT));
  g_atomic_int_set (&b->done, (gint) MIN (done, G_MAXINT));
}

static gpointer
backup_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Backup *b = data;

  return rx_db_backup_to_with_progress (db, b->path, progress_in_worker, b, error)
    ? GINT_TO_POINTER (1) : NULL;
}

static gboolean
backup_tick_cb (gpointer user_data)
{
  RxAdminWindow *self = user_data;
  Backup *b = self->backup;
  gint total = g_atomic_int_get (&b->total);
  gint done = g_atomic_int_get (&b->done);

  if (total > 0)
    gtk_progress_bar_set_fraction (self->backup_progress, (double) done / total);
  else
    gtk_progress_bar_pulse (self->backup_progress);

  return G_SOURCE_CONTINUE;
}

static void
backed_up_cb (RxAdminWindow *self,
              gpointer       result,
              const GError  *error,
              gpointer       user_data)
{
  Backup *b = self->backup;
  g_autofree char *message = NULL;

  g_clear_handle_id (&self->backup_tick, g_source_remove);
  gtk_widget_set_visible (GTK_WIDGET (self->backup_progress), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back-up", TRUE);

  if (result == NULL)
    _rx_admin_window_report_error (self, _("The Backup Failed"), error);
  else
    {
      message = g_strdup_printf (_("Backed up to %s and checked the copy"), b->path);
      _rx_admin_window_toast (self, message);
    }
  g_clear_pointer (&self->backup, backup_unref);
}

/* Copies the open clinic to @file (which must not exist yet), showing progress. */
void
rx_admin_window_back_up_to (RxAdminWindow *self,
                            GFile         *file)
{
  Backup *b;

  g_return_if_fail (RX_IS_ADMIN_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->backup != NULL)
    return;

  b = g_new0 (Backup, 1);
  g_atomic_ref_count_init (&b->ref);
  b->path = g_file_get_path (file);
  if (b->path == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                                     _("Choose a folder on this computer or a "
                                                       "mounted drive"));
      _rx_admin_window_report_error (self, _("The Backup Failed"), error);
      backup_unref (b);
      return;
    }

  self->backup = b;
  gtk_progress_bar_set_fraction (self->backup_progress, 0);
  gtk_progress_bar_set_text (self->backup_progress, _("Backing up…"));
  gtk_widget_set_visible (GTK_WIDGET (self->backup_progress), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back-up", FALSE);
  self->backup_tick = g_timeout_add (100, backup_tick_cb, self);
  _rx_admin_window_run (self, backup_in_worker, backup_ref (b), backup_unref, NULL,
                        backed_up_cb, NULL);
}

static void
backup_chosen_cb (GtkNativeDialog *chooser,
                  int              response,
                  RxAdminWindow   *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  _rx_admin_window_set_chooser (self, NULL);
  if (file == NULL)
    return;

  /* the chooser asked before replacing; a backup still never overwrites */
  if (g_file_query_exists (file, NULL))
    {
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_EXISTS,
                                             _("“%s” already exists and a backup never "
                                               "replaces a file; choose a new name"), path);
      _rx_admin_window_report_error (self, _("The Backup Was Not Made"), error);
      return;
    }
  rx_admin_window_back_up_to (self, file);
}

static char *
backup_name (RxAdminWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M");
  g_autofree char *base = rx_clinic_dup_file_name (self->clinic);
  char *dot = base ? strrchr (base, '.') : NULL;

  if (dot != NULL)
    *dot = '\0';
  return g_strdup_printf ("%s-backup-%s.db", base ? base : "clinic", stamp);
}

void
_rx_admin_backup_choose (RxAdminWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autofree char *name = backup_name (self);

  chooser = gtk_file_chooser_native_new (_("Back Up the Clinic"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Back Up"),
                                         _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (backup_chosen_cb), self);
  _rx_admin_window_set_chooser (self, GTK_NATIVE_DIALOG (chooser));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Daily backup ---------------------------------------------------------------------------- */

static char *
daily_folder (RxAdminWindow *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "daily-backup-folder");
  g_autofree char *dir = NULL;

  if (*folder != '\0')
    return g_steal_pointer (&folder);
  dir = g_path_get_dirname (rx_clinic_get_path (self->clinic));
  return g_build_filename (dir, "backups", NULL);
}

static void
show_daily_folder (RxAdminWindow *self)
{
  g_autofree char *folder = daily_folder (self);
  g_autofree char *last = g_settings_get_string (self->settings, "last-daily-backup");
  g_autofree char *subtitle = NULL;

  if (*last != '\0')
    subtitle = g_strdup_printf (_("%s — last daily backup %s"), folder, last);
  adw_action_row_set_subtitle (self->daily_folder_row, subtitle ? subtitle : folder);
}

/* Once a day while the window is open: the first time it opens on a new day, a backup goes
 * to the daily folder under a new name. */
static void
daily_if_due (RxAdminWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *last = g_settings_get_string (self->settings, "last-daily-backup");
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  if (!g_settings_get_boolean (self->settings, "daily-backup") ||
      g_strcmp0 (today, last) == 0 || self->backup != NULL)
    return;

  folder = daily_folder (self);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      g_autoptr(GError) error = g_error_new (G_IO_ERROR, g_io_error_from_errno (errno),
                                             _("Cannot make the backup folder “%s” (%s); "
                                               "choose another folder"), folder,
                                             g_strerror (errno));
      _rx_admin_window_report_error (self, _("The Daily Backup Was Not Made"), error);
      return;
    }
  name = backup_name (self);
  path = g_build_filename (folder, name, NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  file = g_file_new_for_path (path);
  g_settings_set_string (self->settings, "last-daily-backup", today);
  rx_admin_window_back_up_to (self, file);
  show_daily_folder (self);
}

static void
daily_changed_cb (RxAdminWindow *self)
{
  if (self->clinic != NULL && !rx_clinic_get_locked (self->clinic))
    daily_if_due (self);
}

static void
folder_chosen_cb (GtkNativeDialog *chooser,
                  int              response,
                  RxAdminWindow   *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  _rx_admin_window_set_chooser (self, NULL);
  if (file == NULL || (path = g_file_get_path (file)) == NULL)
    return;
  g_settings_set_string (self->settings, "daily-backup-folder", path);
  show_daily_folder (self);
}

void
_rx_admin_backup_choose_folder (RxAdminWindow *self)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Folder of the Daily Backups"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Select"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (folder_chosen_cb), self);
  _rx_admin_window_set_chooser (self, GTK_NATIVE_DIALOG (chooser));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_rx_admin_backup_init (RxAdminWindow *self)
{
  g_settings_bind (self->settings, "daily-backup", self->daily_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::daily-backup",
                           G_CALLBACK (daily_changed_cb), self, G_CONNECT_SWAPPED);
  show_daily_folder (self);
  daily_if_due (self);
}

/* Restoring ------------------------------------------------------------------------------- */

typedef struct
{
  char *from;
  char *to;
  char *actor;
} Restore;

static void
restore_free (gpointer data)
{
  Restore *r = data;

  g_free (r->from);
  g_free (r->to);
  g_free (r->actor);
  g_free (r);
}

static gpointer
restore_in_worker (RxDb          *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  Restore *r = data;

  return rx_db_restore (r->from, r->to, r->actor, error) ? g_strdup (r->to) : NULL;
}

static void
restored_cb (RxAdminWindow *self,
             gpointer       result,
             const GError  *error,
             gpointer       user_data)
{
  g_autofree char *path = result;
  g_autofree char *message = NULL;

  if (path == NULL)
    {
      _rx_admin_window_report_error (self, _("Nothing Was Restored"), error);
      return;
    }
  message = g_strdup_printf (_("Restored as %s; open it from the home window's Open Clinic to "
                               "work on it"), path);
  _rx_admin_window_toast (self, message);
}

static void
restore_chosen_cb (GtkNativeDialog *chooser,
                   int              response,
                   RxAdminWindow   *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *dir = g_path_get_dirname (rx_clinic_get_path (self->clinic));
  g_autofree char *name = NULL;
  Restore *r;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  _rx_admin_window_set_chooser (self, NULL);
  if (file == NULL)
    return;

  r = g_new0 (Restore, 1);
  r->from = g_file_get_path (file);
  name = g_strdup_printf ("restored-%s.db", stamp);
  r->to = g_build_filename (dir, name, NULL);
  r->actor = g_strdup (rx_user_get_username (self->user));
  if (r->from == NULL)
    {
      restore_free (r);
      return;
    }
  _rx_admin_window_run (self, restore_in_worker, r, restore_free, g_free, restored_cb, NULL);
}

static void
restore_answered_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     RxAdminWindow    *self)
{
  GtkFileChooserNative *chooser;

  if (!g_str_equal (response, "restore"))
    return;

  chooser = gtk_file_chooser_native_new (_("Choose a Backup"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Restore"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (restore_chosen_cb), self);
  _rx_admin_window_set_chooser (self, GTK_NATIVE_DIALOG (chooser));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_rx_admin_restore_ask (RxAdminWindow *self)
{
  GtkWidget *dialog;

  rx_admin_window_show_page (self, "backup");
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Restore From a Backup?"),
    _("The backup becomes a new clinic file beside this one; the open clinic is not changed. "
      "Everything done after the backup was taken is missing from it, so only work on the "
      "restored clinic if this one is lost or damaged. A file that is not an RxDesk backup, "
      "or one made by a newer RxDesk, is refused."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "restore", _("_Choose Backup…"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (restore_answered_cb), self, 0);
  _rx_admin_window_set_dialog (self, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Workstations ---------------------------------------------------------------------------- */

typedef struct
{
  gboolean    enrolled;
  JsonObject *answer;
  char       *node_id;
  gint64      pending;
} Workstations;

static void
workstations_free (gpointer data)
{
  Workstations *w = data;

  g_clear_pointer (&w->answer, json_object_unref);
  g_free (w->node_id);
  g_free (w);
}

static gpointer
workstations_in_worker (RxDb          *db,
                        gpointer       data,
                        GCancellable  *cancellable,
                        GError       **error)
{
  Workstations *w = g_new0 (Workstations, 1);

  w->enrolled = rx_sync_is_enrolled (db);
  w->node_id = g_strdup (rx_db_get_node_id (db));
  w->pending = rx_db_count_pending_changes (db);
  if (w->enrolled)
    {
      w->answer = rx_sync_admin_request (db, "GET", "/v1/workstations", cancellable, error);
      if (w->answer == NULL)
        {
          workstations_free (w);
          return NULL;
        }
    }

  return w;
}

static void revoke_clicked_cb (GtkButton     *button,
                               RxAdminWindow *self);

static GtkWidget *
workstation_row (RxAdminWindow *self,
                 Workstations  *all,
                 JsonObject    *w)
{
  const char *name = json_object_get_string_member_with_default (w, "name", "");
  const char *id = json_object_get_string_member_with_default (w, "id", "");
  const char *seen = json_object_get_string_member_with_default (w, "last_seen_at", NULL);
  const char *revoked = json_object_get_string_member_with_default (w, "revoked_at", NULL);
  const char *node = json_object_get_string_member_with_default (w, "node_id", NULL);
  gboolean here = g_strcmp0 (node, all->node_id) == 0;
  g_autofree char *seen_text = _rx_admin_format_time (seen);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();

  if (revoked != NULL)
    {
      g_autofree char *when = rx_format_local_time (revoked);
      subtitle = g_strdup_printf (_("Revoked %s"), when);
    }
  else if (here)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "This workstation · last sync %s · %" G_GINT64_FORMAT
                                             " change waiting",
                                             "This workstation · last sync %s · %" G_GINT64_FORMAT
                                             " changes waiting", all->pending),
                                seen_text, all->pending);
  else
    subtitle = g_strdup_printf (_("Last sync %s"), seen_text);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), *name ? name : id);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("computer-symbolic"));
  if (revoked == NULL)
    {
      GtkWidget *button = _rx_admin_window_button (_("Re_voke…"), "destructive-action");

      g_object_set_data_full (G_OBJECT (button), "rx-id", g_strdup (id), g_free);
      g_object_set_data_full (G_OBJECT (button), "rx-name", g_strdup (*name ? name : id),
                              g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (revoke_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  return row;
}

static void
workstations_loaded_cb (RxAdminWindow *self,
                        gpointer       result,
                        const GError  *error,
                        gpointer       user_data)
{
  Workstations *w = result;
  JsonArray *list;

  if (w == NULL)
    {
      adw_status_page_set_description (self->workstations_error_page, error->message);
      gtk_stack_set_visible_child_name (self->workstations_stack, "error");
      return;
    }
  if (!w->enrolled)
    {
      gtk_stack_set_visible_child_name (self->workstations_stack, "not-enrolled");
      workstations_free (w);
      return;
    }

  _rx_admin_window_clear_list (self->workstations_list);
  list = json_object_get_array_member (w->answer, "workstations");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    gtk_list_box_append (self->workstations_list,
                         workstation_row (self, w, json_array_get_object_element (list, i)));
  gtk_stack_set_visible_child_name (self->workstations_stack, "list");
  workstations_free (w);
}

void
_rx_admin_workstations_reload (RxAdminWindow *self)
{
  _rx_admin_window_run (self, workstations_in_worker, NULL, NULL, workstations_free,
                        workstations_loaded_cb, NULL);
}

static gpointer
revoke_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *escaped = g_uri_escape_string (data, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/v1/workstations/%s/revoke", escaped);

  return rx_sync_admin_request (db, "POST", path, cancellable, error);
}

static void
revoked_cb (RxAdminWindow *self,
            gpointer       result,
            const GError  *error,
            gpointer       user_data)
{
  if (result == NULL)
    _rx_admin_window_report_error (self, _("The Workstation Was Not Revoked"), error);
  else
    {
      json_object_unref (result);
      _rx_admin_window_toast (self, _("Workstation revoked: its sign-ins ended and it cannot "
                                      "sync again"));
    }
  _rx_admin_workstations_reload (self);
}

static void
revoke_answered_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    RxAdminWindow    *self)
{
  if (g_str_equal (response, "revoke"))
    _rx_admin_window_run (self, revoke_in_worker,
                          g_strdup (g_object_get_data (G_OBJECT (dialog), "rx-id")), g_free,
                          (GDestroyNotify) json_object_unref, revoked_cb, NULL);
}

static void
revoke_clicked_cb (GtkButton     *button,
                   RxAdminWindow *self)
{
  g_autofree char *heading = g_strdup_printf (_("Revoke “%s”?"),
                                              (char *) g_object_get_data (G_OBJECT (button),
                                                                          "rx-name"));
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
    _("Its token stops working at the server at once: it can no longer sync, and whoever is "
      "signed in there is signed out. Changes it has not synced yet stay on it. To use it "
      "again, enrol it afresh."));

  g_object_set_data_full (G_OBJECT (dialog), "rx-id",
                          g_strdup (g_object_get_data (G_OBJECT (button), "rx-id")), g_free);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "revoke", _("Re_voke"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "revoke",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (revoke_answered_cb), self, 0);
  _rx_admin_window_set_dialog (self, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}
