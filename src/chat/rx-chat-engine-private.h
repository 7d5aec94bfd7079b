/* rx-chat-engine-private.h: the engine's parts, shared with the actions it runs. */
#pragma once

#include "rx-chat-answer.h"
#include "rx-chat-emergency.h"
#include "rx-chat-engine.h"
#include "rx-chat-policy.h"

G_BEGIN_DECLS

struct _RxChatEngine
{
  RxDb            *db;
  RxChatNlu       *nlu;
  RxChatEmergency *emergency;
  RxChatPolicy    *policy;
  RxChatAnswer    *answer;
  GHashTable      *groups;          /* ATC level 4 (5 chars) -> GPtrArray of generic names */
  GHashTable      *allergy_classes; /* "penicillins" -> "J01C" */
  GDateTime       *now;             /* fixed clock for tests, or NULL */
  char            *default_number;  /* when the clinic sets none: this workstation's, or NULL */
};

GDateTime *_rx_chat_engine_now        (RxChatEngine *self);
gboolean   _rx_chat_load_knowledge    (RxChatEngine *self,
                                       GError      **error);
char      *_rx_chat_alternatives      (RxChatEngine *self,
                                       RxChatState  *state,
                                       RxChatTurn   *turn);
char      *_rx_chat_order             (RxChatEngine *self,
                                       RxChatState  *state,
                                       RxChatTurn   *turn);
char      *_rx_chat_order_status      (RxChatEngine *self,
                                       RxChatState  *state,
                                       RxChatTurn   *turn);
char      *_rx_chat_offer_slots       (RxChatEngine *self,
                                       RxChatState  *state,
                                       RxChatTurn   *turn);
char      *_rx_chat_book              (RxChatEngine *self,
                                       RxChatState  *state,
                                       RxChatTurn   *turn);
GListModel *_rx_chat_slot_products (RxChatEngine *self,
                                    JsonObject   *slots);
void       _rx_chat_add_action        (RxChatTurn   *turn,
                                       const char   *type,
                                       const char   *id);

G_END_DECLS
