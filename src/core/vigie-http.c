/* vigie-http.c — parallel HTTP requests with caps, timings and a failure layer.
 *
 * The only file in Vigie that includes curl.h. A batch runs on a GTask worker
 * thread driving one curl multi handle; the multi handle and a curl share
 * (DNS cache, TLS sessions, connections) live as long as the #VigieHttp, so
 * each round reuses the previous round's connections. Batches are serialized:
 * curl handles may move between threads but must never be used by two at once.
 */
#define G_LOG_DOMAIN "vigie-http"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-http.h"
#include "vigie-text.h"

#include <curl/curl.h>
#include <string.h>

#define DEFAULT_TIMEOUT_S      10
#define DEFAULT_MAX_REDIRECTS  5
#define DEFAULT_MAX_TOTAL      128
#define DEFAULT_MAX_PER_HOST   4
#define DEFAULT_USER_AGENT \
  "Vigie/" PACKAGE_VERSION " (+https://github.com/vigie; desktop status monitor)"

/* A transfer averaging below LOW_SPEED_LIMIT_BPS for the low-speed window is
 * abandoned as a timeout. The window is the timeout, capped at
 * LOW_SPEED_MAX_WINDOW_S: never shorter than the timeout, so a slow first byte
 * is not punished earlier than the user's Timeout setting says, but a trickle
 * cannot hold a slot for minutes if the timeout is ever set that long. */
#define LOW_SPEED_LIMIT_BPS    64L
#define LOW_SPEED_MAX_WINDOW_S 30

/* The multi loop wakes at least this often even when curl has nothing to say;
 * cancellation does not wait for it (curl_multi_wakeup). */
#define POLL_MS                1000

/* Strings we keep from servers (headers, reason phrases, URLs) are cut to
 * this. */
#define MAX_REMOTE_TEXT        4096

struct _VigieHttp
{
  GObject parent_instance;

  /* Options, fixed at construction. */
  char *user_agent;
  guint timeout_s;
  guint connect_timeout_s;
  guint max_redirects;
  guint max_total;
  guint max_per_host;
  char *ca_file;
  struct curl_slist *resolve;

  /* Persist across batches. Only the thread running the current batch
   * touches them (plus curl_multi_wakeup (), which is thread-safe, from
   * on_cancelled ()); finalize cannot overlap a batch because each batch's
   * GTask holds a reference. */
  CURLM *multi;
  CURLSH *share;
  GMutex share_locks[CURL_LOCK_DATA_LAST];

