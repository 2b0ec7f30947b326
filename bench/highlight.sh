#!/bin/bash
# Highlighting's cost (#10 asks <= 10 %): the PDF of a generated code-heavy book
# (10,000 code lines; a dense book of about 300 pages and the issue's 600-page one) with
# code-theme print against none, as median wall time and CPU time (user + system).
# usage: bench/highlight.sh [RUNS] [BUILD_DIR] [PROSE...]   (a Release build; default
# build-bench; PROSE: paragraphs per listing, 0 the dense book, 2 the issue's; default both)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5} build=${2:-build-bench}
shift $(($# < 2 ? $# : 2))
books=${*:-0 2}
if [ ! -x "$build/ghb-book" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$build" -j"$(nproc)" >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f %%", (a - b) * 100 / b }'; }
run() { # book -> "wall cpu" in ms of one run
    local TIMEFORMAT='%3R %3U %3S'
    { time "$build/ghb-book" pdf --book "$1" --out "$tmp/o" --quiet 2>/dev/null; } 2>&1 |
        awk '{ printf "%.1f %.1f\n", $1 * 1000, ($2 + $3) * 1000 }'
}
for prose in $books; do
    python3 bench/make-code-book.py "$tmp/on" print "$prose" >/dev/null
    python3 bench/make-code-book.py "$tmp/off" none "$prose" >/dev/null
    "$build/ghb-book" pdf --book "$tmp/on" --out "$tmp/o" --quiet
    pages=$(pdfinfo "$tmp/o/code.pdf" 2>/dev/null | awk '/^Pages/ { print $2 }')
    # none and print alternate, so that the load of a shared machine falls on both alike
    for _ in $(seq "$runs"); do
        run "$tmp/off" >>"$tmp/t-off"
        run "$tmp/on" >>"$tmp/t-on"
    done
    woff=$(cut -d' ' -f1 "$tmp/t-off" | median) won=$(cut -d' ' -f1 "$tmp/t-on" | median)
    coff=$(cut -d' ' -f2 "$tmp/t-off" | median) con=$(cut -d' ' -f2 "$tmp/t-on" | median)
    rm -f "$tmp/t-off" "$tmp/t-on"
    echo "highlighting, $pages pages, 10,008 code lines ($runs runs, code-theme none / print):" \
        "wall ${woff} / ${won} ms ($(pct "$won" "$woff")), CPU ${coff} / ${con} ms ($(pct "$con" "$coff"))"
    rm -rf "$tmp/on" "$tmp/off"
done
