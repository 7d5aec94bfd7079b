/* rx-feedback.c: collecting feedback, listing it for the clinic to read, and replying. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-feedback.h"
#include "rx-records-private.h"
#include "rx-validate.h"

struct _RxFeedback
{
  GObject  parent_instance;

  char    *id;
  int      rating;
  char    *about_kind;
  char    *about_id;
  char    *text;
  char    *author_kind;
  char    *author_id;
  char    *state;
  char    *reply;
  char    *created_at;
};

G_DEFINE_FINAL_TYPE (RxFeedback, rx_feedback, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_RATING,
  PROP_ABOUT_KIND,
  PROP_ABOUT_ID,
  PROP_TEXT,
  PROP_AUTHOR_KIND,
  PROP_AUTHOR_ID,
  PROP_STATE,
  PROP_REPLY,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const about_kinds[] = { "visit", "prescription", "order", "app", NULL };
static const char * const author_kinds[] = { "doctor", "patient", "staff", NULL };
static const char * const states[] = { "new", "acknowledged", "replied", NULL };

/* new -> acknowledged -> replied; replying to new feedback acknowledges it on the way */
static const char * const moves[] = {
  "new", "acknowledged",
  "new", "replied",
  "acknowledged", "replied",
  NULL
};

static void
rx_feedback_finalize (GObject *object)
{
  RxFeedback *self = (RxFeedback *) object;

  g_free (self->id);
  g_free (self->about_kind);
  g_free (self->about_id);
  g_free (self->text);
  g_free (self->author_kind);
  g_free (self->author_id);
  g_free (self->state);
  g_free (self->reply);
  g_free (self->created_at);

  G_OBJECT_CLASS (rx_feedback_parent_class)->finalize (object);
}

