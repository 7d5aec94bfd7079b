/* rx-chat-answer.c: the assistant's replies, from translatable templates. Money is always
 * given from minor units. ATC group names come from data/chat/atc-groups.json. */
#define G_LOG_DOMAIN "rx-chat"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "rx-chat-answer.h"

struct _RxChatAnswer
{
  GHashTable *atc;   /* "J01C" -> "beta-lactam antibacterials, penicillins" */
};

RxChatAnswer *
rx_chat_answer_new (const char  *atc_json,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(RxChatAnswer) self = g_new0 (RxChatAnswer, 1);
  g_autoptr(GList) codes = NULL;
  JsonObject *root;

  self->atc = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!json_parser_load_from_file (parser, atc_json, error))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  if (root == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s is not an object of ATC codes and group names", atc_json);
      return NULL;
    }
  codes = json_object_get_members (root);
  for (GList *l = codes; l; l = l->next)
    g_hash_table_insert (self->atc, g_strdup (l->data),
                         g_strdup (json_object_get_string_member (root, l->data)));
  return g_steal_pointer (&self);
}

void
rx_chat_answer_free (RxChatAnswer *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->atc, g_hash_table_unref);
  g_free (self);
}

/* The name of the group at level 4 (5 characters) if the table has it, else level 3. */
const char *
rx_chat_answer_atc_group (RxChatAnswer *self,
                          const char   *atc)
{
  char key[6] = { 0 };
  const char *name;

  if (atc == NULL || strlen (atc) < 4)
    return NULL;
  g_strlcpy (key, atc, sizeof key);
  if ((name = g_hash_table_lookup (self->atc, key)) != NULL)
    return name;
  key[4] = '\0';
  return g_hash_table_lookup (self->atc, key);
}

char *
rx_chat_format_money (gint64 minor)
{
  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02" G_GINT64_FORMAT,
                          minor < 0 ? "-" : "", ABS (minor) / 100, ABS (minor) % 100);
}

/* The cheapest pack of PRODUCT with a price, or -1 when none has one. */
gint64
rx_chat_cheapest_pack (RxProduct  *product,
                       RxPack    **pack)
{
  GPtrArray *packs = rx_product_get_packs (product);
  gint64 best = -1;

  for (guint i = 0; packs && i < packs->len; i++)
    {
      RxPack *p = packs->pdata[i];

      if (p->price_minor > 0 && (best < 0 || p->price_minor < best))
        {
          best = p->price_minor;
          if (pack)
            *pack = p;
        }
    }
  return best;
}

static char *
product_label (RxProduct *p)
{
  return g_strdup_printf ("%s %s", rx_product_get_form (p), rx_product_get_strength (p));
}

char *
rx_chat_answer_drug_info (RxChatAnswer *self,
                          GListModel   *products)
{
  g_autoptr(RxProduct) first = g_list_model_get_item (products, 0);
  g_autoptr(GString) forms = g_string_new (NULL);
  GString *out = g_string_new (NULL);
  const char *group = rx_chat_answer_atc_group (self, rx_product_get_atc (first));
  guint n = g_list_model_get_n_items (products);

  if (group != NULL)
    g_string_append_printf (out, _("%s belongs to the group “%s” (ATC %s)."),
                            rx_product_get_inn (first), group, rx_product_get_atc (first));
  else
    g_string_append_printf (out, _("%s has the ATC code %s."),
                            rx_product_get_inn (first), rx_product_get_atc (first));

  for (guint i = 0; i < n && i < 8; i++)
    {
      g_autoptr(RxProduct) p = g_list_model_get_item (products, i);
      g_autofree char *label = product_label (p);

      g_string_append_printf (forms, "%s%s", i ? ", " : "", label);
    }
  g_string_append_printf (out, " ");
  g_string_append_printf (out, _("We stock it as: %s."), forms->str);
  g_string_append_c (out, ' ');
  if (rx_product_get_controlled (first))
    g_string_append (out, _("It is a controlled medicine: it needs a signed prescription."));
  else if (rx_product_get_rx_only (first))
    g_string_append (out, _("It needs a prescription."));
  else
    g_string_append (out, _("It can be bought without a prescription."));
  g_string_append_c (out, ' ');
  g_string_append (out, _("Ask a pharmacist or doctor how to take it."));
  return g_string_free (out, FALSE);
}

