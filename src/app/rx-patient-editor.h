/* rx-patient-editor.h: one patient's record at reception: read it, edit it, or register a
 * new patient, allergies included. */
#pragma once

#include <gtk/gtk.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_PATIENT_EDITOR (rx_patient_editor_get_type ())

G_DECLARE_FINAL_TYPE (RxPatientEditor, rx_patient_editor, RX, PATIENT_EDITOR, GtkWidget)

void        rx_patient_editor_set_clinic     (RxPatientEditor *self,
                                              RxClinic        *clinic);
void        rx_patient_editor_set_can_write  (RxPatientEditor *self,
                                              gboolean         can_write);
void        rx_patient_editor_set_can_book   (RxPatientEditor *self,
                                              gboolean         can_book);
void        rx_patient_editor_open           (RxPatientEditor *self,
                                              RxPatient       *patient);
void        rx_patient_editor_show           (RxPatientEditor *self,
                                              RxPatient       *patient);
void        rx_patient_editor_new_patient    (RxPatientEditor *self);
void        rx_patient_editor_clear          (RxPatientEditor *self);
RxPatient  *rx_patient_editor_get_patient    (RxPatientEditor *self);
gboolean    rx_patient_editor_get_is_new     (RxPatientEditor *self);
gboolean    rx_patient_editor_get_modified   (RxPatientEditor *self);
gboolean    rx_patient_editor_get_busy       (RxPatientEditor *self);
const char *rx_patient_editor_get_problems   (RxPatientEditor *self);
void        rx_patient_editor_save           (RxPatientEditor *self);
void        rx_patient_editor_discard        (RxPatientEditor *self);
void        rx_patient_editor_focus          (RxPatientEditor *self);

/* For tests and the window's shortcuts: the form's rows, filled as a person would. */
void        rx_patient_editor_set_text       (RxPatientEditor *self,
                                              const char      *row,
                                              const char      *text);
void        rx_patient_editor_set_sex        (RxPatientEditor *self,
                                              const char      *sex);
gboolean    rx_patient_editor_add_allergy    (RxPatientEditor *self,
                                              const char      *allergen,
                                              const char      *severity);

G_END_DECLS
