/* vigie-window.c — the details window; see the header.
 *
 * The window owns the banner, the list's order, the header bar's actions
 * (export, mute for an hour, unmute) and the vendor's latest words from the
 * last round. Each service is a VigieWindowRow (vigie-window-row.c), kept in
 * a table by service id; every round updates the rows in place and asks the
 * list to sort again, so nothing is rebuilt under the user's pointer.
 */
#define G_LOG_DOMAIN "vigie-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vigie-report.h"
#include "vigie-timeline.h"
#include "vigie-tray.h"
#include "vigie-window-row.h"
#include "vigie-window.h"

#define DAY_US ((gint64) 24 * 3600 * G_USEC_PER_SEC)
#define EXPORT_DAYS 30

struct _VigieWindow
{
  GtkApplicationWindow parent_instance;

  GtkLabel *banner;
  GtkLabel *banner_detail;
  GtkImage *banner_icon;
  GtkListBox *list;
  GtkStack *check_stack;
  GtkInfoBar *info_bar;
  GtkLabel *info_label;

  VigieMonitor *monitor;
  GHashTable *rows;             /* id → VigieWindowRow, owned by the list */
  GHashTable *latest_updates;   /* id → the vendor's latest update, from the last round */
  GtkFileChooserNative *export_dialog;
};

G_DEFINE_FINAL_TYPE (VigieWindow, vigie_window, GTK_TYPE_APPLICATION_WINDOW)

/* Worst first: down, degraded, maintenance, unknown (can't tell), operational. */
static int
rank (VigieMonitor *monitor,
      VigieService *service)
{
  const VigieServiceStatus *status =
    vigie_tracker_lookup (vigie_monitor_get_tracker (monitor), service->id);

  switch (status ? status->state : VIGIE_STATE_UNKNOWN)
    {
    case VIGIE_STATE_DOWN: return 0;
    case VIGIE_STATE_DEGRADED: return 1;
    case VIGIE_STATE_MAINTENANCE: return 2;
    case VIGIE_STATE_UNKNOWN: return 3;
    case VIGIE_STATE_OPERATIONAL:
    default: return 4;
    }
}

static int
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  VigieWindow *self = user_data;
  VigieService *sa = vigie_window_row_get_service (VIGIE_WINDOW_ROW (a));
  VigieService *sb = vigie_window_row_get_service (VIGIE_WINDOW_ROW (b));
  int diff = rank (self->monitor, sa) - rank (self->monitor, sb);

  return diff != 0 ? diff : g_utf8_collate (sa->name, sb->name);
}

static void
show_info (VigieWindow    *self,
           GtkMessageType  type,
           const char     *message)
{
  gtk_info_bar_set_message_type (self->info_bar, type);
  gtk_label_set_text (self->info_label, message);
  gtk_info_bar_set_revealed (self->info_bar, TRUE);
}

static void
on_info_bar_response (GtkInfoBar  *info_bar,
                      int          response,
                      VigieWindow *self)
{
  gtk_info_bar_set_revealed (info_bar, FALSE);
}

static void
update_banner (VigieWindow *self,
               gint64       now_us)
{
  VigieOverall overall = vigie_monitor_get_overall (self->monitor);
  VigieConnectivity connectivity = vigie_monitor_get_connectivity (self->monitor);
  gint64 last = vigie_monitor_get_last_round_at (self->monitor);
  g_autofree char *banner = NULL;
  g_autofree char *detail = NULL;

  if (overall == VIGIE_OVERALL_PAUSED)
    banner = vigie_tray_describe (self->monitor);
  else
    banner = vigie_report_banner (vigie_monitor_get_services (self->monitor),
                                  vigie_monitor_get_tracker (self->monitor), connectivity, now_us);

  if (connectivity == VIGIE_CONNECTIVITY_OFFLINE
      || connectivity == VIGIE_CONNECTIVITY_CAPTIVE_PORTAL)
    detail = vigie_report_connectivity_detail (
               vigie_monitor_get_connectivity_evidence (self->monitor));
  else if (last > 0)
    {
      g_autofree char *when = vigie_report_time (last, now_us);
      /* Translators: "Your connection works · last checked at 17:42" */
      detail = g_strdup_printf (_("%s · last checked at %s"),
                                vigie_report_connectivity (connectivity), when);
    }
  else
    detail = g_strdup (vigie_report_connectivity (connectivity));

  gtk_label_set_text (self->banner, banner);
  gtk_label_set_text (self->banner_detail, detail ? detail : "");
  gtk_image_set_from_icon_name (self->banner_icon, vigie_report_overall_icon (overall),
                                GTK_ICON_SIZE_DIALOG);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->banner_icon)), banner);
}

