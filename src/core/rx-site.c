/* rx-site.c: the organisation and its sites. The organisation row is made with the clinic
 * file; sites are added as a clinic opens a pharmacy or a branch. */
#define G_LOG_DOMAIN "rx-core"

#include "config.h"

#include "rx-core-error.h"
#include "rx-db-private.h"
#include "rx-site.h"
#include "rx-validate.h"

struct _RxSite
{
  GObject  parent_instance;

  char    *id;
  char    *name;
  char    *kind;
  char    *address;
};

G_DEFINE_FINAL_TYPE (RxSite, rx_site, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rx_site_finalize (GObject *object)
{
  RxSite *self = (RxSite *) object;

  g_free (self->id);
  g_free (self->name);
  g_free (self->kind);
  g_free (self->address);

  G_OBJECT_CLASS (rx_site_parent_class)->finalize (object);
}

static void
rx_site_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  RxSite *self = RX_SITE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_site_class_init (RxSiteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rx_site_finalize;
  object_class->get_property = rx_site_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_site_init (RxSite *self)
{
}

const char *
rx_site_get_id (RxSite *self)
{
  g_return_val_if_fail (RX_IS_SITE (self), NULL);
  return self->id;
}

const char *
rx_site_get_name (RxSite *self)
{
  g_return_val_if_fail (RX_IS_SITE (self), NULL);
  return self->name;
}

const char *
rx_site_get_kind (RxSite *self)
{
  g_return_val_if_fail (RX_IS_SITE (self), NULL);
  return self->kind;
}

const char *
rx_site_get_address (RxSite *self)
{
  g_return_val_if_fail (RX_IS_SITE (self), NULL);
  return self->address;
}

char *
rx_org_dup_name (RxDb *db)
{
  sqlite3_stmt *stmt;
  char *name = NULL;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  stmt = _rx_db_prepare (db, "SELECT name FROM organisations WHERE id = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  _rx_stmt_bind_text (stmt, 1, rx_db_get_org_id (db));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    name = _rx_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  return name;
}

RxSite *
rx_sites_add (RxDb        *db,
              const char  *name,
              const char  *kind,
              const char  *address,
              GError     **error)
{
  static const char * const kinds[] = { "clinic", "pharmacy", "clinic+pharmacy", NULL };
  g_autoptr(RxRow) row = NULL;
  g_autofree char *clean = NULL;
  RxSite *site;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  if (!_rx_db_require (db, RX_ACTION_USER_ADMIN, error))
    return NULL;

  if (!rx_validate_text (name, "The site name", 200, TRUE, error) ||
      !rx_validate_one_of (kind, "The kind of site", kinds, error) ||
      !rx_validate_text (address, "The address", 300, FALSE, error))
    return NULL;

  clean = g_strstrip (g_strdup (name));
  row = _rx_row_new_insert ("sites");
  _rx_row_set_text (row, "name", clean);
  _rx_row_set_text (row, "kind", kind);
  _rx_row_set_text (row, "address", address);

  if (!_rx_db_put_audited (db, row, "create", clean, error))
    return NULL;

  site = g_object_new (RX_TYPE_SITE, NULL);
  site->id = g_strdup (_rx_row_get_id (row));
  site->name = g_steal_pointer (&clean);
  site->kind = g_strdup (kind);
  site->address = g_strdup (address);

  return site;
}

GListModel *
rx_sites_list (RxDb    *db,
               GError **error)
{
  g_autoptr(GListStore) store = g_list_store_new (RX_TYPE_SITE);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RX_IS_DB (db), NULL);

  stmt = _rx_db_prepare (db, "SELECT id, name, kind, address FROM sites WHERE deleted = 0 "
                             "ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(RxSite) site = g_object_new (RX_TYPE_SITE, NULL);

      site->id = _rx_stmt_dup_text (stmt, 0);
      site->name = _rx_stmt_dup_text (stmt, 1);
      site->kind = _rx_stmt_dup_text (stmt, 2);
      site->address = _rx_stmt_dup_text (stmt, 3);
      g_list_store_append (store, site);
    }
  sqlite3_reset (stmt);

  return G_LIST_MODEL (g_steal_pointer (&store));
}
