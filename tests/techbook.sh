#!/bin/bash
# The technical-book fixture (tests/books/tech) in both outputs: highlighted
# code (colour and font per character from `mutool draw -F stext`, classes in
# the EPUB), callouts, HTML in Markdown; epubcheck without findings.
# usage: techbook.sh GHB_BOOK_BINARY TESTS_DIR
set -u
bin=$1 tests=$2
. "$(dirname "$0")/lib.sh"
book=$tests/books/tech

"$bin" all --book "$book" --out "$work" --quiet 2>"$work/err" && ok || { bad "build"; cat "$work/err"; }
# Mermaid: one warning for the book, with its place
[ "$(grep -c "Mermaid diagrams cannot be drawn" "$work/err")" = 1 ] && ok || bad "Mermaid: one warning per book, got $(grep -c Mermaid "$work/err")"
grep -q "more.md:17:1: warning: Mermaid" "$work/err" && ok || bad "Mermaid warning position"
pdf=$work/tech.pdf epub=$work/tech.epub
mutool draw -F stext -o "$work/p.stext" "$pdf" 2>/dev/null
# "char font color" per visible character, one line each (tab-separated)
python3 - "$work/p.stext" >"$work/chars" <<'PY'
import html, re, sys
s = open(sys.argv[1]).read()
for f in re.finditer(r'<font name="([^"]*)" size="[^"]*">(.*?)</font>', s, re.S):
    for c in re.finditer(r'color="(#[0-9a-f]{6})" c="([^"]*)"', f.group(2)):
        ch = html.unescape(c.group(2))
        if ch.strip():
            print(ch, f.group(1), c.group(1), sep='\t')
PY
pdftotext "$pdf" "$work/p.txt"
# the colour of the first character of a word (spaces left out) in mono, or "none"
color_of() { # word
    python3 - "$work/chars" "$1" <<'PY'
import sys
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1])]
rows = [r for r in rows if 'Mono' in r[1]]
text = ''.join(r[0] for r in rows)
w = sys.argv[2]
i = text.find(w)
print(rows[i][2] if i >= 0 else 'none', rows[i][1] if i >= 0 else 'none')
PY
}
# colours match within 2 steps a channel (the PDF writes them rounded)
near() { python3 -c "import sys; a, b = sys.argv[1], sys.argv[2]; sys.exit(0 if a[0] == '#' and all(abs(int(a[i:i+2], 16) - int(b[i:i+2], 16)) <= 2 for i in (1, 3, 5)) else 1)" "$1" "$2"; }
expect_color() { # word colour why
    got=$(color_of "$1" | cut -d' ' -f1)
    near "$got" "$2" && ok || bad "$3: '$1' is $got, want $2"
}
expect_font() { # word font-pattern why
    got=$(color_of "$1" | cut -d' ' -f2)
    [[ "$got" == $2 ]] && ok || bad "$3: '$1' is in $got, want $2"
}
expect_font "fn" "*Mono-Bold*" "keyword in the mono bold face"
expect_font "main()" "*Mono-Regular*" "plain code in the mono regular face"
expect_font "//the" "*Mono-Regular*" "comment (slanted regular: no mono italic face is bundled)"
expect_color "fn" "#193b8e" "rust keyword (print theme: dark blue)"
expect_color "u32" "#155f5e" "rust type"
expect_color "42;" "#8a3900" "rust number"
expect_color "//the" "#5e5e5e" "rust comment (grey)"
expect_color '"value' "#2b6318" "rust string"
expect_color "main()" "#000000" "plain identifier"
expect_color '$cargo' "#8c8c8c" "console prompt (grey)"
expect_color "cargo" "#000000" "console command"
expect_color "-removed" "#8b1919" "diff deletion"
expect_color "+added" "#1e5e1e" "diff insertion"
expect_color "plainwordsonly" "#000000" "unknown language set plain"
expect_color "constx" "#193b8e" "js alias"
# line numbers in the gutter, grey, and the text still reads as code
expect_color "1def" "#8c8c8c" "line number"
grep -q "def greet(name):" "$work/p.txt" && ok || bad "python text in the PDF"
grep -q "fn main() {" "$work/p.txt" && ok || bad "rust text in the PDF"
grep -q "Mono" "$work/chars" && ok || bad "code not in the mono font"

