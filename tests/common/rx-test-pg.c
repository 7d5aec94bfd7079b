/* rx-test-pg.c: one PostgreSQL cluster per test program, made with initdb in a private folder
 * and started as a child that dies with the program; a database per test. PostgreSQL refuses
 * to run as root, so as root (CI) it runs as the unprivileged user "nobody". */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "rx-test-pg.h"
#include "rx-test-util.h"

typedef struct
{
  char        *bindir;
  char        *dir;        /* data/, the socket and the log */
  GSubprocess *postgres;
  guint        databases;
  uid_t        uid;        /* 0: no change */
  gid_t        gid;
} Cluster;

static Cluster cluster;

gboolean
rx_test_pg_wanted (void)
{
  return g_strcmp0 (g_getenv ("RXDESK_TEST_STORE"), "postgresql") == 0;
}

/* The newest /usr/lib/postgresql/N/bin with initdb (Debian's layout), or RXDESK_PG_BINDIR. */
static char *
find_bindir (void)
{
  const char *given = g_getenv ("RXDESK_PG_BINDIR");
  g_autoptr(GDir) dir = NULL;
  g_autofree char *best = NULL;
  int best_version = 0;
  const char *name;

  if (given != NULL)
    return g_strdup (given);

  dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *bin = g_build_filename ("/usr/lib/postgresql", name, "bin", NULL);
      g_autofree char *initdb = g_build_filename (bin, "initdb", NULL);
      int version = atoi (name);

      if (version > best_version && g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE))
        {
          best_version = version;
          g_free (best);
          best = g_steal_pointer (&bin);
        }
    }

  return g_steal_pointer (&best);
}

gboolean
rx_test_pg_available (char **why)
{
  g_autofree char *bindir = find_bindir ();
  g_autofree char *postgres = NULL;
  g_autofree char *psql = NULL;

  if (bindir == NULL)
    {
      *why = g_strdup ("PostgreSQL's server programs are not installed (no "
                       "/usr/lib/postgresql/*/bin/initdb; apt-get install postgresql)");
      return FALSE;
    }
  postgres = g_build_filename (bindir, "postgres", NULL);
  psql = g_build_filename (bindir, "psql", NULL);
  if (!g_file_test (postgres, G_FILE_TEST_IS_EXECUTABLE) ||
      !g_file_test (psql, G_FILE_TEST_IS_EXECUTABLE))
    {
      *why = g_strdup_printf ("%s has no postgres or psql", bindir);
      return FALSE;
    }
  if (geteuid () == 0 && getpwnam ("nobody") == NULL)
    {
      *why = g_strdup ("running as root, and there is no user “nobody” to run PostgreSQL as");
      return FALSE;
    }

  return TRUE;
}

/* In the child: PostgreSQL's own user, and death with the test program (set after the user
 * change, which would clear it). */
static void
child_setup (gpointer data)
{
  if (cluster.uid != 0 && (setgid (cluster.gid) != 0 || setuid (cluster.uid) != 0))
    _exit (126);
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static char *
program (const char *name)
{
  return g_build_filename (cluster.bindir, name, NULL);
}

static void
run_checked (const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  g_subprocess_launcher_set_cwd (launcher, cluster.dir);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (proc))
    g_error ("%s failed: %s", argv[0], out);
}

static void
stop_at_exit (void)
{
  rx_test_pg_stop ();
  if (cluster.dir != NULL)
    rx_test_remove_dir (cluster.dir);
}

