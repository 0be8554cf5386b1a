/* test-http.c — tests for vigie-http against the loopback test server.
 *
 * Every case must end well within its own timeout and never reach beyond
 * this machine (the DNS case may ask the configured resolver about a name
 * under .invalid, which is all).
 */
#define G_LOG_DOMAIN "test-http"

#include "config.h"

#include "vigie-http.h"
#include "vigie-test-server.h"

#include <string.h>

static VigieTestServer *http_server;        /* plain http */
static VigieTestServer *https_server;       /* leaf signed by the test CA */
static VigieTestServer *self_signed_server; /* self-signed certificate */

static double
seconds_since (gint64 start_us)
{
  return (double) (g_get_monotonic_time () - start_us) / G_USEC_PER_SEC;
}

static VigieHttp *
http_new_with (guint        timeout_s,
               const char  *ca_file,
               const char *const *resolve)
{
  VigieHttpOptions options = {
    .timeout_s = timeout_s,
    .ca_file = ca_file,
    .resolve = (GStrv) resolve,
  };

  return vigie_http_new (&options);
}

static VigieHttpRequest *
request_new (const char       *url,
             VigieRequestMode  mode)
{
  VigieHttpRequest *request = vigie_http_request_new (url, mode);

  /* Loopback servers speak plain http unless a test says otherwise. */
  request->allow_plain_http = g_str_has_prefix (url, "http://");
  return request;
}

static GPtrArray *
run_requests (VigieHttp *http,
              GPtrArray *requests)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *responses = vigie_http_run_sync (http, requests, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (responses);
  g_assert_cmpuint (responses->len, ==, requests->len);
  return responses;
}

static VigieHttpResponse *
fetch_request (VigieHttp        *http,
               VigieHttpRequest *request)
{
  g_autoptr(GPtrArray) requests = g_ptr_array_new ();
  g_autoptr(GPtrArray) responses = NULL;

  g_ptr_array_add (requests, request);
  responses = run_requests (http, requests);
  return vigie_http_response_copy (g_ptr_array_index (responses, 0));
}

static VigieHttpResponse *
fetch (VigieHttp        *http,
       const char       *url,
       VigieRequestMode  mode)
{
  g_autoptr(VigieHttpRequest) request = request_new (url, mode);

  return fetch_request (http, request);
}

static VigieHttpResponse *
fetch_path (VigieHttp        *http,
            VigieTestServer  *server,
            const char       *path,
            VigieRequestMode  mode)
{
  g_autofree char *url = vigie_test_server_get_url (server, path);

  return fetch (http, url, mode);
}

#define assert_layer(response, expected) \
  G_STMT_START { \
    VigieHttpResponse *r_ = (response); \
    if (r_->layer != (expected)) \
      g_error ("%s: expected layer %s, got %s (HTTP %u, %s)", r_->final_url, \
               vigie_layer_to_string (expected), vigie_layer_to_string (r_->layer), \
               r_->http_status, r_->message ? r_->message : "no message"); \
  } G_STMT_END

/* Cases */

static void
test_layer_names (void)
{
  for (VigieLayer layer = VIGIE_LAYER_OK; layer <= VIGIE_LAYER_CANCELLED; layer++)
    {
      VigieLayer back;

      g_assert_true (vigie_layer_from_string (vigie_layer_to_string (layer), &back));
      g_assert_cmpint (back, ==, layer);
    }
  g_assert_cmpstr (vigie_layer_to_string (VIGIE_LAYER_TOO_LARGE), ==, "too-large");
  g_assert_false (vigie_layer_from_string ("nope", &(VigieLayer) { 0 }));
}

static void
test_status_codes (void)
{
  g_autoptr(VigieHttp) http = http_new_with (5, NULL, NULL);
  const struct { const char *path; guint status; VigieLayer layer; } cases[] = {
    { "/ok", 200, VIGIE_LAYER_OK },
    { "/204", 204, VIGIE_LAYER_OK },
    { "/status/403", 403, VIGIE_LAYER_OK },
    { "/status/404", 404, VIGIE_LAYER_OK },
    { "/status/405", 405, VIGIE_LAYER_OK },
    { "/status/429", 429, VIGIE_LAYER_OK },
    { "/503", 503, VIGIE_LAYER_HTTP },
    { "/status/500", 500, VIGIE_LAYER_HTTP },
  };

  for (guint mode = VIGIE_REQUEST_HEADERS; mode <= VIGIE_REQUEST_BODY; mode++)
    {
      g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_http_request_free);
      g_autoptr(GPtrArray) responses = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          g_autofree char *url = vigie_test_server_get_url (http_server, cases[i].path);

          g_ptr_array_add (requests, request_new (url, mode));
        }
      responses = run_requests (http, requests);

      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          VigieHttpResponse *response = g_ptr_array_index (responses, i);

          assert_layer (response, cases[i].layer);
          g_assert_cmpuint (response->http_status, ==, cases[i].status);
          if (cases[i].layer == VIGIE_LAYER_OK)
            g_assert_null (response->message);
          else
            {
              g_autofree char *code = g_strdup_printf ("HTTP %u", cases[i].status);

              g_assert_true (g_str_has_prefix (response->message, code));
            }
          if (mode == VIGIE_REQUEST_HEADERS)
            g_assert_null (response->body);
        }
    }
}

