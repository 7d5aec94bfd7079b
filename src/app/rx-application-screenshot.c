/* rx-application-screenshot.c: --screenshot DIR saves a picture of the window once it has
 * settled (clinic open, logged in if asked, first searches back), then one of each window
 * the person logged in may open from it (reception.png, prescriptions.png...), then quits. */
#define G_LOG_DOMAIN "rx-app"

#include "config.h"

#include <errno.h>

#include "rx-application-private.h"
#include "rx-window-kind.h"

/* Longest wait for --screenshot; making the demo clinic is the slow part. */
#define SCREENSHOT_TIMEOUT_SECONDS 120

static void window_settled_cb (RxApplication *self);

/* The window being pictured now, and the file it goes to. */
static GtkWidget *
screenshot_target (RxApplication  *self,
                   const char    **name)
{
  if (self->kiosk_window != NULL)
    {
      *name = "kiosk";
      return GTK_WIDGET (self->kiosk_window);
    }
  if (self->screenshot_window != NULL)
    {
      *name = rx_window_kind_get_info (self->screenshot_kind)->name;
      return self->screenshot_window;
    }

  *name = "home";
  return GTK_WIDGET (_rx_application_ensure_window (self));
}

static gboolean
target_busy (GtkWidget *window)
{
  return rx_window_get_busy (GTK_WINDOW (window));
}

/* After the home window: each window this person may open, in the tiles' order. */
static gboolean
next_window (RxApplication *self)
{
  RxHomeWindow *home;
  GtkWindow *window = NULL;

  /* The kiosk is the only window there is. */
  if (self->kiosk_window != NULL)
    return FALSE;
  home = _rx_application_ensure_window (self);
  if (self->screenshot_window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->screenshot_window),
                                    (gpointer *) &self->screenshot_window);
      self->screenshot_window = NULL;
      self->screenshot_kind++;
    }

  for (; window == NULL && self->screenshot_kind < RX_WINDOW_N_KINDS; )
    {
      window = rx_home_window_open (home, self->screenshot_kind);
      if (window == NULL)
        self->screenshot_kind++;
    }
  if (window == NULL)
    return FALSE;

  self->screenshot_window = GTK_WIDGET (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->screenshot_window);
  self->screenshot_retries = 0;
  g_signal_connect_object (window, "notify::busy", G_CALLBACK (window_settled_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "map", G_CALLBACK (window_settled_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  _rx_application_screenshot_when_ready (self);
  return TRUE;
}

static gboolean
take_screenshot (gpointer user_data)
{
  RxApplication *self = user_data;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  const char *name;
  GtkWidget *window = screenshot_target (self, &name);
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  self->screenshot_idle = 0;

  /* Work started since the frame (a login after the clinic opened): its end says when. */
  if (target_busy (window) && self->screenshot_timeout != 0)
    return G_SOURCE_REMOVE;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (self->screenshot_dir, file, NULL);

  /* A change since the frame (a search coming back) leaves the window needing a new layout,
   * and nothing to save until it is drawn again. */
  if (node == NULL && renderer != NULL && self->screenshot_timeout != 0 &&
      self->screenshot_retries++ < 50)
    {
      _rx_application_screenshot_when_ready (self);
      return G_SOURCE_REMOVE;
    }

  if (node == NULL || renderer == NULL)
    g_warning ("Nothing to save in %s: the window has not drawn anything", path);
  else if (g_mkdir_with_parents (self->screenshot_dir, 0755) != 0)
    g_warning ("Cannot create %s: %s", self->screenshot_dir, g_strerror (errno));
  else
    {
      texture = gsk_renderer_render_texture (renderer, node,
                                             &GRAPHENE_RECT_INIT (0, 0, width, height));
      if (!gdk_texture_save_to_png (texture, path))
        g_warning ("Cannot save the screenshot to %s", path);
      else
        g_message ("Saved %s", path);
    }

  if (node != NULL && renderer != NULL && next_window (self))
    return G_SOURCE_REMOVE;

  g_clear_handle_id (&self->screenshot_timeout, g_source_remove);
  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  RxApplication *self = user_data;

  g_signal_handler_disconnect (clock, self->screenshot_handler);
  self->screenshot_handler = 0;
  if (self->screenshot_idle == 0)
    self->screenshot_idle = g_idle_add_full (G_PRIORITY_LOW, take_screenshot,
                                             g_object_ref (self), g_object_unref);
}

/* Waits for the window to settle (clinic open, first searches back), then for the frame
 * that shows it. */
void
_rx_application_screenshot_when_ready (RxApplication *self)
{
  const char *name;
  GtkWidget *window = screenshot_target (self, &name);
  GdkFrameClock *clock;

  if (self->screenshot_dir == NULL || self->screenshot_handler != 0 ||
      self->screenshot_idle != 0 || target_busy (window) || !gtk_widget_get_mapped (window))
    return;

  clock = gtk_widget_get_frame_clock (window);
  self->screenshot_handler = g_signal_connect (clock, "after-paint",
                                               G_CALLBACK (after_paint_cb), self);
  gtk_widget_queue_draw (window);
}

static void
window_settled_cb (RxApplication *self)
{
  _rx_application_screenshot_when_ready (self);
}

/* A picture of whatever is there beats a test run that never ends. */
static gboolean
screenshot_timed_out (gpointer user_data)
{
  RxApplication *self = user_data;

  self->screenshot_timeout = 0;
  g_warning ("The window did not settle within %d seconds; saving it as it is",
             SCREENSHOT_TIMEOUT_SECONDS);
  if (self->screenshot_handler == 0 && self->screenshot_idle == 0)
    self->screenshot_idle = g_idle_add_full (G_PRIORITY_LOW, take_screenshot,
                                             g_object_ref (self), g_object_unref);

  return G_SOURCE_REMOVE;
}

void
_rx_application_begin_screenshot (RxApplication *self,
                                  const char    *dir)
{
  const char *name;
  GtkWidget *window = screenshot_target (self, &name);

  g_free (self->screenshot_dir);
  self->screenshot_dir = g_strdup (dir);
  /* A picture taken half-way through a cross-fade shows two pages at once. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_signal_connect_object (window, "notify::busy", G_CALLBACK (window_settled_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "map", G_CALLBACK (window_settled_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  if (self->screenshot_timeout == 0)
    self->screenshot_timeout = g_timeout_add_seconds (SCREENSHOT_TIMEOUT_SECONDS,
                                                      screenshot_timed_out, self);
}
