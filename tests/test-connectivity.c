/* test-connectivity.c — "is it me?" (vigie-connectivity.h) without a
 * network: the baselines' answers as the HTTP engine hands them over,
 * judged online, captive portal or offline, with the sentence that says
 * why; and the request that fetches a baseline. */
#include "config.h"

#include "vigie-connectivity.h"
#include "vigie-report.h"

#define GSTATIC "http://connectivitycheck.gstatic.com/generate_204"
#define FIREFOX "http://detectportal.firefox.com/success.txt"
#define GNOME   "http://nmcheck.gnome.org/check_network_status.txt"
#define OWN     "https://ping.example.org/health"

/* An answer as VigieHttp would give it: @layer, @status, @body (NULL for
 * none), and the URL it ended at (NULL: where it was asked). */
static VigieHttpResponse *
response_new (VigieLayer  layer,
              guint       status,
              const char *body,
              const char *final_url)
{
  VigieHttpResponse *response = g_new0 (VigieHttpResponse, 1);

  response->layer = layer;
  response->http_status = status;
  if (body != NULL)
    response->body = g_bytes_new (body, strlen (body));
  response->final_url = g_strdup (final_url);
  return response;
}

static GPtrArray *
responses_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_http_response_free);
}

/* The answers to GSTATIC, FIREFOX and OWN, in that order. */
static GPtrArray *
three_responses (VigieHttpResponse *gstatic,
                 VigieHttpResponse *firefox,
                 VigieHttpResponse *own)
{
  GPtrArray *responses = responses_new ();

  g_ptr_array_add (responses, gstatic);
  g_ptr_array_add (responses, firefox);
  g_ptr_array_add (responses, own);
  return responses;
}

static const char *const three_urls[] = { GSTATIC, FIREFOX, OWN, NULL };

/* Judges @responses for @urls and checks the verdict and the sentence
 * vigie-report makes of its evidence (also of a copy of it). */
static void
assert_judged (const char *const *urls,
               GPtrArray         *responses,
               VigieConnectivity  expected,
               const char        *expected_detail)
{
  g_autoptr(VigieConnectivityEvidence) evidence = NULL;
  g_autoptr(VigieConnectivityEvidence) copy = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *copy_detail = NULL;
  VigieConnectivity connectivity = vigie_connectivity_judge (urls, responses, &evidence);

  g_assert_cmpstr (vigie_connectivity_to_string (connectivity), ==,
                   vigie_connectivity_to_string (expected));
  detail = vigie_report_connectivity_detail (evidence);
  g_assert_cmpstr (detail, ==, expected_detail);
  copy = vigie_connectivity_evidence_copy (evidence);
  copy_detail = vigie_report_connectivity_detail (copy);
  g_assert_cmpstr (copy_detail, ==, expected_detail);
  /* The evidence is optional; the verdict is the same without it. */
  g_assert_cmpint (vigie_connectivity_judge (urls, responses, NULL), ==, expected);
}

/* One baseline, one answer. */
static void
assert_one (const char        *url,
            VigieHttpResponse *response,
            VigieConnectivity  expected,
            const char        *expected_detail)
{
  const char *const urls[] = { url, NULL };
  g_autoptr(GPtrArray) responses = responses_new ();

  g_ptr_array_add (responses, response);
  assert_judged (urls, responses, expected, expected_detail);
}

