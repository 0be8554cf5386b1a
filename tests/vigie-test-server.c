/* vigie-test-server.c — a scriptable loopback HTTP(S) server for the tests.
 *
 * Owns libsoup. All libsoup objects live on the server's own thread and
 * GMainContext; other threads only touch the route table and the counters,
 * under a mutex, and ask the loop to quit. Connections are accepted by a
 * GSocketService of ours and handed to libsoup (see on_incoming ()).
 * Long-running answers (delays, streams, trickles, hangs) are "ops" tracked
 * so that teardown can cancel them, and freed as soon as libsoup says their
 * message is over.
 */
#define G_LOG_DOMAIN "vigie-test-server"

#include "config.h"

#include "vigie-test-server.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <gio/gnetworking.h>
#include <libsoup/soup.h>

#define CHUNK_SIZE        (64 * 1024)
#define HUGE_LENGTH       (G_GUINT64_CONSTANT (10) * 1024 * 1024 * 1024)
#define SLOW_LENGTH       3600
#define SLOW_HEADERS      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"

typedef struct
{
  guint status;
  char *content_type;
  GBytes *body;
  char *etag;
  char *last_modified;
  char *location;
  char *reason;
  guint delay_ms;
} Route;

typedef enum
{
  OP_HANG,
  OP_DELAY,
  OP_STREAM,
  OP_SLOW,
  OP_STEAL,
  OP_SLOW_HEADERS,
} OpKind;

/* A long-running answer. Server thread only. */
typedef struct
{
  VigieTestServer *server;
  OpKind kind;
  SoupServerMessage *msg;       /* NULL once stolen */
  GSource *source;
  gulong finished_id;
  gulong disconnected_id;
  gulong wrote_chunk_id;
  Route *route;                 /* OP_DELAY: what to answer */
  guint64 remaining;            /* OP_STREAM with a length, OP_SLOW */
  gboolean unbounded;           /* OP_STREAM chunked */
  gboolean reset;               /* OP_STEAL: RST instead of FIN */
  GIOStream *stream;            /* OP_SLOW_HEADERS: the stolen connection */
  gsize written;
} Op;

struct _VigieTestServer
{
  VigieTestServerMode mode;
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  guint16 port;

  /* Server thread only. */
  SoupServer *soup;
  GSocketService *service;
  GTlsCertificate *certificate;
  GHashTable *client_sockets;   /* "ip:port" → GSocket, for /reset */
  GHashTable *ops;              /* Op* set */
  GBytes *chunk;                /* CHUNK_SIZE bytes, shared by all streams */

  /* Shared, under @lock. */
  GMutex lock;
  GCond cond;
  gboolean started;
  GError *start_error;
  GHashTable *routes;           /* path → Route* */
  GHashTable *request_counts;   /* path → count */
  GHashTable *last_headers;     /* path → GHashTable (lowercase name → value) */
  GHashTable *connections;      /* "ip:port" of clients seen */
};

static void
route_free (Route *route)
{
  if (route == NULL)
    return;
  g_free (route->content_type);
  g_clear_pointer (&route->body, g_bytes_unref);
  g_free (route->etag);
  g_free (route->last_modified);
  g_free (route->location);
  g_free (route->reason);
  g_free (route);
}

static Route *
route_new (const VigieTestRoute *spec)
{
  Route *route = g_new0 (Route, 1);

  route->status = spec->status;
  route->content_type = g_strdup (spec->content_type);
  route->body = spec->body ? g_bytes_ref (spec->body) : NULL;
  route->etag = g_strdup (spec->etag);
  route->last_modified = g_strdup (spec->last_modified);
  route->location = g_strdup (spec->location);
  route->reason = g_strdup (spec->reason);
  route->delay_ms = spec->delay_ms;
  return route;
}

