/* test-cli.c — the vigie program's command-line modes, run as a user would:
 * no display, no session bus, settings in a private XDG_CONFIG_HOME. */
#include "config.h"

#include <json-glib/json-glib.h>

#include "vigie-test-server.h"
#include "vigie-test-util.h"

static void
run_vigie (VigieTestRun *run,
           const char   *first_arg,
           ...)
{
  g_auto(GStrv) envp = g_get_environ ();
  va_list args;

  /* CLI modes must not need a display or a session bus. */
  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  envp = g_environ_setenv (envp, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);
  /* The per-test folders of G_TEST_OPTION_ISOLATE_DIRS, handed to the child. */
  envp = g_environ_setenv (envp, "HOME", g_get_home_dir (), TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  envp = g_environ_setenv (envp, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);

  va_start (args, first_arg);
  vigie_test_run_valist (run, (const char *const *) envp, g_getenv ("VIGIE_BINARY"), first_arg,
                         args);
  va_end (args);
}

static void
write_settings (const char *text)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "vigie", NULL);
  g_autofree char *path = g_build_filename (dir, "vigie.ini", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
test_version (void)
{
  g_auto(VigieTestRun) run = { 0 };

  run_vigie (&run, "--version", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "vigie " PACKAGE_VERSION "\n");
}

static void
test_help (void)
{
  g_auto(VigieTestRun) run = { 0 };

  run_vigie (&run, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--list-services"));
  g_assert_nonnull (strstr (run.out, "--json"));
  g_assert_nonnull (strstr (run.out, "Exit status: 0 all operational"));
}

static void
test_usage_errors (void)
{
  g_auto(VigieTestRun) bogus = { 0 };
  g_auto(VigieTestRun) stray = { 0 };
  g_auto(VigieTestRun) json_alone = { 0 };

  run_vigie (&bogus, "--bogus", NULL);
  g_assert_cmpint (bogus.status, ==, 3);
  g_assert_nonnull (strstr (bogus.err, "--bogus"));
  g_assert_nonnull (strstr (bogus.err, "vigie --help"));

  run_vigie (&stray, "facebook", NULL);  /* without --check */
  g_assert_cmpint (stray.status, ==, 3);
  g_assert_nonnull (strstr (stray.err, "unexpected argument “facebook”"));

  run_vigie (&json_alone, "--json", NULL);
  g_assert_cmpint (json_alone.status, ==, 3);
  g_assert_nonnull (strstr (json_alone.err, "--json goes with --check, --history or --list-services"));
}

static void
test_list_json (void)
{
  const char *named[] = { "facebook", "instagram", "whatsapp", "messenger", "slack", "notion",
                          "google-workspace", "x", "downdetector", "gmail", "google-drive",
                          "google-meet" };
  g_auto(VigieTestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;
  guint n_watched = 0;

  write_settings ("[General]\nServices=slack;mine\n[Service mine]\nName=Mine\n"
                  "Site=http://127.0.0.1:1/\n");
  run_vigie (&run, "--list-services", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");

  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), >=, 61);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);
      const char *id = json_object_get_string_member (entry, "id");

      g_assert_nonnull (json_object_get_string_member (entry, "name"));
      g_assert_nonnull (json_object_get_string_member (entry, "provider"));
      g_assert_nonnull (json_object_get_string_member (entry, "category"));
      g_assert_nonnull (json_object_get_string_member (entry, "feed_kind"));
      g_hash_table_add (seen, (gpointer) id);
      if (json_object_get_boolean_member (entry, "watched"))
        n_watched++;
      if (g_str_equal (id, "mine"))
        {
          g_assert_true (json_object_get_boolean_member (entry, "custom"));
          g_assert_cmpstr (json_object_get_string_member (entry, "site"), ==,
                           "http://127.0.0.1:1/");
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    g_assert_true (g_hash_table_contains (seen, named[i]));
  g_assert_true (g_hash_table_contains (seen, "mine"));
  g_assert_cmpuint (n_watched, ==, 2);
}

static void
test_list_table (void)
{
  g_auto(VigieTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;
  const char *header;
  glong name_column;
  guint rows = 0;

  run_vigie (&run, "--list-services", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  header = lines[0];
  g_assert_nonnull (strstr (header, "ID"));
  g_assert_nonnull (strstr (header, "PROVIDER"));
  name_column = g_utf8_pointer_to_offset (header, strstr (header, "NAME"));

  /* Aligned: every row's name starts in the NAME column, counted in characters. */
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      const char *line = lines[i];
      const char *at = g_utf8_offset_to_pointer (line, name_column);

      g_assert_cmpint (g_utf8_strlen (line, -1), >, name_column);
      g_assert_true (at[-1] == ' ' && at[-2] == ' ' && at[0] != ' ');
      rows++;
    }
  g_assert_cmpuint (rows, >=, 60);
  g_assert_nonnull (strstr (run.out, "*  facebook "));
  g_assert_nonnull (strstr (run.out, "7 services watched"));
}

static void
test_broken_settings (void)
{
  g_auto(VigieTestRun) run = { 0 };

  write_settings ("[General]\nInterval=often\nServices=facebok\n");
  run_vigie (&run, "--list-services", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "vigie.ini:2: [General] Interval: “often” is not a whole"));
  g_assert_nonnull (strstr (run.err, "did you mean “facebook”?"));
  g_assert_nonnull (strstr (run.out, "0 services watched"));
}

static void
test_corrupt_settings (void)
{
  g_auto(VigieTestRun) run = { 0 };

  write_settings ("\x7f" "ELF\x01\x02\x03 garbage");
  run_vigie (&run, "--list-services", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "A copy was kept as"));
  g_assert_nonnull (strstr (run.err, "vigie.ini.broken-"));
  g_assert_nonnull (strstr (run.out, "7 services watched"));
}

/* Settings whose services and baseline are loopback stand-ins. */
static void
write_loopback_settings (VigieTestServer *server,
                         const char      *services,
                         gboolean         online)
{
  g_autofree char *baseline = online ? vigie_test_server_get_url (server, "/generate_204")
                                     : g_strdup_printf ("http://127.0.0.1:%u/",
                                                        vigie_test_find_unused_port ());
  g_autofree char *ok = vigie_test_server_get_url (server, "/ok");
  g_autofree char *broken = vigie_test_server_get_url (server, "/503");
  g_autofree char *minor = vigie_test_server_get_url (server, "/minor.json");
  g_autofree char *text = g_strdup_printf (
    "[General]\nServices=%s\nTimeout=3\n"
    "[Connectivity]\nURLs=%s\n"
    "[Service up]\nName=Up\nSite=%s\n"
    "[Service broken]\nName=Broken\nSite=%s\n"
    "[Service slow-ish]\nName=Slowish\nSite=%s\nFeed=statuspage:%s\n",
    services, baseline, ok, broken, ok, minor);

  vigie_test_server_set_route (server, "/generate_204", 204, NULL, NULL);
  vigie_test_server_set_route (server, "/ok", 200, "text/plain", NULL);
  vigie_test_server_set_route (server, "/minor.json", 200, "application/json",
                               "{\"status\":{\"indicator\":\"minor\"},\"components\":[],"
                               "\"incidents\":[{\"name\":\"Slow uploads\",\"impact\":\"minor\","
                               "\"status\":\"identified\"}]}");
  write_settings (text);
}

static JsonObject *
parse_check (JsonParser *parser,
             const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static const char *
verdict_of (JsonObject *result,
            guint       i)
{
  JsonArray *services = json_object_get_array_member (result, "services");
  return json_object_get_string_member (json_array_get_object_element (services, i), "verdict");
}

static void
test_check_exit_codes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieTestServer) server = vigie_test_server_new (FALSE, &error);
  g_auto(VigieTestRun) all_up = { 0 };
  g_auto(VigieTestRun) degraded = { 0 };
  g_auto(VigieTestRun) down = { 0 };
  g_auto(VigieTestRun) named = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *result;

  g_assert_no_error (error);

  write_loopback_settings (server, "up", TRUE);
  run_vigie (&all_up, "--check", "--json", NULL);
  g_assert_cmpint (all_up.status, ==, 0);
  result = parse_check (parser, all_up.out);
  g_assert_cmpstr (json_object_get_string_member (result, "connectivity"), ==, "online");
  g_assert_cmpstr (verdict_of (result, 0), ==, "operational");
  g_assert_cmpint (json_object_get_int_member (result, "exit_code"), ==, 0);

  write_loopback_settings (server, "up;slow-ish", TRUE);
  run_vigie (&degraded, "--check", "--json", NULL);
  g_assert_cmpint (degraded.status, ==, 1);
  result = parse_check (parser, degraded.out);
  g_assert_cmpstr (verdict_of (result, 1), ==, "degraded");

  write_loopback_settings (server, "up;slow-ish;broken", TRUE);
  run_vigie (&down, "--check", NULL);
  g_assert_cmpint (down.status, ==, 2);
  g_assert_nonnull (strstr (down.out, "Broken"));
  g_assert_nonnull (strstr (down.out, "server error (HTTP 503); your connection works"));
  g_assert_nonnull (strstr (down.out, "official: Partial outage — “Slow uploads”"));
  g_assert_nonnull (strstr (down.out, "Your connection works"));

  /* IDs on the command line: those only, watched or not. */
  run_vigie (&named, "--check", "--json", "up", NULL);
  g_assert_cmpint (named.status, ==, 0);
  result = parse_check (parser, named.out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "services")),
                    ==, 1);
}

