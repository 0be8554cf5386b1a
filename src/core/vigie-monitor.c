/* vigie-monitor.c — rounds on a schedule, results into states; see the header.
 *
 * Staleness: every round carries the generation it was started in. Anything
 * that makes a round in flight meaningless (resume, network change, services
 * changed, pause) bumps the generation and cancels it; its results are then
 * dropped when they arrive, as gnome-text-editor drops stale statistics.
 */
#define G_LOG_DOMAIN "vigie-monitor"

#include "config.h"

#include <glib/gi18n-lib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "vigie-hooks.h"
#include "vigie-monitor.h"
#include "vigie-report.h"

/* After a resume the network needs a moment; after a network change too. */
#define RESUME_GRACE_MS 5000
#define NETWORK_GRACE_MS 3000
/* A gap this large between wall-clock and monotonic time means the machine
 * slept (monotonic time stops during suspend) or the clock was set. */
#define CLOCK_JUMP_US (30 * G_USEC_PER_SEC)

struct _VigieMonitor
{
  GObject parent_instance;

  VigieConfig *config;
  VigieHistory *history;
  VigieTracker *tracker;
  VigieHooks *hooks;
  GPtrArray *services;           /* VigieService*, watched, in order */

  /* HTTP options given at construction (tests), kept to rebuild the engine
   * when the Timeout setting changes. */
  char *user_agent;
  char *ca_file;
  GStrv resolve;
  guint max_total_connections;
  guint timeout_s;
  VigieHttp *http;
  VigieProbe *probe;

  guint second_ms;               /* length of a settings second; see "second-ms" */
  gboolean started;
  gboolean busy;
  guint generation;
  GCancellable *round_cancellable;
  gint64 round_started_us;       /* monotonic */
  guint timer_id;
  gint64 clock_offset_us;        /* wall − monotonic when last looked at */

  gboolean paused;
  gint64 paused_until;           /* wall µs, 0 = until resumed */
  guint pause_timer_id;

  VigieConnectivity connectivity;
  VigieConnectivityEvidence *connectivity_evidence;
  VigieOverall overall;
  guint n_rounds;
  gint64 last_round_at;          /* wall µs */

  GNetworkMonitor *network_monitor;
  gulong network_changed_id;
  GCancellable *bus_cancellable;
  GDBusConnection *system_bus;
  guint sleep_subscription;
};

enum
{
  PROP_0,
  PROP_OVERALL,
  PROP_BUSY,
  PROP_PAUSED,
  PROP_CONNECTIVITY,
  PROP_SECOND_MS,
  N_PROPS
};

enum
{
  ROUND_FINISHED,
  SERVICE_CHANGED,
  CONNECTIVITY_CHANGED,
  NOTICE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VigieMonitor, vigie_monitor, G_TYPE_OBJECT)

static void start_round (VigieMonitor *self);
static void schedule_in (VigieMonitor *self,
                         gint64        delay_ms);

const char *
vigie_overall_to_string (VigieOverall overall)
{
  switch (overall)
    {
    case VIGIE_OVERALL_OPERATIONAL: return "operational";
    case VIGIE_OVERALL_MAINTENANCE: return "maintenance";
    case VIGIE_OVERALL_DEGRADED: return "degraded";
    case VIGIE_OVERALL_DOWN: return "down";
    case VIGIE_OVERALL_OFFLINE: return "offline";
    case VIGIE_OVERALL_PAUSED: return "paused";
    case VIGIE_OVERALL_CHECKING:
    default: return "checking";
    }
}

static void
set_busy (VigieMonitor *self,
          gboolean      busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
update_overall (VigieMonitor *self)
{
  VigieOverall overall;

  if (self->paused)
    overall = VIGIE_OVERALL_PAUSED;
  else if (self->connectivity == VIGIE_CONNECTIVITY_OFFLINE
           || self->connectivity == VIGIE_CONNECTIVITY_CAPTIVE_PORTAL)
    overall = VIGIE_OVERALL_OFFLINE;
  else
    switch (vigie_tracker_worst_state (self->tracker))
      {
      case VIGIE_STATE_DOWN: overall = VIGIE_OVERALL_DOWN; break;
      case VIGIE_STATE_DEGRADED: overall = VIGIE_OVERALL_DEGRADED; break;
      case VIGIE_STATE_MAINTENANCE: overall = VIGIE_OVERALL_MAINTENANCE; break;
      case VIGIE_STATE_OPERATIONAL: overall = VIGIE_OVERALL_OPERATIONAL; break;
      case VIGIE_STATE_UNKNOWN:
      default:
        overall = self->services->len == 0 && self->n_rounds > 0 ? VIGIE_OVERALL_OPERATIONAL
                                                                 : VIGIE_OVERALL_CHECKING;
        break;
      }

  if (overall == self->overall)
    return;
  self->overall = overall;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVERALL]);
}