static Route *
route_copy (const Route *route)
{
  VigieTestRoute spec = {
    .status = route->status,
    .content_type = route->content_type,
    .body = route->body,
    .etag = route->etag,
    .last_modified = route->last_modified,
    .location = route->location,
    .reason = route->reason,
    .delay_ms = route->delay_ms,
  };

  return route_new (&spec);
}

/* "ip:port" of a client, to tell connections apart. */
static char *
inet_address_to_key (GInetSocketAddress *address)
{
  g_autofree char *ip = g_inet_address_to_string (g_inet_socket_address_get_address (address));

  return g_strdup_printf ("%s:%u", ip, g_inet_socket_address_get_port (address));
}

/* Takes the socket of the client at @remote out of the table. */
static GSocket *
steal_client_socket (VigieTestServer *self,
                     GSocketAddress  *remote)
{
  g_autofree char *key = NULL;
  g_autofree char *stored_key = NULL;
  GSocket *socket = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return NULL;
  key = inet_address_to_key (G_INET_SOCKET_ADDRESS (remote));
  g_hash_table_steal_extended (self->client_sockets, key, (gpointer *) &stored_key, (gpointer *) &socket);
  return socket;
}

/* Ops */

static void
op_free (Op *op)
{
  if (op->source != NULL)
    {
      g_source_destroy (op->source);
      g_source_unref (op->source);
    }
  if (op->msg != NULL)
    {
      g_clear_signal_handler (&op->finished_id, op->msg);
      g_clear_signal_handler (&op->disconnected_id, op->msg);
      g_clear_signal_handler (&op->wrote_chunk_id, op->msg);
      g_object_unref (op->msg);
    }
  if (op->stream != NULL)
    {
      g_io_stream_close (op->stream, NULL, NULL);
      g_object_unref (op->stream);
    }
  route_free (op->route);
  g_free (op);
}

static void
op_done (Op *op)
{
  /* Removing from the set frees it. */
  g_hash_table_remove (op->server->ops, op);
}

static void
on_op_message_over (SoupServerMessage *msg,
                    Op                *op)
{
  op_done (op);
}

static Op *
op_new (VigieTestServer   *self,
        OpKind             kind,
        SoupServerMessage *msg)
{
  Op *op = g_new0 (Op, 1);

  op->server = self;
  op->kind = kind;
  op->msg = g_object_ref (msg);
  /* Once libsoup is done with the message (answered, or the client went
   * away), nothing may touch it again: pausing or unpausing a finished
   * message trips assertions in libsoup. */
  op->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_op_message_over), op);
  op->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_op_message_over), op);
  g_hash_table_add (self->ops, op);
  return op;
}

static void
op_attach_timeout (Op          *op,
                   guint        interval_ms,
                   GSourceFunc  func)
{
  op->source = g_timeout_source_new (interval_ms);
  g_source_set_callback (op->source, func, op, NULL);
  g_source_attach (op->source, op->server->context);
}

/* Answers */

static void
set_text (SoupServerMessage *msg,
          guint              status,
          const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  if (text != NULL)
    soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
apply_route (SoupServerMessage *msg,
             const Route       *route)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char *if_none_match = soup_message_headers_get_one (request_headers, "If-None-Match");
  const char *if_modified_since = soup_message_headers_get_one (request_headers, "If-Modified-Since");
  gboolean not_modified = FALSE;

  if (route->etag != NULL)
    {
      soup_message_headers_replace (response_headers, "ETag", route->etag);
      not_modified = g_strcmp0 (if_none_match, route->etag) == 0;
    }
  if (route->last_modified != NULL)
    {
      soup_message_headers_replace (response_headers, "Last-Modified", route->last_modified);
      /* If-None-Match wins when both are sent (RFC 9110 13.2.2). */
      if (if_none_match == NULL || route->etag == NULL)
        not_modified = g_strcmp0 (if_modified_since, route->last_modified) == 0;
    }
  if (route->location != NULL)
    soup_message_headers_replace (response_headers, "Location", route->location);

  if (not_modified)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }

  soup_server_message_set_status (msg, route->status, route->reason);
  if (route->content_type != NULL)
    soup_message_headers_replace (response_headers, "Content-Type", route->content_type);
  if (route->body != NULL)
    soup_message_body_append_bytes (soup_server_message_get_response_body (msg), route->body);
}

