#!/usr/bin/env bash
# Configures and builds referat. Usage: scripts/build.sh [BUILD_DIR] [BUILD_TYPE]
# Defaults: build/ and Release. Uses Ninja and all cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/build}
type=${2:-Release}
cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" >/dev/null
cmake --build "$dir" -j"$(nproc)"
