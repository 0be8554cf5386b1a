/* test-hooks.c — the OnChange hook runner, against real processes.
 *
 * Each test writes small `#!/bin/sh` scripts into its own temporary folder
 * (the *test's* scripts use a shell; Vigie itself never adds one) and has
 * them report what they received into files beside them. Timing checks use
 * generous margins; the slowest test (SIGTERM ignored) takes about 2.5 s.
 *
 * main() points HOME at a temporary folder before anything reads it, so
 * hooks run there, and TZ at Central European time so that local times
 * with an offset have a known value.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vigie-hooks.h"
#include "vigie-test-util.h"

/* 2021-10-04 15:39 UTC, when DNS for facebook.com started failing;
 * 17:39 in Paris. */
#define BASE_S ((gint64) 1633361940)
#define AT(s)  ((BASE_S + (gint64) (s)) * G_USEC_PER_SEC)

static char *home_dir;

/* ---- helpers ------------------------------------------------------------- */

typedef struct
{
  VigieHooks *hooks;
  char *dir;
  GPtrArray *failures;  /* char*, from the "failed" signal */
  guint n_idle;
  GPtrArray *log;       /* char*, g_message() lines of the vigie-hooks domain */
  guint log_handler;
} Fixture;

static void
on_failed (VigieHooks *hooks,
           const char *message,
           Fixture    *fixture)
{
  g_ptr_array_add (fixture->failures, g_strdup (message));
}

static void
on_idle (VigieHooks *hooks,
         Fixture    *fixture)
{
  fixture->n_idle++;
}

static void
capture_log (const char     *domain,
             GLogLevelFlags  level,
             const char     *message,
             gpointer        user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->log, g_strdup (message));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = vigie_test_make_tmp_dir ("vigie-test-hooks-XXXXXX");
  fixture->failures = g_ptr_array_new_with_free_func (g_free);
  fixture->log = g_ptr_array_new_with_free_func (g_free);
  fixture->log_handler = g_log_set_handler ("vigie-hooks", G_LOG_LEVEL_MESSAGE,
                                            capture_log, fixture);
  fixture->hooks = vigie_hooks_new ();
  g_signal_connect (fixture->hooks, "failed", G_CALLBACK (on_failed), fixture);
  g_signal_connect (fixture->hooks, "idle", G_CALLBACK (on_idle), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->hooks);
  g_log_remove_handler ("vigie-hooks", fixture->log_handler);
  g_ptr_array_unref (fixture->failures);
  g_ptr_array_unref (fixture->log);
  vigie_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Writes an executable `#!/bin/sh` script; $D in it is its own folder. */
static char *
write_script (Fixture    *fixture,
              const char *name,
              const char *body)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *text = g_strconcat ("#!/bin/sh\nD=$(dirname \"$0\")\n", body, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return g_steal_pointer (&path);
}

static void
set_command (Fixture    *fixture,
             const char *command)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vigie_hooks_set_command (fixture->hooks, command, &error));
  g_assert_no_error (error);
}

/* The command running @path with no arguments. */
static void
set_script (Fixture    *fixture,
            const char *path)
{
  g_autofree char *quoted = g_shell_quote (path);

  set_command (fixture, quoted);
}