static gboolean
on_delay_elapsed (gpointer user_data)
{
  Op *op = user_data;

  g_clear_pointer (&op->source, g_source_unref);
  if (op->route != NULL)
    apply_route (op->msg, op->route);
  else
    set_text (op->msg, SOUP_STATUS_OK, "ok\n");
  soup_server_message_unpause (op->msg);
  /* The op lives on until "finished", so teardown can still find the
   * message if the answer is not written yet. */
  return G_SOURCE_REMOVE;
}

static void
answer_later (VigieTestServer   *self,
              SoupServerMessage *msg,
              guint              delay_ms,
              Route             *route)
{
  Op *op = op_new (self, OP_DELAY, msg);

  op->route = route;
  soup_server_message_pause (msg);
  op_attach_timeout (op, delay_ms, on_delay_elapsed);
}

static void
stream_next_chunk (Op *op)
{
  SoupMessageBody *body = soup_server_message_get_response_body (op->msg);

  if (op->unbounded)
    {
      soup_message_body_append_bytes (body, op->server->chunk);
    }
  else if (op->remaining >= CHUNK_SIZE)
    {
      soup_message_body_append_bytes (body, op->server->chunk);
      op->remaining -= CHUNK_SIZE;
    }
  else if (op->remaining > 0)
    {
      g_autoptr(GBytes) last = g_bytes_new_from_bytes (op->server->chunk, 0, op->remaining);

      soup_message_body_append_bytes (body, last);
      op->remaining = 0;
    }
  else
    {
      soup_message_body_complete (body);
    }
}

static void
on_wrote_chunk (SoupServerMessage *msg,
                Op                *op)
{
  /* One chunk in flight at a time: memory stays flat however much the
   * client reads. */
  stream_next_chunk (op);
}

static void
answer_stream (VigieTestServer   *self,
               SoupServerMessage *msg,
               gboolean           chunked)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Op *op = op_new (self, OP_STREAM, msg);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type", "application/octet-stream");
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  if (chunked)
    {
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      op->unbounded = TRUE;
    }
  else
    {
      soup_message_headers_set_content_length (headers, HUGE_LENGTH);
      op->remaining = HUGE_LENGTH;
    }
  op->wrote_chunk_id = g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_wrote_chunk), op);
  stream_next_chunk (op);
}

static gboolean
on_slow_tick (gpointer user_data)
{
  Op *op = user_data;
  g_autoptr(GBytes) byte = g_bytes_new_from_bytes (op->server->chunk, 0, 1);
  SoupMessageBody *body = soup_server_message_get_response_body (op->msg);

  soup_message_body_append_bytes (body, byte);
  if (--op->remaining == 0)
    {
      soup_message_body_complete (body);
      g_clear_pointer (&op->source, g_source_unref);
      soup_server_message_unpause (op->msg);
      return G_SOURCE_REMOVE;
    }
  soup_server_message_unpause (op->msg);
  return G_SOURCE_CONTINUE;
}

static void
answer_slow (VigieTestServer   *self,
             SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Op *op = op_new (self, OP_SLOW, msg);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type", "text/plain");
  soup_message_headers_set_content_length (headers, SLOW_LENGTH);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  op->remaining = SLOW_LENGTH;
  /* Headers go out now; with no body yet libsoup pauses the message by
   * itself, and each tick feeds one byte and unpauses it. */
  op_attach_timeout (op, 1000, on_slow_tick);
}

