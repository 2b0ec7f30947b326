#!/bin/bash
# Every character (issue #9): the allchars fixture book (CJK Unified, Ext A, common
# Ext B, CJK symbols, kana, Hangul, Greek, Cyrillic, Latin with diacritics, math
# letters, emoji with ZWJ sequences, flags and skin tones) prints with no "no glyph"
# warning, every font embedded with ToUnicode, qpdf and poppler clean, astral
# characters and emoji clusters given back by pdftotext, emoji drawn as images.
# usage: allchars.sh GHB_BOOK_BINARY BOOK_DIR SHARED_DIR
set -u
bin=$1 book=$2 shared=$3
. "$(dirname "$0")/lib.sh"

"$bin" pdf --book "$book" --out "$work/o" 2>"$work/log.txt" && ok || { bad "build failed"; tail "$work/log.txt"; }
! grep -q "no glyph" "$work/log.txt" && ok || { bad "no-glyph warnings"; grep "no glyph" "$work/log.txt" | head; }
pdf=$(ls "$work"/o/*.pdf)
qpdf --check "$pdf" >"$work/qpdf.txt" 2>&1 && ok || { bad "qpdf --check"; tail "$work/qpdf.txt"; }
pdftotext "$pdf" "$work/text.txt" 2>"$work/warn.txt"
[ ! -s "$work/warn.txt" ] && ok || { bad "poppler warned"; head "$work/warn.txt"; }
pdffonts "$pdf" >"$work/fonts.txt" 2>&1
awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' "$work/fonts.txt" && ok || { bad "a font is not embedded"; cat "$work/fonts.txt"; }
awk 'NR > 2 && $(NF-2) != "yes" { bad = 1 } END { exit bad }' "$work/fonts.txt" && ok || { bad "a font has no ToUnicode map"; cat "$work/fonts.txt"; }
grep -q "Type 0C" "$work/fonts.txt" && ok || bad "no CFF font embedded as CIDFontType0C"
# the astral round trip and the emoji text layer (ZWJ family, flag, skin tone)
for s in '𠮷' '𝑥' '𝟿' '👨‍👩‍👧' '🇨🇳' '👍🏽' '😀' '㦳' '齉' '한' 'ϴ' 'Ӿ' 'ỹ'; do
    grep -qF -- "$s" "$work/text.txt" && ok || bad "pdftotext lost $s"
done
# emoji are colour images (CBDT strikes), not outlines
[ "$(pdfimages -list "$pdf" | awk 'NR > 2' | wc -l)" -ge 50 ] && ok || bad "emoji are not drawn as images"
# check names, once per character, the installed font that supplies what the bundled ones lack
"$bin" check --book "$book" --quiet >"$work/supplied.txt" 2>/dev/null && ok || bad "check failed"
[ "$(grep -c '^U+20BB7 .*not in the bundled fonts, from Noto' "$work/supplied.txt")" = 1 ] && ok ||
    bad "check does not name the font of U+20BB7 once"
[ -z "$(cut -d' ' -f1 "$work/supplied.txt" | sort | uniq -d)" ] && ok || bad "check names a character twice"
if [ -f "$shared/tools/pdf-audit.py" ]; then
    missing=$(python3 "$shared/tools/pdf-audit.py" "$pdf" --json --source "$book" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["missing_chars"])')
    [ "$missing" = 0 ] && ok || bad "scorecard missing_chars: $missing"
fi
finish
