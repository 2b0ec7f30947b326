#!/bin/bash
# `ghb-book new` writes a book that builds with no warnings (both languages), with every
# file the issue names, and refuses a non-empty folder, writing nothing.
# usage: new.sh GHB_BOOK WORK_DIR
set -u
bin=$1 work=$2
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
rm -rf "$work" && mkdir -p "$work"
cd "$work" || exit 1

for lang in zh-CN en; do
    dir=$work/sub/$lang-book
    "$bin" new "$dir" --lang "$lang" --title "T $lang" --author 'A "Quoted" Writer' >"$work/new.txt" 2>&1 &&
        ok || { bad "new --lang $lang failed"; cat "$work/new.txt"; }
    for f in book.yaml SUMMARY.md chapters/01-start.md chapters/02-conventions.md images/figure.png \
        .gitignore .github/workflows/book.yml; do
        [ -s "$dir/$f" ] && ok || bad "$lang: no $f"
    done
    grep -qx 'out/' "$dir/.gitignore" && ok || bad "$lang: .gitignore does not ignore out/"
    grep -qx "lang: $lang" "$dir/book.yaml" && ok || bad "$lang: book.yaml has no lang $lang"
    grep -q 'uses: .*ghb-book@v' "$dir/.github/workflows/book.yml" && ok || bad "$lang: the workflow does not use the action"
    # the conventions: a link, a note, a code block, an image
    conv=$dir/chapters/02-conventions.md
    grep -q '](https://' "$conv" && grep -q '\[^note\]:' "$conv" && grep -q '^```python' "$conv" &&
        grep -q '^!\[.*\](../images/figure.png)' "$conv" && ok || bad "$lang: the conventions chapter misses one"
    file "$dir/images/figure.png" 2>/dev/null | grep -q 'PNG image data' || head -c 8 "$dir/images/figure.png" | grep -q PNG &&
        ok || bad "$lang: figure.png is no PNG"
    "$bin" all --book "$dir" --out "$dir/out" >"$work/build.txt" 2>&1 && ok || bad "$lang: the new book does not build"
    grep -q 'all: 0 error(s), 0 warning(s)' "$work/build.txt" && ! grep -q 'warning:' "$work/build.txt" && ok ||
        { bad "$lang: the new book builds with warnings"; cat "$work/build.txt"; }
    name=$lang-book
    [ -s "$dir/out/$name.pdf" ] && [ -s "$dir/out/$name.epub" ] && ok || bad "$lang: no $name.pdf/.epub"
    # epubcheck once (Java takes tens of seconds on a loaded machine)
    if [ "$lang" = zh-CN ] && [ -f /usr/share/java/epubcheck.jar ]; then
        java -jar /usr/share/java/epubcheck.jar "$dir/out/$name.epub" >"$work/epubcheck.txt" 2>&1 && ok ||
            { bad "$lang: epubcheck"; tail -5 "$work/epubcheck.txt"; }
    fi
    pdftotext "$dir/out/$name.pdf" - 2>/dev/null | grep -q 'T '"$lang" && ok || bad "$lang: the PDF lacks the title"
done

# refuses a non-empty folder: exit 1, nothing written, nothing left beside it
mkdir -p "$work/area/full" && echo keep >"$work/area/full/notes.txt"
before=$(cd "$work/area" && find . | sort)
"$bin" new "$work/area/full" >/dev/null 2>"$work/refuse.txt"
[ $? = 1 ] && ok || bad "new into a non-empty folder does not exit 1"
grep -q 'not empty' "$work/refuse.txt" && ok || bad "no reason given for refusing"
[ "$(cd "$work/area" && find . | sort)" = "$before" ] && ok || bad "new into a non-empty folder wrote something"
# an empty folder is taken; a file is refused
mkdir -p "$work/empty" && "$bin" new "$work/empty" >/dev/null 2>&1 && [ -f "$work/empty/book.yaml" ] && ok ||
    bad "new into an empty folder failed"
: >"$work/afile" && "$bin" new "$work/afile" >/dev/null 2>&1
[ $? = 1 ] && [ ! -s "$work/afile" ] && ok || bad "new over a file does not exit 1"
"$bin" new "$work/x" --lang fr >/dev/null 2>&1
[ $? = 2 ] && [ ! -e "$work/x" ] && ok || bad "--lang fr is not bad usage"
# a write that fails (file-size limit) leaves nothing: an empty folder stays empty, a
# missing one stays missing
mkdir -p "$work/area/empty2"
# (stderr through a pipe: the limit applies to files the shell opens too)
limited() { (ulimit -f 0; exec "$bin" new "$1" 2>&1 >/dev/null) | cat >>"$work/limit.txt"; return "${PIPESTATUS[0]}"; }
limited "$work/area/empty2"
[ $? = 1 ] && [ -z "$(ls -A "$work/area/empty2")" ] && ok || bad "a failed new into an empty folder left files"
limited "$work/area/missing"
[ $? = 1 ] && [ ! -e "$work/area/missing" ] && ok || bad "a failed new into a missing folder left it"
grep -q 'nothing written' "$work/limit.txt" && ok || bad "a failed new gives no reason"
# `new .` in an empty current folder takes that folder's name
mkdir -p "$work/area/here" && (cd "$work/area/here" && "$bin" new . >/dev/null 2>&1) &&
    grep -qx 'output: here' "$work/area/here/book.yaml" && ok || bad "new . failed or misnamed the output"
# no hidden temporary left beside any of them
[ -z "$(find "$work" -name '.ghb-book-new.*')" ] && ok || bad "a temporary folder was left behind"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
