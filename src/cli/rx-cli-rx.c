/* rx-cli-rx.c: rx create, list, show, sign, verify and cancel. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include <string.h>

#include "rx-cli.h"

static void
json_prescription (JsonBuilder    *b,
                   RxPrescription *p)
{
  GPtrArray *items = rx_prescription_get_items (p);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, rx_prescription_get_id (p));
  json_builder_set_member_name (b, "patient_id");
  json_builder_add_string_value (b, rx_prescription_get_patient_id (p));
  json_builder_set_member_name (b, "prescriber_id");
  json_builder_add_string_value (b, rx_prescription_get_prescriber_id (p));
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, rx_prescription_status_to_string (rx_prescription_get_status (p)));
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, rx_prescription_get_created_at (p));
  json_builder_set_member_name (b, "signed_at");
  json_builder_add_string_value (b, rx_prescription_get_signed_at (p));
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < items->len; i++)
    {
      RxPrescriptionItem *it = items->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "product_id");
      json_builder_add_string_value (b, it->product_id);
      json_builder_set_member_name (b, "product");
      json_builder_add_string_value (b, it->product_name);
      json_builder_set_member_name (b, "dose");
      json_builder_add_string_value (b, it->dose);
      json_builder_set_member_name (b, "frequency");
      json_builder_add_string_value (b, it->frequency);
      json_builder_set_member_name (b, "instructions");
      json_builder_add_string_value (b, it->instructions);
      json_builder_set_member_name (b, "quantity");
      json_builder_add_int_value (b, it->quantity);
      json_builder_set_member_name (b, "repeats");
      json_builder_add_int_value (b, it->repeats);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
print_prescription (RxPrescription *p)
{
  GPtrArray *items = rx_prescription_get_items (p);

  g_print ("%s  %-19s %s\n", rx_prescription_get_id (p),
           rx_prescription_status_to_string (rx_prescription_get_status (p)),
           rx_prescription_get_created_at (p));
  for (guint i = 0; i < items->len; i++)
    {
      RxPrescriptionItem *it = items->pdata[i];

      g_print ("    %s; %s%s%s; %" G_GINT64_FORMAT, it->product_name,
               it->dose ? it->dose : "", it->dose && it->frequency ? " " : "",
               it->frequency ? it->frequency : (it->instructions ? it->instructions : ""),
               it->quantity);
      if (it->repeats > 0)
        g_print (", %d repeats", it->repeats);
      g_print ("\n");
    }
}

static JsonNode *
alerts_node (GListModel *alerts)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  rx_cli_json_alerts (b, alerts);
  return json_builder_get_root (b);
}

static void
print_node (JsonNode *root)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

/* "amoxicillin 500 mg capsule; 1 capsule three times a day for 7 days; 21" */
static gboolean
parse_item (RxCli         *cli,
            const char    *spec,
            RxItemFields  *f,
            GPtrArray     *keep,
            GError       **error)
{
  g_auto(GStrv) parts = g_strsplit (spec, ";", 3);
  g_autoptr(GListModel) found = NULL;
  g_autoptr(RxProduct) product = NULL;
  guint64 qty;

  if (g_strv_length (parts) != 3 ||
      !g_ascii_string_to_unsigned (g_strstrip (parts[2]), 10, 1, 100000, &qty, NULL))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "item “%s” must read “MEDICINE STRENGTH FORM; DIRECTIONS; QUANTITY”, e.g. "
                   "“amoxicillin 500 mg capsule; 1 capsule TDS for 7 days; 21”", spec);
      return FALSE;
    }

  found = rx_formulary_search (cli->db, g_strstrip (parts[0]), 1, error);
  if (found == NULL)
    return FALSE;
  if (g_list_model_get_n_items (found) == 0)
    {
      g_auto(GStrv) near = rx_formulary_suggest (cli->db, parts[0], 3);
      g_autofree char *list = g_strjoinv (", ", near);

      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                   near[0] ? "no medicine matches “%s”; did you mean %s?"
                           : "no medicine matches “%s”%s; check the spelling",
                   parts[0], list);
      return FALSE;
    }
  product = g_list_model_get_item (found, 0);

  f->product = g_strdup (rx_product_get_id (product));
  g_ptr_array_add (keep, (gpointer) f->product);
  f->instructions = g_strdup (g_strstrip (parts[1]));
  g_ptr_array_add (keep, (gpointer) f->instructions);
  f->quantity = qty;

  return TRUE;
}

