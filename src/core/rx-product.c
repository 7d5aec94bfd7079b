/* rx-product.c: one product of the formulary, as search results and pickers show it. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-product.h"

struct _RxProduct
{
  GObject    parent_instance;

  char      *id;
  char      *code;
  char      *drug_id;
  char      *inn;
  char      *atc;
  char      *form;
  char      *strength;
  char      *route;
  char      *synonyms;
  gboolean   rx_only;
  gboolean   controlled;
  gboolean   eml;
  gint64     reorder_level;
  gint64     on_hand;
  char      *nearest_expiry;
  GPtrArray *packs;
};

G_DEFINE_FINAL_TYPE (RxProduct, rx_product, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (RxPack, rx_pack, rx_pack_copy, rx_pack_free)

enum {
  PROP_0,
  PROP_ID,
  PROP_INN,
  PROP_ATC,
  PROP_FORM,
  PROP_STRENGTH,
  PROP_ROUTE,
  PROP_DISPLAY_NAME,
  PROP_RX_ONLY,
  PROP_CONTROLLED,
  PROP_ON_HAND,
  PROP_NEAREST_EXPIRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

RxPack *
rx_pack_copy (const RxPack *pack)
{
  RxPack *copy = g_new0 (RxPack, 1);

  copy->id = g_strdup (pack->id);
  copy->size = pack->size;
  copy->unit = g_strdup (pack->unit);
  copy->price_minor = pack->price_minor;

  return copy;
}

void
rx_pack_free (RxPack *pack)
{
  if (pack == NULL)
    return;

  g_free (pack->id);
  g_free (pack->unit);
  g_free (pack);
}

static void
rx_product_finalize (GObject *object)
{
  RxProduct *self = (RxProduct *) object;

  g_free (self->id);
  g_free (self->code);
  g_free (self->drug_id);
  g_free (self->inn);
  g_free (self->atc);
  g_free (self->form);
  g_free (self->strength);
  g_free (self->route);
  g_free (self->synonyms);
  g_free (self->nearest_expiry);
  g_clear_pointer (&self->packs, g_ptr_array_unref);

  G_OBJECT_CLASS (rx_product_parent_class)->finalize (object);
}

static void
rx_product_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RxProduct *self = RX_PRODUCT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_INN:
      g_value_set_string (value, self->inn);
      break;

    case PROP_ATC:
      g_value_set_string (value, self->atc);
      break;

    case PROP_FORM:
      g_value_set_string (value, self->form);
      break;

    case PROP_STRENGTH:
      g_value_set_string (value, self->strength);
      break;

    case PROP_ROUTE:
      g_value_set_string (value, self->route);
      break;

    case PROP_DISPLAY_NAME:
      g_value_take_string (value, rx_product_dup_display_name (self));
      break;

    case PROP_RX_ONLY:
      g_value_set_boolean (value, self->rx_only);
      break;

    case PROP_CONTROLLED:
      g_value_set_boolean (value, self->controlled);
      break;

    case PROP_ON_HAND:
      g_value_set_int64 (value, self->on_hand);
      break;

    case PROP_NEAREST_EXPIRY:
      g_value_set_string (value, self->nearest_expiry);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_product_class_init (RxProductClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rx_product_finalize;
  object_class->get_property = rx_product_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_INN] = g_param_spec_string ("inn", NULL, NULL, NULL, flags);
  properties[PROP_ATC] = g_param_spec_string ("atc", NULL, NULL, NULL, flags);
  properties[PROP_FORM] = g_param_spec_string ("form", NULL, NULL, NULL, flags);
  properties[PROP_STRENGTH] = g_param_spec_string ("strength", NULL, NULL, NULL, flags);
  properties[PROP_ROUTE] = g_param_spec_string ("route", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_RX_ONLY] = g_param_spec_boolean ("rx-only", NULL, NULL, FALSE, flags);
  properties[PROP_CONTROLLED] = g_param_spec_boolean ("controlled", NULL, NULL, FALSE, flags);
  properties[PROP_ON_HAND] = g_param_spec_int64 ("on-hand", NULL, NULL,
                                                 -1, G_MAXINT64, -1, flags);
  properties[PROP_NEAREST_EXPIRY] = g_param_spec_string ("nearest-expiry", NULL, NULL, NULL,
                                                         flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_product_init (RxProduct *self)
{
  self->on_hand = -1;
  self->packs = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_pack_free);
}

/* columns: id, code, drug_id, inn, atc, form, strength, route, synonyms, rx_only,
 * controlled, eml, reorder_level (as text, straight from the query) */
RxProduct *
_rx_product_new (const char * const *c)
{
  RxProduct *self = g_object_new (RX_TYPE_PRODUCT, NULL);

  self->id = g_strdup (c[0]);
  self->code = g_strdup (c[1]);
  self->drug_id = g_strdup (c[2]);
  self->inn = g_strdup (c[3]);
  self->atc = g_strdup (c[4]);
  self->form = g_strdup (c[5]);
  self->strength = g_strdup (c[6]);
  self->route = g_strdup (c[7]);
  self->synonyms = g_strdup (c[8] ? c[8] : "");
  self->rx_only = g_strcmp0 (c[9], "1") == 0;
  self->controlled = g_strcmp0 (c[10], "1") == 0;
  self->eml = g_strcmp0 (c[11], "1") == 0;
  self->reorder_level = c[12] ? g_ascii_strtoll (c[12], NULL, 10) : 0;

  return self;
}

void
_rx_product_set_stock (RxProduct  *self,
                       gint64      on_hand,
                       const char *nearest_expiry)
{
  self->on_hand = on_hand;
  g_free (self->nearest_expiry);
  self->nearest_expiry = g_strdup (nearest_expiry);
}

void
_rx_product_add_pack (RxProduct *self,
                      RxPack    *pack)
{
  g_ptr_array_add (self->packs, pack);
}

#define GETTER(type, name, field) \
  type rx_product_get_##name (RxProduct *self) \
  { \
    g_return_val_if_fail (RX_IS_PRODUCT (self), (type) 0); \
    return self->field; \
  }

GETTER (const char *, id, id)
GETTER (const char *, code, code)
GETTER (const char *, drug_id, drug_id)
GETTER (const char *, inn, inn)
GETTER (const char *, atc, atc)
GETTER (const char *, form, form)
GETTER (const char *, strength, strength)
GETTER (const char *, route, route)
GETTER (const char *, synonyms, synonyms)
GETTER (gboolean, rx_only, rx_only)
GETTER (gboolean, controlled, controlled)
GETTER (gboolean, eml, eml)
GETTER (gint64, reorder_level, reorder_level)
GETTER (gint64, on_hand, on_hand)
GETTER (const char *, nearest_expiry, nearest_expiry)
GETTER (GPtrArray *, packs, packs)

#undef GETTER

/* "amoxicillin 500 mg capsule": what a prescriber reads on a line. */
char *
rx_product_dup_display_name (RxProduct *self)
{
  g_return_val_if_fail (RX_IS_PRODUCT (self), NULL);

  return g_strdup_printf ("%s %s %s", self->inn, self->strength, self->form);
}
