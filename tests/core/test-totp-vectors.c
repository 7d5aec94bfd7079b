/* test-totp-vectors.c: the second factor's primitives against published test vectors:
 * RFC 6238 (TOTP) and RFC 4226 (HOTP), RFC 7914 and RFC 6070 (PBKDF2), RFC 4648 (base32). */
#include "config.h"

#include <string.h>
#include <gnutls/crypto.h>

#include "rx-test-fixtures.h"
#include "rx-totp.h"

static char *
hex (const guint8 *data,
     gsize         len)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, "%02x", data[i]);
  return g_string_free (out, FALSE);
}

static void
test_rfc6238 (void)
{
  static const guint8 secret[] = "12345678901234567890";
  static const struct { gint64 time; const char *code; } vectors[] = {
    { 59, "94287082" }, { 1111111109, "07081804" }, { 1111111111, "14050471" },
    { 1234567890, "89005924" }, { 2000000000, "69279037" }, { 20000000000, "65353130" },
  };
  /* RFC 4226 Appendix D: HOTP for counters 0..9, i.e. TOTP with a one-second step */
  static const char *hotp[] = { "755224", "287082", "359152", "969429", "338314", "254676",
                                "287922", "162583", "399871", "520489" };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *eight = rx_totp_code (secret, 20, vectors[i].time, 8, 30);
      g_autofree char *six = rx_totp_code (secret, 20, vectors[i].time, 6, 30);
      g_autofree char *fallback = rx_totp_code (secret, 20, vectors[i].time, 0, 0);

      g_assert_cmpstr (eight, ==, vectors[i].code);
      g_assert_cmpstr (six, ==, vectors[i].code + 2);
      g_assert_cmpstr (fallback, ==, six);  /* 6 digits, 30 s by default */
    }

  for (guint i = 0; i < G_N_ELEMENTS (hotp); i++)
    {
      g_autofree char *code = rx_totp_code (secret, 20, i, 6, 1);

      g_assert_cmpstr (code, ==, hotp[i]);
    }

  /* the step boundary: 29 s and 30 s are different steps */
  {
    g_autofree char *a = rx_totp_code (secret, 20, 29, 6, 30);
    g_autofree char *b = rx_totp_code (secret, 20, 0, 6, 30);
    g_autofree char *c = rx_totp_code (secret, 20, 30, 6, 30);

    g_assert_cmpstr (a, ==, b);
    g_assert_cmpstr (a, !=, c);
  }
}

static void
test_pbkdf2 (void)
{
  g_autoptr(GError) error = NULL;
  guint8 out[64];
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *sha1 = NULL;
  gnutls_datum_t password = { (unsigned char *) "password", 8 };
  gnutls_datum_t salt = { (unsigned char *) "salt", 4 };

  /* RFC 7914 §11, PBKDF2-HMAC-SHA256 */
  g_assert_true (rx_totp_pbkdf2_sha256 ("passwd", (const guint8 *) "salt", 4, 1, out, 64,
                                        &error));
  g_assert_no_error (error);
  first = hex (out, 64);
  g_assert_cmpstr (first, ==, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                              "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
  g_assert_true (rx_totp_pbkdf2_sha256 ("Password", (const guint8 *) "NaCl", 4, 80000, out, 64,
                                        &error));
  second = hex (out, 64);
  g_assert_cmpstr (second, ==, "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
                               "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");

  /* RFC 6070 is for HMAC-SHA-1: the same GnuTLS primitive with another MAC */
  g_assert_cmpint (gnutls_pbkdf2 (GNUTLS_MAC_SHA1, &password, &salt, 4096, out, 20), ==, 0);
  sha1 = hex (out, 20);
  g_assert_cmpstr (sha1, ==, "4b007901b765489abead49d926f721d065a429c1");
}

static void
test_base32 (void)
{
  static const char *vectors[][3] = {
    /* RFC 4648 §10: input, unpadded (what we write), padded (what we also read) */
    { "", "", "" }, { "f", "MY", "MY======" }, { "fo", "MZXQ", "MZXQ====" },
    { "foo", "MZXW6", "MZXW6===" }, { "foob", "MZXW6YQ", "MZXW6YQ=" },
    { "fooba", "MZXW6YTB", "MZXW6YTB" }, { "foobar", "MZXW6YTBOI", "MZXW6YTBOI======" },
  };
  static const char *bad[] = {
    "M", "MZX", "MZXW6Y", "MY=", "MY=======", "MY=A====", "MZXW6YTB1", "MZXW 6YTB", "MZ",
    "MZXW6YTBO\xc3\x89", NULL
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      gsize len = strlen (vectors[i][0]);
      g_autofree char *enc = rx_totp_base32_encode ((const guint8 *) vectors[i][0], len);
      g_autofree char *lower = g_ascii_strdown (vectors[i][2], -1);
      gsize n1 = 99, n2 = 99, n3 = 99;
      g_autofree guint8 *d1 = rx_totp_base32_decode (vectors[i][1], &n1, &error);
      g_autofree guint8 *d2 = rx_totp_base32_decode (vectors[i][2], &n2, &error);
      g_autofree guint8 *d3 = rx_totp_base32_decode (lower, &n3, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (enc, ==, vectors[i][1]);
      g_assert_cmpmem (d1, n1, vectors[i][0], len);
      g_assert_cmpmem (d2, n2, vectors[i][0], len);
      g_assert_cmpmem (d3, n3, vectors[i][0], len);
    }

  for (guint i = 0; bad[i]; i++)
    {
      gsize n = 0;

      g_assert_null (rx_totp_base32_decode (bad[i], &n, &error));
      rx_test_assert_error_says (error, RX_CORE_ERROR_INVALID, "base32");
      g_clear_error (&error);
    }

  /* round trips of every length a seed might have */
  for (gsize len = 0; len <= 40; len++)
    {
      guint8 data[40];
      g_autofree char *enc = NULL;
      g_autofree guint8 *dec = NULL;
      gsize n = 0;

      for (gsize i = 0; i < len; i++)
        data[i] = g_test_rand_int_range (0, 256);
      enc = rx_totp_base32_encode (data, len);
      g_assert_cmpuint (strlen (enc), ==, (len * 8 + 4) / 5);
      dec = rx_totp_base32_decode (enc, &n, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (dec, n, data, len);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/totp/rfc6238", test_rfc6238);
  g_test_add_func ("/core/totp/pbkdf2", test_pbkdf2);
  g_test_add_func ("/core/totp/base32", test_base32);

  return g_test_run ();
}
