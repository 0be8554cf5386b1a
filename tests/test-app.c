/* test-app.c — the applet on a fake desktop: a notification daemon and a
 * StatusNotifier watcher on the private session bus (tests/vigie-fake-desktop),
 * services and the "is it me?" baseline on loopback stand-ins, and the real
 * libnotify, libayatana-appindicator and GTK under Xvfb. */
#include "config.h"

#include <glib/gstdio.h>

#include "vigie-application.h"
#include "vigie-autostart.h"
#include "vigie-test-app.h"

/* Four services of one provider, as on 4 October 2021, and one more. */
static const struct { const char *id; const char *name; const char *provider; } services[] = {
  { "fb", "Facebook", "Meta" },
  { "ig", "Instagram", "Meta" },
  { "wa", "WhatsApp", "Meta" },
  { "ms", "Messenger", "Meta" },
  { "sl", "Slack", "Slack" },
};

/* Waits on the monitor give up after this long. */
#define WAIT_MS 30000

typedef struct _Fixture
{
  VigieTestApplet applet;
  void (*body) (struct _Fixture *f);
} Fixture;

static void
set_route (Fixture    *f,
           const char *id,
           guint       status)
{
  vigie_test_applet_set_site (&f->applet, id, status);
}

static void
set_meta (Fixture *f,
          guint    status)
{
  for (guint i = 0; i < 4; i++)
    set_route (f, services[i].id, status);
}

static void
write_settings (Fixture    *f,
                const char *extra)
{
  g_autoptr(GString) text = g_string_new ("[General]\nServices=fb;ig;wa;ms;sl\n"
                                          "Interval=10\nRetryInterval=5\nTimeout=2\n"
                                          "FailuresBeforeDown=2\nSuccessesBeforeUp=1\n");
  g_autofree char *baseline = vigie_test_server_get_url (f->applet.baseline, "/check");
  g_autofree char *path = g_build_filename (f->applet.tmp, "vigie.ini", NULL);
  g_autoptr(GError) error = NULL;

  g_string_append_printf (text, "[Connectivity]\nURLs=%s\n%s\n", baseline, extra ? extra : "");
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      vigie_test_applet_append_service (&f->applet, text, services[i].id, services[i].name,
                                        services[i].provider);
      if (g_str_equal (services[i].id, "sl"))
        {
          g_autofree char *feed = vigie_test_server_get_url (f->applet.server, "/slack.json");
          g_string_append_printf (text, "StatusPage=https://status.slack.example/\n"
                                        "Feed=statuspage:%s\n", feed);
        }
    }
  vigie_test_server_set_route (f->applet.server, "/slack.json", 200, "application/json",
                               "{\"status\":{\"indicator\":\"none\"},\"components\":[],"
                               "\"incidents\":[]}");
  g_file_set_contents (path, text->str, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *ini = NULL;
  g_autofree char *db = NULL;

  vigie_test_applet_set_up (&f->applet, "app");
  write_settings (f, data);
  ini = g_build_filename (f->applet.tmp, "vigie.ini", NULL);
  f->applet.config = vigie_test_config_load (f->applet.catalog, ini);
  db = g_build_filename (f->applet.tmp, "history.db", NULL);
  f->applet.history = vigie_test_history_open (db);
}

static void
run_body (gpointer data)
{
  Fixture *f = data;

  /* Interval 1 s, RetryInterval 0.5 s. */
  g_object_set (vigie_application_get_monitor (f->applet.app), "second-ms", 100, NULL);
  f->body (f);
}

/* Runs @body inside the application's own main loop, as in real life, so
 * that startup, activate and shutdown all happen. */