static gboolean
on_slow_headers_tick (gpointer user_data)
{
  Op *op = user_data;
  GOutputStream *out = g_io_stream_get_output_stream (op->stream);

  if (op->written >= strlen (SLOW_HEADERS) ||
      g_output_stream_write (out, &SLOW_HEADERS[op->written], 1, NULL, NULL) != 1)
    {
      g_clear_pointer (&op->source, g_source_unref);
      op_done (op);
      return G_SOURCE_REMOVE;
    }
  op->written++;
  return G_SOURCE_CONTINUE;
}

/* Takes the connection away from libsoup. Done from an idle, not from the
 * handler: libsoup's I/O loop is still running when the handler returns and
 * must not find its state freed under it. */
static gboolean
on_steal (gpointer user_data)
{
  Op *op = user_data;
  SoupServerMessage *msg = op->msg;
  g_autoptr(GSocket) socket = steal_client_socket (op->server, soup_server_message_get_remote_address (msg));
  g_autoptr(GIOStream) stream = NULL;

  g_clear_pointer (&op->source, g_source_unref);

  /* After the steal libsoup forgets the message: drop our handlers first. */
  g_clear_signal_handler (&op->finished_id, msg);
  g_clear_signal_handler (&op->disconnected_id, msg);
  if (op->reset && socket != NULL)
    {
      /* A zero linger time makes close () send RST instead of FIN. */
      struct linger lg = { .l_onoff = 1, .l_linger = 0 };

      if (setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &lg, sizeof lg) != 0)
        g_warning ("SO_LINGER: %s", g_strerror (errno));
    }
  stream = soup_server_message_steal_connection (msg);
  g_clear_object (&op->msg);

  if (stream == NULL)
    {
      op_done (op);
      return G_SOURCE_REMOVE;
    }

  if (op->kind == OP_SLOW_HEADERS)
    {
      op->stream = g_steal_pointer (&stream);
      op_attach_timeout (op, 1000, on_slow_headers_tick);
      return G_SOURCE_REMOVE;
    }

  g_io_stream_close (stream, NULL, NULL);
  op_done (op);
  return G_SOURCE_REMOVE;
}

static void
answer_steal (VigieTestServer   *self,
              SoupServerMessage *msg,
              OpKind             kind,
              gboolean           reset)
{
  Op *op = op_new (self, kind, msg);

  op->reset = reset;
  soup_server_message_pause (msg);
  op->source = g_idle_source_new ();
  g_source_set_callback (op->source, on_steal, op, NULL);
  g_source_attach (op->source, self->context);
}

static gboolean
parse_uint_suffix (const char *path,
                   const char *prefix,
                   guint       max,
                   guint      *out)
{
  guint64 n;

  if (!g_str_has_prefix (path, prefix))
    return FALSE;
  if (!g_ascii_string_to_unsigned (path + strlen (prefix), 10, 0, max, &n, NULL))
    return FALSE;
  *out = (guint) n;
  return TRUE;
}

