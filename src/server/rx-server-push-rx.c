/* rx-server-push-rx.c: the prescription rules of a push. A prescription's entries wait within
 * the push for its signature, which is verified (rx-server-signature.c) before anything of it
 * is stored; once signed, what was written after the signature (by HLC) may change only the
 * prescription's status. */
#define G_LOG_DOMAIN "rx-server"

#include "config.h"

#include <string.h>

#include "rx-server-push-private.h"
#include "rx-sync-rules.h"
#include "rx-uuid.h"

/* Prescriptions --------------------------------------------------------------------------- */

/* Which prescription the entry belongs to; NULL (rejected, or p->error) when unknown. */
static char *
prescription_of (Push *p,
                 Item *it)
{
  g_autoptr(RxMerged) item = NULL;
  const char *rx;

  if (g_str_equal (it->entity, "prescriptions"))
    return g_strdup (it->row_id);

  rx = rx_json_string (it->payload, "prescription_id");
  if (rx == NULL && g_str_equal (it->entity, "prescription_items"))
    {
      /* a later version of an item names only what changed */
      rx = g_hash_table_lookup (p->item_rx, it->row_id);
      if (rx == NULL)
        {
          item = rx_rows_get (p->store, p->org->id, it->entity, it->row_id, &p->error);
          if (item == NULL && p->error != NULL)
            return NULL;
          rx = item ? rx_json_string (item->data, "prescription_id") : NULL;
        }
    }
  if (rx == NULL || !rx_uuid_is_valid (rx))
    {
      _rx_push_reject (it, "invalid", "the entry does not say which prescription it belongs to; "
                       "its first version must carry prescription_id");
      return NULL;
    }
  if (g_str_equal (it->entity, "prescription_items"))
    {
      char *copy = g_strdup (rx);

      g_hash_table_replace (p->item_rx, g_strdup (it->row_id), copy);
      rx = copy;
    }

  return g_strdup (rx);
}

static gboolean
status_only (Item *it)
{
  const RxSyncEntity *e = rx_sync_entity_lookup (it->entity);
  g_autoptr(GList) members = json_object_get_members (it->payload);

  for (GList *l = members; l != NULL; l = l->next)
    {
      gboolean allowed = g_str_equal (l->data, "id");

      for (guint f = 0; !allowed && e->status_fields && e->status_fields[f]; f++)
        allowed = g_str_equal (l->data, e->status_fields[f]);
      if (!allowed)
        return FALSE;
    }

  return TRUE;
}

/* An entry of a signed prescription: what came before the signature (by HLC) is the history
 * that led to the signed content and is stored; after it, only the status may change. */
static gboolean
judge_signed (Push       *p,
              Item       *it,
              const char *rx,
              const char *signature_hlc)
{
  if (strcmp (it->hlc, signature_hlc) < 0)
    return _rx_push_accept (p, it);
  if (g_str_equal (it->entity, "prescriptions") && status_only (it))
    return _rx_push_accept (p, it);

  if (g_str_equal (it->entity, "prescriptions"))
    _rx_push_reject (it, "frozen", "prescription %s is signed: only its status may change now; "
                     "supersede it with a new prescription to change anything else", rx);
  else
    _rx_push_reject (it, "frozen", "prescription %s is signed: its items and signature never "
                     "change; supersede it with a new prescription", rx);
  return TRUE;
}

/* The HLC of the prescription's stored signature, or NULL when it has none (or p->error). */
static char *
stored_signature (Push       *p,
                  const char *rx)
{
  g_autoptr(GPtrArray) rows = rx_rows_find (p->store, p->org->id, "prescription_signatures", rx,
                                            &p->error);

  if (rows == NULL || rows->len == 0)
    return NULL;

  return g_strdup (((RxMerged *) g_ptr_array_index (rows, 0))->hlc);
}

static gboolean
judge_signature (Push       *p,
                 guint       index,
                 const char *rx)
{
  Item *it = ITEM (p, index);
  g_autofree char *reason = NULL;
  GArray *waiting;

  reason = rx_server_check_signature (p->store, p->org->id, p->org->clinic_org_id, rx,
                                      it->payload, &p->error);
  if (p->error != NULL)
    return FALSE;
  if (reason != NULL)
    {
      _rx_push_reject (it, "bad_signature", "the signature does not hold: %s", reason);
      return TRUE;
    }

  /* what waited for this signature goes first, so it is stored in the order it was written */
  waiting = g_hash_table_lookup (p->deferred, rx);
  for (guint w = 0; waiting != NULL && w < waiting->len; w++)
    {
      Item *before = ITEM (p, g_array_index (waiting, guint, w));

      if (!judge_signed (p, before, rx, it->hlc))
        return FALSE;
    }
  g_hash_table_remove (p->deferred, rx);

  return _rx_push_accept (p, ITEM (p, index));
}

gboolean
_rx_push_judge_prescription (Push  *p,
                             guint  index)
{
  Item *it = ITEM (p, index);
  g_autofree char *rx = NULL;
  g_autofree char *signature_hlc = NULL;
  GArray *waiting;

  rx = prescription_of (p, it);
  if (rx == NULL)
    return p->error == NULL;

  signature_hlc = stored_signature (p, rx);
  if (p->error != NULL)
    return FALSE;

  if (g_str_equal (it->entity, "prescription_signatures"))
    {
      if (signature_hlc != NULL)
        {
          _rx_push_reject (it, "frozen", "prescription %s is signed already, and a signature "
                           "never changes; supersede the prescription instead", rx);
          return TRUE;
        }
      return judge_signature (p, index, rx);
    }

  if (signature_hlc != NULL)
    return judge_signed (p, it, rx, signature_hlc);

  waiting = g_hash_table_lookup (p->deferred, rx);
  if (waiting == NULL)
    {
      waiting = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_insert (p->deferred, g_strdup (rx), waiting);
    }
  g_array_append_val (waiting, index);
  it->state = ITEM_DEFERRED;
  return TRUE;
}
