#!/bin/bash
# The handbook's PDF: valid (qpdf), quiet (poppler prints no warning), every font
# embedded with a ToUnicode map, the chapters' text given back by pdftotext, the
# references landing where they should, and byte-identical rebuilds.
# usage: handbook_pdf.sh GHB_BOOK_BINARY BOOK_DIR TESTS_DIR
set -u
bin=$1 book=$2 tests=$3
. "$(dirname "$0")/lib.sh"

TZ=UTC LC_ALL=C "$bin" pdf --book "$book" --out "$work/a" --quiet || bad "build failed"
pdf=$(ls "$work"/a/*.pdf)
TZ=Asia/Shanghai LC_ALL=zh_CN.UTF-8 "$bin" pdf --book "$book" --out "$work/b" --quiet || bad "second build failed"
cmp -s "$pdf" "$work"/b/*.pdf && ok || bad "two builds differ"
SOURCE_DATE_EPOCH=1700000000 "$bin" pdf --book "$book" --out "$work/c" --quiet
pdfinfo "$work"/c/*.pdf | grep -q "CreationDate:.*2023" && ok || bad "SOURCE_DATE_EPOCH is not the creation date"

version=$("$bin" --version | awk '{ print $2 }')
pdfinfo "$pdf" | grep -q "^Creator: *ghb-book $version$" && ok || bad "the PDF does not name ghb-book $version"
qpdf --check "$pdf" >"$work/qpdf.txt" 2>&1 && ok || { bad "qpdf --check"; cat "$work/qpdf.txt"; }
# written compact (src/pdf/output.c): a cross-reference stream keeping /Root and
# /Info, objects in compressed object streams, streams with direct lengths
qpdf --show-object=trailer "$pdf" | grep -q "/Type /XRef" && ok || bad "no cross-reference stream"
qpdf --show-object=trailer "$pdf" | grep -q "/Info [0-9]* 0 R .*/Root [0-9]* 0 R" && ok || bad "trailer lost /Root or /Info"
[ "$(qpdf --show-xref "$pdf" | grep -c 'compressed; stream')" -gt 1000 ] && ok || bad "objects not in object streams"
pdftotext "$pdf" "$work/text.txt" 2>"$work/warn.txt"
[ ! -s "$work/warn.txt" ] && ok || { bad "poppler warned"; head "$work/warn.txt"; }
pdffonts "$pdf" >"$work/fonts.txt" 2>&1
awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' "$work/fonts.txt" && ok || { bad "a font is not embedded"; cat "$work/fonts.txt"; }
awk 'NR > 2 && $(NF-2) != "yes" { bad = 1 } END { exit bad }' "$work/fonts.txt" && ok || { bad "a font has no ToUnicode map"; cat "$work/fonts.txt"; }
[ "$(awk 'NR > 2' "$work/fonts.txt" | wc -l)" -ge 3 ] && ok || bad "fewer fonts than roles"

# each chapter's first paragraph comes back as text (whitespace aside)
tr -d ' \n\t\f' <"$work/text.txt" >"$work/flat.txt"
for md in "$book"/chapters/*.md; do
    para=$(awk 'NR > 1 && /^[^#>+*|`-]/ && length > 20 { print; exit }' "$md" | sed -E 's/\[([^]]*)\]\([^)]*\)/\1/g; s/[*`]//g' | tr -d ' ' | cut -c1-30)
    [ -z "$para" ] && continue
    grep -qF -- "$para" "$work/flat.txt" && ok || bad "text of $md not found: $para"
done
# the copyright page's addresses (from book.yaml) are printed and clickable too
pdfinfo -url "$pdf" | grep -q "https://genai-handbook.github.io/$" && ok || bad "the source URL is not a link"
python3 "$tests/pdf_check.py" "$pdf" >"$work/check.txt" 2>&1 && ok || { bad "pdf_check"; tail "$work/check.txt"; }
finish
