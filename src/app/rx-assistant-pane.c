/* rx-assistant-pane.c: the assistant's face. Each message goes to an RxAssistantSession,
 * which answers off the main loop; the pane shows the words as bubbles (the person's on the
 * right, the assistant's on the left), cards for the medicines an answer is about, quick
 * replies, and a red banner with the number to call when a message raised a red flag. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <glib/gi18n.h>

#include "rx-application.h"
#include "rx-assistant-pane.h"
#include "rx-format.h"
#include "rx-product.h"

struct _RxAssistantPane
{
  GtkWidget           parent_instance;

  RxAssistantSession *session;
  RxClinic           *clinic;   /* set_clinic(): the clinic and person the session is for */
  RxUser             *user;
  GCancellable       *cancellable;
  GSettings          *settings;
  gboolean            busy;
  guint               scroll_tick;
  guint               scroll_frames;
  gboolean            kiosk;
  gboolean            emergency;
  guint               n_messages;
  guint               n_cards;
  char               *last_reply;
  char               *alert_id;

  GtkWidget          *pane_header;
  GtkRevealer        *emergency_revealer;
  GtkLabel           *emergency_title;
  GtkLabel           *emergency_steps;
  GtkStack           *stack;
  AdwStatusPage      *empty_page;
  GtkScrolledWindow  *scroller;
  GtkBox             *messages_box;
  GtkFlowBox         *suggestions_box;
  GtkEntry           *message_entry;
  GtkSpinner         *spinner;
  GtkButton          *send_button;
};

G_DEFINE_FINAL_TYPE (RxAssistantPane, rx_assistant_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_KIOSK,
  PROP_EMERGENCY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
rx_assistant_pane_new (void)
{
  return g_object_new (RX_TYPE_ASSISTANT_PANE, NULL);
}

static void
update_actions (RxAssistantPane *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->message_entry)));
  gboolean ready = self->session != NULL && !self->busy;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.send",
                                 ready && *g_strstrip (text) != '\0');
  gtk_widget_set_sensitive (GTK_WIDGET (self->message_entry), self->session != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->suggestions_box), ready);
}

