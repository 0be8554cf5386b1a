/* test-faults.c — the applet when the ground moves under it: the real
 * application in-process (GTK under Xvfb, libnotify, libayatana-appindicator)
 * on the fake desktop of tests/vigie-fake-desktop, services and the "is it
 * me?" check on loopback stand-ins.
 *
 *  - The notification daemon dies and comes back: nothing breaks while it
 *    is gone (showing fails, said once), notifications resume after; and
 *    Vigie does not ask the new daemon to replace ids the old one gave out
 *    (a known bug for now: marked TODO, see the test).
 *  - The tray host (StatusNotifierWatcher) dies and comes back: the item
 *    registers again and shows the state reached meanwhile.
 *  - The settings folder is deleted under the running app: it runs on, and
 *    the next change of settings is saved, folder and all.
 *  - The disk under the outage log fills up: monitoring goes on, the problem
 *    is reported once, nothing stored is lost, and what was held back is
 *    written once there is room again. The full disk is a small loop-mounted
 *    ext4 image if this machine allows it, else a tmpfs with a size limit,
 *    else a file-size limit (RLIMIT_FSIZE); the test says which ran.
 *  - The log's file is damaged (header overwritten) or replaced while the app
 *    holds it open: no crash. Overwritten, the next start moves it aside and
 *    says so once; replaced, the next write does, while running.
 *
 * Mounts are made in a mount namespace of the test's own when it can have
 * one, so that nothing is left mounted whatever happens to the test. */
#define _GNU_SOURCE  /* unshare () */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <signal.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "vigie-application.h"
#include "vigie-test-app.h"

static const struct { const char *id; const char *name; const char *provider; } services[] = {
  { "fb", "Facebook", "Meta" },
  { "ig", "Instagram", "Meta" },
  { "sl", "Slack", "Slack" },
};

#define NOTICE_SUMMARY "Vigie needs your attention"
/* Rounds every 0.5 s (Interval=10 at 50 ms a second), retries every 0.25 s. */
#define SECOND_MS 50
#define WAIT_MS 15000

typedef struct _Fixture
{
  VigieTestApplet applet;       /* its history opened by run_app () */
  char *history_path;
  const char *variant;          /* the test's data */
  guint n_notices;              /* the monitor's "notice" emissions */
  char *last_notice;
  void (*body) (struct _Fixture *f);

  /* The full disk. */
  char *mount_point;
  gboolean mounted;
  gboolean fsize_limited;
  struct rlimit saved_fsize;
  void (*saved_sigxfsz) (int);
} Fixture;

/* Warnings are fatal in tests. The one the notifier gives (once) when the
 * notification server is gone is expected while it is gone, and counted:
 * the notifier's warnings go to a handler of ours (the default one would
 * print a TAP "Bail out!"), and the fatal handler lets that one through. */
static gboolean allow_notify_failure;
static guint n_notify_failures;

static gboolean
is_expected_warning (const char     *log_domain,
                     GLogLevelFlags  log_level,
                     const char     *message)
{
  return allow_notify_failure && g_strcmp0 (log_domain, "vigie-notifier") == 0
         && (log_level & G_LOG_LEVEL_WARNING) != 0
         && g_str_has_prefix (message, "cannot show a notification");
}

static void
notifier_log_handler (const char     *log_domain,
                      GLogLevelFlags  log_level,
                      const char     *message,
                      gpointer        user_data)
{
  if (is_expected_warning (log_domain, log_level, message))
    {
      n_notify_failures++;
      g_test_message ("expected: %s", message);
      return;
    }
  g_log_default_handler (log_domain, log_level, message, user_data);
}

static gboolean
fatal_log_handler (const char     *log_domain,
                   GLogLevelFlags  log_level,
                   const char     *message,
                   gpointer        user_data)
{
  return !is_expected_warning (log_domain, log_level, message);
}

/* ---- set-up ------------------------------------------------------------ */

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
  set_route (f, "fb", status);
  set_route (f, "ig", status);
}

