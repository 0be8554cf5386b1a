/* test-config.c — the settings file: defaults, validation messages that name
 * file, line, group and key, nothing of the user's lost, atomic saves. */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vigie-config.h"

typedef struct
{
  VigieCatalog *catalog;
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->catalog = vigie_catalog_new_builtin (&error);
  g_assert_no_error (error);
  /* G_TEST_OPTION_ISOLATE_DIRS gives each test its own XDG_CONFIG_HOME. */
  f->dir = g_build_filename (g_get_user_config_dir (), "vigie", NULL);
  f->path = g_build_filename (f->dir, "vigie.ini", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->catalog);
  g_free (f->dir);
  g_free (f->path);
}

static void
write_file (Fixture    *f,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);
  g_file_set_contents (f->path, contents, length, &error);
  g_assert_no_error (error);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* Loads f->path, expecting success, and returns the config. */
static VigieConfig *
load_ok (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  VigieConfig *config = vigie_config_new (f->catalog, f->path);

  g_assert_true (vigie_config_load (config, &error));
  g_assert_no_error (error);
  return config;
}

static void
assert_problem (VigieConfig *config,
                const char  *fragment)
{
  GPtrArray *problems = vigie_config_get_problems (config);

  for (guint i = 0; i < problems->len; i++)
    if (strstr (g_ptr_array_index (problems, i), fragment) != NULL)
      {
        g_test_message ("problem: %s", (const char *) g_ptr_array_index (problems, i));
        return;
      }
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("seen: %s", (const char *) g_ptr_array_index (problems, i));
  g_test_fail_printf ("no problem mentions “%s”", fragment);
}

static void
assert_defaults (VigieConfig *config)
{
  const char *const *ids = vigie_config_get_service_ids (config);

  g_assert_cmpuint (vigie_config_get_setting (config, VIGIE_SETTING_INTERVAL), ==, 60);
  g_assert_cmpuint (vigie_config_get_setting (config, VIGIE_SETTING_RETRY_INTERVAL), ==, 15);
  g_assert_cmpuint (vigie_config_get_setting (config, VIGIE_SETTING_TIMEOUT), ==, 10);
  g_assert_cmpuint (vigie_config_get_setting (config, VIGIE_SETTING_FAILURES_BEFORE_DOWN), ==, 3);
  g_assert_cmpuint (vigie_config_get_setting (config, VIGIE_SETTING_SUCCESSES_BEFORE_UP), ==, 2);
  g_assert_cmpuint (g_strv_length ((char **) ids), ==, 7);
  g_assert_cmpstr (ids[0], ==, "facebook");
  g_assert_true (vigie_config_get_notifications_enabled (config));
  g_assert_false (vigie_config_get_quiet_hours (config, NULL, NULL));
  g_assert_cmpuint (g_strv_length ((char **) vigie_config_get_connectivity_urls (config)), ==, 3);
}

static void
test_missing_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(VigieConfig) config = load_ok (f);

  assert_defaults (config);
  g_assert_cmpuint (vigie_config_get_problems (config)->len, ==, 0);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  /* Interval + (FailuresBeforeDown - 1) × RetryInterval + Timeout */
  g_assert_cmpuint (vigie_config_get_worst_case_detection (config), ==, 60 + 2 * 15 + 10);
}

static void
test_empty_file (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(VigieConfig) config = NULL;

  write_file (f, "", 0);
  config = load_ok (f);
  assert_defaults (config);
  assert_problem (config, "holds no settings");
}

static const char design_example[] =
  "# my settings\n"
  "[General]\n"
  "Services=facebook;instagram;whatsapp;messenger;slack;notion;google-workspace;intranet\n"
  "Interval=120\n"
  "RetryInterval=20\n"
  "Timeout=8\n"
  "FailuresBeforeDown=4\n"
  "SuccessesBeforeUp=3\n"
  "\n"
  "[Notifications]\n"
  "Enabled=false\n"
  "QuietHours=22:00-07:00\n"
  "\n"
  "[Connectivity]\n"
  "URLs=https://connectivitycheck.gstatic.com/generate_204;http://captive.example/check\n"
  "\n"
  "[Service intranet]\n"
  "Name=Intranet\n"
  "Provider=Us\n"
  "Site=https://intranet.example.com/\n"
  "Feed=statuspage:https://status.example.com/api/v2/summary.json\n"
  "\n"
  "[Service printer]\n"
  "Site=printer.lan:631\n";

static void
test_full_file (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(VigieConfig) config = NULL;
  g_autoptr(GPtrArray) watched = NULL;
  VigieService *intranet, *printer;
  guint start, end;

  write_file (f, design_example, -1);
  config = load_ok (f);

  g_assert_cmpuint (vigie_config_get_problems (config)->len, ==, 0);
  g_assert_cmpuint (vigie_config_get_setting (config, VIGIE_SETTING_INTERVAL), ==, 120);
  g_assert_cmpuint (vigie_config_get_setting (config, VIGIE_SETTING_RETRY_INTERVAL), ==, 20);
  g_assert_cmpuint (vigie_config_get_setting (config, VIGIE_SETTING_TIMEOUT), ==, 8);
  g_assert_cmpuint (vigie_config_get_setting (config, VIGIE_SETTING_FAILURES_BEFORE_DOWN), ==, 4);
  g_assert_cmpuint (vigie_config_get_setting (config, VIGIE_SETTING_SUCCESSES_BEFORE_UP), ==, 3);
  g_assert_cmpuint (vigie_config_get_worst_case_detection (config), ==, 120 + 3 * 20 + 8);
  g_assert_false (vigie_config_get_notifications_enabled (config));
  g_assert_true (vigie_config_get_quiet_hours (config, &start, &end));
  g_assert_cmpuint (start, ==, 22 * 60);
  g_assert_cmpuint (end, ==, 7 * 60);
  g_assert_cmpstr (vigie_config_get_connectivity_urls (config)[1], ==,
                   "http://captive.example/check");

  watched = vigie_config_get_watched (config);
  g_assert_cmpuint (watched->len, ==, 8);
  intranet = g_ptr_array_index (watched, 7);
  g_assert_cmpstr (intranet->id, ==, "intranet");
  g_assert_cmpstr (intranet->provider, ==, "Us");
  g_assert_cmpstr (intranet->category, ==, "custom");
  g_assert_cmpint (intranet->feed_kind, ==, VIGIE_FEED_STATUSPAGE);
  g_assert_true (intranet->origin == VIGIE_SERVICE_CUSTOM);

  /* Defined but not listed in Services: known, not watched. */
  printer = vigie_config_lookup_service (config, "printer");
  g_assert_nonnull (printer);
  g_assert_cmpstr (printer->site, ==, "printer.lan:631");
  g_assert_cmpstr (printer->name, ==, "printer");
  g_assert_false (vigie_config_is_watched (config, "printer"));
}