static void
set_busy (RxAssistantPane *self,
          gboolean         busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* New text shows at the bottom: follow it down for a few frames, while the new message's
 * height is measured. */
static gboolean
scroll_to_end_tick (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  RxAssistantPane *self = RX_ASSISTANT_PANE (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
  if (--self->scroll_frames > 0)
    return G_SOURCE_CONTINUE;
  self->scroll_tick = 0;
  return G_SOURCE_REMOVE;
}

static void
scroll_to_end (RxAssistantPane *self)
{
  self->scroll_frames = 5;
  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_end_tick,
                                                      NULL, NULL);
}

/* Messages ------------------------------------------------------------------------------ */

static GtkWidget *
add_bubble (RxAssistantPane *self,
            const char      *text,
            gboolean         from_person,
            gboolean         error)
{
  GtkWidget *label = gtk_label_new (text);
  g_autofree char *name = NULL;

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_widget_set_halign (label, from_person ? GTK_ALIGN_END : GTK_ALIGN_START);
  gtk_widget_set_margin_start (label, from_person ? 36 : 0);
  gtk_widget_set_margin_end (label, from_person ? 0 : 36);
  gtk_widget_add_css_class (label, "rx-bubble");
  gtk_widget_add_css_class (label, from_person ? "rx-from-person" : "rx-from-assistant");
  if (error)
    gtk_widget_add_css_class (label, "rx-error");
  /* Screen readers hear who said it. */
  name = g_strdup_printf (from_person ? _("You: %s") : _("Assistant: %s"), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, name,
                                  -1);

  gtk_box_append (self->messages_box, label);
  scroll_to_end (self);
  self->n_messages++;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.start-over", TRUE);
  gtk_stack_set_visible_child_name (self->stack, "conversation");
  return label;
}

static char *
format_money (RxAssistantPane *self,
              gint64           minor)
{
  guint digits = self->settings ? g_settings_get_uint (self->settings,
                                                       "currency-minor-digits") : 2;

  return rx_format_money (minor, digits, NULL);
}

/* One medicine: what it is, what the smallest pack costs, how much the clinic has. */
static GtkWidget *
medicine_card (RxAssistantPane *self,
               RxProduct       *product)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *name = gtk_label_new (rx_product_get_inn (product));
  GtkWidget *what;
  GtkWidget *price_label;
  GtkWidget *stock_label;
  GPtrArray *packs = rx_product_get_packs (product);
  RxPack *pack = packs && packs->len > 0 ? packs->pdata[0] : NULL;
  gint64 on_hand = rx_product_get_on_hand (product);
  g_autofree char *form = g_strdup_printf ("%s · %s", rx_product_get_strength (product),
                                           rx_product_get_form (product));
  g_autofree char *price = NULL;
  g_autofree char *stock = NULL;
  g_autofree char *summary = NULL;

  if (pack != NULL && pack->price_minor >= 0)
    {
      g_autofree char *money = format_money (self, pack->price_minor);

      /* Translators: a price and the pack it is for, e.g. "0.60 for 15 capsule" */
      price = g_strdup_printf (_("%s for %lld %s"), money, (long long) pack->size,
                               pack->unit ? pack->unit : "");
    }
  else
    price = g_strdup (_("No price set"));

  if (on_hand > 0)
    {
      g_autofree char *quantity = rx_format_quantity (on_hand);

      /* Translators: the quantity the clinic has, e.g. "300 in stock" */
      stock = g_strdup_printf (_("%s in stock"), quantity);
    }
  else
    stock = g_strdup (_("Out of stock"));

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "rx-medicine-card");
  gtk_widget_set_halign (card, GTK_ALIGN_START);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_add_css_class (name, "heading");
  gtk_box_append (GTK_BOX (card), name);

  what = gtk_label_new (form);
  gtk_label_set_xalign (GTK_LABEL (what), 0);
  gtk_label_set_wrap (GTK_LABEL (what), TRUE);
  gtk_widget_add_css_class (what, "dim-label");
  gtk_box_append (GTK_BOX (card), what);

  price_label = gtk_label_new (price);
  gtk_label_set_xalign (GTK_LABEL (price_label), 0);
  gtk_box_append (GTK_BOX (card), price_label);

  stock_label = gtk_label_new (stock);
  gtk_label_set_xalign (GTK_LABEL (stock_label), 0);
  gtk_widget_add_css_class (stock_label, on_hand > 0 ? "success" : "error");
  gtk_box_append (GTK_BOX (card), stock_label);

  summary = g_strdup_printf ("%s %s: %s; %s", rx_product_get_inn (product), form, price, stock);
  gtk_accessible_update_property (GTK_ACCESSIBLE (card),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, summary,
                                  -1);
  return card;
}

static void
add_cards (RxAssistantPane *self,
           GListModel      *products)
{
  GtkWidget *flow;
  guint n = products ? g_list_model_get_n_items (products) : 0;

  if (n == 0)
    return;

  flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 2);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_widget_set_margin_end (flow, 36);
  gtk_accessible_update_property (GTK_ACCESSIBLE (flow),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Medicines"),
                                  -1);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RxProduct) product = g_list_model_get_item (products, i);
      GtkWidget *card = medicine_card (self, product);

      gtk_flow_box_append (GTK_FLOW_BOX (flow), card);
      gtk_widget_set_focusable (gtk_widget_get_parent (card), FALSE);
      self->n_cards++;
    }
  gtk_box_append (self->messages_box, flow);
  scroll_to_end (self);
}

static void
suggestion_clicked_cb (GtkButton       *button,
                       RxAssistantPane *self)
{
  rx_assistant_pane_ask (self, g_object_get_data (G_OBJECT (button), "rx-text"));
}

static void
clear_suggestions (RxAssistantPane *self)
{
  GtkFlowBoxChild *child;

  while ((child = gtk_flow_box_get_child_at_index (self->suggestions_box, 0)) != NULL)
    gtk_flow_box_remove (self->suggestions_box, GTK_WIDGET (child));
  gtk_widget_set_visible (GTK_WIDGET (self->suggestions_box), FALSE);
}

