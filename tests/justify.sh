#!/bin/bash
# What comprehensive-rust's lines counted as not justified were (docs/BOOKS.md):
# paragraphs run together flush left in list items and <details>, and other
# preprocessors' directives ({{%segment outline}}) printed raw. Fixtures in
# tests/books/justify/.
# usage: justify.sh GHB_BOOK_BINARY FIXTURES_DIR
set -u
bin=$1 fx=$2
. "$(dirname "$0")/lib.sh"

build_all "$fx/justify"
[ "$rc" = 0 ] && ok || bad "justify: exit $rc: $err"
[ "$(grep -c ': warning: ' <<<"$err")" = 2 ] && ok || bad "justify: want two warnings (two unknown directives): $err"
has "directives.md:3:1: warning: unknown directive '{{%segment outline}}'; left out" "$err" "justify: {{%…}} warned at its place"
has "directives.md:5:16: warning: unknown directive '{{#unknown-thing some args}}'" "$err" "justify: {{#…}} warned at its column"
hasnt 'segment outline' "$ep$pt" "justify: an unknown directive is not printed"
hasnt 'unknown-thing' "$ep$pt" "justify: an inline unknown directive is not printed"
has 'Foxtrot before' "$pt" "justify: the text around a directive stays"
has 'and after.' "$pt" "justify: the text after a directive stays"
has '{{%escaped directive}} is printed' "$pt" "justify: \\{{% is the escape"
has 'keeps {{#each items}} as written' "$pt" "justify: inline code keeps its braces"
has '{{#each items}}{{name}}{{/each}}' "$pt" "justify: a code block keeps its braces"
[ "$("$bin" check --book "$fx/justify" 2>&1 | grep -c 'unknown directive')" = 2 ] && ok ||
    bad "justify: check reports each unknown directive once, as all does"
"$bin" all --quiet --offline --strict --book "$fx/justify" --out "$work/strict" 2>/dev/null
[ "$?" = 1 ] && ok || bad "justify: --strict makes an unknown directive fatal"

# where a word starts on its page (pdftotext -bbox: the first word so spelt)
xmin() { pdftotext -bbox "$pdf" - | grep -m1 ">$1<" | sed 's/.*xMin="\([0-9.]*\)".*/\1/'; }
a=$(xmin Alpha) b=$(xmin Bravo) c=$(xmin Charlie) d=$(xmin Delta,) e=$(xmin Echo)
# an item's second paragraph starts indented from the item's text
awk -v a="$a" -v b="$b" 'BEGIN { exit !(b > a + 5) }' && ok || bad "justify: Bravo at $b, Alpha at $a: the item's second paragraph is not indented"
# a <details> block's first paragraph after a paragraph is indented like any other
awk -v c="$c" -v d="$d" 'BEGIN { exit !(d > c + 5) }' && ok || bad "justify: Delta at $d, Charlie at $c: not indented"
awk -v e="$e" -v d="$d" 'BEGIN { exit !(d > e - 1 && d < e + 1) }' && ok || bad "justify: Delta at $d, Echo at $e: want the same indent"
# halo2: an inline formula with nothing to break at, and a display, each wider
# than the measure, are set smaller until they fit (27 lines stood out past the
# margin, up to 67 pt). The text block's right edge is where the justified
# prose ends (the page holding "Golf"); nothing on that page may pass it.
over=$(pdftotext -bbox "$pdf" - | python3 -c '
import re, sys
pages = sys.stdin.read().split("<page ")
page = next(p for p in pages if ">Golf<" in p)
words = re.findall(r"xMax=\"([\d.]+)\"[^>]*>([^<]*)<", page)
right = max(float(x) for x, w in words if re.fullmatch(r"[A-Za-z,.]+", w))
print(max(float(x) for x, w in words) - right)')
awk -v o="$over" 'BEGIN { exit !(o != "" && o <= 1.5) }' && ok || bad "justify: a wide formula stands $over pt past the text block"
finish
