/* rx-sig.c: the directions for one prescribed medicine, and the quantity they add up to.
 * The words written to the prescription ("1 tablet", "TDS", "every 6 hours", "as needed")
 * are the ones the safety checks read back to add up a day's dose. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "rx-sig.h"

static const struct
{
  const char *code;   /* stored on the prescription, read by the safety checks */
  const char *label;  /* shown to the prescriber */
  double      per_day;
} frequencies[RX_SIG_N_FREQUENCIES] = {
  [RX_SIG_ONCE_DAILY] = { "once daily", N_("Once daily"), 1 },
  [RX_SIG_TWICE_DAILY] = { "BD", N_("Twice daily (BD)"), 2 },
  [RX_SIG_THREE_TIMES_DAILY] = { "TDS", N_("Three times daily (TDS)"), 3 },
  [RX_SIG_FOUR_TIMES_DAILY] = { "QDS", N_("Four times daily (QDS)"), 4 },
  [RX_SIG_EVERY_N_HOURS] = { "every %u hours", N_("Every N hours"), 0 },
  [RX_SIG_AS_NEEDED] = { "as needed", N_("As needed (PRN)"), 0 },
};

/* The unit a dose of this form is counted in: "film-coated tablet" is taken as tablets. */
static const char *
unit_for_form (const char *form)
{
  static const struct { const char *word; const char *unit; } units[] = {
    { "tablet", "tablet" }, { "capsule", "capsule" }, { "sachet", "sachet" },
    { "suppositor", "suppository" }, { "pessar", "pessary" }, { "patch", "patch" },
    { "lozenge", "lozenge" }, { "inhal", "puff" }, { "spray", "spray" },
    { "drops", "drop" }, { "suspension", "mL" }, { "syrup", "mL" }, { "solution", "mL" },
    { "injection", "mL" }, { "elixir", "mL" }, { "liquid", "mL" }, { "cream", "application" },
    { "ointment", "application" }, { "gel", "application" }, { "lotion", "application" },
  };

  for (guint i = 0; form != NULL && i < G_N_ELEMENTS (units); i++)
    if (strstr (form, units[i].word) != NULL)
      return units[i].unit;

  return "dose";
}

/**
 * rx_sig_new:
 * @form: (nullable): the product's form, e.g. "film-coated tablet"
 * @route: (nullable): the product's route, e.g. "oral"
 * @pack_unit: (nullable): what the product's packs count, e.g. "tablet", "syringe"
 *
 * Returns: one unit once daily for seven days, the usual start of a prescriber's edit
 */
RxSig *
rx_sig_new (const char *form,
            const char *route,
            const char *pack_unit)
{
  RxSig *sig = g_new0 (RxSig, 1);
  const char *unit = unit_for_form (form);

  /* An injection comes in syringes, ampoules or vials: one of those is the usual dose. */
  if (form != NULL && strstr (form, "injection") != NULL && pack_unit != NULL &&
      g_strcmp0 (pack_unit, "mL") != 0)
    unit = pack_unit;

  sig->dose = 1;
  sig->unit = g_strdup (unit);
  sig->pack_unit = g_strdup (pack_unit);
  if (g_strcmp0 (sig->unit, "mL") == 0)
    sig->dose = 5;
  sig->route = g_strdup (route != NULL && *route != '\0' ? route : "oral");
  sig->frequency = RX_SIG_ONCE_DAILY;
  sig->every_hours = 6;
  sig->duration_days = 7;
  rx_sig_update_quantity (sig);

  return sig;
}

RxSig *
rx_sig_copy (const RxSig *sig)
{
  RxSig *copy = g_memdup2 (sig, sizeof *sig);

  copy->unit = g_strdup (sig->unit);
  copy->pack_unit = g_strdup (sig->pack_unit);
  copy->route = g_strdup (sig->route);
  copy->instructions = g_strdup (sig->instructions);

  return copy;
}

void
rx_sig_free (RxSig *sig)
{
  if (sig == NULL)
    return;

  g_free (sig->unit);
  g_free (sig->pack_unit);
  g_free (sig->route);
  g_free (sig->instructions);
  g_free (sig);
}