/* A file that is not a settings file: copied aside byte for byte, left in
 * place untouched, and the defaults apply. */
static void
check_corrupt (Fixture    *f,
               const char *contents,
               gsize       length,
               const char *fragment)
{
  g_autoptr(VigieConfig) config = vigie_config_new (f->catalog, f->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *after = NULL;
  gsize backup_length, after_length;
  const char *backup_path;
  GStatBuf st;

  write_file (f, contents, length);
  g_assert_false (vigie_config_load (config, &error));
  g_assert_error (error, VIGIE_CONFIG_ERROR, VIGIE_CONFIG_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_nonnull (strstr (error->message, fragment));
  assert_defaults (config);

  backup_path = vigie_config_get_backup_path (config);
  g_assert_nonnull (backup_path);
  g_assert_true (g_str_has_prefix (backup_path, f->path));
  g_assert_nonnull (strstr (backup_path, ".broken-"));
  g_assert_nonnull (strstr (error->message, backup_path));
  g_assert_true (g_file_get_contents (backup_path, &backup, &backup_length, NULL));
  g_assert_cmpmem (backup, backup_length, contents, length);
  /* Settings may hold private addresses: the copy is as private as they are. */
  g_assert_cmpint (g_stat (backup_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (g_file_get_contents (f->path, &after, &after_length, NULL));
  g_assert_cmpmem (after, after_length, contents, length);
}

static void
test_binary_garbage (Fixture       *f,
                     gconstpointer  data)
{
  guint8 garbage[512];

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (guint8) (i * 37 + 11);
  check_corrupt (f, (const char *) garbage, sizeof garbage, "not text");
}

static void
test_not_key_file (Fixture       *f,
                   gconstpointer  data)
{
  const char text[] = "Interval = 60 and please check Facebook often\n[General\n";

  check_corrupt (f, text, sizeof text - 1, "not a settings file");
}

/* How many copies of a broken file lie beside the settings file. */
static guint
count_backups (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_prefix (name, "vigie.ini.broken-");
  return n;
}

/* Something at f->path that is not to be read in full (not a regular file,
 * or too large): refused with a message naming it and saying why, the
 * defaults apply, nothing is copied aside, and it is never overwritten. */
static void
check_refused (Fixture    *f,
               const char *fragment)
{
  g_autoptr(VigieConfig) config = vigie_config_new (f->catalog, f->path);
  g_autoptr(GError) error = NULL;
  GStatBuf before, after;

  g_assert_cmpint (g_lstat (f->path, &before), ==, 0);
  g_assert_false (vigie_config_load (config, &error));
  g_assert_error (error, VIGIE_CONFIG_ERROR, VIGIE_CONFIG_ERROR_UNREADABLE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_nonnull (strstr (error->message, fragment));
  g_assert_nonnull (strstr (error->message, "will not overwrite"));
  assert_defaults (config);
  g_assert_null (vigie_config_get_backup_path (config));
  g_assert_cmpuint (count_backups (f), ==, 0);

  g_clear_error (&error);
  vigie_config_set_notifications_enabled (config, FALSE);
  g_assert_false (vigie_config_save (config, &error));
  g_assert_error (error, VIGIE_CONFIG_ERROR, VIGIE_CONFIG_ERROR_NOT_SAVED);
  g_assert_cmpint (g_lstat (f->path, &after), ==, 0);
  g_assert_cmpuint (after.st_ino, ==, before.st_ino);
  g_assert_cmpuint (after.st_mode, ==, before.st_mode);
  g_assert_cmpint (after.st_size, ==, before.st_size);
  g_assert_cmpuint (count_backups (f), ==, 0);
}

/* A regular file over the cap is not read, and not copied either: a copy
 * of it would be as large (a settings file is never that large). */
static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  gsize length = 2 * 1024 * 1024;
  g_autofree char *big = g_malloc (length);

  memset (big, '#', length);
  write_file (f, big, length);
  check_refused (f, "larger than 1 MiB");
}

static void
test_folder_in_the_way (Fixture       *f,
                        gconstpointer  data)
{
  g_assert_cmpint (g_mkdir_with_parents (f->path, 0700), ==, 0);
  check_refused (f, "not a regular file (it is a folder)");
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_DIR));
}

/* Things that are not files would make a careless load wait for ever (a
 * named pipe nobody writes to) or read and copy without end (/dev/zero):
 * the load runs in a child process that is stopped after a while, and
 * may not write more than a few MiB. */
static void
run_refused_in_subprocess (Fixture    *f,
                           const char *fragment)
{
  if (g_test_subprocess ())
    {
      struct rlimit limit = { 16 * 1024 * 1024, 16 * 1024 * 1024 };

      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      check_refused (f, fragment);
      return;
    }
  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_named_pipe (Fixture       *f,
                 gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);
      g_assert_cmpint (mkfifo (f->path, 0600), ==, 0);
    }
  run_refused_in_subprocess (f, "not a regular file (it is a named pipe)");
}

static void
test_link_to_device (Fixture       *f,
                     gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);
      g_assert_cmpint (symlink ("/dev/zero", f->path), ==, 0);
    }
  run_refused_in_subprocess (f, "not a regular file (it is a character device)");
  if (g_test_subprocess ())
    {
      g_autofree char *target = g_file_read_link (f->path, NULL);

      /* Still the link it was. */
      g_assert_cmpstr (target, ==, "/dev/zero");
    }
}