  /* One batch at a time: @busy under @lock, waiters on @cond. */
  GMutex lock;
  GCond cond;
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (VigieHttp, vigie_http, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (VigieHttpRequest, vigie_http_request,
                     vigie_http_request_copy, vigie_http_request_free)
G_DEFINE_BOXED_TYPE (VigieHttpResponse, vigie_http_response,
                     vigie_http_response_copy, vigie_http_response_free)

/* Why a transfer's callbacks made curl stop with CURLE_WRITE_ERROR. */
typedef enum
{
  STOP_NONE,
  STOP_HEADERS_DONE,
  STOP_TOO_LARGE,
} StopReason;

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
  StopReason stop;

  /* The response whose headers are being read; reset at every status line
   * (redirect hops, 1xx interim answers). */
  guint status;
  char *reason;
  gboolean has_location;
  gint64 content_length;            /* -1: not announced */
  char *etag;
  char *last_modified;

  char errbuf[CURL_ERROR_SIZE];
} Transfer;

static const char *const layer_names[] = {
  [VIGIE_LAYER_OK] = "ok",
  [VIGIE_LAYER_DNS] = "dns",
  [VIGIE_LAYER_CONNECT] = "connect",
  [VIGIE_LAYER_TLS] = "tls",
  [VIGIE_LAYER_TIMEOUT] = "timeout",
  [VIGIE_LAYER_HTTP] = "http",
  [VIGIE_LAYER_TOO_LARGE] = "too-large",
  [VIGIE_LAYER_PROTOCOL] = "protocol",
  [VIGIE_LAYER_CONTENT] = "content",
  [VIGIE_LAYER_CANCELLED] = "cancelled",
};

/**
 * vigie_layer_to_string:
 * @layer: a #VigieLayer
 *
 * Returns: (transfer none): the layer's stable name ("ok", "dns", "connect",
 *   "tls", "timeout", "http", "too-large", "protocol", "content",
 *   "cancelled"), as used in JSON output and the history database
 */
const char *
vigie_layer_to_string (VigieLayer layer)
{
  g_return_val_if_fail ((guint) layer < G_N_ELEMENTS (layer_names), "protocol");

  return layer_names[layer];
}

/**
 * vigie_layer_from_string:
 * @str: (nullable): a layer name as returned by vigie_layer_to_string()
 * @out_layer: (out): where to store the layer
 *
 * Returns: %TRUE if @str names a layer
 */
gboolean
vigie_layer_from_string (const char *str,
                         VigieLayer *out_layer)
{
  g_return_val_if_fail (out_layer != NULL, FALSE);

  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (layer_names); i++)
    {
      if (strcmp (str, layer_names[i]) == 0)
        {
          *out_layer = (VigieLayer) i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Requests and responses */

/**
 * vigie_http_request_new:
 * @url: the URL to fetch
 * @mode: headers only or body too
 *
 * Creates a request with https only, the default body cap and no
 * conditional headers; adjust the public fields as needed.
 *
 * Returns: (transfer full): a new request
 */
VigieHttpRequest *
vigie_http_request_new (const char       *url,
                        VigieRequestMode  mode)
{
  VigieHttpRequest *request;

  g_return_val_if_fail (url != NULL, NULL);

  request = g_new0 (VigieHttpRequest, 1);
  request->url = g_strdup (url);
  request->mode = mode;
  return request;
}

/**
 * vigie_http_request_copy:
 * @request: a request
 *
 * Returns: (transfer full): a deep copy of @request
 */
VigieHttpRequest *
vigie_http_request_copy (const VigieHttpRequest *request)
{
  VigieHttpRequest *copy;

  g_return_val_if_fail (request != NULL, NULL);

  copy = g_new0 (VigieHttpRequest, 1);
  copy->url = g_strdup (request->url);
  copy->mode = request->mode;
  copy->max_body = request->max_body;
  copy->allow_plain_http = request->allow_plain_http;
  copy->etag = g_strdup (request->etag);
  copy->last_modified = g_strdup (request->last_modified);
  return copy;
}

/**
 * vigie_http_request_free:
 * @request: (nullable) (transfer full): a request
 */
void
vigie_http_request_free (VigieHttpRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->url);
  g_free (request->etag);
  g_free (request->last_modified);
  g_free (request);
}

/**
 * vigie_http_response_copy:
 * @response: a response
 *
 * Returns: (transfer full): a deep copy of @response (the body bytes are
 *   shared, they are immutable)
 */
VigieHttpResponse *
vigie_http_response_copy (const VigieHttpResponse *response)
{
  VigieHttpResponse *copy;

  g_return_val_if_fail (response != NULL, NULL);

  copy = g_new (VigieHttpResponse, 1);
  *copy = *response;
  copy->message = g_strdup (response->message);
  copy->body = response->body ? g_bytes_ref (response->body) : NULL;
  copy->etag = g_strdup (response->etag);
  copy->last_modified = g_strdup (response->last_modified);
  copy->content_type = g_strdup (response->content_type);
  copy->final_url = g_strdup (response->final_url);
  return copy;
}

/**
 * vigie_http_response_free:
 * @response: (nullable) (transfer full): a response
 */
void
vigie_http_response_free (VigieHttpResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->message);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response->etag);
  g_free (response->last_modified);
  g_free (response->content_type);
  g_free (response->final_url);
  g_free (response);
}

/* Remote text goes into logs, the database and notifications: make it
 * valid UTF-8 and bounded before it leaves this file. */