static gboolean
answer_builtin (VigieTestServer   *self,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query)
{
  guint n;

  if (g_str_equal (path, "/ok"))
    set_text (msg, SOUP_STATUS_OK, "ok\n");
  else if (g_str_equal (path, "/204"))
    soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
  else if (g_str_equal (path, "/503"))
    set_text (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable\n");
  else if (parse_uint_suffix (path, "/status/", 599, &n) && n >= 100)
    set_text (msg, n, "status\n");
  else if (g_str_equal (path, "/hang"))
    {
      op_new (self, OP_HANG, msg);
      soup_server_message_pause (msg);
    }
  else if (g_str_equal (path, "/huge"))
    answer_stream (self, msg, FALSE);
  else if (g_str_equal (path, "/huge-chunked"))
    answer_stream (self, msg, TRUE);
  else if (g_str_equal (path, "/slow"))
    answer_slow (self, msg);
  else if (g_str_equal (path, "/slow-headers"))
    answer_steal (self, msg, OP_SLOW_HEADERS, FALSE);
  else if (g_str_equal (path, "/drop"))
    answer_steal (self, msg, OP_STEAL, FALSE);
  else if (g_str_equal (path, "/reset"))
    answer_steal (self, msg, OP_STEAL, TRUE);
  else if (g_str_equal (path, "/redirect-file"))
    soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "file:///etc/passwd");
  else if (g_str_equal (path, "/redirect-ftp"))
    soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "ftp://127.0.0.1/x");
  else if (g_str_equal (path, "/redirect-loop"))
    soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "/redirect-loop");
  else if (g_str_equal (path, "/redirect-to") && query != NULL && g_hash_table_contains (query, "url"))
    soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, g_hash_table_lookup (query, "url"));
  else if (parse_uint_suffix (path, "/redirect/", 1000, &n))
    {
      if (n == 0)
        set_text (msg, SOUP_STATUS_OK, "ok\n");
      else
        {
          g_autofree char *next = g_strdup_printf ("/redirect/%u", n - 1);

          soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, next);
        }
    }
  else if (parse_uint_suffix (path, "/delay/", 600000, &n))
    answer_later (self, msg, n, NULL);
  else
    return FALSE;

  return TRUE;
}

static void
record_request (VigieTestServer   *self,
                SoupServerMessage *msg,
                const char        *path)
{
  GHashTable *headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_hash_table_replace (headers, g_ascii_strdown (name, -1), g_strdup (value));

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->request_counts, g_strdup (path),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->request_counts, path)) + 1));
  g_hash_table_replace (self->last_headers, g_strdup (path), headers);
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    g_hash_table_add (self->connections, inet_address_to_key (G_INET_SOCKET_ADDRESS (remote)));
  g_mutex_unlock (&self->lock);
}

static void
handle_request (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  VigieTestServer *self = user_data;
  Route *route = NULL;

  record_request (self, msg, path);

  g_mutex_lock (&self->lock);
  if (g_hash_table_contains (self->routes, path))
    route = route_copy (g_hash_table_lookup (self->routes, path));
  g_mutex_unlock (&self->lock);

  if (route != NULL)
    {
      if (route->delay_ms > 0)
        answer_later (self, msg, route->delay_ms, route);
      else
        {
          apply_route (msg, route);
          route_free (route);
        }
      return;
    }

  if (!answer_builtin (self, msg, path, query))
    set_text (msg, SOUP_STATUS_NOT_FOUND, "not found\n");
}

/* Thread */

/* Accepting. We accept connections ourselves and hand them to libsoup with
 * soup_server_accept_iostream () rather than soup_server_listen (): libsoup
 * 3.2's own listener leaks every accepted GSocket (and its address), which
 * LeakSanitizer rightly reports. It also lets /reset find the socket. */

static gboolean
is_closed_socket (gpointer key,
                  gpointer value,
                  gpointer user_data)
{
  return g_socket_is_closed (value);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  VigieTestServer *self = user_data;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;
  GIOStream *stream = G_IO_STREAM (connection);
  GSocket *socket = g_socket_connection_get_socket (connection);

  if (local == NULL || remote == NULL)
    return TRUE;

  /* Remember each client's socket for /reset; closed ones are pruned here so
   * the table stays small. */
  g_hash_table_foreach_remove (self->client_sockets, is_closed_socket, NULL);
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    g_hash_table_replace (self->client_sockets,
                          inet_address_to_key (G_INET_SOCKET_ADDRESS (remote)),
                          g_object_ref (socket));

  if (self->certificate != NULL)
    {
      /* The handshake happens implicitly on libsoup's first read, so no
       * callback of ours can outlive the server. */
      tls = g_tls_server_connection_new (stream, self->certificate, &error);
      if (tls == NULL)
        {
          g_warning ("TLS: %s", error->message);
          return TRUE;
        }
      stream = tls;
    }

  if (!soup_server_accept_iostream (self->soup, stream, local, remote, &error))
    g_warning ("accept: %s", error->message);
  return TRUE;
}

