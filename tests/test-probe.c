/* test-probe.c — a round against loopback stand-ins: connectivity ("is it
 * me?"), site probes, official feeds (shared, conditional), one-shot
 * verdicts and the reasons people read. */
#include "config.h"

#include "vigie-probe.h"
#include "vigie-report.h"
#include "vigie-test-server.h"

typedef struct
{
  VigieTestServer *server;
  VigieHttp *http;
  VigieProbe *probe;
  GPtrArray *services;
  GStrv baselines;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  VigieHttpOptions options = { .timeout_s = 3 };

  f->server = vigie_test_server_new (FALSE, &error);
  g_assert_no_error (error);
  f->http = vigie_http_new (&options);
  f->probe = vigie_probe_new (f->http);
  f->services = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_service_unref);
  vigie_test_server_set_route (f->server, "/generate_204", 204, NULL, NULL);
  f->baselines = g_new0 (char *, 2);
  f->baselines[0] = vigie_test_server_get_url (f->server, "/generate_204");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->services, g_ptr_array_unref);
  g_clear_object (&f->probe);
  g_clear_object (&f->http);
  g_clear_pointer (&f->server, vigie_test_server_free);
  g_clear_pointer (&f->baselines, g_strfreev);
}

/* Adds a custom service whose site (and feed, if any) are server paths. */
static void
add_service (Fixture    *f,
             const char *id,
             const char *site_path,
             const char *feed_kind,
             const char *feed_path)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *group = g_strconcat ("Service ", id, NULL);
  g_autofree char *site = vigie_test_server_get_url (f->server, site_path);
  VigieService *service;

  g_key_file_set_string (key_file, group, "Name", id);
  g_key_file_set_string (key_file, group, "Provider", "Loopback");
  g_key_file_set_string (key_file, group, "Site", site);
  if (feed_kind != NULL)
    {
      g_autofree char *url = vigie_test_server_get_url (f->server, feed_path);
      g_autofree char *feed = g_strconcat (feed_kind, ":", url, NULL);
      g_key_file_set_string (key_file, group, "Feed", feed);
    }
  service = vigie_service_new_from_key_file (key_file, group, VIGIE_SERVICE_CUSTOM, &error);
  g_assert_no_error (error);
  g_ptr_array_add (f->services, service);
}

