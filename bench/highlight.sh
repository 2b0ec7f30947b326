#!/bin/bash
# Highlighting's cost (#10 asks <= 10 %): the PDF of a generated code-heavy book
# (10,000 code lines, about 600 pages) with code-theme print against none.
# usage: bench/highlight.sh [RUNS] [BUILD_DIR]   (a Release build; default build-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5} build=${2:-build-bench}
if [ ! -x "$build/ghb-book" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$build" -j"$(nproc)" >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 bench/make-code-book.py "$tmp/on" print
python3 bench/make-code-book.py "$tmp/off" none >/dev/null
"$build/ghb-book" pdf --book "$tmp/on" --out "$tmp/o" --quiet
echo "pages: $(pdfinfo "$tmp/o/code.pdf" 2>/dev/null | awk '/^Pages/ { print $2 }')"
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
t() { # book
    for _ in $(seq "$runs"); do
        s=$(date +%s%N); "$build/ghb-book" pdf --book "$1" --out "$tmp/o" --quiet; e=$(date +%s%N)
        echo $(((e - s) / 1000000))
    done | median
}
off=$(t "$tmp/off") on=$(t "$tmp/on")
echo "pdf, code-theme none:  ${off} ms"
echo "pdf, code-theme print: ${on} ms ($(awk -v a="$on" -v b="$off" 'BEGIN { printf "%+.1f %%", (a - b) * 100 / b }'))"
