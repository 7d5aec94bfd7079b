/* rx-lock-page.c: the lock page. It names who locked the workstation and takes only their
 * password (checked on the clinic's worker); anyone else logs that person out first. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "rx-lock-page.h"

struct _RxLockPage
{
  GtkWidget      parent_instance;

  RxClinic      *clinic;
  GCancellable  *cancellable;

  AdwStatusPage *status_page;
  AdwEntryRow   *password_row;
  GtkLabel      *error_label;
  GtkButton     *unlock_button;
  GtkButton     *log_out_button;
  GtkSpinner    *spinner;
};

G_DEFINE_FINAL_TYPE (RxLockPage, rx_lock_page, GTK_TYPE_WIDGET)

static void
set_busy (RxLockPage *self,
          gboolean    busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
}

static void
show_error (RxLockPage *self,
            const char *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
user_changed_cb (RxLockPage *self)
{
  RxUser *user = self->clinic ? rx_clinic_get_user (self->clinic) : NULL;
  g_autofree char *title = NULL;

  if (user == NULL)
    {
      adw_status_page_set_title (self->status_page, _("Locked"));
      return;
    }

  /* Translators: the lock page's title, e.g. "Locked — Dr Kwame Mensah" */
  title = g_strdup_printf (_("Locked — %s"), rx_user_get_full_name (user));
  adw_status_page_set_title (self->status_page, title);
}

static void
locked_changed_cb (RxLockPage *self)
{
  /* Whatever was typed belongs to the last lock, not the next one. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_error (self, NULL);
}

static void
unlocked_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  RxLockPage *self;

  if (!rx_clinic_unlock_finish (RX_CLINIC (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_LOCK_PAGE (user_data);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");

  if (error != NULL)
    {
      show_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
    }
}

void
rx_lock_page_unlock (RxLockPage *self,
                     const char *password)
{
  g_return_if_fail (RX_IS_LOCK_PAGE (self));
  g_return_if_fail (password != NULL);

  if (self->clinic == NULL || self->cancellable != NULL)
    return;

  self->cancellable = g_cancellable_new ();
  show_error (self, NULL);
  set_busy (self, TRUE);
  rx_clinic_unlock_async (self->clinic, password, self->cancellable, unlocked_cb, self);
}

static void
unlock_cb (RxLockPage *self)
{
  rx_lock_page_unlock (self, gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

static void
log_out_cb (RxLockPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  if (self->clinic != NULL)
    rx_clinic_logout (self->clinic);
}

void
rx_lock_page_set_clinic (RxLockPage *self,
                         RxClinic   *clinic)
{
  g_return_if_fail (RX_IS_LOCK_PAGE (self));
  g_return_if_fail (!clinic || RX_IS_CLINIC (clinic));

  if (self->clinic == clinic)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->clinic != NULL)
    g_signal_handlers_disconnect_by_data (self->clinic, self);
  g_set_object (&self->clinic, clinic);

  if (clinic != NULL)
    {
      g_signal_connect_object (clinic, "notify::user", G_CALLBACK (user_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (clinic, "notify::locked", G_CALLBACK (locked_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }

  set_busy (self, FALSE);
  locked_changed_cb (self);
  user_changed_cb (self);
}

gboolean
rx_lock_page_get_busy (RxLockPage *self)
{
  g_return_val_if_fail (RX_IS_LOCK_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

GtkWidget *
rx_lock_page_get_default_widget (RxLockPage *self)
{
  g_return_val_if_fail (RX_IS_LOCK_PAGE (self), NULL);
  return GTK_WIDGET (self->unlock_button);
}

void
rx_lock_page_focus (RxLockPage *self)
{
  g_return_if_fail (RX_IS_LOCK_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
rx_lock_page_dispose (GObject *object)
{
  RxLockPage *self = (RxLockPage *) object;

  rx_lock_page_set_clinic (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_LOCK_PAGE);

  G_OBJECT_CLASS (rx_lock_page_parent_class)->dispose (object);
}

static void
rx_lock_page_class_init (RxLockPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_lock_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-lock-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RxLockPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, RxLockPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, RxLockPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, RxLockPage, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, RxLockPage, log_out_button);
  gtk_widget_class_bind_template_child (widget_class, RxLockPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, unlock_cb);
  gtk_widget_class_bind_template_callback (widget_class, log_out_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
rx_lock_page_init (RxLockPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* An entry row is labelled by its title twice over (the title and its floating copy), so
   * screen readers would say "Password Password"; the template's label says it once. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->password_row),
                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}
