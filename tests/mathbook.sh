#!/bin/bash
# A small book with math in every syntax: the EPUB has MathML (properties="mathml"
# on those documents, numbered displays, equation links) and passes epubcheck;
# the unknown command gives one warning at its file:line:col; no $ TeX is left.
# usage: mathbook.sh GHB_BOOK_BINARY BOOK_DIR
set -u
bin=$1 book=$2
. "$(dirname "$0")/lib.sh"
"$bin" epub --book "$book" --out "$work/out" >"$work/log" 2>&1 || bad "build failed: $(cat "$work/log")"
epub=$(ls "$work"/out/*.epub)
grep -q "ch2.md:9:11: warning: unknown math command \\\\foo" "$work/log" && ok || bad "no positioned warning: $(cat "$work/log")"
mkdir "$work/x" && (cd "$work/x" && unzip -q "$epub")
opf=$work/x/EPUB/content.opf
grep -q 'href="ch01.xhtml" media-type="application/xhtml+xml" properties="mathml"' "$opf" && ok || bad "ch01 lacks properties=mathml"
grep -q 'href="ch02.xhtml" media-type="application/xhtml+xml" properties="mathml"' "$opf" && ok || bad "ch02 lacks properties=mathml"
# formulas: a <math> each, or one span of parts (a long inline formula, below)
n=$(python3 - "$work"/x/EPUB/ch0*.xhtml <<'PY'
import re, sys
t = ''.join(open(f, encoding='utf-8').read() for f in sys.argv[1:])
split = re.findall(r'<span class="math" data-tex="[^"]*" role="math".*?</math></span></span>', t)
print(len(split) + t.count('<math ') - sum(s.count('<math ') for s in split))
PY
)
[ "$n" = 25 ] && ok || bad "expected 25 formulas, got $n"
# a formula right between Han characters is MathML too (its placeholder once got a thin space)
grep -q '长度<math [^>]*alttext="ℓ_2">.*</math>范数' "$work/x/EPUB/ch02.xhtml" && ok || bad "formula between Han characters"
grep -q 'ghb-math' "$work"/x/EPUB/ch0*.xhtml && bad "a formula placeholder left in the EPUB" || ok
# ... also in a document whose raw HTML the HTML parser repairs (<kbd title=key>: halo2, easy-rl)
grep -q '键之后的公式 <math [^>]*alttext="a + b">' "$work/x/EPUB/ch02.xhtml" && ok || bad "formula after repaired raw HTML"
# ... but not inside a link (no <a> in an <a>), whose note reads the formula, not TeX
grep -q '链接里的公式 <a href="https://example.com">见 <math [^>]*alttext="y ≤ 2 (1.1)">' "$work/x/EPUB/ch02.xhtml" &&
    grep -q '</a> 见 y ≤ 2 (1.1) 一文：<a class="url"' "$work/x/EPUB/ch02.xhtml" && ok || bad "formula with \\eqref inside a link"
# \eqref inside a larger formula: a link between the formula's parts (MathML has no links)
grep -q '代入得 <span class="math" data-tex="[^"]*"><math [^>]*alttext="L ≤ log K 由">.*</math> <a class="eqref" href="ch01.xhtml#eq-1-2">(1.1)</a></span>' \
    "$work/x/EPUB/ch02.xhtml" && ok || bad "no link for a nested \\eqref"
# a long inline formula is written in parts where the PDF may break it (browsers
# never break inside one <math>): read whole from its wrapper, which keeps the TeX,
# each part valid MathML of 12 bytes of TeX or more, the operator that ends it spaced as infix
python3 - "$work/x/EPUB/ch02.xhtml" >"$work/split.txt" 2>&1 <<'PY' && ok || bad "long formula not in parts: $(cat "$work/split.txt")"
import re, sys
t = open(sys.argv[1], encoding='utf-8').read()
m = re.search(r'<span class="math" data-tex="f\(x\) = a_0 \+ a_1 x [^"]*" role="math" aria-label="f\(x\) = a_0 \+ a_1 x [^"]*a_15 x\^15"><span aria-hidden="true">(.*?)</span></span>', t)
assert m, "no wrapper"
parts = re.findall(r'<math xmlns="http://www.w3.org/1998/Math/MathML" alttext="([^"]*)">(.*?)</math>', m.group(1))
assert len(parts) == 11, len(parts)
assert parts[0][0] == "f(x) = a_0 +" and parts[1][0] == "a_1 x + a_2 x^2 +" and parts[-1][0] == "a_15 x^15", parts
assert all(p.endswith('<mo form="infix">+</mo>') for _, p in parts[:-1]), "no infix form"
PY
# TeX in an image's alt text: the alt is the readable form, the caption typesets it
grep -qF 'alt="红色方块，面积 S = a^2，边长 α"' "$work/x/EPUB/ch02.xhtml" && ok || bad "image alt not readable text"
grep -q '<figcaption>.*面积 <math [^>]*alttext="S = a^2"' "$work/x/EPUB/ch02.xhtml" && ok || bad "caption math not MathML"
grep -q '<figcaption><a id="figure-2-2"/>图 2-2　圆面积 <math [^>]*alttext="S = πr^2"' "$work/x/EPUB/ch02.xhtml" &&
    ok || bad "math in a caption from the image title not MathML"
# alternate text is readable, not TeX (the TeX is the annotation)
grep -o 'alttext="[^"]*"' "$work"/x/EPUB/ch0*.xhtml | grep -F '\' && bad "TeX left in alttext" || ok
grep -qF 'alttext="‖x‖_2 = √(∑_(i = 1)^n x_i^2)"' "$work/x/EPUB/ch02.xhtml" && ok || bad "no readable alttext"
grep -q '<span class="eqno">(1.1)</span>' "$work/x/EPUB/ch01.xhtml" && ok || bad "no (1.1)"
grep -q '<span class="eqno">(B)</span>' "$work/x/EPUB/ch02.xhtml" && ok || bad "no \\tag (B)"
grep -q '<span class="eqno">(2.1)</span>' "$work/x/EPUB/ch02.xhtml" && ok || bad "no (2.1)"
grep -q '<a class="eqref" href="ch01.xhtml#eq-1-2">(1.1)</a>' "$work/x/EPUB/ch02.xhtml" && ok || bad "no link to (1.1)"
# align numbers its rows: \label, \nonumber and \tag each on their own row
grep -q '<mtd><mspace width="2em"/><mtext>(2.2)</mtext></mtd></mtr><mtr>.*<mtd><mspace width="2em"/></mtd></mtr><mtr>.*<mtd id="eq-2-17-3"><mspace width="2em"/><mtext>(R)</mtext></mtd>' "$work/x/EPUB/ch02.xhtml" &&
    ok || bad "align rows not numbered one by one"
grep -q '<a class="eqref" href="ch02.xhtml#eq-2-17-1">(2.2)</a>' "$work/x/EPUB/ch02.xhtml" && ok || bad "no link to row (2.2)"
# KaTeX's \mod, \atop, size switches and CSS colour names: MathML, not <merror>; a
# colour as #rrggbb (epubcheck, below, rejects mathcolor="darkred")
grep -q '<mi>mod</mi>.*<mstyle mathcolor="#8B0000">.*<mstyle mathsize="0.9em">.*<mfrac linethickness="0">' \
    "$work/x/EPUB/ch02.xhtml" && ok || bad "KaTeX commands not in MathML"
[ "$(cat "$work"/x/EPUB/ch0*.xhtml | grep -o '<merror' | wc -l)" = 1 ] && ok ||
    bad "<merror> other than the one unknown command (\\foo)"
grep -q 'annotation encoding="application/x-tex"' "$work/x/EPUB/ch01.xhtml" && ok || bad "no TeX annotation"
# a formula in a heading or a caption: its readable form, not TeX, where the text
# stands alone (NCX, nav's contents and list of figures); the heading itself is MathML
grep -qF '<text>损失 L 与 α_t^2</text>' "$work/x/EPUB/toc.ncx" && ok || bad "NCX heading not readable: $(grep -o '<text>损失[^<]*' "$work/x/EPUB/toc.ncx")"
grep -q '<a href="ch02.xhtml#[^"]*">损失 L 与 α_t^2</a>' "$work/x/EPUB/nav.xhtml" && ok || bad "nav heading not readable"
grep -qF '图 2-1　红色方块，面积 S = a^2，边长 α</a>' "$work/x/EPUB/nav.xhtml" &&
    grep -qF '图 2-2　圆面积 S = πr^2 的图</a>' "$work/x/EPUB/nav.xhtml" &&
    grep -qF '表 2-1　误差 ϵ_i 的表</a>' "$work/x/EPUB/nav.xhtml" && ok || bad "nav lists of figures and tables not readable"
grep -q '<h2[^>]*>损失 <math [^>]*alttext="L"' "$work/x/EPUB/ch02.xhtml" && ok || bad "heading math not MathML"
# outside <math>, no TeX: strip the math elements and look for backslash commands and $
left=$(python3 - "$work"/x/EPUB/ch0*.xhtml <<'PY'
import re, sys
for f in sys.argv[1:]:
    t = re.sub(r'<math .*?</math>', '', open(f, encoding='utf-8').read(), flags=re.S)
    t = re.sub(r'<[^>]+>', '', t)
    for m in re.findall(r'\\[a-zA-Z]+|\$\$?[^$ 0-9]', t):
        print(f, m)
PY
)
[ -z "$left" ] && ok || bad "raw TeX left: $left"
# the PDF: formulas set in the math font, no TeX left in the text layer
"$bin" pdf --book "$book" --out "$work/pdf" >"$work/plog" 2>&1 || bad "pdf build failed: $(cat "$work/plog")"
pdf=$(ls "$work"/pdf/*.pdf)
pdffonts "$pdf" | grep -qi "LatinModernMath" && ok || bad "no Latin Modern Math in the PDF: $(pdffonts "$pdf")"
# as drawn (ActualText taken out): no TeX; the text layer: the TeX back, searchable
bash "$(dirname "$0")/../scripts/pdf-visible-text.sh" "$pdf" "$work/pdf.txt"
pdftotext "$pdf" "$work/layer.txt"
grep -qF '\frac{\exp(x_i)}{\sum_{j} \exp(x_j)}' "$work/layer.txt" && ok || bad "no ActualText TeX in the text layer"
tex=$(grep -oE '\\(frac|sum|mathbf|begin|end|left|right|label|eqref|ref|sqrt|mathcal|alpha|hat)\b|\$\$' "$work/pdf.txt" | sort | uniq -c)
[ -z "$tex" ] && ok || bad "raw TeX in the PDF text: $tex"
grep -q "(1.1)" "$work/pdf.txt" && grep -q "(2.1)" "$work/pdf.txt" && grep -q "(B)" "$work/pdf.txt" &&
    grep -q "(2.2)" "$work/pdf.txt" && grep -q "(R)" "$work/pdf.txt" && ok ||
    bad "equation numbers missing from the PDF"
grep -q '\\foo' "$work/pdf.txt" && ok || bad "the unknown command is not shown in the PDF"
qpdf --check "$pdf" >/dev/null 2>&1 && ok || bad "qpdf --check fails"
# the printed contents and list of figures, in the readable form
grep -q '^损失 L 与 α_t^2 \. \.' "$work/pdf.txt" && ok || bad "PDF contents: heading not readable"
grep -q '^图 2-1 红色方块，面积 S = a^2，边长 α \. \.' "$work/pdf.txt" &&
    grep -q '^图 2-2 圆面积 S = πr^2 的图 \. \.' "$work/pdf.txt" &&
    grep -q '^表 2-1 误差 ϵ_i 的表 \. \.' "$work/pdf.txt" && ok || bad "PDF lists of figures and tables not readable"
# tagged: every formula a Formula element with a readable /Alt (inline ones
# Inline, the default placement), numbers as Lbl; \eqref a Link annotation to its display's page;
# \color painted; the long inline formula broken over lines (one Formula, two MCIDs)
py=python3
/usr/bin/python3 -c "import pikepdf" 2>/dev/null && py=/usr/bin/python3
if $py -c "import pikepdf" 2>/dev/null; then
    $py "$(dirname "$0")/pdfua_check.py" "$pdf" --expect Document,Sect,H1,P,Formula,Lbl,Link >"$work/ua.txt" 2>&1 &&
        ok || bad "pdfua_check: $(cat "$work/ua.txt")"
    $py - "$pdf" >"$work/formula.txt" 2>&1 <<'PY' && ok || bad "formulas in the PDF: $(cat "$work/formula.txt")"
import pikepdf, sys
pdf = pikepdf.open(sys.argv[1])
forms, lbls = [], 0
def walk(e):
    global lbls
    s = e.get("/S")
    if s == "/Formula":
        a = e.get("/A")
        forms.append((str(e.get("/Alt", "")), str(a.get("/Placement")) if a else "", e.get("/K")))
    lbls += s == "/Lbl"
    k = e.get("/K")
    for x in (k if isinstance(k, pikepdf.Array) else [k]):
        if isinstance(x, pikepdf.Dictionary) and "/S" in x:
            walk(x)
walk(pdf.Root.StructTreeRoot.K)
assert len(forms) == 25, len(forms)
figs = []
def figures(e):
    if e.get("/S") == "/Figure": figs.append(str(e.get("/Alt", "")))
    k = e.get("/K")
    for x in (k if isinstance(k, pikepdf.Array) else [k]):
        if isinstance(x, pikepdf.Dictionary) and "/S" in x: figures(x)
figures(pdf.Root.StructTreeRoot.K)
assert figs == ["红色方块，面积 S = a^2，边长 α", "红色"], figs
assert all(a and "\\" not in a for a, _, _ in forms), [a for a, _, _ in forms]
assert sum(p == "/Block" for _, p, _ in forms) == 6, [p for _, p, _ in forms]  # Inline: the default
assert lbls == 5, lbls
titles = []
with pdf.open_outline() as o:
    def outline(items):
        for i in items:
            titles.append(i.title)
            outline(i.children)
    outline(o.root)
assert "损失 L 与 α_t^2" in titles and not any("\\" in t for t in titles), titles
long = [k for a, _, k in forms if a.startswith("f(x) = a_0 + a_1 x")]
assert long and isinstance(long[0], pikepdf.Array) and len(long[0]) >= 2, long
pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
dests = [pages[a.Dest[0].objgen] for p in pdf.pages for a in p.get("/Annots", []) if a.get("/Contents") == "(1.1)"]
assert len(dests) == 5 and len(set(dests)) == 1, dests  # two inside formulas
rows = [pages[a.Dest[0].objgen] for p in pdf.pages for a in p.get("/Annots", []) if a.get("/Contents") == "(2.2)"]
assert len(rows) == 1, rows
colours = set()
for p in pdf.pages:
    for operands, op in pikepdf.parse_content_stream(p):
        if str(op) == "rg":
            colours.add(tuple(round(float(v), 2) for v in operands))
assert (1.0, 0.0, 0.0) in colours and (0.0, 0.0, 1.0) in colours, colours
PY
fi
# at 360 px in Chromium (when the reader test's puppeteer is installed): no formula
# wider than a small phone; screenshots in the work folder
modules=${XDG_CACHE_HOME:-$HOME/.cache}/ghb-book-test/node_modules
if [ -d "$modules/puppeteer" ] && [ -x /usr/bin/chromium ]; then
    GHB_READER_WIDTHS=360 timeout 300 node "$(dirname "$0")/epub_reader.js" "$modules" "$work/x" "$work/screens" \
        >"$work/reader.txt" 2>&1 && ok || bad "at 360 px: $(cat "$work/reader.txt")"
fi
jar=/usr/share/java/epubcheck.jar
if [ -f "$jar" ] && command -v java >/dev/null; then
    java -jar "$jar" "$epub" >"$work/check.txt" 2>&1
    [ $? = 0 ] && ! grep -qE "^(FATAL|ERROR|WARNING)" "$work/check.txt" && ok || bad "epubcheck: $(cat "$work/check.txt")"
fi
finish
