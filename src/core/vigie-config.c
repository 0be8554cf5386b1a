/* vigie-config.c — the settings file (see the contract in vigie-config.h).
 *
 * The GKeyFile as loaded is kept for the whole life of the object: setters
 * write into it and saving writes it back, which is how comments, unknown keys
 * and values Vigie rejected survive a save. The validated values live beside
 * it in plain fields that getters return.
 */
#define G_LOG_DOMAIN "vigie-config"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "vigie-config.h"
#include "vigie-ini-index.h"

/* A settings file is a few kilobytes; anything this large is not one.
 * Never more than this is read, nor copied aside. */
#define MAX_FILE_SIZE (1024 * 1024)

#define GROUP_GENERAL "General"
#define GROUP_NOTIFICATIONS "Notifications"
#define GROUP_CONNECTIVITY "Connectivity"
#define GROUP_HOOKS "Hooks"

typedef struct
{
  const char *group;
  const char *key;
  guint default_value;
  guint min;
  guint max;
} SettingSpec;

static const SettingSpec setting_specs[VIGIE_N_SETTINGS] = {
  [VIGIE_SETTING_INTERVAL] = { GROUP_GENERAL, "Interval", 60, 10, 86400 },
  [VIGIE_SETTING_RETRY_INTERVAL] = { GROUP_GENERAL, "RetryInterval", 15, 5, 3600 },
  [VIGIE_SETTING_TIMEOUT] = { GROUP_GENERAL, "Timeout", 10, 1, 120 },
  [VIGIE_SETTING_FAILURES_BEFORE_DOWN] = { GROUP_GENERAL, "FailuresBeforeDown", 3, 1, 20 },
  [VIGIE_SETTING_SUCCESSES_BEFORE_UP] = { GROUP_GENERAL, "SuccessesBeforeUp", 2, 1, 20 },
};

static const char *const default_services[] = {
  "facebook", "instagram", "whatsapp", "messenger", "slack", "notion", "google-workspace", NULL,
};

/* Three independent providers: one answering 204, two answering known text. */
static const char *const default_connectivity_urls[] = {
  "https://connectivitycheck.gstatic.com/generate_204",
  "https://detectportal.firefox.com/success.txt",
  "https://nmcheck.gnome.org/check_network_status.txt",
  NULL,
};

/* Keys Vigie reads, per group; anything else is kept but reported as unknown. */
static const char *const general_keys[] = {
  "Services", "Interval", "RetryInterval", "Timeout", "FailuresBeforeDown",
  "SuccessesBeforeUp", NULL,
};
static const char *const notifications_keys[] = {
  "Enabled", "Down", "Degraded", "Recovered", "QuietHours", "QuietHoursAllow", "Reminder",
  "Muted", NULL,
};
static const char *const connectivity_keys[] = { "URLs", NULL };
static const char *const hooks_keys[] = { "OnChange", "Timeout", NULL };

/* Per event kind switches, [Notifications] Down/Degraded/Recovered. */
static const char *const notify_keys[VIGIE_N_NOTIFY_KINDS] = {
  [VIGIE_NOTIFY_DOWN] = "Down",
  [VIGIE_NOTIFY_DEGRADED] = "Degraded",
  [VIGIE_NOTIFY_RECOVERED] = "Recovered",
};

#define MAX_REMINDER_MINUTES (24 * 60)
#define DEFAULT_HOOK_TIMEOUT 10
#define MAX_HOOK_TIMEOUT 600
static const char *const service_keys[] = {
  "Name", "Provider", "Category", "Site", "StatusPage", "Feed", "FeedFilter",
  "DownDetector", "Note", NULL,
};

struct _VigieConfig
{
  GObject parent_instance;

  VigieCatalog *catalog;
  char *path;
  char *backup_path;        /* where a broken file was copied, if it was */
  GKeyFile *key_file;
  GPtrArray *problems;      /* char*, one line each */
  gboolean backup_before_save; /* saving would lose something the user wrote */
  gboolean do_not_save;     /* the original could not be copied aside */

  guint settings[VIGIE_N_SETTINGS];
  GStrv service_ids;        /* valid watched ids, in the user's order */
  GHashTable *watched_ids;  /* the strings of service_ids (borrowed), to answer
                             * vigie_config_is_watched() in constant time */
  GPtrArray *custom;        /* VigieService* from [Service ID] groups */
  GHashTable *custom_by_id; /* id → VigieService* of custom (borrowed): every
                             * listed id is looked up, and a file may hold
                             * tens of thousands of services */
  gboolean notifications_enabled;
  gboolean quiet_hours_set;
  guint quiet_start;        /* minutes after midnight */
  guint quiet_end;
  GStrv connectivity_urls;
  gboolean notify[VIGIE_N_NOTIFY_KINDS];
  GStrv quiet_hours_allow;  /* service ids that break through quiet hours */
  guint reminder_minutes;   /* 0 = no reminder */
  GHashTable *mutes;        /* id → gint64* until (unix s), VIGIE_MUTE_UNTIL_BACK */
  char *hook_command;
  guint hook_timeout;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (vigie-config-error-quark, vigie_config_error)
G_DEFINE_FINAL_TYPE (VigieConfig, vigie_config, G_TYPE_OBJECT)

static void
vigie_config_finalize (GObject *object)
{
  VigieConfig *self = VIGIE_CONFIG (object);

  g_clear_object (&self->catalog);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->backup_path, g_free);
  g_clear_pointer (&self->key_file, g_key_file_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->watched_ids, g_hash_table_unref);
  g_clear_pointer (&self->service_ids, g_strfreev);
  g_clear_pointer (&self->custom_by_id, g_hash_table_unref);
  g_clear_pointer (&self->custom, g_ptr_array_unref);
  g_clear_pointer (&self->connectivity_urls, g_strfreev);
  g_clear_pointer (&self->quiet_hours_allow, g_strfreev);
  g_clear_pointer (&self->mutes, g_hash_table_unref);
  g_clear_pointer (&self->hook_command, g_free);

  G_OBJECT_CLASS (vigie_config_parent_class)->finalize (object);
}

static void
vigie_config_class_init (VigieConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vigie_config_finalize;

  /**
   * VigieConfig::changed:
   *
   * Emitted after a setter changed a value (not after loading).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

/* Takes @ids (valid watched ids) as the new list, and indexes it. */
static void
replace_service_ids (VigieConfig *self,
                     GStrv        ids)
{
  g_hash_table_remove_all (self->watched_ids);
  g_strfreev (self->service_ids);
  self->service_ids = ids;
  for (guint i = 0; ids[i] != NULL; i++)
    g_hash_table_add (self->watched_ids, ids[i]);
}

static void
reset_to_defaults (VigieConfig *self)
{
  for (guint i = 0; i < VIGIE_N_SETTINGS; i++)
    self->settings[i] = setting_specs[i].default_value;
  replace_service_ids (self, g_strdupv ((char **) default_services));
  g_hash_table_remove_all (self->custom_by_id);
  g_ptr_array_set_size (self->custom, 0);
  self->notifications_enabled = TRUE;
  self->quiet_hours_set = FALSE;
  self->quiet_start = self->quiet_end = 0;
  g_clear_pointer (&self->connectivity_urls, g_strfreev);
  self->connectivity_urls = g_strdupv ((char **) default_connectivity_urls);
  for (guint i = 0; i < VIGIE_N_NOTIFY_KINDS; i++)
    self->notify[i] = TRUE;
  g_clear_pointer (&self->quiet_hours_allow, g_strfreev);
  self->quiet_hours_allow = g_new0 (char *, 1);
  self->reminder_minutes = 0;
  g_hash_table_remove_all (self->mutes);
  g_clear_pointer (&self->hook_command, g_free);
  self->hook_timeout = DEFAULT_HOOK_TIMEOUT;
}

static void
vigie_config_init (VigieConfig *self)
{
  self->key_file = g_key_file_new ();
  self->problems = g_ptr_array_new_with_free_func (g_free);
  self->custom = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_service_unref);
  self->custom_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->watched_ids = g_hash_table_new (g_str_hash, g_str_equal);
  self->mutes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  reset_to_defaults (self);
}

