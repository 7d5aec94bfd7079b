/* rx-cli-clinic.c: init, demo generate, backup, restore, audit. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "rx-cli.h"

static RxCertificate *
find_ca (RxDb *db)
{
  g_autoptr(GListModel) certs = rx_certs_list (db, NULL);

  for (guint i = 0; certs && i < g_list_model_get_n_items (certs); i++)
    {
      g_autoptr(RxCertificate) cert = g_list_model_get_item (certs, i);

      if (g_strcmp0 (rx_certificate_get_kind (cert), "ca") == 0)
        return g_steal_pointer (&cert);
    }

  return NULL;
}

static int
cmd_init (RxCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *clinic = NULL;
  g_autofree char *password = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RxDb) db = NULL;
  g_autoptr(RxCertificate) ca = NULL;
  gboolean demo = FALSE, password_stdin = FALSE, generated = FALSE;
  RxFormularyCounts fc = { 0, };
  RxSafetyCounts sc = { 0, };
  RxDemoCounts dc = { 0, };
  GOptionEntry entries[] = {
    { "clinic", 0, 0, G_OPTION_ARG_STRING, &clinic, "The clinic's name", "NAME" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, "Add a realistic demo clinic", NULL },
    { "demo-password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      "Read the demo staff's shared password from standard input", NULL },
    { NULL }
  };

  if (!rx_cli_parse (cli, "init", entries, &argc, &argv, 0, 0, "--clinic NAME [--demo]"))
    return cli->exit_code;
  if (clinic == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "init needs --clinic NAME, the clinic's name");
  if (password_stdin && !demo)
    return rx_cli_fail (cli, RX_CLI_USAGE, "--demo-password-stdin only makes sense with --demo");

  if (demo)
    {
      if (password_stdin)
        {
          password = rx_cli_read_secret ("Demo staff password", TRUE, &error);
          if (password == NULL || !rx_password_check_quality (password, &error))
            return rx_cli_fail_error (cli, error);
        }
      else
        {
          password = rx_password_generate ();
          generated = TRUE;
        }
    }

  if (cli->db_path == NULL)
    cli->db_path = rx_paths_clinic_file (clinic);
  dir = g_path_get_dirname (cli->db_path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return rx_cli_fail (cli, RX_CLI_FAILED, "cannot create the folder %s: %s", dir,
                        g_strerror (errno));

  db = rx_db_create_clinic (cli->db_path, clinic, &error);
  if (db == NULL)
    return rx_cli_fail_error (cli, error);
  rx_db_set_actor (db, cli->actor);

  /* the demo makes the clinic's CA itself, dated before its history */
  if (!rx_formulary_load_default (db, &fc, &error) ||
      !rx_safety_load_default (db, &sc, &error) ||
      (demo && !rx_demo_populate (db, password, &dc, &error)) ||
      (!demo && (ca = rx_certs_create_ca (db, &error)) == NULL))
    {
      rx_keyring_clear (rx_db_get_org_id (db), NULL, NULL);
      g_clear_object (&db);
      /* a half-made clinic is worse than none: remove it so init can simply be run again */
      rx_db_remove_files (cli->db_path);
      return rx_cli_fail_error (cli, error);
    }

  rx_paths_set_last_clinic (cli->db_path, NULL);
  if (ca == NULL)
    ca = find_ca (db);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "clinic");
      json_builder_add_string_value (b, clinic);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, cli->db_path);
      json_builder_set_member_name (b, "org");
      json_builder_add_string_value (b, rx_db_get_org_id (db));
      json_builder_set_member_name (b, "certificate_authority");
      json_builder_add_string_value (b, ca ? rx_certificate_get_serial (ca) : NULL);
      json_builder_set_member_name (b, "formulary");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "medicines");
      json_builder_add_int_value (b, fc.drugs);
      json_builder_set_member_name (b, "products");
      json_builder_add_int_value (b, fc.products);
      json_builder_set_member_name (b, "other_names");
      json_builder_add_int_value (b, fc.synonyms);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "safety");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "interactions");
      json_builder_add_int_value (b, sc.interactions);
      json_builder_set_member_name (b, "allergy_classes");
      json_builder_add_int_value (b, sc.allergy_classes);
      json_builder_set_member_name (b, "max_doses");
      json_builder_add_int_value (b, sc.max_doses);
      json_builder_end_object (b);
      if (demo)
        {
          json_builder_set_member_name (b, "demo");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "staff");
          json_builder_add_int_value (b, dc.staff);
          json_builder_set_member_name (b, "patients");
          json_builder_add_int_value (b, dc.patients);
          json_builder_set_member_name (b, "stock_batches");
          json_builder_add_int_value (b, dc.batches);
          json_builder_set_member_name (b, "prescriptions");
          json_builder_add_int_value (b, dc.prescriptions);
          json_builder_set_member_name (b, "invoices");
          json_builder_add_int_value (b, dc.invoices);
          json_builder_end_object (b);
          if (generated)
            {
              json_builder_set_member_name (b, "demo_password");
              json_builder_add_string_value (b, password);
            }
        }
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else
    {
      g_print ("Created clinic “%s” in %s\n", clinic, cli->db_path);
      g_print ("Formulary: %u medicines, %u products, %u other names\n",
               fc.drugs, fc.products, fc.synonyms);
      g_print ("Safety rules: %u interactions, %u allergy classes, %u maximum doses\n",
               sc.interactions, sc.allergy_classes, sc.max_doses);
      if (ca != NULL)
        g_print ("Certificate authority: %s, serial %s; its key's passphrase is in this "
                 "computer's keyring\n", rx_certificate_get_subject (ca),
                 rx_certificate_get_serial (ca));
      if (demo)
        {
          g_print ("Demo: %u staff, %u patients, %u stock batches, %u prescriptions, "
                   "%u invoices\n", dc.staff, dc.patients, dc.batches, dc.prescriptions,
                   dc.invoices);
          if (generated)
            g_print ("The demo staff (rxdesk-cli user list) share the password %s\n"
                     "It is shown only this once.\n", password);
        }
    }

  if (password)
    explicit_bzero (password, strlen (password));

  return RX_CLI_OK;
}

