/* rx-cli-stock.c: stock receive, list, adjust, take, reorder, export and history. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

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

/* in_date, expiring_soon (within RX_DISPENSE_SOON_DAYS) or expired, on the clinic's clock */
static const char *
expiry_state (RxCli      *cli,
              const char *expiry)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (rx_db_now (cli->db) /
                                                            G_USEC_PER_SEC);
  g_autoptr(GDateTime) soon = g_date_time_add_days (now, RX_DISPENSE_SOON_DAYS);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *limit = g_date_time_format (soon, "%Y-%m-%d");

  if (g_strcmp0 (expiry, today) <= 0)
    return "expired";
  if (g_strcmp0 (expiry, limit) <= 0)
    return "expiring_soon";
  return "in_date";
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
          json_builder_set_member_name (b, "state");
          json_builder_add_string_value (b, expiry_state (cli, rx_batch_get_expiry (bt)));
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

        const char *state = expiry_state (cli, rx_batch_get_expiry (bt));

        g_print ("%s  %s lot %-10s %6" G_GINT64_FORMAT "%s\n", rx_batch_get_expiry (bt),
                 name, rx_batch_get_lot (bt), rx_batch_get_quantity (bt),
                 g_str_equal (state, "expired") ? "  EXPIRED: not to be dispensed"
                 : g_str_equal (state, "expiring_soon") ? "  expires soon" : "");
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

/* Stock-take ------------------------------------------------------------------------------ */

/* One count line: "LOT<TAB>COUNT" or "PRODUCT<TAB>LOT<TAB>COUNT". */
static gboolean
parse_count_line (RxCli         *cli,
                  char          *text,
                  guint          line_no,
                  GPtrArray     *keep,
                  RxStockCount  *count,
                  GError       **error)
{
  g_auto(GStrv) fields = g_strsplit (text, "\t", 4);
  guint n = g_strv_length (fields);
  guint64 counted;

  if (n < 2 || n > 3 ||
      !g_ascii_string_to_unsigned (g_strstrip (fields[n - 1]), 10, 0, 10000000, &counted, NULL))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "line %u must read “LOT<TAB>COUNT” or “PRODUCT<TAB>LOT<TAB>COUNT” with a "
                   "count from 0 to 10 000 000", line_no);
      return FALSE;
    }

  if (n == 3)
    {
      g_autoptr(RxProduct) p = resolve_product (cli, g_strstrip (fields[0]), error);

      if (p == NULL)
        {
          g_prefix_error (error, "line %u: ", line_no);
          return FALSE;
        }
      count->product = g_strdup (rx_product_get_id (p));
      g_ptr_array_add (keep, (gpointer) count->product);
    }
  count->lot = g_strdup (g_strstrip (fields[n - 2]));
  g_ptr_array_add (keep, (gpointer) count->lot);
  count->counted = counted;

  return TRUE;
}

static gboolean
read_counts (RxCli       *cli,
             const char  *from,
             GArray      *counts,
             GPtrArray   *keep,
             GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (from != NULL && g_strcmp0 (from, "-") != 0)
    {
      if (!g_file_get_contents (from, &contents, NULL, error))
        return FALSE;
    }
  else
    {
      g_autoptr(GString) in = g_string_new (NULL);
      char buf[4096];
      size_t got;

      while ((got = fread (buf, 1, sizeof buf, stdin)) > 0)
        g_string_append_len (in, buf, got);
      contents = g_string_free (g_steal_pointer (&in), FALSE);
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      RxStockCount count = { NULL, };
      char *text = lines[i];

      text[strcspn (text, "\r")] = '\0';
      if (*g_strstrip (text) == '\0' || text[0] == '#')
        continue;
      /* g_strstrip also took off the tabs at the ends, which carry no field */
      if (!parse_count_line (cli, lines[i], i + 1, keep, &count, error))
        return FALSE;
      g_array_append_val (counts, count);
    }

  if (counts->len == 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "no counts were given; write one “LOT<TAB>COUNT” line per lot counted");
      return FALSE;
    }
  return TRUE;
}

