/* test-sig.c: the sig builder's arithmetic, apart from any widget: the quantity the
 * directions add up to, what is stored for the safety checks to read, and reading it back. */
#include "config.h"

#include "rx-sig.h"

static void
test_quantity (void)
{
  g_autoptr(RxSig) sig = rx_sig_new ("film-coated tablet", "oral", "tablet");

  g_assert_cmpstr (sig->unit, ==, "tablet");
  g_assert_cmpuint (sig->duration_days, ==, 7);
  g_assert_cmpint (sig->quantity, ==, 7);

  sig->frequency = RX_SIG_THREE_TIMES_DAILY;
  rx_sig_update_quantity (sig);
  g_assert_cmpint (sig->quantity, ==, 21);

  /* Half a tablet three times a day for a week is 10.5: 11 are supplied. */
  sig->dose = 0.5;
  rx_sig_update_quantity (sig);
  g_assert_cmpint (sig->quantity, ==, 11);

  sig->dose = 2;
  sig->frequency = RX_SIG_EVERY_N_HOURS;
  sig->every_hours = 6;
  sig->duration_days = 5;
  rx_sig_update_quantity (sig);
  g_assert_cmpint (sig->quantity, ==, 40);

  /* As needed counts the daily most, when one is given. */
  sig->frequency = RX_SIG_AS_NEEDED;
  sig->max_per_day = 0;
  sig->quantity = 0;
  rx_sig_update_quantity (sig);
  g_assert_cmpint (sig->quantity, ==, 1);
  sig->max_per_day = 4;
  rx_sig_update_quantity (sig);
  g_assert_cmpint (sig->quantity, ==, 40);

  /* A quantity the prescriber typed stays. */
  sig->quantity = 24;
  sig->quantity_set = TRUE;
  sig->duration_days = 10;
  rx_sig_update_quantity (sig);
  g_assert_cmpint (sig->quantity, ==, 24);
}

static void
test_liquid_and_cream (void)
{
  g_autoptr(RxSig) syrup = rx_sig_new ("oral suspension", NULL, "mL");
  g_autoptr(RxSig) cream = rx_sig_new ("cream", "topical", "g");
  g_autofree char *dose = NULL;

  g_assert_cmpstr (syrup->unit, ==, "mL");
  g_assert_cmpstr (syrup->route, ==, "oral");
  syrup->frequency = RX_SIG_FOUR_TIMES_DAILY;
  rx_sig_update_quantity (syrup);
  g_assert_cmpint (syrup->quantity, ==, 5 * 4 * 7);
  dose = rx_sig_dup_dose (syrup);
  g_assert_cmpstr (dose, ==, "5 mL");

  /* A cream is not counted out: one is supplied until the prescriber says otherwise. */
  g_assert_false (rx_sig_unit_is_countable (cream->unit));
  g_assert_cmpint (cream->quantity, ==, 1);
}

static void
test_injection_and_inhaler (void)
{
  g_autoptr(RxSig) injection = rx_sig_new ("injection", "subcutaneous", "syringe");
  g_autoptr(RxSig) inhaler = rx_sig_new ("dry powder inhaler", "inhalation", "inhaler");

  /* One syringe a day for a week is seven syringes. */
  g_assert_cmpstr (injection->unit, ==, "syringe");
  g_assert_cmpint (injection->quantity, ==, 7);

  /* Puffs are not inhalers: the quantity is left to the prescriber. */
  g_assert_cmpstr (inhaler->unit, ==, "puff");
  g_assert_cmpint (rx_sig_compute_quantity (inhaler), ==, 0);
  g_assert_cmpint (inhaler->quantity, ==, 1);
}

static void
test_stored_words (void)
{
  g_autoptr(RxSig) sig = rx_sig_new ("capsule", "oral", NULL);
  g_autoptr(RxSig) back = rx_sig_new ("capsule", "oral", NULL);
  g_autofree char *dose = NULL;
  g_autofree char *frequency = NULL;
  g_autofree char *directions = NULL;
  g_autofree char *problem = NULL;

  sig->dose = 2;
  sig->frequency = RX_SIG_TWICE_DAILY;
  sig->instructions = g_strdup ("Take with food.");
  dose = rx_sig_dup_dose (sig);
  frequency = rx_sig_dup_frequency (sig);
  directions = rx_sig_dup_directions (sig);
  g_assert_cmpstr (dose, ==, "2 capsules");
  g_assert_cmpstr (frequency, ==, "BD");
  g_assert_cmpstr (directions, ==, "2 capsules BD, oral, for 7 days. Take with food.");

  rx_sig_parse_dose (back, dose);
  rx_sig_parse_frequency (back, frequency);
  g_assert_cmpfloat (back->dose, ==, 2);
  g_assert_cmpstr (back->unit, ==, "capsule");
  g_assert_cmpint (back->frequency, ==, RX_SIG_TWICE_DAILY);

  rx_sig_parse_frequency (back, "every 8 hours");
  g_assert_cmpint (back->frequency, ==, RX_SIG_EVERY_N_HOURS);
  g_assert_cmpuint (back->every_hours, ==, 8);
  rx_sig_parse_frequency (back, "as needed, max 4 doses in 24 hours");
  g_assert_cmpint (back->frequency, ==, RX_SIG_AS_NEEDED);
  g_assert_cmpuint (back->max_per_day, ==, 4);

  sig->dose = 0;
  problem = rx_sig_dup_problem (sig);
  g_assert_nonnull (problem);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sig/quantity", test_quantity);
  g_test_add_func ("/sig/liquid-and-cream", test_liquid_and_cream);
  g_test_add_func ("/sig/injection-and-inhaler", test_injection_and_inhaler);
  g_test_add_func ("/sig/stored-words", test_stored_words);

  return g_test_run ();
}
