/* test-monitor.c — the monitor on a schedule against loopback stand-ins,
 * replaying 4 October 2021 in seconds: four services of one provider fail at
 * once while the user's connection works; they come back; then the user's
 * connection fails and nothing may be declared. */
#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "vigie-monitor.h"
#include "vigie-test-monitor.h"
#include "vigie-test-server.h"

static const char *const meta[] = { "facebook-test", "instagram-test", "whatsapp-test",
                                    "messenger-test" };

typedef struct
{
  VigieTestServer *server;    /* the services */
  VigieTestServer *baseline;  /* the "is it me?" check, on its own server */
  VigieCatalog *catalog;
  VigieConfig *config;
  VigieHistory *history;
  VigieMonitor *monitor;
  char *tmp;
  GPtrArray *transitions;     /* VigieTransition*, as emitted */
  GArray *transition_rounds;  /* guint: n_rounds when each was emitted */
  guint connectivity_changes;
} Fixture;

static void
on_service_changed (VigieMonitor    *monitor,
                    VigieTransition *transition,
                    Fixture         *f)
{
  /* Emitted before the round is counted as finished: note the round number. */
  guint round = vigie_monitor_get_n_rounds (monitor);

  g_ptr_array_add (f->transitions, vigie_transition_copy (transition));
  g_array_append_val (f->transition_rounds, round);
  g_test_message ("round %u: %s %s → %s (%s)", round, transition->service_id,
                  vigie_state_to_string (transition->from), vigie_state_to_string (transition->to),
                  transition->reason);
}

static void
on_connectivity_changed (VigieMonitor *monitor,
                         int           connectivity,
                         Fixture      *f)
{
  f->connectivity_changes++;
}

