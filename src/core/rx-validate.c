/* rx-validate.c: input checks and search-text helpers shared by the typed APIs. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <gnutls/crypto.h>

#include "rx-core-error.h"
#include "rx-validate.h"

gboolean
rx_validate_date (const char  *text,
                  const char  *what,
                  GError     **error)
{
  int y, m, d;
  char tail;

  if (text == NULL ||
      strlen (text) != 10 ||
      sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
      text[4] != '-' || text[7] != '-' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[5]) || !g_ascii_isdigit (text[8]) ||
      !g_date_valid_dmy (d, m, y))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "%s “%s” is not a date; write it as YYYY-MM-DD, e.g. 1984-03-27",
                   what, text ? text : "");
      return FALSE;
    }

  return TRUE;
}

gboolean
rx_validate_text (const char  *text,
                  const char  *what,
                  gsize        max_chars,
                  gboolean     required,
                  GError     **error)
{
  gboolean blank = TRUE;

  for (const char *p = text; p && *p; p++)
    if (!g_ascii_isspace (*p))
      blank = FALSE;

  if (blank)
    {
      if (required)
        g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID, "%s is required", what);
      return !required;
    }

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "%s is not valid UTF-8 text", what);
      return FALSE;
    }

  if (g_utf8_strlen (text, -1) > (glong) max_chars)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "%s is longer than %" G_GSIZE_FORMAT " characters; shorten it",
                   what, max_chars);
      return FALSE;
    }

  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x20 && *p != '\n' && *p != '\t')
      {
        g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                     "%s contains control characters; type it again", what);
        return FALSE;
      }

  return TRUE;
}

gboolean
rx_validate_one_of (const char          *text,
                    const char          *what,
                    const char * const  *allowed,
                    GError             **error)
{
  g_autofree char *list = NULL;

  if (text != NULL && g_strv_contains (allowed, text))
    return TRUE;

  list = g_strjoinv (", ", (char **) allowed);
  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
               "%s “%s” is not one of: %s", what, text ? text : "", list);
  return FALSE;
}

/* Lower case, accents removed: what the FTS5 unicode61 tokenizer does to indexed text. */
char *
rx_normalize_search (const char *text)
{
  g_autofree char *nfd = NULL;
  GString *out;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");

  nfd = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  out = g_string_new (NULL);
  for (const char *p = nfd; p && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      g_string_append_unichar (out, g_unichar_tolower (c));
    }

  return g_string_free (out, FALSE);
}

/* Splits search text into the tokens FTS5 would see: runs of letters and digits. */
GStrv
rx_search_tokens (const char *text)
{
  g_autofree char *norm = rx_normalize_search (text);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GString *cur = g_string_new (NULL);

  for (const char *p = norm; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        g_string_append_unichar (cur, c);
      else if (cur->len > 0)
        {
          g_strv_builder_add (builder, cur->str);
          g_string_truncate (cur, 0);
        }
      if (c == 0)
        break;
    }
  g_string_free (cur, TRUE);

  return g_strv_builder_end (builder);
}

/* A token as an FTS5 string literal: the query language never sees user syntax. */
char *
rx_fts_quote (const char *token)
{
  GString *out = g_string_new ("\"");

  for (const char *p = token; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}

/* A reference people can read out on the phone: prefix, then 8 characters of Crockford
 * base32 (no I, L, O, U) in two groups, 40 random bits. */
char *
rx_new_reference (char prefix)
{
  static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  guint8 b[5];
  guint64 v = 0;
  char out[12];

  if (gnutls_rnd (GNUTLS_RND_NONCE, b, sizeof b) != 0)
    g_error ("The system random number generator failed");
  for (guint i = 0; i < 5; i++)
    v = (v << 8) | b[i];

  out[0] = prefix;
  out[1] = '-';
  for (guint i = 0; i < 8; i++)
    out[2 + i + (i >= 4)] = alphabet[(v >> (35 - 5 * i)) & 31];
  out[6] = '-';
  out[11] = '\0';

  return g_strdup (out);
}