static void
set_suggestions (RxAssistantPane *self,
                 GStrv            suggestions)
{
  clear_suggestions (self);
  for (guint i = 0; suggestions && suggestions[i]; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (suggestions[i]);

      g_object_set_data_full (G_OBJECT (button), "rx-text", g_strdup (suggestions[i]), g_free);
      gtk_widget_set_halign (button, GTK_ALIGN_START);
      gtk_widget_add_css_class (button, "rx-suggestion");
      g_signal_connect_object (button, "clicked", G_CALLBACK (suggestion_clicked_cb), self, 0);
      gtk_flow_box_append (self->suggestions_box, button);
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->suggestions_box),
                          suggestions != NULL && suggestions[0] != NULL);
}

static void
show_emergency (RxAssistantPane  *self,
                RxAssistantReply *reply)
{
  g_autofree char *fallback = self->settings ? g_settings_get_string (self->settings,
                                                                      "emergency-number")
                                             : g_strdup ("112");
  const char *number = reply->emergency_number ? reply->emergency_number : fallback;
  g_autofree char *title = g_strdup_printf (_("Call %s now"), number);
  g_autoptr(GRegex) numbered = g_regex_new (" (?=[0-9]+\\. )", 0, 0, NULL);
  g_autofree char *steps = NULL;
  GtkWidget *banner;

  /* The engine's reply runs its numbered steps together; here each gets a line. */
  steps = g_regex_replace_literal (numbered, reply->text, -1, 0, "\n", 0, NULL);
  gtk_label_set_label (self->emergency_title, title);
  gtk_label_set_label (self->emergency_steps, steps ? steps : reply->text);
  gtk_revealer_set_reveal_child (self->emergency_revealer, TRUE);
  banner = gtk_revealer_get_child (self->emergency_revealer);
  gtk_accessible_update_property (GTK_ACCESSIBLE (banner),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title,
                                  -1);
  self->emergency = TRUE;
  /* The alert should reach the clinicians' workstations now, not at the next sync round. */
  if (self->clinic != NULL)
    rx_sync_engine_kick (rx_clinic_get_sync (self->clinic));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMERGENCY]);
}

static void
asked_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(RxAssistantPane) self = user_data;
  g_autoptr(RxAssistantReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = rx_assistant_session_ask_finish (RX_ASSISTANT_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      RX_ASSISTANT_SESSION (object) != self->session)
    return;

  g_clear_object (&self->cancellable);
  if (reply == NULL)
    {
      add_bubble (self, error->message, FALSE, TRUE);
      set_suggestions (self, NULL);
    }
  else
    {
      if (reply->emergency)
        {
          g_autofree char *pointer = g_strdup_printf (_("This may be an emergency. Call %s now "
                                                        "and follow the steps at the top. The "
                                                        "clinic staff have been alerted."),
                                                      reply->emergency_number
                                                        ? reply->emergency_number : "112");

          add_bubble (self, pointer, FALSE, TRUE);
        }
      else
        add_bubble (self, reply->text, FALSE, FALSE);
      add_cards (self, reply->products);
      set_suggestions (self, reply->suggestions);
      g_free (self->last_reply);
      self->last_reply = g_strdup (reply->text);
      if (reply->alert_id != NULL)
        {
          g_free (self->alert_id);
          self->alert_id = g_strdup (reply->alert_id);
        }
      if (reply->emergency)
        show_emergency (self, reply);
    }
  set_busy (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->message_entry));
}

/* Sends @text as if typed. */
void
rx_assistant_pane_ask (RxAssistantPane *self,
                       const char      *text)
{
  g_autofree char *clean = NULL;

  g_return_if_fail (RX_IS_ASSISTANT_PANE (self));

  clean = g_strstrip (g_strdup (text ? text : ""));
  if (self->session == NULL || self->busy || *clean == '\0')
    return;

  add_bubble (self, clean, TRUE, FALSE);
  clear_suggestions (self);
  gtk_editable_set_text (GTK_EDITABLE (self->message_entry), "");
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  rx_assistant_session_ask_async (self->session, clean, self->cancellable, asked_cb,
                                  g_object_ref (self));
}

