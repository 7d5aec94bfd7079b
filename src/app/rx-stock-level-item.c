/* rx-stock-level-item.c: one row of the inventory list, with its figures as the text the
 * columns show, so that the list binds to properties and updates when a page arrives. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-format.h"
#include "rx-stock-level-item.h"

struct _RxStockLevelItem
{
  GObject        parent_instance;

  guint          position;
  RxStockLevel  *level;         /* NULL until loaded */
  RxExpiryState  expiry_state;
  char          *on_hand;
  char          *value;
  char          *reorder;
  char          *expiry;
};

G_DEFINE_FINAL_TYPE (RxStockLevelItem, rx_stock_level_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_NAME,
  PROP_CODE,
  PROP_ON_HAND,
  PROP_VALUE,
  PROP_REORDER,
  PROP_EXPIRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

RxStockLevelItem *
rx_stock_level_item_new (guint position)
{
  RxStockLevelItem *self = g_object_new (RX_TYPE_STOCK_LEVEL_ITEM, NULL);

  self->position = position;
  return self;
}

guint
rx_stock_level_item_get_position (RxStockLevelItem *self)
{
  g_return_val_if_fail (RX_IS_STOCK_LEVEL_ITEM (self), 0);
  return self->position;
}

gboolean
rx_stock_level_item_get_loaded (RxStockLevelItem *self)
{
  g_return_val_if_fail (RX_IS_STOCK_LEVEL_ITEM (self), FALSE);
  return self->level != NULL;
}

/* The figures, or NULL while they are being read. */
const RxStockLevel *
rx_stock_level_item_get_level (RxStockLevelItem *self)
{
  g_return_val_if_fail (RX_IS_STOCK_LEVEL_ITEM (self), NULL);
  return self->level;
}

RxExpiryState
rx_stock_level_item_get_expiry_state (RxStockLevelItem *self)
{
  g_return_val_if_fail (RX_IS_STOCK_LEVEL_ITEM (self), RX_EXPIRY_NONE);
  return self->expiry_state;
}

/* Fills the row; @today and @soon (YYYY-MM-DD) say which lots are expired or nearly. */
void
rx_stock_level_item_set_level (RxStockLevelItem   *self,
                               const RxStockLevel *level,
                               const char         *today,
                               const char         *soon)
{
  g_return_if_fail (RX_IS_STOCK_LEVEL_ITEM (self));
  g_return_if_fail (level != NULL);

  g_clear_pointer (&self->level, rx_stock_level_free);
  self->level = rx_stock_level_copy (level);

  g_free (self->on_hand);
  self->on_hand = level->on_hand != 0 ? rx_format_quantity (level->on_hand) : g_strdup ("—");
  g_free (self->value);
  self->value = level->value_minor > 0 ? rx_format_money (level->value_minor, 2, NULL)
                                       : g_strdup ("—");
  g_free (self->reorder);
  if (level->reorder_level <= 0)
    self->reorder = g_strdup ("—");
  else if (level->on_hand - level->expired <= level->reorder_level)
    /* Translators: a reorder level that has been reached, e.g. "100 (reorder)" */
    self->reorder = g_strdup_printf (_("%lld (reorder)"), (long long) level->reorder_level);
  else
    self->reorder = rx_format_quantity (level->reorder_level);

  g_free (self->expiry);
  if (level->expired > 0)
    {
      self->expiry_state = RX_EXPIRY_EXPIRED;
      /* Translators: expired stock still on the shelf, e.g. "10 expired" */
      self->expiry = g_strdup_printf (_("%lld expired"), (long long) level->expired);
    }
  else if (level->nearest_expiry != NULL)
    {
      g_autofree char *date = rx_format_date (level->nearest_expiry);

      self->expiry_state = g_strcmp0 (level->nearest_expiry, soon) <= 0 ? RX_EXPIRY_SOON
                                                                          : RX_EXPIRY_NONE;
      self->expiry = self->expiry_state == RX_EXPIRY_SOON
        /* Translators: a lot that expires within 90 days, e.g. "12 Jan 2027, soon" */
        ? g_strdup_printf (_("%s, soon"), date)
        : g_steal_pointer (&date);
    }
  else
    {
      self->expiry_state = RX_EXPIRY_NONE;
      self->expiry = g_strdup ("—");
    }

  for (guint i = PROP_LOADED; i < N_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
}

static void
rx_stock_level_item_finalize (GObject *object)
{
  RxStockLevelItem *self = (RxStockLevelItem *) object;

  g_clear_pointer (&self->level, rx_stock_level_free);
  g_free (self->on_hand);
  g_free (self->value);
  g_free (self->reorder);
  g_free (self->expiry);
  G_OBJECT_CLASS (rx_stock_level_item_parent_class)->finalize (object);
}

static void
rx_stock_level_item_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RxStockLevelItem *self = RX_STOCK_LEVEL_ITEM (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->level != NULL);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->level ? self->level->product_name : "…");
      break;
    case PROP_CODE:
      g_value_set_string (value, self->level ? self->level->product_code : "");
      break;
    case PROP_ON_HAND:
      g_value_set_string (value, self->on_hand ? self->on_hand : "");
      break;
    case PROP_VALUE:
      g_value_set_string (value, self->value ? self->value : "");
      break;
    case PROP_REORDER:
      g_value_set_string (value, self->reorder ? self->reorder : "");
      break;
    case PROP_EXPIRY:
      g_value_set_string (value, self->expiry ? self->expiry : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_stock_level_item_class_init (RxStockLevelItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = rx_stock_level_item_finalize;
  object_class->get_property = rx_stock_level_item_get_property;

  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_CODE] = g_param_spec_string ("code", NULL, NULL, NULL, flags);
  properties[PROP_ON_HAND] = g_param_spec_string ("on-hand", NULL, NULL, NULL, flags);
  properties[PROP_VALUE] = g_param_spec_string ("value", NULL, NULL, NULL, flags);
  properties[PROP_REORDER] = g_param_spec_string ("reorder", NULL, NULL, NULL, flags);
  properties[PROP_EXPIRY] = g_param_spec_string ("expiry", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_stock_level_item_init (RxStockLevelItem *self)
{
}
