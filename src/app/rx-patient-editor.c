/* rx-patient-editor.c: the reception's patient form. Opening a record is an audited read on
 * the clinic's worker; the form edits an RxPatientDraft and saves it in one transaction
 * there too. What is wrong is said above the form, in words, and nothing is saved until it
 * is right. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rx-a11y.h"
#include "rx-format.h"
#include "rx-patient-draft.h"
#include "rx-patient-editor.h"

struct _RxPatientEditor
{
  GtkWidget        parent_instance;

  RxClinic        *clinic;
  RxPatientDraft  *draft;          /* what the form holds; NULL when no record is shown */
  GCancellable    *cancellable;    /* the read or save in flight */
  GPtrArray       *allergy_rows;
  char            *problems;       /* what the last save attempt found wrong, or NULL */
  gboolean         can_write;
  gboolean         can_book;
  gboolean         filling;

  GtkStack        *stack;
  AdwStatusPage   *error_page;
  GtkSpinner      *loading_spinner;
  GtkScrolledWindow *scroller;
  GtkLabel        *title_label;
  GtkLabel        *record_label;
  GtkLabel        *problems_label;
  AdwEntryRow     *family_row;
  AdwEntryRow     *given_row;
  AdwEntryRow     *birth_row;
  AdwComboRow     *sex_row;
  AdwEntryRow     *phone_row;
  AdwEntryRow     *address_row;
  AdwPreferencesGroup *allergies_group;
  GtkWidget       *no_allergies_row;
  GtkWidget       *new_allergy_group;
  AdwEntryRow     *allergen_row;
  AdwComboRow     *severity_row;
  AdwEntryRow     *reaction_row;
  GtkWidget       *action_bar;
  GtkWidget       *book_button;
  GtkButton       *save_button;
  GtkButton       *discard_button;
  GtkSpinner      *saving_spinner;
};

G_DEFINE_FINAL_TYPE (RxPatientEditor, rx_patient_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_MODIFIED,
  PROP_PATIENT,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The combo rows' order. */
static const char * const sex_codes[] = { "F", "M", "X" };
static const char * const severity_codes[] = { "unknown", "mild", "moderate", "severe" };

static void
set_busy (RxPatientEditor *self,
          GCancellable    *cancellable)
{
  gboolean was_busy = self->cancellable != NULL;

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, cancellable);

  if (was_busy != (cancellable != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static AdwEntryRow *
field_row (RxPatientEditor     *self,
           RxPatientDraftField  field)
{
  switch (field)
    {
    case RX_PATIENT_DRAFT_FAMILY_NAME:
      return self->family_row;
    case RX_PATIENT_DRAFT_GIVEN_NAMES:
      return self->given_row;
    case RX_PATIENT_DRAFT_BIRTH_DATE:
      return self->birth_row;
    case RX_PATIENT_DRAFT_PHONE:
      return self->phone_row;
    case RX_PATIENT_DRAFT_ADDRESS:
      return self->address_row;
    case RX_PATIENT_DRAFT_SEX:
    case RX_PATIENT_DRAFT_N_FIELDS:
    default:
      return NULL;
    }
}

static GtkWidget *
problem_widget (RxPatientEditor     *self,
                RxPatientDraftField  field)
{
  if (field == RX_PATIENT_DRAFT_SEX)
    return GTK_WIDGET (self->sex_row);
  if (field == RX_PATIENT_DRAFT_ALLERGY)
    return GTK_WIDGET (self->allergen_row);
  return GTK_WIDGET (field_row (self, field));
}

/* Form -> draft ---------------------------------------------------------------------------- */

static void
read_form (RxPatientEditor *self)
{
  guint sex = adw_combo_row_get_selected (self->sex_row);

  for (guint i = 0; i < RX_PATIENT_DRAFT_N_FIELDS; i++)
    if (field_row (self, i) != NULL)
      rx_patient_draft_set (self->draft, i,
                            gtk_editable_get_text (GTK_EDITABLE (field_row (self, i))));
  rx_patient_draft_set (self->draft, RX_PATIENT_DRAFT_SEX,
                        sex < G_N_ELEMENTS (sex_codes) ? sex_codes[sex] : "X");
}

static void
show_problems (RxPatientEditor *self,
               const char      *text)
{
  g_free (self->problems);
  self->problems = g_strdup (text);
  gtk_label_set_label (self->problems_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), text != NULL);
}

static void
clear_marks (RxPatientEditor *self)
{
  for (guint i = 0; i <= RX_PATIENT_DRAFT_ALLERGY; i++)
    {
      GtkWidget *widget = problem_widget (self, i);

      if (widget != NULL)
        gtk_widget_remove_css_class (widget, "error");
    }
}

/* Marks the rows to fix and says what is wrong with each; returns whether all is well. */
static gboolean
check_form (RxPatientEditor *self,
            gboolean         focus)
{
  g_autoptr(GDate) today = g_date_new ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  g_date_set_time_t (today, time (NULL));
  problems = rx_patient_draft_check (self->draft, today);

  clear_marks (self);
  for (guint i = 0; i < problems->len; i++)
    {
      RxPatientDraftProblem *problem = g_ptr_array_index (problems, i);
      GtkWidget *widget = problem_widget (self, problem->field);

      if (widget != NULL)
        gtk_widget_add_css_class (widget, "error");
      if (focus && i == 0 && widget != NULL)
        gtk_widget_grab_focus (widget);
      g_string_append_printf (text, "%s%s", text->len ? "\n" : "", problem->message);
    }

  show_problems (self, problems->len ? text->str : NULL);
  return problems->len == 0;
}

static void
update_buttons (RxPatientEditor *self)
{
  gboolean is_new = self->draft != NULL && self->draft->original == NULL;
  gboolean modified = self->draft != NULL && rx_patient_draft_is_modified (self->draft);
  gboolean busy = self->cancellable != NULL;

  gtk_widget_set_visible (self->action_bar, self->draft != NULL &&
                                            (self->can_write || self->can_book));
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), self->can_write);
  gtk_widget_set_visible (GTK_WIDGET (self->discard_button), self->can_write);
  gtk_widget_set_visible (self->book_button, self->can_book && !is_new);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), modified && !busy);
  /* a new patient can always be abandoned; a record only once it has changed */
  gtk_widget_set_sensitive (GTK_WIDGET (self->discard_button), (is_new || modified) && !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->saving_spinner), busy);
  gtk_spinner_set_spinning (self->saving_spinner, busy);
}