static void
test_to_string (void)
{
  g_assert_cmpstr (vigie_connectivity_to_string (VIGIE_CONNECTIVITY_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (vigie_connectivity_to_string (VIGIE_CONNECTIVITY_ONLINE), ==, "online");
  g_assert_cmpstr (vigie_connectivity_to_string (VIGIE_CONNECTIVITY_CAPTIVE_PORTAL), ==,
                   "captive-portal");
  g_assert_cmpstr (vigie_connectivity_to_string (VIGIE_CONNECTIVITY_OFFLINE), ==, "offline");
  g_assert_cmpstr (vigie_connectivity_to_string (42), ==, "unknown");
}

static void
test_request (void)
{
  g_autoptr(VigieHttpRequest) request = vigie_connectivity_request_new (GSTATIC);

  g_assert_cmpstr (request->url, ==, GSTATIC);
  /* The body is read (known-text checks), but capped small: a portal's
   * login page needs no reading. */
  g_assert_cmpint (request->mode, ==, VIGIE_REQUEST_BODY);
  g_assert_cmpuint (request->max_body, >, 0);
  g_assert_cmpuint (request->max_body, <=, 64 * 1024);
  /* Check endpoints are often plain http. */
  g_assert_true (request->allow_plain_http);
  g_assert_null (request->etag);
  g_assert_null (request->last_modified);
}

/* The endpoints Vigie knows answer in their own way, and only that way
 * proves the connection works. */
static void
test_known_endpoints (void)
{
  /* Google's: 204, nothing in it. */
  assert_one (GSTATIC, response_new (VIGIE_LAYER_OK, 204, NULL, NULL), VIGIE_CONNECTIVITY_ONLINE,
              "connectivitycheck.gstatic.com answered as expected");
  assert_one (GSTATIC, response_new (VIGIE_LAYER_OK, 204, "", GSTATIC),
              VIGIE_CONNECTIVITY_ONLINE, "connectivitycheck.gstatic.com answered as expected");
  /* A portal's login page instead. */
  assert_one (GSTATIC, response_new (VIGIE_LAYER_OK, 200, "<html>Log in</html>", NULL),
              VIGIE_CONNECTIVITY_CAPTIVE_PORTAL,
              "connectivitycheck.gstatic.com answered with something else: a captive portal or "
              "a filtering network is in the way");
  assert_one (GSTATIC, response_new (VIGIE_LAYER_OK, 204, "x", NULL),
              VIGIE_CONNECTIVITY_CAPTIVE_PORTAL,
              "connectivitycheck.gstatic.com answered with something else: a captive portal or "
              "a filtering network is in the way");

  /* Firefox's: 200 with "success". */
  assert_one (FIREFOX, response_new (VIGIE_LAYER_OK, 200, "success\n", NULL),
              VIGIE_CONNECTIVITY_ONLINE, "detectportal.firefox.com answered as expected");
  assert_one (FIREFOX, response_new (VIGIE_LAYER_OK, 200, "Welcome to the hotel Wi-Fi", NULL),
              VIGIE_CONNECTIVITY_CAPTIVE_PORTAL,
              "detectportal.firefox.com answered with something else: a captive portal or a "
              "filtering network is in the way");
  assert_one (FIREFOX, response_new (VIGIE_LAYER_OK, 204, NULL, NULL),
              VIGIE_CONNECTIVITY_CAPTIVE_PORTAL,
              "detectportal.firefox.com answered with something else: a captive portal or a "
              "filtering network is in the way");
  assert_one (FIREFOX, response_new (VIGIE_LAYER_OK, 200, NULL, NULL),
              VIGIE_CONNECTIVITY_CAPTIVE_PORTAL,
              "detectportal.firefox.com answered with something else: a captive portal or a "
              "filtering network is in the way");

  /* GNOME's, whatever the case of its host. */
  assert_one ("http://NMCheck.GNOME.org/check_network_status.txt",
              response_new (VIGIE_LAYER_OK, 200, "NetworkManager is online\n", NULL),
              VIGIE_CONNECTIVITY_ONLINE, "NMCheck.GNOME.org answered as expected");
  assert_one (GNOME, response_new (VIGIE_LAYER_OK, 200, "NetworkManager is offline", NULL),
              VIGIE_CONNECTIVITY_CAPTIVE_PORTAL,
              "nmcheck.gnome.org answered with something else: a captive portal or a "
              "filtering network is in the way");
}

/* A portal answers by sending the browser elsewhere; an upgrade to https
 * on the same host is no portal. */
static void
test_redirected (void)
{
  assert_one (FIREFOX, response_new (VIGIE_LAYER_OK, 200, "success",
                                     "https://portal.hotel.example/login?success"),
              VIGIE_CONNECTIVITY_CAPTIVE_PORTAL,
              "detectportal.firefox.com answered with something else: a captive portal or a "
              "filtering network is in the way");
  assert_one (FIREFOX, response_new (VIGIE_LAYER_OK, 200, "success",
                                     "https://DetectPortal.Firefox.com/success.txt"),
              VIGIE_CONNECTIVITY_ONLINE, "detectportal.firefox.com answered as expected");
  assert_one (OWN, response_new (VIGIE_LAYER_OK, 200, "ok", "https://login.example/"),
              VIGIE_CONNECTIVITY_CAPTIVE_PORTAL,
              "ping.example.org answered with something else: a captive portal or a filtering "
              "network is in the way");
}

/* Any other URL the user configures: any 2xx from the host asked. */
static void
test_own_endpoint (void)
{
  static const struct { guint status; VigieConnectivity expected; } cases[] = {
    { 200, VIGIE_CONNECTIVITY_ONLINE },
    { 204, VIGIE_CONNECTIVITY_ONLINE },
    { 299, VIGIE_CONNECTIVITY_ONLINE },
    { 301, VIGIE_CONNECTIVITY_CAPTIVE_PORTAL },
    { 403, VIGIE_CONNECTIVITY_CAPTIVE_PORTAL },
    { 404, VIGIE_CONNECTIVITY_CAPTIVE_PORTAL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *const urls[] = { OWN, NULL };
      g_autoptr(GPtrArray) responses = responses_new ();

      g_ptr_array_add (responses, response_new (VIGIE_LAYER_OK, cases[i].status, "", NULL));
      g_assert_cmpint (vigie_connectivity_judge (urls, responses, NULL), ==, cases[i].expected);
    }
}

/* Which failures mean something is in the way, and which that nothing
 * answered at all. */
static void
test_failure_layers (void)
{
  static const struct { VigieLayer layer; VigieConnectivity expected; } cases[] = {
    /* Something answered, not the real endpoint. */
    { VIGIE_LAYER_HTTP, VIGIE_CONNECTIVITY_CAPTIVE_PORTAL },
    { VIGIE_LAYER_TLS, VIGIE_CONNECTIVITY_CAPTIVE_PORTAL },        /* intercepted handshake */
    { VIGIE_LAYER_TOO_LARGE, VIGIE_CONNECTIVITY_CAPTIVE_PORTAL },  /* a big login page */
    /* Nothing answered. */
    { VIGIE_LAYER_DNS, VIGIE_CONNECTIVITY_OFFLINE },
    { VIGIE_LAYER_CONNECT, VIGIE_CONNECTIVITY_OFFLINE },
    { VIGIE_LAYER_TIMEOUT, VIGIE_CONNECTIVITY_OFFLINE },
    { VIGIE_LAYER_PROTOCOL, VIGIE_CONNECTIVITY_OFFLINE },
    { VIGIE_LAYER_CANCELLED, VIGIE_CONNECTIVITY_OFFLINE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *const urls[] = { GSTATIC, NULL };
      g_autoptr(GPtrArray) responses = responses_new ();

      g_ptr_array_add (responses, response_new (cases[i].layer, 0, NULL, NULL));
      g_assert_cmpstr (vigie_connectivity_to_string (vigie_connectivity_judge (urls, responses,
                                                                               NULL)),
                       ==, vigie_connectivity_to_string (cases[i].expected));
    }
}

/* Several baselines: one that works is enough, whatever the others say. */
static void
test_any_baseline_suffices (void)
{
  g_autoptr(GPtrArray) responses =
    three_responses (response_new (VIGIE_LAYER_DNS, 0, NULL, NULL),
                     response_new (VIGIE_LAYER_OK, 200, "<html>portal</html>", NULL),
                     response_new (VIGIE_LAYER_OK, 200, "", NULL));

  assert_judged (three_urls, responses, VIGIE_CONNECTIVITY_ONLINE,
                 "ping.example.org answered as expected");
}

/* None works: the first one that met something in the way is named. */
static void
test_portal_named (void)
{
  g_autoptr(GPtrArray) responses =
    three_responses (response_new (VIGIE_LAYER_TIMEOUT, 0, NULL, NULL),
                     response_new (VIGIE_LAYER_TLS, 0, NULL, NULL),
                     response_new (VIGIE_LAYER_OK, 302, NULL, NULL));

  assert_judged (three_urls, responses, VIGIE_CONNECTIVITY_CAPTIVE_PORTAL,
                 "detectportal.firefox.com answered with something else: a captive portal or a "
                 "filtering network is in the way");
}

/* Nothing answered: each baseline's failure, in order. */
static void
test_offline_says_why (void)
{
  g_autoptr(GPtrArray) responses =
    three_responses (response_new (VIGIE_LAYER_DNS, 0, NULL, NULL),
                     response_new (VIGIE_LAYER_CONNECT, 0, NULL, NULL),
                     response_new (VIGIE_LAYER_TIMEOUT, 0, NULL, NULL));

  assert_judged (three_urls, responses, VIGIE_CONNECTIVITY_OFFLINE,
                 "no connectivity check answered (connectivitycheck.gstatic.com: name lookup "
                 "failed; detectportal.firefox.com: connection failed; ping.example.org: no "
                 "answer in time)");
}

/* No baseline configured: Vigie can't tell, and says so. */
static void
test_none_configured (void)
{
  const char *const urls[] = { NULL };
  g_autoptr(GPtrArray) responses = responses_new ();

  assert_judged (urls, responses, VIGIE_CONNECTIVITY_UNKNOWN,
                 "no connectivity check is configured");
}

/* A URL GLib cannot parse is named as written. */
static void
test_unparsable_url (void)
{
  assert_one ("not a url", response_new (VIGIE_LAYER_PROTOCOL, 0, NULL, NULL),
              VIGIE_CONNECTIVITY_OFFLINE,
              "no connectivity check answered (not a url: invalid answer)");
}

/* One answer per URL, or the call is a programming error. */
static void
test_mismatch (void)
{
  const char *const urls[] = { GSTATIC, FIREFOX, NULL };
  g_autoptr(GPtrArray) responses = responses_new ();

  if (!g_test_undefined ())
    return;
  g_ptr_array_add (responses, response_new (VIGIE_LAYER_OK, 204, NULL, NULL));
  g_test_expect_message ("vigie-connectivity", G_LOG_LEVEL_CRITICAL, "*responses->len*");
  g_assert_cmpint (vigie_connectivity_judge (urls, responses, NULL), ==,
                   VIGIE_CONNECTIVITY_UNKNOWN);
  g_test_assert_expected_messages ();
}

/* The tests run with GIO_USE_NETWORK_MONITOR=base (tests/meson.build),
 * whose monitor always reports a network. */
static void
test_network_available (void)
{
  if (g_strcmp0 (g_getenv ("GIO_USE_NETWORK_MONITOR"), "base") != 0)
    {
      g_test_skip ("needs GIO_USE_NETWORK_MONITOR=base");
      return;
    }
  g_assert_true (vigie_connectivity_network_available ());
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/connectivity/to-string", test_to_string);
  g_test_add_func ("/connectivity/request", test_request);
  g_test_add_func ("/connectivity/known-endpoints", test_known_endpoints);
  g_test_add_func ("/connectivity/redirected", test_redirected);
  g_test_add_func ("/connectivity/own-endpoint", test_own_endpoint);
  g_test_add_func ("/connectivity/failure-layers", test_failure_layers);
  g_test_add_func ("/connectivity/any-baseline-suffices", test_any_baseline_suffices);
  g_test_add_func ("/connectivity/portal-named", test_portal_named);
  g_test_add_func ("/connectivity/offline-says-why", test_offline_says_why);
  g_test_add_func ("/connectivity/none-configured", test_none_configured);
  g_test_add_func ("/connectivity/unparsable-url", test_unparsable_url);
  g_test_add_func ("/connectivity/mismatch", test_mismatch);
  g_test_add_func ("/connectivity/network-available", test_network_available);

  return g_test_run ();
}
