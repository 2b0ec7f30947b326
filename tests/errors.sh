#!/bin/bash
# The error contract: any error in the book, its print style or a backend means
# exit 1 and nothing written. The previous outputs stay byte-identical and no
# temporary file is left, for pdf, epub, all and check alike.
# usage: errors.sh GHB_BOOK_BINARY
set -u
bin=$1
. "$(dirname "$0")/lib.sh"

mkdir -p "$work/b"
printf -- '- [One](one.md)\n' >"$work/b/SUMMARY.md"
printf '# One\n\nSome text.\n' >"$work/b/one.md"
printf 'title: Errors\nlang: en\n' >"$work/b/book.yaml"
out=$work/out
"$bin" all --book "$work/b" --out "$out" --quiet || bad "the good book did not build"
[ -s "$out/errors.pdf" ] && [ -s "$out/errors.epub" ] && ok || bad "no outputs: $(ls -A "$out")"
cp "$out/errors.pdf" "$work/old.pdf"
cp "$out/errors.epub" "$work/old.epub"
# so that a new build would differ from the old outputs
export SOURCE_DATE_EPOCH=1700000000

# unchanged: the old outputs, byte for byte, and nothing else in the folder
outputs_kept() { # what
    cmp -s "$out/errors.pdf" "$work/old.pdf" && ok || bad "$1: the old PDF changed"
    cmp -s "$out/errors.epub" "$work/old.epub" && ok || bad "$1: the old EPUB changed"
    [ "$(ls -A "$out" | wc -l)" = 2 ] && ok || bad "$1: files left: $(ls -A "$out")"
}
expect_fail() { # pattern, description, command...
    local pat=$1 what=$2
    shift 2
    "$@" --book "$work/b" --out "$out" --quiet 2>"$work/err" >/dev/null
    local rc=$?
    [ $rc = 1 ] && ok || bad "$what: exit $rc, want 1"
    grep -qE -- "$pat" "$work/err" && ok || { bad "$what: stderr lacks /$pat/"; cat "$work/err"; }
    outputs_kept "$what"
    cp "$work/old.pdf" "$out/errors.pdf" # each case starts from the old outputs
    cp "$work/old.epub" "$out/errors.epub"
}

# a bad value in print.yaml, for every command
printf 'body-size: 11pt\nmargin-top: wide\n' >"$work/b/print.yaml"
style_err="print.yaml:2:13: error: 'margin-top'"
for cmd in pdf epub all check; do
    expect_fail "$style_err" "bad print.yaml value, $cmd" "$bin" $cmd
done
expect_fail "$style_err" "bad print.yaml value, pdf --press" "$bin" pdf --press

# an unknown key in print.yaml: a misspelt key would silently print the book wrong
printf 'margin-iner: 20mm\n' >"$work/b/print.yaml"
for cmd in pdf epub all; do
    expect_fail "print.yaml:1:1: error: unknown key 'margin-iner'" "unknown print.yaml key, $cmd" "$bin" $cmd
done
# values that used to be read leniently
for bad_style in 'lines: 20x' 'code-line-numbers: maybe' '- a list' 'press: {crop-marks: maybe}'; do
    printf '%s\n' "$bad_style" >"$work/b/print.yaml"
    expect_fail "print.yaml:1:[0-9]+: error: " "print.yaml '$bad_style'" "$bin" pdf
done
# print.yaml is not valid YAML
printf 'body-size: [11pt\n' >"$work/b/print.yaml"
expect_fail "print.yaml:[0-9]+:[0-9]+: error: bad YAML" "print.yaml syntax, all" "$bin" all
rm "$work/b/print.yaml"

# an error in the book itself (book.yaml syntax) stops both outputs
cp "$work/b/book.yaml" "$work/book.yaml"
printf 'title: [oops\n' >"$work/b/book.yaml"
expect_fail "book.yaml:[0-9]+:[0-9]+: error: bad YAML" "book.yaml syntax, all" "$bin" all
cp "$work/book.yaml" "$work/b/book.yaml"

# a warning under --strict is an error: neither output is written by all
printf -- '- [One](one.md)\n- [Two](two.md)\n' >"$work/b/SUMMARY.md"
expect_fail "SUMMARY.md:2:3: error: missing chapter file 'two.md'" "--strict warning, all" "$bin" all --strict
# without --strict the same book builds, and replaces the outputs
"$bin" all --book "$work/b" --out "$out" --quiet 2>/dev/null && ok || bad "a warning failed the build"
cmp -s "$out/errors.pdf" "$work/old.pdf" && bad "the PDF was not rebuilt" || ok
finish