const char *
rx_sig_frequency_label (RxSigFrequency frequency)
{
  g_return_val_if_fail (frequency < RX_SIG_N_FREQUENCIES, NULL);
  return _(frequencies[frequency].label);
}

/* The words stored for a preset; for every N hours a format with one %u. */
const char *
rx_sig_frequency_code (RxSigFrequency frequency)
{
  g_return_val_if_fail (frequency < RX_SIG_N_FREQUENCIES, NULL);
  return frequencies[frequency].code;
}

/* How many doses a day the directions give; as needed counts its daily most, or 0. */
double
rx_sig_doses_per_day (const RxSig *sig)
{
  g_return_val_if_fail (sig != NULL, 0);

  switch (sig->frequency)
    {
    case RX_SIG_EVERY_N_HOURS:
      return sig->every_hours > 0 ? 24.0 / sig->every_hours : 0;
    case RX_SIG_AS_NEEDED:
      return sig->max_per_day;
    case RX_SIG_ONCE_DAILY:
    case RX_SIG_TWICE_DAILY:
    case RX_SIG_THREE_TIMES_DAILY:
    case RX_SIG_FOUR_TIMES_DAILY:
      return frequencies[sig->frequency].per_day;
    case RX_SIG_N_FREQUENCIES:
    default:
      g_return_val_if_reached (0);
    }
}

/* Whether doses in @unit are whole things a pharmacy counts out (tablets, mL), rather than
 * applications of a cream that come as one tube. */
gboolean
rx_sig_unit_is_countable (const char *unit)
{
  return unit != NULL && g_strcmp0 (unit, "application") != 0 && g_strcmp0 (unit, "dose") != 0 &&
         g_strcmp0 (unit, "mg") != 0 && g_strcmp0 (unit, "g") != 0 &&
         g_strcmp0 (unit, "micrograms") != 0;
}

/* What the directions need for the whole duration, rounded up; 0 when it cannot be known
 * (as needed without a daily most, no duration, a dose in mg). */
gint64
rx_sig_compute_quantity (const RxSig *sig)
{
  double per_day;

  g_return_val_if_fail (sig != NULL, 0);

  /* Puffs do not add up to inhalers without knowing how many one holds. */
  per_day = rx_sig_doses_per_day (sig);
  if (!rx_sig_unit_is_countable (sig->unit) || per_day <= 0 || sig->duration_days == 0 ||
      sig->dose <= 0 || (sig->pack_unit != NULL && g_strcmp0 (sig->pack_unit, sig->unit) != 0))
    return 0;

  /* 1e-9: 0.5 tablet × 3 × 7 must be 11 (10.5 up), and 1/3 × 3 not 1.0000001 up to 2. */
  return (gint64) ceil (sig->dose * per_day * sig->duration_days - 1e-9);
}

/* Recomputes the quantity unless the prescriber typed their own. */
void
rx_sig_update_quantity (RxSig *sig)
{
  gint64 computed;

  g_return_if_fail (sig != NULL);

  if (sig->quantity_set)
    return;
  computed = rx_sig_compute_quantity (sig);
  sig->quantity = computed > 0 ? computed : MAX (sig->quantity, 1);
}

static char *
format_number (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (fabs (value - round (value)) < 1e-9)
    return g_strdup_printf ("%.0f", value);
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.2g", value));
}

/* "1 tablet", "2 tablets", "5 mL", "0.5 tablet": as stored and as the checks read it. */
char *
rx_sig_dup_dose (const RxSig *sig)
{
  g_autofree char *number = NULL;
  gboolean plural;

  g_return_val_if_fail (sig != NULL, NULL);

  number = format_number (sig->dose);
  plural = sig->dose > 1 + 1e-9 && rx_sig_unit_is_countable (sig->unit) &&
           g_strcmp0 (sig->unit, "mL") != 0;
  if (g_strcmp0 (sig->unit, "suppository") == 0 && plural)
    return g_strdup_printf ("%s suppositories", number);
  if (g_strcmp0 (sig->unit, "pessary") == 0 && plural)
    return g_strdup_printf ("%s pessaries", number);
  if (g_strcmp0 (sig->unit, "patch") == 0 && plural)
    return g_strdup_printf ("%s patches", number);
  return g_strdup_printf ("%s %s%s", number, sig->unit, plural ? "s" : "");
}

