/* rx-assistant-session.c: the assistant's engine behind the pane and the kiosk.
 *
 * The engine reads the formulary and may write (an alert, an order, a booking), so it runs in
 * a thread on a connection of its own, never on the clinic's worker that the windows' searches
 * queue on. One conversation is one engine and one dialogue state, used by one message at a
 * time: the mutex only ever waits for a reply already under way, never on the main loop. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-application.h"
#include "rx-assistant-service.h"
#include "rx-assistant-session.h"
#include "rx-chat-answer.h"
#include "rx-chat-engine.h"
#include "rx-feedback.h"
#include "rx-format.h"
#include "rx-formulary.h"
#include "rx-keyring.h"

/* At most this many medicine cards under one answer. */
#define MAX_CARDS 4

/* The outside service's key: in the keyring under the clinic's organisation and this name. */
#define SERVICE_KEY_NAME "assistant-service"

struct _RxAssistantSession
{
  GObject       parent_instance;

  char         *path;
  RxUser       *user;        /* who is asking at a staff workstation; NULL at the kiosk */
  gboolean      kiosk;
  gint          generation;  /* bumped by "Start over"; atomic */
  char         *service_url; /* the optional outside service, or NULL */
  char         *service_model;
  guint         minor_digits;
  char         *emergency_number; /* this workstation's, for a clinic that set none */

  /* Only in the task threads, under the lock. */
  GMutex        lock;
  RxDb         *db;
  RxChatEngine *engine;
  RxChatState  *state;
  gint          state_generation;
};

G_DEFINE_FINAL_TYPE (RxAssistantSession, rx_assistant_session, G_TYPE_OBJECT)

void
rx_assistant_reply_free (RxAssistantReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->text);
  g_free (reply->intent);
  g_free (reply->emergency_number);
  g_free (reply->alert_id);
  g_clear_object (&reply->products);
  g_strfreev (reply->suggestions);
  g_free (reply);
}

static void
rx_assistant_session_finalize (GObject *object)
{
  RxAssistantSession *self = (RxAssistantSession *) object;

  g_clear_pointer (&self->engine, rx_chat_engine_free);
  g_clear_pointer (&self->state, rx_chat_state_free);
  g_clear_object (&self->db);
  g_clear_object (&self->user);
  g_free (self->path);
  g_free (self->service_url);
  g_free (self->service_model);
  g_free (self->emergency_number);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (rx_assistant_session_parent_class)->finalize (object);
}

static void
rx_assistant_session_class_init (RxAssistantSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rx_assistant_session_finalize;
}

