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
    for want in kept-span kept-div cell-one cell-three note-cell; do
        grep -q "$want" "$f" && ok || bad "$out: '$want' missing"
    done
done
# both decode entities
for out in pdf epub; do
    grep -q 'cell-one & cell-two <x> café' "$work/$out.txt" && ok || bad "$out: entities not decoded: $(grep cell-one "$work/$out.txt")"
    grep -q 'note-cell & more' "$work/$out.txt" && ok || bad "$out: note's HTML not decoded: $(grep note-cell "$work/$out.txt")"
done
finish
