/* vigie-http-transfer.c — one request as a curl easy handle, and what it
 * reads.
 *
 * Sets a transfer up from its request (the URL checked as curl will parse
 * it, https only unless allowed, TLS verified, time limits, conditional
 * headers, the per-host key) and follows the answer in curl's header and
 * body callbacks: which response is the final one after redirects and 1xx,
 * stopping a HEADERS request at its headers, and the body cap. Runs on the
 * batch's worker thread; see vigie-http-private.h for the other pieces.
 */
#define G_LOG_DOMAIN "vigie-http"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-http-private.h"

#include <string.h>

/* A transfer averaging below LOW_SPEED_LIMIT_BPS for the low-speed window is
 * abandoned as a timeout. The window is the timeout, capped at
 * LOW_SPEED_MAX_WINDOW_S: never shorter than the timeout, so a slow first byte
 * is not punished earlier than the user's Timeout setting says, but a trickle
 * cannot hold a slot for minutes if the timeout is ever set that long. */
#define LOW_SPEED_LIMIT_BPS    64L
#define LOW_SPEED_MAX_WINDOW_S 30

/* Transfers */

static void
transfer_reset_current (VigieHttpTransfer *t)
{
  t->status = 0;
  g_clear_pointer (&t->reason, g_free);
  t->has_location = FALSE;
  t->content_length = -1;
  g_clear_pointer (&t->etag, g_free);
  g_clear_pointer (&t->last_modified, g_free);
}

void
vigie_http_transfer_clear (VigieHttpTransfer *t)
{
  g_clear_pointer (&t->easy, curl_easy_cleanup);
  g_clear_pointer (&t->headers, curl_slist_free_all);
  g_clear_pointer (&t->host_key, g_free);
  g_clear_pointer (&t->curl_url, g_free);
  g_clear_pointer (&t->body, g_byte_array_unref);
  transfer_reset_current (t);
  g_clear_pointer (&t->response, vigie_http_response_free);
}

static gboolean
header_is (const char *line,
           gsize       len,
           const char *name)
{
  gsize name_len = strlen (name);

  return len > name_len && line[name_len] == ':' && g_ascii_strncasecmp (line, name, name_len) == 0;
}

static char *
header_value (const char *line,
              gsize       len)
{
  const char *colon = memchr (line, ':', len);

  if (colon == NULL)
    return NULL;
  return vigie_http_remote_text (colon + 1, line + len - (colon + 1));
}

/* The blank line ending a response's headers. Decides whether this was an
 * interim response curl will go past (1xx, a redirect it follows) or the
 * final one, and for the final one whether to read on. Returns FALSE to make
 * curl stop (CURLE_WRITE_ERROR, with t->stop saying why). */
static gboolean
transfer_headers_complete (VigieHttpTransfer *t)
{
  if (t->status >= 100 && t->status < 200)
    return TRUE;
  if (t->status >= 300 && t->status < 400 && t->status != 304 && t->has_location)
    return TRUE;

  if (t->request->mode == VIGIE_REQUEST_HEADERS)
    {
      /* Nothing more to read: let curl finish cleanly so the connection stays
       * reusable. Otherwise stop now, the page is not ours to download. */
      if (t->status == 204 || t->status == 304 || t->content_length == 0)
        return TRUE;
      t->stop = VIGIE_HTTP_STOP_HEADERS_DONE;
      return FALSE;
    }

  /* Refuse an announced oversize body before the first byte of it. The
   * write callback enforces the cap when the length is not announced (or
   * lies, or the content is compressed). */
  if (t->content_length > 0 && (guint64) t->content_length > t->max_body)
    {
      t->stop = VIGIE_HTTP_STOP_TOO_LARGE;
      return FALSE;
    }

  return TRUE;
}

