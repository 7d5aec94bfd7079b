/* rx-prescription-window-actions.c: what the prescription window does with what is written:
 * sign it (password, and the authenticator's code for a controlled medicine), cancel or
 * supersede a signed one with a reason; and the keys for all of it (printing and favourite
 * directions have files of their own). Each write runs on the clinic's worker through core,
 * which audits it and queues it for sync; a signature refused leaves the draft to be signed
 * again, never half a thing. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rx-a11y.h"
#include "rx-format.h"
#include "rx-prescription-item-row.h"
#include "rx-prescription-window-private.h"

#define MIN_OVERRIDE_REASON 10

gboolean
_rx_prescription_window_working (RxPrescriptionWindow *self)
{
  return self->clinic != NULL && !rx_clinic_get_locked (self->clinic);
}

/* Whether the new prescription can be signed now: a patient, items whose directions are
 * complete, safety checks of exactly these items back, and a reason where one is needed. */
gboolean
_rx_prescription_window_can_sign (RxPrescriptionWindow *self)
{
  g_autoptr(GPtrArray) rows = _rx_prescription_window_get_item_rows (self);
  g_autofree char *reason = NULL;

  if (!_rx_prescription_window_working (self) || self->patient == NULL || rows->len == 0 ||
      self->writing != NULL || self->patient_load != NULL || self->checked != self->generation)
    return FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *problem = rx_sig_dup_problem (
        rx_prescription_item_row_get_sig (rows->pdata[i]));

      if (problem != NULL)
        return FALSE;
    }

  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->override_row))));
  return !_rx_prescription_window_needs_override (self) ||
         g_utf8_strlen (reason, -1) >= MIN_OVERRIDE_REASON;
}

static void
set_enabled (GtkWidget  *widget,
             const char *action,
             gboolean    enabled)
{
  RxPrescriptionWindow *self = RX_PRESCRIPTION_WINDOW (widget);

  if (enabled)
    g_hash_table_remove (self->disabled, action);
  else
    g_hash_table_add (self->disabled, (gpointer) action);
  gtk_widget_action_set_enabled (widget, action, enabled);
}

/* Whether @action ("win.sign") is on now: what the keys and buttons see. */
gboolean
rx_prescription_window_get_action_enabled (RxPrescriptionWindow *self,
                                           const char           *action)
{
  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), FALSE);
  return !g_hash_table_contains (self->disabled, action);
}

void
_rx_prescription_window_update_actions (RxPrescriptionWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  RxPrescription *chosen;
  RxPrescriptionStatus status;
  gboolean free_hands = _rx_prescription_window_working (self) && self->writing == NULL;

  /* Rows going with the window on its way out say so too. */
  if (self->disabled == NULL || self->history == NULL)
    return;

  chosen = _rx_prescription_window_get_chosen (self);
  status = chosen ? rx_prescription_get_status (chosen) : RX_PRESCRIPTION_DRAFT;

  set_enabled (widget, "win.search-patients", _rx_prescription_window_working (self));
  set_enabled (widget, "win.search-drugs",
               _rx_prescription_window_working (self) && self->patient != NULL);
  set_enabled (widget, "win.sign", _rx_prescription_window_can_sign (self));
  set_enabled (widget, "win.clear-draft", free_hands && self->patient != NULL);
  set_enabled (widget, "win.print",
               free_hands && chosen != NULL && status != RX_PRESCRIPTION_DRAFT);
  set_enabled (widget, "win.export-pdf",
               free_hands && chosen != NULL && status != RX_PRESCRIPTION_DRAFT);
  set_enabled (widget, "win.supersede",
               free_hands && chosen != NULL &&
               rx_prescription_status_can_move (status, RX_PRESCRIPTION_SUPERSEDED));
  set_enabled (widget, "win.cancel-prescription",
               free_hands && chosen != NULL &&
               rx_prescription_status_can_move (status, RX_PRESCRIPTION_CANCELLED));
  set_enabled (widget, "win.lock", _rx_prescription_window_working (self));
}

