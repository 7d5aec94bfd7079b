/* rx-safety-dose.c: reading what a prescription says into numbers the maximum-dose check can
 * add up: a product's strength ("250 mg/5 mL", "100 micrograms + 6 micrograms/dose"), a dose
 * ("1-2 tablets", "10 mL", "500 mg") and a frequency ("TDS", "every 4-6 hours", "once
 * weekly"). What cannot be read is reported as unknown, never guessed. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <string.h>

#include "rx-safety-private.h"

#define NUM     "(\\d+(?:\\.\\d+)?|\xc2\xbd|half|one|two|three|four|five|six|seven|eight|nine|ten)"
#define RANGE   NUM "(?:\\s*(?:-|\xe2\x80\x93|to|or)\\s*" NUM ")?"
#define COUNTS  "tablets?|tabs?|capsules?|caps?|puffs?|doses?|sprays?|actuations?|inhalations?|" \
                "sachets?|suppositor(?:y|ies)|pessar(?:y|ies)|patch(?:es)?|lozenges?|vials?|" \
                "ampoules?|applicators?"
#define UNITS   "million units|units?|iu|mg|milligrams?|micrograms?|mcg|\xc2\xb5g|g|grams?|" \
                "ml|millilitres?|milliliters?|spoonfuls?|" COUNTS

enum { RE_DOSE, RE_BARE, RE_MAX, RE_STRENGTH, N_RE };

static GRegex *
regex (guint which)
{
  static GRegex *compiled[N_RE];
  static const char * const patterns[N_RE] = {
    [RE_DOSE] = "(?<![\\w.])" RANGE "\\s*(?:an?\\s+)?(" UNITS ")(?!\\w)",
    [RE_BARE] = "^\\s*(?:take\\s+|give\\s+|inhale\\s+|use\\s+)?" RANGE
                "(?!\\s*(?:times|x\\b|hours?|hrs?|days?|weeks?|months?|hourly|daily|%))(?=\\s|$)",
    [RE_MAX] = "(?:max(?:imum)?\\.?|up to|no more than|not more than|not to exceed)\\s*(?:of\\s*)?"
               RANGE "\\s*(?:(" UNITS ")\\s*)?(?:in|per|a|each|every|/)\\s*"
               "(?:24\\s*h(?:ours?|rs?)?|day)",
    [RE_STRENGTH] = "^\\s*(\\d+(?:\\.\\d+)?)\\s*(million units|units|mg|g|micrograms|%)"
                    "(?:\\s*/\\s*(\\d+(?:\\.\\d+)?)?\\s*([a-z]+(?: hours)?))?\\s*$",
  };

  if (g_once_init_enter (&compiled[which]))
    {
      g_autoptr(GError) error = NULL;
      GRegex *re = g_regex_new (patterns[which], G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, &error);

      g_assert_no_error (error);
      g_once_init_leave (&compiled[which], re);
    }

  return compiled[which];
}

static double
parse_number (const char *text)
{
  static const char * const words[] = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", NULL
  };

  if (text == NULL || *text == '\0')
    return -1;
  if (strcmp (text, "\xc2\xbd") == 0 || g_ascii_strcasecmp (text, "half") == 0)
    return 0.5;
  for (guint i = 0; words[i]; i++)
    if (g_ascii_strcasecmp (text, words[i]) == 0)
      return i;

  return g_ascii_strtod (text, NULL);
}

/* The larger end of "1-2": the dose the check must allow for. */
static double
range_value (GMatchInfo *match,
             int         first_group)
{
  g_autofree char *a = g_match_info_fetch (match, first_group);
  g_autofree char *b = g_match_info_fetch (match, first_group + 1);

  return MAX (parse_number (a), parse_number (b));
}

static gboolean
unit_to_dose (const char *unit,
              double      quantity,
              RxDose     *dose)
{
  g_autofree char *u = g_utf8_strdown (unit, -1);

  if (g_str_has_prefix (u, "million"))
    *dose = (RxDose) { RX_DOSE_UNITS, quantity * 1e6 };
  else if (strcmp (u, "unit") == 0 || strcmp (u, "units") == 0 || strcmp (u, "iu") == 0)
    *dose = (RxDose) { RX_DOSE_UNITS, quantity };
  else if (strcmp (u, "mg") == 0 || g_str_has_prefix (u, "milligram"))
    *dose = (RxDose) { RX_DOSE_MASS, quantity };
  else if (g_str_has_prefix (u, "microgram") || strcmp (u, "mcg") == 0 ||
           strcmp (u, "\xc2\xb5g") == 0)
    *dose = (RxDose) { RX_DOSE_MASS, quantity / 1000 };
  else if (strcmp (u, "g") == 0 || g_str_has_prefix (u, "gram"))
    *dose = (RxDose) { RX_DOSE_MASS, quantity * 1000 };
  else if (strcmp (u, "ml") == 0 || g_str_has_prefix (u, "millilit"))
    *dose = (RxDose) { RX_DOSE_VOLUME, quantity };
  else if (g_str_has_prefix (u, "spoonful"))
    *dose = (RxDose) { RX_DOSE_VOLUME, quantity * 5 };
  else
    *dose = (RxDose) { RX_DOSE_COUNT, quantity };

  return quantity > 0;
}

