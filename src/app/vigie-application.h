/* vigie-application.h — the applet: one instance per session.
 *
 * Owns the settings, the outage log, the monitor, the tray, the notifier and
 * the windows. Its actions (check-now, details, preferences, pause, resume,
 * copy-summary, quit, and open-url, snooze, mute for menus and
 * notifications) are reachable with `gapplication action io.github.vigie.Vigie`.
 * A second launch presents the details window.
 */
#pragma once

#include <gtk/gtk.h>

#include "vigie-monitor.h"
#include "vigie-notifier.h"
#include "vigie-tray.h"

G_BEGIN_DECLS

#define VIGIE_TYPE_APPLICATION (vigie_application_get_type ())
G_DECLARE_FINAL_TYPE (VigieApplication, vigie_application, VIGIE, APPLICATION, GtkApplication)

VigieApplication *vigie_application_new          (VigieConfig            *config,
                                                  VigieHistory           *history,
                                                  const VigieHttpOptions *http_options,
                                                  gboolean                autostart);
VigieMonitor     *vigie_application_get_monitor  (VigieApplication       *self);
VigieTray        *vigie_application_get_tray     (VigieApplication       *self);
VigieNotifier    *vigie_application_get_notifier (VigieApplication       *self);
GtkWindow        *vigie_application_get_details  (VigieApplication       *self);

G_END_DECLS