static void
test_hostile_reason (void)
{
  /* A reason phrase is the server's own text: terminal escapes, bells and
   * bidi overrides in it must not reach --check --json or the window. */
  g_autoptr(VigieHttp) http = http_new_with (5, NULL, NULL);
  VigieTestRoute route = {
    .status = 503,
    .reason = "Bad\x1b[2J\x07 \xe2\x80\xaeGateway",
  };
  g_autoptr(VigieHttpResponse) response = NULL;

  vigie_test_server_set_route_full (http_server, "/hostile-reason", &route);
  response = fetch_path (http, http_server, "/hostile-reason", VIGIE_REQUEST_HEADERS);
  assert_layer (response, VIGIE_LAYER_HTTP);
  g_assert_cmpstr (response->message, ==, "HTTP 503 Bad [2J  Gateway");
}

static void
test_body (void)
{
  g_autoptr(VigieHttp) http = http_new_with (5, NULL, NULL);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(VigieHttpResponse) response = fetch_path (http, http_server, "/ok", VIGIE_REQUEST_BODY);
  g_autoptr(VigieHttpResponse) copy = NULL;

  assert_layer (response, VIGIE_LAYER_OK);
  g_assert_nonnull (response->body);
  g_assert_cmpmem (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body), "ok\n", 3);
  g_assert_cmpstr (response->content_type, ==, "text/plain");
  g_assert_true (g_str_has_suffix (response->final_url, "/ok"));
  g_assert_cmpfloat (response->total_ms, >, 0.0);
  g_assert_cmpfloat (response->dns_ms, >=, 0.0);
  g_assert_cmpfloat (response->connect_ms, >=, 0.0);
  g_assert_cmpfloat (response->tls_ms, ==, 0.0);
  g_assert_cmpfloat (response->first_byte_ms, >=, 0.0);
  g_assert_cmpfloat (response->dns_ms + response->connect_ms + response->first_byte_ms, <=,
                     response->total_ms + 0.001);
  g_assert_cmpuint (response->bytes_down, >, 3);
  g_assert_cmpint (response->finished_at_us, >=, start);
  g_assert_cmpint (response->finished_at_us, <=, g_get_monotonic_time ());

  copy = vigie_http_response_copy (response);
  g_assert_true (g_bytes_equal (copy->body, response->body));
  g_assert_cmpstr (copy->final_url, ==, response->final_url);
}

static void
test_user_agent (void)
{
  g_autoptr(VigieHttp) http = http_new_with (5, NULL, NULL);
  g_autoptr(VigieHttpResponse) response = fetch_path (http, http_server, "/ok", VIGIE_REQUEST_HEADERS);
  g_autofree char *user_agent = vigie_test_server_get_last_header (http_server, "/ok", "User-Agent");

  assert_layer (response, VIGIE_LAYER_OK);
  g_assert_nonnull (user_agent);
  g_assert_true (g_str_has_prefix (user_agent, "Vigie/"));
}

static void
test_connect_refused (void)
{
  g_autoptr(VigieHttp) http = http_new_with (5, NULL, NULL);
  guint16 port = vigie_test_find_unused_port ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(VigieHttpResponse) response = NULL;

  g_assert_cmpuint (port, !=, 0);
  response = fetch (http, url, VIGIE_REQUEST_HEADERS);
  assert_layer (response, VIGIE_LAYER_CONNECT);
  g_assert_cmpuint (response->http_status, ==, 0);
  g_assert_nonnull (response->message);
  g_assert_cmpfloat (seconds_since (start), <, 3.0);
}

static void
test_dns (void)
{
  g_autoptr(VigieHttp) http = http_new_with (5, NULL, NULL);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(VigieHttpResponse) response =
    fetch (http, "https://does-not-exist.invalid/", VIGIE_REQUEST_HEADERS);

  /* On a machine whose resolver cannot be reached at all, the lookup may
   * run into the timeout instead; RES_OPTIONS (set in main) keeps that
   * short, and the message still says where it was stuck. */
  if (response->layer == VIGIE_LAYER_TIMEOUT)
    g_assert_nonnull (strstr (response->message, "resolving"));
  else
    assert_layer (response, VIGIE_LAYER_DNS);
  g_assert_nonnull (response->message);
  g_assert_cmpfloat (seconds_since (start), <, 6.0);
}

