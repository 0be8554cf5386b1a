/* vigie-window-row.h — one watched service in the details window.
 *
 * A row shows the service's state, since when, why in plain words, the
 * vendor's latest word, a 24-hour timeline, latency and uptime, links to the
 * official status page, the open incident and DownDetector, and a menu to
 * mute it. It is built once per service and updated in place on every round,
 * so that scrolling and focus survive. The row reads the monitor but never
 * changes it: its menu items name actions of the application (app.mute) and
 * of the window (win.mute-hour, win.unmute), and its links go through
 * app.open-url.
 */
#pragma once

#include <gtk/gtk.h>

#include "vigie-monitor.h"
#include "vigie-timeline.h"

G_BEGIN_DECLS

#define VIGIE_TYPE_WINDOW_ROW (vigie_window_row_get_type ())
G_DECLARE_FINAL_TYPE (VigieWindowRow, vigie_window_row, VIGIE, WINDOW_ROW, GtkListBoxRow)

GtkWidget     *vigie_window_row_new          (VigieService   *service);
VigieService  *vigie_window_row_get_service  (VigieWindowRow *self);
VigieTimeline *vigie_window_row_get_timeline (VigieWindowRow *self);
void           vigie_window_row_update       (VigieWindowRow *self,
                                              VigieService   *service,
                                              VigieMonitor   *monitor,
                                              const char     *latest_update,
                                              gint64          now_us);

G_END_DECLS
