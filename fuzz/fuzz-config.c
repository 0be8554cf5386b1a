/* fuzz-config.c — libFuzzer target for the settings file parser.
 *
 * The input is the whole text of a vigie.ini. Each run:
 *
 *  1. vigie_ini_index_new() on the raw bytes (not NUL-terminated, maybe not
 *     UTF-8), plus a few lookups and the duplicate list;
 *  2. the bytes are written to <tmpdir>/vigie.ini (one temporary folder per
 *     process, the same file name every run), then vigie_config_new() with
 *     the built-in catalog (created once) and vigie_config_load();
 *  3. every getter is read and checked against the contract of
 *     vigie-config.h: values in range, RetryInterval <= Interval, watched
 *     ids known and unique, custom services complete, quiet hours a real
 *     range, connectivity URLs usable, problems valid UTF-8; a load that
 *     fails leaves the defaults;
 *  4. if VIGIE_FUZZ_SAVE=1 is set in the environment, the settings are
 *     saved and loaded again, and must read back the same (saving keeps
 *     what the user wrote). Off by default: saving fsyncs, which is slow.
 *
 * A broken copy kept aside by a failed load (vigie.ini.broken-*) is removed
 * after each run, so the folder does not fill up.
 *
 * VIGIE_FUZZ_KNOWN="substring|substring" skips the contract checks whose
 * message contains one of the substrings (bugs already reported), so that
 * a long run can go on. Memory errors are never skipped.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "fuzz-common.h"

#include "vigie-catalog.h"
#include "vigie-config.h"
#include "vigie-ini-index.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static VigieCatalog *catalog;
static char *tmp_dir;
static char *ini_path;
static gboolean roundtrip;

/* Removes whatever a run left in the folder (backups of broken files). */
static void
clean_tmp_dir (gboolean keep_ini)
{
  g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

      if (keep_ini && g_str_equal (name, "vigie.ini"))
        continue;
      g_unlink (path);
    }
}

static void
remove_tmp_dir (void)
{
  if (tmp_dir == NULL)
    return;
  clean_tmp_dir (FALSE);
  g_rmdir (tmp_dir);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  fuzz_common_init ("fuzz-config", "vigie-config.h");

  roundtrip = g_strcmp0 (g_getenv ("VIGIE_FUZZ_SAVE"), "1") == 0;

  catalog = vigie_catalog_new_builtin (&error);
  if (catalog == NULL)
    {
      fprintf (stderr, "fuzz-config: no built-in catalog: %s\n", error->message);
      exit (1);
    }

  tmp_dir = g_dir_make_tmp ("vigie-fuzz-config-XXXXXX", &error);
  if (tmp_dir == NULL)
    {
      fprintf (stderr, "fuzz-config: no temporary folder: %s\n", error->message);
      exit (1);
    }
  ini_path = g_build_filename (tmp_dir, "vigie.ini", NULL);
  atexit (remove_tmp_dir);
  return 0;
}

static void
fuzz_ini_index (const uint8_t *data,
                size_t         size)
{
  g_autoptr(VigieIniIndex) index = vigie_ini_index_new ((const char *) data, size);
  const GPtrArray *duplicates = vigie_ini_index_duplicates (index);
  guint total = 0;

  CHECK (duplicates != NULL, "vigie_ini_index_duplicates() is NULL");
  for (guint i = 0; i < duplicates->len; i++)
    {
      CHECK (duplicates->pdata[i] != NULL, "duplicate %u is NULL", i);
      total += strlen (duplicates->pdata[i]) > 0;
    }
  CHECK (total == duplicates->len, "empty duplicate description");

  (void) vigie_ini_index_line (index, "General", NULL);
  (void) vigie_ini_index_line (index, "General", "Interval");
  (void) vigie_ini_index_line (index, "General", "Services");
  (void) vigie_ini_index_line (index, "Notifications", "QuietHours");
  (void) vigie_ini_index_line (index, "", "");
  (void) vigie_ini_index_line (index, "Service intranet", "Site");
}

