/* rx-prescription-window-items.c: the new prescription in the prescription window: the
 * formulary search as you type, the items with their sig builders, and the safety checks that
 * run again a moment after each edit, against the patient's current medicines too. Only the
 * answer for the items as they are now counts; an older one is dropped. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-format.h"
#include "rx-prescription-item-row.h"
#include "rx-prescription-window-private.h"

/* Drug search ----------------------------------------------------------------------------- */

static GtkWidget *
drug_row_new (RxProduct *product)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *name = rx_product_dup_display_name (product);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  const char *expiry = rx_product_get_nearest_expiry (product);
  gint64 on_hand = rx_product_get_on_hand (product);
  const char *synonyms = rx_product_get_synonyms (product);

  g_string_append_printf (subtitle, "%s · %s", rx_product_get_atc (product),
                          rx_product_get_route (product));
  if (synonyms != NULL && *synonyms != '\0')
    g_string_append_printf (subtitle, " · %s", synonyms);
  if (on_hand > 0)
    {
      g_autofree char *quantity = rx_format_quantity (on_hand);
      g_autofree char *date = rx_format_date (expiry ? expiry : "");

      /* Translators: stock at the clinic's pharmacy beside a medicine found */
      g_string_append_printf (subtitle, expiry ? _(" · %s in stock, nearest expiry %s")
                                               : _(" · %s in stock"), quantity, date);
    }
  else
    g_string_append (subtitle, _(" · not in stock here"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  if (rx_product_get_controlled (product))
    {
      GtkWidget *badge = gtk_label_new (_("Controlled"));

      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (badge, "badge");
      gtk_widget_add_css_class (badge, "controlled");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("list-add-symbolic"));
  g_object_set_data_full (G_OBJECT (row), "rx-product", g_object_ref (product), g_object_unref);

  return row;
}

void
_rx_prescription_window_hide_drugs (RxPrescriptionWindow *self)
{
  _rx_prescription_window_set_cancellable (self, &self->drug_search, NULL);
  g_clear_pointer (&self->drugs_searched, g_free);
  g_clear_object (&self->drugs);
  _rx_prescription_window_clear_list (self->drug_list);
  gtk_revealer_set_reveal_child (self->drug_revealer, FALSE);
}

static void
drugs_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = rx_clinic_search_products_finish (RX_CLINIC (object), result,
                                                                  &error);
  RxPrescriptionWindow *self;
  guint n;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_PRESCRIPTION_WINDOW (user_data);
  _rx_prescription_window_set_cancellable (self, &self->drug_search, NULL);
  _rx_prescription_window_clear_list (self->drug_list);
  gtk_revealer_set_reveal_child (self->drug_revealer, TRUE);

  if (found == NULL)
    {
      g_clear_pointer (&self->drugs_searched, g_free);
      gtk_label_set_label (self->drug_status_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->drug_list), FALSE);
      return;
    }

  g_set_object (&self->drugs, found);
  n = g_list_model_get_n_items (found);
  for (guint i = 0; i < MIN (n, RX_PRESCRIPTION_DRUGS_SHOWN); i++)
    {
      g_autoptr(RxProduct) product = g_list_model_get_item (found, i);

      gtk_list_box_append (self->drug_list, drug_row_new (product));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->drug_list), n > 0);
  if (n == 0)
    {
      g_autofree char *text = g_strdup_printf (_("No medicine in the formulary matches “%s”. "
                                                 "Check the spelling, or try the generic "
                                                 "name."), self->drugs_searched);

      gtk_label_set_label (self->drug_status_label, text);
    }
  else if (n > RX_PRESCRIPTION_DRUGS_SHOWN)
    gtk_label_set_label (self->drug_status_label,
                         _("The closest matches; Enter adds the first, or type more"));
  else
    gtk_label_set_label (self->drug_status_label, _("Enter adds the first; click to add another"));
}

static void
search_drugs (RxPrescriptionWindow *self,
              const char           *text)
{
  g_autofree char *clean = g_strstrip (g_strdup (text ? text : ""));
  g_autoptr(GCancellable) cancellable = NULL;

  if (self->clinic == NULL || rx_clinic_get_locked (self->clinic))
    return;
  if (g_utf8_strlen (clean, -1) < RX_PRESCRIPTION_SEARCH_MIN_CHARS)
    {
      _rx_prescription_window_hide_drugs (self);
      return;
    }
  if (g_strcmp0 (clean, self->drugs_searched) == 0)
    return;

  g_free (self->drugs_searched);
  self->drugs_searched = g_steal_pointer (&clean);
  cancellable = g_cancellable_new ();
  _rx_prescription_window_set_cancellable (self, &self->drug_search, cancellable);
  rx_clinic_search_products_async (self->clinic, self->drugs_searched, cancellable,
                                   drugs_found_cb, self);
}

