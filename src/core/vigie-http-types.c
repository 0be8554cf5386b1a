/* vigie-http-types.c — the HTTP engine's plain values: layer names,
 * requests and responses (copy and free), and their boxed types.
 *
 * No curl here: these values cross threads and reach the log, the history
 * and the command line, long after the transfer that made them is gone.
 */
#define G_LOG_DOMAIN "vigie-http"

#include "config.h"

#include "vigie-http-types.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (VigieHttpRequest, vigie_http_request,
                     vigie_http_request_copy, vigie_http_request_free)
G_DEFINE_BOXED_TYPE (VigieHttpResponse, vigie_http_response,
                     vigie_http_response_copy, vigie_http_response_free)

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
