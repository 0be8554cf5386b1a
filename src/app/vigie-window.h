/* vigie-window.h — the details window: every watched service at a glance.
 *
 * A banner with the verdict that matters most ("It's not you — Facebook,
 * Instagram, WhatsApp and Messenger are down since 17:40"), then one row per
 * watched service, worst first: state, since when, why in plain words, the
 * vendor's latest word, latency, uptime over 24 hours and 7 days, links to
 * the official status page and DownDetector, a 24-hour timeline, and a menu
 * to mute it. Rows are updated in place on every round (kept by service id)
 * so that scrolling and focus survive. The header bar checks now, copies
 * the status summary and exports the outage log (CSV).
 */
#pragma once

#include <gtk/gtk.h>

#include "vigie-monitor.h"
#include "vigie-timeline.h"

G_BEGIN_DECLS

#define VIGIE_TYPE_WINDOW (vigie_window_get_type ())
G_DECLARE_FINAL_TYPE (VigieWindow, vigie_window, VIGIE, WINDOW, GtkApplicationWindow)

VigieWindow   *vigie_window_new          (GtkApplication *application,
                                          VigieMonitor   *monitor);
gboolean       vigie_window_export_to    (VigieWindow    *self,
                                          GFile          *file,
                                          GError        **error);

/* For tests. */
const char    *vigie_window_get_banner   (VigieWindow    *self);
guint          vigie_window_get_n_rows   (VigieWindow    *self);
GStrv          vigie_window_get_row_ids  (VigieWindow    *self);
GtkWidget     *vigie_window_get_row      (VigieWindow    *self,
                                          const char     *service_id);
VigieTimeline *vigie_window_get_timeline (VigieWindow    *self,
                                          const char     *service_id);
GtkInfoBar    *vigie_window_get_info_bar (VigieWindow    *self);

G_END_DECLS
