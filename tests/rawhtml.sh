#!/bin/bash
# One raw-HTML -> text policy for both outputs: dropped elements (script,
# style, ...) and comments print nothing, entities are decoded, tags never show
# as text -- in the body, in an HTML block that stays raw, and in a note.
# usage: rawhtml.sh GHB_BOOK_BINARY
set -u
bin=$1
. "$(dirname "$0")/lib.sh"

b=$work/b
mkdir -p "$b"
printf -- '- [One](one.md)\n' >"$b/SUMMARY.md"
printf 'title: Raw\nlang: en\n' >"$b/book.yaml"
cat >"$b/one.md" <<'MD'
# One

Inline <span>kept-span</span> and <script>LEAK1</script> end <!-- LEAK2 -->.

A <mark>kept-mark</mark> is highlighted.

<script>var LEAK3 = 1;</script>

<style>p { color: LEAK4; }</style>

<!-- LEAK5 -->

<div class="box"><p>kept-div</p><noscript>LEAK6</noscript><template>LEAK7</template></div>

<table><tr><td colspan="2">cell-one &amp; cell-two &lt;x&gt; caf&eacute;</td></tr><!-- a > LEAK8 --><tr><td><script>LEAK9</script>cell-three</td></tr></table>

Text with a note.[^n]

[^n]: The note.

    <table><tr><td>note-cell &amp; more</td><!-- LEAK10 --></tr></table>
MD
"$bin" all --book "$b" --out "$work/out" --quiet 2>/dev/null || bad "build failed"
pdftotext "$work/out/raw.pdf" "$work/pdf.txt" || bad "pdftotext"
# the EPUB's text as a reader shows it: tags out, entities decoded
unzip -p "$work/out/raw.epub" EPUB/ch01.xhtml |
    python3 -c 'import html, re, sys; print(html.unescape(re.sub("<[^>]*>", " ", sys.stdin.read())))' >"$work/epub.txt"
for out in pdf epub; do
    f=$work/$out.txt
    grep -q LEAK "$f" && bad "$out: dropped text shown: $(grep -o 'LEAK[0-9]*' "$f" | tr '\n' ' ')" || ok
    grep -qE '&amp;|&lt;|<td|</|colspan' "$f" && bad "$out: raw markup shown: $(grep -E '&amp;|&lt;|<td|</|colspan' "$f")" || ok
    for want in kept-span kept-mark kept-div cell-one cell-three note-cell; do
        grep -q "$want" "$f" && ok || bad "$out: '$want' missing"
    done
done
# <mark> is drawn on a highlighter's band (a yellow fill behind it), and kept in the EPUB
qpdf --qdf --object-streams=disable "$work/out/raw.pdf" - 2>/dev/null | grep -qa '^1 0.93 0.55 rg' &&
    ok || bad "pdf: no band behind <mark>"
unzip -p "$work/out/raw.epub" EPUB/ch01.xhtml | grep -q '<mark>kept-mark</mark>' && ok || bad "epub: <mark> lost"
# both decode entities
for out in pdf epub; do
    grep -q 'cell-one & cell-two <x> café' "$work/$out.txt" && ok || bad "$out: entities not decoded: $(grep cell-one "$work/$out.txt")"
    grep -q 'note-cell & more' "$work/$out.txt" && ok || bad "$out: note's HTML not decoded: $(grep note-cell "$work/$out.txt")"
done
# Raw HTML found on coincashew (epubcheck RSC-005) and a leak: a <details>
# whose <summary> is a block of its own, on pages long enough that printed
# pages start at the summary (its page marker must not come before it); a
# bare URL inside a raw <a href> (no link in a link); a GFM table cell of raw
# spans (its custom node had no place there: leaked, and its text was lost).
b2=$work/b2
mkdir -p "$b2"
printf -- '- [Two](two.md)\n' >"$b2/SUMMARY.md"
printf 'title: Raw2\nlang: en\n' >"$b2/book.yaml"
{
    echo '# Two'
    for i in $(seq 0 59); do
        printf '\nFiller %d' "$i"
        for _ in $(seq 12); do printf ' lorem ipsum dolor sit amet'; done
        printf '\n'
        [ $((i % 5)) = 0 ] && printf '\n<details>\n\n<summary>Option %d</summary>\n\n%s\n\n</details>\n' \
            "$i" "$(for _ in $(seq 30); do printf 'Hidden text '; done)"
    done
    printf '\nSee <a href="https://example.com/x">https://example.com/x</a> here.\n\n'
    printf '| A | B |\n|---|---|\n| <p><span>S</span><strong>D</strong><span>S</span></p> | x |\n'
    # GitBook's heading mark: an anchor, not a link (it stays raw, its id kept)
    printf '\n## Cleanup keys <a href="#cleanup-keys" id="cleanup-keys"></a>\n\nGo to [it](#cleanup-keys).\n'
} >"$b2/two.md"
"$bin" all --book "$b2" --out "$work/out2" 2>"$work/err2" >/dev/null || bad "b2: build failed"
grep -q ': warning:' "$work/err2" && bad "b2: warnings: $(grep warning "$work/err2")" || ok
x=$(unzip -p "$work/out2/raw2.epub" EPUB/ch01.xhtml)
n_sum=$(grep -o '<details[^>]*><summary>Option' <<<"$x" | wc -l)
[ "$n_sum" = 12 ] && ok || bad "b2: $n_sum of 12 <details> open with their own <summary>"
grep -q '</summary><span class="pagebreak"' <<<"$x" && ok || bad "b2: no page starts at a summary (fixture too short?)"
grep -q '<summary>Details</summary>' <<<"$x" && bad "b2: a second summary was made" || ok
grep -qE '<a [^>]*>[^<]*<a ' <<<"$x" && bad "b2: a link inside a link" || ok
[ "$(grep -o 'href="https://example.com/x"' <<<"$x" | wc -l)" = 1 ] && ok || bad "b2: raw <a> not one link"
grep -q 'id="cleanup-keys"' <<<"$x" && grep -q 'href="#cleanup-keys"' <<<"$x" && ok ||
    bad "b2: the heading's raw anchor or the link to it is lost"
grep -q '<span>S</span><strong>D</strong><span>S</span>' <<<"$x" && ok || bad "b2: EPUB table cell lost its spans"
pdftotext "$work/out2/raw2.pdf" - | grep -q 'SDS x' && ok || bad "b2: PDF table cell lost its spans"
# the outer link stays a link in the PDF
qpdf --qdf --object-streams=disable "$work/out2/raw2.pdf" "$work/q2.pdf" 2>/dev/null
grep -aq '/URI (https://example.com/x)' "$work/q2.pdf" && ok || bad "b2: PDF: raw <a href> is no link"
if [ -f /usr/share/java/epubcheck.jar ]; then
    java -jar /usr/share/java/epubcheck.jar "$work/out2/raw2.epub" >"$work/ec2.txt" 2>&1 && ok ||
        { bad "b2: epubcheck"; grep ERROR "$work/ec2.txt" | head -5; }
fi
finish
