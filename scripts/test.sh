#!/usr/bin/env bash
# Installs dependencies, builds (RelWithDebInfo) and runs the whole test suite with CTest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build-test" RelWithDebInfo
cd "$root/build-test"
ctest --output-on-failure -j"$(nproc)" --timeout 600