static void
changed_cb (RxPatientEditor *self)
{
  if (self->filling || self->draft == NULL)
    return;

  read_form (self);
  /* Once the person has been told what to fix, the list follows what they type. */
  if (self->problems != NULL)
    check_form (self, FALSE);
  update_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

/* Draft -> form ---------------------------------------------------------------------------- */

static const char *
severity_label (const char *severity)
{
  if (g_strcmp0 (severity, "mild") == 0)
    return _("Mild");
  if (g_strcmp0 (severity, "moderate") == 0)
    return _("Moderate");
  if (g_strcmp0 (severity, "severe") == 0)
    return _("Severe");
  return _("Severity unknown");
}

static void fill_allergies (RxPatientEditor *self);

static void
remove_allergy_cb (GtkButton       *button,
                   RxPatientEditor *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "rx-index"));

  if (self->draft == NULL || index >= self->draft->allergies->len)
    return;

  rx_patient_draft_remove_allergy (self->draft, index);
  fill_allergies (self);
  changed_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->allergen_row));
}

static void
fill_allergies (RxPatientEditor *self)
{
  GPtrArray *allergies = self->draft ? self->draft->allergies : NULL;

  for (guint i = 0; i < self->allergy_rows->len; i++)
    adw_preferences_group_remove (self->allergies_group,
                                  g_ptr_array_index (self->allergy_rows, i));
  g_ptr_array_set_size (self->allergy_rows, 0);

  for (guint i = 0; allergies != NULL && i < allergies->len; i++)
    {
      RxAllergy *allergy = g_ptr_array_index (allergies, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *subtitle = NULL;
      g_autofree char *remove_label = NULL;

      if (allergy->reaction != NULL && *allergy->reaction != '\0')
        /* Translators: an allergy's severity, then the reaction, e.g. "Severe · hives" */
        subtitle = g_strdup_printf (_("%s · %s"), severity_label (allergy->severity),
                                    allergy->reaction);
      else
        subtitle = g_strdup (severity_label (allergy->severity));

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), allergy->allergen);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (g_strcmp0 (allergy->severity, "severe") == 0)
        gtk_widget_add_css_class (row, "rx-severe");

      /* Translators: the button that takes an allergy off a patient's list */
      remove_label = g_strdup_printf (_("Remove allergy %s"), allergy->allergen);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (remove, remove_label);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_visible (remove, self->can_write);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label,
                                      -1);
      g_object_set_data (G_OBJECT (remove), "rx-index", GUINT_TO_POINTER (i));
      g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_allergy_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

      adw_preferences_group_add (self->allergies_group, row);
      g_ptr_array_add (self->allergy_rows, row);
    }

  gtk_widget_set_visible (self->no_allergies_row, allergies == NULL || allergies->len == 0);
}

