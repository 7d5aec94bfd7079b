/* test-chat-nlu.c: normalising, intents, and entities (medicines with typos and brands,
 * strengths, quantities, dates and times, symptoms). */
#include "config.h"

#include "rx-chat-nlu.h"
#include "rx-test-util.h"

static RxChatNlu *
nlu_for (RxDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = rx_chat_data_path ("intents.json");
  RxChatNlu *nlu = rx_chat_nlu_new (db, path, &error);

  g_assert_no_error (error);
  return nlu;
}

static void
test_normalise (void)
{
  g_autofree char *a = rx_chat_normalise ("  Don't I need   Amoxicillin 500mg?! ");
  g_autofree char *b = rx_chat_normalise ("Café at 14:30 on 2026-12-01");

  g_assert_cmpstr (a, ==, " dont i need amoxicillin 500mg ");
  g_assert_cmpstr (b, ==, " cafe at 14:30 on 2026-12-01 ");
  g_assert_true (rx_chat_text_has (a, "need amoxicillin"));
  g_assert_true (rx_chat_text_has (a, "amox*"));
  g_assert_false (rx_chat_text_has (a, "moxicillin"));
}

static void
test_intents (RxTestClinic  *clinic,
              gconstpointer  data)
{
  g_autoptr(RxChatNlu) nlu = nlu_for (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 24, 9, 0, 0);
  static const struct { const char *text; const char *intent; } cases[] = {
    { "hello", "greeting" }, { "what can you do?", "help" }, { "bye", "goodbye" },
    { "how much is it", "price" }, { "is it in stock", "availability" },
    { "any cheaper alternative", "alternatives" }, { "I want to order it", "order" },
    { "where is my order", "order_status" }, { "book an appointment", "appointment" },
    { "what is it used for", "drug_info" }, { "tell me a joke", "unknown" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RxChatParse) parse = rx_chat_nlu_parse (nlu, cases[i].text, now);

      g_assert_cmpstr (parse->intent, ==, cases[i].intent);
    }
}

static void
test_entities (RxTestClinic  *clinic,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxChatNlu) nlu = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 24, 9, 0, 0);  /* a Tuesday */
  g_autoptr(RxChatParse) typo = NULL;
  g_autoptr(RxChatParse) brand = NULL;
  g_autoptr(RxChatParse) order = NULL;
  g_autoptr(RxChatParse) friday = NULL;
  g_autoptr(RxChatParse) iso = NULL;
  g_autoptr(RxChatParse) symptom = NULL;

  g_assert_true (rx_formulary_load_default (clinic->db, NULL, &error));
  g_assert_no_error (error);
  nlu = nlu_for (clinic->db);

  typo = rx_chat_nlu_parse (nlu, "what is amoxicilin for", now);
  g_assert_cmpstr (json_object_get_string_member (typo->entities, "medicine"), ==, "amoxicillin");
  g_assert_cmpstr (typo->intent, ==, "drug_info");

  brand = rx_chat_nlu_parse (nlu, "how much is Panadol", now);
  g_assert_cmpstr (json_object_get_string_member (brand->entities, "medicine"), ==, "paracetamol");
  g_assert_cmpstr (brand->intent, ==, "price");

  order = rx_chat_nlu_parse (nlu, "order 2 packs of ibuprofen 400 mg tomorrow at 10", now);
  g_assert_cmpstr (json_object_get_string_member (order->entities, "medicine"), ==, "ibuprofen");
  g_assert_cmpint (json_object_get_int_member (order->entities, "quantity"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (order->entities, "strength"), ==, "400 mg");
  g_assert_cmpstr (json_object_get_string_member (order->entities, "date"), ==, "2026-11-25");
  g_assert_cmpstr (json_object_get_string_member (order->entities, "time"), ==, "10:00");

  friday = rx_chat_nlu_parse (nlu, "can I come on friday at 3pm", now);
  g_assert_cmpstr (json_object_get_string_member (friday->entities, "date"), ==, "2026-11-27");
  g_assert_cmpstr (json_object_get_string_member (friday->entities, "time"), ==, "15:00");

  iso = rx_chat_nlu_parse (nlu, "book me 2026-12-01 14:30", now);
  g_assert_cmpstr (json_object_get_string_member (iso->entities, "date"), ==, "2026-12-01");
  g_assert_cmpstr (json_object_get_string_member (iso->entities, "time"), ==, "14:30");
  g_assert_cmpstr (iso->intent, ==, "appointment");

  symptom = rx_chat_nlu_parse (nlu, "I have a headache and a runny nose", now);
  g_assert_true (json_object_has_member (symptom->entities, "symptoms"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (symptom->entities,
                                                                         "symptoms")), ==, 2);
  g_assert_false (json_object_has_member (symptom->entities, "medicine"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chat/nlu/normalise", test_normalise);
  g_test_add ("/chat/nlu/intents", RxTestClinic, NULL, rx_test_clinic_setup, test_intents,
              rx_test_clinic_teardown);
  g_test_add ("/chat/nlu/entities", RxTestClinic, NULL, rx_test_clinic_setup, test_entities,
              rx_test_clinic_teardown);
  return g_test_run ();
}