static char *
dup_remote_text (const char *text,
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

static VigieHttpResponse *
response_new_failed (VigieLayer  layer,
                     const char *url,
                     const char *message)
{
  VigieHttpResponse *response = g_new0 (VigieHttpResponse, 1);

  response->layer = layer;
  response->message = g_strdup (message);
  response->final_url = dup_remote_text (url, -1);
  response->finished_at_us = g_get_monotonic_time ();
  return response;
}

/* Global setup */

/**
 * vigie_http_global_init:
 *
 * Initializes libcurl once for the process. Call it from main() before any
 * thread starts; later calls do nothing.
 */
void
vigie_http_global_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      CURLcode code = curl_global_init (CURL_GLOBAL_DEFAULT);

      if (code != CURLE_OK)
        g_warning ("curl_global_init failed: %s", curl_easy_strerror (code));
      g_once_init_leave (&initialized, 1);
    }
}

static void
share_lock (CURL             *handle,
            curl_lock_data    data,
            curl_lock_access  access,
            void             *user_data)
{
  VigieHttp *self = user_data;

  if ((guint) data < G_N_ELEMENTS (self->share_locks))
    g_mutex_lock (&self->share_locks[data]);
}

static void
share_unlock (CURL           *handle,
              curl_lock_data  data,
              void           *user_data)
{
  VigieHttp *self = user_data;

  if ((guint) data < G_N_ELEMENTS (self->share_locks))
    g_mutex_unlock (&self->share_locks[data]);
}

static void
vigie_http_finalize (GObject *object)
{
  VigieHttp *self = VIGIE_HTTP (object);

  /* The multi before the share: curl refuses to clean up a share that a
   * handle still uses. Idle connections in the share are closed here. */
  g_clear_pointer (&self->multi, curl_multi_cleanup);
  g_clear_pointer (&self->share, curl_share_cleanup);
  for (guint i = 0; i < G_N_ELEMENTS (self->share_locks); i++)
    g_mutex_clear (&self->share_locks[i]);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  g_clear_pointer (&self->user_agent, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->resolve, curl_slist_free_all);

  G_OBJECT_CLASS (vigie_http_parent_class)->finalize (object);
}

static void
vigie_http_class_init (VigieHttpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vigie_http_finalize;
}

static void
vigie_http_init (VigieHttp *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->share_locks); i++)
    g_mutex_init (&self->share_locks[i]);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

/**
 * vigie_http_new:
 * @options: (nullable): settings; %NULL or zeroed fields give the defaults
 *
 * Creates an HTTP engine. The options are copied.
 *
 * Returns: (transfer full): a new #VigieHttp
 */
VigieHttp *
vigie_http_new (const VigieHttpOptions *options)
{
  static const VigieHttpOptions defaults = { 0 };
  VigieHttp *self;

  if (options == NULL)
    options = &defaults;

  /* Harmless if main() already did it; curl_global_init is thread-safe in
   * the libcurl we require (7.84+ built "threadsafe"). */
  vigie_http_global_init ();

  self = g_object_new (VIGIE_TYPE_HTTP, NULL);

  self->user_agent = g_strdup (options->user_agent ? options->user_agent : DEFAULT_USER_AGENT);
  self->timeout_s = options->timeout_s ? options->timeout_s : DEFAULT_TIMEOUT_S;
  self->connect_timeout_s = options->connect_timeout_s ? options->connect_timeout_s : self->timeout_s;
  self->connect_timeout_s = MIN (self->connect_timeout_s, self->timeout_s);
  self->max_redirects = options->max_redirects ? options->max_redirects : DEFAULT_MAX_REDIRECTS;
  self->max_total = options->max_total_connections ? options->max_total_connections : DEFAULT_MAX_TOTAL;
  self->max_per_host = options->max_per_host ? options->max_per_host : DEFAULT_MAX_PER_HOST;
  self->max_per_host = MIN (self->max_per_host, self->max_total);
  self->ca_file = g_strdup (options->ca_file);
  for (guint i = 0; options->resolve != NULL && options->resolve[i] != NULL; i++)
    self->resolve = curl_slist_append (self->resolve, options->resolve[i]);

  self->share = curl_share_init ();
  if (self->share != NULL)
    {
      curl_share_setopt (self->share, CURLSHOPT_LOCKFUNC, share_lock);
      curl_share_setopt (self->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
      curl_share_setopt (self->share, CURLSHOPT_USERDATA, self);
      curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
      curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
      curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    }

  self->multi = curl_multi_init ();
  if (self->multi != NULL)
    {
      curl_multi_setopt (self->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long) self->max_total);
      curl_multi_setopt (self->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long) self->max_per_host);
      /* Keep enough idle connections for the next round: by default curl
       * sizes the cache from the handles currently added, which shrinks to
       * almost nothing as a batch drains. */
      curl_multi_setopt (self->multi, CURLMOPT_MAXCONNECTS, (long) MAX (self->max_total * 2, 64));
      curl_multi_setopt (self->multi, CURLMOPT_PIPELINING, (long) CURLPIPE_MULTIPLEX);
    }

  return self;
}

