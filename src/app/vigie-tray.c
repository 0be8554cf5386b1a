/* vigie-tray.c — the tray icon and its menu; see the header. */
#define G_LOG_DOMAIN "vigie-tray"

#include "config.h"

#include <glib/gi18n.h>
#include <libayatana-appindicator/app-indicator.h>

#include "vigie-report.h"
#include "vigie-text.h"
#include "vigie-tray.h"

struct _VigieTray
{
  GObject parent_instance;

  GApplication *application;     /* weak: the application owns the tray */
  VigieMonitor *monitor;
  AppIndicator *indicator;
  GtkMenu *menu;

  GtkWidget *header;
  GtkWidget *services_end;       /* separator after the service lines */
  GHashTable *service_items;     /* id → GtkMenuItem, for the lines shown */
  GtkWidget *rest;
  GtkWidget *check_now;
  GtkWidget *pause;
  GtkWidget *resume;

  char *icon_name;
  char *title;
  guint update_id;
};

G_DEFINE_FINAL_TYPE (VigieTray, vigie_tray, G_TYPE_OBJECT)

/**
 * vigie_tray_describe:
 * @monitor: the monitor
 *
 * Returns: (transfer full): the monitor's overall verdict in words
 *   (vigie_report_overall())
 */
char *
vigie_tray_describe (VigieMonitor *monitor)
{
  return vigie_report_overall (vigie_monitor_get_overall (monitor),
                               vigie_monitor_get_services (monitor),
                               vigie_monitor_get_tracker (monitor),
                               vigie_monitor_get_paused_until (monitor), g_get_real_time ());
}

/* "Facebook — down since 17:40 · name lookup failed": a time, not a
 * duration, so the line stays true between two rounds. */
static char *
service_line (VigieService             *service,
              const VigieServiceStatus *status,
              gint64                    now)
{
  g_autofree char *since = vigie_report_time (status->since_us, now);
  const char *why = status->incident_title ? status->incident_title
                    : status->layer != VIGIE_LAYER_OK ? vigie_report_layer (status->layer)
                                                      : vigie_report_official_level (status->official);
  /* A menu line is one line, whatever the vendor's title holds. */
  g_autofree char *one_line = vigie_text_one_line (why);
  g_autofree char *short_why = g_utf8_substring (one_line, 0,
                                                 MIN (g_utf8_strlen (one_line, -1), 48));

  switch (status->state)
    {
    case VIGIE_STATE_DOWN:
      /* Translators: a menu line: service, since when (a time), why */
      return g_strdup_printf (_("%s — down since %s · %s"), service->name, since, short_why);
    case VIGIE_STATE_DEGRADED:
      /* Translators: a menu line: service, since when (a time), why */
      return g_strdup_printf (_("%s — having problems since %s · %s"), service->name, since,
                              short_why);
    case VIGIE_STATE_MAINTENANCE:
    default:
      /* Translators: a menu line: service, since when (a time), why */
      return g_strdup_printf (_("%s — maintenance since %s · %s"), service->name, since,
                              short_why);
    }
}

static void
on_service_item_activate (GtkMenuItem *item,
                          VigieTray   *self)
{
  const char *url = g_object_get_data (G_OBJECT (item), "url");

  if (url != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (self->application), "open-url",
                                    g_variant_new_string (url));
}

