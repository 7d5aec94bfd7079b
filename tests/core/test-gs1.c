/* test-gs1.c: GS1 element strings as scanners send them and as packs print them. */
#include "config.h"

#include "rx-test-util.h"

static RxGs1 *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  RxGs1 *gs1 = rx_gs1_parse (text, 2026, &error);

  g_assert_no_error (error);
  g_assert_nonnull (gs1);
  return gs1;
}

static void
parse_fails (const char *text,
             const char *says)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxGs1) gs1 = rx_gs1_parse (text, 2026, &error);

  g_assert_null (gs1);
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  if (strstr (error->message, says) == NULL)
    g_error ("“%s” failed with “%s”, expected it to mention “%s”", text, error->message, says);
}

static void
test_check_digit (void)
{
  g_assert_true (rx_gs1_gtin_is_valid ("09501101530003"));
  g_assert_true (rx_gs1_gtin_is_valid ("4006381333931"));   /* EAN-13 */
  g_assert_true (rx_gs1_gtin_is_valid ("96385074"));        /* EAN-8 */
  g_assert_false (rx_gs1_gtin_is_valid ("09501101530004"));
  g_assert_false (rx_gs1_gtin_is_valid ("0950110153000"));
  g_assert_false (rx_gs1_gtin_is_valid ("0950110153000A"));
  g_assert_false (rx_gs1_gtin_is_valid (""));
}

static void
test_bracketed (void)
{
  g_autoptr(RxGs1) a = parse_ok ("(01)09501101530003(17)270630(10)AB-123(21)XYZ987");

  g_assert_cmpstr (a->gtin, ==, "09501101530003");
  g_assert_cmpstr (a->expiry, ==, "2027-06-30");
  g_assert_cmpstr (a->lot, ==, "AB-123");
  g_assert_cmpstr (a->serial, ==, "XYZ987");
}

/* A DataMatrix on a European medicine pack (falsified-medicines layout: product code, serial,
 * expiry, batch, national number) read by a scanner with symbology identifiers on. */
static void
test_raw_scanner (void)
{
  g_autoptr(RxGs1) a = parse_ok ("]d201095011015300032110000047111\x1d" "17280229" "10ABC12\x1d"
                                 "7101234567");
  g_autoptr(RxGs1) b = parse_ok ("]C1010950110153000317261100" "10LOT7\r\n");
  g_autoptr(RxGs1) c = parse_ok ("\x1d" "0109501101530003" "10L1" "\x1d" "17270101");
  g_autoptr(RxGs1) d = parse_ok ("01095011015300031727013121SER-1");

  g_assert_cmpstr (a->gtin, ==, "09501101530003");
  g_assert_cmpstr (a->serial, ==, "10000047111");
  g_assert_cmpstr (a->expiry, ==, "2028-02-29");
  g_assert_cmpstr (a->lot, ==, "ABC12");
  g_assert_cmpstr (a->nhrn, ==, "1234567");

  g_assert_cmpstr (b->expiry, ==, "2026-11-30");   /* day 00: the last day of the month */
  g_assert_cmpstr (b->lot, ==, "LOT7");
  g_assert_null (b->serial);

  g_assert_cmpstr (c->lot, ==, "L1");
  g_assert_cmpstr (c->expiry, ==, "2027-01-01");

  g_assert_cmpstr (d->expiry, ==, "2027-01-31");
  g_assert_cmpstr (d->serial, ==, "SER-1");
}

static void
test_century (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxGs1) a = rx_gs1_parse ("(17)991231", 2026, &error);
  g_autoptr(RxGs1) b = rx_gs1_parse ("(17)751231", 2026, &error);
  g_autoptr(RxGs1) c = rx_gs1_parse ("(17)051231", 2090, &error);

  g_assert_cmpstr (a->expiry, ==, "1999-12-31");   /* 73 years ahead: last century */
  g_assert_cmpstr (b->expiry, ==, "2075-12-31");   /* 49 ahead: this century */
  g_assert_cmpstr (c->expiry, ==, "2105-12-31");   /* 85 behind: next century */
}

static void
test_refusals (void)
{
  parse_fails ("(01)09501101530004(17)270630", "check digit");
  parse_fails ("(01)09501101530003(17)271331", "not a real date");
  parse_fails ("(01)09501101530003(17)270230", "not a real date");
  parse_fails ("(01)09501101530003(17)2706", "6 characters");
  parse_fails ("(10)ABCDEFGHIJKLMNOPQRSTUVWXYZ", "1 to 20");
  parse_fails ("(99)whatever", "not an application identifier");
  parse_fails ("(01)0950110153000X", "does not allow");
  parse_fails ("(10)A1(10)B2", "twice");
  parse_fails ("]Q1" "0109501101530003", "not a GS1 code");
  parse_fails ("hello world", "does not start");
  parse_fails ("", "empty");
  parse_fails ("(20)12", "no GTIN");
  parse_fails ("(01", "malformed");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/gs1/check-digit", test_check_digit);
  g_test_add_func ("/core/gs1/bracketed", test_bracketed);
  g_test_add_func ("/core/gs1/raw-scanner", test_raw_scanner);
  g_test_add_func ("/core/gs1/century", test_century);
  g_test_add_func ("/core/gs1/refusals", test_refusals);

  return g_test_run ();
}
