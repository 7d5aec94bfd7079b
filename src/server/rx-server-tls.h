/* rx-server-tls.h: the server's certificate: one given by the administrator, or one the server
 * makes for itself on first start and keeps in its data folder; and the fingerprint that
 * workstations pin. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* FALSE with a message naming glib-networking when GIO has no TLS backend. */
gboolean         rx_server_tls_check_backend (GError      **error);

/* The certificate from `cert_file` and `key_file` when given, else the one kept in `data_dir`,
 * made there first when `create` is TRUE and there is none (then *made is TRUE). */
GTlsCertificate *rx_server_tls_load          (const char   *cert_file,
                                              const char   *key_file,
                                              const char   *data_dir,
                                              gboolean      create,
                                              gboolean     *made,
                                              GError      **error);

/* SHA-256 of the certificate's DER encoding, 64 lower-case hex digits. */
char            *rx_server_tls_fingerprint   (GTlsCertificate *certificate);

G_END_DECLS