/* "1-2 tablets", "half a tablet", "10 mL", "500 mg", "2 puffs"; or a bare leading number
 * ("1 TDS"), read as a count of the product's units. */
gboolean
_rx_safety_parse_dose (const char *text,
                       RxDose     *dose)
{
  g_autoptr(GMatchInfo) match = NULL;

  *dose = (RxDose) { RX_DOSE_NONE, 0 };
  if (text == NULL)
    return FALSE;

  if (g_regex_match (regex (RE_DOSE), text, 0, &match))
    {
      g_autofree char *unit = g_match_info_fetch (match, 3);

      return unit_to_dose (unit, range_value (match, 1), dose);
    }
  g_clear_pointer (&match, g_match_info_free);

  if (g_regex_match (regex (RE_BARE), text, 0, &match))
    {
      double q = range_value (match, 1);

      *dose = (RxDose) { RX_DOSE_COUNT, q };
      return q > 0;
    }

  return FALSE;
}

/* "max 8 tablets in 24 hours", "no more than 4 g a day": what a day can hold at most. */
gboolean
_rx_safety_parse_daily_max (const char *text,
                            RxDose     *per_day)
{
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *unit = NULL;
  double q;

  *per_day = (RxDose) { RX_DOSE_NONE, 0 };
  if (text == NULL || !g_regex_match (regex (RE_MAX), text, 0, &match))
    return FALSE;

  q = range_value (match, 1);
  unit = g_match_info_fetch (match, 3);
  if (unit == NULL || *unit == '\0')
    {
      *per_day = (RxDose) { RX_DOSE_NONE, q };  /* in the dose's own unit */
      return q > 0;
    }

  return unit_to_dose (unit, q, per_day);
}

/* Frequency ---------------------------------------------------------------------------------- */

typedef struct
{
  const char *pattern;
  double      per_day;      /* if > 0: this many a day */
  double      scale;        /* else: scale divided by the number in group 1 */
} FrequencyRule;

/* Most specific first: "twice weekly" before "weekly", "every 6 hours" before "hourly". */
static const FrequencyRule frequency_rules[] = {
  { "(?:every|each|q)\\s*(\\d+(?:\\.\\d+)?)\\s*"
    "(?:(?:-|\xe2\x80\x93|to|or)\\s*\\d+(?:\\.\\d+)?\\s*)?(?:hours?|hrs?|h)(?!\\w)", 0, 24 },
  { "(\\d+(?:\\.\\d+)?)\\s*(?:(?:-|\xe2\x80\x93|to)\\s*\\d+\\s*)?(?:-\\s*)?hourly", 0, 24 },
  { "every hour|(?<!\\w)hourly", 24, 0 },
  { "(?:twice|two times|2 times|2x)\\s*(?:a|per|each|every)?\\s*week|twice[ -]weekly", 2.0 / 7, 0 },
  { "(?:three|3) times\\s*(?:a|per|each|every)?\\s*week", 3.0 / 7, 0 },
  { "(?:once|one time|1 time|1x)\\s*(?:a|per|each|every)?\\s*week|once[ -]weekly|(?<!\\w)weekly|"
    "every week", 1.0 / 7, 0 },
  { "every\\s*(\\d+)\\s*weeks?", 0, 1.0 / 7 },
  { "every\\s*(\\d+)\\s*months?", 0, 1.0 / 30 },
  { "(?<!\\w)monthly|once\\s*(?:a|per|each|every)\\s*month|every month", 1.0 / 30, 0 },
  { "every other day|alternate days", 0.5, 0 },
  { "every\\s*(\\d+)\\s*days?", 0, 1 },
  { "(?:six|6) times\\s*(?:a|per|each|every)?\\s*(?:day|daily)", 6, 0 },
  { "(?:five|5) times\\s*(?:a|per|each|every)?\\s*(?:day|daily)", 5, 0 },
  { "(?:four|4) times\\s*(?:a|per|each|every)?\\s*(?:day|daily)|(?<!\\w)(?:qds|qid|q\\.d\\.s\\.?|"
    "q\\.i\\.d\\.?)(?!\\w)", 4, 0 },
  { "(?:three|3) times\\s*(?:a|per|each|every)?\\s*(?:day|daily)|(?<!\\w)(?:tds|tid|t\\.d\\.s\\.?|"
    "t\\.i\\.d\\.?)(?!\\w)", 3, 0 },
  { "(?:twice|two times|2 times)\\s*(?:a|per|each|every)?\\s*(?:day|daily)|(?<!\\w)(?:bd|bid|"
    "b\\.d\\.?|b\\.i\\.d\\.?)(?!\\w)", 2, 0 },
  { "(?:once|one time)\\s*(?:a|per|each|every)?\\s*(?:day|daily)|(?<!\\w)(?:od|o\\.d\\.?|daily|"
    "mane|nocte|nightly)(?!\\w)|every (?:day|morning|night|evening)|each (?:day|morning|night)|"
    "at (?:night|bedtime)|in the (?:morning|evening)", 1, 0 },
  { "(?<!\\w)(?:stat|once)(?!\\w)|single dose|immediately", 1, 0 },
};