static void
test_hang_timeout (void)
{
  g_autoptr(VigieHttp) http = http_new_with (2, NULL, NULL);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(VigieHttpResponse) response = fetch_path (http, http_server, "/hang", VIGIE_REQUEST_HEADERS);
  double elapsed = seconds_since (start);

  assert_layer (response, VIGIE_LAYER_TIMEOUT);
  g_assert_nonnull (strstr (response->message, "waiting for the response"));
  g_assert_cmpfloat (elapsed, >=, 1.5);
  g_assert_cmpfloat (elapsed, <, 4.0);
}

static void
test_huge (void)
{
  g_autoptr(VigieHttp) http = http_new_with (10, NULL, NULL);
  const char *paths[] = { "/huge", "/huge-chunked" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = vigie_test_server_get_url (http_server, paths[i]);
      g_autoptr(VigieHttpRequest) request = request_new (url, VIGIE_REQUEST_BODY);
      g_autoptr(VigieHttpResponse) body_response = NULL;
      g_autoptr(VigieHttpResponse) headers_response = NULL;
      gint64 start;

      request->max_body = 64 * 1024;
      start = g_get_monotonic_time ();
      body_response = fetch_request (http, request);
      assert_layer (body_response, VIGIE_LAYER_TOO_LARGE);
      g_assert_null (body_response->body);
      g_assert_nonnull (body_response->message);
      /* Stopped at the cap, not after downloading: a little over 64 KiB at
       * most (what was in flight), nowhere near 10 GB. */
      g_assert_cmpuint (body_response->bytes_down, <, 1024 * 1024);
      g_assert_cmpfloat (seconds_since (start), <, 3.0);

      start = g_get_monotonic_time ();
      headers_response = fetch (http, url, VIGIE_REQUEST_HEADERS);
      assert_layer (headers_response, VIGIE_LAYER_OK);
      g_assert_cmpuint (headers_response->http_status, ==, 200);
      g_assert_null (headers_response->body);
      g_assert_cmpuint (headers_response->bytes_down, <, 1024 * 1024);
      g_assert_cmpfloat (seconds_since (start), <, 3.0);
    }
}

static void
test_slow (void)
{
  g_autoptr(VigieHttp) http = http_new_with (2, NULL, NULL);
  g_autoptr(VigieHttpResponse) body_response = NULL;
  g_autoptr(VigieHttpResponse) headers_response = NULL;
  g_autoptr(VigieHttpResponse) trickle_response = NULL;
  gint64 start;

  /* One body byte per second: a slowloris must not outlive the timeout. */
  start = g_get_monotonic_time ();
  body_response = fetch_path (http, http_server, "/slow", VIGIE_REQUEST_BODY);
  assert_layer (body_response, VIGIE_LAYER_TIMEOUT);
  g_assert_nonnull (strstr (body_response->message, "receiving"));
  g_assert_cmpfloat (seconds_since (start), <, 4.0);

  /* A probe only needs the headers, which came at once. */
  start = g_get_monotonic_time ();
  headers_response = fetch_path (http, http_server, "/slow", VIGIE_REQUEST_HEADERS);
  assert_layer (headers_response, VIGIE_LAYER_OK);
  g_assert_cmpfloat (seconds_since (start), <, 1.5);

  /* Headers trickled one byte per second. */
  start = g_get_monotonic_time ();
  trickle_response = fetch_path (http, http_server, "/slow-headers", VIGIE_REQUEST_HEADERS);
  assert_layer (trickle_response, VIGIE_LAYER_TIMEOUT);
  g_assert_cmpfloat (seconds_since (start), <, 4.0);
}

static void
test_redirects (void)
{
  g_autoptr(VigieHttp) http = http_new_with (5, NULL, NULL);
  const char *refused[] = { "/redirect-file", "/redirect-ftp", "/redirect-loop", "/redirect/6" };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(VigieHttpResponse) response = fetch_path (http, http_server, refused[i], VIGIE_REQUEST_HEADERS);

      assert_layer (response, VIGIE_LAYER_PROTOCOL);
      g_assert_nonnull (response->message);
    }

  /* Five hops is the default bound and is fine. */
  {
    g_autoptr(VigieHttpResponse) response = fetch_path (http, http_server, "/redirect/5", VIGIE_REQUEST_BODY);

    assert_layer (response, VIGIE_LAYER_OK);
    g_assert_cmpuint (response->http_status, ==, 200);
    g_assert_true (g_str_has_suffix (response->final_url, "/redirect/0"));
    g_assert_cmpmem (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body), "ok\n", 3);
  }
  {
    g_autoptr(VigieHttpResponse) response = fetch_path (http, http_server, "/redirect/2", VIGIE_REQUEST_HEADERS);

    assert_layer (response, VIGIE_LAYER_OK);
    g_assert_true (g_str_has_suffix (response->final_url, "/redirect/0"));
  }
  g_assert_cmpuint (vigie_test_server_get_request_count (http_server, "/redirect/0"), >=, 2);
}