static gboolean
server_start (VigieTestServer  *self,
              GError          **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (self->mode != VIGIE_TEST_SERVER_HTTP)
    {
      const char *base = self->mode == VIGIE_TEST_SERVER_HTTPS ? "server" : "self-signed";
      g_autofree char *cert_name = g_strconcat (base, ".pem", NULL);
      g_autofree char *key_name = g_strconcat (base, "-key.pem", NULL);
      g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "fixtures", "tls", cert_name, NULL);
      g_autofree char *key = g_test_build_filename (G_TEST_DIST, "fixtures", "tls", key_name, NULL);

      self->certificate = g_tls_certificate_new_from_files (cert, key, error);
      if (self->certificate == NULL)
        return FALSE;
    }

  self->soup = soup_server_new ("server-header", "vigie-test-server ", NULL);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);
  /* A decoy listener that no client is told about: libsoup only keeps
   * connections alive while it has a listener, and connection reuse is
   * something the tests check. */
  if (!soup_server_listen (self->soup, address, 0, error))
    return FALSE;

  /* Created with our context pushed: its accepts dispatch on this thread. */
  self->service = g_socket_service_new ();
  /* Benchmarks open hundreds of connections at once; GLib's default backlog
   * of 10 would drop most of them on the floor. */
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (self->service), 1024);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &bound, error))
    return FALSE;
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
  g_socket_service_start (self->service);

  return TRUE;
}

static gpointer
server_thread (gpointer user_data)
{
  VigieTestServer *self = user_data;
  GError *error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->context);

  ok = server_start (self, &error);

  g_mutex_lock (&self->lock);
  self->started = TRUE;
  self->start_error = error;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  if (ok)
    g_main_loop_run (self->loop);

  /* Teardown, on this thread since libsoup objects belong to it. */
  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    }
  g_hash_table_remove_all (self->ops);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->service);
  for (guint i = 0; i < 1000 && g_main_context_pending (self->context); i++)
    g_main_context_iteration (self->context, FALSE);
  g_hash_table_remove_all (self->client_sockets);
  g_clear_object (&self->certificate);

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* Public API */

/**
 * vigie_test_server_new_full:
 * @mode: plain http, https with the test CA, or https self-signed
 * @error: return location for an error
 *
 * Starts a server on 127.0.0.1, on a random port, on its own thread.
 * The TLS fixtures are found through G_TEST_SRCDIR (the tests/ directory).
 *
 * Returns: (transfer full) (nullable): the running server, or %NULL
 */
VigieTestServer *
vigie_test_server_new_full (VigieTestServerMode   mode,
                            GError              **error)
{
  VigieTestServer *self;
  GError *start_error;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (VigieTestServer, 1);
  self->mode = mode;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->ops = g_hash_table_new_full (g_direct_hash, g_direct_equal, (GDestroyNotify) op_free, NULL);
  self->client_sockets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->chunk = g_bytes_new_take (g_malloc0 (CHUNK_SIZE), CHUNK_SIZE);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) route_free);
  self->request_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->last_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_hash_table_unref);
  self->connections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->thread = g_thread_new ("vigie-test-server", server_thread, self);

  g_mutex_lock (&self->lock);
  while (!self->started)
    g_cond_wait (&self->cond, &self->lock);
  start_error = g_steal_pointer (&self->start_error);
  g_mutex_unlock (&self->lock);

  if (start_error != NULL)
    {
      g_propagate_error (error, start_error);
      vigie_test_server_free (self);
      return NULL;
    }

  return self;
}

/**
 * vigie_test_server_new:
 * @tls: %TRUE for https with a certificate from the test CA
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the running server, or %NULL
 */
VigieTestServer *
vigie_test_server_new (gboolean   tls,
                       GError   **error)
{
  return vigie_test_server_new_full (tls ? VIGIE_TEST_SERVER_HTTPS : VIGIE_TEST_SERVER_HTTP, error);
}