static void
drug_search_changed_cb (RxPrescriptionWindow *self)
{
  search_drugs (self, gtk_editable_get_text (GTK_EDITABLE (self->drug_entry)));
}

void
_rx_prescription_window_take_drug (RxPrescriptionWindow *self,
                                   RxProduct            *product)
{
  _rx_prescription_window_add_item (self, product, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->drug_entry), "");
  _rx_prescription_window_hide_drugs (self);
}

/* Enter takes the best match, once the search for what is typed has come back. */
static void
drug_search_activated_cb (RxPrescriptionWindow *self)
{
  g_autoptr(RxProduct) first = NULL;

  search_drugs (self, gtk_editable_get_text (GTK_EDITABLE (self->drug_entry)));
  if (self->drug_search != NULL || self->drugs == NULL ||
      g_list_model_get_n_items (self->drugs) == 0)
    return;

  first = g_list_model_get_item (self->drugs, 0);
  _rx_prescription_window_take_drug (self, first);
}

static void
drug_search_stopped_cb (RxPrescriptionWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->drug_entry), "");
  _rx_prescription_window_hide_drugs (self);
}

static void
drug_activated_cb (RxPrescriptionWindow *self,
                   GtkListBoxRow        *row)
{
  RxProduct *product = g_object_get_data (G_OBJECT (row), "rx-product");
  g_autoptr(RxProduct) keep = product ? g_object_ref (product) : NULL;

  /* Taking it empties the list, row and all. */
  if (keep != NULL)
    _rx_prescription_window_take_drug (self, keep);
}

/* The items ------------------------------------------------------------------------------- */

GPtrArray *
_rx_prescription_window_get_item_rows (RxPrescriptionWindow *self)
{
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->item_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (RX_IS_PRESCRIPTION_ITEM_ROW (child))
      g_ptr_array_add (rows, child);

  return rows;
}

static void
items_edited (RxPrescriptionWindow *self)
{
  self->generation++;
  _rx_prescription_window_schedule_check (self);
  _rx_prescription_window_update_actions (self);
}

static void
item_remove_cb (RxPrescriptionWindow  *self,
                RxPrescriptionItemRow *row)
{
  g_autofree char *name = rx_prescription_item_row_dup_name (row);
  g_autofree char *message = g_strdup_printf (_("%s is off the prescription"), name);

  gtk_list_box_remove (self->item_list, GTK_WIDGET (row));
  items_edited (self);
  _rx_prescription_window_toast (self, message);
  gtk_widget_grab_focus (GTK_WIDGET (self->drug_entry));
}

void
_rx_prescription_window_add_item (RxPrescriptionWindow *self,
                                  RxProduct            *product,
                                  const RxSig          *sig)
{
  GtkWidget *row = rx_prescription_item_row_new (product, sig);
  g_autoptr(GPtrArray) rows = _rx_prescription_window_get_item_rows (self);

  /* The newest item opens for its directions; the others fold away. */
  for (guint i = 0; i < rows->len; i++)
    adw_expander_row_set_expanded (rows->pdata[i], FALSE);
  g_signal_connect_object (row, "changed", G_CALLBACK (items_edited), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "remove", G_CALLBACK (item_remove_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "save-favourite",
                           G_CALLBACK (_rx_prescription_window_save_favourite), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_append (self->item_list, row);
  _rx_prescription_window_load_favourites (self, row);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), sig == NULL);
  items_edited (self);
}

/* Empties the new prescription; a draft written for it but never signed is withdrawn by the
 * next signature, or when the window closes. */
void
_rx_prescription_window_clear_draft (RxPrescriptionWindow *self)
{
  g_autoptr(GPtrArray) rows = _rx_prescription_window_get_item_rows (self);

  for (guint i = 0; i < rows->len; i++)
    gtk_list_box_remove (self->item_list, rows->pdata[i]);
  gtk_editable_set_text (GTK_EDITABLE (self->override_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->notes_row), "");
  g_clear_pointer (&self->supersedes_id, g_free);
  g_clear_pointer (&self->supersede_reason, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->supersede_label), FALSE);
  items_edited (self);
}

static void
notes_changed_cb (RxPrescriptionWindow *self)
{
  /* The notes are part of what is signed: a draft written with other notes is stale. */
  gboolean was_checked = self->checked == self->generation;

  self->generation++;
  if (was_checked)
    self->checked = self->generation;
  _rx_prescription_window_update_actions (self);
}

static void
override_changed_cb (RxPrescriptionWindow *self)
{
  /* The reason is stored with the draft: one written with another reason is stale. */
  gboolean was_checked = self->checked == self->generation;

  self->generation++;
  if (was_checked)
    self->checked = self->generation;
  _rx_prescription_window_update_actions (self);
}