static char *
fixture_path (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static char *
fixture_read (Fixture    *fixture,
              const char *name)
{
  g_autofree char *path = fixture_path (fixture, name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static gboolean
fixture_exists (Fixture    *fixture,
                const char *name)
{
  g_autofree char *path = fixture_path (fixture, name);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static VigieTransition *
transition_new (const char *id,
                VigieState  from,
                VigieState  to)
{
  VigieTransition *transition = vigie_transition_new ();

  transition->kind = VIGIE_TRANSITION_STATE;
  transition->service_id = g_strdup (id);
  transition->service_name = g_strdup (id);
  transition->provider = g_strdup ("Test");
  transition->from = from;
  transition->to = to;
  transition->at = AT (0);
  transition->since = AT (-60);
  transition->layer = to == VIGIE_STATE_DOWN ? VIGIE_LAYER_DNS : VIGIE_LAYER_OK;
  transition->reason = g_strdup ("a reason");
  return transition;
}

static void
run_event (Fixture    *fixture,
           const char *id)
{
  g_autoptr(VigieTransition) transition =
    transition_new (id, VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN);

  vigie_hooks_run (fixture->hooks, transition);
}

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Spins the main context until the hooks are idle; returns how long it
 * took, in ms. */
static gint64
wait_idle (Fixture *fixture)
{
  gint64 start = g_get_monotonic_time ();
  guint ticker = g_timeout_add (50, wake_up, NULL);

  while (!vigie_hooks_is_idle (fixture->hooks))
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (ticker);
  return (g_get_monotonic_time () - start) / 1000;
}

static pid_t
read_pid (Fixture    *fixture,
          const char *name)
{
  g_autofree char *text = fixture_read (fixture, name);

  return (pid_t) g_ascii_strtoll (text, NULL, 10);
}

/* Whether @pid is dead (gone, or a zombie waiting for whoever adopted it),
 * waiting up to a second for it. */
static gboolean
process_gone (pid_t pid)
{
  g_assert_cmpint (pid, >, 1);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", (int) pid);
      g_autofree char *stat = NULL;
      const char *end;

      if (kill (pid, 0) < 0 && errno == ESRCH)
        return TRUE;
      if (g_file_get_contents (stat_path, &stat, NULL, NULL) &&
          (end = strrchr (stat, ')')) != NULL && end[1] == ' ' && end[2] == 'Z')
        return TRUE;
      g_usleep (10 * 1000);
    }
  return FALSE;
}

static GHashTable *
read_env (Fixture    *fixture,
          const char *name)
{
  g_autofree char *path = fixture_path (fixture, name);
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;
  GHashTable *env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  /* `env -0`: NAME=value entries separated by NUL, values may hold \n. */
  for (const char *p = contents; p < contents + length; p += strlen (p) + 1)
    {
      const char *equals = strchr (p, '=');

      g_assert_nonnull (equals);
      g_hash_table_insert (env, g_strndup (p, (gsize) (equals - p)), g_strdup (equals + 1));
    }
  return env;
}

static void
assert_env (GHashTable *env,
            const char *name,
            const char *expected)
{
  const char *value = g_hash_table_lookup (env, name);

  if (value == NULL)
    g_error ("%s is not set", name);
  g_assert_cmpstr (value, ==, expected);
}

static void
assert_log_has (Fixture    *fixture,
                const char *line)
{
  for (guint i = 0; i < fixture->log->len; i++)
    if (g_str_equal (g_ptr_array_index (fixture->log, i), line))
      return;
  g_error ("not logged: “%s”", line);
}

/* ---- what the hook receives ---------------------------------------------- */

static const char env_script[] =
  "env -0 > \"$D/$VIGIE_SERVICE_ID.env\"\n"
  "cat > \"$D/$VIGIE_SERVICE_ID.json\"\n"
  "pwd > \"$D/$VIGIE_SERVICE_ID.pwd\"\n"
  "echo \"hello from $VIGIE_SERVICE_ID\"\n"
  "echo 'to stderr' >&2\n";

static JsonObject *
read_json (Fixture    *fixture,
           const char *name,
           JsonParser *parser)
{
  g_autofree char *path = fixture_path (fixture, name);
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}

static void
assert_json_string (JsonObject *object,
                    const char *member,
                    const char *expected)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  if (expected == NULL)
    {
      g_assert_true (JSON_NODE_HOLDS_NULL (node));
      return;
    }
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

static void
assert_json_int (JsonObject *object,
                 const char *member,
                 gint64      expected)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (node), ==, expected);
}

static void
test_environment_and_stdin (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *script = write_script (fixture, "hook-env.sh", env_script);
  g_autoptr(VigieTransition) down = vigie_transition_new ();
  g_autoptr(VigieTransition) flapping = vigie_transition_new ();
  g_autoptr(GHashTable) env = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *pwd = NULL;
  g_autofree char *expected_pwd = g_strconcat (home_dir, "\n", NULL);
  JsonObject *object;
  const char *reason = "facebook.com: name lookup failed; \"quoted\", back\\slash\nsecond line";
  const char *title = "Élan — “Something's wrong” <b>";

  down->kind = VIGIE_TRANSITION_STATE;
  down->service_id = g_strdup ("facebook");
  down->service_name = g_strdup ("Facebook");
  down->provider = g_strdup ("Meta");
  down->from = VIGIE_STATE_OPERATIONAL;
  down->to = VIGIE_STATE_DOWN;
  down->at = AT (3 * 60);
  down->since = AT (3 * 60 - 3725);
  down->layer = VIGIE_LAYER_DNS;
  down->http_status = 0;
  down->official = VIGIE_OFFICIAL_MAJOR;
  down->reason = g_strdup (reason);
  down->incident_title = g_strdup (title);
  down->incident_url = g_strdup ("https://metastatus.com/incident/1");

  flapping->kind = VIGIE_TRANSITION_FLAPPING_STARTED;
  flapping->service_id = g_strdup ("slack");
  flapping->service_name = g_strdup ("Slack");
  flapping->provider = g_strdup ("Slack");
  flapping->from = VIGIE_STATE_DEGRADED;
  flapping->to = VIGIE_STATE_MAINTENANCE;
  flapping->at = AT (0);
  flapping->since = 0;
  flapping->layer = VIGIE_LAYER_HTTP;
  flapping->http_status = 503;
  flapping->official = VIGIE_OFFICIAL_MAINTENANCE;

  set_script (fixture, script);
  vigie_hooks_run (fixture->hooks, down);
  vigie_hooks_run (fixture->hooks, flapping);
  g_assert_false (vigie_hooks_is_idle (fixture->hooks));
  wait_idle (fixture);

  g_assert_cmpuint (fixture->failures->len, ==, 0);
  g_assert_cmpuint (fixture->n_idle, ==, 1);

  /* A state change, everything known. */
  env = read_env (fixture, "facebook.env");
  assert_env (env, "VIGIE_EVENT", "state");
  assert_env (env, "VIGIE_SERVICE_ID", "facebook");
  assert_env (env, "VIGIE_SERVICE_NAME", "Facebook");
  assert_env (env, "VIGIE_PROVIDER", "Meta");
  assert_env (env, "VIGIE_FROM", "operational");
  assert_env (env, "VIGIE_TO", "down");
  assert_env (env, "VIGIE_AT", "2021-10-04T17:42:00+02:00");
  assert_env (env, "VIGIE_SINCE", "2021-10-04T16:39:55+02:00");
  assert_env (env, "VIGIE_DURATION_SECONDS", "3725");
  assert_env (env, "VIGIE_LAYER", "dns");
  assert_env (env, "VIGIE_HTTP_STATUS", "0");
  assert_env (env, "VIGIE_OFFICIAL", "major");
  assert_env (env, "VIGIE_REASON", reason);
  assert_env (env, "VIGIE_INCIDENT_TITLE", title);
  assert_env (env, "VIGIE_INCIDENT_URL", "https://metastatus.com/incident/1");
  /* The user's own environment is kept. */
  assert_env (env, "VIGIE_TEST_USER_VARIABLE", "kept");
  assert_env (env, "HOME", home_dir);
  g_assert_nonnull (g_hash_table_lookup (env, "PATH"));

  object = read_json (fixture, "facebook.json", parser);
  g_assert_cmpuint (json_object_get_size (object), ==, 16);
  assert_json_int (object, "version", 1);
  assert_json_string (object, "event", "state");
  assert_json_string (object, "service_id", "facebook");
  assert_json_string (object, "service_name", "Facebook");
  assert_json_string (object, "provider", "Meta");
  assert_json_string (object, "from", "operational");
  assert_json_string (object, "to", "down");
  assert_json_string (object, "at", "2021-10-04T17:42:00+02:00");
  assert_json_string (object, "since", "2021-10-04T16:39:55+02:00");
  assert_json_int (object, "duration_seconds", 3725);
  assert_json_string (object, "layer", "dns");
  assert_json_int (object, "http_status", 0);
  assert_json_string (object, "official", "major");
  assert_json_string (object, "reason", reason);
  assert_json_string (object, "incident_title", title);
  assert_json_string (object, "incident_url", "https://metastatus.com/incident/1");

  /* Run from the user's home folder. */
  pwd = fixture_read (fixture, "facebook.pwd");
  g_assert_cmpstr (pwd, ==, expected_pwd);

  /* Output (stdout and stderr) logged line by line under the hook's name. */
  assert_log_has (fixture, "hook-env.sh: hello from facebook");
  assert_log_has (fixture, "hook-env.sh: hello from slack");
  assert_log_has (fixture, "hook-env.sh: to stderr");

  /* Flapping, nothing known about the past: empty variables, nulls. */
  g_clear_pointer (&env, g_hash_table_unref);
  env = read_env (fixture, "slack.env");
  assert_env (env, "VIGIE_EVENT", "flapping-started");
  assert_env (env, "VIGIE_FROM", "degraded");
  assert_env (env, "VIGIE_TO", "maintenance");
  assert_env (env, "VIGIE_AT", "2021-10-04T17:39:00+02:00");
  assert_env (env, "VIGIE_SINCE", "");
  assert_env (env, "VIGIE_DURATION_SECONDS", "");
  assert_env (env, "VIGIE_LAYER", "http");
  assert_env (env, "VIGIE_HTTP_STATUS", "503");
  assert_env (env, "VIGIE_OFFICIAL", "maintenance");
  assert_env (env, "VIGIE_REASON", "");
  assert_env (env, "VIGIE_INCIDENT_TITLE", "");
  /* Not the one left over in the user's environment (see main()). */
  assert_env (env, "VIGIE_INCIDENT_URL", "");

  object = read_json (fixture, "slack.json", parser);
  g_assert_cmpuint (json_object_get_size (object), ==, 16);
  assert_json_string (object, "event", "flapping-started");
  assert_json_string (object, "since", NULL);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "duration_seconds")));
  assert_json_int (object, "http_status", 503);
  assert_json_string (object, "reason", NULL);
  assert_json_string (object, "incident_title", NULL);
  assert_json_string (object, "incident_url", NULL);
}

