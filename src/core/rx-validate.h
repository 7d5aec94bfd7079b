/* rx-validate.h: checks on input shared by the typed APIs; each sets a GError a person can
 * act on. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  rx_validate_date      (const char  *text,
                                 const char  *what,
                                 GError     **error);
gboolean  rx_validate_text      (const char  *text,
                                 const char  *what,
                                 gsize        max_chars,
                                 gboolean     required,
                                 GError     **error);
gboolean  rx_validate_one_of    (const char  *text,
                                 const char  *what,
                                 const char * const *allowed,
                                 GError     **error);
char     *rx_normalize_search   (const char  *text);
GStrv     rx_search_tokens      (const char  *text);
char     *rx_fts_quote          (const char  *token);
char     *rx_new_reference      (char         prefix);

G_END_DECLS