/* Safety checks --------------------------------------------------------------------------- */

typedef struct
{
  char      *patient_id;
  GPtrArray *strings;   /* keeps the items' text alive */
  GArray    *items;     /* RxSafetyItem */
} CheckRequest;

static void
check_request_free (gpointer data)
{
  CheckRequest *request = data;

  g_free (request->patient_id);
  g_ptr_array_unref (request->strings);
  g_array_unref (request->items);
  g_free (request);
}

static gpointer
check_in_worker (RxDb          *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  CheckRequest *request = data;
  g_autoptr(RxSafetyContext) context = rx_safety_context_new (db, request->patient_id, error);

  if (context == NULL)
    return NULL;
  return rx_safety_check (context, (RxSafetyItem *) request->items->data, request->items->len,
                          error);
}

static const char *
severity_label (RxSafetySeverity severity)
{
  switch (severity)
    {
    case RX_SAFETY_CONTRAINDICATED:
      return _("Contraindicated");
    case RX_SAFETY_MAJOR:
      return _("Major");
    case RX_SAFETY_MODERATE:
      return _("Moderate");
    case RX_SAFETY_MINOR:
    default:
      return _("Minor");
    }
}

static const char *
kind_label (RxSafetyKind kind)
{
  switch (kind)
    {
    case RX_SAFETY_INTERACTION:
      return _("Interaction");
    case RX_SAFETY_ALLERGY:
      return _("Allergy");
    case RX_SAFETY_DUPLICATE:
      return _("Duplicate therapy");
    case RX_SAFETY_DOSE:
    default:
      return _("Dose");
    }
}

static GtkWidget *
alert_row_new (RxSafetyAlert *alert)
{
  RxSafetySeverity severity = rx_safety_alert_get_severity (alert);
  g_autofree char *drugs = g_strjoinv (" + ", (char **) rx_safety_alert_get_drugs (alert));
  g_autofree char *title = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *badge = gtk_label_new (severity_label (severity));
  const char *icon;

  /* Translators: a safety alert's title, e.g. "Interaction: warfarin + ibuprofen" */
  title = g_strdup_printf (_("%s: %s"), kind_label (rx_safety_alert_get_kind (alert)), drugs);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), rx_safety_alert_get_message (alert));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 6);
  icon = severity >= RX_SAFETY_MAJOR ? "dialog-error-symbolic"
         : severity == RX_SAFETY_MODERATE ? "dialog-warning-symbolic"
                                          : "dialog-information-symbolic";
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon));
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "badge");
  gtk_widget_add_css_class (badge, severity >= RX_SAFETY_MAJOR ? "severity-high"
                                   : severity == RX_SAFETY_MODERATE ? "severity-moderate"
                                                                    : "severity-low");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
  gtk_widget_add_css_class (row, severity >= RX_SAFETY_MAJOR ? "alert-high"
                                 : severity == RX_SAFETY_MODERATE ? "alert-moderate"
                                                                  : "alert-low");

  return row;
}

gboolean
_rx_prescription_window_needs_override (RxPrescriptionWindow *self)
{
  return self->checked == self->generation &&
         rx_safety_alerts_need_override (G_LIST_MODEL (self->alerts));
}

void
_rx_prescription_window_show_alerts (RxPrescriptionWindow *self)
{
  GListModel *alerts = G_LIST_MODEL (self->alerts);
  guint n = g_list_model_get_n_items (alerts);
  g_autoptr(GPtrArray) rows = _rx_prescription_window_get_item_rows (self);
  gboolean needs = rx_safety_alerts_need_override (alerts);

  _rx_prescription_window_clear_list (self->alert_list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RxSafetyAlert) alert = g_list_model_get_item (alerts, i);

      gtk_list_box_append (self->alert_list, alert_row_new (alert));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->alert_list), n > 0);
  gtk_widget_set_visible (self->override_list, needs);

  if (rows->len == 0)
    gtk_label_set_label (self->safety_status_label,
                         _("Interactions, allergies, duplicate therapy and maximum daily doses "
                           "are checked as you write, against this patient’s current "
                           "medicines too."));
  else if (n == 0)
    gtk_label_set_label (self->safety_status_label,
                         _("No interactions, allergies, duplicate therapy or dose problems "
                           "found."));
  else if (needs)
    gtk_label_set_label (self->safety_status_label,
                         _("A severe alert needs a reason to go ahead (at least 10 characters), "
                           "or change the prescription. The reason is stored with it and "
                           "audited."));
  else
    gtk_label_set_label (self->safety_status_label,
                         _("Review these alerts; they do not stop the prescription."));
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) alerts = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  guint generation = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cancellable), "generation"));
  RxPrescriptionWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_PRESCRIPTION_WINDOW (user_data);
  _rx_prescription_window_set_cancellable (self, &self->safety_check, NULL);
  if (alerts == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The safety checks could not run (%s). "
                                                 "Nothing can be signed until they do; "
                                                 "change an item to try once more."),
                                               error->message);

      gtk_label_set_label (self->safety_status_label, text);
      return;
    }

  g_list_store_remove_all (self->alerts);
  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(GObject) alert = g_list_model_get_item (alerts, i);

      g_list_store_append (self->alerts, alert);
    }
  self->checked = generation;
  _rx_prescription_window_show_alerts (self);
  _rx_prescription_window_update_actions (self);
}

