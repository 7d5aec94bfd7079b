/* rx-chat-nlu.c: normalising text, scoring intents by weighted phrases kept as data
 * (data/chat/intents.json) and finding entities: medicines (against the formulary, one typo
 * allowed), strengths, quantities, dates and times, symptoms. */
#define G_LOG_DOMAIN "rx-chat"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rx-chat-nlu.h"

typedef struct
{
  char *phrase;
  int   weight;
} Pattern;

typedef struct
{
  char      *name;
  GPtrArray *patterns;   /* Pattern */
} Intent;

struct _RxChatNlu
{
  RxDb       *db;          /* nullable: no medicine matching without it */
  GPtrArray  *intents;     /* Intent, in file order: ties go to the first */
  GHashTable *skip;        /* words never taken for a medicine name */
  GPtrArray  *symptoms;    /* normalised phrases */
  GRegex     *strength_re;
  GRegex     *quantity_re;
  GRegex     *iso_re;
  GRegex     *time_re;
};

static void
pattern_free (Pattern *p)
{
  g_free (p->phrase);
  g_free (p);
}

static void
intent_free (Intent *i)
{
  g_free (i->name);
  g_ptr_array_unref (i->patterns);
  g_free (i);
}

char *
rx_chat_data_path (const char *name)
{
  g_autofree char *dir = rx_formulary_find_data_dir ();

  return g_build_filename (dir, "chat", name, NULL);
}

/* Lower case, accents off, apostrophes dropped ("don't" -> "dont"), punctuation to spaces
 * except inside numbers ("14:30", "2026-12-01", "0.5"), one space between words and one at
 * each end, so a phrase matches whole words as " phrase ". */
char *
rx_chat_normalise (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  g_autofree char *nfkd = g_utf8_normalize (valid, -1, G_NORMALIZE_ALL);
  g_autofree char *lower = g_utf8_strdown (nfkd ? nfkd : "", -1);
  GString *out = g_string_new (" ");

  for (const char *p = lower; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gunichar prev = out->len > 0 ? (gunichar) out->str[out->len - 1] : ' ';

      if (g_unichar_ismark (c))
        continue;
      if (c == '\'' || c == 0x2019)
        continue;
      if (g_unichar_isalnum (c) || c == '%')
        g_string_append_unichar (out, c);
      else if ((c == ':' || c == '-' || c == '.' || c == '/') && g_ascii_isdigit ((char) prev) &&
               g_ascii_isdigit (p[1]))
        g_string_append_c (out, (char) c);
      else if (prev != ' ')
        g_string_append_c (out, ' ');
    }
  if (out->str[out->len - 1] != ' ')
    g_string_append_c (out, ' ');

  return g_string_free (out, FALSE);
}

/* PHRASE (normalised, no outer spaces) as whole words; a trailing '*' matches a word's start. */
gboolean
rx_chat_text_has (const char *normalised,
                  const char *phrase)
{
  g_autofree char *needle = NULL;
  gsize len = strlen (phrase);

  if (len > 0 && phrase[len - 1] == '*')
    needle = g_strdup_printf (" %.*s", (int) len - 1, phrase);
  else
    needle = g_strdup_printf (" %s ", phrase);

  return strstr (normalised, needle) != NULL;
}

static char *
clean_phrase (const char *phrase)
{
  gsize len = strlen (phrase);
  gboolean star = len > 0 && phrase[len - 1] == '*';
  g_autofree char *norm = rx_chat_normalise (phrase);

  g_strstrip (norm);
  return star ? g_strconcat (norm, "*", NULL) : g_strdup (norm);
}

static void
add_skip_words (GHashTable *skip,
                const char *phrase)
{
  g_auto(GStrv) words = g_strsplit (phrase, " ", -1);

  for (guint i = 0; words[i]; i++)
    {
      char *w = words[i];
      gsize n = strlen (w);

      if (n > 0 && w[n - 1] == '*')
        w[n - 1] = '\0';
      if (*w)
        g_hash_table_add (skip, g_strdup (w));
    }
}