/* Empties the conversation and the banner; the assistant forgets what was said. */
void
rx_assistant_pane_start_over (RxAssistantPane *self)
{
  GtkWidget *child;
  g_auto(GStrv) starters = NULL;

  g_return_if_fail (RX_IS_ASSISTANT_PANE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->messages_box))) != NULL)
    gtk_box_remove (self->messages_box, child);
  self->n_messages = 0;
  self->n_cards = 0;
  g_clear_pointer (&self->last_reply, g_free);
  g_clear_pointer (&self->alert_id, g_free);
  gtk_revealer_set_reveal_child (self->emergency_revealer, FALSE);
  if (self->emergency)
    {
      self->emergency = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMERGENCY]);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->message_entry), "");
  gtk_stack_set_visible_child_name (self->stack, "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.start-over", FALSE);
  if (self->session != NULL)
    {
      rx_assistant_session_reset (self->session);
      starters = rx_assistant_session_starters (self->session);
    }
  set_suggestions (self, starters);
  update_actions (self);
}

void
rx_assistant_pane_set_session (RxAssistantPane    *self,
                               RxAssistantSession *session)
{
  g_return_if_fail (RX_IS_ASSISTANT_PANE (self));
  g_return_if_fail (!session || RX_IS_ASSISTANT_SESSION (session));

  if (self->session == session)
    return;
  g_set_object (&self->session, session);
  rx_assistant_pane_start_over (self);
}

RxAssistantSession *
rx_assistant_pane_get_session (RxAssistantPane *self)
{
  g_return_val_if_fail (RX_IS_ASSISTANT_PANE (self), NULL);
  return self->session;
}

/* The conversation belongs to the person logged in: another person, a lock or a logout
 * ends it, so nobody reads what the one before asked. */
void
rx_assistant_pane_set_clinic (RxAssistantPane *self,
                              RxClinic        *clinic)
{
  RxUser *user = NULL;
  g_autoptr(RxAssistantSession) session = NULL;

  g_return_if_fail (RX_IS_ASSISTANT_PANE (self));
  g_return_if_fail (!clinic || RX_IS_CLINIC (clinic));

  if (clinic != NULL && !rx_clinic_get_locked (clinic))
    user = rx_clinic_get_user (clinic);
  if (user == NULL)
    clinic = NULL;
  if (clinic == self->clinic && user == self->user)
    return;

  g_set_object (&self->clinic, clinic);
  g_set_object (&self->user, user);
  if (clinic != NULL)
    session = rx_assistant_session_new (rx_clinic_get_path (clinic), user);
  rx_assistant_pane_set_session (self, session);
}

gboolean
rx_assistant_pane_get_busy (RxAssistantPane *self)
{
  g_return_val_if_fail (RX_IS_ASSISTANT_PANE (self), FALSE);
  return self->busy;
}

gboolean
rx_assistant_pane_get_empty (RxAssistantPane *self)
{
  g_return_val_if_fail (RX_IS_ASSISTANT_PANE (self), TRUE);
  return self->n_messages == 0;
}

const char *
rx_assistant_pane_get_last_reply (RxAssistantPane *self)
{
  g_return_val_if_fail (RX_IS_ASSISTANT_PANE (self), NULL);
  return self->last_reply;
}

/* The emergency alert this conversation raised, if any. */
const char *
rx_assistant_pane_get_alert_id (RxAssistantPane *self)
{
  g_return_val_if_fail (RX_IS_ASSISTANT_PANE (self), NULL);
  return self->alert_id;
}

guint
rx_assistant_pane_get_n_cards (RxAssistantPane *self)
{
  g_return_val_if_fail (RX_IS_ASSISTANT_PANE (self), 0);
  return self->n_cards;
}

gboolean
rx_assistant_pane_get_emergency (RxAssistantPane *self)
{
  g_return_val_if_fail (RX_IS_ASSISTANT_PANE (self), FALSE);
  return self->emergency;
}

void
rx_assistant_pane_focus_entry (RxAssistantPane *self)
{
  g_return_if_fail (RX_IS_ASSISTANT_PANE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->message_entry));
}

/* Template callbacks and actions -------------------------------------------------------- */

