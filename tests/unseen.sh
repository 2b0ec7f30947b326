#!/bin/bash
# Public books first built at 2026-11-29 (docs/BOOKS.md, "Books of the fourth
# round"): what they broke, reproduced in tests/books/unseen* and asserted on
# both outputs.
# usage: unseen.sh GHB_BOOK_BINARY FIXTURES_DIR
set -u
bin=$1 fx=$2
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME="$work/cache" # data: pictures are decoded into the cache

epubcheck() { # epubcheck EPUB WHAT: no error, no warning
    [ -f /usr/share/java/epubcheck.jar ] || return 0
    java -jar /usr/share/java/epubcheck.jar "$1" >"$work/ec.txt" 2>&1 && ok ||
        { bad "$2: epubcheck"; grep -E 'ERROR|FATAL|WARNING' "$work/ec.txt" | head -5; }
}
# overflow PDF: lines that reach within 20 pt of the page's right edge, or an item
# number "105." left of where the paragraph above the list starts (the text
# block's left edge), from pdftotext's line boxes; prints the count
overflow() {
    pdftotext -bbox-layout "$1" - 2>/dev/null | python3 -c '
import re, sys
t = sys.stdin.read()
page = float(re.search(r"<page width=\"([\d.]+)\"", t).group(1))
lines = [(float(a), float(c), re.sub(r"<[^>]+>", " ", w).split()) for a, c, w in
         re.findall(r"<line xMin=\"([\d.]+)\" yMin=\"[\d.]+\" xMax=\"([\d.]+)\"[^>]*>(.*?)</line>", t, re.S)]
left = min(a for a, c, w in lines if w[:2] == ["Numbers", "past"])
print(sum(1 for a, c, w in lines if c > page - 20 or (w[:1] == ["105."] and a < left - 0.5)))'
}

# ---------------------------------------------------------------- the mdBook
build_all "$fx/unseen"
[ "$rc" = 0 ] && ok || bad "unseen: exit $rc: $err"
[ "$(grep -c ': warning: ' <<<"$err")" = 10 ] && ok || bad "unseen: want ten warnings: $err"
# cairo-book: the second directive on a line was reported a column after the first
has "links.md:43:44: warning: unknown directive '{{#chap advanced}}'" "$err" "unseen: a line's second directive at its column"
# edition-guide: a <pre> in an HTML table cell ran its lines together, reported at 1:1
has "html.md:31:1: warning: a code block inside a note or cell is set line by line, unshaded" "$err" "unseen: a cell's code block, at its line"
has '├── lib.rs
└── foo/' "$(pdftotext -enc UTF-8 "$pdf" - | sed 's/^ *//')" "unseen PDF: a cell's code block keeps its lines"
# CS-Notes: a picture in an HTML block was reported at the block's first line
has "html.md:23:1: warning: missing image 'img/gone.png'" "$err" "unseen: a raw picture at its own line"
# rust-cookbook: some 40 badges not embedded gave 1,185 warnings, one a use
[ "$(grep -c "remote image 'https://img.shields.io/crates/v/ghb.svg'" <<<"$err")" = 1 ] && ok ||
    bad "unseen: a remote image not embedded is reported once"