/**
 * vigie_config_default_path:
 *
 * Returns: (transfer full): `$XDG_CONFIG_HOME/vigie/vigie.ini`
 */
char *
vigie_config_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "vigie", "vigie.ini", NULL);
}

/**
 * vigie_config_new:
 * @catalog: the service catalog, to check service ids against
 * @path: (nullable): the settings file, or %NULL for vigie_config_default_path()
 *
 * Creates settings holding the defaults; call vigie_config_load() to read @path.
 *
 * Returns: (transfer full): a new #VigieConfig
 */
VigieConfig *
vigie_config_new (VigieCatalog *catalog,
                  const char   *path)
{
  VigieConfig *self;

  g_return_val_if_fail (VIGIE_IS_CATALOG (catalog), NULL);

  self = g_object_new (VIGIE_TYPE_CONFIG, NULL);
  self->catalog = g_object_ref (catalog);
  self->path = path ? g_strdup (path) : vigie_config_default_path ();
  return self;
}

static void
add_problem (VigieConfig   *self,
             VigieIniIndex *index,
             const char    *group,
             const char    *key,
             const char    *format,
             ...) G_GNUC_PRINTF (5, 6);

static void
add_problem (VigieConfig   *self,
             VigieIniIndex *index,
             const char    *group,
             const char    *key,
             const char    *format,
             ...)
{
  g_autofree char *message = NULL;
  guint line = index ? vigie_ini_index_line (index, group, key) : 0;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (line == 0 && index != NULL && key != NULL)
    line = vigie_ini_index_line (index, group, NULL);

  /* Translators: where a settings problem is, then what it is:
   * "~/.config/vigie/vigie.ini:3: [General] Interval: …"; the group and key
   * names are the file's own and stay as they are */
  g_ptr_array_add (self->problems,
                   g_strdup_printf (_("%s:%u: [%s]%s%s: %s"), self->path, line, group,
                                    key ? " " : "", key ? key : "", message));
}

static void
read_setting (VigieConfig   *self,
              VigieIniIndex *index,
              VigieSetting   setting)
{
  const SettingSpec *spec = &setting_specs[setting];
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gint64 value;

  text = g_key_file_get_value (self->key_file, spec->group, spec->key, NULL);
  if (text == NULL)
    return;
  g_strstrip (text);

  if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, &error)
      && !g_error_matches (error, G_NUMBER_PARSER_ERROR, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS))
    {
      add_problem (self, index, spec->group, spec->key,
                   _("“%s” is not a whole number; using %u"), text, spec->default_value);
      return;
    }
  if (error != NULL || value < spec->min || value > spec->max)
    {
      add_problem (self, index, spec->group, spec->key,
                   _("%s is out of range (%u to %u); using %u"), text, spec->min, spec->max,
                   spec->default_value);
      return;
    }
  self->settings[setting] = (guint) value;
}

static void
read_services (VigieConfig   *self,
               VigieIniIndex *index)
{
  g_auto(GStrv) ids = NULL;
  g_autoptr(GStrvBuilder) valid = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (!g_key_file_has_key (self->key_file, GROUP_GENERAL, "Services", NULL))
    return;
  ids = vigie_key_file_get_string_list (self->key_file, GROUP_GENERAL, "Services");
  if (ids == NULL)
    {
      add_problem (self, index, GROUP_GENERAL, "Services",
                   _("the list cannot be read (it ends with a lone backslash); "
                     "watching the default services"));
      return;
    }

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      const char *id = g_strstrip (ids[i]);
      const char *suggestion;

      if (*id == '\0' || g_hash_table_contains (seen, id))
        continue;
      g_hash_table_add (seen, (gpointer) id);

      if (vigie_config_lookup_service (self, id) != NULL)
        {
          g_strv_builder_add (valid, id);
          continue;
        }

      suggestion = vigie_catalog_suggest (self->catalog, id);
      if (suggestion != NULL)
        add_problem (self, index, GROUP_GENERAL, "Services",
                     _("unknown service “%s” (did you mean “%s”?); it is not watched"), id,
                     suggestion);
      else
        add_problem (self, index, GROUP_GENERAL, "Services",
                     _("unknown service “%s”; it is not watched (vigie --list-services "
                       "shows the known ones)"),
                     id);
    }

  replace_service_ids (self, g_strv_builder_end (valid));
}

static void
read_custom_services (VigieConfig   *self,
                      VigieIniIndex *index)
{
  g_auto(GStrv) groups = g_key_file_get_groups (self->key_file, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *id = vigie_service_group_id (groups[i]);
      g_autoptr(GError) error = NULL;
      const char *bad_key = NULL;
      VigieService *service;

      if (id == NULL)
        continue;
      if (vigie_catalog_lookup (self->catalog, id) != NULL)
        {
          add_problem (self, index, groups[i], NULL,
                       _("“%s” is already a catalog service; give your service another id"), id);
          continue;
        }
      service = vigie_service_new_from_key_file_full (self->key_file, groups[i],
                                                      VIGIE_SERVICE_CUSTOM, &bad_key, &error);
      if (service == NULL)
        {
          /* A wrong value is reported at its key's line, as other settings are. */
          add_problem (self, index, groups[i], bad_key, _("%s; this service is not watched"),
                       error->message);
          continue;
        }
      g_ptr_array_add (self->custom, service);
      g_hash_table_insert (self->custom_by_id, service->id, service);
    }
}

static gboolean
parse_clock (const char *text,
             guint      *minutes)
{
  guint64 hours, mins;
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);

  if (g_strv_length (parts) != 2 || strlen (parts[1]) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 0, 23, &hours, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 0, 59, &mins, NULL))
    return FALSE;
  *minutes = hours * 60 + mins;
  return TRUE;
}

static void
read_boolean (VigieConfig   *self,
              VigieIniIndex *index,
              const char    *group,
              const char    *key,
              gboolean      *value)
{
  g_autofree char *text = g_key_file_get_value (self->key_file, group, key, NULL);

  if (text == NULL)
    return;
  g_strstrip (text);
  if (g_strcmp0 (text, "true") == 0)
    *value = TRUE;
  else if (g_strcmp0 (text, "false") == 0)
    *value = FALSE;
  else
    add_problem (self, index, group, key, _("“%s” is neither true nor false; using %s"), text,
                 *value ? "true" : "false");
}

