#!/usr/bin/env bash
# run-soak.sh — the long form of the soak test (tests/test-soak.c) under both
# builds: the plain one, where resident memory must stay flat, and the
# sanitized one (ASan, UBSan, LeakSanitizer), where nothing may leak.
#
#   tests/run-soak.sh [ROUNDS]
#
# ROUNDS defaults to $VIGIE_SOAK_ROUNDS, else 50000 (500 at least): a round
# every 10 ms plus a second per stalled service, about ten minutes per build.
# Progress shows every 1000 rounds; each build's whole output is kept in
# BUILDDIR/meson-logs/soak.log. Uses the build trees of ./dev (_build and
# _build-sanitize), configured the same way here if they are missing; the
# packages are ./dev's business. Loopback only: no display, no session bus.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

rounds=${1:-${VIGIE_SOAK_ROUNDS:-50000}}
case $rounds in
  ''|*[!0-9]*) echo "run-soak.sh: ROUNDS must be a number, not '$rounds'" >&2; exit 2 ;;
esac
if [ "$rounds" -lt 500 ]; then
  echo "run-soak.sh: at least 500 rounds" >&2
  exit 2
fi

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Runs the "soak" test of build DIR as meson test would (same command, same
# environment), but with its output as it comes: meson holds a TAP test's
# output back until it ends, and there is no timeout here.
run_soak_test() {
  python3 - "$1" <<'PY'
import json, os, subprocess, sys

tests = json.loads(subprocess.check_output(['meson', 'introspect', sys.argv[1], '--tests']))
test = next(t for t in tests if t['name'] == 'soak')
env = dict(os.environ, **test['env'])
sys.exit(subprocess.call(test['cmd'], env=env, cwd=test.get('workdir') or None))
PY
}

# soak DIR LABEL [meson setup options...]
soak() {
  local dir=$1 label=$2 log started status
  shift 2
  if [ ! -f "$dir/build.ninja" ]; then
    say "Configuring $dir"
    meson setup "$dir" "$@" >/dev/null
  fi
  meson compile -C "$dir" >/dev/null
  log=$dir/meson-logs/soak.log
  say "Soak, $label build: $rounds rounds (log: $log)"
  started=$(date +%s)
  set +e
  VIGIE_SOAK_ROUNDS=$rounds run_soak_test "$dir" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -eq 0 ] && grep -q '^ok 1 ' "$log"; then
    say "Soak, $label build: passed in $(( $(date +%s) - started )) s"
    return 0
  fi
  say "Soak, $label build: FAILED (log: $log)"
  return 1
}

status=0
plain=passed
sanitized=passed
soak _build plain || { status=1; plain=FAILED; }
# The same options as ./dev test --sanitize.
soak _build-sanitize sanitized \
  -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug \
  || { status=1; sanitized=FAILED; }

echo "Soak ($rounds rounds): plain $plain, sanitized $sanitized"
exit $status
