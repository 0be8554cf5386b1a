/* vigie-http-classify.c — what a finished transfer amounts to.
 *
 * Maps curl's result codes, the final HTTP status, the body cap and the
 * phase a timeout struck in to a #VigieLayer and a message for people, and
 * builds the #VigieHttpResponse with its timings. Also the one place where
 * remote text is cleaned before it leaves the engine. Runs on the batch's
 * worker thread; see vigie-http-private.h for the other pieces.
 */
#define G_LOG_DOMAIN "vigie-http"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-http-private.h"
#include "vigie-text.h"

#include <string.h>

/* Strings we keep from servers (headers, reason phrases, URLs) are cut to
 * this. */
#define MAX_REMOTE_TEXT        4096

/* Remote text goes into logs, the database and notifications: make it
 * valid UTF-8 and bounded before it leaves this file. */
char *
vigie_http_remote_text (const char *text,
                        gssize      len)
{
  if (text == NULL)
    return NULL;
  if (len < 0)
    len = strlen (text);
  /* Reason phrases, headers and curl's messages quoting them reach people
   * (--check --json's message, the details window): cleaned like any other
   * remote text. */
  return vigie_text_clean (text, MIN (len, MAX_REMOTE_TEXT), FALSE);
}

VigieHttpResponse *
vigie_http_response_new_failed (VigieLayer  layer,
                                const char *url,
                                const char *message)
{
  VigieHttpResponse *response = g_new0 (VigieHttpResponse, 1);

  response->layer = layer;
  response->message = g_strdup (message);
  response->final_url = vigie_http_remote_text (url, -1);
  response->finished_at_us = g_get_monotonic_time ();
  return response;
}

static double
us_to_ms (curl_off_t us)
{
  return us > 0 ? (double) us / 1000.0 : 0.0;
}

static char *
describe_timeout (VigieHttpTransfer *t,
                  curl_off_t         namelookup,
                  curl_off_t         connect,
                  curl_off_t         appconnect,
                  curl_off_t         pretransfer,
                  curl_off_t         starttransfer)
{
  const char *phase;

  /* Later phases first: on a reused connection the early ones never ran. */
  if (starttransfer > 0)
    phase = _("Timed out receiving the response");
  else if (pretransfer > 0)
    phase = _("Timed out waiting for the response");
  else if (namelookup <= 0)
    phase = _("Timed out resolving the host name");
  else if (connect <= 0)
    phase = _("Timed out connecting");
  else if (t->is_https && appconnect <= 0)
    phase = _("Timed out during the TLS handshake");
  else
    phase = _("Timed out sending the request");

  if (t->errbuf[0] != '\0')
    /* Translators: a timeout, then libcurl's own words (in English) */
    return g_strdup_printf (_("%s (%s)"), phase, t->errbuf);
  return g_strdup (phase);
}

/* Classification. Layers name where the exchange failed; see vigie-http.h.
 * Connection resets and empty replies after connecting are "connect": the
 * server (or something on the path) dropped the connection, a transport
 * failure like a refusal. "protocol" is kept for answers we refuse or cannot
 * parse, which point at a misconfiguration rather than an outage. */
static VigieLayer
classify_curl_code (CURLcode code)
{
  switch (code)
    {
    case CURLE_OK:
      return VIGIE_LAYER_OK;

    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return VIGIE_LAYER_DNS;

    case CURLE_COULDNT_CONNECT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return VIGIE_LAYER_CONNECT;

    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
      return VIGIE_LAYER_TLS;

    case CURLE_OPERATION_TIMEDOUT:
      return VIGIE_LAYER_TIMEOUT;

    case CURLE_FILESIZE_EXCEEDED:
      return VIGIE_LAYER_TOO_LARGE;

    default:
      /* UNSUPPORTED_PROTOCOL (refused redirect scheme), TOO_MANY_REDIRECTS,
       * WEIRD_SERVER_REPLY, HTTP2, HTTP2_STREAM, BAD_CONTENT_ENCODING, ... */
      return VIGIE_LAYER_PROTOCOL;
    }
}