void
_rx_prescription_window_present (RxPrescriptionWindow *self,
                                 GtkWidget            *dialog)
{
  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);
  self->dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
  rx_a11y_fix_button_labels (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Withdraws a draft written for a signature that was refused and then let go, so the
 * patient's record shows no prescription nobody will sign. */
static gpointer
withdraw_in_worker (RxDb          *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  if (!rx_prescriptions_set_status (db, data, RX_PRESCRIPTION_CANCELLED,
                                    "Not signed: the prescriber changed or left it", error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
withdrawn_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (rx_clinic_run_finish (RX_CLINIC (object), result, &error) == NULL)
    g_warning ("Could not withdraw an unsigned draft: %s", error->message);
}

void
_rx_prescription_window_withdraw_draft (RxPrescriptionWindow *self)
{
  if (self->draft_id == NULL || self->clinic == NULL)
    return;

  rx_clinic_run_async (self->clinic, withdraw_in_worker, g_steal_pointer (&self->draft_id),
                       g_free, NULL, NULL, withdrawn_cb, NULL);
}

/* Signing ---------------------------------------------------------------------------------- */

typedef struct
{
  char      *patient_id;
  char      *prescriber_id;
  char      *username;
  char      *password;
  char      *code;
  char      *notes;
  char      *override;
  char      *draft_id;       /* already written for these very items, or NULL */
  char      *stale_id;       /* written for items since changed: withdrawn first */
  char      *supersedes_id;
  char      *supersede_reason;
  GPtrArray *strings;
  GArray    *items;          /* RxItemFields */
  guint      generation;     /* the edit of the new prescription this signs */
} SignRequest;

typedef struct
{
  char     *draft_id;
  gboolean  signed_it;
  GError   *error;
  GError   *supersede_error;  /* signed, but the old one is not marked superseded */
  gboolean  superseded;
  guint     generation;
} SignResult;

static void
wipe (char *secret)
{
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static void
sign_request_free (gpointer data)
{
  SignRequest *request = data;

  g_free (request->patient_id);
  g_free (request->prescriber_id);
  g_free (request->username);
  wipe (request->password);
  wipe (request->code);
  g_free (request->notes);
  g_free (request->override);
  g_free (request->draft_id);
  g_free (request->stale_id);
  g_free (request->supersedes_id);
  g_free (request->supersede_reason);
  g_ptr_array_unref (request->strings);
  g_array_unref (request->items);
  g_free (request);
}

static void
sign_result_free (gpointer data)
{
  SignResult *result = data;

  g_free (result->draft_id);
  g_clear_error (&result->error);
  g_clear_error (&result->supersede_error);
  g_free (result);
}

static gpointer
sign_in_worker (RxDb          *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  SignRequest *request = data;
  SignResult *result = g_new0 (SignResult, 1);

  result->generation = request->generation;
  result->superseded = request->supersedes_id != NULL;
  if (request->stale_id != NULL)
    {
      g_autoptr(GError) ignored = NULL;

      if (withdraw_in_worker (db, request->stale_id, NULL, &ignored) == NULL)
        g_warning ("Could not withdraw an outdated draft: %s", ignored->message);
    }

  if (request->draft_id == NULL)
    {
      g_autoptr(RxPrescription) rx = NULL;

      rx = rx_prescriptions_create_checked (db, request->patient_id, request->prescriber_id,
                                            (RxItemFields *) request->items->data,
                                            request->items->len, request->notes,
                                            request->override, NULL, &result->error);
      if (rx == NULL)
        return result;
      request->draft_id = g_strdup (rx_prescription_get_id (rx));
    }
  result->draft_id = g_strdup (request->draft_id);

  if (!rx_prescriptions_sign (db, request->draft_id, request->username, request->password,
                              request->code, &result->error))
    return result;
  result->signed_it = TRUE;

  if (request->supersedes_id != NULL)
    rx_prescriptions_supersede (db, request->supersedes_id, request->draft_id,
                                request->supersede_reason, &result->supersede_error);

  return result;
}

static void
signed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  RxPrescriptionWindow *self = RX_PRESCRIPTION_WINDOW (user_data);
  g_autoptr(GError) error = NULL;
  SignResult *signed_result = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  _rx_prescription_window_set_writing (self, NULL);

  if (signed_result == NULL)
    {
      _rx_prescription_window_error (self, _("Not Signed"), error->message);
      return;
    }

  if (!signed_result->signed_it)
    {
      /* A draft written but not signed stays for the next try while nothing changes. */
      g_free (self->draft_id);
      self->draft_id = g_strdup (signed_result->draft_id);
      self->draft_generation = signed_result->generation;
      _rx_prescription_window_error (self, _("Not Signed"), signed_result->error->message);
      sign_result_free (signed_result);
      _rx_prescription_window_update_actions (self);
      return;
    }

  g_clear_pointer (&self->draft_id, g_free);
  _rx_prescription_window_clear_draft (self);
  if (signed_result->supersede_error != NULL)
    {
      g_autofree char *message = g_strdup_printf (
        _("The new prescription is signed, but the one it replaces is still valid: %s. "
          "Cancel the old one from the history."), signed_result->supersede_error->message);

      _rx_prescription_window_error (self, _("Old Prescription Not Superseded"), message);
    }
  else
    _rx_prescription_window_toast (self, signed_result->superseded
                                           ? _("Signed; the prescription it replaces is "
                                               "superseded. Both go to the pharmacy with the "
                                               "next sync.")
                                           : _("Signed. It cannot be changed now, and goes to "
                                               "the pharmacy with the next sync."));
  _rx_prescription_window_reload_patient (self, signed_result->draft_id);
  sign_result_free (signed_result);
}

static gboolean
has_controlled (RxPrescriptionWindow *self,
                char                **name)
{
  g_autoptr(GPtrArray) rows = _rx_prescription_window_get_item_rows (self);

  for (guint i = 0; i < rows->len; i++)
    {
      RxProduct *product = rx_prescription_item_row_get_product (rows->pdata[i]);

      if (rx_product_get_controlled (product))
        {
          *name = rx_product_dup_display_name (product);
          return TRUE;
        }
    }

  return FALSE;
}

static void
start_signing (RxPrescriptionWindow *self,
               const char           *password,
               const char           *code)
{
  g_autoptr(GPtrArray) rows = _rx_prescription_window_get_item_rows (self);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  SignRequest *request = g_new0 (SignRequest, 1);
  g_autofree char *notes = g_strstrip (g_strdup (gtk_editable_get_text (
                                                   GTK_EDITABLE (self->notes_row))));
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (
                                                    GTK_EDITABLE (self->override_row))));

  request->patient_id = g_strdup (rx_patient_get_id (self->patient));
  request->prescriber_id = g_strdup (rx_user_get_id (self->user));
  request->username = g_strdup (rx_user_get_username (self->user));
  request->password = g_strdup (password);
  request->code = code != NULL && *code != '\0' ? g_strdup (code) : NULL;
  request->notes = *notes != '\0' ? g_steal_pointer (&notes) : NULL;
  request->override = _rx_prescription_window_needs_override (self) && *reason != '\0'
                        ? g_steal_pointer (&reason) : NULL;
  request->supersedes_id = g_strdup (self->supersedes_id);
  request->supersede_reason = g_strdup (self->supersede_reason);
  if (self->draft_id != NULL && self->draft_generation == self->generation)
    request->draft_id = g_strdup (self->draft_id);
  else
    request->stale_id = g_steal_pointer (&self->draft_id);
  request->strings = g_ptr_array_new_with_free_func (g_free);
  request->items = g_array_new (FALSE, TRUE, sizeof (RxItemFields));
  request->generation = self->generation;

  for (guint i = 0; i < rows->len; i++)
    {
      RxPrescriptionItemRow *row = rows->pdata[i];
      const RxSig *sig = rx_prescription_item_row_get_sig (row);
      RxItemFields fields = { NULL, };
      char *product = g_strdup (rx_product_get_id (rx_prescription_item_row_get_product (row)));
      char *dose = rx_sig_dup_dose (sig);
      char *frequency = rx_sig_dup_frequency (sig);
      char *route = g_strdup (sig->route);
      char *instructions = g_strdup (sig->instructions);

      g_ptr_array_add (request->strings, product);
      g_ptr_array_add (request->strings, dose);
      g_ptr_array_add (request->strings, frequency);
      g_ptr_array_add (request->strings, route);
      g_ptr_array_add (request->strings, instructions);
      fields.product = product;
      fields.dose = dose;
      fields.frequency = frequency;
      fields.route = route;
      fields.duration_days = sig->duration_days;
      fields.quantity = sig->quantity;
      fields.repeats = sig->repeats;
      fields.instructions = instructions;
      g_array_append_val (request->items, fields);
    }

  _rx_prescription_window_set_writing (self, cancellable);
  /* Signing is never cancelled: once asked, it finishes or fails on its own. */
  rx_clinic_run_async (self->clinic, sign_in_worker, request, sign_request_free,
                       sign_result_free, NULL, signed_cb, self);
}

static void
sign_response_cb (AdwMessageDialog     *dialog,
                  const char           *response,
                  RxPrescriptionWindow *self)
{
  GtkEditable *password = g_object_get_data (G_OBJECT (dialog), "password-entry");
  GtkEditable *code = g_object_get_data (G_OBJECT (dialog), "code-entry");

  if (g_str_equal (response, "sign") && _rx_prescription_window_can_sign (self))
    start_signing (self, gtk_editable_get_text (password),
                   code != NULL ? gtk_editable_get_text (code) : NULL);

  gtk_editable_set_text (password, "");
  if (code != NULL)
    gtk_editable_set_text (code, "");
  /* GTK 4.8's password entry warns when it still has the focus as its window goes. */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
}

static void
sign_password_changed_cb (AdwMessageDialog *dialog)
{
  GtkEditable *password = g_object_get_data (G_OBJECT (dialog), "password-entry");
  GtkEditable *code = g_object_get_data (G_OBJECT (dialog), "code-entry");

  adw_message_dialog_set_response_enabled (
    dialog, "sign",
    *gtk_editable_get_text (password) != '\0' &&
    (code == NULL || strlen (gtk_editable_get_text (code)) == RX_TOTP_DIGITS));
}

/**
 * rx_prescription_window_sign:
 *
 * Asks for the prescriber's password (and the authenticator code for a controlled medicine)
 * and signs the new prescription. Returns the dialog, or %NULL when nothing can be signed.
 */
GtkWindow *
rx_prescription_window_sign (RxPrescriptionWindow *self)
{
  g_autofree char *controlled = NULL;
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GtkWidget *dialog, *box, *password, *code = NULL;

  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), NULL);

  if (!_rx_prescription_window_can_sign (self))
    return NULL;

  if (has_controlled (self, &controlled) && !self->totp_enrolled)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("%s is a controlled medicine: signing it needs a code from "
                                   "an authenticator app as well as your password, and you "
                                   "have no authenticator enrolled. Ask an administrator to "
                                   "enrol one for %s (“rxdesk-cli user totp-enrol %s”), then "
                                   "sign again. The prescription stays here meanwhile."),
                                 controlled, rx_user_get_username (self->user),
                                 rx_user_get_username (self->user));
      _rx_prescription_window_error (self, _("Enrol a Second Factor First"), message);
      return self->dialog;
    }

  rows = _rx_prescription_window_get_item_rows (self);
  name = rx_patient_dup_display_name (self->patient);
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u medicine for %s. Once signed it cannot be changed, "
                                       "only cancelled or superseded, and it goes to the "
                                       "pharmacy with the next sync.",
                                       "%u medicines for %s. Once signed it cannot be changed, "
                                       "only cancelled or superseded, and it goes to the "
                                       "pharmacy with the next sync.", rows->len),
                          rows->len, name);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Sign the Prescription?"), body);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  password = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (password), TRUE);
  g_object_set (password, "placeholder-text", _("Your password"), "activates-default", TRUE,
                NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (password), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Password"), -1);
  gtk_box_append (GTK_BOX (box), password);
  g_object_set_data (G_OBJECT (dialog), "password-entry", password);
  g_signal_connect_swapped (password, "changed", G_CALLBACK (sign_password_changed_cb), dialog);
  if (controlled != NULL)
    {
      g_autofree char *hint = g_strdup_printf (_("%s is controlled: give the 6-digit code from "
                                                 "your authenticator app too."), controlled);
      GtkWidget *label = gtk_label_new (hint);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (box), label);
      code = gtk_entry_new ();
      gtk_entry_set_max_length (GTK_ENTRY (code), RX_TOTP_DIGITS);
      gtk_entry_set_input_purpose (GTK_ENTRY (code), GTK_INPUT_PURPOSE_PIN);
      gtk_entry_set_placeholder_text (GTK_ENTRY (code), _("Authenticator code"));
      gtk_entry_set_activates_default (GTK_ENTRY (code), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (code), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Authenticator code"), -1);
      gtk_box_append (GTK_BOX (box), code);
      g_object_set_data (G_OBJECT (dialog), "code-entry", code);
      g_signal_connect_swapped (code, "changed", G_CALLBACK (sign_password_changed_cb), dialog);
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Not Yet"),
                                    "sign", _("_Sign"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "sign");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "sign", FALSE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (sign_response_cb), self, 0);
  _rx_prescription_window_present (self, dialog);
  gtk_widget_grab_focus (password);

  return GTK_WINDOW (dialog);
}

