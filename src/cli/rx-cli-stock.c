/* rx-cli-stock.c: stock receive, list and adjust. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include "rx-cli.h"

/* A product by id or code, or by a name that leaves exactly one product. */
static RxProduct *
resolve_product (RxCli       *cli,
                 const char  *text,
                 GError     **error)
{
  g_autoptr(GListModel) found = rx_formulary_lookup (cli->db, text, error);
  g_autoptr(GString) codes = NULL;
  guint n;

  if (found == NULL)
    return NULL;
  n = g_list_model_get_n_items (found);
  if (n == 1)
    return g_list_model_get_item (found, 0);

  codes = g_string_new (NULL);
  for (guint i = 0; i < n && i < 8; i++)
    {
      g_autoptr(RxProduct) p = g_list_model_get_item (found, i);

      g_string_append_printf (codes, "%s%s", i ? ", " : "", rx_product_get_code (p));
    }
  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
               "“%s” has %u products; name one by its code: %s%s", text, n, codes->str,
               n > 8 ? ", …" : "");
  return NULL;
}

static int
cmd_receive (RxCli  *cli,
             int     argc,
             char  **argv)
{
  g_autofree char *product = NULL;
  g_autofree char *lot = NULL;
  g_autofree char *expiry = NULL;
  g_autofree char *supplier = NULL;
  g_autofree char *batch = NULL;
  g_autofree char *gs1_text = NULL;
  g_autoptr(RxGs1) gs1 = NULL;
  g_autoptr(RxProduct) p = NULL;
  g_autoptr(GError) error = NULL;
  gint64 qty = 0, cost = -1;
  RxStockReceipt r = { NULL, };
  GOptionEntry entries[] = {
    { "product", 0, 0, G_OPTION_ARG_STRING, &product, "Product code, id or unique name", "NAME" },
    { "lot", 0, 0, G_OPTION_ARG_STRING, &lot, "Lot (batch) number", "LOT" },
    { "expiry", 0, 0, G_OPTION_ARG_STRING, &expiry, "Expiry date", "YYYY-MM-DD" },
    { "qty", 0, 0, G_OPTION_ARG_INT64, &qty, "Quantity in the product's unit", "N" },
    { "cost", 0, 0, G_OPTION_ARG_INT64, &cost, "Unit cost in minor units (cents)", "MINOR" },
    { "supplier", 0, 0, G_OPTION_ARG_STRING, &supplier, "Supplier", "NAME" },
    { "gs1", 0, 0, G_OPTION_ARG_STRING, &gs1_text,
      "What the scanner read from the pack (GTIN, expiry, lot, serial)", "STRING" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "stock receive", entries, &argc, &argv, 0, 0,
                     "(--gs1 STRING | --product NAME --lot LOT --expiry YYYY-MM-DD) --qty N"))
    return cli->exit_code;

  if (gs1_text != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      gs1 = rx_gs1_parse (gs1_text, g_date_time_get_year (now), &error);
      if (gs1 == NULL)
        return rx_cli_fail_error (cli, error);
      if (lot == NULL && gs1->lot)
        lot = g_strdup (gs1->lot);
      if (expiry == NULL && gs1->expiry)
        expiry = g_strdup (gs1->expiry);
      if (product == NULL && gs1->gtin)
        {
          p = rx_formulary_find_gtin (cli->db, gs1->gtin, &error);
          if (p == NULL)
            return rx_cli_fail (cli, RX_CLI_FAILED, "%s: add --product NAME", error->message);
        }
    }

  if ((product == NULL && p == NULL) || lot == NULL || expiry == NULL || qty == 0)
    return rx_cli_fail (cli, RX_CLI_USAGE, "stock receive needs --qty and either --gs1 with "
                        "the pack's code or --product, --lot and --expiry");

  if (p == NULL)
    {
      p = resolve_product (cli, product, &error);
      if (p == NULL)
        return rx_cli_fail_error (cli, error);
    }

  /* the first scan of a pack teaches RxDesk its GTIN */
  if (gs1 != NULL && gs1->gtin != NULL)
    {
      g_autoptr(RxProduct) known = rx_formulary_find_gtin (cli->db, gs1->gtin, NULL);

      if (known == NULL && !rx_formulary_set_gtin (cli->db, rx_product_get_id (p), gs1->gtin,
                                                   &error))
        return rx_cli_fail_error (cli, error);
      if (known != NULL && g_strcmp0 (rx_product_get_id (known), rx_product_get_id (p)) != 0)
        return rx_cli_fail (cli, RX_CLI_FAILED, "the pack's GTIN %s belongs to %s, not %s; check "
                            "the pack", gs1->gtin, rx_product_get_code (known),
                            rx_product_get_code (p));
    }

  r.product = rx_product_get_id (p);
  r.lot = lot;
  r.expiry = expiry;
  r.quantity = qty;
  r.unit_cost_minor = cost;
  r.supplier = supplier;
  r.gtin = gs1 ? gs1->gtin : NULL;
  r.serial = gs1 ? gs1->serial : NULL;

  batch = rx_stock_receive (cli->db, &r, &error);
  if (batch == NULL)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "batch");
      json_builder_add_string_value (b, batch);
      json_builder_set_member_name (b, "product");
      json_builder_add_string_value (b, rx_product_get_code (p));
      json_builder_set_member_name (b, "lot");
      json_builder_add_string_value (b, lot);
      json_builder_set_member_name (b, "received");
      json_builder_add_int_value (b, qty);
      json_builder_set_member_name (b, "on_hand");
      json_builder_add_int_value (b, rx_stock_on_hand (cli->db, rx_product_get_id (p)));
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else
    {
      g_autofree char *name = rx_product_dup_display_name (p);

      g_print ("Received %" G_GINT64_FORMAT " of %s, lot %s (expires %s); %" G_GINT64_FORMAT
               " on hand\n", qty, name, lot, expiry, rx_stock_on_hand (cli->db, r.product));
    }

  return RX_CLI_OK;
}

