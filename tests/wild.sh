#!/bin/bash
# Public books beyond the six of #8 (docs/BOOKS.md, "More public books"): what
# they broke, reproduced in tests/books/wild/ and asserted on both outputs.
# usage: wild.sh GHB_BOOK_BINARY FIXTURES_DIR
set -u
bin=$1 fx=$2
. "$(dirname "$0")/lib.sh"

build_all "$fx/wild"
[ "$rc" = 0 ] && ok || bad "wild: exit $rc: $err"
[ "$(grep -c ': warning: ' <<<"$err")" = 2 ] && ok || bad "wild: want two warnings (the offline badge, the unclosed \$\$): $err"
has 'math.md:29:1: warning: $$ display math without a closing $$' "$err" "wild: an unclosed display (drawn empty, no crash)"

# comprehensive-rust: YAML front matter ("minutes: 10") is not text; lines stay true
hasnt 'minutes' "$ep$pt" "wild: front matter left out"
has 'html.md:48:2: warning: remote image' "$err" "wild: line numbers count the front matter"
# comprehensive-rust: an HTML table written as tag-only blocks, Markdown in its cells
has '<table><tr><th><p><code>core</code></p></th><th><p><code>alloc</code></p></th></tr>' "$ep" \
    "wild: Markdown between table tags goes into the cells"
has '<td><ul><li>Slices and <code>CStr</code></li>' "$ep" "wild: a list in a cell"
has '<p>After the table.</p>' "$ep" "wild: the table is closed"
has '• Slices and CStr' "$pt" "wild PDF: a cell's list items on lines of their own, with bullets"
has '• Option in a cell' "$pt" "wild PDF: the second item on its own line"
# comprehensive-rust: <details> without <summary>; easy-rl: <figcaption> in <center>
has '<details open="open"><summary>Details</summary><p>Speaker notes' "$ep" "wild: a summary for a details"
hasnt '<figcaption>Table 1' "$ep" "wild: no figcaption outside a figure"
has 'Table 1: a caption outside a figure' "$ep" "wild: the caption's text kept"
# rust-book: an mdBook <Listing> whose caption holds "<T>" in code (28 captions were cut at its ">")
has 'Listing 15-18 A definition of <code>List</code> that uses <code>Rc&lt;T&gt;</code> (src/main.rs)</figcaption>' "$ep" \
    "wild: a listing caption with <T> is whole"
has 'Listing 15-18 A definition of List that uses Rc<T> (src/main.rs)' "$pt" "wild PDF: the same caption"
# typescript-book, comprehensive-rust: a badge (remote image in a link) offline: no link in a link
has '<a href="https://example.com/ci">Build badge</a>' "$ep" "wild: an unfetched image in a link is its alt text"
has 'Build badge' "$pt" "wild PDF: the badge's alt text"
# halo2: mdbook-katex's macros file (book.toml [preprocessor.katex] macros), with arguments
has '<mi mathvariant="script">P</mi>' "$ep" "wild: \\prover from macros.txt"
has 'alttext="⟨a, b⟩"' "$ep" "wild: a macro's #1 #2 take its arguments"
# the TeX a reader copies (PDF text layer, EPUB annotation) is the author's, macros
# unexpanded, as KaTeX's copy-tex and annotation give it (halo2: 2,900 characters)
has '<annotation encoding="application/x-tex">\inner{a}{b}</annotation>' "$ep" "wild: the annotation keeps the macro"
has 'sends $\inner{a}{b}$.' "$pt" "wild PDF: the text layer keeps the macro"
hasnt '\mathcal{P}' "$pt" "wild PDF: no expansion in the text layer"
# KaTeX commands halo2 uses: \pmod \bmod \rarr \lt \hline (no warning above)
has '<mo>→</mo>' "$ep" "wild: \\rarr"
# halo2: "$$$$" closes one display and opens the next
[ "$(grep -o 'display="block"' <<<"$ep" | wc -l)" = 4 ] && ok || bad "wild: want 4 displays (array, two on \$\$\$\$, the unclosed one)"
has '<annotation encoding="application/x-tex">\ell_0(X) = 1</annotation>' "$ep" "wild: the display after \$\$\$\$"
# the text layer gives each formula's TeX between its delimiters (copy-tex):
# the two displays on "$$$$" are two formulas, no delimiter is left over
has '$$Z(\omega X) = 0$$' "$pt" "wild PDF: the display before \$\$\$\$ as its own formula"
has '$$\ell_0(X) = 1$$' "$pt" "wild PDF: the display after \$\$\$\$ as its own formula"
hasnt '$$$$' "$pt" "wild PDF: no raw \$\$\$\$"
if [ -f /usr/share/java/epubcheck.jar ]; then
    java -jar /usr/share/java/epubcheck.jar "$epub" >"$work/ec.txt" 2>&1 && ok ||
        { bad "wild: epubcheck"; grep -E 'ERROR|FATAL' "$work/ec.txt" | head -5; }