static void
write_settings (Fixture    *f,
                const char *extra)
{
  g_autoptr(GString) text = g_string_new ("[General]\nServices=");
  g_autofree char *baseline = vigie_test_server_get_url (f->baseline, "/generate_204");
  g_autofree char *path = g_build_filename (f->tmp, "vigie.ini", NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (meta); i++)
    g_string_append_printf (text, "%s;", meta[i]);
  /* Interval 1 s and RetryInterval 0.5 s once scaled by second-ms = 100. */
  g_string_append_printf (text, "\nInterval=10\nRetryInterval=5\nTimeout=2\n"
                                "FailuresBeforeDown=3\nSuccessesBeforeUp=2\n%s\n"
                                "[Connectivity]\nURLs=%s\n",
                          extra ? extra : "", baseline);
  for (guint i = 0; i < G_N_ELEMENTS (meta); i++)
    {
      g_autofree char *route = g_strdup_printf ("/%s", meta[i]);
      g_autofree char *site = vigie_test_server_get_url (f->server, route);
      g_string_append_printf (text, "[Service %s]\nName=%s\nProvider=Meta\nSite=%s\n", meta[i],
                              meta[i], site);
      vigie_test_server_set_route (f->server, route, 200, "text/html", "ok");
    }
  g_file_set_contents (path, text->str, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *db = NULL;

  f->tmp = vigie_test_make_tmp_dir ("vigie-monitor-XXXXXX");
  f->server = vigie_test_server_new (FALSE, &error);
  g_assert_no_error (error);
  f->baseline = vigie_test_server_new (FALSE, &error);
  g_assert_no_error (error);
  vigie_test_server_set_route (f->baseline, "/generate_204", 204, NULL, NULL);
  if (g_strcmp0 (data, "hook") == 0)
    {
      /* The test's own script may use sh; Vigie runs it with an argv. */
      g_autofree char *script = g_build_filename (f->tmp, "on-change", NULL);
      g_autofree char *log = g_build_filename (f->tmp, "hook.log", NULL);
      g_autofree char *body = g_strdup_printf ("#!/bin/sh\necho \"$VIGIE_SERVICE_ID $VIGIE_FROM "
                                               "$VIGIE_TO\" >> '%s'\n", log);
      g_autofree char *extra = g_strdup_printf ("[Hooks]\nOnChange=%s\n", script);
      g_file_set_contents (script, body, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_chmod (script, 0700), ==, 0);
      write_settings (f, extra);
    }
  else
    write_settings (f, data);

  f->catalog = vigie_test_catalog_new ();
  path = g_build_filename (f->tmp, "vigie.ini", NULL);
  f->config = vigie_test_config_load (f->catalog, path);
  db = g_build_filename (f->tmp, "history.db", NULL);
  f->history = vigie_test_history_open (db);

  f->monitor = vigie_monitor_new (f->config, f->history, NULL);
  g_object_set (f->monitor, "second-ms", 100, NULL);
  f->transitions = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);
  f->transition_rounds = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (f->monitor, "service-changed", G_CALLBACK (on_service_changed), f);
  g_signal_connect (f->monitor, "connectivity-changed", G_CALLBACK (on_connectivity_changed), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  vigie_monitor_stop (f->monitor);
  g_clear_object (&f->monitor);
  g_clear_object (&f->history);
  g_clear_object (&f->config);
  g_clear_object (&f->catalog);
  g_clear_pointer (&f->server, vigie_test_server_free);
  g_clear_pointer (&f->baseline, vigie_test_server_free);
  g_clear_pointer (&f->transitions, g_ptr_array_unref);
  g_clear_pointer (&f->transition_rounds, g_array_unref);
  vigie_test_remove_tree (f->tmp);
  g_free (f->tmp);
}

typedef struct
{
  Fixture *f;
  guint n;
} Transitions;

static gboolean
transitions_emitted (gpointer data)
{
  Transitions *awaited = data;

  return awaited->f->transitions->len >= awaited->n;
}

/* Runs the main loop until @n transitions in total were emitted. */
static void
wait_for_transitions (Fixture *f,
                      guint    n,
                      guint    timeout_ms)
{
  Transitions awaited = { f, n };

  vigie_test_wait_until (transitions_emitted, &awaited, timeout_ms);
  g_assert_cmpuint (f->transitions->len, >=, n);
}


/* Empty bodies: a headers-only probe can then keep its connection. */
static void
set_meta_routes (Fixture *f,
                 guint    status)
{
  for (guint i = 0; i < G_N_ELEMENTS (meta); i++)
    {
      g_autofree char *route = g_strdup_printf ("/%s", meta[i]);
      vigie_test_server_set_route (f->server, route, status, "text/html", NULL);
    }
}

/* The last @n transitions all went to @to, in one and the same round. */
static void
assert_last_in_one_round (Fixture    *f,
                          guint       n,
                          VigieState  from,
                          VigieState  to)
{
  guint first = f->transitions->len - n;
  guint round = g_array_index (f->transition_rounds, guint, first);

  for (guint i = first; i < f->transitions->len; i++)
    {
      VigieTransition *t = g_ptr_array_index (f->transitions, i);
      g_assert_cmpint (t->kind, ==, VIGIE_TRANSITION_STATE);
      g_assert_cmpint (t->from, ==, from);
      g_assert_cmpint (t->to, ==, to);
      g_assert_cmpstr (t->provider, ==, "Meta");
      g_assert_cmpstr (t->service_id, ==, meta[i - first]);
      g_assert_cmpuint (g_array_index (f->transition_rounds, guint, i), ==, round);
      g_assert_cmpint (t->at, >=, t->since);
    }
}

static void
test_replay_2021 (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) outages = NULL;
  guint rounds_before;

  vigie_monitor_start (f->monitor);
  g_assert_true (vigie_monitor_get_busy (f->monitor));

  /* Start: all four operational in the first round. */
  wait_for_transitions (f, 4, 10000);
  assert_last_in_one_round (f, 4, VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL);
  g_assert_cmpint (vigie_monitor_get_overall (f->monitor), ==, VIGIE_OVERALL_OPERATIONAL);
  g_assert_cmpint (vigie_monitor_get_connectivity (f->monitor), ==, VIGIE_CONNECTIVITY_ONLINE);

  /* 15:39 UTC: everything Meta fails at once; the baseline stays up. */
  set_meta_routes (f, 503);
  rounds_before = vigie_monitor_get_n_rounds (f->monitor);
  wait_for_transitions (f, 8, 20000);
  g_assert_cmpuint (f->transitions->len, ==, 8);
  assert_last_in_one_round (f, 4, VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN);
  /* Confirmed at the third failing round, not before. */
  g_assert_cmpuint (g_array_index (f->transition_rounds, guint, 4) - rounds_before, ==, 3);
  g_assert_cmpint (vigie_monitor_get_overall (f->monitor), ==, VIGIE_OVERALL_DOWN);
  g_assert_nonnull (strstr (((VigieTransition *) g_ptr_array_index (f->transitions, 4))->reason,
                            "your connection works"));

  /* They come back: four recoveries, in one round. */
  set_meta_routes (f, 200);
  wait_for_transitions (f, 12, 20000);
  g_assert_cmpuint (f->transitions->len, ==, 12);
  assert_last_in_one_round (f, 4, VIGIE_STATE_DOWN, VIGIE_STATE_OPERATIONAL);
  g_assert_cmpint (vigie_monitor_get_overall (f->monitor), ==, VIGIE_OVERALL_OPERATIONAL);

  /* The log holds the four outages, with their durations. */
  outages = vigie_history_outages (f->history, 0, g_get_real_time (), NULL);
  g_assert_nonnull (outages);
  g_assert_cmpuint (outages->len, ==, 4);
  for (guint i = 0; i < outages->len; i++)
    {
      VigieOutage *outage = g_ptr_array_index (outages, i);
      g_assert_cmpint (outage->state, ==, VIGIE_STATE_DOWN);
      g_assert_cmpint (outage->end_us, >, outage->start_us);
      g_assert_cmpint (outage->layer, ==, VIGIE_LAYER_HTTP);
    }

  /* Now the user's own connection fails, and so do the services: offline,
   * and no transition at all however long it lasts. */
  g_clear_pointer (&f->baseline, vigie_test_server_free);
  set_meta_routes (f, 503);
  rounds_before = vigie_monitor_get_n_rounds (f->monitor);
  vigie_test_wait_for_rounds (f->monitor, rounds_before + 6, 30000);
  g_assert_cmpuint (f->transitions->len, ==, 12);
  g_assert_cmpint (vigie_monitor_get_connectivity (f->monitor), ==, VIGIE_CONNECTIVITY_OFFLINE);
  g_assert_cmpint (vigie_monitor_get_overall (f->monitor), ==, VIGIE_OVERALL_OFFLINE);
  g_assert_cmpuint (f->connectivity_changes, ==, 2); /* unknown → online → offline */
}