static int
cmd_demo_generate (RxCli  *cli,
                   int     argc,
                   char  **argv)
{
  int patients = 0, prescriptions = 0;
  g_autoptr(GError) error = NULL;
  RxDemoCounts counts = { 0, };
  gint64 start;
  double seconds;
  GOptionEntry entries[] = {
    { "patients", 0, 0, G_OPTION_ARG_INT, &patients, "Patients to add", "N" },
    { "prescriptions", 0, 0, G_OPTION_ARG_INT, &prescriptions, "Signed prescriptions to add",
      "N" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "demo generate", entries, &argc, &argv, 0, 0,
                     "[--patients N] [--prescriptions N]"))
    return cli->exit_code;
  if (patients < 0 || prescriptions < 0 || patients > 10000000 || prescriptions > 10000000)
    return rx_cli_fail (cli, RX_CLI_USAGE, "counts must be between 0 and 10 000 000");

  start = g_get_monotonic_time ();
  if (!rx_demo_generate (cli->db, patients, prescriptions, &counts, &error))
    return rx_cli_fail_error (cli, error);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "patients");
      json_builder_add_int_value (b, counts.patients);
      json_builder_set_member_name (b, "prescriptions");
      json_builder_add_int_value (b, counts.prescriptions);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, seconds);
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else
    g_print ("Added %u patients and %u prescriptions in %.1f s\n",
             counts.patients, counts.prescriptions, seconds);

  return RX_CLI_OK;
}

static int
cmd_backup (RxCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *to = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &to, "The backup file to write (must not exist)",
      "FILE" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "backup", entries, &argc, &argv, 0, 0, "--to FILE"))
    return cli->exit_code;
  if (to == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "backup needs --to FILE");

  if (!rx_db_backup_to (cli->db, to, &error))
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "backup");
      json_builder_add_string_value (b, to);
      json_builder_set_member_name (b, "verified");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else
    g_print ("Backed up to %s and checked the copy\n", to);

  return RX_CLI_OK;
}