/* A list of service ids; unknown ones are reported and dropped. */
static GStrv
read_service_list (VigieConfig   *self,
                   VigieIniIndex *index,
                   const char    *group,
                   const char    *key)
{
  g_auto(GStrv) ids = vigie_key_file_get_string_list (self->key_file, group, key);
  g_autoptr(GStrvBuilder) valid = g_strv_builder_new ();

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      const char *id = g_strstrip (ids[i]);
      if (*id == '\0')
        continue;
      if (vigie_config_lookup_service (self, id) != NULL)
        g_strv_builder_add (valid, id);
      else
        add_problem (self, index, group, key, _("unknown service “%s”; ignored"), id);
    }
  return g_strv_builder_end (valid);
}

static void
read_mutes (VigieConfig   *self,
            VigieIniIndex *index)
{
  g_auto(GStrv) entries = vigie_key_file_get_string_list (self->key_file, GROUP_NOTIFICATIONS,
                                                          "Muted");

  for (guint i = 0; entries != NULL && entries[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_strstrip (entries[i]), "@", 2);
      gint64 until = 0;

      if (parts[0] == NULL || *parts[0] == '\0')
        continue;
      if (parts[1] != NULL && g_str_equal (parts[1], "back"))
        until = VIGIE_MUTE_UNTIL_BACK;
      else if (parts[1] == NULL
               || !g_ascii_string_to_signed (parts[1], 10, 1, G_MAXINT64, &until, NULL))
        {
          add_problem (self, index, GROUP_NOTIFICATIONS, "Muted",
                       _("“%s” should be ID@back or ID@UNIX-TIME; ignored"), entries[i]);
          continue;
        }
      g_hash_table_insert (self->mutes, g_strdup (parts[0]), g_memdup2 (&until, sizeof until));
    }
}

static void
read_notifications (VigieConfig   *self,
                    VigieIniIndex *index)
{
  g_autofree char *quiet = NULL;
  g_autofree char *reminder = NULL;

  read_boolean (self, index, GROUP_NOTIFICATIONS, "Enabled", &self->notifications_enabled);
  for (guint i = 0; i < VIGIE_N_NOTIFY_KINDS; i++)
    read_boolean (self, index, GROUP_NOTIFICATIONS, notify_keys[i], &self->notify[i]);

  quiet = g_key_file_get_value (self->key_file, GROUP_NOTIFICATIONS, "QuietHours", NULL);
  if (quiet != NULL && *g_strstrip (quiet) != '\0')
    {
      g_auto(GStrv) range = g_strsplit (quiet, "-", -1);
      guint start, end;

      if (g_strv_length (range) == 2 && parse_clock (g_strstrip (range[0]), &start)
          && parse_clock (g_strstrip (range[1]), &end) && start != end)
        {
          self->quiet_hours_set = TRUE;
          self->quiet_start = start;
          self->quiet_end = end;
        }
      else
        add_problem (self, index, GROUP_NOTIFICATIONS, "QuietHours",
                     _("“%s” is not a time range such as 22:00-07:00; quiet hours are off"),
                     quiet);
    }

  g_strfreev (self->quiet_hours_allow);
  self->quiet_hours_allow = read_service_list (self, index, GROUP_NOTIFICATIONS,
                                               "QuietHoursAllow");

  reminder = g_key_file_get_value (self->key_file, GROUP_NOTIFICATIONS, "Reminder", NULL);
  if (reminder != NULL)
    {
      guint64 minutes;
      if (g_ascii_string_to_unsigned (g_strstrip (reminder), 10, 0, MAX_REMINDER_MINUTES,
                                      &minutes, NULL))
        self->reminder_minutes = minutes;
      else
        add_problem (self, index, GROUP_NOTIFICATIONS, "Reminder",
                     _("“%s” is not a number of minutes from 0 (off) to %u; reminders are off"),
                     reminder, MAX_REMINDER_MINUTES);
    }

  read_mutes (self, index);
}

static void
read_hooks (VigieConfig   *self,
            VigieIniIndex *index)
{
  g_autofree char *timeout = NULL;

  self->hook_command = vigie_key_file_get_string (self->key_file, GROUP_HOOKS, "OnChange");
  if (self->hook_command != NULL && *g_strstrip (self->hook_command) == '\0')
    g_clear_pointer (&self->hook_command, g_free);

  timeout = g_key_file_get_value (self->key_file, GROUP_HOOKS, "Timeout", NULL);
  if (timeout != NULL)
    {
      guint64 seconds;
      if (g_ascii_string_to_unsigned (g_strstrip (timeout), 10, 1, MAX_HOOK_TIMEOUT, &seconds,
                                      NULL))
        self->hook_timeout = seconds;
      else
        add_problem (self, index, GROUP_HOOKS, "Timeout",
                     _("“%s” is out of range (1 to %u s); using %u"), timeout, MAX_HOOK_TIMEOUT,
                     DEFAULT_HOOK_TIMEOUT);
    }
}

static void
read_connectivity (VigieConfig   *self,
                   VigieIniIndex *index)
{
  g_auto(GStrv) urls = NULL;
  g_autoptr(GStrvBuilder) valid = g_strv_builder_new ();
  guint n_valid = 0;

  if (!g_key_file_has_key (self->key_file, GROUP_CONNECTIVITY, "URLs", NULL))
    return;
  urls = vigie_key_file_get_string_list (self->key_file, GROUP_CONNECTIVITY, "URLs");

  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *url = g_strstrip (urls[i]);

      if (*url == '\0')
        continue;
      /* Captive-portal checks are often plain http, so the custom rules apply,
       * but a bare host:port cannot say "online". */
      if (strstr (url, "://") == NULL || !vigie_service_check_url (url, VIGIE_SERVICE_CUSTOM, &error))
        {
          add_problem (self, index, GROUP_CONNECTIVITY, "URLs", _("%s; this URL is ignored"),
                       error ? error->message : _("a full http:// or https:// URL is needed"));
          continue;
        }
      g_strv_builder_add (valid, url);
      n_valid++;
    }

  if (n_valid == 0)
    {
      add_problem (self, index, GROUP_CONNECTIVITY, "URLs",
                   _("no usable URL; using the default connectivity checks"));
      return;
    }
  g_clear_pointer (&self->connectivity_urls, g_strfreev);
  self->connectivity_urls = g_strv_builder_end (valid);
}

static void
report_unknown_keys (VigieConfig   *self,
                     VigieIniIndex *index)
{
  g_auto(GStrv) groups = g_key_file_get_groups (self->key_file, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *const *known;
      g_auto(GStrv) keys = NULL;
      g_autofree char *service_id = vigie_service_group_id (groups[i]);

      if (g_str_equal (groups[i], GROUP_GENERAL))
        known = general_keys;
      else if (g_str_equal (groups[i], GROUP_NOTIFICATIONS))
        known = notifications_keys;
      else if (g_str_equal (groups[i], GROUP_CONNECTIVITY))
        known = connectivity_keys;
      else if (g_str_equal (groups[i], GROUP_HOOKS))
        known = hooks_keys;
      else if (service_id != NULL)
        known = service_keys;
      else
        continue; /* a group of a later version: keep it, say nothing */

      keys = g_key_file_get_keys (self->key_file, groups[i], NULL, NULL);
      for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
        if (!g_strv_contains (known, keys[k]))
          add_problem (self, index, groups[i], keys[k],
                       _("not a setting Vigie knows; it is kept as written"));
    }
}

