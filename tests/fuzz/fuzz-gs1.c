/* fuzz-gs1.c: libFuzzer target for the GS1 parser (what a scanner types is untrusted input). */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "rx-gs1.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(RxGs1) gs1 = rx_gs1_parse (text, 2026, &error);

  /* exactly one of a result and an error, and a result is well-formed */
  g_assert ((gs1 == NULL) != (error == NULL));
  if (gs1 != NULL)
    {
      g_assert (gs1->gtin == NULL || rx_gs1_gtin_is_valid (gs1->gtin));
      g_assert (gs1->expiry == NULL || strlen (gs1->expiry) == 10);
      g_assert (gs1->lot == NULL || strlen (gs1->lot) <= 20);
    }

  return 0;
}
