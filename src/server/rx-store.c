/* rx-store.c: the store interface (see rx-store.h): its records, the calls that dispatch to
 * an implementation, and choosing the implementation a --store URL names. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rx-server-error.h"
#include "rx-server-resources.h"
#include "rx-store-pg.h"
#include "rx-store-private.h"
#include "rx-store-sqlite.h"
#include "rx-store.h"

G_DEFINE_INTERFACE (RxStore, rx_store, G_TYPE_OBJECT)

static void
rx_store_default_init (RxStoreInterface *iface)
{
}

void
rx_store_org_free (RxStoreOrg *org)
{
  if (org == NULL)
    return;
  g_free (org->id);
  g_free (org->name);
  g_free (org->clinic_org_id);
  g_free (org);
}

void
rx_store_code_free (RxStoreCode *code)
{
  if (code == NULL)
    return;
  g_free (code->org_id);
  g_free (code);
}

void
rx_store_workstation_free (RxStoreWorkstation *workstation)
{
  if (workstation == NULL)
    return;
  g_free (workstation->id);
  g_free (workstation->org_id);
  g_free (workstation->name);
  g_free (workstation->node_id);
  g_free (workstation->secret_hash);
  g_free (workstation);
}

void
rx_store_token_free (RxStoreToken *token)
{
  if (token == NULL)
    return;
  g_free (token->token_hash);
  g_free (token->org_id);
  g_free (token->workstation_id);
  g_free (token->user_id);
  g_free (token->role);
  g_free (token);
}

void
rx_store_entry_free (RxStoreEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->op_id);
  g_free (entry->entity);
  g_free (entry->row_id);
  g_free (entry->hlc);
  g_free (entry->author);
  g_free (entry->payload);
  g_free (entry);
}

void
rx_store_row_free (RxStoreRow *row)
{
  if (row == NULL)
    return;
  g_free (row->entity);
  g_free (row->row_id);
  g_free (row->lookup);
  g_free (row->hlc);
  g_free (row->data);
  g_free (row->clocks);
  g_free (row);
}

/* Migrations ------------------------------------------------------------------------------ */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

GPtrArray *
_rx_store_list_migrations (const char *resource_dir)
{
  g_auto(GStrv) names = NULL;
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  g_resources_register (rx_server_get_resource ());
  names = g_resources_enumerate_children (resource_dir, 0, NULL);
  g_assert (names != NULL);

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], ".sql"))
      g_ptr_array_add (files, g_strdup (names[i]));
  g_ptr_array_sort (files, compare_names);

  for (guint i = 0; i < files->len; i++)
    g_assert (atoi (g_ptr_array_index (files, i)) == (int) i + 1);

  return files;
}

char *
_rx_store_read_migration (const char *resource_dir,
                          const char *name)
{
  g_autofree char *path = g_strconcat (resource_dir, "/", name, NULL);
  g_autoptr(GBytes) sql = g_resources_lookup_data (path, 0, NULL);

  g_assert (sql != NULL);
  return g_strndup (g_bytes_get_data (sql, NULL), g_bytes_get_size (sql));
}

/* Choosing a store ------------------------------------------------------------------------ */

RxStore *
rx_store_open (const char  *url,
               const char  *default_sqlite_path,
               guint        pool_size,
               GError     **error)
{
  if (url == NULL || *url == '\0')
    return rx_store_sqlite_new (default_sqlite_path, error);

  if (g_str_has_prefix (url, "sqlite:"))
    {
      const char *path = url + strlen ("sqlite:");

      /* sqlite:///var/lib/x.db and sqlite:/var/lib/x.db both name /var/lib/x.db */
      if (g_str_has_prefix (path, "//"))
        path += 2;
      if (*path == '\0')
        {
          g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_INVALID,
                       "--store sqlite: needs a file name, as in sqlite:/var/lib/rxdesk/server.db");
          return NULL;
        }
      return rx_store_sqlite_new (path, error);
    }

  if (g_str_has_prefix (url, "postgresql:") || g_str_has_prefix (url, "postgres:"))
    {
#if HAVE_POSTGRESQL
      return rx_store_pg_new (url, pool_size, error);
#else
      g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_UNSUPPORTED,
                   "This rxdesk-server was built without PostgreSQL (meson -Dpostgresql=disabled); "
                   "leave out --store to use the embedded SQLite store, give sqlite:PATH, or "
                   "build it with -Dpostgresql=enabled");
      return NULL;