RxChatNlu *
rx_chat_nlu_new (RxDb        *db,
                 const char  *intents_json,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(RxChatNlu) self = g_new0 (RxChatNlu, 1);
  JsonObject *root, *intents;
  JsonArray *list;
  g_autoptr(GList) names = NULL;

  g_return_val_if_fail (intents_json != NULL, NULL);

  self->db = db ? g_object_ref (db) : NULL;
  self->intents = g_ptr_array_new_with_free_func ((GDestroyNotify) intent_free);
  self->skip = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->symptoms = g_ptr_array_new_with_free_func (g_free);
  self->strength_re = g_regex_new (" (\\d+(?:\\.\\d+)?) ?(mg|mcg|micrograms?|g|ml|%|iu|units) ",
                                   G_REGEX_OPTIMIZE, 0, NULL);
  self->quantity_re = g_regex_new (" (\\d+|a|one|two|three|four|five|six|ten) (packs?|packets?|"
                                   "boxes|box|tablets?|tabs|capsules?|caps|bottles?|tubes?|"
                                   "inhalers?|strips?) ", G_REGEX_OPTIMIZE, 0, NULL);
  self->iso_re = g_regex_new (" (\\d{4}-\\d{2}-\\d{2})", G_REGEX_OPTIMIZE, 0, NULL);
  self->time_re = g_regex_new (" (?:at |@ )?(\\d{1,2})(?::(\\d{2}))? ?(am|pm|h|oclock)? ",
                               G_REGEX_OPTIMIZE, 0, NULL);

  if (!json_parser_load_from_file (parser, intents_json, error))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  if (root == NULL || !json_object_has_member (root, "intents"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s has no “intents” object; see the assistant's documentation", intents_json);
      return NULL;
    }

  intents = json_object_get_object_member (root, "intents");
  names = json_object_get_members (intents);
  for (GList *l = names; l; l = l->next)
    {
      Intent *intent = g_new0 (Intent, 1);
      JsonObject *pats = json_object_get_object_member (intents, l->data);
      g_autoptr(GList) phrases = json_object_get_members (pats);

      intent->name = g_strdup (l->data);
      intent->patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) pattern_free);
      for (GList *m = phrases; m; m = m->next)
        {
          Pattern *p = g_new0 (Pattern, 1);

          p->phrase = clean_phrase (m->data);
          p->weight = (int) json_object_get_int_member (pats, m->data);
          add_skip_words (self->skip, p->phrase);
          g_ptr_array_add (intent->patterns, p);
        }
      g_ptr_array_add (self->intents, intent);
    }

  list = json_object_has_member (root, "stopwords") ?
         json_object_get_array_member (root, "stopwords") : NULL;
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    add_skip_words (self->skip, json_array_get_string_element (list, i));

  list = json_object_has_member (root, "symptoms") ?
         json_object_get_array_member (root, "symptoms") : NULL;
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      char *s = clean_phrase (json_array_get_string_element (list, i));

      add_skip_words (self->skip, s);
      g_ptr_array_add (self->symptoms, s);
    }

  return g_steal_pointer (&self);
}

void
rx_chat_nlu_free (RxChatNlu *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->db);
  g_clear_pointer (&self->intents, g_ptr_array_unref);
  g_clear_pointer (&self->skip, g_hash_table_unref);
  g_clear_pointer (&self->symptoms, g_ptr_array_unref);
  g_clear_pointer (&self->strength_re, g_regex_unref);
  g_clear_pointer (&self->quantity_re, g_regex_unref);
  g_clear_pointer (&self->iso_re, g_regex_unref);
  g_clear_pointer (&self->time_re, g_regex_unref);
  g_free (self);
}

void
rx_chat_parse_free (RxChatParse *parse)
{
  if (parse == NULL)
    return;
  g_free (parse->intent);
  g_clear_pointer (&parse->entities, json_object_unref);
  g_free (parse);
}

/* Medicines ----------------------------------------------------------------------------- */

static gboolean
name_matches (const char *candidate,
              const char *name)
{
  g_autofree char *norm = rx_chat_normalise (name);
  gsize len;
  guint allowed;

  g_strstrip (norm);
  len = strlen (candidate);
  if (len < 3)
    return FALSE;
  allowed = len >= 6 ? 1 : 0;
  if (rx_edit_distance (candidate, norm, allowed + 1) <= allowed)
    return TRUE;
  /* "paracetamol" for a product named "paracetamol sodium": a long first word suffices */
  if (len >= 8 && strchr (norm, ' ') != NULL)
    {
      g_autofree char *first = g_strndup (norm, strchr (norm, ' ') - norm);

      return rx_edit_distance (candidate, first, 2) <= 1;
    }
  return FALSE;
}

static RxProduct *
match_medicine (RxChatNlu  *self,
                const char *candidate)
{
  g_autoptr(GListModel) found = rx_formulary_search (self->db, candidate, 8, NULL);

  for (guint i = 0; found && i < g_list_model_get_n_items (found); i++)
    {
      g_autoptr(RxProduct) p = g_list_model_get_item (found, i);
      g_auto(GStrv) synonyms = g_strsplit (rx_product_get_synonyms (p) ?
                                           rx_product_get_synonyms (p) : "", ", ", -1);

      if (name_matches (candidate, rx_product_get_inn (p)))
        return g_steal_pointer (&p);
      for (guint j = 0; synonyms[j]; j++)
        if (*synonyms[j] && name_matches (candidate, synonyms[j]))
          return g_steal_pointer (&p);
    }
  return NULL;
}