static void
start_postgres (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *postgres = program ("postgres");
  g_autofree char *data = g_build_filename (cluster.dir, "data", NULL);
  g_autofree char *log = g_build_filename (cluster.dir, "postgres.log", NULL);
  g_autofree char *url = g_strdup_printf ("postgresql:///postgres?host=%s&user=rxdesk",
                                          cluster.dir);
  gboolean durable = g_strcmp0 (g_getenv ("RXDESK_TEST_PG_DURABLE"), "1") == 0;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  /* a throwaway cluster: no fsync (unless a benchmark asks, to compare fairly with SQLite's
   * full sync); only a socket in its private folder */
  cluster.postgres = g_subprocess_launcher_spawn (launcher, &error, postgres, "-D", data,
                                                  "-k", cluster.dir, "-h", "",
                                                  "-c", durable ? "fsync=on" : "fsync=off",
                                                  "-c", durable ? "synchronous_commit=on"
                                                                : "synchronous_commit=off",
                                                  "-c", durable ? "full_page_writes=on"
                                                                : "full_page_writes=off",
                                                  "-c", "max_connections=200", NULL);
  g_assert_no_error (error);

  /* ready once psql gets an answer */
  for (guint i = 0;; i++)
    {
      g_autofree char *psql = program ("psql");
      g_autoptr(GSubprocess) probe = NULL;

      probe = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                psql, "-X", "-q", "-d", url, "-c", "SELECT 1", NULL);
      g_assert_no_error (error);
      g_subprocess_wait (probe, NULL, NULL);
      if (g_subprocess_get_successful (probe))
        break;
      if (i == 300 || g_subprocess_get_identifier (cluster.postgres) == NULL)
        {
          g_autofree char *text = NULL;

          g_file_get_contents (log, &text, NULL, NULL);
          g_error ("PostgreSQL did not start: %s", text ? text : "(no log)");
        }
      g_usleep (50 * 1000);
    }
}

static void
start_cluster (void)
{
  g_autofree char *initdb = NULL;
  g_autofree char *data = NULL;

  if (cluster.postgres != NULL)
    return;

  cluster.bindir = find_bindir ();
  g_assert_nonnull (cluster.bindir);
  cluster.dir = rx_test_make_dir ();
  if (geteuid () == 0)
    {
      struct passwd *pw = getpwnam ("nobody");

      g_assert_nonnull (pw);
      cluster.uid = pw->pw_uid;
      cluster.gid = pw->pw_gid;
      g_assert_cmpint (chown (cluster.dir, cluster.uid, cluster.gid), ==, 0);
    }
  g_assert_cmpint (g_chmod (cluster.dir, 0700), ==, 0);
  atexit (stop_at_exit);

  initdb = program ("initdb");
  data = g_build_filename (cluster.dir, "data", NULL);
  run_checked ((const char * const[]) { initdb, "-D", data, "-U", "rxdesk", "--auth=trust",
                                        "-E", "UTF8", "--no-locale", "--no-sync", NULL });
  start_postgres ();
}

char *
rx_test_pg_new_database (void)
{
  g_autofree char *createdb = NULL;
  g_autofree char *name = NULL;

  start_cluster ();
  createdb = program ("createdb");
  name = g_strdup_printf ("test%u", ++cluster.databases);
  run_checked ((const char * const[]) { createdb, "-h", cluster.dir, "-U", "rxdesk", name,
                                        NULL });

  return g_strdup_printf ("postgresql:///%s?host=%s&user=rxdesk", name, cluster.dir);
}

char *
rx_test_pg_sql (const char *url,
                const char *sql)
{
  g_autofree char *psql = program ("psql");
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           &error, psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                           "-d", url, "-c", sql, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (proc))
    g_error ("psql failed on “%s”: %s", sql, err);

  return g_strstrip (g_steal_pointer (&out));
}

void
rx_test_pg_stop (void)
{
  if (cluster.postgres == NULL)
    return;
  /* fast shutdown: ends sessions, no waiting for clients */
  g_subprocess_send_signal (cluster.postgres, SIGINT);
  g_subprocess_wait (cluster.postgres, NULL, NULL);
  g_clear_object (&cluster.postgres);
}

void
rx_test_pg_restart (void)
{
  g_assert_null (cluster.postgres);
  g_assert_nonnull (cluster.dir);
  start_postgres ();
}
