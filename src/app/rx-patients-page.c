/* rx-patients-page.c: find a patient as you type. A search starts at a pause in typing and
 * cancels the one before it; searches run on the clinic's worker so typing never waits for
 * the database. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rx-patient-row.h"
#include "rx-patients-page.h"

struct _RxPatientsPage
{
  GtkWidget       parent_instance;

  RxClinic       *clinic;
  GCancellable   *cancellable;   /* the search in flight, if any */
  GListStore     *results;       /* what the list shows; replaced in place on each result */

  GtkSearchEntry *search_entry;
  GtkStack       *stack;
  GtkListView    *list_view;
  AdwStatusPage  *empty_page;
  AdwStatusPage  *error_page;
  GtkLabel       *count_label;
};

G_DEFINE_FINAL_TYPE (RxPatientsPage, rx_patients_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CLINIC,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_busy (RxPatientsPage *self,
          GCancellable   *cancellable)
{
  gboolean was_busy = self->cancellable != NULL;

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, cancellable);

  if (was_busy != (cancellable != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_results (RxPatientsPage *self,
              GListModel     *found,
              const char     *text)
{
  guint n = g_list_model_get_n_items (found);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *count = NULL;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (found, i));
  g_list_store_splice (self->results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
                       items->pdata, items->len);

  if (n > 0)
    {
      GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view));

      gtk_stack_set_visible_child_name (self->stack, "list");
      /* New results start at the top, not where the last list was scrolled to. */
      if (vadjustment != NULL)
        gtk_adjustment_set_value (vadjustment, 0);
    }
  else if (text == NULL || *text == '\0')
    {
      adw_status_page_set_title (self->empty_page, _("No Patients Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Patients registered at this clinic appear here."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No patients match"));
      adw_status_page_set_description (self->empty_page,
                                       _("Check the spelling, or search by record number or "
                                         "phone number instead."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }

  if (n >= RX_CLINIC_PATIENT_SEARCH_LIMIT)
    count = g_strdup_printf (_("The first %u patients; type more to narrow the search"), n);
  else if (text == NULL || *text == '\0')
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u patient", "%u patients", n), n);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u patient found",
                                          "%u patients found", n),
                             n);
  gtk_label_set_label (self->count_label, count);
}

static void
search_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GListModel) found = NULL;
  g_autoptr(GError) error = NULL;
  RxPatientsPage *self;
  g_autofree char *text = NULL;

  found = rx_clinic_search_patients_finish (RX_CLINIC (object), result, &error);
  /* A cancelled search may belong to a page that is gone: touch nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_PATIENTS_PAGE (user_data);
  set_busy (self, NULL);

  if (found == NULL)
    {
      g_warning ("Searching patients failed: %s", error->message);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  show_results (self, found, g_strstrip (text));
}

void
rx_patients_page_search (RxPatientsPage *self,
                         const char     *text)
{
  g_autoptr(GCancellable) cancellable = NULL;

  g_return_if_fail (RX_IS_PATIENTS_PAGE (self));

  if (self->clinic == NULL)
    return;

  cancellable = g_cancellable_new ();
  set_busy (self, cancellable);
  rx_clinic_search_patients_async (self->clinic, text, cancellable, search_done_cb, self);
}

static void
search_changed_cb (RxPatientsPage *self)
{
  rx_patients_page_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, rx_patient_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  RxPatientRow *row = RX_PATIENT_ROW (gtk_list_item_get_child (item));
  RxPatient *patient = gtk_list_item_get_item (item);
  g_autofree char *name = rx_patient_dup_display_name (patient);

  rx_patient_row_set_patient (row, patient);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  rx_patient_row_set_patient (RX_PATIENT_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
rx_patients_page_dispose (GObject *object)
{
  RxPatientsPage *self = (RxPatientsPage *) object;
  GtkWidget *child;

  set_busy (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_PATIENTS_PAGE);
  /* Template children that are not bound to a field are ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->clinic);
  g_clear_object (&self->results);

  G_OBJECT_CLASS (rx_patients_page_parent_class)->dispose (object);
}

static void
rx_patients_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RxPatientsPage *self = RX_PATIENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLINIC:
      g_value_set_object (value, self->clinic);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, rx_patients_page_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_patients_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RxPatientsPage *self = RX_PATIENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLINIC:
      rx_patients_page_set_clinic (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
rx_patients_page_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (RX_PATIENTS_PAGE (widget)->search_entry));
}

static void
rx_patients_page_class_init (RxPatientsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_patients_page_dispose;
  object_class->get_property = rx_patients_page_get_property;
  object_class->set_property = rx_patients_page_set_property;
  widget_class->grab_focus = rx_patients_page_grab_focus;

  properties[PROP_CLINIC] =
    g_param_spec_object ("clinic", NULL, NULL, RX_TYPE_CLINIC,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RX_TYPE_PATIENT_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-patients-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RxPatientsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RxPatientsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RxPatientsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, RxPatientsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RxPatientsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, RxPatientsPage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, unbind_row_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
rx_patients_page_init (RxPatientsPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_search_entry_set_search_delay (self->search_entry, RX_PATIENT_SEARCH_DELAY_MS);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->results = g_list_store_new (RX_TYPE_PATIENT);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->results)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
}

RxClinic *
rx_patients_page_get_clinic (RxPatientsPage *self)
{
  g_return_val_if_fail (RX_IS_PATIENTS_PAGE (self), NULL);
  return self->clinic;
}

void
rx_patients_page_set_clinic (RxPatientsPage *self,
                             RxClinic       *clinic)
{
  g_return_if_fail (RX_IS_PATIENTS_PAGE (self));
  g_return_if_fail (!clinic || RX_IS_CLINIC (clinic));

  if (!g_set_object (&self->clinic, clinic))
    return;

  set_busy (self, NULL);
  g_list_store_remove_all (self->results);
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  if (clinic != NULL)
    rx_patients_page_search (self, "");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLINIC]);
}

gboolean
rx_patients_page_get_busy (RxPatientsPage *self)
{
  g_return_val_if_fail (RX_IS_PATIENTS_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

/* The patients the list shows now, for tests. */
GListModel *
rx_patients_page_get_results (RxPatientsPage *self)
{
  g_return_val_if_fail (RX_IS_PATIENTS_PAGE (self), NULL);
  return G_LIST_MODEL (self->results);
}

void
rx_patients_page_focus_search (RxPatientsPage *self)
{
  g_return_if_fail (RX_IS_PATIENTS_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}
