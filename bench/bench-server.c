/* bench-server.c — the loopback stand-in for every service, in its own process.
 *
 * The CPU benchmark counts the instructions of the client only (Vigie's
 * engine, or the curl command line) under callgrind; the server must not be
 * counted, so it runs here, outside valgrind. It is the tests' loopback
 * server (tests/vigie-test-server.c, libsoup) with one scripted route:
 *
 *   /summary.json   a Statuspage summary of 200 components (about 17 KB)
 *                   with ETag "bench": a request sending If-None-Match:
 *                   "bench" gets a 304, as a real unchanged feed does
 *
 * plus the built-in paths (/ok, /204, /delay/MS, …). Every host name maps
 * to the same server (the client pins them to 127.0.0.1).
 *
 * Usage: bench-server      prints the port on a line, then serves until its
 *                          standard input closes or it gets SIGTERM/SIGINT
 */
#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "vigie-test-server.h"

static gboolean
on_quit (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
on_stdin (int           fd,
          GIOCondition  condition,
          gpointer      user_data)
{
  char buffer[256];

  /* Anything read is ignored; end of file (the parent is gone) stops us. */
  if (read (fd, buffer, sizeof buffer) <= 0)
    {
      g_main_loop_quit (user_data);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* The same 17 KB Statuspage summary bench-round uses for its byte count. */
static GBytes *
statuspage_summary (void)
{
  GString *summary = g_string_new ("{\"status\":{\"indicator\":\"none\"},\"components\":[");

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (summary, "%s{\"name\":\"Component %u\",\"status\":\"operational\","
                                     "\"description\":\"A part of the service\"}",
                            i ? "," : "", i);
  g_string_append (summary, "],\"incidents\":[],\"scheduled_maintenances\":[]}");
  return g_string_free_to_bytes (summary);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(VigieTestServer) server = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GBytes) body = statuspage_summary ();
  g_autoptr(GError) error = NULL;
  VigieTestRoute route = { .status = 200, .content_type = "application/json",
                           .etag = "\"bench\"", .body = body };

  setlocale (LC_ALL, "");
  server = vigie_test_server_new (FALSE, &error);
  if (server == NULL)
    {
      g_printerr ("bench-server: %s\n", error->message);
      return 1;
    }
  vigie_test_server_set_route_full (server, "/summary.json", &route);

  g_unix_signal_add (SIGTERM, on_quit, loop);
  g_unix_signal_add (SIGINT, on_quit, loop);
  g_unix_fd_add (0, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, loop);

  g_print ("%u\n", vigie_test_server_get_port (server));
  fflush (stdout);
  g_main_loop_run (loop);
  return 0;
}