static void
write_settings (Fixture *f)
{
  g_autoptr(GString) text = g_string_new ("[General]\nServices=fb;ig;sl\n"
                                          "Interval=10\nRetryInterval=5\nTimeout=2\n"
                                          "FailuresBeforeDown=2\nSuccessesBeforeUp=1\n");
  g_autofree char *baseline = vigie_test_server_get_url (f->applet.baseline, "/check");
  g_autofree char *path = vigie_config_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_string_append_printf (text, "[Connectivity]\nURLs=%s\n", baseline);
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    vigie_test_applet_append_service (&f->applet, text, services[i].id, services[i].name,
                                      services[i].provider);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, text->str, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *ini = vigie_config_default_path ();

  f->variant = data;
  vigie_test_applet_set_up (&f->applet, "faults");
  write_settings (f);
  f->applet.config = vigie_test_config_load (f->applet.catalog, ini);
  f->history_path = g_build_filename (f->applet.tmp, "state", "history.db", NULL);
}

static void
open_history (Fixture *f)
{
  g_clear_object (&f->applet.history);
  f->applet.history = vigie_test_history_open (f->history_path);
}

static void disk_space_back (Fixture *f);

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *ini = vigie_config_default_path ();
  g_autofree char *config_dir = g_path_get_dirname (ini);

  vigie_test_applet_close (&f->applet);
  disk_space_back (f);
  if (f->mounted)
    {
      /* Detached even if something still held a file there. */
      if (umount2 (f->mount_point, MNT_DETACH) != 0)
        g_test_message ("umount %s: %s", f->mount_point, g_strerror (errno));
      f->mounted = FALSE;
    }
  vigie_test_applet_tear_down (&f->applet);
  vigie_test_remove_tree (config_dir);
  g_free (f->history_path);
  g_free (f->mount_point);
  g_free (f->last_notice);
  allow_notify_failure = FALSE;
}

/* ---- running the app --------------------------------------------------- */

static VigieMonitor *
monitor (Fixture *f)
{
  return vigie_application_get_monitor (f->applet.app);
}

static void
on_notice (VigieMonitor *monitor,
           const char   *message,
           Fixture      *f)
{
  f->n_notices++;
  g_free (f->last_notice);
  f->last_notice = g_strdup (message);
  g_test_message ("notice: %s", message);
}

static void
on_startup (gpointer data)
{
  Fixture *f = data;

  /* Before activate starts the first round. */
  g_object_set (monitor (f), "second-ms", SECOND_MS, NULL);
  g_signal_connect (monitor (f), "notice", G_CALLBACK (on_notice), f);
}

static void
run_body (gpointer data)
{
  Fixture *f = data;

  f->body (f);
}

/* Runs @body inside a new application's main loop, from startup to
 * shutdown, with the fixture's settings and log. */
static void
run_app (Fixture *f,
         void   (*body) (Fixture *f))
{
  if (f->applet.history == NULL)
    open_history (f);
  f->body = body;
  vigie_test_applet_run (&f->applet, "Faults", on_startup, run_body, f);
}

/* A few more rounds: the app is alive and checking. */
static void
wait_for_more_rounds (Fixture *f,
                      guint    n)
{
  vigie_test_wait_for_rounds (monitor (f), vigie_monitor_get_n_rounds (monitor (f)) + n, WAIT_MS);
}

/* The notifications Vigie showed about itself. */
static guint
count_notice_notifications (Fixture    *f,
                            const char *body_part)
{
  g_autoptr(GPtrArray) notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  guint n = 0;

  for (guint i = 0; i < notifications->len; i++)
    {
      VigieFakeNotification *shown = vigie_test_notification (notifications, i);
      if (g_str_equal (shown->summary, NOTICE_SUMMARY))
        {
          g_test_message ("shown: %s — %s", shown->summary, shown->body);
          g_assert_nonnull (strstr (shown->body, body_part));
          n++;
        }
    }
  return n;
}

static gboolean
menu_has (Fixture    *f,
          const char *prefix)
{
  return vigie_test_menu_has (f->applet.desktop, prefix);
}

static GPtrArray *
stored_transitions (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *stored = vigie_history_transitions (f->applet.history, NULL, 0, G_MAXINT64, &error);

  g_assert_no_error (error);
  return stored;
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* The one history.db.corrupt-* beside the log. */
static char *
find_moved_aside (Fixture *f)
{
  g_autofree char *dir = g_path_get_dirname (f->history_path);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  char *found = NULL;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_regex_match_simple ("^history\\.db\\.corrupt-[0-9]{8}-[0-9]{6}(-[0-9]+)?$", name, 0, 0))
      {
        g_assert_null (found);
        found = g_build_filename (dir, name, NULL);
      }
  g_assert_nonnull (found);
  return found;
}