static int
cmd_create (RxCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *patient = NULL;
  g_autofree char *as = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *override = NULL;
  g_auto(GStrv) items = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) fields = g_array_new (FALSE, TRUE, sizeof (RxItemFields));
  g_autoptr(RxPatient) p = NULL;
  g_autoptr(RxUser) user = NULL;
  g_autoptr(RxPrescription) rx = NULL;
  g_autoptr(GListModel) alerts = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "patient", 0, 0, G_OPTION_ARG_STRING, &patient, "Patient id or record number", "ID" },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, "The prescribing doctor's username", "USERNAME" },
    { "item", 0, 0, G_OPTION_ARG_STRING_ARRAY, &items,
      "“MEDICINE STRENGTH FORM; DIRECTIONS; QUANTITY” (repeatable)", "ITEM" },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, "Notes for the pharmacist", "TEXT" },
    { "override", 0, 0, G_OPTION_ARG_STRING, &override,
      "Why to go ahead despite contraindicated or major safety alerts (stored and audited)",
      "REASON" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "rx create", entries, &argc, &argv, 0, 0,
                     "--patient ID --as USERNAME --item \"DRUG STRENGTH FORM; SIG; QTY\"... "
                     "[--override REASON]"))
    return cli->exit_code;
  if (patient == NULL || as == NULL || items == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "rx create needs --patient, --as and at least one "
                        "--item");

  user = rx_users_find (cli->db, as, &error);
  if (user == NULL)
    return rx_cli_fail_error (cli, error);
  rx_db_set_actor (cli->db, rx_user_get_id (user));

  p = rx_patients_get (cli->db, patient, &error);
  if (p == NULL)
    return rx_cli_fail_error (cli, error);

  for (guint i = 0; items[i]; i++)
    {
      RxItemFields f = { NULL, };

      if (!parse_item (cli, items[i], &f, keep, &error))
        return rx_cli_fail_error (cli, error);
      g_array_append_val (fields, f);
    }

  rx = rx_prescriptions_create_checked (cli->db, rx_patient_get_id (p), rx_user_get_id (user),
                                        (RxItemFields *) fields->data, fields->len, notes,
                                        override, &alerts, &error);
  if (rx == NULL)
    {
      int status = rx_cli_fail_error (cli, error);

      /* the sentence above names the first alert; the full list follows it */
      if (g_error_matches (error, RX_CORE_ERROR, RX_CORE_ERROR_SAFETY) && alerts != NULL)
        {
          rx_cli_print_alerts (alerts, TRUE);
          g_printerr ("To prescribe anyway, run it again with --override \"REASON\"; the reason "
                      "is stored with the prescription and audited.\n");
        }
      return status;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_prescription (b, rx);
      root = json_builder_get_root (b);
      json_object_set_member (json_node_get_object (root), "alerts",
                              alerts_node (alerts));
      print_node (root);
    }
  else
    {
      g_print ("Created a draft prescription; it needs the prescriber's signature before a "
               "pharmacy can dispense it\n");
      print_prescription (rx);
      if (g_list_model_get_n_items (alerts) > 0)
        {
          g_print ("Safety alerts%s:\n", rx_safety_alerts_need_override (alerts)
                                           ? " (overridden, with the reason recorded)" : "");
          rx_cli_print_alerts (alerts, FALSE);
        }
    }

  return RX_CLI_OK;
}

static int
cmd_list (RxCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *patient = NULL;
  g_autofree char *status_text = NULL;
  g_autoptr(RxPatient) p = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) error = NULL;
  RxPrescriptionStatus status;
  int limit = 50;
  guint n;
  GOptionEntry entries[] = {
    { "patient", 0, 0, G_OPTION_ARG_STRING, &patient, "Patient id or record number", "ID" },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_text, "Only this status", "STATUS" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "At most this many, newest first", "N" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "rx list", entries, &argc, &argv, 0, 0,
                     "[--patient ID] [--status S] [--limit N]"))
    return cli->exit_code;
  if (status_text && !rx_prescription_status_from_string (status_text, &status))
    return rx_cli_fail (cli, RX_CLI_USAGE, "status “%s” is not one of draft, signed, "
                        "partially_dispensed, dispensed, cancelled, superseded, expired",
                        status_text);
  if (limit <= 0 || limit > 100000)
    return rx_cli_fail (cli, RX_CLI_USAGE, "--limit must be from 1 to 100 000");

  if (patient && (p = rx_patients_get (cli->db, patient, &error)) == NULL)
    return rx_cli_fail_error (cli, error);

  list = rx_prescriptions_list (cli->db, p ? rx_patient_get_id (p) : NULL,
                                status_text ? (int) status : -1, limit, &error);
  if (list == NULL)
    return rx_cli_fail_error (cli, error);
  n = g_list_model_get_n_items (list);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RxPrescription) rx = g_list_model_get_item (list, i);

          json_prescription (b, rx);
        }
      json_builder_end_array (b);
      rx_cli_print_json (b);
    }
  else
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(RxPrescription) rx = g_list_model_get_item (list, i);

        print_prescription (rx);
      }

  return RX_CLI_OK;
}

static int
cmd_show (RxCli  *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(RxPrescription) rx = NULL;
  g_autoptr(GError) error = NULL;

  if (!rx_cli_parse (cli, "rx show", NULL, &argc, &argv, 1, 1, "ID"))
    return cli->exit_code;

  rx = rx_prescriptions_get (cli->db, argv[1], &error);
  if (rx == NULL)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_prescription (b, rx);
      rx_cli_print_json (b);
    }
  else
    print_prescription (rx);

  return RX_CLI_OK;
}

