#!/bin/bash
# CLI behaviour: exit codes, diagnostics in path:line:col form, check writes nothing.
# usage: cli.sh GHB_BOOK_BINARY SOURCE_DIR
set -u
bin=$1 src=$2
. "$(dirname "$0")/lib.sh"
expect_exit() { # want, description, command...
    local want=$1 what=$2; shift 2
    "$@" >"$work/out" 2>"$work/err"; local got=$?
    if [ "$got" = "$want" ]; then ok; else bad "$what: exit $got, want $want"; cat "$work/err"; fi
}
expect_err() { # pattern, description
    if grep -qE -- "$1" "$work/err"; then ok; else bad "$2: stderr lacks /$1/"; cat "$work/err"; fi
}

expect_exit 2 "no arguments" "$bin"
expect_err "no command given" "no arguments"
expect_exit 2 "unknown command" "$bin" frobnicate
expect_exit 2 "unknown option" "$bin" epub --bogus
expect_exit 0 "--help" "$bin" --help
grep -q "usage: ghb-book pdf|epub|all|check" "$work/out" && ok || bad "--help text"
expect_exit 0 "--version" "$bin" --version
grep -qE "^ghb-book [0-9]+\.[0-9]+\.[0-9]+" "$work/out" && ok || bad "--version text"

expect_exit 1 "missing book folder" "$bin" check --book "$work/nope"
expect_err "nope:1:1: error: book folder not found" "missing book folder"

# a good book: check passes and writes nothing
mkdir -p "$work/good"
printf -- '- [一](one.md)\n' >"$work/good/SUMMARY.md"
printf '# 一\n\n文字。\n' >"$work/good/one.md"
expect_exit 0 "check on a good book" "$bin" check --book "$work/good" --out "$work/good-out"
[ ! -e "$work/good-out" ] && ok || bad "check wrote an output folder"
expect_exit 0 "quiet epub" "$bin" epub --book "$work/good" --out "$work/good-out" --quiet
[ -s "$work/err" ] && bad "--quiet still printed: $(cat "$work/err")" || ok
[ -s "$work/good-out/book.epub" ] || [ -n "$(ls "$work/good-out"/*.epub 2>/dev/null)" ] && ok || bad "no epub written"
expect_exit 0 "progress" "$bin" epub --book "$work/good" --out "$work/good-out"
expect_err "chapter 1/1 one.md" "progress names each chapter"

# a missing chapter is a warning at its SUMMARY.md line: the rest is built;
# --strict makes it an error and nothing is written
mkdir -p "$work/broken"
printf -- '- [一](one.md)\n- [二](two.md)\n' >"$work/broken/SUMMARY.md"
printf '# 一\n' >"$work/broken/one.md"
expect_exit 0 "missing chapter" "$bin" epub --book "$work/broken" --out "$work/broken-out"
expect_err "SUMMARY.md:2:3: warning: missing chapter file 'two.md'" "missing chapter"
expect_exit 1 "missing chapter, --strict" "$bin" epub --strict --book "$work/broken" --out "$work/broken-strict"
expect_err "SUMMARY.md:2:3: error: missing chapter file 'two.md'" "missing chapter, --strict"
[ ! -e "$work/broken-strict" ] && ok || bad "a failed build wrote output"
expect_exit 1 "check --strict reports errors" "$bin" check --strict --book "$work/broken"
expect_exit 0 "check reports warnings" "$bin" check --book "$work/broken"
# no chapters at all is a hard error
mkdir -p "$work/empty"
expect_exit 1 "no chapters" "$bin" check --book "$work/empty"
expect_err "error: the book has no chapters" "no chapters"
# ... said at the folder when it has no contents file, not at a SUMMARY.md that is not there
expect_err "empty:1:1: error: the book has no chapters" "no chapters, at the folder"
printf '# Summary\n' >"$work/empty/SUMMARY.md"
expect_exit 1 "no chapters in a SUMMARY.md" "$bin" check --book "$work/empty"
expect_err "empty/SUMMARY.md:1:1: error: the book has no chapters" "no chapters, at the SUMMARY.md"

# an output folder that cannot be made
touch "$work/file"
expect_exit 1 "unwritable output" "$bin" epub --book "$work/good" --out "$work/file/sub"
expect_err "file/sub:1:1: error: cannot create the output folder" "unwritable output"

# bad YAML is reported at its position
cp -r "$work/good" "$work/yaml"
printf 'title: [oops\n' >"$work/yaml/book.yaml"
expect_exit 1 "bad yaml" "$bin" check --book "$work/yaml"
expect_err "book.yaml:2:1: error: bad YAML" "bad yaml"

# a character no bundled font has is reported by check, with its position
mkdir -p "$work/glyph"
printf -- '- [一](one.md)\n' >"$work/glyph/SUMMARY.md"
# U+10FFFD (private use, plane 16): no font has it (BabelStone Han covers U+20000)
printf '# 一\n\n文字\xf4\x8f\xbf\xbd。\n' >"$work/glyph/one.md"
expect_exit 0 "missing glyph is a warning" "$bin" check --book "$work/glyph"
expect_err "one.md:3:1: warning: no glyph for U\+10FFFD" "missing glyph reported by check"
expect_exit 0 "pdf with a missing glyph" "$bin" pdf --book "$work/glyph" --out "$work/glyph-out" --quiet
expect_err "warning: no glyph for U\+10FFFD" "missing glyph reported by pdf"

finish
