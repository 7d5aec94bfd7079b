/* rx-admin-people.c: the People tab: each account with its state, last login, second factor
 * and certificate, and what an admin does about them (add, reset a password, unlock,
 * disable, revoke a certificate with a reason); and the physicians' prescribing. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rx-a11y.h"
#include "rx-admin-window-private.h"
#include "rx-format.h"

/* Loading --------------------------------------------------------------------------------- */

typedef struct
{
  GPtrArray *summaries;   /* RxUserSummary */
  GPtrArray *stats;       /* RxPrescriberStats */
} People;

static void
people_free (gpointer data)
{
  People *people = data;

  g_clear_pointer (&people->summaries, g_ptr_array_unref);
  g_clear_pointer (&people->stats, g_ptr_array_unref);
  g_free (people);
}

static gpointer
load_in_worker (RxDb          *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  const char *since = data;
  People *people = g_new0 (People, 1);

  people->summaries = rx_users_summarize (db, error);
  if (people->summaries != NULL)
    people->stats = rx_users_prescriber_stats (db, since, NULL, 3, error);
  if (people->stats == NULL)
    {
      people_free (people);
      return NULL;
    }

  return people;
}

static const char *
role_label (RxRole role)
{
  switch (role)
    {
    case RX_ROLE_ADMIN:
      return _("Administrator");
    case RX_ROLE_DOCTOR:
      return _("Doctor");
    case RX_ROLE_PHARMACIST:
      return _("Pharmacist");
    case RX_ROLE_RECEPTIONIST:
    default:
      return _("Receptionist");
    }
}

static const char *
state_label (const char *state,
             gboolean    throttled)
{
  if (g_strcmp0 (state, "disabled") == 0)
    return _("Disabled");
  if (g_strcmp0 (state, "locked") == 0 || throttled)
    return _("Locked");
  return _("Active");
}

static void person_action_cb (GtkButton *button,
                              gpointer   user_data);

static GtkWidget *
action_button (RxAdminWindow *self,
               RxUser        *user,
               const char    *label,
               const char    *what,
               const char    *style)
{
  GtkWidget *button = _rx_admin_window_button (label, style);

  g_object_set_data_full (G_OBJECT (button), "rx-user", g_object_ref (user), g_object_unref);
  g_object_set_data (G_OBJECT (button), "rx-what", (gpointer) what);
  g_signal_connect (button, "clicked", G_CALLBACK (person_action_cb), self);

  return button;
}

static GtkWidget *
info_row (const char *title,
          const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_widget_add_css_class (row, "property");

  return row;
}

static GtkWidget *
person_row (RxAdminWindow *self,
            RxUserSummary *s)
{
  RxUser *user = s->user;
  const char *state = state_label (rx_user_get_state (user), s->login_throttled);
  gboolean disabled = g_strcmp0 (rx_user_get_state (user), "disabled") == 0;
  gboolean is_me = g_strcmp0 (rx_user_get_id (user), rx_user_get_id (self->user)) == 0;
  g_autofree char *subtitle = NULL;
  g_autofree char *login = _rx_admin_format_time (s->last_login);
  g_autofree char *cert = NULL;
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *badge = gtk_label_new (state);
  GtkWidget *cert_row;
  GtkWidget *buttons_row;
  GtkWidget *box;

  subtitle = g_strdup_printf ("%s · %s · %s %s", rx_user_get_username (user),
                              role_label (rx_user_get_role (user)), _("last login"), login);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), rx_user_get_full_name (user));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  gtk_widget_add_css_class (badge, "caption");
  gtk_widget_add_css_class (badge, disabled ? "dim-label"
                                   : g_strcmp0 (state, _("Active")) == 0 ? "success" : "warning");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), badge);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            info_row (_("Second factor"),
                                      s->totp_enrolled ? _("Authenticator app enrolled")
                                                       : _("Not enrolled")));

  if (s->cert_revoked_at != NULL)
    {
      g_autofree char *when = rx_format_local_time (s->cert_revoked_at);
      cert = g_strdup_printf (_("Revoked on %s"), when);
    }
  else if (s->cert_not_after != NULL)
    {
      g_autofree char *until = rx_format_date (s->cert_not_after);
      cert = g_strdup_printf (_("Valid until %s"), until);
    }
  else
    cert = g_strdup (rx_user_get_role (user) == RX_ROLE_DOCTOR ? _("None: cannot sign")
                                                              : _("Not needed for this role"));
  cert_row = info_row (_("Signing certificate"), cert);
  if (s->cert_not_after != NULL && s->cert_revoked_at == NULL)
    adw_action_row_add_suffix (ADW_ACTION_ROW (cert_row),
                               action_button (self, user, _("Re_voke…"), "revoke",
                                              "destructive-action"));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), cert_row);

  buttons_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (buttons_row), _("Account"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (buttons_row),
                               disabled ? _("Disabled: their signed work still verifies")
                                        : state);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  if (!disabled)
    {
      gtk_box_append (GTK_BOX (box), action_button (self, user, _("_Reset Password…"),
                                                    "reset", NULL));
      if (g_strcmp0 (state, _("Locked")) == 0)
        gtk_box_append (GTK_BOX (box), action_button (self, user, _("_Unlock"), "unlock",
                                                      "suggested-action"));
      if (!is_me)
        gtk_box_append (GTK_BOX (box), action_button (self, user, _("_Disable…"), "disable",
                                                      "destructive-action"));
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (buttons_row), box);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), buttons_row);

  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  rx_user_get_full_name (user), -1);
  return row;
}