#endif
    }

  g_set_error (error, RX_SERVER_ERROR, RX_SERVER_ERROR_INVALID,
               "--store must be sqlite:PATH or a postgresql:// URL, not “%s”", url);
  return NULL;
}

/* Dispatch -------------------------------------------------------------------------------- */

const char *
rx_store_get_kind (RxStore *self)
{
  g_return_val_if_fail (RX_IS_STORE (self), NULL);

  return RX_STORE_GET_IFACE (self)->get_kind (self);
}

int
rx_store_get_schema_version (RxStore  *self,
                             GError  **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), -1);

  return RX_STORE_GET_IFACE (self)->get_schema_version (self, error);
}

int
rx_store_get_latest_version (RxStore *self)
{
  g_return_val_if_fail (RX_IS_STORE (self), -1);

  return RX_STORE_GET_IFACE (self)->get_latest_version (self);
}

void
rx_store_rollback (RxStore *self)
{
  g_return_if_fail (RX_IS_STORE (self));

  RX_STORE_GET_IFACE (self)->rollback (self);
}

gboolean
rx_store_migrate (RxStore *self,
                  GError **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->migrate (self, error);
}

gboolean
rx_store_ping (RxStore *self,
               GError **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->ping (self, error);
}

gboolean
rx_store_begin (RxStore *self,
                GError **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->begin (self, error);
}

gboolean
rx_store_commit (RxStore *self,
                 GError **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->commit (self, error);
}

gboolean
rx_store_org_add (RxStore          *self,
                  const RxStoreOrg *org,
                  GError          **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->org_add (self, org, error);
}

RxStoreOrg *
rx_store_org_get (RxStore    *self,
                  const char *id,
                  GError    **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), NULL);

  return RX_STORE_GET_IFACE (self)->org_get (self, id, error);
}

GPtrArray *
rx_store_org_list (RxStore *self,
                   GError **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), NULL);

  return RX_STORE_GET_IFACE (self)->org_list (self, error);
}

gboolean
rx_store_org_set_clinic (RxStore    *self,
                         const char *id,
                         const char *clinic_org_id,
                         GError    **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->org_set_clinic (self, id, clinic_org_id, error);
}

gboolean
rx_store_code_add (RxStore           *self,
                   const char        *code_hash,
                   const RxStoreCode *code,
                   GError           **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->code_add (self, code_hash, code, error);
}

RxStoreCode *
rx_store_code_get (RxStore    *self,
                   const char *code_hash,
                   GError    **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), NULL);

  return RX_STORE_GET_IFACE (self)->code_get (self, code_hash, error);
}

gboolean
rx_store_code_use (RxStore    *self,
                   const char *code_hash,
                   const char *workstation_id,
                   gint64      at,
                   GError    **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->code_use (self, code_hash, workstation_id, at, error);
}

gboolean
rx_store_workstation_add (RxStore                  *self,
                          const RxStoreWorkstation *workstation,
                          GError                  **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->workstation_add (self, workstation, error);
}

RxStoreWorkstation *
rx_store_workstation_get (RxStore    *self,
                          const char *id,
                          GError    **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), NULL);

  return RX_STORE_GET_IFACE (self)->workstation_get (self, id, error);
}

GPtrArray *
rx_store_workstation_list (RxStore    *self,
                           const char *org_id,
                           GError    **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), NULL);

  return RX_STORE_GET_IFACE (self)->workstation_list (self, org_id, error);
}

gboolean
rx_store_workstation_revoke (RxStore    *self,
                             const char *id,
                             gint64      at,
                             GError    **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->workstation_revoke (self, id, at, error);
}

gboolean
rx_store_workstation_seen (RxStore    *self,
                           const char *id,
                           gint64      at,
                           GError    **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->workstation_seen (self, id, at, error);
}

gboolean
rx_store_token_add (RxStore            *self,
                    const RxStoreToken *token,
                    GError            **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->token_add (self, token, error);
}

