#!/usr/bin/env bash
# docs/make-screenshots.sh — screenshots of the details window and of the
# preferences, in English and French, at 100 % and 200 % scale.
#
#   docs/make-screenshots.sh
#
# Runs the applet built in _build, or in the folder VIGIE_BUILD names
# (docs/screenshot-scenario: the real
# catalog, 4 October 2021 replayed on loopback stand-ins — Facebook,
# Instagram, WhatsApp and Messenger down, Slack, Notion and Google Workspace
# fine — with 26 hours of outage log behind it) on a private X server, and
# captures each window with `import`. Writes docs/details-LANG.png,
# docs/preferences-LANG.png and their -2x variants. Only loopback is used;
# HOME, settings and the log live in a temporary folder.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$here/${VIGIE_BUILD:-_build}
need=(xvfb xauth xdotool imagemagick openssl locales dbus dbus-x11 fonts-cantarell adwaita-icon-theme
      librsvg2-common)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=(); [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
meson compile -C "$build" screenshot-scenario vigie-gmo >/dev/null
scenario=$build/src/app/screenshot-scenario
[ -x "$scenario" ] || { echo "make-screenshots: $scenario was not built (meson -Dtests=true)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# A CA of our own for the stand-ins' host names, valid two days.
hosts=(slack.com slack-status.com www.notion.so www.notion-status.com docs.google.com
       www.google.com metastatus.com connectivitycheck.gstatic.com)
san=$(printf 'DNS:%s,' "${hosts[@]}"); san=${san%,}
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=Vigie screenshots CA' \
  -keyout "$work/ca.key" -out "$work/ca.pem" \
  -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign' 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj '/CN=stand-in' \
  -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$san" \
  > "$work/ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
  -CAcreateserial -days 2 -extfile "$work/ext" -out "$work/server.pem" 2>/dev/null

# start_x WIDTHxHEIGHT: a private X server (:99 as documented, or the next
# free one), large enough for the windows at the scale of the round.
start_x() {
  display=99
  while [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
  Xvfb ":$display" -screen 0 "$1x24" -nolisten tcp >/dev/null 2>&1 & xvfb=$!
  pids+=("$xvfb")
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
  export DISPLAY=":$display"
}

export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config"
export XDG_STATE_HOME="$work/home/.state" XDG_CACHE_HOME="$work/home/.cache"
export VIGIE_ICON_DIR="$here/icons" VIGIE_LOCALEDIR="$build/po"
export GTK_THEME=Adwaita NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory GIO_USE_NETWORK_MONITOR=base
mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"

# French as a French desktop has it: decimal commas, French month names.
if ! locale -a 2>/dev/null | grep -qix 'fr_FR.utf8'; then
  sudo=(); [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" localedef -i fr_FR -f UTF-8 fr_FR.UTF-8 2>/dev/null || true
fi
locale_for() {
  if [ "$1" = fr ] && locale -a 2>/dev/null | grep -qix 'fr_FR.utf8'; then echo fr_FR.UTF-8
  else echo C.UTF-8; fi
}

# capture WINDOW LANG SCALE OUTPUT
capture() {
  local window=$1 lang=$2 scale=$3 output=$4 log="$work/scenario.log" id="" pid title
  : > "$log"
  rm -f "$work/stdin"; mkfifo "$work/stdin"
  # Its standard input is a pipe we hold open: closing it ends the scenario.
  LANGUAGE=$lang LC_ALL=$(locale_for "$lang") GDK_SCALE=$scale \
    dbus-run-session -- "$scenario" "$here/data/services.ini" "$work/ca.pem" "$work/server.pem" \
      "$work/server.key" "$window" < "$work/stdin" > "$log" 2>"$work/scenario.err" &
  pid=$!
  pids+=("$pid")
  exec 3> "$work/stdin"
  for _ in $(seq 300); do grep -q '^ready ' "$log" && break; sleep 0.1; done
  grep -q '^ready ' "$log" || { cat "$work/scenario.err" >&2; echo "make-screenshots: $window did not open" >&2; exit 1; }
  title=$(sed -n 's/^ready //p' "$log" | head -n 1)
  id=$(xdotool search --onlyvisible --name "^$title\$" | head -n 1)
  [ -n "$id" ] || { echo "make-screenshots: no window named $title" >&2; exit 1; }
  # The pointer rests in a corner, outside the window: no hover highlight.
  xdotool mousemove 4000 4000
  import -window "$id" "$output"
  exec 3>&-
  wait "$pid" 2>/dev/null || true
  echo "wrote ${output#"$here"/}"
}

for scale in 1 2; do
  if [ "$scale" = 1 ]; then start_x 1280x800; suffix=""; else start_x 2560x1600; suffix="-2x"; fi
  for lang in en fr; do
    capture details "$lang" "$scale" "$here/docs/details-$lang$suffix.png"
    capture preferences "$lang" "$scale" "$here/docs/preferences-$lang$suffix.png"
  done
  kill "$xvfb" 2>/dev/null || true
  wait "$xvfb" 2>/dev/null || true
done
