/* rx-cli-report.c: report daily, the closing (Z) report of a day's tills. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include "rx-cli.h"

#define INT(key, value) \
  G_STMT_START { \
    json_builder_set_member_name (b, key); \
    json_builder_add_int_value (b, value); \
  } G_STMT_END
#define STR(key, value) \
  G_STMT_START { \
    json_builder_set_member_name (b, key); \
    json_builder_add_string_value (b, value); \
  } G_STMT_END

typedef struct
{
  gint64 float_minor;    /* the cash the drawer started with */
  gint64 counted_minor;  /* the cash counted at closing; -1 when not counted */
} CashCount;

static void
json_report (JsonBuilder         *b,
             const RxDailyReport *r,
             const CashCount     *cash)
{
  json_builder_begin_object (b);
  STR ("date", r->date);
  STR ("from", r->from);
  STR ("until", r->until);
  STR ("till", r->till);
  STR ("currency", r->currency);

  json_builder_set_member_name (b, "invoices");
  json_builder_begin_object (b);
  INT ("count", r->invoices);
  INT ("gross_minor", r->sales_gross_minor);
  INT ("tax_minor", r->sales_tax_minor);
  INT ("net_minor", r->sales_net_minor);
  INT ("discount_minor", r->discount_minor);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "credit_notes");
  json_builder_begin_object (b);
  INT ("count", r->credit_notes);
  INT ("gross_minor", r->refunds_gross_minor);
  INT ("tax_minor", r->refunds_tax_minor);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "total");
  json_builder_begin_object (b);
  INT ("gross_minor", r->total_gross_minor);
  INT ("tax_minor", r->total_tax_minor);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "tax_rates");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->tax_rates->len; i++)
    {
      const RxTaxTotal *t = &g_array_index (r->tax_rates, RxTaxTotal, i);

      json_builder_begin_object (b);
      INT ("rate_bp", t->rate_bp);
      INT ("net_minor", t->net_minor);
      INT ("tax_minor", t->tax_minor);
      INT ("gross_minor", t->gross_minor);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "payments");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->payments->len; i++)
    {
      const RxMethodTotal *t = &g_array_index (r->payments, RxMethodTotal, i);

      json_builder_begin_object (b);
      STR ("method", t->method);
      INT ("count", t->count);
      INT ("received_minor", t->received_minor);
      INT ("paid_back_minor", t->paid_back_minor);
      INT ("net_minor", t->net_minor);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  INT ("payments_minor", r->payments_minor);

  json_builder_set_member_name (b, "cash");
  json_builder_begin_object (b);
  INT ("takings_minor", r->expected_cash_minor);
  INT ("float_minor", cash->float_minor);
  INT ("expected_minor", cash->float_minor + r->expected_cash_minor);
  json_builder_set_member_name (b, "counted_minor");
  if (cash->counted_minor >= 0)
    json_builder_add_int_value (b, cash->counted_minor);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "difference_minor");
  if (cash->counted_minor >= 0)
    json_builder_add_int_value (b, cash->counted_minor -
                                   (cash->float_minor + r->expected_cash_minor));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  INT ("outstanding_minor", r->outstanding_minor);
  json_builder_set_member_name (b, "open_invoices");
  json_builder_begin_object (b);
  INT ("count", r->open_invoices);
  INT ("total_minor", r->open_minor);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
print_money_line (const char *label,
                  gint64      minor)
{
  g_autofree char *padded = rx_cli_pad (label, 34);
  g_autofree char *money = rx_cli_format_money (minor);

  g_print ("  %s %12s\n", padded, money);
}

