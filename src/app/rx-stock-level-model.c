/* rx-stock-level-model.c: the inventory list's lazy model. It first reads the keys of the
 * products that match (one number each), which gives its length; asked for a row it has not
 * read, it hands out an empty RxStockLevelItem at once and reads that row's page by key on
 * the clinic's worker; the items fill in when the page arrives, and the rows bound to them
 * follow. Only the last RX_STOCK_LEVEL_KEEP_PAGES pages are kept, so scrolling through
 * 100 000 products holds a few thousand objects at most. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include "rx-stock-level-model.h"

struct _RxStockLevelModel
{
  GObject       parent_instance;

  RxClinic     *clinic;
  char         *filter;
  GArray       *keys;        /* of gint64, one per row */
  guint         n_items;
  GHashTable   *pages;       /* page number → GPtrArray of RxStockLevelItem */
  GQueue        recent;      /* page numbers, most recently made first */
  GCancellable *generation;  /* cancelled when the filter changes: old pages are dropped */
  gboolean      generation_used; /* a read has been asked for */
  guint         counting;    /* counts in flight */
  guint         reading;     /* pages in flight */
  guint         pages_read;
  char         *error;
};

static void rx_stock_level_model_list_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RxStockLevelModel, rx_stock_level_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      rx_stock_level_model_list_init))

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_counts (RxStockLevelModel *self,
            int                counting,
            int                reading)
{
  gboolean was_busy = rx_stock_level_model_get_busy (self);

  self->counting += counting;
  self->reading += reading;
  if (was_busy != rx_stock_level_model_get_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Reading a page ------------------------------------------------------------------------- */

typedef struct
{
  gint64 *keys;
  guint   n_keys;
} PageQuery;

typedef struct
{
  GPtrArray *levels;
  char      *today;
  char      *soon;
} Page;

static void
page_query_free (gpointer data)
{
  PageQuery *query = data;

  g_free (query->keys);
  g_free (query);
}

static void
page_free (gpointer data)
{
  Page *page = data;

  g_clear_pointer (&page->levels, g_ptr_array_unref);
  g_free (page->today);
  g_free (page->soon);
  g_free (page);
}

static gpointer
read_page (RxDb          *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  PageQuery *query = data;
  g_autoptr(GPtrArray) levels = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) soon = NULL;
  Page *page;

  /* A page scrolled past before its turn came is not read at all. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  levels = rx_stock_levels_by_key (db, query->keys, query->n_keys, error);
  if (levels == NULL)
    return NULL;

  now = g_date_time_new_from_unix_utc (rx_db_now (db) / G_USEC_PER_SEC);
  soon = g_date_time_add_days (now, RX_DISPENSE_SOON_DAYS);
  page = g_new0 (Page, 1);
  page->levels = g_steal_pointer (&levels);
  page->today = g_date_time_format (now, "%Y-%m-%d");
  page->soon = g_date_time_format (soon, "%Y-%m-%d");
  return page;
}

typedef struct
{
  RxStockLevelModel *self;
  GPtrArray         *items;
} PageRequest;

static void
page_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PageRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  Page *page = rx_clinic_run_finish (RX_CLINIC (object), result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      RxStockLevelModel *self = request->self;

      set_counts (self, 0, -1);
      if (page == NULL)
        {
          g_warning ("Reading stock levels failed: %s", error->message);
          g_free (self->error);
          self->error = g_strdup (error->message);
        }
      else
        {
          self->pages_read++;
          for (guint i = 0; i < page->levels->len && i < request->items->len; i++)
            rx_stock_level_item_set_level (request->items->pdata[i], page->levels->pdata[i],
                                           page->today, page->soon);
        }
    }

  if (page != NULL)
    page_free (page);
  g_ptr_array_unref (request->items);
  g_object_unref (request->self);
  g_free (request);
}

static GPtrArray *
make_page (RxStockLevelModel *self,
           guint              number)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  guint first = number * RX_STOCK_LEVEL_PAGE;
  guint last = MIN (first + RX_STOCK_LEVEL_PAGE, self->n_items);
  PageQuery *query;
  PageRequest *request;

  for (guint position = first; position < last; position++)
    g_ptr_array_add (items, rx_stock_level_item_new (position));

  g_hash_table_insert (self->pages, GUINT_TO_POINTER (number), items);
  g_queue_push_head (&self->recent, GUINT_TO_POINTER (number));
  while (g_queue_get_length (&self->recent) > RX_STOCK_LEVEL_KEEP_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->recent));

  query = g_new0 (PageQuery, 1);
  query->n_keys = last - first;
  query->keys = g_memdup2 (&g_array_index (self->keys, gint64, first),
                           query->n_keys * sizeof (gint64));
  request = g_new0 (PageRequest, 1);
  request->self = g_object_ref (self);
  request->items = g_ptr_array_ref (items);
  set_counts (self, 0, +1);
  rx_clinic_run_async (self->clinic, read_page, query, page_query_free, page_free,
                       self->generation, page_read_cb, request);

  return items;
}

/* GListModel ------------------------------------------------------------------------------ */

static GType
rx_stock_level_model_get_item_type (GListModel *model)
{
  return RX_TYPE_STOCK_LEVEL_ITEM;
}

static guint
rx_stock_level_model_get_n_items (GListModel *model)
{
  return RX_STOCK_LEVEL_MODEL (model)->n_items;
}

static gpointer
rx_stock_level_model_get_item (GListModel *model,
                               guint       position)
{
  RxStockLevelModel *self = RX_STOCK_LEVEL_MODEL (model);
  guint number = position / RX_STOCK_LEVEL_PAGE;
  GPtrArray *items;

  if (position >= self->n_items)
    return NULL;

  items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (number));
  if (items == NULL)
    items = make_page (self, number);

  if (position % RX_STOCK_LEVEL_PAGE >= items->len)
    return NULL;
  return g_object_ref (items->pdata[position % RX_STOCK_LEVEL_PAGE]);
}

static void
rx_stock_level_model_list_init (GListModelInterface *iface)
{
  iface->get_item_type = rx_stock_level_model_get_item_type;
  iface->get_n_items = rx_stock_level_model_get_n_items;
  iface->get_item = rx_stock_level_model_get_item;
}

/* Counting ------------------------------------------------------------------------------- */

static gpointer
read_keys (RxDb          *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return rx_stock_level_keys (db, data, error);
}

static void
counted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GArray *keys = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  RxStockLevelModel *self;
  guint before;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = RX_STOCK_LEVEL_MODEL (user_data);

  before = self->n_items;
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->recent);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->keys, g_array_unref);
  if (keys == NULL)
    {
      g_warning ("Listing products failed: %s", error->message);
      self->error = g_strdup (error->message);
      self->n_items = 0;
    }
  else
    {
      self->keys = keys;
      self->n_items = keys->len;
    }

  /* Out, then in: told of one replacement, GTK 4.8's list looks for the rows it tracks (the
   * focus, the selection) among every new item, which would read every page. */
  if (before > 0)
    {
      guint after = self->n_items;

      self->n_items = 0;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, before, 0);
      self->n_items = after;
    }
  if (self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);
  set_counts (self, -1, 0);
}