/* ---- the notification daemon dies and comes back ---------------------- */

static void
body_notification_daemon_restart (Fixture *f)
{
  g_autoptr(GPtrArray) notifications = NULL;
  g_autoptr(GError) error = NULL;
  VigieFakeNotification *shown;
  guint32 first_id;

  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_OPERATIONAL, WAIT_MS);
  set_route (f, "sl", 503);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 1, WAIT_MS));
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  g_assert_cmpstr (vigie_test_notification (notifications, 0)->summary, ==, "Slack is down");
  first_id = vigie_test_notification (notifications, 0)->id;
  g_clear_pointer (&notifications, g_ptr_array_unref);

  /* The daemon dies with Slack's outage on screen. Meanwhile Slack comes
   * back and Meta goes down: both notifications fail to show. */
  allow_notify_failure = TRUE;
  vigie_fake_desktop_stop_notifications (f->applet.desktop);
  set_route (f, "sl", 200);
  vigie_test_wait_for_state (monitor (f), "sl", VIGIE_STATE_OPERATIONAL, WAIT_MS);
  set_meta (f, 503);
  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_DOWN, WAIT_MS);
  wait_for_more_rounds (f, 3);
  g_assert_true (vigie_fake_desktop_wait_for_item_property (f->applet.desktop, "IconName",
                                                            "vigie-down", WAIT_MS));
  /* Said once, however many failed. */
  g_assert_cmpuint (n_notify_failures, ==, 1);
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  g_assert_cmpuint (notifications->len, ==, 1);
  g_clear_pointer (&notifications, g_ptr_array_unref);

  /* It comes back: the next changes are shown. */
  g_assert_true (vigie_fake_desktop_start_notifications (f->applet.desktop, &error));
  g_assert_no_error (error);
  set_meta (f, 200);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 2, WAIT_MS));
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  shown = vigie_test_notification (notifications, 1);
  g_assert_true (g_str_has_prefix (shown->summary, "Facebook and Instagram are back"));
  g_assert_true (vigie_fake_desktop_is_notification_open (f->applet.desktop, shown->id));
  g_clear_pointer (&notifications, g_ptr_array_unref);

  /* Slack's notification died with the old daemon: its next outage must
   * still reach the screen. */
  set_route (f, "sl", 503);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 3, WAIT_MS));
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  shown = vigie_test_notification (notifications, 2);
  g_assert_cmpstr (shown->summary, ==, "Slack is down");
  g_assert_cmpuint (shown->urgency, ==, 2);
  g_assert_true (vigie_fake_desktop_is_notification_open (f->applet.desktop, shown->id));
  g_test_message ("first Slack notification %u, after the restart %u (replaces %u)", first_id,
                  shown->id, shown->replaces_id);
  g_assert_cmpuint (n_notify_failures, ==, 1);
  allow_notify_failure = FALSE;
}

static void
test_notification_daemon_restart (Fixture       *f,
                                  gconstpointer  data)
{
  /* (GLib resets the fatal handler for each test.) */
  g_test_log_set_fatal_handler (fatal_log_handler, NULL);
  n_notify_failures = 0;
  run_app (f, body_notification_daemon_restart);
}

/* A notification's id belongs to the daemon that gave it out. A daemon that
 * comes back has forgotten the old ones and numbers its own from wherever
 * it likes (real ones start again at 1), so asking it to replace an old id
 * may replace someone else's notification. After a restart, a notification
 * Vigie updates must be one the new daemon knows, or a new one. */
static void
body_notification_ids_after_daemon_restart (Fixture *f)
{
  g_autoptr(GPtrArray) notifications = NULL;
  g_autoptr(GError) error = NULL;
  VigieFakeNotification *back;

  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_OPERATIONAL, WAIT_MS);
  set_route (f, "sl", 503);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 1, WAIT_MS));

  /* A quick restart (a shell restarting): no notification fails meanwhile. */
  vigie_fake_desktop_stop_notifications (f->applet.desktop);
  g_assert_true (vigie_fake_desktop_start_notifications (f->applet.desktop, &error));
  g_assert_no_error (error);

  set_route (f, "sl", 200);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 2, WAIT_MS));
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  back = vigie_test_notification (notifications, 1);
  g_assert_true (g_str_has_prefix (back->summary, "Slack is back"));
  g_test_message ("after the restart: id %u, replaces %u (%s)", back->id, back->replaces_id,
                  back->replaced ? "known to the daemon" : "unknown to the daemon");
  g_assert_true (back->replaces_id == 0 || back->replaced);
}

