/* test-server-sync.c: a whole demo clinic through the server. The demo's change log holds
 * entries in exactly the shape a workstation pushes, with prescriptions signed by its doctors'
 * certificates under its own CA: the server must take all of it, hand each role what it may
 * read, and refuse signatures that do not hold, drafts, and changes to what was signed. */
#include "config.h"

#include <string.h>

#include "rx-db-private.h"
#include "server-harness.h"

#define DEMO_PASSWORD "shared demo password"
#define LATE_HLC      "7fffffffffff.0000.00000000000000aa"

typedef struct
{
  char *op_id;
  char *entity;
  char *row_id;
  char *hlc;
  char *author;
  char *payload;
  char *rx;       /* the prescription of a prescription entity */
} Entry;

/* The demo clinic, made once for the whole program. */
static struct
{
  char       *dir;
  char       *clinic_org_id;
  GPtrArray  *entries;        /* Entry, in change-log order */
  GHashTable *user_ids;       /* username -> id */
  char       *admin_row;      /* ayusuf's users row */
} demo;

typedef struct
{
  Server  s;
  char   *org;
  char   *ws_id;
  char   *ws_secret;
  char   *admin_token;
} F;

static void
entry_free (Entry *e)
{
  g_free (e->op_id);
  g_free (e->entity);
  g_free (e->row_id);
  g_free (e->hlc);
  g_free (e->author);
  g_free (e->payload);
  g_free (e->rx);
  g_free (e);
}

static Entry *
entry_copy (const Entry *e)
{
  Entry *c = g_new0 (Entry, 1);

  c->op_id = g_strdup (e->op_id);
  c->entity = g_strdup (e->entity);
  c->row_id = g_strdup (e->row_id);
  c->hlc = g_strdup (e->hlc);
  c->author = g_strdup (e->author);
  c->payload = g_strdup (e->payload);
  c->rx = g_strdup (e->rx);

  return c;
}

/* The same entry under a new op id, so the server takes it as a new write. */
static Entry *
entry_renewed (const Entry *e)
{
  Entry *c = entry_copy (e);

  g_free (c->op_id);
  c->op_id = test_new_id ();
  return c;
}

static char *
entry_json (const Entry *e)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "op_id");
  json_builder_add_string_value (b, e->op_id);
  json_builder_set_member_name (b, "entity");
  json_builder_add_string_value (b, e->entity);
  json_builder_set_member_name (b, "row_id");
  json_builder_add_string_value (b, e->row_id);
  json_builder_set_member_name (b, "hlc");
  json_builder_add_string_value (b, e->hlc);
  json_builder_set_member_name (b, "author");
  json_builder_add_string_value (b, e->author);
  json_builder_set_member_name (b, "payload");
  json_builder_add_value (b, json_from_string (e->payload, NULL));
  json_builder_end_object (b);
  root = json_builder_get_root (b);

  return json_to_string (root, FALSE);
}

static char *
payload_string (const char *payload,
                const char *member)
{
  g_autoptr(JsonNode) node = json_from_string (payload, NULL);

  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (node),
                                                               member, NULL));
}

/* The demo ----------------------------------------------------------------------------------- */

