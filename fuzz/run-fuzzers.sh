#!/bin/sh
# run-fuzzers.sh — run every libFuzzer target of Vigie for a bounded time.
#
# Usage: fuzz/run-fuzzers.sh [SECONDS] [BUILD_DIR]
#
#   SECONDS    time per target (default 60), passed as -max_total_time
#   BUILD_DIR  a build dir configured with -Dfuzz=true (default: _build-fuzz
#              next to this script's parent, i.e. the source root)
#
# Environment:
#   FUZZ_TARGETS   targets to run (default "feeds config")
#   FUZZ_PARALLEL  1 to run the targets at the same time (one core each)
#   FUZZ_WORK_DIR  scratch dir to use (default: a new mktemp -d); it receives
#                  the corpus copies, crash artifacts, logs and dictionaries
#   FUZZ_ARGS      extra libFuzzer arguments for every target
#
# The committed corpus is never written to: each target fuzzes a scratch copy
# of fuzz/corpus/<target>/ and writes artifacts to the scratch dir, whose path
# is printed at the end. Non-interactive, no network.
#
# Exit status: 0 when no target found anything; 1 when a target crashed,
# leaked, timed out (-timeout=10 per input) or went over -rss_limit_mb=2048
# (the reproducer is in the scratch dir); 2 on usage or setup errors. Inputs
# slower than 1 s are reported as slow-unit-* artifacts and warnings but do
# not fail the run.
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcroot=$(dirname "$here")

seconds=${1:-60}
builddir=${2:-$srcroot/_build-fuzz}
targets=${FUZZ_TARGETS:-feeds config}
parallel=${FUZZ_PARALLEL:-0}
extra_args=${FUZZ_ARGS:-}

case $seconds in
  ''|*[!0-9]*)
    echo "usage: $0 [SECONDS] [BUILD_DIR]" >&2
    exit 2 ;;
esac

if [ -n "${FUZZ_WORK_DIR:-}" ]; then
  work=$FUZZ_WORK_DIR
  mkdir -p "$work" || exit 2
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/vigie-fuzz.XXXXXX") || exit 2
fi

# Dictionaries: the words the parsers look for. libFuzzer splices them in,
# which finds the structural paths far sooner than random bytes.
cat > "$work/feeds.dict" <<'EOF'
"{"
"}"
"["
"]"
":"
","
"null"
"true"
"false"
"\"\""
"\"status\""
"\"indicator\""
"\"description\""
"\"components\""
"\"incidents\""
"\"scheduled_maintenances\""
"\"group\""
"\"group_id\""
"\"id\""
"\"name\""
"\"impact\""
"\"shortlink\""
"\"started_at\""
"\"scheduled_for\""
"\"created_at\""
"\"updated_at\""
"\"display_at\""
"\"incident_updates\""
"\"body\""
"\"page\""
"\"type\""
"\"activeIncidents\""
"\"activeMaintenances\""
"\"started\""
"\"start\""
"\"updatedAt\""
"\"url\""
"\"data\""
"\"attributes\""
"\"aggregate_state\""
"\"included\""
"\"public_name\""
"\"active_incidents\""
"\"services\""
"\"title\""
"\"notes\""
"\"date_created\""
"\"date_updated\""
"\"begin\""
"\"end\""
"\"status_impact\""
"\"severity\""
"\"service_name\""
"\"affected_products\""
"\"external_desc\""
"\"most_recent_update\""
"\"text\""
"\"when\""
"\"modified\""
"\"uri\""
"\"none\""
"\"minor\""
"\"major\""
"\"critical\""
"\"maintenance\""
"\"operational\""
"\"degraded_performance\""
"\"partial_outage\""
"\"major_outage\""
"\"full_outage\""
"\"under_maintenance\""
"\"resolved\""
"\"postmortem\""
"\"completed\""
"\"in_progress\""
"\"verifying\""
"\"scheduled\""
"\"UP\""
"\"HASISSUES\""
"\"MAJOROUTAGE\""
"\"INPROGRESS\""
"\"RESOLVED\""
"\"degraded\""
"\"downtime\""
"\"ok\""
"\"active\""
"\"outage\""
"\"incident\""
"\"notice\""
"\"SERVICE_OUTAGE\""
"\"SERVICE_DISRUPTION\""
"\"SERVICE_INFORMATION\""
"\"high\""
"\"medium\""
"\"Gmail\""
"\"Login\""
"\"2021-10-04T15:00:00+00:00\""
"\"2021-10-05T00:00:00Z\""
"\"https://x/\""
"\"incidents/1\""
"\"javascript:x\""
"\\u0000"
"\\u001b"
"\\ud800"
"\xef\xbb\xbf"
"<?xml version=\"1.0\"?>"
"<rss>"
"</rss>"
"<channel>"
"<item>"
"</item>"
"<entry>"
"</entry>"
"<feed xmlns=\"http://www.w3.org/2005/Atom\">"
"</feed>"
"<rdf:RDF>"
"<title>"
"</title>"
"<title type=\"html\">"
"<link>"
"</link>"
"<link href=\"/x\" rel=\"alternate\"/>"
"<description>"
"</description>"
"<summary>"
"<content type=\"xhtml\">"
"<content:encoded>"
"<pubDate>"
"</pubDate>"
"<published>"
"<updated>"
"<dc:date>"
"<![CDATA["
"]]>"
"<!--"
"-->"
"&amp;"
"&lt;"
"&#x1F600;"
"&#65;"
"&nbsp;"
"<script>"
"</script>"
"<style>"
"<p>"
"Mon, 04 Oct 2021 15:39:00 GMT"
"4 Oct 21 11:45 -0400"
"outage"
"down"
"partial"
EOF