static GtkWidget *
physician_row (RxPrescriberStats *s)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u signed",
                                                         "%u signed", s->signed_count),
                                            s->signed_count);
  GtkWidget *label = gtk_label_new (count);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), s->full_name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               s->top_medicines && *s->top_medicines
                                 ? s->top_medicines
                                 : _("No prescriptions signed in this period"));
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  return row;
}

static void
loaded_cb (RxAdminWindow *self,
           gpointer       result,
           const GError  *error,
           gpointer       user_data)
{
  People *people = result;

  if (people == NULL)
    {
      _rx_admin_window_report_error (self, _("Cannot Show the Staff"), error);
      return;
    }

  _rx_admin_window_clear_list (self->people_list);
  for (guint i = 0; i < people->summaries->len; i++)
    gtk_list_box_append (self->people_list, person_row (self, people->summaries->pdata[i]));

  _rx_admin_window_clear_list (self->physicians_list);
  for (guint i = 0; i < people->stats->len; i++)
    gtk_list_box_append (self->physicians_list, physician_row (people->stats->pdata[i]));
  if (people->stats->len == 0)
    gtk_list_box_append (self->physicians_list,
                         info_row (_("No doctors"), _("Add a doctor's account to see their "
                                                      "prescribing here")));

  people_free (people);
}

void
_rx_admin_people_reload (RxAdminWindow *self)
{
  static const int days[] = { 7, 30, 90, 365 };
  guint selected = adw_combo_row_get_selected (self->period_row);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) since = g_date_time_add_days (now, -days[MIN (selected, 3)]);

  _rx_admin_window_run (self, load_in_worker,
                        g_date_time_format (since, "%Y-%m-%dT%H:%M:%SZ"), g_free,
                        people_free, loaded_cb, NULL);
}

/* Writes ---------------------------------------------------------------------------------- */

typedef struct
{
  char   *what;        /* add, reset, unlock, disable, revoke */
  char   *user_id;
  char   *username;
  char   *full_name;
  RxRole  role;
  char   *text;        /* a password or a reason */
} Change;

static void
change_free (gpointer data)
{
  Change *change = data;

  g_free (change->what);
  g_free (change->user_id);
  g_free (change->username);
  g_free (change->full_name);
  if (change->text != NULL)
    memset (change->text, 0, strlen (change->text));
  g_free (change->text);
  g_free (change);
}

static gpointer
change_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Change *c = data;
  gboolean ok = FALSE;

  if (g_str_equal (c->what, "add"))
    {
      g_autoptr(RxUser) user = rx_users_add (db, c->username, c->full_name, c->role, c->text,
                                             error);
      ok = user != NULL;
    }
  else if (g_str_equal (c->what, "reset"))
    ok = rx_users_set_password (db, c->user_id, c->text, error);
  else if (g_str_equal (c->what, "unlock"))
    ok = rx_users_unlock (db, c->user_id, error);
  else if (g_str_equal (c->what, "disable"))
    ok = rx_users_disable (db, c->user_id, error);
  else if (g_str_equal (c->what, "revoke"))
    {
      g_autoptr(RxCertificate) cert = rx_certs_revoke_user (db, c->username, c->text, error);
      ok = cert != NULL;
    }

  return ok ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