static void
sign_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  rx_prescription_window_sign (RX_PRESCRIPTION_WINDOW (widget));
}

/* Cancelling ------------------------------------------------------------------------------- */

typedef struct
{
  char *id;
  char *reason;
} StatusRequest;

static void
status_request_free (gpointer data)
{
  StatusRequest *request = data;

  g_free (request->id);
  g_free (request->reason);
  g_free (request);
}

static gpointer
cancel_in_worker (RxDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  StatusRequest *request = data;

  if (!rx_prescriptions_set_status (db, request->id, RX_PRESCRIPTION_CANCELLED, request->reason,
                                    error))
    return NULL;
  return g_strdup (request->id);
}

static void
cancelled_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RxPrescriptionWindow *self = RX_PRESCRIPTION_WINDOW (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = rx_clinic_run_finish (RX_CLINIC (object), result, &error);

  _rx_prescription_window_set_writing (self, NULL);
  if (id == NULL)
    {
      _rx_prescription_window_error (self, _("Not Cancelled"), error->message);
      return;
    }

  _rx_prescription_window_toast (self, _("Prescription cancelled; the pharmacy will see it "
                                         "after the next sync"));
  _rx_prescription_window_reload_patient (self, id);
}

static void
cancel_response_cb (AdwMessageDialog     *dialog,
                    const char           *response,
                    RxPrescriptionWindow *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "reason-entry");
  g_autoptr(GCancellable) cancellable = NULL;
  StatusRequest *request;

  if (!g_str_equal (response, "cancel-rx") || self->chosen_id == NULL || self->writing != NULL)
    return;

  request = g_new0 (StatusRequest, 1);
  request->id = g_strdup (self->chosen_id);
  request->reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  cancellable = g_cancellable_new ();
  _rx_prescription_window_set_writing (self, cancellable);
  rx_clinic_run_async (self->clinic, cancel_in_worker, request, status_request_free, g_free,
                       NULL, cancelled_cb, self);
}

