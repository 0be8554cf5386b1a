/* vigie-config-object.c — the VigieConfig object: its life, the "changed"
 * signal, and the getters and setters of the numeric settings,
 * notifications, quiet hours, reminders, mutes, hooks and connection
 * checks (contract in vigie-config.h). The services are in
 * vigie-config-services.c.
 */
#define G_LOG_DOMAIN "vigie-config"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-config-private.h"

enum {
  CHANGED,
  SAVE_FAILED,
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

  /**
   * VigieConfig::save-failed:
   * @message: why, for people
   *
   * Emitted when vigie_config_commit() could not write the file. The
   * application is the one listener that tells the user.
   */
  signals[SAVE_FAILED] = g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                       G_TYPE_STRING);
}

/**
 * vigie_config_commit:
 * @self: a #VigieConfig
 *
 * Saves what the setters changed (vigie_config_save()). The one save path
 * of the applet outside the preferences: a failure is not the caller's to
 * report but goes to #VigieConfig::save-failed, so it is said one way
 * whoever changed the setting.
 *
 * Returns: %TRUE if the file was written
 */
gboolean
vigie_config_commit (VigieConfig *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), FALSE);

  if (vigie_config_save (self, &error))
    return TRUE;
  g_signal_emit (self, signals[SAVE_FAILED], 0, error->message);
  return FALSE;
}

/* Every setter ends here once it has changed something. */
void
config_emit_changed (VigieConfig *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* The end of the setters of a plain number or switch: the field, the file
 * and "changed", only when the value is new. */
static void
store_number (VigieConfig *self,
              guint       *field,
              const char  *group,
              const char  *key,
              guint        value)
{
  if (*field == value)
    return;
  *field = value;
  g_key_file_set_uint64 (self->key_file, group, key, value);
  config_emit_changed (self);
}

static void
store_switch (VigieConfig *self,
              gboolean    *field,
              const char  *group,
              const char  *key,
              gboolean     enabled)
{
  enabled = !!enabled;
  if (*field == enabled)
    return;
  *field = enabled;
  g_key_file_set_boolean (self->key_file, group, key, enabled);
  config_emit_changed (self);
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
  config_reset_to_defaults (self);
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
 * Changes a numeric setting in memory (vigie_config_save() writes it). The
 * settings' own rules hold as on load: RetryInterval is never longer than
 * Interval (a shorter Interval pulls RetryInterval down with it; a longer
 * RetryInterval is refused).
 *
 * Returns: %TRUE if @value was taken
 */
gboolean
vigie_config_set_setting (VigieConfig   *self,
                          VigieSetting   setting,
                          guint          value,
                          GError       **error)
{
  const ConfigSettingSpec *spec;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (setting < VIGIE_N_SETTINGS, FALSE);

  spec = &config_setting_specs[setting];
  if (value < spec->min || value > spec->max)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("%s must be between %u and %u"), spec->key, spec->min, spec->max);
      return FALSE;
    }
  /* A retry never waits longer than the interval, as on load: a longer
   * retry is refused, and a shorter interval pulls the retry down with it. */
  if (setting == VIGIE_SETTING_RETRY_INTERVAL && value > self->settings[VIGIE_SETTING_INTERVAL])
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("RetryInterval must not be longer than Interval (%u s)"),
                   self->settings[VIGIE_SETTING_INTERVAL]);
      return FALSE;
    }
  if (setting == VIGIE_SETTING_INTERVAL && value < self->settings[VIGIE_SETTING_RETRY_INTERVAL])
    {
      const ConfigSettingSpec *retry = &config_setting_specs[VIGIE_SETTING_RETRY_INTERVAL];

      store_number (self, &self->settings[VIGIE_SETTING_RETRY_INTERVAL], retry->group,
                    retry->key, MAX (value, retry->min));
    }
  store_number (self, &self->settings[setting], spec->group, spec->key, value);
  return TRUE;
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

  store_switch (self, &self->notifications_enabled, GROUP_NOTIFICATIONS, "Enabled", enabled);
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

  store_switch (self, &self->notify[kind], GROUP_NOTIFICATIONS, config_notify_keys[kind], enabled);
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
  config_emit_changed (self);
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
  config_emit_changed (self);
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
  store_number (self, &self->reminder_minutes, GROUP_NOTIFICATIONS, "Reminder", minutes);
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
  config_emit_changed (self);
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
  config_emit_changed (self);
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
  config_emit_changed (self);
  return TRUE;
}
