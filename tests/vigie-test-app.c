/* vigie-test-app.c — the applet on the fake desktop, for the tests; see the
 * header. */
#define G_LOG_DOMAIN "vigie-test"

#include "config.h"

#include "vigie-test-app.h"

/**
 * vigie_test_app_init:
 * @argc: main()'s
 * @argv: main()'s
 *
 * Everything an applet suite's main() does before adding its tests, once
 * its environment is set: libcurl, the test framework and GTK.
 */
void
vigie_test_app_init (int    *argc,
                     char ***argv)
{
  vigie_http_global_init ();
  g_test_init (argc, argv, NULL);
  gtk_init (argc, argv);
}

/**
 * vigie_test_desktop_new:
 *
 * Returns: (transfer full): a fake desktop whose notification daemon and
 *   tray watcher are on the session bus
 */
VigieFakeDesktop *
vigie_test_desktop_new (void)
{
  g_autoptr(GError) error = NULL;
  VigieFakeDesktop *desktop = vigie_fake_desktop_new (&error);

  g_assert_no_error (error);
  g_assert_true (vigie_fake_desktop_start_notifications (desktop, &error));
  g_assert_true (vigie_fake_desktop_start_watcher (desktop, &error));
  g_assert_no_error (error);
  return desktop;
}

/**
 * vigie_test_application_new:
 * @config: the settings
 * @history: the outage log
 * @tag: a word for its name ("Faults")
 *
 * Each application gets a name and object path of its own on the bus,
 * which a second one in the same process must not share.
 *
 * Returns: (transfer full): the applet, not started, not unique
 */
VigieApplication *
vigie_test_application_new (VigieConfig  *config,
                            VigieHistory *history,
                            const char   *tag)
{
  static guint serial;
  g_autofree char *id = g_strdup_printf ("%s.%s%u", APPLICATION_ID, tag, ++serial);
  VigieApplication *app = vigie_application_new (config, history, NULL, FALSE);

  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  return app;
}

typedef struct
{
  VigieTestHook on_startup;
  VigieTestHook on_activate;
  gpointer data;
  gboolean activated;
} Run;

static void
run_startup (GApplication *application,
             Run          *run)
{
  if (run->on_startup != NULL)
    run->on_startup (run->data);
}

static void
run_activate (GApplication *application,
              Run          *run)
{
  /* Only the first activation runs the test. */
  if (run->activated)
    return;
  run->activated = TRUE;
  run->on_activate (run->data);
  g_application_quit (application);
}

/**
 * vigie_test_application_run:
 * @app: an application that has not run yet
 * @on_startup: (nullable): run after the application's own startup, before
 *   its first activation starts the first round
 * @on_activate: the test: run after the application's first activation,
 *   inside its main loop; the application quits when it returns
 * @data: passed to both
 *
 * Runs @app as in real life, so that startup, activate and shutdown all
 * happen, and fails the test if it does not exit with 0.
 */
void
vigie_test_application_run (VigieApplication *app,
                            VigieTestHook     on_startup,
                            VigieTestHook     on_activate,
                            gpointer          data)
{
  Run run = { on_startup, on_activate, data, FALSE };
  gulong startup = g_signal_connect_after (app, "startup", G_CALLBACK (run_startup), &run);
  gulong activate = g_signal_connect_after (app, "activate", G_CALLBACK (run_activate), &run);

  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);
  g_signal_handler_disconnect (app, startup);
  g_signal_handler_disconnect (app, activate);
}

/**
 * vigie_test_applet_set_up:
 * @applet: an applet, zeroed
 * @name: the suite's name, for the private folder's ("faults")
 *
 * Starts the fake desktop and the loopback servers, makes the private
 * folder and loads the catalogue.
 */
void
vigie_test_applet_set_up (VigieTestApplet *applet,
                          const char      *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpl = g_strdup_printf ("vigie-%s-XXXXXX", name);

  applet->desktop = vigie_test_desktop_new ();
  applet->server = vigie_test_server_new (FALSE, &error);
  g_assert_no_error (error);
  applet->baseline = vigie_test_server_new (FALSE, &error);
  g_assert_no_error (error);
  vigie_test_server_set_route (applet->baseline, "/check", 200, "text/plain", NULL);
  applet->tmp = vigie_test_make_tmp_dir (tmpl);
  applet->catalog = vigie_test_catalog_new ();
}

/**
 * vigie_test_applet_close:
 * @applet: an applet
 *
 * Drops the application, the log, the settings, the servers and the fake
 * desktop, in that order, and keeps the private folder: a suite that
 * mounted something there unmounts it after this. Safe to call twice.
 */
void
vigie_test_applet_close (VigieTestApplet *applet)
{
  g_clear_object (&applet->app);
  g_clear_object (&applet->history);
  g_clear_object (&applet->config);
  g_clear_object (&applet->catalog);
  g_clear_pointer (&applet->server, vigie_test_server_free);
  g_clear_pointer (&applet->baseline, vigie_test_server_free);
  g_clear_pointer (&applet->desktop, vigie_fake_desktop_free);
}