static void
reason_changed_cb (AdwMessageDialog *dialog,
                   GtkEditable      *entry)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "cancel-rx", *reason != '\0');
}

/**
 * rx_prescription_window_cancel_chosen:
 *
 * Asks for the reason, then cancels the prescription chosen in the history. Returns the
 * dialog, or %NULL when the chosen one cannot be cancelled.
 */
GtkWindow *
rx_prescription_window_cancel_chosen (RxPrescriptionWindow *self)
{
  RxPrescription *chosen;
  GtkWidget *dialog, *entry;

  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), NULL);

  chosen = _rx_prescription_window_get_chosen (self);
  if (chosen == NULL || !_rx_prescription_window_working (self) || self->writing != NULL ||
      !rx_prescription_status_can_move (rx_prescription_get_status (chosen),
                                        RX_PRESCRIPTION_CANCELLED))
    return NULL;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Cancel the Prescription?"),
                                   _("The pharmacy will not dispense it once it has synced. "
                                     "The reason is recorded with the cancellation."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason, e.g. wrong strength chosen"));
  gtk_entry_set_max_length (GTK_ENTRY (entry), 300);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason for cancelling"), -1);
  g_object_set_data (G_OBJECT (dialog), "reason-entry", entry);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (reason_changed_cb), dialog);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep It"),
                                    "cancel-rx", _("_Cancel Prescription"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-rx",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "cancel-rx", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel-rx");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (cancel_response_cb), self, 0);
  _rx_prescription_window_present (self, dialog);
  gtk_widget_grab_focus (entry);

  return GTK_WINDOW (dialog);
}

