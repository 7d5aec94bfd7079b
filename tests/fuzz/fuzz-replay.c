/* fuzz-replay.c: runs a fuzz target over every file of its corpus, so the seed inputs and
 * every crash ever found (kept in the corpus as a regression test) run in the normal suite
 * without libFuzzer. Usage: fuzz-replay-TARGET CORPUS-DIR */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n = 0;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s CORPUS-DIR\n", argv[0]);
      return 2;
    }

  dir = g_dir_open (argv[1], 0, &error);
  if (dir == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (argv[1], name, NULL);
      g_autofree char *data = NULL;
      gsize size;

      if (!g_file_get_contents (path, &data, &size, NULL))
        continue;
      LLVMFuzzerTestOneInput ((const uint8_t *) data, size);
      n++;
    }

  printf ("1..1\nok 1 - %u corpus inputs ran\n", n);
  return n > 0 ? 0 : 1;
}
