/* bench-round.c — how long a round takes, and what it costs on the wire.
 *
 * Every figure is measured side by side in one run, against loopback
 * stand-ins that answer after a fixed delay:
 *  1. one round of N services through Vigie's engine (all in parallel),
 *     next to the same requests made one after another;
 *  2. bytes received per service per round for a site probe, and for an
 *     official feed the first time and when it has not changed (304).
 *
 * Each service gets its own host name (svcN.vigie.test, pinned to 127.0.0.1)
 * so the per-host politeness cap applies as it would to real vendors, and
 * the total cap is what bounds large rounds. Client and server share this
 * process: up to 128 connections in flight plus curl's cache of idle ones
 * (256), both ends open here, and more while the server lets go of closed
 * ones — so the descriptor limit is raised to its hard maximum first.
 *
 * Usage: bench-round [--quick]   (--quick skips the sequential runs above
 *                                 100; the one of 2000, 400 s, always is)
 */
#include "config.h"

#include <locale.h>
#include <sys/resource.h>

#include "vigie-http.h"
#include "vigie-test-server.h"

#define DELAY_MS 200
#define MAX_SERVICES 2000
/* Above this, one request after another would take too long to wait for. */
#define MAX_SEQUENTIAL 500

static GStrv
pinned_hosts (guint   n,
              guint16 port)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv result;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *entry = g_strdup_printf ("svc%u.vigie.test:%u:127.0.0.1", i, port);
      g_strv_builder_add (builder, entry);
    }
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

static GPtrArray *
site_requests (guint   n,
               guint16 port)
{
  GPtrArray *requests = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_http_request_free);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *url = g_strdup_printf ("http://svc%u.vigie.test:%u/delay/%u", i, port,
                                              DELAY_MS);
      VigieHttpRequest *request = vigie_http_request_new (url, VIGIE_REQUEST_HEADERS);
      request->allow_plain_http = TRUE;
      g_ptr_array_add (requests, request);
    }
  return requests;
}

static guint
count_ok (GPtrArray *responses)
{
  guint ok = 0;

  for (guint i = 0; i < responses->len; i++)
    ok += ((VigieHttpResponse *) g_ptr_array_index (responses, i))->layer == VIGIE_LAYER_OK;
  return ok;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* One parallel round; returns wall milliseconds, and the median request's
 * total and TCP connect times and the slowest request's total, as curl saw
 * them. */
static double
time_parallel (VigieHttp *http,
               GPtrArray *requests,
               guint64   *bytes,
               double    *median_total_ms,
               double    *median_connect_ms,
               double    *max_total_ms)
{
  g_autoptr(GPtrArray) responses = NULL;
  g_autofree double *totals = g_new (double, requests->len);
  g_autofree double *connects = g_new (double, requests->len);
  gint64 start = g_get_monotonic_time ();
  double wall;

  responses = vigie_http_run_sync (http, requests, NULL, NULL);
  wall = (g_get_monotonic_time () - start) / 1000.0;
  *bytes = 0;
  for (guint i = 0; i < responses->len; i++)
    {
      VigieHttpResponse *response = g_ptr_array_index (responses, i);

      *bytes += response->bytes_down;
      totals[i] = response->total_ms;
      connects[i] = response->connect_ms;
    }
  qsort (totals, responses->len, sizeof (double), compare_double);
  qsort (connects, responses->len, sizeof (double), compare_double);
  *median_total_ms = totals[responses->len / 2];
  *median_connect_ms = connects[responses->len / 2];
  *max_total_ms = totals[responses->len - 1];
  if (count_ok (responses) != requests->len)
    g_printerr ("warning: %u of %u requests failed\n", requests->len - count_ok (responses),
                requests->len);
  return wall;
}

/* The same requests, one after another, through the same engine. */
static double
time_sequential (VigieHttp *http,
                 GPtrArray *requests)
{
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < requests->len; i++)
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new ();
      g_autoptr(GPtrArray) responses = NULL;

      g_ptr_array_add (one, g_ptr_array_index (requests, i));
      responses = vigie_http_run_sync (http, one, NULL, NULL);
    }
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
bench_rounds (VigieTestServer *server,
              gboolean         quick)
{
  const guint sizes[] = { 10, 100, 500, MAX_SERVICES };
  guint16 port = vigie_test_server_get_port (server);
  g_auto(GStrv) hosts = pinned_hosts (MAX_SERVICES, port);
  VigieHttpOptions options = { .timeout_s = 30, .resolve = hosts };
  g_autoptr(VigieHttp) http = vigie_http_new (&options);
  guint cap = 128;

  g_print ("## Round time, %u ms per request (loopback, one host name per service)\n\n", DELAY_MS);
  g_print ("Measured with `_build/bench/bench-round` (client and loopback server in one "
           "process, its descriptor limit raised to the hard maximum). The last three columns "
           "explain rounds slower than the bound: a request, as curl timed it, takes its %u ms "
           "plus TCP connect and server time, which grow with the connections the one-thread "
           "test server accepts at once (and with the machine's load); ⌈N/%u⌉ such requests in "
           "line are the best a round can do.\n\n", DELAY_MS, cap);
  g_print ("| services | Vigie, one parallel round | one after another | speed-up | "
           "bound ⌈N/%u⌉ × %u ms | round ÷ %u ms | median request (of which connect) | "
           "slowest request | round ÷ (⌈N/%u⌉ × median request) |\n", cap, DELAY_MS, DELAY_MS, cap);
  g_print ("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      guint n = sizes[s];
      g_autoptr(GPtrArray) requests = site_requests (n, port);
      guint64 bytes;
      double parallel, sequential = -1, median, connect, slowest;
      guint waves = (n + cap - 1) / cap;
      guint bound = waves * DELAY_MS;
      g_autofree char *seq = NULL;

      /* A warm-up round, as the applet's rounds after the first are. */
      time_parallel (http, requests, &bytes, &median, &connect, &slowest);
      parallel = time_parallel (http, requests, &bytes, &median, &connect, &slowest);
      if (n <= MAX_SEQUENTIAL && !(quick && n > 100))
        sequential = time_sequential (http, requests);

      if (sequential > 0)
        seq = g_strdup_printf ("%.0f ms | %.0f×", sequential, sequential / parallel);
      else
        seq = g_strdup_printf ("(skipped, ≈ %u ms) | —", n * DELAY_MS);
      g_print ("| %u | %.0f ms | %s | %u ms | %.2f | %.0f ms (%.0f ms) | %.0f ms | %.2f |\n", n,
               parallel, seq, bound, parallel / DELAY_MS, median, connect, slowest,
               parallel / (waves * median));
    }
  g_print ("\n");
}