static void
test_bad_numbers (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(VigieConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;

  write_file (f,
              "[General]\n"
              "Interval=-5\n"
              "RetryInterval=99999999999999999999999\n"
              "Timeout=ten\n"
              "FailuresBeforeDown=0\n"
              "SuccessesBeforeUp=2.5\n",
              -1);
  config = load_ok (f);
  assert_defaults (config);
  assert_problem (config, ":2: [General] Interval: -5 is out of range (10 to 86400); using 60");
  assert_problem (config, ":3: [General] RetryInterval: 99999999999999999999999 is out of range");
  assert_problem (config, ":4: [General] Timeout: “ten” is not a whole number; using 10");
  assert_problem (config, ":5: [General] FailuresBeforeDown: 0 is out of range (1 to 20)");
  assert_problem (config, ":6: [General] SuccessesBeforeUp: “2.5” is not a whole number");
  g_assert_cmpuint (vigie_config_get_problems (config)->len, ==, 5);

  /* Changing another setting and saving keeps what the user wrote. */
  g_assert_true (vigie_config_set_setting (config, VIGIE_SETTING_TIMEOUT, 12, &error));
  g_assert_no_error (error);
  g_assert_true (vigie_config_save (config, &error));
  g_assert_no_error (error);
  after = read_file (f->path);
  g_assert_nonnull (strstr (after, "Interval=-5\n"));
  g_assert_nonnull (strstr (after, "RetryInterval=99999999999999999999999\n"));
  g_assert_nonnull (strstr (after, "Timeout=12\n"));
  g_assert_nonnull (strstr (after, "SuccessesBeforeUp=2.5\n"));

  g_assert_false (vigie_config_set_setting (config, VIGIE_SETTING_INTERVAL, 5, &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
}

static void
test_retry_longer_than_interval (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(VigieConfig) config = NULL;

  write_file (f, "[General]\nInterval=30\nRetryInterval=45\n", -1);
  config = load_ok (f);
  assert_problem (config, ":3: [General] RetryInterval: 45 s is longer than Interval (30 s)");
  g_assert_cmpuint (vigie_config_get_setting (config, VIGIE_SETTING_RETRY_INTERVAL), ==, 30);
}

static void
test_set_setting_keeps_retry_within_interval (Fixture       *f,
                                              gconstpointer  data)
{
  /* The rule load enforces holds for every writer, not only the
   * preferences: a longer retry is refused, a shorter interval pulls the
   * retry down with it, and the file saved never holds a retry longer than
   * the interval. */
  g_autoptr(VigieConfig) config = NULL;
  g_autoptr(VigieConfig) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;

  write_file (f, "[General]\nInterval=60\nRetryInterval=20\n", -1);
  config = load_ok (f);

  g_assert_false (vigie_config_set_setting (config, VIGIE_SETTING_RETRY_INTERVAL, 90, &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "RetryInterval must not be longer than Interval (60 s)");
  g_clear_error (&error);
  g_assert_cmpuint (vigie_config_get_setting (config, VIGIE_SETTING_RETRY_INTERVAL), ==, 20);

  g_assert_true (vigie_config_set_setting (config, VIGIE_SETTING_RETRY_INTERVAL, 60, &error));
  g_assert_no_error (error);
  g_assert_true (vigie_config_set_setting (config, VIGIE_SETTING_INTERVAL, 15, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (vigie_config_get_setting (config, VIGIE_SETTING_INTERVAL), ==, 15);
  g_assert_cmpuint (vigie_config_get_setting (config, VIGIE_SETTING_RETRY_INTERVAL), ==, 15);

  g_assert_true (vigie_config_save (config, &error));
  g_assert_no_error (error);
  after = read_file (f->path);
  g_assert_nonnull (strstr (after, "\nInterval=15\n"));
  g_assert_nonnull (strstr (after, "RetryInterval=15\n"));
  reloaded = load_ok (f);
  g_assert_cmpuint (vigie_config_get_problems (reloaded)->len, ==, 0);
}

static void
test_unknown_service (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(VigieConfig) config = NULL;
  const char *const *ids;

  write_file (f, "[General]\nServices=facebok;slack;slack;zzzzzzzzzzzz; ;instagram\n", -1);
  config = load_ok (f);
  assert_problem (config, ":2: [General] Services: unknown service “facebok” (did you mean "
                          "“facebook”?)");
  assert_problem (config, "unknown service “zzzzzzzzzzzz”; it is not watched");
  ids = vigie_config_get_service_ids (config);
  g_assert_cmpuint (g_strv_length ((char **) ids), ==, 2);
  g_assert_cmpstr (ids[0], ==, "slack");
  g_assert_cmpstr (ids[1], ==, "instagram");
}

static void
test_duplicate_groups (Fixture       *f,
                       gconstpointer  data)
{
  const char text[] = "[General]\nInterval=120\n\n[Notifications]\nEnabled=true\n\n"
                      "[General]\nInterval=300\n";
  g_autoptr(VigieConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;

  write_file (f, text, -1);
  config = load_ok (f);
  assert_problem (config, "line 7: group [General] already started at line 1");
  assert_problem (config, "line 8: [General] Interval is set again (first at line 2)");
  g_assert_cmpuint (vigie_config_get_setting (config, VIGIE_SETTING_INTERVAL), ==, 300);

  /* GKeyFile merges the groups on save; the original is kept first. */
  g_assert_null (vigie_config_get_backup_path (config));
  g_assert_true (vigie_config_set_setting (config, VIGIE_SETTING_TIMEOUT, 9, &error));
  g_assert_true (vigie_config_save (config, &error));
  g_assert_no_error (error);
  g_assert_nonnull (vigie_config_get_backup_path (config));
  backup = read_file (vigie_config_get_backup_path (config));
  g_assert_cmpstr (backup, ==, text);
}

static void
test_bad_values (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(VigieConfig) config = NULL;

  write_file (f,
              "[General]\nServices=facebook;intranet;slack;mine\n"
              "[Notifications]\nEnabled=maybe\nQuietHours=25:00-07:00\n"
              "[Connectivity]\nURLs=ftp://example.com/;not a url;https://ok.example/204\n"
              "[Service intranet]\nName=Intranet\nSite=file:///etc/passwd\n"
              "[Service slack]\nSite=https://my-slack.example/\n"
              "[Service Bad_Id]\nSite=https://x.example/\n"
              "[Service mine]\nSite=https://mine.example/\nFeed=statuspage\nColour=blue\n",
              -1);
  config = load_ok (f);
  assert_problem (config, ":4: [Notifications] Enabled: “maybe” is neither true nor false");
  assert_problem (config, ":5: [Notifications] QuietHours: “25:00-07:00” is not a time range");
  assert_problem (config, ":7: [Connectivity] URLs: “ftp://example.com/” must start with "
                          "https:// or http://; this URL is ignored");
  assert_problem (config, "[Connectivity] URLs: a full http:// or https:// URL is needed");
  assert_problem (config, ":10: [Service intranet] Site: “file:///etc/passwd” must start with "
                          "https:// or http://; this service is not watched");
  assert_problem (config, ":11: [Service slack]: “slack” is already a catalog service");
  assert_problem (config, ":13: [Service Bad_Id]: “Bad_Id” is not a valid service id");
  assert_problem (config, ":17: [Service mine] Feed: “statuspage” should be KIND:URL");
  assert_problem (config, ":18: [Service mine] Colour: not a setting Vigie knows; it is kept");
  assert_problem (config, "unknown service “intranet”");

  g_assert_true (vigie_config_get_notifications_enabled (config));
  g_assert_false (vigie_config_get_quiet_hours (config, NULL, NULL));
  g_assert_cmpuint (g_strv_length ((char **) vigie_config_get_connectivity_urls (config)), ==, 1);
  /* The catalog's Slack is the one watched; the clashing group is ignored. */
  g_assert_true (vigie_config_lookup_service (config, "slack")->origin == VIGIE_SERVICE_CATALOG);
  g_assert_cmpuint (g_strv_length ((char **) vigie_config_get_service_ids (config)), ==, 2);
}

static void
test_save_keeps_everything (Fixture       *f,
                            gconstpointer  data)
{
  const char text[] = "# Written by hand\n[General]\n# how often\nInterval=120\nIntervall=5\n"
                      "\n[Later]\nFutureKey=1\n";
  g_autoptr(VigieConfig) config = NULL;
  g_autoptr(VigieConfig) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  const char *ids[] = { "slack", "notion", "nonexistent", NULL };
  GStatBuf st;
  guint changed = 0;

  write_file (f, text, -1);
  config = load_ok (f);
  assert_problem (config, ":5: [General] Intervall: not a setting Vigie knows");
  g_signal_connect_swapped (config, "changed", G_CALLBACK (g_atomic_int_inc), &changed);

  vigie_config_set_service_ids (config, ids);
  g_assert_cmpuint (changed, ==, 1);
  vigie_config_set_service_ids (config, ids);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (vigie_config_save (config, &error));
  g_assert_no_error (error);

  after = read_file (f->path);
  g_assert_nonnull (strstr (after, "# Written by hand\n"));
  g_assert_nonnull (strstr (after, "# how often\nInterval=120\n"));
  g_assert_nonnull (strstr (after, "Intervall=5\n"));
  g_assert_nonnull (strstr (after, "[Later]\nFutureKey=1\n"));
  g_assert_nonnull (strstr (after, "Services=slack;notion;\n"));
  g_assert_null (vigie_config_get_backup_path (config));

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  reloaded = load_ok (f);
  g_assert_cmpuint (g_strv_length ((char **) vigie_config_get_service_ids (reloaded)), ==, 2);
  g_assert_cmpuint (vigie_config_get_setting (reloaded, VIGIE_SETTING_INTERVAL), ==, 120);
}

static void
test_save_creates_folder (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(VigieConfig) config = load_ok (f);
  g_autoptr(VigieConfig) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_true (vigie_config_set_setting (config, VIGIE_SETTING_INTERVAL, 300, &error));
  g_assert_true (vigie_config_save (config, &error));
  g_assert_no_error (error);
  reloaded = load_ok (f);
  g_assert_cmpuint (vigie_config_get_setting (reloaded, VIGIE_SETTING_INTERVAL), ==, 300);

  /* The atomic write leaves no temporary file behind. */
  dir = g_dir_open (f->dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_cmpstr (name, ==, "vigie.ini");
}

static void
on_save_failed (VigieConfig *config,
                const char  *message,
                GPtrArray   *messages)
{
  g_ptr_array_add (messages, g_strdup (message));
}

static void
test_commit_reports_one_way (Fixture       *f,
                             gconstpointer  data)
{
  /* vigie_config_commit() saves, and says a failure through its signal,
   * once per failed save, so whoever changed a setting need not. */
  g_autoptr(VigieConfig) config = load_ok (f);
  g_autoptr(VigieConfig) reloaded = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_signal_connect (config, "save-failed", G_CALLBACK (on_save_failed), messages);
  vigie_config_set_mute (config, "slack", VIGIE_MUTE_UNTIL_BACK);
  g_assert_true (vigie_config_commit (config));
  g_assert_cmpuint (messages->len, ==, 0);
  reloaded = load_ok (f);
  g_assert_cmpint (vigie_config_get_mute (reloaded, "slack", 0), ==, VIGIE_MUTE_UNTIL_BACK);

  /* A folder where the file should be: the save fails, and says why. */
  g_assert_cmpint (g_unlink (f->path), ==, 0);
  g_assert_cmpint (g_mkdir (f->path, 0700), ==, 0);
  vigie_config_set_mute (config, "slack", 0);
  g_assert_false (vigie_config_commit (config));
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (messages, 0), "vigie.ini"));
  g_assert_cmpint (g_rmdir (f->path), ==, 0);
}

static void
test_notifications_and_hooks (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(VigieConfig) config = NULL;
  g_autoptr(VigieConfig) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  const char *allow[] = { "slack", NULL };

  write_file (f,
              "[Notifications]\nDown=true\nDegraded=false\nRecovered=maybe\n"
              "QuietHours=22:30-07:00\nQuietHoursAllow=facebook;nope\nReminder=30\n"
              "Muted=slack@back;notion@4102444800;zoom@yesterday\n"
              "[Hooks]\nOnChange=notify-team --channel \"#ops\"\nTimeout=9999\n",
              -1);
  config = load_ok (f);
  assert_problem (config, ":4: [Notifications] Recovered: “maybe” is neither true nor false");
  assert_problem (config, ":6: [Notifications] QuietHoursAllow: unknown service “nope”");
  assert_problem (config, ":8: [Notifications] Muted: “zoom@yesterday” should be ID@back");
  assert_problem (config, ":11: [Hooks] Timeout: “9999” is out of range (1 to 600 s)");

  g_assert_true (vigie_config_get_notify (config, VIGIE_NOTIFY_DOWN));
  g_assert_false (vigie_config_get_notify (config, VIGIE_NOTIFY_DEGRADED));
  g_assert_true (vigie_config_get_notify (config, VIGIE_NOTIFY_RECOVERED));
  /* 22:30 to 07:00 crosses midnight. */
  g_assert_true (vigie_config_in_quiet_hours (config, 23 * 60));
  g_assert_true (vigie_config_in_quiet_hours (config, 6 * 60 + 59));
  g_assert_false (vigie_config_in_quiet_hours (config, 7 * 60));
  g_assert_false (vigie_config_in_quiet_hours (config, 22 * 60 + 29));
  g_assert_cmpstrv (vigie_config_get_quiet_hours_allow (config),
                    ((const char *[]) { "facebook", NULL }));
  g_assert_cmpuint (vigie_config_get_reminder_minutes (config), ==, 30);
  g_assert_cmpint (vigie_config_get_mute (config, "slack", 0), ==, VIGIE_MUTE_UNTIL_BACK);
  g_assert_cmpint (vigie_config_get_mute (config, "notion", 1000), ==, 4102444800);
  /* A mute that has expired is no mute. */
  g_assert_cmpint (vigie_config_get_mute (config, "notion", 4102444800), ==, 0);
  g_assert_cmpint (vigie_config_get_mute (config, "zoom", 0), ==, 0);
  g_assert_cmpstr (vigie_config_get_hook_command (config), ==, "notify-team --channel \"#ops\"");
  g_assert_cmpuint (vigie_config_get_hook_timeout (config), ==, 10);

  vigie_config_set_mute (config, "slack", 0);
  vigie_config_set_mute (config, "zoom", 4102444800);
  vigie_config_set_notify (config, VIGIE_NOTIFY_DEGRADED, TRUE);
  vigie_config_set_quiet_hours (config, TRUE, 21 * 60, 6 * 60 + 5);
  vigie_config_set_quiet_hours_allow (config, allow);
  vigie_config_set_hook_command (config, NULL);
  g_assert_true (vigie_config_save (config, &error));
  g_assert_no_error (error);

  reloaded = load_ok (f);
  g_assert_cmpint (vigie_config_get_mute (reloaded, "slack", 0), ==, 0);
  g_assert_cmpint (vigie_config_get_mute (reloaded, "zoom", 0), ==, 4102444800);
  g_assert_cmpint (vigie_config_get_mute (reloaded, "notion", 0), ==, 4102444800);
  g_assert_true (vigie_config_get_notify (reloaded, VIGIE_NOTIFY_DEGRADED));
  g_assert_true (vigie_config_in_quiet_hours (reloaded, 6 * 60 + 4));
  g_assert_false (vigie_config_in_quiet_hours (reloaded, 6 * 60 + 5));
  g_assert_cmpstrv (vigie_config_get_quiet_hours_allow (reloaded), allow);
  g_assert_null (vigie_config_get_hook_command (reloaded));
}

static void
count_changed (VigieConfig *config,
               guint       *n)
{
  (*n)++;
}

static void
test_custom_service_add_edit_remove (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(VigieConfig) config = NULL;
  g_autoptr(VigieConfig) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  const char *watch[] = { "slack", "intranet", NULL };
  const char *allow[] = { "intranet", "slack", NULL };
  VigieService *service;
  guint n_changed = 0;

  write_file (f,
              "# my settings\n[General]\nServices=slack\n"
              "[Service intranet]\nName=Old name\nProvider=Us\nSite=https://old.example.com/\n"
              "# kept\nNote=Ask Sam\nLater=kept too\n",
              -1);
  config = load_ok (f);
  g_signal_connect (config, "changed", G_CALLBACK (count_changed), &n_changed);

  /* A new one, with a feed on plain http (an intranet may have no TLS). */
  g_assert_true (vigie_config_set_custom_service (config, "status-board", "Status board",
                                                  "http://10.0.0.5:8080/",
                                                  "http://10.0.0.5:8080/status",
                                                  "statuspage:http://10.0.0.5:8080/api/v2/summary.json",
                                                  &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_changed, ==, 1);
  service = vigie_config_lookup_service (config, "status-board");
  g_assert_nonnull (service);
  g_assert_cmpstr (service->name, ==, "Status board");
  g_assert_cmpint (service->feed_kind, ==, VIGIE_FEED_STATUSPAGE);
  g_assert_cmpstr (service->feed_url, ==, "http://10.0.0.5:8080/api/v2/summary.json");
  g_assert_cmpstr (service->status_page, ==, "http://10.0.0.5:8080/status");
  g_assert_false (vigie_config_is_watched (config, "status-board"));

  /* Editing keeps the keys the editor does not show; clearing removes a key. */
  g_assert_true (vigie_config_set_custom_service (config, "intranet", "Intranet",
                                                  "intranet.example.com:443", "", NULL, &error));
  g_assert_no_error (error);
  service = vigie_config_lookup_service (config, "intranet");
  g_assert_cmpstr (service->name, ==, "Intranet");
  g_assert_cmpstr (service->provider, ==, "Us");
  g_assert_cmpstr (service->site, ==, "intranet.example.com:443");
  g_assert_cmpuint (vigie_config_get_custom_services (config)->len, ==, 2);

  vigie_config_set_service_ids (config, watch);
  vigie_config_set_quiet_hours_allow (config, allow);
  vigie_config_set_mute (config, "intranet", VIGIE_MUTE_UNTIL_BACK);
  g_assert_true (vigie_config_save (config, &error));
  g_assert_no_error (error);

  contents = read_file (f->path);
  g_assert_nonnull (strstr (contents, "# my settings\n"));
  g_assert_nonnull (strstr (contents, "[Service intranet]\nName=Intranet\nProvider=Us\n"
                                      "Site=intranet.example.com:443\n# kept\nNote=Ask Sam\n"
                                      "Later=kept too\n"));
  g_assert_nonnull (strstr (contents, "[Service status-board]\nName=Status board\n"
                                      "Site=http://10.0.0.5:8080/\n"
                                      "StatusPage=http://10.0.0.5:8080/status\n"
                                      "Feed=statuspage:http://10.0.0.5:8080/api/v2/summary.json\n"));
  g_clear_pointer (&contents, g_free);

  reloaded = load_ok (f);
  g_assert_cmpuint (vigie_config_get_problems (reloaded)->len, ==, 1);  /* Later= */
  g_assert_nonnull (vigie_config_lookup_service (reloaded, "status-board"));
  g_assert_true (vigie_config_is_watched (reloaded, "intranet"));

  /* Removing forgets every mention of it. */
  n_changed = 0;
  g_assert_true (vigie_config_remove_custom_service (config, "intranet"));
  g_assert_cmpuint (n_changed, >=, 1);
  g_assert_null (vigie_config_lookup_service (config, "intranet"));
  g_assert_cmpstrv (vigie_config_get_service_ids (config), ((const char *[]) { "slack", NULL }));
  g_assert_cmpstrv (vigie_config_get_quiet_hours_allow (config),
                    ((const char *[]) { "slack", NULL }));
  g_assert_cmpint (vigie_config_get_mute (config, "intranet", 0), ==, 0);
  g_assert_false (vigie_config_remove_custom_service (config, "intranet"));
  g_assert_false (vigie_config_remove_custom_service (config, "slack"));
  g_assert_true (vigie_config_save (config, &error));
  contents = read_file (f->path);
  g_assert_null (strstr (contents, "intranet"));
  g_assert_nonnull (strstr (contents, "[Service status-board]"));
}

static void
test_custom_service_refused (Fixture       *f,
                             gconstpointer  data)
{
  static const struct
  {
    const char *id, *site, *status_page, *feed, *message;
    int code;
  } cases[] = {
    { "Not Valid", "https://x.example/", NULL, NULL, "not a valid service id",
      VIGIE_SERVICE_ERROR_INVALID_ID },
    { "", "https://x.example/", NULL, NULL, "not a valid service id",
      VIGIE_SERVICE_ERROR_INVALID_ID },
    { "facebook", "https://x.example/", NULL, NULL, "already a catalog service",
      VIGIE_SERVICE_ERROR_INVALID_ID },
    { "mine", "ftp://x", NULL, NULL, "must start with https:// or http://",
      VIGIE_SERVICE_ERROR_INVALID_URL },
    { "mine", "http://[::1/", NULL, NULL, "not a valid URL", VIGIE_SERVICE_ERROR_INVALID_URL },
    { "mine", "not a url", NULL, NULL, "contains a space", VIGIE_SERVICE_ERROR_INVALID_URL },
    { "mine", "", NULL, NULL, "Site is missing", VIGIE_SERVICE_ERROR_MISSING_KEY },
    { "mine", "https://x.example/", "x.example:80", NULL, "not a web address",
      VIGIE_SERVICE_ERROR_INVALID_URL },
    { "mine", "https://x.example/", NULL, "statuspage", "should be KIND:URL",
      VIGIE_SERVICE_ERROR_INVALID_FEED },
    { "mine", "https://x.example/", NULL, "carrier-pigeon:https://x.example/",
      "unknown feed kind", VIGIE_SERVICE_ERROR_INVALID_FEED },
  };
  g_autoptr(VigieConfig) config = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint n_changed = 0;

  write_file (f, "[General]\nServices=slack\n[Service mine]\nSite=https://mine.example/\n", -1);
  config = load_ok (f);
  /* GKeyFile lays the file out its own way on the first save: compare saves. */
  g_assert_true (vigie_config_save (config, NULL));
  before = read_file (f->path);
  g_signal_connect (config, "changed", G_CALLBACK (count_changed), &n_changed);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u: %s %s", i, cases[i].id, cases[i].site);
      g_assert_false (vigie_config_set_custom_service (config, cases[i].id, "Mine",
                                                       cases[i].site, cases[i].status_page,
                                                       cases[i].feed, &error));
      g_assert_error (error, VIGIE_SERVICE_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
  /* Nothing changed, in memory or on disk. */
  g_assert_cmpuint (n_changed, ==, 0);
  g_assert_cmpstr (vigie_config_lookup_service (config, "mine")->site, ==,
                   "https://mine.example/");
  g_assert_cmpuint (vigie_config_get_custom_services (config)->len, ==, 1);
  g_assert_true (vigie_config_save (config, NULL));
  after = read_file (f->path);
  g_assert_cmpstr (after, ==, before);
}

static void
test_connectivity_urls (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(VigieConfig) config = NULL;
  g_autoptr(VigieConfig) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  const char *good[] = { " http://portal.example/check ", "", "https://204.example/", NULL };
  const char *expected[] = { "http://portal.example/check", "https://204.example/", NULL };
  const char *bare[] = { "https://204.example/", "router.lan:80", NULL };
  const char *ftp[] = { "ftp://files.example/", NULL };
  const char *none[] = { "", NULL };
  guint n_changed = 0;

  config = load_ok (f);
  g_signal_connect (config, "changed", G_CALLBACK (count_changed), &n_changed);

  g_assert_true (vigie_config_set_connectivity_urls (config, good, &error));
  g_assert_no_error (error);
  g_assert_cmpstrv (vigie_config_get_connectivity_urls (config), expected);
  g_assert_cmpuint (n_changed, ==, 1);
  /* The same again is no change. */
  g_assert_true (vigie_config_set_connectivity_urls (config, expected, &error));
  g_assert_cmpuint (n_changed, ==, 1);

  g_assert_false (vigie_config_set_connectivity_urls (config, bare, &error));
  g_assert_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_URL);
  g_assert_nonnull (strstr (error->message, "“router.lan:80” is not a full http"));
  g_clear_error (&error);
  g_assert_false (vigie_config_set_connectivity_urls (config, ftp, &error));
  g_assert_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_URL);
  g_clear_error (&error);
  g_assert_false (vigie_config_set_connectivity_urls (config, none, &error));
  g_assert_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_URL);
  g_clear_error (&error);
  g_assert_cmpstrv (vigie_config_get_connectivity_urls (config), expected);
  g_assert_cmpuint (n_changed, ==, 1);

  g_assert_true (vigie_config_save (config, &error));
  g_assert_no_error (error);
  reloaded = load_ok (f);
  g_assert_cmpuint (vigie_config_get_problems (reloaded)->len, ==, 0);
  g_assert_cmpstrv (vigie_config_get_connectivity_urls (reloaded), expected);
}

/* GLib 2.74's GKeyFile warns (fatally in tests) on a value ending with a
 * lone backslash; found by fuzzing (fuzz/crashes/fuzz-config-keyfile-gerror-overwritten). */
static void
test_lone_backslash (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(VigieConfig) config = NULL;

  write_file (f, "[General]\nServices=\\x\\\n[Hooks]\nOnChange=run\\\n"
                 "[Service mine]\nSite=https://x.example/\\\n", -1);
  config = load_ok (f);
  /* Unreadable values are ignored like missing ones, and said so. */
  assert_problem (config, ":2: [General] Services: the list cannot be read");
  g_assert_cmpuint (g_strv_length ((char **) vigie_config_get_service_ids (config)), ==, 7);
  g_assert_null (vigie_config_get_hook_command (config));
  g_assert_null (vigie_config_lookup_service (config, "mine"));
  assert_problem (config, "[Service mine]: Site is missing");
}

/* A URL with a line break in it (GKeyFile turns \\r\\n into CR LF) would put
 * a header of the file's choosing into a request: it is a settings error
 * at the key's line, whatever the key, and the message shows the escapes
 * instead of breaking the line. */
static void
test_url_control_chars (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(VigieConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *problems;
  const char *const bad_baseline[] = { "https://ok.example/204\r\nX-Injected: yes", NULL };
  const char *const good_baseline[] = { "https://ok.example/204", NULL };

  write_file (f,
              "[General]\nServices=inject;spaced;tcp;feed;page;nbsp;fine\n"
              "[Connectivity]\n"
              "URLs=http://127.0.0.1/ok\\r\\nX-Injected: yes;https://ok.example/204\n"
              "[Service inject]\nSite=http://127.0.0.1/ok\\r\\nX-Injected: yes\n"
              "[Service spaced]\nSite=https://a.example/a b\n"
              "[Service tcp]\nSite=intra\\tnet:8080\n"
              "[Service feed]\nSite=https://f.example/\n"
              "Feed=statuspage:https://f.example/sum\\nmary.json\n"
              "[Service page]\nSite=https://p.example/\nStatusPage=https://p.example/\xc2\x85x\n"
              "[Service nbsp]\nSite=https://n.example/\xc2\xa0x\n"
              "[Service fine]\nSite=https://fine.example/a%20b\n",
              -1);
  config = load_ok (f);
  assert_problem (config, ":4: [Connectivity] URLs: “http://127.0.0.1/ok\\r\\nX-Injected: yes” "
                          "contains a space, a line break or another control character, which "
                          "a URL cannot hold; this URL is ignored");
  assert_problem (config, ":6: [Service inject] Site: “http://127.0.0.1/ok\\r\\nX-Injected: "
                          "yes” contains a space, a line break or another control character, "
                          "which a URL cannot hold; this service is not watched");
  assert_problem (config, ":8: [Service spaced] Site: “https://a.example/a b” contains a space");
  assert_problem (config, ":10: [Service tcp] Site: “intra\\tnet:8080” contains a space");
  assert_problem (config, ":13: [Service feed] Feed: “https://f.example/sum\\nmary.json” "
                          "contains a space");
  assert_problem (config, ":16: [Service page] StatusPage: “https://p.example/\\u0085x” "
                          "contains a space");
  assert_problem (config, ":18: [Service nbsp] Site: “https://n.example/\\u00A0x” contains");

  /* No message carries the control characters themselves. */
  problems = vigie_config_get_problems (config);
  for (guint i = 0; i < problems->len; i++)
    for (const char *p = problems->pdata[i]; *p != '\0'; p = g_utf8_next_char (p))
      g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));

  for (const char *const *id = (const char *const[]) { "inject", "spaced", "tcp", "feed", "page",
                                                        "nbsp", NULL };
       *id != NULL; id++)
    g_assert_null (vigie_config_lookup_service (config, *id));
  g_assert_nonnull (vigie_config_lookup_service (config, "fine"));
  g_assert_cmpstrv (vigie_config_get_service_ids (config), ((const char *const[]) { "fine", NULL }));
  g_assert_cmpstrv (vigie_config_get_connectivity_urls (config), good_baseline);

  /* The setters refuse the same. */
  g_assert_false (vigie_config_set_custom_service (config, "mine", NULL,
                                                   "https://m.example/\r\nX-Injected: yes",
                                                   NULL, NULL, &error));
  g_assert_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_URL);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Site: "));
  g_assert_nonnull (strstr (error->message, "\\r\\n"));
  g_clear_error (&error);
  g_assert_false (vigie_config_set_connectivity_urls (config, bad_baseline, &error));
  g_assert_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_URL);
  g_assert_null (vigie_config_lookup_service (config, "mine"));
}

/* Writes @n custom services, all watched, as in
 * fuzz/crashes/fuzz-config-many-custom-services-quadratic. */
static void
write_many_services (Fixture *f,
                     guint    n)
{
  g_autoptr(GString) text = g_string_new ("[General]\nServices=");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%ss%u", i ? ";" : "", i);
  g_string_append_c (text, '\n');
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "[Service s%u]\nSite=a:1\n", i);
  write_file (f, text->str, text->len);
}

static gint64
cpu_time_us (void)
{
  struct timespec ts;

  g_assert_cmpint (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts), ==, 0);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* CPU time (not wall time, which another process on the machine would
 * inflate) of the fastest of three loads of @n services, with what a
 * caller does next: the watched list and a "watched?" per service. */
static gint64
time_many_services (Fixture *f,
                    guint    n)
{
  gint64 best = G_MAXINT64;

  write_many_services (f, n);
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(VigieConfig) config = NULL;
      g_autoptr(GPtrArray) watched = NULL;
      gint64 start = cpu_time_us ();
      guint n_watched = 0;

      config = load_ok (f);
      watched = vigie_config_get_watched (config);
      for (guint i = 0; i < watched->len; i++)
        n_watched += vigie_config_is_watched (config, ((VigieService *) watched->pdata[i])->id);
      best = MIN (best, cpu_time_us () - start);

      g_assert_cmpuint (vigie_config_get_custom_services (config)->len, ==, n);
      g_assert_cmpuint (watched->len, ==, n);
      g_assert_cmpuint (n_watched, ==, n);
      g_assert_cmpuint (vigie_config_get_problems (config)->len, ==, 0);
    }
  return best;
}