static void
print_report (const RxDailyReport *r,
              const CashCount     *cash)
{
  gint64 expected = cash->float_minor + r->expected_cash_minor;

  g_print ("Daily closing report for %s%s%s (amounts in %s)\n", r->date,
           r->till ? ", till " : ", every till", r->till ? r->till : "", r->currency);
  g_print ("\nSales: %u invoice%s\n", r->invoices, r->invoices == 1 ? "" : "s");
  print_money_line ("Net", r->sales_net_minor);
  print_money_line ("Tax", r->sales_tax_minor);
  print_money_line ("Gross", r->sales_gross_minor);
  print_money_line ("Discounts given", r->discount_minor);
  g_print ("\nRefunds: %u credit note%s\n", r->credit_notes, r->credit_notes == 1 ? "" : "s");
  print_money_line ("Gross", r->refunds_gross_minor);
  print_money_line ("Tax", r->refunds_tax_minor);
  g_print ("\nBy tax rate (sales and refunds)\n");
  for (guint i = 0; i < r->tax_rates->len; i++)
    {
      const RxTaxTotal *t = &g_array_index (r->tax_rates, RxTaxTotal, i);
      g_autofree char *net = rx_cli_format_money (t->net_minor);
      g_autofree char *tax = rx_cli_format_money (t->tax_minor);
      g_autofree char *gross = rx_cli_format_money (t->gross_minor);

      g_print ("  %3d.%02d %%   net %12s   tax %10s   gross %12s\n", t->rate_bp / 100,
               t->rate_bp % 100, net, tax, gross);
    }
  print_money_line ("Total gross", r->total_gross_minor);
  print_money_line ("Total tax", r->total_tax_minor);

  g_print ("\nPayments\n");
  for (guint i = 0; i < r->payments->len; i++)
    {
      const RxMethodTotal *t = &g_array_index (r->payments, RxMethodTotal, i);
      g_autofree char *received = rx_cli_format_money (t->received_minor);
      g_autofree char *back = rx_cli_format_money (t->paid_back_minor);
      g_autofree char *net = rx_cli_format_money (t->net_minor);
      g_autofree char *method = rx_cli_pad (t->method, 10);

      g_print ("  %s %3u taken %12s   paid back %10s   net %12s\n", method, t->count, received,
               back, net);
    }
  print_money_line ("Total", r->payments_minor);

  g_print ("\nCash drawer\n");
  print_money_line ("Float", cash->float_minor);
  print_money_line ("Cash takings", r->expected_cash_minor);
  print_money_line ("Expected in the drawer", expected);
  if (cash->counted_minor >= 0)
    {
      print_money_line ("Counted", cash->counted_minor);
      print_money_line (cash->counted_minor >= expected ? "Over" : "Short",
                        cash->counted_minor - expected);
    }

  g_print ("\n");
  print_money_line ("Still owed on the day's invoices", r->outstanding_minor);
  if (r->open_invoices > 0)
    {
      g_autofree char *open = rx_cli_format_money (r->open_minor);

      g_print ("  %u invoice%s opened today and not issued (%s), in no total above\n",
               r->open_invoices, r->open_invoices == 1 ? "" : "s", open);
    }
}

static int
cmd_daily (RxCli  *cli,
           int     argc,
           char  **argv)
{
  g_autofree char *date = NULL;
  g_autofree char *till = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(RxDailyReport) report = { NULL, };
  CashCount cash = { 0, -1 };
  GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, "The day (default: today)", "YYYY-MM-DD" },
    { "till", 0, 0, G_OPTION_ARG_STRING, &till, "Only this till (default: every till)",
      "TILL" },
    { "float", 0, 0, G_OPTION_ARG_INT64, &cash.float_minor,
      "Cash the drawer started the day with, in minor units", "MINOR" },
    { "counted", 0, 0, G_OPTION_ARG_INT64, &cash.counted_minor,
      "Cash counted in the drawer at closing, in minor units", "MINOR" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "report daily", entries, &argc, &argv, 0, 0,
                     "[--date YYYY-MM-DD] [--till TILL] [--float MINOR] [--counted MINOR]"))
    return cli->exit_code;
  if (cash.float_minor < 0 || cash.counted_minor < -1)
    return rx_cli_fail (cli, RX_CLI_USAGE, "--float and --counted take amounts of 0 or more");

  if (!rx_report_daily (cli->db, date, NULL, till, &report, &error))
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_report (b, &report, &cash);
      rx_cli_print_json (b);
    }
  else
    print_report (&report, &cash);

  return RX_CLI_OK;
}

const RxCliCommand rx_cli_report_commands[] = {
  { "report", "daily", "[--date YYYY-MM-DD] [--till TILL] [--float MINOR] [--counted MINOR]",
    "The day's closing (Z) report: sales, tax by rate, refunds, payments, cash expected",
    TRUE, cmd_daily },
  { NULL }
};
