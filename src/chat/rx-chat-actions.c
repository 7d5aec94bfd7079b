/* rx-chat-actions.c: what the assistant does for a person: alternatives (minding their
 * allergies), orders (prescription-only medicines need a signed prescription on file), the
 * state of the latest order, and appointments. */
#define G_LOG_DOMAIN "rx-chat"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "rx-chat-engine-private.h"

/* Knowledge ----------------------------------------------------------------------------- */

/* The ATC groups from the formulary reference data (generic name and ATC columns), and the
 * allergy classes (data/chat/allergy-classes.json). */
gboolean
_rx_chat_load_knowledge (RxChatEngine *self,
                         GError      **error)
{
  g_autofree char *dir = rx_formulary_find_data_dir ();
  g_autofree char *csv = g_build_filename (dir, "formulary", "medicines.csv", NULL);
  g_autofree char *classes = g_build_filename (dir, "chat", "allergy-classes.json", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GList) names = NULL;
  JsonObject *root;

  self->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
  self->allergy_classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!g_file_get_contents (csv, &text, NULL, error))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", 4);
      GPtrArray *inns;
      char key[6] = { 0 };

      if (g_strv_length (f) < 3 || strlen (f[2]) < 5)
        continue;
      g_strlcpy (key, f[2], sizeof key);
      inns = g_hash_table_lookup (self->groups, key);
      if (inns == NULL)
        {
          inns = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (self->groups, g_strdup (key), inns);
        }
      if (!g_ptr_array_find_with_equal_func (inns, f[1], g_str_equal, NULL))
        g_ptr_array_add (inns, g_strdup (f[1]));
    }

  if (!json_parser_load_from_file (parser, classes, error))
    return FALSE;
  root = json_node_get_object (json_parser_get_root (parser));
  names = root ? json_object_get_members (root) : NULL;
  for (GList *l = names; l; l = l->next)
    g_hash_table_insert (self->allergy_classes, g_ascii_strdown (l->data, -1),
                         g_strdup (json_object_get_string_member (root, l->data)));
  return TRUE;
}

/* Alternatives -------------------------------------------------------------------------- */

