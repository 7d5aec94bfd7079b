/* rx-password-change.c: the question after a login with a password an administrator set:
 * choose your own (twice, the same) or log out. Nobody works on with a password someone
 * else knows. The new password is set on the clinic's worker (a key derivation). */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rx-password-change.h"

typedef struct
{
  RxClinic  *clinic;
  GtkWindow *parent;
  GtkWidget *first;
  GtkWidget *second;
} Ask;

static void
ask_free (gpointer data)
{
  Ask *ask = data;

  g_clear_object (&ask->clinic);
  g_clear_weak_pointer (&ask->parent);
  g_free (ask);
}

typedef struct
{
  char *user_id;
  char *password;
} Change;

static void
change_free (gpointer data)
{
  Change *c = data;

  g_free (c->user_id);
  if (c->password != NULL)
    memset (c->password, 0, strlen (c->password));
  g_free (c->password);
  g_free (c);
}

static gpointer
change_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Change *c = data;

  return rx_users_set_password (db, c->user_id, c->password, error) ? GINT_TO_POINTER (1)
                                                                     : NULL;
}

static void
changed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Ask *ask = user_data;
  g_autoptr(GError) error = NULL;
  RxClinic *clinic = RX_CLINIC (source);

  if (rx_clinic_run_finish (clinic, result, &error) == NULL && ask->parent != NULL &&
      rx_clinic_get_user (clinic) != NULL)
    {
      GtkWidget *dialog = adw_message_dialog_new (ask->parent, _("Your Password Was Not Changed"),
                                                  error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Try Again"));
      gtk_window_present (GTK_WINDOW (dialog));
      rx_password_change_ask (ask->parent, clinic);
    }
  ask_free (ask);
}

static void
answered_cb (AdwMessageDialog *dialog,
             const char       *response,
             Ask              *ask)
{
  RxUser *user = rx_clinic_get_user (ask->clinic);
  Ask *keep;
  Change *c;

  if (user == NULL)
    return;
  if (!g_str_equal (response, "save"))
    {
      rx_clinic_logout (ask->clinic);
      return;
    }

  c = g_new0 (Change, 1);
  c->user_id = g_strdup (rx_user_get_id (user));
  c->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (ask->first)));
  keep = g_new0 (Ask, 1);
  keep->clinic = g_object_ref (ask->clinic);
  g_set_weak_pointer (&keep->parent, ask->parent);
  rx_clinic_run_async (ask->clinic, change_in_worker, c, change_free, NULL, NULL, changed_cb,
                       keep);
}

/* Save waits for the same password twice. */
static void
typed_cb (Ask *ask)
{
  const char *a = gtk_editable_get_text (GTK_EDITABLE (ask->first));
  const char *b = gtk_editable_get_text (GTK_EDITABLE (ask->second));
  GtkWidget *dialog = gtk_widget_get_ancestor (ask->first, ADW_TYPE_MESSAGE_DIALOG);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save",
                                           *a != '\0' && g_str_equal (a, b));
}

static GtkWidget *
password_row (GtkWidget  *list,
              const char *title,
              Ask        *ask)
{
  GtkWidget *row = adw_password_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (typed_cb), ask);
  gtk_list_box_append (GTK_LIST_BOX (list), row);

  return row;
}

/**
 * rx_password_change_ask:
 * @parent: the window the person logged in from
 * @clinic: the clinic they are logged in to
 *
 * Returns: (transfer none): the question, shown
 */
GtkWindow *
rx_password_change_ask (GtkWindow *parent,
                        RxClinic  *clinic)
{
  GtkWidget *dialog;
  GtkWidget *list = gtk_list_box_new ();
  Ask *ask = g_new0 (Ask, 1);

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (RX_IS_CLINIC (clinic), NULL);

  ask->clinic = g_object_ref (clinic);
  g_set_weak_pointer (&ask->parent, parent);

  dialog = adw_message_dialog_new (parent, _("Choose Your Own Password"),
    _("An administrator set the password you logged in with. Choose one that only you know "
      "before you go on; your authenticator app, if you use one, must be enrolled again."));
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  ask->first = password_row (list, _("New Password"), ask);
  ask->second = password_row (list, _("New Password Again"), ask);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "logout", _("_Log Out"),
                                    "save", _("_Save Password"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "logout");
  g_signal_connect_data (dialog, "response", G_CALLBACK (answered_cb), ask,
                         (GClosureNotify) (void (*) (void)) ask_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WINDOW (dialog);
}
