/* bench-detect.c — detection latency: outage injected → notification on the bus.
 *
 * What it measures: the time from a loopback service starting to fail to
 * Vigie's "down" notification reaching the notification daemon, next to the
 * documented worst case `Interval + (FailuresBeforeDown − 1) × RetryInterval
 * + Timeout` (DESIGN.md §1, README "How Vigie decides").
 *
 * How: the real applet (VigieApplication: monitor, tracker, alerts,
 * notifier, libnotify) runs in this process, as in tests/test-app.c, on the
 * fake desktop (tests/vigie-fake-desktop.c: a notification daemon on its own
 * thread and bus connection, so the Notify call really crosses the private
 * session bus). Time is scaled with the monitor's "second-ms" property:
 * Interval=60 and RetryInterval=20 settings seconds become 3 s and 1 s;
 * Timeout (1 s) is curl's and is not scaled, so the bound is
 * 3 + 2 × 1 + 1 = 6 s. Each injection picks a service not yet used (so the
 * flapping detector never hears of one twice), waits for a round to end,
 * then a uniformly random part of the Interval (a random phase), and makes
 * the service fail — alternately answering 503 at once, and hanging until
 * the timeout (the case the bound's Timeout term is for). The clock stops
 * when the daemon has the notification; the service is then restored and
 * the recovery notification awaited before the next injection.
 *
 * Why it is fair: nothing is stubbed between the HTTP answer and the bus;
 * the same code, settings and scaling are used for every injection; the
 * phase is random, so the figures cover the range the bound covers.
 *
 * Run it under Xvfb and a private session bus, as ./dev bench does:
 *   bench-detect [--quick]      (--quick: 4 injections instead of 10)
 */
#include "config.h"

#include <locale.h>

#include "vigie-application.h"
#include "vigie-fake-desktop.h"
#include "vigie-test-server.h"

#define SECOND_MS 50
#define INTERVAL 60
#define RETRY_INTERVAL 20
#define TIMEOUT 1
#define FAILURES 3
#define MAX_INJECTIONS 10

typedef struct
{
  VigieFakeDesktop *desktop;
  VigieTestServer *server;
  VigieApplication *app;
  guint injections;
  guint rounds;            /* rounds finished */
  int status;
} Bench;

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the application's main context until @done says so or @timeout_ms
 * pass. Returns whether @done said so. */
static gboolean
iterate_until (gboolean (*done) (Bench *b, gpointer data),
               Bench     *b,
               gpointer   data,
               guint      timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, set_flag, &expired);
  gboolean ok;

  while (!(ok = done != NULL && done (b, data)) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return ok;
}

static guint
n_notifications (Bench *b)
{
  g_autoptr(GPtrArray) all = vigie_fake_desktop_get_notifications (b->desktop);
  return all->len;
}

static gboolean
more_notifications (Bench   *b,
                    gpointer data)
{
  return n_notifications (b) > GPOINTER_TO_UINT (data);
}

static gboolean
more_rounds (Bench   *b,
             gpointer data)
{
  return b->rounds > GPOINTER_TO_UINT (data);
}

static void
on_round_finished (VigieMonitor *monitor,
                   gpointer      round,
                   Bench        *b)
{
  b->rounds++;
}

static void
set_service (Bench    *b,
             guint     i,
             gboolean  fail,
             gboolean  hang)
{
  g_autofree char *path = g_strdup_printf ("/d%u", i);
  VigieTestRoute route = { .status = 200, .content_type = "text/plain" };

  if (fail && hang)
    route.delay_ms = 600000;     /* never, as far as curl's timeout is concerned */
  else if (fail)
    route.status = 503;
  vigie_test_server_set_route_full (b->server, path, &route);
}

