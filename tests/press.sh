#!/bin/bash
# ghb-book pdf --press: <name>-press.pdf with trim and bleed boxes on every page, a
# GTS_PDFX output intent with its ICC profile, no annotations, grey (or CMYK)
# images only, every font embedded, low-resolution images reported with their
# position, and pages that look like the default file's within the trim. Then
# the options (PDF/X-4, CMYK, crop marks, 5 mm bleed) from a book's print.yaml.
# usage: press.sh GHB_BOOK_BINARY BOOK_DIR TESTS_DIR
set -u
bin=$1 book=$2 tests=$3
. "$(dirname "$0")/lib.sh"
py=python3
/usr/bin/python3 -c "import pikepdf" 2>/dev/null && py=/usr/bin/python3

press() { # name book-dir out-dir [press_check options]
    local name=$1 src=$2 out=$3
    shift 3
    "$bin" pdf --book "$src" --out "$out" --quiet 2>/dev/null || bad "$name: default build"
    "$bin" pdf --press --book "$src" --out "$out" --quiet 2>"$out/warn.txt" || bad "$name: press build"
    local p d
    p=$(ls "$out"/*-press.pdf 2>/dev/null | head -1)
    d=${p%-press.pdf}.pdf
    [ -s "$p" ] && [ -s "$d" ] && ok || { bad "$name: no <name>-press.pdf next to <name>.pdf"; return; }
    qpdf --check "$p" >/dev/null 2>&1 && ok || bad "$name: qpdf --check"
    pdftotext "$p" /dev/null 2>"$out/poppler.txt"
    [ ! -s "$out/poppler.txt" ] && ok || { bad "$name: poppler warned"; head -3 "$out/poppler.txt"; }
    pdfimages -list "$p" | awk 'NR > 2 && $6 != "gray" && $6 != "cmyk" { bad = 1 } END { exit bad }' &&
        ok || { bad "$name: an image neither grey nor CMYK"; pdfimages -list "$p"; }
    pdfimages -list "$p" | awk 'NR > 2 && $3 == "smask" { bad = 1 } END { exit bad }' &&
        ok || bad "$name: a soft mask left in the press file"
    pdffonts "$p" | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' && ok || bad "$name: a font not embedded"
    $py "$tests/press_check.py" "$p" "$d" --render "$(mktemp -d -p "$work")" "$@" >"$out/check.txt" 2>&1 &&
        ok || bad "$name: press_check"
    sed "s/^/$name: /" "$out/check.txt"
}

press handbook "$book" "$work/h"
press pdfbook "$tests/data/pdfbook" "$work/p"
# each picture in the fixture book is 96 dpi at its printed size: reported where it is
[ "$(grep -c 'pdfbook/one.md:[0-9]*:[0-9]*: warning: image .* dpi' "$work/p/warn.txt")" -ge 4 ] &&
    ok || { bad "low-resolution images not reported with file:line:col"; cat "$work/p/warn.txt"; }

# highlighted code (and any coloured formula or <mark>): DeviceGray in the press file,
# as its pictures are (PDF/X-1a takes no DeviceRGB; the colours were written as rg)
"$bin" pdf --press --offline --book "$tests/books/tech" --out "$work/t" --quiet 2>/dev/null
tp=$(ls "$work"/t/*-press.pdf 2>/dev/null | head -1)
[ -s "$tp" ] && ok || bad "tech: no press file"
qpdf --qdf --object-streams=disable "$tp" - 2>/dev/null | grep -aqE '(^| )(rg|RG)( |$)' &&
    bad "tech: a DeviceRGB colour in the press file's content" || ok
qpdf --qdf --object-streams=disable "$tp" - 2>/dev/null | grep -aqE '^0\.[0-9]+ g /GF' &&
    ok || bad "tech: the highlighted code's colours are not drawn in grey"

# a colour emoji is drawn from its bitmap: in the press file a picture like the
# book's own, grey and flattened onto white (it was DeviceRGB with a soft mask)
mkdir -p "$work/emoji"
printf '# Emoji\n\n💡 A light bulb.\n' >"$work/emoji/README.md"
"$bin" pdf --press --offline --book "$work/emoji" --out "$work/e" --quiet 2>/dev/null
ep=$(ls "$work"/e/*-press.pdf 2>/dev/null | head -1)
pdfimages -list "$ep" 2>/dev/null | awk 'NR > 2 { n++ } NR > 2 && ($6 != "gray" || $3 == "smask") { bad = 1 }
    END { exit bad || n != 1 }' && ok || { bad "emoji: not one grey picture in the press file"; pdfimages -list "$ep"; }

# the options, from the book's own print.yaml
cp -r "$tests/data/pdfbook" "$work/opt"
cat >"$work/opt/print.yaml" <<'YAML'
press:
  bleed: 5mm
  crop-marks: true
  standard: pdf/x-4
  colour: cmyk
YAML
# (CMYK pictures render a little differently from the default file's RGB ones)
press options "$work/opt" "$work/o" --bleed 5 --x4 --marks --loose
pdfimages -list "$work/o/pdfbook-press.pdf" | awk 'NR > 2 && $6 != "cmyk" { bad = 1 } END { exit bad }' &&
    ok || bad "colour: cmyk left an image that is not CMYK"
head -c 8 "$work/o/pdfbook-press.pdf" | grep -q "%PDF-1.6" && ok || bad "PDF/X-4 is not PDF 1.6"
head -c 8 "$work/p/pdfbook-press.pdf" | grep -q "%PDF-1.3" && ok || bad "PDF/X-1a:2001 is not PDF 1.3"
# the gutter grows with the page count: 40 mm from 1 page moves the text block
# outwards by 40 mm - 62.7 pt (the style's inner margin) on a right-hand page
printf 'press:\n  gutter: {1: 40mm}\n' >"$work/opt/print.yaml"
"$bin" pdf --press --book "$work/opt" --out "$work/g" --quiet 2>/dev/null
"$bin" pdf --book "$work/opt" --out "$work/g" --quiet 2>/dev/null
xmin() { pdftotext -f 5 -l 5 -bbox "$1" - | awk -F'"' '/<word/ { print $2; exit }'; }
awk -v a="$(xmin "$work/g/pdfbook-press.pdf")" -v b="$(xmin "$work/g/pdfbook.pdf")" \
    'BEGIN { d = a - 3 * 72 / 25.4 - b; exit !(d > 50.2 && d < 51.2) }' &&
    ok || bad "the gutter table did not move the text block ($(xmin "$work/g/pdfbook-press.pdf") vs $(xmin "$work/g/pdfbook.pdf"))"
# a style below 7 pt is named, at the line and column of its key in the book's print.yaml
printf '# small notes\nnote-size: 6pt\nnote-pitch: 9pt\n\ncode-size: 4pt\n' >"$work/opt/print.yaml"
"$bin" pdf --press --book "$work/opt" --out "$work/s" --quiet 2>"$work/s.txt"
grep -q "opt/print.yaml:2:1: warning: 'note-size' is 6.0 pt" "$work/s.txt" && ok ||
    { bad "text under 7 pt not reported at its key"; cat "$work/s.txt"; }
grep -q "opt/print.yaml:5:1: warning: lines drawn at 4.0 pt .* raise 'code-size'" "$work/s.txt" && ok ||
    { bad "lines under 0.25 pt not reported at the key responsible"; cat "$work/s.txt"; }
finish
