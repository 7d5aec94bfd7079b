/* test-user-admin.c: the administrator's view of accounts: summaries, unlocking (audited, not
 * for a disabled account), and prescriber statistics. */
#include "config.h"

#include "rx-test-fixtures.h"

static void
test_summaries_and_unlock (RxTestClinic  *clinic,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) nurse = rx_users_add (clinic->db, "pnurse", "Pat Nurse",
                                          RX_ROLE_RECEPTIONIST, "a long enough password",
                                          &error);
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(RxUser) wrong = NULL;
  RxUserSummary *s = NULL;

  g_assert_no_error (error);

  /* ten failed logins make them wait */
  for (guint i = 0; i < 10; i++)
    {
      wrong = rx_users_authenticate (clinic->db, "pnurse", "not the password", NULL);
      g_assert_null (wrong);
    }
  g_assert_cmpint (rx_users_login_wait (clinic->db, "pnurse"), >, 0);

  summaries = rx_users_summarize (clinic->db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < summaries->len; i++)
    if (g_strcmp0 (rx_user_get_username (((RxUserSummary *) summaries->pdata[i])->user),
                   "pnurse") == 0)
      s = summaries->pdata[i];
  g_assert_nonnull (s);
  g_assert_true (s->login_throttled);
  g_assert_false (s->totp_enrolled);
  g_assert_null (s->last_login);
  g_assert_null (s->cert_not_after);

  g_assert_true (rx_users_unlock (clinic->db, rx_user_get_id (nurse), &error));
  g_assert_no_error (error);
  g_assert_cmpint (rx_users_login_wait (clinic->db, "pnurse"), ==, 0);
  g_assert_cmpint (rx_test_count (clinic->db, "SELECT count(*) FROM audit_events "
                                  "WHERE action = 'unlock'"), ==, 1);

  g_clear_object (&wrong);
  wrong = rx_users_authenticate (clinic->db, "pnurse", "a long enough password", &error);
  g_assert_no_error (error);
  g_assert_nonnull (wrong);
  g_clear_pointer (&summaries, g_ptr_array_unref);
  summaries = rx_users_summarize (clinic->db, &error);
  for (guint i = 0; i < summaries->len; i++)
    if (g_strcmp0 (rx_user_get_username (((RxUserSummary *) summaries->pdata[i])->user),
                   "pnurse") == 0)
      g_assert_nonnull (((RxUserSummary *) summaries->pdata[i])->last_login);

  /* disabled is a decision: unlocking does not undo it */
  g_assert_true (rx_users_disable (clinic->db, rx_user_get_id (nurse), &error));
  g_assert_false (rx_users_unlock (clinic->db, rx_user_get_id (nurse), &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_TRANSITION);
}

static void
test_needs_admin (RxTestClinic  *clinic,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = rx_test_add_user (clinic->db, "tnguyen", "receptionist");
  g_autoptr(RxUser) user = rx_users_find (clinic->db, id, &error);
  g_autoptr(GPtrArray) summaries = NULL;
  g_autofree char *before = rx_test_snapshot (clinic->db);

  rx_db_set_user (clinic->db, user);
  summaries = rx_users_summarize (clinic->db, &error);
  g_assert_null (summaries);
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (rx_users_unlock (clinic->db, id, &error));
  g_assert_error (error, RX_CORE_ERROR, RX_CORE_ERROR_PERMISSION);
  rx_db_set_user (clinic->db, NULL);
  rx_test_assert_unchanged (clinic->db, before);
}

static void
test_prescriber_stats (RxTestClinic  *clinic,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *busy = rx_test_add_user (clinic->db, "kmensah", "doctor");
  g_autofree char *quiet = rx_test_add_user (clinic->db, "alee", "doctor");
  g_autofree char *patient = rx_test_add_patient (clinic->db, "Doe");
  g_autoptr(GPtrArray) stats = NULL;

  for (guint i = 0; i < 3; i++)
    g_free (rx_test_add_prescription (clinic->db, patient, busy, "signed"));
  g_free (rx_test_add_prescription (clinic->db, patient, quiet, "draft"));

  stats = rx_users_prescriber_stats (clinic->db, NULL, NULL, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->len, ==, 2);
  g_assert_cmpstr (((RxPrescriberStats *) stats->pdata[0])->user_id, ==, busy);
  g_assert_cmpuint (((RxPrescriberStats *) stats->pdata[0])->signed_count, ==, 3);
  g_assert_cmpstr (((RxPrescriberStats *) stats->pdata[1])->user_id, ==, quiet);
  g_assert_cmpuint (((RxPrescriberStats *) stats->pdata[1])->signed_count, ==, 0);
  g_assert_cmpstr (((RxPrescriberStats *) stats->pdata[1])->top_medicines, ==, "");
}

/* A password an admin set is the user's to replace at the next login; their own clears it. */
static void
test_reset_forces_change (RxTestClinic  *clinic,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RxUser) admin = rx_users_add (clinic->db, "ayusuf", "Amina Yusuf", RX_ROLE_ADMIN,
                                          "an admin's long phrase", &error);
  g_autoptr(RxUser) nurse = rx_users_add (clinic->db, "pnurse", "Pat Nurse",
                                          RX_ROLE_RECEPTIONIST, "a long enough password",
                                          &error);
  g_autoptr(RxUser) again = NULL;

  g_assert_no_error (error);
  g_assert_false (rx_user_get_must_change_password (nurse));

  rx_db_set_user (clinic->db, admin);
  g_assert_true (rx_users_set_password (clinic->db, rx_user_get_id (nurse),
                                        "a temporary phrase 1", &error));
  g_assert_no_error (error);
  again = rx_users_authenticate (clinic->db, "pnurse", "a temporary phrase 1", &error);
  g_assert_no_error (error);
  g_assert_true (rx_user_get_must_change_password (again));

  rx_db_set_user (clinic->db, again);
  g_assert_true (rx_users_set_password (clinic->db, rx_user_get_id (again),
                                        "my very own phrase", &error));
  g_clear_object (&again);
  again = rx_users_find (clinic->db, "pnurse", &error);
  g_assert_false (rx_user_get_must_change_password (again));
  rx_db_set_user (clinic->db, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define CLINIC_TEST(path, func) \
  g_test_add (path, RxTestClinic, NULL, rx_test_clinic_setup, func, rx_test_clinic_teardown)

  CLINIC_TEST ("/core/user-admin/summaries-and-unlock", test_summaries_and_unlock);
  CLINIC_TEST ("/core/user-admin/needs-admin", test_needs_admin);
  CLINIC_TEST ("/core/user-admin/prescriber-stats", test_prescriber_stats);
  CLINIC_TEST ("/core/user-admin/reset-forces-change", test_reset_forces_change);

  return g_test_run ();
}