static void
make_demo (void)
{
  g_autofree char *path = NULL;
  g_autoptr(RxDb) db = NULL;
  g_autoptr(GError) error = NULL;
  RxFormularyCounts fc;
  RxDemoCounts dc;
  sqlite3_stmt *stmt = NULL;

  demo.dir = rx_test_make_dir ();
  path = g_build_filename (demo.dir, "demo.db", NULL);
  db = rx_db_create_clinic (path, "Demo Clinic", &error);
  g_assert_no_error (error);
  rx_db_set_actor (db, "cli:test");
  rx_formulary_load_default (db, &fc, &error);
  g_assert_no_error (error);
  rx_demo_populate (db, DEMO_PASSWORD, &dc, &error);
  g_assert_no_error (error);

  demo.clinic_org_id = g_strdup (rx_db_get_org_id (db));
  demo.entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  demo.user_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_cmpint (sqlite3_prepare_v2 (_rx_db_get_handle (db),
                                       "SELECT op_id, entity, row_id, hlc, author, payload, "
                                       "  CASE WHEN entity = 'prescriptions' THEN row_id "
                                       "    WHEN entity IN ('prescription_items', "
                                       "      'prescription_signatures') "
                                       "    THEN json_extract (payload, '$.prescription_id') END "
                                       "FROM change_log ORDER BY seq", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Entry *e = g_new0 (Entry, 1);

      e->op_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      e->entity = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      e->row_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      e->hlc = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      e->author = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      e->payload = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      e->rx = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      g_ptr_array_add (demo.entries, e);

      if (g_str_equal (e->entity, "users"))
        {
          g_autofree char *username = payload_string (e->payload, "username");

          if (username != NULL)
            {
              g_hash_table_insert (demo.user_ids, g_strdup (username), g_strdup (e->row_id));
              if (g_str_equal (username, "ayusuf"))
                demo.admin_row = g_strdup (e->payload);
            }
        }
    }
  sqlite3_finalize (stmt);

  g_assert_cmpuint (demo.entries->len, >, 5000);
  g_assert_nonnull (demo.admin_row);
  g_assert_cmpuint (g_hash_table_size (demo.user_ids), ==, 8);
}

static void
free_demo (void)
{
  if (demo.dir == NULL)
    return;
  g_clear_pointer (&demo.entries, g_ptr_array_unref);
  g_clear_pointer (&demo.user_ids, g_hash_table_unref);
  g_free (demo.clinic_org_id);
  g_free (demo.admin_row);
  rx_test_remove_dir (demo.dir);
  g_free (demo.dir);
}

/* Talking to the server ------------------------------------------------------------------ */

static void
setup (F             *f,
       gconstpointer  data)
{
  g_autofree char *code = NULL;
  g_autofree char *body = NULL;
  g_autoptr(Reply) r = NULL;

  server_init (&f->s);
  server_start (&f->s);

  /* the clinic file with data enrols into an empty organisation as its administrator */
  f->org = server_org_create (&f->s, "Demo Clinic", &code);
  body = test_enrol_body (code, demo.clinic_org_id, TRUE, demo.admin_row, DEMO_PASSWORD);
  r = server_request (&f->s, "POST", "/v1/enrol", NULL, body);
  assert_reply (r, 201, NULL);
  f->ws_id = g_strdup (reply_string (r, "workstation_id"));
  f->ws_secret = g_strdup (reply_string (r, "workstation_secret"));
  f->admin_token = g_strdup (reply_string (r, "token"));
}

static void
teardown (F             *f,
          gconstpointer  data)
{
  g_free (f->org);
  g_free (f->ws_id);
  g_free (f->ws_secret);
  g_free (f->admin_token);
  server_clear (&f->s);
}

static Reply *
push_entries (F          *f,
              const char *token,
              GPtrArray  *entries)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *body = NULL;

  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (texts, entry_json (g_ptr_array_index (entries, i)));
  body = test_push_body (texts);

  return server_request (&f->s, "POST", "/v1/push", token, body);
}

static JsonObject *
result_of (Reply *r,
           guint  i)
{
  return json_array_get_object_element (json_object_get_array_member (reply_object (r),
                                                                        "results"), i);
}

static const char *
status_of (Reply *r,
           guint  i)
{
  return json_object_get_string_member (result_of (r, i), "status");
}

static const char *
code_of (Reply *r,
         guint  i)
{
  return json_object_get_string_member_with_default (result_of (r, i), "code", NULL);
}

static char *
login (F          *f,
       const char *username)
{
  g_autofree char *body = g_strdup_printf ("{\"workstation_id\":\"%s\",\"workstation_secret\":"
                                           "\"%s\",\"username\":\"%s\",\"password\":\"%s\"}",
                                           f->ws_id, f->ws_secret, username, DEMO_PASSWORD);
  g_autoptr(Reply) r = server_request (&f->s, "POST", "/v1/login", NULL, body);

  assert_reply (r, 200, NULL);
  return g_strdup (reply_string (r, "token"));
}

/* Batches of up to 1000 that never cut a prescription's entries from its signature: a
 * workstation keeps a prescription's entries in the push that carries its signature. */
