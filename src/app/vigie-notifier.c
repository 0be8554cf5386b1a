/* vigie-notifier.c — desktop notifications; see the header. */
#define G_LOG_DOMAIN "vigie-notifier"

#include "config.h"

#include <glib/gi18n.h>
#include <libnotify/notify.h>

#include "vigie-alerts.h"
#include "vigie-notifier.h"

struct _VigieNotifier
{
  GObject parent_instance;

  GApplication *application;    /* weak: the application owns the notifier */
  VigieMonitor *monitor;
  GPtrArray *pending;           /* VigieTransition*, this round's */
  GHashTable *by_provider;      /* provider → NotifyNotification* on screen */
  gint64 snoozed_until;         /* wall µs */
  gboolean failed_once;         /* the notification server failed; said once */
  guint reminder_id;
  guint daemon_watch;           /* org.freedesktop.Notifications on the bus */
};

G_DEFINE_FINAL_TYPE (VigieNotifier, vigie_notifier, G_TYPE_OBJECT)

static gboolean
server_has (const char *capability)
{
  GList *caps = notify_get_server_caps ();
  gboolean found = g_list_find_custom (caps, capability, (GCompareFunc) g_strcmp0) != NULL;

  g_list_free_full (caps, g_free);
  return found;
}

/* Text for a body that the server reads as markup. Only &, < and > need
 * escaping in text; servers that render a simple HTML subset (not every one
 * decodes &apos;) then show quotes as they are. */
static char *
escape_body (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    switch (*p)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      default: g_string_append_c (out, *p); break;
      }
  return g_string_free (out, FALSE);
}

/* A button: the application action the alert said it activates. A click
 * on the notification itself ("default", where the server supports it)
 * opens the details. */
static void
on_action (NotifyNotification *notification,
           char               *action,
           gpointer            user_data)
{
  VigieNotifier *self = user_data;
  GActionGroup *actions = G_ACTION_GROUP (self->application);
  const VigieAlert *alert = g_object_get_data (G_OBJECT (notification), "vigie-alert");
  const VigieAlertAction *button = alert != NULL ? vigie_alert_find_action (alert, action) : NULL;

  if (button != NULL)
    g_action_group_activate_action (actions, button->action, button->target);
  else if (g_str_equal (action, "default"))
    g_action_group_activate_action (actions, "details", NULL);
}

static void
on_closed (NotifyNotification *notification,
           VigieNotifier      *self)
{
  const char *provider = g_object_get_data (G_OBJECT (notification), "vigie-provider");

  if (provider != NULL && g_hash_table_lookup (self->by_provider, provider) == notification)
    g_hash_table_remove (self->by_provider, provider);
}

static void
show (VigieNotifier      *self,
      NotifyNotification *notification)
{
  g_autoptr(GError) error = NULL;

  if (!notify_notification_show (notification, &error))
    {
      /* No notification server (yet): the tray still shows the state. */
      if (!self->failed_once)
        g_warning ("cannot show a notification: %s", error->message);
      self->failed_once = TRUE;
      return;
    }
  self->failed_once = FALSE;
}

static const char *
icon_for (VigieAlertKind kind)
{
  switch (kind)
    {
    case VIGIE_ALERT_DOWN: return "vigie-down";
    case VIGIE_ALERT_DEGRADED:
    case VIGIE_ALERT_UNSTABLE: return "vigie-degraded";
    case VIGIE_ALERT_RECOVERED:
    default: return "vigie-operational";
    }
}

/* The provider's services that the notification on screen announced down
 * and that still are. */
static GStrv
still_down (VigieNotifier      *self,
            NotifyNotification *notification)
{
  const VigieAlert *alert = g_object_get_data (G_OBJECT (notification), "vigie-alert");
  GStrv ids = alert != NULL ? alert->service_ids : NULL;
  VigieTracker *tracker = vigie_monitor_get_tracker (self->monitor);
  g_autoptr(GStrvBuilder) down = g_strv_builder_new ();

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      const VigieServiceStatus *status = vigie_tracker_lookup (tracker, ids[i]);
      if (status != NULL && status->state == VIGIE_STATE_DOWN)
        g_strv_builder_add (down, ids[i]);
    }
  return g_strv_builder_end (down);
}

