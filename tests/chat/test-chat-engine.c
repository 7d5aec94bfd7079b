/* test-chat-engine.c: whole turns against a demo clinic: a red flag raises an alert whatever
 * the conversation was about; prices, orders (prescription-only ones need a signed
 * prescription), order status, alternatives minding allergies, and booking. */
#include "config.h"

#include <string.h>

#include "rx-chat-engine.h"
#include "rx-db-private.h"
#include "rx-test-util.h"

typedef struct
{
  RxTestClinic  clinic;
  RxChatEngine *engine;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 24, 9, 0, 0);

  rx_test_clinic_setup (&f->clinic, data);
  g_assert_true (rx_formulary_load_default (f->clinic.db, NULL, &error));
  g_assert_true (rx_demo_populate (f->clinic.db, NULL, NULL, &error));
  g_assert_no_error (error);
  f->engine = rx_chat_engine_new (f->clinic.db, &error);
  g_assert_no_error (error);
  rx_chat_engine_set_now (f->engine, now);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->engine, rx_chat_engine_free);
  rx_test_clinic_teardown (&f->clinic, data);
}

static RxChatTurn *
say (Fixture     *f,
     RxChatState *state,
     const char  *text)
{
  g_autoptr(GError) error = NULL;
  RxChatTurn *turn = rx_chat_engine_reply (f->engine, state, text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (turn);
  g_assert_nonnull (turn->reply);
  return turn;
}

static const char *
action_id (RxChatTurn *turn,
           const char *type)
{
  for (guint i = 0; i < json_array_get_length (turn->actions); i++)
    {
      JsonObject *o = json_array_get_object_element (turn->actions, i);

      if (g_str_equal (json_object_get_string_member (o, "type"), type))
        return json_object_get_string_member_with_default (o, "id", "");
    }
  return NULL;
}

static void
test_emergency (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(RxChatState) state = rx_chat_state_new (NULL);
  g_autoptr(RxChatTurn) price = say (f, state, "how much is paracetamol?");
  g_autoptr(RxChatTurn) turn = say (f, state, "my dad has crushing chest pain");
  g_autoptr(JsonNode) node = rx_chat_turn_to_json (turn);
  g_autofree char *json = json_to_string (node, FALSE);
  const char *alert;

  g_assert_false (price->emergency);
  g_assert_true (turn->emergency);
  g_assert_cmpstr (turn->intent, ==, "emergency");
  g_assert_nonnull (strstr (turn->reply, "112"));
  alert = action_id (turn, "alert");
  g_assert_nonnull (alert);
  g_assert_cmpint (rx_test_count (f->clinic.db, "SELECT count(*) FROM alerts WHERE kind = "
                                  "'emergency' AND severity = 'critical'"), ==, 1);
  g_assert_true (g_str_has_prefix (json, "{\"intent\":\"emergency\",\"emergency\":true,"));
}

/* The clinic's own emergency number, and the patient named on the alert. */
static void
test_emergency_number (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = rx_test_ids (f->clinic.db, "SELECT id FROM patients ORDER BY id LIMIT 1");
  g_autoptr(RxChatState) state = rx_chat_state_new (ids->pdata[0]);
  g_autoptr(RxChatTurn) turn = NULL;
  g_autofree char *sql = NULL;

  /* Without the clinic's own, the workstation's; the clinic's wins once set. */
  rx_chat_engine_set_default_emergency_number (f->engine, "911");
  turn = say (f, state, "I took too many pills");
  g_assert_nonnull (strstr (turn->reply, "Call 911"));
  g_assert_cmpstr (action_id (turn, "call"), ==, "911");
  g_clear_pointer (&turn, rx_chat_turn_free);

  g_assert_true (_rx_db_set_meta (f->clinic.db, "emergency_number", "999", &error));
  g_assert_no_error (error);
  turn = say (f, state, "I took too many pills");
  g_assert_true (turn->emergency);
  g_assert_nonnull (strstr (turn->reply, "Call 999"));
  g_assert_cmpstr (action_id (turn, "call"), ==, "999");
  sql = g_strdup_printf ("SELECT count(*) FROM alerts WHERE patient_id = '%s'",
                         (char *) ids->pdata[0]);
  g_assert_cmpint (rx_test_count (f->clinic.db, sql), ==, 2);
}

/* A prescription-only medicine with a signed prescription on file is ordered against it. */
static void
test_order_with_prescription (Fixture       *f,
                              gconstpointer  data)
{
  static const char *from =
    "FROM prescriptions rx JOIN prescription_items i ON i.prescription_id = rx.id "
    "JOIN products p ON p.id = i.product_id JOIN drugs d ON d.id = p.drug_id "
    "WHERE rx.status = 'signed' AND p.rx_only = 1 AND p.controlled = 0 "
    "ORDER BY rx.id LIMIT 1";
  g_autofree char *patient_sql = g_strconcat ("SELECT rx.patient_id ", from, NULL);
  g_autofree char *inn_sql = g_strconcat ("SELECT d.inn ", from, NULL);
  g_autofree char *rx_sql = g_strconcat ("SELECT rx.id ", from, NULL);
  g_autoptr(GPtrArray) patient = rx_test_ids (f->clinic.db, patient_sql);
  g_autoptr(GPtrArray) inn = rx_test_ids (f->clinic.db, inn_sql);
  g_autoptr(GPtrArray) rx = rx_test_ids (f->clinic.db, rx_sql);
  g_autoptr(RxChatState) state = NULL;
  g_autoptr(RxChatTurn) turn = NULL;
  g_autofree char *text = NULL;
  g_autofree char *check = NULL;

  if (patient->len == 0)
    {
      g_test_skip ("the demo clinic has no signed prescription for a prescription-only medicine");
      return;
    }
  state = rx_chat_state_new (patient->pdata[0]);
  text = g_strdup_printf ("I want to order %s", (char *) inn->pdata[0]);
  turn = say (f, state, text);
  g_assert_cmpstr (turn->intent, ==, "order");
  g_assert_nonnull (action_id (turn, "order"));
  check = g_strdup_printf ("SELECT count(*) FROM medicine_orders WHERE id = '%s' AND "
                           "prescription_id IS NOT NULL", action_id (turn, "order"));
  g_assert_cmpint (rx_test_count (f->clinic.db, check), ==, 1);
  g_assert_cmpuint (rx->len, ==, 1);
}

static void
test_questions (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(RxChatState) state = rx_chat_state_new (NULL);
  g_autoptr(RxChatTurn) info = say (f, state, "what is amoxicilin for?");
  g_autoptr(RxChatTurn) price = say (f, state, "how much is it?");
  g_autoptr(RxChatTurn) stock = say (f, state, "do you have it in stock?");
  g_autoptr(RxChatTurn) alternatives = say (f, state, "any alternatives?");
  g_autoptr(RxChatTurn) ask = say (f, state, "how much is it");
  g_autoptr(RxChatState) fresh = rx_chat_state_new (NULL);
  g_autoptr(RxChatTurn) which = say (f, fresh, "how much is it");
  g_autoptr(RxChatTurn) answer = say (f, fresh, "ibuprofen");

  g_assert_cmpstr (info->intent, ==, "drug_info");
  g_assert_nonnull (strstr (info->reply, "penicillin"));
  g_assert_cmpstr (price->intent, ==, "price");
  g_assert_cmpstr (json_object_get_string_member (price->entities, "medicine"), ==, "amoxicillin");
  g_assert_nonnull (strstr (price->reply, "."));
  g_assert_cmpstr (stock->intent, ==, "availability");
  g_assert_cmpstr (alternatives->intent, ==, "alternatives");
  g_assert_nonnull (action_id (alternatives, "alternative"));
  g_assert_cmpstr (ask->intent, ==, "price");

  /* nothing to carry: the flow asks which medicine, and the answer completes it */
  g_assert_nonnull (action_id (which, "ask"));
  g_assert_cmpstr (answer->intent, ==, "price");
  g_assert_nonnull (strstr (answer->reply, "ibuprofen"));

  /* a name the formulary does not know is not taken for the medicine talked about before */
  {
    g_autoptr(RxChatTurn) unknown = say (f, fresh, "tell me about xyzzol");

    g_assert_nonnull (strstr (unknown->reply, "xyzzol"));
    g_assert_null (strstr (unknown->reply, "ibuprofen"));
    g_assert_nonnull (action_id (unknown, "ask"));
  }
}

static void
test_orders (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = rx_test_ids (f->clinic.db, "SELECT id FROM patients ORDER BY id LIMIT 1");
  g_autoptr(RxChatState) anonymous = rx_chat_state_new (NULL);
  g_autoptr(RxChatState) state = rx_chat_state_new (ids->pdata[0]);
  g_autoptr(RxChatTurn) who = say (f, anonymous, "order 2 packs of paracetamol");
  g_autoptr(RxChatTurn) otc = say (f, state, "order 2 packs of paracetamol");
  g_autoptr(RxChatTurn) status = say (f, state, "where is my order?");
  g_autoptr(RxChatTurn) rx_only = NULL;
  g_autoptr(GPtrArray) without = NULL;
  g_autofree char *sql = NULL;
  const char *order;

  g_assert_null (action_id (who, "order"));
  order = action_id (otc, "order");
  g_assert_nonnull (order);
  g_assert_cmpstr (action_id (status, "order_status"), ==, order);
  g_assert_nonnull (strstr (status->reply, "placed"));

  /* a prescription-only medicine, for a patient with no signed prescription for it */
  sql = g_strdup_printf ("SELECT id FROM patients WHERE id NOT IN (SELECT patient_id FROM "
                         "prescriptions WHERE status IN ('signed', 'partially_dispensed')) "
                         "ORDER BY id LIMIT 1");
  without = rx_test_ids (f->clinic.db, sql);
  if (without->len > 0)
    {
      g_autoptr(RxChatState) other = rx_chat_state_new (without->pdata[0]);

      rx_only = say (f, other, "I want to order amoxicillin");
      g_assert_null (action_id (rx_only, "order"));
      g_assert_nonnull (strstr (rx_only->reply, "prescription"));
    }
}

static void
test_allergies (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = rx_test_ids (f->clinic.db, "SELECT id FROM patients ORDER BY id "
                                          "LIMIT 1");
  g_autoptr(RxChatState) state = NULL;
  g_autoptr(RxChatTurn) turn = NULL;
  g_autofree char *allergy = NULL;

  allergy = rx_patients_add_allergy (f->clinic.db, ids->pdata[0], "penicillins", "rash", "moderate",
                                     &error);
  g_assert_no_error (error);
  state = rx_chat_state_new (ids->pdata[0]);
  turn = say (f, state, "alternatives to amoxicillin");
  g_assert_cmpstr (turn->intent, ==, "alternatives");
  g_assert_null (strstr (turn->reply, "ampicillin"));
  g_assert_null (action_id (turn, "alternative"));
}

static void
test_booking (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = rx_test_ids (f->clinic.db, "SELECT id FROM patients ORDER BY id LIMIT 1");
  g_autoptr(RxChatState) state = rx_chat_state_new (ids->pdata[0]);
  g_autoptr(RxChatTurn) offer = say (f, state, "I need an appointment");
  g_autoptr(RxChatTurn) pick = say (f, state, "the first one");
  g_autoptr(RxChatTurn) direct = say (f, state, "book me on 2026-12-01 at 14:30");

  g_assert_nonnull (action_id (offer, "offer"));
  g_assert_cmpstr (pick->intent, ==, "appointment");
  g_assert_nonnull (action_id (pick, "booking"));
  g_assert_nonnull (action_id (direct, "booking"));
  g_assert_nonnull (strstr (direct->reply, "2026-12-01"));

  /* out of hours or in the past: not booked, free times offered instead */
  {
    g_autoptr(RxChatTurn) late = say (f, state, "book me on 2026-12-02 at 23:00");
    g_autoptr(RxChatTurn) past = say (f, state, "book me on 2026-11-20 at 10:00");

    g_assert_null (action_id (late, "booking"));
    g_assert_nonnull (action_id (late, "offer"));
    g_assert_null (action_id (past, "booking"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring = rx_test_use_private_keyring ();
  int status;

  g_test_init (&argc, &argv, NULL);
#define ENGINE_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ENGINE_TEST ("/chat/engine/emergency", test_emergency);
  ENGINE_TEST ("/chat/engine/emergency-number", test_emergency_number);
  ENGINE_TEST ("/chat/engine/questions", test_questions);
  ENGINE_TEST ("/chat/engine/order-with-prescription", test_order_with_prescription);
  ENGINE_TEST ("/chat/engine/orders", test_orders);
  ENGINE_TEST ("/chat/engine/allergies", test_allergies);
  ENGINE_TEST ("/chat/engine/booking", test_booking);
  status = g_test_run ();
  rx_test_remove_dir (keyring);
  return status;
}
