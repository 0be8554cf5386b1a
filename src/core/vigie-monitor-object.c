/* vigie-monitor-object.c — the monitor object: its construction, its
 * properties and signals, following the settings, and its getters. The
 * contract is in vigie-monitor.h; the other pieces are listed in
 * vigie-monitor-private.h.
 */
#define G_LOG_DOMAIN "vigie-monitor"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-monitor-private.h"

GParamSpec *monitor_properties[N_PROPS];
guint monitor_signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VigieMonitor, vigie_monitor, G_TYPE_OBJECT)

static void
apply_hook_settings (VigieMonitor *self)
{
  g_autoptr(GError) error = NULL;
  const char *command = vigie_config_get_hook_command (self->config);

  vigie_hooks_set_timeout (self->hooks, vigie_config_get_hook_timeout (self->config) * 1000);
  if (g_strcmp0 (command, vigie_hooks_get_command (self->hooks)) == 0)
    return;
  /* A command that cannot be read is still kept by the runner, which then
   * reports it failing once; say why now as well. */
  if (!vigie_hooks_set_command (self->hooks, command, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The hook command cannot be used: %s"),
                                                  error->message);
      monitor_report_notice (self, message);
    }
}

static void
on_hook_failed (VigieMonitor *self,
                const char   *message)
{
  monitor_report_notice (self, message);
}

static void
on_config_changed (VigieMonitor *self,
                   VigieConfig  *config)
{
  g_autoptr(GPtrArray) services = vigie_config_get_watched (config);
  VigieTrackerSettings settings = {
    .failures_before_down = vigie_config_get_setting (config, VIGIE_SETTING_FAILURES_BEFORE_DOWN),
    .successes_before_up = vigie_config_get_setting (config, VIGIE_SETTING_SUCCESSES_BEFORE_UP),
  };
  gboolean services_changed = services->len != self->services->len;

  for (guint i = 0; !services_changed && i < services->len; i++)
    services_changed = services->pdata[i] != self->services->pdata[i];

  vigie_tracker_set_settings (self->tracker, &settings);
  vigie_tracker_forget_except (self->tracker, vigie_config_get_service_ids (config));
  apply_hook_settings (self);

  if (services_changed)
    {
      g_ptr_array_unref (self->services);
      self->services = g_steal_pointer (&services);
      monitor_update_overall (self);
      /* A round in flight checks the old list: start over with the new one. */
      if (self->started && !self->paused)
        {
          monitor_discard_round (self);
          monitor_schedule_in (self, 0);
        }
      return;
    }

  if (self->started && !self->busy && !self->paused && self->n_rounds > 0)
    monitor_schedule_next (self);
}

