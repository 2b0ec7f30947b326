#!/bin/bash
# Tagged PDF (PDF/UA-1) on the handbook and the crafted book: pdfua_check.py's
# Matterhorn subset (structure, marked content, artifacts, Alt, annotations in the
# tree, XMP pdfuaid, Lang, MarkInfo, DisplayDocTitle, Tabs, embedded fonts), the
# structure text against the source in reading order with no running head,
# qpdf --check and poppler's structure dump without a warning.
# usage: pdfua.sh GHB_BOOK_BINARY BOOK_DIR TESTS_DIR
set -u
bin=$1 book=$2 tests=$3
. "$(dirname "$0")/lib.sh"
# pikepdf is Debian's python3-pikepdf: the system interpreter, whatever python3 is first
py=python3
/usr/bin/python3 -c "import pikepdf" 2>/dev/null && py=/usr/bin/python3
$py -c "import pikepdf" || { echo "pikepdf missing (scripts/deps.sh test)"; exit 1; }

check() { # name pdf book-dir expected-types
    local name=$1 pdf=$2 src=$3 expect=$4
    qpdf --check "$pdf" >"$work/qpdf.txt" 2>&1 && ok || { bad "$name: qpdf --check"; tail -5 "$work/qpdf.txt"; }
    pdfinfo -struct-text "$pdf" >"$work/struct.txt" 2>"$work/warn.txt"
    [ ! -s "$work/warn.txt" ] && ok || { bad "$name: poppler warned on the structure"; head -3 "$work/warn.txt"; }
    pdfinfo "$pdf" | grep -q "^Tagged: *yes" && ok || bad "$name: pdfinfo says not tagged"
    $py "$tests/pdfua_check.py" "$pdf" --book "$src" --expect "$expect" --struct-text "$work/struct.txt" \
        >"$work/ua.txt" 2>&1 &&
        ok || bad "$name: pdfua_check"
    sed "s/^/$name: /" "$work/ua.txt"
}

"$bin" pdf --book "$book" --out "$work/h" --quiet || bad "handbook build"
check handbook "$(ls "$work"/h/*.pdf)" "$book" \
    Document,Sect,H1,H2,H3,P,L,LI,LBody,Link,Note,Reference,TOC,TOCI,Caption
"$bin" pdf --book "$tests/data/pdfbook" --out "$work/p" --quiet || bad "pdfbook build"
check pdfbook "$work/p/pdfbook.pdf" "$tests/data/pdfbook" \
    Document,Sect,H1,H2,P,L,LI,Lbl,LBody,Table,TR,TH,TD,Figure,Code,BlockQuote,Note,Reference,Link,TOC,TOCI,Caption

# the checker itself fails on a file whose structure tree is taken away
$py -c "import pikepdf,sys; p=pikepdf.open(sys.argv[1]); del p.Root['/StructTreeRoot']; p.save(sys.argv[2])" \
        "$work/p/pdfbook.pdf" "$work/untagged.pdf"
$py "$tests/pdfua_check.py" "$work/untagged.pdf" >/dev/null 2>&1 && bad "the checker passes an untagged PDF" || ok
finish
