/* vigie-config-private.h — what the pieces of the settings file share, and
 * nobody else uses.
 *
 * VigieConfig is one module in four files: the table of keys with their
 * ranges, defaults and messages, and the checks of a loaded file
 * (vigie-config-schema.c); reading, keeping a copy of a broken file and
 * saving (vigie-config-file.c); the watched and custom services
 * (vigie-config-services.c); the object and its other settings
 * (vigie-config-object.c). They share the object's fields, the group names
 * and limits, and the few helpers one file calls in another (prefixed
 * config_).
 *
 * The GKeyFile as loaded is kept for the whole life of the object: setters
 * write into it and saving writes it back, which is how comments, unknown keys
 * and values Vigie rejected survive a save. The validated values live beside
 * it in plain fields that getters return.
 */
#pragma once

#include "vigie-config.h"
#include "vigie-ini-index.h"

G_BEGIN_DECLS

#define GROUP_GENERAL "General"
#define GROUP_NOTIFICATIONS "Notifications"
#define GROUP_CONNECTIVITY "Connectivity"
#define GROUP_HOOKS "Hooks"

#define MAX_REMINDER_MINUTES (24 * 60)
#define DEFAULT_HOOK_TIMEOUT 10
#define MAX_HOOK_TIMEOUT 600

/* One numeric setting: where it is, its default and its range. */
typedef struct
{
  const char *group;
  const char *key;
  guint default_value;
  guint min;
  guint max;
} ConfigSettingSpec;

/* The tables (vigie-config-schema.c) */
extern const ConfigSettingSpec config_setting_specs[VIGIE_N_SETTINGS];
extern const char *const config_notify_keys[VIGIE_N_NOTIFY_KINDS];

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

/* The object (vigie-config-object.c) */
void  config_emit_changed         (VigieConfig   *self);

/* Defaults and checks (vigie-config-schema.c) */
void  config_reset_to_defaults    (VigieConfig   *self);
void  config_read_values          (VigieConfig   *self,
                                   VigieIniIndex *index);

/* Services (vigie-config-services.c) */
void  config_replace_service_ids  (VigieConfig   *self,
                                   GStrv          ids);

G_END_DECLS
