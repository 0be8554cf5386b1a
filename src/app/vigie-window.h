/* vigie-window.h — the details window: every watched service at a glance. */
#pragma once

#include <gtk/gtk.h>

#include "vigie-monitor.h"

G_BEGIN_DECLS

#define VIGIE_TYPE_WINDOW (vigie_window_get_type ())
G_DECLARE_FINAL_TYPE (VigieWindow, vigie_window, VIGIE, WINDOW, GtkApplicationWindow)

VigieWindow *vigie_window_new         (GtkApplication *application,
                                       VigieMonitor   *monitor);
const char  *vigie_window_get_banner  (VigieWindow    *self);
guint        vigie_window_get_n_rows  (VigieWindow    *self);

G_END_DECLS
