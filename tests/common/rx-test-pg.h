/* rx-test-pg.h: a private PostgreSQL server for the tests that run rxdesk-server on its
 * PostgreSQL store: Debian's initdb into a temporary folder, listening only on a Unix socket
 * there, stopped when the test program ends. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether this run is for the PostgreSQL store (RXDESK_TEST_STORE=postgresql). */
gboolean  rx_test_pg_wanted        (void);
/* Whether PostgreSQL's server programs are installed; `why` says what is missing. */
gboolean  rx_test_pg_available     (char       **why);
/* A new empty database in this program's cluster (started on first use): its --store URL. */
char     *rx_test_pg_new_database  (void);
/* Runs SQL in a database with psql: its rows, one a line, columns separated by '|'. */
char     *rx_test_pg_sql           (const char  *url,
                                    const char  *sql);
/* Stops the cluster now (also done at exit). */
void      rx_test_pg_stop          (void);
/* Starts it again, on the same data, after rx_test_pg_stop(). */
void      rx_test_pg_restart       (void);

G_END_DECLS
