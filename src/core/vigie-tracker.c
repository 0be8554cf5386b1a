/* vigie-tracker.c — the per-service state machine; the contract is in the
 * header.
 *
 * One Tracked record per service id ever counted, in a hash table. A round
 * walks the observations in order, steps each service once and collects at
 * most one transition per service, so the result keeps the service order.
 */
#define G_LOG_DOMAIN "vigie-tracker"

#include "config.h"

#include <string.h>

#include "vigie-tracker.h"
#include "vigie-transition.h"
#include "vigie-verdict.h"

/* Flapping weights, in integer units so threshold comparisons are exact:
 * the k-th of the 20 possible changes (0 = oldest) weighs
 * 0.8 + 0.4·k/19 = (76 + 2k)/95, so percent = 100·Σ/20 = Σ(76 + 2k)/19. */
#define FLAP_CHANGES     (VIGIE_TRACKER_FLAP_HISTORY - 1)
#define FLAP_UNITS(k)    (76u + 2u * (guint) (k))
#define FLAP_DENOMINATOR 19u

typedef struct
{
  VigieServiceStatus status;
  /* Last probe results (answered or not), oldest first. */
  gboolean history[VIGIE_TRACKER_FLAP_HISTORY];
  guint n_history;
  /* Valid while status.flapping: the state the FLAPPING_STARTED transition
   * left the service in, and when. */
  VigieState flap_from;
  gint64 flap_since_us;
} Tracked;

struct _VigieTracker
{
  GObject parent_instance;

  VigieTrackerSettings settings;
  GHashTable *services;  /* service id → Tracked* */
};

G_DEFINE_FINAL_TYPE (VigieTracker, vigie_tracker, G_TYPE_OBJECT)

static void
tracked_free (Tracked *tracked)
{
  g_free (tracked->status.incident_title);
  g_free (tracked->status.incident_url);
  g_free (tracked);
}

static void
vigie_tracker_finalize (GObject *object)
{
  VigieTracker *self = VIGIE_TRACKER (object);

  g_clear_pointer (&self->services, g_hash_table_unref);

  G_OBJECT_CLASS (vigie_tracker_parent_class)->finalize (object);
}

static void
vigie_tracker_class_init (VigieTrackerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vigie_tracker_finalize;
}

static void
vigie_tracker_init (VigieTracker *self)
{
  self->settings.failures_before_down = VIGIE_TRACKER_DEFAULT_FAILURES_BEFORE_DOWN;
  self->settings.successes_before_up = VIGIE_TRACKER_DEFAULT_SUCCESSES_BEFORE_UP;
  self->services = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) tracked_free);
}

/**
 * vigie_tracker_new:
 * @settings: (nullable): thresholds, or %NULL for the defaults
 *
 * Returns: (transfer full): a tracker that has seen nothing yet
 */
VigieTracker *
vigie_tracker_new (const VigieTrackerSettings *settings)
{
  VigieTracker *self = g_object_new (VIGIE_TYPE_TRACKER, NULL);

  if (settings != NULL)
    vigie_tracker_set_settings (self, settings);
  return self;
}

/**
 * vigie_tracker_set_settings:
 * @self: a tracker
 * @settings: (nullable): thresholds, or %NULL for the defaults
 *
 * Takes effect from the next round, on the counters already reached. A
 * threshold of 0 counts as 1: a single round always decides.
 */
void
vigie_tracker_set_settings (VigieTracker               *self,
                            const VigieTrackerSettings *settings)
{
  g_return_if_fail (VIGIE_IS_TRACKER (self));

  if (settings == NULL)
    {
      self->settings.failures_before_down = VIGIE_TRACKER_DEFAULT_FAILURES_BEFORE_DOWN;
      self->settings.successes_before_up = VIGIE_TRACKER_DEFAULT_SUCCESSES_BEFORE_UP;
      return;
    }
  self->settings.failures_before_down = MAX (settings->failures_before_down, 1);
  self->settings.successes_before_up = MAX (settings->successes_before_up, 1);
}

/**
 * vigie_tracker_get_settings:
 * @self: a tracker
 * @settings: (out caller-allocates): the thresholds in effect
 */
