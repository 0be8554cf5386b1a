#!/usr/bin/env python3
# bench/loopback-server.py — the services' stand-in for the desktop benchmarks.
#
# The footprint and start-up benchmarks run the real applet, so its services
# must answer from somewhere. This server is plain Python on purpose: memory
# is measured per process (PSS shares a library's pages among the processes
# that map it), and a server written with libsoup or libcurl would map the
# libraries Vigie maps and make Vigie look smaller than it is.
#
#   /ok             200, empty body (a front door, or the "is it me?" check)
#   /summary.json   a Statuspage summary of 200 components (about 17 KB), with
#                   ETag "bench"; If-None-Match: "bench" gets 304
#   anything else   404
# The query string is ignored, so ?svc=N makes distinct URLs of one path.
#
# Usage: loopback-server.py   prints its port (127.0.0.1) on a line, then
#                             serves until its standard input closes
import http.server
import json
import sys
import threading

SUMMARY = json.dumps({
    "status": {"indicator": "none"},
    "components": [{"name": f"Component {i}", "status": "operational",
                    "description": "A part of the service"} for i in range(200)],
    "incidents": [],
    "scheduled_maintenances": [],
}, separators=(",", ":")).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/ok":
            self.answer(200)
        elif path == "/summary.json":
            if self.headers.get("If-None-Match") == '"bench"':
                self.answer(304, etag=True)
            else:
                self.answer(200, SUMMARY, "application/json", etag=True)
        else:
            self.answer(404)

    def answer(self, status, body=b"", content_type="text/plain", etag=False):
        self.send_response(status)
        if etag:
            self.send_header("ETag", '"bench"')
        if status != 304:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    # A headers-only probe hangs up before the body: not an error here.
    def handle_error(self, request, client_address):
        pass


server = Server(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_address[1], flush=True)
sys.stdin.read()