static int
cmd_take (RxCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *product = NULL;
  g_autofree char *lot = NULL;
  g_autofree char *from = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) counts = g_array_new (FALSE, TRUE, sizeof (RxStockCount));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) result = NULL;
  gint64 count = -1;
  guint adjusted = 0;
  GOptionEntry entries[] = {
    { "product", 0, 0, G_OPTION_ARG_STRING, &product, "The counted lot's product", "CODE" },
    { "lot", 0, 0, G_OPTION_ARG_STRING, &lot, "Count this one lot", "LOT" },
    { "count", 0, 0, G_OPTION_ARG_INT64, &count, "What is on the shelf of that lot", "N" },
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from,
      "Read “LOT<TAB>COUNT” or “PRODUCT<TAB>LOT<TAB>COUNT” lines from FILE (default: "
      "standard input)", "FILE" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "stock take", entries, &argc, &argv, 0, 0,
                     "[--product CODE] --lot LOT --count N | [--from FILE] < counts.tsv"))
    return cli->exit_code;

  if (lot != NULL)
    {
      RxStockCount one = { NULL, lot, count };

      if (count < 0 || from != NULL)
        return rx_cli_fail (cli, RX_CLI_USAGE, "stock take --lot needs --count N (0 or more) "
                            "and no --from");
      if (product != NULL)
        {
          g_autoptr(RxProduct) p = resolve_product (cli, product, &error);

          if (p == NULL)
            return rx_cli_fail_error (cli, error);
          one.product = g_strdup (rx_product_get_id (p));
          g_ptr_array_add (keep, (gpointer) one.product);
        }
      g_array_append_val (counts, one);
    }
  else if (product != NULL || count >= 0)
    return rx_cli_fail (cli, RX_CLI_USAGE, "--product and --count go with --lot; several lots "
                        "are read as lines from standard input or --from FILE");
  else if (!read_counts (cli, from, counts, keep, &error))
    return rx_cli_fail_error (cli, error);

  result = rx_stock_take (cli->db, (RxStockCount *) counts->data, counts->len, &error);
  if (result == NULL)
    return rx_cli_fail_error (cli, error);
  for (guint i = 0; i < result->len; i++)
    if (((RxStockCounted *) result->pdata[i])->difference != 0)
      adjusted++;

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "counted");
      json_builder_add_int_value (b, result->len);
      json_builder_set_member_name (b, "adjusted");
      json_builder_add_int_value (b, adjusted);
      json_builder_set_member_name (b, "lots");
      json_builder_begin_array (b);
      for (guint i = 0; i < result->len; i++)
        {
          RxStockCounted *c = result->pdata[i];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "product_code");
          json_builder_add_string_value (b, c->product_code);
          json_builder_set_member_name (b, "product");
          json_builder_add_string_value (b, c->product_name);
          json_builder_set_member_name (b, "lot");
          json_builder_add_string_value (b, c->lot);
          json_builder_set_member_name (b, "expiry");
          json_builder_add_string_value (b, c->expiry);
          json_builder_set_member_name (b, "expected");
          json_builder_add_int_value (b, c->expected);
          json_builder_set_member_name (b, "counted");
          json_builder_add_int_value (b, c->counted);
          json_builder_set_member_name (b, "difference");
          json_builder_add_int_value (b, c->difference);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else
    {
      for (guint i = 0; i < result->len; i++)
        {
          RxStockCounted *c = result->pdata[i];
          g_autofree char *name = rx_cli_pad (c->product_name, 40);

          g_print ("%s lot %-10s counted %6" G_GINT64_FORMAT ", ledger %6" G_GINT64_FORMAT,
                   name, c->lot, c->counted, c->expected);
          if (c->difference != 0)
            g_print ("  recorded %+" G_GINT64_FORMAT, c->difference);
          g_print ("\n");
        }
      g_print ("Counted %u lot%s; %u differed from the ledger, recorded as stock-take "
               "adjustments\n", result->len, result->len == 1 ? "" : "s", adjusted);
    }

  return RX_CLI_OK;
}

/* Reorder, export, history ---------------------------------------------------------------- */

static int
cmd_reorder (RxCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  if (!rx_cli_parse (cli, "stock reorder", NULL, &argc, &argv, 0, 0, ""))
    return cli->exit_code;

  lines = rx_stock_reorder_report (cli->db, &error);
  if (lines == NULL)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "products");
      json_builder_begin_array (b);
      for (guint i = 0; i < lines->len; i++)
        {
          RxReorderLine *l = lines->pdata[i];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "product_id");
          json_builder_add_string_value (b, l->product_id);
          json_builder_set_member_name (b, "product_code");
          json_builder_add_string_value (b, l->product_code);
          json_builder_set_member_name (b, "product");
          json_builder_add_string_value (b, l->product_name);
          json_builder_set_member_name (b, "reorder_level");
          json_builder_add_int_value (b, l->reorder_level);
          json_builder_set_member_name (b, "on_hand");
          json_builder_add_int_value (b, l->on_hand);
          json_builder_set_member_name (b, "expired");
          json_builder_add_int_value (b, l->expired);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else if (lines->len == 0)
    g_print ("Nothing is at or below its reorder level\n");
  else
    for (guint i = 0; i < lines->len; i++)
      {
        RxReorderLine *l = lines->pdata[i];
        g_autofree char *name = rx_cli_pad (l->product_name, 46);

        g_print ("%s on hand %6" G_GINT64_FORMAT "  reorder level %6" G_GINT64_FORMAT, name,
                 l->on_hand, l->reorder_level);
        if (l->expired > 0)
          g_print ("  (%" G_GINT64_FORMAT " expired to write off)", l->expired);
        g_print ("\n");
      }

  return RX_CLI_OK;
}

