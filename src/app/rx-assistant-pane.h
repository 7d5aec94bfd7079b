/* rx-assistant-pane.h: a conversation with the clinic's assistant: messages, quick replies,
 * medicine cards and, for a red flag, an emergency banner. At the home window's side and,
 * larger, alone at the kiosk. */
#pragma once

#include <adwaita.h>

#include "rx-assistant-session.h"
#include "rx-clinic.h"

G_BEGIN_DECLS

#define RX_TYPE_ASSISTANT_PANE (rx_assistant_pane_get_type ())
G_DECLARE_FINAL_TYPE (RxAssistantPane, rx_assistant_pane, RX, ASSISTANT_PANE, GtkWidget)

GtkWidget          *rx_assistant_pane_new             (void);
void                rx_assistant_pane_set_clinic      (RxAssistantPane    *self,
                                                       RxClinic           *clinic);
void                rx_assistant_pane_set_session     (RxAssistantPane    *self,
                                                       RxAssistantSession *session);
RxAssistantSession *rx_assistant_pane_get_session     (RxAssistantPane    *self);
void                rx_assistant_pane_ask             (RxAssistantPane    *self,
                                                       const char         *text);
void                rx_assistant_pane_start_over      (RxAssistantPane    *self);
gboolean            rx_assistant_pane_get_busy        (RxAssistantPane    *self);
gboolean            rx_assistant_pane_get_empty       (RxAssistantPane    *self);
const char         *rx_assistant_pane_get_last_reply  (RxAssistantPane    *self);
const char         *rx_assistant_pane_get_alert_id    (RxAssistantPane    *self);
guint               rx_assistant_pane_get_n_cards     (RxAssistantPane    *self);
gboolean            rx_assistant_pane_get_emergency   (RxAssistantPane    *self);
void                rx_assistant_pane_focus_entry     (RxAssistantPane    *self);

G_END_DECLS
