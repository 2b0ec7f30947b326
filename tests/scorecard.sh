#!/bin/bash
# Holds the built handbook against the project's quality goals with the shared
# scorecard (../shared/tools, beside the repository in CI). Skipped (77) where the
# shared tools are not present, as in a user's own clone.
# usage: scorecard.sh GHB_BOOK_BINARY BOOK_DIR SHARED_DIR
set -u
bin=$1 book=$2 shared=$3
tool=$shared/tools/scorecard.py
if [ ! -f "$tool" ] || ! command -v python3 >/dev/null; then
    echo "skipped: no $tool"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" all --book "$book" --out "$work" --quiet || { echo "build failed"; exit 1; }
out=$(python3 "$tool" --pdf "$work"/*.pdf --epub "$work"/*.epub --source "$book")
echo "$out"
# Every goal holds, file_bytes (<= 636000) included: the tagged PDF's objects are
# packed into compressed object streams (src/pdf/output.c; docs/DECISIONS.md,
# "The handbook's PDF size with tagging").
short=$(echo "$out" | grep ' SHORT$')
[ -z "$short" ] || { echo "FAIL: goals short:"; echo "$short"; exit 1; }
bytes=$(echo "$out" | awk '$2 == "file_bytes" {print $3}')
echo "scorecard: every goal holds; the PDF is $bytes bytes"
