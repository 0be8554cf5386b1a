/* vigie-window.c — the details window; see the header.
 *
 * Rows are built in code (their number follows the settings) and kept in a
 * table by service id; every round updates their labels in place and asks
 * the list to sort again, so nothing is rebuilt under the user's pointer.
 * Every text that may come from a vendor (reasons, incident titles and
 * updates) goes into plain-text labels, never into markup.
 */
#define G_LOG_DOMAIN "vigie-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vigie-report.h"
#include "vigie-timeline.h"
#include "vigie-tray.h"
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
  GHashTable *rows;             /* id → GtkListBoxRow, owned by the list */
  GHashTable *latest_updates;   /* id → the vendor's latest update, from the last round */
  GtkFileChooserNative *export_dialog;
};

G_DEFINE_FINAL_TYPE (VigieWindow, vigie_window, GTK_TYPE_APPLICATION_WINDOW)

/* The widgets of one row, hung on the row itself. */
typedef struct
{
  VigieService *service;
  GtkImage *icon;
  GtkLabel *name;
  GtkLabel *provider;
  GtkWidget *muted;
  GtkLabel *since;
  GtkLabel *reason;
  GtkLabel *update;
  VigieTimeline *timeline;
  GtkLabel *facts;
  GtkWidget *status_link;
  GtkWidget *downdetector_link;
  GtkWidget *incident_link;
  GtkMenuButton *menu_button;
  GMenu *menu;
  gint64 menu_mute;             /* the mute the menu was built for */
  gboolean menu_built;
} Row;

static void
row_free (Row *row)
{
  g_clear_pointer (&row->service, vigie_service_unref);
  g_clear_object (&row->menu);
  g_free (row);
}

static Row *
row_get (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), "vigie-row");
}

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
  VigieService *sa = row_get (GTK_WIDGET (a))->service;
  VigieService *sb = row_get (GTK_WIDGET (b))->service;
  int diff = rank (self->monitor, sa) - rank (self->monitor, sb);

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


/* Links go through app.open-url, which opens web pages only: a status page
 * URL comes from a file the user may have been sent. */
static gboolean
on_activate_link (GtkLinkButton *button,
                  VigieWindow   *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (application != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (application), "open-url",
                                    g_variant_new_string (gtk_link_button_get_uri (button)));
  return GDK_EVENT_STOP;
}

static GtkWidget *
link_new (VigieWindow *self,
          const char  *label,
          const char  *name)
{
  GtkWidget *link = gtk_link_button_new_with_label ("https://invalid/", label);

  gtk_widget_set_name (link, name);
  gtk_widget_set_valign (link, GTK_ALIGN_CENTER);
  g_signal_connect (link, "activate-link", G_CALLBACK (on_activate_link), self);
  return link;
}

static GtkLabel *
label_new (const char *name,
           gboolean    wrap,
           gboolean    dim)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_name (label, name);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (wrap)
    {
      gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_line_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
    }
  if (dim)
    gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
  return GTK_LABEL (label);
}

