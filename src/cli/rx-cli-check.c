/* rx-cli-check.c: check, the prescribing safety checks from the command line. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include "rx-cli.h"

void
rx_cli_json_alerts (JsonBuilder *b,
                    GListModel  *alerts)
{
  json_builder_begin_array (b);
  for (guint i = 0; alerts != NULL && i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(RxSafetyAlert) alert = g_list_model_get_item (alerts, i);
      const char * const *drugs = rx_safety_alert_get_drugs (alert);
      RxSafetyKind kind = rx_safety_alert_get_kind (alert);
      RxSafetySeverity severity = rx_safety_alert_get_severity (alert);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, rx_safety_kind_to_string (kind));
      json_builder_set_member_name (b, "severity");
      json_builder_add_string_value (b, rx_safety_severity_to_string (severity));
      json_builder_set_member_name (b, "drugs");
      json_builder_begin_array (b);
      for (guint d = 0; drugs[d]; d++)
        json_builder_add_string_value (b, drugs[d]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, rx_safety_alert_get_message (alert));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* "MAJOR interaction: warfarin + ibuprofen" and the reason under it. */
void
rx_cli_print_alerts (GListModel *alerts,
                     gboolean    to_stderr)
{
  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(RxSafetyAlert) alert = g_list_model_get_item (alerts, i);
      RxSafetySeverity level = rx_safety_alert_get_severity (alert);
      RxSafetyKind kind = rx_safety_alert_get_kind (alert);
      g_autofree char *severity = g_ascii_strup (rx_safety_severity_to_string (level), -1);
      g_autofree char *drugs = g_strjoinv (" + ", (char **) rx_safety_alert_get_drugs (alert));
      g_autofree char *text = g_strdup_printf ("%s %s: %s\n    %s\n", severity,
                                               rx_safety_kind_to_string (kind), drugs,
                                               rx_safety_alert_get_message (alert));

      if (to_stderr)
        g_printerr ("%s", text);
      else
        g_print ("%s", text);
    }
}

static int
cmd_check (RxCli  *cli,
           int     argc,
           char  **argv)
{
  g_autofree char *patient = NULL;
  g_auto(GStrv) allergies = NULL;
  g_autoptr(RxSafetyContext) context = NULL;
  g_autoptr(GListModel) alerts = NULL;
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (RxSafetyItem));
  g_autoptr(GError) error = NULL;
  guint n;
  GOptionEntry entries[] = {
    { "patient", 0, 0, G_OPTION_ARG_STRING, &patient,
      "Also check against this patient's allergies and current medicines", "ID" },
    { "allergy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &allergies,
      "An allergy class or medicine to check against (repeatable)", "CLASS" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "check", entries, &argc, &argv, 1, -1,
                     "[--patient ID] [--allergy CLASS]... DRUG..."))
    return cli->exit_code;

  context = rx_safety_context_new (cli->db, patient, &error);
  if (context == NULL)
    return rx_cli_fail_error (cli, error);
  for (guint i = 0; allergies && allergies[i]; i++)
    if (!rx_safety_context_add_allergy (context, allergies[i], &error))
      return rx_cli_fail_error (cli, error);

  for (int i = 1; i < argc; i++)
    {
      RxSafetyItem item = { NULL, argv[i], NULL, NULL, NULL };

      g_array_append_val (items, item);
    }

  alerts = rx_safety_check (context, (RxSafetyItem *) items->data, items->len, &error);
  if (alerts == NULL)
    return rx_cli_fail_error (cli, error);
  n = g_list_model_get_n_items (alerts);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "alerts");
      rx_cli_json_alerts (b, alerts);
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else if (n == 0)
    g_print ("No interactions, allergies, duplicate therapy or dose problems found%s\n",
             rx_safety_context_get_n_current (context) > 0
               ? " (the patient's current medicines included)" : "");
  else
    {
      g_print ("%u safety alert%s%s:\n", n, n == 1 ? "" : "s",
               rx_safety_context_get_n_current (context) > 0
                 ? " (the patient's current medicines included)" : "");
      rx_cli_print_alerts (alerts, FALSE);
    }

  return RX_CLI_OK;
}

const RxCliCommand rx_cli_check_commands[] = {
  { "check", NULL, "[--patient ID] [--allergy CLASS]... DRUG...",
    "Check medicines for interactions, allergies, duplicate therapy and doses", TRUE,
    cmd_check },
  { NULL }
};