/* Under AddressSanitizer every allocation costs a stack walk, and loading
 * 32 000 services three times would outlast the test's time limit: an
 * eighth of the size keeps the same ratio. */
#if defined(__SANITIZE_ADDRESS__)
#define MANY_SERVICES 4000
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MANY_SERVICES 4000
#endif
#endif
#ifndef MANY_SERVICES
#define MANY_SERVICES 32000
#endif

/* Loading must grow with the size of the file, not its square: with a
 * linear lookup of custom services, 32 000 of them took seconds. The check
 * compares 8 000 with 32 000 services rather than timing one load against
 * a limit: four times the services should take about four times as long
 * (sixteen times when quadratic); more than eight fails. */
static void
test_many_custom_services (Fixture       *f,
                           gconstpointer  data)
{
  gint64 small, large;

  small = time_many_services (f, MANY_SERVICES / 4);
  large = time_many_services (f, MANY_SERVICES);
  g_test_message ("%u services: %.3f s, %u: %.3f s (CPU), ratio %.1f", MANY_SERVICES / 4,
                  small / 1e6, MANY_SERVICES, large / 1e6, (double) large / MAX (small, 1));
  g_assert_cmpint (large, <, 8 * MAX (small, 1000));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/config/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("missing-file", test_missing_file);
  ADD ("empty-file", test_empty_file);
  ADD ("full-file", test_full_file);
  ADD ("corrupt/binary-garbage", test_binary_garbage);
  ADD ("corrupt/not-a-key-file", test_not_key_file);
  ADD ("corrupt/too-large", test_too_large);
  ADD ("corrupt/folder-in-the-way", test_folder_in_the_way);
  ADD ("refused/named-pipe", test_named_pipe);
  ADD ("refused/link-to-dev-zero", test_link_to_device);
  ADD ("bad/numbers", test_bad_numbers);
  ADD ("bad/retry-longer-than-interval", test_retry_longer_than_interval);
  ADD ("set-setting/retry-within-interval", test_set_setting_keeps_retry_within_interval);
  ADD ("bad/unknown-service", test_unknown_service);
  ADD ("bad/duplicate-groups", test_duplicate_groups);
  ADD ("bad/values", test_bad_values);
  ADD ("save/keeps-everything", test_save_keeps_everything);
  ADD ("save/creates-folder", test_save_creates_folder);
  ADD ("save/commit-reports-one-way", test_commit_reports_one_way);
  ADD ("notifications-and-hooks", test_notifications_and_hooks);
  ADD ("bad/lone-backslash", test_lone_backslash);
  ADD ("custom-service/add-edit-remove", test_custom_service_add_edit_remove);
  ADD ("custom-service/refused", test_custom_service_refused);
  ADD ("connectivity-urls", test_connectivity_urls);
  ADD ("bad/url-control-chars", test_url_control_chars);
  ADD ("many-custom-services", test_many_custom_services);
#undef ADD

  return g_test_run ();
}
