/* test-assistant.c: the assistant's faces on a copy of the demo clinic. At the home window's
 * side a doctor asks a price and gets it with a medicine card; at the kiosk a patient types
 * a red flag and sees the emergency banner, while a doctor logged in on the same clinic file
 * (another connection, as on another workstation) is told of the alert and acknowledges it;
 * the kiosk starts over on request and when left alone, and keeps a rating. Pictures of the
 * pane and the kiosk go to the build folder's screenshots/. */
#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rx-alert-monitor.h"
#include "rx-alert.h"
#include "rx-assistant-pane.h"
#include "rx-assistant-service.h"
#include "rx-clinic.h"
#include "rx-home-window.h"
#include "rx-kiosk-window.h"
#include "rx-test-util.h"
#include "rx-ui-test.h"

#define PASSWORD "demo-Staff-pass-9876"

static char *demo_path;   /* made once; each test works on a copy */

typedef struct
{
  char     *dir;
  char     *path;
  RxClinic *clinic;
} Fixture;

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
pane_idle (gpointer data)
{
  return !rx_assistant_pane_get_busy (data);
}

static gboolean
pane_empty (gpointer data)
{
  return rx_assistant_pane_get_empty (data);
}

static gboolean
kiosk_idle (gpointer data)
{
  return !rx_kiosk_window_get_busy (data);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  RxClinic **clinic = user_data;

  if (g_task_get_source_tag (G_TASK (result)) == rx_clinic_create_demo_async)
    *clinic = rx_clinic_create_demo_finish (result, &error);
  else
    *clinic = rx_clinic_open_finish (result, &error);
  g_assert_no_error (error);
}

static RxClinic *
open_clinic (const char *path)
{
  RxClinic *clinic = NULL;

  rx_clinic_open_async (path, NULL, opened_cb, &clinic);
  rx_ui_wait_for ("the clinic to open", rx_ui_is_set, &clinic);
  return clinic;
}