static void
rx_assistant_session_init (RxAssistantSession *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();

  g_mutex_init (&self->lock);
  self->minor_digits = 2;

  /* Tests run without the schema installed: no outside service then. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, RX_SETTINGS_SCHEMA_ID, TRUE);
  if (schema != NULL)
    {
      g_autoptr(GSettings) settings = g_settings_new (RX_SETTINGS_SCHEMA_ID);
      g_autofree char *url = g_settings_get_string (settings, "assistant-service-url");
      g_autofree char *model = g_settings_get_string (settings, "assistant-service-model");

      self->minor_digits = g_settings_get_uint (settings, "currency-minor-digits");
      self->emergency_number = g_settings_get_string (settings, "emergency-number");
      rx_assistant_session_set_service (self, url, model);
    }
}

/**
 * rx_assistant_session_set_service:
 * @url: (nullable): an OpenAI-compatible service's address, or %NULL or "" for none
 * @model: (nullable): the model to ask it for
 *
 * Questions the engine does not understand go there, with facts from the clinic's formulary;
 * emergencies never do. Call before the first question.
 */
void
rx_assistant_session_set_service (RxAssistantSession *self,
                                  const char         *url,
                                  const char         *model)
{
  g_return_if_fail (RX_IS_ASSISTANT_SESSION (self));

  g_mutex_lock (&self->lock);
  g_free (self->service_url);
  self->service_url = url != NULL && *url != '\0' ? g_strdup (url) : NULL;
  g_free (self->service_model);
  self->service_model = g_strdup (model);
  g_mutex_unlock (&self->lock);
}

/* A conversation for a member of staff: the engine acts with their rights, as them. */
RxAssistantSession *
rx_assistant_session_new (const char *clinic_path,
                          RxUser     *user)
{
  RxAssistantSession *self;

  g_return_val_if_fail (clinic_path != NULL, NULL);
  g_return_val_if_fail (RX_IS_USER (user), NULL);

  self = g_object_new (RX_TYPE_ASSISTANT_SESSION, NULL);
  self->path = g_strdup (clinic_path);
  self->user = g_object_ref (user);
  return self;
}

/* A conversation at the patients' terminal. Nobody logs in there: what the engine writes
 * (an emergency alert, feedback) is stamped and audited as the "kiosk". */
RxAssistantSession *
rx_assistant_session_new_kiosk (const char *clinic_path)
{
  RxAssistantSession *self;

  g_return_val_if_fail (clinic_path != NULL, NULL);

  self = g_object_new (RX_TYPE_ASSISTANT_SESSION, NULL);
  self->path = g_strdup (clinic_path);
  self->kiosk = TRUE;
  return self;
}

gboolean
rx_assistant_session_is_kiosk (RxAssistantSession *self)
{
  g_return_val_if_fail (RX_IS_ASSISTANT_SESSION (self), FALSE);
  return self->kiosk;
}

/* What a new conversation offers to ask. */
GStrv
rx_assistant_session_starters (RxAssistantSession *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (RX_IS_ASSISTANT_SESSION (self), NULL);

  g_strv_builder_add (builder, _("How much is paracetamol?"));
  g_strv_builder_add (builder, _("Is amoxicillin in stock?"));
  g_strv_builder_add (builder, _("What is ibuprofen for?"));
  g_strv_builder_add (builder, _("What can you do?"));
  return g_strv_builder_end (builder);
}

/* Forgets the conversation; the next message starts a new one. */
void
rx_assistant_session_reset (RxAssistantSession *self)
{
  g_return_if_fail (RX_IS_ASSISTANT_SESSION (self));
  g_atomic_int_inc (&self->generation);
}

/* In the thread, under the lock. */
static gboolean
ensure_engine (RxAssistantSession  *self,
               GError             **error)
{
  gint generation = g_atomic_int_get (&self->generation);

  if (self->db == NULL)
    {
      self->db = rx_db_open (self->path, RX_DB_OPEN_NONE, error);
      if (self->db == NULL)
        return FALSE;
      if (self->kiosk)
        rx_db_set_actor (self->db, "kiosk");
      else
        rx_db_set_user (self->db, self->user);
    }
  if (self->engine == NULL)
    {
      self->engine = rx_chat_engine_new (self->db, error);
      if (self->engine == NULL)
        return FALSE;
      rx_chat_engine_set_default_emergency_number (self->engine, self->emergency_number);
    }
  if (self->state == NULL || self->state_generation != generation)
    {
      g_clear_pointer (&self->state, rx_chat_state_free);
      self->state = rx_chat_state_new (NULL);
      self->state_generation = generation;
    }
  return TRUE;
}

static const char *
action_id (RxChatTurn *turn,
           const char *type)
{
  for (guint i = 0; i < json_array_get_length (turn->actions); i++)
    {
      JsonObject *action = json_array_get_object_element (turn->actions, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (action, "type", NULL),
                     type) == 0)
        return json_object_get_string_member_with_default (action, "id", NULL);
    }
  return NULL;
}

static gboolean
about_a_medicine (const char *intent)
{
  static const char * const intents[] = {
    "drug_info", "price", "availability", "alternatives", "order", NULL
  };

  return intent != NULL && g_strv_contains (intents, intent);
}

/* The products the answer was about, for the cards under it: the medicine in the dialogue
 * state, narrowed to the strength asked for when one matches. */
static GListModel *
answer_products (RxAssistantSession *self)
{
  JsonObject *slots = self->state->slots;
  const char *medicine = json_object_get_string_member_with_default (slots, "medicine", NULL);
  const char *strength = json_object_get_string_member_with_default (slots, "strength", NULL);
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListStore) cards = g_list_store_new (RX_TYPE_PRODUCT);
  guint n;

  if (medicine == NULL)
    return NULL;
  all = rx_formulary_lookup (self->db, medicine, NULL);
  n = all ? g_list_model_get_n_items (all) : 0;
  for (guint pass = 0; pass < 2 && g_list_model_get_n_items (G_LIST_MODEL (cards)) == 0; pass++)
    for (guint i = 0; i < n && g_list_model_get_n_items (G_LIST_MODEL (cards)) < MAX_CARDS; i++)
      {
        g_autoptr(RxProduct) product = g_list_model_get_item (all, i);

        if (pass == 1 || strength == NULL ||
            g_ascii_strcasecmp (rx_product_get_strength (product), strength) == 0)
          g_list_store_append (cards, product);
      }
  if (g_list_model_get_n_items (G_LIST_MODEL (cards)) == 0)
    return NULL;
  return G_LIST_MODEL (g_steal_pointer (&cards));
}