/* Batch serialization */

/* Runs in whichever thread cancels: wake a batch waiting for its turn or
 * sleeping in curl_multi_poll (). curl_multi_wakeup is the one multi call that
 * is safe from another thread. */
static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  VigieHttp *self = user_data;

  g_mutex_lock (&self->lock);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  if (self->multi != NULL)
    curl_multi_wakeup (self->multi);
}

static gboolean
acquire_batch (VigieHttp    *self,
               GCancellable *cancellable)
{
  gboolean acquired = FALSE;

  g_mutex_lock (&self->lock);
  while (self->busy && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&self->cond, &self->lock);
  if (!self->busy)
    {
      self->busy = TRUE;
      acquired = TRUE;
    }
  g_mutex_unlock (&self->lock);

  return acquired;
}

static void
release_batch (VigieHttp *self)
{
  g_mutex_lock (&self->lock);
  self->busy = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* Transfers */

static void
transfer_reset_current (Transfer *t)
{
  t->status = 0;
  g_clear_pointer (&t->reason, g_free);
  t->has_location = FALSE;
  t->content_length = -1;
  g_clear_pointer (&t->etag, g_free);
  g_clear_pointer (&t->last_modified, g_free);
}

static void
transfer_clear (Transfer *t)
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
  return dup_remote_text (colon + 1, line + len - (colon + 1));
}

/* The blank line ending a response's headers. Decides whether this was an
 * interim response curl will go past (1xx, a redirect it follows) or the
 * final one, and for the final one whether to read on. Returns FALSE to make
 * curl stop (CURLE_WRITE_ERROR, with t->stop saying why). */
static gboolean
transfer_headers_complete (Transfer *t)
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
      t->stop = STOP_HEADERS_DONE;
      return FALSE;
    }

  /* Refuse an announced oversize body before the first byte of it. The
   * write callback enforces the cap when the length is not announced (or
   * lies, or the content is compressed). */
  if (t->content_length > 0 && (guint64) t->content_length > t->max_body)
    {
      t->stop = STOP_TOO_LARGE;
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
  Transfer *t = user_data;
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
            t->reason = dup_remote_text (p + 5, line + line_len - (p + 5));
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
  Transfer *t = user_data;
  size_t len = size * nmemb;

  /* Only the final response's body reaches here (curl skips redirect
   * bodies), and a HEADERS request has already stopped at its headers; this
   * is a safety net. */
  if (t->request->mode == VIGIE_REQUEST_HEADERS)
    {
      t->stop = STOP_HEADERS_DONE;
      return len == 0 ? 1 : 0;
    }

  /* Debian's libcurl does not apply CURLOPT_MAXFILESIZE to bodies of
   * unknown length, and decoded content can dwarf what came over the wire:
   * the cap is ours to enforce. */
  if (len > t->max_body - t->body->len)
    {
      t->stop = STOP_TOO_LARGE;
      return len == 0 ? 1 : 0;
    }

  g_byte_array_append (t->body, (const guint8 *) ptr, len);
  return len;
}

/* Checks the URL as curl will parse it and computes the per-host key. On
 * refusal, sets t->response. */