static void
test_notification_ids_after_daemon_restart (Fixture       *f,
                                            gconstpointer  data)
{
  run_app (f, body_notification_ids_after_daemon_restart);
}

/* ---- the tray host dies and comes back --------------------------------- */

static void
body_tray_host_restart (Fixture *f)
{
  g_autofree char *item = NULL;
  g_autofree char *again = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) items = NULL;

  item = vigie_fake_desktop_wait_for_item (f->applet.desktop, WAIT_MS);
  g_assert_true (vigie_fake_desktop_wait_for_item_property (f->applet.desktop, "IconName",
                                                            "vigie-operational", WAIT_MS));

  /* The panel dies; meanwhile Meta goes down. */
  vigie_fake_desktop_stop_watcher (f->applet.desktop);
  items = vigie_fake_desktop_get_items (f->applet.desktop);
  g_assert_cmpuint (g_strv_length (items), ==, 0);
  set_meta (f, 503);
  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_DOWN, WAIT_MS);
  /* Long enough for ayatana to fall back to its XEmbed icon, and for the
   * tray's coalesced update. */
  vigie_test_spin (600);
  g_assert_cmpstr (vigie_tray_get_icon_name (vigie_application_get_tray (f->applet.app)), ==,
                   "vigie-down");

  /* The panel comes back: the same item registers again, showing now. */
  g_assert_true (vigie_fake_desktop_start_watcher (f->applet.desktop, &error));
  g_assert_no_error (error);
  again = vigie_fake_desktop_wait_for_item (f->applet.desktop, WAIT_MS);
  g_assert_cmpstr (again, ==, item);
  g_assert_true (vigie_fake_desktop_wait_for_item_property (f->applet.desktop, "IconName",
                                                            "vigie-down", WAIT_MS));
  /* The title the app has now (its words are another test's business). */
  title = g_strdup (vigie_tray_get_title (vigie_application_get_tray (f->applet.app)));
  g_assert_nonnull (strstr (title, "down"));
  g_assert_true (vigie_fake_desktop_wait_for_item_property (f->applet.desktop, "Title", title,
                                                            WAIT_MS));
  g_assert_true (menu_has (f, "Facebook — down since "));
  g_assert_true (menu_has (f, "Instagram — down since "));

  /* And it keeps following. */
  set_meta (f, 200);
  g_assert_true (vigie_fake_desktop_wait_for_item_property (f->applet.desktop, "IconName",
                                                            "vigie-operational", WAIT_MS));
  g_assert_false (menu_has (f, "Facebook — down since "));
}

static void
test_tray_host_restart (Fixture       *f,
                        gconstpointer  data)
{
  run_app (f, body_tray_host_restart);
}

/* ---- the settings folder is deleted ------------------------------------ */