/**
 * vigie_test_server_free:
 * @self: (nullable) (transfer full): a server
 *
 * Stops the server, drops every pending answer (hung requests see their
 * connection close) and joins its thread.
 */
void
vigie_test_server_free (VigieTestServer *self)
{
  if (self == NULL)
    return;

  g_main_loop_quit (self->loop);
  g_thread_join (self->thread);

  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_hash_table_unref (self->ops);
  g_hash_table_unref (self->client_sockets);
  g_bytes_unref (self->chunk);
  g_clear_error (&self->start_error);
  g_hash_table_unref (self->routes);
  g_hash_table_unref (self->request_counts);
  g_hash_table_unref (self->last_headers);
  g_hash_table_unref (self->connections);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

/**
 * vigie_test_server_get_url:
 * @self: a server
 * @path: an absolute path, optionally with a query ("/ok", "/delay/200")
 *
 * Returns: (transfer full): "http(s)://127.0.0.1:PORT@path"
 */
char *
vigie_test_server_get_url (VigieTestServer *self,
                           const char      *path)
{
  return vigie_test_server_get_url_for_host (self, "127.0.0.1", path);
}

/**
 * vigie_test_server_get_url_for_host:
 * @self: a server
 * @host: the host name to put in the URL, e.g. "vigie.test" (point it at
 *   127.0.0.1 with the HTTP engine's resolve option)
 * @path: an absolute path
 *
 * Returns: (transfer full): the URL
 */
char *
vigie_test_server_get_url_for_host (VigieTestServer *self,
                                    const char      *host,
                                    const char      *path)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);

  return g_strdup_printf ("%s://%s:%u%s",
                          self->mode == VIGIE_TEST_SERVER_HTTP ? "http" : "https",
                          host, self->port, path);
}

/**
 * vigie_test_server_get_port:
 * @self: a server
 *
 * Returns: the port the server listens on
 */
guint16
vigie_test_server_get_port (VigieTestServer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->port;
}

/**
 * vigie_test_server_set_route_full:
 * @self: a server
 * @path: the path to script (without query)
 * @route: what to answer; copied
 *
 * Makes @path answer @route from now on, replacing any earlier route or
 * built-in answer for it.
 */
void
vigie_test_server_set_route_full (VigieTestServer      *self,
                                  const char           *path,
                                  const VigieTestRoute *route)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (route != NULL);

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->routes, g_strdup (path), route_new (route));
  g_mutex_unlock (&self->lock);
}

/**
 * vigie_test_server_set_route:
 * @self: a server
 * @path: the path to script
 * @status: HTTP status
 * @content_type: (nullable): Content-Type, "text/plain" if %NULL and @body
 *   is set
 * @body: (nullable): body text
 *
 * Shorthand for vigie_test_server_set_route_full().
 */
void
vigie_test_server_set_route (VigieTestServer *self,
                             const char      *path,
                             guint            status,
                             const char      *content_type,
                             const char      *body)
{
  g_autoptr(GBytes) bytes = body ? g_bytes_new (body, strlen (body)) : NULL;
  VigieTestRoute route = {
    .status = status,
    .content_type = content_type ? content_type : (body ? "text/plain" : NULL),
    .body = bytes,
  };

  vigie_test_server_set_route_full (self, path, &route);
}

/**
 * vigie_test_server_remove_route:
 * @self: a server
 * @path: a scripted path
 *
 * Drops the route; @path falls back to its built-in answer or 404.
 */
void
vigie_test_server_remove_route (VigieTestServer *self,
                                const char      *path)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL);

  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->routes, path);
  g_mutex_unlock (&self->lock);
}

/**
 * vigie_test_server_get_request_count:
 * @self: a server
 * @path: a path, without query
 *
 * Returns: how many requests for @path the server has read
 */