/* Doses a day, or 0 when the text gives no rhythm ("as needed" alone). */
double
_rx_safety_parse_frequency (const char *text)
{
  static GRegex *compiled[G_N_ELEMENTS (frequency_rules)];

  if (text == NULL)
    return 0;

  for (guint i = 0; i < G_N_ELEMENTS (frequency_rules); i++)
    {
      const FrequencyRule *rule = &frequency_rules[i];
      g_autoptr(GMatchInfo) match = NULL;

      if (g_once_init_enter (&compiled[i]))
        {
          g_autoptr(GError) error = NULL;
          GRegex *re = g_regex_new (rule->pattern, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0,
                                    &error);

          g_assert_no_error (error);
          g_once_init_leave (&compiled[i], re);
        }

      if (!g_regex_match (compiled[i], text, 0, &match))
        continue;

      if (rule->per_day > 0)
        return rule->per_day;
      else
        {
          g_autofree char *n = g_match_info_fetch (match, 1);
          double v = parse_number (n);

          return v > 0 ? rule->scale / v : 0;
        }
    }

  return 0;
}

/* Strength ----------------------------------------------------------------------------------- */

static gboolean
parse_part (const char     *text,
            RxStrengthPart *part)
{
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *per_n = NULL;
  g_autofree char *per = NULL;
  double value;

  if (!g_regex_match (regex (RE_STRENGTH), text, 0, &match))
    return FALSE;

  amount = g_match_info_fetch (match, 1);
  unit = g_match_info_fetch (match, 2);
  per_n = g_match_info_fetch (match, 3);
  per = g_match_info_fetch (match, 4);
  value = g_ascii_strtod (amount, NULL);

  if (strcmp (unit, "mg") == 0)
    *part = (RxStrengthPart) { value, RX_AMOUNT_MASS, RX_PER_EACH, 1 };
  else if (strcmp (unit, "g") == 0)
    *part = (RxStrengthPart) { value * 1000, RX_AMOUNT_MASS, RX_PER_EACH, 1 };
  else if (strcmp (unit, "micrograms") == 0)
    *part = (RxStrengthPart) { value / 1000, RX_AMOUNT_MASS, RX_PER_EACH, 1 };
  else if (strcmp (unit, "units") == 0)
    *part = (RxStrengthPart) { value, RX_AMOUNT_UNITS, RX_PER_EACH, 1 };
  else if (strcmp (unit, "million units") == 0)
    *part = (RxStrengthPart) { value * 1e6, RX_AMOUNT_UNITS, RX_PER_EACH, 1 };
  else
    *part = (RxStrengthPart) { value, RX_AMOUNT_OTHER, RX_PER_OTHER, 1 };

  if (per != NULL && *per != '\0')
    {
      part->per_quantity = per_n && *per_n ? g_ascii_strtod (per_n, NULL) : 1;
      if (g_ascii_strcasecmp (per, "mL") == 0)
        part->per = RX_PER_ML;
      else if (strcmp (per, "dose") == 0)
        part->per = RX_PER_DOSE;
      else
        part->per = RX_PER_OTHER;
      if (part->per_quantity <= 0)
        return FALSE;
    }

  return TRUE;
}

/* "500 mg", "250 mg/5 mL", "100 micrograms + 6 micrograms/dose" (a trailing "/..." applies to
 * every ingredient before it that has none of its own). Returns how many ingredients were
 * read, or 0 when any of them could not be. */