/* Everything the getters say, checked against the header's promises. */
static void
check_config (VigieConfig *config,
              gboolean     loaded)
{
  const char *const *ids;
  const char *const *urls;
  const char *const *allow;
  const char *hook;
  g_autoptr(GPtrArray) watched = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *problems;
  GPtrArray *custom;
  guint start = G_MAXUINT, end = G_MAXUINT;
  guint64 worst;

  CHECK (g_strcmp0 (vigie_config_get_path (config), ini_path) == 0, "path changed");
  CHECK (vigie_config_get_catalog (config) == catalog, "catalog changed");

  for (VigieSetting s = 0; s < VIGIE_N_SETTINGS; s++)
    {
      guint min, max, def;
      guint value = vigie_config_get_setting (config, s);

      vigie_config_get_setting_range (s, &min, &max, &def);
      CHECK (value >= min && value <= max, "%s = %u, outside %u..%u",
             vigie_config_setting_key (s), value, min, max);
      if (!loaded)
        CHECK (value == def, "%s = %u after a failed load, default is %u",
               vigie_config_setting_key (s), value, def);
    }
  CHECK (vigie_config_get_setting (config, VIGIE_SETTING_RETRY_INTERVAL)
           <= vigie_config_get_setting (config, VIGIE_SETTING_INTERVAL),
         "RetryInterval > Interval");
  worst = (guint64) vigie_config_get_setting (config, VIGIE_SETTING_INTERVAL)
          + (guint64) (vigie_config_get_setting (config, VIGIE_SETTING_FAILURES_BEFORE_DOWN) - 1)
              * vigie_config_get_setting (config, VIGIE_SETTING_RETRY_INTERVAL)
          + vigie_config_get_setting (config, VIGIE_SETTING_TIMEOUT);
  CHECK (vigie_config_get_worst_case_detection (config) == worst,
         "worst-case detection %u, expected %" G_GUINT64_FORMAT,
         vigie_config_get_worst_case_detection (config), worst);

  ids = vigie_config_get_service_ids (config);
  CHECK (ids != NULL, "service ids are NULL");
  watched = vigie_config_get_watched (config);
  CHECK (watched != NULL && watched->len == g_strv_length ((char **) ids),
         "%u watched services for %u ids", watched ? watched->len : 0,
         g_strv_length ((char **) ids));
  for (guint i = 0; ids[i] != NULL; i++)
    {
      VigieService *service = vigie_config_lookup_service (config, ids[i]);

      CHECK (service != NULL, "watched id “%s” is unknown", ids[i]);
      CHECK (vigie_config_is_watched (config, ids[i]), "“%s” listed but not watched", ids[i]);
      CHECK (!g_hash_table_contains (seen, ids[i]), "“%s” watched twice", ids[i]);
      g_hash_table_add (seen, (gpointer) ids[i]);
      CHECK (g_ptr_array_index (watched, i) == service, "watched[%u] is not “%s”", i, ids[i]);
    }

  custom = vigie_config_get_custom_services (config);
  CHECK (custom != NULL, "custom services are NULL");
  if (!loaded)
    CHECK (custom->len == 0, "custom services after a failed load");
  for (guint i = 0; i < custom->len; i++)
    {
      VigieService *service = g_ptr_array_index (custom, i);

      CHECK (service != NULL && vigie_service_id_is_valid (service->id), "custom[%u] id invalid",
             i);
      CHECK (vigie_catalog_lookup (catalog, service->id) == NULL,
             "custom service “%s” shadows a catalog entry", service->id);
      CHECK (service->origin == VIGIE_SERVICE_CUSTOM, "custom[%u] has catalog origin", i);
      CHECK (service->name != NULL && service->provider != NULL && service->site != NULL,
             "custom service “%s” lacks a name, provider or site", service->id);
      CHECK (vigie_service_category_is_known (service->category),
             "custom service “%s” has category “%s”", service->id, service->category);
      CHECK (vigie_service_check_url (service->site, VIGIE_SERVICE_CUSTOM, NULL),
             "custom service “%s” site “%s” refused by vigie_service_check_url()",
             service->id, service->site);
      CHECK ((service->feed_kind == VIGIE_FEED_NONE) == (service->feed_url == NULL),
             "custom service “%s”: feed kind and URL disagree", service->id);
    }

  (void) vigie_config_get_notifications_enabled (config);
  for (VigieNotifyKind k = 0; k < VIGIE_N_NOTIFY_KINDS; k++)
    (void) vigie_config_get_notify (config, k);
  if (vigie_config_get_quiet_hours (config, &start, &end))
    {
      CHECK (start < 24 * 60 && end < 24 * 60 && start != end, "quiet hours %u-%u", start, end);
      CHECK (vigie_config_in_quiet_hours (config, start), "start of quiet hours is not quiet");
      CHECK (!vigie_config_in_quiet_hours (config, end), "end of quiet hours is still quiet");
    }
  else
    CHECK (!vigie_config_in_quiet_hours (config, 0) && !vigie_config_in_quiet_hours (config, 1439),
           "quiet without quiet hours");

  allow = vigie_config_get_quiet_hours_allow (config);
  CHECK (allow != NULL, "QuietHoursAllow is NULL");
  for (guint i = 0; allow[i] != NULL; i++)
    CHECK (vigie_config_lookup_service (config, allow[i]) != NULL,
           "QuietHoursAllow keeps unknown service “%s”", allow[i]);
  CHECK (vigie_config_get_reminder_minutes (config) <= 24 * 60, "Reminder is %u minutes",
         vigie_config_get_reminder_minutes (config));
  for (guint i = 0; ids[i] != NULL; i++)
    {
      gint64 mute = vigie_config_get_mute (config, ids[i], 0);

      CHECK (mute == 0 || mute == VIGIE_MUTE_UNTIL_BACK || mute > 0, "mute of “%s” is %" G_GINT64_FORMAT,
             ids[i], mute);
      mute = vigie_config_get_mute (config, ids[i], G_MAXINT64);
      CHECK (mute == 0 || mute == VIGIE_MUTE_UNTIL_BACK, "mute of “%s” outlives time", ids[i]);
    }
  (void) vigie_config_get_mute (config, "", 0);
  hook = vigie_config_get_hook_command (config);
  if (hook != NULL)
    CHECK (g_utf8_validate (hook, -1, NULL) && *hook != '\0' && !g_ascii_isspace (*hook),
           "OnChange command is empty, untrimmed or not UTF-8");
  CHECK (vigie_config_get_hook_timeout (config) >= 1 && vigie_config_get_hook_timeout (config) <= 600,
         "[Hooks] Timeout is %u", vigie_config_get_hook_timeout (config));

  urls = vigie_config_get_connectivity_urls (config);
  CHECK (urls != NULL && urls[0] != NULL, "no connectivity URL");
  for (guint i = 0; urls[i] != NULL; i++)
    CHECK (strstr (urls[i], "://") != NULL
             && vigie_service_check_url (urls[i], VIGIE_SERVICE_CUSTOM, NULL),
           "connectivity URL “%s” is not usable", urls[i]);

  problems = vigie_config_get_problems (config);
  CHECK (problems != NULL, "problems are NULL");
  for (guint i = 0; i < problems->len; i++)
    CHECK (problems->pdata[i] != NULL && g_utf8_validate (problems->pdata[i], -1, NULL),
           "problem %u is NULL or not valid UTF-8", i);
}