static void
entry_activate_cb (RxAssistantPane *self)
{
  rx_assistant_pane_ask (self, gtk_editable_get_text (GTK_EDITABLE (self->message_entry)));
}

static void
entry_changed_cb (RxAssistantPane *self)
{
  update_actions (self);
}

static void
send_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  entry_activate_cb (RX_ASSISTANT_PANE (widget));
}

static void
start_over_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  rx_assistant_pane_start_over (RX_ASSISTANT_PANE (widget));
}

static void
rx_assistant_pane_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (rx_assistant_pane_parent_class)->map (widget);
  rx_assistant_pane_focus_entry (RX_ASSISTANT_PANE (widget));
}

/* GObject ------------------------------------------------------------------------------- */

static void
rx_assistant_pane_dispose (GObject *object)
{
  RxAssistantPane *self = (RxAssistantPane *) object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->scroll_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
  self->scroll_tick = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), RX_TYPE_ASSISTANT_PANE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->session);
  g_clear_object (&self->clinic);
  g_clear_object (&self->user);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->last_reply, g_free);
  g_clear_pointer (&self->alert_id, g_free);

  G_OBJECT_CLASS (rx_assistant_pane_parent_class)->dispose (object);
}

static void
rx_assistant_pane_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RxAssistantPane *self = RX_ASSISTANT_PANE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_KIOSK:
      g_value_set_boolean (value, self->kiosk);
      break;

    case PROP_EMERGENCY:
      g_value_set_boolean (value, self->emergency);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_assistant_pane_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RxAssistantPane *self = RX_ASSISTANT_PANE (object);

  switch (prop_id)
    {
    case PROP_KIOSK:
      if (self->kiosk != g_value_get_boolean (value))
        {
          self->kiosk = g_value_get_boolean (value);
          gtk_widget_set_visible (self->pane_header, !self->kiosk);
          if (self->kiosk)
            gtk_widget_add_css_class (GTK_WIDGET (self), "rx-kiosk");
          else
            gtk_widget_remove_css_class (GTK_WIDGET (self), "rx-kiosk");
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rx_assistant_pane_class_init (RxAssistantPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rx_assistant_pane_dispose;
  object_class->get_property = rx_assistant_pane_get_property;
  object_class->set_property = rx_assistant_pane_set_property;
  widget_class->map = rx_assistant_pane_map;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Larger type, for a patients' terminal. */
  properties[PROP_KIOSK] =
    g_param_spec_boolean ("kiosk", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EMERGENCY] =
    g_param_spec_boolean ("emergency", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rxdesk/RxDesk/rx-assistant-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, RxAssistantPane, pane_header);
  gtk_widget_class_bind_template_child (widget_class, RxAssistantPane, emergency_revealer);
  gtk_widget_class_bind_template_child (widget_class, RxAssistantPane, emergency_title);
  gtk_widget_class_bind_template_child (widget_class, RxAssistantPane, emergency_steps);
  gtk_widget_class_bind_template_child (widget_class, RxAssistantPane, stack);
  gtk_widget_class_bind_template_child (widget_class, RxAssistantPane, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RxAssistantPane, scroller);
  gtk_widget_class_bind_template_child (widget_class, RxAssistantPane, messages_box);
  gtk_widget_class_bind_template_child (widget_class, RxAssistantPane, suggestions_box);
  gtk_widget_class_bind_template_child (widget_class, RxAssistantPane, message_entry);
  gtk_widget_class_bind_template_child (widget_class, RxAssistantPane, spinner);
  gtk_widget_class_bind_template_child (widget_class, RxAssistantPane, send_button);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);

  gtk_widget_class_install_action (widget_class, "assistant.send", NULL, send_activated);
  gtk_widget_class_install_action (widget_class, "assistant.start-over", NULL,
                                   start_over_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "rx-assistant-pane");
}

static void
rx_assistant_pane_init (RxAssistantPane *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Tests build the pane without installing the schema; they get the defaults. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, RX_SETTINGS_SCHEMA_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new (RX_SETTINGS_SCHEMA_ID);

  rx_assistant_pane_start_over (self);
}
