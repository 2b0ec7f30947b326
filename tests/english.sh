#!/bin/bash
# An English book (tests/books/english) set as Latin text: quotes, apostrophes,
# italic and bold, hyphenation with the book's exceptions, table heads and the
# title page broken between words (english_check.py reads fonts per character
# from mutool), and no diagnostics.
# usage: english.sh GHB_BOOK_BINARY TESTS_DIR
set -u
bin=$1 tests=$2
. "$(dirname "$0")/lib.sh"

book=$tests/books/english
"$bin" all --book "$book" --out "$work" --quiet 2>"$work/err" && ok || { bad "build"; cat "$work/err"; }
[ ! -s "$work/err" ] && ok || { bad "diagnostics on a clean book"; cat "$work/err"; }
pdf=$work/english.pdf
cat "$book"/*.md >"$work/source.md"
python3 "$tests/english_check.py" "$pdf" "$work/source.md" && ok || bad "english_check"
# the Latin faces are embedded; nothing of the body is drawn with the Kai face
pdffonts "$pdf" >"$work/fonts"
for f in NotoSerif-Italic NotoSerif-Bold NotoSans-Bold; do
    grep -q "$f" "$work/fonts" && ok || bad "$f not embedded"
done
# a bad exception list entry is a warning with its position, and the book still builds
cp -r "$book" "$work/bad"
printf '  - "tok3n"\n' >>"$work/bad/book.yaml"
"$bin" pdf --book "$work/bad" --out "$work/bad-out" --quiet 2>"$work/bad-err" && ok || bad "build with a bad exception"
grep -q "book.yaml:[0-9]*:[0-9]*: warning: hyphenation exception 'tok3n'" "$work/bad-err" && ok ||
    { bad "no warning for a bad exception"; cat "$work/bad-err"; }
finish
