/* rx-assistant-session.h: one conversation with the clinic's assistant, run off the main
 * loop on a database connection of its own. The pane and the kiosk are its faces. */
#pragma once

#include <gio/gio.h>

#include "rx-core.h"

G_BEGIN_DECLS

#define RX_TYPE_ASSISTANT_SESSION (rx_assistant_session_get_type ())
G_DECLARE_FINAL_TYPE (RxAssistantSession, rx_assistant_session, RX, ASSISTANT_SESSION, GObject)

/* What one message brought back: the words, what the screen should add to them. */
typedef struct
{
  char       *text;
  char       *intent;
  gboolean    emergency;
  char       *emergency_number;  /* the number to call, when @emergency */
  char       *alert_id;          /* the alert raised for the clinicians, if any */
  GListModel *products;          /* RxProduct the answer is about, or NULL */
  GStrv       suggestions;       /* quick replies, possibly empty */
  gboolean    external;          /* @text came from the outside AI service */
} RxAssistantReply;

void                rx_assistant_reply_free         (RxAssistantReply    *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RxAssistantReply, rx_assistant_reply_free)

RxAssistantSession *rx_assistant_session_new        (const char          *clinic_path,
                                                     RxUser              *user);
RxAssistantSession *rx_assistant_session_new_kiosk  (const char          *clinic_path);
gboolean            rx_assistant_session_is_kiosk   (RxAssistantSession  *self);
GStrv               rx_assistant_session_starters   (RxAssistantSession  *self);
void                rx_assistant_session_reset      (RxAssistantSession  *self);
void                rx_assistant_session_set_service (RxAssistantSession *self,
                                                     const char          *url,
                                                     const char          *model);
void                rx_assistant_session_ask_async  (RxAssistantSession  *self,
                                                     const char          *text,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
RxAssistantReply   *rx_assistant_session_ask_finish (RxAssistantSession  *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void                rx_assistant_session_rate_async (RxAssistantSession  *self,
                                                     int                  rating,
                                                     const char          *comment,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean            rx_assistant_session_rate_finish (RxAssistantSession *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
