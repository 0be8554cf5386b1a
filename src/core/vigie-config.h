/* vigie-config.h — the settings file: load with defaults, validate, save atomically.
 *
 * Contract:
 *  - A missing file means defaults; it is created on the first save.
 *  - A value that is wrong (not a number, out of range, unknown service, bad
 *    URL) is reported as a "problem" naming file, line, group and key; the
 *    default is used for it, and the text the user wrote stays in the file.
 *  - The file must be a regular file (a symbolic link to one is followed) of
 *    at most 1 MiB. It is opened without blocking and never read past 1 MiB,
 *    so a named pipe, a device, a folder or a huge file cannot stall or
 *    exhaust Vigie: such a thing is refused with a message saying what it is,
 *    Vigie runs on defaults, nothing is copied, and it is never overwritten.
 *  - A file that was read but cannot be used (not text, not key-file syntax)
 *    is copied aside (the bytes read, so at most 1 MiB) as
 *    vigie.ini.broken-<timestamp>, reported, and Vigie runs on defaults. The
 *    file itself is not rewritten unless the user changes a setting, and
 *    never when no copy could be made.
 *  - Saving keeps comments, unknown groups and unknown keys, and replaces the
 *    file atomically (write to a temporary file, fsync, rename).
 */
#pragma once

#include <glib-object.h>

#include "vigie-catalog.h"

G_BEGIN_DECLS

#define VIGIE_CONFIG_ERROR (vigie_config_error_quark ())

typedef enum
{
  VIGIE_CONFIG_ERROR_UNREADABLE,
  VIGIE_CONFIG_ERROR_CORRUPT,
  VIGIE_CONFIG_ERROR_NOT_SAVED,
} VigieConfigError;

/**
 * VigieSetting:
 * @VIGIE_SETTING_INTERVAL: seconds between rounds while all is well
 * @VIGIE_SETTING_RETRY_INTERVAL: seconds between rounds while a service is suspect
 * @VIGIE_SETTING_TIMEOUT: seconds a single request may take
 * @VIGIE_SETTING_FAILURES_BEFORE_DOWN: consecutive failures that confirm an outage
 * @VIGIE_SETTING_SUCCESSES_BEFORE_UP: consecutive successes that confirm a recovery
 *
 * The numeric settings, all whole numbers with a range.
 */
typedef enum
{
  VIGIE_SETTING_INTERVAL,
  VIGIE_SETTING_RETRY_INTERVAL,
  VIGIE_SETTING_TIMEOUT,
  VIGIE_SETTING_FAILURES_BEFORE_DOWN,
  VIGIE_SETTING_SUCCESSES_BEFORE_UP,
  VIGIE_N_SETTINGS,
} VigieSetting;

/**
 * VigieNotifyKind:
 * @VIGIE_NOTIFY_DOWN: a service is down
 * @VIGIE_NOTIFY_DEGRADED: a service is degraded or under maintenance
 * @VIGIE_NOTIFY_RECOVERED: a service is back
 *
 * The events a user can choose to be notified of.
 */
typedef enum
{
  VIGIE_NOTIFY_DOWN,
  VIGIE_NOTIFY_DEGRADED,
  VIGIE_NOTIFY_RECOVERED,
  VIGIE_N_NOTIFY_KINDS,
} VigieNotifyKind;

/* A mute that lasts until the service is back. */
#define VIGIE_MUTE_UNTIL_BACK ((gint64) -1)

#define VIGIE_TYPE_CONFIG (vigie_config_get_type ())
G_DECLARE_FINAL_TYPE (VigieConfig, vigie_config, VIGIE, CONFIG, GObject)

GQuark        vigie_config_error_quark      (void);
char         *vigie_config_default_path     (void);

VigieConfig  *vigie_config_new              (VigieCatalog  *catalog,
                                             const char    *path);
gboolean      vigie_config_load             (VigieConfig   *self,
                                             GError       **error);
gboolean      vigie_config_save             (VigieConfig   *self,
                                             GError       **error);
gboolean      vigie_config_commit           (VigieConfig   *self);

const char   *vigie_config_get_path         (VigieConfig   *self);
const char   *vigie_config_get_backup_path  (VigieConfig   *self);
GPtrArray    *vigie_config_get_problems     (VigieConfig   *self);
VigieCatalog *vigie_config_get_catalog      (VigieConfig   *self);

guint         vigie_config_get_setting      (VigieConfig   *self,
                                             VigieSetting   setting);
gboolean      vigie_config_set_setting      (VigieConfig   *self,
                                             VigieSetting   setting,
                                             guint          value,
                                             GError       **error);
void          vigie_config_get_setting_range (VigieSetting  setting,
                                              guint        *min,
                                              guint        *max,
                                              guint        *default_value);
const char   *vigie_config_setting_key      (VigieSetting   setting);
guint         vigie_config_get_worst_case_detection (VigieConfig *self);

const char *const *vigie_config_get_service_ids (VigieConfig *self);
void          vigie_config_set_service_ids  (VigieConfig        *self,
                                             const char *const  *ids);
gboolean      vigie_config_is_watched       (VigieConfig   *self,
                                             const char    *id);
GPtrArray    *vigie_config_get_watched      (VigieConfig   *self);
GPtrArray    *vigie_config_get_custom_services (VigieConfig *self);
VigieService *vigie_config_lookup_service   (VigieConfig   *self,
                                             const char    *id);

gboolean      vigie_config_get_notifications_enabled (VigieConfig *self);
gboolean      vigie_config_get_quiet_hours  (VigieConfig   *self,
                                             guint         *start_minute,
                                             guint         *end_minute);
const char *const *vigie_config_get_connectivity_urls (VigieConfig *self);

void          vigie_config_set_notifications_enabled (VigieConfig *self,
                                                      gboolean     enabled);
gboolean      vigie_config_get_notify       (VigieConfig     *self,
                                             VigieNotifyKind  kind);
void          vigie_config_set_notify       (VigieConfig     *self,
                                             VigieNotifyKind  kind,
                                             gboolean         enabled);
void          vigie_config_set_quiet_hours  (VigieConfig   *self,
                                             gboolean       enabled,
                                             guint          start_minute,
                                             guint          end_minute);
gboolean      vigie_config_in_quiet_hours   (VigieConfig   *self,
                                             guint          minute_of_day);
const char *const *vigie_config_get_quiet_hours_allow (VigieConfig *self);
void          vigie_config_set_quiet_hours_allow (VigieConfig       *self,
                                                  const char *const *ids);
guint         vigie_config_get_reminder_minutes (VigieConfig *self);
void          vigie_config_set_reminder_minutes (VigieConfig *self,
                                                 guint        minutes);
gint64        vigie_config_get_mute         (VigieConfig   *self,
                                             const char    *id,
                                             gint64         now_s);
void          vigie_config_set_mute         (VigieConfig   *self,
                                             const char    *id,
                                             gint64         until);
const char   *vigie_config_get_hook_command (VigieConfig   *self);
void          vigie_config_set_hook_command (VigieConfig   *self,
                                             const char    *command);
guint         vigie_config_get_hook_timeout (VigieConfig   *self);

gboolean      vigie_config_set_custom_service (VigieConfig  *self,
                                               const char   *id,
                                               const char   *name,
                                               const char   *site,
                                               const char   *status_page,
                                               const char   *feed,
                                               GError      **error);
gboolean      vigie_config_remove_custom_service (VigieConfig *self,
                                                  const char  *id);
gboolean      vigie_config_set_connectivity_urls (VigieConfig        *self,
                                                  const char *const  *urls,
                                                  GError            **error);

G_END_DECLS
