/* rx-store-private.h: what the store implementations share: their numbered migrations. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The names (NNNN-what.sql) of the migrations under a resource folder, in order; their numbers
 * run 1..N without gaps. */
GPtrArray *_rx_store_list_migrations (const char *resource_dir);
/* The text of one of them. */
char      *_rx_store_read_migration  (const char *resource_dir,
                                      const char *name);

G_END_DECLS
