/* rx-enrol-window.c: enrolling with a sync server. On first run it makes a new clinic file
 * that the first sync fills (the person signing in must have an account on the server), then
 * opens it and logs that person in. For an open clinic that is not enrolled yet, one of its
 * administrators brings its data to the server. The work runs in a thread: it talks to the
 * network and writes the whole clinic. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rx-a11y.h"
#include "rx-application.h"
#include "rx-enrol-window.h"
#include "rx-paths.h"
#include "rx-sync-run.h"

struct _RxEnrolWindow
{
  AdwWindow         parent_instance;

  RxClinic         *clinic;       /* (nullable): the open clinic to enrol */
  GCancellable     *cancellable;
  char             *enrolled_path; /* enrolled on an earlier try; only its first sync failed */

  GtkButton        *cancel_button;
  GtkButton        *enrol_button;
  GtkSpinner       *spinner;
  GtkLabel         *intro_label;
  AdwPreferencesGroup *account_group;
  AdwEntryRow      *server_row;
  AdwEntryRow      *pin_row;
  AdwEntryRow      *code_row;
  AdwEntryRow      *name_row;
  AdwEntryRow      *username_row;
  AdwEntryRow      *password_row;
  GtkLabel         *status_label;
};

G_DEFINE_FINAL_TYPE (RxEnrolWindow, rx_enrol_window, ADW_TYPE_WINDOW)

typedef struct
{
  char     *path;
  gboolean  existing;  /* the clinic brings its data */
  gboolean  enrolled;  /* set by the thread once the server has enrolled the workstation */
  char     *server;
  char     *pin;
  char     *code;
  char     *name;
  char     *username;
  char     *password;
} Job;

static void
job_free (Job *job)
{
  g_free (job->path);
  g_free (job->server);
  g_free (job->pin);
  g_free (job->code);
  g_free (job->name);
  g_free (job->username);
  if (job->password != NULL)
    explicit_bzero (job->password, strlen (job->password));
  g_free (job->password);
  g_free (job);
}

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* The fingerprint as `rxdesk-server fingerprint` prints it, with or without colons and
 * spaces, in either case; NULL unless it is 64 hexadecimal digits. */
static char *
normalise_pin (const char *text)
{
  g_autoptr(GString) hex = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isxdigit (*p))
        g_string_append_c (hex, g_ascii_tolower (*p));
      else if (*p != ':' && *p != ' ')
        return NULL;
    }

  return hex->len == 64 ? g_string_free (g_steal_pointer (&hex), FALSE) : NULL;
}

static void
show_status (RxEnrolWindow *self,
             const char    *text,
             gboolean       is_error)
{
  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static gboolean
working (RxEnrolWindow *self)
{
  return self->cancellable != NULL;
}

/* What is still missing or wrong, said the way the person can fix it, and the row to fix
 * it in; NULL when ready. */
static const char *
problem (RxEnrolWindow  *self,
         AdwEntryRow   **where)
{
  g_autofree char *pin = normalise_pin (row_text (self->pin_row));
  g_autofree char *code = g_strstrip (g_strdup (row_text (self->code_row)));
  struct { AdwEntryRow *row; gboolean wrong; const char *text; } checks[] = {
    { self->server_row, !g_str_has_prefix (row_text (self->server_row), "https://"),
      _("The server's address starts with https://") },
    { self->pin_row, pin == NULL,
      _("The certificate fingerprint is the 64 hexadecimal digits that "
        "`rxdesk-server fingerprint` prints on the server") },
    { self->code_row, self->enrolled_path == NULL && *code == '\0',
      _("Ask the server's operator for an enrolment code (`rxdesk-server org code`)") },
    { self->username_row, *row_text (self->username_row) == '\0',
      _("Enter your username on the server") },
    { self->password_row, *row_text (self->password_row) == '\0',
      _("Enter your password") },
  };
  AdwEntryRow *row = NULL;
  const char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (checks) && text == NULL; i++)
    if (checks[i].wrong)
      {
        row = checks[i].row;
        text = checks[i].text;
      }

  if (where != NULL)
    *where = row;
  return text;
}

