/* rx-gs1.c: GS1 element strings (GS1 General Specifications, section 3 and 7.8-7.12).
 *
 * Two shapes arrive: the raw string a scanner types (an optional symbology identifier such as
 * "]d2", then application identifiers and their values back to back, variable-length values
 * ended by the group separator, ASCII 29) and the human-readable form printed under the
 * symbol, "(01)…(17)…(10)…". Both give the same fields. Everything is checked: known AIs only,
 * lengths, digits, the GTIN check digit, real dates. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>

#include "rx-core-error.h"
#include "rx-gs1.h"

#define GS '\x1d'

typedef enum
{
  FIELD_NONE,
  FIELD_GTIN,
  FIELD_EXPIRY,
  FIELD_LOT,
  FIELD_SERIAL,
  FIELD_PRODUCED,
  FIELD_NHRN,
} Field;

typedef struct
{
  const char *ai;
  guint       fixed;    /* exact length, or 0 for variable */
  guint       max;      /* longest variable value */
  gboolean    numeric;
  gboolean    is_date;
  Field       field;
} Ai;

/* The AIs a medicine pack carries, and the common logistics ones around them. */
static const Ai ais[] = {
  { "00", 18, 18, TRUE, FALSE, FIELD_NONE },       /* SSCC */
  { "01", 14, 14, TRUE, FALSE, FIELD_GTIN },
  { "02", 14, 14, TRUE, FALSE, FIELD_NONE },       /* GTIN of contained items */
  { "10", 0, 20, FALSE, FALSE, FIELD_LOT },
  { "11", 6, 6, TRUE, TRUE, FIELD_PRODUCED },
  { "13", 6, 6, TRUE, TRUE, FIELD_NONE },          /* packaging date */
  { "15", 6, 6, TRUE, TRUE, FIELD_NONE },          /* best before */
  { "16", 6, 6, TRUE, TRUE, FIELD_NONE },          /* sell by */
  { "17", 6, 6, TRUE, TRUE, FIELD_EXPIRY },
  { "20", 2, 2, TRUE, FALSE, FIELD_NONE },         /* variant */
  { "21", 0, 20, FALSE, FALSE, FIELD_SERIAL },
  { "22", 0, 20, FALSE, FALSE, FIELD_NONE },       /* consumer product variant */
  { "240", 0, 30, FALSE, FALSE, FIELD_NONE },
  { "241", 0, 30, FALSE, FALSE, FIELD_NONE },
  { "30", 0, 8, TRUE, FALSE, FIELD_NONE },         /* count */
  { "37", 0, 8, TRUE, FALSE, FIELD_NONE },         /* count of trade items */
  { "400", 0, 30, FALSE, FALSE, FIELD_NONE },      /* order number */
  { "710", 0, 20, FALSE, FALSE, FIELD_NHRN },
  { "711", 0, 20, FALSE, FALSE, FIELD_NHRN },
  { "712", 0, 20, FALSE, FALSE, FIELD_NHRN },
  { "713", 0, 20, FALSE, FALSE, FIELD_NHRN },
  { "714", 0, 20, FALSE, FALSE, FIELD_NHRN },
  { "715", 0, 20, FALSE, FALSE, FIELD_NHRN },
};

/* Symbology identifiers of GS1 symbols: DataMatrix, GS1-128, QR, DataBar, DotCode. */
static const char * const gs1_symbologies[] = { "]d2", "]C1", "]Q3", "]e0", "]J1", NULL };

void
rx_gs1_free (RxGs1 *gs1)
{
  if (gs1 == NULL)
    return;

  g_free (gs1->gtin);
  g_free (gs1->expiry);
  g_free (gs1->lot);
  g_free (gs1->serial);
  g_free (gs1->produced);
  g_free (gs1->nhrn);
  g_free (gs1);
}

static int
check_digit (const char *digits,
             gsize       n)
{
  int sum = 0;

  /* weights 3, 1, 3, … from the rightmost digit before the check digit */
  for (gsize i = 0; i < n; i++)
    sum += (digits[n - 1 - i] - '0') * (i % 2 == 0 ? 3 : 1);

  return (10 - sum % 10) % 10;
}

