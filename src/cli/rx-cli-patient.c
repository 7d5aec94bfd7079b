/* rx-cli-patient.c: patient add, search and show. */
#define G_LOG_DOMAIN "rx-cli"

#include "config.h"

#include "rx-cli.h"

/* "Family, Given Names" or "Given Names Family": clinics write both. */
static void
split_name (const char  *name,
            char       **family,
            char       **given)
{
  g_autofree char *clean = g_strstrip (g_strdup (name));
  const char *comma = strchr (clean, ',');
  const char *space = strrchr (clean, ' ');

  if (comma != NULL)
    {
      *family = g_strstrip (g_strndup (clean, comma - clean));
      *given = g_strstrip (g_strdup (comma + 1));
    }
  else if (space != NULL)
    {
      *family = g_strstrip (g_strdup (space + 1));
      *given = g_strstrip (g_strndup (clean, space - clean));
    }
  else
    {
      *family = g_strdup (clean);
      *given = g_strdup ("");
    }
}

static void
print_patient (RxPatient *p,
               gboolean   details)
{
  g_autofree char *full = rx_patient_dup_display_name (p);
  g_autofree char *name = rx_cli_pad (full, 32);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));

  g_print ("%s  %s %s (%d)  %s\n", rx_patient_get_record_number (p), name,
           rx_patient_get_birth_date (p), rx_patient_get_age (p, &today), rx_patient_get_sex (p));

  if (details)
    {
      GPtrArray *allergies = rx_patient_get_allergies (p);

      g_print ("  id: %s\n", rx_patient_get_id (p));
      if (rx_patient_get_phone (p))
        g_print ("  phone: %s\n", rx_patient_get_phone (p));
      if (rx_patient_get_address (p))
        g_print ("  address: %s\n", rx_patient_get_address (p));
      g_print ("  allergies: %s", allergies->len ? "" : "none recorded");
      for (guint i = 0; i < allergies->len; i++)
        {
          RxAllergy *a = allergies->pdata[i];

          g_print ("%s%s", i ? ", " : "", a->allergen);
          if (a->reaction)
            g_print (" (%s)", a->reaction);
        }
      g_print ("\n");
    }
}

static int
cmd_add (RxCli  *cli,
         int     argc,
         char  **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *dob = NULL;
  g_autofree char *sex = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *address = NULL;
  g_auto(GStrv) allergies = NULL;
  g_autofree char *family = NULL;
  g_autofree char *given = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RxPatient) p = NULL;
  RxPatientFields f = { NULL, };
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "“Family, Given” or “Given Family”", "NAME" },
    { "dob", 0, 0, G_OPTION_ARG_STRING, &dob, "Date of birth", "YYYY-MM-DD" },
    { "sex", 0, 0, G_OPTION_ARG_STRING, &sex, "M, F or X", "M|F|X" },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, "Phone number", "PHONE" },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, "Address", "ADDRESS" },
    { "allergy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &allergies,
      "A medicine or class the patient is allergic to (repeatable)", "CLASS" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "patient add", entries, &argc, &argv, 0, 0,
                     "--name NAME --dob YYYY-MM-DD [--sex M|F|X] [--allergy CLASS]..."))
    return cli->exit_code;
  if (name == NULL || dob == NULL)
    return rx_cli_fail (cli, RX_CLI_USAGE, "patient add needs --name NAME and --dob YYYY-MM-DD");

  split_name (name, &family, &given);
  f.family_name = family;
  f.given_names = given;
  f.birth_date = dob;
  f.sex = sex ? g_ascii_strup (sex, -1) : NULL;
  f.phone = phone;
  f.address = address;

  p = rx_patients_add (cli->db, &f, (const char * const *) allergies, &error);
  g_free ((char *) f.sex);
  if (p == NULL)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      rx_cli_json_patient (b, p, TRUE);
      rx_cli_print_json (b);
    }
  else
    {
      g_print ("Added patient ");
      print_patient (p, FALSE);
    }

  return RX_CLI_OK;
}

static int
cmd_search (RxCli  *cli,
            int     argc,
            char  **argv)
{
  int limit = 50;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autofree char *text = NULL;
  guint n;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "At most this many results", "N" },
    { NULL }
  };

  if (!rx_cli_parse (cli, "patient search", entries, &argc, &argv, 1, -1, "TEXT"))
    return cli->exit_code;
  if (limit <= 0 || limit > 10000)
    return rx_cli_fail (cli, RX_CLI_USAGE, "--limit must be from 1 to 10 000");

  text = g_strjoinv (" ", argv + 1);
  found = rx_patients_search (cli->db, text, limit, &error);
  if (found == NULL)
    return rx_cli_fail_error (cli, error);
  n = g_list_model_get_n_items (found);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "results");
      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RxPatient) p = g_list_model_get_item (found, i);

          rx_cli_json_patient (b, p, FALSE);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      rx_cli_print_json (b);
    }
  else if (n == 0)
    g_print ("No patient matches “%s”\n", text);
  else
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(RxPatient) p = g_list_model_get_item (found, i);

        print_patient (p, FALSE);
      }

  return RX_CLI_OK;
}

static int
cmd_show (RxCli  *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxPatient) p = NULL;

  if (!rx_cli_parse (cli, "patient show", NULL, &argc, &argv, 1, 1, "ID|RECORD-NUMBER"))
    return cli->exit_code;

  p = rx_patients_get (cli->db, argv[1], &error);
  if (p == NULL)
    return rx_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      rx_cli_json_patient (b, p, TRUE);
      rx_cli_print_json (b);
    }
  else
    print_patient (p, TRUE);

  return RX_CLI_OK;
}

const RxCliCommand rx_cli_patient_commands[] = {
  { "patient", "add", "--name NAME --dob YYYY-MM-DD [--sex M|F|X] [--allergy CLASS]...",
    "Register a patient", TRUE, cmd_add },
  { "patient", "search", "TEXT", "Find patients by name, record number or date of birth",
    TRUE, cmd_search },
  { "patient", "show", "ID", "Show a patient's record and allergies (audited)", TRUE, cmd_show },
  { NULL }
};