static void
update (RxEnrolWindow *self)
{
  gboolean busy = working (self);
  GtkWidget *rows[] = {
    GTK_WIDGET (self->server_row), GTK_WIDGET (self->pin_row), GTK_WIDGET (self->code_row),
    GTK_WIDGET (self->name_row), GTK_WIDGET (self->username_row),
    GTK_WIDGET (self->password_row),
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_set_sensitive (rows[i], !busy);
  /* Enrolled already: the server and the code are spent, only signing in is left. */
  if (self->enrolled_path != NULL)
    for (guint i = 0; i < 4; i++)
      gtk_widget_set_sensitive (rows[i], FALSE);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->enrol_button), !busy && problem (self, NULL) == NULL);
}

static void
changed_cb (RxEnrolWindow *self)
{
  update (self);
  /* An old error no longer describes what is typed now. */
  if (!working (self))
    show_status (self, NULL, FALSE);
}

/* A file name for a new workstation, from the server's host name, that is not taken. */
static char *
new_clinic_path (const char *server)
{
  g_autoptr(GUri) uri = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri)
                                                                 : "server";

  for (guint n = 1; n < 1000; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup_printf ("sync %s", host)
                                     : g_strdup_printf ("sync %s %u", host, n);
      g_autofree char *path = rx_paths_clinic_file (name);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }

  return NULL;
}

