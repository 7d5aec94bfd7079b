/* rx-chat-engine.h: the assistant: (state, utterance, knowledge) -> (new state, reply, actions). */
#pragma once

#include "rx-chat-tracker.h"

G_BEGIN_DECLS

typedef struct _RxChatEngine RxChatEngine;

typedef struct
{
  char       *intent;
  gboolean    emergency;
  JsonObject *entities;
  char       *reply;
  JsonArray  *actions;   /* {"type":"alert"|"order"|"booking"|...,"id":...} */
} RxChatTurn;

RxChatEngine *rx_chat_engine_new     (RxDb          *db,
                                      GError       **error);
void          rx_chat_engine_free    (RxChatEngine  *self);
void          rx_chat_engine_set_now (RxChatEngine  *self,
                                      GDateTime     *now);
void          rx_chat_engine_set_default_emergency_number (RxChatEngine *self,
                                                           const char   *number);
RxChatTurn   *rx_chat_engine_reply   (RxChatEngine  *self,
                                      RxChatState   *state,
                                      const char    *utterance,
                                      GError       **error);
JsonNode     *rx_chat_turn_to_json   (RxChatTurn    *turn);
void          rx_chat_turn_free      (RxChatTurn    *turn);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxChatEngine, rx_chat_engine_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxChatTurn, rx_chat_turn_free)

G_END_DECLS
