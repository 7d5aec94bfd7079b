/* rx-format.h: how numbers, money and dates read on screen. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *rx_format_money         (gint64      minor_units,
                               guint       minor_digits,
                               const char *currency);
char *rx_format_date          (const char *iso_date);
char *rx_format_birth_date    (const char *iso_date,
                               GDate      *today);
char *rx_format_quantity      (gint64      quantity);
char *rx_format_local_time    (const char *iso_utc);
char *rx_format_tax_rate      (int         rate_bp);

G_END_DECLS
