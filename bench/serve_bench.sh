#!/usr/bin/env bash
# HTTP benchmark of referat-serve: wrk from loopback against /api/search with exact facets on a
# generated index, at 1, 8 and 64 connections. Prints wrk's latency distribution and a summary
# table (req/s, p50, p99, errors) for docs/PERFORMANCE.md "## HTTP".
#
# Usage: bench/serve_bench.sh [BUILD_DIR] [ITEMS] [SECONDS] [THREADS]
#   BUILD_DIR  a build with bench_generate, referat-index, referat-serve (default: build)
#   ITEMS      generated agenda items (default 100000); corpus + index are cached in
#              BUILD_DIR/bench/serve-<ITEMS>/ and reused
#   SECONDS    duration of each wrk run (default 20)
#   THREADS    referat-serve worker threads (default 64: one per connection at the largest load)
# Loopback only; every run is bounded by SECONDS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
items=${2:-100000}
seconds=${3:-20}
threads=${4:-64}
work=$build/bench/serve-$items
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
mkdir -p "$work"

if [ ! -f "$work/db/iamglass" ]; then
  echo "== generating $items items and indexing them (once)"
  rm -rf "$work/corpus" "$work/db"
  "$build/bench/bench_generate" "$work/corpus" --items "$items"
  /usr/bin/time -f "indexing: %e s wall, %U s user" \
    "$build/indexer/referat-index" --db "$work/db" --quiet "$work/corpus"
fi

log=$work/serve.log
"$build/searcher/referat-serve" --db "$work/db" --port 0 --threads "$threads" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 100); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$log" >&2; exit 1; }
echo "== $url  db=$work/db  $(curl -s "$url/healthz")"

# A mix of one-word, multi-word, phrase, filtered and sorted searches, all with exact facets.
lua=$work/queries.lua
cat >"$lua" <<'LUA'
local paths = {
  "/api/search?q=budget",
  "/api/search?q=negativ+social+kontrol",
  "/api/search?q=%22social+kontrol%22",
  "/api/search?q=beskaeftigelse+ledighed&sort=nyeste",
  "/api/search?q=skole&udvalg=B%C3%B8rn-+og+Ungeudvalget",
  "/api/search?q=handleplan&fra=2020-01-01&til=2023-12-31",
  "/api/search?q=indstilling+godkendt&side=3",
  "/api/search?q=%C3%B8konomi+OR+budget",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
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
for p in $(grep -o '"/api/[^"]*"' "$lua" | tr -d '"'); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$url$p")
  [ "$code" = 200 ] || { echo "FAIL: $p -> $code" >&2; exit 1; }
done

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
