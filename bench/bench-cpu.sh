#!/usr/bin/env bash
# bench/bench-cpu.sh — instructions per request: Vigie's engine next to curl.
#
# Counts user-space instructions with `valgrind --tool=callgrind` (a count,
# not a time: it repeats on a noisy shared machine) for:
#  - bench-cpu: N and 2N rounds of Vigie's engine (vigie_probe_run_sync:
#    baseline, front doors, feeds, parsing), S services on their own host
#    names pinned to 127.0.0.1;
#  - the curl command line fetching the same URLs of one round, N and 2N
#    times over, in parallel (`curl --parallel --parallel-max 128`), with the
#    same pins and the feeds' ETag (so they answer 304, as they do to Vigie),
#    under callgrind with --trace-children=no.
# The difference 2N − N removes start-up, the first pass and exit for both.
# The server (bench-server) runs outside valgrind; only clients are counted.
#
#   bench/bench-cpu.sh [--quick]       (--quick: fewer rounds, same figures)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=$here/_build/bench
services=100
rounds=3
[ "${1:-}" = --quick ] && rounds=2

work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

coproc SERVER { exec "$bin/bench-server"; }
server=$SERVER_PID
read -r port <&"${SERVER[0]}"

# totals FILE: the instructions callgrind counted in the whole program.
totals() { awk '/^totals:/ {print $2}' "$1"; }
# inclusive FILE FUNCTION: instructions spent in FUNCTION and what it called,
# summed over every call into it (read from the calls= records, so inlined
# parts that callgrind_annotate lists under other file names are not lost).
inclusive() {
  python3 - "$1" "$2" <<'PY'
import re, sys
names, total, pending = {}, 0, False
for line in open(sys.argv[1]):
    if pending:
        total += int(line.split()[1])
        pending = False
    elif line.startswith("cfn="):
        m = re.match(r"cfn=\((\d+)\)(?: (.*))?", line.rstrip("\n"))
        if m.group(2):
            names[m.group(1)] = m.group(2)
        target = names.get(m.group(1))
    elif line.startswith("fn="):
        m = re.match(r"fn=\((\d+)\)(?: (.*))?", line.rstrip("\n"))
        if m and m.group(2):
            names[m.group(1)] = m.group(2)
    elif line.startswith("calls="):
        pending = target == sys.argv[2]
print(total)
PY
}

callgrind=(valgrind --tool=callgrind --trace-children=no)

# vigie FEED_EVERY ROUNDS: callgrind output of bench-cpu.
vigie() {
  local out=$work/vigie-$1-$2.out
  "${callgrind[@]}" --callgrind-out-file="$out" "$bin/bench-cpu" --port "$port" \
    --services "$services" --feed-every "$1" --rounds "$2" >/dev/null 2>"$work/log" \
    || { cat "$work/log" >&2; exit 1; }
  echo "$out"
}

# curl_run FEED_EVERY PASSES: callgrind output of the curl command line.
curl_run() {
  local out=$work/curl-$1-$2.out args=() urls=() pin url
  args=(--parallel --parallel-max 128 -s --no-progress-meter -H 'If-None-Match: "bench"')
  while read -r pin; do args+=(--resolve "$pin"); done \
    < <("$bin/bench-cpu" --port "$port" --services "$services" --print-resolve)
  mapfile -t urls < <("$bin/bench-cpu" --port "$port" --services "$services" \
                        --feed-every "$1" --print-urls)
  for ((pass = 0; pass < $2; pass++)); do
    for url in "${urls[@]}"; do args+=(-o /dev/null "$url"); done
  done
  "${callgrind[@]}" --callgrind-out-file="$out" curl "${args[@]}" 2>"$work/log" \
    || { cat "$work/log" >&2; exit 1; }
  echo "$out"
}

printf '## CPU per request (instructions counted by callgrind, loopback)\n\n'
printf 'Measured with `bench/bench-cpu.sh`: %d services, each on its own host name; ' "$services"
printf 'Vigie runs %d and %d rounds of its engine (`bench/bench-cpu.c`), curl fetches the same ' \
  "$rounds" $((2 * rounds))
printf 'URLs %d and %d times over with `curl --parallel --parallel-max 128 -s -o /dev/null URL…` ' \
  "$rounds" $((2 * rounds))
printf '%s' "(plus \`--resolve\` for the same pins, \`-H 'If-None-Match: \"bench\"'\` so feeds "
printf 'answer 304 as they do to Vigie, and `--no-progress-meter`, which curl 7.88 needs besides '
printf '`-s` in parallel mode); '
printf 'the difference of the two runs is the cost of %d rounds, start-up removed. ' "$rounds"
printf 'User-space instructions only (kernel socket work is counted for neither).\n\n'
printf '| services with a feed | requests per round | Vigie per round | Vigie per service | '
printf 'Vigie per request | of which parsing feeds | curl per request | Vigie ÷ curl | '
printf 'Vigie ÷ curl without feed parsing |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'

for every in 0 2; do
  requests=$("$bin/bench-cpu" --port "$port" --services "$services" --feed-every "$every" \
               --print-urls | wc -l)
  v1=$(vigie "$every" "$rounds"); v2=$(vigie "$every" $((2 * rounds)))
  c1=$(curl_run "$every" "$rounds"); c2=$(curl_run "$every" $((2 * rounds)))
  python3 - "$every" "$rounds" "$services" "$requests" \
    "$(totals "$v1")" "$(totals "$v2")" "$(totals "$c1")" "$(totals "$c2")" \
    "$(inclusive "$v1" vigie_feed_parse)" "$(inclusive "$v2" vigie_feed_parse)" <<'PY'
import sys
every, rounds, services, requests = map(int, sys.argv[1:5])
v1, v2, c1, c2, p1, p2 = map(int, sys.argv[5:11])
per_round = (v2 - v1) / rounds
vigie = per_round / requests
curl = (c2 - c1) / (rounds * requests)
parse = (p2 - p1) / (rounds * requests)
label = "none" if every == 0 else f"1 in {every} (17 KB Statuspage, 304)"
k = lambda x: f"{x / 1000:,.0f} k"
print(f"| {label} | {requests} | {per_round / 1e6:,.1f} M | {k(per_round / services)} | "
      f"{k(vigie)} | {k(parse)} | {k(curl)} | **{vigie / curl:.2f}×** | "
      f"{(vigie - parse) / curl:.2f}× |")
PY
done
printf '\nTarget: Vigie ≤ 1.5× curl per request: compare the "Vigie ÷ curl" column. An '
printf 'unchanged feed (a 304) reuses the report parsed the last time it changed, so a round '
printf 'with feeds costs about what the requests alone cost (the "parsing feeds" column).\n\n'