/* Drops the round in flight: its results will be ignored. */
static void
discard_round (VigieMonitor *self)
{
  self->generation++;
  if (self->round_cancellable != NULL)
    g_cancellable_cancel (self->round_cancellable);
  g_clear_object (&self->round_cancellable);
  set_busy (self, FALSE);
}

static void
clear_timer (VigieMonitor *self)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
}

static gboolean
on_timer (gpointer user_data)
{
  VigieMonitor *self = user_data;

  self->timer_id = 0;
  start_round (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_in (VigieMonitor *self,
             gint64        delay_ms)
{
  clear_timer (self);
  if (!self->started || self->paused)
    return;
  self->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MAX (delay_ms, 0), on_timer,
                                       self, NULL);
}

/* The next round is due an Interval (or RetryInterval) after this one started. */
static void
schedule_next (VigieMonitor *self)
{
  gboolean hurry = vigie_tracker_has_suspects (self->tracker)
                   || self->connectivity != VIGIE_CONNECTIVITY_ONLINE;
  guint seconds = vigie_config_get_setting (self->config, hurry ? VIGIE_SETTING_RETRY_INTERVAL
                                                                : VIGIE_SETTING_INTERVAL);
  gint64 due_us = self->round_started_us + (gint64) seconds * self->second_ms * 1000;

  schedule_in (self, (due_us - g_get_monotonic_time ()) / 1000);
}

static void
report_notice (VigieMonitor *self,
               const char   *message)
{
  g_message ("%s", message);
  g_signal_emit (self, signals[NOTICE], 0, message);
}

static void
record (VigieMonitor *self,
        GPtrArray    *transitions)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *notice = NULL;
  gboolean was_failing;

  if (self->history == NULL)
    return;
  was_failing = vigie_history_is_failing (self->history);
  if (!vigie_history_record (self->history, transitions, &error) && !was_failing)
    {
      g_autofree char *message =
        g_strdup_printf (_("The outage log could not be written (%s). Monitoring goes on; "
                           "what is already in the log is kept."),
                         error->message);
      report_notice (self, message);
    }
  /* A damaged file put in the log's place while running is moved aside
   * at the write that finds it: say so then, not at the next start. */
  notice = vigie_history_take_notice (self->history);
  if (notice != NULL)
    report_notice (self, notice);
}

/* The tracker's transitions are data; the log, the hooks and the alerts
 * also keep the sentence that explains each one, made from the round's
 * evidence for that service. */
static void
explain (GPtrArray  *transitions,
         VigieRound *round)
{
  for (guint i = 0; i < transitions->len; i++)
    {
      VigieTransition *transition = g_ptr_array_index (transitions, i);

      for (guint j = 0; j < round->observations->len; j++)
        {
          const VigieObservation *observation = g_ptr_array_index (round->observations, j);

          if (g_str_equal (observation->service->id, transition->service_id))
            {
              g_free (transition->reason);
              transition->reason = vigie_report_reason (observation, round->connectivity);
              break;
            }
        }
    }
}