static void
cancel_prescription_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  rx_prescription_window_cancel_chosen (RX_PRESCRIPTION_WINDOW (widget));
}

/* Superseding ----------------------------------------------------------------------------- */

typedef struct
{
  char      *id;
  GPtrArray *products;   /* RxProduct, one per item, in order */
  GPtrArray *items;      /* RxPrescriptionItem */
  char      *date;
  char      *reason;     /* why the new version replaces it */
} Copied;

static void
copied_free (gpointer data)
{
  Copied *copied = data;

  g_free (copied->id);
  g_clear_pointer (&copied->products, g_ptr_array_unref);
  g_clear_pointer (&copied->items, g_ptr_array_unref);
  g_free (copied->date);
  g_free (copied->reason);
  g_free (copied);
}

/* Reads the prescription to replace and the formulary products of its items. */
static gpointer
copy_in_worker (RxDb          *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  StatusRequest *request = data;
  g_autoptr(RxPrescription) rx = rx_prescriptions_get (db, request->id, error);
  GPtrArray *items;
  Copied *copied;

  if (rx == NULL)
    return NULL;

  copied = g_new0 (Copied, 1);
  copied->id = g_strdup (request->id);
  copied->reason = g_strdup (request->reason);
  copied->date = g_strdup (rx_prescription_get_signed_at (rx));
  copied->products = g_ptr_array_new_with_free_func (g_object_unref);
  copied->items = g_ptr_array_new_with_free_func ((GDestroyNotify) rx_prescription_item_free);
  items = rx_prescription_get_items (rx);
  for (guint i = 0; i < items->len; i++)
    {
      RxPrescriptionItem *item = items->pdata[i];
      RxProduct *product = rx_formulary_get (db, item->product_id, error);

      if (product == NULL)
        {
          copied_free (copied);
          return NULL;
        }
      g_ptr_array_add (copied->products, product);
      g_ptr_array_add (copied->items, rx_prescription_item_copy (item));
    }

  return copied;
}