static GtkWidget *
row_new (VigieWindow  *self,
         VigieService *service)
{
  GtkWidget *widget = gtk_list_box_row_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *footer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *menu_icon = gtk_image_new_from_icon_name ("view-more-symbolic", GTK_ICON_SIZE_BUTTON);
  Row *row = g_new0 (Row, 1);
  PangoAttrList *bold = pango_attr_list_new ();

  row->service = vigie_service_ref (service);
  g_object_set_data_full (G_OBJECT (widget), "vigie-row", row, (GDestroyNotify) row_free);
  gtk_widget_set_name (widget, service->id);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (widget), FALSE);

  g_object_set (grid, "margin-start", 12, "margin-end", 6, "margin-top", 12, "margin-bottom", 12,
                "column-spacing", 12, "row-spacing", 6, NULL);

  row->icon = GTK_IMAGE (gtk_image_new_from_icon_name ("vigie-unknown", GTK_ICON_SIZE_DND));
  gtk_image_set_pixel_size (row->icon, 32);
  gtk_widget_set_valign (GTK_WIDGET (row->icon), GTK_ALIGN_START);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (row->icon), 0, 0, 1, 3);

  row->name = label_new ("name", FALSE, FALSE);
  pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_attributes (row->name, bold);
  pango_attr_list_unref (bold);
  gtk_label_set_ellipsize (row->name, PANGO_ELLIPSIZE_END);
  row->provider = label_new ("provider", FALSE, TRUE);
  gtk_label_set_ellipsize (row->provider, PANGO_ELLIPSIZE_END);
  row->muted = gtk_image_new_from_icon_name ("notifications-disabled-symbolic",
                                             GTK_ICON_SIZE_MENU);
  gtk_widget_set_name (row->muted, "muted");
  gtk_widget_set_no_show_all (row->muted, TRUE);
  row->since = label_new ("since", FALSE, FALSE);
  gtk_label_set_xalign (row->since, 1);
  gtk_widget_set_hexpand (GTK_WIDGET (row->since), TRUE);
  gtk_widget_set_halign (GTK_WIDGET (row->since), GTK_ALIGN_END);
  gtk_container_add (GTK_CONTAINER (header), GTK_WIDGET (row->name));
  gtk_container_add (GTK_CONTAINER (header), GTK_WIDGET (row->provider));
  gtk_container_add (GTK_CONTAINER (header), row->muted);
  gtk_container_add (GTK_CONTAINER (header), GTK_WIDGET (row->since));
  gtk_widget_set_hexpand (header, TRUE);
  gtk_grid_attach (GTK_GRID (grid), header, 1, 0, 1, 1);

  row->menu_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  row->menu = g_menu_new ();
  gtk_menu_button_set_menu_model (row->menu_button, G_MENU_MODEL (row->menu));
  gtk_widget_set_name (GTK_WIDGET (row->menu_button), "row-menu");
  gtk_container_add (GTK_CONTAINER (row->menu_button), menu_icon);
  gtk_button_set_relief (GTK_BUTTON (row->menu_button), GTK_RELIEF_NONE);
  gtk_widget_set_valign (GTK_WIDGET (row->menu_button), GTK_ALIGN_START);
  {
    /* Translators: tooltip and accessible name of a row's menu button */
    g_autofree char *tip = g_strdup_printf (_("Notifications for %s"), service->name);
    gtk_widget_set_tooltip_text (GTK_WIDGET (row->menu_button), tip);
    atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (row->menu_button)), tip);
  }
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (row->menu_button), 2, 0, 1, 1);

  row->reason = label_new ("reason", TRUE, FALSE);
  gtk_label_set_selectable (row->reason, TRUE);
  gtk_widget_set_can_focus (GTK_WIDGET (row->reason), FALSE);
  gtk_widget_set_no_show_all (GTK_WIDGET (row->reason), TRUE);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (row->reason), 1, 1, 2, 1);

  row->update = label_new ("update", TRUE, TRUE);
  gtk_label_set_lines (row->update, 3);
  gtk_label_set_ellipsize (row->update, PANGO_ELLIPSIZE_END);
  gtk_widget_set_no_show_all (GTK_WIDGET (row->update), TRUE);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (row->update), 1, 2, 2, 1);

  row->timeline = VIGIE_TIMELINE (vigie_timeline_new ());
  gtk_widget_set_name (GTK_WIDGET (row->timeline), "timeline");
  gtk_widget_set_hexpand (GTK_WIDGET (row->timeline), TRUE);
  gtk_widget_set_no_show_all (GTK_WIDGET (row->timeline), TRUE);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (row->timeline), 1, 3, 2, 1);

  row->facts = label_new ("facts", TRUE, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (row->facts), TRUE);
  row->incident_link = link_new (self, _("Incident"), "incident-link");
  row->status_link = link_new (self, _("Status page"), "status-link");
  row->downdetector_link = link_new (self, _("DownDetector"), "downdetector-link");
  gtk_widget_set_no_show_all (row->incident_link, TRUE);
  gtk_widget_set_no_show_all (row->status_link, TRUE);
  gtk_widget_set_no_show_all (row->downdetector_link, TRUE);
  gtk_container_add (GTK_CONTAINER (footer), GTK_WIDGET (row->facts));
  gtk_container_add (GTK_CONTAINER (footer), row->incident_link);
  gtk_container_add (GTK_CONTAINER (footer), row->status_link);
  gtk_container_add (GTK_CONTAINER (footer), row->downdetector_link);
  gtk_grid_attach (GTK_GRID (grid), footer, 1, 4, 2, 1);

  gtk_container_add (GTK_CONTAINER (widget), grid);
  gtk_widget_show_all (widget);
  return widget;
}