static void
test_pause_and_check_now (Fixture       *f,
                          gconstpointer  data)
{
  guint rounds;

  vigie_monitor_start (f->monitor);
  vigie_test_wait_for_rounds (f->monitor, 1, 30000);

  vigie_monitor_pause (f->monitor, 0);
  g_assert_true (vigie_monitor_get_paused (f->monitor));
  g_assert_cmpint (vigie_monitor_get_overall (f->monitor), ==, VIGIE_OVERALL_PAUSED);
  rounds = vigie_monitor_get_n_rounds (f->monitor);
  /* Three intervals pass: no round while paused, and check-now is refused. */
  vigie_monitor_check_now (f->monitor);
  vigie_test_spin (3000);
  g_assert_cmpuint (vigie_monitor_get_n_rounds (f->monitor), ==, rounds);

  vigie_monitor_resume (f->monitor);
  g_assert_false (vigie_monitor_get_paused (f->monitor));
  g_assert_true (vigie_monitor_get_busy (f->monitor));
  vigie_test_wait_for_rounds (f->monitor, rounds + 1, 30000);
  g_assert_cmpint (vigie_monitor_get_overall (f->monitor), ==, VIGIE_OVERALL_OPERATIONAL);
}

static void
test_settings_apply_live (Fixture       *f,
                          gconstpointer  data)
{
  const char *one[] = { "facebook-test", NULL };

  vigie_monitor_start (f->monitor);
  wait_for_transitions (f, 4, 10000);

  /* Watching fewer services: the next round checks only those, at once. */
  vigie_config_set_service_ids (f->config, one);
  g_assert_cmpuint (vigie_monitor_get_services (f->monitor)->len, ==, 1);
  g_assert_null (vigie_tracker_lookup (vigie_monitor_get_tracker (f->monitor), "instagram-test"));

  set_meta_routes (f, 503);
  wait_for_transitions (f, 5, 20000);
  g_assert_cmpstr (((VigieTransition *) g_ptr_array_index (f->transitions, 4))->service_id, ==,
                   "facebook-test");
}