static void
test_check_offline (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieTestServer) server = vigie_test_server_new (FALSE, &error);
  g_auto(VigieTestRun) offline = { 0 };
  g_auto(VigieTestRun) table = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *result;

  /* The services look dead, but so is the baseline: never "down". */
  write_loopback_settings (server, "broken;up", FALSE);
  run_vigie (&offline, "--check", "--json", NULL);
  g_assert_cmpint (offline.status, ==, 3);
  result = parse_check (parser, offline.out);
  g_assert_cmpstr (json_object_get_string_member (result, "connectivity"), ==, "offline");
  g_assert_cmpstr (verdict_of (result, 0), ==, "unknown");
  g_assert_cmpstr (verdict_of (result, 1), ==, "unknown");

  run_vigie (&table, "--check", NULL);
  g_assert_cmpint (table.status, ==, 3);
  g_assert_nonnull (strstr (table.out, "You are offline"));
  g_assert_nonnull (strstr (table.out, "can't tell whether these services are down"));
}

static void
test_summary (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieTestServer) server = vigie_test_server_new (FALSE, &error);
  g_auto(VigieTestRun) run = { 0 };

  g_assert_no_error (error);
  write_loopback_settings (server, "up;broken", TRUE);
  run_vigie (&run, "--summary", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_true (g_str_has_prefix (run.out, "Status of our online services at "));
  g_assert_nonnull (strstr (run.out, "\nDown (1):\n• Broken, since "));
  g_assert_nonnull (strstr (run.out, "  127.0.0.1: server error (HTTP 503); your connection works\n"));
  g_assert_nonnull (strstr (run.out, "It is not on our side: our own connection works.\n"));
  g_assert_nonnull (strstr (run.out, "1 other service is working normally.\n"));
}

