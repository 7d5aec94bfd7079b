/* rx-cli-invoice.c: invoice create, issue, pay, refund, show and verify. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include "rx-cli.h"

static void
json_invoice (JsonBuilder *b,
              RxInvoice   *inv)
{
  GPtrArray *lines = rx_invoice_get_lines (inv);
  GPtrArray *payments = rx_invoice_get_payments (inv);

  json_builder_begin_object (b);
#define STR(key, value) \
  json_builder_set_member_name (b, key); \
  json_builder_add_string_value (b, value);
#define INT(key, value) \
  json_builder_set_member_name (b, key); \
  json_builder_add_int_value (b, value);
  STR ("id", rx_invoice_get_id (inv));
  INT ("number", rx_invoice_get_number (inv));
  STR ("till", rx_invoice_get_till (inv));
  STR ("kind", rx_invoice_get_kind (inv));
  STR ("status", rx_invoice_get_status (inv));
  STR ("currency", rx_invoice_get_currency (inv));
  INT ("total_minor", rx_invoice_get_total_minor (inv));
  INT ("tax_minor", rx_invoice_get_tax_minor (inv));
  INT ("paid_minor", rx_invoice_get_paid_minor (inv));
  INT ("balance_minor", rx_invoice_get_balance_minor (inv));
  STR ("patient_id", rx_invoice_get_patient_id (inv));
  STR ("refers_to", rx_invoice_get_refers_to_id (inv));
  STR ("issued_at", rx_invoice_get_issued_at (inv));
  STR ("hash", rx_invoice_get_hash (inv));
  json_builder_set_member_name (b, "lines");
  json_builder_begin_array (b);
  for (guint i = 0; i < lines->len; i++)
    {
      RxInvoiceLine *l = lines->pdata[i];

      json_builder_begin_object (b);
      STR ("description", l->description);
      INT ("quantity", l->quantity);
      INT ("unit_price_minor", l->unit_price_minor);
      INT ("discount_minor", l->discount_minor);
      INT ("tax_rate_bp", l->tax_rate_bp);
      INT ("total_minor", l->total_minor);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "payments");
  json_builder_begin_array (b);
  for (guint i = 0; i < payments->len; i++)
    {
      RxPayment *p = payments->pdata[i];

      json_builder_begin_object (b);
      STR ("method", p->method);
      INT ("amount_minor", p->amount_minor);
      STR ("reference", p->reference);
      STR ("at", p->at);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
#undef STR
#undef INT
  json_builder_end_object (b);
}

static void
print_invoice (RxInvoice *inv)
{
  GPtrArray *lines = rx_invoice_get_lines (inv);
  g_autofree char *total = rx_cli_format_money (rx_invoice_get_total_minor (inv));
  g_autofree char *tax = rx_cli_format_money (rx_invoice_get_tax_minor (inv));
  g_autofree char *balance = rx_cli_format_money (rx_invoice_get_balance_minor (inv));

  g_print ("%s %" G_GINT64_FORMAT " (till %s, %s)  %s\n",
           g_strcmp0 (rx_invoice_get_kind (inv), "credit_note") == 0 ? "Credit note" : "Invoice",
           rx_invoice_get_number (inv), rx_invoice_get_till (inv), rx_invoice_get_status (inv),
           rx_invoice_get_id (inv));
  for (guint i = 0; i < lines->len; i++)
    {
      RxInvoiceLine *l = lines->pdata[i];
      g_autofree char *desc = rx_cli_pad (l->description, 46);
      g_autofree char *price = rx_cli_format_money (l->unit_price_minor);
      g_autofree char *line_total = rx_cli_format_money (l->total_minor);

      g_print ("  %s %5" G_GINT64_FORMAT " × %8s %10s\n", desc, l->quantity, price, line_total);
    }
  g_print ("  Total %s %s (tax %s); to pay %s\n", total, rx_invoice_get_currency (inv), tax,
           balance);
}

static int
show (RxCli      *cli,
      const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) inv = rx_invoices_get (cli->db, id, &error);

  if (inv == NULL)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_invoice (b, inv);
      rx_cli_print_json (b);
    }
  else
    print_invoice (inv);

  return RX_CLI_OK;
}

/* "PRODUCT; QTY" bills a formulary product at its unit price; "TEXT; QTY; PRICE" a service. */
static gboolean
add_line (RxCli       *cli,
          const char  *invoice_id,
          const char  *spec,
          GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (spec, ";", 3);
  g_autoptr(GListModel) found = NULL;
  g_autoptr(RxProduct) product = NULL;
  g_autofree char *name = NULL;
  g_autofree char *line = NULL;
  RxInvoiceLineFields f = { NULL, };
  gint64 qty, price = -1;

  if (g_strv_length (parts) < 2 ||
      !g_ascii_string_to_signed (g_strstrip (parts[1]), 10, 1, 100000, &qty, NULL) ||
      (parts[2] != NULL &&
       !g_ascii_string_to_signed (g_strstrip (parts[2]), 10, 0, G_MAXINT32, &price, NULL)))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "line “%s” must read “PRODUCT; QUANTITY” or “DESCRIPTION; QUANTITY; "
                   "UNIT PRICE IN MINOR UNITS”", spec);
      return FALSE;
    }
  g_strstrip (parts[0]);

  if (price < 0)
    {
      GPtrArray *packs;
      RxPack *smallest;

      found = rx_formulary_lookup (cli->db, parts[0], error);
      if (found == NULL)
        return FALSE;
      if (g_list_model_get_n_items (found) != 1)
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "“%s” names %u products; give the product code", parts[0],
                       g_list_model_get_n_items (found));
          return FALSE;
        }
      product = g_list_model_get_item (found, 0);
      packs = rx_product_get_packs (product);
      if (packs->len == 0)
        {
          g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                       "%s has no price; give one as the third field", parts[0]);
          return FALSE;
        }
      smallest = packs->pdata[0];
      /* per unit, rounded up to the minor unit so a pack never sells below its price */
      price = (smallest->price_minor + smallest->size - 1) / smallest->size;
      name = rx_product_dup_display_name (product);
      f.product_id = rx_product_get_id (product);
    }

  f.description = name ? name : parts[0];
  f.quantity = qty;
  f.unit_price_minor = price;

  line = rx_invoices_add_line (cli->db, invoice_id, &f, error);
  return line != NULL;
}

