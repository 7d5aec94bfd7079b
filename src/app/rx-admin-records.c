/* rx-admin-records.c: the Conflicts tab (what sync raised, both sides as recorded, and the
 * ways to resolve each, with a note; audited and synced by core) and the Feedback tab
 * (filtered by state; acknowledge or reply). */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rx-admin-window-private.h"
#include "rx-format.h"

/* Conflicts ------------------------------------------------------------------------------- */

static gpointer
conflicts_in_worker (RxDb          *db,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return rx_conflicts_list (db, FALSE, error);
}

static const char *
conflict_title (const char *kind)
{
  if (g_strcmp0 (kind, "over_dispense") == 0)
    return _("Dispensed beyond the prescription");
  if (g_strcmp0 (kind, "negative_stock") == 0)
    return _("Stock below zero");
  if (g_strcmp0 (kind, "status") == 0)
    return _("Cancelled on one side, dispensed on the other");
  return kind;
}

static GtkWidget *
property_row (const char *title,
              const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value ? value : "");
  gtk_widget_add_css_class (row, "property");
  return row;
}

typedef struct
{
  char *id;
  char *action;
  char *note;
} Resolve;

static void
resolve_free (gpointer data)
{
  Resolve *r = data;

  g_free (r->id);
  g_free (r->action);
  g_free (r->note);
  g_free (r);
}

static gpointer
resolve_in_worker (RxDb          *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  Resolve *r = data;

  return rx_conflicts_resolve (db, r->id, r->action, r->note, error) ? GINT_TO_POINTER (1)
                                                                      : NULL;
}

static void
resolved_cb (RxAdminWindow *self,
             gpointer       result,
             const GError  *error,
             gpointer       user_data)
{
  if (result == NULL)
    _rx_admin_window_report_error (self, _("The Conflict Is Still Open"), error);
  else
    _rx_admin_window_toast (self, _("Conflict resolved; every workstation hears of it at its "
                                    "next sync"));
  _rx_admin_conflicts_reload (self);
}

static void
resolve_clicked_cb (GtkButton     *button,
                    RxAdminWindow *self)
{
  GtkEditable *note = g_object_get_data (G_OBJECT (button), "rx-note");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (note)));
  Resolve *r = g_new0 (Resolve, 1);

  r->id = g_strdup (g_object_get_data (G_OBJECT (button), "rx-id"));
  r->action = g_strdup (g_object_get_data (G_OBJECT (button), "rx-action"));
  r->note = *text ? g_steal_pointer (&text) : NULL;
  _rx_admin_window_run (self, resolve_in_worker, r, resolve_free, NULL, resolved_cb, NULL);
}

static GtkWidget *
conflict_row (RxAdminWindow *self,
              RxConflict    *c)
{
  static const struct { const char *action; const char *label; const char *kinds; } ways[] = {
    { "acknowledged", N_("_Accept"), "over_dispense negative_stock status" },
    { "corrected", N_("Adjust _Stock"), "negative_stock over_dispense" },
    { "recovered", N_("_Recovered"), "over_dispense" },
    { "written_off", N_("_Write Off"), "negative_stock" },
  };
  gboolean open = g_strcmp0 (c->state, "open") == 0;
  g_autofree char *detected = rx_format_local_time (c->detected_at);
  g_autofree char *record = g_strdup_printf ("%s %s", c->entity, c->entity_id);
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *badge = gtk_label_new (open ? _("Open") : _("Resolved"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), conflict_title (c->kind));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), c->detail);
  gtk_widget_add_css_class (badge, "caption");
  gtk_widget_add_css_class (badge, open ? "warning" : "dim-label");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), badge);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  conflict_title (c->kind), -1);

  /* the detail holds both sides as sync recorded them */
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), property_row (_("What each side did"),
                                                                  c->detail));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), property_row (_("Record"), record));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), property_row (_("Detected"), detected));

  if (!open)
    {
      g_autofree char *when = rx_format_local_time (c->resolved_at);
      g_autofree char *how = g_strdup_printf (_("%s by %s on %s"), c->resolution,
                                              c->resolved_by ? c->resolved_by : "?", when);

      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), property_row (_("Resolved"), how));
      if (c->note != NULL)
        adw_expander_row_add_row (ADW_EXPANDER_ROW (row), property_row (_("Note"), c->note));
    }
  else
    {
      GtkWidget *note = adw_entry_row_new ();
      GtkWidget *actions = adw_action_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (note), _("Note (optional)"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (note), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Note"), -1);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), note);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (actions), _("Resolve"));
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      for (guint i = 0; i < G_N_ELEMENTS (ways); i++)
        {
          GtkWidget *button;

          if (strstr (ways[i].kinds, c->kind ? c->kind : "") == NULL)
            continue;
          button = _rx_admin_window_button (_(ways[i].label),
                                            i == 0 ? "suggested-action" : NULL);
          g_object_set_data_full (G_OBJECT (button), "rx-id", g_strdup (c->id), g_free);
          g_object_set_data (G_OBJECT (button), "rx-action", (gpointer) ways[i].action);
          g_object_set_data (G_OBJECT (button), "rx-note", note);
          g_signal_connect (button, "clicked", G_CALLBACK (resolve_clicked_cb), self);
          gtk_box_append (GTK_BOX (box), button);
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (actions), box);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), actions);
    }

  return row;
}

