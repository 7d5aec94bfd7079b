/* rx-paths.c: clinic files live in $XDG_DATA_HOME/rxdesk/<clinic>.db; the last one opened by
 * the app or the CLI is remembered in $XDG_STATE_HOME/rxdesk/last-clinic so both agree. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "rx-paths.h"

char *
rx_paths_clinic_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "rxdesk", NULL);
}

/* "Riverside Family Clinic" -> ".../riverside-family-clinic.db" */
char *
rx_paths_clinic_file (const char *clinic_name)
{
  g_autofree char *dir = rx_paths_clinic_dir ();
  g_autofree char *lower = g_utf8_strdown (clinic_name, -1);
  g_autofree char *ascii = g_str_to_ascii (lower, "C");
  g_autoptr(GString) slug = g_string_new (NULL);
  g_autofree char *file = NULL;

  for (const char *p = ascii; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, *p);
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  if (slug->len == 0)
    g_string_append (slug, "clinic");

  file = g_strconcat (slug->str, ".db", NULL);
  return g_build_filename (dir, file, NULL);
}

static char *
state_file (void)
{
  return g_build_filename (g_get_user_state_dir (), "rxdesk", "last-clinic", NULL);
}

char *
rx_paths_get_last_clinic (void)
{
  g_autofree char *file = state_file ();
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (file, &contents, NULL, NULL))
    return NULL;
  g_strstrip (contents);
  if (*contents == '\0' || !g_file_test (contents, G_FILE_TEST_IS_REGULAR))
    return NULL;

  return g_steal_pointer (&contents);
}

gboolean
rx_paths_set_last_clinic (const char  *path,
                          GError     **error)
{
  g_autofree char *file = state_file ();
  g_autofree char *dir = g_path_get_dirname (file);
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *line = g_strconcat (absolute, "\n", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "Cannot create %s: %s", dir, g_strerror (errno));
      return FALSE;
    }

  return g_file_set_contents_full (file, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}