static void
run_app (Fixture *f,
         void   (*body) (Fixture *f))
{
  f->body = body;
  vigie_test_applet_run (&f->applet, "Test", NULL, run_body, f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  vigie_test_applet_tear_down (&f->applet);
}

static VigieMonitor *
monitor (Fixture *f)
{
  return vigie_application_get_monitor (f->applet.app);
}

static gboolean
menu_has (Fixture    *f,
          const char *prefix)
{
  return vigie_test_menu_has (f->applet.desktop, prefix);
}

static void
body_tray_follows_states (Fixture *f)
{
  g_autofree char *item = NULL;
  g_autoptr(GVariant) title = NULL;

  item = vigie_fake_desktop_wait_for_item (f->applet.desktop, 10000);
  g_assert_nonnull (item);

  g_assert_true (vigie_fake_desktop_wait_for_item_property (f->applet.desktop, "IconName",
                                                            "vigie-operational", 15000));
  g_assert_true (vigie_fake_desktop_wait_for_item_property (f->applet.desktop, "Title",
                                                            "Vigie: All 5 services operational",
                                                            5000));
  g_assert_true (menu_has (f, "All 5 services operational"));
  g_assert_true (menu_has (f, "Check Now"));
  g_assert_true (menu_has (f, "Details…"));
  g_assert_true (menu_has (f, "Copy Status Summary"));
  g_assert_true (menu_has (f, "Pause for 1 Hour"));
  g_assert_false (menu_has (f, "Resume Checking"));
  g_assert_true (menu_has (f, "Preferences…"));
  g_assert_true (menu_has (f, "Quit"));

  set_meta (f, 503);
  g_assert_true (vigie_fake_desktop_wait_for_item_property (f->applet.desktop, "IconName",
                                                            "vigie-down", 15000));
  title = vigie_fake_desktop_get_item_property (f->applet.desktop, "Title", NULL);
  g_assert_cmpstr (g_variant_get_string (title, NULL), ==,
                   "Vigie: 4 services down — it's not you");
  g_assert_true (menu_has (f, "4 services down — it's not you"));
  g_assert_true (menu_has (f, "Facebook — down since "));
  g_assert_true (menu_has (f, "Messenger — down since "));
  g_assert_true (menu_has (f, "1 other service operational"));

  /* Pause from the tray's own menu, as a user would. */
  g_assert_true (vigie_fake_desktop_activate_menu_item (f->applet.desktop, "Pause for 1 Hour",
                                                        NULL));
  g_assert_true (vigie_fake_desktop_wait_for_item_property (f->applet.desktop, "IconName",
                                                            "vigie-paused", 5000));
  g_assert_true (menu_has (f, "Paused until "));
  g_assert_true (menu_has (f, "Resume Checking"));
  g_assert_true (vigie_fake_desktop_activate_menu_item (f->applet.desktop, "Resume Checking",
                                                        NULL));
  g_assert_true (vigie_fake_desktop_wait_for_item_property (f->applet.desktop, "IconName",
                                                            "vigie-down", 15000));

  /* The user's own connection fails: offline, can't tell. */
  g_clear_pointer (&f->applet.baseline, vigie_test_server_free);
  g_assert_true (vigie_fake_desktop_wait_for_item_property (f->applet.desktop, "IconName",
                                                            "vigie-offline", 15000));
  g_assert_true (vigie_fake_desktop_wait_for_item_property (f->applet.desktop, "Title",
                                                            "Vigie: You are offline — can't tell",
                                                            5000));
}

static void
body_one_notification_for_four_downs (Fixture *f)
{
  g_autoptr(GPtrArray) notifications = NULL;
  g_autofree char *body = NULL;
  VigieFakeNotification *down, *back;

  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_OPERATIONAL, WAIT_MS);
  /* Start-up is not news. */
  vigie_test_spin (300);
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  g_assert_cmpuint (notifications->len, ==, 0);
  g_clear_pointer (&notifications, g_ptr_array_unref);

  set_meta (f, 503);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 1, 15000));
  vigie_test_spin (1500);  /* a few more rounds: nothing more may arrive */
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  g_assert_cmpuint (notifications->len, ==, 1);
  down = vigie_test_notification (notifications, 0);
  body = vigie_test_notification_plain_body (down);
  g_assert_cmpstr (down->summary, ==, "Facebook, Instagram, WhatsApp and Messenger are down");
  g_assert_true (g_str_has_prefix (body, "It's not you: your connection works.\n"));
  g_assert_nonnull (strstr (body, "Facebook — 127.0.0.1: server error (HTTP 503)"));
  g_assert_nonnull (strstr (body, "\nSince "));
  g_assert_cmpuint (down->urgency, ==, 2);
  g_assert_cmpstr (down->app_name, ==, "Vigie");
  g_assert_cmpstr (down->desktop_entry, ==, APPLICATION_ID);
  g_assert_cmpstr (vigie_fake_notification_get_action_label (down, "details"), ==, "Details");
  g_assert_cmpstr (vigie_fake_notification_get_action_label (down, "snooze"), ==,
                   "Snooze 1 Hour");
  g_assert_cmpstr (vigie_fake_notification_get_action_label (down, "mute"), ==,
                   "Mute Until It's Back");
  g_clear_pointer (&notifications, g_ptr_array_unref);

  /* They come back: the outage notification becomes the recovery. */
  set_meta (f, 200);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 2, 15000));
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  down = vigie_test_notification (notifications, 0);
  back = vigie_test_notification (notifications, 1);
  g_assert_cmpstr (back->summary, ==, "Facebook, Instagram, WhatsApp and Messenger are back");
  g_assert_nonnull (strstr (back->body, "Facebook: back after "));
  g_assert_null (strstr (back->body, "<"));
  g_assert_cmpuint (back->replaces_id, ==, down->id);
  g_assert_cmpuint (back->urgency, ==, 1);
}

