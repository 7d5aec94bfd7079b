/* fuzz-formulary-import.c: libFuzzer target for the formulary importer's parser (an admin
 * imports files made elsewhere: they are untrusted input). */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "rx-formulary-import.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxFormularyImport) import = NULL;
  guint total = 0;

  /* the content picks the reader; the name only decides a file of nothing but spaces */
  import = rx_formulary_import_parse ((const char *) data, size,
                                      size > 0 && data[0] & 1 ? "fuzz.json" : "fuzz.csv",
                                      &error);

  /* exactly one of a result and an error; every row sorted once, every rejection explained */
  g_assert ((import == NULL) != (error == NULL));
  if (import == NULL)
    return 0;

  for (RxImportOutcome o = RX_IMPORT_ADDED; o <= RX_IMPORT_REJECTED; o++)
    total += rx_formulary_import_count (import, o);
  g_assert_cmpuint (total, ==, rx_formulary_import_get_n_rows (import));
  g_assert_cmpuint (rx_formulary_import_count (import, RX_IMPORT_CHANGED), ==, 0);

  for (guint i = 0; i < rx_formulary_import_get_n_rows (import); i++)
    {
      const RxFormularyImportRow *row = rx_formulary_import_get_row (import, i);

      g_assert_cmpuint (row->line, >=, 1);
      g_assert_nonnull (row->code);
      g_assert ((row->outcome == RX_IMPORT_REJECTED) == (row->reason != NULL));
      g_assert (row->reason == NULL || g_utf8_validate (row->reason, -1, NULL));
    }

  return 0;
}
