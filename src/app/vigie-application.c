/* vigie-application.c — the applet; see the header. */
#define G_LOG_DOMAIN "vigie-application"

#include "config.h"

#include <glib/gi18n.h>

#include "vigie-application.h"
#include "vigie-preferences.h"
#include "vigie-report.h"
#include "vigie-window.h"

/* Started from the session's autostart, wait this long at most for the
 * network before the first round, so login does not start with "offline". */
#define AUTOSTART_NETWORK_WAIT_S 60

struct _VigieApplication
{
  GtkApplication parent_instance;

  VigieConfig *config;
  VigieHistory *history;
  VigieHttpOptions http_options;   /* strings borrowed from the caller: tests only */
  gboolean autostart;

  VigieMonitor *monitor;
  VigieTray *tray;
  VigieNotifier *notifier;
  VigieWindow *details;
  VigiePreferences *preferences;
  gboolean started;
  guint network_wait_id;
  gulong network_handler;
};

G_DEFINE_FINAL_TYPE (VigieApplication, vigie_application, GTK_TYPE_APPLICATION)

/* Every settings write outside the preferences ends in
 * vigie_config_commit(); its failures, whoever wrote, are said here. */
static void
on_save_failed (VigieConfig      *config,
                const char       *message,
                VigieApplication *self)
{
  if (self->notifier != NULL)
    vigie_notifier_show_message (self->notifier, _("Vigie could not save its settings"),
                                 message);
}

static void
present_details (VigieApplication *self)
{
  if (self->details == NULL)
    {
      self->details = vigie_window_new (GTK_APPLICATION (self), self->monitor);
      g_object_add_weak_pointer (G_OBJECT (self->details), (gpointer *) &self->details);
    }
  gtk_window_present (GTK_WINDOW (self->details));
}

static void
on_check_now (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  VigieApplication *self = user_data;

  vigie_monitor_check_now (self->monitor);
}

static void
on_details (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  present_details (user_data);
}

static void
on_preferences (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  VigieApplication *self = user_data;

  if (self->preferences == NULL)
    {
      self->preferences = vigie_preferences_new (GTK_APPLICATION (self), self->monitor);
      g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
    }
  /* Over the details window when it is open, as a dialog of it. */
  gtk_window_set_transient_for (GTK_WINDOW (self->preferences),
                                self->details ? GTK_WINDOW (self->details) : NULL);
  gtk_window_present (GTK_WINDOW (self->preferences));
}

static void
on_test_notification (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  VigieApplication *self = user_data;

  vigie_notifier_show_message (self->notifier, _("Vigie: this is a test"),
                               _("This is how Vigie tells you that a service is down, for "
                                 "example:\nFacebook is down — it's not you: your connection "
                                 "works."));
}

static void
on_pause (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  VigieApplication *self = user_data;

  vigie_monitor_pause (self->monitor, g_variant_get_uint32 (parameter));
}

static void
on_resume (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  VigieApplication *self = user_data;

  vigie_monitor_resume (self->monitor);
}

static void
on_copy_summary (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  VigieApplication *self = user_data;
  g_autofree char *summary = vigie_report_summary (vigie_monitor_get_services (self->monitor),
                                                   vigie_monitor_get_tracker (self->monitor),
                                                   vigie_monitor_get_connectivity (self->monitor),
                                                   g_get_real_time ());
  GtkClipboard *clipboard = gtk_clipboard_get_default (gdk_display_get_default ());

  gtk_clipboard_set_text (clipboard, summary, -1);
  gtk_clipboard_store (clipboard);
}

