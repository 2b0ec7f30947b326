#!/bin/bash
# Real-book layouts (tests/books/<layout>/): each fixture is built with `all`,
# `check` and `--strict`; titles, authors, languages, chapter lists, images,
# placeholders and exit codes are asserted on both outputs.
# usage: books.sh GHB_BOOK_BINARY FIXTURES_DIR
set -u
bin=$1 fx=$2
. "$(dirname "$0")/lib.sh"

# build NAME [options...]: runs `all` on fixture NAME into $work/NAME; sets rc, err
build() {
    local name=$1; shift
    rm -rf "$work/$name"
    "$bin" all --quiet --book "$fx/$name" --out "$work/$name" "$@" 2>"$work/$name.err"
    rc=$?
    err=$(cat "$work/$name.err")
}
want_rc() { [ "$rc" = "$1" ] && ok || { bad "$2: exit $rc, want $1"; echo "$err"; }; }
has() { grep -qF -- "$1" <<<"$2" && ok || bad "$3: lacks '$1'"; }
hasnt() { grep -qF -- "$1" <<<"$2" && bad "$3: has '$1'" || ok; }
count() { grep -cF -- "$1" <<<"$2"; }
epub_of() { ls "$work/$1"/*.epub 2>/dev/null | head -1; }
pdf_of() { ls "$work/$1"/*.pdf 2>/dev/null | head -1; }
# all XHTML of the EPUB, tags kept (for alt text and ids)
epub_xhtml() { unzip -p "$(epub_of "$1")" '*.xhtml' 2>/dev/null; }
opf() { unzip -p "$(epub_of "$1")" '*.opf' 2>/dev/null; }
pdf_text() { pdftotext -enc UTF-8 "$(pdf_of "$1")" - 2>/dev/null; }
pdf_info() { pdfinfo "$(pdf_of "$1")" 2>/dev/null; }
outline() { python3 - "$(pdf_of "$1")" <<'PY'
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
with pdf.open_outline() as o:
    def walk(items, d):
        for it in items:
            print("  " * d + it.title)
            walk(it.children, d + 1)
    walk(o.root, 0)
PY
}

# ---------------------------------------------------------------- lenient
build lenient
want_rc 0 "lenient: problems are warnings"
for w in "one.md:3:18: warning: missing image 'img/missing.png'" \
    "one.md:5:18: warning: image 'img/corrupt.png' is not PNG" \
    "one.md:7:1: warning: missing image 'img/also-missing.png'" \
    "one.md:9:1: warning: missing included file 'nowhere.txt'" \
    "one.md:11:28: warning: link '../../../../etc/passwd' leaves the project folder" \
    "one.md:11:81: warning: unresolved link: no anchor '#nowhere'"; do
    [ "$(count "$w" "$err")" = 1 ] && ok || bad "lenient: '$w' reported $(count "$w" "$err") times"
done
[ "$(grep -c ': warning: ' <<<"$err")" = 6 ] && ok || bad "lenient: not 6 warnings: $err"
ep=$(epub_xhtml lenient) pt=$(pdf_text lenient | tr -d '\n')
for p in "[missing image: img/missing.png]" "[missing image: img/corrupt.png]" \
    "[missing image: img/also-missing.png]" "[missing include: nowhere.txt]"; do
    has "$p" "$ep" "lenient EPUB placeholder"
    has "$p" "$pt" "lenient PDF placeholder"
done
all_diags=$(grep -E ': (warning|error): ' "$work/lenient.err" | sort)
"$bin" check --quiet --book "$fx/lenient" 2>"$work/check.err"; crc=$?
[ "$crc" = 0 ] && ok || bad "lenient: check exit $crc"
[ "$(grep -E ': (warning|error): ' "$work/check.err" | sort)" = "$all_diags" ] && ok ||
    bad "lenient: check reports differently from all: $(diff <(echo "$all_diags") <(grep -E ': (warning|error): ' "$work/check.err" | sort))"
build lenient --strict
want_rc 1 "lenient --strict"
[ -z "$(ls "$work/lenient" 2>/dev/null)" ] && ok || bad "lenient --strict wrote output"
[ "$(grep -c ': error: ' <<<"$err")" = 6 ] && ok || bad "lenient --strict: not 6 errors: $err"

finish