# EPUB: classes per token
unzip -p "$epub" EPUB/ch01.xhtml >"$work/ch.xhtml" 2>/dev/null || unzip -p "$epub" '*ch01.xhtml' >"$work/ch.xhtml"
has() { grep -qF -- "$1" "$work/ch.xhtml" && ok || bad "EPUB: no $1 ($2)"; }
has '<span class="hl-keyword">fn</span>' "rust keyword"
has '<span class="hl-type">u32</span>' "rust type"
has '<span class="hl-comment">// the answer</span>' "rust comment"
has '<span class="hl-prompt">$ </span>' "console prompt"
has '<span class="hl-lineno" aria-hidden="true">1 </span>' "line numbers"
has '<span class="hl-deleted">-removed line</span>' "diff"
has 'plain words only' "unknown language"
grep -qF '<span class="hl-' <(grep -o '<code class="language-nosuchlang">[^<]*<' "$work/ch.xhtml") && bad "unknown language highlighted" || ok
unzip -p "$epub" '*.css' | grep -q '\.hl-keyword' && ok || bad "EPUB CSS has no highlight classes"

# callouts: the label on its own line, the marker gone, the body after it; EPUB asides
grep -qF '[!NOTE]' "$work/p.txt" && bad "PDF still prints [!NOTE]" || ok
for pair in "Note:Useful information" "Warning:Urgent info" "Caution:Negative potential" "Tip:Admonish body" "Read This:Custom-titled"; do
    grep -A1 -x "${pair%%:*}" "$work/p.txt" | grep -q "${pair#*:}" && ok || bad "callout label '${pair%%:*}' not on its own line before its text"
done
grep -q "An ordinary quote stays a quote" "$work/p.txt" && ok || bad "ordinary quote"
unzip -p "$epub" EPUB/ch02.xhtml >"$work/ch2.xhtml" 2>/dev/null || unzip -p "$epub" '*ch02.xhtml' >"$work/ch2.xhtml"
for k in note warning caution tip important; do
    grep -qF "<aside class=\"callout callout-$k\" role=\"note\"><p class=\"callout-label\">" "$work/ch2.xhtml" && ok || bad "EPUB: no $k callout aside"
done
grep -qF '[!NOTE]' "$work/ch2.xhtml" && bad "EPUB still has [!NOTE]" || ok
grep -qF '<blockquote><p>An ordinary quote' "$work/ch2.xhtml" && ok || bad "EPUB: ordinary quote"

# HTML in Markdown: sub/sup smaller and shifted, line breaks, dropped script/style/iframe/form text
python3 - "$work/p.stext" >"$work/sizes" <<'PY'
import html, re, sys
s = open(sys.argv[1]).read()
out = []
for f in re.finditer(r'<font name="([^"]*)" size="([^"]*)">(.*?)</font>', s, re.S):
    for c in re.finditer(r'y="([^"]*)" color="[^"]*" c="([^"]*)"', f.group(3)):
        out.append((html.unescape(c.group(2)), float(f.group(2)), float(c.group(1))))
text = ''.join(c for c, _, _ in out)
def at(word, k):
    i = text.find(word)
    return out[i + k] if i >= 0 else None
h, two = at('H2O', 0), at('H2O', 1)
m, sq = at('mc2', 1), at('mc2', 2)
print('sub', 'ok' if h and two and two[1] < h[1] * 0.8 and two[2] > h[2] else 'bad')
print('sup', 'ok' if m and sq and sq[1] < m[1] * 0.8 and sq[2] < m[2] else 'bad')
PY
grep -q "sub ok" "$work/sizes" && ok || bad "PDF: <sub> not smaller and lowered"
grep -q "sup ok" "$work/sizes" && ok || bad "PDF: <sup> not smaller and raised"
grep -qx "second line" "$work/p.txt" && ok || bad "PDF: <br> does not break the line"
for t in inline-script-text block-script-text style-text iframe-text form-button-text; do
    grep -q "$t" "$work/p.txt" && bad "PDF shows dropped $t" || ok
