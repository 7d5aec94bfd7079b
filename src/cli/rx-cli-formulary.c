/* rx-cli-formulary.c: formulary import, with a preview (--dry-run) that writes nothing. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include "rx-cli.h"

static void
json_rows (JsonBuilder       *b,
           RxFormularyImport *import,
           RxImportOutcome    outcome,
           const char        *member,
           const char        *reason_name)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; i < rx_formulary_import_get_n_rows (import); i++)
    {
      const RxFormularyImportRow *row = rx_formulary_import_get_row (import, i);

      if (row->outcome != outcome)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, row->line);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, row->code);
      json_builder_set_member_name (b, reason_name);
      json_builder_add_string_value (b, row->reason ? row->reason : "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
print_report (RxCli             *cli,
              RxFormularyImport *import,
              gboolean           written)
{
  static const char * const names[] = { "added", "changed", "unchanged", "rejected" };

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, rx_formulary_import_get_name (import));
      json_builder_set_member_name (b, "written");
      json_builder_add_boolean_value (b, written);
      for (RxImportOutcome o = RX_IMPORT_ADDED; o <= RX_IMPORT_REJECTED; o++)
        {
          json_builder_set_member_name (b, names[o]);
          json_builder_add_int_value (b, rx_formulary_import_count (import, o));
        }
      json_rows (b, import, RX_IMPORT_CHANGED, "changed_rows", "what");
      json_rows (b, import, RX_IMPORT_REJECTED, "rejected_rows", "reason");
      json_builder_end_object (b);
      rx_cli_print_json (b);
      return;
    }

  g_print ("%s: %u added, %u changed, %u unchanged, %u rejected%s\n",
           rx_formulary_import_get_name (import),
           rx_formulary_import_count (import, RX_IMPORT_ADDED),
           rx_formulary_import_count (import, RX_IMPORT_CHANGED),
           rx_formulary_import_count (import, RX_IMPORT_UNCHANGED),
           rx_formulary_import_count (import, RX_IMPORT_REJECTED),
           written ? "" : " (nothing written)");
  for (guint i = 0; i < rx_formulary_import_get_n_rows (import); i++)
    {
      const RxFormularyImportRow *row = rx_formulary_import_get_row (import, i);

      if (row->outcome == RX_IMPORT_REJECTED)
        g_print ("  line %u: rejected: %s\n", row->line, row->reason);
      else if (row->outcome == RX_IMPORT_CHANGED)
        g_print ("  line %u: %s changes: %s\n", row->line, row->code, row->reason);
    }
}

static int
cmd_import (RxCli  *cli,
            int     argc,
            char  **argv)
{
  gboolean dry_run = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(RxFormularyImport) import = NULL;
  guint rejected;
  GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      "Only report what the import would add, change and reject", NULL },
    { NULL }
  };

  if (!rx_cli_parse (cli, "formulary import", entries, &argc, &argv, 1, 1,
                     "FILE [--dry-run]"))
    return cli->exit_code;

  import = rx_formulary_import_preview (cli->db, argv[1], &error);
  if (import == NULL)
    return rx_cli_fail_error (cli, error);

  rejected = rx_formulary_import_count (import, RX_IMPORT_REJECTED);
  if (rejected > 0)
    {
      print_report (cli, import, FALSE);
      return rx_cli_fail (cli, RX_CLI_FAILED,
                          "%u %s of %s %s wrong (listed with line numbers); fix the file "
                          "and import it again, nothing was changed", rejected,
                          rejected == 1 ? "row" : "rows", argv[1], rejected == 1 ? "is" : "are");
    }

  if (!dry_run && !rx_formulary_import_apply (import, cli->db, &error))
    return rx_cli_fail_error (cli, error);

  print_report (cli, import, !dry_run);
  return RX_CLI_OK;
}

const RxCliCommand rx_cli_formulary_commands[] = {
  { "formulary", "import", "FILE [--dry-run]",
    "Import medicines, prices and packs from a CSV or JSON file, all or nothing", TRUE,
    cmd_import },
  { NULL }
};