static void
logged_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rx_clinic_login_finish (RX_CLINIC (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
log_in (RxClinic   *clinic,
        const char *username)
{
  gboolean done = FALSE;

  rx_clinic_login_async (clinic, username, PASSWORD, NULL, logged_in_cb, &done);
  rx_ui_wait_for ("the login", rx_ui_is_true, &done);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GFile) source = g_file_new_for_path (demo_path);
  g_autoptr(GFile) dest = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = rx_test_make_dir ();
  f->path = g_build_filename (f->dir, "clinic.db", NULL);
  dest = g_file_new_for_path (f->path);
  g_file_copy (source, dest, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  f->clinic = open_clinic (f->path);
}

static void
drain (void)
{
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->clinic);
  drain ();
  rx_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* Runs the main loop for @ms milliseconds, whatever happens meanwhile. */
static gboolean
stop_running (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, stop_running, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Whether any label under @root shows @text. */
static gboolean
shows_text (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      strstr (gtk_label_get_label (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_tooltip (GtkWidget  *root,
              const char *tooltip)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (root), tooltip) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_tooltip (child, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Saves what @window shows now as screenshots/NAME.png in the build folder, for people to
 * look at; a window that has drawn nothing yet is waited for. */
static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?
                                           g_getenv ("G_TEST_BUILDDIR") : ".",
                                           "screenshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width, height;

  run_for (300);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

/* A query on the clinic's worker, the way the windows read. */
typedef struct
{
  const char *sql;
  gint64      count;
  gboolean    done;
} Count;

static gpointer
count_in_worker (RxDb          *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Count *count = data;

  count->count = rx_test_count (db, count->sql);
  return GINT_TO_POINTER (TRUE);
}

static void
counted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_assert_nonnull (rx_clinic_run_finish (RX_CLINIC (object), result, NULL));
  ((Count *) user_data)->done = TRUE;
}

static gint64
count (RxClinic   *clinic,
       const char *sql)
{
  Count c = { sql, -1, FALSE };

  rx_clinic_run_async (clinic, count_in_worker, &c, NULL, NULL, NULL, counted_cb, &c);
  rx_ui_wait_for (sql, rx_ui_is_true, &c.done);
  return c.count;
}

/* Pane ---------------------------------------------------------------------------------- */

static void
test_pane_price (Fixture       *f,
                 gconstpointer  data)
{
  RxHomeWindow *window = rx_home_window_new (NULL);
  RxAssistantPane *pane = RX_ASSISTANT_PANE (rx_home_window_get_assistant_pane (window));

  rx_home_window_set_clinic (window, f->clinic);
  gtk_window_present (GTK_WINDOW (window));
  /* Nobody logged in: nothing to ask with. */
  g_assert_null (rx_assistant_pane_get_session (pane));
  log_in (f->clinic, "kmensah");
  g_assert_nonnull (rx_assistant_pane_get_session (pane));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-assistant", NULL));
  rx_ui_wait_for ("the pane to show", widget_mapped, pane);
  g_assert_true (rx_assistant_pane_get_empty (pane));
  save_screenshot (GTK_WIDGET (window), "assistant-pane-empty");

  rx_assistant_pane_ask (pane, "how much is amoxicillin");
  g_assert_true (rx_assistant_pane_get_busy (pane));
  rx_ui_wait_for ("the answer", pane_idle, pane);
  run_for (100);
  save_screenshot (GTK_WIDGET (window), "assistant-pane");
  g_assert_nonnull (strstr (rx_assistant_pane_get_last_reply (pane), "0.60"));
  g_assert_cmpuint (rx_assistant_pane_get_n_cards (pane), >, 0);
  g_assert_true (shows_text (GTK_WIDGET (pane), "0.60 for 15 capsule"));
  g_assert_true (shows_text (GTK_WIDGET (pane), "in stock"));
  g_assert_false (rx_assistant_pane_get_emergency (pane));
  /* The next questions about it are offered. */
  g_assert_true (shows_text (GTK_WIDGET (pane), "Is amoxicillin in stock?"));

  /* Logging out ends the conversation: the next person does not read it. */
  rx_clinic_logout (f->clinic);
  run_for (100);
  g_assert_true (rx_assistant_pane_get_empty (pane));
  g_assert_null (rx_assistant_pane_get_session (pane));

  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
}

/* Kiosk --------------------------------------------------------------------------------- */

static gboolean
alert_listed (gpointer data)
{
  RxAlertMonitor *monitor = data;

  return g_list_model_get_n_items (rx_alert_monitor_get_alerts (monitor)) > 0;
}

static gboolean
alerts_cleared (gpointer data)
{
  RxAlertMonitor *monitor = data;

  return !rx_alert_monitor_get_busy (monitor) &&
         g_list_model_get_n_items (rx_alert_monitor_get_alerts (monitor)) == 0;
}

static void
test_kiosk_emergency (Fixture       *f,
                      gconstpointer  data)
{
  RxKioskWindow *kiosk = rx_kiosk_window_new (NULL);
  RxAssistantPane *pane = rx_kiosk_window_get_pane (kiosk);
  g_autoptr(RxClinic) doctor = open_clinic (f->path);
  g_autoptr(RxAlertMonitor) monitor = rx_alert_monitor_new (NULL, doctor);
  g_autoptr(RxAlert) alert = NULL;
  g_autofree char *sql = NULL;
  const char *alert_id;

  /* The clinic sets no number of its own: the workstation's setting is the one to call. */
  g_autoptr(GSettings) settings = g_settings_new ("org.rxdesk.RxDesk");

  g_settings_set_string (settings, "emergency-number", "999");
  /* The kiosk needs nobody logged in; the doctor's workstation hears only once they are. */
  rx_kiosk_window_set_clinic (kiosk, f->clinic);
  gtk_window_present (GTK_WINDOW (kiosk));
  g_assert_false (rx_alert_monitor_get_active (monitor));
  log_in (doctor, "kmensah");
  g_assert_true (rx_alert_monitor_get_active (monitor));
  rx_ui_wait_for ("the first read of the alerts", alerts_cleared, monitor);
  g_assert_cmpstr (rx_kiosk_window_get_page (kiosk), ==, "chat");

  rx_assistant_pane_ask (pane, "my father has crushing chest pain");
  rx_ui_wait_for ("the answer", kiosk_idle, kiosk);
  g_assert_true (rx_assistant_pane_get_emergency (pane));
  g_assert_true (shows_text (GTK_WIDGET (kiosk), "Call 999 now"));
  g_settings_reset (settings, "emergency-number");
  alert_id = rx_assistant_pane_get_alert_id (pane);
  g_assert_nonnull (alert_id);
  save_screenshot (GTK_WIDGET (kiosk), "kiosk");

  /* The alert is the kiosk's: stamped and audited as such. */
  sql = g_strdup_printf ("SELECT count(*) FROM alerts WHERE id = '%s' AND updated_by = 'kiosk' "
                         "AND kind = 'emergency' AND acknowledged_at IS NULL", alert_id);
  g_assert_cmpint (count (doctor, sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM audit_events WHERE entity_id = '%s' "
                         "AND actor = 'kiosk' AND action = 'create'", alert_id);
  g_assert_cmpint (count (doctor, sql), ==, 1);
  g_free (sql);

  /* The doctor's workstation finds it on its own within its polling interval. */
  rx_ui_wait_for ("the alert at the doctor's workstation", alert_listed, monitor);
  alert = g_list_model_get_item (rx_alert_monitor_get_alerts (monitor), 0);
  g_assert_cmpstr (rx_alert_get_id (alert), ==, alert_id);
  g_assert_nonnull (strstr (rx_alert_get_message (alert), "crushing chest pain"));

  rx_alert_monitor_acknowledge (monitor, alert_id);
  rx_ui_wait_for ("the acknowledgement", alerts_cleared, monitor);
  sql = g_strdup_printf ("SELECT count(*) FROM alerts a JOIN users u ON u.id = a.acknowledged_by "
                         "WHERE a.id = '%s' AND u.username = 'kmensah'", alert_id);
  g_assert_cmpint (count (doctor, sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM audit_events WHERE entity_id = '%s' "
                         "AND action = 'acknowledge'", alert_id);
  g_assert_cmpint (count (doctor, sql), ==, 1);

  /* Start Over clears the banner and the conversation for the next person. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (kiosk), "kiosk.start-over", NULL));
  g_assert_true (rx_assistant_pane_get_empty (pane));
  g_assert_false (rx_assistant_pane_get_emergency (pane));

  gtk_window_destroy (GTK_WINDOW (kiosk));
  g_clear_object (&monitor);
  drain ();
}

static void
test_kiosk_idle_and_rating (Fixture       *f,
                            gconstpointer  data)
{
  RxKioskWindow *kiosk = rx_kiosk_window_new (NULL);
  RxAssistantPane *pane = rx_kiosk_window_get_pane (kiosk);
  gint64 before;
  GtkWidget *star;

  rx_kiosk_window_set_clinic (kiosk, f->clinic);
  rx_kiosk_window_set_idle_seconds (kiosk, 600);
  gtk_window_present (GTK_WINDOW (kiosk));

  rx_assistant_pane_ask (pane, "is paracetamol in stock");
  rx_ui_wait_for ("the answer", kiosk_idle, kiosk);
  g_assert_false (rx_assistant_pane_get_empty (pane));
  save_screenshot (GTK_WIDGET (kiosk), "kiosk-medicine");
  rx_kiosk_window_set_idle_seconds (kiosk, 1);
  /* Left alone, it forgets. */
  rx_ui_wait_for ("the idle reset", pane_empty, pane);

  /* A rating with a comment is kept as a patient's feedback on the app. */
  before = count (f->clinic, "SELECT count(*) FROM feedback WHERE author_kind = 'patient'");
  rx_kiosk_window_set_idle_seconds (kiosk, 600);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (kiosk), "kiosk.rate", NULL));
  g_assert_cmpstr (rx_kiosk_window_get_page (kiosk), ==, "rate");
  star = find_tooltip (GTK_WIDGET (kiosk), "4 stars");
  g_assert_nonnull (star);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (star), TRUE);
  save_screenshot (GTK_WIDGET (kiosk), "kiosk-rating");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (kiosk), "kiosk.send-rating", NULL));
  rx_ui_wait_for ("the rating", kiosk_idle, kiosk);
  g_assert_cmpstr (rx_kiosk_window_get_page (kiosk), ==, "chat");
  g_assert_cmpint (count (f->clinic, "SELECT count(*) FROM feedback WHERE author_kind = 'patient' "
                                     "AND rating = 4 AND about_kind = 'app'"), ==, before + 1);

  gtk_window_destroy (GTK_WINDOW (kiosk));
  drain ();
}

/* Outside service ------------------------------------------------------------------------ */

/* A stand-in for an OpenAI-compatible service on this computer: it keeps each request and
 * answers with a fixed completion, or fails when told to. */
typedef struct
{
  guint     requests;
  char     *last_body;
  gboolean  fail;
} Service;

static void
service_cb (SoupServer        *server,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Service *service = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (message);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  static const char answer[] =
    "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
    "\"message\":{\"role\":\"assistant\",\"content\":\"We open at eight.\"},"
    "\"finish_reason\":\"stop\"}]}";

  service->requests++;
  g_free (service->last_body);
  service->last_body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_cmpstr (path, ==, "/v1/chat/completions");
  g_assert_cmpstr (soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                 "Content-Type"), ==, "application/json");
  if (service->fail)
    {
      soup_server_message_set_status (message, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC,
                                    answer, strlen (answer));
}

typedef struct
{
  RxAssistantReply *reply;
} Asked;

static void
session_asked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Asked *asked = user_data;

  asked->reply = rx_assistant_session_ask_finish (RX_ASSISTANT_SESSION (object), result, &error);
  g_assert_no_error (error);
}

static RxAssistantReply *
session_ask (RxAssistantSession *session,
             const char         *text)
{
  Asked asked = { NULL };

  rx_assistant_session_ask_async (session, text, NULL, session_asked_cb, &asked);
  rx_ui_wait_for (text, rx_ui_is_set, &asked.reply);
  return asked.reply;
}

static void
test_outside_service (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(RxAssistantSession) session = rx_assistant_session_new_kiosk (f->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autofree char *url = NULL;
  Service service = { 0 };
  RxAssistantReply *reply;
  GSList *uris;
  JsonArray *messages;

  soup_server_add_handler (server, "/v1/chat/completions", service_cb, &service, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d/v1", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  rx_assistant_session_set_service (session, url, "clinic-model");

  /* What the engine does not understand goes out, with the clinic's facts. */
  reply = session_ask (session, "what are your opening hours");
  g_assert_true (reply->external);
  g_assert_true (g_str_has_prefix (reply->text, "We open at eight."));
  g_assert_nonnull (strstr (reply->text, "outside AI service"));
  g_assert_cmpuint (service.requests, ==, 1);
  request = json_from_string (service.last_body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (request), "model"), ==,
                   "clinic-model");
  messages = json_object_get_array_member (json_node_get_object (request), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_array_get_object_element (messages, 0), "content"), "Facts:"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1),
                                                  "content"), ==, "what are your opening hours");
  rx_assistant_reply_free (reply);

  /* What the engine answers, and every red flag, stay inside. */
  reply = session_ask (session, "how much is amoxicillin");
  g_assert_false (reply->external);
  rx_assistant_reply_free (reply);
  reply = session_ask (session, "what should I do, my father has crushing chest pain");
  g_assert_true (reply->emergency);
  g_assert_false (reply->external);
  rx_assistant_reply_free (reply);
  g_assert_cmpuint (service.requests, ==, 1);

  /* A service that fails leaves the engine's own answer. */
  service.fail = TRUE;
  reply = session_ask (session, "tell me a joke about penguins");
  g_assert_false (reply->external);
  g_assert_nonnull (strstr (reply->text, "did not understand"));
  g_assert_cmpuint (service.requests, ==, 2);
  rx_assistant_reply_free (reply);

  /* People's words go over HTTPS, or stay on this computer. */
  g_assert_true (rx_assistant_service_check_url ("https://ai.example.org/v1", NULL));
  g_assert_true (rx_assistant_service_check_url ("http://localhost:8080/v1", NULL));
  g_assert_false (rx_assistant_service_check_url ("http://ai.example.org/v1", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);

  g_free (service.last_body);
  g_clear_object (&session);
  drain ();
}