done
grep -q "Hidden paragraph, printed expanded." "$work/p.txt" && ok || bad "PDF: details not printed expanded"
grep -q "Definition one." "$work/p.txt" && ok || bad "PDF: dd"
unzip -p "$epub" EPUB/ch03.xhtml >"$work/ch3.xhtml" 2>/dev/null || unzip -p "$epub" '*ch03.xhtml' >"$work/ch3.xhtml"
has3() { grep -qF -- "$1" "$work/ch3.xhtml" && ok || bad "EPUB: no $1"; }
has3 'H<sub>2</sub>O'
has3 'mc<sup>2</sup>'
has3 '<kbd>Ctrl</kbd>'
has3 '<mark>marked</mark>'
has3 '<s>struck</s>'
has3 '<del>deleted</del>'
has3 '<small>small print</small>'
has3 '<abbr title="HyperText Markup Language">HTML</abbr>'
has3 'First line<br/>second line'
has3 '<details open="open"><summary>Summary line</summary><p>Hidden paragraph'
has3 '<div class="center"><p>Centred paragraph.</p></div>'
has3 '<div class="center"><p>Old centre tag.</p></div>'
has3 '<dl><dt>Term one</dt><dd><p>Definition one.</p></dd></dl>'
has3 '<a id="anchor-here"'
has3 '<ruby>汉<rt>hàn</rt></ruby>'
for t in inline-script-text block-script-text style-text iframe-text form-button-text; do
    grep -q "$t" "$work/ch3.xhtml" && bad "EPUB shows dropped $t" || ok
done

# Markdown people expect: emoji, smart punctuation (not in code, not in Chinese), definition
# lists, {#id} heading ids, Mermaid's visible line
unzip -p "$epub" EPUB/ch04.xhtml >"$work/ch4.xhtml" 2>/dev/null || unzip -p "$epub" '*ch04.xhtml' >"$work/ch4.xhtml"
has4() { grep -qF -- "$1" "$work/ch4.xhtml" && ok || bad "EPUB: no $1"; }
has4 'Launch 🚀 and 🎉, but :notanemoji: stays.'
has4 'It’s “quoted” – a range 1–2 — and a pause…'
has4 '<code>a -- "b"</code>'
has4 '中文里的--不变，"引号"也不变。'
has4 '<dl><dt>Term</dt><dd><p>The definition of the term.</p></dd><dt>Second term</dt><dd><p>Its definition.</p></dd></dl>'
has4 '<a id="more-md"'
has4 '<a href="#more-md">Back to the top</a>'
has4 '<em>(Mermaid diagram, not rendered)</em></p><pre><code class="language-mermaid">'
# (spacing around curly quotes is the Latin typesetting's business: compare without spaces)
tr -d ' ' <"$work/p.txt" | grep -q "It’s“quoted”–arange1–2—andapause…" && ok || bad "PDF: smart punctuation"
grep -q 'a -- "b"' "$work/p.txt" && ok || bad "PDF: code changed by smart punctuation"
grep -q "(Mermaid diagram, not rendered)" "$work/p.txt" && ok || bad "PDF: Mermaid line"
grep -q "graph TD; A-->B;" "$work/p.txt" && ok || bad "PDF: Mermaid code"
grep -A1 -x "Term" "$work/p.txt" | grep -q "The definition of the term." && ok || bad "PDF: definition list"
grep -q "More Markdown {#" "$work/p.txt" && bad "PDF: heading id printed" || ok

# figures: an image alone in a paragraph, numbered per chapter, caption from title else alt
grep -qx "Figure 5.1 A tiny picture" "$work/p.txt" && ok || bad "PDF: figure caption from alt"
grep -qx "Figure 5.2 The title wins" "$work/p.txt" && ok || bad "PDF: figure caption from title"
grep -q "Figure 5.4" "$work/p.txt" && bad "PDF: an inline image got a figure number" || ok
unzip -p "$epub" EPUB/ch05.xhtml >"$work/ch5.xhtml" 2>/dev/null || unzip -p "$epub" '*ch05.xhtml' >"$work/ch5.xhtml"
grep -qF 'alt="A tiny picture"/></p><figcaption><a id="figure-5.1"/>Figure 5.1 A tiny picture</figcaption></figure>' "$work/ch5.xhtml" && ok || bad "EPUB: figure"
grep -qF '<figcaption><a id="figure-5.2"/>Figure 5.2 The title wins</figcaption>' "$work/ch5.xhtml" && ok || bad "EPUB: caption from title"

