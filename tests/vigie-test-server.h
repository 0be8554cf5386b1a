/* vigie-test-server.h — a scriptable loopback HTTP(S) server for the tests.
 *
 * Owns libsoup (tests only). The server listens on 127.0.0.1 on a random
 * port and runs on its own thread with its own GMainContext, so a test may
 * block its main thread (vigie_http_run_sync ()) while the server answers.
 * Every function here may be called from any thread.
 *
 * Built-in paths (a route set with vigie_test_server_set_route*() on the same
 * path takes precedence):
 *   /ok               200 "ok\n"
 *   /204              204, no body
 *   /503              503 "unavailable\n"
 *   /status/N         status N, short text body
 *   /hang             reads the request, never answers (until the server is freed)
 *   /huge             200, Content-Length 10 GiB, streamed in 64 KiB chunks
 *   /huge-chunked     200, chunked, never ends
 *   /slow             200, Content-Length 3600, one byte per second
 *   /slow-headers     the status line and headers trickled one byte per second
 *   /drop             reads the request, closes the connection without a word
 *   /reset            reads the request, resets the connection (RST)
 *   /redirect-file    302 → file:///etc/passwd
 *   /redirect-ftp     302 → ftp://127.0.0.1/x
 *   /redirect-loop    302 → /redirect-loop
 *   /redirect/N       302 → /redirect/N-1 … /redirect/0 answers 200 "ok\n"
 *   /redirect-to?url=U  302 → U
 *   /delay/MS         200 "ok\n" after MS milliseconds, without blocking others
 *
 * Streaming answers never hold more than one chunk in memory. Requests are
 * counted, and their headers recorded, per path without the query. Beware a
 * libsoup quirk: it closes the connection after a 204, so a connection-reuse
 * check wants a 200 route with an empty body instead.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _VigieTestServer VigieTestServer;

/**
 * VigieTestServerMode:
 * @VIGIE_TEST_SERVER_HTTP: plain http://
 * @VIGIE_TEST_SERVER_HTTPS: https:// with a leaf signed by the test CA
 *   (vigie_test_server_get_ca_file()), valid for localhost, vigie.test,
 *   127.0.0.1 and ::1
 * @VIGIE_TEST_SERVER_HTTPS_SELF_SIGNED: https:// with a self-signed
 *   certificate (vigie_test_server_get_self_signed_file()), same names
 */
typedef enum
{
  VIGIE_TEST_SERVER_HTTP,
  VIGIE_TEST_SERVER_HTTPS,
  VIGIE_TEST_SERVER_HTTPS_SELF_SIGNED,
} VigieTestServerMode;

/**
 * VigieTestRoute:
 * @status: HTTP status to answer
 * @content_type: (nullable): Content-Type of @body
 * @body: (nullable): body bytes (copied by reference); %NULL for empty
 * @etag: (nullable): sent as ETag; a request whose If-None-Match equals it
 *   gets 304 with no body
 * @last_modified: (nullable): sent as Last-Modified; a request whose
 *   If-Modified-Since equals it (string match) gets 304
 * @location: (nullable): sent as Location (for 3xx)
 * @reason: (nullable): the status line's reason phrase, as it is (a
 *   hostile server's may hold control characters); %NULL for the usual one
 * @delay_ms: answer after this long, without blocking other requests
 *
 * What a scripted path answers.
 */
typedef struct
{
  guint status;
  const char *content_type;
  GBytes *body;
  const char *etag;
  const char *last_modified;
  const char *location;
  const char *reason;
  guint delay_ms;
} VigieTestRoute;

VigieTestServer *vigie_test_server_new                  (gboolean              tls,
                                                         GError              **error);
VigieTestServer *vigie_test_server_new_full             (VigieTestServerMode   mode,
                                                         GError              **error);
void             vigie_test_server_free                 (VigieTestServer      *self);

char            *vigie_test_server_get_url              (VigieTestServer      *self,
                                                         const char           *path);
char            *vigie_test_server_get_url_for_host     (VigieTestServer      *self,
                                                         const char           *host,
                                                         const char           *path);
guint16          vigie_test_server_get_port             (VigieTestServer      *self);

void             vigie_test_server_set_route            (VigieTestServer      *self,
                                                         const char           *path,
                                                         guint                 status,
                                                         const char           *content_type,
                                                         const char           *body);
void             vigie_test_server_set_route_full       (VigieTestServer      *self,
                                                         const char           *path,
                                                         const VigieTestRoute *route);
void             vigie_test_server_remove_route         (VigieTestServer      *self,
                                                         const char           *path);

guint            vigie_test_server_get_request_count    (VigieTestServer      *self,
                                                         const char           *path);
char            *vigie_test_server_get_last_header      (VigieTestServer      *self,
                                                         const char           *path,
                                                         const char           *header);
guint            vigie_test_server_get_connection_count (VigieTestServer      *self);
void             vigie_test_server_reset_counters       (VigieTestServer      *self);

const char      *vigie_test_server_get_ca_file          (void);
const char      *vigie_test_server_get_self_signed_file (void);
guint16          vigie_test_find_unused_port            (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieTestServer, vigie_test_server_free)

G_END_DECLS