gboolean
rx_gs1_gtin_is_valid (const char *digits)
{
  gsize n = digits ? strlen (digits) : 0;

  if (n != 8 && n != 12 && n != 13 && n != 14)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (digits[i]))
      return FALSE;

  return check_digit (digits, n - 1) == digits[n - 1] - '0';
}

/* The GS1 character set 82: what a value may contain. */
static gboolean
is_cset82 (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!\"%&'()*+,-./:;<=>?_", c) != NULL);
}

static const Ai *
find_ai (const char *p,
         gsize       available)
{
  for (guint i = 0; i < G_N_ELEMENTS (ais); i++)
    {
      gsize len = strlen (ais[i].ai);

      if (available >= len && strncmp (p, ais[i].ai, len) == 0)
        return &ais[i];
    }

  return NULL;
}

/* YYMMDD with the GS1 century rule (7.12): a year more than 49 ahead is last century's, one
 * more than 50 behind is next century's. */
static char *
parse_date (const char  *v,
            const Ai    *ai,
            int          this_year,
            GError     **error)
{
  int yy = (v[0] - '0') * 10 + (v[1] - '0');
  int mm = (v[2] - '0') * 10 + (v[3] - '0');
  int dd = (v[4] - '0') * 10 + (v[5] - '0');
  int century = this_year / 100 * 100;
  int diff = yy - this_year % 100;
  int year;

  if (diff >= 51)
    century -= 100;
  else if (diff <= -50)
    century += 100;
  year = century + yy;

  if (mm < 1 || mm > 12 || (dd != 0 && !g_date_valid_dmy (dd, mm, year)))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The date in (%s) “%.6s” is not a real date (YYMMDD); scan again or type "
                   "it from the pack", ai->ai, v);
      return NULL;
    }

  /* day 00: the last day of that month */
  if (dd == 0)
    dd = g_date_get_days_in_month (mm, year);

  return g_strdup_printf ("%04d-%02d-%02d", year, mm, dd);
}

static gboolean
store (RxGs1       *out,
       const Ai    *ai,
       const char  *value,
       gsize        len,
       int          this_year,
       GError     **error)
{
  g_autofree char *v = g_strndup (value, len);
  char **slot = NULL;
  char *text;

  if (len == 0 || (ai->fixed && len != ai->fixed) || len > ai->max)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   ai->fixed ? "Field (%s) must have %u characters, not %" G_GSIZE_FORMAT
                             : "Field (%s) must have 1 to %u characters, not %" G_GSIZE_FORMAT,
                   ai->ai, ai->fixed ? ai->fixed : ai->max, len);
      return FALSE;
    }

  for (gsize i = 0; i < len; i++)
    if (ai->numeric ? !g_ascii_isdigit (v[i]) : !is_cset82 (v[i]))
      {
        g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                     "Field (%s) holds a character GS1 does not allow there; scan again",
                     ai->ai);
        return FALSE;
      }

  if (ai->field == FIELD_GTIN && !rx_gs1_gtin_is_valid (v))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "GTIN %s has a wrong check digit (it should end in %d); scan again or "
                   "type it from the pack", v, check_digit (v, len - 1));
      return FALSE;
    }

  if (ai->is_date)
    text = parse_date (v, ai, this_year, error);
  else
    text = g_steal_pointer (&v);
  if (text == NULL)
    return FALSE;

  switch (ai->field)
    {
    case FIELD_GTIN:
      slot = &out->gtin;
      break;
    case FIELD_EXPIRY:
      slot = &out->expiry;
      break;
    case FIELD_LOT:
      slot = &out->lot;
      break;
    case FIELD_SERIAL:
      slot = &out->serial;
      break;
    case FIELD_PRODUCED:
      slot = &out->produced;
      break;
    case FIELD_NHRN:
      slot = &out->nhrn;
      break;
    case FIELD_NONE:
    default:
      break;
    }

  if (slot != NULL && *slot != NULL && g_strcmp0 (*slot, text) != 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "Field (%s) appears twice with different values; scan again", ai->ai);
      g_free (text);
      return FALSE;
    }

  if (slot != NULL)
    {
      g_free (*slot);
      *slot = text;
    }
  else
    g_free (text);

  return TRUE;
}