static GPtrArray *
batches_of (GPtrArray *entries)
{
  GPtrArray *batches = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) open = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *batch = NULL;

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = g_ptr_array_index (entries, i);

      if (batch == NULL)
        {
          batch = g_ptr_array_new ();
          g_ptr_array_add (batches, batch);
        }
      g_ptr_array_add (batch, e);
      if (g_strcmp0 (e->entity, "prescription_signatures") == 0)
        g_hash_table_remove (open, e->rx);
      else if (e->rx != NULL)
        g_hash_table_add (open, e->rx);

      g_assert_cmpuint (batch->len, <=, 1000);
      if (batch->len >= 950 && g_hash_table_size (open) == 0)
        batch = NULL;
    }

  return batches;
}

/* Pushes the whole demo as its administrator; asserts every entry is accepted, numbered
 * without gaps (a prescription's entries are stored when its signature has been verified,
 * so they may be numbered after entries that followed them in the push). */
static GHashTable *
upload_demo (F *f)
{
  GHashTable *seqs = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) batches = batches_of (demo.entries);
  gint64 head = 0;

  for (guint b = 0; b < batches->len; b++)
    {
      GPtrArray *batch = g_ptr_array_index (batches, b);
      g_autoptr(Reply) r = push_entries (f, f->admin_token, batch);
      g_autofree gboolean *taken = g_new0 (gboolean, batch->len);

      assert_reply (r, 200, NULL);
      for (guint i = 0; i < batch->len; i++)
        {
          gint64 seq;

          if (g_strcmp0 (status_of (r, i), "accepted") != 0)
            g_error ("%s %s: %s", ((Entry *) g_ptr_array_index (batch, i))->entity,
                     status_of (r, i),
                     json_object_get_string_member_with_default (result_of (r, i), "reason",
                                                                 ""));
          seq = json_object_get_int_member (result_of (r, i), "seq");
          g_assert_cmpint (seq, >, head);
          g_assert_cmpint (seq, <=, head + batch->len);
          g_assert_false (taken[seq - head - 1]);
          taken[seq - head - 1] = TRUE;
          g_hash_table_insert (seqs, ((Entry *) g_ptr_array_index (batch, i))->op_id,
                               GINT_TO_POINTER ((int) seq));
        }
      head += batch->len;
      g_assert_cmpint (json_object_get_int_member (reply_object (r), "head"), ==, head);
    }

  return seqs;
}

typedef struct
{
  guint       count;
  GHashTable *entities;   /* entity -> count */
  gint64      last_seq;
  guint       pages;
} Pulled;

static void
pull_all (F          *f,
          const char *token,
          guint       limit,
          Pulled     *out)
{
  gint64 since = 0;
  gboolean more = TRUE;

  memset (out, 0, sizeof *out);
  out->entities = g_hash_table_new (g_str_hash, g_str_equal);

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/v1/pull?since=%" G_GINT64_FORMAT "&limit=%u",
                                               since, limit);
      g_autoptr(Reply) r = server_request (&f->s, "GET", path, token, NULL);
      JsonArray *list;

      assert_reply (r, 200, NULL);
      list = json_object_get_array_member (reply_object (r), "entries");
      g_assert_cmpuint (json_array_get_length (list), <=, limit);
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *e = json_array_get_object_element (list, i);
          const char *entity = json_object_get_string_member (e, "entity");
          gint64 seq = json_object_get_int_member (e, "seq");

          g_assert_cmpint (seq, >, out->last_seq);
          out->last_seq = seq;
          out->count++;
          g_hash_table_insert (out->entities, (gpointer) g_intern_string (entity),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (
                                 g_hash_table_lookup (out->entities, entity)) + 1));
          if (g_str_equal (entity, "certificates"))
            g_assert_false (json_object_has_member (json_object_get_object_member (e, "payload"),
                                                    "private_key"));
        }
      g_assert_cmpint (json_object_get_int_member (reply_object (r), "next"), >=, since);
      since = json_object_get_int_member (reply_object (r), "next");
      more = json_object_get_boolean_member (reply_object (r), "more");
      out->pages++;
      g_assert_cmpuint (out->pages, <, 1000);
    }
}