static void
copied_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  RxPrescriptionWindow *self = RX_PRESCRIPTION_WINDOW (user_data);
  g_autoptr(GError) error = NULL;
  Copied *copied = rx_clinic_run_finish (RX_CLINIC (object), result, &error);
  g_autofree char *date = NULL;
  g_autofree char *text = NULL;

  _rx_prescription_window_set_writing (self, NULL);
  if (copied == NULL)
    {
      _rx_prescription_window_error (self, _("Cannot Supersede"), error->message);
      return;
    }

  _rx_prescription_window_withdraw_draft (self);
  _rx_prescription_window_clear_draft (self);
  for (guint i = 0; i < copied->items->len; i++)
    {
      RxPrescriptionItem *item = copied->items->pdata[i];
      RxProduct *product = copied->products->pdata[i];
      GPtrArray *packs = rx_product_get_packs (product);
      g_autoptr(RxSig) sig = rx_sig_new (rx_product_get_form (product), item->route,
                                         packs != NULL && packs->len > 0
                                           ? ((RxPack *) packs->pdata[0])->unit : NULL);

      rx_sig_parse_dose (sig, item->dose);
      rx_sig_parse_frequency (sig, item->frequency);
      sig->duration_days = MAX (item->duration_days, 0);
      sig->quantity = item->quantity;
      sig->quantity_set = TRUE;
      sig->repeats = MAX (item->repeats, 0);
      sig->instructions = g_strdup (item->instructions);
      _rx_prescription_window_add_item (self, product, sig);
    }

  self->supersedes_id = g_strdup (copied->id);
  self->supersede_reason = g_strdup (copied->reason);
  date = rx_format_date (copied->date);
  /* Translators: above the items of a new version of a prescription */
  text = g_strdup_printf (_("This replaces the prescription signed on %s (%s). Change what "
                            "needs changing and sign: the old one is then superseded."),
                          date, copied->reason);
  gtk_label_set_label (self->supersede_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->supersede_label), TRUE);
  copied_free (copied);
  gtk_widget_grab_focus (GTK_WIDGET (self->drug_entry));
}

static void
supersede_response_cb (AdwMessageDialog     *dialog,
                       const char           *response,
                       RxPrescriptionWindow *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "reason-entry");
  g_autoptr(GCancellable) cancellable = NULL;
  StatusRequest *request;

  if (!g_str_equal (response, "supersede") || self->chosen_id == NULL || self->writing != NULL)
    return;

  request = g_new0 (StatusRequest, 1);
  request->id = g_strdup (self->chosen_id);
  request->reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  cancellable = g_cancellable_new ();
  _rx_prescription_window_set_writing (self, cancellable);
  rx_clinic_run_async (self->clinic, copy_in_worker, request, status_request_free,
                       copied_free, NULL, copied_cb, self);
}