changed_cb (RxAdminWindow *self,
            gpointer       result,
            const GError  *error,
            gpointer       user_data)
{
  Change *c = user_data;
  g_autofree char *message = NULL;

  if (result == NULL)
    _rx_admin_window_report_error (self, _("Nothing Was Changed"), error);
  else
    {
      if (g_str_equal (c->what, "add"))
        message = g_strdup_printf (_("%s can now log in as %s"), c->full_name, c->username);
      else if (g_str_equal (c->what, "reset"))
        message = g_strdup_printf (_("%s's password is reset; give it to them in person. "
                                     "They choose their own at their next login"),
                                   c->full_name);
      else if (g_str_equal (c->what, "unlock"))
        message = g_strdup_printf (_("%s can log in again"), c->full_name);
      else if (g_str_equal (c->what, "disable"))
        message = g_strdup_printf (_("%s's account is disabled"), c->full_name);
      else
        message = g_strdup_printf (_("%s's certificate is revoked"), c->full_name);
      _rx_admin_window_toast (self, message);
    }

  change_free (c);
  _rx_admin_people_reload (self);
}

static void
run_change (RxAdminWindow *self,
            Change        *change)
{
  /* the worker gets its own copy; the reply keeps one to word the result */
  Change *copy = g_new0 (Change, 1);

  copy->what = g_strdup (change->what);
  copy->user_id = g_strdup (change->user_id);
  copy->username = g_strdup (change->username);
  copy->full_name = g_strdup (change->full_name);
  copy->role = change->role;
  copy->text = g_strdup (change->text);
  _rx_admin_window_run (self, change_in_worker, copy, change_free, NULL, changed_cb, change);
}

/* Questions ------------------------------------------------------------------------------- */

typedef struct
{
  RxAdminWindow *self;
  Change        *change;
  GtkWidget     *username;
  GtkWidget     *full_name;
  GtkWidget     *role;
  GtkWidget     *text;
} Question;

static void
question_free (gpointer data)
{
  Question *q = data;

  if (q->change != NULL)
    change_free (q->change);
  g_free (q);
}

static const char *
entry_text (GtkWidget *row)
{
  return row != NULL ? gtk_editable_get_text (GTK_EDITABLE (row)) : NULL;
}

static void
answered_cb (AdwMessageDialog *dialog,
             const char       *response,
             Question         *q)
{
  Change *c = q->change;

  if (g_str_equal (response, "cancel") || g_str_equal (response, "close"))
    return;

  if (q->username != NULL)
    {
      g_autofree char *username = g_strstrip (g_strdup (entry_text (q->username)));
      g_autofree char *full_name = g_strstrip (g_strdup (entry_text (q->full_name)));
      RxRole roles[] = { RX_ROLE_DOCTOR, RX_ROLE_PHARMACIST, RX_ROLE_RECEPTIONIST,
                         RX_ROLE_ADMIN };

      c->username = g_steal_pointer (&username);
      c->full_name = g_steal_pointer (&full_name);
      c->role = roles[MIN (adw_combo_row_get_selected (ADW_COMBO_ROW (q->role)), 3)];
    }
  if (q->text != NULL)
    c->text = g_strstrip (g_strdup (entry_text (q->text)));

  q->change = NULL;
  run_change (q->self, c);
}

/* The main button waits for what it needs: every field filled in. */
static void
fields_changed_cb (Question *q)
{
  GtkWidget *rows[] = { q->username, q->full_name, q->text };
  gboolean ready = TRUE;
  GtkWidget *dialog = gtk_widget_get_ancestor (q->text ? q->text : q->username,
                                               ADW_TYPE_MESSAGE_DIALOG);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (rows[i] != NULL)
      {
        g_autofree char *text = g_strstrip (g_strdup (entry_text (rows[i])));
        ready &= *text != '\0';
      }

  if (dialog != NULL)
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "ok", ready);
}

