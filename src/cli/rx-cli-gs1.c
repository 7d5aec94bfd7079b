/* rx-cli-gs1.c: gs1 parse, for checking what a scanner sends. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include "rx-cli.h"

static int
cmd_parse (RxCli  *cli,
           int     argc,
           char  **argv)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(RxGs1) gs1 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!rx_cli_parse (cli, "gs1 parse", NULL, &argc, &argv, 1, 1, "STRING"))
    return cli->exit_code;

  gs1 = rx_gs1_parse (argv[1], g_date_time_get_year (now), &error);
  if (gs1 == NULL)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
#define STR(key, value) \
  json_builder_set_member_name (b, key); \
  json_builder_add_string_value (b, value);
      STR ("gtin", gs1->gtin);
      STR ("expiry", gs1->expiry);
      STR ("lot", gs1->lot);
      STR ("serial", gs1->serial);
      if (gs1->produced)
        {
          STR ("produced", gs1->produced);
        }
      if (gs1->nhrn)
        {
          STR ("nhrn", gs1->nhrn);
        }
#undef STR
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else
    g_print ("GTIN    %s\nExpiry  %s\nLot     %s\nSerial  %s\n",
             gs1->gtin ? gs1->gtin : "—", gs1->expiry ? gs1->expiry : "—",
             gs1->lot ? gs1->lot : "—", gs1->serial ? gs1->serial : "—");

  return RX_CLI_OK;
}

const RxCliCommand rx_cli_gs1_commands[] = {
  { "gs1", "parse", "STRING",
    "Read a GS1 DataMatrix/GS1-128 string (raw with ]d2 and ASCII 29, or (01)…(17)…(10)…)",
    FALSE, cmd_parse },
  { NULL }
};
