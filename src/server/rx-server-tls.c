/* rx-server-tls.c: the server's own certificate, made with GnuTLS: ECDSA P-256, self-signed,
 * ten years, for "rxdesk-server", localhost, 127.0.0.1, ::1 and this host's name. Workstations
 * do not trust it through a CA but by the fingerprint they pinned at enrolment, so a long
 * life costs nothing and spares clinics a renewal that would break every pin. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "rx-server-error.h"
#include "rx-server-tls.h"

#define CERT_FILE "server-cert.pem"
#define KEY_FILE  "server-key.pem"
#define LOCK_FILE ".certificate.lock"
#define YEARS     10

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)

gboolean
rx_server_tls_check_backend (GError **error)
{
  if (g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    return TRUE;

  g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_TLS,
               "GIO has no TLS support here, and the sync server speaks only HTTPS; install "
               "glib-networking (apt install glib-networking) and start it again");
  return FALSE;
}

static gboolean
gnutls_ok (int          rc,
           const char  *what,
           GError     **error)
{
  if (rc >= 0)
    return TRUE;
  g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_TLS, "%s: %s", what, gnutls_strerror (rc));
  return FALSE;
}

static char *
export_text (int             rc,
             gnutls_datum_t *d,
             const char     *what,
             GError        **error)
{
  char *text;

  if (!gnutls_ok (rc, what, error))
    return NULL;
  text = g_strndup ((const char *) d->data, d->size);
  gnutls_memset (d->data, 0, d->size);
  gnutls_free (d->data);

  return text;
}

static gboolean
add_names (gnutls_x509_crt_t crt)
{
  static const guint8 ipv4_loopback[4] = { 127, 0, 0, 1 };
  static const guint8 ipv6_loopback[16] = { [15] = 1 };
  const char *host = g_get_host_name ();
  int rc;

  rc = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost",
                                             strlen ("localhost"), GNUTLS_FSAN_APPEND);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, ipv4_loopback,
                                               sizeof ipv4_loopback, GNUTLS_FSAN_APPEND);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, ipv6_loopback,
                                               sizeof ipv6_loopback, GNUTLS_FSAN_APPEND);
  if (rc >= 0 && host != NULL && *host != '\0' && g_strcmp0 (host, "localhost") != 0)
    rc = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, host, strlen (host),
                                               GNUTLS_FSAN_APPEND);
  return rc >= 0;
}

static gboolean
make_certificate (char   **cert_pem,
                  char   **key_pem,
                  GError **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) until = g_date_time_add_years (now, YEARS);
  gnutls_datum_t out = { NULL, 0 };
  guint8 serial[16];
  guint8 key_id[64];
  size_t key_id_size = sizeof key_id;
  int rc;

  if (!gnutls_ok (gnutls_x509_privkey_init (&key), "Making the server's key", error) ||
      !gnutls_ok (gnutls_x509_privkey_generate2 (key, GNUTLS_PK_ECDSA,
                                                 GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                                 0, NULL, 0),
                  "Making the server's ECDSA P-256 key", error) ||
      !gnutls_ok (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial),
                  "Making a serial number", error) ||
      !gnutls_ok (gnutls_x509_crt_init (&crt), "Making the server's certificate", error))
    return FALSE;

  serial[0] = (serial[0] & 0x7f) | 0x40;
  rc = gnutls_x509_crt_set_version (crt, 3);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_serial (crt, serial, sizeof serial);
  /* an hour back, for clients whose clocks are a little behind */
  if (rc >= 0)
    rc = gnutls_x509_crt_set_activation_time (crt, g_date_time_to_unix (now) - 3600);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_expiration_time (crt, g_date_time_to_unix (until));
  if (rc >= 0)
    rc = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, "rxdesk-server",
                                        strlen ("rxdesk-server"));
  if (rc >= 0 && !add_names (crt))
    rc = GNUTLS_E_INVALID_REQUEST;
  if (rc >= 0)
    rc = gnutls_x509_crt_set_key (crt, key);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_basic_constraints (crt, 0, -1);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0);
  if (rc >= 0)
    rc = gnutls_x509_privkey_get_key_id (key, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_size);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size);
  if (rc >= 0)
    rc = gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0);
  if (!gnutls_ok (rc, "Making the server's certificate", error))
    return FALSE;

  *cert_pem = export_text (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &out), &out,
                           "Writing the server's certificate", error);
  if (*cert_pem == NULL)
    return FALSE;
  *key_pem = export_text (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                             GNUTLS_PKCS_PLAIN, &out), &out,
                          "Writing the server's key", error);
  if (*key_pem == NULL)
    {
      g_clear_pointer (cert_pem, g_free);
      return FALSE;
    }

  return TRUE;
}