static void
fill_form (RxPatientEditor *self)
{
  RxPatient *patient = self->draft->original;
  const char *sex = rx_patient_draft_get (self->draft, RX_PATIENT_DRAFT_SEX);
  guint sex_index = G_N_ELEMENTS (sex_codes) - 1;

  self->filling = TRUE;

  for (guint i = 0; i < RX_PATIENT_DRAFT_N_FIELDS; i++)
    if (field_row (self, i) != NULL)
      gtk_editable_set_text (GTK_EDITABLE (field_row (self, i)),
                             rx_patient_draft_get (self->draft, i));
  for (guint i = 0; i < G_N_ELEMENTS (sex_codes); i++)
    if (g_strcmp0 (sex, sex_codes[i]) == 0)
      sex_index = i;
  adw_combo_row_set_selected (self->sex_row, sex_index);
  gtk_editable_set_text (GTK_EDITABLE (self->allergen_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->reaction_row), "");
  adw_combo_row_set_selected (self->severity_row, 0);

  if (patient == NULL)
    {
      gtk_label_set_label (self->title_label, _("New Patient"));
      gtk_label_set_label (self->record_label,
                           _("A record number is given when the patient is registered."));
      rx_a11y_set_button_label (self->save_button, _("_Register Patient"));
      rx_a11y_set_button_label (self->discard_button, _("_Cancel"));
    }
  else
    {
      g_autofree char *name = rx_patient_dup_display_name (patient);
      g_autoptr(GDate) today = g_date_new ();
      g_autofree char *birth = NULL;
      g_autofree char *record = NULL;

      g_date_set_time_t (today, time (NULL));
      birth = rx_format_birth_date (rx_patient_get_birth_date (patient), today);
      /* Translators: the record number, then the date of birth and age */
      record = g_strdup_printf (_("Record %s · %s"), rx_patient_get_record_number (patient),
                                birth);
      gtk_label_set_label (self->title_label, name);
      gtk_label_set_label (self->record_label, record);
      rx_a11y_set_button_label (self->save_button, _("_Save Changes"));
      rx_a11y_set_button_label (self->discard_button, _("_Discard"));
    }

  fill_allergies (self);
  show_problems (self, NULL);
  clear_marks (self);

  self->filling = FALSE;
}

static void
apply_can_write (RxPatientEditor *self)
{
  for (guint i = 0; i < RX_PATIENT_DRAFT_N_FIELDS; i++)
    if (field_row (self, i) != NULL)
      gtk_editable_set_editable (GTK_EDITABLE (field_row (self, i)), self->can_write);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sex_row), self->can_write);
  gtk_widget_set_visible (self->new_allergy_group, self->can_write);
  /* the rows' Remove buttons follow */
  fill_allergies (self);
  update_buttons (self);
}

/* Showing a record ------------------------------------------------------------------------- */

