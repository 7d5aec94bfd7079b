/* rx-billing-window-private.h: RxBillingWindow's fields, shared by rx-billing-window.c
 * (session and the till), rx-billing-window-records.c (invoices, refunds, the Z report)
 * and rx-billing-window-actions.c (actions, shortcuts, input). */
#pragma once

#include "rx-billing-window.h"
#include "rx-lock-page.h"

G_BEGIN_DECLS

/* Searches are audited, so typing waits for a pause and asks only with this much to go on. */
#define RX_BILLING_SEARCH_MIN_CHARS 2
/* The invoices page lists this many of the latest. */
#define RX_BILLING_INVOICE_LIMIT 200

struct _RxBillingWindow
{
  AdwApplicationWindow  parent_instance;

  RxClinic             *clinic;
  RxUser               *user;          /* who opened it: anyone else, or nobody, closes it */
  GSettings            *settings;
  char                 *currency;
  guint                 digits;
  char                 *till;
  RxSale               *sale;

  GCancellable         *search;        /* the product search or scan in flight */
  char                 *searched;
  gboolean              add_when_found; /* Enter came before the search's answer */
  GCancellable         *pending_load;
  GCancellable         *invoices_load;
  GCancellable         *detail_load;
  GCancellable         *report_load;
  GCancellable         *writing;       /* a refund */
  GPtrArray            *found;         /* of TillProduct, as listed */
  GPtrArray            *pending;       /* of RxBillingPending, as listed */
  GListModel           *invoices;      /* the latest invoices and credit notes */
  RxInvoice            *shown;         /* with its lines and payments */
  char                 *shown_patient;
  GArray               *refundable;    /* of gint64: per line of the shown invoice */
  RxDailyReport        *report;
  char                 *ledger_problem; /* why the invoice chain does not verify, or NULL */
  gboolean              stale;         /* a sale or refund since the lists were read */
  GtkWindow            *dialog;        /* the payment or refund dialog, while open */

  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  GtkStack             *main_stack;
  GtkWidget            *billing_page;
  RxLockPage           *lock_page;
  AdwViewStack         *view_stack;
  GtkSearchEntry       *scan_entry;
  GtkStack             *product_stack;
  GtkListBox           *product_list;
  AdwStatusPage        *product_message_page;
  GtkStack             *pending_stack;
  GtkLabel             *pending_label;
  GtkListBox           *pending_list;
  GtkLabel             *sale_title;
  GtkStack             *lines_stack;
  GtkListBox           *lines_list;
  GtkGrid              *totals_grid;
  GtkWidget            *pay_button;
  GtkSearchEntry       *invoice_search;
  GtkStack             *invoices_stack;
  GtkListBox           *invoice_list;
  AdwStatusPage        *invoices_message_page;
  GtkStack             *detail_stack;
  GtkLabel             *detail_title;
  GtkLabel             *detail_subtitle;
  GtkListBox           *detail_lines;
  GtkListBox           *detail_payments;
  GtkLabel             *detail_ledger;
  GtkWidget            *refund_button;
  GtkLabel             *closing_title;
  GtkStack             *closing_stack;
  AdwStatusPage        *closing_error_page;
  GtkLabel             *expected_label;
  AdwEntryRow          *counted_row;
  GtkLabel             *difference_label;
  GtkListBox           *sales_list;
  GtkListBox           *methods_list;
  GtkListBox           *rates_list;
};

/* A patient's open invoice, waiting at the till. */
typedef struct
{
  RxInvoice *invoice;
  char      *patient_name;
} RxBillingPending;

void      _rx_billing_window_notify_busy       (RxBillingWindow  *self);
void      _rx_billing_window_update_actions    (RxBillingWindow  *self);
void      _rx_billing_window_toast             (RxBillingWindow  *self,
                                                const char       *message);
void      _rx_billing_window_report            (GtkWindow        *window,
                                                const char       *message);
char     *_rx_billing_window_money             (RxBillingWindow  *self,
                                                gint64            minor);
void      _rx_billing_window_set_work          (RxBillingWindow  *self,
                                                GCancellable    **slot,
                                                GCancellable     *cancellable);
void      _rx_billing_window_clear_list        (GtkListBox       *list);
GtkWidget *_rx_billing_window_amount_row       (const char       *title,
                                                const char       *subtitle,
                                                const char       *amount,
                                                gboolean          strong);
gint64    _rx_billing_window_refundable_count (RxBillingWindow *self);
void      _rx_billing_window_load_pending      (RxBillingWindow  *self);
void      _rx_billing_window_load_invoices     (RxBillingWindow  *self);
void      _rx_billing_window_load_report       (RxBillingWindow  *self);
void      _rx_billing_window_records_stop      (RxBillingWindow  *self);
void      _rx_billing_window_class_add_records (GtkWidgetClass   *widget_class);
void      _rx_billing_window_class_add_actions (GtkWidgetClass   *widget_class);
void      _rx_billing_window_add_input         (RxBillingWindow  *self);

G_END_DECLS