/* ---- ordering ------------------------------------------------------------ */

static void
test_sequential_in_order (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *script = write_script (fixture, "hook-order.sh",
                                          "echo \"start $VIGIE_SERVICE_ID\" >> \"$D/order\"\n"
                                          "sleep 0.05\n"
                                          "echo \"end $VIGIE_SERVICE_ID\" >> \"$D/order\"\n");
  g_autofree char *order = NULL;
  const char *ids[] = { "facebook", "instagram", "messenger", "whatsapp" };

  set_script (fixture, script);
  /* The four Meta services, confirmed down in the same round. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    run_event (fixture, ids[i]);
  wait_idle (fixture);

  order = fixture_read (fixture, "order");
  /* One at a time (no start before the previous end), in order. */
  g_assert_cmpstr (order, ==,
                   "start facebook\nend facebook\n"
                   "start instagram\nend instagram\n"
                   "start messenger\nend messenger\n"
                   "start whatsapp\nend whatsapp\n");
  g_assert_cmpuint (fixture->n_idle, ==, 1);
  g_assert_cmpuint (fixture->failures->len, ==, 0);
}

static void
test_queue_bounded (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *script = write_script (fixture, "hook-count.sh",
                                          "echo \"$VIGIE_SERVICE_ID\" >> \"$D/ran\"\n");
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *ran = NULL;
  guint total = VIGIE_HOOKS_MAX_PENDING + 20;

  set_script (fixture, script);
  /* One warning for the whole burst, however many are dropped. */
  g_test_expect_message ("vigie-hooks", G_LOG_LEVEL_WARNING, "*falling behind*");
  for (guint i = 0; i < total; i++)
    {
      g_autofree char *id = g_strdup_printf ("e%03u", i);

      run_event (fixture, id);
      if (i >= total - VIGIE_HOOKS_MAX_PENDING)
        g_string_append_printf (expected, "%s\n", id);
    }
  g_test_assert_expected_messages ();
  wait_idle (fixture);

  /* The newest ones ran, the oldest were dropped. */
  ran = fixture_read (fixture, "ran");
  g_assert_cmpstr (ran, ==, expected->str);
}

