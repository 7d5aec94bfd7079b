/* rx-prescription-window-print.c: printing the chosen prescription, or saving it as a PDF.
 * What goes on the page is read (and the signature checked) on the clinic's worker, which
 * writes the PDF too; the print dialog runs without a nested main loop. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-prescription-item-row.h"
#include "rx-prescription-window-private.h"
#include "rx-prescription-printout.h"

/* Printing and PDF ------------------------------------------------------------------------- */

typedef struct
{
  char  *id;
  char  *clinic;
  GFile *pdf;       /* where to save it, or NULL to print */
} PrintRequest;

static void
print_request_free (gpointer data)
{
  PrintRequest *request = data;

  g_free (request->id);
  g_free (request->clinic);
  g_clear_object (&request->pdf);
  g_free (request);
}

typedef struct
{
  RxPrescriptionPrintout *printout;
  GFile      *pdf;
} PrintResult;

static void
print_result_free (gpointer data)
{
  PrintResult *result = data;

  g_clear_pointer (&result->printout, rx_prescription_printout_free);
  g_clear_object (&result->pdf);
  g_free (result);
}

/* Reads the printout and, for a PDF, writes the file too, all off the main loop. */
static gpointer
printout_in_worker (RxDb          *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  PrintRequest *request = data;
  g_autoptr(RxPrescriptionPrintout) printout = rx_prescription_printout_load (db, request->id, request->clinic, error);
  g_autofree char *path = NULL;
  PrintResult *result;

  if (printout == NULL)
    return NULL;
  if (request->pdf != NULL)
    {
      path = g_file_get_path (request->pdf);
      if (path == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The PDF can only be saved to a local folder; choose another"));
          return NULL;
        }
      if (!rx_prescription_printout_write_pdf (printout, path, error))
        return NULL;
    }

  result = g_new0 (PrintResult, 1);
  result->printout = g_steal_pointer (&printout);
  result->pdf = request->pdf ? g_object_ref (request->pdf) : NULL;
  return result;
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              RxPrescriptionPrintout        *printout)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);

  /* The page is laid out on A4 in points; the printer's page gets it scaled to fit. */
  cairo_save (cr);
  cairo_scale (cr, width / RX_PRESCRIPTION_PRINTOUT_WIDTH, height / RX_PRESCRIPTION_PRINTOUT_HEIGHT);
  rx_prescription_printout_draw (printout, cr, RX_PRESCRIPTION_PRINTOUT_WIDTH, RX_PRESCRIPTION_PRINTOUT_HEIGHT);
  cairo_restore (cr);
}

/* The print dialog runs without a nested main loop; its end says how it went. */
static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               RxPrescriptionWindow    *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      _rx_prescription_window_error (self, _("Not Printed"),
                                     error ? error->message : _("The printer refused the job"));
    }
  else if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    _rx_prescription_window_toast (self, _("Sent to the printer"));
}

static void
printout_ready_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RxPrescriptionWindow *self = RX_PRESCRIPTION_WINDOW (user_data);
  g_autoptr(GError) error = NULL;
  PrintResult *printed = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  gboolean to_pdf = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (self), "rx-to-pdf"));
  GtkPrintOperation *operation;
  GtkPrintOperationResult printed_result;
  RxPrescriptionPrintout *printout;

  _rx_prescription_window_set_writing (self, NULL);
  if (printed == NULL)
    {
      _rx_prescription_window_error (self, to_pdf ? _("Not Saved") : _("Not Printed"),
                                     error->message);
      return;
    }

  if (printed->pdf != NULL)
    {
      g_autofree char *name = g_file_get_basename (printed->pdf);
      g_autofree char *message = g_strdup_printf (_("Saved the prescription as %s"), name);

      _rx_prescription_window_toast (self, message);
      print_result_free (printed);
      return;
    }

  printout = g_steal_pointer (&printed->printout);
  print_result_free (printed);

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_job_name (operation, rx_prescription_printout_get_id (printout));
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (draw_page_cb), printout,
                         (GClosureNotify) (void (*) (void)) rx_prescription_printout_free, 0);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "done", G_CALLBACK (print_done_cb), self, 0);
  printed_result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                            GTK_WINDOW (self), &error);
  if (printed_result == GTK_PRINT_OPERATION_RESULT_ERROR)
    _rx_prescription_window_error (self, _("Not Printed"), error->message);
  /* The window keeps the operation while it runs (until the next one, or the window goes). */
  g_object_set_data_full (G_OBJECT (self), "rx-print-operation", operation, g_object_unref);
}

static void
load_printout (RxPrescriptionWindow *self,
               GFile                *pdf)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  PrintRequest *request;

  if (self->chosen_id == NULL || self->writing != NULL || !_rx_prescription_window_working (self))
    return;

  request = g_new0 (PrintRequest, 1);
  request->id = g_strdup (self->chosen_id);
  request->clinic = g_strdup (rx_clinic_get_name (self->clinic));
  request->pdf = pdf ? g_object_ref (pdf) : NULL;
  g_object_set_data (G_OBJECT (self), "rx-to-pdf", GINT_TO_POINTER (pdf != NULL));
  _rx_prescription_window_set_writing (self, cancellable);
  rx_clinic_run_async (self->clinic, printout_in_worker, request, print_request_free,
                       print_result_free, NULL, printout_ready_cb, self);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  load_printout (RX_PRESCRIPTION_WINDOW (widget), NULL);
}

/* Saves the chosen prescription as a PDF at @file without asking; for tests. */
void
rx_prescription_window_export_pdf_to (RxPrescriptionWindow *self,
                                      GFile                *file)
{
  g_return_if_fail (RX_IS_PRESCRIPTION_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  load_printout (self, file);
}

static void
export_chosen_cb (GtkNativeDialog      *chooser,
                  int                   response,
                  RxPrescriptionWindow *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (file != NULL)
        load_printout (self, file);
    }
  g_object_unref (chooser);
}

static void
export_pdf_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  RxPrescriptionWindow *self = RX_PRESCRIPTION_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chosen_id == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Save the Prescription as PDF"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  name = g_strdup_printf ("prescription-%s.pdf", self->chosen_id);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_rx_prescription_window_class_add_print_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "win.export-pdf", NULL, export_pdf_action);
}