static gboolean
transfer_check_url (Transfer *t)
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
      t->response = response_new_failed (VIGIE_LAYER_PROTOCOL, request->url, _("Out of memory"));
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

      t->response = response_new_failed (VIGIE_LAYER_PROTOCOL, request->url, message);
      goto out;
    }

  if (request->mode == VIGIE_REQUEST_CONNECT)
    {
      /* curl has no tcp:// scheme: an http:// URL with CONNECT_ONLY stops
       * right after the TCP connection, before any HTTP. */
      if (g_ascii_strcasecmp (scheme, "tcp") != 0 ||
          curl_url_get (url, CURLUPART_PORT, &port, 0) != CURLUE_OK)
        {
          t->response = response_new_failed (VIGIE_LAYER_PROTOCOL, request->url,
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
          t->response = response_new_failed (VIGIE_LAYER_PROTOCOL, request->url,
                                              _("Plain http:// is not allowed here, only https://"));
          goto out;
        }
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("Unsupported URL scheme “%s”"), scheme);

      t->response = response_new_failed (VIGIE_LAYER_PROTOCOL, request->url, message);
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

static gboolean
transfer_setup (VigieHttp *self,
                Transfer  *t)
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
      t->response = response_new_failed (VIGIE_LAYER_PROTOCOL, request->url,
                                         _("Could not create a transfer (out of memory?)"));
      return FALSE;
    }

  curl_easy_setopt (easy, CURLOPT_URL, t->curl_url ? t->curl_url : request->url);
  curl_easy_setopt (easy, CURLOPT_PRIVATE, t);
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, t->errbuf);
  if (self->share != NULL)
    curl_easy_setopt (easy, CURLOPT_SHARE, self->share);

  /* Threads and signals: curl's threaded resolver needs no SIGALRM, and a
   * resolver thread stuck in getaddrinfo () must not block cancellation. */
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_QUICK_EXIT, 1L);

  /* Untrusted network: https only unless the service is a custom one that
   * allows http, for the first URL and every redirect; few redirects. */
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt (easy, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
  curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt (easy, CURLOPT_MAXREDIRS, (long) self->max_redirects);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (self->ca_file != NULL)
    curl_easy_setopt (easy, CURLOPT_CAINFO, self->ca_file);
  if (self->resolve != NULL)
    curl_easy_setopt (easy, CURLOPT_RESOLVE, self->resolve);

  /* Time limits. The total timeout starts when the handle is added to the
   * multi, which happens only once a connection slot is free for it (see
   * batch_admit ()), so waiting in our queue does not eat into it. */
  curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, (long) self->timeout_s * 1000L);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, (long) self->connect_timeout_s * 1000L);
  curl_easy_setopt (easy, CURLOPT_LOW_SPEED_LIMIT, LOW_SPEED_LIMIT_BPS);
  curl_easy_setopt (easy, CURLOPT_LOW_SPEED_TIME, (long) MIN (self->timeout_s, LOW_SPEED_MAX_WINDOW_S));

  curl_easy_setopt (easy, CURLOPT_USERAGENT, self->user_agent);
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

static double
us_to_ms (curl_off_t us)
{
  return us > 0 ? (double) us / 1000.0 : 0.0;
}

static char *
describe_timeout (Transfer   *t,
                  curl_off_t  namelookup,
                  curl_off_t  connect,
                  curl_off_t  appconnect,
                  curl_off_t  pretransfer,
                  curl_off_t  starttransfer)
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

static VigieHttpResponse *
transfer_build_response (VigieHttp *self,
                         Transfer  *t,
                         CURLcode   code)
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
    response->final_url = dup_remote_text (t->request->url, -1);
  else
    response->final_url = dup_remote_text (effective_url, -1);
  response->content_type = dup_remote_text (content_type, -1);
  response->etag = g_steal_pointer (&t->etag);
  response->last_modified = g_steal_pointer (&t->last_modified);

  if (code == CURLE_WRITE_ERROR && t->stop == STOP_HEADERS_DONE)
    code = CURLE_OK;

  if (code == CURLE_WRITE_ERROR && t->stop == STOP_TOO_LARGE)
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
                                             self->max_redirects);
      else if (code == CURLE_WRITE_ERROR)
        response->message = g_strdup (_("Could not store the response"));
      else
        response->message = dup_remote_text (t->errbuf[0] ? t->errbuf : curl_easy_strerror (code), -1);
    }

  return response;
}

/* The batch */

typedef struct
{
  VigieHttp *self;
  Transfer *transfers;
  guint n_transfers;
  GQueue pending;          /* Transfer*, waiting for a slot */
  GHashTable *per_host;    /* host_key → in-flight count (GUINT_TO_POINTER) */
  guint active;
  guint remaining;
} Batch;

