#!/usr/bin/env bash
# package-test.sh DEB PACKAGE-DESKTOP — tests the Debian package as a user
# gets it: installs DEB (without its Recommends, as on a bare machine), runs
# the installed program, checks every file where Debian expects it, starts
# the installed applet on a fake desktop (PACKAGE-DESKTOP, built from
# tests/package-desktop.c) under Xvfb and a private session bus and sees its
# tray item register, then purges the package and checks nothing of it is
# left. `./dev test --package` builds the package and the fake desktop first.
#
# Needs root (or sudo): it installs and purges the package system-wide, so a
# Vigie installed before is replaced, then purged. Prints one line per check
# and ends with "package: N passed, N failed"; exits non-zero on any failure.
set -uo pipefail

[ $# -eq 2 ] || { echo "usage: $0 DEB PACKAGE-DESKTOP" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
deb=$(realpath "$1")
desktop_helper=$(realpath "$2")
[ -f "$deb" ] || { echo "package-test: no such package: $1" >&2; exit 2; }
[ -x "$desktop_helper" ] || { echo "package-test: no such program: $2" >&2; exit 2; }

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "package-test: needs root or sudo" >&2; exit 2; }
  sudo=(sudo)
fi

package=$(dpkg-deb -f "$deb" Package)
version=$(dpkg-deb -f "$deb" Version)
upstream=${version%%-*}
app_id=io.github.vigie.Vigie

tmp=$(mktemp -d)
log=$tmp/log
installed=false
passed=0 failed=0 n=0