# tables, listings and cross-references (pandoc-crossref labels, [@fig:x] citations)
grep -qF '<figure class="table"><figcaption><a id="tblsizes"/>Table 5.1 Sizes of things</figcaption><table>' "$work/ch5.xhtml" && ok || bad "EPUB: Table: caption after a table, labelled"
grep -qF '>Table 5.2 Caption before the table</figcaption><table>' "$work/ch5.xhtml" && ok || bad "EPUB: 表： caption before a table"
grep -qF '>Table 5.3 Short-form caption</figcaption><table>' "$work/ch5.xhtml" && ok || bad "EPUB: ': caption' read by cmark-gfm as a row"
grep -qF '<caption><a id="table-5.4"/>Table 5.4 An HTML table</caption>' "$work/ch5.xhtml" && ok || bad "EPUB: raw-HTML <caption> numbered"
grep -qF '<th colspan="2">Wide head</th><th>H3</th>' "$work/ch5.xhtml" && ok || bad "EPUB: colspan kept"
grep -qF '<td rowspan="2">Tall</td>' "$work/ch5.xhtml" && ok || bad "EPUB: rowspan kept"
grep -qF '<figure class="listing"><figcaption><a id="lsthello"/>Listing 5.1 Hello in Rust</figcaption><pre><code class="language-rust">' "$work/ch5.xhtml" && ok || bad "EPUB: listing from fence attributes"
grep -qF '>Listing 1-1 A wrapped <code>listing</code> (src/lib.rs)</figcaption><pre><code class="language-rust">' "$work/ch5.xhtml" && ok || bad "EPUB: mdBook <Listing> wrapper"
grep -qF 'Listing' <(grep -o '<p>[^<]*</p>' "$work/ch5.xhtml") && bad "EPUB: <Listing> tag text left" || ok
grep -qF 'As <a href="#figblue">Figure 5.3</a> shows, and <a href="#figblue">5.3</a> alone; see <a href="#tblsizes">Table 5.1</a> and <a href="#lsthello">Listing 5.1</a>, also ¿fig:nosuch?.' "$work/ch5.xhtml" && ok || bad "EPUB: citations as links"
grep -q "figures.md:14:1: warning: no figure, table, listing or section has the label 'fig:nosuch'" "$work/err" && ok || bad "unknown label: no warning"
grep -q '<code class="language-rust">{' "$work/ch5.xhtml" && bad "EPUB: listing attributes left in the language" || ok
# lists of figures and tables (book.yaml lists:), in the nav document and its landmarks
unzip -p "$epub" EPUB/nav.xhtml >"$work/nav.xhtml"
grep -qF '<nav epub:type="loi" id="loi" aria-label="List of Figures"><h1>List of Figures</h1><ol><li><a href="ch05.xhtml#figure-5.1">Figure 5.1 A tiny picture</a></li>' "$work/nav.xhtml" && ok || bad "EPUB: list of figures"
grep -qF '<a href="ch05.xhtml#tblsizes">Table 5.1 Sizes of things</a>' "$work/nav.xhtml" && ok || bad "EPUB: list of tables"
grep -qF '<a epub:type="lot" href="nav.xhtml#lot">' "$work/nav.xhtml" && ok || bad "EPUB: landmark for the list of tables"

# PDF: captions (tables and listings above, figures below), citations as links to the
# right page (an mdBook <Listing number="1-1"> keeps its number, as mdBook does), the unknown label's mark, spans in raw-HTML tables, ruby above its base
for c in "Table 5.1 Sizes of things" "Table 5.2 Caption before the table" "Table 5.3 Short-form caption" \
         "Table 5.4 An HTML table" "Listing 5.1 Hello in Rust" "Listing 1-1 A wrapped listing (src/lib.rs)"; do
    grep -qxF "$c" "$work/p.txt" && ok || bad "PDF: no caption line '$c'"
done
[ "$(grep -nxF 'Table 5.1 Sizes of things' "$work/p.txt" | cut -d: -f1)" -lt "$(grep -n '^one' "$work/p.txt" | head -1 | cut -d: -f1)" ] && ok || bad "PDF: table caption not above its table"
grep -qF "¿fig:nosuch?" "$work/p.txt" && ok || bad "PDF: unknown label's mark"
grep -qF "Table: Sizes" "$work/p.txt" && bad "PDF: caption paragraph left as text" || ok
qpdf --json=2 "$pdf" >"$work/q.json"
python3 - "$work/q.json" "$pdf" >"$work/links" <<'PY'
import json, re, subprocess, sys
js = json.load(open(sys.argv[1]))
objs = {k.replace('obj:', ''): v.get('value', v) for k, v in js['qpdf'][1].items()}
pages = [p['object'] for p in js['pages']]
text = [subprocess.run(['pdftotext', '-f', str(i + 1), '-l', str(i + 1), sys.argv[2], '-'],
                       capture_output=True, text=True).stdout for i in range(len(pages))]