static void
batch_finish_transfer (Batch    *batch,
                       Transfer *t,
                       CURLcode  code)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (batch->per_host, t->host_key));

  t->response = transfer_build_response (batch->self, t, code);

  curl_multi_remove_handle (batch->self->multi, t->easy);
  t->in_multi = FALSE;
  g_clear_pointer (&t->easy, curl_easy_cleanup);
  g_clear_pointer (&t->body, g_byte_array_unref);

  if (count > 1)
    g_hash_table_insert (batch->per_host, t->host_key, GUINT_TO_POINTER (count - 1));
  else
    g_hash_table_remove (batch->per_host, t->host_key);
  batch->active--;
  batch->remaining--;
}

/* Hands curl only as many transfers as there are connection slots, so a
 * transfer's timeout starts when it can actually run. Residual bound: a
 * redirect to a host whose slots are all taken waits inside curl with its
 * clock running. */
static void
batch_admit (Batch *batch)
{
  VigieHttp *self = batch->self;
  GList *l = batch->pending.head;

  while (l != NULL && batch->active < self->max_total)
    {
      GList *next = l->next;
      Transfer *t = l->data;
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (batch->per_host, t->host_key));

      if (count < self->max_per_host)
        {
          CURLMcode mc;

          g_queue_delete_link (&batch->pending, l);
          mc = curl_multi_add_handle (self->multi, t->easy);
          if (mc != CURLM_OK)
            {
              t->response = response_new_failed (VIGIE_LAYER_PROTOCOL, t->request->url,
                                                 curl_multi_strerror (mc));
              g_clear_pointer (&t->easy, curl_easy_cleanup);
              batch->remaining--;
            }
          else
            {
              g_hash_table_insert (batch->per_host, t->host_key, GUINT_TO_POINTER (count + 1));
              t->in_multi = TRUE;
              batch->active++;
            }
        }
      l = next;
    }
}