static void
test_command_change_applies_to_next_event (Fixture       *fixture,
                                           gconstpointer  data)
{
  g_autofree char *a = write_script (fixture, "hook-a.sh",
                                     "echo \"a $VIGIE_SERVICE_ID\" >> \"$D/ran\"\n");
  g_autofree char *b = write_script (fixture, "hook-b.sh",
                                     "echo \"b $VIGIE_SERVICE_ID\" >> \"$D/ran\"\n");
  g_autofree char *ran = NULL;

  set_script (fixture, a);
  run_event (fixture, "one");
  set_script (fixture, b);
  run_event (fixture, "two");
  wait_idle (fixture);

  ran = fixture_read (fixture, "ran");
  g_assert_cmpstr (ran, ==, "a one\nb two\n");
}

/* ---- no shell ------------------------------------------------------------ */

static void
test_no_shell (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *script = write_script (fixture, "hook-args.sh",
                                          "printf '%s\\n' \"$@\" > \"$D/args\"\n");
  g_autofree char *quoted = g_shell_quote (script);
  g_autofree char *canary = g_build_filename (home_dir, "canary", NULL);
  g_autofree char *command = NULL;
  g_autofree char *args = NULL;
  g_autofree char *expected = NULL;
  const char *d = fixture->dir;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (canary, "still here", -1, &error);
  g_assert_no_error (error);

  /* Quoted: one argument each. Unquoted metacharacters: a shell would run
   * the touches (and glob the star); here they are plain words. */
  command = g_strdup_printf ("%s 'two words' '; rm -rf ~' \"\\$HOME\" "
                             "$(touch %s/p1) ;touch %s/p2 |touch %s/p3 `touch %s/p4` "
                             "&&touch %s/p5 >%s/p6 $HOME ~ *",
                             quoted, d, d, d, d, d, d);
  set_command (fixture, command);
  run_event (fixture, "facebook");
  wait_idle (fixture);
  g_assert_cmpuint (fixture->failures->len, ==, 0);

  args = fixture_read (fixture, "args");
  expected = g_strdup_printf ("two words\n; rm -rf ~\n$HOME\n"
                              "$(touch\n%s/p1)\n;touch\n%s/p2\n|touch\n%s/p3\n`touch\n%s/p4`\n"
                              "&&touch\n%s/p5\n>%s/p6\n$HOME\n~\n*\n",
                              d, d, d, d, d, d);
  g_assert_cmpstr (args, ==, expected);
  for (guint i = 1; i <= 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("p%u", i);

      g_assert_false (fixture_exists (fixture, name));
    }
  g_assert_true (g_file_test (canary, G_FILE_TEST_EXISTS));
  g_unlink (canary);
}

/* ---- bounds -------------------------------------------------------------- */

static const char hang_script[] =
  "case \"$VIGIE_SERVICE_ID\" in\n"
  "hang)\n"
  "  echo $$ > \"$D/hook.pid\"\n"
  "  sleep 600 &\n"
  "  echo $! > \"$D/child.pid\"\n"
  "  wait ;;\n"
  "*)\n"
  "  echo ran > \"$D/next\" ;;\n"
  "esac\n";

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *script = write_script (fixture, "hook-hang.sh", hang_script);
  gint64 elapsed_ms;
  const char *message;

  set_script (fixture, script);
  vigie_hooks_set_timeout (fixture->hooks, 300);
  run_event (fixture, "hang");
  run_event (fixture, "next");
  elapsed_ms = wait_idle (fixture);

  /* SIGTERM at 300 ms was enough: no wait for SIGKILL. */
  g_assert_cmpint (elapsed_ms, >=, 300);
  g_assert_cmpint (elapsed_ms, <, 1800);
  /* The hook and what it started (its process group) are gone. */
  g_assert_true (process_gone (read_pid (fixture, "hook.pid")));
  g_assert_true (process_gone (read_pid (fixture, "child.pid")));
  /* The next queued hook still ran. */
  g_assert_true (fixture_exists (fixture, "next"));

  g_assert_cmpuint (fixture->failures->len, ==, 1);
  message = g_ptr_array_index (fixture->failures, 0);
  g_assert_nonnull (strstr (message, "hook-hang.sh"));
  g_assert_nonnull (strstr (message, "did not finish within 0.3 seconds"));
}

