/* vigie-tracker.h — the per-service state machine: observations in,
 * confirmed states and transitions out.
 *
 * Pure: the caller passes each round's wall-clock time in; the tracker reads
 * no clock, does no I/O and owns no timer (the monitor schedules rounds and
 * asks vigie_tracker_has_suspects() whether the next one is a retry).
 *
 * Contract (DESIGN.md §1), per service, one step per round:
 *
 *  - Gate. A round whose connectivity is not ONLINE (offline, captive
 *    portal, not checked) is discarded whole: counters, states, flapping
 *    history and the status below stay exactly as they were; nothing is
 *    emitted. A CANCELLED observation (not probed) is discarded the same way.
 *    Only rounds that get through the gate count ("counters are per round,
 *    not per time").
 *  - Counters. `failures` counts consecutive rounds whose probe failed (layer
 *    not OK); `successes` counts consecutive *healthy* rounds: probe OK and
 *    no official major outage. Each resets the other's streak.
 *  - Start. Every service starts UNKNOWN. A healthy first round gives
 *    OPERATIONAL at once (unknown→operational is emitted; callers need not
 *    notify it). A failing start is suspect like any other and confirms
 *    unknown→down after failures_before_down rounds.
 *  - Official word, no confirmation: MAJOR → DOWN; MAINTENANCE →
 *    MAINTENANCE, whatever the probe says (a failing probe during official
 *    maintenance is maintenance, not down); MINOR → DEGRADED (also while
 *    the probe fails: the vendor says so; the failures still count and
 *    confirm DOWN at the threshold).
 *  - Probe, with confirmation: failures_before_down consecutive failures
 *    (the first counts) confirm DOWN, even when the official page says all
 *    is well (pages lag; the reason says so).
 *  - Recovery from DOWN, however it was reached, takes successes_before_up
 *    healthy rounds, then goes to what the round shows (OPERATIONAL, or
 *    DEGRADED under an official minor incident). One success then a failure
 *    again restarts the count. Leaving DEGRADED or MAINTENANCE needs no
 *    confirmation: they came from the vendor's word, so once the official
 *    level is back to operational (or gone) and the probe answers, the
 *    service is OPERATIONAL in that same round. While the probe still fails
 *    the state is held until failures confirm DOWN.
 *  - Suspect: a failure is counted but DOWN not confirmed (and no official
 *    major outage or maintenance already decides), or DOWN is recovering
 *    (a success is counted). Only then is a quick retry worth it.
 *  - Flapping (Nagios' weighted percent state change). Each counted round
 *    appends whether its probe answered (ok/fail) to the last 21; of the 20
 *    possible changes between neighbours, the oldest weighs 0.8 and the
 *    newest 1.2 (linear), and percent = 100 × Σ weights of the changes / 20.
 *    Flapping starts when the percent is above 20 and stops when it is
 *    below 5. The probe's result, not the one-shot verdict, is what counts:
 *    official levels are set by people and move a few times per incident
 *    (investigating → identified → resolved), each move worth telling,
 *    whereas flapping is about an unstable front door or network path. At
 *    20 %, about four changes in 21 rounds are enough: a short outage whose
 *    recovery has one more failure in it is flapping.
 *    The round it starts emits one FLAPPING_STARTED (from = the state before
 *    the round, to = the state after it) instead of any state transition;
 *    while it lasts, states still change internally (lookup shows them) but
 *    no transition is emitted; the round it stops emits one
 *    FLAPPING_STOPPED with from = the state when flapping started and to =
 *    the state now. So the emitted transitions of a service always chain:
 *    each one's `from` is the previous one's `to`.
 *  - Time. Each transition has at = now and since = when `from` began (for
 *    FLAPPING_STOPPED: when flapping started). Wall time may jump either
 *    way between rounds; a `since` in the future is clamped to now, so
 *    at − since is never negative, and since nothing is counted in time a
 *    jump changes nothing else.
 *  - Settings apply from the next round on, to counters already reached:
 *    lowering failures_before_down to a count already reached confirms DOWN
 *    on the next failing round.
 *
 * Worst-case detection time is Interval + (FailuresBeforeDown − 1) ×
 * RetryInterval + Timeout, provided the monitor schedules each round from
 * the start of the previous one: the outage starts just after a good
 * answer, the next round starts an Interval later, each further one a
 * RetryInterval later (the service is suspect), and the confirming probe
 * takes up to Timeout. With the defaults, 60 + 2 × 15 + 10 = 100 s.
 */
