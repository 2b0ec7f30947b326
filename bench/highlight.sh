#!/bin/bash
# Highlighting's cost (#10 asks <= 10 %): the PDF of a generated code-heavy book
# (10,000 code lines; a dense book of about 300 pages and the issue's 600-page one) with
# code-theme print against none, as median CPU time.
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
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
cpu() { # book -> CPU ms of one run (perf's task-clock; steadier than wall time on a shared machine)
    perf stat -x, -e task-clock "$build/ghb-book" pdf --book "$1" --out "$tmp/o" --quiet 2>&1 |
        awk -F, '/task-clock/ { printf "%.1f\n", $1 }'
}
# prose 0: the dense book (about 300 pages); prose 2: the issue's measure, 10,000 code
# lines in a book of about 600 pages
for prose in 0 2; do
    python3 bench/make-code-book.py "$tmp/on" print "$prose" >/dev/null
    python3 bench/make-code-book.py "$tmp/off" none "$prose" >/dev/null
    "$build/ghb-book" pdf --book "$tmp/on" --out "$tmp/o" --quiet
    pages=$(pdfinfo "$tmp/o/code.pdf" 2>/dev/null | awk '/^Pages/ { print $2 }')
    # none and print alternate, so that the load of a shared machine falls on both alike
    for _ in $(seq "$runs"); do
        cpu "$tmp/off" >>"$tmp/t-off"
        cpu "$tmp/on" >>"$tmp/t-on"
    done
    off=$(median <"$tmp/t-off") on=$(median <"$tmp/t-on")
    rm -f "$tmp/t-off" "$tmp/t-on"
    echo "$pages pages, 10,008 code lines: pdf CPU, code-theme none ${off} ms, print ${on} ms" \
        "($(awk -v a="$on" -v b="$off" 'BEGIN { printf "%+.1f %%", (a - b) * 100 / b }'))"
    rm -rf "$tmp/on" "$tmp/off"
done