static void
body_settings_folder_removed (Fixture *f)
{
  g_autofree char *ini = vigie_config_default_path ();
  g_autofree char *dir = g_path_get_dirname (ini);
  g_autoptr(VigieConfig) reread = NULL;
  g_autoptr(GPtrArray) watched = NULL;
  g_autoptr(GPtrArray) notifications = NULL;
  g_autoptr(GError) error = NULL;
  const char *const muted[] = { "sl", NULL };
  GStatBuf st;

  g_assert_cmpstr (vigie_config_get_path (f->applet.config), ==, ini);
  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_OPERATIONAL, WAIT_MS);

  vigie_test_remove_tree (dir);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  /* It runs on, with its settings. */
  wait_for_more_rounds (f, 3);
  g_assert_cmpuint (vigie_monitor_get_services (monitor (f))->len, ==, 3);
  set_route (f, "sl", 503);
  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_DOWN, WAIT_MS);

  /* A change of settings is saved, folder and file made again, whole. */
  g_assert_true (vigie_config_set_setting (f->applet.config, VIGIE_SETTING_INTERVAL, 20, &error));
  g_assert_no_error (error);
  g_assert_true (vigie_config_save (f->applet.config, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (ini, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  reread = vigie_test_config_load (f->applet.catalog, ini);
  g_assert_cmpuint (vigie_config_get_setting (reread, VIGIE_SETTING_INTERVAL), ==, 20);
  g_assert_cmpuint (vigie_config_get_setting (reread, VIGIE_SETTING_FAILURES_BEFORE_DOWN), ==, 2);
  watched = vigie_config_get_watched (reread);
  g_assert_cmpuint (watched->len, ==, 3);
  g_assert_cmpstr (((VigieService *) g_ptr_array_index (watched, 2))->name, ==, "Slack");
  g_clear_object (&reread);

  /* Gone again, and the app saves on its own ("Mute Until It's Back"). */
  vigie_test_remove_tree (dir);
  g_action_group_activate_action (G_ACTION_GROUP (f->applet.app), "mute",
                                  g_variant_new_strv (muted, -1));
  g_assert_true (g_file_test (ini, G_FILE_TEST_IS_REGULAR));
  reread = vigie_config_new (f->applet.catalog, ini);
  g_assert_true (vigie_config_load (reread, &error));
  g_assert_cmpint (vigie_config_get_mute (reread, "sl", 0), ==, VIGIE_MUTE_UNTIL_BACK);
  g_assert_cmpuint (vigie_config_get_setting (reread, VIGIE_SETTING_INTERVAL), ==, 20);

  /* No complaint about saving, and the monitoring went on throughout. */
  wait_for_more_rounds (f, 2);
  notifications = vigie_fake_desktop_get_notifications (f->applet.desktop);
  for (guint i = 0; i < notifications->len; i++)
    g_assert_cmpstr (vigie_test_notification (notifications, i)->summary, !=,
                     "Vigie could not save its settings");
  g_assert_cmpuint (f->n_notices, ==, 0);
}

static void
test_settings_folder_removed (Fixture       *f,
                              gconstpointer  data)
{
  run_app (f, body_settings_folder_removed);
}

/* ---- the disk fills up under the log ----------------------------------- */

static gboolean
run_quietly (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, &error))
    {
      g_test_message ("%s: %s", argv[0], error->message);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (status, &error))
    {
      g_test_message ("%s: %s %s", argv[0], error->message, err);
      return FALSE;
    }
  return TRUE;
}

static char *
find_tool (const char *name)
{
  static const char *const dirs[] = { "/usr/sbin", "/sbin", "/usr/bin", "/bin" };
  char *path = g_find_program_in_path (name);

  for (guint i = 0; path == NULL && i < G_N_ELEMENTS (dirs); i++)
    {
      char *candidate = g_build_filename (dirs[i], name, NULL);
      if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
        path = candidate;
      else
        g_free (candidate);
    }
  return path;
}

/* A small ext4 image, loop-mounted: a real file system that fills up. */
static gboolean
mount_loop_ext4 (Fixture *f)
{
  g_autofree char *image = g_build_filename (f->applet.tmp, "disk.img", NULL);
  g_autofree char *mkfs = find_tool ("mkfs.ext4");
  g_autofree char *mount_tool = find_tool ("mount");
  int fd;

  if (mkfs == NULL || mount_tool == NULL)
    {
      g_test_message ("no mkfs.ext4 or mount(8)");
      return FALSE;
    }
  fd = g_open (image, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 8 * 1024 * 1024), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);
  {
    const char *const format[] = { mkfs, "-q", "-F", "-m", "0", image, NULL };
    const char *const mount_argv[] = { mount_tool, "-t", "ext4", "-o", "loop", image,
                                       f->mount_point, NULL };
    if (!run_quietly (format) || !run_quietly (mount_argv))
      return FALSE;
  }
  return TRUE;
}

