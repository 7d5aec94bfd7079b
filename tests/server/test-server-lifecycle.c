#include "config.h"

#include "server-harness.h"

static void
add_tests (void)
{
}

int
main (int   argc,
      char *argv[])
{
  return server_test_main (argc, argv, add_tests);
}