static void
refresh (VigieWindow *self)
{
  GPtrArray *services = vigie_monitor_get_services (self->monitor);
  g_autoptr(GHashTable) keep = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 now = g_get_real_time ();
  GHashTableIter iter;
  gpointer key, value;

  update_banner (self, now);
  for (guint i = 0; i < services->len; i++)
    {
      VigieService *service = g_ptr_array_index (services, i);
      GtkWidget *row = g_hash_table_lookup (self->rows, service->id);

      if (row == NULL)
        {
          row = vigie_window_row_new (service);
          gtk_container_add (GTK_CONTAINER (self->list), row);
          g_hash_table_insert (self->rows, g_strdup (service->id), row);
        }
      vigie_window_row_update (VIGIE_WINDOW_ROW (row), service, self->monitor,
                               g_hash_table_lookup (self->latest_updates, service->id), now);
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
on_round_finished (VigieMonitor *monitor,
                   VigieRound   *round,
                   VigieWindow  *self)
{
  /* The tracker keeps the incident's title but not the vendor's latest
   * words: take them from the round, when it counted (online). */
  if (round != NULL && round->connectivity == VIGIE_CONNECTIVITY_ONLINE)
    {
      g_hash_table_remove_all (self->latest_updates);
      for (guint i = 0; i < round->observations->len; i++)
        {
          VigieObservation *observation = g_ptr_array_index (round->observations, i);
          char *update = observation->official
                           ? vigie_report_latest_update (observation->official)
                           : NULL;
          if (update != NULL)
            g_hash_table_insert (self->latest_updates, g_strdup (observation->service->id),
                                 update);
        }
    }
  refresh (self);
}

static void
on_busy (VigieWindow *self)
{
  gtk_stack_set_visible_child_name (self->check_stack,
                                    vigie_monitor_get_busy (self->monitor) ? "spinner" : "label");
}

static void
on_mute_hour (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  VigieWindow *self = user_data;
  VigieConfig *config = vigie_monitor_get_config (self->monitor);
  const char *id = g_variant_get_string (parameter, NULL);

  if (vigie_config_lookup_service (config, id) == NULL)
    return;
  vigie_config_set_mute (config, id, g_get_real_time () / G_USEC_PER_SEC + 3600);
  vigie_config_commit (config);
}

static void
on_unmute (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  VigieWindow *self = user_data;
  VigieConfig *config = vigie_monitor_get_config (self->monitor);

  vigie_config_set_mute (config, g_variant_get_string (parameter, NULL), 0);
  vigie_config_commit (config);
}

/**
 * vigie_window_export_to:
 * @self: a #VigieWindow
 * @file: where to write
 * @error: return location for a #GError
 *
 * Writes the outages of the last 30 days as CSV (vigie_history_format_csv()).
 *
 * Returns: %TRUE on success
 */
gboolean
vigie_window_export_to (VigieWindow  *self,
                        GFile        *file,
                        GError      **error)
{
  VigieHistory *history;
  g_autoptr(GPtrArray) outages = NULL;
  g_autofree char *csv = NULL;
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (VIGIE_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  history = vigie_monitor_get_history (self->monitor);
  if (history == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("There is no outage log to export"));
      return FALSE;
    }
  outages = vigie_history_outages (history, now - EXPORT_DAYS * DAY_US, now, error);
  if (outages == NULL)
    return FALSE;
  csv = vigie_history_format_csv (outages, now);
  return g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    VigieWindow     *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->export_dialog);
  if (file == NULL)
    return;

  if (vigie_window_export_to (self, file, &error))
    {
      g_autofree char *name = g_file_get_basename (file);
      /* Translators: %s is a file name */
      g_autofree char *message = g_strdup_printf (_("The outage log was saved as %s."), name);
      show_info (self, GTK_MESSAGE_INFO, message);
    }
  else
    {
      /* Translators: %s says why */
      g_autofree char *message = g_strdup_printf (_("The outage log could not be saved: %s"),
                                                  error->message);
      show_info (self, GTK_MESSAGE_ERROR, message);
    }
}

static void
on_export (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  VigieWindow *self = user_data;
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (today, "vigie-outages-%Y-%m-%d.csv");
  GtkFileFilter *filter = gtk_file_filter_new ();

  if (self->export_dialog != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->export_dialog));
      return;
    }
  self->export_dialog = gtk_file_chooser_native_new (_("Export Outage Log"), GTK_WINDOW (self),
                                                     GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                                     _("_Cancel"));
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (self->export_dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->export_dialog), name);
  gtk_file_filter_set_name (filter, _("Spreadsheets (CSV)"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->export_dialog), filter);
  g_signal_connect (self->export_dialog, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->export_dialog));
}

static const GActionEntry win_actions[] = {
  { "export", on_export, NULL, NULL, NULL },
  { "mute-hour", on_mute_hour, "s", NULL, NULL },
  { "unmute", on_unmute, "s", NULL, NULL },
};