static void
test_plain_http (void)
{
  g_autoptr(VigieHttp) http = http_new_with (5, vigie_test_server_get_ca_file (), NULL);
  g_autofree char *url = vigie_test_server_get_url (http_server, "/plain");
  g_autofree char *ok_url = vigie_test_server_get_url (http_server, "/plain-target");
  g_autofree char *escaped = g_uri_escape_string (ok_url, NULL, TRUE);
  g_autofree char *to_plain_path = g_strdup_printf ("/redirect-to?url=%s", escaped);
  g_autofree char *to_plain = vigie_test_server_get_url (https_server, to_plain_path);
  g_autoptr(VigieHttpRequest) request = vigie_http_request_new (url, VIGIE_REQUEST_HEADERS);
  g_autoptr(VigieHttpRequest) redirect_request = vigie_http_request_new (to_plain, VIGIE_REQUEST_HEADERS);
  g_autoptr(VigieHttpResponse) refused = NULL;
  g_autoptr(VigieHttpResponse) allowed = NULL;
  g_autoptr(VigieHttpResponse) redirect_refused = NULL;
  g_autoptr(VigieHttpResponse) redirect_allowed = NULL;

  vigie_test_server_set_route (http_server, "/plain", 200, NULL, "plain\n");
  vigie_test_server_set_route (http_server, "/plain-target", 200, NULL, "plain\n");

  /* Refused before anything is sent. */
  request->allow_plain_http = FALSE;
  refused = fetch_request (http, request);
  assert_layer (refused, VIGIE_LAYER_PROTOCOL);
  g_assert_cmpuint (vigie_test_server_get_request_count (http_server, "/plain"), ==, 0);

  request->allow_plain_http = TRUE;
  allowed = fetch_request (http, request);
  assert_layer (allowed, VIGIE_LAYER_OK);
  g_assert_cmpuint (vigie_test_server_get_request_count (http_server, "/plain"), ==, 1);

  /* https → http downgrade by redirect. */
  redirect_request->allow_plain_http = FALSE;
  redirect_refused = fetch_request (http, redirect_request);
  assert_layer (redirect_refused, VIGIE_LAYER_PROTOCOL);
  g_assert_cmpuint (vigie_test_server_get_request_count (http_server, "/plain-target"), ==, 0);

  redirect_request->allow_plain_http = TRUE;
  redirect_allowed = fetch_request (http, redirect_request);
  assert_layer (redirect_allowed, VIGIE_LAYER_OK);
  g_assert_cmpuint (vigie_test_server_get_request_count (http_server, "/plain-target"), ==, 1);

  vigie_test_server_remove_route (http_server, "/plain");
  vigie_test_server_remove_route (http_server, "/plain-target");
}

static void
test_bad_urls (void)
{
  g_autoptr(VigieHttp) http = http_new_with (5, NULL, NULL);
  const char *urls[] = { "ftp://127.0.0.1/x", "file:///etc/passwd", "not a url", "https://" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(VigieHttpRequest) request = vigie_http_request_new (urls[i], VIGIE_REQUEST_BODY);
      g_autoptr(VigieHttpResponse) response = NULL;

      request->allow_plain_http = TRUE;
      response = fetch_request (http, request);
      assert_layer (response, VIGIE_LAYER_PROTOCOL);
      g_assert_nonnull (response->message);
    }
}

