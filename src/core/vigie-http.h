/* vigie-http.h — parallel HTTP requests with caps, timings and a failure layer.
 *
 * Owns libcurl: no other file includes curl.h. A #VigieHttp runs a batch of
 * requests at once on a worker thread (curl multi interface) and hands back
 * one #VigieHttpResponse per request, in the same order. Only plain data
 * crosses the thread boundary: requests are deep-copied in, responses are
 * built on the worker and returned whole.
 *
 * Contract:
 *  - every failure is a #VigieLayer plus a message, never a GError: "the site
 *    is down" is a result, not an error;
 *  - TLS is always verified; only https:// is fetched (first URL and every
 *    redirect) unless the request allows plain http://;
 *  - every body is capped; a HEADERS request never downloads the page;
 *  - one batch runs at a time per #VigieHttp; connections and DNS answers are
 *    kept between batches so the next round reuses them.
 *
 * The request, response and layer types are in vigie-http-types.h, included
 * here.
 */
#pragma once

#include <gio/gio.h>

#include "vigie-http-types.h"

G_BEGIN_DECLS

/**
 * VigieHttpOptions:
 * @user_agent: (nullable): User-Agent header; %NULL for Vigie's own
 * @timeout_s: whole-request timeout, redirects included; 0 means 10 s
 * @connect_timeout_s: name resolution plus connect plus TLS; 0 means
 *   @timeout_s
 * @max_redirects: redirects followed before giving up; 0 means 5
 * @max_total_connections: requests in flight at once; 0 means 128 (a round
 *   of up to 128 requests takes one slowest-request time; more wait in line)
 * @max_per_host: requests in flight per scheme+host+port; 0 means 4
 * @ca_file: (nullable): tests only: a PEM CA bundle to trust instead of the
 *   system bundle (CURLOPT_CAINFO). Verification stays on.
 * @resolve: (nullable): tests only: curl CURLOPT_RESOLVE entries,
 *   "host:port:address"
 *
 * Settings fixed for the lifetime of a #VigieHttp. Copied by
 * vigie_http_new(); a zeroed struct gives the defaults.
 */
typedef struct
{
  const char *user_agent;
  guint timeout_s;
  guint connect_timeout_s;
  guint max_redirects;
  guint max_total_connections;
  guint max_per_host;
  const char *ca_file;
  GStrv resolve;
} VigieHttpOptions;

#define VIGIE_TYPE_HTTP (vigie_http_get_type ())
G_DECLARE_FINAL_TYPE (VigieHttp, vigie_http, VIGIE, HTTP, GObject)

void       vigie_http_global_init (void);

VigieHttp *vigie_http_new         (const VigieHttpOptions *options);

void       vigie_http_run_async   (VigieHttp              *self,
                                   GPtrArray              *requests,
                                   GCancellable           *cancellable,
                                   GAsyncReadyCallback     callback,
                                   gpointer                user_data);
GPtrArray *vigie_http_run_finish  (VigieHttp              *self,
                                   GAsyncResult           *result,
                                   GError                **error);
GPtrArray *vigie_http_run_sync    (VigieHttp              *self,
                                   GPtrArray              *requests,
                                   GCancellable           *cancellable,
                                   GError                **error);

G_END_DECLS