/* The password on the first line of standard input (or typed); for a controlled medicine the
 * authenticator code on the second. */
static int
cmd_sign (RxCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *as = NULL;
  g_autofree char *password = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) user = NULL;
  g_autoptr(RxPrescription) rx = NULL;
  gboolean password_stdin = FALSE, needs_code = FALSE, ok;
  GOptionEntry entries[] = {
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, "The prescriber's username", "USERNAME" },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      "Read the password (then the authenticator code, if needed) from standard input", NULL },
    { NULL }
  };

  if (!rx_cli_parse (cli, "rx sign", entries, &argc, &argv, 1, 1,
                     "ID --as USERNAME [--password-stdin]"))
    return cli->exit_code;
  if (as == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "rx sign needs --as USERNAME, the prescriber");

  user = rx_users_find (cli->db, as, &error);
  if (user == NULL ||
      !rx_prescriptions_needs_second_factor (cli->db, argv[1], &needs_code, &error))
    return rx_cli_fail_error (cli, error);
  rx_db_set_actor (cli->db, rx_user_get_id (user));

  password = rx_cli_read_secret ("Password", password_stdin, &error);
  if (password == NULL)
    return rx_cli_fail_error (cli, error);
  /* without a code, core refuses with a message that says one is needed */
  if (needs_code)
    code = rx_cli_read_secret ("Code from your authenticator app", password_stdin, NULL);

  ok = rx_prescriptions_sign (cli->db, argv[1], as, password, code, &error);
  explicit_bzero (password, strlen (password));
  if (code != NULL)
    explicit_bzero (code, strlen (code));
  if (!ok)
    return rx_cli_fail_error (cli, error);

  rx = rx_prescriptions_get (cli->db, argv[1], &error);
  if (rx == NULL)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_prescription (b, rx);
      rx_cli_print_json (b);
    }
  else
    g_print ("Signed %s as %s at %s; a pharmacy can check it with “rx verify %s”\n",
             rx_prescription_get_id (rx), rx_user_get_username (user),
             rx_prescription_get_signed_at (rx), rx_prescription_get_id (rx));

  return RX_CLI_OK;
}

static int
cmd_verify (RxCli  *cli,
            int     argc,
            char  **argv)
{
  g_auto(RxVerification) v = { 0, };
  g_autoptr(GError) error = NULL;

  if (!rx_cli_parse (cli, "rx verify", NULL, &argc, &argv, 1, 1, "ID"))
    return cli->exit_code;

  if (!rx_prescriptions_verify (cli->db, argv[1], &v, &error))
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "valid");
      json_builder_add_boolean_value (b, v.ok);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, v.reason);
      json_builder_set_member_name (b, "signer");
      json_builder_add_string_value (b, v.signer);
      json_builder_set_member_name (b, "signed_at");
      json_builder_add_string_value (b, v.signed_at);
      json_builder_set_member_name (b, "certificate_serial");
      json_builder_add_string_value (b, v.certificate_serial);
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else if (v.ok)
    g_print ("Valid: signed by %s at %s (certificate %s)\n", v.signer, v.signed_at,
             v.certificate_serial);

  if (!v.ok)
    return rx_cli_fail (cli, RX_CLI_VERIFY_FAILED, "prescription %s is not valid: %s",
                        argv[1], v.reason);

  return RX_CLI_OK;
}

static int
cmd_cancel (RxCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why it is cancelled", "TEXT" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "rx cancel", entries, &argc, &argv, 1, 1, "ID --reason TEXT"))
    return cli->exit_code;
  if (reason == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "rx cancel needs --reason TEXT");

  if (!rx_prescriptions_set_status (cli->db, argv[1], RX_PRESCRIPTION_CANCELLED, reason, &error))
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, argv[1]);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, "cancelled");
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else
    g_print ("Cancelled %s\n", argv[1]);

  return RX_CLI_OK;
}

const RxCliCommand rx_cli_rx_commands[] = {
  { "rx", "create", "--patient ID --as USERNAME --item \"DRUG STRENGTH FORM; SIG; QTY\"... "
    "[--override REASON]",
    "Write a draft prescription, checked for safety (severe alerts need --override)", TRUE,
    cmd_create },
  { "rx", "list", "[--patient ID] [--status S]", "List prescriptions, newest first",
    TRUE, cmd_list },
  { "rx", "show", "ID", "Show a prescription", TRUE, cmd_show },
  { "rx", "sign", "ID --as USERNAME [--password-stdin]",
    "Sign your draft (password, then the authenticator code for a controlled medicine)",
    TRUE, cmd_sign },
  { "rx", "verify", "ID", "Check a prescription's signature before dispensing (exit 3 if not "
    "valid)", TRUE, cmd_verify },
  { "rx", "cancel", "ID --reason TEXT", "Cancel a prescription (recorded as a status event)",
    TRUE, cmd_cancel },
  { NULL }
};
