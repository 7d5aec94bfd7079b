/* rx-login-page.c: the login page. The password is checked on the clinic's worker (a key
 * derivation that takes a good part of a second on purpose) while a spinner turns; a wrong
 * password or a back-off wait shows core's own message and keeps the username. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <adwaita.h>

#include "rx-login-page.h"
#include "rx-password-change.h"

struct _RxLoginPage
{
  GtkWidget      parent_instance;

  RxClinic      *clinic;
  GCancellable  *cancellable;

  AdwStatusPage *status_page;
  GtkLabel      *demo_label;
  AdwEntryRow   *username_row;
  AdwEntryRow   *password_row;
  GtkLabel      *error_label;
  GtkButton     *log_in_button;
  GtkSpinner    *spinner;
};

G_DEFINE_FINAL_TYPE (RxLoginPage, rx_login_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_busy (RxLoginPage *self,
          gboolean     busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->log_in_button), !busy);
  /* Not insensitive: that would take the focus from the row mid-keystroke. */
  gtk_editable_set_editable (GTK_EDITABLE (self->username_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_error (RxLoginPage *self,
            const char  *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_label),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                    -1);
}

static void
logged_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  RxLoginPage *self;

  if (!rx_clinic_login_finish (RX_CLINIC (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_LOGIN_PAGE (user_data);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");

  if (error != NULL)
    {
      show_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  /* The demo's password is shown once, to whoever opened the demo; not after a logout. */
  show_error (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->demo_label), FALSE);
  gtk_label_set_label (self->demo_label, "");

  /* a password an administrator set is replaced before anything else */
  if (rx_clinic_get_user (self->clinic) != NULL &&
      rx_user_get_must_change_password (rx_clinic_get_user (self->clinic)) &&
      GTK_IS_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))))
    rx_password_change_ask (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->clinic);
}

void
rx_login_page_login (RxLoginPage *self,
                     const char  *username,
                     const char  *password)
{
  g_return_if_fail (RX_IS_LOGIN_PAGE (self));
  g_return_if_fail (username != NULL && password != NULL);

  if (self->clinic == NULL || self->cancellable != NULL)
    return;

  if (*username == '\0')
    {
      show_error (self, _("Enter your username"));
      gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
      return;
    }

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->username_row)), username) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->username_row), username);

  self->cancellable = g_cancellable_new ();
  show_error (self, NULL);
  set_busy (self, TRUE);
  rx_clinic_login_async (self->clinic, username, password, self->cancellable, logged_in_cb,
                         self);
}

static void
log_in_cb (RxLoginPage *self)
{
  g_autofree char *username = g_strstrip (g_strdup (gtk_editable_get_text (
                                GTK_EDITABLE (self->username_row))));

  rx_login_page_login (self, username, gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

static void
username_activated_cb (RxLoginPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
show_demo_password (RxLoginPage *self,
                    char        *password)
{
  g_autofree char *text = NULL;

  if (password == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->demo_label), FALSE);
      return;
    }

  /* Translators: %s is a generated password such as "abcd-EFGH-2345-jkmn"; keep the markup. */
  text = g_markup_printf_escaped (_("The demo staff share the password\n"
                                    "<span size=\"large\" weight=\"bold\" "
                                    "font_family=\"monospace\">%s</span>\n"
                                    "Note it now: it is shown only this once.\n\n"
                                    "Users: ayusuf (admin), kmensah (doctor), rpatel (pharmacist), "
                                    "tnguyen (receptionist)"), password);
  gtk_label_set_label (self->demo_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->demo_label), TRUE);
  explicit_bzero (password, strlen (password));
  g_free (password);
}

void
rx_login_page_set_clinic (RxLoginPage *self,
                          RxClinic    *clinic)
{
  g_return_if_fail (RX_IS_LOGIN_PAGE (self));
  g_return_if_fail (!clinic || RX_IS_CLINIC (clinic));

  if (self->clinic == clinic)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_set_object (&self->clinic, clinic);

  set_busy (self, FALSE);
  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  adw_status_page_set_title (self->status_page,
                             clinic ? rx_clinic_get_name (clinic) : _("Log In"));
  show_demo_password (self, clinic ? rx_clinic_take_demo_password (clinic) : NULL);
}

gboolean
rx_login_page_get_busy (RxLoginPage *self)
{
  g_return_val_if_fail (RX_IS_LOGIN_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

/* The message of the last failed login, or NULL. */
const char *
rx_login_page_get_error (RxLoginPage *self)
{
  g_return_val_if_fail (RX_IS_LOGIN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_label (self->error_label);
}

const char *
rx_login_page_get_username (RxLoginPage *self)
{
  g_return_val_if_fail (RX_IS_LOGIN_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->username_row));
}

GtkWidget *
rx_login_page_get_default_widget (RxLoginPage *self)
{
  g_return_val_if_fail (RX_IS_LOGIN_PAGE (self), NULL);
  return GTK_WIDGET (self->log_in_button);
}

/* Puts the cursor where the person types next: the username, or the password after one. */
void
rx_login_page_focus (RxLoginPage *self)
{
  const char *username;

  g_return_if_fail (RX_IS_LOGIN_PAGE (self));

  username = gtk_editable_get_text (GTK_EDITABLE (self->username_row));
  gtk_widget_grab_focus (GTK_WIDGET (*username ? self->password_row : self->username_row));
}

static void
rx_login_page_dispose (GObject *object)
{
  RxLoginPage *self = (RxLoginPage *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_LOGIN_PAGE);
  g_clear_object (&self->clinic);

  G_OBJECT_CLASS (rx_login_page_parent_class)->dispose (object);
}

static void
rx_login_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RxLoginPage *self = RX_LOGIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, rx_login_page_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_login_page_class_init (RxLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_login_page_dispose;
  object_class->get_property = rx_login_page_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RxLoginPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, RxLoginPage, demo_label);
  gtk_widget_class_bind_template_child (widget_class, RxLoginPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, RxLoginPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, RxLoginPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, RxLoginPage, log_in_button);
  gtk_widget_class_bind_template_child (widget_class, RxLoginPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, log_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, username_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
rx_login_page_init (RxLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* An entry row is labelled by its title twice over (the title and its floating copy), so
   * screen readers would say "Username Username"; the template's label says it once. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->username_row),
                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->password_row),
                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}