static void
update_service_lines (VigieTray *self)
{
  GPtrArray *services = vigie_monitor_get_services (self->monitor);
  VigieTracker *tracker = vigie_monitor_get_tracker (self->monitor);
  g_autoptr(GHashTable) keep = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 now = g_get_real_time ();
  gboolean offline = vigie_monitor_get_overall (self->monitor) == VIGIE_OVERALL_OFFLINE;
  GHashTableIter iter;
  gpointer key, value;
  guint n_ok = 0;
  int position = 1;  /* after the header */

  for (guint i = 0; i < services->len; i++)
    {
      VigieService *service = g_ptr_array_index (services, i);
      const VigieServiceStatus *status = vigie_tracker_lookup (tracker, service->id);
      g_autofree char *label = NULL;
      GtkWidget *item;

      if (status == NULL || status->state == VIGIE_STATE_OPERATIONAL
          || status->state == VIGIE_STATE_UNKNOWN || offline)
        {
          n_ok += status != NULL && status->state == VIGIE_STATE_OPERATIONAL;
          continue;
        }

      label = service_line (service, status, now);
      item = g_hash_table_lookup (self->service_items, service->id);
      if (item == NULL)
        {
          item = gtk_menu_item_new_with_label (label);
          g_signal_connect (item, "activate", G_CALLBACK (on_service_item_activate), self);
          gtk_menu_shell_insert (GTK_MENU_SHELL (self->menu), item, position);
          gtk_widget_show (item);
          g_hash_table_insert (self->service_items, g_strdup (service->id), item);
        }
      else
        {
          gtk_menu_item_set_label (GTK_MENU_ITEM (item), label);
          gtk_menu_reorder_child (self->menu, item, position);
        }
      g_object_set_data_full (G_OBJECT (item), "url",
                              g_strdup (service->status_page ? service->status_page
                                                             : service->site),
                              g_free);
      g_hash_table_add (keep, service->id);
      position++;
    }

  g_hash_table_iter_init (&iter, self->service_items);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (keep, key))
      {
        gtk_widget_destroy (value);
        g_hash_table_iter_remove (&iter);
      }

  if (g_hash_table_size (self->service_items) > 0 && n_ok > 0)
    {
      /* Translators: the menu line after the services that have a problem */
      g_autofree char *rest = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u other service operational",
                                                            "%u other services operational", n_ok),
                                               n_ok);
      gtk_menu_item_set_label (GTK_MENU_ITEM (self->rest), rest);
      gtk_widget_show (self->rest);
    }
  else
    gtk_widget_hide (self->rest);
}

static gboolean
update (gpointer user_data)
{
  VigieTray *self = user_data;
  g_autofree char *verdict = vigie_tray_describe (self->monitor);
  const char *icon = vigie_report_overall_icon (vigie_monitor_get_overall (self->monitor));
  gboolean paused = vigie_monitor_get_paused (self->monitor);

  self->update_id = 0;

  gtk_menu_item_set_label (GTK_MENU_ITEM (self->header), verdict);
  update_service_lines (self);
  gtk_widget_set_visible (self->pause, !paused);
  gtk_widget_set_visible (self->resume, paused);
  gtk_widget_set_sensitive (self->check_now, !paused && !vigie_monitor_get_busy (self->monitor));

  g_free (self->title);
  /* Translators: the tray item's title, read by screen readers: "Vigie: Facebook down" */
  self->title = g_strdup_printf (_("Vigie: %s"), verdict);
  app_indicator_set_title (self->indicator, self->title);
  if (g_strcmp0 (self->icon_name, icon) != 0)
    {
      g_free (self->icon_name);
      self->icon_name = g_strdup (icon);
    }
  app_indicator_set_icon_full (self->indicator, self->icon_name, self->title);
  return G_SOURCE_REMOVE;
}

/* Several changes arrive per round: one update after them. */
static void
schedule_update (VigieTray *self)
{
  if (self->update_id == 0)
    self->update_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, update, self, NULL);
}

static void
activate_action (GtkMenuItem *item,
                 VigieTray   *self)
{
  const char *action = g_object_get_data (G_OBJECT (item), "action");
  GVariant *target = g_object_get_data (G_OBJECT (item), "target");

  g_action_group_activate_action (G_ACTION_GROUP (self->application), action, target);
}

static GtkWidget *
add_item (VigieTray  *self,
          const char *label,
          const char *action,
          GVariant   *target)
{
  GtkWidget *item = gtk_menu_item_new_with_mnemonic (label);

  g_object_set_data (G_OBJECT (item), "action", (gpointer) action);
  if (target != NULL)
    g_object_set_data_full (G_OBJECT (item), "target", g_variant_ref_sink (target),
                            (GDestroyNotify) g_variant_unref);
  g_signal_connect (item, "activate", G_CALLBACK (activate_action), self);
  gtk_menu_shell_append (GTK_MENU_SHELL (self->menu), item);
  gtk_widget_show (item);
  return item;
}

static void
add_separator (VigieTray *self)
{
  GtkWidget *separator = gtk_separator_menu_item_new ();

  gtk_menu_shell_append (GTK_MENU_SHELL (self->menu), separator);
  gtk_widget_show (separator);
}

