/* rx-chat-emergency.c: red flags as data (data/chat/red-flags.json). Near-misses ("chest
 * cold", "not suicidal") are blanked out first; then a category fires on any of its phrases,
 * or on a combination (one phrase from each of several groups: "pregnant" + "bleeding"). */
#define G_LOG_DOMAIN "rx-chat"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "rx-chat-emergency.h"
#include "rx-chat-nlu.h"

typedef struct
{
  char      *name;
  char      *title;
  GPtrArray *phrases;   /* char* */
  GPtrArray *combos;    /* GPtrArray of groups, each a GPtrArray of char* */
  GStrv      steps;
} Category;

struct _RxChatEmergency
{
  GPtrArray *negations;
  GPtrArray *categories;
};

static void
category_free (Category *c)
{
  g_free (c->name);
  g_free (c->title);
  g_ptr_array_unref (c->phrases);
  g_ptr_array_unref (c->combos);
  g_strfreev (c->steps);
  g_free (c);
}

static GPtrArray *
phrases_from (JsonArray *array)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      const char *raw = json_array_get_string_element (array, i);
      gsize len = strlen (raw);
      g_autofree char *norm = rx_chat_normalise (raw);

      g_strstrip (norm);
      g_ptr_array_add (out, len > 0 && raw[len - 1] == '*' ? g_strconcat (norm, "*", NULL)
                                                          : g_strdup (norm));
    }
  return out;
}

static JsonArray *
array_member (JsonObject *o,
              const char *name)
{
  return json_object_has_member (o, name) ? json_object_get_array_member (o, name) : NULL;
}

RxChatEmergency *
rx_chat_emergency_new (const char  *red_flags_json,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(RxChatEmergency) self = g_new0 (RxChatEmergency, 1);
  JsonObject *root;
  JsonArray *cats;

  if (!json_parser_load_from_file (parser, red_flags_json, error))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  cats = root ? array_member (root, "categories") : NULL;
  if (cats == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s has no “categories” list; the assistant cannot run without red flags",
                   red_flags_json);
      return NULL;
    }

  self->negations = phrases_from (array_member (root, "negations"));
  self->categories = g_ptr_array_new_with_free_func ((GDestroyNotify) category_free);
  for (guint i = 0; i < json_array_get_length (cats); i++)
    {
      JsonObject *o = json_array_get_object_element (cats, i);
      Category *c = g_new0 (Category, 1);
      JsonArray *combos = array_member (o, "combos");
      JsonArray *steps = array_member (o, "steps");
      GStrvBuilder *b = g_strv_builder_new ();

      c->name = g_strdup (json_object_get_string_member (o, "category"));
      c->title = g_strdup (json_object_get_string_member_with_default (o, "title", c->name));
      c->phrases = phrases_from (array_member (o, "phrases"));
      c->combos = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      for (guint j = 0; combos && j < json_array_get_length (combos); j++)
        {
          JsonArray *groups = json_array_get_array_element (combos, j);
          GPtrArray *combo = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

          for (guint k = 0; k < json_array_get_length (groups); k++)
            g_ptr_array_add (combo, phrases_from (json_array_get_array_element (groups, k)));
          g_ptr_array_add (c->combos, combo);
        }
      for (guint j = 0; steps && j < json_array_get_length (steps); j++)
        g_strv_builder_add (b, json_array_get_string_element (steps, j));
      c->steps = g_strv_builder_end (b);
      g_strv_builder_unref (b);
      g_ptr_array_add (self->categories, c);
    }

  return g_steal_pointer (&self);
}

void
rx_chat_emergency_free (RxChatEmergency *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->negations, g_ptr_array_unref);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  g_free (self);
}

static gboolean
any_of (const char *text,
        GPtrArray  *phrases)
{
  for (guint i = 0; i < phrases->len; i++)
    if (rx_chat_text_has (text, phrases->pdata[i]))
      return TRUE;
  return FALSE;
}

/* Blank every occurrence of a near-miss, keeping the spaces around it. */
static void
blank_negations (RxChatEmergency *self,
                 char            *text)
{
  for (guint i = 0; i < self->negations->len; i++)
    {
      g_autofree char *needle = g_strdup_printf (" %s ", (char *) self->negations->pdata[i]);
      char *at;

      while ((at = strstr (text, needle)) != NULL)
        memset (at + 1, '_', strlen (needle) - 2);
    }
}

/* Returns: (nullable): the category of the first red flag in TEXT (raw or normalised). */
const char *
rx_chat_emergency_detect (RxChatEmergency *self,
                          const char      *text)
{
  g_autofree char *norm = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  norm = rx_chat_normalise (text);
  blank_negations (self, norm);

  for (guint i = 0; i < self->categories->len; i++)
    {
      Category *c = self->categories->pdata[i];

      if (any_of (norm, c->phrases))
        return c->name;
      for (guint j = 0; j < c->combos->len; j++)
        {
          GPtrArray *combo = c->combos->pdata[j];
          gboolean all = combo->len > 0;

          for (guint k = 0; k < combo->len && all; k++)
            all = any_of (norm, combo->pdata[k]);
          if (all)
            return c->name;
        }
    }
  return NULL;
}

static Category *
find_category (RxChatEmergency *self,
               const char      *name)
{
  for (guint i = 0; i < self->categories->len; i++)
    if (g_strcmp0 (((Category *) self->categories->pdata[i])->name, name) == 0)
      return self->categories->pdata[i];
  return NULL;
}

const char *
rx_chat_emergency_get_title (RxChatEmergency *self,
                             const char      *category)
{
  Category *c = find_category (self, category);

  return c ? c->title : NULL;
}

const char * const *
rx_chat_emergency_get_steps (RxChatEmergency *self,
                             const char      *category)
{
  Category *c = find_category (self, category);

  return c ? (const char * const *) c->steps : NULL;
}
