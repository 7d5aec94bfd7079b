/* main.c: starts the RxDesk desktop application. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "rx-application.h"

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

  /* GSettings aborts on a missing schema; say what to do instead. */
  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, RX_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      g_printerr (_("The settings schema %s is not installed. Install RxDesk, or run it from "
                    "the build folder with GSETTINGS_SCHEMA_DIR set to the build’s data "
                    "folder.\n"),
                  RX_SETTINGS_SCHEMA_ID);
      return EXIT_FAILURE;
    }

  g_set_application_name (_("RxDesk"));

  app = rx_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
