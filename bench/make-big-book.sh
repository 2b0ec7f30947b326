#!/bin/bash
# Writes a book N times the size of BOOK_DIR into OUT_DIR: every chapter repeated
# N times under new names, so anchors, links and notes scale with it.
# usage: make-big-book.sh BOOK_DIR OUT_DIR N
set -euo pipefail
src=$1 out=$2 n=$3
rm -rf "$out"
mkdir -p "$out/chapters"
cp "$src/book.yaml" "$out/book.yaml"
echo "# Big book" >"$out/SUMMARY.md"
echo >>"$out/SUMMARY.md"
for i in $(seq 1 "$n"); do
  grep -E '^\s*- \[' "$src/SUMMARY.md" | while IFS= read -r line; do
    file=$(sed -E 's/.*\]\((.*)\).*/\1/' <<<"$line")
    title=$(sed -E 's/.*\[(.*)\].*/\1/' <<<"$line")
    base=$(basename "$file" .md)
    cp "$src/$file" "$out/chapters/$base-$i.md"
    echo "- [$title ($i)](chapters/$base-$i.md)" >>"$out/SUMMARY.md"
  done
done