RxStoreToken *
rx_store_token_get (RxStore    *self,
                    const char *token_hash,
                    GError    **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), NULL);

  return RX_STORE_GET_IFACE (self)->token_get (self, token_hash, error);
}

gboolean
rx_store_token_revoke (RxStore    *self,
                       const char *token_hash,
                       gint64      at,
                       GError    **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->token_revoke (self, token_hash, at, error);
}

gboolean
rx_store_failure_add (RxStore    *self,
                      const char *key,
                      gint64      at,
                      GError    **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->failure_add (self, key, at, error);
}

gboolean
rx_store_failures_count (RxStore    *self,
                         const char *key,
                         gint64      since,
                         guint      *count,
                         gint64     *oldest,
                         GError    **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->failures_count (self, key, since, count, oldest, error);
}

gboolean
rx_store_failures_clear (RxStore    *self,
                         const char *key,
                         gint64      before,
                         GError    **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->failures_clear (self, key, before, error);
}

gint64
rx_store_entry_find (RxStore    *self,
                     const char *org_id,
                     const char *op_id,
                     GError    **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), -1);

  return RX_STORE_GET_IFACE (self)->entry_find (self, org_id, op_id, error);
}

gint64
rx_store_entry_append (RxStore            *self,
                       const char         *org_id,
                       const RxStoreEntry *entry,
                       GError            **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), -1);

  return RX_STORE_GET_IFACE (self)->entry_append (self, org_id, entry, error);
}

GPtrArray *
rx_store_entries_after (RxStore            *self,
                        const char         *org_id,
                        gint64              since,
                        const char * const *entities,
                        guint               limit,
                        GError            **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), NULL);

  return RX_STORE_GET_IFACE (self)->entries_after (self, org_id, since, entities, limit, error);
}

RxStoreRow *
rx_store_row_get (RxStore    *self,
                  const char *org_id,
                  const char *entity,
                  const char *row_id,
                  GError    **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), NULL);

  return RX_STORE_GET_IFACE (self)->row_get (self, org_id, entity, row_id, error);
}

GPtrArray *
rx_store_rows_find (RxStore    *self,
                    const char *org_id,
                    const char *entity,
                    const char *lookup,
                    GError    **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), NULL);

  return RX_STORE_GET_IFACE (self)->rows_find (self, org_id, entity, lookup, error);
}

gboolean
rx_store_row_put (RxStore          *self,
                  const char       *org_id,
                  const RxStoreRow *row,
                  GError          **error)
{
  g_return_val_if_fail (RX_IS_STORE (self), FALSE);

  return RX_STORE_GET_IFACE (self)->row_put (self, org_id, row, error);
}

/* Comparing stores ------------------------------------------------------------------------ */

/* A field and the NUL byte that ends it, which no field contains. */
static void
digest_field (GChecksum  *sum,
              const char *text)
{
  g_checksum_update (sum, (const guchar *) text, strlen (text) + 1);
}

static void
digest_number (GChecksum *sum,
               gint64     value)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  digest_field (sum, text);
}

char *
rx_store_log_digest (RxStore     *self,
                     const char  *org_id,
                     gint64      *count,
                     GError     **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gint64 since = 0;
  gint64 n = 0;

  g_return_val_if_fail (RX_IS_STORE (self), NULL);

  for (;;)
    {
      g_autoptr(GPtrArray) page = rx_store_entries_after (self, org_id, since, NULL, 1000,
                                                          error);

      if (page == NULL)
        return NULL;
      if (page->len == 0)
        break;
      for (guint i = 0; i < page->len; i++)
        {
          RxStoreEntry *e = g_ptr_array_index (page, i);

          digest_number (sum, e->seq);
          digest_field (sum, e->op_id);
          digest_field (sum, e->entity);
          digest_field (sum, e->row_id);
          digest_field (sum, e->hlc);
          digest_field (sum, e->author);
          digest_field (sum, e->payload);
          digest_number (sum, e->received_at);
          since = e->seq;
          n++;
        }
    }

  if (count != NULL)
    *count = n;
  return g_strdup (g_checksum_get_string (sum));
}