static void
test_sigterm_ignored (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *script = write_script (fixture, "hook-stubborn.sh",
                                          "trap '' TERM\n"
                                          "echo $$ > \"$D/hook.pid\"\n"
                                          "sleep 600 &\n"
                                          "echo $! > \"$D/child.pid\"\n"
                                          "wait\n"
                                          "echo survived > \"$D/survived\"\n");
  gint64 elapsed_ms;

  set_script (fixture, script);
  vigie_hooks_set_timeout (fixture->hooks, 300);
  run_event (fixture, "stubborn");
  elapsed_ms = wait_idle (fixture);

  /* 300 ms, SIGTERM ignored, SIGKILL 2 s later. */
  g_assert_cmpint (elapsed_ms, >=, 300 + VIGIE_HOOKS_KILL_DELAY_MS);
  g_assert_cmpint (elapsed_ms, <, 300 + VIGIE_HOOKS_KILL_DELAY_MS + 1500);
  g_assert_true (process_gone (read_pid (fixture, "hook.pid")));
  g_assert_true (process_gone (read_pid (fixture, "child.pid")));
  g_assert_false (fixture_exists (fixture, "survived"));
  g_assert_cmpuint (fixture->failures->len, ==, 1);
}

static gint64
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10);
}

static gint64
current_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10);
}

/* Resets the peak resident size (Linux ≥ 4.0) so that it measures from
 * now on. */
static gboolean
reset_peak_rss (void)
{
  int fd = g_open ("/proc/self/clear_refs", O_WRONLY, 0);
  gboolean done;

  if (fd < 0)
    return FALSE;
  done = write (fd, "5", 1) == 1;
  g_close (fd, NULL);
  return done;
}

static void
test_huge_output (Fixture       *fixture,
                  gconstpointer  data)
{
  /* 32 MiB on one line, then a line that must not be kept. */
  g_autofree char *script = write_script (fixture, "hook-chatty.sh",
                                          "head -c 33554432 /dev/zero | tr '\\0' x\n"
                                          "echo\n"
                                          "echo tail-line\n");
  g_autofree char *expected_head = NULL;
  g_autofree char *xs = g_strnfill (VIGIE_HOOKS_MAX_OUTPUT, 'x');
  g_autofree char *expected_notice = NULL;
  gboolean measure;
  gint64 before_kib = 0;

  measure = reset_peak_rss () && (before_kib = current_rss_kib ()) > 0;

  set_script (fixture, script);
  run_event (fixture, "facebook");
  wait_idle (fixture);
  g_assert_cmpuint (fixture->failures->len, ==, 0);

  /* The first 64 KiB logged, the rest counted and dropped. */
  expected_head = g_strconcat ("hook-chatty.sh: ", xs, NULL);
  expected_notice = g_strdup_printf ("hook-chatty.sh: [%d more bytes of output discarded]",
                                     33554432 + 1 + 10 - VIGIE_HOOKS_MAX_OUTPUT);
  g_assert_cmpuint (fixture->log->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->log, 0), ==, expected_head);
  g_assert_cmpstr (g_ptr_array_index (fixture->log, 1), ==, expected_notice);

  if (measure)
    {
      gint64 growth_kib = peak_rss_kib () - before_kib;

      g_test_message ("peak resident size grew by %" G_GINT64_FORMAT " KiB", growth_kib);
      /* Buffering the output would take at least 32 MiB. */
      g_assert_cmpint (growth_kib, <, 12 * 1024);
    }
  else
    g_test_message ("peak resident size not measurable here; skipped that check");
}

static void
test_hook_ignores_stdin (Fixture       *fixture,
                         gconstpointer  data)
{
  /* The event is far larger than a pipe holds, and the hook closes its
   * input and exits: writing the rest fails with EPIPE, and the SIGPIPE it
   * raises must not kill Vigie. The environment gets the reason cut to
   * 8 KiB (whole it would not fit execve's limits), on a UTF-8 boundary. */
  g_autofree char *script = write_script (fixture, "hook-deaf.sh",
                                          "exec 0<&-\n"
                                          "echo ${#VIGIE_REASON} > \"$D/reason-length\"\n");
  g_autoptr(VigieTransition) transition =
    transition_new ("facebook", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN);
  g_autoptr(GString) reason = g_string_new ("a");
  g_autofree char *length = NULL;

  while (reason->len < 1024 * 1024)
    g_string_append (reason, "é");
  g_free (transition->reason);
  transition->reason = g_string_free (g_steal_pointer (&reason), FALSE);

  set_script (fixture, script);
  vigie_hooks_run (fixture->hooks, transition);
  wait_idle (fixture);

  g_assert_cmpuint (fixture->failures->len, ==, 0);
  length = fixture_read (fixture, "reason-length");
  g_assert_cmpstr (length, ==, "8191\n");
}

