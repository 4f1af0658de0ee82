#!/usr/bin/env bash
# HTTP benchmark of referat-serve: wrk from loopback against /api/search with exact facets on a
# generated index, at 1, 8 and 64 connections. Prints wrk's latency distribution and a summary
# table (req/s, p50, p99, errors) for docs/PERFORMANCE.md "## HTTP".
#
# Usage: bench/serve_bench.sh [BUILD_DIR] [ITEMS] [SECONDS] [THREADS] [QUERIES]
#   BUILD_DIR  a build with bench_search and referat-serve (default: build)
#   ITEMS      generated agenda items (default 100000). The corpus and the index are bench_search's
#              (bench/search_bench.cc), cached in $REFERAT_BENCH_WORK/ITEMS/ (default
#              /tmp/referat-bench-search), so both benchmarks measure the same index
#   SECONDS    duration of each wrk run (default 20)
#   THREADS    referat-serve worker threads (default: the server's default)
#   QUERIES    distinct queries in the request mix (default 480): bench_search's realistic query
#              set (1-3 words, phrases, OR, NOT, field filters), every third sorted newest first
#              and every seventh on page 2, so the figures do not depend on any one query
# Loopback only; every run is bounded by SECONDS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
items=${2:-100000}
seconds=${3:-20}
threads=${4:-0}
nqueries=${5:-480}
base=${REFERAT_BENCH_WORK:-/tmp/referat-bench-search}
work=$base/$items
db=$work/referat-db
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }

# bench_search reuses the corpus and index when present and of this schema version.
echo "== corpus and index ($items items; generated and indexed once: bench_search --index-only)"
"$build/bench/bench_search" --items "$items" --work "$base" --index-only

log=$work/serve.log
serve_args=(--db "$db" --port 0)
[ "$threads" != 0 ] && serve_args+=(--threads "$threads")
"$build/searcher/referat-serve" "${serve_args[@]}" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 100); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$log" >&2; exit 1; }
echo "== $url  db=$db  $(curl -s "$url/healthz")"

# The request mix: bench_search's query set as /api/search paths, all with exact facets.
"$build/bench/bench_search" --queries "$nqueries" --write-queries "$work/queries.txt"
lua=$work/queries.lua
python3 - "$work/queries.txt" >"$lua" <<'PY'
import sys, urllib.parse
paths = []
for i, q in enumerate(open(sys.argv[1], encoding="utf-8").read().splitlines()):
    p = "/api/search?q=" + urllib.parse.quote_plus(q)
    if i % 3 == 1: p += "&sort=nyeste"
    if i % 7 == 2: p += "&side=2"
    paths.append(p)
print("local paths = {")
for p in paths: print('  "%s",' % p)
print("}")
PY
cat >>"$lua" <<'LUA'
local i = 0
setup = function(thread)
  thread:set("offset", math.random(#paths))
end
request = function()
  i = i + 1
  return wrk.format("GET", paths[((i + (offset or 0)) % #paths) + 1])
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT req/s=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests, errors))
end
LUA

# Check every query answers 200 before measuring.
while read -r p; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$url$p")
  [ "$code" = 200 ] || { echo "FAIL: $p -> $code" >&2; exit 1; }
done < <(grep -o '"/api/[^"]*"' "$lua" | tr -d '"')

wrk -t1 -c8 -d3s -s "$lua" "$url" >/dev/null   # warm-up (page cache, per-thread Searchers)
echo "| connections | req/s | p50 ms | p99 ms | max ms | requests | errors |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for c in 1 8 64; do
  t=$(( c < 2 ? 1 : 2 ))
  out=$(wrk -t"$t" -c"$c" -d"${seconds}s" --timeout 10s --latency -s "$lua" "$url")
  echo "$out" >"$work/wrk-$c.txt"
  r=$(grep '^RESULT' <<<"$out")
  eval "$(sed 's/^RESULT //; s/\//_per_/' <<<"$r")"
  echo "| $c | ${req_per_s} | ${p50_ms} | ${p99_ms} | ${max_ms} | ${requests} | ${errors} |"
done
