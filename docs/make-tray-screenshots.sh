#!/usr/bin/env bash
# docs/make-tray-screenshots.sh — screenshots of the tray menu and of a
# notification as a user sees them: a real panel (xfce4-panel with its status
# tray), a real notification daemon (dunst), the applet built in _build, and
# loopback stand-ins replaying 4 October 2021 (Facebook, Instagram, WhatsApp
# and Messenger down while the user's own connection works).
#
#   docs/make-tray-screenshots.sh [en|de|es|fr|it]    (default: en)
#
# VIGIE_BUILD names the build folder to take the applet and its catalogues
# from (default: _build).
# Writes docs/tray-menu-LANG.png and docs/notification-LANG.png. Everything
# runs on a private X display, session bus and HOME; only loopback is used.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
lang=${1:-en}
need=(xvfb x11-xserver-utils x11-utils xfce4-panel xfwm4 dunst xdotool imagemagick python3 dbus-x11 fonts-cantarell
      adwaita-icon-theme)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=(); [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# Loopback stand-ins: the Meta services answer 503, the rest 200.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/standin.py" <<'PY'
import http.server, sys
DOWN = {"/facebook", "/instagram", "/whatsapp", "/messenger"}
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(503 if self.path in DOWN else 200)
        self.send_header("Content-Length", "0"); self.end_headers()
    do_HEAD = do_GET
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
python3 "$work/standin.py" "$port" & pids+=($!)

export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_STATE_HOME="$work/home/.state"
mkdir -p "$XDG_CONFIG_HOME/vigie" "$XDG_CONFIG_HOME/xfce4/xfconf/xfce-perchannel-xml" \
         "$XDG_CONFIG_HOME/dunst"
{
  printf '[General]\nServices=facebook;instagram;whatsapp;messenger;slack;notion;google-workspace\n'
  printf 'FailuresBeforeDown=1\n[Connectivity]\nURLs=http://127.0.0.1:%s/ok\n' "$port"
  for s in "facebook Facebook Meta" "instagram Instagram Meta" "whatsapp WhatsApp Meta" \
           "messenger Messenger Meta" "slack Slack Slack" "notion Notion Notion" \
           "google-workspace Google-Workspace Google"; do
    set -- $s
    printf '[Service %s-standin]\nName=%s\nProvider=%s\nSite=http://127.0.0.1:%s/%s\n' \
      "$1" "${2//-/ }" "$3" "$port" "$1"
  done
} > "$XDG_CONFIG_HOME/vigie/vigie.ini"
sed -i 's/^Services=.*/Services=facebook-standin;instagram-standin;whatsapp-standin;messenger-standin;slack-standin;notion-standin;google-workspace-standin/' \
  "$XDG_CONFIG_HOME/vigie/vigie.ini"

# A panel at the top with the status tray and a clock, no first-run dialog.
cat > "$XDG_CONFIG_HOME/xfce4/xfconf/xfce-perchannel-xml/xfce4-panel.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="size" type="uint" value="32"/>
      <property name="icon-size" type="uint" value="24"/>
      <property name="plugin-ids" type="array">
        <value type="int" value="1"/>
        <value type="int" value="2"/>
        <value type="int" value="3"/>
      </property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="separator">
      <property name="expand" type="bool" value="true"/>
      <property name="style" type="uint" value="0"/>
    </property>
    <property name="plugin-2" type="string" value="systray"/>
    <property name="plugin-3" type="string" value="clock"/>
  </property>
</channel>
XML
cat > "$XDG_CONFIG_HOME/dunst/dunstrc" <<'INI'
[global]
    font = Cantarell 11
    width = 420
    offset = 12x44
    origin = top-right
    frame_width = 1
    frame_color = "#77767b"
    corner_radius = 8
    padding = 12
    horizontal_padding = 12
    icon_position = left
    max_icon_size = 48
    markup = full
    show_indicators = no
    format = "<b>%s</b>\n%b"
[urgency_critical]
    background = "#ffffff"
    foreground = "#241f31"
    frame_color = "#c01c28"
    timeout = 0
[urgency_normal]
    background = "#ffffff"
    foreground = "#241f31"
INI

display=:$(( (RANDOM % 400) + 200 ))
Xvfb "$display" -screen 0 1024x600x24 -nolisten tcp >/dev/null 2>&1 & pids+=($!)
export DISPLAY=$display
sleep 1
eval "$(dbus-launch --sh-syntax)"
pids+=("$DBUS_SESSION_BUS_PID")
export GTK_THEME=Adwaita NO_AT_BRIDGE=1
# A desktop-coloured root window, so the screenshots read as a desktop.
xsetroot -solid '#3d3846' 2>/dev/null || true
xfwm4 >/dev/null 2>&1 & pids+=($!)
xfce4-panel --disable-wm-check >/dev/null 2>&1 & pids+=($!)
dunst -config "$XDG_CONFIG_HOME/dunst/dunstrc" >/dev/null 2>&1 & pids+=($!)
sleep 3

build="$here/${VIGIE_BUILD:-_build}"
export VIGIE_ICON_DIR="$here/icons" VIGIE_LOCALEDIR="$build/po"
if [ "$lang" != en ]; then export LANGUAGE="$lang" LC_ALL=C.UTF-8; fi
"$build/src/vigie" >/dev/null 2>&1 & pids+=($!)
sleep 6

# The notification popped up on its own: capture the top-right corner.
import -window root -crop 460x230+564+0 "$here/docs/notification-$lang.png"

# Open the tray menu (with the notification out of the way): the status
# tray sits just left of the clock.
dunstctl close-all 2>/dev/null || true
panel=$(xdotool search --onlyvisible --class xfce4-panel | head -1)
read -r px py pw ph < <(xwininfo -id "$panel" | awk '/Absolute upper-left X/{x=$4} /Absolute upper-left Y/{y=$4} /Width/{w=$2} /Height/{h=$2} END{print x, y, w, h}')
xdotool mousemove $(( px + pw - 80 )) $(( py + ph / 2 )) click 1
sleep 1
import -window root -crop 560x360+464+0 "$here/docs/tray-menu-$lang.png"
echo "wrote docs/notification-$lang.png and docs/tray-menu-$lang.png"
