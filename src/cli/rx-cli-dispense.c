/* rx-cli-dispense.c: dispense RX_ID, dispense queue and dispense label. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include "rx-cli.h"

#define STR(key, value) \
  G_STMT_START { \
    json_builder_set_member_name (b, key); \
    json_builder_add_string_value (b, value); \
  } G_STMT_END
#define INT(key, value) \
  G_STMT_START { \
    json_builder_set_member_name (b, key); \
    json_builder_add_int_value (b, value); \
  } G_STMT_END
#define BOOL(key, value) \
  G_STMT_START { \
    json_builder_set_member_name (b, key); \
    json_builder_add_boolean_value (b, value); \
  } G_STMT_END

/* The queue ------------------------------------------------------------------------------- */

/* The lots one fill of an item would come from; NULL when there is nothing to suggest. */
static GPtrArray *
suggest (RxCli          *cli,
         RxDispenseItem *item)
{
  gint64 fill = MIN (item->quantity, item->remaining);

  if (fill <= 0)
    return NULL;
  return rx_dispense_suggest_batches (cli->db, item->product_id, fill, NULL, NULL);
}

static void
json_entry (RxCli           *cli,
            JsonBuilder     *b,
            RxDispenseEntry *e)
{
  GPtrArray *items = rx_dispense_entry_get_items (e);

  json_builder_begin_object (b);
  STR ("prescription", rx_dispense_entry_get_prescription_id (e));
  STR ("patient_id", rx_dispense_entry_get_patient_id (e));
  STR ("patient", rx_dispense_entry_get_patient_name (e));
  STR ("record_number", rx_dispense_entry_get_record_number (e));
  STR ("prescriber", rx_dispense_entry_get_prescriber_name (e));
  STR ("status", rx_prescription_status_to_string (rx_dispense_entry_get_status (e)));
  STR ("signed_at", rx_dispense_entry_get_signed_at (e));
  BOOL ("verified", rx_dispense_entry_get_verified (e));
  STR ("reason", rx_dispense_entry_get_verify_reason (e));
  INT ("remaining", rx_dispense_entry_get_remaining (e));
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < items->len; i++)
    {
      RxDispenseItem *it = items->pdata[i];
      g_autoptr(GPtrArray) picks = suggest (cli, it);

      json_builder_begin_object (b);
      INT ("item", it->number);
      STR ("product_id", it->product_id);
      STR ("product_code", it->product_code);
      STR ("product", it->product_name);
      STR ("directions", it->directions);
      INT ("quantity", it->quantity);
      INT ("repeats", it->repeats);
      INT ("prescribed", it->prescribed);
      INT ("dispensed", it->dispensed);
      INT ("remaining", it->remaining);
      INT ("available", it->available);
      json_builder_set_member_name (b, "suggested");
      json_builder_begin_array (b);
      for (guint p = 0; picks != NULL && p < picks->len; p++)
        {
          RxBatchPick *pick = picks->pdata[p];

          json_builder_begin_object (b);
          STR ("lot", pick->lot);
          STR ("expiry", pick->expiry);
          INT ("quantity", pick->quantity);
          BOOL ("expires_soon", pick->expires_soon);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
print_entry (RxCli           *cli,
             RxDispenseEntry *e)
{
  GPtrArray *items = rx_dispense_entry_get_items (e);
  const char *signed_at = rx_dispense_entry_get_signed_at (e);

  g_print ("%s  %-19s signed %.10s  %s (%s), by %s\n",
           rx_dispense_entry_get_prescription_id (e),
           rx_prescription_status_to_string (rx_dispense_entry_get_status (e)),
           signed_at ? signed_at : "-", rx_dispense_entry_get_patient_name (e),
           rx_dispense_entry_get_record_number (e),
           rx_dispense_entry_get_prescriber_name (e));
  if (!rx_dispense_entry_get_verified (e))
    g_print ("    NOT DISPENSABLE: the signature does not verify: %s\n",
             rx_dispense_entry_get_verify_reason (e));

  for (guint i = 0; i < items->len; i++)
    {
      RxDispenseItem *it = items->pdata[i];
      g_autoptr(GPtrArray) picks = NULL;

      g_print ("    %u. %s; %s\n       %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " left (%"
               G_GINT64_FORMAT " a fill), %" G_GINT64_FORMAT " in date in stock",
               it->number, it->product_name, it->directions, it->remaining, it->prescribed,
               it->quantity, it->available);
      if (rx_dispense_entry_get_verified (e))
        picks = suggest (cli, it);
      for (guint p = 0; picks != NULL && p < picks->len; p++)
        {
          RxBatchPick *pick = picks->pdata[p];

          g_print ("%s lot %s (expires %s%s) %" G_GINT64_FORMAT, p == 0 ? "; take" : ",",
                   pick->lot, pick->expiry, pick->expires_soon ? ", soon" : "", pick->quantity);
        }
      g_print ("\n");
    }
}

static int
cmd_queue (RxCli  *cli,
           int     argc,
           char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) queue = NULL;
  int limit = 100;
  guint n;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "At most this many, oldest first", "N" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "dispense queue", entries, &argc, &argv, 0, 0, "[--limit N]"))
    return cli->exit_code;
  if (limit <= 0 || limit > 10000)
    return rx_cli_fail (cli, RX_CLI_USAGE, "--limit must be from 1 to 10 000");

  queue = rx_dispense_queue (cli->db, limit, &error);
  if (queue == NULL)
    return rx_cli_fail_error (cli, error);
  n = g_list_model_get_n_items (queue);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RxDispenseEntry) e = g_list_model_get_item (queue, i);

          json_entry (cli, b, e);
        }
      json_builder_end_array (b);
      rx_cli_print_json (b);
    }
  else if (n == 0)
    g_print ("No prescription is waiting to be dispensed\n");
  else
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(RxDispenseEntry) e = g_list_model_get_item (queue, i);

        print_entry (cli, e);
      }

  return RX_CLI_OK;
}

