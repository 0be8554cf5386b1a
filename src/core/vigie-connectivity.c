/* vigie-connectivity.c — judges the baseline answers; see the header. */
#define G_LOG_DOMAIN "vigie-connectivity"

#include "config.h"

#include <gio/gio.h>

#include "vigie-connectivity.h"

/* Check pages are tiny; a portal's login page is not, and needs no reading. */
#define BASELINE_MAX_BODY 4096

typedef enum
{
  EXPECT_204,       /* Google and Android style: 204, empty body */
  EXPECT_TEXT,      /* a known text in a 200 */
  EXPECT_SUCCESS,   /* any other URL: a 2xx from the host asked */
} Expectation;

typedef struct
{
  const char *host;
  Expectation expect;
  const char *text;
} KnownCheck;

static const KnownCheck known_checks[] = {
  { "connectivitycheck.gstatic.com", EXPECT_204, NULL },
  { "www.gstatic.com", EXPECT_204, NULL },
  { "clients3.google.com", EXPECT_204, NULL },
  { "detectportal.firefox.com", EXPECT_TEXT, "success" },
  { "nmcheck.gnome.org", EXPECT_TEXT, "NetworkManager is online" },
  { "network-test.debian.org", EXPECT_TEXT, "NetworkManager is online" },
  { "www.msftconnecttest.com", EXPECT_TEXT, "Microsoft Connect Test" },
};

const char *
vigie_connectivity_to_string (VigieConnectivity connectivity)
{
  switch (connectivity)
    {
    case VIGIE_CONNECTIVITY_ONLINE: return "online";
    case VIGIE_CONNECTIVITY_CAPTIVE_PORTAL: return "captive-portal";
    case VIGIE_CONNECTIVITY_OFFLINE: return "offline";
    case VIGIE_CONNECTIVITY_UNKNOWN:
    default: return "unknown";
    }
}

/**
 * vigie_connectivity_request_new:
 * @url: a baseline URL
 *
 * Returns: (transfer full): the request that checks @url: a small capped
 *   body, plain http allowed (captive-portal checks often are)
 */
VigieHttpRequest *
vigie_connectivity_request_new (const char *url)
{
  VigieHttpRequest *request = vigie_http_request_new (url, VIGIE_REQUEST_BODY);

  request->max_body = BASELINE_MAX_BODY;
  request->allow_plain_http = TRUE;
  return request;
}

static char *
host_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return g_strdup (uri ? g_uri_get_host (uri) : url);
}

static const KnownCheck *
find_known (const char *host)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_checks); i++)
    if (g_ascii_strcasecmp (known_checks[i].host, host) == 0)
      return &known_checks[i];
  return NULL;
}

static gboolean
body_contains (GBytes     *body,
               const char *text)
{
  gsize length = 0;
  const char *data = body ? g_bytes_get_data (body, &length) : NULL;

  return data != NULL && g_strstr_len (data, length, text) != NULL;
}

/* Did this answer come from the real check endpoint, as it should look? */
static gboolean
answered_as_expected (const char              *url,
                      const VigieHttpResponse *response)
{
  g_autofree char *host = host_of (url);
  g_autofree char *final_host = response->final_url ? host_of (response->final_url) : NULL;
  const KnownCheck *known = find_known (host);

  /* A portal answers by sending the browser elsewhere. */
  if (final_host != NULL && g_ascii_strcasecmp (host, final_host) != 0)
    return FALSE;

  switch (known ? known->expect : EXPECT_SUCCESS)
    {
    case EXPECT_204:
      return response->http_status == 204
             && (response->body == NULL || g_bytes_get_size (response->body) == 0);
    case EXPECT_TEXT:
      return response->http_status == 200 && body_contains (response->body, known->text);
    case EXPECT_SUCCESS:
    default:
      return response->http_status >= 200 && response->http_status < 300;
    }
}

static void
baseline_failure_clear (VigieBaselineFailure *failure)
{
  g_free (failure->host);
}

/**
 * vigie_connectivity_evidence_new:
 * @why: what the baselines showed
 *
 * Returns: (transfer full): evidence with no host and no failures
 */
VigieConnectivityEvidence *
vigie_connectivity_evidence_new (VigieConnectivityWhy why)
{
  VigieConnectivityEvidence *evidence = g_new0 (VigieConnectivityEvidence, 1);

  evidence->why = why;
  evidence->failures = g_array_new (FALSE, TRUE, sizeof (VigieBaselineFailure));
  g_array_set_clear_func (evidence->failures, (GDestroyNotify) baseline_failure_clear);
  return evidence;
}

/**
 * vigie_connectivity_evidence_copy:
 * @evidence: evidence
 *
 * Returns: (transfer full): a deep copy
 */