static gboolean
mount_tmpfs (Fixture *f)
{
  if (mount ("vigie-test", f->mount_point, "tmpfs", MS_NOSUID | MS_NODEV,
             "size=2m,mode=0700") != 0)
    {
      g_test_message ("tmpfs: %s", g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

typedef enum
{
  DISK_LOOP_EXT4,
  DISK_TMPFS,
  DISK_FSIZE_LIMIT,
} DiskKind;

/* The best full disk this machine allows. VIGIE_TEST_FULL_DISK=tmpfs or
 * =fsize starts further down the list, to try the fallbacks. */
static DiskKind
small_disk (Fixture *f)
{
  const char *first = g_getenv ("VIGIE_TEST_FULL_DISK");
  DiskKind start = g_strcmp0 (first, "fsize") == 0 ? DISK_FSIZE_LIMIT
                   : g_strcmp0 (first, "tmpfs") == 0 ? DISK_TMPFS
                   : DISK_LOOP_EXT4;

  f->mount_point = g_build_filename (f->applet.tmp, "disk", NULL);
  g_assert_cmpint (g_mkdir (f->mount_point, 0700), ==, 0);

  if (start <= DISK_LOOP_EXT4 && mount_loop_ext4 (f))
    {
      f->mounted = TRUE;
      return DISK_LOOP_EXT4;
    }
  if (start <= DISK_TMPFS && mount_tmpfs (f))
    {
      f->mounted = TRUE;
      return DISK_TMPFS;
    }
  return DISK_FSIZE_LIMIT;
}

static char *
filler_path (Fixture *f)
{
  return g_build_filename (f->mount_point, "filler", NULL);
}

/* Fills the small disk, or makes every write to a file fail as a full
 * disk does (see test-history.c: a file-size limit holds for root too, on
 * descriptors already open). */
static void
fill_disk (Fixture  *f,
           DiskKind  kind)
{
  if (kind == DISK_FSIZE_LIMIT)
    {
      struct rlimit limit;

      g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &f->saved_fsize), ==, 0);
      limit = f->saved_fsize;
      limit.rlim_cur = 1;
      f->saved_sigxfsz = signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      f->fsize_limited = TRUE;
    }
  else
    {
      g_autofree char *path = filler_path (f);
      static char block[64 * 1024];
      int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      gsize total = 0;
      gssize written;

      g_assert_cmpint (fd, >=, 0);
      memset (block, 'F', sizeof block);
      /* Big writes first, then small ones for the last crumbs. */
      for (gsize size = sizeof block; size >= 512; size /= 2)
        while ((written = write (fd, block, size)) > 0)
          total += written;
      g_assert_cmpint (errno, ==, ENOSPC);
      fsync (fd);
      close (fd);
      g_test_message ("filled the disk with %zu KiB", total / 1024);
    }
}

static void
disk_space_back (Fixture *f)
{
  if (f->fsize_limited)
    {
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &f->saved_fsize), ==, 0);
      signal (SIGXFSZ, f->saved_sigxfsz);
      f->fsize_limited = FALSE;
    }
  if (f->mount_point != NULL)
    {
      g_autofree char *path = filler_path (f);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_assert_cmpint (g_unlink (path), ==, 0);
          /* ext4 reuses freed blocks once the journal has committed. */
          sync ();
        }
    }
}

static DiskKind disk_kind;

static gboolean
nothing_pending (gpointer history)
{
  return vigie_history_get_n_pending (history) == 0;
}

