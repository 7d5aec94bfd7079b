/* fuzz-sync-pull.c: libFuzzer target for what a workstation does with a pull answer: decode
 * its entries (rx_sync_decode_entries) and merge them into a clinic database
 * (rx_sync_apply_page). The answer comes from the network, so nothing in it may crash the
 * workstation, reach SQL as text, or leave a half-applied page. The clinic is made once per
 * process, for the organisation the seed corpus names. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "rx-sync-run.h"

#define FUZZ_ORG "01900000-0000-7000-8000-00000000f022"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static RxDb *db;
static char *dir;

static void
remove_clinic (void)
{
  g_autofree char *path = g_build_filename (dir, "fuzz.db", NULL);

  g_clear_object (&db);
  rx_db_remove_files (path);
  g_rmdir (dir);
  g_free (dir);
}

static RxDb *
clinic (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (db != NULL)
    return db;

  dir = g_dir_make_tmp ("rxdesk-fuzz-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "fuzz.db", NULL);
  db = rx_db_create_replica (path, FUZZ_ORG, "00000000000f0220", &error);
  g_assert_no_error (error);
  atexit (remove_clinic);
  return db;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  RxDb *clinic_db = clinic ();
  gint64 before = rx_sync_get_checkpoint (clinic_db, "fuzz");
  gboolean applied;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, (const char *) data, size, NULL))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  changes = rx_sync_decode_entries (json_node_get_object (root), &error);
  g_assert ((changes == NULL) != (error == NULL));
  if (changes == NULL)
    return 0;

  applied = rx_sync_apply_page (clinic_db, changes, "fuzz", before + 1, NULL, &error);
  g_assert (applied == (error == NULL));
  /* all or nothing: the checkpoint moved exactly when the page went in */
  g_assert_cmpint (rx_sync_get_checkpoint (clinic_db, "fuzz"), ==, applied ? before + 1 : before);
  /* and the file is sound whatever happened */
  g_assert (rx_db_check_integrity (clinic_db, NULL));

  return 0;
}