static GPtrArray *
vigie_http_run_batch (VigieHttp    *self,
                      GPtrArray    *requests,
                      GCancellable *cancellable,
                      GError      **error)
{
  Batch batch = { 0 };
  GPtrArray *responses = NULL;
  gulong cancelled_id = 0;
  gboolean failed = FALSE;

  if (self->multi == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Could not initialize the HTTP engine"));
      return NULL;
    }

  if (cancellable != NULL)
    cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);

  batch.self = self;
  batch.n_transfers = requests->len;
  batch.transfers = g_new0 (Transfer, MAX (requests->len, 1));
  batch.per_host = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&batch.pending);

  if (acquire_batch (self, cancellable))
    {
      for (guint i = 0; i < batch.n_transfers; i++)
        {
          Transfer *t = &batch.transfers[i];

          t->request = g_ptr_array_index (requests, i);
          if (transfer_setup (self, t))
            {
              g_queue_push_tail (&batch.pending, t);
              batch.remaining++;
            }
        }

      while (batch.remaining > 0 && !g_cancellable_is_cancelled (cancellable))
        {
          CURLMsg *msg;
          CURLMcode mc;
          gboolean progressed = FALSE;
          int running = 0;
          int left = 0;

          batch_admit (&batch);
          mc = curl_multi_perform (self->multi, &running);
          if (mc != CURLM_OK)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("HTTP engine failure: %s"), curl_multi_strerror (mc));
              failed = TRUE;
              break;
            }

          while ((msg = curl_multi_info_read (self->multi, &left)) != NULL)
            {
              char *priv = NULL;

              if (msg->msg != CURLMSG_DONE)
                continue;
              curl_easy_getinfo (msg->easy_handle, CURLINFO_PRIVATE, &priv);
              batch_finish_transfer (&batch, (Transfer *) priv, msg->data.result);
              progressed = TRUE;
            }

          /* Slots were freed: admit the next transfers before sleeping. */
          if (progressed || batch.remaining == 0)
            continue;

          mc = curl_multi_poll (self->multi, NULL, 0, POLL_MS, NULL);
          if (mc != CURLM_OK)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("HTTP engine failure: %s"), curl_multi_strerror (mc));
              failed = TRUE;
              break;
            }
        }

      /* Cancelled (or failed): whatever has not finished is dropped. The
       * easy handles go before the next batch may start, since they still
       * refer to the share. */
      for (guint i = 0; i < batch.n_transfers; i++)
        {
          Transfer *t = &batch.transfers[i];

          if (t->in_multi)
            curl_multi_remove_handle (self->multi, t->easy);
          t->in_multi = FALSE;
          g_clear_pointer (&t->easy, curl_easy_cleanup);
        }

      release_batch (self);
    }

  if (cancelled_id != 0)
    g_cancellable_disconnect (cancellable, cancelled_id);

  if (!failed)
    {
      responses = g_ptr_array_new_full (batch.n_transfers, (GDestroyNotify) vigie_http_response_free);
      for (guint i = 0; i < batch.n_transfers; i++)
        {
          Transfer *t = &batch.transfers[i];
          const VigieHttpRequest *request = g_ptr_array_index (requests, i);

          if (t->response == NULL)
            t->response = response_new_failed (VIGIE_LAYER_CANCELLED, request->url, "Cancelled");
          g_ptr_array_add (responses, g_steal_pointer (&t->response));
        }
    }

  for (guint i = 0; i < batch.n_transfers; i++)
    transfer_clear (&batch.transfers[i]);
  g_free (batch.transfers);
  g_queue_clear (&batch.pending);
  g_hash_table_unref (batch.per_host);

  return responses;
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VigieHttp *self = source_object;
  GPtrArray *requests = task_data;
  GError *error = NULL;
  GPtrArray *responses;

  responses = vigie_http_run_batch (self, requests, cancellable, &error);
  if (responses != NULL)
    g_task_return_pointer (task, responses, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

/**
 * vigie_http_run_async:
 * @self: a #VigieHttp
 * @requests: (element-type VigieHttpRequest): the requests; deep-copied, the
 *   caller keeps ownership
 * @cancellable: (nullable): cancels the whole batch
 * @callback: (scope async): called on the thread-default main context of
 *   the caller
 * @user_data: data for @callback
 *
 * Runs all @requests in parallel on a worker thread. If another batch is
 * running on @self, this one starts when it ends. Cancelling makes the batch
 * end promptly: unfinished requests get %VIGIE_LAYER_CANCELLED.
 */
void
vigie_http_run_async (VigieHttp           *self,
                      GPtrArray           *requests,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *copies;

  g_return_if_fail (VIGIE_IS_HTTP (self));
  g_return_if_fail (requests != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  copies = g_ptr_array_new_full (requests->len, (GDestroyNotify) vigie_http_request_free);
  for (guint i = 0; i < requests->len; i++)
    g_ptr_array_add (copies, vigie_http_request_copy (g_ptr_array_index (requests, i)));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigie_http_run_async);
  g_task_set_name (task, "[vigie] http batch");
  /* Cancellation is reported per request (CANCELLED layers), not as an
   * error, so that finished requests in a cancelled batch still count. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, copies, (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, run_in_thread);
}

/**
 * vigie_http_run_finish:
 * @self: a #VigieHttp
 * @result: the #GAsyncResult given to the callback
 * @error: return location for an error
 *
 * Fails only if the engine itself could not run (curl failed to
 * initialize); network failures are reported in each response.
 *
 * Returns: (transfer full) (element-type VigieHttpResponse): one
 *   response per request, in request order, or %NULL with @error set
 */
GPtrArray *
vigie_http_run_finish (VigieHttp     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (VIGIE_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vigie_http_run_async, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vigie_http_run_sync:
 * @self: a #VigieHttp
 * @requests: (element-type VigieHttpRequest): the requests
 * @cancellable: (nullable): cancels the whole batch (from another thread)
 * @error: return location for an error
 *
 * Like vigie_http_run_async() but blocks the calling thread; for the CLI
 * and tests.
 *
 * Returns: (transfer full) (element-type VigieHttpResponse): one
 *   response per request, in request order, or %NULL with @error set
 */
GPtrArray *
vigie_http_run_sync (VigieHttp     *self,
                     GPtrArray     *requests,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_return_val_if_fail (VIGIE_IS_HTTP (self), NULL);
  g_return_val_if_fail (requests != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return vigie_http_run_batch (self, requests, cancellable, error);
}
