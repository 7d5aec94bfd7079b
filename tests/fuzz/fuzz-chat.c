/* fuzz-chat.c: libFuzzer target for the assistant's understanding step: what a patient types
 * at the kiosk is untrusted. Red-flag detection and the intent and entity parse must take any
 * bytes (invalid UTF-8, huge numbers, odd dates and times) without crashing, and give an
 * intent that is one of the known ones. The clinic (for the formulary's names) is made once
 * per process. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "rx-chat-emergency.h"
#include "rx-chat-nlu.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static RxDb *db;
static RxChatNlu *nlu;
static RxChatEmergency *emergency;
static char *dir;

static void
cleanup (void)
{
  g_autofree char *path = g_build_filename (dir, "fuzz.db", NULL);

  g_clear_pointer (&nlu, rx_chat_nlu_free);
  g_clear_pointer (&emergency, rx_chat_emergency_free);
  g_clear_object (&db);
  rx_db_remove_files (path);
  g_rmdir (dir);
  g_free (dir);
}

static void
setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *intents = rx_chat_data_path ("intents.json");
  g_autofree char *red_flags = rx_chat_data_path ("red-flags.json");

  dir = g_dir_make_tmp ("rxdesk-fuzz-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "fuzz.db", NULL);
  db = rx_db_create_clinic (path, "Fuzz Clinic", &error);
  g_assert_no_error (error);
  nlu = rx_chat_nlu_new (db, intents, &error);
  g_assert_no_error (error);
  emergency = rx_chat_emergency_new (red_flags, &error);
  g_assert_no_error (error);
  atexit (cleanup);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const intents[] = {
    "greeting", "help", "goodbye", "drug_info", "price", "alternatives", "availability",
    "order", "order_status", "appointment", "emergency", "unknown", NULL,
  };
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 25, 10, 30, 0);
  g_autoptr(RxChatParse) parse = NULL;

  if (db == NULL)
    setup ();

  (void) rx_chat_emergency_detect (emergency, text);
  parse = rx_chat_nlu_parse (nlu, text, now);
  g_assert (parse != NULL && parse->intent != NULL && parse->entities != NULL);
  g_assert (g_strv_contains (intents, parse->intent));

  return 0;
}