/* The label ------------------------------------------------------------------------------- */

static int
cmd_label (RxCli  *cli,
           int     argc,
           char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  if (!rx_cli_parse (cli, "dispense label", NULL, &argc, &argv, 1, 1, "DISPENSING_ID"))
    return cli->exit_code;

  label = rx_dispense_label (cli->db, argv[1], &error);
  if (label == NULL)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      STR ("dispensing", argv[1]);
      STR ("label", label);
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else
    g_print ("%s", label);

  return RX_CLI_OK;
}

/* Dispensing ------------------------------------------------------------------------------ */

static void
json_result (JsonBuilder            *b,
             const char             *prescription_id,
             const RxDispenseResult *r,
             RxInvoice              *invoice,
             GPtrArray              *labels)
{
  GPtrArray *lines = rx_invoice_get_lines (invoice);

  json_builder_begin_object (b);
  STR ("prescription", prescription_id);
  STR ("status", rx_prescription_status_to_string (r->status));
  INT ("remaining", r->remaining);

  json_builder_set_member_name (b, "dispensings");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->dispensed->len; i++)
    {
      RxDispensed *d = r->dispensed->pdata[i];

      json_builder_begin_object (b);
      STR ("id", d->id);
      INT ("item", d->item);
      STR ("product_id", d->product_id);
      STR ("product", d->product_name);
      STR ("batch_id", d->batch_id);
      STR ("lot", d->lot);
      STR ("expiry", d->expiry);
      INT ("quantity", d->quantity);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "movements");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->dispensed->len; i++)
    {
      RxDispensed *d = r->dispensed->pdata[i];

      json_builder_begin_object (b);
      STR ("id", d->movement_id);
      STR ("batch_id", d->batch_id);
      STR ("lot", d->lot);
      STR ("kind", "dispense");
      INT ("quantity", -d->quantity);
      STR ("reference_kind", "dispensing");
      STR ("reference_id", d->id);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "invoice");
  json_builder_begin_object (b);
  STR ("id", rx_invoice_get_id (invoice));
  INT ("number", rx_invoice_get_number (invoice));
  STR ("till", rx_invoice_get_till (invoice));
  STR ("status", rx_invoice_get_status (invoice));
  STR ("currency", rx_invoice_get_currency (invoice));
  INT ("total_minor", rx_invoice_get_total_minor (invoice));
  json_builder_set_member_name (b, "lines");
  json_builder_begin_array (b);
  /* the lines this dispense added, not the whole invoice */
  for (guint i = 0; i < lines->len; i++)
    {
      RxInvoiceLine *l = lines->pdata[i];

      for (guint k = 0; k < r->dispensed->len; k++)
        {
          RxDispensed *d = r->dispensed->pdata[k];

          if (g_strcmp0 (l->id, d->invoice_line_id) != 0)
            continue;
          json_builder_begin_object (b);
          STR ("id", l->id);
          INT ("position", l->position);
          STR ("description", l->description);
          INT ("quantity", l->quantity);
          INT ("unit_price_minor", l->unit_price_minor);
          INT ("tax_rate_bp", l->tax_rate_bp);
          INT ("total_minor", l->total_minor);
          STR ("reference_kind", l->reference_kind);
          STR ("reference_id", l->reference_id);
          json_builder_end_object (b);
        }
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "labels");
  json_builder_begin_array (b);
  for (guint i = 0; i < labels->len; i++)
    json_builder_add_string_value (b, labels->pdata[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
print_result (const char             *prescription_id,
              const RxDispenseResult *r,
              RxInvoice              *invoice,
              GPtrArray              *labels)
{
  g_autofree char *total = rx_cli_format_money (rx_invoice_get_total_minor (invoice));

  for (guint i = 0; i < r->dispensed->len; i++)
    {
      RxDispensed *d = r->dispensed->pdata[i];
      g_autofree char *name = rx_cli_pad (d->product_name, 40);

      g_print ("Dispensed item %u: %s %5" G_GINT64_FORMAT "  lot %s (expires %s)\n", d->item,
               name, d->quantity, d->lot, d->expiry);
    }
  if (r->remaining > 0)
    g_print ("Prescription %s is partially dispensed; %" G_GINT64_FORMAT " remain to "
             "dispense later\n", prescription_id, r->remaining);
  else
    g_print ("Prescription %s is dispensed in full\n", prescription_id);
  g_print ("Billed on invoice %" G_GINT64_FORMAT " of till %s, %s %s so far; "
           "“invoice issue %s” closes it for payment\n",
           rx_invoice_get_number (invoice), rx_invoice_get_till (invoice), total,
           rx_invoice_get_currency (invoice), rx_invoice_get_id (invoice));
  for (guint i = 0; i < labels->len; i++)
    g_print ("\nLabel:\n%s", (const char *) labels->pdata[i]);
}

/* The one item --qty and --batch apply to: --item, or the only item there is. */
static gboolean
choose_item (RxCli       *cli,
             const char  *prescription_id,
             int         *item,
             GError     **error)
{
  g_autoptr(RxPrescription) rx = NULL;
  guint n;

  rx = rx_prescriptions_get (cli->db, prescription_id, error);
  if (rx == NULL)
    return FALSE;
  n = rx_prescription_get_items (rx)->len;

  if (*item == 0 && n == 1)
    *item = 1;
  if (*item == 0)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "prescription %s has %u items; say which one --qty or --batch is for with "
                   "--item N", prescription_id, n);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_dispense (RxCli  *cli,
              int     argc,
              char  **argv)
{
  g_autofree char *as = NULL;
  g_autofree char *lot = NULL;
  g_autofree char *lot_alias = NULL;
  g_autofree char *till = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) user = NULL;
  g_autoptr(RxInvoice) invoice = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_auto(RxDispenseResult) result = { NULL, };
  RxDispenseLine line = { 0, };
  gint64 qty = 0;
  int item = 0;
  gboolean one_line;
  GOptionEntry entries[] = {
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, "The dispensing pharmacist's username", "USERNAME" },
    { "item", 0, 0, G_OPTION_ARG_INT, &item, "Only this item (1 is the first)", "N" },
    { "qty", 0, 0, G_OPTION_ARG_INT64, &qty,
      "How many of the item (default: one fill, or what remains if less)", "N" },
    { "batch", 0, 0, G_OPTION_ARG_STRING, &lot,
      "Take it from this lot (default: first expiry first out)", "LOT" },
    { "lot", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &lot_alias, "Same as --batch", "LOT" },
    { "till", 0, 0, G_OPTION_ARG_STRING, &till, "Bill it on this till (default till-1)", "TILL" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "dispense", entries, &argc, &argv, 1, 1,
                     "RX_ID --as USERNAME [--item N] [--qty N] [--batch LOT] [--till TILL]"))
    return cli->exit_code;
  if (as == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "dispense needs --as USERNAME, the pharmacist who "
                        "dispenses");
  if (lot == NULL)
    lot = g_steal_pointer (&lot_alias);
  if (item < 0 || qty < 0)
    return rx_cli_fail (cli, RX_CLI_USAGE, "--item and --qty must be positive numbers");

  user = rx_users_find (cli->db, as, &error);
  if (user == NULL)
    return rx_cli_fail_error (cli, error);
  rx_db_set_actor (cli->db, rx_user_get_id (user));

  /* with no --item, --qty or --batch: one fill of every item that has something left */
  one_line = item > 0 || qty > 0 || lot != NULL;
  if (one_line && (item == 0) && !choose_item (cli, argv[1], &item, &error))
    return rx_cli_fail_error (cli, error);
  line.item = item;
  line.quantity = qty;
  line.lot = lot;

  if (!rx_dispense (cli->db, argv[1], rx_user_get_id (user), till, one_line ? &line : NULL,
                    one_line ? 1 : 0, &result, &error))
    return rx_cli_fail_error (cli, error);

  invoice = rx_invoices_get (cli->db, result.invoice_id, &error);
  if (invoice == NULL)
    return rx_cli_fail_error (cli, error);
  for (guint i = 0; i < result.dispensed->len; i++)
    {
      RxDispensed *d = result.dispensed->pdata[i];
      char *label = rx_dispense_label (cli->db, d->id, &error);

      if (label == NULL)
        return rx_cli_fail_error (cli, error);
      g_ptr_array_add (labels, label);
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_result (b, argv[1], &result, invoice, labels);
      rx_cli_print_json (b);
    }
  else
    print_result (argv[1], &result, invoice, labels);

  return RX_CLI_OK;
}

/* "dispense queue" and "dispense label" come before "dispense RX_ID", which takes any other
 * word as a prescription id. */
const RxCliCommand rx_cli_dispense_commands[] = {
  { "dispense", "queue", "[--limit N]",
    "Prescriptions waiting at the pharmacy: what remains, whether the signature holds, the "
    "lots to take", TRUE, cmd_queue },
  { "dispense", "label", "DISPENSING_ID", "Print a dispensing's label again", TRUE, cmd_label },
  { "dispense", NULL, "RX_ID --as USERNAME [--item N] [--qty N] [--batch LOT] [--till TILL]",
    "Dispense (fully or partly) and bill it on the patient's open invoice", TRUE,
    cmd_dispense },
  { NULL }
};
