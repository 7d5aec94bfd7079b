/* rx-chat-nlu.h: understanding one message: its intent and the entities in it. */
#pragma once

#include <json-glib/json-glib.h>

#include "rx-core.h"

G_BEGIN_DECLS

typedef struct _RxChatNlu RxChatNlu;

/* What one message says. Entities: "medicine" (generic name), "product_id", "strength"
 * ("500 mg"), "quantity" (int) with "unit", "date" (YYYY-MM-DD), "time" (HH:MM), "symptoms"
 * (array), "choice" (1-based), "yes"/"no" (booleans). */
typedef struct
{
  char       *intent;     /* "unknown" when nothing scored */
  int         score;
  JsonObject *entities;
} RxChatParse;

char        *rx_chat_normalise        (const char   *text);
gboolean     rx_chat_text_has         (const char   *normalised,
                                       const char   *phrase);

RxChatNlu   *rx_chat_nlu_new          (RxDb         *db,
                                       const char   *intents_json,
                                       GError      **error);
void         rx_chat_nlu_free         (RxChatNlu    *self);
RxChatParse *rx_chat_nlu_parse        (RxChatNlu    *self,
                                       const char   *text,
                                       GDateTime    *now);
void         rx_chat_parse_free       (RxChatParse  *parse);

char        *rx_chat_data_path        (const char   *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxChatNlu, rx_chat_nlu_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxChatParse, rx_chat_parse_free)

G_END_DECLS