/* Quick replies: the names the engine could have meant, or the next questions about the
 * medicine just answered, or the starters. */
static GStrv
suggestions_for (RxAssistantSession *self,
                 RxChatTurn         *turn)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *medicine = json_object_get_string_member_with_default (self->state->slots,
                                                                     "medicine", NULL);

  if (turn->emergency)
    return g_strv_builder_end (builder);

  if (json_object_has_member (turn->entities, "unmatched"))
    {
      g_auto(GStrv) near = rx_formulary_suggest (self->db,
                                                 json_object_get_string_member (turn->entities,
                                                                                "unmatched"),
                                                 3);

      for (guint i = 0; near && near[i]; i++)
        g_strv_builder_add (builder, near[i]);
      return g_strv_builder_end (builder);
    }

  /* The alternatives just named, each a question away. */
  for (guint i = 0, n = 0; i < json_array_get_length (turn->actions) && n < 3; i++)
    {
      JsonObject *action = json_array_get_object_element (turn->actions, i);
      const char *name = json_object_get_string_member_with_default (action, "id", NULL);

      if (name != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (action, "type", NULL),
                     "alternative") == 0)
        {
          g_autofree char *text = g_strdup_printf (_("What is %s for?"), name);

          g_strv_builder_add (builder, text);
          n++;
        }
    }

  if (about_a_medicine (turn->intent) && medicine != NULL)
    {
      if (g_strcmp0 (turn->intent, "price") != 0)
        {
          g_autofree char *text = g_strdup_printf (_("How much is %s?"), medicine);

          g_strv_builder_add (builder, text);
        }
      if (g_strcmp0 (turn->intent, "availability") != 0)
        {
          g_autofree char *text = g_strdup_printf (_("Is %s in stock?"), medicine);

          g_strv_builder_add (builder, text);
        }
      if (g_strcmp0 (turn->intent, "alternatives") != 0)
        {
          g_autofree char *text = g_strdup_printf (_("Alternatives to %s"), medicine);

          g_strv_builder_add (builder, text);
        }
      return g_strv_builder_end (builder);
    }

  if (action_id (turn, "ask") == NULL && self->state->offered == NULL)
    return rx_assistant_session_starters (self);

  return g_strv_builder_end (builder);
}

/* What the outside service may draw on: the clinic, what the assistant does, and the
 * formulary's entries for the words of the question. Nothing about any patient. */
static char *
service_facts (RxAssistantSession *self,
               const char         *question)
{
  GString *facts = g_string_new (NULL);
  g_autofree char *name = rx_db_dup_clinic_name (self->db);
  g_autofree char *help = rx_chat_answer_simple ("help");
  g_autoptr(GListModel) products = rx_formulary_search (self->db, question, 3, NULL);
  guint n = products ? g_list_model_get_n_items (products) : 0;

  g_string_append_printf (facts, "- The clinic is %s.\n", name ? name : "a small clinic");
  g_string_append_printf (facts, "- The clinic's assistant: %s\n", help);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RxProduct) product = g_list_model_get_item (products, i);
      GPtrArray *packs = rx_product_get_packs (product);
      RxPack *pack = packs && packs->len > 0 ? packs->pdata[0] : NULL;
      g_autofree char *price = pack && pack->price_minor >= 0
                               ? rx_format_money (pack->price_minor, self->minor_digits, NULL)
                               : NULL;

      g_string_append_printf (facts, "- The clinic's pharmacy has %s %s %s (ATC %s), %s; ",
                              rx_product_get_inn (product), rx_product_get_strength (product),
                              rx_product_get_form (product), rx_product_get_atc (product),
                              rx_product_get_rx_only (product) ? "prescription only"
                                                               : "without prescription");
      if (price != NULL)
        g_string_append_printf (facts, "%lld %s for %s; ", (long long) pack->size,
                                pack->unit ? pack->unit : "", price);
      g_string_append_printf (facts, "%lld in stock.\n",
                              (long long) rx_product_get_on_hand (product));
    }
  return g_string_free (facts, FALSE);
}

