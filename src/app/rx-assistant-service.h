/* rx-assistant-service.h: an optional outside AI service (the OpenAI-compatible chat
 * completions protocol) for the questions the assistant's own engine does not understand,
 * answered only from facts the clinic gives it. Never asked about emergencies. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean  rx_assistant_service_check_url (const char    *url,
                                          GError       **error);
char     *rx_assistant_service_ask       (const char    *url,
                                          const char    *model,
                                          const char    *api_key,
                                          const char    *facts,
                                          const char    *question,
                                          GCancellable  *cancellable,
                                          GError       **error);

G_END_DECLS