labels = {}
for i in range(len(pages)):
    m = re.findall(r'^(\d+)$', text[i], re.M)
    labels[i] = m[-1] if m else None
cite = next(i for i, t in enumerate(text) if 'As Figure 5.3' in t)
fig = next(i for i, t in enumerate(text) if 'Figure 5.3 Labelled picture' in t and 'List of' not in t)
lst = next(i for i, t in enumerate(text) if 'Listing 5.1 Hello in Rust' in t)
flat = text[cite].replace('\n', ' ')
# the page is named only when the item is on another page (#10): the figure and
# Table 5.1 are on the citing page, Listing 5.1 on the next
m = re.search(r'Listing 5\.1 \(see page (\d+)\)', flat)
same = fig == cite and re.search(r'As Figure 5\.3 shows, and 5\.3 alone; see Table 5\.1 and Listing', flat)
print('seepage', 'ok' if same and lst != cite and m and m.group(1) == labels[lst]
      else 'bad fig %s cite %s listing %s %s' % (fig, cite, lst, m and m.group(1)))
dests = []
for a in objs[pages[cite]].get('/Annots', []):
    d = objs.get(a, {}).get('/Dest') if isinstance(a, str) else None
    if isinstance(d, str): d = objs.get(d)
    if isinstance(d, list) and d: dests.append(pages.index(d[0]) if d[0] in pages else -1)
print('golink', 'ok' if fig in dests else 'bad %s %s' % (dests, fig))
lof = next((i for i, t in enumerate(text) if 'List of Figures' in t), -1)
print('lof', 'ok' if 0 <= lof < cite and re.search(r'Figure 5\.3 Labelled picture[ .]*' + str(labels[fig]), text[lof].replace('\n', ' ')) else 'bad')
lot = next((i for i, t in enumerate(text) if 'List of Tables' in t), -1)
print('lot', 'ok' if 0 <= lot < cite and 'Table 5.4 An HTML table' in text[lot] else 'bad')
PY
for k in seepage golink lof lot; do grep -q "^$k ok" "$work/links" && ok || bad "PDF: $k: $(grep "^$k" "$work/links")"; done
# the raw-HTML table's spans in the structure tree: TH colspan=2, TD rowspan=2 (#10)
python3 - "$work/q.json" >"$work/spans" <<'PY'
import json, sys
js = json.load(open(sys.argv[1]))
objs = {k.replace('obj:', ''): v.get('value', v) for k, v in js['qpdf'][1].items()}
cells = [v for v in objs.values() if isinstance(v, dict) and v.get('/S') in ('/TH', '/TD')]
spans = sorted((v['/S'], k, n) for v in cells for k, n in v.get('/A', {}).items() if k in ('/ColSpan', '/RowSpan'))
print('spans', 'ok' if spans == [('/TD', '/RowSpan', 2), ('/TH', '/ColSpan', 2)] else 'bad %s' % spans)
th = all(v.get('/A', {}).get('/Scope') == '/Column' and v['/A'].get('/O') == '/Table' for v in cells if v['/S'] == '/TH')
print('scope', 'ok' if th and any(v['/S'] == '/TD' for v in cells) else 'bad')
PY
for k in spans scope; do grep -q "^$k ok" "$work/spans" && ok || bad "PDF: table cell attributes: $(grep "^$k" "$work/spans")"; done
python3 - "$work/p.stext" >"$work/pos" <<'PY'
import html, re, sys
s = open(sys.argv[1]).read()
out = []
for f in re.finditer(r'<font name="([^"]*)" size="([^"]*)">(.*?)</font>', s, re.S):
    for c in re.finditer(r'<char quad="([^"]*)" x="([^"]*)" y="([^"]*)" color="[^"]*" c="([^"]*)"', f.group(3)):
        q = [float(v) for v in c.group(1).split()]
        out.append((html.unescape(c.group(4)), float(f.group(2)), q[0], q[2], float(c.group(3))))
