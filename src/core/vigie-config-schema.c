/* vigie-config-schema.c — what the settings file may hold: the table of
 * numeric settings with their ranges and defaults, the keys Vigie reads in
 * each group, the defaults of everything else, and the checks of a loaded
 * file, each problem reported with its file, line, group and key (contract
 * in vigie-config.h).
 */
#define G_LOG_DOMAIN "vigie-config"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-config-private.h"

const ConfigSettingSpec config_setting_specs[VIGIE_N_SETTINGS] = {
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
const char *const config_notify_keys[VIGIE_N_NOTIFY_KINDS] = {
  [VIGIE_NOTIFY_DOWN] = "Down",
  [VIGIE_NOTIFY_DEGRADED] = "Degraded",
  [VIGIE_NOTIFY_RECOVERED] = "Recovered",
};

static const char *const service_keys[] = {
  "Name", "Provider", "Category", "Site", "StatusPage", "Feed", "FeedFilter",
  "DownDetector", "Note", NULL,
};

/* Every value at its default; the key file is left as it is. */
void
config_reset_to_defaults (VigieConfig *self)
{
  for (guint i = 0; i < VIGIE_N_SETTINGS; i++)
    self->settings[i] = config_setting_specs[i].default_value;
  config_replace_service_ids (self, g_strdupv ((char **) default_services));
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
  const ConfigSettingSpec *spec = &config_setting_specs[setting];
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

  config_replace_service_ids (self, g_strv_builder_end (valid));
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
    read_boolean (self, index, GROUP_NOTIFICATIONS, config_notify_keys[i], &self->notify[i]);

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

/* Checks every value of the key file just loaded, in an order where each
 * check finds what it depends on: the custom services before the lists
 * that name them. */
void
config_read_values (VigieConfig   *self,
                    VigieIniIndex *index)
{
  for (guint i = 0; i < VIGIE_N_SETTINGS; i++)
    read_setting (self, index, i);
  check_consistency (self, index);
  read_custom_services (self, index);
  read_services (self, index);
  read_notifications (self, index);
  read_hooks (self, index);
  read_connectivity (self, index);
  report_unknown_keys (self, index);
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
    *min = config_setting_specs[setting].min;
  if (max)
    *max = config_setting_specs[setting].max;
  if (default_value)
    *default_value = config_setting_specs[setting].default_value;
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
  return config_setting_specs[setting].key;
}
