/* vigie-window-row.c — one watched service in the details window; see the
 * header.
 *
 * The row is built in code, not from a template: the window makes one per
 * watched service, and their number follows the settings. Every text that
 * may come from a vendor (reasons, incident titles and updates) goes into
 * plain-text labels, never into markup.
 */
#define G_LOG_DOMAIN "vigie-window-row"

#include "config.h"

#include <glib/gi18n.h>

#include "vigie-report.h"
#include "vigie-timeline.h"
#include "vigie-window-row.h"

#define DAY_US ((gint64) 24 * 3600 * G_USEC_PER_SEC)

struct _VigieWindowRow
{
  GtkListBoxRow parent_instance;

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
};

G_DEFINE_FINAL_TYPE (VigieWindowRow, vigie_window_row, GTK_TYPE_LIST_BOX_ROW)

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

/* Links go through app.open-url, which opens web pages only: a status page
 * URL comes from a file the user may have been sent. The application is the
 * window's: a row outside a window opens nothing. */
static gboolean
on_activate_link (GtkLinkButton *button,
                  gpointer       user_data)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (button));
  GtkApplication *application = NULL;

  if (GTK_IS_WINDOW (toplevel))
    application = gtk_window_get_application (GTK_WINDOW (toplevel));
  if (application != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (application), "open-url",
                                    g_variant_new_string (gtk_link_button_get_uri (button)));
  return GDK_EVENT_STOP;
}

static GtkWidget *
link_new (const char *label,
          const char *name)
{
  GtkWidget *link = gtk_link_button_new_with_label ("https://invalid/", label);

  gtk_widget_set_name (link, name);
  gtk_widget_set_valign (link, GTK_ALIGN_CENTER);
  g_signal_connect (link, "activate-link", G_CALLBACK (on_activate_link), NULL);
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
row_update_mute (VigieWindowRow *self,
                 VigieConfig    *config,
                 gint64          now_us)
{
  gint64 mute = vigie_config_get_mute (config, self->service->id, now_us / G_USEC_PER_SEC);
  g_autofree char *tip = NULL;

  if (mute == VIGIE_MUTE_UNTIL_BACK)
    tip = g_strdup (_("Notifications muted until it's back"));
  else if (mute > 0)
    {
      g_autofree char *when = vigie_report_time (mute * G_USEC_PER_SEC, now_us);
      /* Translators: %s is a time ("18:40") */
      tip = g_strdup_printf (_("Notifications muted until %s"), when);
    }
  gtk_widget_set_tooltip_text (self->muted, tip);
  if (tip != NULL)
    atk_object_set_name (gtk_widget_get_accessible (self->muted), tip);
  gtk_widget_set_visible (self->muted, mute != 0);

  if (!self->menu_built || (mute == 0) != (self->menu_mute == 0))
    {
      row_menu_fill (self->menu, self->service, mute);
      self->menu_built = TRUE;
    }
  self->menu_mute = mute;
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

/**
 * vigie_window_row_update:
 * @self: a #VigieWindowRow
 * @service: the service it shows, as the monitor has it now
 * @monitor: the monitor, for the state, the outage log and the mutes
 * @latest_update: (nullable): the vendor's latest update on its incident,
 *   from the last round that counted
 * @now_us: the wall-clock time, in microseconds
 *
 * Updates the row in place from the monitor's latest state; the window sorts
 * the list again afterwards.
 */
void
vigie_window_row_update (VigieWindowRow *self,
                         VigieService   *service,
                         VigieMonitor   *monitor,
                         const char     *latest_update,
                         gint64          now_us)
{
  VigieHistory *history;
  const VigieServiceStatus *status;
  VigieState state;
  g_autofree char *since = NULL;
  g_autofree char *since_tip = NULL;
  g_autofree char *facts = NULL;
  g_autofree char *official = NULL;
  g_autofree char *reason = NULL;

  g_return_if_fail (VIGIE_IS_WINDOW_ROW (self));
  g_return_if_fail (service != NULL);
  g_return_if_fail (VIGIE_IS_MONITOR (monitor));

  history = vigie_monitor_get_history (monitor);
  status = vigie_tracker_lookup (vigie_monitor_get_tracker (monitor), service->id);
  state = status ? status->state : VIGIE_STATE_UNKNOWN;

  /* A custom service edited in the preferences is a new object. */
  if (self->service != service)
    {
      vigie_service_unref (self->service);
      self->service = vigie_service_ref (service);
    }

  gtk_image_set_from_icon_name (self->icon, icon_for_state (state), GTK_ICON_SIZE_DND);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->icon)),
                       vigie_state_label (state));
  set_label (self->name, service->name);
  set_label (self->provider, service->provider);

  since = vigie_report_state_for (state, status ? status->since_us : 0, now_us);
  if (status != NULL && status->flapping)
    {
      /* Translators: appended to "Down for 5 min" for a service that keeps changing */
      g_autofree char *unstable = g_strdup_printf (_("%s · unstable"), since);
      g_free (since);
      since = g_steal_pointer (&unstable);
    }
  set_label (self->since, since);
  if (status != NULL && state != VIGIE_STATE_UNKNOWN)
    {
      g_autofree char *when = vigie_report_time (status->since_us, now_us);
      /* Translators: tooltip of "Down for 2 h": %s is a time ("17:40") */
      since_tip = g_strdup_printf (_("Since %s"), when);
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->since), since_tip);

  /* Why, when there is something to explain: a problem, or a failure being
   * confirmed. All is well needs no words. */
  if (status != NULL && (state != VIGIE_STATE_OPERATIONAL || status->suspect))
    reason = vigie_report_status_reason (service, status);
  set_label (self->reason, reason);

  if (status != NULL && status->incident_title != NULL && latest_update != NULL)
    /* Translators: the vendor's latest update on its incident */
    official = g_strdup_printf (_("Latest official update: %s"), latest_update);
  set_label (self->update, official);

  if (history != NULL)
    {
      g_autoptr(GArray) segments = vigie_history_segments (history, service->id,
                                                           now_us - DAY_US, now_us);
      vigie_timeline_set_segments (self->timeline, segments, now_us - DAY_US, now_us);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->timeline), history != NULL);

  facts = row_facts (history, service, status, now_us);
  set_label (self->facts, facts);
  gtk_widget_set_visible (GTK_WIDGET (self->facts), TRUE);  /* keeps the links to the right */

  set_link (self->incident_link, status ? status->incident_url : NULL);
  set_link (self->status_link, service->status_page);
  set_link (self->downdetector_link, service->downdetector);
  row_update_mute (self, vigie_monitor_get_config (monitor), now_us);
}


