/* test-order.c: medicine orders: placing them, their items and events, the status path and
 * what is refused. */
#include "config.h"

#include "rx-test-fixtures.h"

typedef struct
{
  RxTestClinic  clinic;
  RxDb         *db;
  gint64        now;
  char         *patient;
  char         *other_patient;
  char         *doctor;
  char         *para;
  char         *ors;
  char         *amoxi;   /* prescription only */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  rx_test_clinic_setup (&f->clinic, data);
  f->db = f->clinic.db;
  f->now = rx_test_usec ("2031-05-01T08:00:00Z");
  rx_db_set_clock (f->db, rx_test_fixed_clock, &f->now);
  f->patient = rx_test_add_patient (f->db, "Diallo");
  f->other_patient = rx_test_add_patient (f->db, "Nwosu");
  f->doctor = rx_test_add_user (f->db, "drphiri", "doctor");
  f->para = rx_test_add_product (f->db, "PARA500", FALSE);
  f->ors = rx_test_add_product (f->db, "ORS", FALSE);
  f->amoxi = rx_test_add_product (f->db, "AMOX500", TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->patient);
  g_free (f->other_patient);
  g_free (f->doctor);
  g_free (f->para);
  g_free (f->ors);
  g_free (f->amoxi);
  rx_test_clinic_teardown (&f->clinic, data);
}

static RxOrder *
place (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  RxOrderItem items[] = { { f->para, 2 }, { f->ors, 10 } };
  RxOrder *order = rx_orders_place (f->db, f->patient, "assistant", NULL, items,
                                    G_N_ELEMENTS (items), "12 Harbour Road", &error);

  g_assert_no_error (error);
  g_assert_nonnull (order);
  return order;
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxOrder) order = place (f);
  g_autoptr(RxOrder) again = NULL;
  g_autoptr(RxOrder) newest = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autofree char *channel = NULL;
  RxOrderLine *line;
  RxOrderEvent *event;

  g_assert_cmpstr (rx_order_get_patient_id (order), ==, f->patient);
  g_assert_cmpstr (rx_order_get_channel (order), ==, "assistant");
  g_assert_cmpstr (rx_order_get_status (order), ==, "placed");
  g_assert_cmpstr (rx_order_get_delivery_address (order), ==, "12 Harbour Road");
  g_assert_null (rx_order_get_prescription_id (order));
  g_assert_cmpstr (rx_order_get_created_at (order), ==, "2031-05-01T08:00:00.000Z");

  again = rx_orders_get (f->db, rx_order_get_id (order), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rx_order_get_items (again)->len, ==, 2);
  line = g_ptr_array_index (rx_order_get_items (again), 0);
  g_assert_cmpstr (line->product_id, ==, f->para);
  g_assert_cmpint (line->quantity, ==, 2);
  line = g_ptr_array_index (rx_order_get_items (again), 1);
  g_assert_cmpstr (line->product_id, ==, f->ors);
  g_assert_cmpint (line->quantity, ==, 10);
  g_assert_cmpuint (rx_order_get_events (again)->len, ==, 1);
  event = g_ptr_array_index (rx_order_get_events (again), 0);
  g_assert_cmpstr (event->status, ==, "placed");
  g_object_get (again, "channel", &channel, NULL);
  g_assert_cmpstr (channel, ==, "assistant");

  /* a counter order to collect, later: listed first */
  f->now += G_USEC_PER_SEC;
  {
    g_autoptr(RxOrder) pickup = NULL;
    RxOrderItem one[] = { { f->ors, 1 } };

    pickup = rx_orders_place (f->db, f->patient, "counter", NULL, one, 1, "  ", &error);
    g_assert_no_error (error);
    g_assert_null (rx_order_get_delivery_address (pickup));
  }
  list = rx_orders_list_for_patient (f->db, f->patient, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  newest = g_list_model_get_item (list, 0);
  g_assert_cmpstr (rx_order_get_channel (newest), ==, "counter");
  g_assert_cmpuint (rx_order_get_items (newest)->len, ==, 1);
  g_clear_object (&list);
  list = rx_orders_list_for_patient (f->db, f->other_patient, &error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);

  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM change_log "
                                         "WHERE entity = 'medicine_order_items'"), ==, 3);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events WHERE "
                                         "entity = 'medicine_orders' AND action = 'create'"),
                   ==, 2);
}