static void
test_check_unknown_id (void)
{
  g_auto(VigieTestRun) run = { 0 };

  run_vigie (&run, "--check", "facebok", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "unknown service “facebok” (did you mean “facebook”?)"));
}

static gboolean
kill_child (gpointer user_data)
{
  g_subprocess_force_exit (user_data);
  return G_SOURCE_REMOVE;
}

/* vigie --watch with this test's settings and outage log and no display,
 * its output to be read line by line; killed after 30 s (*watchdog) so
 * that a test waiting for lines that never come fails instead of hanging. */
static GSubprocess *
watch_start (GDataInputStream **lines,
             guint             *watchdog)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  GSubprocess *watch;

  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  watch = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("VIGIE_BINARY"), "--watch",
                                       NULL);
  g_assert_no_error (error);
  *watchdog = g_timeout_add_seconds (30, kill_child, watch);
  *lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (watch));
  return watch;
}

/* The next line of --watch. */
static char *
watch_read_line (GDataInputStream *lines)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line); /* EOF first: the watchdog fired */
  g_test_message ("watch: %s", line);
  g_main_context_iteration (NULL, FALSE);
  return line;
}

/* Stops --watch as Ctrl+C would, which must end it cleanly. */
static void
watch_stop (GSubprocess *watch,
            guint        watchdog)
{
  g_autoptr(GError) error = NULL;

  g_source_remove (watchdog);
  g_subprocess_send_signal (watch, SIGTERM);
  g_subprocess_wait (watch, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (watch));
  g_assert_cmpint (g_subprocess_get_exit_status (watch), ==, 0);
}

