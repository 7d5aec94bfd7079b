/* rx-chat-tracker.h: the dialogue state carried from one message to the next. */
#pragma once

#include "rx-chat-nlu.h"

G_BEGIN_DECLS

typedef struct
{
  char       *patient_id;     /* who is chatting, or NULL */
  JsonObject *slots;          /* medicine, product_id, strength, quantity, date, time... */
  char       *last_intent;
  char       *pending;        /* the intent waiting for an answer, or NULL */
  GStrv       offered;        /* appointment start times offered last, or NULL */
  char       *last_order_id;
  guint       turns;
} RxChatState;

RxChatState *rx_chat_state_new      (const char   *patient_id);
void         rx_chat_state_free     (RxChatState  *state);
void         rx_chat_tracker_update (RxChatState  *state,
                                     RxChatParse  *parse);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxChatState, rx_chat_state_free)

G_END_DECLS
