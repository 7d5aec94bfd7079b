/* rx-prescription-printout.h: a signed prescription as it goes on paper or into a PDF: clinic, prescriber,
 * patient, items with their directions, and the code (with its QR) a pharmacy checks. */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "rx-core.h"

G_BEGIN_DECLS

typedef struct _RxPrescriptionPrintout RxPrescriptionPrintout;

/* A4, in points. */
#define RX_PRESCRIPTION_PRINTOUT_WIDTH  595.0
#define RX_PRESCRIPTION_PRINTOUT_HEIGHT 842.0

RxPrescriptionPrintout *rx_prescription_printout_load           (RxDb          *db,
                                        const char    *prescription_id,
                                        const char    *clinic_name,
                                        GError       **error);
void        rx_prescription_printout_free           (RxPrescriptionPrintout    *printout);
const char *rx_prescription_printout_get_id         (RxPrescriptionPrintout    *printout);
char       *rx_prescription_printout_dup_code_text  (RxPrescriptionPrintout    *printout);
void        rx_prescription_printout_draw           (RxPrescriptionPrintout    *printout,
                                        cairo_t       *cr,
                                        double         width,
                                        double         height);
gboolean    rx_prescription_printout_write_pdf      (RxPrescriptionPrintout    *printout,
                                        const char    *path,
                                        GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxPrescriptionPrintout, rx_prescription_printout_free)

G_END_DECLS