static void
test_tls (void)
{
  guint16 port = vigie_test_server_get_port (https_server);
  g_autofree char *host_entry = g_strdup_printf ("vigie.test:%u:127.0.0.1", port);
  g_autofree char *wrong_entry = g_strdup_printf ("wrong.test:%u:127.0.0.1", port);
  const char *resolve[] = { host_entry, wrong_entry, NULL };
  /* Generous timeouts: loading the system's trust store and TLS handshakes
   * are slow under the sanitizers on a loaded machine, and the layer, not
   * the time, is what is checked here. */
  g_autoptr(VigieHttp) system_trust = http_new_with (30, NULL, NULL);
  g_autoptr(VigieHttp) test_ca = http_new_with (30, vigie_test_server_get_ca_file (), resolve);
  g_autoptr(VigieHttp) self_signed_trust = http_new_with (30, vigie_test_server_get_self_signed_file (),
                                                          NULL);
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_http_request_free);
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(VigieHttpResponse) r = NULL;
  struct { char *url; VigieLayer layer; } cases[] = {
    /* Its CA trusted: fine, so the refusal below is verification at work. */
    { vigie_test_server_get_url (https_server, "/ok"), VIGIE_LAYER_OK },
    /* The host name is checked too. */
    { vigie_test_server_get_url_for_host (https_server, "vigie.test", "/ok"), VIGIE_LAYER_OK },
    { vigie_test_server_get_url_for_host (https_server, "wrong.test", "/ok"), VIGIE_LAYER_TLS },
    /* A self-signed certificate is not signed by that CA. */
    { vigie_test_server_get_url (self_signed_server, "/ok"), VIGIE_LAYER_TLS },
  };

  /* Unknown CA with the system's trust store: refused. (One case only:
   * loading the system bundle is slow under the sanitizers.) */
  r = fetch_path (system_trust, https_server, "/ok", VIGIE_REQUEST_HEADERS);
  assert_layer (r, VIGIE_LAYER_TLS);
  g_assert_nonnull (r->message);
  g_clear_pointer (&r, vigie_http_response_free);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_ptr_array_add (requests, vigie_http_request_new (cases[i].url, VIGIE_REQUEST_HEADERS));
  responses = run_requests (test_ca, requests);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      VigieHttpResponse *response = g_ptr_array_index (responses, i);

      assert_layer (response, cases[i].layer);
      if (cases[i].layer == VIGIE_LAYER_OK)
        g_assert_cmpfloat (response->tls_ms, >, 0.0);
      g_free (cases[i].url);
    }

  /* Self-signed: fine once that very certificate is the trust anchor. */
  r = fetch_path (self_signed_trust, self_signed_server, "/ok", VIGIE_REQUEST_HEADERS);
  assert_layer (r, VIGIE_LAYER_OK);
}

static void
test_conditional (void)
{
  g_autoptr(VigieHttp) http = http_new_with (5, NULL, NULL);
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"status\":\"ok\"}", 15);
  VigieTestRoute route = {
    .status = 200,
    .content_type = "application/json",
    .body = body,
    .etag = "\"v1\"",
    .last_modified = "Mon, 04 Oct 2021 15:39:00 GMT",
  };
  g_autofree char *url = vigie_test_server_get_url (http_server, "/feed.json");
  g_autoptr(VigieHttpRequest) request = request_new (url, VIGIE_REQUEST_BODY);
  g_autoptr(VigieHttpResponse) first = NULL;
  g_autoptr(VigieHttpResponse) second = NULL;
  g_autoptr(VigieHttpResponse) by_date = NULL;
  g_autofree char *seen = NULL;

  vigie_test_server_set_route_full (http_server, "/feed.json", &route);

  first = fetch_request (http, request);
  assert_layer (first, VIGIE_LAYER_OK);
  g_assert_cmpuint (first->http_status, ==, 200);
  g_assert_false (first->not_modified);
  g_assert_true (g_bytes_equal (first->body, body));
  g_assert_cmpstr (first->etag, ==, "\"v1\"");
  g_assert_cmpstr (first->last_modified, ==, route.last_modified);
  g_assert_cmpstr (first->content_type, ==, "application/json");

  request->etag = g_strdup (first->etag);
  second = fetch_request (http, request);
  assert_layer (second, VIGIE_LAYER_OK);
  g_assert_cmpuint (second->http_status, ==, 304);
  g_assert_true (second->not_modified);
  g_assert_null (second->body);
  g_assert_cmpuint (second->bytes_down, <, 512);
  seen = vigie_test_server_get_last_header (http_server, "/feed.json", "If-None-Match");
  g_assert_cmpstr (seen, ==, "\"v1\"");

  g_clear_pointer (&request->etag, g_free);
  request->last_modified = g_strdup (first->last_modified);
  by_date = fetch_request (http, request);
  assert_layer (by_date, VIGIE_LAYER_OK);
  g_assert_true (by_date->not_modified);

  vigie_test_server_remove_route (http_server, "/feed.json");
}

static GPtrArray *
delay_requests (guint n,
                guint delay_ms)
{
  GPtrArray *requests = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_http_request_free);
  g_autofree char *path = g_strdup_printf ("/delay/%u", delay_ms);
  g_autofree char *url = vigie_test_server_get_url (http_server, path);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (requests, request_new (url, VIGIE_REQUEST_HEADERS));
  return requests;
}