/* Every step of the path is an event, oldest first, even when they share a timestamp. */
static void
test_full_path (Fixture       *f,
                gconstpointer  data)
{
  const char *path[] = { "verified", "packed", "out_for_delivery", "delivered" };
  g_autoptr(GError) error = NULL;
  g_autoptr(RxOrder) order = place (f);
  g_autoptr(RxOrder) done = NULL;
  const char *id = rx_order_get_id (order);
  GPtrArray *events;

  for (guint i = 0; i < G_N_ELEMENTS (path); i++)
    {
      g_autoptr(RxOrder) now = NULL;

      g_assert_true (rx_orders_advance (f->db, id, path[i], i == 0 ? "checked by NK" : NULL,
                                        &error));
      g_assert_no_error (error);
      now = rx_orders_get (f->db, id, &error);
      g_assert_cmpstr (rx_order_get_status (now), ==, path[i]);
    }

  done = rx_orders_get (f->db, id, &error);
  events = rx_order_get_events (done);
  g_assert_cmpuint (events->len, ==, 5);
  g_assert_cmpstr (((RxOrderEvent *) events->pdata[0])->status, ==, "placed");
  for (guint i = 0; i < G_N_ELEMENTS (path); i++)
    g_assert_cmpstr (((RxOrderEvent *) events->pdata[i + 1])->status, ==, path[i]);
  g_assert_cmpstr (((RxOrderEvent *) events->pdata[1])->note, ==, "checked by NK");
  g_assert_null (((RxOrderEvent *) events->pdata[2])->note);

  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM audit_events WHERE "
                                         "entity = 'medicine_orders' AND action = 'status'"),
                   ==, 4);
}