static int
cmd_create (RxCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *patient = NULL;
  g_autofree char *till = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(RxPatient) p = NULL;
  g_autoptr(RxInvoice) inv = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "patient", 0, 0, G_OPTION_ARG_STRING, &patient, "Patient id or record number", "ID" },
    { "till", 0, 0, G_OPTION_ARG_STRING, &till, "The till (default till-1)", "TILL" },
    { "line", 0, 0, G_OPTION_ARG_STRING_ARRAY, &lines,
      "“PRODUCT; QTY” or “DESCRIPTION; QTY; UNIT-PRICE-MINOR” (repeatable)", "LINE" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "invoice create", entries, &argc, &argv, 0, 0,
                     "--line \"PRODUCT; QTY\"... [--patient ID] [--till TILL]"))
    return cli->exit_code;
  if (lines == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "invoice create needs at least one --line");

  if (patient && (p = rx_patients_get (cli->db, patient, &error)) == NULL)
    return rx_cli_fail_error (cli, error);

  /* open, add every line and issue in one transaction: all of it is billed, or nothing */
  if (!rx_db_begin (cli->db, &error))
    return rx_cli_fail_error (cli, error);
  inv = rx_invoices_open (cli->db, till ? till : "till-1", p ? rx_patient_get_id (p) : NULL,
                          &error);
  for (guint i = 0; inv != NULL && lines[i]; i++)
    if (!add_line (cli, rx_invoice_get_id (inv), lines[i], &error))
      g_clear_object (&inv);
  if (inv == NULL ||
      !rx_invoices_issue (cli->db, rx_invoice_get_id (inv), &error) ||
      !rx_db_commit (cli->db, &error))
    {
      rx_db_rollback (cli->db);
      return rx_cli_fail_error (cli, error);
    }

  return show (cli, rx_invoice_get_id (inv));
}