static void
rx_feedback_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RxFeedback *self = RX_FEEDBACK (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_RATING:
      g_value_set_int (value, self->rating);
      break;

    case PROP_ABOUT_KIND:
      g_value_set_string (value, self->about_kind);
      break;

    case PROP_ABOUT_ID:
      g_value_set_string (value, self->about_id);
      break;

    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    case PROP_AUTHOR_KIND:
      g_value_set_string (value, self->author_kind);
      break;

    case PROP_AUTHOR_ID:
      g_value_set_string (value, self->author_id);
      break;

    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;

    case PROP_REPLY:
      g_value_set_string (value, self->reply);
      break;

    case PROP_CREATED_AT:
      g_value_set_string (value, self->created_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_feedback_class_init (RxFeedbackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rx_feedback_finalize;
  object_class->get_property = rx_feedback_get_property;

#define RO_STRING(prop, name) \
  properties[prop] = g_param_spec_string (name, NULL, NULL, NULL, \
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)
  RO_STRING (PROP_ID, "id");
  properties[PROP_RATING] = g_param_spec_int ("rating", NULL, NULL, 1, 5, 1,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  RO_STRING (PROP_ABOUT_KIND, "about-kind");
  RO_STRING (PROP_ABOUT_ID, "about-id");
  RO_STRING (PROP_TEXT, "text");
  RO_STRING (PROP_AUTHOR_KIND, "author-kind");
  RO_STRING (PROP_AUTHOR_ID, "author-id");
  RO_STRING (PROP_STATE, "state");
  RO_STRING (PROP_REPLY, "reply");
  RO_STRING (PROP_CREATED_AT, "created-at");
#undef RO_STRING

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_feedback_init (RxFeedback *self)
{
  self->rating = 1;
}

#define GETTER(type, field) \
  type \
  rx_feedback_get_##field (RxFeedback *self) \
  { \
    g_return_val_if_fail (RX_IS_FEEDBACK (self), 0); \
    return self->field; \
  }
GETTER (const char *, id)
GETTER (int, rating)
GETTER (const char *, about_kind)
GETTER (const char *, about_id)
GETTER (const char *, text)
GETTER (const char *, author_kind)
GETTER (const char *, author_id)
GETTER (const char *, state)
GETTER (const char *, reply)
GETTER (const char *, created_at)
#undef GETTER

/* What the feedback is about must exist, when it names a record. */
static gboolean
validate_about (RxDb        *db,
                const char  *about_kind,
                const char  *about_id,
                GError     **error)
{
  if (about_kind == NULL)
    {
      if (about_id == NULL)
        return TRUE;
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "The feedback names a record but not what kind it is; say whether it is "
                   "about a visit, a prescription, an order or the app");
      return FALSE;
    }

  if (!rx_validate_one_of (about_kind, "Feedback subject", about_kinds, error))
    return FALSE;
  if (about_id == NULL)
    return TRUE;

  if (g_str_equal (about_kind, "visit"))
    return _rx_records_require (db, "appointments", about_id, "visit", error);
  if (g_str_equal (about_kind, "prescription"))
    return _rx_records_require (db, "prescriptions", about_id, "prescription", error);
  if (g_str_equal (about_kind, "order"))
    return _rx_records_require (db, "medicine_orders", about_id, "medicine order", error);

  g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
               "Feedback about the app names no record; leave the record out");
  return FALSE;
}

/**
 * rx_feedback_add:
 * @rating: 1 (poor) to 5 (excellent)
 * @about_kind: (nullable): visit, prescription, order or app
 * @about_id: (nullable): the appointment, prescription or order it is about
 * @text: (nullable): the comment, up to 2000 characters
 * @author_kind: (nullable): doctor, patient or staff (the default)
 * @author_id: (nullable): the patient (for a patient) or user (otherwise) who wrote it
 *
 * Returns: (transfer full): the new feedback's id, or %NULL with @error set
 */
char *
rx_feedback_add (RxDb        *db,
                 int          rating,
                 const char  *about_kind,
                 const char  *about_id,
                 const char  *text,
                 const char  *author_kind,
                 const char  *author_id,
                 GError     **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autofree char *clean_text = NULL;
  g_autofree char *now = NULL;
  g_autofree char *id = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (author_kind == NULL)
    author_kind = "staff";

  if (rating < 1 || rating > 5)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "A rating is 1 to 5 stars, not %d", rating);
      return NULL;
    }

  if (!validate_about (db, about_kind, about_id, error) ||
      !rx_validate_text (text, "Feedback text", 2000, FALSE, error) ||
      !rx_validate_one_of (author_kind, "Feedback author", author_kinds, error) ||
      (author_id != NULL &&
       !_rx_records_require (db, g_str_equal (author_kind, "patient") ? "patients" : "users",
                             author_id, g_str_equal (author_kind, "patient") ? "patient" : "user",
                             error)))
    return NULL;

  clean_text = g_strstrip (g_strdup (text ? text : ""));
  now = rx_db_now_iso (db);

  if (!rx_db_begin (db, error))
    return NULL;

  row = _rx_row_new_insert ("feedback");
  _rx_row_set_int (row, "rating", rating);
  _rx_row_set_text (row, "about_kind", about_kind);
  _rx_row_set_text (row, "about_id", about_id);
  _rx_row_set_text (row, "text", clean_text);
  _rx_row_set_text (row, "author_kind", author_kind);
  _rx_row_set_text (row, "author_id", author_id);
  _rx_row_set_text (row, "state", "new");
  _rx_row_set_text (row, "created_at", now);

  detail = g_strdup_printf ("%d stars from %s", rating, author_kind);
  if (!_rx_db_put (db, row, error) ||
      !_rx_db_audit (db, "create", "feedback", _rx_row_get_id (row), detail, error) ||
      !rx_db_commit (db, error))
    {
      rx_db_rollback (db);
      return NULL;
    }

  id = g_strdup (_rx_row_get_id (row));
  return g_steal_pointer (&id);
}

