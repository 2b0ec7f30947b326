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
n=$(cat "$work"/x/EPUB/ch0*.xhtml | grep -o '<math ' | wc -l)
[ "$n" = 15 ] && ok || bad "expected 15 <math> elements, got $n"
# TeX in an image's alt text: the alt is the readable form, the caption typesets it
grep -qF 'alt="红色方块，面积 S = a^2，边长 α"' "$work/x/EPUB/ch02.xhtml" && ok || bad "image alt not readable text"
grep -q '<figcaption>.*面积 <math [^>]*alttext="S = a^2"' "$work/x/EPUB/ch02.xhtml" && ok || bad "caption math not MathML"
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
grep -q 'annotation encoding="application/x-tex"' "$work/x/EPUB/ch01.xhtml" && ok || bad "no TeX annotation"
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
assert len(forms) == 15, len(forms)
figs = []
def figures(e):
    if e.get("/S") == "/Figure": figs.append(str(e.get("/Alt", "")))
    k = e.get("/K")
    for x in (k if isinstance(k, pikepdf.Array) else [k]):
        if isinstance(x, pikepdf.Dictionary) and "/S" in x: figures(x)
figures(pdf.Root.StructTreeRoot.K)
assert figs == ["红色方块，面积 S = a^2，边长 α"], figs
assert all(a and "\\" not in a for a, _, _ in forms), [a for a, _, _ in forms]
assert sum(p == "/Block" for _, p, _ in forms) == 6, [p for _, p, _ in forms]  # Inline: the default
assert lbls == 5, lbls
long = [k for a, _, k in forms if a.startswith("f(x) = a_0 + a_1 x")]
assert long and isinstance(long[0], pikepdf.Array) and len(long[0]) >= 2, long
pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
dests = [pages[a.Dest[0].objgen] for p in pdf.pages for a in p.get("/Annots", []) if a.get("/Contents") == "(1.1)"]
assert len(dests) == 3 and len(set(dests)) == 1, dests
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
jar=/usr/share/java/epubcheck.jar
if [ -f "$jar" ] && command -v java >/dev/null; then
    java -jar "$jar" "$epub" >"$work/check.txt" 2>&1
    [ $? = 0 ] && ! grep -qE "^(FATAL|ERROR|WARNING)" "$work/check.txt" && ok || bad "epubcheck: $(cat "$work/check.txt")"
fi
finish
