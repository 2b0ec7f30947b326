#!/bin/bash
# Real-book layouts (tests/books/<layout>/): each fixture is built with `all`,
# `check` and `--strict`; titles, authors, languages, chapter lists, images,
# placeholders and exit codes are asserted on both outputs.
# usage: books.sh GHB_BOOK_BINARY FIXTURES_DIR
set -u
bin=$1 fx=$2
. "$(dirname "$0")/lib.sh"

# build NAME [options...]: runs `all` on fixture NAME into $work/NAME; sets rc, err
build() {
    local name=$1; shift
    rm -rf "$work/$name"
    "$bin" all --quiet --book "$fx/$name" --out "$work/$name" "$@" 2>"$work/$name.err"
    rc=$?
    err=$(cat "$work/$name.err")
}
want_rc() { [ "$rc" = "$1" ] && ok || { bad "$2: exit $rc, want $1"; echo "$err"; }; }
count() { grep -cF -- "$1" <<<"$2"; }
epub_of() { ls "$work/$1"/*.epub 2>/dev/null | head -1; }
pdf_of() { ls "$work/$1"/*.pdf 2>/dev/null | head -1; }
# all XHTML of the EPUB, tags kept (for alt text and ids)
epub_xhtml() { unzip -p "$(epub_of "$1")" '*.xhtml' 2>/dev/null; }
opf() { unzip -p "$(epub_of "$1")" '*.opf' 2>/dev/null; }
pdf_text() { pdftotext -enc UTF-8 "$(pdf_of "$1")" - 2>/dev/null; }
pdf_info() { pdfinfo "$(pdf_of "$1")" 2>/dev/null; }
outline() { /usr/bin/python3 - "$(pdf_of "$1")" <<'PY'
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
with pdf.open_outline() as o:
    def walk(items, d):
        for it in items:
            print("  " * d + it.title)
            walk(it.children, d + 1)
    walk(o.root, 0)
PY
}

# ---------------------------------------------------------------- lenient
build lenient
want_rc 0 "lenient: problems are warnings"
for w in "one.md:3:18: warning: missing image 'img/missing.png'" \
    "one.md:5:18: warning: image 'img/corrupt.png' is not a sound PNG" \
    "one.md:7:1: warning: missing image 'img/also-missing.png'" \
    "one.md:9:1: warning: missing included file 'nowhere.txt'" \
    "one.md:11:28: warning: link '../../../../etc/passwd' leaves the project folder" \
    "one.md:11:81: warning: unresolved link: no anchor '#nowhere'"; do
    [ "$(count "$w" "$err")" = 1 ] && ok || bad "lenient: '$w' reported $(count "$w" "$err") times"
done
[ "$(grep -c ': warning: ' <<<"$err")" = 6 ] && ok || bad "lenient: not 6 warnings: $err"
ep=$(epub_xhtml lenient) pt=$(pdf_text lenient | tr -d '\n')
for p in "[missing image: img/missing.png]" "[missing image: img/corrupt.png]" \
    "[missing image: img/also-missing.png]" "[missing include: nowhere.txt]"; do
    has "$p" "$ep" "lenient EPUB placeholder"
    has "$p" "$pt" "lenient PDF placeholder"
done
all_diags=$(grep -E ': (warning|error): ' "$work/lenient.err" | sort)
"$bin" check --quiet --book "$fx/lenient" 2>"$work/check.err"; crc=$?
[ "$crc" = 0 ] && ok || bad "lenient: check exit $crc"
[ "$(grep -E ': (warning|error): ' "$work/check.err" | sort)" = "$all_diags" ] && ok ||
    bad "lenient: check reports differently from all: $(diff <(echo "$all_diags") <(grep -E ': (warning|error): ' "$work/check.err" | sort))"
build lenient --strict
want_rc 1 "lenient --strict"
[ -z "$(ls "$work/lenient" 2>/dev/null)" ] && ok || bad "lenient --strict wrote output"
[ "$(grep -c ': error: ' <<<"$err")" = 6 ] && ok || bad "lenient --strict: not 6 errors: $err"

# ---------------------------------------------------------------- mdBook
build mdbook
want_rc 0 "mdbook builds"
o=$(opf mdbook) ep=$(epub_xhtml mdbook) pt=$(pdf_text mdbook)
has '<dc:title id="title">The Fixture Book</dc:title>' "$o" "mdbook title from book.toml"
has '<dc:creator id="creator">Ann Author</dc:creator>' "$o" "mdbook: the first author"
has '<dc:creator id="creator2">Bob Writer</dc:creator>' "$o" "mdbook: the second author, a creator of their own"
has 'Ann Author, Bob Writer' "$ep" "mdbook: all authors on the title page"
has 'Ann Author, Bob Writer' "$pt" "mdbook: all authors in the PDF"
has '<dc:language>en</dc:language>' "$o" "mdbook language"
has 'An mdBook with listings outside src/.' "$o" "mdbook description"
hasnt 'leaves' "$err" "mdbook: ../listings is inside the project"
has 'Hello, listings!' "$ep" "mdbook: include with an anchor, from ../listings"
hasnt 'ANCHOR' "$ep" "mdbook: anchor lines removed"
hasnt 'secret_setup' "$ep" "mdbook: rustdoc_include hides # lines"
hasnt 'use std::fmt' "$ep" "mdbook: hidden lines in rust blocks"
has '    # not hidden, one hash' "$ep" "mdbook: ## is a literal #"
has 'fn extra()' "$(sed 's/<[^>]*>//g' <<<"$ep")" "mdbook: playground includes the file" # code is highlighted (#10): text without spans
has 'Write {{#include file.rs}} to include' "$ep" "mdbook: \{{ escape"
hasnt 'Custom page title' "$ep$pt" "mdbook: {{#title}} prints nothing"
hasnt '{{#' "$(grep -v 'Write {{#include' <<<"$ep")" "mdbook: no raw directive"
has 'href="ch03.xhtml"' "$ep" "mdbook: x.html link to a chapter"
has 'href="ch02.xhtml#the-listing"' "$ep" "mdbook: ./x.html#id link"
has 'href="ch01.xhtml"' "$ep" "mdbook: index.html is README.md"
has 'href="ch04.xhtml#deeper"' "$ep" "mdbook: site-absolute /x.html#id"
has 'alt="A red box"' "$ep" "mdbook: image alt text"
[ "$(pdfimages -list "$(pdf_of mdbook)" 2>/dev/null | awk 'NR>2' | wc -l)" -ge 1 ] && ok || bad "mdbook: image not drawn in the PDF"
has 'Hello, listings!' "$pt" "mdbook PDF: include"
# a footnote's links print their URL notes too; a URL after "(" breaks as a URL (not after "rust-")
has 'https://example.com/inner-link' "$pt" "mdbook PDF: URL note of a link inside a footnote"
has 'https://example.net/other-page' "$pt" "mdbook PDF: second link inside a footnote"
has 'rust-lang.github.io' "$pt" "mdbook PDF: a URL in parentheses is not broken after its hyphen"
hasnt 'await' "$(grep -E '[-_]$' <<<"$pt")" "mdbook PDF: a URL breaks before _ and -, not after (typography rule 11)"
# parts: in the contents, the outline and the EPUB nav; a part page in the PDF
nav=$(unzip -p "$(epub_of mdbook)" EPUB/nav.xhtml)
has '>Getting Started</a>' "$nav" "mdbook: part title in the EPUB nav"
has '>Going Further</a>' "$nav" "mdbook: second part in the EPUB nav"
ol=$(outline mdbook)
has 'Getting Started' "$ol" "mdbook: part title in the PDF outline"
toc=$(pdftotext -layout -enc UTF-8 "$(pdf_of mdbook)" - | grep -E '\. \. ' | sed -E 's/ *(\. )+\.? */|/; s/ +/ /g; s/^ //')
has 'Going Further|' "$toc" "mdbook: part title in the PDF contents"
[ "$(grep -c '^Deeper|' <<<"$toc")" = 1 ] && ok || bad "mdbook: 'Deeper' not listed once: $toc"
[ "$(grep -c 'No Heading Here|' <<<"$toc")" = 1 ] && ok || bad "mdbook: chapter listed twice: $toc"
page_of() { grep "^$1|" <<<"$toc" | head -1 | cut -d'|' -f2; }
hello=$(page_of Hello) nested=$(page_of 'Nested Section') part2=$(page_of 'Going Further') ch2=$(page_of 'No Heading Here')
[ -n "$hello" ] && [ -n "$nested" ] && [ $((nested - hello)) -le 1 ] && ok || bad "mdbook: nested chapter does not run on ($hello, $nested)"
[ $((hello % 2)) = 1 ] && [ $((ch2 % 2)) = 1 ] && ok || bad "mdbook: top-level chapters not on right-hand pages ($hello, $ch2)"
[ -n "$part2" ] && [ $((part2 % 2)) = 1 ] && [ "$((ch2 - part2))" = 2 ] && ok || bad "mdbook: part page ($part2) before its chapter ($ch2)"
# the chapter without an H1 is headed by its SUMMARY title on its page
pg=$(pdftotext -f $((ch2 + 4)) -l $((ch2 + 4)) -enc UTF-8 "$(pdf_of mdbook)" - 2>/dev/null)
has 'No Heading Here' "$pg" "mdbook: SUMMARY title heads a chapter without an H1"
if [ -f /usr/share/java/epubcheck.jar ]; then
    # parts share a play order with their first chapter; part pages are not in the page list
    java -jar /usr/share/java/epubcheck.jar "$(epub_of mdbook)" >"$work/ec-mdbook.txt" 2>&1 && ok ||
        { bad "mdbook: epubcheck"; grep ERROR "$work/ec-mdbook.txt" | head -5; }
fi
build mdbook --strict
want_rc 1 "mdbook --strict (a link to a missing ../std page)"

# ---------------------------------------------------------------- GitBook / HonKit
build gitbook
want_rc 0 "gitbook builds"
o=$(opf gitbook) ep=$(epub_xhtml gitbook)
has '<dc:title id="title">GitBook 测试书</dc:title>' "$o" "gitbook title from book.json, not '# Summary'"
has '<dc:creator id="creator">张三</dc:creator>' "$o" "gitbook author"
has '<dc:language>zh-CN</dc:language>' "$o" "gitbook zh-hans is zh-CN"
has 'urn:isbn:978-7-111-11111-1' "$o" "gitbook isbn"
has 'properties="cover-image"' "$o" "gitbook cover.jpg"
has 'alt="蓝色方块"' "$ep" "gitbook image (root: ./docs)"
pi=$(pdf_info gitbook)
has 'Title:           GitBook 测试书' "$pi" "gitbook PDF title"
[ "$(pdfimages -list "$(pdf_of gitbook)" 2>/dev/null | awk 'NR>2' | wc -l)" -ge 2 ] && ok || bad "gitbook: image and cover not drawn"
build gitbook --strict
want_rc 0 "gitbook --strict (no warnings)"

# ---------------------------------------------------------------- docsify
build docsify
want_rc 0 "docsify builds"
o=$(opf docsify) ep=$(epub_xhtml docsify)
has '<dc:title id="title">Docsify Fixture</dc:title>' "$o" "docsify name from index.html"
nav=$(unzip -p "$(epub_of docsify)" EPUB/nav.xhtml)
has '>Home</a>' "$nav" "docsify: _sidebar.md is the contents"
has '>Quick start</a>' "$nav" "docsify: /guide/quickstart is guide/quickstart.md"
has ">Embedding</a>" "$nav" "docsify: a base path (/zh-cn/) before the page"
has 'The embedded snippet says hello' "$ep" "docsify :include of Markdown"
has 'console.log(&quot;embedded code&quot;)' "$(sed 's/"/\&quot;/g' <<<"$ep")" "docsify :include as code"
has 'alt="Green square"' "$ep" "docsify image"
[ -z "$err" ] && ok || bad "docsify warnings: $err"

# ---------------------------------------------------------------- README as contents
build readme
want_rc 0 "readme builds"
nav=$(unzip -p "$(epub_of readme)" EPUB/nav.xhtml)
[ "$(grep -o '<a href="ch0[0-9].xhtml">[^<]*' <<<"$nav" | sed 's/.*>//' | tr '\n' '|')" = "A README Book|First steps|Second thoughts|" ] && ok || bad "readme: chapter order: $nav"
has '<dc:title id="title">A README Book</dc:title>' "$(opf readme)" "readme: title from its first heading"

# ---------------------------------------------------------------- images everywhere
# remote images come from a local server on 127.0.0.1 (a free port), the cache is ours
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$fx/images" >/dev/null 2>&1 &
srv=$!
trap 'kill $srv 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
cp -r "$fx/images" "$work/img-src"
sed -i "s/PORT/$port/g" "$work/img-src/pictures.md"
export XDG_CACHE_HOME="$work/cache"
# --offline first: nothing cached, so the remote image is a link (warning), not fetched
"$bin" all --quiet --offline --book "$work/img-src" --out "$work/img-off" 2>"$work/off.err"
[ $? = 0 ] && ok || bad "images --offline exit"
has "remote image 'http://127.0.0.1:$port/remote.png' not embedded (not in the cache and --offline" "$(cat "$work/off.err")" "offline warning"
[ ! -e "$work/cache/ghb-book" ] || [ -z "$(ls "$work/cache/ghb-book")" ] && ok || bad "--offline fetched something"
has 'http://127.0.0.1' "$(unzip -p "$work/img-off"/*.epub '*.xhtml')" "offline: the remote image is a link"
"$bin" all --quiet --book "$work/img-src" --out "$work/img-out" 2>"$work/img.err"
irc=$?
[ "$irc" = 0 ] && ok || { bad "images exit $irc"; cat "$work/img.err"; }
ierr=$(cat "$work/img.err")
[ "$(grep -c 'warning' <<<"$ierr")" = 1 ] && ok || bad "images: want one warning (the non-image URL): $ierr"
has "remote image 'http://127.0.0.1:$port/pictures.md' not embedded (the server did not send an image)" "$ierr" "content sniffing of a fetched file"
[ -n "$(ls "$work/cache/ghb-book")" ] && ok || bad "remote image not cached"
ep=$(unzip -p "$work/img-out"/*.epub '*.xhtml') o=$(unzip -p "$work/img-out"/*.epub EPUB/content.opf)
for alt in "Red PNG" "A JPEG photo" "Animated GIF" "Green WebP" "Blue SVG diagram" "Raw HTML image" "Remote picture"; do
    has "alt=\"$alt\"" "$ep" "images: alt text '$alt' in the EPUB"
done
hasnt 'image/webp' "$o" "images: WebP converted for the EPUB"
[ "$(grep -c 'media-type="image/png"' <<<"$o")" -ge 3 ] && ok || bad "images: PNG items (png, webp, remote)"
svg=$(unzip -p "$work/img-out"/*.epub 'EPUB/images/*.svg')
has '<svg' "$svg" "images: SVG packaged"
hasnt 'DOCTYPE' "$svg" "images: SVG without DOCTYPE"
hasnt '<script' "$svg" "images: SVG without scripts"
hasnt 'onload' "$svg" "images: SVG without event handlers"
hasnt 'javascript:' "$svg" "images: SVG without javascript: links"
has '#3050c0' "$svg" "images: SVG entities expanded"
# draw.io leaves its diagram source in a content attribute and HTML <font> in
# foreignObject; both are invalid in an EPUB (epubcheck RSC-005)
hasnt 'mxfile' "$svg" "images: draw.io content attribute dropped"
hasnt '<font' "$svg" "images: HTML <font> in foreignObject made a span"
has '#ffffff' "$svg" "images: the font's colour kept in its style"
if [ -f /usr/share/java/epubcheck.jar ]; then
    java -jar /usr/share/java/epubcheck.jar "$work/img-out"/*.epub >"$work/epubcheck.txt" 2>&1 && ok ||
        { bad "images: epubcheck"; tail -20 "$work/epubcheck.txt"; }
fi
# the PDF draws png, jpeg, gif, webp, svg, the raw-HTML image and the remote one
pl=$(pdfimages -list "$work/img-out"/*.pdf 2>/dev/null | awk 'NR>2 && $3=="image"')
[ "$(wc -l <<<"$pl")" -ge 6 ] && ok || bad "images: $(wc -l <<<"$pl") images drawn in the PDF, want >= 6: $pl"
# the SVG is rasterised at >= 300 dpi
dpi_ok=$(pdfimages -list "$work/img-out"/*.pdf 2>/dev/null | awk 'NR>2 && $3=="image" && $4==375 && $5==188 {print "yes"}' | head -1)
[ "$dpi_ok" = yes ] && ok || bad "images: SVG raster is not 300 dpi (375x188 px for 120x60 CSS px)"
# the raw-HTML width=200 is honoured: 200 CSS px = 150 pt wide (the PNG is 40 px: 30 pt)
/usr/bin/python3 - "$work/img-out"/*.pdf <<'PY' && ok || bad "images: raw HTML width not honoured"
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
widths = []
for page in pdf.pages:
    for operands, op in pikepdf.parse_content_stream(page):
        if str(op) == "cm":
            widths.append(round(float(operands[0]), 1))
sys.exit(0 if 150.0 in widths and 30.0 in widths else 1)
PY
hasnt 'missing image' "$(pdftotext "$work/img-out"/*.pdf - 2>/dev/null)" "images: no placeholder for sound images"
# a picture in a Markdown table cell is drawn in its cell (not its alt text), and
# tagged as a Figure with that alt text; the draw.io SVG in a raw HTML table too,
# and a raw <img> in a Markdown table cell
/usr/bin/python3 - "$work/img-out"/*.pdf <<'PY' && ok || bad "images: pictures in table cells not drawn"
import subprocess, sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
for i, page in enumerate(pdf.pages):
    text = subprocess.run(["pdftotext", "-f", str(i + 1), "-l", str(i + 1), sys.argv[1], "-"],
                          capture_output=True, text=True).stdout
    if "Pictures in tables" in text and "A picture in a Markdown" in text:
        draws = sum(1 for _, op in pikepdf.parse_content_stream(page) if str(op) == "Do")
        alts = set()
        todo = [pdf.Root.StructTreeRoot]
        while todo:
            n = todo.pop()
            if isinstance(n, pikepdf.Dictionary):
                if n.get("/S") == "/Figure" and "/Alt" in n:
                    alts.add(str(n.Alt))
                k = n.get("/K")
                todo += list(k) if isinstance(k, pikepdf.Array) else [k] if k is not None else []
        ok = draws >= 3 and "Blue SVG in a cell" not in text and "Blue SVG in a cell" in alts \
            and "Red square in a cell" in alts
        print(f"cell page {i + 1}: {draws} pictures drawn, alt in text: {'Blue SVG in a cell' in text}")
        sys.exit(0 if ok else 1)
sys.exit(1)
PY
kill $srv 2>/dev/null

# ---------------------------------------------------------------- dates and languages
# no SOURCE_DATE_EPOCH, no date: the newest source file (outside git), never 1980
cp -r "$fx/readme" "$work/dated"
find "$work/dated" -exec touch -d '2021-03-04 12:00:00 UTC' {} +
(unset SOURCE_DATE_EPOCH; "$bin" all --quiet --book "$work/dated" --out "$work/dated-out" 2>/dev/null)
pt=$(pdftotext -enc UTF-8 "$work/dated-out"/*.pdf - 2>/dev/null)
has 'on 2021-03-04' "$pt" "date from the newest source file"
hasnt '1980' "$pt" "never 1980"
has '2021-03-04' "$(unzip -p "$work/dated-out"/*.epub EPUB/content.opf)" "EPUB date from the newest source file"
SOURCE_DATE_EPOCH=1700000000 "$bin" all --quiet --book "$work/dated" --out "$work/dated-sde" 2>/dev/null
has 'on 2023-11-14' "$(pdftotext "$work/dated-sde"/*.pdf - 2>/dev/null)" "SOURCE_DATE_EPOCH wins"
# in a git work tree: the last commit's date
if command -v git >/dev/null; then
    cp -r "$fx/readme" "$work/gitbook-dated"
    (cd "$work/gitbook-dated" && git init -q && git add -A &&
        GIT_COMMITTER_DATE='2022-05-06T10:00:00Z' git -c user.name=t -c user.email=t@t commit -qm x)
    (unset SOURCE_DATE_EPOCH; "$bin" pdf --quiet --book "$work/gitbook-dated" --out "$work/gd-out" 2>/dev/null)
    has 'on 2022-05-06' "$(pdftotext "$work/gd-out"/*.pdf - 2>/dev/null)" "date of the last git commit"
fi
# generated words follow the book's language: English page references and contents
build mdbook
pt=$(pdf_text mdbook)
has '(see page' "$pt" "English page reference"
hasnt '见第' "$pt" "no Chinese page reference in an English book"
has 'Contents' "$pt" "English contents heading"
pt=$(pdf_text gitbook)
has '目录' "$pt" "Chinese contents heading"
# a Chinese book with a Latin title is Chinese (the text decides, not the title)
mkdir -p "$work/latin-title"
printf 'title: Deep Learning Notes\n' >"$work/latin-title/book.yaml"
printf -- '- [一](one.md)\n' >"$work/latin-title/SUMMARY.md"
printf '# 第一章\n\n这是一本中文书，只是标题用了英文。深度学习的笔记。\n' >"$work/latin-title/one.md"
"$bin" epub --quiet --book "$work/latin-title" --out "$work/lt-out" 2>/dev/null
has '<dc:language>zh-CN</dc:language>' "$(unzip -p "$work/lt-out"/*.epub EPUB/content.opf)" "language from the text"
has '>目录<' "$(unzip -p "$work/lt-out"/*.epub EPUB/nav.xhtml)" "Chinese nav for a Latin title"

# files not in UTF-8 (written here: a fixture's bytes would be re-encoded by editors):
# GBK Chinese, UTF-16 with a byte-order mark, Latin-1, and a UTF-8 file with one bad byte
enc="$work/encodings"
mkdir -p "$enc"
printf -- '- [GBK](gbk.md)\n- [U16](u16.md)\n- [L1](l1.md)\n- [Bad](bad.md)\n' >"$enc/SUMMARY.md"
printf 'title: Encodings\n' >"$enc/book.yaml"
printf '# 标题\n\n这是 GBK 编码的中文段落。\n' | iconv -f utf-8 -t gbk >"$enc/gbk.md"
{ printf '\xff\xfe'; printf '# 记事本\n\nSaved by Notepad as UTF-16.\n' | iconv -f utf-8 -t utf-16le; } >"$enc/u16.md"
printf '# Caf\xe9\n\nA na\xefve Latin-1 file.\n' >"$enc/l1.md"
printf '# 损坏\n\n中文中文\xff中文。\n' >"$enc/bad.md"
"$bin" all --quiet --book "$enc" --out "$work/enc-out" 2>"$work/enc.err"
rc=$? err=$(cat "$work/enc.err")
want_rc 0 "encodings build"
pt=$(pdftotext -enc UTF-8 "$work/enc-out"/*.pdf - 2>/dev/null)
has 'gbk.md:1:1: warning: not UTF-8: read as GB18030' "$err" "GBK file: one warning naming the encoding"
has 'u16.md:1:1: warning: not UTF-8: read as UTF-16LE' "$err" "UTF-16 file: one warning"
has 'l1.md:1:1: warning: not UTF-8: read as Windows-1252' "$err" "Latin-1 file: one warning"
has 'bad.md:3:5: warning: invalid UTF-8 byte 0xFF' "$err" "damaged UTF-8: the byte is reported, the file is not re-read"
has '这是 GBK 编码的中文段落' "$pt" "GBK text in the PDF"
has 'Saved by Notepad as UTF-16' "$pt" "UTF-16 text in the PDF"
has 'A naïve Latin-1 file' "$pt" "Latin-1 text in the PDF"
has '中文中文�中文' "$pt" "damaged UTF-8 keeps its Chinese text"
has '这是 GBK 编码的中文段落' "$(unzip -p "$work/enc-out"/*.epub '*.xhtml')" "GBK text in the EPUB"
"$bin" all --quiet --strict --book "$enc" --out "$work/enc-strict" 2>/dev/null
rc=$?
want_rc 1 "encodings --strict"

finish
