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
  build/indexer/referat-index --db build/referat-db corpus/
  build/searcher/referat-search --db build/referat-db --facets "${query[@]}"
else
  # Until search lands: show what the parser makes of the corpus.
  build/indexer/referat-index --parse-only --format jsonl corpus/
fi