static void
check_consistency (VigieConfig   *self,
                   VigieIniIndex *index)
{
  guint *s = self->settings;

  if (s[VIGIE_SETTING_RETRY_INTERVAL] > s[VIGIE_SETTING_INTERVAL])
    {
      add_problem (self, index, GROUP_GENERAL, "RetryInterval",
                   _("%u s is longer than Interval (%u s); using %u s"),
                   s[VIGIE_SETTING_RETRY_INTERVAL], s[VIGIE_SETTING_INTERVAL],
                   s[VIGIE_SETTING_INTERVAL]);
      s[VIGIE_SETTING_RETRY_INTERVAL] = s[VIGIE_SETTING_INTERVAL];
    }
}

static char *
make_backup_path (const char *path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  char *candidate = g_strdup_printf ("%s.broken-%s", path, stamp);

  for (guint n = 2; g_file_test (candidate, G_FILE_TEST_EXISTS) && n < 100; n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s.broken-%s-%u", path, stamp, n);
    }
  return candidate;
}

/* What a path is when it is not a regular file, for a person. */
static const char *
describe_file_type (mode_t mode)
{
  if (S_ISDIR (mode))
    return _("it is a folder");
  if (S_ISFIFO (mode))
    return _("it is a named pipe");
  if (S_ISCHR (mode))
    return _("it is a character device");
  if (S_ISBLK (mode))
    return _("it is a block device");
  if (S_ISSOCK (mode))
    return _("it is a socket");
  return _("it is a special file");
}

typedef enum
{
  READ_OK,
  READ_MISSING,
  READ_UNUSABLE,  /* not a regular file, too large, or unreadable */
} ReadResult;

/* Reads a settings file, at most MAX_FILE_SIZE bytes of it. A named pipe
 * would block the open or the read for ever, and a link to /dev/zero never
 * ends; so the file is opened without blocking, and what was opened
 * (symbolic links followed) must be a regular file. The type is checked
 * on the path first, so that a device is not even opened, and again on
 * the descriptor, in case the path changed in between. On READ_UNUSABLE,
 * @out_reason says why, for a person. */
static ReadResult
read_settings_file (const char  *path,
                    char       **out_contents,
                    gsize       *out_length,
                    char       **out_reason)
{
  g_autoptr(GString) text = NULL;
  GStatBuf st;
  int fd;

  *out_contents = NULL;
  *out_length = 0;
  *out_reason = NULL;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return READ_MISSING;
      *out_reason = g_strdup (g_strerror (saved_errno));
      return READ_UNUSABLE;
    }
  if (!S_ISREG (st.st_mode))
    goto not_regular;

  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return READ_MISSING;
      *out_reason = g_strdup (g_strerror (saved_errno));
      return READ_UNUSABLE;
    }
  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      *out_reason = g_strdup (g_strerror (saved_errno));
      return READ_UNUSABLE;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      goto not_regular;
    }

  /* The size is checked before reading, and the reading stops one byte
   * past the limit in case the file grew meanwhile. */
  if (st.st_size > MAX_FILE_SIZE)
    {
      close (fd);
      goto too_large;
    }
  text = g_string_sized_new (st.st_size + 1);
  while (text->len <= MAX_FILE_SIZE)
    {
      gsize want = MAX_FILE_SIZE + 1 - text->len;
      gssize n;

      g_string_set_size (text, text->len + want);
      n = read (fd, text->str + text->len - want, want);
      g_string_set_size (text, text->len - want + MAX (n, 0));
      if (n == 0)
        break;
      if (n < 0 && errno != EINTR)
        {
          int saved_errno = errno;

          close (fd);
          *out_reason = g_strdup (g_strerror (saved_errno));
          return READ_UNUSABLE;
        }
    }
  close (fd);
  if (text->len > MAX_FILE_SIZE)
    goto too_large;

  *out_length = text->len;
  *out_contents = g_string_free (g_steal_pointer (&text), FALSE);
  return READ_OK;

not_regular:
  /* Translators: the end of "~/.config/vigie/vigie.ini: not a regular
   * file (it is a named pipe)" */
  *out_reason = g_strdup_printf (_("not a regular file (%s)"), describe_file_type (st.st_mode));
  return READ_UNUSABLE;

too_large:
  *out_reason = g_strdup (_("the file is larger than 1 MiB, too large for settings"));
  return READ_UNUSABLE;
}

/* Keeps a copy of @contents (the file as it was read, so never more than
 * MAX_FILE_SIZE) beside the file. The copy is a new file, never one that
 * exists already, readable by the user only like the settings. */
static gboolean
copy_aside (VigieConfig  *self,
            const char   *contents,
            gsize         length,
            GError      **error)
{
  g_autofree char *backup = make_backup_path (self->path);
  gsize written = 0;
  int fd;

  fd = g_open (backup, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    goto failed;
  while (written < length)
    {
      gssize n = write (fd, contents + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n == 0)
        errno = ENOSPC;
      if (n <= 0)
        goto failed;
      written += n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      fd = -1;
      goto failed;
    }

  g_free (self->backup_path);
  self->backup_path = g_steal_pointer (&backup);
  return TRUE;

failed:
  {
    int saved_errno = errno;

    if (fd >= 0)
      {
        close (fd);
        g_unlink (backup);
      }
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                 _("Could not write %s: %s"), backup, g_strerror (saved_errno));
    return FALSE;
  }
}

/* The file cannot be used at all: keep a copy of @contents if there are
 * any (the file was read, but is not settings), and run on defaults. When
 * no copy could be kept, for whatever reason, the file is never
 * overwritten. */
static gboolean
fail_corrupt (VigieConfig *self,
              const char  *reason,
              const char  *contents,
              gsize        length,
              GError     **error)
{
  g_autoptr(GError) copy_error = NULL;

  reset_to_defaults (self);
  g_clear_pointer (&self->key_file, g_key_file_unref);
  self->key_file = g_key_file_new ();

  if (contents != NULL && copy_aside (self, contents, length, &copy_error))
    {
      g_set_error (error, VIGIE_CONFIG_ERROR, VIGIE_CONFIG_ERROR_CORRUPT,
                   _("%s: %s. A copy was kept as %s; Vigie runs on default settings."),
                   self->path, reason, self->backup_path);
      return FALSE;
    }

  self->do_not_save = TRUE;
  if (copy_error != NULL)
    g_set_error (error, VIGIE_CONFIG_ERROR, VIGIE_CONFIG_ERROR_UNREADABLE,
                 _("%s: %s. No copy could be kept (%s), so Vigie runs on default settings "
                   "and will not overwrite the file."),
                 self->path, reason, copy_error->message);
  else
    g_set_error (error, VIGIE_CONFIG_ERROR, VIGIE_CONFIG_ERROR_UNREADABLE,
                 _("%s: %s. Vigie runs on default settings and will not overwrite it."),
                 self->path, reason);
  return FALSE;
}