VigieConnectivityEvidence *
vigie_connectivity_evidence_copy (const VigieConnectivityEvidence *evidence)
{
  VigieConnectivityEvidence *copy;

  g_return_val_if_fail (evidence != NULL, NULL);

  copy = vigie_connectivity_evidence_new (evidence->why);
  copy->host = g_strdup (evidence->host);
  for (guint i = 0; i < evidence->failures->len; i++)
    {
      const VigieBaselineFailure *failure = &g_array_index (evidence->failures,
                                                            VigieBaselineFailure, i);
      VigieBaselineFailure dup = { g_strdup (failure->host), failure->layer };

      g_array_append_val (copy->failures, dup);
    }
  return copy;
}

void
vigie_connectivity_evidence_free (VigieConnectivityEvidence *evidence)
{
  if (evidence == NULL)
    return;
  g_free (evidence->host);
  g_array_unref (evidence->failures);
  g_free (evidence);
}

/**
 * vigie_connectivity_judge:
 * @urls: the baseline URLs
 * @responses: (element-type VigieHttpResponse): one response per URL, same order
 * @evidence: (out) (optional) (transfer full): why, as data
 *
 * Returns: the user's connectivity as the baselines show it
 */
VigieConnectivity
vigie_connectivity_judge (const char *const           *urls,
                          GPtrArray                   *responses,
                          VigieConnectivityEvidence  **evidence)
{
  g_autoptr(VigieConnectivityEvidence) found = NULL;
  g_autofree char *captive_host = NULL;
  VigieConnectivity connectivity;
  guint n_urls;

  g_return_val_if_fail (urls != NULL, VIGIE_CONNECTIVITY_UNKNOWN);
  g_return_val_if_fail (responses != NULL, VIGIE_CONNECTIVITY_UNKNOWN);

  n_urls = g_strv_length ((char **) urls);
  g_return_val_if_fail (responses->len == n_urls, VIGIE_CONNECTIVITY_UNKNOWN);

  found = vigie_connectivity_evidence_new (VIGIE_CONNECTIVITY_WHY_NO_ANSWER);
  for (guint i = 0; i < n_urls; i++)
    {
      const VigieHttpResponse *response = g_ptr_array_index (responses, i);
      g_autofree char *host = host_of (urls[i]);
      VigieBaselineFailure failure;

      if (response->layer == VIGIE_LAYER_OK && answered_as_expected (urls[i], response))
        {
          g_array_set_size (found->failures, 0);
          found->why = VIGIE_CONNECTIVITY_WHY_ANSWERED;
          found->host = g_steal_pointer (&host);
          break;
        }

      /* Something on the path answered instead of the real endpoint: a
       * redirect, a login page, or a TLS handshake it could not complete. */
      if (captive_host == NULL
          && (response->layer == VIGIE_LAYER_OK || response->layer == VIGIE_LAYER_HTTP
              || response->layer == VIGIE_LAYER_TLS || response->layer == VIGIE_LAYER_TOO_LARGE))
        captive_host = g_strdup (host);

      failure.host = g_steal_pointer (&host);
      failure.layer = response->layer;
      g_array_append_val (found->failures, failure);
    }

  if (n_urls == 0)
    found->why = VIGIE_CONNECTIVITY_WHY_NOT_CHECKED;
  else if (found->why != VIGIE_CONNECTIVITY_WHY_ANSWERED && captive_host != NULL)
    {
      g_array_set_size (found->failures, 0);
      found->why = VIGIE_CONNECTIVITY_WHY_INTERCEPTED;
      found->host = g_steal_pointer (&captive_host);
    }

  switch (found->why)
    {
    case VIGIE_CONNECTIVITY_WHY_ANSWERED: connectivity = VIGIE_CONNECTIVITY_ONLINE; break;
    case VIGIE_CONNECTIVITY_WHY_INTERCEPTED: connectivity = VIGIE_CONNECTIVITY_CAPTIVE_PORTAL; break;
    case VIGIE_CONNECTIVITY_WHY_NO_ANSWER: connectivity = VIGIE_CONNECTIVITY_OFFLINE; break;
    case VIGIE_CONNECTIVITY_WHY_NO_NETWORK:
    case VIGIE_CONNECTIVITY_WHY_NOT_CHECKED:
    default: connectivity = VIGIE_CONNECTIVITY_UNKNOWN; break;
    }
  if (evidence != NULL)
    *evidence = g_steal_pointer (&found);
  return connectivity;
}

/**
 * vigie_connectivity_network_available:
 *
 * GNetworkMonitor's view: %FALSE when the system has no usable network at
 * all (no route), in which case probing is pointless.
 *
 * Returns: whether a network is available
 */
gboolean
vigie_connectivity_network_available (void)
{
  return g_network_monitor_get_network_available (g_network_monitor_get_default ());
}