static GtkWidget *
add_entry (Question   *q,
           GtkWidget  *list,
           const char *title,
           gboolean    password)
{
  GtkWidget *row = password ? adw_password_entry_row_new () : adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (fields_changed_cb), q);
  gtk_list_box_append (GTK_LIST_BOX (list), row);

  return row;
}

static void
ask (RxAdminWindow *self,
     Change        *change,
     const char    *heading,
     const char    *body,
     const char    *ok_label,
     gboolean       destructive,
     const char    *text_title,
     gboolean       text_is_password,
     gboolean       whole_person)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  Question *q = g_new0 (Question, 1);
  GtkWidget *list = NULL;

  q->self = self;
  q->change = change;

  if (whole_person || text_title != NULL)
    {
      list = gtk_list_box_new ();
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
    }
  if (whole_person)
    {
      const char *roles[] = { _("Doctor"), _("Pharmacist"), _("Receptionist"),
                              _("Administrator"), NULL };

      q->full_name = add_entry (q, list, _("Full Name"), FALSE);
      q->username = add_entry (q, list, _("Username"), FALSE);
      q->role = adw_combo_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (q->role), _("Role"));
      adw_combo_row_set_model (ADW_COMBO_ROW (q->role),
                               G_LIST_MODEL (gtk_string_list_new (roles)));
      gtk_list_box_append (GTK_LIST_BOX (list), q->role);
    }
  if (text_title != NULL)
    q->text = add_entry (q, list, text_title, text_is_password);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "ok", ok_label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok",
                                              destructive ? ADW_RESPONSE_DESTRUCTIVE
                                                          : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "ok",
                                           list == NULL);
  g_signal_connect_data (dialog, "response", G_CALLBACK (answered_cb), q,
                         (GClosureNotify) (void (*) (void)) question_free, 0);
  _rx_admin_window_set_dialog (self, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_rx_admin_people_add (RxAdminWindow *self)
{
  Change *change = g_new0 (Change, 1);

  change->what = g_strdup ("add");
  ask (self, change, _("Add a Person"),
       _("They log in with this username and password, and choose their own password "
         "later. A doctor gets a signing certificate at once."),
       _("_Add"), FALSE, _("Password"), TRUE, TRUE);
}

static void
person_action_cb (GtkButton *button,
                  gpointer   user_data)
{
  RxAdminWindow *self = user_data;
  RxUser *user = g_object_get_data (G_OBJECT (button), "rx-user");
  const char *what = g_object_get_data (G_OBJECT (button), "rx-what");
  const char *name = rx_user_get_full_name (user);
  Change *change = g_new0 (Change, 1);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  change->what = g_strdup (what);
  change->user_id = g_strdup (rx_user_get_id (user));
  change->username = g_strdup (rx_user_get_username (user));
  change->full_name = g_strdup (name);

  if (g_str_equal (what, "unlock"))
    {
      run_change (self, change);
      return;
    }

  if (g_str_equal (what, "reset"))
    {
      heading = g_strdup_printf (_("Reset %s's Password?"), name);
      body = g_strdup (_("Choose a temporary password and give it to them in person; they "
                         "must choose their own at their next login. Their authenticator app "
                         "is forgotten and must be enrolled again."));
      ask (self, change, heading, body, _("_Reset Password"), FALSE, _("New Password"), TRUE,
           FALSE);
    }
  else if (g_str_equal (what, "disable"))
    {
      heading = g_strdup_printf (_("Disable %s's Account?"), name);
      body = g_strdup (_("They can no longer log in. The account is kept, so everything they "
                         "signed still verifies; this cannot be undone here."));
      ask (self, change, heading, body, _("_Disable"), TRUE, NULL, FALSE, FALSE);
    }
  else
    {
      heading = g_strdup_printf (_("Revoke %s's Certificate?"), name);
      body = g_strdup (_("Prescriptions they sign from now on cannot be dispensed until a new "
                         "certificate is issued. Pharmacists checking earlier prescriptions "
                         "see the reason."));
      ask (self, change, heading, body, _("Re_voke"), TRUE, _("Reason"), FALSE, FALSE);
    }
}
