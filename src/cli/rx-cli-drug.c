/* rx-cli-drug.c: drug search and drug show. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include "rx-cli.h"

static void
print_product_line (RxProduct *p)
{
  g_autofree char *full = rx_product_dup_display_name (p);
  g_autofree char *name = rx_cli_pad (full, 46);
  GPtrArray *packs = rx_product_get_packs (p);
  g_autofree char *price = NULL;
  g_autofree char *stock = NULL;

  if (packs->len > 0)
    {
      RxPack *pack = packs->pdata[0];
      g_autofree char *money = rx_cli_format_money (pack->price_minor);

      price = g_strdup_printf ("%s/%" G_GINT64_FORMAT " %s", money, pack->size, pack->unit);
    }

  if (rx_product_get_on_hand (p) > 0)
    stock = g_strdup_printf ("%" G_GINT64_FORMAT " on hand, expires %s",
                             rx_product_get_on_hand (p),
                             rx_product_get_nearest_expiry (p) ?: "?");
  else
    stock = g_strdup ("out of stock");

  g_print ("%s %s %s%s  %s  [%s]\n", name, rx_product_get_atc (p),
           rx_product_get_controlled (p) ? "CD " : "",
           rx_product_get_rx_only (p) ? "Rx" : "OTC", price ? price : "", stock);
}

static int
cmd_search (RxCli  *cli,
            int     argc,
            char  **argv)
{
  int limit = 20;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autofree char *text = NULL;
  guint n;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "At most this many results", "N" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "drug search", entries, &argc, &argv, 1, -1, "TEXT [--limit N]"))
    return cli->exit_code;
  if (limit <= 0 || limit > 1000)
    return rx_cli_fail (cli, RX_CLI_USAGE, "--limit must be from 1 to 1000");

  text = g_strjoinv (" ", argv + 1);
  found = rx_formulary_search (cli->db, text, limit, &error);
  if (found == NULL)
    return rx_cli_fail_error (cli, error);
  n = g_list_model_get_n_items (found);

  if (n == 0)
    {
      g_auto(GStrv) near = rx_formulary_suggest (cli->db, text, 3);

      if (cli->json)
        g_print ("{\"results\":[]}\n");
      if (near[0] != NULL)
        {
          g_autofree char *list = g_strjoinv (", ", near);

          return rx_cli_fail (cli, RX_CLI_FAILED, "no medicine matches “%s”; did you mean %s?",
                              text, list);
        }
      return rx_cli_fail (cli, RX_CLI_FAILED, "no medicine matches “%s”; check the spelling or "
                          "search for the generic name", text);
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "results");
      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RxProduct) p = g_list_model_get_item (found, i);

          rx_cli_json_product (b, p);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(RxProduct) p = g_list_model_get_item (found, i);

        print_product_line (p);
      }

  return RX_CLI_OK;
}

static int
cmd_show (RxCli  *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) products = NULL;
  g_autofree char *text = NULL;
  guint n;

  if (!rx_cli_parse (cli, "drug show", NULL, &argc, &argv, 1, -1, "NAME|ID"))
    return cli->exit_code;

  text = g_strjoinv (" ", argv + 1);
  products = rx_formulary_lookup (cli->db, text, &error);
  if (products == NULL)
    return rx_cli_fail_error (cli, error);
  n = g_list_model_get_n_items (products);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(RxProduct) first = g_list_model_get_item (products, 0);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "inn");
      json_builder_add_string_value (b, rx_product_get_inn (first));
      json_builder_set_member_name (b, "other_names");
      json_builder_add_string_value (b, rx_product_get_synonyms (first));
      json_builder_set_member_name (b, "products");
      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RxProduct) p = g_list_model_get_item (products, i);

          rx_cli_json_product (b, p);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else
    {
      g_autoptr(RxProduct) first = g_list_model_get_item (products, 0);

      g_print ("%s\n", rx_product_get_inn (first));
      if (*rx_product_get_synonyms (first))
        g_print ("Also known as: %s\n", rx_product_get_synonyms (first));
      g_print ("\n");
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RxProduct) p = g_list_model_get_item (products, i);

          g_print ("  %s (%s, %s)\n  ", rx_product_get_code (p), rx_product_get_route (p),
                   rx_product_get_eml (p) ? "WHO essential medicine" : "formulary");
          print_product_line (p);
        }
    }

  return RX_CLI_OK;
}

const RxCliCommand rx_cli_drug_commands[] = {
  { "drug", "search", "TEXT [--limit N]",
    "Search the formulary: generic and brand names, prefixes, one typo", TRUE, cmd_search },
  { "drug", "show", "NAME|ID", "Show a medicine's products, packs, prices and stock",
    TRUE, cmd_show },
  { NULL }
};
