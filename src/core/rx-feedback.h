/* rx-feedback.h: ratings and comments from patients, doctors and staff, and the clinic's
 * replies. Feedback moves new → acknowledged → replied. */
#pragma once

#include <gio/gio.h>

#include "rx-types.h"

G_BEGIN_DECLS

#define RX_TYPE_FEEDBACK (rx_feedback_get_type ())
G_DECLARE_FINAL_TYPE (RxFeedback, rx_feedback, RX, FEEDBACK, GObject)

const char  *rx_feedback_get_id           (RxFeedback *self);
int          rx_feedback_get_rating       (RxFeedback *self);
const char  *rx_feedback_get_about_kind   (RxFeedback *self);
const char  *rx_feedback_get_about_id     (RxFeedback *self);
const char  *rx_feedback_get_text         (RxFeedback *self);
const char  *rx_feedback_get_author_kind  (RxFeedback *self);
const char  *rx_feedback_get_author_id    (RxFeedback *self);
const char  *rx_feedback_get_state        (RxFeedback *self);
const char  *rx_feedback_get_reply        (RxFeedback *self);
const char  *rx_feedback_get_created_at   (RxFeedback *self);

char        *rx_feedback_add              (RxDb        *db,
                                           int          rating,
                                           const char  *about_kind,
                                           const char  *about_id,
                                           const char  *text,
                                           const char  *author_kind,
                                           const char  *author_id,
                                           GError     **error);
GListModel  *rx_feedback_list             (RxDb        *db,
                                           const char  *state,
                                           guint        limit,
                                           GError     **error);
gboolean     rx_feedback_set_state        (RxDb        *db,
                                           const char  *feedback_id,
                                           const char  *state,
                                           const char  *reply,
                                           GError     **error);

G_END_DECLS
