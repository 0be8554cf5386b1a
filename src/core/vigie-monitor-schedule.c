/* vigie-monitor-schedule.c — when rounds run: one timer set to the next
 * due time, the round in flight on the probe's worker, and what makes it
 * stale (resume from sleep, a network change, a pause). The contract is in
 * vigie-monitor.h.
 *
 * Staleness: every round carries the generation it was started in. Anything
 * that makes a round in flight meaningless (resume, network change, services
 * changed, pause) bumps the generation and cancels it; its results are then
 * dropped when they arrive, as gnome-text-editor drops stale statistics.
 */
#define G_LOG_DOMAIN "vigie-monitor"

#include "config.h"

#include "vigie-monitor-private.h"

/* After a resume the network needs a moment; after a network change too. */
#define RESUME_GRACE_MS 5000
#define NETWORK_GRACE_MS 3000
/* A gap this large between wall-clock and monotonic time means the machine
 * slept (monotonic time stops during suspend) or the clock was set. */
#define CLOCK_JUMP_US (30 * G_USEC_PER_SEC)

static void start_round (VigieMonitor *self);

static void
set_busy (VigieMonitor *self,
          gboolean      busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), monitor_properties[PROP_BUSY]);
}

/* Drops the round in flight: its results will be ignored. */
void
monitor_discard_round (VigieMonitor *self)
{
  self->generation++;
  if (self->round_cancellable != NULL)
    g_cancellable_cancel (self->round_cancellable);
  g_clear_object (&self->round_cancellable);
  set_busy (self, FALSE);
}

void
monitor_clear_timer (VigieMonitor *self)
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

void
monitor_schedule_in (VigieMonitor *self,
                     gint64        delay_ms)
{
  monitor_clear_timer (self);
  if (!self->started || self->paused)
    return;
  self->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MAX (delay_ms, 0), on_timer,
                                       self, NULL);
}

/* The next round is due an Interval (or RetryInterval) after this one started. */
void
monitor_schedule_next (VigieMonitor *self)
{
  gboolean hurry = vigie_tracker_has_suspects (self->tracker)
                   || self->connectivity != VIGIE_CONNECTIVITY_ONLINE;
  guint seconds = vigie_config_get_setting (self->config, hurry ? VIGIE_SETTING_RETRY_INTERVAL
                                                                : VIGIE_SETTING_INTERVAL);
  gint64 due_us = self->round_started_us + (gint64) seconds * self->second_ms * 1000;

  monitor_schedule_in (self, (due_us - g_get_monotonic_time ()) / 1000);
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
      monitor_schedule_next (self);
      return;
    }
  monitor_apply_round (self, round);
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
  monitor_clear_timer (self);
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
on_network_changed (GNetworkMonitor *network_monitor,
                    gboolean         available,
                    VigieMonitor    *self)
{
  if (!self->started || self->paused)
    return;
  g_debug ("network changed (available: %d): checking again shortly", available);
  monitor_discard_round (self);
  monitor_schedule_in (self, NETWORK_GRACE_MS);
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
      monitor_discard_round (self);
      monitor_clear_timer (self);
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
    monitor_report_notice (self, notice);

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
  gint64 now = g_get_real_time ();

  g_return_if_fail (VIGIE_IS_MONITOR (self));

  if (!self->started)
    return;
  self->started = FALSE;
  monitor_discard_round (self);
  monitor_clear_timer (self);
  monitor_record_stop (self, now);
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
      monitor_discard_round (self);
      monitor_clear_timer (self);
      g_object_notify_by_pspec (G_OBJECT (self), monitor_properties[PROP_PAUSED]);
    }
  monitor_update_overall (self);
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
  g_object_notify_by_pspec (G_OBJECT (self), monitor_properties[PROP_PAUSED]);
  monitor_update_overall (self);
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
  monitor_discard_round (self);
  monitor_schedule_in (self, RESUME_GRACE_MS);
}