guint
vigie_test_server_get_request_count (VigieTestServer *self,
                                     const char      *path)
{
  guint count;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (path != NULL, 0);

  g_mutex_lock (&self->lock);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->request_counts, path));
  g_mutex_unlock (&self->lock);
  return count;
}

/**
 * vigie_test_server_get_last_header:
 * @self: a server
 * @path: a path, without query
 * @header: a request header name, any case
 *
 * Returns: (transfer full) (nullable): the value of @header in the latest
 *   request for @path, or %NULL if absent or no request came
 */
char *
vigie_test_server_get_last_header (VigieTestServer *self,
                                   const char      *path,
                                   const char      *header)
{
  g_autofree char *name = NULL;
  GHashTable *headers;
  char *value = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (header != NULL, NULL);

  name = g_ascii_strdown (header, -1);
  g_mutex_lock (&self->lock);
  headers = g_hash_table_lookup (self->last_headers, path);
  if (headers != NULL)
    value = g_strdup (g_hash_table_lookup (headers, name));
  g_mutex_unlock (&self->lock);
  return value;
}

/**
 * vigie_test_server_get_connection_count:
 * @self: a server
 *
 * Counts distinct client connections that carried at least one request
 * (by client address and port) since start or the last reset.
 *
 * Returns: the number of connections
 */
guint
vigie_test_server_get_connection_count (VigieTestServer *self)
{
  guint count;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->lock);
  count = g_hash_table_size (self->connections);
  g_mutex_unlock (&self->lock);
  return count;
}

/**
 * vigie_test_server_reset_counters:
 * @self: a server
 *
 * Forgets request counts, recorded headers and connections (not routes).
 */
void
vigie_test_server_reset_counters (VigieTestServer *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  g_hash_table_remove_all (self->request_counts);
  g_hash_table_remove_all (self->last_headers);
  g_hash_table_remove_all (self->connections);
  g_mutex_unlock (&self->lock);
}

static const char *
fixture_path (const char *name)
{
  /* Built once and kept: callers hold on to it across test cases, which
   * g_test_get_filename () would not allow. */
  static GHashTable *paths;
  static GMutex paths_lock;
  const char *path;

  g_mutex_lock (&paths_lock);
  if (paths == NULL)
    paths = g_hash_table_new (g_str_hash, g_str_equal);
  path = g_hash_table_lookup (paths, name);
  if (path == NULL)
    {
      char *built = g_test_build_filename (G_TEST_DIST, "fixtures", "tls", name, NULL);

      g_hash_table_insert (paths, (char *) name, built);
      path = built;
    }
  g_mutex_unlock (&paths_lock);
  return path;
}

/**
 * vigie_test_server_get_ca_file:
 *
 * Returns: (transfer none): the PEM file of the CA that signed the
 *   %VIGIE_TEST_SERVER_HTTPS certificate
 */
const char *
vigie_test_server_get_ca_file (void)
{
  return fixture_path ("ca.pem");
}

/**
 * vigie_test_server_get_self_signed_file:
 *
 * Returns: (transfer none): the PEM file of the
 *   %VIGIE_TEST_SERVER_HTTPS_SELF_SIGNED certificate
 */
const char *
vigie_test_server_get_self_signed_file (void)
{
  return fixture_path ("self-signed.pem");
}

/**
 * vigie_test_find_unused_port:
 *
 * Finds a loopback TCP port with nothing listening: connecting to it is
 * refused. (Binds a socket to port 0, reads the port, closes it; another
 * process could grab it in between, which tests can live with.)
 *
 * Returns: the port, or 0 on failure
 */
guint16
vigie_test_find_unused_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port = 0;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  if (socket == NULL || !g_socket_bind (socket, address, FALSE, NULL))
    return 0;
  bound = g_socket_get_local_address (socket, NULL);
  if (G_IS_INET_SOCKET_ADDRESS (bound))
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}
