/* vigie-notifier.h — desktop notifications.
 *
 * The only user of libnotify. After each round it shows what vigie-alerts
 * decides, one notification per provider: a later alert for the same
 * provider replaces the earlier one (the outage becomes the recovery), it
 * does not stack. Remote text is escaped before it reaches body markup.
 * Actions (where the server supports them) activate the application's
 * actions: details, open-url, snooze, mute.
 */
#pragma once

#include <gio/gio.h>

#include "vigie-monitor.h"

G_BEGIN_DECLS

#define VIGIE_TYPE_NOTIFIER (vigie_notifier_get_type ())
G_DECLARE_FINAL_TYPE (VigieNotifier, vigie_notifier, VIGIE, NOTIFIER, GObject)

VigieNotifier *vigie_notifier_new           (GApplication  *application,
                                             VigieMonitor  *monitor);
void           vigie_notifier_snooze        (VigieNotifier *self,
                                             guint          seconds);
gboolean       vigie_notifier_is_snoozed    (VigieNotifier *self);
void           vigie_notifier_show_message  (VigieNotifier *self,
                                             const char    *summary,
                                             const char    *body);

G_END_DECLS