/* The key first: a certificate file is only ever there beside its key. */
static gboolean
save_certificate (const char  *cert_path,
                  const char  *key_path,
                  GError     **error)
{
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  if (!make_certificate (&cert_pem, &key_pem, error))
    return FALSE;

  ok = g_file_set_contents_full (key_path, key_pem, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &local_error) &&
       g_file_set_contents_full (cert_path, cert_pem, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                 &local_error);
  gnutls_memset (key_pem, 0, strlen (key_pem));
  if (!ok)
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_TLS,
                   "The server's certificate cannot be saved: %s", local_error->message);
      return FALSE;
    }

  return TRUE;
}

static GTlsCertificate *
load (const char  *cert_file,
      const char  *key_file,
      const char  *data_dir,
      gboolean     create,
      gboolean    *made,
      GError     **error)
{
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr(GError) local_error = NULL;
  GTlsCertificate *certificate;
  gboolean have_cert, have_key;

  *made = FALSE;

  if (cert_file != NULL)
    {
      certificate = g_tls_certificate_new_from_files (cert_file, key_file, &local_error);
      if (certificate == NULL)
        g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_TLS,
                     "The certificate %s with the key %s cannot be used: %s", cert_file,
                     key_file, local_error->message);
      return certificate;
    }

  cert_path = g_build_filename (data_dir, CERT_FILE, NULL);
  key_path = g_build_filename (data_dir, KEY_FILE, NULL);
  have_cert = g_file_test (cert_path, G_FILE_TEST_EXISTS);
  have_key = g_file_test (key_path, G_FILE_TEST_EXISTS);

  if (!have_cert && have_key)
    {
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_TLS,
                   "%s is there without its certificate %s; restore the certificate from a "
                   "backup, or remove the key to make a new pair (workstations then have to "
                   "enrol again, since they pinned the old one)", key_path, cert_path);
      return NULL;
    }
  if (!have_cert)
    {
      if (!create)
        {
          g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_NOT_FOUND,
                       "There is no server certificate in %s yet; start the server once to "
                       "make one, or give --tls-cert", data_dir);
          return NULL;
        }
      if (!save_certificate (cert_path, key_path, error))
        return NULL;
      *made = TRUE;
    }

  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &local_error);
  if (certificate == NULL)
    g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_TLS,
                 "The server's certificate in %s cannot be read: %s", data_dir,
                 local_error->message);

  return certificate;
}

/* Several server processes sharing a data folder may start at once: one makes the pair while
 * the others wait, then read it, so they all serve the one certificate workstations pin. */
GTlsCertificate *
rx_server_tls_load (const char  *cert_file,
                    const char  *key_file,
                    const char  *data_dir,
                    gboolean     create,
                    gboolean    *made,
                    GError     **error)
{
  g_autofree char *lock_path = NULL;
  GTlsCertificate *certificate;
  int fd;

  if (cert_file != NULL || !create)
    return load (cert_file, key_file, data_dir, create, made, error);

  lock_path = g_build_filename (data_dir, LOCK_FILE, NULL);
  fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || flock (fd, LOCK_EX) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_TLS,
                   "The server's certificate cannot be made in %s: %s; check that the server "
                   "may write there", data_dir, g_strerror (saved));
      *made = FALSE;
      return NULL;
    }
  certificate = load (cert_file, key_file, data_dir, create, made, error);
  close (fd);

  return certificate;
}

char *
rx_server_tls_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  g_return_val_if_fail (der != NULL, NULL);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}