static void
vigie_monitor_dispose (GObject *object)
{
  VigieMonitor *self = VIGIE_MONITOR (object);

  monitor_clear_timer (self);
  g_clear_handle_id (&self->pause_timer_id, g_source_remove);
  if (self->round_cancellable != NULL)
    g_cancellable_cancel (self->round_cancellable);
  g_clear_object (&self->round_cancellable);
  if (self->bus_cancellable != NULL)
    g_cancellable_cancel (self->bus_cancellable);
  g_clear_object (&self->bus_cancellable);
  if (self->system_bus != NULL && self->sleep_subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
  self->sleep_subscription = 0;
  g_clear_object (&self->system_bus);
  g_clear_signal_handler (&self->network_changed_id, self->network_monitor);
  g_clear_object (&self->network_monitor);
  if (self->config != NULL)
    g_signal_handlers_disconnect_by_data (self->config, self);
  g_clear_object (&self->config);
  g_clear_object (&self->history);
  g_clear_object (&self->tracker);
  if (self->hooks != NULL)
    g_signal_handlers_disconnect_by_data (self->hooks, self);
  g_clear_object (&self->hooks);
  g_clear_object (&self->probe);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (vigie_monitor_parent_class)->dispose (object);
}

static void
vigie_monitor_finalize (GObject *object)
{
  VigieMonitor *self = VIGIE_MONITOR (object);

  g_clear_pointer (&self->services, g_ptr_array_unref);
  g_free (self->user_agent);
  g_free (self->ca_file);
  g_strfreev (self->resolve);
  g_clear_pointer (&self->connectivity_evidence, vigie_connectivity_evidence_free);

  G_OBJECT_CLASS (vigie_monitor_parent_class)->finalize (object);
}

static void
vigie_monitor_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  VigieMonitor *self = VIGIE_MONITOR (object);

  switch (prop_id)
    {
    case PROP_OVERALL: g_value_set_int (value, self->overall); break;
    case PROP_BUSY: g_value_set_boolean (value, self->busy); break;
    case PROP_PAUSED: g_value_set_boolean (value, self->paused); break;
    case PROP_CONNECTIVITY: g_value_set_int (value, self->connectivity); break;
    case PROP_SECOND_MS: g_value_set_uint (value, self->second_ms); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigie_monitor_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  VigieMonitor *self = VIGIE_MONITOR (object);

  switch (prop_id)
    {
    case PROP_SECOND_MS: self->second_ms = g_value_get_uint (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigie_monitor_class_init (VigieMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vigie_monitor_dispose;
  object_class->finalize = vigie_monitor_finalize;
  object_class->get_property = vigie_monitor_get_property;
  object_class->set_property = vigie_monitor_set_property;

  monitor_properties[PROP_OVERALL] =
    g_param_spec_int ("overall", NULL, NULL, VIGIE_OVERALL_CHECKING, VIGIE_OVERALL_PAUSED,
                      VIGIE_OVERALL_CHECKING, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  monitor_properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  monitor_properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  monitor_properties[PROP_CONNECTIVITY] =
    g_param_spec_int ("connectivity", NULL, NULL, VIGIE_CONNECTIVITY_UNKNOWN,
                      VIGIE_CONNECTIVITY_OFFLINE, VIGIE_CONNECTIVITY_UNKNOWN,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * VigieMonitor:second-ms:
   *
   * How long one second of the Interval and RetryInterval settings lasts, in
   * milliseconds: 1000, except in tests that replay an hour in a minute.
   */
  monitor_properties[PROP_SECOND_MS] =
    g_param_spec_uint ("second-ms", NULL, NULL, 1, 1000, 1000,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, monitor_properties);

  /**
   * VigieMonitor::round-finished:
   * @round: (type gpointer): the #VigieRound, valid during the emission
   */
  monitor_signals[ROUND_FINISHED] = g_signal_new ("round-finished", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                          1, G_TYPE_POINTER);
  /**
   * VigieMonitor::service-changed:
   * @transition: the #VigieTransition
   */
  monitor_signals[SERVICE_CHANGED] = g_signal_new ("service-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                           1, VIGIE_TYPE_TRANSITION);
  /**
   * VigieMonitor::connectivity-changed:
   * @connectivity: the new #VigieConnectivity
   */
  monitor_signals[CONNECTIVITY_CHANGED] = g_signal_new ("connectivity-changed", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 1, G_TYPE_INT);
  /**
   * VigieMonitor::notice:
   * @message: a sentence for the user about a problem of Vigie's own
   *   (the outage log cannot be written, ...), emitted once per problem
   */
  monitor_signals[NOTICE] = g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
vigie_monitor_init (VigieMonitor *self)
{
  self->second_ms = 1000;
  self->tracker = vigie_tracker_new (NULL);
  self->hooks = vigie_hooks_new ();
  g_signal_connect_swapped (self->hooks, "failed", G_CALLBACK (on_hook_failed), self);
  self->services = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_service_unref);
  self->clock_offset_us = g_get_real_time () - g_get_monotonic_time ();
}

/**
 * vigie_monitor_new:
 * @config: the settings, followed live
 * @history: (nullable): the outage log, or %NULL to keep none
 * @http_options: (nullable): HTTP options (tests: CA file, pinned names);
 *   the timeout always comes from @config
 *
 * Returns: (transfer full): a monitor; call vigie_monitor_start()
 */
VigieMonitor *
vigie_monitor_new (VigieConfig            *config,
                   VigieHistory           *history,
                   const VigieHttpOptions *http_options)
{
  VigieMonitor *self;

  g_return_val_if_fail (VIGIE_IS_CONFIG (config), NULL);
  g_return_val_if_fail (history == NULL || VIGIE_IS_HISTORY (history), NULL);

  self = g_object_new (VIGIE_TYPE_MONITOR, NULL);
  self->config = g_object_ref (config);
  self->history = history ? g_object_ref (history) : NULL;
  if (http_options != NULL)
    {
      self->user_agent = g_strdup (http_options->user_agent);
      self->ca_file = g_strdup (http_options->ca_file);
      self->resolve = g_strdupv (http_options->resolve);
      self->max_total_connections = http_options->max_total_connections;
    }
  g_signal_connect_swapped (config, "changed", G_CALLBACK (on_config_changed), self);
  on_config_changed (self, config);
  return self;
}

/**
 * vigie_monitor_get_config:
 * @self: a #VigieMonitor
 *
 * Returns: (transfer none): the settings
 */
VigieConfig *
vigie_monitor_get_config (VigieMonitor *self)
{
  g_return_val_if_fail (VIGIE_IS_MONITOR (self), NULL);
  return self->config;
}

/**
 * vigie_monitor_get_history:
 * @self: a #VigieMonitor
 *
 * Returns: (transfer none) (nullable): the outage log
 */
VigieHistory *
vigie_monitor_get_history (VigieMonitor *self)
{
  g_return_val_if_fail (VIGIE_IS_MONITOR (self), NULL);
  return self->history;
}

/**
 * vigie_monitor_get_tracker:
 * @self: a #VigieMonitor
 *
 * Returns: (transfer none): the tracker, for per-service status
 */
VigieTracker *
vigie_monitor_get_tracker (VigieMonitor *self)
{
  g_return_val_if_fail (VIGIE_IS_MONITOR (self), NULL);
  return self->tracker;
}

/**
 * vigie_monitor_get_services:
 * @self: a #VigieMonitor
 *
 * Returns: (transfer none) (element-type VigieService): the watched services
 */
GPtrArray *
vigie_monitor_get_services (VigieMonitor *self)
{
  g_return_val_if_fail (VIGIE_IS_MONITOR (self), NULL);
  return self->services;
}

VigieOverall
vigie_monitor_get_overall (VigieMonitor *self)
{
  g_return_val_if_fail (VIGIE_IS_MONITOR (self), VIGIE_OVERALL_CHECKING);
  return self->overall;
}

VigieConnectivity
vigie_monitor_get_connectivity (VigieMonitor *self)
{
  g_return_val_if_fail (VIGIE_IS_MONITOR (self), VIGIE_CONNECTIVITY_UNKNOWN);
  return self->connectivity;
}

/**
 * vigie_monitor_get_connectivity_evidence:
 * @self: a #VigieMonitor
 *
 * Returns: (nullable) (transfer none): why the last connectivity check
 *   judged as it did; %NULL before the first round
 */
const VigieConnectivityEvidence *
vigie_monitor_get_connectivity_evidence (VigieMonitor *self)
{
  g_return_val_if_fail (VIGIE_IS_MONITOR (self), NULL);
  return self->connectivity_evidence;
}

gboolean
vigie_monitor_get_busy (VigieMonitor *self)
{
  g_return_val_if_fail (VIGIE_IS_MONITOR (self), FALSE);
  return self->busy;
}

gboolean
vigie_monitor_get_paused (VigieMonitor *self)
{
  g_return_val_if_fail (VIGIE_IS_MONITOR (self), FALSE);
  return self->paused;
}

/**
 * vigie_monitor_get_paused_until:
 * @self: a #VigieMonitor
 *
 * Returns: when a timed pause ends (wall µs), 0 if not paused or until resumed
 */
gint64
vigie_monitor_get_paused_until (VigieMonitor *self)
{
  g_return_val_if_fail (VIGIE_IS_MONITOR (self), 0);
  return self->paused_until;
}

guint
vigie_monitor_get_n_rounds (VigieMonitor *self)
{
  g_return_val_if_fail (VIGIE_IS_MONITOR (self), 0);
  return self->n_rounds;
}

/**
 * vigie_monitor_get_last_round_at:
 * @self: a #VigieMonitor
 *
 * Returns: wall-clock start of the last applied round, µs; 0 if none yet
 */
gint64
vigie_monitor_get_last_round_at (VigieMonitor *self)
{
  g_return_val_if_fail (VIGIE_IS_MONITOR (self), 0);
  return self->last_round_at;
}