static size_t
on_header (char   *buffer,
           size_t  size,
           size_t  nitems,
           void   *user_data)
{
  VigieHttpTransfer *t = user_data;
  size_t len = size * nitems;
  const char *line = buffer;
  gsize line_len = len;

  t->header_bytes += len;

  while (line_len > 0 && (line[line_len - 1] == '\n' || line[line_len - 1] == '\r'))
    line_len--;

  if (line_len == 0)
    return transfer_headers_complete (t) ? len : 0;

  /* A status line starts a new response: a redirect hop or an interim one. */
  if (line_len > 5 && memcmp (line, "HTTP/", 5) == 0)
    {
      const char *p = memchr (line, ' ', line_len);

      transfer_reset_current (t);
      if (p != NULL && line + line_len - p >= 4 &&
          g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) && g_ascii_isdigit (p[3]))
        {
          t->status = (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
          if (line + line_len - p > 5)
            t->reason = vigie_http_remote_text (p + 5, line + line_len - (p + 5));
        }
      return len;
    }

  if (header_is (line, line_len, "content-length"))
    {
      g_autofree char *value = header_value (line, line_len);
      guint64 n;

      if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &n, NULL))
        t->content_length = (gint64) n;
    }
  else if (header_is (line, line_len, "location"))
    {
      t->has_location = TRUE;
    }
  else if (header_is (line, line_len, "etag"))
    {
      g_free (t->etag);
      t->etag = header_value (line, line_len);
    }
  else if (header_is (line, line_len, "last-modified"))
    {
      g_free (t->last_modified);
      t->last_modified = header_value (line, line_len);
    }

  return len;
}

static size_t
on_body (char   *ptr,
         size_t  size,
         size_t  nmemb,
         void    *user_data)
{
  VigieHttpTransfer *t = user_data;
  size_t len = size * nmemb;

  /* Only the final response's body reaches here (curl skips redirect
   * bodies), and a HEADERS request has already stopped at its headers; this
   * is a safety net. */
  if (t->request->mode == VIGIE_REQUEST_HEADERS)
    {
      t->stop = VIGIE_HTTP_STOP_HEADERS_DONE;
      return len == 0 ? 1 : 0;
    }

  /* Debian's libcurl does not apply CURLOPT_MAXFILESIZE to bodies of
   * unknown length, and decoded content can dwarf what came over the wire:
   * the cap is ours to enforce. */
  if (len > t->max_body - t->body->len)
    {
      t->stop = VIGIE_HTTP_STOP_TOO_LARGE;
      return len == 0 ? 1 : 0;
    }

  g_byte_array_append (t->body, (const guint8 *) ptr, len);
  return len;
}

/* Checks the URL as curl will parse it and computes the per-host key. On
 * refusal, sets t->response. */
static gboolean
transfer_check_url (VigieHttpTransfer *t)
{
  const VigieHttpRequest *request = t->request;
  CURLU *url = curl_url ();
  char *scheme = NULL;
  char *host = NULL;
  char *port = NULL;
  CURLUcode uc;
  gboolean ok = FALSE;

  if (url == NULL)
    {
      t->response = vigie_http_response_new_failed (VIGIE_LAYER_PROTOCOL, request->url,
                                                    _("Out of memory"));
      return FALSE;
    }

  uc = curl_url_set (url, CURLUPART_URL, request->url, CURLU_NON_SUPPORT_SCHEME);
  if (uc == CURLUE_OK)
    uc = curl_url_get (url, CURLUPART_SCHEME, &scheme, 0);
  if (uc == CURLUE_OK)
    uc = curl_url_get (url, CURLUPART_HOST, &host, 0);
  if (uc != CURLUE_OK)
    {
      g_autofree char *message = g_strdup_printf (_("Invalid URL: %s"),
                                                  curl_url_strerror (uc));

      t->response = vigie_http_response_new_failed (VIGIE_LAYER_PROTOCOL, request->url, message);
      goto out;
    }

  if (request->mode == VIGIE_REQUEST_CONNECT)
    {
      /* curl has no tcp:// scheme: an http:// URL with CONNECT_ONLY stops
       * right after the TCP connection, before any HTTP. */
      if (g_ascii_strcasecmp (scheme, "tcp") != 0 ||
          curl_url_get (url, CURLUPART_PORT, &port, 0) != CURLUE_OK)
        {
          t->response = vigie_http_response_new_failed (VIGIE_LAYER_PROTOCOL, request->url,
                                                        _("A TCP check needs a tcp://host:port address"));
          goto out;
        }
      t->curl_url = g_strdup_printf ("http://%s:%s/", host, port);
    }
  else if (g_ascii_strcasecmp (scheme, "https") == 0)
    t->is_https = TRUE;
  else if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (!request->allow_plain_http)
        {
          t->response = vigie_http_response_new_failed (VIGIE_LAYER_PROTOCOL, request->url,
                                                        _("Plain http:// is not allowed here, only https://"));
          goto out;
        }
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("Unsupported URL scheme “%s”"), scheme);

      t->response = vigie_http_response_new_failed (VIGIE_LAYER_PROTOCOL, request->url, message);
      goto out;
    }

  if (port == NULL && curl_url_get (url, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK)
    port = NULL;
  t->host_key = g_strdup_printf ("%s://%s:%s", scheme, host, port ? port : "");
  ok = TRUE;

out:
  curl_free (scheme);
  curl_free (host);
  curl_free (port);
  curl_url_cleanup (url);
  return ok;
}

