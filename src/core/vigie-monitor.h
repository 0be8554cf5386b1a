/* vigie-monitor.h — schedules rounds and turns them into what the user sees.
 *
 * Owns the probe, the tracker and (optionally) the history. Contract:
 *  - One timer, set to the next due time: a round starts an Interval after
 *    the previous one started, or a RetryInterval after while a service is
 *    suspect or the user is offline (to notice the way back quickly). Rounds
 *    never overlap.
 *  - Rounds run on a worker thread; results are applied on the main context.
 *    Results of a round that was overtaken (check-now, settings change,
 *    network change, resume from suspend) are discarded.
 *  - After a resume (logind PrepareForSleep(false) on the system bus, or a
 *    jump between wall-clock and monotonic time) or a network change: the
 *    round in flight is discarded and a new one starts after a short grace.
 *    When the connection comes back, a round starts at once.
 *  - Settings changes apply without restart.
 *  - Problems of the outage log are reported once through ::notice; the
 *    monitoring goes on without it.
 */
#pragma once

#include <glib-object.h>

#include "vigie-config.h"
#include "vigie-history.h"
#include "vigie-probe.h"
#include "vigie-tracker.h"
#include "vigie-transition.h"

G_BEGIN_DECLS

#define VIGIE_TYPE_MONITOR (vigie_monitor_get_type ())
G_DECLARE_FINAL_TYPE (VigieMonitor, vigie_monitor, VIGIE, MONITOR, GObject)

VigieMonitor      *vigie_monitor_new              (VigieConfig            *config,
                                                   VigieHistory           *history,
                                                   const VigieHttpOptions *http_options);
void               vigie_monitor_start            (VigieMonitor           *self);
void               vigie_monitor_stop             (VigieMonitor           *self);
void               vigie_monitor_check_now        (VigieMonitor           *self);
void               vigie_monitor_pause            (VigieMonitor           *self,
                                                   guint                   seconds);
void               vigie_monitor_resume           (VigieMonitor           *self);
void               vigie_monitor_notify_resumed   (VigieMonitor           *self);

VigieConfig       *vigie_monitor_get_config       (VigieMonitor           *self);
VigieHistory      *vigie_monitor_get_history      (VigieMonitor           *self);
VigieTracker      *vigie_monitor_get_tracker      (VigieMonitor           *self);
GPtrArray         *vigie_monitor_get_services     (VigieMonitor           *self);
VigieOverall       vigie_monitor_get_overall      (VigieMonitor           *self);
VigieConnectivity  vigie_monitor_get_connectivity (VigieMonitor           *self);
const VigieConnectivityEvidence *vigie_monitor_get_connectivity_evidence (VigieMonitor *self);
gboolean           vigie_monitor_get_busy         (VigieMonitor           *self);
gboolean           vigie_monitor_get_paused       (VigieMonitor           *self);
gint64             vigie_monitor_get_paused_until (VigieMonitor           *self);
guint              vigie_monitor_get_n_rounds     (VigieMonitor           *self);
gint64             vigie_monitor_get_last_round_at (VigieMonitor          *self);

G_END_DECLS
