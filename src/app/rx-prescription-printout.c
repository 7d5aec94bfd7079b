/* rx-prescription-printout.c: what a signed prescription looks like on paper. The facts are read once on
 * the clinic's worker (rx_prescription_printout_load); drawing needs no database, so the same page goes to
 * a printer or, with cairo's PDF surface, to a file. The QR code carries the prescription's
 * id, which "rxdesk-cli rx verify" and the pharmacy window check against the signature. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "rx-format.h"
#include "rx-prescription-printout.h"

#define MARGIN 48.0

struct _RxPrescriptionPrintout
{
  char           *clinic;
  RxPrescription *rx;
  RxPatient      *patient;
  RxUser         *prescriber;
  gboolean        verified;
  char           *verify_reason;
  char           *signer;
  char           *certificate_serial;
};

void
rx_prescription_printout_free (RxPrescriptionPrintout *printout)
{
  if (printout == NULL)
    return;

  g_free (printout->clinic);
  g_clear_object (&printout->rx);
  g_clear_object (&printout->patient);
  g_clear_object (&printout->prescriber);
  g_free (printout->verify_reason);
  g_free (printout->signer);
  g_free (printout->certificate_serial);
  g_free (printout);
}

/**
 * rx_prescription_printout_load:
 *
 * Reads what the page shows, checking the signature as a pharmacy would. A draft has no
 * signature to show and cannot be printed. Runs on the clinic's worker.
 */
RxPrescriptionPrintout *
rx_prescription_printout_load (RxDb        *db,
                  const char  *prescription_id,
                  const char  *clinic_name,
                  GError     **error)
{
  g_autoptr(RxPrescriptionPrintout) printout = g_new0 (RxPrescriptionPrintout, 1);
  g_auto(RxVerification) verification = { 0, };

  g_return_val_if_fail (RX_IS_DB (db), NULL);
  g_return_val_if_fail (prescription_id != NULL, NULL);

  printout->clinic = g_strdup (clinic_name);
  printout->rx = rx_prescriptions_get (db, prescription_id, error);
  if (printout->rx == NULL)
    return NULL;
  if (rx_prescription_get_status (printout->rx) == RX_PRESCRIPTION_DRAFT)
    {
      g_set_error_literal (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                           _("This prescription is a draft; sign it before printing it"));
      return NULL;
    }
  printout->patient = rx_patients_get (db, rx_prescription_get_patient_id (printout->rx), error);
  if (printout->patient == NULL)
    return NULL;
  printout->prescriber = rx_users_find (db, rx_prescription_get_prescriber_id (printout->rx),
                                        error);
  if (printout->prescriber == NULL)
    return NULL;
  if (!rx_prescriptions_verify (db, prescription_id, &verification, error))
    return NULL;

  printout->verified = verification.ok;
  printout->verify_reason = g_strdup (verification.reason);
  printout->signer = g_strdup (verification.signer);
  printout->certificate_serial = g_strdup (verification.certificate_serial);

  return g_steal_pointer (&printout);
}

const char *
rx_prescription_printout_get_id (RxPrescriptionPrintout *printout)
{
  g_return_val_if_fail (printout != NULL, NULL);
  return rx_prescription_get_id (printout->rx);
}

/* What the QR code says: a prefix that tells a scanner what it is, then the id. */
char *
rx_prescription_printout_dup_code_text (RxPrescriptionPrintout *printout)
{
  g_return_val_if_fail (printout != NULL, NULL);
  return g_strconcat ("RXDESK:RX:", rx_prescription_get_id (printout->rx), NULL);
}

/* Draws @markup at (x, y) in a column @width wide; returns the y below it. */
static double
text (cairo_t    *cr,
      const char *font,
      double      x,
      double      y,
      double      width,
      const char *markup)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *description = pango_font_description_from_string (font);
  int height;

  pango_layout_set_font_description (layout, description);
  pango_font_description_free (description);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_markup (layout, markup, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &height);

  return y + (double) height / PANGO_SCALE;
}

static void
rule (cairo_t *cr,
      double   x,
      double   y,
      double   width)
{
  cairo_save (cr);
  cairo_set_line_width (cr, 0.75);
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x + width, y);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_qr (cairo_t    *cr,
         const char *payload,
         double      x,
         double      y,
         double      size)
{
  QRcode *qr = QRcode_encodeString (payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  double module;

  if (qr == NULL)
    return;

  /* A quiet zone of four modules all round, as scanners need. */
  module = size / (qr->width + 8);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, size, size);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int row = 0; row < qr->width; row++)
    for (int col = 0; col < qr->width; col++)
      if (qr->data[row * qr->width + col] & 1)
        cairo_rectangle (cr, x + (col + 4) * module, y + (row + 4) * module, module, module);
  cairo_fill (cr);
  cairo_restore (cr);
  QRcode_free (qr);
}