/* Saving must keep the meaning of what was loaded. */
static void
check_roundtrip (VigieConfig *config)
{
  g_autoptr(VigieConfig) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  guint s1 = 0, e1 = 0, s2 = 0, e2 = 0;

  if (!vigie_config_save (config, &error))
    return; /* refusing to save is allowed (e.g. the file was not copied aside) */

  again = vigie_config_new (catalog, ini_path);
  CHECK (vigie_config_load (again, &error), "the saved file does not load: %s", error->message);
  check_config (again, TRUE);

  for (VigieSetting s = 0; s < VIGIE_N_SETTINGS; s++)
    CHECK (vigie_config_get_setting (config, s) == vigie_config_get_setting (again, s),
           "%s changed on save: %u → %u", vigie_config_setting_key (s),
           vigie_config_get_setting (config, s), vigie_config_get_setting (again, s));
  CHECK (g_strv_equal (vigie_config_get_service_ids (config), vigie_config_get_service_ids (again)),
         "Services changed on save");
  CHECK (g_strv_equal (vigie_config_get_connectivity_urls (config),
                       vigie_config_get_connectivity_urls (again)),
         "connectivity URLs changed on save");
  CHECK (vigie_config_get_notifications_enabled (config)
           == vigie_config_get_notifications_enabled (again),
         "notifications changed on save");
  CHECK (vigie_config_get_quiet_hours (config, &s1, &e1)
           == vigie_config_get_quiet_hours (again, &s2, &e2) && s1 == s2 && e1 == e2,
         "quiet hours changed on save");
  for (VigieNotifyKind k = 0; k < VIGIE_N_NOTIFY_KINDS; k++)
    CHECK (vigie_config_get_notify (config, k) == vigie_config_get_notify (again, k),
           "notification switch %d changed on save", k);
  CHECK (g_strv_equal (vigie_config_get_quiet_hours_allow (config),
                       vigie_config_get_quiet_hours_allow (again)),
         "QuietHoursAllow changed on save");
  CHECK (vigie_config_get_reminder_minutes (config) == vigie_config_get_reminder_minutes (again),
         "Reminder changed on save");
  CHECK (g_strcmp0 (vigie_config_get_hook_command (config), vigie_config_get_hook_command (again)) == 0,
         "OnChange changed on save: “%s” → “%s”", vigie_config_get_hook_command (config),
         vigie_config_get_hook_command (again));
  CHECK (vigie_config_get_hook_timeout (config) == vigie_config_get_hook_timeout (again),
         "[Hooks] Timeout changed on save");
  a = vigie_config_get_custom_services (config);
  b = vigie_config_get_custom_services (again);
  g_ptr_array_ref (a);
  g_ptr_array_ref (b);
  CHECK (a->len == b->len, "custom services changed on save: %u → %u", a->len, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      VigieService *x = g_ptr_array_index (a, i);
      VigieService *y = g_ptr_array_index (b, i);

      CHECK (g_str_equal (x->id, y->id) && g_strcmp0 (x->site, y->site) == 0
               && g_strcmp0 (x->name, y->name) == 0 && g_strcmp0 (x->feed_url, y->feed_url) == 0
               && x->feed_kind == y->feed_kind && g_strcmp0 (x->feed_filter, y->feed_filter) == 0,
             "custom service “%s” changed on save", x->id);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(VigieConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  gboolean loaded;

  fuzz_ini_index (data, size);

  clean_tmp_dir (FALSE);
  if (!g_file_set_contents (ini_path, (const char *) data, (gssize) size, &error))
    {
      fprintf (stderr, "fuzz-config: cannot write %s: %s\n", ini_path, error->message);
      abort ();
    }

  config = vigie_config_new (catalog, ini_path);
  loaded = vigie_config_load (config, &error);
  if (!loaded)
    {
      CHECK (error != NULL && error->domain == VIGIE_CONFIG_ERROR,
             "failed load without a VIGIE_CONFIG_ERROR");
      CHECK (g_utf8_validate (error->message, -1, NULL), "load error is not valid UTF-8");
    }
  else
    CHECK (error == NULL, "load succeeded with an error set");
  check_config (config, loaded);

  if (roundtrip && loaded)
    check_roundtrip (config);

  return 0;
}
