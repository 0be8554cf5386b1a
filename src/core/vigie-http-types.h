/* vigie-http-types.h — what a request to the HTTP engine is, what comes
 * back, and the layer at which it failed.
 *
 * Plain values, freely copied, with no curl and no thread in sight: the
 * modules that only read outcomes (probe, tracker, history, transitions) need
 * nothing else. vigie-http.h includes this header; include that one to run
 * requests.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * VigieLayer:
 * @VIGIE_LAYER_OK: an HTTP answer below 500 arrived (the caller judges it)
 * @VIGIE_LAYER_DNS: the host name could not be resolved
 * @VIGIE_LAYER_CONNECT: no connection could be made, or it was cut before
 *   the answer was complete (refused, unreachable, reset, empty reply,
 *   truncated body): a transport failure, whoever dropped it
 * @VIGIE_LAYER_TLS: the TLS handshake or certificate verification failed
 * @VIGIE_LAYER_TIMEOUT: the request did not complete within the timeout, or
 *   trickled below a minimal speed for as long; also when stuck resolving
 *   or connecting (the message says which phase it was stuck in)
 * @VIGIE_LAYER_HTTP: the final answer was a 5xx
 * @VIGIE_LAYER_TOO_LARGE: the body exceeded the request's cap
 * @VIGIE_LAYER_PROTOCOL: the exchange broke the rules: refused scheme (also on
 *   redirect), too many redirects (loops included), invalid URL, malformed
 *   response, HTTP/2 stream errors
 * @VIGIE_LAYER_CONTENT: the answer lacked expected content; set by callers,
 *   never by #VigieHttp
 * @VIGIE_LAYER_CANCELLED: the batch was cancelled before this request finished
 *
 * The layer at which a request failed, from the bottom of the stack up.
 */
typedef enum
{
  VIGIE_LAYER_OK,
  VIGIE_LAYER_DNS,
  VIGIE_LAYER_CONNECT,
  VIGIE_LAYER_TLS,
  VIGIE_LAYER_TIMEOUT,
  VIGIE_LAYER_HTTP,
  VIGIE_LAYER_TOO_LARGE,
  VIGIE_LAYER_PROTOCOL,
  VIGIE_LAYER_CONTENT,
  VIGIE_LAYER_CANCELLED,
} VigieLayer;

const char *vigie_layer_to_string   (VigieLayer  layer);
gboolean    vigie_layer_from_string (const char *str,
                                     VigieLayer *out_layer);

/**
 * VigieRequestMode:
 * @VIGIE_REQUEST_HEADERS: a site probe: the transfer stops as soon as the
 *   final (post-redirect) response's headers are complete, and that counts
 *   as success; the page itself is never downloaded
 * @VIGIE_REQUEST_BODY: download the body, up to #VigieHttpRequest.max_body
 * @VIGIE_REQUEST_CONNECT: a bare TCP check of "tcp://HOST:PORT" (custom
 *   services): resolve, connect, hang up. No HTTP, no TLS, no proxy; success
 *   is %VIGIE_LAYER_OK with http_status 0. allow_plain_http does not apply.
 */
typedef enum
{
  VIGIE_REQUEST_HEADERS,
  VIGIE_REQUEST_BODY,
  VIGIE_REQUEST_CONNECT,
} VigieRequestMode;

/**
 * VIGIE_HTTP_DEFAULT_MAX_BODY:
 *
 * The body cap used when #VigieHttpRequest.max_body is 0 (2 MiB).
 */
#define VIGIE_HTTP_DEFAULT_MAX_BODY (2 * 1024 * 1024)

/**
 * VigieHttpRequest:
 * @url: the URL to fetch
 * @mode: headers only, or the body too
 * @max_body: cap on the (decoded) body in BODY mode; 0 means
 *   %VIGIE_HTTP_DEFAULT_MAX_BODY
 * @allow_plain_http: accept http:// for the first URL and redirects; for
 *   custom services only (intranet, loopback). Otherwise https only.
 * @etag: (nullable): sent as If-None-Match
 * @last_modified: (nullable): sent as If-Modified-Since
 *
 * One request. Plain data, freely copied; #VigieHttp copies it on submission.
 */
typedef struct
{
  char *url;
  VigieRequestMode mode;
  gsize max_body;
  gboolean allow_plain_http;
  char *etag;
  char *last_modified;
} VigieHttpRequest;

#define VIGIE_TYPE_HTTP_REQUEST (vigie_http_request_get_type ())
GType             vigie_http_request_get_type (void) G_GNUC_CONST;
VigieHttpRequest *vigie_http_request_new      (const char             *url,
                                               VigieRequestMode        mode);
VigieHttpRequest *vigie_http_request_copy     (const VigieHttpRequest *request);
void              vigie_http_request_free     (VigieHttpRequest       *request);

/**
 * VigieHttpResponse:
 * @layer: %VIGIE_LAYER_OK or where it failed
 * @http_status: the status of the last response seen (the final one on
 *   success; on failure possibly a redirect's), 0 if none arrived
 * @message: (nullable): what went wrong, for people (curl's words, made
 *   specific); %NULL when @layer is %VIGIE_LAYER_OK
 * @body: (nullable): the body in BODY mode when it arrived whole and within
 *   the cap (also for 4xx/5xx); %NULL in HEADERS mode, on failure and on 304
 * @not_modified: a conditional request was answered 304 (layer OK)
 * @bytes_down: header bytes of every hop plus the final body's bytes as
 *   they came over the wire (before content decoding; TLS overhead aside)
 * @dns_ms: time resolving the name
 * @connect_ms: time from resolved to TCP connected (0 on a reused connection)
 * @tls_ms: time for the TLS handshake (0 for http:// or a reused connection)
 * @first_byte_ms: time from ready-to-send to the first response byte
 * @total_ms: the whole request, redirects included
 * @etag: (nullable): the final response's ETag
 * @last_modified: (nullable): the final response's Last-Modified
 * @content_type: (nullable): the final response's Content-Type
 * @final_url: (nullable): the URL after redirects (the requested one if none)
 * @finished_at_us: g_get_monotonic_time() when the request completed
 *
 * The outcome of one request. Phase timings come from curl and, when
 * redirects were followed, add up every hop's share of that phase.
 */
typedef struct
{
  VigieLayer layer;
  guint http_status;
  char *message;
  GBytes *body;
  gboolean not_modified;
  guint64 bytes_down;
  double dns_ms;
  double connect_ms;
  double tls_ms;
  double first_byte_ms;
  double total_ms;
  char *etag;
  char *last_modified;
  char *content_type;
  char *final_url;
  gint64 finished_at_us;
} VigieHttpResponse;

#define VIGIE_TYPE_HTTP_RESPONSE (vigie_http_response_get_type ())
GType              vigie_http_response_get_type (void) G_GNUC_CONST;
VigieHttpResponse *vigie_http_response_copy     (const VigieHttpResponse *response);
void               vigie_http_response_free     (VigieHttpResponse       *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieHttpRequest, vigie_http_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieHttpResponse, vigie_http_response_free)

G_END_DECLS