static void
test_parallel (void)
{
  VigieHttpOptions options = { .timeout_s = 10, .max_per_host = 64, .max_total_connections = 64 };
  g_autoptr(VigieHttp) http = vigie_http_new (&options);
  g_autoptr(GPtrArray) requests = delay_requests (50, 300);
  g_autoptr(GPtrArray) responses = NULL;
  gint64 start = g_get_monotonic_time ();
  double elapsed;

  responses = run_requests (http, requests);
  elapsed = seconds_since (start);
  for (guint i = 0; i < responses->len; i++)
    assert_layer ((VigieHttpResponse *) g_ptr_array_index (responses, i), VIGIE_LAYER_OK);
  /* Serially this would take 15 s. Loose bound: the machine is shared. */
  g_test_message ("50 requests of 300 ms each in %.2f s", elapsed);
  g_assert_cmpfloat (elapsed, <, 5.0);
}

static void
test_queue_fairness (void)
{
  /* Two slots per host, six requests of 800 ms, 2 s timeout: the last wave
   * starts at 1.6 s. If the timeout counted from submission, it would
   * expire at 2 s, 0.4 s before the last wave ends. */
  VigieHttpOptions options = { .timeout_s = 2, .max_per_host = 2 };
  g_autoptr(VigieHttp) http = vigie_http_new (&options);
  g_autoptr(GPtrArray) requests = delay_requests (6, 800);
  g_autoptr(GPtrArray) responses = run_requests (http, requests);

  for (guint i = 0; i < responses->len; i++)
    assert_layer ((VigieHttpResponse *) g_ptr_array_index (responses, i), VIGIE_LAYER_OK);
}

typedef struct
{
  GPtrArray *responses;
  GError *error;
  GThread *thread;
  GMainContext *context;
  gboolean done;
} AsyncOutcome;

static void
on_batch_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncOutcome *outcome = user_data;

  outcome->responses = vigie_http_run_finish (VIGIE_HTTP (source), result, &outcome->error);
  outcome->thread = g_thread_self ();
  outcome->context = g_main_context_get_thread_default ();
  outcome->done = TRUE;
  g_main_context_wakeup (outcome->context);
}

static gboolean
cancel_soon (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(VigieHttp) http = http_new_with (20, NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_http_request_free);
  g_autofree char *ok_url = vigie_test_server_get_url (http_server, "/ok");
  g_autofree char *hang_url = vigie_test_server_get_url (http_server, "/hang");
  g_autofree char *slow_url = vigie_test_server_get_url (http_server, "/slow");
  AsyncOutcome outcome = { 0 };
  gint64 start;
  double elapsed;

  g_ptr_array_add (requests, request_new (ok_url, VIGIE_REQUEST_HEADERS));
  g_ptr_array_add (requests, request_new (hang_url, VIGIE_REQUEST_HEADERS));
  g_ptr_array_add (requests, request_new (hang_url, VIGIE_REQUEST_BODY));
  g_ptr_array_add (requests, request_new (slow_url, VIGIE_REQUEST_BODY));

  start = g_get_monotonic_time ();
  vigie_http_run_async (http, requests, cancellable, on_batch_done, &outcome);
  g_timeout_add (500, cancel_soon, cancellable);
  while (!outcome.done)
    g_main_context_iteration (NULL, TRUE);
  elapsed = seconds_since (start);

  g_assert_no_error (outcome.error);
  g_assert_nonnull (outcome.responses);
  g_assert_cmpuint (outcome.responses->len, ==, 4);
  assert_layer ((VigieHttpResponse *) g_ptr_array_index (outcome.responses, 0), VIGIE_LAYER_OK);
  for (guint i = 1; i < 4; i++)
    assert_layer ((VigieHttpResponse *) g_ptr_array_index (outcome.responses, i), VIGIE_LAYER_CANCELLED);
  g_test_message ("cancelled after %.2f s", elapsed);
  g_assert_cmpfloat (elapsed, <, 1.5);
  g_ptr_array_unref (outcome.responses);

  /* Already cancelled: nothing is fetched. */
  memset (&outcome, 0, sizeof outcome);
  vigie_http_run_async (http, requests, cancellable, on_batch_done, &outcome);
  while (!outcome.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (outcome.error);
  for (guint i = 0; i < 4; i++)
    assert_layer ((VigieHttpResponse *) g_ptr_array_index (outcome.responses, i), VIGIE_LAYER_CANCELLED);
  g_ptr_array_unref (outcome.responses);
}

static gpointer
async_context_thread (gpointer user_data)
{
  VigieHttp *http = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_http_request_free);
  g_autofree char *url = vigie_test_server_get_url (http_server, "/ok");
  AsyncOutcome outcome = { 0 };

  g_main_context_push_thread_default (context);
  g_ptr_array_add (requests, request_new (url, VIGIE_REQUEST_HEADERS));
  vigie_http_run_async (http, requests, NULL, on_batch_done, &outcome);
  /* The caller's copy is not needed once submitted. */
  g_ptr_array_set_size (requests, 0);
  while (!outcome.done)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  g_assert_no_error (outcome.error);
  g_assert_true (outcome.thread == g_thread_self ());
  g_assert_true (outcome.context == context);
  g_assert_cmpuint (outcome.responses->len, ==, 1);
  assert_layer ((VigieHttpResponse *) g_ptr_array_index (outcome.responses, 0), VIGIE_LAYER_OK);
  g_ptr_array_unref (outcome.responses);
  return NULL;
}