/* Shows @patient (as read just now) or a new, empty form when %NULL. */
static void
show_draft (RxPatientEditor *self,
            RxPatientDraft  *draft)
{
  g_clear_pointer (&self->draft, rx_patient_draft_free);
  self->draft = draft;
  fill_form (self);
  gtk_stack_set_visible_child_name (self->stack, "form");
  /* Each record starts at its name, not where the last one was scrolled to. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  update_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATIENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

void
rx_patient_editor_show (RxPatientEditor *self,
                        RxPatient       *patient)
{
  g_return_if_fail (RX_IS_PATIENT_EDITOR (self));
  g_return_if_fail (RX_IS_PATIENT (patient));

  set_busy (self, NULL);
  show_draft (self, rx_patient_draft_new (patient));
}

void
rx_patient_editor_new_patient (RxPatientEditor *self)
{
  g_return_if_fail (RX_IS_PATIENT_EDITOR (self));

  set_busy (self, NULL);
  show_draft (self, rx_patient_draft_new (NULL));
  rx_patient_editor_focus (self);
}

void
rx_patient_editor_clear (RxPatientEditor *self)
{
  g_return_if_fail (RX_IS_PATIENT_EDITOR (self));

  set_busy (self, NULL);
  g_clear_pointer (&self->draft, rx_patient_draft_free);
  fill_allergies (self);
  show_problems (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  gtk_spinner_set_spinning (self->loading_spinner, FALSE);
  update_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATIENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

static gpointer
read_in_worker (RxDb          *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  return rx_patients_get (db, data, error);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxPatient) patient = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxPatientEditor *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_PATIENT_EDITOR (user_data);
  set_busy (self, NULL);
  gtk_spinner_set_spinning (self->loading_spinner, FALSE);

  if (patient == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  show_draft (self, rx_patient_draft_new (patient));
}

/* Reads @patient's whole record (an audited read, which a restricted record may refuse)
 * and shows it. */
void
rx_patient_editor_open (RxPatientEditor *self,
                        RxPatient       *patient)
{
  g_autoptr(GCancellable) cancellable = NULL;

  g_return_if_fail (RX_IS_PATIENT_EDITOR (self));
  g_return_if_fail (RX_IS_PATIENT (patient));

  if (self->clinic == NULL)
    return;

  g_clear_pointer (&self->draft, rx_patient_draft_free);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_set_spinning (self->loading_spinner, TRUE);
  update_buttons (self);

  cancellable = g_cancellable_new ();
  set_busy (self, cancellable);
  rx_clinic_run_async (self->clinic, read_in_worker, g_strdup (rx_patient_get_id (patient)),
                       g_free, g_object_unref, cancellable, read_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATIENT]);
}

/* Saving ----------------------------------------------------------------------------------- */

static gpointer
save_in_worker (RxDb          *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  return rx_patient_draft_save (data, db, error);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxPatient) patient = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxPatientEditor *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = RX_PATIENT_EDITOR (user_data);
  set_busy (self, NULL);

  if (patient == NULL)
    {
      /* Core refused (or the disk did): the form stays as typed, with core's reason. */
      update_buttons (self);
      show_problems (self, error->message);
      return;
    }

  show_draft (self, rx_patient_draft_new (patient));
  g_signal_emit (self, signals[SAVED], 0, patient);
}

void
rx_patient_editor_save (RxPatientEditor *self)
{
  g_autoptr(GCancellable) cancellable = NULL;

  g_return_if_fail (RX_IS_PATIENT_EDITOR (self));

  if (self->draft == NULL || self->clinic == NULL || !self->can_write ||
      self->cancellable != NULL)
    return;

  read_form (self);
  /* An allergy typed but not yet added is meant to be kept. */
  if (*gtk_editable_get_text (GTK_EDITABLE (self->allergen_row)) != '\0' &&
      !rx_patient_editor_add_allergy (self, NULL, NULL))
    return;
  if (!rx_patient_draft_is_modified (self->draft) || !check_form (self, TRUE))
    return;

  cancellable = g_cancellable_new ();
  set_busy (self, cancellable);
  update_buttons (self);
  rx_clinic_run_async (self->clinic, save_in_worker, rx_patient_draft_copy (self->draft),
                       (GDestroyNotify) rx_patient_draft_free, g_object_unref, cancellable,
                       saved_cb, self);
}

static void
save_cb (RxPatientEditor *self)
{
  rx_patient_editor_save (self);
}

void
rx_patient_editor_discard (RxPatientEditor *self)
{
  g_return_if_fail (RX_IS_PATIENT_EDITOR (self));

  if (self->draft == NULL || self->cancellable != NULL)
    return;

  if (self->draft->original == NULL)
    rx_patient_editor_clear (self);
  else
    show_draft (self, rx_patient_draft_new (self->draft->original));
}

static void
discard_cb (RxPatientEditor *self)
{
  rx_patient_editor_discard (self);
}

/* Allergies ---------------------------------------------------------------------------- */