# seventh round: a remote picture not fetched, alone in its figure, printed its alt
# text twice (as the link and in the caption) and its address nowhere
[ "$(grep -c 'Pipeline overview' <<<"$pt")" = 1 ] && ok || bad "unseen PDF: a figure's alt text once"
has "https://example.com/pipeline.png" "$pt" "unseen PDF: an unfetched figure shows its address"
has '>https://example.com/pipeline.png</a></p><figcaption>' "$ep" "unseen EPUB: an unfetched figure shows its address"
# statistical-learning-method: a fault on a later line of a formula in a quote was
# reported at the quote's first line (the TeX lacks the "> " the source has there)
has "math.md:36:7: warning: unknown math command \\unknowncmd" "$err" "unseen: a quoted formula's fault at its line and column"
# javascript-algorithms: "ttps://…", a typo, is no link a reader can follow (epubcheck HTM-025)
has "links.md:37:9: warning: link with the unknown scheme 'ttps:' (a typo?); set as text" "$err" "unseen: an unknown scheme"
# mdBook's own guide: a preprocessor ghb-book does not run (its {{ }} stays as text)
has "book.toml:5:1: warning: mdBook preprocessor 'guide-helper' is not run" "$err" "unseen: an unknown preprocessor, at its table's line"
hasnt "'katex'" "$err" "unseen: katex is one ghb-book runs itself"
# rust-embedded: a page reference to an anchor made with raw HTML (<a id> before a
# heading) printed "see page 0"; it is the page of the heading after the anchor
ref=$(grep -o 'see page [0-9]*' <<<"$pt" | head -1)
hasnt 'see page 0' "$pt" "unseen PDF: a raw-HTML anchor has its page"
page=${ref##* }
text=$(pdftotext -enc UTF-8 -f $((page + 4)) -l $((page + 4)) "$pdf" - 2>/dev/null)
has 'The crate is named (C-NAME)' "$text" "unseen PDF: page $page (the PDF's $((page + 4))) holds the anchored heading"
# rustwasm: a picture linked to itself is no fault (no "not a chapter" warning)
hasnt 'not a chapter' "$err" "unseen: a click-to-enlarge picture"
# es6tutorial: a picture in a link printed its alt text above the picture (and a note)
hasnt 'A screenshot' "$pt" "unseen PDF: a linked picture's alt text is not printed"
hasnt 'Cover picture' "$pt" "unseen PDF: nor an external link's"
hasnt 'example.com/shop' "$pt" "unseen PDF: nor its URL's note"
# You Don't Know JS: <br> after a figure's caption (epubcheck RSC-005)
has '<br/><br/>
<figcaption>Fig. 1: a caption amid the figure</figcaption></figure>' "$ep" "unseen: the caption goes last"
# mdBook's guide: "#" alone (an empty nav entry fails epubcheck)
has 'links.md:15:1: warning: empty heading; left out' "$err" "unseen: an empty heading is said"
hasnt '<h1 id="section"' "$ep" "unseen: and left out"
hasnt '"></a></li>' "$(unzip -p "$epub" '*nav.xhtml')" "unseen: no empty nav entry"
# Mina book: draw.io labels with formulas MathJax drew (an SVG and mjx-container in
# the label's XHTML, an XHTML <style> among the SVG's defs, CSS direction): 86
# epubcheck errors; the label's words stay
svg=$(unzip -p "$epub" '*.svg')
hasnt 'mjx-container' "$svg" "unseen: MathJax's elements leave a packaged SVG"
hasnt 'direction' "$svg" "unseen: and the CSS direction property"
has 'Checks that' "$svg" "unseen: the label's words stay"
# ml-interviews-book: an HTML list split by blank lines into blocks made an empty
# <ul/> and bare <li> (16 epubcheck errors); the blocks are read as one stream
has '<ul><li><strong>Systems</strong>: one.' "$(tr -d '\n' <<<"$ep")" "unseen: a list of HTML blocks split by blank lines"
# ml-interviews-book: width="25%" was dropped from the EPUB (not a pixel count)
has 'alt="Quarter" style="width: 25%;"' "$ep" "unseen: a percentage width is CSS in the EPUB"
# llm-cookbook: "https://github.com/x]" (RSC-020): a bracket outside an IPv6 host is encoded
has 'href="https://github.com/sunhanyu714%5D"' "$ep" "unseen: a bracket in a URL's path"
epubcheck "$epub" "unseen"
# CS-Notes: an HTML comment's tags were scanned (a missing picture drawn or warned
# about, "-->" printed); bevy-cheatbook: a <button>'s label was dropped
hasnt 'missing-old' "$err" "unseen: a picture inside an HTML comment is not looked for"
hasnt 'also-missing' "$err" "unseen: nor one in a comment after a picture"
hasnt '-->' "$pt" "unseen PDF: no end of a comment printed"
hasnt 'Old badge text' "$pt" "unseen PDF: nor a comment's text"
has 'Sponsor label' "$pt" "unseen PDF: a button's label"
has '>Sponsor label</a>' "$ep" "unseen: and in the EPUB"
# rustc-dev-guide: "x.md?highlight=…" is the chapter; "…#variant.AnonConst#" is a
# valid URI in the EPUB (its second # encoded); docsify's "//host/" is https
hasnt 'missing file' "$err" "unseen: a link with a query"
has 'href="https://doc.rust-lang.org/enum.Node.html#variant.AnonConst%23"' "$ep" "unseen: a second # encoded"
has 'href="https://docsify.js.org/"' "$ep" "unseen: //host/ is https"
# rustc-dev-guide: mdBook's <div class="warning"> is a warning box
has 'callout-warning' "$ep" "unseen: <div class=\"warning\"> is a callout"
has 'An mdBook warning box.' "$pt" "unseen PDF: its text"
# Mina book: mdbook-admonish's shorthand title, a quoted string after the kind
has 'Ordering of elements in the domain' "$pt" "unseen PDF: an admonish block's shorthand title"
# mostly-adequate-guide: blanks at a code line's end made a wrap mark and an empty line
hasnt '↩' "$pt" "unseen PDF: no wrap for trailing blanks"
# leetcode-master: a long URL with no / . - near the margin ran off the page, and
# "See" was cut after its S; rustwasm: "h t t p : //" letter-spaced on a loose line
has 'A long address: https://example.com/ABCDEFGHIJKLM' "$pt" "unseen PDF: the words before a long URL are whole"
# Mina book: a 78-digit constant in code, wider than the measure, could not part
# (digits kept together like a number and its unit): it ran off the page, and the
# breaker cut "Palla|s" without a hyphen; the number parts now
has 'Pallas and Vesta is' "$pt" "unseen PDF: the words before an overlong number are whole"
# source-code-hunter: a heading of one long Java name ran over its page number in
# the contents and off the page (titles break between words only, and it has none)
[ "$(overflow "$pdf")" = 0 ] && ok || bad "unseen PDF: $(overflow "$pdf") words past the text block (a URL cut nowhere, a 3-digit number, a 78-digit one, a long name in the contents)"
# leetcode-master: "105." of an ordered list hung into the margin (part of overflow above)
has '105. item 105' "$pt" "unseen PDF: a 3-digit item number"
# jolt, statistical-learning-method: "$$text" closes a display; the text is a paragraph
has 'to recover the value.' "$pt" "unseen: the text after a closing \$\$"
has '<h2 id="after-the-tail">After the tail</h2>' "$ep" "unseen: the heading after it stays a heading"
hasnt '$$to recover' "$pt" "unseen PDF: no raw \$\$"
# jolt: a top-level \\ breaks a display into lines (KaTeX), it was dropped
has '<mtable' "$(grep -o 'alttext="p ≤ q; r ≤ s".\{0,400\}' <<<"$ep")" "unseen: a display's top-level \\\\ makes rows"
# statistical-learning-method: an unbraced \displaystyle in a cell swallowed the \\ after it
col=$(grep -o 'alttext="\[u_1; v_2\]".\{0,900\}' <<<"$ep")
[ "$(grep -o '<mtr' <<<"$col" | wc -l)" = 2 ] && ok || bad "unseen: want two rows in the column vector"
# statistical-learning-method: "text $$" at a line's end opens a display that "$$ and…" closes
has 'We have $$w = z$$ and so on.' "$pt" "unseen PDF: a display opened at a line's end, closed at the next's start"
[ "$(grep -c 'unknown math command' <<<"$err")" = 1 ] && ok ||
    bad "unseen: \\ at a line's end is a control space (the one unknown command is the quote's)"
# mdBook's guide: {{#playground}} is a rust block (its # lines hidden), not Markdown
has 'hl-string">"from the playground"' "$ep" "unseen: the playground is code (highlighted as Rust)"
hasnt 'hidden_in_playground' "$ep$pt" "unseen: its hidden lines"
# mdBook's guide: hidden lines of other languages (book.toml, the block's attribute)
has 'shown()' "$pt" "unseen PDF: a python line"
hasnt 'hidden_setup' "$ep$pt" "unseen: [output.html.code.hidelines] python = \"~\""
hasnt 'hidden_two' "$ep$pt" "unseen: hidelines=!!!"
has 'shown_two()' "$pt" "unseen PDF: the line after"

# ---------------------------------------------------------------- docsify
rm -rf "$work/out"
build_all "$fx/unseen-docsify"
[ "$rc" = 0 ] && ok || bad "unseen-docsify: exit $rc"
# statistical-learning-method: <img src="./images/x.png"> in chapter01/ is the site root's
hasnt 'missing image' "$err" "unseen-docsify: raw HTML's picture from the site root"
# statistical-learning-method, advanced-java: ’ “ ” — … in code took the Han font, full
# width, in a Chinese book; code keeps its columns: as wide as 13 ASCII characters
widths=$(pdftotext -bbox "$pdf" - 2>/dev/null | python3 -c '
import re, sys
w = {m.group(3): float(m.group(2)) - float(m.group(1)) for m in
     re.finditer(r"xMin=\"([\d.]+)\" yMin=\"[\d.]+\" xMax=\"([\d.]+)\"[^>]*>([^<]+)</word>", sys.stdin.read())}
print(round(w.get("abcdefghijklm", 0), 1), round(w.get("ab’cd“ef”g—h…", -1), 1))')
[ "${widths% *}" = "${widths#* }" ] && ok || bad "unseen-docsify PDF: quotes in code as wide as letters (widths $widths)"
[ "$(pdfimages -list "$pdf" | awk 'NR > 2' | wc -l)" -ge 1 ] && ok || bad "unseen-docsify: the picture is drawn"
has '其中 $$x = y$$' "$pt" "unseen-docsify PDF: 其中\$\$ opens a display"
has '中间段落。' "$pt" "unseen-docsify PDF: the paragraph after"
has '的奇异值分解如上。' "$pt" "unseen-docsify PDF: a display closed by \"\$\$text\""
hasnt '$$的' "$pt" "unseen-docsify PDF: no \$\$ left as text"
# statistical-learning-method: "$ z_t, \tilde{o}_{t+1} $" is math as KaTeX reads it (its _ made
# emphasis); prices stay prose and a formula holds no bare $
has 'alttext="z_t, o' "$ep" "unseen-docsify: spaces inside the \$ of TeX"
has 'alttext="(∂L)/(∂z_t) U_c^T"' "$ep" "unseen-docsify: a closing \$ after a space"
has 'It costs $5 and $10 today, and <' "$ep" "unseen-docsify: prices are prose"
hasnt '<em>{t+1}' "$ep" "unseen-docsify: no emphasis inside a formula"
# ailearning: a $ that ends its line opens a formula (KaTeX), it printed raw TeX and
# paired the stray $ with the next formula; so-large-lm: KaTeX's \R \Z
has '，与上面求得的两个<math' "$ep" "unseen-docsify: a \$ at a line's end opens a formula"
has '<mi mathvariant="normal">ℝ</mi>' "$ep" "unseen-docsify: \R"
# statistical-learning-method ch17: the same in a quote, its lines without their >
has '</math></div><p>称为话题向量空间。</p>' "$ep" "unseen-docsify: \$\$text closes a quoted display"
# easy-rl: "$-$16" is a formula and 16 (a formula ran to a $ a paragraph later)
has '<annotation encoding="application/x-tex">-</annotation></semantics></math>16，' "$ep" "unseen-docsify: \$-\$16"
has '价值是 ' "$(grep -o '所以这里的价值是 <math' <<<"$ep")" "unseen-docsify: the second \$-\$15 too"
# statistical-learning-method: a code line wrapped before the ） of its Chinese comment
has '测测）结束。' "$pt" "unseen-docsify PDF: the comments are there"
! grep -q '^）结束' <<<"$pt" && ok || bad "unseen-docsify PDF: a wrapped code line starts with ）"
[ -z "$err" ] && ok || bad "unseen-docsify: no diagnostics: $err"
epubcheck "$epub" "unseen-docsify"

# ---------------------------------------------------------------- GitBook
rm -rf "$work/out"
build_all "$fx/unseen-gitbook"
# mostly-adequate-guide: GitBook opens with README.md whether SUMMARY.md lists it or not
has 'The preface a GitBook opens with.' "$pt" "unseen-gitbook PDF: the README is the first chapter"
has 'The preface a GitBook opens with.' "$ep" "unseen-gitbook: and in the EPUB"
# ailearning: data: pictures were links; they are decoded (base64 or percent-encoded)
hasnt 'warning' "$err" "unseen-gitbook: data: pictures decode"
has '<img src="images/img001.png" alt="A red bar drawn from a data URL"/>' "$ep" "unseen-gitbook: a base64 PNG in the EPUB"
has '<img src="images/img002.svg" alt="A blue bar"/>' "$ep" "unseen-gitbook: a raw <img> of percent-encoded SVG in the EPUB"
[ "$(pdfimages -list "$pdf" 2>/dev/null | grep -c ' image ')" = 3 ] && ok || bad "unseen-gitbook PDF: the PNG (twice) and the SVG are drawn"
hasnt 'data:image' "$pt" "unseen-gitbook PDF: no data: URL printed"
# hands-on-ml: a picture without alt text or title, alone in its paragraph, had a
# bare numbered caption ("图 6-3"); it is set apart without one
has '<figure class="figure"><p class="image"><img src="images/img001.png" alt=""/></p></figure>' "$ep" "unseen-gitbook: a picture without alt text has no caption"
hasnt 'Figure 1.2' "$pt" "unseen-gitbook PDF: nor a number"
# the sixth round: an unlinked entry over a list ("* 第二部分") is a part title, in
# GitBook as in docsify; its entries are top-level chapters
nav=$(unzip -p "$epub" '*nav.xhtml' | tr -d '\n')
has '<li><a href="ch03.xhtml">第二部分</a></li><li><a href="ch03.xhtml">Part chapter</a></li>' "$nav" "unseen-gitbook: an unlinked entry is a part"
has '第二部分' "$pt" "unseen-gitbook PDF: the part's title is printed"

# ---------------------------------------------------------------- docsify, sixth round
rm -rf "$work/out"
build_all "$fx/unseen-docsify6"
[ "$rc" = 0 ] && ok || bad "unseen-docsify6: exit $rc"
nav=$(unzip -p "$epub" '*nav.xhtml' | tr -d '\n')
# llm-cookbook: "* 第一部分 面向开发者的提示工程" over its pages (inside "* [目录](README.md)",
# which holds the whole sidebar) nested every page under the home page, the label lost
has '</ol></li><li><a href="ch03.xhtml">第一部分 提示工程</a></li><li><a href="ch03.xhtml">概述</a><ol><li><a href="ch04.xhtml">细节</a></li></ol></li><li><a href="ch05.xhtml">原则</a></li><li><a href="ch06.xhtml">第二部分 搭建系统</a></li>' \
    "$nav" "unseen-docsify6: group labels are parts, their pages top-level chapters"
has '<li><a href="ch01.xhtml">首页</a><ol>' "$nav" "unseen-docsify6: the wrapping home page keeps its own entries"
toc=$(pdftotext -enc UTF-8 -f 3 -l 3 "$pdf" - | tr -d ' .')
[[ "$toc" =~ 前言.*第一部分提示工程.*概述.*细节.*原则.*第二部分搭建系统.*第3章预备知识 ]] && ok || bad "unseen-docsify6 PDF: the contents: $toc"
[ "$(grep -c '第一部分 提示工程' <<<"$pt")" = 2 ] && ok || bad "unseen-docsify6 PDF: the part has its page (and its contents line)"
# key-book: "- 第1章 [预备知识](chapter1.md)" lost 第1章
has '>第3章 预备知识</a>' "$nav" "unseen-docsify6: the words before an entry's link are its title"
# leedl-tutorial: docsify's ':size=650' was printed as the caption, ':size=50%' replaced the alt text
# (the first, with no alt text left, is set without a caption: see unseen-gitbook)
hasnt ':size' "$pt$ep" "unseen-docsify6: no docsify option is printed"
hasnt ':class' "$pt$ep" "unseen-docsify6: nor :class, :no-zoom"
has '<figcaption><a id="figure-2-1"/>图 2-1　替代文字</figcaption>' "$ep" "unseen-docsify6: the alt text captions"
has '图 2-2　图的标题</figcaption>' "$ep" "unseen-docsify6: a title's words before its options"
# ... and the size they ask for is the picture's (the PDF's: golden test figure)
has 'alt="" width="650"/>' "$ep" "unseen-docsify6: ':size=650' is the EPUB picture's width"
has 'alt="替代文字" style="width: 50%"/>' "$ep" "unseen-docsify6: ':size=50%' is a share of the width"
# llm-cookbook: a remote ':include' became a link without a word; a local one is expanded
has "README.md:7:1: warning: remote include 'https://example.com/raw/notes.md' is not fetched; kept as a link" \
    "$err" "unseen-docsify6: a remote include is said"
has '远程文件' "$pt" "unseen-docsify6 PDF: and kept as a link"
has '本地包含的文字。' "$pt" "unseen-docsify6 PDF: a local include is expanded"
# CS-Notes: "## :pencil2: 算法" is #pencil2-算法 on GitHub (the shortcode's name)
hasnt 'unresolved' "$err" "unseen-docsify6: a link to a shortcode heading's GitHub anchor"
has 'href="#pencil2-算法"' "$ep" "unseen-docsify6: the link goes to the heading"
[ "$(grep -c warning <<<"$err")" = 1 ] && ok || bad "unseen-docsify6: one warning: $err"
epubcheck "$epub" "unseen-docsify6"
# CS-Notes: a README with no H1 titled the book with its first H2 (":pencil2: 算法"),
# the files named pencil2.pdf; the folder names the book, the H2 titles its chapter
rm -rf "$work/out"
build_all "$fx/unseen-noh1"
[ "$rc" = 0 ] && ok || bad "unseen-noh1: exit $rc"
[ -f "$work/out/unseen-noh1.pdf" ] && ok || bad "unseen-noh1: files named $(ls "$work/out")"
has '<dc:title id="title">unseen-noh1</dc:title>' "$(unzip -p "$epub" '*.opf')" "unseen-noh1: the folder is the title"
has '✏' "$(pdftotext -enc UTF-8 -f 3 -l 3 "$pdf" -)" "unseen-noh1 PDF: the chapter's title in the contents has the emoji"
hasnt ':pencil2:' "$pt" "unseen-noh1 PDF: no shortcode printed"
[ -z "$err" ] && ok || bad "unseen-noh1: no diagnostics: $err"
# huihut/interview: a README's first heading (its title) under a banner was printed
# twice in the PDF (the title opening the chapter, then the heading in its place) and
# listed twice in both contents
[ "$(grep -c '✏ 算法' <<<"$pt")" = 2 ] && ok || bad "unseen-noh1 PDF: the title once in the contents, once as the heading"
[ "$(unzip -p "$epub" '*nav.xhtml' | grep -o '✏ 算法' | wc -l)" = 1 ] && ok || bad "unseen-noh1 EPUB: the title once in the contents"
has '"/><h1 id="h--算法"><a id="pencil2-算法"/>✏ 算法</h1><p>本书没有一级标题。</p>' "$(unzip -p "$epub" '*ch01.xhtml')" "unseen-noh1 EPUB: the title opens the chapter"

# ---------------------------------------------------------------- a bare folder
rm -rf "$work/out"
build_all "$fx/unseen-bare"
[ "$rc" = 0 ] && ok || bad "unseen-bare: exit $rc"
# fucking-algorithm: 85 of 86 files left out without a word
has 'README.md:1:1: warning: 2 Markdown files of the book folder are not linked from this README and left out (more/three.md and others)' \
    "$err" "unseen-bare: the files the README does not link are counted (CONTRIBUTING.md aside)"
hasnt 'Not linked' "$pt" "unseen-bare: and left out"
has 'Text.' "$pt" "unseen-bare: the linked one is in"
# javascript-algorithms: a README's links to folders ("sub/") are chapters, their README.md
has 'A chapter named by its folder.' "$pt" "unseen-bare: a link to a folder"
# leetcode-master: a page whose H1 follows a list of the author's links opened with the
# README's title, then the list, then the H1: the same title twice; the H1 opens it now
has 'aria-label="3" title="3"/><h1 id="one">One</h1><ul>' "$ep" "unseen-bare: the H1 opens the chapter, above the links"
n=$(tr -d '\f' <<<"$pt" | grep -c '^One$')
[ "$n" = 1 ] && ok || bad "unseen-bare PDF: want 'One' once as a line of its own (the title), not $n"

# ---------------------------------------------------------------- a 100,000-character URL
# ailearning: a data: picture of 657 KB shown as a link took 23.7 GB and was killed;
# a long printed URL had an annotation a line, each repeating it (size grew with the
# square of its length), and each run of letters in it rescanned it for hyphenation
mkdir -p "$work/long"
python3 - "$work/long" <<'PY'
import sys, random, base64
random.seed(7)
d = sys.argv[1]
b64 = base64.b64encode(bytes(random.getrandbits(8) for _ in range(75000))).decode()
url = ''.join(random.choice('abcdefghijklmnopqrstuvwxyz0123456789') for _ in range(100000))
open(d + '/SUMMARY.md', 'w').write('* [Long](long.md)\n')
open(d + '/long.md', 'w').write('# Long\n\n<https://example.com/' + url + '>\n\n![](data:image/png;base64,' + b64 + ')\n')
PY
timeout 120 "$bin" pdf --offline --book "$work/long" --out "$work/long-out" 2>"$work/long-err"
[ $? = 0 ] && ok || bad "long: exit (or 120 s passed)"
size=$(stat -c %s "$work"/long-out/*.pdf 2>/dev/null || echo 0)
[ "$size" -gt 0 ] && [ "$size" -lt 3000000 ] && ok || bad "long: PDF of $size bytes (a URL an annotation repeats grows with the square)"
[ "$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$work/long-err")" -lt 400 ] && ok ||
    bad "long: a diagnostic line longer than 400 bytes"
has "data: picture 'data:image/png;base64," "$(cat "$work/long-err")" "long: the data: picture is named"

# ---------------------------------------------------------------- a Chinese title
# statistical-learning-method: a title without ASCII named the files "book"; the
# book's folder names them, the repository's above a docs/ or zh-CN/ folder
mkdir -p "$work/stat-method-notes/docs/zh-CN" "$work/其他"
printf '# 统计学习方法习题解答\n\n正文。\n' >"$work/stat-method-notes/docs/zh-CN/README.md"
cp "$work/stat-method-notes/docs/zh-CN/README.md" "$work/其他/"
"$bin" epub --quiet --book "$work/stat-method-notes/docs/zh-CN" --out "$work/named" 2>/dev/null
[ -f "$work/named/stat-method-notes.epub" ] && ok || bad "a Chinese title: files named $(ls "$work/named")"
"$bin" epub --quiet --book "$work/其他" --out "$work/named2" 2>/dev/null
[ -f "$work/named2/book.epub" ] && ok || bad "a Chinese folder name: want book.epub, not $(ls "$work/named2")"

# ---------------------------------------------------------------- numbers of figures and equations
# key-book, hands-on-ml, llm-cookbook: figures and equations took the file's place
# in the book (README and prefaces counted, sections a number each): 第1章's
# equations were (3.x); the numbered chapters count now, sections go on from theirs
n=$work/numbers
mkdir -p "$n/src"
printf '[book]\ntitle = "N"\n' >"$n/book.toml"
printf '# Summary\n\n[前言](intro.md)\n\n- [第一章](ch1.md)\n  - [小节](ch1s.md)\n- [第5章 跳过几章](ch2.md)\n\n[附录](app.md)\n' >"$n/src/SUMMARY.md"
cp "$fx/unseen/src/img/a.png" "$n/src/"
printf '# 前言\n\n![前言图](a.png)\n' >"$n/src/intro.md"
printf '# 第一章\n\n![一图](a.png)\n\n$$\n\\begin{equation}a=b\\end{equation}\n$$\n' >"$n/src/ch1.md"
printf '# 小节\n\n![小节图](a.png)\n\n$$\n\\begin{equation}c=d\\end{equation}\n$$\n' >"$n/src/ch1s.md"
printf '# 第二章\n\n![二图](a.png)\n' >"$n/src/ch2.md"
printf '# 附录\n\n![附图](a.png)\n' >"$n/src/app.md"
"$bin" pdf --quiet --book "$n" --out "$work/numbers-out" 2>/dev/null
nt=$(pdftotext -enc UTF-8 "$work"/numbers-out/*.pdf - | grep -E '^图|\([0-9.]+\)$' | tr '\n' '|')
# (a chapter titled with its own number, 第5章 after 第一章, takes it: an exercise manual
# skips chapters 12 and 13, and 第14章's figures are 14-x)
[ "$nt" = "图 1 前言图|图 1-1 一图|(1.1)|图 1-2 小节图|(1.2)|图 5-1 二图|图 1 附图|" ] && ok ||
    bad "numbers: a preface's figures, a chapter's and its section's: $nt"

# ---------------------------------------------------------------- WaBook's book.ini
# advanced-go-programming-book: an mdBook clone's book.ini is mdBook's book.toml;
# without it the book was taken for a GitBook and opened with the repository's README
# (31 badge warnings), and "Go语言高级编程" named the files go.pdf
w=$work/advanced-go-book
mkdir -p "$w"
printf '[book]\ntitle = "Go语言高级编程"\nlanguage = "zh"\nsrc = "."\n' >"$w/book.ini"
printf '# 目录\n\n[前言](preface.md)\n\n- [语言基础](ch1.md)\n' >"$w/SUMMARY.md"
printf '# 仓库说明\n\n![badge](https://example.com/badge.png)\n' >"$w/README.md"
printf '# 前言\n\n正文。\n' >"$w/preface.md"
printf '# 语言基础\n\n正文。\n' >"$w/ch1.md"
"$bin" epub --quiet --offline --book "$w" --out "$work/wabook" 2>"$work/wabook.err"
[ -f "$work/wabook/advanced-go-book.epub" ] && ok || bad "book.ini: files named $(ls "$work/wabook")"
[ ! -s "$work/wabook.err" ] && ok || bad "book.ini: the README is not read: $(cat "$work/wabook.err")"
has '<dc:title id="title">Go语言高级编程</dc:title>' "$(unzip -p "$work"/wabook/*.epub '*.opf' 2>/dev/null)" "book.ini: its title"
# ---------------------------------------------------------------- round eight
# (docs/BOOKS.md, "Books of the eighth round")
rm -rf "$work/out"
build_all "$fx/unseen-round8"
[ "$rc" = 0 ] && ok || bad "unseen-round8: exit $rc: $err"
# huihut/interview: "<b><details><summary>…</summary></b>" on a paragraph's line left
# a <details> inside <b> inside <p> (epubcheck RSC-005)
epubcheck "$epub" "unseen-round8"
has '<p><b><span><span>💡 About</span></span></b></p><p>The text the disclosure held.</p>' "$ep" \
    "unseen-round8 EPUB: a disclosure in a paragraph is a span"
has '💡 About' "$pt" "unseen-round8 PDF: the summary is printed"
# DeepLearning-500-questions: a sound PNG of 20725 × 5330 pixels (over the 64 million
# a raster may have) was called "damaged", at the picture's 1:1; then left out of the
# PDF. It is read row by row and averaged down to 300 dpi at the measure as it is read
# (9000 × 7500 here: a black band over the top tenth, the left half black)
hasnt "wide.png" "$err" "unseen-round8: a picture over 64 million pixels is drawn, not warned"
hasnt 'damaged' "$err" "unseen-round8: a picture too large is not damaged"
pdfimages -list "$pdf" 2>/dev/null | awk '$4 == 1663 && $5 == 1385 && $6 == "rgb" {f = 1} END {exit !f}' && ok ||
    bad "unseen-round8 PDF: the 9000-pixel picture at 300 dpi of the measure: $(pdfimages -list "$pdf" 2>&1 | tail -n +3)"
rm -f "$work"/wide-*
pdfimages -f 6 -l 6 "$pdf" "$work/wide" 2>/dev/null
python3 - "$work"/wide-000.ppm <<'PY' && ok || bad "unseen-round8 PDF: the shrunk picture's pixels"
import sys
d = open(sys.argv[1], "rb").read().split(b"\n", 3)
w, h = map(int, d[1].split()); px = d[3]
at = lambda x, y: px[3 * (int(y * h) * w + int(x * w))]
# the band and the left half black, the rest white, edges averaged
sys.exit(not (at(0.9, 0.05) < 8 and at(0.25, 0.5) < 8 and at(0.75, 0.5) > 247 and at(0.9, 0.9) > 247))
PY
# an interlaced one comes in seven passes, not row by row: still too large
has "README.md:33:1: warning: image 'img/wide-adam7.png' is too large to draw (9000 × 7500 pixels, over 64 million, interlaced); left out of the PDF, kept in the EPUB" \
    "$err" "unseen-round8: an interlaced picture too large, said so where the book shows it"
# and its align's rows end with \newline, which KaTeX reads as \\
hasnt 'unknown math command' "$err" "unseen-round8: \\newline ends a row"
# DeepLearning-500-questions: pictures at "C:\Users\…" and "H:/…" (the author's disk)
# were remote images of the schemes "C:" and "H:", each warned twice (not fetched,
# and a link of an unknown scheme)
has "README.md:27:1: warning: missing image 'C:\Users\author\Desktop\18-6-2-3.png'; a placeholder is shown" \
    "$err" "unseen-round8: a Windows path is a missing picture"
has "README.md:29:1: warning: missing image 'H:/DeepLearning-500-questions/img/18-6-2-1-0.png'; a placeholder is shown" \
    "$err" "unseen-round8: a Windows path with slashes too"
hasnt 'scheme' "$err" "unseen-round8: a drive letter is no scheme"
[ "$(grep -c ': warning: ' <<<"$err")" = 3 ] && ok || bad "unseen-round8: three warnings: $err"
# build-web-application-with-golang: "$GOPATH/pkg/$GOOS_$GOARCH" was two formulas
# ("GOPATH/pkg/", "GOARCH** 和 **"), the second with "missing argument"
has 'Packages go to <strong>$GOPATH/pkg/$GOOS_$GOARCH</strong> and tools to $HOME/bin:$PATH, where' "$ep" \
    "unseen-round8 EPUB: shell variables are no formulas"
[ "$(grep -o 'alttext="[^"]*"' <<<"$ep" | head -2 | tr '\n' '|')" = 'alttext="n"|alttext="x_i"|' ] && ok ||
    bad "unseen-round8 EPUB: the formulas: $(grep -o 'alttext="[^"]*"' <<<"$ep" | tr '\n' '|')"
# bwag/fa and many READMEs: "# Title" inside <div align="center"> titled the chapter,
# and the PDF printed it twice (the title opening the chapter, then the heading)
rm -rf "$work/out"
build_all "$fx/unseen-round8-div"
[ "$rc" = 0 ] && ok || bad "unseen-round8-div: exit $rc: $err"
[ "$(grep -c '居中的书名' <<<"$pt")" = 4 ] && ok ||
    bad "unseen-round8-div PDF: the title on the title and copyright pages, in the contents and opening the chapter, once each"
has '"/><h1 id="居中的书名">居中的书名</h1><div class="center"><p><b>一行居中的副标题</b></p></div><p>正文。</p>' "$ep" \
    "unseen-round8-div EPUB: the heading opens the chapter, the rest of the block stays centred"
[ -z "$err" ] && ok || bad "unseen-round8-div: no diagnostics: $err"
# rust-embedded/discovery: "../08-i2c/index.md" is the folder's README.md in mdBook
# (both become index.html); it was a link to a missing file
rm -rf "$work/out"
build_all "$fx/unseen-round8-mdbook"
[ "$rc" = 0 ] && ok || bad "unseen-round8-mdbook: exit $rc: $err"
has '<p>First do the <a href="ch01.xhtml">setup</a>, as <a href="ch01.xhtml">before</a>.</p>' "$ep" \
    "unseen-round8-mdbook EPUB: index.md and index.html link the folder's README"
[ -z "$err" ] && ok || bad "unseen-round8-mdbook: no diagnostics: $err"
# ---------------------------------------------------------------- wide characters in code
# a Han character in code takes two columns, as editors and terminals show it: an ASCII
# table drawn around Chinese cells keeps its borders in line, and the gaps around the
# centred glyphs are no spaces when the text is copied (ActualText)
w=$work/cjkcode
mkdir -p "$w"
printf '# 代码\n\n```\n+------+------+\n| 名字 | 值   |\n+------+------+\n```\n' >"$w/README.md"
"$bin" pdf --quiet --offline --book "$w" --out "$work/cjkcode-out" 2>/dev/null
cp=$(ls "$work"/cjkcode-out/*.pdf 2>/dev/null | head -1)
pdftotext -bbox "$cp" - 2>/dev/null | python3 -c '
import re, sys
words = [(m.group(3), float(m.group(1)), float(m.group(2))) for m in
         re.finditer(r"xMin=\"([\d.]+)\" yMin=\"[\d.]+\" xMax=\"([\d.]+)\"[^>]*>([^<]+)</word>", sys.stdin.read())]
border = next(w for w in words if w[0] == "+------+------+")
bars = [w for w in words if w[0] == "|"]
col = (border[2] - border[1]) / 15  # the border: 15 columns
# the bars stand at columns 0, 7 and 14, as the border'"'"'s + do
want = [border[1] + k * col for k in (0, 7, 14)]
sys.exit(not (len(bars) == 3 and all(abs(b[1] - x) < 0.3 for b, x in zip(sorted(bars, key=lambda b: b[1]), want))))
' && ok || bad "code: a Han cell does not keep the table's columns: $(pdftotext -layout "$cp" - | grep -A2 -- '-----' | head -3)"
has "| 名字 | 值 |" "$(pdftotext -raw -enc UTF-8 "$cp" - 2>/dev/null)" "code: wide characters copy without spaces between them"
# ---------------------------------------------------------------- round nine, A
# (docs/BOOKS.md, "Books of the ninth round, English")
rm -rf "$work/out"
build_all "$fx/unseen-round9a"
[ "$rc" = 0 ] && ok || bad "unseen-round9a: exit $rc: $err"
[ -z "$err" ] && ok || bad "unseen-round9a: no diagnostics: $err"
# the Cargo Book: its command pages link the ids of their <dt>s (raw HTML made model
# nodes kept the id in the EPUB but not in the index): 983 links set as text
hasnt 'no anchor' "$err" "unseen-round9a: ids of raw HTML made nodes are anchors"
has '<p>See <a href="#option-cargo-fix---edition">' "$ep" "unseen-round9a EPUB: a link to a <dt id>"
has '<a href="#para-anchor">the paragraph</a>' "$ep" "unseen-round9a EPUB: a link to a <p id>"
has '<a id="para-anchor"/><p>A paragraph with an id of its own.</p>' "$ep" "unseen-round9a EPUB: the <p id>'s anchor"
has '<a href="#box-anchor">the box</a>' "$ep" "unseen-round9a EPUB: a link to a <div id>"
has 'the edition option (see page' "$pt" "unseen-round9a PDF: a <dt id> has its page"
# veloren: "## 🎨 Graphics" is #-graphics to mdBook and GitHub (the pictograph is a symbol)
has '<a href="#h--graphics">graphics</a>, <a href="#h--audio">audio</a>' "$ep" "unseen-round9a EPUB: emoji headings' anchors"
# Penumbra: KaTeX's \isin, \sube, \infin, \harr (73 warnings)
hasnt 'unknown math command' "$err" "unseen-round9a: KaTeX's entity names"
has '<mo>∈</mo>' "$ep" "unseen-round9a EPUB: \\isin is ∈"
# the Cargo Book: draw.io's <div align> in an SVG's label (epubcheck RSC-005)
epubcheck "$epub" "unseen-round9a"
svg=$(unzip -p "$epub" '*.svg')
has '<div style="text-align: center; font-size: 16px"><b>winapi</b></div><div style="text-align: left; ">' "$svg" \
    "unseen-round9a EPUB: align is CSS"
# IoT-For-Beginners: Sketch's Arduino logo names 39 shapes "Path" (epubcheck RSC-005)
has '<path d="M10,10 L30,10 L30,30 Z" id="Path" ' "$svg" "unseen-round9a EPUB: the first of an id keeps it"
has '<path d="M40,10 L60,10 L60,30 Z" id="Path-3" ' "$svg" "unseen-round9a EPUB: a second one is renamed (Path-2 is taken)"
# IoT-For-Beginners: no sidebar; docsifytopdf.js names docs/_sidebar.md (links from
# there) as the printed book's contents. The README alone was printed (16 pages)
rm -rf "$work/out"
build_all "$fx/unseen-round9a-docsify"
[ "$rc" = 0 ] && ok || bad "unseen-round9a-docsify: exit $rc: $err"
[ -z "$err" ] && ok || bad "unseen-round9a-docsify: no diagnostics: $err"
nav=$(unzip -p "$epub" '*nav.xhtml')
has '<li><a href="ch01.xhtml">Round nine course</a></li><li><a href="ch02.xhtml">Getting started</a></li><li><a href="ch02.xhtml">Lesson one</a></li><li><a href="ch03.xhtml">Lesson two</a></li>' \
    "$nav" "unseen-round9a-docsify EPUB: the README, then the sidebar's part and lessons, titled by their H1s"
has 'The second lesson, after the first (see page' "$pt" "unseen-round9a-docsify PDF: a lesson links the other"
epubcheck "$epub" "unseen-round9a-docsify"
# ---------------------------------------------------------------- page references that flip
# the Cargo Book: a reference at a page's foot names its target's page, which pushes
# it onto that page, where it names none, which pulls it back; three passes ended
# with a warning (at a book.yaml the book did not have). From the third pass a link
# that named its page keeps naming it, so the passes settle; the page it names is
# the target's. (29 filler paragraphs and 21 words flipped with the layout of
# 2026-11-30; another layout may need others to flip.)
w=$work/flip
mkdir -p "$w"
python3 - "$w/README.md" <<'PY'
import sys
f = "The quick brown fox jumps over the lazy dog and keeps running. "
body = ["# Book\n"] + ["Filler paragraph %d. " % i + f * 2 + "\n" for i in range(29)]
body += ["word " * 21 + "see [the target](#target) for more.\n", "## Target {#target}\n\nText.\n"]
open(sys.argv[1], "w").write("\n".join(body))
PY
ferr=$("$bin" pdf --offline --book "$w" --out "$work/flip-out" 2>&1 >/dev/null)
hasnt "settle" "$ferr" "flip: the page numbers settle"
hasnt "book.yaml" "$ferr" "flip: no diagnostic at a book.yaml the book does not have"
fp=$(ls "$work"/flip-out/*.pdf 2>/dev/null | head -1)
python3 - "$fp" <<'PY' && ok || bad "flip: the reference names the target's page"
import re, subprocess, sys
pages = subprocess.run(["pdftotext", "-enc", "UTF-8", sys.argv[1], "-"], capture_output=True, text=True).stdout.split("\f")
ref = next(int(m.group(1)) for p in pages for m in [re.search(r"see page (\d+)", p)] if m)
# the folio printed on the target's page: its last number line
target = next(p for p in pages if re.search(r"^Target$", p, re.M))
sys.exit(ref != int(re.findall(r"^(\d+)$", target, re.M)[-1]))
PY
# ---------------------------------------------------------------- round nine, b
# (docs/BOOKS.md, "Books of the ninth round, Chinese")
rm -rf "$work/out"
build_all "$fx/unseen-round9b"
[ "$rc" = 0 ] && ok || bad "unseen-round9b: exit $rc: $err"
epubcheck "$epub" "unseen-round9b"
# learn-nlp-with-transformers: its 17 animated GIFs (931 frames the largest) were
# decoded whole to print each one's first frame (22 s); an animation cut short after
# its first frame was "damaged". The first frame alone is read: interlaced, with its
# transparent colour, and whatever follows it is not looked at.
hasnt 'cut.gif' "$err" "unseen-round9b: an animation cut after its first frame is drawn"
[ "$(pdfimages -list "$pdf" | awk '$3 == "image" && $4 == 8 && $5 == 8' | wc -l)" = 2 ] && ok || bad "unseen-round9b PDF: two GIFs drawn"
rm -rf "$work/im" && mkdir "$work/im" && pdfimages -f 1 "$pdf" "$work/im/i"
for i in 000 002; do
    px=$(python3 -c 'import sys; d=open(sys.argv[1],"rb").read().split(b"\n",3)[3]
print(" ".join(d[(y*8+x)*3:(y*8+x)*3+3].hex() for y, x in ((0, 0), (0, 1), (3, 7), (4, 1), (7, 7))))' "$work/im/i-$i.ppm")
    [ "$px" = "000000 ff0000 ff0000 0000ff 0000ff" ] && ok ||
        bad "unseen-round9b PDF: GIF $i's first frame, rows in order, first column clear: $px"
done
# learn-nlp-with-transformers: "## **<div id='embed'>词嵌入</div>**" (an anchor its
# contents link to) and toBeTopJavaer's "<div class="mask"></div>" after a heading's
# link left a div in a heading (epubcheck RSC-005): a span there
has '<h2 id="词嵌入"><strong><span id="embed">词嵌入</span></strong></h2>' "$ep" \
    "unseen-round9b EPUB: a div in a heading is a span, its id kept"
has '<h3 id="开始阅读"><a href="#embed">开始阅读</a><span class="mask"/></h3>' "$ep" \
    "unseen-round9b EPUB: an empty div after a heading's link is a span"
# learn-nlp-with-transformers: a pandas table indented into a notebook's output (its
# "    <table>" code, "  <thead>" on HTML) gave a thead and a tbody with no table
# (epubcheck RSC-005); they are one table
has '</code></pre><table><thead><tr style="text-align: left;"><th>Epoch</th><th>Training Loss</th></tr></thead><tbody><tr><td>1</td><td>0.525400</td></tr></tbody></table><pre><code>TrainOutput' \
    "$ep" "unseen-round9b EPUB: stray row groups make one table"
has 'Epoch Training Loss' "$(pdftotext -layout -enc UTF-8 "$pdf" - | tr -s ' ')" "unseen-round9b PDF: the table's head"
# Vonng/ddia: "[图 1-1](img/fig1-1.png)", a link to the picture file (203 of them), was
# text with a warning each; it lands where the book first shows the picture, from
# its own chapter or another. A picture no page shows is still no chapter.
has '<p>如 <a href="#picture-picturesfig1-1.png">图 1-1</a> 所示，数据系统由多个组件组成。</p><a id="picture-picturesfig1-1.png"/><figure' \
    "$ep" "unseen-round9b EPUB: a link to a picture lands before its figure"
has '前文提到的 <a href="ch03.xhtml#picture-picturesfig1-1.png">图 1-1</a>' "$ep" \
    "unseen-round9b EPUB: ... from another chapter too"
has '前文提到的 图 1-1（见第' "$pt" "unseen-round9b PDF: a page reference to the picture"
[ "$err" = "$fx/unseen-round9b/html.md:48:42: warning: link to 'pictures/unshown.png', which is not a chapter of the book; set as text" ] &&
    ok || bad "unseen-round9b: one warning, for a picture no page shows: $err"
# learn-nlp-with-transformers: matplotlib's glyph of a space is an SVG path with no d,
# which SVG 1.1 requires (epubcheck RSC-005); the EPUB's copy has an empty one
has '<path id="DejaVuSans-20" transform="scale(0.015625)" d=""/>' "$(unzip -p "$epub" '*.svg')" \
    "unseen-round9b EPUB: a path without d gets an empty one"
# unknwon/the-way-to-go_ZH_CN: a README whose list links one chapter and whose text
# links "[目录](eBook/directory.md)", the contents of 200 chapters; the book was the
# README and its preface. The contents page is followed as a SUMMARY.md (its links
# read from its folder), and the "[目录](directory.md)" ending every chapter is text
# without a warning
rm -rf "$work/out"
build_all "$fx/unseen-round9b-toc"
[ "$rc" = 0 ] && ok || bad "unseen-round9b-toc: exit $rc: $err"
epubcheck "$epub" "unseen-round9b-toc"
nav=$(unzip -p "$epub" '*nav.xhtml')
has '<li><a href="ch02.xhtml">前言</a>' "$nav" "unseen-round9b-toc EPUB: the preface, once, after the README"
has '<a href="ch06.xhtml">2.1 平台与架构</a>' "$nav" "unseen-round9b-toc EPUB: the contents page's last chapter"
[ "$(grep -c '主要特性' <<<"$pt")" = 2 ] && ok || bad "unseen-round9b-toc PDF: a chapter listed and printed"
[ -z "$err" ] && ok || bad "unseen-round9b-toc: no diagnostics: $err"
# ---------------------------------------------------------------- docsify's routes
# toBeTopJavaer links its contents as "#/menu?id=目录": docsify's router reads
# "#/page" as page.md from the site's root and "?id=x" as a heading's id
w=$work/dsroute
mkdir -p "$w/guide"
cp "$fx/docsify/index.html" "$w/"
printf '# 首页\n\n见[目录](#/menu?id=目录)、[指南](#/guide/start)、[本页](?id=首页)和[首页](#/)。\n' >"$w/README.md"
printf '# 菜单\n\n## 目录\n\n内容。\n' >"$w/menu.md"
printf '# 开始\n\n正文。\n' >"$w/guide/start.md"
printf -- '- [首页](README.md)\n- [菜单](menu.md)\n- [开始](guide/start.md)\n' >"$w/_sidebar.md"
derr=$("$bin" all --offline --quiet --book "$w" --out "$work/dsroute-out" 2>&1)
[ -z "$derr" ] && ok || bad "docsify routes: $derr"
dx=$(unzip -p "$work"/dsroute-out/*.epub EPUB/ch01.xhtml 2>/dev/null)
has '<a href="ch02.xhtml#目录">目录</a>' "$dx" "docsify routes: #/page?id=heading"
has '<a href="ch03.xhtml">指南</a>' "$dx" "docsify routes: #/folder/page"
has '<a href="#首页">本页</a>' "$dx" "docsify routes: ?id= on the page itself"
has '<a href="ch01.xhtml">首页</a>' "$dx" "docsify routes: #/ is the README"
# ---------------------------------------------------------------- words before an entry's link
# the-way-to-go: "- 第 3 章：[编辑器](03.0.md)" was titled "第 3 章： 编辑器", a space
# after the full-width colon that the contents page does not have
w=$work/tocspace
mkdir -p "$w"
printf '# 目录\n\n- 第 3 章：[编辑器](a.md)\n- 第 4 章 [工具](b.md)\n' >"$w/SUMMARY.md"
printf '# 编辑器\n\n正文。\n' >"$w/a.md"
printf '# 工具\n\n正文。\n' >"$w/b.md"
"$bin" epub --offline --quiet --book "$w" --out "$work/tocspace-out" 2>/dev/null
tnav=$(unzip -p "$work"/tocspace-out/*.epub EPUB/nav.xhtml 2>/dev/null)
has '>第 3 章：编辑器</a>' "$tnav" "contents: no space the item does not have"
has '>第 4 章 工具</a>' "$tnav" "contents: the space it has"
# ---------------------------------------------------------------- round ten, a
# (docs/BOOKS.md, "Books of the tenth round, English")
rm -rf "$work/out"
build_all "$fx/unseen-round10a"
[ "$rc" = 0 ] && ok || bad "unseen-round10a: exit $rc: $err"
epubcheck "$epub" "unseen-round10a"
[ -z "$err" ] && ok || bad "unseen-round10a: no diagnostics: $err"
ch1=$(unzip -p "$epub" EPUB/ch01.xhtml) ch2=$(unzip -p "$epub" EPUB/ch02.xhtml)
# trimstray/the-book-of-secret-knowledge: "## :anger: &nbsp;Table of Contents" is
# #anger-table-of-contents to GitHub, which drops a no-break space; its contents
# (#cli-tools-toc) and 15 "[TOC]" links back were dead
has '<a href="#cli-tools-toc">CLI Tools</a>' "$ch1" "unseen-round10a EPUB: a heading's no-break space is no hyphen"
has '<a href="#anger-table-of-contents"><sup>[TOC]</sup></a>' "$ch1" "unseen-round10a EPUB: ... after a shortcode either"
# ... and its seven "##### :black_small_square: Other" warned as ids written twice
hasnt 'duplicate anchor' "$err" "unseen-round10a: a repeated shortcode heading is no duplicate id"
# getify/Functional-Light-JS: "#user-content-generalcompose", GitHub's prefixed name
# of <a name="generalcompose">, 45 links set as text; the <a name> lost its name in
# the EPUB, so a link to it dangled (epubcheck RSC-012)
has '<p><a id="generalcompose"/></p>' "$ch2" "unseen-round10a EPUB: <a name> is an id"
has '<a href="#generalcompose">the general compose</a> and <a href="#generalcompose">it' "$ch2" \
    "unseen-round10a EPUB: #user-content-x is #x, in the chapter or from its path"
has '<a href="ch01.xhtml#anger-table-of-contents">the contents</a>' "$ch2" \
    "unseen-round10a EPUB: ... and a heading's slug in another chapter"
# ---------------------------------------------------------------- round ten, b
# (docs/BOOKS.md, "Books of the tenth round, Chinese")
rm -rf "$work/out"
build_all "$fx/unseen-round10b"
[ "$rc" = 0 ] && ok || bad "unseen-round10b: exit $rc: $err"
epubcheck "$epub" "unseen-round10b"
# fun-rec: a "$$" display on its own line in a nested list item ("    * text", then
# "      $$") with a blank line inside: the blank line became "%" at the margin,
# which ended the item; the display was "without a closing $$" and its end, with
# the next item, a paragraph "% \end{aligned} $$ * 列表的下一项。"
hasnt 'math.md' "$err" "unseen-round10b: a nested item's display with a blank line is closed"
has '</div></li><li>列表的下一项。</li></ul>' "$ep" "unseen-round10b EPUB: the next item stays in its list"
hasnt 'end{aligned} $$' "$pt" "unseen-round10b PDF: the display's end is no text"
# fun-rec: 214 formulas copied from Zhihu are pictures Zhihu draws from the TeX in
# their address (![[公式]](https://www.zhihu.com/equation?tex=D_0)): offline, each was
# a warning and a link. They are formulas; CodeCogs' and GitHub's addresses too
hasnt 'remote image' "$err" "unseen-round10b: a picture of a formula is not fetched"
has 'x-tex">D_0</annotation>' "$ep" "unseen-round10b EPUB: Zhihu's formula"
has 'x-tex">\frac{1}{m} + a</annotation>' "$ep" "unseen-round10b EPUB: decoded, \"+\" a space"
has 'x-tex">x^2&amp;y</annotation>' "$ep" "unseen-round10b EPUB: CodeCogs' options dropped, its & kept"
has 'x-tex">e^{i\pi}</annotation>' "$ep" "unseen-round10b EPUB: GitHub's, up to its &"
hasnt '[公式]' "$pt" "unseen-round10b PDF: no alt text"
hasnt 'zhihu.com' "$pt" "unseen-round10b PDF: no address"
# llm-universe: "![](../figures\joyrl.png)", which a browser reads with "/", and
# "![](c:\Users\…\docs\figures\rag.png)", a path on the author's machine whose tail
# is a picture of the book, were missing pictures; a path that names nothing still is
[ "$(grep -c 'case.md' <<<"$err")" = 1 ] && ok || bad "unseen-round10b: one picture missing: $err"
has "case.md:13:1: warning: missing image 'c:\Users\Lenovo\Desktop\gone.png'" "$err" "unseen-round10b: ... the one that is"
[ "$(pdfimages -list "$pdf" | tail -n +3 | wc -l)" = 2 ] && ok || bad "unseen-round10b PDF: two pictures drawn"
[ "$(unzip -l "$epub" | grep -c 'images/img00[12].png')" = 2 ] && ok || bad "unseen-round10b EPUB: two pictures"
# linux-insides-zh: "[多重处理器规范]((http://en.wikipedia.org/wiki/…))", the address in
# parentheses of its own, was a link to a missing file "(http://…)", set as text
has '<a href="http://en.wikipedia.org/wiki/MultiProcessor_Specification">多重处理器规范</a>' "$ep" \
    "unseen-round10b EPUB: a URL in doubled parentheses is the link's"
has 'http://en.wikipedia.org/wiki/MultiProcessor_Specification' "$pt" "unseen-round10b PDF: ... and its note"
# gopl-zh: each section file opens with its own number ("## 1.4. GIF动画") under the
# contents title "GIF动画" (or "获取URL" over "## 1.5. 获取 URL"): the PDF printed both
# titles, and the nav listed the section under itself. A leading section number and
# spaces do not make another title
rm -rf "$work/out"
build_all "$fx/unseen-round10b-gopl"
[ "$rc" = 0 ] && ok || bad "unseen-round10b-gopl: exit $rc: $err"
epubcheck "$epub" "unseen-round10b-gopl"
[ "$(grep -c 'GIF 动画' <<<"$pt")" = 2 ] && ok || bad "unseen-round10b-gopl PDF: the title once, and in the contents"
[ "$(grep -c '获取 URL' <<<"$pt")" = 2 ] && ok || bad "unseen-round10b-gopl PDF: spaces aside"
nav=$(unzip -p "$epub" '*nav.xhtml')
hasnt '>1.4. GIF动画</a>' "$nav" "unseen-round10b-gopl EPUB: the section is not listed under itself"
has '<a href="ch02.xhtml#h-141-利萨如图形">1.4.1. 利萨如图形</a>' "$nav" "unseen-round10b-gopl EPUB: its subsection is"
[ -z "$err" ] && ok || bad "unseen-round10b-gopl: no diagnostics: $err"
# linux-insides-zh: SUMMARY.md names a chapter by the page the site makes of it
# ("SysCall/linux-syscall-6.html"): it was a missing file, left out of the book
has '每个进程都有资源限制。' "$pt" "unseen-round10b-gopl PDF: a chapter named by its .html"
has '<a href="ch04.xhtml">资源限制</a>' "$nav" "unseen-round10b-gopl EPUB: ... in the nav"
finish