static void
conflicts_loaded_cb (RxAdminWindow *self,
                     gpointer       result,
                     const GError  *error,
                     gpointer       user_data)
{
  g_autoptr(GPtrArray) conflicts = result;
  guint open = 0;

  if (conflicts == NULL)
    {
      _rx_admin_window_report_error (self, _("Cannot Show the Conflicts"), error);
      return;
    }

  _rx_admin_window_clear_list (self->conflicts_list);
  /* open ones first, then what was resolved */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < conflicts->len; i++)
      {
        RxConflict *c = conflicts->pdata[i];

        if ((g_strcmp0 (c->state, "open") == 0) == (pass == 0))
          {
            gtk_list_box_append (self->conflicts_list, conflict_row (self, c));
            open += pass == 0;
          }
      }
  gtk_stack_set_visible_child_name (self->conflicts_stack, conflicts->len ? "list" : "empty");
  adw_view_stack_page_set_badge_number (self->conflicts_page, open);
  adw_view_stack_page_set_needs_attention (self->conflicts_page, open > 0);
}

void
_rx_admin_conflicts_reload (RxAdminWindow *self)
{
  _rx_admin_window_run (self, conflicts_in_worker, NULL, NULL,
                        (GDestroyNotify) g_ptr_array_unref, conflicts_loaded_cb, NULL);
}

/* Feedback -------------------------------------------------------------------------------- */

static gpointer
feedback_in_worker (RxDb          *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return rx_feedback_list (db, data, 500, error);
}

typedef struct
{
  char *id;
  char *state;
  char *reply;
} Answer;

static void
answer_free (gpointer data)
{
  Answer *a = data;

  g_free (a->id);
  g_free (a->state);
  g_free (a->reply);
  g_free (a);
}

static gpointer
answer_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Answer *a = data;

  return rx_feedback_set_state (db, a->id, a->state, a->reply, error) ? GINT_TO_POINTER (1)
                                                                       : NULL;
}

static void
answered_cb (RxAdminWindow *self,
             gpointer       result,
             const GError  *error,
             gpointer       user_data)
{
  if (result == NULL)
    _rx_admin_window_report_error (self, _("Nothing Was Changed"), error);
  else
    _rx_admin_window_toast (self, GPOINTER_TO_INT (user_data) ? _("Reply recorded")
                                                               : _("Feedback acknowledged"));
  _rx_admin_feedback_reload (self);
}

static void
feedback_clicked_cb (GtkButton     *button,
                     RxAdminWindow *self)
{
  GtkEditable *reply = g_object_get_data (G_OBJECT (button), "rx-reply");
  Answer *a = g_new0 (Answer, 1);
  gboolean replying = reply != NULL;

  a->id = g_strdup (g_object_get_data (G_OBJECT (button), "rx-id"));
  a->state = g_strdup (replying ? "replied" : "acknowledged");
  if (replying)
    {
      a->reply = g_strstrip (g_strdup (gtk_editable_get_text (reply)));
      if (*a->reply == '\0')
        {
          g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                                         _("Write the reply first, then press "
                                                           "Reply"));
          _rx_admin_window_report_error (self, _("Nothing Was Sent"), error);
          answer_free (a);
          return;
        }
    }
  _rx_admin_window_run (self, answer_in_worker, a, answer_free, NULL, answered_cb,
                        GINT_TO_POINTER (replying));
}

