/* rx-chat-answer.h: replies from translatable templates. */
#pragma once

#include "rx-core.h"

G_BEGIN_DECLS

typedef struct _RxChatAnswer RxChatAnswer;

RxChatAnswer *rx_chat_answer_new          (const char     *atc_json,
                                           GError        **error);
void          rx_chat_answer_free         (RxChatAnswer   *self);
const char   *rx_chat_answer_atc_group    (RxChatAnswer   *self,
                                           const char     *atc);
char         *rx_chat_format_money        (gint64          minor);
gint64        rx_chat_cheapest_pack       (RxProduct      *product,
                                           RxPack        **pack);
char         *rx_chat_answer_drug_info    (RxChatAnswer   *self,
                                           GListModel     *products);
char         *rx_chat_answer_price        (RxChatAnswer   *self,
                                           GListModel     *products);
char         *rx_chat_answer_availability (RxChatAnswer   *self,
                                           GListModel     *products);
char         *rx_chat_answer_simple       (const char     *intent);
char         *rx_chat_answer_emergency    (const char     *title,
                                           const char * const *steps,
                                           const char     *number);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxChatAnswer, rx_chat_answer_free)

G_END_DECLS