/* Under the lock. The engine's own "I did not understand" stands when the service fails. */
static char *
ask_service (RxAssistantSession *self,
             const char         *question,
             GCancellable       *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxSecret) key = rx_keyring_lookup (rx_db_get_org_id (self->db), SERVICE_KEY_NAME,
                                               NULL);
  g_autofree char *facts = service_facts (self, question);
  g_autofree char *answer = NULL;

  answer = rx_assistant_service_ask (self->service_url, self->service_model, key, facts,
                                     question, cancellable, &error);
  if (answer == NULL)
    {
      g_message ("The assistant service did not answer: %s", error->message);
      return NULL;
    }
  return g_strdup_printf (_("%s\n\n(An outside AI service wrote this answer from the "
                            "clinic’s information. Check with a pharmacist or doctor.)"),
                          g_strstrip (answer));
}

static void
ask_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RxAssistantSession *self = source_object;
  const char *text = task_data;
  g_autoptr(RxChatTurn) turn = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RxAssistantReply) reply = NULL;

  g_mutex_lock (&self->lock);

  if (!ensure_engine (self, &error) ||
      (turn = rx_chat_engine_reply (self->engine, self->state, text, &error)) == NULL)
    {
      g_mutex_unlock (&self->lock);
      g_task_return_new_error (task, error->domain, error->code,
                               _("The assistant could not read the clinic: %s. Try again in a "
                                 "moment; if it keeps failing, ask the clinic staff."),
                               error->message);
      return;
    }

  reply = g_new0 (RxAssistantReply, 1);
  /* Only what the engine could not place, and never a red flag, goes outside. */
  if (!turn->emergency && g_strcmp0 (turn->intent, "unknown") == 0 && self->service_url != NULL)
    reply->text = ask_service (self, text, cancellable);
  reply->external = reply->text != NULL;
  if (reply->text == NULL)
    reply->text = g_strdup (turn->reply);
  reply->intent = g_strdup (turn->intent);
  reply->emergency = turn->emergency;
  if (turn->emergency)
    {
      reply->emergency_number = g_strdup (action_id (turn, "call"));
      reply->alert_id = g_strdup (action_id (turn, "alert"));
    }
  else if (about_a_medicine (turn->intent))
    reply->products = answer_products (self);
  reply->suggestions = suggestions_for (self, turn);

  g_mutex_unlock (&self->lock);

  g_task_return_pointer (task, g_steal_pointer (&reply), (GDestroyNotify) rx_assistant_reply_free);
}

void
rx_assistant_session_ask_async (RxAssistantSession  *self,
                                const char          *text,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RX_IS_ASSISTANT_SESSION (self));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rx_assistant_session_ask_async);
  g_task_set_task_data (task, g_strdup (text), g_free);
  g_task_run_in_thread (task, ask_in_thread);
}

RxAssistantReply *
rx_assistant_session_ask_finish (RxAssistantSession  *self,
                                 GAsyncResult        *result,
                                 GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  int   rating;
  char *comment;
} Rating;

static void
rating_free (gpointer data)
{
  Rating *rating = data;

  g_free (rating->comment);
  g_free (rating);
}

static void
rate_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RxAssistantSession *self = source_object;
  Rating *rating = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_mutex_lock (&self->lock);
  if (ensure_engine (self, &error))
    id = rx_feedback_add (self->db, rating->rating, "app", NULL, rating->comment,
                          self->kiosk ? "patient" : "staff",
                          self->kiosk ? NULL : rx_user_get_id (self->user), &error);
  g_mutex_unlock (&self->lock);

  if (id == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Keeps a rating (1 to 5) of the assistant, with an optional comment, as feedback on the app. */
void
rx_assistant_session_rate_async (RxAssistantSession  *self,
                                 int                  rating,
                                 const char          *comment,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Rating *data = g_new0 (Rating, 1);

  g_return_if_fail (RX_IS_ASSISTANT_SESSION (self));

  data->rating = rating;
  data->comment = g_strdup (comment);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rx_assistant_session_rate_async);
  g_task_set_task_data (task, data, rating_free);
  g_task_run_in_thread (task, rate_in_thread);
}

gboolean
rx_assistant_session_rate_finish (RxAssistantSession  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
