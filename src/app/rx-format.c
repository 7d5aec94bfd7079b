/* rx-format.c: how numbers, money and dates read on screen. Storage keeps integers and ISO
 * dates; only these functions turn them into text for people. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "rx-format.h"

/**
 * rx_format_money:
 * @minor_units: an amount in the currency's smallest unit (cents)
 * @minor_digits: how many of those make up the decimal part (2 for cents)
 * @currency: (nullable): an ISO 4217 code to put in front, or %NULL for the number alone
 *
 * Formats money without ever going through floating point, so 1999 is always "19.99".
 */
char *
rx_format_money (gint64      minor_units,
                 guint       minor_digits,
                 const char *currency)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint64 magnitude;
  guint64 scale = 1;

  g_return_val_if_fail (minor_digits <= 6, NULL);

  for (guint i = 0; i < minor_digits; i++)
    scale *= 10;

  /* Negate in unsigned arithmetic so that G_MININT64 has a magnitude too. */
  magnitude = minor_units < 0 ? -(guint64) minor_units : (guint64) minor_units;

  if (currency != NULL && *currency != '\0')
    g_string_append_printf (out, "%s ", currency);
  if (minor_units < 0)
    g_string_append (out, "−");

  g_string_append_printf (out, "%" G_GUINT64_FORMAT, magnitude / scale);
  if (minor_digits > 0)
    g_string_append_printf (out, ".%0*" G_GUINT64_FORMAT, (int) minor_digits, magnitude % scale);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
parse_iso_date (const char *iso_date,
                GDate      *date)
{
  guint year, month, day;
  char tail;

  g_date_clear (date, 1);
  if (iso_date == NULL ||
      sscanf (iso_date, "%4u-%2u-%2u%c", &year, &month, &day, &tail) < 3 ||
      !g_date_valid_dmy (day, month, year))
    return FALSE;

  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

/* "14 Mar 2026"; the month name keeps day and month apart whatever the reader's habit. */
char *
rx_format_date (const char *iso_date)
{
  GDate date;
  char buf[64];

  if (!parse_iso_date (iso_date, &date))
    return g_strdup (iso_date ? iso_date : "");

  if (g_date_strftime (buf, sizeof buf, "%e %b %Y", &date) == 0)
    return g_strdup (iso_date);

  return g_strdup (g_strstrip (buf));
}

/* "3 Mar 1984 · 42 years"; infants get months, since doses depend on them. */
char *
rx_format_birth_date (const char *iso_date,
                      GDate      *today)
{
  g_autofree char *date_text = NULL;
  g_autofree char *age = NULL;
  GDate born;
  int months;

  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  if (!parse_iso_date (iso_date, &born))
    return g_strdup (_("Date of birth not recorded"));

  date_text = rx_format_date (iso_date);

  months = ((int) g_date_get_year (today) - (int) g_date_get_year (&born)) * 12
           + ((int) g_date_get_month (today) - (int) g_date_get_month (&born));
  if (g_date_get_day (today) < g_date_get_day (&born))
    months--;

  if (months < 0)
    return g_steal_pointer (&date_text);
  if (months < 24)
    age = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d month", "%d months", months),
                           months);
  else
    age = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d year", "%d years", months / 12),
                           months / 12);

  /* Translators: a date of birth, then the age, e.g. "3 Mar 1984 · 42 years" */
  return g_strdup_printf (_("%s · %s"), date_text, age);
}

/* Whole numbers with thin grouping: "12 500". */
char *
rx_format_quantity (gint64 quantity)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, quantity);
}

/* "09:15": a stored UTC time (YYYY-MM-DDTHH:MM:SSZ) as the clock on the wall reads it. */
char *
rx_format_local_time (const char *iso_utc)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso_utc != NULL)
    utc = g_date_time_new_from_iso8601 (iso_utc, NULL);
  if (utc == NULL)
    return g_strdup (iso_utc ? iso_utc : "");

  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%H:%M");
}

/**
 * rx_format_tax_rate:
 * @rate_bp: a rate in basis points: 2000 is 20 %
 *
 * Returns: "20 %", "12.5 %" or "0 %", without floating point
 */
char *
rx_format_tax_rate (int rate_bp)
{
  int whole = rate_bp / 100;
  int hundredths = ABS (rate_bp % 100);

  if (hundredths == 0)
    /* Translators: a tax rate, e.g. "20 %" */
    return g_strdup_printf (_("%d %%"), whole);
  if (hundredths % 10 == 0)
    return g_strdup_printf (_("%d.%d %%"), whole, hundredths / 10);
  return g_strdup_printf (_("%d.%02d %%"), whole, hundredths);
}