void
vigie_tracker_get_settings (VigieTracker         *self,
                            VigieTrackerSettings *settings)
{
  g_return_if_fail (VIGIE_IS_TRACKER (self));
  g_return_if_fail (settings != NULL);

  *settings = self->settings;
}

/* Σ of the weights of the changes in @history (oldest first, at most the
 * last VIGIE_TRACKER_FLAP_HISTORY entries count), in FLAP_UNITS. Fewer
 * entries than the window simply have fewer changes: the denominator stays
 * 20, so a young service does not flap on its first two verdicts. */
static guint
flap_units (const gboolean *history,
            guint           n_history)
{
  guint units = 0;

  if (n_history > VIGIE_TRACKER_FLAP_HISTORY)
    {
      history += n_history - VIGIE_TRACKER_FLAP_HISTORY;
      n_history = VIGIE_TRACKER_FLAP_HISTORY;
    }
  for (guint i = 1; i < n_history; i++)
    {
      /* The change between entries i-1 and i; the newest is change 19. */
      guint k = FLAP_CHANGES - (n_history - i);

      if (!history[i] != !history[i - 1])
        units += FLAP_UNITS (k);
    }
  return units;
}

/**
 * vigie_tracker_flap_percent:
 * @history: (array length=n_history): probe results (%TRUE: it answered),
 *   oldest first
 * @n_history: how many; only the last %VIGIE_TRACKER_FLAP_HISTORY count
 *
 * Nagios' weighted percent state change, as the tracker computes it: 100 ×
 * Σ (weight of each change between neighbours) / 20, weights rising linearly
 * from 0.8 (oldest possible change) to 1.2 (newest).
 *
 * Returns: the percent, 0–100
 */
double
vigie_tracker_flap_percent (const gboolean *history,
                            guint           n_history)
{
  g_return_val_if_fail (history != NULL || n_history == 0, 0.0);

  return (double) flap_units (history, n_history) / FLAP_DENOMINATOR;
}

static void
history_push (Tracked  *tracked,
              gboolean  probe_ok)
{
  if (tracked->n_history == VIGIE_TRACKER_FLAP_HISTORY)
    {
      memmove (tracked->history, tracked->history + 1,
               (VIGIE_TRACKER_FLAP_HISTORY - 1) * sizeof tracked->history[0]);
      tracked->n_history--;
    }
  tracked->history[tracked->n_history++] = probe_ok;
}

static VigieTransition *
transition_new (VigieTransitionKind     kind,
                const VigieObservation *observation,
                VigieState              from,
                VigieState              to,
                gint64                  since_us,
                gint64                  now_us)
{
  VigieTransition *transition = vigie_transition_new ();
  const VigieFeedIncident *incident = vigie_feed_report_main_incident (observation->official);

  transition->kind = kind;
  transition->service_id = g_strdup (observation->service->id);
  transition->service_name = g_strdup (observation->service->name);
  transition->provider = g_strdup (observation->service->provider);
  transition->from = from;
  transition->to = to;
  transition->at = now_us;
  transition->since = MIN (since_us, now_us);
  transition->layer = observation->layer;
  transition->http_status = observation->http_status;
  transition->official = vigie_observation_official_level (observation);
  if (incident != NULL)
    {
      transition->incident_title = g_strdup (incident->title);
      transition->incident_url = g_strdup (incident->url);
    }
  return transition;
}