/* Last notification's words mention service @i? */
static gboolean
last_mentions (Bench *b,
               guint  i)
{
  g_autoptr(GPtrArray) all = vigie_fake_desktop_get_notifications (b->desktop);
  g_autofree char *name = g_strdup_printf ("Detect %u", i);
  VigieFakeNotification *last;

  if (all->len == 0)
    return FALSE;
  last = g_ptr_array_index (all, all->len - 1);
  return strstr (last->summary, name) != NULL || strstr (last->body, name) != NULL;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
run (Bench *b)
{
  VigieMonitor *monitor = vigie_application_get_monitor (b->app);
  double bound_ms = (INTERVAL + (FAILURES - 1) * RETRY_INTERVAL) * SECOND_MS + TIMEOUT * 1000.0;
  double measured[MAX_INJECTIONS];
  guint n_measured = 0;
  g_autoptr(GRand) rand = g_rand_new ();

  g_signal_connect (monitor, "round-finished", G_CALLBACK (on_round_finished), b);
  if (!iterate_until (more_rounds, b, GUINT_TO_POINTER (0), 30000))
    {
      g_printerr ("bench-detect: the first round never finished\n");
      b->status = 1;
      return;
    }

  g_print ("## Detection: outage injected → notification on the bus\n\n");
  g_print ("Measured with `xvfb-run -a dbus-run-session --config-file=tests/session-bus.conf -- "
           "_build/bench/bench-detect` (as `./dev bench` runs it): the applet in process on the "
           "fake desktop, settings Interval=%d, RetryInterval=%d, Timeout=%d, "
           "FailuresBeforeDown=%d, time scaled by the monitor's `second-ms` = %d (Interval "
           "%.0f s, RetryInterval %.0f s; Timeout is curl's, unscaled). Bound = Interval + (FailuresBeforeDown − 1) × "
           "RetryInterval + Timeout = **%.0f ms**. Each outage starts at a random phase of the "
           "Interval, on a service not used before.\n\n",
           INTERVAL, RETRY_INTERVAL, TIMEOUT, FAILURES, SECOND_MS,
           INTERVAL * SECOND_MS / 1000.0, RETRY_INTERVAL * SECOND_MS / 1000.0, bound_ms);
  g_print ("| # | outage | injected, ms after a round ended | notified after | ÷ bound |\n");
  g_print ("|---:|---|---:|---:|---:|\n");

  for (guint i = 0; i < b->injections; i++)
    {
      gboolean hang = i % 2 == 1;
      guint before;
      guint phase_ms = (guint) g_rand_int_range (rand, 0, INTERVAL * SECOND_MS);
      gint64 start;
      double ms;

      /* A random phase of the cycle: a round has just ended, the next one is
       * an Interval after it started. */
      iterate_until (more_rounds, b, GUINT_TO_POINTER (b->rounds), 30000);
      iterate_until (NULL, b, NULL, phase_ms);

      before = n_notifications (b);
      set_service (b, i, TRUE, hang);
      start = g_get_monotonic_time ();
      if (!iterate_until (more_notifications, b, GUINT_TO_POINTER (before),
                          (guint) bound_ms * 3))
        {
          g_print ("| %u | %s | %u | never (waited %.0f ms) | — |\n", i + 1,
                   hang ? "hangs (timeout)" : "503", phase_ms, bound_ms * 3);
          b->status = 1;
          continue;
        }
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (!last_mentions (b, i))
        g_printerr ("bench-detect: notification %u does not name the service\n", i + 1);
      measured[n_measured++] = ms;
      g_print ("| %u | %s | %u | %.0f ms | %.2f |\n", i + 1, hang ? "hangs (timeout)" : "503",
               phase_ms, ms, ms / bound_ms);

      /* Back, and the "back" notification out, before the next one. */
      before = n_notifications (b);
      set_service (b, i, FALSE, FALSE);
      if (!iterate_until (more_notifications, b, GUINT_TO_POINTER (before), 30000))
        g_printerr ("bench-detect: no recovery notification for service %u\n", i);
    }

  if (n_measured > 0)
    {
      double median;

      qsort (measured, n_measured, sizeof (double), compare_double);
      median = n_measured % 2 ? measured[n_measured / 2]
                              : (measured[n_measured / 2 - 1] + measured[n_measured / 2]) / 2;
      g_print ("\nOver %u outages: median **%.0f ms**, longest **%.0f ms** = %.2f × the bound "
               "(%.0f ms)%s.\n\n", n_measured, median,
               measured[n_measured - 1], measured[n_measured - 1] / bound_ms, bound_ms,
               measured[n_measured - 1] <= bound_ms ? "; every one within it"
                                                    : "; **the bound was exceeded**");
    }
}

static void
on_activate (GApplication *application,
             Bench        *b)
{
  static gboolean once;

  if (once)
    return;
  once = TRUE;
  g_object_set (vigie_application_get_monitor (b->app), "second-ms", SECOND_MS, NULL);
  run (b);
  g_application_quit (application);
}

static char *
write_settings (const char      *dir,
                VigieTestServer *server,
                VigieTestServer *baseline,
                guint            n)
{
  g_autoptr(GString) text = g_string_new ("[General]\nServices=");
  g_autofree char *check = vigie_test_server_get_url (baseline, "/check");
  char *path = g_build_filename (dir, "vigie.ini", NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "d%u;", i);
  g_string_append_printf (text, "\nInterval=%d\nRetryInterval=%d\nTimeout=%d\n"
                                "FailuresBeforeDown=%d\nSuccessesBeforeUp=2\n"
                                "[Connectivity]\nURLs=%s\n",
                          INTERVAL, RETRY_INTERVAL, TIMEOUT, FAILURES, check);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *route = g_strdup_printf ("/d%u", i);
      g_autofree char *site = vigie_test_server_get_url (server, route);

      /* One provider each: one notification each. */
      g_string_append_printf (text, "[Service d%u]\nName=Detect %u\nProvider=Provider %u\n"
                                    "Site=%s\n", i, i, i, site);
    }
  g_file_set_contents (path, text->str, -1, NULL);
  return path;
}