static guint
entity_count (Pulled     *p,
              const char *entity)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (p->entities, g_intern_string (entity)));
}

/* Tests ---------------------------------------------------------------------------------- */

static void
test_upload (F             *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) batches = batches_of (demo.entries);
  GPtrArray *first = g_ptr_array_index (batches, 0);
  g_autoptr(Reply) again = NULL;
  g_autoptr(GHashTable) seqs = NULL;
  Pulled all;

  seqs = upload_demo (f);

  /* a batch sent again (its answer lost) changes nothing and gets the same numbers */
  again = push_entries (f, f->admin_token, first);
  assert_reply (again, 200, NULL);
  for (guint i = 0; i < first->len; i++)
    {
      g_assert_cmpstr (status_of (again, i), ==, "duplicate");
      g_assert_cmpint (json_object_get_int_member (result_of (again, i), "seq"), ==,
                       GPOINTER_TO_INT (g_hash_table_lookup (seqs, ((Entry *) g_ptr_array_index (
                                                                       first, i))->op_id)));
    }
  g_assert_cmpint (json_object_get_int_member (reply_object (again), "head"), ==,
                   demo.entries->len);

  /* the administrator reads everything back, private keys left behind */
  pull_all (f, f->admin_token, 1000, &all);
  g_assert_cmpuint (all.count, ==, demo.entries->len);
  g_assert_cmpint (all.last_seq, ==, demo.entries->len);
  g_assert_cmpuint (entity_count (&all, "prescription_signatures"), >, 0);
  g_assert_cmpuint (entity_count (&all, "audit_events"), >, 0);
  g_hash_table_unref (all.entities);
}

static void
test_roles (F             *f,
            gconstpointer  data)
{
  g_autofree char *doctor = NULL;
  g_autofree char *reception = NULL;
  g_autofree char *pharmacist = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autoptr(Reply) r = NULL;
  Pulled seen;
  guint readable = 0;

  g_hash_table_unref (upload_demo (f));
  doctor = login (f, "lchen");
  reception = login (f, "tnguyen");
  pharmacist = login (f, "rpatel");

  /* a doctor reads prescriptions but not the audit trail */
  pull_all (f, doctor, 700, &seen);
  g_assert_cmpuint (entity_count (&seen, "prescriptions"), >, 0);
  g_assert_cmpuint (entity_count (&seen, "audit_events"), ==, 0);
  g_hash_table_unref (seen.entities);

  /* a receptionist gets no prescription at all, in small pages that still reach the end */
  pull_all (f, reception, 500, &seen);
  for (const char * const *e = (const char * const[]) { "prescriptions", "prescription_items",
                                                        "prescription_signatures",
                                                        "prescription_events", "dispensings",
                                                        "audit_events", NULL }; *e; e++)
    g_assert_cmpuint (entity_count (&seen, *e), ==, 0);
  g_assert_cmpuint (entity_count (&seen, "patients"), >, 0);
  for (guint i = 0; i < demo.entries->len; i++)
    if (rx_sync_role_may_read (RX_ROLE_RECEPTIONIST,
                               ((Entry *) g_ptr_array_index (demo.entries, i))->entity))
      readable++;
  g_assert_cmpuint (seen.count, ==, readable);
  g_hash_table_unref (seen.entities);

  /* a pharmacist may not write a prescription, not even as its author */
  for (guint i = 0; i < demo.entries->len && entries->len == 0; i++)
    {
      Entry *e = g_ptr_array_index (demo.entries, i);

      if (g_str_equal (e->entity, "prescriptions"))
        {
          Entry *mine = entry_renewed (e);

          g_free (mine->author);
          mine->author = g_strdup (g_hash_table_lookup (demo.user_ids, "rpatel"));
          g_ptr_array_add (entries, mine);
        }
    }
  r = push_entries (f, pharmacist, entries);
  assert_reply (r, 403, "pharmacist may not change prescriptions");
}