/**
 * rx_feedback_list:
 * @state: (nullable): only feedback in this state (new, acknowledged, replied)
 * @limit: at most this many; 0 means 100
 *
 * Returns: (transfer full): a #GListModel of #RxFeedback, newest first
 */
GListModel *
rx_feedback_list (RxDb        *db,
                  const char  *state,
                  guint        limit,
                  GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_FEEDBACK);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (state != NULL && !rx_validate_one_of (state, "Feedback state", states, error))
    return NULL;
  if (limit == 0)
    limit = 100;

  stmt = _rx_db_prepare (db,
                         "SELECT id, rating, about_kind, about_id, text, author_kind, author_id, "
                         "state, reply, created_at FROM feedback "
                         "WHERE deleted = 0 AND (?1 IS NULL OR state = ?1) "
                         "ORDER BY created_at DESC, rowid DESC LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;

  _rx_stmt_bind_text (stmt, 1, state);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RxFeedback) f = g_object_new (RX_TYPE_FEEDBACK, NULL);

      f->id = _rx_stmt_dup_text (stmt, 0);
      f->rating = sqlite3_column_int (stmt, 1);
      f->about_kind = _rx_stmt_dup_text (stmt, 2);
      f->about_id = _rx_stmt_dup_text (stmt, 3);
      f->text = _rx_stmt_dup_text (stmt, 4);
      f->author_kind = _rx_stmt_dup_text (stmt, 5);
      f->author_id = _rx_stmt_dup_text (stmt, 6);
      f->state = _rx_stmt_dup_text (stmt, 7);
      f->reply = _rx_stmt_dup_text (stmt, 8);
      f->created_at = _rx_stmt_dup_text (stmt, 9);
      g_list_store_append (store, f);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Listing feedback", error);
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/**
 * rx_feedback_set_state:
 * @state: acknowledged or replied
 * @reply: (nullable): the clinic's answer; required for replied, refused otherwise
 *
 * Moves feedback new → acknowledged → replied (or straight from new to replied). Anything
 * else is %RX_CORE_ERROR_TRANSITION.
 */
gboolean
rx_feedback_set_state (RxDb        *db,
                       const char  *feedback_id,
                       const char  *state,
                       const char  *reply,
                       GError     **error)
{
  g_autoptr(RxRow) row = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *current = NULL;
  g_autofree char *clean_reply = NULL;
  g_autofree char *detail = NULL;
  gboolean replying;

  g_return_val_if_fail (RX_IS_DB (db), FALSE);

  if (!rx_validate_one_of (state, "Feedback state", states, error))
    return FALSE;

  replying = g_str_equal (state, "replied");
  clean_reply = _rx_records_dup_optional (reply);
  if (replying && !rx_validate_text (clean_reply, "The reply", 2000, TRUE, error))
    return FALSE;
  if (!replying && clean_reply != NULL)
    {
      g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID,
                   "A reply moves feedback to replied; set the state to replied to send it");
      return FALSE;
    }

  if (!rx_db_begin (db, error))
    return FALSE;

  current = _rx_records_query_text (db, "SELECT state FROM feedback WHERE id = ?1 AND deleted = 0",
                                    feedback_id, &local_error);
  if (current == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                     "There is no feedback with the id “%s”; pick it from the feedback list",
                     feedback_id ? feedback_id : "");
      goto fail;
    }

  if (!_rx_records_check_move (moves, "feedback", current, state, error))
    goto fail;

  row = _rx_row_new_update ("feedback", feedback_id);
  _rx_row_set_text (row, "state", state);
  if (replying)
    _rx_row_set_text (row, "reply", clean_reply);

  detail = g_strdup_printf ("%s -> %s", current, state);
  if (!_rx_db_put (db, row, error) ||
      !_rx_db_audit (db, "status", "feedback", feedback_id, detail, error) ||
      !rx_db_commit (db, error))
    goto fail;

  return TRUE;

fail:
  rx_db_rollback (db);
  return FALSE;
}
