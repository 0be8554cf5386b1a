/* vigie-timeline.c — a service's states over time, drawn with cairo; see
 * the header.
 *
 * The widget only draws what it is given (segments from
 * vigie_history_segments()); it reads no clock but for the tooltip's "since"
 * wording, and owns no timer: the details window refreshes it every round.
 */
#define G_LOG_DOMAIN "vigie-timeline"

#include "config.h"

#include <glib/gi18n.h>

#include "vigie-report.h"
#include "vigie-timeline.h"

#define STRIP_HEIGHT 14
#define TICK_LENGTH 4
#define LABEL_GAP 1
#define TICK_HOURS 6
/* A state shorter than a pixel would vanish; a blip of an outage must not. */
#define MIN_PROBLEM_WIDTH 2.0

struct _VigieTimeline
{
  GtkDrawingArea parent_instance;

  GArray *segments;   /* VigieSegment */
  gint64 from_us;
  gint64 to_us;
};

G_DEFINE_FINAL_TYPE (VigieTimeline, vigie_timeline, GTK_TYPE_DRAWING_AREA)

typedef struct
{
  double r, g, b;
} Rgb;

/* GNOME palette: green 5, yellow 5, red 3, blue 3, light 3. Dark enough for
 * the patterns drawn over them to show. */
static Rgb
state_colour (VigieState state)
{
  switch (state)
    {
    case VIGIE_STATE_OPERATIONAL: return (Rgb) { 0.149, 0.635, 0.412 };
    case VIGIE_STATE_DEGRADED: return (Rgb) { 0.898, 0.647, 0.039 };
    case VIGIE_STATE_DOWN: return (Rgb) { 0.878, 0.106, 0.141 };
    case VIGIE_STATE_MAINTENANCE: return (Rgb) { 0.208, 0.518, 0.894 };
    case VIGIE_STATE_UNKNOWN:
    default: return (Rgb) { 0.871, 0.867, 0.855 };
    }
}

/* Diagonal lines across the rectangle, rising (+1) or falling (−1). */
static void
hatch (cairo_t *cr,
       double   x,
       double   width,
       double   height,
       int      direction)
{
  const double step = 5.0;

  for (double offset = -height; offset < width + height; offset += step)
    {
      double x0 = x + offset;
      if (direction > 0)
        {
          cairo_move_to (cr, x0, height);
          cairo_line_to (cr, x0 + height, 0);
        }
      else
        {
          cairo_move_to (cr, x0, 0);
          cairo_line_to (cr, x0 + height, height);
        }
    }
  cairo_stroke (cr);
}

static void
draw_pattern (cairo_t    *cr,
              VigieState  state,
              double      x,
              double      width,
              double      height)
{
  cairo_save (cr);
  cairo_rectangle (cr, x, 0, width, height);
  cairo_clip (cr);
  cairo_set_line_width (cr, 1.2);

  switch (state)
    {
    case VIGIE_STATE_DEGRADED:
      cairo_set_source_rgba (cr, 0, 0, 0, 0.5);
      hatch (cr, x, width, height, 1);
      break;
    case VIGIE_STATE_DOWN:
      cairo_set_source_rgba (cr, 1, 1, 1, 0.75);
      hatch (cr, x, width, height, 1);
      hatch (cr, x, width, height, -1);
      break;
    case VIGIE_STATE_MAINTENANCE:
      /* Dots on a grid anchored to the widget, not to the segment, so that
       * neighbouring segments line up. */
      cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
      for (double dy = 3.5; dy < height; dy += 5.0)
        for (double dx = ((int) (x / 5.0)) * 5.0 + (((int) dy / 5) % 2 ? 2.5 : 0);
             dx < x + width + 5.0; dx += 5.0)
          {
            cairo_new_sub_path (cr);
            cairo_arc (cr, dx, dy, 1.1, 0, 2 * G_PI);
          }
      cairo_fill (cr);
      break;
    case VIGIE_STATE_OPERATIONAL:
    case VIGIE_STATE_UNKNOWN:
    default:
      break;
    }
  cairo_restore (cr);
}