static void
body_outage_spreads (Fixture *f)
{
  g_autoptr(GPtrArray) notifications = NULL;

  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_OPERATIONAL, WAIT_MS);
  set_route (f, "fb", 503);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 1, 15000));
  set_route (f, "ig", 503);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 2, 15000));
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  g_assert_cmpstr (vigie_test_notification (notifications, 0)->summary, ==, "Facebook is down");
  /* Replaced, not stacked, and naming both. */
  g_assert_cmpstr (vigie_test_notification (notifications, 1)->summary, ==,
                   "Facebook and Instagram are down");
  g_assert_cmpuint (vigie_test_notification (notifications, 1)->replaces_id, ==,
                    vigie_test_notification (notifications, 0)->id);
}

static void
body_recovery_says_how_long (Fixture *f)
{
  g_autoptr(GPtrArray) notifications = NULL;

  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_OPERATIONAL, WAIT_MS);
  set_route (f, "sl", 503);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 1, 15000));
  set_route (f, "sl", 200);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 2, 15000));
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  g_assert_cmpstr (vigie_test_notification (notifications, 0)->summary, ==, "Slack is down");
  g_assert_true (g_str_has_prefix (vigie_test_notification (notifications, 1)->summary,
                                   "Slack is back — down for "));
  g_assert_true (g_str_has_suffix (vigie_test_notification (notifications, 1)->summary, " s"));
}

static void
body_no_notification_while_offline (Fixture *f)
{
  g_autoptr(GPtrArray) notifications = NULL;
  guint rounds;

  vigie_test_wait_for_rounds (monitor (f), 1, WAIT_MS);
  rounds = vigie_monitor_get_n_rounds (monitor (f));
  vigie_test_wait_for_rounds (monitor (f), rounds + 5, WAIT_MS);
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  g_assert_cmpuint (notifications->len, ==, 0);
  g_assert_cmpint (vigie_monitor_get_overall (monitor (f)), ==, VIGIE_OVERALL_OFFLINE);
}

static void
body_snooze_suppresses (Fixture *f)
{
  g_autoptr(GPtrArray) notifications = NULL;
  guint rounds;

  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_OPERATIONAL, WAIT_MS);
  g_action_group_activate_action (G_ACTION_GROUP (f->applet.app), "snooze",
                                  g_variant_new_uint32 (3600));
  set_meta (f, 503);
  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_DOWN, WAIT_MS);
  rounds = vigie_monitor_get_n_rounds (monitor (f));
  vigie_test_wait_for_rounds (monitor (f), rounds + 2, WAIT_MS);
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  g_assert_cmpuint (notifications->len, ==, 0);
  /* The tray still tells the truth. */
  g_assert_true (vigie_fake_desktop_wait_for_item_property (f->applet.desktop, "IconName",
                                                            "vigie-down", 5000));
}