/* Draws the page at the origin of @cr, @width by @height points. */
void
rx_prescription_printout_draw (RxPrescriptionPrintout *printout,
                  cairo_t    *cr,
                  double      width,
                  double      height)
{
  RxPrescription *rx;
  GPtrArray *items, *allergies;
  double x = MARGIN, y = MARGIN, column = width - 2 * MARGIN;
  double qr_size = 110;
  g_autofree char *markup = NULL;
  g_autofree char *name = NULL;
  g_autofree char *born = NULL;
  g_autofree char *signed_at = NULL;
  g_autofree char *signed_on = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GString) allergy_text = g_string_new (NULL);
  RxPrescriptionStatus status;

  g_return_if_fail (printout != NULL);

  rx = printout->rx;
  items = rx_prescription_get_items (rx);
  status = rx_prescription_get_status (rx);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);

  markup = g_markup_printf_escaped ("<b>%s</b>", printout->clinic ? printout->clinic : "");
  y = text (cr, "Sans 18", x, y, column, markup);
  g_clear_pointer (&markup, g_free);
  y = text (cr, "Sans 11", x, y + 2, column, _("Prescription"));
  y += 8;
  rule (cr, x, y, column);
  y += 10;

  name = rx_patient_dup_display_name (printout->patient);
  born = rx_format_date (rx_patient_get_birth_date (printout->patient));
  allergies = rx_patient_get_allergies (printout->patient);
  for (guint i = 0; allergies != NULL && i < allergies->len; i++)
    g_string_append_printf (allergy_text, "%s%s", i > 0 ? ", " : "",
                            ((RxAllergy *) allergies->pdata[i])->allergen);
  markup = g_markup_printf_escaped (_("<b>Patient:</b> %s\nBorn %s · record no. %s\n"
                                      "<b>Allergies:</b> %s"),
                                    name, born, rx_patient_get_record_number (printout->patient),
                                    allergy_text->len > 0 ? allergy_text->str
                                                          : _("none recorded"));
  y = text (cr, "Sans 10.5", x, y, column, markup);
  g_clear_pointer (&markup, g_free);
  y += 8;

  signed_at = rx_format_local_time (rx_prescription_get_signed_at (rx));
  signed_on = rx_format_date (rx_prescription_get_signed_at (rx));
  markup = g_markup_printf_escaped (_("<b>Prescriber:</b> %s (%s)\n<b>Signed:</b> %s %s"),
                                    rx_user_get_full_name (printout->prescriber),
                                    rx_user_get_username (printout->prescriber),
                                    signed_on, signed_at);
  y = text (cr, "Sans 10.5", x, y, column, markup);
  g_clear_pointer (&markup, g_free);
  y += 8;
  rule (cr, x, y, column);
  y += 12;

  for (guint i = 0; i < items->len; i++)
    {
      RxPrescriptionItem *item = items->pdata[i];
      g_autoptr(GString) directions = g_string_new (NULL);

      g_string_append_printf (directions, "%s %s", item->dose ? item->dose : "",
                              item->frequency ? item->frequency : "");
      if (item->route != NULL)
        g_string_append_printf (directions, ", %s", item->route);
      if (item->duration_days > 0)
        g_string_append_printf (directions, _(", for %d days"), item->duration_days);
      if (item->instructions != NULL && *item->instructions != '\0')
        g_string_append_printf (directions, ". %s", item->instructions);

      markup = g_markup_printf_escaped (_("<b>%u. %s</b>\n%s\nSupply %" G_GINT64_FORMAT
                                          "; repeats %d"),
                                        i + 1, item->product_name, directions->str,
                                        item->quantity, item->repeats);
      y = text (cr, "Sans 11", x, y, column, markup) + 10;
      g_clear_pointer (&markup, g_free);
    }

  if (rx_prescription_get_notes (rx) != NULL && *rx_prescription_get_notes (rx) != '\0')
    {
      markup = g_markup_printf_escaped (_("<b>Notes for the pharmacist:</b> %s"),
                                        rx_prescription_get_notes (rx));
      y = text (cr, "Sans 10.5", x, y, column, markup) + 10;
      g_clear_pointer (&markup, g_free);
    }

  if (status == RX_PRESCRIPTION_CANCELLED || status == RX_PRESCRIPTION_SUPERSEDED ||
      status == RX_PRESCRIPTION_EXPIRED)
    {
      cairo_set_source_rgb (cr, 0.75, 0, 0);
      markup = g_markup_printf_escaped (_("<b>%s — NOT VALID FOR DISPENSING</b>"),
                                        rx_prescription_status_to_string (status));
      y = text (cr, "Sans 14", x, y + 6, column, markup) + 10;
      g_clear_pointer (&markup, g_free);
      cairo_set_source_rgb (cr, 0, 0, 0);
    }

  /* The verification block sits at the foot of the page, whatever is above it. */
  y = MAX (y + 12, height - MARGIN - qr_size);
  rule (cr, x, y - 10, column);
  code = rx_prescription_printout_dup_code_text (printout);
  draw_qr (cr, code, x + column - qr_size, y, qr_size);
  markup = g_markup_printf_escaped (_("<b>Verification code</b>\n<tt>%s</tt>\n"
                                      "Signed by %s · certificate %s\n%s"),
                                    rx_prescription_get_id (rx),
                                    printout->signer ? printout->signer : _("unknown"),
                                    printout->certificate_serial ? printout->certificate_serial
                                                                 : _("unknown"),
                                    printout->verified
                                      ? _("The signature was valid when this was printed. "
                                          "The pharmacy checks it again before dispensing.")
                                      : printout->verify_reason);
  text (cr, "Sans 9", x, y, column - qr_size - 12, markup);

  cairo_restore (cr);
}

/* Writes the page as a one-page A4 PDF at @path. May run in any thread. */
gboolean
rx_prescription_printout_write_pdf (RxPrescriptionPrintout  *printout,
                       const char  *path,
                       GError     **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  g_return_val_if_fail (printout != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  surface = cairo_pdf_surface_create (path, RX_PRESCRIPTION_PRINTOUT_WIDTH, RX_PRESCRIPTION_PRINTOUT_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  rx_prescription_get_id (printout->rx));
  cr = cairo_create (surface);
  rx_prescription_printout_draw (printout, cr, RX_PRESCRIPTION_PRINTOUT_WIDTH, RX_PRESCRIPTION_PRINTOUT_HEIGHT);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write the PDF to %s (%s); choose another folder"), name,
                   cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}
