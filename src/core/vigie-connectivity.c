/* vigie-connectivity.c — judges the baseline answers; see the header. */
#define G_LOG_DOMAIN "vigie-connectivity"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "vigie-connectivity.h"
#include "vigie-report.h"

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

/**
 * vigie_connectivity_judge:
 * @urls: the baseline URLs
 * @responses: (element-type VigieHttpResponse): one response per URL, same order
 * @detail: (out) (optional) (transfer full): one sentence for people saying why
 *
 * Returns: the user's connectivity as the baselines show it
 */
VigieConnectivity
vigie_connectivity_judge (const char *const  *urls,
                          GPtrArray          *responses,
                          char              **detail)
{
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autofree char *captive_host = NULL;
  guint n_urls;

  g_return_val_if_fail (urls != NULL, VIGIE_CONNECTIVITY_UNKNOWN);
  g_return_val_if_fail (responses != NULL, VIGIE_CONNECTIVITY_UNKNOWN);

  n_urls = g_strv_length ((char **) urls);
  g_return_val_if_fail (responses->len == n_urls, VIGIE_CONNECTIVITY_UNKNOWN);

  if (n_urls == 0)
    {
      if (detail)
        *detail = g_strdup (_("no connectivity check is configured"));
      return VIGIE_CONNECTIVITY_UNKNOWN;
    }

  for (guint i = 0; i < n_urls; i++)
    {
      const VigieHttpResponse *response = g_ptr_array_index (responses, i);
      g_autofree char *host = host_of (urls[i]);

      if (response->layer == VIGIE_LAYER_OK && answered_as_expected (urls[i], response))
        {
          if (detail)
            *detail = g_strdup_printf (_("%s answered as expected"), host);
          return VIGIE_CONNECTIVITY_ONLINE;
        }

      /* Something on the path answered instead of the real endpoint: a
       * redirect, a login page, or a TLS handshake it could not complete. */
      if (captive_host == NULL
          && (response->layer == VIGIE_LAYER_OK || response->layer == VIGIE_LAYER_HTTP
              || response->layer == VIGIE_LAYER_TLS || response->layer == VIGIE_LAYER_TOO_LARGE))
        captive_host = g_strdup (host);

      if (failures->len > 0)
        g_string_append (failures, C_("reasons", "; "));
      g_string_append_printf (failures, C_("host: failure", "%s: %s"), host,
                              vigie_layer_describe (response->layer));
    }

  if (captive_host != NULL)
    {
      if (detail)
        *detail = g_strdup_printf (_("%s answered with something else: a captive portal or a "
                                     "filtering network is in the way"),
                                   captive_host);
      return VIGIE_CONNECTIVITY_CAPTIVE_PORTAL;
    }

  if (detail)
    *detail = g_strdup_printf (_("no connectivity check answered (%s)"), failures->str);
  return VIGIE_CONNECTIVITY_OFFLINE;
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
