/* main.c: starts the RxDesk desktop application. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "rx-application.h"

/* Started from the build tree rather than installed: use the schema compiled there and the
 * reference data in the source tree, unless the environment already says where they are. */
static void
use_build_tree_when_uninstalled (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe != NULL ? g_path_get_dirname (exe) : NULL;

  if (dir == NULL || g_strcmp0 (dir, RX_BUILD_APP_DIR) != 0)
    return;

  g_setenv ("GSETTINGS_SCHEMA_DIR", RX_BUILD_SCHEMAS_DIR, FALSE);
  g_setenv ("RXDESK_DATA_DIR", RX_SOURCE_DATA_DIR, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RxApplication) app = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  use_build_tree_when_uninstalled ();

  /* GSettings aborts on a missing schema; say what to do instead. */
  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, RX_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      g_printerr (_("The settings schema %s is not installed. Install RxDesk, or set "
                    "GSETTINGS_SCHEMA_DIR to the folder that holds its compiled schema.\n"),
                  RX_SETTINGS_SCHEMA_ID);
      return EXIT_FAILURE;
    }

  g_set_application_name (_("RxDesk"));

  app = rx_application_new ();

  /* The kiosk is a process of its own: another rxdesk on the same desktop must never hand it
   * a staff window, nor it hand the kiosk to one holding patients' records. */
  for (int i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--kiosk") == 0)
      g_application_set_flags (G_APPLICATION (app),
                               g_application_get_flags (G_APPLICATION (app)) |
                               G_APPLICATION_NON_UNIQUE);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