static void
enrol_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  Job *job = data;
  g_autoptr(RxDb) db = NULL;
  g_autoptr(GError) error = NULL;
  RxSyncReport report = { 0 };

  if (!job->enrolled)
    {
      db = rx_sync_enrol (job->path, job->server, job->code, job->pin, job->name,
                          job->username, job->password, cancellable, &error);
      if (db == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      job->enrolled = TRUE;
    }
  else
    {
      db = rx_db_open (job->path, RX_DB_OPEN_NONE, &error);
      if (db == NULL || !rx_sync_login (db, job->username, job->password, cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  /* The first sync: a new workstation gets its people and records, an existing clinic
   * sends its own. */
  if (!rx_sync_now (db, &report, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
enrolled_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RxEnrolWindow *self = RX_ENROL_WINDOW (object);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GtkApplication *application;

  g_clear_object (&self->cancellable);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Cancelled: the window is closing and its widgets are going. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (job->enrolled && !job->existing && self->enrolled_path == NULL)
        self->enrolled_path = g_strdup (job->path);
      if (job->enrolled)
        {
          g_autofree char *text =
            g_strdup_printf (_("This workstation is enrolled, but its first sync failed: %s\n"
                               "Check the connection and press Enrol again to retry."),
                             error->message);
          show_status (self, text, TRUE);
        }
      else if (g_error_matches (error, RX_SYNC_ERROR, RX_SYNC_ERROR_CERTIFICATE))
        {
          g_autofree char *text =
            g_strdup_printf (_("The server did not show the certificate with this fingerprint, "
                               "so nothing was sent. Check the fingerprint with the server's "
                               "operator.\n%s"), error->message);
          show_status (self, text, TRUE);
        }
      else
        show_status (self, error->message, TRUE);
      update (self);
      /* The cursor goes where the fix is. */
      if (g_error_matches (error, RX_SYNC_ERROR, RX_SYNC_ERROR_CERTIFICATE))
        gtk_widget_grab_focus (GTK_WIDGET (self->pin_row));
      else if (g_error_matches (error, RX_SYNC_ERROR, RX_SYNC_ERROR_UNAUTHORIZED))
        gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  if (job->existing)
    {
      rx_sync_engine_kick (rx_clinic_get_sync (self->clinic));
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  /* Open the new clinic and log in with the account just used on the server. */
  application = gtk_window_get_application (gtk_window_get_transient_for (GTK_WINDOW (self)));
  if (RX_IS_APPLICATION (application))
    rx_application_open_clinic_login (RX_APPLICATION (application), job->path, job->username,
                                      job->password);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
enrol_cb (RxEnrolWindow *self)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (working (self) || problem (self, NULL) != NULL)
    return;

  job = g_new0 (Job, 1);
  job->existing = self->clinic != NULL;
  job->enrolled = self->enrolled_path != NULL;
  if (job->existing)
    job->path = g_strdup (rx_clinic_get_path (self->clinic));
  else if (self->enrolled_path != NULL)
    job->path = g_strdup (self->enrolled_path);
  else
    job->path = new_clinic_path (row_text (self->server_row));
  if (job->path == NULL)
    {
      show_status (self, _("No free file name for the new clinic in the clinics folder"), TRUE);
      job_free (job);
      return;
    }
  job->server = g_strdup (row_text (self->server_row));
  job->pin = normalise_pin (row_text (self->pin_row));
  job->code = g_strstrip (g_strdup (row_text (self->code_row)));
  job->name = g_strstrip (g_strdup (row_text (self->name_row)));
  if (*job->name == '\0')
    g_clear_pointer (&job->name, g_free);
  job->username = g_strstrip (g_strdup (row_text (self->username_row)));
  job->password = g_strdup (row_text (self->password_row));

  self->cancellable = g_cancellable_new ();
  show_status (self, job->existing ? _("Sending this clinic's records to the server…")
                                   : _("Enrolling and fetching the clinic's records…"),
               FALSE);
  update (self);

  task = g_task_new (self, self->cancellable, enrolled_cb, NULL);
  g_task_set_source_tag (task, enrol_cb);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, enrol_in_thread);
}

/* Enter in a row: enrol when everything is there, else on to what is missing. */
static void
activate_cb (RxEnrolWindow *self)
{
  AdwEntryRow *row = NULL;
  const char *text = problem (self, &row);

  if (working (self))
    return;
  if (text == NULL)
    {
      enrol_cb (self);
      return;
    }
  show_status (self, text, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
cancel_cb (RxEnrolWindow *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
rx_enrol_window_close_request (GtkWindow *window)
{
  RxEnrolWindow *self = RX_ENROL_WINDOW (window);

  /* The thread stops at its next network call; what the server already did stays done. */
  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (rx_enrol_window_parent_class)->close_request (window);
}

static void
rx_enrol_window_dispose (GObject *object)
{
  RxEnrolWindow *self = (RxEnrolWindow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->clinic);
  g_clear_pointer (&self->enrolled_path, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_ENROL_WINDOW);

  G_OBJECT_CLASS (rx_enrol_window_parent_class)->dispose (object);
}

static void
rx_enrol_window_class_init (RxEnrolWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rx_enrol_window_dispose;
  window_class->close_request = rx_enrol_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-enrol-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RxEnrolWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RxEnrolWindow, enrol_button);
  gtk_widget_class_bind_template_child (widget_class, RxEnrolWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, RxEnrolWindow, intro_label);
  gtk_widget_class_bind_template_child (widget_class, RxEnrolWindow, account_group);
  gtk_widget_class_bind_template_child (widget_class, RxEnrolWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, RxEnrolWindow, pin_row);
  gtk_widget_class_bind_template_child (widget_class, RxEnrolWindow, code_row);
  gtk_widget_class_bind_template_child (widget_class, RxEnrolWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, RxEnrolWindow, username_row);
  gtk_widget_class_bind_template_child (widget_class, RxEnrolWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, RxEnrolWindow, status_label);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, enrol_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rx_enrol_window_init (RxEnrolWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rx_a11y_fix_button_labels (GTK_WIDGET (self));
}

RxEnrolWindow *
rx_enrol_window_new (GtkWindow *parent,
                     RxClinic  *clinic)
{
  RxEnrolWindow *self;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (!clinic || RX_IS_CLINIC (clinic), NULL);

  self = g_object_new (RX_TYPE_ENROL_WINDOW, "transient-for", parent, NULL);
  self->clinic = clinic != NULL ? g_object_ref (clinic) : NULL;

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), g_get_host_name ());
  if (clinic != NULL)
    {
      RxUser *user = rx_clinic_get_user (clinic);

      gtk_label_set_label (self->intro_label,
                           _("This clinic's records go to the server once, and from then on "
                             "sync with its other workstations. An administrator of this "
                             "clinic signs in to do it."));
      adw_preferences_group_set_title (self->account_group, _("An Administrator of This Clinic"));
      if (user != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->username_row), rx_user_get_username (user));
    }
  else
    gtk_label_set_label (self->intro_label,
                         _("A new workstation of a clinic that already syncs with a server. "
                           "The server's operator gives you its address, its certificate "
                           "fingerprint and a one-time enrolment code; you sign in with your "
                           "account, and the clinic's records are fetched."));
  update (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->server_row));

  return self;
}