static void
apply_round (VigieMonitor *self,
             VigieRound   *round)
{
  g_autoptr(GPtrArray) transitions = NULL;
  VigieConnectivity before = self->connectivity;

  self->n_rounds++;
  self->last_round_at = round->started_at;

  if (round->connectivity != self->connectivity)
    {
      self->connectivity = round->connectivity;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTIVITY]);
    }
  g_clear_pointer (&self->connectivity_evidence, vigie_connectivity_evidence_free);
  if (round->connectivity_evidence != NULL)
    self->connectivity_evidence = vigie_connectivity_evidence_copy (round->connectivity_evidence);

  transitions = vigie_tracker_observe (self->tracker, round->connectivity, round->observations,
                                       g_get_real_time ());
  explain (transitions, round);
  record (self, transitions);

  update_overall (self);
  if (before != self->connectivity)
    g_signal_emit (self, signals[CONNECTIVITY_CHANGED], 0, self->connectivity);
  for (guint i = 0; i < transitions->len; i++)
    {
      VigieTransition *transition = g_ptr_array_index (transitions, i);
      vigie_hooks_run (self->hooks, transition);
      g_signal_emit (self, signals[SERVICE_CHANGED], 0, transition);
    }
  g_signal_emit (self, signals[ROUND_FINISHED], 0, round);

#ifdef __GLIBC__
  /* The round's bodies and parsed feeds were allocated on worker threads,
   * whose malloc arenas keep freed pages reserved; an applet that sleeps a
   * minute between rounds should give them back. */
  malloc_trim (0);
#endif

  /* Back online after a spell offline: what the user wants to know now is
   * whether the services are fine, not in a minute. */
  if (before != VIGIE_CONNECTIVITY_ONLINE && before != VIGIE_CONNECTIVITY_UNKNOWN
      && self->connectivity == VIGIE_CONNECTIVITY_ONLINE)
    schedule_in (self, 0);
  else
    schedule_next (self);
}

typedef struct
{
  VigieMonitor *self;  /* strong ref */
  guint generation;
} RoundContext;

static void
on_round_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  RoundContext *context = user_data;
  g_autoptr(VigieMonitor) self = context->self;
  g_autoptr(VigieRound) round = NULL;
  g_autoptr(GError) error = NULL;
  guint generation = context->generation;

  g_free (context);
  round = vigie_probe_run_finish (VIGIE_PROBE (source), result, &error);

  if (generation != self->generation)
    return; /* overtaken: whoever bumped the generation scheduled what's next */

  g_clear_object (&self->round_cancellable);
  set_busy (self, FALSE);

  if (round == NULL)
    {
      g_warning ("round failed: %s", error->message);
      schedule_next (self);
      return;
    }
  apply_round (self, round);
}

static void
ensure_probe (VigieMonitor *self)
{
  guint timeout_s = vigie_config_get_setting (self->config, VIGIE_SETTING_TIMEOUT);
  VigieHttpOptions options = {
    .user_agent = self->user_agent,
    .timeout_s = timeout_s,
    .max_total_connections = self->max_total_connections,
    .ca_file = self->ca_file,
    .resolve = self->resolve,
  };

  if (self->probe != NULL && self->timeout_s == timeout_s)
    return;
  g_clear_object (&self->probe);
  g_clear_object (&self->http);
  self->timeout_s = timeout_s;
  self->http = vigie_http_new (&options);
  self->probe = vigie_probe_new (self->http);
}

/* Sleep or a clock change shows as wall-clock time moving apart from
 * monotonic time; either way the round in flight measured nothing useful. */
static gboolean
clock_jumped (VigieMonitor *self)
{
  gint64 offset = g_get_real_time () - g_get_monotonic_time ();
  gint64 drift = offset - self->clock_offset_us;

  self->clock_offset_us = offset;
  return ABS (drift) > CLOCK_JUMP_US;
}

static void
start_round (VigieMonitor *self)
{
  RoundContext *context;

  if (!self->started || self->paused || self->busy)
    return;

  if (clock_jumped (self) && self->n_rounds > 0)
    {
      g_debug ("wall clock moved apart from monotonic time: resumed from sleep?");
      vigie_monitor_notify_resumed (self);
      return;
    }

  ensure_probe (self);
  clear_timer (self);
  self->round_started_us = g_get_monotonic_time ();
  self->round_cancellable = g_cancellable_new ();
  set_busy (self, TRUE);

  context = g_new0 (RoundContext, 1);
  context->self = g_object_ref (self);
  context->generation = self->generation;
  vigie_probe_run_async (self->probe, self->services,
                         vigie_config_get_connectivity_urls (self->config),
                         self->round_cancellable, on_round_done, context);
}

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
      report_notice (self, message);
    }
}