/* One counted round for one service. Returns the transition to emit, if any. */
static VigieTransition *
tracked_step (Tracked                    *tracked,
              const VigieTrackerSettings *settings,
              const VigieObservation     *observation,
              gint64                      now_us)
{
  VigieServiceStatus *status = &tracked->status;
  VigieOfficialLevel official = vigie_observation_official_level (observation);
  gboolean probe_ok = vigie_observation_site_ok (observation);
  gboolean healthy = probe_ok && official != VIGIE_OFFICIAL_MAJOR;
  gboolean was_flapping = status->flapping;
  const VigieFeedIncident *incident = vigie_feed_report_main_incident (observation->official);
  VigieState before = status->state;
  gint64 before_since;
  guint units;

  /* The clock went back (NTP, the user, a resume): a state can't have begun
   * in the future. Clamping here is all a jump needs, since nothing else
   * is counted in time. */
  status->since_us = MIN (status->since_us, now_us);
  tracked->flap_since_us = MIN (tracked->flap_since_us, now_us);
  before_since = status->since_us;

  /* Saturating: a service down for years must not wrap back to 0. */
  status->failures = probe_ok ? 0 : (status->failures < G_MAXUINT ? status->failures + 1
                                                                   : G_MAXUINT);
  status->successes = !healthy ? 0 : (status->successes < G_MAXUINT ? status->successes + 1
                                                                      : G_MAXUINT);

  status->state = vigie_verdict_decide (&(VigieVerdictInput) {
                                          .current = before,
                                          .official = official,
                                          .probe_ok = probe_ok,
                                          .failures = status->failures,
                                          .successes = status->successes,
                                          .failures_before_down = settings->failures_before_down,
                                          .successes_before_up = settings->successes_before_up,
                                        });
  if (status->state != before)
    status->since_us = now_us;

  history_push (tracked, probe_ok);
  units = flap_units (tracked->history, tracked->n_history);
  status->flap_percent = (double) units / FLAP_DENOMINATOR;
  if (!was_flapping && units > VIGIE_TRACKER_FLAP_START * FLAP_DENOMINATOR)
    {
      status->flapping = TRUE;
      tracked->flap_from = status->state;
      tracked->flap_since_us = now_us;
    }
  else if (was_flapping && units < VIGIE_TRACKER_FLAP_STOP * FLAP_DENOMINATOR)
    status->flapping = FALSE;

  /* Worth a quick retry: a failure that may confirm DOWN (not under an
   * official word that already decides), or a DOWN that may recover. */
  status->suspect = (status->state != VIGIE_STATE_DOWN && status->failures > 0
                     && official != VIGIE_OFFICIAL_MAINTENANCE
                     && official != VIGIE_OFFICIAL_MAJOR)
                    || (status->state == VIGIE_STATE_DOWN && status->successes > 0);

  status->layer = observation->layer;
  status->http_status = observation->http_status;
  status->latency_ms = observation->latency_ms;
  status->official = official;
  g_free (status->incident_title);
  status->incident_title = incident ? g_strdup (incident->title) : NULL;
  g_free (status->incident_url);
  status->incident_url = incident ? g_strdup (incident->url) : NULL;
  status->last_checked_us = now_us;

  if (!was_flapping && status->flapping)
    return transition_new (VIGIE_TRANSITION_FLAPPING_STARTED, observation, before,
                           status->state, before_since, now_us);
  if (was_flapping && !status->flapping)
    return transition_new (VIGIE_TRANSITION_FLAPPING_STOPPED, observation,
                           tracked->flap_from, status->state, tracked->flap_since_us, now_us);
  if (!status->flapping && status->state != before)
    return transition_new (VIGIE_TRANSITION_STATE, observation, before, status->state,
                           before_since, now_us);
  return NULL;
}

/**
 * vigie_tracker_observe:
 * @self: a tracker
 * @connectivity: the user's connection during the round
 * @observations: (element-type VigieObservation): the round's observations
 * @now_us: wall-clock time of the round, µs since the epoch
 *
 * Steps every observed service once. Nothing is counted unless
 * @connectivity is %VIGIE_CONNECTIVITY_ONLINE; cancelled observations are
 * skipped.
 *
 * Returns: (transfer full) (element-type VigieTransition): the transitions
 *   of this round, at most one per service, in the order of @observations;
 *   possibly empty, never %NULL
 */