/* "TDS", "every 6 hours", "as needed": the stored frequency. */
char *
rx_sig_dup_frequency (const RxSig *sig)
{
  g_return_val_if_fail (sig != NULL, NULL);

  if (sig->frequency == RX_SIG_EVERY_N_HOURS)
    return g_strdup_printf ("every %u hours", sig->every_hours);
  if (sig->frequency == RX_SIG_AS_NEEDED && sig->max_per_day > 0)
    return g_strdup_printf ("as needed, max %u doses in 24 hours", sig->max_per_day);
  return g_strdup (frequencies[sig->frequency].code);
}

/* What the patient reads: "1 tablet TDS, oral, for 7 days. With food." */
char *
rx_sig_dup_directions (const RxSig *sig)
{
  g_autofree char *dose = NULL;
  g_autofree char *frequency = NULL;
  GString *text;

  g_return_val_if_fail (sig != NULL, NULL);

  dose = rx_sig_dup_dose (sig);
  frequency = rx_sig_dup_frequency (sig);
  text = g_string_new (NULL);
  g_string_append_printf (text, "%s %s, %s", dose, frequency, sig->route);
  if (sig->duration_days > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, ", for %u day", ", for %u days",
                                               sig->duration_days),
                            sig->duration_days);
  if (sig->instructions != NULL && *sig->instructions != '\0')
    g_string_append_printf (text, ". %s", sig->instructions);

  return g_string_free (text, FALSE);
}

/* What stops these directions being prescribed, in words for the prescriber, or NULL. */
char *
rx_sig_dup_problem (const RxSig *sig)
{
  g_return_val_if_fail (sig != NULL, NULL);

  if (sig->dose <= 0)
    return g_strdup (_("Give a dose greater than zero"));
  if (sig->frequency == RX_SIG_EVERY_N_HOURS && (sig->every_hours < 1 || sig->every_hours > 24))
    return g_strdup (_("Every N hours needs N from 1 to 24"));
  if (sig->quantity <= 0)
    return g_strdup (_("Give the quantity to supply"));
  if (sig->repeats > 12)
    return g_strdup (_("At most 12 repeats"));
  return NULL;
}

/* Reads a stored frequency back into a preset ("TDS", "every 8 hours", "as needed"), so a
 * prescription can be written again from an old one. Unknown words leave once daily. */
void
rx_sig_parse_frequency (RxSig      *sig,
                        const char *text)
{
  guint64 hours;

  g_return_if_fail (sig != NULL);

  sig->frequency = RX_SIG_ONCE_DAILY;
  if (text == NULL)
    return;
  for (guint i = 0; i < RX_SIG_N_FREQUENCIES; i++)
    if (g_ascii_strcasecmp (text, frequencies[i].code) == 0)
      sig->frequency = i;
  if (g_str_has_prefix (text, "as needed"))
    {
      const char *max = strstr (text, "max ");

      sig->frequency = RX_SIG_AS_NEEDED;
      sig->max_per_day = max != NULL ? (guint) g_ascii_strtoull (max + 4, NULL, 10) : 0;
    }
  else if (g_str_has_prefix (text, "every ") &&
           (hours = g_ascii_strtoull (text + 6, NULL, 10)) >= 1 && hours <= 24)
    {
      sig->frequency = RX_SIG_EVERY_N_HOURS;
      sig->every_hours = hours;
    }
}

/* Reads "2 tablets", "5 mL" back into a dose and a unit. */
void
rx_sig_parse_dose (RxSig      *sig,
                   const char *text)
{
  char *end = NULL;
  double dose;

  g_return_if_fail (sig != NULL);

  if (text == NULL)
    return;
  dose = g_ascii_strtod (text, &end);
  if (end == text || dose <= 0)
    return;
  sig->dose = dose;
  end = g_strstrip (g_strdup (end));
  if (*end != '\0')
    {
      gsize len = strlen (end);

      /* "tablets" is counted in tablet; "suppositories" and friends keep their word. */
      if (len > 1 && end[len - 1] == 's' && g_strcmp0 (end, "mL") != 0)
        end[len - 1] = '\0';
      g_free (sig->unit);
      sig->unit = end;
    }
  else
    g_free (end);
}