static void
body_quiet_hours (Fixture *f)
{
  g_autoptr(GPtrArray) notifications = NULL;
  guint rounds;

  /* Quiet all day long (00:00-23:59) except for Slack's outages. */
  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_OPERATIONAL, WAIT_MS);
  set_meta (f, 503);
  set_route (f, "sl", 503);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 1, 15000));
  rounds = vigie_monitor_get_n_rounds (monitor (f));
  vigie_test_wait_for_rounds (monitor (f), rounds + 2, WAIT_MS);
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  g_assert_cmpuint (notifications->len, ==, 1);
  g_assert_cmpstr (vigie_test_notification (notifications, 0)->summary, ==, "Slack is down");
}

static gboolean
details_open (gpointer app)
{
  return vigie_application_get_details (app) != NULL;
}

static void
body_details_action_opens_window (Fixture *f)
{
  g_autoptr(GPtrArray) notifications = NULL;
  g_autoptr(GError) error = NULL;

  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_OPERATIONAL, WAIT_MS);
  set_route (f, "sl", 503);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 1, 15000));
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  g_assert_null (vigie_application_get_details (f->applet.app));

  g_assert_true (vigie_fake_desktop_invoke_action (f->applet.desktop,
                                                   vigie_test_notification (notifications, 0)->id,
                                                   "details", &error));
  g_assert_no_error (error);
  vigie_test_wait_for (details_open, f->applet.app, 10000);
  g_assert_nonnull (vigie_application_get_details (f->applet.app));
  g_assert_true (gtk_widget_get_visible (
    GTK_WIDGET (vigie_application_get_details (f->applet.app))));
}

static void
body_markup_escaped (Fixture *f)
{
  g_autoptr(GPtrArray) notifications = NULL;

  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_OPERATIONAL, WAIT_MS);
  vigie_test_server_set_route (f->applet.server, "/slack.json", 200, "application/json",
                               "{\"status\":{\"indicator\":\"critical\"},\"components\":[],"
                               "\"incidents\":[{\"name\":\"<b>Messages</b> & <a href='x'>files"
                               "</a>\",\"impact\":\"critical\",\"status\":\"investigating\"}]}");
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 1, 15000));
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  g_assert_cmpstr (vigie_test_notification (notifications, 0)->summary, ==, "Slack is down");
  g_assert_nonnull (strstr (vigie_test_notification (notifications, 0)->body,
                            "&lt;b&gt;Messages&lt;/b&gt; &amp; &lt;a href='x'&gt;files&lt;/a&gt;"));
  g_assert_null (strstr (vigie_test_notification (notifications, 0)->body, "<b>"));
}

static void
body_down_before_start (Fixture *f)
{
  g_autoptr(GPtrArray) notifications = NULL;
  guint rounds;

  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 1, 15000));
  rounds = vigie_monitor_get_n_rounds (monitor (f));
  vigie_test_wait_for_rounds (monitor (f), rounds + 3, WAIT_MS);
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  g_assert_cmpuint (notifications->len, ==, 1);
  g_assert_cmpstr (vigie_test_notification (notifications, 0)->summary, ==, "Slack is down");
  {
    g_autofree char *body =
      vigie_test_notification_plain_body (vigie_test_notification (notifications, 0));
    g_assert_true (g_str_has_suffix (body, "Down since before Vigie started."));
  }
}

static void
test_tray_follows_states (Fixture       *f,
                        gconstpointer  data)
{
  run_app (f, body_tray_follows_states);
}

static void
test_one_notification_for_four_downs (Fixture       *f,
                                    gconstpointer  data)
{
  run_app (f, body_one_notification_for_four_downs);
}

static void
test_outage_spreads (Fixture       *f,
                     gconstpointer  data)
{
  run_app (f, body_outage_spreads);
}

static void
test_recovery_says_how_long (Fixture       *f,
                           gconstpointer  data)
{
  run_app (f, body_recovery_says_how_long);
}