/* A transition whose event text is about @size bytes (the reason). */
static VigieTransition *
big_transition_new (const char *id,
                    gsize       size)
{
  VigieTransition *transition = transition_new (id, VIGIE_STATE_OPERATIONAL,
                                                VIGIE_STATE_DOWN);
  GString *reason = g_string_sized_new (size + 1);

  while (reason->len < size)
    g_string_append_c (reason, 'r');
  g_free (transition->reason);
  transition->reason = g_string_free (reason, FALSE);
  return transition;
}

static void
test_closed_input_many_times (Fixture       *fixture,
                              gconstpointer  data)
{
  /* A hook that closes its input at once, while Vigie is writing a 1 MiB
   * event into it: the write is cut short with EPIPE or with a partial
   * count, and in both cases the SIGPIPE it raised must be taken back, or
   * it kills this process (SIGPIPE is not ignored here). It once did one
   * run in fifteen, so it is tried 200 times. */
  g_autofree char *script = write_script (fixture, "hook-closes-input.sh", "exec 0<&-\n");
  g_autoptr(VigieTransition) transition = big_transition_new ("facebook", 1024 * 1024);

  set_script (fixture, script);
  for (guint i = 0; i < 200; i++)
    {
      vigie_hooks_run (fixture->hooks, transition);
      wait_idle (fixture);
    }
  g_assert_cmpuint (fixture->failures->len, ==, 0);
}

typedef struct
{
  gint64 next_due;      /* monotonic µs */
  gint64 worst_late;    /* µs */
} Ticker;

static gboolean
on_tick (gpointer user_data)
{
  Ticker *ticker = user_data;
  gint64 now = g_get_monotonic_time ();

  ticker->worst_late = MAX (ticker->worst_late, now - ticker->next_due);
  ticker->next_due = now + 20 * 1000;
  return G_SOURCE_CONTINUE;
}

static gboolean
hook_has_started (gpointer data)
{
  return fixture_exists (data, "hook.pid");
}

static void
test_deaf_hook_does_not_block (Fixture       *fixture,
                               gconstpointer  data)
{
  /* A hook that sleeps without reading a 1 MiB event (the pipe holds
   * 64 KiB): Vigie must keep its main loop running meanwhile, or the tray,
   * the windows and the hook's own time-out all freeze with it. The timer
   * is watched from the moment the hook runs: starting it (fork) is not
   * what is measured, and under AddressSanitizer a fork alone can take a
   * tenth of a second. */
  g_autofree char *script = write_script (fixture, "hook-sleeps.sh",
                                          "echo $$ > \"$D/hook.pid\"\nexec sleep 30\n");
  g_autoptr(VigieTransition) transition = big_transition_new ("facebook", 1024 * 1024);
  Ticker ticker = { 0, 0 };
  guint tick_source;
  gint64 end;

  set_script (fixture, script);
  vigie_hooks_set_timeout (fixture->hooks, 30 * 1000);
  vigie_hooks_run (fixture->hooks, transition);
  vigie_test_wait_for (hook_has_started, fixture, 10000);

  ticker.next_due = g_get_monotonic_time () + 20 * 1000;
  tick_source = g_timeout_add (20, on_tick, &ticker);
  end = g_get_monotonic_time () + 1500 * 1000;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick_source);

  g_test_message ("a 20 ms timer was at worst %" G_GINT64_FORMAT " ms late",
                  ticker.worst_late / 1000);
  g_assert_false (vigie_hooks_is_idle (fixture->hooks));
  g_assert_cmpint (ticker.worst_late, <, 100 * 1000);
  /* Tear-down stops the hook. */
}

static void
test_timeout_with_input_pending (Fixture       *fixture,
                                 gconstpointer  data)
{
  /* The time-out must fire on time even while most of the event is still
   * waiting to be written: a 1 s limit for a hook that would sleep 8 s
   * without reading an event for a 100 000-character service name. */
  g_autofree char *script = write_script (fixture, "hook-slow.sh", "exec sleep 8\n");
  g_autoptr(VigieTransition) transition = transition_new ("facebook", VIGIE_STATE_OPERATIONAL,
                                                          VIGIE_STATE_DOWN);
  g_autoptr(GString) name = g_string_new (NULL);
  gint64 elapsed_ms;

  while (name->len < 100000)
    g_string_append_c (name, 'n');
  g_free (transition->service_name);
  transition->service_name = g_string_free (g_steal_pointer (&name), FALSE);

  set_script (fixture, script);
  vigie_hooks_set_timeout (fixture->hooks, 1000);
  vigie_hooks_run (fixture->hooks, transition);
  elapsed_ms = wait_idle (fixture);

  g_test_message ("the hook was stopped after %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_assert_cmpint (elapsed_ms, >=, 1000);
  g_assert_cmpint (elapsed_ms, <, 4000);
  g_assert_cmpuint (fixture->failures->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->failures, 0),
                            "did not finish within 1 second"));
}