static gboolean
parse_bracketed (RxGs1       *out,
                 const char  *p,
                 int          this_year,
                 GError     **error)
{
  while (*p)
    {
      const char *close = strchr (p, ')');
      const char *value, *end;
      const Ai *ai;

      if (*p != '(' || close == NULL)
        goto bad;
      ai = find_ai (p + 1, close - p - 1);
      if (ai == NULL || strlen (ai->ai) != (gsize) (close - p - 1))
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "(%.*s) is not an application identifier RxDesk reads on medicine packs",
                       (int) MIN (close - p - 1, 8), p + 1);
          return FALSE;
        }

      /* the value runs to the next "(AI)" */
      value = close + 1;
      for (end = value; *end; end++)
        {
          const char *c = strchr (end + 1, ')');

          if (*end == '(' && c != NULL && find_ai (end + 1, c - end - 1) != NULL &&
              strlen (find_ai (end + 1, c - end - 1)->ai) == (gsize) (c - end - 1))
            break;
        }

      if (!store (out, ai, value, end - value, this_year, error))
        return FALSE;
      p = end;
    }

  return TRUE;

bad:
  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
               "The bracketed GS1 text is malformed; write it as (01)GTIN(17)YYMMDD(10)LOT");
  return FALSE;
}

static gboolean
parse_raw (RxGs1       *out,
           const char  *p,
           int          this_year,
           GError     **error)
{
  gsize n = strlen (p);
  gsize i = 0;

  while (i < n)
    {
      const Ai *ai;
      gsize len;

      if (p[i] == GS)  /* a separator before an AI (FNC1), or doubled: harmless */
        {
          i++;
          continue;
        }

      ai = find_ai (p + i, n - i);
      if (ai == NULL)
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "“%.4s…” does not start a GS1 field RxDesk reads; is this the pack's "
                       "GS1 DataMatrix?", p + i);
          return FALSE;
        }
      i += strlen (ai->ai);

      if (ai->fixed)
        len = MIN (ai->fixed, n - i);
      else
        for (len = 0; i + len < n && p[i + len] != GS; len++)
          ;

      if (!store (out, ai, p + i, len, this_year, error))
        return FALSE;
      i += len;
    }

  return TRUE;
}

/**
 * rx_gs1_parse:
 * @text: what the scanner typed, or the bracketed text under the symbol
 * @this_year: the current year, for the century of two-digit years
 *
 * Returns: (transfer full): the fields found, or %NULL with @error saying what is wrong
 */
RxGs1 *
rx_gs1_parse (const char  *text,
              int          this_year,
              GError     **error)
{
  g_autoptr(RxGs1) out = g_new0 (RxGs1, 1);
  g_autofree char *clean = NULL;
  const char *p;
  gboolean ok;

  g_return_val_if_fail (text != NULL, NULL);

  if (strlen (text) > 512 || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "That is not a GS1 barcode (too long or not text)");
      return NULL;
    }

  clean = g_strstrip (g_strdup (text));
  /* scanners often end a read with a newline or carriage return */
  clean[strcspn (clean, "\r\n")] = '\0';
  p = clean;

  if (p[0] == ']')
    {
      gboolean known = FALSE;

      for (guint i = 0; gs1_symbologies[i]; i++)
        if (g_str_has_prefix (p, gs1_symbologies[i]))
          known = TRUE;
      if (!known)
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "The scanner read a symbol that is not a GS1 code (%.3s); scan the "
                       "pack's GS1 DataMatrix or GS1-128 code", p);
          return NULL;
        }
      p += 3;
    }

  if (*p == '\0')
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID, "The barcode is empty");
      return NULL;
    }

  ok = *p == '(' ? parse_bracketed (out, p, this_year, error)
                 : parse_raw (out, p, this_year, error);
  if (!ok)
    return NULL;

  if (out->gtin == NULL && out->lot == NULL && out->expiry == NULL && out->serial == NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The barcode holds no GTIN, expiry, lot or serial; scan the medicine "
                   "pack's own code");
      return NULL;
    }

  return g_steal_pointer (&out);
}