static void
show_alert (VigieNotifier *self,
            VigieAlert    *alert)
{
  NotifyNotification *notification = g_hash_table_lookup (self->by_provider, alert->provider);
  const VigieAlert *shown = notification != NULL
                              ? g_object_get_data (G_OBJECT (notification), "vigie-alert")
                              : NULL;
  g_autofree char *body = NULL;
  gboolean actions = server_has ("actions");

  /* An outage that spreads to more of the provider's services replaces the
   * notification on screen, which must then name them all. */
  if (shown != NULL && alert->kind == VIGIE_ALERT_DOWN && shown->kind == VIGIE_ALERT_DOWN)
    {
      g_auto(GStrv) down = still_down (self, notification);
      vigie_alert_merge_ongoing (alert, (const char *const *) down,
                                 vigie_monitor_get_config (self->monitor));
    }

  /* Vendor text may hold markup: escape it where the server reads markup. */
  body = server_has ("body-markup") ? escape_body (alert->body) : g_strdup (alert->body);

  if (notification == NULL)
    {
      notification = notify_notification_new (alert->summary, body, icon_for (alert->kind));
      g_object_set_data_full (G_OBJECT (notification), "vigie-provider",
                              g_strdup (alert->provider), g_free);
      g_signal_connect (notification, "closed", G_CALLBACK (on_closed), self);
      g_hash_table_insert (self->by_provider, g_strdup (alert->provider), notification);
    }
  else
    {
      /* The same notification is updated: the outage becomes the recovery. */
      notify_notification_update (notification, alert->summary, body, icon_for (alert->kind));
      notify_notification_clear_actions (notification);
    }
  g_object_set_data_full (G_OBJECT (notification), "vigie-alert", vigie_alert_copy (alert),
                          (GDestroyNotify) vigie_alert_free);
  notify_notification_set_app_name (notification, "Vigie");
  notify_notification_set_category (notification, "network");
  notify_notification_set_hint (notification, "desktop-entry",
                                g_variant_new_string (APPLICATION_ID));
  notify_notification_set_urgency (notification, alert->urgent ? NOTIFY_URGENCY_CRITICAL
                                                               : NOTIFY_URGENCY_NORMAL);
  /* An outage stays until dismissed; the rest may time out. */
  notify_notification_set_timeout (notification, alert->urgent ? NOTIFY_EXPIRES_NEVER
                                                               : NOTIFY_EXPIRES_DEFAULT);

  if (actions)
    for (guint i = 0; i < alert->actions->len; i++)
      {
        const VigieAlertAction *button = g_ptr_array_index (alert->actions, i);

        notify_notification_add_action (notification, button->id, button->label, on_action,
                                        self, NULL);
      }
  show (self, notification);
}

static void
on_service_changed (VigieMonitor    *monitor,
                    VigieTransition *transition,
                    VigieNotifier   *self)
{
  g_ptr_array_add (self->pending, vigie_transition_copy (transition));
}

/* Once a service is back, "mute until it's back" has done its job; the
 * application ends it (app.unmute), as it writes every mute. */
static void
end_mutes_until_back (VigieNotifier *self,
                      GPtrArray     *transitions)
{
  VigieConfig *config = vigie_monitor_get_config (self->monitor);

  for (guint i = 0; i < transitions->len; i++)
    {
      VigieTransition *t = g_ptr_array_index (transitions, i);

      if (t->to == VIGIE_STATE_OPERATIONAL
          && vigie_config_get_mute (config, t->service_id, 0) == VIGIE_MUTE_UNTIL_BACK)
        g_action_group_activate_action (G_ACTION_GROUP (self->application), "unmute",
                                        g_variant_new_string (t->service_id));
    }
}

static void
on_round_finished (VigieMonitor  *monitor,
                   gpointer       round,
                   VigieNotifier *self)
{
  g_autoptr(GPtrArray) transitions = g_steal_pointer (&self->pending);
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  VigieAlertContext context = {
    .config = vigie_monitor_get_config (monitor),
    .connectivity = vigie_monitor_get_connectivity (monitor),
    .now_us = g_get_real_time (),
    .minute_of_day = g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now),
    .snoozed = vigie_notifier_is_snoozed (self),
  };

  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);
  if (transitions->len == 0)
    return;

  alerts = vigie_alerts_build (&context, transitions);
  for (guint i = 0; i < alerts->len; i++)
    show_alert (self, g_ptr_array_index (alerts, i));
  end_mutes_until_back (self, transitions);
}

/* Reminders while a service stays down: the down notification is shown
 * again, every Reminder minutes (off by default). */
