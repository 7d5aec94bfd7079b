/* rx-signing-canonical.c: a prescription's canonical bytes, the exact text that is signed
 * (format in rx-signing.h), and naming the first difference between two of them. The writer
 * is hand-made rather than a JSON library's so that the bytes cannot change with a library
 * version: every workstation must produce the same bytes from the same rows for years. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include <json-glib/json-glib.h>

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-signing-private.h"

/* Writing --------------------------------------------------------------------------------- */

static void
put_string (GString    *out,
            const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p; p++)
    switch (*p)
      {
      case '"':  g_string_append (out, "\\\""); break;
      case '\\': g_string_append (out, "\\\\"); break;
      case '\b': g_string_append (out, "\\b"); break;
      case '\f': g_string_append (out, "\\f"); break;
      case '\n': g_string_append (out, "\\n"); break;
      case '\r': g_string_append (out, "\\r"); break;
      case '\t': g_string_append (out, "\\t"); break;
      default:
        if (*p < 0x20 || *p == 0x7f)
          g_string_append_printf (out, "\\u%04x", *p);
        else
          g_string_append_c (out, *p);
      }
  g_string_append_c (out, '"');
}

static void
put_key (GString    *out,
         const char *key)
{
  if (out->len > 0 && out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  g_string_append (out, key);
  g_string_append (out, "\":");
}

static void
put_text_column (GString      *out,
                 const char   *key,
                 sqlite3_stmt *stmt,
                 int           column)
{
  put_key (out, key);
  put_string (out, (const char *) sqlite3_column_text (stmt, column));
}

/* An integer column. A value that is not stored as an integer (an edit made behind core's
 * back can store '21x' where 21 was) is written as a string, so that it never reads as the
 * number it resembles. */
static void
put_int_column (GString      *out,
                const char   *key,
                sqlite3_stmt *stmt,
                int           column)
{
  put_key (out, key);
  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_NULL:
      g_string_append (out, "null");
      break;

    case SQLITE_INTEGER:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, column));
      break;

    default:
      put_string (out, (const char *) sqlite3_column_text (stmt, column));
    }
}

