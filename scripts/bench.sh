#!/usr/bin/env bash
# Builds referat in Release (build-bench/) and runs every bench_* program with its default
# arguments, one after the other. Benchmarks use all cores for minutes: do not run this while
# other heavy jobs run. Usage: scripts/bench.sh [BUILD_DIR]   (extra arguments: none)
# Figures are recorded by hand in docs/PERFORMANCE.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/build-bench}
cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DREFERAT_BUILD_BENCH=ON \
  -DREFERAT_BUILD_TESTS=OFF >/dev/null
cmake --build "$dir" -j"$(nproc)"
work=$(mktemp -d "${TMPDIR:-/tmp}/referat-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
for b in "$dir"/bench/bench_*; do
  [ -x "$b" ] || continue
  name=$(basename "$b")
  case "$name" in
    bench_generate) continue ;;                            # a tool, used by bench_index
    bench_index) args=(--work "$work/index") ;;            # 100,000 items, plus the plain baseline
    *) args=() ;;
  esac
  echo "== $name ${args[*]}"
  (cd "$work" && "$b" "${args[@]}")
done
