/* rx-chat-policy.h: the next step, from flows a clinic can edit (data/chat/flows.json). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _RxChatPolicy RxChatPolicy;

typedef struct
{
  const char *action;    /* what to do now, or NULL when a slot must be asked for */
  const char *missing;   /* the slot missing, or NULL */
  const char *question;  /* what to ask for it (untranslated), or NULL */
} RxChatStep;

RxChatPolicy *rx_chat_policy_new   (const char    *flows_json,
                                    GError       **error);
void          rx_chat_policy_free  (RxChatPolicy  *self);
gboolean      rx_chat_policy_next  (RxChatPolicy  *self,
                                    const char    *intent,
                                    JsonObject    *slots,
                                    gboolean       patient_known,
                                    RxChatStep    *step);

const char   *rx_chat_policy_get_setting (RxChatPolicy *self,
                                         const char   *intent,
                                         const char   *key,
                                         const char   *fallback);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxChatPolicy, rx_chat_policy_free)

G_END_DECLS