/* An invoice left open by a dispense is issued here, then paid. */
static int
cmd_issue (RxCli  *cli,
           int     argc,
           char  **argv)
{
  g_autoptr(GError) error = NULL;

  if (!rx_cli_parse (cli, "invoice issue", NULL, &argc, &argv, 1, 1, "ID"))
    return cli->exit_code;

  if (!rx_invoices_issue (cli->db, argv[1], &error))
    return rx_cli_fail_error (cli, error);

  return show (cli, argv[1]);
}

static int
cmd_pay (RxCli  *cli,
         int     argc,
         char  **argv)
{
  g_autofree char *method = NULL;
  g_autofree char *reference = NULL;
  g_autoptr(GError) error = NULL;
  gint64 amount = 0, change = 0;
  GOptionEntry entries[] = {
    { "method", 0, 0, G_OPTION_ARG_STRING, &method, "cash, card or insurance", "METHOD" },
    { "amount", 0, 0, G_OPTION_ARG_INT64, &amount, "Amount in minor units (cents)", "MINOR" },
    { "reference", 0, 0, G_OPTION_ARG_STRING, &reference,
      "Card slip or insurance claim reference", "REF" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "invoice pay", entries, &argc, &argv, 1, 1,
                     "ID --method cash|card|insurance --amount MINOR"))
    return cli->exit_code;
  if (method == NULL || amount <= 0)
    return rx_cli_fail (cli, RX_CLI_USAGE, "invoice pay needs --method and a positive --amount");

  if (!rx_invoices_pay (cli->db, argv[1], method, amount, reference, &change, &error))
    return rx_cli_fail_error (cli, error);

  if (!cli->json && change > 0)
    {
      g_autofree char *text = rx_cli_format_money (change);

      g_print ("Change due: %s\n", text);
    }

  return show (cli, argv[1]);
}

static int
cmd_refund (RxCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxInvoice) credit = NULL;

  if (!rx_cli_parse (cli, "invoice refund", NULL, &argc, &argv, 1, 1, "ID"))
    return cli->exit_code;

  credit = rx_invoices_refund (cli->db, argv[1], &error);
  if (credit == NULL)
    return rx_cli_fail_error (cli, error);

  return show (cli, rx_invoice_get_id (credit));
}

static int
cmd_show (RxCli  *cli,
          int     argc,
          char  **argv)
{
  if (!rx_cli_parse (cli, "invoice show", NULL, &argc, &argv, 1, 1, "ID"))
    return cli->exit_code;

  return show (cli, argv[1]);
}

static int
cmd_verify (RxCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *till = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;
  GOptionEntry entries[] = {
    { "till", 0, 0, G_OPTION_ARG_STRING, &till, "Only this till", "TILL" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "invoice verify", entries, &argc, &argv, 0, 0, "[--till TILL]"))
    return cli->exit_code;

  ok = rx_invoices_verify_chain (cli->db, till, &bad, &error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "ok");
      json_builder_add_boolean_value (b, ok);
      json_builder_set_member_name (b, "invoice");
      json_builder_add_string_value (b, bad);
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else if (ok)
    g_print ("Every invoice chain is intact\n");

  if (!ok)
    {
      rx_cli_fail_error (cli, error);
      return bad != NULL ? RX_CLI_VERIFY_FAILED : RX_CLI_FAILED;
    }

  return RX_CLI_OK;
}

const RxCliCommand rx_cli_invoice_commands[] = {
  { "invoice", "create", "--line \"PRODUCT; QTY\"... [--patient ID] [--till TILL]",
    "Bill products or services and issue the invoice", TRUE, cmd_create },
  { "invoice", "issue", "ID", "Issue an open invoice (one a dispense billed) so it can be paid",
    TRUE, cmd_issue },
  { "invoice", "pay", "ID --method cash|card|insurance --amount MINOR [--reference REF]",
    "Take a payment (cash shows the change due)", TRUE, cmd_pay },
  { "invoice", "refund", "ID", "Refund a paid invoice with a credit note", TRUE, cmd_refund },
  { "invoice", "show", "ID", "Show an invoice with its lines and payments", TRUE, cmd_show },
  { "invoice", "verify", "[--till TILL]", "Check every till's invoice chain (exit 3 if altered)",
    TRUE, cmd_verify },
  { NULL }
};