/* Public API ------------------------------------------------------------------------------- */

RxStockLevelModel *
rx_stock_level_model_new (RxClinic *clinic)
{
  RxStockLevelModel *self;

  g_return_val_if_fail (RX_IS_CLINIC (clinic), NULL);

  self = g_object_new (RX_TYPE_STOCK_LEVEL_MODEL, NULL);
  self->clinic = g_object_ref (clinic);
  return self;
}

/* Reads again from the start: the count, then the pages the list asks for. */
void
rx_stock_level_model_reload (RxStockLevelModel *self)
{
  g_return_if_fail (RX_IS_STOCK_LEVEL_MODEL (self));

  /* Pages and counts of the last filter are not wanted any more. */
  g_cancellable_cancel (self->generation);
  g_clear_object (&self->generation);
  self->generation = g_cancellable_new ();
  set_counts (self, -(int) self->counting, -(int) self->reading);

  self->generation_used = TRUE;
  set_counts (self, +1, 0);
  rx_clinic_run_async (self->clinic, read_keys, g_strdup (self->filter), g_free,
                       (GDestroyNotify) g_array_unref, self->generation, counted_cb, self);
}

/* Products whose code or name holds @filter ("" or NULL: all). */
void
rx_stock_level_model_set_filter (RxStockLevelModel *self,
                                 const char        *filter)
{
  g_autofree char *clean = g_strstrip (g_strdup (filter ? filter : ""));

  g_return_if_fail (RX_IS_STOCK_LEVEL_MODEL (self));

  /* The search entry says "changed" when it settles, too: the same filter reads nothing. */
  if (g_strcmp0 (clean, self->filter ? self->filter : "") == 0 && self->generation_used)
    return;

  g_free (self->filter);
  self->filter = g_steal_pointer (&clean);
  rx_stock_level_model_reload (self);
}

/* Whether a count or a page is being read. */
gboolean
rx_stock_level_model_get_busy (RxStockLevelModel *self)
{
  g_return_val_if_fail (RX_IS_STOCK_LEVEL_MODEL (self), FALSE);
  return self->counting > 0 || self->reading > 0;
}

/* Why the last read failed, or NULL. */
const char *
rx_stock_level_model_get_error (RxStockLevelModel *self)
{
  g_return_val_if_fail (RX_IS_STOCK_LEVEL_MODEL (self), NULL);
  return self->error;
}

/* Pages read so far (the benchmark and the tests check the list reads only what it shows). */
guint
rx_stock_level_model_get_pages_read (RxStockLevelModel *self)
{
  g_return_val_if_fail (RX_IS_STOCK_LEVEL_MODEL (self), 0);
  return self->pages_read;
}

static void
rx_stock_level_model_dispose (GObject *object)
{
  RxStockLevelModel *self = (RxStockLevelModel *) object;

  g_cancellable_cancel (self->generation);
  g_clear_object (&self->generation);
  g_clear_object (&self->clinic);
  G_OBJECT_CLASS (rx_stock_level_model_parent_class)->dispose (object);
}

static void
rx_stock_level_model_finalize (GObject *object)
{
  RxStockLevelModel *self = (RxStockLevelModel *) object;

  g_hash_table_unref (self->pages);
  g_queue_clear (&self->recent);
  g_clear_pointer (&self->keys, g_array_unref);
  g_free (self->filter);
  g_free (self->error);
  G_OBJECT_CLASS (rx_stock_level_model_parent_class)->finalize (object);
}

static void
rx_stock_level_model_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, rx_stock_level_model_get_busy (RX_STOCK_LEVEL_MODEL (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_stock_level_model_class_init (RxStockLevelModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rx_stock_level_model_dispose;
  object_class->finalize = rx_stock_level_model_finalize;
  object_class->get_property = rx_stock_level_model_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rx_stock_level_model_init (RxStockLevelModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->recent);
  self->generation = g_cancellable_new ();
}