/* Many rounds in a row: memory stays flat (LeakSanitizer checks for leaks
 * in the sanitized build, where resident memory says nothing). Connections
 * are kept alive between rounds, as with real sites, so the in-process test
 * server (whose libsoup keeps a little per connection) does not blur it. */
static void
test_many_rounds (Fixture       *f,
                  gconstpointer  data)
{
  guint n = 1000;
  G_GNUC_UNUSED gsize rss_early = 0;

  g_object_set (f->monitor, "second-ms", 1, NULL);
  vigie_test_server_set_route (f->baseline, "/generate_204", 200, "text/plain", NULL);
  set_meta_routes (f, 200);
  vigie_monitor_start (f->monitor);
  for (guint round = 1; round <= n; round++)
    {
      /* Blips and outages, so the tracker and the log both work. */
      if (round % 7 == 0)
        set_meta_routes (f, 503);
      else if (round % 7 == 4)
        set_meta_routes (f, 200);
      vigie_test_wait_for_rounds (f->monitor, round, 30000);
      if (round % 100 == 0)
        {
          g_autofree char *statm = NULL;
          g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL);
          g_test_message ("round %u: %s", round, statm);
        }
      if (round == n / 5)
        {
          g_autofree char *statm = NULL;
          g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL);
          rss_early = g_ascii_strtoull (strchr (statm, ' ') + 1, NULL, 10);
        }
    }
  g_assert_cmpuint (vigie_monitor_get_n_rounds (f->monitor), >=, n);

#ifndef __SANITIZE_ADDRESS__
  {
    g_autofree char *statm = NULL;
    gsize rss_late;
    gsize page_kib = sysconf (_SC_PAGESIZE) / 1024;

    g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL);
    rss_late = g_ascii_strtoull (strchr (statm, ' ') + 1, NULL, 10);
    g_test_message ("resident: %zu KiB after %u rounds, %zu KiB after %u", rss_early * page_kib,
                    n / 5, rss_late * page_kib, n);
    g_assert_cmpuint (rss_late * page_kib, <, rss_early * page_kib + 512);
  }
#endif
}

static gboolean
hooks_logged_outage (gpointer data)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (data, &contents, NULL, NULL)
         && g_strrstr_len (contents, -1, "messenger-test operational down\n") != NULL;
}

/* The user's hook runs once per transition, in order, with the event. */
static void
test_hook_runs (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *log = g_build_filename (f->tmp, "hook.log", NULL);
  g_autofree char *contents = NULL;

  vigie_monitor_start (f->monitor);
  wait_for_transitions (f, 4, 10000);
  set_meta_routes (f, 503);
  wait_for_transitions (f, 8, 20000);

  /* Hooks run after the round, one at a time: give them a moment. */
  vigie_test_wait_until (hooks_logged_outage, log, 3000);
  g_file_get_contents (log, &contents, NULL, NULL);
  g_assert_nonnull (contents);
  g_assert_cmpstr (contents, ==,
                   "facebook-test unknown operational\ninstagram-test unknown operational\n"
                   "whatsapp-test unknown operational\nmessenger-test unknown operational\n"
                   "facebook-test operational down\ninstagram-test operational down\n"
                   "whatsapp-test operational down\nmessenger-test operational down\n");
}

int
main (int   argc,
      char *argv[])
{
  vigie_http_global_init ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add ("/monitor/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("replay-2021", NULL, test_replay_2021);
  ADD ("pause-and-check-now", NULL, test_pause_and_check_now);
  ADD ("settings-apply-live", NULL, test_settings_apply_live);
  ADD ("many-rounds", NULL, test_many_rounds);
  ADD ("hook-runs", "hook", test_hook_runs);
#undef ADD

  return g_test_run ();
}