static void
bench_bytes (VigieTestServer *server)
{
  guint16 port = vigie_test_server_get_port (server);
  g_autoptr(VigieHttp) http = vigie_http_new (NULL);
  g_autoptr(GPtrArray) site = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_http_request_free);
  g_autoptr(GPtrArray) feed = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_http_request_free);
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) site_responses = NULL;
  g_autoptr(GString) summary = g_string_new ("{\"status\":{\"indicator\":\"none\"},\"components\":[");
  g_autoptr(GBytes) body = NULL;
  g_autofree char *site_url = g_strdup_printf ("http://127.0.0.1:%u/ok", port);
  g_autofree char *feed_url = g_strdup_printf ("http://127.0.0.1:%u/summary.json", port);
  VigieTestRoute route = { .status = 200, .content_type = "application/json", .etag = "\"abc\"" };
  VigieHttpRequest *request;
  VigieHttpResponse *response;

  /* A Statuspage summary with 200 components, about 17 KB. */
  for (guint i = 0; i < 200; i++)
    g_string_append_printf (summary, "%s{\"name\":\"Component %u\",\"status\":\"operational\","
                                     "\"description\":\"A part of the service\"}",
                            i ? "," : "", i);
  g_string_append (summary, "],\"incidents\":[],\"scheduled_maintenances\":[]}");
  body = g_bytes_new (summary->str, summary->len);
  route.body = body;
  vigie_test_server_set_route_full (server, "/summary.json", &route);

  request = vigie_http_request_new (site_url, VIGIE_REQUEST_HEADERS);
  request->allow_plain_http = TRUE;
  g_ptr_array_add (site, request);
  site_responses = vigie_http_run_sync (http, site, NULL, NULL);

  request = vigie_http_request_new (feed_url, VIGIE_REQUEST_BODY);
  request->allow_plain_http = TRUE;
  g_ptr_array_add (feed, request);
  first = vigie_http_run_sync (http, feed, NULL, NULL);
  response = g_ptr_array_index (first, 0);
  request->etag = g_strdup (response->etag);
  again = vigie_http_run_sync (http, feed, NULL, NULL);

  g_print ("## Bytes received per service per round\n\n");
  g_print ("| request | bytes |\n|---|---:|\n");
  g_print ("| site probe (headers only) | %" G_GUINT64_FORMAT " |\n",
           ((VigieHttpResponse *) g_ptr_array_index (site_responses, 0))->bytes_down);
  g_print ("| official feed, first fetch (%" G_GSIZE_FORMAT " B summary) | %" G_GUINT64_FORMAT " |\n",
           summary->len, response->bytes_down);
  response = g_ptr_array_index (again, 0);
  g_print ("| official feed, unchanged (%s) | %" G_GUINT64_FORMAT " |\n",
           response->not_modified ? "304" : "NOT a 304", response->bytes_down);
  g_print ("\n");
}

/* The hard limit is ours to take; the soft one is often 1024. */
static void
raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(VigieTestServer) server = NULL;
  g_autoptr(GError) error = NULL;
  gboolean quick = argc > 1 && g_str_equal (argv[1], "--quick");

  setlocale (LC_ALL, "");
  raise_fd_limit ();
  vigie_http_global_init ();
  server = vigie_test_server_new (FALSE, &error);
  if (server == NULL)
    {
      g_printerr ("bench-round: %s\n", error->message);
      return 1;
    }

  bench_rounds (server, quick);
  bench_bytes (server);
  return 0;
}
