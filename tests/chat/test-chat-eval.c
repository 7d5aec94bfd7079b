/* test-chat-eval.c: the assistant against a corpus of messages written for it
 * (corpus.jsonl: {"text", "intent", "emergency", optional "context": [earlier messages]}).
 * Fails unless emergency recall is 100 %, emergency precision at least 95 % and intent
 * accuracy at least 95 %. */
#include "config.h"

#include "rx-chat-engine.h"
#include "rx-test-util.h"

static void
test_corpus (RxTestClinic  *clinic,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "corpus.jsonl", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(RxChatEngine) engine = NULL;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 24, 9, 0, 0);
  guint total = 0, right = 0, tp = 0, fp = 0, fn = 0;
  double recall, precision, accuracy;

  g_assert_true (rx_formulary_load_default (clinic->db, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rx_demo_populate (clinic->db, NULL, NULL, &error));
  g_assert_no_error (error);
  patients = rx_test_ids (clinic->db, "SELECT id FROM patients ORDER BY id LIMIT 1");
  g_assert_cmpuint (patients->len, ==, 1);

  engine = rx_chat_engine_new (clinic->db, &error);
  g_assert_no_error (error);
  rx_chat_engine_set_now (engine, now);

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(RxChatState) state = rx_chat_state_new (patients->pdata[0]);
      g_autoptr(RxChatTurn) turn = NULL;
      JsonObject *o;
      JsonArray *context;
      gboolean want_emergency;
      const char *want;

      if (*g_strstrip (lines[i]) == '\0')
        continue;
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      o = json_node_get_object (json_parser_get_root (parser));
      context = json_object_has_member (o, "context") ?
                json_object_get_array_member (o, "context") : NULL;
      for (guint j = 0; context && j < json_array_get_length (context); j++)
        {
          g_autoptr(RxChatTurn) before = NULL;

          before = rx_chat_engine_reply (engine, state, json_array_get_string_element (context, j),
                                         &error);
          g_assert_no_error (error);
        }

      turn = rx_chat_engine_reply (engine, state, json_object_get_string_member (o, "text"),
                                   &error);
      g_assert_no_error (error);
      g_assert_nonnull (turn->reply);

      want = json_object_get_string_member (o, "intent");
      want_emergency = json_object_get_boolean_member (o, "emergency");
      total++;
      if (g_str_equal (want, turn->intent))
        right++;
      else
        g_test_message ("intent: “%s” gave %s, wanted %s",
                        json_object_get_string_member (o, "text"), turn->intent, want);
      if (want_emergency && turn->emergency)
        tp++;
      else if (want_emergency)
        {
          fn++;
          g_test_message ("missed emergency: “%s”", json_object_get_string_member (o, "text"));
        }
      else if (turn->emergency)
        {
          fp++;
          g_test_message ("false emergency: “%s”", json_object_get_string_member (o, "text"));
        }
    }

  g_assert_cmpuint (total, >=, 400);
  recall = tp + fn ? 100.0 * tp / (tp + fn) : 100.0;
  precision = tp + fp ? 100.0 * tp / (tp + fp) : 100.0;
  accuracy = 100.0 * right / total;
  g_printerr ("chat corpus: %u messages, %u emergencies; emergency recall %.1f %%, "
              "emergency precision %.1f %%, intent accuracy %.1f %%\n",
              total, tp + fn, recall, precision, accuracy);
  g_test_message ("emergency recall %.1f %%, emergency precision %.1f %%, intent accuracy %.1f %%",
                  recall, precision, accuracy);

  g_assert_cmpuint (fn, ==, 0);
  g_assert_cmpfloat (precision, >=, 95.0);
  g_assert_cmpfloat (accuracy, >=, 95.0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring = rx_test_use_private_keyring ();
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/chat/eval/corpus", RxTestClinic, NULL, rx_test_clinic_setup, test_corpus,
              rx_test_clinic_teardown);
  status = g_test_run ();
  rx_test_remove_dir (keyring);
  return status;
}