/**
 * vigie_config_load:
 * @self: a #VigieConfig
 * @error: return location for a #GError
 *
 * Reads the settings file. Problems with single values do not fail the load:
 * they are listed by vigie_config_get_problems().
 *
 * Returns: %TRUE if the file was read (or does not exist); %FALSE if it could
 *   not be used at all, in which case the defaults apply and @error says why
 *   and where the copy of the file is
 */
gboolean
vigie_config_load (VigieConfig  *self,
                   GError      **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(VigieIniIndex) index = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *reason = NULL;
  gsize length = 0;
  const GPtrArray *duplicates;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), FALSE);

  g_ptr_array_set_size (self->problems, 0);
  g_clear_pointer (&self->backup_path, g_free);
  self->backup_before_save = FALSE;
  self->do_not_save = FALSE;
  reset_to_defaults (self);

  switch (read_settings_file (self->path, &contents, &length, &reason))
    {
    case READ_MISSING:
      g_clear_pointer (&self->key_file, g_key_file_unref);
      self->key_file = g_steal_pointer (&key_file);
      return TRUE;
    case READ_UNUSABLE:
      /* Nothing was read, so there is nothing to copy: the file stays
       * as it is, and is not overwritten. */
      return fail_corrupt (self, reason, NULL, 0, error);
    case READ_OK:
    default:
      break;
    }

  if (!g_utf8_validate_len (contents, length, NULL) || memchr (contents, '\0', length) != NULL)
    return fail_corrupt (self, _("the file is not text (binary data or not UTF-8)"), contents,
                         length, error);
  if (!g_key_file_load_from_data (key_file, contents, length,
                                  G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS,
                                  &local_error))
    {
      g_free (reason);
      reason = g_strdup_printf (_("not a settings file (%s)"), local_error->message);
      return fail_corrupt (self, reason, contents, length, error);
    }

  g_clear_pointer (&self->key_file, g_key_file_unref);
  self->key_file = g_steal_pointer (&key_file);
  index = vigie_ini_index_new (contents, length);

  {
    g_auto(GStrv) groups = g_key_file_get_groups (self->key_file, NULL);
    if (groups[0] == NULL)
      g_ptr_array_add (self->problems,
                       g_strdup_printf (_("%s: the file holds no settings; using the defaults"),
                                        self->path));
  }

  duplicates = vigie_ini_index_duplicates (index);
  for (guint i = 0; i < duplicates->len; i++)
    g_ptr_array_add (self->problems, g_strdup_printf ("%s:%s", self->path,
                                                      (const char *) duplicates->pdata[i]));
  /* GKeyFile merged the repeats: saving would silently drop the earlier values. */
  self->backup_before_save = duplicates->len > 0;

  for (guint i = 0; i < VIGIE_N_SETTINGS; i++)
    read_setting (self, index, i);
  check_consistency (self, index);
  read_custom_services (self, index);
  read_services (self, index);
  read_notifications (self, index);
  read_hooks (self, index);
  read_connectivity (self, index);
  report_unknown_keys (self, index);

  return TRUE;
}

/**
 * vigie_config_save:
 * @self: a #VigieConfig
 * @error: return location for a #GError
 *
 * Writes the settings atomically, creating the folder if needed. If the file
 * as loaded had repeated groups or keys, a copy of it is kept first.
 *
 * Returns: %TRUE on success
 */
gboolean
vigie_config_save (VigieConfig  *self,
                   GError      **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), FALSE);

  if (self->do_not_save)
    {
      g_set_error (error, VIGIE_CONFIG_ERROR, VIGIE_CONFIG_ERROR_NOT_SAVED,
                   _("%s could not be read or copied, so Vigie does not overwrite it; "
                     "fix or remove it to save settings"),
                   self->path);
      return FALSE;
    }

  if (self->backup_before_save)
    {
      g_autofree char *on_disk = NULL;
      g_autofree char *reason = NULL;
      gsize on_disk_length;

      /* The file as it is now, read as carefully as when loading. */
      switch (read_settings_file (self->path, &on_disk, &on_disk_length, &reason))
        {
        case READ_UNUSABLE:
          g_set_error (error, VIGIE_CONFIG_ERROR, VIGIE_CONFIG_ERROR_NOT_SAVED,
                       _("%s: %s; Vigie does not overwrite it"), self->path, reason);
          return FALSE;
        case READ_OK:
          if (!copy_aside (self, on_disk, on_disk_length, error))
            return FALSE;
          break;
        case READ_MISSING:
        default:
          break;
        }
      self->backup_before_save = FALSE;
    }

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  data = g_key_file_to_data (self->key_file, &length, NULL);
  return g_file_set_contents_full (self->path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

const char *
vigie_config_get_path (VigieConfig *self)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), NULL);
  return self->path;
}

/**
 * vigie_config_get_backup_path:
 * @self: a #VigieConfig
 *
 * Returns: (nullable): where the last copy of a broken file was kept, if any
 */
const char *
vigie_config_get_backup_path (VigieConfig *self)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), NULL);
  return self->backup_path;
}

/**
 * vigie_config_get_problems:
 * @self: a #VigieConfig
 *
 * Returns: (transfer none) (element-type utf8): one line per problem found by
 *   the last load, each naming file, line, group and key
 */
GPtrArray *
vigie_config_get_problems (VigieConfig *self)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), NULL);
  return self->problems;
}

/**
 * vigie_config_get_catalog:
 * @self: a #VigieConfig
 *
 * Returns: (transfer none): the catalog the settings refer to
 */
VigieCatalog *
vigie_config_get_catalog (VigieConfig *self)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), NULL);
  return self->catalog;
}

guint
vigie_config_get_setting (VigieConfig  *self,
                          VigieSetting  setting)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), 0);
  g_return_val_if_fail (setting < VIGIE_N_SETTINGS, 0);
  return self->settings[setting];
}

/**
 * vigie_config_set_setting:
 * @self: a #VigieConfig
 * @setting: which setting
 * @value: the new value
 * @error: return location for a #GError
 *
 * Changes a numeric setting in memory (vigie_config_save() writes it).
 *
 * Returns: %TRUE if @value is within the setting's range
 */
gboolean
vigie_config_set_setting (VigieConfig   *self,
                          VigieSetting   setting,
                          guint          value,
                          GError       **error)
{
  const SettingSpec *spec;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (setting < VIGIE_N_SETTINGS, FALSE);

  spec = &setting_specs[setting];
  if (value < spec->min || value > spec->max)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("%s must be between %u and %u"), spec->key, spec->min, spec->max);
      return FALSE;
    }
  if (self->settings[setting] == value)
    return TRUE;
  self->settings[setting] = value;
  g_key_file_set_uint64 (self->key_file, spec->group, spec->key, value);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/**
 * vigie_config_get_setting_range:
 * @setting: which setting
 * @min: (out) (optional): smallest accepted value
 * @max: (out) (optional): largest accepted value
 * @default_value: (out) (optional): the default
 */