static void
vigie_window_row_dispose (GObject *object)
{
  VigieWindowRow *self = VIGIE_WINDOW_ROW (object);

  g_clear_pointer (&self->service, vigie_service_unref);
  g_clear_object (&self->menu);

  G_OBJECT_CLASS (vigie_window_row_parent_class)->dispose (object);
}

static void
vigie_window_row_class_init (VigieWindowRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vigie_window_row_dispose;
}

static void
vigie_window_row_init (VigieWindowRow *self)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *footer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *menu_icon = gtk_image_new_from_icon_name ("view-more-symbolic", GTK_ICON_SIZE_BUTTON);
  PangoAttrList *bold = pango_attr_list_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);

  g_object_set (grid, "margin-start", 12, "margin-end", 6, "margin-top", 12, "margin-bottom", 12,
                "column-spacing", 12, "row-spacing", 6, NULL);

  self->icon = GTK_IMAGE (gtk_image_new_from_icon_name ("vigie-unknown", GTK_ICON_SIZE_DND));
  gtk_image_set_pixel_size (self->icon, 32);
  gtk_widget_set_valign (GTK_WIDGET (self->icon), GTK_ALIGN_START);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->icon), 0, 0, 1, 3);

  self->name = label_new ("name", FALSE, FALSE);
  pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_attributes (self->name, bold);
  pango_attr_list_unref (bold);
  gtk_label_set_ellipsize (self->name, PANGO_ELLIPSIZE_END);
  self->provider = label_new ("provider", FALSE, TRUE);
  gtk_label_set_ellipsize (self->provider, PANGO_ELLIPSIZE_END);
  self->muted = gtk_image_new_from_icon_name ("notifications-disabled-symbolic",
                                              GTK_ICON_SIZE_MENU);
  gtk_widget_set_name (self->muted, "muted");
  gtk_widget_set_no_show_all (self->muted, TRUE);
  self->since = label_new ("since", FALSE, FALSE);
  gtk_label_set_xalign (self->since, 1);
  gtk_widget_set_hexpand (GTK_WIDGET (self->since), TRUE);
  gtk_widget_set_halign (GTK_WIDGET (self->since), GTK_ALIGN_END);
  gtk_container_add (GTK_CONTAINER (header), GTK_WIDGET (self->name));
  gtk_container_add (GTK_CONTAINER (header), GTK_WIDGET (self->provider));
  gtk_container_add (GTK_CONTAINER (header), self->muted);
  gtk_container_add (GTK_CONTAINER (header), GTK_WIDGET (self->since));
  gtk_widget_set_hexpand (header, TRUE);
  gtk_grid_attach (GTK_GRID (grid), header, 1, 0, 1, 1);

  self->menu_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  self->menu = g_menu_new ();
  gtk_menu_button_set_menu_model (self->menu_button, G_MENU_MODEL (self->menu));
  gtk_widget_set_name (GTK_WIDGET (self->menu_button), "row-menu");
  gtk_container_add (GTK_CONTAINER (self->menu_button), menu_icon);
  gtk_button_set_relief (GTK_BUTTON (self->menu_button), GTK_RELIEF_NONE);
  gtk_widget_set_valign (GTK_WIDGET (self->menu_button), GTK_ALIGN_START);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->menu_button), 2, 0, 1, 1);

  self->reason = label_new ("reason", TRUE, FALSE);
  gtk_label_set_selectable (self->reason, TRUE);
  gtk_widget_set_can_focus (GTK_WIDGET (self->reason), FALSE);
  gtk_widget_set_no_show_all (GTK_WIDGET (self->reason), TRUE);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->reason), 1, 1, 2, 1);

  self->update = label_new ("update", TRUE, TRUE);
  gtk_label_set_lines (self->update, 3);
  gtk_label_set_ellipsize (self->update, PANGO_ELLIPSIZE_END);
  gtk_widget_set_no_show_all (GTK_WIDGET (self->update), TRUE);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->update), 1, 2, 2, 1);

  self->timeline = VIGIE_TIMELINE (vigie_timeline_new ());
  gtk_widget_set_name (GTK_WIDGET (self->timeline), "timeline");
  gtk_widget_set_hexpand (GTK_WIDGET (self->timeline), TRUE);
  gtk_widget_set_no_show_all (GTK_WIDGET (self->timeline), TRUE);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->timeline), 1, 3, 2, 1);

  self->facts = label_new ("facts", TRUE, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->facts), TRUE);
  self->incident_link = link_new (_("Incident"), "incident-link");
  self->status_link = link_new (_("Status page"), "status-link");
  self->downdetector_link = link_new (_("DownDetector"), "downdetector-link");
  gtk_widget_set_no_show_all (self->incident_link, TRUE);
  gtk_widget_set_no_show_all (self->status_link, TRUE);
  gtk_widget_set_no_show_all (self->downdetector_link, TRUE);
  gtk_container_add (GTK_CONTAINER (footer), GTK_WIDGET (self->facts));
  gtk_container_add (GTK_CONTAINER (footer), self->incident_link);
  gtk_container_add (GTK_CONTAINER (footer), self->status_link);
  gtk_container_add (GTK_CONTAINER (footer), self->downdetector_link);
  gtk_grid_attach (GTK_GRID (grid), footer, 1, 4, 2, 1);

  gtk_container_add (GTK_CONTAINER (self), grid);
  gtk_widget_show_all (GTK_WIDGET (self));
}

