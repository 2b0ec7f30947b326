#!/bin/bash
# A crafted book with every kind of block: internal links with page references,
# footnotes, a table longer than a page (its header repeated), wrapped code, and
# PNG images (16-bit, interlaced, with alpha) and a JPEG.
# usage: pdfbook.sh GHB_BOOK_BINARY TESTS_DIR
set -u
bin=$1 tests=$2
. "$(dirname "$0")/lib.sh"

"$bin" pdf --book "$tests/data/pdfbook" --out "$work" --quiet 2>"$work/err" && ok || { bad "build"; cat "$work/err"; }
pdf=$work/pdfbook.pdf
[ ! -s "$work/err" ] && ok || { bad "diagnostics on a clean book"; cat "$work/err"; }
qpdf --check "$pdf" >/dev/null 2>&1 && ok || bad "qpdf --check"
python3 "$tests/pdf_check.py" "$pdf" --expect-internal 3 --min-entries 4 >"$work/check.txt" 2>&1 && ok || {
    bad "pdf_check"; cat "$work/check.txt"; }
# the table's header row on every page the table spans
pages=0
for i in $(seq 1 "$(pdfinfo "$pdf" | awk '/^Pages/ { print $2 }')"); do
    pdftotext -f "$i" -l "$i" "$pdf" - | grep -q "第 [0-9]* 行" || continue
    pages=$((pages + 1))
    pdftotext -f "$i" -l "$i" "$pdf" - | grep -q "说明" && ok || bad "page $i of the table has no header row"
done
[ "$pages" -ge 2 ] && ok || bad "the table should span pages ($pages)"
# four pictures in the text (one with a soft mask) and the cover on the title page
[ "$(pdfimages -list "$pdf" | awk 'NR > 2 && $3 == "image"' | wc -l)" = 5 ] && ok || { bad "images"; pdfimages -list "$pdf"; }
[ "$(pdfimages -list -f 1 -l 1 "$pdf" | awk 'NR > 2' | wc -l)" = 1 ] && ok || bad "no cover on the title page"
"$bin" epub --book "$tests/data/pdfbook" --out "$work" --quiet
python3 -c "import sys, zipfile; sys.exit(0 if b'properties=\"cover-image\"' in zipfile.ZipFile('$work/pdfbook.epub').read('EPUB/content.opf') else 1)" &&
    ok || bad "the EPUB names no cover image"
[ "$(pdfimages -list "$pdf" | awk 'NR > 2 && $3 == "smask"' | wc -l)" = 1 ] && ok || bad "the alpha PNG has no soft mask"
# long code lines wrap inside the text block and are marked
pdftotext "$pdf" - | grep -q "↩" && ok || bad "no continuation mark on wrapped code"
pdftotext "$pdf" - | tr -d ' \n' | grep -qF 'defvery_long_function_name(argument_one,argument_two' && ok || bad "code text"
finish