int
main (int   argc,
      char *argv[])
{
  Bench b = { .injections = MAX_INJECTIONS };
  g_autoptr(VigieTestServer) baseline = NULL;
  g_autoptr(VigieCatalog) catalog = NULL;
  g_autoptr(VigieConfig) config = NULL;
  g_autoptr(VigieHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *ini = NULL;
  g_autofree char *db = NULL;

  setlocale (LC_ALL, "");
  if (argc > 1 && g_str_equal (argv[1], "--quick"))
    b.injections = 4;
  /* As the applet's tests run it: no accessibility bus, settings in memory,
   * icons from the source tree. */
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("VIGIE_ICON_DIR", VIGIE_SOURCE_DIR "/icons", FALSE);
  if (g_getenv ("DISPLAY") == NULL || g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_printerr ("bench-detect: needs an X display and a private session bus; "
                  "run it through ./dev bench\n");
      return 2;
    }
  vigie_http_global_init ();

  b.desktop = vigie_fake_desktop_new (&error);
  if (b.desktop == NULL || !vigie_fake_desktop_start_notifications (b.desktop, &error)
      || !vigie_fake_desktop_start_watcher (b.desktop, &error))
    {
      g_printerr ("bench-detect: the fake desktop: %s\n", error->message);
      return 1;
    }
  b.server = vigie_test_server_new (FALSE, &error);
  baseline = b.server != NULL ? vigie_test_server_new (FALSE, &error) : NULL;
  if (baseline == NULL)
    {
      g_printerr ("bench-detect: the loopback server: %s\n", error->message);
      return 1;
    }
  vigie_test_server_set_route (baseline, "/check", 200, "text/plain", NULL);
  for (guint i = 0; i < b.injections; i++)
    set_service (&b, i, FALSE, FALSE);

  tmp = g_dir_make_tmp ("vigie-detect-XXXXXX", &error);
  ini = write_settings (tmp, b.server, baseline, b.injections);
  catalog = vigie_catalog_new_builtin (&error);
  config = vigie_config_new (catalog, ini);
  if (!vigie_config_load (config, &error) || vigie_config_get_problems (config)->len > 0)
    {
      g_printerr ("bench-detect: settings: %s\n", error ? error->message
                  : (char *) g_ptr_array_index (vigie_config_get_problems (config), 0));
      return 1;
    }
  db = g_build_filename (tmp, "history.db", NULL);
  history = vigie_history_open (db, &error);

  b.app = vigie_application_new (config, history, NULL, FALSE);
  g_application_set_application_id (G_APPLICATION (b.app), APPLICATION_ID ".BenchDetect");
  g_application_set_flags (G_APPLICATION (b.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (b.app, "activate", G_CALLBACK (on_activate), &b);
  g_application_run (G_APPLICATION (b.app), 0, NULL);

  g_clear_object (&b.app);
  g_clear_object (&history);
  vigie_test_server_free (b.server);
  vigie_fake_desktop_free (b.desktop);
  {
    const char *rm_argv[] = { "rm", "-rf", tmp, NULL };
    g_spawn_sync (NULL, (char **) rm_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                  NULL, NULL);
  }
  return b.status;
}