static void
body_disk_full (Fixture *f)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;

  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_OPERATIONAL, WAIT_MS);
  before = stored_transitions (f);
  g_assert_cmpuint (before->len, ==, 3);

  fill_disk (f, disk_kind);

  /* Slack goes down, then Meta: nothing of it can be written. */
  set_route (f, "sl", 503);
  vigie_test_wait_for_state (monitor (f), "sl", VIGIE_STATE_DOWN, WAIT_MS);
  wait_for_more_rounds (f, 3);
  set_meta (f, 503);
  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_DOWN, WAIT_MS);
  vigie_test_wait_for_state (monitor (f), "fb", VIGIE_STATE_DOWN, WAIT_MS);
  wait_for_more_rounds (f, 3);

  /* Monitoring went on, and the tray says so. */
  g_assert_true (vigie_fake_desktop_wait_for_item_property (f->applet.desktop, "IconName",
                                                            "vigie-down", WAIT_MS));
  g_assert_true (vigie_history_is_failing (f->applet.history));
  g_assert_cmpuint (vigie_history_get_n_pending (f->applet.history), ==, 3);

  /* Said once: one notice, one notification, whatever the retries. */
  g_assert_cmpuint (f->n_notices, ==, 1);
  g_assert_nonnull (strstr (f->last_notice, f->history_path));
  if (disk_kind != DISK_FSIZE_LIMIT)
    g_assert_nonnull (strstr (f->last_notice, "the disk is full"));
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 3, WAIT_MS));
  g_assert_cmpuint (count_notice_notifications (f, "The outage log could not be written"), ==, 1);

  /* Nothing stored before is lost. */
  after = stored_transitions (f);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    {
      VigieTransition *a = g_ptr_array_index (before, i), *b = g_ptr_array_index (after, i);
      g_assert_cmpstr (a->service_id, ==, b->service_id);
      g_assert_cmpint (a->at, ==, b->at);
    }
  g_clear_pointer (&after, g_ptr_array_unref);

  /* Room again: the next round writes what was held back, once. */
  disk_space_back (f);
  vigie_test_wait_for (nothing_pending, f->applet.history, WAIT_MS);
  g_assert_cmpuint (vigie_history_get_n_pending (f->applet.history), ==, 0);
  g_assert_false (vigie_history_is_failing (f->applet.history));

  after = stored_transitions (f);
  g_assert_cmpuint (after->len, ==, 6);
  {
    const char *const expected[] = { "sl", "fb", "ig" };
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        VigieTransition *t = g_ptr_array_index (after, 3 + i);
        g_assert_cmpstr (t->service_id, ==, expected[i]);
        g_assert_cmpint (t->from, ==, VIGIE_STATE_OPERATIONAL);
        g_assert_cmpint (t->to, ==, VIGIE_STATE_DOWN);
      }
  }

  /* Back to normal: new transitions are written at once, and no more
   * notices. */
  set_meta (f, 200);
  set_route (f, "sl", 200);
  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_OPERATIONAL, WAIT_MS);
  g_clear_pointer (&after, g_ptr_array_unref);
  after = stored_transitions (f);
  g_assert_cmpuint (after->len, ==, 9);
  g_assert_cmpuint (f->n_notices, ==, 1);
}

static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  static const char *const names[] = {
    [DISK_LOOP_EXT4] = "a loop-mounted 8 MiB ext4 image",
    [DISK_TMPFS] = "a 2 MiB tmpfs",
    [DISK_FSIZE_LIMIT] = "a file-size limit (RLIMIT_FSIZE), no small file system mounted",
  };

  disk_kind = small_disk (f);
  g_test_message ("full disk: %s", names[disk_kind]);
  g_free (f->history_path);
  f->history_path = g_build_filename (f->mount_point, "vigie", "history.db", NULL);
  run_app (f, body_disk_full);
  g_clear_object (&f->applet.app);

  /* The log, closed and opened again, holds all of it. */
  open_history (f);
  {
    g_autoptr(GPtrArray) stored = stored_transitions (f);
    /* 9 above, and "stopped watching" for the three at the end. */
    g_assert_cmpuint (stored->len, ==, 12);
  }
  g_assert_null (vigie_history_take_notice (f->applet.history));
}

/* ---- the log is damaged while open ------------------------------------- */

static void
body_keeps_going (Fixture *f)
{
  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_OPERATIONAL, WAIT_MS);

  /* Spoil the file under the running app. */
  if (g_str_equal (f->variant, "header"))
    {
      static const char garbage[100] = "This is no longer an SQLite database header.";
      int fd = g_open (f->history_path, O_WRONLY, 0);

      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (pwrite (fd, garbage, sizeof garbage, 0), ==, sizeof garbage);
      g_assert_cmpint (fsync (fd), ==, 0);
      g_assert_cmpint (close (fd), ==, 0);
    }
  else
    {
      g_autofree char *replacement = g_strconcat (f->history_path, ".new", NULL);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (replacement, "Not a database either.\n", -1, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_rename (replacement, f->history_path), ==, 0);
    }

  /* No crash; the app follows what happens. */
  set_route (f, "sl", 503);
  g_assert_true (vigie_fake_desktop_wait_for_item_property (f->applet.desktop, "IconName",
                                                            "vigie-down", WAIT_MS));
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 1, WAIT_MS));
  set_route (f, "sl", 200);
  g_assert_true (vigie_fake_desktop_wait_for_item_property (f->applet.desktop, "IconName",
                                                            "vigie-operational", WAIT_MS));
  wait_for_more_rounds (f, 3);
}

static void
body_notice_after_restart (Fixture *f)
{
  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_OPERATIONAL, WAIT_MS);
  wait_for_more_rounds (f, 3);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (f->applet.desktop, 1, WAIT_MS));
  g_assert_cmpuint (f->n_notices, ==, 1);
  g_assert_nonnull (strstr (f->last_notice, "moved aside"));
}