guint
_rx_safety_parse_strength (const char     *strength,
                           RxStrengthPart *parts,
                           guint           max_parts)
{
  g_auto(GStrv) pieces = NULL;
  gboolean has_per[RX_SAFETY_MAX_PARTS] = { FALSE, };
  guint n;

  if (strength == NULL)
    return 0;

  pieces = g_strsplit (strength, " + ", -1);
  n = g_strv_length (pieces);
  if (n == 0 || n > max_parts || n > RX_SAFETY_MAX_PARTS)
    return 0;

  for (guint i = 0; i < n; i++)
    {
      if (!parse_part (pieces[i], &parts[i]))
        return 0;
      has_per[i] = strchr (pieces[i], '/') != NULL;
    }

  for (guint i = 0; i + 1 < n; i++)
    if (!has_per[i] && has_per[n - 1])
      {
        parts[i].per = parts[n - 1].per;
        parts[i].per_quantity = parts[n - 1].per_quantity;
      }

  return n;
}

/* Amounts a day --------------------------------------------------------------------------- */

/* What each ingredient adds up to in a day (mg or units), or 0 when the strength, the dose or
 * the frequency cannot be read. Without a strength (a medicine named without a product) only
 * a dose given in mg or units can be counted, for a single ingredient. */
guint
_rx_safety_daily_amounts (const char   *strength,
                          const char   *dose_text,
                          const char   *frequency_text,
                          const char   *instructions,
                          double       *amounts,
                          RxAmountKind *kinds,
                          guint         max_parts)
{
  RxStrengthPart parts[RX_SAFETY_MAX_PARTS];
  RxDose dose, max;
  double per_day;
  guint n;

  if (!_rx_safety_parse_dose (dose_text ? dose_text : instructions, &dose) &&
      dose_text != NULL)
    _rx_safety_parse_dose (instructions, &dose);

  if (_rx_safety_parse_daily_max (instructions, &max) ||
      _rx_safety_parse_daily_max (frequency_text, &max) ||
      _rx_safety_parse_daily_max (dose_text, &max))
    {
      if (max.kind == RX_DOSE_NONE)
        max.kind = dose.kind != RX_DOSE_NONE ? dose.kind : RX_DOSE_COUNT;
      dose = max;
      per_day = 1;
    }
  else
    {
      per_day = _rx_safety_parse_frequency (frequency_text ? frequency_text : instructions);
      if (per_day <= 0 && frequency_text != NULL)
        per_day = _rx_safety_parse_frequency (instructions);
    }

  if (dose.kind == RX_DOSE_NONE || dose.quantity <= 0 || per_day <= 0)
    return 0;

  n = _rx_safety_parse_strength (strength, parts, MIN (max_parts, RX_SAFETY_MAX_PARTS));
  if (n == 0)
    {
      if (strength != NULL || max_parts < 1 ||
          (dose.kind != RX_DOSE_MASS && dose.kind != RX_DOSE_UNITS))
        return 0;
      amounts[0] = dose.quantity * per_day;
      kinds[0] = dose.kind == RX_DOSE_MASS ? RX_AMOUNT_MASS : RX_AMOUNT_UNITS;
      return 1;
    }

  for (guint i = 0; i < n; i++)
    {
      double ratio;

      switch (dose.kind)
        {
        case RX_DOSE_MASS:
        case RX_DOSE_UNITS:
          /* a dose in mg names the first ingredient; the others follow in proportion */
          if (parts[0].kind != (dose.kind == RX_DOSE_MASS ? RX_AMOUNT_MASS : RX_AMOUNT_UNITS))
            return 0;
          ratio = dose.quantity / parts[0].amount;
          amounts[i] = parts[i].amount * ratio;
          break;

        case RX_DOSE_COUNT:
          if (parts[i].per != RX_PER_EACH && parts[i].per != RX_PER_DOSE)
            return 0;
          amounts[i] = parts[i].amount * dose.quantity / parts[i].per_quantity;
          break;

        case RX_DOSE_VOLUME:
          if (parts[i].per != RX_PER_ML)
            return 0;
          amounts[i] = parts[i].amount * dose.quantity / parts[i].per_quantity;
          break;

        case RX_DOSE_NONE:
        default:
          return 0;
        }

      if (parts[i].kind == RX_AMOUNT_OTHER)
        return 0;
      amounts[i] *= per_day;
      kinds[i] = parts[i].kind;
    }

  return n;
}

/* "4 g", "7.5 mg", "250 micrograms", "4000 units" */
char *
_rx_safety_format_amount (double       amount,
                          RxAmountKind kind)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const char *unit = "mg";

  if (kind == RX_AMOUNT_UNITS)
    unit = "units";
  else if (amount >= 1000)
    {
      amount /= 1000;
      unit = "g";
    }
  else if (amount > 0 && amount < 1)
    {
      amount *= 1000;
      unit = "micrograms";
    }

  g_ascii_formatd (buf, sizeof buf, "%.4g", amount);
  return g_strdup_printf ("%s %s", buf, unit);
}
