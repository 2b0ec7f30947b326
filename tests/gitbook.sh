#!/bin/bash
# GitBook/HonKit template tags, GLOSSARY.md, multilingual books (LANGS.md) and
# docsify's helpers and embeds (#8): fixtures tests/books/gbtags, langs, docsify.
# usage: gitbook.sh GHB_BOOK_BINARY FIXTURES_DIR
set -u
bin=$1 fx=$2
. "$(dirname "$0")/lib.sh"

# build NAME [options...]: `all` on fixture NAME into $work/NAME; sets rc, err, ep, pt
build() {
    local name=$1; shift
    rm -rf "$work/$name"
    "$bin" all --quiet --offline --book "$fx/$name" --out "$work/$name" "$@" 2>"$work/$name.err"
    rc=$? err=$(cat "$work/$name.err")
    ep=$(unzip -p "$work/$name"/*.epub '*.xhtml' 2>/dev/null)
    pt=$(pdftotext -enc UTF-8 "$work/$name"/*.pdf - 2>/dev/null)
}
epubcheck() { # epubcheck FILE WHAT: 0 errors
    [ -f /usr/share/java/epubcheck.jar ] || return 0
    java -jar /usr/share/java/epubcheck.jar "$1" >"$work/ec.txt" 2>&1 && ok ||
        { bad "$2: epubcheck"; grep -E 'ERROR|FATAL' "$work/ec.txt" | head -5; }
}

# ---------------------------------------------------------------- template tags
build gbtags
[ "$rc" = 0 ] && ok || bad "gbtags: exit $rc: $err"
for w in "README.md:7:1: warning: missing included file './snippets/nowhere.md'; left out" \
    "layout.md:19:1: warning: unknown GitBook tag '{% swagger %}'; left out, its content kept" \
    "code.md:29:12: warning: unknown GitBook variable '{{ book.nothing }}'; left out" \
    "code.md:29:50: warning: unknown GitBook variable '{{ post_title }}'; left out" \
    "layout.md:41:1: warning: '{% if page.x > 3 %}' cannot be decided for a book; every branch kept" \
    "README.md:9:1: warning: '{% include %}' names no file; left out"; do
    [ "$(grep -cF -- "$w" <<<"$err")" = 1 ] && ok || bad "gbtags: '$w' not reported once: $err"
done
[ "$(grep -c ': warning: ' <<<"$err")" = 6 ] && ok || bad "gbtags: not 6 warnings: $err"
# hints are callouts of the mapped kinds, in both outputs
for k in note warning caution tip; do
    has "<aside class=\"callout callout-$k\"" "$ep" "gbtags: hint as a $k callout"
done
[ "$(grep -o 'callout callout-tip' <<<"$ep" | wc -l)" = 3 ] && ok ||
    bad "gbtags: want 3 tip callouts (success in an include, tip, docsify ?>)"
has '<aside class="callout callout-important"' "$ep" "gbtags: docsify !> as important"
hasnt '!&gt; Docsify' "$ep" "gbtags: docsify marker removed"
# "Code and raw" is chapter 3: the README that opens a GitBook is its introduction, unnumbered
pt1=$(tr -s '\n' ' ' <<<"$pt")
for s in "Note Information hint with bold text." "Warning Warning hint paragraph one." \
    "Caution Danger hint text." "Tip Tip hint text." "Tip A hint inside an included file." \
    "Important Docsify important paragraph." "Tip Docsify tip paragraph." \
    "The shared snippet was included here." "[missing include: ./snippets/nowhere.md]" \
    "Linux Install with apt on Linux. macOS Install with brew on macOS." \
    "https://www.youtube.com/watch?v=abc123" "Swagger body text is kept." \
    "Listing 3.1 hello.py" 'print("hello from a titled block")' \
    "{% for item in items %}{{ item }}{% endfor %}" "Inline {% if x %} stays too." \
    "Raw text keeps {% hint style=" \
    "This book documents HonKit 2.5.1; Hello from a page variable." \
    '$ tool --version HonKit 2.5.1' "An unknown variable, an unset and {{ post.title }} in code." \
    "Ebook-only paragraph." "Tool is HonKit." "A missing variable is false." \
    "Undecided branch kept."; do
    has "$s" "$pt1" "gbtags PDF"
done
has '<strong>Linux</strong>' "$ep" "gbtags: a tab's title is bold"
has 'href="https://www.youtube.com/watch?v=abc123"' "$ep" "gbtags: embed is a link"
has '{% for item in items %}{{ item }}{% endfor %}' "$(sed 's/<[^>]*>//g' <<<"$ep")" "gbtags: code keeps its tags"
# no tag is printed raw outside code and {% raw %}
for t in '{% hint style="info"' 'endhint' '{% tab' 'endtab' '{% embed' 'endcode' 'content-ref' \
    'swagger' '{% include' 'ghb-callout' '{% raw' 'endraw'; do
    hasnt "$t" "$pt" "gbtags PDF raw tag"
done
hasnt 'ghb-callout' "$ep" "gbtags EPUB: no marker left"
# {% if %}: output.name is "ebook"; the branches not taken are left out
for s in "Web-only" "Never printed" "Not printed either"; do
    hasnt "$s" "$pt" "gbtags: if branch not taken"
done
# GLOSSARY.md: a last chapter in the book's language
has 'Glossary Callout A framed block' "$pt1" "gbtags: glossary chapter"
nav=$(unzip -p "$work/gbtags"/*.epub EPUB/nav.xhtml)
has '>Glossary</a>' "$nav" "gbtags: glossary in the nav"
epubcheck "$work/gbtags"/*.epub gbtags
build gbtags --strict
[ "$rc" = 1 ] && ok || bad "gbtags --strict: exit $rc, want 1"

# ---------------------------------------------------------------- LANGS.md
build langs
[ "$rc" = 0 ] && ok || bad "langs: exit $rc: $err"
[ -z "$err" ] && ok || bad "langs: warnings: $err"
files=$(cd "$work/langs" && ls | tr '\n' ' ')
# a Chinese title names the files after the book's folder: zh/ says nothing, langs/ (the repository) does
[ "$files" = "langs-zh.epub langs-zh.pdf shared-title-en.epub shared-title-en.pdf " ] && ok ||
    bad "langs: outputs are '$files'"
o_en=$(unzip -p "$work/langs/shared-title-en.epub" EPUB/content.opf)
o_zh=$(unzip -p "$work/langs/langs-zh.epub" EPUB/content.opf)
has '<dc:title id="title">Shared Title</dc:title>' "$o_en" "langs: en title from the top book.json"
has '<dc:language>en</dc:language>' "$o_en" "langs: en language from the folder"
has '<dc:title id="title">多语言的书</dc:title>' "$o_zh" "langs: zh title from zh/book.json"
has '<dc:creator id="creator">Lin Writer</dc:creator>' "$o_zh" "langs: zh author from the top book.json"
has '<dc:language>zh-CN</dc:language>' "$o_zh" "langs: zh language from the folder"
for f in shared-title-en langs-zh; do
    [ "$(pdfimages -list "$work/langs/$f.pdf" 2>/dev/null | awk 'NR>2' | wc -l)" -ge 1 ] && ok ||
        bad "langs: $f: the shared image (../assets) is not drawn"
    epubcheck "$work/langs/$f.epub" "langs $f"
done
has '术语表' "$(pdftotext "$work/langs/langs-zh.pdf" -)" "langs: zh glossary titled in Chinese"
hasnt 'Glossary' "$(pdftotext "$work/langs/shared-title-en.pdf" -)" "langs: en has no glossary"
pe=$(pdftotext "$work/langs/shared-title-en.pdf" - | tr -s '\n' ' ')
has 'This is the en edition; see the shared note of the English folder.' "$pe" \
    "langs: book.language and an include from the content folder ('/shared.md')"
has '这是 second 版。' "$(pdftotext "$work/langs/langs-zh.pdf" -)" "langs: a variable of the top book.json"
# a SUMMARY entry into a section of a listed page is no chapter and no warning
[ "$(unzip -l "$work/langs/shared-title-en.epub" | grep -c 'EPUB/ch[0-9]*.xhtml')" = 2 ] && ok ||
    bad "langs: usage.md#usage made a chapter"
# one language alone
rm -rf "$work/zh-only"
"$bin" epub --quiet --offline --book "$fx/langs/zh" --out "$work/zh-only" 2>"$work/zh.err"
[ "$?" = 0 ] && ok || bad "langs: --book langs/zh: $(cat "$work/zh.err")"
[ "$(ls "$work/zh-only")" = "langs-zh.epub" ] && ok || bad "langs/zh alone: $(ls "$work/zh-only")"

# ---------------------------------------------------------------- docsify
build docsify
[ "$rc" = 0 ] && ok || bad "docsify: exit $rc: $err"
[ -z "$err" ] && ok || bad "docsify warnings: $err"
has 'inside the fragment' "$pt" "docsify :fragment= content"
hasnt 'outside the fragment' "$pt" "docsify :fragment= leaves the rest out"
hasnt '/// [demo]' "$pt" "docsify :fragment= markers left out"
has '<strong>Markdown</strong>' "$ep" "docsify .markdown embed is Markdown"
has 'class="language-js"' "$ep" "docsify code embed takes its extension as language"
has '<aside class="callout callout-important"' "$ep" "docsify !> is important"
has '<aside class="callout callout-tip"' "$ep" "docsify ?> is a tip"
epubcheck "$work/docsify"/*.epub docsify

finish