static void
on_hook_failed (VigieMonitor *self,
                const char   *message)
{
  report_notice (self, message);
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
      update_overall (self);
      /* A round in flight checks the old list: start over with the new one. */
      if (self->started && !self->paused)
        {
          discard_round (self);
          schedule_in (self, 0);
        }
      return;
    }

  if (self->started && !self->busy && !self->paused && self->n_rounds > 0)
    schedule_next (self);
}

static void
on_network_changed (GNetworkMonitor *network_monitor,
                    gboolean         available,
                    VigieMonitor    *self)
{
  if (!self->started || self->paused)
    return;
  g_debug ("network changed (available: %d): checking again shortly", available);
  discard_round (self);
  schedule_in (self, NETWORK_GRACE_MS);
}

static void
on_prepare_for_sleep (GDBusConnection *connection,
                      const char      *sender_name,
                      const char      *object_path,
                      const char      *interface_name,
                      const char      *signal_name,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  VigieMonitor *self = user_data;
  gboolean going_to_sleep = FALSE;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;
  g_variant_get (parameters, "(b)", &going_to_sleep);
  if (going_to_sleep)
    {
      discard_round (self);
      clear_timer (self);
    }
  else
    vigie_monitor_notify_resumed (self);
}

static void
on_system_bus (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);
  VigieMonitor *self;

  if (bus == NULL)
    {
      /* No system bus (a container, a test): the clock check covers resume. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("no system bus, resume is detected from the clock only: %s", error->message);
      return;
    }

  self = user_data;
  self->system_bus = bus;
  self->sleep_subscription =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.login1",
                                        "org.freedesktop.login1.Manager", "PrepareForSleep",
                                        "/org/freedesktop/login1", NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, on_prepare_for_sleep, self,
                                        NULL);
}

static void
vigie_monitor_dispose (GObject *object)
{
  VigieMonitor *self = VIGIE_MONITOR (object);

  clear_timer (self);
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

  properties[PROP_OVERALL] =
    g_param_spec_int ("overall", NULL, NULL, VIGIE_OVERALL_CHECKING, VIGIE_OVERALL_PAUSED,
                      VIGIE_OVERALL_CHECKING, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTIVITY] =
    g_param_spec_int ("connectivity", NULL, NULL, VIGIE_CONNECTIVITY_UNKNOWN,
                      VIGIE_CONNECTIVITY_OFFLINE, VIGIE_CONNECTIVITY_UNKNOWN,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * VigieMonitor:second-ms:
   *
   * How long one second of the Interval and RetryInterval settings lasts, in
   * milliseconds: 1000, except in tests that replay an hour in a minute.
   */
  properties[PROP_SECOND_MS] =
    g_param_spec_uint ("second-ms", NULL, NULL, 1, 1000, 1000,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VigieMonitor::round-finished:
   * @round: (type gpointer): the #VigieRound, valid during the emission
   */
  signals[ROUND_FINISHED] = g_signal_new ("round-finished", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                          1, G_TYPE_POINTER);
  /**
   * VigieMonitor::service-changed:
   * @transition: the #VigieTransition
   */
  signals[SERVICE_CHANGED] = g_signal_new ("service-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                           1, VIGIE_TYPE_TRANSITION);
  /**
   * VigieMonitor::connectivity-changed:
   * @connectivity: the new #VigieConnectivity
   */
  signals[CONNECTIVITY_CHANGED] = g_signal_new ("connectivity-changed", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 1, G_TYPE_INT);
  /**
   * VigieMonitor::notice:
   * @message: a sentence for the user about a problem of Vigie's own
   *   (the outage log cannot be written, ...), emitted once per problem
   */
  signals[NOTICE] = g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
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
 * vigie_monitor_start:
 * @self: a #VigieMonitor
 *
 * Starts watching: a first round at once, then on schedule. Also starts
 * following network changes and suspend/resume.
 */
void
vigie_monitor_start (VigieMonitor *self)
{
  g_autofree char *notice = NULL;

  g_return_if_fail (VIGIE_IS_MONITOR (self));

  if (self->started)
    return;
  self->started = TRUE;

  if (self->history != NULL && (notice = vigie_history_take_notice (self->history)) != NULL)
    report_notice (self, notice);

  self->network_monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_changed_id = g_signal_connect (self->network_monitor, "network-changed",
                                               G_CALLBACK (on_network_changed), self);
  self->bus_cancellable = g_cancellable_new ();
  g_bus_get (G_BUS_TYPE_SYSTEM, self->bus_cancellable, on_system_bus, self);

  start_round (self);
}

/**
 * vigie_monitor_stop:
 * @self: a #VigieMonitor
 *
 * Stops watching. The log records that every known state ends here, so an
 * outage in progress does not seem to run on while Vigie is not looking.
 */
void
vigie_monitor_stop (VigieMonitor *self)
{
  g_autoptr(GPtrArray) transitions = NULL;
  gint64 now = g_get_real_time ();

  g_return_if_fail (VIGIE_IS_MONITOR (self));

  if (!self->started)
    return;
  self->started = FALSE;
  discard_round (self);
  clear_timer (self);

  transitions = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);
  for (guint i = 0; i < self->services->len; i++)
    {
      VigieService *service = g_ptr_array_index (self->services, i);
      const VigieServiceStatus *status = vigie_tracker_lookup (self->tracker, service->id);
      VigieTransition *transition;

      if (status == NULL || status->state == VIGIE_STATE_UNKNOWN)
        continue;
      transition = vigie_transition_new ();
      transition->service_id = g_strdup (service->id);
      transition->service_name = g_strdup (service->name);
      transition->provider = g_strdup (service->provider);
      transition->from = status->state;
      transition->to = VIGIE_STATE_UNKNOWN;
      transition->at = now;
      transition->since = MIN (status->since_us, now);
      transition->reason = g_strdup (_("Vigie stopped watching"));
      g_ptr_array_add (transitions, transition);
    }
  record (self, transitions);
}

/**
 * vigie_monitor_check_now:
 * @self: a #VigieMonitor
 *
 * Starts a round at once, unless one is already running or checking is paused.
 */
void
vigie_monitor_check_now (VigieMonitor *self)
{
  g_return_if_fail (VIGIE_IS_MONITOR (self));
  start_round (self);
}

static gboolean
on_pause_over (gpointer user_data)
{
  VigieMonitor *self = user_data;

  self->pause_timer_id = 0;
  vigie_monitor_resume (self);
  return G_SOURCE_REMOVE;
}

/**
 * vigie_monitor_pause:
 * @self: a #VigieMonitor
 * @seconds: how long, or 0 for "until resumed"
 *
 * Stops checking for a while. States freeze; nothing is declared.
 */
void
vigie_monitor_pause (VigieMonitor *self,
                     guint         seconds)
{
  g_return_if_fail (VIGIE_IS_MONITOR (self));

  g_clear_handle_id (&self->pause_timer_id, g_source_remove);
  self->paused_until = seconds ? g_get_real_time () + (gint64) seconds * G_USEC_PER_SEC : 0;
  if (seconds)
    self->pause_timer_id = g_timeout_add_seconds (seconds, on_pause_over, self);

  if (!self->paused)
    {
      self->paused = TRUE;
      discard_round (self);
      clear_timer (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
    }
  update_overall (self);
}

/**
 * vigie_monitor_resume:
 * @self: a #VigieMonitor
 *
 * Ends a pause and checks at once.
 */
void
vigie_monitor_resume (VigieMonitor *self)
{
  g_return_if_fail (VIGIE_IS_MONITOR (self));

  g_clear_handle_id (&self->pause_timer_id, g_source_remove);
  self->paused_until = 0;
  if (!self->paused)
    return;
  self->paused = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
  update_overall (self);
  start_round (self);
}

/**
 * vigie_monitor_notify_resumed:
 * @self: a #VigieMonitor
 *
 * The machine woke up (or its clock was set): whatever was in flight is
 * stale. Checks again after a short grace, for the network to come back.
 */
void
vigie_monitor_notify_resumed (VigieMonitor *self)
{
  g_return_if_fail (VIGIE_IS_MONITOR (self));

  self->clock_offset_us = g_get_real_time () - g_get_monotonic_time ();
  if (!self->started || self->paused)
    return;
  discard_round (self);
  schedule_in (self, RESUME_GRACE_MS);
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