void
vigie_config_get_setting_range (VigieSetting  setting,
                                guint        *min,
                                guint        *max,
                                guint        *default_value)
{
  g_return_if_fail (setting < VIGIE_N_SETTINGS);
  if (min)
    *min = setting_specs[setting].min;
  if (max)
    *max = setting_specs[setting].max;
  if (default_value)
    *default_value = setting_specs[setting].default_value;
}

/**
 * vigie_config_setting_key:
 * @setting: which setting
 *
 * Returns: (transfer none): the key's name in the settings file
 */
const char *
vigie_config_setting_key (VigieSetting setting)
{
  g_return_val_if_fail (setting < VIGIE_N_SETTINGS, NULL);
  return setting_specs[setting].key;
}

/**
 * vigie_config_get_worst_case_detection:
 * @self: a #VigieConfig
 *
 * The longest time, in seconds, between a service failing and Vigie
 * confirming it down: `Interval + (FailuresBeforeDown - 1) × RetryInterval +
 * Timeout` (DESIGN.md §1).
 *
 * Returns: seconds
 */
guint
vigie_config_get_worst_case_detection (VigieConfig *self)
{
  guint *s;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), 0);
  s = self->settings;
  return s[VIGIE_SETTING_INTERVAL]
         + (s[VIGIE_SETTING_FAILURES_BEFORE_DOWN] - 1) * s[VIGIE_SETTING_RETRY_INTERVAL]
         + s[VIGIE_SETTING_TIMEOUT];
}

/**
 * vigie_config_get_service_ids:
 * @self: a #VigieConfig
 *
 * Returns: (transfer none): the ids of the watched services, in the user's order
 */
const char *const *
vigie_config_get_service_ids (VigieConfig *self)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), NULL);
  return (const char *const *) self->service_ids;
}

/**
 * vigie_config_set_service_ids:
 * @self: a #VigieConfig
 * @ids: the services to watch; unknown ids are dropped
 */
void
vigie_config_set_service_ids (VigieConfig       *self,
                              const char *const *ids)
{
  g_autoptr(GStrvBuilder) valid = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  g_return_if_fail (VIGIE_IS_CONFIG (self));
  g_return_if_fail (ids != NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    if (vigie_config_lookup_service (self, ids[i]) != NULL)
      g_strv_builder_add (valid, ids[i]);
  result = g_strv_builder_end (valid);
  if (g_strv_equal ((const char *const *) result, (const char *const *) self->service_ids))
    return;

  replace_service_ids (self, g_steal_pointer (&result));
  g_key_file_set_string_list (self->key_file, GROUP_GENERAL, "Services",
                              (const char *const *) self->service_ids,
                              g_strv_length (self->service_ids));
  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
vigie_config_is_watched (VigieConfig *self,
                         const char  *id)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), FALSE);
  return id != NULL && g_hash_table_contains (self->watched_ids, id);
}

/**
 * vigie_config_lookup_service:
 * @self: a #VigieConfig
 * @id: a service id
 *
 * Returns: (transfer none) (nullable): the catalog or custom service with @id
 */
VigieService *
vigie_config_lookup_service (VigieConfig *self,
                             const char  *id)
{
  VigieService *service;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  service = vigie_catalog_lookup (self->catalog, id);
  if (service != NULL)
    return service;
  return g_hash_table_lookup (self->custom_by_id, id);
}

/**
 * vigie_config_get_watched:
 * @self: a #VigieConfig
 *
 * Returns: (transfer container) (element-type VigieService): the watched
 *   services, in the user's order
 */
GPtrArray *
vigie_config_get_watched (VigieConfig *self)
{
  GPtrArray *watched;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), NULL);

  watched = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_service_unref);
  for (guint i = 0; self->service_ids[i] != NULL; i++)
    {
      VigieService *service = vigie_config_lookup_service (self, self->service_ids[i]);
      if (service != NULL)
        g_ptr_array_add (watched, vigie_service_ref (service));
    }
  return watched;
}

/**
 * vigie_config_get_custom_services:
 * @self: a #VigieConfig
 *
 * Returns: (transfer none) (element-type VigieService): the valid `[Service ID]`
 *   groups of the file, watched or not
 */
GPtrArray *
vigie_config_get_custom_services (VigieConfig *self)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), NULL);
  return self->custom;
}

gboolean
vigie_config_get_notifications_enabled (VigieConfig *self)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), TRUE);
  return self->notifications_enabled;
}

/**
 * vigie_config_get_quiet_hours:
 * @self: a #VigieConfig
 * @start_minute: (out) (optional): start, in minutes after midnight
 * @end_minute: (out) (optional): end, in minutes after midnight (may be < start)
 *
 * Returns: %TRUE if quiet hours are set
 */
gboolean
vigie_config_get_quiet_hours (VigieConfig *self,
                              guint       *start_minute,
                              guint       *end_minute)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), FALSE);
  if (start_minute)
    *start_minute = self->quiet_start;
  if (end_minute)
    *end_minute = self->quiet_end;
  return self->quiet_hours_set;
}

/**
 * vigie_config_get_connectivity_urls:
 * @self: a #VigieConfig
 *
 * Returns: (transfer none): the "is it me?" baseline URLs
 */
const char *const *
vigie_config_get_connectivity_urls (VigieConfig *self)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), NULL);
  return (const char *const *) self->connectivity_urls;
}

/**
 * vigie_config_set_notifications_enabled:
 * @self: a #VigieConfig
 * @enabled: whether Vigie shows desktop notifications at all
 */
void
vigie_config_set_notifications_enabled (VigieConfig *self,
                                        gboolean     enabled)
{
  g_return_if_fail (VIGIE_IS_CONFIG (self));

  enabled = !!enabled;
  if (self->notifications_enabled == enabled)
    return;
  self->notifications_enabled = enabled;
  g_key_file_set_boolean (self->key_file, GROUP_NOTIFICATIONS, "Enabled", enabled);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * vigie_config_get_notify:
 * @self: a #VigieConfig
 * @kind: an event kind
 *
 * Returns: whether events of @kind are notified
 */
gboolean
vigie_config_get_notify (VigieConfig     *self,
                         VigieNotifyKind  kind)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), TRUE);
  g_return_val_if_fail (kind < VIGIE_N_NOTIFY_KINDS, TRUE);
  return self->notify[kind];
}