GPtrArray *
vigie_tracker_observe (VigieTracker      *self,
                       VigieConnectivity  connectivity,
                       GPtrArray         *observations,
                       gint64             now_us)
{
  g_autoptr(GPtrArray) transitions = NULL;

  g_return_val_if_fail (VIGIE_IS_TRACKER (self), NULL);
  g_return_val_if_fail (observations != NULL, NULL);

  transitions = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);

  /* Can't tell, so don't count: a failure from behind a captive portal says
   * nothing about the service, and neither does a success it faked. */
  if (connectivity != VIGIE_CONNECTIVITY_ONLINE)
    return g_steal_pointer (&transitions);

  for (guint i = 0; i < observations->len; i++)
    {
      const VigieObservation *observation = g_ptr_array_index (observations, i);
      VigieTransition *transition;
      Tracked *tracked;

      if (observation == NULL || observation->service == NULL
          || observation->service->id == NULL)
        {
          g_critical ("%s: observation %u has no service", G_STRFUNC, i);
          continue;
        }
      if (observation->layer == VIGIE_LAYER_CANCELLED)
        continue;

      tracked = g_hash_table_lookup (self->services, observation->service->id);
      if (tracked == NULL)
        {
          tracked = g_new0 (Tracked, 1);
          tracked->status.state = VIGIE_STATE_UNKNOWN;
          /* Unknown since tracking began, the earliest Vigie can vouch for. */
          tracked->status.since_us = now_us;
          g_hash_table_insert (self->services, g_strdup (observation->service->id), tracked);
        }

      transition = tracked_step (tracked, &self->settings, observation, now_us);
      if (transition != NULL)
        g_ptr_array_add (transitions, transition);
    }

  return g_steal_pointer (&transitions);
}

/**
 * vigie_tracker_has_suspects:
 * @self: a tracker
 *
 * Returns: %TRUE if a service has failures counted but not confirmed, or is
 *   recovering from DOWN: the next round should come after RetryInterval
 *   rather than Interval
 */
gboolean
vigie_tracker_has_suspects (VigieTracker *self)
{
  GHashTableIter iter;
  Tracked *tracked;

  g_return_val_if_fail (VIGIE_IS_TRACKER (self), FALSE);

  g_hash_table_iter_init (&iter, self->services);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &tracked))
    if (tracked->status.suspect)
      return TRUE;
  return FALSE;
}

/**
 * vigie_tracker_forget_except:
 * @self: a tracker
 * @service_ids: (array zero-terminated=1) (nullable): the ids still watched;
 *   %NULL forgets every service
 *
 * Drops what is known about every other service: one that comes back later
 * starts again from UNKNOWN.
 */
void
vigie_tracker_forget_except (VigieTracker      *self,
                             const char *const *service_ids)
{
  GHashTableIter iter;
  const char *id;

  g_return_if_fail (VIGIE_IS_TRACKER (self));

  g_hash_table_iter_init (&iter, self->services);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    if (service_ids == NULL || !g_strv_contains (service_ids, id))
      g_hash_table_iter_remove (&iter);
}

/**
 * vigie_tracker_lookup:
 * @self: a tracker
 * @service_id: a service id
 *
 * Returns: (transfer none) (nullable): the service's status, valid until
 *   the next call that changes @self; %NULL if no round counted it yet
 */
const VigieServiceStatus *
vigie_tracker_lookup (VigieTracker *self,
                      const char   *service_id)
{
  Tracked *tracked;

  g_return_val_if_fail (VIGIE_IS_TRACKER (self), NULL);
  g_return_val_if_fail (service_id != NULL, NULL);

  tracked = g_hash_table_lookup (self->services, service_id);
  return tracked ? &tracked->status : NULL;
}

/**
 * vigie_tracker_worst_state:
 * @self: a tracker
 *
 * Returns: the worst confirmed state among tracked services (DOWN >
 *   DEGRADED > MAINTENANCE > OPERATIONAL > UNKNOWN), %VIGIE_STATE_UNKNOWN
 *   when none is tracked
 */
VigieState
vigie_tracker_worst_state (VigieTracker *self)
{
  GHashTableIter iter;
  Tracked *tracked;
  VigieState worst = VIGIE_STATE_UNKNOWN;

  g_return_val_if_fail (VIGIE_IS_TRACKER (self), VIGIE_STATE_UNKNOWN);

  /* VigieState is declared in order of gravity. */
  g_hash_table_iter_init (&iter, self->services);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &tracked))
    worst = MAX (worst, tracked->status.state);
  return worst;
}
