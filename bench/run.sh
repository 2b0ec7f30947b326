#!/bin/bash
# The benchmark: builds ghb-book (Release), then prints median wall time and peak
# RSS for the handbook and for a generated book ten times its size.
# usage: bench/run.sh [RUNS]   (default 21 runs each)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bench/make-big-book.sh book "$tmp/big" 10
bin=build-bench/ghb-book
echo "ghb-book $($bin --version | cut -d' ' -f2) on $(nproc) cores, $(uname -m)"
echo "handbook: $(cat book/chapters/*.md | wc -c) bytes of Markdown; 10x book: $(cat "$tmp"/big/chapters/*.md | wc -c) bytes"
build-bench/ghb-bench "$runs" "epub handbook" -- $bin epub --book book --out "$tmp/o1" --quiet
build-bench/ghb-bench "$runs" "pdf handbook" -- $bin pdf --book book --out "$tmp/o1" --quiet
build-bench/ghb-bench "$runs" "pdf 10x book" -- $bin pdf --book "$tmp/big" --out "$tmp/o2" --quiet
build-bench/ghb-bench "$runs" "epub 10x book" -- $bin epub --book "$tmp/big" --out "$tmp/o2" --quiet
build-bench/ghb-bench "$runs" "check handbook" -- $bin check --book book --quiet
# 500 formulas: the same chapter with and without them; the difference is their cost
bench/make-math-book.sh "$tmp/m" 500
build-bench/ghb-bench "$runs" "all, 500 formulas" -- $bin all --book "$tmp/m/math" --out "$tmp/o3" --quiet
build-bench/ghb-bench "$runs" "all, the same without them" -- $bin all --book "$tmp/m/plain" --out "$tmp/o3" --quiet