static gboolean
run_check (gpointer user_data)
{
  RxPrescriptionWindow *self = user_data;
  g_autoptr(GPtrArray) rows = _rx_prescription_window_get_item_rows (self);
  g_autoptr(GCancellable) cancellable = NULL;
  CheckRequest *request;

  self->check_source = 0;
  if (self->patient == NULL || self->clinic == NULL || rx_clinic_get_locked (self->clinic))
    {
      _rx_prescription_window_notify_busy (self);
      return G_SOURCE_REMOVE;
    }

  if (rows->len == 0)
    {
      _rx_prescription_window_set_cancellable (self, &self->safety_check, NULL);
      g_list_store_remove_all (self->alerts);
      self->checked = self->generation;
      _rx_prescription_window_show_alerts (self);
      _rx_prescription_window_notify_busy (self);
      return G_SOURCE_REMOVE;
    }

  request = g_new0 (CheckRequest, 1);
  request->patient_id = g_strdup (rx_patient_get_id (self->patient));
  request->strings = g_ptr_array_new_with_free_func (g_free);
  request->items = g_array_new (FALSE, TRUE, sizeof (RxSafetyItem));
  for (guint i = 0; i < rows->len; i++)
    {
      RxPrescriptionItemRow *row = rows->pdata[i];
      const RxSig *sig = rx_prescription_item_row_get_sig (row);
      RxSafetyItem item = { NULL, };
      char *product = g_strdup (rx_product_get_id (rx_prescription_item_row_get_product (row)));
      char *dose = rx_sig_dup_dose (sig);
      char *frequency = rx_sig_dup_frequency (sig);

      g_ptr_array_add (request->strings, product);
      g_ptr_array_add (request->strings, dose);
      g_ptr_array_add (request->strings, frequency);
      item.product = product;
      item.dose = dose;
      item.frequency = frequency;
      item.instructions = sig->instructions;
      if (sig->instructions != NULL)
        {
          char *instructions = g_strdup (sig->instructions);

          g_ptr_array_add (request->strings, instructions);
          item.instructions = instructions;
        }
      g_array_append_val (request->items, item);
    }

  /* The edit a check was asked for travels on its cancellable, for its answer. */
  cancellable = g_cancellable_new ();
  g_object_set_data (G_OBJECT (cancellable), "generation", GUINT_TO_POINTER (self->generation));
  _rx_prescription_window_set_cancellable (self, &self->safety_check, cancellable);
  rx_clinic_run_async (self->clinic, check_in_worker, request, check_request_free,
                       g_object_unref, cancellable, checked_cb, self);

  return G_SOURCE_REMOVE;
}

void
_rx_prescription_window_schedule_check (RxPrescriptionWindow *self)
{
  /* Until the answer comes, nothing can be signed against stale alerts. */
  g_cancellable_cancel (self->safety_check);
  g_clear_handle_id (&self->check_source, g_source_remove);
  self->check_source = g_timeout_add (RX_PRESCRIPTION_CHECK_DELAY_MS, run_check, self);
  _rx_prescription_window_notify_busy (self);
}

/* Down from the medicine search goes to what it found, as in any search with results. */
static gboolean
drug_entry_key_cb (RxPrescriptionWindow  *self,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   GtkEventControllerKey *controller)
{
  GtkListBoxRow *first;

  if ((keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down) ||
      !gtk_revealer_get_reveal_child (self->drug_revealer) ||
      (first = gtk_list_box_get_row_at_index (self->drug_list, 0)) == NULL)
    return GDK_EVENT_PROPAGATE;

  gtk_widget_grab_focus (GTK_WIDGET (first));
  return GDK_EVENT_STOP;
}

void
_rx_prescription_window_add_drug_keys (RxPrescriptionWindow *self)
{
  GtkEventController *controller = gtk_event_controller_key_new ();

  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (drug_entry_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->drug_entry), controller);
}

void
_rx_prescription_window_class_bind_items (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, drug_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, drug_search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, drug_search_stopped_cb);
  gtk_widget_class_bind_template_callback (widget_class, drug_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, notes_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, override_changed_cb);
}
