/* vigie-connectivity.h — "is it me?": the user's own connection.
 *
 * A few independent baseline URLs are fetched in the same batch as the
 * services. Online if any answers as expected; captive portal if they answer
 * with something else (a login page, an intercepted TLS handshake); offline
 * if none answers. GNetworkMonitor is only a fast hint: when it says there
 * is no network at all, nothing is fetched.
 */
#pragma once

#include <glib.h>

#include "vigie-http.h"

G_BEGIN_DECLS

/**
 * VigieConnectivity:
 * @VIGIE_CONNECTIVITY_UNKNOWN: not checked yet
 * @VIGIE_CONNECTIVITY_ONLINE: a baseline answered as expected
 * @VIGIE_CONNECTIVITY_CAPTIVE_PORTAL: baselines answered, but not as expected
 * @VIGIE_CONNECTIVITY_OFFLINE: no baseline answered
 */
typedef enum
{
  VIGIE_CONNECTIVITY_UNKNOWN,
  VIGIE_CONNECTIVITY_ONLINE,
  VIGIE_CONNECTIVITY_CAPTIVE_PORTAL,
  VIGIE_CONNECTIVITY_OFFLINE,
} VigieConnectivity;

/**
 * VigieConnectivityWhy:
 * @VIGIE_CONNECTIVITY_WHY_NOT_CHECKED: no baseline is configured
 * @VIGIE_CONNECTIVITY_WHY_NO_NETWORK: the system reports no network at all
 * @VIGIE_CONNECTIVITY_WHY_ANSWERED: a baseline (the evidence's host)
 *   answered as expected
 * @VIGIE_CONNECTIVITY_WHY_INTERCEPTED: a baseline host answered with
 *   something else: a captive portal or a filtering network
 * @VIGIE_CONNECTIVITY_WHY_NO_ANSWER: no baseline answered; the evidence's
 *   failures say how each failed
 */
typedef enum
{
  VIGIE_CONNECTIVITY_WHY_NOT_CHECKED,
  VIGIE_CONNECTIVITY_WHY_NO_NETWORK,
  VIGIE_CONNECTIVITY_WHY_ANSWERED,
  VIGIE_CONNECTIVITY_WHY_INTERCEPTED,
  VIGIE_CONNECTIVITY_WHY_NO_ANSWER,
} VigieConnectivityWhy;

/**
 * VigieBaselineFailure:
 * @host: the baseline's host
 * @layer: where its request failed
 */
typedef struct
{
  char *host;
  VigieLayer layer;
} VigieBaselineFailure;

/**
 * VigieConnectivityEvidence:
 * @why: what the baselines showed
 * @host: (nullable): the host that answered (ANSWERED) or answered with
 *   something else (INTERCEPTED)
 * @failures: (element-type VigieBaselineFailure): for NO_ANSWER, each
 *   baseline's failure, in order; empty otherwise
 *
 * Why the user's connection was judged as it was, as data: the sentence for
 * people is vigie_report_connectivity_detail()'s.
 */
typedef struct
{
  VigieConnectivityWhy why;
  char *host;
  GArray *failures;
} VigieConnectivityEvidence;

const char                *vigie_connectivity_to_string       (VigieConnectivity   connectivity);
VigieHttpRequest          *vigie_connectivity_request_new     (const char         *url);
VigieConnectivity          vigie_connectivity_judge           (const char *const  *urls,
                                                               GPtrArray          *responses,
                                                               VigieConnectivityEvidence **evidence);
gboolean                   vigie_connectivity_network_available (void);

VigieConnectivityEvidence *vigie_connectivity_evidence_new    (VigieConnectivityWhy why);
VigieConnectivityEvidence *vigie_connectivity_evidence_copy   (const VigieConnectivityEvidence *evidence);
void                       vigie_connectivity_evidence_free   (VigieConnectivityEvidence *evidence);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieConnectivityEvidence, vigie_connectivity_evidence_free)

G_END_DECLS
