/* rx-formulary-import.h: importing a formulary file (CSV or JSON with the columns of
 * data/formulary/medicines.csv) in two steps: a preview that writes nothing, then an
 * all-or-nothing write the admin confirms. */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"

G_BEGIN_DECLS

typedef enum
{
  RX_IMPORT_ADDED,      /* a product the clinic does not have yet */
  RX_IMPORT_CHANGED,    /* a product whose details or pack prices differ */
  RX_IMPORT_UNCHANGED,  /* already exactly so */
  RX_IMPORT_REJECTED,   /* the row is wrong; the reason says why */
} RxImportOutcome;

typedef struct
{
  guint            line;     /* CSV: the file's line; JSON: the item's number, from 1 */
  RxImportOutcome  outcome;
  char            *code;     /* the product id column; may be empty on a rejected row */
  char            *reason;   /* rejected: what is wrong; changed: what differs */
} RxFormularyImportRow;

#define RX_TYPE_FORMULARY_IMPORT (rx_formulary_import_get_type ())

G_DECLARE_FINAL_TYPE (RxFormularyImport, rx_formulary_import, RX, FORMULARY_IMPORT, GObject)

RxFormularyImport *rx_formulary_import_parse        (const char          *data,
                                                      gsize                length,
                                                      const char          *name,
                                                      GError             **error);
RxFormularyImport *rx_formulary_import_preview      (RxDb                *db,
                                                      const char          *path,
                                                      GError             **error);
gboolean           rx_formulary_import_compare      (RxFormularyImport   *self,
                                                      RxDb                *db,
                                                      GError             **error);
gboolean           rx_formulary_import_apply        (RxFormularyImport   *self,
                                                      RxDb                *db,
                                                      GError             **error);
const char        *rx_formulary_import_get_name     (RxFormularyImport   *self);
guint              rx_formulary_import_count        (RxFormularyImport   *self,
                                                      RxImportOutcome      outcome);
guint              rx_formulary_import_get_n_rows   (RxFormularyImport   *self);
const RxFormularyImportRow *
                   rx_formulary_import_get_row      (RxFormularyImport   *self,
                                                      guint                index);
const char        *rx_import_outcome_to_string      (RxImportOutcome      outcome);

G_END_DECLS