text = ''.join(c[0] for c in out)
def at(w):
    i = text.find(w)
    return out[i] if i >= 0 else None
# the raw-HTML table reads "Wide headH3Tallr1s1r2s2": each cell's text by its offset
ti = text.find('Wide headH3Tallr1s1r2s2')
cell = {'Wide': 0, 'H3': 9, 'Tall': 11, 'r1': 15, 's1': 17, 'r2': 19, 's2': 21}
def x(w): return out[ti + cell[w]][2] if ti >= 0 else -1e9
def y(w): return out[ti + cell[w]][4] if ti >= 0 else -1e9
near = lambda a, b: abs(a - b) < 1
# columns: Tall | r1 | s1; the head's first cell spans two, so H3 stands over s1
cols = x('r1') > x('Tall') + 5 and x('s1') > x('r1') + 5
print('colspan', 'ok' if cols and near(x('H3'), x('s1')) and near(x('s1'), x('s2')) and near(x('Wide'), x('Tall')) else 'bad %s %s %s' % (x('H3'), x('s1'), x('s2')))
print('rowspan', 'ok' if cols and near(x('r2'), x('r1')) and y('r2') > y('r1') + 3 and near(y('s2'), y('r2')) else 'bad %s %s' % (x('r1'), x('r2')))
han, h = at('汉'), at('hàn')
ok = han and h and h[1] < han[1] * 0.6 and h[4] < han[4] - han[1] * 0.6
# centred: the reading's middle over the base's
n = at('n字') or at('n')
ok = ok and n and abs((h[2] + n[3]) / 2 - (han[2] + han[3]) / 2) < 1.5
print('ruby', 'ok' if ok else 'bad %s %s' % (han, h))
# a Han base sits in Han text with no Han-Latin space before the next Han character
zi = at('字 and') or at('字')
print('rubyspace', 'ok' if han and zi and abs(zi[2] - han[3]) < 0.5 else 'bad %s %s' % (han, zi))
print('rp', 'bad' if '(go)' in text or '語(' in text else 'ok')
# a reading wider than its base (#10, JLREQ/clreq): centred over it, overhanging each
# Han neighbour by half a reading character, the rest widening the base's room;
# beside Latin letters no overhang
i = text.find('中长chángchángcháng文')
if i >= 0:
    zh, base, r0, r1, wen = out[i], out[i + 1], out[i + 2], out[i + 16], out[i + 17]
    half = r0[1] / 2
    ok = (abs((r0[2] + r1[3]) / 2 - (base[2] + base[3]) / 2) < 0.5 and abs(zh[3] - r0[2] - half) < 0.3
          and abs(r1[3] - wen[2] - half) < 0.3 and abs(wen[2] - zh[3] - (r1[3] - r0[2] - 2 * half)) < 0.3)
    print('overhang', 'ok' if ok else 'bad %s' % [zh, base, r0, r1, wen])
else:
    print('overhang bad: no text')
j = text.find('A宽kuānkuānB')
ok = j >= 0 and out[j + 2][2] >= out[j][3] - 0.1 and out[j + 9][3] <= out[j + 10][2] + 0.1
print('nooverhang', 'ok' if ok else 'bad')
PY
for k in colspan rowspan ruby rubyspace rp overhang nooverhang; do grep -q "^$k ok" "$work/pos" && ok || bad "PDF: $k: $(grep "^$k" "$work/pos")"; done

grep -qF '<a href="#figblue">link to the picture</a>' "$work/ch5.xhtml" && ok || bad "EPUB: [..](#fig:x) link"
# a Chinese book: 图 1-1, 表 1-1 (表： caption), 代码 1-1, citations in its words
zh=$work/zh
mkdir -p "$zh/img" && cp "$book/img/blue.png" "$zh/img/"
printf 'title: 中文\nlang: zh-CN\nlists: [figures]\n' >"$zh/book.yaml"
cat >"$zh/README.md" <<'MD'
# 第一章