static int
cmd_export (RxCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *to = NULL;
  g_autofree char *product = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(GError) error = NULL;
  int expiring = -1;
  guint rows = 0;
  GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &to, "Write the CSV here (- for standard output)",
      "FILE" },
    { "expiring", 0, 0, G_OPTION_ARG_INT, &expiring, "Only lots expiring within DAYS", "DAYS" },
    { "product", 0, 0, G_OPTION_ARG_STRING, &product, "Only this product (code or id)", "CODE" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "stock export", entries, &argc, &argv, 0, 0,
                     "--to FILE [--expiring DAYS] [--product CODE]"))
    return cli->exit_code;
  if (to == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "stock export needs --to FILE (or --to - for "
                        "standard output)");
  if (expiring < -1 || expiring > 3650)
    return rx_cli_fail (cli, RX_CLI_USAGE, "--expiring takes a number of days from 0 to 3650");
  if (cli->json && g_str_equal (to, "-"))
    return rx_cli_fail (cli, RX_CLI_USAGE, "with --json, write the CSV to a file: standard "
                        "output carries the JSON");

  csv = rx_stock_export_csv (cli->db, product, expiring, &error);
  if (csv == NULL)
    return rx_cli_fail_error (cli, error);
  for (const char *c = csv; *c; c++)
    if (*c == '\n')
      rows++;

  if (g_str_equal (to, "-"))
    {
      fputs (csv, stdout);
      return RX_CLI_OK;
    }
  if (!g_file_set_contents (to, csv, -1, &error))
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, to);
      json_builder_set_member_name (b, "lots");
      json_builder_add_int_value (b, rows - 1);
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else
    g_print ("Wrote %u lot%s to %s\n", rows - 1, rows == 2 ? "" : "s", to);

  return RX_CLI_OK;
}

static int
cmd_history (RxCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxProduct) p = NULL;
  g_autoptr(GPtrArray) moves = NULL;
  int limit = 100;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "At most this many, newest first", "N" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "stock history", entries, &argc, &argv, 1, 1, "PRODUCT [--limit N]"))
    return cli->exit_code;
  if (limit <= 0 || limit > 100000)
    return rx_cli_fail (cli, RX_CLI_USAGE, "--limit must be from 1 to 100 000");

  p = resolve_product (cli, argv[1], &error);
  if (p == NULL)
    return rx_cli_fail_error (cli, error);
  moves = rx_stock_history (cli->db, rx_product_get_id (p), limit, &error);
  if (moves == NULL)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "product");
      json_builder_add_string_value (b, rx_product_get_code (p));
      json_builder_set_member_name (b, "movements");
      json_builder_begin_array (b);
      for (guint i = 0; i < moves->len; i++)
        {
          RxStockMovement *m = moves->pdata[i];

          json_builder_begin_object (b);
#define STR(key, value) \
  json_builder_set_member_name (b, key); \
  json_builder_add_string_value (b, value);
          STR ("id", m->id);
          STR ("at", m->at);
          STR ("lot", m->lot);
          STR ("expiry", m->expiry);
          STR ("kind", m->kind);
          STR ("reason", m->reason);
          STR ("reference_kind", m->reference_kind);
          STR ("reference_id", m->reference_id);
#undef STR
          json_builder_set_member_name (b, "quantity");
          json_builder_add_int_value (b, m->quantity);
          json_builder_set_member_name (b, "balance");
          json_builder_add_int_value (b, m->balance);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else if (moves->len == 0)
    g_print ("No movements of %s here\n", rx_product_get_code (p));
  else
    for (guint i = 0; i < moves->len; i++)
      {
        RxStockMovement *m = moves->pdata[i];

        g_print ("%.19s  lot %-10s %-8s %+7" G_GINT64_FORMAT "  balance %6" G_GINT64_FORMAT
                 "  %s\n", m->at, m->lot, m->kind, m->quantity, m->balance,
                 m->reason ? m->reason : (m->reference_kind ? m->reference_kind : ""));
      }

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
  { "stock", "take", "[--product CODE] --lot LOT --count N | [--from FILE] < counts.tsv",
    "Record a stock-take: each counted lot that differs gets an adjustment", TRUE, cmd_take },
  { "stock", "reorder", "", "Products at or below their reorder level", TRUE, cmd_reorder },
  { "stock", "export", "--to FILE [--expiring DAYS] [--product CODE]",
    "This site's lots as CSV (--to - for standard output)", TRUE, cmd_export },
  { "stock", "history", "PRODUCT [--limit N]", "A product's stock movements, newest first",
    TRUE, cmd_history },
  { NULL }
};