/* vigie --watch prints transitions as they happen; vigie --history then
 * shows what it recorded. */
static void
test_watch_then_history (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieTestServer) server = vigie_test_server_new (FALSE, &error);
  g_autoptr(GSubprocess) watch = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_auto(VigieTestRun) csv = { 0 };
  g_auto(VigieTestRun) table = { 0 };
  gboolean saw_up = FALSE, saw_down = FALSE;
  guint watchdog;

  g_assert_no_error (error);
  write_loopback_settings (server, "up;broken\nFailuresBeforeDown=1", TRUE);

  watch = watch_start (&lines, &watchdog);
  while (!(saw_up && saw_down))
    {
      g_autofree char *line = watch_read_line (lines);

      saw_up |= strstr (line, "Up: Unknown → Operational") != NULL;
      saw_down |= strstr (line, "Broken: Unknown → Down — 127.0.0.1: server error (HTTP 503)")
                  != NULL;
    }
  watch_stop (watch, watchdog);

  run_vigie (&csv, "--history", "--since", "24h", "--csv", NULL);
  g_assert_cmpint (csv.status, ==, 0);
  g_assert_true (g_str_has_prefix (csv.out, "service_id,service,provider,state,start,end,"));
  g_assert_nonnull (strstr (csv.out, "\r\nbroken,Broken,Broken,down,"));
  g_assert_null (strstr (csv.out, "\r\nup,"));

  run_vigie (&table, "--history", NULL);
  g_assert_cmpint (table.status, ==, 0);
  g_assert_nonnull (strstr (table.out, "Broken"));
  g_assert_nonnull (strstr (table.out, "server error (HTTP 503)"));
}

/* Settings watching "forged", whose vendor feed has a critical incident
 * whose title tries to print a row of its own (and to turn the rest of its
 * line around with a right-to-left override). */
static void
write_forged_settings (VigieTestServer *server)
{
  g_autofree char *baseline = vigie_test_server_get_url (server, "/generate_204");
  g_autofree char *ok = vigie_test_server_get_url (server, "/ok");
  g_autofree char *feed = vigie_test_server_get_url (server, "/forged.json");
  g_autofree char *text = g_strdup_printf (
    "[General]\nServices=forged\nTimeout=3\nFailuresBeforeDown=1\n"
    "[Connectivity]\nURLs=%s\n"
    "[Service forged]\nName=Forged\nSite=%s\nFeed=statuspage:%s\n",
    baseline, ok, feed);

  vigie_test_server_set_route (server, "/generate_204", 204, NULL, NULL);
  vigie_test_server_set_route (server, "/ok", 200, "text/plain", NULL);
  vigie_test_server_set_route (server, "/forged.json", 200, "application/json",
                               "{\"status\":{\"indicator\":\"critical\"},\"components\":[],"
                               "\"incidents\":[{\"name\":\"Login slow\\nFacebook   Operational"
                               "\\tok\\r\\n\\u202eevil\",\"impact\":\"critical\","
                               "\"status\":\"investigating\"}]}");
  write_settings (text);
}

/* Every line of @text starts with @prefix (or is empty, or is a heading
 * starting with @heading), and the forged title shows folded on one line. */
static void
assert_no_forged_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  g_assert_nonnull (strstr (text, "Login slow Facebook Operational ok evil"));
  g_assert_null (strstr (text, "\xe2\x80\xae"));  /* U+202E */
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_false (g_str_has_prefix (lines[i], "Facebook"));
}