static void
serve_fixture (Fixture    *f,
               const char *path,
               const char *fixture,
               const char *etag)
{
  g_autofree char *file = g_test_build_filename (G_TEST_DIST, "fixtures", "feeds", fixture, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  VigieTestRoute route = { .status = 200, .content_type = "application/json", .etag = etag };
  char *contents;
  gsize length;

  g_file_get_contents (file, &contents, &length, &error);
  g_assert_no_error (error);
  body = g_bytes_new_take (contents, length);
  route.body = body;
  vigie_test_server_set_route_full (f->server, path, &route);
}

static VigieRound *
run (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  VigieRound *round = vigie_probe_run_sync (f->probe, f->services,
                                            (const char *const *) f->baselines, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (round);
  g_assert_cmpuint (round->observations->len, ==, f->services->len);
  for (guint i = 0; i < round->observations->len; i++)
    {
      VigieObservation *observation = g_ptr_array_index (round->observations, i);
      g_autofree char *reason = vigie_report_reason (observation, round->connectivity);
      g_test_message ("%s: %s / %s — %s", observation->service->id,
                      vigie_layer_to_string (observation->layer),
                      vigie_state_to_string (vigie_observation_verdict (observation)), reason);
    }
  return round;
}

static VigieObservation *
observation (VigieRound *round,
             guint       i)
{
  return g_ptr_array_index (round->observations, i);
}

static void
test_verdicts (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(VigieRound) round = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *refused = g_strdup_printf ("http://127.0.0.1:%u/",
                                              vigie_test_find_unused_port ());

  serve_fixture (f, "/major.json", "statuspage-major.json", NULL);
  serve_fixture (f, "/minor.json", "statuspage-minor.json", NULL);
  serve_fixture (f, "/maintenance.json", "statuspage-maintenance.json", NULL);
  serve_fixture (f, "/operational.json", "statuspage-operational.json", NULL);
  vigie_test_server_set_route (f->server, "/forbidden", 403, "text/html", "go away, robot");

  add_service (f, "up", "/ok", NULL, NULL);                                   /* 0 */
  add_service (f, "robot-shy", "/forbidden", NULL, NULL);                     /* 1 */
  add_service (f, "five-oh-three", "/503", NULL, NULL);                       /* 2 */
  add_service (f, "official-major", "/ok", "statuspage", "/major.json");      /* 3 */
  add_service (f, "official-minor", "/ok", "statuspage", "/minor.json");      /* 4 */
  add_service (f, "in-maintenance", "/503", "statuspage", "/maintenance.json"); /* 5 */
  add_service (f, "page-lags", "/503", "statuspage", "/operational.json");   /* 6 */
  add_service (f, "feed-missing", "/ok", "statuspage", "/missing.json");     /* 7 */
  {
    g_autoptr(GKeyFile) key_file = g_key_file_new ();
    g_key_file_set_string (key_file, "Service refused", "Site", refused);
    g_ptr_array_add (f->services, vigie_service_new_from_key_file (key_file, "Service refused",
                                                                   VIGIE_SERVICE_CUSTOM, NULL));
  }                                                                           /* 8 */

  round = run (f);
  g_assert_cmpint (round->connectivity, ==, VIGIE_CONNECTIVITY_ONLINE);

  g_assert_cmpint (vigie_observation_verdict (observation (round, 0)), ==, VIGIE_STATE_OPERATIONAL);
  g_assert_cmpuint (observation (round, 0)->http_status, ==, 200);
  /* Any answer below 500 proves the front door is up. */
  g_assert_cmpint (vigie_observation_verdict (observation (round, 1)), ==, VIGIE_STATE_OPERATIONAL);
  g_assert_cmpint (observation (round, 2)->layer, ==, VIGIE_LAYER_HTTP);
  g_assert_cmpint (vigie_observation_verdict (observation (round, 2)), ==, VIGIE_STATE_DOWN);
  g_assert_cmpint (vigie_observation_verdict (observation (round, 3)), ==, VIGIE_STATE_DOWN);
  g_assert_cmpint (vigie_observation_verdict (observation (round, 4)), ==, VIGIE_STATE_DEGRADED);
  g_assert_cmpint (vigie_observation_verdict (observation (round, 5)), ==, VIGIE_STATE_MAINTENANCE);
  g_assert_cmpint (vigie_observation_verdict (observation (round, 6)), ==, VIGIE_STATE_DOWN);
  /* An unreachable feed is no evidence, never "down". */
  g_assert_null (observation (round, 7)->official);
  g_assert_nonnull (strstr (observation (round, 7)->feed_problem, "HTTP 404"));
  g_assert_cmpint (vigie_observation_verdict (observation (round, 7)), ==, VIGIE_STATE_OPERATIONAL);
  g_assert_cmpint (observation (round, 8)->layer, ==, VIGIE_LAYER_CONNECT);
  g_assert_cmpint (vigie_observation_verdict (observation (round, 8)), ==, VIGIE_STATE_DOWN);

  reason = vigie_report_reason (observation (round, 2), round->connectivity);
  g_assert_cmpstr (reason, ==, "127.0.0.1: server error (HTTP 503); your connection works");
  g_clear_pointer (&reason, g_free);
  reason = vigie_report_reason (observation (round, 3), round->connectivity);
  g_assert_cmpstr (reason, ==, "official: Major outage — “Messages cannot be sent”");
  g_clear_pointer (&reason, g_free);
  reason = vigie_report_reason (observation (round, 6), round->connectivity);
  g_assert_nonnull (strstr (reason, "the official page still says all is well"));
  g_clear_pointer (&reason, g_free);
  reason = vigie_report_reason (observation (round, 0), round->connectivity);
  g_assert_true (g_str_has_prefix (reason, "127.0.0.1 answered in "));
}

static void
test_shared_feed_fetched_once_and_conditionally (Fixture       *f,
                                                 gconstpointer  data)
{
  g_autoptr(VigieRound) first = NULL;
  g_autoptr(VigieRound) second = NULL;
  g_autofree char *if_none_match = NULL;

  serve_fixture (f, "/summary.json", "statuspage-minor.json", "\"v1\"");
  add_service (f, "a", "/ok", "statuspage", "/summary.json");
  add_service (f, "b", "/ok", "statuspage", "/summary.json");

  first = run (f);
  g_assert_cmpuint (vigie_test_server_get_request_count (f->server, "/summary.json"), ==, 1);
  g_assert_cmpuint (first->n_requests, ==, 1 + 2 + 1);
  g_assert_cmpint (vigie_observation_official_level (observation (first, 0)), ==,
                   VIGIE_OFFICIAL_MINOR);
  g_assert_cmpint (vigie_observation_official_level (observation (first, 1)), ==,
                   VIGIE_OFFICIAL_MINOR);

  /* Unchanged: a 304, and the evidence is still there from the cached copy. */
  second = run (f);
  if_none_match = vigie_test_server_get_last_header (f->server, "/summary.json", "If-None-Match");
  g_assert_cmpstr (if_none_match, ==, "\"v1\"");
  g_assert_cmpuint (vigie_test_server_get_request_count (f->server, "/summary.json"), ==, 2);
  g_assert_cmpint (vigie_observation_official_level (observation (second, 1)), ==,
                   VIGIE_OFFICIAL_MINOR);
  g_assert_nonnull (observation (second, 1)->official->incidents);
  g_assert_cmpuint (observation (second, 1)->official->incidents->len, ==, 1);
  g_assert_cmpuint (second->bytes_down, <, first->bytes_down);
}

static void
test_captive_portal (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(VigieRound) round = NULL;
  g_autofree char *login = vigie_test_server_get_url_for_host (f->server, "localhost", "/login");
  g_autofree char *reason = NULL;
  g_autofree char *detail = NULL;
  VigieTestRoute portal = { .status = 302, .location = login };

  /* The portal sends every request to its own login page on another host. */
  vigie_test_server_set_route (f->server, "/login", 200, "text/html", "<form>Wi-Fi login</form>");
  vigie_test_server_set_route_full (f->server, "/generate_204", &portal);
  add_service (f, "down-looking", "/503", NULL, NULL);

  round = run (f);
  g_assert_cmpint (round->connectivity, ==, VIGIE_CONNECTIVITY_CAPTIVE_PORTAL);
  g_assert_cmpint (round->connectivity_evidence->why, ==, VIGIE_CONNECTIVITY_WHY_INTERCEPTED);
  detail = vigie_report_connectivity_detail (round->connectivity_evidence);
  g_assert_nonnull (strstr (detail, "captive portal"));
  reason = vigie_report_reason (observation (round, 0), round->connectivity);
  g_assert_true (g_str_has_prefix (reason, "can't tell"));
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(VigieRound) round = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *detail = NULL;

  g_free (f->baselines[0]);
  f->baselines[0] = g_strdup_printf ("http://127.0.0.1:%u/generate_204",
                                     vigie_test_find_unused_port ());
  add_service (f, "looks-down", "/503", NULL, NULL);

  round = run (f);
  g_assert_cmpint (round->connectivity, ==, VIGIE_CONNECTIVITY_OFFLINE);
  g_assert_cmpint (round->connectivity_evidence->why, ==, VIGIE_CONNECTIVITY_WHY_NO_ANSWER);
  detail = vigie_report_connectivity_detail (round->connectivity_evidence);
  g_assert_nonnull (strstr (detail, "connection failed"));
  reason = vigie_report_reason (observation (round, 0), round->connectivity);
  g_assert_cmpstr (reason, ==, "can't tell: you are offline");
}

static void
test_tcp_check (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(VigieRound) round = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *open_port = g_strdup_printf ("127.0.0.1:%u",
                                                vigie_test_server_get_port (f->server));
  g_autofree char *closed_port = g_strdup_printf ("127.0.0.1:%u", vigie_test_find_unused_port ());

  g_key_file_set_string (key_file, "Service open", "Site", open_port);
  g_key_file_set_string (key_file, "Service closed", "Site", closed_port);
  g_ptr_array_add (f->services, vigie_service_new_from_key_file (key_file, "Service open",
                                                                 VIGIE_SERVICE_CUSTOM, NULL));
  g_ptr_array_add (f->services, vigie_service_new_from_key_file (key_file, "Service closed",
                                                                 VIGIE_SERVICE_CUSTOM, NULL));
  round = run (f);
  g_assert_cmpint (observation (round, 0)->layer, ==, VIGIE_LAYER_OK);
  g_assert_cmpint (vigie_observation_verdict (observation (round, 0)), ==, VIGIE_STATE_OPERATIONAL);
  g_assert_cmpint (observation (round, 1)->layer, ==, VIGIE_LAYER_CONNECT);
}

static void
test_markup_stays_text (Fixture       *f,
                        gconstpointer  data)
{
  const char feed[] =
    "{\"status\":{\"indicator\":\"major\",\"description\":\"x\"},\"components\":[],"
    "\"incidents\":[{\"name\":\"<b>Login</b> & <a href='x'>feed</a> broken\","
    "\"status\":\"investigating\",\"impact\":\"major\",\"incident_updates\":[]}]}";
  g_autoptr(VigieRound) round = NULL;
  g_autofree char *reason = NULL;

  vigie_test_server_set_route (f->server, "/markup.json", 200, "application/json", feed);
  add_service (f, "marked-up", "/ok", "statuspage", "/markup.json");
  round = run (f);
  /* Kept verbatim: escaping is for whoever builds markup (the notifier). */
  reason = vigie_report_reason (observation (round, 0), round->connectivity);
  g_assert_cmpstr (reason, ==,
                   "official: Partial outage — “<b>Login</b> & <a href='x'>feed</a> broken”");
}

static void
on_round_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  VigieRound **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = vigie_probe_run_finish (VIGIE_PROBE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async_on_main_context (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(VigieRound) round = NULL;

  add_service (f, "up", "/ok", NULL, NULL);
  vigie_probe_run_async (f->probe, f->services, (const char *const *) f->baselines, NULL,
                         on_round_done, &round);
  /* The input was copied: the caller may drop its services at once. */
  g_ptr_array_set_size (f->services, 0);
  while (round == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (round->connectivity, ==, VIGIE_CONNECTIVITY_ONLINE);
  g_assert_cmpuint (round->observations->len, ==, 1);
  g_assert_cmpint (vigie_observation_verdict (observation (round, 0)), ==, VIGIE_STATE_OPERATIONAL);
}

int
main (int   argc,
      char *argv[])
{
  vigie_http_global_init ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/probe/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("verdicts", test_verdicts);
  ADD ("shared-feed-fetched-once-and-conditionally", test_shared_feed_fetched_once_and_conditionally);
  ADD ("captive-portal", test_captive_portal);
  ADD ("offline", test_offline);
  ADD ("tcp-check", test_tcp_check);
  ADD ("markup-stays-text", test_markup_stays_text);
  ADD ("async-on-main-context", test_async_on_main_context);
#undef ADD

  return g_test_run ();
}