/**
 * rx_patient_editor_add_allergy:
 * @allergen: (nullable): what to add, or %NULL for what the New Allergy row holds
 * @severity: (nullable): the severity code, or %NULL for the Severity row's
 *
 * Puts an allergy on the list, to be recorded with the next save. Returns %FALSE, saying why
 * above the form, when it cannot.
 */
gboolean
rx_patient_editor_add_allergy (RxPatientEditor *self,
                               const char      *allergen,
                               const char      *severity)
{
  g_autoptr(GError) error = NULL;
  guint selected;

  g_return_val_if_fail (RX_IS_PATIENT_EDITOR (self), FALSE);

  if (self->draft == NULL || !self->can_write)
    return FALSE;

  selected = adw_combo_row_get_selected (self->severity_row);
  if (allergen == NULL)
    allergen = gtk_editable_get_text (GTK_EDITABLE (self->allergen_row));
  if (severity == NULL)
    severity = selected < G_N_ELEMENTS (severity_codes) ? severity_codes[selected] : NULL;

  if (!rx_patient_draft_add_allergy (self->draft, allergen,
                                     gtk_editable_get_text (GTK_EDITABLE (self->reaction_row)),
                                     severity, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->allergen_row), "error");
      show_problems (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->allergen_row));
      return FALSE;
    }

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->allergen_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->reaction_row), "");
  adw_combo_row_set_selected (self->severity_row, 0);
  self->filling = FALSE;
  gtk_widget_remove_css_class (GTK_WIDGET (self->allergen_row), "error");

  fill_allergies (self);
  if (self->problems != NULL)
    check_form (self, FALSE);
  changed_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->allergen_row));
  return TRUE;
}

static void
add_allergy_cb (RxPatientEditor *self)
{
  rx_patient_editor_add_allergy (self, NULL, NULL);
}

/* Enter moves on to the next row, as on paper. */
static void
next_row_cb (RxPatientEditor *self,
             AdwEntryRow     *row)
{
  GtkWidget *order[] = {
    GTK_WIDGET (self->family_row), GTK_WIDGET (self->given_row), GTK_WIDGET (self->birth_row),
    GTK_WIDGET (self->phone_row), GTK_WIDGET (self->address_row),
    GTK_WIDGET (self->allergen_row),
  };

  for (guint i = 0; i + 1 < G_N_ELEMENTS (order); i++)
    if (order[i] == GTK_WIDGET (row))
      {
        if (gtk_widget_get_visible (order[i + 1]) && gtk_widget_get_mapped (order[i + 1]))
          gtk_widget_grab_focus (order[i + 1]);
        else if (gtk_widget_get_sensitive (GTK_WIDGET (self->save_button)))
          rx_patient_editor_save (self);
        return;
      }
}

/* For tests: the row whose accessible label is @row ("Family Name", "Phone", ...). */
void
rx_patient_editor_set_text (RxPatientEditor *self,
                            const char      *row,
                            const char      *text)
{
  struct { const char *name; AdwEntryRow *row; } rows[] = {
    { "Family Name", self->family_row }, { "Given Names", self->given_row },
    { "Date of Birth", self->birth_row }, { "Phone", self->phone_row },
    { "Address", self->address_row }, { "New Allergy", self->allergen_row },
    { "Reaction", self->reaction_row },
  };

  g_return_if_fail (RX_IS_PATIENT_EDITOR (self));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_str_equal (rows[i].name, row))
      {
        gtk_editable_set_text (GTK_EDITABLE (rows[i].row), text);
        return;
      }

  g_critical ("The patient form has no row “%s”", row);
}

void
rx_patient_editor_set_sex (RxPatientEditor *self,
                           const char      *sex)
{
  g_return_if_fail (RX_IS_PATIENT_EDITOR (self));

  for (guint i = 0; i < G_N_ELEMENTS (sex_codes); i++)
    if (g_strcmp0 (sex, sex_codes[i]) == 0)
      adw_combo_row_set_selected (self->sex_row, i);
}

/* Accessors -------------------------------------------------------------------------------- */

void
rx_patient_editor_set_clinic (RxPatientEditor *self,
                              RxClinic        *clinic)
{
  g_return_if_fail (RX_IS_PATIENT_EDITOR (self));
  g_return_if_fail (!clinic || RX_IS_CLINIC (clinic));

  if (!g_set_object (&self->clinic, clinic))
    return;

  rx_patient_editor_clear (self);
}

