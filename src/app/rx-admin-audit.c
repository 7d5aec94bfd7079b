/* rx-admin-audit.c: the Audit tab: the newest events in a column view (loaded on the worker,
 * filtered as the admin types), Verify Chain, and Export CSV of the events shown. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rx-admin-window-private.h"
#include "rx-format.h"

/* The newest this many events are shown and searched; Export and Verify cover what they say. */
#define AUDIT_LIMIT 10000

/* One audit event as a list item. */
#define RX_TYPE_AUDIT_ITEM (rx_audit_item_get_type ())
G_DECLARE_FINAL_TYPE (RxAuditItem, rx_audit_item, RX, AUDIT_ITEM, GObject)

struct _RxAuditItem
{
  GObject       parent_instance;
  RxAuditEvent *event;
  char         *who;        /* the actor's username where the actor is an account */
  char         *record;     /* what the event is about, accounts by username */
  char         *haystack;   /* lower-case text the search looks in */
};

G_DEFINE_FINAL_TYPE (RxAuditItem, rx_audit_item, G_TYPE_OBJECT)

static void
rx_audit_item_finalize (GObject *object)
{
  RxAuditItem *self = RX_AUDIT_ITEM (object);

  g_clear_pointer (&self->event, rx_audit_event_free);
  g_clear_pointer (&self->haystack, g_free);
  g_clear_pointer (&self->who, g_free);
  g_clear_pointer (&self->record, g_free);
  G_OBJECT_CLASS (rx_audit_item_parent_class)->finalize (object);
}

static void
rx_audit_item_class_init (RxAuditItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rx_audit_item_finalize;
}

static void
rx_audit_item_init (RxAuditItem *self)
{
}

static RxAuditItem *
rx_audit_item_new (RxAuditEvent *event,
                   GHashTable   *names)
{
  const char *who = g_hash_table_lookup (names, event->actor);
  const char *account = event->entity_id ? g_hash_table_lookup (names, event->entity_id) : NULL;
  RxAuditItem *self = g_object_new (RX_TYPE_AUDIT_ITEM, NULL);
  g_autofree char *all = NULL;

  self->event = event;
  self->who = g_strdup (who ? who : event->actor);
  if (event->entity_id != NULL)
    self->record = g_strdup_printf ("%s %s", event->entity, account ? account : event->entity_id);
  else
    self->record = g_strdup (event->entity);
  all = g_strjoin (" ", self->who ? self->who : "", self->record ? self->record : "",
                   event->actor ? event->actor : "", event->action ? event->action : "",
                   event->entity ? event->entity : "", event->entity_id ? event->entity_id : "",
                   event->workstation ? event->workstation : "",
                   event->detail ? event->detail : "", event->at ? event->at : "", NULL);
  self->haystack = g_utf8_strdown (all, -1);

  return self;
}

/* Columns --------------------------------------------------------------------------------- */

enum { COL_AT, COL_ACTOR, COL_ACTION, COL_RECORD, COL_WORKSTATION, COL_DETAIL };

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  RxAuditItem *audit = gtk_list_item_get_item (item);
  RxAuditEvent *e = audit->event;
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;

  switch (GPOINTER_TO_INT (user_data))
    {
    case COL_AT:
      text = rx_format_local_time (e->at);
      break;
    case COL_ACTOR:
      text = g_strdup (audit->who);
      break;
    case COL_ACTION:
      text = g_strdup (e->action);
      break;
    case COL_RECORD:
      text = g_strdup (audit->record);
      break;
    case COL_WORKSTATION:
      text = g_strdup (e->workstation);
      break;
    case COL_DETAIL:
    default:
      text = g_strdup (e->detail ? e->detail : "");
      break;
    }
  gtk_label_set_label (label, text ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), text);
}

static void
add_column (RxAdminWindow *self,
            const char    *title,
            int            which,
            gboolean       expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (which));
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->audit_view, column);
  g_object_unref (column);
}

static gboolean
matches (gpointer item,
         gpointer user_data)
{
  RxAdminWindow *self = user_data;

  return self->audit_text == NULL || strstr (RX_AUDIT_ITEM (item)->haystack,
                                             self->audit_text) != NULL;
}

