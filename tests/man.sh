#!/bin/bash
# The man page renders with no groff warning and names every command and option that
# `ghb-book --help` names (so do README.md and the completions); the bash completion
# completes commands and options.
# usage: man.sh GHB_BOOK SOURCE_DIR WORK_DIR
set -u
bin=$1 src=$2 work=$3
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
mkdir -p "$work"
man=$src/dist/ghb-book.1

groff -man -Tutf8 -ww "$man" >"$work/man.txt" 2>"$work/groff.txt" && ok || bad "groff failed"
[ ! -s "$work/groff.txt" ] && ok || { bad "groff warns"; cat "$work/groff.txt"; }
rendered=$(sed 's/.\x08//g' "$work/man.txt")
for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS 'BOOK LAYOUT' 'BOOK.YAML KEYS' ENVIRONMENT 'EXIT STATUS'; do
    grep -q "^$s" <<<"$rendered" && ok || bad "the man page has no $s section"
done
# what --help names: commands (first words of its indented lines) and options
"$bin" --help >"$work/help.txt" || bad "--help failed"
words=$( (grep -oE -- '--[a-z][a-z-]*' "$work/help.txt"
    sed -nE 's/^  ([a-z]+) .*/\1/p' "$work/help.txt") | sort -u)
[ "$(echo "$words" | wc -l)" -ge 12 ] && ok || bad "too few commands and options found in --help: $words"
for w in $words; do
    grep -qF -- "$w" <<<"$rendered" && ok || bad "the man page does not name $w"
    grep -qF -- "$w" "$src/README.md" && ok || bad "README.md does not name $w"
    grep -qF -- "$w" "$src/dist/completions/ghb-book.bash" && ok || bad "the bash completion does not offer $w"
    grep -qF -- "$w" "$src/dist/completions/_ghb-book" && ok || bad "the zsh completion does not offer $w"
done
# every book.yaml key in README's table is in the man page
keys=$(awk '/^\| key \| meaning \|/ {on = 1; next} on && !/^\|/ {exit} on' "$src/README.md" |
    sed -nE 's/^\| `([a-z-]+)`.*/\1/p')
[ "$(echo "$keys" | wc -l)" -ge 10 ] && ok || bad "too few book.yaml keys found in README.md"
for k in $keys; do
    grep -qE "^\.(B|BR) $k( |$)" "$man" && ok || bad "the man page does not describe book.yaml key $k"
done

# bash completion: COMPREPLY for a few command lines
bash -n "$src/dist/completions/ghb-book.bash" && ok || bad "the bash completion has a syntax error"
complete_line() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ghb_book; echo "${COMPREPLY[*]}"' \
        _ "$src/dist/completions/ghb-book.bash" "$@"
}
[ "$(complete_line ghb-book w)" = watch ] && ok || bad "bash: 'ghb-book w' does not complete to watch"
[ "$(complete_line ghb-book new d --la)" = --lang ] && ok || bad "bash: 'new d --la' does not complete to --lang"
[ "$(complete_line ghb-book new d --lang z)" = zh-CN ] && ok || bad "bash: '--lang z' does not complete to zh-CN"
[ "$(complete_line ghb-book watch e)" = epub ] && ok || bad "bash: 'watch e' does not complete to epub"
if command -v zsh >/dev/null; then zsh -n "$src/dist/completions/_ghb-book" && ok || bad "zsh: syntax error"; fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