static void
vigie_window_dispose (GObject *object)
{
  VigieWindow *self = VIGIE_WINDOW (object);

  if (self->export_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->export_dialog, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_dialog));
      g_clear_object (&self->export_dialog);
    }
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_signal_handlers_disconnect_by_data (vigie_monitor_get_config (self->monitor), self);
    }
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->latest_updates, g_hash_table_unref);

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
  gtk_widget_class_bind_template_child (widget_class, VigieWindow, banner_detail);
  gtk_widget_class_bind_template_child (widget_class, VigieWindow, banner_icon);
  gtk_widget_class_bind_template_child (widget_class, VigieWindow, list);
  gtk_widget_class_bind_template_child (widget_class, VigieWindow, check_stack);
  gtk_widget_class_bind_template_child (widget_class, VigieWindow, info_bar);
  gtk_widget_class_bind_template_child (widget_class, VigieWindow, info_label);
  gtk_widget_class_bind_template_callback (widget_class, on_info_bar_response);
}

static void
vigie_window_init (VigieWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->latest_updates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);
}

/**
 * vigie_window_new:
 * @application: (nullable): the application, whose actions the window uses
 * @monitor: the monitor to show
 *
 * Returns: (transfer none): a new details window
 */
VigieWindow *
vigie_window_new (GtkApplication *application,
                  VigieMonitor   *monitor)
{
  VigieWindow *self;
  GAction *export;

  g_return_val_if_fail (VIGIE_IS_MONITOR (monitor), NULL);

  self = g_object_new (VIGIE_TYPE_WINDOW, "application", application, NULL);
  self->monitor = g_object_ref (monitor);
  export = g_action_map_lookup_action (G_ACTION_MAP (self), "export");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (export),
                               vigie_monitor_get_history (monitor) != NULL);
  if (application != NULL)
    {
      static const char *const check_accels[] = { "<Primary>r", "F5", NULL };
      static const char *const export_accels[] = { "<Primary>e", NULL };
      static const char *const preferences_accels[] = { "<Primary>comma", NULL };

      gtk_application_set_accels_for_action (application, "app.check-now", check_accels);
      gtk_application_set_accels_for_action (application, "win.export", export_accels);
      gtk_application_set_accels_for_action (application, "app.preferences", preferences_accels);
    }

  gtk_list_box_set_sort_func (self->list, sort_rows, self, NULL);
  g_signal_connect (monitor, "round-finished", G_CALLBACK (on_round_finished), self);
  g_signal_connect_swapped (monitor, "notify::overall", G_CALLBACK (refresh), self);
  g_signal_connect_swapped (monitor, "notify::busy", G_CALLBACK (on_busy), self);
  /* Mutes and the list of services are settings: follow them at once. The
   * monitor connected first, so its list of services is already new. */
  g_signal_connect_swapped (vigie_monitor_get_config (monitor), "changed", G_CALLBACK (refresh),
                            self);
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

/**
 * vigie_window_get_row_ids:
 * @self: a #VigieWindow
 *
 * Returns: (transfer full): the ids of the services shown, in display order
 */
GStrv
vigie_window_get_row_ids (VigieWindow *self)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  GtkListBoxRow *row;

  g_return_val_if_fail (VIGIE_IS_WINDOW (self), NULL);

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->list, i)) != NULL; i++)
    g_strv_builder_add (ids, vigie_window_row_get_service (VIGIE_WINDOW_ROW (row))->id);
  return g_strv_builder_end (ids);
}

/**
 * vigie_window_get_row:
 * @self: a #VigieWindow
 * @service_id: a watched service
 *
 * Returns: (transfer none) (nullable): its row; its labels are named
 *   "name", "provider", "since", "reason", "update", "facts", its timeline
 *   "timeline", its mute indicator "muted" and its menu button "row-menu"
 */
GtkWidget *
vigie_window_get_row (VigieWindow *self,
                      const char  *service_id)
{
  g_return_val_if_fail (VIGIE_IS_WINDOW (self), NULL);
  return g_hash_table_lookup (self->rows, service_id);
}

/**
 * vigie_window_get_timeline:
 * @self: a #VigieWindow
 * @service_id: a watched service
 *
 * Returns: (transfer none) (nullable): its timeline
 */
VigieTimeline *
vigie_window_get_timeline (VigieWindow *self,
                           const char  *service_id)
{
  GtkWidget *row;

  g_return_val_if_fail (VIGIE_IS_WINDOW (self), NULL);
  row = g_hash_table_lookup (self->rows, service_id);
  return row ? vigie_window_row_get_timeline (VIGIE_WINDOW_ROW (row)) : NULL;
}

/**
 * vigie_window_get_info_bar:
 * @self: a #VigieWindow
 *
 * Returns: (transfer none): the bar that shows errors and confirmations
 */
GtkInfoBar *
vigie_window_get_info_bar (VigieWindow *self)
{
  g_return_val_if_fail (VIGIE_IS_WINDOW (self), NULL);
  return self->info_bar;
}
