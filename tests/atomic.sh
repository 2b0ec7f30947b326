#!/bin/bash
# A failed write (here: a file-size limit) leaves the previous output byte-identical
# and no temporary file behind.
# usage: atomic.sh GHB_BOOK_BINARY BOOK_DIR
set -u
bin=$1 book=$2
. "$(dirname "$0")/lib.sh"

"$bin" epub --book "$book" --out "$work/out" --quiet || bad "first build failed"
epub=$(ls "$work/out"/*.epub)
cp "$epub" "$work/before.epub"
# make this build differ, so a partial overwrite could not pass for the old file
( ulimit -f 8; SOURCE_DATE_EPOCH=1700000000 "$bin" epub --book "$book" --out "$work/out" --quiet ) 2>"$work/err"
rc=$?
[ $rc != 0 ] && ok || bad "a write over the file-size limit succeeded"
grep -qE "genai-handbook.epub:1:1: error: cannot write: File too large|\.epub:1:1: error: cannot write" "$work/err" && ok || {
    bad "no clear diagnostic"; cat "$work/err"; }
cmp -s "$epub" "$work/before.epub" && ok || bad "the previous output changed"
[ "$(ls -A "$work/out" | wc -l)" = 1 ] && ok || bad "temporary files left: $(ls -A "$work/out")"
finish