![蓝色方块](img/blue.png){#fig:blue}

如[@fig:blue]与[@tbl:t]所示，参见[@lst:c]。

表：数据表 {#tbl:t}

| 甲 | 乙 |
|----|----|
| 1  | 2  |

```c {#lst:c caption="示例代码"}
int x;
```
MD
for i in $(seq 60); do printf '填充段落，把下一句推到后面的页上。\n\n' >>"$zh/README.md"; done
printf '回看[@fig:blue]。\n' >>"$zh/README.md"
"$bin" all --book "$zh" --out "$work/zho" --quiet 2>"$work/zherr" && ok || { bad "zh build"; cat "$work/zherr"; }
pdftotext "$work/zho/"*.pdf "$work/zh.txt"
# (the ideographic space after the number is drawn as glue: pdftotext gives a space)
for c in "图 1-1[ 　]蓝色方块" "表 1-1[ 　]数据表" "代码 1-1[ 　]示例代码" "插图目录"; do
    grep -qE "$c" "$work/zh.txt" && ok || bad "zh PDF: no '$c'"
done
# on the item's page no page is named; from a later page it is
grep -qE "如图 1-1 ?与表 1-1 ?所示" "$work/zh.txt" && ok || bad "zh PDF: citations $(grep -F '如' "$work/zh.txt" | head -2)"
grep -F '如' "$work/zh.txt" | grep -qF "见第" && bad "zh PDF: a page named on the item's own page" || ok
grep -qE "回看图 1-1（见第 1 页）" "$work/zh.txt" && ok || bad "zh PDF: a citation from another page: $(grep -F '回看' "$work/zh.txt")"
unzip -p "$work/zho/"*.epub EPUB/ch01.xhtml >"$work/zh.xhtml"
# (a thin space after the digit: the EPUB's Han-Latin spacing)
grep -qE '如<a href="#figblue">图 1-1</a>.?与<a href="#tblt">表 1-1</a>.?所示，参见<a href="#lstc">代码 1-1</a>' "$work/zh.xhtml" && ok || bad "zh EPUB: citations $(grep -o '如.\{0,120\}' "$work/zh.xhtml" | head -1)"

grep -qF 'From another chapter: <a href="ch05.xhtml#figblue">Figure 5.3</a> and <a href="ch05.xhtml#tblsizes">Table 5.1</a>; this section is <a href="#secxref">Cross-references</a>.' "$work/ch4.xhtml" && ok || bad "EPUB: citations across chapters and of a section: $(grep -o 'From another.\{0,200\}' "$work/ch4.xhtml")"
grep -qE "From another chapter: Figure 5.3 \(see page [0-9]+\) and Table 5.1 \(see page [0-9]+\); this" "$work/p.txt" && ok || bad "PDF: citations across chapters"
# a heading's {#id} and a [@sec:x] land on the heading's page, never "page 0"
! grep -q "see page 0)" "$work/p.txt" && ok || bad "PDF: a page reference to page 0: $(grep -o '.\{30\}see page 0)' "$work/p.txt" | head -2)"
# (the section's heading is on the citing page: no page named)
tr '\n' ' ' <"$work/p.txt" | grep -qE "this section is Cross-references\." && ok || bad "PDF: a [@sec:x] reference on its section's page"

# [@eq:x] cites a display labelled \label{eq:x} through the math pass's \eqref
eqb=$work/eqb
mkdir -p "$eqb"
printf '# Eq\n\n$$\nE = mc^2 \\label{eq:energy}\n$$\n\nSee [@eq:energy] and @eq:energy, and [@eq:none].\n' >"$eqb/README.md"
"$bin" all --book "$eqb" --out "$work/eqo" --quiet 2>"$work/eqerr"
grep -q "no numbered equation has the label 'eq:none'" "$work/eqerr" && ok || bad "[@eq:none]: no warning"
unzip -p "$work/eqo/"*.epub EPUB/ch01.xhtml | grep -qF 'See <a class="eqref" href="ch01.xhtml#eq-1-1">(1.1)</a> and <a class="eqref" href="ch01.xhtml#eq-1-1">(1.1)</a>' && ok || bad "EPUB: [@eq:x] as an equation link"

java -jar /usr/share/java/epubcheck.jar "$epub" >"$work/epubcheck.txt" 2>&1 && ok || { bad "epubcheck"; cat "$work/epubcheck.txt"; }
grep -qE "Messages: 0 fatals / 0 errors / 0 warnings" "$work/epubcheck.txt" && ok || { bad "epubcheck findings"; grep -E "ERROR|WARNING" "$work/epubcheck.txt" | head; }
finish