static gboolean
allergic_to (RxChatEngine *self,
             GPtrArray    *allergies,
             const char   *inn,
             const char   *atc)
{
  for (guint i = 0; allergies && i < allergies->len; i++)
    {
      RxAllergy *a = allergies->pdata[i];
      g_autofree char *allergen = g_ascii_strdown (a->allergen, -1);
      const char *prefix = g_hash_table_lookup (self->allergy_classes, allergen);

      if (g_ascii_strcasecmp (allergen, inn) == 0)
        return TRUE;
      if (prefix != NULL && atc != NULL && g_str_has_prefix (atc, prefix))
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  char   *inn;
  gint64  price;
} Choice;

static int
by_price (gconstpointer a,
          gconstpointer b)
{
  const Choice *x = *(Choice **) a, *y = *(Choice **) b;

  if (x->price != y->price)
    return x->price < 0 ? 1 : y->price < 0 ? -1 : x->price < y->price ? -1 : 1;
  return g_strcmp0 (x->inn, y->inn);
}

static void
choice_free (Choice *c)
{
  g_free (c->inn);
  g_free (c);
}

char *
_rx_chat_alternatives (RxChatEngine *self,
                       RxChatState  *state,
                       RxChatTurn   *turn)
{
  g_autoptr(GListModel) products = _rx_chat_slot_products (self, state->slots);
  g_autoptr(RxProduct) first = NULL;
  g_autoptr(RxPatient) patient = NULL;
  g_autoptr(GPtrArray) ranked = g_ptr_array_new_with_free_func ((GDestroyNotify) choice_free);
  g_autoptr(GString) list = g_string_new (NULL);
  GPtrArray *allergies = NULL, *inns;
  char key[6] = { 0 };
  guint skipped = 0;

  if (products == NULL)
    return g_strdup (_("I could not find that medicine in our formulary. Could you check the "
                       "spelling?"));
  first = g_list_model_get_item (products, 0);
  if (state->patient_id != NULL)
    patient = rx_patients_get (self->db, state->patient_id, NULL);
  if (patient != NULL)
    allergies = rx_patient_get_allergies (patient);

  g_strlcpy (key, rx_product_get_atc (first), sizeof key);
  inns = g_hash_table_lookup (self->groups, key);
  for (guint i = 0; inns && i < inns->len; i++)
    {
      const char *inn = inns->pdata[i];
      g_autoptr(GListModel) found = NULL;
      Choice *c;

      if (g_ascii_strcasecmp (inn, rx_product_get_inn (first)) == 0)
        continue;
      found = rx_formulary_lookup (self->db, inn, NULL);
      if (found == NULL || g_list_model_get_n_items (found) == 0)
        continue;
      {
        g_autoptr(RxProduct) p = g_list_model_get_item (found, 0);

        if (allergic_to (self, allergies, inn, rx_product_get_atc (p)))
          {
            skipped++;
            continue;
          }
      }
      c = g_new0 (Choice, 1);
      c->inn = g_strdup (inn);
      c->price = -1;
      for (guint j = 0; j < g_list_model_get_n_items (found); j++)
        {
          g_autoptr(RxProduct) p = g_list_model_get_item (found, j);
          gint64 price = rx_chat_cheapest_pack (p, NULL);

          if (price > 0 && (c->price < 0 || price < c->price))
            c->price = price;
        }
      g_ptr_array_add (ranked, c);
    }
  g_ptr_array_sort (ranked, by_price);

  for (guint i = 0; i < ranked->len && i < 5; i++)
    {
      Choice *c = ranked->pdata[i];
      g_autofree char *money = c->price > 0 ? rx_chat_format_money (c->price) : NULL;
      JsonObject *o = json_object_new ();

      g_string_append_printf (list, "%s%s", i ? ", " : "", c->inn);
      if (money)
        g_string_append_printf (list, _(" (from %s)"), money);
      json_object_set_string_member (o, "type", "alternative");
      json_object_set_string_member (o, "id", c->inn);
      json_array_add_object_element (turn->actions, o);
    }

  if (ranked->len == 0)
    return g_strdup_printf (skipped ? _("The other medicines in the group of %s are ones your "
                                        "record lists an allergy to; please ask the doctor.")
                                    : _("I know no alternative to %s in the same group; please "
                                        "ask the pharmacist."),
                            rx_product_get_inn (first));
  return g_strdup_printf (skipped ? _("Alternatives to %s, cheapest first: %s. I left out "
                                      "medicines your record lists an allergy to. A doctor or "
                                      "pharmacist must approve any switch.")
                                  : _("Alternatives to %s, cheapest first: %s. A doctor or "
                                      "pharmacist must approve any switch."),
                          rx_product_get_inn (first), list->str);
}

/* Orders -------------------------------------------------------------------------------- */

/* A signed prescription of PATIENT for the medicine DRUG_ID; fills PRODUCT_ID with the
 * product prescribed. */
static char *
find_prescription (RxChatEngine *self,
                   const char   *patient_id,
                   const char   *drug_id,
                   char        **product_id)
{
  static const RxPrescriptionStatus usable[] = { RX_PRESCRIPTION_SIGNED,
                                                 RX_PRESCRIPTION_PARTIALLY_DISPENSED };

  for (guint s = 0; s < G_N_ELEMENTS (usable); s++)
    {
      g_autoptr(GListModel) list = rx_prescriptions_list (self->db, patient_id, usable[s], 200,
                                                          NULL);

      for (guint i = 0; list && i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr(RxPrescription) rx = g_list_model_get_item (list, i);
          GPtrArray *items = rx_prescription_get_items (rx);

          for (guint j = 0; items && j < items->len; j++)
            {
              RxPrescriptionItem *item = items->pdata[j];
              g_autoptr(RxProduct) p = rx_formulary_get (self->db, item->product_id, NULL);

              if (p != NULL && g_strcmp0 (rx_product_get_drug_id (p), drug_id) == 0)
                {
                  *product_id = g_strdup (item->product_id);
                  return g_strdup (rx_prescription_get_id (rx));
                }
            }
        }
    }
  return NULL;
}

char *
_rx_chat_order (RxChatEngine *self,
                RxChatState  *state,
                RxChatTurn   *turn)
{
  g_autoptr(GListModel) products = _rx_chat_slot_products (self, state->slots);
  g_autoptr(RxProduct) product = NULL;
  g_autoptr(RxOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prescription = NULL;
  g_autofree char *prescribed = NULL;
  RxOrderItem item;
  int quantity = 1;

  if (products == NULL)
    return g_strdup (_("I could not find that medicine in our formulary. Could you check the "
                       "spelling?"));
  /* sold without a prescription and in stock first, then without a prescription, then in
   * stock, else the first */
  for (guint pass = 0; pass < 3 && product == NULL; pass++)
    for (guint i = 0; i < g_list_model_get_n_items (products) && product == NULL; i++)
      {
        g_autoptr(RxProduct) p = g_list_model_get_item (products, i);
        gboolean in_stock = rx_product_get_on_hand (p) > 0;
        gboolean otc = !rx_product_get_rx_only (p) && !rx_product_get_controlled (p);

        if ((pass == 0 && in_stock && otc) || (pass == 1 && otc) || (pass == 2 && in_stock))
          product = g_steal_pointer (&p);
      }
  if (product == NULL)
    product = g_list_model_get_item (products, 0);

  if (rx_product_get_rx_only (product) || rx_product_get_controlled (product))
    {
      prescription = find_prescription (self, state->patient_id,
                                        rx_product_get_drug_id (product), &prescribed);
      if (prescription == NULL)
        return g_strdup_printf (_("%s needs a prescription, and I found no signed prescription "
                                  "for it on your record. Please see a doctor first; I can book "
                                  "an appointment."), rx_product_get_inn (product));
    }

  if (json_object_has_member (state->slots, "quantity"))
    quantity = (int) json_object_get_int_member (state->slots, "quantity");
  item.product_id = prescribed ? prescribed : rx_product_get_id (product);
  item.quantity = quantity;
  order = rx_orders_place (self->db, state->patient_id, "assistant", prescription, &item, 1,
                           NULL, &error);
  if (order == NULL)
    return g_strdup_printf (_("I could not place the order: %s"), error->message);

  g_free (state->last_order_id);
  state->last_order_id = g_strdup (rx_order_get_id (order));
  _rx_chat_add_action (turn, "order", rx_order_get_id (order));
  return g_strdup_printf (_("Done: I ordered %d × %s %s (order %s). I will tell you when it is "
                            "ready."), quantity, rx_product_get_inn (product),
                          rx_product_get_strength (product), rx_order_get_id (order));
}

char *
_rx_chat_order_status (RxChatEngine *self,
                       RxChatState  *state,
                       RxChatTurn   *turn)
{
  g_autoptr(RxOrder) order = NULL;
  g_autoptr(GString) events = g_string_new (NULL);
  GPtrArray *list;

  if (state->last_order_id != NULL)
    order = rx_orders_get (self->db, state->last_order_id, NULL);
  if (order == NULL)
    {
      g_autoptr(GListModel) all = rx_orders_list_for_patient (self->db, state->patient_id, NULL);
      g_autoptr(RxOrder) latest = NULL;

      if (all == NULL || g_list_model_get_n_items (all) == 0)
        return g_strdup (_("I found no order on your record. Would you like to order a "
                           "medicine?"));
      latest = g_list_model_get_item (all, 0);
      order = rx_orders_get (self->db, rx_order_get_id (latest), NULL);
      if (order == NULL)
        return g_strdup (_("I could not read your latest order; please ask at the counter."));
    }

  list = rx_order_get_events (order);
  for (guint i = 0; list && i < list->len; i++)
    {
      RxOrderEvent *e = list->pdata[i];

      g_string_append_printf (events, "%s%s %s", i ? "; " : "", e->status, e->at);
    }
  _rx_chat_add_action (turn, "order_status", rx_order_get_id (order));
  return g_strdup_printf (_("Your latest order (%s) is %s. History: %s."),
                          rx_order_get_id (order), rx_order_get_status (order), events->str);
}

/* Appointments -------------------------------------------------------------------------- */

/* The appointment flow's settings in flows.json, or these. */
#define OPENING  rx_chat_policy_get_setting (self->policy, "appointment", "opening", "08:00")
#define CLOSING  rx_chat_policy_get_setting (self->policy, "appointment", "closing", "17:00")

static guint
appointment_minutes (RxChatEngine *self)
{
  const char *text = rx_chat_policy_get_setting (self->policy, "appointment", "minutes", "15");
  guint64 minutes = g_ascii_strtoull (text, NULL, 10);

  return minutes >= 5 && minutes <= 480 ? (guint) minutes : 15;
}

static char *
book_at (RxChatEngine *self,
         RxChatState  *state,
         RxChatTurn   *turn,
         const char   *starts_at)
{
  g_autoptr(RxAppointment) booked = NULL;
  g_autoptr(GError) error = NULL;

  booked = rx_appointments_book (self->db, state->patient_id, NULL, starts_at,
                                 appointment_minutes (self), "Booked by the assistant", &error);
  if (booked == NULL)
    return NULL;
  g_clear_pointer (&state->offered, g_strfreev);
  _rx_chat_add_action (turn, "booking", rx_appointment_get_id (booked));
  return g_strdup_printf (_("You are booked for %.10s at %.5s (UTC). See you then."),
                          starts_at, starts_at + 11);
}

static GStrv
slots_from (RxChatEngine *self,
            const char   *first_day,
            char        **day_out)
{
  g_autoptr(GDateTime) now = _rx_chat_engine_now (self);
  g_autoptr(GDateTime) day = NULL;
  int y, m, d;

  if (first_day != NULL && sscanf (first_day, "%d-%d-%d", &y, &m, &d) == 3)
    day = g_date_time_new_utc (y, m, d, 0, 0, 0);
  if (day == NULL)
    day = g_date_time_add_days (now, 1);

  for (int i = 0; i < 14; i++)
    {
      g_autoptr(GDateTime) when = g_date_time_add_days (day, i);
      g_autofree char *iso = g_date_time_format (when, "%Y-%m-%d");
      g_auto(GStrv) free_slots = rx_appointments_free_slots (self->db, NULL, iso,
                                                             appointment_minutes (self), OPENING,
                                                             CLOSING, NULL);

      if (free_slots != NULL && free_slots[0] != NULL)
        {
          *day_out = g_steal_pointer (&iso);
          return g_steal_pointer (&free_slots);
        }
    }
  return NULL;
}

char *
_rx_chat_offer_slots (RxChatEngine *self,
                      RxChatState  *state,
                      RxChatTurn   *turn)
{
  JsonObject *e = turn->entities;
  g_autofree char *day = NULL;
  g_auto(GStrv) all = NULL;
  g_autoptr(GStrvBuilder) offer = g_strv_builder_new ();
  g_autoptr(GString) times = g_string_new (NULL);
  guint n;

  /* "the first one" / "yes" after an offer */
  if (state->offered != NULL && (json_object_has_member (e, "choice") ||
                                 json_object_has_member (e, "yes")))
    {
      int choice = json_object_has_member (e, "choice") ?
                   (int) json_object_get_int_member (e, "choice") : 1;
      guint count = g_strv_length (state->offered);
      guint index = choice < 0 ? count - 1 : (guint) choice - 1;
      g_autofree char *starts = index < count ? g_strdup (state->offered[index]) : NULL;
      char *reply = starts ? book_at (self, state, turn, starts) : NULL;

      if (reply != NULL)
        return reply;
    }

  all = slots_from (self, json_object_get_string_member_with_default (e, "date", NULL), &day);
  if (all == NULL)
    return g_strdup (_("I found no free appointment in the next two weeks; please call the "
                       "clinic."));
  n = g_strv_length (all);
  /* a spread over the day: at most four offers */
  for (guint i = 0; i < 4 && i < n; i++)
    {
      const char *slot = all[n <= 4 ? i : i * (n - 1) / 3];

      g_strv_builder_add (offer, slot);
      g_string_append_printf (times, "%s%.5s", i ? ", " : "", slot + 11);
    }
  g_strfreev (state->offered);
  state->offered = g_strv_builder_end (offer);
  g_free (state->pending);
  state->pending = g_strdup ("appointment");
  _rx_chat_add_action (turn, "offer", day);
  return g_strdup_printf (_("The first free day is %s. Free times (UTC): %s. Which one suits "
                            "you?"), day, times->str);
}

/* Inside opening hours, with the whole appointment before closing, and not in the past. */
static gboolean
within_hours (RxChatEngine *self,
              const char   *starts_at)
{
  g_autoptr(GDateTime) now = _rx_chat_engine_now (self);
  g_autofree char *now_text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  int h, m, close_h, close_m;
  char hhmm[6];

  if (strlen (starts_at) < 16 || g_strcmp0 (starts_at, now_text) <= 0)
    return FALSE;
  g_strlcpy (hhmm, starts_at + 11, sizeof hhmm);
  if (sscanf (hhmm, "%d:%d", &h, &m) != 2 || sscanf (CLOSING, "%d:%d", &close_h, &close_m) != 2)
    return FALSE;
  return g_strcmp0 (hhmm, OPENING) >= 0 &&
         h * 60 + m + appointment_minutes (self) <= close_h * 60 + close_m;
}

char *
_rx_chat_book (RxChatEngine *self,
               RxChatState  *state,
               RxChatTurn   *turn)
{
  JsonObject *e = turn->entities;
  const char *time = json_object_get_string_member (e, "time");
  const char *date = json_object_get_string_member_with_default (e, "date", NULL);
  g_autofree char *fallback_day = NULL;
  g_autofree char *starts = NULL;
  char *reply;

  if (date == NULL && state->offered != NULL)
    date = fallback_day = g_strndup (state->offered[0], 10);
  if (date == NULL)
    {
      g_autoptr(GDateTime) now = _rx_chat_engine_now (self);
      g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);

      date = fallback_day = g_date_time_format (tomorrow, "%Y-%m-%d");
    }
  starts = g_strdup_printf ("%sT%s:00Z", date, time);
  if (within_hours (self, starts))
    {
      reply = book_at (self, state, turn, starts);
      if (reply != NULL)
        return reply;
    }

  {
    g_autofree char *offer = _rx_chat_offer_slots (self, state, turn);

    return g_strdup_printf (_("%s at %s is not free or outside opening hours (%s to %s UTC). %s"),
                            date, time, OPENING, CLOSING, offer);
  }
}