/**
 * vigie_timeline_x_for_time:
 * @from_us: start of the window, µs since the epoch
 * @to_us: end of the window
 * @width: the strip's width, in pixels
 * @time_us: a time
 *
 * Returns: where @time_us falls on the strip, clamped to [0, @width]
 */
double
vigie_timeline_x_for_time (gint64 from_us,
                           gint64 to_us,
                           double width,
                           gint64 time_us)
{
  if (to_us <= from_us)
    return 0;
  time_us = CLAMP (time_us, from_us, to_us);
  return (double) (time_us - from_us) / (double) (to_us - from_us) * width;
}

static PangoLayout *
tick_layout (GtkWidget  *widget,
             const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

/* Local times of day that are multiples of TICK_HOURS, within the window. */
static GArray *
tick_times (gint64 from_us,
            gint64 to_us)
{
  GArray *ticks = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (from_us / G_USEC_PER_SEC);

  if (start == NULL || to_us <= from_us)
    return ticks;
  /* Built from the local date each day, so a DST change does not shift them. */
  for (int day = 0; day <= (int) ((to_us - from_us) / (24 * G_TIME_SPAN_HOUR)) + 1; day++)
    {
      g_autoptr(GDateTime) date = g_date_time_add_days (start, day);
      for (int hour = 0; hour < 24; hour += TICK_HOURS)
        {
          g_autoptr(GDateTime) tick = g_date_time_new_local (g_date_time_get_year (date),
                                                             g_date_time_get_month (date),
                                                             g_date_time_get_day_of_month (date),
                                                             hour, 0, 0);
          gint64 t = tick ? g_date_time_to_unix (tick) * G_USEC_PER_SEC : 0;
          if (t > from_us && t < to_us)
            g_array_append_val (ticks, t);
        }
    }
  return ticks;
}

static gboolean
vigie_timeline_draw (GtkWidget *widget,
                     cairo_t   *cr)
{
  VigieTimeline *self = VIGIE_TIMELINE (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  double width = gtk_widget_get_allocated_width (widget);
  g_autoptr(GArray) ticks = NULL;
  GdkRGBA fg;

  gtk_style_context_get_color (context, gtk_style_context_get_state (context), &fg);

  for (guint i = 0; i < self->segments->len; i++)
    {
      const VigieSegment *segment = &g_array_index (self->segments, VigieSegment, i);
      double x0 = vigie_timeline_x_for_time (self->from_us, self->to_us, width,
                                             segment->start_us);
      double x1 = vigie_timeline_x_for_time (self->from_us, self->to_us, width, segment->end_us);
      Rgb colour = state_colour (segment->state);

      if (segment->state == VIGIE_STATE_DOWN || segment->state == VIGIE_STATE_DEGRADED)
        if (x1 - x0 < MIN_PROBLEM_WIDTH)
          x1 = MIN (width, x0 + MIN_PROBLEM_WIDTH);
      cairo_set_source_rgb (cr, colour.r, colour.g, colour.b);
      cairo_rectangle (cr, x0, 0, x1 - x0, STRIP_HEIGHT);
      cairo_fill (cr);
      draw_pattern (cr, segment->state, x0, x1 - x0, STRIP_HEIGHT);
    }

  /* A thin frame in the text colour keeps light grey visible on a light
   * theme and the strip's edge visible on a dark one. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.35);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, 0.5, 0.5, width - 1, STRIP_HEIGHT - 1);
  cairo_stroke (cr);

  ticks = tick_times (self->from_us, self->to_us);
  for (guint i = 0; i < ticks->len; i++)
    {
      gint64 t = g_array_index (ticks, gint64, i);
      double x = (int) vigie_timeline_x_for_time (self->from_us, self->to_us, width, t) + 0.5;
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (t / G_USEC_PER_SEC);
      /* Translators: an hour mark under the timeline, strftime format */
      g_autofree char *text = g_date_time_format (time, _("%H:%M"));
      g_autoptr(PangoLayout) layout = tick_layout (widget, text);
      int text_width, text_height;
      double text_x;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
      cairo_move_to (cr, x, STRIP_HEIGHT);
      cairo_line_to (cr, x, STRIP_HEIGHT + TICK_LENGTH);
      cairo_stroke (cr);

      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      text_x = CLAMP (x - text_width / 2.0, 0, width - text_width);
      cairo_move_to (cr, text_x, STRIP_HEIGHT + TICK_LENGTH + LABEL_GAP);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.75);
      pango_cairo_show_layout (cr, layout);
    }
  return GDK_EVENT_STOP;
}

