# Shared by the shell tests: a scratch folder removed on exit, and pass/fail counts
# reported as "N passed, N failed" by finish.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" = 0 ]
}
# has TEXT HAYSTACK WHAT / hasnt TEXT HAYSTACK WHAT: a fixed string in a text, or not
has() { grep -qF -- "$1" <<<"$2" && ok || bad "$3: lacks '$1'"; }
hasnt() { grep -qF -- "$1" <<<"$2" && bad "$3: has '$1'" || ok; }
# build_all BOOK: `$bin all --offline` into $work/out; sets rc and err (its exit
# status and stderr), epub and pdf (the files), ep (the EPUB's XHTML) and pt (the
# PDF's text)
build_all() {
    "$bin" all --quiet --offline --book "$1" --out "$work/out" 2>"$work/err"
    rc=$? err=$(cat "$work/err")
    epub=$(ls "$work"/out/*.epub) pdf=$(ls "$work"/out/*.pdf)
    ep=$(unzip -p "$epub" '*.xhtml') pt=$(pdftotext -enc UTF-8 "$pdf" -)
}