static void
on_quit (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
on_open_url (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  VigieApplication *self = user_data;
  const char *url = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;

  /* Only web pages: a URL from a feed must not launch anything else. */
  if (!g_str_has_prefix (url, "https://") && !g_str_has_prefix (url, "http://"))
    return;
  if (!g_app_info_launch_default_for_uri (url, NULL, &error))
    vigie_notifier_show_message (self->notifier, _("The page could not be opened"),
                                 error->message);
}

static void
on_snooze (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  VigieApplication *self = user_data;

  vigie_notifier_snooze (self->notifier, g_variant_get_uint32 (parameter));
}

static void
on_mute (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  VigieApplication *self = user_data;
  g_autofree const char **ids = g_variant_get_strv (parameter, NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    if (vigie_config_lookup_service (self->config, ids[i]) != NULL)
      vigie_config_set_mute (self->config, ids[i], VIGIE_MUTE_UNTIL_BACK);
  vigie_config_commit (self->config);
}

static void
on_unmute (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  VigieApplication *self = user_data;
  const char *id = g_variant_get_string (parameter, NULL);

  if (vigie_config_get_mute (self->config, id, 0) == 0)
    return;
  vigie_config_set_mute (self->config, id, 0);
  vigie_config_commit (self->config);
}

/* Mutes from a notification (and their end when a service is back) go
 * through these actions, and so through one save that reports a failure. */
static const GActionEntry app_actions[] = {
  { "check-now", on_check_now, NULL, NULL, NULL },
  { "details", on_details, NULL, NULL, NULL },
  { "preferences", on_preferences, NULL, NULL, NULL },
  { "pause", on_pause, "u", NULL, NULL },
  { "resume", on_resume, NULL, NULL, NULL },
  { "copy-summary", on_copy_summary, NULL, NULL, NULL },
  { "quit", on_quit, NULL, NULL, NULL },
  { "open-url", on_open_url, "s", NULL, NULL },
  { "snooze", on_snooze, "u", NULL, NULL },
  { "mute", on_mute, "as", NULL, NULL },
  { "unmute", on_unmute, "s", NULL, NULL },
  { "test-notification", on_test_notification, NULL, NULL, NULL },
};

static void
on_notice (VigieMonitor     *monitor,
           const char       *message,
           VigieApplication *self)
{
  vigie_notifier_show_message (self->notifier, _("Vigie needs your attention"), message);
}

static void
update_action_states (VigieApplication *self)
{
  gboolean paused = vigie_monitor_get_paused (self->monitor);
  GAction *action;

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "check-now");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                               !paused && !vigie_monitor_get_busy (self->monitor));
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "pause");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), !paused);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "resume");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), paused);
}

static void
start_monitor (VigieApplication *self)
{
  GNetworkMonitor *network = g_network_monitor_get_default ();

  g_clear_handle_id (&self->network_wait_id, g_source_remove);
  g_clear_signal_handler (&self->network_handler, network);
  vigie_monitor_start (self->monitor);
}

static gboolean
on_network_wait_over (gpointer user_data)
{
  VigieApplication *self = user_data;

  self->network_wait_id = 0;
  start_monitor (self);
  return G_SOURCE_REMOVE;
}

static void
on_network_changed (GNetworkMonitor  *network,
                    gboolean          available,
                    VigieApplication *self)
{
  if (available)
    start_monitor (self);
}

static void
vigie_application_startup (GApplication *application)
{
  VigieApplication *self = VIGIE_APPLICATION (application);
  const char *icon_dir = g_getenv ("VIGIE_ICON_DIR");

  G_APPLICATION_CLASS (vigie_application_parent_class)->startup (application);

  /* Run uninstalled (./dev run, tests), icons come from the source tree. */
  if (icon_dir != NULL)
    gtk_icon_theme_append_search_path (gtk_icon_theme_get_default (), icon_dir);
  gtk_window_set_default_icon_name (APPLICATION_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);

  self->monitor = vigie_monitor_new (self->config, self->history, &self->http_options);
  self->notifier = vigie_notifier_new (application, self->monitor);
  self->tray = vigie_tray_new (application, self->monitor);
  g_signal_connect (self->monitor, "notice", G_CALLBACK (on_notice), self);
  g_signal_connect_object (self->config, "save-failed", G_CALLBACK (on_save_failed), self, 0);
  g_signal_connect_swapped (self->monitor, "notify::paused", G_CALLBACK (update_action_states),
                            self);
  g_signal_connect_swapped (self->monitor, "notify::busy", G_CALLBACK (update_action_states),
                            self);
  update_action_states (self);

  /* A tray applet lives without windows. */
  g_application_hold (application);
}