/* Quick replies follow the answer: the next questions about a medicine, the alternatives it
 * named; a new conversation offers the starters again. */
static void
test_suggestions (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(RxAssistantSession) session = rx_assistant_session_new_kiosk (f->path);
  RxAssistantReply *reply;

  reply = session_ask (session, "alternatives to amoxicillin");
  g_assert_cmpstr (reply->intent, ==, "alternatives");
  g_assert_true (g_strv_contains ((const char * const *) reply->suggestions,
                                  "What is pivmecillinam for?"));
  g_assert_true (g_strv_contains ((const char * const *) reply->suggestions,
                                  "How much is amoxicillin?"));
  g_assert_false (g_strv_contains ((const char * const *) reply->suggestions,
                                   "Alternatives to amoxicillin"));
  rx_assistant_reply_free (reply);

  /* "it" is still amoxicillin, until the conversation starts over. */
  reply = session_ask (session, "how much is it");
  g_assert_cmpstr (reply->intent, ==, "price");
  g_assert_nonnull (strstr (reply->text, "amoxicillin"));
  rx_assistant_reply_free (reply);
  rx_assistant_session_reset (session);
  reply = session_ask (session, "how much is it");
  g_assert_null (strstr (reply->text, "amoxicillin"));
  rx_assistant_reply_free (reply);

  g_clear_object (&session);
  drain ();
}