gboolean
vigie_http_transfer_setup (VigieHttpTransfer       *t,
                           const VigieHttpSettings *settings,
                           CURLSH                  *share)
{
  const VigieHttpRequest *request = t->request;
  const char *protocols = request->allow_plain_http ? "http,https" : "https";
  CURL *easy;

  if (request->mode == VIGIE_REQUEST_CONNECT)
    protocols = "http";

  if (!transfer_check_url (t))
    return FALSE;

  t->max_body = request->max_body ? request->max_body : VIGIE_HTTP_DEFAULT_MAX_BODY;
  t->body = g_byte_array_new ();
  t->content_length = -1;

  easy = t->easy = curl_easy_init ();
  if (easy == NULL)
    {
      t->response = vigie_http_response_new_failed (VIGIE_LAYER_PROTOCOL, request->url,
                                                    _("Could not create a transfer (out of memory?)"));
      return FALSE;
    }

  curl_easy_setopt (easy, CURLOPT_URL, t->curl_url ? t->curl_url : request->url);
  curl_easy_setopt (easy, CURLOPT_PRIVATE, t);
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, t->errbuf);
  if (share != NULL)
    curl_easy_setopt (easy, CURLOPT_SHARE, share);

  /* Threads and signals: curl's threaded resolver needs no SIGALRM, and a
   * resolver thread stuck in getaddrinfo () must not block cancellation. */
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_QUICK_EXIT, 1L);

  /* Untrusted network: https only unless the service is a custom one that
   * allows http, for the first URL and every redirect; few redirects. */
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt (easy, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
  curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt (easy, CURLOPT_MAXREDIRS, (long) settings->max_redirects);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (settings->ca_file != NULL)
    curl_easy_setopt (easy, CURLOPT_CAINFO, settings->ca_file);
  if (settings->resolve != NULL)
    curl_easy_setopt (easy, CURLOPT_RESOLVE, settings->resolve);

  /* Time limits. The total timeout starts when the handle is added to the
   * multi, which happens only once a connection slot is free for it (see
   * batch_admit ()), so waiting in our queue does not eat into it. */
  curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, (long) settings->timeout_s * 1000L);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, (long) settings->connect_timeout_s * 1000L);
  curl_easy_setopt (easy, CURLOPT_LOW_SPEED_LIMIT, LOW_SPEED_LIMIT_BPS);
  curl_easy_setopt (easy, CURLOPT_LOW_SPEED_TIME, (long) MIN (settings->timeout_s, LOW_SPEED_MAX_WINDOW_S));

  curl_easy_setopt (easy, CURLOPT_USERAGENT, settings->user_agent);
  curl_easy_setopt (easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt (easy, CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_2TLS);
  /* No CURLOPT_PIPEWAIT: with libcurl 7.88, transfers told to wait for a
   * possibly-multiplexed connection to a host that turned out to speak
   * HTTP/1.1 stalled until their timeout (seen with 50 parallel requests to
   * one host). Our per-host limit keeps the connection count polite anyway. */

  /* A proxy's "200 Connection established" must not pass for the site's
   * final answer in on_header (). */
  curl_easy_setopt (easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  curl_easy_setopt (easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt (easy, CURLOPT_HEADERDATA, t);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, t);

  if (request->etag != NULL)
    {
      g_autofree char *h = g_strdup_printf ("If-None-Match: %s", request->etag);
      t->headers = curl_slist_append (t->headers, h);
    }
  if (request->last_modified != NULL)
    {
      g_autofree char *h = g_strdup_printf ("If-Modified-Since: %s", request->last_modified);
      t->headers = curl_slist_append (t->headers, h);
    }
  if (t->headers != NULL)
    curl_easy_setopt (easy, CURLOPT_HTTPHEADER, t->headers);

  if (request->mode == VIGIE_REQUEST_CONNECT)
    {
      curl_easy_setopt (easy, CURLOPT_CONNECT_ONLY, 1L);
      /* The check is about reaching that host:port, not a proxy. */
      curl_easy_setopt (easy, CURLOPT_PROXY, "");
    }

  return TRUE;
}
