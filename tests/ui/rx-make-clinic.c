/* rx-make-clinic.c: makes the small clinic the UI tests drive: a small formulary from the
 * given CSV files, a few patients with names the tests look for, and one doctor, kmensah,
 * whose password is the first line of standard input. The tests bring their own formulary
 * so that they do not depend on the reference data being installed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rx-core.h"
#include "rx-formulary.h"

static const struct
{
  const char *family;
  const char *given;
  const char *born;
  const char *sex;
  const char *allergy;
} patients[] = {
  { "Okafor", "Amina", "1984-03-02", "F", "penicillins" },
  { "Lindqvist", "Sara", "2019-01-30", "F", NULL },
  { "Mensah", "Kwame", "1958-11-12", "M", NULL },
};

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxDb) db = NULL;
  g_autoptr(RxUser) doctor = NULL;
  char password[256];

  if (argc != 4)
    {
      g_printerr ("Usage: %s FILE MEDICINES.csv SYNONYMS.csv < PASSWORD\n", argv[0]);
      return EXIT_FAILURE;
    }

  db = rx_db_create_clinic (argv[1], "Riverside Test Clinic", &error);
  if (db == NULL || !rx_formulary_load_csv (db, argv[2], argv[3], NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (fgets (password, sizeof password, stdin) == NULL)
    {
      g_printerr ("No password on standard input\n");
      return EXIT_FAILURE;
    }
  password[strcspn (password, "\r\n")] = '\0';
  doctor = rx_users_add (db, "kmensah", "Dr Kwame Mensah", RX_ROLE_DOCTOR, password, &error);
  if (doctor == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (patients); i++)
    {
      RxPatientFields fields = {
        .family_name = patients[i].family,
        .given_names = patients[i].given,
        .birth_date = patients[i].born,
        .sex = patients[i].sex,
      };
      const char *allergens[] = { patients[i].allergy, NULL };
      g_autoptr(RxPatient) patient = rx_patients_add (db, &fields, allergens, &error);

      if (patient == NULL)
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
    }

  return EXIT_SUCCESS;
}