/**
 * vigie_window_row_new:
 * @service: the service to show
 *
 * The row starts blank, named after the service's id; the first
 * vigie_window_row_update() fills it in.
 *
 * Returns: (transfer floating): a new row
 */
GtkWidget *
vigie_window_row_new (VigieService *service)
{
  VigieWindowRow *self;
  g_autofree char *tip = NULL;

  g_return_val_if_fail (service != NULL, NULL);

  self = g_object_new (VIGIE_TYPE_WINDOW_ROW, NULL);
  self->service = vigie_service_ref (service);
  gtk_widget_set_name (GTK_WIDGET (self), service->id);

  /* Translators: tooltip and accessible name of a row's menu button */
  tip = g_strdup_printf (_("Notifications for %s"), service->name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), tip);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->menu_button)), tip);
  return GTK_WIDGET (self);
}

/**
 * vigie_window_row_get_service:
 * @self: a #VigieWindowRow
 *
 * Returns: (transfer none): the service it shows
 */
VigieService *
vigie_window_row_get_service (VigieWindowRow *self)
{
  g_return_val_if_fail (VIGIE_IS_WINDOW_ROW (self), NULL);
  return self->service;
}

/**
 * vigie_window_row_get_timeline:
 * @self: a #VigieWindowRow
 *
 * Returns: (transfer none): its 24-hour timeline
 */
VigieTimeline *
vigie_window_row_get_timeline (VigieWindowRow *self)
{
  g_return_val_if_fail (VIGIE_IS_WINDOW_ROW (self), NULL);
  return self->timeline;
}