static void
find_medicine (RxChatNlu  *self,
               char      **words,
               JsonObject *entities)
{
  guint n = g_strv_length (words);

  if (self->db == NULL)
    return;

  /* two words first ("folic acid"), then single words */
  for (guint span = 2; span >= 1; span--)
    for (guint i = 0; i + span <= n; i++)
      {
        g_autofree char *candidate = NULL;
        g_autoptr(RxProduct) p = NULL;
        gboolean skip = FALSE;

        for (guint k = i; k < i + span; k++)
          if (strlen (words[k]) < 3 || g_hash_table_contains (self->skip, words[k]) ||
              g_ascii_isdigit (words[k][0]))
            skip = TRUE;
        if (skip)
          continue;
        candidate = span == 2 ? g_strconcat (words[i], " ", words[i + 1], NULL)
                              : g_strdup (words[i]);
        p = match_medicine (self, candidate);
        if (p != NULL)
          {
            json_object_set_string_member (entities, "medicine", rx_product_get_inn (p));
            json_object_set_string_member (entities, "product_id", rx_product_get_id (p));
            return;
          }
      }

  /* "tell me about xyzzol": a name we do not know where a medicine's name would stand */
  for (guint i = 1; i < n; i++)
    {
      static const char * const before[] = { "about", "of", "have", "order", "buy", "stock",
                                             "sell", "than", "for", "to", NULL };
      gboolean alpha = TRUE;

      for (const char *c = words[i]; *c; c++)
        alpha = alpha && g_ascii_isalpha (*c);
      if (alpha && strlen (words[i]) >= 5 && g_strv_contains (before, words[i - 1]) &&
          !g_hash_table_contains (self->skip, words[i]))
        {
          json_object_set_string_member (entities, "unmatched", words[i]);
          return;
        }
    }
}

/* Numbers, dates, times ----------------------------------------------------------------- */

static int
small_number (const char *word)
{
  static const char * const names[] = { "a", "one", "two", "three", "four", "five", "six" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (word, names[i]))
      return i == 0 ? 1 : (int) i;
  if (g_str_equal (word, "ten"))
    return 10;
  return atoi (word);
}

static void
find_numbers (RxChatNlu  *self,
              const char *text,
              JsonObject *entities)
{
  g_autoptr(GMatchInfo) m = NULL;

  if (g_regex_match (self->strength_re, text, 0, &m))
    {
      g_autofree char *num = g_match_info_fetch (m, 1);
      g_autofree char *unit = g_match_info_fetch (m, 2);
      g_autofree char *s = g_strdup_printf ("%s %s", num, unit);

      json_object_set_string_member (entities, "strength", s);
    }
  g_clear_pointer (&m, g_match_info_free);

  if (g_regex_match (self->quantity_re, text, 0, &m))
    {
      g_autofree char *num = g_match_info_fetch (m, 1);
      g_autofree char *unit = g_match_info_fetch (m, 2);
      int q = small_number (num);

      if (q > 0 && q <= 10000)
        {
          json_object_set_int_member (entities, "quantity", q);
          json_object_set_string_member (entities, "unit", unit);
        }
    }
}

static const char * const weekdays[] = { "monday", "tuesday", "wednesday", "thursday",
                                         "friday", "saturday", "sunday" };