void
rx_patient_editor_set_can_write (RxPatientEditor *self,
                                 gboolean         can_write)
{
  g_return_if_fail (RX_IS_PATIENT_EDITOR (self));

  self->can_write = !!can_write;
  apply_can_write (self);
}

void
rx_patient_editor_set_can_book (RxPatientEditor *self,
                                gboolean         can_book)
{
  g_return_if_fail (RX_IS_PATIENT_EDITOR (self));

  self->can_book = !!can_book;
  update_buttons (self);
}

/* The recorded patient the form shows (as last read or saved), or %NULL. */
RxPatient *
rx_patient_editor_get_patient (RxPatientEditor *self)
{
  g_return_val_if_fail (RX_IS_PATIENT_EDITOR (self), NULL);
  return self->draft ? self->draft->original : NULL;
}

gboolean
rx_patient_editor_get_is_new (RxPatientEditor *self)
{
  g_return_val_if_fail (RX_IS_PATIENT_EDITOR (self), FALSE);
  return self->draft != NULL && self->draft->original == NULL;
}

gboolean
rx_patient_editor_get_modified (RxPatientEditor *self)
{
  g_return_val_if_fail (RX_IS_PATIENT_EDITOR (self), FALSE);
  return self->draft != NULL && rx_patient_draft_is_modified (self->draft);
}

gboolean
rx_patient_editor_get_busy (RxPatientEditor *self)
{
  g_return_val_if_fail (RX_IS_PATIENT_EDITOR (self), FALSE);
  return self->cancellable != NULL;
}

/* What the form says is wrong, or %NULL. */
const char *
rx_patient_editor_get_problems (RxPatientEditor *self)
{
  g_return_val_if_fail (RX_IS_PATIENT_EDITOR (self), NULL);
  return self->problems;
}

void
rx_patient_editor_focus (RxPatientEditor *self)
{
  g_return_if_fail (RX_IS_PATIENT_EDITOR (self));

  if (self->draft != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->family_row));
}

/* GObject ---------------------------------------------------------------------------------- */

static void
rx_patient_editor_dispose (GObject *object)
{
  RxPatientEditor *self = (RxPatientEditor *) object;
  GtkWidget *child;

  set_busy (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_PATIENT_EDITOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->clinic);
  g_clear_pointer (&self->draft, rx_patient_draft_free);
  g_clear_pointer (&self->allergy_rows, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_free);

  G_OBJECT_CLASS (rx_patient_editor_parent_class)->dispose (object);
}

static void
rx_patient_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RxPatientEditor *self = RX_PATIENT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, rx_patient_editor_get_busy (self));
      break;

    case PROP_MODIFIED:
      g_value_set_boolean (value, rx_patient_editor_get_modified (self));
      break;

    case PROP_PATIENT:
      g_value_set_object (value, rx_patient_editor_get_patient (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_patient_editor_class_init (RxPatientEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_patient_editor_dispose;
  object_class->get_property = rx_patient_editor_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PATIENT] =
    g_param_spec_object ("patient", NULL, NULL, RX_TYPE_PATIENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The record as saved just now: registered, or changed. */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, RX_TYPE_PATIENT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-patient-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, error_page);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, title_label);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, record_label);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, problems_label);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, family_row);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, given_row);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, birth_row);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, sex_row);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, phone_row);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, address_row);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, allergies_group);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, no_allergies_row);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, new_allergy_group);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, allergen_row);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, severity_row);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, reaction_row);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, action_bar);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, book_button);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, discard_button);
  gtk_widget_class_bind_template_child (widget_class, RxPatientEditor, saving_spinner);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_allergy_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_cb);
  gtk_widget_class_bind_template_callback (widget_class, discard_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
rx_patient_editor_init (RxPatientEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->allergy_rows = g_ptr_array_new ();
  rx_a11y_fix_button_labels (GTK_WIDGET (self));

  /* An entry row is labelled by its title twice over (the title and its floating copy); the
   * template's label says it once. */
  {
    AdwEntryRow *rows[] = {
      self->family_row, self->given_row, self->birth_row, self->phone_row, self->address_row,
      self->allergen_row, self->reaction_row,
    };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (rows[i]),
                                     GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  }

  update_buttons (self);
}