cleanup() {
  # A failed run must not leave the package behind for the next one.
  if $installed; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "$package" \
      >/dev/null 2>&1
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# check NAME COMMAND...: runs COMMAND, its output kept in $log; on failure the
# output is shown under the check.
check() {
  local name=$1; shift
  n=$((n + 1))
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
    echo "ok $n - $name"
  else
    failed=$((failed + 1))
    echo "not ok $n - $name"
    sed 's/^/#   /' "$log" | head -n 40
  fi
}

# Small predicates for check().
owned() { grep -qxF "$1" "$tmp/files" || { echo "$1 is not in dpkg -L $package"; return 1; }; [ -f "$1" ]; }
is_conffile() { dpkg-query -W -f='${Conffiles}\n' "$package" | grep -q " $1 "; }
output_has() { grep -q -- "$1" "$tmp/out" || { cat "$tmp/out"; return 1; }; }
desktop_key() { sed -n "s/^$2=//p" "$1" | head -n 1; }

# The applet and the command line get a home of their own, English messages,
# and settings whose "is it me?" check is a closed loopback port: offline
# every time, whether or not this machine reaches the Internet.
home=$tmp/home
mkdir -p "$home/.config/vigie"
printf '[Connectivity]\nURLs=http://127.0.0.1:9/\n' >"$home/.config/vigie/vigie.ini"
offline_home=$home
plain_home=$tmp/plain-home
mkdir -p "$plain_home"
run_as_user() {
  local h=$1; shift
  env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS -u LANG -u LC_MESSAGES \
    HOME="$h" XDG_CONFIG_HOME="$h/.config" XDG_STATE_HOME="$h/.local/state" \
    XDG_CACHE_HOME="$h/.cache" XDG_DATA_HOME="$h/.local/share" \
    LC_ALL=C.UTF-8 LANGUAGE= NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory "$@"
}

echo "# $package $version from $(basename "$deb")"
if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed'; then
  echo "# $package was installed before this test: it is replaced, then purged"
fi

# --- Install -----------------------------------------------------------------
install_package() {
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends --reinstall "$deb"
}
check "apt-get install --no-install-recommends ./$(basename "$deb")" install_package
installed=true
check "dpkg says $package $version is installed" \
  sh -c "dpkg-query -W -f='\${Status} \${Version}\n' $package | grep -qx 'install ok installed $version'"
dpkg -L "$package" >"$tmp/files" 2>/dev/null

# --- Files where Debian expects them ------------------------------------------
check "/usr/bin/vigie" owned /usr/bin/vigie
check "launcher in /usr/share/applications" owned "/usr/share/applications/$app_id.desktop"
check "autostart entry in /etc/xdg/autostart" owned "/etc/xdg/autostart/$app_id.desktop"
check "autostart entry is a conffile" is_conffile "/etc/xdg/autostart/$app_id.desktop"
check "metainfo in /usr/share/metainfo" owned "/usr/share/metainfo/$app_id.metainfo.xml"
check "application icon in hicolor" owned "/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
check "symbolic application icon in hicolor" \
  owned "/usr/share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
for state in operational degraded down offline unknown paused; do
  check "tray icons vigie-$state in hicolor" sh -c "
    for f in /usr/share/icons/hicolor/scalable/status/vigie-$state.svg \
             /usr/share/icons/hicolor/scalable/status/vigie-$state-symbolic.svg; do
      grep -qxF \"\$f\" '$tmp/files' && [ -s \"\$f\" ] || { echo \"missing: \$f\"; exit 1; }
    done"
done
check "man page in /usr/share/man/man1" owned /usr/share/man/man1/vigie.1.gz
check "man page is a valid vigie(1)" \
  sh -c 'gzip -t /usr/share/man/man1/vigie.1.gz && zcat /usr/share/man/man1/vigie.1.gz | grep -qi "^\.TH \"\?vigie\"\? \"\?1"'
check "copyright in /usr/share/doc/$package" owned "/usr/share/doc/$package/copyright"
check "changelog in /usr/share/doc/$package" owned "/usr/share/doc/$package/changelog.gz"
languages=$(sed -e 's/#.*//' "$here/../po/LINGUAS" | tr -s ' \t' '\n\n' | grep -v '^$')
for lang in $languages; do
  mo=/usr/share/locale/$lang/LC_MESSAGES/vigie.mo
  check "catalogue $mo" owned "$mo"
  if command -v msgunfmt >/dev/null; then
    check "catalogue $lang is a valid .mo" msgunfmt -o /dev/null "$mo"
  fi
done
check "nothing outside /usr/bin, /usr/share and /etc/xdg/autostart" sh -c "
  ! grep -v -e '^/\.\$' -e '^/usr\$' -e '^/etc\$' -e '^/etc/xdg\$' -e '^/usr/bin' \
            -e '^/usr/share' -e '^/etc/xdg/autostart' '$tmp/files'"
check "no headers, static or shared libraries" sh -c "! grep -E '\.(h|a|so(\..*)?)\$' '$tmp/files'"

# --- The installed program ------------------------------------------------------
check "vigie on PATH is /usr/bin/vigie" sh -c '[ "$(command -v vigie)" = /usr/bin/vigie ]'
check "vigie --version says $upstream" \
  sh -c "out=\$(/usr/bin/vigie --version) && echo \"\$out\" && [ \"\$out\" = 'vigie $upstream' ]"
check "vigie --help" run_as_user "$plain_home" /usr/bin/vigie --help
check "vigie --list-services lists the built-in catalog" \
  sh -c "[ \$(env HOME='$plain_home' XDG_CONFIG_HOME='$plain_home/.config' \
             /usr/bin/vigie --list-services | wc -l) -gt 50 ]"

offline_check() {
  local status=0
  run_as_user "$offline_home" timeout 60 /usr/bin/vigie --check >"$tmp/out" 2>&1 || status=$?
  echo "exit status $status"
  [ $status -eq 3 ] && output_has "You are offline"
}
check "vigie --check offline (loopback \"is it me?\" check): exit 3, \"You are offline\"" \
  offline_check

# The default settings: with no Internet (as on the machine this was written
# on) that is "offline" too, exit 3; where the Internet answers, a verdict.
default_check() {
  local status=0
  run_as_user "$plain_home" timeout 90 /usr/bin/vigie --check >"$tmp/out" 2>&1 || status=$?
  echo "exit status $status"
  case $status in
    3) output_has "You are offline" ;;
    0|1|2) output_has "SERVICE" ;;
    *) cat "$tmp/out"; return 1 ;;
  esac
}
check "vigie --check with the default settings" default_check
echo "#   $(head -n 1 "$log"): $(grep -m 1 -e '^You are offline' -e '^Checked' "$tmp/out" | cut -c 1-100)"