char *
rx_chat_answer_price (RxChatAnswer *self,
                      GListModel   *products)
{
  RxProduct *cheapest = NULL;
  RxPack *best_pack = NULL;
  gint64 best = -1;
  guint n = g_list_model_get_n_items (products);
  g_autofree char *money = NULL;
  g_autofree char *label = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RxProduct) p = g_list_model_get_item (products, i);
      RxPack *pack = NULL;
      gint64 price = rx_chat_cheapest_pack (p, &pack);

      if (price > 0 && (best < 0 || price < best))
        {
          best = price;
          best_pack = pack;
          g_set_object (&cheapest, p);
        }
    }
  if (cheapest == NULL)
    {
      g_autoptr(RxProduct) first = g_list_model_get_item (products, 0);

      return g_strdup_printf (_("We have no price for %s yet; please ask at the counter."),
                              rx_product_get_inn (first));
    }

  money = rx_chat_format_money (best);
  label = product_label (cheapest);
  {
    char *reply = g_strdup_printf (_("The cheapest %s is %s: %" G_GINT64_FORMAT
                                     " × %s for %s."),
                                   rx_product_get_inn (cheapest), label, best_pack->size,
                                   best_pack->unit, money);

    g_object_unref (cheapest);
    return reply;
  }
}

char *
rx_chat_answer_availability (RxChatAnswer *self,
                             GListModel   *products)
{
  g_autoptr(RxProduct) first = g_list_model_get_item (products, 0);
  g_autoptr(GString) lines = g_string_new (NULL);
  guint n = g_list_model_get_n_items (products);
  gint64 total = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RxProduct) p = g_list_model_get_item (products, i);
      g_autofree char *label = product_label (p);
      const char *expiry = rx_product_get_nearest_expiry (p);

      if (rx_product_get_on_hand (p) <= 0)
        continue;
      total += rx_product_get_on_hand (p);
      g_string_append_printf (lines, "%s%s: %" G_GINT64_FORMAT, lines->len ? "; " : "", label,
                              rx_product_get_on_hand (p));
      if (expiry != NULL)
        g_string_append_printf (lines, _(" (nearest expiry %s)"), expiry);
    }
  if (total == 0)
    return g_strdup_printf (_("%s is out of stock at the moment. I can suggest alternatives, "
                              "or you can order it."), rx_product_get_inn (first));
  return g_strdup_printf (_("Yes, %s is in stock: %s."), rx_product_get_inn (first),
                          lines->str);
}

char *
rx_chat_answer_simple (const char *intent)
{
  if (g_strcmp0 (intent, "greeting") == 0)
    return g_strdup (_("Hello! I am the clinic's assistant. Ask me about a medicine, its price or "
                       "stock, order it, check an order or book an appointment."));
  if (g_strcmp0 (intent, "goodbye") == 0)
    return g_strdup (_("Goodbye, and take care. If you feel very unwell, call for help at "
                       "once."));
  if (g_strcmp0 (intent, "help") == 0)
    return g_strdup (_("I can tell you what a medicine is for, its price, whether we have it and "
                       "cheaper alternatives; place an order, tell you where an order is, and "
                       "book an appointment. For example: “how much is amoxicillin?” or “book "
                       "me in tomorrow at 10”."));
  return g_strdup (_("Sorry, I did not understand. You can ask what a medicine is for, its "
                     "price, whether it is in stock or for alternatives; order a medicine, ask "
                     "about your order, or book an appointment."));
}

char *
rx_chat_answer_emergency (const char         *title,
                          const char * const *steps,
                          const char         *number)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, _("This may be an emergency (%s). Call %s now."),
                          g_dgettext (GETTEXT_PACKAGE, title), number);
  for (guint i = 0; steps && steps[i]; i++)
    g_string_append_printf (out, " %u. %s", i + 1, g_dgettext (GETTEXT_PACKAGE, steps[i]));
  g_string_append_c (out, ' ');
  g_string_append (out, _("The clinic staff have been alerted."));
  return g_string_free (out, FALSE);
}