static void
test_background_child_keeps_output_open (Fixture       *fixture,
                                         gconstpointer  data)
{
  /* The hook succeeds at once, but leaves behind a process holding its
   * output open: the next event must not wait for that. */
  g_autofree char *script = write_script (fixture, "hook-bg.sh",
                                          "sleep 30 &\n"
                                          "echo $! > \"$D/child.pid\"\n"
                                          "echo done\n");
  gint64 elapsed_ms;
  pid_t child;

  set_script (fixture, script);
  run_event (fixture, "facebook");
  elapsed_ms = wait_idle (fixture);

  child = read_pid (fixture, "child.pid");
  g_assert_cmpint (elapsed_ms, <, 3000);
  g_assert_cmpuint (fixture->failures->len, ==, 0);
  assert_log_has (fixture, "hook-bg.sh: done");
  /* A hook that succeeded may leave things running; it is not killed. */
  g_assert_cmpint (kill (child, 0), ==, 0);
  kill (child, SIGKILL);
}

static void
test_dispose_stops_hook (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *script = write_script (fixture, "hook-long.sh",
                                          "echo $$ > \"$D/hook.pid.tmp\"\n"
                                          "mv \"$D/hook.pid.tmp\" \"$D/hook.pid\"\n"
                                          "exec sleep 600\n");
  gint64 start = g_get_monotonic_time ();

  set_script (fixture, script);
  run_event (fixture, "facebook");
  run_event (fixture, "instagram");
  while (!fixture_exists (fixture, "hook.pid"))
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
      vigie_test_spin (20);
    }

  g_clear_object (&fixture->hooks);
  g_assert_true (process_gone (read_pid (fixture, "hook.pid")));
  /* Let late callbacks of the abandoned run arrive: they must be harmless. */
  vigie_test_spin (100);
  g_assert_cmpuint (fixture->failures->len, ==, 0);
}

/* ---- failures ------------------------------------------------------------ */

static void
test_failure_reported_once (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *script = write_script (fixture, "hook-flaky.sh",
                                          "case \"$VIGIE_SERVICE_ID\" in\n"
                                          "fail*) exit 3 ;;\n"
                                          "signal*) kill -KILL $$ ;;\n"
                                          "esac\n"
                                          "exit 0\n");
  const char *events[] = { "fail-1", "fail-2", "ok-1", "signal-1", "fail-3", "ok-2", "fail-4" };
  g_autofree char *first = NULL;
  g_autofree char *taken = NULL;

  set_script (fixture, script);
  /* One event, one failure: reported, and there to be taken. */
  run_event (fixture, events[0]);
  wait_idle (fixture);
  g_assert_cmpuint (fixture->failures->len, ==, 1);
  first = vigie_hooks_take_failure (fixture->hooks);
  g_assert_cmpstr (first, ==, g_ptr_array_index (fixture->failures, 0));
  g_assert_nonnull (strstr (first, script));
  g_assert_nonnull (strstr (first, "exit status 3"));
  g_assert_null (vigie_hooks_take_failure (fixture->hooks));

  for (guint i = 1; i < G_N_ELEMENTS (events); i++)
    run_event (fixture, events[i]);
  wait_idle (fixture);

  /* fail-2: same streak, not reported. ok-1 ends it; signal-1 reported,
   * fail-3 not; ok-2 ends it; fail-4 reported. */
  g_assert_cmpuint (fixture->failures->len, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->failures, 1), "signal 9"));
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->failures, 2), "exit status 3"));
  taken = vigie_hooks_take_failure (fixture->hooks);
  g_assert_cmpstr (taken, ==, g_ptr_array_index (fixture->failures, 2));
  g_assert_null (vigie_hooks_take_failure (fixture->hooks));
}

static void
test_cannot_start (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *not_executable = fixture_path (fixture, "not-executable.sh");
  g_autoptr(GError) error = NULL;

  /* Not found: reported once for two events. */
  set_command (fixture, "vigie-no-such-command-4f2a --now");
  run_event (fixture, "facebook");
  run_event (fixture, "instagram");
  wait_idle (fixture);
  g_assert_cmpuint (fixture->failures->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->failures, 0),
                            "“vigie-no-such-command-4f2a” could not be started"));

  /* A success ends the streak. */
  set_command (fixture, "true");
  run_event (fixture, "facebook");
  wait_idle (fixture);
  g_assert_cmpuint (fixture->failures->len, ==, 1);

  /* Not executable. */
  g_file_set_contents (not_executable, "#!/bin/sh\nexit 0\n", -1, &error);
  g_assert_no_error (error);
  set_script (fixture, not_executable);
  run_event (fixture, "facebook");
  wait_idle (fixture);
  g_assert_cmpuint (fixture->failures->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->failures, 1), not_executable));

  /* An empty program name (quoted): refused, then a failure per streak. */
  set_command (fixture, "true");
  run_event (fixture, "facebook");
  g_assert_false (vigie_hooks_set_command (fixture->hooks, "'' --flag", &error));
  g_assert_error (error, G_SHELL_ERROR, G_SHELL_ERROR_FAILED);
  run_event (fixture, "instagram");
  run_event (fixture, "messenger");
  wait_idle (fixture);
  g_assert_cmpuint (fixture->failures->len, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->failures, 2), "'' --flag"));
}

