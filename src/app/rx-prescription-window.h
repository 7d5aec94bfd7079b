/* rx-prescription-window.h: the prescriber's workstation: pick a patient, write a
 * prescription with live safety checks, sign it, print it, cancel or supersede it. */
#pragma once

#include <adwaita.h>

#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_PRESCRIPTION_WINDOW (rx_prescription_window_get_type ())

G_DECLARE_FINAL_TYPE (RxPrescriptionWindow, rx_prescription_window, RX, PRESCRIPTION_WINDOW,
                      AdwApplicationWindow)

RxPrescriptionWindow *rx_prescription_window_new            (GtkApplication       *application,
                                                             RxClinic             *clinic);
gboolean              rx_prescription_window_get_busy       (RxPrescriptionWindow *self);
const char           *rx_prescription_window_get_page       (RxPrescriptionWindow *self);

/* For tests, which drive the window as a prescriber would. */
GtkWidget            *rx_prescription_window_get_patient_entry (RxPrescriptionWindow *self);
GtkWidget            *rx_prescription_window_get_drug_entry    (RxPrescriptionWindow *self);
GListModel           *rx_prescription_window_get_patients      (RxPrescriptionWindow *self);
gboolean              rx_prescription_window_select_patient    (RxPrescriptionWindow *self,
                                                                const char           *patient_id);
gboolean              rx_prescription_window_add_drug          (RxPrescriptionWindow *self,
                                                                const char           *product_id);
guint                 rx_prescription_window_get_n_items       (RxPrescriptionWindow *self);
GtkWidget            *rx_prescription_window_get_item_row      (RxPrescriptionWindow *self,
                                                                guint                 position);
GListModel           *rx_prescription_window_get_alerts        (RxPrescriptionWindow *self);
GListModel           *rx_prescription_window_get_history       (RxPrescriptionWindow *self);
GtkWidget            *rx_prescription_window_get_override_row  (RxPrescriptionWindow *self);
void                  rx_prescription_window_set_override      (RxPrescriptionWindow *self,
                                                                const char           *reason);
GtkWindow            *rx_prescription_window_sign              (RxPrescriptionWindow *self);
const char           *rx_prescription_window_get_chosen_id     (RxPrescriptionWindow *self);
void                  rx_prescription_window_export_pdf_to     (RxPrescriptionWindow *self,
                                                                GFile                *file);
GtkWindow            *rx_prescription_window_cancel_chosen     (RxPrescriptionWindow *self);
GtkWindow            *rx_prescription_window_supersede_chosen  (RxPrescriptionWindow *self);
gboolean              rx_prescription_window_get_action_enabled (RxPrescriptionWindow *self,
                                                                 const char           *action);

G_END_DECLS