static void
supersede_reason_changed_cb (AdwMessageDialog *dialog,
                             GtkEditable      *entry)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "supersede", *reason != '\0');
}

/**
 * rx_prescription_window_supersede_chosen:
 *
 * Asks why, then copies the chosen signed prescription into a new one to change and sign;
 * signing it supersedes the old one. Returns the dialog, or %NULL when it cannot be done.
 */
GtkWindow *
rx_prescription_window_supersede_chosen (RxPrescriptionWindow *self)
{
  RxPrescription *chosen;
  GtkWidget *dialog, *entry;

  g_return_val_if_fail (RX_IS_PRESCRIPTION_WINDOW (self), NULL);

  chosen = _rx_prescription_window_get_chosen (self);
  if (chosen == NULL || !_rx_prescription_window_working (self) || self->writing != NULL ||
      !rx_prescription_status_can_move (rx_prescription_get_status (chosen),
                                        RX_PRESCRIPTION_SUPERSEDED))
    return NULL;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Supersede the Prescription?"),
                                   _("Its medicines are copied into the new prescription for "
                                     "you to change. When you sign the new one, this one is "
                                     "marked superseded with your reason and the pharmacy "
                                     "will not dispense it. Anything in the new prescription "
                                     "now is replaced."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason, e.g. dose reduced after review"));
  gtk_entry_set_max_length (GTK_ENTRY (entry), 300);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason for superseding"), -1);
  g_object_set_data (G_OBJECT (dialog), "reason-entry", entry);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (supersede_reason_changed_cb), dialog);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep It"),
                                    "supersede", _("_Write a New Version"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "supersede",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "supersede", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "supersede");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (supersede_response_cb), self, 0);
  _rx_prescription_window_present (self, dialog);
  gtk_widget_grab_focus (entry);

  return GTK_WINDOW (dialog);
}

static void
supersede_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  rx_prescription_window_supersede_chosen (RX_PRESCRIPTION_WINDOW (widget));
}

/* Everything else -------------------------------------------------------------------------- */

static void
search_patients_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  RxPrescriptionWindow *self = RX_PRESCRIPTION_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->patient_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->patient_entry), 0, -1);
}

static void
search_drugs_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RxPrescriptionWindow *self = RX_PRESCRIPTION_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->rx_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->drug_entry));
}

static void
clear_draft_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RxPrescriptionWindow *self = RX_PRESCRIPTION_WINDOW (widget);

  _rx_prescription_window_withdraw_draft (self);
  _rx_prescription_window_clear_draft (self);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RxPrescriptionWindow *self = RX_PRESCRIPTION_WINDOW (widget);

  if (self->clinic != NULL)
    rx_clinic_lock (self->clinic);
}

void
_rx_prescription_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.search-patients", NULL,
                                   search_patients_action);
  gtk_widget_class_install_action (widget_class, "win.search-drugs", NULL, search_drugs_action);
  gtk_widget_class_install_action (widget_class, "win.sign", NULL, sign_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-prescription", NULL,
                                   cancel_prescription_action);
  gtk_widget_class_install_action (widget_class, "win.supersede", NULL, supersede_action);
  gtk_widget_class_install_action (widget_class, "win.clear-draft", NULL, clear_draft_action);
  gtk_widget_class_install_action (widget_class, "win.close", NULL, close_action);
  _rx_prescription_window_class_add_print_actions (widget_class);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);

  /* The window's own keys; the application's (Ctrl+F, Ctrl+D, Ctrl+L, Ctrl+W) work too. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "win.sign", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "win.sign", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "win.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.export-pdf", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "win.search-drugs", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search-patients", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "win.close", NULL);
}

/* Any input here counts as someone at the desk, as in every RxDesk window. */
static gboolean
input_cb (RxPrescriptionWindow *self)
{
  if (self->clinic != NULL)
    rx_clinic_touch (self->clinic);

  return GDK_EVENT_PROPAGATE;
}

void
_rx_prescription_window_add_input (RxPrescriptionWindow *self)
{
  GtkEventController *controller;

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (input_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "event", G_CALLBACK (input_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