#pragma once

#include <glib-object.h>

#include "vigie-connectivity.h"
#include "vigie-feeds.h"
#include "vigie-http.h"
#include "vigie-probe.h"

G_BEGIN_DECLS

#define VIGIE_TRACKER_DEFAULT_FAILURES_BEFORE_DOWN 3
#define VIGIE_TRACKER_DEFAULT_SUCCESSES_BEFORE_UP  2

/* Flapping thresholds and window, as in Nagios. */
#define VIGIE_TRACKER_FLAP_HISTORY    21
#define VIGIE_TRACKER_FLAP_START      20.0
#define VIGIE_TRACKER_FLAP_STOP       5.0

/**
 * VigieTrackerSettings:
 * @failures_before_down: consecutive failing rounds that confirm DOWN
 *   (`FailuresBeforeDown`, default 3; 0 counts as 1)
 * @successes_before_up: consecutive healthy rounds that confirm recovery
 *   from DOWN (`SuccessesBeforeUp`, default 2; 0 counts as 1)
 */
typedef struct
{
  guint failures_before_down;
  guint successes_before_up;
} VigieTrackerSettings;

/**
 * VigieServiceStatus:
 * @state: the confirmed state (what the user sees)
 * @since_us: wall-clock time @state began, µs since the epoch
 * @suspect: a failure is counted but not confirmed yet, or DOWN is
 *   recovering: the next round should come after RetryInterval
 * @failures: consecutive failing rounds
 * @successes: consecutive healthy rounds
 * @flapping: the service keeps changing; transitions are held back
 * @flap_percent: the weighted percent state change, 0–100
 * @layer: the last counted probe's layer
 * @http_status: its HTTP status, 0 if none
 * @latency_ms: its total time
 * @official: the official level in the last counted round
 * @incident_title: (nullable): the worst open official incident (else the
 *   first maintenance) in the last counted round
 * @incident_url: (nullable): its page
 * @last_checked_us: wall-clock time of the last counted round
 *
 * A service as the tracker sees it, for the UI, as data: the words for it
 * are vigie-report's (vigie_report_status_reason()). Owned by the tracker.
 */
typedef struct
{
  VigieState state;
  gint64 since_us;
  gboolean suspect;
  guint failures;
  guint successes;
  gboolean flapping;
  double flap_percent;
  VigieLayer layer;
  guint http_status;
  double latency_ms;
  VigieOfficialLevel official;
  char *incident_title;
  char *incident_url;
  gint64 last_checked_us;
} VigieServiceStatus;

#define VIGIE_TYPE_TRACKER (vigie_tracker_get_type ())
G_DECLARE_FINAL_TYPE (VigieTracker, vigie_tracker, VIGIE, TRACKER, GObject)

VigieTracker             *vigie_tracker_new           (const VigieTrackerSettings *settings);
void                      vigie_tracker_set_settings  (VigieTracker               *self,
                                                       const VigieTrackerSettings *settings);
void                      vigie_tracker_get_settings  (VigieTracker               *self,
                                                       VigieTrackerSettings       *settings);
GPtrArray                *vigie_tracker_observe       (VigieTracker               *self,
                                                       VigieConnectivity           connectivity,
                                                       GPtrArray                  *observations,
                                                       gint64                      now_us);
gboolean                  vigie_tracker_has_suspects  (VigieTracker               *self);
void                      vigie_tracker_forget_except (VigieTracker               *self,
                                                       const char *const          *service_ids);
const VigieServiceStatus *vigie_tracker_lookup        (VigieTracker               *self,
                                                       const char                 *service_id);
VigieState                vigie_tracker_worst_state   (VigieTracker               *self);

double                    vigie_tracker_flap_percent  (const gboolean             *history,
                                                       guint                       n_history);

G_END_DECLS
