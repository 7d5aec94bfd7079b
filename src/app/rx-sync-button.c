/* rx-sync-button.c: the sync indicator (see rx-sync-button.h). It only reads the engine's
 * properties; the engine does the work on its own thread. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-sync-button.h"

struct _RxSyncButton
{
  AdwBin         parent_instance;

  GtkMenuButton *button;
  GtkLabel      *state_label;
  GtkLabel      *detail_label;
  GtkButton     *sync_now;
  RxSyncEngine  *engine;
  char          *summary;
};

G_DEFINE_FINAL_TYPE (RxSyncButton, rx_sync_button, ADW_TYPE_BIN)

static char *
describe_last (GDateTime *last)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *time = NULL;

  if (last == NULL)
    return g_strdup (_("Not synced yet"));
  local = g_date_time_to_local (last);
  time = g_date_time_format (local, "%H:%M");
  /* Translators: %s is a time such as 14:05 */
  return g_strdup_printf (_("Last synced at %s"), time);
}

static void
update (RxSyncButton *self)
{
  RxSyncEngine *e = self->engine;
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *last = NULL;
  const char *icon;
  const char *state;
  gint64 pending, conflicts;

  if (e == NULL || !rx_sync_engine_get_enrolled (e))
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);

  pending = rx_sync_engine_get_pending (e);
  conflicts = rx_sync_engine_get_conflicts (e);
  last = describe_last (rx_sync_engine_get_last_sync (e));

  if (rx_sync_engine_get_syncing (e))
    {
      icon = "emblem-synchronizing-symbolic";
      state = _("Syncing…");
    }
  else if (!rx_sync_engine_get_online (e))
    {
      icon = "network-offline-symbolic";
      state = _("Offline: work is kept and sent later");
    }
  else if (conflicts > 0)
    {
      icon = "dialog-warning-symbolic";
      state = _("Synced, with conflicts to resolve");
    }
  else
    {
      icon = "emblem-ok-symbolic";
      state = _("Synced");
    }

  g_string_append (detail, last);
  g_string_append_c (detail, '\n');
  g_string_append_printf (detail, g_dngettext (NULL, "%" G_GINT64_FORMAT " change waiting to be sent",
                                               "%" G_GINT64_FORMAT " changes waiting to be sent",
                                               pending), pending);
  if (conflicts > 0)
    {
      g_string_append_c (detail, '\n');
      g_string_append_printf (detail, g_dngettext (NULL, "%" G_GINT64_FORMAT " conflict to resolve",
                                                   "%" G_GINT64_FORMAT " conflicts to resolve",
                                                   conflicts), conflicts);
    }
  if (rx_sync_engine_get_last_error (e) != NULL)
    {
      g_string_append (detail, "\n\n");
      g_string_append (detail, rx_sync_engine_get_last_error (e));
    }

  gtk_menu_button_set_icon_name (self->button, icon);
  gtk_label_set_label (self->state_label, state);
  gtk_label_set_label (self->detail_label, detail->str);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sync_now), !rx_sync_engine_get_syncing (e));

  g_free (self->summary);
  self->summary = g_strdup_printf ("%s. %s", state, detail->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), self->summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary, -1);
}

static void
sync_now_cb (RxSyncButton *self)
{
  if (self->engine != NULL)
    rx_sync_engine_kick (self->engine);
}

void
rx_sync_button_set_engine (RxSyncButton *self,
                           RxSyncEngine *engine)
{
  g_return_if_fail (RX_IS_SYNC_BUTTON (self));

  if (self->engine == engine)
    return;

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_func (self->engine, update, self);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    g_signal_connect_object (engine, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);

  update (self);
}

const char *
rx_sync_button_get_summary (RxSyncButton *self)
{
  g_return_val_if_fail (RX_IS_SYNC_BUTTON (self), NULL);
  return self->summary;
}

static void
rx_sync_button_dispose (GObject *object)
{
  RxSyncButton *self = RX_SYNC_BUTTON (object);

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_func (self->engine, update, self);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (rx_sync_button_parent_class)->dispose (object);
}

static void
rx_sync_button_finalize (GObject *object)
{
  g_free (RX_SYNC_BUTTON (object)->summary);
  G_OBJECT_CLASS (rx_sync_button_parent_class)->finalize (object);
}

static void
rx_sync_button_class_init (RxSyncButtonClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rx_sync_button_dispose;
  G_OBJECT_CLASS (klass)->finalize = rx_sync_button_finalize;
}

static void
rx_sync_button_init (RxSyncButton *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *popover = gtk_popover_new ();

  self->state_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "heading");
  gtk_label_set_xalign (self->state_label, 0);
  self->detail_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->detail_label, 0);
  gtk_label_set_wrap (self->detail_label, TRUE);
  gtk_label_set_max_width_chars (self->detail_label, 40);
  gtk_label_set_selectable (self->detail_label, TRUE);
  self->sync_now = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Sync Now")));
  gtk_widget_set_margin_top (GTK_WIDGET (self->sync_now), 6);
  g_signal_connect_swapped (self->sync_now, "clicked", G_CALLBACK (sync_now_cb), self);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->state_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->detail_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->sync_now));
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  self->button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_icon_name (self->button, "network-offline-symbolic");
  gtk_menu_button_set_popover (self->button, popover);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sync Status"), -1);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->button));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
rx_sync_button_new (void)
{
  return g_object_new (RX_TYPE_SYNC_BUTTON, NULL);
}
