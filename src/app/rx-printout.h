/* rx-printout.h: a signed prescription as it goes on paper or into a PDF: clinic, prescriber,
 * patient, items with their directions, and the code (with its QR) a pharmacy checks. */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "rx-core.h"

G_BEGIN_DECLS

typedef struct _RxPrintout RxPrintout;

/* A4, in points. */
#define RX_PRINTOUT_WIDTH  595.0
#define RX_PRINTOUT_HEIGHT 842.0

RxPrintout *rx_printout_load           (RxDb          *db,
                                        const char    *prescription_id,
                                        const char    *clinic_name,
                                        GError       **error);
void        rx_printout_free           (RxPrintout    *printout);
const char *rx_printout_get_id         (RxPrintout    *printout);
char       *rx_printout_dup_code_text  (RxPrintout    *printout);
void        rx_printout_draw           (RxPrintout    *printout,
                                        cairo_t       *cr,
                                        double         width,
                                        double         height);
gboolean    rx_printout_write_pdf      (RxPrintout    *printout,
                                        const char    *path,
                                        GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxPrintout, rx_printout_free)

G_END_DECLS