static void
expect_advance (Fixture    *f,
                const char *id,
                const char *to,
                gboolean    allowed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = rx_test_snapshot (f->db);

  if (allowed)
    {
      g_assert_true (rx_orders_advance (f->db, id, to, NULL, &error));
      g_assert_no_error (error);
      return;
    }

  g_assert_false (rx_orders_advance (f->db, id, to, "no", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION);
  rx_test_assert_unchanged (f->db, before);
}

static void
test_status_machine (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxOrder) a = place (f);
  g_autoptr(RxOrder) b = place (f);
  g_autoptr(RxOrder) c = place (f);
  g_autoptr(RxOrder) d = place (f);
  g_autofree char *before = NULL;

  /* no skipping, no going back, nothing after the end */
  expect_advance (f, rx_order_get_id (a), "packed", FALSE);
  expect_advance (f, rx_order_get_id (a), "delivered", FALSE);
  expect_advance (f, rx_order_get_id (a), "placed", FALSE);
  expect_advance (f, rx_order_get_id (a), "shipped", FALSE);
  expect_advance (f, rx_order_get_id (a), "cancelled", TRUE);
  expect_advance (f, rx_order_get_id (a), "verified", FALSE);

  expect_advance (f, rx_order_get_id (b), "verified", TRUE);
  expect_advance (f, rx_order_get_id (b), "placed", FALSE);
  expect_advance (f, rx_order_get_id (b), "cancelled", TRUE);

  expect_advance (f, rx_order_get_id (c), "verified", TRUE);
  expect_advance (f, rx_order_get_id (c), "packed", TRUE);
  expect_advance (f, rx_order_get_id (c), "cancelled", TRUE);

  expect_advance (f, rx_order_get_id (d), "verified", TRUE);
  expect_advance (f, rx_order_get_id (d), "packed", TRUE);
  expect_advance (f, rx_order_get_id (d), "out_for_delivery", TRUE);
  expect_advance (f, rx_order_get_id (d), "cancelled", FALSE);   /* it has left */
  expect_advance (f, rx_order_get_id (d), "delivered", TRUE);
  expect_advance (f, rx_order_get_id (d), "cancelled", FALSE);

  before = rx_test_snapshot (f->db);
  g_assert_false (rx_orders_advance (f->db, "no-such-order", "verified", NULL, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (rx_orders_advance (f->db, rx_order_get_id (d), "verified", "\x01", &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_INVALID);
  rx_test_assert_unchanged (f->db, before);
}

static void
expect_place_refused (Fixture           *f,
                      const char        *patient,
                      const char        *channel,
                      const char        *prescription,
                      const RxOrderItem *items,
                      guint              n_items,
                      int                code,
                      const char        *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = rx_test_snapshot (f->db);
  g_autoptr(RxOrder) order = rx_orders_place (f->db, patient, channel, prescription, items,
                                              n_items, NULL, &error);

  g_assert_null (order);
  rx_test_assert_error_says (error, code, words);
  rx_test_assert_unchanged (f->db, before);
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxOrder) with_rx = NULL;
  g_autofree char *signed_rx = rx_test_add_prescription (f->db, f->patient, f->doctor,
                                                         "signed");
  g_autofree char *draft_rx = rx_test_add_prescription (f->db, f->patient, f->doctor, "draft");
  g_autofree char *others_rx = rx_test_add_prescription (f->db, f->other_patient, f->doctor,
                                                         "signed");
  RxOrderItem ok[] = { { f->para, 1 } };
  RxOrderItem unknown[] = { { f->para, 1 }, { "no-such-product", 1 } };
  RxOrderItem zero[] = { { f->para, 0 } };
  RxOrderItem negative[] = { { f->para, -3 } };
  RxOrderItem huge[] = { { f->para, 10001 } };
  RxOrderItem twice[] = { { f->para, 1 }, { f->ors, 1 }, { f->para, 2 } };
  RxOrderItem rx_only[] = { { f->amoxi, 21 } };
  RxOrderItem no_product[] = { { NULL, 1 } };

  expect_place_refused (f, f->patient, "counter", NULL, unknown, 2,
                        RX_CORE_ERROR_NOT_FOUND, "no-such-product");
  expect_place_refused (f, f->patient, "counter", NULL, no_product, 1,
                        RX_CORE_ERROR_INVALID, "product");
  expect_place_refused (f, f->patient, "counter", NULL, zero, 1,
                        RX_CORE_ERROR_INVALID, "between 1 and");
  expect_place_refused (f, f->patient, "counter", NULL, negative, 1,
                        RX_CORE_ERROR_INVALID, "between 1 and");
  expect_place_refused (f, f->patient, "counter", NULL, huge, 1,
                        RX_CORE_ERROR_INVALID, "between 1 and");
  expect_place_refused (f, f->patient, "counter", NULL, twice, 3,
                        RX_CORE_ERROR_INVALID, "Item 3 repeats");
  expect_place_refused (f, f->patient, "counter", NULL, ok, 0,
                        RX_CORE_ERROR_INVALID, "1 to 50 items");
  expect_place_refused (f, f->patient, "counter", NULL, NULL, 0,
                        RX_CORE_ERROR_INVALID, "1 to 50 items");
  expect_place_refused (f, f->patient, "email", NULL, ok, 1,
                        RX_CORE_ERROR_INVALID, "assistant, counter, phone");
  expect_place_refused (f, "no-such-patient", "counter", NULL, ok, 1,
                        RX_CORE_ERROR_NOT_FOUND, "patient");
  expect_place_refused (f, f->patient, "counter", NULL, rx_only, 1,
                        RX_CORE_ERROR_INVALID, "prescription-only");
  expect_place_refused (f, f->patient, "counter", draft_rx, rx_only, 1,
                        RX_CORE_ERROR_INVALID, "draft");
  expect_place_refused (f, f->patient, "counter", others_rx, rx_only, 1,
                        RX_CORE_ERROR_INVALID, "another patient");
  expect_place_refused (f, f->patient, "counter", "no-such-rx", rx_only, 1,
                        RX_CORE_ERROR_NOT_FOUND, "prescription");

  with_rx = rx_orders_place (f->db, f->patient, "phone", signed_rx, rx_only, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rx_order_get_prescription_id (with_rx), ==, signed_rx);

  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM medicine_orders"), ==, 1);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM medicine_order_items"), ==, 1);
  g_assert_cmpint (rx_test_count (f->db, "SELECT count(*) FROM order_events"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ORDER_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ORDER_TEST ("/core/order/round-trip", test_round_trip);
  ORDER_TEST ("/core/order/full-path", test_full_path);
  ORDER_TEST ("/core/order/status-machine", test_status_machine);
  ORDER_TEST ("/core/order/validation", test_validation);

  return g_test_run ();
}
