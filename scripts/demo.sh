#!/usr/bin/env bash
# The main job on the bundled corpus: install dependencies, build, index corpus/ and search.
# Usage: scripts/demo.sh [QUERY...]   (default query: negativ social kontrol)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build" Release
cd "$root"
query=("$@")
[ ${#query[@]} -eq 0 ] && query=("negativ social kontrol")
if [ -x build/searcher/referat-search ]; then
  # The demo database is rebuilt when an older referat wrote it (another schema version).
  err=$(mktemp)
  trap 'rm -f "$err"' EXIT
  rc=0
  build/indexer/referat-index --db build/referat-db corpus/ 2>"$err" || rc=$?
  cat "$err" >&2
  if [ "$rc" -eq 2 ] && grep -q "schema version" "$err"; then
    echo "demo: re-creating build/referat-db for this version of referat" >&2
    rm -rf build/referat-db
    build/indexer/referat-index --db build/referat-db corpus/
  elif [ "$rc" -gt 1 ]; then
    exit "$rc"
  fi
  build/searcher/referat-search --db build/referat-db --facets "${query[@]}"
else
  # Until search lands: show what the parser makes of the corpus.
  build/indexer/referat-index --parse-only --format jsonl corpus/
fi