char *
_rx_signing_canonical (RxDb        *db,
                       const char  *prescription_id,
                       const char  *certificate_serial,
                       GError     **error)
{
  g_autoptr(GString) out = g_string_sized_new (1024);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rx_db_prepare (db,
                         "SELECT r.id, r.org_id, r.patient_id, p.record_number, p.family_name, "
                         "  p.given_names, p.birth_date, r.prescriber_id, u.username, "
                         "  u.full_name, r.created_at, r.signed_at, r.notes "
                         "FROM prescriptions r LEFT JOIN patients p ON p.id = r.patient_id "
                         "LEFT JOIN users u ON u.id = r.prescriber_id "
                         "WHERE r.id = ?1 AND r.deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, prescription_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_string_append_c (out, '{');
      put_key (out, "version");
      g_string_append_printf (out, "%d", RX_SIGNING_VERSION);
      put_text_column (out, "prescription", stmt, 0);
      put_text_column (out, "org", stmt, 1);
      put_key (out, "patient");
      g_string_append_c (out, '{');
      put_text_column (out, "id", stmt, 2);
      put_text_column (out, "record_number", stmt, 3);
      put_text_column (out, "family_name", stmt, 4);
      put_text_column (out, "given_names", stmt, 5);
      put_text_column (out, "birth_date", stmt, 6);
      g_string_append (out, "}");
      put_key (out, "prescriber");
      g_string_append_c (out, '{');
      put_text_column (out, "user_id", stmt, 7);
      put_text_column (out, "username", stmt, 8);
      put_text_column (out, "full_name", stmt, 9);
      put_key (out, "certificate_serial");
      put_string (out, certificate_serial);
      g_string_append (out, "}");
      put_text_column (out, "created_at", stmt, 10);
      put_text_column (out, "signed_at", stmt, 11);
      put_text_column (out, "notes", stmt, 12);
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND,
                 "There is no prescription “%s”; “rx list” shows them", prescription_id);
  else if (rc != SQLITE_ROW)
    _rx_db_sqlite_error (db, rc, "Reading the prescription", error);
  if (rc != SQLITE_ROW)
    return NULL;

  stmt = _rx_db_prepare (db,
                         "SELECT i.product_id, pr.code, d.inn, pr.strength, pr.form, i.dose, "
                         "  i.frequency, i.route, i.duration_days, i.quantity, i.repeats, "
                         "  i.instructions "
                         "FROM prescription_items i LEFT JOIN products pr ON pr.id = i.product_id "
                         "LEFT JOIN drugs d ON d.id = pr.drug_id "
                         "WHERE i.prescription_id = ?1 AND i.deleted = 0 ORDER BY i.position",
                         error);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, prescription_id);
  put_key (out, "items");
  g_string_append_c (out, '[');
  for (guint n = 0; (rc = sqlite3_step (stmt)) == SQLITE_ROW; n++)
    {
      if (n > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      put_text_column (out, "product_id", stmt, 0);
      put_text_column (out, "product_code", stmt, 1);
      put_text_column (out, "inn", stmt, 2);
      put_text_column (out, "strength", stmt, 3);
      put_text_column (out, "form", stmt, 4);
      put_text_column (out, "dose", stmt, 5);
      put_text_column (out, "frequency", stmt, 6);
      put_text_column (out, "route", stmt, 7);
      put_int_column (out, "duration_days", stmt, 8);
      put_int_column (out, "quantity", stmt, 9);
      put_int_column (out, "repeats", stmt, 10);
      put_text_column (out, "instructions", stmt, 11);
      g_string_append_c (out, '}');
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rx_db_sqlite_error (db, rc, "Reading the prescription's items", error);
      return NULL;
    }
  g_string_append (out, "]}");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Naming a change ------------------------------------------------------------------------- */

static char *
label_for (const char *path,
           const char *key)
{
  g_autofree char *words = g_strdup (key);

  g_strdelimit (words, "_", ' ');
  return path ? g_strdup_printf ("%s %s", path, words) : g_steal_pointer (&words);
}

static char *
show_value (JsonNode *node)
{
  return node ? json_to_string (node, FALSE) : g_strdup ("nothing");
}

static char *
describe (JsonNode   *was,
          JsonNode   *now,
          const char *path)
{
  if (was && now && JSON_NODE_HOLDS_OBJECT (was) && JSON_NODE_HOLDS_OBJECT (now))
    {
      JsonObject *a = json_node_get_object (was);
      JsonObject *b = json_node_get_object (now);
      g_autoptr(GList) keys = json_object_get_members (a);

      for (GList *l = keys; l; l = l->next)
        {
          g_autofree char *label = label_for (path, l->data);
          char *found = describe (json_object_get_member (a, l->data),
                                  json_object_get_member (b, l->data), label);

          if (found)
            return found;
        }
      return NULL;
    }

  if (was && now && JSON_NODE_HOLDS_ARRAY (was) && JSON_NODE_HOLDS_ARRAY (now))
    {
      JsonArray *a = json_node_get_array (was);
      JsonArray *b = json_node_get_array (now);
      guint n = MIN (json_array_get_length (a), json_array_get_length (b));

      if (json_array_get_length (a) != json_array_get_length (b))
        return g_strdup_printf ("the number of %s: signed %u, now %u", path,
                                json_array_get_length (a), json_array_get_length (b));
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *label = g_strdup_printf ("item %u", i + 1);
          char *found = describe (json_array_get_element (a, i), json_array_get_element (b, i),
                                  label);

          if (found)
            return found;
        }
      return NULL;
    }

  {
    g_autofree char *x = show_value (was);
    g_autofree char *y = show_value (now);

    if (g_strcmp0 (x, y) == 0)
      return NULL;
    return g_strdup_printf ("%s: signed %s, now %s", path ? path : "the content", x, y);
  }
}

char *
_rx_signing_describe_change (const char *signed_bytes,
                             const char *current)
{
  g_autoptr(JsonParser) was = json_parser_new ();
  g_autoptr(JsonParser) now = json_parser_new ();
  char *found = NULL;

  if (json_parser_load_from_data (was, signed_bytes, -1, NULL) &&
      json_parser_load_from_data (now, current, -1, NULL))
    found = describe (json_parser_get_root (was), json_parser_get_root (now), NULL);

  /* the documents differ in bytes but not in values (a key order or an escape changed) */
  return found ? found : g_strdup ("its stored form no longer matches the signed bytes");
}