void
vigie_config_set_notify (VigieConfig     *self,
                         VigieNotifyKind  kind,
                         gboolean         enabled)
{
  g_return_if_fail (VIGIE_IS_CONFIG (self));
  g_return_if_fail (kind < VIGIE_N_NOTIFY_KINDS);

  enabled = !!enabled;
  if (self->notify[kind] == enabled)
    return;
  self->notify[kind] = enabled;
  g_key_file_set_boolean (self->key_file, GROUP_NOTIFICATIONS, notify_keys[kind], enabled);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * vigie_config_set_quiet_hours:
 * @self: a #VigieConfig
 * @enabled: whether quiet hours apply
 * @start_minute: start, minutes after midnight
 * @end_minute: end, minutes after midnight (may be before @start_minute)
 */
void
vigie_config_set_quiet_hours (VigieConfig *self,
                              gboolean     enabled,
                              guint        start_minute,
                              guint        end_minute)
{
  g_return_if_fail (VIGIE_IS_CONFIG (self));
  g_return_if_fail (start_minute < 24 * 60 && end_minute < 24 * 60);

  enabled = enabled && start_minute != end_minute;
  self->quiet_hours_set = enabled;
  self->quiet_start = start_minute;
  self->quiet_end = end_minute;
  if (enabled)
    {
      g_autofree char *text = g_strdup_printf ("%02u:%02u-%02u:%02u", start_minute / 60,
                                               start_minute % 60, end_minute / 60,
                                               end_minute % 60);
      g_key_file_set_string (self->key_file, GROUP_NOTIFICATIONS, "QuietHours", text);
    }
  else
    g_key_file_set_string (self->key_file, GROUP_NOTIFICATIONS, "QuietHours", "");
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * vigie_config_in_quiet_hours:
 * @self: a #VigieConfig
 * @minute_of_day: the local time, in minutes after midnight
 *
 * Returns: whether @minute_of_day falls in the quiet hours (which may cross
 *   midnight)
 */
gboolean
vigie_config_in_quiet_hours (VigieConfig *self,
                             guint        minute_of_day)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), FALSE);

  if (!self->quiet_hours_set)
    return FALSE;
  if (self->quiet_start < self->quiet_end)
    return minute_of_day >= self->quiet_start && minute_of_day < self->quiet_end;
  return minute_of_day >= self->quiet_start || minute_of_day < self->quiet_end;
}

/**
 * vigie_config_get_quiet_hours_allow:
 * @self: a #VigieConfig
 *
 * Returns: (transfer none): ids of the services whose confirmed outages are
 *   notified even during quiet hours
 */
const char *const *
vigie_config_get_quiet_hours_allow (VigieConfig *self)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), NULL);
  return (const char *const *) self->quiet_hours_allow;
}

void
vigie_config_set_quiet_hours_allow (VigieConfig       *self,
                                    const char *const *ids)
{
  g_return_if_fail (VIGIE_IS_CONFIG (self));
  g_return_if_fail (ids != NULL);

  g_strfreev (self->quiet_hours_allow);
  self->quiet_hours_allow = g_strdupv ((char **) ids);
  g_key_file_set_string_list (self->key_file, GROUP_NOTIFICATIONS, "QuietHoursAllow", ids,
                              g_strv_length ((char **) ids));
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * vigie_config_get_reminder_minutes:
 * @self: a #VigieConfig
 *
 * Returns: minutes between reminders while a service stays down; 0 = none
 */
guint
vigie_config_get_reminder_minutes (VigieConfig *self)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), 0);
  return self->reminder_minutes;
}

void
vigie_config_set_reminder_minutes (VigieConfig *self,
                                   guint        minutes)
{
  g_return_if_fail (VIGIE_IS_CONFIG (self));

  minutes = MIN (minutes, MAX_REMINDER_MINUTES);
  if (self->reminder_minutes == minutes)
    return;
  self->reminder_minutes = minutes;
  g_key_file_set_uint64 (self->key_file, GROUP_NOTIFICATIONS, "Reminder", minutes);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * vigie_config_get_mute:
 * @self: a #VigieConfig
 * @id: a service id
 * @now_s: the current wall-clock time, in seconds
 *
 * Returns: 0 if @id is not muted at @now_s, %VIGIE_MUTE_UNTIL_BACK if it is
 *   muted until it is back, else the end of the mute (unix seconds)
 */
gint64
vigie_config_get_mute (VigieConfig *self,
                       const char  *id,
                       gint64       now_s)
{
  gint64 *until;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), 0);
  g_return_val_if_fail (id != NULL, 0);

  until = g_hash_table_lookup (self->mutes, id);
  if (until == NULL || (*until != VIGIE_MUTE_UNTIL_BACK && *until <= now_s))
    return 0;
  return *until;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/**
 * vigie_config_set_mute:
 * @self: a #VigieConfig
 * @id: a service id
 * @until: 0 to unmute, %VIGIE_MUTE_UNTIL_BACK, or the end (unix seconds)
 *
 * Mutes a service's notifications. Saved as `Muted=ID@back;ID@UNIX-TIME`.
 */
void
vigie_config_set_mute (VigieConfig *self,
                       const char  *id,
                       gint64       until)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (VIGIE_IS_CONFIG (self));
  g_return_if_fail (id != NULL);

  if (until == 0)
    g_hash_table_remove (self->mutes, id);
  else
    g_hash_table_insert (self->mutes, g_strdup (id), g_memdup2 (&until, sizeof until));

  g_hash_table_iter_init (&iter, self->mutes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 end = *(gint64 *) value;
      g_ptr_array_add (entries, end == VIGIE_MUTE_UNTIL_BACK
                                  ? g_strdup_printf ("%s@back", (char *) key)
                                  : g_strdup_printf ("%s@%" G_GINT64_FORMAT, (char *) key, end));
    }
  g_ptr_array_sort (entries, compare_strings);
  g_ptr_array_add (entries, NULL);
  g_key_file_set_string_list (self->key_file, GROUP_NOTIFICATIONS, "Muted",
                              (const char *const *) entries->pdata, entries->len - 1);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * vigie_config_get_hook_command:
 * @self: a #VigieConfig
 *
 * Returns: (nullable): the `[Hooks] OnChange` command line, if any
 */
const char *
vigie_config_get_hook_command (VigieConfig *self)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), NULL);
  return self->hook_command;
}

/**
 * vigie_config_set_hook_command:
 * @self: a #VigieConfig
 * @command: (nullable): a command line (split into arguments, never given
 *   to a shell), or %NULL for none
 */
void
vigie_config_set_hook_command (VigieConfig *self,
                               const char  *command)
{
  g_return_if_fail (VIGIE_IS_CONFIG (self));

  if (command != NULL && *command == '\0')
    command = NULL;
  if (g_strcmp0 (self->hook_command, command) == 0)
    return;
  g_free (self->hook_command);
  self->hook_command = g_strdup (command);
  g_key_file_set_string (self->key_file, GROUP_HOOKS, "OnChange", command ? command : "");
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * vigie_config_get_hook_timeout:
 * @self: a #VigieConfig
 *
 * Returns: seconds a hook may run before it is stopped
 */
guint
vigie_config_get_hook_timeout (VigieConfig *self)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), DEFAULT_HOOK_TIMEOUT);
  return self->hook_timeout;
}

/* Sets @key to @value, or removes it when @value is %NULL or empty, so a
 * cleared field leaves no `Key=` line behind. */
static void
set_or_remove_string (GKeyFile   *key_file,
                      const char *group,
                      const char *key,
                      const char *value)
{
  if (value != NULL && *value != '\0')
    g_key_file_set_string (key_file, group, key, value);
  else
    g_key_file_remove_key (key_file, group, key, NULL);
}

/**
 * vigie_config_set_custom_service:
 * @self: a #VigieConfig
 * @id: the service's id (`[a-z0-9-]+`), not a catalog id
 * @name: (nullable): its display name (the id when %NULL)
 * @site: the front door to probe: an http(s) URL or `host:port`
 * @status_page: (nullable): the vendor's human status page
 * @feed: (nullable): `KIND:URL` of its machine-readable status, or %NULL
 * @error: return location for a #GError
 *
 * Adds the `[Service @id]` group, or updates it if it exists: @name,
 * @site, @status_page and @feed replace `Name`, `Site`, `StatusPage` and
 * `Feed` (an empty or %NULL value removes the key); the group's other keys
 * (Provider, Note, keys of a later version) are kept. The group is
 * validated as vigie_config_load() would; if it is not valid nothing
 * changes and @error says why (a #VigieServiceError). Adding a service
 * does not watch it: see vigie_config_set_service_ids().
 *
 * Returns: %TRUE if the service was stored
 */