VigieHttpResponse *
vigie_http_transfer_finish (VigieHttpTransfer       *t,
                            CURLcode                 code,
                            const VigieHttpSettings *settings)
{
  VigieHttpResponse *response = g_new0 (VigieHttpResponse, 1);
  CURL *easy = t->easy;
  curl_off_t namelookup = 0, connect = 0, appconnect = 0, pretransfer = 0;
  curl_off_t starttransfer = 0, total = 0, size_down = 0;
  char *effective_url = NULL;
  char *content_type = NULL;
  long redirects = 0;

  response->finished_at_us = g_get_monotonic_time ();

  curl_easy_getinfo (easy, CURLINFO_NAMELOOKUP_TIME_T, &namelookup);
  curl_easy_getinfo (easy, CURLINFO_CONNECT_TIME_T, &connect);
  curl_easy_getinfo (easy, CURLINFO_APPCONNECT_TIME_T, &appconnect);
  curl_easy_getinfo (easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
  curl_easy_getinfo (easy, CURLINFO_STARTTRANSFER_TIME_T, &starttransfer);
  curl_easy_getinfo (easy, CURLINFO_TOTAL_TIME_T, &total);
  curl_easy_getinfo (easy, CURLINFO_SIZE_DOWNLOAD_T, &size_down);
  curl_easy_getinfo (easy, CURLINFO_EFFECTIVE_URL, &effective_url);
  curl_easy_getinfo (easy, CURLINFO_CONTENT_TYPE, &content_type);
  curl_easy_getinfo (easy, CURLINFO_REDIRECT_COUNT, &redirects);

  /* curl's times are cumulative from the start; report each phase's own
   * share. A reused connection has no connect or TLS phase. */
  response->dns_ms = us_to_ms (namelookup);
  response->connect_ms = connect > namelookup ? us_to_ms (connect - namelookup) : 0.0;
  response->tls_ms = appconnect > connect && connect > 0 ? us_to_ms (appconnect - connect) : 0.0;
  response->first_byte_ms = starttransfer > pretransfer ? us_to_ms (starttransfer - pretransfer) : 0.0;
  response->total_ms = us_to_ms (total);

  response->http_status = t->status;
  response->bytes_down = t->header_bytes + (size_down > 0 ? (guint64) size_down : 0);
  if (t->curl_url != NULL || effective_url == NULL)
    response->final_url = vigie_http_remote_text (t->request->url, -1);
  else
    response->final_url = vigie_http_remote_text (effective_url, -1);
  response->content_type = vigie_http_remote_text (content_type, -1);
  response->etag = g_steal_pointer (&t->etag);
  response->last_modified = g_steal_pointer (&t->last_modified);

  if (code == CURLE_WRITE_ERROR && t->stop == VIGIE_HTTP_STOP_HEADERS_DONE)
    code = CURLE_OK;

  if (code == CURLE_WRITE_ERROR && t->stop == VIGIE_HTTP_STOP_TOO_LARGE)
    {
      response->layer = VIGIE_LAYER_TOO_LARGE;
      /* gsize is unsigned long on every platform Vigie runs on; a plain
       * conversion keeps the message extractable for translation. */
      response->message = g_strdup_printf (_("The response is larger than the %lu bytes allowed"),
                                           (gulong) t->max_body);
    }
  else if (code == CURLE_OK)
    {
      if (t->status >= 500)
        {
          response->layer = VIGIE_LAYER_HTTP;
          response->message = t->reason && t->reason[0]
            ? g_strdup_printf ("HTTP %u %s", t->status, t->reason)
            : g_strdup_printf ("HTTP %u", t->status);
        }
      else
        {
          response->layer = VIGIE_LAYER_OK;
        }

      response->not_modified = t->status == 304;
      if (t->request->mode == VIGIE_REQUEST_BODY && !response->not_modified)
        response->body = g_byte_array_free_to_bytes (g_steal_pointer (&t->body));
    }
  else
    {
      response->layer = classify_curl_code (code);

      if (code == CURLE_OPERATION_TIMEDOUT)
        response->message = describe_timeout (t, namelookup, connect, appconnect, pretransfer, starttransfer);
      else if (code == CURLE_UNSUPPORTED_PROTOCOL && redirects > 0)
        response->message = g_strdup_printf (t->request->allow_plain_http
                                               ? _("Refused a redirect to %s (only http and https "
                                                   "are allowed)")
                                               : _("Refused a redirect to %s (only https is "
                                                   "allowed)"),
                                             response->final_url);
      else if (code == CURLE_TOO_MANY_REDIRECTS)
        response->message = g_strdup_printf (_("Too many redirects (more than %u)"),
                                             settings->max_redirects);
      else if (code == CURLE_WRITE_ERROR)
        response->message = g_strdup (_("Could not store the response"));
      else
        response->message = vigie_http_remote_text (t->errbuf[0] ? t->errbuf
                                                                 : curl_easy_strerror (code),
                                                    -1);
    }

  return response;
}