cat > "$work/config.dict" <<'EOF'
"["
"]"
"="
";"
"\x0a"
"#"
"\\s"
"\\;"
"[General]"
"[Notifications]"
"[Connectivity]"
"[Service "
"[Service intranet]"
"Services="
"Interval="
"RetryInterval="
"Timeout="
"FailuresBeforeDown="
"SuccessesBeforeUp="
"Enabled="
"QuietHours="
"URLs="
"Name="
"Name[fr]="
"Provider="
"Category="
"Site="
"StatusPage="
"Feed="
"FeedFilter="
"DownDetector="
"Note="
"true"
"false"
"22:00-07:00"
"facebook"
"slack"
"google-workspace"
"custom"
"https://"
"http://"
"example.com:8080"
"statuspage:"
"rss:"
"google:"
"none"
"18446744073709551616"
"-1"
EOF

status=0
summary=""

run_target () {
  name=$1
  exe=$builddir/fuzz/fuzz-$name
  case $name in
    config) max_len=65536 ;;
    *) max_len=1048576 ;;
  esac

  mkdir -p "$work/corpus-$name" "$work/artifacts-$name"
  cp -R "$here/corpus/$name/." "$work/corpus-$name/"

  # halt_on_error: a UBSan report must stop the run like an ASan one.
  # shellcheck disable=SC2086
  env ASAN_OPTIONS="detect_leaks=1:handle_abort=1:max_malloc_fill_size=4194304" \
      UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
      G_SLICE=always-malloc G_DEBUG=gc-friendly \
      LC_ALL=C.UTF-8 LANGUAGE= TMPDIR="$work" \
      "$exe" "$work/corpus-$name" \
        -dict="$work/$name.dict" \
        -max_total_time="$seconds" \
        -max_len="$max_len" \
        -rss_limit_mb=2048 \
        -malloc_limit_mb=2048 \
        -timeout=10 \
        -report_slow_units=1 \
        -print_final_stats=1 \
        -artifact_prefix="$work/artifacts-$name/" \
        $extra_args \
        > "$work/$name.log" 2>&1
  echo $? > "$work/$name.rc"
}

for name in $targets; do
  if [ ! -x "$builddir/fuzz/fuzz-$name" ]; then
    echo "$0: $builddir/fuzz/fuzz-$name not found; configure and build with:" >&2
    echo "  CC=clang meson setup $builddir -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false" >&2
    echo "  meson compile -C $builddir" >&2
    exit 2
  fi
  if [ ! -d "$here/corpus/$name" ]; then
    echo "$0: no seed corpus $here/corpus/$name" >&2
    exit 2
  fi
done

echo "Fuzzing for ${seconds}s per target: $targets (scratch: $work)"
if [ "$parallel" = 1 ]; then
  pids=""
  for name in $targets; do
    run_target "$name" &
    pids="$pids $!"
  done
  for pid in $pids; do
    wait "$pid"
  done
else
  for name in $targets; do
    run_target "$name"
  done
fi

for name in $targets; do
  rc=$(cat "$work/$name.rc" 2>/dev/null || echo 2)
  log=$work/$name.log
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
  slowest=$(sed -n 's/^stat::slowest_unit_time_sec: *//p' "$log")
  crashes=$(find "$work/artifacts-$name" -type f ! -name 'slow-unit-*' | sort)
  slow=$(find "$work/artifacts-$name" -type f -name 'slow-unit-*' | sort)

  echo
  echo "== fuzz-$name: exit $rc, ${execs:-?} execs, ${rate:-?} exec/s, peak RSS ${rss:-?} MB, slowest input ${slowest:-?} s"
  echo "   $last"
  echo "   log: $log"
  if [ "$rc" != 0 ] || [ -n "$crashes" ]; then
    status=1
    echo "   FAILED:"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz-[a-z]+: contract|.*runtime error|ALARM|==[0-9]+== ERROR: libFuzzer)' "$log" \
      | head -n 5 | sed 's/^/     /'
    for f in $crashes; do
      echo "   reproducer: $f"
      echo "     replay: $builddir/fuzz/fuzz-$name $f"
    done
  fi
  for f in $slow; do
    echo "   warning: slow input (> 1 s): $f"
  done
  summary="$summary $name:$rc"
done

echo
echo "Scratch dir (grown corpus, artifacts, logs): $work"
if [ "$status" != 0 ]; then
  echo "RESULT: FAILED ($summary )"
else
  echo "RESULT: ok ($summary )"
fi
exit "$status"