static void
find_when (RxChatNlu  *self,
           const char *text,
           GDateTime  *now,
           JsonObject *entities)
{
  g_autoptr(GMatchInfo) m = NULL;
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *rest = g_strdup (text);

  if (g_regex_match (self->iso_re, text, 0, &m))
    {
      g_autofree char *iso = g_match_info_fetch (m, 1);
      int start, end;

      json_object_set_string_member (entities, "date", iso);
      g_match_info_fetch_pos (m, 1, &start, &end);
      memset (rest + start, ' ', end - start);
    }
  else if (rx_chat_text_has (text, "today"))
    day = g_date_time_ref (now);
  else if (rx_chat_text_has (text, "tomorrow") || rx_chat_text_has (text, "tmrw") ||
           rx_chat_text_has (text, "tomorow"))
    day = g_date_time_add_days (now, 1);
  else
    for (guint i = 0; i < G_N_ELEMENTS (weekdays); i++)
      if (rx_chat_text_has (text, weekdays[i]))
        {
          int ahead = ((int) i + 1 - g_date_time_get_day_of_week (now) + 7) % 7;

          day = g_date_time_add_days (now, ahead == 0 ? 7 : ahead);
          break;
        }
  if (day != NULL)
    {
      g_autofree char *iso = g_date_time_format (day, "%Y-%m-%d");

      json_object_set_string_member (entities, "date", iso);
    }

  g_clear_pointer (&m, g_match_info_free);
  /* a time: "at 10", "10:30", "3pm", "14h"; bare numbers only after "at" or with ":"/am/pm */
  if (g_regex_match (self->time_re, rest, 0, &m))
    do
      {
        g_autofree char *whole = g_match_info_fetch (m, 0);
        g_autofree char *h = g_match_info_fetch (m, 1);
        g_autofree char *mm = g_match_info_fetch (m, 2);
        g_autofree char *suffix = g_match_info_fetch (m, 3);
        int hour = atoi (h), minute = mm && *mm ? atoi (mm) : 0;
        gboolean marked = (mm && *mm) || (suffix && *suffix) || strstr (whole, "at ") ||
                          strstr (whole, "@");

        if (!marked)
          continue;
        if (suffix && g_str_equal (suffix, "pm") && hour < 12)
          hour += 12;
        if (suffix && g_str_equal (suffix, "am") && hour == 12)
          hour = 0;
        /* "at 3" in a clinic means the afternoon */
        if ((suffix == NULL || *suffix == '\0') && hour >= 1 && hour <= 6)
          hour += 12;
        if (hour < 24 && minute < 60)
          {
            g_autofree char *t = g_strdup_printf ("%02d:%02d", hour, minute);

            json_object_set_string_member (entities, "time", t);
            break;
          }
      }
    while (g_match_info_next (m, NULL));
}

static void
find_small_talk (const char *text,
                 JsonObject *entities)
{
  static const char * const yes[] = { "yes", "yeah", "yep", "ok", "okay", "sure", "please do",
                                      "that one", "sounds good", "fine", "book it", NULL };
  static const char * const no[] = { "no", "nope", "not now", "no thanks", NULL };
  static const char * const ordinals[] = { "first", "second", "third", "fourth", "fifth", NULL };

  for (guint i = 0; yes[i]; i++)
    if (rx_chat_text_has (text, yes[i]))
      json_object_set_boolean_member (entities, "yes", TRUE);
  for (guint i = 0; no[i]; i++)
    if (rx_chat_text_has (text, no[i]))
      json_object_set_boolean_member (entities, "no", TRUE);
  for (guint i = 0; ordinals[i]; i++)
    if (rx_chat_text_has (text, ordinals[i]))
      json_object_set_int_member (entities, "choice", i + 1);
  if (rx_chat_text_has (text, "last one"))
    json_object_set_int_member (entities, "choice", -1);
}

RxChatParse *
rx_chat_nlu_parse (RxChatNlu  *self,
                   const char *text,
                   GDateTime  *now)
{
  RxChatParse *parse = g_new0 (RxChatParse, 1);
  g_autofree char *norm = rx_chat_normalise (text);
  g_autofree char *inner = g_strstrip (g_strdup (norm));
  g_auto(GStrv) words = g_strsplit (inner, " ", -1);
  g_autoptr(JsonArray) symptoms = json_array_new ();
  const char *best = "unknown";
  int best_score = 0;

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->intents->len; i++)
    {
      Intent *intent = self->intents->pdata[i];
      int score = 0;

      for (guint j = 0; j < intent->patterns->len; j++)
        {
          Pattern *p = intent->patterns->pdata[j];

          if (rx_chat_text_has (norm, p->phrase))
            score += p->weight;
        }
      if (score > best_score)
        {
          best_score = score;
          best = intent->name;
        }
    }

  parse->entities = json_object_new ();
  find_medicine (self, words, parse->entities);
  find_numbers (self, norm, parse->entities);
  find_when (self, norm, now, parse->entities);
  find_small_talk (norm, parse->entities);
  for (guint i = 0; i < self->symptoms->len; i++)
    if (rx_chat_text_has (norm, self->symptoms->pdata[i]))
      json_array_add_string_element (symptoms, self->symptoms->pdata[i]);
  if (json_array_get_length (symptoms) > 0)
    json_object_set_array_member (parse->entities, "symptoms", g_steal_pointer (&symptoms));

  /* "what is the weather like": the weak question words of drug_info need a medicine */
  if (g_str_equal (best, "drug_info") && best_score < 3 &&
      !json_object_has_member (parse->entities, "medicine"))
    {
      best = "unknown";
      best_score = 0;
    }
  /* a medicine named alone is a question about it */
  if (best_score <= 0 && json_object_has_member (parse->entities, "medicine"))
    best = "drug_info";

  parse->intent = g_strdup (best);
  parse->score = best_score;
  return parse;
}
