/* rx-safety-alert.c: one finding of the prescribing safety checks (see rx-safety-alert.h). */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-safety-alert.h"

struct _RxSafetyAlert
{
  GObject           parent_instance;

  RxSafetyKind      kind;
  RxSafetySeverity  severity;
  GStrv             drugs;
  char             *message;
};

G_DEFINE_FINAL_TYPE (RxSafetyAlert, rx_safety_alert, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_SEVERITY,
  PROP_DRUGS,
  PROP_MESSAGE,
  PROP_NEEDS_OVERRIDE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const kind_names[] = { "interaction", "allergy", "duplicate", "dose", NULL };
static const char * const severity_names[] = {
  "minor", "moderate", "major", "contraindicated", NULL
};

const char *
rx_safety_kind_to_string (RxSafetyKind kind)
{
  g_return_val_if_fail (kind <= RX_SAFETY_DOSE, NULL);
  return kind_names[kind];
}

const char *
rx_safety_severity_to_string (RxSafetySeverity severity)
{
  g_return_val_if_fail (severity <= RX_SAFETY_CONTRAINDICATED, NULL);
  return severity_names[severity];
}

gboolean
rx_safety_severity_from_string (const char       *text,
                                RxSafetySeverity *severity)
{
  for (guint i = 0; severity_names[i]; i++)
    if (g_strcmp0 (text, severity_names[i]) == 0)
      {
        *severity = i;
        return TRUE;
      }
  return FALSE;
}

static void
rx_safety_alert_finalize (GObject *object)
{
  RxSafetyAlert *self = (RxSafetyAlert *) object;

  g_strfreev (self->drugs);
  g_free (self->message);

  G_OBJECT_CLASS (rx_safety_alert_parent_class)->finalize (object);
}

static void
rx_safety_alert_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RxSafetyAlert *self = RX_SAFETY_ALERT (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_string (value, rx_safety_kind_to_string (self->kind));
      break;

    case PROP_SEVERITY:
      g_value_set_string (value, rx_safety_severity_to_string (self->severity));
      break;

    case PROP_DRUGS:
      g_value_set_boxed (value, self->drugs);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    case PROP_NEEDS_OVERRIDE:
      g_value_set_boolean (value, rx_safety_alert_needs_override (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_safety_alert_class_init (RxSafetyAlertClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rx_safety_alert_finalize;
  object_class->get_property = rx_safety_alert_get_property;

  /* Read-only and fixed at creation, so that a list view can bind to them directly. */
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEVERITY] =
    g_param_spec_string ("severity", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DRUGS] =
    g_param_spec_boxed ("drugs", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEEDS_OVERRIDE] =
    g_param_spec_boolean ("needs-override", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_safety_alert_init (RxSafetyAlert *self)
{
}

RxSafetyAlert *
rx_safety_alert_new (RxSafetyKind        kind,
                     RxSafetySeverity    severity,
                     const char * const *drugs,
                     const char         *message)
{
  RxSafetyAlert *self;

  g_return_val_if_fail (kind <= RX_SAFETY_DOSE, NULL);
  g_return_val_if_fail (severity <= RX_SAFETY_CONTRAINDICATED, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  self = g_object_new (RX_TYPE_SAFETY_ALERT, NULL);
  self->kind = kind;
  self->severity = severity;
  self->drugs = g_strdupv ((char **) drugs);
  if (self->drugs == NULL)
    self->drugs = g_new0 (char *, 1);
  self->message = g_strdup (message);

  return self;
}

RxSafetyKind
rx_safety_alert_get_kind (RxSafetyAlert *self)
{
  g_return_val_if_fail (RX_IS_SAFETY_ALERT (self), RX_SAFETY_INTERACTION);
  return self->kind;
}

RxSafetySeverity
rx_safety_alert_get_severity (RxSafetyAlert *self)
{
  g_return_val_if_fail (RX_IS_SAFETY_ALERT (self), RX_SAFETY_MINOR);
  return self->severity;
}

/**
 * rx_safety_alert_get_drugs:
 *
 * Returns: (transfer none): the generic names of the medicines the alert is about
 */
const char * const *
rx_safety_alert_get_drugs (RxSafetyAlert *self)
{
  g_return_val_if_fail (RX_IS_SAFETY_ALERT (self), NULL);
  return (const char * const *) self->drugs;
}

const char *
rx_safety_alert_get_message (RxSafetyAlert *self)
{
  g_return_val_if_fail (RX_IS_SAFETY_ALERT (self), NULL);
  return self->message;
}

/* Contraindicated and major alerts stop a prescription until the prescriber gives a reason. */
gboolean
rx_safety_alert_needs_override (RxSafetyAlert *self)
{
  g_return_val_if_fail (RX_IS_SAFETY_ALERT (self), FALSE);
  return self->severity >= RX_SAFETY_MAJOR;
}

/* "major interaction: warfarin + ibuprofen: NSAIDs add ..." — one line, as stored with an
 * override and printed by the command line. */
char *
rx_safety_alert_dup_summary (RxSafetyAlert *self)
{
  g_autofree char *drugs = NULL;

  g_return_val_if_fail (RX_IS_SAFETY_ALERT (self), NULL);

  drugs = g_strjoinv (" + ", self->drugs);
  return g_strdup_printf ("%s %s: %s%s%s", rx_safety_severity_to_string (self->severity),
                          rx_safety_kind_to_string (self->kind), drugs, *drugs ? ": " : "",
                          self->message);
}
