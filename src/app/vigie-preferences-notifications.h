/* vigie-preferences-notifications.h — the Notifications page of the
 * preferences.
 *
 * Whether Vigie notifies at all and for which events, how often it reminds
 * while a service stays down, quiet hours with the services that may still
 * break them, and a button that sends a test notification
 * (app.test-notification).
 */
#pragma once

#include "vigie-preferences-page.h"

G_BEGIN_DECLS

#define VIGIE_TYPE_PREFERENCES_NOTIFICATIONS (vigie_preferences_notifications_get_type ())
G_DECLARE_FINAL_TYPE (VigiePreferencesNotifications, vigie_preferences_notifications, VIGIE,
                      PREFERENCES_NOTIFICATIONS, VigiePreferencesPage)

GtkWidget *vigie_preferences_notifications_new (VigieConfig *config);

G_END_DECLS