static void
vigie_timeline_get_preferred_height (GtkWidget *widget,
                                     int       *minimum,
                                     int       *natural)
{
  g_autoptr(PangoLayout) layout = tick_layout (widget, "00:00");
  int text_height;

  pango_layout_get_pixel_size (layout, NULL, &text_height);
  *minimum = *natural = STRIP_HEIGHT + TICK_LENGTH + LABEL_GAP + text_height;
}

static void
vigie_timeline_get_preferred_width (GtkWidget *widget,
                                    int       *minimum,
                                    int       *natural)
{
  *minimum = 120;
  *natural = 360;
}

/**
 * vigie_timeline_describe_segment:
 * @segment: a segment
 * @to_us: end of the timeline's window (a segment reaching it is ongoing)
 * @now_us: wall-clock time, to word the times ("17:40" today, "3 Oct 17:40")
 *
 * Returns: (transfer full): "Down: 10:00 – 12:00 (2 h)", "Operational
 *   since 12:00 (3 h)"
 */
char *
vigie_timeline_describe_segment (const VigieSegment *segment,
                                 gint64              to_us,
                                 gint64              now_us)
{
  g_autofree char *start = vigie_report_time (segment->start_us, now_us);
  g_autofree char *end = vigie_report_time (segment->end_us, now_us);
  g_autofree char *lasted = vigie_report_duration ((segment->end_us - segment->start_us)
                                                   / G_USEC_PER_SEC);

  if (segment->state == VIGIE_STATE_UNKNOWN)
    /* Translators: part of the timeline where nothing was recorded */
    return g_strdup_printf (_("No data: %s – %s"), start, end);
  if (segment->end_us >= to_us)
    /* Translators: "Down since 10:00 (2 h)" */
    return g_strdup_printf (_("%s since %s (%s)"), vigie_state_label (segment->state), start,
                            lasted);
  /* Translators: "Down: 10:00 – 12:00 (2 h)" */
  return g_strdup_printf (_("%s: %s – %s (%s)"), vigie_state_label (segment->state), start, end,
                          lasted);
}

/**
 * vigie_timeline_segment_at:
 * @self: a #VigieTimeline
 * @x: a position on the strip
 * @width: the strip's width
 *
 * Returns: (transfer none) (nullable): the segment drawn at @x
 */
const VigieSegment *
vigie_timeline_segment_at (VigieTimeline *self,
                           double         x,
                           double         width)
{
  gint64 t;

  g_return_val_if_fail (VIGIE_IS_TIMELINE (self), NULL);

  if (width <= 0 || x < 0 || x > width || self->to_us <= self->from_us)
    return NULL;
  t = self->from_us + (gint64) (x / width * (double) (self->to_us - self->from_us));
  for (guint i = 0; i < self->segments->len; i++)
    {
      const VigieSegment *segment = &g_array_index (self->segments, VigieSegment, i);
      if (t >= segment->start_us && (t < segment->end_us || i == self->segments->len - 1))
        return segment;
    }
  return NULL;
}