static int
cmd_list (RxCli  *cli,
          int     argc,
          char  **argv)
{
  int expiring = -1;
  g_autofree char *product = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) batches = NULL;
  guint n;
  GOptionEntry entries[] = {
    { "expiring", 0, 0, G_OPTION_ARG_INT, &expiring, "Only lots expiring within DAYS", "DAYS" },
    { "product", 0, 0, G_OPTION_ARG_STRING, &product, "Only this product (code or id)", "CODE" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "stock list", entries, &argc, &argv, 0, 0,
                     "[--expiring DAYS] [--product CODE]"))
    return cli->exit_code;
  if (expiring < -1 || expiring > 3650)
    return rx_cli_fail (cli, RX_CLI_USAGE, "--expiring takes a number of days from 0 to 3650");

  batches = rx_stock_list (cli->db, product, expiring, &error);
  if (batches == NULL)
    return rx_cli_fail_error (cli, error);
  n = g_list_model_get_n_items (batches);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "batches");
      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RxBatch) bt = g_list_model_get_item (batches, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, rx_batch_get_id (bt));
          json_builder_set_member_name (b, "product");
          json_builder_add_string_value (b, rx_batch_get_product_name (bt));
          json_builder_set_member_name (b, "product_id");
          json_builder_add_string_value (b, rx_batch_get_product_id (bt));
          json_builder_set_member_name (b, "lot");
          json_builder_add_string_value (b, rx_batch_get_lot (bt));
          json_builder_set_member_name (b, "expiry");
          json_builder_add_string_value (b, rx_batch_get_expiry (bt));
          json_builder_set_member_name (b, "quantity");
          json_builder_add_int_value (b, rx_batch_get_quantity (bt));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else if (n == 0)
    g_print ("No stock%s\n", expiring >= 0 ? " expiring in that time" : "");
  else
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(RxBatch) bt = g_list_model_get_item (batches, i);
        g_autofree char *name = rx_cli_pad (rx_batch_get_product_name (bt), 46);

        g_print ("%s  %s lot %-10s %6" G_GINT64_FORMAT "\n", rx_batch_get_expiry (bt),
                 name, rx_batch_get_lot (bt),
                 rx_batch_get_quantity (bt));
      }

  return RX_CLI_OK;
}

static int
cmd_adjust (RxCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *lot = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(RxProduct) p = NULL;
  g_autoptr(GError) error = NULL;
  gint64 qty = 0;
  GOptionEntry entries[] = {
    { "lot", 0, 0, G_OPTION_ARG_STRING, &lot, "Lot number", "LOT" },
    { "qty", 0, 0, G_OPTION_ARG_INT64, &qty, "Change, e.g. -3 or +5", "±N" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      "damage, count-correction, return-to-supplier or expiry-write-off", "REASON" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "stock adjust", entries, &argc, &argv, 1, 1,
                     "PRODUCT --lot LOT --qty ±N --reason REASON"))
    return cli->exit_code;
  if (lot == NULL || qty == 0 || reason == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "stock adjust needs --lot, a non-zero --qty and "
                        "--reason");

  p = resolve_product (cli, argv[1], &error);
  if (p == NULL || !rx_stock_adjust (cli->db, rx_product_get_id (p), lot, qty, reason, &error))
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "product");
      json_builder_add_string_value (b, rx_product_get_code (p));
      json_builder_set_member_name (b, "on_hand");
      json_builder_add_int_value (b, rx_stock_on_hand (cli->db, rx_product_get_id (p)));
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else
    g_print ("Recorded %+" G_GINT64_FORMAT " (%s); %" G_GINT64_FORMAT " on hand\n", qty, reason,
             rx_stock_on_hand (cli->db, rx_product_get_id (p)));

  return RX_CLI_OK;
}

const RxCliCommand rx_cli_stock_commands[] = {
  { "stock", "receive", "(--gs1 STRING | --product NAME --lot LOT --expiry YYYY-MM-DD) --qty N "
    "[--cost MINOR]",
    "Receive a delivery into stock", TRUE, cmd_receive },
  { "stock", "list", "[--expiring DAYS] [--product CODE]",
    "List lots in stock, nearest expiry first", TRUE, cmd_list },
  { "stock", "adjust", "PRODUCT --lot LOT --qty ±N --reason REASON",
    "Record damage, a count correction, a return or an expiry write-off", TRUE, cmd_adjust },
  { NULL }
};
