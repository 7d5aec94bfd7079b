/* cli-harness.h: running the real rxdesk-cli from tests, as a script would. */
#pragma once

#include <json-glib/json-glib.h>

#include "rx-test-util.h"

G_BEGIN_DECLS

typedef struct
{
  char *dir;
  char *db;
  char *out;
  char *err;
  int   status;
} Cli;

extern gboolean cli_without_keyring;

void      cli_setup        (Cli           *cli,
                            gconstpointer  data);
void      cli_teardown     (Cli           *cli,
                            gconstpointer  data);
int       cli_run          (Cli           *cli,
                            const char    *input,
                            ...) G_GNUC_NULL_TERMINATED;
JsonNode *cli_json         (Cli           *cli);
char     *cli_json_id      (Cli           *cli);
void      cli_init_clinic  (Cli           *cli);

int       cli_main         (int            argc,
                            char          *argv[],
                            void         (*add_tests) (void));

#define CLI_TEST(path, func) g_test_add (path, Cli, NULL, cli_setup, func, cli_teardown)

G_END_DECLS