static void
test_empty_command_is_off (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *script = write_script (fixture, "hook-touch.sh", "touch \"$D/ran\"\n");
  const char *off[] = { NULL, "", "   \t ", "# nothing but a comment" };

  for (guint i = 0; i < G_N_ELEMENTS (off); i++)
    {
      g_autoptr(GError) error = NULL;

      /* On first, so that switching off is what is tested. */
      set_script (fixture, script);
      g_assert_nonnull (vigie_hooks_get_command (fixture->hooks));
      g_assert_true (vigie_hooks_set_command (fixture->hooks, off[i], &error));
      g_assert_no_error (error);
      g_assert_null (vigie_hooks_get_command (fixture->hooks));

      run_event (fixture, "facebook");
      g_assert_true (vigie_hooks_is_idle (fixture->hooks));
    }
  vigie_test_spin (200);

  g_assert_false (fixture_exists (fixture, "ran"));
  g_assert_cmpuint (fixture->failures->len, ==, 0);
  g_assert_cmpuint (fixture->n_idle, ==, 0);
}

static void
test_unbalanced_quote (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *command = "notify-send 'Vigie: $VIGIE_SERVICE_NAME is $VIGIE_TO";

  g_assert_false (vigie_hooks_set_command (fixture->hooks, command, &error));
  g_assert_error (error, G_SHELL_ERROR, G_SHELL_ERROR_BAD_QUOTING);
  g_assert_nonnull (strstr (error->message, command));

  /* Kept, so each event is a failure, reported once. */
  g_assert_cmpstr (vigie_hooks_get_command (fixture->hooks), ==, command);
  run_event (fixture, "facebook");
  run_event (fixture, "instagram");
  wait_idle (fixture);
  g_assert_cmpuint (fixture->failures->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->failures, 0), command));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *base = NULL;
  int status;

  /* Before anything caches them: hooks run in a throwaway home, and local
   * time is Paris time (written as a POSIX rule: no tzdata needed). */
  base = vigie_test_make_tmp_dir ("vigie-test-hooks-home-XXXXXX");
  home_dir = g_build_filename (base, "home", NULL);
  g_assert_cmpint (g_mkdir (home_dir, 0700), ==, 0);
  g_setenv ("HOME", home_dir, TRUE);
  g_setenv ("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  /* The user's environment: kept, except that a VIGIE_ variable left over
   * in it must not pose as the event's. */
  g_setenv ("VIGIE_TEST_USER_VARIABLE", "kept", TRUE);
  g_setenv ("VIGIE_INCIDENT_URL", "https://stale.example/", TRUE);

  /* What the applet has; a test runner may have left SIGPIPE ignored,
   * which would hide a hook-input write that could kill Vigie. */
  signal (SIGPIPE, SIG_DFL);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/hooks/environment-and-stdin", test_environment_and_stdin);
  ADD ("/hooks/sequential-in-order", test_sequential_in_order);
  ADD ("/hooks/queue-bounded", test_queue_bounded);
  ADD ("/hooks/command-change-applies-to-next-event", test_command_change_applies_to_next_event);
  ADD ("/hooks/no-shell", test_no_shell);
  ADD ("/hooks/timeout", test_timeout);
  ADD ("/hooks/sigterm-ignored", test_sigterm_ignored);
  ADD ("/hooks/huge-output", test_huge_output);
  ADD ("/hooks/hook-ignores-stdin", test_hook_ignores_stdin);
  ADD ("/hooks/closed-input-many-times", test_closed_input_many_times);
  ADD ("/hooks/deaf-hook-does-not-block", test_deaf_hook_does_not_block);
  ADD ("/hooks/timeout-with-input-pending", test_timeout_with_input_pending);
  ADD ("/hooks/background-child-keeps-output-open", test_background_child_keeps_output_open);
  ADD ("/hooks/dispose-stops-hook", test_dispose_stops_hook);
  ADD ("/hooks/failure-reported-once", test_failure_reported_once);
  ADD ("/hooks/cannot-start", test_cannot_start);
  ADD ("/hooks/empty-command-is-off", test_empty_command_is_off);
  ADD ("/hooks/unbalanced-quote", test_unbalanced_quote);

  status = g_test_run ();

  vigie_test_remove_tree (base);
  g_free (home_dir);
  return status;
}
