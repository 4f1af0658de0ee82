#!/usr/bin/env bash
# Installs referat into a temporary prefix, builds examples/embed against it twice (CMake
# find_package(referat) and pkg-config), and runs both on the test database.
# Usage: embed_test.sh BUILD_DIR SOURCE_DIR DB
set -euo pipefail
build=$1 src=$2 db=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmake --install "$build" --prefix "$tmp/prefix" --component searcher >/dev/null
test -f "$tmp/prefix/include/referat/searcher/searcher.h"
ls "$tmp"/prefix/lib*/libreferat_searcher.so* >/dev/null
# The public header must stand alone: no Xapian/ICU/hunspell include in the installed tree.
if grep -rqE '#include <(xapian|unicode/|hunspell)' "$tmp/prefix/include"; then
  echo "FAIL: installed headers include a dependency's header" >&2; exit 1
fi

check() {  # output of the example must show the expected first hit and committee facet
  local out=$1
  echo "$out"
  grep -q '^1\. Orientering om Odense Kommunes arbejde med negativ social kontrol | Beskæftigelses- og Socialudvalget | 2025-05-20$' <<<"$out" \
    || { echo "FAIL: unexpected first hit" >&2; exit 1; }
  grep -q '^committee: Børn- og Ungeudvalget (' <<<"$out" || { echo "FAIL: no committee facet" >&2; exit 1; }
}

# 1. CMake package: find_package(referat) -> referat::searcher
cmake -S "$src/examples/embed" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
      -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$tmp/cmake-build" >/dev/null
check "$("$tmp/cmake-build/referat-embed-example" "$db" negativ social kontrol)"

# 2. pkg-config
libdir=$(dirname "$(ls "$tmp"/prefix/lib*/pkgconfig/referat.pc)")
flags=$(PKG_CONFIG_PATH="$libdir" pkg-config --cflags --libs referat)
c++ -std=c++17 "$src/examples/embed/main.cc" -o "$tmp/pc-example" $flags
check "$(LD_LIBRARY_PATH="$(dirname "$libdir")" "$tmp/pc-example" "$db" negativ social kontrol)"

# A bad query is reported through the library's QueryError.
if "$tmp/cmake-build/referat-embed-example" "$db" 'komite:BUU' 2>/dev/null; then
  echo "FAIL: bad query accepted" >&2; exit 1
fi
echo "embed: ok"