static GtkWidget *
feedback_row (RxAdminWindow *self,
              RxFeedback    *f)
{
  int rating = CLAMP (rx_feedback_get_rating (f), 0, 5);
  const char *state = rx_feedback_get_state (f);
  g_autofree char *stars = NULL;
  g_autofree char *title = NULL;
  g_autofree char *when = rx_format_local_time (rx_feedback_get_created_at (f));
  g_autofree char *about = NULL;
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *badge;
  g_autoptr(GString) s = g_string_new (NULL);

  for (int i = 0; i < 5; i++)
    g_string_append (s, i < rating ? "★" : "☆");
  stars = g_string_free (g_steal_pointer (&s), FALSE);
  if (rx_feedback_get_about_kind (f) != NULL)
    about = g_strdup_printf ("%s %s", rx_feedback_get_about_kind (f),
                             rx_feedback_get_about_id (f) ? rx_feedback_get_about_id (f) : "");
  else
    about = g_strdup (_("general"));
  /* Translators: "★★★★☆ from a patient about prescription 0191…" */
  title = g_strdup_printf (_("%s from %s, about %s"), stars,
                           rx_feedback_get_author_kind (f), about);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), rx_feedback_get_text (f));
  badge = gtk_label_new (g_strcmp0 (state, "new") == 0 ? _("New")
                         : g_strcmp0 (state, "acknowledged") == 0 ? _("Acknowledged")
                         : _("Replied"));
  gtk_widget_add_css_class (badge, "caption");
  gtk_widget_add_css_class (badge, g_strcmp0 (state, "new") == 0 ? "accent" : "dim-label");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), badge);
  {
    g_autofree char *label = g_strdup_printf (_("%d of 5: %s"), rating,
                                              rx_feedback_get_text (f));
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);
  }

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), property_row (_("Comment"),
                                                                  rx_feedback_get_text (f)));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), property_row (_("Received"), when));
  if (rx_feedback_get_reply (f) != NULL)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                              property_row (_("Reply"), rx_feedback_get_reply (f)));

  if (g_strcmp0 (state, "replied") != 0)
    {
      GtkWidget *reply = adw_entry_row_new ();
      GtkWidget *send = _rx_admin_window_button (_("_Reply"), "suggested-action");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (reply), _("Reply"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (reply), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Reply"), -1);
      g_object_set_data_full (G_OBJECT (send), "rx-id", g_strdup (rx_feedback_get_id (f)),
                              g_free);
      g_object_set_data (G_OBJECT (send), "rx-reply", reply);
      g_signal_connect (send, "clicked", G_CALLBACK (feedback_clicked_cb), self);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (reply), send);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), reply);
    }
  if (g_strcmp0 (state, "new") == 0)
    {
      GtkWidget *ack_row = adw_action_row_new ();
      GtkWidget *ack = _rx_admin_window_button (_("_Acknowledge"), NULL);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (ack_row),
                                     _("Seen, nothing to reply"));
      g_object_set_data_full (G_OBJECT (ack), "rx-id", g_strdup (rx_feedback_get_id (f)),
                              g_free);
      g_signal_connect (ack, "clicked", G_CALLBACK (feedback_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (ack_row), ack);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), ack_row);
    }

  return row;
}

static void
feedback_loaded_cb (RxAdminWindow *self,
                    gpointer       result,
                    const GError  *error,
                    gpointer       user_data)
{
  g_autoptr(GListModel) list = result;
  guint n;

  if (list == NULL)
    {
      _rx_admin_window_report_error (self, _("Cannot Show the Feedback"), error);
      return;
    }

  n = g_list_model_get_n_items (list);
  _rx_admin_window_clear_list (self->feedback_list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RxFeedback) f = g_list_model_get_item (list, i);

      gtk_list_box_append (self->feedback_list, feedback_row (self, f));
    }
  gtk_stack_set_visible_child_name (self->feedback_stack, n > 0 ? "list" : "empty");
}

void
_rx_admin_feedback_reload (RxAdminWindow *self)
{
  static const char * const states[] = { NULL, "new", "acknowledged", "replied" };
  guint selected = MIN (adw_combo_row_get_selected (self->feedback_filter_row), 3);

  _rx_admin_window_run (self, feedback_in_worker, (gpointer) states[selected], NULL,
                        g_object_unref, feedback_loaded_cb, NULL);
}