static void
build_menu (VigieTray *self)
{
  self->menu = GTK_MENU (gtk_menu_new ());
  g_object_ref_sink (self->menu);

  self->header = gtk_menu_item_new_with_label ("");
  gtk_widget_set_sensitive (self->header, FALSE);
  gtk_menu_shell_append (GTK_MENU_SHELL (self->menu), self->header);
  gtk_widget_show (self->header);

  /* Service lines are inserted here, between the header and the rest. */
  self->rest = gtk_menu_item_new_with_label ("");
  gtk_widget_set_sensitive (self->rest, FALSE);
  gtk_menu_shell_append (GTK_MENU_SHELL (self->menu), self->rest);
  add_separator (self);

  /* Translators: the tray menu; the underscore marks the access key */
  self->check_now = add_item (self, _("_Check Now"), "check-now", NULL);
  add_item (self, _("_Details…"), "details", NULL);
  add_item (self, _("Copy Status _Summary"), "copy-summary", NULL);
  self->pause = add_item (self, _("_Pause for 1 Hour"), "pause", g_variant_new_uint32 (3600));
  self->resume = add_item (self, _("_Resume Checking"), "resume", NULL);
  add_separator (self);
  add_item (self, _("_Preferences…"), "preferences", NULL);
  add_item (self, _("_Quit"), "quit", NULL);
}

static void
vigie_tray_dispose (GObject *object)
{
  VigieTray *self = VIGIE_TRAY (object);

  g_clear_handle_id (&self->update_id, g_source_remove);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->indicator);
  if (self->menu != NULL)
    gtk_widget_destroy (GTK_WIDGET (self->menu));
  g_clear_object (&self->menu);
  g_clear_pointer (&self->service_items, g_hash_table_unref);

  G_OBJECT_CLASS (vigie_tray_parent_class)->dispose (object);
}

static void
vigie_tray_finalize (GObject *object)
{
  VigieTray *self = VIGIE_TRAY (object);

  g_free (self->icon_name);
  g_free (self->title);

  G_OBJECT_CLASS (vigie_tray_parent_class)->finalize (object);
}

static void
vigie_tray_class_init (VigieTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vigie_tray_dispose;
  object_class->finalize = vigie_tray_finalize;
}

static void
vigie_tray_init (VigieTray *self)
{
  self->service_items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * vigie_tray_new:
 * @application: the application whose actions the menu activates
 * @monitor: the monitor to show
 *
 * Returns: (transfer full): the tray item, shown at once
 */
VigieTray *
vigie_tray_new (GApplication *application,
                VigieMonitor *monitor)
{
  VigieTray *self;
  const char *icon_dir = g_getenv ("VIGIE_ICON_DIR");

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (VIGIE_IS_MONITOR (monitor), NULL);

  self = g_object_new (VIGIE_TYPE_TRAY, NULL);
  self->application = application;
  self->monitor = g_object_ref (monitor);
  self->icon_name = g_strdup (vigie_report_overall_icon (vigie_monitor_get_overall (monitor)));

  build_menu (self);
  self->indicator = app_indicator_new (APPLICATION_ID, self->icon_name,
                                       APP_INDICATOR_CATEGORY_COMMUNICATIONS);
  /* Run uninstalled (./dev run, tests), the icons come from the source tree. */
  if (icon_dir != NULL)
    app_indicator_set_icon_theme_path (self->indicator, icon_dir);
  app_indicator_set_menu (self->indicator, self->menu);
  app_indicator_set_status (self->indicator, APP_INDICATOR_STATUS_ACTIVE);

  g_signal_connect_swapped (monitor, "notify::overall", G_CALLBACK (schedule_update), self);
  g_signal_connect_swapped (monitor, "notify::busy", G_CALLBACK (schedule_update), self);
  g_signal_connect_swapped (monitor, "notify::paused", G_CALLBACK (schedule_update), self);
  g_signal_connect_swapped (monitor, "round-finished", G_CALLBACK (schedule_update), self);
  update (self);
  return self;
}

const char *
vigie_tray_get_icon_name (VigieTray *self)
{
  g_return_val_if_fail (VIGIE_IS_TRAY (self), NULL);
  return self->icon_name;
}

const char *
vigie_tray_get_title (VigieTray *self)
{
  g_return_val_if_fail (VIGIE_IS_TRAY (self), NULL);
  return self->title;
}

/**
 * vigie_tray_get_menu:
 * @self: a #VigieTray
 *
 * Returns: (transfer none): the menu
 */
GtkMenu *
vigie_tray_get_menu (VigieTray *self)
{
  g_return_val_if_fail (VIGIE_IS_TRAY (self), NULL);
  return self->menu;
}
