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

const char        *vigie_connectivity_to_string       (VigieConnectivity   connectivity);
VigieHttpRequest  *vigie_connectivity_request_new     (const char         *url);
VigieConnectivity  vigie_connectivity_judge           (const char *const  *urls,
                                                       GPtrArray          *responses,
                                                       char              **detail);
gboolean           vigie_connectivity_network_available (void);

G_END_DECLS