static void
test_remote_text_one_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieTestServer) server = vigie_test_server_new (FALSE, &error);
  g_autoptr(GSubprocess) watch = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_auto(VigieTestRun) check = { 0 };
  g_auto(VigieTestRun) history = { 0 };
  gboolean saw_down = FALSE;
  guint watchdog;

  g_assert_no_error (error);
  write_forged_settings (server);

  /* --check: a heading and one row per service, then a blank line. */
  run_vigie (&check, "--check", NULL);
  g_assert_cmpint (check.status, ==, 2);
  assert_no_forged_line (check.out);
  g_assert_true (g_str_has_prefix (strchr (check.out, '\n') + 1, "Forged "));
  g_assert_true (g_str_has_prefix (strchr (strchr (check.out, '\n') + 1, '\n'), "\n\n"));

  /* --watch: one line per event, each starting with its time stamp. */
  watch = watch_start (&lines, &watchdog);
  while (!saw_down)
    {
      g_autofree char *line = watch_read_line (lines);

      g_assert_true (g_ascii_isdigit (line[0]));
      saw_down = strstr (line, "Forged: Unknown → Down") != NULL;
      if (saw_down)
        assert_no_forged_line (line);
    }
  watch_stop (watch, watchdog);

  /* --history: the recorded title, on its row. */
  run_vigie (&history, "--history", NULL);
  g_assert_cmpint (history.status, ==, 0);
  assert_no_forged_line (history.out);
}

static void
test_history_usage (void)
{
  g_auto(VigieTestRun) bad_since = { 0 };
  g_auto(VigieTestRun) both = { 0 };
  g_auto(VigieTestRun) stray = { 0 };

  run_vigie (&bad_since, "--history", "--since", "yesterday-ish", NULL);
  g_assert_cmpint (bad_since.status, ==, 3);
  g_assert_nonnull (strstr (bad_since.err, "yesterday-ish"));
  run_vigie (&both, "--history", "--csv", "--json", NULL);
  g_assert_cmpint (both.status, ==, 3);
  run_vigie (&stray, "--check", "--csv", NULL);
  g_assert_cmpint (stray.status, ==, 3);
}

/* A line break in a site's URL (GKeyFile reads \\r\\n as CR LF) is a
 * settings error naming the key: the service is not probed (it would be
 * Down, exit 2, or worse, send a header of the file's choosing), and
 * checking it is a usage/config error, exit 3. */
static void
test_check_url_with_line_break (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieTestServer) server = vigie_test_server_new (FALSE, &error);
  g_autofree char *baseline = NULL;
  g_autofree char *ok = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_auto(VigieTestRun) run = { 0 };

  g_assert_no_error (error);
  baseline = vigie_test_server_get_url (server, "/generate_204");
  ok = vigie_test_server_get_url (server, "/ok");
  vigie_test_server_set_route (server, "/generate_204", 204, NULL, NULL);
  vigie_test_server_set_route (server, "/ok", 200, "text/plain", NULL);
  text = g_strdup_printf ("[General]\nServices=inject\nTimeout=3\n"
                          "[Connectivity]\nURLs=%s\n"
                          "[Service inject]\nSite=%s\\r\\nX-Injected: yes\n",
                          baseline, ok);
  write_settings (text);

  run_vigie (&run, "--check", "inject", NULL);
  g_assert_cmpint (run.status, ==, 3);
  expected = g_strdup_printf ("vigie.ini:7: [Service inject] Site: “%s\\r\\nX-Injected: yes” "
                              "contains a space, a line break or another control character",
                              ok);
  g_assert_nonnull (strstr (run.err, expected));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/list-services/json", test_list_json);
  g_test_add_func ("/cli/list-services/table", test_list_table);
  g_test_add_func ("/cli/settings/broken", test_broken_settings);
  g_test_add_func ("/cli/settings/corrupt", test_corrupt_settings);
  g_test_add_func ("/cli/check/exit-codes", test_check_exit_codes);
  g_test_add_func ("/cli/check/offline", test_check_offline);
  g_test_add_func ("/cli/check/unknown-id", test_check_unknown_id);
  g_test_add_func ("/cli/summary", test_summary);
  g_test_add_func ("/cli/watch-then-history", test_watch_then_history);
  g_test_add_func ("/cli/history/usage", test_history_usage);
  g_test_add_func ("/cli/remote-text-one-line", test_remote_text_one_line);
  g_test_add_func ("/cli/check/url-with-line-break", test_check_url_with_line_break);

  return g_test_run ();
}