static void
test_async_context (void)
{
  g_autoptr(VigieHttp) http = http_new_with (5, NULL, NULL);
  GThread *thread = g_thread_new ("async-context", async_context_thread, http);

  g_thread_join (thread);
}

static void
test_serialized_batches (void)
{
  g_autoptr(VigieHttp) http = http_new_with (5, NULL, NULL);
  g_autoptr(GPtrArray) first_requests = delay_requests (3, 200);
  g_autoptr(GPtrArray) second_requests = delay_requests (2, 100);
  AsyncOutcome first = { 0 };
  AsyncOutcome second = { 0 };

  vigie_http_run_async (http, first_requests, NULL, on_batch_done, &first);
  vigie_http_run_async (http, second_requests, NULL, on_batch_done, &second);
  while (!first.done || !second.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (first.error);
  g_assert_no_error (second.error);
  g_assert_cmpuint (first.responses->len, ==, 3);
  g_assert_cmpuint (second.responses->len, ==, 2);
  for (guint i = 0; i < first.responses->len; i++)
    assert_layer ((VigieHttpResponse *) g_ptr_array_index (first.responses, i), VIGIE_LAYER_OK);
  for (guint i = 0; i < second.responses->len; i++)
    assert_layer ((VigieHttpResponse *) g_ptr_array_index (second.responses, i), VIGIE_LAYER_OK);
  g_ptr_array_unref (first.responses);
  g_ptr_array_unref (second.responses);
}

static void
check_reuse (VigieHttp        *http,
             VigieTestServer  *server,
             const char       *path,
             VigieRequestMode  mode)
{
  g_autofree char *url = vigie_test_server_get_url (server, path);
  guint connections;

  vigie_test_server_reset_counters (server);
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_http_request_free);
      g_autoptr(GPtrArray) responses = NULL;

      for (guint i = 0; i < 3; i++)
        g_ptr_array_add (requests, request_new (url, mode));
      responses = run_requests (http, requests);
      for (guint i = 0; i < responses->len; i++)
        assert_layer ((VigieHttpResponse *) g_ptr_array_index (responses, i), VIGIE_LAYER_OK);
    }

  connections = vigie_test_server_get_connection_count (server);
  g_test_message ("%s: 9 requests over %u connections", url, connections);
  g_assert_cmpuint (vigie_test_server_get_request_count (server, path), ==, 9);
  g_assert_cmpuint (connections, <=, 3);
}

static void
test_connection_reuse (void)
{
  g_autoptr(VigieHttp) http = http_new_with (5, vigie_test_server_get_ca_file (), NULL);

  check_reuse (http, http_server, "/ok", VIGIE_REQUEST_BODY);
  check_reuse (http, https_server, "/ok", VIGIE_REQUEST_BODY);

  /* A probe of an empty answer reads it whole, so the connection stays.
   * (Not /204: libsoup's server closes the connection after a 204.) */
  vigie_test_server_set_route (http_server, "/empty", 200, NULL, NULL);
  check_reuse (http, http_server, "/empty", VIGIE_REQUEST_HEADERS);
  vigie_test_server_remove_route (http_server, "/empty");
}

static void
test_dropped (void)
{
  g_autoptr(VigieHttp) http = http_new_with (5, vigie_test_server_get_ca_file (), NULL);
  g_autoptr(VigieHttpResponse) dropped = fetch_path (http, http_server, "/drop", VIGIE_REQUEST_HEADERS);
  g_autoptr(VigieHttpResponse) reset = fetch_path (http, http_server, "/reset", VIGIE_REQUEST_BODY);
  g_autoptr(VigieHttpResponse) tls_dropped = fetch_path (http, https_server, "/drop", VIGIE_REQUEST_HEADERS);

  /* Accepted, then cut: a transport failure, not a protocol one. */
  assert_layer (dropped, VIGIE_LAYER_CONNECT);
  g_assert_nonnull (dropped->message);
  assert_layer (reset, VIGIE_LAYER_CONNECT);
  g_assert_nonnull (strstr (reset->message, "reset"));
  assert_layer (tls_dropped, VIGIE_LAYER_CONNECT);
}