static gboolean
vigie_timeline_query_tooltip (GtkWidget  *widget,
                              int         x,
                              int         y,
                              gboolean    keyboard,
                              GtkTooltip *tooltip)
{
  VigieTimeline *self = VIGIE_TIMELINE (widget);
  const VigieSegment *segment;
  g_autofree char *text = NULL;

  if (keyboard)
    {
      g_autofree char *all = vigie_timeline_describe (self);
      gtk_tooltip_set_text (tooltip, all);
      return TRUE;
    }
  segment = vigie_timeline_segment_at (self, x, gtk_widget_get_allocated_width (widget));
  if (segment == NULL)
    return FALSE;
  text = vigie_timeline_describe_segment (segment, self->to_us, g_get_real_time ());
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* Beyond this many parts a description is no longer read to the end. */
#define MAX_DESCRIBED 12

/**
 * vigie_timeline_describe:
 * @self: a #VigieTimeline
 *
 * The timeline in words, for screen readers: each part with its times.
 *
 * Returns: (transfer full): "Last 24 hours: Operational: … ; Down since 10:00 (2 h)"
 */
char *
vigie_timeline_describe (VigieTimeline *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 now = g_get_real_time ();
  guint first;

  g_return_val_if_fail (VIGIE_IS_TIMELINE (self), NULL);

  g_string_append (text, _("Last 24 hours: "));
  if (self->segments->len == 0)
    {
      g_string_append (text, _("no data"));
      return g_string_free (g_steal_pointer (&text), FALSE);
    }
  /* The latest parts matter most: drop the oldest when there are many. */
  first = self->segments->len > MAX_DESCRIBED ? self->segments->len - MAX_DESCRIBED : 0;
  for (guint i = first; i < self->segments->len; i++)
    {
      g_autofree char *part = vigie_timeline_describe_segment (
        &g_array_index (self->segments, VigieSegment, i), self->to_us, now);
      if (i > first)
        g_string_append (text, "; ");
      g_string_append (text, part);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
vigie_timeline_finalize (GObject *object)
{
  VigieTimeline *self = VIGIE_TIMELINE (object);

  g_clear_pointer (&self->segments, g_array_unref);

  G_OBJECT_CLASS (vigie_timeline_parent_class)->finalize (object);
}

static void
vigie_timeline_class_init (VigieTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = vigie_timeline_finalize;
  widget_class->draw = vigie_timeline_draw;
  widget_class->get_preferred_height = vigie_timeline_get_preferred_height;
  widget_class->get_preferred_width = vigie_timeline_get_preferred_width;
  widget_class->query_tooltip = vigie_timeline_query_tooltip;
  gtk_widget_class_set_css_name (widget_class, "vigie-timeline");
}

static void
vigie_timeline_init (VigieTimeline *self)
{
  self->segments = g_array_new (FALSE, FALSE, sizeof (VigieSegment));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), _("Last 24 hours"));
}

/**
 * vigie_timeline_new:
 *
 * Returns: (transfer floating): an empty timeline
 */
GtkWidget *
vigie_timeline_new (void)
{
  return g_object_new (VIGIE_TYPE_TIMELINE, NULL);
}

/**
 * vigie_timeline_set_segments:
 * @self: a #VigieTimeline
 * @segments: (element-type VigieSegment): the states over the window, as
 *   vigie_history_segments() returns them (copied)
 * @from_us: start of the window, µs since the epoch
 * @to_us: end of the window
 *
 * Shows @segments and says them in the accessible description.
 */
void
vigie_timeline_set_segments (VigieTimeline *self,
                             GArray        *segments,
                             gint64         from_us,
                             gint64         to_us)
{
  g_autofree char *description = NULL;

  g_return_if_fail (VIGIE_IS_TIMELINE (self));
  g_return_if_fail (segments != NULL);

  g_array_set_size (self->segments, 0);
  g_array_append_vals (self->segments, segments->data, segments->len);
  self->from_us = from_us;
  self->to_us = to_us;

  description = vigie_timeline_describe (self);
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self)), description);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * vigie_timeline_get_segments:
 * @self: a #VigieTimeline
 *
 * Returns: (transfer none) (element-type VigieSegment): the segments shown
 */
GArray *
vigie_timeline_get_segments (VigieTimeline *self)
{
  g_return_val_if_fail (VIGIE_IS_TIMELINE (self), NULL);
  return self->segments;
}
