/* vigie-timeline.h — a strip showing one service's states over a window of
 * time (the last 24 hours in the details window).
 *
 * Each state has a colour *and* a pattern, so the strip reads without
 * colour vision: operational solid green, degraded amber with diagonal
 * hatching, down red with cross-hatching, maintenance blue with dots,
 * unknown plain light grey. A tick marks every 6 hours of local time. The
 * tooltip names the state and times under the pointer; the accessible
 * description says the whole timeline in words.
 */
#pragma once

#include <gtk/gtk.h>

#include "vigie-history.h"

G_BEGIN_DECLS

#define VIGIE_TYPE_TIMELINE (vigie_timeline_get_type ())
G_DECLARE_FINAL_TYPE (VigieTimeline, vigie_timeline, VIGIE, TIMELINE, GtkDrawingArea)

GtkWidget          *vigie_timeline_new          (void);
void                vigie_timeline_set_segments (VigieTimeline *self,
                                                 GArray        *segments,
                                                 gint64         from_us,
                                                 gint64         to_us);
GArray             *vigie_timeline_get_segments (VigieTimeline *self);
const VigieSegment *vigie_timeline_segment_at   (VigieTimeline *self,
                                                 double         x,
                                                 double         width);
char               *vigie_timeline_describe     (VigieTimeline *self);
char               *vigie_timeline_describe_segment (const VigieSegment *segment,
                                                     gint64              to_us,
                                                     gint64              now_us);
double              vigie_timeline_x_for_time   (gint64         from_us,
                                                 gint64         to_us,
                                                 double         width,
                                                 gint64         time_us);

G_END_DECLS
