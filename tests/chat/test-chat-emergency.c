/* test-chat-emergency.c: red flags, their near-misses, and the steps given for each. */
#include "config.h"

#include "rx-chat-emergency.h"
#include "rx-chat-nlu.h"
#include "rx-test-util.h"

static RxChatEmergency *
load (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = rx_chat_data_path ("red-flags.json");
  RxChatEmergency *flags = rx_chat_emergency_new (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (flags);
  return flags;
}

static void
test_categories (void)
{
  g_autoptr(RxChatEmergency) flags = load ();
  static const struct { const char *text; const char *category; } cases[] = {
    { "I have crushing CHEST pain!", "cardiac" },
    { "my son can't breathe", "breathing" },
    { "her face is drooping and her speech is slurred", "stroke" },
    { "my tongue is swelling after the tablet", "anaphylaxis" },
    { "lips swollen and hard to swallow after peanuts", "anaphylaxis" },
    { "it won't stop bleeding", "bleeding" },
    { "he collapsed", "unconscious" },
    { "she is having a seizure", "seizure" },
    { "I took too many pills", "poisoning" },
    { "I'm suicidal", "suicidal" },
    { "he is badly burned", "burns" },
    { "I'm pregnant and bleeding", "obstetric" },
    { "my baby is choking", "choking" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *found = rx_chat_emergency_detect (flags, cases[i].text);
      const char * const *steps = rx_chat_emergency_get_steps (flags, cases[i].category);

      g_assert_cmpstr (found, ==, cases[i].category);
      g_assert_nonnull (rx_chat_emergency_get_title (flags, found));
      g_assert_cmpuint (g_strv_length ((char **) steps), >=, 2);
      g_assert_cmpuint (g_strv_length ((char **) steps), <=, 4);
    }
}

static void
test_near_misses (void)
{
  g_autoptr(RxChatEmergency) flags = load ();
  static const char * const calm[] = {
    "I have a mild headache", "I have a chest cold", "heartburn after dinner",
    "I'm not suicidal, just tired", "my gums bleed when I brush", "sunburn on my nose",
    "what is aspirin for, to prevent a heart attack?", "seizure medication price",
    "food poisoning last week, how much are rehydration salts", "I'm pregnant, is paracetamol safe?",
    "how much is ibuprofen",
  };

  for (guint i = 0; i < G_N_ELEMENTS (calm); i++)
    g_assert_null (rx_chat_emergency_detect (flags, calm[i]));

  /* a near-miss does not hide a real red flag in the same message */
  g_assert_cmpstr (rx_chat_emergency_detect (flags, "I had a chest cold, now crushing chest pain"),
                   ==, "cardiac");
}

static void
test_bad_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rx_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "flags.json", NULL);

  g_assert_true (g_file_set_contents (path, "{\"nothing\": 1}", -1, NULL));
  g_assert_null (rx_chat_emergency_new (path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  rx_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chat/emergency/categories", test_categories);
  g_test_add_func ("/chat/emergency/near-misses", test_near_misses);
  g_test_add_func ("/chat/emergency/bad-file", test_bad_file);
  return g_test_run ();
}
