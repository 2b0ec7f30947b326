#!/bin/bash
# Typography on public books (docs/BOOKS.md, typo3): raw HTML blocks set in
# source order (easy-rl: a caption written under its picture was set above
# it), centred where the HTML centres them, a remote picture not fetched shown
# by its alt text. Fixtures in tests/books/typo/.
# usage: typo.sh GHB_BOOK_BINARY FIXTURES_DIR
set -u
bin=$1 fx=$2
. "$(dirname "$0")/lib.sh"

build_all "$fx/typo"
[ "$rc" = 0 ] && ok || bad "typo: exit $rc: $err"
bbox=$(pdftotext -bbox "$pdf" - 2>/dev/null)
# field F (xMin, yMin, xMax) of the first word starting with W
at() { grep -m1 ">$2" <<<"$bbox" | sed "s/.* $1=\"\([0-9.]*\)\".*/\1/"; }
left=$(at xMin 下面这段) para=$(at yMin 下面这段) cap=$(at yMin 蓝色方块) capx=$(at xMin 蓝色方块)
after=$(at yMin 这段文字写在图注之后)
# the picture (60 px high, 45 pt) stands between the paragraph and its caption
awk -v p="$para" -v c="$cap" 'BEGIN { exit !(c > p + 50) }' && ok ||
    bad "typo: caption at y $cap, paragraph before the picture at $para: the caption is not under the picture"
awk -v c="$cap" -v a="$after" 'BEGIN { exit !(a > c) }' && ok || bad "typo: the text after the caption is set above it"
# <div align=center> centres the caption (a paragraph would start at the indent)
awk -v x="$capx" -v l="$left" 'BEGIN { exit !(x > l + 100) }' && ok || bad "typo: caption at x $capx, not centred"
# a remote <img> not fetched shows its alt text where it stands, centred, and
# the <figcaption> under it is centred too
has Intro "$pt" "typo: a remote picture's alt text"
alt=$(at yMin Intro) altx=$(at xMin Intro) fig=$(at yMin 2：远程) figx=$(at xMin 2：远程)
awk -v a="$alt" -v f="$fig" 'BEGIN { exit !(a != "" && f > a) }' && ok || bad "typo: alt text at y $alt, caption at $fig"
awk -v x="$altx" -v l="$left" 'BEGIN { exit !(x > l + 100) }' && ok || bad "typo: alt text at x $altx, not centred"
awk -v x="$figx" -v l="$left" 'BEGIN { exit !(x > l + 100) }' && ok || bad "typo: <figcaption> at x $figx, not centred"
# a row of remote pictures (docsify's emoji) stays one row of alt texts
has 'smile joy' "$pt" "typo: remote pictures side by side"
# docsify's <output> demos: a one-line paragraph of raw HTML, and one before
# raw HTML text, each followed by a paragraph at the same indent, get a little
# air (as Markdown paragraphs do): one line pitch (18 pt) apart, the two read
# as one paragraph whose first line ends short
step() { awk -v a="$(at yMin "$1")" -v b="$(at yMin "$2")" 'BEGIN { print b - a }'; }
for pair in "消息甲 紧接在输出之后" "计数器如下所示 计数丙" "计数丙 输出之后的段落丁"; do
    s=$(step $pair)
    awk -v s="$s" 'BEGIN { exit !(s > 20 && s < 30) }' && ok || bad "typo: $pair: $s pt apart, want a quarter line of air over 18"
done
# a form's check boxes and radio buttons show their state before their labels
# (docsify's UI kit printed bare labels one under another)
has '☑ HTML' "$pt" "typo: a checked box"
has '☐ CSS' "$pt" "typo: an unchecked box"
has '○ JavaScript' "$pt" "typo: a radio button"
finish
