/* rx-server-push-private.h: one push being judged, shared by rx-server-push.c (reading,
 * authorising, storing) and rx-server-push-rx.c (the prescription rules). */
#pragma once

#include "rx-server-private.h"

G_BEGIN_DECLS

typedef enum
{
  ITEM_PENDING,
  ITEM_ACCEPTED,
  ITEM_DUPLICATE,
  ITEM_REJECTED,
  ITEM_DEFERRED,   /* a prescription's entry waiting for its signature later in the push */
  ITEM_REPEAT,     /* an op id given twice in one push: answered as its first time */
} ItemState;

typedef struct
{
  const char *op_id;
  const char *entity;
  const char *row_id;
  const char *hlc;
  const char *author;
  JsonObject *payload;
  ItemState   state;
  gint64      seq;
  const char *code;
  char       *reason;
  guint       first;           /* ITEM_REPEAT: the index of the op id's first entry */
} Item;

typedef struct
{
  RxServer   *server;
  RxStore    *store;
  RxCaller   *caller;
  RxStoreOrg *org;
  GArray     *items;           /* Item */
  GHashTable *op_index;        /* op id -> index + 1 of its first entry */
  GHashTable *deferred;        /* prescription id -> GArray of indexes waiting for it */
  GHashTable *item_rx;         /* prescription item id -> prescription id, seen in this push */
  GError     *error;           /* the store failed */
} Push;

#define ITEM(p, i) (&g_array_index ((p)->items, Item, (i)))

void      _rx_push_reject              (Item        *it,
                                        const char  *code,
                                        const char  *format,
                                        ...) G_GNUC_PRINTF (3, 4);
/* Stores the entry (and merges its row); FALSE when the store failed (p->error). */
gboolean  _rx_push_accept              (Push        *p,
                                        Item        *it);
/* An entry of a prescription: judged now, or waiting for its signature; FALSE when the
 * store failed. */
gboolean  _rx_push_judge_prescription  (Push        *p,
                                        guint        index);

G_END_DECLS
