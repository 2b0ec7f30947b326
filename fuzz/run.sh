#!/bin/bash
# Builds the libFuzzer targets with clang (GHB_FUZZ=ON), seeds their corpora from
# book/ and the tests' books, and fuzzes each target for SECONDS (default 600),
# all three at once. Crashes land in build-fuzz/crash-*; minimise one with
#   build-fuzz/fuzz_markdown -minimize_crash=1 build-fuzz/crash-...
# usage: fuzz/run.sh [SECONDS [TARGET...]]   (targets: markdown layout epub math cff)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
shift || true
[ $# -gt 0 ] && targets=("$@") || targets=(markdown layout epub math cff)
CC=clang cmake -S . -B build-fuzz -DGHB_FUZZ=ON -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" >/dev/null
for t in markdown layout epub; do
  corpus=build-fuzz/corpus-$t
  mkdir -p "$corpus"
  cp book/chapters/*.md "$corpus/" 2>/dev/null || true
  find tests/data -name '*.md' -exec cp {} "$corpus/" \; 2>/dev/null || true
  cp fuzz/seeds/* "$corpus/" 2>/dev/null || true
done
# the math target starts from the textbook formulas, one file each
mkdir -p build-fuzz/corpus-math
awk 'BEGIN{RS=""} !/^%/{n++; f=sprintf("build-fuzz/corpus-math/f%03d.tex", n); printf "%s", $0 > f; close(f)}' \
  tests/data/math/textbook.tex
# the CFF target starts from small subsets of the bundled CJK fonts (fuzz/seeds-cff)
mkdir -p build-fuzz/corpus-cff
cp fuzz/seeds-cff/* build-fuzz/corpus-cff/ 2>/dev/null || true
pids=()
for t in "${targets[@]}"; do
  (cd build-fuzz && ./fuzz_$t -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
     -print_final_stats=1 corpus-$t >fuzz-$t.log 2>&1; echo "fuzz_$t exit $?" >>fuzz-$t.log) &
  pids+=($!)
done
wait "${pids[@]}"
for t in "${targets[@]}"; do
  echo "== fuzz_$t"; grep -E "stat::number_of_executed_units|stat::peak_rss_mb|^fuzz_|ERROR|SUMMARY" build-fuzz/fuzz-$t.log || true
done
ls build-fuzz/crash-* build-fuzz/timeout-* build-fuzz/leak-* 2>/dev/null && exit 1 || echo "no crashes"
