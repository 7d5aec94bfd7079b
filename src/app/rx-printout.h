/* rx-printout.h: a short document for the till's printer: a receipt or the daily (Z)
 * report, as lines of text and label/amount rows, printed (GtkPrintOperation) or saved as a
 * PDF 80 mm wide, the width of a receipt roll. */
#pragma once

#include <gtk/gtk.h>

#include "rx-invoice.h"
#include "rx-report.h"

G_BEGIN_DECLS

typedef struct _RxPrintout RxPrintout;

/* Says how saving went, e.g. as a toast on @parent. */
typedef void (*RxPrintoutReport) (GtkWindow  *parent,
                                  const char *message);

RxPrintout *rx_printout_new           (const char         *title);
void        rx_printout_free          (RxPrintout         *self);
void        rx_printout_add_text      (RxPrintout         *self,
                                       const char         *text,
                                       gboolean            bold);
void        rx_printout_add_row       (RxPrintout         *self,
                                       const char         *label,
                                       const char         *amount,
                                       gboolean            bold);
void        rx_printout_add_rule      (RxPrintout         *self);
const char *rx_printout_get_title     (RxPrintout         *self);
char       *rx_printout_dup_text      (RxPrintout         *self);
gboolean    rx_printout_save_pdf      (RxPrintout         *self,
                                       const char         *path,
                                       GError            **error);
void        rx_printout_save_pdf_async  (RxPrintout          *self,
                                         const char          *path,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean    rx_printout_save_pdf_finish (GAsyncResult        *result,
                                         GError             **error);
void        rx_printout_ask_save_pdf  (RxPrintout         *self,
                                       GtkWindow          *parent,
                                       const char         *file_name,
                                       RxPrintoutReport    report);
void        rx_printout_print         (RxPrintout         *self,
                                       GtkWindow          *parent);

RxPrintout *rx_printout_new_receipt   (RxInvoice          *invoice,
                                       const char         *clinic_name,
                                       const char         *patient_name,
                                       guint               minor_digits,
                                       gint64              change_due);
RxPrintout *rx_printout_new_z_report  (const RxDailyReport *report,
                                       const char         *clinic_name,
                                       guint               minor_digits,
                                       gint64              counted_cash,
                                       gboolean            counted);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxPrintout, rx_printout_free)

G_END_DECLS
