/* vigie-probe.h — one round of evidence: services in, observations out.
 *
 * A round is one batch of requests, all in parallel: the connectivity
 * baselines, each watched service's front door (headers only) and each
 * distinct official feed (fetched once even when several services share it,
 * conditionally so an unchanged feed costs a 304). On the worker thread the
 * answers become one VigieObservation per service: the failing layer and
 * latency of the probe, and the parsed official status. Nothing here decides
 * that a service is down for good — that is the tracker's job; the one-shot
 * verdict below is what `vigie --check` prints.
 */
#pragma once

#include <gio/gio.h>

#include "vigie-connectivity.h"
#include "vigie-feeds.h"
#include "vigie-http.h"
#include "vigie-service.h"
#include "vigie-state.h"

G_BEGIN_DECLS

/**
 * VigieObservation:
 * @service: the service observed
 * @layer: the probe's outcome: %VIGIE_LAYER_OK or where it failed;
 *   %VIGIE_LAYER_CANCELLED when it was not probed (offline)
 * @http_status: the front door's final HTTP status, 0 if none
 * @latency_ms: the probe's total time
 * @message: (nullable): what went wrong with the probe, for people
 * @official: (nullable): the official status, %NULL when there is no
 *   evidence (no feed, or it could not be fetched or read)
 * @feed_problem: (nullable): why a service with a feed has no evidence
 * @observed_at: wall-clock time of the observation, in µs since the epoch
 */
typedef struct
{
  VigieService *service;
  VigieLayer layer;
  guint http_status;
  double latency_ms;
  char *message;
  VigieFeedReport *official;
  char *feed_problem;
  gint64 observed_at;
} VigieObservation;

VigieObservation   *vigie_observation_copy           (const VigieObservation *observation);
void                vigie_observation_free           (VigieObservation       *observation);
gboolean            vigie_observation_site_ok        (const VigieObservation *observation);
VigieOfficialLevel  vigie_observation_official_level (const VigieObservation *observation);
VigieState          vigie_observation_verdict        (const VigieObservation *observation);

/**
 * VigieRound:
 * @connectivity: the user's own connection during the round
 * @connectivity_evidence: why the connection was judged so (the words for
 *   it are vigie_report_connectivity_detail()'s)
 * @observations: (element-type VigieObservation): one per service, in order
 * @started_at: wall-clock start, µs since the epoch
 * @duration_ms: how long the round took
 * @bytes_down: bytes received in the round, all requests together
 * @n_requests: requests made (shared feeds count once)
 */
typedef struct
{
  VigieConnectivity connectivity;
  VigieConnectivityEvidence *connectivity_evidence;
  GPtrArray *observations;
  gint64 started_at;
  double duration_ms;
  guint64 bytes_down;
  guint n_requests;
} VigieRound;

void vigie_round_free (VigieRound *round);

#define VIGIE_TYPE_PROBE (vigie_probe_get_type ())
G_DECLARE_FINAL_TYPE (VigieProbe, vigie_probe, VIGIE, PROBE, GObject)

VigieProbe *vigie_probe_new        (VigieHttp            *http);
void        vigie_probe_run_async  (VigieProbe           *self,
                                    GPtrArray            *services,
                                    const char *const    *connectivity_urls,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
VigieRound *vigie_probe_run_finish (VigieProbe           *self,
                                    GAsyncResult         *result,
                                    GError              **error);
VigieRound *vigie_probe_run_sync   (VigieProbe           *self,
                                    GPtrArray            *services,
                                    const char *const    *connectivity_urls,
                                    GCancellable         *cancellable,
                                    GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieObservation, vigie_observation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieRound, vigie_round_free)

G_END_DECLS
