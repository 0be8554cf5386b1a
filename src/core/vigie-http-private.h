/* vigie-http-private.h — what the pieces of the HTTP engine share.
 *
 * The engine is three files around one transfer's state:
 *  - vigie-http.c: the #VigieHttp object and its multi worker (the curl multi
 *    loop on a GTask thread, one batch at a time, cancellation, the total and
 *    per-host limits);
 *  - vigie-http-transfer.c: one request as a curl easy handle (https-only,
 *    time limits, conditional headers) and its header and body callbacks,
 *    which enforce the body cap and stop a HEADERS request at its headers;
 *  - vigie-http-classify.c: what a finished transfer amounts to: the layer it
 *    failed at, the message for people, timings and the response.
 *
 * Everything here lives on the worker thread running the batch and never
 * leaves it; only the #VigieHttpResponse built at the end does. This header
 * does not include vigie-http.h: the pieces need the values, not the object.
 */
#pragma once

#include <gio/gio.h>
#include <curl/curl.h>

#include "vigie-http-types.h"

G_BEGIN_DECLS

/* What every transfer is set up with: the #VigieHttpOptions after defaults,
 * fixed for the lifetime of a #VigieHttp. */
typedef struct
{
  char *user_agent;
  guint timeout_s;
  guint connect_timeout_s;
  guint max_redirects;
  char *ca_file;
  struct curl_slist *resolve;
} VigieHttpSettings;

/* Why a transfer's callbacks made curl stop with CURLE_WRITE_ERROR. */
typedef enum
{
  VIGIE_HTTP_STOP_NONE,
  VIGIE_HTTP_STOP_HEADERS_DONE,
  VIGIE_HTTP_STOP_TOO_LARGE,
} VigieHttpStop;

/* Worker-side state of one request. Never leaves the worker thread. */
typedef struct
{
  const VigieHttpRequest *request;  /* borrowed from the batch */
  VigieHttpResponse *response;      /* set once finished */

  CURL *easy;
  struct curl_slist *headers;
  char *host_key;                   /* scheme://host:port, for the per-host limit */
  char *curl_url;                   /* what curl fetches, if not request->url */
  gboolean is_https;
  gboolean in_multi;
  gsize max_body;
  GByteArray *body;
  guint64 header_bytes;             /* every hop's headers */
  VigieHttpStop stop;

  /* The response whose headers are being read; reset at every status line
   * (redirect hops, 1xx interim answers). */
  guint status;
  char *reason;
  gboolean has_location;
  gint64 content_length;            /* -1: not announced */
  char *etag;
  char *last_modified;

  char errbuf[CURL_ERROR_SIZE];
} VigieHttpTransfer;

/* vigie-http-transfer.c */

/* Checks t->request and makes its easy handle, sharing @share (nullable).
 * On refusal returns FALSE with t->response set and no handle. */
gboolean           vigie_http_transfer_setup      (VigieHttpTransfer       *t,
                                                   const VigieHttpSettings *settings,
                                                   CURLSH                  *share);
/* Frees what @t holds (the struct itself belongs to the batch). */
void               vigie_http_transfer_clear      (VigieHttpTransfer       *t);

/* vigie-http-classify.c */

/* The response for @t, which curl finished with @code; reads the easy
 * handle's timings, so call it before the handle goes. */
VigieHttpResponse *vigie_http_transfer_finish     (VigieHttpTransfer       *t,
                                                   CURLcode                 code,
                                                   const VigieHttpSettings *settings);
/* A response for a request that never ran or was cut short. */
VigieHttpResponse *vigie_http_response_new_failed (VigieLayer               layer,
                                                   const char              *url,
                                                   const char              *message);
/* Remote text (headers, reason phrases, URLs, curl's messages quoting them)
 * made valid UTF-8 and bounded; @len -1 for NUL-terminated. */
char              *vigie_http_remote_text         (const char              *text,
                                                   gssize                   len);

G_END_DECLS
