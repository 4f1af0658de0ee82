#!/usr/bin/env bash
# CTest entry of the real-browser test: installs playwright-core with `npm ci` into the build
# tree, starts referat-serve on a free loopback port, runs browser_test.mjs, stops the server.
# Usage: browser_test.sh WORK_DIR REFERAT_SERVE DB
# Exit 77 (CTest SKIP_RETURN_CODE) only when /usr/bin/chromium is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$1 serve=$2 db=$3
if [ ! -x /usr/bin/chromium ]; then
  echo "SKIP: /usr/bin/chromium is not installed (scripts/packages.txt installs it)"; exit 77
fi
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/browser_test.mjs" "$work/"
cd "$work"
if [ ! -d node_modules/playwright-core ] || ! cmp -s package-lock.json node_modules/.package-lock.json.copy; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.package-lock.json.copy
fi

log="$work/serve.log"
"$serve" --db "$db" --port 0 --threads 8 >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 100); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "referat-serve did not start:"; cat "$log"; exit 1; }
node browser_test.mjs "$url" "$work/screenshots"
