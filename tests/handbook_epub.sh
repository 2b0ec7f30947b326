#!/bin/bash
# The handbook's EPUB: epubcheck passes with no error or warning, and builds are
# byte-identical across time zones, locales and runs (SOURCE_DATE_EPOCH or not).
# usage: handbook_epub.sh GHB_BOOK_BINARY BOOK_DIR
set -u
bin=$1 book=$2
. "$(dirname "$0")/lib.sh"
build() { # dir, then environment assignments
    local dir=$1; shift
    env "$@" "$bin" epub --book "$book" --out "$work/$dir" --quiet || bad "build into $dir failed"
    ls "$work/$dir"/*.epub
}

a=$(build a TZ=UTC LC_ALL=C)
b=$(build b TZ=Asia/Shanghai LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8)
c=$(build c TZ=America/Los_Angeles SOURCE_DATE_EPOCH=1700000000)
d=$(build d TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=1700000000)
cmp -s "$a" "$b" && ok || bad "builds differ across time zones and locales"
cmp -s "$c" "$d" && ok || bad "builds with SOURCE_DATE_EPOCH differ across time zones"
cmp -s "$a" "$c" && bad "SOURCE_DATE_EPOCH did not change the timestamp" || ok

version=$("$bin" --version | awk '{ print $2 }')
python3 -c "import sys, zipfile; sys.exit(0 if b'content=\"ghb-book $version\"' in zipfile.ZipFile('$a').read('EPUB/title.xhtml') else 1)" &&
    ok || bad "the EPUB does not name ghb-book $version"

jar=/usr/share/java/epubcheck.jar
if [ -f "$jar" ] && command -v java >/dev/null; then
    java -jar "$jar" "$a" >"$work/check.txt" 2>&1
    rc=$?
    if [ $rc = 0 ] && ! grep -qE "^(FATAL|ERROR|WARNING)" "$work/check.txt"; then ok; else
        bad "epubcheck: exit $rc"; cat "$work/check.txt"; fi
else
    bad "epubcheck is not installed (java -jar $jar)"
fi
finish
