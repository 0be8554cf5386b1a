/* vigie-window.c — the details window.
 *
 * One row per watched service, worst first, updated in place on every
 * round (rows are kept by service id, so scrolling and focus survive).
 */
#define G_LOG_DOMAIN "vigie-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vigie-report.h"
#include "vigie-tray.h"
#include "vigie-window.h"

struct _VigieWindow
{
  GtkApplicationWindow parent_instance;

  GtkLabel *banner;
  GtkListBox *list;
  GtkStack *check_stack;

  VigieMonitor *monitor;
  GHashTable *rows;   /* id → GtkListBoxRow */
};

G_DEFINE_FINAL_TYPE (VigieWindow, vigie_window, GTK_TYPE_APPLICATION_WINDOW)

static int
severity (VigieMonitor *monitor,
          VigieService *service)
{
  const VigieServiceStatus *status =
    vigie_tracker_lookup (vigie_monitor_get_tracker (monitor), service->id);

  return status ? status->state : VIGIE_STATE_UNKNOWN;
}

static int
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  VigieWindow *self = user_data;
  VigieService *sa = g_object_get_data (G_OBJECT (a), "service");
  VigieService *sb = g_object_get_data (G_OBJECT (b), "service");
  int diff = severity (self->monitor, sb) - severity (self->monitor, sa);

  return diff != 0 ? diff : g_utf8_collate (sa->name, sb->name);
}

static const char *
icon_for_state (VigieState state)
{
  switch (state)
    {
    case VIGIE_STATE_OPERATIONAL: return "vigie-operational";
    case VIGIE_STATE_MAINTENANCE:
    case VIGIE_STATE_DEGRADED: return "vigie-degraded";
    case VIGIE_STATE_DOWN: return "vigie-down";
    case VIGIE_STATE_UNKNOWN:
    default: return "vigie-unknown";
    }
}

static GtkWidget *
row_new (VigieService *service)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new_from_icon_name ("vigie-unknown", GTK_ICON_SIZE_LARGE_TOOLBAR);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);

  g_object_set (box, "margin-start", 18, "margin-end", 18, "margin-top", 8, "margin-bottom", 8,
                NULL);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_line_wrap (GTK_LABEL (detail), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (detail), "dim-label");
  gtk_container_add (GTK_CONTAINER (text), title);
  gtk_container_add (GTK_CONTAINER (text), detail);
  gtk_container_add (GTK_CONTAINER (box), icon);
  gtk_container_add (GTK_CONTAINER (box), text);
  gtk_container_add (GTK_CONTAINER (row), box);

  g_object_set_data_full (G_OBJECT (row), "service", vigie_service_ref (service),
                          (GDestroyNotify) vigie_service_unref);
  g_object_set_data (G_OBJECT (row), "icon", icon);
  g_object_set_data (G_OBJECT (row), "title", title);
  g_object_set_data (G_OBJECT (row), "detail", detail);
  gtk_widget_show_all (row);
  return row;
}

static void
row_update (GtkWidget    *row,
            VigieMonitor *monitor,
            gint64        now)
{
  VigieService *service = g_object_get_data (G_OBJECT (row), "service");
  const VigieServiceStatus *status =
    vigie_tracker_lookup (vigie_monitor_get_tracker (monitor), service->id);
  VigieState state = status ? status->state : VIGIE_STATE_UNKNOWN;
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *escaped_name = g_markup_escape_text (service->name, -1);
  g_autofree char *escaped_provider = g_markup_escape_text (service->provider, -1);

  title = g_strdup_printf ("<b>%s</b>  <small>%s · %s</small>", escaped_name, escaped_provider,
                           vigie_state_label (state));
  if (status != NULL && status->reason != NULL)
    {
      g_autofree char *lasted = vigie_report_duration ((now - status->since_us) / G_USEC_PER_SEC);
      /* Translators: "for 2 h 14 min — facebook.com: name lookup failed" */
      detail = g_strdup_printf (_("for %s — %s"), lasted, status->reason);
    }
  else
    detail = g_strdup (_("Not checked yet"));

  gtk_image_set_from_icon_name (g_object_get_data (G_OBJECT (row), "icon"),
                                icon_for_state (state), GTK_ICON_SIZE_LARGE_TOOLBAR);
  /* The service name is ours, the reason may be the vendor's: plain text. */
  gtk_label_set_markup (g_object_get_data (G_OBJECT (row), "title"), title);
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "detail"), detail);
}

static void
refresh (VigieWindow *self)
{
  GPtrArray *services = vigie_monitor_get_services (self->monitor);
  g_autoptr(GHashTable) keep = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *verdict = vigie_tray_describe (self->monitor);
  gint64 now = g_get_real_time ();
  GHashTableIter iter;
  gpointer key, value;

  gtk_label_set_text (self->banner, verdict);
  for (guint i = 0; i < services->len; i++)
    {
      VigieService *service = g_ptr_array_index (services, i);
      GtkWidget *row = g_hash_table_lookup (self->rows, service->id);

      if (row == NULL)
        {
          row = row_new (service);
          gtk_container_add (GTK_CONTAINER (self->list), row);
          g_hash_table_insert (self->rows, g_strdup (service->id), row);
        }
      row_update (row, self->monitor, now);
      g_hash_table_add (keep, service->id);
    }

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (keep, key))
      {
        gtk_widget_destroy (value);
        g_hash_table_iter_remove (&iter);
      }
  gtk_list_box_invalidate_sort (self->list);
}

static void
on_busy (VigieWindow *self)
{
  gtk_stack_set_visible_child_name (self->check_stack,
                                    vigie_monitor_get_busy (self->monitor) ? "spinner" : "label");
}

static void
vigie_window_dispose (GObject *object)
{
  VigieWindow *self = VIGIE_WINDOW (object);

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (vigie_window_parent_class)->dispose (object);
}

static void
vigie_window_class_init (VigieWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vigie_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/vigie-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VigieWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, VigieWindow, list);
  gtk_widget_class_bind_template_child (widget_class, VigieWindow, check_stack);
}

static void
vigie_window_init (VigieWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * vigie_window_new:
 * @application: the application
 * @monitor: the monitor to show
 *
 * Returns: (transfer none): a new details window
 */
VigieWindow *
vigie_window_new (GtkApplication *application,
                  VigieMonitor   *monitor)
{
  VigieWindow *self = g_object_new (VIGIE_TYPE_WINDOW, "application", application, NULL);

  self->monitor = g_object_ref (monitor);
  gtk_list_box_set_sort_func (self->list, sort_rows, self, NULL);
  g_signal_connect_swapped (monitor, "round-finished", G_CALLBACK (refresh), self);
  g_signal_connect_swapped (monitor, "notify::overall", G_CALLBACK (refresh), self);
  g_signal_connect_swapped (monitor, "notify::busy", G_CALLBACK (on_busy), self);
  refresh (self);
  on_busy (self);
  return self;
}

const char *
vigie_window_get_banner (VigieWindow *self)
{
  g_return_val_if_fail (VIGIE_IS_WINDOW (self), NULL);
  return gtk_label_get_text (self->banner);
}

guint
vigie_window_get_n_rows (VigieWindow *self)
{
  g_return_val_if_fail (VIGIE_IS_WINDOW (self), 0);
  return g_hash_table_size (self->rows);
}
