#!/bin/bash
# Two typesetting threads (#14) give what one gives: every fixture book, the
# handbook and a book whose second half needs an installed font (the second
# thread's work is then done again by the first) are built with
# GHB_TYPESET_THREADS=1 and =2 (=2 cuts any book of two chapters or more); the
# PDF, the EPUB and the diagnostics must be the same, byte for byte.
# usage: threads.sh GHB_BOOK_BINARY TESTS_DIR BOOK_DIR
set -u
bin=$1 tests=$2 handbook=$3
. "$(dirname "$0")/lib.sh"
export SOURCE_DATE_EPOCH=1700000000

# the second chapter has Devanagari, which only an installed font draws
mkdir -p "$work/sys/chapters"
printf 'title: Installed fonts\nlang: en\n' >"$work/sys/book.yaml"
printf '# Installed\n\n- [A](chapters/a.md)\n- [B](chapters/b.md)\n' >"$work/sys/SUMMARY.md"
printf '# A\n\nPlain text, a note[^1].\n\n[^1]: The note.\n' >"$work/sys/chapters/a.md"
printf '# B\n\nनमस्ते दुनिया and office, a note[^1].\n\n[^1]: Another.\n' >"$work/sys/chapters/b.md"

same_both_ways() {
    local book=$1 name
    name=$(basename "$book")
    for n in 1 2; do
        rm -rf "$work/o$n"
        GHB_TYPESET_THREADS=$n "$bin" all --offline --quiet --book "$book" --out "$work/o$n" \
            2>"$work/e$n"
        echo "exit $?" >>"$work/e$n"
    done
    cmp -s "$work/e1" "$work/e2" && ok || bad "$name: diagnostics differ: $(diff "$work/e1" "$work/e2" | head -5)"
    local files=0
    for f in "$work"/o1/*; do
        [ -e "$f" ] || continue
        files=$((files + 1))
        cmp -s "$f" "$work/o2/$(basename "$f")" && ok || bad "$name: $(basename "$f") differs"
    done
    [ "$(ls "$work/o1" 2>/dev/null | wc -l)" = "$(ls "$work/o2" 2>/dev/null | wc -l)" ] && ok ||
        bad "$name: not the same files"
}

same_both_ways "$work/sys"
same_both_ways "$handbook"
for book in "$tests"/books/*/; do
    same_both_ways "${book%/}"
done
finish