/* One signed prescription's entries (the row, its items, its signature), in log order. */
static GPtrArray *
prescription_group (guint nth)
{
  GPtrArray *group = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  const char *rx = NULL;
  guint seen = 0;

  for (guint i = 0; i < demo.entries->len && rx == NULL; i++)
    {
      Entry *e = g_ptr_array_index (demo.entries, i);

      if (g_str_equal (e->entity, "prescription_signatures") && seen++ == nth)
        rx = e->rx;
    }
  g_assert_nonnull (rx);

  for (guint i = 0; i < demo.entries->len; i++)
    {
      Entry *e = g_ptr_array_index (demo.entries, i);

      if (g_strcmp0 (e->rx, rx) == 0)
        g_ptr_array_add (group, entry_copy (e));
    }
  g_assert_cmpuint (group->len, >=, 3);
  g_assert_cmpstr (((Entry *) g_ptr_array_index (group, group->len - 1))->entity, ==,
                   "prescription_signatures");

  return group;
}

static GPtrArray *
renewed (GPtrArray *group)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);

  for (guint i = 0; i < group->len; i++)
    g_ptr_array_add (copy, entry_renewed (g_ptr_array_index (group, i)));

  return copy;
}

static Entry *
last (GPtrArray *group)
{
  return g_ptr_array_index (group, group->len - 1);
}

/* Replaces the first `from` in the entry's payload with `to`. */
static void
edit_payload (Entry      *e,
              const char *from,
              const char *to)
{
  const char *at = strstr (e->payload, from);
  char *edited;

  g_assert_nonnull (at);
  edited = g_strdup_printf ("%.*s%s%s", (int) (at - e->payload), e->payload, to,
                            at + strlen (from));
  g_free (e->payload);
  e->payload = edited;
}

static void
assert_all_rejected (Reply      *r,
                     guint       n,
                     const char *signature_code)
{
  assert_reply (r, 200, NULL);
  for (guint i = 0; i + 1 < n; i++)
    {
      g_assert_cmpstr (status_of (r, i), ==, "rejected");
      g_assert_cmpstr (code_of (r, i), ==, "unsigned");
    }
  g_assert_cmpstr (status_of (r, n - 1), ==, "rejected");
  g_assert_cmpstr (code_of (r, n - 1), ==, signature_code);
}