# Each catalogue is found where it is installed (no VIGIE_LOCALEDIR).
run_as_user "$plain_home" /usr/bin/vigie --help >"$tmp/help-en" 2>&1
for lang in $languages; do
  check "vigie --help speaks $lang (LANGUAGE=$lang)" sh -c "
    env HOME='$plain_home' LC_ALL=C.UTF-8 LANGUAGE=$lang /usr/bin/vigie --help >'$tmp/help-$lang' 2>&1 &&
    ! cmp -s '$tmp/help-en' '$tmp/help-$lang'"
done

# --- Desktop integration ---------------------------------------------------------
launcher=/usr/share/applications/$app_id.desktop
autostart=/etc/xdg/autostart/$app_id.desktop
check "desktop-file-validate launcher" desktop-file-validate "$launcher"
check "desktop-file-validate autostart entry" desktop-file-validate "$autostart"
check "launcher runs vigie" sh -c "[ '$(desktop_key "$launcher" Exec)' = vigie ]"
check "autostart entry runs vigie --autostart" \
  sh -c "[ '$(desktop_key "$autostart" Exec)' = 'vigie --autostart' ]"
check "launcher icon is an installed hicolor icon" \
  sh -c "ls /usr/share/icons/hicolor/*/apps/'$(desktop_key "$launcher" Icon)'.svg"
check "appstreamcli validate --no-net metainfo" \
  appstreamcli validate --no-net "/usr/share/metainfo/$app_id.metainfo.xml"
check "metainfo's launchable is the installed launcher" \
  grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" \
  "/usr/share/metainfo/$app_id.metainfo.xml"

# --- The applet on a (fake) desktop ----------------------------------------------
applet_on_desktop() {
  run_as_user "$offline_home" timeout 120 \
    xvfb-run -a -s '-screen 0 1280x800x24 -nolisten tcp' \
    dbus-run-session --config-file="$here/session-bus.conf" -- \
    "$desktop_helper" /usr/bin/vigie >"$tmp/desktop" 2>&1
  local status=$?
  grep -v 'Failed to set fd limit' "$tmp/desktop"
  return $status
}
check "installed applet registers its tray item, shows its menu, quits on Quit" applet_on_desktop
sed -n 's/^/#   /p' "$tmp/desktop" | grep -E '^#   (registered|Title|IconName|menu):'
icon=$(sed -n 's/^IconName: //p' "$tmp/desktop")
# Offline settings: the applet's verdict is "offline", whatever the network.
check "tray icon is vigie-offline" test "$icon" = vigie-offline
check "tray icon ${icon:-?} is an installed hicolor icon" \
  sh -c "[ -n '$icon' ] && ls /usr/share/icons/hicolor/scalable/status/'$icon'.svg"

# --- Purge -------------------------------------------------------------------------
# What the package owned: its files and symlinks must go; folders may stay
# when shared (/usr/bin), except Vigie's own.
: >"$tmp/owned-files"; : >"$tmp/owned-dirs"
while IFS= read -r path; do
  if [ -d "$path" ] && [ ! -L "$path" ]; then
    echo "$path" >>"$tmp/owned-dirs"
  else
    echo "$path" >>"$tmp/owned-files"
  fi
done <"$tmp/files"
purge_package() {
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get purge -y "$package"
}
check "apt-get purge $package" purge_package
installed=false
check "dpkg knows nothing of $package any more" sh -c "
  ! dpkg-query -W -f='\${Status}\n' $package 2>/dev/null | grep -v 'not-installed'"
leftovers() {
  local path status=0
  while IFS= read -r path; do
    if [ -e "$path" ] || [ -L "$path" ]; then echo "left: $path"; status=1; fi
  done <"$tmp/owned-files"
  while IFS= read -r path; do
    case $path in *vigie*) [ ! -d "$path" ] || { echo "left: $path/"; status=1; } ;; esac
  done <"$tmp/owned-dirs"
  return $status
}
check "every file of the package is gone ($(wc -l <"$tmp/owned-files") files)" leftovers
check "autostart entry gone from /etc/xdg/autostart" test ! -e "$autostart"

echo "package: $passed passed, $failed failed"
[ $failed -eq 0 ]