static void
update_count (RxAdminWindow *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->audit_filtered));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->audit_events));
  g_autofree char *text = NULL;

  if (self->audit_text != NULL)
    text = g_strdup_printf (_("%u of the newest %u events match"), shown, all);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The newest %u event",
                                         "The newest %u events", all), all);
  gtk_label_set_label (self->audit_count_label, text);
}

void
_rx_admin_audit_init (RxAdminWindow *self)
{
  GtkNoSelection *selection;

  self->audit_events = g_list_store_new (RX_TYPE_AUDIT_ITEM);
  self->audit_filter = gtk_custom_filter_new (matches, self, NULL);
  self->audit_filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->audit_events)),
                                                    GTK_FILTER (self->audit_filter));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->audit_filtered)));
  gtk_column_view_set_model (self->audit_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  add_column (self, _("When"), COL_AT, FALSE);
  add_column (self, _("Who"), COL_ACTOR, FALSE);
  add_column (self, _("What"), COL_ACTION, FALSE);
  add_column (self, _("Record"), COL_RECORD, TRUE);
  add_column (self, _("Workstation"), COL_WORKSTATION, FALSE);
  add_column (self, _("Detail"), COL_DETAIL, TRUE);
}

/* Loading --------------------------------------------------------------------------------- */

static gpointer
load_in_worker (RxDb          *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GPtrArray) events = rx_audit_list (db, AUDIT_LIMIT, error);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GListModel) users = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (events == NULL)
    return NULL;

  /* events name accounts by id; people read usernames */
  users = rx_users_list (db, NULL);
  for (guint i = 0; users != NULL && i < g_list_model_get_n_items (users); i++)
    {
      g_autoptr(RxUser) user = g_list_model_get_item (users, i);

      g_hash_table_insert (names, g_strdup (rx_user_get_id (user)),
                           g_strdup (rx_user_get_username (user)));
    }

  /* the items are made here, off the main loop, ready to splice in at once */
  items = g_ptr_array_new_full (events->len, g_object_unref);
  for (guint i = 0; i < events->len; i++)
    {
      RxAuditEvent *e = events->pdata[i];

      g_ptr_array_add (items, rx_audit_item_new (rx_audit_event_copy (e), names));
    }

  return g_steal_pointer (&items);
}

static void
loaded_cb (RxAdminWindow *self,
           gpointer       result,
           const GError  *error,
           gpointer       user_data)
{
  g_autoptr(GPtrArray) items = result;

  if (items == NULL)
    {
      _rx_admin_window_report_error (self, _("Cannot Show the Audit Log"), error);
      return;
    }

  g_list_store_splice (self->audit_events, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->audit_events)),
                       items->pdata, items->len);
  update_count (self);
}

void
_rx_admin_audit_reload (RxAdminWindow *self)
{
  _rx_admin_window_run (self, load_in_worker, NULL, NULL,
                        (GDestroyNotify) g_ptr_array_unref, loaded_cb, NULL);
}

void
_rx_admin_audit_filter (RxAdminWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (
    gtk_editable_get_text (GTK_EDITABLE (self->audit_search))));

  g_clear_pointer (&self->audit_text, g_free);
  if (*text != '\0')
    self->audit_text = g_utf8_strdown (text, -1);
  gtk_filter_changed (GTK_FILTER (self->audit_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

GListModel *
rx_admin_window_get_audit_model (RxAdminWindow *self)
{
  g_return_val_if_fail (RX_IS_ADMIN_WINDOW (self), NULL);
  return G_LIST_MODEL (self->audit_filtered);
}

GtkWidget *
rx_admin_window_get_audit_search (RxAdminWindow *self)
{
  g_return_val_if_fail (RX_IS_ADMIN_WINDOW (self), NULL);
  return GTK_WIDGET (self->audit_search);
}

/* Verifying ------------------------------------------------------------------------------- */

static gpointer
verify_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  guint64 checked = 0;

  if (!rx_audit_verify (db, &checked, error))
    return NULL;

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "All %" G_GUINT64_FORMAT " event checks out: none was "
                                       "altered, removed or put out of order.",
                                       "All %" G_GUINT64_FORMAT " events check out: none was "
                                       "altered, removed or put out of order.", checked),
                          checked);
}