static void
set_link (GtkWidget  *link,
          const char *url)
{
  gboolean web = url != NULL
                 && (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://"));

  if (web)
    gtk_link_button_set_uri (GTK_LINK_BUTTON (link), url);
  gtk_widget_set_visible (link, web);
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  /* Setting the same text again would still queue a resize. */
  if (g_strcmp0 (gtk_label_get_text (label), text ? text : "") != 0)
    gtk_label_set_text (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

/* The row's menu says what can be done now: mute, or unmute. The menu is
 * refilled rather than replaced: a new model would rebuild the popover. */
static void
row_menu_fill (GMenu        *menu,
               VigieService *service,
               gint64        mute)
{
  g_autoptr(GMenuItem) item = NULL;

  g_menu_remove_all (menu);
  if (mute == 0)
    {
      const char *ids[] = { service->id, NULL };

      item = g_menu_item_new (_("Mute Until It's _Back"), NULL);
      g_menu_item_set_action_and_target_value (item, "app.mute", g_variant_new_strv (ids, -1));
      g_menu_append_item (menu, item);
      g_clear_object (&item);
      item = g_menu_item_new (_("Mute for 1 _Hour"), NULL);
      g_menu_item_set_action_and_target_value (item, "win.mute-hour",
                                               g_variant_new_string (service->id));
      g_menu_append_item (menu, item);
    }
  else
    {
      item = g_menu_item_new (_("_Unmute"), NULL);
      g_menu_item_set_action_and_target_value (item, "win.unmute",
                                               g_variant_new_string (service->id));
      g_menu_append_item (menu, item);
    }
}

static void
row_update_mute (Row         *row,
                 VigieConfig *config,
                 gint64       now_us)
{
  gint64 mute = vigie_config_get_mute (config, row->service->id, now_us / G_USEC_PER_SEC);
  g_autofree char *tip = NULL;

  if (mute == VIGIE_MUTE_UNTIL_BACK)
    tip = g_strdup (_("Notifications muted until it's back"));
  else if (mute > 0)
    {
      g_autofree char *when = vigie_report_time (mute * G_USEC_PER_SEC, now_us);
      /* Translators: %s is a time ("18:40") */
      tip = g_strdup_printf (_("Notifications muted until %s"), when);
    }
  gtk_widget_set_tooltip_text (row->muted, tip);
  if (tip != NULL)
    atk_object_set_name (gtk_widget_get_accessible (row->muted), tip);
  gtk_widget_set_visible (row->muted, mute != 0);

  if (!row->menu_built || (mute == 0) != (row->menu_mute == 0))
    {
      row_menu_fill (row->menu, row->service, mute);
      row->menu_built = TRUE;
    }
  row->menu_mute = mute;
}

static char *
row_facts (VigieHistory             *history,
           VigieService             *service,
           const VigieServiceStatus *status,
           gint64                    now_us)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (status != NULL && status->layer == VIGIE_LAYER_OK && status->latency_ms > 0)
    /* Translators: the front door's answer time */
    g_ptr_array_add (parts, g_strdup_printf (_("Latency %.0f ms"), status->latency_ms));
  if (history != NULL)
    {
      g_autofree char *day = vigie_report_uptime (vigie_history_uptime (history, service->id,
                                                                        now_us - DAY_US, now_us));
      g_autofree char *week = vigie_report_uptime (vigie_history_uptime (history, service->id,
                                                                         now_us - 7 * DAY_US,
                                                                         now_us));
      if (day != NULL && week != NULL)
        /* Translators: uptime over the last 24 hours and the last 7 days:
         * "Uptime 99.8 % (24 h), 99.9 % (7 d)" */
        g_ptr_array_add (parts, g_strdup_printf (_("Uptime %s (24 h), %s (7 d)"), day, week));
      else if (day != NULL)
        /* Translators: "Uptime 99.8 % (24 h)" */
        g_ptr_array_add (parts, g_strdup_printf (_("Uptime %s (24 h)"), day));
    }
  g_ptr_array_add (parts, NULL);
  /* Translators: separates facts on a line: "Latency 120 ms · Uptime 99.8 % (24 h)" */
  return g_strjoinv (_(" · "), (char **) parts->pdata);
}

static void
row_update (VigieWindow  *self,
            GtkWidget    *widget,
            VigieService *service,
            gint64        now_us)
{
  Row *row = row_get (widget);
  VigieHistory *history = vigie_monitor_get_history (self->monitor);
  const VigieServiceStatus *status =
    vigie_tracker_lookup (vigie_monitor_get_tracker (self->monitor), service->id);
  VigieState state = status ? status->state : VIGIE_STATE_UNKNOWN;
  const char *update = g_hash_table_lookup (self->latest_updates, service->id);
  g_autofree char *since = NULL;
  g_autofree char *since_tip = NULL;
  g_autofree char *facts = NULL;
  g_autofree char *official = NULL;
  g_autofree char *reason = NULL;

  /* A custom service edited in the preferences is a new object. */
  if (row->service != service)
    {
      vigie_service_unref (row->service);
      row->service = vigie_service_ref (service);
    }

  gtk_image_set_from_icon_name (row->icon, icon_for_state (state), GTK_ICON_SIZE_DND);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (row->icon)),
                       vigie_state_label (state));
  set_label (row->name, service->name);
  set_label (row->provider, service->provider);

  since = vigie_report_state_for (state, status ? status->since_us : 0, now_us);
  if (status != NULL && status->flapping)
    {
      /* Translators: appended to "Down for 5 min" for a service that keeps changing */
      g_autofree char *unstable = g_strdup_printf (_("%s · unstable"), since);
      g_free (since);
      since = g_steal_pointer (&unstable);
    }
  set_label (row->since, since);
  if (status != NULL && state != VIGIE_STATE_UNKNOWN)
    {
      g_autofree char *when = vigie_report_time (status->since_us, now_us);
      /* Translators: tooltip of "Down for 2 h": %s is a time ("17:40") */
      since_tip = g_strdup_printf (_("Since %s"), when);
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->since), since_tip);

  /* Why, when there is something to explain: a problem, or a failure being
   * confirmed. All is well needs no words. */
  if (status != NULL && (state != VIGIE_STATE_OPERATIONAL || status->suspect))
    reason = vigie_report_status_reason (service, status);
  set_label (row->reason, reason);

  if (status != NULL && status->incident_title != NULL && update != NULL)
    /* Translators: the vendor's latest update on its incident */
    official = g_strdup_printf (_("Latest official update: %s"), update);
  set_label (row->update, official);

  if (history != NULL)
    {
      g_autoptr(GArray) segments = vigie_history_segments (history, service->id,
                                                           now_us - DAY_US, now_us);
      vigie_timeline_set_segments (row->timeline, segments, now_us - DAY_US, now_us);
    }
  gtk_widget_set_visible (GTK_WIDGET (row->timeline), history != NULL);

  facts = row_facts (history, service, status, now_us);
  set_label (row->facts, facts);
  gtk_widget_set_visible (GTK_WIDGET (row->facts), TRUE);  /* keeps the links to the right */

  set_link (row->incident_link, status ? status->incident_url : NULL);
  set_link (row->status_link, service->status_page);
  set_link (row->downdetector_link, service->downdetector);
  row_update_mute (row, vigie_monitor_get_config (self->monitor), now_us);
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
  gtk_image_set_from_icon_name (self->banner_icon, vigie_tray_icon_for (overall),
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
          row = row_new (self, service);
          gtk_container_add (GTK_CONTAINER (self->list), row);
          g_hash_table_insert (self->rows, g_strdup (service->id), row);
        }
      row_update (self, row, service, now);
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
    g_strv_builder_add (ids, row_get (GTK_WIDGET (row))->service->id);
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
  return row ? row_get (row)->timeline : NULL;
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