static void
test_no_notification_while_offline (Fixture       *f,
                                  gconstpointer  data)
{
  /* The baseline and every service fail from the start. */
  g_clear_pointer (&f->applet.baseline, vigie_test_server_free);
  set_meta (f, 503);
  set_route (f, "sl", 503);
  run_app (f, body_no_notification_while_offline);
}

static void
test_snooze_suppresses (Fixture       *f,
                      gconstpointer  data)
{
  run_app (f, body_snooze_suppresses);
}

static void
test_quiet_hours (Fixture       *f,
                gconstpointer  data)
{
  run_app (f, body_quiet_hours);
}

static void
test_details_action_opens_window (Fixture       *f,
                                gconstpointer  data)
{
  run_app (f, body_details_action_opens_window);
}

static void
test_markup_escaped (Fixture       *f,
                   gconstpointer  data)
{
  run_app (f, body_markup_escaped);
}

static void
test_down_before_start (Fixture       *f,
                      gconstpointer  data)
{
  set_route (f, "sl", 503);
  run_app (f, body_down_before_start);
}

static void
test_autostart_switch (void)
{
  g_autofree char *path = vigie_autostart_path ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (vigie_autostart_is_enabled ());
  g_assert_true (vigie_autostart_set_enabled (TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (vigie_autostart_is_enabled ());
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Exec=vigie --autostart\n"));
  g_assert_nonnull (strstr (contents, "Icon=" APPLICATION_ID "\n"));
  g_assert_true (vigie_autostart_set_enabled (FALSE, &error));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (vigie_autostart_is_enabled ());
  /* Off twice is fine. */
  g_assert_true (vigie_autostart_set_enabled (FALSE, &error));
  g_assert_no_error (error);
}

/* With the entry a package installs for everyone, "off" must still mean off. */
static void
test_autostart_system_entry (void)
{
  g_autofree char *path = vigie_autostart_path ();
  g_autofree char *system_dir = g_build_filename (g_get_system_config_dirs ()[0], "autostart",
                                                  NULL);
  g_autofree char *system = g_build_filename (system_dir, APPLICATION_ID ".desktop", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (system_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (system, "[Desktop Entry]\nType=Application\nName=Vigie\n"
                                              "Exec=vigie --autostart\n", -1, NULL));
  g_assert_true (vigie_autostart_is_enabled ());

  g_assert_true (vigie_autostart_set_enabled (FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (vigie_autostart_is_enabled ());
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Hidden=true\n"));

  g_assert_true (vigie_autostart_set_enabled (TRUE, &error));
  g_assert_true (vigie_autostart_is_enabled ());
  g_remove (system);
  g_remove (path);
  g_rmdir (system_dir);
  {
    g_autofree char *parent = g_path_get_dirname (system_dir);
    g_rmdir (parent);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = vigie_test_private_home ("app");
  int status;

  vigie_test_app_init (&argc, &argv);

#define ADD(path, data, func) \
  g_test_add ("/app/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("tray-follows-states", NULL, test_tray_follows_states);
  ADD ("one-notification-for-four-downs", NULL, test_one_notification_for_four_downs);
  ADD ("outage-spreads", NULL, test_outage_spreads);
  ADD ("recovery-says-how-long", NULL, test_recovery_says_how_long);
  ADD ("no-notification-while-offline", NULL, test_no_notification_while_offline);
  ADD ("snooze-suppresses", NULL, test_snooze_suppresses);
  ADD ("quiet-hours", "[Notifications]\nQuietHours=00:00-23:59\nQuietHoursAllow=sl\n",
       test_quiet_hours);
  ADD ("details-action-opens-window", NULL, test_details_action_opens_window);
  ADD ("markup-escaped", NULL, test_markup_escaped);
  ADD ("down-before-start", NULL, test_down_before_start);
#undef ADD
  g_test_add_func ("/app/autostart-switch", test_autostart_switch);
  g_test_add_func ("/app/autostart-system-entry", test_autostart_system_entry);

  status = g_test_run ();
  vigie_test_remove_tree (home);
  return status;
}