static void
body_no_notice_after_restart (Fixture *f)
{
  vigie_test_wait_for_overall (monitor (f), VIGIE_OVERALL_OPERATIONAL, WAIT_MS);
  wait_for_more_rounds (f, 3);
  g_assert_cmpuint (f->n_notices, ==, 0);
}

/* Overwritten in place, the damage is found at the next start. Replaced by
 * another file, the replacement is found at the next write (the file at the
 * path is no longer the one open): moved aside then, a new log started,
 * and said once, while running. */
static void
test_history_damaged (Fixture       *f,
                      gconstpointer  data)
{
  gboolean replaced = g_str_equal (data, "replaced");
  g_autofree char *moved = NULL;
  g_autoptr(GBytes) kept = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  const guint8 *head;
  guint n_after_damage;
  gsize size;

  /* Opened and closed once, so that the file holds the schema and the
   * write-ahead log starts empty, as after any restart. */
  open_history (f);
  g_clear_object (&f->applet.history);
  open_history (f);

  run_app (f, body_keeps_going);
  if (replaced)
    {
      g_assert_cmpuint (f->n_notices, ==, 1);
      g_assert_nonnull (strstr (f->last_notice, "moved aside"));
      g_assert_cmpuint (count_notice_notifications (f, "moved aside"), ==, 1);
    }
  else
    g_assert_cmpuint (f->n_notices, <=, 1);
  g_clear_object (&f->applet.app);
  g_clear_object (&f->applet.history);

  /* The next start: moved aside (now, or already), a new log, and it is
   * said once. */
  vigie_fake_desktop_clear_notifications (f->applet.desktop);
  f->n_notices = 0;
  open_history (f);
  moved = find_moved_aside (f);
  kept = read_bytes (moved);
  head = g_bytes_get_data (kept, &size);
  if (replaced)
    g_assert_cmpmem (head, size, "Not a database either.\n", 23);
  else
    {
      g_assert_cmpuint (size, >, 4096);
      g_assert_cmpmem (head, 44, "This is no longer an SQLite database header.", 44);
    }
  stored = stored_transitions (f);
  /* Replaced: the new log holds what happened after (at least Slack down
   * and back, and the stops). */
  n_after_damage = stored->len;
  if (replaced)
    g_assert_cmpuint (n_after_damage, >=, 2);
  else
    g_assert_cmpuint (n_after_damage, ==, 0);

  run_app (f, replaced ? body_no_notice_after_restart : body_notice_after_restart);
  g_assert_cmpuint (count_notice_notifications (f, "moved aside"), ==, replaced ? 0 : 1);
  g_assert_null (vigie_history_take_notice (f->applet.history));
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = stored_transitions (f);
  /* The new log works: a start and a stop for each service. */
  g_assert_cmpuint (stored->len, ==, n_after_damage + 2 * G_N_ELEMENTS (services));
}

/* ---- main -------------------------------------------------------------- */

/* Mounts made from here on are the test's own: they vanish with it. */
static void
private_mounts (void)
{
  if (unshare (CLONE_NEWNS) != 0)
    {
      g_printerr ("# no mount namespace of our own (%s)\n", g_strerror (errno));
      return;
    }
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    g_printerr ("# mounts could not be made private (%s)\n", g_strerror (errno));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = NULL;
  int status;

  /* First, while the process has one thread. */
  private_mounts ();

  home = vigie_test_private_home ("faults");
  vigie_test_app_init (&argc, &argv);
  g_log_set_handler ("vigie-notifier", G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL, notifier_log_handler,
                     NULL);

#define ADD(path, data, func) \
  g_test_add ("/faults/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("notification-daemon-restart", NULL, test_notification_daemon_restart);
  ADD ("notification-ids-after-daemon-restart", NULL, test_notification_ids_after_daemon_restart);
  ADD ("tray-host-restart", NULL, test_tray_host_restart);
  ADD ("settings-folder-removed", NULL, test_settings_folder_removed);
  ADD ("disk-full", NULL, test_disk_full);
  ADD ("history/header-overwritten", "header", test_history_damaged);
  ADD ("history/replaced", "replaced", test_history_damaged);
#undef ADD

  status = g_test_run ();
  vigie_test_remove_tree (home);
  return status;
}