/**
 * vigie_test_applet_tear_down:
 * @applet: an applet
 *
 * vigie_test_applet_close(), then removes the private folder.
 */
void
vigie_test_applet_tear_down (VigieTestApplet *applet)
{
  vigie_test_applet_close (applet);
  vigie_test_remove_tree (applet->tmp);
  g_clear_pointer (&applet->tmp, g_free);
}

/**
 * vigie_test_applet_set_site:
 * @applet: an applet
 * @id: a service's id
 * @status: what its site `/ID` answers from now on, with an empty body
 */
void
vigie_test_applet_set_site (VigieTestApplet *applet,
                            const char      *id,
                            guint            status)
{
  g_autofree char *path = g_strdup_printf ("/%s", id);

  vigie_test_server_set_route (applet->server, path, status, "text/plain", NULL);
}

/**
 * vigie_test_applet_append_service:
 * @applet: an applet
 * @settings: the text of a settings file being written
 * @id: the service's id
 * @name: its name
 * @provider: its provider
 *
 * Appends a `[Service ID]` group whose site is `/ID` on the applet's
 * server, and makes that site answer 200.
 */
void
vigie_test_applet_append_service (VigieTestApplet *applet,
                                  GString         *settings,
                                  const char      *id,
                                  const char      *name,
                                  const char      *provider)
{
  g_autofree char *route = g_strdup_printf ("/%s", id);
  g_autofree char *site = vigie_test_server_get_url (applet->server, route);

  g_string_append_printf (settings, "[Service %s]\nName=%s\nProvider=%s\nSite=%s\n", id, name,
                          provider, site);
  vigie_test_applet_set_site (applet, id, 200);
}

/**
 * vigie_test_applet_run:
 * @applet: an applet whose settings are loaded and log open
 * @tag: a word for the application's name
 * @on_startup: (nullable): see vigie_test_application_run()
 * @on_activate: see vigie_test_application_run()
 * @data: passed to both
 *
 * Runs a new application, from startup to shutdown, with the applet's
 * settings and log; it stays in @applet->app until the next run or the
 * tear-down.
 */
void
vigie_test_applet_run (VigieTestApplet *applet,
                       const char      *tag,
                       VigieTestHook    on_startup,
                       VigieTestHook    on_activate,
                       gpointer         data)
{
  g_assert_nonnull (applet->config);
  g_assert_nonnull (applet->history);
  g_clear_object (&applet->app);
  applet->app = vigie_test_application_new (applet->config, applet->history, tag);
  vigie_test_application_run (applet->app, on_startup, on_activate, data);
}

/**
 * vigie_test_notification:
 * @notifications: (element-type VigieFakeNotification): as recorded
 * @i: an index
 *
 * Returns: (transfer none): the @i-th notification shown
 */
VigieFakeNotification *
vigie_test_notification (GPtrArray *notifications,
                         guint      i)
{
  g_assert_cmpuint (i, <, notifications->len);
  return g_ptr_array_index (notifications, i);
}

static void
collect_text (GMarkupParseContext *context,
              const char          *text,
              gsize                length,
              gpointer             user_data,
              GError             **error)
{
  g_string_append_len (user_data, text, length);
}

/**
 * vigie_test_notification_plain_body:
 * @notification: a notification
 *
 * The body as a person reads it: the fake daemon advertises body-markup,
 * so Vigie sent escaped text; this undoes the escaping the way a daemon
 * does, and fails the test if the body is not well-formed markup.
 *
 * Returns: (transfer full): the body's text
 */
char *
vigie_test_notification_plain_body (const VigieFakeNotification *notification)
{
  static const GMarkupParser parser = { .text = collect_text };
  GString *text = g_string_new (NULL);
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, text, NULL);
  g_autofree char *wrapped = g_strconcat ("<body>", notification->body, "</body>", NULL);
  g_autoptr(GError) error = NULL;

  g_markup_parse_context_parse (context, wrapped, -1, &error);
  g_assert_no_error (error);
  return g_string_free (text, FALSE);
}

/**
 * vigie_test_menu_has:
 * @desktop: a fake desktop with a tray item registered
 * @prefix: the start of a label
 *
 * Returns: whether the tray item's menu shows an entry whose label starts
 *   with @prefix
 */
gboolean
vigie_test_menu_has (VigieFakeDesktop *desktop,
                     const char       *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) menu = vigie_fake_desktop_get_menu (desktop, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < menu->len; i++)
    {
      VigieFakeMenuEntry *entry = g_ptr_array_index (menu, i);
      if (entry->visible && g_str_has_prefix (entry->label, prefix))
        return TRUE;
    }
  return FALSE;
}
