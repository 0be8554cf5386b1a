/* vigie-monitor-private.h — what the pieces of the monitor share, and
 * nobody else uses.
 *
 * The monitor is one object in three files: the object itself, its settings
 * and its getters (vigie-monitor-object.c); when rounds run, and what makes
 * a round in flight stale (vigie-monitor-schedule.c); and what an applied
 * round changes: states, the outage log, hooks, signals
 * (vigie-monitor-apply.c). They share the object's fields, its properties
 * and signals, and the few functions below.
 */
#pragma once

#include "vigie-hooks.h"
#include "vigie-monitor.h"

G_BEGIN_DECLS

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

/* The object (vigie-monitor-object.c) */
extern GParamSpec *monitor_properties[N_PROPS];
extern guint monitor_signals[N_SIGNALS];

/* The schedule (vigie-monitor-schedule.c) */
void monitor_discard_round  (VigieMonitor *self);
void monitor_clear_timer    (VigieMonitor *self);
void monitor_schedule_in    (VigieMonitor *self,
                             gint64        delay_ms);
void monitor_schedule_next  (VigieMonitor *self);

/* Applying a round (vigie-monitor-apply.c) */
void monitor_update_overall (VigieMonitor *self);
void monitor_report_notice  (VigieMonitor *self,
                             const char   *message);
void monitor_apply_round    (VigieMonitor *self,
                             VigieRound   *round);
void monitor_record_stop    (VigieMonitor *self,
                             gint64        now);

G_END_DECLS
