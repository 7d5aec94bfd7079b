/* rx-patient-row.c: one patient in a search result. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rx-format.h"
#include "rx-patient-row.h"

struct _RxPatientRow
{
  GtkWidget  parent_instance;

  RxPatient *patient;

  AdwAvatar *avatar;
  GtkLabel  *name_label;
  GtkLabel  *record_label;
  GtkLabel  *birth_label;
  GtkLabel  *allergies_label;
};

G_DEFINE_FINAL_TYPE (RxPatientRow, rx_patient_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PATIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (RxPatientRow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *record = NULL;
  g_autofree char *birth = NULL;
  g_autofree char *allergies = NULL;
  g_autofree char *allergens = NULL;
  g_autofree char *avatar_text = NULL;
  g_autoptr(GDate) today = g_date_new ();
  GPtrArray *list;

  if (self->patient == NULL)
    return;

  g_date_set_time_t (today, time (NULL));

  name = rx_patient_dup_display_name (self->patient);
  /* Translators: the patient's record number at this clinic */
  record = g_strdup_printf (_("Record %s"), rx_patient_get_record_number (self->patient));
  birth = rx_format_birth_date (rx_patient_get_birth_date (self->patient), today);

  list = rx_patient_get_allergies (self->patient);
  if (list != NULL && list->len > 0)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) names = NULL;

      for (guint i = 0; i < list->len; i++)
        g_strv_builder_add (builder, ((RxAllergy *) list->pdata[i])->allergen);
      names = g_strv_builder_end (builder);
      allergens = g_strjoinv (", ", names);
      /* Translators: before the list of what the patient is allergic to */
      allergies = g_strdup_printf (_("Allergy: %s"), allergens);
    }

  avatar_text = g_strdup_printf ("%s %s", rx_patient_get_given_names (self->patient),
                                 rx_patient_get_family_name (self->patient));
  adw_avatar_set_text (self->avatar, avatar_text);
  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->record_label, record);
  gtk_label_set_label (self->birth_label, birth);
  gtk_label_set_label (self->allergies_label, allergies ? allergies : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->allergies_label), allergens);
  gtk_widget_set_visible (GTK_WIDGET (self->allergies_label), allergies != NULL);
}

static void
rx_patient_row_dispose (GObject *object)
{
  RxPatientRow *self = (RxPatientRow *) object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_PATIENT_ROW);
  /* Template children that are not bound to a field are ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->patient);

  G_OBJECT_CLASS (rx_patient_row_parent_class)->dispose (object);
}

static void
rx_patient_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RxPatientRow *self = RX_PATIENT_ROW (object);

  switch (prop_id)
    {
    case PROP_PATIENT:
      g_value_set_object (value, self->patient);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_patient_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RxPatientRow *self = RX_PATIENT_ROW (object);

  switch (prop_id)
    {
    case PROP_PATIENT:
      rx_patient_row_set_patient (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_patient_row_class_init (RxPatientRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_patient_row_dispose;
  object_class->get_property = rx_patient_row_get_property;
  object_class->set_property = rx_patient_row_set_property;

  properties[PROP_PATIENT] =
    g_param_spec_object ("patient", NULL, NULL, RX_TYPE_PATIENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-patient-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RxPatientRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, RxPatientRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, RxPatientRow, record_label);
  gtk_widget_class_bind_template_child (widget_class, RxPatientRow, birth_label);
  gtk_widget_class_bind_template_child (widget_class, RxPatientRow, allergies_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "rxpatientrow");
}

static void
rx_patient_row_init (RxPatientRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rx_patient_row_new (void)
{
  return g_object_new (RX_TYPE_PATIENT_ROW, NULL);
}

RxPatient *
rx_patient_row_get_patient (RxPatientRow *self)
{
  g_return_val_if_fail (RX_IS_PATIENT_ROW (self), NULL);
  return self->patient;
}

void
rx_patient_row_set_patient (RxPatientRow *self,
                            RxPatient    *patient)
{
  g_return_if_fail (RX_IS_PATIENT_ROW (self));
  g_return_if_fail (!patient || RX_IS_PATIENT (patient));

  if (g_set_object (&self->patient, patient))
    {
      update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATIENT]);
    }
}