static void
vigie_application_activate (GApplication *application)
{
  VigieApplication *self = VIGIE_APPLICATION (application);
  GNetworkMonitor *network = g_network_monitor_get_default ();

  /* A second launch (or a click on the launcher) wants to see the details. */
  if (self->started)
    {
      present_details (self);
      return;
    }
  self->started = TRUE;

  if (self->autostart && !g_network_monitor_get_network_available (network))
    {
      /* At login the network often comes a little after the session: wait
       * quietly for it rather than open with "you are offline". */
      self->network_handler = g_signal_connect (network, "network-changed",
                                                G_CALLBACK (on_network_changed), self);
      self->network_wait_id = g_timeout_add_seconds (AUTOSTART_NETWORK_WAIT_S,
                                                     on_network_wait_over, self);
      return;
    }
  start_monitor (self);
}

static void
vigie_application_shutdown (GApplication *application)
{
  VigieApplication *self = VIGIE_APPLICATION (application);

  g_clear_handle_id (&self->network_wait_id, g_source_remove);
  g_clear_signal_handler (&self->network_handler, g_network_monitor_get_default ());
  if (self->monitor != NULL)
    vigie_monitor_stop (self->monitor);
  if (self->preferences != NULL)
    gtk_widget_destroy (GTK_WIDGET (self->preferences));
  if (self->details != NULL)
    gtk_widget_destroy (GTK_WIDGET (self->details));
  g_clear_object (&self->tray);
  g_clear_object (&self->notifier);

  G_APPLICATION_CLASS (vigie_application_parent_class)->shutdown (application);
}

static void
vigie_application_dispose (GObject *object)
{
  VigieApplication *self = VIGIE_APPLICATION (object);

  g_clear_object (&self->tray);
  g_clear_object (&self->notifier);
  g_clear_object (&self->monitor);
  g_clear_object (&self->history);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (vigie_application_parent_class)->dispose (object);
}

static void
vigie_application_class_init (VigieApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = vigie_application_dispose;
  app_class->startup = vigie_application_startup;
  app_class->activate = vigie_application_activate;
  app_class->shutdown = vigie_application_shutdown;
}

static void
vigie_application_init (VigieApplication *self)
{
}

/**
 * vigie_application_new:
 * @config: loaded settings
 * @history: (nullable): the outage log
 * @http_options: (nullable): HTTP options (tests only); borrowed, must
 *   outlive the application
 * @autostart: started by the session at login
 *
 * Returns: (transfer full): the application
 */
VigieApplication *
vigie_application_new (VigieConfig            *config,
                       VigieHistory           *history,
                       const VigieHttpOptions *http_options,
                       gboolean                autostart)
{
  VigieApplication *self;

  g_return_val_if_fail (VIGIE_IS_CONFIG (config), NULL);

  self = g_object_new (VIGIE_TYPE_APPLICATION, "application-id", APPLICATION_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, NULL);
  self->config = g_object_ref (config);
  self->history = history ? g_object_ref (history) : NULL;
  if (http_options != NULL)
    self->http_options = *http_options;
  self->autostart = autostart;
  return self;
}

/**
 * vigie_application_get_monitor:
 * @self: a #VigieApplication
 *
 * Returns: (transfer none) (nullable): the monitor, once started up
 */
VigieMonitor *
vigie_application_get_monitor (VigieApplication *self)
{
  g_return_val_if_fail (VIGIE_IS_APPLICATION (self), NULL);
  return self->monitor;
}

/**
 * vigie_application_get_tray:
 * @self: a #VigieApplication
 *
 * Returns: (transfer none) (nullable): the tray item
 */
VigieTray *
vigie_application_get_tray (VigieApplication *self)
{
  g_return_val_if_fail (VIGIE_IS_APPLICATION (self), NULL);
  return self->tray;
}

/**
 * vigie_application_get_notifier:
 * @self: a #VigieApplication
 *
 * Returns: (transfer none) (nullable): the notifier
 */
VigieNotifier *
vigie_application_get_notifier (VigieApplication *self)
{
  g_return_val_if_fail (VIGIE_IS_APPLICATION (self), NULL);
  return self->notifier;
}

/**
 * vigie_application_get_details:
 * @self: a #VigieApplication
 *
 * Returns: (transfer none) (nullable): the details window, if open
 */
GtkWindow *
vigie_application_get_details (VigieApplication *self)
{
  g_return_val_if_fail (VIGIE_IS_APPLICATION (self), NULL);
  return self->details ? GTK_WINDOW (self->details) : NULL;
}
