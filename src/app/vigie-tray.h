/* vigie-tray.h — the tray icon and its menu.
 *
 * The only user of libayatana-appindicator: a StatusNotifierItem for any
 * host that has a watcher (GNOME with the AppIndicator extension, KDE, XFCE,
 * MATE, Cinnamon, Budgie), and the library's own XEmbed fallback elsewhere.
 * The icon, title and menu follow the monitor; updates are coalesced through
 * one idle, and menu items are updated in place, not rebuilt.
 */
#pragma once

#include <gtk/gtk.h>

#include "vigie-monitor.h"

G_BEGIN_DECLS

#define VIGIE_TYPE_TRAY (vigie_tray_get_type ())
G_DECLARE_FINAL_TYPE (VigieTray, vigie_tray, VIGIE, TRAY, GObject)

VigieTray  *vigie_tray_new            (GApplication *application,
                                       VigieMonitor *monitor);
const char *vigie_tray_get_icon_name  (VigieTray    *self);
const char *vigie_tray_get_title      (VigieTray    *self);
GtkMenu    *vigie_tray_get_menu       (VigieTray    *self);
char       *vigie_tray_describe       (VigieMonitor *monitor);

G_END_DECLS