/* Restores a backup as the clinic file named by --db, which must not exist yet: a restore
 * never overwrites live data. */
static int
cmd_restore (RxCli  *cli,
             int     argc,
             char  **argv)
{
  g_autofree char *from = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from, "The backup to restore", "FILE" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "restore", entries, &argc, &argv, 0, 0, "--from FILE"))
    return cli->exit_code;
  if (from == NULL || cli->db_path == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "restore needs --from BACKUP and --db NEW-FILE");

  if (!rx_db_restore (from, cli->db_path, cli->actor, &error))
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "restored");
      json_builder_add_string_value (b, cli->db_path);
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else
    g_print ("Restored %s to %s\n", from, cli->db_path);

  return RX_CLI_OK;
}

static int
cmd_audit_show (RxCli  *cli,
                int     argc,
                char  **argv)
{
  int limit = 50;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "How many events, newest first", "N" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "audit show", entries, &argc, &argv, 0, 0, "[--limit N]"))
    return cli->exit_code;
  if (limit <= 0 || limit > 100000)
    return rx_cli_fail (cli, RX_CLI_USAGE, "--limit must be from 1 to 100 000");

  events = rx_audit_list (cli->db, limit, &error);
  if (events == NULL)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < events->len; i++)
        {
          RxAuditEvent *e = events->pdata[i];

          json_builder_begin_object (b);
#define STR(key, value) \
  json_builder_set_member_name (b, key); \
  json_builder_add_string_value (b, value);
          STR ("id", e->id);
          STR ("at", e->at);
          STR ("actor", e->actor);
          STR ("workstation", e->workstation);
          STR ("action", e->action);
          STR ("entity", e->entity);
          STR ("entity_id", e->entity_id);
          STR ("detail", e->detail);
#undef STR
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      rx_cli_print_json (b);
    }
  else
    for (guint i = 0; i < events->len; i++)
      {
        RxAuditEvent *e = events->pdata[i];

        g_print ("%s  %-18s %-12s %-18s %s%s%s\n", e->at, e->actor, e->action, e->entity,
                 e->entity_id ? e->entity_id : "", e->detail ? "  " : "",
                 e->detail ? e->detail : "");
      }

  return RX_CLI_OK;
}

static int
cmd_audit_verify (RxCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_autoptr(GError) error = NULL;
  guint64 n = 0;
  gboolean ok;

  if (!rx_cli_parse (cli, "audit verify", NULL, &argc, &argv, 0, 0, ""))
    return cli->exit_code;

  ok = rx_audit_verify (cli->db, &n, &error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "ok");
      json_builder_add_boolean_value (b, ok);
      json_builder_set_member_name (b, "events");
      json_builder_add_int_value (b, n);
      if (!ok)
        {
          json_builder_set_member_name (b, "problem");
          json_builder_add_string_value (b, error->message);
        }
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else if (ok)
    g_print ("The audit trail is intact: %" G_GUINT64_FORMAT " events checked\n", n);

  if (!ok)
    {
      rx_cli_fail_error (cli, error);
      return RX_CLI_VERIFY_FAILED;
    }

  return RX_CLI_OK;
}

const RxCliCommand rx_cli_clinic_commands[] = {
  { "init", NULL, "--clinic NAME [--demo] [--demo-password-stdin]",
    "Create a clinic database with the formulary and its certificate authority; --demo adds "
    "staff, patients, stock and signed history",
    FALSE, cmd_init },
  { "demo", "generate", "[--patients N] [--prescriptions N]",
    "Add bulk realistic data (for benchmarks)", TRUE, cmd_demo_generate },
  { "backup", NULL, "--to FILE", "Copy the clinic database to a new file and check the copy",
    TRUE, cmd_backup },
  { "restore", NULL, "--from FILE", "Restore a backup as the (new) file given by --db",
    FALSE, cmd_restore },
  { "audit", "show", "[--limit N]", "Show the newest audit events", TRUE, cmd_audit_show },
  { "audit", "verify", "", "Check the audit trail's hash chain (exit 3 if altered)",
    TRUE, cmd_audit_verify },
  { NULL }
};