static void
verified_cb (RxAdminWindow *self,
             gpointer       result,
             const GError  *error,
             gpointer       user_data)
{
  g_autofree char *message = result;
  GtkWidget *dialog;

  if (message == NULL)
    {
      _rx_admin_window_report_error (self, _("The Audit Trail Was Tampered With"), error);
      return;
    }

  g_free (self->last_message);
  self->last_message = g_strdup (message);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("The Audit Trail Is Intact"), message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  _rx_admin_window_set_dialog (self, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Checks the whole chain of audit events and says what it found. */
void
rx_admin_window_verify_audit (RxAdminWindow *self)
{
  g_return_if_fail (RX_IS_ADMIN_WINDOW (self));

  _rx_admin_window_run (self, verify_in_worker, NULL, NULL, g_free, verified_cb, NULL);
}

/* Exporting ------------------------------------------------------------------------------- */

typedef struct
{
  GFile     *file;
  GPtrArray *events;   /* RxAuditEvent copies */
} Export;

static void
export_free (gpointer data)
{
  Export *export = data;

  g_clear_object (&export->file);
  g_clear_pointer (&export->events, g_ptr_array_unref);
  g_free (export);
}

static void
csv_field (GString    *out,
           const char *text,
           gboolean    last)
{
  g_string_append_c (out, '"');
  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append (out, last ? "\"\r\n" : "\",");
}

static gpointer
export_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Export *export = data;
  g_autoptr(GString) out = g_string_new ("at,actor,workstation,action,entity,entity_id,"
                                         "detail,hash\r\n");

  for (guint i = 0; i < export->events->len; i++)
    {
      RxAuditEvent *e = export->events->pdata[i];

      csv_field (out, e->at, FALSE);
      csv_field (out, e->actor, FALSE);
      csv_field (out, e->workstation, FALSE);
      csv_field (out, e->action, FALSE);
      csv_field (out, e->entity, FALSE);
      csv_field (out, e->entity_id, FALSE);
      csv_field (out, e->detail, FALSE);
      csv_field (out, e->hash, TRUE);
    }

  if (!g_file_replace_contents (export->file, out->str, out->len, NULL, FALSE,
                                G_FILE_CREATE_PRIVATE, NULL, cancellable, error))
    return NULL;

  return GUINT_TO_POINTER (export->events->len + 1);
}

static void
exported_cb (RxAdminWindow *self,
             gpointer       result,
             const GError  *error,
             gpointer       user_data)
{
  g_autofree char *message = NULL;

  if (result == NULL)
    {
      _rx_admin_window_report_error (self, _("The Audit Log Was Not Exported"), error);
      return;
    }
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u event",
                                          "Exported %u events", GPOINTER_TO_UINT (result) - 1),
                             GPOINTER_TO_UINT (result) - 1);
  _rx_admin_window_toast (self, message);
}

/* Saves the events the list shows now (the search applies) as CSV. */
void
rx_admin_window_export_audit_to (RxAdminWindow *self,
                                 GFile         *file)
{
  Export *export;
  GListModel *model;

  g_return_if_fail (RX_IS_ADMIN_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  model = G_LIST_MODEL (self->audit_filtered);
  export = g_new0 (Export, 1);
  export->file = g_object_ref (file);
  export->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_audit_event_free);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RxAuditItem) item = g_list_model_get_item (model, i);

      g_ptr_array_add (export->events, rx_audit_event_copy (item->event));
    }

  _rx_admin_window_run (self, export_in_worker, export, export_free, NULL, exported_cb, NULL);
}

static void
export_chosen_cb (GtkNativeDialog *chooser,
                  int              response,
                  RxAdminWindow   *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  _rx_admin_window_set_chooser (self, NULL);
  if (file != NULL)
    rx_admin_window_export_audit_to (self, file);
}

void
_rx_admin_audit_choose_export (RxAdminWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "audit-%Y-%m-%d.csv");

  rx_admin_window_show_page (self, "audit");
  chooser = gtk_file_chooser_native_new (_("Export the Audit Log"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_chosen_cb), self);
  _rx_admin_window_set_chooser (self, GTK_NATIVE_DIALOG (chooser));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