static void
make_demo (void)
{
  g_autofree char *dir = rx_test_make_dir ();
  RxClinic *clinic = NULL;

  demo_path = g_build_filename (dir, "demo.db", NULL);
  rx_clinic_create_demo_async (demo_path, PASSWORD, NULL, opened_cb, &clinic);
  rx_ui_wait_for ("the demo clinic", rx_ui_is_set, &clinic);
  g_object_unref (clinic);
  drain ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring = NULL;
  g_autofree char *demo_dir = NULL;
  g_autoptr(GtkCssProvider) css = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display to open a window on\n");
      return 0;
    }

  keyring = rx_test_use_private_keyring ();
  gtk_init ();
  adw_init ();
  /* The application loads its style sheet; the pictures should look like it. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/org/rxdesk/RxDesk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  make_demo ();
  demo_dir = g_path_get_dirname (demo_path);

  g_test_add ("/ui/assistant/pane-price", Fixture, NULL,
              fixture_setup, test_pane_price, fixture_teardown);
  g_test_add ("/ui/assistant/kiosk-emergency-notifies-doctor", Fixture, NULL,
              fixture_setup, test_kiosk_emergency, fixture_teardown);
  g_test_add ("/ui/assistant/kiosk-idle-and-rating", Fixture, NULL,
              fixture_setup, test_kiosk_idle_and_rating, fixture_teardown);
  g_test_add ("/ui/assistant/suggestions", Fixture, NULL,
              fixture_setup, test_suggestions, fixture_teardown);
  g_test_add ("/ui/assistant/outside-service", Fixture, NULL,
              fixture_setup, test_outside_service, fixture_teardown);

  status = g_test_run ();
  rx_test_remove_dir (demo_dir);
  rx_test_remove_dir (keyring);
  g_free (demo_path);

  return status;
}
