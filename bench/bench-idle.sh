#!/usr/bin/env bash
# bench/bench-idle.sh — does the applet sleep between rounds?
#
# Runs the real applet (Xvfb, a private session bus with a StatusNotifier
# watcher absent, so the XEmbed fallback is used, loopback stand-ins), lets
# its first round finish, then counts the voluntary context switches of each
# of its threads over a window that ends before the next round is due. A
# thread that wakes up periodically on its own shows up as a non-zero count.
#
#   bench/bench-idle.sh [SECONDS]     (window, default 60; issue #8 asks 600)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
window=${1:-60}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -c '
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()' "$port" &
pids+=($!)

export HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state"
mkdir -p "$XDG_CONFIG_HOME/vigie"
{
  # The next round is due after the window: only the applet's own wakeups count.
  printf '[General]\nServices=a;b;c\nInterval=%d\n' $(( window + 120 ))
  printf '[Connectivity]\nURLs=http://127.0.0.1:%s/ok\n' "$port"
  for s in a b c; do printf '[Service %s]\nSite=http://127.0.0.1:%s/%s\n' "$s" "$port" "$s"; done
} > "$XDG_CONFIG_HOME/vigie/vigie.ini"

display=:$(( (RANDOM % 400) + 600 ))
Xvfb "$display" -screen 0 800x600x24 -nolisten tcp >/dev/null 2>&1 & pids+=($!)
sleep 1
export DISPLAY=$display NO_AT_BRIDGE=1 VIGIE_ICON_DIR="$here/icons"
eval "$(dbus-launch --sh-syntax)"; pids+=("$DBUS_SESSION_BUS_PID")
"$here/_build/src/vigie" >/dev/null 2>&1 & app=$!; pids+=($app)
# Let start-up and the first round finish, and idle worker threads retire.
sleep 25

switches() {
  for t in /proc/"$app"/task/*; do
    printf '%s %s %s\n' "${t##*/}" "$(cat "$t/comm")" \
      "$(awk '/^voluntary_ctxt_switches/{print $2}' "$t/status")"
  done
}
switches > "$work/before"
sleep "$window"
switches > "$work/after"

printf '## Wakeups when idle (%s s between rounds, applet with 3 services)\n\n' "$window"
printf '| thread | voluntary context switches in %s s |\n|---|---:|\n' "$window"
total=0
while read -r tid name count; do
  before=$(awk -v t="$tid" '$1==t{print $NF}' "$work/before")
  delta=$(( count - ${before:-0} ))
  total=$(( total + delta ))
  printf '| %s (%s) | %d |\n' "$name" "$tid" "$delta"
done < "$work/after"
printf '| **all threads** | **%d** |\n\n' "$total"