static void
test_signatures (F             *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) base = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autoptr(GPtrArray) group = prescription_group (0);
  g_autoptr(GPtrArray) other = prescription_group (1);
  g_autoptr(GPtrArray) attempt = NULL;
  g_autoptr(GPtrArray) later = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autoptr(Reply) r = NULL;
  g_autofree char *draft_payload = NULL;
  g_autofree char *draft_id = test_new_id ();
  Entry *e;

  /* the people and certificates of the clinic, nothing else */
  for (guint i = 0; i < demo.entries->len; i++)
    {
      e = g_ptr_array_index (demo.entries, i);
      if (g_str_equal (e->entity, "users") || g_str_equal (e->entity, "certificates") ||
          g_str_equal (e->entity, "organisations") || g_str_equal (e->entity, "sites"))
        g_ptr_array_add (base, entry_copy (e));
    }
  r = push_entries (f, f->admin_token, base);
  assert_reply (r, 200, NULL);
  g_clear_pointer (&r, reply_free);

  /* signed content altered after signing */
  attempt = renewed (group);
  edit_payload (last (attempt), "{\\\"version\\\":1", "{\\\"version\\\":2");
  r = push_entries (f, f->admin_token, attempt);
  assert_all_rejected (r, attempt->len, "bad_signature");
  g_assert_nonnull (strstr (json_object_get_string_member (result_of (r, attempt->len - 1),
                                                           "reason"), "altered"));
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&attempt, g_ptr_array_unref);

  /* the signature itself altered */
  attempt = renewed (group);
  edit_payload (last (attempt), "\"signature\":\"M", "\"signature\":\"N");
  r = push_entries (f, f->admin_token, attempt);
  assert_all_rejected (r, attempt->len, "bad_signature");
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&attempt, g_ptr_array_unref);

  /* a good signature claimed for another prescription */
  attempt = renewed (group);
  edit_payload (last (attempt), last (group)->rx, last (other)->rx);
  g_free (last (attempt)->rx);
  last (attempt)->rx = g_strdup (last (other)->rx);
  r = push_entries (f, f->admin_token, attempt);
  assert_reply (r, 200, NULL);
  g_assert_cmpstr (code_of (r, attempt->len - 1), ==, "bad_signature");
  g_assert_nonnull (strstr (json_object_get_string_member (result_of (r, attempt->len - 1),
                                                           "reason"), "not"));
  g_clear_pointer (&r, reply_free);

  /* the real thing, in the order it was written: all accepted */
  r = push_entries (f, f->admin_token, group);
  assert_reply (r, 200, NULL);
  for (guint i = 0; i < group->len; i++)
    g_assert_cmpstr (status_of (r, i), ==, "accepted");
  g_clear_pointer (&r, reply_free);

  /* signature first, then what led to it, is as good */
  attempt = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_ptr_array_add (attempt, entry_copy (last (other)));
  for (guint i = 0; i + 1 < other->len; i++)
    g_ptr_array_add (attempt, entry_copy (g_ptr_array_index (other, i)));
  r = push_entries (f, f->admin_token, attempt);
  assert_reply (r, 200, NULL);
  for (guint i = 0; i < attempt->len; i++)
    g_assert_cmpstr (status_of (r, i), ==, "accepted");
  g_clear_pointer (&r, reply_free);

  /* a draft never leaves the workstation */
  draft_payload = g_strdup_printf ("{\"id\":\"%s\",\"patient_id\":\"%s\",\"prescriber_id\":\"%s\","
                                   "\"status\":\"draft\",\"created_at\":"
                                   "\"2026-01-01T00:00:00.000Z\"}", draft_id, draft_id,
                                   (char *) g_hash_table_lookup (demo.user_ids, "lchen"));
  e = entry_renewed (g_ptr_array_index (group, 0));
  g_free (e->row_id);
  g_free (e->payload);
  e->row_id = g_strdup (draft_id);
  e->payload = g_steal_pointer (&draft_payload);
  g_ptr_array_add (later, e);

  /* once signed: items frozen, the row frozen but for its status, no second signature */
  for (guint i = 0; i < group->len; i++)
    {
      Entry *g = g_ptr_array_index (group, i);

      if (g_str_equal (g->entity, "prescription_items"))
        {
          e = entry_renewed (g);
          g_free (e->hlc);
          e->hlc = g_strdup (LATE_HLC);
          g_free (e->payload);
          e->payload = g_strdup_printf ("{\"id\":\"%s\",\"quantity\":99}", e->row_id);
          g_ptr_array_add (later, e);
          break;
        }
    }
  e = entry_renewed (g_ptr_array_index (group, 0));
  g_free (e->hlc);
  e->hlc = g_strdup (LATE_HLC);
  g_free (e->payload);
  e->payload = g_strdup_printf ("{\"id\":\"%s\",\"notes\":\"changed my mind\"}", e->row_id);
  g_ptr_array_add (later, e);
  e = entry_renewed (g_ptr_array_index (group, 0));
  g_free (e->hlc);
  e->hlc = g_strdup (LATE_HLC);
  g_free (e->payload);
  e->payload = g_strdup_printf ("{\"id\":\"%s\",\"status\":\"cancelled\"}", e->row_id);
  g_ptr_array_add (later, e);
  g_ptr_array_add (later, entry_renewed (last (group)));

  r = push_entries (f, f->admin_token, later);
  assert_reply (r, 200, NULL);
  g_assert_cmpstr (code_of (r, 0), ==, "unsigned");
  g_assert_cmpstr (code_of (r, 1), ==, "frozen");
  g_assert_cmpstr (code_of (r, 2), ==, "frozen");
  g_assert_cmpstr (status_of (r, 3), ==, "accepted");
  g_assert_cmpstr (code_of (r, 4), ==, "frozen");
}

static void
add_tests (void)
{
  /* once for the program, with the private keyring server_test_main() set up */
  make_demo ();

  g_test_add ("/server/sync/upload", F, NULL, setup, test_upload, teardown);
  g_test_add ("/server/sync/roles", F, NULL, setup, test_roles, teardown);
  g_test_add ("/server/sync/signatures", F, NULL, setup, test_signatures, teardown);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  status = server_test_main (argc, argv, add_tests);
  free_demo ();

  return status;
}
