/* rx-gs1.h: reading GS1 element strings from medicine packs (DataMatrix, GS1-128), as a
 * keyboard-wedge scanner types them or as printed in brackets under the code. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *gtin;      /* (01) 14 digits, check digit verified */
  char *expiry;    /* (17) as YYYY-MM-DD; day 00 means the month's last day */
  char *lot;       /* (10) */
  char *serial;    /* (21) */
  char *produced;  /* (11) as YYYY-MM-DD */
  char *nhrn;      /* (710-715) a national healthcare reimbursement number */
} RxGs1;

RxGs1    *rx_gs1_parse            (const char   *text,
                                   int           this_year,
                                   GError      **error);
void      rx_gs1_free             (RxGs1        *gs1);
gboolean  rx_gs1_gtin_is_valid    (const char   *digits);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxGs1, rx_gs1_free)

G_END_DECLS