static gboolean
on_reminder (gpointer user_data)
{
  VigieNotifier *self = user_data;
  VigieConfig *config = vigie_monitor_get_config (self->monitor);
  GHashTableIter iter;
  gpointer notification;

  if (vigie_config_get_reminder_minutes (config) == 0 || vigie_notifier_is_snoozed (self)
      || vigie_monitor_get_overall (self->monitor) != VIGIE_OVERALL_DOWN)
    return G_SOURCE_CONTINUE;

  g_hash_table_iter_init (&iter, self->by_provider);
  while (g_hash_table_iter_next (&iter, NULL, &notification))
    {
      const VigieAlert *alert = g_object_get_data (notification, "vigie-alert");
      GStrv ids = alert != NULL ? alert->service_ids : NULL;
      VigieTracker *tracker = vigie_monitor_get_tracker (self->monitor);
      const VigieServiceStatus *status = ids && ids[0] ? vigie_tracker_lookup (tracker, ids[0])
                                                       : NULL;
      if (status != NULL && status->state == VIGIE_STATE_DOWN)
        show (self, notification);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_config_changed (VigieNotifier *self,
                   VigieConfig   *config)
{
  guint minutes = vigie_config_get_reminder_minutes (config);

  g_clear_handle_id (&self->reminder_id, g_source_remove);
  if (minutes > 0)
    self->reminder_id = g_timeout_add_seconds (minutes * 60, on_reminder, self);
}

/* The ids of the notifications on screen belong to the daemon that showed
 * them: after it goes away, asking its successor to replace one of them
 * could replace another application's notification. */
static void
on_daemon_vanished (GDBusConnection *connection,
                    const char      *name,
                    gpointer         user_data)
{
  VigieNotifier *self = user_data;

  g_hash_table_remove_all (self->by_provider);
}

static void
vigie_notifier_dispose (GObject *object)
{
  VigieNotifier *self = VIGIE_NOTIFIER (object);

  g_clear_handle_id (&self->daemon_watch, g_bus_unwatch_name);
  g_clear_handle_id (&self->reminder_id, g_source_remove);
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_signal_handlers_disconnect_by_data (vigie_monitor_get_config (self->monitor), self);
    }
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->by_provider, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (vigie_notifier_parent_class)->dispose (object);
}

static void
vigie_notifier_class_init (VigieNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vigie_notifier_dispose;
}

static void
drop_notification (gpointer data)
{
  g_signal_handlers_disconnect_matched (data, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, on_closed, NULL);
  g_object_unref (data);
}

static void
vigie_notifier_init (VigieNotifier *self)
{
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);
  self->by_provider = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, drop_notification);
}

/**
 * vigie_notifier_new:
 * @application: the application whose actions notifications activate
 * @monitor: the monitor to follow
 *
 * Returns: (transfer full): the notifier
 */
VigieNotifier *
vigie_notifier_new (GApplication *application,
                    VigieMonitor *monitor)
{
  VigieNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (VIGIE_IS_MONITOR (monitor), NULL);

  if (!notify_is_initted ())
    notify_init (APPLICATION_ID);

  self = g_object_new (VIGIE_TYPE_NOTIFIER, NULL);
  self->application = application;
  self->monitor = g_object_ref (monitor);
  g_signal_connect (monitor, "service-changed", G_CALLBACK (on_service_changed), self);
  g_signal_connect (monitor, "round-finished", G_CALLBACK (on_round_finished), self);
  g_signal_connect_swapped (vigie_monitor_get_config (monitor), "changed",
                            G_CALLBACK (on_config_changed), self);
  on_config_changed (self, vigie_monitor_get_config (monitor));
  self->daemon_watch = g_bus_watch_name (G_BUS_TYPE_SESSION, "org.freedesktop.Notifications",
                                         G_BUS_NAME_WATCHER_FLAGS_NONE, NULL, on_daemon_vanished,
                                         self, NULL);
  return self;
}

/**
 * vigie_notifier_snooze:
 * @self: a #VigieNotifier
 * @seconds: how long no notification is shown; 0 ends a snooze
 */
void
vigie_notifier_snooze (VigieNotifier *self,
                       guint          seconds)
{
  g_return_if_fail (VIGIE_IS_NOTIFIER (self));
  self->snoozed_until = seconds ? g_get_real_time () + (gint64) seconds * G_USEC_PER_SEC : 0;
}

gboolean
vigie_notifier_is_snoozed (VigieNotifier *self)
{
  g_return_val_if_fail (VIGIE_IS_NOTIFIER (self), FALSE);
  return self->snoozed_until > g_get_real_time ();
}

/**
 * vigie_notifier_show_message:
 * @self: a #VigieNotifier
 * @summary: one line
 * @body: (nullable): plain text
 *
 * A notice about Vigie itself (the log cannot be written, a hook fails),
 * at low urgency.
 */
void
vigie_notifier_show_message (VigieNotifier *self,
                             const char    *summary,
                             const char    *body)
{
  g_autoptr(GObject) notification = NULL;
  g_autofree char *escaped = NULL;

  g_return_if_fail (VIGIE_IS_NOTIFIER (self));

  if (body != NULL && server_has ("body-markup"))
    escaped = escape_body (body);
  notification = G_OBJECT (notify_notification_new (summary, escaped ? escaped : body,
                                                    APPLICATION_ID));
  notify_notification_set_app_name (NOTIFY_NOTIFICATION (notification), "Vigie");
  notify_notification_set_urgency (NOTIFY_NOTIFICATION (notification), NOTIFY_URGENCY_LOW);
  notify_notification_set_hint (NOTIFY_NOTIFICATION (notification), "desktop-entry",
                                g_variant_new_string (APPLICATION_ID));
  show (self, NOTIFY_NOTIFICATION (notification));
}