static void
test_tcp_check (void)
{
  g_autoptr(VigieHttp) http = http_new_with (5, NULL, NULL);
  g_autofree char *open_url = g_strdup_printf ("tcp://127.0.0.1:%u", vigie_test_server_get_port (http_server));
  g_autofree char *closed_url = g_strdup_printf ("tcp://127.0.0.1:%u", vigie_test_find_unused_port ());
  const struct { const char *url; VigieLayer layer; } cases[] = {
    { open_url, VIGIE_LAYER_OK },
    { closed_url, VIGIE_LAYER_CONNECT },
    { "tcp://does-not-exist.invalid:443", VIGIE_LAYER_DNS },
    { "tcp://127.0.0.1", VIGIE_LAYER_PROTOCOL },
    { "https://127.0.0.1:443/", VIGIE_LAYER_PROTOCOL },
  };
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_http_request_free);
  g_autoptr(GPtrArray) responses = NULL;

  vigie_test_server_reset_counters (http_server);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_ptr_array_add (requests, vigie_http_request_new (cases[i].url, VIGIE_REQUEST_CONNECT));
  responses = run_requests (http, requests);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      VigieHttpResponse *response = g_ptr_array_index (responses, i);

      assert_layer (response, cases[i].layer);
      g_assert_cmpuint (response->http_status, ==, 0);
      g_assert_null (response->body);
      g_assert_cmpstr (response->final_url, ==, cases[i].url);
    }
  /* Connected, said nothing. */
  g_assert_cmpuint (vigie_test_server_get_request_count (http_server, "/"), ==, 0);
}

static void
test_empty_batch (void)
{
  g_autoptr(VigieHttp) http = vigie_http_new (NULL);
  g_autoptr(GPtrArray) requests = g_ptr_array_new ();
  g_autoptr(GPtrArray) responses = run_requests (http, requests);

  g_assert_cmpuint (responses->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Before any thread or lookup: keep an unreachable resolver from
   * stalling the DNS case, and keep proxies out of loopback traffic. */
  g_setenv ("RES_OPTIONS", "timeout:1 attempts:1", TRUE);
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("HTTPS_PROXY");
  g_unsetenv ("all_proxy");
  g_unsetenv ("ALL_PROXY");
  g_setenv ("no_proxy", "*", TRUE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);

  g_test_init (&argc, &argv, NULL);
  vigie_http_global_init ();

  http_server = vigie_test_server_new (FALSE, &error);
  g_assert_no_error (error);
  https_server = vigie_test_server_new (TRUE, &error);
  g_assert_no_error (error);
  self_signed_server = vigie_test_server_new_full (VIGIE_TEST_SERVER_HTTPS_SELF_SIGNED, &error);
  g_assert_no_error (error);

  g_test_add_func ("/http/layer-names", test_layer_names);
  g_test_add_func ("/http/status-codes", test_status_codes);
  g_test_add_func ("/http/body", test_body);
  g_test_add_func ("/http/hostile-reason", test_hostile_reason);
  g_test_add_func ("/http/user-agent", test_user_agent);
  g_test_add_func ("/http/empty-batch", test_empty_batch);
  g_test_add_func ("/http/connect-refused", test_connect_refused);
  g_test_add_func ("/http/dns", test_dns);
  g_test_add_func ("/http/dropped", test_dropped);
  g_test_add_func ("/http/tcp-check", test_tcp_check);
  g_test_add_func ("/http/hang-timeout", test_hang_timeout);
  g_test_add_func ("/http/huge", test_huge);
  g_test_add_func ("/http/slow", test_slow);
  g_test_add_func ("/http/redirects", test_redirects);
  g_test_add_func ("/http/plain-http", test_plain_http);
  g_test_add_func ("/http/bad-urls", test_bad_urls);
  g_test_add_func ("/http/tls", test_tls);
  g_test_add_func ("/http/conditional", test_conditional);
  g_test_add_func ("/http/parallel", test_parallel);
  g_test_add_func ("/http/queue-fairness", test_queue_fairness);
  g_test_add_func ("/http/cancel", test_cancel);
  g_test_add_func ("/http/async-context", test_async_context);
  g_test_add_func ("/http/serialized-batches", test_serialized_batches);
  g_test_add_func ("/http/connection-reuse", test_connection_reuse);

  ret = g_test_run ();

  g_clear_pointer (&http_server, vigie_test_server_free);
  g_clear_pointer (&https_server, vigie_test_server_free);
  g_clear_pointer (&self_signed_server, vigie_test_server_free);
  return ret;
}