fi
# easy-rl: screenshots 8000 px wide took 4.8 GB; a picture goes into the PDF at
# no more than 300 dpi at the measure (wide.png is 4000 px)
w=$(pdfimages -list "$pdf" | awk 'NR>2 && $3=="image" {print $4}' | sort -n | tail -1)
[ -n "$w" ] && [ "$w" -lt 4000 ] && [ "$w" -ge 1000 ] && ok || bad "wild: wide picture drawn $w px wide, want 1000..3999"
# docsify's heading marks (docsify's own docs): ":id=x" is the heading's id, "{docsify-ignore}" prints nothing
hasnt ':id=' "$ep$pt" "wild: docsify :id= mark left out"
hasnt 'docsify-ignore' "$ep$pt" "wild: {docsify-ignore} left out"
has '<a id="themecolor"/>themeColor' "$ep" "wild: :id=themecolor is the heading's id"
# a hostile macros file: 40 levels that each call the next twice, a macro that
# repeats its argument nine times nested ten deep, a macro that calls itself
mkdir -p "$work/bomb/src"
python3 - "$work/bomb" <<'PY'
import sys, os
d = sys.argv[1]
n = ['m' + ''.join(chr(97 + int(c)) for c in str(i)) for i in range(40)]
lines = ['\\%s:{\\%s\\%s}' % (n[i], n[i + 1], n[i + 1]) for i in range(39)] + ['\\%s:{}' % n[39]]
lines += ['\\nine:{#1#1#1#1#1#1#1#1#1}', '\\self:{\\self x}']
open(os.path.join(d, 'macros.txt'), 'w').write('\n'.join(lines) + '\n')
open(os.path.join(d, 'book.toml'), 'w').write('[book]\ntitle="Bomb"\n[preprocessor.katex]\nmacros="macros.txt"\n')
open(os.path.join(d, 'src/SUMMARY.md'), 'w').write('- [A](a.md)\n')
open(os.path.join(d, 'src/a.md'), 'w').write('# A\n\n$\\%s$ and $%sx%s$ and $\\self$\n' % (n[0], '\\nine{' * 10, '}' * 10))
PY
start=$(date +%s)
timeout 60 "$bin" all --quiet --book "$work/bomb" --out "$work/bomb-out" 2>/dev/null
rc=$?
[ "$rc" = 0 ] && [ $(($(date +%s) - start)) -le 10 ] && ok || bad "wild: macro bomb: exit $rc after $(($(date +%s) - start)) s"
# `--book repo/src` of an mdBook: book.toml one folder up names it as src
"$bin" epub --quiet --offline --book "$fx/wild/src" --out "$work/src-out" 2>/dev/null
has '<dc:title id="title">Books in the Wild</dc:title>' "$(unzip -p "$work"/src-out/*.epub EPUB/content.opf)" \
    "wild: --book src/ finds ../book.toml"
# without a network: a host that could not be reached is not tried again, and
# after three such hosts in a row nothing more is fetched (rust-course has 52
# remote images on 8 hosts: a firewall that drops packets cost 10 s each)
ports=$(python3 -c 'import socket
ss=[socket.socket() for _ in range(4)]
[s.bind(("127.0.0.1",0)) for s in ss]
print(" ".join(str(s.getsockname()[1]) for s in ss))')
set -- $ports
mkdir -p "$work/net"
printf -- '- [Net](net.md)\n' >"$work/net/SUMMARY.md"
printf '# Net\n\n![a](http://127.0.0.1:%s/a.png) ![b](http://127.0.0.1:%s/b.png)\n\n![c](http://127.0.0.1:%s/c.png) ![d](http://127.0.0.1:%s/d.png)\n\n![e](http://127.0.0.1:%s/e.png)\n' \
    "$1" "$1" "$2" "$3" "$4" >"$work/net/net.md"
XDG_CACHE_HOME="$work/cache" "$bin" check --book "$work/net" 2>"$work/net.err"
rc=$? nerr=$(cat "$work/net.err")
[ "$rc" = 0 ] && ok || bad "wild net: exit $rc"
has "127.0.0.1:$1 was unreachable earlier in this build" "$nerr" "wild net: the second image of a failed host is not fetched"
has "3 hosts in a row were unreachable; no more fetching in this build" "$nerr" "wild net: give up after three hosts"
[ "$(grep -c 'remote image' <<<"$nerr")" = 5 ] && ok || bad "wild net: one warning per image: $nerr"

# halo2: a $$ display with blank lines inside is one display, closed at the next $$
# as KaTeX and mdbook-katex close it (tests/books/mathgaps); a fence stops the search
rm -rf "$work/out"
build_all "$fx/mathgaps"
[ "$rc" = 0 ] && ok || bad "mathgaps: exit $rc: $err"
[ "$(grep -c ': warning: ' <<<"$err")" = 1 ] && ok || bad "mathgaps: want one warning (the display left open): $err"
has 'gaps.md:47:1: warning: $$ display math without a closing $$' "$err" "mathgaps: the display a fence leaves open"
has '$$a = b + c  d = e + f$$' "$pt" "mathgaps PDF: two lines with a blank line between, one display"
has '$$p = q  r = s$$' "$pt" "mathgaps PDF: the same in a list item"
has '$$u = 1  v = 2$$' "$pt" "mathgaps PDF: before a \$\$\$\$ line"
has '$$w = 3$$' "$pt" "mathgaps PDF: after it"
hasnt '%' "$pt" "mathgaps PDF: no filler left in the text"
has 'not math $$' "$ep" "mathgaps: code keeps its text"
[ "$(grep -o 'display="block"' <<<"$ep" | wc -l)" = 6 ] && ok || bad "mathgaps: want 6 displays"
# a display in a quote whose later lines lack ">" (halo2): mdbook-katex pairs the $$ first
has '$$q = 7$$' "$pt" "mathgaps PDF: the quote's display"
[[ "$(tr -d '\n' <<<"$ep")" =~ \<blockquote\>.*q\ =\ 7.*and\ the\ quote\ goes\ on.*\</blockquote\> ]] && ok ||
    bad "mathgaps: the display and the text after it stay in the quote"
has '<li><p>The next item.</p></li>' "$(tr -d '\n' <<<"$ep")" "mathgaps: the list goes on after the display"
has '<p>Between the displays.</p>' "$ep" "mathgaps: text after a display is a paragraph"
finish
