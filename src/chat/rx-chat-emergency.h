/* rx-chat-emergency.h: red-flag detection, run first on every message, locally, always. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RxChatEmergency RxChatEmergency;

RxChatEmergency    *rx_chat_emergency_new        (const char       *red_flags_json,
                                                  GError          **error);
void                rx_chat_emergency_free       (RxChatEmergency  *self);
const char         *rx_chat_emergency_detect     (RxChatEmergency  *self,
                                                  const char       *text);
const char         *rx_chat_emergency_get_title  (RxChatEmergency  *self,
                                                  const char       *category);
const char * const *rx_chat_emergency_get_steps  (RxChatEmergency  *self,
                                                  const char       *category);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxChatEmergency, rx_chat_emergency_free)

G_END_DECLS
