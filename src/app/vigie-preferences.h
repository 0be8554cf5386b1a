/* vigie-preferences.h — the preferences window.
 *
 * Five pages in a stack switched from the header bar: Services (the whole
 * catalog by category, searchable without minding accents, with a
 * company's services selectable at once), Your Services (the user's own
 * `[Service ID]` groups, with status feed detection), Checking (intervals,
 * thresholds, the "is it me?" URLs, and the worst-case detection time they
 * give), Notifications (which events, quiet hours, reminders, a test) and
 * General (start at login, the hook command). Each page is a widget of
 * its own with its own template (vigie-preferences-*.c); the window holds
 * them and what they share.
 *
 * Every change is saved at once (GNOME style, no Apply button) through
 * vigie_config_save(); the monitor follows the settings' "changed" signal.
 * Input that would not be valid is refused where it was typed, with a
 * message under the field, and nothing is saved; a save error shows in a
 * bar at the top of the window.
 */
#pragma once

#include <gtk/gtk.h>

#include "vigie-monitor.h"

G_BEGIN_DECLS

#define VIGIE_TYPE_PREFERENCES (vigie_preferences_get_type ())
G_DECLARE_FINAL_TYPE (VigiePreferences, vigie_preferences, VIGIE, PREFERENCES, GtkWindow)

VigiePreferences *vigie_preferences_new                 (GtkApplication   *application,
                                                         VigieMonitor     *monitor);
void              vigie_preferences_show_page           (VigiePreferences *self,
                                                         const char       *name);

/* For tests. */
GtkToggleButton  *vigie_preferences_get_service_check   (VigiePreferences *self,
                                                         const char       *service_id);
GtkToggleButton  *vigie_preferences_get_provider_toggle (VigiePreferences *self,
                                                         const char       *provider);
GtkSpinButton    *vigie_preferences_get_setting_spin    (VigiePreferences *self,
                                                         VigieSetting      setting);
gboolean          vigie_preferences_is_detecting        (VigiePreferences *self);

G_END_DECLS