gboolean
vigie_config_set_custom_service (VigieConfig  *self,
                                 const char   *id,
                                 const char   *name,
                                 const char   *site,
                                 const char   *status_page,
                                 const char   *feed,
                                 GError      **error)
{
  g_autofree char *group = NULL;
  g_autoptr(GKeyFile) scratch = NULL;
  g_autoptr(VigieService) service = NULL;
  g_auto(GStrv) keys = NULL;
  VigieService *old;
  guint position = 0;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (site != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!vigie_service_id_is_valid (id))
    {
      g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_ID,
                   _("“%s” is not a valid service id: use lowercase letters, digits and dashes"),
                   id);
      return FALSE;
    }
  if (vigie_catalog_lookup (self->catalog, id) != NULL)
    {
      g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_ID,
                   _("“%s” is already a catalog service; give your service another id"), id);
      return FALSE;
    }

  /* Validate on a copy of the group, so that a refusal leaves the settings
   * exactly as they were. */
  group = g_strdup_printf ("Service %s", id);
  scratch = g_key_file_new ();
  keys = g_key_file_get_keys (self->key_file, group, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *value = g_key_file_get_value (self->key_file, group, keys[i], NULL);
      if (value != NULL)
        g_key_file_set_value (scratch, group, keys[i], value);
    }
  set_or_remove_string (scratch, group, "Name", name);
  set_or_remove_string (scratch, group, "Site", site);
  set_or_remove_string (scratch, group, "StatusPage", status_page);
  set_or_remove_string (scratch, group, "Feed", feed);
  service = vigie_service_new_from_key_file (scratch, group, VIGIE_SERVICE_CUSTOM, error);
  if (service == NULL)
    return FALSE;

  set_or_remove_string (self->key_file, group, "Name", name);
  set_or_remove_string (self->key_file, group, "Site", site);
  set_or_remove_string (self->key_file, group, "StatusPage", status_page);
  set_or_remove_string (self->key_file, group, "Feed", feed);

  /* The index borrows its keys from the services: replace (not insert) so
   * that the key of the service about to be freed goes with it. */
  old = g_hash_table_lookup (self->custom_by_id, id);
  g_hash_table_replace (self->custom_by_id, service->id, service);
  if (old != NULL && g_ptr_array_find (self->custom, old, &position))
    {
      self->custom->pdata[position] = g_steal_pointer (&service);
      vigie_service_unref (old);
    }
  else
    g_ptr_array_add (self->custom, g_steal_pointer (&service));

  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/* @ids without @id, or %NULL when @id is not in it. */
static GStrv
strv_without (const char *const *ids,
              const char        *id)
{
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();

  if (!g_strv_contains (ids, id))
    return NULL;
  for (guint i = 0; ids[i] != NULL; i++)
    if (!g_str_equal (ids[i], id))
      g_strv_builder_add (kept, ids[i]);
  return g_strv_builder_end (kept);
}

/**
 * vigie_config_remove_custom_service:
 * @self: a #VigieConfig
 * @id: the id of a `[Service ID]` group
 *
 * Removes the group and every mention of @id: the watched services, the
 * services allowed through quiet hours and the mutes, so that the file
 * does not refer to a service that is gone.
 *
 * Returns: %TRUE if there was such a group
 */
gboolean
vigie_config_remove_custom_service (VigieConfig *self,
                                    const char  *id)
{
  g_autofree char *group = NULL;
  VigieService *service;
  GStrv without;
  gboolean found = FALSE;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  /* Catalog services have no group of their own to remove. */
  if (vigie_catalog_lookup (self->catalog, id) != NULL)
    return FALSE;

  group = g_strdup_printf ("Service %s", id);
  found = g_key_file_remove_group (self->key_file, group, NULL);
  service = g_hash_table_lookup (self->custom_by_id, id);
  if (service != NULL)
    {
      g_hash_table_remove (self->custom_by_id, id);
      g_ptr_array_remove (self->custom, service);
      found = TRUE;
    }
  if (!found)
    return FALSE;

  without = strv_without ((const char *const *) self->service_ids, id);
  if (without != NULL)
    {
      replace_service_ids (self, without);
      g_key_file_set_string_list (self->key_file, GROUP_GENERAL, "Services",
                                  (const char *const *) self->service_ids,
                                  g_strv_length (self->service_ids));
    }
  without = strv_without ((const char *const *) self->quiet_hours_allow, id);
  if (without != NULL)
    {
      g_strfreev (self->quiet_hours_allow);
      self->quiet_hours_allow = without;
      g_key_file_set_string_list (self->key_file, GROUP_NOTIFICATIONS, "QuietHoursAllow",
                                  (const char *const *) self->quiet_hours_allow,
                                  g_strv_length (self->quiet_hours_allow));
    }
  if (g_hash_table_contains (self->mutes, id))
    vigie_config_set_mute (self, id, 0);  /* rewrites Muted, emits "changed" too */

  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/**
 * vigie_config_set_connectivity_urls:
 * @self: a #VigieConfig
 * @urls: the "is it me?" baseline: full http:// or https:// URLs
 * @error: return location for a #GError
 *
 * Checks every URL as vigie_config_load() does (plain http is allowed, for
 * captive-portal detection; a bare host:port is not, it cannot say
 * "online"); empty entries are skipped. If one is wrong, or none is left,
 * nothing changes and @error (a #VigieServiceError) says which.
 *
 * Returns: %TRUE if the URLs were stored
 */
gboolean
vigie_config_set_connectivity_urls (VigieConfig        *self,
                                    const char *const  *urls,
                                    GError            **error)
{
  g_autoptr(GStrvBuilder) valid = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (urls != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; urls[i] != NULL; i++)
    {
      g_autofree char *url = g_strstrip (g_strdup (urls[i]));

      if (*url == '\0')
        continue;
      if (strstr (url, "://") == NULL)
        {
          g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_URL,
                       _("“%s” is not a full http:// or https:// URL"), url);
          return FALSE;
        }
      if (!vigie_service_check_url (url, VIGIE_SERVICE_CUSTOM, error))
        return FALSE;
      g_strv_builder_add (valid, url);
    }
  result = g_strv_builder_end (valid);
  if (result[0] == NULL)
    {
      g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_URL,
                   _("At least one connection check URL is needed"));
      return FALSE;
    }
  if (g_strv_equal ((const char *const *) result, (const char *const *) self->connectivity_urls))
    return TRUE;

  g_strfreev (self->connectivity_urls);
  self->connectivity_urls = g_steal_pointer (&result);
  g_key_file_set_string_list (self->key_file, GROUP_CONNECTIVITY, "URLs",
                              (const char *const *) self->connectivity_urls,
                              g_strv_length (self->connectivity_urls));
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}
